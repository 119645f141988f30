"""The DOCX writer: a ``Document`` tree to a Word file with real footnotes.

What a Word user expects, pandoc's DOCX writer being the bar:

* built-in styles under their built-in names (Title, Subtitle, Heading 1-3, List
  Bullet, List Number, Quote, Bibliography, footnote text, footnote reference,
  Hyperlink), so the navigation pane, the style gallery and "update style" work;
* real footnotes (``word/footnotes.xml``, see ``docx_footnotes``) that Word renumbers
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

import bisect
import copy
import datetime as _dt
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import docx as _python_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.parser import parse_xml
from docx.shared import Twips
from lxml import etree

from ..document import (
    Bibliography, Block, Div, Document, Emph, Evidence, Heading, Inline, LineBreak, Link,
    ListBlock, Meta, NoteRef, Paragraph, Quote, Strong, Table, Text,
)
from ..errors import BriefgenError
from .docx_footnotes import FootnotesPart, get_or_add_comments_part, get_or_add_footnotes_part

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.opc.part import Part
    from docx.section import Section

Warn = Callable[[str], None]
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_Element = etree._Element

# --------------------------------------------------------------------------- names

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {"w": W_NS, "r": R_NS}


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


W_VAL = _w("val")
W_P, W_PPR, W_PSTYLE, W_R, W_RPR, W_RSTYLE = (_w(t) for t in ("p", "pPr", "pStyle", "r", "rPr", "rStyle"))
W_T, W_TAB, W_BR, W_B, W_BCS, W_I, W_ICS = (_w(t) for t in ("t", "tab", "br", "b", "bCs", "i", "iCs"))
W_HYPERLINK, W_FOOTNOTEREF, W_FOOTNOTEREFERENCE = _w("hyperlink"), _w("footnoteRef"), _w("footnoteReference")
W_ID, W_NAME = _w("id"), _w("name")
R_ID = f"{{{R_NS}}}id"
XML_SPACE = f"{{{XML_NS}}}space"

# Schema order of the children of w:pPr and w:rPr that this writer sets, so that an
# element added to an existing (template) property list lands where Word expects it.
_PPR_ORDER = [_w(t) for t in (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange")]
_RPR_ORDER = [_w(t) for t in (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
    "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color",
    "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd",
    "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")]
_SETTINGS_AFTER_FOOTNOTEPR = [_w(t) for t in (
    "endnotePr", "compat", "docVars", "rsids")] + [
    "{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"] + [_w(t) for t in (
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")]

# --------------------------------------------------------------------------- house look

FONT = "Calibri"  # LibreOffice substitutes the metric-compatible Carlito
NAVY = "1F3864"
BLUE = "2E5597"
GREY = "595959"
RULE = "A6B4C8"
GOLD = "B7862B"
BOX_FILL = "F3F6FA"
ASSESS_FILL = "FBF6EA"

_PAGE_SIZES = {  # twips: (width, height, margin)
    "A4": (11906, 16838, 1417),      # 210 x 297 mm, 2.5 cm margins
    "LETTER": (12240, 15840, 1440),  # 8.5 x 11 in, 1 in margins
}


@dataclass(frozen=True, slots=True)
class _StyleSpec:
    """One style the writer uses: its built-in (or house) name and the id it gets if added.

    ``house`` is the definition (inner XML of ``w:style``) written into the default
    template; with a house template (``reference_docx``) the organisation's own
    definition wins and ours is only added when the template lacks the style.
    ``redefine`` says whether the house look replaces python-docx's default template
    definition of a style that template already has.
    """

    key: str
    name: str
    style_id: str
    kind: str = "paragraph"
    house: str = ""
    based_on: str | None = "Normal"
    next_style: str | None = None
    redefine: bool = True
    ui_priority: int | None = None


def _border(side: str, color: str, size: int, space: int) -> str:
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/>'


def _box(bar: str, fill: str) -> str:
    """A shaded box with a coloured bar on the left; top and bottom borders in the fill
    colour pad the text. Paragraphs with identical borders join into one box."""
    return (f"<w:pBdr>{_border('top', fill, 4, 4)}{_border('left', bar, 24, 10)}"
            f"{_border('bottom', fill, 4, 4)}</w:pBdr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{fill}\"/>")


_BOX_BORDER = _box(BLUE, BOX_FILL)
_ASSESS_BORDER = _box(GOLD, ASSESS_FILL)
BOX_INDENT = 240  # twips between a box's bar and its text
_ASSESS_BOX: tuple[etree._Element, ...] = tuple(
    etree.fromstring(f'<w:pPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                     f"{_ASSESS_BORDER}</w:pPr>"))

_STYLES: tuple[_StyleSpec, ...] = (
    _StyleSpec("normal", "Normal", "Normal", based_on=None, redefine=False),
    _StyleSpec("title", "Title", "Title", next_style="Normal", ui_priority=10, house=(
        f'<w:pPr><w:pBdr>{_border("top", NAVY, 24, 12)}</w:pBdr>'
        '<w:spacing w:before="240" w:after="80" w:line="240" w:lineRule="auto"/>'
        '<w:contextualSpacing/></w:pPr>'
        f'<w:rPr><w:b/><w:bCs/><w:color w:val="{NAVY}"/><w:kern w:val="28"/>'
        '<w:sz w:val="48"/><w:szCs w:val="48"/></w:rPr>')),
    _StyleSpec("subtitle", "Subtitle", "Subtitle", next_style="Normal", ui_priority=11, house=(
        '<w:pPr><w:spacing w:before="0" w:after="160" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr><w:color w:val="{BLUE}"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>')),
    _StyleSpec("date", "Date", "Date", next_style="Normal", house=(
        '<w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>'
        f'<w:rPr><w:color w:val="{GREY}"/><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr>')),
    _StyleSpec("author", "Author", "Author", next_style="Normal", house=(
        '<w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>'
        f'<w:rPr><w:color w:val="{GREY}"/><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr>')),
    _StyleSpec("marking", "Marking", "Marking", house=(
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="center"/></w:pPr>'
        '<w:rPr><w:b/><w:bCs/><w:spacing w:val="10"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>')),
    *(
        _StyleSpec(f"heading{n}", f"heading {n}", f"Heading{n}", next_style="Normal",
                   ui_priority=9, house=(
                       f'<w:pPr><w:keepNext/><w:keepLines/>{pbdr}'
                       f'<w:spacing w:before="{before}" w:after="{after}"/>'
                       f'<w:outlineLvl w:val="{n - 1}"/></w:pPr>'
                       f'<w:rPr><w:b/><w:bCs/>{italic}<w:color w:val="{color}"/>'
                       f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'))
        for n, before, after, size, color, italic, pbdr in (
            (1, 360, 120, 30, NAVY, "", f"<w:pBdr>{_border('bottom', RULE, 6, 3)}</w:pBdr>"),
            (2, 240, 80, 25, NAVY, "", ""),
            (3, 200, 60, 22, BLUE, "<w:i/><w:iCs/>", ""),
        )
    ),
    _StyleSpec("question", "Question", "Question", next_style="Normal", house=(
        '<w:pPr><w:spacing w:before="120" w:after="200"/></w:pPr>'
        f'<w:rPr><w:i/><w:iCs/><w:color w:val="{NAVY}"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>')),
    _StyleSpec("lead", "Bottom Line", "BottomLine", next_style="Normal", house=(
        f'<w:pPr>{_BOX_BORDER}'
        '<w:spacing w:before="0" w:after="100" w:line="276" w:lineRule="auto"/>'
        f'<w:ind w:left="{BOX_INDENT}" w:right="{BOX_INDENT}"/></w:pPr>')),
    _StyleSpec("label", "Label", "Label", next_style="Normal", house=(
        '<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="60"/></w:pPr>'
        f'<w:rPr><w:b/><w:bCs/><w:caps/><w:color w:val="{NAVY}"/><w:spacing w:val="10"/>'
        '<w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>')),
    _StyleSpec("assessment", "Assessment", "Assessment", house=(
        f'<w:pPr>{_ASSESS_BORDER}'
        '<w:spacing w:before="0" w:after="100" w:line="276" w:lineRule="auto"/>'
        f'<w:ind w:left="{BOX_INDENT}" w:right="{BOX_INDENT}"/></w:pPr>')),
    _StyleSpec("assessment_label", "Assessment Label", "AssessmentLabel", next_style="Assessment",
               house=(
                   f'<w:pPr><w:keepNext/>{_ASSESS_BORDER}'
                   '<w:spacing w:before="160" w:after="60" w:line="276" w:lineRule="auto"/>'
                   f'<w:ind w:left="{BOX_INDENT}" w:right="{BOX_INDENT}"/></w:pPr>'
                   f'<w:rPr><w:b/><w:bCs/><w:caps/><w:color w:val="{GOLD}"/><w:spacing w:val="10"/>'
                   '<w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>')),
    _StyleSpec("quote", "Quote", "Quote", next_style="Normal", ui_priority=29, house=(
        '<w:pPr><w:spacing w:before="60" w:after="160" w:line="264" w:lineRule="auto"/>'
        '<w:ind w:left="567" w:right="567"/></w:pPr>'
        '<w:rPr><w:color w:val="404040"/><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr>')),
    _StyleSpec("list_bullet", "List Bullet", "ListBullet", redefine=False, house=(
        '<w:pPr><w:spacing w:after="80"/></w:pPr>')),
    _StyleSpec("list_bullet2", "List Bullet 2", "ListBullet2", redefine=False, house=(
        '<w:pPr><w:spacing w:after="80"/></w:pPr>')),
    _StyleSpec("list_number", "List Number", "ListNumber", redefine=False, house=(
        '<w:pPr><w:spacing w:after="80"/></w:pPr>')),
    _StyleSpec("list_number2", "List Number 2", "ListNumber2", redefine=False, house=(
        '<w:pPr><w:spacing w:after="80"/></w:pPr>')),
    _StyleSpec("list_continue", "List Continue", "ListContinue", redefine=False, house=(
        '<w:pPr><w:spacing w:after="80"/><w:ind w:left="425"/></w:pPr>')),
    _StyleSpec("bibliography", "Bibliography", "Bibliography", house=(
        '<w:pPr><w:spacing w:before="0" w:after="100" w:line="252" w:lineRule="auto"/>'
        '<w:ind w:left="567" w:hanging="567"/></w:pPr>'
        '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>')),
    _StyleSpec("table_text", "Table Text", "TableText", house=(
        '<w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>')),
    _StyleSpec("footnote_text", "footnote text", "FootnoteText", ui_priority=99, house=(
        '<w:pPr><w:spacing w:before="0" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>')),
    _StyleSpec("footnote_reference", "footnote reference", "FootnoteReference", kind="character",
               based_on="Default Paragraph Font", ui_priority=99,
               house='<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'),
    _StyleSpec("hyperlink", "Hyperlink", "Hyperlink", kind="character",
               based_on="Default Paragraph Font", ui_priority=99,
               house=f'<w:rPr><w:color w:val="{BLUE}"/><w:u w:val="single"/></w:rPr>'),
    _StyleSpec("header", "header", "Header", ui_priority=99, house=(
        f'<w:pPr><w:pBdr>{_border("bottom", RULE, 4, 4)}</w:pBdr>'
        '<w:spacing w:before="40" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr><w:color w:val="{GREY}"/><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>')),
    _StyleSpec("footer", "footer", "Footer", ui_priority=99, house=(
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr><w:color w:val="{GREY}"/><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>')),
    _StyleSpec("table", "Brief Table", "BriefTable", kind="table", based_on="Normal Table",
               ui_priority=59, house=(
                   '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
                   '<w:tblPr><w:tblBorders>'
                   f'{_border("top", NAVY, 8, 0)}{_border("bottom", NAVY, 8, 0)}'
                   f'{_border("insideH", RULE, 4, 0)}'
                   '</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/>'
                   '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/>'
                   '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>'
                   '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>'
                   f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{NAVY}"/></w:tcPr>'
                   '</w:tblStylePr>')),
)

# Styles only a review copy uses, under Word's built-in names, so that a non-review
# brief's styles part stays exactly as it was.
_REVIEW_STYLES: tuple[_StyleSpec, ...] = (
    _StyleSpec("comment_text", "annotation text", "CommentText", ui_priority=99, house=(
        '<w:pPr><w:spacing w:before="0" w:after="60" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>')),
    _StyleSpec("comment_reference", "annotation reference", "CommentReference", kind="character",
               based_on="Default Paragraph Font", ui_priority=99,
               house='<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>'),
)

# --------------------------------------------------------------------------- text


# Characters XML 1.0 cannot hold: C0 controls other than tab/newline/return, lone
# surrogates, U+FFFE and U+FFFF.
_ILLEGAL_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NEWLINES = re.compile("\r\n|\r|\n")
# What may follow a note mark in the source but belongs before it (Chicago 14.26).
_MOVE_BEFORE_MARK = frozenset(".,;:?!)\u201d\u2019\"'\u00bb")


class _Cleaner:
    """Drops characters XML cannot hold, and reports each field it had to touch once."""

    def __init__(self, warn: Warn):
        self._warn = warn
        self._dropped: dict[str, set[str]] = {}

    def __call__(self, text: str, where: str) -> str:
        if _ILLEGAL_XML.search(text) is None:
            return text
        self._dropped.setdefault(where, set()).update(_ILLEGAL_XML.findall(text))
        return _ILLEGAL_XML.sub("", text)

    def report(self) -> None:
        for where, chars in self._dropped.items():
            codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(chars))
            self._warn(f"{where}: dropped character(s) a document cannot hold: {codes}")


def place_marks(inlines: list[Inline]) -> list[Inline]:
    """The inlines with each note mark after its punctuation and never after a space.

    Chicago puts the superscript after all punctuation but a dash, and a mark never
    stands apart from the word it follows: punctuation (and closing quotes or
    parentheses) right after a mark moves before it; white space right before a mark
    moves after it. The input list is left untouched.
    """
    out = list(inlines)
    i = 0
    while i < len(out):
        if not isinstance(out[i], NoteRef):
            i += 1
            continue
        j = i
        while j < len(out) and isinstance(out[j], NoteRef):
            j += 1
        moved = ""
        follower = out[j] if j < len(out) else None
        if isinstance(follower, Text):
            k = 0
            while k < len(follower.text) and follower.text[k] in _MOVE_BEFORE_MARK:
                k += 1
            moved, out[j] = follower.text[:k], Text(follower.text[k:])
        space = ""
        before = out[i - 1] if i else None
        if isinstance(before, (Emph, Strong)):
            before, space = _strip_trailing_space(before)
            out[i - 1] = before
        if isinstance(before, Text):
            stripped = before.text.rstrip(" \u00a0")
            space = before.text[len(stripped):]
            out[i - 1] = Text(stripped + moved)
        elif moved:
            out.insert(i, Text(moved))
            i, j = i + 1, j + 1
        if space and not _starts_with_space(out[j:]):
            out.insert(j, Text(space))
        i = j
    return out


def _strip_trailing_space(node: Emph | Strong) -> tuple[Emph | Strong, str]:
    """A copy of ``node`` without the white space its last text ends with, and that space."""
    if not node.children:
        return node, ""
    last = node.children[-1]
    if isinstance(last, Text):
        stripped = last.text.rstrip(" \u00a0")
        return type(node)([*node.children[:-1], Text(stripped)]), last.text[len(stripped):]
    if isinstance(last, (Emph, Strong)):
        inner, space = _strip_trailing_space(last)
        return type(node)([*node.children[:-1], inner]), space
    return node, ""


def _starts_with_space(rest: list[Inline]) -> bool:
    """Whether what follows already opens with white space (or nothing follows)."""
    for node in rest:
        if isinstance(node, Text):
            if node.text:
                return node.text[0].isspace()
            continue
        return isinstance(node, LineBreak)
    return True


# --------------------------------------------------------------------------- public API


def render_docx(doc: Document, *, reference_docx: Path | None = None,
                warn: Warn | None = None) -> bytes:
    """The .docx file for ``doc``, as bytes; the same ``doc`` always gives the same bytes.

    ``reference_docx`` is a house template whose styles, fonts, margins and page size
    the brief takes (its body is discarded). ``warn`` receives one line for each
    field that lost characters XML cannot hold; without it, Python's ``warnings``
    module reports them.
    """
    report: Warn = warn if warn is not None else _python_warning
    word = _open_base(reference_docx)
    writer = _DocxWriter(word, doc, report, house=reference_docx is None)
    writer.build()
    return _deterministic_zip(word, writer.moment)


def _python_warning(message: str) -> None:
    import warnings

    warnings.warn(message, stacklevel=3)


# --------------------------------------------------------------------------- base document


def _open_base(reference_docx: Path | None) -> WordDocument:
    """python-docx's default template, or the house template with its body cleared."""
    if reference_docx is None:
        word = _python_docx.Document()
    else:
        path = Path(reference_docx)
        if not path.is_file():
            raise BriefgenError("reference document not found", path=path)
        try:
            if not zipfile.is_zipfile(path):  # python-docx would say "package not found"
                raise BriefgenError("not a Word document (.docx): not a zip archive", path=path)
            word = _python_docx.Document(str(path))
        except PermissionError as exc:
            raise BriefgenError(f"cannot read the reference document: {exc.strerror}", path=path) from None
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, TypeError,
                etree.XMLSyntaxError, OSError) as exc:
            reason = " ".join(str(exc).strip("\"'").split()) or type(exc).__name__
            raise BriefgenError(f"not a Word document (.docx): {reason}", path=path) from None
    body = word.element.body
    for child in list(body):
        if child.tag != _w("sectPr"):
            body.remove(child)
    _drop_stale_parts(word)
    return word


