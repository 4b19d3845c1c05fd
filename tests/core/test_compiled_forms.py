"""The two forms of the cleaner's scans: one for the interpreter, one for the compiled build.

A wheel built where a C compiler is found holds the cleaner compiled by mypyc
(``hatch_build.py``); there ``rules.COMPILED`` is true and two scans take the form mypyc
makes quick (a loop) instead of the one the interpreter runs quickest (a regex, an
``eval``-made ``or``-chain). Both forms are plain Python, so both are checked here in
either build, against the definition and against each other; CI runs these tests on the
compiled build too.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from summitreader.core import clean, rules

HERE = Path(__file__).resolve().parent
CORPORA = ("captures", "holdout", "final", "blind")
GROUPS = rules._SCAN_GROUPS
NEEDLES = sorted({n for group in GROUPS for n in group})


def _holds(low: str, groups: tuple[tuple[str, ...], ...] = GROUPS) -> int:
    """The scans' definition: bit ``i`` is set when the line holds a needle of group ``i``."""
    return sum(1 << i for i, group in enumerate(groups) if any(n in low for n in group))


def _corpus_lows() -> list[str]:
    texts = [p.read_text("utf-8") for d in CORPORA for p in sorted((HERE / d).glob("*.txt"))]
    return [u.body.casefold() for text in texts for u in clean._units(text)]


def test_the_build_picks_the_form_it_runs_quickest() -> None:
    compiled = Path(rules.__file__).suffix in (".so", ".pyd")
    assert rules.COMPILED is compiled
    assert isinstance(rules._SCAN, rules.NeedleAutomaton) is compiled
    assert isinstance(rules.any_of(("a",)), rules.AnyOf) is compiled


def test_the_automaton_and_the_regex_scan_answer_as_the_definition() -> None:
    automaton = rules.NeedleAutomaton(GROUPS)
    regex = rules._regex_needle_scan(GROUPS, rules._SCAN_PIVOTS)
    lows = _corpus_lows()
    assert len(lows) > 3000
    assert sum(_holds(low) != 0 for low in lows) > 500  # the scan finds something to find
    for low in lows:
        want = _holds(low)
        assert automaton(low) == want == regex(low), low
    # Each needle alone, inside others, at the ends of a line, and its pieces.
    for needle in NEEDLES:
        for low in (needle, f"x{needle}", f"{needle}x", needle[1:], needle[:-1], needle * 2):
            assert automaton(low) == _holds(low) == regex(low), low


def test_the_automaton_answers_as_the_definition_on_any_text() -> None:
    # Lines made of needles, their pieces and characters whose UTF-8 bytes look like theirs:
    # accented and wide letters, a lone surrogate, a Turkish i, combining marks.
    automaton = rules.NeedleAutomaton(GROUPS)
    halves = [n[: len(n) // 2] for n in NEEDLES] + [n[len(n) // 2 :] for n in NEEDLES]
    odd = ["é", "İ", "ı", "\u0301", "\ud800", "\udfff", "年", "\U0001f600", "\x00", "ß"]
    pieces = st.sampled_from([*NEEDLES, *halves, *odd, " ", "a", "in"])

    @settings(max_examples=1500, deadline=None, database=None)
    @given(st.lists(pieces, max_size=8).map("".join) | st.text(max_size=40))
    def check(low: str) -> None:
        assert automaton(low) == _holds(low)

    check()


def test_the_automaton_takes_any_groups() -> None:
    # Needles that end inside others, start others, repeat across groups, or are one byte.
    groups = (("he", "she", "hers"), ("his", "he"), ("s",), ("é", "ée"), ())
    automaton = rules.NeedleAutomaton(groups)
    for low in ["ushers", "his", "", "hé", "née", "s", "xyz", "shers", "ééé"]:
        assert automaton(low) == _holds(low, groups), low
    assert automaton("ushers") == 0b111  # "she", "he" (both groups), "hers", "s"
    assert rules.NeedleAutomaton(())("anything") == 0


def test_the_loop_and_the_chain_answer_as_in() -> None:
    words = ("|", "\u3000", "·", "•", "  ", "photo", "İ")

    @settings(max_examples=500, deadline=None, database=None)
    @given(st.text(alphabet=st.sampled_from([*"|·• aohptİi", "\u3000"]), max_size=12))
    def check(s: str) -> None:
        want = any(w in s for w in words)
        assert rules.AnyOf(words)(s) is want
        assert rules.or_chain(words)(s) is want

    check()
    assert rules.AnyOf(())("x") is False and rules.or_chain(())("x") is False
