"""The analyst's prose fields, each parsed on its own.

A prose field (a paragraph, a bullet, the question, an event) is Markdown, but it is
never pasted into the template's Markdown: the template prints a placeholder, and the
field is parsed by itself into blocks that replace the placeholder in the tree. So prose
can never open or close the template's code fences or ``:::`` containers, and a ``:::``
line in prose is just text.

Prose may use paragraphs, lists, block quotes, emphasis, links and figures. A figure,
``![alt text](figures/map.png "Caption")``, stands as its own paragraph (a blank line
before and after); an image within a sentence, a heading, a link or a field printed
within a line is an error, never dropped. Its alt text is required; the file is read
and checked later (``figures.load_figures``). A code fence or an
indented code block, a heading, a table or a rule in prose is an error naming the field's
line: in a code block citations would print as raw text. A field the template prints
within a line (the question after its label, an event in a table cell) must be one
paragraph.

Placeholders and citation marks are characters of Unicode's private use area; any such
character an analyst types is replaced by U+FFFD, and a final pass proves that none
remains anywhere in the tree.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .brief import CITATION, CiteItem, LoadedBrief, parse_items
from .chars import RESERVED
from .document import (
    Block,
    Div,
    Emph,
    Figure,
    Heading,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Role,
    Strong,
    Table,
    Text,
    iter_blocks,
    iter_inlines,
    merge_text,
)
from .errors import BriefgenError, Problem
from .yamlload import PathKey

if TYPE_CHECKING:  # markdown-it is imported on the first prose field
    from markdown_it import MarkdownIt

_FIELD_OPEN, _FIELD_CLOSE = "\ue010", "\ue011"
FIELD = re.compile(f"{_FIELD_OPEN}(\\d+){_FIELD_CLOSE}")
#: Every private-use character briefgen uses as a marker while composing.
MARKERS = RESERVED
_ALLOWED = {"paragraph_open", "bullet_list_open", "ordered_list_open", "blockquote_open"}
_WHAT = {"fence": "a code fence", "code_block": "an indented code block", "heading_open": "a heading",
         "table_open": "a table", "hr": "a rule", "html_block": "HTML"}


@dataclass(slots=True)
class ProseFields:
    """The prose fields of one brief, by placeholder number."""

    loaded: LoadedBrief
    texts: list[str] = field(default_factory=list)
    locs: list[PathKey] = field(default_factory=list)
    parsed: dict[int, list[Block]] = field(default_factory=dict)

    def placeholder(self, loc: PathKey, text: str) -> str:
        self.texts.append(text if text.isascii() else MARKERS.sub("\ufffd", text))  # marks are not ASCII
        self.locs.append(loc)
        return f"{_FIELD_OPEN}{len(self.texts) - 1}{_FIELD_CLOSE}"

    def blocks(self, n: int) -> list[Block]:
        if n not in self.parsed:
            self.parsed[n] = _parse(self.texts[n], self.locs[n], self.loaded)
        return self.parsed[n]

    def line(self, n: int) -> int | None:
        return self.loaded.line(self.locs[n])


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """One CommonMark parser for every prose field: no containers, no tables, no HTML."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


#: What CommonMark reads as markup anywhere in a line (emphasis, code spans, links and
#: images, autolinks, entities, escapes), and line ends.
_INLINE_MARKUP = "\\`*_[]<&\n\r\x00"
#: What may begin a block other than a paragraph (a list, quotation, heading, rule, fence,
#: link reference): ASCII punctuation and digits. White space may begin indented code.
_BLOCK_START = frozenset(string.punctuation + string.digits)


def is_plain(text: str) -> bool:
    """True when CommonMark reads ``text`` as one paragraph of nothing but that text,
    exactly as written: one line, no markup in it, nothing at its start or end that a
    block could begin with or that would be trimmed. Such a field is not given to the
    parser (the same blocks, held to markdown-it's in tests/test_prose_plain.py)."""
    return (bool(text) and text[0] not in _BLOCK_START and not text[0].isspace()
            and not text[-1].isspace() and not any(c in text for c in _INLINE_MARKUP))


