"""The house style both writers read: labels, palette, fonts, sizes, page geometry.

One set of values, so that the DOCX and the PDF of a brief look alike. ``House`` is
the default; ``briefgen.writers.housedocx`` reads a house ``.docx`` (``--reference-docx``)
into one, so that the PDF follows what it can of the Word template.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

#: Labels the tree carries (compose puts them in; no writer invents one).
LABELS = {"assessment": "Assessment"}

#: Page sizes in points (1/72 in): width, height.
PAGE_SIZES = {"A4": (595.2756, 841.8898), "LETTER": (612.0, 792.0)}


@dataclass(frozen=True, slots=True)
class Palette:
    """Colours as ``RRGGBB``. Every text colour reads at ≥ 4.5:1 on white (WCAG AA)."""

    heading: str = "1F3864"  # title, headings 1-2, labels, table header fill
    accent: str = "2E5597"  # subtitle, heading 3, links, the bottom line's bar
    muted: str = "595959"  # date, byline, header and footer
    rule: str = "A6B4C8"  # hairlines under heading 1 and in tables
    lead_fill: str = "F3F6FA"  # the bottom line's panel
    assessment_bar: str = "B7862B"  # the assessment's bar and label (gold)
    assessment_label: str = "8A6420"  # the assessment label's text: gold dark enough to read
    assessment_fill: str = "FBF6EA"  # the assessment's panel
    quote: str = "404040"  # block quotations
    marking: str = "000000"  # the handling marking


@dataclass(frozen=True, slots=True)
class House:
    """Fonts (family names), sizes (points), page (points) and palette of the house look."""

    body_font: str = "Calibri"  # LibreOffice and the PDF use the metric-compatible Carlito
    heading_font: str = "Calibri"
    body_size: float = 11.0
    heading_sizes: tuple[float, float, float] = (15.0, 12.5, 11.0)
    title_size: float = 24.0
    note_size: float = 9.0
    page_size: str = "A4"
    page_width: float = PAGE_SIZES["A4"][0]
    page_height: float = PAGE_SIZES["A4"][1]
    margins: tuple[float, float, float, float] = (70.85, 70.85, 70.85, 70.85)  # top, right, bottom, left
    palette: Palette = field(default_factory=Palette)

    def with_page(self, name: str) -> House:
        """The house look on another named page size (A4 or Letter), margins kept."""
        width, height = PAGE_SIZES[name.upper()]
        return replace(self, page_size=name.upper(), page_width=width, page_height=height)
