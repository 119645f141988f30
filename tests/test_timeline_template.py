"""The timeline is rendered through a template: the shipped one, or the workspace's own."""

from __future__ import annotations

import pytest

from briefgen.commands.timeline import merged_events, timeline_document
from briefgen.document import Table, TableRole, iter_blocks, plain_text
from briefgen.errors import BriefgenError
from briefgen.workspace import open_workspace
from workspaces import copy_repository_workspace


def table_of(doc) -> Table:
    return next(b for b in iter_blocks(doc.blocks) if isinstance(b, Table))


def test_the_shipped_template_gives_one_cited_row_per_event(tmp_path):
    ws = open_workspace(copy_repository_workspace(tmp_path / "ws"))
    topics = ws.topics()
    doc = timeline_document(ws, ws.settings(), topics)
    table = table_of(doc)
    assert table.role == TableRole.CHRONOLOGY
    assert [plain_text(c) for c in table.header] == ["Date", "Event"]
    assert len(table.rows) == len(merged_events(ws, topics)) == len(doc.notes())


def test_a_workspace_template_replaces_the_shipped_one(tmp_path):
    root = copy_repository_workspace(tmp_path / "ws")
    (root / "templates" / "timeline.md.j2").write_text(
        "::: chronology\n| When | What happened |\n|:--|:--|\n"
        "{% for row in rows %}\n| {{ row.date|cell }} | {{ row.event|cell }} |\n{% endfor %}\n:::\n",
        encoding="utf-8")
    ws = open_workspace(root)
    doc = timeline_document(ws, ws.settings(), ws.topics())
    assert [plain_text(c) for c in table_of(doc).header] == ["When", "What happened"]


def test_a_broken_timeline_template_is_one_error_naming_it(tmp_path):
    root = copy_repository_workspace(tmp_path / "ws")
    (root / "templates" / "timeline.md.j2").write_text("{% for row in rows %}\n", encoding="utf-8")
    ws = open_workspace(root)
    with pytest.raises(BriefgenError) as exc:
        timeline_document(ws, ws.settings(), ws.topics())
    assert "timeline.md.j2" in str(exc.value) and "template" in str(exc.value)
