"""Faults under the reader: a store that cannot be written, damaged or newer store files.

The disk is made to refuse at the system-call level the store uses (``tempfile.mkstemp`` in
the store's folder for a read-only folder, ``os.fsync`` for a full disk), so the real save
path runs and fails as it would. A real ``chmod 0500`` folder is tested too, where it means
anything (not as root). Nothing sleeps a fixed time: the tests poll, with a generous limit
that is only reached when something is broken, for what the retry timers must bring about.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button

from summitreader.core import locations
from summitreader.core.annotations import Annotation, new_annotation
from summitreader.core.export import parse_import
from summitreader.core.library import Library, LibraryEntry
from summitreader.core.rescue import RESCUE_STEM
from summitreader.core.store import SCHEMA_VERSION, Store
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.messages import StoreChange
from summitreader.ui.screens import article
from summitreader.ui.screens.article import ArticleScreen
from summitreader.ui.screens.unsaved import UnsavedScreen

from .support import SIZE, article_screen, settle, stored

#: Retries this often in these tests, so the fault's end is noticed at once.
QUICK = 0.02
#: How long a poll may take before the test fails: never reached unless something is broken.
LIMIT = 30.0


class DiskFault:
    """Makes one system call fail with ``code`` while :attr:`on`; counts the refusals."""

    def __init__(self, code: int) -> None:
        self.code = code
        self.on = True
        self.refused = 0

    def wrap(self, real: Callable[..., Any], applies: Callable[..., bool]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if self.on and applies(*args, **kwargs):
                self.refused += 1
                raise OSError(self.code, os.strerror(self.code))
            return real(*args, **kwargs)

        return call


def store_folder() -> Path:
    return locations.store_path().parent


@pytest.fixture(params=["read-only folder", "disk full"])
def fault(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> DiskFault:
    """The store's folder refuses new files (EROFS), or the disk is full (ENOSPC)."""
    if request.param == "read-only folder":
        made = DiskFault(errno.EROFS)
        in_store_folder = lambda *a, **k: Path(k.get("dir", "")) == store_folder()  # noqa: E731
        monkeypatch.setattr(tempfile, "mkstemp", made.wrap(tempfile.mkstemp, in_store_folder))
    else:
        made = DiskFault(errno.ENOSPC)
        monkeypatch.setattr(os, "fsync", made.wrap(os.fsync, lambda *a, **k: True))
    made.on = False  # switched on by each test once the app is up
    return made


@pytest.fixture
def read_only_store(monkeypatch: pytest.MonkeyPatch) -> DiskFault:
    """The store's folder refuses new files; the documents folder is fine."""
    made = DiskFault(errno.EROFS)
    in_store_folder = lambda *a, **k: Path(k.get("dir", "")) == store_folder()  # noqa: E731
    monkeypatch.setattr(tempfile, "mkstemp", made.wrap(tempfile.mkstemp, in_store_folder))
    made.on = False
    return made


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until ``condition`` holds; fail after :data:`LIMIT` seconds."""
    deadline = time.monotonic() + LIMIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        await pilot.pause(QUICK)


def quick(app: SummitReaderApp) -> SummitReaderApp:
    app.retry_every = QUICK
    return app


def run(app: SummitReaderApp, scenario: Callable[[Pilot[None]], Any]) -> None:
    """Run ``scenario``; unlike ``support.drive`` it may end by quitting the app."""

    async def go() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await scenario(pilot)
            if app.is_running:
                await settle(pilot)

    asyncio.run(go())


@pytest.fixture(autouse=True)
def _keep_notices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every notice the app posts: a slow machine can outlive a notice's timeout, and
    these tests count how often something was said, not whether it is still on screen."""
    real = SummitReaderApp.notify

    def notify(self: SummitReaderApp, message: Any, *args: Any, **kwargs: Any) -> None:
        self.__dict__.setdefault("_told", []).append(str(message))
        real(self, message, *args, **kwargs)

    monkeypatch.setattr(SummitReaderApp, "notify", notify)


def notes_of(app: SummitReaderApp) -> list[str]:
    """Every notice the app has posted so far, oldest first (expired ones included)."""
    return list(app.__dict__.get("_told", []))


def rescue_files() -> list[Path]:
    folder = locations.documents_dir()
    return sorted(folder.glob(f"{RESCUE_STEM}-*.json")) if folder.is_dir() else []


