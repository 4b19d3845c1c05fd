"""Building a unit asks several questions of each line in one go; each answer is exact.

:func:`rules.key_and_words` gives a line's phrase key and its word count from one
encoding of the case-folded line, rather than the key from the folded line and the count
from the line as written, each encoded on its own. These tests check both answers against
their definitions (the key's regex, the word regex) over every character of Unicode and on
generated strings, and the count's fewer passes over every shape of a short line.
"""

from __future__ import annotations

import itertools
import sys
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from summitreader.core import clean, rules
from summitreader.core import words as wordcount

# The characters count_latin_words and key_and_words set aside before encoding to Latin-1.
STAND_INS = "\u2019\u2018\u201c\u201d\u2013\u2014\u2026\u2022"


def _stood_in(text: str) -> str:
    text = text.replace("\u2019", "'")
    return text.translate({ord(ch): " " for ch in STAND_INS[1:]})


def _is_latin(text: str) -> bool:
    try:
        _stood_in(text).encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _key(low: str) -> str:
    """The key's definition: the regex, then the curly apostrophe, then spaces folded."""
    return " ".join(rules._KEY_DROP.sub(" ", low).replace("’", "'").split())


def _words(body: str) -> int:
    """The unit's words by definition: the word regex, and a word per three unspaced."""
    return len(wordcount._WORD.findall(body)) + len(clean._UNSPACED.findall(body)) // 3


@cache
def _every_character() -> str:
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


@cache
def _folding_into_latin() -> str:
    """The characters whose case fold key_and_words encodes (the rest it leaves to others)."""
    return "".join(ch for ch in _every_character() if _is_latin(ch.casefold()))


def test_the_shape_is_counted_in_fewer_passes_as_defined() -> None:
    # Every shape up to eight long over a word character, a joiner and a blank, with the
    # space count_latin_words puts in front: the two replacements and one count against
    # the three counts of the definition.
    for size in range(9):
        for chars in itertools.product(b"aj ", repeat=size):
            shape = b" " + bytes(chars)
            want = shape.count(b" a") + shape.count(b" ja") + shape.count(b"jja")
            got = shape.replace(b"jj", b"  ").replace(b" j", b"  ").count(b" a")
            assert got == want, shape


def test_the_key_is_the_key_of_every_character() -> None:
    # Each character the Latin-1 table reads, between letters and beside ASCII punctuation;
    # the others in blocks (those take the key's own way, which must answer the same).
    latin = [chr(c) for c in range(256)] + list(STAND_INS)
    for ch in latin:
        for low in (f"a{ch}b", f"{ch}", f"a{ch}{ch}. b", f"{ch}'x’{ch}", f"&{ch}_"):
            key, _ = rules.key_and_words(low)
            assert key == _key(low) == rules._key_of_folded(low), repr(low)
    everything = _every_character()
    for start in range(0, len(everything), 4096):
        low = "".join(f"a{ch}b{ch}. " for ch in everything[start : start + 4096])
        assert rules.key_and_words(low)[0] == _key(low), start


def test_the_words_of_the_folded_line_are_the_words_of_the_line() -> None:
    # Case folding goes character by character, so a character's fold in any context is
    # its fold alone: every character whose fold key_and_words counts (the others it leaves
    # to the caller) is counted as the line's own words, wherever it stands.
    folding = _folding_into_latin()
    assert "K" in folding and "\u212a" in folding and "\u0178" in folding  # Kelvin, Ÿ
    for ch in folding:
        for body in (f"a{ch}b", f"{ch}", f"a{ch}", f"{ch}a", f"a{ch}{ch}b", f"a.{ch}b", f"a{ch}.b"):
            _, words = rules.key_and_words(body.casefold())
            assert words == _words(body), repr(body)
    # The rest: no count, so the caller counts the line as written (with the regex: a line
    # that folds out of Latin-1 is seldom Latin-1 itself, but for a "µ", which folds to "μ").
    rest = "µ\u0416\u4e2d\u0130\u03a3\U0001d400"
    for ch in rest:
        assert ch not in folding
        assert rules.key_and_words(f"a {ch} b".casefold())[1] is None


def test_units_count_words_and_keys_as_defined() -> None:
    alphabet = "aZ '-.,_&\t\u00a0µßÿŸ\u212aﬁſ" + STAND_INS + "\u0416\u4e2d\u3042한\u200e•1"

    @settings(max_examples=1000, deadline=None, database=None)
    @given(st.text(alphabet=st.sampled_from(alphabet), max_size=40))
    def check(text: str) -> None:
        line = text.strip()
        key, words = rules.key_and_words(line.casefold())
        assert key == _key(line.casefold())
        assert words is None or words == _words(line)
        _, body, _, words, _, low, k = clean._unit_parts(line)
        assert words == _words(body) == clean._make_unit(line).words
        assert low == body.casefold()
        assert k is None or k == rules.key(body)
        assert wordcount.count_words(line) == len(wordcount._WORD.findall(line))

    check()
    assert rules.key_and_words("“Well-known” U.S. firm’s Café – 3.5%".casefold()) == (
        "well known u s firm's café 3 5",
        5,
    )
    assert rules.key_and_words("привет, мир") == ("привет мир", None)
    assert rules.key_and_words("5 µm".casefold()) == ("5 μm", None)  # "μ" after folding
