"""The keys line at the bottom of every screen: one widget that draws its keys as text.

Textual's ``Footer`` is a container that mounts one ``FooterKey`` widget per key and
recomposes (removes them all, mounts and styles new ones) after every change of its
screen's bindings, including changes it does not show: a new focus, a screen becoming
current. Its keys appear one refresh after the screen's first frame, and building and
styling them (each twice: a ``FooterKey`` starts compact and is then bound to the footer's
setting) was the largest single cost of the library's first frame.

This footer keeps what a reader uses of Textual's (the same keys, chosen the same way from
the declared bindings; the same theme colours; the command palette's key on the right; a
key is clicked to press it, a disabled one dimmed and answering with a bell; hovering
a key highlights it and shows its tooltip) and draws them all as one line of text. A
change of bindings costs a comparison, and a repaint only when the keys on show differ;
the keys are in the screen's first frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import ActiveBinding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class FooterItem:
    """One key as shown: what to press, how it reads, and where it is on the line."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str
    palette: bool = False


class Footer(Widget, can_focus=False):
    """The screen's main keys on one line (see the module docstring for why not Textual's)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer--key",
        "footer--description",
        "footer--hover",
        "footer--separator",
    }
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .footer--hover {
            background: $block-hover-background;
        }
        & > .footer--separator {
            color: $foreground 20%;
        }
    }
    """

    #: The index in :attr:`items` of the key under the mouse, or -1.
    hover = reactive(-1)

    def __init__(self, *, show_command_palette: bool = True) -> None:
        super().__init__()
        self.show_command_palette = show_command_palette
        #: The keys on show, left to right (the palette's last).
        self.items: tuple[FooterItem, ...] = ()
        #: Each item's first and last column plus one, as last drawn.
        self._spans: list[tuple[int, int]] = []

    @property
    def keys(self) -> list[str]:
        """The keys on show, left to right: what a test or a reader sees."""
        return [item.key for item in self.items]

    def on_mount(self) -> None:
        """Follow the screen's bindings from now on, and take the current ones."""
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Repaint if the keys to show differ from those on show (a comparison otherwise)."""
        if screen is not self.screen:
            return
        items = self._current_items()
        if items != self.items:
            self.items = items
            self.hover = -1
            self.refresh()

    def _current_items(self) -> tuple[FooterItem, ...]:
        """The keys Textual's footer would show: the first shown binding of each action,
        in the order of the screen's active bindings, then the palette's key."""
        app = self.app
        active = self.screen.active_bindings

        def item(key: str, shown: ActiveBinding, *, palette: bool = False) -> FooterItem:
            binding = shown.binding
            tooltip = shown.tooltip or binding.tooltip or binding.description
            display = app.get_key_display(binding)
            return FooterItem(key, display, binding.description, shown.enabled, tooltip, palette)

        items: list[FooterItem] = []
        actions: set[str] = set()
        for key, shown in active.items():
            if shown.binding.show and shown.binding.action not in actions:
                actions.add(shown.binding.action)
                items.append(item(key, shown))
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE and palette is not None:
            items.append(item(palette.binding.key, palette, palette=True))
        return tuple(items)

    def render(self) -> Text:
        """The keys that fit, left to right, and the palette's key at the right edge.

        Keys that do not fit are left out whole rather than cut, and the palette's key
        stays: it leads to every action.
        """
        width = self.size.width
        key_style = self.get_component_rich_style("footer--key")
        description_style = self.get_component_rich_style("footer--description")
        hover_style = self.get_component_rich_style("footer--hover", partial=True)
        dim = Style(dim=True)
        pieces: list[tuple[int, Text]] = []
        for index, item in enumerate(self.items):
            piece = Text.assemble(
                (f" {item.display} ", key_style),
                (f"{item.description} " if item.description else "", description_style),
                no_wrap=True,
                end="",
            )
            if not item.enabled:
                piece.stylize(dim)
            if index == self.hover:
                piece.stylize(hover_style)
            pieces.append((index, piece))
        palette = [(i, p) for i, p in pieces if self.items[i].palette]
        keys = [(i, p) for i, p in pieces if not self.items[i].palette]
        right = palette[0][1].cell_len + 1 if palette else 0
        line = Text(no_wrap=True, end="")
        spans: list[tuple[int, int]] = [(-1, -1)] * len(self.items)
        for index, piece in keys:
            if line.cell_len + piece.cell_len > width - right:
                break
            spans[index] = (line.cell_len, line.cell_len + piece.cell_len)
            line.append_text(piece)
            line.append(" ")
        if palette and width >= right:
            index, piece = palette[0]
            line.truncate(width - right, pad=True)
            line.append("▏", self.get_component_rich_style("footer--separator"))
            spans[index] = (line.cell_len, line.cell_len + piece.cell_len)
            line.append_text(piece)
        self._spans = spans
        return line

    def _item_at(self, x: int) -> int:
        """The index of the item drawn at column ``x``, or -1."""
        for index, (start, end) in enumerate(self._spans):
            if start <= x < end:
                return index
        return -1

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Highlight the key under the mouse and give its tooltip."""
        self.hover = self._item_at(event.x)

    def on_leave(self, event: events.Leave) -> None:
        self.hover = -1

    def watch_hover(self, hover: int) -> None:
        item = self.items[hover] if 0 <= hover < len(self.items) else None
        self.tooltip = Text(item.tooltip) if item is not None and item.tooltip else None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Press the key that was clicked, as Textual's footer does (a bell if disabled)."""
        index = self._item_at(event.x)
        if index < 0:
            return
        item = self.items[index]
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
