"""Pages of the PDF brief: document template, running head and footer, outline, page count.

* ``BriefDocTemplate`` lays the story out in one pass through a ``FootnoteFrame``; it
  keeps a heading with the start of what follows, and turns each heading into an
  outline entry (bookmark) nested by level under the title.
* ``PageFurniture`` draws the handling marking centred at the top and bottom of every
  page, the short title and date in the running head, and the page number.
* "Page X of Y" needs Y before the last page exists. Each page draws a small form
  XObject named for its number; ``BriefCanvas.save`` defines those forms once the page
  count is known. The pages themselves are never held back or laid out twice.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFPage, PDFStream, PDFZCompress
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, PageBreak, PageTemplate

from .fonts import CARLITO, REGULAR, FontSet, font_runs
from .notes import MARK_CALLBACK, FootnoteFrame, NotePlacer
from .styles import GREY, HAIRLINE, PageGeometry
from .tags import Tagger, TaggingCanvas

_PAGE_FORM = "briefgenPage{}"
_PDF_NAME = re.compile(r"[A-Za-z0-9._-]{1,120}")  # names that need no escaping


@dataclass(frozen=True)
class PageFurniture:
    """What every page carries outside the body frame.

    Its text is set like the body's: characters the house font cannot draw (Hangul) in
    runs of the fallback font (``fallback_chars``, from ``fonts.TextPreparer``).
    """

    geometry: PageGeometry
    marking: str
    short_title: str
    date_text: str
    organisation: str
    fonts: FontSet = CARLITO
    fallback_chars: frozenset[str] = frozenset()

    def draw(self, canv: Canvas, page: int) -> None:
        g = self.geometry
        canv.saveState()
        if self.marking:
            for y in (g.height - 11 * mm, 8 * mm):
                self.text(canv, g.width / 2, y, self.marking, 9, bold=True, align="centre")
        canv.setFillColor(GREY)
        canv.setStrokeColor(HAIRLINE)
        canv.setLineWidth(0.5)
        if page > 1:  # page 1 has the title block instead of a running head
            head_y = g.height - 18 * mm
            self.text(canv, g.left, head_y, self.short_title, 8.5)
            self.text(canv, g.width - g.right, head_y, self.date_text, 8.5, align="right")
            canv.line(g.left, head_y - 2.5 * mm, g.width - g.right, head_y - 2.5 * mm)
        foot_y = 15 * mm
        canv.line(g.left, foot_y + 3.5 * mm, g.width - g.right, foot_y + 3.5 * mm)
        if self.organisation:
            self.text(canv, g.left, foot_y, self.organisation, 8.5)
        canv.translate(g.width - g.right, foot_y)
        canv.doForm(_PAGE_FORM.format(page))
        canv.restoreState()

    def text(self, canv: Canvas, x: float, y: float, text: str, size: float,
             bold: bool = False, align: str = "left") -> None:
        """One line at ``x`` (its left end, centre or right end), font run by font run."""
        main = self.fonts.bold if bold else self.fonts.regular
        runs = [(run, face or main) for run, face in font_runs(text, self.fallback_chars, bold)]
        width = sum(stringWidth(run, face, size) for run, face in runs)
        x -= {"left": 0.0, "centre": width / 2, "right": width}[align]
        for run, face in runs:
            if (canv._fontname, canv._fontsize) != (face, size):  # no needless operators
                canv.setFont(face, size)
            canv.drawString(x, y, run)
            x += stringWidth(run, face, size)


class BriefCanvas(TaggingCanvas):
    """A canvas that writes the "Page X of Y" forms once Y is known, and dates the file.

    ``pdf_date`` is the PDF date string for CreationDate/ModDate, so equal inputs give
    equal bytes; ``note_callback`` receives every note mark drawn.
    """

    def __init__(self, *args: Any, pdf_date: str, note_callback: Callable[..., None],
                 tagger: Tagger | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.setDateFormatter(lambda *_: pdf_date)
        self.setNamedCB(MARK_CALLBACK, note_callback)
        if tagger is not None:
            self.begin_tagging(tagger)

    def showPage(self) -> None:
        super().showPage()
        _deflate_stream(self._doc.Pages.pages[-1])

    def save(self) -> None:
        self.close_pages()
        super().save()

    def close_pages(self) -> None:
        """What the file needs once every page is drawn: the named destinations and the
        "Page X of Y" forms (``archive.finish_pdf`` calls this before writing the file)."""
        self._name_destinations()
        total = self.getPageNumber() - 1  # the last showPage has already happened
        for page in range(1, total + 1):
            # the text ends at the form's origin, so the box reaches left of it
            self.beginForm(_PAGE_FORM.format(page), lowerx=-300, lowery=-5, upperx=5, uppery=15)
            self.setFont(REGULAR, 8.5)
            self.setFillColor(GREY)
            self.drawRightString(0, 0, f"Page {page} of {total}")
            self.endForm()

    def _name_destinations(self) -> None:
        """List the notes, title and headings in the catalog's /Dests as named destinations.

        reportlab resolves its anchors to page positions; naming them as well lets a
        link from outside (``brief.pdf#fn-12``) open at a note or a heading.
        """
        names = {name: dest for name, dest in self._destinations.items()
                 if _PDF_NAME.fullmatch(name)}
        if names:
            self._doc.Catalog.Dests = PDFDictionary(names)


class _Deflated:
    """The Flate filter of a stream whose content is deflated already."""

    pdfname = "FlateDecode"

    @staticmethod
    def encode(data: bytes) -> bytes:
        return data


_DEFLATED = _Deflated()


def _deflate_stream(page: PDFPage) -> None:
    """Deflate the content of ``page`` now, as reportlab would when it writes the file.

    reportlab keeps each page's content as text until the file is written; a long
    brief's pages then hold tens of megabytes at once. Deflated as each page ends, they
    hold a fifth of that. The stream is what reportlab makes of the page when it writes
    it with compression and without the ASCII85 layer (which the PDF writer turns off),
    with the same filter (``PDFZCompress``), so the bytes are the same.
    """
    stream = page.stream
    if page.Contents or not stream or not page.compression or rl_config.useA85:
        return  # reportlab's own way, when the file is written
    contents = PDFStream(content=PDFZCompress.encode(stream), filters=[_DEFLATED])
    contents.__Comment__ = "page stream"
    page.Contents = contents
    page.stream = None


def pdf_date(moment: _dt.datetime) -> str:
    """The PDF date string (UTC) of the moment a build says it was made (``reproducible``)."""
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


class BriefPageTemplate(PageTemplate):
    """The one page layout: furniture before the body, the note area after it."""

    def __init__(self, frame: FootnoteFrame, furniture: PageFurniture, placer: NotePlacer):
        super().__init__(id="brief", frames=[frame], pagesize=furniture.geometry.size)
        self.furniture = furniture
        self.placer = placer

    def beforeDrawPage(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self.furniture.draw(canv, doc.page)

    def afterDrawPage(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        frame = self.frames[0]
        self.placer.end_page(canv, frame._x1 + frame._leftPadding,
                             frame._y1 + frame._bottomPadding, doc.page)


class BriefDocTemplate(BaseDocTemplate):
    """One-pass layout with note-aware keep-with-next and outline entries."""

    def handle_keepWithNext(self, flowables: list[Flowable]) -> None:
        i = 0
        while i < len(flowables) and _keeps_with_next(flowables[i]):
            i += 1
        if i == 0 or i >= len(flowables):
            return
        frame = self.frame
        if isinstance(frame, FootnoteFrame) and not frame.room_to_start(
                flowables[:i], flowables[i], self.canv):
            flowables.insert(0, PageBreak())

    def afterFlowable(self, flowable: Flowable) -> None:
        """Add the outline entry of a title or heading once it stands on its page.

        The destination is the ``<a name>`` anchor inside the heading's own markup, so
        the bookmark opens at the heading's line.
        """
        outline = getattr(flowable, "outline", None)
        if outline is not None:
            key, title, level = outline
            self.canv.addOutlineEntry(title, key, level, closed=level >= 2)


def _keeps_with_next(flowable: Flowable) -> bool:
    try:
        return bool(flowable.getKeepWithNext())
    except AttributeError:
        return False
