"""The notes store: highlights, notes, reading positions and preferences in one JSON file.

The file is a TinyDB database (``locations.store_path()``, normally
``<user data dir>/annotations.json``) with these tables, each document keyed by TinyDB's
numeric id::

    _meta        {"schema": 1}                                  one document
    annotations  Annotation.to_dict()
    trash        {"annotation": Annotation.to_dict(), "deleted": ISO 8601 UTC}
    positions    {"article_id": str, "offset": int}             one per article
    prefs        {"key": str, "value": any JSON value}           one per key

Why it is built this way (TinyDB's own ``JSONStorage`` rewrites the file in place and has no
locks, see the Pitfalls in STYLE.md):

* **Crash safety.** :class:`AtomicJSONStorage` writes a complete temp file next to the store,
  fsyncs it and renames it over the store, so a kill at any moment leaves the old file or the
  new one, never half of either. Temp files a killed writer left behind are removed at start.
* **Two running copies.** Every operation holds a cross-process lock (a sibling
  ``annotations.json.lock``) and starts from the file on disk; no query cache, no
  ``CachingMiddleware``, no remembered document ids. One copy never overwrites another's
  changes to other annotations, and each sees the other's as soon as they are made. Two
  copies changing the *same* annotation: the later write wins, whole (:meth:`Store.put`).
  Every write is recorded in a per-process journal (:mod:`summitreader.core.watch`) so
  the reader can tell another copy's changes from its own and reload only for those.
* **Fast at thousands of notes.** Each operation reads the whole file, but parses it only
  when its bytes differ from the version this process last read or wrote
  (:class:`_Snapshots`), and a write encodes only the runs of documents that changed since
  the last one (:func:`_encode`), in pieces short enough that the reader's UI thread is
  never held up for long (:data:`ENCODE_CHUNK`). A save into a store of 10,000 notes costs
  a fraction of ``json.dumps`` of the data plus the durable write;
  ``benchmarks/bench_store.py`` measures it, and the UI thread while saves run.
* **Every change is saved when it is made**; there is no save step to forget.
* **Nothing is lost silently.** A file we cannot read is moved aside, never overwritten or
  deleted, and :attr:`Store.notices` says where. A file from a newer version is opened
  read-only. Deleting moves the record to the ``trash`` table, so it can be undone.
* **Private, and never redirected.** The store, its temp files and its lock are created
  0600 whatever the umask, and a folder the store creates is 0700. Temp files are made with
  ``O_EXCL`` (a symlink planted at a guessable name is never followed) and the lock file is
  opened with ``O_NOFOLLOW`` (by filelock). A **store file that is itself a symbolic link**
  is read through but opened read-only: replacing it would silently cut the link (a synced
  or version-controlled notes file would stop receiving changes), and writing through it
  would let whoever planted it choose which file gets overwritten. ``SUMMIT_READER_DB``
  pointed at the real file is the way to use a store that lives elsewhere. Only a regular
  file is ever read: a FIFO or a device at the store's name is moved aside, never waited on.

An **empty (0-byte) file counts as a fresh store**, with a notice. That is safe: zero bytes
hold no notes, so replacing them on the first change loses nothing, and moving them aside
would keep nothing. This module never produces such a file (it never creates the store on
open and only ever renames a complete, fsynced file into place), so an empty file comes from
elsewhere (``touch``, TinyDB's stock storage, which creates the file on open, or a filesystem
that lost an un-synced write); the notice is there because in the last case it may be the
only trace of lost notes.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import json
import operator
import os
import re
import stat
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from summitreader.core import locations
from summitreader.core.annotations import (
    COLORS,
    Annotation,
    AnnotationError,
    now_iso,
)
from summitreader.core.files import fsync_dir, write_atomic
from summitreader.core.jsonshape import json_kind, short_repr
from summitreader.core.textio import display_name
from summitreader.core.watch import OWN_WRITES, WriteJournal, file_signature

if TYPE_CHECKING:  # imported on the first lock: the reader's first frame does not need it
    from filelock import FileLock

RawData = dict[str, dict[str, Any]]
#: What :meth:`Store.merge` did with one annotation.
MergeOutcome = Literal["added", "updated", "unchanged", "kept"]

#: The layout this version reads and writes. Bump it, and add a :data:`MIGRATIONS` step,
#: whenever the stored shape changes.
SCHEMA_VERSION = 1

#: ``MIGRATIONS[n]`` upgrades raw data (the whole file, as parsed) from schema ``n`` to
#: ``n + 1``; it may change its argument in place. The store records the new version itself
#: after each step, and writes the result back (under the lock) when it opens an older file.
MIGRATIONS: dict[int, Callable[[RawData], RawData]] = {}

#: Seconds to wait for another running copy to finish a change before giving up.
LOCK_TIMEOUT = 15.0
#: Deleted annotations kept for undo; older ones are dropped for good.
TRASH_LIMIT = 100
#: The shortest id prefix :meth:`Store.find` accepts.
MIN_PREFIX = 4

META = "_meta"
ANNOTATIONS = "annotations"
TRASH = "trash"
POSITIONS = "positions"
PREFS = "prefs"

_DOC_ID = re.compile(r"[1-9][0-9]*")


class StoreError(Exception):
    """A problem with the notes store, worded for the user on one line."""


class _Unreadable(StoreError):
    """The file is not valid JSON or not our layout; :attr:`reason` says why, on one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the notes store is unreadable: {reason}")
        self.reason = reason


# -- what this process last read or wrote ---------------------------------------------------


