"""Turn a plain-text capture of a news page into a clean :class:`Article`.

The capture is read as a sequence of non-empty lines ("units"). Each unit is judged in three
ways, cheapest first:

1. by its own words (:mod:`summitreader.core.rules`): share rows, advertisement labels,
   "Most read" headings, cookie and newsletter prompts, copyright lines and the like;
2. by its place in the page: what comes before the headline is navigation, a publisher blurb
   or a page-header date; between the headline and the first paragraph come the byline and
   date lines, the standfirst and the photo captions; after the last sentence come footers
   and story lists;
3. by its relation to other units: a repeat of the headline, a paragraph seen before, image
   alt text that is the start of the caption that follows it.

Nothing here is keyed to one outlet or file. Every function is linear in the input: the
phrase rules run only on short lines, and the cross-unit checks use dictionaries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from summitreader.core import rules
from summitreader.core.dates import (
    date_rank,
    find_date,
    is_date_only,
    is_time_only,
    numeric_order,
)
from summitreader.core.models import Article, Paragraph, Removed
from summitreader.core.textio import drop_unsafe, line_breaks
from summitreader.core.words import count_latin_words, count_words_by_regex

#: Bump whenever a rule changes what :func:`clean` returns; caches key on it.
CLEANER_VERSION: Final = 1

_LIST_MARKER: Final = re.compile(r"^(?:[•·▪◦‣∙●○■□►▶➤✓✔*+]|[-–—](?=\s)|\d{1,3}[.)])\s+")
# What a match of _LIST_MARKER starts with, but for a decimal digit (``\d``).
_LIST_MARKER_STARTS: Final = "•·▪◦‣∙●○■□►▶➤✓✔*+-–—"
_TERMINAL: Final = re.compile(
    r"[.!?…。！？][\"'”’»)\]]*\s*(?:[(\[][^()\[\]]{1,40}[)\]])?$|[.!?…。！？][\"'”’»]+$"
)
# The last character of every match of _TERMINAL (a line ends with no space).
_TERMINAL_ENDS: Final = frozenset(".!?…。！？\"'”’»)]")
# A line ending in one of these ends as a sentence: _TERMINAL's first alternative matches it.
_TERMINAL_MARKS: Final = frozenset(".!?…。！？")
_CJK_NAME: Final = re.compile(
    r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af][\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af ·・]{1,11}"
)
_DIRECTION_MARKS: Final = "\u200e\u200f\u061c"
# Scripts written without spaces between words: about three characters make a word.
_UNSPACED: Final = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_OPEN_QUOTES: Final = '"“«„'
_CLOSE_QUOTES: Final = '"”»“'
_TITLE_MEDIA_SUFFIX: Final = re.compile(
    r"\s+(?:[|I•:–—-])\s*(?:VIDEOS?|PHOTOS?|PICS|WATCH|LIVE(?: UPDATES)?|LISTEN|GALLERY|"
    r"IN PICTURES)\s*$"
)
# How every match of _TITLE_MEDIA_SUFFIX ends (before trailing spaces): a cheap test first.
_TITLE_MEDIA_ENDS: Final = (
    *("VIDEO", "VIDEOS", "PHOTO", "PHOTOS", "PICS", "WATCH", "LIVE", "UPDATES", "LISTEN"),
    *("GALLERY", "PICTURES"),
)
_DATELINE_SOURCE: Final = re.compile(
    r"^[A-Z][\w .'’-]{1,40}(?:,\s*(?:\d{1,2}\s+\w{3,10}\.?|\w{3,10}\.?\s+\d{1,2}))?\s*"
    r"\(([A-Z][\w&. -]{1,30})\)\s*(?:[-–—:]|--|\.-)"
)
_OUTLET_WORDS: Final = re.compile(
    r"(?i)\b(press|news|agency|agencia|agence|agentur|times|post|herald|tribune|journal|"
    r"gazette|daily|telegraph|guardian|courier|chronicle|reuters|bloomberg|wire|media|"
    r"broadcasting|radio|tv|television|observer|examiner|standard|express|mail|review)\b"
)
_CORPORATE_SUFFIX: Final = re.compile(
    r"(?i)(\s*,)?\s+((media|publishing|publications|newspapers?)\s+)?((group|holdings|"
    r"company|corporation)\s+)?(pty\.?\s+)?(ltd\.?|limited|plc|inc\.?|llc|gmbh|s\.?a\.?|"
    r"co\.?|corp\.?|group|gmbh & co\.? kg|ag|kg|s\.?l\.?|s\.?p\.?a\.?|bv|nv|pvt\.?( ltd\.?)?)$"
)
_COPYRIGHT_PREFIX: Final = re.compile(
    r"(?i)^(\W*(©|ⓒ|\(c\)|copyright)\s*|\s*\d{4}(\s*[-–]\s*\d{4})?[.,]?\s*)+"
)
_PLAIN_NAME: Final = re.compile(r"^[\w&'’. -]+$")
_PUBLISHED_IN: Final = re.compile(
    r"^(?:Published|First published|Appeared) in ([A-Z][\w&' -]{2,40}?),"
)
_PUBLISHED_IN_STARTS: Final = ("Published in ", "First published in ", "Appeared in ")
_SIGNOFF_SOURCE: Final = re.compile(
    r"[.!?…\"”’]\s*\(([A-Z][\w&.-]{1,20}(?: [A-Z][\w&.-]{1,20}){0,2})\)$"
)
_SOURCE_LABEL: Final = re.compile(
    r"(?i)^(?:source|quelle|fuente|fonte|출처|出典|来源|來源)\s*[:：-]\s*(.+)$"
)
# What a match of _SOURCE_LABEL starts with (case-blind, "s" also takes the long s).
_SOURCE_LABEL_STARTS: Final = "sSſqQfF출出来來"
_CHINESE_BYLINE: Final = re.compile(r"(?:记者|記者|作者|文)[\s:：]*([\u3400-\u9fff]{2,4})")
_DOMAIN: Final = re.compile(
    r"(?i)\b((?:[a-z0-9-]+\.)+(?:com|net|org|in|co\.uk|co\.kr|kr|jp|de|fr|es|news))\b"
)
_STAFF_OF: Final = re.compile(r"(?i)\bby ([A-Z][\w.-]+(?: [A-Z][\w.-]+){0,3}) staff\b")
_EDGE_SEPARATOR: Final = re.compile(r"^[|·•]\s+|\s+[|·•]$")
_SEPARATORS: Final = "|·•"  # what a match of _EDGE_SEPARATOR starts or (a line, stripped) ends with
_META_SPLIT: Final = re.compile(
    r"\s+[|·•]\s+|\s+[–—-]{1,2}\s+|\s{2,}|\u3000+|\s*,\s+(?=[A-Z][a-z]+\s*:)"
)
_BYLINE_ANYWHERE: Final = re.compile(
    r"(?:\b[Bb]y|\bBY)\s*[:：]?\s+(?=[A-Z\u00c0-\u024f\uac00-\ud7af])"
)
_KOREAN_BYLINE: Final = re.compile(r"([\uac00-\ud7af]{2,4})\s*(?:기자|특파원)")
_NAME_CONNECTORS: Final = frozenset(
    [
        "and",
        "&",
        "de",
        "da",
        "del",
        "della",
        "der",
        "den",
        "van",
        "von",
        "la",
        "le",
        "du",
        "dos",
        "das",
        "bin",
        "al",
        "y",
        "e",
        "et",
        "und",
    ]
)
_NAME_STOPS: Final = frozenset(
    [
        "updated",
        "published",
        "posted",
        "created",
        "modified",
        "edited",
        "last",
        "first",
        "on",
        "at",
        "in",
        "for",
        "from",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "today",
        "yesterday",
        "staff",
        "senior",
        "chief",
        "deputy",
        "special",
        "foreign",
        "correspondent",
        "reporter",
        "writer",
        "editor",
        "journalist",
        "columnist",
        "contributor",
        "producer",
        "bureau",
        "news",
        "the",
        "a",
        "an",
    ]
)


class _Unit:
    """One non-empty line of the capture and what can be said of it on its own.

    A value, but not a frozen dataclass: a page makes thousands of units and the passes read
    their fields tens of thousands of times. A frozen dataclass sets each field through
    ``object.__setattr__`` and, set through ``__dict__`` instead, is read more slowly; plain
    slots are the cheapest to set and to read. The fields are ``Final``, so mypy rejects any
    assignment after ``__init__``. The features below them are worked out on first use and
    kept in slots of their own, typed, so that mypyc can compile the class (see
    ``hatch_build.py``): it takes neither a ``__dict__`` nor a caching descriptor.
    """

    __slots__ = (
        "text",
        "body",
        "is_list",
        "words",
        "sentence",
        "reason",
        "norm",
        "gap",
        "_is_meta",
        "_headline_like",
        "_date",
        "_date_known",
        "_meta",
        "_menu_row",
        "_title_norm",
    )

    def __init__(
        self,
        text: str,
        body: str,
        is_list: bool,
        words: int,
        sentence: bool,
        reason: str | None,
        norm: str,
        gap: bool = False,
    ) -> None:
        self.text: Final = text  # the line, trimmed (list marker kept)
        self.body: Final = body  # the line without its list marker
        self.is_list: Final = is_list
        self.words: Final = words
        self.sentence: Final = sentence  # ends the way a sentence ends
        self.reason: Final = reason  # chrome by its words alone
        # The line as compared for repeats (:func:`_norm` of ``text``): the foot and the
        # body passes look up nearly every line by it, so it is worked out with the others.
        self.norm: Final = norm
        self.gap: Final = gap  # a blank line comes before it
        # The features below, None until asked for (a date may be None: _date_known).
        self._is_meta: bool | None = None
        self._headline_like: bool | None = None
        self._date: tuple[str, int, int] | None = None
        self._date_known = False
        self._meta: _Meta | None = None
        self._menu_row: bool | None = None
        self._title_norm: str | None = None

    @property
    def paragraph_like(self) -> bool:
        return self.reason is None and (self.words >= 12 or (self.sentence and self.words >= 3))

    # What the passes below ask of short lines, worked out once: they look at the lines near
    # the headline several times over, through sliding windows, and these cost more than
    # the questions themselves.

    @property
    def is_meta(self) -> bool:
        """A byline or date line (:func:`_is_meta`)."""
        found = self._is_meta
        if found is None:
            found = self._is_meta = _is_meta(self)
        return found

    @property
    def headline_like(self) -> bool:
        """Shaped like a headline (:func:`_headline_like`)."""
        found = self._headline_like
        if found is None:
            found = self._headline_like = _headline_like(self)
        return found

    @property
    def date(self) -> tuple[str, int, int] | None:
        """The line's first date, read with no page date order (:func:`find_date`).

        Searched for once: the byline/date line test asks it of nearly every short line,
        and the page-date test and the reading of a one-part date line ask it again.
        """
        if not self._date_known:
            self._date = find_date(self.body)
            self._date_known = True
        return self._date

    @property
    def meta(self) -> _Meta:
        """What the line says as a byline/date line, read with no page date order.

        A date line beside a headline candidate is read to tell a bare byline; read again
        when the article's header fields are gathered only if the page writes its numeric
        dates month first (read day first, as with no order, a line reads the same).
        """
        found = self._meta
        if found is None:
            found = self._meta = _parse_meta(self.body, unit=self)
        return found

    @property
    def menu_row(self) -> bool:
        """A row of menu entries (:func:`rules.is_menu_row`).

        The headline's and the masthead's searches both look for the last menu above them.
        """
        found = self._menu_row
        if found is None:
            found = self._menu_row = rules.is_menu_row(self.body)
        return found

    @property
    def title_norm(self) -> str:
        """The line as compared with the headline: media suffix dropped, then :func:`_norm`.

        Asked of every line after the headline; for most it is :attr:`norm` itself.
        """
        found = self._title_norm
        if found is None:
            bare = _strip_title_suffix(self.body)
            found = self._title_norm = self.norm if bare == self.text else _norm(bare)
        return found


def _units(raw: str) -> list[_Unit]:
    """The non-empty lines of a capture, sanitised (:func:`textio.sanitize`), as units.

    The capture is sanitised line by line: what sanitising drops is never a line break, so
    the lines are the same, and a line (stripped) that is printable holds nothing to drop
    -- most lines (a line with a no-break space is not printable). That test tells the
    unit's norm (:func:`_norm_folded`) too: it is the line case-folded when the line is
    printable and holds no two spaces in a row. Cheaper than a regex over the whole text.

    The phrase rules run over all the lines in one loop after the rest is worked out: the
    regex engine, run back to back, ran faster than in turns with the rest of the work.
    (Building the units in that loop costs it little.)
    """
    lines: list[str] = []
    gaps: list[bool] = []
    plain: list[bool] = []  # the line is printable
    gap = False
    for line in line_breaks(raw).split("\n"):
        line = line.strip()
        printable = line.isprintable()
        if not printable:
            # What is dropped inside the line may leave spaces at its ends; those it
            # drops from the ends are spaces themselves (stripped with the line).
            line = drop_unsafe(line).strip()
        if not line:
            gap = True
            continue
        lines.append(line)
        gaps.append(gap)
        plain.append(printable)
        gap = False
    parts = [_unit_parts(line) for line in lines]  # (stripped above)
    units = []
    for (text, body, is_list, words, sentence, low, k), gap, printable in zip(
        parts, gaps, plain, strict=True
    ):
        # The phrase rules and the unit's norm both start from the line case-folded: most
        # lines are their own body (no list marker, no direction mark), folded once for both.
        # Case folding keeps a line printable and folds no character but a space into one,
        # so the folded line of a printable line has no space at its ends.
        norm = low if body is text else text.casefold()
        if not printable or "  " in norm:
            norm = " ".join(norm.split())
        reason = rules.phrase_reason(body, low, k)
        units.append(_Unit(text, body, is_list, words, sentence, reason, norm, gap))
    return units


def _starts_text(u: _Unit) -> bool:
    """A line that can open the article text (a tagline like "Independent. Fair." cannot)."""
    return u.reason is None and (u.words > 20 or (u.sentence and u.words >= 8))


def _make_unit(line: str, gap: bool = False) -> _Unit:
    text, body, is_list, words, sentence, low, k = _unit_parts(line.strip())
    reason = rules.phrase_reason(body, low, k)
    return _Unit(text, body, is_list, words, sentence, reason, _norm(text), gap)


def _unit_parts(text: str) -> tuple[str, str, bool, int, bool, str, str | None]:
    """A unit's text, body, is_list, words and sentence fields, and what its phrase rule needs.

    ``text`` is the line stripped, kept as written (direction marks included). The phrase
    rules start from the body case-folded and its key (None for a line too long for them).
    """
    # The marks are invisible: match without them. (An ASCII line has none, nor spaces left.)
    bare = text if text.isascii() else text.strip(_DIRECTION_MARKS).strip()
    # Most lines start with a letter, which no list marker does: skip the regex for them.
    first = bare[:1]
    may_mark = first in _LIST_MARKER_STARTS or first.isdecimal()
    marker = _LIST_MARKER.match(bare) if may_mark else None
    body = bare[marker.end() :].strip() if marker else bare
    low = body.casefold()
    # The key and the words from one encoding of the folded line (see key_and_words);
    # only the phrase rules read the key, and no longer line's.
    k: str | None
    words: int | None
    if len(body) <= rules.MAX_RULE_LEN:
        k, words = rules.key_and_words(low)
    else:
        k, words = None, count_latin_words(body)
    if words is None:
        # Scripts written without spaces between words: about three characters make a word
        # (Latin-1 text, counted above, has no such characters).
        words = count_words_by_regex(body) + len(_UNSPACED.findall(body)) // 3
    # Most lines end in a letter: the regex would try every position of the tail in vain;
    # most others end in the full stop itself, which needs no regex.
    last = body[-1:]
    sentence = last in _TERMINAL_MARKS or (
        last in _TERMINAL_ENDS and _TERMINAL.search(body[-60:]) is not None
    )
    return text, body, marker is not None, words, sentence, low, k


def _norm(text: str) -> str:
    """Text compared for repeats: case-folded, spaces folded, punctuation kept."""
    return _norm_folded(text.casefold())


def _norm_folded(low: str) -> str:
    """:func:`_norm` of text already case-folded."""
    # Most lines are single-spaced already (any whitespace but the plain space is
    # unprintable): splitting a long paragraph into words and joining them back is waste.
    if low.isprintable() and "  " not in low and low[:1] != " " and low[-1:] != " ":
        return low
    return " ".join(low.split())


def _strip_title_suffix(text: str) -> str:
    if not text.rstrip().endswith(_TITLE_MEDIA_ENDS):
        return text.strip()  # the regex tries every space of the line: most lines end otherwise
    return _TITLE_MEDIA_SUFFIX.sub("", text).strip()


def _headline_like(u: _Unit) -> bool:
    # Every test must pass: the cheap ones on the line's ends come before the searches.
    if u.reason is not None or u.is_list or not 3 <= u.words <= 20 or len(u.body) > 200:
        return False
    end = u.body.rstrip(_CLOSE_QUOTES + "'’)")
    if end.endswith((".", ",", ";", ":")) and not end.endswith("..."):
        return False
    if u.body[0].isalpha() and u.body[0].islower():
        return False
    return not rules.is_section_path(u.body) and not u.is_meta


def _heading_like(u: _Unit) -> bool:
    if u.is_list or u.words > 14 or len(u.body) > 120 or u.words == 0:
        return False
    body = u.body
    if body[0] in _OPEN_QUOTES and body[-1] in _CLOSE_QUOTES:
        return False  # a one-line quotation is a paragraph
    end = body.rstrip(_CLOSE_QUOTES + "'’)")
    if end.endswith(":") and body.isupper() and u.words <= 6:
        return True  # "OUR FINDING:", a label set in capitals over its text
    if end.endswith((".", ",", ";", ":", "…")):
        return False
    return not (body[0].isalpha() and body[0].islower())


# --- byline and date lines -------------------------------------------------------------


def _take_name(text: str) -> str | None:
    """The person's name at the start of ``text`` (capitalised words and connectors)."""
    korean = _KOREAN_BYLINE.match(text)
    if korean:
        return korean.group(1)
    taken: list[str] = []
    for raw in text.split()[:10]:
        word = raw.strip(",;")
        bare = word.strip(".'’").casefold()
        # (A letter is never a digit: most words are letters alone and need no second look.)
        digits = not word.isalpha() and any(ch.isdigit() for ch in word)
        if not word or word.startswith("@") or digits:
            break
        if bare in _NAME_STOPS and taken:
            break
        capital = word[0].isupper() or (word[0].isalpha() and not word[0].islower())
        # Caseless scripts (Hangul, kanji) count as capitalised.
        if (capital and bare not in _NAME_STOPS) or (bare in _NAME_CONNECTORS and taken):
            taken.append(word)
        else:
            break
        # "By Jane Doe, Staff Writer": the comma closes the name
        closes = raw.endswith(";") or (raw.endswith(",") and "and" not in taken)
        if closes and len(taken) >= 2:
            break
    while taken and taken[-1].casefold() in _NAME_CONNECTORS:
        taken.pop()
    if not taken or len(taken) > 8:
        return None
    return " ".join(taken).strip(" ,")


