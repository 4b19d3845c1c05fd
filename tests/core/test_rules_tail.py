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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
_AD_SHAPE_PLAIN = re.compile(
    r"(?i)^(story|article|text|content) continues (below|after)\b|"
    r"^(advertisement|publicidad|anzeige|publicité)\s*[-–—:]|^sponsored by\b.{0,60}$|"
    r"\bquotes (are )?delayed\b"
)


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


def _breadcrumb_exclusions_first(text: str) -> bool:
    # is_breadcrumb as it was: the dateline, byline and label regexes before the shape.
    if rules.BREADCRUMB.match(text):
        return True
    if (
        rules.META_WORDS.search(text)
        or rules.BYLINE_PREFIX.match(text)
        or rules._LABELLED.match(text)
    ):
        return False
    parts = rules._CRUMB_SEPARATORS.split(text)
    if len(parts) >= 4 and all(0 < len(p.split()) <= 4 for p in parts[:-1]):
        return True
    short = all(0 < len(p.split()) <= 4 and len(p) <= 30 for p in parts)
    return short and (len(parts) >= 3 or len(rules._CRUMB_ARROWS.split(text)) == 2)


def _plain_reason(text: str) -> str | None:
    # phrase_reason as its rules read when written plainly: each regex whole, asked in turn
    # behind its rule's gate (which is part of the rule), with none of the scans, pre-tests
    # and skips that stand in front of them.
    if len(text) > rules.MAX_RULE_LEN:
        return None
    low, k = text.casefold(), rules.key(text)
    if not k:
        return "decoration"
    n = len(k.split())

    def gate(words: tuple[str, ...]) -> bool:
        return any(word in low for word in words)

    if k in rules.ADVERTISEMENT or (gate(rules._AD_GATE) and _AD_SHAPE_PLAIN.search(text)):
        return "advertisement"
    if n <= 14 and rules.is_share_row(k):
        return "share-row"
    if rules.is_related_heading(k) or (n <= 40 and rules.INLINE_RELATED.match(text)):
        return "related-links"
    head, colon, _ = text.partition(":")
    if colon and n <= 40 and rules.is_related_heading(rules.key(head)):
        return "related-links"
    if (
        k in rules.COMMENTS
        or rules._COMMENT_SHAPE.match(text)
        or (n <= 60 and gate(rules._COMMENT_GATE) and rules._COMMENT_ANYWHERE.search(text))
    ):
        return "comments"
    if k in rules.FEEDBACK:
        return "feedback-prompt"
    if k in rules.AUTHOR_HEADING:
        return "author-bio"
    if n <= 12 and (
        rules.BREADCRUMB.match(text)
        or (n >= 2 and rules._CRUMB_GATE(text) and _breadcrumb_exclusions_first(text))
    ):
        return "breadcrumb"
    if (
        k in rules.NAVIGATION
        or (n <= 16 and rules._NAV_SHAPE.match(text))
        or (n <= 60 and gate(rules._NAV_GATE) and rules._NAV_ANYWHERE.search(text))
    ):
        return "navigation"
    if len(rules._TICKER.findall(text)) >= 2 and ("▲" in text or "▼" in text):
        return "navigation"
    if _menu_row_item_by_item(text):
        return "navigation"
    if k in rules.COOKIE_BUTTONS or (
        n <= 80
        and (
            ("cookie" in k and rules.COOKIE.search(text))
            or (gate(rules._CONSENT_GATE) and rules.CONSENT.search(text))
        )
    ):
        return "cookie-notice"
    if n <= 45 and gate(rules._NEWSLETTER_GATE) and rules.NEWSLETTER.search(text):
        return "newsletter"
    if n <= 40 and gate(rules._COPYRIGHT_GATE) and rules.COPYRIGHT.search(text):
        return "copyright"
    if n <= 50 and rules.PROMO.search(text) and rules._PROMO_GATE(low):
        return "promo"
    if n <= 60 and (
        rules.SYNDICATION.match(text)
        or (gate(rules._SYNDICATION_GATE) and rules._SYNDICATION_ANYWHERE.search(text))
    ):
        return "syndication-note"
    if n <= 60 and rules.CREDIT.search(text):
        return "credit"
    if n <= 60 and rules.TAGS.match(text):
        return "tags"
    if n <= 30 and (
        rules.MEDIA_LABEL.match(text)
        or (text.rstrip().endswith(")") and rules._DURATION.search(text))
    ):
        return "media-label"
    if n <= 30 and rules.CONTACT.search(text) and rules._CONTACT_GATE(low):
        return "publisher-blurb"
    if n <= 60 and (
        rules.CAPTION_LABEL.match(text)
        or (rules._CAPTION_GATE(low) and rules.CAPTION_CREDIT.search(text))
    ):
        return "caption"
    if rules.RELATIVE_TIME.match(text.strip()):
        return "metadata"
    return None


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


