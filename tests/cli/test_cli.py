"""The ``summit-reader`` command line, run in-process through ``main(argv)`` and, for a few
cases, as a real ``python -m summitreader`` / ``summit-reader`` process.

Every test runs with its own ``SUMMIT_READER_HOME`` (see ``tests/conftest.py``) and with an
empty temporary folder as the working directory, so an id prefix can never be mistaken for a
file that happens to sit in the current directory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from summitreader.cli import bare_arguments, build_parser, main
from summitreader.core import locations, textio
from summitreader.core.library import article_id

REPO = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO / "seeds"
SEED_FILES = sorted(p for p in SEEDS_DIR.iterdir() if p.suffix == ".txt")
SEED_IDS = [article_id(p) for p in SEED_FILES]
ID_RE = re.compile(r"^[0-9a-f]{8}$")
SHOW_KEYS = {
    "id",
    "title",
    "source",
    "byline",
    "date",
    "dek",
    "captions",
    "paragraphs",
    "removed",
    "words",
}
SUBPROCESS_TIMEOUT = 120


# --------------------------------------------------------------------------------------------
# helpers


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    return exc.code if isinstance(exc.code, int) else 1


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Result:
    """Run the CLI in-process; argparse's own exits (help, usage errors) become codes too."""
    saved_db = os.environ.get(locations.DB_ENV)
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = _exit_code(exc)
    finally:
        # ``--db`` is passed on through the environment; do not let it leak into other tests.
        if saved_db is None:
            os.environ.pop(locations.DB_ENV, None)
        else:
            os.environ[locations.DB_ENV] = saved_db
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def assert_usage_error(result: Result, *fragments: str) -> str:
    """Exit code 2, exactly one line on stderr, no traceback; returns that line."""
    assert result.code == 2, result
    assert "Traceback" not in result.err
    assert result.err.endswith("\n")
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    line = lines[0]
    assert line.startswith("summit-reader: error:"), line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line


def capture_text(title: str, topic: str, count: int = 3) -> str:
    """A plausible plain-text capture: a headline, a blank line, then body paragraphs."""
    paragraphs = [
        f"Paragraph {n} about the {topic}: officials met on Monday to discuss the plans for "
        f"the {topic}, and residents were told that more details would follow later this week."
        for n in range(1, count + 1)
    ]
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_capture(path: Path, title: str, topic: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(capture_text(title, topic), encoding="utf-8")
    return path


def table_ids(output: str) -> list[str]:
    """The id column of ``list``'s table (the header row is skipped)."""
    lines = output.splitlines()
    assert lines and lines[0].split()[0] == "ID", output
    return [line.split()[0] for line in lines[1:] if line.strip()]


def added_count(output: str) -> int:
    """How many ``add`` output lines report a new article."""
    return sum(line.startswith("added ") for line in output.splitlines())


def json_ids(output: str) -> list[str]:
    return [row["id"] for row in json.loads(output)]


def library_files() -> list[Path]:
    folder = locations.user_library_dir()
    if not folder.exists():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file())


