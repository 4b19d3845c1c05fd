"""Cleaning speed: throughput on typical captures and linear scaling on large ones.

Run with ``python benchmarks/bench_clean.py``. Prints min / median / max seconds over
repeated runs after a warm-up, and ratios against a floor measured in the same run: the
floor is sanitising the text and splitting it into lines, the least any cleaner must do.
Inputs are generated from the bundled seeds' own sentences with chrome lines mixed in,
so nothing large is committed.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from summitreader.core.clean import clean
from summitreader.core.textio import sanitize

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
CHROME = [
    "Advertisement",
    "Share  Facebook  Twitter  WhatsApp  Email",
    "Also Read: Putin heads to Vietnam after Pyongyang visit",
    "Most read",
    "Sign up for our daily newsletter and get the news in your inbox.",
    "Image Source : AP Leaders shake hands at the airport",
    "© 2024 Example Media Ltd. All rights reserved.",
]


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def synthetic(size: int, seed: int = 7) -> str:
    """A capture of about ``size`` bytes: seed paragraphs shuffled, chrome mixed in."""
    rng = random.Random(seed)
    paragraphs = [
        line.strip()
        for text in seed_texts()
        for line in text.splitlines()
        if len(line.split()) >= 12
    ]
    out = ["Putin and Kim sign a pact in Pyongyang", "By Staff Reporter | June 19, 2024"]
    total = 0
    while total < size:
        block = rng.choice(CHROME) if rng.random() < 0.15 else rng.choice(paragraphs)
        block = f"{block} ({total})" if block in paragraphs else block  # no duplicates
        out.append(block)
        total += len(block.encode("utf-8")) + 2
    return "\n\n".join(out)


def floor(text: str) -> object:
    return sanitize(text).split("\n")


def measure(fn: Callable[[str], object], text: str, repeat: int) -> list[float]:
    fn(text)  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - start)
    return times


def row(label: str, size: int, times: list[float], base: list[float]) -> str:
    med = statistics.median(times)
    mbps = size / 1e6 / med
    ratio = med / statistics.median(base)
    return (
        f"{label:28} {size / 1e6:8.2f} MB  min {min(times) * 1e3:9.2f} ms  "
        f"median {med * 1e3:9.2f} ms  max {max(times) * 1e3:9.2f} ms  "
        f"{mbps:7.1f} MB/s  x{ratio:6.1f} floor"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()} ({platform.system()})")

    seeds = seed_texts()
    joined = "\n\n\n".join(seeds)

    def all_seeds(_: str) -> object:
        return [clean(t) for t in seeds]

    def seeds_floor(_: str) -> object:
        return [floor(t) for t in seeds]

    size = len(joined.encode("utf-8"))
    base = measure(seeds_floor, joined, args.repeat * 10)
    print(row("5 seeds, one by one", size, measure(all_seeds, joined, args.repeat * 10), base))

    per_mb: dict[int, float] = {}
    for target in (100_000, 1_000_000, 10_000_000):
        text = synthetic(target)
        size = len(text.encode("utf-8"))
        repeat = args.repeat if target < 10_000_000 else max(3, args.repeat // 2)
        times = measure(clean, text, repeat)
        per_mb[target] = statistics.median(times) / (size / 1e6)
        print(row(f"synthetic {target // 1000} KB", size, times, measure(floor, text, repeat)))
    print(
        f"scaling: seconds per MB at 10 MB / at 100 KB = "
        f"{per_mb[10_000_000] / per_mb[100_000]:.2f} (1.00 is linear)"
    )

    one_line = " ".join(synthetic(1_000_000).split())
    many_lines = "\n".join("x" for _ in range(50_000))
    sentences = "\n".join(f"Line {i} of the report says the talks went on." for i in range(50_000))
    brackets = "[" * 1_000_000
    for label, text in (
        ("1 MB single line", one_line),
        ("50k one-char lines", many_lines),
        ("50k sentence lines", sentences),
        ("1 MB of '['", brackets),
    ):
        size = len(text.encode("utf-8"))
        print(row(label, size, measure(clean, text, 3), measure(floor, text, 3)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
