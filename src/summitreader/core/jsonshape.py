"""How a JSON value is named in a one-line error: shared by the store and the importer.

Both refuse files whose values have the wrong type, and both must say what they found in a
way that is safe on one terminal line, whatever the file holds.
"""

from __future__ import annotations


def json_kind(value: object) -> str:
    """What kind of JSON value ``value`` is, in words ("a string", "null"...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def short_repr(value: object, width: int = 40) -> str:
    """``value`` as ``repr`` shows it, cut to ``width`` characters.

    ``repr`` escapes newlines and invisible controls, so the result is safe on one line.
    """
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


__all__ = ["json_kind", "short_repr"]
