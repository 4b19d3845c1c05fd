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
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from summitreader.core.annotations import COLORS
from summitreader.core.models import PARAGRAPH_SEPARATOR, Article

#: The widest the text column gets: long lines are hard to read.
MAX_COLUMN = 80
#: Rendered strips kept; a few screens' worth is plenty because only visible lines render.
CACHE_SIZE = 1024

LineKind = Literal["paragraph", "heading", "blank"]

_WORD = re.compile(r"\S+\s*|\s+")

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
        kind: ``paragraph``, ``heading``, or ``blank`` for the gap between paragraphs.
    """

    paragraph: int
    start: int
    end: int
    kind: LineKind


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
    for match in _WORD.finditer(text):
        token = match.group()
        word_cells = cell_len(token.rstrip())
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
            used += cell_len(token) - word_cells
        else:
            used += cell_len(token)
    spans.append((start, len(text)))
    return spans


def build_index(article: Article, width: int) -> list[WrappedLine]:
    """Wrap every paragraph to ``width`` cells, with a blank line between paragraphs."""
    lines: list[WrappedLine] = []
    offset = 0
    for number, paragraph in enumerate(article.paragraphs):
        if number:
            lines.append(
                WrappedLine(number - 1, offset - len(PARAGRAPH_SEPARATOR), offset, "blank")
            )
        kind: LineKind = "heading" if paragraph.kind == "heading" else "paragraph"
        for start, end in wrap_spans(paragraph.text, width):
            lines.append(WrappedLine(number, offset + start, offset + end, kind))
        offset += len(paragraph.text) + len(PARAGRAPH_SEPARATOR)
    return lines


class ArticleView(ScrollView, can_focus=True):
    """The scrolling body of one article, with a reading cursor kept as a text offset."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", id="view.down", tooltip="Next line"),
        Binding("k,up", "cursor_up", "Up", id="view.up", tooltip="Previous line"),
        Binding("space,pagedown", "page_down", "Page down", id="view.page_down"),
        Binding("b,pageup", "page_up", "Page up", id="view.page_up"),
        Binding("g,home", "top", "Top", id="view.top", tooltip="Start of the article"),
        Binding("G,end", "bottom", "Bottom", id="view.bottom", tooltip="End of the article"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--heading",
        "article-view--cursor",
        "article-view--hl-cursor",
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
    ArticleView > .article-view--cursor {
        background: $boost;
    }
    ArticleView:focus > .article-view--cursor {
        background: $accent 25%;
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
    /* Highlighted text on the cursor line keeps its colour and is underlined, so the
       cursor stays visible across a highlight that fills the whole line. */
    ArticleView > .article-view--hl-cursor {
        text-style: bold underline;
    }
    """

    #: The reading cursor: a code-point offset into ``article.text``.
    cursor_offset: reactive[int] = reactive(0, init=False, always_update=False)

    class CursorMoved(Message):
        """The reading cursor moved; carries the new offset (coalesced when keys repeat)."""

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
        #: width or cursor (theme, highlights): part of every cache key.
        self.version = 0
        self._cache: LRUCache[tuple[int, int, int, bool], Strip] = LRUCache(CACHE_SIZE)
        #: What is painted, sorted by start (later starts are drawn over earlier ones).
        self.highlights: tuple[HighlightSpan, ...] = ()
        self.set_reactive(ArticleView.cursor_offset, self._clamp(offset))

    # -- the line index ---------------------------------------------------------------

    def _clamp(self, offset: int) -> int:
        return max(0, min(offset, len(self.article.text)))

    def _column_for(self, width: int) -> int:
        return max(10, min(MAX_COLUMN, width - 2))

    def rebuild(self, width: int) -> None:
        """Re-wrap the article for a viewport ``width`` cells wide and keep the cursor in view."""
        column = self._column_for(width)
        self._column_width = column
        if column != self._wrap_width or not self.lines:
            self._wrap_width = column
            self.lines = build_index(self.article, column)
            self._starts = [line.start for line in self.lines]
            self._content_rows = [n for n, line in enumerate(self.lines) if line.kind != "blank"]
            self._cache.clear()
        self.virtual_size = Size(width, len(self.lines))
        self.scroll_to_cursor(center=True)
        self.refresh()

    def row_for_offset(self, offset: int) -> int:
        """The (non-blank) line index that shows ``offset``; separators map to the next line."""
        if not self._content_rows:
            return 0
        row = max(0, bisect_right(self._starts, offset) - 1)
        line = self.lines[row]
        if line.kind == "blank" or (offset >= line.end and row + 1 < len(self.lines)):
            return self._content_row_from(row + 1)
        return row

    def _content_row_from(self, row: int) -> int:
        """The first content line at or after ``row``, or the last one: O(log n)."""
        index = bisect_left(self._content_rows, row)
        return self._content_rows[min(index, len(self._content_rows) - 1)]

    @property
    def cursor_row(self) -> int:
        """The line index the cursor is on."""
        return self.row_for_offset(self.cursor_offset)

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
        super().notify_style_update()

    def watch_cursor_offset(self, old: int, new: int) -> None:
        """Repaint only the two lines involved and keep the new one on screen."""
        if self.lines:
            self.refresh_line(self.row_for_offset(old))
            self.refresh_line(self.row_for_offset(new))
            self.scroll_to_cursor()
        self.post_message(self.CursorMoved(self, new))

    def on_click(self, event: events.Click) -> None:
        """Clicking a line moves the reading cursor there (the text itself has no actions)."""
        row = int(self.scroll_offset.y) + event.y
        if 0 <= row < len(self.lines) and self.lines[row].kind != "blank":
            self.cursor_offset = self.lines[row].start

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

    def _move_rows(self, delta: int) -> None:
        if not self._content_rows:
            return
        here = bisect_left(self._content_rows, self.cursor_row)
        target = max(0, min(len(self._content_rows) - 1, here + delta))
        self.cursor_offset = self.lines[self._content_rows[target]].start

    def _move_to_row(self, row: int) -> None:
        """Put the cursor on the first content line at or after ``row`` (or the last one)."""
        if self._content_rows:
            self.cursor_offset = self.lines[self._content_row_from(row)].start

    def action_cursor_down(self) -> None:
        """Move the reading cursor to the next line."""
        self._move_rows(1)

    def action_cursor_up(self) -> None:
        """Move the reading cursor to the previous line."""
        self._move_rows(-1)

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
        self.cursor_offset = 0

    def action_bottom(self) -> None:
        """Go to the last line of the article."""
        if self._content_rows:
            self.cursor_offset = self.lines[self._content_rows[-1]].start

    # -- highlights -------------------------------------------------------------------

    def set_highlights(self, spans: Iterable[HighlightSpan]) -> None:
        """Paint ``spans`` from now on, replacing the previous ones.

        Every cached strip may show an old highlight, so the version (part of each cache
        key) is bumped and the cache dropped.
        """
        self.highlights = tuple(sorted(spans, key=lambda h: (h.start, -h.end, h.id)))
        self.version += 1
        self._cache.clear()
        self.refresh()

    def _highlights_between(self, start: int, end: int) -> list[HighlightSpan]:
        """The highlights overlapping ``[start, end)``, in drawing order."""
        return [h for h in self.highlights if h.start < end and h.end > start]

    # -- rendering --------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """The strip for screen row ``y``: looked up in the cache, rendered on a miss."""
        row = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not 0 <= row < len(self.lines):
            return Strip.blank(width, base)
        is_cursor = row == self.cursor_row
        key = (row, width, self.version, is_cursor)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row, width, base, is_cursor)
            self._cache[key] = strip
        return strip

    def _render_row(self, row: int, width: int, base: Style, is_cursor: bool) -> Strip:
        """Draw one line: left margin, the text column, right margin.

        The text goes straight into a :class:`~rich.segment.Segment`: it is never parsed as
        markup, so an article's ``[@click=...]`` or ``[link=...]`` stays literal text.
        """
        line = self.lines[row]
        column = self._column_width
        margin = max(0, (width - column) // 2)
        style = base
        if line.kind == "heading":
            style += self.get_component_rich_style("article-view--heading", partial=True)
        if is_cursor:
            style += self.get_component_rich_style("article-view--cursor", partial=True)
        text = self.article.text[line.start : line.end].rstrip() if line.kind != "blank" else ""
        cells = cell_len(text)
        marked = self._highlights_between(line.start, line.start + len(text)) if text else []
        segments = [*self._margin(line, margin, base, marked)]
        segments.extend(self._text_segments(line.start, text, style, marked, is_cursor))
        segments.append(Segment(" " * max(0, column - cells), style))
        return Strip(segments).adjust_cell_length(width, base)

    def _hl_style(self, color: str) -> Style:
        """The style of a highlight colour, its translucent tint blended over the view.

        A partial component style keeps the tint's colour but drops its alpha, which would
        put light text on a bright yellow in a dark theme; blending here keeps the theme's
        text colour readable on both dark and light surfaces.
        """
        name = f"article-view--hl-{color}"
        tint = self.get_component_styles(name).background
        under = self.rich_style.bgcolor
        ground = Color.from_rich_color(under) if under is not None else Color(0, 0, 0)
        blended = Style(bgcolor=(ground + tint).rich_color)
        return self.get_component_rich_style(name, partial=True) + blended

    def _marker_colour(self, color: str) -> Style:
        """The note marker in the highlight's colour at full strength, to stand out."""
        tint = self.get_component_styles(f"article-view--hl-{color}").background
        return Style(color=tint.with_alpha(1.0).rich_color, bold=True)

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
        is_cursor: bool,
    ) -> list[Segment]:
        """``text`` (which starts at offset ``start``) cut where highlights begin and end.

        Later highlights are drawn over earlier ones where they overlap.
        """
        if not marked:
            return [Segment(text, style)]
        cuts = {0, len(text)}
        for h in marked:
            cuts.update(max(0, min(len(text), p - start)) for p in (h.start, h.end))
        under_cursor = (
            self.get_component_rich_style("article-view--hl-cursor", partial=True)
            if is_cursor
            else Style()
        )
        segments: list[Segment] = []
        for a, b in pairwise(sorted(cuts)):
            here = start + a
            top = [h for h in marked if h.start <= here < h.end]
            piece_style = style + self._hl_style(top[-1].color) + under_cursor if top else style
            segments.append(Segment(text[a:b], piece_style))
        return segments

    def visible_text(self) -> list[str]:
        """The plain text of the lines now on screen (for tests and accessibility)."""
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        return [
            self.article.text[line.start : line.end].rstrip()
            for line in self.lines[top : top + height]
        ]
