"""Messages the reader's workers send to the UI thread.

Workers run in threads and must never touch widgets; they post one of these instead
(``post_message`` is thread-safe) and the app applies it on its own thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from textual.message import Message
from textual.worker import Worker, WorkerState

from summitreader.core.library import LibraryEntry

if TYPE_CHECKING:  # only named in annotations: importing notes loads anchoring and the store
    from summitreader.core.annotations import Annotation
    from summitreader.core.notes import ResolvedNote
    from summitreader.core.watch import StoreWatcher


def worker_failure(event: Worker.StateChanged, doing: Mapping[str, str]) -> str | None:
    """The line to tell when a worker of one of ``doing``'s groups stopped on an error.

    Workers report the failures they expect by message; this is for the others (a bug, an
    exhausted disk in a place nobody guarded), so the reader is told rather than left with
    a screen that silently never fills. One wording for every screen.

    Args:
        event: a change of a worker's state.
        doing: worker group -> what failing at it is called ("Could not count the notes").

    Returns:
        The line (plain text, never markup), or None for any other change of state.
    """
    group = event.worker.group
    if event.state != WorkerState.ERROR or group not in doing:
        return None
    error = event.worker.error
    return f"{doing[group]}: {type(error).__name__}: {error}"


@dataclass(frozen=True)
class LibraryRow:
    """One article as the library table shows it: the entry (already cleaned) and its notes.

    ``notes`` is ``None`` until the store has been read: the counts follow the rows.
    """

    entry: LibraryEntry
    notes: int | None


class LibraryLoaded(Message):
    """More of the library was read and cleaned: the next articles, in library order.

    A large library arrives in several of these, the first soon enough for the first
    screenful; the last has ``complete`` set.

    Args:
        rows: the articles read since the last message, in library order.
        problems: one-line messages about captures that could not be read (on the last).
        complete: whether these are the last rows.
    """

    def __init__(
        self, rows: tuple[LibraryRow, ...], problems: tuple[str, ...], *, complete: bool = True
    ) -> None:
        super().__init__()
        self.rows = rows
        self.problems = problems
        self.complete = complete


class StoreOpened(Message):
    """The library's worker opened the notes store: the process's first open of it.

    Args:
        counts: how many annotations each article has (absent means none).
        error: why the store could not be opened, or ``None``. What opening did to the
            file (moved aside, opened read-only) comes through ``store.NOTICES``, from
            whichever thread opened it first.
        watcher: a watcher for other copies' changes, made once the file was checked
            (``None`` if the store could not be opened).
        theme: the theme an older version kept in the store, if any (it moves to the
            settings file).
    """

    def __init__(
        self,
        counts: dict[str, int],
        error: str | None,
        watcher: StoreWatcher | None,
        theme: str | None,
    ) -> None:
        super().__init__()
        self.counts = counts
        self.error = error
        self.watcher = watcher
        self.theme = theme


class StoreChanged(Message, bubble=False):
    """Another running copy changed the notes store: what a screen shows may be stale.

    The app's watcher sends one to every screen on the stack; a screen that shows notes
    reloads them in its worker. It does not bubble: the app forwards it, it must not come
    back.
    """


class OpenArticle(Message):
    """A screen asks the app to open an article (the app owns the screen stack)."""

    def __init__(self, entry: LibraryEntry) -> None:
        super().__init__()
        self.entry = entry


@dataclass(frozen=True)
class StoreChange:
    """One highlight change waiting to be written, in the order it was made.

    Kept in memory until the store confirms it, so a failed save loses nothing: the
    screen retries its pending changes, in order, with the next one.

    Attributes:
        kind: what to do with the store: ``add``, ``update``, ``delete`` or ``undelete``.
        annotation: the annotation as it should be stored (for ``delete`` and ``undelete``
            only its id matters).
    """

    kind: Literal["add", "update", "delete", "undelete"]
    annotation: Annotation


class HighlightsLoaded(Message):
    """An article's annotations, resolved against its current text by the loading worker.

    Args:
        notes: in text order, orphans last.
        error: why the store could not be read, or ``None``.
    """

    def __init__(self, notes: tuple[ResolvedNote, ...], error: str | None) -> None:
        super().__init__()
        self.notes = notes
        self.error = error


class HighlightsSaved(Message):
    """The saving worker wrote the first ``done`` of the changes it was given.

    Args:
        done: how many changes, from the first, are now in the store.
        error: why the next one failed, or ``None`` when all were written.
    """

    def __init__(self, done: int, error: str | None) -> None:
        super().__init__()
        self.done = done
        self.error = error


class UnsavedRetried(Message):
    """The app's retry worker wrote ``done`` of the changes it held (a failure stopped it).

    The changes themselves are named, not counted: an article screen may have taken some of
    them back from the app while the worker ran.

    Args:
        done: the changes now in the store.
        error: why the next one failed, or ``None`` when all were written.
    """

    def __init__(self, done: tuple[StoreChange, ...], error: str | None) -> None:
        super().__init__()
        self.done = done
        self.error = error
