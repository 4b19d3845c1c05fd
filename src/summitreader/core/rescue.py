"""Highlight changes the store refused, written out so that quitting never has to lose them.

When the notes store cannot be written (a read-only folder, a full disk, a store from a
newer version), the reader keeps its changes in memory and keeps trying. Asked to quit
before they could be saved, it offers to write them here instead: a W3C Web Annotation
collection (:mod:`summitreader.core.w3c`), the same format as ``export --format w3c``, so
``summit-reader import FILE`` merges them back once the store can be written again.

A deletion has no W3C form. It is counted, not written: the highlight is still in the
store, so skipping it loses nothing the reader made, only an undo of it. Pure core: no
Textual, no Rich.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from summitreader.core import locations, w3c
from summitreader.core.annotations import Annotation
from summitreader.core.files import write_new
from summitreader.core.store import utc_stamp

#: How rescue files are named: ``summit-reader-unsaved-<UTC time>.json``.
RESCUE_STEM = "summit-reader-unsaved"
#: Names tried in one folder before giving up on it (the same second, many times).
MAX_TRIES = 100


@dataclass(frozen=True)
class Rescue:
    """What a list of unsaved changes comes to.

    Attributes:
        annotations: the latest state of every highlight the changes add, edit or restore.
        deletions: highlights the changes delete that are still in the store.
    """

    annotations: tuple[Annotation, ...]
    deletions: int


def net_changes(changes: Iterable[tuple[str, Annotation]]) -> Rescue:
    """Fold ``(kind, annotation)`` changes, oldest first, into their end result.

    ``kind`` is ``add``, ``update``, ``delete`` or ``undelete``. A highlight added and then
    deleted while unsaved comes to nothing: the store never had it.
    """
    state: dict[str, Annotation | None] = {}
    created: set[str] = set()
    for kind, annotation in changes:
        if annotation.id not in state and kind == "add":
            created.add(annotation.id)
        state[annotation.id] = None if kind == "delete" else annotation
    kept = sorted(
        (a for a in state.values() if a is not None),
        key=lambda a: (a.article_id, a.selector.start, a.selector.end, a.id),
    )
    deletions = sum(1 for ident, a in state.items() if a is None and ident not in created)
    return Rescue(tuple(kept), deletions)


def write_rescue(annotations: Sequence[Annotation], folder: Path | None = None) -> Path:
    """Write ``annotations`` as a W3C collection to a new file; return its path.

    The file goes to ``folder`` (the documents folder by default) or, when that cannot be
    written, to a new private folder under the system's temp folder: the disk that refused
    the store may well refuse the documents folder too. The file is created 0600 under a
    fresh name, never over an existing file or through a symlink.

    Raises:
        OSError: neither place could be written; the error is the first place's.
    """
    label = f"summit-reader: highlight changes that could not be saved ({utc_stamp()})"
    data = w3c.dumps(w3c.collection(list(annotations), label)).encode("utf-8")
    target = folder if folder is not None else locations.documents_dir()
    try:
        target.mkdir(parents=True, exist_ok=True)
        return _write_fresh(target, data)
    except OSError as exc:
        first = exc
    try:
        return _write_fresh(Path(tempfile.mkdtemp(prefix=f"{RESCUE_STEM}-")), data)
    except OSError:
        raise first from None


def _write_fresh(folder: Path, data: bytes) -> Path:
    base = f"{RESCUE_STEM}-{utc_stamp()}"
    for number in range(1, MAX_TRIES + 1):
        path = folder / (f"{base}.json" if number == 1 else f"{base}-{number}.json")
        try:
            write_new(path, data)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"{MAX_TRIES} rescue files named {base}* already exist in {folder}")
