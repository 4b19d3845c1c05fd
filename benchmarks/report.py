"""The table every benchmark prints: min / median / max (p95 where asked), ratio, target.

Not a benchmark itself (``run_all.py`` runs only ``bench_*.py``).
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass
class Row:
    """One line of the table: a figure over its runs, with its ratio and target.

    Attributes:
        figure: what was measured.
        values: one per run, in seconds (or in ``unit``).
        unit: ``s`` for seconds, ``bytes`` for memory, anything else printed as it is.
        ratio: against the baseline named in the figure or the notes under the table.
        target: the target, as text; ``passed`` says whether it was met.
        p95: print the 95th percentile too (per-keystroke figures: a median hides stalls).
        rate: what the median comes to per unit of work (``7.1 MB/s``), as text.
    """

    figure: str
    values: list[float]
    unit: str = "s"
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None
    p95: bool = False
    rate: str = ""


def fmt(value: float, unit: str) -> str:
    if unit == "bytes":
        return f"{value / 2**20:.1f} MiB"
    if unit != "s":
        return f"{value:.2f} {unit}".rstrip()
    if value < 0.01:
        return f"{value * 1e3:.2f} ms"
    return f"{value * 1e3:.1f} ms" if value < 10 else f"{value:.2f} s"


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[round(0.95 * (len(ordered) - 1))]


def print_table(rows: Sequence[Row]) -> None:
    """The rows as a Markdown table (it pastes into the README as it is).

    The p95 and rate columns are there only when some row has one.
    """
    header = ("figure", "n", "min", "median", "max", "p95", "rate", "ratio", "target", "result")
    lines: list[tuple[str, ...]] = []
    for r in rows:
        if not r.values:
            lines.append((r.figure, "0", "n/a", "n/a", "n/a", "", "", "", r.target, "n/a"))
            continue
        lines.append(
            (
                r.figure,
                str(len(r.values)),
                fmt(min(r.values), r.unit),
                fmt(statistics.median(r.values), r.unit),
                fmt(max(r.values), r.unit),
                fmt(p95(r.values), r.unit) if r.p95 else "",
                r.rate,
                f"x{r.ratio:.2f}" if r.ratio is not None else "",
                r.target,
                "" if r.passed is None else ("PASS" if r.passed else "MISS"),
            )
        )
    shown = [i for i in range(len(header)) if i not in (5, 6) or any(line[i] for line in lines)]
    lines = [tuple(line[i] for i in shown) for line in [header, *lines]]
    widths = [max(len(line[i]) for line in lines) for i in range(len(shown))]
    for n, line in enumerate(lines):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def scaling_row(figure: str, factor: float, limit: float) -> Row:
    """A row for how time per unit grew with size (1.00 is linear), against at most ``limit``."""
    return Row(figure, [factor], unit="", target=f"<= x{limit:g}", passed=factor <= limit)


def verdict(rows: Sequence[Row]) -> str:
    """The closing line every benchmark prints (``run_all.py`` reads it)."""
    missed = sum(r.passed is False for r in rows)
    return f"{missed} figure(s) miss their target." if missed else "All targets met."


def ratio(values: Sequence[float], base: Sequence[float]) -> float:
    """Median over median: the figure the targets are set on."""
    return statistics.median(values) / statistics.median(base)


def timed(fn: Callable[[], object]) -> float:
    """Seconds ``fn`` takes, wall clock."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def machine() -> str:
    """One line on where the figures come from."""
    return (
        f"python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.platform()}, {os.cpu_count()} CPUs; {load_average()}"
    )


def load_average() -> str:
    """The machine's load: other work on it makes every figure noisier."""
    try:
        one, five, _ = os.getloadavg()
    except (AttributeError, OSError):
        return "load average unknown"
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"
