"""The article body as a line-API view: only the visible lines are ever rendered.

Built like Textualize/toolong's ``log_lines.py``: a :class:`~textual.scroll_view.ScrollView`
whose :meth:`ArticleView.render_line` turns one wrapped line into a
:class:`~textual.strip.Strip`. Mounting one widget per paragraph, or a read-only ``TextArea``,
is an order of magnitude slower on long articles (STYLE.md, practice 4).

The reading cursor is a code-point offset into :attr:`Article.text`, never a screen row, so it
survives a resize or a different terminal width: the row is looked up in the line index,
which is rebuilt whenever the width changes.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar, Literal

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from summitreader.core.annotations import COLORS
from summitreader.core.models import PARAGRAPH_SEPARATOR, Article, Removed
from summitreader.core.spans import paragraph_at, sentence_at, word_at

#: The widest the text column gets: long lines are hard to read.
MAX_COLUMN = 80
#: Rendered strips kept; a few screens' worth is plenty because only visible lines render.
CACHE_SIZE = 1024

LineKind = Literal["paragraph", "heading", "blank", "chrome", "chrome-label"]

#: Lines the cursor can sit on (the others are gaps, or chrome shown for reference only).
CONTENT_KINDS = frozenset({"paragraph", "heading"})

_WORD = re.compile(r"\S+\s*|\s+")
#: A character that can be part of a word (see :func:`~summitreader.core.spans.word_at`).
_WORD_CHARS = re.compile(r"\w")

#: Drawn in the left margin of the first line of a highlight that carries a note.
NOTE_MARKER = "▍"


@dataclass(frozen=True)
class WrappedLine:
    """One screen line of the article at a given width.

    Attributes:
        paragraph: index of the paragraph in :attr:`Article.paragraphs` (for a blank line,
            the paragraph it follows).
        start: offset in :attr:`Article.text` of the first code point shown.
        end: offset just past the last code point covered (trailing spaces included, so the
            lines of a paragraph tile it without gaps).
        kind: ``paragraph``, ``heading``, ``blank`` for the gap between paragraphs, or
            ``chrome-label``/``chrome`` for a removed block shown on request.
        chrome: for chrome lines, the index of the block in :attr:`Article.removed`.
        piece: for chrome lines, the ``(start, end)`` of the part of the block's text shown.
    """

    paragraph: int
    start: int
    end: int
    kind: LineKind
    chrome: int = -1
    piece: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class HighlightSpan:
    """A highlight as the view draws it: already resolved against the current text.

    The view never anchors anything itself (the screen resolves annotations through the
    core); it only paints these spans.

    Attributes:
        id: the annotation's id, so the screen can tell which one is under the cursor.
        start, end: offsets into :attr:`Article.text`, ``end`` exclusive.
        color: one of :data:`~summitreader.core.annotations.COLORS`.
        has_note: draw a marker in the margin of the highlight's first line.
    """

    id: str
    start: int
    end: int
    color: str
    has_note: bool = False


def wrap_spans(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text`` to ``width`` cells, as ``(start, end)`` offsets.

    Offsets rather than strings, so every line knows which part of the canonical text it
    shows. Words wider than the line are cut by cells. Always returns at least one span.
    """
    width = max(1, width)
    spans: list[tuple[int, int]] = []
    start = 0
    used = 0  # cells since ``start``, trailing spaces included
    # Printable ASCII is one cell a character (control characters were stripped at load):
    # ``len`` then measures exactly, several times faster than asking rich per word.
    cells = len if text.isascii() else cell_len
    for match in _WORD.finditer(text):
        token = match.group()
        word_cells = cells(token.rstrip())
        if used and used + word_cells > width:
            spans.append((start, match.start()))
            start, used = match.start(), 0
        if word_cells > width:
            # A word longer than a line: cut it where the cells run out.
            for offset, char in enumerate(token.rstrip(), match.start()):
                size = get_character_cell_size(char)
                if used and used + size > width:
                    spans.append((start, offset))
                    start, used = offset, 0
                used += size
            used += cells(token) - word_cells
        else:
            used += cells(token)
    spans.append((start, len(text)))
    return spans


def chrome_text(block: Removed) -> str:
    """A removed block on one line: its lines joined, white space collapsed."""
    return " ".join(block.text.split())


