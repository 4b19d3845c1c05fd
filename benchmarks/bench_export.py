"""Export speed: 1,000 to 10,000 annotations to Markdown and to W3C JSON, and its scaling.

Run with ``python benchmarks/bench_export.py`` (``--quick`` for a short run). Prints min /
median / max over repeated runs after a warm-up, in this process, of each step of
``summit-reader export --all`` (the reader's export key does the same steps):

* gathering: the store read and every annotation resolved against its article's current
  text, grouped and sorted (:func:`summitreader.core.export.gather`); the store has been
  read once before in this process, as in the running reader (the command's own first read
  is in the whole-command figure);
* rendering the Markdown and the W3C documents (:func:`summitreader.core.export.render`);
* writing the Markdown file (atomic, fsynced).

Two layouts: notes spread over 100 generated articles of 30 KB (10 to 100 per article),
and notes packed into one book-length article of 1 MB. Scaling is the time per annotation
at 10,000 over the time per annotation at 1,000 (1.00 is linear; the target is within
1.5, the rule the cleaning benchmark uses). The articles are cleaned once, before any
timing: cleaning has its own benchmark. Then the whole command, as a new process, once per
format at 10,000 (interpreter start, imports, reading the library and the store included;
the library through the cleaning cache, which the warm-up run fills).

The articles are generated from the seeds' sentences (``notes_data.py``) in a temporary
folder; nothing large is committed. Not part of the test run.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import notes_data
from report import Row, machine, print_table, scaling_row, timed, verdict

import summitreader
from summitreader.core.export import gather, render, write_file
from summitreader.core.export_md import ArticleNotes
from summitreader.core.library import LibraryEntry
from summitreader.core.store import Store

SRC = Path(summitreader.__file__).resolve().parents[1]
LINEAR_TARGET = 1.5


def repeated(fn: Callable[[], object], repeat: int) -> list[float]:
    """Seconds per run of ``fn``, after one warm-up run."""
    fn()
    times = []
    for _ in range(repeat):
        gc.collect()
        times.append(timed(fn))
    return times


def measure(
    label: str, folder: Path, entries: Sequence[LibraryEntry], size: int, repeat: int
) -> dict[str, list[float]]:
    """Each step's times for ``size`` notes on ``entries``."""
    store_path = folder / f"{label}-{size}" / "annotations.json"
    notes_data.fill_store(store_path, notes_data.make_annotations(entries, size))
    groups: list[ArticleNotes] = []

    def gathering() -> None:
        with Store(store_path) as store:
            groups[:] = gather(store, entries)

    times = {"gather": repeated(gathering, repeat)}
    count = sum(len(group.notes) for group in groups)
    if count != size:
        raise SystemExit(f"{label}: {count} notes gathered, {size} stored")
    times["markdown"] = repeated(lambda: render(groups, "markdown"), repeat)
    times["w3c"] = repeated(lambda: render(groups, "w3c"), repeat)
    text = render(groups, "markdown")
    target = folder / f"{label}-{size}.md"
    times["write"] = repeated(lambda: write_file(target, text), repeat)
    times["size"] = [len(text.encode("utf-8")) / 1e6]
    return times


def whole_command(home: Path, fmt: str, repeat: int) -> list[float]:
    """``summit-reader export --all`` as a new process, wall clock."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUMMIT_READER")}
    env["SUMMIT_READER_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    out = home / f"export.{fmt}"
    command = [sys.executable, "-m", "summitreader", "export", "--all", "--format", fmt]
    times = []
    for _ in range(repeat + 1):
        began = time.perf_counter()
        done = subprocess.run([*command, "-o", str(out)], env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - began)
        if done.returncode != 0:
            raise SystemExit(f"export failed:\n{done.stderr[-2000:]}")
    return times[1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each step")
    parser.add_argument("--quick", action="store_true", help="3 runs, 1,000 and 10,000 only")
    args = parser.parse_args()
    sizes = (1_000, 10_000) if args.quick else (1_000, 2_500, 5_000, 10_000)
    if args.quick:
        args.repeat = 3
    print(machine())
    root = Path(tempfile.mkdtemp(prefix="bench-export-"))
    try:
        spread = notes_data.write_library(root / "spread" / "data" / "library", 100, 30_000)
        book = notes_data.write_library(root / "book" / "data" / "library", 1, 1_000_000)
        print(
            f"spread: {len(spread)} generated articles of about 30 KB; book: one of "
            f"{len(book[0].article.text) / 1e6:.2f} M characters; notes on their sentences"
        )
        rows: list[Row] = []
        scaling: list[str] = []
        for label, entries in (("spread", spread), ("book", book)):
            per_note: dict[str, dict[int, float]] = {}
            for size in sizes if label == "spread" else (sizes[0], sizes[-1]):
                # Small sizes run more often, so each figure is taken over a similar time.
                repeat = args.repeat * max(1, sizes[-1] // size // 2)
                times = measure(label, root, entries, size, repeat)
                mb = times.pop("size")[0]
                total = [g + m for g, m in zip(times["gather"], times["markdown"], strict=True)]
                name = f"{label}, {size:,} notes"
                rows += [
                    Row(f"{name}: gather (read, resolve, sort)", times["gather"]),
                    Row(f"{name}: render Markdown ({mb:.1f} MB)", times["markdown"]),
                    Row(f"{name}: render W3C JSON", times["w3c"]),
                    Row(f"{name}: write the Markdown file", times["write"]),
                    Row(f"{name}: gather + Markdown", total),
                ]
                for step, values in (*times.items(), ("gather + Markdown", total)):
                    per_note.setdefault(step, {})[size] = min(values) / size
            low, high = sizes[0], sizes[-1]
            for step, by_size in per_note.items():
                if step == "write":
                    continue  # a few fsyncs: the disk's timing, not the export's
                factor = by_size[high] / by_size[low]
                figure = f"{label}: scaling of {step}, {low:,} -> {high:,}"
                rows.append(scaling_row(figure, factor, LINEAR_TARGET))
                scaling.append(f"{label} {step}: {factor:.2f}")
        home = root / "spread"
        notes_data.fill_store(
            home / "data" / "annotations.json", notes_data.make_annotations(spread, sizes[-1])
        )
        command_repeat = 1 if args.quick else 3
        for fmt in ("markdown", "w3c"):
            rows.append(
                Row(
                    f"`summit-reader export --all --format {fmt}`, {sizes[-1]:,} notes, "
                    "new process",
                    whole_command(home, fmt, command_repeat),
                )
            )
        print()
        print_table(rows)
        print(
            "\nScaling rows: time per note at the larger size over time per note at the "
            "smaller, from the fastest run of each (the one other work on the machine "
            "disturbed least; 1.00 is linear). The whole command includes reading the 100 "
            "articles (through the cleaning cache, filled by its warm-up run)."
        )
        print(f"\n{verdict(rows)}")
        print(machine())
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
