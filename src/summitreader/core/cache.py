"""The cleaning cache: cleaned articles kept on disk, so a start does not clean them again.

Cleaning is the slow part of reading a library (milliseconds per article, seconds for a
thousand), and its result depends only on the capture's text and on the cleaner's code. So
:func:`cleaned` keeps each result under ``<cache dir>/articles/<sha256 of the text>.json``
and reuses it when, and only when, everything it was made from is unchanged:

* the **text**: the file is named by its SHA-256 and records it;
* the **cleaner**: the entry records :func:`cleaner_id`, a hash of the source of every module
  cleaning depends on (``clean.py``, where ``CLEANER_VERSION`` lives, ``rules.py``,
  ``dates.py``, ``models.py``, ``textio.py``) and of the Python and Unicode versions, so a
  changed rule invalidates the cache even if nobody remembered to bump ``CLEANER_VERSION``;
* the **cache format**: :data:`CACHE_FORMAT`.

An entry is a one-line JSON header (those three, and a BLAKE2 checksum of the body) and the
article as JSON (:meth:`Article.to_dict`). The cache is never trusted: an entry that is
truncated, corrupt, from another cleaner or format, for other text, of the wrong shape or
type, or holding characters sanitising would have removed, is ignored; the text is cleaned
again and the entry rewritten. A cache that cannot be read or written (a read-only or full
disk) only costs the cleaning; it is never an error.

Entries are written atomically (temp file and rename, mode 0600) but not fsynced: a crash
may lose or truncate one, and the checks above then send it back to the cleaner, which is
cheaper than an fsync per article on every first start. A thread that cleans many articles
to show them (the reader's library) can hold its writes back until they are shown, with
:func:`deferred_writes`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from summitreader.core import locations
from summitreader.core.files import write_atomic
from summitreader.core.models import Article
from summitreader.core.textio import sanitize

#: Bump when the layout of an entry changes.
CACHE_FORMAT = 1

#: The modules whose source decides what cleaning returns: ``clean`` and every core module it
#: imports, directly or not (tests/core/test_cache.py checks). The compiled build's modules
#: (see ``hatch_build.py``) are made from the same source and answer the same.
CLEANER_MODULES = ("clean.py", "rules.py", "dates.py", "models.py", "textio.py", "words.py")

#: Entries larger than this are not read (a capture is at most 16 MiB; its article less).
MAX_ENTRY_BYTES = 64 * 1024 * 1024


def cache_folder() -> Path:
    """Where the entries live: ``articles`` in the platform's cache folder."""
    return locations.cache_dir() / "articles"


@lru_cache(maxsize=1)
def cleaner_id() -> str | None:
    """A hash naming this cleaner: its modules' source, Python's and Unicode's versions.

    ``None`` when a source file cannot be read (a frozen or zipped install): the cache is
    then not used at all, rather than trusted without knowing which cleaner made it.
    """
    digest = hashlib.sha256()
    digest.update(f"{sys.version_info[:2]} {unicodedata.unidata_version}".encode())
    here = Path(__file__).resolve().parent
    for name in CLEANER_MODULES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            return None
    return digest.hexdigest()[:32]


def text_key(text: str) -> str:
    """The SHA-256 of ``text``: an entry's file name and what it is checked against."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def cleaned(text: str) -> Article:
    """``clean(text)``, from the cache when it holds a valid entry for this text and cleaner.

    The cleaner itself is imported only on a miss: its rules take a while to compile, and a
    start with every article cached does not need them.
    """
    identity = cleaner_id()
    key = text_key(text)
    path = cache_folder() / f"{key}.json"
    if identity is not None:
        article = load(path, key, identity)
        if article is not None:
            return article
    from summitreader.core.clean import clean

    article = clean(text)
    if identity is not None:
        later: DeferredWrites | None = getattr(_this_thread, "later", None)
        if later is None:
            save(path, key, identity, article)
        else:
            later.pending.append((path, key, identity, article))
    return article


class DeferredWrites:
    """The entries a thread made inside :func:`deferred_writes`, not written yet."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, str, str, Article]] = []

    def write(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Write them, oldest first, stopping early if ``cancelled()`` turns true."""
        while self.pending and not cancelled():
            save(*self.pending.pop(0))


_this_thread = threading.local()


@contextlib.contextmanager
def deferred_writes() -> Iterator[DeferredWrites]:
    """Within the block, this thread's new entries are kept, not written: writing a thousand
    files costs a third as much as cleaning them, and is better done once the articles are
    on screen. Call :meth:`DeferredWrites.write` then (entries left unwritten are only a
    cache miss next time)."""
    later = DeferredWrites()
    outer = getattr(_this_thread, "later", None)
    _this_thread.later = later
    try:
        yield later
    finally:
        _this_thread.later = outer


def load(path: Path, key: str, identity: str) -> Article | None:
    """The article in the entry at ``path``, or ``None`` unless every check passes."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    if len(raw) > MAX_ENTRY_BYTES:
        return None
    header, newline, body = raw.partition(b"\n")
    # The header is compared as bytes with the one save() writes for this text, cleaner and
    # body: exact (no 1 == True), and no parsing of a line that may be anything.
    if not newline or header != _header(key, identity, body):
        return None
    try:
        article = Article.from_dict(json.loads(body))
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, or the wrong shape
        return None
    return article if _sanitized(article) else None


def save(path: Path, key: str, identity: str, article: Article) -> None:
    """Write the entry for ``article`` (best effort: a cache that cannot be written is skipped)."""
    try:
        body = json.dumps(article.to_dict(), ensure_ascii=False, separators=(",", ":"))
        data = body.encode("utf-8")
        header = _header(key, identity, data)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(path, header + b"\n" + data, durable=False)
    except (OSError, ValueError):  # unwritable cache; lone surrogates cannot be UTF-8
        pass


def _header(key: str, identity: str, body: bytes) -> bytes:
    """The first line of an entry: what it was made from, and the body's checksum.

    Compact JSON, written out directly (every value is a number or a hex string): it is
    built again for every entry read.
    """
    check = hashlib.blake2b(body, digest_size=16).hexdigest()
    return (
        f'{{"format":{CACHE_FORMAT},"cleaner":"{identity}","text":"{key}","body":"{check}"}}'
    ).encode("ascii")


def _sanitized(article: Article) -> bool:
    """Whether every string of ``article`` is as sanitising leaves it (nothing to remove).

    An entry written by :func:`save` always is; one that is not was made elsewhere, and its
    text could drive the terminal.
    """
    parts = [article.title, article.source, article.byline, article.date, article.dek]
    parts += article.captions
    parts.append(article.text)
    for removed in article.removed:
        parts += (removed.text, removed.reason)
    joined = "\n".join(part for part in parts if part is not None)
    return sanitize(joined) == joined
