"""Selecting text from the keyboard and the mouse, and highlighting what is selected.

Each test drives the real app with Pilot and checks two things: what the view says is
selected, and what the store holds once a highlight key acts on it.
"""

from __future__ import annotations

from textual.pilot import Pilot

from summitreader.core.library import Library, LibraryEntry
from summitreader.core.models import PARAGRAPH_SEPARATOR
from summitreader.core.spans import paragraph_at, sentence_at, word_at
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens.article import ArticleScreen
from summitreader.ui.screens.library import LibraryScreen
from summitreader.ui.screens.note_editor import NoteEditor
from summitreader.ui.widgets.article_view import ArticleView

from .support import article_screen, drive, settle, status_of, stored


def view_of(app: SummitReaderApp) -> ArticleView:
    return article_screen(app).query_one(ArticleView)


def test_w_selects_a_word_and_again_adds_the_next_one(
    seeds_library: Library, first: LibraryEntry
) -> None:
    text = first.article.text
    one = word_at(text, 0)
    two_end = word_at(text, text.index(" ", one[1]) + 1)[1]

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        await pilot.press("w")
        assert view.selection == one
        assert "1 word selected" in status_of(app)
        await pilot.press("w")
        assert view.selection == (0, two_end)
        assert "2 words selected" in status_of(app)
        await pilot.press("h")
        await settle(pilot)
        [made] = stored(first)
        assert made.exact == text[:two_end] and made.color == "yellow"
        assert view.selection is None  # a highlight uses the selection up

    drive(make_app(seeds_library, start=first), scenario)


def test_s_selects_sentences_and_a_digit_highlights_them_in_its_colour(
    seeds_library: Library, first: LibraryEntry
) -> None:
    text = first.article.text
    one = sentence_at(text, 0)
    after = one[1]
    while text[after].isspace():
        after += 1
    two = sentence_at(text, after)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        await pilot.press("s")
        assert view.selection == one
        await pilot.press("s")
        assert view.selection == (one[0], two[1])
        await pilot.press("3")
        await settle(pilot)
        [made] = stored(first)
        assert made.exact == text[one[0] : two[1]] and made.color == "blue"

    drive(make_app(seeds_library, start=first), scenario)


def test_p_selects_the_paragraph_and_n_notes_it(
    seeds_library: Library, first: LibraryEntry
) -> None:
    text = first.article.text
    second = text.index(PARAGRAPH_SEPARATOR) + len(PARAGRAPH_SEPARATOR)
    paragraph = paragraph_at(text, second)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        view.jump_to(second + 3)
        await pilot.press("p")
        assert view.selection == paragraph
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"why")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [made] = stored(first)
        assert (made.selector.start, made.selector.end) == paragraph
        assert made.note == "why"

    drive(make_app(seeds_library, start=first), scenario)


def test_shift_arrows_extend_and_shrink_by_characters(
    seeds_library: Library, first: LibraryEntry
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        await pilot.press("right", "right")
        assert view.cursor_offset == 2 and view.selection is None
        await pilot.press(*["shift+right"] * 5)
        assert view.selection == (2, 7)
        await pilot.press("shift+left", "shift+left")
        assert view.selection == (2, 5)
        await pilot.press("shift+down")
        start, end = view.selection or (0, 0)
        assert start == 2 and end > view.lines[1].start  # now into the next line
        await pilot.press("right")  # a plain motion drops the selection
        assert view.selection is None
        await pilot.press("ctrl+right")
        word_end = word_at(first.article.text, view.cursor_offset)[1]
        assert view.cursor_offset == word_end
        await pilot.press("ctrl+shift+right")
        assert view.selection is not None and view.selection[0] == word_end

    drive(make_app(seeds_library, start=first), scenario)


def test_selection_mode_extends_with_every_motion_and_escape_ends_it(
    seeds_library: Library, first: LibraryEntry
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        await pilot.press("v")
        assert view.selecting and status_of(app).startswith("SELECT")
        await pilot.press("j", "j")
        selection = view.selection
        assert selection is not None and selection[0] == 0
        assert selection[1] == view.lines[view.cursor_row].start
        await pilot.press("w")  # a unit key in selection mode extends by that unit
        assert view.selection is not None and view.selection[1] > selection[1]
        await pilot.press("escape")  # drops the selection, stays on the article
        assert not view.selecting and view.selection is None
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("escape")  # nothing left to drop: back to the library
        assert isinstance(app.screen, LibraryScreen)

    drive(make_app(seeds_library, start=first), scenario)


def test_v_then_v_keeps_the_selection_for_a_highlight_key(
    seeds_library: Library, first: LibraryEntry
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        await pilot.press("v", *["right"] * 9, "v")
        assert not view.selecting and view.selection == (0, 9)
        await pilot.press("5")
        await settle(pilot)
        [made] = stored(first)
        assert made.exact == first.article.text[:9].strip() and made.color == "purple"

    drive(make_app(seeds_library, start=first), scenario)


def test_mouse_drag_selects_and_a_click_only_moves_the_cursor(
    seeds_library: Library, first: LibraryEntry
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        margin = (view.scrollable_content_region.width - view._column_width) // 2
        line = view.lines[0]
        await pilot.click(view, offset=(margin + 4, 0))
        assert view.cursor_offset == line.start + 4 and view.selection is None
        await pilot.mouse_down(view, offset=(margin + 2, 0))
        await pilot.hover(view, offset=(margin + 12, 2))
        await pilot.mouse_up(view, offset=(margin + 12, 2))
        await pilot.pause()
        third = view.lines[2]
        assert view.selection == (line.start + 2, third.start + 12)
        await pilot.press("h")
        await settle(pilot)
        [made] = stored(first)
        assert made.exact == first.article.text[line.start + 2 : third.start + 12].strip()

    drive(make_app(seeds_library, start=first), scenario)


def test_the_wheel_scrolls_and_the_cursor_stays_on_screen(
    seeds_library: Library, first: LibraryEntry
) -> None:
    from textual import events

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        for _ in range(12):
            view.post_message(
                events.MouseScrollDown(view, 5, 5, 0, 0, 0, False, False, False, screen_x=5)
            )
        await pilot.pause()
        await pilot.pause()
        top = int(view.scroll_offset.y)
        assert top > 0
        assert top <= view.cursor_row < top + view.scrollable_content_region.height

    drive(make_app(seeds_library, start=first), scenario)


def test_highlight_keys_without_a_selection_still_take_the_sentence(
    seeds_library: Library, first: LibraryEntry
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        await pilot.press("right", "right", "right")  # inside the first sentence
        assert view.selection is None
        await pilot.press("h")
        await settle(pilot)
        [made] = stored(first)
        start, end = sentence_at(first.article.text, 0)
        assert made.exact == first.article.text[start:end]

    drive(make_app(seeds_library, start=first), scenario)


def test_double_click_selects_a_word_and_triple_click_a_paragraph(
    seeds_library: Library, first: LibraryEntry
) -> None:
    text = first.article.text

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        margin = (view.scrollable_content_region.width - view._column_width) // 2
        await pilot.double_click(view, offset=(margin + 3, 0))
        assert view.selection == word_at(text, 3)
        await pilot.triple_click(view, offset=(margin + 3, 1))
        assert view.selection == paragraph_at(text, view.lines[1].start + 3)

    drive(make_app(seeds_library, start=first), scenario)
