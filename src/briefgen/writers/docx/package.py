"""Where the DOCX writer meets python-docx's package: the only module using its internals.

Opening the base document (python-docx's default template, or a house template with
its body cleared), relationship ids for hyperlinks, the numbering part, and the
package's bytes: each part's XML (the body and the notes written straight into their
parts' bytes, ``spliced``) zipped with fixed timestamps (``zipped``). The internals used
(``Part.rels``, ``NumberingPart``, the content-types item ``PackageWriter`` writes) are
stable through python-docx 1.x, which pyproject pins; ``tests/test_docx.py`` exercises
each against the installed version.
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import docx as _python_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.parser import parse_xml
from lxml import etree

from ...errors import BriefgenError, Warn
from ...memo import Memo, between_builds
from .markup import attr
from .oxml import R_NS, W_NS, _Element, _w
from .zipped import Stamp, zip_package

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.opc.part import Part
    from docx.opc.rel import Relationships

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


@dataclass(frozen=True, slots=True)
class Base:
    """A brief's base document, set up (``open_base``)."""

    word: WordDocument
    style: dict[str, str]  # what the setup returned: each style's id, by the writer's key
    blobs: dict[str, bytes]  # parts already serialized, by part name


@dataclass(frozen=True, slots=True)
class _Kept:
    """A base kept between builds, and its styles part: element and bytes."""

    word: WordDocument
    style: dict[str, str]
    styles: _Element | None
    styles_blob: tuple[str, bytes] | None


#: the bases opened so far, as parsed and set up, by their bytes (b"" for python-docx's
#: own) and their setup
_BASES: Memo[_Kept] = Memo(8)

Setup = Callable[["WordDocument"], dict[str, str]]


def open_base(reference_docx: Path | None, warn: Warn | None = None,
              setup: Setup | None = None) -> Base:
    """python-docx's default template, or the house template with its body cleared, then
    ``setup`` (the writer's styles, settings and parts) done on it.

    A house template is read by ``housedocx``: under limits, with no DTD, and rebuilt from
    an allow-list of parts (styles, theme, numbering, fonts, settings, page setup,
    headers and footers); ``warn`` hears what was left out that could act.

    A process that builds again and again (``memo.between_builds``) parses and sets up
    each base once, keyed by its bytes and by ``setup`` (hashable: equal setups do the
    same). Every build gets its own deep copy (the writer changes sections and adds
    parts and lists), except of the styles part, which the setup is the last to change:
    its element is shared and its bytes, serialized once, go into every build's package.
    A one-off build parses its base itself.
    """
    if reference_docx is None:
        key, opened = b"", partial(_cleared, _python_docx.Document)
    else:
        from ...housedocx import sanitized_house_docx

        path = Path(reference_docx)
        data = sanitized_house_docx(path, str(path), warn or (lambda message: None))
        key, opened = data, partial(_cleared, partial(_open_house, data, path))
    if not between_builds():
        word = opened()
        return Base(word, setup(word) if setup is not None else {}, {})
    kept = _BASES.get((key, setup), partial(_keep, opened, setup))
    shared = {} if kept.styles is None else {id(kept.styles): kept.styles}
    blobs = dict([kept.styles_blob]) if kept.styles_blob is not None else {}
    return Base(copy.deepcopy(kept.word, shared), dict(kept.style), blobs)


def _keep(opened: Callable[[], WordDocument], setup: Setup | None) -> _Kept:
    word = opened()
    style = setup(word) if setup is not None else {}
    try:
        part = word.part.part_related_by(RT.STYLES)
    except KeyError:
        return _Kept(word, style, None, None)
    element = part.element  # type: ignore[attr-defined]
    blob = etree.tostring(element, encoding="UTF-8", standalone=True)
    return _Kept(word, style, element, (part.partname, blob))


def _open_house(data: bytes, path: Path) -> WordDocument:
    try:
        return _python_docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, TypeError,
            etree.XMLSyntaxError, OSError) as exc:
        reason = " ".join(str(exc).strip("\"'").split()) or type(exc).__name__
        raise BriefgenError(f"not a Word document (.docx): {reason}", path=path) from None


def _cleared(open_document: Callable[[], WordDocument]) -> WordDocument:
    word = open_document()
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


class RelIds:
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


def numbering_element(word: WordDocument) -> _Element:
    """The ``w:numbering`` root, adding a numbering part when the template has none."""
    try:
        return word.part.part_related_by(RT.NUMBERING).element  # type: ignore[attr-defined]
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


