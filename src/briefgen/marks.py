"""Note marks against punctuation: a tree step that runs once, before any writer.

As pandoc's citeproc step moves punctuation around citations once (``mvPunct``) so
that no writer has to, ``place_marks`` settles where each note mark stands before the
notes are numbered, and the writers print the tree as it is:

* a mark follows the punctuation after it (Chicago 14.26 in the 17th edition, 13.26 in
  the 18th: the superscript follows any punctuation but a dash): ``showed [@a].``
  prints "showed.¹", also when the mark is inside emphasis or a link
  (``*showed [@a]*.`` prints "*showed*.¹");
* a mark never stands apart from the word it follows: white space before it moves
  after it;
* several citations at one place are one note (Chicago 14.26: one note may cite
  several sources, separated by semicolons): ``showed [@a] [@b].`` and
  ``showed [@a; @b].`` both print "showed.¹", the note citing both.
"""

from __future__ import annotations

from .document import (
    Block,
    Document,
    Emph,
    Inline,
    LineBreak,
    Link,
    NoteRef,
    Strong,
    Text,
    block_inlines,
    iter_blocks,
)

# What may follow a note mark in the source but belongs before it.
_MOVE_BEFORE_MARK = frozenset(".,;:?!)\u201d\u2019\"'\u00bb")
_SPACES = " \u00a0"

Container = Emph | Strong | Link


def place_marks(doc: Document) -> None:
    """Place every note mark of ``doc``'s body (the tree is changed in place)."""
    place_marks_in(doc.blocks)


def place_marks_in(blocks: list[Block]) -> None:
    """Place every note mark in ``blocks``, at any depth."""
    for block in iter_blocks(blocks):
        for seq in block_inlines(block):
            if _has_mark(seq):
                seq[:] = place(seq)


def place(inlines: list[Inline]) -> list[Inline]:
    """The inlines with each note mark placed; the input list is left untouched."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, (Emph, Strong, Link)) and _has_mark(node.children):
            inner = place(node.children)
            hoisted: list[Inline] = []
            while inner and (isinstance(inner[-1], NoteRef) or (_blank(inner[-1]) and hoisted)):
                hoisted.insert(0, inner.pop())
            out.append(_with_children(node, inner))
            out.extend(hoisted)
        else:
            out.append(node)
    return _place_level(out)


def _place_level(out: list[Inline]) -> list[Inline]:
    """One level of siblings: group, merge and place the marks."""
    out = list(out)
    i = 0
    while i < len(out):
        first = out[i]
        if not isinstance(first, NoteRef):
            i += 1
            continue
        j = i + 1
        group = [first]
        while j < len(out):
            node = out[j]
            if isinstance(node, NoteRef):
                group.append(node)
                j += 1
            elif _blank(out[j]) and j + 1 < len(out) and isinstance(out[j + 1], NoteRef):
                j += 1
            else:
                break
        out[i:j] = [_merge(group)]
        j = i + 1
        moved = ""
        follower = out[j] if j < len(out) else None
        if isinstance(follower, Text):
            k = 0
            while k < len(follower.text) and follower.text[k] in _MOVE_BEFORE_MARK:
                k += 1
            moved, out[j] = follower.text[:k], Text(follower.text[k:])
        space = ""
        before = out[i - 1] if i else None
        if isinstance(before, (Emph, Strong, Link)):
            before, space = _strip_trailing_space(before)
            out[i - 1] = before
            if moved:
                out.insert(i, Text(moved))
                i, j = i + 1, j + 1
        elif isinstance(before, Text):
            stripped = before.text.rstrip(_SPACES)
            space = before.text[len(stripped):]
            out[i - 1] = Text(stripped + moved)
        elif moved:
            out.insert(i, Text(moved))
            i, j = i + 1, j + 1
        if space and not _starts_with_space(out[j:]):
            out.insert(j, Text(space))
        i = j
    return [node for node in out if not (isinstance(node, Text) and not node.text)]


def _merge(group: list[NoteRef]) -> NoteRef:
    """Marks at one place as one note: the citations (and evidence) of each, in order."""
    if len(group) == 1:
        return group[0]
    if any(ref.number or ref.content for ref in group):  # already numbered: leave them be
        raise ValueError("note marks at one place must be merged before the notes are numbered")
    return NoteRef([c for ref in group for c in ref.citations],
                   evidence=[e for ref in group for e in ref.evidence])


def _has_mark(inlines: list[Inline]) -> bool:
    for node in inlines:
        if isinstance(node, NoteRef):
            return True
        if isinstance(node, (Emph, Strong, Link)) and _has_mark(node.children):
            return True
    return False


def _blank(node: Inline) -> bool:
    return isinstance(node, Text) and not node.text.strip(_SPACES)


def _with_children(node: Container, children: list[Inline]) -> Container:
    if isinstance(node, Link):
        return Link(node.url, children)
    return type(node)(children)


def _strip_trailing_space(node: Container) -> tuple[Container, str]:
    """A copy of ``node`` without the white space its last text ends with, and that space."""
    if not node.children:
        return node, ""
    last = node.children[-1]
    if isinstance(last, Text):
        stripped = last.text.rstrip(_SPACES)
        return _with_children(node, [*node.children[:-1], Text(stripped)]), last.text[len(stripped):]
    if isinstance(last, (Emph, Strong, Link)):
        inner, space = _strip_trailing_space(last)
        return _with_children(node, [*node.children[:-1], inner]), space
    return node, ""


def _starts_with_space(rest: list[Inline]) -> bool:
    """Whether what follows already opens with white space (or nothing follows)."""
    for node in rest:
        if isinstance(node, Text):
            if node.text:
                return node.text[0].isspace()
            continue
        return isinstance(node, LineBreak)
    return True
