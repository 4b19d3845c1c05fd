"""Searching inside an article: live matches, a count, next/previous, and clearing."""

from __future__ import annotations

from textual.pilot import Pilot

from summitreader.core.library import Library, LibraryEntry
from summitreader.core.search import find_all
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens.article import ArticleScreen
from summitreader.ui.screens.library import LibraryScreen
from summitreader.ui.screens.note_editor import NoteEditor
from summitreader.ui.widgets.article_view import ArticleView
from summitreader.ui.widgets.search_box import SearchBox

from .support import article_screen, drive, status_of


def view_of(app: SummitReaderApp) -> ArticleView:
    return article_screen(app).query_one(ArticleView)


def underlined_rows(view: ArticleView) -> int:
    """How many visible rows paint some text underlined (how matches are drawn)."""
    height = view.scrollable_content_region.height
    return sum(
        any(
            s.style is not None and s.style.underline and s.text.strip()
            for s in view.render_line(y)
        )
        for y in range(height)
    )


def test_slash_searches_as_you_type_and_counts(seeds_library: Library, first: LibraryEntry) -> None:
    expected = find_all(first.article.text, "putin")
    assert len(expected) > 3

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        assert underlined_rows(view) == 0
        await pilot.press("slash")
        box = app.screen.query_one(SearchBox)
        assert box.display and box.has_focus
        await pilot.press(*"putin")
        assert status_of(app).startswith(f"Search “putin”: 1 of {len(expected)}")
        assert underlined_rows(view) > 0
        await pilot.press("enter")
        assert view.has_focus and not box.display
        assert view.cursor_offset == expected[0][0]
        await pilot.press("full_stop")
        assert view.cursor_offset == expected[1][0]
        assert f"2 of {len(expected)}" in status_of(app)
        await pilot.press("comma", "comma")  # back past the first: round to the last
        assert view.cursor_offset == expected[-1][0]
        await pilot.press("n")  # n is still the note key while a search is shown
        assert isinstance(app.screen, NoteEditor)

    drive(make_app(seeds_library, start=first), scenario)


def test_escape_clears_the_search_before_leaving(
    seeds_library: Library, first: LibraryEntry
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        await pilot.press("slash", *"kim", "enter")
        assert view.matches and underlined_rows(view) > 0
        await pilot.press("escape")
        assert isinstance(app.screen, ArticleScreen)
        assert view.matches == () and status_of(app) == ""
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)

    drive(make_app(seeds_library, start=first), scenario)


def test_escape_in_the_box_cancels_and_a_miss_says_so(
    seeds_library: Library, first: LibraryEntry
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        await pilot.press("slash", *"zzqx")
        assert "no match" in status_of(app)
        await pilot.press("enter")
        assert view.cursor_offset == 0  # nowhere to go
        await pilot.press("slash", "escape")
        assert isinstance(app.screen, ArticleScreen)
        assert not app.screen.query_one(SearchBox).display and view.has_focus
        assert view.matches == ()

    drive(make_app(seeds_library, start=first), scenario)


def test_markup_typed_into_the_search_is_literal(hostile_library: Library) -> None:
    [entry] = hostile_library.entries()

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"[@click=app.quit]", "enter")
        assert app.is_running and isinstance(app.screen, ArticleScreen)
        matches = find_all(entry.article.text, "[@click=app.quit]")
        assert matches and view_of(app).cursor_offset == matches[0][0]
        assert "[@click=app.quit]" in status_of(app)

    drive(make_app(hostile_library, start=entry), scenario)
