"""Reading a Markdown export back, as a Markdown editor would, and sample notes on the seeds.

The parser uses markdown-it-py (CommonMark) and PyYAML, not the exporter's own code, so the
tests check what any editor will see: the structure of the document, the literal text of
each quote, each note as written, each tag.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from summitreader.core.anchoring import Anchor
from summitreader.core.annotations import Annotation, Selector
from summitreader.core.export_md import ArticleNotes
from summitreader.core.library import LibraryEntry
from summitreader.core.models import Article, text_hash
from summitreader.core.notes import ResolvedNote
from summitreader.core.store import Store
from summitreader.core.textio import DecodedText, sanitize

DATA = Path(__file__).resolve().parents[1] / "data" / "export"
CALLOUT = "> [!note]"
LITERAL = {"text", "text_special", "softbreak"}


@dataclass
class ParsedAnnotation:
    """One ``###`` section as an editor shows it."""

    section: str
    heading: str
    quote: str | None = None
    block_id: str | None = None
    colour: str | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass
class ParsedArticle:
    title: str
    lines: list[str] = field(default_factory=list)  # paragraphs outside any highlight
    annotations: list[ParsedAnnotation] = field(default_factory=list)


@dataclass
class ParsedExport:
    front: dict[str, Any]
    articles: list[ParsedArticle]

    @property
    def annotations(self) -> list[ParsedAnnotation]:
        return [a for article in self.articles for a in article.annotations]


def split_frontmatter(text: str) -> tuple[dict[str, Any], str, int]:
    """The YAML frontmatter parsed, the body, and the body's first line number."""
    assert text.startswith("---\n"), "no frontmatter"
    end = text.index("\n---\n", 3)
    front = yaml.safe_load(text[4:end])
    assert isinstance(front, dict)
    return front, text[end + 5 :], text[: end + 5].count("\n")


def inline_text(token: Token, *, literal: bool = False) -> str:
    """The text an inline token shows; with ``literal``, fail on any Markdown formatting."""
    parts: list[str] = []
    for child in token.children or []:
        if literal:
            assert child.type in LITERAL, f"quote text became Markdown: {child.type}"
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def _block_end(tokens: Sequence[Token], start: int) -> int:
    """The index of the token closing the block opened at ``start``."""
    depth = 0
    for n in range(start, len(tokens)):
        depth += tokens[n].nesting
        if depth == 0:
            return n
    raise AssertionError("unclosed block")


def _meta(token: Token, target: ParsedAnnotation) -> None:
    """``Colour: c · Tags: #a `#b c```: colour and tags, tags in order."""
    children = token.children or []
    first = children[0].content if children else ""
    match = re.match(r"Colour: (\w+)", first)
    assert match, f"no colour line: {first!r}"
    target.colour = match.group(1)
    in_tags = False
    for child in children:
        if child.type == "text":
            content = child.content
            if not in_tags:
                if " · Tags: " not in content:
                    continue
                content = content.split(" · Tags: ", 1)[1]
                in_tags = True
            target.tags += [word[1:] for word in content.split() if word.startswith("#")]
        elif child.type == "code_inline":
            assert in_tags and child.content.startswith("#")
            target.tags.append(child.content[1:])
        else:
            raise AssertionError(f"unexpected {child.type} in the colour line")


def parse_export(text: str) -> ParsedExport:
    """Parse a Markdown export; fail on anything outside the documented structure."""
    front, body, _ = split_frontmatter(text)
    lines = body.split("\n")
    tokens = MarkdownIt("commonmark").parse(body)
    articles: list[ParsedArticle] = []
    section = ""
    current: ParsedAnnotation | None = None
    n = 0
    while n < len(tokens):
        token = tokens[n]
        end = _block_end(tokens, n) if token.nesting == 1 else n
        if token.type == "heading_open":
            title = inline_text(tokens[n + 1])
            if token.tag == "h1":
                articles.append(ParsedArticle(title))
                section, current = "", None
            elif token.tag == "h2":
                section, current = title, None
            else:
                assert token.tag == "h3", f"unexpected heading {token.tag}"
                current = ParsedAnnotation(section, title)
                articles[-1].annotations.append(current)
        elif token.type == "blockquote_open":
            assert current is not None, "a blockquote outside a highlight"
            assert token.map is not None
            first, last = token.map
            if lines[first] == CALLOUT:
                assert current.note is None, "two notes in one highlight"
                inside = lines[first + 1 : last]
                while inside and not inside[-1]:  # markdown-it counts the blank line after it
                    inside.pop()
                assert all(line.startswith(">") for line in inside)
                current.note = "\n".join(
                    line[2:] if line.startswith("> ") else line[1:] for line in inside
                )
            else:
                assert current.quote is None and current.block_id is None, "a second quote"
                paragraphs = []
                for inner in tokens[n + 1 : end]:
                    assert inner.type in ("paragraph_open", "inline", "paragraph_close"), (
                        f"quote text became Markdown: {inner.type}"
                    )
                    if inner.type == "inline":
                        paragraphs.append(inline_text(inner, literal=True))
                current.quote = "\n\n".join(paragraphs)
        elif token.type == "paragraph_open":
            inner = tokens[n + 1]
            content = inline_text(inner)
            if current is not None and content.startswith("^") and current.block_id is None:
                current.block_id = content[1:]
            elif current is not None and content.startswith("Colour: "):
                _meta(inner, current)
            else:
                assert current is None, f"stray text in a highlight: {content!r}"
                articles[-1].lines.append(content)
        else:
            raise AssertionError(f"unexpected block at the top level: {token.type}")
        n = end + 1
    return ParsedExport(front, articles)


