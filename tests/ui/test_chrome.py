"""The chrome toggle: removed blocks shown inline, dimmed and labelled, then hidden again."""

from __future__ import annotations

from textual.pilot import Pilot

from summitreader.core.library import Library, LibraryEntry
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.widgets.article_view import CONTENT_KINDS, ArticleView, chrome_text

from .support import article_screen, drive


def view_of(app: SummitReaderApp) -> ArticleView:
    return article_screen(app).query_one(ArticleView)


def entry_named(library: Library, prefix: str) -> LibraryEntry:
    [entry] = [e for e in library.entries() if e.path.name.startswith(prefix)]
    return entry


def shown_text(view: ArticleView, kinds: set[str]) -> str:
    return " ".join(view.line_text(line) for line in view.lines if line.kind in kinds)


def test_c_shows_every_removed_block_in_place_and_hides_it_again(
    seeds_library: Library,
) -> None:
    entry = entry_named(seeds_library, "003_")
    article = entry.article
    assert any(0 < block.position < len(article.paragraphs) for block in article.removed)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        plain = list(view.lines)
        await pilot.press("j", "j", "right")
        offset = view.cursor_offset
        await pilot.press("c")
        assert view.show_chrome and len(view.lines) > len(plain)
        labels = [view.line_text(line) for line in view.lines if line.kind == "chrome-label"]
        assert {label.removeprefix("removed: ") for label in labels} == {
            block.reason for block in article.removed
        }
        chrome = shown_text(view, {"chrome"})
        for block in article.removed:
            assert chrome_text(block) in " ".join(chrome.split())
        # Each block sits before the paragraph it preceded in the capture.
        for block in article.removed:
            if block.position < len(article.paragraphs):
                rows = [n for n, line in enumerate(view.lines) if line.kind == "chrome"]
                first_of_paragraph = next(
                    n
                    for n, line in enumerate(view.lines)
                    if line.kind in CONTENT_KINDS and line.paragraph == block.position
                )
                assert any(row < first_of_paragraph for row in rows)
        # The body is unchanged and the cursor kept its text.
        assert shown_text(view, set(CONTENT_KINDS)) == " ".join(
            view.line_text(line) for line in plain if line.kind in CONTENT_KINDS
        )
        assert view.cursor_offset == offset
        assert view.lines[view.cursor_row].kind in CONTENT_KINDS
        await pilot.press("c")
        assert not view.show_chrome and view.lines == plain
        assert view.cursor_offset == offset

    drive(make_app(seeds_library, start=entry), scenario)


def test_the_cursor_never_rests_on_chrome(seeds_library: Library) -> None:
    entry = entry_named(seeds_library, "003_")

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        await pilot.press("c")
        text = entry.article.text
        for offset in range(0, len(text) + 1):
            line = view.lines[view.row_for_offset(offset)]
            assert line.kind in CONTENT_KINDS
            assert line.start <= offset <= line.end or text[offset - 1 : offset + 1] == "\n\n"
        rows = set()
        for _ in range(len(view.lines)):
            await pilot.press("j")
            rows.add(view.cursor_row)
        assert all(view.lines[row].kind in CONTENT_KINDS for row in rows)
        assert max(rows) == max(
            n for n, line in enumerate(view.lines) if line.kind in CONTENT_KINDS
        )

    drive(make_app(seeds_library, start=entry), scenario)


def test_an_article_with_nothing_removed_says_so(seeds_library: Library) -> None:
    entry = entry_named(seeds_library, "001_")
    assert not entry.article.removed

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = view_of(app)
        before = list(view.lines)
        await pilot.press("c")
        assert not view.show_chrome and view.lines == before
        assert any("Nothing was removed" in str(n.message) for n in app._notifications)

    drive(make_app(seeds_library, start=entry), scenario)
