"""The reader application, built by :func:`make_app` for the CLI and the tests alike.

Only what the library screen needs is imported here: the article, notes-list, key-help and
export code (and the matching and cleaning they bring) are imported when first used, so the
reader's first frame does not wait for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeGuard

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState, get_current_worker

from summitreader.core import locations
from summitreader.core.cache import deferred_writes
from summitreader.core.library import Library, LibraryEntry
from summitreader.core.settings import load_settings, save_setting
from summitreader.core.textio import display_name
from summitreader.ui.commands import BindingCommands
from summitreader.ui.messages import (
    LibraryLoaded,
    LibraryRow,
    OpenArticle,
    StoreChange,
    StoreChanged,
    StoreOpened,
    UnsavedRetried,
    worker_failure,
)
from summitreader.ui.screens.library import LibraryScreen

if TYPE_CHECKING:
    # The store (and TinyDB, the annotation model, the watcher) load in the library's
    # worker, after the list's first frame: see SummitReaderApp.store.
    from summitreader.core.store import Store
    from summitreader.core.watch import StoreWatcher
    from summitreader.ui.screens.article import ArticleScreen
    from summitreader.ui.screens.unsaved import UnsavedChoice

#: The package folder: CSS paths are absolute so a subclass defined elsewhere (a test's)
#: still finds them; Textual resolves relative ones against the subclass's own file.
HERE = Path(__file__).resolve().parent

THEME_PREF = "theme"

#: Seconds between tries to write highlight changes the store refused (a read-only folder,
#: a full disk): often enough that a fixed fault is noticed soon, rarely enough to cost
#: nothing while it lasts.
RETRY_EVERY = 5.0

#: Articles in the library worker's first message (a screenful, and then some), and in each
#: later one: a large library is shown as it is read, not after.
FIRST_ROWS = 50
MORE_ROWS = 250
#: How long the library worker waits, at most, for the first rows to be painted before it
#: reads on (in seconds): until then it would only compete with the painting for the GIL.
FIRST_PAINT_WAIT = 1.0
#: How long the library screen, once built, waits at most for the worker's first rows
#: before its first frame (in seconds). A cached library's come within a few
#: milliseconds, and a first frame without them would be followed by another a frame
#: later (about 17 ms at Textual's 60 frames a second) to show them; a library being
#: cleaned for the first time takes longer, and its rows come by message.
FIRST_ROWS_WAIT = 0.04
#: Seconds after the whole library is shown before the article screen's code is loaded in
#: the background: late enough not to slow the list's first frames.
PRELOAD_AFTER = 0.3


def changes_text(count: int) -> str:
    """``1 highlight change`` / ``3 highlight changes``."""
    return f"{count} highlight change{'s' if count != 1 else ''}"


class SummitReaderApp(App[None]):
    """The reader: a library screen, article screens pushed over it, help on ``?``.

    The notes store is not opened before the first frame: with many notes, reading it
    takes long enough to be seen (a third of a second for 10,000 on a modest machine). The
    library's worker opens it first, off the UI thread, once the list is painted: that
    open moves a damaged file aside or upgrades an old one, and the notes counts come back
    in :class:`StoreOpened` (the notices through ``store.NOTICES``). The UI thread's own
    ``Store`` (for reading positions) is opened when first needed, by then cheaply (see
    :attr:`store`).

    Args:
        library: the articles to offer.
        store_path: the notes store file; each thread opens its own ``Store`` on it (a
            ``Store`` is not shared between threads).
        start: an article to open straight away, over the library.
    """

    CSS_PATH = HERE / "app.tcss"
    TITLE = "summit-reader"
    #: Seconds between two looks at the store file for another running copy's changes.
    WATCH_INTERVAL = 1.0
    COMMANDS = App.COMMANDS | {BindingCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, tooltip="Leave the reader"),
        Binding(
            "question_mark",
            "help",
            "Keys",
            id="app.help",
            tooltip="List the keys of this screen",
        ),
        Binding(
            "N",
            "all_notes",
            "All notes",
            id="app.notes",
            tooltip="List every note across the library; Enter reads the passage",
        ),
        Binding(
            "e",
            "export",
            "Export",
            id="app.export",
            show=False,
            tooltip="Export this article's notes (everywhere else: all notes) as Markdown "
            "to your documents folder",
        ),
    ]

    def __init__(
        self, library: Library, store_path: Path, *, start: LibraryEntry | None = None
    ) -> None:
        super().__init__()
        self.library = library
        self.store_path = store_path
        self.start = start
        self._store: Store | None = None
        #: Whether this thread has tried to open :attr:`store` (it is not tried twice).
        self._store_tried = False
        #: The problems with the store already told, so that each is told once.
        self._store_problems: set[str] = set()
        #: The saved theme, applied before the first frame (see :meth:`on_load`).
        self._settings = load_settings()
        self.library_screen = LibraryScreen(
            store_path,
            on_built=self._take_first_rows,
            on_store_problem=self._tell_store_problems,
        )
        #: Whether article screens open with the notes panel shown: kept for the session
        #: only, so opening the next article does not undo what the reader chose.
        self.panel_shown = False
        #: Highlight changes the store refused, handed over by article screens that closed,
        #: oldest first; tried again every :attr:`retry_every` seconds until written.
        self.unsaved: list[StoreChange] = []
        #: Why the last try to write :attr:`unsaved` failed.
        self.unsaved_why = ""
        #: Seconds between retries of refused changes, here and on article screens.
        self.retry_every = RETRY_EVERY
        #: One line for the terminal once the reader has closed: where changes that could
        #: not be saved went. The CLI prints it.
        self.exit_note: str | None = None
        #: Held while :attr:`unsaved` is being written, so a screen never takes back
        #: changes that are half-way into the store.
        self._unsaved_writing = threading.Lock()
        self._unsaved_timer: Timer | None = None
        self._retrying = False
        self._exported: Path | None = None
        #: The reader answered the quit dialog: leave without writing a rescue file.
        self._quit_chosen = False
        self._signals: list[int] = []
        #: Notices another running copy's changes to the store: made by the worker that
        #: opens the store first (``None`` until then, and without a store).
        self.watcher: StoreWatcher | None = None
        #: Set once the first rows of a library that arrives in parts are painted.
        self._first_rows_painted = threading.Event()
        #: The worker's first rows, handed straight to the screen if it is still waiting
        #: for them (see :meth:`_take_first_rows`); guarded by :attr:`_handoff`.
        self._handoff = threading.Lock()
        self._handoff_rows: LibraryLoaded | None = None
        self._handoff_closed = False
        self._handoff_ready = threading.Event()

    # -- start and stop ---------------------------------------------------------------

    def on_load(self) -> None:
        """Set the saved theme and start reading the library, before any screen is built.

        The theme is set before the stylesheet is first applied: set later, it would style
        every widget a second time. The worker then runs while Textual sets up.
        """
        saved = self._settings.get(THEME_PREF)
        if isinstance(saved, str) and saved in self.available_themes:
            self.theme = saved
        self.load_library()

    def get_default_screen(self) -> Screen[Any]:
        """The library is the bottom screen: one screen to build for the first frame."""
        return self.library_screen

    def on_mount(self) -> None:
        """Show the library (the worker started on load fills it)."""
        if self.start is not None:
            self.open_article(self.start)
        self._catch_signals()
        self.set_interval(self.WATCH_INTERVAL, self.check_store, name="watch-store")

    def watch_theme(self, theme: str) -> None:
        """Remember the chosen theme (from the command palette, for instance)."""
        if not self.is_running or self._settings.get(THEME_PREF) == theme:
            return  # setting the saved theme at start is not a choice to save
        self._settings[THEME_PREF] = theme
        try:
            save_setting(THEME_PREF, theme)
        except OSError as exc:
            self.notify(
                f"The theme will not be remembered: {exc.strerror or exc}",
                severity="warning",
                markup=False,
            )

    @property
    def store(self) -> Store | None:
        """The UI thread's notes store (reading positions), or ``None`` if it cannot open.

        Opened on first use: normally after the loading worker has opened the file once
        (see :class:`StoreOpened`), so this open finds the parsed data to reuse and costs
        a read of the file; an article opened at start opens it on the spot. A store that
        cannot be opened does not stop the reader: it goes on without one (remembering no
        reading positions) and says why, once.
        """
        if not self._store_tried:
            self._store_tried = True
            from summitreader.core.store import Store, StoreError

            try:
                self._store = Store(self.store_path)
            except StoreError as exc:
                self._tell_store_problems(str(exc))
            else:
                self._tell_store_problems()
        return self._store

    def _tell_store_problems(self, problem: str | None = None) -> None:
        """Tell ``problem`` and whatever opening the store did in any thread, each once.

        Whichever thread opened the file first (see :data:`store.NOTICES`) found it
        damaged, empty or newer; the notice reaches the user from here.
        """
        # A worker may be importing the store module right now: it stands in sys.modules,
        # partly run, from its first line. Until NOTICES is defined no store has been opened
        # and there is nothing to take; the worker's StoreOpened asks again.
        notices = getattr(sys.modules.get("summitreader.core.store"), "NOTICES", None)
        taken = notices.take(self.store_path) if notices is not None else []
        for told in ([problem] if problem else []) + taken:
            if told not in self._store_problems:
                self._store_problems.add(told)
                self.notify(told, severity="warning", markup=False)

    async def action_quit(self) -> None:
        """Save the reading position of an open article, then leave.

        Highlight changes the store refused are tried once more first; if some still
        cannot be saved, the reader is asked what to do with them instead of losing them.
        """
        from summitreader.ui.screens.unsaved import UnsavedScreen

        if isinstance(self.screen, UnsavedScreen):
            return
        for screen in self._article_screens():
            screen.save_position()
        self._offer_to_quit()

    def _offer_to_quit(self) -> None:
        why = self.save_unsaved_now()
        if not self.unsaved_changes():
            self.exit()
            return
        self._ask_about_unsaved(why or self.unsaved_why)

    def _ask_about_unsaved(self, why: str, note: str | None = None) -> None:
        from summitreader.ui.screens.unsaved import UnsavedScreen

        dialog = UnsavedScreen(
            len(self.unsaved_changes()), why, note=note, exported=self._exported is not None
        )
        self.push_screen(dialog, self._quit_answered)

    def _quit_answered(self, choice: UnsavedChoice | None) -> None:
        if choice == "retry":
            self._offer_to_quit()
        elif choice == "export":
            why = self.unsaved_why
            try:
                note = self._export_unsaved()
            except OSError as exc:
                note = f"Could not export them: {exc.strerror or exc}"
            self._ask_about_unsaved(why, note)
        elif choice == "quit":
            count = len(self.unsaved_changes())
            if self._exported is not None:
                self.exit_note = (
                    f"summit-reader: {changes_text(count)} could not be saved; they are in "
                    f"{display_name(self._exported)} (summit-reader import FILE brings them back)"
                )
            else:
                self.exit_note = f"summit-reader: {changes_text(count)} could not be saved"
            self._quit_chosen = True
            self.exit()

    def _export_unsaved(self) -> str:
        """Write the unsaved changes to a rescue file; what to tell the reader.

        Raises:
            OSError: neither the documents folder nor a temp folder could be written.
        """
        from summitreader.core.rescue import net_changes, write_rescue

        rescue = net_changes((c.kind, c.annotation) for c in self.unsaved_changes())
        path = write_rescue(rescue.annotations)
        self._exported = path
        count = len(rescue.annotations)
        note = (
            f"Exported {count} highlight{'s' if count != 1 else ''} to {display_name(path)}; "
            "'summit-reader import FILE' brings them back."
        )
        if rescue.deletions:
            note += (
                f" {rescue.deletions} deletion{'s' if rescue.deletions != 1 else ''} cannot be "
                "exported: those highlights stay in your notes."
            )
        return note

    def on_unmount(self) -> None:
        """Leaving without the quit dialog (a signal, an error): keep what was not saved.

        Closed article screens have handed their pending changes over by now. One last try
        to write them; what still fails goes to a rescue file, and :attr:`exit_note` says
        where.
        """
        loop = asyncio.get_running_loop()
        for number in self._signals:
            loop.remove_signal_handler(number)
        self._signals.clear()
        if self._quit_chosen or not self.unsaved:
            return
        self._save_held()
        if not self.unsaved:
            return
        count = len(self.unsaved)
        try:
            self._export_unsaved()
        except OSError as exc:
            self.exit_note = (
                f"summit-reader: {changes_text(count)} could not be saved ({self.unsaved_why}) "
                f"nor exported ({exc.strerror or exc})"
            )
            return
        assert self._exported is not None
        self.exit_note = (
            f"summit-reader: {changes_text(count)} could not be saved; they are in "
            f"{display_name(self._exported)} (summit-reader import FILE brings them back)"
        )

    def _catch_signals(self) -> None:
        """Leave properly on SIGTERM and SIGHUP (a closed terminal), not mid-change.

        Unsaved changes then go to a rescue file on the way out, and the terminal is put
        back as it was.
        """
        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is None:
                continue
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self._signalled, number)
                self._signals.append(number)

    def _signalled(self, number: int) -> None:
        self.exit(return_code=128 + number)

    # -- changes the store refused ----------------------------------------------------

    def _article_screens(self) -> list[ArticleScreen]:
        return [s for s in self.screen_stack if is_article_screen(s)]

    def unsaved_changes(self) -> list[StoreChange]:
        """Every change not yet in the store: held by the app, then pending on screens."""
        changes = list(self.unsaved)
        for screen in self._article_screens():
            changes.extend(screen.pending)
        return changes

    def save_unsaved_now(self) -> str | None:
        """Try once, synchronously, to write every held and pending change.

        Returns:
            Why some could not be written, or ``None`` when all are in the store.
        """
        why = self._save_held() if self.unsaved else None
        for screen in self._article_screens():
            why = screen.flush_pending() or why
        return why

    def keep_unsaved(self, changes: Iterable[StoreChange], why: str) -> None:
        """Hold changes a closing article screen could not save, and keep trying them."""
        added = list(changes)
        if not added:
            return
        self.unsaved.extend(added)
        self.unsaved_why = why
        if not self.is_running:
            return  # closing: on_unmount deals with them
        count = len(self.unsaved)
        self.notify(
            f"{count} highlight change{'s are' if count != 1 else ' is'} not saved yet: {why}. "
            f"Kept and tried again every {self.retry_every:g} s; quitting offers to export them.",
            severity="error",
            markup=False,
            timeout=30,
        )
        if self._unsaved_timer is None:
            self._unsaved_timer = self.set_interval(self.retry_every, self._retry_unsaved)

    def take_unsaved(self, article_id: str) -> list[StoreChange]:
        """Hand an article's held changes to its screen, which shows them and saves them."""
        if not any(c.annotation.article_id == article_id for c in self.unsaved):
            return []
        from summitreader.ui.screens.article import LEAVE_WAIT

        if not self._unsaved_writing.acquire(timeout=LEAVE_WAIT):
            return []  # the retry worker is stuck writing: the app keeps them
        try:
            taken = [c for c in self.unsaved if c.annotation.article_id == article_id]
            self.unsaved[:] = [c for c in self.unsaved if c.annotation.article_id != article_id]
        finally:
            self._unsaved_writing.release()
        return taken

    def _save_held(self) -> str | None:
        """Write :attr:`unsaved` now, on this thread; why not, or ``None`` when all went."""
        if self.store is None:
            return "the notes store is not open"
        from summitreader.core.store import Store, StoreError
        from summitreader.ui.screens.article import LEAVE_WAIT, apply_change

        if not self._unsaved_writing.acquire(timeout=LEAVE_WAIT):
            return "an earlier save is still running"
        try:
            with Store(self.store_path) as store:
                while self.unsaved:
                    apply_change(store, self.unsaved[0])
                    del self.unsaved[0]
        except StoreError as exc:
            self.unsaved_why = str(exc)
            return self.unsaved_why
        finally:
            self._unsaved_writing.release()
        return None

    def _retry_unsaved(self) -> None:
        if not self.unsaved:
            self._stop_retrying()
            return
        if self._retrying or self.store is None:
            return
        self._retrying = True
        self._write_unsaved(tuple(self.unsaved), self.store_path)

    def _stop_retrying(self) -> None:
        if self._unsaved_timer is not None:
            self._unsaved_timer.stop()
            self._unsaved_timer = None

    @work(thread=True, group="unsaved", exit_on_error=False, name="retry-unsaved")
    def _write_unsaved(self, changes: tuple[StoreChange, ...], path: Path) -> None:
        """Write held changes in order with this thread's own ``Store``; report how far."""
        from summitreader.ui.screens.article import write_changes

        done, error = write_changes(path, changes, self._unsaved_writing)
        self.post_message(UnsavedRetried(changes[:done], error))

    @on(UnsavedRetried)
    def _unsaved_retried(self, message: UnsavedRetried) -> None:
        self._retrying = False
        written = {id(change) for change in message.done}
        self.unsaved[:] = [c for c in self.unsaved if id(c) not in written]
        if message.error:
            self.unsaved_why = message.error
            return
        if not self.unsaved:
            self._stop_retrying()
            if message.done:
                count = len(message.done)
                self.notify(
                    f"Saved {changes_text(count)} that {'were' if count != 1 else 'was'} waiting.",
                    markup=False,
                )

    # -- another running copy ---------------------------------------------------------

    def check_store(self) -> bool:
        """Tell every screen when another running copy changed the store.

        Called by a timer every :attr:`WATCH_INTERVAL` seconds, on the UI thread: it costs
        one ``stat`` of the store file, and this copy's own saves are recognised and ignored
        (see :mod:`summitreader.core.watch`). Screens that show notes reload them in their
        workers on :class:`StoreChanged`.

        Returns:
            Whether another copy changed the store since the last look.
        """
        self._tell_store_problems()  # a store opened by some screen's worker
        if self.watcher is None or not self.watcher.changed_elsewhere():
            return False
        for screen in self.screen_stack:
            screen.post_message(StoreChanged())
        return True

    # -- the library ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="library", exit_on_error=False, name="load-library")
    def load_library(self) -> None:
        """Read and clean every article, then open the store; report each by message.

        Runs in a thread: cleaning a large library takes a while. It never touches a
        widget; the rows go back as :class:`LibraryLoaded` messages as they are read (the
        first screenful first, and nothing more is done until it is painted), then the
        store's counts as :class:`StoreOpened` (reading a large store must not
        hold up the list). All go to the app, so they are handled in order. Articles
        cleaned for the first time go into the cleaning cache last.
        """
        worker = get_current_worker()
        batch: list[LibraryRow] = []
        size = FIRST_ROWS
        with deferred_writes() as cache_writes:
            for entry in self.library.scan():
                if worker.is_cancelled:
                    return
                # Clean (or read from the cache) and count words now, off the UI thread.
                _ = entry.article.words
                batch.append(LibraryRow(entry, None))
                if len(batch) == size:
                    self._send_rows(LibraryLoaded(tuple(batch), (), complete=False))
                    if size == FIRST_ROWS:  # let them be painted first
                        self._first_rows_painted.wait(FIRST_PAINT_WAIT)
                    batch, size = [], MORE_ROWS
        self._send_rows(LibraryLoaded(tuple(batch), tuple(self.library.problems)))
        # The first frame is the UI thread's to draw: this thread would take the GIL
        # from it for the store's imports and parsing.
        self._first_rows_painted.wait(FIRST_PAINT_WAIT)
        self.post_message(self._open_store(wants_theme=THEME_PREF not in self._settings))
        cache_writes.write(cancelled=lambda: worker.is_cancelled)

    def _send_rows(self, message: LibraryLoaded) -> None:
        """Hand the first rows to the screen if it is waiting for them, else post them."""
        with self._handoff:
            if not self._handoff_closed:
                self._handoff_closed = True
                self._handoff_rows = message
                self._handoff_ready.set()
                return
        self.post_message(message)

    def _take_first_rows(self) -> None:
        """Called by the library screen once built: show the first rows in its first frame.

        Waits up to :data:`FIRST_ROWS_WAIT` for the worker's first rows and shows them now,
        before the first frame is drawn; after that the worker sends them by message.
        Either way they are shown exactly once, before any later part of the library.
        """
        self._handoff_ready.wait(FIRST_ROWS_WAIT)
        with self._handoff:
            self._handoff_closed = True
            message, self._handoff_rows = self._handoff_rows, None
        if message is not None:
            self._library_loaded(message)

    def _open_store(self, *, wants_theme: bool) -> StoreOpened:
        """Open the store in this thread (the process's first open), count its notes.

        The watcher is made here, once the file has been checked: moving a damaged file
        aside or upgrading an old one is this copy's doing, not another's. The theme an
        older version kept in the store is read for :meth:`_store_opened` to move.
        """
        from summitreader.core.store import Store, StoreError
        from summitreader.core.watch import StoreWatcher

        counts: Counter[str] = Counter()
        theme = None
        try:
            with Store(self.store_path) as store:  # this thread's own Store
                watcher = StoreWatcher(self.store_path)
                counts.update(a.article_id for a in store.all())
                if wants_theme:
                    theme = store.get_pref(THEME_PREF)
        except StoreError as exc:
            return StoreOpened({}, str(exc), None, None)
        theme = theme if isinstance(theme, str) else None
        return StoreOpened(dict(counts), None, watcher, theme)

    @on(LibraryLoaded)
    def _library_loaded(self, message: LibraryLoaded) -> None:
        self.library_screen.add_rows(message.rows, message.problems, complete=message.complete)
        if not self._first_rows_painted.is_set():
            self.call_after_refresh(self._first_rows_painted.set)
        if message.complete:
            self.set_timer(PRELOAD_AFTER, self._preload_article_code, name="preload")
        for problem in message.problems[:3]:
            self.notify(problem, severity="warning", markup=False)

    @work(thread=True, group="preload", exit_on_error=False, name="preload-article-code")
    def _preload_article_code(self) -> None:
        """Import the article screen's code (the view, the matcher), not needed for the list.

        It is left out of the start so the list comes sooner, and loaded here, in a thread,
        once the list has been shown a moment, so the first Enter does not wait for it.
        """
        import summitreader.ui.screens.article  # noqa: F401

    @on(StoreOpened)
    def _store_opened(self, message: StoreOpened) -> None:
        """Show the counts and what happened to the store; adopt the watcher; move the
        theme an older version kept in the store to the settings file."""
        self.library_screen.show_counts(message.counts)
        self._tell_store_problems(message.error)
        if self.watcher is None:
            self.watcher = message.watcher
        theme = message.theme
        if theme in self.available_themes and THEME_PREF not in self._settings:
            self.theme = theme  # watch_theme saves it in the settings file

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "unsaved" and event.state in (
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            self._retrying = False
        failure = worker_failure(
            event,
            {
                "library": "Could not read the library",
                "export": "Could not export the notes",
                "unsaved": "Could not save the waiting highlight changes",
            },
        )
        if failure is not None:
            self.notify(failure, severity="error", markup=False, timeout=30)

    # -- navigation -------------------------------------------------------------------

    @on(OpenArticle)
    def _open_requested(self, message: OpenArticle) -> None:
        self.open_article(message.entry)

    def open_article(self, entry: LibraryEntry, offset: int | None = None) -> None:
        """Push the reading screen for ``entry``, at ``offset`` or where the reader left it."""
        from summitreader.ui.screens.article import ArticleScreen

        self.push_screen(ArticleScreen(entry, self.store, offset=offset))

    def action_all_notes(self) -> None:
        """Show every note across the library, over whatever screen is open.

        Not from the notes list itself (one is enough) nor over the key help (a modal).
        """
        from summitreader.ui.screens.all_notes import AllNotesScreen
        from summitreader.ui.screens.help import HelpScreen

        if isinstance(self.screen, AllNotesScreen | HelpScreen):
            return
        self.push_screen(AllNotesScreen(self.library, self.store_path))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands without its key panel: the palette's "Keys" is ``?``'s key list.

        Two "Keys" commands doing different things would be one too many.
        """
        panel = {self.action_show_help_panel, self.action_hide_help_panel}
        for command in super().get_system_commands(screen):
            if command.callback not in panel:
                yield command

    def action_export(self) -> None:
        """Export the open article's notes, or every note from the library and notes lists.

        Dialogs (modal screens) keep the key to themselves; should one let it through, the
        export is of the screen under it.
        """
        screen = next(s for s in reversed(self.screen_stack) if not isinstance(s, ModalScreen))
        self.export_notes(screen.entry if is_article_screen(screen) else None)

    @work(thread=True, group="export", exit_on_error=False, name="export")
    def export_notes(self, entry: LibraryEntry | None) -> None:
        """Write the Markdown export with this thread's own ``Store``; notify where it went.

        Resolving notes cleans articles and may re-anchor and save them: not for the UI
        thread. ``notify`` is thread-safe; the path and titles are never read as markup.
        """
        from summitreader.core.export import ExportError, export_to_documents
        from summitreader.core.store import Store, StoreError

        try:
            with Store(self.store_path) as store:
                done = export_to_documents(store, self.library.entries(), entry)
        except (StoreError, ExportError) as exc:
            self.notify(f"Export failed: {exc}", severity="error", markup=False, timeout=30)
            return
        what = "note" if done.annotations == 1 else "notes"
        self.notify(
            f"Exported {done.annotations} {what} to {display_name(done.path)}",
            title="Export",
            markup=False,
            timeout=15,
        )

    def action_help(self) -> None:
        """Show the keys of the current screen, taken from its active bindings."""
        from summitreader.ui.screens.help import HelpScreen, help_rows

        if isinstance(self.screen, HelpScreen):
            return
        display = {
            key: self.get_key_display(active.binding)
            for key, active in self.screen.active_bindings.items()
        }
        rows = help_rows(self.screen.active_bindings, display)
        title = f"Keys: {self.screen.id or type(self.screen).__name__}"
        self.push_screen(HelpScreen(rows, title))


def is_article_screen(screen: object) -> TypeGuard[ArticleScreen]:
    """Whether ``screen`` is an article screen, without importing that module to find out.

    Until an article has been opened the module is not loaded, and then no screen can be one;
    nor while it is still being imported (it stands in sys.modules from its first line).
    """
    cls = getattr(sys.modules.get("summitreader.ui.screens.article"), "ArticleScreen", None)
    return cls is not None and isinstance(screen, cls)


def make_app(
    library: Library,
    store_path: Path | None = None,
    *,
    start: LibraryEntry | None = None,
) -> SummitReaderApp:
    """Build the reader for ``library``; the one way the CLI and the tests make the app.

    Nothing is read here: the store is opened by the app's worker (see
    :class:`SummitReaderApp`), so a large store never delays the first frame, and a store
    that cannot be opened does not stop the reader (it says why).
    """
    return SummitReaderApp(library, store_path or locations.store_path(), start=start)
