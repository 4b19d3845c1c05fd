"""Messages the reader's workers send to the UI thread.

Workers run in threads and must never touch widgets; they post one of these instead
(``post_message`` is thread-safe) and the app applies it on its own thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from summitreader.core.library import LibraryEntry


@dataclass(frozen=True)
class LibraryRow:
    """One article as the library table shows it: the entry (already cleaned) and its notes."""

    entry: LibraryEntry
    notes: int


class LibraryLoaded(Message):
    """The library was read and every article cleaned.

    Args:
        rows: the articles, in library order.
        problems: one-line messages about captures that could not be read.
    """

    def __init__(self, rows: tuple[LibraryRow, ...], problems: tuple[str, ...]) -> None:
        super().__init__()
        self.rows = rows
        self.problems = problems


class OpenArticle(Message):
    """A screen asks the app to open an article (the app owns the screen stack)."""

    def __init__(self, entry: LibraryEntry) -> None:
        super().__init__()
        self.entry = entry
