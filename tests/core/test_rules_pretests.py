"""The cleaner's speed shortcuts answer exactly as the rules they stand in front of.

Cleaning runs every line through dozens of regexes, so the slowest sit behind cheap
pre-tests: substring "needles" for the phrase rules (``rules._Split``, the caption
credits), a hint for menu separators, the endings of a title's media suffix, of a sentence
and of a gallery counter, and faster scans for numeric dates. A pre-test may only skip a
regex that cannot match; these tests check that claim, on strings generated from the regexes
themselves and over all of Unicode."""

from __future__ import annotations

import itertools
import re
import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summitreader.core import clean, dates, rules
from summitreader.core import words as wordcount


def _start(rule: rules._Split) -> re.Pattern[str]:
    assert rule.start is not None
    return rule.start


CORPORA = ("captures", "holdout", "final", "blind")
NEEDLED = {
    "comments": (rules._COMMENT_ANYWHERE.anywhere, rules._COMMENT_ANYWHERE.needles),
    "consent": (rules.CONSENT.anywhere, rules.CONSENT.needles),
    "credit": (rules.CREDIT.anywhere, rules.CREDIT.needles),
    "job-titles": (rules.JOB_TITLES.anywhere, rules.JOB_TITLES.needles),
    "newsletter": (rules.NEWSLETTER.anywhere, rules.NEWSLETTER.needles),
    "promo": (rules.PROMO.anywhere, rules.PROMO.needles),
    "contact": (rules.CONTACT.anywhere, rules.CONTACT.needles),
    "caption-credit": (rules.CAPTION_CREDIT, rules._CAPTION_NEEDLES),
}

# The line-start rules behind rules._LEAD: each with its leads and its bit.
LED: dict[str, tuple[re.Pattern[str], tuple[str, ...], int]] = {
    "inline-related": (
        rules.INLINE_RELATED,
        rules._INLINE_RELATED_LEADS,
        rules._INLINE_RELATED_LED,
    ),
    "comment-shape": (rules._COMMENT_SHAPE, rules._COMMENT_SHAPE_LEADS, rules._COMMENT_SHAPE_LED),
    "breadcrumb": (rules.BREADCRUMB, rules._BREADCRUMB_LEADS, rules._BREADCRUMB_LED),
    "nav-shape": (rules._NAV_SHAPE, rules._NAV_SHAPE_LEADS, rules._NAV_SHAPE_LED),
    "promo": (_start(rules.PROMO), rules._PROMO_LEADS, rules._PROMO_LED),
    "syndication": (rules.SYNDICATION, rules._SYNDICATION_LEADS, rules._SYNDICATION_LED),
    "credit": (_start(rules.CREDIT), rules._CREDIT_LEADS, rules._CREDIT_LED),
    "tags": (rules.TAGS, rules._TAGS_LEADS, rules._TAGS_LED),
    "media-label": (rules.MEDIA_LABEL, rules._MEDIA_LABEL_LEADS, rules._MEDIA_LABEL_LED),
    "contact": (_start(rules.CONTACT), rules._CONTACT_LEADS, rules._CONTACT_LED),
    "caption-label": (rules.CAPTION_LABEL, rules._CAPTION_LABEL_LEADS, rules._CAPTION_LABEL_LED),
    "relative-time": (rules.RELATIVE_TIME, rules._RELATIVE_TIME_LEADS, rules._RELATIVE_TIME_LED),
}
_LEADS_OF_WORDS = {
    lead for leads in rules._LEAD_GROUPS for lead in leads if lead != rules._DIGIT_LEAD
}


@cache
def _every_character() -> str:
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def test_needles_are_case_folded() -> None:
    for _, needles in NEEDLED.values():
        assert all(n and n == n.casefold() for n in needles)


def test_casefold_maps_what_a_case_insensitive_regex_takes_for_a_needle_character() -> None:
    # The claim that makes a substring test on the case-folded line exact, for the needles
    # and for the leads of the line-start rules (see test_a_line_start_rule_opens_as_its_leads).
    everything = _every_character()
    chars = {ch for _, needles in NEEDLED.values() for needle in needles for ch in needle}
    chars |= {ch for lead in _LEADS_OF_WORDS for ch in lead}
    chars |= {ch for word in rules._CAPTION_CREDIT_WORDS for ch in word}
    for ch in sorted(chars):
        for found in set(re.findall("(?i)" + re.escape(ch), everything)):
            assert found.casefold() == ch or found in rules._UNFOLDED_I, (ch, found)


def test_the_turkish_i_is_why_lines_holding_one_skip_the_needles() -> None:
    assert re.search("(?i)inbox", "İNBOX") and "inbox" not in "İNBOX".casefold()
    assert rules.NEWSLETTER.search("Straight to your İnbox")
    assert rules.NEWSLETTER.search("Straight to your ınbox")


