"""The last step of a PDF: structure tree, XMP, output intent; PDF 1.7, object streams.

reportlab writes the pages, with marked content where ``tags`` put it. pikepdf (qpdf)
then adds what reportlab cannot:

* the structure tree from the ``Tagger`` — StructTreeRoot, one StructElem per element,
  marked-content references, OBJR entries tying each annotation to its element, the
  ParentTree (page → elements by MCID; annotation → element), /StructParents on pages,
  /StructParent on annotations, /Tabs /S, /MarkInfo;
* for PDF/A-2b: the XMP packet mirroring the document information, an sRGB output intent
  from the profile shipped in ``briefgen/data``, the Print flag and an appearance for
  every annotation; /Contents on links (PDF/UA);
* PDF 1.7 with object streams, which more than pays for the tags in file size.

The file id is derived from the content, so the same inputs still give the same bytes.
"""

from __future__ import annotations

import io
from importlib import resources

from ...output import signals_held
from .tags import AnnotRef, MarkedContent, StructElem, Tagger
from .xmp import xmp_packet

# A signal's exception raised while pikepdf's C++ core registers its types aborts the
# process with the extension's own traceback: the signals wait until it has loaded.
with signals_held():
    import pikepdf
    from pikepdf import Array, Dictionary, Name, Pdf, String

__all__ = ["finish_pdf"]

_INFO_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer",
              "CreationDate", "ModDate")


def _icc_profile() -> bytes:
    return resources.files("briefgen").joinpath("data/sRGB.icc").read_bytes()


