"""`briefgen watch` collects garbage between saves, not during a rebuild, and leaks nothing.

The watcher holds the cyclic collector back while it rebuilds and collects after the
status line (``Watcher.settle``); what it loaded is frozen, and thawed again when a save
replaces it. These tests check what a user of a long watching session relies on: the
rebuild is not interrupted by a collection, what a rebuild or a replaced archive leaves
behind is freed, and the process's collector is as before once watching ends.
"""

from __future__ import annotations

import argparse
import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.commands import watch
from briefgen.watch import Watcher
from briefgen.workspace import open_workspace
from workspaces import edit, make_workspace


class _Cycle:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector() -> Iterator[None]:
    """The process's collector as it was, whatever a test leaves (freeze, thresholds)."""
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def _title(spec: Path, n: int) -> None:
    edit(spec, 'title: "Cyber cooperation', f'title: "Cyber cooperation {n}')


def test_no_collection_during_a_rebuild_and_its_garbage_is_freed_after(tmp_path, collector):
    ws = make_workspace(tmp_path / "ws")
    spec = ws / "briefs" / "cyber.yaml"
    watcher = Watcher(open_workspace(ws), ["cyber"], ("docx", "pdf"), str(tmp_path / "out"))
    assert not watcher.rebuild("cyber").problems
    watcher.settle()
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        for n in range(3):
            _title(spec, n)
            collections.clear()
            result = [watcher.rebuild(t) for t in watcher.affected([spec])]
            assert [r.topic for r in result] == ["cyber"] and not result[0].problems
            during = list(collections)
            left = _Cycle()  # garbage a rebuild leaves in a cycle
            freed = weakref.ref(left)
            del left
            assert freed() is not None  # not collected yet: the collector waits
            watcher.settle()
            assert during == [], f"the collector ran during rebuild {n}: generations {during}"
            assert freed() is None, "settle left a rebuild's cyclic garbage"
    finally:
        gc.callbacks.remove(count)
        watcher.close()


def test_an_archive_replaced_by_a_save_is_freed(tmp_path, collector):
    """What the first ``settle`` froze is thawed when a saved record replaces the archive."""
    ws = make_workspace(tmp_path / "ws")
    record = ws / "seeds" / "daily-2024-03-05.yaml"
    workspace = open_workspace(ws)
    watcher = Watcher(workspace, ["cyber"], ("docx", "pdf"), str(tmp_path / "out"))
    assert not watcher.rebuild("cyber").problems
    held = _Cycle()  # the archive's objects may sit in cycles: this one holds the archive
    held.owner = workspace.corpus()  # type: ignore[attr-defined]
    workspace.corpus().memo["test: a cycle through the archive"] = held
    freed = weakref.ref(held)
    del held
    watcher.settle()
    assert gc.get_freeze_count() > 0  # what is loaded is frozen
    assert freed() is not None  # and still in use
    edit(record, "title: \"Allies agree annual talks\"", "title: \"Allies agree yearly talks\"")
    assert watcher.affected([record]) == ["cyber"]
    assert not watcher.rebuild("cyber").problems
    watcher.settle()
    assert freed() is None, "the replaced archive stayed frozen in memory"
    assert workspace.corpus().sources  # the new one is in use
    watcher.close()
    assert gc.get_freeze_count() == 0


def test_watching_ends_with_the_collector_as_it_was(tmp_path, capsys, collector):
    ws = make_workspace(tmp_path / "ws")
    spec = ws / "briefs" / "cyber.yaml"
    gc.set_threshold(700, 10, 10)
    before = gc.get_threshold()

    def saves() -> Iterator[set[tuple[str, str]]]:
        for n in range(2):
            _title(spec, n)
            yield {("modified", str(spec))}

    args = argparse.Namespace(root=str(ws), topics=["cyber"], format="pdf", out=str(tmp_path / "out"))
    assert watch.run(args, saves()) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
