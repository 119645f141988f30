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
from . import markup
from .package import picture_inline

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
    inline = picture_inline(writer.word, block.data, writer.meta_text(name, "a figure's file name"),
                            block.number, round(width * EMU_PER_POINT), round(height * EMU_PER_POINT),
                            alt)
    p.content.append(f"<w:r><w:drawing>{etree.tostring(inline, encoding='unicode')}</w:drawing></w:r>")

    c = writer.para(parent, "caption")
    c.content += (_text_run("Figure "), f'<w:fldSimple w:instr="{markup.attr(SEQ_FIELD)}">',
                  _text_run(str(block.number)), "</w:fldSimple>",
                  _text_run("." + (f" {caption}" if caption else "")))


def _text_run(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:r><w:t{space}>{markup.text(text)}</w:t></w:r>"
