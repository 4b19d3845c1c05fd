"""The notes store: round trips, undo, atomic writes, damaged and newer files, migrations.

Every test has its own ``SUMMIT_READER_HOME`` (``tests/conftest.py``); most use a store file
in ``tmp_path`` so they can look at the folder around it. Crashes and full disks are
simulated by making ``os`` functions raise; real processes are in ``test_store_processes.py``.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from summitreader.core import locations, store
from summitreader.core.annotations import Annotation, Selector, new_annotation
from summitreader.core.store import Store, StoreError

TEXT = "Kim and Trump met in Hanoi. 평양 was quiet; the talks ended early — «no deal»."
STAMP = "20261123T124500Z"
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes and symlinks")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


@pytest.fixture
def fixed_stamp(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(store, "utc_stamp", lambda: STAMP)
    return STAMP


def note(start: int = 0, end: int = 3, article: str = "a1", **kwargs: Any) -> Annotation:
    return new_annotation(article, TEXT, start, end, **kwargs)


def full_annotation() -> Annotation:
    """An annotation with no field left at its default."""
    return Annotation(
        id="0f0e0d0c-1111-4222-8333-944445555666",
        article_id="deadbeef",
        article_hash="0123456789abcdef",
        selector=Selector(
            exact="met", prefix="Kim and Trump ", suffix=" in Hanoi", start=14, end=17
        ),
        color="purple",
        note="**Why** here?\nSecond line — «quoted» 北朝鮮 🇰🇵",
        tags=("summit", "Hanoi"),
        created="2026-02-27T09:00:00.000Z",
        updated="2026-02-28T10:30:00.123Z",
        orphan=True,
    )


def raw(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def write_raw(path: Path, data: object) -> bytes:
    payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
    path.write_bytes(payload)
    return payload


def v1(*annotations: Annotation, schema: int = 1) -> dict[str, Any]:
    """A store file's content as this version writes it."""
    return {
        "_meta": {"1": {"schema": schema}},
        "annotations": {str(i): a.to_dict() for i, a in enumerate(annotations, 1)},
    }


