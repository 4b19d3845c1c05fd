"""Notes store speed: saving one annotation into a store of 1,000 and of 10,000.

Run with ``python benchmarks/bench_store.py`` (``--quick`` for a short run, ``--no-ui`` to
skip the reader runs). Prints min / median / max over repeated runs after a warm-up, and
ratios against a floor measured in the same run, on the same data, interleaved with the
saves so that drift in the machine's load hits both alike:

* **the floor**: what any store that keeps this data in one JSON file must do per save,
  written with the standard library only: ``json.dumps`` of the document the store holds
  (the same tables, the same annotations, UTF-8 as the store writes it), a temp file in
  the same folder, ``fsync``, ``os.replace``, ``fsync`` of the folder;
* **a save in the reader**: what the highlight keys do, in a worker thread: open a new
  ``Store`` and ``put`` the annotation (target: <= 1.2x the floor);
* an edit (``put`` of a changed annotation) and an ``add`` on a ``Store`` kept open;
* **the first save in a new process** (the command line: ``summit-reader note add``), which
  also parses and checks the whole file: timed inside a fresh process, imports excluded,
  and compared with the floor plus ``json.loads`` of the file as well.

Then the reader itself, headless, with a 10,000-note store (``store_driver.py``, each run
a whole process): how long its UI thread stalls while saves run back to back, against the
same keys with saving switched off, and against nothing happening (the target: saves add
less than one frame, 1/60 s, to the longest stall).

The articles are generated from the seeds' sentences (``notes_data.py``) and everything is
written under a temporary folder; nothing large is committed. Not part of the test run.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import notes_data
from report import Row, machine, print_table, ratio, timed, verdict

import summitreader
from summitreader.core.annotations import COLORS, Annotation, new_annotation
from summitreader.core.library import LibraryEntry
from summitreader.core.store import Store

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "store_driver.py"
#: The ``src`` folder this script imported summitreader from: the children use the same.
SRC = Path(summitreader.__file__).resolve().parents[1]

SIZES = (1_000, 10_000)
ARTICLES = 100
ARTICLE_BYTES = 30_000
SAVE_TARGET = 1.2
FRAME = 1 / 60
#: Seconds a reader run may take beyond its phases (a driver whose hooks no longer match
#: the reader would otherwise wait for ever).
DRIVER_TIMEOUT = 180.0

COLD_SAVE = """
import sys, time
from pathlib import Path
from summitreader.core.annotations import Annotation
from summitreader.core.store import Store
import filelock  # the store imports it on its first lock: an import, so not timed either
import json
annotation = Annotation.from_dict(json.loads(sys.argv[2]))
began = time.perf_counter()
with Store(Path(sys.argv[1])) as store:
    store.put(annotation)
print(time.perf_counter() - began)
"""


# -- the floor ------------------------------------------------------------------------------


def floor_save(folder: Path, data: object) -> None:
    """Serialise ``data`` with ``json`` and replace ``floor.json`` with it, durably."""
    payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
    write_durably(folder, payload)


def floor_save_ascii(folder: Path, data: object) -> None:
    """The same with ``json.dumps``' defaults (ASCII escapes): for reference only."""
    write_durably(folder, json.dumps(data).encode("ascii"))


def write_durably(folder: Path, payload: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".floor.", suffix=".tmp", dir=folder)
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, folder / "floor.json")
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# -- saves ----------------------------------------------------------------------------------


class Fresh:
    """New highlights, each on a sentence no other highlight of the run is on."""

    def __init__(self, entries: Sequence[LibraryEntry]) -> None:
        self.spans = [
            (entry, span)
            for entry in entries
            for span in notes_data.sentence_spans(entry.article.text)
            if span[1] - span[0] > 20
        ]
        self.count = itertools.count()

    def __call__(self) -> Annotation:
        n = next(self.count)
        entry, (start, end) = self.spans[(n * 7919) % len(self.spans)]
        text = entry.article.text
        middle = text.find(" ", start + 5, end)  # a part of the sentence: never taken before
        return new_annotation(entry.id, text, start, middle if middle > 0 else end)


