"""The two-copies figures: concurrent writes tried and kept, printed at the end of every run.

Like the anchoring tally in ``tests/core/conftest.py``: the numbers the README quotes come
from the tests that measure them, shown with every ``pytest`` run, not kept in a passing test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest


@dataclass
class TwoCopiesTally:
    """Per scenario: writes the copies made at the same time, and how many the store kept.

    For changes to *different* annotations every one must be kept (an added highlight
    present, a recolour's colour stored). For the *same* annotation changed by both copies,
    one whole version is kept by design: the later write.
    """

    rows: dict[str, tuple[str, int, int, str]] = field(default_factory=dict)

    def add(self, scenario: str, kind: str, attempted: int, kept: int, detail: str = "") -> None:
        assert kind in ("different", "same")
        self.rows[scenario] = (kind, attempted, kept, detail)

    def totals(self, kind: str) -> tuple[int, int, int]:
        """Scenarios, writes attempted and writes kept, for one kind."""
        rows = [row for row in self.rows.values() if row[0] == kind]
        return len(rows), sum(r[1] for r in rows), sum(r[2] for r in rows)


_TALLY = pytest.StashKey[TwoCopiesTally]()


@pytest.fixture(scope="session")
def two_copies_tally(pytestconfig: pytest.Config) -> TwoCopiesTally:
    """The session's tally; the two-copies tests add to it, the summary hook prints it."""
    return pytestconfig.stash.setdefault(_TALLY, TwoCopiesTally())


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    tally = config.stash.get(_TALLY, None)
    if tally is None or not tally.rows:
        return
    write = terminalreporter.write_line
    terminalreporter.section("two running copies")
    width = max(len(name) for name in tally.rows)
    write(f"{'scenario':<{width}}  annotations  attempted  kept  detail")
    for name, (kind, attempted, kept, detail) in tally.rows.items():
        write(f"{name:<{width}}  {kind:<11}  {attempted:>9}  {kept:>4}  {detail}")
    _, attempted, kept = tally.totals("different")
    races, raced, _ = tally.totals("same")
    write(
        f"two running copies: {attempted} concurrent writes to different annotations, {kept} "
        f"kept; {races} races on one annotation ({raced} writes), each kept one whole version"
    )
