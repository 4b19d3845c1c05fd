"""Every annotation across the library in one table; Enter reads the passage.

The notes are resolved against the current texts by the core (which may re-anchor and save
them) in a worker, so a large store never blocks the keys; they arrive as a message. The
list is reloaded each time the screen comes back, since the article screen may have changed
a note, and whenever another running copy changes the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static
from textual.worker import Worker

from summitreader.core.library import Library
from summitreader.core.notes import ResolvedNote, resolve_notes
from summitreader.core.store import Store, StoreError
from summitreader.core.textio import sanitize
from summitreader.ui.messages import StoreChanged, worker_failure
from summitreader.ui.screens import ALL_NOTES_CSS
from summitreader.ui.screens.picker import TablePicker
from summitreader.ui.widgets.footer import Footer

if TYPE_CHECKING:
    from summitreader.ui.app import SummitReaderApp

#: Rich styles for the colour column: a swatch in the highlight's own colour.
SWATCH_STYLES = {
    "yellow": "yellow",
    "green": "green",
    "blue": "blue",
    "pink": "magenta",
    "purple": "purple",
}


def one_line(text: str) -> str:
    """``text`` sanitised and flattened to one line (stored notes are untrusted)."""
    return " ".join(sanitize(text).split())


def first_line(note: str) -> str:
    """The first non-blank line of a note: the table has room for one."""
    for line in sanitize(note).splitlines():
        if line.strip():
            return " ".join(line.split())
    return ""


def note_title(note: ResolvedNote) -> str:
    """The title of the note's article, or why there is none."""
    if note.entry is None:
        return "(article no longer in the library)"
    return note.entry.article.title


def note_haystack(note: ResolvedNote) -> str:
    """What the filter searches: quote, whole note, tags (with and without ``#``), title."""
    annotation = note.annotation
    tags = " ".join(f"#{tag} {tag}" for tag in annotation.tags)
    parts = (annotation.exact, annotation.note, tags, note_title(note))
    return "\n".join(sanitize(part) for part in parts).casefold()


def note_cells(note: ResolvedNote) -> tuple[Text, Text, Text, Text, Text, Text]:
    """The table cells for one note, every one a :class:`~rich.text.Text`.

    Quotes, notes, tags and titles come from captured pages and from the user: as plain
    strings a ``DataTable`` would parse them as markup (and run ``[@click=...]`` actions).
    """
    annotation = note.annotation
    orphan = note.status == "orphan"

    def cell(text: str, style: str = "") -> Text:
        return Text(text, style=style, no_wrap=True, overflow="ellipsis")

    colour = Text("■ ", style=SWATCH_STYLES.get(annotation.color, ""))
    colour.append(annotation.color)
    status = cell("orphan: not found", "italic red") if orphan else cell(note.status)
    return (
        cell(one_line(annotation.exact), "dim" if orphan else ""),
        cell(first_line(annotation.note)),
        cell(" ".join(f"#{one_line(tag)}" for tag in annotation.tags), "bold"),
        colour,
        cell(one_line(note_title(note)), "italic" if note.entry is None else ""),
        status,
    )


class NotesResolved(Message):
    """The loading worker's result.

    Args:
        notes: every annotation, in reading order, orphans last.
        error: why the store could not be read, or ``None``.
    """

    def __init__(self, notes: tuple[ResolvedNote, ...], error: str | None) -> None:
        super().__init__()
        self.notes = notes
        self.error = error


