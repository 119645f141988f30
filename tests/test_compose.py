"""Compose: templates (sandboxed, strict), Markdown escaping, note placement, topics as data."""

from __future__ import annotations

import pytest

from briefgen.compose import compose, markdown_to_blocks, md_escape
from briefgen.document import (
    Div,
    Emph,
    Heading,
    NoteRef,
    Paragraph,
    Table,
    Text,
    plain_text,
)
from briefgen.errors import BriefgenError
from briefgen.marks import place_marks_in
from briefgen.workspace import open_workspace
from workspaces import edit, make_workspace


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path / "ws")


def build(root):
    w = open_workspace(root)
    warnings = []
    doc = compose(w, w.brief("cyber"), w.settings(), warnings.append)
    return doc, warnings


def test_house_template_lays_out_every_part(ws):
    doc, warnings = build(ws)
    assert warnings == []
    headings = [plain_text(b.children) for b in doc.blocks if isinstance(b, Heading)]
    assert headings == ["Bottom line up front", "Key points", "Background", "Implications",
                        "Chronology", "Sources"]
    question = doc.blocks[0]
    assert isinstance(question, Paragraph) and question.role == "question"
    assert any(isinstance(b, Div) and b.cls == "assessment" for b in doc.blocks)
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert table.role == "chronology"
    assert plain_text(table.rows[0][0]) == "14 February 2024"
    assert doc.meta.marking == "NATO UNCLASSIFIED" and doc.meta.date_text == "1 November 2024"


def test_note_mark_goes_after_the_punctuation():
    blocks = markdown_to_blocks("Talks are annual [@a-b]. Next, *too* [@c; @d], then end.\n")
    place_marks_in(blocks)  # the notes step places marks once, before numbering
    children = blocks[0].children
    assert isinstance(children[0], Text) and children[0].text == "Talks are annual."
    assert isinstance(children[1], NoteRef) and [c.key for c in children[1].citations] == ["a-b"]
    assert children[2].text == " Next, "
    assert isinstance(children[3], Emph)
    assert children[4].text == ","
    assert [c.key for c in children[5].citations] == ["c", "d"]


@pytest.mark.parametrize("text", [
    "R&D <b>bold</b> & \"quotes\" 'single' *stars* _under_ [@not-a-cite] `code` | pipe # hash",
    "# heading? - list? 1. number? > quote? ::: container",
    "\u0627\u0644\u0646\u0627\u062a\u0648 \ud55c\uad6d \u5317\u7d04 \U0001f600 &amp; &#65;",
    "back\\slash \\[@escaped] trailing\\",
])
def test_data_is_escaped_for_markdown_and_comes_back_exactly(text):
    blocks = markdown_to_blocks(md_escape(text) + "\n")
    assert len(blocks) == 1 and isinstance(blocks[0], Paragraph)
    assert plain_text(blocks[0].children) == text
    assert not any(isinstance(n, NoteRef) for n in blocks[0].children)


def test_title_with_markup_characters_is_kept_as_written(ws):
    edit(ws / "briefs" / "cyber.yaml", 'title: "Cyber cooperation"', 'title: "R&D <Cyber> *now* [x]"')
    edit(ws / "briefs" / "cyber.yaml", "heading: Background", 'heading: "Background & <context>"')
    doc, _ = build(ws)
    assert doc.meta.title == "R&D <Cyber> *now* [x]"
    assert any(isinstance(b, Heading) and plain_text(b.children) == "Background & <context>"
               for b in doc.blocks)


def test_template_syntax_error_names_template_line(ws):
    (ws / "templates" / "brief.md.j2").write_text("line one\n{% for x in %}\n")
    with pytest.raises(BriefgenError) as exc:
        build(ws)
    assert str(exc.value).startswith("templates/brief.md.j2:2: template syntax error")


def test_template_undefined_name_is_an_error(ws):
    (ws / "templates" / "brief.md.j2").write_text("# ok\n\n{{ brief.titel }}\n")
    with pytest.raises(BriefgenError) as exc:
        build(ws)
    assert str(exc.value).startswith("templates/brief.md.j2:3: template names something undefined")


@pytest.mark.parametrize("body", [
    "{{ ''.__class__.__mro__ }}",
    "{{ brief.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
])
def test_template_cannot_reach_python_internals(ws, body):
    (ws / "templates" / "brief.md.j2").write_text(body + "\n")
    with pytest.raises(BriefgenError) as exc:
        build(ws)
    assert str(exc.value).startswith("templates/brief.md.j2")
    assert "object" not in str(exc.value).split(":", 2)[-1] or "sandbox" in str(exc.value) \
        or "undefined" in str(exc.value)


def test_template_cannot_read_outside_templates(ws):
    (ws / "secret.txt").write_text("secret")
    (ws / "templates" / "brief.md.j2").write_text("{% include '../secret.txt' %}\n")
    with pytest.raises(BriefgenError) as exc:
        build(ws)
    assert "template not found" in str(exc.value) or "templates/brief.md.j2" in str(exc.value)


def test_reordering_and_removing_sections_is_a_template_edit(ws):
    edit(ws / "briefs" / "cyber.yaml", "sections:\n", "sections:\n  - {id: analysis, heading: Analysis, "
         "paragraphs: [\"Cyber is a priority [@daily-cyber-priority].\"]}\n")
    template = ws / "templates" / "brief.md.j2"
    text = template.read_text()
    edit(template, 'brief.section("background"), brief.section("current-state"), brief.section("analysis")',
         'brief.section("analysis"), brief.section("background")')
    doc, warnings = build(ws)
    headings = [plain_text(b.children) for b in doc.blocks if isinstance(b, Heading)]
    assert headings.index("Analysis") < headings.index("Background")
    template.write_text(text.replace('brief.section("analysis")', "None")
                        .replace(" + brief.remaining_sections()", ""))
    doc, warnings = build(ws)
    assert "Analysis" not in [plain_text(b.children) for b in doc.blocks if isinstance(b, Heading)]
    assert [w.message for w in warnings] == [
        "section 'analysis' is not placed by template brief.md.j2; left out"]


def test_a_topic_may_override_the_house_template(ws):
    (ws / "templates" / "topics").mkdir()
    (ws / "templates" / "topics" / "cyber.md.j2").write_text(
        "## Only this\n\n{{ brief.bluf[0] }}\n\n{% for s in brief.remaining_sections() %}{% endfor %}\n")
    doc, _ = build(ws)
    assert [plain_text(b.children) for b in doc.blocks if isinstance(b, Heading)] == ["Only this"]


def test_a_fifth_topic_is_one_new_yaml_file(ws, capsys):
    from briefgen.cli import main

    spec = (ws / "briefs" / "cyber.yaml").read_text().replace("topic: cyber", "topic: space-policy")
    (ws / "briefs" / "space-policy.yaml").write_text(spec.replace("Cyber cooperation", "Space policy"))
    assert main(["--root", str(ws), "check", "space-policy"]) == 0
    assert main(["--root", str(ws), "list"]) == 0
    out = capsys.readouterr().out
    assert "space-policy  Space policy" in out
    w = open_workspace(ws)
    doc = compose(w, w.brief("space-policy"), w.settings())
    assert doc.meta.topic == "space-policy" and doc.meta.title == "Space policy"
