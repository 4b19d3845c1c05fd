"""The reader follows the store when another copy changes it: Pilot, in one process.

"Another copy" is a :class:`Store` with its own :class:`WriteJournal`: its writes are not
this process's, exactly as a second running copy's are not. The tests call the watcher's
check (:meth:`SummitReaderApp.check_store`, what the timer calls) instead of waiting for the
timer, then wait for the workers; one test lets the timer do it, polling with a timeout.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable
from textual.worker import WorkerCancelled

from summitreader.core.annotations import Annotation
from summitreader.core.library import Library, LibraryEntry
from summitreader.core.notes import ResolvedNote, create_highlight, resolve_notes
from summitreader.core.spans import sentence_at
from summitreader.core.store import Store, StoreError
from summitreader.core.watch import WriteJournal
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens import article as article_module
from summitreader.ui.screens.all_notes import AllNotesScreen
from summitreader.ui.widgets.annotation_panel import AnnotationPanel
from summitreader.ui.widgets.article_view import ArticleView

from ..support import SIZE, article_screen, stored

RELOADED = "Notes changed in another window: reloaded."


def other_copy() -> Store:
    """The shared store as a second running copy writes it."""
    return Store(journal=WriteJournal())


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the workers; a recount may replace an older one (exclusive), so go again."""
    while True:
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        break
    await pilot.pause()


async def notice(app: SummitReaderApp, pilot: Pilot[None]) -> bool:
    """Let the watcher look, as its timer does, and wait for the reloads that starts.

    The screens start their workers when they handle ``StoreChanged``, so the messages are
    delivered first; only then is there a worker to wait for.
    """
    changed = app.check_store()
    await pilot.pause()
    while any(screen.message_queue_size for screen in app.screen_stack):
        await pilot.pause()
    await pilot.pause()  # the last one taken from a queue is handled by now
    await settle(pilot)
    return changed


def run(app: SummitReaderApp, scenario: object, *, timer: bool = False) -> None:
    """Run ``scenario``; without ``timer`` the watcher only looks when the test asks it to."""
    if not timer:
        app.WATCH_INTERVAL = 3600.0

    async def go() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await scenario(app, pilot)  # type: ignore[operator]
            await settle(pilot)

    asyncio.run(go())


def sentence(entry: LibraryEntry, number: int) -> str:
    """The first sentence of paragraph ``number`` (from 0) of the article."""
    text = entry.article.text
    start = 0
    for _ in range(number):
        start = text.index("\n\n", start) + 2
    begin, end = sentence_at(text, start)
    return text[begin:end]


def reloads(app: SummitReaderApp) -> int:
    return sum(1 for n in app._notifications if str(n.message) == RELOADED)