def all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.fixture(autouse=True)
def empty_cwd(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    cwd = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(cwd)
    return cwd


@pytest.fixture
def home(isolated_home: Path) -> Path:
    return isolated_home


def unique_prefix(ident: str, others: list[str]) -> str:
    for length in range(1, len(ident)):
        prefix = ident[:length]
        if not any(o.startswith(prefix) for o in others if o != ident):
            return prefix
    raise AssertionError(f"no unique prefix for {ident}")


# --------------------------------------------------------------------------------------------
# list


def test_seed_folder_has_five_captures() -> None:
    assert len(SEED_FILES) == 5
    assert len(set(SEED_IDS)) == 5


def test_list_shows_the_bundled_seeds(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "list")
    assert result.code == 0
    assert result.err == ""
    ids = table_ids(result.out)
    assert all(ID_RE.match(i) for i in ids), ids
    # Library order is file-name order.
    assert ids == SEED_IDS


def test_list_json_is_valid_and_complete(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "list", "--json")
    assert result.code == 0
    rows = json.loads(result.out)
    assert isinstance(rows, list)
    assert [row["id"] for row in rows] == SEED_IDS
    for row in rows:
        assert {"id", "title", "source", "date", "words"} <= set(row)
        assert ID_RE.match(row["id"])
        assert isinstance(row["title"], str) and row["title"].strip()
        assert row["source"] is None or isinstance(row["source"], str)
        assert row["date"] is None or isinstance(row["date"], str)
        assert isinstance(row["words"], int) and row["words"] > 0


def test_list_json_titles_come_from_the_seed_text(capsys: pytest.CaptureFixture[str]) -> None:
    rows = json.loads(run(capsys, "list", "--json").out)
    for row, path in zip(rows, SEED_FILES, strict=True):
        title = row["title"].rstrip("…")
        assert title and title in path.read_text(encoding="utf-8"), (row["id"], title)


def test_list_ids_are_stable_across_runs(capsys: pytest.CaptureFixture[str]) -> None:
    first = json_ids(run(capsys, "list", "--json").out)
    second = json_ids(run(capsys, "list", "--json").out)
    assert first == second == SEED_IDS


def test_no_arguments_behaves_like_list(capsys: pytest.CaptureFixture[str]) -> None:
    bare = run(capsys)
    listed = run(capsys, "list")
    assert bare.code == listed.code == 0
    assert bare.out == listed.out
    assert table_ids(bare.out) == SEED_IDS


def test_list_of_an_empty_library_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    result = run(capsys, "--library", str(folder), "list")
    assert result.code == 0
    assert "empty" in result.out.lower()
    assert not any(i in result.out for i in SEED_IDS)
    assert json.loads(run(capsys, "--library", str(folder), "list", "--json").out) == []


def test_list_reports_unusable_files_and_goes_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "lib"
    good = write_capture(folder / "good.txt", "A readable capture", "readable")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 binary")
    (folder / "sub.txt").mkdir()
    result = run(capsys, "--library", str(folder), "list")
    assert result.code == 0
    assert table_ids(result.out) == [article_id(good)]
    warnings = result.err.splitlines()
    assert len(warnings) == 2
    assert all(line.startswith("summit-reader: warning:") for line in warnings)
    assert any("empty.txt" in line for line in warnings)
    assert any("binary.txt" in line for line in warnings)
    assert "Traceback" not in result.err


# --------------------------------------------------------------------------------------------
# show


def show_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    result = run(capsys, "show", "--json", *argv)
    assert result.code == 0, result
    data = json.loads(result.out)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("index", range(5))
def test_show_by_id(capsys: pytest.CaptureFixture[str], index: int) -> None:
    ident = SEED_IDS[index]
    data = show_json(capsys, ident)
    assert data["id"] == ident
    text = run(capsys, "show", ident, "--width", "0")
    assert text.code == 0
    assert text.err == ""
    # Every kept paragraph is printed, and comes from the seed file itself.
    seed_text = SEED_FILES[index].read_text(encoding="utf-8")
    paragraphs = data["paragraphs"]
    assert isinstance(paragraphs, list) and paragraphs
    for paragraph in paragraphs:
        shown = paragraph["text"].upper() if paragraph["kind"] == "heading" else paragraph["text"]
        assert shown in text.out
    assert paragraphs[0]["text"][:30] in seed_text


def test_show_by_unique_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    for ident in SEED_IDS:
        prefix = unique_prefix(ident, SEED_IDS)
        assert len(prefix) < len(ident)
        assert show_json(capsys, prefix)["id"] == ident
        # Upper case and surrounding blanks are forgiven for a prefix too.
        assert show_json(capsys, f" {prefix.upper()} ")["id"] == ident


def test_show_by_path_to_a_seed_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = SEED_FILES[2]
    by_path = run(capsys, "show", str(path), "--width", "70")
    by_id = run(capsys, "show", SEED_IDS[2], "--width", "70")
    assert by_path.code == by_id.code == 0
    assert by_path.out == by_id.out
    assert show_json(capsys, str(path))["id"] == SEED_IDS[2]


def test_show_a_capture_outside_the_library_is_not_imported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    title = "Harbour bridge reopens after two years of repairs"
    path = write_capture(tmp_path / "outside" / "bridge.txt", title, "harbour bridge")
    data = show_json(capsys, str(path))
    assert data["id"] == article_id(path)
    assert data["title"] == title
    texts = [p["text"] for p in data["paragraphs"]]
    assert any("Paragraph 1 about the harbour bridge" in t for t in texts)
    text = run(capsys, "show", str(path))
    assert text.code == 0
    assert text.out.startswith(title)
    # Nothing was copied anywhere: the user library is still empty and list is unchanged.
    assert library_files() == []
    assert table_ids(run(capsys, "list").out) == SEED_IDS
    assert path.read_text(encoding="utf-8") == capture_text(title, "harbour bridge")


def test_show_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    for ident in SEED_IDS:
        data = show_json(capsys, ident)
        assert set(data) == SHOW_KEYS
        assert isinstance(data["title"], str) and data["title"]
        assert isinstance(data["captions"], list)
        assert isinstance(data["words"], int) and data["words"] > 0
        assert isinstance(data["paragraphs"], list) and data["paragraphs"]
        for paragraph in data["paragraphs"]:
            assert set(paragraph) == {"kind", "text"}
            assert paragraph["kind"] in {"paragraph", "heading"}
            assert isinstance(paragraph["text"], str) and paragraph["text"]
        assert isinstance(data["removed"], list)
        for item in data["removed"]:
            assert set(item) == {"text", "reason"}
            assert isinstance(item["reason"], str) and item["reason"]


def test_show_json_words_match_list(capsys: pytest.CaptureFixture[str]) -> None:
    rows = json.loads(run(capsys, "list", "--json").out)
    for row in rows:
        data = show_json(capsys, row["id"])
        assert data["words"] == row["words"]
        assert data["title"] == row["title"]


def test_show_removed_lists_reasons_in_brackets(capsys: pytest.CaptureFixture[str]) -> None:
    checked = 0
    for ident in SEED_IDS:
        removed = show_json(capsys, ident)["removed"]
        assert isinstance(removed, list)
        plain = run(capsys, "show", ident, "--width", "0")
        assert "Removed (" not in plain.out
        result = run(capsys, "show", ident, "--removed", "--width", "0")
        assert result.code == 0
        assert f"Removed ({len(removed)}):" in result.out
        lines = result.out.splitlines()
        for item in removed:
            assert f"  [{item['reason']}] {item['text']}" in lines
        checked += bool(removed)
    # At least one seed has chrome the cleaner strips, or this test proves little.
    assert checked > 0


def test_show_width_zero_does_not_wrap(capsys: pytest.CaptureFixture[str]) -> None:
    long_seen = False
    for ident in SEED_IDS:
        data = show_json(capsys, ident)
        lines = run(capsys, "show", ident, "--width", "0").out.splitlines()
        for paragraph in data["paragraphs"]:
            if paragraph["kind"] == "paragraph":
                assert paragraph["text"] in lines
                long_seen = long_seen or len(paragraph["text"]) > 200
    assert long_seen


def test_show_width_wraps(capsys: pytest.CaptureFixture[str]) -> None:
    for ident in SEED_IDS:
        result = run(capsys, "show", ident, "--width", "40", "--removed")
        assert result.code == 0
        lines = result.out.splitlines()
        assert max(len(line) for line in lines) <= 40
        assert len(lines) > 10


# --------------------------------------------------------------------------------------------
# errors


def test_unknown_article_without_close_matches(capsys: pytest.CaptureFixture[str]) -> None:
    line = assert_usage_error(run(capsys, "show", "zzqqxxw"), "zzqqxxw")
    assert "close matches" not in line
    assert "list" in line


def test_unknown_article_names_close_seed_matches(capsys: pytest.CaptureFixture[str]) -> None:
    word = "Pyongyang"
    holders = [
        i
        for i, p in zip(SEED_IDS, SEED_FILES, strict=True)
        if word in p.read_text(encoding="utf-8")
    ]
    assert holders
    ref = word[:-2].lower()  # a prefix of a title word, not an id
    line = assert_usage_error(run(capsys, "show", ref), ref, "close matches")
    named = [i for i in SEED_IDS if i in line]
    assert named and set(named) <= set(holders)


def test_unknown_article_names_close_title_match(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "lib"
    target = write_capture(
        folder / "capture-a.txt", "Harbour bridge reopens after repairs", "harbour bridge"
    )
    other = write_capture(
        folder / "capture-b.txt", "Council approves the new budget", "city budget"
    )
    line = assert_usage_error(
        run(capsys, "--library", str(folder), "show", "harbou"), "harbou", "close matches"
    )
    assert article_id(target) in line
    assert article_id(other) not in line


def colliding_names(folder: Path) -> tuple[Path, Path, list[Path]]:
    """Write captures named capture-N.txt until two ids share their first hex digit."""
    seen: dict[str, Path] = {}
    written: list[Path] = []
    for n in range(100):
        path = folder / f"capture-{n}.txt"
        write_capture(path, f"Story number {n} of the day", f"story {n}")
        written.append(path)
        first = article_id(path)[0]
        if first in seen:
            return seen[first], path, written
        seen[first] = path
    raise AssertionError("no collision in 100 names")


def test_ambiguous_prefix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    one, two, written = colliding_names(folder)
    prefix = article_id(one)[0]
    line = assert_usage_error(
        run(capsys, "--library", str(folder), "show", prefix), "ambiguous", prefix
    )
    assert article_id(one) in line and article_id(two) in line
    for path in written:
        if path not in (one, two):
            assert article_id(path) not in line
    # A longer prefix that tells them apart works.
    longer = unique_prefix(article_id(one), [article_id(p) for p in written])
    data = show_json(capsys, "--library", str(folder), longer)
    assert data["id"] == article_id(one)


def test_show_a_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "a folder"
    folder.mkdir()
    assert_usage_error(run(capsys, "show", str(folder)), "directory", str(folder))


def test_show_a_directory_whose_name_has_a_newline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "bad\nname"
    folder.mkdir()
    assert_usage_error(run(capsys, "show", str(folder)), "directory")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"   \n\t\n  \r\n\n", "no text"),
        (b"A headline\n\nSome text\x00with a NUL byte in it\n", "binary"),
    ],
    ids=["empty", "whitespace-only", "nul-bytes"],
)
def test_show_unusable_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, fragment: str
) -> None:
    path = tmp_path / "capture.txt"
    path.write_bytes(content)
    assert_usage_error(run(capsys, "show", str(path)), fragment, str(path))


