"""The ``summit-reader`` command line.

Subcommands work on the core only, so ``list`` and ``show`` start without importing Textual;
only ``read`` (and a bare ``summit-reader`` on a terminal) imports the UI package.
Global options (``--library``, ``--db``) are accepted before or after the subcommand. Every
user error is one line on stderr and exit code 2; nothing prints a traceback unless
``SUMMIT_READER_DEBUG`` is set.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, NoReturn, TextIO

from summitreader import __version__
from summitreader.core import locations
from summitreader.core.library import Library, LibraryEntry, LibraryError, bundled_seeds_dir
from summitreader.core.textio import MAX_BYTES, display_name, json_for_terminal

if TYPE_CHECKING:
    # argparse (and textwrap) load only when there are arguments to parse: the bare
    # ``summit-reader`` that opens the reader needs no parser (see ``main``).
    import argparse

PROG = "summit-reader"
_NOTE_COMMANDS = frozenset({"highlight", "notes", "note", "delete", "undelete"})
_EXPORT_COMMANDS = frozenset({"export", "import"})
EXIT_USAGE = 2


def _parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    class _Parser(argparse.ArgumentParser):
        """argparse with one-line errors: the brief says bad input gets one clear line."""

        def error(self, message: str) -> NoReturn:
            self.exit(EXIT_USAGE, f"{PROG}: error: {message} (see '{self.prog} --help')\n")

    return _Parser


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    import argparse

    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--library",
        metavar="DIR",
        type=Path,
        default=default,
        help="read the captures in DIR instead of the bundled and user articles "
        f"(also ${locations.LIBRARY_ENV})",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        default=default,
        help=f"the notes store file (also ${locations.DB_ENV})",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; global options are repeated on every subcommand."""
    _Parser = _parser_class()  # noqa: N806 - a class
    parser = _Parser(
        prog=PROG,
        description="A keyboard-driven reader for news coverage of one event. "
        "With no command, opens the reader on a terminal and lists the library otherwise.",
        epilog=f"Every data path moves under ${locations.HOME_ENV} when it is set.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _global_options(sub, suppress=True)
        return sub

    listing = command("list", "List the articles: id, date, source, words, title.")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")

    show = command("show", "Show one article, cleaned: header, then the body.")
    show.add_argument("article", help="an id, an unambiguous id prefix, or a capture file")
    show.add_argument("--json", action="store_true", help="print the article as JSON")
    show.add_argument("--removed", action="store_true", help="also list what was stripped, and why")
    show.add_argument(
        "--width",
        type=int,
        default=None,
        metavar="N",
        help="wrap the text at N columns (default: terminal width, at most 80; 0: no wrap)",
    )

    read = command("read", "Open the reader (the full-screen interface).")
    read.add_argument(
        "article", nargs="?", help="open this article straight away (an id, a prefix or a file)"
    )

    command("dirs", "Print where the library, the notes store and other data live.")

    colors = "yellow, green, blue, pink, purple"
    highlight = command(
        "highlight",
        "Highlight a quote in an article; prints the new note's id.",
    )
    highlight.add_argument("article", help="an id, an id prefix, or a capture file")
    highlight.add_argument("quote", help="the exact words to highlight")
    highlight.add_argument("--note", default="", metavar="TEXT", help="a note (Markdown)")
    highlight.add_argument("--color", default="yellow", metavar="C", help=f"one of {colors}")
    highlight.add_argument(
        "--tag", action="append", default=[], metavar="T", help="a tag (repeat for more)"
    )
    highlight.add_argument(
        "--occurrence", type=int, metavar="N", help="which occurrence, when the quote repeats"
    )

    notes = command("notes", "List highlights and notes in reading order, with their status.")
    notes.add_argument("article", nargs="?", help="only this article")
    notes.add_argument("--json", action="store_true", help="print JSON")
    notes.add_argument("--orphans", action="store_true", help="only notes whose text is gone")

    note = command("note", "Change a note: its text, tags or colour.")
    note.add_argument("id", help="a note id or an unambiguous prefix")
    note.add_argument("--set", metavar="TEXT", help="replace the note text")
    note.add_argument("--tag", action="append", default=[], metavar="T", help="add a tag")
    note.add_argument("--untag", action="append", default=[], metavar="T", help="remove a tag")
    note.add_argument("--color", metavar="C", help=f"one of {colors}")

    delete = command("delete", "Delete a note (undo with 'summit-reader undelete').")
    delete.add_argument("id", help="a note id or an unambiguous prefix")
    undelete = command("undelete", "Bring back a deleted note (the last one by default).")
    undelete.add_argument("id", nargs="?", help="a deleted note's id")

    export = command(
        "export",
        "Export highlights and notes as Markdown or W3C Web Annotations (to stdout by default).",
    )
    export.add_argument(
        "articles", nargs="*", metavar="ARTICLE", help="the articles to export (ids or prefixes)"
    )
    export.add_argument(
        "--all", action="store_true", help="every article that has notes, in library order"
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write to this file; a folder (ending in /) gets one file per article",
    )
    export.add_argument(
        "--format",
        choices=("markdown", "w3c"),
        default="markdown",
        help="Markdown for reading (default), or a W3C JSON-LD collection for other tools",
    )
    import_ = command(
        "import",
        "Import a W3C annotation export: new notes are added, known ones updated.",
    )
    import_.add_argument("file", metavar="FILE", help="a file written by 'export --format w3c'")

    add = command(
        "add",
        "Copy capture files into the user library (the same content twice is skipped).",
    )
    add.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="text files to add")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code.

    With no arguments at all (the reader, in a terminal) the parser is not even built:
    argparse and building the parser cost about 5 ms of the reader's start, and the
    answer is known (:func:`bare_arguments`, checked against the parser by the tests).
    """
    given = sys.argv[1:] if argv is None else list(argv)
    args = bare_arguments() if not given else build_parser().parse_args(given)
    if args.library is not None:
        args.library = args.library.expanduser()
    if args.db is not None:
        args.db = args.db.expanduser()
        os.environ[locations.DB_ENV] = str(args.db)
    try:
        return _dispatch(args)
    except LibraryError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (``| head``): not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the last guard against a traceback
        if os.environ.get("SUMMIT_READER_DEBUG"):
            raise
        return _fail(f"internal error: {type(exc).__name__}: {exc}", code=1)


def bare_arguments() -> argparse.Namespace:
    """What the parser makes of no arguments at all."""
    return SimpleNamespace(library=None, db=None, command=None)  # type: ignore[return-value]


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"{PROG}: error: {display_name(message)}", file=sys.stderr)
    return code


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command or ("read" if _interactive() else "list")
    if command == "dirs":
        return _cmd_dirs(args)
    if command in _NOTE_COMMANDS:
        from summitreader import cli_notes  # the store and matching load only when needed

        return cli_notes.run(command, args)
    if command in _EXPORT_COMMANDS:
        from summitreader import cli_export  # the store and the formats load only when needed

        return cli_export.run(command, args)
    library = Library.from_environment(args.library)
    if command == "add":
        return _cmd_add(library, args.paths)
    if command == "read":
        return _cmd_read(library, getattr(args, "article", None))
    if command == "show":
        entry = library.find(args.article)
        _warn(entry.warnings)
        return _cmd_show(entry, args)
    return _cmd_list(library, json_output=getattr(args, "json", False))


def _interactive() -> bool:
    """Whether a person is at a terminal: only then does a bare command open the reader."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # replaced or closed streams
        return False