@pytest.mark.parametrize("name", sorted(NEEDLED))
def test_every_match_holds_a_needle(name: str) -> None:
    regex, needles = NEEDLED[name]
    holds_needle = rules.any_of(needles)

    @settings(max_examples=200, deadline=None, database=None)
    @given(st.from_regex(regex))
    def check(text: str) -> None:
        assert rules.may_contain(text, text.casefold(), holds_needle)

    check()


def test_a_split_rule_matches_phrases_at_the_start_and_anywhere() -> None:
    assert rules.PROMO.search("Follow us on Instagram for more")
    assert rules.PROMO.search("This story may include material from the wires")
    assert not rules.PROMO.search("The minister said she would follow us on the matter.")
    assert rules.CONTACT.search("For tips, call us on +1 555 0100")
    assert not rules.CONTACT.search("Officials did not call us back.")


@pytest.mark.parametrize("regex", [clean._EMBED_SIGNATURE, clean._EMBED_OPENER])
def test_embed_lines_are_short(regex: re.Pattern[str]) -> None:
    @settings(max_examples=200, deadline=None, database=None)
    @given(st.from_regex(regex, fullmatch=True))
    def check(text: str) -> None:
        assert len(text.removesuffix("\n")) <= clean._EMBED_MAX_LEN

    check()


def test_every_menu_separator_is_seen_by_the_cheap_test() -> None:
    @settings(max_examples=200, deadline=None, database=None)
    @given(st.from_regex(rules._MENU_SPLIT))
    def check(text: str) -> None:
        assert rules._may_split_menu(text)

    check()
    spaces = set(re.findall(r"\s", _every_character()))
    assert spaces == {c for c in _every_character() if c.isspace()}
    assert not any(c.isprintable() for c in spaces - {" "})
    assert rules._may_split_menu("News\u00a0\tSport") and not rules._may_split_menu("News Sport")


def test_every_embed_line_starts_as_listed() -> None:
    # Case-blind, the regexes' first letters take no character but themselves and their
    # capitals (as "k" takes the Kelvin sign, these might have taken another).
    everything = _every_character()
    firsts = set(re.findall("(?i)[aduve]", everything)) | set("—–-")
    assert firsts == set(clean._EMBED_STARTS)

    @settings(max_examples=200, deadline=None, database=None)
    @given(st.one_of(st.from_regex(clean._EMBED_SIGNATURE), st.from_regex(clean._EMBED_OPENER)))
    def check(text: str) -> None:
        assert text[:1] in clean._EMBED_STARTS

    check()


def test_a_letter_is_never_a_digit() -> None:
    # Why a name's word made of letters alone is not searched for a digit.
    assert not any(c.isalpha() and c.isdigit() for c in _every_character())
    assert clean._take_name("Jane Doe2 Smith") == "Jane"


def test_every_title_media_suffix_ends_as_listed() -> None:
    @settings(max_examples=200, deadline=None, database=None)
    @given(st.from_regex(clean._TITLE_MEDIA_SUFFIX))
    def check(text: str) -> None:
        assert text.rstrip().endswith(clean._TITLE_MEDIA_ENDS)

    check()
    assert clean._strip_title_suffix("Floods hit the coast | VIDEO ") == "Floods hit the coast"
    assert clean._strip_title_suffix(" Floods hit the coast ") == "Floods hit the coast"


def _numeric(matches: object) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in matches]  # type: ignore[attr-defined]


def test_words_of_ascii_text_are_counted_as_the_regex_counts_them() -> None:
    # Every string up to six characters over a word character, the joiners, a space and a
    # comma: each way runs, joiners and gaps can follow one another.
    for size in range(7):
        for chars in itertools.product("a'-. ,", repeat=size):
            text = "".join(chars)
            assert wordcount.count_words(text) == len(wordcount._WORD.findall(text)), text

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.text(alphabet=st.characters(max_codepoint=127)))
    def check(text: str) -> None:
        assert wordcount.count_words(text) == len(wordcount._WORD.findall(text))

    check()
    assert wordcount.count_words("A well-known U.S. firm's 3.5% rise -- 'odd'") == 7


def test_words_of_latin_text_are_counted_as_the_regex_counts_them() -> None:
    # Every Latin-1 character and every one set aside as punctuation has the regex's class
    # in the table (or its stand-in's); mixed with others, the count falls back to the regex.
    for ch in [chr(c) for c in range(256)] + list(
        "\u2019\u2018\u201c\u201d\u2013\u2014\u2026\u2022"
    ):
        for text in (f"a{ch}b", f"{ch}a", f"a{ch}", f"a{ch}{ch}b", f"{ch}", f"a.{ch}b"):
            assert wordcount.count_words(text) == len(wordcount._WORD.findall(text)), repr(text)
    latin = "a'-. ,\u00e9\u00a0\u00b2\u00bf\u00aa\u00d7"
    unusual = "\u2019\u2018\u201c\u201d\u2013\u2014\u2026\u2022\u0416\u4e2d\u2012\u02bc"

    @settings(max_examples=500, deadline=None, database=None)
    @given(st.text(alphabet=st.sampled_from(latin + unusual)))
    def check(text: str) -> None:
        want = len(wordcount._WORD.findall(text))
        assert wordcount.count_words(text) == want
        assert wordcount.count_latin_words(text) in (want, None)

    check()
    assert wordcount.count_latin_words("Un café “très” chaud – l’été…") == 5
    assert wordcount.count_latin_words("Привет, мир") is None


