"""Finding things: the library's filter, sort and notes counts, and the all-notes list.

Same shape as ``test_app.py``: plain functions running the app with ``asyncio.run``, keys in
through Pilot, waiting for the workers (never sleeping). Notes are made through the core,
as another running copy or the CLI would make them.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from summitreader.core.library import Library, LibraryEntry
from summitreader.core.notes import create_highlight
from summitreader.core.store import Store
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens.all_notes import AllNotesScreen
from summitreader.ui.screens.article import ArticleScreen
from summitreader.ui.screens.help import HelpScreen
from summitreader.ui.screens.library import SORTS, LibraryScreen, sort_entries
from summitreader.ui.widgets.article_view import ArticleView

from .support import UNTRUSTED, drive, highlight, orphan_of, settle


def library_table(app: SummitReaderApp) -> DataTable[Text]:
    assert isinstance(app.screen, LibraryScreen)
    return app.screen.query_one("#library-table", DataTable)


def notes_table(app: SummitReaderApp) -> DataTable[Text]:
    assert isinstance(app.screen, AllNotesScreen)
    return app.screen.query_one("#notes-table", DataTable)


def column(table: DataTable[Text], key: str) -> list[str]:
    """The plain text of one column, top to bottom."""
    return [cell.plain for cell in table.get_column(key)]


def row_ids(table: DataTable[Text]) -> list[str]:
    return [str(row.key.value) for row in table.ordered_rows]


def word_only_in(entries: list[LibraryEntry], index: int) -> str:
    """A word of article ``index``'s body that no other article has in title, source or body."""
    others = [
        f"{e.article.title}\n{e.article.source or ''}\n{e.article.text}".casefold()
        for n, e in enumerate(entries)
        if n != index
    ]
    for word in entries[index].article.text.split():
        word = word.strip(".,;:!?\"'()“”‘’")
        if len(word) > 6 and word.isalpha() and all(word.casefold() not in o for o in others):
            return word
    raise AssertionError("no distinctive word")


# -- the library ------------------------------------------------------------------------------


def test_filter_by_source_and_by_body_word_then_escape(seeds_library: Library) -> None:
    entries = seeds_library.entries()
    by_source = next(e for e in entries if e.article.source)
    source = by_source.article.source or ""
    assert sum(source.casefold() in (e.article.source or "").casefold() for e in entries) == 1
    body_word = word_only_in(entries, 2)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        table = library_table(app)
        assert not app.screen.query("#library-filter")  # built by the first "/"
        await pilot.press("slash")
        box = app.screen.query_one("#library-filter", Input)
        assert box.display and box.has_focus
        await pilot.press(*source.upper())  # case-insensitive
        await pilot.pause()
        assert row_ids(table) == [by_source.id]
        await pilot.press("enter")  # back to the list, filter kept
        assert table.has_focus and row_ids(table) == [by_source.id]
        await pilot.press("slash", "ctrl+u", *body_word)  # ctrl+u: Input clears to the start
        await pilot.pause()
        assert row_ids(table) == [entries[2].id]
        await pilot.press("escape")
        assert not box.display and box.value == "" and table.has_focus
        assert row_ids(table) == [e.id for e in entries]
        assert app.is_running  # escape closed the filter, it did not quit

    drive(make_app(seeds_library), scenario)


def test_escape_without_a_filter_leaves_the_reader(seeds_library: Library) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("escape")

    app = make_app(seeds_library)
    drive(app, scenario)
    assert app.return_code == 0


def test_s_cycles_the_sort_and_the_first_row_follows(seeds_library: Library) -> None:
    entries = seeds_library.entries()

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        table = library_table(app)
        label = app.screen.query_one("#library-sort", Static)
        seen_first: list[str] = []
        for sort in (*SORTS[1:], SORTS[0]):
            await pilot.press("s")
            expected = [e.id for e in sort_entries(entries, sort)]
            assert row_ids(table) == expected
            assert sort in str(label.render())
            seen_first.append(expected[0])
        assert len(set(seen_first)) > 1  # the sorts really reorder the seeds

    # The rule itself, from the article data: newest date first, sources and titles A-Z.
    by_date = sort_entries(entries, "date")
    dated = [e.article.date for e in by_date if e.article.date]
    assert dated == sorted(dated, reverse=True)
    assert by_date[0].article.date == max(e.article.date or "" for e in entries)
    by_title = sort_entries(entries, "title")
    assert by_title[0].article.title == min((e.article.title for e in entries), key=str.casefold)
    by_source = [e.article.source for e in sort_entries(entries, "source") if e.article.source]
    assert by_source == sorted(by_source, key=str.casefold)

    drive(make_app(seeds_library), scenario)


def test_notes_count_refreshes_when_coming_back(seeds_library: Library) -> None:
    first = seeds_library.entries()[0]

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        table = library_table(app)
        assert table.get_cell(first.id, "notes").plain == "0"
        await pilot.press("enter")
        assert isinstance(app.screen, ArticleScreen)
        highlight(first)  # through the core, while the article is open
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert library_table(app).get_cell(first.id, "notes").plain == "1"

    drive(make_app(seeds_library), scenario)


