"""The installed ``summit-reader`` script in a real terminal (tmux), end to end.

Skipped when tmux is missing. Waits by polling the pane with a deadline, never by sleeping a
fixed time, and always kills the session.
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
from pathlib import Path

import pytest

from summitreader.core.library import Library

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

TIMEOUT = 20.0


def tmux(*args: str, socket: str) -> str:
    """Run a tmux command on our own server socket; its output."""
    result = subprocess.run(
        ["tmux", "-L", socket, *args], capture_output=True, text=True, timeout=10, check=True
    )
    return result.stdout


def wait_for(socket: str, session: str, wanted: str) -> str:
    """Poll the pane until ``wanted`` shows; fail with the last screen after the deadline."""
    deadline = time.monotonic() + TIMEOUT
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session, socket=socket)
        if wanted in screen:
            return screen
        time.sleep(0.05)  # a polling interval, not a wait for something to happen
    raise AssertionError(f"{wanted!r} did not appear within {TIMEOUT} s; screen:\n{screen}")


def wait_gone(socket: str, session: str) -> None:
    """Poll until the session has ended (the app exited and the pane closed)."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        alive = subprocess.run(
            ["tmux", "-L", socket, "has-session", "-t", session], capture_output=True, timeout=10
        )
        if alive.returncode != 0:
            return
        time.sleep(0.05)
    raise AssertionError("the reader did not exit")


def test_read_open_article_and_quit(isolated_home: Path) -> None:
    script = Path(sys.executable).with_name("summit-reader")
    if not script.exists():
        pytest.skip(f"console script not installed next to {sys.executable}")
    article = Library.from_environment().entries()[0].article
    first = article.title
    socket = f"summit-e2e-{uuid.uuid4().hex[:8]}"
    session = "reader"
    try:
        _start(socket, session, script, isolated_home)
        wait_for(socket, session, first[:30])
        tmux("send-keys", "-t", session, "Enter", socket=socket)
        screen = wait_for(socket, session, article.paragraphs[0].text[:40])
        assert first in screen  # the header
        tmux("send-keys", "-t", session, "q", socket=socket)
        wait_for(socket, session, "5 articles")
        tmux("send-keys", "-t", session, "q", socket=socket)
        wait_gone(socket, session)
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=10)


def _start(socket: str, session: str, script: Path, home: Path) -> None:
    """Start the installed reader in a detached 100x30 tmux session, with a bare environment."""
    env = {
        "SUMMIT_READER_HOME": str(home),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
    }
    command = " ".join(
        ["env", "-i", *(f"{k}={shlex.quote(v)}" for k, v in env.items()), shlex.quote(str(script))]
    )
    tmux(
        "-f",
        os.devnull,
        "new-session",
        "-d",
        "-x",
        "100",
        "-y",
        "30",
        "-s",
        session,
        command,
        socket=socket,
    )


def test_highlight_with_a_note_survives_a_restart(isolated_home: Path) -> None:
    script = Path(sys.executable).with_name("summit-reader")
    if not script.exists():
        pytest.skip(f"console script not installed next to {sys.executable}")
    article = Library.from_environment().entries()[0].article
    first_words = article.paragraphs[0].text[:40]
    socket = f"summit-e2e-{uuid.uuid4().hex[:8]}"
    try:
        _start(socket, "one", script, isolated_home)
        wait_for(socket, "one", article.title[:30])
        tmux("send-keys", "-t", "one", "Enter", socket=socket)
        wait_for(socket, "one", first_words)
        tmux("send-keys", "-t", "one", "n", socket=socket)  # note on the sentence here
        wait_for(socket, "one", "Note on")
        tmux("send-keys", "-t", "one", "-l", "typed in tmux", socket=socket)
        tmux("send-keys", "-t", "one", "C-s", socket=socket)
        wait_for(socket, "one", "typed in tmux")  # shown in the status line
        tmux("send-keys", "-t", "one", "C-q", socket=socket)
        wait_gone(socket, "one")

        _start(socket, "two", script, isolated_home)
        wait_for(socket, "two", article.title[:30])
        tmux("send-keys", "-t", "two", "Enter", socket=socket)
        wait_for(socket, "two", "typed in tmux")  # the highlight and its note came back
        tmux("send-keys", "-t", "two", "C-q", socket=socket)
        wait_gone(socket, "two")
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=10)

    listed = subprocess.run(
        [str(script), "notes", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SUMMIT_READER_HOME": str(isolated_home)},
        check=True,
    )
    [note] = json.loads(listed.stdout)
    assert note["note"] == "typed in tmux"
    assert note["status"] == "exact"
    assert article.text[note["start"] : note["end"]] == note["exact"]
    assert note["exact"] in article.paragraphs[0].text
