"""The Textual reader. Imported only by ``summit-reader read`` (and bare ``summit-reader``).

Nothing under :mod:`summitreader.core` may import this package: the core stays usable, and
the CLI's ``list``/``show`` stay fast, without Textual.
"""
