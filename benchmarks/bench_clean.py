"""Cleaning speed: throughput on typical captures and linear scaling on large ones.

Run with ``python benchmarks/bench_clean.py`` (``--quick`` for fewer runs, ``--cpu`` to time
CPU rather than wall-clock time on a busy machine, ``--profile`` to print where the time
goes on the typical captures, ``--split`` to split the test corpora's time between the
phrase rules and the rest of the cleaner, ``--pure`` to time the checkout's pure-Python
cleaner where the installed one is compiled, ``--vs-pure ROUNDS`` to time the compiled
cleaner on the corpora in turns with the pure one). It says which cleaner it timed: a wheel built
by ``pip install .`` holds the cleaner compiled by mypyc where the machine has a C compiler
(see ``hatch_build.py``); an editable install and the checkout are pure Python.

It prints min / median / max over repeated runs after a warm-up, the throughput in MB/s and
the time per line at the median (a cleaner's cost goes with lines more than with bytes),
and the ratio to a floor measured in the same run: sanitising the text, splitting it into
lines and case-folding each line, the least a cleaner that reads every line must do. The
table is Markdown, as every benchmark here prints it.

Targets (issue 7): at least 5 MB/s on typical captures -- the bundled seeds and the test
corpora, each cleaned on its own, and long articles built from the seeds' sentences -- and
time per MB growing by at most x1.5 from 100 KB to 1 MB and to 10 MB. The large inputs are
generated from the seeds' own sentences with chrome lines mixed in, so nothing large is
committed. Not part of the test run; the machine's load is printed with the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from report import Row, load_average, machine, print_table, ratio, scaling_row, verdict

ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and "--pure" in sys.argv[1:]:
    # The checkout's own sources: hatch_build.py compiles the cleaner only into wheels, so
    # these are pure Python even where the installed package is compiled.
    sys.path.insert(0, str(ROOT / "src"))

from summitreader.core import clean as clean_module  # noqa: E402
from summitreader.core import rules  # noqa: E402
from summitreader.core.clean import clean  # noqa: E402
from summitreader.core.textio import sanitize  # noqa: E402

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


def lines_of(texts: Sequence[str]) -> int:
    """The lines a cleaner looks at one by one: what its cost goes with, more than bytes."""
    return sum(1 for t in texts for line in sanitize(t).split("\n") if line.strip())


def row(
    label: str, texts: Sequence[str], times: list[float], base: list[float], target: bool
) -> Row:
    """A figure with its throughput and time per line at the median, and its ratio to the floor."""
    size = sum(len(t.encode("utf-8")) for t in texts)
    med = statistics.median(times)
    mbps = size / 1e6 / med
    lines = lines_of(texts)
    return Row(
        f"{label} ({size / 1e6:.2f} MB, {lines:,} line{'s' if lines != 1 else ''})",
        times,
        ratio=ratio(times, base),
        rate=f"{mbps:.2f} MB/s, {med / lines * 1e6:.1f} µs/line",
        target=f">= {TARGET_MBPS:g} MB/s" if target else "",
        passed=mbps >= TARGET_MBPS if target else None,
    )


def cleaner_build() -> str:
    """Which cleaner is timed: the wheel's compiled one (see hatch_build.py) or the source."""
    kind = "compiled by mypyc" if rules.COMPILED else "pure Python"
    return f"cleaner: {kind} ({clean_module.__file__})"


def split_rows(timer: Timer, texts: Sequence[str], repeat: int) -> list[Row]:
    """How much of cleaning ``texts`` the phrase rules' own tests cost, and the rest.

    Times ``clean`` three ways, in turns: as it is; with each line's phrase-rule answer
    given (looked up in a dict filled by a first run, so the output is the same); and
    given, but with the needle and lead scans that open every line's rules still run. The
    second is what the passes and the building of units cost whatever the rules do: the
    least any speed-up of the rules alone could reach.
    """
    real = rules.phrase_reason
    answers: dict[str, str | None] = {}

    def record(text: str, low: str | None = None, k: str | None = None) -> str | None:
        answers[text] = real(text, low, k)
        return answers[text]

    def given(text: str, low: str | None = None, k: str | None = None) -> str | None:
        return answers[text] if text in answers else real(text, low, k)

    def scanned(text: str, low: str | None = None, k: str | None = None) -> str | None:
        low = text.casefold() if low is None else low
        rules._SCAN(low)
        rules._LEAD(text, low)
        return answers[text] if text in answers else real(text, low, k)

    ways = {
        "corpora, as cleaned": real,
        "corpora, phrase rules' answers given": given,
        "corpora, answers given but the needle and lead scans run": scanned,
    }
    times: dict[str, list[float]] = {label: [] for label in ways}
    try:
        rules.phrase_reason = record  # clean() looks it up in the module on every line
        clean_each(texts)
        for _ in range(repeat):
            for label, way in ways.items():
                rules.phrase_reason = way
                times[label] += timer.runs(lambda: clean_each(texts), 1)
    finally:
        rules.phrase_reason = real
    base = times["corpora, as cleaned"]
    return [row(label, texts, ts, base, target=False) for label, ts in times.items()]


