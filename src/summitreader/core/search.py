"""Find a reader's query in an article's canonical text.

Pure functions, so the reader's search and any future command-line search agree on what
matches. Matching is literal (the query is never a pattern), case-insensitive, and forgiving
about the things a reader cannot see or type easily: curly and straight quotes, dashes, and
runs of white space (a query typed from a printed copy still finds its passage).
"""

from __future__ import annotations

import re

#: More matches than this are not worth painting; the count says "at least".
MAX_MATCHES = 10_000

_FOLD = {
    "'": "['‘’‛′]",
    "‘": "['‘’‛′]",
    "’": "['‘’‛′]",
    '"': '["“”„″]',
    "“": '["“”„″]',
    "”": '["“”„″]',
    "-": "[-‐‑‒–—]",
    "–": "[-‐‑‒–—]",
    "—": "[-‐‑‒–—]",
}


def query_pattern(query: str) -> re.Pattern[str] | None:
    """The compiled pattern for ``query``, or ``None`` when it has nothing to look for."""
    words = query.split()
    if not words:
        return None
    parts = []
    for word in words:
        parts.append("".join(_FOLD.get(char, re.escape(char)) for char in word))
    return re.compile(r"\s+".join(parts), re.IGNORECASE)


def find_all(text: str, query: str, limit: int = MAX_MATCHES) -> list[tuple[int, int]]:
    """Every non-overlapping match of ``query`` in ``text``, as ``(start, end)`` offsets.

    At most ``limit`` matches, in text order. Linear in the length of the text: the pattern
    is a fixed sequence of characters and classes, so there is no backtracking to blow up.
    """
    pattern = query_pattern(query)
    if pattern is None:
        return []
    found: list[tuple[int, int]] = []
    for match in pattern.finditer(text):
        if match.end() > match.start():
            found.append((match.start(), match.end()))
            if len(found) >= limit:
                break
    return found


__all__ = ["MAX_MATCHES", "find_all", "query_pattern"]
