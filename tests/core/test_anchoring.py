"""Re-anchoring annotations: each step of the cascade on its own, reanchor(), a property.

The texts are small and written here so each test changes one thing; a few use the bundled
seeds, cleaned as the app cleans them, for real repetition ("Putin" forty times).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summitreader.core.anchoring import MAX_OCCURRENCES, Anchor, reanchor, resolve
from summitreader.core.annotations import CONTEXT, Annotation, Selector, new_annotation
from summitreader.core.clean import clean
from summitreader.core.models import text_hash

from .fuzz import fuzz_settings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

TEXT = "\n\n".join(
    [
        "Kim Jong Un greeted Putin at the airport before dawn.",
        "The two leaders rode together to the guest house, where Putin said the talks would "
        "open a new era. It's a partnership we receive gladly, Kim replied.",
        "Analysts in Seoul said the visit was mostly symbolic.",
        "Putin later flew on to Hanoi for another state visit.",
    ]
)


def span(text: str, quote: str, occurrence: int = 0) -> tuple[int, int]:
    """Where the ``occurrence``-th (0-based) appearance of ``quote`` is."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def annotate(text: str, quote: str, occurrence: int = 0) -> Annotation:
    """An annotation on the ``occurrence``-th appearance of ``quote``."""
    return new_annotation("article", text, *span(text, quote, occurrence))


def at(anchor: Anchor) -> tuple[int, int]:
    return anchor.start, anchor.end


def seed_text(index: int) -> str:
    path = sorted(SEEDS.glob("*.txt"))[index]
    return clean(path.read_text(encoding="utf-8")).text


# --- 1. exact ------------------------------------------------------------------------------


def test_exact_when_the_text_is_the_one_it_was_made_on() -> None:
    note = annotate(TEXT, "a new era")
    anchor = resolve(note, TEXT)
    assert anchor == Anchor(*span(TEXT, "a new era"), "exact", 1.0)


def test_exact_at_the_stored_offsets_when_only_later_text_changed() -> None:
    note = annotate(TEXT, "a new era")
    changed = TEXT.replace("Hanoi", "Hanoi, Vietnam")
    assert text_hash(changed) != note.article_hash
    anchor = resolve(note, changed)
    assert anchor.status == "exact"
    assert at(anchor) == (note.selector.start, note.selector.end)


# --- 2. moved ------------------------------------------------------------------------------


def test_moved_when_a_paragraph_is_inserted_before() -> None:
    note = annotate(TEXT, "a new era")
    changed = "Updated with reaction from Washington.\n\n" + TEXT
    anchor = resolve(note, changed)
    assert anchor.status == "moved"
    assert at(anchor) == span(changed, "a new era")
    assert anchor.score == pytest.approx(1.0)


def test_moved_picks_the_occurrence_whose_context_agrees_over_the_nearest() -> None:
    # "Putin" three times; the note is on the one in "where Putin said".
    note = annotate(TEXT, "Putin", 1)
    old = note.selector.start
    assert TEXT[old - 6 : note.selector.end] == "where Putin"
    # A new paragraph, padded so that its "Putin" (in other words) sits at the old offset.
    decoy = "Officials said Putin looked tired."
    filler = "x" * (old - len("\n\n") - decoy.index("Putin"))
    changed = f"{filler}\n\n{decoy}\n\n{TEXT}"
    assert changed[old : note.selector.end] == "Putin"
    anchor = resolve(note, changed)
    assert anchor.status == "moved"
    start = changed.index("where Putin said") + len("where ")
    assert at(anchor) == (start, start + len("Putin"))


