"""Find an annotation again after the article's canonical text has changed.

A capture may be cleaned again with better rules, or replaced by a fresher copy of the page,
and then the offsets an annotation stored no longer point at its words. :func:`resolve`
looks for the quote again, cheapest and surest first:

1. **exact**: the text is the one the annotation was made on (same hash), or the quote still
   sits at its stored offsets with its context around it;
2. **moved**: the quote occurs verbatim elsewhere; the occurrence whose surroundings agree
   best with the stored prefix and suffix wins, then the one nearest the old offset;
3. **fuzzy**: the quote was lightly edited (a typo fixed, lines re-wrapped, straight quotes
   made curly); both sides are folded to a common form and rapidfuzz aligns the quote inside
   a few candidate windows, never across the whole text;
4. **orphan**: nothing convincing was found.

Attaching a note to the wrong passage is the worst outcome: the user would read a comment
against words it was never about, and would not know. Losing the place (an orphan, listed
with its stored quote) is visible and recoverable. So every re-attachment, verbatim or not,
must also have its *context* agree, and more so the shorter the quote: "Putin" occurs forty
times in an article and only its neighbours say which one was meant.

Context is compared paragraph by paragraph. The stored prefix and suffix are cut at the
nearest paragraph break (the start and end of the text count as breaks), so a paragraph
inserted, deleted or stripped next to the quote does not make its context disagree; what
counts is the run of words inside the quote's own paragraph and whether the quote starts or
ends one, which weighs as much as several characters (a pull quote repeats a sentence of the
body word for word; only the breaks around it tell them apart).

Cost is linear in the text: :meth:`str.find` for verbatim copies, rapidfuzz's C routines for
every comparison, and the fuzzy step only ever looks at a few windows, opened by the quote's
rarer words, by its stored context and by its old offset.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein, Opcodes

from summitreader.core.annotations import CONTEXT, STATUSES, Annotation, Selector
from summitreader.core.models import text_hash

QuoteClass = Literal["short", "medium", "long"]

#: Quotes shorter than this (in folded characters), or of a single word, are *short*: they
#: occur often by chance, so only a closely agreeing context may place them.
SHORT_QUOTE = 12
#: Quotes at least this long are *long*: a verbatim repeat elsewhere is rare, and the quote
#: itself is most of the evidence.
LONG_QUOTE = 40

#: The least context agreement (0..1) a re-attachment needs, by quote class. Calibrated on the
#: seeds and the cleaner's test corpora: another occurrence of a repeated word agrees with the
#: stored context at 0.17 (median; 99th percentile 0.49), of a phrase at 0.24; the few above
#: these thresholds sit inside whole sentences the page repeats. The true place scores 0.96 to
#: 1.0 after every change of the mutation suite. Short quotes get the strictest bar: their own
#: letters are no evidence. Errs towards orphans, for the reason in the module docstring.
MIN_CONTEXT: dict[QuoteClass, float] = {"short": 0.85, "medium": 0.8, "long": 0.6}

#: The least similarity (0..1, Levenshtein, on folded text) between the stored quote and the
#: text found, by class: one changed letter in a five-letter word passes, a different word
#: does not; a long quote tolerates a few edits, not a different sentence.
MIN_QUOTE: dict[QuoteClass, float] = {"short": 0.75, "medium": 0.85, "long": 0.85}

#: A verbatim occurrence whose context agrees at least this well is taken without looking for
#: edited copies (the fuzzy search is the expensive step).
SURE_CONTEXT = 0.9

#: Verbatim occurrences scored in full; a word found thousands of times in a long text is
#: first ranked by raw context in rapidfuzz's C code, then the best of them are scored.
MAX_OCCURRENCES = 64
#: Verbatim occurrences either side of the old offset always scored, however many there are.
NEAR_OCCURRENCES = 8
#: Windows the fuzzy step aligns in, at most.
MAX_WINDOWS = 32
#: Quotes longer than this (folded) are not slid over windows with rapidfuzz's
#: ``partial_ratio_alignment`` (quadratic in the quote's length per window position); their
#: edges are looked for near seeds instead (see ``_seeded_spans``).
ALIGN_LIMIT = 64
#: Characters at each end of a long quote used to place its edges: many, and the nearest few.
EDGE = 48
EDGE_NEAR = 12
#: How far a long quote's edges are searched from where its seed says they should be: the net
#: length of the edits tolerated before each edge.
MAX_EDGE_SHIFT = 256
#: A long quote's seed is followed only if the raw text there is at least this similar to it
#: (cheap, and loose: re-wrapping lengthens the raw text).
ROUGH_QUOTE = 0.6
#: Characters at each end of a long quote in that cheap look.
ROUGH_SAMPLE = 256
#: Hits of one quote word that may open windows; a word found more often is not distinctive.
MAX_WORD_HITS = 24
#: A paragraph break next to a quote counts as this many characters of context.
BREAK_WEIGHT = 8
#: The quote's own words weigh at most this many characters against the context's (up to
#: about ``2 * CONTEXT``): a long quote is judged mostly by itself, a short one by its context.
QUOTE_WEIGHT_CAP = 160

_BREAK = "\n"  # a paragraph break, once folded
_FOLD = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛", "'"),
        **dict.fromkeys("“”„‟«»", '"'),
        **dict.fromkeys("‐‑‒–—―", "-"),
    }
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w{3,}")


@dataclass(frozen=True)
class Anchor:
    """Where an annotation resolved to in a text, and how.

    Attributes:
        start, end: code-point offsets into the text, ``end`` exclusive; ``-1`` for an orphan.
        status: one of :data:`summitreader.core.annotations.STATUSES`.
        score: how well the found span and its context agree with the stored selector (0..1);
            for an orphan, the best score of any candidate that was turned down.
    """

    start: int
    end: int
    status: str
    score: float

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown anchor status {self.status!r}")

    @property
    def orphan(self) -> bool:
        """True when the quote was not found again."""
        return self.status == "orphan"


def resolve(annotation: Annotation, text: str) -> Anchor:
    """Find ``annotation`` in ``text`` (a canonical text), or declare it an orphan.

    Linear in the text: verbatim occurrences are found with :meth:`str.find`, and the fuzzy
    step aligns only in windows opened by the quote's rarer words, by its context and by its
    old position.

    Args:
        annotation: the annotation, with the selector made on some earlier text.
        text: the article's canonical text now.

    Returns:
        The span and status; an orphan rather than a doubtful place.
    """
    return _resolve(annotation, text, text_hash(text))


def reanchor(annotation: Annotation, text: str) -> tuple[Annotation, Anchor]:
    """Resolve ``annotation`` in ``text`` and return it updated to point there.

    A found annotation gets a fresh selector (offsets and context from the new text) and the
    new text's hash, so the next resolution is the cheap exact one. An orphan keeps its old
    selector, so the quote the user highlighted is never lost, and is flagged. ``updated`` is
    left alone: re-anchoring is not an edit by the user.

    Args:
        annotation: the stored annotation.
        text: the article's canonical text now.

    Returns:
        The annotation to store, and the anchor it resolved to.
    """
    digest = text_hash(text)
    anchor = _resolve(annotation, text, digest)
    if annotation.article_hash == digest and anchor.status == "exact":
        # Same text as it was made on: nothing moves. A stale orphan flag (the text came
        # back) is the one thing to clear.
        if annotation.orphan:
            return dataclasses.replace(annotation, orphan=False), anchor
        return annotation, anchor
    if anchor.orphan:
        return dataclasses.replace(annotation, orphan=True), anchor
    selector = Selector.from_span(text, anchor.start, anchor.end)
    updated = dataclasses.replace(annotation, selector=selector, article_hash=digest, orphan=False)
    return updated, anchor


# --- the cascade ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """What the stored selector says, folded once for all the comparisons."""

    exact: str
    quote: str  # folded
    before: str  # folded context inside the quote's paragraph, nearest character last
    after: str  # folded context inside the quote's paragraph, nearest character first
    start: int
    end: int
    kind: QuoteClass

    @property
    def context_weight(self) -> int:
        return len(_weigh_breaks(self.before)) + len(_weigh_breaks(self.after))

    @property
    def quote_weight(self) -> int:
        return min(len(self.quote), QUOTE_WEIGHT_CAP)


@dataclass(frozen=True)
class _Candidate:
    """A span that may be the quote, with the similarities it was judged on."""

    start: int
    end: int
    quote: float  # similarity of the quote, folded
    context: float
    score: float


def _resolve(annotation: Annotation, text: str, digest: str) -> Anchor:
    """:func:`resolve` with the text's hash given, so :func:`reanchor` computes it once."""
    sel = annotation.selector
    if annotation.article_hash == digest and 0 <= sel.start < sel.end <= len(text):
        return Anchor(sel.start, sel.end, "exact", 1.0)
    target = _target(sel)
    if not target.quote:
        return Anchor(-1, -1, "orphan", 0.0)

    # 1. still at the stored offsets, with its surroundings intact
    if text[sel.start : sel.end] == sel.exact:
        here = _candidate(target, text, sel.start, sel.end)
        if here.context >= 1.0:
            return _accept(target, here, text)

    # 2. verbatim elsewhere
    verbatim = [_candidate(target, text, s, s + len(sel.exact)) for s in _occurrences(target, text)]
    best = _best(target, verbatim)
    if best is not None and best.context >= SURE_CONTEXT:
        return _accept(target, best, text)

    # 3. an edited copy: weighed together with the verbatim ones, so an exact look-alike with
    # a poor context cannot beat the real, lightly edited passage with its context intact.
    candidates = {(c.start, c.end): c for c in verbatim}
    for span in _fuzzy_spans(target, text):
        if span not in candidates:
            candidates[span] = _candidate(target, text, *span)
    best = _best(target, candidates.values())
    if best is None:
        return Anchor(-1, -1, "orphan", 0.0)
    return _accept(target, best, text)