def _cmd_read(library: Library, article: str | None) -> int:
    """Run the reader. Textual is imported here and only here."""
    start = library.find(article) if article else None
    if start is not None:
        _warn(start.warnings)
    from summitreader.ui.app import make_app

    app = make_app(library, start=start)
    try:
        app.run()
    finally:
        if app.store is not None:
            app.store.close()
    if app.exit_note:  # where highlight changes that could not be saved went
        print(app.exit_note, file=sys.stderr)
    return app.return_code or 0


def _warn(messages: Sequence[str]) -> None:
    for message in messages:
        print(f"{PROG}: warning: {display_name(message)}", file=sys.stderr)


def _cmd_list(library: Library, *, json_output: bool) -> int:
    entries = library.entries()
    _warn(library.problems)
    if json_output:
        rows = [
            {
                "id": e.id,
                "title": e.article.title,
                "source": e.article.source,
                "byline": e.article.byline,
                "date": e.article.date,
                "words": e.article.words,
                "origin": e.origin,
                "hash": e.hash,
            }
            for e in entries
        ]
        print(json_for_terminal(rows))
        return 0
    if not entries:
        print("The library is empty. Add captures with: summit-reader add FILE...")
        return 0
    width = shutil.get_terminal_size((100, 24)).columns
    out = sys.stdout
    out.write(f"{'ID':8}  {'DATE':10}  {'SOURCE':18}  {'WORDS':>5}  TITLE\n")
    for e in entries:
        a = e.article
        source = _clip(a.source or "—", 18)
        prefix = f"{e.id:8}  {a.date or '—':10}  {source:18}  {a.words:>5}  "
        out.write(prefix + _clip(a.title, max(20, width - len(prefix) - 1)) + "\n")
    return 0


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _cmd_show(entry: LibraryEntry, args: argparse.Namespace) -> int:
    article = entry.article
    if args.json:
        data = {"id": entry.id, **article.to_json(), "words": article.words}
        print(json_for_terminal(data))
        return 0
    width = args.width
    if width is None:
        width = min(80, shutil.get_terminal_size((80, 24)).columns)
    render_article(entry, sys.stdout, width=width, removed=args.removed)
    return 0


