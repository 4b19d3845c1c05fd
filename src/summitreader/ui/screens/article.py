"""One article: a header (title, source · byline · date, standfirst) over the line view."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static

from summitreader.core.library import LibraryEntry
from summitreader.core.models import Article
from summitreader.core.store import Store, StoreError
from summitreader.ui.widgets.article_view import ArticleView


def header_text(article: Article) -> Text:
    """The header as plain :class:`~rich.text.Text`: titles and bylines are untrusted."""
    text = Text(article.title, style="bold")
    details = [x for x in (article.source, article.byline and f"By {article.byline}", article.date)]
    line = " · ".join(x for x in details if x)
    if line:
        text.append("\n")
        text.append(line, style="italic")
    if article.dek:
        text.append("\n\n")
        text.append(article.dek)
    return text


class ArticleScreen(Screen[None]):
    """Reads one article; the reading position is saved when leaving and restored on entry.

    Args:
        entry: the article to show.
        store: where reading positions live; ``None`` when the store could not be opened
            (the reader still works, it just does not remember).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape", "back", "Library", id="article.back", tooltip="Back to the library"),
    ]

    def __init__(self, entry: LibraryEntry, store: Store | None) -> None:
        super().__init__(id="article")
        self.entry = entry
        self.store = store

    def compose(self) -> ComposeResult:
        """Header, body view, footer; the view starts at the remembered offset."""
        article = self.entry.article
        yield Static(header_text(article), id="article-header")
        yield ArticleView(article, offset=self._remembered(), id="article-body")
        yield Footer()

    def on_mount(self) -> None:
        """The body takes the keys."""
        self.query_one(ArticleView).focus()

    def _remembered(self) -> int:
        if self.store is None:
            return 0
        try:
            return self.store.get_position(self.entry.id) or 0
        except StoreError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return 0

    @property
    def view(self) -> ArticleView:
        """The article body."""
        return self.query_one(ArticleView)

    def save_position(self) -> None:
        """Remember the cursor offset; a failure is reported, never fatal."""
        if self.store is None or self.store.read_only:
            return
        try:
            self.store.set_position(self.entry.id, self.view.cursor_offset)
        except StoreError as exc:
            self.app.notify(str(exc), severity="warning", markup=False)

    def action_back(self) -> None:
        """Save where the reader is and go back to the library."""
        self.save_position()
        self.dismiss()