def _accept(target: _Target, found: _Candidate, text: str) -> Anchor:
    """The anchor for the best candidate, or an orphan if it does not clear the thresholds."""
    if found.quote < MIN_QUOTE[target.kind] or found.context < MIN_CONTEXT[target.kind]:
        # 4. orphan: the best place is not good enough, and a worse one is worse still.
        return Anchor(-1, -1, "orphan", round(found.score, 4))
    if text[found.start : found.end] != target.exact:
        status = "fuzzy"
    elif (found.start, found.end) == (target.start, target.end):
        status = "exact"
    else:
        status = "moved"
    return Anchor(found.start, found.end, status, round(found.score, 4))


def _best(target: _Target, candidates: Iterable[_Candidate]) -> _Candidate | None:
    """Highest score; on a tie, the one nearest where the quote used to be."""
    return max(
        candidates,
        key=lambda c: (c.score, -abs(c.start - target.start)),
        default=None,
    )


def _candidate(target: _Target, text: str, start: int, end: int) -> _Candidate:
    """Score ``text[start:end]`` as the place of the quote.

    The quote's and the context's similarities are averaged by how much evidence each holds,
    so a long quote is judged mostly by its words and a one-word quote by its neighbours.
    """
    quote = Levenshtein.normalized_similarity(target.quote, _fold(text[start:end]))
    context = _context(target, text, start, end)
    wq, wc = target.quote_weight, target.context_weight
    score = (wq * quote + wc * context) / (wq + wc)
    return _Candidate(start, end, quote, context, score)