def render_article(entry: LibraryEntry, out: TextIO, *, width: int, removed: bool) -> None:
    """Write the article as readable plain text: header, rule, body, optional chrome list."""
    article = entry.article

    def wrap(text: str, indent: str = "") -> str:
        if width <= 0:
            return indent + text
        import textwrap

        return textwrap.fill(
            text,
            width=width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_on_hyphens=False,
        )

    out.write(wrap(article.title) + "\n")
    details = [
        x for x in (article.source, article.byline and f"By {article.byline}", article.date) if x
    ]
    if details:
        out.write(wrap(" · ".join(details)) + "\n")
    if article.dek:
        out.write("\n" + wrap(article.dek) + "\n")
    out.write("\n" + "─" * (width if width > 0 else 40) + "\n")
    for paragraph in article.paragraphs:
        if paragraph.kind == "heading":
            out.write("\n" + wrap(paragraph.text.upper()) + "\n")
        else:
            out.write("\n" + wrap(paragraph.text) + "\n")
    if removed:
        out.write("\n" + "─" * (width if width > 0 else 40) + "\n")
        out.write(f"Removed ({len(article.removed)}):\n")
        for item in article.removed:
            out.write(wrap(f"[{item.reason}] {item.text}", indent="  ") + "\n")


def _cmd_dirs(args: argparse.Namespace) -> int:
    folder = args.library or locations.library_override()
    rows = [
        ("data", locations.data_dir()),
        ("library", folder if folder else locations.user_library_dir()),
        ("bundled", None if folder else bundled_seeds_dir()),
        ("notes store", locations.store_path()),
        ("cache", locations.cache_dir()),
        ("config", locations.config_dir()),
        ("exports", locations.documents_dir()),
    ]
    for label, path in rows:
        if path is not None:
            print(f"{label + ':':13}{display_name(path)}")
    return 0


def _cmd_add(library: Library, paths: Sequence[Path]) -> int:
    failed = False
    for result in library.add(paths):
        name = display_name(result.path)
        if result.status == "error":
            failed = True
            print(f"{PROG}: error: {display_name(result.message)}", file=sys.stderr)
        elif result.entry is not None:
            _warn(result.entry.warnings)
            title = _clip(result.entry.article.title, 60)
            if result.status == "duplicate":
                print(
                    f"{name}: already in the library as {result.entry.id} ({title}); nothing added"
                )
            else:
                print(f"added {result.entry.id}  {title}")
    return EXIT_USAGE if failed else 0


__all__ = ["main", "build_parser", "render_article", "MAX_BYTES"]
