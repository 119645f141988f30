"""House style of the PDF brief: page geometry, colours and paragraph styles.

Kept apart from the layout code so the look of a brief can be changed in one place.
Sizes are in points. The body is set in Carlito 10.5/14.5 on a 156 mm measure, which
keeps lines near 90 characters; notes are 8.5/10.5, as in a printed policy paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from ...house import House
from .fonts import CARLITO, REGULAR, FontSet

_HOUSE = House()
NAVY = colors.HexColor("#" + _HOUSE.palette.heading)
ACCENT = colors.HexColor("#" + _HOUSE.palette.accent)
GREY = colors.HexColor("#" + _HOUSE.palette.muted)
RULE = colors.HexColor("#" + _HOUSE.palette.rule)
HAIRLINE = colors.HexColor("#D0D7E1")  # the PDF's finer rules (running head, table rows)
ZEBRA = colors.HexColor("#F5F7FA")  # alternate table rows


def colour(hex6: str) -> colors.Color:
    return colors.HexColor("#" + hex6)


ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "centre": TA_CENTER, "right": TA_RIGHT}


@dataclass(frozen=True)
class PageGeometry:
    """Where the body frame, running head and footer sit on the page."""

    size: tuple[float, float]
    left: float = 27 * mm
    right: float = 27 * mm
    top: float = 27 * mm  # frame top, below the running head
    bottom: float = 24 * mm  # frame bottom, above the footer

    @classmethod
    def named(cls, name: str) -> PageGeometry:
        return cls(LETTER if name.strip().lower() == "letter" else A4)

    @classmethod
    def of_house(cls, house: House) -> PageGeometry:
        """The house template's page and margins (the frame starts at its top margin)."""
        top, right, bottom, left = house.margins
        return cls((house.page_width, house.page_height), left=left, right=right, top=top, bottom=bottom)

    @property
    def width(self) -> float:
        return self.size[0]

    @property
    def height(self) -> float:
        return self.size[1]

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.height - self.top - self.bottom


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base = dict(fontName=REGULAR, fontSize=10.5, leading=14.5, bulletFontName=REGULAR,
                allowOrphans=0, allowWidows=0, splitLongWords=1, uriWasteReduce=0.3,
                textColor=colors.black)
    base.update(kw)
    if "bulletFontSize" not in kw:
        base["bulletFontSize"] = base["fontSize"]
    return ParagraphStyle(name, **base)


