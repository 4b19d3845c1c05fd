"""The library: bundled captures, the user's own, or one folder chosen on the command line.

An article's id is a short hash of its *file name* (stem), so it survives edits and
re-captures of the file and is the same on every machine; its content hash follows the text.
Files are read lazily and cleaned on first use (or taken from the cleaning cache,
:mod:`summitreader.core.cache`).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Literal

from summitreader.core import locations
from summitreader.core.cache import cleaned
from summitreader.core.files import write_atomic
from summitreader.core.models import Article, text_hash
from summitreader.core.textio import CaptureError, DecodedText, display_name, read_capture

Origin = Literal["bundled", "user", "folder", "file"]

#: File endings the library reads as captures.
CAPTURE_SUFFIXES = frozenset({".txt", ".text"})
ID_LENGTH = 8


class LibraryError(Exception):
    """A user-facing problem with the library (unknown article, unreadable folder)."""


def article_id(path: Path) -> str:
    """The stable short id of the capture at ``path``: a hash of its normalised file stem."""
    stem = unicodedata.normalize("NFC", path.stem)
    return hashlib.blake2b(stem.encode("utf-8"), digest_size=ID_LENGTH // 2).hexdigest()


def content_hash(text: str) -> str:
    """Hash of a capture's (sanitised) text: changes whenever the text does."""
    return text_hash(text)


def bundled_seeds_dir() -> Path:
    """The captures shipped with the package (``seeds/`` in the source tree)."""
    packaged = resources.files("summitreader") / "seeds"
    if packaged.is_dir():
        return Path(str(packaged))
    # Editable installs and source checkouts: the top-level seeds/ folder.
    return Path(__file__).resolve().parents[3] / "seeds"


@dataclass(frozen=True)
class LibraryEntry:
    """One capture in the library; the cleaned article is computed on first access."""

    id: str
    path: Path
    origin: Origin
    decoded: DecodedText = field(repr=False)

    @property
    def text(self) -> str:
        """The capture's sanitised text."""
        return self.decoded.text

    @property
    def warnings(self) -> tuple[str, ...]:
        """Problems met while decoding (replacement characters, for instance)."""
        return self.decoded.warnings

    @cached_property
    def hash(self) -> str:
        """The content hash of :attr:`text`."""
        return content_hash(self.decoded.text)

    @cached_property
    def article(self) -> Article:
        """The cleaned article, from the cleaning cache when it holds this text."""
        return cleaned(self.decoded.text)


def _capture_files(folder: Path) -> list[Path]:
    """The capture files in ``folder``, by name.

    ``os.scandir`` tells files from folders without a ``stat`` per name on most systems: a
    library of a thousand captures is listed in one pass.
    """
    try:
        with os.scandir(folder) as listing:
            names = sorted(
                item.name
                for item in listing
                if _suffix(item.name).lower() in CAPTURE_SUFFIXES and item.is_file()
            )
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise LibraryError(
            f"cannot read library folder {display_name(folder)}: {exc.strerror or exc}"
        ) from None
    return [folder / name for name in names]


