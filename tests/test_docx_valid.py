"""Every DOCX briefgen writes is valid against the ECMA-376 transitional schemas.

Word checks a file against these schemas before anything else; a part that fails them
is what makes Word offer to "recover the contents". The briefs of the repository, their
review copies, a brief with its evidence annex, the timeline and a long synthetic brief
are each validated part by part (``ooxml.py``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.writers.docx import render_docx
from ooxml import validate_docx
from synthetic import synthetic_document
from workspaces import ROOT

TOPICS = sorted(p.stem for p in (ROOT / "briefs").glob("*.yaml"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("docx-valid")
    root = ["--root", str(ROOT)]
    assert main([*root, "build", "--all", "--format", "docx", "--out", str(out)]) == 0
    assert main([*root, "build", "--all", "--review", "--format", "docx", "--out",
                 str(out / "review")]) == 0
    assert main([*root, "build", TOPICS[0], "--annex", "--format", "docx", "--out",
                 str(out / "annex")]) == 0
    assert main([*root, "timeline", "--format", "docx", "--out", str(out)]) == 0
    files = {t: out / f"{t}.docx" for t in TOPICS}
    files.update({f"{t}-review": out / "review" / f"{t}-review.docx" for t in TOPICS})
    files["annex"] = out / "annex" / f"{TOPICS[0]}.docx"
    files["timeline"] = out / "timeline.docx"
    synthetic = out / "synthetic.docx"
    synthetic.write_bytes(render_docx(synthetic_document(notes=300)))
    files["synthetic"] = synthetic
    return files


def test_every_part_of_every_docx_is_schema_valid(built):
    problems = {name: validate_docx(path) for name, path in built.items()}
    assert {k: v for k, v in problems.items() if v} == {}


def test_a_brief_with_figures_is_schema_valid(tmp_path):
    """Pictures (a PNG with alpha, a JPEG, one in a list item) and their captions with a
    SEQ field, in the house styles and with a house .docx's."""
    from PIL import Image

    from briefgen.document import Figure, ListBlock, Paragraph, Text

    def picture(mode: str, fmt: str) -> bytes:
        out = io.BytesIO()
        Image.new(mode, (90, 60), (30, 90, 160, 200)[: len(mode)]).save(out, format=fmt)
        return out.getvalue()

    doc = synthetic_document(notes=3)
    doc.blocks[1:1] = [
        Figure("figures/a.png", "A blue block", "A caption", number=1, data=picture("RGBA", "PNG"),
               kind="png", pixels=(90, 60)),
        ListBlock(False, [[Paragraph([Text("An item")]),
                           Figure("figures/b.jpg", "A JPEG", "", number=2,
                                  data=picture("RGB", "JPEG"), kind="jpeg", pixels=(90, 60))]]),
    ]
    path = tmp_path / "figures.docx"
    path.write_bytes(render_docx(doc))
    assert validate_docx(path) == []
    with zipfile.ZipFile(path) as z:
        assert b'descr="A blue block"' in z.read("word/document.xml")


def test_the_validator_rejects_what_word_would(built, tmp_path):
    """A setting without a required attribute and a misplaced element are both reported."""
    source = built[TOPICS[0]]
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(damaged, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/settings.xml":
                data = data.replace(b' w:percent="100"', b"")
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body><w:rPr/>", 1)
            zout.writestr(item, data)
    problems = "\n".join(validate_docx(damaged))
    assert "word/settings.xml" in problems and "percent" in problems
    assert "word/document.xml" in problems and "rPr" in problems


def test_ignorable_markup_is_read_as_markup_compatibility_says(tmp_path):
    """An element in an ignorable namespace is dropped; AlternateContent takes Fallback."""
    data = render_docx(synthetic_document(notes=3))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            part = zin.read(item.filename)
            if item.filename == "word/document.xml":
                part = part.replace(
                    b"<w:body>",
                    b'<w:body><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
                    b'markup-compatibility/2006"><mc:Choice Requires="w14"><w:bogus/>'
                    b"</mc:Choice><mc:Fallback><w:p/></mc:Fallback></mc:AlternateContent>", 1)
            zout.writestr(item, part)
    path = tmp_path / "alternate.docx"
    path.write_bytes(out.getvalue())
    assert validate_docx(path) == []