def _byline_in(segment: str) -> str | None:
    prefix = rules.BYLINE_PREFIX.match(segment)
    if prefix:
        return _take_name(segment[prefix.end() :])
    anywhere = _BYLINE_ANYWHERE.search(segment)
    if anywhere:
        return _take_name(segment[anywhere.end() :])
    if not segment.isascii():  # both need Hangul or Han characters
        korean = _KOREAN_BYLINE.search(segment)
        if korean:
            return korean.group(1)
        chinese = _CHINESE_BYLINE.search(segment)
        if chinese:
            return chinese.group(1)
    if rules.JOB_TITLES.search(segment):
        # "Jane Doe | Staff Writer", "Jane Doe, Senior Correspondent"
        head = re.split(r"\s*[,|·•]\s*|\s+[–—-]\s+", segment, maxsplit=1)[0]
        if head != segment and 2 <= len(head.split()) <= 4:
            return _take_name(head)
    return None


@dataclass(frozen=True)
class _Meta:
    byline: str | None = None
    source: str | None = None
    date: str | None = None
    rank: int = 0


def _parse_meta(text: str, day_first: bool | None = None, unit: _Unit | None = None) -> _Meta:
    """Read byline, source and date out of one byline/date line.

    ``day_first`` is the page's numeric date order (see :func:`dates.numeric_order`).
    ``unit``: the line's unit, when ``text`` is its body; a part of the line that is the
    whole body takes the date the unit has found already (:attr:`_Unit.date`), which is the
    one :func:`find_date` finds there in either order but month first.
    """
    whole = text if unit is not None and day_first is not False else None
    # A separator opening or closing the line ("| Reuters | Updated: …") separates nothing.
    text = text.strip()
    if text[:1] in _SEPARATORS or text[-1:] in _SEPARATORS:  # else nothing to take off
        text = _EDGE_SEPARATOR.sub("", text)
    segments = [s.strip() for s in _META_SPLIT.split(text) if s.strip()]
    byline = source = date = None
    rank = 0
    dated = False
    # Whether each segment holds a date, asked again below: the answer is the same in either
    # numeric order (a numeric date whose parts both fit a month is valid read either way,
    # or, with a zero, neither), and each search for a date costs more than the rest here.
    undated: list[bool] = []
    for segment in segments:
        found = (
            unit.date if unit is not None and segment == whole else find_date(segment, day_first)
        )
        undated.append(found is None)
        if found:
            dated = True
            seg_rank = date_rank(segment, found[1])
            if seg_rank > rank:
                date, rank = found[0], seg_rank
        label = _SOURCE_LABEL.match(segment) if segment[:1] in _SOURCE_LABEL_STARTS else None
        if label and source is None:
            source = label.group(1).strip()
            continue
        if byline is None:
            byline = _byline_in(segment)
    if byline is None and len(segments) > 1:
        byline = _byline_in(text)
    if len(segments) > 1 and dated:
        plain = [
            seg
            for seg, no_date in zip(segments, undated, strict=True)
            if no_date
            and ":" not in seg
            and not any(ch.isdigit() for ch in seg)
            and not rules.META_WORDS.search(seg)
            and 1 <= len(seg.split()) <= 5
        ]
        for seg in plain:
            if source is None and _OUTLET_WORDS.search(seg):
                source = seg  # "Name · CPB News · Posted: …"
            elif byline is None and 2 <= len(seg.split()) <= 4 and _take_name(seg) == seg:
                byline = seg
    if source is None and len(segments) > 1 and dated:
        first = segments[0]
        if (
            undated[0]
            and _byline_in(first) is None
            and not any(ch.isdigit() for ch in first)
            and 1 <= len(first.split()) <= 5
            and (first[0].isupper() or _DOMAIN.fullmatch(first))
            and not rules.META_WORDS.search(first)
            and not rules.JOB_TITLES.search(first)
        ):
            source = first
    return _Meta(byline, source, date, rank)


