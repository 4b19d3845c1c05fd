"""Inputs built to hurt: huge lines, huge line counts, regex-bait, hostile characters.

No timing assertions here (speed is measured in benchmarks/); these check that such input
is handled at all, with sane output. The suite's global timeout guards against a hang.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summitreader.core.clean import clean

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SHARED_SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def test_one_megabyte_single_line() -> None:
    sentence = "Kim greeted Putin at the airport and the two leaders embraced. "
    text = sentence * (1_000_000 // len(sentence))
    article = clean(text)
    assert len(article.paragraphs) == 1
    assert article.paragraphs[0].text == text.strip()


def test_fifty_thousand_lines() -> None:
    lines = [f"Line {i} of the report says the talks went on." for i in range(50_000)]
    article = clean("\n".join(lines))
    assert len(article.paragraphs) == 50_000


def test_hundred_thousand_one_character_lines() -> None:
    article = clean("\n".join("x" for _ in range(100_000)))
    assert article.title  # nothing to read, but a clean answer
    assert len(article.paragraphs) + len(article.removed) <= 100_000


@pytest.mark.parametrize(
    "bait",
    [
        "[" * 200_000,
        "(" * 200_000 + "AFP",
        "a " * 200_000,
        "By " * 100_000,
        "Photo: " * 50_000,
        "Share " * 100_000,
        "1/" * 100_000 + "2024",
        "https://" + "a." * 100_000 + "com",
        "\u00a0" * 100_000 + "x",
        "e\u0301" * 100_000,
    ],
    ids=lambda s: repr(s[:12]),
)
def test_regex_bait_lines(bait: str) -> None:
    article = clean(f"Headline about the summit\n\n{bait}\n\n{bait}\n")
    assert isinstance(article.paragraphs, tuple)


def test_hostile_characters_never_survive_cleaning() -> None:
    raw = "Title \x1b]0;owned\x07here\n\n\x1b[2JBody \u202eevil\u202c text with a \x9b c1.\n"
    article = clean(raw)
    everything = article.to_text() + "".join(r.text for r in article.removed)
    for bad in ("\x1b", "\x07", "\u202e", "\u202c", "\x9b"):
        assert bad not in everything


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="shared/ is not beside this checkout")
def test_bundled_seeds_are_byte_copies_of_the_shared_ones() -> None:
    shared = {p.name: p.read_bytes() for p in SHARED_SEEDS.glob("*.txt")}
    bundled = {p.name: p.read_bytes() for p in SEEDS.glob("*.txt")}
    assert bundled == shared
