"""Reader speed: cold starts, opening a large annotated article, keystrokes, peak memory.

Run with ``python benchmarks/bench_reader.py`` (``--quick`` for a short run, ``--profile``
to print where the time goes for each figure that misses its target). Every app run is a
whole process (``reader_driver.py``, headless at 100x30) started by this script after a
warm-up run of each kind; the figures are min / median / max over the runs, and the
baselines are measured in the same run, interleaved with the reader's runs:

* cold start: launch until the library table shows its rows (the rows are in the
  ``DataTable``, a refresh painted them), against a Textual app that mounts one Label and
  exits after its first frame; the bundled library, then a generated library of 1,000 more
  articles (built from the seeds' sentences with chrome mixed in), whose first rows and all
  rows are timed: with the cleaning cache the first run filled (every run but the cold
  ones), and with it emptied before each run (the cold-cache runs);
* a 1 MB article with 2,000 highlights: from asking to open it (as Enter does, once the
  library is shown and the reader has preloaded the article screen's code, as it does a
  moment after) until its highlights are loaded and painted: the time from launch to
  that frame minus the reader's own start, in the same process;
* keystrokes on that article, timed inside the app (see ``reader_driver.measure_keys``);
* peak memory of those processes.

The article and the library are generated from the seeds' own sentences and the highlights
are made on the article's sentences, in temporary ``SUMMIT_READER_HOME`` folders, so nothing
large is committed. Not part of the test run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import textual
from notes_data import fill_store as fill_notes_store
from notes_data import make_annotations, seed_sentences, sentence_spans
from report import Row, load_average, print_table, verdict

import summitreader
from summitreader.core.annotations import COLORS, Annotation, new_annotation
from summitreader.core.library import Library, LibraryEntry
from summitreader.core.notes import resolve_notes
from summitreader.core.spans import sentence_at
from summitreader.core.store import Store
from summitreader.ui.widgets.article_view import MAX_COLUMN, build_index

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "reader_driver.py"
SEEDS = HERE.parent / "seeds"
#: The ``src`` folder this script imported summitreader from: the children use the same.
SRC = Path(summitreader.__file__).resolve().parents[1]

ARTICLE_BYTES = 1_000_000
HIGHLIGHTS = 2_000
START_RATIO_TARGET = 1.25
LIBRARY_SIZE = 1_000
LIBRARY_RATIO_TARGET = 1.5
#: Notes in the store of the "bundled library with notes" start.
NOTES_IN_STORE = 10_000
SAVED_THEME = "nord"
OPEN_TARGET = 0.5  # seconds above the reader's own start
KEY_TARGET = 0.008  # seconds, median per keystroke

Run = dict[str, Any]


# -- inputs ---------------------------------------------------------------------------------


def big_capture(size: int, seed: int = 7) -> str:
    """A capture of about ``size`` bytes: paragraphs of 3 to 6 seed sentences, subheads."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    blocks = ["Putin and Kim sign a pact in Pyongyang: the full record", "June 19, 2024"]
    total = 0
    while total < size:
        if len(blocks) % 40 == 0:
            block = f"Part {len(blocks) // 40}"
        else:
            block = " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 6)))
        blocks.append(block)
        total += len(block.encode("utf-8")) + 2
    return "\n\n".join(blocks) + "\n"


#: Page chrome for the generated library, by where a page puts it.
CHROME_TOP = (
    "Home | World | Asia | Politics | Business | Opinion",
    "1. You Are At:\n2. News\n3. World",
    "Tuesday, June 25, 2024",
    "Advertisement",
)
CHROME_INSIDE = (
    "Share  Facebook  Twitter  WhatsApp  Email",
    "Advertisement",
    "Also Read: Putin heads to Vietnam after Pyongyang visit",
    "Image Source : AP Leaders shake hands at the airport",
    "Sign up for our daily newsletter and get the news in your inbox.",
)
CHROME_BOTTOM = (
    "Related Topics",
    "Trending Now",
    "Most read",
    "(With inputs from agency)",
    "Give Feedback",
    "© 2024 Example Media Ltd. All rights reserved.",
)
SOURCES = ("Reuters", "Yonhap", "AP", "AFP", "The Standard", "Korea Herald", "TASS", "BBC")


