"""Unsaved changes in a real terminal: the quit dialog, and a terminal closed under the reader.

The store is one a newer version wrote, so it is open read-only and every highlight is
refused: a real fault that needs no root-defeated permissions. The reader runs as
``python -m summitreader`` on the code under test. Polls with a deadline, never sleeps a
fixed time, and always kills its tmux server.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import summitreader
from summitreader.core.annotations import Annotation
from summitreader.core.export import ExportError, parse_import
from summitreader.core.library import Library
from summitreader.core.rescue import RESCUE_STEM
from summitreader.core.store import SCHEMA_VERSION

from .test_tmux import TIMEOUT, tmux, wait_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals"),
]


@pytest.fixture
def socket() -> Iterator[str]:
    name = f"summit-faults-{uuid.uuid4().hex[:8]}"
    try:
        yield name
    finally:
        subprocess.run(["tmux", "-L", name, "kill-server"], capture_output=True, timeout=10)


def newer_store(home: Path) -> bytes:
    """A store file from a future version, holding nothing: this version opens it read-only."""
    path = home / "data" / "annotations.json"
    path.parent.mkdir(parents=True)
    original = json.dumps({"_meta": {"1": {"schema": SCHEMA_VERSION + 1}}}).encode()
    path.write_bytes(original)
    return original


def start(socket: str, home: Path) -> None:
    """The reader on the code under test, in a detached 100x30 session.

    The pane stays after the reader exits, so what it printed on leaving can be read.
    """
    source = Path(summitreader.__file__).resolve().parents[1]
    env = {
        "SUMMIT_READER_HOME": str(home),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "PYTHONPATH": str(source),
    }
    command = " ".join(
        [
            "env",
            "-i",
            *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
            shlex.quote(sys.executable),
            "-m",
            "summitreader",
        ]
    )
    tmux("-f", os.devnull, "new-session", "-d", "-x", "100", "-y", "30", "-s", "r", command,
         ";", "set-option", "-t", "r", "remain-on-exit", "on", socket=socket)  # fmt: skip


def refused_highlight(socket: str) -> None:
    first = Library.from_environment().entries()[0].article
    wait_for(socket, "r", first.title[:30])
    tmux("send-keys", "-t", "r", "Enter", socket=socket)
    wait_for(socket, "r", first.paragraphs[0].text[:40])
    tmux("send-keys", "-t", "r", "h", socket=socket)
    wait_for(socket, "r", "Could not save 1")


def rescue_files(home: Path) -> list[Path]:
    return sorted((home / "documents").glob(f"{RESCUE_STEM}-*.json"))


def test_the_quit_dialog_exports_and_says_where_after_quitting(
    isolated_home: Path, socket: str
) -> None:
    original = newer_store(isolated_home)
    start(socket, isolated_home)
    refused_highlight(socket)
    tmux("send-keys", "-t", "r", "C-q", socket=socket)
    wait_for(socket, "r", "1 highlight change is not saved")
    tmux("send-keys", "-t", "r", "x", socket=socket)
    wait_for(socket, "r", "Exported 1 highlight to")
    tmux("send-keys", "-t", "r", "q", socket=socket)
    said = wait_for(socket, "r", "summit-reader: 1 highlight change could not be saved")
    [path] = rescue_files(isolated_home)
    [annotation] = parse_import(path.read_bytes())
    assert annotation.article_id == Library.from_environment().entries()[0].id
    assert str(path) in "".join(said.split("\n"))  # a long path wraps in the pane
    assert (isolated_home / "data" / "annotations.json").read_bytes() == original


def test_closing_the_terminal_exports_what_could_not_be_saved(
    isolated_home: Path, socket: str
) -> None:
    newer_store(isolated_home)
    start(socket, isolated_home)
    refused_highlight(socket)
    tmux("kill-server", socket=socket)  # the terminal goes: SIGHUP
    deadline = time.monotonic() + TIMEOUT
    while not (found := readable_rescue(isolated_home)):
        assert time.monotonic() < deadline, "no rescue file after SIGHUP"
        time.sleep(0.05)  # a polling interval, not a wait for something to happen
    [annotation] = found
    assert annotation.article_id == Library.from_environment().entries()[0].id


def readable_rescue(home: Path) -> list[Annotation]:
    """The rescue file's annotations once it is complete; empty until then."""
    try:
        return [a for path in rescue_files(home) for a in parse_import(path.read_bytes())]
    except ExportError:  # created, not yet written
        return []
