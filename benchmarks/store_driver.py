"""One headless run of the reader, measuring how long its UI thread stalls while saves run.

Started by ``bench_store.py`` as a whole process, once per measurement; not meant to be run
by hand. The reader is built by ``make_app`` as ``summit-reader read`` builds it, headless
at 100x30, on the home the parent prepared (a library and a store of thousands of notes).
Once the library's rows are painted it opens ``--article`` as Enter does, and once that
article's highlights are painted it runs three phases of ``--seconds`` each, one after the
other:

* ``idle``: nothing happens;
* ``keys``: a colour key (``1`` to ``5``, in turn, so each one changes the colour) is posted
  every ``--every`` seconds as the terminal driver posts keys, on a highlight under the
  cursor: the screen recolours it and repaints, but its saving is switched off (the
  changes are dropped), so this is the UI's own work for those keys;
* ``saves``: the same keys, and each change is saved as the product saves it (the save
  worker, a new ``Store`` per save, in a thread), so saves run back to back.

Throughout, a task on the UI thread's event loop sleeps :data:`TICK` seconds in a loop and
notes how late it wakes: the longest lateness is the longest stretch the UI thread could not
run (a frame being painted, a handler, or a save worker holding the GIL). The results go to
``--out`` as JSON.
"""

from __future__ import annotations

import sys
import time
from typing import Any

#: Headless terminal size: the size the UI tests use.
SIZE = (100, 30)
#: How often the ticker asks to wake, in seconds.
TICK = 0.010
#: The phases: name, whether colour keys are pressed, how many (``None``: for
#: ``--seconds``). Saving is on in ``first`` and ``saves`` only.
PHASES = (("first", True, 1), ("idle", False, None), ("keys", True, None), ("saves", True, None))

#: The garbage collector's full collections, as (start, end) ``perf_counter`` times: a
#: stall that overlaps one is told apart from the rest.
full_collections: list[tuple[float, float]] = []


