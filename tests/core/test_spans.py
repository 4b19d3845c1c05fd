"""Sentence, paragraph and word spans around an offset: what ``h`` in the reader highlights."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summitreader.core.spans import paragraph_at, sentence_at, word_at

TEXT = (
    'Mr. Smith went to the U.S. on Monday. He said "Stop." Then he left! Why? Last words'
    "\n\nA second paragraph. It has “quoted words.” And an end."
)


def sentence(text: str, offset: int) -> str:
    start, end = sentence_at(text, offset)
    return text[start:end]


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("Mr.", "Mr. Smith went to the U.S. on Monday."),
        ("Monday", "Mr. Smith went to the U.S. on Monday."),
        ("said", 'He said "Stop."'),
        ("Then", "Then he left!"),
        ("Why", "Why?"),
        ("Last", "Last words"),
        ("second", "A second paragraph."),
        ("quoted", "It has “quoted words.”"),
        ("end.", "And an end."),
    ],
)
def test_sentence_at(needle: str, expected: str) -> None:
    assert sentence(TEXT, TEXT.index(needle)) == expected


def test_sentence_stops_at_the_paragraph_break() -> None:
    text = "No full stop here\n\nNor here"
    assert sentence(text, 0) == "No full stop here"
    assert sentence(text, len(text)) == "Nor here"


def test_offset_between_sentences_belongs_to_the_next_one() -> None:
    text = "One.  Two."
    assert sentence_at(text, 4) == (0, 4)  # just after the full stop: still "One."
    assert sentence_at(text, 5) == (5, 10)  # widened back to the offset
    assert sentence_at(text, 6) == (6, 10)


def test_paragraph_at() -> None:
    text = "ab\n\ncd\n\nef"
    assert paragraph_at(text, 0) == (0, 2)
    assert paragraph_at(text, 2) == (0, 2)
    assert paragraph_at(text, 3) == (3, 3)  # between the two newlines of a break
    assert paragraph_at(text, 4) == (4, 6)
    assert paragraph_at(text, 99) == (8, 10)
    assert paragraph_at("", 0) == (0, 0)


def test_word_at() -> None:
    text = "Kim Jong-un didn't go, (really)."
    assert text[slice(*word_at(text, 5))] == "Jong-un"
    assert text[slice(*word_at(text, 13))] == "didn't"
    assert text[slice(*word_at(text, 3))] == "Kim"  # just after the word
    assert text[slice(*word_at(text, 25))] == "really"
    assert word_at(text, 23) == (23, 23)  # on "(", after a space
    assert word_at("", 0) == (0, 0)


def test_long_text_without_breaks_is_fast() -> None:
    text = "word. " * 200_000 + "x" * 100_000
    start, end = sentence_at(text, len(text) - 1)
    assert text[start:end] == "x" * 100_000


TEXTS = st.text(alphabet=st.sampled_from('ab .?!"”’\n\t'), max_size=120)


@given(TEXTS, st.integers(-5, 130))
def test_spans_contain_the_offset_and_stay_in_one_paragraph(text: str, offset: int) -> None:
    clamped = max(0, min(offset, len(text)))
    for function in (sentence_at, paragraph_at, word_at):
        start, end = function(text, offset)
        assert 0 <= start <= clamped <= end <= len(text), function.__name__
        assert "\n\n" not in text[start:end], function.__name__


@given(TEXTS, st.integers(0, 130))
def test_sentence_lies_within_the_paragraph(text: str, offset: int) -> None:
    p_start, p_end = paragraph_at(text, offset)
    start, end = sentence_at(text, offset)
    assert p_start <= start <= end <= p_end
