"""Export and import over any store, and any file offered to ``import``.

* Export then import reproduces the store: any annotations (hostile notes, tags and quotes,
  orphans, articles no longer in the library) exported as W3C and imported into an empty
  store give the same annotations, every field; the Markdown export of the same store reads
  back, in an editor's parser, to the same quotes, notes, tags and colours.
* Any JSON offered to ``import`` is read or refused with one line; a wrong type in any
  field is never let through, a missing required field is refused, a repeated key is
  refused (programs disagree on which value counts).
* Export file names derived from any title and any article id stay one plain name inside
  the target folder.

Example counts scale with ``SUMMIT_READER_FUZZ`` (see :mod:`tests.core.fuzz`).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import math
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from summitreader.core.annotations import COLORS, Annotation, Selector
from summitreader.core.export import (
    ExportError,
    file_name,
    gather,
    import_annotations,
    parse_import,
    render,
    write_folder,
)
from summitreader.core.export_md import ArticleNotes, block_id
from summitreader.core.export_md import clean as as_exported
from summitreader.core.library import Library, LibraryEntry
from summitreader.core.models import Article, text_hash
from summitreader.core.store import Store
from summitreader.core.w3c import collection, dumps

from .export_support import observed, parse_export
from .fuzz import fuzz_settings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@functools.cache
def seed_entries() -> tuple[LibraryEntry, ...]:
    """The bundled captures, cleaned once for every example."""
    entries = tuple(Library.from_environment(SEEDS).entries())
    for entry in entries:
        assert entry.article.text  # clean now, not inside a timed example
    return entries


# Text as hostile as it gets: controls, escapes, markup, Markdown and YAML structure, lone
# surrogates (a broken paste), line and paragraph separators.
HOSTILE = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec=None), max_size=12),
    st.sampled_from(
        [
            "", "# #a", "\x1b]0;owned\x07", "\x1b]52;c;aGk=\x07", "[@click=app.quit]x[/]",
            "[link=file:///etc/passwd]x[/link]", "[$var]", "---\ntitle: x\n---", "```",
            "<!--", "%%", "> [!note]", "\u202eevil", "\ud800", "a\u2028b\r\nc", "\x00",
        ]
    ),
)  # fmt: skip
TIMES = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31))
TIMES = TIMES.map(lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z")
IDS = st.one_of(
    st.uuids().map(str),
    st.from_regex(r"https?://example\.org/anno/[A-Za-z0-9._~%-]{1,20}", fullmatch=True),
)


@st.composite
def stored_annotations(draw: st.DrawFn) -> list[Annotation]:
    """Annotations a store may hold: placed on the seeds, orphaned, on a missing article."""
    entries = seed_entries()
    made: list[Annotation] = []
    for ident in draw(st.lists(IDS, max_size=6, unique=True)):
        created = draw(TIMES)
        kind = draw(st.sampled_from(["placed", "gone", "missing"]))
        if kind == "placed":
            entry = draw(st.sampled_from(entries))
            text = entry.article.text
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, min(len(text), start + 300)))
            article_id, digest = entry.id, text_hash(text)
            selector = Selector.from_span(text, start, end)
        else:  # words no seed has, or an article not in the library at all
            article_id = draw(st.sampled_from(entries)).id if kind == "gone" else "deadbeef"
            digest = draw(st.sampled_from(["", "0123456789abcdef"]))
            start = draw(st.integers(0, 10_000))
            selector = Selector(
                "zq" + draw(HOSTILE),
                draw(HOSTILE),
                draw(HOSTILE),
                start,
                start + draw(st.integers(1, 300)),
            )
        made.append(
            Annotation(
                id=ident,
                article_id=article_id,
                article_hash=digest,
                selector=selector,
                color=draw(st.sampled_from(COLORS)),
                note=draw(HOSTILE),
                tags=tuple(draw(st.lists(HOSTILE, max_size=4))),
                created=created,
                updated=draw(st.sampled_from([created, draw(TIMES)])),
                # an orphan on an article that left the library keeps its flag in the store;
                # the export does not carry it (see the test)
                orphan=kind == "gone",
            )
        )
    return made


@functools.cache
def _scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="roundtrip-"))


def _store_dicts(store: Store) -> dict[str, dict[str, Any]]:
    return {a.id: a.to_dict() for a in store.all()}


@fuzz_settings(60)
@given(stored_annotations())
def test_export_then_import_into_an_empty_store_reproduces_it(items: list[Annotation]) -> None:
    entries = seed_entries()
    with tempfile.TemporaryDirectory(dir=_scratch()) as folder:
        with Store(Path(folder) / "a.json") as source:
            for annotation in items:
                source.add(annotation)
            groups = gather(source, entries)  # resolves, and saves what it re-anchored
            exported = render(groups, "w3c")
            markdown = render(groups, "markdown")
            before = _store_dicts(source)
        with Store(Path(folder) / "b.json") as target:
            report = import_annotations(target, entries, parse_import(exported.encode("utf-8")))
            after = _store_dicts(target)
            again = render(gather(target, entries), "w3c")
    assert report.added == len(items) and report.updated == report.unchanged == 0
    # The orphan flag is not exported (it is worked out against the library on import); on
    # an article outside the library it cannot be, and nothing reads it there.
    for record in before.values():
        if record["article_id"] == "deadbeef":
            record["orphan"] = False
    assert after == before
    assert again == exported  # the same bytes, exported from the imported store
    if groups:
        _reads_back(markdown, groups)


def _reads_back(markdown: str, groups: list[ArticleNotes]) -> None:
    """The Markdown, parsed as an editor would, shows every quote, note, tag and colour.

    As the export writes stored text: controls removed, line breaks normalised, a lone
    surrogate (which has no UTF-8 form) as U+FFFD; an IRI id hashed into a block id.
    """
    parsed = parse_export(markdown)
    assert len(parsed.articles) == len(groups)
    for article, group in zip(parsed.articles, groups, strict=True):
        wanted = [
            {
                "section": "Orphaned highlights" if n.status == "orphan" else "Highlights",
                "quote": as_exported(n.annotation.exact),
                "block_id": block_id(n.annotation.id),
                "colour": n.annotation.color,
                "tags": [as_exported(t) for t in n.annotation.tags],
                "note": as_exported(n.annotation.note) if n.annotation.note else None,
            }
            for n in group.notes
        ]
        assert [observed(a) for a in article.annotations] == wanted


# -- any file offered to import ---------------------------------------------------------------

NOTE = Annotation(
    id="0b6a5c1e-1d2f-4f8e-9b1a-7c2d3e4f5a6b",
    article_id="39240234",
    article_hash="e9e4bc1211cafa24",
    selector=Selector("the quote", "before ", " after", 10, 19),
    color="blue",
    note="A *note*",
    tags=("timeline", "middle east"),
    created="2024-06-20T09:00:00.000Z",
    updated="2024-06-21T10:30:00.500Z",
)
GOOD: dict[str, Any] = json.loads(dumps(collection([NOTE], "x")))


def _check_result(result: list[Annotation]) -> None:
    """Whatever an import lets through has the types the store and the reader rely on."""
    for annotation in result:
        for name in ("id", "article_id", "article_hash", "note", "created", "updated"):
            assert type(getattr(annotation, name)) is str, name
        assert annotation.color in COLORS
        assert all(type(tag) is str for tag in annotation.tags)
        sel = annotation.selector
        assert all(type(v) is str for v in (sel.exact, sel.prefix, sel.suffix)) and sel.exact
        assert all(type(v) is int for v in (sel.start, sel.end)) and 0 <= sel.start <= sel.end
        assert not annotation.orphan


def _read_or_refuse(data: bytes) -> list[Annotation] | None:
    """The annotations in ``data``, or ``None`` after checking the refusal is one line."""
    try:
        result = parse_import(data, "notes.json")
    except ExportError as exc:
        message = str(exc)
        assert message.startswith("cannot import notes.json: ")
        assert "\n" not in message and "\r" not in message and len(message) < 400
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in message)
        return None
    _check_result(result)
    return result


KEYS = st.sampled_from(
    [
        "type", "@type", "id", "first", "items", "next", "total", "target", "source",
        "selector", "exact", "prefix", "suffix", "start", "end", "body", "bodyValue", "value",
        "purpose", "created", "modified", "styleClass", "state", "cached", "x",
    ]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),  # infinities written as 1e999 below
    st.text(max_size=10),
    st.sampled_from(
        [
            "Annotation", "AnnotationPage", "AnnotationCollection", "TextQuoteSelector",
            "TextPositionSelector", "TextualBody", "tagging", "commenting", "TimeState",
            "urn:summit-reader:article:39240234", "urn:summit-reader:text:abc",
            "2024-06-20T09:00:00Z", "summit-reader-blue",
        ]
    ),
)  # fmt: skip
ANY_JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=25,
)


def _encode(value: object) -> bytes:
    return json.dumps(value).replace("Infinity", "1e999").encode("utf-8")


@fuzz_settings(300)
@given(ANY_JSON)
def test_any_json_is_read_or_refused_in_one_line(value: object) -> None:
    _read_or_refuse(_encode(value))


def _paths(node: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every key and index in a JSON document, parents first."""
    if isinstance(node, dict):
        for key, child in node.items():
            yield (*path, key)
            yield from _paths(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield (*path, index)
            yield from _paths(child, (*path, index))


def _changed(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    doc = copy.deepcopy(GOOD)
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


_DELETE = object()
WRONG = [None, True, 0, -1, 1.5, math.inf, 10**400, "", [], [[]], {}, {"x": 1}]
PATHS = list(_paths(GOOD))
ITEM = ("first", "items", 0)
# Fields the import keeps (or that decide what it keeps), and the type each must have.
KEPT_STRINGS = {
    (*ITEM, "id"), (*ITEM, "created"), (*ITEM, "modified"), (*ITEM, "target", "source"),
    (*ITEM, "target", "styleClass"), (*ITEM, "target", "selector", 0, "exact"),
    (*ITEM, "target", "selector", 0, "prefix"), (*ITEM, "target", "selector", 0, "suffix"),
    (*ITEM, "body", 0, "value"), (*ITEM, "body", 1, "value"), (*ITEM, "body", 2, "value"),
}  # fmt: skip
#: One link or a list of them; null is no link.
CACHED = (*ITEM, "target", "state", "cached")
KEPT_COUNTS = {(*ITEM, "target", "selector", 1, "start"), (*ITEM, "target", "selector", 1, "end")}
REQUIRED = KEPT_COUNTS | {
    (*ITEM, "id"), (*ITEM, "type"), (*ITEM, "created"), (*ITEM, "target"),
    (*ITEM, "target", "source"), (*ITEM, "target", "selector"),
    (*ITEM, "target", "selector", 0, "exact"), ("first",), ("type",),
}  # fmt: skip


def test_the_mutation_table_covers_the_document() -> None:
    assert set(PATHS) >= KEPT_STRINGS | REQUIRED | {CACHED}
    assert len(PATHS) > 40


@pytest.mark.parametrize("path", PATHS, ids=lambda p: ".".join(map(str, p)))
def test_a_wrong_type_or_a_missing_field_anywhere_is_refused_or_harmless(
    path: tuple[str | int, ...],
) -> None:
    """Every field of a real export, replaced by every wrong type, and deleted."""
    for value in [*WRONG, _DELETE]:
        result = _read_or_refuse(_encode(_changed(path, value)))
        if path in KEPT_STRINGS and value is not _DELETE and not isinstance(value, str):
            assert result is None, (path, value)
        if path == CACHED and not isinstance(value, (str, list)) and value not in (None, _DELETE):
            assert result is None, (path, value)
        count = type(value) is int and value >= 0  # type: ignore[operator]
        if path in KEPT_COUNTS and value is not _DELETE and not count:
            assert result is None, (path, value)
        if path in REQUIRED and value is _DELETE:
            assert result is None, (path, "deleted")


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b'{"id": 5, "id": "urn:x:1"}', "id"),
        (_encode(GOOD)[:-1] + b', "type": "AnnotationCollection"}', "type"),
        (
            _encode(GOOD).replace(b'"start": 10', b'"start": 10, "start": 11'),
            "start",
        ),
        (b'{"type": "AnnotationPage", "items": [{"a": {"\\u0000": 1, "\\u0000": 2}}]}', "\x00"),
    ],
    ids=["first one wrong", "top level", "deep inside", "a control key"],
)
def test_a_repeated_key_is_refused_whichever_value_comes_first(data: bytes, key: str) -> None:
    assert _read_or_refuse(_encode(GOOD)) == [NOTE]
    with pytest.raises(ExportError, match=re.escape(f"the key {key!r} appears twice in one")):
        parse_import(data, "notes.json")
    assert _read_or_refuse(data) is None