def test_a_share_row_ends_with_a_sharing_word() -> None:
    words = sorted({w for phrase in rules.SHARE_WORDS for w in phrase.split()})
    keys = st.lists(st.sampled_from([*words, "news", "of", "jane", "2024"]), min_size=1)

    @settings(max_examples=1000, deadline=None, database=None)
    @given(keys.map(" ".join))
    def check(k: str) -> None:
        if rules.is_share_row(k):
            assert k.rpartition(" ")[2] in rules.SHARE_WORDS

    check()
    assert rules.is_share_row("share on facebook") and not rules.is_share_row("share the news")


def test_a_related_heading_opens_with_one_of_their_first_words() -> None:
    words = st.sampled_from(
        [*rules.RELATED_HEADINGS, *(p.strip() for p in rules._RELATED_PREFIXES), "x", "world"]
    )

    @settings(max_examples=1000, deadline=None, database=None)
    @given(st.lists(words, min_size=1, max_size=7).map(" ".join))
    def check(k: str) -> None:
        if rules.is_related_heading(k):
            assert k.partition(" ")[0] in rules._RELATED_FIRST_WORDS
        assert rules.phrase_reason(k) == _plain_reason(k), k

    check()


def test_casefold_folds_each_character_on_its_own() -> None:
    # Why the key of a line's start is the start of the line's key.
    for ch in _every_character():
        assert ("a" + ch + ch + "b").casefold() == "a" + ch.casefold() * 2 + "b", repr(ch)


def test_the_key_before_a_colon_starts_the_line_key_word_for_word() -> None:
    pieces = st.sampled_from(
        [
            *sorted(rules.RELATED_HEADINGS)[:40],
            *("Trending Topics", "MORE FROM the desk", "Latest From", "Most Read"),
            *(":", " : ", " ", "-", "’", "'", "ß", "İ", "Σ", "\u0345", "ﬁ", "..", "_", "x", "2"),
        ]
    )

    @settings(max_examples=1000, deadline=None, database=None)
    @given(st.lists(pieces, max_size=6).map("".join))
    def check(text: str) -> None:
        head, colon, _ = text.partition(":")
        if not colon:
            return
        k, head_key = rules.key(text), rules.key(head)
        assert k == head_key or k.startswith(head_key + " ") or not head_key
        if rules.is_related_heading(head_key):
            assert k.partition(" ")[0] in rules._RELATED_FIRST_WORDS

    check()
    assert rules.phrase_reason("Trending Topics: IPL 2025 | Gold Rate Today") == "related-links"


def test_the_ad_shape_split_matches_as_the_single_regex() -> None:
    before = st.sampled_from(["", " ", "x ", "The ", "“", "İ"])
    after = st.sampled_from(["", ".", " now", "\n", " ſtory"])
    texts = st.tuples(before, st.from_regex(_AD_SHAPE_PLAIN), after).map("".join)

    @settings(max_examples=1000, deadline=None, database=None)
    @given(st.one_of(texts, st.text(alphabet="quotesardly ÄÂ", max_size=30)))
    def check(text: str) -> None:
        want = bool(_AD_SHAPE_PLAIN.search(text))
        assert rules._AD_SHAPE.search(text) == want
        assert rules._AD_SHAPE.search(text, text.casefold()) == want

    check()

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.from_regex(rules._AD_SHAPE.anywhere))
    def holds_a_needle(text: str) -> None:
        assert rules.may_contain(text, text.casefold(), rules._AD_SHAPE.holds_needle)

    holds_a_needle()
    everything = _every_character()
    for ch in sorted({ch for needle in rules._AD_SHAPE.needles for ch in needle}):
        for found in set(re.findall("(?i)" + re.escape(ch), everything)):
            assert found.casefold() == ch or found in rules._UNFOLDED_I, (ch, found)


def test_a_breadcrumb_is_told_as_before_with_its_shape_asked_first() -> None:
    pieces = st.sampled_from(
        [
            *("Home", "News", "World Europe", "a b c d e", " > ", " / ", "/", "›", " » ", "＞"),
            *("Published 2024", "By Jane", "Source: x", "Photo: y", "You are here", " ", "x"),
        ]
    )

    @settings(max_examples=1000, deadline=None, database=None)
    @given(st.lists(pieces, max_size=6).map("".join))
    def check(text: str) -> None:
        assert rules.is_breadcrumb(text) == _breadcrumb_exclusions_first(text)

    check()


@contextmanager
def _scans_open_every_gate_of_phrase_reason() -> Iterator[None]:
    # A bit no gate reads added to every line's needle scan, and every lead's bit set: each
    # line goes past phrase_reason's tests of "any bit at all", and each line-start rule runs
    # its regex; the gates' own bits are left as they are (a gate is part of its rule).
    spare = 1 << len(rules._SCAN_GROUPS)
    scan, lead = rules._SCAN, rules._LEAD
    rules._SCAN = lambda low: scan(low) | spare  # type: ignore[assignment]
    rules._LEAD = lambda text, low: rules._ANY_LED  # type: ignore[assignment]
    try:
        yield
    finally:
        rules._SCAN, rules._LEAD = scan, lead


