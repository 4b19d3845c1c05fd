"""One headless run of the reader (or of a one-Label Textual app), timed from inside.

Started by ``bench_reader.py`` as a whole process, once per measurement; not meant to be
run by hand. It runs the app headless at a fixed size, notes the wall-clock time of each
milestone, exits by itself once the last one is reached, and writes what it saw as JSON to
the file named by ``--out``. The parent notes the time just before starting the process,
so milestone minus launch is the time a user waits, interpreter start-up and imports
included.

Modes:
    label: a minimal Textual app that mounts one Label and exits after its first frame
        (the baseline for the cold start).
    library: the reader, built by ``make_app`` as ``summit-reader read`` builds it, until
        the library table shows its rows: ``library`` when the first rows are in the
        ``DataTable`` and a refresh has painted them (the screen is usable), ``library_all``
        when every article is (the same moment unless the library is large enough to arrive
        in parts).
    open: the library as above, then, once the reader has preloaded the article screen's
        code (it does a moment after the list is shown, before a person could press a key),
        the article ``--article`` opened as Enter opens it (an ``OpenArticle`` message),
        until its highlights are loaded and painted.
    read: ``summit-reader read ARTICLE``: the reader started straight on the article.
    keys: ``open``, then the per-keystroke costs measured inside the app, in a loop of
        their own (``measure_keys``) and through the running app (``measure_keys_live``).

The hooks change nothing in the product: two subclasses of the product's screens, each
adding a handler that only notes a time (and, at the end, exits), are put in place of the
names the reader looks the screens up by (``LibraryScreen`` in ``summitreader.ui.app``,
``ArticleScreen`` in its own module, which the reader imports on the first open and the
driver too, at that moment). Module-level imports are kept to what every mode needs, so the
baseline pays no more than the reader for the driver itself.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cProfile import Profile

    from textual.app import App

    from summitreader.ui.screens.article import ArticleScreen

#: Headless terminal size: the size the UI tests use.
SIZE = (100, 30)

#: The view actions timed per keystroke, looked up by name; missing ones are reported n/a.
KEY_ACTIONS = (
    "cursor_down",
    "page_down",
    "cursor_right",
    "select_word",
    "select_sentence",
    "extend_right",
    "extend_word_right",
)

#: Keystrokes that settle a region before the timed ones (not counted).
SETTLE_PRESSES = 5

marks: dict[str, Any] = {"driver": time.time()}


class Profiling:
    """``--profile``: a cProfile of the main thread while the app runs.

    ``open`` profiles the open alone (from the request to the highlights painted), ``keys``
    the live keystroke loop alone (``measure_keys_live``: the whole path of each key), the
    other modes the whole app run (imports excluded).
    """

    profiler: Profile | None = None
    path = ""

    @classmethod
    def start(cls) -> None:
        if cls.profiler is not None:
            cls.profiler.enable()

    @classmethod
    def stop(cls) -> None:
        if cls.profiler is not None:
            cls.profiler.disable()
            cls.profiler.dump_stats(cls.path)


def mark(name: str) -> None:
    """Note the wall-clock time of a milestone (the parent compares it with the launch)."""
    marks.setdefault(name, time.time())


def peak_rss() -> int:
    """This process's peak resident set size, in bytes.

    On Linux, ``VmHWM`` of the process's own memory map: ``ru_maxrss`` also counts the
    parent's memory, which the forked child shares until it runs this script.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # macOS: bytes; others: KiB


def finish(out: str) -> None:
    import json

    marks["maxrss_bytes"] = peak_rss()
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(marks, fh)


def run_app(app: App[Any], *, profile: bool) -> None:
    """``app.run`` headless at :data:`SIZE` (under the profiler when asked)."""
    if profile:
        Profiling.start()
    try:
        app.run(headless=True, size=SIZE)
    finally:
        if profile:
            Profiling.stop()
    if app._exception is not None:  # noqa: SLF001 - a crash in the app must not pass unseen
        marks.setdefault("problems", []).append(repr(app._exception))  # noqa: SLF001


