"""The footer: the keys Textual's footer would show, drawn as one line, following every change."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from summitreader.core.library import Library
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens import library as library_screen
from summitreader.ui.widgets.footer import Footer

from .support import drive


def footer_of(app: SummitReaderApp) -> Footer:
    return app.screen.query_one(Footer)


def expected_keys(app: SummitReaderApp) -> list[str]:
    """The keys Textual's footer shows for the screen's bindings now (the palette's last)."""
    keys: dict[str, str] = {}
    for key, active in app.screen.active_bindings.items():
        if active.binding.show:
            keys.setdefault(active.binding.action, key)
    return [*keys.values(), app.COMMAND_PALETTE_BINDING]


def footer_line(app: SummitReaderApp) -> str:
    """The footer's row as painted on the screen."""
    footer = footer_of(app)
    return "".join(s.text for s in app.screen._compositor.render_strips()[footer.region.y])  # noqa: SLF001


def test_the_footer_shows_the_screens_keys_and_follows_every_change(
    seeds_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The loading indicator (shown if cleaning takes a while) moves the focus: not here.
    monkeypatch.setattr(library_screen, "LOADING_DELAY", 3600.0)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        footer = footer_of(app)
        assert list(footer.children) == []  # one widget: nothing to mount per key
        at_start = footer.keys
        assert at_start == expected_keys(app) and "s" in at_start
        line = footer_line(app)
        assert " s Sort " in line and " ? Keys " in line and line.rstrip().endswith("palette")
        await pilot.press("slash")  # the filter box takes the letters: fewer keys on show
        await pilot.pause()
        assert footer.keys == expected_keys(app) != at_start and "s" not in footer.keys
        assert " s Sort " not in footer_line(app)
        await pilot.press("enter")  # back to the table
        await pilot.pause()
        assert footer.keys == at_start
        app.set_keymap({"library.sort": "o"})  # a key on show changes
        await pilot.pause()
        assert "o" in footer.keys and "s" not in footer.keys
        assert footer.keys == expected_keys(app) and " o Sort " in footer_line(app)

    drive(make_app(seeds_library), scenario)


def test_clicking_a_key_presses_it_and_hovering_shows_its_tooltip(
    seeds_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_screen, "LOADING_DELAY", 3600.0)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        screen = app.screen
        assert isinstance(screen, library_screen.LibraryScreen)
        footer = footer_of(app)
        column = footer_line(app).index(" s Sort ") + 1
        sort_before = screen.sort
        await pilot.hover(Footer, offset=(column, 0))
        await pilot.pause()
        assert footer.items[footer.hover].key == "s"
        tooltip = footer.tooltip
        assert tooltip is not None and "sort" in str(tooltip).lower()
        await pilot.click(Footer, offset=(column, 0))
        await pilot.pause()
        assert screen.sort != sort_before  # the click pressed s: the sort moved on
        column = footer_line(app).index("palette")
        await pilot.click(Footer, offset=(column, 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"

    drive(make_app(seeds_library), scenario)


def test_a_narrow_footer_leaves_out_whole_keys_and_keeps_the_palette(
    seeds_library: Library,
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        wide = footer_line(app)
        await pilot.resize_terminal(40, 15)
        await pilot.pause()
        narrow = footer_line(app)
        assert len(narrow) == 40 and narrow.rstrip().endswith("palette")
        shown = [k for k in footer_of(app).items if f" {k.display} {k.description} " in narrow]
        assert 0 < len(shown) < len(footer_of(app).items)  # fewer keys, none cut in half
        assert wide != narrow

    drive(make_app(seeds_library), scenario)


def test_every_screen_uses_the_one_line_footer(seeds_library: Library) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter")  # an article
        await pilot.pause()
        footers: list[Widget] = list(app.screen.query("Footer"))
        assert [type(f) for f in footers] == [Footer] and footer_of(app).keys
        await pilot.press("N")  # every note
        await pilot.pause()
        assert [type(f) for f in app.screen.query("Footer")] == [Footer]

    drive(make_app(seeds_library), scenario)