def _target(sel: Selector) -> _Target:
    """Fold the selector and classify the quote once, before any candidate is scored."""
    quote = _fold(sel.exact)
    words = len(quote.split())
    kind: QuoteClass
    if len(quote) < SHORT_QUOTE or words <= 1:
        kind = "short"
    elif len(quote) < LONG_QUOTE:
        kind = "medium"
    else:
        kind = "long"
    return _Target(
        exact=sel.exact,
        quote=quote,
        before=_context_before(sel.prefix, at_text_start=len(sel.prefix) >= sel.start),
        after=_context_after(sel.suffix, at_text_end=len(sel.suffix) < CONTEXT),
        start=sel.start,
        end=sel.end,
        kind=kind,
    )


# --- context ------------------------------------------------------------------------------


def _context_before(raw: str, *, at_text_start: bool) -> str:
    """The folded context before a quote, from the nearest paragraph break on.

    A stored prefix cut inside a paragraph break (it starts with a lone newline) is read as
    starting at that break: canonical paragraphs hold no newline of their own.
    """
    folded = _fold(raw)
    if at_text_start or raw.startswith("\n"):
        folded = _BREAK + folded.lstrip(" ")
    cut = folded.rfind(_BREAK)
    return folded[cut:] if cut >= 0 else folded