def versus_pure(timer: Timer, texts: Sequence[str], rounds: int, repeat: int) -> list[Row]:
    """The compiled cleaner against the checkout's pure-Python one on ``texts``, in turns.

    Each round times the compiled cleaner here, then the pure one in a child process
    (``--pure``), each the median of ``repeat`` runs after a warm-up: a slow spell of the
    machine then slows both of a round rather than one build's figures.
    """
    child = [sys.executable, str(Path(__file__).resolve()), "--pure", "--corpora-median"]
    child += ["--repeat", str(repeat), *(["--cpu"] if timer.now is time.process_time else [])]
    compiled, pure = [], []
    for _ in range(rounds):
        compiled.append(statistics.median(timer.runs(lambda: clean_each(texts), repeat)))
        done = subprocess.run(child, capture_output=True, text=True, check=True)
        pure.append(float(done.stdout.split()[-1]))
    return [
        row("corpora, compiled (median of each round)", texts, compiled, pure, target=True),
        row("corpora, pure Python (median of each round)", texts, pure, pure, target=True),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per input")
    parser.add_argument("--quick", action="store_true", help="three runs per input")
    parser.add_argument("--cpu", action="store_true", help="time CPU, not wall-clock, time")
    parser.add_argument("--profile", action="store_true", help="profile the typical captures")
    parser.add_argument(
        "--split", action="store_true", help="split the corpora's time: rules and the rest"
    )
    parser.add_argument(
        "--pure",
        action="store_true",
        help="time the checkout's pure-Python cleaner even where a compiled one is installed",
    )
    parser.add_argument(
        "--vs-pure",
        type=int,
        metavar="ROUNDS",
        default=0,
        help="time the compiled cleaner on the corpora in turns with the pure-Python one",
    )
    parser.add_argument("--corpora-median", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.split and rules.COMPILED:
        parser.error("--split replaces the rules inside the cleaner: it needs --pure")
    if args.vs_pure and not rules.COMPILED:
        parser.error("--vs-pure needs the compiled cleaner installed (pip install .)")
    repeat = 3 if args.quick else args.repeat
    timer = Timer(args.cpu)
    if args.corpora_median:  # for --vs-pure: one figure, read by the parent
        print(statistics.median(timer.runs(lambda: clean_each(corpus_texts()), args.repeat)))
        return 0
    if args.vs_pure:
        print(machine())
        print(cleaner_build())
        print(
            f"{'CPU' if args.cpu else 'wall-clock'} time; the corpora, {args.vs_pure} rounds; "
            "ratio: compiled to pure Python, medians of the rounds"
        )
        rows = versus_pure(timer, corpus_texts(), args.vs_pure, repeat * 3)
        print_table(rows)
        print(load_average())
        print(verdict(rows[:1]))
        return 0
    print(machine())
    print(cleaner_build())
    clock = "CPU" if args.cpu else "wall-clock"
    print(f"{clock} time; ratio: to the floor (sanitise, split into lines, case-fold each)")
    rows: list[Row] = []

    typical = {
        "typical: the 5 seeds, one by one": seed_texts(),
        "typical: test corpora, one by one": corpus_texts(),
    }
    typical["typical: all of the above"] = [t for texts in typical.values() for t in texts]
    for label, texts in typical.items():
        many = repeat * 3  # short inputs: more runs for a steady median
        times = timer.runs(lambda texts=texts: clean_each(texts), many)
        base = timer.runs(lambda texts=texts: floor_each(texts), many)
        rows.append(row(label, texts, times, base, target=True))

    per_mb: dict[int, float] = {}
    for target in (100_000, 1_000_000, 10_000_000):
        text = synthetic(target)
        size = len(text.encode("utf-8"))
        runs = repeat if target < 10_000_000 else max(3, repeat // 3)
        times = timer.runs(lambda text=text: clean(text), runs)
        base = timer.runs(lambda text=text: floor(text), runs)
        per_mb[target] = statistics.median(times) / (size / 1e6)
        rows.append(row(f"synthetic capture, {target // 1000:,} KB", [text], times, base, True))
    for big in (1_000_000, 10_000_000):
        growth = per_mb[big] / per_mb[100_000]
        figure = f"scaling: time per MB at {big // 1_000_000} MB / at 100 KB (1.00 is linear)"
        rows.append(scaling_row(figure, growth, SCALING_TARGET))

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
        times = timer.runs(lambda text=text: clean(text), 3)
        base = timer.runs(lambda text=text: floor(text), 3)
        rows.append(row(label, [text], times, base, target=False))
    print_table(rows)
    print(load_average())
    print(verdict(rows))

    if args.split:
        print("\nWhere the test corpora's time goes; ratio: to clean() as it is, same run")
        print_table(split_rows(timer, typical["typical: test corpora, one by one"], repeat * 3))

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
