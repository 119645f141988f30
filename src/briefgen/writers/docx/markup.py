"""WordprocessingML paragraphs and runs written as text, for the writer's hot path.

A long brief is tens of thousands of small elements (paragraphs, runs, run
properties, note references). Making each an lxml element and serializing the tree
costs several times what writing its markup does; the body, the notes and the
comments are therefore written as markup here, in the prefixes ``w`` and ``r``, and
go into their parts' bytes as they are (``opc.Package.fill``). Text is escaped as lxml
escapes it, so the markup is what serializing the same elements would give.

A ``Para`` keeps its paragraph properties apart, by name, until it is written, so that
the writer may still add or replace one (a box's closing space, a list's numbering)
and each lands at its schema position (ECMA-376, ``w:pPr``).
"""

from __future__ import annotations

import re

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSMAP = {"w": W_NS, "r": R_NS}
# Schema order of the children of w:pPr (ECMA-376)
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange")
_PPR_RANK = {tag: rank for rank, tag in enumerate(PPR_ORDER)}
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]")
EAST_ASIAN_FONT = "Malgun Gothic"  # Windows' Korean UI font; other systems substitute
_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')
DECLARATIONS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NSMAP.items())


def text(value: str) -> str:
    """``value`` escaped for element content."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    return value


def attr(value: str) -> str:
    """``value`` escaped for a double-quoted attribute."""
    if _ATTR_SPECIAL.search(value) is None:
        return value
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
            .replace("\t", "&#9;"))


def spacing(after: int | None, before: int = 0) -> str:
    """A ``w:spacing`` paragraph property."""
    if after is None:
        return f'<w:spacing w:before="{before}"/>'
    return f'<w:spacing w:before="{before}" w:after="{after}"/>'


def tabs(stops: list[tuple[str, int]]) -> str:
    """A ``w:tabs`` paragraph property."""
    return "<w:tabs>" + "".join(f'<w:tab w:val="{kind}" w:pos="{pos}"/>' for kind, pos in stops) + "</w:tabs>"


class Para:
    """One ``w:p`` being written: its properties by name, then its content's markup."""

    __slots__ = ("content", "props")

    def __init__(self, style_id: str | None = None) -> None:
        self.props: dict[str, str] = {"pStyle": f'<w:pStyle w:val="{style_id}"/>'} if style_id else {}
        self.content: list[str] = []

    def xml(self) -> str:
        props = self.props
        if props:
            if len(props) == 1:
                ppr = next(iter(props.values()))
            else:
                ppr = "".join(props[name] for name in sorted(props, key=_PPR_RANK.__getitem__))
            return f"<w:p><w:pPr>{ppr}</w:pPr>{''.join(self.content)}</w:p>"
        if not self.content:
            return "<w:p/>"
        return f"<w:p>{''.join(self.content)}</w:p>"


def run(value: str, bold: bool = False, italic: bool = False, rstyle: str | None = None,
        highlight: bool = False) -> str:
    """A ``w:r`` showing ``value`` (tabs as ``w:tab``), in the given run properties.

    ``value`` holds no character XML cannot (the writer's ``Cleaner`` saw to that) and
    no line break (the writer made those spaces).
    """
    if value.isascii():
        if not (rstyle or bold or italic or highlight or "\t" in value):  # most runs: plain text
            if not value:
                return "<w:r/>"
            if value[0] == " " or value[-1] == " " or "  " in value:
                return f'<w:r><w:t xml:space="preserve">{text(value)}</w:t></w:r>'
            return f"<w:r><w:t>{text(value)}</w:t></w:r>"
        korean = False
    else:
        korean = _HANGUL.search(value) is not None
    if rstyle or bold or italic or korean or highlight:
        props = [f'<w:rStyle w:val="{rstyle}"/>' if rstyle else "",
                 f'<w:rFonts w:eastAsia="{EAST_ASIAN_FONT}"/>' if korean else "",
                 "<w:b/><w:bCs/>" if bold else "", "<w:i/><w:iCs/>" if italic else "",
                 '<w:highlight w:val="yellow"/>' if highlight else "",
                 '<w:lang w:eastAsia="ko-KR"/>' if korean else ""]
        out = ["<w:r><w:rPr>", *props, "</w:rPr>"]
    else:
        out = ["<w:r>"]
    pieces = value.split("\t") if "\t" in value else (value,)
    for index, piece in enumerate(pieces):
        if index:
            out.append("<w:tab/>")
        if piece:
            if piece[0] == " " or piece[-1] == " " or "  " in piece:  # else Word drops them
                out.append(f'<w:t xml:space="preserve">{text(piece)}</w:t>')
            else:
                out.append(f"<w:t>{text(piece)}</w:t>")
    if len(out) == 1:
        return "<w:r/>"
    out.append("</w:r>")
    return "".join(out)


def styled(rstyle: str, inner: str, highlight: bool = False) -> str:
    """A ``w:r`` in character style ``rstyle`` holding ``inner`` (a note mark, say)."""
    mark = '<w:highlight w:val="yellow"/>' if highlight else ""
    return f'<w:r><w:rPr><w:rStyle w:val="{rstyle}"/>{mark}</w:rPr>{inner}</w:r>'


def field(instruction: str, placeholder: str) -> str:
    """A complex field (``PAGE``, ``NUMPAGES``): Word and LibreOffice compute its value."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r><w:t>{text(placeholder)}</w:t></w:r>"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
