"""Every text colour is readable on what is behind it: at least 4.5:1 (WCAG 2, level AA).

The colours are read from the written files — the fill colour of each text operator and
the panel under it in the PDF, each run's resolved colour and its paragraph's or cell's
shading in the DOCX — for the briefs of the repository, their review copies, the
timeline and a synthetic brief with every kind of block (``contrast.py``).
"""

from __future__ import annotations

import pytest

from briefgen.cli import main
from briefgen.writers.docx import render_docx
from briefgen.writers.pdf import render_pdf
from contrast import contrast, docx_text_colours, hex_colour, pdf_text_colours
from synthetic import synthetic_document
from workspaces import ROOT

AA = 4.5


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("contrast")
    root = ["--root", str(ROOT)]
    assert main([*root, "build", "--all", "--out", str(out)]) == 0
    assert main([*root, "build", "--all", "--review", "--out", str(out)]) == 0
    assert main([*root, "timeline", "--format", "pdf", "--out", str(out)]) == 0
    assert main([*root, "timeline", "--format", "docx", "--out", str(out)]) == 0
    doc = synthetic_document(notes=40)
    (out / "synthetic.pdf").write_bytes(render_pdf(doc))
    (out / "synthetic.docx").write_bytes(render_docx(doc))
    return sorted(out.glob("*.pdf")) + sorted(out.glob("*.docx"))


def test_every_text_colour_meets_aa_in_both_formats(files):
    low = set()
    for path in files:
        read = pdf_text_colours if path.suffix == ".pdf" else docx_text_colours
        runs = read(path)
        assert runs, path.name
        for fg, bg, sample in runs:
            ratio = contrast(fg, bg)
            if ratio < AA:
                low.add((path.name, round(ratio, 2), sample))
    assert sorted(low) == []


def test_the_measure_is_wcags():
    """Black on white is 21:1; the assessment gold the DOCX used to print was 3.0:1."""
    assert contrast(hex_colour("000000"), hex_colour("FFFFFF")) == pytest.approx(21.0)
    assert contrast(hex_colour("B7862B"), hex_colour("FBF6EA")) == pytest.approx(3.02, abs=0.01)
    assert contrast(hex_colour("767676"), hex_colour("FFFFFF")) == pytest.approx(4.54, abs=0.01)
