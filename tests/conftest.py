"""Shared fixtures: every test runs with its own SUMMIT_READER_HOME.

Nothing a test does may touch the real user directories, so the environment variables that
move data are pointed at a temporary folder for every test, automatically.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from summitreader.core import store

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SUMMIT_READER_HOME", str(home))
    monkeypatch.delenv("SUMMIT_READER_LIBRARY", raising=False)
    monkeypatch.delenv("SUMMIT_READER_DB", raising=False)
    monkeypatch.delenv("SUMMIT_READER_DEBUG", raising=False)
    # platformdirs falls back on these; point them away too in case anything escapes.
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    # Every store write in a test is also encoded from scratch and compared with what the
    # store reused from its last write (see store.VERIFY_ENCODING).
    monkeypatch.setattr(store, "VERIFY_ENCODING", True)
    yield home
