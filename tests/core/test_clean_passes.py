"""The cleaner's passes answer as they did before their shortcuts.

The passes after the units are built ask the same few questions of many lines (is it a
byline or date line); their shortcuts skip work whose
answer is known. Each test below keeps the plain way, as the cleaner had it, and compares.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from summitreader.core import clean, rules
from summitreader.core.dates import find_date, is_date_only

CORPORA = ("captures", "holdout", "final", "blind")


@cache
def _corpus_units() -> list[clean._Unit]:
    here = Path(__file__).parent
    texts = [p.read_text("utf-8") for d in CORPORA for p in sorted((here / d).glob("*.txt"))]
    assert len(texts) > 40
    return [unit for text in texts for unit in clean._units(text)]


# Byline and date lines as pages print them, in pieces to mix: names, labels, dates written
# every way, separators, job titles, times, relative times, Hangul bylines.
_META_PIECES = [
    *("By Jane Doe", "BY ", "by ", "Reuters", "Updated: ", "Published ", "04/02/2025", " | "),
    *("13/02/2025 ", "  ", " — ", "2025-02-04", "4 February 2025", ", ", "Source: Ledger"),
    *("09:31 IST", "| ", "Staff Writer", "김민지 기자", "Feb. 4, 2025", "3 min read", "."),
    *("1 hour ago", "Jane Doe", " and ", "Senior Correspondent", "the talks went on", "2019"),
    *("in 2020 the", "Written by: ", "Fiona MacLeod", " is a reporter", "Von Katrin Vogel"),
]
meta_lines = st.lists(st.sampled_from(_META_PIECES), min_size=1, max_size=7).map("".join)


def _is_meta_plainly(u: clean._Unit) -> bool:
    """:func:`clean._is_meta` as it was before its shortcuts (RELATIVE_TIME asked of every
    line, the date searched for here, not taken from the unit)."""
    if u.words > 30 or u.is_list:
        return False
    body = u.body
    labelled = (
        u.words <= 8 and body[:1] in clean._SOURCE_LABEL_STARTS and clean._SOURCE_LABEL.match(body)
    )
    if rules.RELATIVE_TIME.match(body) or labelled:
        return True
    prefix = rules.BYLINE_PREFIX.match(body)
    if prefix and clean._take_name(body[prefix.end() :]):
        return not u.sentence or u.words <= 8
    found = find_date(body)
    if found:
        return bool(
            "|" in body
            or (u.words <= 8 and not u.sentence)
            or is_date_only(body, found)
            or rules.META_WORDS.search(body)
        )
    return u.words <= 10 and bool(
        (not body.isascii() and clean._KOREAN_BYLINE.search(body))
        or (rules.JOB_TITLES.search(body) and clean._byline_in(body) and not u.sentence)
    )


def test_the_byline_and_date_line_test_answers_as_it_did() -> None:
    @settings(max_examples=1000, deadline=None, database=None)
    @given(meta_lines)
    def check(line: str) -> None:
        unit = clean._make_unit(line)
        if unit.text:
            assert clean._is_meta(unit) == _is_meta_plainly(unit), line

    check()
    units = _corpus_units()
    assert [clean._is_meta(u) for u in units] == [_is_meta_plainly(u) for u in units]
    assert sum(clean._is_meta(u) for u in units) > 100