def _parse(text: str, loc: PathKey, loaded: LoadedBrief) -> list[Block]:
    from .compose import _MARK_CLOSE, _MARK_OPEN, _TreeBuilder, marked_text, parse_tokens

    citations: list[list[CiteItem]] = []

    def swap(m: re.Match) -> str:
        try:
            citations.append(parse_items(m.group(1)))
        except ValueError as exc:  # load_brief reports these; a direct caller gets them too
            raise BriefgenError(Problem(loaded.path, loaded.citation_line(loc, text, m.start(),
                                                                          m.group(0)), str(exc))) from None
        return f"{_MARK_OPEN}{len(citations) - 1}{_MARK_CLOSE}"

    marked = CITATION.sub(swap, text)
    if is_plain(marked):  # what markdown-it would make of it, without running it
        inlines: list[Inline] = []
        marked_text(marked, citations, inlines)
        return [Paragraph(merge_text(inlines))]
    tokens = parse_tokens(_parser(), marked)
    for tok in tokens:
        if tok.level == 0 and tok.nesting >= 0 and tok.type not in _ALLOWED and tok.type in _WHAT:
            raise BriefgenError(Problem(
                loaded.path, loaded.line(loc),
                f"{_WHAT[tok.type]} in prose ({'.'.join(map(str, loc))}): its citations would print "
                "as raw text; write plain paragraphs (remove the ``` fence, or the indentation of "
                "four spaces)"))
        if tok.type in _WHAT:  # nested inside a list or quote
            raise BriefgenError(Problem(
                loaded.path, loaded.line(loc),
                f"{_WHAT[tok.type]} in prose ({'.'.join(map(str, loc))}) is not allowed; write "
                "plain paragraphs, lists or quotations"))
    blocks, _ = _TreeBuilder(citations, loaded.path, _FieldFigures(loaded, loc)).blocks(tokens)
    for node in iter_inlines(blocks):
        # an image whose address the parser refused (file:, javascript:) stays text: an error
        if isinstance(node, Text) and IMAGE_SYNTAX.search(node.text):
            raise BriefgenError(Problem(loaded.path, loaded.located.line_of(loc, "!["), (
                f"an image whose address cannot be a figure ({'.'.join(map(str, loc))}): figures "
                "are read only from the workspace's figures/ folder: write ![alt text](figures/x.png "
                '"Caption") as its own paragraph')))
    return blocks


#: Markdown image syntax, ``![alt](address "title")``.
IMAGE_SYNTAX = re.compile(r"!\[[^\]]*\]\([^)]*\)")


class _FieldFigures:
    """Makes the figures of one prose field (``compose.FigureMaker``)."""

    def __init__(self, loaded: LoadedBrief, loc: PathKey) -> None:
        self.loaded = loaded
        self.loc = loc
        self.seen = 0  # images met so far in this field: the line of the next one

    def _line(self) -> int | None:
        self.seen += 1
        return self.loaded.located.line_of(self.loc, "![", self.seen - 1)

    def _name(self) -> str:
        return ".".join(map(str, self.loc))

    def __call__(self, image: Any) -> Figure:
        line = self._line()
        src = unquote(str(image.attrs.get("src", "") or ""))
        alt = " ".join(str(image.content or "").split())
        caption = " ".join(str(image.attrs.get("title", "") or "").split())
        path = self.loaded.path
        if MARKERS.search(alt) or MARKERS.search(caption):
            raise BriefgenError(Problem(path, line, (
                f"a figure's alt text or caption cites a source ({self._name()}): cite in the "
                "text that refers to the figure; alt text and caption are plain text")))
        if not alt or alt == "\ufffd":
            raise BriefgenError(Problem(path, line, (
                f"the figure {src or '(no file)'} has no alt text ({self._name()}): say in the "
                "brackets what the picture shows, for readers who cannot see it: "
                '![A map of ...](figures/map.png "Caption")')))
        return Figure(src=src, alt=alt, caption=caption, at=(path, line))

    def inline_error(self, image: Any) -> BriefgenError:
        src = str(image.attrs.get("src", "") or "")
        return BriefgenError(Problem(self.loaded.path, self._line(), (
            f"an image ({src}) within a line of text ({self._name()}): a figure must stand as its "
            "own paragraph, with a blank line before and after ![alt text](figures/x.png "
            '"Caption"); it cannot stand inside a sentence, a link or a heading')))


