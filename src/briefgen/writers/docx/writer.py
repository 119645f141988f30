"""The DOCX writer: a ``Document`` tree to a Word file with real footnotes.

What a Word user expects, pandoc's DOCX writer being the bar:

* built-in styles under their built-in names (Title, Subtitle, Heading 1-3, List
  Bullet, List Number, Quote, Bibliography, footnote text, footnote reference,
  Hyperlink), so the navigation pane, the style gallery and "update style" work;
* real footnotes (``word/footnotes.xml``, see ``parts``) that Word renumbers
  when a note is inserted, and real hyperlinks, lists and a table with a header row
  that repeats on every page;
* a title block, the handling marking in header and footer, "Page X of Y" from
  fields that stay true after editing, and the document properties filled in;
* a house template (``reference_docx``) supplying styles, fonts, margins and page
  size, like pandoc's ``--reference-doc``;
* for a review copy (``Meta.review``), a Word comment anchored on each cited
  sentence, holding the verbatim extracts behind its note, so that a reviewer checks
  every claim inside Word.

Speed: python-docx's proxy API looks styles up by name on every call, which
dominates a naive build of a long brief. This writer resolves each style id once and
builds each paragraph's XML directly with lxml in plain trees (no python-docx proxy
classes), moving them into the package at the end. Nothing here is quadratic in
the number of notes: note ids and relationship ids come from counters.

The output is deterministic: fixed zip timestamps and document dates (the brief's
date, or ``SOURCE_DATE_EPOCH`` when set) and no random ids.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from ...chars import Cleaner
from ...document import (
    Bibliography,
    Block,
    Div,
    DivClass,
    Document,
    Emph,
    Figure,
    Heading,
    Highlight,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    NoteRef,
    Paragraph,
    Quote,
    Role,
    Strong,
    Table,
    TableRole,
    Text,
    iter_blocks,
    link_target,
)
from ...errors import Warn
from ...reproducible import build_moment
from .figures import write_figure
from .numbering import Numbering
from .oxml import (
    _PPR_ORDER,
    NSMAP,
    R_ID,
    W_B,
    W_BCS,
    W_BR,
    W_FOOTNOTE,
    W_FOOTNOTEREF,
    W_FOOTNOTEREFERENCE,
    W_HYPERLINK,
    W_I,
    W_ICS,
    W_ID,
    W_NAME,
    W_P,
    W_PPR,
    W_PSTYLE,
    W_R,
    W_RPR,
    W_RSTYLE,
    W_T,
    W_TAB,
    W_VAL,
    XML_SPACE,
    _Element,
    _ordered_append,
    _ppr,
    _spacing,
    _w,
)
from .package import RelIds, spliced
from .page import page_furniture, properties, setup_page, setup_settings
from .parts import FootnotesPart, get_or_add_comments_part, get_or_add_footnotes_part
from .review import add_review_comments
from .styles import _ASSESS_BOX, BOX_INDENT, setup_styles

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

_NEWLINES = re.compile("\r\n|\r|\n")

# The style of each paragraph role; None: the style of where the paragraph stands.
# Hangul Jamo, compatibility Jamo, syllables and the extended Jamo blocks
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]")
EAST_ASIAN_FONT = "Malgun Gothic"  # Windows' Korean UI font; other systems substitute

_ROLE_STYLES: dict[Role, str | None] = {
    Role.TITLE: "title", Role.SUBTITLE: "subtitle", Role.DATE: "date", Role.CUTOFF: "date",
    Role.BYLINE: "author",
    Role.QUESTION: "question", Role.LEAD: "lead", Role.LABEL: "label",
    Role.ASSESSMENT_LABEL: "assessment_label", Role.NOTE: None, Role.ANNEX: None,
}


def _highlight(r: _Element) -> None:
    """Mark a run yellow (``w:highlight``, last of the run properties it joins)."""
    rpr = r.find(W_RPR)
    if rpr is None:
        rpr = etree.Element(W_RPR)
        r.insert(0, rpr)
    etree.SubElement(rpr, _w("highlight")).set(W_VAL, "yellow")


@dataclass(frozen=True, slots=True)
class _Ctx:
    """How plain paragraphs look where the writer currently is (body, quote, assessment)."""

    para_style: str = "normal"
    box: tuple[_Element, ...] = ()  # border and shading that list paragraphs copy into a box


class DocxWriter:
    """One build: resolves styles once, then one method per node of the Document tree."""

    def __init__(self, word: WordDocument, doc: Document, warn: Warn, *, house: bool):
        self.word = word
        self.doc = doc
        self.meta = doc.meta
        self.warn = warn
        self.house = house
        self.clean = Cleaner(warn)
        self.moment = build_moment(doc.meta.date, warn)  # the file's dates and zip timestamps
        self.where = ""
        self.style: dict[str, str] = {}
        self.footnotes: FootnotesPart = get_or_add_footnotes_part(word.part)
        self.footnotes.reset()
        self.body_links = RelIds(word.part)
        self.note_links = RelIds(self.footnotes)
        self.numbering = Numbering(word)
        self.note_count = 0
        self.bookmark_count = 0
        self.counts: dict[str, int] = {}
        # Plain lxml containers: building outside python-docx's proxy classes is fast.
        self.body = etree.Element(_w("body"), nsmap=NSMAP)
        self.notes = etree.Element(_w("footnotes"), nsmap=NSMAP)
        self.blobs: dict[str, bytes] = {}  # parts already serialized, by part name
        # A review copy: each note with evidence gets a comment on its sentence.
        self.review = doc.meta.review and any(note.evidence for note in doc.notes())
        self.review_marks: list[tuple[_Element, NoteRef, int]] = []  # mark run, note, note id
        self.comments = etree.Element(_w("comments"), nsmap=NSMAP)
        self.box_tail: _Element | None = None  # last paragraph of an open shaded box
        self.after_table = False  # the next body paragraph follows a table
        self.text_width = 0  # twips between the margins, set with the page

    # ------------------------------------------------------------------ build

    def build(self) -> None:
        language = self.meta_text(self.meta.language, "meta.language") or "en-GB"
        figures = any(isinstance(b, Figure) for b in iter_blocks(self.doc.blocks))
        self.style = setup_styles(self.word, house=self.house, review=self.review, language=language,
                                  figures=figures)
        self.text_width = setup_page(self.word, self.meta, self.warn, house=self.house)
        setup_settings(self.word, language, house=self.house)
        self._title_block()
        self._blocks(self.body, self.doc.blocks, _Ctx())
        self._close_box()
        if self.review:
            add_review_comments(self)
            part = get_or_add_comments_part(self.word.part)
            for comment in list(self.comments):
                part.element.append(comment)
        page_furniture(self)
        properties(self)
        self._finish_body()
        self.clean.report()

    def _finish_body(self) -> None:
        """The body's and the notes' bytes (``blobs``): written into their parts' XML as
        they are serialized (``package.spliced``), else moved into the parts' trees."""
        body = self.word.element.body
        sect_pr = body.find(_w("sectPr"))
        if not len(self.body) or self.body[-1].tag == _w("tbl"):
            self.body.append(etree.Element(W_P))  # Word wants a paragraph after a table
        for name, parent, container, before in (
                (self.word.part.partname, body, self.body, sect_pr),
                (self.footnotes.partname, self.footnotes.element, self.notes, None)):
            blob = spliced(parent, container, before)
            if blob is not None:
                self.blobs[name] = blob
                continue
            for child in list(container):
                if before is not None:
                    before.addprevious(child)
                else:
                    parent.append(child)

    # ------------------------------------------------------------------ title block

    def _title_block(self) -> None:
        """The tree's title block (``Document.title_block``) in the styles pandoc reads as metadata.

        The marking is the first page's header (see ``page.page_furniture``): page
        furniture that stays put while the text is edited, and that leaves the title
        block first in the body, where pandoc and other readers look for it.
        """
        last = None
        for block in self.doc.title_block():
            last = self._paragraph(self.body, block, _Ctx(), where=f"meta.{block.role}")
            if block.role == Role.TITLE:
                # the title is the level-1 heading (sections are Heading 2): navigation
                # panes and tagged exports start at level 1, whatever the Title style says
                outline = etree.Element(_w("outlineLvl"))
                outline.set(W_VAL, "0")
                _ordered_append(_ppr(last), outline, _PPR_ORDER)
        if last is not None:
            _ordered_append(_ppr(last), _spacing(after=360), _PPR_ORDER)  # air before the text

    def meta_text(self, value: str, where: str) -> str:
        return _NEWLINES.sub(" ", self.clean(value or "", where)).strip()

    # ------------------------------------------------------------------ blocks

    def _blocks(self, parent: _Element, blocks: Iterable[Block], ctx: _Ctx) -> None:
        for block in blocks:
            if not (isinstance(block, Paragraph) and block.role is Role.LEAD):
                self._close_box()
            if isinstance(block, Paragraph):
                self._paragraph(parent, block, ctx)
            elif isinstance(block, Heading):
                self._heading(parent, block)
            elif isinstance(block, ListBlock):
                self._list(parent, block, 0, ctx)
            elif isinstance(block, Quote):
                self._blocks(parent, block.blocks, _Ctx(para_style="quote"))
            elif isinstance(block, Div):
                self._div(parent, block, ctx)
            elif isinstance(block, Table):
                self._table(parent, block)
                self.after_table = True
            elif isinstance(block, Figure):
                write_figure(self, parent, block)
            elif isinstance(block, Bibliography):
                self._bibliography(parent, block)
            else:  # a new node type must be taught to every writer
                raise TypeError(f"DOCX writer has no rule for {type(block).__name__}")

    def _close_box(self) -> None:
        """Put air below a shaded box (bottom line, assessment) once what follows is not in it.

        Inside a box paragraphs sit close so that their shading joins; only the box's
        last paragraph gets the space that separates it from the text below.
        """
        if self.box_tail is not None:
            ppr = _ppr(self.box_tail)
            old = ppr.find(_w("spacing"))
            if old is not None:
                ppr.remove(old)
            _ordered_append(ppr, _spacing(after=240), _PPR_ORDER)
            self.box_tail = None

    def _count(self, kind: str) -> str:
        n = self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{kind} {n}"

    def _paragraph(self, parent: _Element, block: Paragraph, ctx: _Ctx,
                   where: str | None = None) -> _Element:
        self.where = where or self._count("paragraph")
        if block.role is None:
            style = ctx.para_style
        else:
            try:
                style = _ROLE_STYLES[Role(block.role)] or ctx.para_style
            except (KeyError, ValueError):  # a new role must be taught to every writer
                raise TypeError(f"DOCX writer has no rule for the role {block.role!r}") from None
        p = self.para(parent, style)
        self._inlines(p, block.children)
        if style == "lead":
            self.box_tail = p
        return p

    def _heading(self, parent: _Element, block: Heading) -> None:
        self.where = self._count("heading")
        level = min(max(block.level, 1), 3)
        p = self.para(parent, f"heading{level}")
        anchor = self.clean(block.anchor, f"the anchor of {self.where}")
        if anchor:
            bookmark_id = str(self.bookmark_count)
            self.bookmark_count += 1
            start = etree.SubElement(p, _w("bookmarkStart"))
            start.set(W_ID, bookmark_id)
            start.set(W_NAME, anchor)
        self._inlines(p, block.children)
        if anchor:
            etree.SubElement(p, _w("bookmarkEnd")).set(W_ID, bookmark_id)

    def _div(self, parent: _Element, block: Div, ctx: _Ctx) -> None:
        if block.cls == DivClass.ASSESSMENT:  # its label is the tree's first paragraph
            self._blocks(parent, block.blocks, _Ctx(para_style="assessment", box=_ASSESS_BOX))
            self._close_box()
            if len(parent) and parent[-1].tag == W_P:
                self.box_tail = parent[-1]
        else:
            self._blocks(parent, block.blocks, ctx)

    def _list(self, parent: _Element, block: ListBlock, level: int, ctx: _Ctx) -> None:
        num_id = self.numbering.new_list(block.ordered, block.start, level)
        style = ("list_number" if block.ordered else "list_bullet") + ("2" if level else "")
        for item in block.items:
            numbered = False
            for child in item or [Paragraph([])]:
                if isinstance(child, ListBlock):
                    self._list(parent, child, level + 1, ctx)
                    continue
                if not isinstance(child, Paragraph):
                    self._blocks(parent, [child], ctx)
                    continue
                self.where = self._count("list item")
                continuing = numbered  # a further paragraph of the item: indented, no number
                if continuing:
                    p = self.para(parent, "list_continue")
                else:
                    p = self.para(parent, style)
                    num_pr = etree.Element(_w("numPr"))
                    etree.SubElement(num_pr, _w("ilvl")).set(W_VAL, str(level))
                    etree.SubElement(num_pr, _w("numId")).set(W_VAL, str(num_id))
                    _ppr(p).append(num_pr)
                    numbered = True
                if continuing or ctx.box:
                    self._list_indent(p, level, hanging=not continuing, box=ctx.box)
                self._inlines(p, child.children)

    def _list_indent(self, p: _Element, level: int, *, hanging: bool,
                     box: tuple[_Element, ...]) -> None:
        """Direct indents for a list paragraph the numbering does not indent, or one in a box.

        In a shaded box (an assessment) the list carries the box's border and shading,
        and its indents move in by the box's margin, so that the box runs on unbroken.
        """
        margin = BOX_INDENT if box else 0
        ppr = _ppr(p)
        for element in box:
            _ordered_append(ppr, copy.deepcopy(element), _PPR_ORDER)
        ind = etree.Element(_w("ind"))
        ind.set(_w("left"), str(margin + self.numbering.indent(level)))
        if margin:
            ind.set(_w("right"), str(margin))
        if hanging:
            ind.set(_w("hanging"), str(self.numbering.STEP))
        _ordered_append(ppr, ind, _PPR_ORDER)

    def _table(self, parent: _Element, block: Table) -> None:
        self.where = self._count("table")
        ncols = max([len(block.header)] + [len(row) for row in block.rows])
        if ncols == 0:
            return
        widths = _column_widths(ncols, self.text_width, block.role)
        if len(parent) and parent[-1].tag == _w("tbl"):
            etree.SubElement(parent, W_P)  # else Word joins the two tables into one
            self.after_table = False
        tbl = etree.SubElement(parent, _w("tbl"))
        tbl_pr = etree.SubElement(tbl, _w("tblPr"))
        etree.SubElement(tbl_pr, _w("tblStyle")).set(W_VAL, self.style["table"])
        tbl_w = etree.SubElement(tbl_pr, _w("tblW"))
        tbl_w.set(_w("w"), "5000")
        tbl_w.set(_w("type"), "pct")
        etree.SubElement(tbl_pr, _w("tblLayout")).set(_w("type"), "fixed")
        look = etree.SubElement(tbl_pr, _w("tblLook"))
        for attr, value in (("val", "04A0"), ("firstRow", "1"), ("lastRow", "0"), ("firstColumn", "0"),
                            ("lastColumn", "0"), ("noHBand", "1"), ("noVBand", "1")):
            look.set(_w(attr), value)
        grid = etree.SubElement(tbl, _w("tblGrid"))
        for width in widths:
            etree.SubElement(grid, _w("gridCol")).set(_w("w"), str(width))
        rows = ([block.header] if block.header else []) + block.rows
        for index, row in enumerate(rows):
            tr = etree.SubElement(tbl, _w("tr"))
            tr_pr = etree.SubElement(tr, _w("trPr"))
            etree.SubElement(tr_pr, _w("cantSplit"))
            if index == 0 and block.header:
                etree.SubElement(tr_pr, _w("tblHeader"))  # repeats on every page
            for col in range(ncols):
                tc = etree.SubElement(tr, _w("tc"))
                tc_w = etree.SubElement(etree.SubElement(tc, _w("tcPr")), _w("tcW"))
                tc_w.set(_w("w"), str(widths[col]))
                tc_w.set(_w("type"), "dxa")
                p = self.para(tc, "table_text")
                align = block.aligns[col] if col < len(block.aligns) else None
                if align in ("center", "right"):
                    etree.SubElement(_ppr(p), _w("jc")).set(W_VAL, "center" if align == "center" else "right")
                self._inlines(p, row[col] if col < len(row) else [])

    def _bibliography(self, parent: _Element, block: Bibliography) -> None:
        for entry in block.entries:
            self.where = self._count("bibliography entry")
            self._inlines(self.para(parent, "bibliography"), entry)

    # ------------------------------------------------------------------ paragraphs and runs

    def para(self, parent: _Element, style_key: str) -> _Element:
        p = etree.SubElement(parent, W_P)
        if style_key != "normal":
            etree.SubElement(etree.SubElement(p, W_PPR), W_PSTYLE).set(W_VAL, self.style[style_key])
        if self.after_table and parent is self.body:
            # A table has no space below it; the text that follows takes some above.
            self.after_table = False
            if not style_key.startswith("heading"):
                _ordered_append(_ppr(p), _spacing(after=None, before=200), _PPR_ORDER)
        return p

    def text_para(self, parent: _Element, style_key: str, text: str) -> _Element:
        p = self.para(parent, style_key)
        if text:
            self.run(p, text, False, False, None)
        return p

    def _inlines(self, parent: _Element, inlines: list[Inline], bold: bool = False,
                 italic: bool = False, rstyle: str | None = None, in_note: bool = False) -> None:
        for node in inlines:  # marks stand where the tree has them (``marks``)
            if isinstance(node, Text) and not node.text:
                continue
            if isinstance(node, Text):
                self.run(parent, self.clean(node.text, self.where), bold, italic, rstyle)
            elif isinstance(node, Emph):  # italic within italic turns roman, as in print
                self._inlines(parent, node.children, bold, not italic, rstyle, in_note)
            elif isinstance(node, Strong):
                self._inlines(parent, node.children, True, italic, rstyle, in_note)
            elif isinstance(node, Highlight):  # a review copy's unsupported detail
                start = len(parent)
                self._inlines(parent, node.children, bold, italic, rstyle, in_note)
                for r in parent[start:]:
                    if r.tag == W_R:
                        _highlight(r)
            elif isinstance(node, Link):
                self._link(parent, node, bold, italic, in_note)
            elif isinstance(node, LineBreak):
                etree.SubElement(etree.SubElement(parent, W_R), W_BR)
            elif isinstance(node, NoteRef):
                if in_note:
                    self.warn(f"DOCX: a note mark inside {self.where} was left out (notes cannot nest)")
                else:
                    self._note(parent, node)
            else:
                raise TypeError(f"DOCX writer has no rule for {type(node).__name__}")

    def run(self, parent: _Element, text: str, bold: bool, italic: bool, rstyle: str | None) -> None:
        if "\n" in text or "\r" in text:
            text = _NEWLINES.sub(" ", text)
        r = etree.SubElement(parent, W_R)
        korean = _HANGUL.search(text) is not None
        if rstyle or bold or italic or korean:
            rpr = etree.SubElement(r, W_RPR)
            if rstyle:
                etree.SubElement(rpr, W_RSTYLE).set(W_VAL, rstyle)
            if korean:  # Word sets Hangul in the East Asian font slot; name one, and the language
                etree.SubElement(rpr, _w("rFonts")).set(_w("eastAsia"), EAST_ASIAN_FONT)
            if bold:
                etree.SubElement(rpr, W_B)
                etree.SubElement(rpr, W_BCS)
            if italic:
                etree.SubElement(rpr, W_I)
                etree.SubElement(rpr, W_ICS)
            if korean:
                etree.SubElement(rpr, _w("lang")).set(_w("eastAsia"), "ko-KR")
        pieces = text.split("\t") if "\t" in text else (text,)
        for index, piece in enumerate(pieces):
            if index:
                etree.SubElement(r, W_TAB)
            if piece:
                t = etree.SubElement(r, W_T)
                t.text = piece
                if piece[0] == " " or piece[-1] == " " or "  " in piece:
                    t.set(XML_SPACE, "preserve")  # else Word drops the outer spaces

    def _link(self, parent: _Element, node: Link, bold: bool, italic: bool, in_note: bool) -> None:
        url = _NEWLINES.sub("", self.clean(node.url, f"a link target in {self.where}")).strip()
        if not url or link_target(url) is None:  # only http, https, mailto and #anchors link
            self._inlines(parent, node.children, bold, italic, None, in_note)
            return
        hyperlink = etree.SubElement(parent, W_HYPERLINK)
        if url.startswith("#"):
            hyperlink.set(_w("anchor"), url[1:])
        else:
            rels = self.note_links if in_note else self.body_links
            hyperlink.set(R_ID, rels.hyperlink(url))
        hyperlink.set(_w("history"), "1")
        self._inlines(hyperlink, node.children, bold, italic, self.style["hyperlink"], in_note)

    def _note(self, parent: _Element, node: NoteRef) -> None:
        """The mark in the text, and the note's paragraph for the footnotes part."""
        self.note_count += 1
        note_id = self.note_count
        r = etree.SubElement(parent, W_R)
        etree.SubElement(etree.SubElement(r, W_RPR), W_RSTYLE).set(W_VAL, self.style["footnote_reference"])
        etree.SubElement(r, W_FOOTNOTEREFERENCE).set(W_ID, str(note_id))
        if self.review and node.evidence:
            self.review_marks.append((r, node, note_id))

        where, self.where = self.where, f"note {note_id}"
        footnote = etree.SubElement(self.notes, W_FOOTNOTE)
        footnote.set(W_ID, str(note_id))
        p = self.para(footnote, "footnote_text")
        mark = etree.SubElement(p, W_R)
        etree.SubElement(etree.SubElement(mark, W_RPR), W_RSTYLE).set(W_VAL, self.style["footnote_reference"])
        etree.SubElement(mark, W_FOOTNOTEREF)
        content = node.content
        if content and isinstance(content[0], Text):  # one run for the space and the first text
            content = [Text(" " + content[0].text), *content[1:]]
        else:
            self.run(p, " ", False, False, None)
        if not node.content:
            self.warn(f"DOCX: note {note_id} has no text")
        self._inlines(p, content, in_note=True)
        self.where = where








def _column_widths(ncols: int, total: int, role: str | None) -> list[int]:
    if role == TableRole.CHRONOLOGY and ncols == 2:  # a date column, then the event
        first = total * 22 // 100
        return [first, total - first]
    base = total // ncols
    return [base] * (ncols - 1) + [total - base * (ncols - 1)]