def _is_meta(u: _Unit) -> bool:
    """A byline or date line ("By Jane Doe", "Reuters | Updated: 19-06-2024 09:31 IST")."""
    if u.words > 30 or u.is_list:
        return False
    body = u.body
    labelled = u.words <= 8 and body[:1] in _SOURCE_LABEL_STARTS and _SOURCE_LABEL.match(body)
    # The phrase rules try RELATIVE_TIME on every line they read (a match is "metadata"):
    # a line they found nothing in ("3 min read" is not) cannot match it.
    judged = u.reason is None and len(body) <= rules.MAX_RULE_LEN
    if labelled or (not judged and rules.RELATIVE_TIME.match(body)):
        return True
    prefix = rules.BYLINE_PREFIX.match(body)
    if prefix and _take_name(body[prefix.end() :]):
        return not u.sentence or u.words <= 8
    found = u.date
    if found:
        # Any one of these makes it a date line; the costly search for label words comes last.
        return bool(
            "|" in body
            or (u.words <= 8 and not u.sentence)
            or is_date_only(body, found)
            or rules.META_WORDS.search(body)
        )
    return u.words <= 10 and bool(
        (not body.isascii() and _KOREAN_BYLINE.search(body))  # Hangul: never ASCII
        or (rules.JOB_TITLES.search(body) and _byline_in(body) and not u.sentence)
    )


