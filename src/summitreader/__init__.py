"""summit-reader: read several outlets' coverage of one event, highlight and take notes."""

__version__ = "0.1.0"
