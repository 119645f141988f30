"""The stored default base of the DOCX (``briefgen/data/default-docx.zip``).

A build without a house template starts from python-docx's template set up for the
brief (styles, settings, notes, header and footer parts), stored with the package so
that the build imports neither python-docx nor lxml. These tests make that base again
with python-docx, as a house template is made, and hold the stored one to it: the
stored data, every setup, languages that need escaping, and whole documents built
both ways, byte for byte.
"""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from briefgen.document import Figure
from briefgen.writers.docx import opc, render_docx
from briefgen.writers.docx.package import default_bases, default_data
from briefgen.writers.docx.writer import BaseSetup, DocxWriter
from conftest import ROOT
from synthetic import synthetic_document

DATA = Path(__file__).resolve().parents[1] / "src" / "briefgen" / "data" / opc.DATA
REGENERATE = ("PYTHONPATH=src python -c \"from pathlib import Path; from briefgen.writers.docx.package "
              f"import default_data; Path('src/briefgen/data/{opc.DATA}').write_bytes(default_data())\"")


@pytest.fixture(scope="module")
def made() -> dict[str, opc.Base]:
    return default_bases()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_stored_base_is_what_python_docx_makes_now(made):
    """Every stored member equals what python-docx and the setup make today; if this
    fails after a change to the setup or an upgrade of python-docx, regenerate the file
    (the message says how) and check the DOCX tests."""
    stored = _members(DATA.read_bytes())
    assert stored == _members(default_data()), f"the stored default base is stale; run {REGENERATE}"
    for name, base in made.items():
        assert opc.load(stored, name) == base


@pytest.mark.parametrize("review", [False, True])
@pytest.mark.parametrize("figures", [False, True])
@pytest.mark.parametrize("language", ["en-GB", "ko-KR", 'x-"a&b"<c>'])
def test_each_setup_reads_back_as_python_docx_sets_it_up(made, review, figures, language):
    """The stored base with the brief's language equals python-docx's template set up
    with that language directly (escaping included)."""
    import docx

    from briefgen.writers.docx.package import _cleared, textual

    direct = textual(_cleared(docx.Document()), BaseSetup(True, review, language, figures))
    assert opc.default_base(review, figures, language) == direct


def _via(base: opc.Base, doc) -> bytes:
    package = opc.Package(base)
    writer = DocxWriter(package, doc, lambda message: None, house=True)
    writer.build()
    return package.zip(writer.moment)


def _figure(number: int) -> Figure:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 90, 160)).save(out, format="PNG")
    return Figure(f"figures/f{number}.png", "A blue block", "A caption", number=number,
                  data=out.getvalue(), kind="png", pixels=(60, 40))


@pytest.mark.parametrize("page_size", ["A4", "Letter"])
@pytest.mark.parametrize("figures", [False, True])
def test_a_document_from_the_stored_base_is_the_one_python_docx_gives(made, page_size, figures):
    """A synthetic brief with notes, links and lists, on either page size, with and
    without figures: the same bytes from the stored base and from a base python-docx
    made in this process."""
    doc = synthetic_document(notes=40)
    doc.meta = dataclasses.replace(doc.meta, page_size=page_size, language="de-DE")
    if figures:
        doc.blocks[2:2] = [_figure(1)]
    setup = BaseSetup.of(doc, house=True)
    direct = opc.with_language(made[opc.variant(setup.review, setup.figures)], setup.language)
    assert render_docx(doc) == _via(direct, doc)


def test_a_build_without_a_house_template_imports_neither_python_docx_nor_lxml(tmp_path):
    """``build --format docx`` on the repository's briefs: the DOCX writer brings in
    neither (what the build needed before the writer is left out of the count)."""
    script = f"""
import sys
from briefgen.commands.build import build_document
from briefgen.workspace import open_workspace
ws = open_workspace({str(ROOT)!r})
_, doc = build_document(ws, "cyber", ws.settings(), lambda message: None)
before = {{name for name in sys.modules if name.split(".")[0] in ("docx", "lxml")}}
from briefgen.writers.docx import render_docx
data = render_docx(doc)
after = {{name for name in sys.modules if name.split(".")[0] in ("docx", "lxml")}}
print(len(data) > 0, sorted(after - before))
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                         cwd=tmp_path, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "[]"]


@pytest.mark.parametrize("mode", ["RGB", "CMYK"])
def test_a_jpeg_goes_in_as_python_docx_would_take_it(mode):
    """A JPEG python-docx reads (JFIF header) goes in as it is; one it refuses (a CMYK
    JPEG has no JFIF header) goes in as a PNG of the same picture."""
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image as DocxImage
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, (60, 40), (30, 90, 160, 0)[: len(mode)]).save(out, format="JPEG")
    data = out.getvalue()
    doc = synthetic_document(notes=3)
    doc.blocks[1:1] = [Figure("figures/f.jpg", "A block", "", number=1, data=data, kind="jpeg",
                              pixels=(60, 40))]
    with zipfile.ZipFile(io.BytesIO(render_docx(doc))) as z:
        media = {name: z.read(name) for name in z.namelist() if name.startswith("word/media/")}
    try:
        DocxImage.from_blob(data)
    except UnrecognizedImageError:
        (name, png), = media.items()
        assert name == "word/media/image1.png"
        with Image.open(io.BytesIO(png)) as picture:
            assert picture.format == "PNG" and picture.size == (60, 40)
    else:
        assert media == {"word/media/image1.jpg": data}
