"""How the PDF's pages break, read back from the files: a heading never ends a page.

A heading keeps at least the first two lines of what follows on its page, with the
room those lines' notes need (``FootnoteFrame.room_to_start``); when they cannot follow
it there, the heading moves to the next page with them. Checked on every brief in
briefs/ (alone and with its evidence annex) and on the 1,250-note synthetic brief: on
no page is the last line of body text a heading. Lines are read with pypdf, with the
size and font each piece of text is set in; the notes at the foot (set smaller than any
body text) and the page furniture are not body text.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from briefgen import evidence
from briefgen.cli import main
from briefgen.commands.build import build_document
from briefgen.document import Document, Heading, Role, iter_blocks, plain_text
from briefgen.document import Paragraph as ParagraphNode
from briefgen.workspace import open_workspace
from briefgen.writers.pdf import render_pdf
from briefgen.writers.pdf.notes import kept_lines
from briefgen.writers.pdf.styles import Styles
from synthetic import synthetic_document
from workspaces import ROOT

TOPICS = sorted(p.stem for p in (ROOT / "briefs").glob("*.yaml"))
BODY_SIZE = 9.25  # notes are set at 8.5 pt, every kind of body text at 9.5 pt or more


def squash(text: str) -> str:
    return "".join(text.split()).casefold()


def headings(doc: Document) -> list[str]:
    """What keeps with the next block: headings, and labels (printed in capitals)."""
    out = [plain_text(b.children) for b in iter_blocks(doc.blocks) if isinstance(b, Heading)]
    out += [plain_text(b.children) for b in iter_blocks(doc.blocks)
            if isinstance(b, ParagraphNode) and b.role in (Role.LABEL, Role.ASSESSMENT_LABEL)]
    return [squash(h) for h in out if h.strip()]


def page_lines(pdf: bytes) -> list[list[tuple[float, str, float, bool]]]:
    """Each page's lines, top down: (y, text, largest size, every piece bold)."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        pieces: list[tuple[float, str, float, bool]] = []

        def visit(text: str, cm: list, tm: list, font: dict | None, size: float,
                  pieces: list = pieces) -> None:
            if not text.strip() or font is None:
                return
            y = tm[5] * cm[3] + tm[4] * cm[1] + cm[5]
            name = str(font.get("/BaseFont", ""))
            pieces.append((y, text, size * abs(tm[3] * cm[3]), "Bold" in name))

        page.extract_text(visitor_text=visit)
        lines: dict[float, list[tuple[float, str, float, bool]]] = {}
        for piece in pieces:
            key = next((k for k in lines if abs(k - piece[0]) < 1.0), piece[0])
            lines.setdefault(key, []).append(piece)
        pages.append([(y, "".join(p[1] for p in ps), max(p[2] for p in ps), all(p[3] for p in ps))
                      for y, ps in sorted(lines.items(), reverse=True)])
    return pages


def is_heading(line: tuple[float, str, float, bool], names: list[str]) -> bool:
    """A bold line that is a heading, or one line of a heading set on two."""
    text = squash(line[1])
    return line[3] and bool(text) and any(text in name for name in names)


def pages_ending_in_a_heading(doc: Document, pages: list) -> list[tuple[int, str]]:
    """(page, heading) for each page whose last line of body text is a heading."""
    names = headings(doc)
    marking = squash(doc.meta.marking)
    found = []
    for number, lines in enumerate(pages, 1):
        body = [line for line in lines if is_heading(line, names)
                or (line[2] >= BODY_SIZE and squash(line[1]) != marking)]
        if body and is_heading(body[-1], names):
            found.append((number, body[-1][1].strip()))
    return found


# ----------------------------------------------------------------------------- briefs


@pytest.fixture(scope="module")
def workspace():
    ws = open_workspace(ROOT)
    return ws, ws.settings()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The PDFs as ``build`` writes them (in the house look of the templates)."""
    out = tmp_path_factory.mktemp("layout")
    root = ["--root", str(ROOT)]
    assert main([*root, "build", "--all", "--format", "pdf", "--out", str(out / "brief")]) == 0
    assert main([*root, "build", *TOPICS, "--annex", "--format", "pdf", "--out",
                 str(out / "annex")]) == 0
    return out


@pytest.mark.parametrize("topic", TOPICS)
@pytest.mark.parametrize("variant", ["brief", "annex"])
def test_no_page_of_a_brief_ends_in_a_heading(workspace, built, topic, variant):
    ws, settings = workspace
    _, doc = build_document(ws, topic, settings, lambda p: None)
    if variant == "annex":
        evidence.annex(doc, ws.corpus(strict=False), settings)
    pages = page_lines((built / variant / f"{topic}.pdf").read_bytes())
    assert pages_ending_in_a_heading(doc, pages) == []
    assert_reads_headings(doc, pages)


def assert_reads_headings(doc: Document, pages: list) -> None:
    """The reading sees every heading of the tree (so the check has something to find)."""
    names = headings(doc)
    count = sum(isinstance(b, Heading) for b in iter_blocks(doc.blocks))
    assert count and len(names) >= count
    read = [line for page in pages for line in page if is_heading(line, names)]
    assert len(read) >= count


def test_no_page_of_the_long_synthetic_brief_ends_in_a_heading():
    doc = synthetic_document(notes=1250)
    pages = page_lines(render_pdf(doc, warn=lambda m: None))
    assert len(pages) > 50
    assert pages_ending_in_a_heading(doc, pages) == []
    assert_reads_headings(doc, pages)


def test_the_check_finds_a_heading_left_at_a_page_foot(workspace, monkeypatch, tmp_path):
    """With keep-with-next switched off, the check sees the headings that end a page."""
    from briefgen.writers.pdf.page import BriefDocTemplate

    ws, settings = workspace
    monkeypatch.setattr(BriefDocTemplate, "handle_keepWithNext", lambda self, flowables: None)
    assert main(["--root", str(ROOT), "build", "--all", "--format", "pdf", "--out", str(tmp_path)]) == 0
    found = []
    for topic in TOPICS:
        _, doc = build_document(ws, topic, settings, lambda p: None)
        found += pages_ending_in_a_heading(doc, page_lines((tmp_path / f"{topic}.pdf").read_bytes()))
    assert found  # e.g. "Background" at the foot of page 1 of cyber


# ----------------------------------------------------------------------------- the rule


@pytest.mark.parametrize("n", range(1, 8))
def test_the_frame_knows_where_reportlab_splits_a_paragraph(n):
    """``kept_lines`` says what ``Paragraph.split`` keeps, for every room and length."""
    style = Styles().body
    text = "<br/>".join(f"line {i}" for i in range(n))
    for k in range(0, n + 2):
        para = Paragraph(text, style)
        para.wrap(400, 1e6)
        assert len(para.blPara.lines) == n
        if k >= n:  # the frame places it whole, without splitting
            assert para.height <= k * style.leading + 1e-3
            kept = n
        else:
            parts = para.split(400, k * style.leading + 1e-3)
            kept = len(parts[0].blPara.lines) if parts else 0
        assert kept_lines(k, n, para) == kept, (n, k)
        if 0 < kept < n:  # never one line alone
            assert kept >= 2 and n - kept >= 2


def test_a_heading_is_not_left_alone_above_a_paragraph_of_three_lines():
    """The case that broke: the paragraph after the heading cannot split 2 + 1."""
    assert kept_lines(2, 3) == 2  # reportlab's defaults allow a widow
    para = Paragraph("a<br/>b<br/>c", Styles().body)
    assert kept_lines(2, 3, para) == 0  # the house styles do not