# -- export file names -----------------------------------------------------------------------


@fuzz_settings(150)
@given(
    st.text(st.characters(codec=None), max_size=300),
    st.one_of(
        st.from_regex(r"[0-9a-f]{8}", fullmatch=True),
        st.text(st.characters(codec=None), min_size=1, max_size=80),
    ),
)
@example("../../etc/passwd", "../../x")
@example("CON", "nul")
@example(".", ".")
@example("\x00/\\", "a/b")
def test_export_file_names_stay_one_plain_name_in_the_folder(title: str, ident: str) -> None:
    group = ArticleNotes(ident, Article(title or "T"), ())
    for fmt, suffix in (("markdown", ".md"), ("w3c", ".json")):
        name = file_name(group, fmt)  # type: ignore[arg-type]
        stem = name[: -len(suffix)]
        assert name.endswith(suffix) and stem.replace("-", "").isalnum(), name
        assert not name.startswith((".", "-")) and len(name.encode("utf-8")) < 255
    with tempfile.TemporaryDirectory(dir=_scratch()) as scratch:
        folder = Path(scratch) / "out"
        [path] = write_folder(folder, [group], "markdown")
        assert path.parent == folder and path.resolve().parent == folder.resolve()
        assert [p.name for p in Path(scratch).rglob("*")] == ["out", path.name]


def test_hostile_titles_and_ids_never_clash_in_one_folder(tmp_path: Path) -> None:
    """Titles that slug alike and ids that hash alike still give one file per article."""
    groups = [
        ArticleNotes("a1b2c3d4", Article("Same Title"), ()),
        ArticleNotes("A1B2C3D4", Article("same title!"), ()),  # not an id: hashed
        ArticleNotes("a1b2c3d4", Article("SAME TITLE"), ()),  # the same id again
    ]
    paths = write_folder(tmp_path, groups, "markdown")
    assert len({p.name.casefold() for p in paths}) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
