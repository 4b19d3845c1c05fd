"""Reading captures: encodings, refusals and sanitising."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from summitreader.core import textio
from summitreader.core.textio import CaptureError, decode_bytes, read_capture, sanitize

SAMPLE = "Kim said “new era” — Pyongyang\u00a0평양 北朝鮮 🇰🇵 café"


@pytest.mark.parametrize(
    ("prefix", "encoding"),
    [
        (b"", "utf-8"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_unicode_encodings_with_and_without_bom(prefix: bytes, encoding: str) -> None:
    decoded = decode_bytes(prefix + SAMPLE.encode(encoding))
    assert decoded.text == SAMPLE
    assert decoded.warnings == ()


def test_invalid_utf8_is_replaced_with_a_warning() -> None:
    decoded = decode_bytes("Caf\u00e9 au lait".encode("latin-1"), "menu.txt")
    assert decoded.text == "Caf\ufffd au lait"
    assert len(decoded.warnings) == 1
    assert "menu.txt" in decoded.warnings[0] and "\n" not in decoded.warnings[0]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b" \n\t\n  ", "no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"text\x00with a NUL", "binary"),
        (codecs.BOM_UTF16_LE + "a\x00b".encode("utf-16-le"), "binary"),
    ],
)
def test_refused_content(data: bytes, fragment: str) -> None:
    with pytest.raises(CaptureError) as info:
        decode_bytes(data, "x.txt")
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_line_breaks_are_normalised() -> None:
    assert sanitize("a\r\nb\rc\nd\u2028e\u2029f\x85g") == "a\nb\nc\nd\ne\n\nf\ng"


def test_control_escape_and_bidi_characters_are_removed() -> None:
    hostile = (
        "safe\x1b[31mred\x1b[0m \x1b]0;pwned\x07title \x1b]52;c;Zm9v\x07 "
        "\x00nul\x7fdel\x9bc1 \u202eevil\u202c \u2066iso\u2069 tab\there"
    )
    cleaned = sanitize(hostile)
    for bad in ("\x1b", "\x07", "\x00", "\x7f", "\x9b", "\u202e", "\u202c", "\u2066", "\u2069"):
        assert bad not in cleaned
    assert "tab\there" in cleaned  # tabs are kept
    assert "[31mred" in cleaned  # the printable remainder stays, inert


def test_other_characters_are_kept_as_written() -> None:
    text = "“Quotes” ‘single’ a\u00a0b 한국어 日本語 עברית \u200f mark 👩\u200d💻 e\u0301"
    assert sanitize(text) == text


def test_sanitize_is_idempotent() -> None:
    text = "a\r\n\x1bb\u2029c"
    assert sanitize(sanitize(text)) == sanitize(text)


def test_read_capture_refuses_directories_missing_and_oversized(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(CaptureError, match="directory"):
        read_capture(tmp_path)
    with pytest.raises(CaptureError, match="no such file"):
        read_capture(tmp_path / "missing.txt")
    big = tmp_path / "big.txt"
    big.write_text("word " * 100, encoding="utf-8")
    monkeypatch.setattr(textio, "MAX_BYTES", 64)
    with pytest.raises(CaptureError, match="too large"):
        read_capture(big)


def test_read_capture_reads_a_normal_file(tmp_path: Path) -> None:
    path = tmp_path / "ok.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"Title\r\n\r\nBody text.\r\n")
    assert read_capture(path).text == "Title\n\nBody text.\n"


def test_display_name_is_one_safe_line() -> None:
    name = textio.display_name(Path("evil\nname\x1b[2J.txt"))
    assert "\n" not in name and "\x1b" not in name
    assert "evil\\nname" in name


def test_direction_marks_are_kept_in_cleaned_text() -> None:
    from summitreader.core.clean import clean

    line = "\u200fنُشر الخبر في الصباح الباكر بعد اجتماع طويل استمر حتى منتصف الليل في العاصمة."
    article = clean(f"عنوان الخبر الرئيسي هنا اليوم\n\n{line}\n")
    assert line in [p.text for p in article.paragraphs]


def test_a_captures_tabs_become_spaces_but_sanitize_keeps_them() -> None:
    # The reader draws article text one cell a character; a tab would move the cursor.
    decoded = decode_bytes(b"Title\there\n\nBody\twith\t\ttabs.\n")
    assert decoded.text == "Title here\n\nBody with  tabs.\n"
    assert sanitize("note\twith a tab") == "note\twith a tab"  # notes keep theirs


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_refused_with_a_hint(encoding: str) -> None:
    with pytest.raises(CaptureError) as info:
        decode_bytes(f"Title\r\n\r\n{SAMPLE}\r\n".encode(encoding), "x.txt")
    assert "UTF-16 text without a byte-order mark" in str(info.value)
    assert "\n" not in str(info.value)


def test_binary_with_nuls_on_one_side_is_still_called_binary() -> None:
    # Even-length data with NULs only in odd bytes, but not text: still "binary".
    data = bytes(b for pair in zip(range(1, 32), [0] * 31, strict=True) for b in pair)
    with pytest.raises(CaptureError, match="binary file"):
        decode_bytes(data, "x.bin")
