"""The core must stay importable without the UI toolkit (the wall between core and shell)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import summitreader.core


def test_core_modules_do_not_import_textual_or_rich() -> None:
    modules = [
        m.name for m in pkgutil.iter_modules(summitreader.core.__path__, "summitreader.core.")
    ]
    assert "summitreader.core.clean" in modules  # the walk found the real package
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "", f"core imported: {result.stdout.strip()}"


def test_cli_list_path_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "from summitreader.cli import main\n"
        "main(['list'])\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
        "assert 'rich' not in sys.modules, 'rich imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
