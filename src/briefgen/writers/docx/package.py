"""Where the DOCX writer meets python-docx: a base document set up and held as text.

python-docx opens a house template (``reference_docx``) with its body cleared, the
writer's setup is done on it (styles, settings, footnotes part, header and footer
parts, numbering part), and ``textual`` turns the result into an ``opc.Base``: each
part's bytes, and around where the writer's markup goes, the bytes before and after.
python-docx's own template goes the same way only to make or check the stored default
base (``default_bases``, ``opc.DATA``), which a build without a house template reads
instead, so that such a build imports neither python-docx nor lxml.

The internals used (``Part.rels``, ``NumberingPart``, ``default_content_types``) are
stable through python-docx 1.x, which pyproject pins; ``tests/test_docx_base.py``
exercises them against the installed version.
"""

from __future__ import annotations

import io
import os
import zipfile
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import docx as _python_docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.spec import default_content_types
from docx.oxml.parser import parse_xml
from docx.parts.comments import CommentsPart
from docx.shared import Twips
from lxml import etree

from ...errors import BriefgenError, Warn
from ...memo import Memo, between_builds
from . import opc
from .oxml import _SETTINGS_AFTER_FOOTNOTEPR, R_NS, W_ID, W_NS, W_VAL, _Element, _insert_before_first, _w
from .parts import get_or_add_footnotes_part
from .styles import setup_styles

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.section import Section

    from .writer import BaseSetup

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_STORIES = ("header", "first_page_header", "footer", "first_page_footer")

#: the house templates' bases so far, by their bytes and their setup (between builds only)
_BASES: Memo[opc.Base] = Memo(8)


def house_base(reference_docx: Path, warn: Warn, setup: BaseSetup) -> opc.Base:
    """The house template with its body cleared, set up (``textual``).

    The template is read by ``housedocx``: under limits, with no DTD, and rebuilt from an
    allow-list of parts (styles, theme, numbering, fonts, settings, page setup, headers
    and footers); ``warn`` hears what was left out that could act. A process that builds
    again and again (``memo.between_builds``) sets each template up once per setup.
    """
    from ...housedocx import sanitized_house_docx

    path = Path(reference_docx)
    data = sanitized_house_docx(path, str(path), warn)
    make = partial(_house, data, path, setup)
    return _BASES.get((data, setup), make) if between_builds() else make()


def _house(data: bytes, path: Path, setup: BaseSetup) -> opc.Base:
    try:
        word = _python_docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, TypeError,
            etree.XMLSyntaxError, OSError) as exc:
        reason = " ".join(str(exc).strip("\"'").split()) or type(exc).__name__
        raise BriefgenError(f"not a Word document (.docx): {reason}", path=path) from None
    return textual(_cleared(word), setup)


def default_bases() -> dict[str, opc.Base]:
    """python-docx's default template set up for each stored setup, with the language,
    the page size and the document properties left as placeholders (``opc``)."""
    from .writer import BaseSetup

    out = {}
    for review in (False, True):
        for figures in (False, True):
            setup = BaseSetup(house=True, review=review, language=opc.LANGUAGE, figures=figures)
            out[opc.variant(review, figures)] = textual(_cleared(_python_docx.Document()), setup)
    return out


