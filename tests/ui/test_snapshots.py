"""SVG snapshots of the reader (pytest-textual-snapshot). Update with ``--snapshot-update``.

Fixed terminal size, the bundled seeds, an isolated store and no clock on screen, so the
pictures change only when the UI does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from summitreader.core.library import Library
from summitreader.ui.app import make_app

from .support import settle

SIZE = (100, 30)
SnapCompare = Callable[..., bool]


def test_library_screen(snap_compare: SnapCompare, seeds_library: Library) -> None:
    assert snap_compare(make_app(seeds_library), terminal_size=SIZE, run_before=settle)


def test_article_screen(snap_compare: SnapCompare, seeds_library: Library) -> None:
    async def open_and_read(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter", "j", "j", "j")
        await pilot.pause()

    assert snap_compare(make_app(seeds_library), terminal_size=SIZE, run_before=open_and_read)
