"""Shared values and helpers for the UI tests (fixtures live in conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual.pilot import Pilot

if TYPE_CHECKING:
    from summitreader.ui.app import SummitReaderApp

#: The headless terminal size the Pilot tests run in.
SIZE = (100, 30)
Scenario = Callable[["SummitReaderApp", Pilot[None]], Awaitable[None]]

UNTRUSTED = "[bold]x[/bold] [@click=app.quit]click[/] [link=file:///etc/passwd]y[/link]"

HOSTILE_CAPTURE = f"""Markup {UNTRUSTED} in a title

By Jane Doe | Source: Test Wire | Published: 2024-06-19

The first paragraph of the article says {UNTRUSTED} and goes on for a while so that it \
reads like a sentence.

A second paragraph follows with more words in it, so the cleaner keeps it as body text.
"""


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the library worker and the messages it posted: no fixed sleeps."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def drive(app: SummitReaderApp, scenario: Scenario) -> None:
    """Run ``scenario`` against ``app`` once it has loaded, and let the last workers finish.

    The final settle lets a save started by the scenario complete before the app closes.
    """

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await scenario(app, pilot)
            await settle(pilot)

    asyncio.run(run())