def test_every_list_marker_starts_as_listed() -> None:
    @settings(max_examples=300, deadline=None, database=None)
    @given(st.from_regex(clean._LIST_MARKER))
    def check(text: str) -> None:
        first = text[:1]
        assert first in clean._LIST_MARKER_STARTS or first.isdecimal()

    check()
    assert clean._make_unit("• Item").is_list and clean._make_unit("12. Item").is_list
    assert clean._make_unit("\u200e- Item").body == "Item"
    assert not clean._make_unit("Item - x").is_list


def test_keys_of_ascii_text_match_the_regex() -> None:
    @settings(max_examples=300, deadline=None, database=None)
    @given(st.text(alphabet=st.characters(max_codepoint=127)))
    def check(text: str) -> None:
        low = text.casefold()
        want = " ".join(rules._KEY_DROP.sub(" ", low).replace("’", "'").split())
        assert rules.key(text) == want

    check()


def test_keys_of_any_text_match_the_regex() -> None:
    # The byte table and the non-ASCII class stand in for one regex: every character of
    # Unicode (lone surrogates too), between letters and next to ASCII punctuation.
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1))
    for start in range(0, len(everything), 4096):
        text = "".join(f"a{ch}b{ch}. " for ch in everything[start : start + 4096])
        want = " ".join(rules._KEY_DROP.sub(" ", text).replace("’", "'").split())
        assert rules._key_of_folded(text) == want, start

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.text(alphabet=st.sampled_from("ab_&'’ ,.\x1c\x1f\t\u00a0\u3000é中—-\ud800")))
    def check(text: str) -> None:
        want = " ".join(rules._KEY_DROP.sub(" ", text).replace("’", "'").split())
        assert rules._key_of_folded(text) == want

    check()


