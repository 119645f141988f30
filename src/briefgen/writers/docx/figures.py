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

from lxml import etree

from ...document import Figure
from .oxml import _PPR_ORDER, W_R, W_T, XML_SPACE, _Element, _ordered_append, _ppr, _w
from .package import picture_inline

if TYPE_CHECKING:
    from .writer import DocxWriter

EMU_PER_POINT = 12700
SEQ_FIELD = " SEQ Figure \\* ARABIC "


def write_figure(writer: DocxWriter, parent: _Element, block: Figure, indent_twips: int = 0) -> None:
    """The picture's paragraph and its caption's, appended to ``parent``."""
    writer.where = f"figure {block.number}"
    alt = writer.meta_text(block.alt, f"the alt text of figure {block.number}")
    caption = writer.meta_text(block.caption, f"the caption of figure {block.number}")
    width, height = block.size(max(writer.text_width - indent_twips, 1440) / 20)
    p = writer.para(parent, "figure")
    _ordered_append(_ppr(p), etree.Element(_w("keepNext")), _PPR_ORDER)  # with its caption
    name = PurePosixPath(block.src).name or f"figure{block.number}"
    inline = picture_inline(writer.word, block.data, writer.meta_text(name, "a figure's file name"),
                            block.number, round(width * EMU_PER_POINT), round(height * EMU_PER_POINT),
                            alt)
    drawing = etree.SubElement(etree.SubElement(p, W_R), _w("drawing"))
    drawing.append(inline)

    c = writer.para(parent, "caption")
    _text_run(c, "Figure ")
    field = etree.SubElement(c, _w("fldSimple"))
    field.set(_w("instr"), SEQ_FIELD)
    _text_run(field, str(block.number))
    _text_run(c, "." + (f" {caption}" if caption else ""))


def _text_run(parent: _Element, text: str) -> None:
    t = etree.SubElement(etree.SubElement(parent, W_R), W_T)
    t.text = text
    if text != text.strip():
        t.set(XML_SPACE, "preserve")