class Styles:
    """The paragraph styles a brief uses, from the house look, plus a cache of variants.

    Sizes follow the house: headings and title at the house sizes (the title 22/24 of
    the Word title), text at the house body size × 10.5/11 (the PDF's longer measure),
    so that the default house gives the PDF's own 10.5/14.5 body.
    """

    def __init__(self, house: House | None = None, fonts: FontSet = CARLITO) -> None:
        h = house or _HOUSE
        pal = h.palette
        k = h.body_size / 11.0
        heading, accent, muted = colour(pal.heading), colour(pal.accent), colour(pal.muted)
        reg, bold, italic = fonts.regular, fonts.bold, fonts.italic
        hb = bold  # headings in the bold of the one house family the PDF embeds

        def style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
            return _style(name, fontName=kw.pop("fontName", reg), bulletFontName=reg,
                          fontSize=round(size, 2), leading=round(leading, 2), **kw)

        h1, h2, h3 = h.heading_sizes
        self.body = style("Body", 10.5 * k, 14.5 * k, spaceAfter=7)
        self.lead = style("Lead", 11.5 * k, 15.5 * k, textColor=heading, leftIndent=12, rightIndent=10,
                          spaceBefore=4, spaceAfter=6)
        self.question = style("Question", 10.5 * k, 14.5 * k, fontName=italic, spaceBefore=2, spaceAfter=8,
                              textColor=heading)
        self.label = style("Label", 9 * k, 11.5 * k, fontName=bold, textColor=accent, spaceBefore=6,
                           spaceAfter=2, keepWithNext=1)
        self.box_label = style("BoxLabel", 8 * k, 11 * k, fontName=bold, textColor=colour(pal.assessment_label),
                               leftIndent=12, spaceBefore=10, spaceAfter=3, keepWithNext=1)
        self.boxed = style("Boxed", 10.5 * k, 14.5 * k, leftIndent=12, rightIndent=10, spaceAfter=6)
        self.quote = style("Quote", 10 * k, 13.5 * k, textColor=colour(pal.quote), leftIndent=22,
                           rightIndent=22, spaceAfter=7)
        self.h1 = style("Heading1", h1, h1 * 19 / 15, fontName=hb, textColor=heading, spaceBefore=16,
                        spaceAfter=8, keepWithNext=1)
        self.h2 = style("Heading2", h2, h2 * 16 / 12.5, fontName=hb, textColor=heading, spaceBefore=12,
                        spaceAfter=5, keepWithNext=1)
        self.h3 = style("Heading3", h3, h3 * 14.5 / 11, fontName=hb, textColor=accent, spaceBefore=9,
                        spaceAfter=3, keepWithNext=1)
        self.cell = style("Cell", 9.5 * k, 12 * k)
        self.head_cell = style("HeadCell", 9.5 * k, 12 * k, fontName=bold, textColor=colors.white)
        self.chron_head = style("ChronologyHead", 9.5 * k, 12 * k, fontName=bold, textColor=heading)
        self.chron_date = style("ChronologyDate", 9.5 * k, 12 * k, fontName=bold, textColor=heading)
        self.aside = style("Aside", 9.5 * k, 13 * k, fontName=italic, textColor=muted, spaceAfter=8)
        self.annex = style("Annex", 9.5 * k, 12.5 * k, leftIndent=14, firstLineIndent=-14, spaceAfter=5)
        self.bibliography = style("Bibliography", 10 * k, 13.5 * k, leftIndent=20, firstLineIndent=-20,
                                  spaceAfter=5)
        self.note = style("Note", 8.5 * k, 10.5 * k, leftIndent=14, bulletIndent=0, spaceAfter=0,
                          allowWidows=1)
        title = h.title_size * 22 / 24
        self.title = style("Title", title, title * 26.5 / 22, fontName=hb, textColor=heading, spaceAfter=6)
        self.subtitle = style("Subtitle", 13 * k, 17 * k, textColor=muted, spaceAfter=6)
        self.byline = style("Byline", 9.5 * k, 13 * k, textColor=muted, spaceBefore=4, spaceAfter=0)
        self.fonts = fonts
        self.palette = pal
        self.link_colour = "#" + pal.accent
        self.mark_colour = "#" + pal.heading
        self._variants: dict[tuple[object, ...], ParagraphStyle] = {}

    def variant(self, base: ParagraphStyle, indent: float = 0.0, right: float = 0.0,
                align: int | None = None, bullet_indent: float | None = None) -> ParagraphStyle:
        """``base`` moved in by ``indent``/``right`` points (lists, quotes), cached."""
        if not indent and not right and align is None and bullet_indent is None:
            return base
        key = (base.name, indent, right, align, bullet_indent)
        style = self._variants.get(key)
        if style is None:
            kw = dict(leftIndent=base.leftIndent + indent, rightIndent=base.rightIndent + right)
            if align is not None:
                kw["alignment"] = align
            if bullet_indent is not None:
                kw["bulletIndent"] = base.leftIndent + bullet_indent
            style = ParagraphStyle(f"{base.name}+{len(self._variants)}", parent=base, **kw)
            self._variants[key] = style
        return style

    def fit_note_indent(self, largest_number: int) -> None:
        """Make the hanging indent of notes wide enough for the longest note number."""
        digits = len(str(max(largest_number, 1)))
        width = stringWidth("0" * digits, self.note.fontName, self.note.fontSize)
        self.note.leftIndent = max(12.0, width + 5.0)
