"""The cleaning cache: an entry is used only when it is exactly what cleaning would give.

Every way an entry can be wrong (truncated, corrupt, another format or cleaner, for another
text, the wrong shape or types, text that could drive a terminal) must send the text back to
the cleaner and rewrite the entry; nothing from a bad entry may reach the caller.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from summitreader.core import cache
from summitreader.core.cache import (
    cache_folder,
    cleaned,
    cleaner_id,
    deferred_writes,
    text_key,
)
from summitreader.core.clean import clean
from summitreader.core.library import Library
from summitreader.core.models import Article, Paragraph, Removed

HERE = Path(__file__).parent
SEEDS = HERE.parents[1] / "seeds"
CORPORA = ("captures", "holdout", "final", "blind")
CAPTURES = sorted(SEEDS.glob("*.txt")) + [
    p for corpus in CORPORA for p in sorted((HERE / corpus).glob("*.txt"))
]
SEED = sorted(SEEDS.glob("*.txt"))[3]


def entry_path(text: str) -> Path:
    return cache_folder() / f"{text_key(text)}.json"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def count_cleaning(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each call of the real cleaner (the cache imports it on a miss)."""
    import summitreader.core.clean as clean_module

    calls: list[str] = []
    real = clean_module.clean

    def counting(text: str) -> Article:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(clean_module, "clean", counting)
    return calls


# -- round trips ------------------------------------------------------------------------------


def test_article_round_trips_through_to_dict_with_every_field() -> None:
    article = Article(
        title="A title",
        source="Wire",
        byline="Jane Doe",
        date="2024-06-19",
        dek="The standfirst.",
        captions=("A caption", "Another"),
        paragraphs=(Paragraph("heading", "Part one"), Paragraph("paragraph", "Body text.")),
        removed=(Removed("Share this", "share-row", 0), Removed("Photo: X", "caption", 2)),
        title_is_fallback=True,
    )
    data = json.loads(json.dumps(article.to_dict()))
    assert data["words"] == 4  # "Part one", "Body text."
    back = Article.from_dict(data)
    assert back == article and back.words == 4
    assert [(r.text, r.reason, r.position) for r in back.removed] == [
        ("Share this", "share-row", 0),
        ("Photo: X", "caption", 2),
    ]
    assert back.text == article.text and back.title_is_fallback


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_cached_article_equals_a_fresh_clean(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fresh = clean(text)
    first = cleaned(text)  # a miss: cleans and writes the entry
    assert entry_path(text).is_file()
    second = cleaned(text)  # a hit: read back from the entry
    assert first == fresh and second == fresh
    assert second.to_dict() == fresh.to_dict()  # removed blocks and positions included
    assert second.words == fresh.words and second.text == fresh.text


def test_library_entries_use_the_cache_and_clean_only_on_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:3]:
        (folder / path.name).write_bytes(path.read_bytes())
    calls = count_cleaning(monkeypatch)
    first = [e.article for e in Library([(folder, "folder")], target=folder).entries()]
    assert len(calls) == 3
    again = [e.article for e in Library([(folder, "folder")], target=folder).entries()]
    assert len(calls) == 3  # every article came from the cache
    assert (
        again == first == [clean(p.read_text(encoding="utf-8")) for p in sorted(folder.iterdir())]
    )


def test_an_edited_capture_is_cleaned_again(monkeypatch: pytest.MonkeyPatch) -> None:
    text = seed_text()
    cleaned(text)
    calls = count_cleaning(monkeypatch)
    edited = text.replace("Putin", "Vladimir Putin", 1)
    assert cleaned(edited) == clean(edited)
    assert calls == [edited]


def test_entries_are_private_files() -> None:
    cleaned(seed_text())
    path = entry_path(seed_text())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


# -- bad entries are ignored and rewritten ----------------------------------------------------


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flip_a_byte_in_the_body(data: bytes) -> bytes:
    at = data.index(b"\n") + len(data) // 2
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _header(data: bytes) -> dict[str, object]:
    header: dict[str, object] = json.loads(data.split(b"\n", 1)[0])
    return header


def _with_header(data: bytes, **changes: object) -> bytes:
    header = {**_header(data), **changes}
    return json.dumps(header, separators=(",", ":")).encode() + b"\n" + data.split(b"\n", 1)[1]


