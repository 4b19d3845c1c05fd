"""The key help: every binding active on the screen it was opened from.

Built from the declared :class:`~textual.binding.Binding` objects, never written by hand, so
it cannot drift from what the keys really do.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from summitreader.ui.screens import DIALOGS_CSS


def help_rows(
    bindings: dict[str, ActiveBinding], key_display: dict[str, str]
) -> list[tuple[str, str, str]]:
    """``(keys, description, tooltip)`` per action, keys that share an action merged."""
    grouped: dict[tuple[int, str], list[str]] = {}
    described: dict[tuple[int, str], tuple[str, str]] = {}
    for key, active in bindings.items():
        binding = active.binding
        if binding.system:
            continue
        ident = (id(active.node), binding.action)
        grouped.setdefault(ident, []).append(key_display.get(key, key))
        described.setdefault(ident, (binding.description or binding.action, binding.tooltip))
    return [(", ".join(keys), *described[ident]) for ident, keys in grouped.items()]


class HelpScreen(ModalScreen[None]):
    """A modal table of keys; any of its own keys closes it."""

    CSS_PATH = DIALOGS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, rows: list[tuple[str, str, str]], title: str) -> None:
        super().__init__()
        self.rows = rows
        self.title_text = title

    def compose(self) -> ComposeResult:
        """A title and the table of keys."""
        with Vertical(id="help-box"):
            yield Static(Text(self.title_text), id="help-title")
            yield DataTable(id="help-table", cursor_type="none", show_cursor=False)

    def on_mount(self) -> None:
        """Fill the table: plain ``Text`` cells, since descriptions may come from keymaps."""
        table: DataTable[Text] = self.query_one("#help-table", DataTable)
        table.add_column(Text("Keys"), key="keys")
        table.add_column(Text("Action"), key="action")
        table.add_column(Text("Details"), key="details")
        for keys, description, tooltip in self.rows:
            table.add_row(Text(keys, style="bold"), Text(description), Text(tooltip))