def default_data() -> bytes:
    """The stored default bases (``opc.DATA``), as a zip with fixed timestamps."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in opc.dump(default_bases()).items():
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _cleared(word: WordDocument) -> WordDocument:
    body = word.element.body
    for child in list(body):
        if child.tag != _w("sectPr"):
            body.remove(child)
    package = word.part.package
    for rId, rel in list(package.rels.items()):  # the template's thumbnail
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rId)
    for rId, rel in list(word.part.rels.items()):  # Word 2010's copy of the styles
        if rel.reltype == _STYLES_WITH_EFFECTS:
            word.part.rels.pop(rId)
    return word


# --------------------------------------------------------------------------- the setup


def textual(word: WordDocument, setup: BaseSetup) -> opc.Base:
    """``word`` set up for a brief (styles, settings, parts), held as text."""
    style = setup_styles(word, house=setup.house, review=setup.review, language=setup.language,
                         figures=setup.figures)
    setup_settings(word, setup.language, house=setup.house)
    footnotes = get_or_add_footnotes_part(word.part)
    section = word.sections[-1]
    section.different_first_page_header_footer = True
    for kind in _STORIES:
        getattr(section, kind).is_linked_to_previous = False
    numbering = _numbering_element(word)
    if setup.house:  # the writer puts the brief's page size where these stand
        width, height, margin = opc.PAGE
        section.page_width, section.page_height = Twips(width), Twips(height)
        for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
            setattr(section, side, Twips(margin))
        section.header_distance = section.footer_distance = Twips(680)
        section.gutter = Twips(0)
    props = word.core_properties
    for name in opc.CORE_FIELDS:
        setattr(props, name, opc.core_placeholder(name))
    props.created, props.modified = opc.CORE_DATES
    props.revision = 1

    width = 0 if setup.house else _text_width(section)
    footnotes.reset()  # from here on the parts' roots may be rebound (``_bound``)
    body = word.element.body
    stories = tuple((kind, _slot(getattr(section, kind).part.partname,
                                 _emptied(getattr(section, kind).part.element), links=False))
                    for kind in _STORIES)
    first_num = next(numbering.iterchildren(_w("num")), None)
    numbering_slot = _slots(word.part.part_related_by(RT.NUMBERING).partname, numbering, first_num)
    abstract_ids = [int(e.get(_w("abstractNumId"), "0")) for e in numbering.iterchildren(_w("abstractNum"))]
    num_ids = [int(e.get(_w("numId"), "0")) for e in numbering.iterchildren(_w("num"))]
    comments = next((rel.target_part for rel in word.part.rels.values()
                     if rel.reltype == RT.COMMENTS and not rel.is_external), None)
    slots = {
        "body": _slot(word.part.partname, body, body.find(_w("sectPr"))),
        "footnotes": _slot(footnotes.partname, footnotes.element),
        "comments": opc.Slot("", b"", b""),  # only a review copy has comments
    }
    if setup.review:  # the template's comments part emptied (its comments would be orphans), or a new one
        part = comments if comments is not None else CommentsPart.default(word.part.package)
        slots["comments"] = _slot(part.partname, _emptied(part.element))
    filled = {slot.part for slot in slots.values() if slot.part} | {slot.part for _, slot in stories}
    filled.add(numbering_slot[0].part)
    parts = []
    for part in word.part.package.iter_parts():
        part.before_marshal()
        rels = tuple(opc.Rel(rel.rId, rel.reltype, rel.target_ref,
                             None if rel.is_external else str(rel.target_part.partname))
                     for rel in part.rels.values())
        override = (part.partname.ext.lower(), part.content_type) not in default_content_types
        blob = b"" if part.partname in filled else part.blob
        parts.append(opc.Part(str(part.partname), part.content_type, blob, rels, override))
    package_rels = tuple(opc.Rel(rel.rId, rel.reltype, rel.target_ref,
                                 None if rel.is_external else str(rel.target_part.partname))
                         for rel in word.part.package.rels.values())
    core = str(word.part.package._core_properties_part.partname)
    return opc.Base(
        parts=tuple(parts), rels=package_rels, style=tuple(style.items()), body=slots["body"],
        page=setup.house, text_width=width,
        footnotes=slots["footnotes"], stories=stories, numbering=numbering_slot[0],
        numbering_mid=numbering_slot[1], next_ids=(max(abstract_ids, default=-1) + 1, max(num_ids, default=0) + 1),
        comments=slots["comments"], comments_exist=comments is not None, core=core)


def setup_settings(word: WordDocument, language: str, *, house: bool) -> None:
    settings = word.settings.element
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
    for zoom in settings.findall(_w("zoom")):
        # python-docx's template leaves out w:percent, which ECMA-376 requires
        if zoom.get(_w("percent")) is None:
            zoom.set(_w("percent"), "100")
    theme_lang = settings.find(_w("themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(W_VAL, language)
    if house:
        for setting in settings.iter(_w("compatSetting")):
            if setting.get(_w("name")) == "compatibilityMode":
                setting.set(_w("val"), "15")  # not "[Compatibility Mode]" in Word


def _numbering_element(word: WordDocument) -> _Element:
    """The ``w:numbering`` root, adding a numbering part when the template has none."""
    try:
        return word.part.part_related_by(RT.NUMBERING).element  # type: ignore[attr-defined]
    except KeyError:
        pass
    from docx.opc.packuri import PackURI
    from docx.parts.numbering import NumberingPart

    element = parse_xml(f'<w:numbering xmlns:w="{W_NS}"/>'.encode())
    part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element, word.part.package)
    word.part.relate_to(part, RT.NUMBERING)
    return element


def _emptied(root: _Element) -> _Element:
    for child in list(root):
        root.remove(child)
    return root


def _slot(part: object, parent: _Element, before: _Element | None = None, *,
          links: bool = True) -> opc.Slot:
    """The part's bytes before and after where ``parent``'s new children go: before
    ``before``, else last.

    The writer's markup uses the prefix ``w`` (and ``r`` for ``links``); a root that
    binds them otherwise (a template saved by another tool) is bound as the markup
    needs first.
    """
    head, tail = _split(parent, [before], ("w", "r") if links else ("w",))
    return opc.Slot(str(part), head, tail)


def _slots(part: object, parent: _Element, before: _Element | None) -> tuple[opc.Slot, bytes]:
    """As ``_slot``, and also at the end: the slot around both places, and what is between."""
    head, mid, tail = _split(parent, [before, None], ("w",))
    return opc.Slot(str(part), head, tail), mid


def _split(parent: _Element, places: list[_Element | None], prefixes: tuple[str, ...]) -> list[bytes]:
    """The part's bytes cut where new children of ``parent`` would go: before each of
    ``places``, or last for None."""
    root = parent.getroottree().getroot()
    bound = _bound(root, prefixes)
    if parent is root:
        parent = bound
    marker_text = f"briefgen {os.urandom(12).hex()}"  # no template holds it
    markers = []
    for before in places:
        marker = etree.Comment(marker_text)
        markers.append(marker)
        if before is None:
            parent.append(marker)
        else:
            before.addprevious(marker)
    try:
        whole = etree.tostring(bound, encoding="UTF-8", standalone=True)
    finally:
        for marker in markers:
            parent.remove(marker)
    return whole.split(f"<!--{marker_text}-->".encode())


def _bound(root: _Element, prefixes: tuple[str, ...]) -> _Element:
    """``root``, or a copy of it binding ``prefixes`` as the writer's markup does."""
    wanted = {prefix: uri for prefix, uri in (("w", W_NS), ("r", R_NS)) if prefix in prefixes}
    if all(root.nsmap.get(prefix) == uri for prefix, uri in wanted.items()):
        return root
    nsmap = {prefix: uri for prefix, uri in root.nsmap.items()
             if prefix not in wanted and uri not in wanted.values()}
    nsmap.update(wanted)
    copy = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=nsmap)
    copy.extend(list(root))
    return copy


def _text_width(section: Section) -> int:
    """Twips between the margins, which places the header's and footer's tab stops."""
    def twips(length: int | None, default: int) -> int:
        return default if length is None else int(length) // 635  # EMU per twip

    width = twips(section.page_width, 11906)
    left, right = twips(section.left_margin, 1417), twips(section.right_margin, 1417)
    gutter = twips(section.gutter, 0)
    return max(width - left - right - gutter, 2880)