def save_rows(
    size: int, root: Path, entries: Sequence[LibraryEntry], repeat: int, cold_repeat: int
) -> list[Row]:
    folder = root / f"store-{size}"
    path = folder / "annotations.json"
    made = notes_data.make_annotations(entries, size)
    notes_data.fill_store(path, made)
    fresh = Fresh(entries)
    colours = itertools.cycle(COLORS)
    edited = made[size // 2]
    kept = Store(path)

    def reader_save() -> None:
        annotation = fresh()
        with Store(path) as store:
            store.put(annotation)

    def edit() -> None:
        nonlocal edited
        edited = edited.edited(color=next(c for c in colours if c != edited.color))
        kept.put(edited)

    def add() -> None:
        kept.add(fresh())

    def floor() -> None:
        floor_save(folder, data)

    def floor_ascii() -> None:
        floor_save_ascii(folder, data)

    def floor_parse() -> None:
        floor_save(folder, json.loads(path.read_bytes()))

    kinds: dict[str, Callable[[], None]] = {
        "floor": floor,
        "floor, ASCII": floor_ascii,
        "floor, parse": floor_parse,
        "reader save": reader_save,
        "edit": edit,
        "add": add,
    }
    times: dict[str, list[float]] = {name: [] for name in kinds}
    data: Any = None
    for round_ in range(repeat + 1):  # round 0 is the warm-up
        names = list(kinds)
        names = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in names:
            if name.startswith("floor"):
                data = json.loads(path.read_bytes())  # the data the next save starts from
            gc.collect()  # no collection of another step's garbage inside a timed one
            seconds = timed(kinds[name])
            if round_:
                times[name].append(seconds)
    kept.close()
    cold = [cold_save(path, fresh()) for _ in range(cold_repeat + 1)][1:]
    base = times["floor"]
    label = f"{size:,} notes"
    file_mb = path.stat().st_size / 1e6
    target = f"<= x{SAVE_TARGET:g}"
    rows = [
        Row(f"{label} ({file_mb:.1f} MB): floor, json.dumps + fsync + rename", base),
        Row(
            f"{label}: floor with json.dumps defaults (ASCII; reference)",
            times["floor, ASCII"],
            ratio=ratio(times["floor, ASCII"], base),
        ),
    ]
    for name, figure in (
        ("reader save", "save in the reader (new Store + put)"),
        ("edit", "edit (put) on an open Store"),
        ("add", "add on an open Store"),
    ):
        r = ratio(times[name], base)
        passed = r <= SAVE_TARGET
        rows.append(Row(f"{label}: {figure}", times[name], ratio=r, target=target, passed=passed))
    parse = times["floor, parse"]
    rows += [
        Row(f"{label}: first save in a new process (CLI)", cold, ratio=ratio(cold, base)),
        Row(
            f"{label}: floor + json.loads of the file (a new process's floor)",
            parse,
            ratio=ratio(parse, base),
        ),
        Row(f"{label}: first save in a new process / that floor", [ratio(cold, parse)], unit=""),
    ]
    return rows


def child_env(home: Path | None = None) -> dict[str, str]:
    """This environment, with this script's summitreader first and no reader settings."""
    skip = ("TEXTUAL", "SUMMIT_READER")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    if home is not None:
        env["SUMMIT_READER_HOME"] = str(home)
    return env


def cold_save(path: Path, annotation: Annotation) -> float:
    """One ``put`` timed inside a fresh process (its imports not counted)."""
    done = subprocess.run(
        [sys.executable, "-c", COLD_SAVE, str(path), json.dumps(annotation.to_dict())],
        env=child_env(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"cold save failed:\n{done.stderr[-2000:]}")
    return float(done.stdout.strip())


# -- the UI thread --------------------------------------------------------------------------


def make_home(root: Path, entries: Sequence[LibraryEntry], size: int) -> tuple[Path, str]:
    """A reader home: the library and a store of ``size`` notes; returns it and an article."""
    home = root / "ui-home"
    shutil.copytree(entries[0].path.parent, home / "data" / "library")
    notes_data.fill_store(
        home / "data" / "annotations.json", notes_data.make_annotations(entries, size)
    )
    return home, entries[len(entries) // 2].id


def run_driver(home: Path, article: str, seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "marks.json"
        command = [
            sys.executable,
            str(DRIVER),
            "--out",
            str(out),
            "--article",
            article,
            "--seconds",
            str(seconds),
        ]
        try:
            done = subprocess.run(
                command,
                env=child_env(home),
                capture_output=True,
                text=True,
                timeout=DRIVER_TIMEOUT + 10 * seconds,
            )
        except subprocess.TimeoutExpired:
            raise SystemExit(f"store driver: no result after {DRIVER_TIMEOUT:g} s") from None
        if done.returncode != 0 or not out.exists():
            raise SystemExit(f"store driver failed ({done.returncode}):\n{done.stderr[-3000:]}")
        marks: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if marks["problems"]:
        raise SystemExit(f"store driver: {marks['problems']}")
    return marks


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[round(fraction * (len(ordered) - 1))]


def ui_rows(runs: Sequence[dict[str, Any]], size: int) -> tuple[list[Row], str]:
    def longest(phase: str, key: str = "lateness_no_gc") -> list[float]:
        return [max(r[phase][key], default=0.0) for r in runs]

    label = f"UI thread, {size:,} notes"
    keys, saves, first = longest("keys"), longest("saves"), longest("first")
    extra = [s - k for s, k in zip(saves, keys, strict=True)]
    first_extra = [f - k for f, k in zip(first, keys, strict=True)]
    target = "< 1 frame (16.7 ms)"
    rows = [
        Row(f"{label}: longest stall, idle", longest("idle")),
        Row(f"{label}: longest stall, colour keys, saving off", keys),
        Row(f"{label}: longest stall, colour keys, saves running", saves),
        Row(
            f"{label}: what saves add to the longest stall",
            extra,
            target=target,
            passed=statistics.median(extra) < FRAME,
        ),
        Row(f"{label}: longest stall, the first save after start", first),
        Row(
            f"{label}: what the first save adds to it",
            first_extra,
            target=target,
            passed=statistics.median(first_extra) < FRAME,
        ),
        Row(
            f"{label}: one save, key to saved (worker)",
            [s for r in runs for s in r["saves"]["saves"]],
        ),
        Row(
            f"{label}: the first save, key to saved", [s for r in runs for s in r["first"]["saves"]]
        ),
        Row(
            f"{label}: longest stall with GC pauses, any phase",
            [max(max(r[p]["lateness"]) for p in ("idle", "keys", "saves")) for r in runs],
        ),
        Row(
            f"{label}: peak memory of the reader (MiB)",
            [r["peak_rss"] / 2**20 for r in runs],
            unit="MiB",
        ),
        Row(
            f"{label}: full GC pauses (all phases)",
            [g for r in runs for p in ("idle", "keys", "saves") for g in r[p]["full_collections"]],
        ),
    ]
    counts = [len(r["saves"]["saves"]) for r in runs]
    note = (
        f"UI runs: {len(runs)} processes, phases of {runs[0]['seconds']:g} s; a colour key "
        f"every 0.2 s ({runs[0]['saves']['keys']} in the saves phase, "
        f"{statistics.median(counts):.0f} saves, median). Stall: how late a 10 ms sleep on "
        "the UI thread's event loop wakes, with the ticks that overlap one of Python's full "
        "garbage collections left out (those pauses come with the app's whole heap, saves or "
        "not; they are listed apart)."
    )
    return rows, note


# -- the run --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="saves of each kind per size")
    parser.add_argument("--cold-repeat", type=int, default=5, help="first saves in new processes")
    parser.add_argument("--ui-repeat", type=int, default=5, help="reader processes")
    parser.add_argument("--seconds", type=float, default=3.0, help="each phase of a reader run")
    parser.add_argument("--quick", action="store_true", help="5 saves, 3 reader runs of 2 s")
    parser.add_argument("--no-ui", action="store_true", help="skip the reader runs")
    args = parser.parse_args()
    if args.quick:
        args.repeat, args.cold_repeat, args.ui_repeat, args.seconds = 5, 3, 3, 2.0
    print(machine())
    root = Path(tempfile.mkdtemp(prefix="bench-store-"))
    try:
        entries = notes_data.write_library(root / "library", ARTICLES, ARTICLE_BYTES)
        print(
            f"{len(entries)} generated articles of about {ARTICLE_BYTES // 1000} KB; notes on "
            "their sentences, a quarter with a note, a seventh with tags; the store in "
            f"{root.parent}"
        )
        rows: list[Row] = []
        for size in SIZES:
            rows += save_rows(size, root, entries, args.repeat, args.cold_repeat)
        note = ""
        if not args.no_ui:
            home, article = make_home(root, entries, SIZES[-1])
            run_driver(home, article, 0.5)  # warm-up: bytecode, the OS file cache
            runs = [run_driver(home, article, args.seconds) for _ in range(args.ui_repeat)]
            for run in runs:
                run["seconds"] = args.seconds
            ui, note = ui_rows(runs, SIZES[-1])
            rows += ui
        print()
        print_table(rows)
        print(
            "\nRatios: medians against the floor of the same size, measured in the same run "
            "on the same data (the store's content just before each save)."
        )
        if note:
            print(note)
        print(f"\n{verdict(rows)}")
        print(machine())
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
