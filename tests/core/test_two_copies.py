"""Two running copies on one store, in the core: telling their writes apart, and merging them.

The watcher (:mod:`summitreader.core.watch`) must say "changed elsewhere" exactly when some
other writer replaced the file, however this copy's own writes interleave with it; and the
store must keep every copy's changes to different annotations and exactly one whole version
of an annotation both changed (:meth:`Store.put`: the later write wins). A "second copy"
in this process is a ``Store`` with a journal of its own; the last tests use a real second
process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from summitreader.core.annotations import Annotation, new_annotation
from summitreader.core.store import Store, StoreError
from summitreader.core.watch import (
    OWN_WRITES,
    FileSignature,
    StoreWatcher,
    WriteJournal,
    file_signature,
)

TEXT = "Kim and Trump met in Hanoi. The talks ended early, with no deal at all."


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


def note(start: int, end: int, **kwargs: str) -> Annotation:
    return new_annotation("a1", TEXT, start, end, **kwargs)


def other_copy(path: Path) -> Store:
    return Store(path, journal=WriteJournal())


# -- the signature and the journal -----------------------------------------------------------


def test_every_write_gives_the_file_a_new_signature_even_at_the_same_size(path: Path) -> None:
    assert file_signature(path) is None
    with Store(path) as store:
        signatures = []
        for offset in range(5, 10):  # same size each time, written as fast as it goes
            store.set_position("a1", offset)
            signatures.append(file_signature(path))
    assert len({s.size for s in signatures if s is not None}) == 1
    assert all(a != b for a, b in pairwise(signatures))  # a new inode each time, at least


def test_the_journal_follows_a_chain_of_own_writes_and_notices_a_gap() -> None:
    journal = WriteJournal()
    s0, s1, s2, s3 = (FileSignature(n, n, n) for n in range(4))
    for before, after in ((None, s0), (s0, s1), (s2, s3)):
        journal.begin("f")
        journal.end("f", before, after)
    assert journal.explains("f", None, s1) is True
    assert journal.explains("f", s1, s1) is True
    assert journal.explains("f", s0, s3) is False  # s1 -> s2 was someone else's
    assert journal.explains("f", s2, s3) is True
    assert journal.explains("other", s0, s1) is False  # per file
    journal.begin("f")
    assert journal.explains("f", s0, s1) is None  # a write under way: ask again later
    journal.end("f", s3, None)  # it failed: nothing recorded, nothing waiting
    assert journal.explains("f", s0, s1) is True


def test_the_watcher_ignores_this_copy_and_sees_the_other(path: Path) -> None:
    watcher = StoreWatcher(path)
    with Store(path) as mine, other_copy(path) as theirs:
        assert watcher.changed_elsewhere() is False  # nothing yet
        mine.add(note(0, 3))
        mine.set_position("a1", 5)
        assert watcher.changed_elsewhere() is False  # two writes, both ours
        theirs.add(note(4, 9))
        assert watcher.changed_elsewhere() is True
        assert watcher.changed_elsewhere() is False  # said once
        theirs.add(note(10, 15))
        mine.add(note(16, 21))  # ours last: the other's change is still news
        assert watcher.changed_elsewhere() is True
        mine.set_position("a1", 6)
        assert watcher.changed_elsewhere() is False


def test_the_watcher_waits_while_one_of_our_writes_is_under_way(path: Path) -> None:
    with Store(path) as store:
        store.add(note(0, 3))
        watcher = StoreWatcher(path)
        OWN_WRITES.begin(path)  # as if the UI thread looked between a rename and its record
        try:
            store.add(note(4, 9))
            assert watcher.changed_elsewhere() is False
            assert watcher.seen != file_signature(path)  # not accounted for yet
        finally:
            OWN_WRITES.end(path, None, None)
        assert watcher.changed_elsewhere() is False  # ours, once the record is complete
        assert watcher.seen == file_signature(path)


def test_a_write_from_another_process_is_changed_elsewhere(path: Path) -> None:
    with Store(path) as store:
        store.add(note(0, 3))
    watcher = StoreWatcher(path)
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from summitreader.core.annotations import new_annotation\n"
        "from summitreader.core.store import Store\n"
        "with Store(Path(sys.argv[1])) as store:\n"
        f"    store.add(new_annotation('a1', {TEXT!r}, 4, 9))\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=60)
    assert watcher.changed_elsewhere() is True


# -- put and discard: what the reader saves with ---------------------------------------------


def test_put_adds_or_replaces_whole_and_writes_nothing_when_unchanged(path: Path) -> None:
    annotation = note(0, 3, note="first")
    with Store(path) as store:
        store.put(annotation)
        assert store.all() == [annotation]
        store.put(annotation.edited(tags=("x",)))  # the whole record, not a merge
        [stored] = store.all()
        assert (stored.note, stored.tags) == ("first", ("x",))
        before = file_signature(path)
        store.put(stored)
        assert file_signature(path) == before


def test_put_of_an_annotation_deleted_elsewhere_brings_it_back_and_empties_its_trash(
    path: Path,
) -> None:
    annotation = note(0, 3)
    with Store(path) as mine, other_copy(path) as theirs:
        mine.add(annotation)
        theirs.delete(annotation.id)
        mine.put(annotation.edited(note="kept"))
        assert [a.note for a in theirs.all()] == ["kept"]
        assert theirs.undelete() is None  # no second copy of it waiting in the trash


def test_discard_of_what_is_gone_is_done_and_delete_still_refuses(path: Path) -> None:
    annotation = note(0, 3)
    with Store(path) as store:
        store.add(annotation)
        assert store.discard(annotation.id) == annotation
        assert store.discard(annotation.id) is None
        with pytest.raises(StoreError, match="no annotation with id"):
            store.delete(annotation.id)
        assert store.undelete(annotation.id) == annotation  # the trash kept it once


# -- two processes putting at once -----------------------------------------------------------

PUTTER = """
import sys, time
from pathlib import Path
from summitreader.core.annotations import Annotation
from summitreader.core.store import Store

