"""One running copy of the reader, driven over a pipe by the two-copies tests.

``python driver.py ARTICLE_ID INTERVAL`` runs the real app headless (``App.run_test``) on
the library and notes store that ``SUMMIT_READER_HOME`` names (the test gives two copies the
same one), opened on one article, looking at the store every ``INTERVAL`` seconds. It reads
one JSON request per line on stdin and answers each with one line on stdout, ``@@`` and the
JSON state of the app once the request is done and the workers it started have finished:

    {"press": ["w", "h"]}   press keys, as a reader would (Pilot: waits after each key)
    {"type": [["w", "h"], ["w", "2"]]}
                            each group of keys back to back, as fast as the app takes
                            them, then wait for the saves they started, as a quick reader
    {"goto": 123}           put the cursor on an offset (setting up, not under test)
    {"state": true}         only report
    {"quit": true}          leave (answers, then exits)

Between requests the app runs on its own (its timer, its workers), so the other copy's
changes arrive as they would for a reader. The test polls ``state`` with a timeout; nothing
here sleeps a fixed time. It imports nothing from the tests: it is run as a script.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from summitreader.core.library import Library
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens.all_notes import AllNotesScreen
from summitreader.ui.screens.article import ArticleScreen
from summitreader.ui.widgets.article_view import ArticleView

SIZE = (100, 30)


def state(app: SummitReaderApp) -> dict[str, Any]:
    """What this copy shows now, in JSON terms."""
    result: dict[str, Any] = {
        "screen": type(app.screen).__name__,
        "counts": dict(app.library_screen.counts),
        "notifications": [str(n.message) for n in app._notifications],
    }
    for screen in app.screen_stack:
        if isinstance(screen, ArticleScreen):
            view = screen.query_one(ArticleView)
            result["highlights"] = {
                ident: {"exact": a.exact, "color": a.color, "note": a.note, "tags": list(a.tags)}
                for ident, a in screen.highlights.items()
            }
            result["orphans"] = [a.id for a in screen.orphans]
            result["pending"] = len(screen.pending)
            result["cursor"] = view.cursor_offset
            result["selection"] = view.selection
            result["painted"] = sorted(h.id for h in view.highlights)
        if isinstance(screen, AllNotesScreen):
            result["all_notes"] = sorted(n.annotation.id for n in screen.notes)
    return result


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the workers running now (a newer one may replace an exclusive one)."""
    while True:
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        break
    await pilot.pause()


async def type_keys(pilot: Pilot[None], keys: list[str]) -> None:
    """Send ``keys`` through the app's key handling without waiting after each one.

    ``Pilot.press`` waits for the process to go idle after every key, a tenth of a second
    or more while the other copy keeps this one busy; a stress test of hundreds of keys
    would spend its time waiting. These events take the same path (the app's queue, its
    bindings, the focused widget), in order; the function returns once every queue that
    handles them is empty.
    """
    app = pilot.app
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))
    quiet = 0
    while quiet < 3:  # empty three times running: nothing is still being forwarded
        await pilot.pause()
        pumps = [app, app.screen, *([app.focused] if app.focused else [])]
        quiet = quiet + 1 if all(p.message_queue_size == 0 for p in pumps) else 0


def reply(payload: dict[str, Any]) -> None:
    sys.stdout.write("@@ " + json.dumps(payload) + "\n")
    sys.stdout.flush()


async def serve(article_id: str, interval: float) -> None:
    library = Library.from_environment()
    [entry] = [e for e in library.entries() if e.id == article_id]
    SummitReaderApp.WATCH_INTERVAL = interval
    app = make_app(library, start=entry)
    loop = asyncio.get_running_loop()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reply({"ready": True, **state(app)})
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            request = json.loads(line)
            if "press" in request:
                await pilot.press(*request["press"])
            for group in request.get("type", ()):
                await type_keys(pilot, group)
                await settle(pilot)
            if "goto" in request:
                app.screen.query_one(ArticleView).jump_to(int(request["goto"]))
            await settle(pilot)
            reply(state(app))
            if "quit" in request:
                await app.action_quit()
                break
        await settle(pilot)


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1], float(sys.argv[2])))
