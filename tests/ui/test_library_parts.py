"""A large library is shown as it is read: the first screenful first, the rest in parts.

The parts are made small here (a library of a dozen captures arrives in several), so every
path is exercised without generating a thousand files: rows in library order whatever the
parts, a sort or filter chosen before the last part still applies to it, the status says
the reading goes on, and the notes counts come after the rows.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from summitreader.core.library import Library
from summitreader.ui import app as app_module
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.messages import LibraryRow
from summitreader.ui.screens.library import LibraryScreen, sort_entries

from .support import SIZE, drive

TITLES = [
    "Kim greets Putin at the airport",
    "A treaty on mutual defence is signed",
    "Analysts weigh the new pact",
    "Seoul protests the agreement",
    "Beijing keeps its distance",
    "Tokyo calls for calm",
    "Washington warns of consequences",
    "Markets shrug off the summit",
    "Putin leaves for Hanoi",
    "Veterans recall the last visit",
    "Kim gifts a pair of dogs",
    "The summit in pictures",
]


def capture(title: str, number: int) -> str:
    body = " ".join(
        f"Sentence {n} of the report on {title.lower()} goes on for a while." for n in range(6)
    )
    date = f"2024-06-{10 + number:02d}"
    return f"{title}\n\nBy Staff | Source: Wire {number % 3} | Published: {date}\n\n{body}\n"


@pytest.fixture
def dozen(tmp_path: Path) -> Library:
    folder = tmp_path / "library"
    folder.mkdir()
    for number, title in enumerate(TITLES):
        (folder / f"story-{number:02d}.txt").write_text(capture(title, number), "utf-8")
    return Library.from_environment(folder)


def table_of(app: App[None]) -> DataTable[Text]:
    return app.screen.query_one("#library-table", DataTable)


def row_ids(table: DataTable[Text]) -> list[str]:
    return [str(row.key.value) for row in table.ordered_rows]


def status(app: App[None]) -> str:
    return str(app.screen.query_one("#library-status", Static).render())


def test_a_library_read_in_parts_is_shown_whole_and_in_order(
    dozen: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "FIRST_ROWS", 2)
    monkeypatch.setattr(app_module, "MORE_ROWS", 3)
    parts: list[int] = []
    real = LibraryScreen.add_rows

    def counting(
        self: LibraryScreen,
        rows: tuple[LibraryRow, ...],
        problems: tuple[str, ...],
        *,
        complete: bool = True,
    ) -> None:
        parts.append(len(rows))
        real(self, rows, problems, complete=complete)

    monkeypatch.setattr(LibraryScreen, "add_rows", counting)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        table = table_of(app)
        assert row_ids(table) == [e.id for e in dozen.entries()]
        assert [cell.plain for cell in table.get_column("notes")] == ["0"] * len(TITLES)
        assert status(app) == f"{len(TITLES)} articles"

    drive(make_app(dozen), scenario)
    assert parts == [2, 3, 3, 3, 1]  # the first screenful, then the rest, then what is left


def test_rows_arriving_after_a_sort_or_a_filter_follow_it(dozen: Library) -> None:
    """Parts given to the screen by hand, with a sort and then a filter chosen in between."""
    entries = dozen.entries()
    rows = tuple(LibraryRow(e, None) for e in entries)

    class Host(App[None]):
        def get_default_screen(self) -> LibraryScreen:
            return LibraryScreen()

    async def run() -> None:
        app = Host()
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            assert isinstance(screen, LibraryScreen)
            screen.add_rows(rows[:4], (), complete=False)
            await pilot.pause()
            assert row_ids(table_of(app)) == [e.id for e in entries[:4]]
            assert status(app) == "Reading the library… 4 articles so far"
            assert [c.plain for c in table_of(app).get_column("notes")] == [""] * 4

            await pilot.press("s")  # by date, newest first
            screen.add_rows(rows[4:8], (), complete=False)
            await pilot.pause()
            expected = sort_entries(entries[:8], screen.sort)
            assert screen.sort == "date"
            assert row_ids(table_of(app)) == [e.id for e in expected]

            await pilot.press("slash", *"pact")
            screen.add_rows(rows[8:], ("bad.txt: file is empty",), complete=True)
            await pilot.pause()
            matching = [e for e in entries if "pact" in f"{e.article.title} {e.article.text}"]
            assert row_ids(table_of(app)) == [e.id for e in sort_entries(matching, "date")]
            assert status(app) == (
                f"{len(TITLES)} articles · {len(matching)} match the filter · 1 could not be read"
            )

            screen.show_counts({matching[0].id: 3})
            await pilot.pause()
            assert [c.plain for c in table_of(app).get_column("notes")] == ["3"] + ["0"] * (
                len(matching) - 1
            )

    asyncio.run(run())


def test_scan_yields_what_entries_returns_and_reads_once(dozen: Library, tmp_path: Path) -> None:
    scanned = list(dozen.scan())
    assert [e.id for e in scanned] == [e.id for e in dozen.entries()]
    assert dozen.entries() is dozen.entries()
    (tmp_path / "library" / "story-00.txt").unlink()  # read already: not read again
    assert [e.id for e in dozen.scan()] == [e.id for e in scanned]
    fresh = Library.from_environment(tmp_path / "library")
    assert len(fresh.entries()) == len(TITLES) - 1


def test_an_abandoned_scan_leaves_the_library_readable(dozen: Library) -> None:
    scan = dozen.scan()
    first = next(scan)
    scan.close()  # as a worker cancelled mid-way leaves it
    assert dozen.entries()[0].id == first.id and len(dozen.entries()) == len(TITLES)
