"""The library screen: every article in a table; Enter opens one.

The screen keeps the loaded rows and derives the table from them, a filter and a sort, so
narrowing or re-sorting never reads a file again. Notes counts arrive after the rows (reading
a large store must not hold up the list) and are recounted through the store in a worker each
time the screen comes back, since an article screen may have changed them, and whenever
another running copy changes the store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static
from textual.worker import Worker

from summitreader.core.library import LibraryEntry
from summitreader.ui.messages import LibraryRow, OpenArticle, StoreChanged, worker_failure
from summitreader.ui.screens.picker import TablePicker
from summitreader.ui.widgets.footer import Footer

#: The orders ``s`` cycles through, starting with the library's own (file) order.
SORTS: tuple[str, ...] = ("library", "date", "source", "title")

#: How long the table may wait for its rows before it shows a loading indicator, in seconds:
#: a cached library arrives sooner, and an indicator only flashing by would cost a frame.
LOADING_DELAY = 0.15


def sort_entries(entries: list[LibraryEntry], sort: str) -> list[LibraryEntry]:
    """``entries`` in the order ``sort`` (one of :data:`SORTS`) names.

    Public so the tests derive their expectations from the same rule. Every sort is stable,
    so ties keep library order; articles without a date or source go last.
    """
    if sort == "date":
        dated = [e for e in entries if e.article.date]
        undated = [e for e in entries if not e.article.date]
        # ISO dates sort as strings; reverse=True keeps ties in their original order.
        return sorted(dated, key=lambda e: e.article.date or "", reverse=True) + undated
    if sort == "source":
        known = [e for e in entries if e.article.source]
        unknown = [e for e in entries if not e.article.source]
        return sorted(known, key=lambda e: (e.article.source or "").casefold()) + unknown
    if sort == "title":
        return sorted(entries, key=lambda e: e.article.title.casefold())
    return list(entries)


def filter_haystack(entry: LibraryEntry) -> str:
    """What the filter searches in: title, source and body, casefolded once."""
    article = entry.article
    return "\n".join((article.title, article.source or "", article.text)).casefold()


def row_cells(row: LibraryRow) -> tuple[Text, Text, Text, Text, Text]:
    """The table cells for one article.

    Every cell is a :class:`~rich.text.Text`: a plain string in a ``DataTable`` is parsed
    as markup, and titles come from whatever page was captured.
    """
    article = row.entry.article
    return (
        Text(article.title, no_wrap=True, overflow="ellipsis"),
        Text(article.source or "—", no_wrap=True, overflow="ellipsis"),
        Text(article.date or "—"),
        Text(str(article.words), justify="right"),
        notes_cell(row.notes),
    )


def notes_cell(count: int | None) -> Text:
    """The notes column cell, right-aligned like the other numbers; blank until counted."""
    return Text("" if count is None else str(count), justify="right")


class NotesCounted(Message):
    """The counting worker's result: annotations per article id, or why it failed.

    Sent to the screen by its own recount, and to the app by the library's loading worker
    (the app passes it on in order, after the rows); it does not bubble, so neither is
    handled twice.

    Args:
        counts: how many annotations each article has (absent means none).
        error: why the store could not be read, or ``None``.
    """

    bubble = False

    def __init__(self, counts: dict[str, int], error: str | None) -> None:
        super().__init__()
        self.counts = counts
        self.error = error


class LibraryScreen(TablePicker, Screen[None]):
    """The first screen: the articles of the library, filled in by the loading worker."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", id="library.down", show=False, tooltip="Next article"),
        Binding("k", "cursor_up", "Up", id="library.up", show=False, tooltip="Previous article"),
        Binding("enter", "open", "Open", id="library.open", tooltip="Read the article"),
        Binding(
            "slash",
            "filter",
            "Filter",
            id="library.filter",
            tooltip="Narrow the list by title, source or text, as you type",
        ),
        Binding(
            "s",
            "cycle_sort",
            "Sort",
            id="library.sort",
            tooltip="Sort by library order, date (newest first), source or title",
        ),
        Binding("q", "app.quit", "Quit", id="library.quit", tooltip="Leave the reader"),
        Binding(
            "escape",
            "escape",
            "Clear filter / Quit",
            id="library.escape",
            tooltip="Clear and close the filter; with no filter, leave the reader",
        ),
    ]

    #: Only the table takes the first focus, also while it waits for its rows (the filter box,
    #: when there is one, is focusable too).
    AUTO_FOCUS = "#library-table"

    def __init__(
        self,
        store_path: Path | None = None,
        *,
        on_built: Callable[[], None] | None = None,
        on_store_problem: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(id="library")
        #: Where the notes store lives, for recounting in a thread; ``None`` for a screen
        #: shown without one (its counts are then never read).
        self.store_path = store_path
        #: Called once the table is set up, before the first frame: the app hands over
        #: the rows it has by then (see ``SummitReaderApp._take_first_rows``).
        self._on_built = on_built
        #: Tells the user why the store could not be read, once for the whole app (the
        #: app says it when it opens the store; a recount must not say it again).
        self._on_store_problem = on_store_problem
        self.entries: dict[str, LibraryEntry] = {}
        #: The loaded rows, in library order; the table shows a filtered, sorted view.
        self.rows: tuple[LibraryRow, ...] = ()
        self.problems: tuple[str, ...] = ()
        #: Annotations per article id (absent: not counted yet), refreshed whenever the
        #: screen comes back.
        self.counts: dict[str, int] = {}
        #: Whether the notes have been counted once (by the app, as it opens the store).
        self.counted = False
        self.sort = SORTS[0]
        self.query_text = ""
        self._haystacks: dict[str, str] = {}
        #: Whether every article has arrived (a large library comes in parts).
        self.complete = False
        #: Whether rows arrived, and whether the table is set up to show them: the loading
        #: worker starts with the app, so rows may come before the screen mounts.
        self._loaded = False
        self._table_ready = False

    def compose(self) -> ComposeResult:
        """A status line with the sort, the table, the footer (the filter comes with ``/``)."""
        with Horizontal(id="library-bar"):
            yield Static(Text("Reading the library…"), id="library-status")
            yield Static(self._sort_label(), id="library-sort")
        table: DataTable[Text] = DataTable(
            id="library-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Footer()

    def on_mount(self) -> None:
        """Set up the columns, and the rows if they came first (else :meth:`add_rows`)."""
        table = self.table
        table.add_column(Text("Title"), width=44, key="title")
        table.add_column(Text("Source"), width=16, key="source")
        table.add_column(Text("Date"), width=10, key="date")
        table.add_column(Text("Words", justify="right"), width=6, key="words")
        table.add_column(Text("Notes", justify="right"), width=5, key="notes")
        table.focus()
        self._table_ready = True
        if self._loaded:
            self._fill()
        elif self._on_built is not None:
            self._on_built()  # may call add_rows, which fills the table
        if not self._loaded:
            self.set_timer(LOADING_DELAY, self._show_loading, name="library-loading")

    def _show_loading(self) -> None:
        if not self._loaded:
            self.table.loading = True

    @property
    def table(self) -> DataTable[Text]:
        """The articles table."""
        table: DataTable[Text] = self.query_one("#library-table", DataTable)
        return table

    @property
    def filter_input(self) -> Input | None:
        """The filter box, or ``None`` before the first ``/`` (it is not built until then)."""
        return next(self.query("#library-filter").results(Input), None)

    def add_rows(
        self, rows: tuple[LibraryRow, ...], problems: tuple[str, ...], *, complete: bool = True
    ) -> None:
        """Show the next articles the loading worker read (called on the UI thread).

        The first call fills the table, later ones add to it: a large library arrives in
        parts, so its first screenful is shown without waiting for the rest. Rows that come
        before the screen is mounted are kept, and :meth:`on_mount` shows them.
        """
        first = not self._loaded
        self.rows += rows
        self.problems = problems
        self.entries.update((row.entry.id, row.entry) for row in rows)
        self.counts.update((row.entry.id, row.notes) for row in rows if row.notes is not None)
        self._loaded = True
        self.complete = complete
        if not self._table_ready:
            return
        if first:
            self._fill()
        elif self.sort == SORTS[0] and not self.query_text:
            table = self.table  # library order, no filter: the new rows go at the end
            for row in rows:
                table.add_row(*row_cells(row), key=row.entry.id)
            self._show_status()
        else:
            self._refill()

    def _fill(self) -> None:
        table = self.table
        table.loading = False
        if self.focused is None:
            table.focus()  # it could not take the focus while loading
        self._refill()

    def show_counts(self, counts: dict[str, int]) -> None:
        """Show how many annotations each article has (absent from ``counts``: none)."""
        self.counts = {entry_id: counts.get(entry_id, 0) for entry_id in self.entries}
        self.counted = True
        if not self._table_ready:
            return
        table = self.table
        for entry_id, count in self.counts.items():
            if entry_id in table.rows:
                table.update_cell(entry_id, "notes", notes_cell(count))

    def _show_status(self) -> None:
        """How many articles there are, how many the filter shows, and what failed."""
        if not self._loaded:
            return  # "Reading the library…" until the rows arrive
        count = len(self.rows)
        status = f"{count} article{'s' if count != 1 else ''}"
        if not self.complete:
            status = f"Reading the library… {status} so far"
        if self.query_text:
            status += f" · {self.table.row_count} match the filter"
        if self.problems:
            status += f" · {len(self.problems)} could not be read"
        if not self.rows:
            status = "The library is empty. Add captures with: summit-reader add FILE..."
        self.query_one("#library-status", Static).update(Text(status))

    # -- what the table shows ---------------------------------------------------------

    def visible_entries(self) -> list[LibraryEntry]:
        """The articles that pass the filter, in the current sort order."""
        needle = self.query_text.casefold()
        entries = [row.entry for row in self.rows]
        if needle:
            entries = [e for e in entries if needle in self._haystack(e)]
        return sort_entries(entries, self.sort)

    def _haystack(self, entry: LibraryEntry) -> str:
        # Built on first use: casefolding every body up front would slow the first paint.
        if entry.id not in self._haystacks:
            self._haystacks[entry.id] = filter_haystack(entry)
        return self._haystacks[entry.id]

    def _refill(self) -> None:
        """Rebuild the table from the rows, keeping the cursor on the same article."""
        table = self.table
        current = self._cursor_key()
        table.clear()
        for entry in self.visible_entries():
            row = LibraryRow(entry, self.counts.get(entry.id))
            table.add_row(*row_cells(row), key=entry.id)
        if current is not None and current in table.rows:
            table.move_cursor(row=table.get_row_index(current), animate=False)
        self._show_status()

    def _sort_label(self) -> Text:
        return Text(f"Sort: {self.sort}")

    # -- the filter -------------------------------------------------------------------

    async def action_filter(self) -> None:
        """Show the filter box and type into it.

        The box is built on the first ``/``: most starts never filter, and an input widget
        is a noticeable part of the work before the first frame.
        """
        box = self.filter_input
        if box is None:
            box = Input(
                placeholder="Filter by title, source or text (Enter: list, Esc: clear)",
                id="library-filter",
            )
            await self.mount(box, before=self.table)
        box.display = True
        box.focus()

    @on(Input.Changed, "#library-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._refill()

    @on(Input.Submitted, "#library-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        """Enter keeps the filter and hands the keys back to the list, to pick an article."""
        self.table.focus()

    async def action_escape(self) -> None:
        """Clear and close the filter if there is one; otherwise leave, as ``q`` does."""
        box = self.filter_input
        if box is not None and (box.display or box.value):
            box.value = ""  # Input.Changed refills the table...
            self.query_text = ""
            self._refill()  # ...but not before the next message, and the table is shown now
            box.display = False
            self.table.focus()
            return
        await self.app.run_action("quit")

    # -- the sort ---------------------------------------------------------------------

    def action_cycle_sort(self) -> None:
        """Switch to the next order in :data:`SORTS`."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.query_one("#library-sort", Static).update(self._sort_label())
        self._refill()

    # -- notes counts -----------------------------------------------------------------

    def on_screen_resume(self) -> None:
        """Recount notes when coming back: the article screen may have added or deleted.

        Not when the screen is first shown: the app's worker counts them then, as it opens
        the store (counting twice would read a large store twice).
        """
        if self.counted and self.store_path is not None:
            self._count_notes(self.store_path)

    @on(StoreChanged)
    def _store_changed(self) -> None:
        """Another running copy changed the store: recount, even while under an article."""
        if self.rows and self.store_path is not None:
            self._count_notes(self.store_path)

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False, name="count-notes")
    def _count_notes(self, path: Path) -> None:
        """Count annotations per article with this thread's own ``Store``; report by message."""
        from summitreader.core.store import Store, StoreError

        try:
            with Store(path) as store:
                counts = Counter(a.article_id for a in store.all())
        except StoreError as exc:
            self.post_message(NotesCounted({}, str(exc)))
            return
        self.post_message(NotesCounted(dict(counts), None))

    @on(NotesCounted)
    def _notes_counted(self, message: NotesCounted) -> None:
        if message.error:
            if self._on_store_problem is not None:
                self._on_store_problem(message.error)
            else:
                self.notify(
                    f"Could not count the notes: {message.error}",
                    severity="warning",
                    markup=False,
                )
            return
        self.show_counts(message.counts)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        failure = worker_failure(event, {"counts": "Could not count the notes"})
        if failure is not None:
            self.notify(failure, severity="warning", markup=False)

    # -- moving and opening -----------------------------------------------------------

    @on(DataTable.RowSelected, "#library-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value)

    def _open(self, key: str | None) -> None:
        entry = self.entries.get(key or "")
        if entry is not None:
            self.post_message(OpenArticle(entry))
