"""The one-line search field of the article screen.

An :class:`~textual.widgets.Input` whose ``escape`` cancels the search instead of reaching
the screen (where it would close the article). What is typed is shown as typed: an Input
never parses markup.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class SearchBox(Input):
    """Type to search; Enter goes to the match, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Cancel search",
            id="search.cancel",
            tooltip="Close the search and clear its matches",
        ),
    ]

    class Cancelled(Message):
        """The reader gave up on the search."""

    def action_cancel(self) -> None:
        """Tell the screen; it clears the matches and hands the keys back to the text."""
        self.post_message(self.Cancelled())
