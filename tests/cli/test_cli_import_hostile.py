"""``import`` on hostile files, and ``export -o DIR/`` against a hostile folder, end to end.

Every refused import must answer in one line on stderr with exit code 2, print nothing on
stdout, and leave the notes store byte for byte as it was, with nothing added beside it
(no temp file, no moved-aside copy). The files are built here by code: a 50 MB file,
nesting 100,000 deep, numbers out of range, NaN, repeated keys, a wrong type in a field,
byte-order marks of every kind.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from core.export_support import store_with_samples
from summitreader.cli import main
from summitreader.core import locations
from summitreader.core.library import Library
from summitreader.core.store import Store

GOOD: dict[str, Any] = {
    "id": "urn:uuid:0b6a5c1e-1d2f-4f8e-9b1a-7c2d3e4f5a6b",
    "type": "Annotation",
    "created": "2024-06-20T09:00:00.000Z",
    "target": {
        "source": "urn:summit-reader:article:39240234",
        "selector": [
            {"type": "TextQuoteSelector", "exact": "Putin"},
            {"type": "TextPositionSelector", "start": 0, "end": 5},
        ],
    },
}
GOOD_TEXT = json.dumps(GOOD)
MB = 1024 * 1024


def _with(**changes: Any) -> bytes:
    return json.dumps({**GOOD, **changes}).encode()


def _replace(old: str, new: str) -> bytes:
    assert old in GOOD_TEXT
    return GOOD_TEXT.replace(old, new, 1).encode()


HOSTILE: dict[str, bytes] = {
    "nested 100,000 deep in lists": b"[" * 100_000 + b"]" * 100_000,
    "nested 100,000 deep in objects": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "nested 100,000 deep inside an annotation": _replace(
        '"created"', '"x": ' + "[" * 100_000 + "]" * 100_000 + ', "created"'
    ),
    "1e999 as an offset": _replace('"start": 0', '"start": 1e999'),
    "-1e999 as an offset": _replace('"end": 5', '"end": -1e999'),
    "an offset of 5,000 digits": _replace('"end": 5', '"end": ' + "9" * 5000),
    "an offset past its end, 4,000 digits": _replace('"start": 0', '"start": ' + "9" * 4000),
    "NaN": _replace('"start": 0', '"start": NaN'),
    "Infinity": _replace('"start": 0', '"start": Infinity'),
    "a repeated key, the first one wrong": _replace('{"id"', '{"id": 5, "id"'),
    "a repeated key, both fine": _replace('{"id"', '{"id": "urn:x:1", "id"'),
    "id a list": _with(id=["urn:x:1"]),
    "created a number": _with(created=20240620),
    "source null": _replace('"source": "urn', '"source": null, "x": "urn'),
    "exact an object": _replace('"exact": "Putin"', '"exact": {"text": "Putin"}'),
    "start a string": _replace('"start": 0', '"start": "0"'),
    "start true": _replace('"start": 0', '"start": true'),
    "body value a list": _with(body=[{"type": "TextualBody", "value": ["a"]}]),
    "purpose a number": _with(body=[{"type": "TextualBody", "value": "a", "purpose": 1}]),
    "no target": json.dumps({k: v for k, v in GOOD.items() if k != "target"}).encode(),
    "no id": json.dumps({k: v for k, v in GOOD.items() if k != "id"}).encode(),
    "no type": json.dumps({k: v for k, v in GOOD.items() if k != "type"}).encode(),
    "two byte-order marks": codecs.BOM_UTF8 * 2 + GOOD_TEXT.encode(),
    "UTF-16 LE with its BOM": codecs.BOM_UTF16_LE + GOOD_TEXT.encode("utf-16-le"),
    "UTF-16 BE with its BOM": codecs.BOM_UTF16_BE + GOOD_TEXT.encode("utf-16-be"),
    "UTF-16 without a BOM": GOOD_TEXT.encode("utf-16-le"),
    "UTF-32 with its BOM": codecs.BOM_UTF32_LE + GOOD_TEXT.encode("utf-32-le"),
    "a BOM in the middle": GOOD_TEXT[:1].encode() + codecs.BOM_UTF8 + GOOD_TEXT[1:].encode(),
    "Latin-1": _replace('"Putin"', '"Café"').decode().encode("latin-1"),
    "a NUL byte": _replace('"Putin"', '"Pu\x00tin"'),
    "terminal escapes outside strings": b"\x1b]0;owned\x07\x1b[2J" + GOOD_TEXT.encode(),
    "only white space": b" \n\t\r\n " * 1000,
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def folder_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file beside the store, with its bytes and modification time."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def stored() -> Path:
    """A store holding the sample notes; returns its path."""
    store_with_samples(Library.from_environment().entries())
    return locations.store_path()


def refused(code: int, out: str, err: str, path: str) -> None:
    assert code == 2, err
    assert out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith(f"summit-reader: error: cannot import {path}")
    assert len(err) < 400, err
    assert not any(ord(c) < 32 and c != "\n" for c in err)  # nothing reaches the terminal


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_import_is_refused_in_one_line_and_the_store_is_untouched(
    capsys: pytest.CaptureFixture[str], stored: Path, tmp_path: Path, name: str
) -> None:
    before = folder_state(stored.parent)
    path = tmp_path / "notes.json"
    path.write_bytes(HOSTILE[name])
    refused(*run(capsys, "import", str(path)), str(path))
    assert folder_state(stored.parent) == before


def test_a_50_mb_import_file_is_refused_without_being_read_whole(
    capsys: pytest.CaptureFixture[str], stored: Path, tmp_path: Path
) -> None:
    """A valid-looking export with a 50 MB note: refused before parsing, store untouched."""
    path = tmp_path / "huge.json"
    head, tail = GOOD_TEXT[:-1].encode() + b', "bodyValue": "', b'"}'
    with open(path, "wb") as handle:
        handle.write(head)
        for _ in range(50):
            handle.write(b"a" * MB)
        handle.write(tail)
    assert path.stat().st_size > 50 * MB
    before = folder_state(stored.parent)
    code, out, err = run(capsys, "import", str(path))
    refused(code, out, err, str(path))
    assert "too large" in err
    assert folder_state(stored.parent) == before


def test_a_50_mb_import_on_standard_input_is_refused(
    capsys: pytest.CaptureFixture[str],
    stored: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Stdin:
        buffer = io.BytesIO(b"[" + b" " * (50 * MB) + b"]")

    monkeypatch.setattr(sys, "stdin", Stdin())
    before = folder_state(stored.parent)
    refused(*run(capsys, "import", "-"), "standard input")
    assert folder_state(stored.parent) == before
    assert Stdin.buffer.tell() <= 16 * MB + 1  # read no further than the limit


def test_a_utf8_byte_order_mark_is_read_like_any_utf8_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(codecs.BOM_UTF8 + GOOD_TEXT.encode())
    code, out, err = run(capsys, "import", str(path))
    assert code == 0, err
    assert "1 added" in out
    with Store() as store:
        [annotation] = store.all()
    assert annotation.id == "0b6a5c1e-1d2f-4f8e-9b1a-7c2d3e4f5a6b" and annotation.exact == "Putin"


# -- export file names -------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_symlink_planted_at_an_export_name_is_replaced_not_followed(
    capsys: pytest.CaptureFixture[str], stored: Path, tmp_path: Path
) -> None:
    """Someone who can write to the export folder cannot make an export write elsewhere."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("not to be overwritten", encoding="utf-8")
    name = "putin-meets-kim-jong-un-in-pyongyang-in-an-attempt-to-39240234.md"
    (out_dir / name).symlink_to(outside)
    code, out, err = run(capsys, "export", "3924", "-o", f"{out_dir}/")
    assert code == 0, err
    assert outside.read_text(encoding="utf-8") == "not to be overwritten"
    written = out_dir / name
    assert not written.is_symlink() and written.read_text(encoding="utf-8").startswith("---\n")
    assert sorted(os.listdir(out_dir)) == [name]
