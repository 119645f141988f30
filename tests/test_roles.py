"""Every writer has a rule for every node type and every role of the Document tree.

The node types and roles are read from ``briefgen.document``: a new block or inline
type, paragraph role, table role or div class fails here until each writer (and this
file's factories) knows it.
"""

from __future__ import annotations

import datetime as dt
import typing

import pytest

from briefgen import document as d
from briefgen.document import (
    Bibliography,
    Citation,
    Div,
    DivClass,
    Document,
    Emph,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    Meta,
    NoteRef,
    Paragraph,
    Quote,
    Role,
    Strong,
    Table,
    TableRole,
    Text,
)
from briefgen.writers.docx import render_docx
from briefgen.writers.pdf import render_pdf

INLINES = {
    Text: lambda: Text("plain"),
    Emph: lambda: Emph([Text("emphasis")]),
    Strong: lambda: Strong([Text("strong")]),
    d.Highlight: lambda: d.Highlight([Text("marked")]),
    Link: lambda: Link("https://example.org", [Text("a link")]),
    LineBreak: LineBreak,
    NoteRef: lambda: NoteRef([Citation("x")], 1, [Text("The note.")]),
}
BLOCKS = {
    Heading: lambda: Heading(1, [Text("A heading")], anchor="a-heading"),
    Paragraph: lambda: Paragraph([f() for f in INLINES.values()]),
    ListBlock: lambda: ListBlock(True, [[Paragraph([Text("item")])]]),
    Quote: lambda: Quote([Paragraph([Text("quoted")])]),
    Table: lambda: Table([[Text("A")], [Text("B")]], [[[Text("1")], [Text("2")]]]),
    Div: lambda: Div("other", [Paragraph([Text("in a div")])]),
    d.Figure: lambda: _figure(),
    Bibliography: lambda: Bibliography([[Text("An entry.")]]),
}


def _figure() -> d.Figure:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 60, 120)).save(out, format="PNG")
    return d.Figure("figures/x.png", "A blue rectangle", "A caption", number=1, data=out.getvalue(),
                    kind="png", pixels=(40, 30))


def meta() -> Meta:
    return Meta(title="Roles", topic="roles", date=dt.date(2024, 11, 1), subtitle="Every one",
                author="Unit", organisation="Directorate")


def write_both(blocks: list) -> None:
    doc = Document(meta(), blocks)
    render_docx(doc, warn=pytest.fail)
    render_pdf(doc, warn=pytest.fail)


def test_the_factories_cover_every_node_type():
    assert set(INLINES) == set(typing.get_args(d.Inline))
    assert set(BLOCKS) == set(typing.get_args(d.Block))


@pytest.mark.parametrize("kind", list(BLOCKS), ids=lambda t: t.__name__)
def test_each_writer_writes_every_node_type(kind):
    write_both([BLOCKS[kind]()])


@pytest.mark.parametrize("role", list(Role))
def test_each_writer_has_a_rule_for_every_paragraph_role(role):
    write_both([Paragraph([Text(f"A {role} paragraph")], role=role)])


@pytest.mark.parametrize("role", list(TableRole))
def test_each_writer_has_a_rule_for_every_table_role(role):
    write_both([Table([[Text("Date")], [Text("Event")]], [[[Text("2024")], [Text("x")]]], role=role)])


@pytest.mark.parametrize("cls", list(DivClass))
def test_each_writer_has_a_rule_for_every_div_class(cls):
    write_both([Div(cls, [Paragraph([Text("inside")])])])


@pytest.mark.parametrize("render", [render_docx, render_pdf], ids=["docx", "pdf"])
def test_a_role_no_writer_knows_is_an_error_not_silence(render):
    doc = Document(meta(), [Paragraph([Text("x")], role="no-such-role")])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="no-such-role"):
        render(doc, warn=lambda m: None)
