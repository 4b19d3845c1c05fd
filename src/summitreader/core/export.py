"""Export and import: which notes, in which format, to which files.

The formats themselves live in :mod:`summitreader.core.export_md` (Markdown) and
:mod:`summitreader.core.w3c` (W3C Web Annotation); this module gathers the notes (resolved
against the current texts, so locations and orphans are up to date), names files, writes them
atomically and imports a W3C file into the store. The CLI and the reader both call it.
Pure core: no Textual, no Rich.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from summitreader.core import locations
from summitreader.core.anchoring import reanchor
from summitreader.core.annotations import Annotation
from summitreader.core.export_md import (
    COLLECTION_TITLE,
    ArticleNotes,
    article_markdown,
    collection_markdown,
)
from summitreader.core.files import write_atomic
from summitreader.core.library import LibraryEntry
from summitreader.core.notes import ResolvedNote, resolve_notes
from summitreader.core.store import Store
from summitreader.core.textio import MAX_BYTES, display_name
from summitreader.core.w3c import W3CError, collection, dumps, loads

Format = Literal["markdown", "w3c"]
FORMATS: tuple[Format, ...] = ("markdown", "w3c")
SUFFIXES: dict[Format, str] = {"markdown": ".md", "w3c": ".json"}
#: The file the reader writes when it exports every article at once.
ALL_NOTES_STEM = "summit-reader-notes"
#: The longest slug taken from a title, in characters (the id follows it).
SLUG_LENGTH = 60


class ExportError(Exception):
    """A one-line, user-facing problem with an export or an import."""


# -- gathering -------------------------------------------------------------------------------


def gather(
    store: Store,
    entries: Sequence[LibraryEntry],
    article_ids: Sequence[str] | None = None,
) -> list[ArticleNotes]:
    """The notes to export, grouped by article, each group in reading order.

    Args:
        store: the notes store; annotations whose article text changed are re-anchored
            and saved, as when listing notes.
        entries: the library, in its order.
        article_ids: export these articles, in this order, even those without notes; or,
            with ``None``, every article that has notes (library order, then articles no
            longer in the library, by id).
    """
    only = article_ids[0] if article_ids is not None and len(article_ids) == 1 else None
    notes = resolve_notes(store, entries, article_id=only)  # one article: resolve just its notes
    by_article: dict[str, list[ResolvedNote]] = {}
    for note in notes:
        by_article.setdefault(note.annotation.article_id, []).append(note)
    articles = {entry.id: entry for entry in entries}
    if article_ids is None:
        known = [entry.id for entry in entries if entry.id in by_article]
        gone = sorted(ident for ident in by_article if ident not in articles)
        wanted = known + gone
    else:
        wanted = list(dict.fromkeys(article_ids))
    groups: list[ArticleNotes] = []
    for ident in wanted:
        entry = articles.get(ident)
        found = by_article.get(ident, [])
        placed = sorted(
            (n for n in found if n.status != "orphan"),
            key=lambda n: (n.anchor.start, n.anchor.end, n.annotation.created, n.annotation.id),
        )
        orphans = sorted(
            (n for n in found if n.status == "orphan"),
            key=lambda n: (n.annotation.created, n.annotation.id),
        )
        article = entry.article if entry is not None else None
        groups.append(ArticleNotes(ident, article, (*placed, *orphans)))
    return groups


# -- rendering and naming ----------------------------------------------------------------------


def render(groups: Sequence[ArticleNotes], fmt: Format) -> str:
    """One document for ``groups``: an article's own export when there is one article."""
    if fmt == "w3c":
        annotations = [a for group in groups for a in group.annotations]
        label = groups[0].title if len(groups) == 1 else COLLECTION_TITLE
        return dumps(collection(annotations, label))
    if len(groups) == 1:
        return article_markdown(groups[0])
    return collection_markdown(groups)


def slug(title: str) -> str:
    """A readable file-name stem from a title: lower-case words joined by dashes.

    Only letters and digits survive (any script), so no separator, dot, control character
    or reserved name can reach the file system from a title.
    """
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", title).casefold())
    text = ""
    for word in words:
        joined = f"{text}-{word}" if text else word
        if len(joined) > SLUG_LENGTH:
            text = text or word[:SLUG_LENGTH]
            break
        text = joined
    return text or "article"


