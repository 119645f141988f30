"""List numbering for the DOCX writer: ``w:abstractNum`` definitions and one ``w:num`` per list."""

from __future__ import annotations


class Numbering:
    """List numbering: two multi-level definitions and one ``w:num`` per list, as markup.

    Each ordered list gets its own ``w:num`` so that it restarts at its own start
    number; bullets share one. The definitions go before the template's first
    ``w:num``, the lists after its last (``opc.Package.fill_numbering``).
    """

    BULLETS = ("\u2022", "\u2013", "\u25e6")
    FORMATS = (("decimal", "%{n}."), ("lowerLetter", "%{n}."), ("lowerRoman", "%{n}."))
    STEP = 425  # twips of indent per level (0.75 cm)

    def __init__(self, next_ids: tuple[int, int]):
        self._next_abstract, self._next_num = next_ids
        self._abstract: dict[bool, int] = {}
        self._bullet_num: int | None = None
        self.abstracts: list[str] = []
        self.nums: list[str] = []

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
        num = f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
        if ordered:
            num += (f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{max(start, 0)}"/>'
                    "</w:lvlOverride>")
        else:
            self._bullet_num = num_id
        self.nums.append(num + "</w:num>")
        return num_id

    def _add_abstract(self, ordered: bool) -> int:
        """A nine-level definition: decimal numbers (``ordered``) or bullets."""
        abstract_id = self._next_abstract
        self._next_abstract += 1
        out = [f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:nsid w:val="{0x2B1E0000 + abstract_id:08X}"/>'
               '<w:multiLevelType w:val="hybridMultilevel"/>']
        for level in range(9):
            if ordered:
                fmt, text = self.FORMATS[level % 3]
                text = text.format(n=level + 1)
            else:
                fmt, text = "bullet", self.BULLETS[level % 3]
            out.append(f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                       f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr>'
                       f'<w:ind w:left="{self.indent(level)}" w:hanging="{self.STEP}"/></w:pPr></w:lvl>')
        out.append("</w:abstractNum>")
        self.abstracts.append("".join(out))
        return abstract_id
