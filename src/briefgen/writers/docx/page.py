"""Page setup, settings, page furniture (header and footer) and document properties."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.shared import Twips
from lxml import etree

from ...document import Meta
from ...errors import Warn
from . import markup
from .markup import Para
from .oxml import _SETTINGS_AFTER_FOOTNOTEPR, W_ID, W_VAL, _Element, _insert_before_first, _w

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.section import Section

    from .writer import DocxWriter, Item

_PAGE_SIZES = {  # twips: (width, height, margin)
    "A4": (11906, 16838, 1417),      # 210 x 297 mm, 2.5 cm margins
    "LETTER": (12240, 15840, 1440),  # 8.5 x 11 in, 1 in margins
}


def setup_page(word: WordDocument, meta: Meta, warn: Warn, *, house: bool) -> int:
    """Page size and margins (in the house look); the text width in twips."""
    section = word.sections[-1]
    if house:
        size = (meta.page_size or "A4").upper()
        if size not in _PAGE_SIZES:
            warn(f"DOCX: unknown page size {meta.page_size!r}; using A4")
            size = "A4"
        width, height, margin = _PAGE_SIZES[size]
        section.page_width, section.page_height = Twips(width), Twips(height)
        for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
            setattr(section, side, Twips(margin))
        section.header_distance = section.footer_distance = Twips(680)
        section.gutter = Twips(0)
    return _text_width(section)


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


_STORIES = ("header", "first_page_header", "footer", "first_page_footer")


def add_furniture_parts(word: WordDocument) -> None:
    """The section's own header and footer parts, for the first page and the others.

    Part of every base's setup (``writer.BaseSetup``): python-docx reads each new part
    from its template file, which a warm process then does once.
    """
    section = word.sections[-1]
    section.different_first_page_header_footer = True
    for kind in _STORIES:
        getattr(section, kind).is_linked_to_previous = False


def page_furniture(w: DocxWriter) -> None:
    """The same furniture as the PDF's (``writers.pdf.page.PageFurniture``).

    At the top: the marking, then the short title and the date (the running head); at
    the foot: the organisation and "Page X of Y", then the marking. The first page,
    which carries the title block, has only the marking at its top; every page, the
    first included, has the same footer.
    """
    section = w.word.sections[-1]  # its parts were added with the base (``add_furniture_parts``)
    marking = w.meta_text(w.meta.marking, "meta.marking")
    short = (w.meta_text(w.meta.short_title, "meta.short_title")
             or w.meta_text(w.meta.title, "meta.title"))
    date_text = w.clean(w.meta.date_line(), "meta.date_text")
    organisation = w.meta_text(w.meta.organisation, "meta.organisation")

    header: list[Item] = []
    if marking:
        w.text_para(header, "marking", marking)
    line = w.para(header, "header")
    line.props["tabs"] = markup.tabs([("right", w.text_width)])
    line.content += (w.run(short), "<w:r><w:tab/></w:r>", w.run(date_text))
    _fill(_story_root(section, "header"), header)

    first: list[Item] = []
    if marking:
        w.text_para(first, "marking", marking)
    else:
        first.append(Para())
    _fill(_story_root(section, "first_page_header"), first)
    for kind in ("footer", "first_page_footer"):
        _fill(_story_root(section, kind), _footer(w, organisation, marking))


def _footer(w: DocxWriter, organisation: str, marking: str) -> list[Item]:
    footer: list[Item] = []
    p = w.para(footer, "footer")
    p.props["tabs"] = markup.tabs([("right", w.text_width)])
    if organisation:
        p.content.append(w.run(organisation))
    p.content += ("<w:r><w:tab/></w:r>", w.run("Page "), markup.field("PAGE", "1"), w.run(" of "),
                  markup.field("NUMPAGES", "1"))
    if marking:
        w.text_para(footer, "marking", marking)
    return footer


def _fill(root: _Element, paragraphs: list[Item]) -> None:
    """The header's or footer's paragraphs, parsed into its (emptied) root."""
    root.extend(list(markup.parse("".join(p if isinstance(p, str) else p.xml() for p in paragraphs))))

# ------------------------------------------------------------------ properties

def properties(w: DocxWriter) -> None:
    meta = w.meta
    props = w.word.core_properties
    moment = w.moment
    author = (w.meta_text(meta.author, "meta.author")
              or w.meta_text(meta.organisation, "meta.organisation"))
    keywords = "; ".join(w.meta_text(k, "meta.keywords") for k in meta.keywords)
    values = {
        "title": w.meta_text(meta.title, "meta.title"),
        "subject": w.meta_text(meta.topic, "meta.topic"),
        "author": author,
        "last_modified_by": author,
        "keywords": keywords,
        "language": w.meta_text(meta.language, "meta.language") or "en-GB",
        "comments": "",
        "category": "",
    }
    for name, value in values.items():
        if len(value) > 255:  # the limit Word (and python-docx) put on these fields
            w.warn(f"DOCX: document property {name} cut to 255 characters")
            value = value[:255]
        setattr(props, name, value)
    props.created = props.modified = moment
    props.revision = 1



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