def ids(annotations: list[Annotation]) -> set[str]:
    return {a.id for a in annotations}


async def second_highlight(pilot: Pilot[None], screen: ArticleScreen) -> None:
    """Move down past the first highlight (the keys must still work) and highlight there."""
    before = screen.view.cursor_offset
    await pilot.press("j", "j", "j", "j")
    assert screen.view.cursor_offset > before
    assert screen.highlight_under_cursor() is None
    await pilot.press("h")


# -- a store that cannot be written ----------------------------------------------------------


def test_a_refused_save_is_told_once_kept_and_written_once_the_fault_ends(
    seeds_library: Library, first: LibraryEntry, fault: DiskFault
) -> None:
    app = quick(make_app(seeds_library, start=first))

    async def scenario(pilot: Pilot[None]) -> None:
        screen = article_screen(app)
        fault.on = True
        await pilot.press("h")
        await until(pilot, lambda: fault.refused >= 3, "three refused saves")
        assert [c.kind for c in screen.pending] == ["add"]
        assert stored(first) == []
        # The app keeps working: the cursor moves and more highlights can be made.
        await second_highlight(pilot, screen)
        await until(pilot, lambda: fault.refused >= 6, "more refused saves")
        assert [c.kind for c in screen.pending] == ["add", "add"]
        assert len(screen.highlights) == 2  # both drawn while unsaved
        told = [m for m in notes_of(app) if m.startswith("Could not save")]
        assert len(told) == 1, told  # once, not once per retry
        assert os.strerror(fault.code) in told[0] and "\n" not in told[0]
        fault.on = False  # no key pressed from here on: the retry timer does it
        await until(pilot, lambda: not screen.pending, "the pending changes to be written")
        await settle(pilot)
        assert ids(stored(first)) == set(screen.highlights)
        assert "The highlight changes that were waiting are saved." in notes_of(app)

    run(app, scenario)
    assert len(stored(first)) == 2
    assert rescue_files() == []


def test_changes_left_behind_are_kept_by_the_app_and_written_without_the_screen(
    seeds_library: Library, first: LibraryEntry, fault: DiskFault
) -> None:
    app = quick(make_app(seeds_library, start=first))

    async def scenario(pilot: Pilot[None]) -> None:
        screen = article_screen(app)
        fault.on = True
        await pilot.press("h")
        await until(pilot, lambda: fault.refused >= 1, "a refused save")
        made = set(screen.highlights)
        await pilot.press("q")  # back to the library: the screen goes, the change stays
        await settle(pilot)
        assert not isinstance(app.screen, ArticleScreen)
        assert [c.annotation.id for c in app.unsaved] == list(made)
        assert any("1 highlight change is not saved yet" in m for m in notes_of(app))
        refused = fault.refused
        await until(pilot, lambda: fault.refused > refused, "the app to retry")
        assert app.unsaved and stored(first) == []
        fault.on = False
        await until(pilot, lambda: not app.unsaved, "the app to write the change")
        assert ids(stored(first)) == made
        await settle(pilot)
        assert any(m.startswith("Saved 1 highlight change") for m in notes_of(app))

    run(app, scenario)
    assert rescue_files() == []


def test_reopening_the_article_shows_and_saves_its_unsaved_changes(
    seeds_library: Library, first: LibraryEntry, fault: DiskFault
) -> None:
    app = quick(make_app(seeds_library, start=first))

    async def scenario(pilot: Pilot[None]) -> None:
        fault.on = True
        await pilot.press("h")
        await until(pilot, lambda: fault.refused >= 1, "a refused save")
        made = set(article_screen(app).highlights)
        await pilot.press("q")
        await settle(pilot)
        app.open_article(first)
        await settle(pilot)
        screen = article_screen(app)
        assert app.unsaved == []  # the screen took its article's changes back
        assert set(screen.highlights) == made  # and draws the unsaved highlight
        assert [c.kind for c in screen.pending] == ["add"]
        await pilot.press("d")  # deleting it before it was ever saved
        await until(pilot, lambda: fault.refused >= 3, "more refused saves")
        assert screen.highlights == {}
        fault.on = False
        await until(pilot, lambda: not screen.pending, "the changes to be written")
        assert stored(first) == []

    run(app, scenario)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores folder permissions"
)
def test_a_really_read_only_folder(seeds_library: Library, first: LibraryEntry) -> None:
    folder = store_folder()
    with Store() as store:  # the store and its lock exist, as after any earlier use
        store.set_pref("theme", "textual-dark")
    app = quick(make_app(seeds_library, start=first))

    async def scenario(pilot: Pilot[None]) -> None:
        screen = article_screen(app)
        folder.chmod(0o500)
        try:
            await pilot.press("h")
            told = lambda: any(m.startswith("Could not save") for m in notes_of(app))  # noqa: E731
            await until(pilot, told, "the refusal to be told")
            assert [c.kind for c in screen.pending] == ["add"]
        finally:
            folder.chmod(0o700)
        await until(pilot, lambda: not screen.pending, "the change to be written")

    run(app, scenario)
    assert len(stored(first)) == 1


