"""Prose cannot break the document: each prose field is parsed on its own."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.brief import CITATION, parse_citation
from briefgen.cli import main
from briefgen.commands.build import build_document
from briefgen.document import Div, Paragraph, iter_blocks, plain_text
from briefgen.workspace import open_workspace
from workspaces import edit, make_workspace

BRIEF = "briefs/cyber.yaml"
PARAGRAPH = '"Officials named cyber cooperation a priority [@daily-cyber-priority]."'


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


def _doc(root: Path):
    w = open_workspace(root)
    settings = w.settings()
    _, doc = build_document(w, "cyber", settings, lambda p: None)
    return doc


def _cited_keys(root: Path) -> int:
    w = open_workspace(root)
    return sum(1 for _ in w.brief("cyber").cited_keys())


def _cited_in_notes(doc) -> int:
    return sum(len(n.citations) for n in doc.notes())


def test_a_colon_fence_in_prose_does_not_end_the_assessment_box(ws):
    edit(ws / BRIEF, '"Cooperation is likely to deepen."',
         '"Cooperation is likely to deepen.\\n\\n:::\\n\\nThis is still judgement."')
    doc = _doc(ws)
    box = next(b for b in iter_blocks(doc.blocks) if isinstance(b, Div) and b.cls == "assessment")
    texts = [plain_text(b.children) for b in box.blocks if isinstance(b, Paragraph)]
    assert "This is still judgement." in texts
    assert ":::" in texts  # printed as the text it is


@pytest.mark.parametrize("prose,what", [
    ('"```\\nThe allies hold talks [@daily-annual-talks].\\n```"', "a code fence"),
    ('"~~~\\nThe allies hold talks [@daily-annual-talks]."', "a code fence"),
    ('"    The allies hold talks [@daily-annual-talks]."', "an indented code block"),
    ('"## Heading [@daily-annual-talks]"', "a heading"),
])
def test_a_code_block_in_prose_is_an_error_at_its_line_and_changes_nothing(ws, capsys, prose, what):
    assert main(["--root", str(ws), "build", "cyber"]) == 0
    before = {p.name: p.read_bytes() for p in (ws / "briefs").glob("cyber.*") if p.suffix != ".yaml"}
    capsys.readouterr()
    edit(ws / BRIEF, PARAGRAPH, prose)
    line = (ws / BRIEF).read_text().splitlines().index(
        next(ln for ln in (ws / BRIEF).read_text().splitlines() if prose in ln)) + 1
    assert main(["--root", str(ws), "build", "cyber"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith(f"{BRIEF}:{line}: {what} in prose"), err
    assert {p.name: p.read_bytes() for p in (ws / "briefs").glob("cyber.*") if p.suffix != ".yaml"} == before


def test_a_field_printed_within_a_line_must_be_one_paragraph(ws, capsys):
    edit(ws / BRIEF, 'question: "Where does cyber cooperation stand?"',
         'question: "Where does it stand?\\n\\nA second paragraph."')
    assert main(["--root", str(ws), "check"]) == 2
    assert re.match(rf"{BRIEF}:5: question is printed within a line", capsys.readouterr().err)


def test_private_use_characters_typed_in_prose_never_reach_the_tree(ws):
    edit(ws / BRIEF, PARAGRAPH, '"Officials \\ue0000\\ue001 and \\ue0100\\ue011 named it [@daily-cyber-priority]."')
    doc = _doc(ws)
    from briefgen.document import Text, iter_inlines

    text = "".join(n.text for n in iter_inlines(doc.blocks) if isinstance(n, Text))
    assert not re.search("[\ue000-\uf8ff]", text)
    assert "\ufffd" in text
    assert _cited_in_notes(doc) == _cited_keys(ws)


# --------------------------------------------------------------------------- property

_PIECES = st.sampled_from([
    "```", "~~~", "    ", "\t", ":::", "::: assessment", "::: sources", "\n", "\n\n", "- ", "1. ",
    "> ", "# ", "|", "| a | b |", "<div>", "</div>", "<!--", "-->", "[", "]", "(", ")", "\\",
    "\\[", "*", "_", "**", "`", "[@daily-annual-talks]", "[@daily-cyber-priority]",
    "[@daily-annual-talks; @daily-cyber-priority]", "[@daily-annual-talks, correction]",
    "[@daily-annual-talks, para. 3]", "[daily-annual-talks]", "@daily-cyber-priority",
    "[x](http://e.org)", "<http://e.org>", "&amp;", "words", "talks.", " ", "---",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=14))
def test_any_markdown_in_prose_gives_exit_0_or_2_and_one_note_per_citation(pieces):
    prose = "".join(pieces)
    with tempfile.TemporaryDirectory() as tmp:
        root = make_workspace(Path(tmp) / "ws")
        text = (root / BRIEF).read_text(encoding="utf-8")
        (root / BRIEF).write_text(text.replace(PARAGRAPH, json.dumps(prose)), encoding="utf-8")
        code = main(["--root", str(root), "build", "cyber", "--format", "docx"])
        assert code in (0, 2)
        if code == 0:
            doc = _doc(root)
            expected = sum(len(parse_citation(m.group(1)))
                           for _, t, _ in open_workspace(root).brief("cyber").prose()
                           for m in CITATION.finditer(t))
            assert _cited_in_notes(doc) == expected
        shutil.rmtree(root)


def test_briefgens_reserved_characters_typed_anywhere_are_replaced_with_a_warning(ws, capsys):
    edit(ws / BRIEF, 'title: "Cyber cooperation"', 'title: "Cyber \\ue000 cooperation \\ue003"')
    assert main(["--root", str(ws), "build", "cyber", "--format", "docx"]) == 0
    err = capsys.readouterr().err
    assert f"{BRIEF}:2: warning: title: replaced character(s) briefgen reserves" in err
    assert "U+E000" in err and "U+E003" not in err  # another private-use character is text
    from docx import Document

    assert Document(str(ws / "briefs" / "cyber.docx")).core_properties.title == "Cyber \ufffd cooperation \ue003"
