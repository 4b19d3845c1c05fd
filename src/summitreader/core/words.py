"""Counting words as a reader does, fast enough for every line of every capture.

Split from :mod:`summitreader.core.models` so that the cleaner, which counts the words of
every line, can be compiled with it (see ``hatch_build.py``); the models import these.
"""

from __future__ import annotations

import re
from typing import Final

_JOINER: Final = r"['’.-]"
_WORD: Final = re.compile(rf"\w+(?:{_JOINER}\w+)*")


# Latin-1 text seen as count_words sees it: word characters "a", the joiners ' . - "j", and
# anything else a space (built with the regexes themselves, so the classes agree). A table
# of bytes: a Latin-1 line's bytes (for ASCII text, its characters) are translated in one
# C loop, about twice as fast as ``str.translate``, which looks each character up.
_WORD_SHAPE_BYTES: Final = bytes(
    ord("a") if re.match(r"\w", c) else ord("j") if re.match(_JOINER, c) else ord(" ")
    for c in map(chr, range(256))
)


def count_words(text: str) -> int:
    """Words as a reader counts them: runs of letters/digits, joined by apostrophes or hyphens.

    Cleaning counts the words of every line, so Latin-script text (most lines) skips the
    regex: see :func:`count_latin_words`. Other text gets the regex.
    """
    words = count_latin_words(text)
    return count_words_by_regex(text) if words is None else words


def count_words_by_regex(text: str) -> int:
    """:func:`count_words` the slow way: for text that :func:`count_latin_words` declined."""
    return len(_WORD.findall(text))


def count_latin_words(text: str) -> int | None:
    """:func:`count_words` of text that is Latin-1 once its curly quotes and dashes are set aside.

    None for other text (Cyrillic, Arabic, CJK...), which needs the regex. A word starts at
    each run of word characters, except a run that a single joiner ties to the run before it
    ("well-known" is one word). In the text's shape (see _WORD_SHAPE_BYTES), after a space put
    in front, such runs begin at " a", " ja" and "jja". They are counted as " a" once the
    joiners that tie nothing are blanked: the pairs of a run of joiners, then a joiner left
    alone after a space. Only a joiner between two word characters stays, so a run starts
    after a space exactly when it began at one of the three (tests/core/test_units_fused.py
    checks every shape up to eight long). Two replacements and one count are quicker than
    three counts: ``bytes.count`` reads its arguments the slow way, and a replacement that
    finds nothing returns the shape itself.

    The characters beyond Latin-1 that Latin-script lines are full of (a third of the lines
    of the test corpora hold one) are replaced by one of their kind first: the curly
    apostrophe by a joiner, the quotes, dashes, ellipsis and bullet by a space.
    """
    data = latin_1_bytes(text)
    return None if data is None else count_shape_words(data)


def latin_1_bytes(text: str) -> bytes | None:
    """``text`` as Latin-1 bytes once its common stand-ins are replaced, or None if it is not.

    The curly apostrophe becomes "'", the curly quotes, dashes, ellipsis and bullet a space:
    what both the word count and the phrase key make of them (see :func:`count_latin_words`
    and ``rules.key_and_words``, which share this so that they cannot drift apart).
    """
    if text.isascii():
        return text.encode()
    text = text.replace("\u2019", "'").replace("\u2018", " ").replace("\u201c", " ")
    text = text.replace("\u201d", " ").replace("\u2013", " ").replace("\u2014", " ")
    text = text.replace("\u2026", " ").replace("\u2022", " ")
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return None


def count_shape_words(data: bytes) -> int:
    """:func:`count_words` of Latin-1 ``data`` (see :func:`latin_1_bytes`), by its shape."""
    shape = b" " + data.translate(_WORD_SHAPE_BYTES)
    return shape.replace(b"jj", b"  ").replace(b" j", b"  ").count(b" a")
