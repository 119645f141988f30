"""Evidence for reviewers: the annex and the merged chronology (review comments: test_docx_review)."""

from __future__ import annotations

import re

import pytest

from briefgen import evidence
from briefgen.cli import main
from briefgen.commands.build import build_document
from briefgen.document import Heading, Paragraph, plain_text
from briefgen.workspace import open_workspace
from workspaces import ROOT, make_workspace


def test_annex_lists_every_cited_extract_in_full_keyed_to_note_numbers():
    ws = open_workspace(ROOT)
    settings = ws.settings()
    _, doc = build_document(ws, "cyber", settings, lambda p: None)
    evidence.annex(doc, ws.corpus(), settings)
    corpus = ws.corpus()
    start = next(i for i, b in enumerate(doc.blocks)
                 if isinstance(b, Heading) and plain_text(b.children).startswith("Annex"))
    entries = [plain_text(b.children) for b in doc.blocks[start + 2:] if isinstance(b, Paragraph)]
    expected = [(n.number, c.key) for n in doc.notes() for c in n.citations]
    assert len(entries) == len(expected)
    for text, (number, key) in zip(entries, expected):
        record = corpus.extracts[key]
        assert re.match(rf"Note {number}\.|Note {number} \(continued\)\.", text)
        assert (f"\u201c{record.extract.quote}\u201d" if record.source.archived
                else record.extract.paraphrase) in text
        assert f"Extract {key}." in text
        if record.paragraph:
            assert f"para. {record.paragraph}" in text
        if record.extract.caveat:
            assert record.extract.caveat_text in text


def test_build_with_annex_puts_it_in_the_docx(tmp_path, capsys):
    from docx import Document

    assert main(["--root", str(ROOT), "build", "cyber", "--annex", "--format", "docx",
                 "--out", str(tmp_path)]) == 0
    paragraphs = [p.text for p in Document(str(tmp_path / "cyber.docx")).paragraphs]
    assert "Annex: the evidence behind each note" in paragraphs
    assert any(re.match("Note 1\\. (\u201c|Paraphrase)", p) for p in paragraphs)


def test_timeline_merges_sorts_and_cites(capsys):
    assert main(["--root", str(ROOT), "timeline"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["Date", "Topics", "Event"]
    ws = open_workspace(ROOT)
    from briefgen.commands.timeline import merged_events

    rows = merged_events(ws, ws.topics())
    keys = [r["date"].sort_key() for r in rows]
    assert keys == sorted(keys)
    assert all(r["keys"] for r in rows), "every row is cited"
    total = sum(len(ws.brief(t).brief.events) for t in ws.topics())
    assert len(rows) <= total
    # Each printed row names its evidence.
    assert sum(1 for line in out[2:] if re.search(r"\[[a-z0-9-]+(; [a-z0-9-]+)*\]$", line)) >= 1


def test_timeline_rows_shared_by_topics_appear_once(tmp_path, capsys):
    root = make_workspace(tmp_path / "ws")
    spec = (root / "briefs" / "cyber.yaml").read_text().replace("topic: cyber", "topic: other")
    (root / "briefs" / "other.yaml").write_text(spec)
    assert main(["--root", str(root), "timeline"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3
    assert re.match(r"14 February 2024\s+cyber, other\s+Annual military talks agreed\. "
                    r"\[daily-annual-talks\]", out[2])


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_timeline_as_a_document(tmp_path, capsys, fmt):
    assert main(["--root", str(ROOT), "timeline", "--format", fmt, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    m = re.match(rf"wrote {re.escape(str(tmp_path))}/timeline\.{fmt} \(.+, (\d+) events, (\d+) notes\)", out)
    assert m and int(m.group(1)) > 0 and m.group(1) == m.group(2), out  # every row cited
    assert (tmp_path / f"timeline.{fmt}").stat().st_size > 1000
