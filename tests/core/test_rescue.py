"""Rescue files: the changes a refusing store could not take, written so import reads them."""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from summitreader.core import locations, rescue
from summitreader.core.annotations import Annotation, new_annotation
from summitreader.core.export import import_annotations, parse_import
from summitreader.core.rescue import RESCUE_STEM, net_changes, write_rescue
from summitreader.core.store import Store

TEXT = "Kim and Trump met in Hanoi. 평양 was quiet; the talks ended early — «no deal»."
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and symlinks")


def note(start: int = 0, end: int = 3, **kwargs: Any) -> Annotation:
    return new_annotation("a1", TEXT, start, end, **kwargs)


def test_changes_fold_into_the_latest_state_of_each_highlight() -> None:
    a, b, c, d = note(0, 3), note(4, 9), note(14, 17), note(21, 26)
    a2 = a.edited(note="second thought", color="green")
    result = net_changes(
        [
            ("add", a),
            ("update", a2),  # the add and its edit: one highlight, as edited
            ("add", b),
            ("delete", b),  # added and deleted while unsaved: nothing at all
            ("delete", c),  # deleting one that is stored: counted, not written
            ("delete", d),
            ("undelete", d),  # deleted then restored: kept
        ]
    )
    assert result.annotations == (a2, d)
    assert result.deletions == 1


def test_a_rescue_file_is_private_and_reads_back_as_the_same_annotations(
    tmp_path: Path,
) -> None:
    kept = [note(0, 3, note="«quoted» [bold] 北朝鮮", tags=("a", "b")), note(4, 9)]
    old_umask = os.umask(0)
    try:
        path = write_rescue(kept)
    finally:
        os.umask(old_umask)
    assert path.parent == locations.documents_dir()
    assert path.name.startswith(RESCUE_STEM) and path.suffix == ".json"
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert parse_import(path.read_bytes(), path.name) == kept
    with Store(tmp_path / "annotations.json") as store:  # what `summit-reader import` does
        report = import_annotations(store, [], parse_import(path.read_bytes()))
        assert report.added == 2 and {a.id for a in store.all()} == {a.id for a in kept}


def test_a_rescue_never_replaces_an_earlier_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rescue, "utc_stamp", lambda: "20260101T000000Z")
    first = write_rescue([note()], tmp_path)
    second = write_rescue([note(4, 9)], tmp_path)
    assert first.name == f"{RESCUE_STEM}-20260101T000000Z.json"
    assert second.name == f"{RESCUE_STEM}-20260101T000000Z-2.json"
    assert [a.selector.start for a in parse_import(first.read_bytes())] == [0]


@posix_only
def test_a_planted_symlink_at_the_rescue_name_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rescue, "utc_stamp", lambda: "20260101T000000Z")
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    planted = tmp_path / f"{RESCUE_STEM}-20260101T000000Z.json"
    planted.symlink_to(victim)
    dangling = tmp_path / f"{RESCUE_STEM}-20260101T000000Z-2.json"
    dangling.symlink_to(tmp_path / "would-be-created")
    path = write_rescue([note()], tmp_path)
    assert path.name == f"{RESCUE_STEM}-20260101T000000Z-3.json"
    assert victim.read_bytes() == b"keep me"
    assert not (tmp_path / "would-be-created").exists()


def test_a_refused_documents_folder_falls_back_to_a_private_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_temp = tmp_path / "tmp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    kept = [note()]
    path = write_rescue(kept, blocker / "documents")  # cannot be made: a file is there
    assert path.parent.parent == system_temp
    assert path.parent.name.startswith(f"{RESCUE_STEM}-")
    if sys.platform != "win32":
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert parse_import(path.read_bytes()) == kept


def test_when_nothing_can_be_written_the_first_error_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(rescue, "write_new", full)
    with pytest.raises(OSError) as info:
        write_rescue([note()], tmp_path)
    assert info.value.errno == errno.ENOSPC
    assert [p.name for p in tmp_path.iterdir()] == []