def _is_job_line(u: _Unit) -> bool:
    """ "Accra correspondent", "Staff Writer": the line under a bare byline."""
    return (
        u.words <= 4 and not u.sentence and not u.is_list and bool(rules.JOB_TITLES.search(u.body))
    )


def _is_lone_by(u: _Unit) -> bool:
    """ "By" alone on its line, the name on the next ("By" / "Aroha Tipene")."""
    return u.body.casefold().rstrip(":") in ("by", "von", "par", "por", "di", "door", "av")


def _is_bare_byline(units: Sequence[_Unit], i: int) -> bool:
    """A name alone on its line, just above a date line or a job title: the byline.

    ("Aisling Byrne and Mark Fenwick" over "Sat 12 Oct 2024 10.02 BST").
    """
    u = units[i]
    if u.is_list or u.sentence or not 1 <= u.words <= 7 or i + 1 >= len(units):
        return False
    if i > 0 and _is_lone_by(units[i - 1]) and _take_name(u.body):
        return True
    nxt = units[i + 1]
    if not (_is_job_line(nxt) or (nxt.is_meta and nxt.meta.byline is None)):
        return False
    name = _take_name(u.body)
    cjk = bool(_CJK_NAME.fullmatch(u.body))
    if cjk or name is None:
        return cjk
    rest = u.body[len(name) :].strip()
    # "Jane Doe at Meadow Lane", "Jane Doe jdoe@example.com"
    return len(rest) <= 2 or bool(re.match(r"(?i)((at|in|from|en|à|a)\s|\S+@\S+\.\w+$)", rest))


# --- the cleaner -----------------------------------------------------------------------


# "— Save Our 42 (@SaveOur42Bus) June 3, 2024", "A post shared by X (@handle)"
_EMBED_SIGNATURE: Final = re.compile(
    r"^(?:[—–-]\s?.{1,80}\(@\w{1,30}\)\s.{0,30}\d{4}|(?:a post shared by|uma publicação "
    r"compartilhada por|une publication partagée par|ein beitrag geteilt von|"
    r"una publicación compartida de)\b.{1,80})$",
    re.IGNORECASE,
)
_EMBED_OPENER: Final = re.compile(
    r"(?i)^(view this post on instagram|ver essa foto no instagram|voir cette publication sur "
    r"instagram|diesen beitrag auf instagram ansehen|ver esta publicación en instagram)$"
)
_EMBED_MAX_LEN: Final = 150  # no match of the two regexes above is longer
# What a match of either regex above starts with (case-blind, these letters take no others).
_EMBED_STARTS: Final = "—–-aAdDeEuUvV"
_GALLERY: Final = re.compile(
    r"(?i)^\w+\s\d+\s(of|von|de|di|sur|из)\s\d+$|\(\d{1,2}:\d{2}\)$|^\d+m \d+s$"
)


def _may_be_gallery(body: str) -> bool:
    """An exact pre-test for :data:`_GALLERY`, whose middle alternative is tried everywhere.

    Each alternative ends its own way: "Image 3 of 12" in a digit, "(2:15)" in ")" with
    the colon three characters before, "1m 30s" in "s" on a line that opens with a digit.
    A line ending in any other ASCII character fails it. Any other last character (a Unicode
    digit, a letter the case-blind "s" matches) is left to the regex.
    """
    end = body[-1:]
    if not end.isascii():
        return True
    if end == "s" or end == "S":
        return body[:1].isdecimal()  # ``\d`` is a decimal digit
    if end == ")":
        return body[-4:-3] == ":"
    return end.isdigit()


def _mark_embeds_and_media_captions(units: Sequence[_Unit], labels: list[str | None]) -> None:
    """Social-media embeds and the captions that follow a video or gallery counter.

    An embedded post ends with its signature line ("— Name (@handle) June 3, 2024"); the
    line before it is the post's text. A short line straight after "Image 1 of 8" or a video
    running time is that picture's caption.
    """
    for i, u in enumerate(units):
        # Both regexes are anchored at the start: most lines start with another character
        # (the empty string is "in" any string, so an empty body still meets the regexes).
        embed = (
            u.body[:1] in _EMBED_STARTS
            and len(u.body) <= _EMBED_MAX_LEN
            and (_EMBED_SIGNATURE.match(u.body) or _EMBED_OPENER.match(u.body))
        )
        if embed:
            labels[i] = "social-embed"
            post = i > 0 and labels[i - 1] == "body" and units[i - 1].words <= 70
            if post and _EMBED_SIGNATURE.match(u.body):
                labels[i - 1] = "social-embed"
        elif (
            labels[i] == "body"
            and i > 0
            and u.words <= 30
            and _may_be_gallery(units[i - 1].body)
            and _GALLERY.search(units[i - 1].body)
            and not _heading_like(u)
        ):
            labels[i] = "caption"


def _mark_comment_threads(units: Sequence[_Unit], labels: list[str | None]) -> None:
    """Readers' comments under the article: short posts after a comments heading.

    Only past the article's last long paragraph, so a "Comments (12)" counter in a share
    bar near the top never hides the text; a long paragraph ends the thread.
    """
    # Looked for from the end up: it stands near the end.
    last_long = next(
        (i for i in range(len(units) - 1, -1, -1) if labels[i] == "body" and units[i].words >= 40),
        None,
    )
    if last_long is None:
        return
    thread = False
    for i in range(last_long + 1, len(units)):
        if units[i].reason == "comments":
            thread = True
        elif thread and labels[i] == "body":
            if units[i].words >= 40:
                thread = False
            else:
                labels[i] = "comments"


def _foot_reason(u: _Unit) -> str | None:
    """What a line at the foot of the article is when it is not text, else None.

    The article ends with a sentence. Below it come author boxes, the outlet's "about us",
    and headings or stray lines that introduce nothing.
    """
    # (The word counts before the regexes: they settle the same questions more cheaply.)
    if u.words <= 60 and rules.AUTHOR_BIO.match(u.body):
        return "author-bio"
    if (not u.sentence and rules.ABOUT_HEADING.match(u.body)) or (
        u.words <= 60 and _may_be_news_org(u.body) and rules.NEWS_ORG.search(u.body)
    ):
        return "publisher-blurb"
    if _heading_like(u) or (not u.sentence and u.words < 25):
        return "footer"
    return None


