"""The five bundled captures, against answers marked by hand (data/seeds_expected.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summitreader.core.clean import clean
from summitreader.core.textio import sanitize

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
EXPECTED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "seeds_expected.json").read_text(encoding="utf-8")
)
NAMES = sorted(k for k in EXPECTED if not k.startswith("_"))


def _lines(name: str) -> list[str]:
    raw = (SEEDS / name).read_text(encoding="utf-8")
    return [line.strip() for line in sanitize(raw).split("\n") if line.strip()]


def test_every_seed_has_an_answer() -> None:
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_metadata(name: str) -> None:
    want = EXPECTED[name]
    article = clean((SEEDS / name).read_text(encoding="utf-8"))
    got = {k: getattr(article, k) for k in ("title", "source", "byline", "date", "dek")}
    assert got == {k: want[k] for k in got}
    assert list(article.captions) == want["captions"]
    assert [p.text for p in article.paragraphs if p.kind == "heading"] == want["headings"]


@pytest.mark.parametrize("name", NAMES)
def test_every_body_line_kept_and_no_chrome_left(name: str) -> None:
    want = EXPECTED[name]
    article = clean((SEEDS / name).read_text(encoding="utf-8"))
    chrome: dict[str, str] = want["chrome"]

    def chrome_reason(line: str) -> str | None:
        return next((r for prefix, r in chrome.items() if line.startswith(prefix)), None)

    body: list[str] = []
    for line in _lines(name):
        if chrome_reason(line) is not None or line == want["dek"]:
            continue
        if not want["title"].endswith("…") and line.startswith(want["title"]):
            continue  # the headline and its repeat
        if line in want.get("duplicates", []) and line in body:
            continue
        body.append(line)
    # Every body line is kept, whole and in order (a glued subheading may be split off).
    assert " ".join(p.text for p in article.paragraphs) == " ".join(body)
    # Nothing else is kept: each removed block is chrome with the reason marked for it.
    for item in article.removed:
        if item.reason == "duplicate-paragraph":
            assert item.text in want["duplicates"]
        elif item.reason == "repeated-title":
            assert want.get("repeated_title") and item.text == want["title"]
        else:
            assert chrome_reason(item.text) == item.reason, item.text
    assert {chrome_reason(r.text) for r in article.removed} >= set(chrome.values())


def test_seed_without_chrome_loses_nothing() -> None:
    name = "001_b0dfe862c0761fca.txt"
    article = clean((SEEDS / name).read_text(encoding="utf-8"))
    assert article.removed == ()
    assert [p.text for p in article.paragraphs] == _lines(name)
    assert article.title_is_fallback


def test_page_header_date_is_not_the_publication_date() -> None:
    article = clean((SEEDS / "003_ad3a616f21d07f22.txt").read_text(encoding="utf-8"))
    assert article.date == "2024-06-19"
    assert any(r.reason == "page-date" and "June 25" in r.text for r in article.removed)
