"""The tree's shared helpers, held to their plain definitions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.document import Emph, LineBreak, Link, NoteRef, Strong, Text, merge_text


def _plain_merge(inlines: list) -> list:
    """Adjacent texts joined, empty ones dropped: the definition, one node at a time."""
    out: list = []
    for node in inlines:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        elif isinstance(node, Text) and not node.text:
            continue
        else:
            out.append(node)
    return out


_NODES = st.sampled_from(["", "a", " b", "\u201cc\u201d"]).map(Text) | st.sampled_from([
    Emph([Text("e")]), Strong([]), Link("https://e.org", [Text("l")]), LineBreak(), NoteRef([])])


@settings(max_examples=400, deadline=None)
@given(st.lists(_NODES, max_size=12))
def test_merge_text_joins_adjacent_texts_and_keeps_every_other_node(inlines):
    merged, plain = merge_text(inlines), _plain_merge(inlines)
    assert merged == plain
    # a node kept as it was is the same object; a joined text is a new one
    assert [any(n is m for m in inlines) for n in merged] == [any(n is m for m in inlines) for n in plain]
    assert merge_text(inlines) is not inlines


def _plain_inlines(blocks: list) -> list:
    """Every inline node in reading order: the definition, recursively."""
    from briefgen.document import Highlight, block_inlines, iter_blocks

    def walk(inlines: list) -> list:
        out = []
        for node in inlines:
            out.append(node)
            if isinstance(node, (Emph, Strong, Link, Highlight)):
                out.extend(walk(node.children))
        return out

    return [n for block in iter_blocks(blocks) for seq in block_inlines(block) for n in walk(seq)]


def test_iter_inlines_walks_every_brief_in_reading_order():
    from briefgen.commands.common import build_document
    from briefgen.document import Highlight, Paragraph, iter_inlines
    from briefgen.workspace import open_workspace
    from workspaces import WORKSPACE

    ws = open_workspace(WORKSPACE)
    settings_ = ws.settings()
    for path in sorted((WORKSPACE / "briefs").glob("*.yaml")):
        doc = build_document(ws, path.stem, settings_, None)[1]
        assert [id(n) for n in iter_inlines(doc.blocks)] == [id(n) for n in _plain_inlines(doc.blocks)]
    nested = [Paragraph([Text("a"), Emph([Strong([Link("u", [Highlight([Text("deep")])])]), Text("b")]),
                         LineBreak(), NoteRef([])])]
    assert [id(n) for n in iter_inlines(nested)] == [id(n) for n in _plain_inlines(nested)]
    assert len(list(iter_inlines(nested))) == 9
