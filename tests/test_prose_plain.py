"""A prose field of plain text is not given to the Markdown parser: the same blocks.

``prose.is_plain`` says when CommonMark reads a field as one paragraph of nothing but
its own text; such a field becomes that paragraph directly. These tests hold that
shortcut to markdown-it's own reading: any text the rule lets through must give exactly
the blocks the parser gives, and every brief of the workspace must compose to the same
tree with the shortcut and without it.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen import prose
from briefgen.brief import CiteItem
from briefgen.commands.common import build_document
from briefgen.compose import _MARK_CLOSE, _MARK_OPEN, _TreeBuilder, marked_text
from briefgen.document import Paragraph, merge_text
from briefgen.workspace import open_workspace
from workspaces import WORKSPACE

_CITATIONS = [[CiteItem(f"extract-{i}", pin_correction=i % 2 == 1)] for i in range(4)]


def _parsed(text: str) -> list:
    """What markdown-it and the tree builder make of a field (the path taken before)."""
    blocks, _ = _TreeBuilder(_CITATIONS, "(test)").blocks(prose._parser().parse(text))
    return blocks


def _direct(text: str) -> list:
    inlines: list = []
    marked_text(text, _CITATIONS, inlines)
    return [Paragraph(merge_text(inlines))]


# Characters that mean nothing to CommonMark within a line, those that may mean something
# at its start or end, and white space of every kind the parser or Python treats apart.
_QUIET = list("abcXYZ é.,;:!?'\"()-#>=+|~/@$%^{}0123456789") + ["  ", "\t", "\x0b", "\x0c",
                                                                  "\xa0", "\u2028", "\x85", "\u3000",
                                                                  "\ufffd", "\u201c", "\u2019"]
_LOUD = list(string.punctuation) + ["\n", "\r", "\r\n", "\x00", "\n\n", "    ", "1. ", "- ", "> ",
                                    "# ", "***", "```", "[x](y)", "![a](b)", "<http://e.org>",
                                    "&amp;", "\\*", "a  \nb", " *em* ", " _em_ ", " **strong** ", " `code` "]
_MARKS = [f"{_MARK_OPEN}{i}{_MARK_CLOSE}" for i in range(len(_CITATIONS))]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_QUIET + _MARKS) | st.sampled_from(_LOUD), min_size=1, max_size=30))
def test_a_field_let_through_gives_the_parsers_blocks(pieces):
    text = "".join(pieces)
    if prose.is_plain(text):
        assert _direct(text) == _parsed(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.characters(max_codepoint=0x3000) | st.sampled_from(_MARKS), min_size=1, max_size=40))
def test_any_text_let_through_gives_the_parsers_blocks(pieces):
    text = "".join(pieces)
    if prose.is_plain(text):
        assert _direct(text) == _parsed(text)


@pytest.mark.parametrize("text", [
    "Officials met in Brussels.", "NATO\u2019s partners \u201cmet\u201d (twice): 3 times, 40% #1 > 2!",
    f"Talks resumed{_MARK_OPEN}0{_MARK_CLOSE}. Others followed{_MARK_OPEN}1{_MARK_CLOSE}",
    f"{_MARK_OPEN}2{_MARK_CLOSE} leads", "In 2023, 5 + 5 = 10 ~ a | b",
])
def test_plain_text_takes_the_shortcut(text):
    assert prose.is_plain(text)
    assert _direct(text) == _parsed(text)


@pytest.mark.parametrize("text", [
    "", " lead", "trail ", "*em*", "an *emphasised* word", "some __strong__ text", "a_b", "code `x`", "[link](x)", "a <b>", "&amp;", "back\\slash",
    "two\nlines", "- item", "1. item", "1) item", "> quote", "# heading", "---", "    code", "```",
    "~~~", "+ item", "=", "trail\xa0", "\tx",
])
def test_markup_or_a_block_start_goes_to_the_parser(text):
    assert not prose.is_plain(text)


def test_every_brief_composes_the_same_without_the_shortcut(monkeypatch):
    ws = open_workspace(WORKSPACE)
    settings_ = ws.settings()
    topics = sorted(p.stem for p in (WORKSPACE / "briefs").glob("*.yaml"))
    assert topics
    direct = {t: build_document(ws, t, settings_, None)[1] for t in topics}
    taken = sum(prose.is_plain(text) for t in topics for _, text, _ in ws.brief(t).prose())
    assert taken  # the shortcut is exercised by the real briefs
    monkeypatch.setattr(prose, "is_plain", lambda text: False)
    for topic in topics:
        assert build_document(ws, topic, settings_, None)[1] == direct[topic], topic
