"""What a Pilot-driven reader puts on screen, segment by segment, and the checks on it.

The strips are taken from every visible widget's own line rendering (``render_lines``, what
the compositor asks for), so a control character anywhere on screen, in the article view,
the header, the status line, a table, a toast or a dialog, is found.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.segment import Segment
from textual.app import App
from textual.geometry import Region
from textual.widget import Widget

from .corpus import FORBIDDEN


def visible_widgets(app: App[object]) -> Iterator[Widget]:
    """The current screen and every widget on it that is displayed and has an area."""
    screen = app.screen
    yield screen
    for widget in screen.walk_children(Widget):
        if widget.display and widget.visible and widget.region.area:
            yield widget


def screen_segments(app: App[object]) -> Iterator[tuple[Widget, Segment]]:
    """Every segment every visible widget renders now."""
    for widget in visible_widgets(app):
        width, height = widget.outer_size
        for strip in widget.render_lines(Region(0, 0, width, height)):
            for segment in strip:
                yield widget, segment


def check_screen(app: App[object]) -> str:
    """Fail on anything on screen that could drive a terminal; the screen's text.

    Checked for each segment: no control, escape or bidi-override character (not even a
    tab or newline: a segment is one row), no control segment, no hyperlink and no click
    action in its style (either would mean untrusted markup was parsed).
    """
    texts: list[str] = []
    for widget, segment in screen_segments(app):
        text = segment.text
        where = f"{type(widget).__name__}#{widget.id}: {text[:60]!r}"
        assert not FORBIDDEN.search(text), f"control character on screen in {where}"
        assert "\n" not in text and "\t" not in text, f"line break or tab on screen in {where}"
        assert segment.control is None, f"control segment in {where}"
        style = segment.style
        if style is not None:
            assert not style.link, f"hyperlink {style.link!r} on screen in {where}"
            # The reader draws no clickable text of its own: any click action came from
            # markup in an article, note or tag. (``_meta`` is tested first: decoding
            # ``meta`` for every segment would be slow.)
            click = style.meta.get("@click") if style._meta else None
            assert click is None, f"click action {click!r} in {where}"
        texts.append(text)
    return "".join(texts)
