"""The notes store's remembered version of its file: reused only when the bytes match.

The store parses its file only when the bytes differ from what this process last read or
wrote (``store.SNAPSHOTS``). These tests hold it to that: whatever operation ran (one that
wrote, one that decided not to, one that failed half-way), the data it would reuse is
exactly what parsing the file gives now; a change made behind its back is always seen,
even one that keeps the file's size and modification time; what it hands out cannot be
changed through a caller; and it writes the bytes ``json.dumps`` would.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from summitreader.core import store
from summitreader.core.annotations import new_annotation
from summitreader.core.store import SNAPSHOTS, Store, StoreError

TEXT = "Kim and Trump met in Hanoi. 평양 was quiet; the talks ended early — «no deal»."


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


def note(start: int = 0, end: int = 3, article: str = "a1", **kwargs: Any) -> Any:
    return new_annotation(article, TEXT, start, end, **kwargs)


def assert_remembered_is_the_file(path: Path) -> None:
    """What the store would reuse (if anything) is what parsing the file gives now."""
    raw = path.read_bytes()
    known = SNAPSHOTS.get(path, raw)
    if known is not None:
        assert known == json.loads(raw)


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the times a store parses its file (each item of the list is one)."""
    calls: list[int] = []
    parse = store.AtomicJSONStorage.parse

    def counting(self: store.AtomicJSONStorage, raw: bytes) -> store.RawData:
        calls.append(1)
        return parse(self, raw)

    monkeypatch.setattr(store.AtomicJSONStorage, "parse", counting)
    return calls


def test_after_any_operation_what_is_remembered_is_what_the_file_holds(path: Path) -> None:
    first, second = note(), note(5, 9, color="green")
    with Store(path) as s:
        steps: list[Callable[[], object]] = [
            lambda: s.add(first),
            lambda: s.put(first),  # unchanged: no write
            lambda: s.put(first.edited(note="changed")),
            lambda: s.put(second),
            lambda: s.merge([second]),  # unchanged: no write
            lambda: s.merge([second.edited(color="blue"), note(10, 14)]),
            lambda: s.update_many([second.edited(tags=("x",))]),
            lambda: s.discard(first.id),
            lambda: s.discard(first.id),  # gone already: no write
            lambda: s.undelete(),
            lambda: s.undelete(),  # nothing left to restore: no write
            lambda: s.set_position("a1", 12),
            lambda: s.set_position("a1", 12),  # unchanged: no write
            lambda: s.set_pref("theme", ["dark", {"wrap": 72}]),
            lambda: s.set_pref("theme", ["dark", {"wrap": 72}]),  # unchanged: no write
            lambda: s.get_pref("theme"),
            lambda: s.all(),
        ]
        for step in steps:
            step()
            assert_remembered_is_the_file(path)
        for failing in (
            lambda: s.add(second),  # a duplicate id
            lambda: s.update(note(20, 24)),  # not stored
        ):
            with pytest.raises(StoreError):
                failing()
            assert_remembered_is_the_file(path)
        s.delete(second.id)
        s.add(second)  # live again, and still in the trash
        with pytest.raises(StoreError):
            s.undelete(second.id)  # fails after taking it out of the trash in memory
        assert_remembered_is_the_file(path)
        assert [a.id for a in s.all()].count(second.id) == 1


