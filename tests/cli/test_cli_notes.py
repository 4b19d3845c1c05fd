"""The note commands end to end through ``main()``: highlight, notes, note, delete, undelete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summitreader.cli import main
from summitreader.core import locations
from summitreader.core.library import article_id

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED = SEEDS / "002_54ba44b01db43165.txt"
SEED_ID = article_id(SEED)
QUOTE = "Putin began his state visit to Pyongyang early Wednesday morning"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def notes_json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, object]]:
    code, out, err = run(capsys, "notes", "--json", *argv)
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, list)
    return data


def one_line_error(code: int, err: str) -> None:
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("summit-reader: error:")
    assert "Traceback" not in err


def store_bytes() -> bytes | None:
    path = locations.store_path()
    return path.read_bytes() if path.exists() else None


def test_highlight_then_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "highlight",
        SEED_ID,
        QUOTE,
        "--note",
        "Arrival *time*",
        "--tag",
        "timeline",
        "--color",
        "green",
    )
    assert code == 0, err
    new_id = out.strip()
    assert len(new_id) == 36
    [item] = notes_json(capsys)
    assert item["id"] == new_id and item["article_id"] == SEED_ID
    assert item["exact"] == QUOTE and item["status"] == "exact"
    assert item["color"] == "green" and item["note"] == "Arrival *time*"
    assert item["tags"] == ["timeline"]
    code, out, _ = run(capsys, "show", SEED_ID, "--json")
    text = "\n\n".join(p["text"] for p in json.loads(out)["paragraphs"])
    assert text[item["start"] : item["end"]] == QUOTE  # type: ignore[misc]
    code, out, _ = run(capsys, "notes")
    assert new_id[:8] in out and "timeline" in out and "Arrival" in out


def test_highlight_tolerates_quote_style_and_spaces(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "highlight", SEED_ID, "Putin  began his\nstate visit")
    assert code == 0, err
    [item] = notes_json(capsys)
    assert item["exact"] == "Putin began his state visit"


def test_quote_not_found_or_ambiguous_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "highlight", SEED_ID, "words that are not in the article")
    one_line_error(code, err)
    code, _, err = run(capsys, "highlight", SEED_ID, "Pyongyang")
    one_line_error(code, err)
    assert "--occurrence" in err and "1:" in err and "2:" in err
    assert store_bytes() is None or notes_json(capsys) == []
    code, out, err = run(capsys, "highlight", SEED_ID, "Pyongyang", "--occurrence", "2")
    assert code == 0, err
    [item] = notes_json(capsys)
    texts = json.loads(run(capsys, "show", SEED_ID, "--json")[1])["paragraphs"]
    text = "\n\n".join(p["text"] for p in texts)
    first = text.index("Pyongyang")
    assert item["start"] == text.index("Pyongyang", first + 1)


@pytest.mark.parametrize(
    "argv",
    [
        ["highlight", "nope", QUOTE],
        ["highlight", SEED_ID, QUOTE, "--color", "mauve"],
        ["highlight", SEED_ID, "Pyongyang", "--occurrence", "99"],
        ["highlight", SEED_ID, "   "],
        ["note", "ffffffff", "--set", "x"],
        ["delete", "ffffffff"],
        ["notes", "nope"],
    ],
)
def test_errors_are_one_line_and_write_nothing(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    before = store_bytes()
    code, _, err = run(capsys, *argv)
    one_line_error(code, err)
    assert store_bytes() == before


def test_edit_note_tags_colour(capsys: pytest.CaptureFixture[str]) -> None:
    new_id = run(capsys, "highlight", SEED_ID, QUOTE, "--tag", "a")[1].strip()
    prefix = new_id[:8]
    assert run(capsys, "note", prefix, "--set", "Line one\nline two")[0] == 0
    assert run(capsys, "note", prefix, "--tag", "b", "--tag", "#c", "--untag", "a")[0] == 0
    assert run(capsys, "note", prefix, "--color", "purple")[0] == 0
    [item] = notes_json(capsys)
    assert item["note"] == "Line one\nline two"
    assert item["tags"] == ["b", "c"]
    assert item["color"] == "purple"
    assert item["updated"] >= item["created"]  # type: ignore[operator]
    code, _, err = run(capsys, "note", prefix)
    one_line_error(code, err)


def test_delete_and_undelete(capsys: pytest.CaptureFixture[str]) -> None:
    keep = run(capsys, "highlight", SEED_ID, QUOTE)[1].strip()
    gone = run(capsys, "highlight", SEED_ID, "Kim and the Russian leader greeted each other")[1]
    gone = gone.strip()
    assert run(capsys, "delete", gone[:8])[0] == 0
    assert [i["id"] for i in notes_json(capsys)] == [keep]
    code, out, _ = run(capsys, "undelete")
    assert code == 0 and gone in out
    assert sorted(i["id"] for i in notes_json(capsys)) == sorted([keep, gone])
    code, _, err = run(capsys, "undelete")
    one_line_error(code, err)


def test_notes_in_reading_order(capsys: pytest.CaptureFixture[str]) -> None:
    later = "Following his trip to Pyongyang, Putin will fly to Vietnam"
    earlier = "Russian President Vladimir Putin arrived in Pyongyang on Wednesday"
    run(capsys, "highlight", SEED_ID, later)
    run(capsys, "highlight", SEED_ID, earlier)
    assert [i["exact"] for i in notes_json(capsys, SEED_ID)] == [earlier, later]


def test_reanchor_after_editing_an_added_article(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "summit.txt"
    source.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    # A user's own capture, then the same file re-captured with an edit.
    own = tmp_path / "own.txt"
    body = [
        "Leaders meet in the northern capital for talks",
        "By Jane Doe",
        "The two leaders met on Tuesday for talks that lasted well into the evening hours.",
        "Officials said the agreement covers trade, energy and the movement of workers.",
        "Critics said the deal was vague and left the hardest questions for later rounds.",
    ]
    own.write_text("\n\n".join(body) + "\n", encoding="utf-8")
    assert run(capsys, "add", str(own))[0] == 0
    ident = json.loads(run(capsys, "list", "--json")[1])[-1]["id"]
    moved = "the agreement covers trade, energy and the movement of workers"
    gone = "the deal was vague"
    moved_id = run(capsys, "highlight", ident, moved)[1].strip()
    gone_id = run(capsys, "highlight", ident, gone)[1].strip()

    stored = locations.user_library_dir() / "own.txt"
    edited = body[:2] + ["A new first paragraph was added when the page was updated."] + body[2:4]
    stored.write_text("\n\n".join(edited) + "\n", encoding="utf-8")

    items = {i["id"]: i for i in notes_json(capsys, ident)}
    assert items[moved_id]["status"] in ("moved", "exact")
    text = "\n\n".join(
        p["text"] for p in json.loads(run(capsys, "show", ident, "--json")[1])["paragraphs"]
    )
    assert text[items[moved_id]["start"] : items[moved_id]["end"]] == moved  # type: ignore[misc]
    assert items[gone_id]["status"] == "orphan"
    orphans = notes_json(capsys, "--orphans")
    assert [o["id"] for o in orphans] == [gone_id]
    assert orphans[0]["exact"] == gone  # the stored quote survives
    # Re-anchoring was saved: the store now records the new text's hash.
    raw = locations.store_path().read_text(encoding="utf-8")
    assert moved in raw and gone in raw


def test_db_option_moves_the_store(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "elsewhere" / "notes.json"
    assert run(capsys, "--db", str(db), "highlight", SEED_ID, QUOTE)[0] == 0
    assert db.exists()
    assert not locations.store_path().exists() or str(locations.store_path()) == str(db)


HOSTILE = "\x1b]0;owned\x07 [@click=app.quit] \x9b31m \u202eevil\u202c [/] [$var]"


def test_hostile_notes_are_stored_verbatim_and_never_reach_the_terminal_raw(
    capsys: pytest.CaptureFixture[str],
) -> None:
    new_id = run(capsys, "highlight", SEED_ID, QUOTE, "--note", HOSTILE, "--tag", "\x1b[2J")[1]
    [item] = notes_json(capsys)
    assert item["note"] == HOSTILE  # json.loads gives back the exact text
    code, out, _ = run(capsys, "notes", "--json")
    code2, text_out, _ = run(capsys, "notes")
    for output in (out, text_out):
        for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\u202c"):
            assert bad not in output
    assert new_id.strip()[:8] in text_out
