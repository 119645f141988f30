"""The Document tree: the one contract between composing a brief and writing it.

``compose`` turns a brief spec into this tree; ``notes`` numbers its notes and fills
them with formatted citations; the writers (DOCX, PDF) turn the same tree into files.
A writer knows nothing of YAML or sources; the corpus knows nothing of DOCX.

Inline nodes: ``Text``, ``Emph``, ``Strong``, ``Link``, ``LineBreak``, ``NoteRef``.
Block nodes: ``Heading``, ``Paragraph``, ``ListBlock``, ``Quote``, ``Table``, ``Div``,
``Figure``, ``Bibliography``.

All text is plain Unicode exactly as it should appear: no markup, no escapes. Each
writer escapes for its own target.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

# --------------------------------------------------------------------------- inlines


@dataclass(slots=True)
class Text:
    text: str


@dataclass(slots=True)
class Emph:
    """Italics: emphasis in prose, and publication titles in notes."""

    children: list[Inline]


@dataclass(slots=True)
class Strong:
    children: list[Inline]


@dataclass(slots=True)
class Link:
    url: str
    children: list[Inline]


#: The only kinds of address that become links; any other (``ms-msdt:``, ``search-ms:``,
#: ``smb:``, ``file:``, ``javascript:``) prints as text, in both writers.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_IGNORED_IN_SCHEMES = re.compile(r"[\x00-\x20\x7f-\x9f]")


def link_target(url: str) -> str | None:
    """``url`` stripped if it may become a link (http, https, mailto, or ``#anchor``); else None.

    Characters readers ignore inside a scheme (tabs, newlines, controls: ``ms-\nmsdt:``)
    are ignored here too before the scheme is read.
    """
    url = url.strip()
    squeezed = _IGNORED_IN_SCHEMES.sub("", url)
    if not squeezed:
        return None
    if squeezed.startswith("#"):
        return url
    scheme, colon, rest = squeezed.partition(":")
    if not colon or scheme.lower() not in LINK_SCHEMES:
        return None
    if scheme.lower() != "mailto" and not rest.startswith("//"):
        return None
    return url


@dataclass(slots=True)
class Highlight:
    """Marked text: in a review copy, a detail of a sentence its evidence does not hold."""

    children: list[Inline]


@dataclass(slots=True)
class LineBreak:
    pass


@dataclass(slots=True)
class Citation:
    """One cited extract inside a note: ``[@extract-id]``."""

    key: str
    locator: str | None = None  # filled by notes: e.g. "para. 4" when settings ask
    #: ``[@key, correction]``: print the extract's correction (caveat) in this note
    pin_correction: bool = False


#: How a citation of a reference-only source (no archived text) is marked for reviewers.
NOT_ARCHIVED = "not archived: not verified against a text"


@dataclass(slots=True)
class Evidence:
    """A verbatim extract behind a note: what a reviewer checks the sentence against."""

    extract_id: str
    quote: str
    source: str  # the shortened note with the paragraph: "Ji, “S. Korea, NATO …,” para. 4."
    paragraph: int | None = None
    caveat: str | None = None
    #: False for a reference-only source: ``quote`` is then the analyst's paraphrase
    archived: bool = True

    def shown_quote(self) -> str:
        """The quotation in quotation marks, or a paraphrase marked as not verified."""
        if self.archived:
            return f"\u201c{self.quote}\u201d"
        return f"Paraphrase ({NOT_ARCHIVED}): {self.quote}"

    def text(self) -> str:
        """One line: the quotation, exactly as in the source, then its source and any caveat."""
        out = f"{self.shown_quote()} \u2014 {self.source} [{self.extract_id}]"
        if self.caveat:
            out += f" Caveat: {self.caveat}"
        return out


@dataclass(slots=True)
class NoteRef:
    """A footnote mark in the text, with the note it stands for.

    ``compose`` creates it from ``[@a; @b]`` with its citations; ``notes.apply``
    sets ``number`` (1-based, reading order) and ``content`` (the formatted note).
    """

    citations: list[Citation]
    number: int = 0
    content: list[Inline] = field(default_factory=list)
    #: filled for review copies (``briefgen build --review``): the extracts behind the note;
    #: writers attach them to the cited sentence as a comment or annotation
    evidence: list[Evidence] = field(default_factory=list)


Inline = Text | Emph | Strong | Link | Highlight | LineBreak | NoteRef

# --------------------------------------------------------------------------- blocks


class Role(StrEnum):
    """What a paragraph is for. Every writer has a rule for every role (tests/test_roles.py)."""

    TITLE = "title"  # the title block, in this order: title, subtitle, date, byline
    SUBTITLE = "subtitle"
    DATE = "date"
    CUTOFF = "cutoff"  # the evidence cut-off: "Sources to 29 August 2024"
    BYLINE = "byline"
    QUESTION = "question"  # the question the brief answers
    LEAD = "lead"  # the bottom line: consecutive lead paragraphs share one panel
    LABEL = "label"  # a small heading-like label
    ASSESSMENT_LABEL = "assessment-label"  # the label that opens an assessment
    NOTE = "note"  # an aside in smaller type (the annex's introduction)
    ANNEX = "annex"  # an entry of the evidence annex


class TableRole(StrEnum):
    """What a table is for."""

    CHRONOLOGY = "chronology"  # a date column, then the event


class DivClass(StrEnum):
    """Named groups of blocks (``::: name`` containers)."""

    ASSESSMENT = "assessment"  # the analyst's judgement, set apart in a panel


@dataclass(slots=True)
class Heading:
    level: int  # 1..3
    children: list[Inline]
    anchor: str = ""  # a stable id for bookmarks and links, set by compose


@dataclass(slots=True)
class Paragraph:
    children: list[Inline]
    role: Role | None = None


@dataclass(slots=True)
class ListBlock:
    ordered: bool
    items: list[list[Block]]
    start: int = 1


@dataclass(slots=True)
class Quote:
    blocks: list[Block]


@dataclass(slots=True)
class Table:
    header: list[list[Inline]]  # one list of inlines per cell
    rows: list[list[list[Inline]]]
    aligns: list[str | None] = field(default_factory=list)  # "left" | "center" | "right" | None
    role: TableRole | None = None


@dataclass(slots=True)
class Div:
    """A named group of blocks from a ``::: name`` container, e.g. ``assessment``."""

    cls: str  # a DivClass, or a name no writer styles (its blocks are written as they are)
    blocks: list[Block]


@dataclass(slots=True)
class Figure:
    """A picture standing as its own paragraph: ``![alt](figures/map.png "Caption")`` in prose.

    ``compose`` numbers the figures in reading order and reads each file from the
    workspace's ``figures/`` folder (``figures.load_figures``), checked: both writers take
    the bytes from here and read nothing themselves.
    """

    src: str  # the path as written in the prose
    alt: str  # the alternative text: what the picture shows, for those who cannot see it
    caption: str = ""
    number: int = 0  # 1-based, reading order
    data: bytes = b""  # the file as read (PNG or JPEG)
    kind: str = ""  # "png" or "jpeg"
    pixels: tuple[int, int] = (0, 0)  # width, height
    dpi: float = 96.0  # from the file; 96 when it says nothing
    at: tuple[str, int | None] = ("", None)  # the file and line that wrote it, for messages

    def label(self) -> str:
        """The caption's number: "Figure 1."."""
        return f"Figure {self.number}."

    def caption_line(self) -> str:
        """The caption as printed: "Figure 1. The caption"."""
        return f"{self.label()} {self.caption}".strip()

    def size(self, max_width: float) -> tuple[float, float]:
        """Width and height in points: the picture's own size at its resolution, at most
        the column's width and 1.2 times that in height, its aspect ratio kept."""
        width_px, height_px = self.pixels
        if width_px <= 0 or height_px <= 0:
            return max_width, max_width * 0.6
        ratio = height_px / width_px
        width = min(width_px * 72.0 / (self.dpi or 96.0), max_width)
        height = width * ratio
        if height > 1.2 * max_width:
            height = 1.2 * max_width
            width = height / ratio
        return width, height


@dataclass(slots=True)
class Bibliography:
    """The source list: where the template puts ``::: sources``; filled by notes."""

    entries: list[list[Inline]] = field(default_factory=list)


Block = Heading | Paragraph | ListBlock | Quote | Table | Div | Figure | Bibliography

# --------------------------------------------------------------------------- document


@dataclass(slots=True)
class Meta:
    """What a writer needs to know about the brief beyond its body."""

    title: str
    topic: str
    date: _dt.date
    short_title: str = ""
    subtitle: str = ""
    date_text: str = ""  # the date as printed, e.g. "23 November 2026"
    marking: str = ""  # handling marking, e.g. "NATO UNCLASSIFIED"; "" for none
    author: str = ""
    organisation: str = ""
    keywords: list[str] = field(default_factory=list)
    language: str = "en-GB"
    page_size: str = "A4"  # "A4" or "Letter"
    review: bool = False  # a review copy: notes carry evidence for comments/annotations
    #: the newest cited source's date as printed ("29 August 2024"); set by the checks
    sources_to: str = ""

    def date_line(self) -> str:
        """The date as printed: ``date_text``, else the date in the brief's language."""
        if self.date_text.strip():
            return " ".join(self.date_text.split())
        d = self.date
        if (self.language or "").lower() == "en-us":
            return f"{d:%B} {d.day}, {d.year}"
        return f"{d.day} {d:%B} {d.year}"

    def byline(self) -> str:
        """Author and organisation, each once: "Policy Unit, Directorate"."""
        parts = (" ".join(x.split()) for x in (self.author, self.organisation))
        return ", ".join(dict.fromkeys(x for x in parts if x))


@dataclass(slots=True)
class Document:
    meta: Meta
    blocks: list[Block]

    def title_block(self) -> list[Paragraph]:
        """The title block, in order: title, subtitle, date, evidence cut-off, byline (empty
        lines left out).

        The handling marking is page furniture (top and foot of every page), not part of
        the title block. Both writers print exactly these paragraphs.
        """
        meta = self.meta
        lines = [(Role.TITLE, meta.title), (Role.SUBTITLE, meta.subtitle),
                 (Role.DATE, meta.date_line()),
                 (Role.CUTOFF, f"Sources to {meta.sources_to}" if meta.sources_to.strip() else ""),
                 (Role.BYLINE, meta.byline())]
        return [Paragraph([Text(" ".join(text.split()))], role) for role, text in lines
                if text.strip() or role is Role.TITLE]

    def notes(self) -> list[NoteRef]:
        """Every note mark in reading order."""
        return [n for n in iter_inlines(self.blocks) if isinstance(n, NoteRef)]


# --------------------------------------------------------------------------- walking


def iter_blocks(blocks: list[Block]) -> Iterator[Block]:
    """Every block, depth first, in reading order."""
    for block in blocks:
        yield block
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from iter_blocks(item)
        elif isinstance(block, (Quote, Div)):
            yield from iter_blocks(block.blocks)


def block_inlines(block: Block) -> Iterator[list[Inline]]:
    """The inline sequences a block holds directly, in reading order."""
    if isinstance(block, (Heading, Paragraph)):
        yield block.children
    elif isinstance(block, Table):
        yield from block.header
        for row in block.rows:
            yield from row
    elif isinstance(block, Bibliography):
        yield from block.entries


def iter_inlines(blocks: list[Block]) -> Iterator[Inline]:
    """Every inline node of the body, depth first, in reading order (not inside notes)."""

    for block in iter_blocks(blocks):
        for seq in block_inlines(block):
            for node in seq:  # the top level here, the rare nested levels below
                yield node
                if isinstance(node, (Emph, Strong, Link, Highlight)):
                    yield from _walk(node.children)


def _walk(inlines: list[Inline]) -> Iterator[Inline]:
    for node in inlines:
        yield node
        if isinstance(node, (Emph, Strong, Link, Highlight)):
            yield from _walk(node.children)


def plain_text(inlines: list[Inline]) -> str:
    """The text of inlines without marks or notes (for bookmarks, properties, search)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, (Emph, Strong, Link, Highlight)):
            out.append(plain_text(node.children))
        elif isinstance(node, LineBreak):
            out.append(" ")
    return "".join(out)


def copy_inlines(inlines: list[Inline]) -> list[Inline]:
    """A deep copy of inlines: the same text and marks, sharing no node with the original."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(Text(node.text))
        elif isinstance(node, Link):
            out.append(Link(node.url, copy_inlines(node.children)))
        elif isinstance(node, (Emph, Strong, Highlight)):
            out.append(type(node)(copy_inlines(node.children)))
        elif isinstance(node, LineBreak):
            out.append(LineBreak())
        else:  # a note mark: its own fields copied, its content too
            out.append(NoteRef([Citation(c.key, c.locator, c.pin_correction) for c in node.citations],
                               node.number, copy_inlines(node.content), list(node.evidence)))
    return out


def merge_text(inlines: list[Inline]) -> list[Inline]:
    """Adjacent ``Text`` nodes joined into one, empty ones dropped (a shallow pass)."""
    out: list[Inline] = []
    last: Text | None = None  # out[-1] when it is a Text
    for node in inlines:
        if node.__class__ is Text:
            if last is not None:
                last = out[-1] = Text(last.text + node.text)
            elif node.text:
                out.append(node)
                last = node
        else:
            out.append(node)
            last = None
    return out
