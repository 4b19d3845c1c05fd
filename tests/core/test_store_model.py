"""The notes store against an in-memory model, under any interleaving of operations.

A hypothesis state machine drives two :class:`Store` objects on one file (two running
copies) through adds, edits, deletes, undeletes, imports, reading positions and
preferences, reopening, and crashes: a copy killed in the middle of a write, before the
rename (with its temp file left whole, cut short or empty) or after it. After every step
the store must hold exactly what the model holds, through either copy; the file must be
JSON in the documented layout, private to the user, with no temp file left and nothing
moved aside; and the trash must behave as documented (newest deletions kept, the last
one restored first, a live id never duplicated).

The model is deliberately naive (dicts and a list); it is the documentation of
``summitreader.core.store`` written as code. Example counts scale with
``SUMMIT_READER_FUZZ`` (see :mod:`tests.core.fuzz`).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import Phase, event
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
)

from summitreader.core import files
from summitreader.core import store as store_module
from summitreader.core.annotations import COLORS, Annotation, Selector
from summitreader.core.store import Store, StoreError

from .fuzz import fuzz_settings

TEXT = (
    "Putin arrived in Pyongyang on Wednesday.\n\n"
    "Kim met him at the airport — «a new era», he said.\n\n"
    "평양 was quiet; 北朝鮮 🇰🇵 e\u0301."
)
#: A few ids, so that adds collide, deletes hit and miss, and a deleted id is reused.
IDS = [f"00000000-0000-4000-8000-00000000000{n}" for n in range(3)]
ARTICLES = ["a1b2c3d4", "39240234", "\x1b]0;owned\x07", ""]
PREF_KEYS = ["theme", "wrap", "", "\u202ekey", "ключ"]
TIMES = [f"2024-06-{day}T09:00:00.000Z" for day in (19, 20, 21)]
#: Trash size in the machine: small, so a short run still drops the oldest deletions.
TRASH_LIMIT = 2

HOSTILE = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec=None), max_size=10),  # lone surrogates included
    st.sampled_from(["", "# #a", "\x1b[2J", "[@click=app.quit]x[/]", "---\n# h", "\ud800"]),
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec=None), max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
NOT_JSON = st.sampled_from([math.nan, math.inf, {1, 2}, b"bytes", object()])


@st.composite
def annotations(draw: st.DrawFn) -> Annotation:
    start = draw(st.integers(0, len(TEXT) - 1))
    end = draw(st.integers(start + 1, min(len(TEXT), start + 60)))
    created = draw(st.sampled_from(TIMES))
    return Annotation(
        id=draw(st.sampled_from(IDS)),
        article_id=draw(st.sampled_from(ARTICLES)),
        article_hash=draw(st.sampled_from(["", "0123456789abcdef"])),
        selector=Selector.from_span(TEXT, start, end),
        color=draw(st.sampled_from(COLORS)),
        note=draw(HOSTILE),
        tags=tuple(draw(st.lists(HOSTILE, max_size=3))),
        created=created,
        updated=draw(st.sampled_from([t for t in TIMES if t >= created])),
        orphan=draw(st.booleans()),
    )


class Killed(BaseException):
    """The process died here: nothing after this point runs, no clean-up, no ``except``."""


class _QuickOS:
    """``os`` for :mod:`summitreader.core.files`, without ``fsync``.

    An fsync only matters if the machine loses power, which no test in one process can
    simulate; here it costs milliseconds a write, and shrinking a failing run replays
    thousands of writes. Everything else is the real ``os``.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def fsync(self, fd: int) -> None:
        pass


class _DyingOS(_QuickOS):
    """``os`` for :mod:`summitreader.core.files`, in a process killed just before the rename.

    The temp file is left as the kill found it: whole, cut short (``keep`` of its bytes) or
    empty. ``unlink`` dies too, since a killed process removes nothing.
    """

    def __init__(self, keep: float) -> None:
        self.keep = keep

    def replace(self, src: str, dst: str) -> None:
        size = os.path.getsize(src)
        os.truncate(src, int(size * self.keep))
        raise Killed

    def unlink(self, path: str) -> None:
        raise Killed


def _die(*args: object) -> None:
    raise Killed


@contextlib.contextmanager
def killing(when: str, keep: float) -> Iterator[None]:
    """Kill the next write ``before`` the rename, or ``after`` it (before the folder fsync)."""
    if when == "before":
        with mock.patch.object(files, "os", _DyingOS(keep)):
            yield
    else:
        with mock.patch.object(files, "fsync_dir", _die):
            yield