def test_one_scan_answers_as_the_gates_it_stands_for() -> None:
    # The scan's bits against a substring test of each group, on lines made of the
    # needles themselves, pieces of them (their forms among them) and letters around them:
    # overlapping needles, needles inside longer ones, needles one of which starts another
    # and forms without the rest of their needle.
    groups = rules._SCAN_GROUPS
    needles = sorted({n for group in groups for n in group})
    forms = [rules._form(n, rules._SCAN_PIVOTS) for n in needles]
    halves = [n[: len(n) // 2] for n in needles]
    pieces = st.sampled_from([*needles, *forms, *halves, "a", " ", "s", "in", "e"])

    def want(low: str) -> int:
        return sum(1 << i for i, group in enumerate(groups) if any(n in low for n in group))

    @settings(max_examples=1000, deadline=None, database=None)
    @given(st.lists(pieces, max_size=8).map("".join))
    def check(low: str) -> None:
        assert rules._SCAN(low) == want(low)

    check()
    assert rules._SCAN("sign up for our newsletter") == rules._NEWSLETTER
    assert rules._SCAN("a line of plain prose") == 0
    for low in ["newsletters", "email us", "e-mail us:", "photos)", "(c) 2024", "ad-freedom"]:
        assert rules._SCAN(low) == want(low), low
    # Found forms whose needle is not there, or would start before the line.
    for low in ["wsletter", "box", "ponsored", "a crisis", "cussion", "ubscri"]:
        assert rules._SCAN(low) == want(low), low
    assert rules._SCAN("inbox") == rules._NEWSLETTER | rules._CONTACT
    # Every needle but the short and the non-ASCII ones is looked for from a pivot: the
    # speed of the scan (a needle without one slows every line).
    assert rules._form("newsletter", rules._SCAN_PIVOTS) == "wsletter"
    for needle, form in zip(needles, forms, strict=True):
        assert needle.endswith(form) and len(form) >= min(3, len(needle))
        assert form[0] in rules._SCAN_PIVOTS or len(needle) < 3 or not needle.isascii(), needle


def _corpus_lines() -> list[str]:
    here = Path(__file__).parent
    texts = [p.read_text("utf-8") for d in CORPORA for p in sorted((here / d).glob("*.txt"))]
    assert len(texts) > 40
    return [u.body for text in texts for u in clean._units(text)]


def test_the_lead_scan_is_a_pre_test_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # phrase_reason answers the same when the lead scan lets every line through to every
    # line-start rule: each of its bits only stands in front of the rule's regex.
    lines = _corpus_lines()
    want = [rules.phrase_reason(line) for line in lines]
    monkeypatch.setattr(rules, "_LEAD", lambda *_: rules._ANY_LED)
    assert [rules.phrase_reason(line) for line in lines] == want
    assert sum(reason is not None for reason in want) > 500


def test_norm_folds_spaces_as_split_and_join_do() -> None:
    @settings(max_examples=300, deadline=None, database=None)
    @given(st.text(alphabet=st.sampled_from("aB ß\u00a0\t\u2028.İ")))
    def check(text: str) -> None:
        assert clean._norm(text) == " ".join(text.casefold().split())

    check()


def test_digit_class_is_decimal_digits() -> None:
    everything = _every_character()
    assert set(re.findall(r"\d", everything)) == {c for c in everything if c.isdecimal()}


def test_numeric_date_scan_finds_what_the_regex_finds() -> None:
    dates_and_noise = st.lists(
        st.one_of(
            st.from_regex(dates._NUMERIC),
            st.text(alphabet="0123456789/-. x٣", max_size=12),
        ),
        max_size=6,
    ).map("".join)

    @settings(max_examples=300, deadline=None, database=None)
    @given(dates_and_noise)
    def check(text: str) -> None:
        want = _numeric(dates._NUMERIC.finditer(text))
        assert _numeric(dates._numeric_dates(text)) == want

    check()
    assert _numeric(dates._numeric_dates("1/2/2024 and 123/05/2024 or 05/06/2024")) == [
        ((0, 8), ("1", "2")),
        ((28, 38), ("05", "06")),
    ]


def test_every_sentence_ending_ends_as_listed() -> None:
    @settings(max_examples=300, deadline=None, database=None)
    @given(st.from_regex(clean._TERMINAL))
    def check(text: str) -> None:
        # A unit's body has no surrounding spaces and no newline (``$`` also matches before one).
        body = text.strip()
        if clean._TERMINAL.search(body):
            assert body[-1:] in clean._TERMINAL_ENDS

    check()

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.text(), st.sampled_from(sorted(clean._TERMINAL_MARKS)))
    def ends_with_a_mark(text: str, mark: str) -> None:
        assert clean._TERMINAL.search((text + mark)[-60:])

    ends_with_a_mark()
    assert clean._make_unit("He said so (AFP)").sentence is False
    assert clean._make_unit("He said so. (AFP)").sentence is True
    assert clean._make_unit("“He said so.”").sentence is True


def test_every_ascii_label_word_or_date_passes_the_cheap_test() -> None:
    ascii_only = st.characters(max_codepoint=127)

    @settings(max_examples=500, deadline=None, database=None)
    @given(
        st.one_of(
            st.from_regex(rules.META_WORDS, alphabet=ascii_only),
            st.from_regex(dates._YEAR_ONLY, alphabet=ascii_only),
        )
    )
    def check(text: str) -> None:
        assert clean._may_name_or_date(text)

    check()
    phrases = [
        p for p in re.split(r"[|()]", rules.META_WORDS.pattern) if re.fullmatch("[a-z ]+", p)
    ]
    assert "published" in phrases
    for phrase in phrases:  # the regex's ASCII phrases, as its alternatives spell them
        assert clean._may_name_or_date(phrase.upper()), phrase
    assert not clean._may_name_or_date("The minister said she would stay on.")
    assert clean._may_name_or_date("Отчёт министра")  # other than ASCII: not pre-tested


def test_every_ascii_news_org_blurb_passes_the_cheap_test() -> None:
    @settings(max_examples=300, deadline=None, database=None)
    @given(st.from_regex(rules.NEWS_ORG, alphabet=st.characters(max_codepoint=127)))
    def check(text: str) -> None:
        assert clean._may_be_news_org(text)

    check()
    assert clean._may_be_news_org("The Ledger IS A NEWS outlet")
    assert not clean._may_be_news_org("Most read stories")


def test_every_edge_separator_is_seen_by_the_cheap_test() -> None:
    @settings(max_examples=300, deadline=None, database=None)
    @given(st.from_regex(clean._EDGE_SEPARATOR))
    def check(text: str) -> None:
        line = text.strip()  # _parse_meta strips the line first
        if clean._EDGE_SEPARATOR.search(line):
            assert line[:1] in clean._SEPARATORS or line[-1:] in clean._SEPARATORS

    check()
    assert clean._parse_meta("| Reuters | Updated: 19-06-2024 09:31 IST").source == "Reuters"


def test_every_source_label_and_published_in_line_starts_as_listed() -> None:
    everything = _every_character()
    firsts = set(re.findall("(?i)[sqf출出来來]", everything))
    assert firsts == set(clean._SOURCE_LABEL_STARTS)

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.from_regex(clean._SOURCE_LABEL))
    def label(text: str) -> None:
        assert text[:1] in clean._SOURCE_LABEL_STARTS

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.from_regex(clean._PUBLISHED_IN))
    def published_in(text: str) -> None:
        assert text.startswith(clean._PUBLISHED_IN_STARTS)

    label()
    published_in()
    assert clean._parse_meta("ſource: Ledger Weekly").source == "Ledger Weekly"


