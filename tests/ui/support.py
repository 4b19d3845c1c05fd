"""Shared values and helpers for the UI tests (fixtures live in conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual.pilot import Pilot
from textual.widgets import Static

from summitreader.core.annotations import Annotation, new_annotation
from summitreader.core.library import LibraryEntry
from summitreader.core.spans import sentence_at
from summitreader.core.store import Store

if TYPE_CHECKING:
    from summitreader.ui.app import SummitReaderApp
    from summitreader.ui.screens.article import ArticleScreen

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


def drive(app: SummitReaderApp, scenario: Scenario, *, size: tuple[int, int] = SIZE) -> None:
    """Run ``scenario`` against ``app`` once it has loaded, and let the last workers finish.

    The final settle lets a save started by the scenario complete before the app closes.
    """

    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await scenario(app, pilot)
            await settle(pilot)

    asyncio.run(run())


def article_screen(app: SummitReaderApp) -> ArticleScreen:
    """The article screen on the stack (also while a dialog is open over it)."""
    from summitreader.ui.screens.article import ArticleScreen

    [screen] = [s for s in app.screen_stack if isinstance(s, ArticleScreen)]
    return screen


def status_of(app: SummitReaderApp) -> str:
    """What the article's status line says."""
    return str(article_screen(app).query_one("#article-status", Static).render())


def stored(entry: LibraryEntry) -> list[Annotation]:
    """The article's annotations as the store holds them now."""
    with Store() as store:
        return store.for_article(entry.id)


def first_sentence(entry: LibraryEntry) -> str:
    """The first sentence of the article's canonical text."""
    text = entry.article.text
    start, end = sentence_at(text, 0)
    return text[start:end]


def highlight(
    entry: LibraryEntry, at: int = 0, *, note: str = "", tags: tuple[str, ...] = ()
) -> Annotation:
    """Store a highlight of the sentence at ``at`` through the core, as the CLI would."""
    text = entry.article.text
    start, end = sentence_at(text, at)
    annotation = new_annotation(entry.id, text, start, end, note=note, tags=tags)
    with Store() as store:
        store.add(annotation)
    return annotation


def orphan_of(entry: LibraryEntry) -> Annotation:
    """Store a highlight made on an older text of ``entry`` whose quote is gone from it now."""
    gone = "Zebras quietly negotiated a treaty about marmalade exports."
    old_text = f"{gone}\n\n{entry.article.text}"
    annotation = new_annotation(entry.id, old_text, 0, len(gone), note="lost")
    with Store() as store:
        store.add(annotation)
    return annotation
