"""Immutable domain values shared by the core, the CLI and the UI.

Frozen dataclasses: they are what messages carry and what the store saves, so nothing may
change one behind another's back. Edits make copies with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, get_args

from summitreader.core.words import count_words

ParagraphKind = Literal["paragraph", "heading"]

#: The separator between paragraphs in an article's canonical text. Annotation offsets
#: (issue 3) are code-point offsets into :attr:`Article.text`, which joins the cleaned
#: paragraphs, headings included, with this separator. This is the one definition.
PARAGRAPH_SEPARATOR = "\n\n"


@lru_cache(maxsize=16)
def text_hash(text: str) -> str:
    """A short hash of a text: library captures and canonical texts are both named by it.

    Cached: resolving an article's annotations asks for the hash of the same (possibly
    megabyte-long) text once per annotation. A ``str`` caches its own ``hash()``, so a hit
    costs an identity check, not another pass over the text.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Paragraph:
    """One block of the article body: running text or a subheading."""

    kind: ParagraphKind
    text: str

    def to_dict(self) -> dict[str, str]:
        """The paragraph as JSON data; :meth:`from_dict` reads it back."""
        return {"kind": self.kind, "text": self.text}

    @classmethod
    def from_dict(cls, data: object) -> Paragraph:
        """Read :meth:`to_dict`'s output back, checking every field.

        Raises:
            ValueError: ``data`` is not a paragraph in that shape (a wrong type, an unknown
                kind, a missing field).
        """
        fields = _fields(data, "paragraph", _PARAGRAPH_FIELDS)
        kind = fields["kind"]
        if kind == "paragraph" or kind == "heading":
            return cls(kind, _str(fields["text"], "paragraph text"))
        raise ValueError(f"paragraph kind {kind!r} is not one of {_PARAGRAPH_KINDS}")


@dataclass(frozen=True)
class Removed:
    """A block the cleaner dropped, with why, so the reader can show it on request.

    Attributes:
        text: the block as it stood in the capture (trimmed).
        reason: a short kebab-case label such as ``share-row`` or ``caption``.
        position: how many body paragraphs were kept before it; the UI shows the block
            inline at that point when the user asks to see the chrome.
    """

    text: str
    reason: str
    position: int = 0

    def to_dict(self) -> dict[str, str | int]:
        """The removed block as JSON data; :meth:`from_dict` reads it back."""
        return {"text": self.text, "reason": self.reason, "position": self.position}

    @classmethod
    def from_dict(cls, data: object) -> Removed:
        """Read :meth:`to_dict`'s output back, checking every field.

        Raises:
            ValueError: ``data`` is not a removed block in that shape.
        """
        fields = _fields(data, "removed block", _REMOVED_FIELDS)
        position = fields["position"]
        if type(position) is not int or position < 0:
            raise ValueError(f"removed block position {position!r} is not a count")
        return cls(
            _str(fields["text"], "removed text"), _str(fields["reason"], "removed reason"), position
        )