def finish_pdf(data: bytes, tagger: Tagger | None, *, lang: str, claim: bool) -> bytes:
    """The finished file: tagged when ``tagger`` is given; PDF/A and PDF/UA claimed when
    ``claim`` (the writer knows the text prints with real glyphs)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if tagger is not None:
            _write_structure(pdf, tagger)
        _finish_annotations(pdf)
        info = _clean_info(pdf)
        root = pdf.Root
        root.Lang = String(lang)
        prefs = root.get("/ViewerPreferences", Dictionary())
        prefs.DisplayDocTitle = True
        root.ViewerPreferences = prefs
        root.Metadata = pdf.make_stream(
            xmp_packet(info, lang=lang, pdfa=claim, pdfua=claim and tagger is not None),
            Type=Name.Metadata, Subtype=Name.XML)
        icc = pdf.make_stream(_icc_profile(), N=3)
        root.OutputIntents = Array([Dictionary(
            Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String("sRGB"),
            Info=String("sRGB IEC61966-2.1"), DestOutputProfile=icc)])
        out = io.BytesIO()
        # reportlab's streams are already compressed and stay as they are (decode none);
        # the XMP packet is written once, as ``xmp_packet`` made it (qpdf would parse and
        # re-serialise it only to look for a pdf:PDFVersion it does not hold)
        pdf.save(out, force_version="1.7", object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 compress_streams=True, deterministic_id=True, fix_metadata_version=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _clean_info(pdf: Pdf) -> dict[str, str]:
    """Keep the information entries XMP mirrors; drop empty ones (and /Trapped)."""
    info = pdf.trailer.get("/Info")
    values: dict[str, str] = {}
    if info is None:
        return values
    for key in list(info.keys()):
        name = key[1:]
        value = str(info[key]) if name in _INFO_KEYS else ""
        if value.strip():
            values[name] = value
        else:
            del info[key]
    return values


def _finish_annotations(pdf: Pdf) -> None:
    """Print flag on every annotation; an appearance for comments; /Contents on links."""
    for page in pdf.pages:
        if "/Trans" in page.obj and not len(page.obj.Trans.keys()):
            del page.obj["/Trans"]  # reportlab's empty page transition
        for annot in page.obj.get("/Annots", Array()):
            annot.F = 4
            if annot.get("/Subtype") == Name.Text and "/QuadPoints" in annot:
                del annot["/QuadPoints"]  # reportlab's; a comment icon has no text span
            if annot.get("/Subtype") == Name.Text and "/AP" not in annot:
                annot.AP = Dictionary(N=_comment_appearance(pdf, annot))
            if annot.get("/Subtype") == Name.Link and "/Contents" not in annot:
                action = annot.get("/A")
                uri = action.get("/URI") if action is not None else None
                annot.Contents = String(str(uri) if uri is not None else "Link")


def _comment_appearance(pdf: Pdf, annot: pikepdf.Object) -> pikepdf.Stream:
    """A small filled note icon, the colour of the comment, as its normal appearance."""
    x0, y0, x1, y1 = (float(v) for v in annot.Rect)
    w, h = abs(x1 - x0), abs(y1 - y0)
    colour = [float(c) for c in annot.get("/C", [1, 0.85, 0.3])][:3]
    rgb = " ".join(f"{c:.3f}" for c in colour)
    content = (f"{rgb} rg 0.25 0.25 0.25 RG 0.5 w 0.5 0.5 {w - 1:.2f} {h - 1:.2f} re B "
               f"0.25 0.25 0.25 RG {w * 0.2:.2f} {h * 0.65:.2f} m {w * 0.8:.2f} {h * 0.65:.2f} l "
               f"{w * 0.2:.2f} {h * 0.4:.2f} m {w * 0.8:.2f} {h * 0.4:.2f} l S")
    return pdf.make_stream(content.encode("ascii"), Type=Name.XObject, Subtype=Name.Form,
                           BBox=[0, 0, w, h])


def _write_structure(pdf: Pdf, tagger: Tagger) -> None:
    pages = [page.obj for page in pdf.pages]
    annots = [list(page.get("/Annots", Array())) for page in pages]
    objects: dict[int, pikepdf.Object] = {}

    def obj(elem: StructElem) -> pikepdf.Object:
        ref = objects.get(id(elem))
        if ref is None:
            ref = objects[id(elem)] = pdf.make_indirect(
                Dictionary(Type=Name.StructElem, S=Name("/" + elem.role)))
        return ref

    tree_root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    parent_nums: list = []
    next_key = len(pages)
    stack = [tagger.root]
    while stack:
        elem = stack.pop()
        d = obj(elem)
        d.P = obj(elem.parent) if elem.parent is not None else tree_root
        kids: list[pikepdf.Object | int] = []
        first_page = next((k.page for k in elem.kids
                           if isinstance(k, (MarkedContent, AnnotRef))), None)
        if first_page is not None and first_page < len(pages):
            d.Pg = pages[first_page]
        for kid in elem.kids:
            if isinstance(kid, StructElem):
                kids.append(obj(kid))
            elif isinstance(kid, MarkedContent):
                if kid.page >= len(pages):
                    continue
                if kid.page == first_page:
                    kids.append(kid.mcid)
                else:
                    kids.append(Dictionary(Type=Name.MCR, Pg=pages[kid.page], MCID=kid.mcid))
            elif isinstance(kid, AnnotRef):
                if kid.page >= len(annots) or kid.index >= len(annots[kid.page]):
                    continue
                annot = annots[kid.page][kid.index]
                annot.StructParent = next_key
                parent_nums += [next_key, d]
                next_key += 1
                kids.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=pages[kid.page]))
        d.K = Array(kids) if len(kids) != 1 else kids[0]
        if elem.attributes:
            d.A = Dictionary({"/O": Name.Table, **{"/" + k: Name("/" + v)
                                                   for k, v in elem.attributes.items()}})
        if elem.bbox is not None:  # a figure: where it stands, for reflow and read-aloud
            d.A = Dictionary({"/O": Name.Layout, "/Placement": Name.Block,
                              "/BBox": Array([float(v) for v in elem.bbox])})
        if elem.alt:
            d.Alt = String(elem.alt)
        if elem.element_id:
            d.ID = String(elem.element_id)
        if elem.role == "Document" and tagger.lang:
            d.Lang = String(tagger.lang)
        stack.extend(k for k in reversed(elem.kids) if isinstance(k, StructElem))
    # links: the annotation's /Contents says where it goes (PDF/UA 7.18.5)
    for owners_list in tagger.page_annots:
        for owner in owners_list:
            if owner is not None and owner.role == "Link" and owner.alt:
                for kid in owner.kids:
                    if isinstance(kid, AnnotRef) and kid.page < len(annots) \
                            and kid.index < len(annots[kid.page]):
                        annots[kid.page][kid.index].Contents = String(owner.alt)
    page_nums: list = []
    for i, page in enumerate(pages):
        page.StructParents = i
        if "/Annots" in page:
            page.Tabs = Name.S
        owners = tagger.page_mcids[i] if i < len(tagger.page_mcids) else []
        page_nums += [i, Array([obj(e) for e in owners])]
    tree_root.K = obj(tagger.root)
    tree_root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(page_nums + parent_nums)))
    tree_root.ParentTreeNextKey = next_key
    pdf.Root.StructTreeRoot = tree_root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
