"""SVG snapshots of the reader (pytest-textual-snapshot). Update with ``--snapshot-update``.

Fixed terminal size, the bundled seeds, an isolated store and no clock on screen, so the
pictures change only when the UI does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import TextArea

from summitreader.core.annotations import new_annotation
from summitreader.core.library import Library
from summitreader.core.spans import sentence_at
from summitreader.core.store import Store
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


def test_article_with_a_highlight_and_a_note(
    snap_compare: SnapCompare, seeds_library: Library
) -> None:
    first = seeds_library.entries()[0]
    text = first.article.text
    second = text.index("\n\n") + 2
    with Store() as store:
        start, end = sentence_at(text, 0)
        store.add(new_annotation(first.id, text, start, end, note="Compare the [b]wording[/b]"))
        start, end = sentence_at(text, second)
        store.add(new_annotation(first.id, text, start, end, color="blue"))

    assert snap_compare(make_app(seeds_library, start=first), terminal_size=SIZE, run_before=settle)


def test_article_with_the_notes_panel_open(
    snap_compare: SnapCompare, seeds_library: Library
) -> None:
    first = seeds_library.entries()[0]
    text = first.article.text
    second = text.index("\n\n") + 2
    with Store() as store:
        start, end = sentence_at(text, 0)
        store.add(
            new_annotation(
                first.id, text, start, end, note="Compare the [b]wording[/b]", tags=("kim",)
            )
        )
        start, end = sentence_at(text, second)
        store.add(new_annotation(first.id, text, start, end, color="blue"))

    async def open_panel(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()

    assert snap_compare(
        make_app(seeds_library, start=first), terminal_size=SIZE, run_before=open_panel
    )


def test_help_screen(snap_compare: SnapCompare, seeds_library: Library) -> None:
    async def open_help(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(seeds_library), terminal_size=SIZE, run_before=open_help)


def test_note_editor(snap_compare: SnapCompare, seeds_library: Library) -> None:
    async def write_a_note(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        pilot.app.screen.query_one(TextArea).cursor_blink = False  # no blink in a picture
        await pilot.press(*"Check the date")
        await pilot.pause()

    assert snap_compare(make_app(seeds_library), terminal_size=SIZE, run_before=write_a_note)


def test_small_terminal(snap_compare: SnapCompare, seeds_library: Library) -> None:
    async def open_and_read(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter", "j")
        await pilot.pause()

    assert snap_compare(make_app(seeds_library), terminal_size=(60, 15), run_before=open_and_read)