def _drop_stale_parts(word: WordDocument) -> None:
    """Drop the template's thumbnail and Word 2010 style copy: both would describe the template."""
    package = word.part.package
    for rId, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rId)
    for rId, rel in list(word.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            word.part.rels.pop(rId)


# --------------------------------------------------------------------------- the writer


class _RelIds:
    """External hyperlink relationships of one part, with ids from a counter."""

    def __init__(self, part: Part):
        self._part = part
        used = [int(r[3:]) for r in part.rels if r.startswith("rId") and r[3:].isdigit()]
        self._next = max(used, default=0) + 1
        self._by_url: dict[str, str] = {}

    def hyperlink(self, url: str) -> str:
        rid = self._by_url.get(url)
        if rid is None:
            while f"rId{self._next}" in self._part.rels:
                self._next += 1
            rid = f"rId{self._next}"
            self._next += 1
            self._part.rels.add_relationship(RT.HYPERLINK, url, rid, is_external=True)
            self._by_url[url] = rid
        return rid


class _Numbering:
    """List numbering: two multi-level definitions and one ``w:num`` per list.

    Each ordered list gets its own ``w:num`` so that it restarts at its own start
    number; bullets share one.
    """

    BULLETS = ("\u2022", "\u2013", "\u25e6")
    FORMATS = (("decimal", "%{n}."), ("lowerLetter", "%{n}."), ("lowerRoman", "%{n}."))
    STEP = 425  # twips of indent per level (0.75 cm)

    def __init__(self, word: WordDocument):
        self._root = _numbering_element(word)
        abstract_ids = [int(e.get(_w("abstractNumId"), "0")) for e in self._root.iterchildren(_w("abstractNum"))]
        num_ids = [int(e.get(_w("numId"), "0")) for e in self._root.iterchildren(_w("num"))]
        self._next_abstract = max(abstract_ids, default=-1) + 1
        self._next_num = max(num_ids, default=0) + 1
        self._abstract: dict[bool, int] = {}
        self._bullet_num: int | None = None

    def indent(self, level: int) -> int:
        return self.STEP * (level + 1)

    def new_list(self, ordered: bool, start: int, level: int) -> int:
        """The ``w:numId`` for a new list whose items sit at ``level``."""
        if not ordered and self._bullet_num is not None:
            return self._bullet_num
        abstract_id = self._abstract.get(ordered)
        if abstract_id is None:
            abstract_id = self._abstract[ordered] = self._add_abstract(ordered)
        num_id = self._next_num
        self._next_num += 1
        num = etree.SubElement(self._root, _w("num"))
        num.set(_w("numId"), str(num_id))
        etree.SubElement(num, _w("abstractNumId")).set(W_VAL, str(abstract_id))
        if ordered:
            override = etree.SubElement(num, _w("lvlOverride"))
            override.set(_w("ilvl"), str(level))
            etree.SubElement(override, _w("startOverride")).set(W_VAL, str(max(start, 0)))
        else:
            self._bullet_num = num_id
        return num_id

    def _add_abstract(self, ordered: bool) -> int:
        """A nine-level definition: decimal numbers (``ordered``) or bullets."""
        abstract_id = self._next_abstract
        self._next_abstract += 1
        abstract = etree.Element(_w("abstractNum"))
        abstract.set(_w("abstractNumId"), str(abstract_id))
        etree.SubElement(abstract, _w("nsid")).set(W_VAL, f"{0x2B1E0000 + abstract_id:08X}")
        etree.SubElement(abstract, _w("multiLevelType")).set(W_VAL, "hybridMultilevel")
        for level in range(9):
            lvl = etree.SubElement(abstract, _w("lvl"))
            lvl.set(_w("ilvl"), str(level))
            etree.SubElement(lvl, _w("start")).set(W_VAL, "1")
            if ordered:
                fmt, text = self.FORMATS[level % 3]
                etree.SubElement(lvl, _w("numFmt")).set(W_VAL, fmt)
                etree.SubElement(lvl, _w("lvlText")).set(W_VAL, text.format(n=level + 1))
            else:
                etree.SubElement(lvl, _w("numFmt")).set(W_VAL, "bullet")
                etree.SubElement(lvl, _w("lvlText")).set(W_VAL, self.BULLETS[level % 3])
            etree.SubElement(lvl, _w("lvlJc")).set(W_VAL, "left")
            ppr = etree.SubElement(lvl, W_PPR)
            ind = etree.SubElement(ppr, _w("ind"))
            ind.set(_w("left"), str(self.indent(level)))
            ind.set(_w("hanging"), str(self.STEP))
        # Every w:abstractNum precedes every w:num in numbering.xml.
        first_num = next(self._root.iterchildren(_w("num")), None)
        if first_num is None:
            self._root.append(abstract)
        else:
            first_num.addprevious(abstract)
        return abstract_id


def _numbering_element(word: WordDocument) -> _Element:
    """The ``w:numbering`` root, adding a numbering part when the template has none."""
    try:
        return word.part.part_related_by(RT.NUMBERING).element
    except KeyError:
        pass
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.packuri import PackURI
    from docx.parts.numbering import NumberingPart

    element = parse_xml(f'<w:numbering xmlns:w="{W_NS}"/>'.encode())
    package = word.part.package
    part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element, package)
    word.part.relate_to(part, RT.NUMBERING)
    return element


