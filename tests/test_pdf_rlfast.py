"""The PDF writer's stand-ins for reportlab's per-word helpers answer as reportlab does."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib import colors
from reportlab.lib.rl_accel import sameFrag as c_same_frag
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paraparser import ParaFrag

from briefgen.writers.pdf.fonts import CARLITO, register_fonts
from briefgen.writers.pdf.rlfast import (
    _original_split,
    ascent_descent,
    same_frag,
    split_string,
    string_width,
)

_VALUES: dict[str, Any] = {
    "fontName": st.sampled_from(["Carlito", "Carlito-Bold"]),
    "fontSize": st.sampled_from([9, 9.0, 10.5]),
    "textColor": st.sampled_from([colors.black, colors.Color(0, 0, 0), colors.red, None]),
    "rise": st.sampled_from([0, 0.0, 3]),
    "us_lines": st.sampled_from([[], [("u", 1)], None]),
    "link": st.sampled_from([None, [], ["https://a.example"]]),
    "backColor": st.sampled_from([None, colors.yellow]),
    "nobr": st.sampled_from([None, 0, 1]),
    "cbDefn": st.sampled_from([None, "cb"]),
    "lineBreak": st.sampled_from([None, 1]),
}
_FRAG = st.fixed_dictionaries({}, optional=_VALUES).map(lambda kw: ParaFrag(text="x", **kw))


@settings(max_examples=400, deadline=None)
@given(_FRAG, _FRAG)
def test_same_frag_answers_as_reportlabs(f: ParaFrag, g: ParaFrag) -> None:
    assert same_frag(f, g) == bool(c_same_frag(f, g))
    assert same_frag(f, f) == bool(c_same_frag(f, f))


_TEXT = st.text(alphabet=st.sampled_from("abc ABC,.\u00a0\u2013\u201c\u201d\u00e9\uac00\U0001f600"), max_size=30)


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.sampled_from([7.5, 9, 10.5]))
def test_string_width_as_reportlabs(text: str, size: float) -> None:
    register_fonts()
    for name in (CARLITO.regular, CARLITO.bold, "Helvetica"):
        assert string_width(text, name, size) == stringWidth(text, name, size)
        assert string_width(text, name, size) == stringWidth(text, name, size)  # kept


class _Doc:
    """A document, as a font's subset state knows one (a weak-referable key)."""


def test_ascent_descent_as_reportlabs() -> None:
    register_fonts()
    for name in (CARLITO.regular, CARLITO.bold_italic, "Helvetica"):
        for size in (None, 0, 7.5, 9, 10.5, 9):
            assert ascent_descent(name, size) == getAscentDescent(name, size)


@settings(max_examples=60, deadline=None)
@given(st.lists(_TEXT, max_size=25))
def test_split_string_as_reportlabs(texts: list[str]) -> None:
    """Two documents built side by side, one split by each: the same chunks, and the
    same codes assigned in the same order."""
    register_fonts()
    from reportlab.pdfbase.pdfmetrics import getFont

    font = getFont(CARLITO.regular)
    ours, theirs = _Doc(), _Doc()
    font._assignState(ours)
    font._assignState(theirs)
    try:
        for text in texts + texts:  # the second time round every code is known
            assert split_string(font, text, ours) == _original_split(font, text, theirs)
        assert font.state[ours].assignments == font.state[theirs].assignments
    finally:
        del font.state[ours], font.state[theirs]
