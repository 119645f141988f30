"""Figures with alternative text, in both formats, and every way a figure can be wrong.

A temporary workspace carries a PNG with an alpha channel and a JPEG, made here with
PIL, each written in prose as ``![alt](figures/x "Caption")``. The DOCX must hold each
as an inline picture whose ``wp:docPr/@descr`` is the alt text, followed by a caption
paragraph in Word's caption style numbered with a SEQ Figure field; the PDF must hold
each as a ``Figure`` element with ``/Alt`` and a Layout ``/BBox``, its caption after it,
and pass the PDF/UA and PDF/A checks. Every bad figure is one ``path:line`` error, exit
2, the previous output untouched, never a traceback or a Python warning.
"""

from __future__ import annotations

import io
import re
import struct
import subprocess
import warnings
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from briefgen.cli import main
from conftest import require_tool
from ooxml import validate_docx
from pdfua import check_pdf, pdfa_findings
from workspaces import edit, make_workspace

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
ANCHOR = '      - "Officials named cyber cooperation a priority [@daily-cyber-priority]."\n'
MAP_ALT = "A map of the North Atlantic and the Korean peninsula, with Tallinn marked"
MAP_CAPTION = "Where the partners meet"
CHART_ALT = "A bar chart of joint exercises per year, rising from one to four"
CHART_CAPTION = "Joint exercises, 2020–2024"


