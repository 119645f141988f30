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

from .tags import MarkedContent, StructElem, Tagger

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


def _register_all(doc: PDFDocument, objects: list[RawObject]) -> list[int]:
    """``doc.Reference(obj)`` of each of ``objects`` (new, unnamed), and their numbers:
    the same names and numbers reportlab gives, entered in its tables directly (its
    method costs a tree of thousands of elements several milliseconds)."""
    numbers = doc.idToObjectNumberAndVersion
    by_number = doc.numberToId
    by_name = doc.idToObject
    counter = doc.objectcounter
    given = list(range(counter + 1, counter + 1 + len(objects)))  # one int object each
    names = [f"R{number}" for number in given]
    if by_name.keys().isdisjoint(names):  # the usual case: the next names are all free
        for obj, name in zip(objects, names, strict=True):
            obj.__InternalName__ = name  # what ``Reference`` marks a registered object with
        numbers.update(zip(names, [(number, 0) for number in given], strict=True))
        by_number.update(zip(given, names, strict=True))
        by_name.update(zip(names, objects, strict=True))
        doc.objectcounter = counter + len(objects)
        return given
    out: list[int] = []
    for obj in objects:
        name = f"R{counter + 1}"
        if name in by_name:  # a name taken already: reportlab's own way (and its error)
            doc.objectcounter = counter
            out.append(int(numbers[doc.Reference(obj).name][0]))
            counter = doc.objectcounter
            continue
        counter += 1
        obj.__InternalName__ = name  # what ``Reference`` marks a registered object with
        numbers[name] = (counter, 0)
        by_number[counter] = name
        by_name[name] = obj
        out.append(counter)
    doc.objectcounter = counter
    return out


def write_structure(doc: PDFDocument, tagger: Tagger, pages: list[int],
                    annots: list[list[int]]) -> Structure:
    """Register the tree of ``tagger`` in ``doc``; ``pages`` are the page objects' numbers,
    ``annots`` each page's annotation objects' numbers (in /Annots order)."""
    tree_root = RawObject()
    root_number = _register_all(doc, [tree_root])[0]
    order: list[StructElem] = []  # depth first, in reading order
    stack = [tagger.root]
    while stack:
        elem = stack.pop()
        order.append(elem)
        sub = [k for k in elem.kids if type(k) is StructElem]
        if sub:
            sub.reverse()
            stack += sub
    new = RawObject.__new__
    raws = [new(RawObject) for _ in order]  # each given its bytes below
    # an element's reference, by the element (elements compare by identity)
    ref_of = {elem: b"%d 0 R" % number
              for elem, number in zip(order, _register_all(doc, raws), strict=True)}
    root_ref = _ref(root_number)
    page_refs = [_ref(number) for number in pages]

    structure = Structure(tree_root)
    npages = len(pages)
    page_nums: list[bytes] = []
    for i in range(npages):
        owners = tagger.page_mcids[i] if i < len(tagger.page_mcids) else []
        page_nums.append(b"%d [ %s ]" % (i, b" ".join([ref_of[e] for e in owners])))
    top_ref = ref_of[tagger.root]
    # From here on each element is let go once its bytes are made (the tree of a long
    # brief is tens of megabytes): the lists of the pages' owners go now, an element's
    # kids as it is written, the element itself with the last of its own kids.
    tagger.page_mcids = []
    tagger.page_annots = []
    tagger.notes.clear()
    parent_nums: list[bytes] = []
    annot_keys = structure.annot_keys
    link_contents = structure.link_contents
    next_key = len(pages)
    npages_annots = len(annots)
    names = _NAMES
    order.reverse()  # taken from the end, in reading order
    for raw in raws:
        elem = order.pop()
        parent = elem.parent
        # kids in order: elements, marked content (an MCID alone on the element's page,
        # the first page any of its content is on; an MCR dictionary on another), OBJRs
        first_page = -1
        kids: list[bytes] = []
        for kid in elem.kids:
            kind = type(kid)
            if kind is StructElem:
                kids.append(ref_of[kid])  # type: ignore[index]
                continue
            page = kid.page  # type: ignore[union-attr]
            if first_page < 0:
                first_page = page
            if kind is MarkedContent:
                if page == first_page:
                    if page < npages:
                        kids.append(b"%d" % kid.mcid)  # type: ignore[union-attr]
                elif page < npages:
                    kids.append(b"<< /Type /MCR /Pg %d 0 R /MCID %d >>" % (pages[page], kid.mcid))  # type: ignore[union-attr]
            else:  # an annotation (every annotation's owner is in the tree)
                index = kid.index  # type: ignore[union-attr]
                if elem.alt and elem.role == "Link":
                    # a link's annotation says where it goes in its /Contents (PDF/UA 7.18.5)
                    link_contents[(page, index)] = elem.alt
                if page >= npages_annots or index >= len(annots[page]):
                    continue
                annot_keys[(page, index)] = next_key
                parent_nums.append(b"%d %s" % (next_key, ref_of[elem]))
                next_key += 1
                kids.append(b"<< /Type /OBJR /Obj %d 0 R /Pg %d 0 R >>"
                            % (annots[page][index], pages[page]))
        role = elem.role
        name = names.get(role) or _name(role)
        head = b"<< /Type /StructElem /S %s /P %s" % (
            name, ref_of[parent] if parent is not None else root_ref)
        if 0 <= first_page < npages:
            head += b" /Pg " + page_refs[first_page]
        if len(kids) == 1:
            data = b"%s /K %s" % (head, kids[0])
        else:
            data = b"%s /K [ %s ]" % (head, b" ".join(kids))
        if elem.bbox is not None:  # a figure: where it stands, for reflow and read-aloud
            box = " ".join(fp_str(float(v)) for v in elem.bbox).encode("ascii")
            data += b" /A << /O /Layout /Placement /Block /BBox [ " + box + b" ] >>"
        elif elem.attributes:
            attrs = b" ".join(_name(k) + b" " + _name(v) for k, v in elem.attributes.items())
            data += b" /A << /O /Table " + attrs + b" >>"
        if elem.alt:
            data += b" /Alt " + _text(elem.alt, doc)
        if elem.element_id:
            data += b" /ID " + _text(elem.element_id, doc)
        if role == "Document" and tagger.lang:
            data += b" /Lang " + _text(tagger.lang, doc)
        raw.data = data + b" >>"
        elem.kids.clear()
    parent_tree = RawObject(b"<< /Nums [ " + b"\n".join(page_nums + parent_nums) + b" ] >>")
    tree_root.data = (b"<< /Type /StructTreeRoot /K %s /ParentTree %s /ParentTreeNextKey %d >>"
                      % (top_ref, _ref(_register_all(doc, [parent_tree])[0]), next_key))
    return structure
