"""Build hook: compile the cleaner with mypyc when a wheel is built, if this machine can.

The cleaner reads every line of every capture through a few hundred small tests; in CPython
much of its time is the interpreter's own work between them. Compiled to C by mypyc (part of
mypy, which already checks this code), the same source cleans about a quarter faster and
gives the same answers. Two scans take a form of their own there (``rules.COMPILED``), and
tests check both forms in either build. See the README's "Cleaning speed" for the figures.

Compiling is a speed-up, never a requirement, so this hook never fails a build:

- a wheel built where there is no C compiler, no Python headers, or a mypy that refuses the
  code is the pure-Python wheel, with a warning (``pip install -v`` shows it);
- editable installs stay pure Python: a compiled module installed beside its source would
  shadow every later edit of it;
- ``SUMMIT_READER_PURE=1`` asks for the pure-Python wheel outright.

Nothing is written into the source tree: mypy's cache, the generated C and the objects go to
a temporary folder, and the wheel takes the built modules from there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: The modules compiled: the cleaner and what it calls on every line.
COMPILED = ("clean", "rules", "dates", "words")
#: The name of the one shared library mypyc puts the compiled modules' code in.
GROUP = "summitreader_cleaner"

# Run in a child process: mypy and setuptools keep state in the process, and setuptools'
# ``setup()`` would read this project's pyproject.toml (a Distribution built by hand does not).
_BUILD = """
import sys
from mypyc.build import mypycify
from setuptools import Distribution

out, temp, group, *paths = sys.argv[1:]
extensions = mypycify(
    ["--cache-dir", temp + "/mypy-cache", *paths],
    opt_level="3",
    target_dir=temp + "/c",
    group_name=group,
)
dist = Distribution({"name": group, "ext_modules": extensions})
build = dist.get_command_obj("build_ext")
build.build_lib = out
build.build_temp = temp + "/objects"
dist.run_command("build_ext")
"""


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the compiled cleaner to a wheel, or leaves the wheel pure Python and says why."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._temp: str | None = None
        if self.target_name != "wheel":
            return
        pure = "summit-reader: cleaner left pure Python"
        if version == "editable":
            self.app.display_info(f"{pure} for an editable install")
            return
        if os.environ.get("SUMMIT_READER_PURE"):
            self.app.display_info(f"{pure}, SUMMIT_READER_PURE is set")
            return
        temp = tempfile.mkdtemp(prefix="summitreader-mypyc-")
        built = _compile(Path(self.root), Path(temp))
        if isinstance(built, str):
            shutil.rmtree(temp, ignore_errors=True)
            self.app.display_warning(f"{pure}, compiling failed: {built}")
            return
        self._temp = temp
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["force_include"].update(built)
        self.app.display_info(f"summit-reader: cleaner compiled ({', '.join(COMPILED)})")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._temp:
            shutil.rmtree(self._temp, ignore_errors=True)


def _compile(root: Path, temp: Path) -> dict[str, str] | str:
    """The compiled modules (built file -> path in the wheel), or why there are none."""
    out = temp / "lib"
    paths = [f"src/summitreader/core/{name}.py" for name in COMPILED]
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _BUILD, str(out), str(temp), GROUP, *paths],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{type(exc).__name__}: {exc}"
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        return lines[-1] if lines else f"exit status {proc.returncode}"
    built = {
        str(path): path.relative_to(out).as_posix()
        for path in out.rglob("*")
        if path.suffix in (".so", ".pyd")
    }
    wanted = {f"summitreader/core/{name}." for name in COMPILED}
    missing = [w for w in wanted if not any(p.startswith(w) for p in built.values())]
    if missing:
        return f"no compiled module for {', '.join(sorted(missing))}"
    return built
