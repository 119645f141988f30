"""One house style for both files: with a house .docx the PDF follows what it can read.

The house file is made here, as an organisation's Word template would be: Letter paper,
1.25-inch margins, Georgia 12 pt, dark-red headings. Both outputs are checked; a font
the machine lacks is named in a warning, never silently replaced.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from briefgen.cli import main
from conftest import require_tool
from workspaces import copy_repository_workspace

pypdf = pytest.importorskip("pypdf")
docx = pytest.importorskip("docx")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DARK_RED = (0x8B, 0x00, 0x00)


def make_house(path: Path, font: str = "Georgia") -> Path:
    from docx.shared import Inches, Pt, RGBColor

    d = docx.Document()
    section = d.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Inches(1.25))
    d.styles["Normal"].font.name = font
    d.styles["Normal"].font.size = Pt(12)
    for level in (1, 2):
        heading = d.styles[f"Heading {level}"]
        heading.font.name = font
        heading.font.color.rgb = RGBColor(*DARK_RED)
    d.styles["Heading 1"].font.size = Pt(16)
    d.save(str(path))
    return path


def build(ws: Path, house: Path, out: Path, capsys) -> tuple[bytes, bytes, str]:
    code = main(["--root", str(ws), "build", "cyber", "--out", str(out), "--reference-docx", str(house)])
    err = capsys.readouterr().err
    assert code == 0, err
    return (out / "cyber.docx").read_bytes(), (out / "cyber.pdf").read_bytes(), err


def first_words_x(pdf: bytes, tmp_path: Path) -> float:
    """The left edge of the text on page 2 (no title block), from poppler's word boxes."""
    pdftotext = require_tool("pdftotext")
    path = tmp_path / "house.pdf"
    path.write_bytes(pdf)
    html = subprocess.run([pdftotext, "-bbox", "-f", "2", "-l", "2", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    xs = [float(w.get("xmin")) for w in etree.fromstring(html.encode(), etree.HTMLParser()).iter("word")]
    return min(xs)


@pytest.fixture
def workspace(tmp_path):
    return copy_repository_workspace(tmp_path / "ws")


def test_the_pdf_follows_the_house_page_margins_sizes_and_colours(workspace, tmp_path, capsys):
    house = make_house(tmp_path / "house.docx")
    data_docx, data_pdf, err = build(workspace, house, tmp_path / "out", capsys)

    # the DOCX: the house page and margins (twips)
    with zipfile.ZipFile(io.BytesIO(data_docx)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    sect = body.find(f"{W}body/{W}sectPr")
    assert (sect.find(f"{W}pgSz").get(f"{W}w"), sect.find(f"{W}pgSz").get(f"{W}h")) == ("12240", "15840")
    assert sect.find(f"{W}pgMar").get(f"{W}left") == "1800"

    # the PDF: Letter, the text 1.25 in (90 pt) from the left edge, dark-red headings, 12 pt body
    reader = pypdf.PdfReader(io.BytesIO(data_pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert abs(first_words_x(data_pdf, tmp_path) - 90) < 2
    content = b"".join(page.get_contents().get_data() for page in reader.pages[:3])
    assert b".545098 0 0 rg" in content  # 8B0000, the headings' colour
    assert b" 11.45 Tf" in content  # the body at 12 pt x 10.5/11 (the PDF's measure)

    # Georgia: embedded when the machine has it, else named in a warning
    fc_match = shutil.which("fc-match")
    has_georgia = fc_match and "georgia" in subprocess.run(
        [fc_match, "-f", "%{family}", "Georgia"], capture_output=True, text=True).stdout.lower()
    if has_georgia:
        assert b"Georgia" in data_pdf
    else:
        assert "PDF: font 'Georgia' not found; using Carlito" in err


def test_without_a_house_file_the_pdf_keeps_its_own_page(workspace, tmp_path, capsys):
    code = main(["--root", str(workspace), "build", "cyber", "--format", "pdf", "--out", str(tmp_path)])
    assert code == 0
    box = pypdf.PdfReader(tmp_path / "cyber.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # settings: A4


def test_a_font_in_a_fonts_folder_beside_the_house_file_is_embedded(workspace, tmp_path, capsys):
    source = Path("/usr/share/fonts/truetype/dejavu")
    faces = sorted(source.glob("DejaVuSerif*.ttf")) if source.is_dir() else []
    if not faces:
        pytest.skip("no DejaVu Serif TrueType files on this machine to copy into fonts/")
    folder = tmp_path / "templates"
    (folder / "fonts").mkdir(parents=True)
    for face in faces:
        shutil.copy(face, folder / "fonts" / face.name)
    house = make_house(folder / "house.docx", font="DejaVu Serif")
    _, data_pdf, err = build(workspace, house, tmp_path / "out", capsys)
    assert "not found" not in err
    reader = pypdf.PdfReader(io.BytesIO(data_pdf))  # fonts sit in object streams
    fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("DejaVuSerif" in name for name in fonts), fonts