class _Snapshots:
    """The last version of each store file this process read or wrote: its bytes and data.

    Every operation still reads the whole file under the lock, but parsing and checking
    10,000 notes costs ten times what reading the bytes does, so the data is remembered
    with the exact bytes it came from and reused when the file holds those bytes still.
    Comparing bytes, not a ``stat`` signature, means another copy's write is always seen,
    however it was made and however fast (see :mod:`summitreader.core.watch` for what a
    signature can miss); what is reused is exactly what parsing the file would give.

    With each version written, the pieces it was encoded from are kept (:class:`_Run`),
    so the next write encodes only the documents that changed.

    Shared by every :class:`Store` of the process (the reader opens one per worker) and
    used only under the store's lock, which one thread holds at a time. The data handed
    out is shared: readers must not change it, and a writing operation takes it out
    (:meth:`take`) and puts back what it wrote (:meth:`remember`), or nothing if it fails.
    No operation changes a document in place (each one replaces documents whole), which
    is what lets a piece be reused when its documents are the same objects.

    Args:
        limit: store files remembered at once; the oldest is dropped.
    """

    def __init__(self, limit: int = 4) -> None:
        self._lock = threading.Lock()
        self._limit = limit
        self._known: OrderedDict[str, tuple[bytes, RawData]] = OrderedDict()
        self._pieces: dict[str, _Pieces] = {}

    def get(self, path: Path, raw: bytes) -> RawData | None:
        """The data parsed from ``raw``, if ``raw`` is the version of ``path`` last seen."""
        with self._lock:
            known = self._known.get(_path_key(path))
        if known is None or known[0] != raw:
            return None
        return known[1]

    def pieces(self, path: Path) -> _Pieces:
        """The pieces the last write to ``path`` was made of (empty if none is known)."""
        with self._lock:
            return self._pieces.get(_path_key(path), {})

    def remember(
        self, path: Path, raw: bytes, data: RawData, pieces: _Pieces | None = None
    ) -> None:
        """``data`` is what the file at ``path`` holds as ``raw``: checked, current schema.

        ``pieces`` are what ``raw`` was encoded from, when it was written here; ``None``
        keeps the pieces known (the data was taken and put back unchanged).
        """
        key = _path_key(path)
        with self._lock:
            self._known[key] = (raw, data)
            self._known.move_to_end(key)
            if pieces is not None:
                self._pieces[key] = pieces
            while len(self._known) > self._limit:
                dropped, _ = self._known.popitem(last=False)
                self._pieces.pop(dropped, None)

    def take(self, path: Path) -> tuple[bytes, RawData] | None:
        """Forget ``path``'s version and return it: its data is about to be changed."""
        with self._lock:
            return self._known.pop(_path_key(path), None)

    def forget(self, path: Path) -> None:
        """Forget all about ``path`` (it is being replaced)."""
        key = _path_key(path)
        with self._lock:
            self._known.pop(key, None)
            self._pieces.pop(key, None)


def _path_key(path: Path) -> str:
    return os.path.abspath(path)


#: What this process last read or wrote of each store file.
SNAPSHOTS = _Snapshots()


class _Notices:
    """What opening a store file did, kept per file for whoever shows it (thread-safe).

    A file moved aside or found empty is noticed by whichever ``Store`` opens it first,
    in whichever thread: the reader's loading worker, or a screen's worker that happened
    to be quicker. Each notice is also kept here, so the reader can tell the user every
    one, once, whatever opened the file (see :meth:`take`).
    """

    #: Notices kept per file; older ones are dropped (a process that never takes them,
    #: the CLI, needs none of them kept).
    LIMIT = 20

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[str, list[str]] = {}

    def add(self, path: Path, notice: str) -> None:
        with self._lock:
            kept = self._kept.setdefault(_path_key(path), [])
            kept.append(notice)
            del kept[: -self.LIMIT]

    def take(self, path: Path) -> list[str]:
        """The notices about ``path`` since the last call, oldest first."""
        with self._lock:
            return self._kept.pop(_path_key(path), [])


NOTICES = _Notices()


# -- the file --------------------------------------------------------------------------------


