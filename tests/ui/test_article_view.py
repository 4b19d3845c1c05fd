"""The line index of the article view: pure functions, no app needed."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from summitreader.core.models import Article, Paragraph
from summitreader.ui.widgets.article_view import build_index, wrap_spans


def test_wrap_spans_tile_the_text_and_fit() -> None:
    text = "one two three four five six seven eight nine ten"
    spans = wrap_spans(text, 12)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(spans))
    assert all(len(text[s:e].rstrip()) <= 12 for s, e in spans)
    assert len(spans) > 3


def test_long_words_are_cut() -> None:
    assert wrap_spans("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]


@given(st.text(alphabet=st.sampled_from("ab 漢\u00e9"), max_size=200), st.integers(1, 40))
def test_wrap_spans_properties(text: str, width: int) -> None:
    spans = wrap_spans(text, width)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(spans))


def test_index_offsets_point_into_canonical_text() -> None:
    article = Article(
        title="T",
        paragraphs=(Paragraph("heading", "A heading"), Paragraph("paragraph", "word " * 40)),
    )
    lines = build_index(article, 30)
    assert lines[0].kind == "heading"
    assert article.text[lines[0].start : lines[0].end] == "A heading"
    assert lines[1].kind == "blank"
    body = [line for line in lines if line.paragraph == 1 and line.kind == "paragraph"]
    assert body[0].start == article.text.index("word")
    assert body[-1].end == len(article.text)
