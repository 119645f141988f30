"""List numbering for the DOCX writer: ``w:abstractNum`` definitions and one ``w:num`` per list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from .oxml import W_PPR, W_VAL, _w
from .package import numbering_element

if TYPE_CHECKING:
    from docx.document import Document as WordDocument


class Numbering:
    """List numbering: two multi-level definitions and one ``w:num`` per list.

    Each ordered list gets its own ``w:num`` so that it restarts at its own start
    number; bullets share one.
    """

    BULLETS = ("\u2022", "\u2013", "\u25e6")
    FORMATS = (("decimal", "%{n}."), ("lowerLetter", "%{n}."), ("lowerRoman", "%{n}."))
    STEP = 425  # twips of indent per level (0.75 cm)

    def __init__(self, word: WordDocument):
        self._root = numbering_element(word)
        abstract_ids = [int(e.get(_w("abstractNumId"), "0")) for e in self._root.iterchildren(_w("abstractNum"))]
        num_ids = [int(e.get(_w("numId"), "0")) for e in self._root.iterchildren(_w("num"))]
        self._next_abstract = max(abstract_ids, default=-1) + 1
        self._next_num = max(num_ids, default=0) + 1
        self._abstract: dict[bool, int] = {}
        self._bullet_num: int | None = None

    def indent(self, level: int) -> int:
        return self.STEP * (level + 1)

    def new_list(self, ordered: bool, start: int, level: int) -> int:
        """The ``w:numId`` for a new list whose items sit at ``level``."""
        if not ordered and self._bullet_num is not None:
            return self._bullet_num
        abstract_id = self._abstract.get(ordered)
        if abstract_id is None:
            abstract_id = self._abstract[ordered] = self._add_abstract(ordered)
        num_id = self._next_num
        self._next_num += 1
        num = etree.SubElement(self._root, _w("num"))
        num.set(_w("numId"), str(num_id))
        etree.SubElement(num, _w("abstractNumId")).set(W_VAL, str(abstract_id))
        if ordered:
            override = etree.SubElement(num, _w("lvlOverride"))
            override.set(_w("ilvl"), str(level))
            etree.SubElement(override, _w("startOverride")).set(W_VAL, str(max(start, 0)))
        else:
            self._bullet_num = num_id
        return num_id

    def _add_abstract(self, ordered: bool) -> int:
        """A nine-level definition: decimal numbers (``ordered``) or bullets."""
        abstract_id = self._next_abstract
        self._next_abstract += 1
        abstract = etree.Element(_w("abstractNum"))
        abstract.set(_w("abstractNumId"), str(abstract_id))
        etree.SubElement(abstract, _w("nsid")).set(W_VAL, f"{0x2B1E0000 + abstract_id:08X}")
        etree.SubElement(abstract, _w("multiLevelType")).set(W_VAL, "hybridMultilevel")
        for level in range(9):
            lvl = etree.SubElement(abstract, _w("lvl"))
            lvl.set(_w("ilvl"), str(level))
            etree.SubElement(lvl, _w("start")).set(W_VAL, "1")
            if ordered:
                fmt, text = self.FORMATS[level % 3]
                etree.SubElement(lvl, _w("numFmt")).set(W_VAL, fmt)
                etree.SubElement(lvl, _w("lvlText")).set(W_VAL, text.format(n=level + 1))
            else:
                etree.SubElement(lvl, _w("numFmt")).set(W_VAL, "bullet")
                etree.SubElement(lvl, _w("lvlText")).set(W_VAL, self.BULLETS[level % 3])
            etree.SubElement(lvl, _w("lvlJc")).set(W_VAL, "left")
            ppr = etree.SubElement(lvl, W_PPR)
            ind = etree.SubElement(ppr, _w("ind"))
            ind.set(_w("left"), str(self.indent(level)))
            ind.set(_w("hanging"), str(self.STEP))
        # Every w:abstractNum precedes every w:num in numbering.xml.
        first_num = next(self._root.iterchildren(_w("num")), None)
        if first_num is None:
            self._root.append(abstract)
        else:
            first_num.addprevious(abstract)
        return abstract_id
