"""The settings file: read in a few bytes before the first frame, never a reason to stop."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from summitreader.core import locations
from summitreader.core.settings import MAX_BYTES, load_settings, save_setting, settings_path


def test_it_lives_in_the_config_folder_and_is_not_made_by_reading() -> None:
    assert settings_path().parent == locations.config_dir()
    assert load_settings() == {}
    assert not settings_path().parent.exists()


def test_a_setting_is_kept_with_the_others_and_the_file_is_private() -> None:
    save_setting("theme", "nord")
    save_setting("other", [1, "two"])
    save_setting("theme", "gruvbox")
    assert load_settings() == {"theme": "gruvbox", "other": [1, "two"]}
    assert stat.S_IMODE(settings_path().stat().st_mode) == 0o600
    assert [p.name for p in settings_path().parent.iterdir()] == ["settings.json"]


def test_an_unchanged_setting_is_not_written_again() -> None:
    save_setting("theme", "nord")
    before = settings_path().stat().st_mtime_ns
    save_setting("theme", "nord")
    assert settings_path().stat().st_mtime_ns == before


@pytest.mark.parametrize(
    "content",
    [
        b'{"theme": "nord"',  # cut short
        b"\xff\xfe not json",
        b'["theme", "nord"]',  # not an object
        b"[" * 100_000,  # deep enough to exhaust the parser
        b'{"theme": "' + b"x" * MAX_BYTES + b'"}',  # too big to be ours
    ],
    ids=["truncated", "bytes", "list", "deep", "huge"],
)
def test_damaged_settings_read_as_none_and_are_replaced_on_the_next_change(
    content: bytes,
) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert load_settings() == {}
    save_setting("theme", "nord")
    assert load_settings() == {"theme": "nord"}


def test_a_folder_at_the_name_reads_as_none_and_a_write_fails_with_oserror() -> None:
    settings_path().mkdir(parents=True)
    assert load_settings() == {}
    with pytest.raises(OSError):
        save_setting("theme", "nord")


def test_a_value_that_is_not_json_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    with pytest.raises(ValueError):
        save_setting("theme", float("nan"), path)
    assert not path.exists()
