"""The W3C Web Annotation export: its shape, reading it back, refusing what is not it."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summitreader.core.annotations import COLORS, Annotation, Selector
from summitreader.core.export import ExportError, gather, import_annotations, parse_import
from summitreader.core.library import Library
from summitreader.core.store import Store
from summitreader.core.w3c import W3CError, collection, dumps, loads, to_w3c

from .export_support import MISSING_ARTICLE, sample_annotations, store_with_samples
from .fuzz import fuzz_settings

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


def test_an_annotation_in_the_web_annotation_model() -> None:
    data = to_w3c(NOTE)
    assert data["id"] == "urn:uuid:0b6a5c1e-1d2f-4f8e-9b1a-7c2d3e4f5a6b"
    assert data["type"] == "Annotation" and data["motivation"] == "commenting"
    assert (data["created"], data["modified"]) == (NOTE.created, NOTE.updated)
    assert data["body"] == [
        {
            "type": "TextualBody",
            "purpose": "commenting",
            "value": "A *note*",
            "format": "text/markdown",
        },
        {"type": "TextualBody", "purpose": "tagging", "value": "timeline"},
        {"type": "TextualBody", "purpose": "tagging", "value": "middle east"},
    ]
    target = data["target"]
    assert target["source"] == "urn:summit-reader:article:39240234"
    assert target["selector"] == [
        {
            "type": "TextQuoteSelector",
            "exact": "the quote",
            "prefix": "before ",
            "suffix": " after",
        },
        {"type": "TextPositionSelector", "start": 10, "end": 19},
    ]
    assert target["styleClass"] == "summit-reader-blue"
    assert ".summit-reader-blue " in data["stylesheet"]["value"]
    assert data["stylesheet"]["type"] == "CssStylesheet"
    assert target["state"] == {
        "type": "TimeState",
        "sourceDate": NOTE.updated,
        "cached": "urn:summit-reader:text:e9e4bc1211cafa24",
    }
    plain = to_w3c(dataclasses.replace(NOTE, note="", tags=()))
    assert plain["motivation"] == "highlighting" and "body" not in plain


def test_a_collection_embeds_its_one_page() -> None:
    data = collection([NOTE], "Label")
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 1
    assert data["first"]["type"] == "AnnotationPage" and data["first"]["items"] == [to_w3c(NOTE)]
    assert data["id"].startswith("urn:uuid:") and data["id"] == collection([NOTE], "Label")["id"]
    assert data["id"] != collection([], "Label")["id"]


def test_reading_back_gives_the_same_annotations() -> None:
    others = [dataclasses.replace(NOTE, id="http://example.org/anno/1", note="", tags=())]
    assert loads(dumps(collection([NOTE, *others], "x"))) == [NOTE, *others]
    assert loads(json.dumps(to_w3c(NOTE))) == [NOTE]  # one annotation on its own
    assert loads(json.dumps(collection([NOTE], "x")["first"])) == [NOTE]  # a page
    assert loads(json.dumps([to_w3c(NOTE)])) == [NOTE]  # a list


def test_other_tools_annotations_are_read_leniently_where_it_is_safe() -> None:
    data = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "http://example.org/anno/9",
        "type": "Annotation",
        "created": "2015-01-28T12:00:00+01:00",
        "bodyValue": "Comment text",
        "target": {
            "source": "http://example.org/page1",
            "selector": {"type": "TextQuoteSelector", "exact": "anotation"}
            | {"prefix": "this is an ", "suffix": " that has"},
        },
    }
    data["target"]["selector"] = [
        data["target"]["selector"],
        {"type": "TextPositionSelector", "start": 412, "end": 421},
    ]
    [annotation] = loads(json.dumps(data))
    assert annotation.id == "http://example.org/anno/9"
    assert annotation.article_id == "http://example.org/page1"
    assert annotation.note == "Comment text" and annotation.color == "yellow"
    assert annotation.created == annotation.updated == "2015-01-28T11:00:00.000Z"
    assert annotation.article_hash == ""


texts = st.text(max_size=30)  # any code points, controls and lone surrogates included


@st.composite
def annotations(draw: st.DrawFn, n: int = 0) -> Annotation:
    start = draw(st.integers(0, 10_000))
    return Annotation(
        id=draw(st.uuids()).__str__(),
        article_id=draw(st.from_regex(r"[0-9a-f]{8}", fullmatch=True)),
        article_hash=draw(st.from_regex(r"[0-9a-f]{16}", fullmatch=True) | st.just("")),
        selector=Selector(
            draw(texts.filter(bool)),
            draw(texts),
            draw(texts),
            start,
            start + draw(st.integers(0, 99)),
        ),
        color=draw(st.sampled_from(COLORS)),
        note=draw(texts),
        tags=tuple(draw(st.lists(texts, max_size=4))),
        created=f"2024-06-{draw(st.integers(10, 28))}T09:00:00.{draw(st.integers(0, 999)):03d}Z",
    )


@fuzz_settings(200)
@given(st.lists(annotations(), max_size=5, unique_by=lambda a: a.id))
def test_any_annotations_survive_the_round_trip(items: list[Annotation]) -> None:
    text = dumps(collection(items, "x"))
    text.encode("utf-8")  # always encodable, even with lone surrogates in a note
    assert not any(0 < ord(c) < 32 and c not in "\n" for c in text)  # nothing drives a terminal
    assert loads(text) == items


# -- refusing what is not an export ------------------------------------------------------------


def _doc(**changes: Any) -> dict[str, Any]:
    data = json.loads(dumps(collection([NOTE], "x")))
    item = data["first"]["items"][0]
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = item
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        if value is KeyError:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value
    return data


MALFORMED: list[tuple[str, bytes]] = [
    ("empty", b""),
    ("not json", b"{not json"),
    ("binary", b"\x00\x01\x02\xff\xfe"),
    ("latin-1", '{"a": "café"}'.encode("latin-1")),
    ("deeply nested", b"[" * 100_000 + b"]" * 100_000),
    ("nested lists where an annotation goes", json.dumps([[[[[["x"]]]]]]).encode()),
    ("NaN", b'{"type": "Annotation", "x": NaN}'),
    ("top-level string", b'"hello"'),
    ("wrong type", json.dumps({"type": "Person"}).encode()),
    ("page by link", json.dumps({"type": "AnnotationCollection", "first": "http://x/p1"}).encode()),
    ("items not a list", json.dumps({"type": "AnnotationPage", "items": {}}).encode()),
    ("item not an object", json.dumps({"type": "AnnotationPage", "items": [3]}).encode()),
    ("no id", json.dumps(_doc(id=KeyError)).encode()),
    ("id a number", json.dumps(_doc(id=5)).encode()),
    ("id with spaces", json.dumps(_doc(id="a b")).encode()),
    ("no target", json.dumps(_doc(target=KeyError)).encode()),
    ("target a string", json.dumps(_doc(target="http://x")).encode()),
    ("no selector", json.dumps(_doc(target__selector=KeyError)).encode()),
    ("no quote selector", json.dumps(_doc(target__selector__0=KeyError)).encode()),
    ("exact a list", json.dumps(_doc(target__selector__0__exact=["a"])).encode()),
    ("exact empty", json.dumps(_doc(target__selector__0__exact="")).encode()),
    ("start a string", json.dumps(_doc(target__selector__1__start="10")).encode()),
    ("start a bool", json.dumps(_doc(target__selector__1__start=True)).encode()),
    ("start a float", json.dumps(_doc(target__selector__1__start=1.5)).encode()),
    ("start negative", json.dumps(_doc(target__selector__1__start=-1)).encode()),
    ("end before start", json.dumps(_doc(target__selector__1__end=2)).encode()),
    ("huge number", b'{"type": "Annotation", "x": ' + b"9" * 5000 + b"}"),
    ("no created", json.dumps(_doc(created=KeyError)).encode()),
    ("created not a time", json.dumps(_doc(created="yesterday")).encode()),
    ("body value a number", json.dumps(_doc(body__0__value=3)).encode()),
    ("body a string", json.dumps(_doc(body="note")).encode()),
    ("styleClass a list", json.dumps(_doc(target__styleClass=["x"])).encode()),
    ("bad text hash", json.dumps(_doc(target__state__cached="urn:summit-reader:text:ZZ")).encode()),
    ("source empty", json.dumps(_doc(target__source="urn:summit-reader:article:")).encode()),
]


@pytest.mark.parametrize("data", [d for _, d in MALFORMED], ids=[n for n, _ in MALFORMED])
def test_malformed_files_are_refused_in_one_line(data: bytes) -> None:
    with pytest.raises(ExportError) as caught:
        parse_import(data, "notes.json")
    message = str(caught.value)
    assert message.startswith("cannot import notes.json: ")
    assert "\n" not in message and len(message) < 300


def test_the_same_id_twice_is_refused() -> None:
    data = collection([NOTE, NOTE], "x")
    with pytest.raises(W3CError, match="same id as annotation 1"):
        loads(json.dumps(data))


def test_files_over_the_size_limit_are_refused() -> None:
    with pytest.raises(ExportError, match="too large"):
        parse_import(b" " * (16 * 1024 * 1024 + 1), "big.json")


# -- importing into a store --------------------------------------------------------------------


def store_dicts() -> dict[str, dict[str, Any]]:
    with Store() as store:
        return {a.id: a.to_dict() for a in store.all()}


def test_export_then_import_into_an_empty_store_reproduces_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    library = Library.from_environment()
    store_with_samples(library.entries())
    with Store() as store:
        text = dumps(
            collection([a for g in gather(store, library.entries()) for a in g.annotations], "x")
        )
    before = store_dicts()
    monkeypatch.setenv("SUMMIT_READER_DB", str(tmp_path / "other.json"))
    with Store() as store:
        report = import_annotations(store, library.entries(), parse_import(text.encode()))
    assert report.added == 6 and report.updated == report.unchanged == 0
    assert report.missing == (MISSING_ARTICLE,) and report.on_missing == 1
    assert report.not_found == 1  # the orphan on a seed whose words are gone
    after = store_dicts()
    assert after == before
    with Store() as store:
        again = import_annotations(store, library.entries(), parse_import(text.encode()))
        assert (again.added, again.updated, again.unchanged) == (0, 0, 6)
        assert len(store.all()) == 6


def test_merge_adds_updates_and_keeps_newer_local_edits() -> None:
    library = Library.from_environment()
    first, second, third, *_ = sample_annotations(library.entries())
    with Store() as store:
        store.add(first)
        store.add(
            dataclasses.replace(second, note="edited later", updated="2030-01-01T00:00:00.000Z")
        )
        outcome = store.merge([first, dataclasses.replace(first, id=first.id), second, third])
        assert outcome == {first.id: "unchanged", second.id: "kept", third.id: "added"}
        newer = dataclasses.replace(first, note="newer", updated="2025-01-01T00:00:00.000Z")
        assert store.merge([newer]) == {first.id: "updated"}
        assert store.get(first.id) == newer
        assert store.get(second.id).note == "edited later"  # type: ignore[union-attr]
        assert len(store.all()) == 3


def test_an_import_that_changes_nothing_writes_nothing() -> None:
    with Store() as store:
        assert store.merge([]) == {}
    assert not Store().path.exists()