# --------------------------------------------------------------------------- substitution


def substitute(blocks: list[Block], fields: ProseFields, where: str) -> list[Block]:
    """The template's blocks with every placeholder replaced by its field's blocks."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            n = _alone(block.children)
            if n is not None:
                replaced = [_copy_role(b, block.role) for b in fields.blocks(n)]
                out.extend(replaced)
                continue
            block.children = _inlines(block.children, fields, where)
        elif isinstance(block, Heading):
            block.children = _inlines(block.children, fields, where)
        elif isinstance(block, (Div, Quote)):
            block.blocks = substitute(block.blocks, fields, where)
        elif isinstance(block, ListBlock):
            block.items = [substitute(item, fields, where) for item in block.items]
        elif isinstance(block, Table):
            block.header = [_inlines(c, fields, where) for c in block.header]
            block.rows = [[_inlines(c, fields, where) for c in row] for row in block.rows]
        out.append(block)
    return out


def _copy_role(block: Block, role: Role | None) -> Block:
    if isinstance(block, Paragraph) and block.role is None:
        block.role = role
    return block


def _alone(children: list[Inline]) -> int | None:
    """The field number when a paragraph is nothing but one placeholder."""
    if len(children) == 1 and isinstance(children[0], Text):
        m = FIELD.fullmatch(children[0].text.strip())
        if m:
            return int(m.group(1))
    return None


def _inlines(children: list[Inline], fields: ProseFields, where: str) -> list[Inline]:
    out: list[Inline] = []
    for node in children:
        if isinstance(node, Text) and FIELD.search(node.text):
            pos = 0
            for m in FIELD.finditer(node.text):
                if m.start() > pos:
                    out.append(Text(node.text[pos:m.start()]))
                out.extend(_one_paragraph(int(m.group(1)), fields, where))
                pos = m.end()
            if pos < len(node.text):
                out.append(Text(node.text[pos:]))
        elif isinstance(node, (Emph, Strong, Link)):
            node.children = _inlines(node.children, fields, where)
            out.append(node)
        else:
            out.append(node)
    return merge_text(out)


def _one_paragraph(n: int, fields: ProseFields, where: str) -> list[Inline]:
    blocks = fields.blocks(n)
    if not blocks:
        return []
    if len(blocks) == 1 and isinstance(blocks[0], Paragraph):
        return list(blocks[0].children)
    loc = ".".join(map(str, fields.locs[n]))
    if any(isinstance(b, Figure) for b in iter_blocks(blocks)):
        raise BriefgenError(Problem(
            fields.loaded.path, fields.line(n),
            f"{loc} is printed within a line by {where} (e.g. a table cell): a figure cannot "
            "stand there; put it in a section's paragraphs"))
    raise BriefgenError(Problem(
        fields.loaded.path, fields.line(n),
        f"{loc} is printed within a line by {where}: write it as one paragraph "
        "(no blank line, list or quotation)"))


def assert_no_markers(blocks: list[Block], where: str) -> None:
    """No placeholder or citation mark is left in the tree (the template cut or
    transformed a prose field, or put it where text cannot go)."""
    from .document import iter_blocks, iter_inlines

    for node in iter_inlines(blocks):
        text = node.text if isinstance(node, Text) else node.url if isinstance(node, Link) else ""
        if not text.isascii() and MARKERS.search(text):  # the markers are not ASCII
            raise BriefgenError(
                "a prose field or citation was cut, changed or placed where it cannot stand "
                "(e.g. in a link address or through a filter); print prose fields whole, as "
                "{{ p }}", path=where)
    for block in iter_blocks(blocks):
        if isinstance(block, Div) and MARKERS.search(block.cls):
            raise BriefgenError("a prose field was placed in a container name", path=where)
