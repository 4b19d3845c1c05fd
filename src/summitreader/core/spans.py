"""Words, sentences and paragraphs around an offset in an article's canonical text.

The reader highlights "the sentence under the cursor"; where that sentence starts and ends is
a property of the text, not of the screen, so it is worked out here, as pure functions on the
canonical text (paragraphs joined by :data:`~summitreader.core.models.PARAGRAPH_SEPARATOR`).

Every function returns ``(start, end)`` code-point offsets, ``end`` exclusive, with
``start <= offset <= end`` (the offset is clamped to the text first), and never a span that
crosses a paragraph break: a highlight made from it always lies inside one paragraph.
Deliberately simple: terminators followed by white space end a sentence, closing quotes and
brackets stay with the sentence they close, and a few abbreviations do not end one.
"""

from __future__ import annotations

import re

from summitreader.core.models import PARAGRAPH_SEPARATOR

#: Sentence ends: terminators, then closing quotes or brackets, then the white space before
#: the next sentence. The classes are disjoint, so matching stays linear on any input.
_SENTENCE_END = re.compile(r"[.?!…]+[\"'”’»)\]]*(\s+)")

#: Words whose final full stop does not end a sentence (compared case-insensitively).
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "no", "gen"}
)

#: Characters that join letters into one word ("don't", "Kim Jong-un").
_JOINERS = "'’-‐"


def _clamp(text: str, offset: int) -> int:
    return max(0, min(offset, len(text)))


def paragraph_at(text: str, offset: int) -> tuple[int, int]:
    """The paragraph around ``offset``, without the breaks that delimit it.

    An offset inside a paragraph break (between its two newlines) belongs to no paragraph:
    the empty span there is returned, so callers never get text from two paragraphs.
    """
    offset = _clamp(text, offset)
    if text[max(0, offset - 1) : offset + 1] == PARAGRAPH_SEPARATOR:
        return offset, offset
    before = text.rfind(PARAGRAPH_SEPARATOR, 0, offset)
    start = before + len(PARAGRAPH_SEPARATOR) if before >= 0 else 0
    after = text.find(PARAGRAPH_SEPARATOR, offset)
    end = after if after >= 0 else len(text)
    return start, end


def _ends_sentence(paragraph: str, match: re.Match[str]) -> bool:
    """False for the full stop of an abbreviation or an initial ("Mr.", "U.S.", "J.")."""
    if paragraph[match.start()] != ".":
        return True
    # A bounded look back: abbreviations are short, and a long paragraph stays linear.
    before = paragraph[max(0, match.start() - 16) : match.start()].split()
    word = before[-1].lstrip("\"'“‘(«[").casefold() if before else ""
    if not word:
        return True
    if word in _ABBREVIATIONS:
        return False
    # Initials: "J." and "U.S." (every dotted part one letter).
    return not all(len(part) == 1 and part.isalpha() for part in word.split("."))


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    """The sentence around ``offset``, trimmed of surrounding white space.

    A sentence ends after ``.``, ``?``, ``!`` or ``…`` (and any closing quotes or brackets)
    followed by white space, or at the end of its paragraph. An offset right after a
    sentence's last character ends that sentence; one further into the white space between
    two sentences belongs to the next one, and the span is widened back to the offset so that
    it still contains it.
    """
    offset = _clamp(text, offset)
    para_start, para_end = paragraph_at(text, offset)
    paragraph = text[para_start:para_end]
    relative = offset - para_start
    start, end = 0, len(paragraph)
    for match in _SENTENCE_END.finditer(paragraph):
        if not _ends_sentence(paragraph, match):
            continue
        if relative > match.start(1):
            start = match.end()
        else:
            end = match.start(1)
            break
    while start < end and paragraph[start].isspace():
        start += 1
    while end > start and paragraph[end - 1].isspace():
        end -= 1
    return min(para_start + start, offset), max(para_start + end, offset)


def _in_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def word_at(text: str, offset: int) -> tuple[int, int]:
    """The word at ``offset`` (letters, digits, and apostrophes or hyphens between them).

    An offset just after a word (on the space or punctuation that follows) still selects it,
    which is where a cursor lands after moving past it; elsewhere the span is empty.
    """
    offset = _clamp(text, offset)

    def joined(at: int) -> bool:
        """A joiner with word characters on both sides is part of the word."""
        return (
            0 < at < len(text) - 1
            and text[at] in _JOINERS
            and _in_word(text[at - 1])
            and _in_word(text[at + 1])
        )

    def inside(at: int) -> bool:
        return 0 <= at < len(text) and (_in_word(text[at]) or joined(at))

    start = offset
    if not inside(start) and inside(start - 1):
        start -= 1
    if not inside(start):
        return offset, offset
    while inside(start - 1):
        start -= 1
    end = max(start, offset)
    while inside(end):
        end += 1
    return start, end


__all__ = ["paragraph_at", "sentence_at", "word_at"]