def _unscanned(reason: Callable[[str], str | None], text: str) -> str | None:
    with _scans_open_every_gate_of_phrase_reason():
        return reason(text)


def test_the_rules_skipped_without_a_gate_or_a_lead_could_not_match() -> None:
    # phrase_reason skips runs of rules on a line with no gate's bit and no lead's: it
    # answers as it does when no line is skipped so.
    gated = [
        rules.NEWSLETTER.anywhere,
        rules.COPYRIGHT,
        rules.PROMO.anywhere,
        rules._SYNDICATION_ANYWHERE,
        rules.CREDIT.anywhere,
        rules.CONTACT.anywhere,
        rules.CAPTION_CREDIT,
        rules._AD_SHAPE.anywhere,
        rules._NAV_ANYWHERE,
        rules._COMMENT_ANYWHERE.anywhere,
        rules.CONSENT.anywhere,
    ]
    led = [
        *(r for r in (rules.NEWSLETTER.start, rules.PROMO.start, rules.CREDIT.start) if r),
        *(r for r in (rules.CONTACT.start, rules._AD_SHAPE.start) if r),
        *(rules.SYNDICATION, rules.TAGS, rules.MEDIA_LABEL, rules.CAPTION_LABEL),
        *(rules.RELATIVE_TIME, rules.INLINE_RELATED, rules._COMMENT_SHAPE, rules._NAV_SHAPE),
    ]
    junk = st.sampled_from(["", " ", "“", "(", "İ", "The ", "3 "])
    lines = st.tuples(junk, st.one_of(*(st.from_regex(r) for r in gated + led)), junk)

    @settings(max_examples=1500, deadline=None, database=None)
    @given(lines.map("".join))
    def check(text: str) -> None:
        assert rules.phrase_reason(text) == _unscanned(rules.phrase_reason, text), text

    check()
    corpus = _corpus_lines()
    with _scans_open_every_gate_of_phrase_reason():
        want = [rules.phrase_reason(line) for line in corpus]
    assert [rules.phrase_reason(line) for line in corpus] == want


def test_phrase_reason_answers_as_its_rules_written_plainly() -> None:
    patterns = [
        *(_AD_SHAPE_PLAIN, rules.INLINE_RELATED, rules._COMMENT_SHAPE, rules.BREADCRUMB),
        *(rules._NAV_SHAPE, rules._NAV_ANYWHERE, rules._TICKER, rules.COOKIE, rules.COPYRIGHT),
        *(rules.SYNDICATION, rules._SYNDICATION_ANYWHERE, rules.TAGS, rules.MEDIA_LABEL),
        *(rules._DURATION, rules.CAPTION_LABEL, rules.CAPTION_CREDIT, rules.RELATIVE_TIME),
        *(rule.anywhere for rule in (rules.NEWSLETTER, rules.PROMO, rules.CREDIT, rules.CONTACT)),
        *(rule.start for rule in (rules.NEWSLETTER, rules.PROMO, rules.CREDIT, rules.CONTACT)),
        *(rules.CONSENT.anywhere, rules._COMMENT_ANYWHERE.anywhere),
    ]
    phrases = sorted(
        rules.ADVERTISEMENT | rules.RELATED_HEADINGS | rules.COMMENTS | rules.NAVIGATION
    )
    share = sorted({w for phrase in rules.SHARE_WORDS for w in phrase.split()})
    words = st.lists(
        st.sampled_from([*phrases, *share, *rules._RELATED_PREFIXES, "x", "News"]), max_size=4
    )
    glue = st.sampled_from(["", " ", "  ", ": ", " | ", " › ", " / ", ", ", ". ", "İ", "“"])
    plain = st.lists(st.sampled_from(["x", "Goals", "the desk", "Sport", "2"]), max_size=6)
    lines = st.one_of(
        *(st.from_regex(p) for p in patterns if p is not None),
        _ROWS,
        st.tuples(words.map(" ".join), glue, words.map(" ".join)).map("".join),
        # Related headings by their openings, and lines that only plain words lead.
        st.tuples(st.sampled_from(rules._RELATED_PREFIXES), plain.map(" ".join)).map("".join),
        st.tuples(plain.map(" ".join), st.from_regex(rules._DURATION)).map(" ".join),
    )

    @settings(max_examples=3000, deadline=None, database=None)
    @given(st.tuples(glue, lines, glue).map("".join))
    def check(text: str) -> None:
        assert rules.phrase_reason(text) == _plain_reason(text), text

    check()
    corpus = _corpus_lines()
    assert [rules.phrase_reason(line) for line in corpus] == list(map(_plain_reason, corpus))