@dataclass(frozen=True)
class Article:
    """A cleaned article: metadata for the header, the body alone below it."""

    title: str
    source: str | None = None
    byline: str | None = None
    date: str | None = None
    dek: str | None = None
    captions: tuple[str, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    removed: tuple[Removed, ...] = ()
    title_is_fallback: bool = False
    _text: str = field(default="", init=False, repr=False, compare=False)
    _words: int = field(default=-1, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Computed once: the canonical text is what annotations are anchored in, and the
        # reader asks for it on every keystroke.
        joined = PARAGRAPH_SEPARATOR.join(p.text for p in self.paragraphs)
        object.__setattr__(self, "_text", joined)

    @property
    def text(self) -> str:
        """The canonical text: paragraphs, headings included, joined by a blank line."""
        return self._text

    @property
    def words(self) -> int:
        """Number of words in the body (header excluded).

        Counted once, on first use (or read back with the article, see :meth:`from_dict`):
        counting takes a while, and the library table shows it for every article.
        """
        if self._words < 0:
            object.__setattr__(self, "_words", count_words(self._text))
        return self._words

    def meta_line(self) -> str:
        """``By byline | Source: source | Published: date`` with the missing parts left out.

        The cleaner parses this form back (it is an ordinary byline line), which is what
        makes :meth:`to_text` round-trip through :func:`summitreader.core.clean.clean`.
        """
        parts = []
        if self.byline:
            parts.append(f"By {self.byline}")
        if self.source:
            parts.append(f"Source: {self.source}")
        if self.date:
            parts.append(f"Published: {self.date}")
        return " | ".join(parts)

    def to_text(self) -> str:
        """The article as a plain capture: title, standfirst, byline line, then the body.

        A fallback title is left out: it was derived from the body and will be again.
        """
        blocks = [] if self.title_is_fallback else [self.title]
        if self.dek:
            blocks.append(self.dek)
        meta = self.meta_line()
        if meta:
            blocks.append(meta)
        elif self.dek:
            blocks.append(self.title)  # with no byline line, a repeated headline closes the dek
        blocks.extend(p.text for p in self.paragraphs)
        return PARAGRAPH_SEPARATOR.join(blocks) + "\n"

    def to_json(self) -> dict[str, object]:
        """The JSON shape of ``summit-reader show --json`` (without id and word count)."""
        return {
            "title": self.title,
            "source": self.source,
            "byline": self.byline,
            "date": self.date,
            "dek": self.dek,
            "captions": list(self.captions),
            "paragraphs": [{"kind": p.kind, "text": p.text} for p in self.paragraphs],
            "removed": [{"text": r.text, "reason": r.reason} for r in self.removed],
        }

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON data, so :meth:`from_dict` gives back an equal article.

        Unlike :meth:`to_json` (the public ``show --json`` shape) this keeps where each
        removed block stood and whether the title is a fallback, and the word count, so
        reading it back needs no counting: it is what the cleaning cache stores.
        """
        return {
            "title": self.title,
            "source": self.source,
            "byline": self.byline,
            "date": self.date,
            "dek": self.dek,
            "captions": list(self.captions),
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "removed": [r.to_dict() for r in self.removed],
            "title_is_fallback": self.title_is_fallback,
            "words": self.words,
        }

    @classmethod
    def from_dict(cls, data: object) -> Article:
        """Read :meth:`to_dict`'s output back, checking every field's type.

        Strict because the data comes from a file anyone could have changed: anything but
        exactly that shape is refused rather than half-read.

        Raises:
            ValueError: ``data`` is not an article in that shape.
        """
        fields = _fields(data, "article", _ARTICLE_FIELDS)
        fallback = fields["title_is_fallback"]
        if not isinstance(fallback, bool):
            raise ValueError(f"title_is_fallback {fallback!r} is not a boolean")
        words = fields["words"]
        if type(words) is not int or words < 0:
            raise ValueError(f"word count {words!r} is not a count")
        article = cls(
            title=_str(fields["title"], "title"),
            source=_optional_str(fields["source"], "source"),
            byline=_optional_str(fields["byline"], "byline"),
            date=_optional_str(fields["date"], "date"),
            dek=_optional_str(fields["dek"], "dek"),
            captions=tuple(_str(c, "caption") for c in _list(fields["captions"], "captions")),
            paragraphs=tuple(
                Paragraph.from_dict(p) for p in _list(fields["paragraphs"], "paragraphs")
            ),
            removed=tuple(Removed.from_dict(r) for r in _list(fields["removed"], "removed")),
            title_is_fallback=fallback,
        )
        object.__setattr__(article, "_words", words)
        return article


_PARAGRAPH_KINDS: tuple[str, ...] = get_args(ParagraphKind)
_ARTICLE_FIELDS = frozenset(
    {
        "title",
        "source",
        "byline",
        "date",
        "dek",
        "captions",
        "paragraphs",
        "removed",
        "title_is_fallback",
        "words",
    }
)
_PARAGRAPH_FIELDS = frozenset({"kind", "text"})
_REMOVED_FIELDS = frozenset({"text", "reason", "position"})


def _fields(data: object, what: str, names: frozenset[str]) -> Mapping[str, object]:
    """``data`` as a mapping with exactly the keys ``names``, or a ValueError saying why."""
    if type(data) is not dict:
        raise ValueError(f"{what} is {type(data).__name__}, not an object")
    if data.keys() != names:
        missing = sorted(names - data.keys())
        extra = sorted(str(k) for k in data.keys() - names)
        raise ValueError(f"{what} fields: missing {missing}, unexpected {extra}")
    return data


def _str(value: object, what: str) -> str:
    if type(value) is not str:
        raise ValueError(f"{what} is {type(value).__name__}, not a string")
    return value


def _optional_str(value: object, what: str) -> str | None:
    return None if value is None else _str(value, what)


def _list(value: object, what: str) -> list[object]:
    if type(value) is not list:
        raise ValueError(f"{what} is {type(value).__name__}, not a list")
    return value
