"""The hostile-input tally: what each case did, printed at the end of every run.

Each test marks its case as tried before it starts and records the outcome only when every
check passed, so a case whose test failed (a traceback, a control character on screen, a
crash of the reader) is counted as a crash in the summary. The figures are the ones the
README's Reliability section quotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from .corpus import CASES

CRASH = "CRASH"
LAYERS = ("cli", "tui")


@dataclass
class HostileTally:
    """Per case and per layer (``cli``, ``tui``): the outcome, and the time it took.

    The time of a ``cli`` case is its slowest command (each is a process of its own); of a
    ``tui`` case, the whole Pilot session: start, open, keys, search, back.
    """

    outcomes: dict[str, dict[str, str]] = field(default_factory=dict)
    seconds: dict[str, dict[str, float]] = field(default_factory=dict)

    def start(self, case: str, layer: str) -> None:
        """A test is about to try ``case``: it counts as a crash until it finishes."""
        self.outcomes.setdefault(case, {})[layer] = CRASH

    def done(self, case: str, layer: str, outcome: str, seconds: float | None = None) -> None:
        """The test's checks all passed (``seconds``: how long the case took, if timed)."""
        self.outcomes[case][layer] = outcome
        if seconds is not None:
            self.seconds.setdefault(case, {})[layer] = seconds

    def crashes(self) -> int:
        """Cases whose test did not get to the end, per layer."""
        return sum(o == CRASH for layers in self.outcomes.values() for o in layers.values())

    def slowest(self, layer: str) -> float:
        """The longest time a case took in ``layer``."""
        return max((s[layer] for s in self.seconds.values() if layer in s), default=0.0)


_TALLY = pytest.StashKey[HostileTally]()


@pytest.fixture(scope="session")
def hostile_tally(pytestconfig: pytest.Config) -> HostileTally:
    """The session's tally; the hostile tests add to it, the summary hook prints it."""
    return pytestconfig.stash.setdefault(_TALLY, HostileTally())


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    tally = config.stash.get(_TALLY, None)
    if tally is None or not tally.outcomes:
        return
    write = terminalreporter.write_line
    terminalreporter.section("hostile inputs")
    order = [c.name for c in CASES if c.name in tally.outcomes]
    width = max(len(name) for name in order)
    write(f"{'case':<{width}}  {'cli':<8}  {'seconds':>7}  {'tui':<8}  {'seconds':>7}")
    for name in order:
        cells = []
        for layer in LAYERS:
            seconds = tally.seconds.get(name, {}).get(layer)
            cells.append(f"{tally.outcomes[name].get(layer, '-'):<8}")
            cells.append(f"{seconds:>7.2f}" if seconds is not None else f"{'-':>7}")
        write(f"{name:<{width}}  " + "  ".join(cells))
    slowest = [
        f", slowest {layer} case {tally.slowest(layer):.2f} s"
        for layer in LAYERS
        if any(layer in s for s in tally.seconds.values())
    ]
    write(f"hostile inputs tried: {len(order)}, crashes: {tally.crashes()}" + "".join(slowest))
