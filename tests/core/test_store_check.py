"""The store's quick check of a file's notes agrees with parsing them.

``store._as_written`` lets a document through unparsed when it has exactly the shape the
store writes; it must never let through one the parser refuses. Checked on real notes, on
each single change of one, and on generated documents of every shape.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summitreader.core.annotations import Annotation, AnnotationError, new_annotation
from summitreader.core.store import _as_written

from .fuzz import fuzz_settings

TEXT = "Kim hailed a new era in relations as he began summit talks with Putin."


def parses(doc: Any) -> bool:
    try:
        Annotation.from_dict(doc)
    except (AnnotationError, AttributeError, TypeError):
        return False
    return True


def written() -> dict[str, Any]:
    return new_annotation("a1", TEXT, 4, 10, note="n", tags=("x", "y")).to_dict()


def test_what_the_store_writes_passes_unparsed() -> None:
    assert _as_written(written())
    plain = new_annotation("a1", TEXT, 0, 3).to_dict()
    assert _as_written(plain)


CHANGES: list[tuple[str, Any]] = [
    ("id", 5),
    ("article_id", None),
    ("article_hash", ["h"]),
    ("created", 1.5),
    ("updated", 0),
    ("note", b"x"),
    ("orphan", "no"),
    ("color", "mauve"),
    ("color", ["yellow"]),
    ("tags", "x"),
    ("tags", [1]),
    ("tags", ("x",)),
    ("selector", "here"),
    ("selector.exact", 3),
    ("selector.prefix", None),
    ("selector.start", "4"),
    ("selector.start", True),
    ("selector.end", 4.0),
]


@pytest.mark.parametrize(("field", "value"), CHANGES, ids=[f"{f}={v!r}" for f, v in CHANGES])
def test_any_other_type_goes_to_the_parser(field: str, value: Any) -> None:
    doc = written()
    target, _, name = field.rpartition(".")
    (doc[target] if target else doc)[name] = value
    assert not _as_written(doc)


@pytest.mark.parametrize("field", ["id", "article_id", "article_hash", "created", "selector"])
def test_a_missing_field_goes_to_the_parser(field: str) -> None:
    doc = written()
    del doc[field]
    assert not _as_written(doc) and not parses(doc)


def test_not_a_mapping_goes_to_the_parser() -> None:
    for doc in (None, [], "note", 3, {"selector": []}):
        assert not _as_written(doc)


leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5), st.binary(max_size=3)
)
values = st.recursive(leaf, lambda inner: st.lists(inner, max_size=3), max_leaves=6)


@st.composite
def documents(draw: st.DrawFn) -> Any:
    """A stored note with some fields replaced, removed or added at random."""
    doc = copy.deepcopy(written())
    for field in draw(st.lists(st.sampled_from([*doc, "extra"]), max_size=4)):
        choice = draw(st.integers(0, 2))
        if choice == 0:
            doc.pop(field, None)
        elif choice == 1:
            doc[field] = draw(values)
        elif field == "selector" and isinstance(doc.get("selector"), dict):
            inner = draw(st.sampled_from(["exact", "prefix", "suffix", "start", "end"]))
            doc["selector"][inner] = draw(values)
    return doc


@fuzz_settings(300)
@given(documents())
def test_a_document_let_through_unparsed_always_parses(doc: Any) -> None:
    if _as_written(doc):
        assert parses(doc)
