"""Properties of annotations and anchoring over any article text and any selection.

* Any non-empty span of an article's canonical text makes an annotation, and that annotation
  resolves to exactly the same span in the unchanged text: through the stored text hash
  (the cheap path), and also without it (an annotation imported from another tool), where
  the quote and its context must be found again on their own.
* Any other span (empty, reversed, outside the text) is refused with an AnnotationError.
* An annotation reads back from its stored form unchanged, whatever its note and tags hold.

That a span follows an inserted paragraph is a property in ``test_anchoring.py``.

Example counts scale with ``SUMMIT_READER_FUZZ`` (see :mod:`tests.core.fuzz`).
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from summitreader.core.anchoring import reanchor, resolve
from summitreader.core.annotations import (
    COLORS,
    Annotation,
    AnnotationError,
    Selector,
    new_annotation,
    normalize_tags,
)
from summitreader.core.models import Article, Paragraph, text_hash

from .fuzz import fuzz_settings

# Words that make quotes ambiguous (repeated names, short words), fold to the same thing
# (straight and curly quotes, dashes) or are more than one code point on screen.
WORDS = st.sampled_from(
    [
        "Putin", "Kim", "the", "a", "said", "“quoted”", '"quoted"', "‘x’", "'x'", "—", "-",
        "–", "it's", "it’s", "Pyongyang", "東京", "😀", "e\u0301", "1", "  ", "\t", "\u00a0",
        ",", ".", "?", "[b]", "#",
    ]
)  # fmt: skip
# What a cleaned paragraph can hold: anything but a line break (paragraphs are lines).
LINE_CHARS = st.characters(
    exclude_categories=("Cs",), exclude_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
)
PARAGRAPH = st.one_of(
    st.lists(WORDS, min_size=1, max_size=30).map(" ".join),
    st.text(LINE_CHARS, min_size=1, max_size=80),
    st.sampled_from(["Putin", "00", "a a a a"]),  # whole paragraphs that repeat
).map(str.strip)


@st.composite
def article_texts(draw: st.DrawFn) -> str:
    """An article's canonical text, built the way the reader builds it."""
    blocks = draw(
        st.lists(
            st.tuples(st.sampled_from(["paragraph", "heading"]), PARAGRAPH.filter(bool)),
            min_size=1,
            max_size=8,
        )
    )
    article = Article("T", paragraphs=tuple(Paragraph(kind, text) for kind, text in blocks))  # type: ignore[arg-type]
    return article.text


@st.composite
def spans(draw: st.DrawFn) -> tuple[str, int, int]:
    """A text and any non-empty span of it: a character, a word, across paragraphs, all."""
    text = draw(article_texts())
    start = draw(st.integers(0, len(text) - 1))
    longest = draw(st.sampled_from([1, 3, 12, 40, 200, len(text)]))
    end = draw(st.integers(start + 1, min(len(text), start + longest)))
    return text, start, end


@fuzz_settings(400)
@given(spans())
@example(("a  b\n\nc", 1, 3))  # only white space
@example(("Putin\n\nPutin", 5, 7))  # only the paragraph break
@example(("Putin\n\nPutin", 7, 12))  # the second of two identical paragraphs
def test_any_selection_resolves_to_itself_in_the_unchanged_text(
    case: tuple[str, int, int],
) -> None:
    text, start, end = case
    annotation = new_annotation("a1b2c3d4", text, start, end, note="n", tags=["t"])
    assert annotation.exact == text[start:end]
    assert annotation.article_hash == text_hash(text)

    anchor = resolve(annotation, text)
    assert (anchor.status, anchor.start, anchor.end) == ("exact", start, end)
    assert reanchor(annotation, text) == (annotation, anchor)

    # Without the hash (another tool's annotation) the quote and its context must do it.
    foreign = dataclasses.replace(annotation, article_hash="")
    anchor = resolve(foreign, text)
    assert (anchor.status, anchor.start, anchor.end) == ("exact", start, end)
    assert reanchor(foreign, text)[0] == annotation  # and it gains the hash


@fuzz_settings(200)
@given(article_texts(), st.integers(-5, 400), st.integers(-5, 400))
def test_spans_outside_the_accepted_domain_are_refused_cleanly(
    text: str, start: int, end: int
) -> None:
    accepted = 0 <= start < end <= len(text)
    if accepted:
        assert new_annotation("a1b2c3d4", text, start, end).exact == text[start:end]
    else:
        with pytest.raises(AnnotationError, match="outside the text"):
            new_annotation("a1b2c3d4", text, start, end)


# Notes and tags as hostile as text gets: controls, escapes, markup, lone surrogates (a
# broken paste), line and paragraph separators, nothing but white space or '#'.
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec=None), max_size=20),  # lone surrogates included
    st.sampled_from(
        [
            "", " ", "#", "# #a", "##", "\x1b]0;owned\x07", "[@click=app.quit]x[/]", "[/]",
            "---\ntitle: x\n---", "\ud800", "a\u2028b", "\x00", "\u202eevil", "#\u3000#b",
        ]
    ),
)  # fmt: skip


@st.composite
def annotations(draw: st.DrawFn) -> Annotation:
    text = draw(article_texts())
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return Annotation(
        id=str(draw(st.uuids())),
        article_id=draw(st.from_regex(r"[0-9a-f]{8}", fullmatch=True)),
        article_hash=text_hash(text),
        selector=Selector.from_span(text, start, end),
        color=draw(st.sampled_from(COLORS)),
        note=draw(HOSTILE),
        tags=tuple(draw(st.lists(HOSTILE, max_size=5))),
        orphan=draw(st.booleans()),
    )


@fuzz_settings(200)
@given(annotations())
def test_an_annotation_reads_back_from_its_stored_form_unchanged(annotation: Annotation) -> None:
    assert Annotation.from_dict(annotation.to_dict()) == annotation


@fuzz_settings(300)
@given(st.lists(HOSTILE, max_size=8))
@example(["# #a"])  # was "#a" the first time and "a" the second
def test_tag_normalising_is_idempotent(tags: list[str]) -> None:
    once = normalize_tags(tags)
    assert normalize_tags(once) == once
    assert all(tag and tag == tag.strip() and not tag.startswith("#") for tag in once)
    assert len({tag.casefold() for tag in once}) == len(once)
