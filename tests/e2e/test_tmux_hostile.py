"""The worst hostile article in the installed ``summit-reader``, in a real terminal (tmux).

The article carries ANSI colours, cursor moves and a screen clear, OSC window titles, an OSC
8 hyperlink, an OSC 52 clipboard write, Rich markup and bidi overrides. tmux is set to obey
all of them (``set-clipboard on``; titles are always accepted), and a canary proves it does:
the same bytes written raw with ``cat`` change the pane title and fill a paste buffer. The
reader must do neither, and must draw exactly what it draws for a control article holding
only the payload's printable characters: the whole pane, colours included, is compared, so
a colour, a cursor move or a clear that got through would show. Then the reader must still
answer keys (``?`` shows the help) and ``ctrl+q`` must hand the pane back to the shell.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from hostile.corpus import FORBIDDEN, WORST, payload_article

from .test_tmux import TIMEOUT, tmux, wait_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

PROMPT = "hostile$ "
#: What shows of the prompt: tmux trims the trailing space of a captured line.
SHOWN_PROMPT = PROMPT.rstrip()
#: Words of the article that show on its first screen (the payload sits among them).
BODY_WORDS = "and then goes on for a while"


def _shell(socket: str, session: str, home: Path) -> None:
    """A detached 100x30 session running a bare interactive shell with a known prompt."""
    env = {
        "SUMMIT_READER_HOME": str(home),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "PS1": PROMPT,
    }
    if "PYTHONPATH" in os.environ:  # a checkout's src/ put before the installed package
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    command = " ".join(["env", "-i", *(f"{k}={shlex.quote(v)}" for k, v in env.items()), "sh"])
    size = ("-x", "100", "-y", "30")
    tmux("-f", os.devnull, "new-session", "-d", *size, "-s", session, command, socket=socket)
    tmux("set-option", "-g", "set-clipboard", "on", socket=socket)
    wait_for(socket, session, SHOWN_PROMPT)


def _run(socket: str, session: str, line: str) -> None:
    tmux("send-keys", "-t", session, "-l", line, socket=socket)
    tmux("send-keys", "-t", session, "Enter", socket=socket)


def _title(socket: str, session: str) -> str:
    return tmux("display-message", "-p", "-t", session, "#{pane_title}", socket=socket)


def _buffers(socket: str) -> str:
    return tmux("list-buffers", socket=socket)


def _wait_left(socket: str, session: str) -> None:
    """Poll until the reader has left the alternate screen: the shell has the pane again."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if tmux("display-message", "-p", "-t", session, "#{alternate_on}", socket=socket) == "0\n":
            return
        time.sleep(0.05)  # a polling interval
    raise AssertionError("the reader did not give the pane back to the shell")


def _styled(socket: str, session: str) -> str:
    """The pane with its colours and attributes (SGR escapes)."""
    return tmux("capture-pane", "-e", "-p", "-t", session, socket=socket)


def assert_same_panes(socket: str, shown: str, expected: str) -> None:
    """Poll until both panes are the same, cell for cell and colour for colour.

    Both readers are still drawing when their text first shows (a worker, a toast), so the
    panes are compared until they agree; a payload that got through never lets them.
    """
    deadline = time.monotonic() + TIMEOUT
    while True:
        got, want = _styled(socket, shown), _styled(socket, expected)
        if got == want:
            return
        if time.monotonic() > deadline:
            rows = zip(got.splitlines(), want.splitlines(), strict=False)
            diff = [(n, g, w) for n, (g, w) in enumerate(rows) if g != w]
            raise AssertionError(f"the panes differ: {diff[:3]}")
        time.sleep(0.1)  # a polling interval


def _open_reader(socket: str, session: str, script: Path, folder: Path) -> None:
    """Start the reader on ``folder``'s one article, in the library list."""
    _run(socket, session, f"{shlex.quote(str(script))} --library {shlex.quote(str(folder))}")
    wait_for(socket, session, "Headline")  # the title, in the library list


def test_worst_article_cannot_drive_the_terminal(isolated_home: Path, tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("summit-reader")
    if not script.exists():
        pytest.skip(f"console script not installed next to {sys.executable}")
    text = payload_article(WORST, "all of it")
    # The control article is the payload's printable characters, worked out here (not by
    # the code under test, whose failure would then go unseen).
    printable = FORBIDDEN.sub("", text)
    hostile, control = tmp_path / "hostile", tmp_path / "control"
    for folder, data in ((hostile, text), (control, printable)):
        folder.mkdir()
        (folder / "article.txt").write_text(data, encoding="utf-8")  # same name, same id
    socket = f"summit-e2e-{uuid.uuid4().hex[:8]}"
    try:
        # The control reader has a home of its own: two copies never share a store here.
        _shell(socket, "control", tmp_path / "control-home")  # (it keeps the server up too)
        # The canary: written raw, these bytes do set the title and the clipboard here.
        _shell(socket, "canary", isolated_home)
        untouched = _title(socket, "canary")
        _run(socket, "canary", f"cat {shlex.quote(str(hostile / 'article.txt'))}; echo c''a''nary")
        wait_for(socket, "canary", "canary")  # (quoted apart so the command line cannot match)
        assert _title(socket, "canary") != untouched
        assert _buffers(socket), "tmux did not take the OSC 52 write: the test would prove nothing"
        tmux("kill-session", "-t", "canary", socket=socket)
        while _buffers(socket):
            tmux("delete-buffer", socket=socket)

        _shell(socket, "hostile", isolated_home)
        title = _title(socket, "hostile")
        _open_reader(socket, "control", script, control)
        _open_reader(socket, "hostile", script, hostile)
        assert_same_panes(socket, "hostile", "control")  # the library list
        for session in ("control", "hostile"):
            tmux("send-keys", "-t", session, "Enter", socket=socket)
            wait_for(socket, session, BODY_WORDS)
        assert_same_panes(socket, "hostile", "control")  # the article
        assert _title(socket, "hostile") == title  # no OSC 0/1/2 got through
        assert _buffers(socket) == ""  # no OSC 52 clipboard write got through
        tmux("send-keys", "-t", "hostile", "?", socket=socket)  # still answering keys
        wait_for(socket, "hostile", "Keys: article")
        tmux("send-keys", "-t", "hostile", "Escape", socket=socket)
        for session in ("control", "hostile"):
            tmux("send-keys", "-t", session, "C-q", socket=socket)
            _wait_left(socket, session)
        _run(socket, "hostile", "echo still-a''-shell")  # (the command line cannot match)
        screen = wait_for(socket, "hostile", "still-a-shell")
        assert _title(socket, "hostile") == title
        assert _buffers(socket) == ""
        assert "pwned" not in screen
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=10)
