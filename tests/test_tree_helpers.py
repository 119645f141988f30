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
