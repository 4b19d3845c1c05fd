"""The command palette offers every action of the screen it was opened over.

What the palette shows is read from its option list after ``ctrl+p``, as a user sees it; what
it should show is computed here straight from the screen's ``active_bindings``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

import pytest
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import OptionList, Static

from summitreader.core.library import Library, LibraryEntry
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens.all_notes import AllNotesScreen
from summitreader.ui.screens.help import HelpScreen
from summitreader.ui.screens.library import LibraryScreen

from .support import UNTRUSTED, article_screen, drive, first_sentence, settle, stored

#: Actions deliberately not among the screen's commands: the palette's own key, and quitting,
#: which Textual's system "Quit" command offers (it runs the same ``App.action_quit``).
NOT_OFFERED = {"command_palette", "quit", "app.quit"}

Opener = Callable[[SummitReaderApp, Pilot[None], LibraryEntry], Awaitable[None]]


async def on_library(app: SummitReaderApp, pilot: Pilot[None], entry: LibraryEntry) -> None:
    assert isinstance(app.screen, LibraryScreen)


async def on_article(app: SummitReaderApp, pilot: Pilot[None], entry: LibraryEntry) -> None:
    app.open_article(entry)
    await settle(pilot)


async def on_all_notes(app: SummitReaderApp, pilot: Pilot[None], entry: LibraryEntry) -> None:
    await pilot.press("N")
    await settle(pilot)
    assert isinstance(app.screen, AllNotesScreen)


def expected_offers(screen: Screen[object]) -> set[tuple[str, str]]:
    """``(description, key)`` for every key the screen answers, but for ``NOT_OFFERED``."""
    return {
        (active.binding.description, screen.app.get_key_display(active.binding))
        for active in screen.active_bindings.values()
        if active.enabled and not active.binding.system and active.binding.action not in NOT_OFFERED
    }


async def open_palette(pilot: Pilot[None], query: str = "") -> list[tuple[str, str]]:
    """Open the palette, type ``query``; the options shown, as ``(title, help)``."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    if query:
        await pilot.press(*query)
        await settle(pilot)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    options = palette.query_one(OptionList)
    shown = []
    for index in range(options.option_count):
        prompt = options.get_option_at_index(index).prompt
        title, _, help_text = str(getattr(prompt, "plain", prompt)).partition("\n")
        shown.append((title, help_text))
    return shown


def as_offers(shown: list[tuple[str, str]], system: set[str]) -> set[tuple[str, str]]:
    """``(title, key)`` per key named in the help of each option that is not a system one."""
    return {
        (title, key)
        for title, help_text in shown
        if title not in system
        for key in help_text.split(" · ")[0].split(", ")
    }


@pytest.mark.parametrize("opener", [on_library, on_article, on_all_notes])
def test_the_palette_offers_every_action_of_the_screen(
    seeds_library: Library, first: LibraryEntry, opener: Opener
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await opener(app, pilot, first)
        screen = app.screen
        expected = expected_offers(screen)
        system = {command.title for command in app.get_system_commands(screen)}
        shown = await open_palette(pilot)
        assert as_offers(shown, system) == expected
        titles = [title for title, _ in shown]
        for title in system:  # Textual's own commands are there, and only once
            assert titles.count(title) == 1, title
        assert "Quit" in system and "Keys" in titles  # one Keys: the reader's own list
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen

    drive(make_app(seeds_library), scenario)


async def run_from_palette(pilot: Pilot[None], query: str) -> None:
    """Open the palette, type ``query``, and run the best match with ``enter``.

    The first ``enter`` highlights the top option, the second runs it.
    """
    shown = await open_palette(pilot, query)
    assert shown and shown[0][0] == query, shown
    await pilot.press("enter", "enter")
    await settle(pilot)
    assert not isinstance(pilot.app.screen, CommandPalette)


def test_highlight_from_the_palette_highlights_the_sentence(
    seeds_library: Library, first: LibraryEntry
) -> None:
    """An action of the article screen, run on the screen under the palette."""

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await run_from_palette(pilot, "Highlight")
        assert len(article_screen(app).highlights) == 1

    drive(make_app(seeds_library, start=first), scenario)
    [annotation] = stored(first)
    assert annotation.selector.exact == first_sentence(first)
    assert annotation.color == "yellow"


def test_a_view_action_from_the_palette_moves_the_view(
    seeds_library: Library, first: LibraryEntry
) -> None:
    """An action of the focused article view (not the screen), same as its key ``G``."""

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        view = article_screen(app).view
        assert view.cursor_offset == 0
        await run_from_palette(pilot, "Bottom")
        by_palette = view.cursor_offset
        await pilot.press("g", "G")
        assert by_palette > 0 and view.cursor_offset == by_palette

    drive(make_app(seeds_library, start=first), scenario)


def test_an_app_action_from_the_palette_acts_on_the_screen_below(
    seeds_library: Library,
) -> None:
    """``Keys`` lists the keys of the library, not of the palette it was chosen in."""

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await run_from_palette(pilot, "Keys")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.title_text == "Keys: library"
        await pilot.press("escape")
        await run_from_palette(pilot, "All notes")
        assert isinstance(app.screen, AllNotesScreen)

    drive(make_app(seeds_library), scenario)


HOSTILE = f"{UNTRUSTED} [$accent]accent[/]"


class MarkupScreen(Screen[None]):
    """Bindings whose description and tooltip are markup, and one action that is disabled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "ping", HOSTILE, tooltip=HOSTILE),
        Binding("y", "unavailable", "Unavailable", tooltip="Does nothing now"),
    ]

    pings = 0

    def compose(self) -> ComposeResult:
        yield Static("markup test")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "unavailable" else True

    def action_ping(self) -> None:
        self.pings += 1


def test_markup_in_a_description_or_tooltip_is_shown_as_written(seeds_library: Library) -> None:
    """Neither the title nor the help of a command is parsed, also when it is searched."""

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        screen = MarkupScreen()
        await app.push_screen(screen)
        await settle(pilot)
        shown = await open_palette(pilot)
        assert (HOSTILE, f"x · {HOSTILE}") in shown
        assert "Unavailable" not in {title for title, _ in shown}  # its key does nothing
        await pilot.press("escape")
        await pilot.pause()
        shown = await open_palette(pilot, "click")
        assert shown[0] == (HOSTILE, f"x · {HOSTILE}")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert screen.pings == 1 and app.is_running

    drive(make_app(seeds_library), scenario)
