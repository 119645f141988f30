"""What the PDF can follow of a house ``.docx`` (``--reference-docx``): a ``House``.

Read from the template's XML: the page size and margins of its last section; the body
font and size (style Normal, else the document defaults, else the theme's minor font);
the font, size and colour of Heading 1-3 and of the Title. Whatever is missing keeps
the house default, named in a warning when the template sets it in a way this reader
cannot follow. Hostile files are refused before this runs (the reference check).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

from lxml import etree

from ..errors import Warn
from ..house import House, Palette

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_TWIP = 1 / 20  # points


def house_from_docx(path: Path, warn: Warn, base: House | None = None) -> House:
    """The house look with what ``path`` sets: page, margins, fonts, sizes, heading colours."""
    house = base or House()
    # The house file is read only through the hostile-input sanitiser: size, ratio and member
    # limits, no DTD, allow-listed parts (a bad file is a BriefgenError, as for the DOCX).
    from ..housedocx import sanitized_house_docx

    data = sanitized_house_docx(path, str(path), warn)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            document = etree.fromstring(z.read("word/document.xml"))
            styles = etree.fromstring(z.read("word/styles.xml")) if "word/styles.xml" in z.namelist() else None
            theme_name = next((n for n in z.namelist() if n.startswith("word/theme/")), None)
            theme = etree.fromstring(z.read(theme_name)) if theme_name else None
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        warn(f"PDF: cannot read the house template's styles ({exc}); using the house defaults")
        return house

    sect = document.findall(f".//{W}sectPr")
    if sect:
        size, margins = sect[-1].find(f"{W}pgSz"), sect[-1].find(f"{W}pgMar")
        if size is not None and size.get(f"{W}w") and size.get(f"{W}h"):
            width, height = float(size.get(f"{W}w")) * _TWIP, float(size.get(f"{W}h")) * _TWIP
            name = next((n for n, (w, h) in _NAMED.items() if abs(w - width) < 2 and abs(h - height) < 2), "")
            house = replace(house, page_size=name or "custom", page_width=width, page_height=height)
        if margins is not None:
            sides = [margins.get(f"{W}{s}") for s in ("top", "right", "bottom", "left")]
            if all(v is not None for v in sides):
                top, right, bottom, left = (abs(float(v or 0)) * _TWIP for v in sides)
                house = replace(house, margins=(top, right, bottom, left))
    if styles is None:
        return house
    by_name = {}
    for style in styles.iter(f"{W}style"):
        name = style.find(f"{W}name")
        if name is not None:
            by_name[(name.get(f"{W}val") or "").lower()] = style
    minor, major = _theme_fonts(theme)

    def font_of(style: etree._Element | None) -> str | None:
        fonts = style.find(f"{W}rPr/{W}rFonts") if style is not None else None
        if fonts is None:
            return None
        if fonts.get(f"{W}ascii"):
            return fonts.get(f"{W}ascii")
        theme_ref = fonts.get(f"{W}asciiTheme") or ""
        return major if theme_ref.startswith("major") else minor if theme_ref else None

    def size_of(style: etree._Element | None) -> float | None:
        sz = style.find(f"{W}rPr/{W}sz") if style is not None else None
        return float(sz.get(f"{W}val")) / 2 if sz is not None and sz.get(f"{W}val") else None

    def colour_of(style: etree._Element | None) -> str | None:
        colour = style.find(f"{W}rPr/{W}color") if style is not None else None
        value = colour.get(f"{W}val") if colour is not None else None
        return value.upper() if value and value.lower() != "auto" and len(value) == 6 else None

    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault")
    normal = by_name.get("normal")
    body_font = font_of(normal) or font_of(defaults) or minor
    body_size = size_of(normal) or size_of(defaults)
    if body_font:
        house = replace(house, body_font=body_font, heading_font=body_font)
    if body_size:
        house = replace(house, body_size=body_size, note_size=round(body_size * 0.8, 1))
    heading1 = by_name.get("heading 1")
    heading_font = font_of(heading1) or major
    if heading_font:
        house = replace(house, heading_font=heading_font)
    sizes = list(house.heading_sizes)
    for level in (1, 2, 3):
        found = size_of(by_name.get(f"heading {level}"))
        if found:
            sizes[level - 1] = found
    house = replace(house, heading_sizes=(sizes[0], sizes[1], sizes[2]))
    title_size = size_of(by_name.get("title"))
    if title_size:
        house = replace(house, title_size=title_size)
    palette: Palette = house.palette
    heading_colour = colour_of(heading1)
    if heading_colour:
        palette = replace(palette, heading=heading_colour)
    accent = colour_of(by_name.get("heading 3")) or colour_of(by_name.get("subtitle"))
    if accent:
        palette = replace(palette, accent=accent)
    return replace(house, palette=palette)


_NAMED = {"A4": (595.2756, 841.8898), "LETTER": (612.0, 792.0)}


def _theme_fonts(theme: etree._Element | None) -> tuple[str | None, str | None]:
    """The theme's body (minor) and heading (major) Latin fonts."""
    if theme is None:
        return None, None
    minor = theme.find(f".//{A}minorFont/{A}latin")
    major = theme.find(f".//{A}majorFont/{A}latin")
    return (minor.get("typeface") if minor is not None else None,
            major.get("typeface") if major is not None else None)
