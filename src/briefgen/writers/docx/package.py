"""Where the DOCX writer meets python-docx's package: the only module using its internals.

Opening the base document (python-docx's default template, or a house template with
its body cleared), relationship ids for hyperlinks, the numbering part, and writing
the package with fixed zip timestamps. The internals used (``PackageWriter``'s
steps, ``Part.rels``, ``NumberingPart``) are stable through python-docx 1.x, which
pyproject pins; ``tests/test_docx.py`` exercises each against the installed version.
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import struct
import zipfile
from collections.abc import Callable
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
from .oxml import W_NS, _Element, _w

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

_Stamp = tuple[int, int, int, int, int, int]  # a zip entry's date and time
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


#: the base documents opened so far, as parsed, by their bytes (b"" for python-docx's own)
_BASES: Memo[WordDocument] = Memo(4)


def open_base(reference_docx: Path | None, warn: Warn | None = None) -> WordDocument:
    """python-docx's default template, or the house template with its body cleared.

    A house template is read by ``housedocx``: under limits, with no DTD, and rebuilt from
    an allow-list of parts (styles, theme, numbering, fonts, settings, page setup,
    headers and footers); ``warn`` hears what was left out that could act. Each base is
    parsed once in a process that builds again and again (``memo.between_builds``),
    keyed by its bytes; every build gets its own deep copy (the writer changes styles,
    settings, sections and adds parts). A one-off build parses its base itself.
    """
    if reference_docx is None:
        key, make = b"", partial(_cleared, _python_docx.Document)
    else:
        from ...housedocx import sanitized_house_docx

        path = Path(reference_docx)
        data = sanitized_house_docx(path, str(path), warn or (lambda message: None))
        key, make = data, partial(_cleared, partial(_open_house, data, path))
    if not between_builds():
        return make()
    return copy.deepcopy(_BASES.get(key, make))


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


class _FixedTimeZip:
    """A package writer for python-docx's ``PackageWriter``: every entry one fixed time."""

    def __init__(self, out: io.BytesIO, stamp: _Stamp) -> None:
        self.zipf = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
        self.stamp = stamp

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        self.zipf.writestr(_entry(pack_uri.membername, self.stamp), blob)


def _entry(name: str, stamp: _Stamp) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=stamp)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.create_system = 0
    entry.external_attr = 0
    return entry


def deterministic_zip(word: WordDocument, moment: _dt.datetime) -> bytes:
    """The package as bytes, every zip entry stamped with one fixed time.

    python-docx stamps each entry with the current time. Its ``PackageWriter`` steps
    (stable through python-docx 1.x, which pyproject pins) are driven here with a writer
    that stamps a fixed time instead, so equal documents are equal bytes and the package
    is compressed only once.
    """
    from docx.opc.pkgwriter import PackageWriter

    t = max(moment, _dt.datetime(1980, 1, 1)).timetuple()
    stamp: _Stamp = (t[0], t[1], t[2], t[3], t[4], t[5])
    out = io.BytesIO()
    package = word.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    writer = _FixedTimeZip(out, stamp)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)  # type: ignore[arg-type]  # duck-typed writer
    writer.zipf.close()
    return out.getvalue()
