"""The screen check itself: it must catch what it is there to catch.

The hostile tests pass when ``check_screen`` finds nothing; these make sure it would find a
raw escape, a tab, a hyperlink or a click action, drawn the ways a widget could draw them.
"""

from __future__ import annotations

import asyncio

import pytest
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from .screen import check_screen


class _One(App[None]):
    def __init__(self, text: Text) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.text)


def _check(text: Text) -> str:
    async def run() -> str:
        app = _One(text)
        async with app.run_test(size=(40, 5)) as pilot:
            await pilot.pause()
            return check_screen(app)

    return asyncio.run(run())


def test_plain_text_passes_and_is_returned() -> None:
    assert "plain words" in _check(Text("plain words [b]literal[/b]"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (Text("colour \x1b[31mred"), "control character"),
        (Text("osc \x1b]52;c;Zm9v\x07"), "control character"),
        (Text("c1 \x9b31m"), "control character"),
        (Text("bidi \u202eevil"), "control character"),
        (Text("link", style=Style(link="file:///etc/passwd")), "hyperlink"),
        (Text.from_markup("[@click=app.quit]quit[/]"), "click action"),
    ],
    ids=["esc", "osc52", "c1", "bidi", "link", "click"],
)
def test_what_could_drive_a_terminal_is_caught(text: Text, message: str) -> None:
    with pytest.raises(AssertionError, match=message):
        _check(text)