def build_index(article: Article, width: int, *, chrome: bool = False) -> list[WrappedLine]:
    """Wrap every paragraph to ``width`` cells, with a blank line between paragraphs.

    With ``chrome``, the blocks the cleaner removed are placed where they stood: a label
    line with the reason (one for a run of blocks removed for the same reason), then the
    blocks' text. Their lines all start at the offset of the
    paragraph that follows them, so every offset still maps to the same paragraph line.
    """
    blocks: dict[int, list[int]] = {}
    if chrome:
        for number, block in enumerate(article.removed):
            position = max(0, min(block.position, len(article.paragraphs)))
            blocks.setdefault(position, []).append(number)
    lines: list[WrappedLine] = []
    offset = 0

    def add_chrome(position: int, at: int) -> None:
        reason = None
        for number in blocks.get(position, ()):
            block = article.removed[number]
            if block.reason != reason:  # one label over a run of blocks removed alike
                reason = block.reason
                if lines:
                    lines.append(WrappedLine(position, at, at, "blank"))
                lines.append(WrappedLine(position, at, at, "chrome-label", number))
            shown = chrome_text(block)
            for start, end in wrap_spans(shown, width):
                lines.append(WrappedLine(position, at, at, "chrome", number, (start, end)))

    for number, paragraph in enumerate(article.paragraphs):
        if number:
            lines.append(
                WrappedLine(number - 1, offset - len(PARAGRAPH_SEPARATOR), offset, "blank")
            )
        if number in blocks:
            add_chrome(number, offset)
            lines.append(WrappedLine(number, offset, offset, "blank"))
        kind: LineKind = "heading" if paragraph.kind == "heading" else "paragraph"
        for start, end in wrap_spans(paragraph.text, width):
            lines.append(WrappedLine(number, offset + start, offset + end, kind))
        offset += len(paragraph.text) + len(PARAGRAPH_SEPARATOR)
    add_chrome(len(article.paragraphs), len(article.text))
    return lines


@dataclass(frozen=True)
class MatchSpan:
    """A search match to paint: ``[start, end)`` in :attr:`Article.text`."""

    start: int
    end: int


#: The units a selection can be made of, and extended by, from the keyboard.
Unit = Literal["word", "sentence", "paragraph"]

_UNIT_AT = {"word": word_at, "sentence": sentence_at, "paragraph": paragraph_at}


