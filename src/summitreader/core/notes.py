"""Notes as the CLI and the reader use them: library, store and anchoring together.

This is where a quote typed by a user becomes an annotation, and where an article whose text
changed gets its annotations re-anchored and saved back. Pure core: no Textual, no Rich.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summitreader.core.anchoring import Anchor, reanchor
from summitreader.core.annotations import DEFAULT_COLOR, Annotation, new_annotation
from summitreader.core.library import LibraryEntry
from summitreader.core.store import Store

#: Characters of context shown either side of an occurrence when a quote is ambiguous.
SHOW_CONTEXT = 30

_QUOTE_VARIANTS = {
    "'": "'‘’‚‛′",
    "‘": "'‘’‚‛′",
    "’": "'‘’‚‛′",
    '"': '"“”„‟″«»',
    "“": '"“”„‟″«»',
    "”": '"“”„‟″«»',
    "-": "-‐‑‒–—",
    "–": "-‐‑‒–—",
    "—": "-‐‑‒–—",
}


class NotesError(Exception):
    """A one-line, user-facing problem (quote not found, ambiguous, unknown note)."""


@dataclass(frozen=True)
class ResolvedNote:
    """An annotation with where it sits in its article's current text."""

    annotation: Annotation
    anchor: Anchor
    entry: LibraryEntry | None  # None when the article is no longer in the library

    @property
    def status(self) -> str:
        return self.anchor.status if self.entry is not None else "orphan"


def _quote_pattern(quote: str) -> re.Pattern[str]:
    """A pattern for ``quote`` that tolerates quote style, dashes and white space."""
    parts: list[str] = []
    for word in quote.split():
        parts.append(
            "".join(
                f"[{re.escape(_QUOTE_VARIANTS[c])}]" if c in _QUOTE_VARIANTS else re.escape(c)
                for c in word
            )
        )
    return re.compile(r"\s+".join(parts))


def find_occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    """Every place ``quote`` occurs in ``text``: exactly, or else up to quote style and spaces."""
    quote = quote.strip()
    if not quote:
        return []
    exact = [(m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), text)]
    if exact:
        return exact
    return [(m.start(), m.end()) for m in _quote_pattern(quote).finditer(text)]


def context_line(text: str, start: int, end: int, width: int = SHOW_CONTEXT) -> str:
    """``…before [quote] after…`` on one line, for telling occurrences apart."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    flat = " ".join(f"{before}[{text[start:end]}]{after}".split())
    lead = "…" if start > width else ""
    tail = "…" if end + width < len(text) else ""
    return f"{lead}{flat}{tail}"


def create_highlight(
    store: Store,
    entry: LibraryEntry,
    quote: str,
    *,
    occurrence: int | None = None,
    note: str = "",
    color: str = DEFAULT_COLOR,
    tags: Iterable[str] = (),
) -> Annotation:
    """Highlight ``quote`` in the article and save it.

    Raises:
        NotesError: the quote is not in the article, or occurs several times and
            ``occurrence`` (1-based) does not pick one.
    """
    text = entry.article.text
    spans = find_occurrences(text, quote)
    if not spans:
        raise NotesError(f"the quote does not occur in article {entry.id}")
    if occurrence is None and len(spans) > 1:
        listed = "; ".join(
            f"{n}: {context_line(text, s, e)}" for n, (s, e) in enumerate(spans[:9], start=1)
        )
        more = f"; and {len(spans) - 9} more" if len(spans) > 9 else ""
        raise NotesError(
            f"the quote occurs {len(spans)} times; pick one with --occurrence N: {listed}{more}"
        )
    index = 1 if occurrence is None else occurrence
    if not 1 <= index <= len(spans):
        raise NotesError(f"--occurrence must be between 1 and {len(spans)}")
    start, end = spans[index - 1]
    annotation = new_annotation(entry.id, text, start, end, color=color, note=note, tags=tags)
    store.add(annotation)
    return annotation


def resolve_notes(
    store: Store, entries: Sequence[LibraryEntry], *, article_id: str | None = None
) -> list[ResolvedNote]:
    """Every annotation (or one article's) resolved against the current texts.

    Annotations whose article text changed are re-anchored and the new selectors saved (one
    locked write per article); the ones that cannot be found again are marked orphans. An
    article missing from the library leaves its annotations untouched: it may come back.

    Returns:
        Reading order: articles in library order, then by position; orphans last.
    """
    by_id = {e.id: e for e in entries}
    annotations = store.for_article(article_id) if article_id else store.all()
    results: list[ResolvedNote] = []
    changed: list[Annotation] = []
    for annotation in annotations:
        entry = by_id.get(annotation.article_id)
        if entry is None:
            missing = Anchor(-1, -1, "orphan", 0.0)
            results.append(ResolvedNote(annotation, missing, None))
            continue
        text = entry.article.text
        updated, anchor = reanchor(annotation, text)
        if updated != annotation:
            changed.append(updated)
        results.append(ResolvedNote(updated, anchor, entry))
    if changed and not store.read_only:
        store.update_many(changed)
    order = {e.id: n for n, e in enumerate(entries)}

    def key(note: ResolvedNote) -> tuple[int, int, int, str]:
        orphan = 1 if note.status == "orphan" else 0
        position = order.get(note.annotation.article_id, len(order))
        return (orphan, position, note.anchor.start, note.annotation.created)

    return sorted(results, key=key)


__all__ = [
    "NotesError",
    "ResolvedNote",
    "context_line",
    "create_highlight",
    "find_occurrences",
    "resolve_notes",
]
