"""The PDF writer: a Document tree to PDF bytes with reportlab.

``render_pdf(doc, warn=...)`` is the whole public API. One method per node of the
Document tree turns it into reportlab flowables (dispatch by node class name, as a
Markdown renderer dispatches by token type); the footnote machinery lives in
``notes``, the pages in ``page``, fonts and escaping in ``fonts``, and the
house style in ``styles``.

Notes sit at the foot of the page on which their marks fall, numbered as
``NoteRef.number`` (the DOCX uses the same numbers); each mark links to its note. Fonts
are embedded and subset; the title and headings become the PDF outline; the handling
marking stands at the top and bottom of every page. The same Document always gives the
same bytes (reportlab's invariant mode, and a file date taken from the brief's date or
``SOURCE_DATE_EPOCH``).
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Indenter, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.flowables import HRFlowable

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
    Quote,
    Role,
    Strong,
    TableRole,
    Text,
    iter_blocks,
    link_target,
    plain_text,
)
from ...document import Paragraph as ParagraphNode
from ...document import Table as TableNode
from ...errors import BriefgenError, Warn
from ...house import House
from ...reproducible import build_moment, pinned_for_libraries
from ..housedocx import house_from_docx
from .archive import finish_pdf
from .figures import figure_flowables
from .fonts import CARLITO, TextPreparer, excerpt, house_fonts, register_fallback, register_fonts
from .notes import DrainNotes, FootnoteFrame, NotePlacer, mark_markup
from .page import (
    BriefCanvas,
    BriefDocTemplate,
    BriefPageTemplate,
    PageFurniture,
    pdf_date,
)
from .rlfast import install as install_fast_layout
from .streams import keep_streams
from .styles import (
    ALIGN,
    HAIRLINE,
    RULE,
    ZEBRA,
    PageGeometry,
    Styles,
    colour,
)
from .tags import TAG_CALLBACK, StructElem, TaggedParagraph, Tagger

__all__ = ["render_pdf"]

_BULLETS = ("\u2022", "\u2013", "\u25e6")  # •, –, ◦ by nesting depth
_LIST_STEP = 18.0
_HIGHLIGHT = "#FFE14D"  # a review copy's unsupported detail: black text on yellow, 15:1


def render_pdf(doc: Document, *, warn: Warn | None = None,
               reference_docx: Path | None = None, tagged: bool = True) -> bytes:
    """The brief as PDF bytes: same Document, same bytes.

    ``warn`` receives one line per problem the reader would otherwise not see (a
    character the fonts cannot draw, a character a PDF cannot hold, a house setting it
    cannot follow); without it the lines go to Python's ``warnings``. ``reference_docx``
    is the house template the DOCX takes its styles from: the PDF follows its page,
    margins, sizes, heading colours and, where a TrueType file of the family is found
    (a ``fonts/`` folder beside the template, or fontconfig), its font. The file is a
    tagged PDF/UA-1 and PDF/A-2b file; ``tagged=False`` leaves the tags out (the
    benchmark's reference).
    """
    warn = warn or _warn
    install_fast_layout()
    keep_streams()
    meta = doc.meta
    if reference_docx is None:
        fonts, covered = CARLITO, register_fonts()
        geometry = PageGeometry.named(meta.page_size)
        styles = Styles()
    else:
        house = house_from_docx(Path(reference_docx), warn)
        folders = (Path(reference_docx).resolve().parent / "fonts",)
        fonts, covered = house_fonts(house.body_font, folders, warn)
        geometry = PageGeometry.of_house(house)
        styles = Styles(house, fonts)
    prep = TextPreparer(covered, warn, family=fonts.family, fallback=register_fallback)
    notes: dict[int, NoteRef] = {}
    for ref in doc.notes():
        if ref.number <= 0:
            raise ValueError("a NoteRef has no number: number the notes before writing")
        notes.setdefault(ref.number, ref)
    styles.fit_note_indent(max(notes, default=1))

    lang = meta.language or "en-GB"
    tagger = Tagger(lang)
    builder = _Builder(styles, prep, geometry.frame_width, note_keys={f"fn-{n}" for n in notes},
                       root=tagger.root)
    tagger.notes = builder.notes
    builder.top_level = min((b.level for b in iter_blocks(doc.blocks) if isinstance(b, Heading)),
                            default=1)
    story = builder.title_block(doc) + builder.blocks(doc.blocks, _Context()) + [DrainNotes()]

    placer = NotePlacer(make_note=lambda n: builder.note(notes[n]), width=geometry.frame_width)
    placer.longest_whole = geometry.frame_height - 2 * styles.body.leading - placer.separator
    frame = FootnoteFrame(geometry.left, geometry.bottom, geometry.frame_width,
                          geometry.frame_height, leftPadding=0, rightPadding=0, topPadding=0,
                          bottomPadding=0, id="body", placer=placer,
                          max_carry=0.5 * geometry.frame_height)
    furniture = PageFurniture(
        geometry=geometry,
        marking=prep.clean(meta.marking, "the handling marking"),
        short_title=prep.clean(meta.short_title or meta.title, "the short title"),
        date_text=prep.clean(meta.date_line(), "the date"),
        organisation=prep.clean(meta.organisation, "the organisation"),
        fonts=fonts,
        fallback_chars=prep.fallback_chars,
    )
    out = io.BytesIO()
    template = BriefDocTemplate(
        out, pagesize=geometry.size, invariant=1, pageCompression=1,
        title=prep.clean(meta.title, "the title"),
        author=prep.clean(meta.author or meta.organisation, "the author"),
        subject=prep.clean(meta.topic, "the topic"),
        keywords=prep.clean(", ".join(meta.keywords), "the keywords"),
        creator="briefgen", lang=lang, initialFontName=fonts.regular,
        displayDocTitle=1, leftMargin=geometry.left, rightMargin=geometry.right,
        topMargin=geometry.top, bottomMargin=geometry.bottom,
    )
    template.addPageTemplates([BriefPageTemplate(frame, furniture, placer)])
    template._doSave = 0  # finish_pdf writes the file from the canvas, once
    on_mark = placer.mark_drawn
    if getattr(meta, "review", False):
        on_mark = _ReviewMarks(placer, notes, prep)
        on_mark.margin_x = geometry.left + geometry.frame_width
    moment = build_moment(meta.date, warn)
    canvasmaker = partial(BriefCanvas, pdf_date=pdf_date(moment), note_callback=on_mark,
                          tagger=tagger if tagged else None)
    # Streams are compressed only: the ASCII85 layer reportlab adds by default makes
    # the file a quarter bigger and slower to write, for mail gateways of long ago.
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        with pinned_for_libraries(moment):
            template.build(story, canvasmaker=canvasmaker)
    except (LayoutError, ValueError) as exc:  # e.g. an unbreakable word wider than the page
        raise BriefgenError(f"the PDF of {meta.topic!r} cannot be laid out: {_layout_detail(exc)}"
                            ) from None
    finally:
        rl_config.useA85 = a85
    claim = not prep.has_problems()
    prep.flush()
    return finish_pdf(template.canv, tagger if tagged else None, lang=lang, claim=claim)


class _ReviewMarks:
    """In a review copy, each note mark also carries a PDF comment with its evidence.

    The comment (a text annotation, shown as a note icon at the mark) holds the verbatim
    extracts behind the note, so a reviewer can check the sentence against its sources
    without leaving the page. reportlab tells a mark callback where it draws the mark
    (``_curr_tx_info``); the annotation is placed there.
    """

    def __init__(self, placer: NotePlacer, notes: dict[int, NoteRef], prep: TextPreparer):
        self.placer = placer
        self.texts = {n: prep.clean("\n\n".join(ev.text() for ev in ref.evidence),
                                    f"the evidence of note {n}")
                      for n, ref in notes.items() if getattr(ref, "evidence", None)}
        self.done: set[int] = set()
        self.margin_x = 0.0  # the right edge of the text; comments stand in the margin
        self._page = -1
        self._lines: dict[int, int] = {}

    def __call__(self, canv: Canvas, kind: str, label: str | None) -> None:
        self.placer.mark_drawn(canv, kind, label)
        number = int(label) if label is not None else 0
        text = self.texts.get(number)
        info = getattr(canv, "_curr_tx_info", None)
        if text is None or info is None or number in self.done:
            return
        self.done.add(number)
        _, y = canv.absolutePosition(info["cur_x"], info["cur_y"])
        x = self.margin_x + 3 + 12 * (self.on_line(round(y)) % 4)  # side by side on a line
        canv.textAnnotation(f"Note {number}: {text}", Rect=(x, y + 4, x + 10, y + 14),
                            Color=[0.95, 0.77, 0.2])

    def on_line(self, y: int) -> int:
        """How many comments already stand beside the line at ``y`` on this page."""
        page = self.placer.page_index
        if page != self._page:
            self._page, self._lines = page, {}
        count = self._lines.get(y, 0)
        self._lines[y] = count + 1
        return count


def _warn(message: str) -> None:
    warnings.warn(message, stacklevel=3)


# ------------------------------------------------------------------ paragraph kinds

Paragraph = TaggedParagraph  # measures its lines once per width; draws into its element


class _BoxedParagraph(Paragraph):
    """A paragraph drawn on a tinted panel with a rule down its left edge.

    Consecutive boxed paragraphs join into one panel: each piece also covers the space
    after it, except the first part of a split paragraph, which ends its page (that
    space would reach into the note area's margin). Split parts keep the class, so a
    panel that runs over a page continues on the next.
    """

    background: colors.Color = colour(House().palette.assessment_fill)
    rule: colors.Color = colour(House().palette.assessment_bar)
    rule_width = 2.5
    extend_top = 3.0

    def draw(self) -> None:
        canv = self.canv
        below = 0.0 if getattr(self, "_splitpara", 0) else self.style.spaceAfter
        top = self.height + self.extend_top
        canv.saveState()
        canv.setFillColor(self.background)
        canv.rect(0, -below, self.width, top + below, stroke=0, fill=1)
        canv.setFillColor(self.rule)
        canv.rect(0, -below, self.rule_width, top + below, stroke=0, fill=1)
        canv.restoreState()
        super().draw()


class _AssessmentParagraph(_BoxedParagraph):
    pass


class _AssessmentLabel(_BoxedParagraph):
    extend_top = 6.0


class _LeadParagraph(_BoxedParagraph):
    background = colour(House().palette.lead_fill)
    rule = colour(House().palette.accent)
    rule_width = 3.0
    extend_top = 7.0


class _QuoteParagraph(Paragraph):
    """A block quotation: indented, with a thin rule beside the text."""

    def draw(self) -> None:
        x = self.style.leftIndent - 10
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(1.5)
        canv.line(x, 1, x, self.height - 1)
        canv.restoreState()
        super().draw()


class _RuledHeading(Paragraph):
    """A first-level heading with a hairline under it."""

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(HAIRLINE)
        canv.setLineWidth(0.7)
        canv.line(self.style.leftIndent, -3, self.width, -3)
        canv.restoreState()
        super().draw()


# ------------------------------------------------------------------ building


@dataclass(frozen=True)
class _Context:
    """Where a block sits: how far in, and inside which kind of panel or quotation."""

    indent: float = 0.0
    box: type[_BoxedParagraph] | None = None
    quote: bool = False
    list_depth: int = 0
    in_lead_run: bool = False  # a lead paragraph with another lead paragraph after it
    parent: StructElem | None = None  # the structure element blocks here belong to


class _Builder:
    """Turns Document nodes into flowables; one method per node type."""

    def __init__(self, styles: Styles, prep: TextPreparer, width: float, note_keys: set[str],
                 root: StructElem):
        self.styles = styles
        self.root = root
        self.notes: dict[int, StructElem] = {}  # note number -> Note element
        self.prep = prep
        self.width = width
        self._keys = {"title"} | note_keys
        self._outline_level = 0
        self.top_level = 1  # the level of the document's sections
        self._paragraphs = 0
        pal = styles.palette  # the panels in the house colours of this build
        assess = {"background": colour(pal.assessment_fill), "rule": colour(pal.assessment_bar)}
        self.assessment_cls = type("AssessmentParagraph", (_AssessmentParagraph,), assess)
        self.assessment_label_cls = type("AssessmentLabel", (_AssessmentLabel,), assess)
        self.lead_cls = type("LeadParagraph", (_LeadParagraph,),
                             {"background": colour(pal.lead_fill), "rule": colour(pal.accent)})

    # -------------------------------------------------------------- inlines
    def markup(self, nodes: list[Inline], where: str, bold: bool = False) -> str:
        """Markup for a whole paragraph or cell; marks stand where the tree has them (``marks``).

        ``bold``: the paragraph's style is bold (a fallback-font run must say so itself).
        """
        return self.inlines(nodes, where, bold)

    def inlines(self, nodes: list[Inline], where: str, bold: bool = False) -> str:
        """Paragraph markup for inline nodes; all data text is escaped."""
        out: list[str] = []
        for node in nodes:
            if isinstance(node, Text):
                out.append(self.prep.markup(node.text, where, bold))
            elif isinstance(node, Emph):
                out.append(f"<i>{self.inlines(node.children, where, bold)}</i>")
            elif isinstance(node, Strong):
                out.append(f"<b>{self.inlines(node.children, where, True)}</b>")
            elif isinstance(node, Highlight):  # a review copy's unsupported detail
                inner = self.inlines(node.children, where, bold)
                out.append(f'<span backColor="{_HIGHLIGHT}">{inner}</span>')
            elif isinstance(node, Link):
                inner = self.inlines(node.children, where, bold)
                target = link_target(node.url)  # only http, https, mailto and #anchors link
                url = self.prep.attribute(target, where) if target else ""
                out.append(f'<onDraw name="{TAG_CALLBACK}" label="link"/><a href="{url}" '
                           f'color="{self.styles.link_colour}">{inner}</a>'
                           f'<onDraw name="{TAG_CALLBACK}" label="end"/>' if url else inner)
            elif isinstance(node, LineBreak):
                out.append("<br/>")
            elif isinstance(node, NoteRef):
                n = node.number
                out.append(f'<a href="#fn-{n}" color="{self.styles.mark_colour}">'
                           f'<onDraw name="{TAG_CALLBACK}" label="ref:{n}"/>'
                           f'<super size="68%" rise="40%">{n}</super>'
                           f'<onDraw name="{TAG_CALLBACK}" label="end"/></a>' + mark_markup(n))
        return "".join(out)

    def note(self, ref: NoteRef) -> Paragraph:
        """The note paragraph for the foot of the page, a link target named ``fn-N``."""
        text = self.inlines(ref.content, f"note {ref.number}")
        para = Paragraph(f'<a name="fn-{ref.number}"/>{text}', self.styles.note,
                         bulletText=str(ref.number))
        note = self.notes.get(ref.number)
        if note is None:  # joins the tree after its first mark (tags)
            note = self.notes[ref.number] = StructElem("Note", element_id=f"note-{ref.number}")
        para.struct = note
        para.label = note.child("Lbl")
        return para

    # -------------------------------------------------------------- title block
    def title_block(self, doc: Document) -> list[Flowable]:
        """The tree's title block (``Document.title_block``), then a rule.

        The handling marking is page furniture (``page.PageFurniture``), as in the DOCX.
        """
        out: list[Flowable] = []
        for block in doc.title_block():
            out.extend(self._paragraph(block, _Context(), where=f"the {block.role}"))
        out.append(HRFlowable(width="100%", thickness=1.2, color=colour(self.styles.palette.heading),
                              spaceBefore=10, spaceAfter=16))
        return out

    # -------------------------------------------------------------- blocks
    def blocks(self, blocks: list[Block], ctx: _Context) -> list[Flowable]:
        out: list[Flowable] = []
        for i, block in enumerate(blocks):
            # consecutive lead paragraphs share one panel: the space comes after the last
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            run_on = _is_lead(block) and _is_lead(following)
            out.extend(self.block(block, replace(ctx, in_lead_run=run_on) if run_on else ctx))
        return out

    def block(self, block: Block, ctx: _Context) -> list[Flowable]:
        method = getattr(self, "_" + type(block).__name__.lower(), None)
        if method is None:
            raise TypeError(f"the PDF writer has no rule for {type(block).__name__}")
        return method(block, ctx)

    def _heading(self, node: Heading, ctx: _Context) -> list[Flowable]:
        level = min(max(node.level, 1), 3)
        style = {1: self.styles.h1, 2: self.styles.h2, 3: self.styles.h3}[level]
        text = plain_text(node.children)
        where = f"the heading \u201c{excerpt(text)}\u201d"
        key = self._key(node.anchor or _slug(text) or "section")
        anchor = f'<a name="{self.prep.attribute(key, where)}"/>'
        markup = anchor + self.markup(node.children, where, bold=True)
        cls = _RuledHeading if level == 1 else Paragraph
        # the title is the one H1 (outline level 0); the document's top heading level
        # (## in the house template) is H2 at outline level 1; no level is skipped
        outline_level = min(max(node.level - self.top_level + 1, 1), self._outline_level + 1)
        para = self._tag(cls(markup, self.styles.variant(style, ctx.indent)),
                         f"H{min(outline_level + 1, 6)}", ctx)
        self._outline_level = outline_level
        para.outline = (key, self.prep.clean(" ".join(text.split()), where), outline_level)
        return [para]

    def _paragraph(self, node: ParagraphNode, ctx: _Context, bullet: str | None = None,
                   where: str | None = None) -> list[Flowable]:
        s = self.styles
        if where is None:
            self._paragraphs += 1
            where = (f"paragraph {self._paragraphs} "
                     f"(\u201c{excerpt(plain_text(node.children))}\u201d)")
        markup = self.markup(node.children, where)
        cls: type[Paragraph] = Paragraph
        after: list[Flowable] = []
        outline = None
        if node.role is None:
            if ctx.box is not None:
                style, cls = s.boxed, ctx.box
            elif ctx.quote:
                style, cls = s.quote, _QuoteParagraph
            else:
                style = s.body
        elif node.role == Role.TITLE:
            markup = '<a name="title"/>' + self.markup(node.children, where, bold=True)
            style = s.title
            outline = ("title", self.prep.clean(plain_text(node.children), where), 0)
        elif node.role == Role.SUBTITLE:
            style = s.subtitle
        elif node.role in (Role.DATE, Role.CUTOFF, Role.BYLINE):
            style = s.byline
        elif node.role == Role.LEAD:
            style, cls = s.lead, self.lead_cls
            if not ctx.in_lead_run:
                after.append(Spacer(1, 10))
        elif node.role == Role.QUESTION:
            style = s.question
        elif node.role == Role.LABEL:  # set in capitals, as the DOCX style does
            markup = self.prep.markup(plain_text(node.children).upper(), where)
            style = s.label
        elif node.role == Role.ASSESSMENT_LABEL:  # set in capitals, as the DOCX style does
            markup = self.prep.markup(plain_text(node.children).upper(), where)
            style, cls = s.box_label, self.assessment_label_cls
        elif node.role == Role.NOTE:
            style = s.aside
        elif node.role == Role.ANNEX:
            style = s.annex
        else:  # a new role must be taught to every writer
            raise TypeError(f"the PDF writer has no rule for the role {node.role!r}")
        bullet_indent = ctx.indent - 13 if bullet is not None else None
        style = s.variant(style, ctx.indent, bullet_indent=bullet_indent)
        role = "H1" if node.role == Role.TITLE else "P"  # the title is the one H1
        para = self._tag(cls(markup, style, bulletText=bullet), role, ctx)
        if outline is not None:
            para.outline = outline
        if bullet is not None and ctx.parent is not None and ctx.parent.role == "LBody":
            # the list item's first paragraph: its bullet is the item's label
            para.label = StructElem("Lbl", parent=ctx.parent.parent)
        return [para, *after]

    def _listblock(self, node: ListBlock, ctx: _Context) -> list[Flowable]:
        lst = self._parent(ctx).child("L")
        if node.ordered:
            lst.attributes["ListNumbering"] = "Decimal"
        out: list[Flowable] = []
        for i, item in enumerate(node.items):
            # the label joins the item before its body: Lbl first, as read
            body = lst.child("LI").child("LBody")
            inner = replace(ctx, indent=ctx.indent + _LIST_STEP, list_depth=ctx.list_depth + 1,
                            parent=body)
            bullet = f"{node.start + i}." if node.ordered else _BULLETS[ctx.list_depth % 3]
            placed = False
            for child in item:
                if not placed and isinstance(child, ParagraphNode):
                    out.extend(self._paragraph(child, inner, bullet=bullet))
                    placed = True
                else:
                    if not placed:  # an item that opens with no paragraph still shows its bullet
                        out.extend(self._paragraph(ParagraphNode([]), inner, bullet=bullet))
                        placed = True
                    out.extend(self.block(child, inner))
            if not placed:
                out.extend(self._paragraph(ParagraphNode([]), inner, bullet=bullet))
        return out

    def _quote(self, node: Quote, ctx: _Context) -> list[Flowable]:
        quote = self._parent(ctx).child("BlockQuote")
        return self.blocks(node.blocks, replace(ctx, quote=True, parent=quote))

    def _div(self, node: Div, ctx: _Context) -> list[Flowable]:
        if node.cls != DivClass.ASSESSMENT:
            return self.blocks(node.blocks, ctx)
        div = self._parent(ctx).child("Div")
        # its label is the tree's first paragraph
        inner = replace(ctx, box=self.assessment_cls, parent=div)
        return [*self.blocks(node.blocks, inner), Spacer(1, 10)]

    def _figure(self, node: Figure, ctx: _Context) -> list[Flowable]:
        where = f"figure {node.number}"
        caption = self.prep.markup(node.caption_line(), where)
        alt = self.prep.clean(node.alt, f"the alt text of {where}")
        out = figure_flowables(node, self._parent(ctx), self.width - ctx.indent, self.styles,
                               caption, alt)
        if ctx.indent:
            return [Indenter(left=ctx.indent), *out, Indenter(left=-ctx.indent)]
        return out

    def _bibliography(self, node: Bibliography, ctx: _Context) -> list[Flowable]:
        style = self.styles.variant(self.styles.bibliography, ctx.indent)
        return [self._tag(Paragraph(self.inlines(entry, f"bibliography entry {i}"), style),
                          "P", ctx)
                for i, entry in enumerate(node.entries, 1)]

    def _table(self, node: TableNode, ctx: _Context) -> list[Flowable]:
        s = self.styles
        chronology = node.role == TableRole.CHRONOLOGY
        ncols = max([len(node.header)] + [len(r) for r in node.rows] + [1])
        has_header = any(cell for cell in node.header)
        rows: list[list[list[Inline]]] = ([_pad(node.header, ncols)] if has_header else [])
        rows += [_pad(r, ncols) for r in node.rows]
        width = self.width - ctx.indent
        fit = _fit_table(ncols, width)
        if fit is None:  # compose refuses such tables with their line; this is a last guard
            raise BriefgenError(f"a table of {ncols} columns is too wide for the page even at "
                                f"{TABLE_STEPS[-1][0]:g} pt; split it or turn it into a list")
        size, pad = fit
        widths = _column_widths(rows, ncols, width, chronology, floor=2 * pad + 3 * size)
        data: list[list[Paragraph]] = []
        table_elem = self._parent(ctx).child("Table")
        for r, row in enumerate(rows):
            header = has_header and r == 0
            row_elem = table_elem.child("TR")
            cells = []
            for c, cell in enumerate(row):
                if header:
                    base = s.variant(s.head_cell) if not chronology else s.chron_head
                elif chronology and c == 0:
                    base = s.chron_date
                else:
                    base = s.cell
                align = ALIGN.get((node.aligns[c] or "") if c < len(node.aligns) else "")
                where = f"a table cell (row {r + 1}, column {c + 1})"
                style = s.variant(base, align=align)
                if size < TABLE_STEPS[0][0]:  # a wide table: a smaller font, tighter leading
                    style = ParagraphStyle(f"{style.name}@{size}", parent=style, fontSize=size,
                                           leading=size * 1.2)
                para = Paragraph(self.markup(cell, where), style)
                # a header row repeated on the next page is drawn as decoration there
                para.struct = (row_elem.child("TH", attributes={"Scope": "Column"}, once=True)
                               if header else row_elem.child("TD"))
                cells.append(para)
            data.append(cells)
        table = Table(data, colWidths=widths, repeatRows=1 if has_header else 0, hAlign="LEFT",
                      splitInRow=1,  # a cell taller than a page continues on the next
                      style=_table_style(has_header, chronology, len(data), self.styles, pad))
        table.spaceBefore = 4
        table.spaceAfter = 12
        if ctx.indent:
            return [Indenter(left=ctx.indent), table, Indenter(left=-ctx.indent)]
        return [table]

    # -------------------------------------------------------------- helpers
    def _parent(self, ctx: _Context | None) -> StructElem:
        return ctx.parent if ctx is not None and ctx.parent is not None else self.root

    def _tag(self, para: Paragraph, role: str, ctx: _Context | None = None) -> Paragraph:
        """Give ``para`` a new ``role`` element under the context's element."""
        para.struct = self._parent(ctx).child(role)
        return para

    def _key(self, base: str) -> str:
        """A destination name not used before (the title and notes have theirs)."""
        key, n = base, 1
        while key in self._keys:
            n += 1
            key = f"{base}-{n}"
        self._keys.add(key)
        return key


def _layout_detail(exc: BaseException) -> str:
    """reportlab's reason, without its reprs of flowables and their memory addresses."""
    text = " ".join(str(exc).split())
    text = re.sub(r"<(\w+)[^<>]*?(?: at 0x[0-9a-fA-F]+|@0x[0-9a-fA-F]+)[^<>]*>", "a paragraph", text)
    text = re.sub(r"0x[0-9a-fA-F]+", "", text)
    return text[:160] + ("..." if len(text) > 160 else "")


def _is_lead(block: Block | None) -> bool:
    return isinstance(block, ParagraphNode) and block.role == Role.LEAD


def _slug(text: str) -> str:
    return "-".join("".join(ch.lower() if ch.isalnum() else " " for ch in text).split())[:60]


def _pad(row: list[list[Inline]], ncols: int) -> list[list[Inline]]:
    return list(row) + [[] for _ in range(ncols - len(row))]


#: Font size and cell padding (points) a table may shrink to, widest last: each column
#: must hold about three characters beside its padding.
TABLE_STEPS = ((9.5, 5.0), (8.0, 3.5), (7.0, 2.5), (6.0, 1.5))


def _fit_table(ncols: int, width: float) -> tuple[float, float] | None:
    """The largest font size and padding at which ``ncols`` columns fit ``width``; None if none."""
    for size, pad in TABLE_STEPS:
        if width / ncols >= 2 * pad + 3 * size:
            return size, pad
    return None


def _column_widths(rows: list[list[list[Inline]]], ncols: int, width: float,
                   chronology: bool, floor: float = 0.0) -> list[float]:
    """Column widths from how much text each column holds (dates get a fixed column);
    every column at least ``floor`` wide."""
    if chronology and ncols == 2:
        first = min(34 * mm, width * 0.3)
        return [first, width - first]
    weights = []
    for c in range(ncols):
        longest = max((len(plain_text(row[c])) for row in rows), default=0)
        weights.append(min(max(longest, 6), 60))
    total = sum(weights)
    spare = max(width - floor * ncols, 0.0)
    return [floor + spare * w / total for w in weights]


def _table_style(has_header: bool, chronology: bool, nrows: int, styles: Styles,
                 pad: float = 5.0) -> TableStyle:
    pal = styles.palette
    heading, accent = colour(pal.heading), colour(pal.accent)
    commands: list[tuple] = [
        # else reportlab selects Helvetica per cell
        ("FONT", (0, 0), (-1, -1), styles.fonts.regular, styles.cell.fontSize),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, HAIRLINE),
    ]
    first_body = 1 if has_header else 0
    if chronology:
        if has_header:
            commands += [("BACKGROUND", (0, 0), (-1, 0), colour(pal.lead_fill)),
                         ("LINEBELOW", (0, 0), (-1, 0), 1.0, heading)]
        commands.append(("LINEBEFORE", (1, first_body), (1, -1), 1.5, accent))
    else:
        if has_header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), heading))
        if nrows > first_body:
            commands.append(("ROWBACKGROUNDS", (0, first_body), (-1, -1), [colors.white, ZEBRA]))
    return TableStyle(commands)
