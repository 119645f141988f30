"""The last step of a PDF: structure tree, XMP, output intent; PDF 1.7, object streams.

reportlab has drawn the pages, with marked content where ``tags`` put it. Before its
objects are written, this adds to them what reportlab does not make itself, and then
writes the file (``serialise``) — one pass, no second library reopening the file:

* the structure tree from the ``Tagger`` (``structure``) — StructTreeRoot, one
  StructElem per element, marked-content references, OBJR entries tying each annotation
  to its element, the ParentTree — with /StructParents on pages, /StructParent on
  annotations, /Tabs /S, /MarkInfo;
* for PDF/A-2b: the XMP packet mirroring the document information (empty entries and
  /Trapped left out), an sRGB output intent from the profile shipped in
  ``briefgen/data``, the Print flag on every annotation and an appearance for comments;
  /Contents on links (PDF/UA); /Lang and DisplayDocTitle in the catalog;
* PDF 1.7 with object streams and a cross-reference stream, which more than pays for the
  tags in file size.

The file id is derived from the content, so the same inputs still give the same bytes.
"""

from __future__ import annotations

import zlib
from functools import cache
from importlib import resources
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFCatalog,
    PDFDate,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFPage,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from .serialise import write_document
from .structure import RawObject, Structure, write_structure
from .tags import Tagger
from .xmp import xmp_packet

__all__ = ["finish_pdf"]

_PAGE_KEYS = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
_CATALOG_KEYS = [*PDFCatalog.__NoDefault__, "OutputIntents"]
_CATALOG_REFS = [k for k in PDFCatalog.__Refs__ if k != "MarkInfo"]  # /MarkInfo stays direct


@cache
def _icc_profile() -> bytes:
    """The sRGB profile, Flate-compressed (package data: the same for every build)."""
    data = resources.files("briefgen").joinpath("data/sRGB.icc").read_bytes()
    return zlib.compress(data)


def finish_pdf(canvas: Canvas, tagger: Tagger | None, *, lang: str, claim: bool) -> bytes:
    """The finished file of ``canvas`` (whose pages are all drawn): tagged when ``tagger``
    is given; PDF/A and PDF/UA claimed when ``claim`` (the writer knows the text prints
    with real glyphs)."""
    close = getattr(canvas, "close_pages", None)
    if close is not None:
        close()
    if len(canvas._code):
        canvas.showPage()
    doc: PDFDocument = canvas._doc
    numbers = doc.idToObjectNumberAndVersion
    pages: list[PDFPage] = list(doc.Pages.pages)
    page_numbers = [numbers[doc.Reference(p).name][0] for p in pages]
    annot_names = [[ref.name for ref in (p.Annots or [])] for p in pages]
    structure = None
    if tagger is not None:
        structure = write_structure(doc, tagger, page_numbers,
                                    [[numbers[n][0] for n in names] for names in annot_names])
    for i, page in enumerate(pages):
        page.__NoDefault__ = _PAGE_KEYS
        if page.Trans is not None and not page.Trans.dict:
            page.Trans = None  # reportlab's empty page transition
        if structure is not None:
            page.StructParents = i
            if annot_names[i]:
                page.Tabs = PDFName("S")
        for index, name in enumerate(annot_names[i]):
            doc.idToObject[name] = _finish_annotation(doc, doc.idToObject[name], i, index,
                                                      structure)
    info = _clean_info(doc)
    cat = doc.Catalog
    cat.__NoDefault__ = _CATALOG_KEYS
    cat.__Refs__ = _CATALOG_REFS
    cat.Lang = PDFString(lang)
    prefs = getattr(cat, "ViewerPreferences", None)
    prefs = PDFDictionary(prefs.dict if prefs is not None else {})
    prefs["DisplayDocTitle"] = "true"
    cat.ViewerPreferences = prefs
    packet = xmp_packet(info, lang=lang, pdfa=claim, pdfua=claim and tagger is not None)
    cat.Metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"),
                                            "Subtype": PDFName("XML")}), packet)
    icc = PDFStream(PDFDictionary({"N": 3, "Filter": PDFName("FlateDecode")}), _icc_profile())
    cat.OutputIntents = PDFArray([PDFDictionary({
        "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFA1"),
        "OutputConditionIdentifier": PDFString("sRGB"), "Info": PDFString("sRGB IEC61966-2.1"),
        "DestOutputProfile": doc.Reference(icc)})])
    if structure is not None:
        cat.StructTreeRoot = structure.root
        cat.MarkInfo = PDFDictionary({"Marked": "true"})
    # page streams are compressed only (the ASCII85 layer reportlab adds by default
    # makes the file a quarter bigger, for mail gateways of long ago)
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        return write_document(doc, canvas)
    finally:
        rl_config.useA85 = a85