path, name, ready, go, rounds = sys.argv[1:6]
with Store(Path(path)) as store:
    mine = [a for a in store.all() if a.note.startswith(name)]
    shared = [a for a in store.all() if a.note == "shared"][0]
    Path(ready).touch()
    deadline = time.monotonic() + 60
    while not Path(go).exists():
        if time.monotonic() > deadline:
            sys.exit("the go file never appeared")
        time.sleep(0.001)
    for i in range(int(rounds)):
        for a in mine:
            store.put(a.edited(tags=(f"{name}-{i}",)))
        store.put(shared.edited(note=f"shared by {name} {i}", tags=(name,)))
"""


def test_two_processes_putting_at_once_keep_every_own_edit_and_one_whole_shared(
    path: Path, tmp_path: Path
) -> None:
    rounds = 20
    with Store(path) as store:
        for name, start in (("A", 0), ("B", 30)):
            for offset in range(0, 15, 5):
                store.add(note(start + offset, start + offset + 4, note=f"{name} {offset}"))
        store.add(note(60, 65, note="shared"))
    go = tmp_path / "go"
    procs = []
    for name in ("A", "B"):
        ready = tmp_path / f"{name}.ready"
        command = [sys.executable, "-c", PUTTER, str(path), name, str(ready), str(go), str(rounds)]
        procs.append((subprocess.Popen(command, stderr=subprocess.PIPE), ready))
    for proc, ready in procs:
        while not ready.exists():
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    go.touch()
    for proc, _ in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode(errors="replace")

    json.loads(path.read_text(encoding="utf-8"))
    with Store(path) as store:
        assert store.notices == []
        annotations = store.all()
    assert len(annotations) == 7
    for annotation in annotations:
        if annotation.note == "shared" or annotation.note.startswith("shared by"):
            name = annotation.tags[0]
            # One copy's last version, whole: its note and its tags agree.
            assert annotation.note == f"shared by {name} {rounds - 1}", annotation
        else:
            name = annotation.note[0]
            assert annotation.tags == (f"{name}-{rounds - 1}",), annotation
    assert not [p for p in os.listdir(path.parent) if p.endswith(".tmp")]
