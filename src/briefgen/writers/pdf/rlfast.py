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

from reportlab.platypus import paragraph as _paragraph
from reportlab.platypus.paraparser import ParaFrag

__all__ = ["install", "same_frag"]

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


def install() -> None:
    """Use the stand-ins in reportlab's paragraph layout (idempotent)."""
    _paragraph.sameFrag = same_frag  # type: ignore[attr-defined]