def test_show_a_file_over_the_size_cap(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_capture(tmp_path / "big.txt", "A perfectly ordinary headline", "the size cap")
    size = path.stat().st_size
    monkeypatch.setattr(textio, "MAX_BYTES", size - 1)
    assert_usage_error(run(capsys, "show", str(path)), "too large", str(path))
    # One byte more of allowance and the same file is fine.
    monkeypatch.setattr(textio, "MAX_BYTES", size)
    assert run(capsys, "show", str(path)).code == 0


def test_missing_library_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    for argv in (
        ["--library", str(missing), "list"],
        ["list", "--library", str(missing)],
        ["show", SEED_IDS[0], "--library", str(missing)],
    ):
        assert_usage_error(run(capsys, *argv), "not found", str(missing))


def test_missing_library_folder_from_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "gone"
    monkeypatch.setenv(locations.LIBRARY_ENV, str(missing))
    assert_usage_error(run(capsys, "list"), "not found", str(missing))


@pytest.mark.parametrize(
    "argv",
    [
        ["--bogus"],
        ["list", "--bogus"],
        ["show", SEED_IDS[0], "--bogus"],
        ["dirs", "--bogus"],
        ["frobnicate"],
        ["show"],
        ["add"],
        ["show", SEED_IDS[0], "--width", "wide"],
    ],
)
def test_bad_command_lines(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    result = run(capsys, *argv)
    assert_usage_error(result)
    assert result.out == ""


# --------------------------------------------------------------------------------------------
# decoding and terminal safety


def test_utf16_file_with_bom(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    title = "Über die Brücke: Gipfeltreffen in Pjöngjang"
    text = capture_text(title, "summit in Pjöngjang")
    for encoding in ("utf-16", "utf-16-be"):
        path = tmp_path / f"{encoding}.txt"
        data = text.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        path.write_bytes(data)
        result = run(capsys, "show", "--json", str(path))
        assert result.code == 0
        assert result.err == ""
        shown = json.loads(result.out)
        assert shown["title"] == title
        assert "Paragraph 1 about the summit in Pjöngjang" in shown["paragraphs"][0]["text"]
        assert "\ufffd" not in result.out


def test_invalid_utf8_is_shown_with_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "latin1.txt"
    body = capture_text("Leaders meet in the capital", "talks").encode("utf-8")
    path.write_bytes(body.replace(b"Paragraph 2", b"Paragraph \xff\xfe 2"))
    result = run(capsys, "show", str(path), "--width", "0")
    assert result.code == 0
    assert "Traceback" not in result.err
    assert "warning" in result.err
    assert str(path) in result.err
    assert "\ufffd" in result.out
    assert "Leaders meet in the capital" in result.out


ESC_TITLE = "\x1b[31mSummit\x1b[0m talks end with a deal\x07"
ESC_BODY = (
    "Delegates \x1b[2Jleft the hall \x1b]0;owned\x07after midnight, and the \x9b31m"
    "statement\x1b[0m was read out by the host \x07\x08\x7f minister in front of reporters."
)


def escape_capture(path: Path) -> Path:
    path.write_text(
        ESC_TITLE
        + "\n\n"
        + ESC_BODY
        + "\n\n"
        + capture_text("x", "deal").split("\n\n", 1)[1]
        + "\n\x1b[1mShare this\x1b[0m \x07\n",
        encoding="utf-8",
    )
    return path


def assert_no_controls(text: str) -> None:
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\x9b" not in text
    assert "\x08" not in text
    assert "\x7f" not in text


def test_control_characters_never_reach_stdout(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    path = escape_capture(folder / "escapes.txt")
    for argv in (
        ["show", str(path)],
        ["show", str(path), "--removed", "--width", "0"],
        ["--library", str(folder), "list"],
        ["--library", str(folder), "show", article_id(path), "--removed"],
    ):
        result = run(capsys, *argv)
        assert result.code == 0, (argv, result)
        assert_no_controls(result.out)
        assert_no_controls(result.err)
        assert "left the hall" in result.out or "list" in argv
    data = show_json(capsys, str(path))
    assert_no_controls(json.dumps(data, ensure_ascii=False))
    assert "Summit" in json.dumps(data)


def test_control_characters_in_a_file_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "evil\x1b[2J\x07name.txt"
    path.write_bytes(b"")
    result = run(capsys, "show", str(path))
    assert_usage_error(result, "empty")
    assert_no_controls(result.err)
    assert_no_controls(result.out)


def test_added_file_with_escapes_is_stored_clean(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = escape_capture(tmp_path / "escapes.txt")
    result = run(capsys, "add", str(path))
    assert result.code == 0
    assert_no_controls(result.out)
    (stored,) = library_files()
    assert_no_controls(stored.read_text(encoding="utf-8"))
    listed = run(capsys, "list")
    assert_no_controls(listed.out)
    assert article_id(stored) in table_ids(listed.out)


# --------------------------------------------------------------------------------------------
# --library and SUMMIT_READER_LIBRARY


@pytest.fixture
def folder_library(tmp_path: Path) -> tuple[Path, list[str]]:
    folder = tmp_path / "my library"
    paths = [
        write_capture(folder / "b-council.txt", "Council approves the new budget", "budget"),
        write_capture(folder / "a-bridge.txt", "Harbour bridge reopens", "harbour bridge"),
    ]
    (folder / "notes.md").write_text("not a capture", encoding="utf-8")
    return folder, [article_id(p) for p in sorted(paths)]


@pytest.fixture
def user_article() -> str:
    """A capture placed directly in the user library folder; returns its id."""
    path = write_capture(
        locations.user_library_dir() / "mine.txt", "My own saved story", "own story"
    )
    return article_id(path)


def test_user_library_is_listed_after_the_seeds(
    capsys: pytest.CaptureFixture[str], user_article: str
) -> None:
    assert table_ids(run(capsys, "list").out) == [*SEED_IDS, user_article]


@pytest.mark.parametrize("where", ["before", "after"])
def test_library_option_reads_only_that_folder(
    capsys: pytest.CaptureFixture[str],
    folder_library: tuple[Path, list[str]],
    user_article: str,
    where: str,
) -> None:
    folder, ids = folder_library
    argv = (
        ["--library", str(folder), "list"]
        if where == "before"
        else ["list", "--library", str(folder)]
    )
    result = run(capsys, *argv)
    assert result.code == 0
    assert table_ids(result.out) == ids
    assert user_article not in result.out
    json_argv = [*argv, "--json"]
    assert json_ids(run(capsys, *json_argv).out) == ids
    for ident in ids:
        assert show_json(capsys, ident, "--library", str(folder))["id"] == ident
        assert show_json(capsys, "--library", str(folder), ident)["id"] == ident
    # A seed is not part of that library.
    assert_usage_error(run(capsys, "--library", str(folder), "show", SEED_IDS[0]), SEED_IDS[0])


def test_library_environment_variable(
    capsys: pytest.CaptureFixture[str],
    folder_library: tuple[Path, list[str]],
    user_article: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, ids = folder_library
    monkeypatch.setenv(locations.LIBRARY_ENV, str(folder))
    assert table_ids(run(capsys, "list").out) == ids
    assert table_ids(run(capsys).out) == ids
    assert show_json(capsys, ids[0])["id"] == ids[0]
    assert_usage_error(run(capsys, "show", user_article))


def test_library_option_beats_the_environment(
    capsys: pytest.CaptureFixture[str],
    folder_library: tuple[Path, list[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, ids = folder_library
    other = tmp_path / "other"
    path = write_capture(other / "x.txt", "Another folder entirely", "other folder")
    monkeypatch.setenv(locations.LIBRARY_ENV, str(folder))
    assert table_ids(run(capsys, "--library", str(other), "list").out) == [article_id(path)]
    assert table_ids(run(capsys, "list", "--library", str(other)).out) == [article_id(path)]


# --------------------------------------------------------------------------------------------
# add


def test_add_copies_into_the_user_library(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, home: Path
) -> None:
    source = write_capture(
        tmp_path / "in" / "ferry.txt", "Night ferry service returns", "ferry service"
    )
    result = run(capsys, "add", str(source))
    assert result.code == 0, result
    assert result.err == ""
    library = locations.user_library_dir()
    assert library.is_relative_to(home)
    (stored,) = library_files()
    assert stored.parent == library
    assert stored.read_bytes() == source.read_bytes()
    assert source.exists()  # copied, not moved
    ident = article_id(stored)
    assert ident in result.out and "added" in result.out
    assert table_ids(run(capsys, "list").out) == [*SEED_IDS, ident]
    assert show_json(capsys, ident)["title"] == "Night ferry service returns"


def test_add_same_content_twice_is_a_no_op(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = write_capture(tmp_path / "one.txt", "Airport expansion approved", "airport")
    assert run(capsys, "add", str(source)).code == 0
    before = library_files()
    assert len(before) == 1
    again = run(capsys, "add", str(source))
    assert again.code == 0
    assert "already" in again.out
    assert article_id(before[0]) in again.out
    renamed = tmp_path / "elsewhere" / "a different name.txt"
    renamed.parent.mkdir()
    shutil.copyfile(source, renamed)
    third = run(capsys, "add", str(renamed))
    assert third.code == 0
    assert "already" in third.out
    assert library_files() == before
    assert table_ids(run(capsys, "list").out) == [*SEED_IDS, article_id(before[0])]


def test_add_twice_in_one_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = write_capture(tmp_path / "one.txt", "Airport expansion approved", "airport")
    copy = tmp_path / "two.txt"
    shutil.copyfile(source, copy)
    result = run(capsys, "add", str(source), str(copy))
    assert result.code == 0
    assert added_count(result.out) == 1
    assert "already" in result.out
    assert len(library_files()) == 1


@pytest.mark.parametrize("variant", ["copy", "crlf", "utf-16"])
def test_adding_a_seeds_content_is_a_no_op(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, variant: str
) -> None:
    seed = SEED_FILES[1]
    text = seed.read_text(encoding="utf-8")
    target = tmp_path / "seed copy.txt"
    if variant == "copy":
        shutil.copyfile(seed, target)
    elif variant == "crlf":
        target.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    else:
        target.write_bytes(text.encode("utf-16"))
    result = run(capsys, "add", str(target))
    assert result.code == 0
    assert "already" in result.out
    assert SEED_IDS[1] in result.out
    assert library_files() == []
    assert table_ids(run(capsys, "list").out) == SEED_IDS


def test_add_name_collision_keeps_both(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    first = write_capture(tmp_path / "a" / "story.txt", "Rail strike called off", "rail strike")
    second = write_capture(tmp_path / "b" / "story.txt", "Schools reopen after floods", "floods")
    assert run(capsys, "add", str(first)).code == 0
    result = run(capsys, "add", str(second))
    assert result.code == 0
    assert "added" in result.out
    stored = library_files()
    assert len(stored) == 2
    assert {p.read_bytes() for p in stored} == {first.read_bytes(), second.read_bytes()}
    ids = [article_id(p) for p in stored]
    assert len(set(ids)) == 2
    listed = table_ids(run(capsys, "list").out)
    assert listed[:5] == SEED_IDS
    assert sorted(listed[5:]) == sorted(ids)
    titles = {show_json(capsys, i)["title"] for i in ids}
    assert titles == {"Rail strike called off", "Schools reopen after floods"}


def test_add_name_colliding_with_a_seed_keeps_both(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = write_capture(tmp_path / SEED_FILES[0].name, "Entirely new story", "new story")
    result = run(capsys, "add", str(source))
    assert result.code == 0
    (stored,) = library_files()
    assert article_id(stored) not in SEED_IDS
    listed = table_ids(run(capsys, "list").out)
    assert listed == [*SEED_IDS, article_id(stored)]
    assert show_json(capsys, SEED_IDS[0])["title"] != "Entirely new story"


def test_add_bad_file_among_good_ones(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good1 = write_capture(tmp_path / "good1.txt", "Good story one", "first good story")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    good2 = write_capture(tmp_path / "good2.txt", "Good story two", "second good story")
    result = run(capsys, "add", str(good1), str(empty), str(missing), str(good2))
    assert result.code == 2
    assert "Traceback" not in result.err
    errors = result.err.splitlines()
    assert len(errors) == 2
    assert all(line.startswith("summit-reader: error:") for line in errors)
    assert str(empty) in errors[0] and str(missing) in errors[1]
    stored = library_files()
    assert {p.read_bytes() for p in stored} == {good1.read_bytes(), good2.read_bytes()}
    assert added_count(result.out) == 2


def test_add_a_file_over_the_size_cap(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_capture(tmp_path / "big.txt", "A perfectly ordinary headline", "the size cap")
    monkeypatch.setattr(textio, "MAX_BYTES", 64)
    assert_usage_error(run(capsys, "add", str(path)), "too large")
    assert library_files() == []


def test_add_a_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert_usage_error(run(capsys, "add", str(tmp_path)), "directory")
    assert library_files() == []


@pytest.mark.parametrize(
    "name", ["my story (final).txt", 'it\'s "quoted" here.txt', "  spaced   out .txt"]
)
def test_add_names_with_spaces_and_quotes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    source = write_capture(tmp_path / name, "A story with an awkward name", "awkward name")
    result = run(capsys, "add", str(source))
    assert result.code == 0, result
    (stored,) = library_files()
    assert stored.parent == locations.user_library_dir()
    assert stored.suffix == ".txt"
    assert stored.read_bytes() == source.read_bytes()
    ident = article_id(stored)
    assert ident in result.out
    assert ident in table_ids(run(capsys, "list").out)
    assert show_json(capsys, ident)["title"] == "A story with an awkward name"


def test_add_cannot_escape_the_library_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, home: Path
) -> None:
    inbox = tmp_path / "inbox" / "deeper"
    sources = [
        write_capture(inbox / "line\nbreak.txt", "Newline in the name", "newline name"),
        write_capture(inbox / "..txt", "Only dots in the name", "dots name"),
        write_capture(inbox / "...txt", "More dots in the name", "more dots"),
        write_capture(inbox / "tab\tand\\backslash.txt", "Odd characters", "odd characters"),
    ]
    dotted = inbox / ".." / "deeper" / ".." / ".." / "escape.txt"
    write_capture(dotted, "Dot segments in the path", "dot segments")
    sources.append(dotted)
    before_tmp = all_files(tmp_path)
    before_home = all_files(home)
    result = run(capsys, "add", *map(str, sources))
    assert result.code == 0, result
    assert added_count(result.out) == len(sources)
    assert len(result.out.splitlines()) == len(sources)
    library = locations.user_library_dir()
    new = (all_files(home) - before_home) | (all_files(tmp_path) - before_tmp)
    # Besides the copies, only the cleaning cache (files named by a hash, in its own folder).
    cache = locations.cache_dir()
    assert all(p.name[:-5].isalnum() for p in new if cache in p.parents)
    new = {p for p in new if cache not in p.parents}
    assert len(new) == len(sources)
    for path in new:
        assert path.parent == library, path
        assert "\n" not in path.name and "\t" not in path.name
        assert not path.name.startswith(".")
    listed = table_ids(run(capsys, "list").out)
    assert sorted(listed[5:]) == sorted(article_id(p) for p in new)


def test_add_to_a_library_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, folder_library: tuple[Path, list[str]]
) -> None:
    folder, ids = folder_library
    source = write_capture(tmp_path / "new.txt", "Fresh story for the folder", "fresh")
    result = run(capsys, "add", "--library", str(folder), str(source))
    assert result.code == 0
    assert (folder / "new.txt").read_bytes() == source.read_bytes()
    assert library_files() == []
    listed = table_ids(run(capsys, "--library", str(folder), "list").out)
    assert sorted(listed) == sorted([*ids, article_id(folder / "new.txt")])


# --------------------------------------------------------------------------------------------
# dirs


def parse_dirs(output: str) -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in output.splitlines():
        label, _, value = line.partition(":")
        rows[label.strip()] = value.strip()
    return rows


def test_dirs_are_under_the_home(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    result = run(capsys, "dirs")
    assert result.code == 0
    rows = parse_dirs(result.out)
    for label in ("data", "library", "notes store"):
        assert Path(rows[label]).is_relative_to(home), (label, rows[label])
    assert Path(rows["library"]) == locations.user_library_dir()
    assert Path(rows["data"]) == locations.data_dir()
    assert Path(rows["notes store"]).is_relative_to(Path(rows["data"]))
    # Asking where things are creates nothing.
    assert all_files(home) == set()


@pytest.mark.parametrize("where", ["before", "after"])
def test_dirs_with_db_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str
) -> None:
    db = tmp_path / "elsewhere" / "notes.json"
    argv = ["--db", str(db), "dirs"] if where == "before" else ["dirs", "--db", str(db)]
    rows = parse_dirs(run(capsys, *argv).out)
    assert Path(rows["notes store"]) == db
    # And the option does not stick to the next command.
    rows = parse_dirs(run(capsys, "dirs").out)
    assert Path(rows["notes store"]) != db


def test_dirs_with_library_option(
    capsys: pytest.CaptureFixture[str], folder_library: tuple[Path, list[str]]
) -> None:
    folder, _ = folder_library
    rows = parse_dirs(run(capsys, "dirs", "--library", str(folder)).out)
    assert Path(rows["library"]) == folder


# --------------------------------------------------------------------------------------------
# help


@pytest.mark.parametrize("argv", [[], ["list"], ["show"], ["dirs"], ["add"]])
def test_help(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    result = run(capsys, *argv, "--help")
    assert result.code == 0
    assert result.out.startswith("usage:")
    assert "summit-reader" in result.out
    assert "--library" in result.out
    if argv:
        assert argv[0] in result.out.splitlines()[0]
    assert result.err == ""


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from summitreader import __version__

    result = run(capsys, "--version")
    assert result.code == 0
    assert __version__ in result.out


# --------------------------------------------------------------------------------------------
# real processes


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SUMMIT_READER_DEBUG", None)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _run_process(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd,
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )


@pytest.fixture
def console_script() -> Iterator[str]:
    beside = Path(sys.executable).parent / "summit-reader"
    found = str(beside) if beside.exists() else shutil.which("summit-reader")
    if found is None:
        pytest.skip("the summit-reader console script is not installed")
    yield found


def test_python_dash_m(empty_cwd: Path) -> None:
    listed = _run_process([sys.executable, "-m", "summitreader", "list", "--json"], empty_cwd)
    assert listed.returncode == 0, listed.stderr
    assert json_ids(listed.stdout) == SEED_IDS
    shown = _run_process([sys.executable, "-m", "summitreader", "show", SEED_IDS[3]], empty_cwd)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip()
    missing = _run_process([sys.executable, "-m", "summitreader", "show", "zzqqxxw"], empty_cwd)
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr
    assert len(missing.stderr.splitlines()) == 1


def test_console_script(console_script: str, empty_cwd: Path, tmp_path: Path) -> None:
    listed = _run_process([console_script, "list"], empty_cwd)
    assert listed.returncode == 0, listed.stderr
    assert table_ids(listed.stdout) == SEED_IDS
    bogus = _run_process([console_script, "--bogus"], empty_cwd)
    assert bogus.returncode == 2
    assert "Traceback" not in bogus.stderr
    assert len(bogus.stderr.splitlines()) == 1
    folder = tmp_path / "dir"
    folder.mkdir()
    directory = _run_process([console_script, "show", str(folder)], empty_cwd)
    assert directory.returncode == 2
    assert "Traceback" not in directory.stderr
    assert len(directory.stderr.splitlines()) == 1


def test_list_and_show_do_not_import_textual(empty_cwd: Path) -> None:
    code = (
        "import sys\n"
        "from summitreader.cli import main\n"
        "assert main(['list']) == 0\n"
        f"assert main(['show', '{SEED_IDS[0]}']) == 0\n"
        f"assert main(['show', '--json', '--removed', '{SEED_IDS[1]}']) == 0\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
        "print('OK-NO-TEXTUAL')\n"
    )
    proc = _run_process([sys.executable, "-c", code], empty_cwd)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("OK-NO-TEXTUAL")


def test_the_bare_command_skips_the_parser_but_means_the_same() -> None:
    assert vars(bare_arguments()) == vars(build_parser().parse_args([]))
