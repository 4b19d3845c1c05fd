"""One article: a header (title, source · byline · date, standfirst) over the line view.

The screen owns the article's highlights: it loads them resolved against the current text
(through the core, which also saves any re-anchoring), reloads them when another running copy
changes the store, changes them on keys, hands the view the spans to paint, and saves every
change in a worker. A change the store refuses stays in memory, in a pending list that is
retried with the next change and every few seconds, and once more, synchronously, when the
screen goes away; what still fails then is handed to the app, which keeps retrying it and
offers to export it on quitting.

Notes and tags are edited in modals (:mod:`summitreader.ui.screens.note_editor`) that only
hand text back; the change itself goes through the same path as a recolour.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker

from summitreader.core.annotations import COLORS, DEFAULT_COLOR, Annotation, new_annotation
from summitreader.core.library import LibraryEntry
from summitreader.core.models import Article
from summitreader.core.notes import resolve_notes
from summitreader.core.search import MAX_MATCHES, find_all
from summitreader.core.spans import sentence_at
from summitreader.core.store import Store, StoreError
from summitreader.core.textio import sanitize
from summitreader.core.words import count_words
from summitreader.ui.messages import (
    HighlightsLoaded,
    HighlightsSaved,
    StoreChange,
    StoreChanged,
    worker_failure,
)
from summitreader.ui.screens import ARTICLE_CSS
from summitreader.ui.screens.note_editor import NoteEditor, TagEditor
from summitreader.ui.widgets.annotation_panel import AnnotationPanel
from summitreader.ui.widgets.article_view import ArticleView, HighlightSpan, MatchSpan
from summitreader.ui.widgets.footer import Footer
from summitreader.ui.widgets.search_box import SearchBox

if TYPE_CHECKING:
    from summitreader.ui.app import SummitReaderApp

#: How many levels of ``u`` are remembered.
UNDO_LIMIT = 100

#: How long leaving the screen waits for a save that is still running, in seconds.
LEAVE_WAIT = 5.0

UndoKind = Literal["delete", "recolour", "edit"]


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

    CSS_PATH = ARTICLE_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "back", "Library", id="article.back", tooltip="Back to the library"),
        Binding(
            "escape",
            "escape",
            "Back",
            id="article.escape",
            show=False,
            tooltip="Clear the search matches, or else go back to the library",
        ),
        Binding(
            "slash",
            "search",
            "Search",
            id="article.search",
            tooltip="Search this article (Enter goes to the match, escape cancels)",
        ),
        Binding(
            "full_stop,f3",
            "next_match",
            "Next match",
            id="article.next_match",
            show=False,
            tooltip="Next search match (not n: n writes a note)",
        ),
        Binding(
            "comma,shift+f3",
            "previous_match",
            "Previous match",
            id="article.previous_match",
            show=False,
            tooltip="Previous search match",
        ),
        Binding(
            "h",
            "highlight",
            "Highlight",
            id="article.highlight",
            tooltip="Highlight the selection or the sentence under the cursor "
            "(or set the highlight here to the default colour)",
        ),
        *(
            Binding(
                str(number),
                f"colour({number})",
                f"Colour {color}",
                id=f"article.colour_{number}",
                show=False,
                tooltip=f"Highlight the selection or sentence in {color}, "
                "or recolour the highlight here",
            )
            for number, color in enumerate(COLORS, start=1)
        ),
        Binding("d", "delete", "Delete", id="article.delete", tooltip="Delete the highlight here"),
        Binding(
            "n",
            "edit_note",
            "Note",
            id="article.note",
            tooltip="Write the note of the highlight here "
            "(highlights the selection or sentence first)",
        ),
        Binding(
            "t",
            "edit_tags",
            "Tags",
            id="article.tags",
            show=False,
            tooltip="Edit the tags of the highlight here",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            id="article.undo",
            tooltip="Undo the last delete, recolour, note or tag edit",
        ),
        Binding(
            "right_square_bracket",
            "next_highlight",
            "Next highlight",
            id="article.next_highlight",
            show=False,
            tooltip="Move to the next highlight",
        ),
        Binding(
            "left_square_bracket",
            "previous_highlight",
            "Previous highlight",
            id="article.previous_highlight",
            show=False,
            tooltip="Move to the previous highlight",
        ),
        Binding(
            "a",
            "toggle_panel",
            "Notes panel",
            id="article.panel",
            tooltip="Show or hide this article's notes in reading order; Enter in it goes to one",
        ),
    ]

    def __init__(
        self, entry: LibraryEntry, store: Store | None, *, offset: int | None = None
    ) -> None:
        super().__init__(id="article")
        self.entry = entry
        self.store = store
        #: Where to put the reading cursor instead of the remembered position (a note's
        #: passage, when opened from a list of notes).
        self.start_offset = offset
        #: The article's highlights that are placed in the current text, by id. Their
        #: selectors point into the current text (the core re-anchored them on loading).
        self.highlights: dict[str, Annotation] = {}
        #: Highlights whose quote is no longer in the text: kept, listed, never drawn.
        self.orphans: list[Annotation] = []
        #: Changes not yet confirmed by the store, oldest first.
        self.pending: list[StoreChange] = []
        self._saving = False
        #: The changes handed to the running save worker (its report counts into these).
        self._in_flight: tuple[StoreChange, ...] = ()
        #: The save error the reader was last told about: a fault is reported once, not
        #: on every retry, and its end is reported too.
        self._told: str | None = None
        self._retry_timer: Timer | None = None
        #: Held by the saving worker while it writes, so the last save on leaving never
        #: runs at the same time as one started earlier.
        self._writing = threading.Lock()
        #: Set once the screen has made its last save: later worker reports are stale.
        self._left = False
        self._undo: list[tuple[UndoKind, Annotation]] = []
        #: Whether the first load of the highlights has been shown (later ones are reloads,
        #: after another running copy changed the store).
        self._loaded = False
        self._told_reloaded = False
        #: The search being shown: its query and matches (empty when there is none).
        self.query_text = ""
        self.matches: list[tuple[int, int]] = []
        self.current_match = -1
        self._status_shown: Text | None = None

    def compose(self) -> ComposeResult:
        """Header, body view, a status line for the note under the cursor, footer."""
        article = self.entry.article
        yield Static(header_text(article), id="article-header")
        yield ArticleView(article, offset=self._remembered(), id="article-body")
        yield SearchBox(placeholder="Search this article", id="article-search")
        yield Static(Text(""), id="article-status")
        yield AnnotationPanel(id="article-panel")
        yield Footer()

    def on_mount(self) -> None:
        """The body takes the keys; the highlights load in a worker."""
        self.query_one(ArticleView).focus()
        app = cast("SummitReaderApp", self.app)
        self.query_one(AnnotationPanel).display = app.panel_shown
        # Changes an earlier screen on this article could not save: shown and saved here.
        for change in app.take_unsaved(self.entry.id):
            self.pending.append(change)
            if change.kind == "delete":
                self.highlights.pop(change.annotation.id, None)
            else:
                self.highlights[change.annotation.id] = change.annotation
        if self.store is not None:
            self._load_highlights(self.store.path)
        self._save_pending()

    def _remembered(self) -> int:
        if self.start_offset is not None:
            return self.start_offset
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

    def action_escape(self) -> None:
        """Escape undoes the most recent mode: a search first, then the screen itself."""
        if self.query_text:
            self._clear_search()
        else:
            self.action_back()

    # -- search -----------------------------------------------------------------------

    def action_search(self) -> None:
        """Open the search field, with the last query ready to edit."""
        box = self.query_one(SearchBox)
        box.display = True
        box.value = self.query_text
        box.focus()

    @on(SearchBox.Changed, "#article-search")
    def _search_changed(self, event: SearchBox.Changed) -> None:
        """Search as the reader types; the first match after the cursor is the current one."""
        self._search(event.value)

    @on(SearchBox.Submitted, "#article-search")
    def _search_submitted(self, event: SearchBox.Submitted) -> None:
        """Go to the current match and give the keys back to the text."""
        self._close_search_box()
        if self.matches:
            self._go_to_match(self.current_match)
        elif self.query_text:
            self.app.bell()

    @on(SearchBox.Cancelled)
    def _search_cancelled(self) -> None:
        self._clear_search()

    def _search(self, query: str) -> None:
        self.query_text = query.strip()
        self.matches = find_all(self.entry.article.text, self.query_text)
        offset = self.view.cursor_offset
        after = bisect_left(self.matches, (offset, offset))
        self.current_match = (after if after < len(self.matches) else 0) if self.matches else -1
        self._show_matches()

    def _show_matches(self) -> None:
        self.view.set_matches((MatchSpan(a, b) for a, b in self.matches), self.current_match)
        self._show_status()

    def _close_search_box(self) -> None:
        box = self.query_one(SearchBox)
        box.display = False
        self.view.focus()

    def _clear_search(self) -> None:
        self._close_search_box()
        self.query_text = ""
        self.matches = []
        self.current_match = -1
        self._show_matches()

    def _go_to_match(self, index: int) -> None:
        self.current_match = index
        self._show_matches()
        self.view.jump_to(self.matches[index][0])

    def action_next_match(self) -> None:
        """Go to the next match, round to the first after the last."""
        self._step_match(1)

    def action_previous_match(self) -> None:
        """Go to the previous match, round to the last before the first."""
        self._step_match(-1)

    def _step_match(self, delta: int) -> None:
        if not self.matches:
            self.app.bell()
            if not self.query_text:
                self.notify("No search yet: / searches this article.", markup=False, timeout=3)
            return
        index = self.current_match + delta
        if not 0 <= index < len(self.matches):
            self.notify("Search wrapped round.", markup=False, timeout=2)
        self._go_to_match(index % len(self.matches))

    def on_unmount(self) -> None:
        """Last chance for changes a failed save left pending (on ``q``, ``escape``, quit)."""
        self.save_pending_now()

    def save_pending_now(self) -> None:
        """Try once, synchronously, to write the changes still pending; never drop them.

        Runs when the screen goes away, so no worker would be left to retry. What still
        fails is handed to the app, which keeps trying and tells the reader.
        """
        if self._left:
            return
        self._left = True
        why = self.flush_pending()
        if why is not None:
            cast("SummitReaderApp", self.app).keep_unsaved(self.pending, why)
            self.pending.clear()

    def flush_pending(self) -> str | None:
        """Write the pending changes now, on this thread; say why not, or ``None``.

        Waits (a little) for a save still running, then writes every pending change in a
        way that tolerates that save having written some of them already. What fails stays
        in :attr:`pending`.
        """
        if not self.pending:
            return None
        if self.store is None:
            return "the notes store is not open"
        if not self._writing.acquire(timeout=LEAVE_WAIT):
            return "an earlier save is still running"
        try:
            with Store(self.store.path) as store:
                while self.pending:
                    apply_change(store, self.pending[0])
                    del self.pending[0]
        except StoreError as exc:
            return str(exc)
        finally:
            self._writing.release()
        return None

    # -- loading and saving highlights ------------------------------------------------

    @work(thread=True, group="store", exit_on_error=False, name="load-highlights")
    def _load_highlights(self, path: Path) -> None:
        """Resolve the article's annotations against its text; report with a message.

        In a thread with its own ``Store`` (one is never shared between threads): resolving
        may re-anchor annotations of a changed article and save them.

        Holds ``_writing`` from reading to reporting, so no save of this screen runs in
        between: a change is then either in what was read, or its ``HighlightsSaved`` is
        posted after this ``HighlightsLoaded`` and it is still pending when the result is
        merged (see :meth:`_highlights_loaded`).
        """
        with self._writing:
            try:
                with Store(path) as store:
                    notes = resolve_notes(store, [self.entry], article_id=self.entry.id)
            except StoreError as exc:
                self.post_message(HighlightsLoaded((), str(exc)))
                return
            self.post_message(HighlightsLoaded(tuple(notes), None))

    @on(StoreChanged)
    def _store_changed(self) -> None:
        """Another running copy changed the store: reload, keeping cursor and selection."""
        if self.store is not None and not self._left:
            self._load_highlights(self.store.path)

    @on(HighlightsLoaded)
    def _highlights_loaded(self, message: HighlightsLoaded) -> None:
        """Show the store's highlights, except where a change of ours is still pending.

        The store is the truth: a highlight deleted in another copy disappears, one edited
        there shows the edit. A change made here that the store has not confirmed yet (still
        in :attr:`pending`, because its save is running or failed) is newer than what was
        read, so the local version of that highlight (or its absence) wins.
        """
        first = not self._loaded
        self._loaded = True
        if message.error:
            self.notify(
                f"Could not read the highlights: {message.error}", severity="warning", markup=False
            )
            return  # keep showing what we have rather than nothing
        mine = {change.annotation.id for change in self.pending}
        placed = {
            n.annotation.id: n.annotation
            for n in message.notes
            if n.status != "orphan" and n.annotation.id not in mine
        }
        placed |= {ident: a for ident, a in self.highlights.items() if ident in mine}
        orphans = [
            n.annotation
            for n in message.notes
            if n.status == "orphan" and n.annotation.id not in mine
        ]
        if not first and placed == self.highlights and orphans == self.orphans:
            return  # nothing this screen shows changed (a position, another article)
        self.highlights = placed
        self.orphans = orphans
        self._show_highlights()
        if not first and not self._told_reloaded:
            self._told_reloaded = True  # once per visit: the other copy may change a lot
            self.notify("Notes changed in another window: reloaded.", markup=False, timeout=4)

    def _change(self, change: StoreChange) -> None:
        """Record a change, redraw, and save it (with any earlier ones still pending)."""
        self.pending.append(change)
        self._show_highlights()
        self._save_pending()

    def _save_pending(self) -> None:
        if self._saving or not self.pending or self._left:
            return
        if self.store is None:
            self.notify(
                "The notes store is not open: this change is kept only until you quit.",
                severity="warning",
                markup=False,
            )
            return
        self._saving = True
        self._in_flight = tuple(self.pending)
        self._save(self._in_flight, self.store.path)

    @work(thread=True, group="store", exit_on_error=False, name="save-highlights")
    def _save(self, changes: tuple[StoreChange, ...], path: Path) -> None:
        """Write ``changes`` in order, stopping at the first failure; report how far it got."""
        # Idempotent changes: some may be in the store already (taken back from the app, or
        # written by a save made while leaving or quitting).
        self.post_message(HighlightsSaved(*write_changes(path, changes, self._writing)))

    @on(HighlightsSaved)
    def _highlights_saved(self, message: HighlightsSaved) -> None:
        if self._left:
            return  # the last save on leaving already settled these changes
        # By identity, not by position: a synchronous save (on quitting) may have written
        # and removed some of them since.
        written = {id(change) for change in self._in_flight[: message.done]}
        self.pending[:] = [c for c in self.pending if id(c) not in written]
        self._in_flight = ()
        self._saving = False
        every = cast("SummitReaderApp", self.app).retry_every
        if message.error:
            if message.error != self._told:
                self._told = message.error
                waiting = len(self.pending)
                self.notify(
                    f"Could not save {waiting} highlight change{'s' if waiting != 1 else ''}: "
                    f"{message.error}. Kept here; saving is tried again every {every:g} s "
                    "and with your next change.",
                    severity="warning",
                    markup=False,
                    timeout=10,
                )
            if self._retry_timer is None:
                self._retry_timer = self.set_timer(every, self._retry)
            return
        if self._told is not None and not self.pending:
            self._told = None
            self.notify("The highlight changes that were waiting are saved.", markup=False)
        self._save_pending()  # changes made while this save was running

    def _retry(self) -> None:
        self._retry_timer = None
        self._save_pending()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """An unexpected error in a store worker is reported, and saving can start again."""
        failure = worker_failure(event, {"store": "Highlights"})
        if failure is None:
            return
        if event.worker.name == "save-highlights":
            self._saving = False
        self.notify(failure, severity="error", markup=False, timeout=10)

    # -- what the view and the status line show ---------------------------------------

    def _show_highlights(self) -> None:
        self.view.set_highlights(
            HighlightSpan(a.id, a.selector.start, a.selector.end, a.color, bool(a.note.strip()))
            for a in self.highlights.values()
        )
        self.query_one(AnnotationPanel).show_annotations(self._ordered(), self.orphans)
        self._show_status()

    @on(ArticleView.CursorMoved)
    def _cursor_moved(self, message: ArticleView.CursorMoved) -> None:
        self._show_status()

    def _show_status(self) -> None:
        """What the keys will act on: the selection, or the highlight under the cursor.

        Always plain text on one line: notes and tags are untrusted.
        """
        status = self._selection_status()
        if status is not None:
            self._set_status(status)
            return
        if self.query_text:
            self._set_status(self._search_status())
            return
        here = self.highlight_under_cursor()
        if here is not None and here.note.strip():
            status = Text(" ".join(sanitize(here.note).split()))
        elif here is not None:
            status = Text(f"{here.color} highlight, no note", style="italic")
        elif self.orphans:
            count = len(self.orphans)
            status = Text(
                f"{count} highlight{'s' if count != 1 else ''} no longer found in this text "
                "(see: summit-reader notes)",
                style="italic",
            )
        else:
            status = Text("")
        if here is not None and here.tags:
            status.append("  " + " ".join(f"#{sanitize(t)}" for t in here.tags), style="bold")
        self._set_status(status)

    def _set_status(self, status: Text) -> None:
        """Show ``status`` unless it is already shown: most cursor moves change nothing.

        No layout pass either: the line is one row high whatever it says, and a layout of
        the whole screen on every key is what made keys slow on long articles.
        """
        if status == self._status_shown:
            return
        self._status_shown = status
        status.no_wrap = True
        status.overflow = "ellipsis"
        self.query_one("#article-status", Static).update(status, layout=False)

    def _search_status(self) -> Text:
        """How many matches the search has, and which one is current."""
        status = Text("Search ", style="bold")
        status.append(f"“{self.query_text}”: ")
        count = len(self.matches)
        if not count:
            status.append("no match", style="italic")
            return status
        more = "+" if count >= MAX_MATCHES else ""
        status.append(f"{self.current_match + 1} of {count}{more}")
        status.append("   . next  , previous  escape clears", style="italic")
        return status

    def _selection_status(self) -> Text | None:
        """The status while selecting: the mode, and how much is selected."""
        view = self.view
        selection = view.selection
        if selection is None and not view.selecting:
            return None
        status = Text("SELECT  " if view.selecting else "", style="bold reverse")
        if selection is None:
            status.append("move to extend the selection; v or escape ends", style="italic")
            return status
        words = count_words(self.entry.article.text[selection[0] : selection[1]])
        status.append(
            f"{words} word{'s' if words != 1 else ''} selected: h or 1-5 highlight, "
            "n adds a note, escape clears",
            style="italic",
        )
        return status

    def highlight_under_cursor(self) -> Annotation | None:
        """The highlight at the cursor offset, else the first one starting on its line.

        The cursor moves by lines and sits at a line's start, so a highlight that begins
        further along the cursor line counts as under it too.
        """
        view = self.view
        offset = view.cursor_offset
        # The view keeps the spans sorted and indexed: no pass over every highlight per key.
        containing = view.highlights_between(offset, offset + 1)
        if containing:
            return self.highlights.get(containing[-1].id)  # the one drawn on top
        if not view.lines:
            return None
        line = view.lines[view.cursor_row]
        starting = [
            h for h in view.highlights_between(line.start, line.end) if h.start >= line.start
        ]
        return self.highlights.get(starting[0].id) if starting else None

    def _ordered(self) -> list[Annotation]:
        return sorted(self.highlights.values(), key=lambda a: (a.selector.start, -a.selector.end))

    # -- actions ----------------------------------------------------------------------

    def action_highlight(self) -> None:
        """Highlight the sentence under the cursor in the default colour."""
        self._highlight(DEFAULT_COLOR)

    def action_colour(self, number: int) -> None:
        """Highlight in colour ``number`` (1-based), or recolour the highlight here.

        One key both creates and recolours, so a reader never has to delete a highlight to
        change its colour.
        """
        if 1 <= number <= len(COLORS):
            self._highlight(COLORS[number - 1])

    def _highlight(self, color: str) -> None:
        here = None if self.view.selection else self.highlight_under_cursor()
        if here is not None:
            if here.color != color:
                self._remember("recolour", here)
                changed = here.edited(color=color)
                self.highlights[changed.id] = changed
                self._change(StoreChange("update", changed))
            return
        self._new_highlight(color)

    def _new_highlight(self, color: str) -> Annotation | None:
        """Highlight the selection, or else the sentence under the cursor.

        The selection is trimmed of white space at its ends (a drag often takes a space
        along). ``None``, and a bell, when there is no text to highlight.
        """
        text = self.entry.article.text
        view = self.view
        start, end = view.selection or sentence_at(text, view.cursor_offset)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            self.app.bell()
            return None
        annotation = new_annotation(self.entry.id, text, start, end, color=color)
        view.clear_selection()
        self.highlights[annotation.id] = annotation
        self._change(StoreChange("add", annotation))
        return annotation

    def action_edit_note(self) -> None:
        """Edit the note of the highlight here, highlighting the sentence first if needed.

        One key for "note this sentence", so writing a note never takes two steps.
        """
        here = None if self.view.selection else self.highlight_under_cursor()
        here = here or self._new_highlight(DEFAULT_COLOR)
        if here is None:
            return

        def edited(note: str | None) -> None:
            if note is not None:
                self._edit(here, note=note)

        self.app.push_screen(NoteEditor(here.note, here.exact), edited)

    def action_edit_tags(self) -> None:
        """Edit the tags of the highlight here (there must be one: tags need a passage)."""
        here = self.highlight_under_cursor()
        if here is None:
            self.app.bell()
            self.notify("No highlight here to tag.", markup=False, timeout=3)
            return

        def edited(tags: tuple[str, ...] | None) -> None:
            if tags is not None:
                self._edit(here, tags=tags)

        self.app.push_screen(TagEditor(here.tags, here.exact), edited)

    def _edit(
        self, base: Annotation, *, note: str | None = None, tags: tuple[str, ...] | None = None
    ) -> None:
        """Apply an editor's result to the highlight as it is now, remembered for ``u``.

        Looked up again by id: the highlights may have been reloaded while the editor was
        open (another running copy changed them). If another copy deleted the highlight
        meanwhile, the edit is the later change and brings it back, as ``base`` (the
        version the editor opened on), rather than dropping what was typed. An unchanged
        value is not a change (nothing to save or undo).
        """
        ident = base.id
        current = self.highlights.get(ident)
        gone = current is None
        current = current or base
        changes: dict[str, object] = {}
        if note is not None and note != current.note:
            changes["note"] = note
        if tags is not None and tags != current.tags:
            changes["tags"] = tags
        if not changes:
            return
        if gone:
            self.notify(
                "That highlight was deleted in another window; your edit brings it back.",
                markup=False,
            )
        self._remember("edit", current)
        changed = current.edited(**changes)
        self.highlights[ident] = changed
        self._change(StoreChange("update", changed))

    def action_delete(self) -> None:
        """Delete the highlight under the cursor (``u`` brings it back)."""
        here = self.highlight_under_cursor()
        if here is None:
            self.app.bell()
            return
        del self.highlights[here.id]
        self._remember("delete", here)
        self._change(StoreChange("delete", here))

    def action_undo(self) -> None:
        """Undo the last delete (restored from the store's trash), recolour or edit.

        An edit is undone by putting back the note and tags it replaced, so undoing a note
        edit after a later recolour keeps the new colour.
        """
        while self._undo:
            kind, before = self._undo.pop()
            if kind == "delete" and before.id not in self.highlights:
                self.highlights[before.id] = before
                self._change(StoreChange("undelete", before))
                return
            current = self.highlights.get(before.id)
            if kind in ("recolour", "edit") and current is not None:
                if kind == "recolour":
                    restored = current.edited(color=before.color)
                else:
                    restored = current.edited(note=before.note, tags=before.tags)
                self.highlights[restored.id] = restored
                self._change(StoreChange("update", restored))
                return
        self.notify("Nothing to undo.", markup=False, timeout=2)

    def _remember(self, kind: UndoKind, annotation: Annotation) -> None:
        self._undo.append((kind, annotation))
        del self._undo[:-UNDO_LIMIT]

    def action_next_highlight(self) -> None:
        """Move the cursor to the start of the next highlight."""
        offset = self.view.cursor_offset
        later = [a for a in self._ordered() if a.selector.start > offset]
        if later:
            self.view.jump_to(later[0].selector.start)
        else:
            self.app.bell()

    def action_previous_highlight(self) -> None:
        """Move the cursor to the start of the previous highlight."""
        offset = self.view.cursor_offset
        earlier = [a for a in self._ordered() if a.selector.start < offset]
        if earlier:
            self.view.jump_to(earlier[-1].selector.start)
        else:
            self.app.bell()

    # -- the notes panel --------------------------------------------------------------

    def action_toggle_panel(self) -> None:
        """Show the notes panel and give it the keys, or hide it and give them back.

        Whether it is shown is kept for the session, so the next article opens the same way.
        """
        panel = self.query_one(AnnotationPanel)
        panel.display = not panel.display
        cast("SummitReaderApp", self.app).panel_shown = panel.display
        if panel.display:
            panel.focus()
        else:
            self.view.focus()

    @on(AnnotationPanel.Chosen)
    def _panel_chosen(self, message: AnnotationPanel.Chosen) -> None:
        """Read from the chosen highlight: the cursor goes to its start, the keys to the text."""
        current = self.highlights.get(message.annotation.id)
        if current is None:
            self.app.bell()
            return
        self.view.jump_to(current.selector.start)
        self.view.focus()

    @on(AnnotationPanel.Left)
    def _panel_left(self, message: AnnotationPanel.Left) -> None:
        self.view.focus()


def write_changes(
    path: Path, changes: Sequence[StoreChange], lock: threading.Lock
) -> tuple[int, str | None]:
    """Write ``changes`` in order under ``lock``, with the calling thread's own ``Store``.

    For the workers that save: the screen's saves and the app's retries of changes a closed
    screen left unsaved. It stops at the first change the store refuses, so that a later
    change is never written before an earlier one.

    Returns:
        How many of ``changes`` were written, and the store's reason when it stopped early.
    """
    done = 0
    try:
        with lock, Store(path) as store:
            for change in changes:
                apply_change(store, change)
                done += 1
    except StoreError as exc:
        return done, str(exc)
    return done, None


def apply_change(store: Store, change: StoreChange) -> None:
    """Write one change to ``store``: bring it to the state the change asks for.

    Every change is idempotent, because the store is shared and a change may meet a store
    that already has it: another running copy deleted the same highlight, or restored it, or
    a save was running when the screen went away and its report was never read. An add or
    an edit puts the whole annotation (:meth:`Store.put`: the later write wins, and an edit
    of a highlight another copy deleted brings it back rather than being lost); a delete of
    one already gone is done.

    Raises:
        StoreError: the store refused it (read-only, locked, unwritable), or a highlight
            to restore is neither stored nor in the trash.
    """
    ident = change.annotation.id
    if change.kind in ("add", "update"):
        store.put(change.annotation)
    elif change.kind == "delete":
        store.discard(ident)
    elif store.get(ident) is None and store.undelete(ident) is None:
        raise StoreError("the deleted highlight is no longer in the trash")
