"""WordprocessingML names and small lxml helpers: for setting up a house template
(``package``, ``styles``) and for anchoring a review copy's comments (``review``).

These helpers put a child where the schema (ECMA-376) wants it.
"""

from __future__ import annotations

from typing import TypeAlias

from lxml import etree

from .markup import DECLARATIONS, NSMAP, PPR_ORDER, R_NS, W_NS

_Element: TypeAlias = etree._Element

__all__ = ["NSMAP", "R_NS", "W_NS"]

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


W_VAL = _w("val")
W_P, W_PPR, W_PSTYLE, W_R, W_RPR, W_RSTYLE = (_w(t) for t in ("p", "pPr", "pStyle", "r", "rPr", "rStyle"))
W_T, W_TAB, W_BR, W_B, W_BCS, W_I, W_ICS = (_w(t) for t in ("t", "tab", "br", "b", "bCs", "i", "iCs"))
W_HYPERLINK, W_FOOTNOTEREF, W_FOOTNOTEREFERENCE = _w("hyperlink"), _w("footnoteRef"), _w("footnoteReference")
W_ID, W_NAME = _w("id"), _w("name")
XML_SPACE = f"{{{XML_NS}}}space"

# Schema order of the children of w:pPr and w:rPr that this writer sets, so that an
# element added to an existing (template) property list lands where Word expects it.
_PPR_ORDER = [_w(t) for t in PPR_ORDER]
_RPR_ORDER = [_w(t) for t in (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
    "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color",
    "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd",
    "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")]
_SETTINGS_AFTER_FOOTNOTEPR = [_w(t) for t in (
    "endnotePr", "compat", "docVars", "rsids")] + [
    "{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"] + [_w(t) for t in (
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")]


def _child(parent: _Element, tag: str, first: bool = False) -> _Element:
    found = parent.find(tag)
    if found is None:
        found = etree.Element(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def _ordered_child(parent: _Element, tag: str, order: list[str]) -> _Element:
    """The child ``tag`` of ``parent``, inserted at its schema position when missing."""
    found = parent.find(tag)
    if found is None:
        found = etree.Element(tag)
        _insert_before_first(parent, found, order[order.index(tag) + 1:])
    return found


def _insert_before_first(parent: _Element, element: _Element, successors: list[str]) -> None:
    wanted = set(successors)
    for child in parent:
        if child.tag in wanted:
            child.addprevious(element)
            return
    parent.append(element)


def parse(markup: str) -> _Element:
    """``markup`` (in the prefixes ``w`` and ``r``) parsed, as the children of one element."""
    return etree.fromstring(f"<w:x {DECLARATIONS}>{markup}</w:x>")


def markup_of(element: _Element) -> str:
    """The children of ``element`` as markup in the prefixes ``w`` and ``r``.

    ``element`` must bind those prefixes as ``NSMAP`` does (an element ``parse``
    gave, or made with ``nsmap=NSMAP``).
    """
    whole = etree.tostring(element, encoding="unicode")
    if whole.endswith("/>") and ">" not in whole[:-2]:
        return ""
    return whole[whole.index(">") + 1:whole.rindex("</")]
