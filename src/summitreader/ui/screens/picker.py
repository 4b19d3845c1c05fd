"""Moving and opening in a screen built around one table (the library, the notes list)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable


class TablePicker:
    """Cursor keys and Enter for a screen whose rows open something.

    The keys work from the screen as well as from the table itself, so they still act while
    the focus is in the screen's filter box. Subclasses say which table, and what opening a
    row (by its key) means.
    """

    @property
    def table(self) -> DataTable[Text]:
        """The screen's table."""
        raise NotImplementedError

    def _open(self, key: str | None) -> None:
        raise NotImplementedError

    def _cursor_key(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_cursor_down(self) -> None:
        """Select the next row."""
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        """Select the previous row."""
        self.table.action_cursor_up()

    def action_open(self) -> None:
        """Open the selected row."""
        self._open(self._cursor_key())