def library_capture(rng: random.Random, sentences: Sequence[str], number: int) -> str:
    """One generated capture of about 3 to 8 KB: chrome, headline, byline, body, chrome."""
    words = rng.choice(sentences).rstrip(".").split()
    title = " ".join(words[: rng.randint(6, 12)]) + f" ({number})"
    date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    blocks = rng.sample(CHROME_TOP, 2) + [
        title,
        f"By Staff Reporter | Source: {rng.choice(SOURCES)} | Published: {date}",
    ]
    picked = rng.sample(range(len(sentences)), rng.randint(20, 50))
    at = 0
    while at < len(picked):
        size = rng.randint(2, 5)
        blocks.append(" ".join(sentences[i] for i in picked[at : at + size]))
        at += size
        if rng.random() < 0.2:
            blocks.append(rng.choice(CHROME_INSIDE))
    blocks += rng.sample(CHROME_BOTTOM, 3)
    return "\n\n".join(blocks) + "\n"


def make_library_home(root: Path, count: int) -> Path:
    """A reader home whose user library holds ``count`` generated captures (with the seeds,
    the bundled library, besides)."""
    home = root / "library-home"
    folder = home / "data" / "library"
    folder.mkdir(parents=True)
    rng = random.Random(11)
    sentences = seed_sentences()
    for number in range(count):
        capture = library_capture(rng, sentences, number)
        (folder / f"capture-{number:04d}.txt").write_text(capture, encoding="utf-8")
    return home


def make_notes_home(root: Path, count: int) -> Path:
    """A home with the bundled library, ``count`` notes on it and a saved theme.

    The theme is saved where this version keeps it (the settings file) and where older ones
    did (the store), so the same home measures both.
    """
    home = root / "notes-home"
    store_path = home / "data" / "annotations.json"
    store_path.parent.mkdir(parents=True)
    entries = Library([(SEEDS, "bundled")], target=root / "unused").entries()
    fill_notes_store(store_path, make_annotations(entries, count))
    with Store(store_path) as store:
        store.set_pref("theme", SAVED_THEME)
    (home / "config").mkdir()
    settings = json.dumps({"theme": SAVED_THEME})
    (home / "config" / "settings.json").write_text(settings, encoding="utf-8")
    return home


def fill_store(path: Path, annotations: Sequence[Annotation]) -> None:
    """Save ``annotations`` in a new store at ``path``.

    ``Store.add`` rewrites the whole file (and fsyncs) on every call, so 2,000 of them take
    minutes; the first goes through ``Store.add`` (which creates the file the product's way)
    and the rest through the store's own table in one locked write: the same records.
    """
    with Store(path) as store:
        store.add(annotations[0])
        with store._writing(create=True):  # noqa: SLF001 - a fixture shortcut, see above
            store._annotations.insert_multiple(a.to_dict() for a in annotations[1:])  # noqa: SLF001
        stored = store.for_article(annotations[0].article_id)
    if len(stored) != len(annotations):
        raise SystemExit(f"fixture: {len(stored)} highlights stored, {len(annotations)} made")


@dataclass(frozen=True)
class BigArticle:
    """The generated article in its own reader home, with its highlights stored."""

    home: Path
    article_id: str
    chars: int
    capture_bytes: int
    highlights: int
    store: Path

    @property
    def folder(self) -> Path:
        return self.home / "data" / "library"

    def entry(self) -> LibraryEntry:
        """The article as the library reads it (cleaned on first use)."""
        [entry] = Library([(self.folder, "user")], target=self.folder).entries()
        return entry


