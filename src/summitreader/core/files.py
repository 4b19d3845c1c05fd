"""Writing files so that a crash leaves the old version or the new one, never half of each."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` (mode 0600) so that a crash leaves the old file or the new.

    The temp file is made by :func:`tempfile.mkstemp` in the same folder: ``O_EXCL`` means a
    symlink planted at a guessable name is never followed, and the same folder means the
    rename cannot cross filesystems. Flush and fsync before the rename, so the new name never
    points at data still in flight; fsync the folder after it, so the rename itself lasts.

    With ``durable`` false both fsyncs are skipped: other processes still never see a
    half-written file, but after a power cut the file may be missing or incomplete. Only for
    data that is checked when read and can be rebuilt (the cleaning cache).
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):  # mkstemp's 0600 may have been narrowed by the umask
                os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its renames are durable on their own
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (mode 0600) holding ``data``; never replace or follow anything there.

    For files written once under a fresh name, such as a rescue export: ``O_EXCL`` fails on
    any existing name, a symlink included (even a dangling one), so a file planted at the
    name can neither be overwritten nor redirect the write. The data is fsynced before this
    returns, because it may be the only copy.

    Raises:
        FileExistsError: something already has that name.
        OSError: the disk refused; a partly written file is removed.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):  # the umask can only narrow 0600, but say it anyway
                os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    fsync_dir(path.parent)
