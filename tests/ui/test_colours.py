"""Colours: every highlight key, readable tints in dark and light themes, and overlaps.

The cursor, the selection, search matches and highlights can all fall on one character;
each layer keeps a trait the others do not touch, so a reader can always tell them apart.
"""

from __future__ import annotations

import pytest
from rich.color import Color as RichColor
from rich.style import Style
from textual.color import Color
from textual.pilot import Pilot

from summitreader.core.annotations import COLORS
from summitreader.core.library import Library, LibraryEntry
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.widgets.article_view import ArticleView, HighlightSpan, MatchSpan

from .support import article_screen, drive, settle, stored


def view_of(app: SummitReaderApp) -> ArticleView:
    return article_screen(app).query_one(ArticleView)


def contrast(a: RichColor, b: RichColor) -> float:
    """The WCAG 2 contrast ratio between two colours."""

    def luminance(color: RichColor) -> float:
        red, green, blue = (Color.from_rich_color(color).rgb[i] / 255 for i in range(3))

        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("number", range(1, len(COLORS) + 1))
def test_each_digit_highlights_in_its_colour(
    seeds_library: Library, first: LibraryEntry, number: int
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press(str(number))
        await settle(pilot)
        [made] = stored(first)
        assert made.color == COLORS[number - 1]

    drive(make_app(seeds_library, start=first), scenario)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_highlight_tints_are_distinct_and_readable(
    seeds_library: Library, first: LibraryEntry, theme: str
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        app.theme = theme
        await pilot.pause()
        view = view_of(app)
        text = view.rich_style.color
        assert text is not None
        tints = {}
        for color in COLORS:
            background = view._style(f"article-view--hl-{color}").bgcolor
            assert background is not None
            assert contrast(text, background) >= 4.5, (theme, color)
            tints[color] = background
        assert len(set(tints.values())) == len(COLORS)
        assert view.rich_style.bgcolor not in tints.values()

    drive(make_app(seeds_library, start=first), scenario)


def test_cursor_selection_match_and_highlight_stay_distinguishable(
    seeds_library: Library, first: LibraryEntry
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        line = view.lines[0]
        # Cells 0-29 highlighted, 10-19 a match, 5-14 selected, the cursor on 14 (its end
        # is exclusive, so the cursor sits on the character after the selection).
        view.set_highlights([HighlightSpan("x", line.start, line.start + 30, "green")])
        view.set_matches([MatchSpan(line.start + 10, line.start + 20)], 0)
        view.select(line.start + 5, line.start + 14)
        assert view.cursor_offset == line.start + 14
        await pilot.pause()
        styles: list[Style] = []
        margin = (view.scrollable_content_region.width - view._column_width) // 2
        for segment in view.render_line(0):
            styles.extend([segment.style or Style()] * len(segment.text))
        cell = [styles[margin + n] for n in range(40)]
        plain, highlighted = cell[35], cell[2]
        selected_hl, selected_match = cell[7], cell[12]
        cursor_on_match, match_only = cell[14], cell[17]
        assert highlighted.bgcolor != plain.bgcolor
        assert match_only.underline and match_only.bgcolor != highlighted.bgcolor
        assert selected_hl.reverse and selected_hl.bgcolor == highlighted.bgcolor
        assert selected_match.reverse and selected_match.underline
        accent = view._style("article-view--cursor").bgcolor
        assert cursor_on_match.bgcolor == accent and not cursor_on_match.reverse
        assert accent not in {c.bgcolor for c in (plain, highlighted, match_only)}
        assert cursor_on_match.underline  # still marked as part of the match
        assert len({plain, highlighted, selected_hl, selected_match, match_only}) == 5

    drive(make_app(seeds_library, start=first), scenario)


def test_the_cursor_line_dims_when_the_text_loses_focus(
    seeds_library: Library, first: LibraryEntry
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)

        def line_tint() -> object:
            """The background of the cursor line's text, past the cursor block."""
            texts = [s for s in view.render_line(0) if s.text.strip()]
            return (texts[1].style or Style()).bgcolor

        focused = line_tint()
        await pilot.press("a")  # the notes panel takes the keys
        await pilot.pause()
        assert not view.has_focus
        assert line_tint() != focused
        await pilot.press("escape")
        await pilot.pause()
        assert view.has_focus and line_tint() == focused

    drive(make_app(seeds_library, start=first), scenario)
