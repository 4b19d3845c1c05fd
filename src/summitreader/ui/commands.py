"""The command palette's view of the keys: every action bound on the screen it was opened over.

The commands are read from the screen's active bindings when the palette opens, like the
footer and the ``?`` help, so a binding added to any screen or widget shows up here with no
list to keep in step. A command runs its action on the node that declared the binding (the
article view for cursor moves, the article screen for highlights, the app for ``N``), exactly
as the key would.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, cast

from textual.actions import ActionParseResult, parse
from textual.binding import ActiveBinding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen

#: Actions the palette never offers: opening the palette from the palette does nothing.
NOT_COMMANDS = frozenset({"command_palette"})


@dataclass(frozen=True)
class BindingCommand:
    """One action of the screen, with everything the palette shows about it.

    Args:
        description: the binding's description, the command's name in the palette.
        keys: how each key bound to the action is displayed, in binding order.
        tooltip: the binding's tooltip, shown as the command's help.
        target: the node the action runs on, its namespace already resolved.
        action: the action's name and parameters, with no namespace left in it.
    """

    description: str
    keys: tuple[str, ...]
    tooltip: str
    target: DOMNode
    action: ActionParseResult

    @property
    def help(self) -> Content:
        """The keys, then the tooltip: plain ``Content``, never markup."""
        keys = Content.assemble((", ".join(self.keys), "bold"))
        return Content.assemble(keys, " · ", self.tooltip) if self.tooltip else keys

    async def run(self) -> None:
        """Run the action as its key would, on the node that declared it."""
        await self.target.app.run_action(self.action, self.target)


def _resolve(destination: str, declared_on: DOMNode, screen: Screen[Any]) -> DOMNode | None:
    """The node an action runs on: its ``app.``/``screen.``/``focused.`` prefix, else its owner.

    Resolved against the screen under the palette, not whatever screen is on top when the
    command finally runs.
    """
    if not destination:
        return declared_on
    return {"app": screen.app, "screen": screen, "focused": screen.focused}.get(destination)


def binding_commands(screen: Screen[Any]) -> list[BindingCommand]:
    """The commands for ``screen``: one per distinct action of its active bindings.

    Keys that run the same action on the same node (``j`` and ``down``) make one command.
    Left out, each for a reason: Textual's system bindings (internal, hidden from help too);
    bindings whose action is disabled right now (the key would do nothing); the palette's own
    key; and an action Textual already offers as a system command (``ctrl+q`` and the system
    "Quit" both run ``App.action_quit``), so the palette never lists it twice.
    """
    app = screen.app
    system = {command.callback for command in app.get_system_commands(screen)}
    found: dict[tuple[int, str, tuple[object, ...]], BindingCommand] = {}
    for active in screen.active_bindings.values():
        command = _command(active, screen)
        if command is None:
            continue
        _, name, params = command.action
        if not params and getattr(command.target, f"action_{name}", None) in system:
            continue
        ident = (id(command.target), name, params)
        seen = found.get(ident)
        if seen is None:
            found[ident] = command
        elif command.keys[0] not in seen.keys:
            found[ident] = replace(seen, keys=(*seen.keys, *command.keys))
    return list(found.values())


def _command(active: ActiveBinding, screen: Screen[Any]) -> BindingCommand | None:
    """The command for one key's binding, or ``None`` when it is not offered."""
    binding = active.binding
    if binding.system or not active.enabled:
        return None
    destination, name, params = parse(binding.action)
    target = _resolve(destination, active.node, screen)
    if target is None or name in NOT_COMMANDS:
        return None
    return BindingCommand(
        description=binding.description or binding.action,
        keys=(screen.app.get_key_display(binding),),
        tooltip=active.tooltip,
        target=target,
        action=("", name, params),
    )


def _highlight(matcher: Matcher, candidate: str) -> Content:
    """``candidate`` with the matched characters styled, built as plain ``Content``.

    ``Matcher.highlight`` parses the candidate as markup; this does the same styling on the
    literal text.
    """
    content = Content(candidate)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _markup_safe(content: Content) -> str:
    """Hand ``content`` to a field typed ``str`` that Textual reads as markup.

    The palette renders ``help`` with ``Content.from_markup``, which returns a ``Content``
    unchanged (documented) but parses a string, and ``textual.markup.escape`` misses
    ``[$variable]``. So the help goes in as ``Content``; the type says ``str`` only.
    """
    return cast(str, content)


class BindingCommands(Provider):
    """Offers every action bound on the screen the palette was opened over.

    ``self.screen`` is that screen: the palette builds its providers with the screen below
    itself on the stack.
    """

    _commands: tuple[BindingCommand, ...] = ()

    async def startup(self) -> None:
        """Read the screen's bindings once, as they stand when the palette opens."""
        self._commands = tuple(binding_commands(self.screen))

    async def discover(self) -> Hits:
        """Every command, shown before anything is typed."""
        for command in self._commands:
            yield DiscoveryHit(
                Content(command.description),
                command.run,
                text=command.description,
                help=_markup_safe(command.help),
            )

    async def search(self, query: str) -> Hits:
        """The commands whose description matches ``query``, fuzzily."""
        matcher = self.matcher(query)
        for command in self._commands:
            score = matcher.match(command.description)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, command.description),
                    command.run,
                    text=command.description,
                    help=_markup_safe(command.help),
                )
