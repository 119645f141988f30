"""Tagged PDF: the structure tree and the marked content that ties the pages to it.

reportlab writes no structure. This module adds it from the outside, in three parts:

* ``StructElem`` is one element of the logical structure (Document, H1, P, L, LI, Lbl,
  LBody, Table, TR, TH, TD, Reference, Link, Note, Annot, Figure, Caption). The PDF writer builds the
  block elements while it turns the Document tree into flowables, and gives each
  flowable the element its text belongs to; an element joins the tree (after its
  parent) the first time something of it is drawn, so the tree is in reading order and
  holds no empty elements.
* ``TaggingCanvas`` makes every page one artifact (page decoration) except the text
  objects a tagged flowable draws: ``beginText`` opens ``/P <</MCID n>> BDC`` for the
  element whose text comes next, ``drawText`` closes it. Rules, panels, table
  backgrounds, running heads, footers, the note separator and markings are therefore
  artifacts without any code of their own. Inline links and note marks switch the
  marked content inside the text object through ``<onDraw>`` callbacks, and each link
  annotation is recorded with the Link element it belongs to.
* ``Tagger`` keeps, page by page, which element owns each marked-content id and each
  annotation; ``archive`` writes the tree, the ParentTree and the page entries from
  it once reportlab has written the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus.paragraph import (
    _HSFrag,
    _InjectedFrag,
    _SplitWord,
    _SplitWordEnd,
)
from reportlab.platypus.paraparser import ParaFrag

from .notes import MemoParagraph

TAG_CALLBACK = "briefgenTag"


@dataclass(eq=False, slots=True)
class StructElem:
    """One structure element; ``kids`` mixes elements and marked content / annotations."""

    role: str
    parent: StructElem | None = None
    attributes: dict[str, str] = field(default_factory=dict)  # e.g. Scope for TH
    alt: str | None = None  # /Alt (figures) or the /Contents of a link annotation
    element_id: str | None = None  # /ID (notes)
    bbox: tuple[float, float, float, float] | None = None  # a Figure's box on its page (Layout)
    kids: list[StructElem | MarkedContent | AnnotRef] = field(default_factory=list)
    attached: bool = False
    once: bool = False  # drawn again after it was drawn whole: an artifact (header rows)
    done: bool = False
    open_links: list[StructElem] | None = None  # links open across a page break, if any
    note: int | None = None  # a note mark's Link: the number of the note it opens

    def child(self, role: str, **kw: Any) -> StructElem:
        """A new element under this one (attached when first drawn)."""
        return StructElem(role, parent=self, **kw)

    def attach(self) -> None:
        """Join the tree after the parent's kids so far (the parent joins first)."""
        if self.attached:
            return
        parent = self.parent
        if parent is not None:
            if not parent.attached:
                parent.attach()
            parent.kids.append(self)
        self.attached = True


@dataclass(slots=True)
class MarkedContent:
    page: int  # 0-based page index
    mcid: int


@dataclass(slots=True)
class AnnotRef:
    page: int
    index: int  # the annotation's position in the page's /Annots


class _TextTag:
    """What the next text objects of a flowable belong to (a bullet's Lbl, then the body),
    and the Link elements open in it (``inline``)."""

    __slots__ = ("inline", "queue")

    def __init__(self, queue: list[StructElem], inline: list[StructElem]) -> None:
        self.queue = queue
        self.inline = inline


