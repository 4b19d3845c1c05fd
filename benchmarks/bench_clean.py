"""Cleaning speed: throughput on typical captures and linear scaling on large ones.

Run with ``python benchmarks/bench_clean.py`` (``--quick`` for fewer runs, ``--cpu`` to time
CPU rather than wall-clock time on a busy machine, ``--profile`` to print where the time
goes on the typical captures). Prints min / median / max over repeated runs after a
warm-up, the throughput in MB/s at the median, and the ratio to a floor measured in the same
run: sanitising the text, splitting it into lines and case-folding each line, the least a
cleaner that reads every line must do.

Targets (issue 7): at least 5 MB/s on typical captures -- the bundled seeds and the test
corpora, each cleaned on its own, and long articles built from the seeds' sentences -- and
time per MB growing by at most x1.5 from 100 KB to 1 MB and to 10 MB. The large inputs are
generated from the seeds' own sentences with chrome lines mixed in, so nothing large is
committed. Not part of the test run; the machine's load is printed with the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from summitreader.core.clean import clean
from summitreader.core.textio import sanitize

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CORPORA = [ROOT / "tests" / "core" / name for name in ("captures", "holdout", "final", "blind")]
TARGET_MBPS = 5.0
SCALING_TARGET = 1.5
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


def corpus_texts() -> list[str]:
    """The captures of the cleaner's test corpora: many outlets, dense with chrome."""
    return [p.read_text(encoding="utf-8") for d in CORPORA for p in sorted(d.glob("*.txt"))]


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
    """The floor: read the text's lines and case-fold each, as any line-by-line cleaner must."""
    return [line.casefold() for line in sanitize(text).split("\n")]


def clean_each(texts: Sequence[str]) -> object:
    return [clean(t) for t in texts]


def floor_each(texts: Sequence[str]) -> object:
    return [floor(t) for t in texts]


class Timer:
    """Times a call, by the wall clock or (``--cpu``) by this process's CPU time."""

    def __init__(self, cpu: bool) -> None:
        self.now = time.process_time if cpu else time.perf_counter

    def runs(self, fn: Callable[[], object], repeat: int) -> list[float]:
        fn()  # warm-up
        times = []
        for _ in range(repeat):
            start = self.now()
            fn()
            times.append(self.now() - start)
        return times


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def row(label: str, size: int, times: list[float], base: list[float], target: bool) -> str:
    med = statistics.median(times)
    mbps = size / 1e6 / med
    ratio = med / statistics.median(base)
    mark = f"  {verdict(mbps >= TARGET_MBPS)} (>= {TARGET_MBPS:g} MB/s)" if target else ""
    return (
        f"{label:34} {size / 1e6:6.2f} MB  min {ms(min(times))}  median {ms(med)}  "
        f"max {ms(max(times))}  {mbps:6.2f} MB/s  x{ratio:5.1f} floor{mark}"
    )


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:8.1f} ms"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per input")
    parser.add_argument("--quick", action="store_true", help="three runs per input")
    parser.add_argument("--cpu", action="store_true", help="time CPU, not wall-clock, time")
    parser.add_argument("--profile", action="store_true", help="profile the typical captures")
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    timer = Timer(args.cpu)
    print(f"python {platform.python_version()} on {platform.machine()} ({platform.system()})")
    print(f"{'CPU' if args.cpu else 'wall-clock'} time; {load()}")

    typical = {
        "typical: the 5 seeds, one by one": seed_texts(),
        "typical: test corpora, one by one": corpus_texts(),
    }
    typical["typical: all of the above"] = [t for texts in typical.values() for t in texts]
    for label, texts in typical.items():
        size = sum(len(t.encode("utf-8")) for t in texts)
        many = repeat * 3  # short inputs: more runs for a steady median
        times = timer.runs(lambda texts=texts: clean_each(texts), many)
        base = timer.runs(lambda texts=texts: floor_each(texts), many)
        print(row(label, size, times, base, target=True))

    per_mb: dict[int, float] = {}
    for target in (100_000, 1_000_000, 10_000_000):
        text = synthetic(target)
        size = len(text.encode("utf-8"))
        runs = repeat if target < 10_000_000 else max(3, repeat // 3)
        times = timer.runs(lambda text=text: clean(text), runs)
        base = timer.runs(lambda text=text: floor(text), runs)
        per_mb[target] = statistics.median(times) / (size / 1e6)
        print(row(f"synthetic capture, {target // 1000:,} KB", size, times, base, target=True))
    for big in (1_000_000, 10_000_000):
        ratio = per_mb[big] / per_mb[100_000]
        print(
            f"scaling: time per MB at {big // 1_000_000} MB / at 100 KB = {ratio:.2f}  "
            f"{verdict(ratio <= SCALING_TARGET)} (<= {SCALING_TARGET:g}; 1.00 is linear)"
        )

    one_line = " ".join(synthetic(1_000_000).split())
    many_lines = "\n".join("x" for _ in range(50_000))
    sentences = "\n".join(f"Line {i} of the report says the talks went on." for i in range(50_000))
    brackets = "[" * 1_000_000
    for label, text in (
        ("pathological: 1 MB on one line", one_line),
        ("pathological: 50k one-char lines", many_lines),
        ("pathological: 50k sentence lines", sentences),
        ("pathological: 1 MB of '['", brackets),
    ):
        size = len(text.encode("utf-8"))
        times = timer.runs(lambda text=text: clean(text), 3)
        base = timer.runs(lambda text=text: floor(text), 3)
        print(row(label, size, times, base, target=False))
    print(load())

    if args.profile:
        texts = typical["typical: all of the above"]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            clean_each(texts)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