# -- quitting with changes that are not saved --------------------------------------------------


def quit_dialog(app: SummitReaderApp) -> UnsavedScreen:
    assert isinstance(app.screen, UnsavedScreen)
    return app.screen


async def refused_highlight(app: SummitReaderApp, pilot: Pilot[None], fault: DiskFault) -> str:
    fault.on = True
    await pilot.press("h")
    await until(pilot, lambda: fault.refused >= 1, "a refused save")
    [ident] = article_screen(app).highlights
    return ident


def test_quitting_with_unsaved_changes_asks_and_cancel_stays(
    seeds_library: Library, first: LibraryEntry, read_only_store: DiskFault
) -> None:
    app = make_app(seeds_library, start=first)

    async def scenario(pilot: Pilot[None]) -> None:
        await refused_highlight(app, pilot, read_only_store)
        await pilot.press("ctrl+q")
        await pilot.pause()
        dialog = quit_dialog(app)
        assert dialog.count == 1
        assert dialog.message.startswith("1 highlight change is not saved: cannot save notes")
        assert os.strerror(errno.EROFS) in dialog.message
        await pilot.press("ctrl+q")  # a second ctrl+q does not stack a second dialog
        await pilot.pause()
        assert sum(isinstance(s, UnsavedScreen) for s in app.screen_stack) == 1
        await pilot.press("c")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ArticleScreen)
        assert [c.kind for c in article_screen(app).pending] == ["add"]
        await pilot.press("j", "j", "j", "j")  # still reading
        read_only_store.on = False
        await pilot.press("ctrl+q")  # saved on the way out: no question
        await pilot.pause()

    run(app, scenario)
    assert not app.is_running and app.exit_note is None
    assert len(stored(first)) == 1 and rescue_files() == []


def test_retry_in_the_quit_dialog_saves_and_quits_once_it_can(
    seeds_library: Library, first: LibraryEntry, read_only_store: DiskFault
) -> None:
    app = make_app(seeds_library, start=first)

    async def scenario(pilot: Pilot[None]) -> None:
        await refused_highlight(app, pilot, read_only_store)
        await pilot.press("ctrl+q")
        await pilot.pause()
        refused = read_only_store.refused
        await pilot.press("r")  # still refused: asked again
        await pilot.pause()
        assert read_only_store.refused > refused
        assert quit_dialog(app).count == 1
        read_only_store.on = False
        await pilot.press("r")
        await pilot.pause()

    run(app, scenario)
    assert not app.is_running and app.exit_note is None
    assert len(stored(first)) == 1 and rescue_files() == []


def test_export_in_the_quit_dialog_writes_the_unsaved_annotations(
    seeds_library: Library, first: LibraryEntry, read_only_store: DiskFault
) -> None:
    app = make_app(seeds_library, start=first)
    made: list[Annotation] = []

    async def scenario(pilot: Pilot[None]) -> None:
        ident = await refused_highlight(app, pilot, read_only_store)
        await pilot.press("n")
        await pilot.press(*"kept [bold]")  # a note, edited while unsaved
        await pilot.press("ctrl+s")
        await until(pilot, lambda: read_only_store.refused >= 2, "the note to be refused")
        made.append(article_screen(app).highlights[ident])
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert quit_dialog(app).count == 2  # the add and the note
        await pilot.press("x")
        await pilot.pause()
        dialog = quit_dialog(app)  # asked again, now saying where they went
        [path] = rescue_files()
        assert str(path) in dialog.message and "summit-reader import" in dialog.message
        assert dialog.query_one("#unsaved-quit", Button).label.plain == "Quit (q)"
        await pilot.press("q")

    run(app, scenario)
    assert not app.is_running
    [path] = rescue_files()
    assert parse_import(path.read_bytes(), path.name) == made
    assert made[0].note == "kept [bold]"
    if sys.platform != "win32":
        assert path.stat().st_mode & 0o777 == 0o600
    assert app.exit_note is not None and str(path) in app.exit_note
    assert stored(first) == []  # the store was never touched