def folder_names(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def one_line(message: object) -> str:
    text = str(message)
    assert text and "\n" not in text and "\r" not in text, repr(text)
    return text


# -- where and when the file appears ------------------------------------------------------


def test_default_path_follows_the_home_and_nothing_is_created_before_the_first_write(
    isolated_home: Path,
) -> None:
    expected = isolated_home / "data" / "annotations.json"
    assert locations.store_path() == expected
    with Store() as s:
        assert s.path == expected
        assert s.all() == [] and s.get("x") is None and s.for_article("a1") == []
        assert s.get_position("a1") is None and s.get_pref("theme", "dark") == "dark"
        assert s.undelete() is None
        s.update_many([])
        with pytest.raises(StoreError):
            s.delete("nope")
        with pytest.raises(StoreError):
            s.update(note())
        assert not expected.parent.exists()  # not even the folder
        s.add(note())
    assert expected.is_file()
    assert folder_names(expected) <= {"annotations.json", "annotations.json.lock"}


def test_db_variable_moves_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "elsewhere" / "notes.json"
    monkeypatch.setenv(locations.DB_ENV, str(target))
    with Store() as s:
        s.add(note())
    assert target.is_file()


# -- annotations ----------------------------------------------------------------------------


def test_round_trip_keeps_every_field(path: Path) -> None:
    original = full_annotation()
    with Store(path) as s:
        s.add(original)
    with Store(path) as s:
        assert s.get(original.id) == original
        assert s.all() == [original]
    assert raw(path)["annotations"]["1"] == original.to_dict()
    assert raw(path)["_meta"] == {"1": {"schema": store.SCHEMA_VERSION}}


def test_add_get_update_and_for_article(path: Path) -> None:
    late, early, other = note(20, 25), note(0, 3), note(4, 9, article="b2")
    with Store(path) as s:
        for item in (late, early, other):
            s.add(item)
        assert s.get(early.id) == early
        assert s.get("missing") is None
        assert s.all() == [late, early, other]  # the order they were added
        assert s.for_article("a1") == [early, late]  # text order
        edited = early.edited(note="changed", color="green", tags=("x",))
        s.update(edited)
        assert s.get(early.id) == edited
    with Store(path) as s:
        assert s.get(early.id) == edited


def test_duplicate_ids_are_refused(path: Path) -> None:
    first = note()
    with Store(path) as s:
        s.add(first)
        with pytest.raises(StoreError, match="already exists") as info:
            s.add(first.edited(note="same id"))
        one_line(info.value)
        assert s.all() == [first]


def test_update_of_a_missing_id_is_refused(path: Path) -> None:
    kept = note()
    with Store(path) as s:
        s.add(kept)
        with pytest.raises(StoreError, match="no annotation with id"):
            s.update(note(5, 8))


def test_update_many_is_one_write_and_all_or_nothing(path: Path) -> None:
    items = [note(i, i + 2) for i in range(0, 12, 3)]
    with Store(path) as s:
        for item in items:
            s.add(item)
        before = path.stat().st_ino
        moved = [a.edited(selector=Selector.from_span(TEXT, 30, 34)) for a in items]
        with pytest.raises(StoreError, match=r"and 1 more"):
            s.update_many([*moved, note(1, 2), note(2, 3)])
        assert s.all() == items
        assert path.stat().st_ino == before  # refused before writing anything
        s.update_many(moved)
        assert s.all() == moved


def test_find_by_full_id_or_unambiguous_prefix(path: Path) -> None:
    a = Annotation.from_dict({**note().to_dict(), "id": "abcd1234-0000"})
    b = Annotation.from_dict({**note().to_dict(), "id": "abcd5678-0000"})
    with Store(path) as s:
        s.add(a)
        s.add(b)
        assert s.find("abcd1234-0000") == a
        assert s.find("abcd1") == a
        assert s.find("  ABCD5 ") == b
        for wanted, message in [
            ("abcd", "ambiguous"),
            ("abc", "too short"),
            ("", "too short"),
            ("ffff", "no annotation matches"),
            ("abc\nd\x1b[2J", "no annotation matches"),
        ]:
            with pytest.raises(StoreError, match=message) as info:
                s.find(wanted)
            assert "\x1b" not in one_line(info.value)


def test_delete_keeps_the_record_in_the_trash_and_undelete_restores_it(path: Path) -> None:
    first, second = note(0, 3, note="first"), note(4, 9, note="second")
    with Store(path) as s:
        s.add(first)
        s.add(second)
        assert s.delete(first.id) == first
        assert s.delete(second.id) == second
        assert s.all() == [] and s.get(first.id) is None
        trash = list(raw(path)["trash"].values())
        assert [t["annotation"] for t in trash] == [first.to_dict(), second.to_dict()]
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", t["deleted"]) for t in trash)
        assert s.undelete() == second  # the most recent first
        assert s.undelete(first.id) == first
        assert s.undelete() is None
        assert s.undelete("not-in-trash") is None
        assert {a.id for a in s.all()} == {first.id, second.id}
        assert raw(path)["trash"] == {}
        with pytest.raises(StoreError, match="no annotation with id"):
            s.delete("not-there")


def test_undelete_refuses_to_duplicate_a_live_id(path: Path) -> None:
    item = note()
    with Store(path) as s:
        s.add(item)
        s.delete(item.id)
        s.add(item)
        with pytest.raises(StoreError, match="already exists"):
            s.undelete()
        assert s.all() == [item]


def test_trash_is_bounded(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "TRASH_LIMIT", 3)
    items = [note(i, i + 1) for i in range(5)]
    with Store(path) as s:
        for item in items:
            s.add(item)
            s.delete(item.id)
        kept = [t["annotation"]["id"] for t in raw(path)["trash"].values()]
        assert kept == [a.id for a in items[-3:]]
        assert s.undelete() == items[-1]


# -- positions and preferences --------------------------------------------------------------


def test_positions_and_prefs(path: Path) -> None:
    with Store(path) as s:
        s.set_position("a1", 120)
        s.set_position("b2", 0)
        s.set_position("a1", 340)
        s.set_pref("theme", "dark")
        s.set_pref("wrap", {"width": 72, "on": True, "seen": ("x", "y")})
        inode = path.stat().st_ino
        s.set_pref("theme", "dark")  # unchanged: nothing rewritten
        s.set_position("a1", 340)
        assert path.stat().st_ino == inode
    with Store(path) as s:
        assert s.get_position("a1") == 340 and s.get_position("b2") == 0
        assert s.get_position("zz") is None
        assert s.get_pref("theme") == "dark"
        assert s.get_pref("wrap") == {"width": 72, "on": True, "seen": ["x", "y"]}
        assert s.get_pref("missing") is None and s.get_pref("missing", 5) == 5
    data = raw(path)
    assert len(data["positions"]) == 2 and len(data["prefs"]) == 2


@pytest.mark.parametrize("offset", [-1, 1.5, True, "3"])
def test_a_bad_offset_is_refused(path: Path, offset: Any) -> None:
    with Store(path) as s, pytest.raises(ValueError):
        s.set_position("a1", offset)
    assert not path.exists()


@pytest.mark.parametrize("value", [object(), {1, 2}, float("nan")])
def test_a_pref_that_is_not_json_is_refused(path: Path, value: Any) -> None:
    with Store(path) as s, pytest.raises(ValueError, match="JSON"):
        s.set_pref("k", value)
    assert not path.exists()


# -- two stores, one file -------------------------------------------------------------------


def test_two_stores_on_one_file_see_each_others_writes(path: Path) -> None:
    first, second = Store(path), Store(path)
    a, b, c = note(0, 3), note(4, 9), note(10, 13)
    first.add(a)  # first now knows the next TinyDB id is 2...
    assert second.get(a.id) == a
    second.add(b)  # ...which second takes
    first.add(c)  # and first must not reuse it
    assert [x.id for x in first.all()] == [a.id, b.id, c.id]
    assert [x.id for x in second.all()] == [a.id, b.id, c.id]
    second.update(b.edited(note="from second"))
    assert first.get(b.id) == second.get(b.id)
    first.delete(a.id)
    assert second.get(a.id) is None
    assert second.undelete() == a
    assert first.get(a.id) == a
    first.set_position("a1", 7)
    second.set_pref("theme", "light")
    assert second.get_position("a1") == 7 and first.get_pref("theme") == "light"
    first.close()
    second.close()


def test_a_busy_lock_gives_a_one_line_error(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "LOCK_TIMEOUT", 0.05)
    with Store(path) as s:
        s.add(note())
        holder = FileLock(str(path.with_name("annotations.json.lock")))
        with holder, pytest.raises(StoreError, match="busy") as info:
            s.add(note(5, 7))
        one_line(info.value)
        s.add(note(5, 7))  # free again
        assert len(s.all()) == 2


def test_without_a_lock_file_reads_work_and_writes_fail_clearly(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = note()
    with Store(path) as s:
        s.add(item)

    def refuse(self: FileLock, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(FileLock, "acquire", refuse)  # as in a read-only folder
    with Store(path) as s:
        assert s.all() == [item]
        with pytest.raises(StoreError, match="cannot save notes") as info:
            s.add(note(4, 6))
        assert os.strerror(errno.EACCES) in one_line(info.value)
        assert s.all() == [item]


def test_a_closed_store_refuses_work(path: Path) -> None:
    s = Store(path)
    s.close()
    s.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        s.all()
    with pytest.raises(StoreError, match="closed"):
        s.add(note())


# -- atomic writes --------------------------------------------------------------------------


@posix_only
def test_a_write_leaves_only_the_store_and_the_lock_with_private_mode(path: Path) -> None:
    path.write_text(json.dumps(v1()), encoding="utf-8")
    path.chmod(0o644)
    old_umask = os.umask(0o077)  # the mode must not depend on the umask either way
    try:
        with Store(path) as s:
            s.add(note())
    finally:
        os.umask(old_umask)
    assert folder_names(path) == {"annotations.json", "annotations.json.lock"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    os.umask(0o000)
    try:
        with Store(path) as s:
            s.add(note(4, 6))
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_crash_before_the_rename_leaves_the_old_file(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = note()
    with Store(path) as s:
        s.add(kept)
    before = path.read_bytes()

    def crash(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    # A real kill would also skip the clean-up: keep the temp file as a crash would.
    monkeypatch.setattr(os, "replace", crash)
    monkeypatch.setattr(os, "unlink", lambda *a, **k: None)
    with Store(path) as s, pytest.raises(StoreError, match="previous version is unchanged"):
        s.add(note(5, 9))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert raw(path)["annotations"]["1"]["id"] == kept.id
    leftovers = [n for n in folder_names(path) if n.endswith(".tmp")]
    assert len(leftovers) == 1 and leftovers[0].startswith(".annotations.json.")
    with Store(path) as s:  # the next open cleans up
        assert s.all() == [kept] and s.notices == []
    assert not [n for n in folder_names(path) if n.endswith(".tmp")]


@pytest.mark.parametrize(
    ("target", "code"),
    [
        ("os.fsync", errno.ENOSPC),
        ("os.replace", errno.ENOSPC),
        ("tempfile.mkstemp", errno.EROFS),
    ],
)
def test_a_disk_error_is_a_one_line_store_error_and_the_old_file_stays(
    path: Path, monkeypatch: pytest.MonkeyPatch, target: str, code: int
) -> None:
    kept = note()
    with Store(path) as s:
        s.add(kept)
    before = path.read_bytes()

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code))

    module, name = target.split(".")
    with Store(path) as s:
        monkeypatch.setattr({"os": os, "tempfile": tempfile}[module], name, fail)
        changes: list[Callable[[], object]] = [
            lambda: s.add(note(5, 9)),
            lambda: s.update(kept.edited(note="x")),
            lambda: s.delete(kept.id),
            lambda: s.set_pref("theme", "dark"),
        ]
        for change in changes:
            with pytest.raises(StoreError) as info:
                change()
            message = one_line(info.value)
            assert message.startswith("cannot save notes to ") and os.strerror(code) in message
        monkeypatch.undo()
        assert path.read_bytes() == before
        assert folder_names(path) == {"annotations.json", "annotations.json.lock"}
        assert s.all() == [kept]


def test_a_folder_that_cannot_be_made_is_a_store_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with Store(blocker / "annotations.json") as s, pytest.raises(StoreError, match="cannot save"):
        s.add(note())


def test_stale_temp_files_are_removed_at_start(path: Path) -> None:
    victim = path.parent / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    stale = [path.with_name(".annotations.json.k1lled99.tmp")]
    stale[0].write_text('{"half": ', encoding="utf-8")
    unrelated = [
        path.with_name(".other.json.abc.tmp"),
        path.with_name("annotations.json.corrupt-20250101T000000Z"),
        path.with_name(".annotations.json.keep"),
    ]
    for item in unrelated:
        item.write_text("x", encoding="utf-8")
    if sys.platform != "win32":
        stale.append(path.with_name(".annotations.json.l1nk.tmp"))
        stale[1].symlink_to(victim)
    # No store yet: the temp files alone are enough to clean up.
    with Store(path) as s:
        assert s.all() == [] and s.notices == []
    assert not any(os.path.lexists(p) for p in stale)
    assert all(p.exists() for p in unrelated)
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not path.exists()


@posix_only
def test_a_symlink_at_a_predictable_temp_name_is_not_followed(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = path.parent / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    dangling = path.parent / "would-be-created.txt"
    kept = note()
    with Store(path) as s:
        s.add(kept)
        # Someone who can write to the folder guesses the next temp names...
        path.with_name(".annotations.json.AAAAAAAA.tmp").symlink_to(victim)
        path.with_name(".annotations.json.BBBBBBBB.tmp").symlink_to(dangling)
        names = iter(["AAAAAAAA", "BBBBBBBB", "CCCCCCCC", "DDDDDDDD"])
        # mkstemp draws its names from this private helper (stable since Python 2.3).
        monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: names)
        added = note(5, 9)
        s.add(added)
        monkeypatch.undo()
        assert next(names) == "DDDDDDDD"  # A and B were tried and skipped, C was used
        assert s.all() == [kept, added]
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not os.path.lexists(dangling)
    assert not path.is_symlink()
    assert path.with_name(".annotations.json.AAAAAAAA.tmp").is_symlink()  # until the next open
    with Store(path):
        pass
    assert folder_names(path) == {"annotations.json", "annotations.json.lock", "victim.txt"}


def test_non_ascii_notes_are_written_as_utf8(path: Path) -> None:
    text = "Note: 北朝鮮 평양 «cité» — עברית 🇰🇵"
    item = note(note=text, tags=("日本", "résumé"))
    with Store(path) as s:
        s.add(item)
    data = path.read_bytes()
    assert text.encode("utf-8") in data and b"\\u" not in data
    with Store(path) as s:
        assert s.get(item.id) == item


def test_a_lone_surrogate_survives_through_an_escape(path: Path) -> None:
    item = note(note="broken paste \ud83d here")
    with Store(path) as s:
        s.add(item)
    path.read_bytes().decode("utf-8")  # still valid UTF-8
    with Store(path) as s:
        assert s.get(item.id) == item and s.notices == []


# -- damaged, empty and newer files ---------------------------------------------------------


def _missing_field() -> dict[str, Any]:
    data = v1(note())
    del data["annotations"]["1"]["article_id"]
    return data


CORRUPT: dict[str, Callable[[], bytes]] = {
    "invalid-json": lambda: b'{"_meta": {"1": {"schema": 1}}, "annotations": {',
    "json-list": lambda: b"[1, 2, 3]",
    "table-is-a-string": lambda: json.dumps({**v1(), "annotations": "oops"}).encode(),
    "document-is-a-list": lambda: json.dumps({**v1(), "prefs": {"1": [1]}}).encode(),
    "bad-document-id": lambda: json.dumps({**v1(), "positions": {"x": {}}}).encode(),
    "annotation-missing-field": lambda: json.dumps(_missing_field()).encode(),
    "bad-colour": lambda: json.dumps(v1(note())).replace('"yellow"', '"plaid"').encode(),
    "bad-trash": lambda: json.dumps({**v1(), "trash": {"1": {"deleted": 3}}}).encode(),
    "bad-position": lambda: json.dumps(
        {**v1(), "positions": {"1": {"article_id": "a", "offset": -4}}}
    ).encode(),
    "no-schema": lambda: json.dumps({"annotations": {}}).encode(),
    "schema-not-a-number": lambda: json.dumps({"_meta": {"1": {"schema": "1"}}}).encode(),
    "not-utf8": lambda: (
        json.dumps(v1(note(note="café")), ensure_ascii=False)
        .encode("utf-8")
        .replace("é".encode(), b"\xe9")
    ),
    "whitespace-only": lambda: b"  \n",
    # A real store file cut short (a copy interrupted, a full disk under another tool):
    # one cut between two characters, one inside a multi-byte one.
    "truncated": lambda: _cut(lambda whole: whole.index(b"quiet")),
    "truncated-mid-character": lambda: _cut(lambda whole: whole.index("평".encode()) + 1),
}


def _cut(where: Callable[[bytes], int]) -> bytes:
    whole = json.dumps(v1(note(note="평양 «cité»"), note(4, 8)), ensure_ascii=False).encode()
    return whole[: where(whole)]


@pytest.mark.parametrize("content", CORRUPT.values(), ids=CORRUPT.keys())
def test_a_corrupt_file_is_moved_aside_and_a_fresh_store_starts(
    path: Path, fixed_stamp: str, content: Callable[[], bytes]
) -> None:
    original = content()
    path.write_bytes(original)
    with Store(path) as s:
        moved = path.with_name(f"annotations.json.corrupt-{fixed_stamp}")
        assert moved.read_bytes() == original
        assert not path.exists()
        assert len(s.notices) == 1
        notice = one_line(s.notices[0])
        assert str(moved) in notice and "fresh store" in notice
        assert s.all() == []
        fresh = note()
        s.add(fresh)
        assert s.get(fresh.id) == fresh
    assert moved.read_bytes() == original
    with Store(path) as s:
        assert s.notices == [] and s.all() == [fresh]


def test_what_opening_did_is_also_kept_for_the_process_to_tell_once(path: Path) -> None:
    """A notice reaches whoever shows them (the reader), whichever thread's Store saw it."""
    store.NOTICES.take(path)  # nothing left from another test's file of the same name
    path.write_bytes(b"garbage")
    seen: list[list[str]] = []
    worker = threading.Thread(target=lambda: seen.append(Store(path).notices))
    worker.start()
    worker.join()
    assert store.NOTICES.take(path) == seen[0] and len(seen[0]) == 1
    assert store.NOTICES.take(path) == []  # told once
    with Store(path):
        pass
    assert store.NOTICES.take(path) == []  # a sound file: nothing to tell
    other = path.with_name("other.json")
    other.write_bytes(b"")
    Store(other).close()
    assert store.NOTICES.take(path) == [] and len(store.NOTICES.take(other)) == 1


def test_the_moved_name_carries_a_utc_stamp_and_never_overwrites(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path.write_bytes(b"garbage one")
    first = Store(path)
    (moved,) = [p for p in path.parent.iterdir() if ".corrupt-" in p.name]
    assert re.fullmatch(r"annotations\.json\.corrupt-\d{8}T\d{6}Z", moved.name)
    stamp = moved.name.rsplit("-", 1)[1]
    first.close()
    # Same second again (fixed clock): the earlier copy must survive.
    path.write_bytes(b"garbage two")
    monkeypatch.setattr(store, "utc_stamp", lambda: stamp)
    with Store(path) as s:
        assert "corrupt-" + stamp + "-2" in s.notices[0]
    assert moved.read_bytes() == b"garbage one"
    assert path.with_name(moved.name + "-2").read_bytes() == b"garbage two"


def test_a_file_damaged_while_open_is_moved_aside_at_the_next_operation(
    path: Path, fixed_stamp: str
) -> None:
    with Store(path) as s:
        s.add(note())
        path.write_bytes(b"{oops")
        assert s.all() == []
        assert len(s.notices) == 1 and fixed_stamp in s.notices[0]
        s.add(note(4, 7))
        assert len(s.all()) == 1


def test_an_empty_file_is_a_fresh_store_with_a_notice(path: Path) -> None:
    path.write_bytes(b"")
    with Store(path) as s:
        assert s.all() == []
        assert len(s.notices) == 1 and "empty" in one_line(s.notices[0])
        assert folder_names(path) <= {"annotations.json", "annotations.json.lock"}
        item = note()
        s.add(item)
    with Store(path) as s:
        assert s.notices == [] and s.all() == [item]


def _newer_files() -> dict[str, bytes]:
    future = v1(note(note="from the future"), schema=store.SCHEMA_VERSION + 1)
    future["annotations"]["1"]["shape"] = {"new": True}
    reshaped = {"_meta": {"1": {"schema": 99}}, "annotations": [{"id": "x"}]}
    return {
        "next-version": json.dumps(future).encode(),
        "new-layout": json.dumps(reshaped).encode(),
    }


@pytest.mark.parametrize("name", _newer_files())
def test_a_newer_file_is_read_only_and_never_modified(path: Path, name: str) -> None:
    original = _newer_files()[name]
    path.write_bytes(original)
    with Store(path) as s:
        assert s.read_only
        assert len(s.notices) == 1 and "newer" in one_line(s.notices[0])
        listed = s.all()
        if name == "next-version":
            assert [a.note for a in listed] == ["from the future"]
            ident = listed[0].id
        else:
            assert listed == []
            ident = "x"
        changes: list[Callable[[], object]] = [
            lambda: s.add(note()),
            lambda: s.update(note()),
            lambda: s.update_many([note()]),
            lambda: s.delete(ident),
            lambda: s.undelete(),
            lambda: s.set_position("a1", 3),
            lambda: s.set_pref("theme", "dark"),
        ]
        for change in changes:
            with pytest.raises(StoreError, match="newer summit-reader") as info:
                change()
            one_line(info.value)
    assert path.read_bytes() == original
    assert folder_names(path) <= {"annotations.json", "annotations.json.lock"}


def test_a_newer_version_writing_while_we_are_open_stops_our_writes(path: Path) -> None:
    with Store(path) as s:
        s.add(note())
        newer = write_raw(path, v1(note(), schema=store.SCHEMA_VERSION + 1))
        with pytest.raises(StoreError, match="newer summit-reader"):
            s.add(note(4, 8))
        assert s.read_only
        assert path.read_bytes() == newer


# -- migrations -----------------------------------------------------------------------------


@pytest.fixture
def schema_three(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Pretend this version writes schema 3, with steps from 1 and 2; record the calls."""
    calls: list[int] = []

    def one_to_two(data: store.RawData) -> store.RawData:
        # Schema 1 (pretend) called the colour "colour" and kept tags as one string.
        calls.append(1)
        for doc in data.get("annotations", {}).values():
            doc["color"] = doc.pop("colour")
            doc["tags"] = [t for t in doc["tags"].split(",") if t]
        return data

    def two_to_three(data: store.RawData) -> store.RawData:
        calls.append(2)
        data["prefs"] = {"1": {"key": "migrated", "value": True}}
        return data

    monkeypatch.setattr(store, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(store, "MIGRATIONS", {1: one_to_two, 2: two_to_three})
    yield calls


def _old_shape(item: Annotation) -> dict[str, Any]:
    doc = item.to_dict()
    doc["colour"] = doc.pop("color")
    doc["tags"] = ",".join(doc["tags"])
    return {"_meta": {"1": {"schema": 1}}, "annotations": {"1": doc}}


def test_migrations_run_in_order_at_open_and_are_written_back(
    path: Path, schema_three: list[int]
) -> None:
    item = note(color="blue", tags=("a", "b"))
    write_raw(path, _old_shape(item))
    with Store(path) as s:
        assert schema_three == [1, 2]
        assert s.notices == [] and not s.read_only
        assert s.all() == [item]
        assert s.get_pref("migrated") is True
    data = raw(path)
    assert data["_meta"] == {"1": {"schema": 3}}
    assert data["annotations"]["1"] == item.to_dict()
    with Store(path) as s:
        assert s.all() == [item]
    assert schema_three == [1, 2]  # not run again


def test_a_migration_from_the_middle_runs_only_the_later_steps(
    path: Path, schema_three: list[int]
) -> None:
    write_raw(path, v1(note(), schema=2))
    with Store(path) as s:
        assert len(s.all()) == 1
    assert schema_three == [2]
    assert raw(path)["_meta"] == {"1": {"schema": 3}}


def test_a_failing_migration_moves_the_file_aside(
    path: Path, schema_three: list[int], fixed_stamp: str
) -> None:
    original = write_raw(path, v1(note()))  # schema 1 but no "colour": the step fails
    with Store(path) as s:
        assert len(s.notices) == 1 and "cannot upgrade" in one_line(s.notices[0])
        assert s.all() == []
    assert path.with_name(f"annotations.json.corrupt-{fixed_stamp}").read_bytes() == original


def test_a_missing_migration_leaves_the_file_alone(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(store, "MIGRATIONS", {})
    original = write_raw(path, v1(note()))
    with pytest.raises(StoreError, match="cannot upgrade") as info:
        Store(path)
    one_line(info.value)
    assert path.read_bytes() == original


def test_a_fresh_store_is_written_with_the_current_schema(
    path: Path, schema_three: list[int]
) -> None:
    with Store(path) as s:
        s.set_pref("theme", "dark")
    assert raw(path)["_meta"] == {"1": {"schema": 3}}
    assert schema_three == []


# -- who can read the files, and where writes can be redirected -------------------------------


@posix_only
def test_every_file_the_store_creates_is_private_even_with_a_umask_of_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new-folder" / "annotations.json"
    modes: list[int] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:  # the temp file's mode while it is being written
        modes.append(os.fstat(fd).st_mode)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    old_umask = os.umask(0)
    try:
        with Store(path) as s:
            s.add(note())
    finally:
        os.umask(old_umask)
    file_modes = [stat.S_IMODE(m) for m in modes if stat.S_ISREG(m)]
    assert file_modes and set(file_modes) == {0o600}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.with_name("annotations.json.lock").stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700  # a folder it made itself


@posix_only
@pytest.mark.parametrize("kind", ["lock", "moved-aside name"])
def test_a_symlink_at_a_predictable_name_never_redirects_a_write(
    path: Path, fixed_stamp: str, kind: str
) -> None:
    """The names next to the store that can be guessed: the lock, where a bad file goes.

    (The temp files' names are random; a guessed one is covered above.)
    """
    victim = path.parent / "victim.txt"
    victim.write_bytes(b"keep me")
    if kind == "lock":
        write_raw(path, v1(note()))
        path.with_name("annotations.json.lock").symlink_to(victim)
        with Store(path) as s:
            assert len(s.all()) == 1  # reads work without the lock
            with pytest.raises(StoreError) as info:
                s.add(note(4, 8))
            assert one_line(info.value).startswith("cannot save notes to ")
    else:
        path.write_bytes(b"{damaged")
        aside = path.with_name(f"annotations.json.corrupt-{fixed_stamp}")
        aside.symlink_to(victim)
        with Store(path) as s:
            assert f"corrupt-{fixed_stamp}-2" in s.notices[0]
        assert aside.is_symlink()
        assert path.with_name(aside.name + "-2").read_bytes() == b"{damaged"
    assert victim.read_bytes() == b"keep me"


@posix_only
def test_a_store_that_is_a_symlink_is_read_but_never_written(path: Path) -> None:
    """Decided: read-only, with a notice. Replacing the link would silently cut it (a synced
    notes file would stop getting changes); writing through it would let whoever placed it
    choose the file that gets overwritten."""
    real = path.parent / "elsewhere.json"
    kept = note(note="kept")
    original = write_raw(real, v1(kept))
    path.symlink_to(real)
    with Store(path) as s:
        assert s.read_only
        assert len(s.notices) == 1
        notice = one_line(s.notices[0])
        assert "symbolic link" in notice and locations.DB_ENV in notice
        assert s.all() == [kept]
        for change in (lambda: s.add(note(4, 8)), lambda: s.set_position("a1", 2)):
            with pytest.raises(StoreError, match="symbolic link") as info:
                change()
            assert locations.DB_ENV in one_line(info.value)
    assert path.is_symlink() and os.readlink(path) == str(real)
    assert real.read_bytes() == original
    with Store(real) as s:  # pointed at the real file, it is an ordinary store
        assert not s.read_only and s.notices == []
        s.add(note(4, 8))
        assert len(s.all()) == 2


@posix_only
def test_a_dangling_store_symlink_creates_nothing(path: Path) -> None:
    target = path.parent / "would-be-created.json"
    path.symlink_to(target)
    with Store(path) as s:
        assert s.read_only and s.all() == []
        with pytest.raises(StoreError, match="symbolic link"):
            s.add(note())
    assert not os.path.lexists(target) and path.is_symlink()


@posix_only
def test_a_link_planted_while_open_stops_writes(path: Path) -> None:
    with Store(path) as s:
        s.add(note())
        real = path.parent / "moved.json"
        path.rename(real)
        path.symlink_to(real)
        before = real.read_bytes()
        with pytest.raises(StoreError, match="symbolic link"):
            s.add(note(4, 8))
    assert real.read_bytes() == before and path.is_symlink()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.timeout(30)  # the failure this guards against is a hang
def test_a_fifo_at_the_store_name_is_moved_aside_not_waited_on(
    path: Path, fixed_stamp: str
) -> None:
    os.mkfifo(path)
    with Store(path) as s:  # would block forever reading a FIFO nobody writes to
        assert "not a regular file" in s.notices[0]
        s.add(note())
    assert stat.S_ISFIFO(path.with_name(f"annotations.json.corrupt-{fixed_stamp}").lstat().st_mode)
    with Store(path) as s:
        assert len(s.all()) == 1
