"""The footer is built once when the library opens, and still follows every change of keys."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from summitreader.core.library import Library
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens import library as library_screen
from summitreader.ui.widgets.footer import Footer

from .support import drive


def shown_keys(app: SummitReaderApp) -> list[str]:
    """The keys the footer shows, left to right."""
    footer = app.screen.query_one(Footer)
    return [key.key for key in footer.query(FooterKey)]


def expected_keys(app: SummitReaderApp) -> list[str]:
    """The keys Textual's footer shows for the screen's bindings now (the palette's last)."""
    keys: dict[str, str] = {}
    for key, active in app.screen.active_bindings.items():
        if active.binding.show:
            keys.setdefault(active.binding.action, key)
    return [*keys.values(), app.COMMAND_PALETTE_BINDING]


def test_the_footer_is_built_once_at_start_and_follows_every_change(
    seeds_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[str] = []
    real = TextualFooter.recompose

    async def counting(self: TextualFooter) -> Any:
        builds.append(type(self.screen).__name__)
        return await real(self)

    monkeypatch.setattr(TextualFooter, "recompose", counting)
    # The loading indicator (shown if cleaning takes a while) moves the focus: not here.
    monkeypatch.setattr(library_screen, "LOADING_DELAY", 3600.0)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        assert builds == ["LibraryScreen"]  # Textual's own footer is built twice here
        at_start = shown_keys(app)
        assert at_start == expected_keys(app) and "s" in at_start
        await pilot.press("slash")  # the filter box takes the letters: fewer keys on show
        await pilot.pause()
        assert shown_keys(app) == expected_keys(app) != at_start and len(builds) == 2
        await pilot.press("enter")  # back to the table
        await pilot.pause()
        assert shown_keys(app) == at_start and len(builds) == 3
        app.screen.set_focus(app.screen.query_one("#library-table"))  # no change: no rebuild
        app.set_keymap({"library.sort": "o"})  # a key on show changes: rebuilt
        await pilot.pause()
        assert "o" in shown_keys(app) and "s" not in shown_keys(app)
        assert shown_keys(app) == expected_keys(app) and len(builds) == 4

    drive(make_app(seeds_library), scenario)
