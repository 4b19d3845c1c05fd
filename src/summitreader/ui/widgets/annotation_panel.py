"""The article's notes as a list beside the text: reading order, orphans last.

An :class:`~textual.widgets.OptionList` whose options are built here from the annotations
the screen hands over; the panel never loads, anchors or changes anything. Choosing a placed
annotation posts :class:`AnnotationPanel.Chosen` so the screen can move its reading cursor;
choosing an orphan only says why there is nowhere to go.

Every prompt is a :class:`~rich.text.Text` built from plain strings: quotes come from captured
pages and notes and tags from the user, so none of it may be read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.style import StyleType
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from summitreader.core.annotations import COLORS, Annotation
from summitreader.ui.screens.all_notes import first_line, one_line
from summitreader.ui.widgets.article_view import wrap_spans

#: Drawn before a quote, in the highlight's colour.
SWATCH = "■ "
#: Drawn before the first line of a note.
NOTE_MARK = "✎ "
#: The title of the part of the list that holds the orphans.
ORPHANS_HEADING = "orphaned · no longer in the text"
#: Shown on each orphan, so it is marked even when the heading has scrolled away.
ORPHAN_MARK = "not found in the text"
#: Option id of the orphans' heading (annotation ids are uuids, so it cannot clash).
HEADING_ID = "-orphans-heading"
#: Option id of the line shown when there is nothing to list.
EMPTY_ID = "-empty"
#: Width used to build prompts before the panel has a size of its own.
FALLBACK_WIDTH = 32


def _fit(text: str, width: int, style: str = "") -> Text:
    """``text`` on one line of at most ``width`` cells, with an ellipsis when it is cut."""
    line = Text(text, style=style)
    line.truncate(max(1, width), overflow="ellipsis")
    return line


def annotation_prompt(
    annotation: Annotation, width: int, *, orphan: bool = False, swatch: StyleType = ""
) -> Text:
    """What the panel shows for one annotation, at most ``width`` cells per line.

    The quote takes up to two lines (cut with an ellipsis), behind a swatch in the
    highlight's colour; then the first line of the note and the tags, when there are any.
    An orphan also says it is no longer found, so it reads as one out of context.

    Args:
        annotation: the annotation to show.
        width: the cells available to the prompt.
        orphan: the annotation's quote is no longer in the article's text.
        swatch: the style of the swatch (the panel's component style for the colour).
    """
    indent = cell_len(SWATCH)
    room = max(1, width - indent)
    quote = one_line(annotation.exact)
    spans = wrap_spans(quote, room)
    prompt = Text()
    prompt.append(SWATCH, style=swatch)
    quote_style = "dim" if orphan else ""
    prompt.append_text(_fit(quote[spans[0][0] : spans[0][1]].rstrip(), room, quote_style))
    if len(spans) > 1:
        prompt.append("\n" + " " * indent)
        prompt.append_text(_fit(quote[spans[1][0] :], room, quote_style))
    note = first_line(annotation.note)
    if note:
        prompt.append("\n" + " " * indent)
        prompt.append_text(_fit(NOTE_MARK + note, room, "italic"))
    if annotation.tags:
        tags = " ".join(f"#{one_line(tag)}" for tag in annotation.tags)
        prompt.append("\n" + " " * indent)
        prompt.append_text(_fit(tags, room, "bold"))
    if orphan:
        prompt.append("\n" + " " * indent)
        prompt.append_text(_fit(ORPHAN_MARK, room, "italic red"))
    return prompt


class AnnotationPanel(OptionList):
    """One article's annotations: placed ones in reading order, then the orphans.

    The screen calls :meth:`show_annotations` whenever its highlights change; the highlighted
    row stays on the same annotation when it is still listed.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select",
            "Go to",
            id="panel.select",
            tooltip="Move the reading cursor to this highlight",
        ),
        Binding("j", "cursor_down", "Down", id="panel.down", show=False, tooltip="Next note"),
        Binding("k", "cursor_up", "Up", id="panel.up", show=False, tooltip="Previous note"),
        Binding(
            "escape",
            "leave",
            "Back to text",
            id="panel.leave",
            tooltip="Give the keys back to the article (the panel stays open)",
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"annotation-panel--{color}" for color in COLORS}

    #: The swatches use the same hues as the highlights in :class:`ArticleView`.
    DEFAULT_CSS = """
    AnnotationPanel {
        height: 1fr;
        max-height: 100%;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    AnnotationPanel > .option-list--option-disabled {
        color: $text-muted;
        text-style: bold;
    }
    AnnotationPanel > .annotation-panel--yellow {
        color: #e5b400;
    }
    AnnotationPanel > .annotation-panel--green {
        color: #2ec27e;
    }
    AnnotationPanel > .annotation-panel--blue {
        color: #3584e4;
    }
    AnnotationPanel > .annotation-panel--pink {
        color: #f66195;
    }
    AnnotationPanel > .annotation-panel--purple {
        color: #9a5cd0;
    }
    """

    class Chosen(Message):
        """Enter (or a click) on an annotation that is placed in the text.

        Attributes:
            annotation: the annotation chosen, as the panel last received it.
        """

        def __init__(self, panel: AnnotationPanel, annotation: Annotation) -> None:
            super().__init__()
            self.panel = panel
            self.annotation = annotation

        @property
        def control(self) -> AnnotationPanel:
            """The panel the choice was made in."""
            return self.panel

    class Left(Message):
        """Escape in the panel: the screen gives the keys back to the text."""

        def __init__(self, panel: AnnotationPanel) -> None:
            super().__init__()
            self.panel = panel

        @property
        def control(self) -> AnnotationPanel:
            """The panel that was left."""
            return self.panel

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.placed: tuple[Annotation, ...] = ()
        self.orphans: tuple[Annotation, ...] = ()
        self._built_width = 0

    def on_mount(self) -> None:
        """Say there is nothing yet until the screen hands over its highlights."""
        super().on_mount()
        if not self.options:
            self._rebuild()

    # -- what is listed ---------------------------------------------------------------

    def show_annotations(self, placed: Sequence[Annotation], orphans: Sequence[Annotation]) -> None:
        """List ``placed`` (already in reading order) and then ``orphans``.

        Keeps the highlight on the same annotation if it is still listed, else on the row
        at the same position (the neighbour of a deleted one).
        """
        self.placed = tuple(placed)
        self.orphans = tuple(orphans)
        self._rebuild()

    def annotation_ids(self) -> list[str]:
        """The ids of the annotations listed, top to bottom (orphans last)."""
        return [a.id for a in (*self.placed, *self.orphans)]

    def is_orphan(self, ident: str) -> bool:
        """Whether the annotation ``ident`` is listed as an orphan."""
        return any(a.id == ident for a in self.orphans)

    @property
    def highlighted_id(self) -> str | None:
        """The id of the highlighted annotation, or ``None``."""
        option = self.highlighted_option
        if option is None or option.id in (HEADING_ID, EMPTY_ID):
            return None
        return option.id

    def _prompt_width(self) -> int:
        width = self.scrollable_content_region.width
        return width if width > 0 else FALLBACK_WIDTH

    def _swatch(self, annotation: Annotation) -> StyleType:
        name = f"annotation-panel--{annotation.color}"
        if not self.is_mounted or name not in self.COMPONENT_CLASSES:
            return ""
        return self.get_component_rich_style(name, partial=True)

    def _rebuild(self) -> None:
        """Replace every option (prompts depend on the width, so a resize rebuilds too)."""
        keep_id = self.highlighted_id
        keep_index = self.highlighted
        width = self._prompt_width()
        self._built_width = width
        options: list[Option | None] = [
            Option(annotation_prompt(a, width, swatch=self._swatch(a)), id=a.id)
            for a in self.placed
        ]
        if self.orphans:
            if options:
                options.append(None)
            options.append(Option(_fit(ORPHANS_HEADING, width), id=HEADING_ID, disabled=True))
            options.extend(
                Option(annotation_prompt(a, width, orphan=True, swatch=self._swatch(a)), id=a.id)
                for a in self.orphans
            )
        if not options:
            empty = Text("No highlights yet:\nh highlights a sentence.")
            options.append(Option(empty, id=EMPTY_ID, disabled=True))
        self.set_options(options)
        self.border_title = f"Notes · {len(self.placed) + len(self.orphans)}"
        if keep_id is not None and keep_id in self.annotation_ids():
            self.highlighted = self.get_option_index(keep_id)
        elif keep_index is not None:
            self.highlighted = keep_index
            if self.highlighted_option is not None and self.highlighted_option.disabled:
                self.action_cursor_down()
        else:
            self.action_first()

    def on_resize(self, event: events.Resize) -> None:
        """Re-cut the prompts to the new width (the panel is narrower on small terminals)."""
        if self._prompt_width() != self._built_width:
            self._rebuild()

    # -- keys -------------------------------------------------------------------------

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        """A placed annotation is posted to the screen; an orphan has nowhere to go."""
        event.stop()
        ident = event.option.id
        for annotation in self.placed:
            if annotation.id == ident:
                self.post_message(self.Chosen(self, annotation))
                return
        if ident is not None and self.is_orphan(ident):
            self.notify(
                "This highlight's passage is no longer found in the text, so there is "
                "nowhere to go. Its quote and note are kept.",
                severity="warning",
                markup=False,
            )

    def action_leave(self) -> None:
        """Give the keys back to the text."""
        self.post_message(self.Left(self))
