"""The reader's own settings (the theme): a small JSON file in the user's config folder.

The theme is needed before the reader's first frame, so it cannot wait for the notes store,
which may hold tens of thousands of notes and takes a while to read; nor is it a note. It
lives in ``<config dir>/settings.json``: a few bytes read at start, written atomically (a
crash leaves the old file or the new), mode 0600 like every file we write.

Settings are a convenience, never a reason to stop: a missing, unreadable or damaged file
reads as no settings (the reader starts in the default theme) and is replaced on the next
change. Older versions kept the theme in the notes store; the reader moves it here once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summitreader.core import locations
from summitreader.core.files import write_atomic

SETTINGS_FILE = "settings.json"

#: Larger than any settings file we write: a bigger one is not ours, and is not read whole.
MAX_BYTES = 64 * 1024


def settings_path() -> Path:
    """Where the settings live."""
    return locations.config_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> dict[str, Any]:
    """The saved settings, or ``{}`` when there are none or they cannot be used."""
    path = path or settings_path()
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError:
        return {}
    if len(raw) > MAX_BYTES:
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def save_setting(key: str, value: Any, path: Path | None = None) -> None:
    """Remember ``value`` under ``key``, keeping the other settings.

    Raises:
        OSError: the file could not be written (the caller tells the user; nothing else is
            lost: the settings on disk are unchanged).
        ValueError: ``value`` cannot be written as JSON.
    """
    path = path or settings_path()
    settings = load_settings(path)
    if key in settings and settings[key] == value:
        return
    settings[key] = value
    data = json.dumps(settings, allow_nan=False, indent=1, sort_keys=True).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Not fsynced: it is written on the UI thread when the theme changes, and after a power
    # cut the worst case is the default theme.
    write_atomic(path, data + b"\n", durable=False)