def test_moved_picks_the_right_putin_in_a_seed() -> None:
    text = seed_text(0)
    occurrences = text.count("Putin")
    assert occurrences > 5
    note = annotate(text, "Putin", occurrences // 2)
    changed = "Putin arrived overnight, Putin said, and Putin left.\n\n" + text
    anchor = resolve(note, changed)
    assert anchor.status == "moved"
    shift = len(changed) - len(text)
    assert at(anchor) == (note.selector.start + shift, note.selector.end + shift)


def test_moved_finds_a_common_word_among_hundreds() -> None:
    text = "\n\n".join(seed_text(i) for i in range(5))
    assert text.count("the") > MAX_OCCURRENCES  # ranked in C first, then scored
    note = annotate(text, "the", 150)
    changed = "Putin and the Kim regime: the background.\n\n" + text
    anchor = resolve(note, changed)
    assert anchor.status == "moved"
    assert at(anchor) == span(changed, "the", 152)


@pytest.mark.parametrize("copy", [0, 1])
def test_moved_picks_the_nearest_when_contexts_tie(copy: int) -> None:
    twice = "The talks ran late into the night."
    text = "\n\n".join(["Opening.", twice, twice, "Closing line."])
    note = annotate(text, "late", copy)
    # Removing the first paragraph shifts both copies (by less than the distance between
    # them); their contexts are identical, so only nearness to the old offset can decide.
    changed = text.split("\n\n", 1)[1]
    shift = len(text) - len(changed)
    anchor = resolve(note, changed)
    assert anchor.status == "moved"
    assert at(anchor) == (note.selector.start - shift, note.selector.end - shift)
    assert at(anchor) == span(changed, "late", copy)


# --- 3. fuzzy ------------------------------------------------------------------------------


QUOTE = "It's a partnership we receive gladly"
SENTENCE = "The two leaders rode together to the guest house, where Putin said the talks"


@pytest.mark.parametrize(
    ("quote", "word", "typo"),
    [
        (QUOTE, "receive", "recieve"),  # letters swapped: same length
        (QUOTE, "receive", "receeive"),  # a letter dropped by the fix: the span shrinks
        (QUOTE, "gladly", "gldly"),  # a letter added by the fix: the span grows
        (SENTENCE, "together", "togeter"),
        (SENTENCE, "guest", "guesst"),
        (SENTENCE, "leaders", "laeders"),
    ],
)
def test_fuzzy_after_a_typo_is_fixed_inside_the_quote(quote: str, word: str, typo: str) -> None:
    note = annotate(TEXT.replace(word, typo), quote.replace(word, typo))
    anchor = resolve(note, TEXT)
    assert anchor.status == "fuzzy"
    assert at(anchor) == span(TEXT, quote)  # to the character, though the length changed
    assert 0.8 < anchor.score < 1.0


def test_fuzzy_after_rewrapping_whitespace() -> None:
    note = annotate(TEXT, "where Putin said the talks would open a new era")
    wrapped = TEXT.replace("Putin said the talks", "Putin  said\nthe   talks").replace(
        " would open", "\nwould open"
    )
    anchor = resolve(note, wrapped)
    assert anchor.status == "fuzzy"
    start = wrapped.index("where Putin")
    assert at(anchor) == (start, wrapped.index("new era") + len("new era"))
    assert anchor.score == pytest.approx(1.0)


@pytest.mark.parametrize("to_curly", [True, False], ids=["to curly", "to straight"])
def test_fuzzy_after_straight_and_curly_quotes_swap(to_curly: bool) -> None:
    plain = 'Kim said "a new era" had begun; it\'s historic - really.'
    fancy = "Kim said “a new era” had begun; it’s historic — really."
    source, target = (plain, fancy) if to_curly else (fancy, plain)
    text = f"First paragraph.\n\n{source}\n\nLast paragraph."
    note = annotate(text, source[4:-8])  # from "said" to "historic"
    changed = text.replace(source, target)
    anchor = resolve(note, changed)
    assert anchor.status == "fuzzy"
    start = changed.index(target)
    assert at(anchor) == (start + 4, start + len(target) - 8)
    assert anchor.score == pytest.approx(1.0)


# --- 4. orphan -----------------------------------------------------------------------------


def test_orphan_when_the_sentence_is_deleted() -> None:
    note = annotate(TEXT, "It's a partnership we receive gladly, Kim replied.")
    changed = TEXT.replace(" It's a partnership we receive gladly, Kim replied.", "")
    anchor = resolve(note, changed)
    assert anchor.status == "orphan"
    assert (anchor.start, anchor.end) == (-1, -1)
    assert 0.0 <= anchor.score < 0.9


def test_orphan_rather_than_a_look_alike_for_a_short_quote() -> None:
    note = annotate(TEXT, "Putin", 1)  # "where Putin said the talks..."
    changed = TEXT.replace(", where Putin said the talks would open a new era.", ".")
    assert changed.count("Putin") == 2  # two look-alikes remain
    anchor = resolve(note, changed)
    assert anchor.status == "orphan"
    assert 0.0 <= anchor.score <= 1.0


def test_orphan_rather_than_a_look_alike_in_a_seed() -> None:
    text = seed_text(2)
    paragraphs = text.split("\n\n")
    # a word of the sentence that goes, found many times elsewhere in the article
    index = next(i for i, p in enumerate(paragraphs) if "Putin" in p and i > 2)
    sentence_end = paragraphs[index].index(".") + 1
    sentence = paragraphs[index][:sentence_end]
    assert "Putin" in sentence
    start = text.index(sentence) + sentence.index("Putin")
    note = new_annotation("seed", text, start, start + len("Putin"))
    paragraphs[index] = paragraphs[index][sentence_end:].strip()
    changed = "\n\n".join(p for p in paragraphs if p)
    assert changed.count("Putin") > 5
    assert resolve(note, changed).status == "orphan"


def test_orphan_rather_than_the_body_sentence_a_pull_quote_repeats() -> None:
    body = "“You start again,” Nowicka said. “There is no almost.” The crew went on."
    pull = "“There is no almost.”"
    text = "\n\n".join(["The cable broke twice.", body, pull, "Each splice is tested."])
    note = annotate(text, "is no almost", 1)  # in the pull quote, not the body sentence
    changed = text.replace("\n\n" + pull, "")  # a better cleaner drops pull quotes
    assert changed.count(pull) == 1
    assert resolve(note, changed).status == "orphan"


def test_orphan_when_a_short_word_is_replaced() -> None:
    note = annotate(TEXT, "dawn")
    anchor = resolve(note, TEXT.replace("dawn", "noon"))
    assert anchor.status == "orphan"


# --- reanchor ------------------------------------------------------------------------------


def test_reanchor_leaves_an_annotation_on_the_same_text_alone() -> None:
    note = annotate(TEXT, "a new era")
    same, anchor = reanchor(note, TEXT)
    assert same is note
    assert anchor.status == "exact"


def test_reanchor_points_a_moved_annotation_at_the_new_text() -> None:
    note = dataclasses.replace(
        annotate(TEXT, "a new era"), note="why now?", tags=("summit",), updated="2024-06-19Z"
    )
    changed = "Updated.\n\n" + TEXT
    moved, anchor = reanchor(note, changed)
    assert anchor.status == "moved"
    assert moved.selector == Selector.from_span(changed, anchor.start, anchor.end)
    assert moved.selector.exact == "a new era"
    assert moved.article_hash == text_hash(changed)
    assert moved.orphan is False
    # everything the user made is kept, and re-anchoring is not an edit
    assert (moved.id, moved.note, moved.tags, moved.color) == (
        note.id,
        note.note,
        note.tags,
        note.color,
    )
    assert (moved.created, moved.updated) == (note.created, "2024-06-19Z")
    # and the next resolution is the cheap exact one
    assert reanchor(moved, changed)[0] is moved


def test_reanchor_refreshes_the_selector_of_a_fuzzy_match() -> None:
    before = TEXT.replace("receive", "recieve")
    note = annotate(before, QUOTE.replace("receive", "recieve"))
    fixed, anchor = reanchor(note, TEXT)
    assert anchor.status == "fuzzy"
    assert fixed.selector.exact == QUOTE
    assert fixed.article_hash == text_hash(TEXT)


def test_reanchor_keeps_an_orphan_and_its_quote() -> None:
    note = annotate(TEXT, "It's a partnership we receive gladly")
    changed = TEXT.replace(" It's a partnership we receive gladly, Kim replied.", "")
    orphan, anchor = reanchor(note, changed)
    assert anchor.status == "orphan"
    assert orphan.orphan is True
    assert orphan.selector == note.selector  # the quote the user highlighted survives
    assert orphan.article_hash == note.article_hash
    assert orphan.updated == note.updated
    # if the text comes back, the annotation is whole again
    back, anchor = reanchor(orphan, TEXT)
    assert anchor.status == "exact"
    assert back.orphan is False
    assert back.selector == note.selector


def test_orphan_in_an_empty_text() -> None:
    anchor = resolve(annotate(TEXT, "a new era"), "")
    assert (anchor.start, anchor.end, anchor.status) == (-1, -1, "orphan")


def test_anchor_rejects_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="status"):
        Anchor(0, 1, "nearby", 1.0)