class StoreMachine(RuleBasedStateMachine):
    """Two copies of the store on one file, and the model of what it must hold."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="store-model-"))
        self.path = self.folder / "annotations.json"
        self.stores = [Store(self.path), Store(self.path)]
        # The model: annotations by id in the order they were stored, the trash oldest
        # deletion first, positions and preferences by key.
        self.annotations: dict[str, dict[str, Any]] = {}
        self.trash: list[dict[str, Any]] = []
        self.positions: dict[str, int] = {}
        self.prefs: dict[str, Any] = {}
        self.dying: str | None = None  # set while a crash step runs: "before" or "after"
        self.steps = 0
        self.saved_limit = store_module.TRASH_LIMIT
        store_module.TRASH_LIMIT = TRASH_LIMIT
        self.quick = mock.patch.object(files, "os", _QuickOS())
        self.quick.start()

    def teardown(self) -> None:
        self.quick.stop()
        store_module.TRASH_LIMIT = self.saved_limit
        for copy in self.stores:
            copy.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- running one change against the store and the model ------------------------------

    def _change(self, call: Callable[[], object], commit: Callable[[], None]) -> None:
        """Run ``call`` on the store, then ``commit`` the same change to the model.

        In a crash step the write is killed: the model takes the change only if the kill
        came after the rename (the new file is in place), never if it came before.
        """
        try:
            call()
        except Killed:
            assert self.dying is not None
            event(f"a copy was killed {self.dying} the rename")
            if self.dying == "after":
                commit()
            return
        commit()

    def _add(self, copy: Store, annotation: Annotation) -> None:
        if annotation.id in self.annotations:
            with pytest.raises(StoreError, match="already exists"):
                copy.add(annotation)
            return
        record = annotation.to_dict()
        self._change(lambda: copy.add(annotation), lambda: self._store(record))

    def _store(self, record: dict[str, Any]) -> None:
        self.annotations[record["id"]] = record

    def _delete(self, copy: Store, ident: str) -> None:
        record = self.annotations.get(ident)
        if record is None:
            with pytest.raises(StoreError, match="no annotation"):
                copy.delete(ident)
            return

        def call() -> None:
            assert copy.delete(ident) == Annotation.from_dict(record)

        def commit() -> None:
            del self.annotations[ident]
            if len(self.trash) == TRASH_LIMIT:
                event("the oldest deletion left the full trash")
            self.trash = [*self.trash, record][-TRASH_LIMIT:]

        self._change(call, commit)

    def _set_pref(self, copy: Store, key: str, value: Any) -> None:
        self._change(lambda: copy.set_pref(key, value), lambda: self.prefs.__setitem__(key, value))

    # -- rules ---------------------------------------------------------------------------

    @rule(which=st.integers(0, 1), annotation=annotations())
    def add(self, which: int, annotation: Annotation) -> None:
        self._add(self.stores[which], annotation)

    @rule(
        which=st.integers(0, 1),
        ident=st.sampled_from(IDS),
        note=st.none() | HOSTILE,
        tags=st.none() | st.lists(HOSTILE, max_size=3),
        color=st.none() | st.sampled_from(COLORS),
    )
    def update(
        self,
        which: int,
        ident: str,
        note: str | None,
        tags: list[str] | None,
        color: str | None,
    ) -> None:
        record = self.annotations.get(ident)
        if record is None:
            ghost = Annotation(ident, "a1b2c3d4", "", Selector.from_span(TEXT, 0, 5))
            with pytest.raises(StoreError, match="no annotation"):
                self.stores[which].update(ghost)
            return
        changes: dict[str, Any] = {}
        if note is not None:
            changes["note"] = note
        if tags is not None:
            changes["tags"] = tuple(tags)
        if color is not None:
            changes["color"] = color
        edited = Annotation.from_dict(record).edited(**changes)
        self.stores[which].update(edited)
        self._store(edited.to_dict())
        assert self.stores[1 - which].get(ident) == edited  # the other copy sees it at once

    @rule(which=st.integers(0, 1), ident=st.sampled_from(IDS))
    def delete(self, which: int, ident: str) -> None:
        self._delete(self.stores[which], ident)

    @rule(which=st.integers(0, 1), ident=st.none() | st.sampled_from(IDS))
    def undelete(self, which: int, ident: str | None) -> None:
        matching = [n for n, r in enumerate(self.trash) if ident is None or r["id"] == ident]
        if not matching:
            assert self.stores[which].undelete(ident) is None
            return
        record = self.trash[matching[-1]]  # the latest deletion of it
        if record["id"] in self.annotations:
            event("undelete refused: the id is stored again")
            with pytest.raises(StoreError, match="already exists"):
                self.stores[which].undelete(ident)
            return  # and the trash is unchanged: nothing was written
        assert self.stores[which].undelete(ident) == Annotation.from_dict(record)
        del self.trash[matching[-1]]
        self._store(record)

    @rule(which=st.integers(0, 1), batch=st.lists(annotations(), max_size=4))
    def merge(self, which: int, batch: list[Annotation]) -> None:
        """An import: new ids added, stored ones replaced unless edited later here."""
        latest = {a.id: a for a in batch}
        expected: dict[str, str] = {}
        for ident, annotation in latest.items():
            record = annotation.to_dict()
            stored = self.annotations.get(ident)
            if stored is None:
                expected[ident] = "added"
            elif stored == record:
                expected[ident] = "unchanged"
            elif stored["updated"] > annotation.updated:
                expected[ident] = "kept"
                continue
            else:
                expected[ident] = "updated"
            self._store(record)
        for outcome in set(expected.values()):
            event(f"merge: {outcome}")
        assert self.stores[which].merge(batch) == expected

    @rule(
        which=st.integers(0, 1),
        article=st.sampled_from(ARTICLES),
        offset=st.integers(-3, 10**12) | st.booleans(),
    )
    def set_position(self, which: int, article: str, offset: int) -> None:
        if isinstance(offset, bool) or offset < 0:
            with pytest.raises(ValueError):
                self.stores[which].set_position(article, offset)
            return
        self.stores[which].set_position(article, offset)
        self.positions[article] = offset

    @rule(which=st.integers(0, 1), key=st.sampled_from(PREF_KEYS), value=JSON)
    def set_pref(self, which: int, key: str, value: Any) -> None:
        self._set_pref(self.stores[which], key, value)

    @rule(which=st.integers(0, 1), key=st.sampled_from(PREF_KEYS), value=NOT_JSON)
    def set_pref_that_is_not_json(self, which: int, key: str, value: Any) -> None:
        with pytest.raises(ValueError):
            self.stores[which].set_pref(key, value)

    @rule(which=st.integers(0, 1))
    def reopen(self, which: int) -> None:
        self.stores[which].close()
        self.stores[which] = Store(self.path)
        assert self.stores[which].notices == []

    @rule(
        which=st.integers(0, 1),
        when=st.sampled_from(["before", "after"]),
        keep=st.sampled_from([0.0, 0.5, 1.0]),
        op=st.sampled_from(["add", "delete", "pref"]),
        annotation=annotations(),
        value=JSON,
    )
    def crash(
        self, which: int, when: str, keep: float, op: str, annotation: Annotation, value: Any
    ) -> None:
        """Kill one copy in the middle of a write; it starts again on the same file."""
        copy = self.stores[which]
        self.dying = when
        try:
            with killing(when, keep):
                if op == "add":
                    self._add(copy, annotation)
                elif op == "delete":
                    self._delete(copy, annotation.id)
                else:
                    self._set_pref(copy, "theme", value)
        finally:
            self.dying = None
        # A dead process closes nothing; the copy that replaces it cleans up at start.
        self.stores[which] = Store(self.path)
        assert self.stores[which].notices == []

    @precondition(lambda self: self.path.exists())
    @rule(which=st.integers(0, 1))
    def stray_temp_file(self, which: int) -> None:
        """A temp file some earlier copy left behind (killed), found when a copy starts."""
        stray = self.folder / f".{self.path.name}.k1ll3d.tmp"
        stray.write_bytes(self.path.read_bytes()[:7])
        self.stores[which].close()
        self.stores[which] = Store(self.path)
        assert not stray.exists() and self.stores[which].notices == []

    # -- invariants ----------------------------------------------------------------------

    @invariant()
    def holds_what_the_model_holds(self) -> None:
        expected = list(self.annotations.values())
        for copy in self.stores:
            assert [a.to_dict() for a in copy.all()] == expected
        article = ARTICLES[len(expected) % len(ARTICLES)]
        in_order = sorted(
            (Annotation.from_dict(r) for r in expected if r["article_id"] == article),
            key=lambda a: (a.selector.start, a.selector.end, a.created, a.id),
        )
        assert self.stores[0].for_article(article) == in_order
        # One key of each per step, in turn (the file's tables are compared in full below).
        self.steps += 1
        key = PREF_KEYS[self.steps % len(PREF_KEYS)]
        assert self.stores[1].get_pref(key, "<unset>") == self.prefs.get(key, "<unset>")
        article = ARTICLES[self.steps % len(ARTICLES)]
        assert self.stores[0].get_position(article) == self.positions.get(article)

    @invariant()
    def the_file_is_complete_json_in_the_documented_layout(self) -> None:
        names = sorted(p.name for p in self.folder.iterdir())
        assert set(names) <= {self.path.name, f"{self.path.name}.lock"}, names  # no temp,
        if not self.path.exists():  # nothing moved aside
            assert not (self.annotations or self.trash or self.positions or self.prefs)
            return
        if sys.platform != "win32":
            assert stat.S_IMODE(self.path.stat().st_mode) == 0o600
        data = json.loads(self.path.read_bytes().decode("utf-8"))
        assert data["_meta"] == {"1": {"schema": store_module.SCHEMA_VERSION}}
        assert set(data) <= {"_meta", "annotations", "trash", "positions", "prefs"}

        def table(name: str) -> list[dict[str, Any]]:
            docs = data.get(name, {})
            return [docs[key] for key in sorted(docs, key=int)]

        assert [doc["annotation"] for doc in table("trash")] == self.trash
        assert all(isinstance(doc["deleted"], str) for doc in table("trash"))
        assert {d["article_id"]: d["offset"] for d in table("positions")} == self.positions
        assert {d["key"]: d["value"] for d in table("prefs")} == self.prefs


# No "explain" phase: it traces every line of thousands of replays (minutes on a failure),
# and the shrunk list of steps already says what went wrong. Few, long runs: the bugs worth
# finding take a dozen steps to set up (a full trash, a deleted id stored again).
StoreMachine.TestCase.settings = fuzz_settings(
    12,
    stateful_step_count=80,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)
TestTheStoreMatchesItsModelUnderAnyInterleaving = StoreMachine.TestCase
