"""The PDF writer checked with real PDF tools: qpdf, pdffonts and pdftotext (poppler).

pdftotext ``-bbox`` gives every word with its box; a word's height is its font size, so
the check needs nothing from the writer: superscript note marks are small digit words
among the body text, notes are the 8.5-point words at the foot, and each note opens with
its number followed by "Author N," in a synthetic brief.
"""

from __future__ import annotations

import datetime as _dt
import html
import re
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from briefgen.document import (
    Citation,
    Document,
    Heading,
    Meta,
    NoteRef,
    Paragraph,
    Text,
)
from briefgen.writers.pdf import render_pdf
from conftest import require_tool
from synthetic import synthetic_document

pytestmark = pytest.mark.client

MM = 72 / 25.4
SPECIAL = "Fish & chips <b>not bold</b> \"double\" 'single' AT&T a<b 5 > 3 &amp; &lt;"
NON_LATIN = "Δημοκρατία, Безопасность, Zürich, naïve — “quoted” …"


@pytest.fixture(scope="module")
def synthetic_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "synthetic.pdf"
    path.write_bytes(render_pdf(synthetic_document(notes=600), warn=pytest.fail))
    return path


@pytest.fixture(scope="module")
def text_pdf(tmp_path_factory) -> Path:
    meta = Meta(title="R&D <Plans>", topic="cyber", date=_dt.date(2026, 11, 23),
                marking="NATO UNCLASSIFIED")
    doc = Document(meta, [
        Heading(1, [Text("Q&A <one>")], anchor="qa"),
        Paragraph([Text(SPECIAL), NoteRef([Citation("k")], 1, [Text("Author 1, " + SPECIAL)])]),
        Paragraph([Text(NON_LATIN)]),
    ])
    path = tmp_path_factory.mktemp("pdf") / "text.pdf"
    path.write_bytes(render_pdf(doc, warn=pytest.fail))
    return path


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_qpdf_finds_no_errors(synthetic_pdf, text_pdf):
    qpdf = require_tool("qpdf")
    for path in (synthetic_pdf, text_pdf):
        result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors" in result.stdout


def test_every_font_is_embedded_and_subset(synthetic_pdf, text_pdf):
    pdffonts = require_tool("pdffonts")
    for path in (synthetic_pdf, text_pdf):
        rows = run(pdffonts, str(path)).splitlines()[2:]
        assert len(rows) >= 2
        for row in rows:
            name, kind = row.split()[0], row.split()[1]
            emb, sub, uni = row.split()[-5:-2]
            assert re.match(r"[A-Z]{6}\+Carlito", name), row
            assert (kind, emb, sub, uni) == ("TrueType", "yes", "yes", "yes"), row


def test_text_comes_back_exactly(text_pdf):
    pdftotext = require_tool("pdftotext")
    text = " ".join(run(pdftotext, str(text_pdf), "-").split())
    assert text.count(" ".join(SPECIAL.split())) == 2  # body and note
    assert NON_LATIN in text
    assert "Q&A <one>" in text and "R&D <Plans>" in text


def _pages(pdftotext: str, path: Path) -> list[tuple[float, list[tuple[float, float, float, str]]]]:
    """Per page: its height and words as (yMin, yMax, xMin, text), y from the top."""
    out = run(pdftotext, "-bbox", str(path), "-")
    pages = []
    for page in re.finditer(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [(float(y0), float(y1), float(x0), html.unescape(t)) for x0, y0, _x1, y1, t in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                            r'yMax="([\d.]+)">(.*?)</word>', page.group(2))]
        pages.append((float(page.group(1)), words))
    return pages


def test_poppler_sees_each_pages_notes_at_its_foot(synthetic_pdf):
    pdftotext = require_tool("pdftotext")
    pdfinfo = require_tool("pdfinfo")
    pages = _pages(pdftotext, synthetic_pdf)
    dests = run(pdfinfo, "-dests", str(synthetic_pdf))
    dest_page = {name: int(page)
                 for page, name in re.findall(r'^\s*(\d+) \[.*\] "(.*)"$', dests, re.M)}
    assert len(pages) >= 30
    all_starts: list[int] = []
    for number, (height, words) in enumerate(pages, 1):
        marks, body, note_lines = [], [], defaultdict(list)
        for y0, y1, x0, text in words:
            if y1 < 22 * MM or y0 > height - 20 * MM:
                continue  # running head and footer
            size = y1 - y0
            if size < 8 and text.isdigit():
                marks.append((y0, x0, int(text)))
                body.append((y0, y1))
            elif abs(size - 8.5) < 0.05:
                note_lines[round(y0, 1)].append((x0, text))
            else:
                body.append((y0, y1))
        starts = []
        for y in sorted(note_lines):
            line = [t for _, t in sorted(note_lines[y])]
            if len(line) >= 3 and line[0].isdigit() and line[1] == "Author":
                assert line[2] == f"{line[0]},", f"page {number}: note {line[0]} text"
                assert dest_page[f"fn-{line[0]}"] == number  # the mark's link lands here
                starts.append(int(line[0]))
        in_order = [n for _, _, n in sorted(marks)]
        assert starts == sorted(in_order), f"page {number}"
        if note_lines and body:
            assert max(y1 for _, y1 in body) < min(note_lines), f"page {number}: overlap"
        all_starts += starts
    assert all_starts == list(range(1, 601))
