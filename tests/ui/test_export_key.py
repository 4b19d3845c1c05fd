"""The reader's export key: ``e`` writes Markdown to the documents folder and says where."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from core.export_support import parse_export, split_frontmatter, store_with_samples
from summitreader.core import locations
from summitreader.core.library import Library, LibraryEntry
from summitreader.core.notes import create_highlight
from summitreader.core.store import Store
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens.all_notes import AllNotesScreen
from summitreader.ui.screens.article import ArticleScreen
from summitreader.ui.screens.help import HelpScreen

from .support import UNTRUSTED, drive, first_sentence, settle


def messages(app: SummitReaderApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def notified_path(app: SummitReaderApp) -> Path:
    """The file named by the last export notification."""
    [message] = [m for m in messages(app) if m.startswith("Exported ")]
    return Path(message.split(" to ", 1)[1])


def test_e_in_the_library_exports_every_note(seeds_library: Library) -> None:
    store_with_samples(seeds_library.entries())

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("e")
        await settle(pilot)
        path = notified_path(app)
        assert path == locations.documents_dir() / "summit-reader-notes.md"
        assert messages(app) == [f"Exported 6 notes to {path}"]
        parsed = parse_export(path.read_text(encoding="utf-8"))
        assert parsed.front["articles"] == 4 and parsed.front["annotations"] == 6

    drive(make_app(seeds_library), scenario)


def test_e_on_an_article_exports_that_article(seeds_library: Library, first: LibraryEntry) -> None:
    with Store() as store:
        create_highlight(store, first, first_sentence(first), note="Mine", tags=["t"])

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("e")
        await settle(pilot)
        path = notified_path(app)
        assert path.parent == locations.documents_dir()
        assert path.name.endswith(f"-{first.id}.md")
        parsed = parse_export(path.read_text(encoding="utf-8"))
        assert parsed.front["article_id"] == first.id
        [annotation] = parsed.annotations
        assert annotation.quote == first_sentence(first) and annotation.note == "Mine"
        assert annotation.tags == ["t"]

    drive(make_app(seeds_library, start=first), scenario)


def test_e_in_the_notes_list_exports_everything(seeds_library: Library) -> None:
    store_with_samples(seeds_library.entries())

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("N")
        await settle(pilot)
        assert isinstance(app.screen, AllNotesScreen)
        await pilot.press("e")
        await settle(pilot)
        assert notified_path(app).name == "summit-reader-notes.md"

    drive(make_app(seeds_library), scenario)


def test_the_notification_never_reads_markup(
    hostile_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "[bold]home[/bold] [@click=app.quit]q[/]"
    monkeypatch.setenv("SUMMIT_READER_HOME", str(home))
    [entry] = hostile_library.entries()
    with Store() as store:
        create_highlight(store, entry, "The first paragraph")

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("e")
        await settle(pilot)
        path = notified_path(app)
        assert path.parent == home / "documents" and path.exists()
        assert all(n.markup is False for n in app._notifications)
        text = path.read_text(encoding="utf-8")
        front, body, _ = split_frontmatter(text)
        assert UNTRUSTED in front["title"] and UNTRUSTED not in body  # escaped in the Markdown
        assert parse_export(text).articles[0].title.startswith("Markup [bold]x[/bold]")
        assert app.is_running  # [@click=app.quit] did not run

    drive(make_app(hostile_library, start=entry), scenario)


def test_a_failed_export_is_reported(seeds_library: Library, tmp_path: Path) -> None:
    store_with_samples(seeds_library.entries())
    blocked = locations.documents_dir()
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("a file where the folder should be", encoding="utf-8")

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("e")
        await settle(pilot)
        [message] = messages(app)
        assert message.startswith("Export failed: cannot create folder")

    drive(make_app(seeds_library), scenario)


def test_e_is_not_a_key_of_dialogs(seeds_library: Library, first: LibraryEntry) -> None:
    with Store() as store:
        create_highlight(store, first, first_sentence(first))

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("e")
        await settle(pilot)
        assert messages(app) == [] and not locations.documents_dir().exists()
        await pilot.press("escape", "e")
        await settle(pilot)
        assert notified_path(app).name.endswith(f"-{first.id}.md")

    drive(make_app(seeds_library, start=first), scenario)


def test_e_typed_in_the_filter_is_just_a_letter(seeds_library: Library) -> None:
    store_with_samples(seeds_library.entries())

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash", "e")
        await settle(pilot)
        assert app.screen.query_one(Input).value == "e"
        assert messages(app) == [] and not locations.documents_dir().exists()

    drive(make_app(seeds_library), scenario)