def run_label(out: str) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    mark("imported")

    class OneLabel(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("summit-reader")

        def on_mount(self) -> None:
            self.call_after_refresh(self.painted)

        def painted(self) -> None:
            mark("ready")
            self.exit()

    app = OneLabel()
    mark("built")
    run_app(app, profile=True)
    finish(out)


def run_reader(out: str, mode: str, article: str | None, expect: int, presses: int) -> None:
    import summitreader.cli  # noqa: F401 - what ``summit-reader`` imports before the UI
    from summitreader.core.library import Library
    from summitreader.ui import app as app_module
    from summitreader.ui.messages import LibraryRow, OpenArticle
    from summitreader.ui.screens.library import LibraryScreen

    mark("imported")
    library = Library.from_environment()
    start = library.find(article) if mode == "read" and article else None
    if mode == "read":
        install_article_hook(mode, expect, presses)

    class BenchLibraryScreen(LibraryScreen):
        """The library screen, noting when its rows are first painted."""

        def show_counts(self, counts: dict[str, int]) -> None:
            mark("counts")  # the store was opened and its notes counted
            super().show_counts(counts)

        def add_rows(
            self, rows: tuple[LibraryRow, ...], problems: tuple[str, ...], *, complete: bool = True
        ) -> None:
            mark("rows_in")  # the loading worker's first rows reach the UI thread
            began = time.perf_counter()
            super().add_rows(rows, problems, complete=complete)
            # The UI thread's time putting rows into the DataTable, over every part.
            spent = marks.setdefault("add_rows_seconds", [0.0])
            spent[0] += time.perf_counter() - began
            if complete:
                mark("rows_all_in")
            self.call_after_refresh(self._bench_painted, len(self.rows), complete)

        def _bench_painted(self, count: int, complete: bool) -> None:
            """Note when the rows had so far (``count``) are painted, and when all are."""
            table = self.table
            # The table sizes itself on its own idle: wait until that has happened too.
            if table.row_count < count or table.virtual_size.height < count:
                self.call_after_refresh(self._bench_painted, count, complete)
                return
            if "library" not in marks:
                mark("library")  # the first rows painted: the library screen is usable
                marks["first_rows"] = table.row_count
            if not complete or "library_all" in marks:
                return  # a large library: more rows to come
            mark("library_all")  # every article in the table, painted
            marks["rows"] = table.row_count
            if mode in ("open", "keys") and article:
                self.app.call_later(self._bench_open, article)
            elif mode == "library":
                self.app.call_later(self._bench_exit)

        async def _bench_open(self, article: str) -> None:
            """Ask to open ``article`` as Enter does, once the reader has settled.

            The reader preloads the article screen's code in a worker a moment after the
            list is shown (a reader's Enter comes later than that); wait for it, as a
            person would, up to 2 s. If it is not done by then, the open pays for it.
            """
            import asyncio

            for _ in range(200):
                busy = any(w.name == "preload-article-code" for w in self.app.workers)
                if not busy and "summitreader.ui.screens.article" in sys.modules:
                    break
                await asyncio.sleep(0.01)
            marks["preloaded"] = "summitreader.ui.screens.article" in sys.modules
            mark("open")
            if mode == "open":
                Profiling.start()  # the open alone, up to the highlights painted
            install_article_hook(mode, expect, presses)
            self.post_message(OpenArticle(self.entries[article]))

        async def _bench_exit(self) -> None:
            # Let the loading worker finish (notes counts, then the cleaning cache's writes)
            # as a session that goes on would, so a first run fills the cache.
            for worker in list(self.app.workers):
                if worker.name == "load-library":
                    await worker.wait()
            mark("worker_done")
            self.app.exit()

    app_module.LibraryScreen = BenchLibraryScreen  # type: ignore[misc]
    app = app_module.make_app(library, start=start)
    mark("built")
    try:
        run_app(app, profile=mode in ("library", "read"))
    finally:
        # The UI thread's store, if it was opened (older versions open it in make_app).
        store = app.__dict__.get("store") or app.__dict__.get("_store")
        if store is not None:
            store.close()
    finish(out)


def install_article_hook(mode: str, expect: int, presses: int) -> None:
    """Import the article screen and put a subclass noting its milestones in its place.

    The reader imports ``summitreader.ui.screens.article`` when it first opens an article
    and looks ``ArticleScreen`` up in that module then, so the subclass is put there.
    """
    from textual import on

    from summitreader.ui.messages import HighlightsLoaded
    from summitreader.ui.screens import article as article_module

    problems: list[str] = marks.setdefault("problems", [])

    class BenchArticleScreen(article_module.ArticleScreen):
        """The article screen, noting its first frame and the first with its highlights."""

        def on_mount(self) -> None:
            # Runs before the product's own on_mount (subclass first), as does the handler
            # below; the callbacks run after the product's handlers and the repaint.
            self.call_after_refresh(mark, "article_frame")

        @on(HighlightsLoaded)
        def _bench_loaded(self, message: HighlightsLoaded) -> None:
            self.call_after_refresh(self._bench_painted)

        async def _bench_painted(self) -> None:
            shown = len(self.view.highlights)
            marks["highlights_shown"] = shown
            if shown < expect:
                problems.append(f"{shown} highlights shown, {expect} expected")
            mark("highlights")
            if mode == "open":
                Profiling.stop()
            if mode == "keys":
                marks["keys"] = await measure_keys(self, presses)
                self.run_worker(self._bench_live(), name="bench-keys-live")
                return
            self.app.exit()

        async def _bench_live(self) -> None:
            # A task of its own: waiting for a repaint from the screen's task would block it.
            try:
                marks["keys_live"] = await measure_keys_live(self, presses, marks["keys"]["row"])
            except Exception as exc:  # noqa: BLE001 - reported by the parent, with the rest
                problems.append(f"live keystrokes: {exc!r}")
            finally:
                self.app.exit()

    article_module.ArticleScreen = BenchArticleScreen  # type: ignore[misc]


async def measure_keys(screen: ArticleScreen, presses: int) -> dict[str, Any]:
    """Time each view action plus what the keystroke then costs, inside the running app.

    Per keystroke: ``action`` is the action call (with the reactive watcher it triggers:
    marking two lines for repaint, scrolling); ``status`` is what the screen does on the
    ``CursorMoved`` message the action posts (the status line: the note under the cursor);
    ``frame`` is a full repaint of the screen by Textual's compositor (every widget's
    visible lines, the view's re-rendered where the key made them dirty, from its line
    cache otherwise) and the encoding of that update into the string a real terminal is
    sent, which headless Textual skips. If those Textual internals are not there, the frame
    falls back to rendering each visible row of the view, and says so. No Pilot, no idle
    waits: the keystrokes run back to back in one callback, each with its own frame. What
    this leaves out (message passing, the layout the status line asks for, key dispatch) is
    in :func:`measure_keys_live`.

    Each action starts in a part of the article no earlier action has rendered, so the
    view's line cache is as cold as it is for a reader moving through new text.
    """
    import inspect
    from collections.abc import Callable
    from time import perf_counter

    app = screen.app
    view = screen.view
    console = app.console
    show_status: Callable[[], object] = getattr(
        screen, "_show_status", screen.highlight_under_cursor
    )
    height = max(1, view.scrollable_content_region.height)

    def frame_full() -> None:
        update = screen._compositor.render_update(full=True, screen_stack=[])  # noqa: SLF001
        if update is not None:
            update.render_segments(console)  # type: ignore[union-attr]

    def frame_lines() -> None:
        for y in range(height):
            view.render_line(y)

    frames: list[tuple[str, Callable[[], None]]] = [
        ("a full repaint by the compositor and its encoding for the terminal", frame_full),
        ("view.render_line for each visible row", frame_lines),
    ]

    def frame() -> None:
        """The first of ``frames`` that works here (Textual internals may change)."""
        while True:
            try:
                frames[0][1]()
                return
            except Exception as exc:  # noqa: BLE001 - fall back, and say so
                failed = frames.pop(0)[0]
                results.setdefault("frame_fallbacks", []).append(f"{failed}: {exc!r}")

    results: dict[str, Any] = {"height": height, "lines": len(view.lines)}
    row = len(view.lines) // 20  # well into the article, away from the first screen
    for name in KEY_ACTIONS:
        action = getattr(view, f"action_{name}", None)
        if action is None:
            results[name] = None
            continue
        row = start_row(view, row, height)
        frame()
        samples: list[tuple[float, float, float]] = []
        try:
            for n in range(SETTLE_PRESSES + presses):
                t0 = perf_counter()
                result = action()
                if inspect.isawaitable(result):
                    await result
                t1 = perf_counter()
                show_status()
                t2 = perf_counter()
                frame()
                t3 = perf_counter()
                if n >= SETTLE_PRESSES:
                    samples.append((t1 - t0, t2 - t1, t3 - t2))
        except Exception as exc:  # noqa: BLE001 - an action still being written may fail
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        results[name] = {"samples": samples}
        row = view.cursor_row + 3 * height
    results["frame_kind"] = frames[0][0] if frames else "none worked"
    results["row"] = row
    return results


def start_row(view: Any, row: int, height: int) -> int:
    """Put the cursor on the first content line at or after ``row`` (from the top if the
    rest of the article is too short) and return that row."""
    row = row if row < len(view.lines) - 4 * height else 0
    view.cursor_offset = view.lines[view.row_for_offset(view.lines[row].start)].start
    return int(view.cursor_row)


def key_for(screen: ArticleScreen, action: str) -> str | None:
    """A key bound to ``action`` where the cursor is (a named key such as ``down`` first)."""
    keys = [
        key
        for key, active in screen.active_bindings.items()
        if active.binding.action == action and active.enabled
    ]
    return min(keys, key=lambda k: (len(k) == 1, k)) if keys else None


async def measure_keys_live(screen: ArticleScreen, presses: int, row: int) -> dict[str, Any]:
    """Each keystroke through the running app: main-thread CPU time until it is painted.

    From a task of its own, a key event bound to the action is posted to the app, as the
    terminal driver posts one (the action is called directly if no key is bound to it yet).
    The app then does all it does for a key: binding lookup, the action, the
    ``CursorMoved`` handler, the widgets' refresh messages, the update timer's layout and
    repaint, and the update is encoded for the terminal in the app's display hook, as a
    real terminal's driver would. The time is the main thread's CPU time from the key until
    the screen has painted and is idle again: waiting for the update timer's next tick
    costs no CPU, so, unlike Pilot's wall-clock waits, it is not counted.
    """
    import asyncio
    import contextlib
    import inspect

    from textual import events

    app = screen.app
    view = screen.view
    console = app.console
    height = max(1, view.scrollable_content_region.height)
    painted = asyncio.Event()

    def display(_screen: object, renderable: Any) -> None:
        if renderable is not None:
            encode = getattr(renderable, "render_segments", None)
            if encode is not None:
                encode(console)
            painted.set()

    async def press(action: Any, key: str | None) -> None:
        painted.clear()
        if key is not None:
            event = events.Key(key, key if len(key) == 1 else None)
            event.set_sender(app)
            app.post_message(event)
        else:
            result = action()
            if inspect.isawaitable(result):
                await result
        with contextlib.suppress(TimeoutError):  # the key changed nothing on screen
            await asyncio.wait_for(painted.wait(), timeout=1.0)
        await screen.wait_for_refresh()  # and whatever followed is painted too

    app._display = display  # type: ignore[assignment]  # noqa: SLF001
    results: dict[str, Any] = {}
    # The floor of this measure: a key bound to nothing, dispatched, nothing to paint.
    floor: list[float] = []
    for _ in range(50):
        began = time.thread_time()
        event = events.Key("f12", None)
        event.set_sender(app)
        app.post_message(event)
        await screen.wait_for_refresh()
        floor.append(time.thread_time() - began)
    results["floor"] = floor
    Profiling.start()
    for name in KEY_ACTIONS:
        action = getattr(view, f"action_{name}", None)
        if action is None:
            results[name] = None
            continue
        row = start_row(view, row, height)
        await screen.wait_for_refresh()
        key = key_for(screen, name)
        samples: list[float] = []
        try:
            for n in range(SETTLE_PRESSES + presses):
                began = time.thread_time()
                await press(action, key)
                if n >= SETTLE_PRESSES:
                    samples.append(time.thread_time() - began)
        except Exception as exc:  # noqa: BLE001 - an action still being written may fail
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        results[name] = {"samples": samples, "key": key}
        row = view.cursor_row + 3 * height
    Profiling.stop()
    del app._display  # noqa: SLF001
    return results


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="One timed headless run (bench_reader.py).")
    parser.add_argument("mode", choices=("label", "library", "open", "read", "keys"))
    parser.add_argument("--out", required=True)
    parser.add_argument("--article")
    parser.add_argument("--expect", type=int, default=0)
    parser.add_argument("--presses", type=int, default=300)
    parser.add_argument("--profile", help="write a cProfile of the run (main thread) here")
    args = parser.parse_args(argv)
    if args.profile:
        import cProfile

        Profiling.profiler, Profiling.path = cProfile.Profile(), args.profile
    if args.mode == "label":
        run_label(args.out)
    else:
        run_reader(args.out, args.mode, args.article, args.expect, args.presses)


if __name__ == "__main__":
    main(sys.argv[1:])
