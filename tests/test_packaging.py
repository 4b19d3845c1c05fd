"""The built wheel ships the seeds and works when installed outside the source tree.

Slow: builds a wheel, creates a virtual environment and installs the wheel into it. The
venv sees the current environment's packages (``--system-site-packages``) so the runtime
dependencies need not be downloaded; only the wheel under test is installed into it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from summitreader.core.library import article_id

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
TIMEOUT = 300

pytestmark = pytest.mark.slow


def _run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        cmd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
        **kwargs,
    )


def _seed_files() -> list[Path]:
    return sorted(p for p in SEEDS.iterdir() if p.is_file() and p.suffix == ".txt")


def _build_wheel(dist: Path) -> Path:
    base = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist)]
    proc = _run([*base, "--no-build-isolation", str(REPO)])
    if proc.returncode != 0 and "hatchling" in (proc.stdout + proc.stderr).lower():
        # The build backend is not installed here: let pip fetch it in an isolated env.
        proc = _run([*base, str(REPO)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wheels = sorted(dist.glob("summit_reader-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _venv_paths(venv: Path) -> tuple[Path, Path]:
    if os.name == "nt":
        return venv / "Scripts" / "python.exe", venv / "Scripts" / "summit-reader.exe"
    return venv / "bin" / "python", venv / "bin" / "summit-reader"


def _clean_env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SUMMIT_READER_") and k not in {"PYTHONPATH", "PYTHONHOME"}
    }
    env["SUMMIT_READER_HOME"] = str(home)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _is_inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def test_wheel_ships_seeds_and_installs(tmp_path: Path) -> None:
    seeds = _seed_files()
    assert len(seeds) == 5

    wheel = _build_wheel(tmp_path / "dist")

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "summitreader/core/clean.py" in names
        assert "summitreader/cli.py" in names
        # Every screen's CSS: the library's is read at start, the others when first shown.
        sheets = {p.relative_to(REPO / "src").as_posix() for p in (REPO / "src").rglob("*.tcss")}
        assert len(sheets) >= 4 and sheets <= names, sheets - names
        shipped = {n for n in names if n.startswith("summitreader/seeds/") and not n.endswith("/")}
        assert shipped == {f"summitreader/seeds/{p.name}" for p in seeds}
        for path in seeds:
            assert archive.read(f"summitreader/seeds/{path.name}") == path.read_bytes(), path

    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)])
    assert made.returncode == 0, made.stdout + made.stderr
    python, script = _venv_paths(venv)

    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    env = _clean_env(home)

    installed = _run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--force-reinstall",
            "--disable-pip-version-check",
            str(wheel),
        ],
        cwd=work,
        env=env,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert script.exists()

    # The installed package, and its seeds, are the venv's, not the source tree's.
    where = _run(
        [
            str(python),
            "-c",
            "import summitreader, summitreader.core.library as l; "
            "print(summitreader.__file__); print(l.bundled_seeds_dir())",
        ],
        cwd=work,
        env=env,
    )
    assert where.returncode == 0, where.stderr
    package_file, seeds_dir = (Path(line) for line in where.stdout.splitlines())
    for path in (package_file, seeds_dir):
        assert _is_inside(path, venv), path
        assert not _is_inside(path, REPO), path
    assert sorted(p.name for p in seeds_dir.iterdir()) == [p.name for p in seeds]

    ids = [article_id(p) for p in seeds]

    listed = _run([str(script), "list"], cwd=work, env=env)
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr
    for ident in ids:
        assert ident in listed.stdout

    listed_json = _run([str(script), "list", "--json"], cwd=work, env=env)
    assert listed_json.returncode == 0, listed_json.stderr
    assert [row["id"] for row in json.loads(listed_json.stdout)] == ids

    for ident in (ids[0], ids[-1]):
        shown = _run([str(script), "show", ident], cwd=work, env=env)
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.strip()
        as_json = _run([str(script), "show", "--json", ident], cwd=work, env=env)
        assert as_json.returncode == 0, as_json.stderr
        assert json.loads(as_json.stdout)["id"] == ident

    # Nothing was written into the working directory by listing or showing.
    assert list(work.iterdir()) == []

    # The note commands work from the installed package too: highlight, list, edit,
    # delete, and re-anchoring after the user's own capture is edited.
    def cli(*argv: str) -> subprocess.CompletedProcess[str]:
        done = _run([str(script), *argv], cwd=work, env=env)
        assert done.returncode == 0, done.stderr
        return done

    own = tmp_path / "own.txt"
    paragraphs = [
        "Ferry operator cancels weekend sailings to the island",
        "By Jane Doe",
        "The operator cancelled every sailing on Saturday after a fault was found on the ship.",
        "Islanders said the cancellation would cost local businesses thousands of pounds.",
    ]
    own.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    cli("add", str(own))
    mine = article_id(own)
    quote = "would cost local businesses thousands of pounds"
    note_id = cli("highlight", mine, quote, "--note", "check figure").stdout.strip()
    cli("note", note_id[:8], "--tag", "economy")
    stored = home / "data" / "library" / "own.txt"
    stored.write_text(
        "\n\n".join(
            [*paragraphs[:2], "A paragraph added when the page was updated.", *paragraphs[2:]]
        )
        + "\n",
        encoding="utf-8",
    )
    [item] = json.loads(cli("notes", "--json", mine).stdout)
    assert item["id"] == note_id and item["exact"] == quote
    assert item["status"] in ("moved", "exact") and item["tags"] == ["economy"]
    cli("delete", note_id[:8])
    assert json.loads(cli("notes", "--json").stdout) == []
