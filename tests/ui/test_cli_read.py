"""``summit-reader read`` and the bare command: the CLI's way into the reader."""

from __future__ import annotations

import pytest

from summitreader import cli
from summitreader.ui.app import SummitReaderApp


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[SummitReaderApp]:
    """Replace ``App.run`` so the CLI path runs without taking over the terminal."""
    apps: list[SummitReaderApp] = []

    def fake_run(self: SummitReaderApp) -> None:
        apps.append(self)

    monkeypatch.setattr(SummitReaderApp, "run", fake_run)
    return apps


def test_read_opens_the_app_on_an_article(started: list[SummitReaderApp]) -> None:
    assert cli.main(["read"]) == 0
    assert started[-1].start is None
    first = started[-1].library.entries()[0]
    assert cli.main(["read", first.id[:6]]) == 0
    assert started[-1].start is not None and started[-1].start.id == first.id


def test_read_unknown_article_is_a_one_line_error(
    started: list[SummitReaderApp], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["read", "zzzzzzzz"]) == 2
    assert not started
    assert capsys.readouterr().err.startswith("summit-reader: error: no article matches")


def test_bare_command_opens_the_reader_only_on_a_terminal(
    started: list[SummitReaderApp],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert cli.main([]) == 0  # captured output is not a terminal: the list
    assert not started and "TITLE" in capsys.readouterr().out
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    assert cli.main([]) == 0
    assert len(started) == 1