def make_big_home(root: Path) -> BigArticle:
    """The user library holds the generated article; the store, highlights on it."""
    home = root / "big-home"
    folder = home / "data" / "library"
    folder.mkdir(parents=True)
    capture = big_capture(ARTICLE_BYTES)
    (folder / "pyongyang-full-record.txt").write_text(capture, encoding="utf-8")
    [entry] = Library([(folder, "user")], target=folder).entries()
    text = entry.article.text
    sentences = sentence_spans(text)
    picked = [sentences[n * len(sentences) // HIGHLIGHTS] for n in range(HIGHLIGHTS)]
    annotations = [
        new_annotation(
            entry.id,
            text,
            start,
            end,
            color=COLORS[n % len(COLORS)],
            note=f"Note {n} on this sentence." if n % 4 == 0 else "",
            tags=("summit",) if n % 7 == 0 else (),
        )
        for n, (start, end) in enumerate(picked)
    ]
    store = home / "data" / "annotations.json"
    fill_store(store, annotations)
    size = len(capture.encode("utf-8"))
    return BigArticle(home, entry.id, len(text), size, len(annotations), store)


# -- running the driver ---------------------------------------------------------------------


def child_env(home: Path) -> dict[str, str]:
    """This environment, less any Textual or reader settings, with ``home`` as the home.

    Bytecode is cached (in a folder next to ``home``, not in the source tree) even where
    ``PYTHONDONTWRITEBYTECODE`` is set: an installed reader has its modules compiled, so
    compiling them on every start would be a cost no user pays.
    """
    skip = ("TEXTUAL", "SUMMIT_READER", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env["PYTHONPYCACHEPREFIX"] = str(home.parent / "pycache")
    env["SUMMIT_READER_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env


def run_driver(mode: str, home: Path, *extra: str) -> Run:
    """One whole process: its milestones in seconds after its launch, its wall time."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "marks.json"
        command = [sys.executable, str(DRIVER), mode, "--out", str(out), *extra]
        launch = time.time()
        start = time.perf_counter()
        done = subprocess.run(command, env=child_env(home), capture_output=True, text=True)
        wall = time.perf_counter() - start
        if done.returncode != 0 or not out.exists():
            raise SystemExit(f"driver {mode} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        marks = json.loads(out.read_text(encoding="utf-8"))
    if marks.get("problems"):
        raise SystemExit(f"driver {mode}: {marks['problems']}")
    run: Run = {"wall": wall}
    for key, value in marks.items():
        is_time = isinstance(value, float) and key != "maxrss_bytes"
        run[key] = value - launch if is_time else value
    return run


def column(runs: Sequence[Run], key: str, minus: str = "") -> list[float]:
    """One milestone of every run, less another milestone of the same run."""
    return [float(r[key]) - (float(r[minus]) if minus else 0.0) for r in runs]


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


# -- in this process: the parts of opening, and a save ----------------------------------------


def load_highlights(big: BigArticle, entry: LibraryEntry) -> None:
    """What the article screen's loading worker does: its own Store, resolve_notes."""
    with Store(big.store) as store:
        resolve_notes(store, [entry], article_id=entry.id)


def store_add_times(big: BigArticle, root: Path, count: int = 3) -> list[float]:
    """``Store.add`` of one more highlight into a copy of the 2,000-highlight store."""
    copy = root / "store-copy" / "annotations.json"
    copy.parent.mkdir()
    shutil.copy(big.store, copy)
    text = big.entry().article.text
    times = []
    with Store(copy) as store:
        for n in range(count):
            start, end = sentence_at(text, 100 + n * 1000)
            annotation = new_annotation(big.article_id, text, start, end)
            began = time.perf_counter()
            store.add(annotation)
            times.append(time.perf_counter() - began)
    return times


# -- import time ----------------------------------------------------------------------------


def import_self_times(home: Path, code: str) -> dict[str, float]:
    """``python -X importtime -c code``: each module's own import time, in seconds."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=child_env(home),
        capture_output=True,
        text=True,
        check=True,
    )
    times: dict[str, float] = {}
    for line in done.stderr.splitlines():
        parts = line.split("|")
        own = parts[0].rsplit(":", 1)[-1].strip()
        if len(parts) == 3 and own.isdigit():
            times[parts[2].strip()] = int(own) / 1e6
    return times


def import_group(module: str) -> str:
    """Summitreader by module, Textual by subpackage or module, anything else by package."""
    parts = module.split(".")
    if parts[0] == "summitreader":
        return ".".join(parts[:3])
    return ".".join(parts[:2]) if parts[0] == "textual" else parts[0]


def import_breakdown(home: Path, code: str, baseline: str) -> tuple[float, float, list[str]]:
    """What ``code`` imports beyond interpreter start-up, against ``baseline``, by group.

    Returns the two totals and a line per group, the most above the baseline first.
    """
    startup = import_self_times(home, "pass")
    groups: list[dict[str, float]] = []
    for source in (code, baseline):
        grouped: dict[str, float] = {}
        for module, seconds in import_self_times(home, source).items():
            if module not in startup:
                key = import_group(module)
                grouped[key] = grouped.get(key, 0.0) + seconds
        groups.append(grouped)
    reader, base = groups
    extra = sorted(reader, key=lambda g: reader[g] - base.get(g, 0.0), reverse=True)
    lines = [
        f"  {g:32} {reader[g] * 1e3:6.1f} ms  (baseline {base.get(g, 0.0) * 1e3:5.1f} ms)"
        for g in extra[:12]
    ]
    return sum(reader.values()), sum(base.values()), lines


# -- profiles of what misses ----------------------------------------------------------------


def profile_text(stats_source: cProfile.Profile | str, limit: int) -> str:
    """The top ``limit`` functions by cumulative time, then by own time."""
    parts = []
    for sort in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(stats_source, stream=out)
        stats.strip_dirs().sort_stats(sort).print_stats(limit)
        text = out.getvalue()
        parts.append(f"by {sort}:\n" + text[text.find("   ncalls") :].rstrip())
    return "\n\n".join(parts)


def profile_child(mode: str, home: Path, limit: int, *extra: str) -> str:
    """The driver's own cProfile of one run (main thread only; see ``Profiling``)."""
    with tempfile.TemporaryDirectory() as tmp:
        prof, out = Path(tmp) / "run.prof", Path(tmp) / "marks.json"
        command = [sys.executable, str(DRIVER), mode, "--out", str(out), "--profile", str(prof)]
        subprocess.run([*command, *extra], env=child_env(home), check=True, capture_output=True)
        return profile_text(str(prof), limit)


def profile_in_process(fn: Callable[[], object], limit: int) -> str:
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    return profile_text(profiler, limit)


# -- the run --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="cold starts of each app")
    parser.add_argument("--open-repeat", type=int, default=7, help="runs on the large article")
    parser.add_argument("--presses", type=int, default=300, help="keystrokes per action")
    parser.add_argument(
        "--library-size", type=int, default=LIBRARY_SIZE, help="captures in the generated library"
    )
    parser.add_argument(
        "--cold-repeat", type=int, default=3, help="starts on it with an empty cleaning cache"
    )
    parser.add_argument(
        "--notes", type=int, default=NOTES_IN_STORE, help="notes in the store of the notes start"
    )
    parser.add_argument("--quick", action="store_true", help="5, 3 and 1 runs, 60 keystrokes")
    parser.add_argument(
        "--start-only", action="store_true", help="only the cold starts (items 1, 2 and 7)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile each figure that misses its target"
    )
    args = parser.parse_args()
    if args.quick:
        args.repeat, args.open_repeat, args.cold_repeat, args.presses = 5, 3, 1, 60
    print(
        f"python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.platform()}, {os.cpu_count()} CPUs; textual {textual.__version__}; "
        f"headless 100x30; {load_average()}"
    )
    root = Path(tempfile.mkdtemp(prefix="bench-reader-"))
    try:
        return run(args, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(args: argparse.Namespace, root: Path) -> int:
    seeds_home = root / "seeds-home"  # empty: the bundled library, no store yet
    seeds_home.mkdir()
    began = time.perf_counter()
    lib_home = make_library_home(root, args.library_size)
    lib_bytes = sum(p.stat().st_size for p in (lib_home / "data" / "library").iterdir())
    print(
        f"generated library: {args.library_size:,} captures ({lib_bytes / 1e6:.1f} MB) besides "
        f"the 5 seeds (made in {time.perf_counter() - began:.1f} s)"
    )
    notes_home = make_notes_home(root, args.notes)
    notes_mb = (notes_home / "data" / "annotations.json").stat().st_size / 1e6
    print(f"notes store: {args.notes:,} notes on the bundled articles ({notes_mb:.1f} MB)")
    big = None if args.start_only else make_big_home(root)
    if big is not None:
        print(
            f"large article: {big.capture_bytes / 1e6:.2f} MB capture, {big.chars:,} "
            f"characters of text, {big.highlights:,} highlights on its sentences"
        )

    # Warm-up: one run of each kind (bytecode caches, the OS file cache). The first run on
    # the generated library cleans it all and fills the cleaning cache: every later run
    # there starts with a warm cache, except the cold-cache ones, which empty it first.
    warm_ups = (
        ("label", seeds_home),
        ("library", seeds_home),
        ("library", lib_home),
        ("library", notes_home),
    )
    for mode, home in warm_ups:
        run_driver(mode, home)
    label: list[Run] = []
    library: list[Run] = []
    large: list[Run] = []
    noted: list[Run] = []
    for _ in range(args.repeat):  # interleaved, so drift hits all alike
        label.append(run_driver("label", seeds_home))
        library.append(run_driver("library", seeds_home))
        large.append(run_driver("library", lib_home))
        noted.append(run_driver("library", notes_home))
    cold: list[Run] = []
    for _ in range(args.cold_repeat + 1):  # the first is a warm-up (it compiles the cleaner)
        shutil.rmtree(lib_home / "cache", ignore_errors=True)
        cold.append(run_driver("library", lib_home))
    cold = cold[1:]
    total = args.library_size + 5
    for runs, want in ((library, 5), (large, total), (cold, total), (noted, 5)):
        if any(r["rows"] != want for r in runs):
            raise SystemExit(f"expected {want} rows, got {sorted({r['rows'] for r in runs})}")

    rows = start_rows(label, library)
    rows += notes_rows(label, noted, args.notes)
    rows += library_rows(label, large, cold, args.library_size)
    big_rows: list[Row] = []
    key_notes: list[str] = []
    keys_run: Run = {}
    opened: list[Run] = []
    if big is not None:
        big_rows, key_notes, keys_run, opened = run_big(args, root, big)
    rows += big_rows
    rss_base = column(label, "maxrss_bytes")

    def memory(figure: str, runs: Sequence[Run]) -> Row:
        values = column(runs, "maxrss_bytes")
        ratio = statistics.median(values) / statistics.median(rss_base)
        return Row(f"peak memory: {figure}", values, unit="bytes", ratio=ratio)

    rows += [
        Row("peak memory: one-Label app", rss_base, unit="bytes"),
        memory("reader cold start, bundled library", library),
        memory(f"{args.library_size:,}-article library, warm cache", large),
        memory(f"{args.library_size:,}-article library, cold cache", cold),
    ]
    if big is not None:
        rows += [
            memory("large article opened", opened),
            Row("save 1 highlight next to 2,000 (worker)", store_add_times(big, root)),
        ]

    print()
    print_table(rows)
    print(
        "\nRatios are against the one-Label app. Times are from the process launch; the open "
        "figures from the request to open, in the same process. Peak memory is VmHWM on "
        "Linux (ru_maxrss elsewhere)."
    )
    print_phases(label, library)
    print_phases(label, large, f"{args.library_size:,}-article library, warm cache")
    if keys_run:
        print_keys(args, keys_run, key_notes)

    total_imports, base_total, lines = import_breakdown(
        seeds_home,
        "import summitreader.cli, summitreader.ui.app",
        "from textual.app import App; from textual.widgets import Label",
    )
    print(
        f"\nImports (python -X importtime, one run; each module's own time, summed by package "
        f"or module): the reader {total_imports * 1e3:.0f} ms, the one-Label app "
        f"{base_total * 1e3:.0f} ms. Most above the baseline:"
    )
    print("\n".join(lines))

    missed = [r for r in rows if r.passed is False]
    if missed and args.profile:
        print_profiles(missed, big, seeds_home, lib_home)
    print(f"\n{verdict(rows)}")
    print(f"At the end: {load_average()}.")
    return 0


def run_big(
    args: argparse.Namespace, root: Path, big: BigArticle
) -> tuple[list[Row], list[str], Run, list[Run]]:
    """Items 3 and 7: open the large article, keystrokes on it (rows, key notes, runs)."""
    big_args = ("--article", big.article_id, "--expect", str(big.highlights))
    plain_home = root / "plain-home"  # the same article, no highlights stored
    shutil.copytree(big.folder, plain_home / "data" / "library")
    plain_args = ("--article", big.article_id)
    for mode, home, extra in (
        ("open", big.home, big_args),
        ("read", big.home, big_args),
        ("open", plain_home, plain_args),
    ):
        run_driver(mode, home, *extra)
    opened: list[Run] = []
    direct: list[Run] = []
    plain: list[Run] = []
    for _ in range(args.open_repeat):
        opened.append(run_driver("open", big.home, *big_args))
        direct.append(run_driver("read", big.home, *big_args))
        plain.append(run_driver("open", plain_home, *plain_args))
    keys_run = run_driver("keys", big.home, *big_args, "--presses", str(args.presses))

    entry = big.entry()
    _ = entry.article
    parts_repeat = 1 if args.quick else 3
    loading = timed(lambda: load_highlights(big, entry), parts_repeat)
    indexing = timed(lambda: build_index(entry.article, MAX_COLUMN), parts_repeat)

    big_start = column(opened, "library")
    open_times = column(opened, "highlights", "open")
    read_times = [t - statistics.median(big_start) for t in column(direct, "highlights")]
    rows = [
        Row("large-article home: library rows painted", big_start),
        Row("open large article: first frame", column(opened, "article_frame", "open")),
        Row(
            "open large article: highlights painted",
            open_times,
            target=f"<= {OPEN_TARGET:g} s",
            passed=statistics.median(open_times) <= OPEN_TARGET,
        ),
        Row("  part: load highlights (worker; in-process)", loading),
        Row(f"  part: line index at {MAX_COLUMN} columns (in-process)", indexing),
        Row("open it with no highlights stored: painted", column(plain, "highlights", "open")),
        Row("`read ARTICLE`: highlights painted - library start", read_times),
    ]
    key_table, key_notes = key_rows(keys_run["keys"], keys_run["keys_live"])
    return rows + key_table, key_notes, keys_run, opened


def print_keys(args: argparse.Namespace, keys_run: Run, key_notes: Sequence[str]) -> None:
    keys = keys_run["keys"]
    print(
        f"\nKeystrokes: {args.presses} per action on the large article ({keys['lines']:,} "
        f"wrapped lines, a {keys['height']}-row view), each action starting in text not "
        "rendered before, timed inside the app in two ways, neither with Pilot's waits.\n"
        "* in-loop: back to back in one callback, wall time of the action call (with its "
        "watchers), the screen's status line update (its CursorMoved handler) and a frame: "
        f"{keys['frame_kind']}.\n"
        "* through the app: a key event posted as the terminal driver posts one, and the "
        "main thread's CPU time until the screen has painted it (encoded for the terminal) "
        "and is idle: binding lookup, messages, handlers, layout, repaint included; the wait "
        "for the next frame tick is not CPU, so it is not counted.\n"
        "Medians of the in-loop parts:"
    )
    print("\n".join(key_notes))


def start_rows(label: Sequence[Run], library: Sequence[Run]) -> list[Row]:
    base = column(label, "ready")
    start = column(library, "library")
    ratio = statistics.median(start) / statistics.median(base)
    wall_ratio = statistics.median(column(library, "wall")) / statistics.median(
        column(label, "wall")
    )
    return [
        Row("start: one-Label app, first frame (baseline)", base),
        Row(
            "start: reader, library rows painted",
            start,
            ratio=ratio,
            target=f"<= x{START_RATIO_TARGET:g}",
            passed=ratio <= START_RATIO_TARGET,
        ),
        Row("whole process, one-Label app", column(label, "wall")),
        Row("whole process, reader to library and exit", column(library, "wall"), ratio=wall_ratio),
    ]


def notes_rows(label: Sequence[Run], noted: Sequence[Run], notes: int) -> list[Row]:
    """The bundled library with a large store and a saved theme: the start a reader who
    has been taking notes for a while sees (the store must not delay the first frame)."""
    base = statistics.median(column(label, "ready"))
    start = column(noted, "library")
    return [
        Row(
            f"start: bundled library, {notes:,} notes, saved theme: rows painted",
            start,
            ratio=statistics.median(start) / base,
        ),
        Row("  part: launch to the notes counted and shown", column(noted, "counts")),
    ]


def library_rows(
    label: Sequence[Run], large: Sequence[Run], cold: Sequence[Run], size: int
) -> list[Row]:
    """Item 2: the cold start on the generated library, warm and cold cache, and its parts."""
    base = statistics.median(column(label, "ready"))
    first = column(large, "library")
    ratio = statistics.median(first) / base
    first_rows = statistics.median(float(r["first_rows"]) for r in large)
    return [
        Row(
            f"start: {size:,}-article library, warm cache, first {first_rows:.0f} rows painted",
            first,
            ratio=ratio,
            target=f"<= x{LIBRARY_RATIO_TARGET:g}",
            passed=ratio <= LIBRARY_RATIO_TARGET,
        ),
        Row(
            f"start: {size:,}-article library, warm cache, all {size + 5:,} rows painted",
            column(large, "library_all"),
            ratio=statistics.median(column(large, "library_all")) / base,
        ),
        Row("  part: launch to the first rows reaching the UI thread", column(large, "rows_in")),
        Row("  part: launch to the last rows reaching the UI thread", column(large, "rows_all_in")),
        Row(
            f"  part: UI thread adding {size + 5:,} rows to the DataTable",
            [float(r["add_rows_seconds"][0]) for r in large],
        ),
        Row(
            f"start: {size:,}-article library, cold cache, first rows painted",
            column(cold, "library"),
            ratio=statistics.median(column(cold, "library")) / base,
        ),
        Row(
            f"start: {size:,}-article library, cold cache (cleans all), all rows painted",
            column(cold, "library_all"),
            ratio=statistics.median(column(cold, "library_all")) / base,
        ),
    ]


def print_phases(
    label: Sequence[Run], library: Sequence[Run], name: str = "bundled library"
) -> None:
    """The cold start split at the driver's milestones, both apps side by side."""
    print(f"\nCold start by phase, {name} (medians):")
    print(f"  {'':32} {'one-Label app':>12} {'reader':>12} {'difference':>12}")
    phases = (
        ("interpreter up", "driver", ""),
        ("imports", "imported", "driver"),
        ("building the app", "built", "imported"),
        ("running to the first rows' arrival", "rows_in", "built"),
        ("running to the first frame/rows", "ready", "built"),
        ("running to all rows painted", "library_all", "built"),
    )
    for title, key, since in phases:
        if key in ("rows_in", "library_all"):
            reader = statistics.median(column(library, key, since))
            print(f"  {title:32} {'':>12} {reader * 1e3:9.1f} ms")
            continue
        base = statistics.median(column(label, key, since))
        reader_key = "library" if key == "ready" else key
        reader = statistics.median(column(library, reader_key, since))
        print(
            f"  {title:32} {base * 1e3:9.1f} ms {reader * 1e3:9.1f} ms "
            f"{(reader - base) * 1e3:+9.1f} ms"
        )


def key_rows(keys: Run, live: Run) -> tuple[list[Row], list[str]]:
    """Two rows per action (in-loop, through the app) and a line on the in-loop parts."""
    rows: list[Row] = []
    notes: list[str] = []
    target = f"median <= {KEY_TARGET * 1e3:g} ms"
    for name in (k for k in keys if k not in ("height", "lines", "frame_kind", "row")):
        value, through = keys[name], live.get(name)
        if value is None or "error" in value:
            rows.append(Row(f"key {name}", [], target=target))
            why = f"error: {value['error']}" if value else f"no action_{name} on the view yet"
            notes.append(f"  {name:18} n/a, {why}")
            continue
        samples = value["samples"]
        totals = [sum(s) for s in samples]
        rows.append(
            Row(
                f"key {name}, in-loop",
                totals,
                target=target,
                passed=statistics.median(totals) <= KEY_TARGET,
                p95=True,
            )
        )
        if through and "samples" in through:
            how = f"key '{through['key']}'" if through["key"] else "action called"
            cpu = through["samples"]
            rows.append(
                Row(
                    f"key {name}, through the app ({how})",
                    cpu,
                    target=target,
                    passed=statistics.median(cpu) <= KEY_TARGET,
                    p95=True,
                )
            )
        action, status, frame = (statistics.median(s[i] for s in samples) for i in range(3))
        notes.append(
            f"  {name:18} action {action * 1e3:5.2f} ms, status {status * 1e3:5.2f} ms, "
            f"frame {frame * 1e3:5.2f} ms"
        )
    rows.append(Row("unbound key through the app (the floor)", live["floor"], p95=True))
    return rows, notes


def print_profiles(
    missed: Sequence[Row], big: BigArticle | None, seeds_home: Path, lib_home: Path
) -> None:
    """cProfile listings for each figure that missed (the main thread of one run)."""
    limit = 30
    figures = " ".join(r.figure for r in missed)
    if "start: reader" in figures:
        print("\n## Profile: cold start, the app run to library rows (imports: see above)\n")
        print(profile_child("library", seeds_home, limit))
    if "article library" in figures:
        print("\n## Profile: cold start on the generated library, warm cache (main thread)\n")
        print(profile_child("library", lib_home, limit))
    if big is None:
        return
    big_args = ("--article", big.article_id, "--expect", str(big.highlights))
    entry = big.entry()
    if "open large article" in figures:
        print("\n## Profile: open the large article, UI thread, request to highlights painted\n")
        print(profile_child("open", big.home, limit, *big_args))
        print("\n## Profile: the highlight-loading worker's work (in-process)\n")
        print(profile_in_process(lambda: load_highlights(big, entry), limit))
        print(f"\n## Profile: the line index at {MAX_COLUMN} columns (in-process)\n")
        print(profile_in_process(lambda: build_index(entry.article, MAX_COLUMN), limit))
    if "key " in figures:
        print("\n## Profile: keys through the app, 100 per action (main thread)\n")
        print(profile_child("keys", big.home, limit, *big_args, "--presses", "100"))


if __name__ == "__main__":
    sys.exit(main())
