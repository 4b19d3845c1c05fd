"""Properties of the cleaner over any input: it never raises, and it is idempotent.

Idempotent here means: the article written back out as a plain capture
(:meth:`Article.to_text`: headline, standfirst, byline line, body) cleans to the same
article, with nothing further removed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summitreader.core.clean import clean
from summitreader.core.models import Article

from .test_chrome_kinds import BODY, CASES, MENU, TITLE

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CORPORA = [Path(__file__).parent / c for c in ("captures", "holdout", "final", "blind")]


def _same(a: Article, b: Article) -> None:
    assert (b.title, b.source, b.byline, b.date, b.dek) == (
        a.title,
        a.source,
        a.byline,
        a.date,
        a.dek,
    )
    assert b.paragraphs == a.paragraphs


def _roundtrip(raw: str) -> None:
    first = clean(raw)
    again = clean(first.to_text())
    _same(first, again)
    assert {r.reason for r in again.removed} <= {"metadata", "repeated-title"}


@pytest.mark.parametrize(
    "path",
    sorted(SEEDS.glob("*.txt")) + sorted(p for c in CORPORA for p in c.glob("*.txt")),
    ids=lambda p: p.name,
)
def test_real_captures_are_idempotent(path: Path) -> None:
    _roundtrip(path.read_text(encoding="utf-8"))


# Lines that look like pieces of news pages, to give hypothesis structure to work with.
PIECES = st.sampled_from(
    [TITLE, "By Marta Lindqvist", "March 4, 2025", "Reuters | Updated: 19-06-2024 09:31 IST"]
    + BODY
    + MENU
    + [case[0] for case in CASES]
    + ["", "  • item one", "1. You Are At:", "Photo: AFP", "Most read", "(AFP)", "A", "…"]
)
ANY_LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, ANY_LINE), max_size=25), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_never_raises_and_is_idempotent(lines: list[str], sep: str) -> None:
    raw = sep.join(lines)
    article = clean(raw)
    assert isinstance(article.title, str) and article.title
    for paragraph in article.paragraphs:
        assert paragraph.text.strip() == paragraph.text and paragraph.text
    _roundtrip(raw)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text_never_raises(raw: str) -> None:
    article = clean(raw)
    kept = sum(len(p.text) for p in article.paragraphs) + sum(len(r.text) for r in article.removed)
    assert kept <= len(raw)
