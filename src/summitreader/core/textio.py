"""Reading capture files safely: decoding, size and type checks, and sanitising.

Every piece of article text enters the program through :func:`sanitize` (the cleaner runs
its two steps, :func:`line_breaks` and :func:`drop_unsafe`, line by line), so the rest of the
code can assume there is no control or bidi-override character left to reach a terminal
(and a capture's tabs are spaces: a tab moves a terminal's cursor too). The
rules are the ones in the README: UTF-8 (BOM or not), UTF-16/32 with a BOM, anything else
decoded with replacement characters and a warning; binary files, directories, empty files and
files over :data:`MAX_BYTES` are refused with a one-line :class:`CaptureError`.
"""

from __future__ import annotations

import codecs
import re
import stat
from dataclasses import dataclass
from pathlib import Path

#: Largest capture we read, in bytes. News pages are kilobytes; a file this big is a mistake.
MAX_BYTES = 16 * 1024 * 1024

# C0 controls except TAB and LF, DEL, C1 controls, and the bidi embedding/override/isolate
# characters (the "Trojan Source" set). LRM/RLM/ALM marks are kept: RTL text needs them and
# they cannot reorder text outside their own run.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class CaptureError(Exception):
    """A file that cannot be read as a capture; the message is one line meant for the user."""


@dataclass(frozen=True)
class DecodedText:
    """Text read from a file, already sanitised, with any warnings raised while decoding."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def sanitize(text: str) -> str:
    """Normalise line breaks and drop characters that could drive a terminal.

    CRLF and lone CR become LF; NEL and the Unicode line/paragraph separators become line
    breaks, since that is what the page meant by them. Then C0 (except tab and newline), DEL,
    C1 and bidi override/isolate characters are removed. Everything else is kept as written.
    Idempotent: sanitising sanitised text changes nothing.
    """
    return drop_unsafe(line_breaks(text))


def line_breaks(text: str) -> str:
    """``text`` with its line breaks as :func:`sanitize` writes them: LF, nothing else."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        text = text.replace("\x85", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return text


def drop_unsafe(text: str) -> str:
    """``text`` without the characters :func:`sanitize` drops (none of them a line break).

    Every one of them is unprintable (``str.isprintable``): printable text has none.
    """
    return _UNSAFE.sub("", text)


def decode_bytes(data: bytes, name: str = "input") -> DecodedText:
    """Decode a capture's bytes and sanitise the result.

    Args:
        data: the raw file content.
        name: how to call the file in messages.

    Raises:
        CaptureError: for empty or binary content.
    """
    if not data:
        raise CaptureError(f"{name}: file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            warnings: tuple[str, ...] = ()
            if "\ufffd" in text and "\ufffd".encode(encoding) not in data:
                warnings = (f"{name}: invalid {encoding} bytes were replaced with \ufffd",)
            if "\x00" in text:
                raise CaptureError(f"{name}: looks like a binary file (contains NUL bytes)")
            return _finish(text, encoding, warnings, name)
    if b"\x00" in data:
        if _utf16_without_bom(data):
            raise CaptureError(
                f"{name}: looks like UTF-16 text without a byte-order mark; "
                "save it as UTF-8 (or UTF-16 with a BOM)"
            )
        raise CaptureError(f"{name}: looks like a binary file (contains NUL bytes)")
    try:
        return _finish(data.decode("utf-8"), "utf-8", (), name)
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        warning = (
            f"{name}: not valid UTF-8 (first bad byte at offset {exc.start}); "
            "undecodable bytes were replaced with \ufffd"
        )
        return _finish(text, "utf-8", (warning,), name)


def _utf16_without_bom(data: bytes) -> bool:
    """Whether NUL-bearing bytes read as plain UTF-16 text: NULs on one side of each pair.

    Only used to word the refusal: guessing an encoding from NULs is unsafe for binary
    files, so such a file is still refused, but the message says what to do about it.
    """
    if len(data) % 2:
        return False
    for encoding, low, high in (
        ("utf-16-le", data[0::2], data[1::2]),
        ("utf-16-be", data[1::2], data[0::2]),
    ):
        if b"\x00" in low or high.count(0) * 2 < len(high):
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not _UNSAFE.search(text.replace("\r", ""))
    return False


def _finish(text: str, encoding: str, warnings: tuple[str, ...], name: str) -> DecodedText:
    # A capture's tabs become spaces too: to a terminal a tab is a cursor jump, and the
    # reader draws article text cell by cell, one cell a character. Notes keep their tabs
    # (they are shown through Rich, which expands them, and a note's indentation matters).
    clean = sanitize(text).replace("\t", " ")
    if not clean.strip():
        raise CaptureError(f"{name}: file has no text")
    return DecodedText(clean, encoding, warnings)


def read_capture(path: Path) -> DecodedText:
    """Read a capture file from disk with every check a user-supplied path needs.

    Raises:
        CaptureError: the path is missing, a directory, too large, empty or binary, or cannot
            be read; the message names the file and fits on one line.
    """
    name = display_name(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise CaptureError(f"{name}: is a directory, not a text file")
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or device would block or never end; captures are ordinary files.
            raise CaptureError(f"{name}: not a regular file")
        size = info.st_size
        if size > MAX_BYTES:
            raise CaptureError(
                f"{name}: file is too large ({_size(size)}; the limit is {_size(MAX_BYTES)})"
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except CaptureError:
        raise
    except FileNotFoundError:
        raise CaptureError(f"{name}: no such file") from None
    except PermissionError:
        raise CaptureError(f"{name}: permission denied") from None
    except OSError as exc:
        raise CaptureError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise CaptureError(f"{name}: file is too large (the limit is {_size(MAX_BYTES)})")
    return decode_bytes(data, name)


def json_for_terminal(data: object) -> str:
    """JSON text with every control, escape and bidi character written as a ``\\u`` escape.

    ``json.dumps`` escapes C0 controls but lets DEL, C1 and bidi overrides through when
    ``ensure_ascii`` is off; notes are stored verbatim, so they are escaped here, on output.
    """
    import json

    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def display_name(path: Path | str) -> str:
    """A file name safe to print on one line: sanitised, newlines and tabs shown escaped."""
    text = sanitize(str(path))
    return text.replace("\n", "\\n").replace("\t", "\\t")


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MiB" if n >= 1048576 else f"{n} bytes"
