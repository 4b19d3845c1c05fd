"""The built wheel ships the seeds and works when installed outside the source tree.

Slow: builds a wheel, creates a virtual environment and installs the wheel into it. The
venv sees the current environment's packages (``--system-site-packages``) so the runtime
dependencies need not be downloaded; only the wheel under test is installed into it.

Where this machine can compile C extensions, the wheel holds the cleaner compiled by mypyc
(``hatch_build.py``), and the compiled cleaner must clean every capture exactly as the
source does; where it cannot, or when asked not to, the wheel is pure Python and says why.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from summitreader.core.clean import clean
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


#: The modules hatch_build.py compiles (read from it: the hook imports hatchling, which the
#: test environment need not have).
COMPILED: tuple[str, ...] = next(
    ast.literal_eval(node.value)
    for node in ast.parse((REPO / "hatch_build.py").read_text(encoding="utf-8")).body
    if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "COMPILED"
)
CORPORA = [REPO / "tests" / "core" / name for name in ("captures", "holdout", "final", "blind")]


def _build_wheel(dist: Path, env: dict[str, str] | None = None) -> tuple[Path, str]:
    """Build the wheel into ``dist``: its path, and pip's verbose log (the hook's messages)."""
    base = [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(dist)]
    proc = _run([*base, "--no-build-isolation", str(REPO)], env=env)
    log = proc.stdout + proc.stderr
    if proc.returncode != 0 and ("hatchling" in log.lower() or "No module named 'mypyc'" in log):
        # The build backend or the hook's needs are not installed here: let pip fetch them
        # into an isolated build environment.
        proc = _run([*base, str(REPO)], env=env)
        log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log
    wheels = sorted(dist.glob("summit_reader-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0], log


def _can_compile() -> bool:
    """Whether this Python can build C extensions here: a C compiler and its own headers."""
    compiler = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return shutil.which(compiler) is not None and headers.is_file()


def _compiled_modules(names: set[str]) -> set[str]:
    """The package modules of a wheel's file names that are compiled extensions."""
    return {
        n.removeprefix("summitreader/core/").partition(".")[0]
        for n in names
        if n.startswith("summitreader/core/") and n.endswith((".so", ".pyd"))
    }


# Cleans each file named on the command line and prints what it made of it, as JSON.
_CLEAN_EACH = """
import json, sys
from pathlib import Path
import summitreader.core.clean as module
out = {p: module.clean(Path(p).read_text(encoding="utf-8")).to_dict() for p in sys.argv[1:]}
print(json.dumps({"cleaner": module.__file__, "articles": out}))
"""


def _captures_to_compare(folder: Path) -> list[Path]:
    """Every capture the repository holds, and generated ones that test the cleaner's edges."""
    made = {
        "hostile.txt": "Headline \x1b[31mred\x1b]0;title\x07\u202eevil\u202c [b]x[/b]\n\n"
        + "By Jane\x00 Doe\x9b1m | 2024-06-19\r\n\u2028Share\u00a0 Facebook  Twitter\n\n"
        + "The talks \x1b[2J went on \x85for hours and ended with a signed treaty.\n",
        "one-line.txt": "word " * 50_000,
        "short-lines.txt": "\n".join(f"Line {i} of it." for i in range(5_000)),
        "blank.txt": "\n\n \t\n",
        "unspaced.txt": "北朝鮮とロシアの首脳会談\n\n" + "平壌で会談が行われた。" * 40,
    }
    folder.mkdir()
    for name, text in made.items():
        (folder / name).write_text(text, encoding="utf-8")
    files = [p for d in (SEEDS, *CORPORA) for p in sorted(d.glob("*.txt"))]
    return files + sorted(folder.iterdir())


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

    wheel, log = _build_wheel(tmp_path / "dist")

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        # Compiled wherever it can be: the cleaner's speed target is met by the compiled one.
        assert _compiled_modules(names) == (set(COMPILED) if _can_compile() else set()), log
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

    # The installed cleaner, compiled or not, cleans every capture as the source does.
    files = _captures_to_compare(tmp_path / "generated")
    cleaned = _run([str(python), "-c", _CLEAN_EACH, *map(str, files)], cwd=work, env=env)
    assert cleaned.returncode == 0, cleaned.stderr
    answer = json.loads(cleaned.stdout)
    cleaner = Path(answer["cleaner"])
    assert _is_inside(cleaner, venv), cleaner
    assert (cleaner.suffix in (".so", ".pyd")) == _can_compile(), cleaner
    for path in files:
        want = clean(path.read_text(encoding="utf-8")).to_dict()
        assert answer["articles"][str(path)] == want, path

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


@pytest.mark.parametrize(
    ("setting", "reason"),
    [
        ({"SUMMIT_READER_PURE": "1"}, "SUMMIT_READER_PURE is set"),
        ({"CC": "false"}, "compiling failed"),
    ],
    ids=["asked", "no-compiler"],
)
def test_the_wheel_is_pure_python_when_asked_or_when_it_cannot_compile(
    tmp_path: Path, setting: dict[str, str], reason: str
) -> None:
    """Compiling is a speed-up, never a requirement: the build goes on without it, and says so."""
    env = {**os.environ, **setting}
    wheel, log = _build_wheel(tmp_path / "dist", env=env)
    assert wheel.name.endswith("-py3-none-any.whl"), wheel.name
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert _compiled_modules(names) == set()
    assert {f"summitreader/core/{name}.py" for name in COMPILED} <= names
    assert "summit-reader: cleaner left pure Python" in log and reason in log, log