def _clean_info(doc: PDFDocument) -> dict[str, str]:
    """The information dictionary with the entries XMP mirrors, empty ones left out (and
    /Trapped); returns its values as text."""
    info = doc.info
    date = PDFDate(ts=doc._timeStamp, dateFormatter=info._dateFormatter)
    when = date.dateFormatter(*date.date) if date.dateFormatter else None
    values = {"Title": info.title, "Author": info.author, "Subject": info.subject,
              "Keywords": info.keywords, "Creator": info.creator, "Producer": info.producer,
              "CreationDate": when, "ModDate": when}
    kept = {k: str(v) for k, v in values.items() if v is not None and str(v).strip()}
    entries: dict[str, Any] = {k: PDFString(v) for k, v in kept.items()}
    if when is None:  # reportlab's own date format
        entries["CreationDate"] = entries["ModDate"] = date
    doc.info = RawObject(PDFDictionary(entries).format(doc))
    return kept


def _finish_annotation(doc: PDFDocument, annot: Any, page: int, index: int,
                       structure: Structure | None) -> PDFDictionary:
    """Print flag; comment appearance; /Contents on links; its key in the ParentTree."""
    d: PDFDictionary = annot if isinstance(annot, PDFDictionary) else annot.Dict()
    d = PDFDictionary(d.dict)
    d["F"] = 4
    subtype = str(d.dict.get("Subtype", ""))
    if subtype == "/Text":
        d.dict.pop("QuadPoints", None)  # reportlab's; a comment icon has no text span
        if "AP" not in d:
            stream = _comment_appearance(annot.Rect, getattr(annot, "Color", None))
            d["AP"] = PDFDictionary({"N": doc.Reference(stream)})
    key = (page, index)
    if subtype == "/Link":
        alt = structure.link_contents.get(key) if structure is not None else None
        if alt:
            d["Contents"] = PDFString(alt)
        elif not _has_text(d.dict.get("Contents")):
            action = d.dict.get("A")
            uri = action.dict.get("URI") if isinstance(action, PDFDictionary) else None
            d["Contents"] = PDFString(uri.s if isinstance(uri, PDFString) else "Link")
    if structure is not None and key in structure.annot_keys:
        d["StructParent"] = structure.annot_keys[key]
    return d


def _has_text(value: Any) -> bool:
    if isinstance(value, PDFString):
        value = value.s
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return isinstance(value, str) and bool(value.strip())


def _comment_appearance(rect: Any, colour: Any) -> PDFStream:
    """A small filled note icon, the colour of the comment, as its normal appearance."""
    x0, y0, x1, y1 = (float(v) for v in rect)
    w, h = abs(x1 - x0), abs(y1 - y0)
    rgb = " ".join(f"{float(c):.3f}" for c in list(colour or (1, 0.85, 0.3))[:3])
    content = (f"{rgb} rg 0.25 0.25 0.25 RG 0.5 w 0.5 0.5 {w - 1:.2f} {h - 1:.2f} re B "
               f"0.25 0.25 0.25 RG {w * 0.2:.2f} {h * 0.65:.2f} m {w * 0.8:.2f} {h * 0.65:.2f} l "
               f"{w * 0.2:.2f} {h * 0.4:.2f} m {w * 0.8:.2f} {h * 0.4:.2f} l S")
    data = zlib.compress(content.encode("ascii"))
    return PDFStream(PDFDictionary({"Type": PDFName("XObject"), "Subtype": PDFName("Form"),
                                    "BBox": PDFArray([0, 0, w, h]),
                                    "Filter": PDFName("FlateDecode")}), data)

