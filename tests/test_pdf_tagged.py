"""Tagged (PDF/UA-1) and archival (PDF/A-2b) PDFs, checked from the files.

Every PDF briefgen writes — each brief of the repository, its review copy, a brief with
its evidence annex, the timeline and a 1,250-note synthetic brief — passes the checker
in ``pdfua.py`` (structure, marked content, annotations, fonts, metadata) and pikepdf's
own PDF/A-2b validator. Tagging must not change what is printed: the pages rendered by
poppler and the text ``pdftotext`` reads are the same with and without tags, and the
text read from the tags keeps every word of the brief apart.
"""

from __future__ import annotations

import re
import subprocess
from itertools import pairwise
from pathlib import Path

import pikepdf
import pytest

from briefgen.cli import main
from briefgen.commands.build import build_document
from briefgen.document import Heading, iter_blocks, plain_text
from briefgen.workspace import open_workspace
from briefgen.writers.pdf import render_pdf
from conftest import require_tool
from pdfua import check_pdf, pdfa_findings
from synthetic import synthetic_document
from workspaces import ROOT

TOPICS = sorted(p.stem for p in (ROOT / "briefs").glob("*.yaml"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Every kind of PDF the command line writes, built from the repository."""
    out = tmp_path_factory.mktemp("tagged")
    root = ["--root", str(ROOT)]
    assert main([*root, "build", "--all", "--format", "pdf", "--out", str(out)]) == 0
    assert main([*root, "build", "--all", "--review", "--format", "pdf", "--out",
                 str(out / "review")]) == 0
    assert main([*root, "build", TOPICS[0], "--annex", "--format", "pdf", "--out",
                 str(out / "annex")]) == 0
    assert main([*root, "timeline", "--format", "pdf", "--out", str(out)]) == 0
    files = {f"{t}": out / f"{t}.pdf" for t in TOPICS}
    files.update({f"{t}-review": out / "review" / f"{t}-review.pdf" for t in TOPICS})
    files["annex"] = out / "annex" / f"{TOPICS[0]}.pdf"
    files["timeline"] = out / "timeline.pdf"
    for name, path in files.items():
        assert path.is_file(), name
    return files


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.pdf"
    path.write_bytes(render_pdf(synthetic_document(notes=1250)))
    return path


def test_every_pdf_passes_the_pdfua_checker(built):
    problems = {name: check_pdf(path) for name, path in built.items()}
    assert {k: v for k, v in problems.items() if v} == {}


def test_every_pdf_passes_pikepdfs_pdfa_validator(built):
    findings = {name: pdfa_findings(path) for name, path in built.items()}
    assert {k: v for k, v in findings.items() if v} == {}


@pytest.mark.slow
def test_synthetic_brief_of_1250_notes_passes(synthetic):
    assert check_pdf(synthetic) == []
    assert pdfa_findings(synthetic) == []


def test_the_checker_finds_what_is_wrong(built, tmp_path):
    """The checker is not a rubber stamp: an untagged file and damaged copies fail it."""
    ws = open_workspace(ROOT)
    _, doc = build_document(ws, TOPICS[0], ws.settings(), lambda m: None)
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(render_pdf(doc, tagged=False))
    assert "no structure tree" in check_pdf(plain)

    with pikepdf.open(built[TOPICS[0]]) as pdf:
        page = pdf.pages[0]
        page.contents_add(pdf.make_stream(b"0 0 m 100 100 l S"), prepend=True)
        link = next(a for p in pdf.pages for a in p.obj.get("/Annots", [])
                    if a.get("/Subtype") == pikepdf.Name.Link)
        del link["/StructParent"]
        del pdf.Root["/MarkInfo"]
        damaged = tmp_path / "damaged.pdf"
        pdf.save(damaged)
    problems = "\n".join(check_pdf(damaged))
    assert "page 1: content neither tagged nor artifact: 1 × S" in problems
    assert "Link annotation not tied to the structure tree" in problems
    assert "/MarkInfo /Marked is not true" in problems


def _struct_text(path: Path) -> str:
    pdfinfo = require_tool("pdfinfo")
    return subprocess.run([pdfinfo, "-struct-text", str(path)], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.client
def test_structure_of_a_real_brief(built):
    """Title H1, each section of the spec an H2 in order, notes with labels, lists."""
    ws = open_workspace(ROOT)
    topic = "cyber" if "cyber" in TOPICS else TOPICS[0]
    _, doc = build_document(ws, topic, ws.settings(), lambda m: None)
    text = _struct_text(built[topic])
    lines = text.splitlines()
    assert lines[0] == "Document"
    roles = []
    for line, following in pairwise(lines):
        head = re.fullmatch(r"\s*(H\d) \(block\)", line)
        if head:
            roles.append((head.group(1), following.strip().strip('"').strip()))
    assert roles[0] == ("H1", " ".join(doc.meta.title.split()))
    sections = [" ".join(plain_text(b.children).split()) for b in iter_blocks(doc.blocks)
                if isinstance(b, Heading)]
    assert [t for r, t in roles[1:]] == sections
    assert {r for r, _ in roles[1:]} == {"H2"}
    notes = {n.number for n in doc.notes()}
    ids = re.findall(r"Note <note-(\d+)>", text)
    assert sorted(map(int, ids)) == sorted(notes)
    if any(type(b).__name__ == "ListBlock" for b in iter_blocks(doc.blocks)):
        assert re.search(r"\n\s+L \(block\)\n\s+LI \(block\)\n\s+Lbl", text)


@pytest.mark.client
def test_tagged_text_keeps_every_word_of_the_brief(built):
    """No "defenceprogressed": each word read from the tags is a word of the brief."""
    ws = open_workspace(ROOT)
    for topic in TOPICS:
        _, doc = build_document(ws, topic, ws.settings(), lambda m: None)
        own = " ".join(_document_text(doc).split())
        tagged = _words(" ".join(re.findall(r'^\s*"(.*)"$', _struct_text(built[topic]), re.MULTILINE)))
        # a link or note mark is an element of its own, so a word may be read in parts
        strays = sorted(w for w in tagged if w not in own)
        assert strays == [], (topic, strays[:20])


def _document_text(doc) -> str:
    meta = doc.meta
    parts = [meta.title, meta.subtitle or "", meta.marking, meta.author or "",
             meta.organisation, meta.date_text or "", "Question: ASSESSMENT"]
    for block in iter_blocks(doc.blocks):
        for attr in ("children",):
            if hasattr(block, attr):
                parts.append(plain_text(getattr(block, attr)))
        for row in [getattr(block, "header", [])] + list(getattr(block, "rows", [])):
            parts.extend(plain_text(cell) for cell in row)
        for entry in getattr(block, "entries", []):
            parts.append(plain_text(entry))
    for ref in doc.notes():
        parts.append(str(ref.number))
        parts.append(plain_text(ref.content))
    return " ".join(parts) + " • – ◦ · 1. 2. 3. 4. 5. 6. 7. 8. 9."


def _words(text: str) -> set[str]:
    return set(text.split())


@pytest.mark.client
def test_tagging_changes_nothing_on_the_page(tmp_path):
    """Same pixels and same pdftotext text with and without tags."""
    pdftoppm = require_tool("pdftoppm")
    pdftotext = require_tool("pdftotext")
    ws = open_workspace(ROOT)
    _, doc = build_document(ws, TOPICS[0], ws.settings(), lambda m: None)
    outputs = {}
    for tagged in (False, True):
        path = tmp_path / f"{tagged}.pdf"
        path.write_bytes(render_pdf(doc, tagged=tagged))
        prefix = tmp_path / f"page-{tagged}"
        subprocess.run([pdftoppm, "-r", "50", "-png", str(path), str(prefix)], check=True)
        pages = sorted(tmp_path.glob(f"page-{tagged}-*.png"))
        text = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
        outputs[tagged] = ([p.read_bytes() for p in pages], text)
    assert outputs[True][0] == outputs[False][0]
    assert outputs[True][1] == outputs[False][1]


def test_bookmarks_nest_sections_under_the_title(built):
    ws = open_workspace(ROOT)
    topic = TOPICS[0]
    _, doc = build_document(ws, topic, ws.settings(), lambda m: None)
    with pikepdf.open(built[topic]) as pdf, pdf.open_outline() as outline:
        top = outline.root
        assert [" ".join(item.title.split()) for item in top] == \
                [" ".join(doc.meta.title.split())]
        sections = [" ".join(plain_text(b.children).split()) for b in doc.blocks
                    if isinstance(b, Heading)]
        assert [" ".join(c.title.split()) for c in top[0].children] == sections