def test_every_gallery_counter_passes_the_cheap_test() -> None:
    @settings(max_examples=300, deadline=None, database=None)
    @given(st.from_regex(clean._GALLERY))
    def check(text: str) -> None:
        body = text.strip()
        if clean._GALLERY.search(body):
            assert clean._may_be_gallery(body)

    check()
    # The case-blind "s" of "1m 30s" also takes the long s, which the cheap test passes on.
    assert clean._GALLERY.search("1m 30\u017f") and clean._may_be_gallery("1m 30\u017f")
    assert clean._may_be_gallery("Image 3 of 12") and not clean._may_be_gallery("Image three")
    # Each alternative's own ending: "s" on a line that opens with a digit, a ")" three
    # characters after the colon.
    assert clean._may_be_gallery("1m 30s") and not clean._may_be_gallery("Officials say")
    assert clean._may_be_gallery("Floods hit the coast (2:15)")
    assert not clean._may_be_gallery("Floods hit the coast (AFP)")


def test_the_gallery_pre_test_answers_as_the_regex_on_every_ending() -> None:
    # Lines ending in every ASCII character, opening with a digit or not, with and without
    # a colon where a running time has one: the pre-test only passes lines the regex may
    # match, and every line it fails, the regex fails.
    shapes = ["1m 3{}", "Image 3 of 1{}", "Clip (2:1{}", "Clip (2:15{}", "x (1:2{}", "{}"]
    shapes += ["Officials sa{}", "12 of 3{}", "a{}", "1{}", "(1:23{}"]
    for ch in map(chr, range(128)):
        for shape in shapes:
            body = shape.format(ch).strip()
            if body and clean._GALLERY.search(body):
                assert clean._may_be_gallery(body), body


def test_every_section_path_separator_holds_a_gate_character() -> None:
    # is_section_path answers False, without splitting, for a line holding none of them.
    @settings(max_examples=300, deadline=None, database=None)
    @given(st.from_regex(rules._CRUMB_SEPARATORS))
    def check(text: str) -> None:
        assert rules._CRUMB_GATE(text)

    check()
    taken = {c for c in _every_character() if rules._CRUMB_SEPARATORS.search(f" {c} ")}
    assert taken == {">", "›", "»", "/", "＞"}
    assert rules.is_section_path("Sociedad / Medio ambiente")
    assert not rules.is_section_path("Sociedad  Medio ambiente")


def test_every_numeric_date_read_by_the_page_order_is_seen_by_the_cheap_test() -> None:
    numeric = dates._PATTERNS[-1]

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.from_regex(numeric))
    def check(text: str) -> None:
        assert clean._MAY_HOLD_NUMERIC_DATE.search(text)

    check()
    # The order changes the date read from a numeric date and nothing else.
    for text in ("Mon 04/02/2025 10:00", "Posted 2025-02-04", "Updated: 4 February 2025"):
        found = {dates.find_date(text, order) for order in (True, False, None)}
        numeric_in = clean._MAY_HOLD_NUMERIC_DATE.search(text) is not None
        assert len(found) == (2 if numeric_in else 1), text


@pytest.mark.parametrize("index", [i for i, gate in enumerate(dates._GATES) if gate is not None])
def test_every_date_a_gated_pattern_finds_passes_its_gate(index: int) -> None:
    pattern, gate = dates._PATTERNS[index], dates._GATES[index]
    assert gate is not None

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.from_regex(pattern))
    def check(text: str) -> None:
        assert gate.search(text)

    check()


def test_the_day_then_year_gate_passes_month_name_dates_only() -> None:
    assert dates.find_date("Posted June 19th, 2024 at noon") == ("2024-06-19", 7, 22)
    assert dates.find_date("Publié le 1er JUIN 2024") == ("2024-06-01", 10, 23)
    assert dates._DAY_THEN_YEAR.search("In 2024 the talks resumed") is None


def test_every_year_holds_19_or_20() -> None:
    # find_date's substring test before the year regex.
    @settings(max_examples=200, deadline=None, database=None)
    @given(st.from_regex(dates._YEAR_ONLY))
    def check(text: str) -> None:
        assert "19" in text or "20" in text

    check()
    assert dates.find_date("No year here, 1 June") is None
    assert dates.find_date("June 19, 2024") == ("2024-06-19", 0, 13)


def test_a_month_name_is_one_word_of_letters_for_the_day_word_year_gate() -> None:
    # Whatever a case-blind month name takes from a line, [^\W\d_]+ takes too.
    everything = _every_character()
    letters = {ch for name in dates._MONTHS for ch in name}
    for ch in sorted(letters):
        for found in set(re.findall("(?i)" + re.escape(ch), everything)):
            assert re.fullmatch(r"[^\W\d_]", found), (ch, found)
    assert dates._DAY_WORD_YEAR.search("Published 19 de junio de 2024")
    assert dates.find_date("Posted 2024-06-19 09:31") == ("2024-06-19", 7, 17)
    assert dates._YEAR_THEN_DAY.search("In 2024 the talks resumed, 19 June") is None


