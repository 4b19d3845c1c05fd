"""Prove that a speed change to the cleaner changes nothing it returns.

Run ``python benchmarks/clean_snapshot.py record SNAPSHOT`` before the change and
``python benchmarks/clean_snapshot.py compare SNAPSHOT`` after it (``--large`` adds a 10 MB
capture; a minute or so either way). The snapshot (a JSON file, never committed) holds, for
a wide set of inputs, the full ``repr`` of every :class:`Article` :func:`clean` returns (a
SHA-256 of it for the largest), and the answers of the per-line rule functions on every
line. Speed work must leave all of it byte-identical; ``compare`` lists whatever differs
and exits 1. Not part of the test run.

The inputs: the bundled seeds, every capture of the test corpora, variants of each capture
that put its lines in other contexts (reversed, halves dropped, neighbours swapped, shuffled
with a fixed seed, glued to another capture), the benchmark's generated captures and its
pathological inputs. The variants matter: the cleaner judges a line by what stands around
it, and a cache or a precomputed feature that went wrong would show up out of context first.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from bench_clean import synthetic

from summitreader.core import dates, rules
from summitreader.core.clean import clean
from summitreader.core.textio import sanitize

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT / "seeds"] + [
    ROOT / "tests" / "core" / name for name in ("captures", "holdout", "final", "blind")
]


def _captures() -> list[tuple[str, str]]:
    found = []
    for folder in CORPORA:
        for path in sorted(folder.glob("*.txt")):
            found.append((f"{folder.name}/{path.name}", path.read_text(encoding="utf-8")))
    return found


def _variants(name: str, text: str, other: str) -> Iterator[tuple[str, str]]:
    lines = text.split("\n")
    rng = random.Random(name)
    yield name, text
    yield f"{name}#reversed", "\n".join(reversed(lines))
    yield f"{name}#odd", "\n".join(lines[1::2])
    yield f"{name}#even", "\n".join(lines[::2])
    yield f"{name}#tail", "\n".join(lines[len(lines) // 3 :])
    yield f"{name}#head", "\n".join(lines[: 2 * len(lines) // 3])
    swapped = list(lines)
    for i in range(0, len(swapped) - 1, 2):
        swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
    yield f"{name}#swapped", "\n".join(swapped)
    shuffled = list(lines)
    rng.shuffle(shuffled)
    yield f"{name}#shuffled", "\n".join(shuffled)
    yield f"{name}#tight", "\n".join(line for line in lines if line.strip())
    yield f"{name}#upper", text.upper()
    yield f"{name}#glued", text + "\n\n" + other


def _pathological() -> Iterator[tuple[str, str]]:
    yield "one-line", " ".join(synthetic(300_000).split())
    yield "one-char-lines", "\n".join("x" for _ in range(20_000))
    sentences = (f"Line {i} of the report says the talks went on." for i in range(20_000))
    yield "sentences", "\n".join(sentences)
    for bait in (
        "[" * 50_000,
        "(" * 50_000 + "AFP",
        "a " * 50_000,
        "By " * 20_000,
        "Photo: " * 10_000,
        "Share " * 20_000,
        "1/" * 20_000 + "2024",
        "\u00a0" * 20_000 + "x",
    ):
        yield f"bait {bait[:6]!r}", f"Headline about the summit\n\n{bait}\n\n{bait}\n"


def inputs(large: bool) -> Iterator[tuple[str, str]]:
    """Every input the snapshot covers, named."""
    captures = _captures()
    for n, (name, text) in enumerate(captures):
        yield from _variants(name, text, captures[(n + 1) % len(captures)][1])
    sizes = (100_000, 1_000_000, 10_000_000) if large else (100_000, 1_000_000)
    for size in sizes:
        yield f"synthetic {size}", synthetic(size)
        yield f"synthetic {size} seed 11", synthetic(size, seed=11)
    yield from _pathological()


_LINE_FUNCTIONS: dict[str, Callable[[str], object]] = {
    "phrase_reason": rules.phrase_reason,
    "key": rules.key,
    "is_menu_row": rules.is_menu_row,
    "is_breadcrumb": rules.is_breadcrumb,
    "is_section_path": rules.is_section_path,
    "find_date": dates.find_date,
    "find_date_month_first": lambda line: dates.find_date(line, False),
    "is_date_only": dates.is_date_only,
    "is_time_only": dates.is_time_only,
}


def record(large: bool) -> dict[str, str]:
    """The snapshot: a name for each checked answer, and the answer's repr."""
    out: dict[str, str] = {}
    lines: set[str] = set()
    for name, text in inputs(large):
        answer = repr(clean(text))
        if len(answer) > 1_000_000:  # the large inputs: a digest keeps the snapshot small
            answer = "sha256:" + hashlib.sha256(answer.encode()).hexdigest()
        out[f"clean {name}"] = answer
        for line in sanitize(text).split("\n"):
            if len(lines) < 200_000 and len(line) <= 2000:
                lines.add(line.strip())
    for fname, fn in _LINE_FUNCTIONS.items():
        answers = [f"{line!r} -> {fn(line)!r}" for line in sorted(lines)]
        out[f"lines {fname}"] = "\n".join(answers)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=("record", "compare"))
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--large", action="store_true", help="include a 10 MB capture")
    args = parser.parse_args()
    now = record(args.large)
    digest = hashlib.sha256(json.dumps(now, sort_keys=True).encode()).hexdigest()[:16]
    if args.mode == "record":
        args.snapshot.write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
        print(f"recorded {len(now)} answers, digest {digest}")
        return 0
    before: dict[str, str] = json.loads(args.snapshot.read_text(encoding="utf-8"))
    differ = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    for name in differ:
        print(f"DIFFERS: {name}")
    print(f"compared {len(now)} answers, {len(differ)} differ, digest {digest}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