def _may_be_news_org(body: str) -> bool:
    """An exact pre-test for rules.NEWS_ORG ("X is a news organisation…"), searched case-blind.

    In an ASCII line its "is " or "are " can only be those letters in either case; most
    lines at the foot of a page hold neither. Other lines are left to the regex.
    """
    if not body.isascii():
        return True
    low = body.lower()
    return "is " in low or "are " in low


def _opens_list(u: _Unit) -> bool:
    """A heading over a list of links: "Most read", "Related Topics", "Topics"."""
    if u.reason == "related-links":
        return rules.is_related_heading(rules.key(u.body))
    return u.reason == "tags" and u.words <= 2


def _list_block_reason(block: Sequence[_Unit]) -> str:
    if any(rules.is_contact(u.body) for u in block):
        return "publisher-blurb"
    if any(u.reason == "breadcrumb" for u in block):
        return "breadcrumb"
    if any(u.reason == "related-links" for u in block):
        return "related-links"
    return "navigation"


def _contact_near(units: Sequence[_Unit], i: int) -> bool:
    """A publisher blurb sits with contact lines, or closes the page."""
    return (
        i == len(units) - 1
        or _contact_follows(units, i)
        or any(rules.is_contact(u.body) for u in units[max(0, i - 3) : i])
        or all(u.reason is not None for u in units[i + 1 :])
    )


def _contact_follows(units: Sequence[_Unit], i: int) -> bool:
    return any(rules.is_contact(u.body) for u in units[i + 1 : i + 4])


def _is_menu(units: Sequence[_Unit], i: int) -> bool:
    """Part of the site's menus: a menu row, a breadcrumb, a link list, or a run of links."""
    u = units[i]
    if u.reason == "breadcrumb" or (u.is_list and not u.paragraph_like):
        return True
    if u.reason != "navigation":
        return False
    if u.menu_row:
        return True
    near = units[max(0, i - 1) : i + 2]
    return sum(1 for v in near if v.reason == "navigation") >= 2


_BOX_REASONS: Final = frozenset({"cookie-notice", "newsletter", "promo", "comments"})


def _heads_a_box(units: Sequence[_Unit], i: int) -> bool:
    """ "We value your privacy" over the consent text: the heading of a box, not a headline."""
    nxt = units[i + 1] if i + 1 < len(units) else None
    return nxt is not None and nxt.reason in _BOX_REASONS


def _banner_above_menus(units: Sequence[_Unit], i: int) -> bool:
    """A notice printed above the site's menus ("We have been experiencing problems…").

    The article text cannot begin before the site's menus and its headline: when a menu,
    then a headline-shaped line, follow soon, this sentence is a banner.
    """
    menu = None
    for j in range(i + 1, min(i + 25, len(units))):
        u = units[j]
        if _starts_text(u):
            return False
        if menu is None and u.reason in ("navigation", "breadcrumb") and _is_menu(units, j):
            menu = j
        elif menu is not None and u.headline_like:
            return True
    return False


def _pick_title(units: Sequence[_Unit], candidates: list[int]) -> int | None:
    """The headline: the first headline-shaped line after the site's menus.

    Pages print masthead, tagline, menus and breadcrumbs, then the headline, then the
    standfirst and byline. So the headline is the first candidate after the last menu
    before the text; where no menu precedes a candidate, simply the first candidate.
    A repeat of an earlier candidate is the headline printed again, not a new one.
    """
    if not candidates:
        return None
    first: dict[str, int] = {}
    for c in candidates:
        first.setdefault(units[c].title_norm, c)
    ordered = sorted(set(first.values()))
    # Menus after the last candidate (share and font-size widgets) do not count. The last
    # menu above it is looked for from there upwards: menus stand near the top of the page.
    menu_end = next((j for j in range(ordered[-1] - 1, -1, -1) if _is_menu(units, j)), -1)
    pick = next(c for c in ordered if c > menu_end)
    # A kicker ("Hochwasser in Bayern", "Top Story") sits just above the headline.
    later = [c for c in ordered if c > pick]
    short = units[pick].words <= 4 and menu_end >= 0  # kickers go with a site's menus
    if (
        later
        and short
        and units[later[0]].words > units[pick].words
        and all(u.reason is not None for u in units[pick + 1 : later[0]])
    ):
        return later[0]
    return pick


def clean(raw: str) -> Article:
    """Clean one capture. Never raises on text input; linear in its length.

    Args:
        raw: the capture's text (sanitised here again, so any string is safe).

    Returns:
        The article: header fields, body paragraphs, and every removed block with a reason.
    """
    units = _units(raw)
    labels: list[str | None] = [None] * len(units)

    candidates, stop = _scan_preamble(units)
    title_index = _pick_title(units, candidates)
    body_start = stop if title_index is None else title_index + 1
    _label_preamble(units, labels, title_index, body_start)

    title_key = units[title_index].title_norm if title_index is not None else None

    def repeats_title(u: _Unit) -> bool:
        # A line's key opens with its first character case-folded (case folding goes
        # character by character, and the line has no space to drop at its start): most
        # lines differ from the headline there, before their key is worked out.
        return (
            title_key is not None
            and title_key.startswith(u.body[:1].casefold())
            and u.title_norm == title_key
        )

    dek_index: int | None = None
    if title_index is not None:
        dek_index, body_start = _label_header(units, labels, title_index, repeats_title)
    end = _label_foot(units, labels, body_start, repeats_title)
    _label_body(units, labels, body_start, end, repeats_title)
    _mark_embeds_and_media_captions(units, labels)
    _mark_comment_threads(units, labels)
    _trim_trailing(units, labels)

    return _assemble(units, labels, title_index, dek_index, raw)


# Every numeric date find_date reads in any part of a line (the look-arounds left out).
_MAY_HOLD_NUMERIC_DATE: Final = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d")


def _day_first(raw: str, metadata: Sequence[_Unit], page_dates: Sequence[_Unit]) -> bool | None:
    """The page's numeric date order, as :func:`_assemble` reads its date lines with it.

    Only numeric dates (04/02/2025) read differently by it, and only on the lines read for
    a date (``metadata`` and ``page_dates``, the lines so labelled): when none holds one, the
    answer changes nothing and the page, all of it, is not scanned for one (a regex that
    tries every character). Nor is it with no metadata line.
    """
    if not metadata:
        return None
    if not any(_MAY_HOLD_NUMERIC_DATE.search(u.body) for u in (*metadata, *page_dates)):
        return None
    return numeric_order(raw)


def _scan_preamble(units: Sequence[_Unit]) -> tuple[list[int], int]:
    """Before the headline: where the first real paragraph starts, and headline candidates.

    Returns:
        The indices of headline-shaped lines met on the way, and the index it stopped at.
    """
    n = len(units)
    candidates: list[int] = []
    stop = 0
    related = False
    while stop < min(n, 80):
        u = units[stop]
        if u.is_list:
            end = stop
            while end < n and units[end].is_list:
                end += 1
            block = units[stop:end]
            if all(b.sentence and b.words >= 8 and b.reason is None for b in block):
                break  # a list of full sentences is content (key points)
            stop = end
            continue
        if u.reason is not None:
            related = u.reason == "related-links" and rules.is_related_heading(rules.key(u.body))
        elif u.headline_like and not related:
            # A name over a date line is a byline, once a headline has been seen; a heading
            # over a consent or sign-up box belongs to the box.
            byline = candidates and _is_bare_byline(units, stop)
            if not byline and not _heads_a_box(units, stop):
                candidates.append(stop)
        elif (
            _starts_text(u)
            and not _contact_follows(units, stop)
            and not u.is_meta
            and (candidates or not _banner_above_menus(units, stop))
        ):
            break
        stop += 1
    return candidates, stop