def test_no_character_is_taken_for_two_month_initials() -> None:
    # What makes grouping the month names by initial match exactly as the flat alternation.
    everything = _every_character()
    initials = {name[0] for name in dates._MONTHS}
    taken: dict[str, str] = {}
    for initial in sorted(initials):
        for found in set(re.findall("(?i)" + re.escape(initial), everything)):
            assert taken.setdefault(found, initial) == initial, (found, initial)


@pytest.mark.parametrize("index", [2, 3])
def test_month_names_grouped_by_initial_match_as_the_flat_alternation(index: int) -> None:
    grouped = dates._PATTERNS[index]
    assert dates._MONTH_GROUPED in grouped.pattern
    flat = re.compile(grouped.pattern.replace(dates._MONTH_GROUPED, dates._MONTH), grouped.flags)
    words = st.sampled_from(["mar", "MARS", "Mai", "sept.", "sep", "de", "1er", "19", "2024"])
    noise = st.lists(st.one_of(st.from_regex(flat), words, st.just(" ")), max_size=6).map("".join)

    @settings(max_examples=150, deadline=None, database=None)
    @given(noise)
    def check(text: str) -> None:
        want = [(m.span(), m.groupdict()) for m in flat.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in grouped.finditer(text)] == want

    check()
    assert dates.find_date("le 3 septembre 2024, Sept. 4 2024") == ("2024-09-03", 3, 19)


def test_leads_are_case_folded_and_open_with_a_word_character() -> None:
    assert [leads for _, leads, _ in LED.values()] == list(rules._LEAD_GROUPS)
    assert sorted(bit for _, _, bit in LED.values()) == [1 << i for i in range(len(LED))]
    assert sum(bit for _, _, bit in LED.values()) == rules._ANY_LED
    for lead in _LEADS_OF_WORDS:
        assert lead == lead.casefold() and re.match(r"\w", lead) and not lead[0].isdecimal()


def test_word_characters_are_alphanumerics_and_the_underscore() -> None:
    # Why a line whose first character is alphanumeric has no run of non-word characters.
    everything = _every_character()
    assert set(re.findall(r"\w", everything)) == {c for c in everything if c.isalnum() or c == "_"}


# Derived from the parsed regex (tests only: the product must not import re._parser), the
# openings of a rule's matches: the literal text its alternatives begin with, up to the
# first element that is not a literal, once what matches only non-word characters at the
# start is set aside. _DIGIT for a decimal digit there, _ANY for anything else.
_DIGIT, _ANY = "<digit>", "<any>"
_STOP = (None, None)
_OPENING_LIMIT = 40


@cache
def _takes_only_non_word(ch: str) -> bool:
    # What a case-insensitive literal matches: itself, its other cases and the odd sign.
    return not any(
        re.match(r"\w", c) for c in re.findall("(?i)" + re.escape(ch), _every_character())
    )


def _only_non_word(op: object, av: object) -> bool:
    from re import _constants as c  # type: ignore[attr-defined]

    if op is c.LITERAL:
        return _takes_only_non_word(chr(av))  # type: ignore[arg-type]
    if op is c.IN:
        return all(
            (o is c.CATEGORY and a in (c.CATEGORY_NOT_WORD, c.CATEGORY_SPACE))
            or (o is c.LITERAL and _takes_only_non_word(chr(a)))
            for o, a in av  # type: ignore[attr-defined]
        )
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        return all(_only_non_word(o, a) for o, a in av[2])  # type: ignore[index]
    if op is c.SUBPATTERN:
        return all(_only_non_word(o, a) for o, a in av[3])  # type: ignore[index]
    return False


def _is_digit(op: object, av: object) -> bool:
    from re import _constants as c  # type: ignore[attr-defined]

    if op is c.IN:
        return av == [(c.CATEGORY, c.CATEGORY_DIGIT)]
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        return av[0] >= 1 and _is_digit(*av[2][0])  # type: ignore[index]
    return False


def _openings(items: list[tuple[object, object]], prefix: str = "") -> set[str]:
    from re import _constants as c  # type: ignore[attr-defined]

    if not items or items[0] is _STOP or len(prefix) >= _OPENING_LIMIT:
        return {prefix or _ANY}
    (op, av), rest = items[0], items[1:]
    if op is c.AT:  # ^, \b: no character
        return _openings(rest, prefix)
    if op is c.LITERAL and (prefix or not _takes_only_non_word(chr(av))):  # type: ignore[arg-type]
        return _openings(rest, prefix + chr(av))  # type: ignore[arg-type]
    if not prefix and _only_non_word(op, av):
        return _openings(rest, prefix)  # set aside with the line's run of non-word characters
    if op is c.SUBPATTERN:
        return _openings(list(av[3]) + rest, prefix)  # type: ignore[index]
    if op is c.IN and all(o is c.LITERAL for o, _ in av):  # type: ignore[attr-defined]
        return set().union(*(_openings([(c.LITERAL, a), *rest], prefix) for _, a in av))  # type: ignore[attr-defined]
    if op is c.BRANCH:
        return set().union(*(_openings(list(alt) + rest, prefix) for alt in av[1]))  # type: ignore[index]
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        low, high, sub = av  # type: ignore[misc]
        once = list(sub) + (rest if high == 1 else [_STOP])
        return (_openings(rest, prefix) if low == 0 else set()) | _openings(once, prefix)
    if prefix:
        return {prefix}
    return {_DIGIT if _is_digit(op, av) else _ANY}


