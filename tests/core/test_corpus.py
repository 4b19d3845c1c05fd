"""Cleaning quality on captures in many outlets' styles (tests/core/captures).

The product is judged by token-level F1 of the body against the body a person marked; the
target is 0.90 from text alone. Each capture's answer was marked by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summitreader.core.clean import clean

from .scoring import f1

CAPTURES = Path(__file__).parent / "captures"
NAMES = sorted(p.stem for p in CAPTURES.glob("*.json"))


def _load(name: str) -> tuple[str, dict[str, Any]]:
    raw = (CAPTURES / f"{name}.txt").read_text(encoding="utf-8")
    return raw, json.loads((CAPTURES / f"{name}.json").read_text(encoding="utf-8"))


def test_corpus_is_there() -> None:
    assert len(NAMES) >= 15


@pytest.mark.parametrize("name", NAMES)
def test_body_f1_per_capture(name: str) -> None:
    raw, want = _load(name)
    got = [p.text for p in clean(raw).paragraphs]
    assert f1(got, want["body"]) >= 0.90


def test_mean_body_f1_well_above_keeping_everything() -> None:
    scores, baseline = [], []
    for name in NAMES:
        raw, want = _load(name)
        scores.append(f1([p.text for p in clean(raw).paragraphs], want["body"]))
        baseline.append(f1([raw], want["body"]))
    mean = sum(scores) / len(scores)
    assert mean >= 0.95
    assert mean > sum(baseline) / len(baseline)


@pytest.mark.parametrize("field", ["title", "date", "byline", "dek"])
def test_metadata_accuracy(field: str) -> None:
    right = 0
    for name in NAMES:
        raw, want = _load(name)
        right += getattr(clean(raw), field) == want[field]
    assert right / len(NAMES) >= 0.9, f"{field}: {right}/{len(NAMES)}"


@pytest.mark.parametrize("name", NAMES)
def test_headings_are_marked(name: str) -> None:
    raw, want = _load(name)
    headings = [p.text for p in clean(raw).paragraphs if p.kind == "heading"]
    assert set(want["headings"]) <= set(headings)


def test_f1_measure_itself() -> None:
    assert f1(["a b c"], ["a b c"]) == 1.0
    assert f1(["x y"], ["a b"]) == 0.0
    assert f1(["a b c d"], ["a b"]) == pytest.approx(2 * 0.5 * 1.0 / 1.5)
    assert f1(["東京都"], ["東京"]) == pytest.approx(0.8)
