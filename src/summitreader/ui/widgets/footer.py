"""Textual's footer, rebuilt only when the keys it shows change.

Textual's ``Footer`` recomposes (removes all its keys and mounts and styles new ones) after
every change of its screen's bindings, including changes it does not show: a new focus, a
screen becoming current. Showing the library changes them several times in a row, so its
footer was built twice before the reader's first frame: a quarter of that frame's work.

Here a change that comes while a rebuild is already waiting is dropped (that rebuild reads
the bindings when it runs, so it shows the later change too), and a rebuild finds out first
whether the keys it would show differ from those on show; if not, it does nothing.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """A drop-in ``Footer`` that rebuilds itself only when needed (see the module docstring)."""

    _rebuild_waiting = False
    #: What the keys on show were built from, or ``None`` before the first build.
    _built_from: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Ask for a rebuild, unless one is already waiting to run."""
        if self._rebuild_waiting:
            return
        self._rebuild_waiting = True
        super().bindings_changed(screen)
        # Textual may have asked for no rebuild at all (app not focused, say): either way
        # the flag is down again after the next refresh, so no change is ever lost.
        self.call_after_refresh(self._rebuild_done)

    async def recompose(self) -> None:
        """Rebuild the keys if they would differ; a change from now on asks again."""
        self._rebuild_waiting = False
        shown = self._shown()
        if shown == self._built_from:
            return
        self._built_from = shown
        await super().recompose()

    def _rebuild_done(self) -> None:
        self._rebuild_waiting = False

    def _shown(self) -> tuple[object, ...]:
        """Everything the footer's keys are made from: each binding it would show, with
        whether it is enabled, its tooltip and how its key is displayed; the palette key."""
        app = self.app
        keys = tuple(
            (
                key,
                active.binding,
                active.enabled,
                active.tooltip,
                app.get_key_display(active.binding),
            )
            for key, active in self.screen.active_bindings.items()
            if active.binding.show or key == app.COMMAND_PALETTE_BINDING
        )
        return (*keys, self.show_command_palette)
