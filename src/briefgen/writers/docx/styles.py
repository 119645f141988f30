"""The house styles of the DOCX writer: built-in names, house definitions, style setup.

Each style the writer uses is a ``StyleSpec``: its built-in (or house) name, the id
it gets when added, and the house definition. ``setup_styles`` resolves each to its
id in the document's styles part, adding or restyling as needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.parser import parse_xml
from lxml import etree

from .look import (
    _ASSESS_BORDER,
    _BOX_BORDER,
    BLUE,
    BOX_INDENT,
    FONT,
    GOLD_TEXT,
    GREY,
    NAVY,
    RULE,
    _border,
)
from .oxml import (
    _PPR_ORDER,
    _RPR_ORDER,
    A_NS,
    W_NAME,
    W_NS,
    W_PPR,
    W_RPR,
    W_VAL,
    _child,
    _Element,
    _ordered_child,
    _w,
)

if TYPE_CHECKING:
    from docx.document import Document as WordDocument


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
                   f'<w:rPr><w:b/><w:bCs/><w:caps/><w:color w:val="{GOLD_TEXT}"/><w:spacing w:val="10"/>'
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
        f'<w:pPr><w:pBdr>{_border("top", RULE, 4, 4)}</w:pBdr>'
        '<w:spacing w:before="0" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>'
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

# Styles only a brief with figures uses, so that other briefs' styles parts stay as they were.
_FIGURE_STYLES: tuple[_StyleSpec, ...] = (
    _StyleSpec("figure", "Figure", "Figure", next_style="caption", house=(
        '<w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="center"/></w:pPr>')),
    _StyleSpec("caption", "caption", "Caption", next_style="Normal", ui_priority=35, house=(
        '<w:pPr><w:spacing w:before="0" w:after="240" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="center"/></w:pPr>'
        f'<w:rPr><w:i/><w:iCs/><w:color w:val="{GREY}"/><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>')),
)

# --------------------------------------------------------------------------- text



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
                        "comment_reference", "caption"})

# Styles that are the house's own, not Word built-ins.
_CUSTOM = frozenset({"marking", "author", "question", "lead", "label", "assessment",
                     "assessment_label", "table_text", "table", "figure"})



def setup_styles(word: WordDocument, *, house: bool, review: bool, language: str,
                 figures: bool = False) -> dict[str, str]:
    """Each style the writer uses, by key, resolved to its id: added or restyled as needed.

    ``house`` (no house template given): the house definitions replace python-docx's
    default ones; ``review``: the comment styles too; ``figures``: the figure and caption
    styles; ``language`` goes into the document defaults.
    """
    styles = word.styles.element
    resolved: dict[str, str] = {}
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

    for spec in _STYLES + (_REVIEW_STYLES if review else ()) + (_FIGURE_STYLES if figures else ()):
        existing = by_name.get(spec.name.lower())
        if existing is not None:
            style_id = existing.get(_w("styleId"))
            if house and spec.redefine and spec.house:
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
        resolved[spec.key] = style_id
    _set_doc_defaults(styles, house, language)
    if house:
        _set_theme_fonts(word)
    return resolved


def _set_doc_defaults(styles: _Element, house: bool, language: str) -> None:
    """Language everywhere (so spell-check uses it); in the house look, font and size too."""
    defaults = _child(styles, _w("docDefaults"), first=True)
    rpr_default = _child(defaults, _w("rPrDefault"), first=True)
    rpr = _child(rpr_default, W_RPR)
    lang = _ordered_child(rpr, _w("lang"), _RPR_ORDER)
    lang.set(W_VAL, language)
    if not house:
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


def _set_theme_fonts(word: WordDocument) -> None:
    """Make the theme's heading and body fonts the house font, for styles we do not define."""
    theme = next((rel.target_part for rel in word.part.rels.values()
                  if rel.reltype == RT.THEME and not rel.is_external), None)
    if theme is None or not hasattr(theme, "_blob"):
        return
    root = etree.fromstring(theme.blob)
    for latin in root.iter(f"{{{A_NS}}}latin"):
        if latin.getparent().tag in (f"{{{A_NS}}}majorFont", f"{{{A_NS}}}minorFont"):
            latin.set("typeface", FONT)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