def _signed(data: bytes, body: bytes) -> bytes:
    """The entry ``data`` with ``body`` in place of its own, and a checksum that matches it."""
    check = hashlib.blake2b(body, digest_size=16).hexdigest()
    return _with_header(data, body=check).split(b"\n", 1)[0] + b"\n" + body


def _with_body(data: bytes, edit: Callable[[dict[str, object]], object]) -> bytes:
    """A new body made by ``edit`` from the old one, with a header that matches it."""
    body = json.loads(data.split(b"\n", 1)[1])
    return _signed(data, json.dumps(edit(body), ensure_ascii=False).encode())


def _retitled(body: dict[str, object], title: object) -> dict[str, object]:
    return {**body, "title": title}


BAD_ENTRIES: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda data: b"",
    "truncated": _truncate,
    "header only": lambda data: data.split(b"\n", 1)[0],
    "not json": lambda data: b"\x00\xff garbage \n{{{",
    "not utf-8": lambda data: data.split(b"\n", 1)[0] + b"\n\xff\xfe\xfd",
    "a flipped byte": _flip_a_byte_in_the_body,
    "another format": lambda data: _with_header(data, format=cache.CACHE_FORMAT + 1),
    "format as a boolean": lambda data: _with_header(data, format=True),
    "another cleaner": lambda data: _with_header(data, cleaner="0" * 32),
    "another text": lambda data: _with_header(data, text="0" * 64),
    "header a list": lambda data: b"[1, 2]\n" + data.split(b"\n", 1)[1],
    "body a list": lambda data: _with_body(data, lambda body: [body]),
    "title a number": lambda data: _with_body(data, lambda body: _retitled(body, 7)),
    "a missing field": lambda data: _with_body(
        data, lambda body: {k: v for k, v in body.items() if k != "dek"}
    ),
    "an extra field": lambda data: _with_body(data, lambda body: {**body, "extra": 1}),
    "an unknown paragraph kind": lambda data: _with_body(
        data, lambda body: {**body, "paragraphs": [{"kind": "table", "text": "x"}]}
    ),
    "a negative position": lambda data: _with_body(
        data,
        lambda body: {**body, "removed": [{"text": "x", "reason": "promo", "position": -1}]},
    ),
    "a word count as a string": lambda data: _with_body(data, lambda body: {**body, "words": "12"}),
    "a negative word count": lambda data: _with_body(data, lambda body: {**body, "words": -1}),
    "a position as a boolean": lambda data: _with_body(
        data,
        lambda body: {**body, "removed": [{"text": "x", "reason": "promo", "position": True}]},
    ),
    "an escape sequence": lambda data: _with_body(
        data, lambda body: _retitled(body, "\x1b]0;pwned\x07Title")
    ),
    "a bidi override": lambda data: _with_body(
        data, lambda body: _retitled(body, "Title \u202egnp.exe")
    ),
    "deeply nested": lambda data: _signed(data, b"[" * 100_000 + b"]" * 100_000),
    "not utf-8 (signed)": lambda data: _signed(data, b'{"title": "\xff\xfe"}'),
}


@pytest.mark.parametrize("damage", list(BAD_ENTRIES), ids=str)
def test_a_bad_entry_is_ignored_and_rewritten(damage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = seed_text()
    fresh = clean(text)
    cleaned(text)
    path = entry_path(text)
    good = path.read_bytes()
    path.write_bytes(BAD_ENTRIES[damage](good))
    calls = count_cleaning(monkeypatch)
    assert cleaned(text) == fresh
    assert calls == [text], "the bad entry was trusted"
    assert path.read_bytes() == good  # rewritten
    assert cleaned(text) == fresh and calls == [text]  # and used from then on


def test_the_bad_entries_above_really_differ_from_a_good_one() -> None:
    cleaned(seed_text())
    good = entry_path(seed_text()).read_bytes()
    for name, damage in BAD_ENTRIES.items():
        assert damage(good) != good, name
    # The re-signed bodies pass the checksum: they are refused for their content.
    signed = BAD_ENTRIES["title a number"](good)
    assert _header(signed)["body"] != _header(good)["body"]


def test_an_entry_named_for_another_text_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = (p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))[:2])
    cleaned(first)
    # A valid entry for the first text, copied under the second text's name.
    entry_path(second).write_bytes(entry_path(first).read_bytes())
    calls = count_cleaning(monkeypatch)
    assert cleaned(second) == clean(second)
    assert calls == [second]


