"""The notes store under real processes: two writers at once, and writers killed mid-change.

Children are ``python -c`` processes, so they share nothing with the test but the file. There
are no fixed sleeps: the test polls for files the children write, with timeouts; the only
sleeps are the random moments at which a child is killed.

The kill test runs :data:`KILL_ROUNDS` rounds, ``SUMMIT_READER_KILLS`` (default 40, what
every run and CI do) when set; the long run is ``SUMMIT_READER_KILLS=500 pytest -m faults``.
Its figures are printed in the terminal summary (``tests/core/conftest.py``).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from itertools import pairwise
from pathlib import Path

import pytest

from summitreader.core.store import Store

pytestmark = pytest.mark.slow

PER_WRITER = 200
#: SIGKILL rounds; one child is started and killed per round.
KILL_ROUNDS = int(os.environ.get("SUMMIT_READER_KILLS", "40"))
WAIT = 60.0  # seconds before a poll gives up: only reached when something is broken
UUID_LINE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

WRITER = """
import sys, time
from pathlib import Path
from summitreader.core.annotations import Annotation, Selector
from summitreader.core.store import Store

path, tag, ready, go, count = sys.argv[1:6]
with Store(Path(path)) as store:
    Path(ready).touch()
    deadline = time.monotonic() + 60
    while not Path(go).exists():  # the barrier: both start adding together
        if time.monotonic() > deadline:
            sys.exit("the go file never appeared")
        time.sleep(0.001)
    for i in range(int(count)):
        store.add(Annotation(
            id=f"{tag}-{i:04d}", article_id="a1", article_hash="h",
            selector=Selector(exact="x", prefix="", suffix="", start=i, end=i + 1),
            note=f"{tag} note {i} «é»",
        ))
"""

ADDER = """
import os, sys
from pathlib import Path
from summitreader.core.annotations import new_annotation
from summitreader.core.store import Store

path, log = sys.argv[1:3]
text = "Kim and Trump met in Hanoi; the talks ended early, «no deal» — 평양."
fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
store = Store(Path(path))
if store.notices:
    sys.exit("notices at open: " + " | ".join(store.notices))
os.write(fd, b"ready\\n")
os.fsync(fd)
i = 0
while True:
    start = i % 40
    annotation = new_annotation("a1", text, start, start + 5, note=f"note {i} ✓")
    store.add(annotation)
    if i % 7 == 0:
        store.set_position("a1", i)  # a different kind of write, in the same file
    os.write(fd, (annotation.id + "\\n").encode())
    os.fsync(fd)
    i += 1
"""


def wait_for(condition: Callable[[], bool], what: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            pytest.fail(f"child exited ({proc.returncode}) while waiting for {what}: {err}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.002)


def is_ready(log: Path) -> bool:
    return log.exists() and b"ready" in log.read_bytes()


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_two_processes_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "annotations.json"
    go = tmp_path / "go"
    procs = []
    for tag in ("left", "right"):
        ready = tmp_path / f"{tag}.ready"
        args = [str(path), tag, str(ready), str(go), str(PER_WRITER)]
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        procs.append((proc, ready))
    for proc, ready in procs:
        wait_for(ready.exists, f"{ready.name}", proc)
    go.touch()
    for proc, _ in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err.decode(errors="replace")

    with Store(path) as store:
        assert store.notices == []
        stored = [a.id for a in store.all()]
    expected = {f"{tag}-{i:04d}" for tag in ("left", "right") for i in range(PER_WRITER)}
    assert len(stored) == 2 * PER_WRITER
    assert set(stored) == expected
    switches = sum(1 for a, b in pairwise(stored) if a[:4] != b[:4])
    print(f"\n{len(stored)} annotations stored; the writers took turns {switches} times")
    assert temp_files(tmp_path) == []


@pytest.mark.faults
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.timeout(max(300, 3 * KILL_ROUNDS))  # a round takes well under a second
def test_killing_a_writer_at_random_moments_never_damages_the_store(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    record_property: Callable[..., None],
    fault_figures: dict[str, object],
) -> None:
    assert KILL_ROUNDS > 0, "SUMMIT_READER_KILLS must be a positive number"
    path = tmp_path / "annotations.json"
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    logged: set[str] = set()
    kills = during_open = torn_writes = 0

    for round_number in range(KILL_ROUNDS):
        log = tmp_path / f"round-{round_number:02d}.log"
        proc = subprocess.Popen(
            [sys.executable, "-c", ADDER, str(path), str(log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if rng.random() < 0.2:
            # Now and then, while it starts: importing, cleaning up, checking the file.
            during_open += 1
            time.sleep(rng.uniform(0.0, 0.25))
        else:
            wait_for(partial(is_ready, log), "ready", proc)
            time.sleep(rng.uniform(0.0, 0.08))
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            pytest.fail(f"round {round_number}: the child died on its own: {err}")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=WAIT)
        if proc.stderr:
            proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        kills += 1

        # Only whole lines: the kill may land in the middle of writing one.
        lines = log.read_text(encoding="utf-8").split("\n")[:-1] if log.exists() else []
        logged.update(line for line in lines if UUID_LINE.fullmatch(line))
        if temp_files(tmp_path):
            torn_writes += 1  # killed between creating the temp file and the rename

        if path.exists():
            json.loads(path.read_text(encoding="utf-8"))  # always a whole file
        with Store(path) as store:
            context = f"round {round_number} (seed {seed})"
            assert store.notices == [], f"{context}: {store.notices}"
            stored = {a.id for a in store.all()}
        missing = logged - stored
        assert not missing, f"{context}: {len(missing)} logged ids lost, e.g. {sorted(missing)[0]}"
        assert temp_files(tmp_path) == [], f"{context}: temp files survived the open"

    summary = (
        f"SIGKILL rounds: {kills} kills ({during_open} while starting, {torn_writes} mid-write "
        f"with a temp file left), {len(logged)} acknowledged adds all stored, seed {seed}"
    )
    record_property("kills", kills)
    # Every round checked the file parses, opens without a notice and holds every logged
    # id, and fails otherwise: reaching here means 0 unreadable and 0 lost.
    fault_figures["sigkill"] = {
        "kills": kills,
        "while starting": during_open,
        "mid-write": torn_writes,
        "acknowledged adds": len(logged),
        "unreadable stores": 0,
        "acknowledged lost": 0,
        "seed": seed,
    }
    with capsys.disabled():
        print(f"\n{summary}")
    assert kills == KILL_ROUNDS, summary
    assert len(logged) > 0, summary
