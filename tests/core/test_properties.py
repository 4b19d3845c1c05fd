"""Properties of the cleaner over any input: it never raises, and it is idempotent.

Idempotent here means: the article written back out as a plain capture
(:meth:`Article.to_text`: headline, standfirst, byline line, body) cleans to the same
article, with nothing further removed.

Example counts scale with ``SUMMIT_READER_FUZZ`` (see :mod:`tests.core.fuzz`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from summitreader.core.clean import clean
from summitreader.core.models import Article

from .fuzz import fuzz_settings
from .test_chrome_kinds import BODY, CASES, MENU, TITLE

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CORPORA = [Path(__file__).parent / c for c in ("captures", "holdout", "final", "blind")]


def _same(a: Article, b: Article) -> None:
    assert (b.title, b.source, b.byline, b.date, b.dek) == (
        a.title,
        a.source,
        a.byline,
        a.date,
        a.dek,
    )
    assert b.paragraphs == a.paragraphs


def _roundtrip(raw: str) -> None:
    first = clean(raw)
    again = clean(first.to_text())
    _same(first, again)
    assert {r.reason for r in again.removed} <= {"metadata", "repeated-title"}


@pytest.mark.parametrize(
    "path",
    sorted(SEEDS.glob("*.txt")) + sorted(p for c in CORPORA for p in c.glob("*.txt")),
    ids=lambda p: p.name,
)
def test_real_captures_are_idempotent(path: Path) -> None:
    _roundtrip(path.read_text(encoding="utf-8"))


# Lines that look like pieces of news pages, to give hypothesis structure to work with.
PIECES = st.sampled_from(
    [TITLE, "By Marta Lindqvist", "March 4, 2025", "Reuters | Updated: 19-06-2024 09:31 IST"]
    + BODY
    + MENU
    + [case[0] for case in CASES]
    + ["", "  • item one", "1. You Are At:", "Photo: AFP", "Most read", "(AFP)", "A", "…"]
)
ANY_LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@fuzz_settings(300)
@given(st.lists(st.one_of(PIECES, ANY_LINE), max_size=25), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_never_raises_and_is_idempotent(lines: list[str], sep: str) -> None:
    raw = sep.join(lines)
    article = clean(raw)
    assert isinstance(article.title, str) and article.title
    for paragraph in article.paragraphs:
        assert paragraph.text.strip() == paragraph.text and paragraph.text
    _roundtrip(raw)


# Characters the reader removes when it reads a file: C0 controls but tab and line feed,
# DEL, C1 controls but NEL (a line break), bidi overrides and isolates.
INVISIBLE = st.sampled_from(
    ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x7f", "\x90", "\x9b",
     "\u202a", "\u202e", "\u2066", "\u2069"]
)  # fmt: skip
# Lines without line breaks of their own, so that only the separators break lines.
FLAT_LINE = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",), blacklist_characters="\n\r\x85\u2028\u2029"
    ),
    max_size=80,
)
# Every way a page may break its lines, by what it means: a line break, or a blank line.
SAME_BREAK = {
    "\n": ["\n", "\r\n", "\r", "\u2028", "\x85"],
    "\n\n": ["\n\n", "\r\n\r\n", "\r\r", "\u2029", "\n \t\n"],
}


@st.composite
def with_noise(draw: st.DrawFn, line: str, noise: st.SearchStrategy[str]) -> str:
    """``line`` with a few pieces of ``noise`` dropped in at random places."""
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(line)))
        line = line[:at] + draw(noise) + line[at:]
    return line


@fuzz_settings(300)
@given(
    st.lists(st.one_of(PIECES, FLAT_LINE), max_size=25), st.sampled_from(["\n", "\n\n"]), st.data()
)
def test_control_characters_and_line_break_styles_change_nothing(
    lines: list[str], sep: str, data: st.DataObject
) -> None:
    """A page cleans the same with controls strewn in it and whatever its line breaks."""
    plain = clean(sep.join(lines))
    noisy = [data.draw(with_noise(line, INVISIBLE)) for line in lines]
    style = data.draw(st.sampled_from(SAME_BREAK[sep]))
    assert clean(style.join(noisy)) == plain


# Terminal escape sequences (colour, screen clearing, window title, an OSC 8 link, an OSC 52
# clipboard write), zero-width and combining marks, and markup, inside a page's lines.
SEQUENCES = st.sampled_from(
    [
        "\x1b[31m", "\x1b[2J\x1b[H", "\x1b]0;owned\x07", "\x1b]8;;file:///etc/passwd\x1b\\",
        "\x1b]52;c;aGVsbG8=\x07", "\x9b1;31m", "\u200b", "\u200f", "\ufeff", "\u0301" * 8,
        "[/]", "[@click=app.quit]x[/]", "[$var]", "[link=file:///etc/passwd]x[/link]",
    ]
)  # fmt: skip
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@fuzz_settings(300)
@given(
    st.lists(st.one_of(PIECES, ANY_LINE), max_size=25), st.sampled_from(["\n", "\r\n"]), st.data()
)
def test_no_control_character_survives_cleaning(
    lines: list[str], sep: str, data: st.DataObject
) -> None:
    """Whatever a page holds, nothing in the article can drive a terminal."""
    article = clean(sep.join(data.draw(with_noise(line, SEQUENCES)) for line in lines))
    texts = [article.title, article.source, article.byline, article.date, article.dek]
    texts += [p.text for p in article.paragraphs] + [r.text for r in article.removed]
    texts += list(article.captions)
    for text in texts:
        assert text is None or not _UNSAFE.search(text), text


@fuzz_settings(200)
@given(st.text(max_size=2000))  # any code point but lone surrogates: controls included
@example("©0:0:0:0[0{By Marta Lindqvist")  # a copyright holder that did not read back
@example("Photo: AFP© 2025 Harbour Media Ltd. All rights reserved.")
@example(" | Reuters | Updated: 19-06-2024 09:31 IST")  # a separator opening the line
@example("B·\n  • item one")  # and a source that ends in one
@example("READ MORE: Who decides the quotas?" + TITLE * 6)  # a chrome subhead glued on
def test_arbitrary_text_never_raises_and_is_idempotent(raw: str) -> None:
    article = clean(raw)
    kept = sum(len(p.text) for p in article.paragraphs) + sum(len(r.text) for r in article.removed)
    assert kept <= len(raw)
    _roundtrip(raw)
