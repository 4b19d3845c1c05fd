"""Every hostile case through the real command line: ``add``, ``show``, ``show --json``, ``list``.

Each command is a separate ``python -m summitreader`` process with the test's own
``SUMMIT_READER_HOME`` (set for every test by the root conftest), a 60 s timeout as the
bound on time (a hang fails, speed itself is measured in benchmarks/) and an address-space
limit as the bound on memory (a blow-up fails). What must hold for every run: no traceback,
either success or exactly one error line with exit code 2, output that is valid UTF-8 and
holds no control, escape or bidi-override character.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from summitreader.core import locations

from .conftest import HostileTally
from .corpus import CASES, FORBIDDEN, Case

#: The bound on one command's run time; generous, so only a hang or a blow-up trips it.
TIMEOUT = 60
#: The bound on one command's address space, in KiB (1.5 GiB): far above what any case
#: needs, so only a blow-up trips it (the program then fails with a MemoryError).
MEMORY_KIB = 1536 * 1024
#: Runs the command under the memory bound. A shell's ``ulimit`` rather than ``preexec_fn``:
#: commands are started from several threads at once, where ``preexec_fn`` is not safe.
LIMITED = ["sh", "-c", f'ulimit -v {MEMORY_KIB} && exec "$@"', "summit-reader"]


@dataclass(frozen=True)
class Run:
    """One finished command: exit code, decoded output, wall time."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str
    seconds: float


def cli(*args: str) -> Run:
    """Run ``summit-reader ARGS`` in a child process under the time and memory bounds."""
    env = {**os.environ, "COLUMNS": "80", "LINES": "24"}
    begun = time.monotonic()
    done = subprocess.run(
        [*LIMITED, sys.executable, "-m", "summitreader", *args],
        capture_output=True,
        timeout=TIMEOUT,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - begun
    # Output must be valid UTF-8: a lone surrogate or a raw byte would fail here.
    run = Run(args, done.returncode, done.stdout.decode(), done.stderr.decode(), seconds)
    check_run(run)
    return run


def cli_all(*commands: tuple[str, ...]) -> list[Run]:
    """Run commands that do not depend on one another side by side; results in order."""
    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        return list(pool.map(lambda args: cli(*args), commands))


def check_run(run: Run) -> None:
    """What every command must do with any input: a clean answer or one line, nothing live."""
    where = f"summit-reader {' '.join(map(repr, run.args))}"
    assert "Traceback" not in run.err, f"{where}: traceback\n{run.err}"
    assert run.code in (0, 2), f"{where}: exit code {run.code}\n{run.err}"
    lines = run.err.splitlines()
    if run.code == 2:
        assert len(lines) == 1, f"{where}: {len(lines)} error lines\n{run.err}"
        assert lines[0].startswith("summit-reader: error: "), run.err
    else:
        assert all(line.startswith("summit-reader: warning: ") for line in lines), run.err
    assert not FORBIDDEN.search(run.out), f"{where}: control character on stdout"
    assert not FORBIDDEN.search(run.err), f"{where}: control character on stderr"
    assert "\t" not in run.err and run.err.count("\n") == len(lines)


def _shown_text(data: dict[str, object]) -> str:
    """Everything ``show --json`` says the article holds, kept or removed, as one string.

    Some payloads are judged chrome by the cleaner (a 1 MB word, 100,000 one-letter lines):
    they are still shown, in the list of what was removed.
    """
    parts = [str(data.get(k) or "") for k in ("title", "source", "byline", "date", "dek")]
    for key in ("paragraphs", "removed"):
        blocks = data[key]
        assert isinstance(blocks, list)
        parts += [str(block["text"]) for block in blocks]
    return "\n".join(parts)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _user_library_files() -> list[Path]:
    folder = locations.user_library_dir()
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_cli_shows_or_refuses(case: Case, tmp_path: Path, hostile_tally: HostileTally) -> None:
    """``show FILE`` (read on the fly) as text and as JSON; ``add`` too for a refused file.

    A file that is shown is added in :func:`test_cli_adds_and_lists_every_shown_case`, all
    in one command, to keep the number of processes down.
    """
    hostile_tally.start(case.name, "cli")
    path = case.write(tmp_path / "incoming")
    if case.expect == "refused":
        added, shown = cli_all(("add", str(path)), ("show", str(path)))
        assert added.code == 2 and added.out == ""
        assert case.reason in added.err, added.err
        assert shown.code == 2 and shown.out == ""
        assert shown.err == added.err  # the same one line, naming the file
        assert _user_library_files() == []  # nothing was copied in
        hostile_tally.done(case.name, "cli", "refused", max(added.seconds, shown.seconds))
        return

    as_json, plain = cli_all(("show", str(path), "--json"), ("show", str(path), "--removed"))
    assert as_json.code == plain.code == 0, (as_json.err, plain.err)
    data = json.loads(as_json.out)
    assert data["title"] and isinstance(data["paragraphs"], list)
    if case.probe is not None:
        # The payload's printable part is shown literally: in the JSON, and in the
        # wrapped text (wrapping only changes where the lines break).
        assert case.probe in _shown_text(data)
        assert _flat(case.probe) in _flat(plain.out)
    hostile_tally.done(case.name, "cli", "shown", max(as_json.seconds, plain.seconds))


def test_cli_adds_and_lists_every_shown_case(tmp_path: Path) -> None:
    shown = [c for c in CASES if c.expect == "shown"]
    paths = [c.write(tmp_path / c.name) for c in shown]
    added = cli("add", *map(str, paths))
    assert added.code == 0, added.err
    ids = [line.split()[1] for line in added.out.splitlines()]
    assert len(ids) == len(set(ids)) == len(shown)
    copies = _user_library_files()
    assert len(copies) == len(shown)
    for copy in copies:  # names made safe: no control character, no line break
        assert FORBIDDEN.search(copy.name) is None and "\n" not in copy.name
    # The library by id: one article as JSON (the awkward name's), the list, as text and JSON.
    one, table, as_json = cli_all(("show", ids[-1], "--json"), ("list",), ("list", "--json"))
    assert json.loads(one.out)["id"] == ids[-1]
    rows = {row["id"]: row for row in json.loads(as_json.out) if row["origin"] == "user"}
    assert set(rows) == set(ids)
    for ident in ids:
        [line] = [line for line in table.out.splitlines() if line.startswith(ident)]
        assert len(line) <= 80  # one row each, clipped to the width
