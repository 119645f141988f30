"""The DOCX writer checked by real clients: LibreOffice lays it out, pandoc reads it back.

LibreOffice converts the file to PDF; poppler's ``pdftotext -bbox-layout`` then says
where on each page every word landed, so the test can see that each note sits at the
foot of a page, below all the body text. pandoc's DOCX reader (an independent
implementation) must find exactly the notes and headings the Document holds.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from briefgen.document import Document, Heading, iter_blocks, plain_text
from briefgen.writers.docx import render_docx
from conftest import require_pandoc, require_tool
from pandoc_json import stringify
from synthetic import synthetic_document

pytestmark = pytest.mark.client

XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass
class Word:
    text: str
    top: float
    bottom: float


def squash(text: str) -> str:
    """Text without white space: line breaks in the PDF fall where they fall."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def synthetic() -> Document:
    return synthetic_document(notes=40)


@pytest.fixture(scope="module")
def laid_out(synthetic, tmp_path_factory) -> list[list[Word]]:
    """The words of each page of LibreOffice's PDF of the brief, in reading order."""
    soffice = require_tool("soffice")
    pdftotext = require_tool("pdftotext")
    work = tmp_path_factory.mktemp("lo")
    source = work / "brief.docx"
    source.write_bytes(render_docx(synthetic))
    profile = (work / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), str(source)], check=True, capture_output=True, timeout=180)
    xhtml = subprocess.run([pdftotext, "-bbox-layout", str(work / "brief.pdf"), "-"], check=True,
                           capture_output=True).stdout
    pages = []
    for page in etree.fromstring(xhtml).iter(f"{XHTML}page"):
        pages.append([Word(w.text or "", float(w.get("yMin")), float(w.get("yMax")))
                      for w in page.iter(f"{XHTML}word")])
    return pages


def note_starts(words: list[Word]) -> list[tuple[int, int]]:
    """(note number, word index) where each note's text ("Author N, ...") begins."""
    return [(int(words[i + 1].text.rstrip(",")), i) for i in range(len(words) - 1)
            if words[i].text == "Author" and re.fullmatch(r"\d+,", words[i + 1].text)]


def test_libreoffice_puts_every_note_at_the_foot_of_a_page(synthetic, laid_out):
    expected = {ref.number: squash(plain_text(ref.content)) for ref in synthetic.notes()}
    found: dict[int, int] = {}
    for page_no, words in enumerate(laid_out, 1):
        starts = note_starts(words)
        if not starts:
            continue
        # Body text is 11 pt: taller word boxes than the 9 pt notes (or the 8.5 pt
        # header and footer, and superscript marks).
        body_bottom = max(w.bottom for w in words if w.bottom - w.top > 13)
        first_note_top = min(words[i].top for _, i in starts)
        assert first_note_top > body_bottom, f"page {page_no}: a note sits above body text"
        bounds = [i for _, i in starts] + [len(words)]
        for (number, begin), end in zip(starts, bounds[1:]):
            assert number not in found, f"note {number} printed twice"
            found[number] = page_no
            text = squash(" ".join(w.text for w in words[begin:end]))
            assert text.startswith(expected[number]), f"note {number} on page {page_no}: {text[:80]}"
    assert sorted(found) == list(expected), "every note appears once"
    pages = [found[n] for n in sorted(found)]
    assert pages == sorted(pages), "notes run in order through the pages"
    assert pages[-1] > 1


def test_libreoffice_shows_page_x_of_y(laid_out):
    total = len(laid_out)
    for page_no, words in enumerate(laid_out, 1):
        text = " ".join(w.text for w in words)
        assert f"Page {page_no} of {total}" in text
        assert text.count("NATO UNCLASSIFIED") >= 2  # top (body or header) and footer


def pandoc_json(data: bytes, tmp_path: Path) -> dict:
    pandoc = require_pandoc()
    source = tmp_path / "brief.docx"
    source.write_bytes(data)
    out = subprocess.run([pandoc, "-f", "docx", "-t", "json", str(source)], check=True,
                         capture_output=True, env={**os.environ, "LC_ALL": "C.UTF-8"})
    return json.loads(out.stdout)


def collect(node, kind: str, out: list) -> list:
    if isinstance(node, dict):
        if node.get("t") == kind:
            out.append(node)
        for value in node.values():
            collect(value, kind, out)
    elif isinstance(node, list):
        for value in node:
            collect(value, kind, out)
    return out


def test_pandoc_reads_back_exactly_the_notes_and_headings(synthetic, tmp_path):
    ast = pandoc_json(render_docx(synthetic), tmp_path)
    notes = collect(ast["blocks"], "Note", [])
    expected = [plain_text(ref.content) for ref in synthetic.notes()]
    assert [" ".join(stringify(n["c"]).split()) for n in notes] == [" ".join(t.split()) for t in expected]

    headers = [(h["c"][0], stringify(h)) for h in collect(ast["blocks"], "Header", [])]
    wanted = [(b.level, plain_text(b.children)) for b in iter_blocks(synthetic.blocks)
              if isinstance(b, Heading)]
    assert headers == wanted
    assert stringify(ast["meta"]["title"]) == synthetic.meta.title


def test_pandoc_sees_links_lists_table_and_quote(tmp_path):
    from test_docx import small_doc

    doc = small_doc()
    ast = pandoc_json(render_docx(doc), tmp_path)
    blocks = ast["blocks"]
    links = [l["c"][2][0] for l in collect(blocks, "Link", [])]
    assert links == ["https://ccdcoe.org/?a=1&b=2", "https://example.org/x?y=1&z=2"]
    assert len(collect(blocks, "OrderedList", [])) == 2
    assert len(collect(blocks, "BulletList", [])) == 1
    table = collect(blocks, "Table", [])
    assert len(table) == 1 and "Summit" in stringify(table[0])
    quotes = collect(blocks, "BlockQuote", [])
    assert any("A quoted line." in stringify(q) for q in quotes)
    assert len(collect(blocks, "Note", [])) == 3
