"""The anchoring mutation suite: annotate the seeds, change the text, count where notes land.

For each bundled seed, annotations of every size (a word, a short phrase, a sentence, a whole
paragraph, and a quote whose words also occur earlier in the article) are made on the cleaned
text. Each mutation then changes the paragraph list the way a re-capture or a better cleaner
would, and tracks where the annotated passage really is afterwards (or that it is gone). The
resolved anchor is then *correct* (on the true span), *orphaned*, or *wrong* (anywhere else,
or anywhere at all when the passage was deleted). Wrong must never happen; an intact quote
must never be orphaned. The counts are printed at the end of the run (see conftest.py).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from summitreader.core.anchoring import resolve
from summitreader.core.annotations import new_annotation
from summitreader.core.clean import clean

if TYPE_CHECKING:
    from .conftest import MutationTally

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
SEP = "\n\n"
#: A made-up paragraph full of the seeds' common words, so a careless anchor has look-alikes.
NEW_PARAGRAPH = (
    "Editor's note: this story about Putin's visit to North Korea and his talks with Kim "
    "was updated with reactions from Seoul, Tokyo and Washington."
)
#: How far a fuzzy span's edges may stray from the truth when the quote itself was edited.
EDGE_TOLERANCE = 3

_WORD = re.compile(r"\w+(?:['’]\w+)?")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+")
_TYPOGRAPHY = str.maketrans("‘’“”–—", "''\"\"--")


@dataclass(frozen=True)
class Spot:
    """An annotated passage: ``paragraphs[para][start:end]``."""

    kind: str
    para: int
    start: int
    end: int


@dataclass(frozen=True)
class Case:
    """One mutation applied for one spot: the text before and after, and the truth after.

    ``truth`` is the passage's span in the joined ``after`` text, or None when it was deleted.
    """

    before: list[str]
    spot: Spot
    after: list[str]
    truth: tuple[int, int] | None


def joined_span(paragraphs: Sequence[str], spot: Spot) -> tuple[int, int]:
    base = sum(len(p) + len(SEP) for p in paragraphs[: spot.para])
    return base + spot.start, base + spot.end


def relocated(spot: Spot, para: int, mapping: Sequence[int] | None = None) -> Spot:
    """The spot in paragraph ``para``, its offsets sent through a character map if given."""
    if mapping is None:
        return replace(spot, para=para)
    return replace(spot, para=para, start=mapping[spot.start], end=mapping[spot.end])


def case(before: list[str], spot: Spot, after: list[str], truth: Spot | None) -> Case:
    return Case(before, spot, after, None if truth is None else joined_span(after, truth))


# --- picking annotations --------------------------------------------------------------------


def sentences(paragraph: str) -> list[tuple[int, int]]:
    cuts = [0] + [m.end() for m in _SENTENCE_END.finditer(paragraph)] + [len(paragraph)]
    spans = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        text = paragraph[a:b].rstrip()
        if text:
            spans.append((a, a + len(text)))
    return spans


def pick_spots(paragraphs: Sequence[str], rng: random.Random) -> list[Spot]:
    """28 annotations of every size, spread over the article."""
    spots: list[Spot] = []
    count = len(paragraphs)

    def spread(n: int) -> list[int]:
        return [round(i * (count - 1) / max(1, n - 1)) for i in range(n)]

    for i in spread(10):
        words = list(_WORD.finditer(paragraphs[i]))
        w = rng.choice(words)
        spots.append(Spot("word", i, w.start(), w.end()))
    for i in spread(8):
        words = list(_WORD.finditer(paragraphs[i]))
        n = min(len(words), rng.randint(2, 4))
        first = rng.randrange(len(words) - n + 1)
        spots.append(Spot("phrase", i, words[first].start(), words[first + n - 1].end()))
    for i in spread(5):
        a, b = rng.choice(sentences(paragraphs[i]))
        spots.append(Spot("sentence", i, a, b))
    for i in spread(3):
        spots.append(Spot("paragraph", i, 0, len(paragraphs[i])))
    spots.extend(repeated(paragraphs))
    return spots


def repeated(paragraphs: Sequence[str]) -> list[Spot]:
    """The second occurrence of the commonest word, and of the longest repeated phrase.

    The commonest word ("Putin", "Korea") has the most look-alikes; the longest repeated
    phrase is the one whose other occurrence is most tempting once its own sentence is gone.
    """
    places: dict[tuple[str, ...], list[tuple[int, int, int]]] = {}
    for p, text in enumerate(paragraphs):
        words = list(_WORD.finditer(text))
        for n in range(1, 7):
            for k in range(len(words) - n + 1):
                key = tuple(w.group() for w in words[k : k + n])
                places.setdefault(key, []).append((p, words[k].start(), words[k + n - 1].end()))
    twice = {k: v for k, v in places.items() if len(v) >= 2}
    word = max(
        (k for k in twice if len(k) == 1 and len(k[0]) >= 4), key=lambda k: (len(twice[k]), k)
    )
    phrase = max((k for k in twice if len(k) > 1), key=lambda k: (len(k), sum(map(len, k))))
    out = []
    for kind, key in (("repeated word", word), ("repeated phrase", phrase)):
        p, a, b = twice[key][1]
        out.append(Spot(kind, p, a, b))
    return out


# --- mutations ------------------------------------------------------------------------------


def insert_paragraph_before(paras: list[str], spot: Spot) -> Case:
    after = paras[: spot.para] + [NEW_PARAGRAPH] + paras[spot.para :]
    return case(paras, spot, after, relocated(spot, spot.para + 1))


def delete_unrelated_paragraph(paras: list[str], spot: Spot) -> Case:
    gone = spot.para - 1 if spot.para > 0 else spot.para + 1
    after = paras[:gone] + paras[gone + 1 :]
    return case(paras, spot, after, relocated(spot, spot.para - (gone < spot.para)))


def add_chrome_lines(paras: list[str], spot: Spot) -> Case:
    after: list[str] = []
    for i, p in enumerate(paras):
        if i:
            after.append("Advertisement" if i % 2 else "Related Topics")
        after.append(p)
    return case(paras, spot, after, relocated(spot, 2 * spot.para))


def strip_chrome_paragraph(paras: list[str], spot: Spot) -> Case:
    i = spot.para
    before = paras[:i] + ["Advertisement", paras[i], "Share this article"] + paras[i + 1 :]
    return case(before, relocated(spot, i + 1), paras, spot)


def rewrap_whitespace(paras: list[str], spot: Spot) -> Case:
    after: list[str] = []
    maps: list[list[int]] = []
    for p in paras:
        out: list[str] = []
        mapping: list[int] = []
        size = 0
        spaces = 0
        for ch in p:
            mapping.append(size)
            if ch == " ":
                spaces += 1
                ch = "\n" if spaces % 5 == 0 else "  " if spaces % 3 == 0 else " "
            out.append(ch)
            size += len(ch)
        mapping.append(size)
        after.append("".join(out))
        maps.append(mapping)
    return case(paras, spot, after, relocated(spot, spot.para, maps[spot.para]))


def swap_quote_style(paras: list[str], spot: Spot) -> Case:
    def swap(text: str) -> str:
        out = []
        for k, ch in enumerate(text):
            opening = k == 0 or text[k - 1] in " (\n"
            if ch == '"':
                ch = "“" if opening else "”"
            elif ch == "'":
                ch = "‘" if opening else "’"
            elif ch in "“”":
                ch = '"'
            elif ch in "‘’":
                ch = "'"
            out.append(ch)
        return "".join(out)

    return case(paras, spot, [swap(p) for p in paras], spot)


def typo_in_quote(paras: list[str], spot: Spot) -> Case:
    """One letter near the middle of the quote changed (or, every other spot, dropped)."""
    text = paras[spot.para]
    letters = [k for k in range(spot.start, spot.end) if text[k].isalnum()]
    k = min(letters, key=lambda j: abs(j - (spot.start + spot.end) // 2))
    drop = spot.start % 2 == 1 and spot.end - spot.start > 3
    other = "1" if text[k].isdigit() else "e"
    new = "" if drop else (other if text[k] != other else "0" if other == "1" else "a")
    mapping = list(range(k + 1)) + [j - drop for j in range(k + 1, len(text) + 1)]
    after = list(paras)
    after[spot.para] = text[:k] + new + text[k + 1 :]
    return case(paras, spot, after, relocated(spot, spot.para, mapping))


def delete_quote_sentence(paras: list[str], spot: Spot) -> Case:
    text = paras[spot.para]
    hit = [(a, b) for a, b in sentences(text) if a < spot.end and spot.start < b]
    rest = (text[: hit[0][0]] + text[hit[-1][1] :].lstrip()).strip()
    after = paras[: spot.para] + ([rest] if rest else []) + paras[spot.para + 1 :]
    return case(paras, spot, after, None)


def duplicate_paragraph(paras: list[str], spot: Spot) -> Case:
    after = paras[: spot.para + 1] + [paras[spot.para]] + paras[spot.para + 1 :]
    return case(paras, spot, after, spot)


MUTATIONS: dict[str, Callable[[list[str], Spot], Case]] = {
    "insert paragraph before": insert_paragraph_before,
    "delete unrelated paragraph": delete_unrelated_paragraph,
    "add chrome lines": add_chrome_lines,
    "strip chrome paragraph": strip_chrome_paragraph,
    "re-wrap whitespace": rewrap_whitespace,
    "straight <-> curly quotes": swap_quote_style,
    "typo inside the quote": typo_in_quote,
    "delete the quote's sentence": delete_quote_sentence,
    "duplicate its paragraph": duplicate_paragraph,
}


# --- the suite ------------------------------------------------------------------------------


def typography_only(a: str, b: str) -> bool:
    """Same words, only whitespace or quote style differ."""
    return " ".join(a.translate(_TYPOGRAPHY).split()) == " ".join(b.translate(_TYPOGRAPHY).split())


def judge(case_: Case) -> tuple[str, str | None]:
    """The outcome for one case, and why it fails the suite (None if it does not).

    Two things fail it: a wrong place, and an orphan whose quote is still there with the same
    words (only whitespace or quote style changed, which the anchoring folds away).
    """
    text = SEP.join(case_.before)
    start, end = joined_span(case_.before, case_.spot)
    annotation = new_annotation("seed", text, start, end)
    after = SEP.join(case_.after)
    anchor = resolve(annotation, after)
    got = "orphan" if anchor.orphan else repr(after[anchor.start : anchor.end])
    why = f"{case_.spot.kind} {annotation.exact!r} -> {anchor.status} {got}"
    if case_.truth is None:
        if anchor.orphan:
            return "orphaned", None
        return "wrong", why + " (passage deleted)"
    ts, te = case_.truth
    why += f"; truth {after[ts:te]!r} at {ts}"
    intact = typography_only(after[ts:te], annotation.exact)
    if anchor.orphan:
        return "orphaned", (why + " (intact, yet orphaned)") if intact else None
    if (anchor.start, anchor.end) == (ts, te):
        return "correct", None
    near = abs(anchor.start - ts) <= EDGE_TOLERANCE and abs(anchor.end - te) <= EDGE_TOLERANCE
    if near and not intact:
        return "correct", None
    return "wrong", why


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[list[str], list[Spot]]]:
    out = {}
    for number, path in enumerate(SEEDS):
        article = clean(path.read_text(encoding="utf-8"))
        paragraphs = [p.text for p in article.paragraphs]
        assert SEP.join(paragraphs) == article.text
        out[path.name] = (paragraphs, pick_spots(paragraphs, random.Random(number)))
    return out


def test_the_suite_has_every_kind_of_annotation(
    seeds: dict[str, tuple[list[str], list[Spot]]],
) -> None:
    assert len(seeds) == 5
    for paragraphs, spots in seeds.values():
        assert len(spots) == 28
        kinds = {s.kind for s in spots}
        assert kinds == {
            "word",
            "phrase",
            "sentence",
            "paragraph",
            "repeated word",
            "repeated phrase",
        }
        text = SEP.join(paragraphs)
        for spot in spots:
            if spot.kind.startswith("repeated"):
                start, end = joined_span(paragraphs, spot)
                assert text.count(text[start:end]) >= 2


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_mutation(
    mutation: str,
    seeds: dict[str, tuple[list[str], list[Spot]]],
    mutation_tally: MutationTally,
) -> None:
    failures = []
    for name, (paragraphs, spots) in seeds.items():
        for n, spot in enumerate(spots):
            outcome, failure = judge(MUTATIONS[mutation](list(paragraphs), spot))
            mutation_tally.add(mutation, f"{name}#{n}", outcome)
            if failure:
                failures.append(f"{name}: {failure}")
    assert not failures, "\n".join(failures)
