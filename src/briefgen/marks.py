"""Note marks against punctuation: a tree step that runs once, before any writer.

Chicago (14.26) puts the superscript after all punctuation but a dash, and a mark
never stands apart from the word it follows.
"""

from __future__ import annotations

from .document import Emph, Inline, LineBreak, NoteRef, Strong, Text

# What may follow a note mark in the source but belongs before it (Chicago 14.26).
_MOVE_BEFORE_MARK = frozenset(".,;:?!)\u201d\u2019\"'\u00bb")


def place_marks(inlines: list[Inline]) -> list[Inline]:
    """The inlines with each note mark after its punctuation and never after a space.

    Chicago puts the superscript after all punctuation but a dash, and a mark never
    stands apart from the word it follows: punctuation (and closing quotes or
    parentheses) right after a mark moves before it; white space right before a mark
    moves after it. The input list is left untouched.
    """
    out = list(inlines)
    i = 0
    while i < len(out):
        if not isinstance(out[i], NoteRef):
            i += 1
            continue
        j = i
        while j < len(out) and isinstance(out[j], NoteRef):
            j += 1
        moved = ""
        follower = out[j] if j < len(out) else None
        if isinstance(follower, Text):
            k = 0
            while k < len(follower.text) and follower.text[k] in _MOVE_BEFORE_MARK:
                k += 1
            moved, out[j] = follower.text[:k], Text(follower.text[k:])
        space = ""
        before = out[i - 1] if i else None
        if isinstance(before, (Emph, Strong)):
            before, space = _strip_trailing_space(before)
            out[i - 1] = before
        if isinstance(before, Text):
            stripped = before.text.rstrip(" \u00a0")
            space = before.text[len(stripped):]
            out[i - 1] = Text(stripped + moved)
        elif moved:
            out.insert(i, Text(moved))
            i, j = i + 1, j + 1
        if space and not _starts_with_space(out[j:]):
            out.insert(j, Text(space))
        i = j
    return out


def _strip_trailing_space(node: Emph | Strong) -> tuple[Emph | Strong, str]:
    """A copy of ``node`` without the white space its last text ends with, and that space."""
    if not node.children:
        return node, ""
    last = node.children[-1]
    if isinstance(last, Text):
        stripped = last.text.rstrip(" \u00a0")
        return type(node)([*node.children[:-1], Text(stripped)]), last.text[len(stripped):]
    if isinstance(last, (Emph, Strong)):
        inner, space = _strip_trailing_space(last)
        return type(node)([*node.children[:-1], inner]), space
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


# --------------------------------------------------------------------------- public API



