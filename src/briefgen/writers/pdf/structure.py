"""The structure tree of a tagged PDF, written as reportlab objects before the file is.

From the ``Tagger``'s elements: one StructElem per element (role, parent, the page its
first marked content is on, kids in reading order — elements, marked-content ids, MCR
dictionaries for content on later pages, OBJR entries tying each annotation to its
element — and its attributes, /Alt, /ID, /Lang), the StructTreeRoot and its ParentTree
(page → the element of each MCID; annotation → its element).

The elements are thousands of small dictionaries in a long brief, so each is written as
its bytes at once (``RawObject``) rather than as reportlab dictionaries formatted later:
the page and annotation objects already have their numbers when this runs, and every
element gets its number before any bytes are made.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import PDFDocument, PDFName, PDFObject, PDFString

from .tags import AnnotRef, MarkedContent, StructElem, Tagger

__all__ = ["RawObject", "Structure", "write_structure"]


class RawObject(PDFObject):
    """A PDF object whose bytes are made already."""

    def __init__(self, data: bytes = b"") -> None:
        self.data = data

    def format(self, document: PDFDocument) -> bytes:
        return self.data


@dataclass
class Structure:
    """What the pages and annotations must say of the tree written."""

    root: RawObject  # the StructTreeRoot
    annot_keys: dict[tuple[int, int], int] = field(default_factory=dict)  # (page, index) → key
    link_contents: dict[tuple[int, int], str] = field(default_factory=dict)  # → /Contents


_PLAIN = frozenset(map(chr, range(0x20, 0x7F))) - set("()\\")


def _text(value: str, doc: PDFDocument) -> bytes:
    """A text string: printable ASCII as it is (a note's ID, a link's "Note 12"), anything
    else as reportlab writes it (escaped, or UTF-16 with a byte-order mark)."""
    if _PLAIN.issuperset(value):
        return b"(" + value.encode("ascii") + b")"
    return PDFString(value).format(doc)


_NAMES: dict[str, bytes] = {}


def _name(value: str) -> bytes:
    name = _NAMES.get(value)
    if name is None:
        name = _NAMES[value] = PDFName(value).encode("ascii")
    return name


def _ref(number: int) -> bytes:
    return b"%d 0 R" % number


def write_structure(doc: PDFDocument, tagger: Tagger, pages: list[int],
                    annots: list[list[int]]) -> Structure:
    """Register the tree of ``tagger`` in ``doc``; ``pages`` are the page objects' numbers,
    ``annots`` each page's annotation objects' numbers (in /Annots order)."""
    numbers = doc.idToObjectNumberAndVersion

    def register(obj: RawObject) -> int:
        return int(numbers[doc.Reference(obj).name][0])

    tree_root = RawObject()
    root_number = register(tree_root)
    order: list[StructElem] = []  # depth first, in reading order
    stack = [tagger.root]
    while stack:
        elem = stack.pop()
        order.append(elem)
        stack.extend(k for k in reversed(elem.kids) if isinstance(k, StructElem))
    raws = [RawObject() for _ in order]
    number_of = {id(elem): register(raw) for elem, raw in zip(order, raws, strict=True)}

    structure = Structure(tree_root)
    parent_nums: list[bytes] = []
    next_key = len(pages)
    npages = len(pages)
    for elem, raw in zip(order, raws, strict=True):
        parent = _ref(number_of[id(elem.parent)]) if elem.parent is not None else _ref(root_number)
        parts = [b"<< /Type /StructElem /S ", _name(elem.role), b" /P ", parent]
        first_page = None
        for k in elem.kids:
            if not isinstance(k, StructElem):
                first_page = k.page
                break
        if first_page is not None and first_page < npages:
            parts += [b" /Pg ", _ref(pages[first_page])]
        kids: list[bytes] = []
        for kid in elem.kids:
            if isinstance(kid, StructElem):
                kids.append(_ref(number_of[id(kid)]))
            elif isinstance(kid, MarkedContent):
                if kid.page >= npages:
                    continue
                if kid.page == first_page:
                    kids.append(b"%d" % kid.mcid)
                else:
                    kids.append(b"<< /Type /MCR /Pg %d 0 R /MCID %d >>" % (pages[kid.page], kid.mcid))
            elif isinstance(kid, AnnotRef):
                if kid.page >= len(annots) or kid.index >= len(annots[kid.page]):
                    continue
                structure.annot_keys[(kid.page, kid.index)] = next_key
                parent_nums.append(b"%d %s" % (next_key, _ref(number_of[id(elem)])))
                next_key += 1
                kids.append(b"<< /Type /OBJR /Obj %d 0 R /Pg %d 0 R >>"
                            % (annots[kid.page][kid.index], pages[kid.page]))
        parts += [b" /K ", kids[0] if len(kids) == 1 else b"[ " + b" ".join(kids) + b" ]"]
        if elem.bbox is not None:  # a figure: where it stands, for reflow and read-aloud
            box = " ".join(fp_str(float(v)) for v in elem.bbox).encode("ascii")
            parts += [b" /A << /O /Layout /Placement /Block /BBox [ ", box, b" ] >>"]
        elif elem.attributes:
            attrs = b" ".join(_name(k) + b" " + _name(v) for k, v in elem.attributes.items())
            parts += [b" /A << /O /Table ", attrs, b" >>"]
        if elem.alt:
            parts += [b" /Alt ", _text(elem.alt, doc)]
        if elem.element_id:
            parts += [b" /ID ", _text(elem.element_id, doc)]
        if elem.role == "Document" and tagger.lang:
            parts += [b" /Lang ", _text(tagger.lang, doc)]
        parts.append(b" >>")
        raw.data = b"".join(parts)
    # links: the annotation's /Contents says where it goes (PDF/UA 7.18.5)
    for owners_list in tagger.page_annots:
        for owner in owners_list:
            if owner is not None and owner.role == "Link" and owner.alt:
                for kid in owner.kids:
                    if isinstance(kid, AnnotRef):
                        structure.link_contents[(kid.page, kid.index)] = owner.alt
    page_nums: list[bytes] = []
    for i in range(npages):
        owners = tagger.page_mcids[i] if i < len(tagger.page_mcids) else []
        page_nums.append(b"%d [ %s ]" % (i, b" ".join(_ref(number_of[id(e)]) for e in owners)))
    parent_tree = RawObject(b"<< /Nums [ " + b"\n".join(page_nums + parent_nums) + b" ] >>")
    tree_root.data = (b"<< /Type /StructTreeRoot /K %s /ParentTree %s /ParentTreeNextKey %d >>"
                      % (_ref(number_of[id(tagger.root)]), _ref(register(parent_tree)), next_key))
    return structure