def test_a_failed_write_leaves_nothing_stale_behind(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = note()
    with Store(path) as s:
        s.add(kept)
        s.all()

        def full(*args: Any, **kwargs: Any) -> Any:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", full)
        with pytest.raises(StoreError):
            s.put(kept.edited(note="lost to a full disk"))
        monkeypatch.undo()
        assert_remembered_is_the_file(path)
        assert s.all() == [kept]


def test_saves_and_reads_parse_the_file_only_when_it_changed_elsewhere(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [note(n, n + 3) for n in range(0, 30, 5)]
    with Store(path) as s:
        s.merge(items)
    parses = count_parses(monkeypatch)
    with Store(path) as s:  # a new Store, as each of the reader's workers opens
        s.put(items[0].edited(color="pink"))
        s.all()
        s.discard(items[1].id)
        s.set_position("a1", 3)
        assert s.get(items[2].id) == items[2]
    assert parses == []
    with Store(path, journal=None) as other:  # another copy (its own process, in effect)
        other.add(note(40, 44))
    path.write_bytes(path.read_bytes())  # another program rewrites the same bytes
    with Store(path) as s:
        assert len(s.all()) == len(items)
    assert parses == []  # the bytes are the same: nothing to parse
    raw = json.loads(path.read_bytes())
    raw["annotations"]["1"]["note"] = "edited elsewhere"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with Store(path) as s:
        assert s.get(items[0].id).note == "edited elsewhere"  # type: ignore[union-attr]
    assert parses == [1]


def test_a_change_that_keeps_size_and_time_is_still_seen(path: Path) -> None:
    item = note(color="yellow")
    with Store(path) as s:
        s.add(item)
        assert s.get(item.id) == item
        before = os.stat(path)
        raw = path.read_bytes()
        edited = raw.replace(b'"yellow"', b'"purple"')
        assert len(edited) == len(raw)
        with open(path, "r+b") as handle:  # in place: same inode, same size
            handle.write(edited)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert os.stat(path).st_mtime_ns == before.st_mtime_ns
        assert s.get(item.id).color == "purple"  # type: ignore[union-attr]


def test_what_a_read_returns_cannot_change_what_the_next_one_sees(path: Path) -> None:
    with Store(path) as s:
        s.set_pref("recent", ["a", {"b": 1}])
        value = s.get_pref("recent")
        value.append("changed")
        value[1]["b"] = 2
        assert s.get_pref("recent") == ["a", {"b": 1}]


@pytest.mark.parametrize("count", [0, 1, store.ENCODE_CHUNK, 2 * store.ENCODE_CHUNK + 7])
def test_the_store_writes_what_json_dumps_would(path: Path, count: int) -> None:
    items = [
        note(n % 70, n % 70 + 3, note=f"«{n}» 北朝鮮 🇰🇵" if n % 3 else "", tags=("x",) * (n % 2))
        for n in range(count)
    ]
    with Store(path) as s:
        s.merge(items)
        s.set_pref("theme", "dark")
        s.set_position("a1", 3)
    raw = path.read_bytes()
    assert raw == json.dumps(json.loads(raw), ensure_ascii=False).encode("utf-8")
    assert len(json.loads(raw).get("annotations", {})) == count


def test_a_lone_surrogate_is_escaped_in_its_own_piece_only(path: Path) -> None:
    items = [note(note="平 «plain»") for _ in range(store.ENCODE_CHUNK)]
    items.append(note(note="broken \ud83d paste"))
    with Store(path) as s:
        s.merge(items)
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert "平 «plain»" in text and "\\ud83d" in text
    with Store(path) as s:
        assert [a.note for a in s.all()] == [a.note for a in items]


def encoded_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the size (in documents) of every run of documents the store encodes."""
    sizes: list[int] = []
    piece = store._piece

    def counting(value: object) -> bytes:
        if isinstance(value, dict):
            sizes.append(len(value))
        return piece(value)

    monkeypatch.setattr(store, "_piece", counting)
    return sizes


def test_a_save_encodes_only_the_documents_around_its_change(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [note(n % 70, n % 70 + 3) for n in range(3 * store.ENCODE_CHUNK)]
    with Store(path) as s:
        s.merge(items)
    monkeypatch.setattr(store, "VERIFY_ENCODING", False)  # it encodes everything again
    runs = encoded_runs(monkeypatch)
    with Store(path) as s:
        s.put(items[400].edited(color="blue"))  # one document in the middle
        assert runs == [store.ENCODE_CHUNK]
        s.add(note(1, 4))
        s.discard(items[10].id)
        s.set_pref("theme", "dark")
    assert max(runs) <= store.ENCODE_CHUNK and sum(runs) <= 4 * store.ENCODE_CHUNK
    assert store._encode(json.loads(path.read_bytes()))[0] == path.read_bytes()


def test_runs_worn_small_by_many_saves_are_made_afresh(path: Path) -> None:
    items = [note(n % 70, n % 70 + 3) for n in range(2 * store.ENCODE_CHUNK)]
    with Store(path) as s:
        s.merge(items)
        for n in range(40):  # each add makes a run of its own at the end
            s.add(note(n, n + 2))
        runs = SNAPSHOTS.pieces(path)["annotations"]
        assert len(runs) <= 2 * (len(items) + 40) // store.ENCODE_CHUNK + 8
        assert sum(len(run.keys) for run in runs.values()) == len(items) + 40


def test_a_document_changed_in_place_is_caught_when_verifying(path: Path) -> None:
    with Store(path) as s:
        s.add(note())
        before = path.read_bytes()
        data = SNAPSHOTS.get(path, before)
        assert data is not None
        data["annotations"]["1"]["note"] = "changed in place"  # what no operation may do
        with pytest.raises(AssertionError):
            s.set_position("a1", 3)
    assert path.read_bytes() == before
