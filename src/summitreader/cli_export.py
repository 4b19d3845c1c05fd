"""The export and import commands of the CLI.

Kept apart from :mod:`summitreader.cli`, like the note commands, so that ``list`` and
``show`` start without loading the store or the export formats. Every error is one line on
stderr and exit code 2, and nothing is written when a command fails.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from summitreader.cli import EXIT_USAGE, PROG
from summitreader.core.export import (
    ExportError,
    Format,
    check_file_target,
    gather,
    import_annotations,
    parse_import,
    render,
    write_file,
    write_folder,
)
from summitreader.core.library import Library, LibraryError
from summitreader.core.store import Store, StoreError
from summitreader.core.textio import MAX_BYTES, display_name


def run(command: str, args: argparse.Namespace) -> int:
    """Run ``export`` or ``import``; returns the exit code."""
    try:
        if command == "export":
            return _export(args)
        return _import(args)
    except (StoreError, ExportError, LibraryError) as exc:
        return _fail(str(exc))


def _fail(message: str) -> int:
    print(f"{PROG}: error: {display_name(message)}", file=sys.stderr)
    return EXIT_USAGE


def _warn(message: str) -> None:
    print(f"{PROG}: warning: {display_name(message)}", file=sys.stderr)


def _open_store() -> Store:
    store = Store()
    for notice in store.notices:
        _warn(notice)
    return store


def _is_folder(output: str) -> bool:
    """``-o DIR/`` (or an existing folder) means one file per article."""
    return output.endswith(("/", os.sep)) or Path(output).expanduser().is_dir()


def _export(args: argparse.Namespace) -> int:
    if args.all and args.articles:
        return _fail("name the articles to export or give --all, not both")
    if not args.all and not args.articles:
        return _fail("name the articles to export, or give --all for every article with notes")
    fmt: Format = args.format
    output: str | None = args.output
    if output is not None and not _is_folder(output):
        check_file_target(Path(output).expanduser())  # before anything is resolved or saved
    library = Library.from_environment(args.library)
    entries = library.entries()
    chosen = [library.find(ref) for ref in args.articles]
    known = {entry.id for entry in entries}
    # A capture file outside the library can be exported too: its notes are keyed by its id.
    everything = [*entries, *(entry for entry in chosen if entry.id not in known)]
    with _open_store() as store:
        groups = gather(store, everything, [entry.id for entry in chosen] if chosen else None)
    if output is None:
        sys.stdout.write(render(groups, fmt))
        return 0
    notes = sum(len(group.notes) for group in groups)
    if _is_folder(output):
        if not groups:
            print("nothing to export: no article has notes")
            return 0
        for path in write_folder(Path(output).expanduser(), groups, fmt):
            print(f"wrote {display_name(path)}")
        return 0
    path = write_file(Path(output).expanduser(), render(groups, fmt))
    articles = "article" if len(groups) == 1 else "articles"
    print(f"wrote {display_name(path)} ({notes} notes from {len(groups)} {articles})")
    return 0


def _read(name: str) -> bytes:
    """The bytes of ``FILE`` (``-`` is standard input), no more than the size limit + 1."""
    if name == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    path = Path(name).expanduser()
    try:
        if not path.exists():
            raise ExportError(f"file not found: {display_name(path)}")
        if not path.is_file():
            raise ExportError(f"{display_name(path)} is not a regular file")
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ExportError(f"cannot read {display_name(path)}: {exc.strerror or exc}") from None


def _import(args: argparse.Namespace) -> int:
    name = "standard input" if args.file == "-" else display_name(args.file)
    annotations = parse_import(_read(args.file), name)
    entries = Library.from_environment(args.library).entries()
    with _open_store() as store:
        report = import_annotations(store, entries, annotations)
    print(
        f"imported {len(annotations)} notes from {name}: {report.added} added, "
        f"{report.updated} updated, {report.unchanged} unchanged"
        + (f", {len(report.kept)} kept" if report.kept else "")
    )
    if report.kept:
        listed = ", ".join(ident[:8] for ident in report.kept[:5])
        _warn(
            f"{len(report.kept)} notes were changed here after this export and were kept as "
            f"they are: {listed}{' …' if len(report.kept) > 5 else ''}"
        )
    if report.missing:
        listed = ", ".join(report.missing[:5])
        _warn(
            f"{report.on_missing} notes are on articles not in the library ({listed}"
            f"{' …' if len(report.missing) > 5 else ''}); they were kept as orphans"
        )
    if report.not_found:
        _warn(
            f"{report.not_found} notes could not be found in their article's current text; "
            "they were kept as orphans (see 'summit-reader notes --orphans')"
        )
    return 0