def picture_inline(word: WordDocument, data: bytes, name: str, shape_id: int, cx: int, cy: int,
                   descr: str) -> _Element:
    """A ``wp:inline`` picture of ``data`` (PNG or JPEG), ``cx`` by ``cy`` EMU, its alt
    text in ``wp:docPr/@descr``; the image part is added once per distinct picture."""
    from docx.image.exceptions import UnrecognizedImageError
    from docx.oxml.shape import CT_Inline
    from docx.shared import Emu

    try:
        rid, _ = word.part.get_or_add_image(io.BytesIO(data))
    except (UnrecognizedImageError, ValueError, KeyError, IndexError, EOFError, struct.error):
        # a picture python-docx's header reader cannot read (a JPEG without JFIF or Exif
        # header, as CMYK JPEGs often are): PIL has decoded it, so it goes in as a PNG
        rid, _ = word.part.get_or_add_image(io.BytesIO(_as_png(data)))
    inline = CT_Inline.new_pic_inline(shape_id, rid, name, Emu(cx), Emu(cy))
    inline.docPr.set("descr", descr)
    return inline


def _as_png(data: bytes) -> bytes:
    """The picture re-encoded as an RGB(A) PNG (lossless; the same input, the same bytes)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        converted = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    out = io.BytesIO()
    converted.save(out, format="PNG", optimize=False)
    return out.getvalue()


def spliced(parent: _Element, content: bytes, before: _Element | None = None) -> bytes | None:
    """The XML of the part holding ``parent``, with ``content`` (markup in the prefixes
    ``w`` and ``r``) as ``parent``'s children, before ``before``, else last.

    Parsing the writer's markup into python-docx's tree only to serialize it again
    would cost more than writing it; the part's bytes are written around it instead.
    None when the part does not bind ``w`` and ``r`` as the markup does (the caller
    then parses it into the tree).
    """
    if parent.nsmap.get("w") != W_NS or parent.nsmap.get("r") != R_NS:
        return None
    marker = etree.Comment(_MARKER)
    if before is None:
        parent.append(marker)
    else:
        before.addprevious(marker)
    root = parent.getroottree().getroot()
    try:
        whole = etree.tostring(root, encoding="UTF-8", standalone=True)
    finally:
        parent.remove(marker)
    head, found, tail = whole.partition(f"<!--{_MARKER}-->".encode())
    if not found:
        return None
    return head + content + tail


_MARKER = "briefgen: the writer's children go here"


def deterministic_zip(word: WordDocument, moment: _dt.datetime,
                      blobs: dict[str, bytes] | None = None) -> bytes:
    """The package as bytes, every zip entry stamped with one fixed time.

    The entries are those python-docx's ``PackageWriter`` writes, in its order (content
    types, package relationships, then each part and its relationships); ``blobs`` gives
    the bytes of parts already serialized, by part name (``/word/document.xml``). The
    zip itself is written by ``zipped``, so that equal documents are equal bytes.
    """
    from docx.opc.pkgwriter import _ContentTypesItem

    t = max(moment, _dt.datetime(1980, 1, 1)).timetuple()
    stamp: Stamp = (t[0], t[1], t[2], t[3], t[4], t[5])
    blobs = blobs or {}
    package = word.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    entries = [("[Content_Types].xml", _ContentTypesItem.from_parts(parts).blob),
               ("_rels/.rels", package.rels.xml)]
    for part in parts:
        blob = blobs.get(part.partname)
        entries.append((part.partname.membername, part.blob if blob is None else blob))
        if len(part.rels):
            entries.append((part.partname.rels_uri.membername, _rels_xml(part.rels)))
    return zip_package(entries, stamp)


_RELS_HEAD = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">')


def _rels_xml(rels: Relationships) -> bytes:
    """A part's relationships item, as python-docx's ``Relationships.xml`` writes it.

    Written as text: python-docx parses a new element for each relationship, which a
    brief with a thousand links in its notes feels.
    """
    out = [_RELS_HEAD]
    for rel in rels.values():
        mode = ' TargetMode="External"' if rel.is_external else ""
        out.append(f'<Relationship Id="{attr(rel.rId)}" Type="{attr(rel.reltype)}" '
                   f'Target="{attr(rel.target_ref)}"{mode}/>')
    out.append("</Relationships>")
    return "".join(out).encode("utf-8")
