"""Core test fixtures: figures printed at the end of every run.

The mutation suite's numbers (how many annotations came back to the right place, how many
were orphaned, how many went somewhere wrong) are the measure of the anchoring code, and the
SIGKILL test's (kills tried, writes cut short, acknowledged notes kept) the measure of the
store's crash safety, so they are shown with every ``pytest`` run rather than hidden in a
passing test.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest

OUTCOMES = ("correct", "orphaned", "wrong")


@dataclass
class MutationTally:
    """Outcomes per mutation, and which annotations were tried (to count them once)."""

    annotations: set[str] = field(default_factory=set)
    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, mutation: str, annotation: str, outcome: str) -> None:
        assert outcome in OUTCOMES
        self.annotations.add(annotation)
        self.counts.setdefault(mutation, Counter())[outcome] += 1

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())


_TALLY = pytest.StashKey[MutationTally]()
_FAULTS = pytest.StashKey[dict[str, object]]()


@pytest.fixture(scope="session")
def mutation_tally(pytestconfig: pytest.Config) -> MutationTally:
    """The session's tally; the mutation tests add to it, the summary hook prints it."""
    return pytestconfig.stash.setdefault(_TALLY, MutationTally())


@pytest.fixture(scope="session")
def fault_figures(pytestconfig: pytest.Config) -> dict[str, object]:
    """Figures of the fault tests, by test; the summary hook prints them."""
    return pytestconfig.stash.setdefault(_FAULTS, {})


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    _mutation_summary(terminalreporter, config)
    faults = config.stash.get(_FAULTS, None)
    if faults:
        terminalreporter.section("fault figures")
        for name, figures in faults.items():
            shown = figures.items() if isinstance(figures, dict) else [("", figures)]
            terminalreporter.write_line(
                f"{name}: " + ", ".join(f"{key} {value}".strip() for key, value in shown)
            )


def _mutation_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    tally = config.stash.get(_TALLY, None)
    if tally is None or not tally.counts:
        return
    write = terminalreporter.write_line
    terminalreporter.section("anchoring mutation suite")
    width = max(len(m) for m in tally.counts)
    write(f"{'mutation':<{width}}  " + "  ".join(f"{o:>8}" for o in OUTCOMES))
    for mutation, counts in tally.counts.items():
        write(f"{mutation:<{width}}  " + "  ".join(f"{counts[o]:>8}" for o in OUTCOMES))
    write(
        f"anchoring mutation suite: {len(tally.annotations)} annotations x "
        f"{len(tally.counts)} mutations: correct {tally.total('correct')}, "
        f"orphaned {tally.total('orphaned')}, wrong {tally.total('wrong')}"
    )
