"""``export`` and ``import`` end to end through ``main()``: files, formats, errors, round trips."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core.export_support import MISSING_ARTICLE, parse_export, store_with_samples
from summitreader.cli import main
from summitreader.core import locations
from summitreader.core.library import Library
from summitreader.core.store import Store

INDIA = "39240234"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, err: str) -> None:
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("summit-reader: error:")
    assert "Traceback" not in err


def store_state() -> dict[str, dict[str, Any]]:
    with Store() as store:
        return {a.id: a.to_dict() for a in store.all()}


@pytest.fixture
def samples() -> None:
    store_with_samples(Library.from_environment().entries())


# -- export ------------------------------------------------------------------------------------


def test_export_one_article_to_stdout(capsys: pytest.CaptureFixture[str], samples: None) -> None:
    code, out, err = run(capsys, "export", "3924")
    assert code == 0, err
    parsed = parse_export(out)
    assert parsed.front["article_id"] == INDIA and parsed.front["annotations"] == 2
    assert [a.tags for a in parsed.annotations] == [[], ["timeline", "middle east"]]


def test_export_all_is_byte_identical_the_second_time(
    capsys: pytest.CaptureFixture[str], samples: None
) -> None:
    first = run(capsys, "export", "--all")[1]
    second = run(capsys, "export", "--all")[1]
    assert first == second
    parsed = parse_export(first)
    assert parsed.front["articles"] == 4 and parsed.front["annotations"] == 6


def test_export_to_a_file_and_to_a_folder(
    capsys: pytest.CaptureFixture[str], samples: None, tmp_path: Path
) -> None:
    target = tmp_path / "notes.md"
    code, out, err = run(capsys, "export", "--all", "-o", str(target))
    assert code == 0, err
    assert out == f"wrote {target} (6 notes from 4 articles)\n"
    assert parse_export(target.read_text(encoding="utf-8")).front["annotations"] == 6
    folder = tmp_path / "per-article"
    code, out, err = run(capsys, "export", "--all", "-o", f"{folder}/")
    assert code == 0, err
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        f"article-{MISSING_ARTICLE}-{MISSING_ARTICLE}.md",
        "putin-arrives-in-pyongyang-for-summit-with-kim-77766b27.md",
        "putin-enjoys-red-carpet-welcome-in-north-korea-b038caf0.md",
        "putin-meets-kim-jong-un-in-pyongyang-in-an-attempt-to-39240234.md",
    ]
    assert out.count("wrote ") == 4
    for path in folder.iterdir():
        assert parse_export(path.read_text(encoding="utf-8")).front["annotations"] >= 1


def test_export_w3c_then_import_into_an_empty_store_reproduces_it(
    capsys: pytest.CaptureFixture[str],
    samples: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exported = tmp_path / "notes.json"
    code, _, err = run(capsys, "export", "--all", "--format", "w3c", "-o", str(exported))
    assert code == 0, err
    before = store_state()
    monkeypatch.setenv("SUMMIT_READER_DB", str(tmp_path / "fresh.json"))
    code, out, err = run(capsys, "import", str(exported))
    assert code == 0, err
    assert out.startswith(f"imported 6 notes from {exported}: 6 added, 0 updated, 0 unchanged")
    assert f"not in the library ({MISSING_ARTICLE})" in err and "kept as orphans" in err
    assert store_state() == before
    code, out, err = run(capsys, "import", str(exported))  # twice: no duplicates
    assert code == 0 and "0 added, 0 updated, 6 unchanged" in out
    assert store_state() == before
    orphans = json.loads(run(capsys, "notes", "--json", "--orphans")[1])
    assert {o["article_id"] for o in orphans} == {"77766b27", MISSING_ARTICLE}
    # And the export made from the imported store is the same file.
    assert run(capsys, "export", "--all", "--format", "w3c")[1] == exported.read_text("utf-8")


def test_import_reads_standard_input(
    capsys: pytest.CaptureFixture[str],
    samples: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = run(capsys, "export", "3924", "--format", "w3c")[1]
    monkeypatch.setenv("SUMMIT_READER_DB", str(tmp_path / "fresh.json"))
    monkeypatch.setattr(sys, "stdin", _Stdin(text.encode()))
    code, out, err = run(capsys, "import", "-")
    assert code == 0, err
    assert "2 added" in out and err == ""


class _Stdin:
    def __init__(self, data: bytes) -> None:
        import io

        self.buffer = io.BytesIO(data)


def test_an_article_without_notes_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "export", "3924")
    assert code == 0
    assert "No highlights in this article yet." in out
    code, out, _ = run(capsys, "export", "--all", "-o", f"{tmp_path / 'nowhere'}/")
    assert code == 0 and out == "nothing to export: no article has notes\n"
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["export"],
        ["export", "3924", "--all"],
        ["export", "nosuch"],
        ["export", "--all", "--format", "pdf"],
        ["export", "--all", "-o", "/nonexistent-folder/x.md"],
        ["import"],
        ["import", "/nonexistent/file.json"],
    ],
)
def test_bad_export_and_import_commands_fail_in_one_line(
    capsys: pytest.CaptureFixture[str], samples: None, argv: list[str]
) -> None:
    code, _, err = run(capsys, *argv)
    one_line_error(code, err)


def test_export_refuses_to_overwrite_the_notes_store(
    capsys: pytest.CaptureFixture[str], samples: None
) -> None:
    before = locations.store_path().read_bytes()
    code, _, err = run(capsys, "export", "--all", "-o", str(locations.store_path()))
    one_line_error(code, err)
    assert "notes store" in err and locations.store_path().read_bytes() == before


# -- import refusals ---------------------------------------------------------------------------

GOOD = {
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
BAD_FILES: dict[str, bytes] = {
    "empty": b"",
    "garbage": b"\x89PNG\r\n\x1a\n\x00\x00",
    "truncated": json.dumps(GOOD).encode()[:-3],
    "deep": b'{"type": "AnnotationPage", "items": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    "wrong types": json.dumps({**GOOD, "target": {**GOOD["target"], "selector": 7}}).encode(),
    "missing field": json.dumps({k: v for k, v in GOOD.items() if k != "created"}).encode(),
    "one bad among good": json.dumps(
        {"type": "AnnotationPage", "items": [GOOD, {**GOOD, "id": "urn:x:2", "created": 5}]}
    ).encode(),
    "huge": b"[" + b" " * (16 * 1024 * 1024) + b"]",
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_malformed_imports_are_refused_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(BAD_FILES[name])
    code, out, err = run(capsys, "import", str(path))
    one_line_error(code, err)
    assert f"cannot import {path}" in err and out == ""
    assert not locations.store_path().exists()  # not even an empty store was created


def test_a_refused_import_leaves_an_existing_store_untouched(
    capsys: pytest.CaptureFixture[str], samples: None, tmp_path: Path
) -> None:
    before = locations.store_path().read_bytes()
    path = tmp_path / "bad.json"
    path.write_bytes(BAD_FILES["one bad among good"])
    code, _, err = run(capsys, "import", str(path))
    one_line_error(code, err)
    assert "annotation 2" in err
    assert locations.store_path().read_bytes() == before


def test_a_folder_of_hostile_titles_stays_inside_the_output_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    library = tmp_path / "library"
    library.mkdir()
    titles = ["../../escape attempt", "a/b/c", "x" * 300, "line one", ".hidden"]
    for n, title in enumerate(titles):
        body = f"{title}\n\nBy A | Source: B\n\nSome body text number {n} that is long enough.\n"
        (library / f"capture{n}.txt").write_text(body, encoding="utf-8")
    entries = Library.from_environment(library).entries()
    for entry in entries:
        code, _, err = run(
            capsys, "--library", str(library), "highlight", entry.id, "Some body text"
        )
        assert code == 0, err
    out_dir = tmp_path / "out" / "inner"
    code, out, err = run(capsys, "--library", str(library), "export", "--all", "-o", f"{out_dir}/")
    assert code == 0, err
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert len(written) == len(titles)
    assert all(p.parent == out_dir for p in written)
    assert not any(p.name.startswith(".") for p in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library", "out"]


def test_list_does_not_load_the_export_code() -> None:
    code = (
        "import sys\n"
        "from summitreader.cli import main\n"
        "main(['list'])\n"
        "loaded = [m for m in ('summitreader.cli_export', 'summitreader.core.export') "
        "if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