class Tagger:
    """The structure tree of one PDF, and what each page's content belongs to."""

    def __init__(self, lang: str) -> None:
        self.root = StructElem("Document", attached=True)
        self.lang = lang
        self.page_mcids: list[list[StructElem]] = [[]]  # page -> element of each MCID
        self.page_annots: list[list[StructElem | None]] = [[]]  # page -> owner of each annot
        self.notes: dict[int, StructElem] = {}  # note number -> its Note element
        self._blocks: list[_TextTag] = []
        self._current: tuple[StructElem, PDFTextObject] | None = None
        self._last_link: StructElem | None = None
        self._page = 0
        self.enabled = True

    @property
    def page(self) -> int:
        return self._page

    def new_page(self) -> None:
        self.page_mcids.append([])
        self.page_annots.append([])
        self._page += 1
        self._last_link = None

    def mark(self, elem: StructElem) -> int:
        """A new marked-content id on this page, owned by ``elem``."""
        if not elem.attached:
            elem.attach()
        mcids = self.page_mcids[-1]
        mcid = len(mcids)
        mcids.append(elem)
        elem.kids.append(MarkedContent(self._page, mcid))
        return mcid

    # ------------------------------------------------------------------ blocks
    def push(self, body: StructElem, label: StructElem | None = None) -> None:
        """The flowable about to draw puts its text in ``body`` (its bullet in ``label``).

        A link still open at the end of the part of a paragraph drawn before continues
        in this part.
        """
        inline = body.open_links
        if inline is None:
            inline = []
        else:
            body.open_links = None
        self._blocks.append(_TextTag([label, body] if label is not None else [body], inline))

    def pop(self) -> None:
        block = self._blocks.pop()
        block.queue[-1].open_links = block.inline or None

    def text_owner(self) -> StructElem | None:
        """The element the text object now beginning belongs to, if any."""
        if not self.enabled or not self._blocks:
            return None
        block = self._blocks[-1]
        return block.queue.pop(0) if len(block.queue) > 1 else block.queue[0]

    def owner(self) -> StructElem | None:
        """The innermost element now receiving text (a link inside a paragraph)."""
        if not self._blocks:
            return None
        block = self._blocks[-1]
        return block.inline[-1] if block.inline else block.queue[-1]

    # ------------------------------------------------------------------ annotations
    def annotation(self, kind: str) -> None:
        """Record the owner of the annotation just added to this page."""
        owner: StructElem | None
        if kind == "Link":
            owner = self._last_link
        else:
            parent = self.owner() or self.root
            owner = parent.child("Annot")
            owner.attach()
        if owner is not None:
            annots = self.page_annots[-1]
            owner.kids.append(AnnotRef(self._page, len(annots)))
            annots.append(owner)
        else:
            self.page_annots[-1].append(None)


class TaggingCanvas(Canvas):
    """A canvas whose pages are artifacts except the text of tagged flowables."""

    tagger: Tagger | None = None

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.setNamedCB(TAG_CALLBACK, self._inline_tag)  # a no-op until tagging begins

    def begin_tagging(self, tagger: Tagger) -> None:
        self.tagger = tagger

    # ------------------------------------------------------------------ text objects
    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:
        tx = super().beginText(x, y, direction=direction)
        tagger = self.tagger
        if tagger is None or not tagger.enabled or not tagger._blocks:
            return tx
        block = tagger._blocks[-1]  # the element the text object belongs to (text_owner)
        queue = block.queue
        elem = queue.pop(0) if len(queue) > 1 else queue[0]
        if elem is queue[-1] and block.inline:
            elem = block.inline[-1]  # a link that continues from the part before
        tx._code.append(f"/{elem.role} <</MCID {tagger.mark(elem)}>> BDC")
        tx._briefgen_tag = elem  # type: ignore[attr-defined]
        return tx

    def drawText(self, aTextObject: PDFTextObject) -> None:
        # A paragraph's text object holds a method bound to itself (reportlab's
        # ``_do_line``), a reference cycle that would keep the object, and the lines and
        # fragments it reaches, until a garbage collection. Drawn, it is not used again:
        # the cycle is broken so that it goes as soon as the paragraph is drawn.
        aTextObject.__dict__.pop("_do_line", None)
        elem = getattr(aTextObject, "_briefgen_tag", None)
        if elem is None:
            super().drawText(aTextObject)
            return
        aTextObject._code.append("EMC")
        # the page's artifact pauses for the text object only: what the paragraph drew
        # meanwhile outside it (a highlight's background) stays decoration
        self._code.append("EMC")
        super().drawText(aTextObject)
        self._code.append("/Artifact BMC")

    def _inline_tag(self, canv: Canvas, kind: str, label: str | None) -> None:
        """``<onDraw name=briefgenTag label="link|ref:N|end">``: switch the marked content."""
        tagger = self.tagger
        if tagger is None or not tagger._blocks:
            return
        info = getattr(canv, "_curr_tx_info", None)
        if info is None:
            return
        tx = info["tx"]
        if getattr(tx, "_briefgen_tag", None) is None:
            return  # an artifact (a repeated header row): nothing to switch
        block = tagger._blocks[-1]
        inline = block.inline
        if label == "end":
            if not inline:
                return
            ref_number = inline.pop().note
            owner = inline[-1] if inline else block.queue[-1]  # the element the text is in
            tx._code.append(f"EMC /{owner.role} <</MCID {tagger.mark(owner)}>> BDC")
            if ref_number is not None:
                note = tagger.notes.get(ref_number)
                if note is not None and not note.attached:
                    note.parent = owner
                    note.attach()
            return
        owner = inline[-1] if inline else block.queue[-1]
        if label is not None and label.startswith("ref:"):
            number = int(label[4:])
            link = StructElem("Link", parent=StructElem("Reference", parent=owner),
                              alt=f"Note {number}", note=number)
        else:
            link = StructElem("Link", parent=owner)
        inline.append(link)
        tagger._last_link = link
        tx._code.append(f"EMC /Link <</MCID {tagger.mark(link)}>> BDC")

    # ------------------------------------------------------------------ pages
    def showPage(self) -> None:
        if self.tagger is not None:
            self._code.insert(0, "/Artifact BMC")
            self._code.append("EMC")
        super().showPage()
        if self.tagger is not None:
            self.tagger.new_page()

    def _addAnnotation(self, annotation: Any, name: str | None = None,
                       addtopage: int = 1) -> None:
        super()._addAnnotation(annotation, name, addtopage)
        if self.tagger is not None and addtopage:
            kind = "Link" if type(annotation).__name__ != "TextAnnotation" else "Annot"
            self.tagger.annotation(kind)