def _openings_of(regex: re.Pattern[str]) -> set[str]:
    from re import _parser  # type: ignore[attr-defined]

    tree = _parser.parse(regex.pattern, regex.flags)
    return {o if o in (_DIGIT, _ANY) else o.casefold() for o in _openings(list(tree))}


def test_the_openings_are_derived_from_the_regex() -> None:
    found = _openings_of(re.compile(r"(?i)^\W{0,3}(Also Read|more)\s*:"))
    assert found == {"also read", "also read:", "more", "more:"}
    assert _openings_of(re.compile(r"^\(?(by )?the\b|^\d+ ago|^\w+ \d")) == {
        "by the",
        "the",
        _DIGIT,
        _ANY,
    }
    found = _openings_of(re.compile(r"(?i)^(a|b)c?d*e"))
    assert found == {"ae", "ad", "ace", "acd", "be", "bd", "bce", "bcd"}


@pytest.mark.parametrize("name", sorted(LED))
def test_a_line_start_rule_opens_as_its_leads(name: str) -> None:
    regex, leads, _ = LED[name]
    openings = _openings_of(regex)
    words = [lead for lead in leads if lead != rules._DIGIT_LEAD]
    for opening in openings - {_DIGIT, _ANY}:
        assert opening.startswith(tuple(words)), opening
    assert (_DIGIT in openings) == (rules._DIGIT_LEAD in leads)
    # Only the navigation shapes open with any word; _may_be_nav_shape stands in for them.
    assert (_ANY in openings) == (name == "nav-shape")
    for lead in words:  # no lead stands for nothing
        assert any(opening.startswith(lead) for opening in openings), lead


def _led(text: str) -> int:
    # As phrase_reason asks, with the Turkish i's.
    odd_i = not text.isascii() and rules._HOLDS_UNFOLDED_I(text)
    return rules._ANY_LED if odd_i else rules._LEAD(text, text.casefold())


@pytest.mark.parametrize("name", sorted(LED))
def test_every_match_of_a_line_start_rule_is_let_through(name: str) -> None:
    regex, _, bit = LED[name]
    junk = st.sampled_from(["", " ", "“", "(", "» ", "\u0345", "ß", "İ", "_", "3"])

    @settings(max_examples=300, deadline=None, database=None)
    @given(junk, st.from_regex(regex))
    def check(before: str, text: str) -> None:
        text = before + text
        line = text.strip() if name == "relative-time" else text  # as phrase_reason asks
        if regex.match(line):
            let_through = _led(text) & bit
            if name == "nav-shape":
                let_through = let_through or rules._may_be_nav_shape(text)
            assert let_through, text

    check()


def test_the_shapes_of_navigation_that_open_with_any_word_pass_their_test() -> None:
    shapes = [r"\w+\s\d+\s(of|von|de|di|sur|из)\s\d+", r"(https?://)?[\w-]+(\.[\w-]+)+/\S*"]
    assert all(f"|{shape}|" in rules._NAV_SHAPE.pattern for shape in shapes)
    for shape in shapes:

        @settings(max_examples=300, deadline=None, database=None)
        @given(st.from_regex(re.compile(rf"(?i)^({shape})$")))
        def check(text: str) -> None:
            assert rules._may_be_nav_shape(text)

        check()
    assert rules._may_be_nav_shape("Slide 3 of 12\n") and not rules._may_be_nav_shape(
        "Slide 3 of ten"
    )


