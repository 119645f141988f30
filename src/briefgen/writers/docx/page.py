"""Page setup, settings, page furniture (header and footer) and document properties."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...document import Meta
from ...errors import Warn
from . import markup
from .markup import Para
from .opc import Slot

if TYPE_CHECKING:
    from .writer import DocxWriter, Item

_PAGE_SIZES = {  # twips: (width, height, margin)
    "A4": (11906, 16838, 1417),      # 210 x 297 mm, 2.5 cm margins
    "LETTER": (12240, 15840, 1440),  # 8.5 x 11 in, 1 in margins
}


def setup_page(meta: Meta, warn: Warn) -> tuple[int, int, int]:
    """The house look's page: width, height and margins in twips."""
    size = (meta.page_size or "A4").upper()
    if size not in _PAGE_SIZES:
        warn(f"DOCX: unknown page size {meta.page_size!r}; using A4")
        size = "A4"
    return _PAGE_SIZES[size]


def text_width(page: tuple[int, int, int]) -> int:
    """Twips between the margins, which places the header's and footer's tab stops."""
    width, _, margin = page
    return max(width - 2 * margin, 2880)


def page_furniture(w: DocxWriter) -> None:
    """The same furniture as the PDF's (``writers.pdf.page.PageFurniture``).

    At the top: the marking, then the short title and the date (the running head); at
    the foot: the organisation and "Page X of Y", then the marking. The first page,
    which carries the title block, has only the marking at its top; every page, the
    first included, has the same footer.
    """
    stories = dict(w.pkg.base.stories)  # the parts were added with the base (``package.textual``)
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
    _fill(w, stories["header"], header)

    first: list[Item] = []
    if marking:
        w.text_para(first, "marking", marking)
    else:
        first.append(Para())
    _fill(w, stories["first_page_header"], first)
    for kind in ("footer", "first_page_footer"):
        _fill(w, stories[kind], _footer(w, organisation, marking))


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


def _fill(w: DocxWriter, slot: Slot, paragraphs: list[Item]) -> None:
    """The header's or footer's paragraphs, in its part."""
    w.pkg.fill(slot, "".join(p if isinstance(p, str) else p.xml() for p in paragraphs))

# ------------------------------------------------------------------ properties

def properties(w: DocxWriter) -> None:
    meta = w.meta
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
            values[name] = value[:255]
    w.pkg.set_core(values, moment)
