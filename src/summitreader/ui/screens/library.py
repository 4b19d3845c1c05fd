"""The library screen: every article in a table; Enter opens one."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from summitreader.core.library import LibraryEntry
from summitreader.ui.messages import LibraryRow, OpenArticle


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
        Text(str(row.notes), justify="right"),
    )


class LibraryScreen(Screen[None]):
    """The first screen: the articles of the library, filled in by the loading worker."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", id="library.down", show=False, tooltip="Next article"),
        Binding("k", "cursor_up", "Up", id="library.up", show=False, tooltip="Previous article"),
        Binding("enter", "open", "Open", id="library.open", tooltip="Read the article"),
        Binding("q,escape", "app.quit", "Quit", id="library.quit", tooltip="Leave the reader"),
    ]

    def __init__(self) -> None:
        super().__init__(id="library")
        self.entries: dict[str, LibraryEntry] = {}

    def compose(self) -> ComposeResult:
        """A status line, the table, the footer."""
        yield Static(Text("Reading the library…"), id="library-status")
        table: DataTable[Text] = DataTable(
            id="library-table", cursor_type="row", zebra_stripes=True
        )
        table.loading = True
        yield table
        yield Footer()

    def on_mount(self) -> None:
        """Set up the columns; rows arrive with :meth:`show_rows`."""
        table = self.query_one("#library-table", DataTable)
        table.add_column(Text("Title"), width=44, key="title")
        table.add_column(Text("Source"), width=16, key="source")
        table.add_column(Text("Date"), width=10, key="date")
        table.add_column(Text("Words", justify="right"), width=6, key="words")
        table.add_column(Text("Notes", justify="right"), width=5, key="notes")
        table.focus()

    def show_rows(self, rows: tuple[LibraryRow, ...], problems: tuple[str, ...]) -> None:
        """Fill the table (called on the UI thread once the worker has cleaned everything)."""
        table: DataTable[Text] = self.query_one("#library-table", DataTable)
        table.clear()
        self.entries = {row.entry.id: row.entry for row in rows}
        for row in rows:
            table.add_row(*row_cells(row), key=row.entry.id)
        table.loading = False
        count = len(rows)
        status = f"{count} article{'s' if count != 1 else ''}"
        if problems:
            status += f" · {len(problems)} could not be read"
        if not rows:
            status = "The library is empty. Add captures with: summit-reader add FILE..."
        self.query_one("#library-status", Static).update(Text(status))

    def action_cursor_down(self) -> None:
        """Select the next article."""
        self.query_one("#library-table", DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        """Select the previous article."""
        self.query_one("#library-table", DataTable).action_cursor_up()

    def action_open(self) -> None:
        """Open the selected article."""
        table = self.query_one("#library-table", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self._open(key)

    @on(DataTable.RowSelected, "#library-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value)

    def _open(self, key: str | None) -> None:
        entry = self.entries.get(key or "")
        if entry is not None:
            self.post_message(OpenArticle(entry))