def _context_after(raw: str, *, at_text_end: bool) -> str:
    """The folded context after a quote, up to and including the nearest paragraph break."""
    folded = _fold(raw)
    if at_text_end or raw.endswith("\n"):
        folded = folded.rstrip(" ") + _BREAK
    cut = folded.find(_BREAK)
    return folded[: cut + 1] if cut >= 0 else folded


def _context(target: _Target, text: str, start: int, end: int) -> float:
    """How well the text around ``text[start:end]`` agrees with the stored context (0..1).

    The two sides are weighed by how much context each holds: a quote that opens a
    paragraph has only "a break before me" on that side.
    """
    reach = 3 * CONTEXT  # raw characters enough to fold to CONTEXT even if re-wrapped
    lo = max(0, start - reach)
    before = _fold(text[lo:start])
    if lo == 0:
        before = _BREAK + before
    hi = min(len(text), end + reach)
    after = _fold(text[end:hi])
    if hi == len(text):
        after = after + _BREAK
    stored_before = _weigh_breaks(target.before[::-1])
    stored_after = _weigh_breaks(target.after)
    wb, wa = len(stored_before), len(stored_after)
    if wb + wa == 0:
        return 0.0
    sb = _side(stored_before, _weigh_breaks(before[::-1]))
    sa = _side(stored_after, _weigh_breaks(after))
    return (wb * sb + wa * sa) / (wb + wa)


def _side(stored: str, found: str) -> float:
    """Similarity of one side of the context, nearest characters first in both strings."""
    if not stored:
        return 0.0
    return Levenshtein.normalized_similarity(stored, found[: len(stored)])


def _weigh_breaks(folded: str) -> str:
    """A paragraph break made worth :data:`BREAK_WEIGHT` characters of context.

    Whether a quote opens or closes a paragraph is strong evidence: a pull quote repeats a
    sentence of the body word for word, and only the breaks around it tell the two apart.
    """
    return folded.replace(_BREAK, _BREAK * BREAK_WEIGHT)


# --- verbatim occurrences -----------------------------------------------------------------


