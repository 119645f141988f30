"""Compose: brief spec → jinja2 template → Markdown → the Document tree.

The template (``templates/brief.md.j2``, or a topic's own) decides which sections a
brief has and in which order; code does not. It runs in jinja2's sandbox with
undefined names as errors, and every value it prints is escaped for Markdown unless it
is Markdown by design (the analyst's prose fields), so data can never inject markup.

The Markdown is parsed by markdown-it-py (CommonMark, tables, ``:::`` containers) and
converted to the tree, one method per token type. Containers carry meaning:

- ``::: assessment`` → ``Div("assessment")``: the analyst's judgement, marked as such;
- ``::: sources`` → the ``Bibliography`` block that ``notes`` fills;
- ``::: question``, ``::: lead`` → the role of the paragraphs inside;
- ``::: chronology`` → the role of the table inside.

Citations (``[@a; @b]``) become ``NoteRef`` marks, placed after the punctuation that
ends the cited words, as Chicago places note numbers.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .brief import CITATION, CiteItem, LoadedBrief, parse_items
from .chars import RESERVED
from .document import (
    Bibliography,
    Block,
    Citation,
    Div,
    DivClass,
    Document,
    Emph,
    Figure,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Meta,
    NoteRef,
    Paragraph,
    Quote,
    Role,
    Strong,
    Table,
    TableRole,
    Text,
    iter_blocks,
    merge_text,
    plain_text,
)
from .errors import BriefgenError, Problem, WarnProblem
from .house import LABELS
from .memo import Memo
from .sentences import sentence_cuts

if TYPE_CHECKING:  # the models are imported only when a brief is composed
    from jinja2 import Environment
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from .models import PartialDate, Settings
    from .plainmd import Tok
    from .prose import ProseFields
    from .workspace import Workspace
    from .yamlload import PathKey

PARAGRAPH_ROLES = {"question", "lead"}
TABLE_ROLES = {"chronology"}
ROLE_CONTAINERS = PARAGRAPH_ROLES | TABLE_ROLES
CONTAINERS = ROLE_CONTAINERS | {"assessment", "sources"}
_CONTAINER_SET = frozenset(CONTAINERS)

# Citations are swapped for private-use markers before parsing, so that Markdown never
# sees them and escaped data can never become one.
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{_MARK_OPEN}(\\d+){_MARK_CLOSE}")
_ASCII_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
#: What stands for a citation while the lint cuts a field into sentences.
_CITED = "\ue002"


class MD(str):
    """Text that is Markdown by design (an analyst's prose field): printed as it is."""

    __slots__ = ()


def md_escape(value: object) -> str:
    """Plain data made safe to print into Markdown: every ASCII punctuation escaped."""
    text = str(value)
    text = RESERVED.sub("\ufffd", text)  # never one of briefgen's own marks
    text = " ".join(text.splitlines())
    return _ASCII_PUNCT.sub(r"\\\1", text)


def _finalize(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, MD):
        return value
    return md_escape(value)


def _cell(value: object) -> MD:
    """A value made fit for one table cell: on one line, with its pipes escaped."""
    text = value if isinstance(value, MD) else md_escape(value)
    text = " ".join(str(text).splitlines())
    return MD(re.sub(r"(?<!\\)\|", r"\\|", text))


# --------------------------------------------------------------------------- context


@dataclass(slots=True)
class SectionView:
    id: str
    heading: str
    assessment: bool
    paragraphs: list[MD]
    bullets: list[MD]


@dataclass(slots=True)
class EventView:
    date: str  # as printed
    iso: str
    kind: str
    text: MD


@dataclass(slots=True)
class BriefView:
    topic: str
    title: str
    short_title: str
    subtitle: str
    date: str
    marking: str
    question: MD
    keywords: list[str]
    bluf: list[MD]
    key_points: list[MD]
    sections: dict[str, SectionView]
    section_ids: list[str]
    events: list[EventView]
    placed: set[str] = field(default_factory=set)

    def section(self, id: str) -> SectionView | None:
        """The section ``id``, marked as placed; None if this brief has none."""
        self.placed.add(id)
        return self.sections.get(id)

    def remaining_sections(self) -> list[SectionView]:
        """Sections the template has not placed yet, in the spec's order."""
        rest = [self.sections[i] for i in self.section_ids if i not in self.placed]
        self.placed.update(s.id for s in rest)
        return rest


def format_date(date: PartialDate | _dt.date | str | int, style: str) -> str:
    from .models import PartialDate

    return PartialDate.model_validate(date).text(style)


def brief_view(loaded: LoadedBrief, settings: Settings, fields: ProseFields | None = None) -> BriefView:
    """What the template sees. With ``fields`` (a ``prose.ProseFields``), each prose field
    is a placeholder, parsed on its own after the template has run."""
    b = loaded.brief
    style = settings.date_style

    def md(loc: PathKey, text: str) -> MD:
        return MD(fields.placeholder(loc, text)) if fields is not None else MD(text)

    sections = {
        s.id: SectionView(s.id, s.heading, s.assessment,
                          [md(("sections", k, "paragraphs", i), p) for i, p in enumerate(s.paragraphs)],
                          [md(("sections", k, "bullets", i), x) for i, x in enumerate(s.bullets)])
        for k, s in enumerate(b.sections)
    }
    events = sorted(enumerate(b.events), key=lambda e: e[1].date.sort_key())
    return BriefView(
        topic=b.topic, title=b.title, short_title=b.short_title or b.title,
        subtitle=b.subtitle or "", date=format_date(b.date, style),
        marking=settings.marking if b.marking is None else b.marking,
        question=md(("question",), b.question), keywords=list(b.keywords),
        bluf=[md(("bluf", i), x) for i, x in enumerate(b.bluf)],
        key_points=[md(("key_points", i), x) for i, x in enumerate(b.key_points)],
        sections=sections, section_ids=[s.id for s in b.sections],
        events=[EventView(e.date.text(style), e.date.iso(), e.kind.value, md(("events", i, "text"), e.text))
                for i, e in events],
    )


# --------------------------------------------------------------------------- template


def template_name(workspace: Workspace, loaded: LoadedBrief, settings: Settings) -> str:
    """The brief's own template, else the topic's override, else the house template."""
    if loaded.brief.template:
        return loaded.brief.template
    override = f"topics/{loaded.brief.topic}.md.j2"
    if (workspace.templates / override).is_file():
        return override
    return settings.template


_ENVIRONMENTS: dict[Path, Environment] = {}


def make_environment(templates: Path) -> Environment:
    """The sandbox (``sandbox.BriefSandbox``): templates from ``templates/`` only, under a budget.

    One per templates folder and process: it keeps each compiled template until its file
    changes, so a warm process (``briefgen watch``) does not compile it again. Compiled
    templates are never written to disk: jinja2 would run a cached module's code outside
    the sandbox, so a cache inside the workspace would let a hostile workspace run code.
    """
    env = _ENVIRONMENTS.get(templates)
    if env is None:
        env = _ENVIRONMENTS[templates] = _new_environment(templates)
    return env


def _new_environment(templates: Path) -> Environment:
    from .sandbox import make_environment as sandboxed
    from .workspace import DEFAULTS

    env = sandboxed(
        # The workspace's templates first, then the defaults shipped in the package.
        [templates, DEFAULTS],
        finalize=_finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = _cell
    env.filters["md"] = lambda v: MD(md_escape(v))
    return env


def render_markdown(workspace: Workspace, loaded: LoadedBrief, settings: Settings, warn: WarnProblem | None = None,
                    fields: ProseFields | None = None) -> str:
    """Run the brief's template; every template problem is a one-line error.

    A section of the spec that the template does not place is left out, with a warning.
    """
    import jinja2
    from jinja2.exceptions import SecurityError

    from .sandbox import TemplateBudget, render

    name = template_name(workspace, loaded, settings)
    shown = workspace.shown(workspace.templates / name)
    env = make_environment(workspace.templates)
    view = brief_view(loaded, settings, fields)
    try:
        template = env.get_template(name)
        text = render(template, brief=view)
    except jinja2.TemplateNotFound as exc:
        if exc.name != name:  # an include or import inside the template
            path, line = _template_frame(exc, workspace, shown)
            raise BriefgenError(f"template not found: {exc.name} (looked in templates/)",
                                path=path, line=line) from None
        raise BriefgenError(f"template not found: {exc.name} (looked in templates/)",
                            path=loaded.path, line=loaded.line(("template",))) from None
    except jinja2.TemplateSyntaxError as exc:
        where = workspace.shown(Path(exc.filename)) if exc.filename else shown
        raise BriefgenError(f"template syntax error: {exc.message}", path=where,
                            line=exc.lineno) from None
    except SecurityError as exc:
        path, line = _template_frame(exc, workspace, shown)
        raise BriefgenError(f"template not allowed to do this (sandboxed): {exc}",
                            path=path, line=line) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(exc, workspace, shown)
        raise BriefgenError(f"template names something undefined: {_plain(exc)}",
                            path=path, line=line) from None
    except TemplateBudget as exc:
        path, line = _template_frame(exc, workspace, shown)
        raise BriefgenError(f"template over its budget: {exc}", path=path, line=line) from None
    except RecursionError as exc:
        path, line = _template_frame(exc, workspace, shown)
        raise BriefgenError("template calls itself without end (a recursive macro or include)",
                            path=path, line=line) from None
    except MemoryError as exc:
        path, line = _template_frame(exc, workspace, shown)
        raise BriefgenError("template ran out of memory", path=path, line=line) from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError, LookupError,
            ArithmeticError) as exc:
        path, line = _template_frame(exc, workspace, shown)
        raise BriefgenError(f"template error: {_plain(exc)}", path=path, line=line) from None
    for idx, section_id in enumerate(view.section_ids):
        if section_id not in view.placed and warn is not None:
            warn(Problem(loaded.path, loaded.line(("sections", idx, "id")),
                         f"section {section_id!r} is not placed by template {name}; left out",
                         "warning"))
    return text


def _plain(exc: BaseException) -> str:
    """An exception's message without Python reprs or addresses (``<X object at 0x…>``)."""
    text = re.sub(r"<[^<>]* at 0x[0-9a-fA-F]+>", "a value", str(exc))
    views = {"BriefView": "brief", "SectionView": "section", "EventView": "event"}
    text = re.sub(r"'(?:[\w.]+\.)?(\w+) object'", lambda m: repr(views.get(m.group(1), m.group(1))), text)
    return " ".join(text.split())[:300] or type(exc).__name__


def _template_frame(exc: BaseException, workspace: Workspace, default: str) -> tuple[str, int | None]:
    """The template file and line where a render error happened, from the traceback."""
    tb = exc.__traceback__
    found: tuple[str, int | None] = (default, None)
    templates = str(workspace.templates)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(templates):
            line = tb.tb_lineno
            compiled = tb.tb_frame.f_globals.get("__jinja_template__")
            if compiled is not None:  # a frame of the compiled code: map back to the template
                line = compiled.get_corresponding_lineno(line)
            found = (workspace.shown(Path(filename)), line)
        tb = tb.tb_next
    return found


# --------------------------------------------------------------------------- markdown → tree

#: markdown-it's tokens of a text, by parser and text: the tree builders only read them
_TOKENS: Memo[list[Token]] = Memo(4096)


def parse_tokens(parser: MarkdownIt, text: str) -> list[Token]:
    """``parser.parse(text)``, once per parser and text (a prose field that did not change
    is not parsed again by a warm rebuild)."""
    return _TOKENS.get((id(parser), text), partial(parser.parse, text))



@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.container import container_plugin

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    for name in sorted(CONTAINERS):
        md.use(container_plugin, name=name)
    return md


class _TreeBuilder:
    """markdown-it tokens → Document blocks; one method per token type."""

    def __init__(self, citations: list[list[CiteItem]], shown: str, figures: FigureMaker | None = None):
        self.citations = citations
        self.shown = shown
        #: makes a figure of an image standing alone in its paragraph (prose fields); None:
        #: an image here is an error (the template's own Markdown)
        self.figures = figures

    # blocks -------------------------------------------------------------

    def blocks(self, tokens: Sequence[Token | Tok], i: int = 0, stop: str | None = None) -> tuple[list[Block], int]:
        out: list[Block] = []
        while i < len(tokens):
            tok = tokens[i]
            if stop and tok.type == stop:
                return out, i + 1
            handler = getattr(self, "block_" + tok.type, None)
            if handler is None and tok.type.startswith("container_") and tok.type.endswith("_open"):
                handler = self.block_container_open
            if handler is None:
                raise BriefgenError(f"unsupported Markdown element: {tok.type}",
                                    path=self.shown, line=(tok.map[0] + 1) if tok.map else None)
            i = handler(tokens, i, out)
        return out, i

    def block_heading_open(self, tokens: Sequence[Token | Tok], i: int, out: list[Block]) -> int:
        level = min(int(tokens[i].tag[1]), 3)
        out.append(Heading(level, self.inlines(tokens[i + 1])))
        return i + 3

    def block_paragraph_open(self, tokens: Sequence[Token | Tok], i: int, out: list[Block]) -> int:
        inline = tokens[i + 1]
        image = _lone_image(inline)
        if image is not None:
            if self.figures is None:
                line = (inline.map[0] + 1) if inline.map else None
                raise BriefgenError("an image in the template's own Markdown: a figure is written "
                                    "in a prose field of the brief spec", path=self.shown, line=line)
            out.append(self.figures(image))
        else:
            out.append(Paragraph(self.inlines(inline)))
        return i + 3

    def block_bullet_list_open(self, tokens: Sequence[Token | Tok], i: int, out: list[Block]) -> int:
        return self._list(tokens, i, out, ordered=False)

    def block_ordered_list_open(self, tokens: Sequence[Token | Tok], i: int, out: list[Block]) -> int:
        return self._list(tokens, i, out, ordered=True)

    def _list(self, tokens: Sequence[Token | Tok], i: int, out: list[Block], ordered: bool) -> int:
        close = tokens[i].type.replace("_open", "_close")
        start = int(tokens[i].attrs.get("start", 1)) if ordered else 1
        items: list[list[Block]] = []
        i += 1
        while tokens[i].type != close:
            item, i = self.blocks(tokens, i + 1, stop="list_item_close")
            items.append(item)
        out.append(ListBlock(ordered, items, start))
        return i + 1

    def block_blockquote_open(self, tokens: Sequence[Token | Tok], i: int, out: list[Block]) -> int:
        inner, i = self.blocks(tokens, i + 1, stop="blockquote_close")
        out.append(Quote(inner))
        return i

    def block_container_open(self, tokens: Sequence[Token | Tok], i: int, out: list[Block]) -> int:
        name = tokens[i].type[len("container_"):-len("_open")]
        inner, i = self.blocks(tokens, i + 1, stop=f"container_{name}_close")
        if name == "sources":
            out.append(Bibliography())
        elif name in ROLE_CONTAINERS:
            for block in inner:
                if isinstance(block, Paragraph) and name in PARAGRAPH_ROLES:
                    block.role = Role(name)
                elif isinstance(block, Table) and name in TABLE_ROLES:
                    block.role = TableRole(name)
            out.extend(inner)
        else:
            if name == DivClass.ASSESSMENT:  # the label is the tree's, from the house labels
                inner.insert(0, Paragraph([Text(LABELS["assessment"])], Role.ASSESSMENT_LABEL))
            out.append(Div(name, inner))
        return i

    def block_hr(self, tokens: Sequence[Token | Tok], i: int, out: list[Block]) -> int:
        return i + 1

    def block_fence(self, tokens: Sequence[Token | Tok], i: int, out: list[Block]) -> int:
        out.append(Paragraph([Text(tokens[i].content.rstrip("\n"))]))
        return i + 1

    block_code_block = block_fence

    def block_table_open(self, tokens: Sequence[Token | Tok], i: int, out: list[Block]) -> int:
        header: list[list[Inline]] = []
        rows: list[list[list[Inline]]] = []
        aligns: list[str | None] = []
        row: list[list[Inline]] | None = None
        in_head = False
        i += 1
        while tokens[i].type != "table_close":
            t = tokens[i].type
            if t == "thead_open":
                in_head = True
            elif t == "thead_close":
                in_head = False
            elif t == "tr_open":
                row = []
            elif t == "tr_close":
                if in_head:
                    header = row or []
                else:
                    rows.append(row or [])
            elif t in ("th_open", "td_open"):
                if in_head:
                    style = str(tokens[i].attrs.get("style", "") or "")
                    aligns.append(style.split(":")[-1] if "text-align" in style else None)
                assert row is not None, "a cell outside a row"
                row.append(self.inlines(tokens[i + 1]))
                i += 2
            i += 1
        out.append(Table(header, rows, aligns))
        return i + 1

    # inlines ------------------------------------------------------------

    def inlines(self, token: Token | Tok) -> list[Inline]:
        stack: list[list[Inline]] = [[]]
        wrappers: list[Inline] = []
        for child in token.children or []:
            t = child.type
            if t in ("text", "text_special", "code_inline"):
                self._text(child.content, stack[-1])
            elif t == "softbreak":
                self._text(" ", stack[-1])
            elif t == "hardbreak":
                stack[-1].append(LineBreak())
            elif t in ("em_open", "strong_open", "link_open"):
                node = (Emph([]) if t == "em_open" else Strong([]) if t == "strong_open"
                        else Link(str(child.attrs.get("href", "")), []))
                stack[-1].append(node)
                wrappers.append(node)
                stack.append(node.children)
            elif t in ("em_close", "strong_close", "link_close"):
                stack.pop()
                wrappers.pop()
            elif t == "image":  # never dropped: a figure stands alone (block_paragraph_open)
                raise self.inline_image(child, token)
            else:
                self._text(child.content, stack[-1])
        return merge_text(stack[0])

    def inline_image(self, image: Token | Tok, token: Token | Tok) -> BriefgenError:
        """The error for an image within a line: in a sentence, a heading, a link or a cell."""
        if self.figures is not None:
            return self.figures.inline_error(image)
        line = (token.map[0] + 1) if token.map else None
        return BriefgenError(f"an image ({image.attrs.get('src', '')}) within a line (a sentence, a "
                             "heading or a table cell): a figure stands as its own paragraph in a "
                             "prose field of a brief spec", path=self.shown, line=line)

    def _text(self, text: str, out: list[Inline]) -> None:
        marked_text(text, self.citations, out)


def marked_text(text: str, citations: list[list[CiteItem]], out: list[Inline]) -> None:
    """``text`` onto ``out`` as ``Text``, each citation mark in it as its ``NoteRef``."""
    pos = 0
    for m in _MARK.finditer(text):
        if m.start() > pos:
            out.append(Text(text[pos:m.start()]))
        items = citations[int(m.group(1))]
        out.append(NoteRef([Citation(i.key, pin_correction=i.pin_correction) for i in items]))
        pos = m.end()
    if pos < len(text):
        out.append(Text(text[pos:]))


class FigureMaker(Protocol):
    """Turns an image token that stands alone in its paragraph into a ``Figure``."""

    def __call__(self, image: Any) -> Figure: ...

    def inline_error(self, image: Any) -> BriefgenError: ...


def _lone_image(inline: Any) -> Any | None:
    """The image token when a paragraph holds nothing but one image (and white space)."""
    children = [c for c in inline.children or []
                if not (c.type in ("softbreak", "hardbreak") or (c.type == "text" and not c.content.strip()))]
    if len(children) == 1 and children[0].type == "image":
        return children[0]
    return None


def _protect_citations(markdown: str, shown: str) -> tuple[str, list[list[CiteItem]]]:
    citations: list[list[CiteItem]] = []

    def swap(m: re.Match) -> str:
        try:
            keys = parse_items(m.group(1))
        except ValueError as exc:
            line = markdown.count("\n", 0, m.start()) + 1
            raise BriefgenError(str(exc), path=shown, line=line) from None
        citations.append(keys)
        return f"{_MARK_OPEN}{len(citations) - 1}{_MARK_CLOSE}"

    return CITATION.sub(swap, markdown), citations


def markdown_to_blocks(markdown: str, shown: str = "(markdown)") -> list[Block]:
    """The template's Markdown as blocks. Where every line of it is plain (as the house
    template's are) it is read without markdown-it (``plainmd``: the same tokens)."""
    from .plainmd import plain_tokens

    text, citations = _protect_citations(markdown, shown)
    tokens: Sequence[Token | Tok] | None = plain_tokens(text, _CONTAINER_SET)
    if tokens is None:
        tokens = parse_tokens(_parser(), text)
    blocks, _ = _TreeBuilder(citations, shown).blocks(tokens)
    _set_anchors(blocks)
    return blocks


def _set_anchors(blocks: list[Block]) -> None:
    seen: dict[str, int] = {}
    for block in blocks:
        if isinstance(block, Heading) and not block.anchor:
            base = re.sub(r"[^a-z0-9]+", "-", plain_text(block.children).lower()).strip("-") or "section"
            seen[base] = seen.get(base, 0) + 1
            block.anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"


# --------------------------------------------------------------------------- entry point


def compose(workspace: Workspace, loaded: LoadedBrief, settings: Settings, warn: WarnProblem | None = None) -> Document:
    """The brief as a Document tree, notes not yet numbered or filled."""
    from .prose import ProseFields, assert_no_markers, substitute

    fields = ProseFields(loaded)
    markdown = render_markdown(workspace, loaded, settings, warn, fields)
    name = template_name(workspace, loaded, settings)
    shown = workspace.shown(workspace.templates / name)
    blocks = substitute(markdown_to_blocks(markdown, shown), fields, shown)
    assert_no_markers(blocks, shown)
    if any(isinstance(b, Figure) for b in iter_blocks(blocks)):
        from .figures import load_figures

        load_figures(blocks, workspace.root, settings.figures)
    if any(isinstance(b, Table) for b in blocks) or "|" in markdown:
        source = workspace.templates / name
        text = source.read_text(encoding="utf-8", errors="replace") if source.is_file() else ""
        _check_tables(blocks, loaded, shown, text)
    b = loaded.brief
    meta = Meta(
        title=b.title,
        topic=b.topic,
        date=b.date,
        short_title=b.short_title or b.title,
        subtitle=b.subtitle or "",
        date_text=format_date(b.date, settings.date_style),
        marking=settings.marking if b.marking is None else b.marking,
        author=settings.author,
        organisation=settings.organisation,
        keywords=list(b.keywords),
        language=settings.language,
        page_size=settings.page_size,
    )
    return Document(meta, blocks)


#: The most columns a table may have: at the smallest type the PDF writer uses, each
#: column keeps about three characters on an A4 or Letter page.
MAX_TABLE_COLUMNS = 20


def _check_tables(blocks: list[Block], loaded: LoadedBrief, template: str,
                  template_text: str = "") -> None:
    """A table wider than any page can hold is an error at the line that writes it (the
    template's, or a prose field's); a table built by a loop is named by its template."""
    tables = [b for b in iter_blocks(blocks) if isinstance(b, Table)]
    for block in reversed(tables):  # the last first, as a walk from the end finds them
        ncols = max([len(block.header)] + [len(r) for r in block.rows])
        if ncols <= MAX_TABLE_COLUMNS:
            continue
        path, line = template, None
        wide = [i for i, row in enumerate(template_text.splitlines(), 1)
                if row.count("|") > MAX_TABLE_COLUMNS]
        if wide:
            line = wide[0]
        else:
            for loc, text, _ in loaded.prose():
                if any(row.count("|") > MAX_TABLE_COLUMNS for row in text.splitlines()):
                    path, line = loaded.path, loaded.line(loc)
                    break
        raise BriefgenError(f"a table of {ncols} columns is too wide for a page (at most "
                            f"{MAX_TABLE_COLUMNS}); split it or turn it into a list",
                            path=path, line=line)


def uncited_sentences(text: str) -> list[str]:
    """Sentences of a Markdown field that carry no citation (for the lint); a figure
    (``![alt](figures/x.png "Caption")``) is a picture, not a statement.

    Only these sentences are copied out of the field: a cited one is passed over by
    where it starts and ends."""
    protected = CITATION.sub(_CITED, _IMAGE.sub(" ", text)).strip()
    out = []
    start = 0
    for end in (*sentence_cuts(protected), len(protected)):
        if protected.find(_CITED, start, end) < 0:
            words = protected[start:end].strip()
            if len(words.split(None, 2)) == 3:  # at least three words
                out.append(words)
        start = end
    return out
