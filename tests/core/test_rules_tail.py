"""The phrase rules' later tests answer as the plainer forms they stand for.

Most lines of a capture get no reason from ``rules.phrase_reason`` and so meet every one of
its rules. The rules after the first few are asked in cheaper forms: pre-tests in front of
the menu-row, share-row and related-heading tests, menu rows tested line by line rather than
item by item, regexes rewritten so that the engine can skip ahead, whole runs of rules
skipped when the needle and lead scans find nothing. Each form is checked here against the
plain one it replaced, on strings generated from the regexes and the phrase lists, on the
corpora's lines and, where it reads characters, over all of Unicode."""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from summitreader.core import clean, rules

CORPORA = ("captures", "holdout", "final", "blind")

# The forms these rules had before, written plainly: what the quicker ones must answer.
_MENU_SPLIT_PLAIN = re.compile(r"\s{2,}|\u3000+|\s*\|\s*|\s+[·•]\s+")
_SENTENCE_MARK = re.compile(r"[.?。？]\s*$|[,;、，；]")
_DIGITS_DATE = re.compile(r"\d{1,4}[-/.:]\d{1,2}|\d{4}")


def _menu_row_item_by_item(text: str) -> bool:
    # is_menu_row as it was: every test made on every item.
    if len(text) > 300:
        return False
    parts = [p for p in _MENU_SPLIT_PLAIN.split(text.strip()) if p]
    if len(parts) < 2:
        return False
    if any(len(part) > 30 or len(part.split()) > 4 for part in parts):
        return False
    return not any(
        _SENTENCE_MARK.search(part)
        or _DIGITS_DATE.search(part)
        or rules.JOB_TITLES.anywhere.search(part)
        or rules.BYLINE_PREFIX.match(part + " ")
        for part in parts
    )


@cache
def _every_character() -> str:
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


@cache
def _corpus_lines() -> list[str]:
    here = Path(__file__).parent
    texts = [p.read_text("utf-8") for d in CORPORA for p in sorted((here / d).glob("*.txt"))]
    assert len(texts) > 40
    return [u.body for text in texts for u in clean._units(text)]


_ITEMS = [
    *("News", "Sport", "Culture", "Log in", "What's On", "Editor's picks", "One two three four"),
    *("One two three four five", "An item that is longer than thirty characters"),
    *("Staff Writer", "staff", "Desk", "desktop", "News Team", "news team", "Special", "ſtaff"),
    *("By", "by Jane", "ByJane", "Byline", "Texto:", "Di", "von", "Reporter", "İnbox", "Jane"),
    *("2024", "10:30", "3.5", "v1.2", "7", "٣/٤", "x.", "What?", "a,b", "a;b", "End。", "(c)"),
    *("a-b", "x|y", "موقع", "日本語", "정치", "🔍", "Written by", "WORDS BY", "Автор:", "كتب"),
    *("Publishing", "Dİ", "dı", "Posted", "Autoren", "Text"),
]
_SEPARATORS = [
    *("  ", " | ", "|", " · ", "•", " • ", "\u3000", "\u3000\u3000", " ", "\xa0\t", "\t", "\n"),
    *("   |   ", " ·", "·", " \u3000 ", "\u2028\u2029", " .", ", "),
]
_ROWS = st.tuples(
    st.sampled_from(["", " ", "\u3000", "| "]),
    st.lists(st.tuples(st.sampled_from(_ITEMS), st.sampled_from(_SEPARATORS)), max_size=6),
    st.sampled_from(["", " ", "  ", "."]),
).map(lambda t: t[0] + "".join(item + sep for item, sep in t[1]) + t[2])


def test_the_menu_split_splits_as_its_plain_form() -> None:
    chars = st.text(alphabet="ab .|·•\t\xa0\u3000\n\u2028", max_size=12)
    texts = st.lists(st.one_of(chars, st.from_regex(_MENU_SPLIT_PLAIN)), max_size=5).map("".join)

    @settings(max_examples=1000, deadline=None, database=None)
    @given(st.one_of(texts, _ROWS))
    def check(text: str) -> None:
        assert rules._MENU_SPLIT.split(text) == _MENU_SPLIT_PLAIN.split(text)
        found = [m.span() for m in rules._MENU_SPLIT.finditer(text)]
        assert found == [m.span() for m in _MENU_SPLIT_PLAIN.finditer(text)]

    check()
    assert rules._MENU_SPLIT.split("a \u3000b| c") == ["a", "b", "c"]