def _occurrences(target: _Target, text: str) -> list[int]:
    """Start offsets of the quote verbatim in ``text``: all of them, or the likeliest few.

    A common word in a megabyte of text occurs thousands of times; they are ranked by raw
    context similarity in rapidfuzz's C code and only the best are scored in full, with the
    few nearest the old offset.
    """
    needle = target.exact
    found: list[int] = []
    at = text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    if len(found) <= MAX_OCCURRENCES:
        return found
    n = len(needle)
    half = CONTEXT // 2
    keys = [text[max(0, s - half) : s] + "\x00" + text[s + n : s + n + half] for s in found]
    query = target.before[-half:] + "\x00" + target.after[:half]
    ranked = process.extract(
        query, keys, scorer=Levenshtein.normalized_similarity, limit=MAX_OCCURRENCES
    )
    keep = {found[index] for _, _, index in ranked}
    # and the neighbours of the old offset: when contexts tie, nearness decides
    near = bisect.bisect_left(found, target.start)
    keep.update(found[max(0, near - NEAR_OCCURRENCES) : near + NEAR_OCCURRENCES])
    return sorted(keep)


# --- fuzzy search -------------------------------------------------------------------------


def _fuzzy_spans(target: _Target, text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that may be the quote, lightly edited."""
    if len(target.quote) > ALIGN_LIMIT:
        return _seeded_spans(target, text)
    spans: list[tuple[int, int]] = []
    # A short quote is also aligned with its context around it: its own letters prove
    # little, its neighbours a lot, and they still lead to it when the quote was edited.
    inner_before = target.before.lstrip(_BREAK)
    inner_after = target.after.rstrip(_BREAK)
    with_context = inner_before + target.quote + inner_after
    for lo, hi in _windows(target, text):
        window = _Folded.of(text, lo, hi)
        spans.extend(window.align(target.quote, 0, len(target.quote)))
        if target.kind != "long" and with_context != target.quote:
            first = len(inner_before)
            spans.extend(window.align(with_context, first, first + len(target.quote)))
    return spans


def _seeds(target: _Target, text: str) -> list[int]:
    """Where the quote may begin now, by raw offset: guesses to align around.

    The old offset; wherever one of the quote's rarer words occurs, less that word's offset
    in the quote; right after the stored prefix, right before the stored suffix.
    """
    size = len(target.exact)
    starts = [target.start]
    for word, offset in _distinctive_words(target.exact, text):
        starts.extend(hit - offset for hit in _hits(text, word, target.start + offset))
    tail = target.before.lstrip(_BREAK)[-16:]
    if len(tail) >= 6:
        starts.extend(hit + len(tail) for hit in _hits(text, tail, target.start - len(tail)))
    head = target.after.rstrip(_BREAK)[:16]
    if len(head) >= 6:
        starts.extend(hit - size for hit in _hits(text, head, target.end))
    return starts


def _windows(target: _Target, text: str) -> list[tuple[int, int]]:
    """Regions for a short quote to be aligned in, around each seed, overlapping ones merged."""
    size = len(target.exact)
    slack = 16 + size // 4
    spans = sorted(
        (max(0, s - slack), min(len(text), s + size + slack))
        for s in _seeds(target, text)
        if s + size + slack > 0 and s - slack < len(text)
    )
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    if len(merged) > MAX_WINDOWS:
        merged.sort(key=lambda w: abs(w[0] - target.start))
        merged = merged[:MAX_WINDOWS]
    return merged


def _seeded_spans(target: _Target, text: str) -> list[tuple[int, int]]:
    """Spans for a long quote: its edges found near each seed, not by a sliding alignment.

    Sliding a long quote over a window costs its length squared per position; a seed from
    one of its words already says where it begins, give or take the edits, so only the two
    edges are searched, each with the quote's first or last few dozen characters.
    """
    size = len(target.exact)
    reach = min(8 + len(target.quote) // 16, MAX_EDGE_SHIFT)
    spans: list[tuple[int, int]] = []
    tried: list[int] = []
    for seed in sorted(set(_seeds(target, text)), key=lambda s: abs(s - target.start)):
        if len(tried) >= MAX_WINDOWS:
            break
        if seed + size <= 0 or seed >= len(text) or any(abs(seed - t) <= reach for t in tried):
            continue
        tried.append(seed)
        if _rough(target, text, seed) < ROUGH_QUOTE:
            continue
        # generous on the right: re-wrapping may have made the passage longer in raw text
        lo, hi = max(0, seed - 2 * reach), min(len(text), seed + 2 * size + 2 * reach)
        window = _Folded.of(text, lo, hi)
        spans.extend(window.fit(target.quote, bisect.bisect_left(window.starts, seed), reach))
    return spans


def _rough(target: _Target, text: str, seed: int) -> float:
    """A cheap look at whether the long quote begins at ``seed``: either end resembles it.

    The head is folded (re-wrapping lengthens raw text, so the tail's place is a guess);
    the tail, compared raw where it would end, rescues a quote whose opening was edited.
    """
    k = min(len(target.quote), ROUGH_SAMPLE)
    seed = max(0, seed)
    head = _fold(text[seed : seed + 2 * k])[:k]
    end = seed + len(target.exact)
    tail = text[max(0, end - k) : end]
    return max(
        Levenshtein.normalized_similarity(target.quote[:k], head),
        Levenshtein.normalized_similarity(target.exact[-k:], tail),
    )


def _distinctive_words(quote: str, text: str) -> list[tuple[str, int]]:
    """Up to three of the quote's words that are rarest in ``text``, with their offsets.

    A typo fix changes one word; the others still lead to the passage.
    """
    offsets: dict[str, int] = {}
    for match in _WORD.finditer(quote):
        offsets.setdefault(match.group(), match.start())
    longest = sorted(offsets, key=len, reverse=True)[:8]
    counted = [(text.count(w), w) for w in longest]
    usable = sorted((n, w) for n, w in counted if n)
    return [(w, offsets[w]) for _, w in usable[:3]]


def _hits(text: str, needle: str, near: int) -> list[int]:
    """Where ``needle`` occurs, at most :data:`MAX_WORD_HITS` of them, nearest ``near`` first."""
    found: list[int] = []
    at = text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    if len(found) > MAX_WORD_HITS:
        found.sort(key=lambda s: abs(s - near))
        del found[MAX_WORD_HITS:]
    return found


@dataclass(frozen=True)
class _Folded:
    """A window of the text folded, with each folded character's span in the original.

    Folding maps curly quotes and dashes to plain ones and each whitespace run to one
    character (a newline if it holds a paragraph break), so that re-wrapping and typography
    do not count as edits; the spans map a match back to original offsets.
    """

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, source: str, lo: int, hi: int) -> _Folded:
        chars: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = lo
        for match in _SPACE.finditer(source, lo, hi):
            a, b = match.span()
            if a > pos:
                chars.append(source[pos:a].translate(_FOLD))
                starts.extend(range(pos, a))
                ends.extend(range(pos + 1, a + 1))
            chars.append(_space(match))
            starts.append(a)
            ends.append(b)
            pos = b
        if hi > pos:
            chars.append(source[pos:hi].translate(_FOLD))
            starts.extend(range(pos, hi))
            ends.extend(range(pos + 1, hi + 1))
        return cls("".join(chars), tuple(starts), tuple(ends))

    def span(self, a: int, b: int) -> list[tuple[int, int]]:
        """Folded ``[a, b)`` as original offsets; nothing for an empty span."""
        return [(self.starts[a], self.ends[b - 1])] if 0 <= a < b <= len(self.text) else []

    def align(self, needle: str, first: int, last: int) -> list[tuple[int, int]]:
        """Where ``needle[first:last]`` lands when ``needle`` is aligned at its best place.

        rapidfuzz finds the best window of the needle's length; its edges are then moved a
        little each way to the least edit distance, since a letter inserted or dropped makes
        the true span longer or shorter than the needle. A global alignment inside that tight
        span then places ``first`` and ``last`` when they are not the needle's own edges.
        Only for short needles: the sliding alignment costs the needle's length squared.

        Returns:
            At most one span, in original offsets; none if nothing resembles the needle.
        """
        if not self.text or not needle:
            return []
        if len(self.text) > len(needle):
            hit = fuzz.partial_ratio_alignment(needle, self.text, score_cutoff=50)
            if hit is None:
                return []
            a, b = _tighten(needle, self.text, hit.dest_start, hit.dest_end)
        else:
            a, b = 0, len(self.text)
        if (first, last) != (0, len(needle)):
            ops = Levenshtein.opcodes(needle, self.text[a:b])
            inner_a = _project_start(ops, first)
            inner_b = _project_end(ops, last)
            if inner_a is None or inner_b is None:
                return []
            a, b = a + inner_a, a + inner_b
        return self.span(a, b)

    def fit(self, needle: str, guess: int, reach: int) -> list[tuple[int, int]]:
        """The span of a long ``needle`` believed to begin about ``guess`` (folded offset).

        The start is where the needle's first characters match best within ``reach`` of the
        guess, the end where its last ones do, about a needle's length on. Each edge is judged
        on the nearest dozen characters and on :data:`EDGE` of them: the few pin the edge to
        the character, the many keep a phrase repeated nearby from passing for it.
        """
        hay = self.text
        n = len(needle)
        k = min(n, EDGE)
        s = min(k, EDGE_NEAR)

        def start_cost(x: int) -> tuple[int, int]:
            near = Levenshtein.distance(needle[:s], hay[x : x + s])
            return near + Levenshtein.distance(needle[:k], hay[x : x + k]), abs(x - guess)

        a = min(
            range(max(0, guess - reach), max(0, min(len(hay), guess + reach)) + 1), key=start_cost
        )
        end = a + n

        def end_cost(y: int) -> tuple[int, int]:
            near = Levenshtein.distance(needle[-s:], hay[max(a, y - s) : y])
            return near + Levenshtein.distance(needle[-k:], hay[max(a, y - k) : y]), abs(y - end)

        b = min(
            range(min(len(hay), max(a + 1, end - reach)), min(len(hay), end + reach) + 1),
            key=end_cost,
        )
        return self.span(a, b)


def _tighten(needle: str, hay: str, a: int, b: int) -> tuple[int, int]:
    """``hay[a:b]``'s edges moved to where a short ``needle`` matches best, the start first.

    Ties keep the edge where it was: rapidfuzz's window is already the best of its length.
    """
    reach = 4 + len(needle) // 16

    def start_cost(x: int) -> tuple[int, int]:
        return Levenshtein.distance(needle, hay[x:b]), abs(x - a)

    a = min(range(max(0, a - reach), min(b - 1, a + reach) + 1), key=start_cost)

    def end_cost(y: int) -> tuple[int, int]:
        return Levenshtein.distance(needle, hay[a:y]), abs(y - b)

    b = min(range(max(a + 1, b - reach), min(len(hay), b + reach) + 1), key=end_cost)
    return a, b


def _project_start(ops: Opcodes, first: int) -> int | None:
    """The destination offset where source character ``first`` landed (or would have)."""
    for op in ops:
        if op.src_start <= first < op.src_end:
            if op.tag == "delete":
                return op.dest_start
            return op.dest_start + (first - op.src_start)
    return None


def _project_end(ops: Opcodes, last: int) -> int | None:
    """The destination offset just after source character ``last - 1``."""
    if last <= 0:
        return None
    for op in ops:
        if op.src_start <= last - 1 < op.src_end:
            if op.tag == "delete":
                return op.dest_start
            return op.dest_start + (last - 1 - op.src_start) + 1
    return None


def _space(match: re.Match[str]) -> str:
    """A whitespace run folded: a paragraph break stays one, anything else is a space."""
    return _BREAK if match.group().count("\n") >= 2 else " "


def _fold(raw: str) -> str:
    """``raw`` with quotes and dashes made plain and whitespace runs collapsed (see _Folded)."""
    return _SPACE.sub(_space, raw.translate(_FOLD))
