"""Figures in the DOCX: an inline picture in its own paragraph, then a Word caption.

The picture is as wide as ``Figure.size`` says for the text column (its own size at its
resolution, at most the column), its aspect ratio kept; its alt text is the drawing's
description (``wp:docPr/@descr``), which Word shows as "Alt Text" and screen readers
read. The caption paragraph is in Word's built-in "caption" style and numbers the figure
with a ``SEQ Figure`` field whose cached result is the tree's number, so Word's
"Update field" and its table of figures work, and a reader that does not update fields
still shows "Figure 1.".
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from ...document import Figure
from . import markup

if TYPE_CHECKING:
    from .writer import DocxWriter, Item

EMU_PER_POINT = 12700
SEQ_FIELD = " SEQ Figure \\* ARABIC "


def write_figure(writer: DocxWriter, parent: list[Item], block: Figure, indent_twips: int = 0) -> None:
    """The picture's paragraph and its caption's, appended to ``parent``."""
    writer.where = f"figure {block.number}"
    alt = writer.meta_text(block.alt, f"the alt text of figure {block.number}")
    caption = writer.meta_text(block.caption, f"the caption of figure {block.number}")
    width, height = block.size(max(writer.text_width - indent_twips, 1440) / 20)
    p = writer.para(parent, "figure")
    p.props["keepNext"] = "<w:keepNext/>"  # with its caption
    name = PurePosixPath(block.src).name or f"figure{block.number}"
    data, kind = block.data, block.kind or ("png" if block.data.startswith(b"\x89PNG") else "jpeg")
    if kind == "jpeg" and data[6:10] not in (b"JFIF", b"Exif"):
        # a JPEG without JFIF or Exif header (as CMYK JPEGs often are), which some readers
        # (python-docx among them) refuse: PIL has decoded it, so it goes in as a PNG
        data, kind = _as_png(data), "png"
    rid = writer.pkg.add_image(data, kind)
    inline = picture_inline(rid, writer.meta_text(name, "a figure's file name"), block.number,
                            round(width * EMU_PER_POINT), round(height * EMU_PER_POINT), alt)
    p.content.append(f"<w:r><w:drawing>{inline}</w:drawing></w:r>")

    c = writer.para(parent, "caption")
    c.content += (_text_run("Figure "), f'<w:fldSimple w:instr="{markup.attr(SEQ_FIELD)}">',
                  _text_run(str(block.number)), "</w:fldSimple>",
                  _text_run("." + (f" {caption}" if caption else "")))


def _text_run(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:r><w:t{space}>{markup.text(text)}</w:t></w:r>"


_INLINE_NS = ('xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
              'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
              'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
              'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def picture_inline(rid: str, name: str, shape_id: int, cx: int, cy: int, descr: str) -> str:
    """A ``wp:inline`` picture of the image part ``rid``, ``cx`` by ``cy`` EMU, its alt
    text in ``wp:docPr/@descr``: the markup python-docx's ``new_pic_inline`` makes."""
    return (f'<wp:inline {_INLINE_NS}><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{shape_id}" name="Picture {shape_id}" descr="{markup.attr(descr)}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="{markup.attr(name)}"/><pic:cNvPicPr/>'
            f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
            '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline>")


def _as_png(data: bytes) -> bytes:
    """The picture re-encoded as an RGB(A) PNG (lossless; the same input, the same bytes)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        converted = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    out = io.BytesIO()
    converted.save(out, format="PNG", optimize=False)
    return out.getvalue()
