"""Noticing that another running copy changed the notes store, cheaply and exactly.

Two copies of the reader may have the same store open. Every change is written under a
lock and starts from the file on disk (see :mod:`summitreader.core.store`), so neither copy
can lose the other's changes; but each copy also *shows* notes, and what it shows must follow
the file. This module answers one question, once a second, for the price of a ``stat``:
"has someone other than this process written the store since I last looked?"

How a change is seen: :func:`file_signature` is the file's ``(st_mtime_ns, st_size,
st_ino)``. The store never rewrites the file in place: it renames a new file over it, so
every write gives it a new inode, and two consecutive versions of the file never share a
signature even when they are written within one clock tick and have the same size. (Two
versions further apart could, in theory: a freed inode reused, the same size, within one
tick of the file system's clock. A look that falls exactly between them would miss the
change until the next one; nothing is lost in the store, which never relies on this.)

How our own writes are told apart: every write this process makes goes through
:class:`~summitreader.core.store.AtomicJSONStorage`, which records in a :class:`WriteJournal`
the signature it replaced and the one it produced, both taken *while holding the store's
lock*, so no other copy can write in between. A change is ours when the journal has a chain
of our own writes leading from the signature last seen to the current one; if the chain
breaks, some other copy wrote in between, even if we wrote last.

Why not a counter stored in the file instead: reading it means parsing the whole store on
the UI thread after every one of our own saves, and it would change the bytes of every write
(tests and tools that compare store files would see churn). The journal costs one ``stat``
per write and per look, and no file format change.

The journal is per process and per path, shared by every thread's ``Store``: the reader opens
a short-lived ``Store`` in each worker, and all of them are "this copy".
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

#: Own writes remembered per store file. The watcher looks once a second, so only the writes
#: since its last look matter; this bound only stops the journal growing forever when
#: nothing watches (the command line, a test).
JOURNAL_LIMIT = 512


@dataclass(frozen=True)
class FileSignature:
    """What a ``stat`` says about one version of the store file.

    Attributes:
        mtime_ns: the modification time, in nanoseconds.
        size: the size in bytes.
        inode: the inode number; a new one for every atomic replace.
    """

    mtime_ns: int
    size: int
    inode: int


def file_signature(path: str | os.PathLike[str]) -> FileSignature | None:
    """The signature of the file at ``path`` now, or ``None`` when there is no file.

    An unreadable folder counts as no file: the store reports that itself when it is used.
    """
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return FileSignature(stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _key(path: str | os.PathLike[str]) -> str:
    return os.path.abspath(path)


class WriteJournal:
    """The store writes this process made: for each file, which version replaced which.

    Thread-safe: the reader's workers write from their own threads while the UI thread
    looks. A write is announced with :meth:`begin` before the file is replaced and recorded
    with :meth:`end` after; while one is under way :meth:`explains` declines to judge, so a
    look that falls between the rename and the record never mistakes our write for another
    copy's.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._writes: dict[str, OrderedDict[FileSignature | None, FileSignature | None]] = {}
        self._busy: dict[str, int] = {}

    def begin(self, path: str | os.PathLike[str]) -> None:
        """A write to ``path`` is starting (call with the store's lock held)."""
        key = _key(path)
        with self._lock:
            self._busy[key] = self._busy.get(key, 0) + 1

    def end(
        self,
        path: str | os.PathLike[str],
        before: FileSignature | None,
        after: FileSignature | None,
    ) -> None:
        """The write announced by :meth:`begin` is over: it turned ``before`` into ``after``.

        ``after`` is ``None`` when the write failed (nothing to record).
        """
        key = _key(path)
        with self._lock:
            self._busy[key] = max(0, self._busy.get(key, 0) - 1)
            if after is None or after == before:
                return
            writes = self._writes.setdefault(key, OrderedDict())
            writes[before] = after
            writes.move_to_end(before)
            while len(writes) > JOURNAL_LIMIT:
                writes.popitem(last=False)

    def explains(
        self,
        path: str | os.PathLike[str],
        seen: FileSignature | None,
        now: FileSignature | None,
    ) -> bool | None:
        """Whether our own writes alone lead from ``seen`` to ``now``.

        Returns:
            ``True`` when they do (nothing new from elsewhere), ``False`` when another
            writer made at least one of the versions in between, ``None`` when one of our
            writes is under way and the question must wait.
        """
        key = _key(path)
        with self._lock:
            if self._busy.get(key, 0):
                return None
            writes = self._writes.get(key, OrderedDict())
            current = seen
            for _ in range(len(writes) + 1):  # a chain, never a loop: bounded anyway
                if current == now:
                    return True
                if current not in writes:
                    return False
                current = writes[current]
            return False


#: The journal of this process: every :class:`~summitreader.core.store.Store` records its
#: writes here unless given another (a test's "second copy" in the same process).
OWN_WRITES = WriteJournal()


class StoreWatcher:
    """Looks at the store file and says whether another copy changed it since last time.

    Pure and cheap (one ``stat`` per :meth:`changed_elsewhere`): the reader calls it from a
    timer on its UI thread.

    Args:
        path: the store file (it need not exist yet).
        journal: the writes to treat as this copy's own.
    """

    def __init__(self, path: Path, journal: WriteJournal = OWN_WRITES) -> None:
        self.path = path
        self.journal = journal
        #: The signature of the version of the file last accounted for.
        self.seen = file_signature(path)

    def changed_elsewhere(self) -> bool:
        """Whether another writer changed the file since the last call (or since creation).

        Our own writes since then are accounted for silently. While one of ours is being
        written the answer is ``False`` and the question is simply asked again next time.
        """
        now = file_signature(self.path)
        if now == self.seen:
            return False
        ours = self.journal.explains(self.path, self.seen, now)
        if ours is None:
            return False
        self.seen = now
        return not ours
