"""Figures in the PDF: the picture scaled to the column, its caption under it, tagged.

The picture is drawn at ``Figure.size`` for the column (its own size at its resolution,
at most the column's width), centred, and kept on the page with its caption. In the
structure tree it is a ``Figure`` element with the alt text as ``/Alt`` and its box on
the page as a Layout ``/BBox`` attribute (PDF/UA-1 7.3: a figure has alternative text),
its image painted inside the element's marked content. The caption follows as a
``Caption`` element beside the Figure, not inside it: assistive technology reads a
Figure's ``/Alt`` instead of everything the Figure holds, so a caption inside it would
go unheard.

Images are embedded as PDF/A-2 allows: RGB or grey (the sRGB output intent covers
both; a CMYK or palette picture is converted to RGB), an alpha channel as a soft mask
(``/SMask``, allowed since PDF/A-2), losslessly compressed; a JPEG in RGB or grey is
embedded as it is. The same file gives the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from ...document import Figure
from .styles import GREY, Styles
from .tags import StructElem, TaggedParagraph


class FigureFlowable(Flowable):
    """One picture, centred in the column, painted into its ``Figure`` element."""

    def __init__(self, figure: Figure, width: float, height: float, struct: StructElem) -> None:
        super().__init__()
        self.figure = figure
        self.draw_width = width
        self.draw_height = height
        self.struct = struct
        self.keepWithNext = 1  # its caption follows on the same page
        self.spaceBefore = 4
        self.spaceAfter = 4
        self._reader: ImageReader | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.avail = availWidth
        return availWidth, self.draw_height

    def _image(self) -> tuple[Any, str | None]:
        """What reportlab embeds, and the mask rule: the JPEG's own bytes when it can stand
        as it is, else a decoded picture in RGB(A) or grey."""
        if self._reader is None:
            from PIL import Image

            data = self.figure.data
            with Image.open(io.BytesIO(data)) as image:  # the header: its mode
                mode = image.mode
                if self.figure.kind == "jpeg" and mode in ("RGB", "L"):  # as it is: no decoding
                    self._reader = ImageReader(io.BytesIO(data))
                else:
                    alpha = mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in image.info)
                    if alpha:
                        picture = image.convert("RGBA")
                    elif mode == "L":
                        picture = image.copy()
                    else:
                        picture = image.convert("RGB")
                    self._reader = ImageReader(picture)
        mask = "auto" if self._reader is not None and self.figure.kind == "png" else None
        return self._reader, mask

    def draw(self) -> None:
        canv = self.canv
        x = max((self.avail - self.draw_width) / 2, 0.0)
        reader, mask = self._image()
        tagger = getattr(canv, "tagger", None)
        if tagger is None:
            canv.drawImage(reader, x, 0, self.draw_width, self.draw_height, mask=mask)
            return
        x0, y0 = canv.absolutePosition(x, 0)
        x1, y1 = canv.absolutePosition(x + self.draw_width, self.draw_height)
        self.struct.bbox = (round(min(x0, x1), 2), round(min(y0, y1), 2),
                            round(max(x0, x1), 2), round(max(y0, y1), 2))
        mcid = tagger.mark(self.struct)
        # the page's artifact pauses for the picture, as it does for text (tags.TaggingCanvas)
        canv._code.append(f"EMC /Figure <</MCID {mcid}>> BDC")
        canv.drawImage(reader, x, 0, self.draw_width, self.draw_height, mask=mask)
        canv._code.append("EMC /Artifact BMC")


def caption_style(styles: Styles) -> ParagraphStyle:
    body = styles.body
    return ParagraphStyle("Caption", parent=body, fontName=styles.fonts.italic,
                          fontSize=round(body.fontSize * 0.9, 2), leading=round(body.leading * 0.9, 2),
                          alignment=TA_CENTER, textColor=GREY, spaceBefore=2, spaceAfter=10)


def figure_flowables(figure: Figure, parent: StructElem, width: float, styles: Styles,
                     caption_markup: str, alt: str) -> list[Flowable]:
    """The picture and its caption paragraph, each with its structure element."""
    w, h = figure.size(width)
    elem = parent.child("Figure", alt=alt or "Figure")
    picture = FigureFlowable(figure, w, h, elem)
    caption = TaggedParagraph(caption_markup, caption_style(styles))
    caption.struct = parent.child("Caption")
    return [picture, caption]