def test_the_cleaner_id_covers_every_core_module_cleaning_imports() -> None:
    # A module the cleaner imports (even through another) that the id leaves out would let
    # a change to it keep serving articles cleaned the old way.
    import ast

    core = Path(cache.__file__).resolve().parent
    seen: set[str] = set()
    todo = ["clean"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = ast.parse((core / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "summitreader.core":
                    todo += [alias.name for alias in node.names]
                elif node.module.startswith("summitreader.core."):
                    todo.append(node.module.rsplit(".", 1)[1])
    assert {"clean", "rules", "dates", "models", "textio", "words"} <= seen
    assert {f"{name}.py" for name in seen} == set(cache.CLEANER_MODULES)


def test_a_changed_cleaner_source_invalidates_every_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = seed_text()
    cleaned(text)
    before = cleaner_id()
    assert before is not None
    copy = tmp_path / "core"
    copy.mkdir()
    for name in cache.CLEANER_MODULES:
        (copy / name).write_bytes((Path(cache.__file__).parent / name).read_bytes())
    with (copy / "rules.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a rule changed\n")
    monkeypatch.setattr(cache, "__file__", str(copy / "cache.py"))
    cleaner_id.cache_clear()
    try:
        assert cleaner_id() not in (None, before)
        calls = count_cleaning(monkeypatch)
        assert cleaned(text) == clean(text) and calls == [text]
    finally:
        cleaner_id.cache_clear()


def test_without_the_cleaner_source_nothing_is_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "__file__", str(tmp_path / "nowhere" / "cache.py"))
    cleaner_id.cache_clear()
    try:
        assert cleaner_id() is None
        assert cleaned(seed_text()) == clean(seed_text())
        assert not cache_folder().exists()
    finally:
        cleaner_id.cache_clear()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX, not root")
def test_an_unwritable_cache_only_costs_the_cleaning(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = cache_folder()
    folder.mkdir(parents=True)
    folder.chmod(0o500)
    try:
        calls = count_cleaning(monkeypatch)
        assert cleaned(seed_text()) == clean(seed_text())
        assert cleaned(seed_text()) == clean(seed_text())
        assert len(calls) == 2 and not list(folder.iterdir())
    finally:
        folder.chmod(0o700)


def test_a_cache_path_that_is_a_file_only_costs_the_cleaning() -> None:
    folder = cache_folder()
    folder.parent.mkdir(parents=True)
    folder.write_text("not a folder", encoding="utf-8")
    assert cleaned(seed_text()) == clean(seed_text())


def test_text_that_cannot_be_utf8_is_cleaned_and_not_cached() -> None:
    text = "A title\n\nA lone surrogate \ud800 in a body paragraph that goes on for a while."
    assert cleaned(text) == clean(text)
    assert not entry_path(text).exists()


def test_the_cache_lives_under_the_home_override() -> None:
    cleaned(seed_text())
    home = Path(os.environ["SUMMIT_READER_HOME"])
    assert home / "cache" / "articles" == cache_folder()
    assert entry_path(seed_text()).is_relative_to(home)


def test_deferred_writes_wait_for_write_and_touch_only_this_thread() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))[:3]]
    elsewhere: list[bool] = []
    with deferred_writes() as later:
        assert [cleaned(t) for t in texts] == [clean(t) for t in texts]
        assert not any(entry_path(t).exists() for t in texts)  # kept back
        other = threading.Thread(target=lambda: elsewhere.append(bool(cleaned(seed_text()))))
        other.start()
        other.join()
        assert entry_path(seed_text()).exists()  # another thread writes as usual
    assert len(later.pending) == 3
    later.write(cancelled=lambda: len(later.pending) == 1)  # stops when asked
    assert [entry_path(t).exists() for t in texts] == [True, True, False]
    later.write()
    assert all(entry_path(t).exists() for t in texts) and not later.pending
    assert cleaned(texts[2]) == clean(texts[2])
