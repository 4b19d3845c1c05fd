"""Highlights in the article screen: keys in, the store and the painted strips out.

Same shape as ``test_app.py``: plain functions running the app with ``asyncio.run``, waiting
for the store workers (never sleeping), and checking what the core's ``Store`` holds.
"""

from __future__ import annotations

import pytest
from rich.style import Style
from textual.pilot import Pilot

from summitreader.core.annotations import Annotation
from summitreader.core.library import Library, LibraryEntry
from summitreader.core.notes import create_highlight
from summitreader.core.store import Store, StoreError
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens.article import ArticleScreen
from summitreader.ui.widgets.article_view import NOTE_MARKER, ArticleView

from .support import UNTRUSTED, drive, first_sentence, settle, status_of, stored


def screen_of(app: SummitReaderApp) -> ArticleScreen:
    assert isinstance(app.screen, ArticleScreen)
    return app.screen


def view_of(app: SummitReaderApp) -> ArticleView:
    return screen_of(app).query_one(ArticleView)


def cell_styles(view: ArticleView, y: int) -> list[Style]:
    """The style of every text cell of screen row ``y`` (margins and padding left out)."""
    styles: list[Style] = []
    for segment in view.render_line(y):
        if segment.text.strip() and segment.text.strip() != NOTE_MARKER:
            styles.extend([segment.style or Style()] * len(segment.text))
    return styles


def text_background(view: ArticleView, y: int) -> Style:
    """The style of the second text cell of row ``y`` (the first may hold the cursor)."""
    return cell_styles(view, y)[1]


def test_h_highlights_the_first_sentence_and_paints_it(
    seeds_library: Library, first: LibraryEntry
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        plain = cell_styles(view, 0)[1]
        await pilot.press("j", "k")  # the cursor leaves and comes back: repaint both
        await pilot.press("h")
        await settle(pilot)
        cursor_cell, painted = cell_styles(view, 0)[:2]
        assert painted.bgcolor is not None and painted.bgcolor != plain.bgcolor
        cursor = view._style("article-view--cursor").bgcolor
        assert cursor_cell.bgcolor == cursor  # the cursor stays visible over the highlight
        await pilot.press("j", "j", "j")  # off the highlight's lines
        await pilot.pause()
        assert not any(style.bgcolor == cursor for style in cell_styles(view, 0))
        assert cell_styles(view, 0)[0].bgcolor == painted.bgcolor
        assert "yellow highlight" not in status_of(app)

    drive(make_app(seeds_library, start=first), scenario)
    [annotation] = stored(first)
    assert annotation.exact == first_sentence(first)
    assert annotation.exact.startswith("Russian President") and annotation.exact.endswith(".")
    assert annotation.color == "yellow" and annotation.selector.start == 0


def test_recolour_delete_undo_and_reopen(seeds_library: Library, first: LibraryEntry) -> None:
    colours: dict[str, str] = {}

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        await pilot.press("h")
        await settle(pilot)
        colours["yellow"] = str(text_background(view, 0).bgcolor)
        assert "yellow highlight" in status_of(app)
        await pilot.press("3")
        await settle(pilot)
        assert [a.color for a in stored(first)] == ["blue"]
        colours["blue"] = str(text_background(view, 0).bgcolor)
        await pilot.press("u")  # undo the recolour
        await settle(pilot)
        assert [a.color for a in stored(first)] == ["yellow"]
        await pilot.press("d")
        await settle(pilot)
        assert stored(first) == []
        assert text_background(view, 0).bgcolor != colours["yellow"]
        await pilot.press("u")  # undo the delete, from the store's trash
        await settle(pilot)
        assert [a.exact for a in stored(first)] == [first_sentence(first)]
        assert str(text_background(view, 0).bgcolor) == colours["yellow"]
        await pilot.press("q")

    drive(make_app(seeds_library, start=first), scenario)
    assert colours["yellow"] != colours["blue"]

    async def reopened(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        screen = screen_of(app)
        assert [a.exact for a in screen.highlights.values()] == [first_sentence(first)]
        assert str(text_background(view_of(app), 0).bgcolor) == colours["yellow"]

    drive(make_app(seeds_library, start=first), reopened)


def test_brackets_move_between_highlights(seeds_library: Library, first: LibraryEntry) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        await pilot.press("h")
        second_paragraph = first.article.text.index("\n\n") + 2
        view.cursor_offset = second_paragraph
        await pilot.press("5")
        await settle(pilot)
        starts = sorted(a.selector.start for a in stored(first))
        assert starts == [0, second_paragraph]
        assert sorted(a.color for a in stored(first)) == ["purple", "yellow"]
        await pilot.press("g", "right_square_bracket")
        assert view.cursor_offset == second_paragraph
        await pilot.press("right_square_bracket")  # no further highlight: stays
        assert view.cursor_offset == second_paragraph
        await pilot.press("left_square_bracket")
        assert view.cursor_offset == 0

    drive(make_app(seeds_library, start=first), scenario)


def test_a_note_shows_literally_in_the_status_line(
    seeds_library: Library, first: LibraryEntry
) -> None:
    note = f"Worth quoting {UNTRUSTED}"
    with Store() as store:
        create_highlight(store, first, first_sentence(first), note=note + "\n\nsecond line")

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        assert app.is_running
        status = status_of(app)
        assert note in status and "second line" in status
        row = "".join(segment.text for segment in view_of(app).render_line(0))
        assert NOTE_MARKER in row  # the margin marks a highlight with a note
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert note not in status_of(app)

    drive(make_app(seeds_library, start=first), scenario)


def test_a_failed_save_is_kept_and_retried(
    seeds_library: Library, first: LibraryEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_put = Store.put

    def refuse(self: Store, annotation: Annotation) -> None:
        raise StoreError("disk full [bold]")

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        monkeypatch.setattr(Store, "put", refuse)
        await pilot.press("h")
        await settle(pilot)
        screen = screen_of(app)
        assert stored(first) == []
        assert [c.kind for c in screen.pending] == ["add"]
        assert len(screen.highlights) == 1  # still drawn
        assert any("disk full [bold]" in str(n.message) for n in app._notifications)
        monkeypatch.setattr(Store, "put", real_put)
        await pilot.press("2")  # the next change retries the pending one first
        await settle(pilot)
        assert screen.pending == []
        assert [a.color for a in stored(first)] == ["green"]

    drive(make_app(seeds_library, start=first), scenario)