def test_the_digit_test_finds_a_date_where_the_regex_does() -> None:
    texts = st.lists(
        st.one_of(st.text(alphabet="0123456789٣-/.: a", max_size=8), st.from_regex(_DIGITS_DATE)),
        max_size=4,
    ).map("".join)

    @settings(max_examples=1000, deadline=None, database=None)
    @given(texts)
    def check(text: str) -> None:
        assert (rules._HOLDS_DIGITS_DATE(text) is not None) == bool(_DIGITS_DATE.search(text))

    check()
    assert rules._HOLDS_DIGITS_DATE("on 3/4") and not rules._HOLDS_DIGITS_DATE("3 / 4, 123")


def test_an_item_ends_as_a_sentence_where_the_regex_says() -> None:
    sentence_end = re.compile(r"[.?。？]\s*$")

    @settings(max_examples=500, deadline=None, database=None)
    @given(st.text(alphabet="a.?。？ \t\n\xa0\u2028,"))
    def check(part: str) -> None:
        ends = part.rstrip().endswith(rules._SENTENCE_ENDS)
        assert ends == bool(sentence_end.search(part))
        assert rules._HOLDS_SENTENCE_END(part) or not ends

    check()


def test_no_character_of_a_separator_is_in_a_comma_date_or_job_title() -> None:
    # Why is_menu_row may look for them in the whole line: a match lies within an item.
    everything = _every_character()
    in_separators = set(re.findall(r"[\s|·•]", everything))
    words = set(re.findall(r"\w", everything))
    digits = set(re.findall(r"\d", everything))
    assert not in_separators & (words | digits | set(",;、，；-/.:"))
    # A job title is word characters and, in "news team", one plain space (never a
    # separator alone); the case-blind regex takes no other character for theirs.
    job_characters = {ch for word in rules.JOB_TITLES.needles for ch in word} - {" "}
    for ch in sorted(job_characters):
        assert set(re.findall("(?i)" + re.escape(ch), everything)) <= words, ch
    assert all(set(w) <= words | {" "} for w in rules.JOB_TITLES.needles)
    assert "news team" in rules.JOB_TITLES.needles


def test_a_byline_prefix_opens_with_one_of_its_leads() -> None:
    everything = _every_character()
    for ch in sorted({ch for lead in rules._BYLINE_LEADS for ch in lead}):
        for found in set(re.findall("(?i)" + re.escape(ch), everything)):
            assert found.casefold() == ch or found in rules._UNFOLDED_I, (ch, found)
    leads = rules._BYLINE_LEADS

    @settings(max_examples=1000, deadline=None, database=None)
    @given(st.from_regex(rules.BYLINE_PREFIX), st.sampled_from(["", "Jane", " x"]))
    def check(text: str, after: str) -> None:
        item = text + after
        if rules.BYLINE_PREFIX.match(item + " "):
            odd_i = not item.isascii() and rules._HOLDS_UNFOLDED_I(item)
            assert odd_i or item.casefold().startswith(leads), item

    check()
    # Every lead stands for some opening of the regex: none is there for nothing.
    for lead in leads:
        assert rules.BYLINE_PREFIX.match(lead.upper() + " ") or any(
            rules.BYLINE_PREFIX.match(f"{lead}{rest} ") for rest in ("", "e", "s", "o", " by")
        ), lead


def test_a_menu_row_is_told_as_item_by_item() -> None:
    @settings(max_examples=2000, deadline=None, database=None)
    @given(_ROWS)
    def check(text: str) -> None:
        assert rules.is_menu_row(text) == _menu_row_item_by_item(text), text

    check()
    lines = _corpus_lines()
    assert [rules.is_menu_row(line) for line in lines] == [
        _menu_row_item_by_item(line) for line in lines
    ]
    assert sum(map(rules.is_menu_row, lines)) > 100
    assert rules.is_menu_row("News  Sport  Culture")
    assert not rules.is_menu_row("News  Sport Reporter  Culture")
    assert not rules.is_menu_row("News  Published 12/05  Culture")


def test_a_line_with_a_comma_or_a_sentence_end_is_no_menu_row() -> None:
    # phrase_reason's test in front of is_menu_row.
    @settings(max_examples=1000, deadline=None, database=None)
    @given(_ROWS, st.sampled_from(["", ",", ".", "?", "。 ", "？\n", "a,b"]), st.booleans())
    def check(row: str, mark: str, at_end: bool) -> None:
        text = row + mark if at_end else mark + row
        if "," in text or text.rstrip().endswith(rules._SENTENCE_ENDS):
            assert not rules.is_menu_row(text), text

    check()
