"""The reader driven through Textual's Pilot: keys in, screens and offsets out.

Each test is a plain function running its own event loop with ``asyncio.run``, so no async
pytest plugin is needed. Nothing sleeps: the tests wait for the library worker to finish.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from summitreader.core.library import Library
from summitreader.core.locations import store_path
from summitreader.core.settings import load_settings, save_setting, settings_path
from summitreader.core.store import Store
from summitreader.ui import app as app_module
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens import ALL_NOTES_CSS, ARTICLE_CSS, DIALOGS_CSS
from summitreader.ui.screens.article import ArticleScreen
from summitreader.ui.screens.help import HelpScreen
from summitreader.ui.screens.library import LibraryScreen
from summitreader.ui.widgets.article_view import ArticleView

from .support import UNTRUSTED, drive


def table_of(app: SummitReaderApp) -> DataTable[Text]:
    return app.screen.query_one("#library-table", DataTable)


def view_of(app: SummitReaderApp) -> ArticleView:
    assert isinstance(app.screen, ArticleScreen)
    return app.screen.query_one(ArticleView)


def screen_text(view: ArticleView) -> str:
    """What the view draws, line by line, joined: the real rendering path."""
    rows = [view.render_line(y).text.strip() for y in range(view.size.height)]
    return " ".join(row for row in rows if row)


def test_library_lists_the_five_seeds(seeds_library: Library) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, LibraryScreen)
        table = table_of(app)
        assert table.row_count == 5
        titles = [table.get_row_at(n)[0].plain for n in range(5)]
        assert titles == [e.article.title for e in seeds_library.entries()]
        assert all(isinstance(cell, Text) for cell in table.get_row_at(0))

    drive(make_app(seeds_library), scenario)


def test_enter_opens_the_first_article_and_keys_move_the_cursor(seeds_library: Library) -> None:
    first = seeds_library.entries()[0]

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.entry.id == first.id
        header = str(app.screen.query_one("#article-header", Static).render())
        assert first.article.title in header
        view = view_of(app)
        assert view.cursor_offset == 0
        await pilot.press("j")
        after_j = view.cursor_offset
        assert after_j > 0
        assert first.article.text[after_j - 1] in " \n"  # the start of the next line
        await pilot.press("k")
        assert view.cursor_offset == 0
        await pilot.press("G")
        last = view.lines[-1]
        assert view.cursor_offset == last.start
        assert view.scroll_offset.y == view.max_scroll_y > 0  # scrolled to show the end
        assert first.article.text[last.start : last.end].strip() in screen_text(view)
        await pilot.press("g")
        assert view.cursor_offset == 0 and view.scroll_offset.y == 0
        await pilot.press("space")
        assert view.cursor_row >= view.size.height - 2
        await pilot.press("q")
        assert isinstance(app.screen, LibraryScreen)

    drive(make_app(seeds_library), scenario)


def test_position_is_saved_and_restored(seeds_library: Library) -> None:
    second = seeds_library.entries()[1]
    saved: list[int] = []

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("j", "enter")  # j moves down the library too
        assert view_of(app).article is second.article
        await pilot.press("j", "j", "j")
        saved.append(view_of(app).cursor_offset)
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("enter")
        assert view_of(app).cursor_offset == saved[0]

    drive(make_app(seeds_library), scenario)
    assert saved[0] > 0
    with Store() as store:
        assert store.get_position(second.id) == saved[0]


def test_position_survives_a_resize(seeds_library: Library) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "space", "j", *["right"] * 7, "shift+right", "shift+right")
        view = view_of(app)
        offset = view.cursor_offset
        selection = view.selection
        assert selection is not None
        for size in ((50, 20), (60, 15), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert view.cursor_offset == offset and view.selection == selection
            line = view.lines[view.cursor_row]
            assert line.start <= offset < line.end
            top = view.scroll_offset.y
            assert top <= view.cursor_row < top + view.size.height

    drive(make_app(seeds_library), scenario)


def test_help_lists_the_declared_bindings(seeds_library: Library) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        by_action = {description: keys for keys, description, _ in app.screen.rows}
        # escape belongs to the view first (it drops a selection), then goes back.
        assert by_action["Library"] == "q"
        assert by_action["Clear selection"] == "esc"
        assert by_action["Word"] == "w" and by_action["Select"] == "v"
        assert "j" in by_action["Down"] and "G" in by_action["Bottom"]
        assert by_action["Quit"] == "^q"
        table = app.screen.query_one("#help-table", DataTable)
        assert table.row_count == len(app.screen.rows)
        await pilot.press("escape")
        assert isinstance(app.screen, ArticleScreen)

    drive(make_app(seeds_library), scenario)


def test_markup_in_an_article_stays_literal_and_inert(hostile_library: Library) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        table = table_of(app)
        assert UNTRUSTED in table.get_row_at(0)[0].plain
        await pilot.click("#library-table", offset=(10, 1))  # the cursor row: opens it
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        header = str(app.screen.query_one("#article-header", Static).render())
        assert UNTRUSTED in header
        view = view_of(app)
        assert UNTRUSTED in screen_text(view)
        for x in range(0, 100, 7):
            for y in (0, 1, 2, 3):
                await pilot.click(ArticleView, offset=(x, y))
            await pilot.click("#article-header", offset=(x, 1))
        await pilot.press("j", "k", "G", "g", "enter", "tab")
        assert app.is_running
        assert isinstance(app.screen, ArticleScreen)
        assert app.return_code is None

    drive(make_app(hostile_library), scenario)


def test_theme_is_set_before_the_first_frame_and_remembered(seeds_library: Library) -> None:
    save_setting("theme", "nord")
    themes_painted: list[str] = []

    class Watching(SummitReaderApp):
        def _display(self, screen: Any, renderable: Any) -> None:
            themes_painted.append(self.theme)
            super()._display(screen, renderable)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        assert app.theme == "nord"
        app.theme = "gruvbox"
        await pilot.pause()

    drive(Watching(seeds_library, store_path()), scenario)
    assert themes_painted[0] == "nord"  # never a frame in the default theme first
    assert load_settings()["theme"] == "gruvbox"
    assert not store_path().exists()  # a theme is not a note: the store is not created


def test_a_theme_kept_in_the_store_by_an_older_version_moves_to_the_settings(
    seeds_library: Library,
) -> None:
    with Store() as store:
        store.set_pref("theme", "nord")

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        assert app.theme == "nord"

    drive(make_app(seeds_library), scenario)
    assert load_settings() == {"theme": "nord"}


def test_damaged_settings_start_in_the_default_theme_and_are_replaced(
    seeds_library: Library,
) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"theme": "nord"')  # cut short
    default = SummitReaderApp(seeds_library, store_path()).theme

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        assert app.theme == default
        app.theme = "gruvbox"
        await pilot.pause()

    drive(make_app(seeds_library), scenario)
    assert load_settings() == {"theme": "gruvbox"}


def test_a_theme_that_cannot_be_saved_is_said_once_and_the_reader_goes_on(
    seeds_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(app_module, "save_setting", refuse)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        app.theme = "gruvbox"
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]  # noqa: SLF001
        assert messages == ["The theme will not be remembered: Permission denied"]
        assert app.theme == "gruvbox" and app.is_running

    drive(make_app(seeds_library), scenario)
    assert load_settings() == {}


def test_css_resolves_for_a_subclass_defined_elsewhere_and_loads_screen_by_screen(
    seeds_library: Library,
) -> None:
    """Only the library's CSS is read at start; each screen's comes when it is shown."""

    class Sub(SummitReaderApp):
        pass

    app = Sub(seeds_library, store_path())

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        rules = app.stylesheet.rules_map
        assert rules.get("#library-table"), "app.tcss was not loaded"
        assert not rules.get("#article-header") and not rules.get("#help-box")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert app.stylesheet.rules_map.get("#article-header")
        header = app.screen.query_one("#article-header", Static)
        assert header.styles.max_height is not None and header.styles.max_height.value == 12
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.query_one("#help-box").styles.width is not None

    drive(app, scenario)
    sheets = [SummitReaderApp.CSS_PATH, ARTICLE_CSS, ALL_NOTES_CSS, DIALOGS_CSS]
    assert all(Path(str(p)).is_file() for p in sheets)


def test_ctrl_q_quits_from_an_article_and_saves_the_position(seeds_library: Library) -> None:
    first = seeds_library.entries()[0]

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "j", "j", "ctrl+q")

    app = make_app(seeds_library)
    drive(app, scenario)
    assert app.return_code == 0
    with Store() as store:
        assert (store.get_position(first.id) or 0) > 0


def test_a_module_still_being_imported_is_read_as_not_loaded_yet(
    seeds_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker may be importing the store module when the store-check timer fires.

    The module stands in ``sys.modules`` from its first line, partly run, with no
    ``NOTICES`` yet: that is nothing to tell, not an AttributeError on the UI thread (a
    benchmark run met it once). The article module is asked the same way.
    """
    from summitreader.core import store as store_module

    app = make_app(seeds_library)
    partial = types.ModuleType("summitreader.core.store")
    monkeypatch.setitem(sys.modules, "summitreader.core.store", partial)
    app._tell_store_problems()
    assert app._store_problems == set()
    # Once the module has defined them, the notices any thread left are taken and told.
    partial.NOTICES = store_module.NOTICES  # type: ignore[attr-defined]
    store_module.NOTICES.add(app.store_path, "The store was moved aside.")
    app._tell_store_problems()
    assert app._store_problems == {"The store was moved aside."}

    monkeypatch.setitem(sys.modules, "summitreader.ui.screens.article", types.ModuleType("article"))
    assert not app_module.is_article_screen(object())