def test_the_lead_scan_answers_as_a_startswith_test_of_each_lead() -> None:
    # Lines of leads and pieces of them, behind the characters that open lines: non-word
    # ones (U+0345 and the circled letters fold to letters), digits, the underscore.
    leads = sorted(_LEADS_OF_WORDS)
    pieces = st.sampled_from([*leads, *(lead[:-1] for lead in leads), " ", "ß", "ẞ", "x"])
    openers = st.sampled_from(["", "“", "(", " « ", "\u0345", "\u24b7", "7", "٣", "_", "3 "])
    lines = st.tuples(openers, st.lists(pieces, max_size=4).map("".join)).map("".join)

    def want(text: str) -> int:
        run = len(re.match(r"\W*", text)[0])  # type: ignore[index]
        rest = text[run:].casefold()
        out = 0
        for i, group in enumerate(rules._LEAD_GROUPS):
            words = tuple(lead for lead in group if lead != rules._DIGIT_LEAD)
            digit = rules._DIGIT_LEAD in group and text[run : run + 1].isdecimal()
            out |= (1 << i) if rest.startswith(words) or digit else 0
        return out

    @settings(max_examples=500, deadline=None, database=None)
    @given(lines.map(str.upper))
    def check(text: str) -> None:
        assert rules._LEAD(text, text.casefold()) == want(text)
        assert rules._LEAD(text.lower(), text.lower().casefold()) == want(text.lower())

    check()
    # U+0345 is a non-word character that folds to a letter, iota.
    assert rules._LEAD("\u0345Read more: x", "\u0345read more: x".casefold()) == want(
        "\u0345Read more: x"
    )
    assert rules._LEAD("Read more: x", "read more: x") & rules._INLINE_RELATED_LED
    assert rules._LEAD("The minister said", "the minister said") == 0


def test_a_line_with_a_turkish_i_meets_every_line_start_rule() -> None:
    # A case-insensitive "i" takes the Turkish i's, which casefold does not make an "i".
    assert rules.CAPTION_LABEL.match("İmage: the harbour") and "image" not in "İmage".casefold()
    assert rules.phrase_reason("İmage: the harbour at dusk") == "caption"
    assert rules.phrase_reason("ımage: the harbour at dusk") == "caption"


def _caption_credit_alternatives() -> list[str]:
    # The top-level alternatives of CAPTION_CREDIT's group, as written in its pattern.
    pattern = rules.CAPTION_CREDIT.pattern
    head, tail = "(?i)(", r")\s*$"
    assert pattern.startswith(head) and pattern.endswith(tail)
    body = pattern[len(head) : -len(tail)]
    alternatives, depth, at, start = [], 0, 0, 0
    while at < len(body):
        ch = body[at]
        if ch == "\\":
            at += 2
            continue
        if ch == "[":  # a class: skip to its end ("]" first in it is a member)
            at = body.index("]", at + 2 if body[at + 1] != "^" else at + 3) + 1
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            alternatives.append(body[start:at])
            start = at + 1
        at += 1
    alternatives.append(body[start:])
    assert head + "|".join(alternatives) + tail == pattern
    return alternatives


_CAPTION_CREDIT_ALTERNATIVES = _caption_credit_alternatives()


@pytest.mark.parametrize("index", range(len(_CAPTION_CREDIT_ALTERNATIVES)))
def test_a_caption_credit_starts_where_the_quick_test_looks(index: int) -> None:
    # At every position where the regex's group matches to the end of the line, the
    # look-ahead of _holds_caption_credit holds -- its word starts only on a line holding one
    # of the words -- and it answers as the search, on lines made of each alternative's
    # matches behind other text.
    alternative = _CAPTION_CREDIT_ALTERNATIVES[index]
    body = rules.CAPTION_CREDIT.pattern.removeprefix("(?i)")
    at = re.compile(body, re.IGNORECASE)
    starts = re.compile(rules._CAPTION_CREDIT_STARTS, re.IGNORECASE)
    word_starts = re.compile(rules._CAPTION_CREDIT_WORD_STARTS, re.IGNORECASE)
    holds_word = rules._HOLDS_CAPTION_CREDIT_WORD
    before = st.sampled_from(["", "A ship. ", "x", "Photo ", "\u0130", "(c) ", "\u212a "])

    @settings(max_examples=150, deadline=None, database=None)
    @given(before, st.from_regex(re.compile(rf"(?i)({alternative})\s*$")))
    def check(prefix: str, text: str) -> None:
        text = prefix + text
        low = text.casefold()
        for pos in range(len(text) + 1):
            if at.match(text, pos) and not starts.match(text, pos):
                assert word_starts.match(text, pos), (text, pos)
                assert rules.may_contain(text, low, holds_word), (text, pos)
        want = rules.CAPTION_CREDIT.search(text) is not None
        assert rules._holds_caption_credit(text, low) == want, text

    check()


def test_the_quick_caption_credit_test_answers_as_the_search() -> None:
    lines = _corpus_lines()
    for line in lines:
        want = rules.CAPTION_CREDIT.search(line) is not None
        assert rules._holds_caption_credit(line, line.casefold()) == want, line
    assert rules._holds_caption_credit("Waves at Blackpool. [AFP]", "waves at blackpool. [afp]")
    text = "Farmers at a cocoa shed. File photo"
    assert rules._holds_caption_credit(text, text.casefold())
    text = "Published: 07/10/2024 14:02  |  Updated: 07/10/2024 18:30"
    assert not rules._holds_caption_credit(text, text.casefold())
    # A Turkish i lets the line through to the word starts, as the regex ignores case.
    text = "Boats in the harbour. \u0130mage courtesy of the port"
    assert rules._holds_caption_credit(text, text.casefold())