def file_name(group: ArticleNotes, fmt: Format) -> str:
    """``<title slug>-<article id>.md`` (or ``.json``): readable, unique, one path component."""
    ident = group.article_id
    if not re.fullmatch(r"[0-9a-z]{1,32}", ident):  # an id from another tool's IRI
        ident = hashlib.blake2b(ident.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    return f"{slug(group.title)}-{ident}{SUFFIXES[fmt]}"


# -- writing -----------------------------------------------------------------------------------


def check_file_target(path: Path) -> None:
    """Refuse a file export target before any work is done.

    Raises:
        ExportError: the path is a folder, its folder is missing, or it is the notes store.
    """
    if path.is_dir():
        raise ExportError(
            f"{display_name(path)} is a folder; end it with / to write one file per article"
        )
    if not path.parent.is_dir():
        raise ExportError(f"folder not found: {display_name(path.parent)}")
    if _same_file(path, locations.store_path()):
        raise ExportError(f"{display_name(path)} is the notes store; choose another file")


def write_file(path: Path, text: str) -> Path:
    """Write one export file atomically.

    Raises:
        ExportError: the target is refused by :func:`check_file_target`, or the disk refused.
    """
    check_file_target(path)
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise ExportError(f"cannot write {display_name(path)}: {exc.strerror or exc}") from None
    return path


def write_folder(folder: Path, groups: Sequence[ArticleNotes], fmt: Format) -> list[Path]:
    """One file per article in ``folder`` (created if needed); returns the paths written.

    Raises:
        ExportError: the folder cannot be made or written to.
    """
    make_folder(folder)
    written: list[Path] = []
    used: set[str] = set()
    for group in groups:
        name = file_name(group, fmt)
        stem, suffix = name[: -len(SUFFIXES[fmt])], SUFFIXES[fmt]
        number = 2
        while name.casefold() in used:
            name = f"{stem}-{number}{suffix}"
            number += 1
        used.add(name.casefold())
        written.append(write_file(folder / name, render([group], fmt)))
    return written


def make_folder(folder: Path) -> None:
    """Create ``folder`` and its parents if missing, or say in one line why it cannot be.

    Raises:
        ExportError: it cannot be made (a file in the way, no permission, a full disk).
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            f"cannot create folder {display_name(folder)}: {exc.strerror or exc}"
        ) from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@dataclass(frozen=True)
class Exported:
    """What an export from the reader wrote."""

    path: Path
    articles: int
    annotations: int


def export_to_documents(
    store: Store, entries: Sequence[LibraryEntry], entry: LibraryEntry | None = None
) -> Exported:
    """Export one article (or every article with notes) as Markdown to the documents folder.

    What the reader's export key does: one article goes to its own ``<slug>-<id>.md``,
    everything to ``summit-reader-notes.md``, in :func:`locations.documents_dir`. The
    article may be a capture read from outside the library.

    Raises:
        ExportError: the folder or file cannot be written.
        StoreError: the store cannot be read.
    """
    if entry is None:
        groups = gather(store, entries)
        name = f"{ALL_NOTES_STEM}{SUFFIXES['markdown']}"
    else:
        known = any(e.id == entry.id for e in entries)
        groups = gather(store, entries if known else [*entries, entry], [entry.id])
        name = file_name(groups[0], "markdown")
    folder = locations.documents_dir()
    make_folder(folder)
    path = write_file(folder / name, render(groups, "markdown"))
    return Exported(path, len(groups), sum(len(group.notes) for group in groups))


# -- importing ---------------------------------------------------------------------------------


def parse_import(data: bytes, name: str = "input") -> list[Annotation]:
    """The annotations in a W3C export file's bytes.

    Raises:
        ExportError: the file is too large, not text, or not a readable W3C export; one
            line naming the file and the problem.
    """
    if len(data) > MAX_BYTES:
        raise ExportError(f"cannot import {name}: the file is too large (the limit is 16 MiB)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError(
            f"cannot import {name}: not UTF-8 text (bad byte at offset {exc.start})"
        ) from None
    try:
        return loads(text)
    except W3CError as exc:
        raise ExportError(f"cannot import {name}: {exc}") from None


@dataclass(frozen=True)
class ImportReport:
    """What an import did.

    Attributes:
        added, updated, unchanged: how many annotations.
        kept: ids whose stored copy was changed more recently than the file's, and was kept.
        missing: the ids of articles not in the library; their annotations were kept as
            orphans.
        on_missing: how many imported annotations are on those articles.
        not_found: how many could not be found again in their article's current text (kept
            as orphans, with their quote).
    """

    added: int
    updated: int
    unchanged: int
    kept: tuple[str, ...]
    missing: tuple[str, ...]
    on_missing: int
    not_found: int


def import_annotations(
    store: Store, entries: Sequence[LibraryEntry], annotations: Sequence[Annotation]
) -> ImportReport:
    """Save imported annotations: new ids added, known ones updated, none duplicated.

    Each annotation is found again in its article's current text (as the reader would), so
    the store holds where it is now; one whose words are gone is kept as an orphan with its
    quote. One whose article is not in the library is kept unchanged: it is listed as an
    orphan until the article comes back, and is then found again as usual.

    Raises:
        StoreError: saving failed; nothing was changed.
    """
    texts = {entry.id: entry.article.text for entry in entries}
    placed: list[Annotation] = []
    missing: dict[str, None] = {}
    not_found = 0
    for annotation in annotations:
        text = texts.get(annotation.article_id)
        if text is None:  # left as it is, like resolve_notes does: the article may come back
            missing[annotation.article_id] = None
            placed.append(annotation)
            continue
        found = reanchor(annotation, text)[0]
        not_found += found.orphan
        placed.append(found)
    outcome = list(store.merge(placed).items())
    return ImportReport(
        added=sum(1 for _, result in outcome if result == "added"),
        updated=sum(1 for _, result in outcome if result == "updated"),
        unchanged=sum(1 for _, result in outcome if result == "unchanged"),
        kept=tuple(ident for ident, result in outcome if result == "kept"),
        missing=tuple(missing),
        on_missing=sum(1 for a in annotations if a.article_id not in texts),
        not_found=not_found,
    )