# --- property ------------------------------------------------------------------------------


WORDS = st.text(alphabet="abcdeXYZ019.,;'-()", min_size=1, max_size=8)
PARAGRAPHS = st.lists(
    st.lists(WORDS, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=6
)
FRONT = "A paragraph added in front of the article."


def surroundings(text: str, start: int, end: int) -> tuple[tuple[bool, str], tuple[str, bool]]:
    """What a selector keeps of a passage's neighbours: up to CONTEXT characters each side,
    stopping at a paragraph break (the text's ends count as breaks), and whether one was met.
    """
    window = text[max(0, start - CONTEXT) : start]
    cut = window.rfind("\n")  # canonical text holds newlines only in paragraph breaks
    before = (True, window[cut + 1 :]) if cut >= 0 else (start <= CONTEXT, window)
    window = text[end : end + CONTEXT]
    cut = window.find("\n")
    after = (window[:cut], True) if cut >= 0 else (window, end + CONTEXT > len(text))
    return before, after


def identifiable(text: str, start: int, end: int) -> bool:
    """No other occurrence of the passage has the same neighbours (else any is as good)."""
    quote = text[start:end]
    mine = surroundings(text, start, end)
    at_ = text.find(quote)
    while at_ >= 0:
        if at_ != start and surroundings(text, at_, at_ + len(quote)) == mine:
            return False
        at_ = text.find(quote, at_ + 1)
    return True


@fuzz_settings(200)
@given(paragraphs=PARAGRAPHS, data=st.data())
def test_any_span_resolves_exactly_and_follows_an_inserted_paragraph(
    paragraphs: list[str], data: st.DataObject
) -> None:
    text = "\n\n".join(paragraphs)
    start = data.draw(st.integers(0, len(text) - 1), label="start")
    end = data.draw(st.integers(start + 1, len(text)), label="end")
    note = new_annotation("article", text, start, end)
    assert resolve(note, text) == Anchor(start, end, "exact", 1.0)

    shifted = f"{FRONT}\n\n{text}"
    shift = len(FRONT) + 2
    if not identifiable(shifted, start + shift, end + shift):
        return  # the same words in the same surroundings elsewhere: no text can tell
    anchor = resolve(note, shifted)
    assert anchor.status in ("moved", "exact")
    assert at(anchor) == (start + shift, end + shift)
