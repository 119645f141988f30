"""The template's Markdown read without markdown-it, when every line of it is plain.

A template's output is mostly structure: ``:::`` containers, headings, placeholders of
prose fields standing alone as paragraphs or list items, a table of escaped data. Such
Markdown is read here, line by line, into the tokens markdown-it would give
(``compose._TreeBuilder`` reads either), and markdown-it is not imported. Anything this
reader is not sure to read as CommonMark does (emphasis other than a bold lead-in, links,
code, HTML, entities, indentation, white space at a line's end, a paragraph or list
followed by anything but a blank line, nested containers, ragged tables, …) makes it
return None, and markdown-it reads the text: the same tree either way, held to
markdown-it's in tests/test_plainmd.py.
"""

from __future__ import annotations

import re
import string
from typing import Any

#: What CommonMark may read as markup within a line (code spans, emphasis, links and
#: images, autolinks and HTML, entities), and what this reader leaves to markdown-it
#: (line ends, tabs, NUL).
_INLINE_MARKUP = frozenset("`*_[]<&\n\r\t\x00")
_ASCII_PUNCT = frozenset(string.punctuation)
#: What may begin a block other than a paragraph: ASCII punctuation and digits.
_BLOCK_START = frozenset(string.punctuation + string.digits)
_HEADING = re.compile(r"(#{1,6}) (.*)\Z", re.S)
_OPENER = re.compile(r"::: ([a-z]+)\Z")
_DELIMITER = re.compile(r":?-+:?\Z")


class Tok:
    """The part of a markdown-it ``Token`` that the tree builder reads."""

    __slots__ = ("attrs", "children", "content", "map", "tag", "type")

    def __init__(self, type: str, tag: str = "", attrs: dict[str, Any] | None = None,
                 map: list[int] | None = None, children: list[Tok] | None = None,
                 content: str = "") -> None:
        self.type = type
        self.tag = tag
        self.attrs = attrs if attrs is not None else {}
        self.map = map
        self.children = children
        self.content = content


def _plain(text: str, heading: bool = False) -> str | None:
    """``text`` as CommonMark's inline parser gives it when it is one text, backslash
    escapes of ASCII punctuation taken out; None if it may hold anything else."""
    if not text or text[0].isspace() or text[-1].isspace():
        return None
    if "\\" not in text:
        if any(c in _INLINE_MARKUP for c in text) or (heading and "#" in text):
            return None
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            if i + 1 >= n or text[i + 1] not in _ASCII_PUNCT:
                return None
            out.append(text[i + 1])
            i += 2
            continue
        if c in _INLINE_MARKUP or (heading and c == "#"):
            return None
        out.append(c)
        i += 1
    return "".join(out)


def _inline(text: str, line: int, end: int) -> Tok | None:
    plain = _plain(text)
    if plain is None:
        return None
    return Tok("inline", map=[line, end], children=[Tok("text", content=plain)] if plain else [])


def _lead_in(text: str) -> list[Tok] | None:
    """A line that opens with a bold lead-in, ``**Question.** rest``: its inline tokens."""
    close = text.find("**", 2)
    if close < 0:
        return None
    inner = _plain(text[2:close])
    rest = text[close + 2:]
    if inner is None or "*" in text[2:close] or (rest and rest[0] != " "):
        return None
    tail = _plain(rest[1:]) if rest else ""
    if tail is None:
        return None
    out = [Tok("strong_open", "strong"), Tok("text", content=inner), Tok("strong_close", "strong")]
    if rest:
        out.append(Tok("text", content=" " + tail))
    return out


def _cells(line: str) -> list[str] | None:
    """The cells of a table row written ``| a | b |``, stripped; None if not so written."""
    if len(line) < 2 or line[0] != "|" or line[-1] != "|" or line[-2] == "\\" or "\\\\" in line:
        return None
    cells = re.split(r"(?<!\\)\|", line[1:-1])
    out = []
    for cell in cells:
        cell = cell.strip(" ")
        if cell and (cell[0].isspace() or cell[-1].isspace()):
            return None
        out.append(cell)
    return out


def _cell_inline(cell: str, line: int) -> Tok | None:
    if not cell:
        return Tok("inline", map=[line, line + 1], children=[])
    return _inline(cell, line, line + 1)