def _suffix(name: str) -> str:
    """``PurePath(name).suffix`` (``..txt`` has one, ``.txt`` none), without a path object."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


class Library:
    """The articles a command works on, in file-name order.

    Args:
        folders: ``(folder, origin)`` pairs read in order; a file whose id was already seen
            is skipped (the first folder wins), so bundled captures cannot be shadowed.
        target: the folder :meth:`add` copies into.
    """

    def __init__(self, folders: Sequence[tuple[Path, Origin]], target: Path) -> None:
        self.folders = list(folders)
        self.target = target
        self.problems: list[str] = []
        self._entries: list[LibraryEntry] | None = None
        # Held while the folders are read, so two threads never read them twice.
        self._reading = threading.RLock()

    @classmethod
    def from_environment(cls, library_dir: Path | None = None) -> Library:
        """The library a command should use: ``--library``/``SUMMIT_READER_LIBRARY`` or else
        the bundled captures plus the user's library folder."""
        folder = library_dir or locations.library_override()
        if folder is not None:
            if not folder.is_dir():
                raise LibraryError(f"library folder not found: {display_name(folder)}")
            return cls([(folder, "folder")], target=folder)
        user = locations.user_library_dir()
        return cls([(bundled_seeds_dir(), "bundled"), (user, "user")], target=user)

    def entries(self) -> list[LibraryEntry]:
        """Every readable capture; unreadable ones are reported in :attr:`problems`."""
        if self._entries is None:
            for _ in self.scan():
                pass
        assert self._entries is not None  # a scan to the end sets it
        return self._entries

    def scan(self) -> Iterator[LibraryEntry]:
        """The entries one by one, each as soon as its file is read.

        For a caller that shows articles as they come (the reader's list of a large
        library); once a scan has run to the end, :meth:`entries` returns the same entries
        without reading again, and a later scan yields them from there. A thread that
        asks while another is reading waits for it, so the files are read once.

        Raises:
            LibraryError: a library folder exists but cannot be listed.
        """
        with self._reading:
            if self._entries is not None:
                yield from self._entries
                return
            entries: list[LibraryEntry] = []
            self.problems = []
            seen: set[str] = set()
            for folder, origin in self.folders:
                for path in _capture_files(folder):
                    ident = article_id(path)
                    if ident in seen:
                        self.problems.append(
                            f"{display_name(path)}: skipped, its name clashes with another "
                            f"article (id {ident})"
                        )
                        continue
                    try:
                        decoded = read_capture(path)
                    except CaptureError as exc:
                        self.problems.append(str(exc))
                        continue
                    seen.add(ident)
                    entry = LibraryEntry(ident, path, origin, decoded)
                    entries.append(entry)
                    yield entry
            self._entries = entries

    def find(self, ref: str) -> LibraryEntry:
        """An article by id, unambiguous id prefix, or path to a capture file.

        A path inside the library gives that library entry; any other file is read and
        cleaned on the fly without being imported.

        Raises:
            LibraryError: nothing matches, the prefix is ambiguous, or the file is unusable.
        """
        entries = self.entries()
        by_id = {e.id: e for e in entries}
        wanted = ref.strip().lower()
        if wanted in by_id:
            return by_id[wanted]
        path = Path(ref).expanduser()
        try:
            exists = path.exists()
        except (OSError, ValueError):  # a NUL byte or an over-long name is not a file
            exists = False
        if exists:
            resolved = path.resolve()
            for entry in entries:
                if entry.path.resolve() == resolved:
                    return entry
            try:
                decoded = read_capture(path)
            except CaptureError as exc:
                raise LibraryError(str(exc)) from None
            return LibraryEntry(article_id(path), path, "file", decoded)
        matches = [e for e in entries if wanted and e.id.startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
        shown = display_name(ref)
        if len(matches) > 1:
            listed = ", ".join(e.id for e in matches[:6])
            raise LibraryError(f"'{shown}' is ambiguous: it starts {listed}")
        raise LibraryError(f"no article matches '{shown}'{self._suggest(ref, entries)}")

    @staticmethod
    def _suggest(ref: str, entries: Sequence[LibraryEntry]) -> str:
        names = {e.id: e.id for e in entries}
        for entry in entries:
            names[entry.path.stem.lower()] = entry.id
            names[entry.article.title.lower()[:60]] = entry.id
        wanted = ref.strip().lower()
        close = [n for n in names if wanted and len(wanted) >= 3 and wanted in n]
        close += difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.5)
        ids = list(dict.fromkeys(names[c] for c in close))[:3]
        if not ids:
            return "; 'summit-reader list' shows every article"
        by_id = {e.id: e for e in entries}
        listed = ", ".join(f"{i} ({_short(by_id[i].article.title)})" for i in ids)
        return f"; close matches: {listed}"

    def add(self, paths: Iterable[Path]) -> list[AddResult]:
        """Copy capture files into :attr:`target`, skipping content already present."""
        results: list[AddResult] = []
        known = {e.hash: e for e in self.entries()}
        taken = {e.id for e in self.entries()}
        for path in paths:
            try:
                decoded = read_capture(path)
            except CaptureError as exc:
                results.append(AddResult(path, "error", message=str(exc)))
                continue
            digest = content_hash(decoded.text)
            if digest in known:
                results.append(AddResult(path, "duplicate", entry=known[digest]))
                continue
            try:
                dest = self._copy_in(path, decoded, taken)
            except OSError as exc:
                message = f"{display_name(path)}: cannot copy into the library ({exc.strerror})"
                results.append(AddResult(path, "error", message=message))
                continue
            entry = LibraryEntry(article_id(dest), dest, "user", decoded)
            known[digest] = entry
            taken.add(entry.id)
            if self._entries is not None:
                self._entries.append(entry)
            results.append(AddResult(path, "added", entry=entry))
        return results

    def _copy_in(self, source: Path, decoded: DecodedText, taken: set[str]) -> Path:
        self.target.mkdir(parents=True, exist_ok=True)
        stem = safe_stem(source.stem)
        candidate = self.target / f"{stem}.txt"
        number = 2
        while candidate.exists() or article_id(candidate) in taken:
            candidate = self.target / f"{stem}-{number}.txt"
            number += 1
        # Store the sanitised UTF-8 text: every later read is then simple and safe.
        write_atomic(candidate, decoded.text.encode("utf-8"))
        return candidate


@dataclass(frozen=True)
class AddResult:
    """What :meth:`Library.add` did with one path: ``added``, ``duplicate`` or ``error``."""

    path: Path
    status: Literal["added", "duplicate", "error"]
    entry: LibraryEntry | None = None
    message: str = ""


def safe_stem(stem: str) -> str:
    """A file stem that is safe on every platform: no separators, controls or dot runs."""
    stem = unicodedata.normalize("NFC", stem)
    stem = re.sub(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069/\\:*?\"<>|]+", "_", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" .")
    return stem[:120] or "article"


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