class ArticleView(ScrollView, can_focus=True):
    """The scrolling body of one article, with a reading cursor kept as a text offset.

    The cursor sits on one character (a code-point offset into ``article.text``); a selection
    runs from an *anchor* offset to the cursor, end exclusive. Plain motions drop the
    selection, shifted motions extend it, and in selection mode (``v``) every motion extends
    it, so a passage can be chosen with the keys a reader already uses to move.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", id="view.down", tooltip="Next line", show=False),
        Binding("k,up", "cursor_up", "Up", id="view.up", tooltip="Previous line", show=False),
        Binding(
            "right", "cursor_right", "Right", id="view.right", show=False, tooltip="Next character"
        ),
        Binding(
            "left", "cursor_left", "Left", id="view.left", show=False, tooltip="Previous character"
        ),
        Binding(
            "ctrl+right",
            "word_right",
            "Next word",
            id="view.word_right",
            show=False,
            tooltip="Move to the end of the next word",
        ),
        Binding(
            "ctrl+left",
            "word_left",
            "Previous word",
            id="view.word_left",
            show=False,
            tooltip="Move to the start of the previous word",
        ),
        Binding(
            "shift+right",
            "extend_right",
            "Extend right",
            id="view.extend_right",
            show=False,
            tooltip="Extend the selection by a character",
        ),
        Binding(
            "shift+left",
            "extend_left",
            "Extend left",
            id="view.extend_left",
            show=False,
            tooltip="Shrink or extend the selection backwards by a character",
        ),
        Binding(
            "shift+down",
            "extend_down",
            "Extend down",
            id="view.extend_down",
            show=False,
            tooltip="Extend the selection by a line",
        ),
        Binding(
            "shift+up",
            "extend_up",
            "Extend up",
            id="view.extend_up",
            show=False,
            tooltip="Extend the selection backwards by a line",
        ),
        Binding(
            "ctrl+shift+right",
            "extend_word_right",
            "Extend word",
            id="view.extend_word_right",
            show=False,
            tooltip="Extend the selection to the end of the next word",
        ),
        Binding(
            "ctrl+shift+left",
            "extend_word_left",
            "Extend word back",
            id="view.extend_word_left",
            show=False,
            tooltip="Extend the selection back to the start of the previous word",
        ),
        Binding(
            "w",
            "select_word",
            "Word",
            id="view.select_word",
            show=False,
            tooltip="Select the word here; again to add the next word",
        ),
        Binding(
            "s",
            "select_sentence",
            "Sentence",
            id="view.select_sentence",
            show=False,
            tooltip="Select the sentence here; again to add the next sentence",
        ),
        Binding(
            "p",
            "select_paragraph",
            "Paragraph",
            id="view.select_paragraph",
            show=False,
            tooltip="Select the paragraph here; again to add the next paragraph",
        ),
        Binding(
            "v",
            "selection_mode",
            "Select",
            id="view.selection_mode",
            tooltip="Selection mode: every motion extends the selection (v again ends it)",
        ),
        Binding(
            "c",
            "toggle_chrome",
            "Chrome",
            id="view.chrome",
            show=False,
            tooltip="Show or hide what the cleaner removed (share rows, captions...), "
            "inline and dimmed, with the reason",
        ),
        Binding(
            "escape",
            "clear_selection",
            "Clear selection",
            id="view.clear_selection",
            show=False,
            tooltip="Drop the selection (with none, go back)",
        ),
        Binding("space,pagedown", "page_down", "Page down", id="view.page_down", show=False),
        Binding("b,pageup", "page_up", "Page up", id="view.page_up", show=False),
        Binding("g,home", "top", "Top", id="view.top", tooltip="Start of the article", show=False),
        Binding(
            "G,end", "bottom", "Bottom", id="view.bottom", tooltip="End of the article", show=False
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--heading",
        "article-view--chrome",
        "article-view--chrome-label",
        "article-view--cursor-line",
        "article-view--cursor",
        "article-view--selection",
        "article-view--match",
        "article-view--match-current",
        *(f"article-view--hl-{color}" for color in COLORS),
    }

    DEFAULT_CSS = """
    ArticleView {
        overflow-y: scroll;
        overflow-x: hidden;
        background: $surface;
        color: $foreground;
    }
    ArticleView > .article-view--heading {
        text-style: bold;
        color: $accent;
    }
    /* Removed page furniture, shown on request: dimmed, set apart, labelled. */
    ArticleView > .article-view--chrome {
        color: $text-muted;
        text-style: italic;
    }
    ArticleView > .article-view--chrome-label {
        color: $text-warning;
        text-style: bold dim;
    }
    /* The line the cursor is on: a faint band, blended by hand (see _tint). */
    ArticleView > .article-view--cursor-line {
        background: $foreground 6%;
    }
    ArticleView:focus > .article-view--cursor-line {
        background: $accent 18%;
    }
    /* The character the cursor is on: a solid block in the accent colour, drawn over
       everything else (no other layer uses an opaque accent background). */
    ArticleView > .article-view--cursor {
        background: $accent;
        color: $background;
        text-style: bold;
    }
    /* The selection swaps text and background: a highlight under it shows as coloured
       text, so both stay visible where they overlap. */
    ArticleView > .article-view--selection {
        text-style: reverse;
    }
    /* Search matches: underlined (no other layer is), on a teal band. */
    ArticleView > .article-view--match {
        background: #00a3a3 35%;
        text-style: underline;
    }
    ArticleView > .article-view--match-current {
        background: #00a3a3 85%;
        text-style: bold underline;
    }
    /* Highlights: translucent tints, so the theme's text colour stays readable on both a
       dark and a light surface. */
    ArticleView > .article-view--hl-yellow {
        background: #e5b400 40%;
    }
    ArticleView > .article-view--hl-green {
        background: #2ec27e 35%;
    }
    ArticleView > .article-view--hl-blue {
        background: #3584e4 40%;
    }
    ArticleView > .article-view--hl-pink {
        background: #f66195 40%;
    }
    ArticleView > .article-view--hl-purple {
        background: #9a5cd0 45%;
    }
    """

    #: The reading cursor: a code-point offset into ``article.text``.
    cursor_offset: reactive[int] = reactive(0, init=False, always_update=False)
    #: Selection mode (``v``): motions extend the selection instead of dropping it.
    selecting: reactive[bool] = reactive(False, init=False)
    #: Show the blocks the cleaner removed, inline, dimmed and labelled.
    show_chrome: reactive[bool] = reactive(False, init=False)

    class CursorMoved(Message):
        """The cursor or the selection changed (coalesced when keys repeat)."""

        def __init__(self, view: ArticleView, offset: int) -> None:
            super().__init__()
            self.view = view
            self.offset = offset

        @property
        def control(self) -> ArticleView:
            """The view whose cursor moved."""
            return self.view

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticleView.CursorMoved) and message.view is self.view

    def __init__(
        self,
        article: Article,
        *,
        offset: int = 0,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.article = article
        self.lines: list[WrappedLine] = []
        self._starts: list[int] = []
        self._content_rows: list[int] = []  # indexes of non-blank lines, in order
        self._wrap_width = 0
        self._column_width = 0
        #: Bumped whenever what a line looks like changes for reasons other than its index,
        #: width, cursor or selection (theme, highlights, matches): part of every cache key.
        self.version = 0
        self._cache: LRUCache[tuple[int, int, int, int, int, int], Strip] = LRUCache(CACHE_SIZE)
        self._styles: dict[str, Style] = {}
        #: What is painted, sorted by start (later starts are drawn over earlier ones).
        self.highlights: tuple[HighlightSpan, ...] = ()
        self._hl_starts: list[int] = []
        self._hl_max_len = 0
        #: Search matches, sorted by start, and the index of the current one (or -1).
        self.matches: tuple[MatchSpan, ...] = ()
        self._match_starts: list[int] = []
        self.current_match = -1
        #: The other end of the selection, or ``None`` when nothing is selected.
        self.mark: int | None = None
        #: The cell column vertical moves aim for, kept across short lines.
        self._goal_cell: int | None = None
        self._dragging = False
        #: The line index must be rebuilt even at the same width (chrome shown or hidden).
        self._stale = False
        self.set_reactive(ArticleView.cursor_offset, self._cursor_spot(self._clamp(offset)))

    # -- the line index ---------------------------------------------------------------

    def _clamp(self, offset: int) -> int:
        return max(0, min(offset, len(self.article.text)))

    def _cursor_spot(self, offset: int) -> int:
        """``offset``, moved out of the middle of a paragraph break (no line shows it)."""
        text = self.article.text
        if 0 < offset < len(text) and text[offset - 1 : offset + 1] == PARAGRAPH_SEPARATOR:
            return offset + 1
        return offset

    def _column_for(self, width: int) -> int:
        return max(10, min(MAX_COLUMN, width - 2))

    def rebuild(self, width: int) -> None:
        """Re-wrap the article for a viewport ``width`` cells wide and keep the cursor in view."""
        column = self._column_for(width)
        self._column_width = column
        if column != self._wrap_width or not self.lines or self._stale:
            self._wrap_width = column
            self._stale = False
            self.lines = build_index(self.article, column, chrome=self.show_chrome)
            self._starts = [line.start for line in self.lines]
            self._content_rows = [
                n for n, line in enumerate(self.lines) if line.kind in CONTENT_KINDS
            ]
            self._cache.clear()
        self.virtual_size = Size(width, len(self.lines))
        self.scroll_to_cursor(center=True)
        self.refresh()

    def row_for_offset(self, offset: int) -> int:
        """The (non-blank) line index that shows ``offset``.

        The end of a paragraph belongs to its last line (a cursor or selection can end
        there); an offset inside a paragraph break belongs to the next paragraph.
        """
        if not self._content_rows:
            return 0
        row = max(0, bisect_right(self._starts, offset) - 1)
        line = self.lines[row]
        if line.kind in CONTENT_KINDS and (offset <= line.end or row + 1 == len(self.lines)):
            return row
        before = bisect_left(self._content_rows, row) - 1
        if before >= 0 and self.lines[self._content_rows[before]].end == offset:
            return self._content_rows[before]
        return self._content_row_from(row + 1)

    def _content_row_from(self, row: int) -> int:
        """The first content line at or after ``row``, or the last one: O(log n)."""
        index = bisect_left(self._content_rows, row)
        return self._content_rows[min(index, len(self._content_rows) - 1)]

    @property
    def cursor_row(self) -> int:
        """The line index the cursor is on."""
        return self.row_for_offset(self.cursor_offset)

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected span ``(start, end)``, end exclusive, or ``None``."""
        if self.mark is None or self.mark == self.cursor_offset:
            return None
        return min(self.mark, self.cursor_offset), max(self.mark, self.cursor_offset)

    def _line_end(self, row: int) -> int:
        """The last offset the cursor may take on ``row`` without moving to the next line."""
        line = self.lines[row]
        last_of_paragraph = (
            row + 1 >= len(self.lines) or self.lines[row + 1].kind not in CONTENT_KINDS
        )
        return line.end if last_of_paragraph else max(line.start, line.end - 1)

    def offset_at_cell(self, row: int, cell: int) -> int:
        """The offset shown at ``cell`` columns into the text of ``row`` (clamped to it)."""
        line = self.lines[row]
        used = 0
        text = self.article.text
        for offset in range(line.start, self._line_end(row)):
            used += get_character_cell_size(text[offset])
            if used > cell:
                return offset
        return self._line_end(row)

    def cell_of(self, offset: int) -> int:
        """How many cells into its line ``offset`` is drawn."""
        line = self.lines[self.row_for_offset(offset)]
        return cell_len(self.article.text[line.start : max(line.start, offset)])

    def offset_at_point(self, x: int, y: int) -> int | None:
        """The offset under the widget-relative point ``(x, y)``, or ``None`` off the text."""
        if not self._content_rows:
            return None
        row = int(self.scroll_offset.y) + y
        row = max(0, min(row, len(self.lines) - 1))
        if self.lines[row].kind not in CONTENT_KINDS:
            row = self._content_row_from(row)
        margin = max(0, (self.scrollable_content_region.width - self._column_width) // 2)
        return self.offset_at_cell(row, max(0, x - margin))

    # -- events -----------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        """Re-wrap at the new width: the cursor offset stays, its row is looked up again."""
        self.rebuild(self.scrollable_content_region.width)

    def on_mount(self) -> None:
        """Wrap at the starting width (a resize event may not follow when nothing changes)."""
        if self.scrollable_content_region.width:
            self.rebuild(self.scrollable_content_region.width)

    def notify_style_update(self) -> None:
        """Styles changed (a new theme): cached strips hold old colours, so drop them."""
        self.version += 1
        self._cache.clear()
        self._styles.clear()
        super().notify_style_update()

    def watch_cursor_offset(self, old: int, new: int) -> None:
        """Repaint only the lines between the old and new cursor and keep it on screen."""
        if self.lines:
            self._refresh_between(old, new)
            self.scroll_to_cursor()
        self.post_message(self.CursorMoved(self, new))

    def watch_selecting(self, selecting: bool) -> None:
        """Entering selection mode anchors the selection at the cursor."""
        if selecting and self.mark is None:
            self.mark = self.cursor_offset
        self.post_message(self.CursorMoved(self, self.cursor_offset))

    def watch_show_chrome(self) -> None:
        """Re-wrap with or without the removed blocks; the cursor stays on its text."""
        self._stale = True
        if self.scrollable_content_region.width:
            self.rebuild(self.scrollable_content_region.width)

    def action_toggle_chrome(self) -> None:
        """Show the removed blocks inline, or hide them again."""
        if not self.article.removed:
            self.notify("Nothing was removed from this article.", markup=False, timeout=3)
            return
        self.show_chrome = not self.show_chrome
        count = len(self.article.removed)
        if self.show_chrome:
            self.notify(
                f"Showing {count} removed block{'s' if count != 1 else ''}, dimmed; c hides them.",
                markup=False,
                timeout=3,
            )

    def _refresh_between(self, a: int, b: int) -> None:
        if not self.lines:
            return
        first, last = self.row_for_offset(min(a, b)), self.row_for_offset(max(a, b))
        self.refresh_lines(first, last - first + 1)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Start a selection (or just place the cursor) where the mouse went down."""
        if event.button != 1:
            return
        offset = self.offset_at_point(event.x, event.y)
        if offset is None:
            return
        self.focus()
        self.clear_selection()
        self._goal_cell = None
        self.cursor_offset = offset
        self.mark = offset
        self._dragging = True
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Dragging extends the selection to the character under the mouse."""
        if not self._dragging:
            return
        offset = self.offset_at_point(event.x, event.y)
        if offset is not None:
            self.cursor_offset = offset

    def on_mouse_up(self, event: events.MouseUp) -> None:
        """End a drag; a click without a drag leaves no selection behind."""
        if not self._dragging:
            return
        self._dragging = False
        self.capture_mouse(False)
        if self.mark == self.cursor_offset and not self.selecting:
            self.mark = None
        self.post_message(self.CursorMoved(self, self.cursor_offset))

    def on_click(self, event: events.Click) -> None:
        """A double click selects the word under the mouse, a triple click its paragraph."""
        if event.chain < 2:
            return
        offset = self.offset_at_point(event.x, event.y)
        if offset is None:
            return
        unit = word_at if event.chain == 2 else paragraph_at
        start, end = unit(self.article.text, offset)
        if start < end:
            self.select(start, end)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        """The wheel scrolls the page; the cursor follows so it is always on screen."""
        self.call_after_refresh(self._cursor_into_view)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        """The wheel scrolls the page; the cursor follows so it is always on screen."""
        self.call_after_refresh(self._cursor_into_view)

    def _cursor_into_view(self) -> None:
        if not self._content_rows:
            return
        top = int(self.scroll_offset.y)
        height = max(1, self.scrollable_content_region.height)
        row = self.cursor_row
        if row < top:
            self._move_to_row(top, extend=self.selecting)
        elif row >= top + height:
            target = self._content_rows[
                max(0, bisect_right(self._content_rows, top + height - 1) - 1)
            ]
            self._move_to_row(target, extend=self.selecting)

    # -- scrolling --------------------------------------------------------------------

    def scroll_to_cursor(self, *, center: bool = False) -> None:
        """Scroll just enough for the cursor line to be visible (or centre it)."""
        if not self.lines:
            return
        row = self.cursor_row
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_offset.y)
        if center and not top <= row < top + height:
            self.scroll_to(y=max(0, row - height // 3), animate=False, immediate=True)
        elif row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    # -- moving and selecting ---------------------------------------------------------

    def _go(self, offset: int, *, extend: bool = False, keep_goal: bool = False) -> None:
        """Move the cursor to ``offset``; extend the selection, or drop it.

        Every motion comes through here, so "plain moves drop the selection, shifted ones
        and those in selection mode extend it" is decided in one place.
        """
        offset = self._cursor_spot(self._clamp(offset))
        extend = extend or self.selecting
        if extend and self.mark is None:
            self.mark = self.cursor_offset
        elif not extend and self.mark is not None:
            self._drop_anchor()
        if not keep_goal:
            self._goal_cell = None
        self.cursor_offset = offset

    def _drop_anchor(self) -> None:
        if self.mark is not None:
            old = self.mark
            self.mark = None
            self._refresh_between(old, self.cursor_offset)

    def clear_selection(self) -> None:
        """Drop the selection and leave selection mode."""
        self._drop_anchor()
        if self.selecting:
            self.selecting = False
        else:
            self.post_message(self.CursorMoved(self, self.cursor_offset))

    def select(self, start: int, end: int) -> None:
        """Select ``[start, end)``, the cursor at its end."""
        self._drop_anchor()
        self._goal_cell = None
        self.cursor_offset = self._clamp(start)
        self.mark = self._clamp(start)
        self.cursor_offset = self._clamp(end)
        self._refresh_between(start, end)

    def jump_to(self, offset: int) -> None:
        """Put the cursor on ``offset`` with nothing selected (jumps from lists, ``]``)."""
        self._drop_anchor()
        if self.selecting:
            self.selecting = False
        self._goal_cell = None
        self.cursor_offset = self._cursor_spot(self._clamp(offset))

    def _move_rows(self, delta: int, *, extend: bool = False) -> None:
        if not self._content_rows:
            return
        here = bisect_left(self._content_rows, self.cursor_row)
        target = max(0, min(len(self._content_rows) - 1, here + delta))
        self._move_to_row(self._content_rows[target], extend=extend)

    def _move_to_row(self, row: int, *, extend: bool = False) -> None:
        """Put the cursor on the first content line at or after ``row``, in the goal column."""
        if not self._content_rows:
            return
        if self._goal_cell is None:
            self._goal_cell = self.cell_of(self.cursor_offset)
        target = self._content_row_from(row)
        self._go(self.offset_at_cell(target, self._goal_cell), extend=extend, keep_goal=True)

    def _step(self, offset: int, delta: int) -> int:
        """One character on (``delta`` 1) or back (-1); a paragraph break is one step."""
        if delta > 0:
            return self._cursor_spot(self._clamp(offset + 1))
        if offset >= 2 and self.article.text[offset - 2 : offset] == PARAGRAPH_SEPARATOR:
            return offset - 2
        return self._clamp(offset - 1)

    def _word_end_after(self, offset: int) -> int:
        """The end of the next word at or after ``offset``."""
        text = self.article.text
        for match in _WORD_CHARS.finditer(text, offset, min(len(text), offset + 4096)):
            return word_at(text, match.start())[1]
        return len(text)

    def _word_start_before(self, offset: int) -> int:
        """The start of the word before ``offset``."""
        text = self.article.text
        low = max(0, offset - 4096)
        last = None
        for match in _WORD_CHARS.finditer(text, low, offset):
            last = match.start()
        return word_at(text, last)[0] if last is not None else low

    def _unit_end_after(self, unit: Unit, offset: int) -> int:
        """The end of the next ``unit`` that starts at or after ``offset``."""
        text = self.article.text
        at = offset
        while at < len(text) and text[at].isspace():
            at += 1
        if unit == "word":
            return self._word_end_after(at)
        return _UNIT_AT[unit](text, at)[1]

    def _select_unit(self, unit: Unit) -> None:
        """Select the unit here, or, when a selection ends at the cursor, add the next one."""
        text = self.article.text
        selection = self.selection
        if selection is not None and self.cursor_offset == selection[1]:
            end = self._unit_end_after(unit, self.cursor_offset)
            if end > self.cursor_offset:
                self._go(end, extend=True)
            else:
                self.app.bell()
            return
        if self.selecting and self.mark is not None:
            self._go(self._unit_end_after(unit, self.cursor_offset), extend=True)
            return
        start, end = _UNIT_AT[unit](text, self.cursor_offset)
        if start == end:
            self.app.bell()
            return
        self.select(start, end)

    def action_cursor_down(self) -> None:
        """Move the cursor to the next line."""
        self._move_rows(1)

    def action_cursor_up(self) -> None:
        """Move the cursor to the previous line."""
        self._move_rows(-1)

    def action_cursor_right(self) -> None:
        """Move the cursor one character on."""
        self._go(self._step(self.cursor_offset, 1))

    def action_cursor_left(self) -> None:
        """Move the cursor one character back."""
        self._go(self._step(self.cursor_offset, -1))

    def action_word_right(self) -> None:
        """Move the cursor to the end of the next word."""
        self._go(self._word_end_after(self.cursor_offset))

    def action_word_left(self) -> None:
        """Move the cursor to the start of the previous word."""
        self._go(self._word_start_before(self.cursor_offset))

    def action_extend_right(self) -> None:
        """Extend the selection by one character."""
        self._go(self._step(self.cursor_offset, 1), extend=True)

    def action_extend_left(self) -> None:
        """Extend (or shrink) the selection backwards by one character."""
        self._go(self._step(self.cursor_offset, -1), extend=True)

    def action_extend_down(self) -> None:
        """Extend the selection by a line."""
        self._move_rows(1, extend=True)

    def action_extend_up(self) -> None:
        """Extend the selection backwards by a line."""
        self._move_rows(-1, extend=True)

    def action_extend_word_right(self) -> None:
        """Extend the selection to the end of the next word."""
        self._go(self._word_end_after(self.cursor_offset), extend=True)

    def action_extend_word_left(self) -> None:
        """Extend the selection back to the start of the previous word."""
        self._go(self._word_start_before(self.cursor_offset), extend=True)

    def action_select_word(self) -> None:
        """Select the word under the cursor, or add the next word to the selection."""
        self._select_unit("word")

    def action_select_sentence(self) -> None:
        """Select the sentence under the cursor, or add the next sentence."""
        self._select_unit("sentence")

    def action_select_paragraph(self) -> None:
        """Select the paragraph under the cursor, or add the next paragraph."""
        self._select_unit("paragraph")

    def action_selection_mode(self) -> None:
        """Toggle selection mode; leaving it keeps what was selected."""
        if self.selecting:
            self.selecting = False
            if self.selection is None:
                self._drop_anchor()
        else:
            self.selecting = True

    def action_clear_selection(self) -> None:
        """Drop the selection; with none, let ``escape`` go back (the screen's binding)."""
        if self.mark is None and not self.selecting:
            raise SkipAction()
        self.clear_selection()

    def action_page_down(self) -> None:
        """Scroll a page down, taking the cursor along by the same number of rows."""
        page = max(1, self.scrollable_content_region.height - 1)
        row = self.cursor_row
        self.scroll_to(y=self.scroll_offset.y + page, animate=False, immediate=True)
        self._move_to_row(min(row + page, len(self.lines) - 1))

    def action_page_up(self) -> None:
        """Scroll a page up, taking the cursor along by the same number of rows."""
        page = max(1, self.scrollable_content_region.height - 1)
        row = self.cursor_row
        self.scroll_to(y=max(0, self.scroll_offset.y - page), animate=False, immediate=True)
        self._move_to_row(max(0, row - page))

    def action_top(self) -> None:
        """Go to the start of the article."""
        self._go(0)

    def action_bottom(self) -> None:
        """Go to the last line of the article."""
        if self._content_rows:
            self._go(self.lines[self._content_rows[-1]].start)

    # -- highlights and matches -------------------------------------------------------

    def set_highlights(self, spans: Iterable[HighlightSpan]) -> None:
        """Paint ``spans`` from now on, replacing the previous ones.

        Every cached strip may show an old highlight, so the version (part of each cache
        key) is bumped and the cache dropped.
        """
        self.highlights = tuple(sorted(spans, key=lambda h: (h.start, -h.end, h.id)))
        self._hl_starts = [h.start for h in self.highlights]
        self._hl_max_len = max((h.end - h.start for h in self.highlights), default=0)
        self._repaint()

    def set_matches(self, matches: Iterable[MatchSpan], current: int = -1) -> None:
        """Paint search ``matches`` (sorted by start), ``current`` the one to stand out."""
        self.matches = tuple(sorted(matches, key=lambda m: m.start))
        self._match_starts = [m.start for m in self.matches]
        self.current_match = current
        self._repaint()

    def _repaint(self) -> None:
        self.version += 1
        self._cache.clear()
        self.refresh()

    def highlights_between(self, start: int, end: int) -> list[HighlightSpan]:
        """The highlights overlapping ``[start, end)``, in drawing order: O(log n + k)."""
        low = bisect_left(self._hl_starts, start - self._hl_max_len)
        high = bisect_left(self._hl_starts, end)
        return [h for h in self.highlights[low:high] if h.start < end and h.end > start]

    def _matches_between(self, start: int, end: int) -> list[tuple[int, MatchSpan]]:
        """The matches overlapping ``[start, end)`` with their indexes (they never overlap)."""
        low = max(0, bisect_left(self._match_starts, start) - 1)
        high = bisect_left(self._match_starts, end)
        return [
            (n, m)
            for n, m in enumerate(self.matches[low:high], low)
            if m.start < end and m.end > start
        ]

    # -- rendering --------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """The strip for screen row ``y``: looked up in the cache, rendered on a miss.

        The key holds what the cursor and the selection look like on this line only, so
        moving them re-renders just the lines they enter or leave.
        """
        row = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base = self._base_style()
        if not 0 <= row < len(self.lines):
            return Strip.blank(width, base)
        line = self.lines[row]
        cursor = self.cursor_offset - line.start if row == self.cursor_row else -1
        sel_a = sel_b = -1
        selection = self.selection
        if selection is not None and selection[0] <= line.end and selection[1] > line.start:
            sel_a = max(selection[0], line.start) - line.start
            sel_b = min(selection[1], line.end) - line.start
        key = (row, width, self.version, cursor, sel_a, sel_b)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row, width, base, cursor, (sel_a, sel_b))
            self._cache[key] = strip
        return strip

    def _base_style(self) -> Style:
        """The view's own style, computed once per style change rather than once per row."""
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def _style(self, name: str) -> Style:
        """A component's style with its translucent background blended over the view.

        Textual drops the alpha of a partial component style, which would put light text on
        a full-strength yellow in a dark theme; blending here keeps the theme's text colour
        readable on dark and light surfaces alike. Cached until the styles change.
        """
        style = self._styles.get(name)
        if style is None:
            styles = self.get_component_styles(name)
            style = self.get_component_rich_style(name, partial=True)
            if styles.has_rule("background"):
                under = self._base_style().bgcolor
                ground = Color.from_rich_color(under) if under is not None else Color(0, 0, 0)
                style += Style(bgcolor=(ground + styles.background).rich_color)
            self._styles[name] = style
        return style

    def _marker_colour(self, color: str) -> Style:
        """The note marker in the highlight's colour at full strength, to stand out."""
        tint = self.get_component_styles(f"article-view--hl-{color}").background
        return Style(color=tint.with_alpha(1.0).rich_color, bold=True)

    def _render_row(
        self, row: int, width: int, base: Style, cursor: int, selected: tuple[int, int]
    ) -> Strip:
        """Draw one line: left margin, the text column, right margin.

        The text goes straight into a :class:`~rich.segment.Segment`: it is never parsed as
        markup, so an article's ``[@click=...]`` or ``[link=...]`` stays literal text.
        """
        line = self.lines[row]
        column = self._column_width
        margin = max(0, (width - column) // 2)
        if line.kind in ("chrome", "chrome-label"):
            label = line.kind == "chrome-label"
            shown = self.line_text(line)
            style = base + self._style(f"article-view--{line.kind}")
            bar = Segment("┆ " if margin >= 2 else "", base + self._style("article-view--chrome"))
            segments = [Segment(" " * max(0, margin - 2), base), bar, Segment(shown, style)]
            padding = Segment(" " * max(0, column - cell_len(shown)), base if label else style)
            return Strip([*segments, padding]).adjust_cell_length(width, base)
        style = base
        if line.kind == "heading":
            style += self._style("article-view--heading")
        if cursor >= 0:
            style += self._style("article-view--cursor-line")
        text = self.article.text[line.start : line.end] if line.kind != "blank" else ""
        shown = text.rstrip()
        if 0 <= cursor >= len(shown):
            # The cursor on a trailing space or at the paragraph's end: draw one cell there.
            shown = text[: cursor + 1] if cursor < len(text) else text + " "
            shown = shown.replace("\n", " ")
        while cell_len(shown) > column and shown.endswith(" ") and len(shown) > cursor + 1:
            shown = shown[:-1]
        marked = self.highlights_between(line.start, line.start + len(shown)) if shown else []
        segments = [*self._margin(line, margin, base, marked)]
        segments.extend(self._text_segments(line.start, shown, style, marked, cursor, selected))
        segments.append(Segment(" " * max(0, column - cell_len(shown)), style))
        return Strip(segments).adjust_cell_length(width, base)

    def _margin(
        self, line: WrappedLine, margin: int, base: Style, marked: list[HighlightSpan]
    ) -> list[Segment]:
        """The left margin, with a note marker when a noted highlight starts on this line."""
        noted = [h for h in marked if h.has_note and h.start >= line.start]
        if not noted or margin < 1:
            return [Segment(" " * margin, base)]
        marker = Segment(NOTE_MARKER, base + self._marker_colour(noted[0].color))
        if margin == 1:
            return [marker]
        return [Segment(" " * (margin - 2), base), marker, Segment(" ", base)]

    def _text_segments(
        self,
        start: int,
        text: str,
        style: Style,
        marked: list[HighlightSpan],
        cursor: int,
        selected: tuple[int, int],
    ) -> list[Segment]:
        """``text`` (which starts at offset ``start``) cut wherever its look changes.

        Layers, bottom to top: highlight tints (later highlights over earlier ones), search
        matches (underlined), the selection (reversed, so a highlight under it shows as
        coloured text), the cursor cell (an opaque accent block). Each has a trait no other
        layer uses, so all four stay distinguishable where they overlap.
        """
        found = self._matches_between(start, start + len(text)) if self.matches else []
        if not marked and not found and cursor < 0 and selected[0] < 0:
            return [Segment(text, style)]
        cuts = {0, len(text)}
        for h in marked:
            cuts.update(max(0, min(len(text), p - start)) for p in (h.start, h.end))
        for _, m in found:
            cuts.update(max(0, min(len(text), p - start)) for p in (m.start, m.end))
        if selected[0] >= 0:
            cuts.update(max(0, min(len(text), p)) for p in selected)
        if 0 <= cursor < len(text):
            cuts.update((cursor, cursor + 1))
        segments: list[Segment] = []
        for a, b in pairwise(sorted(cuts)):
            here = start + a
            piece = style
            top = [h for h in marked if h.start <= here < h.end]
            if top:
                piece += self._style(f"article-view--hl-{top[-1].color}")
            hit = [n for n, m in found if m.start <= here < m.end]
            if hit:
                current = hit[0] == self.current_match
                piece += self._style(
                    "article-view--match-current" if current else "article-view--match"
                )
            if a == cursor:
                piece += self._style("article-view--cursor")
            elif selected[0] <= a < selected[1]:
                piece += self._style("article-view--selection")
            segments.append(Segment(text[a:b], piece))
        return segments

    def line_text(self, line: WrappedLine) -> str:
        """The plain text ``line`` shows (a chrome label names the block's reason)."""
        if line.kind == "chrome-label":
            return f"removed: {self.article.removed[line.chrome].reason}"
        if line.kind == "chrome":
            start, end = line.piece
            return chrome_text(self.article.removed[line.chrome])[start:end].rstrip()
        return self.article.text[line.start : line.end].rstrip()

    def visible_text(self) -> list[str]:
        """The plain text of the lines now on screen (for tests and accessibility)."""
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        return [self.line_text(line) for line in self.lines[top : top + height]]
