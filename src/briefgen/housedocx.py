"""A house .docx, read under limits, and only what a brief takes from it.

A house template (``reference_docx``) gives a brief its Word styles, theme, numbering,
fonts and page setup. It is also a zip archive someone else made, so it is read as
hostile input:

- **limits**: at most ``MAX_MEMBERS`` members, ``MAX_TOTAL`` bytes once uncompressed
  (``MAX_MEMBER`` for one), and no member compressed more than ``MAX_RATIO`` to one; sizes
  are checked in the archive's directory first and again while reading, so a zip bomb
  is refused before it is inflated;
- **no DTD**: every XML part is parsed without entities, network or DTD loading, and a
  part that declares a DTD (``<!DOCTYPE``) is refused, whatever it declares;
- **an allow-list**: a new package is built holding only the main document (its body
  emptied but for the page setup), styles, theme, numbering, font table (with embedded
  fonts), settings, and the headers and footers the page setup asks for. Every
  relationship outside that list is dropped, and every external one: macros
  (``vbaProject.bin``), a remote ``attachedTemplate``, embedded objects, ActiveX
  controls, custom XML, pictures, mail-merge sources. Fields that fetch or run something
  (``INCLUDETEXT``, ``INCLUDEPICTURE``, ``DDE``, ``DDEAUTO``) are removed from the parts
  kept. One warning names what was dropped that could act (macros, external links,
  embeddings, ActiveX, such fields).

``sanitized_house_docx`` returns the new package's bytes; the DOCX writer opens those.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any

from .errors import BriefgenError, Warn
from .files import read_input

MAX_MEMBERS = 1_000
MAX_TOTAL = 64 * 1024 * 1024
MAX_MEMBER = 32 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members over 1 MB uncompressed

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_OFFICE_DOCUMENT = f"{_R}/officeDocument"

#: Relationship types kept, by the kind of part they hang from, with each target's type.
_KEEP: dict[str, dict[str, tuple[str, str]]] = {
    "package": {_OFFICE_DOCUMENT: ("document", _WML + "document.main+xml")},
    "document": {
        f"{_R}/styles": ("styles", _WML + "styles+xml"),
        f"{_R}/theme": ("theme", "application/vnd.openxmlformats-officedocument.theme+xml"),
        f"{_R}/numbering": ("numbering", _WML + "numbering+xml"),
        f"{_R}/fontTable": ("fontTable", _WML + "fontTable+xml"),
        f"{_R}/settings": ("settings", _WML + "settings+xml"),
        f"{_R}/header": ("header", _WML + "header+xml"),
        f"{_R}/footer": ("footer", _WML + "footer+xml"),
    },
    "fontTable": {f"{_R}/font": ("font", "application/vnd.openxmlformats-officedocument.obfuscatedFont")},
}
_XML_KINDS = {"document", "styles", "theme", "numbering", "fontTable", "settings", "header", "footer"}

#: Relationship types (their last word) that could act, as the warning names them.
_RISKY = {
    "vbaProject": "macros", "wordVbaData": "macros", "keyMapCustomizations": "macros",
    "attachedTemplate": "a remote template", "oleObject": "embedded objects",
    "package": "embedded objects", "aFChunk": "embedded objects", "subDocument": "embedded objects",
    "control": "ActiveX controls", "activeXControl": "ActiveX controls",
    "activeXControlBinary": "ActiveX controls",
    "mailMergeSource": "a mail-merge source", "mailMergeHeaderSource": "a mail-merge source",
    "recipientData": "a mail-merge source",
}
_ACTIVE_FIELD = re.compile(r"^\s*(INCLUDETEXT|INCLUDEPICTURE|DDE|DDEAUTO|LINK|IMPORT)\b", re.IGNORECASE)
#: Elements in kept parts that embed or fetch something.
_ACTIVE_ELEMENTS = {"object", "control", "altChunk", "subDoc", "attachedTemplate", "mailMerge",
                    "numPicBullet", "printerSettings", "docVars"}



def sanitized_house_docx(path: Path, shown: str, warn: Warn, *, root: Path | None = None) -> bytes:
    """The house document at ``path`` rebuilt from its allow-listed parts, as .docx bytes."""
    raw = read_input(path, shown, kind="house document", root=root)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise BriefgenError("not a Word document (.docx): not a zip archive", path=shown) from None
    with archive:
        reader = _Reader(archive, shown)
        return _Rebuild(reader, shown, warn).run()


class _Reader:
    """Members of the archive, read only within the limits."""

    def __init__(self, archive: zipfile.ZipFile, shown: str) -> None:
        self.archive = archive
        self.shown = shown
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise self.error(f"holds {len(infos):,} members (at most {MAX_MEMBERS:,})")
        total = sum(i.file_size for i in infos)
        if total > MAX_TOTAL:
            raise self.error(f"would take {total / 2**20:,.0f} MB uncompressed (at most "
                             f"{MAX_TOTAL // 2**20} MB): a zip bomb?")
        for info in infos:
            if info.file_size > MAX_MEMBER:
                raise self.error(f"member {_safe(info.filename)} would take "
                                 f"{info.file_size / 2**20:,.0f} MB (at most {MAX_MEMBER // 2**20} MB)")
            if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise self.error(f"member {_safe(info.filename)} is compressed more than "
                                 f"{MAX_RATIO} to 1: a zip bomb?")
        self.names = {i.filename.lstrip("/"): i for i in infos}

    def error(self, message: str) -> BriefgenError:
        return BriefgenError(f"house document refused: {message}", path=self.shown)

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        info = self.names[name]
        try:
            with self.archive.open(info) as fh:
                data = fh.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise self.error(f"member {_safe(name)} cannot be read: {exc.__class__.__name__}") from None
        if len(data) > info.file_size:
            raise self.error(f"member {_safe(name)} is larger than the archive says")
        return data

    def xml(self, name: str) -> Any:
        """The parsed part; any DTD, however harmless it looks, is refused."""
        from lxml import etree  # type: ignore[import-untyped]

        data = self.read(name)
        probe = data.decode("utf-16", "ignore") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else \
            data.decode("utf-8", "ignore")
        if re.search(r"<!\s*(DOCTYPE|ENTITY)", probe, re.IGNORECASE):
            raise self.error(f"{_safe(name)} declares a DTD (<!DOCTYPE>); Word never writes one, "
                             "and LibreOffice cannot open a brief that carries it")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                 dtd_validation=False, huge_tree=False, remove_pis=True)
        try:
            tree = etree.fromstring(data, parser)
        except etree.XMLSyntaxError:
            raise self.error(f"{_safe(name)} is not well-formed XML") from None
        if tree.getroottree().docinfo.doctype:
            raise self.error(f"{_safe(name)} declares a DTD (<!DOCTYPE>)")
        return tree


class _Rebuild:
    """The new package: the allow-listed parts, their allow-listed relationships."""

    def __init__(self, reader: _Reader, shown: str, warn: Warn) -> None:
        self.reader = reader
        self.shown = shown
        self.warn = warn
        self.parts: dict[str, tuple[bytes, str]] = {}  # name → (data, content type)
        self.dropped: dict[str, list[str]] = {}

    def run(self) -> bytes:
        if not self.reader.has("_rels/.rels"):
            raise BriefgenError("not a Word document (.docx): no package relationships",
                                path=self.shown)
        package_rels = self._rels("", "package")
        main = [target for target, kind, _ in package_rels if kind == "document"]
        if not main:
            raise BriefgenError("not a Word document (.docx): no main document", path=self.shown)
        self.parts["_rels/.rels"] = (self._rels_xml(package_rels), "")
        self._part(main[0], "document", _WML + "document.main+xml")
        if self.dropped:
            found = "; ".join(f"{what} ({', '.join(sorted(set(names))[:3])})"
                              for what, names in sorted(self.dropped.items()))
            self.warn(f"house document {self.shown}: left out what a brief never takes from it: {found}")
        return self._zip()

    # ---------------------------------------------------------------- parts and relationships

    def _drop(self, what: str, name: str) -> None:
        self.dropped.setdefault(what, []).append(_safe(name))

    def _rels(self, part: str, kind: str) -> list[tuple[str, str, str]]:
        """The kept relationships of ``part``: (target part name, kind, content type)."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels") if part else "_rels/.rels"
        if not self.reader.has(rels_name):
            return []
        kept: list[tuple[str, str, str]] = []
        self._rel_ids: dict[str, str] = {}
        for rel in self.reader.xml(rels_name):
            rel_type = rel.get("Type", "")
            target = rel.get("Target", "")
            word = rel_type.rsplit("/", 1)[-1]
            if rel.get("TargetMode") == "External":
                self._drop("external links", word)
                continue
            keep = _KEEP.get(kind, {}).get(rel_type)
            name = posixpath.normpath(posixpath.join(folder, target)).lstrip("/") \
                if not target.startswith("/") else target.lstrip("/")
            if keep is None or name.startswith("..") or not self.reader.has(name):
                if word in _RISKY:
                    self._drop(_RISKY[word], name or word)
                continue
            kept.append((name, keep[0], keep[1]))
            self._rel_ids[rel.get("Id", "")] = name
        return kept

    def _rels_xml(self, kept: list[tuple[str, str, str]]) -> bytes:
        ids = {name: rid for rid, name in self._rel_ids.items()}
        types = {v[0]: t for table in _KEEP.values() for t, v in table.items()}
        rows = []
        for name, kind, _ in kept:
            rows.append(f'<Relationship Id="{_attr(ids[name])}" Type="{types[kind]}" '
                        f'Target="/{_attr(name)}"/>')
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Relationships xmlns="{_PR}">{"".join(rows)}</Relationships>').encode()

    def _part(self, name: str, kind: str, content_type: str) -> None:
        if name in self.parts:
            return
        if kind not in _XML_KINDS:  # an embedded font: bytes as they are
            self.parts[name] = (self.reader.read(name), content_type)
            return
        tree = self.reader.xml(name)
        kept = self._rels(name, kind)
        rel_ids = dict(self._rel_ids)
        if kind == "document":
            _empty_body(tree)
        self._clean(tree, set(rel_ids), name)
        from lxml import etree  # type: ignore[import-untyped]

        self.parts[name] = (etree.tostring(tree, xml_declaration=True, encoding="UTF-8",
                                           standalone=True), content_type)
        if kept:
            folder, base = posixpath.split(name)
            self._rel_ids = rel_ids
            self.parts[posixpath.join(folder, "_rels", base + ".rels")] = (self._rels_xml(kept), "")
        for target, target_kind, target_type in kept:
            self._part(target, target_kind, target_type)

    def _clean(self, tree: Any, kept_ids: set[str], name: str) -> None:
        """Remove what embeds or fetches, and anything naming a relationship not kept."""
        for element in list(tree.iter()):
            if not isinstance(element.tag, str):
                continue
            local = element.tag.rsplit("}", 1)[-1]
            parent = element.getparent()
            if parent is None:
                continue
            drop = local in _ACTIVE_ELEMENTS
            if not drop:
                for attr, value in element.attrib.items():
                    if attr.startswith("{" + _R + "}") and value not in kept_ids:
                        drop = True
                        break
            if local in ("instrText", "fldSimple"):
                instruction = element.text if local == "instrText" else element.get(f"{{{_W}}}instr", "")
                if _ACTIVE_FIELD.match(instruction or ""):
                    self._drop("fields that fetch or run something", name)
                    drop = True
            if drop:
                if local in ("object", "control"):
                    self._drop("embedded objects" if local == "object" else "ActiveX controls", name)
                parent.remove(element)

    def _zip(self) -> bytes:
        overrides = "".join(f'<Override PartName="/{_attr(name)}" ContentType="{ctype}"/>'
                            for name, (_, ctype) in sorted(self.parts.items())
                            if ctype and not ctype.endswith("obfuscatedFont"))
        content_types = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="{_CT}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"/>'
            f"{overrides}</Types>")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("[Content_Types].xml", content_types)
            for name, (data, _) in sorted(self.parts.items()):
                package.writestr(name, data)
        return out.getvalue()


def _empty_body(tree: Any) -> None:
    """The main document with nothing but its last section's page setup."""
    for child in list(tree):
        if child.tag != f"{{{_W}}}body":
            tree.remove(child)
    for body in tree.iter(f"{{{_W}}}body"):
        children = list(body)
        keep = children[-1] if children and children[-1].tag == f"{{{_W}}}sectPr" else None
        for child in children:
            if child is not keep:
                body.remove(child)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _safe(name: str) -> str:
    """A member name fit for a one-line message."""
    text = "".join(c if c.isprintable() else "?" for c in name)
    return text if len(text) <= 60 else text[:57] + "..."