def test_the_store_is_read_once_at_start_after_the_rows_and_not_by_the_ui_thread(
    seeds_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large store takes a while to read: once, in the worker, once the list is shown."""
    first = seeds_library.entries()[0]
    highlight(first)
    reads: list[tuple[bool, bool]] = []
    real_all = Store.all

    def counting(self: Store) -> Any:
        rows_shown = isinstance(app.screen, LibraryScreen) and app.screen.complete
        reads.append((threading.current_thread() is threading.main_thread(), rows_shown))
        return real_all(self)

    monkeypatch.setattr(Store, "all", counting)
    app = make_app(seeds_library)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        assert library_table(app).get_cell(first.id, "notes").plain == "1"
        assert reads == [(False, True)]
        assert app._store is None  # noqa: SLF001 - the UI thread has not needed its own yet

    drive(app, scenario)


def test_library_keys_are_declared_and_in_the_help(seeds_library: Library) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        by_action = {description: keys for keys, description, _ in app.screen.rows}
        assert by_action["Filter"] == "/"
        assert by_action["Sort"] == "s"
        assert by_action["All notes"] == "N"
        tooltips = {description: tip for _, description, tip in app.screen.rows}
        assert all(tooltips[d] for d in ("Filter", "Sort", "All notes", "Clear filter / Quit"))

    drive(make_app(seeds_library), scenario)


# -- all notes --------------------------------------------------------------------------------


def test_all_notes_lists_in_reading_order_filters_and_opens_the_passage(
    seeds_library: Library,
) -> None:
    entries = seeds_library.entries()
    third_paragraph = entries[0].article.text.split("\n\n")[2]
    with Store() as store:
        later = create_highlight(store, entries[2], entries[2].article.text.split("\n\n")[1])
        tagged = create_highlight(
            store, entries[0], third_paragraph, note="Look here\nsecond line", tags=["summit"]
        )
        early = create_highlight(store, entries[0], entries[0].article.text.split("\n\n")[0])
    orphan = orphan_of(entries[1])

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("N")
        await settle(pilot)
        table = notes_table(app)
        ids = row_ids(table)
        assert ids[:3] == [early.id, tagged.id, later.id]  # library order, then position
        assert len(ids) == 4 and ids[-1] == orphan.id
        last = table.get_row(orphan.id)
        assert "orphan" in last[-1].plain
        assert table.get_cell(tagged.id, "note").plain == "Look here"
        assert table.get_cell(tagged.id, "tags").plain == "#summit"
        assert table.get_cell(tagged.id, "colour").plain.endswith("yellow")
        assert table.get_cell(tagged.id, "article").plain == entries[0].article.title

        await pilot.press("slash", *"#summit")
        await pilot.pause()
        assert row_ids(table) == [tagged.id]
        await pilot.press("enter")
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.entry.id == entries[0].id
        assert app.screen.query_one(ArticleView).cursor_offset == tagged.selector.start > 0

        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, AllNotesScreen)
        await pilot.press("escape")  # clears the filter first
        assert len(row_ids(notes_table(app))) == 4
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)

    drive(make_app(seeds_library), scenario)


def test_n_opens_the_notes_from_an_article_and_q_returns_to_it(seeds_library: Library) -> None:
    first = seeds_library.entries()[0]
    note = highlight(first)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "N")
        await settle(pilot)
        assert row_ids(notes_table(app)) == [note.id]
        await pilot.press("N")  # already there: not stacked twice
        assert sum(isinstance(s, AllNotesScreen) for s in app.screen_stack) == 1
        await pilot.press("q")
        assert isinstance(app.screen, ArticleScreen)

    drive(make_app(seeds_library), scenario)


def test_an_orphan_opens_where_the_reader_left_off(seeds_library: Library) -> None:
    second = seeds_library.entries()[1]
    orphan = orphan_of(second)
    with Store() as store:
        store.set_position(second.id, 7)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("N")
        await settle(pilot)
        assert row_ids(notes_table(app)) == [orphan.id]
        await pilot.press("enter")
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.query_one(ArticleView).cursor_offset == 7
        assert any("no longer" in n.message for n in app._notifications)

    drive(make_app(seeds_library), scenario)


def test_markup_in_notes_and_titles_shows_literally(hostile_library: Library) -> None:
    entry = hostile_library.entries()[0]
    note = highlight(entry, note=f"{UNTRUSTED}\nmore", tags=("[bold]t[/bold]",))

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("N")
        await settle(pilot)
        table = notes_table(app)
        row = table.get_row(note.id)
        assert all(isinstance(cell, Text) for cell in row)
        assert table.get_cell(note.id, "note").plain == UNTRUSTED
        assert UNTRUSTED in table.get_cell(note.id, "article").plain
        assert table.get_cell(note.id, "tags").plain == "#[bold]t[/bold]"
        for cell in row:
            assert not any(span.style and "@click" in str(span.style) for span in cell.spans)
        await pilot.click("#notes-table", offset=(60, 1))
        await pilot.click("#notes-table", offset=(40, 1))
        assert app.is_running and app.return_code is None

    drive(make_app(hostile_library), scenario)
