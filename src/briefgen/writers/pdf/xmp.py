"""XMP metadata for a PDF/A-2b and PDF/UA-1 file, mirroring the document information.

PDF/A asks that every entry of the document information dictionary has its XMP twin
with the same value (Title as ``dc:title``, Author as ``dc:creator``, Subject as
``dc:description``, Keywords as ``pdf:Keywords``, Creator as ``xmp:CreatorTool``,
Producer as ``pdf:Producer``, the dates as ``xmp:CreateDate``/``xmp:ModifyDate``).
``pdfaid`` and ``pdfuaid`` name the standards the file claims; PDF/A accepts only
schemas it knows, so the PDF/UA identifier is declared in a PDF/A extension schema.
The packet is built from the values alone (no clock, no random id): same values, same
bytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["escape", "xmp_date", "xmp_packet"]


def escape(data: str, entities: Mapping[str, str] | None = None) -> str:
    """``&``, ``<`` and ``>`` (and any of ``entities``) escaped for XML, as
    ``xml.sax.saxutils.escape`` does; that module imports ``urllib.request`` (and with it
    ``http.client`` and ``ssl``), which no PDF needs."""
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for key, value in (entities or {}).items():
        data = data.replace(key, value)
    return data

_PDF_DATE = re.compile(
    r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:([Z+-])(\d\d)?'?(\d\d)?'?)?")

_UA_EXTENSION = """\
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
"""


def xmp_date(pdf_date: str) -> str:
    """``D:20231101093000+00'00'`` as XMP's ``2023-11-01T09:30:00+00:00``."""
    m = _PDF_DATE.match(pdf_date.strip())
    if m is None:
        raise ValueError(f"not a PDF date: {pdf_date!r}")
    year, month, day, hour, minute, second, sign, tzh, tzm = m.groups()
    out = f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if sign in (None, "Z"):
        return out + "Z"
    return out + f"{sign}{tzh or '00'}:{tzm or '00'}"


def xmp_packet(info: Mapping[str, str], *, lang: str, pdfa: bool, pdfua: bool) -> bytes:
    """The XMP packet for document information ``info`` (keys as in the PDF: Title, …)."""
    e = escape
    rows = ["   <dc:format>application/pdf</dc:format>"]
    if info.get("Title"):
        rows.append(f'   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(info["Title"])}'
                    "</rdf:li></rdf:Alt></dc:title>")
    if info.get("Author"):
        rows.append(f"   <dc:creator><rdf:Seq><rdf:li>{e(info['Author'])}</rdf:li></rdf:Seq>"
                    "</dc:creator>")
    if info.get("Subject"):
        rows.append('   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
                    f"{e(info['Subject'])}</rdf:li></rdf:Alt></dc:description>")
    if lang:
        rows.append(f"   <dc:language><rdf:Bag><rdf:li>{e(lang)}</rdf:li></rdf:Bag></dc:language>")
    if info.get("Keywords"):
        rows.append(f"   <pdf:Keywords>{e(info['Keywords'])}</pdf:Keywords>")
    if info.get("Producer"):
        rows.append(f"   <pdf:Producer>{e(info['Producer'])}</pdf:Producer>")
    if info.get("Creator"):
        rows.append(f"   <xmp:CreatorTool>{e(info['Creator'])}</xmp:CreatorTool>")
    if info.get("CreationDate"):
        rows.append(f"   <xmp:CreateDate>{xmp_date(info['CreationDate'])}</xmp:CreateDate>")
    if info.get("ModDate"):
        modified = xmp_date(info["ModDate"])
        rows.append(f"   <xmp:ModifyDate>{modified}</xmp:ModifyDate>")
        rows.append(f"   <xmp:MetadataDate>{modified}</xmp:MetadataDate>")
    if pdfa:
        rows.append("   <pdfaid:part>2</pdfaid:part>")
        rows.append("   <pdfaid:conformance>B</pdfaid:conformance>")
    if pdfua:
        rows.append("   <pdfuaid:part>1</pdfuaid:part>")
    body = "\n".join(rows) + "\n"
    if pdfua:
        body += _UA_EXTENSION
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"\n'
        '    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"\n'
        '    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"\n'
        '    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"\n'
        '    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\n'
        f"{body}"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")
