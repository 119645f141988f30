"""Validate the XML parts of a .docx against the ECMA-376 transitional schemas.

The schemas (``tests/ooxml-xsd/``, copied from the python-docx repository's ``ref/xsd``)
are loaded once through a small driver schema that imports every namespace a part may
use. Each part is first read as Markup Compatibility asks a consumer that knows only
ECMA-376 to read it: elements and attributes in the namespaces the part declares
``mc:Ignorable`` are dropped, and each ``mc:AlternateContent`` is replaced by the
children of its ``mc:Fallback``. ``docProps/core.xml`` is checked by its own rules (its
Dublin Core schemas are not in the folder): the elements the OPC core-properties schema
allows, each at most once.
"""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path

from lxml import etree

XSD = Path(__file__).resolve().parent / "ooxml-xsd"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_IMPORTS = {
    "http://www.w3.org/XML/1998/namespace": "xml.xsd",
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "wml.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",
    "http://schemas.openxmlformats.org/package/2006/relationships":
        "opc-xsd/opc-relationships.xsd",
    "http://schemas.openxmlformats.org/package/2006/content-types":
        "opc-xsd/opc-contentTypes.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties":
        "shared-documentPropertiesExtended.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties":
        "shared-documentPropertiesCustom.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/customXml":
        "shared-customXmlDataProperties.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/bibliography":
        "shared-bibliography.xsd",
}
_CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_CORE_ALLOWED = {
    f"{{{_CORE}}}{n}" for n in ("category", "contentStatus", "keywords", "lastModifiedBy",
                                "lastPrinted", "revision", "version")
} | {f"{{http://purl.org/dc/elements/1.1/}}{n}" for n in (
    "creator", "description", "identifier", "language", "subject", "title")
} | {f"{{http://purl.org/dc/terms/}}{n}" for n in ("created", "modified")}


@cache
def _schema() -> etree.XMLSchema:
    imports = "".join(
        f'<xsd:import namespace="{ns}" schemaLocation="{(XSD / path).as_uri()}"/>'
        for ns, path in _IMPORTS.items())
    driver = ('<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
              f'targetNamespace="urn:briefgen:driver">{imports}</xsd:schema>')
    return etree.XMLSchema(etree.fromstring(driver.encode(), base_url=XSD.as_uri() + "/"))


def apply_markup_compatibility(root: etree._Element) -> etree._Element:
    """The part as an ECMA-376-only consumer reads it (ISO/IEC 29500-3)."""
    ignorable: set[str] = set()
    for el in root.iter():
        value = el.get(f"{{{MC}}}Ignorable")
        if value:
            ignorable.update(el.nsmap.get(prefix, "") for prefix in value.split())
    for alt in list(root.iter(f"{{{MC}}}AlternateContent")):
        parent = alt.getparent()
        fallback = alt.find(f"{{{MC}}}Fallback")
        index = parent.index(alt)
        parent.remove(alt)
        if fallback is not None:
            for offset, child in enumerate(list(fallback)):
                parent.insert(index + offset, child)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        ns = etree.QName(el).namespace
        if ns in ignorable and el.getparent() is not None:
            el.getparent().remove(el)
            continue
        for attr in list(el.attrib):
            attr_ns = etree.QName(attr).namespace
            if attr_ns in ignorable or attr_ns == MC:
                del el.attrib[attr]
    etree.cleanup_namespaces(root)
    return root


def validate_docx(path: Path | str) -> list[str]:
    """Problems in the file's XML parts: ``part: line: message``; empty when valid."""
    problems: list[str] = []
    schema = _schema()
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            root = etree.fromstring(z.read(name))
            if name == "docProps/core.xml":
                problems += [f"{name}: {child.tag} is not a core property"
                             for child in root if child.tag not in _CORE_ALLOWED]
                continue
            if etree.QName(root).namespace not in _IMPORTS:
                problems.append(f"{name}: root {root.tag} has no schema here")
                continue
            root = apply_markup_compatibility(root)
            if not schema.validate(root):
                problems += [f"{name}:{e.line}: {e.message}" for e in schema.error_log]
    return problems