def _table(lines: list[str], i: int, end: int, out: list[Tok]) -> int | None:
    """A table from ``lines[i]`` (its header): the line after it, or None."""
    header = _cells(lines[i])
    delimiter = _cells(lines[i + 1]) if i + 1 < end else None
    if header is None or delimiter is None or len(header) != len(delimiter):
        return None
    aligns: list[dict[str, Any]] = []
    for cell in delimiter:
        if not _DELIMITER.match(cell):
            return None
        left, right = cell.startswith(":"), cell.endswith(":")
        side = "center" if left and right else "left" if left else "right" if right else None
        aligns.append({"style": f"text-align:{side}"} if side else {})
    j = i + 2
    while j < end and lines[j]:
        j += 1
    out.append(Tok("table_open", "table", map=[i, j]))
    out.append(Tok("thead_open", "thead", map=[i, i + 1]))
    out.append(Tok("tr_open", "tr", map=[i, i + 1]))
    for cell, attrs in zip(header, aligns):
        inline = _cell_inline(cell, i)
        if inline is None:
            return None
        out += [Tok("th_open", "th", dict(attrs)), inline, Tok("th_close", "th")]
    out += [Tok("tr_close", "tr"), Tok("thead_close", "thead")]
    if j > i + 2:
        out.append(Tok("tbody_open", "tbody", map=[i + 2, j]))
        for k in range(i + 2, j):
            row = _cells(lines[k])
            if row is None or len(row) != len(header):
                return None
            out.append(Tok("tr_open", "tr", map=[k, k + 1]))
            for cell, attrs in zip(row, aligns):
                inline = _cell_inline(cell, k)
                if inline is None:
                    return None
                out += [Tok("td_open", "td", dict(attrs)), inline, Tok("td_close", "td")]
            out.append(Tok("tr_close", "tr"))
        out.append(Tok("tbody_close", "tbody"))
    out.append(Tok("table_close", "table"))
    return j


def _paragraph_line(line: str) -> bool:
    """A line that can only be (part of) a paragraph."""
    return not (line[0] in _BLOCK_START or line[0].isspace()) or (
        line.startswith("**") and len(line) > 2 and line[2] not in "* ")


def _blocks(lines: list[str], i: int, end: int, out: list[Tok], containers: frozenset[str]) -> bool:
    """Tokens of ``lines[i:end]`` onto ``out``; False where this reader is not sure."""
    prev = "start"  # what the line before was: start, blank, para, item, heading, table, close
    in_list = False
    while i < end:
        line = lines[i]
        if not line:
            i += 1
            prev = "blank"
            continue
        if prev == "para" or (prev == "item" and not line.startswith("- ")):
            return False  # a lazy continuation, or something interrupting the block
        if in_list and not line.startswith("- "):
            out.append(Tok("bullet_list_close", "ul"))
            in_list = False
        if line.startswith(":::"):
            m = _OPENER.match(line)
            if m is None or m.group(1) not in containers:
                return False
            name = m.group(1)
            close = i + 1
            while close < end and lines[close] != ":::":
                if lines[close].startswith(":::"):
                    return False  # nested, or a marker this reader does not read
                close += 1
            if close >= end:
                return False
            out.append(Tok(f"container_{name}_open", "div", map=[i, close]))
            if not _blocks(lines, i + 1, close, out, frozenset()):
                return False
            out.append(Tok(f"container_{name}_close", "div"))
            i = close + 1
            prev = "close"
            continue
        if line[0] == "#":
            m = _HEADING.match(line)
            text = _plain(m.group(2), heading=True) if m else None
            if m is None or not text:
                return False
            tag = f"h{len(m.group(1))}"
            out += [Tok("heading_open", tag, map=[i, i + 1]),
                    Tok("inline", map=[i, i + 1], children=[Tok("text", content=text)]),
                    Tok("heading_close", tag)]
            i += 1
            prev = "heading"
            continue
        if line.startswith("- "):
            content = line[2:]
            if not content or content[0] in _BLOCK_START or content[0].isspace():
                return False
            inline = _inline(content, i, i + 1)
            if inline is None:
                return False
            if not in_list:
                out.append(Tok("bullet_list_open", "ul", map=[i, i + 1]))
                in_list = True
            out += [Tok("list_item_open", "li", map=[i, i + 1]),
                    Tok("paragraph_open", "p", map=[i, i + 1]), inline, Tok("paragraph_close", "p"),
                    Tok("list_item_close", "li")]
            i += 1
            prev = "item"
            continue
        if line[0] == "|":
            if prev not in ("start", "blank"):
                return False
            after = _table(lines, i, end, out)
            if after is None:
                return False
            i = after
            prev = "table"
            continue
        if not _paragraph_line(line):
            return False
        j = i + 1
        while j < end and lines[j] and _paragraph_line(lines[j]):
            j += 1
        children: list[Tok] = []
        for k in range(i, j):
            if k > i:
                children.append(Tok("softbreak", "br"))
            if lines[k].startswith("**"):
                lead = _lead_in(lines[k])
                if lead is None:
                    return False
                children += lead
            else:
                text = _plain(lines[k])
                if text is None:
                    return False
                children.append(Tok("text", content=text))
        out += [Tok("paragraph_open", "p", map=[i, j]), Tok("inline", map=[i, j], children=children),
                Tok("paragraph_close", "p")]
        i = j
        prev = "para"
    if in_list:
        out.append(Tok("bullet_list_close", "ul"))
    return True


def plain_tokens(markdown: str, containers: frozenset[str]) -> list[Tok] | None:
    """markdown-it's tokens of ``markdown`` (CommonMark, tables, the ``:::`` containers
    named), as far as the tree builder reads them; None if this reader is not sure."""
    lines = markdown.split("\n")
    if lines[-1] == "":
        lines.pop()
    out: list[Tok] = []
    return out if _blocks(lines, 0, len(lines), out, containers) else None
