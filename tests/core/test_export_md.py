"""The Markdown export, read back with markdown-it-py and PyYAML as an editor would.

Golden files for the seeds live in ``tests/data/export``; after a deliberate change to the
format, regenerate them with ``SUMMIT_READER_REGEN_GOLDEN=1 python -m pytest
tests/core/test_export_md.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from summitreader.core.annotations import COLORS, Annotation, Selector
from summitreader.core.export import file_name, gather, render, slug, write_folder
from summitreader.core.export_md import (
    ArticleNotes,
    article_markdown,
    block_id,
    blockquote,
    collection_markdown,
    escape_line,
    locate,
    tag_markdown,
)
from summitreader.core.library import Library
from summitreader.core.models import Article, Paragraph, text_hash
from summitreader.core.store import Store

from .export_support import (
    DATA,
    MISSING_ARTICLE,
    check_matches,
    entry_for,
    inline_text,
    orphaned,
    parse_export,
    placed,
    shown,
    split_frontmatter,
    store_with_samples,
)
from .fuzz import fuzz_settings

REGENERATE = bool(os.environ.get("SUMMIT_READER_REGEN_GOLDEN"))

# Text that means something to Markdown, GFM or Obsidian, in pieces hypothesis combines.
HOSTILE = [
    "#", "# ", "## x", "-", "- ", "+ ", "* ", "1.", "1. ", "2)", ">", "> ", "`", "```", "~~~",
    "*", "**", "_", "__", "[", "]", "[x](http://e.com)", "![i](x.png)", "[[link]]", "[^1]",
    "[x]: /u", "<b>", "</b>", "<tags>", "<!--", "-->", "<http://a.b>", "&amp;", "&#65;", "&",
    "---", "***", "___", "===", "\\", "|", "| a | b |", "|---|", "~", "~~", "==", "$", "$$",
    "%%", "^", "^abc", "{", "}", "\n", "\n\n", "\n\n\n", " ", "  ", "    ", "\t", "\u00a0",
    "\u3000", "\ufeff", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x1b[31m", "\x00",
    "[!note]", "> [!note]", "Colour: red", "### Paragraph 1", "^00000000", "title: x",
    # What would drive a terminal or a Rich/Textual renderer (tests/hostile has the rest).
    "\x1b]0;title\x07", "\x1b]52;c;Zm9v\x07", "\x1b]8;;file:///etc/passwd\x1b\\", "\x9b31m",
    "\x07", "\x7f", "\u202e", "\u2066", "[@click=app.quit]", "[link=file:///x]", "[/]", "[$var]",
]  # fmt: skip
#: Characters no export may contain: controls but tab and newline, DEL, C1, bidi overrides.
TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=4)), max_size=12).map(
    "".join
)
hostile_tags = st.lists(hostile_text, max_size=4)


# -- the seeds -------------------------------------------------------------------------------


@pytest.fixture
def seeds() -> Library:
    return Library.from_environment()


@pytest.fixture
def seed_groups(seeds: Library) -> list[ArticleNotes]:
    store_with_samples(seeds.entries())
    with Store() as store:
        return gather(store, seeds.entries())


def golden(name: str, actual: str) -> None:
    path = DATA / name
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
    assert path.read_text(encoding="utf-8") == actual, f"{name} differs from its golden file"


def test_seed_collection_matches_its_golden_file(seed_groups: list[ArticleNotes]) -> None:
    golden("seeds.md", render(seed_groups, "markdown"))
    golden("seeds.w3c.json", render(seed_groups, "w3c"))


def test_seed_files_per_article_match_their_golden_files(
    seed_groups: list[ArticleNotes], tmp_path: Path
) -> None:
    paths = write_folder(tmp_path, seed_groups, "markdown")
    names = sorted(path.name for path in paths)
    if REGENERATE:
        for old in (DATA / "articles").glob("*.md"):
            old.unlink()
    for path in paths:
        golden(f"articles/{path.name}", path.read_text(encoding="utf-8"))
    assert sorted(p.name for p in (DATA / "articles").glob("*.md")) == names


def test_seed_export_reads_back_as_the_store_holds_it(seed_groups: list[ArticleNotes]) -> None:
    assert [g.article_id for g in seed_groups] == [
        "b038caf0",
        "77766b27",
        "39240234",
        MISSING_ARTICLE,
    ]
    text = render(seed_groups, "markdown")
    parsed = parse_export(text)
    check_matches(parsed, seed_groups)
    assert parsed.front["title"] == "summit-reader notes"
    assert parsed.front["articles"] == 4 and parsed.front["annotations"] == 6
    assert parsed.front["tags"] == ["people", "timeline", "middle east", "archive"]
    assert parsed.front["updated"] == "2024-06-21T09:05:00.000Z"  # the newest annotation time
    for group in seed_groups:
        one = parse_export(render([group], "markdown"))
        check_matches(one, [group])
        assert one.front["article_id"] == group.article_id
        assert one.front["annotations"] == len(group.notes)


def test_seed_article_details_quote_heading_and_location(
    seed_groups: list[ArticleNotes],
) -> None:
    india = next(g for g in seed_groups if g.article_id == "39240234")
    text = article_markdown(india)
    front, _, _ = split_frontmatter(text)
    assert front == {
        "title": india.title,
        "source": "indiatvnews.com",
        "byline": "Ajeet Kumar",
        "date": "2024-06-19",
        "updated": "2024-06-20T09:02:00.000Z",
        "article_id": "39240234",
        "annotations": 2,
        "tags": ["timeline", "middle east"],
    }
    [article] = parse_export(text).articles
    assert article.lines[0] == "indiatvnews.com · By Ajeet Kumar · 2024-06-19 · article 39240234"
    spanning, under = article.annotations
    assert spanning.heading == "Paragraphs 1–2"
    assert spanning.quote is not None and "\n\n" in spanning.quote
    assert under.heading == "Paragraph 3, under “Why did Putin choose North Korea to visit?”"
    assert under.tags == ["timeline", "middle east"]
    assert under.note is not None and under.note.startswith("Why *now*?")
    assert "#timeline" in text and "` #middle east `" in text  # a real tag, and one kept exact


def test_orphans_have_their_own_section_with_their_stored_quote(
    seed_groups: list[ArticleNotes],
) -> None:
    parsed = parse_export(render(seed_groups, "markdown"))
    yonhap, missing = parsed.articles[1], parsed.articles[3]
    assert [a.section for a in yonhap.annotations] == ["Highlights", "Orphaned highlights"]
    assert yonhap.annotations[1].quote == "a sentence the new capture no longer has"
    assert yonhap.annotations[1].heading == "Orphan 1"
    assert missing.title == f"Article {MISSING_ARTICLE}"
    assert missing.lines[0] == f"Not in the library any more · article {MISSING_ARTICLE}"
    assert [a.quote for a in missing.annotations] == ["from an article since removed"]


def test_exporting_again_gives_the_same_bytes(seeds: Library) -> None:
    store_with_samples(seeds.entries())
    with Store() as store:
        first = [render(gather(store, seeds.entries()), fmt) for fmt in ("markdown", "w3c")]
    with Store() as store:
        again = [render(gather(store, seeds.entries()), fmt) for fmt in ("markdown", "w3c")]
    assert first == again


def test_an_article_without_notes_says_so(seeds: Library) -> None:
    entry = seeds.entries()[0]
    with Store() as store:
        [group] = gather(store, seeds.entries(), [entry.id])
        assert gather(store, seeds.entries()) == []  # --all skips articles without notes
    text = render([group], "markdown")
    parsed = parse_export(text)
    assert parsed.front["annotations"] == 0 and parsed.front["updated"] is None
    assert parsed.articles[0].lines[-1] == "No highlights in this article yet."
    assert parse_export(collection_markdown([])).front["annotations"] == 0


# -- where a highlight is ----------------------------------------------------------------------


def test_locations_count_paragraphs_and_name_the_heading_above() -> None:
    article = Article(
        "T",
        paragraphs=(
            Paragraph("paragraph", "One."),
            Paragraph("heading", "Talks"),
            Paragraph("paragraph", "Two."),
            Paragraph("paragraph", "Three."),
        ),
    )
    text = article.text

    def at(quote: str, end_quote: str | None = None) -> str:
        start = text.index(quote)
        end = text.index(end_quote) + len(end_quote) if end_quote else start + len(quote)
        return locate(article, start, end)

    assert at("One.") == "Paragraph 1"
    assert at("Talks") == "The heading “Talks”"
    assert at("Two.") == "Paragraph 2, under “Talks”"
    assert at("Two.", "Three.") == "Paragraphs 2–3, under “Talks”"
    assert at("One.", "Two.") == "Paragraphs 1–2"
    assert at("Talks", "Two.") == "The heading “Talks” to paragraph 2"
    assert locate(article, text.index("One.") + 4, text.index("Talks")) == "The heading “Talks”"
    assert locate(Article("T"), 0, 1) == "The article"


# -- escaping ----------------------------------------------------------------------------------


def parse_quote(quote: str) -> str:
    """The text of the one blockquote :func:`blockquote` writes, read by markdown-it."""
    tokens = MarkdownIt("commonmark").parse("\n".join(blockquote(quote)) + "\n")
    assert tokens[0].type == "blockquote_open" and tokens[-1].type == "blockquote_close"
    paragraphs = []
    for token in tokens[1:-1]:
        assert token.type in ("paragraph_open", "inline", "paragraph_close"), token.type
        if token.type == "inline":
            paragraphs.append(inline_text(token, literal=True))
    return "\n\n".join(paragraphs)


@pytest.mark.parametrize(
    "quote",
    [
        "# not a heading",
        "- not a list",
        "1. not a list either",
        "2) nor this",
        "> not nested",
        "use `code` and *stars* and _under_ and [links](x) and <b>tags</b>",
        "---",
        "first paragraph\n\nsecond paragraph",
        "line one\nline two",
        "  spaces at the edges  ",
        "a\n\n\n\nb",
        "\n\nstarts and ends with breaks\n\n",
        "ends with a backslash\\",
        "&amp; &#65; &copy;",
        "$5 and $10, 50%% off, ==marked==, ~~gone~~, #tag, ^block, a | b",
        "[[wiki]] ![embed](x) [^1] [x]: /definition",
        "===\n---",
    ],
)
def test_quotes_stay_literal(quote: str) -> None:
    assert parse_quote(quote) == quote


@fuzz_settings(400)
@given(hostile_text)
def test_any_quote_reads_back_exactly_as_one_literal_blockquote(quote: str) -> None:
    assert parse_quote(quote) == shown(quote)


@fuzz_settings(100)
@given(hostile_text)
def test_escaped_lines_read_back_exactly(line: str) -> None:
    line = " ".join(shown(line).split("\n"))
    tokens = MarkdownIt("commonmark").parse(f"# {escape_line(line)}\n")
    assert [t.type for t in tokens] == ["heading_open", "inline", "heading_close"]
    assert inline_text(tokens[1], literal=True) == line


def test_tags_are_obsidian_tags_when_they_can_be() -> None:
    assert tag_markdown("timeline") == "#timeline"
    assert tag_markdown("north-korea/talks_2024") == "#north-korea/talks_2024"
    assert tag_markdown("2024") == "` #2024 `"  # all digits is not a tag in Obsidian
    assert tag_markdown("middle east") == "` #middle east `"
    assert tag_markdown("a`b") == "`` #a`b ``"


def test_block_ids_use_only_letters_digits_and_dashes() -> None:
    assert (
        block_id("0b6a5c1e-1d2f-4f8e-9b1a-7c2d3e4f5a6b") == "0b6a5c1e-1d2f-4f8e-9b1a-7c2d3e4f5a6b"
    )
    iri = block_id("http://example.org/anno/1")
    assert iri.replace("-", "").isalnum() and iri != block_id("http://example.org/anno/2")


# -- whole documents with hostile content --------------------------------------------------


@st.composite
def hostile_articles(draw: st.DrawFn) -> ArticleNotes:
    """An article whose title, text, quotes, notes and tags are all hostile."""
    words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1)
    paragraphs = draw(
        st.lists(
            st.tuples(st.sampled_from(["paragraph", "heading"]), st.one_of(hostile_text, words)),
            min_size=1,
            max_size=5,
        )
    )
    article = Article(
        draw(hostile_text) or "T",
        source=draw(st.none() | hostile_text),
        byline=draw(st.none() | hostile_text),
        date=draw(st.none() | hostile_text),
        paragraphs=tuple(Paragraph(kind, text or "x") for kind, text in paragraphs),  # type: ignore[arg-type]
    )
    text = article.text
    entry = entry_for(article)
    notes = []
    for n in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        annotation = Annotation(
            id=f"00000000-0000-4000-8000-{n:012d}",
            article_id=entry.id,
            article_hash=text_hash(text),
            selector=Selector.from_span(text, start, end),
            color=draw(st.sampled_from(COLORS)),
            note=draw(hostile_text),
            tags=tuple(draw(hostile_tags)),
            created=f"2024-06-20T09:{n:02d}:00.000Z",
        )
        notes.append(placed(annotation, entry))
    for n in range(draw(st.integers(0, 2))):
        gone = Annotation(
            id=f"00000000-0000-4000-9000-{n:012d}",
            article_id=entry.id,
            article_hash="0",
            selector=Selector(draw(hostile_text) or "q", "", "", 0, 1),
            note=draw(hostile_text),
            tags=tuple(draw(hostile_tags)),
            created="2024-06-19T09:00:00.000Z",
        )
        notes.append(orphaned(gone))
    return ArticleNotes(entry.id, article, tuple(notes))


@fuzz_settings(150)
@given(hostile_articles())
def test_hostile_articles_keep_their_structure_and_text(group: ArticleNotes) -> None:
    text = article_markdown(group)
    assert not TERMINAL_UNSAFE.search(text)
    parsed = parse_export(text)
    check_matches(parsed, [group])
    article = group.article
    assert article is not None
    assert parsed.front["title"] == shown(article.title)
    source = article.source
    assert parsed.front["source"] == (shown(source) if source is not None else None)
    assert parsed.front["tags"] == [shown(t) for t in _tags(group)]
    assert parsed.front["article_id"] == group.article_id
    assert set(parsed.front) == {
        "title", "source", "byline", "date", "updated", "article_id", "annotations", "tags"
    }  # fmt: skip


@fuzz_settings(50)
@given(st.lists(hostile_articles(), min_size=2, max_size=3))
def test_hostile_collections_keep_every_article_apart(groups: list[ArticleNotes]) -> None:
    groups = [
        ArticleNotes(f"{n:08x}", g.article, g.notes) for n, g in enumerate(groups)
    ]  # distinct ids, as a library has
    parsed = parse_export(collection_markdown(groups))
    check_matches(parsed, groups)
    assert parsed.front["articles"] == len(groups)


def _tags(group: ArticleNotes) -> list[str]:
    seen: dict[str, str] = {}
    for annotation in group.annotations:
        for tag in annotation.tags:
            seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


def test_frontmatter_survives_yaml_hostile_titles() -> None:
    title = 'x: y\n---\n"quoted" \\ #not-a-comment\u2028\x85 [a, b] {c: d} \ufeff'
    article = Article(title, source="- item", byline="? key", date="&anchor *alias")
    text = article_markdown(ArticleNotes("a1b2c3d4", article, ()))
    front, _, _ = split_frontmatter(text)
    assert front["title"] == shown(title)
    assert (front["source"], front["byline"], front["date"]) == (
        "- item",
        "? key",
        "&anchor *alias",
    )
    assert yaml.safe_load(text.split("---\n")[1])["title"] == shown(title)


# -- file names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "../../etc/passwd",
        "/absolute/path",
        "a/b\\c",
        "line\nbreak\r\nand\ttab",
        "x" * 1000,
        "한국어 " * 200,
        "",
        "...",
        "CON",
        "nul.txt",
        "\x00\x1b[31m",
        ".hidden",
    ],
)
def test_file_names_cannot_leave_the_folder(title: str, tmp_path: Path) -> None:
    group = ArticleNotes("a1b2c3d4", Article(title or "T"), ())
    name = file_name(group, "markdown")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".") and name.endswith("-a1b2c3d4.md")
    assert len(name.encode("utf-8")) < 255
    folder = tmp_path / "out"
    [path] = write_folder(folder, [group], "markdown")
    assert path.parent == folder and path.resolve().parent == folder.resolve()
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [name]


def test_slugs_are_readable() -> None:
    assert slug("Putin meets Kim Jong Un in Pyongyang") == "putin-meets-kim-jong-un-in-pyongyang"
    assert slug("Führer? Café — Ünïcode!") == "führer-café-ünïcode"
    assert slug("!!!") == "article"
    assert len(slug("word " * 100)) <= 60


def test_foreign_article_ids_are_hashed_into_file_names() -> None:
    group = ArticleNotes("http://example.org/../x", None, ())
    name = file_name(group, "w3c")
    assert name.startswith("article-http-example-org-x-") and name.endswith(".json")
    assert "/" not in name and ".." not in name