def test_another_copys_changes_are_shown_where_the_reader_is(
    seeds_library: Library, first: LibraryEntry
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        screen = article_screen(app)
        view = screen.query_one(ArticleView)
        panel = screen.query_one(AnnotationPanel)
        await pilot.press("h")
        await settle(pilot)
        [mine] = screen.highlights.values()
        assert app.check_store() is False  # our own save is not another copy's change

        await pilot.press("space", "w")  # a page down, with a selection
        cursor, selection, scroll = view.cursor_offset, view.selection, view.scroll_y
        assert scroll > 0
        assert selection is not None
        with other_copy() as other:
            theirs = create_highlight(other, first, sentence(first, 1))
            other.put(mine.edited(note="written in the other window"))
        assert await notice(app, pilot) is True
        assert set(screen.highlights) == {mine.id, theirs.id}
        assert screen.highlights[mine.id].note == "written in the other window"
        assert {h.id for h in view.highlights} == {mine.id, theirs.id}
        assert panel.annotation_ids() == [mine.id, theirs.id]
        assert (view.cursor_offset, view.selection, view.scroll_y) == (cursor, selection, scroll)
        assert reloads(app) == 1

        with other_copy() as other:
            other.delete(theirs.id)
        assert await notice(app, pilot) is True
        assert list(screen.highlights) == [mine.id]
        assert [h.id for h in view.highlights] == [mine.id]
        assert panel.annotation_ids() == [mine.id]
        assert app.library_screen.counts[first.id] == 1  # the library under it recounted
        assert reloads(app) == 1  # told once, not at every change

        version = view.version
        with other_copy() as other:
            other.set_position("elsewhere", 3)  # a change this screen does not show
        assert await notice(app, pilot) is True
        assert view.version == version  # nothing repainted: no flicker
        assert app.check_store() is False  # and nothing new since

    run(make_app(seeds_library, start=first), scenario)


def test_a_change_still_pending_here_wins_over_the_reload(
    seeds_library: Library, first: LibraryEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_put = Store.put

    def refuse(self: Store, annotation: Annotation) -> None:
        raise StoreError("disk full")

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        screen = article_screen(app)
        await pilot.press("h")
        await settle(pilot)
        [mine] = screen.highlights.values()
        monkeypatch.setattr(Store, "put", refuse)
        await pilot.press("3")  # blue, not saved: pending
        await settle(pilot)
        assert [c.kind for c in screen.pending] == ["update"]
        with other_copy() as other:
            real_put(other, mine.edited(note="theirs"))
        assert await notice(app, pilot) is True
        shown = screen.highlights[mine.id]
        assert (shown.color, shown.note) == ("blue", "")  # ours, still to be saved
        monkeypatch.setattr(Store, "put", real_put)
        await pilot.press("4")  # the next change saves both, in order
        await settle(pilot)
        assert screen.pending == []

    run(make_app(seeds_library, start=first), scenario)
    # The later write wins, whole: this copy's version replaced the other's note.
    [final] = stored(first)
    assert (final.color, final.note) == ("pink", "")


def test_no_save_of_this_copy_runs_between_a_reload_reading_and_reporting(
    seeds_library: Library, first: LibraryEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Else a save confirmed in between would be undone on screen by the older snapshot."""
    reading, go_on = threading.Event(), threading.Event()
    go_on.set()

    def slow_resolve(*args: Any, **kwargs: Any) -> list[ResolvedNote]:
        notes = resolve_notes(*args, **kwargs)
        reading.set()
        assert go_on.wait(timeout=60)
        return notes

    monkeypatch.setattr(article_module, "resolve_notes", slow_resolve)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        screen = article_screen(app)
        go_on.clear()
        reading.clear()
        with other_copy() as other:
            theirs = create_highlight(other, first, sentence(first, 1))
        assert app.check_store() is True
        try:
            deadline = time.monotonic() + 30
            while not reading.is_set():  # the reload has read the store, not yet reported
                assert time.monotonic() < deadline, "the reload never read the store"
                await pilot.pause(0.01)
            assert screen._writing.locked()  # so a save started now waits for its report
            await pilot.press("h")
        finally:
            go_on.set()
        await settle(pilot)
        assert screen.pending == []
        assert len(screen.highlights) == 2 and theirs.id in screen.highlights

    run(make_app(seeds_library, start=first), scenario)
    assert len(stored(first)) == 2


def test_an_edit_of_a_highlight_deleted_elsewhere_brings_it_back(
    seeds_library: Library, first: LibraryEntry
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        screen = article_screen(app)
        await pilot.press("h")
        await settle(pilot)
        [mine] = screen.highlights.values()
        with other_copy() as other:
            other.delete(mine.id)  # not seen here yet: the watcher has not looked
        await pilot.press("n", *"keep me", "ctrl+s")
        await settle(pilot)
        assert screen.pending == []  # saved, not stuck behind a "no such annotation"

    run(make_app(seeds_library, start=first), scenario)
    [final] = stored(first)
    assert final.note == "keep me"
    with Store() as store:
        assert store.undelete() is None  # its trash entry went with the edit


def test_a_note_typed_while_another_copy_deleted_its_highlight_is_kept(
    seeds_library: Library, first: LibraryEntry
) -> None:
    made: list[str] = []

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        screen = article_screen(app)
        await pilot.press("h")
        await settle(pilot)
        [mine] = screen.highlights.values()
        made.append(mine.id)
        await pilot.press("n", *"typed")
        with other_copy() as other:
            other.delete(mine.id)
        assert await notice(app, pilot) is True
        assert mine.id not in screen.highlights  # the reload under the editor saw it go
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.highlights[mine.id].note == "typed"
        assert any("brings it back" in str(n.message) for n in app._notifications)

    run(make_app(seeds_library, start=first), scenario)
    [final] = stored(first)
    assert [final.id, final.note] == [*made, "typed"]


def test_the_notes_list_follows_another_copy(seeds_library: Library, first: LibraryEntry) -> None:
    with Store() as store:
        kept = create_highlight(store, first, sentence(first, 0))
        create_highlight(store, first, sentence(first, 2))

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("N")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AllNotesScreen)
        table: DataTable[object] = screen.query_one("#notes-table", DataTable)
        table.move_cursor(row=table.get_row_index(kept.id))
        with other_copy() as other:
            added = create_highlight(other, first, sentence(first, 1))
        assert await notice(app, pilot) is True
        assert added.id in {n.annotation.id for n in screen.notes}
        assert table.row_count == 3
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == kept.id

    run(make_app(seeds_library), scenario)


def test_the_timer_notices_another_copy_by_itself(
    seeds_library: Library, first: LibraryEntry
) -> None:
    app = make_app(seeds_library, start=first)
    app.WATCH_INTERVAL = 0.05

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        screen = article_screen(app)
        with other_copy() as other:
            theirs = create_highlight(other, first, sentence(first, 1))
        deadline = time.monotonic() + 30  # only reached if the timer never fires
        while theirs.id not in screen.highlights:
            assert time.monotonic() < deadline, "the watcher never reloaded"
            await pilot.pause(0.05)
        # Told at most once; on a loaded machine the notice may have timed out already.
        assert reloads(app) <= 1

    run(app, scenario, timer=True)
