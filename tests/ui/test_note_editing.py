"""Notes and tags edited in the article screen: keys in, the core ``Store`` and the status out.

Same shape as ``test_highlights.py``: the app runs under ``asyncio.run``, the tests wait for
the store workers (never sleep) and check what the store holds after each save.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from summitreader.core.annotations import Annotation
from summitreader.core.library import Library, LibraryEntry
from summitreader.core.notes import create_highlight
from summitreader.core.store import Store, StoreError
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens.article import ArticleScreen
from summitreader.ui.screens.confirm import ConfirmScreen
from summitreader.ui.screens.note_editor import NoteEditor, TagEditor, parse_tags
from summitreader.ui.widgets.article_view import NOTE_MARKER, ArticleView

from .support import article_screen, drive, first_sentence, settle, status_of, stored


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` key by key, as a reader would."""
    await pilot.press(*text)


def test_n_highlights_the_sentence_and_saves_its_note(
    seeds_library: Library, first: LibraryEntry
) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        await settle(pilot)
        [created] = stored(first)  # the sentence is highlighted before the note is written
        assert created.exact == first_sentence(first) and created.note == ""
        await type_text(pilot, "Key claim.")
        await pilot.press("enter")
        await type_text(pilot, "Check it")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert status_of(app) == "Key claim. Check it"
        row = "".join(s.text for s in app.screen.query_one(ArticleView).render_line(0))
        assert NOTE_MARKER in row

    drive(make_app(seeds_library, start=first), scenario)
    [annotation] = stored(first)
    assert annotation.note == "Key claim.\nCheck it"
    assert annotation.exact == first_sentence(first)


def test_escape_asks_before_discarding_a_changed_note(
    seeds_library: Library, first: LibraryEntry
) -> None:
    with Store() as store:
        create_highlight(store, first, first_sentence(first), note="kept")

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("n", "escape")  # nothing typed: closes without asking
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("n")
        await type_text(pilot, " draft")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: keep editing, the text is still there
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "kept draft"
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")  # yes: discard
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert status_of(app) == "kept"
        assert app.screen.pending == []

    drive(make_app(seeds_library, start=first), scenario)
    assert [a.note for a in stored(first)] == ["kept"]


def test_t_sets_tags_from_one_line(seeds_library: Library, first: LibraryEntry) -> None:
    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("t")  # no highlight here yet: nothing to tag
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("h", "t")
        assert isinstance(app.screen, TagEditor)
        await type_text(pilot, "#a, b")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert [a.tags for a in stored(first)] == [("a", "b")]
        assert "#a #b" in status_of(app)
        await pilot.press("t", "escape")  # escape keeps the tags
        await settle(pilot)
        assert [a.tags for a in stored(first)] == [("a", "b")]

    drive(make_app(seeds_library, start=first), scenario)


def test_parse_tags_accepts_commas_spaces_and_hashes() -> None:
    assert parse_tags("#a, b") == ("a", "b")
    assert parse_tags(" #x #y,,x  z ") == ("x", "y", "z")
    assert parse_tags("") == ()


def test_u_restores_the_previous_note_and_tags(seeds_library: Library, first: LibraryEntry) -> None:
    with Store() as store:
        create_highlight(store, first, first_sentence(first), note="first", tags=["old"])

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await type_text(pilot, " and second")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [a.note for a in stored(first)] == ["first and second"]
        await pilot.press("t", "ctrl+u")  # ctrl+u clears the input
        await type_text(pilot, "new")
        await pilot.press("enter", "3")  # a recolour after the edits
        await settle(pilot)
        assert [(a.tags, a.color) for a in stored(first)] == [(("new",), "blue")]
        await pilot.press("u", "u")  # the recolour, then the tags
        await settle(pilot)
        assert [(a.note, a.tags) for a in stored(first)] == [("first and second", ("old",))]
        await pilot.press("u")  # the note
        await settle(pilot)
        assert [(a.note, a.tags, a.color) for a in stored(first)] == [("first", ("old",), "yellow")]
        assert status_of(app).startswith("first  #old")

    drive(make_app(seeds_library, start=first), scenario)


def test_a_note_with_markup_is_stored_verbatim_and_shown_literally(
    seeds_library: Library, first: LibraryEntry
) -> None:
    note = "[bold]x[/bold] [@click=app.quit]go[/] [$var]"

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await type_text(pilot, note)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running
        assert status_of(app) == note

    drive(make_app(seeds_library, start=first), scenario)
    assert [a.note for a in stored(first)] == [note]


def test_pending_changes_are_saved_when_leaving(
    seeds_library: Library, first: LibraryEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_put = Store.put

    def refuse(self: Store, annotation: Annotation) -> None:
        raise StoreError("disk full")

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await settle(pilot)
        monkeypatch.setattr(Store, "put", refuse)
        await pilot.press("n")
        await type_text(pilot, "late")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = article_screen(app)
        assert [c.kind for c in screen.pending] == ["update"]
        monkeypatch.setattr(Store, "put", real_put)
        await pilot.press("q")  # no next change to retry with: leaving saves it
        await settle(pilot)
        assert screen.pending == []

    drive(make_app(seeds_library, start=first), scenario)
    assert [a.note for a in stored(first)] == ["late"]


def test_pending_changes_that_still_fail_are_kept_and_reported(
    seeds_library: Library, first: LibraryEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Store, annotation: Annotation) -> None:
        raise StoreError("disk full [bold]")

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        monkeypatch.setattr(Store, "put", refuse)
        await pilot.press("h")
        await settle(pilot)
        screen = article_screen(app)
        await pilot.press("q")
        await settle(pilot)
        assert screen.pending == []  # handed to the app, which keeps them and retries
        assert [c.kind for c in app.unsaved] == ["add"]
        messages = [str(n.message) for n in app._notifications]
        assert any("1 highlight change is not saved yet" in m for m in messages)
        assert any("disk full [bold]" in m for m in messages)

    drive(make_app(seeds_library, start=first), scenario)
    assert stored(first) == []
