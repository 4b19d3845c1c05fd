"""The notes panel of the article screen: `a` shows it, Enter reads from a highlight.

Same shape as the other Pilot tests: plain functions running the app with ``asyncio.run``,
keys in, waiting for the store workers (never sleeping). Highlights are made through the core
as the CLI would make them; an orphan is a highlight made on an older text whose quote is
gone from the current one.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.pilot import Pilot

from summitreader.core.annotations import new_annotation
from summitreader.core.library import Library, LibraryEntry
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens.library import LibraryScreen
from summitreader.ui.widgets.annotation_panel import (
    HEADING_ID,
    ORPHAN_MARK,
    AnnotationPanel,
    annotation_prompt,
)
from summitreader.ui.widgets.article_view import ArticleView

from .support import UNTRUSTED, article_screen, drive, highlight, orphan_of, settle, stored


def panel_of(app: SummitReaderApp) -> AnnotationPanel:
    return article_screen(app).query_one(AnnotationPanel)


def view_of(app: SummitReaderApp) -> ArticleView:
    return article_screen(app).query_one(ArticleView)


def listed(panel: AnnotationPanel) -> list[str | None]:
    """The option ids the list really holds, top to bottom."""
    return [option.id for option in panel.options]


def panel_text(panel: AnnotationPanel) -> str:
    """What the panel draws, through its real rendering path."""
    return "\n".join(panel.render_line(y).text for y in range(panel.size.height))


def paragraph_start(entry: LibraryEntry, number: int) -> int:
    """The offset of paragraph ``number`` (0-based) in the canonical text."""
    offset = 0
    for _ in range(number):
        offset = entry.article.text.index("\n\n", offset) + 2
    return offset


def test_a_toggles_the_panel_and_escape_gives_the_keys_back(
    seeds_library: Library, first: LibraryEntry
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        panel, view = panel_of(app), view_of(app)
        assert not panel.display and view.has_focus
        await pilot.press("a")
        assert panel.display and panel.has_focus
        assert "No highlights yet" in panel_text(panel)
        await pilot.press("escape")  # back to the text, the panel stays open
        assert panel.display and view.has_focus
        assert article_screen(app) is app.screen  # escape did not leave the article
        await pilot.press("a")
        assert not panel.display and view.has_focus
        await pilot.press("a", "a")  # shown and hidden again from inside the panel
        assert not panel.display and view.has_focus

    drive(make_app(seeds_library, start=first), scenario)


def test_the_panel_stays_open_for_the_next_article(seeds_library: Library) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a", "q")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("j", "enter")
        await settle(pilot)
        panel = panel_of(app)
        assert panel.display
        assert view_of(app).has_focus  # a new article opens for reading, not in the list

    drive(make_app(seeds_library), scenario)


def test_items_in_reading_order_with_orphans_last_and_marked(
    seeds_library: Library, first: LibraryEntry
) -> None:
    late = highlight(first, paragraph_start(first, 3), note="third")
    early = highlight(first, 0, tags=("kim",))
    middle = highlight(first, paragraph_start(first, 1))
    orphan = orphan_of(first)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("a")
        panel = panel_of(app)
        assert listed(panel) == [early.id, middle.id, late.id, HEADING_ID, orphan.id]
        assert panel.get_option(HEADING_ID).disabled
        assert [a.id for a in article_screen(app).orphans] == [orphan.id]
        shown = panel_text(panel)
        assert "orphaned" in shown and ORPHAN_MARK in shown
        assert shown.index("orphaned") > shown.index("Russian President")
        assert "#kim" in shown and "✎ third" in shown
        view = view_of(app)
        await pilot.press("end", "enter")  # the last item: the orphan
        await pilot.pause()
        assert view.cursor_offset == 0  # nowhere to go
        messages = [str(n.message) for n in app._notifications]
        assert any("no longer found in the text" in m for m in messages)

    drive(make_app(seeds_library, start=first), scenario)


def test_enter_jumps_to_the_highlight_and_shows_its_line(
    seeds_library: Library, first: LibraryEntry
) -> None:
    paragraphs = first.article.text.count("\n\n") + 1
    deep = highlight(first, paragraph_start(first, paragraphs - 2))

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        assert view.cursor_offset == 0
        row = view.row_for_offset(deep.selector.start)
        assert row >= view.scrollable_content_region.height  # below the first screen
        await pilot.press("a", "enter")
        await pilot.pause()
        assert view.cursor_offset == deep.selector.start
        assert view.has_focus and panel_of(app).display
        top = int(view.scroll_offset.y)
        assert top <= view.cursor_row < top + view.scrollable_content_region.height
        assert any(line and line in deep.exact for line in view.visible_text())

    drive(make_app(seeds_library, start=first), scenario)


def test_the_list_follows_h_and_d_and_keeps_its_selection(
    seeds_library: Library, first: LibraryEntry
) -> None:
    second = paragraph_start(first, 1)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view, panel = view_of(app), panel_of(app)
        await pilot.press("a", "escape")
        view.cursor_offset = second
        await pilot.press("h")
        await settle(pilot)
        [later] = stored(first)
        assert listed(panel) == [later.id]
        assert panel.highlighted_id == later.id
        await pilot.press("g", "h")  # a highlight before it in the text
        await settle(pilot)
        earlier = next(a for a in stored(first) if a.id != later.id)
        assert listed(panel) == [earlier.id, later.id]
        assert panel.highlighted_id == later.id  # the selection stayed on its annotation
        await pilot.press("right_square_bracket", "d")  # delete the later one
        await settle(pilot)
        assert [a.id for a in stored(first)] == [earlier.id]
        assert listed(panel) == [earlier.id]
        assert panel.highlighted_id == earlier.id
        await pilot.press("u")
        await settle(pilot)
        assert listed(panel) == [earlier.id, later.id]

    drive(make_app(seeds_library, start=first), scenario)


def test_markup_in_notes_tags_and_quotes_is_shown_literally(
    hostile_library: Library,
) -> None:
    [entry] = hostile_library.entries()
    at = entry.article.text.index("The first paragraph")
    annotation = highlight(entry, at, note="[@click=app.quit]go[/]", tags=("[bold]t[/bold]",))

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("G", "a")  # the cursor away from the highlight, then the panel
        view, panel = view_of(app), panel_of(app)
        assert view.cursor_offset != annotation.selector.start
        assert listed(panel) == [annotation.id]
        shown = panel_text(panel)
        assert "✎ [@click=app.quit]go[/]" in shown
        assert "#[bold]t[/bold]" in shown
        note_row = next(y for y, line in enumerate(shown.splitlines()) if "✎" in line)
        x = panel.region.x + panel.styles.gutter.left + 4
        await pilot.click(offset=(x, panel.region.y + panel.styles.gutter.top + note_row))
        await pilot.pause()
        assert app.is_running  # the markup is text, not an action
        assert view.cursor_offset == annotation.selector.start  # the click chose the note

    drive(make_app(hostile_library, start=entry), scenario)
    prompt = annotation_prompt(annotation, 200)
    assert UNTRUSTED in prompt.plain  # the whole quote fits, markup and all, as text


def test_a_small_terminal_keeps_the_text_readable(
    seeds_library: Library, first: LibraryEntry
) -> None:
    highlight(first, 0, note="a note")

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("a")
        await pilot.pause()
        panel, view = panel_of(app), view_of(app)
        assert panel.display
        assert view.size.width >= app.size.width // 2  # the text keeps most of the width
        assert view.size.height > 0
        lines = [line for line in view.visible_text() if line]
        assert lines and all(line in first.article.text for line in lines)
        assert "✎ a note" in panel_text(panel)

    drive(make_app(seeds_library, start=first), scenario, size=(60, 15))


def test_prompts_fit_their_width_with_the_quote_on_two_lines() -> None:
    text = "北朝鮮と" * 40 + " and a long tail of words " * 5
    annotation = new_annotation("x", text, 0, len(text), note="first\nsecond", tags=("a", "b"))
    for width in (10, 24, 32):
        lines = annotation_prompt(annotation, width).plain.splitlines()
        assert len(lines) == 4  # two of quote, the note's first line, the tags
        assert all(cell_len(line) <= width for line in lines)
        assert lines[1].endswith("…") and lines[2].strip() == "✎ first"
        assert lines[3].strip() == "#a #b"
    short = new_annotation("x", "Short.", 0, 6)
    assert annotation_prompt(short, 32).plain == "■ Short."
    orphan = annotation_prompt(short, 32, orphan=True).plain.splitlines()
    assert orphan[-1].strip() == ORPHAN_MARK
