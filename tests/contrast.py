"""Text colour against the colour behind it, read from the written files (WCAG 2 contrast).

* PDF: each text-showing operator is taken with the fill colour in force and the point
  where it starts; the background is the last filled rectangle drawn on that page
  under that point (a panel, a table row), else the white page.
* DOCX: each run's colour is resolved as Word does — the run's own, its character
  style's, its paragraph style's (following ``basedOn``), the document defaults, else
  automatic (black) — and its background is the paragraph's or table cell's shading
  (own or from the style), else white.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pikepdf
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}
Colour = tuple[float, float, float]
WHITE: Colour = (1.0, 1.0, 1.0)


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: Colour) -> float:
    r, g, b = (_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Colour, b: Colour) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def hex_colour(value: str) -> Colour:
    value = value.lstrip("#")
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


# ------------------------------------------------------------------ PDF
def _mul(m: list[float], n: list[float]) -> list[float]:
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F]


def pdf_text_colours(path: Path | str) -> list[tuple[Colour, Colour, str]]:
    """(text colour, background, sample) for every text-showing operator of the file."""
    out: list[tuple[Colour, Colour, str]] = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            ctm = [1.0, 0, 0, 1.0, 0, 0]
            fill: Colour = (0.0, 0.0, 0.0)
            stack: list[tuple[list[float], Colour]] = []
            rects: list[tuple[float, float, float, float, Colour]] = []
            pending: list[tuple[float, float, float, float]] = []
            tm = [1.0, 0, 0, 1.0, 0, 0]
            line = list(tm)
            leading = 0.0
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                nums = [float(o) for o in operands] if op in (
                    "cm", "rg", "g", "re", "Tm", "Td", "TD", "TL") else []
                if op == "q":
                    stack.append((list(ctm), fill))
                elif op == "Q" and stack:
                    ctm, fill = stack.pop()
                elif op == "cm":
                    ctm = _mul(nums, ctm)
                elif op == "rg":
                    fill = (nums[0], nums[1], nums[2])
                elif op == "g":
                    fill = (nums[0],) * 3
                elif op == "re":
                    x, y, w, h = nums
                    x0, y0 = ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5]
                    x1 = ctm[0] * (x + w) + ctm[2] * (y + h) + ctm[4]
                    y1 = ctm[1] * (x + w) + ctm[3] * (y + h) + ctm[5]
                    pending.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
                elif op in ("f", "F", "f*", "B", "B*"):
                    rects += [(*r, fill) for r in pending]
                    pending = []
                elif op in ("n", "S", "W", "W*"):
                    pending = []
                elif op == "BT":
                    tm = [1.0, 0, 0, 1.0, 0, 0]
                    line = list(tm)
                elif op == "Tm":
                    tm = list(nums)
                    line = list(tm)
                elif op in ("Td", "TD"):
                    line = _mul([1, 0, 0, 1, nums[0], nums[1]], line)
                    tm = list(line)
                    if op == "TD":
                        leading = -nums[1]
                elif op == "TL":
                    leading = nums[0]
                elif op == "T*":
                    line = _mul([1, 0, 0, 1, 0, -leading], line)
                    tm = list(line)
                elif op in ("Tj", "TJ", "'", '"'):
                    if op in ("'", '"'):
                        line = _mul([1, 0, 0, 1, 0, -leading], line)
                        tm = list(line)
                    m = _mul(tm, ctm)
                    x, y = m[4], m[5] + 2  # a little above the baseline, inside the glyphs
                    bg = WHITE
                    for x0, y0, x1, y1, colour in rects:
                        if x0 <= x <= x1 and y0 <= y <= y1:
                            bg = colour
                    sample = operands[0]
                    text = (bytes(sample) if isinstance(sample, pikepdf.String)
                            else b"".join(bytes(s) for s in sample
                                          if isinstance(s, pikepdf.String)))
                    if text.strip():
                        out.append((fill, bg, text[:30].decode("latin-1")))
    return out


# ------------------------------------------------------------------ DOCX
def docx_text_colours(path: Path | str) -> list[tuple[Colour, Colour, str]]:
    """(run colour, background, run text) for every run with text in the body and notes."""
    with zipfile.ZipFile(path) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
        parts = [n for n in z.namelist()
                 if n.startswith("word/") and n.endswith(".xml")
                 and n.split("/")[-1].startswith(("document", "footnotes", "header", "footer",
                                                  "comments"))]
        trees = [etree.fromstring(z.read(n)) for n in parts]
    by_id = {s.get(f"{{{W}}}styleId"): s for s in styles.iterfind("w:style", _NS)}
    default_colour = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:color", _NS)

    def style_value(style_id: str | None, path: str, attr: str = "val") -> str | None:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = by_id.get(style_id)
            if style is None:
                return None
            hit = style.find(path, _NS)
            if hit is not None:
                return hit.get(f"{{{W}}}{attr}")
            based = style.find("w:basedOn", _NS)
            style_id = based.get(f"{{{W}}}val") if based is not None else None
        return None

    def colour(value: str | None) -> Colour | None:
        if not value or value == "auto":
            return None
        return hex_colour(value)

    out: list[tuple[Colour, Colour, str]] = []
    for tree in trees:
        for p in tree.iter(f"{{{W}}}p"):
            pstyle = p.find("w:pPr/w:pStyle", _NS)
            pstyle_id = pstyle.get(f"{{{W}}}val") if pstyle is not None else None
            shd = p.find("w:pPr/w:shd", _NS)
            bg = colour(shd.get(f"{{{W}}}fill") if shd is not None else
                        style_value(pstyle_id, "w:pPr/w:shd", "fill"))
            cell = next((a for a in p.iterancestors(f"{{{W}}}tc")), None)
            if bg is None and cell is not None:
                cshd = cell.find("w:tcPr/w:shd", _NS)
                bg = colour(cshd.get(f"{{{W}}}fill")) if cshd is not None else None
            for r in p.iter(f"{{{W}}}r"):
                text = "".join(t.text or "" for t in r.iterfind("w:t", _NS))
                if not text.strip():
                    continue
                own = r.find("w:rPr/w:color", _NS)
                rstyle = r.find("w:rPr/w:rStyle", _NS)
                value = (own.get(f"{{{W}}}val") if own is not None else None) or \
                    (style_value(rstyle.get(f"{{{W}}}val"), "w:rPr/w:color")
                     if rstyle is not None else None) or \
                    style_value(pstyle_id or "Normal", "w:rPr/w:color") or \
                    (default_colour.get(f"{{{W}}}val") if default_colour is not None else None)
                out.append((colour(value) or (0.0, 0.0, 0.0), bg or WHITE, text[:30]))
    return out
