"""Modals that edit one highlight: its note (multi-line) and its tags (one line).

They only collect text and hand it back through ``dismiss``: the article screen owns the
highlights and saves every change through its store path, so an edit made here is saved,
kept pending on failure and undone exactly like a recolour.
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from summitreader.core.annotations import normalize_tags
from summitreader.core.textio import sanitize
from summitreader.ui.screens import DIALOGS_CSS
from summitreader.ui.screens.confirm import ConfirmScreen

#: How much of the quote the editors show as their title.
QUOTE_WIDTH = 60

_TAG_SEPARATORS = re.compile(r"[,\s]+")


def quote_title(label: str, quote: str) -> Text:
    """``label`` and the start of ``quote`` on one line, as plain text (the quote is untrusted)."""
    flat = " ".join(quote.split())
    if len(flat) > QUOTE_WIDTH:
        flat = flat[: QUOTE_WIDTH - 1].rstrip() + "…"
    title = Text(label, style="bold")
    title.append(f" “{flat}”", style="italic")
    return title


def parse_tags(value: str) -> tuple[str, ...]:
    """Tags as typed in one line: separated by commas or spaces, a leading ``#`` optional.

    Splitting on spaces too means ``#a #b`` and ``a, b`` both give two tags, which is what
    people type; the core's :func:`normalize_tags` then drops ``#`` and repeats.
    """
    return normalize_tags(_TAG_SEPARATORS.split(value))


class NoteEditor(ModalScreen[str | None]):
    """Edit a note; dismissed with the new text (``ctrl+s``) or ``None`` (cancelled).

    ``escape`` asks before discarding a changed text, since a note may be long.

    A stored note is kept verbatim, escape sequences included (it may have been imported),
    but a ``TextArea`` would write those to the terminal: the editor shows the note
    sanitised, and saving it unchanged hands back the stored note as it was.

    Args:
        note: the current note.
        quote: the highlighted text, shown above the editor so the reader knows what the
            note is about.
    """

    CSS_PATH = DIALOGS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="note_editor.save", tooltip="Save the note"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="note_editor.cancel",
            tooltip="Close without saving (asks first if the note was changed)",
        ),
    ]

    def __init__(self, note: str, quote: str) -> None:
        super().__init__(id="note-editor")
        self.original = note
        #: What the editor shows: the note without control or bidi-override characters.
        self.shown = sanitize(note)
        self.quote = quote

    def compose(self) -> ComposeResult:
        """The quote, a text area (it never parses markup), and the keys."""
        with Vertical(id="note-editor-box", classes="editor-box"):
            yield Static(quote_title("Note on", self.quote), classes="editor-title")
            yield TextArea(self.shown, id="note-text", soft_wrap=True)
            yield Static(Text("ctrl+s save · escape cancel"), classes="editor-hint")

    def on_mount(self) -> None:
        """Start typing at the end of the existing note."""
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        """What the editor holds now."""
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        """Hand the text back to be saved (the stored note itself when nothing changed)."""
        self.dismiss(self.original if self.text == self.shown else self.text)

    def action_cancel(self) -> None:
        """Close without saving; ask first when there is something to lose."""
        if self.text == self.shown:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard changes?"), answered)


class TagEditor(ModalScreen[tuple[str, ...] | None]):
    """Edit tags on one line; dismissed with the parsed tags (``enter``) or ``None``.

    Like the note editor, it shows the tags sanitised and hands back the stored ones when
    the line was not changed.

    Args:
        tags: the current tags.
        quote: the highlighted text, shown as the title.
    """

    CSS_PATH = DIALOGS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="tag_editor.cancel", tooltip="Keep the tags"),
    ]

    def __init__(self, tags: tuple[str, ...], quote: str) -> None:
        super().__init__(id="tag-editor")
        self.tags = tags
        #: What the input shows: the tags on one line, without control characters.
        self.shown = ", ".join(sanitize(tag) for tag in tags)
        self.quote = quote

    def compose(self) -> ComposeResult:
        """The quote, one input, and the keys."""
        with Vertical(id="tag-editor-box", classes="editor-box"):
            yield Static(quote_title("Tags for", self.quote), classes="editor-title")
            yield Input(
                self.shown,
                placeholder="tags, separated by commas or spaces",
                id="tags-input",
            )
            yield Static(Text("enter save · escape cancel"), classes="editor-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(self.tags if event.value == self.shown else parse_tags(event.value))

    def action_cancel(self) -> None:
        """Close without changing the tags."""
        self.dismiss(None)
