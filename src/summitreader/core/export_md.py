"""Highlights and notes as Markdown that opens cleanly in Obsidian or any Markdown editor.

One article's export is YAML frontmatter, ``# Title``, a source line, then its highlights in
reading order under ``## Highlights`` and the orphans under ``## Orphaned highlights``. Each
highlight is a ``###`` section::

    ### Paragraph 4, under “Talks”

    > The quoted passage, escaped so that it stays a literal quote.

    ^8f0c2a9e-1b7d-4c38-9a51-2f6e0d4b7c11

    Colour: yellow · Tags: #timeline #military

    > [!note]
    > The user's note, as written, one quote marker per line.

Why it is written this way:

* **Quotes can never become Markdown structure.** Passage text comes from web pages and
  imports. Every character that Markdown, GitHub-flavoured Markdown or Obsidian give a
  meaning (``\\`` ``` ` ``` ``*`` ``_`` ``[`` ``]`` ``<`` ``>`` ``#`` ``&`` ``~`` ``=`` ``$``
  ``^`` ``|``, ``%%``; ``-``, ``+`` and ``1.`` at the start of a line) is backslash-escaped,
  spaces at the edges of a line become character references (Markdown would drop them), and
  paragraphs are joined by a ``>`` line so a quote spanning paragraphs stays one blockquote.
  Parsed back, the blockquote's text is the quote exactly.
* **Notes are the user's Markdown, kept as written, but fenced in.** Every line of a note gets
  a ``>`` marker, inside an Obsidian ``[!note]`` callout (a plain blockquote elsewhere). A
  blockquote continues as long as its lines carry the marker, so nothing inside (a ``---``
  line, a ``# heading``, an unclosed code fence or HTML comment) can end the frontmatter, open
  a new section or swallow the next highlight; removing one ``> `` from each line gives the
  note back.
* **Stable and deterministic.** The block id ``^id`` is the annotation id (Obsidian allows
  letters, digits and dashes in block ids), so links to a highlight survive re-exports. Nothing
  depends on the clock: the frontmatter ``updated`` is the newest annotation time
  (``date`` is the article's own).
* **Terminal- and file-safe.** Control characters are removed and line breaks normalised in
  everything written (the notes store keeps them; this is a view).

Pure core: no Textual, no Rich.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summitreader.core.annotations import Annotation
from summitreader.core.models import Article
from summitreader.core.notes import ResolvedNote
from summitreader.core.textio import sanitize

#: The title of an export that holds several articles.
COLLECTION_TITLE = "summit-reader notes"
HIGHLIGHTS = "Highlights"
ORPHANS = "Orphaned highlights"
ORPHANS_INTRO = (
    "The text these were made on has changed or is gone; each keeps the words it was made on."
)
NO_HIGHLIGHTS = "No highlights in this article yet."
NOTE_CALLOUT = "> [!note]"

#: Escaped wherever they are: they open Markdown, GFM or Obsidian inline syntax.
_ALWAYS = frozenset("\\`*_[]<>#&~=$^|")
#: What :func:`escape_line` escapes inside a line: those, and every ``%`` of a run of two or
#: more (an Obsidian comment). One pass of C code: a Python loop over every character cost
#: most of the time of exporting thousands of highlights.
_ESCAPED = re.compile("[" + re.escape("".join(sorted(_ALWAYS))) + "]|%(?=%)|(?<=%)%")
_LEAD_ORDERED = re.compile(r"\d+[.)]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Characters a YAML parser may not see raw, even inside a quoted string (or would fold).
_YAML_UNSAFE = re.compile(
    "[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_BLOCK_ID = re.compile(r"[A-Za-z0-9-]+")
_BARE_TAG = re.compile(r"[^\W_]+(?:[-/_][^\W_]+)*")


# -- text for Markdown -------------------------------------------------------------------------


def clean(text: str) -> str:
    """``text`` as an export writes it: controls removed, line breaks normalised to ``\\n``.

    Lone surrogates (a broken paste kept by the store) have no UTF-8 form; they become U+FFFD.
    """
    return _SURROGATE.sub("\ufffd", sanitize(text))


def _is_edge(char: str) -> bool:
    """A character Markdown strips from the edges of a line (or that starts a new one)."""
    return char.isspace() or char == "\ufeff"


def _ref(char: str) -> str:
    return f"&#x{ord(char):X};"


def escape_line(line: str) -> str:
    """One line of literal text as Markdown that reads back as exactly that text.

    Works anywhere a line starts: a paragraph, a blockquote line, a heading. Spaces and other
    white space at either edge become character references; every structural character is
    backslash-escaped (see the module docstring).
    """
    lead = 0
    while lead < len(line) and _is_edge(line[lead]):
        lead += 1
    trail = len(line)
    while trail > lead and _is_edge(line[trail - 1]):
        trail -= 1
    core = line[lead:trail]
    escaped = _ESCAPED.sub(r"\\\g<0>", core)
    if core[:1] in ("-", "+"):
        escaped = "\\" + escaped
    escaped = "".join(_ref(c) for c in line[:lead]) + escaped
    if lead == 0:
        ordered = _LEAD_ORDERED.match(core)
        if ordered:  # "1." or "1)" would open an ordered list
            end = ordered.end()
            escaped = escaped[: end - 1] + "\\" + escaped[end - 1 :]
    return escaped + "".join(_ref(c) for c in line[trail:])


def inline(text: str) -> str:
    """Untrusted text (a title, a heading) on one Markdown line: white space collapsed."""
    return escape_line(" ".join(clean(text).split()))


def quote_paragraphs(quote: str) -> list[list[str]]:
    """A quote cut into paragraphs of lines, the way :func:`blockquote` writes it.

    A single line break stays a line break; a run of two or more is a paragraph break, any
    extra ones are kept as characters at the start of the next line (and runs at either end
    of the quote stay characters too), so that joining lines with ``\\n`` and paragraphs with
    ``\\n\\n`` gives the quote back exactly.
    """
    text = clean(quote)
    body = text.strip("\n")
    if not body:
        return [[text]] if text else []
    head = text[: len(text) - len(text.lstrip("\n"))]
    tail = text[len(text.rstrip("\n")) :]
    paragraphs: list[list[str]] = [[]]
    carry = head
    position = 0
    for run in re.finditer(r"\n+", body):
        paragraphs[-1].append(carry + body[position : run.start()])
        size = run.end() - run.start()
        if size == 1:
            carry = ""
        else:
            paragraphs.append([])
            carry = "\n" * (size - 2)
        position = run.end()
    paragraphs[-1].append(carry + body[position:] + tail)
    return paragraphs


def blockquote(quote: str) -> list[str]:
    """The quote as blockquote lines: one blockquote, paragraphs joined by a ``>`` line."""
    lines: list[str] = []
    for n, paragraph in enumerate(quote_paragraphs(quote)):
        if n:
            lines.append(">")
        lines.extend(f"> {escape_line(line)}" for line in paragraph)
    return lines or [">"]


def note_lines(note: str) -> list[str]:
    """The note as a ``[!note]`` callout: every line of it behind a ``>`` marker."""
    body = [f"> {line}" if line else ">" for line in clean(note).split("\n")]
    return [NOTE_CALLOUT, *body]


def block_id(annotation_id: str) -> str:
    """The Obsidian block id for an annotation: its id, when that is a valid block id.

    An id from another tool (an IRI, say) is reduced to letters, digits and dashes, with a
    short hash of the full id so that two such ids cannot meet.
    """
    if _BLOCK_ID.fullmatch(annotation_id):
        return annotation_id
    digest = hashlib.blake2b(annotation_id.encode("utf-8", "surrogatepass"), digest_size=4)
    words = "-".join(re.findall(r"[A-Za-z0-9]+", annotation_id))[-40:].strip("-")
    return f"{words}-{digest.hexdigest()}" if words else digest.hexdigest()


def tag_markdown(tag: str) -> str:
    """A tag as Obsidian reads it (``#tag``) when it can be one, else as code (exact text).

    Obsidian tags are letters, digits, ``-``, ``_`` and ``/``, not all digits; a tag with a
    space or punctuation would be cut short or read as Markdown, so it is written as a code
    span (``#middle east`` in backticks) that keeps every character.
    """
    tag = clean(tag)
    if _BARE_TAG.fullmatch(tag) and not tag.isdigit():
        return f"#{tag}"
    longest = max((len(run) for run in re.findall(r"`+", tag)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} #{tag} {fence}"


def yaml_value(value: str | int | None | Sequence[str]) -> str:
    """A frontmatter value: JSON syntax (a subset of YAML), safe for any YAML parser."""
    if value is None or isinstance(value, int):
        return json.dumps(value)
    if isinstance(value, str):
        return _yaml_string(value)
    return "[" + ", ".join(_yaml_string(item) for item in value) + "]"


def _yaml_string(text: str) -> str:
    quoted = json.dumps(clean(text), ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


# -- where a highlight is --------------------------------------------------------------------


def locate(article: Article, start: int, end: int) -> str:
    """Where ``start:end`` of the canonical text is, as a reader counts.

    Paragraphs are numbered from 1, headings not counted; a passage in a section says which
    heading it is under. Examples: ``Paragraph 4``, ``Paragraphs 4–5, under “Talks”``,
    ``The heading “Talks”``. For many passages of one article, use a :class:`Locator`.
    """
    return Locator(article)(start, end)


class Locator:
    """:func:`locate` for one article: its paragraphs indexed once, each passage found by
    bisection.

    An export places every highlight of an article; indexing the paragraphs for each one
    made exporting a book-length article's thousands of highlights take seconds.
    """

    def __init__(self, article: Article) -> None:
        self.paragraphs = article.paragraphs
        #: Where each paragraph starts in the canonical text.
        self.starts: list[int] = []
        #: Each paragraph's number, headings not counted (a heading has the one before it).
        self.numbers: list[int] = []
        #: The nearest heading before each paragraph, or -1.
        self.heading_before: list[int] = []
        position = count = 0
        heading = -1
        for n, paragraph in enumerate(self.paragraphs):
            self.starts.append(position)
            position += len(paragraph.text) + 2
            count += paragraph.kind != "heading"
            self.numbers.append(count)
            self.heading_before.append(heading)
            if paragraph.kind == "heading":
                heading = n

    def __call__(self, start: int, end: int) -> str:
        """Where ``start:end`` of the canonical text is (see :func:`locate`)."""
        paragraphs = self.paragraphs
        if not paragraphs:
            return "The article"
        first = self._index_at(start, forward=True)
        last = max(first, self._index_at(max(start, end - 1), forward=False))
        both_text = paragraphs[first].kind != "heading" and paragraphs[last].kind != "heading"
        if first == last:
            label = self._describe(first)
        elif both_text:
            label = f"paragraphs {self.numbers[first]}–{self.numbers[last]}"
        else:
            label = f"{self._describe(first)} to {self._describe(last)}"
        if paragraphs[first].kind != "heading" and self.heading_before[first] >= 0:
            label += f", under {self._heading(self.heading_before[first])}"
        return label[0].upper() + label[1:]

    def _index_at(self, offset: int, *, forward: bool) -> int:
        n = max(0, bisect.bisect_right(self.starts, offset) - 1)
        in_gap = offset >= self.starts[n] + len(self.paragraphs[n].text)
        return n + 1 if in_gap and forward and n + 1 < len(self.paragraphs) else n

    def _heading(self, n: int) -> str:
        text = " ".join(clean(self.paragraphs[n].text).split())
        return f"“{text[:79] + '…' if len(text) > 80 else text}”"

    def _describe(self, n: int) -> str:
        if self.paragraphs[n].kind == "heading":
            return f"the heading {self._heading(n)}"
        return f"paragraph {self.numbers[n]}"


# -- documents ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleNotes:
    """One article's annotations, ready to export.

    Attributes:
        article_id: the library id.
        article: the cleaned article, or ``None`` when it is no longer in the library.
        notes: its annotations resolved against the current text: placed ones in reading
            order, then orphans.
    """

    article_id: str
    article: Article | None
    notes: tuple[ResolvedNote, ...]

    @property
    def title(self) -> str:
        """The article's title, or a stand-in naming its id."""
        return self.article.title if self.article is not None else f"Article {self.article_id}"

    @property
    def annotations(self) -> list[Annotation]:
        """The annotations, in export order."""
        return [note.annotation for note in self.notes]


def newest_time(annotations: Iterable[Annotation]) -> str | None:
    """The latest ``updated`` time: the export's date, so that it needs no clock."""
    return max((a.updated for a in annotations), default=None)


def all_tags(annotations: Iterable[Annotation]) -> list[str]:
    """Every tag once, in the order they first appear."""
    seen: dict[str, str] = {}
    for annotation in annotations:
        for tag in annotation.tags:
            seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


def article_markdown(group: ArticleNotes) -> str:
    """One article's export: frontmatter with its details, then its highlights."""
    annotations = group.annotations
    article = group.article
    front = {
        "title": group.title,
        "source": article.source if article else None,
        "byline": article.byline if article else None,
        "date": article.date if article else None,
        "updated": newest_time(annotations),
        "article_id": group.article_id,
        "annotations": len(annotations),
        "tags": all_tags(annotations),
    }
    return _document(front, _article_body(group))


def collection_markdown(groups: Sequence[ArticleNotes]) -> str:
    """Several articles in one file: one frontmatter for all, then each article in turn."""
    annotations = [a for group in groups for a in group.annotations]
    front = {
        "title": COLLECTION_TITLE,
        "updated": newest_time(annotations),
        "articles": len(groups),
        "annotations": len(annotations),
        "tags": all_tags(annotations),
    }
    body: list[str] = []
    for group in groups:
        body.extend(_article_body(group))
    if not groups:
        body = ["# Notes", "", "No highlights yet.", ""]
    return _document(front, body)


def _document(front: dict[str, str | int | None | list[str]], body: list[str]) -> str:
    lines = ["---", *(f"{key}: {yaml_value(value)}" for key, value in front.items()), "---", ""]
    lines.extend(body)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _article_body(group: ArticleNotes) -> list[str]:
    lines = [f"# {inline(group.title)}", "", _source_line(group), ""]
    placed = [note for note in group.notes if note.status != "orphan"]
    orphans = [note for note in group.notes if note.status == "orphan"]
    if not placed and not orphans:
        lines += [NO_HIGHLIGHTS, ""]
    if placed:
        assert group.article is not None  # placed notes have a text to be placed in
        where = Locator(group.article)
        lines += [f"## {HIGHLIGHTS}", ""]
        for note in placed:
            heading = inline(where(note.anchor.start, note.anchor.end))
            lines += _annotation_lines(note.annotation, heading)
    if orphans:
        lines += [f"## {ORPHANS}", "", ORPHANS_INTRO, ""]
        for number, note in enumerate(orphans, start=1):
            lines += _annotation_lines(note.annotation, f"Orphan {number}")
    return lines


def _source_line(group: ArticleNotes) -> str:
    article = group.article
    if article is None:
        return f"Not in the library any more · article {inline(group.article_id)}"
    parts = [
        article.source,
        f"By {article.byline}" if article.byline else None,
        article.date,
        f"article {group.article_id}",
    ]
    return " · ".join(inline(part) for part in parts if part)


def _annotation_lines(annotation: Annotation, heading: str) -> list[str]:
    meta = f"Colour: {annotation.color}"
    if annotation.tags:
        meta += " · Tags: " + " ".join(tag_markdown(tag) for tag in annotation.tags)
    lines = [f"### {heading}", "", *blockquote(annotation.exact), ""]
    lines += [f"^{block_id(annotation.id)}", "", meta, ""]
    if annotation.note:
        lines += [*note_lines(annotation.note), ""]
    return lines


__all__ = [
    "ArticleNotes",
    "Locator",
    "all_tags",
    "article_markdown",
    "block_id",
    "blockquote",
    "clean",
    "collection_markdown",
    "escape_line",
    "inline",
    "locate",
    "newest_time",
    "note_lines",
    "quote_paragraphs",
    "tag_markdown",
    "yaml_value",
]
