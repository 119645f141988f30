"""A footnotes part for python-docx, which (as of 1.2) has no footnote API.

Modelled on python-docx's own comments part (``docx/parts/comments.py``): one
``Part`` subclass per package part, a ``default()`` constructor that owns the part's
XML, and registration with python-docx's ``PartFactory`` so that a document that
already has ``word/footnotes.xml`` (a house template saved by Word) loads it as this
class, and a saved brief reopens with its notes intact.

The part holds two special notes Word and LibreOffice expect before any real note:
the separator (``w:id="-1"``) drawn above the notes on each page and the
continuation separator (``w:id="0"``) drawn where a long note runs on to the next
page. Real notes are numbered from 1; the body refers to each with one
``w:footnoteReference``. Word numbers notes by their position in the text, so the
ids only need to be unique, which lets a user insert a note anywhere.

Building thousands of notes must stay linear: the writer numbers the notes in reading
order and writes their ``w:footnote`` elements straight into the part's bytes
(``opc.Package.fill``); the part never searches its own XML for the next free id.

Review copies also carry Word comments. python-docx 1.2 has the comments part
(``CommentsPart``) but its ``add_comment`` searches every existing id for the next
free one and stamps the current time: quadratic in the number of comments and not
reproducible. ``package.textual`` gives the writer the part's bytes around its
(emptied) root, and the writer writes its own ``w:comment`` elements with counted ids
and a fixed date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import PartFactory
from docx.oxml.parser import parse_xml
from docx.parts.story import StoryPart

if TYPE_CHECKING:
    from docx.package import Package
    from docx.parts.document import DocumentPart

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

#: The ids of the two notes that are not notes: they draw the rule above the notes.
SEPARATOR_ID = -1
CONTINUATION_SEPARATOR_ID = 0

_DEFAULT_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}">
  <w:footnote w:type="separator" w:id="{SEPARATOR_ID}">
    <w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
      <w:r><w:separator/></w:r></w:p>
  </w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="{CONTINUATION_SEPARATOR_ID}">
    <w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
      <w:r><w:continuationSeparator/></w:r></w:p>
  </w:footnote>
</w:footnotes>
"""


class FootnotesPart(StoryPart):
    """``word/footnotes.xml``: the text of every footnote, keyed by ``w:id``.

    A story part (like the body, headers and comments), so a note may hold runs,
    hyperlinks and fields, and relationships for its hyperlinks live on this part.
    """

    @classmethod
    def default(cls, package: Package) -> FootnotesPart:
        """A new footnotes part holding only the separator and continuation separator."""
        element = parse_xml(_DEFAULT_XML.encode("utf-8"))
        return cls(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element, package)

    def reset(self) -> None:
        """Drop every note and put back the standard separators.

        A house template may carry notes of its own (sample text) and separators under
        other ids (LibreOffice numbers them 0 and 1); a brief starts from a clean part
        so that its notes are exactly 1..n. The root is new too, binding the prefixes
        ``w`` and ``r`` as the writer's notes use them (``package.spliced``).
        """
        self._element = parse_xml(_DEFAULT_XML.encode("utf-8"))


def _get_or_add_part(document_part: DocumentPart, reltype: str, cls: Any, what: str) -> Any:
    """The document's part of ``reltype``, created from ``cls.default`` when missing."""
    for rel in document_part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            part = rel.target_part
            if not isinstance(part, cls):  # loaded before the part class was registered
                raise TypeError(f"{what} part was loaded without the {cls.__name__} class")
            return part
    package = document_part.package
    assert package is not None
    part = cls.default(package)
    document_part.relate_to(part, reltype)
    return part


def get_or_add_footnotes_part(document_part: DocumentPart) -> FootnotesPart:
    """The document's footnotes part, created and related to it when missing."""
    return _get_or_add_part(document_part, RT.FOOTNOTES, FootnotesPart, "footnotes")


# Loading a package picks the part class by content type: register ours so that a
# template's or a reopened brief's footnotes.xml becomes a FootnotesPart.
PartFactory.part_type_for[CT.WML_FOOTNOTES] = FootnotesPart
