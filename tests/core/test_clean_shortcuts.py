"""The cleaner's internal shortcuts build exactly what the slower way built.

Cleaning builds a unit for every line of a capture and a paragraph or removed block for most
of them; the shortcuts below build those faster. Each test compares a shortcut with the plain
way it stands in for, on generated strings (see also tests/core/test_rules_pretests.py for the
pre-tests in front of the rules' regexes).
"""

from __future__ import annotations

import sys
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from summitreader.core import clean, textio
from summitreader.core.textio import sanitize

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


@cache
def _every_character() -> str:
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def test_what_sanitising_drops_is_unprintable_and_no_line_break() -> None:
    # Why _units sanitises line by line (the line breaks written as LF first), and only
    # the lines that are not printable.
    dropped = textio._UNSAFE.findall(_every_character())
    assert len(dropped) > 60
    for ch in dropped:
        assert not ch.isprintable() and ch != "\n", hex(ord(ch))


def test_case_folding_keeps_a_printable_line_printable_and_its_ends() -> None:
    # Why _units takes a printable line's casefold for its norm unless it holds two spaces:
    # folded, it is printable, so its only white space is the plain space, and a line's
    # first and last characters (not white space, the line being stripped) fold into no
    # space. (Surrogates too: a line may hold one.)
    everything = _every_character() + "".join(map(chr, range(0xD800, 0xE000)))
    for ch in everything:
        folded = ch.casefold()
        if ch.isprintable():
            assert folded.isprintable(), hex(ord(ch))
            assert not ch.isspace() or ch == " ", hex(ord(ch))
        if not ch.isspace():
            assert not any(c.isspace() for c in folded), hex(ord(ch))


# Pages as hostile captures hold them: every kind of line break, controls, escapes, bidi
# overrides, and the white space that strip() takes but the sanitiser drops (\x0b, \x1f).
_HOSTILE_CHARS = (
    "aB ß\u00a0\t.İ-•1)\u200e\u3000中’\n\r\x85\u2028\u2029\x00\x07\x0b\x0c\x1b\x1f\x7f\x9b"
    "\u202e\u2066"
)


def test_units_are_those_of_the_sanitised_capture() -> None:
    def want(raw: str) -> list[clean._Unit]:
        units, gap = [], False
        for line in sanitize(raw).split("\n"):
            if not line.strip():
                gap = True
                continue
            units.append(clean._make_unit(line, gap))
            gap = False
        return units

    fields = ("text", "body", "is_list", "words", "sentence", "reason", "norm", "gap")

    @settings(max_examples=1000, deadline=None, database=None)
    @given(st.text(alphabet=st.sampled_from(_HOSTILE_CHARS), max_size=40))
    def check(raw: str) -> None:
        got, expected = clean._units(raw), want(raw)
        assert len(got) == len(expected)
        for unit, other in zip(got, expected, strict=True):
            for name in fields:
                assert getattr(unit, name) == getattr(other, name), name
            assert unit.norm == " ".join(unit.text.casefold().split())

    check()
    (unit,) = clean._units("\x1f\u202e Share\x00 \x1b\r\n")
    assert unit.text == "Share" and unit.reason == "share-row"
    assert [u.gap for u in clean._units("a\n\x07\nb\u2029c")] == [False, True, True]


def test_a_unit_is_made_alike_alone_and_in_a_page() -> None:
    @settings(max_examples=300, deadline=None, database=None)
    @given(lines.filter(str.strip))
    def check(line: str) -> None:
        (in_page,) = clean._units(line)
        alone = clean._make_unit(line)
        for name in ("text", "body", "is_list", "words", "sentence", "reason", "norm", "gap"):
            assert getattr(in_page, name) == getattr(alone, name), name

    check()


# Byline and date lines as pages print them, and pieces to mix in: numeric dates both ways
# round, separators that split a line into parts, labels, names.
_META_PIECES = [
    *("By Jane Doe", "Reuters", "Updated: ", "Published ", "04/02/2025", "13/02/2025 ", " | "),
    *("  ", " — ", "2025-02-04", "4 February 2025", ", ", "Source: Ledger Weekly", "09:31 IST"),
    *("| ", " |", "Staff Writer", "김민지 기자", "Feb. 4, 2025", "3 min read", "1 hour ago"),
]
meta_lines = st.lists(st.sampled_from(_META_PIECES), min_size=1, max_size=6).map("".join)


def test_a_line_read_day_first_reads_as_with_no_order() -> None:
    # Why _assemble reads a metadata line again only when the page writes month first.
    @settings(max_examples=500, deadline=None, database=None)
    @given(meta_lines)
    def check(line: str) -> None:
        assert clean.find_date(line, True) == clean.find_date(line, None)
        assert clean._parse_meta(line, True) == clean._parse_meta(line)

    check()


def test_a_units_meta_and_date_are_what_the_plain_functions_find() -> None:
    # The meta feature hands its unit in, so a one-part line takes the date already found.
    @settings(max_examples=500, deadline=None, database=None)
    @given(meta_lines, st.sampled_from([None, True, False]))
    def check(line: str, day_first: bool | None) -> None:
        unit = clean._make_unit(line)
        assert unit.date == clean.find_date(unit.body)
        got = clean._parse_meta(unit.body, day_first, unit=unit)
        assert got == clean._parse_meta(unit.body, day_first)
        assert unit.meta == clean._parse_meta(unit.body)

    check()
    # Month first, the unit's date (read day first) is not taken.
    unit = clean._make_unit("04/02/2025")
    assert unit.date is not None and unit.date[0] == "2025-02-04"
    assert clean._parse_meta(unit.body, False, unit=unit).date == "2025-04-02"


def test_a_line_the_phrase_rules_pass_over_is_no_relative_time() -> None:
    # _is_meta asks RELATIVE_TIME only of lines the phrase rules labelled (or did not read).
    @settings(max_examples=500, deadline=None, database=None)
    @given(st.from_regex(clean.rules.RELATIVE_TIME))
    def check(text: str) -> None:
        line = text.strip()
        if line and clean.rules.RELATIVE_TIME.match(line):
            assert clean._make_unit(line).reason is not None

    check()
    for line in ("3 min read", "Updated 2 hours ago", "Just now", "Reading time: 4 min"):
        unit = clean._make_unit(line)
        assert unit.reason is not None and clean._is_meta(unit)


def test_case_folding_goes_character_by_character() -> None:
    # Why a name found twice in the page as written is found twice in it case-folded
    # (_repeated_masthead): folding a string folds each of its characters on its own.
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert everything.casefold() == "".join(c.casefold() for c in everything)
    # Not so for lower(): a capital sigma ending a word lowers to the final sigma.
    assert "ΑΣ".lower() != "Α".lower() + "Σ".lower() and "ΑΣ".casefold() == "ασ"