def _png(size: tuple[int, int] = (400, 250)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle([size[0] // 20, size[1] // 20, size[0] - size[0] // 20, size[1] - size[1] // 20],
                   fill=(20, 70, 140, 180))
    draw.ellipse([size[0] // 3, size[1] // 3, size[0] // 2, size[1] // 2], fill=(240, 190, 30, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _jpeg(size: tuple[int, int] = (300, 200)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (190, 60, 60))
    ImageDraw.Draw(image).rectangle([20, 100, 60, 180], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _bomb(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` × ``height`` pixels."""
    data = bytearray(_png((8, 8)))
    ihdr = data[12:29]  # chunk type and the 13 bytes of the header
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)) & 0xFFFFFFFF)
    return bytes(data)


def _figure_line(src: str, alt: str, caption: str | None) -> str:
    title = f' "{caption}"' if caption is not None else ""
    return f"      - '![{alt}]({src}{title})'\n"


def _workspace(root: Path) -> Path:
    make_workspace(root)
    (root / "figures").mkdir()
    (root / "figures" / "map.png").write_bytes(_png())
    (root / "figures" / "chart.jpg").write_bytes(_jpeg())
    edit(root / "briefs" / "cyber.yaml", ANCHOR,
         ANCHOR + _figure_line("figures/map.png", MAP_ALT, MAP_CAPTION)
         + '      - "Exercises followed [@daily-cyber-priority]."\n'
         + _figure_line("figures/chart.jpg", CHART_ALT, CHART_CAPTION))
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = _workspace(tmp_path_factory.mktemp("figures"))
    assert main(["--root", str(root), "build", "cyber"]) == 0
    return root


def _docx_xml(path: Path, member: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(member))


# ------------------------------------------------------------------ DOCX


def test_docx_pictures_carry_their_alt_text_and_a_numbered_caption(built):
    docx = built / "briefs" / "cyber.docx"
    root = _docx_xml(docx)
    doc_prs = root.findall(f".//{WP}inline/{WP}docPr")
    assert [d.get("descr") for d in doc_prs] == [MAP_ALT, CHART_ALT]
    assert len({d.get("id") for d in doc_prs}) == 2
    paragraphs = root.findall(f".//{W}body/{W}p")
    captions = []
    for i, p in enumerate(paragraphs):
        if p.find(f".//{WP}inline") is not None:
            caption = paragraphs[i + 1]  # the caption stands right under its picture
            assert caption.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Caption"
            field = caption.find(f"{W}fldSimple")
            assert field is not None and "SEQ Figure" in field.get(f"{W}instr")
            captions.append("".join(caption.itertext()))
    assert captions == [f"Figure 1. {MAP_CAPTION}", f"Figure 2. {CHART_CAPTION}"]
    styles = _docx_xml(docx, "word/styles.xml")
    names = {s.get(f"{W}styleId"): s.find(f"{W}name").get(f"{W}val") for s in styles.iter(f"{W}style")}
    assert names["Caption"] == "caption"  # Word's built-in caption style, by its built-in name


def test_docx_embeds_the_files_as_they_are_and_fits_the_column(built):
    docx = built / "briefs" / "cyber.docx"
    with zipfile.ZipFile(docx) as z:
        media = {n: z.read(n) for n in z.namelist() if n.startswith("word/media/")}
        sect = etree.fromstring(z.read("word/document.xml")).find(f".//{W}sectPr")
    assert sorted(media.values()) == sorted([(built / "figures" / "map.png").read_bytes(),
                                             (built / "figures" / "chart.jpg").read_bytes()])
    page_w = int(sect.find(f"{W}pgSz").get(f"{W}w"))
    margins = sect.find(f"{W}pgMar")
    column_emu = (page_w - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))) * 635
    for extent, (w_px, h_px) in zip(_docx_xml(docx).iter(f"{WP}extent"), [(400, 250), (300, 200)]):
        cx, cy = int(extent.get("cx")), int(extent.get("cy"))
        assert 0 < cx <= column_emu
        assert abs(cy / cx - h_px / w_px) < 0.01  # the aspect ratio kept


def test_docx_with_figures_is_schema_valid(built):
    assert validate_docx(built / "briefs" / "cyber.docx") == []


# ------------------------------------------------------------------ PDF


def _struct(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    out: list[pikepdf.Object] = []
    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
            out.append(node)
            kids = node.get("/K")
            if kids is not None:
                stack.extend(reversed(list(kids)) if isinstance(kids, pikepdf.Array) else [kids])
    return out


def test_pdf_figures_are_tagged_with_alt_text_and_a_box(built):
    path = built / "briefs" / "cyber.pdf"
    with pikepdf.open(path) as pdf:
        elems = _struct(pdf)
        figures = [e for e in elems if e.S == "/Figure"]
        assert [str(e.Alt) for e in figures] == [MAP_ALT, CHART_ALT]
        for e in figures:
            attrs = e.A
            assert attrs.O == "/Layout"
            x0, y0, x1, y1 = (float(v) for v in attrs.BBox)
            assert x1 > x0 and y1 > y0
        roles = [str(e.S) for e in elems]
        for i in [i for i, r in enumerate(roles) if r == "/Figure"]:
            assert roles[i + 1] == "/Caption"  # the caption follows its figure
        images = []
        for page in pdf.pages:
            for _, xobject in page.Resources.get("/XObject", {}).items():
                if xobject.get("/Subtype") == "/Image":
                    images.append(xobject)
        assert len(images) == 2
        assert any("/SMask" in im for im in images)  # the PNG's alpha, as PDF/A-2 allows
        assert all(im.ColorSpace in ("/DeviceRGB", "/DeviceGray") for im in images)
    assert check_pdf(path) == []
    assert pdfa_findings(path) == []


def test_the_checker_fails_a_figure_without_alt_text_or_box(built, tmp_path):
    with pikepdf.open(built / "briefs" / "cyber.pdf") as pdf:
        figure = next(e for e in _struct(pdf) if e.S == "/Figure")
        del figure["/Alt"]
        del figure["/A"]
        damaged = tmp_path / "damaged.pdf"
        pdf.save(damaged)
    problems = check_pdf(damaged)
    assert "a Figure element has no /Alt" in problems
    assert "a Figure element has no Layout /BBox attribute" in problems


@pytest.mark.client
def test_pdf_caption_text_follows_the_picture(built):
    pdfinfo = require_tool("pdfinfo")
    out = subprocess.run([pdfinfo, "-struct-text", str(built / "briefs" / "cyber.pdf")],
                         capture_output=True, text=True, check=True).stdout
    assert re.search(r"Figure:.*?Caption\s+\"Figure 1\. " + re.escape(MAP_CAPTION), out, re.S)
    assert f'"Figure 2. {CHART_CAPTION}"' in out


def test_rebuild_is_byte_identical(built, tmp_path):
    assert main(["--root", str(built), "build", "cyber", "--out", str(tmp_path)]) == 0
    for name in ("cyber.docx", "cyber.pdf"):
        assert (tmp_path / name).read_bytes() == (built / "briefs" / name).read_bytes(), name


def test_review_copy_and_annex_show_the_figure(built, tmp_path):
    assert main(["--root", str(built), "build", "cyber", "--review", "--annex",
                 "--out", str(tmp_path)]) == 0
    root = _docx_xml(tmp_path / "cyber-review.docx")
    assert [d.get("descr") for d in root.iter(f"{WP}docPr")] == [MAP_ALT, CHART_ALT]
    with pikepdf.open(tmp_path / "cyber-review.pdf") as pdf:
        assert [str(e.Alt) for e in _struct(pdf) if e.S == "/Figure"] == [MAP_ALT, CHART_ALT]
    assert check_pdf(tmp_path / "cyber-review.pdf") == []


# ------------------------------------------------------------------ errors


def _spec_line(root: Path, needle: str) -> int:
    lines = (root / "briefs" / "cyber.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def _fails(root: Path, capsys, expected: str) -> str:
    """Build fails with one ``path:line`` line holding ``expected``; the outputs stay."""
    before = {p.name: p.read_bytes() for p in (root / "briefs").glob("cyber.*") if p.suffix != ".yaml"}
    capsys.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no Python warning (PIL's bomb warning) may escape
        code = main(["--root", str(root), "build", "cyber"])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip() and "warning:" not in line]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert expected in lines[0], lines[0]
    after = {p.name: p.read_bytes() for p in (root / "briefs").glob("cyber.*") if p.suffix != ".yaml"}
    assert after == before
    return lines[0]


@pytest.fixture
def good(tmp_path) -> Path:
    root = _workspace(tmp_path / "ws")
    assert main(["--root", str(root), "build", "cyber"]) == 0
    return root


def _swap(root: Path, old: str, new: str) -> int:
    edit(root / "briefs" / "cyber.yaml", old, new)
    return _spec_line(root, new.splitlines()[0].strip() if new.strip() else old)


@pytest.mark.parametrize("src, expected", [
    ("../seeds/daily-2024-03-05.txt", "leads outside figures/"),
    ("figures/../seeds/daily-2024-03-05.txt", "leads outside figures/"),
    ("/etc/hostname", "an absolute path"),
    ("https://example.org/map.png", "a URL"),
    ("file:///etc/hostname", "cannot be a figure"),
    ("data:image/png;base64,iVBORw0KGgo=", "a URL"),
    ("figures/absent.png", "file not found"),
])
def test_a_path_outside_figures_or_missing_is_refused(good, capsys, src, expected):
    line = _swap(good, "](figures/chart.jpg", f"]({src}")
    message = _fails(good, capsys, expected)
    assert message.startswith(f"briefs/cyber.yaml:{_spec_line(good, src)}:"), (message, line)


def test_a_link_leading_out_of_figures_is_refused(good, capsys, tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(_png())
    (good / "figures" / "escape.png").symlink_to(outside)
    _swap(good, "figures/chart.jpg", "figures/escape.png")
    message = _fails(good, capsys, "leads outside figures/")
    assert message.startswith(f"briefs/cyber.yaml:{_spec_line(good, 'escape.png')}:")


def test_figures_folder_that_is_a_link_out_is_refused(good, capsys, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (good / "figures").rename(elsewhere)
    (good / "figures").symlink_to(elsewhere)
    _fails(good, capsys, "figures/ leads outside the workspace")


@pytest.mark.parametrize("alt", ["", "   "])
def test_a_figure_without_alt_text_is_an_error(good, capsys, alt):
    _swap(good, f"![{CHART_ALT}]", f"![{alt}]")
    message = _fails(good, capsys, "has no alt text")
    assert message.startswith(f"briefs/cyber.yaml:{_spec_line(good, 'figures/chart.jpg')}:")


def test_an_image_inside_a_sentence_is_an_error_not_dropped(good, capsys):
    edit(good / "briefs" / "cyber.yaml", "'![" + CHART_ALT, "'See ![" + CHART_ALT)
    message = _fails(good, capsys, "must stand as its own paragraph")
    assert message.startswith(f"briefs/cyber.yaml:{_spec_line(good, 'See ![')}:")


def test_a_figure_in_a_table_cell_is_an_error(good, capsys):
    edit(good / "briefs" / "cyber.yaml", 'text: "Annual military talks agreed [@daily-annual-talks]."',
         "text: '![A chart](figures/chart.jpg)'")
    _fails(good, capsys, "a figure cannot stand there")


def test_a_figure_in_an_event_is_an_error_in_the_timeline_too(good, capsys):
    edit(good / "briefs" / "cyber.yaml", 'text: "Annual military talks agreed [@daily-annual-talks]."',
         "text: '![A chart](figures/chart.jpg)'")
    capsys.readouterr()
    assert main(["--root", str(good), "timeline", "--format", "docx"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"briefs/cyber.yaml:{_spec_line(good, '![A chart]')}:"), err
    assert "cannot stand" in err[-1]


def test_an_image_in_the_template_is_an_error(good, capsys):
    template = good / "templates" / "brief.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n![logo](figures/map.png)\n",
                        encoding="utf-8")
    _fails(good, capsys, "an image in the template")


def test_a_file_that_is_not_png_or_jpeg_is_refused(good, capsys):
    (good / "figures" / "fake.png").write_bytes(b"GIF89a" + bytes(100))
    _swap(good, "figures/chart.jpg", "figures/fake.png")
    _fails(good, capsys, "not a PNG or JPEG file")


def test_an_extension_that_does_not_match_the_content_is_refused(good, capsys):
    (good / "figures" / "photo.png").write_bytes(_jpeg())
    _swap(good, "figures/chart.jpg", "figures/photo.png")
    _fails(good, capsys, "is a JPEG but named .png")


@pytest.mark.parametrize("width, height", [(100_000, 100_000), (10_000, 10_000)])
def test_a_decompression_bomb_is_refused_from_its_header(good, capsys, width, height):
    bomb = _bomb(width, height)
    assert len(bomb) < 1000  # small on disk, huge when decoded
    (good / "figures" / "bomb.png").write_bytes(bomb)
    _swap(good, "figures/chart.jpg", "figures/bomb.png")
    message = _fails(good, capsys, "figures/bomb.png")
    assert message.startswith(f"briefs/cyber.yaml:{_spec_line(good, 'bomb.png')}:")
    assert "pixels" in message


def test_the_pixel_and_size_limits_come_from_the_settings(good, capsys):
    settings = good / "templates" / "settings.yaml"

    def limits(megabytes: float, megapixels: float) -> None:
        text = re.sub(r"(?m)^figures:\n(  .*\n)*", "", settings.read_text(encoding="utf-8"))
        settings.write_text(text + f"figures:\n  max_megabytes: {megabytes}\n"
                            f"  max_megapixels: {megapixels}\n", encoding="utf-8")

    limits(20, 0.05)
    message = _fails(good, capsys, "over the limit of 0.05 million")
    assert "figures/map.png" in message  # 400 × 250 = 0.1 million pixels
    limits(0.001, 40)
    _fails(good, capsys, "too large")


def test_a_brief_s_figures_together_have_a_limit_each_file_counted_once(good, capsys):
    settings = good / "templates" / "settings.yaml"
    sizes = {p.name: p.stat().st_size for p in (good / "figures").iterdir()}
    used = [name for name in sizes if f"figures/{name}" in (good / "briefs" / "cyber.yaml").read_text(
        encoding="utf-8")]
    assert len(used) >= 2, used
    # Each file alone is within the limit; all of them together are over it.
    limit = (sum(sizes[n] for n in used) - 1) / 1024 / 1024
    text = re.sub(r"(?m)^figures:\n(  .*\n)*", "", settings.read_text(encoding="utf-8"))
    settings.write_text(text + f"figures:\n  max_total_megabytes: {limit!r}\n", encoding="utf-8")
    message = _fails(good, capsys, "the brief's figures weigh more than")
    assert "(settings: figures.max_total_megabytes)" in message
    # The same file used twice is one file: swap every figure for the largest one.
    largest = max(used, key=lambda n: sizes[n])
    for name in used:
        if name != largest:
            edit(good / "briefs" / "cyber.yaml", f"figures/{name}", f"figures/{largest}")
    assert main(["--root", str(good), "build", "cyber"]) == 0, capsys.readouterr().err


def test_a_damaged_file_is_an_error_not_a_traceback(good, capsys):
    (good / "figures" / "cut.png").write_bytes(_png()[:200])
    _swap(good, "figures/chart.jpg", "figures/cut.png")
    _fails(good, capsys, "damaged")


def test_cmyk_jpeg_and_palette_png_are_embedded_as_pdf_a_allows(good, tmp_path):
    """A CMYK JPEG (no JFIF header) and a palette PNG with a transparent colour: both
    formats are written, the PDF holds them as RGB (the PNG with a soft mask) and passes."""
    from PIL import Image

    Image.new("CMYK", (120, 80), (0, 120, 200, 10)).save(good / "figures" / "chart.jpg", quality=80)
    palette = Image.new("P", (100, 50), 1)
    palette.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
    palette.paste(0, (0, 0, 50, 50))  # the left half in the transparent colour
    palette.save(good / "figures" / "map.png", transparency=0)
    assert main(["--root", str(good), "build", "cyber", "--out", str(tmp_path)]) == 0
    root = _docx_xml(tmp_path / "cyber.docx")
    assert [d.get("descr") for d in root.iter(f"{WP}docPr")] == [MAP_ALT, CHART_ALT]
    assert validate_docx(tmp_path / "cyber.docx") == []
    pdf_path = tmp_path / "cyber.pdf"
    with pikepdf.open(pdf_path) as pdf:
        images = [x for page in pdf.pages for _, x in page.Resources.get("/XObject", {}).items()
                  if x.get("/Subtype") == "/Image"]
        assert sorted(str(x.ColorSpace) for x in images) == ["/DeviceRGB", "/DeviceRGB"]
        assert sum("/SMask" in x for x in images) == 1
    assert check_pdf(pdf_path) == []
    assert pdfa_findings(pdf_path) == []


@pytest.mark.client
def test_both_files_say_the_same_in_the_same_place(built, tmp_path):
    """The parity walk of test_parity on a brief built from a spec with figures: the
    captions stand at the same place of the text in the DOCX and the PDF."""
    from briefgen.commands.build import build_document
    from briefgen.workspace import open_workspace
    from briefgen.writers.docx import render_docx
    from briefgen.writers.pdf import render_pdf
    from test_parity import assert_same, docx_text, squash

    ws = open_workspace(built)
    _, doc = build_document(ws, "cyber", ws.settings(), lambda p: None)
    docx, pdf = render_docx(doc, warn=lambda m: None), render_pdf(doc, warn=lambda m: None)
    assert_same(doc, docx, pdf, tmp_path)
    text = squash("".join(docx_text(docx)[0]))
    first, second = squash(f"Figure 1. {MAP_CAPTION}"), squash(f"Figure 2. {CHART_CAPTION}")
    assert text.index("apriority") < text.index(first) < text.index("Exercisesfollowed") \
        < text.index(second)
