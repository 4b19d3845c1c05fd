"""A yes/no question in a small modal, answered with ``y`` or ``n`` (``escape`` is no).

Used before throwing away something the reader typed, so one stray ``escape`` never costs
them a note.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from summitreader.ui.screens import DIALOGS_CSS


class ConfirmScreen(ModalScreen[bool]):
    """Ask ``question``; dismissed with ``True`` for yes, ``False`` for no.

    "No" has the focus, so ``enter`` too keeps what the reader has: the safe answer is the
    easy one.

    Args:
        question: what to ask, shown as plain text.
    """

    CSS_PATH = DIALOGS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No"),
    ]

    AUTO_FOCUS = "#confirm-no"

    def __init__(self, question: str) -> None:
        super().__init__(id="confirm")
        self.question = question

    def compose(self) -> ComposeResult:
        """The question over two buttons, for the mouse."""
        with Vertical(id="confirm-box"):
            yield Static(Text(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(Text("Yes (y)"), id="confirm-yes", variant="error")
                yield Button(Text("No (n)"), id="confirm-no", variant="primary")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")
