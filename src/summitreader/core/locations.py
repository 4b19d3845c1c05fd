"""Where summit-reader keeps its files, computed lazily in one place.

Nothing here creates a directory at import time. ``SUMMIT_READER_HOME`` moves every path
under one folder (the test suite's seam); ``SUMMIT_READER_LIBRARY`` and ``SUMMIT_READER_DB``
move the library and the notes store on their own. Otherwise the platform's conventional
user directories are used, through platformdirs.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "summit-reader"
HOME_ENV = "SUMMIT_READER_HOME"
LIBRARY_ENV = "SUMMIT_READER_LIBRARY"
DB_ENV = "SUMMIT_READER_DB"


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser() if value else None


def _dirs() -> PlatformDirs:
    return PlatformDirs(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """The folder for the user's own data: imported articles and the notes store."""
    home = _home()
    return home / "data" if home else Path(_dirs().user_data_dir)


def cache_dir() -> Path:
    """The folder for anything that can be rebuilt (cleaning results, for instance)."""
    home = _home()
    return home / "cache" if home else Path(_dirs().user_cache_dir)


def config_dir() -> Path:
    """The folder for settings such as the chosen theme."""
    home = _home()
    return home / "config" if home else Path(_dirs().user_config_dir)


def documents_dir() -> Path:
    """Where exports made from the reader land by default."""
    home = _home()
    return home / "documents" if home else Path(_dirs().user_documents_dir) / APP_NAME


def user_library_dir() -> Path:
    """The folder ``summit-reader add`` copies captures into."""
    return data_dir() / "library"


def library_override() -> Path | None:
    """The folder named by ``SUMMIT_READER_LIBRARY``, if set: it replaces the whole library."""
    value = os.environ.get(LIBRARY_ENV)
    return Path(value).expanduser() if value else None


def store_path() -> Path:
    """The TinyDB file that holds highlights and notes."""
    value = os.environ.get(DB_ENV)
    return Path(value).expanduser() if value else data_dir() / "annotations.json"
