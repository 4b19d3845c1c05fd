"""Run every benchmark of the suite, one after the other, and sum up what each reported.

Run with ``python -m benchmarks`` from the repository (or ``python benchmarks/run_all.py``);
``--quick`` is passed on to every script that has it, ``--only NAME`` runs the scripts whose
name contains NAME. Each ``bench_*.py`` in this folder runs as its own process, with this
checkout's ``src`` first on ``PYTHONPATH`` (so the code measured is the code here, whatever
is installed: the cleaner in pure Python) or, with ``--installed``, on the package the
running Python has installed (after ``pip install .``, the compiled cleaner). Each prints
its own table as it goes: min / median / max over repeated runs and ratios against
baselines measured in the same run. At the end, one line per script: how long it took and
its verdict on its targets.

The exit code is 1 if a script failed to run, 0 otherwise: a missed target is a figure to
read, not a crash.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
VERDICTS = ("All targets met.", "miss their target")
MARKED = re.compile(r"\b(PASS|MISS)\b")


def scripts(only: str | None) -> list[Path]:
    """The suite's scripts, by name, keeping those whose name contains ``only``."""
    found = sorted(HERE.glob("bench_*.py"))
    return [path for path in found if only is None or only in path.stem]


def run(script: Path, quick: bool, installed: bool = False) -> tuple[int, float, str]:
    """Run one script, echoing its output; its exit code, seconds and verdict.

    The verdict is the script's own closing line on its targets if it prints one, or else a
    count of its lines marked PASS or MISS.
    """
    command = [sys.executable, str(script)]
    if quick and "--quick" in script.read_text(encoding="utf-8"):
        command.append("--quick")
    env = dict(os.environ)
    if not installed:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    print(f"\n## {script.name}{' --quick' if '--quick' in command else ''}\n", flush=True)
    verdict = ""
    marked = {"PASS": 0, "MISS": 0}
    began = time.perf_counter()
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            print(line, end="", flush=True)
            if any(words in line for words in VERDICTS):
                verdict = line.strip()
            for word in MARKED.findall(line):
                marked[word] += 1
    if not verdict and any(marked.values()):
        verdict = f"{marked['MISS']} of {sum(marked.values())} marked figures miss their target"
    return child.returncode, time.perf_counter() - began, verdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs, where a script has them")
    parser.add_argument("--only", metavar="NAME", help="run the scripts whose name contains NAME")
    parser.add_argument(
        "--installed",
        action="store_true",
        help="measure the installed package (the compiled cleaner after pip install .)",
    )
    args = parser.parse_args(argv)
    chosen = scripts(args.only)
    if not chosen:
        print(f"no benchmark matches {args.only!r}", file=sys.stderr)
        return 2
    results = [(script, *run(script, args.quick, args.installed)) for script in chosen]
    print("\n## Summary\n")
    failed = 0
    for script, code, seconds, verdict in results:
        failed += code != 0
        outcome = f"FAILED (exit {code})" if code else (verdict or "no targets")
        print(f"{script.name:24} {seconds:7.1f} s  {outcome}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
