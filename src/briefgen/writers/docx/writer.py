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

Speed: python-docx's proxy API looks styles up by name on every call, and making
every paragraph and run an lxml element costs several times what writing its
markup does. This writer resolves each style id once and writes the body, the notes
and the comments as markup (``markup``), which goes into the parts' bytes as it is
(``opc.Package``, a set-up base document held as text); only a review copy parses
its body back (lxml), to anchor its comments. Without a house template neither
python-docx nor lxml is imported: the default base is stored with the package
(``opc.default_base``). Nothing here is quadratic in the number of notes: note ids
and relationship ids come from counters.

The output is deterministic: fixed zip timestamps and document dates (the brief's
date, or ``SOURCE_DATE_EPOCH`` when set) and no random ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from ...chars import Cleaner, drop_illegal
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
from . import markup
from .figures import write_figure
from .look import ASSESS_BOX, BOX_INDENT
from .markup import Para
from .numbering import Numbering
from .opc import Package
from .page import page_furniture, properties, setup_page, text_width

_NEWLINES = re.compile("\r\n|\r|\n")

# The style of each paragraph role; None: the style of where the paragraph stands.
_ROLE_STYLES: dict[Role, str | None] = {
    Role.TITLE: "title", Role.SUBTITLE: "subtitle", Role.DATE: "date", Role.CUTOFF: "date",
    Role.BYLINE: "author",
    Role.QUESTION: "question", Role.LEAD: "lead", Role.LABEL: "label",
    Role.ASSESSMENT_LABEL: "assessment_label", Role.NOTE: None, Role.ANNEX: None,
}

#: What a container of the body holds: paragraphs still open to new properties, and
#: finished markup (a table, or what a review copy's comments were anchored in).
Item = Para | str
_TABLE_START = "<w:tbl>"


class _Ctx(NamedTuple):
    """How plain paragraphs look where the writer currently is (body, quote, assessment)."""

    para_style: str = "normal"
    box: tuple[tuple[str, str], ...] = ()  # border and shading that list paragraphs copy into a box


class BaseSetup(NamedTuple):
    """What a brief's base document gets before its text (``package.textual``): the
    styles, the settings, the footnotes part and the header and footer parts.

    Equal setups do the same to equal bases, so each setup of a base is made once: the
    default base's are stored with the package (``opc.default_base``), a house
    template's are kept in a warm process.
    """

    house: bool  # no house template: the house look replaces the template's
    review: bool  # the comment styles
    language: str  # into the document defaults and the theme's font language
    figures: bool  # the figure and caption styles

    @classmethod
    def of(cls, doc: Document, *, house: bool) -> BaseSetup:
        # the characters a document cannot hold are dropped silently here: the writer
        # reports them when it writes the language into the document's properties
        language = _NEWLINES.sub(" ", drop_illegal(doc.meta.language or "")[0]).strip() or "en-GB"
        return cls(house=house, review=_review_copy(doc), language=language,
                   figures=any(isinstance(b, Figure) for b in iter_blocks(doc.blocks)))


def _review_copy(doc: Document) -> bool:
    """A review copy: each note with evidence gets a comment on its sentence."""
    return doc.meta.review and any(note.evidence for note in doc.notes())


