"""Highlights and notes: immutable values, anchored in an article's canonical text.

Where an annotation points is defined once, here, for the store, the reader and the export:

* The **canonical text** of an article is :attr:`summitreader.core.models.Article.text`: its
  cleaned paragraphs, headings included, joined by a blank line (``"\\n\\n"``).
* A :class:`Selector` follows the W3C Web Annotation model. ``exact``/``prefix``/``suffix``
  form a TextQuoteSelector (the quoted words and about :data:`CONTEXT` characters either side);
  ``start``/``end`` form a TextPositionSelector: code-point offsets into the canonical text,
  ``end`` exclusive, so ``text[start:end] == exact`` when the text has not changed.

Annotations never point at screen rows: a resize or a different terminal cannot move them.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from summitreader.core.models import text_hash

#: Characters of context kept on each side of a quote.
CONTEXT = 32

#: The named highlight colours, in the order the reader offers them (keys 1-5).
COLORS: tuple[str, ...] = ("yellow", "green", "blue", "pink", "purple")
DEFAULT_COLOR = COLORS[0]

#: Resolution statuses, best first. An orphan is kept and listed, never re-attached.
STATUSES: tuple[str, ...] = ("exact", "moved", "fuzzy", "orphan")


class AnnotationError(ValueError):
    """Bad input for an annotation (unknown colour, empty or out-of-range selection)."""


def now_iso() -> str:
    """The current time as ISO 8601 UTC with a ``Z``, to the millisecond."""
    stamp = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds")
    return stamp.replace("+00:00", "Z")


@dataclass(frozen=True)
class Selector:
    """Where an annotation is: the quote with its context, and its offsets (W3C)."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int

    @classmethod
    def from_span(cls, text: str, start: int, end: int) -> Selector:
        """The selector for ``text[start:end]``.

        Raises:
            AnnotationError: the span is empty, reversed or outside the text.
        """
        if not 0 <= start < end <= len(text):
            raise AnnotationError(f"selection {start}-{end} is outside the text (0-{len(text)})")
        return cls(
            exact=text[start:end],
            prefix=text[max(0, start - CONTEXT) : start],
            suffix=text[end : end + CONTEXT],
            start=start,
            end=end,
        )

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Selector:
        return cls(
            exact=str(data["exact"]),
            prefix=str(data.get("prefix", "")),
            suffix=str(data.get("suffix", "")),
            start=int(data["start"]),
            end=int(data["end"]),
        )


@dataclass(frozen=True)
class Annotation:
    """A highlight, with an optional note and tags, on one article.

    Attributes:
        id: a uuid4, as a string.
        article_id: the library id of the article (a hash of its file name).
        article_hash: hash of the canonical text the selector was made on (:func:`text_hash`).
        selector: where it is.
        color: one of :data:`COLORS`.
        note: Markdown written by the user; empty for a plain highlight.
        tags: the user's tags, in the order given, without duplicates.
        created, updated: ISO 8601 UTC.
        orphan: the text it was made on changed and the quote could not be found again; it is
            kept, with its stored quote, and never re-attached to a look-alike passage.
    """

    id: str
    article_id: str
    article_hash: str
    selector: Selector
    color: str = DEFAULT_COLOR
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str = field(default_factory=now_iso)
    updated: str = ""
    orphan: bool = False

    def __post_init__(self) -> None:
        if self.color not in COLORS:
            raise AnnotationError(
                f"unknown colour {self.color!r}; choose one of: {', '.join(COLORS)}"
            )
        if not self.updated:
            object.__setattr__(self, "updated", self.created)
        object.__setattr__(self, "tags", normalize_tags(self.tags))

    @property
    def exact(self) -> str:
        """The quoted text."""
        return self.selector.exact

    def edited(self, **changes: Any) -> Annotation:
        """A copy with ``changes`` applied and ``updated`` set to now."""
        return dataclasses.replace(self, updated=now_iso(), **changes)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape the store saves."""
        return {
            "id": self.id,
            "article_id": self.article_id,
            "article_hash": self.article_hash,
            "selector": self.selector.to_dict(),
            "color": self.color,
            "note": self.note,
            "tags": list(self.tags),
            "created": self.created,
            "updated": self.updated,
            "orphan": self.orphan,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Annotation:
        """Rebuild from :meth:`to_dict` output.

        Raises:
            AnnotationError: a field is missing or of the wrong type.
        """
        try:
            return cls(
                id=str(data["id"]),
                article_id=str(data["article_id"]),
                article_hash=str(data["article_hash"]),
                selector=Selector.from_dict(data["selector"]),
                color=str(data.get("color", DEFAULT_COLOR)),
                note=str(data.get("note", "")),
                tags=tuple(str(t) for t in data.get("tags", ())),
                created=str(data["created"]),
                updated=str(data.get("updated", "")),
                orphan=bool(data.get("orphan", False)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise AnnotationError(f"malformed annotation: {exc}") from None


def new_annotation(
    article_id: str,
    text: str,
    start: int,
    end: int,
    *,
    color: str = DEFAULT_COLOR,
    note: str = "",
    tags: Iterable[str] = (),
) -> Annotation:
    """A fresh annotation on ``text[start:end]`` of the article's canonical text."""
    return Annotation(
        id=str(uuid.uuid4()),
        article_id=article_id,
        article_hash=text_hash(text),
        selector=Selector.from_span(text, start, end),
        color=color,
        note=note,
        tags=tuple(tags),
    )


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags trimmed, a leading ``#`` dropped, empty and repeated ones removed (order kept).

    Idempotent, so a tag reads back from the store or an export exactly as it was saved:
    every ``#`` and space at the start goes at once (``"# #a"`` is ``"a"``, not ``"#a"``).
    """
    seen: dict[str, None] = {}
    for tag in tags:
        clean = " ".join(str(tag).split()).lstrip("# ")
        if clean and clean.casefold() not in {t.casefold() for t in seen}:
            seen[clean] = None
    return tuple(seen)