def _label_preamble(
    units: Sequence[_Unit], labels: list[str | None], title_index: int | None, body_start: int
) -> None:
    """Label everything above the headline (or above the text, when there is none)."""
    i = 0
    related = False
    while i < body_start:
        u = units[i]
        if i == title_index:
            i += 1
            continue
        if u.is_list:
            end = i
            while end < body_start and units[end].is_list and end != title_index:
                end += 1
            reason = "related-links" if related else _list_block_reason(units[i:end])
            for j in range(i, end):
                labels[j] = reason
            i = end
            continue
        if u.reason is not None:
            labels[i] = u.reason
            related = u.reason == "related-links" and rules.is_related_heading(rules.key(u.body))
        elif u.date is not None and is_date_only(u.body, u.date):
            labels[i] = "page-date"
        elif u.is_meta:
            labels[i] = "metadata"
        elif u.paragraph_like:
            blurb = rules.PUBLISHER.search(u.body) or _contact_near(units, i)
            labels[i] = "publisher-blurb" if blurb else "notice"
        else:
            labels[i] = "related-links" if related else "navigation"
        i += 1


def _label_header(
    units: Sequence[_Unit],
    labels: list[str | None],
    title_index: int,
    repeats_title: Callable[[_Unit], bool],
) -> tuple[int | None, int]:
    """Between the headline and the text: byline and date lines, standfirst, captions.

    Returns:
        The standfirst's index (or None) and the index where the text begins.
    """
    n = len(units)
    dek_index: int | None = None
    i = title_index + 1
    while i < n:
        u = units[i]
        if u.reason is not None:
            labels[i] = u.reason
        elif repeats_title(u):
            labels[i] = "repeated-title"
        elif u.is_meta or is_time_only(u.body):
            labels[i] = "metadata"
        elif _is_job_line(u) or _is_lone_by(u) or _is_bare_byline(units, i):
            labels[i] = "byline"
        elif _caption_in_context(units, i, header=True):
            labels[i] = "caption"
        elif (
            dek_index is None
            and u.words >= 6
            and not any(labels[j] in ("metadata", "byline") for j in range(title_index, i))
            and _meta_follows(units, i, repeats_title)
        ):  # the standfirst comes before the byline, never after it
            dek_index = i
            labels[i] = "dek"
        elif u.words <= 2 and not u.sentence and not u.is_list:
            labels[i] = "navigation"
        elif not u.sentence and u.words < 15 and _header_continues(units, i):
            labels[i] = "navigation"  # a widget between headline and byline
        else:
            break
        i += 1
    return dek_index, i


def _label_foot(
    units: Sequence[_Unit],
    labels: list[str | None],
    body_start: int,
    repeats_title: Callable[[_Unit], bool],
) -> int:
    """After the last sentence: footers, story lists, author boxes.

    Returns:
        The index of the article's last line of text.
    """
    n = len(units)
    # Where each line's text is first seen: built from the end, the first index is stored last.
    first_seen = {units[j].norm: j for j in range(n - 1, body_start - 1, -1)}
    end = n - 1
    while end >= body_start:
        u = units[end]
        if u.reason is not None:
            labels[end] = u.reason
        elif u.words >= 6 and first_seen[u.norm] < end:
            labels[end] = "duplicate-paragraph"
        elif repeats_title(u):
            labels[end] = "repeated-title"
        else:
            foot = _foot_reason(u)
            if foot is None:
                break
            labels[end] = foot
        end -= 1
    # Story lists at the foot: everything after a "Most read" heading is that list.
    list_reason: str | None = None
    for j in range(end + 1, n):
        if _opens_list(units[j]):
            list_reason = units[j].reason
        elif list_reason and labels[j] == "footer":
            labels[j] = list_reason
    return end


def _label_body(
    units: Sequence[_Unit],
    labels: list[str | None],
    body_start: int,
    end: int,
    repeats_title: Callable[[_Unit], bool],
) -> None:
    """The text itself: keep paragraphs and headings, drop what slipped in between them."""
    seen: set[str] = set()
    # A list of links runs from its heading to the first real paragraph, or to the first
    # blank line when its items stood on consecutive lines.
    related = body_start > 0 and _opens_list(units[body_start - 1])
    list_reason = (units[body_start - 1].reason or "related-links") if related else ""
    items = 0
    tight = True
    started = False
    for i in range(body_start, end + 1):
        u = units[i]
        if related and items and u.gap and tight:
            related = False
        if u.reason is not None:
            labels[i] = u.reason
            if _opens_list(u):
                related, list_reason, items, tight = True, u.reason, 0, True
            elif related:
                items += 1
                tight = tight and not u.gap
            continue
        if related and (u.is_meta or is_time_only(u.body)):
            related = False  # the list is over: the byline and date come back
        if related:
            question = u.body.endswith(("?", "？")) and u.words <= 15
            if (not u.sentence and u.words <= 30) or (u.is_list and u.words <= 30) or question:
                labels[i] = list_reason
                tight = tight and not (u.gap and items)
                items += 1
                continue
            related = False
        if repeats_title(u):
            labels[i] = "repeated-title"
        elif not started and u.words <= 2 and not u.sentence and not u.is_list:
            labels[i] = "navigation"  # a kicker before the text starts, as in the header
        elif _caption_in_context(units, i, header=False):
            labels[i] = "caption"
        elif is_time_only(u.body) or (
            u.words <= 30
            and _may_name_or_date(u.body)
            and u.is_meta  # false for most lines: before the costly search
            and (
                rules.META_WORDS.search(u.body)
                or (u.date is not None and is_date_only(u.body, u.date))
            )
        ):
            labels[i] = "metadata"
        else:
            k = u.norm
            if k in seen and u.words >= 6:
                labels[i] = "duplicate-paragraph"
            else:
                seen.add(k)
                labels[i] = "body"
                started = True


# What every ASCII line that rules.META_WORDS matches holds, lower-cased: the regex's ASCII
# phrases come down to these (tests/core/test_rules_pretests.py checks).
_META_WORDS_ASCII: Final = (
    *("by", "published", "updated", "posted", "created", "modified", "stand"),
    *("publicado", "actualizado", "aktualisiert"),
)


def _may_name_or_date(body: str) -> bool:
    """An exact pre-test: False when neither rules.META_WORDS nor a date can be found in the line.

    Most lines of the text are not read as byline/date lines, and working out whether one is
    (:func:`_is_meta`) costs several searches; the body pass needs one of these besides. A
    date needs a year ("19" or "20"); other than ASCII, any line may hold a label word.
    """
    if not body.isascii() or "19" in body or "20" in body:
        return True
    low = body.lower()
    for word in _META_WORDS_ASCII:  # noqa: SIM110 - cheaper than any() over a generator
        if word in low:
            return True
    return False


def _trim_trailing(units: Sequence[_Unit], labels: list[str | None]) -> None:
    """The text ends with a sentence: what follows the last one introduces nothing.

    The same test the foot of the page was cut with, applied again once the passes above
    have settled which lines are text.
    """
    for j in range(len(units) - 1, -1, -1):
        if labels[j] != "body":
            continue
        foot = _foot_reason(units[j])
        if foot is None:
            break
        labels[j] = foot


