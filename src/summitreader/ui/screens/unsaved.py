"""Asked on quitting while some highlight changes could not be saved: what to do with them.

The changes exist only in memory at that point (the store refused them), so quitting
silently would lose notes the reader cannot re-create. The dialog says how many and why, and
offers to export them to a file that ``summit-reader import`` reads back, to try saving
again, to quit anyway or to stay.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from summitreader.ui.screens import DIALOGS_CSS

#: What the reader chose.
UnsavedChoice = Literal["export", "retry", "quit", "cancel"]


class UnsavedScreen(ModalScreen[UnsavedChoice]):
    """Say that ``count`` changes are not saved and why; dismissed with the reader's choice.

    "Cancel" has the focus, so a reflexive ``enter`` keeps the reader in the app with the
    changes still held: the safe answer is the easy one.

    Args:
        count: how many highlight changes are not saved.
        why: the store's last error, one line, shown as plain text.
        note: what became of the last choice (where the export went, or why it failed).
        exported: the changes are in an export file already: "Quit anyway" becomes "Quit".
    """

    CSS_PATH = DIALOGS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "choose('export')", "Export them", id="unsaved.export"),
        Binding("r", "choose('retry')", "Retry", id="unsaved.retry"),
        Binding("q", "choose('quit')", "Quit anyway", id="unsaved.quit"),
        Binding("c,escape", "choose('cancel')", "Cancel", id="unsaved.cancel"),
    ]

    AUTO_FOCUS = "#unsaved-cancel"

    def __init__(
        self, count: int, why: str, *, note: str | None = None, exported: bool = False
    ) -> None:
        # No id: the next question is pushed while this one is still closing.
        super().__init__()
        self.count = count
        self.why = why
        self.note = note
        self.exported = exported

    @property
    def message(self) -> str:
        """What the dialog says, as plain text (the reason and the path are untrusted)."""
        changes = f"{self.count} highlight change{'s' if self.count != 1 else ''}"
        lines = [f"{changes} {'are' if self.count != 1 else 'is'} not saved: {self.why}"]
        if self.note:
            lines.append(self.note)
        if not self.exported:
            lines.append("Quitting now loses them. Export them to a file you can import later?")
        return "\n\n".join(lines)

    def compose(self) -> ComposeResult:
        """The message over four buttons, for the mouse."""
        quit_label = "Quit (q)" if self.exported else "Quit anyway (q)"
        with Vertical(id="unsaved-box"):
            yield Static(Text(self.message), id="unsaved-message")
            with Horizontal(id="unsaved-buttons"):
                yield Button(Text("Export them (x)"), id="unsaved-export", variant="primary")
                yield Button(Text("Retry (r)"), id="unsaved-retry")
                yield Button(Text(quit_label), id="unsaved-quit", variant="error")
                yield Button(Text("Cancel (c)"), id="unsaved-cancel")

    def action_choose(self, choice: UnsavedChoice) -> None:
        """Close with the choice; the app acts on it."""
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choices: dict[str | None, UnsavedChoice] = {
            "unsaved-export": "export",
            "unsaved-retry": "retry",
            "unsaved-quit": "quit",
        }
        self.dismiss(choices.get(event.button.id, "cancel"))