class AtomicJSONStorage(Storage):
    """A TinyDB storage that replaces the whole file atomically on every write.

    TinyDB calls :meth:`read` at the start of every operation and :meth:`write` at its end;
    this class keeps nothing in memory between the two, so another process's changes are
    always seen. It does not lock: :class:`Store` holds the lock around each operation.

    Args:
        path: the JSON file. It is not created until the first write.
        schema: if given, a ``_meta`` table ``{"schema": schema}`` is added to any data
            written without one, so every file this storage creates says what it holds.
        read_only: refuse every write (a file from a newer version must not be touched).
        journal: where each write is recorded as this process's own, so the reader's
            watcher (:mod:`summitreader.core.watch`) can tell it from another copy's;
            ``None`` records nothing.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        schema: int | None = None,
        read_only: bool = False,
        journal: WriteJournal | None = OWN_WRITES,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.schema = schema
        self.read_only = read_only
        self.journal = journal
        #: Writes made through this storage, so :class:`Store` can tell whether an
        #: operation wrote (and so whether the data it was handed still matches the file).
        self.writes = 0

    def read(self) -> RawData | None:
        """The parsed file, or ``None`` when it is missing or empty (a fresh store).

        Always from the file, never remembered: what TinyDB's own table operations use.

        Raises:
            StoreError: the file is not UTF-8 JSON in TinyDB's shape (objects of objects of
                objects, keyed by document number); the reason is in ``.reason``.
            OSError: the file exists but cannot be read.
        """
        raw = self.read_bytes()
        return None if raw is None else self.parse(raw)

    def read_bytes(self) -> bytes | None:
        """The file's bytes, or ``None`` when it is missing or empty (a fresh store).

        Raises:
            StoreError: it is not a regular file (a read-only storage gets ``None``).
            OSError: it exists but cannot be read.
        """
        try:
            raw = read_regular_bytes(self.path)
        except FileNotFoundError:
            return None
        except _NotRegular:
            if self.read_only:
                return None
            raise _Unreadable("not a regular file") from None
        return raw or None

    def parse(self, raw: bytes) -> RawData:
        """The data in the file's bytes, checked for TinyDB's shape (read-only: the part of
        it in that shape).

        Raises:
            StoreError: the bytes are not UTF-8 JSON in TinyDB's shape; see :meth:`read`.
        """
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Unreadable(f"not UTF-8 text (bad byte at offset {exc.start})") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _Unreadable(
                f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
            ) from None
        except (ValueError, RecursionError) as exc:  # a huge number, absurd nesting
            reason = _one_line(str(exc)) or type(exc).__name__
            raise _Unreadable(f"not valid JSON ({reason})") from None
        if self.read_only:
            return _understood_part(data)
        check_layout(data)
        return cast(RawData, data)

    def write(self, data: RawData) -> None:
        """Replace the file with ``data``: temp file, fsync, rename, fsync the folder.

        Raises:
            StoreError: the storage is read-only.
            OSError: the disk refused (full, read-only); the previous file is untouched.
        """
        if self.read_only:
            raise StoreError(f"{display_name(self.path)} is read-only; the change was not saved")
        if self.schema is not None and META not in data:
            data = {META: {"1": {"schema": self.schema}}, **data}
        encoded, pieces = _encode(data, SNAPSHOTS.pieces(self.path))
        # From here on, what was remembered of the file may no longer be what it holds.
        SNAPSHOTS.forget(self.path)
        if self.journal is None:
            write_atomic(self.path, encoded)
        else:
            # The store's lock is held: both signatures belong to this write and no other.
            self.journal.begin(self.path)
            before, after = file_signature(self.path), None
            try:
                write_atomic(self.path, encoded)
                after = file_signature(self.path)
            finally:
                self.journal.end(self.path, before, after)
        self.writes += 1
        SNAPSHOTS.remember(self.path, encoded, data, pieces)

    def close(self) -> None:
        """Nothing to release: no file stays open between operations."""


class _NotRegular(OSError):
    """A FIFO, device or folder where a file was expected."""


def read_regular(path: Path) -> str:
    """The UTF-8 text of ``path``, which must be a regular file.

    Raises:
        OSError: it cannot be opened or is not a regular file.
        UnicodeDecodeError: it is not UTF-8.
    """
    return read_regular_bytes(path).decode("utf-8")


def read_regular_bytes(path: Path) -> bytes:
    """The bytes of ``path``, which must be a regular file.

    Opened with ``O_NONBLOCK`` so that a FIFO planted at the name never hangs the reader
    (it changes nothing for a regular file), and checked on the open file, not the name.

    Raises:
        OSError: it cannot be opened or is not a regular file.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotRegular(f"{display_name(path)} is not a regular file")
        return handle.read()


#: Documents encoded per call to the ``json`` module when the store is written. Each call
#: holds the GIL throughout (the encoder is C code), so a 10,000-note store encoded in one
#: call would stop the reader's UI thread for tens of milliseconds; in pieces of this size
#: it gets the GIL back about every millisecond, at no cost in speed.
ENCODE_CHUNK = 256

#: Set by the test suite: every piece reused in a write is encoded again and compared, so
#: a document changed in place (which would make the piece stale) never goes unnoticed.
VERIFY_ENCODING = False

_UTF8 = json.JSONEncoder(ensure_ascii=False)
_ASCII = json.JSONEncoder(ensure_ascii=True)


@dataclass(frozen=True)
class _Run:
    """Consecutive documents of one table and their encoding, to reuse in the next write.

    Attributes:
        keys: the documents' keys, in table order.
        docs: the documents themselves (held, so their ids cannot be reused).
        encoded: ``"key": {...}, "key": {...}`` for them, in UTF-8.
    """

    keys: list[str]
    docs: list[Any]
    encoded: bytes


#: Per table, the runs of the last encoding by their first key.
_Pieces = dict[str, dict[str, _Run]]


def _encode(data: RawData, known: _Pieces | None = None) -> tuple[bytes, _Pieces]:
    """``json.dumps(data, ensure_ascii=False).encode("utf-8")``, and the pieces it was made of.

    The same bytes (a test checks it): plain UTF-8 JSON on one line, as TinyDB's own
    storage writes it. Each table is encoded in runs of up to :data:`ENCODE_CHUNK`
    documents (see there why); a run of ``known`` whose keys and documents (the very same
    objects) are still consecutive in the table is reused as it is, so a save into a
    store of thousands of notes encodes one run, not the whole store. A run holding a
    lone surrogate (from a broken paste) has no UTF-8 form: that run alone is written with
    ``\\u`` escapes, which keep the string exact and read back the same.
    """
    known = known or {}
    out: list[bytes] = [b"{"]
    pieces: _Pieces = {}
    for number, (name, table) in enumerate(data.items()):
        runs = _runs(table, known.get(name, {}))
        pieces[name] = {run.keys[0]: run for run in runs}
        out += (b", " if number else b"", _piece(name), b": {")
        for count, run in enumerate(runs):
            out += (b", " if count else b"", run.encoded)
        out.append(b"}")
    out.append(b"}")
    return b"".join(out), pieces  # the one copy of the whole file made in memory


