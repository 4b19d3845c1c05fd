"""Finding publication dates in the free-form date strings news pages print.

Pure functions over one short line at a time; the cleaner decides which line's date wins.
Numeric dates such as ``05/06/2024`` are ambiguous: a part above 12 settles it; otherwise the
day comes first, as most of the world (and most pages that print numeric dates) writes it.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from typing import Final

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janvier janv januar jän enero ene يناير января январь janeiro januari",
        "february feb février fevrier févr fév februar febrero فبراير февраля февраль fevereiro "
        "februari",
        "march mar mars märz maerz marzo مارس марта март março maart",
        "april apr avril avr abril abr أبريل апреля апрель",
        "may mai mayo مايو мая май maio mei",
        "june jun juin juni junio يونيو июня июнь junho",
        "july jul juillet juil juli julio يوليو июля июль julho",
        "august aug août aout agosto ago أغسطس августа август augustus",
        "september sep sept septembre septiembre setiembre سبتمبر сентября сентябрь setembro",
        "october oct octobre oktober okt octubre أكتوبر октября октябрь outubro",
        "november nov novembre noviembre نوفمبر ноября ноябрь novembro",
        "december dec décembre decembre déc dezember dez diciembre dic ديسمبر декабря декабрь "
        "dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

# A numeric date (the definition; pages are scanned with _numeric_dates, to the same effect).
_NUMERIC: Final = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](?:19|20)\d\d(?!\d)")
# _NUMERIC without its opening look-behind, which kept the regex engine from skipping ahead
# to the next digit: searching this and checking the character before is much faster.
_NUMERIC_FROM_DIGIT: Final = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](?:19|20)\d\d(?!\d)")
_YEAR_ONLY: Final = re.compile(r"(?:19|20)\d\d")
_MONTH: Final = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))


def _by_initial(alternatives: str) -> str:
    """The same alternatives, grouped by their first letter: ``a(?:ugust|ug|…)|d(?:…)``.

    A case-insensitive regex tries a hundred month names one after the other at the start of
    every word; grouped, it tries the names of one letter only. It matches exactly as before:
    names keep their order within a group, and at any one place only one group can match,
    since no character is taken for two different initials (tests/core/test_rules_pretests.py
    checks that over all of Unicode).
    """
    groups: dict[str, list[str]] = {}
    for name in alternatives.split("|"):
        groups.setdefault(name[0], []).append(name[1:])
    return "|".join(f"{initial}(?:{'|'.join(rests)})" for initial, rests in groups.items())


_MONTH_GROUPED: Final = _by_initial(_MONTH)
_YEAR: Final = r"(?P<y>(?:19|20)\d\d)"

_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 2024-06-19, 2024/06/19, 2024.06.19 (optionally followed by a time)
    re.compile(rf"(?<!\d){_YEAR}[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})(?!\d)"),
    # 2024년 6월 19일 / 2024年6月19日
    re.compile(rf"{_YEAR}\s*[년年]\s*(?P<m>\d{{1,2}})\s*[월月]\s*(?P<d>\d{{1,2}})\s*[일日]"),
    # June 19, 2024 / Jun. 19 2024 / June 19th, 2024
    re.compile(
        rf"(?i)\b(?P<mon>{_MONTH_GROUPED})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)"
    ),
    # 19 June 2024 / 19. Juni 2024 / 19 de junio de 2024 / 1er juin 2024
    re.compile(
        rf"(?i)(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?(?P<mon>{_MONTH_GROUPED})\.?,?"
        rf"\s+(?:de\s+)?{_YEAR}(?!\d)"
    ),
    # 19-06-2024, 06/19/2024, 19.06.2024
    re.compile(rf"(?<!\d)(?P<a>\d{{1,2}})(?P<sep>[-/.])(?P<b>\d{{1,2}})(?P=sep){_YEAR}(?!\d)"),
)

# A part of every match of the "June 19, 2024" pattern above: the day's last digit, then the
# year. That pattern tries month names at the start of every word of a line, the costliest
# search of all; most lines that hold a year ("in 2024") fail this cheaper one first.
_DAY_THEN_YEAR: Final = re.compile(r"(?i)\d(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d(?!\d)")
# Parts of every match of the other patterns that open with a look-behind: the regex engine
# tries those at every character, and a search for a part that starts with a digit skips
# ahead to the next one. The year then its month and day; a day, one word (the month's
# name), the year; the numeric date itself.
_YEAR_THEN_DAY: Final = re.compile(r"(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d")
_DAY_WORD_YEAR: Final = re.compile(
    r"(?i)\d(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?[^\W\d_]+\.?,?\s+(?:de\s+)?(?:19|20)\d\d(?!\d)"
)
_DAY_MONTH_YEAR: Final = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d")
_GATES: tuple[re.Pattern[str] | None, ...] = (
    *(_YEAR_THEN_DAY, None, _DAY_THEN_YEAR, _DAY_WORD_YEAR, _DAY_MONTH_YEAR),
)

#: Words before a date that say which date it is; higher wins.
_PUBLISHED: Final = re.compile(
    r"(?i)\b(published|created|posted|first published|publié|publie le|veröffentlicht|"
    r"publicado|publicada|erschienen|입력|発行|公開)\b|입력"
)
_UPDATED: Final = re.compile(
    r"(?i)\b(updated|modified|last updated|edited|mis à jour|aktualisiert|actualizado|"
    r"actualizada|수정|更新)\b|수정|更新"
)


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def numeric_order(text: str) -> bool | None:
    """Which way round a page writes numeric dates: True day first, False month first.

    Settled by any date on the page with a part above 12 ("03/14/2025" is month first);
    None when nothing on the page settles it.
    """
    for match in _numeric_dates(text[:200_000]):
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            return True
        if second > 12 >= first:
            return False
    return None


def _numeric_dates(text: str) -> Iterator[re.Match[str]]:
    """The matches ``_NUMERIC.finditer(text)`` yields, found faster.

    A match of _NUMERIC_FROM_DIGIT that starts right after a digit is one _NUMERIC refuses
    there; its search resumes one character on, as _NUMERIC's own scan would.
    """
    pos = 0
    while (match := _NUMERIC_FROM_DIGIT.search(text, pos)) is not None:
        start = match.start()
        if start and text[start - 1].isdecimal():  # ``\d`` is a decimal digit
            pos = start + 1
            continue
        yield match
        pos = match.end()


def find_date(text: str, day_first: bool | None = None) -> tuple[str, int, int] | None:
    """Find the first calendar date in ``text``.

    Args:
        text: one short line.
        day_first: how to read an ambiguous numeric date such as 04/02/2025; None means
            day first, as most of the world writes it.

    Returns:
        ``(iso_date, start, end)`` for the earliest match, or None.
    """
    if len(text) > 400:  # dates live on short lines; keep the search bounded
        text = text[:400]
    # Every pattern needs a year, and every year starts "19" or "20": two substring tests
    # settle most lines before a regex search is even set up.
    if ("19" not in text and "20" not in text) or not _YEAR_ONLY.search(text):
        return None
    best: tuple[str, int, int] | None = None
    for pattern, gate in zip(_PATTERNS, _GATES, strict=True):
        if gate is not None and gate.search(text) is None:
            continue  # the pattern cannot match: it needs what the gate looks for
        for match in pattern.finditer(text):
            iso = _from_match(match, day_first is not False)
            if iso and (best is None or match.start() < best[1]):
                best = (iso, match.start(), match.end())
                break
    return best


def _from_match(match: re.Match[str], day_first: bool = True) -> str | None:
    groups = match.groupdict()
    year = int(groups["y"])
    if groups.get("mon"):
        month = _MONTHS.get(groups["mon"].lower().rstrip("."))
        if month is None:
            return None
        return _valid(year, month, int(groups["d"]))
    if groups.get("a"):
        first, second = int(groups["a"]), int(groups["b"])
        if first > 12:
            day, month = first, second
        elif second > 12:
            month, day = first, second
        elif day_first:
            day, month = first, second
        else:
            month, day = first, second
        return _valid(year, month, day)
    return _valid(year, int(groups["m"]), int(groups["d"]))


def date_rank(text: str, start: int) -> int:
    """How much to trust a date found at ``start`` in a byline/date line.

    3: labelled as the publication date; 2: unlabelled; 1: labelled as an update.
    """
    before = text[max(0, start - 40) : start]
    # The label closest to the date is the one that describes it.
    published = [m.end() for m in _PUBLISHED.finditer(before)]
    updated = [m.end() for m in _UPDATED.finditer(before)]
    if published and (not updated or published[-1] > updated[-1]):
        return 3
    if updated:
        return 1
    return 2


def is_date_only(text: str, found: tuple[str, int, int] | None = None) -> bool:
    """True for a line that is a date and nothing more (weekday, time and zone allowed).

    Args:
        text: one short line.
        found: ``find_date(text)`` when the caller has just searched for it (searching for a
            date costs more than the rest of this test); searched for when None.
    """
    if found is None:
        found = find_date(text)
    if not found:
        return False
    rest = (text[: found[1]] + " " + text[found[2] :]).lower()
    rest = re.sub(
        r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|\d{1,2}[:.]\d{2}(?::\d{2})?|\b[ap]\.?m\.?\b|"
        r"\d{1,2}\s*[時시]\s*\d{1,2}\s*[分분]|\buhr\b|\bh\b|"
        r"\b(ist|gmt|utc|bst|cet|cest|est|edt|pst|pdt|kst|jst|et|pt|aest|aedt|cdt|cst|mdt)\b|[,|:\-–—.()\s]|\+\d{2}:?\d{2}",
        " ",
        rest,
    )
    return not rest.strip()


_TIME_ONLY: Final = re.compile(
    r"(?i)^((updated|posted|published|last updated)( at)?\s+)?\d{1,2}[:.]\d{2}\s*"
    r"([ap]\.?m\.?)?\s*([a-z]{2,4})?$"
)


def is_time_only(text: str) -> bool:
    """A bare time stamp such as a live blog prints over each entry ("10.02 BST")."""
    return len(text) <= 40 and bool(_TIME_ONLY.match(text.strip()))