class DocxWriter:
    """One build: one method per node of the Document tree, the styles resolved before."""

    def __init__(self, pkg: Package, doc: Document, warn: Warn, *, house: bool):
        self.pkg = pkg
        self.doc = doc
        self.meta = doc.meta
        self.warn = warn
        self.house = house
        self.clean = Cleaner(warn)
        self.moment = build_moment(doc.meta.date, warn)  # the file's dates and zip timestamps
        self.where = ""
        self.style = pkg.base.styles()  # each style's id, by the writer's key (``BaseSetup``)
        self.body_links = pkg.hyperlinks(pkg.body)
        self.note_links = pkg.hyperlinks(pkg.footnotes)
        self.numbering = Numbering(pkg.base.next_ids)
        self.note_count = 0
        self.bookmark_count = 0
        self.counts: dict[str, int] = {}
        self.body: list[Item] = []
        self.notes: list[str] = []  # each note's w:footnote, as markup
        self.review = _review_copy(doc)
        self.review_notes: list[tuple[NoteRef, int]] = []  # note, note id of each mark to comment
        self.review_marks: list[tuple[Any, NoteRef, int]] = []  # mark run (lxml), note, note id
        self.comments: list[str] = []  # each w:comment, as markup
        self.box_tail: Para | None = None  # last paragraph of an open shaded box
        self.after_table = False  # the next body paragraph follows a table
        self.text_width = 0  # twips between the margins, set with the page

    # ------------------------------------------------------------------ build

    def build(self) -> None:
        page = setup_page(self.meta, self.warn) if self.house else None
        self.text_width = text_width(page) if page is not None else self.pkg.base.text_width
        self._title_block()
        self._blocks(self.body, self.doc.blocks, _Ctx())
        self._close_box()
        if not self.body or (isinstance(self.body[-1], str) and self.body[-1].startswith(_TABLE_START)):
            self.body.append(Para())  # Word wants a paragraph after a table
        body = "".join(item if isinstance(item, str) else item.xml() for item in self.body)
        if self.review:
            body = self._review(body)
        page_furniture(self)
        properties(self)
        self.pkg.fill_body(body, page)
        self.pkg.fill(self.pkg.base.footnotes, "".join(self.notes))
        self.pkg.fill_numbering("".join(self.numbering.abstracts), "".join(self.numbering.nums))
        if self.review:
            self.pkg.fill_comments("".join(self.comments))
        self.clean.report()

    def _review(self, body: str) -> str:
        """The body with a comment anchored on each cited sentence (``review``).

        The body is parsed for this (lxml): anchoring splits runs where sentences start.
        """
        from .oxml import W_FOOTNOTEREFERENCE, W_ID, markup_of, parse
        from .review import add_review_comments

        tree = parse(body)
        runs = {ref.get(W_ID): ref.getparent() for ref in tree.iter(W_FOOTNOTEREFERENCE)}
        self.review_marks = [(runs[str(note_id)], node, note_id) for node, note_id in self.review_notes]
        add_review_comments(self)
        return markup_of(tree)

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
                last.props["outlineLvl"] = '<w:outlineLvl w:val="0"/>'
        if last is not None:
            last.props["spacing"] = markup.spacing(after=360)  # air before the text

    def meta_text(self, value: str, where: str) -> str:
        return _NEWLINES.sub(" ", self.clean(value or "", where)).strip()

    # ------------------------------------------------------------------ blocks

    def _blocks(self, parent: list[Item], blocks: Iterable[Block], ctx: _Ctx) -> None:
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
            self.box_tail.props["spacing"] = markup.spacing(after=240)
            self.box_tail = None

    def _count(self, kind: str) -> str:
        n = self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{kind} {n}"

    def _paragraph(self, parent: list[Item], block: Paragraph, ctx: _Ctx,
                   where: str | None = None) -> Para:
        self.where = where or self._count("paragraph")
        if block.role is None:
            style = ctx.para_style
        else:
            try:
                style = _ROLE_STYLES[Role(block.role)] or ctx.para_style
            except (KeyError, ValueError):  # a new role must be taught to every writer
                raise TypeError(f"DOCX writer has no rule for the role {block.role!r}") from None
        p = self.para(parent, style)
        self._inlines(p.content, block.children)
        if style == "lead":
            self.box_tail = p
        return p

    def _heading(self, parent: list[Item], block: Heading) -> None:
        self.where = self._count("heading")
        level = min(max(block.level, 1), 3)
        p = self.para(parent, f"heading{level}")
        anchor = self.clean(block.anchor, f"the anchor of {self.where}")
        if anchor:
            bookmark_id = self.bookmark_count
            self.bookmark_count += 1
            p.content.append(f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{markup.attr(anchor)}"/>')
        self._inlines(p.content, block.children)
        if anchor:
            p.content.append(f'<w:bookmarkEnd w:id="{bookmark_id}"/>')

    def _div(self, parent: list[Item], block: Div, ctx: _Ctx) -> None:
        if block.cls == DivClass.ASSESSMENT:  # its label is the tree's first paragraph
            self._blocks(parent, block.blocks, _Ctx(para_style="assessment", box=ASSESS_BOX))
            self._close_box()
            if parent and isinstance(parent[-1], Para):
                self.box_tail = parent[-1]
        else:
            self._blocks(parent, block.blocks, ctx)

    def _list(self, parent: list[Item], block: ListBlock, level: int, ctx: _Ctx) -> None:
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
                    p.props["numPr"] = (f'<w:numPr><w:ilvl w:val="{level}"/>'
                                        f'<w:numId w:val="{num_id}"/></w:numPr>')
                    numbered = True
                if continuing or ctx.box:
                    self._list_indent(p, level, hanging=not continuing, box=ctx.box)
                self._inlines(p.content, child.children)

    def _list_indent(self, p: Para, level: int, *, hanging: bool,
                     box: tuple[tuple[str, str], ...]) -> None:
        """Direct indents for a list paragraph the numbering does not indent, or one in a box.

        In a shaded box (an assessment) the list carries the box's border and shading,
        and its indents move in by the box's margin, so that the box runs on unbroken.
        """
        margin = BOX_INDENT if box else 0
        p.props.update(box)
        ind = f'<w:ind w:left="{margin + self.numbering.indent(level)}"'
        if margin:
            ind += f' w:right="{margin}"'
        if hanging:
            ind += f' w:hanging="{self.numbering.STEP}"'
        p.props["ind"] = ind + "/>"

    def _table(self, parent: list[Item], block: Table) -> None:
        self.where = self._count("table")
        ncols = max([len(block.header)] + [len(row) for row in block.rows])
        if ncols == 0:
            return
        widths = _column_widths(ncols, self.text_width, block.role)
        if parent and isinstance(parent[-1], str) and parent[-1].startswith(_TABLE_START):
            parent.append(Para())  # else Word joins the two tables into one
            self.after_table = False
        out = [_TABLE_START, f'<w:tblPr><w:tblStyle w:val="{self.style["table"]}"/>'
               '<w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/>'
               '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
               'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>']
        out += [f'<w:gridCol w:w="{width}"/>' for width in widths]
        out.append("</w:tblGrid>")
        rows = ([block.header] if block.header else []) + block.rows
        for index, row in enumerate(rows):
            header = "<w:tblHeader/>" if index == 0 and block.header else ""  # repeats on every page
            out.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
            for col in range(ncols):
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[col]}" w:type="dxa"/></w:tcPr>')
                cell: list[Item] = []
                p = self.para(cell, "table_text")
                align = block.aligns[col] if col < len(block.aligns) else None
                if align in ("center", "right"):
                    p.props["jc"] = f'<w:jc w:val="{"center" if align == "center" else "right"}"/>'
                self._inlines(p.content, row[col] if col < len(row) else [])
                out.append(p.xml() + "</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        parent.append("".join(out))

    def _bibliography(self, parent: list[Item], block: Bibliography) -> None:
        for entry in block.entries:
            self.where = self._count("bibliography entry")
            self._inlines(self.para(parent, "bibliography").content, entry)

    # ------------------------------------------------------------------ paragraphs and runs

    def para(self, parent: list[Item], style_key: str) -> Para:
        p = Para(None if style_key == "normal" else self.style[style_key])
        if self.after_table and parent is self.body:
            # A table has no space below it; the text that follows takes some above.
            self.after_table = False
            if not style_key.startswith("heading"):
                p.props["spacing"] = markup.spacing(after=None, before=200)
        parent.append(p)
        return p

    def text_para(self, parent: list[Item], style_key: str, text: str) -> Para:
        p = self.para(parent, style_key)
        if text:
            p.content.append(self.run(text))
        return p

    def _inlines(self, out: list[str], inlines: list[Inline], bold: bool = False,
                 italic: bool = False, rstyle: str | None = None, in_note: bool = False,
                 highlight: bool = False) -> None:
        for node in inlines:  # marks stand where the tree has them (``marks``)
            if isinstance(node, Text):
                if node.text:
                    out.append(self.run(self.clean(node.text, self.where), bold, italic, rstyle,
                                        highlight))
            elif isinstance(node, Emph):  # italic within italic turns roman, as in print
                self._inlines(out, node.children, bold, not italic, rstyle, in_note, highlight)
            elif isinstance(node, Strong):
                self._inlines(out, node.children, True, italic, rstyle, in_note, highlight)
            elif isinstance(node, Highlight):  # a review copy's unsupported detail
                self._inlines(out, node.children, bold, italic, rstyle, in_note, True)
            elif isinstance(node, Link):
                self._link(out, node, bold, italic, in_note, highlight)
            elif isinstance(node, LineBreak):
                out.append('<w:r><w:rPr><w:highlight w:val="yellow"/></w:rPr><w:br/></w:r>'
                           if highlight else "<w:r><w:br/></w:r>")
            elif isinstance(node, NoteRef):
                if in_note:
                    self.warn(f"DOCX: a note mark inside {self.where} was left out (notes cannot nest)")
                else:
                    self._note(out, node, highlight)
            else:
                raise TypeError(f"DOCX writer has no rule for {type(node).__name__}")

    def run(self, text: str, bold: bool = False, italic: bool = False, rstyle: str | None = None,
            highlight: bool = False) -> str:
        """A run's markup (``markup.run``); line breaks in ``text`` become spaces."""
        if "\n" in text or "\r" in text:
            text = _NEWLINES.sub(" ", text)
        return markup.run(text, bold, italic, rstyle, highlight)

    def _link(self, out: list[str], node: Link, bold: bool, italic: bool, in_note: bool,
              highlight: bool) -> None:
        url = _NEWLINES.sub("", self.clean(node.url, f"a link target in {self.where}")).strip()
        if not url or link_target(url) is None:  # only http, https, mailto and #anchors link
            self._inlines(out, node.children, bold, italic, None, in_note, highlight)
            return
        if url.startswith("#"):
            target = f'w:anchor="{markup.attr(url[1:])}"'
        else:
            rels = self.note_links if in_note else self.body_links
            target = f'r:id="{rels.hyperlink(url)}"'
        inner: list[str] = []
        # the runs of a link take no highlight: the mark is the link's own colour
        self._inlines(inner, node.children, bold, italic, self.style["hyperlink"], in_note)
        if inner:
            out.append(f'<w:hyperlink {target} w:history="1">{"".join(inner)}</w:hyperlink>')
        else:
            out.append(f'<w:hyperlink {target} w:history="1"/>')

    def _note(self, out: list[str], node: NoteRef, highlight: bool = False) -> None:
        """The mark in the text, and the note's paragraph for the footnotes part."""
        self.note_count += 1
        note_id = self.note_count
        reference = self.style["footnote_reference"]
        out.append(markup.styled(reference, f'<w:footnoteReference w:id="{note_id}"/>', highlight))
        if self.review and node.evidence:
            self.review_notes.append((node, note_id))

        where, self.where = self.where, f"note {note_id}"
        p = Para(self.style["footnote_text"])
        p.content.append(markup.styled(reference, "<w:footnoteRef/>"))
        content = node.content
        if content and isinstance(content[0], Text):  # one run for the space and the first text
            content = [Text(" " + content[0].text), *content[1:]]
        else:
            p.content.append(self.run(" "))
        if not node.content:
            self.warn(f"DOCX: note {note_id} has no text")
        self._inlines(p.content, content, in_note=True)
        self.notes.append(f'<w:footnote w:id="{note_id}">{p.xml()}</w:footnote>')
        self.where = where


def _column_widths(ncols: int, total: int, role: str | None) -> list[int]:
    if role == TableRole.CHRONOLOGY and ncols == 2:  # a date column, then the event
        first = total * 22 // 100
        return [first, total - first]
    base = total // ncols
    return [base] * (ncols - 1) + [total - base * (ncols - 1)]
