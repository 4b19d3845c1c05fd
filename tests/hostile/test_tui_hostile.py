"""Every hostile case in the reader, through Pilot: open it, press keys, search, go back.

One reader runs on a library holding every case. The refused files must be reported (and
not listed); each of the others is opened from the list, keys move, select, highlight and
show the removed chrome, part of the payload is searched for, and the reader goes back to
the list. After each step the whole screen is checked (``screen.check_screen``): no control,
escape or bidi character in any segment, no hyperlink or click action from untrusted text,
and every row of the article exactly as wide as the view. The reader must still be running
at the end, on the screen the keys lead to, with nothing raised.
"""

from __future__ import annotations

import time
from pathlib import Path

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import DataTable

from summitreader.core.library import Library
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens.article import ArticleScreen
from summitreader.ui.screens.library import LibraryScreen
from summitreader.ui.widgets.article_view import ArticleView
from ui.support import drive

from .conftest import HostileTally
from .corpus import CASES, Case
from .screen import check_screen

#: Keys typed on the open article, in one go: down, bottom, select a word, highlight it, a
#: page up, top, a character and a word right, and last show the removed chrome (so its
#: effect proves every key before it was handled: keys are handled in order).
KEYS = ("j", "G", "w", "h", "b", "g", "right", "ctrl+right", "c")

#: How much of the probe is typed into the search box.
TYPED = 12


async def type_keys(pilot: Pilot[None], *keys: str) -> None:
    """Send ``keys`` as the terminal would, then wait once for the reader to handle them.

    ``pilot.press`` waits for the app to go idle after every key (some 60 ms a key);
    sending a run of keys and waiting once tests the same handling in a fraction of the
    time. Only for runs in which no key depends on a focus change made by an earlier one
    (those go through ``pilot.press``); the caller checks the last key's effect.
    """
    for key in keys:
        char = key if len(key) == 1 else None
        name = _character_to_key(key) if char is not None and not key.isalnum() else key
        pilot.app.post_message(events.Key(name, char))
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()


def check_view(view: ArticleView) -> None:
    """Every row of the article body fills the view's width exactly: nothing spills over."""
    width = view.scrollable_content_region.width
    for y in range(view.size.height):
        assert view.render_line(y).cell_length == width, f"row {y} is not {width} cells"


def _library(folder: Path) -> tuple[Library, dict[str, Case]]:
    """One folder holding every case, each under its own name; the cases by article id."""
    folder.mkdir()
    for case in CASES:
        named = case.filename != Case.filename  # the awkward name is the point of that case
        case.write(folder, None if named else f"{case.name}.txt")
    library = Library.from_environment(folder)
    by_id = {}
    for entry in library.entries():
        name = entry.path.name
        [case] = [c for c in CASES if name in (f"{c.name}.txt", Path(c.filename).name)]
        by_id[entry.id] = case
    return library, by_id


async def _read(app: SummitReaderApp, pilot: Pilot[None], case: Case, row: int) -> None:
    """Open the article on ``row`` of the library, press keys, search, and go back."""
    table = app.screen.query_one("#library-table", DataTable)
    table.move_cursor(row=row)
    await pilot.press("enter")
    screen = app.screen
    assert isinstance(screen, ArticleScreen)
    view = screen.view
    text = check_screen(app)
    if case.probe and case.probe in screen.entry.article.title:
        assert case.probe[:TYPED] in text  # the title in the header, literally
    await type_keys(pilot, *KEYS)
    assert view.show_chrome == bool(screen.entry.article.removed)  # the last key was handled
    assert app.screen is screen
    check_screen(app)
    check_view(view)
    if case.probe is not None:
        query = case.probe[:TYPED].strip()
        await pilot.press("slash")  # (waits: the search box must have the focus)
        await type_keys(pilot, *query)
        assert screen.query_text == query  # every character reached the search box
        if query in screen.entry.article.text:
            assert screen.matches, f"no match for {query!r}"
        check_screen(app)  # the matches painted over the payload
        check_view(view)
        await type_keys(pilot, "escape")  # cancels the search
        assert not screen.query_text
    await type_keys(pilot, "q")  # back to the library
    assert isinstance(app.screen, LibraryScreen)
    check_screen(app)


def test_reader_opens_every_case(tmp_path: Path, hostile_tally: HostileTally) -> None:
    """One reader on a library of every case: the refused are reported, the rest read.

    One session rather than one per case: a reader started per case would add its start
    and stop to each, and a case that broke the reader still fails the test, by name.
    """
    library, by_id = _library(tmp_path / "library")
    shown = [c for c in CASES if c.expect == "shown"]
    refused = [c for c in CASES if c.expect == "refused"]
    assert sorted(c.name for c in by_id.values()) == sorted(c.name for c in shown)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, LibraryScreen)
        check_screen(app)  # the list of every title, and toasts naming refused files
        for case in refused:  # reported while the library loaded: nothing to time
            hostile_tally.start(case.name, "tui")
            [problem] = [p for p in library.problems if f"/{case.name}.txt: " in p]
            assert case.reason in problem
            hostile_tally.done(case.name, "tui", "refused")
        table = app.screen.query_one("#library-table", DataTable)
        assert table.row_count == len(shown)
        read: list[str] = []
        for row in range(table.row_count):
            case = by_id[str(table.coordinate_to_cell_key((row, 0)).row_key.value)]
            read.append(case.name)
            hostile_tally.start(case.name, "tui")
            begun = time.monotonic()
            try:
                await _read(app, pilot, case, row)
            except Exception as exc:
                raise AssertionError(f"case {case.name}: {exc}") from exc
            hostile_tally.done(case.name, "tui", "shown", time.monotonic() - begun)
        assert sorted(read) == sorted(c.name for c in shown)  # each one, once
        assert app.is_running and app.return_code is None

    drive(make_app(library), scenario)
