"""In-article search: literal, case-insensitive, forgiving about quotes, dashes and spaces."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from summitreader.core.search import find_all

TEXT = (
    "Kim hailed a \u201cnew era\u201d. Putin\u2019s visit \u2014 the first   in 24 years."
    "\n\nKIM said."
)


def test_case_insensitive_and_in_order() -> None:
    assert [TEXT[a:b] for a, b in find_all(TEXT, "kim")] == ["Kim", "KIM"]


def test_straight_quotes_find_curly_ones() -> None:
    [(a, b)] = find_all(TEXT, '"new era"')
    assert TEXT[a:b] == "\u201cnew era\u201d"
    [(a, b)] = find_all(TEXT, "putin's")
    assert TEXT[a:b] == "Putin\u2019s"


def test_dash_and_white_space_runs() -> None:
    [(a, b)] = find_all(TEXT, "visit - the first in")
    assert TEXT[a:b] == "visit \u2014 the first   in"


def test_query_is_literal_never_a_pattern() -> None:
    assert find_all("a.c abc (x) [y]", "a.c") == [(0, 3)]
    assert find_all("a.c abc (x) [y]", "(x)") == [(8, 11)]
    assert find_all("a.c abc", ".*") == []


def test_empty_query_and_limit() -> None:
    assert find_all(TEXT, "   ") == []
    assert len(find_all("ab " * 100, "ab", limit=7)) == 7


@given(st.text(max_size=200), st.text(min_size=1, max_size=5))
def test_matches_are_ordered_disjoint_and_inside_the_text(text: str, query: str) -> None:
    found = find_all(text, query)
    assert all(0 <= a < b <= len(text) for a, b in found)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(found, found[1:], strict=False))


@given(
    st.text(alphabet="abc XYZ", max_size=100), st.text(alphabet="abcXYZ", min_size=1, max_size=3)
)
def test_every_plain_occurrence_is_found(text: str, query: str) -> None:
    found = find_all(text, query)
    folded = text.lower()
    needle = query.lower()
    expected = []
    at = folded.find(needle)
    while at >= 0:
        expected.append((at, at + len(needle)))
        at = folded.find(needle, at + len(needle))
    assert found == expected