@dataclass(frozen=True, slots=True)
class _Ctx:
    """How plain paragraphs look where the writer currently is (body, quote, assessment)."""

    para_style: str = "normal"
    box: tuple[_Element, ...] = ()  # border and shading that list paragraphs copy into a box


class _DocxWriter:
    """One build: resolves styles once, then one method per node of the Document tree."""

    def __init__(self, word: WordDocument, doc: Document, warn: Warn, *, house: bool):
        self.word = word
        self.doc = doc
        self.meta = doc.meta
        self.warn = warn
        self.house = house
        self.clean = _Cleaner(warn)
        self.moment = _build_moment(doc.meta, warn)  # the file's dates and zip timestamps
        self.where = ""
        self.style: dict[str, str] = {}
        self.footnotes: FootnotesPart = get_or_add_footnotes_part(word.part)
        self.footnotes.reset()
        self.body_links = _RelIds(word.part)
        self.note_links = _RelIds(self.footnotes)
        self.numbering = _Numbering(word)
        self.note_count = 0
        self.bookmark_count = 0
        self.counts: dict[str, int] = {}
        # Plain lxml containers: building outside python-docx's proxy classes is fast.
        self.body = etree.Element(_w("body"), nsmap=NSMAP)
        self.notes = etree.Element(_w("footnotes"), nsmap=NSMAP)
        self.note_ids: list[int] = []
        # A review copy: each note with evidence gets a comment on its sentence.
        self.review = doc.meta.review and any(note.evidence for note in doc.notes())
        self.review_marks: list[tuple[_Element, NoteRef, int]] = []  # mark run, note, note id
        self.comments = etree.Element(_w("comments"), nsmap=NSMAP)
        self.box_tail: _Element | None = None  # last paragraph of an open shaded box
        self.after_table = False  # the next body paragraph follows a table
        self.text_width = 0  # twips between the margins, set with the page

    # ------------------------------------------------------------------ build

    def build(self) -> None:
        self._setup_styles()
        self._setup_page()
        self._setup_settings()
        self._title_block()
        self._blocks(self.body, self.doc.blocks, _Ctx())
        self._close_box()
        if self.review:
            self._review_comments()
        self._finish_body()
        self._page_furniture()
        self._properties()
        self.clean.report()

    def _finish_body(self) -> None:
        body = self.word.element.body
        sect_pr = body.find(_w("sectPr"))
        children = list(self.body)
        if not children or children[-1].tag == _w("tbl"):
            children.append(etree.Element(W_P))  # Word wants a paragraph after a table
        for child in children:
            if sect_pr is not None:
                sect_pr.addprevious(child)
            else:
                body.append(child)
        notes = list(self.notes)
        for note_id, paragraph in zip(self.note_ids, notes):
            self.footnotes.add_footnote(note_id, [paragraph])
        if self.review:
            part = get_or_add_comments_part(self.word.part)
            for comment in list(self.comments):
                part.element.append(comment)

    # ------------------------------------------------------------------ styles

    def _setup_styles(self) -> None:
        """Resolve every style the writer uses to its id, adding (or restyling) as needed."""
        styles = self.word.styles.element
        by_name: dict[str, _Element] = {}
        ids: set[str] = set()
        for style in styles.iterchildren(_w("style")):
            name = style.find(W_NAME)
            if name is not None:
                by_name.setdefault(name.get(W_VAL, "").lower(), style)
            ids.add(style.get(_w("styleId"), ""))

        def style_id_of(name: str | None) -> str | None:
            """A style's id by its name: localised templates use other ids for built-ins."""
            found = by_name.get((name or "").lower())
            return found.get(_w("styleId")) if found is not None else None

        for spec in _STYLES + (_REVIEW_STYLES if self.review else ()):
            existing = by_name.get(spec.name.lower())
            if existing is not None:
                style_id = existing.get(_w("styleId"))
                if self.house and spec.redefine and spec.house:
                    new = _style_element(spec, style_id, style_id_of)
                    existing.getparent().replace(existing, new)
                    by_name[spec.name.lower()] = new
            else:
                style_id = spec.style_id
                while style_id in ids:
                    style_id += "1"
                new = _style_element(spec, style_id, style_id_of)
                styles.append(new)
                ids.add(style_id)
                by_name[spec.name.lower()] = new
            self.style[spec.key] = style_id
        self._set_doc_defaults(styles)
        if self.house:
            self._set_theme_fonts()

    def _set_doc_defaults(self, styles: _Element) -> None:
        """Language everywhere (so spell-check uses it); in the house look, font and size too."""
        defaults = _child(styles, _w("docDefaults"), first=True)
        rpr_default = _child(defaults, _w("rPrDefault"), first=True)
        rpr = _child(rpr_default, W_RPR)
        lang = _ordered_child(rpr, _w("lang"), _RPR_ORDER)
        lang.set(W_VAL, self._meta_text(self.meta.language, "meta.language") or "en-GB")
        if not self.house:
            return
        fonts = _ordered_child(rpr, _w("rFonts"), _RPR_ORDER)
        for attr in ("asciiTheme", "hAnsiTheme", "cstheme"):  # a theme font would win
            fonts.attrib.pop(_w(attr), None)
        for attr in ("ascii", "hAnsi", "cs"):
            fonts.set(_w(attr), FONT)
        for tag in ("sz", "szCs"):
            _ordered_child(rpr, _w(tag), _RPR_ORDER).set(W_VAL, "22")
        ppr_default = _child(defaults, _w("pPrDefault"))
        ppr = _child(ppr_default, W_PPR)
        spacing = _ordered_child(ppr, _w("spacing"), _PPR_ORDER)
        for attr, value in (("after", "160"), ("line", "264"), ("lineRule", "auto")):
            spacing.set(_w(attr), value)

    def _set_theme_fonts(self) -> None:
        """Make the theme's heading and body fonts the house font, for styles we do not define."""
        theme = next((rel.target_part for rel in self.word.part.rels.values()
                      if rel.reltype == RT.THEME and not rel.is_external), None)
        if theme is None or not hasattr(theme, "_blob"):
            return
        root = etree.fromstring(theme.blob)
        for latin in root.iter(f"{{{A_NS}}}latin"):
            if latin.getparent().tag in (f"{{{A_NS}}}majorFont", f"{{{A_NS}}}minorFont"):
                latin.set("typeface", FONT)
        theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    # ------------------------------------------------------------------ page and settings

    def _setup_page(self) -> None:
        section = self.word.sections[-1]
        if self.house:
            size = (self.meta.page_size or "A4").upper()
            if size not in _PAGE_SIZES:
                self.warn(f"DOCX: unknown page size {self.meta.page_size!r}; using A4")
                size = "A4"
            width, height, margin = _PAGE_SIZES[size]
            section.page_width, section.page_height = Twips(width), Twips(height)
            for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
                setattr(section, side, Twips(margin))
            section.header_distance = section.footer_distance = Twips(680)
            section.gutter = Twips(0)
        self.text_width = _text_width(section)

    def _setup_settings(self) -> None:
        settings = self.word.settings.element
        for stale in settings.findall(_w("proofState")):  # "already proofed" would hide errors
            settings.remove(stale)
        old = settings.find(_w("footnotePr"))
        if old is not None:
            settings.remove(old)
        footnote_pr = etree.Element(_w("footnotePr"))
        etree.SubElement(footnote_pr, _w("pos")).set(W_VAL, "pageBottom")
        etree.SubElement(footnote_pr, _w("numFmt")).set(W_VAL, "decimal")
        for special in ("-1", "0"):
            etree.SubElement(footnote_pr, _w("footnote")).set(W_ID, special)
        _insert_before_first(settings, footnote_pr, _SETTINGS_AFTER_FOOTNOTEPR)
        theme_lang = settings.find(_w("themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(W_VAL, self._meta_text(self.meta.language, "meta.language")
                           or "en-GB")
        if self.house:
            for setting in settings.iter(_w("compatSetting")):
                if setting.get(_w("name")) == "compatibilityMode":
                    setting.set(_w("val"), "15")  # not "[Compatibility Mode]" in Word

    # ------------------------------------------------------------------ title block

    def _title_block(self) -> None:
        """Title, subtitle, date line and byline, in the styles pandoc reads as metadata.

        The marking above the title is the first page's header (see ``_page_furniture``):
        page furniture that stays put while the text is edited, and that leaves the
        title block first in the body, where pandoc and other readers look for it.
        """
        meta = self.meta
        self._text_para(self.body, "title", self._meta_text(meta.title, "meta.title"))
        subtitle = self._meta_text(meta.subtitle, "meta.subtitle")
        if subtitle:
            self._text_para(self.body, "subtitle", subtitle)
        date_text = self._meta_text(meta.date_text, "meta.date_text") or _date_text(meta)
        last = self._text_para(self.body, "date", date_text)
        byline = self._byline()
        if byline:
            last = self._text_para(self.body, "author", byline)
        _ordered_append(_ppr(last), _spacing(after=360), _PPR_ORDER)  # air before the text

    def _byline(self) -> str:
        author = self._meta_text(self.meta.author, "meta.author")
        org = self._meta_text(self.meta.organisation, "meta.organisation")
        return ", ".join(dict.fromkeys(x for x in (author, org) if x))

    def _meta_text(self, value: str, where: str) -> str:
        return _NEWLINES.sub(" ", self.clean(value or "", where)).strip()

    # ------------------------------------------------------------------ blocks

    def _blocks(self, parent: _Element, blocks: Iterable[Block], ctx: _Ctx) -> None:
        for block in blocks:
            if not (isinstance(block, Paragraph) and block.role == "lead"):
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

    def _paragraph(self, parent: _Element, block: Paragraph, ctx: _Ctx) -> None:
        self.where = self._count("paragraph")
        style = {"lead": "lead", "question": "question", "label": "label"}.get(block.role or "",
                                                                                ctx.para_style)
        p = self._para(parent, style)
        self._inlines(p, block.children)
        if style == "lead":
            self.box_tail = p

    def _heading(self, parent: _Element, block: Heading) -> None:
        self.where = self._count("heading")
        level = min(max(block.level, 1), 3)
        p = self._para(parent, f"heading{level}")
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
        if block.cls == "assessment":
            self._text_para(parent, "assessment_label", "Assessment")
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
                    p = self._para(parent, "list_continue")
                else:
                    p = self._para(parent, style)
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
                p = self._para(tc, "table_text")
                align = block.aligns[col] if col < len(block.aligns) else None
                if align in ("center", "right"):
                    etree.SubElement(_ppr(p), _w("jc")).set(W_VAL, "center" if align == "center" else "right")
                self._inlines(p, row[col] if col < len(row) else [])

    def _bibliography(self, parent: _Element, block: Bibliography) -> None:
        for entry in block.entries:
            self.where = self._count("bibliography entry")
            self._inlines(self._para(parent, "bibliography"), entry)

    # ------------------------------------------------------------------ paragraphs and runs

    def _para(self, parent: _Element, style_key: str) -> _Element:
        p = etree.SubElement(parent, W_P)
        if style_key != "normal":
            etree.SubElement(etree.SubElement(p, W_PPR), W_PSTYLE).set(W_VAL, self.style[style_key])
        if self.after_table and parent is self.body:
            # A table has no space below it; the text that follows takes some above.
            self.after_table = False
            if not style_key.startswith("heading"):
                _ordered_append(_ppr(p), _spacing(after=None, before=200), _PPR_ORDER)
        return p

    def _text_para(self, parent: _Element, style_key: str, text: str) -> _Element:
        p = self._para(parent, style_key)
        if text:
            self._run(p, text, False, False, None)
        return p

    def _inlines(self, parent: _Element, inlines: list[Inline], bold: bool = False,
                 italic: bool = False, rstyle: str | None = None, in_note: bool = False) -> None:
        if not in_note and any(isinstance(node, NoteRef) for node in inlines):
            inlines = place_marks(inlines)
        after_mark = False  # two marks in a row must not read as one number: "1,2" not "12"
        for node in inlines:
            if isinstance(node, Text) and not node.text:
                continue
            if isinstance(node, NoteRef) and after_mark and not in_note:
                self._run(parent, ",", False, False, self.style["footnote_reference"])
            after_mark = isinstance(node, NoteRef)
            if isinstance(node, Text):
                self._run(parent, self.clean(node.text, self.where), bold, italic, rstyle)
            elif isinstance(node, Emph):  # italic within italic turns roman, as in print
                self._inlines(parent, node.children, bold, not italic, rstyle, in_note)
            elif isinstance(node, Strong):
                self._inlines(parent, node.children, True, italic, rstyle, in_note)
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

    def _run(self, parent: _Element, text: str, bold: bool, italic: bool, rstyle: str | None) -> None:
        if "\n" in text or "\r" in text:
            text = _NEWLINES.sub(" ", text)
        r = etree.SubElement(parent, W_R)
        if rstyle or bold or italic:
            rpr = etree.SubElement(r, W_RPR)
            if rstyle:
                etree.SubElement(rpr, W_RSTYLE).set(W_VAL, rstyle)
            if bold:
                etree.SubElement(rpr, W_B)
                etree.SubElement(rpr, W_BCS)
            if italic:
                etree.SubElement(rpr, W_I)
                etree.SubElement(rpr, W_ICS)
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
        if not url:
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
        p = self._para(self.notes, "footnote_text")
        mark = etree.SubElement(p, W_R)
        etree.SubElement(etree.SubElement(mark, W_RPR), W_RSTYLE).set(W_VAL, self.style["footnote_reference"])
        etree.SubElement(mark, W_FOOTNOTEREF)
        content = node.content
        if content and isinstance(content[0], Text):  # one run for the space and the first text
            content = [Text(" " + content[0].text), *content[1:]]
        else:
            self._run(p, " ", False, False, None)
        if not node.content:
            self.warn(f"DOCX: note {note_id} has no text")
        self._inlines(p, content, in_note=True)
        self.note_ids.append(note_id)
        self.where = where

    # ------------------------------------------------------------------ review comments

    def _review_comments(self) -> None:
        """One Word comment per note with evidence, anchored on the sentence the note cites.

        Runs after the body is built, paragraph by paragraph: the sentence of each mark
        is found in the paragraph's text as written (marks already after their
        punctuation), then the runs are split where sentences start. Comment ids count
        up in reading order, so the comments part reads in the order of the notes.

        The ids start above every footnote and bookmark id: OOXML keeps them apart,
        but LibreOffice (7.4) mixes up the text of a footnote whose id a comment also
        has (a comment with id 0, the continuation separator's id, shifts every note
        after it by one).
        """
        base = max(self.note_count, self.bookmark_count) + 1
        index = 0
        while index < len(self.review_marks):
            paragraph = _paragraph_of(self.review_marks[index][0])
            end = index + 1
            while end < len(self.review_marks) and _paragraph_of(self.review_marks[end][0]) is paragraph:
                end += 1
            marks = self.review_marks[index:end]
            starts = _sentence_starts(paragraph, {id(run) for run, _, _ in marks})
            for offset, (run, node, note_id) in enumerate(marks):
                comment_id = base + index + offset
                self.comments.append(self._comment(comment_id, node, note_id))
                _mark_comment_end(run, comment_id, self.style["comment_reference"])
            # Split runs from the last start backwards so earlier positions stay valid;
            # marks citing the same sentence share one split.
            by_start: dict[int, tuple[_Element, int, list[int]]] = {}
            for offset, (run, _, _) in enumerate(marks):
                position, holder, char = starts[id(run)]
                by_start.setdefault(position, (holder, char, []))[2].append(base + index + offset)
            for position in sorted(by_start, reverse=True):
                holder, char, comment_ids = by_start[position]
                _mark_comment_start(holder, char, comment_ids)
            index = end

    def _comment(self, comment_id: int, node: NoteRef, note_id: int) -> _Element:
        """The ``w:comment`` for one note: a paragraph per extract behind it."""
        comment = etree.Element(_w("comment"))
        comment.set(W_ID, str(comment_id))
        comment.set(_w("author"), "briefgen")
        comment.set(_w("date"), self.moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
        comment.set(_w("initials"), "BG")
        where, self.where = self.where, f"the evidence of note {note_id}"
        for number, evidence in enumerate(node.evidence):
            p = self._para(comment, "comment_text")
            if number == 0:  # Word ties the comment's text to its mark with this run
                ref = etree.SubElement(p, W_R)
                etree.SubElement(etree.SubElement(ref, W_RPR), W_RSTYLE).set(
                    W_VAL, self.style["comment_reference"])
                etree.SubElement(ref, _w("annotationRef"))
            quote, source = _evidence_lines(evidence)
            self._run(p, self.clean(quote, self.where), False, False, None)
            self._run(p, self.clean(source, self.where), False, False, None)
            if evidence.caveat:
                self._run(p, " Caveat: ", False, True, None)
                self._run(p, self.clean(evidence.caveat, self.where), False, False, None)
        self.where = where
        return comment

    # ------------------------------------------------------------------ header and footer

    def _page_furniture(self) -> None:
        """Marking, short title and date at the top; marking and "Page X of Y" at the foot.

        The first page, which carries the title block, has only the marking at its
        top; every page, the first included, has the same footer.
        """
        section = self.word.sections[-1]
        section.different_first_page_header_footer = True
        marking = self._meta_text(self.meta.marking, "meta.marking")
        short = (self._meta_text(self.meta.short_title, "meta.short_title")
                 or self._meta_text(self.meta.title, "meta.title"))
        date_text = self._meta_text(self.meta.date_text, "meta.date_text") or _date_text(self.meta)

        header = _story_root(section, "header")
        if marking:
            self._text_para(header, "marking", marking)
        line = self._para(header, "header")
        _tabs(line, [("right", self.text_width)])
        self._run(line, short, False, False, None)
        etree.SubElement(etree.SubElement(line, W_R), W_TAB)
        self._run(line, date_text, False, False, None)

        first = _story_root(section, "first_page_header")
        if marking:
            self._text_para(first, "marking", marking)
        else:
            first.append(etree.Element(W_P))
        for kind in ("footer", "first_page_footer"):
            self._footer(_story_root(section, kind), marking)

    def _footer(self, root: _Element, marking: str) -> None:
        p = self._para(root, "footer")
        _tabs(p, [("center", self.text_width // 2), ("right", self.text_width)])
        etree.SubElement(etree.SubElement(p, W_R), W_TAB)
        if marking:
            self._run(p, marking, True, False, None)
        etree.SubElement(etree.SubElement(p, W_R), W_TAB)
        self._run(p, "Page ", False, False, None)
        _field(p, "PAGE", "1")
        self._run(p, " of ", False, False, None)
        _field(p, "NUMPAGES", "1")

    # ------------------------------------------------------------------ properties

    def _properties(self) -> None:
        meta = self.meta
        props = self.word.core_properties
        moment = self.moment
        author = (self._meta_text(meta.author, "meta.author")
                  or self._meta_text(meta.organisation, "meta.organisation"))
        keywords = "; ".join(self._meta_text(k, "meta.keywords") for k in meta.keywords)
        values = {
            "title": self._meta_text(meta.title, "meta.title"),
            "subject": self._meta_text(meta.topic, "meta.topic"),
            "author": author,
            "last_modified_by": author,
            "keywords": keywords,
            "language": self._meta_text(meta.language, "meta.language") or "en-GB",
            "comments": "",
            "category": "",
        }
        for name, value in values.items():
            if len(value) > 255:  # the limit Word (and python-docx) put on these fields
                self.warn(f"DOCX: document property {name} cut to 255 characters")
                value = value[:255]
            setattr(props, name, value)
        props.created = props.modified = moment
        props.revision = 1


# --------------------------------------------------------------------------- review helpers


def _evidence_lines(evidence: Evidence) -> tuple[str, str]:
    """The quotation, verbatim in quotation marks, and `` — source, para. N [extract-id]``.

    The source is the shortened note, which may already end in the paragraph
    ("…,” para. 4."); the paragraph is added only when it does not.
    """
    source = evidence.source.strip().rstrip(".")
    if evidence.paragraph and not re.search(rf"\bparas?\. {evidence.paragraph}\b", source):
        source += f", para. {evidence.paragraph}"
    return f"\u201c{evidence.quote}\u201d", f" \u2014 {source} [{evidence.extract_id}]"


def _paragraph_of(run: _Element) -> _Element:
    """The ``w:p`` a run stands in (a run may sit inside a hyperlink)."""
    return next(run.iterancestors(W_P))


def _run_text(run: _Element) -> str:
    """What a run shows, one character per tab or break, as the sentence search sees it."""
    out: list[str] = []
    for child in run:
        if child.tag == W_T:
            out.append(child.text or "")
        elif child.tag == W_TAB:
            out.append("\t")
        elif child.tag == W_BR:
            out.append("\n")
    return "".join(out)


# A sentence ends at ".", "?" or "!", perhaps followed by closing quotes or brackets,
# then white space; ``_sentence_start`` vets each candidate.
_SENTENCE_END = re.compile("[.?!][\u201d\u2019\"')\\]]*\\s+")
# Words whose full stop does not end a sentence, as they occur in briefs and notes.
_ABBREVIATIONS = frozenset({
    "e.g", "i.e", "cf", "vs", "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "para", "paras",
    "vol", "ch", "art", "gen", "lt", "col", "adm", "capt", "maj", "sgt", "rep", "sen", "gov",
    "amb", "jr", "sr", "approx", "fig"})


def _sentence_start(text: str, lo: int, hi: int) -> int:
    """Where the sentence that ends at ``hi`` (a note mark) starts, not before ``lo``.

    The last full stop, question or exclamation mark in ``text[lo:hi]`` that is
    followed by white space and a capital, digit or opening quote, and that does not
    close an abbreviation or an initial, ends the sentence before; white space after
    it is skipped.
    """
    start = lo
    for match in _SENTENCE_END.finditer(text, lo, hi):
        after = match.end()
        if after >= hi:
            break
        follower = text[after:hi].lstrip("\u201c\u2018\"'([")[:1]
        if not follower or not (follower.isupper() or follower.isdigit()):
            continue
        if text[match.start()] == ".":
            before = re.search(r"[\w.]*$", text[lo:match.start()])
            word = before.group(0) if before else ""
            if (word.lower() in _ABBREVIATIONS or len(word) == 1
                    or re.fullmatch(r"(?:\w\.)+\w", word)):
                continue
        start = after
    while start < hi and text[start].isspace():
        start += 1
    return start


def _sentence_starts(paragraph: _Element, wanted: set[int]) -> dict[int, tuple[int, _Element, int]]:
    """For each wanted mark run (by ``id``): where its sentence starts in the paragraph.

    Each value is (position in the paragraph's text, the run holding it, the offset
    in that run). A sentence starts after the previous sentence end, the previous
    note mark in the paragraph or the paragraph start; a mark that follows another
    with only a separating comma between cites the same sentence, so it starts
    where that one's does.
    """
    text = ""
    spans: list[tuple[int, _Element]] = []  # (position, run) of each run with text
    previous_mark_end: int | None = None
    previous_start = 0
    found: dict[int, tuple[int, _Element, int]] = {}
    for run in paragraph.iter(W_R):
        if run.find(W_FOOTNOTEREFERENCE) is not None:
            here = len(text)
            if previous_mark_end is not None and not text[previous_mark_end:here].strip(" ,\u00a0"):
                start = previous_start
            else:
                start = _sentence_start(text, previous_mark_end or 0, here)
            if id(run) in wanted:
                found[id(run)] = _locate(start, here, spans, run)
            previous_mark_end, previous_start = here, start
            continue
        shown = _run_text(run)
        if shown:
            spans.append((len(text), run))
            text += shown
    return found


def _locate(position: int, mark_position: int, spans: list[tuple[int, _Element]],
            mark: _Element) -> tuple[int, _Element, int]:
    """The run and offset of ``position``; the mark itself when the sentence is empty."""
    if position >= mark_position:
        return position, mark, 0
    index = bisect.bisect_right([start for start, _ in spans], position) - 1
    start, run = spans[index]
    return position, run, position - start


def _mark_comment_start(run: _Element, offset: int, comment_ids: list[int]) -> None:
    """Put a ``w:commentRangeStart`` per id before character ``offset`` of ``run``, split there."""
    target = _split_run(run, offset) if offset else run
    parent = target.getparent()
    if parent.tag == W_HYPERLINK and parent.index(target) == 0:
        target = parent  # at a link's first character: start the range outside the link
    for comment_id in comment_ids:  # each lands just before the target: ids stay in order
        start = etree.Element(_w("commentRangeStart"))
        start.set(W_ID, str(comment_id))
        target.addprevious(start)


def _mark_comment_end(mark: _Element, comment_id: int, reference_style: str) -> None:
    """After the note mark: ``w:commentRangeEnd`` and the run holding ``w:commentReference``."""
    end = etree.Element(_w("commentRangeEnd"))
    end.set(W_ID, str(comment_id))
    reference = etree.Element(W_R)
    etree.SubElement(etree.SubElement(reference, W_RPR), W_RSTYLE).set(W_VAL, reference_style)
    etree.SubElement(reference, _w("commentReference")).set(W_ID, str(comment_id))
    mark.addnext(end)
    end.addnext(reference)


def _split_run(run: _Element, offset: int) -> _Element:
    """Split ``run`` before character ``offset`` (as ``_run_text`` counts); return the second run."""
    second = etree.Element(W_R)
    rpr = run.find(W_RPR)
    if rpr is not None:
        second.append(copy.deepcopy(rpr))
    position = 0
    moving: list[_Element] = []
    for child in run:
        if child.tag == W_RPR:
            continue
        if moving:
            moving.append(child)
            continue
        length = len(child.text or "") if child.tag == W_T else 1 if child.tag in (W_TAB, W_BR) else 0
        if position + length <= offset:
            position += length
            continue
        if child.tag == W_T and position < offset:
            cut = offset - position
            tail = etree.Element(W_T)
            _set_text(tail, (child.text or "")[cut:])
            _set_text(child, (child.text or "")[:cut])
            moving.append(tail)
        else:
            moving.append(child)
    for child in moving:
        second.append(child)  # appending moves the element out of ``run``
    run.addnext(second)
    return second


def _set_text(t: _Element, text: str) -> None:
    """A ``w:t``'s text, keeping outer and doubled spaces as ``_run`` does."""
    t.text = text
    if text and (text[0] == " " or text[-1] == " " or "  " in text):
        t.set(XML_SPACE, "preserve")
    else:
        t.attrib.pop(XML_SPACE, None)


# --------------------------------------------------------------------------- helpers


def _style_element(spec: _StyleSpec, style_id: str,
                   style_id_of: Callable[[str | None], str | None]) -> _Element:
    """A ``w:style`` for ``spec`` under ``style_id`` (constant markup: names are ours).

    ``style_id_of`` finds the id of the style a definition is based on, or is
    followed by, from that style's name.
    """
    custom = ' w:customStyle="1"' if spec.key in _CUSTOM else ""
    parts = [f'<w:style xmlns:w="{W_NS}" w:type="{spec.kind}" w:styleId="{style_id}"{custom}>',
             f'<w:name w:val="{spec.name}"/>']
    based_on = style_id_of(spec.based_on)
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    next_style = style_id_of(spec.next_style)
    if next_style:
        parts.append(f'<w:next w:val="{next_style}"/>')
    if spec.ui_priority is not None:
        parts.append(f'<w:uiPriority w:val="{spec.ui_priority}"/>')
    if spec.key in _BACKSTAGE:  # as Word defines them: shown in the gallery only once used
        parts.append("<w:semiHidden/><w:unhideWhenUsed/>")
    elif spec.kind == "paragraph":
        parts.append("<w:qFormat/>")
    parts.append(spec.house)
    parts.append("</w:style>")
    return parse_xml("".join(parts).encode())


# Styles Word keeps out of the quick-style gallery until a document uses them.
_BACKSTAGE = frozenset({"footnote_text", "footnote_reference", "hyperlink", "header", "footer",
                        "list_bullet", "list_bullet2", "list_number", "list_number2",
                        "list_continue", "bibliography", "table_text", "date", "comment_text",
                        "comment_reference"})

# Styles that are the house's own, not Word built-ins.
_CUSTOM = frozenset({"marking", "author", "question", "lead", "label", "assessment",
                     "assessment_label", "table_text", "table"})


def _child(parent: _Element, tag: str, first: bool = False) -> _Element:
    found = parent.find(tag)
    if found is None:
        found = etree.Element(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def _ordered_child(parent: _Element, tag: str, order: list[str]) -> _Element:
    """The child ``tag`` of ``parent``, inserted at its schema position when missing."""
    found = parent.find(tag)
    if found is None:
        found = etree.Element(tag)
        _insert_before_first(parent, found, order[order.index(tag) + 1:])
    return found


def _insert_before_first(parent: _Element, element: _Element, successors: list[str]) -> None:
    wanted = set(successors)
    for child in parent:
        if child.tag in wanted:
            child.addprevious(element)
            return
    parent.append(element)


def _ordered_append(parent: _Element, element: _Element, order: list[str]) -> None:
    """Add ``element`` to ``parent`` at its schema position."""
    _insert_before_first(parent, element, order[order.index(element.tag) + 1:])


def _ppr(p: _Element) -> _Element:
    ppr = p.find(W_PPR)
    if ppr is None:
        ppr = etree.Element(W_PPR)
        p.insert(0, ppr)
    return ppr


def _spacing(after: int | None, line: int | None = None, before: int = 0) -> _Element:
    spacing = etree.Element(_w("spacing"))
    spacing.set(_w("before"), str(before))
    if after is not None:
        spacing.set(_w("after"), str(after))
    if line is not None:
        spacing.set(_w("line"), str(line))
        spacing.set(_w("lineRule"), "exact")
    return spacing


def _tabs(p: _Element, stops: list[tuple[str, int]]) -> None:
    tabs = etree.Element(_w("tabs"))
    for kind, pos in stops:
        tab = etree.SubElement(tabs, _w("tab"))
        tab.set(W_VAL, kind)
        tab.set(_w("pos"), str(pos))
    _insert_before_first(_ppr(p), tabs, _PPR_ORDER[_PPR_ORDER.index(_w("tabs")) + 1:])


def _field(p: _Element, instruction: str, placeholder: str) -> None:
    """A complex field (``PAGE``, ``NUMPAGES``): Word and LibreOffice compute its value."""
    for kind in ("begin", None, "separate", placeholder, "end"):
        r = etree.SubElement(p, W_R)
        if kind is None:
            instr = etree.SubElement(r, _w("instrText"))
            instr.text = f" {instruction} "
            instr.set(XML_SPACE, "preserve")
        elif kind in ("begin", "separate", "end"):
            etree.SubElement(r, _w("fldChar")).set(_w("fldCharType"), kind)
        else:
            etree.SubElement(r, W_T).text = kind


def _story_root(section: Section, kind: str) -> _Element:
    """The emptied root element (``w:hdr``/``w:ftr``) of one of the section's headers or footers."""
    story = getattr(section, kind)
    story.is_linked_to_previous = False
    root = story.part.element
    for child in list(root):
        root.remove(child)
    return root


def _text_width(section: Section) -> int:
    """Twips between the margins, which places the header's and footer's tab stops."""
    def twips(length: int | None, default: int) -> int:
        return default if length is None else int(length) // 635  # EMU per twip

    width = twips(section.page_width, 11906)
    left, right = twips(section.left_margin, 1417), twips(section.right_margin, 1417)
    gutter = twips(section.gutter, 0)
    return max(width - left - right - gutter, 2880)


def _column_widths(ncols: int, total: int, role: str | None) -> list[int]:
    if role == "chronology" and ncols == 2:  # a date column, then the event
        first = total * 22 // 100
        return [first, total - first]
    base = total // ncols
    return [base] * (ncols - 1) + [total - base * (ncols - 1)]


def _date_text(meta: Meta) -> str:
    d = meta.date
    if (meta.language or "").lower() == "en-us":
        return f"{d:%B} {d.day}, {d.year}"
    return f"{d.day} {d:%B} {d.year}"


def _build_moment(meta: Meta, warn: Warn) -> _dt.datetime:
    """When the file says it was made: ``SOURCE_DATE_EPOCH`` if set, else the brief's date (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            warn(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds; using the brief's date")
    return _dt.datetime(meta.date.year, meta.date.month, meta.date.day)


class _FixedTimeZip:
    """A package writer for python-docx's ``PackageWriter``: every entry one fixed time."""

    def __init__(self, out: io.BytesIO, stamp: tuple[int, ...]):
        self.zipf = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
        self.stamp = stamp

    def write(self, pack_uri, blob: bytes) -> None:
        self.zipf.writestr(_entry(pack_uri.membername, self.stamp), blob)


def _entry(name: str, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=stamp)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.create_system = 0
    entry.external_attr = 0
    return entry


def _deterministic_zip(word: WordDocument, moment: _dt.datetime) -> bytes:
    """The package as bytes, every zip entry stamped with one fixed time.

    python-docx stamps each entry with the current time. Its ``PackageWriter`` steps
    (stable through python-docx 1.x, which pyproject pins) are driven here with a writer
    that stamps a fixed time instead, so equal documents are equal bytes and the package
    is compressed only once.
    """
    from docx.opc.pkgwriter import PackageWriter

    stamp = max(moment, _dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    package = word.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    writer = _FixedTimeZip(out, stamp)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    writer.zipf.close()
    return out.getvalue()