def test_quit_anyway_leaves_without_writing_anything(
    seeds_library: Library, first: LibraryEntry, read_only_store: DiskFault
) -> None:
    app = make_app(seeds_library, start=first)

    async def scenario(pilot: Pilot[None]) -> None:
        await refused_highlight(app, pilot, read_only_store)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("q")

    run(app, scenario)
    assert not app.is_running
    assert app.exit_note == "summit-reader: 1 highlight change could not be saved"
    assert rescue_files() == [] and stored(first) == []


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX")
def test_a_sigterm_exports_what_could_not_be_saved(
    seeds_library: Library, first: LibraryEntry, read_only_store: DiskFault
) -> None:
    app = make_app(seeds_library, start=first)
    made: list[Annotation] = []

    async def scenario(pilot: Pilot[None]) -> None:
        ident = await refused_highlight(app, pilot, read_only_store)
        made.append(article_screen(app).highlights[ident])
        # Only send it once the app is known to catch it: a default handler kills pytest.
        assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None)
        os.kill(os.getpid(), signal.SIGTERM)
        await until(pilot, lambda: not app.is_running, "the app to leave")

    run(app, scenario)
    assert app.return_code == 128 + signal.SIGTERM
    [path] = rescue_files()
    assert parse_import(path.read_bytes()) == made
    assert app.exit_note is not None and str(path) in app.exit_note
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # handed back on the way out


# -- damaged, empty and newer store files ------------------------------------------------------


def _truncated() -> bytes:
    with Store() as store:  # a real store file, then cut in the middle
        store.add(new_annotation("a1", "Some words here.", 0, 4, note="lost half"))
    whole = locations.store_path().read_bytes()
    locations.store_path().unlink()
    return whole[: len(whole) // 2]


DAMAGED: dict[str, Callable[[], bytes]] = {
    "corrupt": lambda: b"\x00\x01{not json at all",
    "truncated": _truncated,
    "empty": lambda: b"",
}


@pytest.mark.parametrize("at_start", [True, False], ids=["article-at-start", "library"])
@pytest.mark.parametrize("name", DAMAGED)
def test_a_damaged_store_is_set_aside_said_once_and_the_reader_works(
    seeds_library: Library, first: LibraryEntry, name: str, at_start: bool
) -> None:
    """Whichever thread opens the store first (the UI's for an article opened at start,
    the library's worker otherwise) sets it aside and says so, once."""
    original = DAMAGED[name]()
    path = locations.store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(original)
    app = make_app(seeds_library, start=first if at_start else None)

    async def scenario(pilot: Pilot[None]) -> None:
        if not at_start:
            await until(pilot, lambda: app.watcher is not None, "the store to be opened")
            await pilot.press("enter")  # the first article
            await settle(pilot)
        about = [m for m in notes_of(app) if str(path) in m]
        assert len(about) == 1 and "\n" not in about[0], notes_of(app)
        assert ("empty" if name == "empty" else "moved to") in about[0]
        await pilot.press("h")
        await settle(pilot)
        assert article_screen(app).pending == []
        assert not app.check_store()  # setting it aside was this copy's doing

    run(app, scenario)
    assert len(stored(first)) == 1
    aside = sorted(p for p in path.parent.iterdir() if ".corrupt-" in p.name)
    if name == "empty":
        assert aside == []  # zero bytes hold nothing to keep
    else:
        assert [p.read_bytes() for p in aside] == [original]


def test_a_store_that_cannot_be_opened_is_said_once_and_the_reader_goes_on(
    seeds_library: Library,
) -> None:
    """A folder where the store file should be: the worker cannot open it, nor can the UI
    thread when an article asks for its reading position; one notice, no traceback."""
    path = locations.store_path()
    path.mkdir(parents=True)
    app = make_app(seeds_library)

    async def scenario(pilot: Pilot[None]) -> None:
        told = lambda: [m for m in notes_of(app) if "Is a directory" in m]  # noqa: E731
        await until(pilot, lambda: len(told()) == 1, "the notice")
        await pilot.press("enter", "j", "j", "h")  # an article, a highlight
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen) and app.store is None
        await pilot.press("q")
        await settle(pilot)
        assert len(told()) == 1 and "\n" not in told()[0]
        assert app.is_running and app.return_code is None

    run(app, scenario)
    assert path.is_dir()  # left as it was


