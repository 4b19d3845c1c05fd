"""Notes and tags carrying the hostile payloads: stored verbatim, displayed literally.

A note is the reader's own text (or an imported one): the store keeps it exactly as given,
escape sequences and all, and every place that shows it, the command line and each part of
the reader, shows only its printable characters, never a live escape, link or click action.
How exports escape them is tested in ``tests/core/test_export_md.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from summitreader.core.annotations import Annotation, new_annotation, normalize_tags
from summitreader.core.library import Library, LibraryEntry
from summitreader.core.store import Store
from summitreader.core.textio import sanitize
from summitreader.ui.app import SummitReaderApp, make_app
from summitreader.ui.screens.all_notes import AllNotesScreen
from summitreader.ui.screens.article import ArticleScreen
from summitreader.ui.screens.note_editor import NoteEditor, TagEditor
from ui.support import drive

from .corpus import FORBIDDEN, NOTE_PAYLOADS, article
from .screen import check_screen
from .test_cli_hostile import cli

#: One sentence per payload, so each gets a highlight of its own, in reading order.
SENTENCES = [f"Sentence {n} of the report tells what happened next." for n in NOTE_PAYLOADS]
#: Payloads opened in the note and tag editors (each dialog takes a while to open): escape
#: sequences with markup and bidi, C1 controls, line separators and tabs, NUL.
EDITED = ("worst", "c1-controls", "line-breaks", "nul")
#: Payloads a command line can carry (an argument cannot hold a NUL).
ARGV_PAYLOADS = {k: v for k, v in NOTE_PAYLOADS.items() if "\x00" not in v}


def _library(tmp_path: Path) -> tuple[Library, LibraryEntry]:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "notes.txt").write_text(article(" ".join(SENTENCES)), encoding="utf-8")
    library = Library.from_environment(folder)
    [entry] = library.entries()
    return library, entry


def _tags(payload: str) -> tuple[str, ...]:
    """The tags a reader would give: the payload, and a plain one after it."""
    return normalize_tags([payload, "plain"])


def _annotate(entry: LibraryEntry) -> list[Annotation]:
    """One highlight per payload, on its own sentence, with the payload as note and tag."""
    text = entry.article.text
    made = []
    with Store() as store:
        for sentence, payload in zip(SENTENCES, NOTE_PAYLOADS.values(), strict=True):
            start = text.index(sentence)
            annotation = new_annotation(
                entry.id, text, start, start + len(sentence), note=payload, tags=_tags(payload)
            )
            store.add(annotation)
            made.append(annotation)
    return made


def _name(annotation: Annotation) -> str:
    [name] = [k for k, v in NOTE_PAYLOADS.items() if v == annotation.note]
    return name


def _printable(text: str) -> str:
    """The words of ``text`` that any display must show: sanitised, on one line."""
    return " ".join(sanitize(text).split())


def test_notes_are_stored_verbatim_through_the_store(tmp_path: Path) -> None:
    _, entry = _library(tmp_path)
    made = _annotate(entry)
    with Store() as store:  # a fresh read of the file
        for annotation in made:
            kept = store.get(annotation.id)
            assert kept is not None
            assert kept.note == annotation.note  # every escape, NUL and line break kept
            assert kept.tags == annotation.tags


@pytest.mark.parametrize("name", ["worst", "c1-controls", "line-breaks", "long"])
def test_cli_stores_notes_and_tags_verbatim(name: str, tmp_path: Path) -> None:
    payload = ARGV_PAYLOADS[name]
    _, entry = _library(tmp_path)
    folder = str(entry.path.parent)
    quote = SENTENCES[0]
    made = cli("--library", folder, "highlight", entry.id, quote, "--note", payload)
    assert made.code == 0, made.err
    ident = made.out.strip()
    edited = cli("--library", folder, "note", ident, "--set", payload + "!", "--tag", payload)
    assert edited.code == 0, edited.err
    listed = cli("--library", folder, "notes", "--json")
    [note] = json.loads(listed.out)  # the JSON escapes what it holds, and decodes back
    assert note["note"] == payload + "!"
    assert note["tags"] == list(normalize_tags([payload]))
    assert FORBIDDEN.search(listed.out) is None


def test_cli_notes_lists_every_payload_safely(tmp_path: Path) -> None:
    _, entry = _library(tmp_path)
    made = _annotate(entry)
    folder = str(entry.path.parent)
    listed, as_json = cli("--library", folder, "notes"), cli("--library", folder, "notes", "--json")
    notes = {n["id"]: n for n in json.loads(as_json.out)}
    for annotation in made:
        assert notes[annotation.id]["note"] == annotation.note
        assert notes[annotation.id]["tags"] == list(annotation.tags)
        assert annotation.id[:8] in listed.out
    # check_run (in cli) found no control character; the printable words are there.
    flat = " ".join(listed.out.split())
    assert _printable(NOTE_PAYLOADS["markup"])[:40] in flat


def test_reader_shows_notes_and_tags_literally(tmp_path: Path) -> None:
    library, entry = _library(tmp_path)
    made = _annotate(entry)

    async def scenario(app: SummitReaderApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        assert isinstance(app.screen, ArticleScreen)
        screen = app.screen
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert len(screen.highlights) == len(made)
        for number, annotation in enumerate(made):
            if number:  # the text starts with the first one
                await pilot.press("right_square_bracket")  # the next highlight
            assert screen.highlight_under_cursor() == annotation
            status = str(screen.query_one("#article-status", Static).render())
            # The status line has one line: the note's printable start is what it shows.
            assert _printable(annotation.note)[:30] in status
            check_screen(app)
            if _name(annotation) not in EDITED:
                continue
            # The editors show the note and the tags as text to edit, never as commands;
            # saving them unchanged keeps what is stored, verbatim (checked at the end).
            await pilot.press("n")
            assert isinstance(app.screen, NoteEditor)
            assert app.screen.query_one(TextArea).text == sanitize(annotation.note)
            check_screen(app)
            await pilot.press("ctrl+s")
            await pilot.press("t")
            assert isinstance(app.screen, TagEditor)
            assert _printable(annotation.tags[0])[:20] in app.screen.query_one(Input).value
            check_screen(app)
            await pilot.press("enter")
            assert app.screen is screen
        # An edited note is saved as the editor showed it, with the edit.
        assert _name(made[-1]) in EDITED
        await pilot.press("n", "!", "ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.press("a")  # the notes panel, with every note and tag
        check_screen(app)
        await pilot.press("escape", "N")  # the list of every note
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AllNotesScreen)
        check_screen(app)
        await pilot.press("escape", "ctrl+q")

    app = make_app(library)
    drive(app, scenario)
    assert app.return_code == 0
    with Store() as store:  # looking at them and saving them unchanged changed nothing
        assert [store.get(a.id) for a in made[:-1]] == made[:-1]
        last = store.get(made[-1].id)
        assert last is not None and last.note == sanitize(made[-1].note) + "!"
        assert last.tags == made[-1].tags