def _header_continues(units: Sequence[_Unit], i: int) -> bool:
    """Whether a byline or date line still comes before the first real paragraph."""
    for j in range(i + 1, min(i + 12, len(units))):
        u = units[j]
        if u.is_meta or _is_lone_by(u):
            return True
        if u.reason is None and u.sentence and u.words >= 15:
            return False
    return False


def _meta_follows(units: Sequence[_Unit], i: int, repeats_title: object) -> bool:
    """Whether a byline/date line (or the headline again) follows the unit at ``i``.

    That is what sets a standfirst apart from the first paragraph: pages print the
    standfirst between the headline and the byline.
    """
    check = repeats_title if callable(repeats_title) else None
    for j in range(i + 1, min(i + 9, len(units))):
        u = units[j]
        if u.is_meta or _is_job_line(u) or _is_bare_byline(units, j) or (check and check(u)):
            return True
        if u.reason is not None or _caption_in_context(units, j, header=True):
            continue
        if u.sentence and u.words >= 15:
            return False  # a paragraph comes first: this was the text's first paragraph
    return False


_CAPS_NAME: Final = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?: [^\W\d_][^\W\d_'’.-]*){1,3}")


def _is_caps_name(u: _Unit) -> bool:
    """ "PACO ROMERO": a photographer's name set in capitals under a picture."""
    return u.reason is None and u.body.isupper() and bool(_CAPS_NAME.fullmatch(u.body))


def _caption_in_context(units: Sequence[_Unit], i: int, *, header: bool) -> bool:
    """Captions that only context reveals.

    Image alt text cut short and followed by its full caption, and, near the top of the
    article, a line signed with a short credit such as "(KCNA)" or "[AFP]". In the body a
    trailing "(Yonhap)" is the agency's sign-off, not a caption, so that test is header-only.
    """
    u = units[i]
    if u.words > 60:
        return False
    if header and i > 0 and _is_caps_name(u):
        prev = units[i - 1]
        if prev.sentence and prev.words <= 30:
            return True  # "PACO ROMERO": the photographer, under the caption
    if i + 1 < len(units) and u.words <= 30 and not u.is_list:
        nxt = units[i + 1]
        if header and u.sentence and _is_caps_name(nxt):
            return True  # the caption above its photographer's name
        credit_only = nxt.reason == "caption" and nxt.words <= 6
        if credit_only and rules.CAPTION_LABEL.match(nxt.body):
            # The caption, then its credit line ("Image Source : PTI") -- unless the
            # credit heads a caption of its own ("Image source, X" / "Image caption, …").
            after = units[i + 2] if i + 2 < len(units) else None
            return after is None or after.reason != "caption"
    body = u.body
    if len(body) >= 20:
        size = len(body)
        for other in units[i + 1 : i + 4]:  # (the units after ``u``: none is ``u`` itself)
            if len(other.body) > size and body in other.body:
                return True
    return header and u.words >= 4 and bool(rules.SHORT_CREDIT.search(u.body))


def _assemble(
    units: Sequence[_Unit],
    labels: Sequence[str | None],
    title_index: int | None,
    dek_index: int | None,
    raw: str,
) -> Article:
    paragraphs: list[Paragraph] = []
    removed: list[Removed] = []
    captions: list[str] = []
    # Metadata lines are read once the page's numeric date order is known (see _day_first),
    # after this loop, which gathers them: they stand in ``metas`` as units until then.
    metas: list[_Meta | _Unit] = []
    metadata: list[_Unit] = []
    page_dates: list[_Unit] = []
    title_unit = units[title_index] if title_index is not None else None
    for u, label in zip(units, labels, strict=True):
        if label == "body":
            if u.words > 14 and _split_glued_heading(u.text) is None:
                # Most paragraphs: too long for a heading (_heading_like), with no heading
                # glued to their start (_paragraphs_of, in short).
                paragraphs.append(Paragraph("paragraph", u.text))
            else:
                paragraphs.extend(_paragraphs_of(u))
            continue
        if label == "dek" or u is title_unit:
            continue
        reason = label or "footer"
        removed.append(Removed(u.text, reason, len(paragraphs)))
        if reason == "caption":
            captions.append(u.body)
        elif reason == "metadata":
            metas.append(u)
            metadata.append(u)
        elif reason == "byline" and not _is_lone_by(u):
            name = _byline_in(u.body) or _take_name(u.body)
            if name is None and _CJK_NAME.fullmatch(u.body):
                name = u.body
            if name and _OUTLET_WORDS.search(name):
                metas.append(_Meta(source=name))  # "Agencia EFE": a credit, not a person
            else:
                metas.append(_Meta(byline=name))
        elif reason == "page-date":
            page_dates.append(u)
    captions = [c for c in captions if not any(c != o and c in o for o in captions)]

    # (The title's unit is never labelled metadata or page-date: what labels those lines
    # starts below the headline or passes it over.)
    day_first = _day_first(raw, metadata, page_dates)
    # Read day first, as with no order, a line reads as it did alone (its meta and date).
    month_first = day_first is False
    read = [
        m if isinstance(m, _Meta) else _parse_meta(m.body, False) if month_first else m.meta
        for m in metas
    ]
    byline = next((m.byline for m in read if m.byline), None)
    dated = [m for m in read if m.date]
    date = max(dated, key=lambda m: m.rank).date if dated else None
    if date is None:
        for u in page_dates:
            found = find_date(u.body, False) if month_first else u.date
            if found:
                date = found[0]
                break
    source = _find_source(units, labels, read, metadata, paragraphs, byline)

    if title_index is not None:
        title = _strip_title_suffix(units[title_index].body)
        if source:
            for sep in (" | ", " - ", " – ", " — "):
                head, _, tail = title.rpartition(sep)
                if head and _norm(tail) == _norm(source):
                    title = head.strip()
        fallback = False
    else:
        title, fallback = _fallback_title(paragraphs), True
    return Article(
        title=title,
        source=source,
        byline=byline,
        date=date,
        dek=units[dek_index].body if dek_index is not None else None,
        captions=tuple(captions),
        paragraphs=tuple(paragraphs),
        removed=tuple(removed),
        title_is_fallback=fallback,
    )


def _paragraphs_of(u: _Unit) -> list[Paragraph]:
    if _heading_like(u):
        return [Paragraph("heading", u.text)]
    glued = _split_glued_heading(u.text)
    # A glued "heading" that is chrome by its own words ("READ MORE:") would be removed once
    # it stood on its own line, so cleaning the result again would change it: keep the line whole.
    if glued and rules.phrase_reason(glued[0]) is None:
        return [Paragraph("heading", glued[0]), Paragraph("paragraph", glued[1])]
    return [Paragraph("paragraph", u.text)]


_GLUE_QUOTES: Final = "'‘’\"“”()-–—:,"


def _split_glued_heading(text: str) -> tuple[str, str] | None:
    """ "'TRADE MECHANISM' Wednesday's agenda…": a subhead the page ran into its paragraph."""
    if len(text) > 20000:
        return None
    first = text.partition(" ")[0].strip(_GLUE_QUOTES)
    if not first.isupper():
        return None  # most paragraphs: no capitals to start them, nothing to split below
    # Only the first dozen words matter: paragraphs run long, so split no further.
    tokens = text.split(" ", 13)
    upper = 0
    letters = 0
    for token in tokens[:12]:
        bare = token.strip(_GLUE_QUOTES)
        if bare and bare.isupper() and sum(c.isalpha() for c in bare) >= 2:
            upper += 1
            letters += sum(c.isalpha() for c in bare)
        else:
            break
    n_tokens = text.count(" ") + 1
    if upper < 2 or letters < 8 or upper >= n_tokens - 8 or tokens[upper - 1].endswith(","):
        return None  # "ALDER CREEK, Idaho (KGRN) —" is a dateline
    if _DATELINE_SOURCE.match(text):
        return None  # the costliest test last: few paragraphs get this far
    nxt = tokens[upper].lstrip("'‘\"“")
    if len(nxt) < 2 or not nxt[0].isupper() or not nxt[1].islower():
        return None
    return " ".join(tokens[:upper]), " ".join(tokens[upper:])


def _site_name(units: Sequence[_Unit], labels: Sequence[str | None]) -> str | None:
    """The outlet's name as pages print it first, above their menus ("The Coastal Examiner")."""
    first = next((i for i, u in enumerate(units[:4]) if u.reason is None), None)
    if first is None or labels[first] != "navigation" or units[first].is_list:
        return None
    u = units[first]
    nxt = units[first + 1] if first + 1 < len(units) else None
    if nxt is None or not (nxt.reason == "navigation" or nxt.is_list):
        return None  # a masthead stands above the site's menus
    if rules.key(u.body) in rules.NAVIGATION or not 1 <= u.words <= 5 or u.sentence:
        return None
    if not u.body[0].isalnum():
        return None
    if u.menu_row or any(ch.isdigit() for ch in u.body):
        return None
    return u.body


def _repeated_masthead(units: Sequence[_Unit], labels: Sequence[str | None]) -> str | None:
    """A short name above the headline that the page prints again ("Follow X on WhatsApp")."""
    # Only above the site's menus: below them come kickers and section names.
    head = min(
        [labels.index(label) for label in ("body", "dek") if label in labels] or [len(units)]
    )
    # The last menu, looked for from there upwards (menus stand near the top of the page).
    last_menu = next((i for i in range(min(head, 80) - 1, -1, -1) if _is_menu(units, i)), 0)
    before = units[:last_menu]
    names = [
        u.body
        for u in before[:40]
        if 1 <= u.words <= 5
        and u.reason is None
        and _PLAIN_NAME.match(u.body)
        and not u.sentence
        and not u.is_list
        and u.body[:1].isupper()
        and rules.key(u.body) not in rules.NAVIGATION
        and not u.menu_row
        and not any(ch.isdigit() for ch in u.body)
        and len(u.body) >= 4
    ]
    if not names:
        return None
    page = "\n".join([u.body for u in units])
    folded = None
    for name in names:
        # Case folding goes character by character: a name printed twice as written is
        # printed twice case-folded, and most are (the whole page is folded only if not).
        if page.count(name) >= 2:
            return name
        if folded is None:
            folded = page.casefold()
        if folded.count(name.casefold()) >= 2:
            return name
    return None


def _tidy_name(name: str) -> str:
    """ "THE DAILY COURIER" -> "The Daily Courier"; acronyms ("BBC NEWS") stay as they are."""
    words = name.split()
    small = ("THE", "OF", "AND", "A", "DE", "LA", "EL", "LE", "LES", "DER", "DIE", "DAS", "DU")
    if name.isupper() and all(len(w) >= 4 or w in small for w in words):
        return name.title()
    return name


def _strip_corporate(name: str) -> str:
    """ "Ledger Weekly Media Ltd" -> "Ledger Weekly": the outlet, not the company."""
    stripped = _CORPORATE_SUFFIX.sub("", name).strip(" ,.")
    return stripped or name


def _find_source(
    units: Sequence[_Unit],
    labels: Sequence[str | None],
    metas: Sequence[_Meta],
    metadata: Sequence[_Unit],
    paragraphs: Sequence[Paragraph],
    byline: str | None,
) -> str | None:
    """The outlet, from the first of these that names it.

    ``metas``: what the byline and metadata lines say; ``metadata``: the metadata lines'
    units, in the page's order.
    """
    for meta in metas:
        if meta.source:
            return meta.source
    for u in metadata:
        if len(u.body) <= 200:
            # "By Jane Doe   The Associated Press": an outlet named beside the byline
            for segment in _META_SPLIT.split(u.body)[1:]:
                segment = segment.strip()
                if (
                    _OUTLET_WORDS.search(segment)
                    and 1 <= len(segment.split()) <= 5
                    and not any(ch.isdigit() for ch in segment)
                    and not rules.META_WORDS.search(segment)
                ):
                    return segment
    # The text's first and last paragraphs (headings set aside), looked for from each end.
    first = next((p.text for p in paragraphs if p.kind == "paragraph"), None)
    if first is not None:
        dateline = _DATELINE_SOURCE.match(first)
        if dateline:
            return dateline.group(1).strip()
        last = next(p.text for p in reversed(paragraphs) if p.kind == "paragraph")
        signoff = _SIGNOFF_SOURCE.search(last[-80:])
        if signoff:
            return signoff.group(1)
    if byline and len(byline.split()) == 1 and byline[0].isupper():
        return byline  # "By Reuters", "By Yonhap": the agency is the author
    site = _site_name(units, labels) or _repeated_masthead(units, labels)
    if site:
        return _tidy_name(site)
    for u in units:
        # (Most lines do not start as the regex does: the literal test comes first.)
        published_in = u.body.startswith(_PUBLISHED_IN_STARTS) and _PUBLISHED_IN.match(u.body)
        if published_in:
            return published_in.group(1).strip()
    found: dict[str, str] = {}
    for u, label in zip(units, labels, strict=True):
        if label == "copyright" and "copyright" not in found:
            holder = _COPYRIGHT_PREFIX.sub("", u.body)
            holder = re.split(r"(?i)[.,]?\s*all rights reserved|,|\||\.\s+(?=[A-Z][a-z])", holder)[
                0
            ]
            holder = re.sub(r"\s*\d{4}$", "", holder.strip(" .,"))
            if 0 < len(holder.split()) <= 6:
                name = _strip_corporate(holder)
                if _reads_as_source(name):  # else it would not survive a round trip
                    found["copyright"] = name
        elif label == "publisher-blurb" and "blurb" not in found:
            match = rules.PUBLISHER.search(u.body)
            if match and match.start() > 0:
                subject = u.body[: match.start()].strip()
                if 0 < len(subject.split()) <= 6:
                    found["blurb"] = _strip_corporate(subject)
        elif label in ("promo", "syndication-note") and "web" not in found:
            domain = _DOMAIN.search(u.body)
            staff = _STAFF_OF.search(u.body)
            if domain:
                found["web"] = domain.group(1)
            elif staff:
                found["web"] = staff.group(1)
    for kind in ("copyright", "blurb", "web"):
        if kind in found:
            return found[kind]
    return None


def _reads_as_source(name: str) -> bool:
    """Whether ``Source: <name>``, as :meth:`Article.to_text` writes it, reads back as ``name``.

    A copyright line can hold anything after its ``©``; a holder that would not read back
    as the same source (too many words, a caption's or a menu's words) is not taken, so an
    article written back out cleans to itself.
    """
    unit = _make_unit(f"Source: {name}")
    return unit.reason is None and _is_meta(unit) and _parse_meta(unit.body).source == name


def _fallback_title(paragraphs: Sequence[Paragraph]) -> str:
    """A title for a capture that has no headline: its first sentence, visibly shortened."""
    first = next((p.text for p in paragraphs if p.kind == "paragraph"), None)
    if first is None:
        first = paragraphs[0].text if paragraphs else ""
    if not first.strip():
        return "Untitled"
    sentence = re.split(r"(?<=[.!?。！？])\s", first[:400], maxsplit=1)[0].strip()
    if len(sentence) <= 70:
        return sentence.rstrip(".。 ") + "…"
    clause = re.search(r"^(.{30,80}?)[,;:–—]\s", sentence)
    if clause:
        return clause.group(1).rstrip() + "…"
    cut = sentence[:70]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"