def test_a_store_set_aside_by_some_other_worker_is_told_too(
    seeds_library: Library, first: LibraryEntry
) -> None:
    """The store is damaged after start and a screen's own worker (here, a thread) is the
    first to open it: the reader still says so, once."""
    with Store() as store:
        store.add(new_annotation(first.id, first.article.text, 0, 10))
    app = make_app(seeds_library)
    path = locations.store_path()

    async def scenario(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: app.watcher is not None, "the store to be opened")
        path.write_bytes(b"{damaged")
        opener = threading.Thread(target=lambda: Store(path).close())
        opener.start()
        opener.join()
        told = lambda: [m for m in notes_of(app) if "moved to" in m]  # noqa: E731
        await until(pilot, lambda: len(told()) == 1, "the notice")
        await pilot.pause(app.WATCH_INTERVAL * 1.5)
        assert len(told()) == 1 and str(path) in told()[0]

    run(app, scenario)


def test_a_newer_store_is_read_only_refuses_changes_and_is_never_written(
    seeds_library: Library, first: LibraryEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    tries: list[str] = []
    real_apply = article.apply_change

    def counted(store: Store, change: StoreChange) -> None:
        tries.append(change.kind)
        real_apply(store, change)

    monkeypatch.setattr(article, "apply_change", counted)
    text = first.article.text
    theirs = new_annotation(first.id, text, 0, 10, note="from a newer version")
    path = locations.store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "_meta": {"1": {"schema": SCHEMA_VERSION + 1}},
        "annotations": {"1": {**theirs.to_dict(), "a-new-field": [1, 2]}},
    }
    original = json.dumps(payload).encode()
    path.write_bytes(original)
    app = quick(make_app(seeds_library, start=first))

    async def scenario(pilot: Pilot[None]) -> None:
        about = [m for m in notes_of(app) if "newer summit-reader" in m]
        assert len(about) == 1 and "read-only" in about[0] and "\n" not in about[0]
        screen = article_screen(app)
        assert list(screen.highlights) == [theirs.id]  # shown, as far as this version can
        await pilot.press("j", "j", "j", "j", "h")
        await until(pilot, lambda: len(tries) >= 4, "the save to be tried several times")
        [refusal] = [m for m in notes_of(app) if m.startswith("Could not save")]
        assert "read-only" in refusal and "upgrade" in refusal
        assert [c.kind for c in screen.pending] == ["add"]
        assert path.read_bytes() == original
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert quit_dialog(app).count == 1
        await pilot.press("q")

    run(app, scenario)
    assert path.read_bytes() == original
    assert {p.name for p in path.parent.iterdir()} <= {path.name, f"{path.name}.lock"}


# -- a worker that fails in a way nobody planned for --------------------------------------


def test_a_worker_failing_unexpectedly_is_told_in_one_line_and_the_screen_still_works(
    seeds_library: Library, first: LibraryEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summitreader.ui.screens import all_notes
    from summitreader.ui.screens.all_notes import AllNotesScreen

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom [b]not markup[/b]")

    monkeypatch.setattr(all_notes, "resolve_notes", broken)
    app = make_app(seeds_library)

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("N")
        await until(pilot, lambda: any("boom" in m for m in notes_of(app)), "the failure")
        told = [m for m in notes_of(app) if "boom" in m]
        assert told == ["Could not list the notes: RuntimeError: boom [b]not markup[/b]"]
        screen = app.screen
        assert isinstance(screen, AllNotesScreen)
        assert not screen.table.loading  # the loading indicator stops; the keys still work
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AllNotesScreen)

    run(app, scenario)