class AllNotesScreen(TablePicker, Screen[None]):
    """Every note of every article; the filter narrows it as you type.

    Args:
        library: the articles the notes belong to (resolved in the worker's thread).
        store_path: the notes store, or ``None`` when the reader runs without one.
    """

    CSS_PATH = ALL_NOTES_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Read", id="notes.open", tooltip="Open the article at this note"),
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            id="notes.filter",
            tooltip="Narrow the notes by quote, note, #tag or title, as you type",
        ),
        Binding("j,down", "cursor_down", "Down", id="notes.down", show=False, tooltip="Next note"),
        Binding("k,up", "cursor_up", "Up", id="notes.up", show=False, tooltip="Previous note"),
        Binding("q", "back", "Back", id="notes.back", tooltip="Back to the previous screen"),
        Binding(
            "escape",
            "escape",
            "Clear filter / Back",
            id="notes.escape",
            tooltip="Clear the filter; with no filter, go back",
        ),
    ]

    #: The table takes the first focus, not the filter box (Textual's default, while the
    #: table is still loading), so ``q`` and ``/`` work as keys straight away.
    AUTO_FOCUS = "#notes-table"

    def __init__(self, library: Library, store_path: Path | None) -> None:
        super().__init__(id="all-notes")
        self.library = library
        self.store_path = store_path
        #: Every resolved note, in reading order; the table shows those passing the filter.
        self.notes: tuple[ResolvedNote, ...] = ()
        self.by_id: dict[str, ResolvedNote] = {}
        self.query_text = ""
        self._haystacks: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        """A status line, the filter, the table, the footer."""
        yield Static(Text("Reading the notes…"), id="notes-status")
        yield Input(placeholder="Filter by quote, note, #tag or title", id="notes-filter")
        table: DataTable[Text] = DataTable(id="notes-table", cursor_type="row", zebra_stripes=True)
        table.loading = True
        yield table
        yield Footer()

    def on_mount(self) -> None:
        """Set up the columns and give the table the keys; notes load on resume."""
        table = self.table
        table.add_column(Text("Quote"), width=28, key="quote")
        table.add_column(Text("Note"), width=16, key="note")
        table.add_column(Text("Tags"), width=10, key="tags")
        table.add_column(Text("Colour"), width=8, key="colour")
        table.add_column(Text("Article"), width=16, key="article")
        table.add_column(Text("Status"), width=8, key="status")
        table.focus()

    @property
    def table(self) -> DataTable[Text]:
        """The notes table."""
        table: DataTable[Text] = self.query_one("#notes-table", DataTable)
        return table

    # -- loading ----------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        """(Re)load the notes: first showing, or back from an article that may have changed."""
        if self.store_path is None:
            self._loaded()
            self._set_status("The notes store is not open: there are no notes to list.")
            return
        self._load(self.store_path)

    @on(StoreChanged)
    def _store_changed(self) -> None:
        """Another running copy changed the store: reload (the cursor stays on its note)."""
        if self.store_path is not None:
            self._load(self.store_path)

    @work(thread=True, exclusive=True, group="notes", exit_on_error=False, name="all-notes")
    def _load(self, path: Path) -> None:
        """Resolve every annotation with this thread's own ``Store``; report by message.

        Resolving cleans every article and may re-anchor and save notes: too slow for the
        UI thread on a large library.
        """
        try:
            with Store(path) as store:
                notes = resolve_notes(store, self.library.entries())
        except StoreError as exc:
            self.post_message(NotesResolved((), str(exc)))
            return
        self.post_message(NotesResolved(tuple(notes), None))

    @on(NotesResolved)
    def _notes_resolved(self, message: NotesResolved) -> None:
        self._loaded()
        if message.error:
            self._set_status(f"Could not read the notes: {message.error}")
            return
        self.notes = message.notes
        self.by_id = {n.annotation.id: n for n in message.notes}
        self._haystacks.clear()
        self._refill()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        failure = worker_failure(event, {"notes": "Could not list the notes"})
        if failure is not None:
            self._loaded()
            self.notify(failure, severity="error", markup=False, timeout=10)

    def _loaded(self) -> None:
        """Stop the loading indicator; the table can take the focus only now."""
        table = self.table
        table.loading = False
        if self.focused is None:
            table.focus()

    # -- what the table shows ---------------------------------------------------------

    def visible_notes(self) -> list[ResolvedNote]:
        """The notes passing the filter, in reading order (orphans last)."""
        needle = self.query_text.casefold().strip()
        if not needle:
            return list(self.notes)
        return [n for n in self.notes if needle in self._haystack(n)]

    def _haystack(self, note: ResolvedNote) -> str:
        key = note.annotation.id
        if key not in self._haystacks:
            self._haystacks[key] = note_haystack(note)
        return self._haystacks[key]

    def _refill(self) -> None:
        """Rebuild the table, keeping the cursor on the same note when it is still shown."""
        table = self.table
        current = self._cursor_key()
        table.clear()
        shown = self.visible_notes()
        for note in shown:
            table.add_row(*note_cells(note), key=note.annotation.id)
        if current is not None and current in table.rows:
            table.move_cursor(row=table.get_row_index(current), animate=False)
        total = len(self.notes)
        orphans = sum(1 for n in self.notes if n.status == "orphan")
        status = f"{total} note{'s' if total != 1 else ''}"
        if orphans:
            status += f" · {orphans} no longer found in their text (listed last)"
        if self.query_text.strip():
            status += f" · {len(shown)} match the filter"
        if not total:
            status = "No notes yet. Highlight a sentence with h while reading."
        self._set_status(status)

    def _set_status(self, status: str) -> None:
        self.query_one("#notes-status", Static).update(Text(status))

    # -- keys -------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        """Type into the filter."""
        self.query_one("#notes-filter", Input).focus()

    @on(Input.Changed, "#notes-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._refill()

    @on(Input.Submitted, "#notes-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter reads the selected note: type a tag, press Enter, read."""
        self.action_open()

    def action_escape(self) -> None:
        """Clear the filter if it holds anything; otherwise go back."""
        box = self.query_one("#notes-filter", Input)
        if box.value:
            box.value = ""
            self.query_text = ""
            self._refill()
            self.table.focus()
            return
        self.dismiss()

    def action_back(self) -> None:
        """Go back to the screen the notes were opened from."""
        self.dismiss()

    @on(DataTable.RowSelected, "#notes-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value)

    def _open(self, key: str | None) -> None:
        note = self.by_id.get(key or "")
        if note is None:
            return
        app = cast("SummitReaderApp", self.app)
        if note.entry is None:
            self.notify(
                "This note's article is no longer in the library.",
                severity="warning",
                markup=False,
            )
            return
        if note.status == "orphan":
            app.open_article(note.entry)
            self.notify(
                "This passage is no longer in the article's text; opened where you left off.",
                severity="warning",
                markup=False,
            )
            return
        app.open_article(note.entry, offset=note.anchor.start)
