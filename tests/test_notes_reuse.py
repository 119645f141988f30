"""Notes formatted once per source: the same notes, and no note shares a node with another.

``notes.apply`` formats a source's shortened note once per locator and gives every note
its own copy; the bibliography's sort key strips accents from each distinct character
once. These tests hold both to the plain way of doing the same, on every brief of the
workspace.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen import citations, notes
from briefgen.commands.common import build_document
from briefgen.document import Emph, Highlight, Link, Strong, Text, copy_inlines
from briefgen.workspace import open_workspace
from workspaces import WORKSPACE


def _topics() -> list[str]:
    topics = sorted(p.stem for p in (WORKSPACE / "briefs").glob("*.yaml"))
    assert topics
    return topics


def _nodes(inlines: list) -> list:
    out = []
    for node in inlines:
        out.append(node)
        if isinstance(node, (Emph, Strong, Link, Highlight)):
            out.extend(_nodes(node.children))
    return out


def test_every_brief_gets_the_notes_of_formatting_each_note_anew(monkeypatch):
    ws = open_workspace(WORKSPACE)
    settings_ = ws.settings()
    once = {t: build_document(ws, t, settings_, None)[1] for t in _topics()}

    def each_time(self, source, locator):
        return citations.short_note_parts(source, locator, self.style)

    monkeypatch.setattr(notes._ShortNotes, "__call__", each_time)
    for topic, doc in once.items():
        again = build_document(ws, topic, settings_, None)[1]
        assert [n.content for n in again.notes()] == [n.content for n in doc.notes()], topic
        assert again == doc, topic


def test_no_two_notes_share_a_node():
    ws = open_workspace(WORKSPACE)
    settings_ = ws.settings()
    for topic in _topics():
        doc = build_document(ws, topic, settings_, None)[1]
        seen: dict[int, int] = {}
        for note in doc.notes():
            for node in _nodes(note.content):
                assert seen.setdefault(id(node), note.number) == note.number, (topic, note.number, node)
        assert len(seen) > len(doc.notes())


def test_a_copy_is_equal_and_shares_nothing():
    original = [Text("Ji, "), Emph([Text("Korea Herald"), Strong([Text("x")])]),
                Link("https://e.org", [Text("https://e.org")]), Text("\u201cA.\u201d")]
    copy = copy_inlines(original)
    assert copy == original
    assert not {id(n) for n in _nodes(copy)} & {id(n) for n in _nodes(original)}
    copy[-1].text = "changed"
    assert original[-1].text == "\u201cA.\u201d"


def _plain_sort_text(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.strip(citations._EDGE_PUNCT + "[] ").casefold()
    for article in ("the ", "a ", "an "):
        if s.startswith(article):
            s = s[len(article):]
            break
    return s


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FFFF)))
def test_the_sort_text_strips_accents_as_before(text):
    assert citations._sort_text(text) == _plain_sort_text(text)


def test_the_sort_text_of_accented_names():
    for name in ("\u00c9lys\u00e9e", "Nguy\u1ec5n V\u0103n", "Se\u0301oul", "Ji Da-gyum"):
        assert citations._sort_text(name) == _plain_sort_text(name)
    assert citations._sort_text("\u00c9lys\u00e9e") == "elysee"
