"""Fixtures for the UI tests: libraries to open the reader on."""

from __future__ import annotations

from pathlib import Path

import pytest

from summitreader.core.library import Library, LibraryEntry

from .support import HOSTILE_CAPTURE


@pytest.fixture
def seeds_library() -> Library:
    """The bundled seeds only (the user library is empty under the isolated home)."""
    return Library.from_environment()


@pytest.fixture
def hostile_library(tmp_path: Path) -> Library:
    """A one-article ``--library`` folder whose title and body are full of markup."""
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "hostile.txt").write_text(HOSTILE_CAPTURE, encoding="utf-8")
    return Library.from_environment(folder)


@pytest.fixture
def first(seeds_library: Library) -> LibraryEntry:
    """The first bundled article."""
    return seeds_library.entries()[0]