def watch_collections() -> None:
    import gc

    began = [0.0]

    def noted(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        elif info["generation"] == 2:
            full_collections.append((began[0], time.perf_counter()))

    gc.callbacks.append(noted)


marks: dict[str, Any] = {"problems": []}


def run(
    out: str,
    article: str,
    seconds: float,
    every: float,
    profile: str | None = None,
    profile_phase: str = "saves",
) -> None:
    import asyncio
    import cProfile
    import json

    from textual import events, on

    import summitreader.cli  # noqa: F401 - what ``summit-reader`` imports before the UI
    from summitreader.core.annotations import COLORS
    from summitreader.core.library import Library
    from summitreader.ui import app as app_module
    from summitreader.ui.messages import HighlightsLoaded, HighlightsSaved, LibraryRow, OpenArticle
    from summitreader.ui.screens import article as article_module
    from summitreader.ui.screens.library import LibraryScreen

    watch_collections()
    library = Library.from_environment()
    problems: list[str] = marks["problems"]
    saves: list[float] = []

    class BenchLibraryScreen(LibraryScreen):
        """The library screen, opening the article once every row is in and painted."""

        def add_rows(
            self, rows: tuple[LibraryRow, ...], problems: tuple[str, ...], *, complete: bool = True
        ) -> None:
            super().add_rows(rows, problems, complete=complete)
            if complete:
                self.call_after_refresh(self._bench_painted)

        def _bench_painted(self) -> None:
            if "opened" in marks:
                return
            if self.table.row_count < len(self.rows):
                self.call_after_refresh(self._bench_painted)
                return
            marks["opened"] = time.perf_counter()
            self.post_message(OpenArticle(self.entries[article]))

    class BenchArticleScreen(article_module.ArticleScreen):
        """The article screen, with a switch for saving and a clock on each save."""

        saving = True
        save_began: float | None = None
        pressed = 0  # colour keys posted
        handled = 0  # colour keys handled

        def action_colour(self, number: int) -> None:
            super().action_colour(number)
            self.handled += 1

        def _save_pending(self) -> None:
            if not self.saving:
                self.pending.clear()  # the control phase: the same keys, nothing saved
                return
            was = self._saving
            super()._save_pending()
            if self._saving and not was:
                self.save_began = time.perf_counter()

        @on(HighlightsSaved)
        def _bench_saved(self, message: HighlightsSaved) -> None:
            if message.error:
                problems.append(f"save failed: {message.error}")
            if self.save_began is not None:
                saves.append(time.perf_counter() - self.save_began)
                self.save_began = None

        @on(HighlightsLoaded)
        def _bench_loaded(self, message: HighlightsLoaded) -> None:
            if "loaded" not in marks:
                marks["loaded"] = time.perf_counter()
                self.call_after_refresh(self._bench_start)

        def _bench_start(self) -> None:
            marks["highlights_shown"] = len(self.view.highlights)
            if not self.highlights:
                problems.append("the article has no highlights to recolour")
                self.app.exit()
                return
            first = min(self.highlights.values(), key=lambda a: a.selector.start)
            self.view.jump_to(first.selector.start)
            self.run_worker(self._bench_phases(), name="bench-phases")

        async def _bench_phases(self) -> None:
            try:
                # The first save after the start encodes the whole store (nothing written
                # yet to reuse): one key, measured on its own.
                for phase, press, keys in PHASES:
                    self.saving = phase in ("first", "saves")
                    del saves[:]
                    profiler = cProfile.Profile() if profile and phase == profile_phase else None
                    if profiler is not None:
                        profiler.enable()
                    marks[phase] = await self._bench_phase(press, keys)
                    if profiler is not None:
                        profiler.disable()
                        profiler.dump_stats(profile)
                    marks[phase]["saves"] = list(saves)
            except Exception as exc:  # noqa: BLE001 - reported by the parent
                problems.append(f"phases: {exc!r}")
            finally:
                self.app.exit()

        def _bench_next_key(self) -> str:
            """The colour key after the colour of the highlight under the cursor."""
            here = self.highlight_under_cursor()
            number = COLORS.index(here.color) if here is not None else 0
            return str((number + 1) % len(COLORS) + 1)

        async def _bench_phase(self, press: bool, keys: int | None) -> dict[str, Any]:
            app = self.app
            ticks: list[tuple[float, float]] = []
            pressed = 0
            began = time.perf_counter()
            next_key = began
            while time.perf_counter() - began < seconds if keys is None else pressed < keys:
                if press and time.perf_counter() >= next_key:
                    key = self._bench_next_key()
                    event = events.Key(key, key)
                    event.set_sender(app)
                    app.post_message(event)
                    pressed += 1
                    self.pressed += 1
                    next_key += every
                asked = time.perf_counter()
                await asyncio.sleep(TICK)
                ticks.append((asked, time.perf_counter()))
            # Every key is handled, and the last save finished, inside the phase.
            while self.handled < self.pressed or self._saving or (self.saving and self.pending):
                asked = time.perf_counter()
                await asyncio.sleep(TICK)
                ticks.append((asked, time.perf_counter()))
            pauses = [(a, b) for a, b in full_collections if b >= began]
            return {
                "lateness": [woke - asked - TICK for asked, woke in ticks],
                "lateness_no_gc": [
                    woke - asked - TICK
                    for asked, woke in ticks
                    if not any(a < woke and b > asked for a, b in pauses)
                ],
                "full_collections": [b - a for a, b in pauses],
                "keys": pressed,
            }

    # The reader looks both screens up by name when it makes them: the library screen in
    # its app module, the article screen in its own module (imported on the first open).
    app_module.LibraryScreen = BenchLibraryScreen  # type: ignore[misc]
    article_module.ArticleScreen = BenchArticleScreen  # type: ignore[misc]
    app = app_module.make_app(library)
    try:
        app.run(headless=True, size=SIZE)
    finally:
        if app.store is not None:
            app.store.close()
    if app._exception is not None:  # noqa: SLF001 - a crash in the app must not pass unseen
        problems.append(repr(app._exception))  # noqa: SLF001
    from reader_driver import peak_rss  # the reader's own driver measures memory the same way

    marks["peak_rss"] = peak_rss()
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(marks, fh)


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="One timed headless run (bench_store.py).")
    parser.add_argument("--out", required=True)
    parser.add_argument("--article", required=True)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--every", type=float, default=0.2)
    parser.add_argument("--profile", help="write a cProfile of the UI thread in one phase here")
    parser.add_argument("--profile-phase", choices=("idle", "keys", "saves"), default="saves")
    args = parser.parse_args(argv)
    run(args.out, args.article, args.seconds, args.every, args.profile, args.profile_phase)


if __name__ == "__main__":
    main(sys.argv[1:])
