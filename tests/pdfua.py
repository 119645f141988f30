"""A checker of the machine-checkable conditions of PDF/UA-1 (Matterhorn) and of the
PDF/A-2b metadata, read from the file with pikepdf — nothing of the writer's own
bookkeeping is trusted.

``check_pdf(path)`` returns a list of problems (empty when the file passes):

* a structure tree, /MarkInfo /Marked true, /Lang, DisplayDocTitle, PDF 1.7;
* every content operator that paints (text, paths, images, XObjects, shadings) is inside
  marked content with an MCID or inside an Artifact, and nothing with an MCID is inside
  an Artifact (Matterhorn 01-001..01-004);
* each marked-content id of a page is owned by exactly one structure element, and the
  ParentTree says the same (Matterhorn 01-005, 06-xx);
* the first heading is H1 and no heading level is skipped (14-002, 14-003);
* Note elements have unique IDs (19-003); TH elements have a Scope (15-003); Figure
  elements have alternative text (13-004), a Layout /BBox and content;
* every Link annotation is tied (OBJR) to a Link element and has /Contents; every other
  annotation to an Annot element; pages with annotations have /Tabs /S (28-xx);
* fonts are embedded and every character code shown has a Unicode mapping (31-xx);
* XMP metadata is present, mirrors the document information dictionary, names the PDF/A
  part and conformance and the PDF/UA part (declared in an extension schema), and has a
  dc:title (06-xx, 07-001); an sRGB output intent is present (PDF/A-2b 6.2.3).
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pikepdf
from lxml import etree
from pikepdf import Name

_PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n", "Do",
          "sh", "BI", "EI"}
_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
}


def check_pdf(path: Path | str) -> list[str]:
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        _check_catalog(pdf, problems)
        if "/StructTreeRoot" not in pdf.Root:
            problems.append("no structure tree")
            return problems
        content_mcids = _check_content(pdf, problems)
        elems = _walk_tree(pdf, problems)
        _check_ownership(pdf, elems, content_mcids, problems)
        _check_roles(elems, problems)
        _check_annotations(pdf, problems)
        _check_fonts(pdf, problems)
        _check_metadata(pdf, problems)
    return problems


# ------------------------------------------------------------------ catalog
def _check_catalog(pdf: pikepdf.Pdf, problems: list[str]) -> None:
    root = pdf.Root
    if pdf.pdf_version != "1.7":
        problems.append(f"PDF version {pdf.pdf_version}, not 1.7")
    mark = root.get("/MarkInfo")
    if mark is None or not bool(mark.get("/Marked", False)):
        problems.append("/MarkInfo /Marked is not true")
    if not str(root.get("/Lang", "")).strip():
        problems.append("no /Lang in the catalog")
    prefs = root.get("/ViewerPreferences")
    if prefs is None or not bool(prefs.get("/DisplayDocTitle", False)):
        problems.append("DisplayDocTitle is not true")
    intents = root.get("/OutputIntents")
    if not intents or not any(i.get("/S") == Name.GTS_PDFA1 and "/DestOutputProfile" in i
                              and int(i.DestOutputProfile.get("/N", 0)) == 3
                              for i in intents):
        problems.append("no RGB PDF/A output intent")


# ------------------------------------------------------------------ content
def _check_content(pdf: pikepdf.Pdf, problems: list[str]) -> set[tuple[int, int]]:
    """Marked content on every page: (page, mcid) pairs seen; untagged paint reported."""
    seen: set[tuple[int, int]] = set()
    for index, page in enumerate(pdf.pages):
        stack: list[tuple[str, int | None]] = []  # (tag, mcid)
        untagged = Counter()
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BMC", "BDC"):
                tag = str(operands[0])
                mcid = None
                if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                        and "/MCID" in operands[1]:
                    mcid = int(operands[1].MCID)
                if mcid is not None:
                    if any(t == "/Artifact" for t, _ in stack):
                        problems.append(f"page {index + 1}: MCID {mcid} inside an artifact")
                    if (index, mcid) in seen:
                        problems.append(f"page {index + 1}: MCID {mcid} used twice")
                    seen.add((index, mcid))
                stack.append((tag, mcid))
            elif op == "EMC":
                if not stack:
                    problems.append(f"page {index + 1}: EMC without BMC/BDC")
                else:
                    stack.pop()
            elif op in _PAINT and not any(t == "/Artifact" or m is not None for t, m in stack):
                untagged[op] += 1
        if stack:
            problems.append(f"page {index + 1}: {len(stack)} marked-content sequences left open")
        if untagged:
            ops = ", ".join(f"{n} × {op}" for op, n in sorted(untagged.items()))
            problems.append(f"page {index + 1}: content neither tagged nor artifact: {ops}")
    return seen


# ------------------------------------------------------------------ structure tree
class Elem:
    def __init__(self, obj: pikepdf.Object, depth: int):
        self.obj = obj
        self.role = str(obj.get("/S", ""))[1:]
        self.depth = depth


def _walk_tree(pdf: pikepdf.Pdf, problems: list[str]) -> list[Elem]:
    """Elements in reading (depth-first) order; each MCR/OBJR recorded on the element."""
    page_index = {p.objgen: i for i, p in enumerate(pdf.pages)}
    out: list[Elem] = []
    root = pdf.Root.StructTreeRoot
    seen: set[tuple[int, int]] = set()

    def kids_of(obj: pikepdf.Object) -> list:
        k = obj.get("/K")
        if k is None:
            return []
        return list(k) if isinstance(k, pikepdf.Array) else [k]

    def visit(obj: pikepdf.Object, depth: int) -> None:
        if obj.objgen in seen and obj.objgen != (0, 0):
            problems.append(f"structure element {obj.objgen} appears twice in the tree")
            return
        seen.add(obj.objgen)
        elem = Elem(obj, depth)
        elem.mcids = []  # type: ignore[attr-defined]
        elem.annots = []  # type: ignore[attr-defined]
        out.append(elem)
        pg = obj.get("/Pg")
        for kid in kids_of(obj):
            if isinstance(kid, int) or (isinstance(kid, pikepdf.Object)
                                        and kid._type_code == pikepdf.ObjectType.integer):
                if pg is None:
                    problems.append(f"{elem.role}: MCID {int(kid)} without /Pg")
                    continue
                elem.mcids.append((page_index.get(pg.objgen, -1), int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == Name.MCR:
                kpg = kid.get("/Pg", pg)
                elem.mcids.append((page_index.get(kpg.objgen, -1), int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == Name.OBJR:
                elem.annots.append(kid.Obj.objgen)
            elif isinstance(kid, pikepdf.Dictionary):
                visit(kid, depth + 1)

    for top in kids_of(root):
        visit(top, 0)
    if not out or out[0].role != "Document":
        problems.append("the structure tree does not start with a Document element")
    return out


def _check_ownership(pdf: pikepdf.Pdf, elems: list[Elem], content: set[tuple[int, int]],
                     problems: list[str]) -> None:
    owners = Counter(m for e in elems for m in e.mcids)  # type: ignore[attr-defined]
    for key, n in owners.items():
        if n > 1:
            problems.append(f"page {key[0] + 1} MCID {key[1]} is owned by {n} elements")
        if key not in content:
            problems.append(f"page {key[0] + 1} MCID {key[1]} is in the tree, not on the page")
    for key in sorted(content - set(owners)):
        problems.append(f"page {key[0] + 1} MCID {key[1]} belongs to no structure element")
    # the ParentTree agrees with the tree
    by_obj = {e.obj.objgen: e for e in elems}
    nums = _number_tree(pdf.Root.StructTreeRoot.get("/ParentTree"))
    for index, page in enumerate(pdf.pages):
        if "/StructParents" not in page.obj:
            problems.append(f"page {index + 1} has no /StructParents")
            continue
        entry = nums.get(int(page.obj.StructParents))
        if entry is None:
            problems.append(f"page {index + 1}: no ParentTree entry")
            continue
        for mcid, owner in enumerate(entry):
            elem = by_obj.get(owner.objgen)
            owned = elem is not None and (index, mcid) in elem.mcids  # type: ignore[attr-defined]
            if not owned and (index, mcid) in content:
                problems.append(f"page {index + 1} MCID {mcid}: ParentTree names another "
                                "element than the tree")


def _number_tree(node: pikepdf.Object | None) -> dict[int, pikepdf.Object]:
    out: dict[int, pikepdf.Object] = {}
    if node is None:
        return out
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums), 2):
            out[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", []):
        out.update(_number_tree(kid))
    return out


def _check_roles(elems: list[Elem], problems: list[str]) -> None:
    headings = [int(e.role[1]) for e in elems if re.fullmatch(r"H[1-6]", e.role)]
    if not headings:
        problems.append("no headings")
    elif headings[0] != 1:
        problems.append(f"the first heading is H{headings[0]}, not H1")
    for a, b in pairwise(headings):
        if b > a + 1:
            problems.append(f"heading level skipped: H{a} then H{b}")
            break
    ids = Counter(bytes(e.obj.ID) for e in elems if e.role == "Note" and "/ID" in e.obj)
    if any(e.role == "Note" and "/ID" not in e.obj for e in elems):
        problems.append("a Note element has no /ID")
    for value, n in ids.items():
        if n > 1:
            problems.append(f"Note ID {value!r} used {n} times")
    for e in elems:
        if e.role == "TH":
            attrs = e.obj.get("/A")
            attrs = list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]
            if not any(a is not None and "/Scope" in a for a in attrs):
                problems.append("a TH element has no Scope")
        if e.role == "Figure":
            if not str(e.obj.get("/Alt", "")).strip():
                problems.append("a Figure element has no /Alt")
            attrs = e.obj.get("/A")
            attrs = list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]
            if not any(a is not None and a.get("/O") == Name.Layout and "/BBox" in a for a in attrs):
                problems.append("a Figure element has no Layout /BBox attribute")
            if e.obj.get("/K") is None:
                problems.append("a Figure element holds no content")
        if e.role in ("LI",) and not any(k.role in ("Lbl", "LBody") for k in elems
                                         if k.obj.get("/P") is not None
                                         and k.obj.P.objgen == e.obj.objgen):
            problems.append("an LI element has neither Lbl nor LBody")


# ------------------------------------------------------------------ annotations
def _check_annotations(pdf: pikepdf.Pdf, problems: list[str]) -> None:
    nums = _number_tree(pdf.Root.StructTreeRoot.get("/ParentTree"))
    for index, page in enumerate(pdf.pages):
        annots = page.obj.get("/Annots")
        if not annots:
            continue
        if page.obj.get("/Tabs") != Name.S:
            problems.append(f"page {index + 1} has annotations but no /Tabs /S")
        for annot in annots:
            kind = str(annot.get("/Subtype"))
            where = f"page {index + 1}: {kind} annotation"
            if kind == "/Popup":
                continue
            if int(annot.get("/F", 0)) & 4 == 0:
                problems.append(f"{where} without the Print flag")
            if kind != "/Link" and "/AP" not in annot:
                problems.append(f"{where} without an appearance")
            if not str(annot.get("/Contents", "")).strip():
                problems.append(f"{where} without /Contents")
            if "/StructParent" not in annot:
                problems.append(f"{where} not tied to the structure tree")
                continue
            owner = nums.get(int(annot.StructParent))
            want = "/Link" if kind == "/Link" else "/Annot"
            if owner is None or owner.get("/S") != Name(want):
                problems.append(f"{where}: its ParentTree entry is not a {want[1:]} element")
                continue
            kids = owner.K if isinstance(owner.K, pikepdf.Array) else [owner.K]
            if not any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == Name.OBJR
                       and k.Obj.objgen == annot.objgen for k in kids):
                problems.append(f"{where}: its element has no OBJR for it")


# ------------------------------------------------------------------ fonts
def _check_fonts(pdf: pikepdf.Pdf, problems: list[str]) -> None:
    for index, page in enumerate(pdf.pages):
        fonts = page.obj.Resources.get("/Font", {})
        used: dict[str, set[int]] = {}
        current = None
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "Tf":
                current = str(operands[0])
            elif op in ("Tj", "'", '"', "TJ") and current is not None:
                items = operands[0] if op == "TJ" else operands[-1:]
                codes = used.setdefault(current, set())
                for item in items:
                    if isinstance(item, pikepdf.String):
                        codes.update(bytes(item))
        for name, codes in used.items():
            font = fonts.get(name)
            if font is None:
                problems.append(f"page {index + 1}: font {name} not in the resources")
                continue
            base = str(font.get("/BaseFont", name))
            desc = font.get("/FontDescriptor")
            if font.get("/Subtype") == Name.Type0:
                desc = font.DescendantFonts[0].get("/FontDescriptor")
            if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2",
                                                            "/FontFile3")):
                problems.append(f"font {base} is not embedded")
            if "/ToUnicode" not in font:
                problems.append(f"font {base} has no ToUnicode map")
                continue
            mapped = _cmap_codes(font.ToUnicode.read_bytes())
            missing = sorted(codes - mapped)
            if missing:
                problems.append(f"font {base}: codes {missing[:8]} have no Unicode mapping")


def _cmap_codes(data: bytes) -> set[int]:
    codes: set[int] = set()
    text = data.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.DOTALL):
        codes.update(int(m, 16) for m in re.findall(r"<([0-9A-Fa-f]+)>\s*<[0-9A-Fa-f]+>", block))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.DOTALL):
        for lo, hi in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*[<\[]", block):
            codes.update(range(int(lo, 16), int(hi, 16) + 1))
    return codes


# ------------------------------------------------------------------ metadata
def _check_metadata(pdf: pikepdf.Pdf, problems: list[str]) -> None:
    meta = pdf.Root.get("/Metadata")
    if meta is None:
        problems.append("no XMP metadata")
        return
    tree = etree.fromstring(meta.read_bytes())

    def one(path: str) -> str | None:
        hits = tree.xpath(path, namespaces=_NS)
        return str(hits[0]).strip() if hits else None

    xmp = {
        "Title": one("//dc:title/rdf:Alt/rdf:li/text()"),
        "Author": one("//dc:creator/rdf:Seq/rdf:li/text()"),
        "Subject": one("//dc:description/rdf:Alt/rdf:li/text()"),
        "Keywords": one("//pdf:Keywords/text()"),
        "Producer": one("//pdf:Producer/text()"),
        "Creator": one("//xmp:CreatorTool/text()"),
        "CreationDate": one("//xmp:CreateDate/text()"),
        "ModDate": one("//xmp:ModifyDate/text()"),
    }
    info = pdf.trailer.get("/Info") or {}
    for key, value in xmp.items():
        have = info.get("/" + key)
        if have is None and value is None:
            continue
        if have is None or value is None:
            problems.append(f"document information {key} and XMP disagree "
                            f"({'missing in XMP' if value is None else 'missing in Info'})")
            continue
        have = str(have)
        if key.endswith("Date"):
            have = _pdf_date_as_xmp(have)
        if have != value:
            problems.append(f"document information {key} {have!r} ≠ XMP {value!r}")
    if not xmp["Title"]:
        problems.append("XMP has no dc:title")
    if one("//pdfaid:part/text()") != "2" or one("//pdfaid:conformance/text()") != "B":
        problems.append("XMP does not claim PDF/A-2b")
    if one("//pdfuaid:part/text()") != "1":
        problems.append("XMP does not claim PDF/UA-1")
    declared = tree.xpath("//pdfaExtension:schemas//pdfaSchema:namespaceURI/text()",
                          namespaces=_NS)
    if _NS["pdfuaid"] not in [str(d).strip() for d in declared]:
        problems.append("the pdfuaid schema is not declared in a PDF/A extension schema")


def _pdf_date_as_xmp(value: str) -> str:
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(Z|[+-]\d\d'?\d\d'?)?", value)
    if not m:
        return value
    y, mo, d, h, mi, s, tz = m.groups()
    zone = "Z" if tz in (None, "Z") else f"{tz[:3]}:{tz.replace(chr(39), '')[3:5]}"
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"


# ------------------------------------------------------------------ PDF/A by pikepdf
def pdfa_findings(path: Path | str) -> list[str]:
    """pikepdf's own PDF/A-2b validator on a copy without the PDF/UA declaration.

    pikepdf's validator accepts only the XMP schemas it knows and does not read PDF/A
    extension schemas, so the copy drops the pdfuaid property and its declaration
    (``check_pdf`` checks those); everything else is validated as written.
    """
    import io

    from pikepdf import pdfa

    with pikepdf.open(path) as pdf:
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
        xmp = re.sub(r"\s*<pdfuaid:part>1</pdfuaid:part>", "", xmp)
        xmp = re.sub(r"\s*<pdfaExtension:schemas>.*</pdfaExtension:schemas>", "", xmp,
                     flags=re.DOTALL)
        for prefix in ("pdfaExtension", "pdfaSchema", "pdfaProperty", "pdfuaid"):
            xmp = re.sub(rf'\s*xmlns:{prefix}="[^"]*"', "", xmp)
        pdf.Root.Metadata = pdf.make_stream(xmp.encode("utf-8"), Type=Name.Metadata,
                                            Subtype=Name.XML)
        buf = io.BytesIO()
        pdf.save(buf)
    buf.seek(0)
    report = pdfa.validate_written(buf, "2b")
    return [str(f) for f in report.findings]
