"""Where the Markdown export says a highlight is, against a plain re-statement of the rule.

:class:`~summitreader.core.export_md.Locator` indexes an article's paragraphs once and finds
each passage by bisection (an export places thousands of highlights in one article). The
reference below walks the paragraphs for every passage, as the rule is written: the
paragraph a passage starts in (a start in the blank line between two paragraphs belongs to
the next one), the one its last character is in, numbers that skip headings, and the last
heading above a passage that starts in text.
"""

from __future__ import annotations

import random

from summitreader.core.export_md import Locator, clean, locate
from summitreader.core.library import Library, bundled_seeds_dir
from summitreader.core.models import Article, Paragraph


def reference(article: Article, start: int, end: int) -> str:
    paragraphs = article.paragraphs
    if not paragraphs:
        return "The article"
    spans = []
    at = 0
    for paragraph in paragraphs:
        spans.append((at, at + len(paragraph.text)))
        at += len(paragraph.text) + 2
    last_char = max(start, end - 1)
    first = next(n for n in reversed(range(len(spans))) if spans[n][0] <= start or n == 0)
    if start >= spans[first][1] and first + 1 < len(spans):
        first += 1  # in the gap after a paragraph: the next one
    last = max(first, next(n for n in reversed(range(len(spans))) if spans[n][0] <= last_char))

    def number(n: int) -> int:
        return sum(p.kind != "heading" for p in paragraphs[: n + 1])

    def heading(n: int) -> str:
        text = " ".join(clean(paragraphs[n].text).split())
        return f"“{text[:79] + '…' if len(text) > 80 else text}”"

    def describe(n: int) -> str:
        kind = paragraphs[n].kind
        return f"the heading {heading(n)}" if kind == "heading" else f"paragraph {number(n)}"

    texts = [paragraphs[n].kind != "heading" for n in (first, last)]
    if first == last:
        label = describe(first)
    elif all(texts):
        label = f"paragraphs {number(first)}–{number(last)}"
    else:
        label = f"{describe(first)} to {describe(last)}"
    above = [n for n in range(first) if paragraphs[n].kind == "heading"]
    if texts[0] and above:
        label += f", under {heading(above[-1])}"
    return label[0].upper() + label[1:]


def articles() -> list[Article]:
    seeds = Library([(bundled_seeds_dir(), "bundled")], target=bundled_seeds_dir()).entries()
    made = Article(
        "Made",
        paragraphs=(
            Paragraph("heading", "First heading"),
            Paragraph("heading", "Second heading, straight after"),
            Paragraph("paragraph", "A short one."),
            Paragraph("paragraph", "Another, a little longer than that."),
            Paragraph("heading", "A heading with a long name " * 5),
            Paragraph("paragraph", "The last words."),
            Paragraph("heading", "Closing heading"),
        ),
    )
    return [entry.article for entry in seeds] + [made, Article("Empty")]


def test_every_passage_is_placed_as_the_rule_says() -> None:
    rng = random.Random(7)
    checked = 0
    for article in articles():
        where = Locator(article)
        length = max(1, len(article.text))
        for _ in range(400):
            start = rng.randrange(length)
            end = min(length, start + rng.choice((1, 5, 40, 300, 2000)))
            expected = reference(article, start, max(end, start + 1))
            assert where(start, max(end, start + 1)) == expected, (article.title, start, end)
            checked += 1
    assert checked == 400 * len(articles())


def test_one_locator_answers_like_a_fresh_one_for_each_passage() -> None:
    article = articles()[0]
    where = Locator(article)
    spans = [(s, s + 30) for s in range(0, len(article.text) - 30, 97)]
    assert [where(s, e) for s, e in spans] == [locate(article, s, e) for s, e in spans]
