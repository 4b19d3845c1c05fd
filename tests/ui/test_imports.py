"""The reader imports only what its first screen needs; the rest loads when first used.

Checked in fresh interpreters, since this process has long since imported everything.
"""

from __future__ import annotations

import subprocess
import sys

#: Loaded on first use, never for the library screen: the article screen and its widgets
#: (the note editor brings Textual's TextArea), the notes list, export, matching (rapidfuzz)
#: and the cleaner (its rules), which a warm cache does without.
LATER = (
    "rapidfuzz",
    "summitreader.core.store",
    "tinydb",
    "argparse",
    "summitreader.core.clean",
    "summitreader.core.rules",
    "summitreader.core.anchoring",
    "summitreader.core.notes",
    "summitreader.core.export",
    "summitreader.ui.screens.article",
    "summitreader.ui.screens.all_notes",
    "summitreader.ui.screens.note_editor",
    "summitreader.ui.screens.help",
    "summitreader.ui.widgets.article_view",
    "textual.widgets._text_area",
)


def loaded_after(code: str) -> list[str]:
    """Which of :data:`LATER` are imported once ``code`` has run in a new interpreter."""
    check = (
        "import contextlib, io, sys\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    exec({code!r})\n"
        f"print(','.join(m for m in {LATER!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60, check=True
    )
    return [m for m in done.stdout.strip().split(",") if m]


def test_the_app_module_imports_only_the_library_screen() -> None:
    assert loaded_after("import summitreader.cli, summitreader.ui.app") == []


def test_the_bare_command_needs_no_parser() -> None:
    """``summit-reader`` alone (here not on a terminal: it lists) skips argparse."""
    bare = "from summitreader.cli import main\nassert main([]) == 0"
    loaded_after(bare)  # the first run cleans the library into the cache
    assert loaded_after(bare) == []


def test_the_modules_checked_above_exist() -> None:
    """Each name in LATER is real, so the test above cannot pass by a typo."""
    code = "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in LATER)
    assert loaded_after(code) == list(LATER)


def test_list_with_a_warm_cache_does_not_load_the_cleaner() -> None:
    listing = "from summitreader.cli import main\nassert main(['list']) == 0"
    assert "summitreader.core.clean" in loaded_after(listing)  # the first run cleans
    assert loaded_after(listing) == ["argparse"]  # the next reads the cleaning cache


def test_the_article_screen_code_is_loaded_once_the_list_is_shown() -> None:
    """Not for the first frame, but before the first Enter: preloaded in a worker."""
    code = """
import asyncio, sys
from summitreader.core.library import Library
from summitreader.ui import app as app_module

ARTICLE = "summitreader.ui.screens.article"

async def main():
    app_module.PRELOAD_AFTER = 3600.0
    app = app_module.make_app(Library.from_environment())
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.library_screen.complete and ARTICLE not in sys.modules
    app_module.PRELOAD_AFTER = 0.001
    app = app_module.make_app(Library.from_environment())
    async with app.run_test() as pilot:
        for _ in range(200):  # the timer, then the worker: a few turns of the loop
            await app.workers.wait_for_complete()
            await pilot.pause()
            if ARTICLE in sys.modules:
                break
        assert ARTICLE in sys.modules
    print("OK-PRELOADED")

asyncio.run(main())
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("OK-PRELOADED")