# -- what the store says a highlight should look like --------------------------------------


def shown(text: str) -> str:
    """What an export writes for stored text: controls removed, line breaks normalised."""
    return sanitize(text)


def expected(annotation: Annotation, section: str) -> dict[str, object]:
    return {
        "section": section,
        "quote": shown(annotation.exact),
        "block_id": annotation.id,
        "colour": annotation.color,
        "tags": [shown(t) for t in annotation.tags],
        "note": shown(annotation.note) if annotation.note else None,
    }


def observed(parsed: ParsedAnnotation) -> dict[str, object]:
    data = dataclasses.asdict(parsed)
    del data["heading"]
    return data


def check_matches(parsed: ParsedExport, groups: Sequence[ArticleNotes]) -> None:
    """Every quote, note, tag and colour read back equals what the store holds."""
    assert len(parsed.articles) == len(groups)
    for article, group in zip(parsed.articles, groups, strict=True):
        wanted = [
            expected(
                n.annotation,
                "Orphaned highlights" if n.status == "orphan" else "Highlights",
            )
            for n in group.notes
        ]
        assert [observed(a) for a in article.annotations] == wanted
        assert article.title == " ".join(shown(group.title).split())
    total = sum(len(group.notes) for group in groups)
    assert parsed.front["annotations"] == total


# -- building blocks -------------------------------------------------------------------------


def entry_for(article: Article, ident: str = "a1b2c3d4") -> LibraryEntry:
    """A library entry holding ``article`` as it is (no cleaning)."""
    entry = LibraryEntry(ident, Path(f"{ident}.txt"), "folder", DecodedText("", "utf-8"))
    entry.__dict__["article"] = article  # fill the cached property
    return entry


def placed(annotation: Annotation, entry: LibraryEntry) -> ResolvedNote:
    sel = annotation.selector
    return ResolvedNote(annotation, Anchor(sel.start, sel.end, "exact", 1.0), entry)


def orphaned(annotation: Annotation) -> ResolvedNote:
    return ResolvedNote(annotation, Anchor(-1, -1, "orphan", 0.0), None)


# -- sample notes on the seeds, the same every run ------------------------------------------

MISSING_ARTICLE = "deadbeef"


def _uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def _stamp(day: int, minute: int = 0) -> str:
    return f"2024-06-{day:02d}T09:{minute:02d}:00.000Z"


def sample_annotations(entries: Sequence[LibraryEntry]) -> list[Annotation]:
    """Highlights on the seeds with notes, tags, a span across paragraphs and two orphans.

    Fixed ids and times, so the exports made from them are the same on every run.
    """
    by_id = {entry.id: entry for entry in entries}
    india = by_id["39240234"].article.text
    yonhap = by_id["77766b27"].article.text
    standard = by_id["b038caf0"].article.text

    def on(
        n: int, text: str, article: str, phrase: str, end_phrase: str | None = None, **kw: Any
    ) -> Annotation:
        start = text.index(phrase)
        end = text.index(end_phrase, start) + len(end_phrase) if end_phrase else start + len(phrase)
        return Annotation(
            id=_uuid(n),
            article_id=article,
            article_hash=text_hash(text),
            selector=Selector.from_span(text, start, end),
            created=_stamp(20, n),
            **kw,
        )

    gone = Selector(
        "a sentence the new capture no longer has", "Before it, ", " and after.", 10, 50
    )
    return [
        on(
            1,
            india,
            "39240234",
            "Putin's visit comes amid growing concerns",
            note="Why *now*?\n\n- arms\n- oil\n\n---\n# Not a heading of the export",
            tags=("timeline", "middle east"),
        ),
        on(
            2,
            india,
            "39240234",
            "Pyongyang: Russian President",
            "After spending the rest",
            color="blue",
        ),
        on(
            3,
            yonhap,
            "77766b27",
            "Putin",
            color="green",
            tags=("people",),
            updated=_stamp(21, 5),
        ),
        on(4, standard, "b038caf0", "North Korea", note="Compare the `wording` <b>here</b>"),
        Annotation(
            id=_uuid(5),
            article_id="77766b27",
            article_hash="0123456789abcdef",
            selector=gone,
            color="pink",
            note="Kept, with the words it was made on.",
            created=_stamp(19),
        ),
        Annotation(
            id=_uuid(6),
            article_id=MISSING_ARTICLE,
            article_hash="fedcba9876543210",
            selector=Selector("from an article since removed", "", "", 0, 29),
            color="purple",
            tags=("archive",),
            created=_stamp(18),
        ),
    ]


def store_with_samples(entries: Sequence[LibraryEntry]) -> list[Annotation]:
    """Put the sample notes in the (isolated) store; returns them."""
    samples = sample_annotations(entries)
    with Store() as store:
        for annotation in samples:
            store.add(annotation)
    return samples
