"""The stamps of a stored brief result's extracts, looked up with it at once, are what
``ArchiveIndex.extract_stamp`` gives one by one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.index import ArchiveIndex
from workspaces import copy_repository_workspace


def _one_by_one(root: Path, ids: list[str]) -> list[list | None]:
    index = ArchiveIndex.open(root, pytest.fail)
    assert index is not None
    try:
        return [index.extract_stamp(i) for i in ids]
    finally:
        index.close()


def test_the_stamps_read_with_a_brief_result_are_the_index_answers(tmp_path):
    root = copy_repository_workspace(tmp_path / "ws")
    assert main(["--root", str(root), "check"]) in (0, 2)
    index = ArchiveIndex.open(root, pytest.fail)
    assert index is not None
    try:
        rows = index.conn.execute("SELECT topic, variant, deps FROM briefs").fetchall()
        assert rows
        topic, variant, deps = next(r for r in rows if r[0] == "cyber")
        cited = [d[1] for d in json.loads(deps) if d[0] == "extract"]
        assert len(cited) > 5
        # the stored inputs, with an extract that is not in the archive and one twice
        deps = json.loads(deps) + [["extract", "no-such-extract"], ["extract", cited[0]]]
        index.conn.execute("UPDATE briefs SET deps = ? WHERE topic = ? AND variant = ?",
                           (json.dumps(deps), topic, variant))
        index.conn.commit()
        wanted = [*cited, "no-such-extract", cited[0]]
        assert index.brief_result(topic, variant) is not None
        assert set(index._stamps) == {*cited, "no-such-extract"}
        at_once = [index.extract_stamp(i) for i in wanted]
        assert not index._stamps  # each answered once: asked again, the index answers
        assert at_once == _one_by_one(root, wanted)
        assert at_once[-2] is None and at_once[-1] == at_once[0]
        assert all(isinstance(s, list) and len(s) == 4 for s in at_once[:-2])
        # a write drops what was looked up ahead
        assert index.brief_result(topic, variant) is not None and index._stamps
        index.update([])
        assert not index._stamps
    finally:
        index.close()
