"""Note marks are placed once, as a tree step before any writer (``briefgen.marks``)."""

from __future__ import annotations

import pytest

from briefgen.document import (
    Citation,
    Document,
    Emph,
    Link,
    Meta,
    NoteRef,
    Paragraph,
    Strong,
    Table,
    Text,
    plain_text,
)
from briefgen.marks import place, place_marks


def mark(key: str = "a") -> NoteRef:
    return NoteRef([Citation(key)])


def shape(nodes) -> list[str]:
    """Each node as a short string: N(keys) for a mark, EMPH/LINK/STRONG(...) for containers."""
    out = []
    for x in nodes:
        if isinstance(x, NoteRef):
            out.append("N(" + ",".join(c.key for c in x.citations) + ")")
        elif isinstance(x, (Emph, Strong, Link)):
            out.append(f"{type(x).__name__.upper()}({''.join(shape(x.children))})")
        else:
            out.append(x.text)
    return out


@pytest.mark.parametrize("inlines, expected", [
    ([Text("word "), "a", Text(". Next")], ["word.", "N(a)", " Next"]),
    ([Text("word"), "a", Text(",\u201d he said")], ["word,\u201d", "N(a)", " he said"]),
    ([Text("end. "), "a", Text(" ")], ["end.", "N(a)", " "]),
    ([Text("end. "), "a"], ["end.", "N(a)"]),
    ([Emph([Text("Title")]), "a", Text(";")], ["EMPH(Title)", ";", "N(a)"]),
    ([Emph([Text("Title ")]), "a", Text("Next")], ["EMPH(Title)", "N(a)", " ", "Next"]),
    # several citations at one place are one note, whatever stands between them
    ([Text("showed "), "a", Text(" "), "b", Text(".")], ["showed.", "N(a,b)"]),
    ([Text("a (b"), "a", "b", Text(").")], ["a (b).", "N(a,b)"]),
    # a mark at the end of emphasis or a link leaves it, and follows the punctuation
    ([Emph([Text("showed "), "a"]), Text(". Next")], ["EMPH(showed)", ".", "N(a)", " Next"]),
    ([Link("https://x.org", [Text("the text"), "a"]), Text(",")],
     ["LINK(the text)", ",", "N(a)"]),
    ([Strong([Text("as "), Emph([Text("said "), "a"])]), Text(".")],
     ["STRONG(as EMPH(said))", ".", "N(a)"]),
    # a mark inside emphasis, mid-span, is placed within it
    ([Emph([Text("one "), "a", Text(", two")])], ["EMPH(one,N(a) two)"]),
])
def test_marks_follow_punctuation(inlines, expected):
    def build(x):
        if isinstance(x, str):
            return mark(x)
        if isinstance(x, (Emph, Strong)):
            return type(x)([build(c) for c in x.children])
        if isinstance(x, Link):
            return Link(x.url, [build(c) for c in x.children])
        return x

    nodes = [build(x) for x in inlines]
    before = plain_text(nodes)
    got = place(nodes)
    assert shape(got) == expected
    assert plain_text(got).replace(" ", "") == before.replace(" ", "")  # no word lost or added


def test_space_inside_emphasis_moves_after_the_mark():
    out = place([Emph([Text("a "), Strong([Text("title ")])]), mark(), Text("next")])
    assert plain_text(out) == "a title next"
    assert out[0].children[1].children[0].text == "title"


def test_the_whole_tree_is_placed_once_tables_included():
    cell = [Text("In 2023 "), mark("a"), Text(" "), mark("b"), Text(".")]
    doc = Document(Meta(title="T", topic="t", date=__import__("datetime").date(2024, 1, 1)),
                   [Paragraph([Text("x "), mark("c"), Text(".")]), Table([], [[cell]])])
    place_marks(doc)
    assert shape(doc.blocks[0].children) == ["x.", "N(c)"]
    assert shape(doc.blocks[1].rows[0][0]) == ["In 2023.", "N(a,b)"]
    again = [list(doc.blocks[0].children), list(doc.blocks[1].rows[0][0])]
    place_marks(doc)  # a second pass changes nothing
    assert shape(doc.blocks[0].children) == shape(again[0])


def test_numbered_marks_are_not_merged():
    with pytest.raises(ValueError):
        place([Text("x"), NoteRef([Citation("a")], 1), NoteRef([Citation("b")], 2)])
