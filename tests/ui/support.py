"""Shared values and helpers for the UI tests (fixtures live in conftest.py)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

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
