"""The reader application, built by :func:`make_app` for the CLI and the tests alike.

Only what the library screen needs is imported here: the article, notes-list and export
code (and the matching and cleaning they bring) are imported when first used, so the
reader's first frame does not wait for them.
"""

from __future__ import annotations

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
from textual.worker import Worker, WorkerState, get_current_worker

from summitreader.core.cache import deferred_writes
from summitreader.core.library import Library, LibraryEntry
from summitreader.core.store import Store, StoreError
from summitreader.core.textio import display_name
from summitreader.ui.commands import BindingCommands
from summitreader.ui.messages import LibraryLoaded, LibraryRow, OpenArticle
from summitreader.ui.screens.library import LibraryScreen, NotesCounted

if TYPE_CHECKING:
    from summitreader.ui.screens.article import ArticleScreen

#: The package folder: CSS paths are absolute so a subclass defined elsewhere (a test's)
#: still finds them; Textual resolves relative ones against the subclass's own file.
HERE = Path(__file__).resolve().parent

THEME_PREF = "theme"

#: Articles in the library worker's first message (a screenful, and then some), and in each
#: later one: a large library is shown as it is read, not after.
FIRST_ROWS = 50
MORE_ROWS = 250
#: How long the library worker waits, at most, for the first rows to be painted before it
#: reads on (in seconds): until then it would only compete with the painting for the GIL.
FIRST_PAINT_WAIT = 1.0


class SummitReaderApp(App[None]):
    """The reader: a library screen, article screens pushed over it, help on ``?``.

    Args:
        library: the articles to offer.
        store: the notes store for reading positions and preferences, or ``None`` when it
            could not be opened (the reader then remembers nothing).
        store_path: where the store lives, so the loading thread can open its own
            ``Store`` (a ``Store`` is not shared between threads).
        start: an article to open straight away, over the library.
        store_problem: why the store could not be opened, shown once at start.
    """

    CSS_PATH = [HERE / "global.tcss", HERE / "app.tcss"]
    TITLE = "summit-reader"
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
        self,
        library: Library,
        store: Store | None,
        store_path: Path | None = None,
        *,
        start: LibraryEntry | None = None,
        store_problem: str | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.store = store
        self.store_path = store_path
        self.start = start
        self.store_problem = store_problem
        self.library_screen = LibraryScreen(store.path if store is not None else None)
        #: Whether article screens open with the notes panel shown: kept for the session
        #: only, so opening the next article does not undo what the reader chose.
        self.panel_shown = False
        #: Set once the first rows of a library that arrives in parts are painted.
        self._first_rows_painted = threading.Event()

    # -- start and stop ---------------------------------------------------------------

    def on_load(self) -> None:
        """Start reading the library before the screen is even built.

        The worker then runs while Textual sets up; a cached library is read by the time
        the first frame is drawn, and its rows are in it.
        """
        self.load_library()

    def get_default_screen(self) -> Screen[Any]:
        """The library is the bottom screen: one screen to build for the first frame."""
        return self.library_screen

    def on_mount(self) -> None:
        """Restore the theme, show the library (the worker started on load fills it)."""
        self._restore_theme()
        if self.start is not None:
            self.open_article(self.start)
        if self.store_problem:
            self.notify(self.store_problem, severity="warning", markup=False)

    def _restore_theme(self) -> None:
        if self.store is None:
            return
        try:
            saved = self.store.get_pref(THEME_PREF)
        except StoreError:
            return
        if isinstance(saved, str) and saved in self.available_themes:
            self.theme = saved

    def watch_theme(self, theme: str) -> None:
        """Remember the chosen theme (from the command palette, for instance)."""
        if self.store is None or self.store.read_only:
            return
        try:
            if self.store.get_pref(THEME_PREF) != theme:
                self.store.set_pref(THEME_PREF, theme)
        except StoreError as exc:
            self.notify(str(exc), severity="warning", markup=False)

    async def action_quit(self) -> None:
        """Save the reading position of an open article, then leave."""
        for screen in self.screen_stack:
            if is_article_screen(screen):
                screen.save_position()
        self.exit()

    # -- the library ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="library", exit_on_error=False, name="load-library")
    def load_library(self) -> None:
        """Read and clean every article, then count notes; report each by message.

        Runs in a thread: cleaning a large library takes a while. It never touches a
        widget; the rows go back as :class:`LibraryLoaded` messages as they are read (the
        first screenful first), then the counts as :class:`NotesCounted` (reading a large
        store must not hold up the list). All go to the app, so they are handled in order.
        Articles cleaned for the first time go into the cleaning cache last.
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
                    self.post_message(LibraryLoaded(tuple(batch), (), complete=False))
                    if size == FIRST_ROWS:  # let them be painted first
                        self._first_rows_painted.wait(FIRST_PAINT_WAIT)
                    batch, size = [], MORE_ROWS
        self.post_message(LibraryLoaded(tuple(batch), tuple(self.library.problems)))
        counts: Counter[str] = Counter()
        try:
            with Store(self.store_path) as store:  # this thread's own Store
                counts.update(a.article_id for a in store.all())
        except StoreError:
            pass  # the main thread reported it already; counts stay at zero
        self.post_message(NotesCounted(dict(counts), None))
        cache_writes.write(cancelled=lambda: worker.is_cancelled)

    @on(LibraryLoaded)
    def _library_loaded(self, message: LibraryLoaded) -> None:
        self.library_screen.add_rows(message.rows, message.problems, complete=message.complete)
        if not self._first_rows_painted.is_set():
            self.call_after_refresh(self._first_rows_painted.set)
        for problem in message.problems[:3]:
            self.notify(problem, severity="warning", markup=False)

    @on(NotesCounted)
    def _notes_counted(self, message: NotesCounted) -> None:
        self.library_screen.show_counts(message.counts)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        what = {"library": "read the library", "export": "export the notes"}
        if event.worker.group in what and event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(
                f"Could not {what[event.worker.group]}: {type(error).__name__}: {error}",
                severity="error",
                markup=False,
                timeout=30,
            )

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
        store_path = self.store.path if self.store is not None else None
        self.push_screen(AllNotesScreen(self.library, store_path))

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

    Until an article has been opened the module is not loaded, and then no screen can be one.
    """
    module = sys.modules.get("summitreader.ui.screens.article")
    return module is not None and isinstance(screen, module.ArticleScreen)


def make_app(
    library: Library,
    store_path: Path | None = None,
    *,
    start: LibraryEntry | None = None,
) -> SummitReaderApp:
    """Build the reader for ``library``; the one way the CLI and the tests make the app.

    A store that cannot be opened does not stop the reader: it starts without one and says
    why.
    """
    problem: str | None = None
    store: Store | None
    try:
        store = Store(store_path)
    except StoreError as exc:
        store, problem = None, str(exc)
    if store is not None and store.notices:
        problem = "; ".join(store.notices)
    return SummitReaderApp(library, store, store_path, start=start, store_problem=problem)
