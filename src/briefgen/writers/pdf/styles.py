"""House style of the PDF brief: page geometry, colours and paragraph styles.

Kept apart from the layout code so the look of a brief can be changed in one place.
Sizes are in points. The body is set in Carlito 10.5/14.5 on a 156 mm measure, which
keeps lines near 90 characters; notes are 8.5/10.5, as in a printed policy paper.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from .fonts import BOLD, ITALIC, REGULAR

NAVY = colors.HexColor("#1F3864")
ACCENT = colors.HexColor("#2E5C8A")
GREY = colors.HexColor("#595959")
RULE = colors.HexColor("#A6A6A6")
HAIRLINE = colors.HexColor("#D0D7E1")
ASSESS_BG = colors.HexColor("#EEF3F8")
LEAD_BG = colors.HexColor("#F3F3F1")
ZEBRA = colors.HexColor("#F5F7FA")
MARKING = colors.HexColor("#8B0000")

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
                allowOrphans=0, allowWidows=0, splitLongWords=1, textColor=colors.black)
    base.update(kw)
    if "bulletFontSize" not in kw:
        base["bulletFontSize"] = base["fontSize"]
    return ParagraphStyle(name, **base)


@dataclass
class Styles:
    """The paragraph styles a brief uses, plus a cache of indented/aligned variants."""

    body: ParagraphStyle = field(default_factory=lambda: _style("Body", spaceAfter=7))
    lead: ParagraphStyle = field(default_factory=lambda: _style(
        "Lead", fontSize=11.5, leading=15.5, textColor=NAVY, leftIndent=12, rightIndent=10,
        spaceBefore=4, spaceAfter=6))
    question: ParagraphStyle = field(default_factory=lambda: _style(
        "Question", fontName=ITALIC, spaceBefore=2, spaceAfter=8, textColor=NAVY))
    label: ParagraphStyle = field(default_factory=lambda: _style(
        "Label", fontName=BOLD, fontSize=9, leading=11.5, textColor=ACCENT, spaceBefore=6,
        spaceAfter=2, keepWithNext=1))
    box_label: ParagraphStyle = field(default_factory=lambda: _style(
        "BoxLabel", fontName=BOLD, fontSize=8, leading=11, textColor=ACCENT, leftIndent=12,
        spaceBefore=10, spaceAfter=3, keepWithNext=1))
    boxed: ParagraphStyle = field(default_factory=lambda: _style(
        "Boxed", leftIndent=12, rightIndent=10, spaceAfter=6))
    quote: ParagraphStyle = field(default_factory=lambda: _style(
        "Quote", fontSize=10, leading=13.5, textColor=colors.HexColor("#333333"),
        leftIndent=22, rightIndent=22, spaceAfter=7))
    h1: ParagraphStyle = field(default_factory=lambda: _style(
        "Heading1", fontName=BOLD, fontSize=15, leading=19, textColor=NAVY, spaceBefore=16,
        spaceAfter=8, keepWithNext=1))
    h2: ParagraphStyle = field(default_factory=lambda: _style(
        "Heading2", fontName=BOLD, fontSize=12.5, leading=16, textColor=NAVY, spaceBefore=12,
        spaceAfter=5, keepWithNext=1))
    h3: ParagraphStyle = field(default_factory=lambda: _style(
        "Heading3", fontName=BOLD, fontSize=11, leading=14.5, textColor=ACCENT,
        spaceBefore=9, spaceAfter=3, keepWithNext=1))
    cell: ParagraphStyle = field(default_factory=lambda: _style(
        "Cell", fontSize=9.5, leading=12))
    head_cell: ParagraphStyle = field(default_factory=lambda: _style(
        "HeadCell", fontName=BOLD, fontSize=9.5, leading=12, textColor=colors.white))
    chron_head: ParagraphStyle = field(default_factory=lambda: _style(
        "ChronologyHead", fontName=BOLD, fontSize=9.5, leading=12, textColor=NAVY))
    chron_date: ParagraphStyle = field(default_factory=lambda: _style(
        "ChronologyDate", fontName=BOLD, fontSize=9.5, leading=12, textColor=NAVY))
    aside: ParagraphStyle = field(default_factory=lambda: _style(
        "Aside", fontName=ITALIC, fontSize=9.5, leading=13, textColor=GREY, spaceAfter=8))
    annex: ParagraphStyle = field(default_factory=lambda: _style(
        "Annex", fontSize=9.5, leading=12.5, leftIndent=14, firstLineIndent=-14,
        spaceAfter=5))
    bibliography: ParagraphStyle = field(default_factory=lambda: _style(
        "Bibliography", fontSize=10, leading=13.5, leftIndent=20, firstLineIndent=-20,
        spaceAfter=5))
    note: ParagraphStyle = field(default_factory=lambda: _style(
        "Note", fontSize=8.5, leading=10.5, leftIndent=14, bulletIndent=0,
        spaceAfter=0, allowWidows=1))
    title_marking: ParagraphStyle = field(default_factory=lambda: _style(
        "TitleMarking", fontName=BOLD, fontSize=9, leading=12, textColor=MARKING,
        spaceAfter=14))
    title: ParagraphStyle = field(default_factory=lambda: _style(
        "Title", fontName=BOLD, fontSize=22, leading=26.5, textColor=NAVY, spaceAfter=6))
    subtitle: ParagraphStyle = field(default_factory=lambda: _style(
        "Subtitle", fontSize=13, leading=17, textColor=GREY, spaceAfter=6))
    byline: ParagraphStyle = field(default_factory=lambda: _style(
        "Byline", fontSize=9.5, leading=13, textColor=GREY, spaceBefore=4, spaceAfter=0))
    _variants: dict[tuple, ParagraphStyle] = field(default_factory=dict)

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
