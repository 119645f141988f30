"""Faster stand-ins for two helpers reportlab's paragraph layout calls per word.

Breaking a paragraph into lines asks, for every pair of neighbouring words, whether they
can share one text run (``sameFrag``), and for every word how wide it is
(``stringWidth``). reportlab's C ``sameFrag`` looks each attribute up with
``getattr``, so every attribute a fragment does not have costs a raised and cleared
``AttributeError`` (about 8 µs a call); a 1,250-note brief makes over 100,000 calls. The
stand-in reads the fragments' ``__dict__`` and answers exactly as the C function does:

* a fragment with a callback (``cbDefn``) or a line break (``lineBreak``) never joins;
* two fragments join when each compared attribute is absent from both, or present in
  both and equal (``!=`` with identity first, as ``PyObject_RichCompareBool``).

It answers only for reportlab's own ``ParaFrag`` (whose class defines none of these
attributes, so ``__dict__`` is all there is) and hands anything else to the original.
``install()`` puts it into ``reportlab.platypus.paragraph``; the PDF's bytes do not change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.abag import ABag
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph as _paragraph
from reportlab.platypus.paraparser import ParaFrag

__all__ = ["ascent_descent", "bag_clone", "install", "same_frag", "split_string", "string_width"]

#: what the C ``sameFrag`` of reportlab 4 and 5 compares, in its order
_COMPARED = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")
_ABSENT = object()
_original: Callable[[Any, Any], Any] = _paragraph.sameFrag


def same_frag(f: Any, g: Any) -> bool:
    """Whether fragments ``f`` and ``g`` can be drawn as one run (reportlab's ``sameFrag``)."""
    if type(f) is not ParaFrag or type(g) is not ParaFrag:
        return bool(_original(f, g))
    fd = f.__dict__
    gd = g.__dict__
    if "cbDefn" in fd or "cbDefn" in gd or "lineBreak" in fd or "lineBreak" in gd:
        return False
    fget = fd.get
    gget = gd.get
    for name in _COMPARED:
        a = fget(name, _ABSENT)
        b = gget(name, _ABSENT)
        if a is b:
            continue
        if a is _ABSENT or b is _ABSENT or a != b:
            return False
    return True


#: words whose widths one font keeps (then it starts again)
_WIDTHS_KEPT = 1 << 16


def string_width(text: Any, fontName: str, fontSize: float, encoding: str = "utf8") -> float:
    """The width of ``text`` in points (reportlab's ``pdfmetrics.stringWidth``), each word
    measured once per font object and size.

    The table lives on the font object itself, so a font registered anew under the same
    name (another house font) starts a table of its own; only plain ``str`` is kept (a
    shaped string's width depends on more than its characters).
    """
    font = getFont(fontName)
    if type(text) is not str:
        return float(font.stringWidth(text, fontSize, encoding=encoding))
    widths: dict[tuple[str, float, str], float] | None = font.__dict__.get("_briefgen_widths")
    if widths is None:
        widths = font.__dict__["_briefgen_widths"] = {}
    key = (text, fontSize, encoding)
    width = widths.get(key)
    if width is None:
        if len(widths) >= _WIDTHS_KEPT:
            widths.clear()
        width = widths[key] = font.stringWidth(text, fontSize, encoding=encoding)
    return width


_original_ascent_descent = _paragraph.getAscentDescent


def ascent_descent(fontName: str, fontSize: float | None = None) -> tuple[float, float]:
    """A font's ascent and descent at ``fontSize`` (reportlab's ``getAscentDescent``),
    worked out once per font object and size."""
    font = getFont(fontName)
    kept: dict[float | None, tuple[float, float]] | None = font.__dict__.get("_briefgen_ad")
    if kept is None:
        kept = font.__dict__["_briefgen_ad"] = {}
    pair = kept.get(fontSize)
    if pair is None:
        pair = kept[fontSize] = _original_ascent_descent(fontName, fontSize)
    return pair


_original_split = TTFont.splitString


class _Codes:
    """What a font's subset state already assigns in subset 0, as a translation table."""

    __slots__ = ("known", "size", "table")

    def __init__(self, assignments: dict[int, int]) -> None:
        self.size = len(assignments)
        table = {code: n for code, n in assignments.items() if n < 256}
        if 32 in table:
            table[0xA0] = table[32]  # reportlab sets a no-break space as a space
        self.table = table
        self.known = frozenset(map(chr, table))


def split_string(self: TTFont, text: Any, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
    """reportlab's ``TTFont.splitString``, without its loop over characters when every
    character of ``text`` already has its code in the first subset (nearly always, after
    the first lines of a brief): then the answer is one chunk, the text translated."""
    state = self.state.get(doc) if type(text) is str else None
    if state is None:
        return _original_split(self, text, doc, encoding)
    codes = state.__dict__.get("_briefgen_codes")
    if codes is None or codes.size != len(state.assignments):
        codes = state.__dict__["_briefgen_codes"] = _Codes(state.assignments)
    if not text or not codes.known.issuperset(text):
        return _original_split(self, text, doc, encoding)
    return [(0, text.translate(codes.table).encode("latin-1"))]


_original_clone = ABag.clone


def bag_clone(self: ABag, **attr: Any) -> ABag:
    """reportlab's ``ABag.clone`` (a fragment, a line: a copy of its attributes, with
    ``attr`` over them), without calling ``__init__`` with every attribute as a keyword:
    for a class that keeps ``ABag.__init__`` (each of reportlab's) that call only copies
    the dictionary, which is done here directly."""
    cls = self.__class__
    if cls.__init__ is not _ABAG_INIT:
        return _original_clone(self, **attr)
    new = object.__new__(cls)
    d = new.__dict__
    d.update(self.__dict__)
    if attr:
        d.update(attr)
    return new


_ABAG_INIT = ABag.__init__


def install() -> None:
    """Use the stand-ins in reportlab's paragraph layout (idempotent)."""
    _paragraph.sameFrag = same_frag  # type: ignore[attr-defined]
    _paragraph.stringWidth = string_width  # type: ignore[attr-defined]
    _paragraph.getAscentDescent = ascent_descent  # type: ignore[attr-defined]
    TTFont.splitString = split_string  # type: ignore[method-assign]
    ABag.clone = bag_clone  # type: ignore[method-assign]
