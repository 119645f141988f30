"""The template's Markdown read without markdown-it (``plainmd``): the same tree.

``plainmd.plain_tokens`` reads Markdown made only of plain lines (headings, ``:::``
containers, paragraphs and list items of plain text, tables) and gives up on anything
else. These tests hold it to markdown-it: whatever it reads must give exactly the blocks
markdown-it's tokens give, for Markdown assembled from the lines a template writes and
from lines that only look like them; every brief of the workspace, and the synthetic
brief of the benchmark, is read by it and composes to the same tree without it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen import compose, plainmd
from briefgen.commands.common import build_document
from briefgen.compose import _CONTAINER_SET, _MARK_CLOSE, _MARK_OPEN, _TreeBuilder
from briefgen.prose import _FIELD_CLOSE, _FIELD_OPEN
from briefgen.workspace import open_workspace
from workspaces import WORKSPACE

_CITATIONS = [[compose.CiteItem(f"extract-{i}", pin_correction=i % 2 == 1)] for i in range(3)]


def _parsed(text: str) -> list:
    blocks, _ = _TreeBuilder(_CITATIONS, "(test)").blocks(compose._parser().parse(text))
    return blocks


def _read(text: str) -> list | None:
    tokens = plainmd.plain_tokens(text, _CONTAINER_SET)
    if tokens is None:
        return None
    blocks, _ = _TreeBuilder(_CITATIONS, "(test)").blocks(tokens)
    return blocks


_FIELDS = [f"{_FIELD_OPEN}{i}{_FIELD_CLOSE}" for i in range(3)]
_MARKS = [f"{_MARK_OPEN}{i}{_MARK_CLOSE}" for i in range(3)]
#: Pieces of a line's text: plain words, escapes (as md_escape writes them), placeholders,
#: citation marks; and characters that are markup, or white space, somewhere.
_QUIET = ["Officials", "met", " ", "2023", "\\:", "\\#", "\\|", "\\-", "\\*", "\\\\", "\\[", "a.", "é",
          "\u2019", "!", "~", "(", "'", *_FIELDS, *_MARKS]
_LOUD = ["#", "|", ":", "-", "*", "_", "`", "[x](y)", "<b>", "&amp;", "\\", "\xa0", "\t", "  ", "1.",
         ">", "+", "=", "**", "\u2028", "    "]
_quiet = st.lists(st.sampled_from(_QUIET), min_size=1, max_size=6).map("".join)
_text = st.one_of(_quiet, _quiet, _quiet, st.lists(st.sampled_from(_QUIET) | st.sampled_from(_LOUD),
                                                   min_size=0, max_size=6).map("".join))
_cells = st.lists(_text, min_size=1, max_size=3)
#: Lines a template writes, and lines that only look like them.
_LINE = st.one_of(
    st.just(""), st.just(""), _text,
    st.sampled_from(_FIELDS),
    _text.map(lambda t: "- " + t),
    st.sampled_from(["# ", "## ", "### ", "#### ", "####### ", "#", "##  "]).flatmap(
        lambda h: _text.map(lambda t: h + t)),
    st.sampled_from(["::: question", "::: lead", "::: assessment", "::: chronology", "::: sources",
                     ":::", "::: other", "::::", "::: lead x", ":::  "]),
    st.sampled_from(["**Question.** ", "**Question.**", "**Q** x **y**", "**a\\.** ", "** x"]).flatmap(
        lambda q: _text.map(lambda t: q + t)),
    _cells.map(lambda cells: "| " + " | ".join(cells) + " |"),
    st.sampled_from(["|:-----|:------|", "|---|---|", "|:-:|--:|", "|---|", "| --- | :-: | ---: |",
                     "|-|-|-|", "---", "|a|b|"]),
)
#: A table, header, delimiter and rows of as many cells (or not quite).
_TABLE = st.tuples(st.integers(1, 3), st.integers(0, 3), st.booleans()).flatmap(
    lambda n: st.tuples(st.lists(st.lists(_text, min_size=n[0], max_size=n[0] + int(n[2])),
                                 min_size=n[1] + 1, max_size=n[1] + 1),
                        st.lists(st.sampled_from(["---", ":--", "--:", ":-:"]), min_size=n[0],
                                 max_size=n[0])).map(
        lambda t: ["| " + " | ".join(t[0][0]) + " |", "|" + "|".join(t[1]) + "|",
                   *("| " + " | ".join(row) + " |" for row in t[0][1:])]))
_RUN = st.one_of(_LINE.map(lambda line: [line]), _LINE.map(lambda line: [line, ""]),
                 _TABLE, _TABLE.map(lambda rows: ["", *rows, ""]))
#: A container round some of those lines.
_BLOCK = st.one_of(
    _RUN, _RUN,
    st.tuples(st.sampled_from(sorted(_CONTAINER_SET)), st.lists(_RUN, max_size=5)).map(
        lambda c: [f"::: {c[0]}", *(line for run in c[1] for line in run), ":::"]),
)
_DOC = st.lists(_BLOCK, min_size=1, max_size=10).map(lambda runs: [line for run in runs for line in run])


@settings(max_examples=1500, deadline=None)
@given(_DOC)
def test_what_it_reads_gives_markdown_its_blocks(lines):
    text = "\n".join(lines) + "\n"
    read = _read(text)
    if read is not None:
        assert read == _parsed(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.characters(max_codepoint=0x3000) | st.sampled_from(_FIELDS + ["\n", "- ", ":::\n"]),
                min_size=1, max_size=40))
def test_any_text_it_reads_gives_markdown_its_blocks(pieces):
    text = "".join(pieces)
    read = _read(text)
    if read is not None:
        assert read == _parsed(text)


_HOUSE = (
    f"::: question\n**Question.** {_FIELDS[0]}\n:::\n\n## Bottom line up front\n\n::: lead\n"
    f"{_FIELDS[1]}\n\n{_FIELDS[2]}\n\n:::\n\n## Key points\n\n- {_FIELDS[0]}\n- {_FIELDS[1]}\n\n"
    f"## Part 1\\: Cyber\n\n{_FIELDS[2]}\n\n- {_FIELDS[0]}\n- {_FIELDS[1]}\n\n## Implications\n\n"
    f"::: assessment\n{_FIELDS[0]}\n\n- {_FIELDS[1]}\n:::\n\n## Chronology\n\n::: chronology\n"
    f"| Date | Event |\n|:-----|:------|\n| 1 January 2020 | {_FIELDS[1]} |\n"
    f"| 16 April 2020 | {_FIELDS[2]} |\n:::\n\n## Sources\n\n::: sources\n:::\n"
)


@pytest.mark.parametrize("text", [
    _HOUSE, "## Heading\n", f"Text cited{_MARKS[0]}.\nnext line\n", "| a |\n|---|\n",
    "| a | b |\n|:-:|--:|\n| | x \\| y |\n", "::: sources\n:::\n", "",
])
def test_the_lines_a_template_writes_are_read(text):
    read = _read(text)
    assert read is not None
    assert read == _parsed(text)


@pytest.mark.parametrize("text", [
    "- a\nlazy\n", "para\n- item\n", "para\n## heading\n", "*em*\n", "a `code`\n", "[a](b)\n",
    "1. item\n", "> quote\n", "    code\n", "---\n", "text  \nbreak\n", "::: lead\n::: question\n:::\n:::\n",
    "::: lead\nunclosed\n", ":::\n", "::: other\n:::\n", "| a | b |\n|---|\n", "| a |\n|---|\nrow\n",
    "## Heading #\n", "&amp;\n", "a\\b\n", "trail \n", "#\n",
])
def test_anything_else_goes_to_markdown_it(text):
    assert plainmd.plain_tokens(text, _CONTAINER_SET) is None


def test_every_brief_composes_the_same_without_it(monkeypatch):
    ws = open_workspace(WORKSPACE)
    settings_ = ws.settings()
    topics = sorted(p.stem for p in (WORKSPACE / "briefs").glob("*.yaml"))
    assert topics
    read: list[bool] = []
    plain_tokens = plainmd.plain_tokens

    def spy(text: str, containers: frozenset[str]) -> list[plainmd.Tok] | None:
        tokens = plain_tokens(text, containers)
        read.append(tokens is not None)
        return tokens

    monkeypatch.setattr(plainmd, "plain_tokens", spy)
    direct = {t: build_document(ws, t, settings_, None)[1] for t in topics}
    assert read and all(read)  # the house template's Markdown is read without markdown-it
    monkeypatch.setattr(plainmd, "plain_tokens", lambda text, containers: None)
    for topic in topics:
        assert build_document(ws, topic, settings_, None)[1] == direct[topic], topic