def _runs(table: Mapping[str, Any], known: Mapping[str, _Run]) -> list[_Run]:
    """``table`` as runs of documents, reusing the ``known`` runs that still match."""
    keys, docs = list(table), list(table.values())
    runs: list[_Run] = []
    at, end = 0, len(keys)
    while at < end:
        run = known.get(keys[at])
        if run is not None:
            stop = at + len(run.keys)
            if keys[at:stop] == run.keys and all(map(operator.is_, docs[at:stop], run.docs)):
                if VERIFY_ENCODING and _encode_run(run.keys, run.docs) != run.encoded:
                    raise AssertionError(f"a document was changed in place (run {run.keys[0]})")
                runs.append(run)
                at = stop
                continue
        stop = at + 1  # a new run, up to the start of the next known one
        while stop < end and stop - at < ENCODE_CHUNK and keys[stop] not in known:
            stop += 1
        runs.append(_Run(keys[at:stop], docs[at:stop], _encode_run(keys[at:stop], docs[at:stop])))
        at = stop
    if known and len(runs) > 2 * (end // ENCODE_CHUNK) + 8:
        return _runs(table, {})  # worn into many small runs by edits: start afresh
    return runs


def _encode_run(keys: list[str], docs: list[Any]) -> bytes:
    return _piece(dict(zip(keys, docs, strict=True)))[1:-1]


def _piece(value: object) -> bytes:
    try:
        return _UTF8.encode(value).encode("utf-8")
    except UnicodeEncodeError:
        return _ASCII.encode(value).encode("ascii")


def check_layout(data: object) -> None:
    """Check that parsed JSON has TinyDB's shape, so TinyDB never crashes half-way.

    Raises:
        StoreError: it does not; the reason is in ``.reason``.
    """
    if not isinstance(data, dict):
        raise _Unreadable(f"the top level is {json_kind(data)}, not an object")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise _Unreadable(f"table {short_repr(name)} is {json_kind(table)}, not an object")
        for doc_id, doc in table.items():
            if not _DOC_ID.fullmatch(doc_id):
                raise _Unreadable(
                    f"table {short_repr(name)} has a bad document id {short_repr(doc_id)}"
                )
            if not isinstance(doc, dict):
                raise _Unreadable(
                    f"document {short_repr(doc_id)} in table {short_repr(name)} is "
                    f"{json_kind(doc)}, not an object"
                )


def _understood_part(data: object) -> RawData:
    """The part of ``data`` in TinyDB's shape: a newer file is shown as far as it can be."""
    if not isinstance(data, dict):
        return {}
    return {
        name: {k: doc for k, doc in table.items() if _DOC_ID.fullmatch(k) and isinstance(doc, dict)}
        for name, table in data.items()
        if isinstance(table, dict)
    }


def _declared_schema(path: Path) -> int:
    """The schema version a file claims, read leniently; 0 when it claims none."""
    try:
        data = json.loads(read_regular(path))
    except (OSError, ValueError, RecursionError):
        return 0
    meta = data.get(META) if isinstance(data, dict) else None
    docs = meta.values() if isinstance(meta, dict) else ()
    versions = [d.get("schema") for d in docs if isinstance(d, dict)]
    return max((cast(int, v) for v in versions if _is_count(v)), default=0)


def schema_of(data: RawData) -> int:
    """The schema version recorded in ``data``'s ``_meta`` table.

    Raises:
        StoreError: there is no single, positive integer version (not our file).
    """
    versions = [doc.get("schema") for doc in data.get(META, {}).values()]
    if not versions:
        raise _Unreadable("no schema version (is it a summit-reader notes file?)")
    version = versions[0]
    if len(versions) > 1 or not _is_count(version) or version < 1:
        raise _Unreadable(f"bad schema version {short_repr(versions)}")
    return cast(int, version)


def check_content(data: RawData) -> None:
    """Check every document of the current schema parses into what the store hands out.

    Raises:
        StoreError: one does not; the reason is in ``.reason``.
    """
    for doc_id, doc in data.get(ANNOTATIONS, {}).items():
        if not _as_written(doc):
            _parse(doc, f"annotation {doc_id}")
    for doc_id, doc in data.get(TRASH, {}).items():
        record = doc.get("annotation")
        if not isinstance(record, dict) or not isinstance(doc.get("deleted"), str):
            raise _Unreadable(f"trash entry {doc_id} is malformed")
        if not _as_written(record):
            _parse(record, f"trash entry {doc_id}")
    for doc_id, doc in data.get(POSITIONS, {}).items():
        if not isinstance(doc.get("article_id"), str) or not _is_count(doc.get("offset")):
            raise _Unreadable(f"reading position {doc_id} is malformed")
    for doc_id, doc in data.get(PREFS, {}).items():
        if not isinstance(doc.get("key"), str) or "value" not in doc:
            raise _Unreadable(f"preference {doc_id} is malformed")


def _as_written(doc: Any) -> bool:
    """Whether ``doc`` has exactly the fields and types the store writes (``to_dict``).

    Such a document always parses (``Annotation.from_dict`` cannot fail on it), so checking
    a file of them needs no objects built: a new process checks 10,000 notes in about 5 ms
    instead of about 45. Anything else (a field missing or added, a number where text
    belongs, an unknown colour) answers ``False`` and is checked by parsing it, which says
    what is wrong. Tested against the parser on generated documents.
    """
    try:
        selector = doc["selector"]
        return (
            doc.keys() == _WRITTEN_FIELDS
            and (
                type(doc["id"]),
                type(doc["article_id"]),
                type(doc["article_hash"]),
                type(doc["created"]),
                type(doc["updated"]),
                type(doc["note"]),
                type(doc["orphan"]),
                type(doc["tags"]),
                type(selector),
            )
            == _WRITTEN_TYPES
            and selector.keys() == _SELECTOR_FIELDS
            and (
                type(selector["exact"]),
                type(selector["prefix"]),
                type(selector["suffix"]),
                type(selector["start"]),
                type(selector["end"]),
            )
            == _SELECTOR_TYPES
            and doc["color"] in _COLOR_SET
            and all(type(tag) is str for tag in doc["tags"])
        )
    except (KeyError, TypeError, AttributeError):  # not a mapping, an unhashable colour
        return False


_COLOR_SET = frozenset(COLORS)
_WRITTEN_FIELDS = frozenset(
    ("id", "article_id", "article_hash", "selector", "color", "note", "tags")
    + ("created", "updated", "orphan")
)
_WRITTEN_TYPES = (str, str, str, str, str, str, bool, list, dict)
_SELECTOR_FIELDS = frozenset(("exact", "prefix", "suffix", "start", "end"))
_SELECTOR_TYPES = (str, str, str, int, int)


def _parse(record: Mapping[str, Any], what: str) -> Annotation:
    try:
        return Annotation.from_dict(record)
    except AnnotationError as exc:
        raise _Unreadable(f"{what}: {_one_line(str(exc))}") from None


def _annotation_or_none(record: Mapping[str, Any]) -> Annotation | None:
    # Content is checked under the lock before each read, so this only skips records of a
    # newer schema (read-only mode) that this version cannot understand.
    try:
        return Annotation.from_dict(record)
    except AnnotationError:
        return None


# -- small helpers ---------------------------------------------------------------------------


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _one_line(text: str) -> str:
    return " ".join(display_name(text).split())


def utc_stamp() -> str:
    """The current UTC time as ``20261123T124500Z``, for naming moved-aside files."""
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _key_of(table: Mapping[str, Mapping[str, Any]], field: str, value: object) -> str | None:
    for key, doc in table.items():
        if doc.get(field) == value:
            return key
    return None


def _matching(
    table: Mapping[str, Mapping[str, Any]], field: str, value: object
) -> list[Mapping[str, Any]]:
    """The documents whose ``field`` is ``value``, in table order (a TinyDB search)."""
    return [doc for doc in table.values() if doc.get(field) == value]


def _next_key(table: Mapping[str, Any]) -> str:
    return str(max((int(k) for k in table), default=0) + 1)


class _FreshIdTable(Table):
    """A table that works out each new document id from the file, never from memory.

    TinyDB remembers the next free id after the first insert; another process may have
    used that id since, and the insert would then fail.
    """

    def insert(self, document: Mapping[str, Any]) -> int:
        self._next_id = None
        return super().insert(document)

    def insert_multiple(self, documents: Iterable[Mapping[str, Any]]) -> list[int]:
        self._next_id = None
        return super().insert_multiple(documents)


class _TinyDB(TinyDB):
    table_class = _FreshIdTable


# -- the store -------------------------------------------------------------------------------


class Store:
    """Highlights and notes, reading positions and preferences, saved as they change.

    Safe to use from several processes at once; not from several threads at once (give each
    thread its own ``Store``). Reading positions are saved on every call: callers should set
    them when the reader pauses or leaves an article, not on every scroll step.

    Args:
        path: the store file; ``locations.store_path()`` when omitted.
        journal: where this store's writes are recorded as this process's own (see
            :mod:`summitreader.core.watch`). Every ``Store`` of one running copy shares
            the default; a test gives a fresh one to act as a second copy.

    Raises:
        StoreError: the file exists but cannot be read, or an unreadable file cannot be
            moved aside.
    """

    def __init__(
        self, path: Path | None = None, *, journal: WriteJournal | None = OWN_WRITES
    ) -> None:
        self.path = Path(path) if path is not None else locations.store_path()
        #: One-line messages for the user about what happened when opening (a file moved
        #: aside, an empty file, a newer version opened read-only).
        self.notices: list[str] = []
        #: True when a newer version wrote the file: every change raises StoreError.
        self.read_only = False
        #: Why :attr:`read_only` is set, as the end of a "not saved: ..." message.
        self._read_only_why = ""
        self._closed = False
        self._lock: FileLock | None = None  # made on first use, see _locked
        self._db = _TinyDB(
            str(self.path), storage=AtomicJSONStorage, schema=SCHEMA_VERSION, journal=journal
        )
        self._storage = cast(AtomicJSONStorage, self._db.storage)
        # The operations below work on the file's data directly (one read, one write, no
        # query scans); TinyDB's table is kept for fixtures that insert many records in one
        # locked write. cache_size=0: another process may change the file between queries.
        self._annotations = self._db.table(ANNOTATIONS, cache_size=0)
        self._open()

    # -- annotations --------------------------------------------------------------------

    def add(self, annotation: Annotation) -> None:
        """Save a new annotation.

        Raises:
            StoreError: an annotation with the same id is already stored, or saving failed.
        """
        with self._writing(create=True) as data:
            if _key_of(data.get(ANNOTATIONS, {}), "id", annotation.id) is not None:
                raise StoreError(f"an annotation with id {annotation.id} already exists")
            table = data.setdefault(ANNOTATIONS, {})
            table[_next_key(table)] = annotation.to_dict()
            self._storage.write(data)

    def get(self, annotation_id: str) -> Annotation | None:
        """The annotation with exactly this id, if stored."""
        with self._reading() as data:
            docs = _matching(data.get(ANNOTATIONS, {}), "id", annotation_id)
            found = [a for a in map(_annotation_or_none, docs) if a is not None]
        return found[0] if found else None

    def find(self, prefix: str) -> Annotation:
        """The annotation with this id, or the only one whose id starts with ``prefix``.

        Short ids are what the user types; at least :data:`MIN_PREFIX` characters are asked
        for so that a stray keystroke never picks an annotation to edit or delete.

        Raises:
            StoreError: the prefix is too short, matches nothing or matches several.
        """
        wanted = prefix.strip()
        items = self.all()
        for item in items:
            if item.id == wanted:
                return item
        shown = _one_line(wanted)[:40]
        if len(wanted) < MIN_PREFIX:
            raise StoreError(
                f"'{shown}' is too short: give at least {MIN_PREFIX} characters of the id"
            )
        folded = wanted.casefold()
        matches = [a for a in items if a.id.casefold().startswith(folded)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            listed = ", ".join(a.id[:8] for a in matches[:6])
            raise StoreError(f"'{shown}' is ambiguous: it starts {listed}")
        raise StoreError(f"no annotation matches '{shown}'")

    def update(self, annotation: Annotation) -> None:
        """Replace the stored annotation that has this annotation's id.

        Raises:
            StoreError: no annotation has that id, or saving failed.
        """
        self.update_many([annotation])

    def update_many(self, annotations: Iterable[Annotation]) -> None:
        """Replace several annotations in one locked write (re-anchoring an article).

        All or nothing: if any id is missing, nothing is changed.

        Raises:
            StoreError: some id is not stored, or saving failed.
        """
        latest = {a.id: a for a in annotations}
        if not latest:
            return
        with self._writing(create=False) as data:
            stored = {doc.get("id") for doc in data.get(ANNOTATIONS, {}).values()}
            missing = [ident for ident in latest if ident not in stored]
            if missing:
                more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
                raise StoreError(f"no annotation with id {_one_line(missing[0])}{more}")
            table = data[ANNOTATIONS]
            for key, doc in list(table.items()):
                if doc.get("id") in latest:
                    table[key] = latest[doc["id"]].to_dict()
            self._storage.write(data)

    def merge(self, annotations: Iterable[Annotation]) -> dict[str, MergeOutcome]:
        """Add or replace several annotations by id in one locked write (an import).

        An annotation whose id is new is added; one that is stored already replaces it
        unless the stored copy was changed more recently (its ``updated`` time is later),
        so importing an old export never undoes newer edits. Nothing is written when
        nothing changes.

        Returns:
            Each id with what happened to it: ``added``, ``updated``, ``unchanged`` or
            ``kept`` (the stored copy is newer and was kept).

        Raises:
            StoreError: saving failed; nothing was changed.
        """
        latest = {a.id: a for a in annotations}
        outcome: dict[str, MergeOutcome] = {}
        if not latest:
            return outcome
        with self._writing(create=True) as data:
            table = dict(data.get(ANNOTATIONS, {}))  # changed in data only if it is written
            keys = {doc.get("id"): key for key, doc in table.items()}
            next_key = int(_next_key(table))
            for ident, annotation in latest.items():
                record = annotation.to_dict()
                key = keys.get(ident)
                if key is None:
                    table[str(next_key)] = record
                    next_key += 1
                    outcome[ident] = "added"
                elif table[key] == record:
                    outcome[ident] = "unchanged"
                elif str(table[key].get("updated", "")) > annotation.updated:
                    outcome[ident] = "kept"
                else:
                    table[key] = record
                    outcome[ident] = "updated"
            if any(result in ("added", "updated") for result in outcome.values()):
                data[ANNOTATIONS] = table
                self._storage.write(data)
        return outcome

    def put(self, annotation: Annotation) -> None:
        """Save ``annotation`` whole: replace the stored one with its id, or add it back.

        How the reader saves, since another running copy may change the same annotation:
        the later write wins, whole (last writer wins), so two copies' versions are never
        mixed, and an edit made while the other copy deleted the annotation brings it back
        with the edit rather than being lost (its trash entry goes, so ``undelete`` cannot
        restore a second copy of it). Nothing is written when nothing changes.

        Raises:
            StoreError: saving failed; nothing was changed.
        """
        record = annotation.to_dict()
        with self._writing(create=True) as data:
            key = _key_of(data.get(ANNOTATIONS, {}), "id", annotation.id)
            trash = data.get(TRASH, {})
            trashed = [
                k for k, doc in trash.items() if doc["annotation"].get("id") == annotation.id
            ]
            if key is not None and data[ANNOTATIONS][key] == record and not trashed:
                return
            table = data.setdefault(ANNOTATIONS, {})
            table[key if key is not None else _next_key(table)] = record
            for old in trashed:
                del trash[old]
            self._storage.write(data)

    def delete(self, annotation_id: str) -> Annotation:
        """Remove an annotation, keeping its full record in the trash for :meth:`undelete`.

        Returns:
            The deleted annotation.

        Raises:
            StoreError: no annotation has that id, or saving failed.
        """
        deleted = self.discard(annotation_id)
        if deleted is None:
            raise StoreError(f"no annotation with id {_one_line(annotation_id)}")
        return deleted

    def discard(self, annotation_id: str) -> Annotation | None:
        """Like :meth:`delete`, but an annotation that is not stored is not an error.

        The reader's delete: another running copy may have deleted it first, and the
        result the user asked for (it is gone) holds either way.

        Returns:
            The deleted annotation, or ``None`` when there was none with that id.

        Raises:
            StoreError: saving failed.
        """
        with self._writing(create=False) as data:
            annotations = data.get(ANNOTATIONS, {})
            key = _key_of(annotations, "id", annotation_id)
            if key is None:
                return None
            record = annotations.pop(key)
            trash = data.setdefault(TRASH, {})
            trash[_next_key(trash)] = {"annotation": record, "deleted": now_iso()}
            for old in sorted(trash, key=int)[: max(0, len(trash) - TRASH_LIMIT)]:
                del trash[old]
            # One write for both tables: a crash cannot leave the record in both or neither.
            self._storage.write(data)
        return Annotation.from_dict(record)

    def undelete(self, annotation_id: str | None = None) -> Annotation | None:
        """Restore a deleted annotation: the one with this id, else the last one deleted.

        Returns:
            The restored annotation, or ``None`` when there is nothing to restore.

        Raises:
            StoreError: an annotation with the same id is stored again, or saving failed.
        """
        with self._writing(create=False) as data:
            trash = data.get(TRASH, {})
            keys = [
                key
                for key, doc in trash.items()
                if annotation_id is None or doc["annotation"].get("id") == annotation_id
            ]
            if not keys:
                return None
            key = max(keys, key=int)  # ids only grow: the highest is the latest deletion
            record = trash.pop(key)["annotation"]
            annotations = data.setdefault(ANNOTATIONS, {})
            if _key_of(annotations, "id", record.get("id")) is not None:
                raise StoreError(f"an annotation with id {record.get('id')} already exists")
            annotations[_next_key(annotations)] = record
            self._storage.write(data)
        return Annotation.from_dict(record)

    def all(self) -> list[Annotation]:
        """Every annotation, in the order they were added."""
        with self._reading() as data:
            docs = data.get(ANNOTATIONS, {}).values()
            return [a for a in map(_annotation_or_none, docs) if a is not None]

    def for_article(self, article_id: str) -> list[Annotation]:
        """The annotations on one article, in text order."""
        with self._reading() as data:
            docs = _matching(data.get(ANNOTATIONS, {}), "article_id", article_id)
            found = [a for a in map(_annotation_or_none, docs) if a is not None]
        return sorted(found, key=lambda a: (a.selector.start, a.selector.end, a.created, a.id))

    # -- reading positions and preferences ----------------------------------------------

    def set_position(self, article_id: str, offset: int) -> None:
        """Remember where the reader is in an article: an offset into its canonical text.

        Raises:
            ValueError: ``offset`` is not a non-negative integer.
            StoreError: saving failed.
        """
        if not _is_count(offset):
            raise ValueError(f"a reading position is a non-negative integer, not {offset!r}")
        self._put(POSITIONS, "article_id", article_id, "offset", offset)

    def get_position(self, article_id: str) -> int | None:
        """The remembered offset in an article, if any."""
        with self._reading() as data:
            docs = _matching(data.get(POSITIONS, {}), "article_id", article_id)
            offsets = [doc["offset"] for doc in docs if _is_count(doc.get("offset"))]
        return cast(int, offsets[0]) if offsets else None

    def set_pref(self, key: str, value: Any) -> None:
        """Remember a small UI preference (theme, wrap width...).

        Raises:
            ValueError: ``value`` cannot be stored as JSON.
            StoreError: saving failed.
        """
        try:
            encoded = json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"preference {key!r} must be JSON data: {exc}") from None
        # Stored as it reads back (a tuple becomes a list), so "unchanged" compares truly.
        self._put(PREFS, "key", key, "value", json.loads(encoded))

    def get_pref(self, key: str, default: Any = None) -> Any:
        """A remembered preference, or ``default``."""
        with self._reading() as data:
            docs = _matching(data.get(PREFS, {}), "key", key)
            if not docs or "value" not in docs[0]:
                return default
            # A copy: the data may be shared (see _Snapshots), and a list or object value
            # could be changed by the caller.
            return copy.deepcopy(docs[0]["value"])

    def _put(self, table: str, key_field: str, key: str, field: str, value: Any) -> None:
        """Insert or replace the one document for ``key``, with a single write (or none)."""
        record = {key_field: key, field: value}
        with self._writing(create=True) as data:
            doc_key = _key_of(data.get(table, {}), key_field, key)
            if doc_key is not None and data[table][doc_key] == record:
                return
            docs = data.setdefault(table, {})
            docs[doc_key if doc_key is not None else _next_key(docs)] = record
            self._storage.write(data)

    # -- lifetime ------------------------------------------------------------------------

    def close(self) -> None:
        """Stop using the store. Nothing needs flushing: every change is already on disk."""
        if not self._closed:
            self._closed = True
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- locking, checking, recovering ---------------------------------------------------

    def _open(self) -> None:
        """Clean up after a crashed writer and check the file, under the lock.

        Nothing is created when there is no store yet: not the folder, not the lock file.
        """
        try:
            if not self.path.parent.is_dir():
                return
            if not self._temp_files() and not os.path.lexists(self.path):
                return
            with self._locked(write=False) as held:
                if held:  # a temp file can only be stale while nobody holds the lock
                    for stale in self._temp_files():
                        with contextlib.suppress(FileNotFoundError):
                            stale.unlink()  # a symlink is removed, its target untouched
                self._check()
            if not self.read_only and self.path.is_file() and self.path.stat().st_size == 0:
                self._notice(
                    f"{display_name(self.path)} was empty (0 bytes); starting a fresh store"
                )
        except OSError as exc:
            raise StoreError(self._cannot("read", exc)) from None

    def _temp_files(self) -> list[Path]:
        prefix = f".{self.path.name}."
        with os.scandir(self.path.parent) as entries:
            return [
                Path(entry.path)
                for entry in entries
                if entry.name.startswith(prefix)
                and entry.name.endswith(".tmp")
                and not entry.is_dir(follow_symlinks=False)
            ]

    @contextlib.contextmanager
    def _locked(self, *, write: bool) -> Iterator[bool]:
        """Hold the cross-process lock; yield whether it is held.

        Reading goes on without it when the lock file cannot be made (a read-only folder):
        writers replace the file atomically, so a reader always sees a complete one.

        filelock is imported here, on the first lock, not with this module: it takes longer
        to import than the rest of the store, and a store that does not exist yet (a first
        start) is read without locking.
        """
        from filelock import FileLock, Timeout

        if self._lock is None:
            self._lock = FileLock(str(self.path.with_name(f"{self.path.name}.lock")), mode=0o600)
        try:
            self._lock.acquire(timeout=LOCK_TIMEOUT)
            held = True
        except Timeout:
            raise StoreError(
                f"{display_name(self.path)} is busy: another summit-reader has been changing "
                f"it for {LOCK_TIMEOUT:g} s; try again"
            ) from None
        except OSError:
            if write:
                raise
            held = False
        try:
            yield held
        finally:
            if held:
                self._lock.release()

    @contextlib.contextmanager
    def _writing(self, *, create: bool) -> Iterator[RawData]:
        """Lock, check the file and yield its current data for one change.

        With ``create`` false the change can only apply to something already stored, so a
        missing store yields empty data without creating anything.
        """
        self._check_usable()
        if self.read_only:
            raise StoreError(self._read_only_message())
        try:
            if not create and not os.path.lexists(self.path):
                yield {}
                return
            # 0700: the notes are private, and nobody else may plant files next to them.
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with self._locked(write=True):
                data = self._check()
                if self.read_only:  # a newer version wrote the file since we opened it
                    raise StoreError(self._read_only_message())
                # The operation may change the data: it is no longer the file's until
                # written. An operation that does not write leaves it unchanged (every one
                # decides before it changes anything), so it is put back then.
                taken = SNAPSHOTS.take(self.path)
                writes = self._storage.writes
                yield data if data is not None else {}
                if taken is not None and self._storage.writes == writes:
                    SNAPSHOTS.remember(self.path, *taken)
        except OSError as exc:
            raise StoreError(self._cannot("save", exc)) from None

    @contextlib.contextmanager
    def _reading(self) -> Iterator[RawData]:
        """Lock and check the file for one read (so a damaged or newer file is noticed) and
        yield its data, which the caller must not change: it may be shared (see
        :class:`_Snapshots`). A read-only store yields the part of the file it understands.
        """
        self._check_usable()
        try:
            if not os.path.lexists(self.path):
                yield {}
                return
            with self._locked(write=False):
                data = self._check()
                if self.read_only:
                    data = self._storage.read()
                yield data if data is not None else {}
        except OSError as exc:
            raise StoreError(self._cannot("read", exc)) from None

    def _check(self) -> RawData | None:
        """Under the lock: the file's data, checked and upgraded, or moved aside if unusable.

        Returns ``None`` for a fresh store (no file, an empty one, or one just moved aside).
        """
        if self.read_only:
            return None
        if self.path.is_symlink():
            self._become_read_only_link()
            return None
        try:
            raw = self._storage.read_bytes()
            if raw is None:
                return None
            known = SNAPSHOTS.get(self.path, raw)
            if known is not None:
                return known  # the very bytes last parsed and checked, or written, here
            data = self._storage.parse(raw)
            version = schema_of(data)
            if version > SCHEMA_VERSION:
                self._become_read_only(version)
                return data
            if version < SCHEMA_VERSION:
                return self._upgrade(data, version)
            check_content(data)
            SNAPSHOTS.remember(self.path, raw, data, pieces={})  # new objects: no piece fits
            return data
        except _Unreadable as exc:
            # A newer version may have changed the layout itself: leave its file alone.
            newer = _declared_schema(self.path)
            if newer > SCHEMA_VERSION:
                self._become_read_only(newer)
                return None
            self._move_aside(exc.reason)
            return None

    def _upgrade(self, data: RawData, version: int) -> RawData:
        """Run the migrations from ``version`` up and write the result back."""
        start = version
        while version < SCHEMA_VERSION:
            step = MIGRATIONS.get(version)
            if step is None:
                raise StoreError(
                    f"{display_name(self.path)} has schema {version} and this version of "
                    f"summit-reader cannot upgrade it; the file was left unchanged"
                )
            try:
                data = step(data)
                check_layout(data)
            except _Unreadable:
                raise
            except Exception as exc:
                raise _Unreadable(
                    f"cannot upgrade it from schema {start}: {_one_line(repr(exc))}"
                ) from None
            version += 1
            data[META] = {"1": {"schema": version}}
        check_content(data)
        self._storage.write(data)
        return data

    def _move_aside(self, reason: str) -> None:
        """Rename an unusable file out of the way (never overwrite or delete it) and say so."""
        base = f"{self.path.name}.corrupt-{utc_stamp()}"
        target = self.path.with_name(base)
        number = 2
        while os.path.lexists(target):  # we hold the lock: nobody else is renaming now
            target = self.path.with_name(f"{base}-{number}")
            number += 1
        os.rename(self.path, target)
        fsync_dir(self.path.parent)
        self._notice(
            f"{display_name(self.path)} could not be read ({reason}); it was moved to "
            f"{display_name(target)} and a fresh store was started"
        )

    def _become_read_only(self, version: int) -> None:
        self.read_only = True
        self._storage.read_only = True
        self._read_only_why = (
            f"{display_name(self.path)} was written by a newer summit-reader "
            f"(schema {version}) and is open read-only; upgrade to change notes"
        )
        self._notice(
            f"{display_name(self.path)} was written by a newer summit-reader (schema {version}, "
            f"this version knows {SCHEMA_VERSION}); it is open read-only and changes will not "
            "be saved"
        )

    def _become_read_only_link(self) -> None:
        self.read_only = True
        self._storage.read_only = True
        name = display_name(self.path)
        self._read_only_why = (
            f"{name} is a symbolic link and is open read-only; set {locations.DB_ENV} to the "
            "file it points to"
        )
        self._notice(
            f"{name} is a symbolic link: it is open read-only, so neither the link nor the file "
            f"it points to is replaced; set {locations.DB_ENV} to that file to save changes"
        )

    def _notice(self, text: str) -> None:
        """Say something about opening the file: to this store's user and to the process
        (:data:`NOTICES`)."""
        self.notices.append(text)
        NOTICES.add(self.path, text)

    def _read_only_message(self) -> str:
        return f"not saved: {self._read_only_why}"

    def _cannot(self, action: str, exc: OSError) -> str:
        reason = exc.strerror or _one_line(str(exc)) or type(exc).__name__
        where_ = "to" if action == "save" else "from"
        kept = "; the previous version is unchanged" if action == "save" else ""
        return f"cannot {action} notes {where_} {display_name(self.path)}: {reason}{kept}"

    def _check_usable(self) -> None:
        if self._closed:
            raise StoreError("the notes store is closed")
