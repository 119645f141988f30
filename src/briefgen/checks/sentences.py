"""The cited sentences of a Document: the words each note mark vouches for.

A note mark vouches for the sentence it ends, from the sentence's start or from an
earlier mark inside the same sentence. A table row is read as one line, its cells
joined, so that a chronology's date cell belongs to its event's note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..document import (
    Block,
    Document,
    Emph,
    Inline,
    LineBreak,
    Link,
    NoteRef,
    Strong,
    Table,
    Text,
    block_inlines,
    iter_blocks,
)
from ..sentences import sentence_start

_CELL_JOIN = ": "


@dataclass(slots=True)
class Piece:
    """A ``Text`` node of the tree and where its text starts in the flat line."""

    container: list[Inline]
    node: Text
    offset: int


@dataclass(slots=True)
class Line:
    """One inline sequence (or table row) flattened: its text, pieces and note marks."""

    text: str = ""
    pieces: list[Piece] = field(default_factory=list)
    marks: list[tuple[int, NoteRef]] = field(default_factory=list)
    role: str | None = None  # the table's role for a table row, e.g. "chronology"

    def add(self, inlines: list[Inline]) -> None:
        """Append ``inlines``: their text (a line break as a space), pieces and marks."""
        parts = [self.text]
        self._add(inlines, parts, len(self.text))
        self.text = "".join(parts)

    def _add(self, inlines: list[Inline], parts: list[str], length: int) -> int:
        """``add`` into ``parts`` (the text so far, ``length`` long); the new length."""
        for node in inlines:
            if isinstance(node, Text):
                self.pieces.append(Piece(inlines, node, length))
                parts.append(node.text)
                length += len(node.text)
            elif isinstance(node, (Emph, Strong, Link)):
                length = self._add(node.children, parts, length)
            elif isinstance(node, LineBreak):
                parts.append(" ")
                length += 1
            elif isinstance(node, NoteRef):
                self.marks.append((length, node))
            elif hasattr(node, "children"):
                length = self._add(node.children, parts, length)
        return length


@dataclass(slots=True)
class Sentence:
    """The words one note vouches for."""

    note: NoteRef
    text: str
    line: Line
    start: int  # where ``text`` starts in ``line.text``


def lines(doc: Document) -> Iterator[Line]:
    for block in iter_blocks(doc.blocks):
        yield from _block_lines(block)


def _block_lines(block: Block) -> Iterator[Line]:
    if isinstance(block, Table):
        for row in block.rows:
            line = Line(role=block.role)
            for i, cell in enumerate(row):
                if i:
                    line.text += _CELL_JOIN
                line.add(cell)
            yield line
        return
    for seq in block_inlines(block):
        line = Line()
        line.add(seq)
        yield line


def sentences(doc: Document, doc_lines: list[Line] | None = None) -> Iterator[Sentence]:
    """Each note mark of the body with the words it vouches for, in reading order
    (``doc_lines``: the document's ``lines``, if the caller has them already)."""
    for line in doc_lines if doc_lines is not None else lines(doc):
        if not line.marks:
            continue
        previous = 0
        for pos, note in line.marks:
            start = sentence_start(line.text, previous, pos)
            text = line.text[start:pos]
            lead = len(text) - len(text.lstrip(" ,;:.\u2014\u2013"))
            yield Sentence(note, text[lead:], line, start + lead)
            previous = pos


def highlight(sentence: Sentence, start: int, end: int, wrap: Callable[[list[Inline]], Inline]) -> None:
    """Wrap the sentence's characters ``start:end`` in the tree with ``wrap(children)``.

    The ``Text`` nodes holding them are split; the wrapped part replaces them in place.
    """
    a, b = sentence.start + start, sentence.start + end
    for piece in list(sentence.line.pieces):
        s, e = piece.offset, piece.offset + len(piece.node.text)
        lo, hi = max(a, s), min(b, e)
        if lo >= hi:
            continue
        try:
            index = next(i for i, n in enumerate(piece.container) if n is piece.node)
        except StopIteration:
            continue
        text = piece.node.text
        before, inside, after = text[:lo - s], text[lo - s:hi - s], text[hi - s:]
        new: list[Inline] = []
        pieces: list[Piece] = []
        if before:
            node = Text(before)
            new.append(node)
            pieces.append(Piece(piece.container, node, s))
        inner = Text(inside)
        new.append(wrap([inner]))
        if after:
            node = Text(after)
            new.append(node)
            pieces.append(Piece(piece.container, node, hi))
        piece.container[index:index + 1] = new
        k = sentence.line.pieces.index(piece)
        sentence.line.pieces[k:k + 1] = pieces
