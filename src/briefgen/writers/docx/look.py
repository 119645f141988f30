"""The house look of the DOCX: colours, boxes and indents the styles and the writer share."""

from __future__ import annotations

from ...house import House

_HOUSE = House()  # the house look both writers read (``briefgen.house``)
FONT = _HOUSE.body_font  # Calibri: LibreOffice substitutes the metric-compatible Carlito
NAVY = _HOUSE.palette.heading
BLUE = _HOUSE.palette.accent
GREY = _HOUSE.palette.muted
RULE = _HOUSE.palette.rule
GOLD = _HOUSE.palette.assessment_bar
GOLD_TEXT = _HOUSE.palette.assessment_label
BOX_FILL = _HOUSE.palette.lead_fill
ASSESS_FILL = _HOUSE.palette.assessment_fill


def _border(side: str, color: str, size: int, space: int) -> str:
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/>'


def _box(bar: str, fill: str) -> str:
    """A shaded box with a coloured bar on the left; top and bottom borders in the fill
    colour pad the text. Paragraphs with identical borders join into one box."""
    return (f"<w:pBdr>{_border('top', fill, 4, 4)}{_border('left', bar, 24, 10)}"
            f"{_border('bottom', fill, 4, 4)}</w:pBdr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{fill}\"/>")


_BOX_BORDER = _box(BLUE, BOX_FILL)
_ASSESS_BORDER = _box(GOLD, ASSESS_FILL)
BOX_INDENT = 240  # twips between a box's bar and its text
#: the assessment box's border and shading, as paragraph properties by name (``markup.Para``)
ASSESS_BOX: tuple[tuple[str, str], ...] = (
    ("pBdr", _ASSESS_BORDER[:_ASSESS_BORDER.index("</w:pBdr>") + len("</w:pBdr>")]),
    ("shd", _ASSESS_BORDER[_ASSESS_BORDER.index("</w:pBdr>") + len("</w:pBdr>"):]))
