"""Two running copies of the reader on one notes store, as two real processes.

Each copy is ``driver.py`` in its own Python process: the real app, headless, on the same
``SUMMIT_READER_HOME`` (the test's isolated one, inherited). The test sends each copy keys
over a pipe and reads back what it shows. Nothing sleeps a fixed time: a step waits for a
copy's answer, or asks for its state again until a condition holds; the timeout is only
reached when something is broken.

What the copies do at the same time is sent to both before either answer is read, so their
keys, saves and reloads overlap for real.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from summitreader.core import locations
from summitreader.core.annotations import Annotation
from summitreader.core.library import LibraryEntry
from summitreader.core.spans import sentence_at
from summitreader.core.store import Store

from .conftest import TwoCopiesTally

pytestmark = pytest.mark.slow

DRIVER = Path(__file__).with_name("driver.py")
#: Seconds a step may take before the test gives up: only reached when something is broken.
WAIT = 60.0
#: How often each copy looks at the store file (the app's own timer, made quicker).
INTERVAL = "0.2"
#: Words each copy highlights and then recolours in the stress test: two changes a word.
WORDS = 50

State = dict[str, Any]


class Copy:
    """One running copy: a driver process, its requests and its answers."""

    def __init__(self, name: str, article_id: str, folder: Path) -> None:
        self.name = name
        self.errors = folder / f"{name}.stderr"
        with open(self.errors, "wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, str(DRIVER), article_id, INTERVAL],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                encoding="utf-8",
            )
        self.answers: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("@@ "):
                self.answers.put(line[3:])
        self.answers.put(None)

    def fail(self, what: str) -> None:
        self.proc.kill()
        self.proc.wait(timeout=WAIT)
        errors = self.errors.read_text(encoding="utf-8", errors="replace")[-3000:]
        pytest.fail(f"copy {self.name}: {what}\n{errors}")

    def send(self, **request: Any) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()

    def answer(self) -> State:
        try:
            line = self.answers.get(timeout=WAIT)
        except queue.Empty:
            self.fail(f"no answer in {WAIT:g} s")
            raise
        if line is None:
            self.fail(f"exited with {self.proc.wait(timeout=WAIT)}")
        state: State = json.loads(line or "{}")
        return state

    def ask(self, **request: Any) -> State:
        self.send(**request)
        return self.answer()

    def until(self, condition: Callable[[State], bool], what: str) -> State:
        """Ask for the state until ``condition`` holds (the copy's timer runs meanwhile)."""
        deadline = time.monotonic() + WAIT
        while True:
            state = self.ask(state=True)
            if condition(state):
                return state
            if time.monotonic() > deadline:
                self.fail(f"never showed {what}; last state: {json.dumps(state)[:2000]}")
            time.sleep(0.02)  # a poll interval, not a wait for anything in particular

    def quit(self) -> None:
        self.ask(quit=True)
        assert self.proc.wait(timeout=WAIT) == 0
        errors = self.errors.read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in errors, errors


@pytest.fixture
def start_copies(tmp_path: Path) -> Iterator[Callable[[LibraryEntry], tuple[Copy, Copy]]]:
    """Start two copies on one article, both ready; kill whatever is left at the end."""
    started: list[Copy] = []

    def start(entry: LibraryEntry) -> tuple[Copy, Copy]:
        pair = Copy("A", entry.id, tmp_path), Copy("B", entry.id, tmp_path)
        started.extend(pair)
        for copy in pair:
            ready = copy.answer()
            assert ready.get("ready") and ready["screen"] == "ArticleScreen", ready
        return pair

    yield start
    for copy in started:
        if copy.proc.poll() is None:
            copy.proc.kill()
            copy.proc.wait(timeout=WAIT)


def stored() -> list[Annotation]:
    """What the shared store holds, after checking the file is whole JSON and reads cleanly."""
    path = locations.store_path()
    json.loads(path.read_text(encoding="utf-8"))
    with Store(path) as store:
        assert store.notices == []
        return store.all()


def at_the_same_time(copies: tuple[Copy, Copy], *requests: dict[str, Any]) -> list[State]:
    """Send each copy its request before reading either answer."""
    for copy, request in zip(copies, requests, strict=True):
        copy.send(**request)
    return [copy.answer() for copy in copies]


def test_each_copy_sees_the_others_highlights_deletes_and_note_edits(
    first: LibraryEntry,
    start_copies: Callable[[LibraryEntry], tuple[Copy, Copy]],
    two_copies_tally: TwoCopiesTally,
) -> None:
    text = first.article.text
    one = sentence_at(text, 0)
    two = sentence_at(text, text.index("\n\n") + 2)
    a, b = copies = start_copies(first)
    b.ask(goto=two[0])

    # A highlights sentence 1 while B highlights sentence 2.
    at_the_same_time(copies, {"press": ["h"]}, {"press": ["h"]})
    quotes = sorted(x.exact for x in stored())
    assert quotes == sorted([text[one[0] : one[1]], text[two[0] : two[1]]])
    for copy in copies:
        shown = copy.until(lambda s: len(s["painted"]) == 2, "both highlights")
        assert sorted(h["exact"] for h in shown["highlights"].values()) == quotes
    assert a.ask(state=True)["cursor"] == one[0]  # the reload kept each reader's place
    assert b.ask(state=True)["cursor"] == two[0]
    two_copies_tally.add("highlight, both at once", "different", 2, len(quotes))

    # A deletes sentence 1's highlight: it disappears from B.
    [gone] = [x.id for x in stored() if x.selector.start == one[0]]
    [kept] = [x.id for x in stored() if x.selector.start == two[0]]
    a.ask(press=["d"])
    assert [x.id for x in stored()] == [kept]
    b.until(lambda s: gone not in s["highlights"] and gone not in s["painted"], "the delete")
    # The library under B's article recounts too. (A's own changes reach its library when
    # it comes back to it, as before: only another copy's changes need the watcher.)
    b.until(lambda s: s["counts"][first.id] == 1, "a notes count of 1 in the library")

    # Both edit the note of the same highlight; A saves, then B: B's is the later write.
    a.ask(goto=two[0])
    at_the_same_time(copies, {"press": ["n", *"alpha"]}, {"press": ["n", *"bravo"]})
    assert a.ask(press=["ctrl+s"])["pending"] == 0
    assert b.ask(press=["ctrl+s"])["pending"] == 0
    [final] = stored()
    assert (final.id, final.note, final.exact) == (kept, "bravo", text[two[0] : two[1]])
    for copy in copies:
        copy.until(lambda s: s["highlights"][kept]["note"] == "bravo", "the later note")
    two_copies_tally.add("note, one after the other", "same", 2, 1, "the later one stored")

    # Both add to that note and save at the same moment: one whole version is stored, and
    # both copies show it. (The editor opens on the note as it is: typing adds to it.)
    at_the_same_time(copies, {"press": ["n", *"charlie"]}, {"press": ["n", *"delta"]})
    saved = at_the_same_time(copies, {"press": ["ctrl+s"]}, {"press": ["ctrl+s"]})
    assert all(s["pending"] == 0 for s in saved)
    [final] = stored()
    assert final.note in ("bravocharlie", "bravodelta")
    assert (final.id, final.exact, final.color) == (kept, text[two[0] : two[1]], "yellow")
    for copy in copies:
        copy.until(lambda s: s["highlights"][kept] == shown_as(final), "the stored version")
    two_copies_tally.add("note, at the same moment", "same", 2, 1, f"{final.note!r}, whole")

    for copy in copies:
        copy.quit()


def shown_as(annotation: Annotation) -> dict[str, Any]:
    """An annotation as the driver reports it."""
    return {
        "exact": annotation.exact,
        "color": annotation.color,
        "note": annotation.note,
        "tags": list(annotation.tags),
    }


def test_two_copies_changing_different_highlights_at_once_lose_nothing(
    first: LibraryEntry,
    start_copies: Callable[[LibraryEntry], tuple[Copy, Copy]],
    two_copies_tally: TwoCopiesTally,
) -> None:
    text = first.article.text
    paragraph = text.index("\n\n", len(text) // 2) + 2
    middle = next(i for i in range(paragraph, len(text)) if text[i].isalnum())  # a word
    a, b = copies = start_copies(first)
    b.ask(goto=middle)
    # Each word: select it and highlight it (a new annotation), back to its start and
    # recolour it green (an edit), then on to the start of the next word.
    # Typed without Pilot's pause after every key; the saves of one word are waited for
    # before the next, so both copies keep writing for the whole run.
    keys = [["w", "h", "ctrl+left", "2", "ctrl+right", "ctrl+right", "ctrl+left"]] * WORDS
    at_the_same_time(copies, {"type": keys}, {"type": keys})

    annotations = stored()
    mine = {
        "A": [x for x in annotations if x.selector.start < middle],
        "B": [x for x in annotations if x.selector.start >= middle],
    }
    attempted = 2 * 2 * WORDS
    kept = sum(1 + (x.color == "green") for x in annotations)
    switches = sum(
        1
        for x, y in pairwise(annotations)
        if (x.selector.start < middle) != (y.selector.start < middle)
    )
    two_copies_tally.add(
        f"{WORDS} highlights + {WORDS} recolours each",
        "different",
        attempted,
        kept,
        f"the copies' writes interleaved {switches} times",
    )
    assert {name: len(found) for name, found in mine.items()} == {"A": WORDS, "B": WORDS}
    assert not any(c.isspace() for x in annotations for c in x.exact)  # words, as asked
    assert all(x.color == "green" for x in annotations)
    assert kept == attempted
    assert switches > 0  # the two copies really wrote at the same time
    spans = sorted((x.selector.start, x.selector.end) for x in annotations)
    assert all(end <= start for (_, end), (start, _) in pairwise(spans))  # words, apart

    expected = {x.id: shown_as(x) for x in annotations}
    for copy in copies:
        copy.until(
            lambda s: s["highlights"] == expected and len(s["painted"]) == 2 * WORDS,
            "every highlight of both copies",
        )
        copy.quit()