def tagged_draw(flowable: Any, draw: Callable[[], None]) -> None:
    """Draw ``flowable`` with its text in its structure element (and its bullet's Lbl).

    A flowable marked ``once`` that was already drawn whole (a table's header row
    repeated on the next page) is drawn as page decoration.
    """
    tagger: Tagger | None = getattr(flowable.canv, "tagger", None)
    elem: StructElem | None = getattr(flowable, "struct", None)
    if tagger is None:
        draw()
        return
    if elem is None:
        elem = tagger.root.child("P")
    if elem.once and elem.done:
        tagger.enabled, was = False, tagger.enabled
        try:
            draw()
        finally:
            tagger.enabled = was
        return
    label = getattr(flowable, "label", None) if getattr(flowable, "bulletText", None) else None
    tagger.push(elem, label)
    try:
        draw()
    finally:
        tagger.pop()
    if not getattr(flowable, "_splitpara", 0):
        elem.done = True


def keep_line_spaces(para: Any) -> None:
    """End each line that ends a word with a space, so extracted text keeps word breaks.

    The space is drawn at the end of the line, where it shows nothing; text taken from
    the tags (or copied) then reads "defence progressed", not "defenceprogressed". A line
    that ends inside a word too long for the line (a URL) gets none. The last line of a
    paragraph gets one only when the paragraph continues in a later part (a page break).
    """
    if getattr(para, "_briefgen_spaced", False):
        return
    para._briefgen_spaced = True
    bl = getattr(para, "blPara", None)
    if bl is None or not bl.lines:
        return
    lines = bl.lines
    if bl.kind == 0:
        last = len(lines) if getattr(para, "_splitpara", 0) else len(lines) - 1
        for line in lines[:last]:
            words = line[1]
            if (words and not isinstance(words[-1], _SplitWord)) or \
                    (words and isinstance(words[-1], _SplitWordEnd)):
                words[-1] = words[-1] + " "
        return
    frags = para.frags
    count = len(lines)
    for i, line in enumerate(lines):
        if i + 1 < count:  # each line ends where the next one starts
            end = getattr(lines[i + 1], "sFW", None)
            if end is None:
                return
        else:
            end = len(frags)
        k = end - 1
        while k >= 0 and isinstance(frags[k], _InjectedFrag):
            k -= 1
        if k < 0 or not isinstance(frags[k], _HSFrag):
            continue  # no space in the text here: the end, or a word split over lines
        words = getattr(line, "words", None)
        if not words:
            continue
        j = len(words) - 1
        while j >= 0:  # the last fragment that is not a callback (which draws no text)
            frag = words[j]
            if type(frag) is ParaFrag:  # its attributes are all in its dictionary
                if "cbDefn" not in frag.__dict__:
                    break
            elif not hasattr(frag, "cbDefn"):
                break
            j -= 1
        if j < 0:
            continue
        text = getattr(frag, "text", None)
        if text is not None and not text.endswith(" "):
            if type(frag) is ParaFrag:
                # the line's own copy: reportlab clones every fragment it puts in a line
                # (and adds the space between two runs to that copy itself)
                frag.text = text + " "
            else:
                words[j] = frag.clone(text=text + " ")


class TaggedParagraph(MemoParagraph):
    """A paragraph that draws its text into its structure element ``struct``.

    ``label`` is the Lbl element of its bullet (a list item's bullet, a note's number).
    Split parts keep both, so a paragraph that runs over a page stays one element.
    """

    struct: StructElem | None = None
    label: StructElem | None = None

    def draw(self) -> None:
        if getattr(self.canv, "tagger", None) is not None:
            keep_line_spaces(self)
        tagged_draw(self, super().draw)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = super().split(availWidth, availHeight)
        for part in parts:
            if part is not self:
                part.struct = self.struct
                part.label = self.label
        return parts
