"""The note-taking commands of the CLI: highlight, notes, note, delete, undelete.

Kept apart from :mod:`summitreader.cli` so that ``list`` and ``show`` start without loading
the store, the lock or the approximate matcher. Every error is one line on stderr and exit
code 2, and nothing is written when a command fails.
"""

from __future__ import annotations

import argparse
import sys

from summitreader.cli import EXIT_USAGE, PROG
from summitreader.core.annotations import COLORS, AnnotationError, normalize_tags
from summitreader.core.library import Library, LibraryError
from summitreader.core.notes import NotesError, ResolvedNote, create_highlight, resolve_notes
from summitreader.core.store import Store, StoreError
from summitreader.core.textio import display_name, json_for_terminal


def run(command: str, args: argparse.Namespace) -> int:
    """Run one note command; returns the exit code."""
    try:
        with Store() as store:
            for notice in store.notices:
                print(f"{PROG}: warning: {display_name(notice)}", file=sys.stderr)
            if command == "highlight":
                return _highlight(store, args)
            if command == "notes":
                return _notes(store, args)
            if command == "note":
                return _edit(store, args)
            if command == "delete":
                deleted = store.delete(store.find(args.id).id)
                print(f"deleted {deleted.id} (undo with: {PROG} undelete {deleted.id[:8]})")
                return 0
            restored = store.undelete(args.id)
            if restored is None:
                return _fail("there is no deleted note to bring back")
            print(f"restored {restored.id}")
            return 0
    except (StoreError, NotesError, LibraryError, AnnotationError) as exc:
        return _fail(str(exc))


def _fail(message: str) -> int:
    print(f"{PROG}: error: {display_name(message)}", file=sys.stderr)
    return EXIT_USAGE


def _check_color(color: str | None) -> None:
    if color is not None and color not in COLORS:
        raise AnnotationError(f"unknown colour {color!r}; choose one of: {', '.join(COLORS)}")


def _highlight(store: Store, args: argparse.Namespace) -> int:
    _check_color(args.color)
    entry = Library.from_environment(args.library).find(args.article)
    annotation = create_highlight(
        store,
        entry,
        args.quote,
        occurrence=args.occurrence,
        note=args.note,
        color=args.color,
        tags=args.tag,
    )
    print(annotation.id)
    return 0


def _edit(store: Store, args: argparse.Namespace) -> int:
    _check_color(args.color)
    annotation = store.find(args.id)
    changes: dict[str, object] = {}
    if args.set is not None:
        changes["note"] = args.set
    if args.color is not None:
        changes["color"] = args.color
    if args.tag or args.untag:
        drop = {t.casefold() for t in normalize_tags(args.untag)}
        kept = [t for t in annotation.tags if t.casefold() not in drop]
        changes["tags"] = normalize_tags([*kept, *args.tag])
    if not changes:
        return _fail("nothing to change: give --set, --tag, --untag or --color")
    store.update(annotation.edited(**changes))
    print(f"updated {annotation.id}")
    return 0


def _notes(store: Store, args: argparse.Namespace) -> int:
    library = Library.from_environment(args.library)
    entries = library.entries()
    article_id = library.find(args.article).id if args.article else None
    notes = resolve_notes(store, entries, article_id=article_id)
    if args.orphans:
        notes = [n for n in notes if n.status == "orphan"]
    if args.json:
        print(json_for_terminal([_as_json(n) for n in notes]))
        return 0
    if not notes:
        print("No notes yet. Add one with: summit-reader highlight ARTICLE QUOTE")
        return 0
    current = None
    for note in notes:
        a = note.annotation
        if a.article_id != current:
            current = a.article_id
            title = note.entry.article.title if note.entry else "(article not in the library)"
            print(f"{a.article_id}  {display_name(title)}")
        quote = " ".join(a.exact.split())
        if len(quote) > 70:
            quote = quote[:69] + "…"
        tags = " ".join(f"#{t}" for t in a.tags)
        line = f"  {a.id[:8]}  {note.status:6}  {a.color:6}  “{quote}”  {tags}".rstrip()
        print(display_name(line))  # notes and tags are the user's verbatim text: made safe here
        if a.note:
            first = display_name(" ".join(a.note.split()))
            print(f"            {first[:90]}{'…' if len(first) > 90 else ''}")
    return 0


def _as_json(note: ResolvedNote) -> dict[str, object]:
    a = note.annotation
    return {
        "id": a.id,
        "article_id": a.article_id,
        "exact": a.exact,
        "start": note.anchor.start,
        "end": note.anchor.end,
        "status": note.status,
        "score": round(note.anchor.score, 3),
        "color": a.color,
        "note": a.note,
        "tags": list(a.tags),
        "created": a.created,
        "updated": a.updated,
    }
