"""The cleaner's internal shortcuts build exactly what the slower way built.

Cleaning builds a unit for every line of a capture and a paragraph or removed block for most
of them; the shortcuts below build those faster. Each test compares a shortcut with the plain
way it stands in for, on generated strings (see also tests/core/test_rules_pretests.py for the
pre-tests in front of the rules' regexes).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from summitreader.core import clean

# Lines as captures hold them: list markers, direction marks, odd spaces, case pairs that
# fold to more than one character, a Turkish i.
_LINE_CHARS = "aB ß\u00a0\t.İ-•1)\u200e\u200f\u061c\u3000中—’\u0345Σς"
lines = st.text(alphabet=st.sampled_from(_LINE_CHARS), max_size=30)


def test_a_units_norm_is_the_norm_of_its_text() -> None:
    @settings(max_examples=500, deadline=None, database=None)
    @given(st.lists(lines, max_size=6))
    def check(page: list[str]) -> None:
        for unit in clean._units("\n".join(page)):
            assert unit.norm == clean._norm(unit.text)
            assert unit.norm == " ".join(unit.text.casefold().split())

    check()
    (unit,) = clean._units("\u200e• Hello  World")
    assert unit.body == "Hello  World" and unit.norm == "\u200e• hello world"


def test_a_unit_is_made_alike_alone_and_in_a_page() -> None:
    @settings(max_examples=300, deadline=None, database=None)
    @given(lines.filter(str.strip))
    def check(line: str) -> None:
        (in_page,) = clean._units(line)
        alone = clean._make_unit(line)
        for name in ("text", "body", "is_list", "words", "sentence", "reason", "norm", "gap"):
            assert getattr(in_page, name) == getattr(alone, name), name

    check()
