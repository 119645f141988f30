"""Load YAML into plain Python data while remembering where every value stood.

Analysts edit YAML by hand; every problem must name the file and line. PyYAML's
composer gives each node a position, so we build the data ourselves from the node
tree and keep a map from each value's path (``("extracts", 3, "quote")``) to its line.
Duplicate keys, which PyYAML would silently accept, are errors here.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .chars import CANNOT_HOLD, INVISIBLE, RESERVED, code_points
from .errors import BriefgenError, Problem

if TYPE_CHECKING:  # pydantic is imported only when a file is validated
    from pydantic import ValidationError
from .files import read_input
from .plain import LazyPattern

PathKey = tuple[str | int, ...]

@dataclass(slots=True)
class Located:
    """Data loaded from one YAML file, with the line of every value."""

    data: Any
    path: str
    lines: dict[PathKey, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    #: first and last line of every scalar, and the file's lines: for the line of a word
    spans: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    text_lines: list[str] = field(default_factory=list)

    def line(self, loc: PathKey) -> int | None:
        """The line of the value at ``loc``, or of its nearest enclosing value."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)

    def line_of(self, loc: PathKey, needle: str, occurrence: int = 0) -> int | None:
        """The line where the ``occurrence``-th ``needle`` of the scalar at ``loc`` is
        written (a long folded value spans lines); the value's line if not found."""
        span = self.spans.get(tuple(loc))
        if span is None or not needle:
            return self.line(loc)
        first, last = span
        seen = 0
        for number in range(first, min(last, len(self.text_lines)) + 1):
            seen += self.text_lines[number - 1].count(needle)
            if seen > occurrence:
                return number
        return self.line(loc)


def _loader_class() -> Any:
    yaml = _yaml()
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: The one pattern PyYAML compiles as it is imported that its C loader (the one briefgen
#: uses) never runs: the pure-Python reader's search for characters YAML does not allow raw,
#: which libyaml checks itself. Compiling it costs every command that reads YAML ~6 ms.
_YAML_NON_PRINTABLE = "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"


def _yaml() -> Any:
    """``import yaml``; the first time, with the reader's ``NON_PRINTABLE`` a
    ``LazyPattern``, compiled only if the pure-Python reader runs (no libyaml).

    PyYAML compiles it by ``re.compile``, which looks in the ``re`` module's cache first
    (``_cache2`` from Python 3.12, ``_cache`` before): the lazy pattern stands there under
    the pattern's key while PyYAML is imported, and is taken out again at once. Where the
    cache is not a dict as expected, PyYAML compiles it as usual."""
    loaded = sys.modules.get("yaml")
    if loaded is not None:
        return loaded
    cache = vars(re).get("_cache2", vars(re).get("_cache"))
    key = (str, _YAML_NON_PRINTABLE, 0)
    seeded = isinstance(cache, dict) and key not in cache
    if seeded:
        cache[key] = LazyPattern(_YAML_NON_PRINTABLE)  # type: ignore[index]
    try:
        import yaml
    finally:
        if seeded:
            cache.pop(key, None)  # type: ignore[union-attr]
    return yaml


def read_text(path: Path, shown: str, *, bom_ok: bool = True, kind: str = "record",
              root: Path | None = None) -> str:
    """A text file as str: UTF-8 (a byte-order mark tolerated where ``bom_ok``), or an error.

    The file is read by ``files.read_input``: a regular file inside ``root`` (default: the
    folder it is in), within the size limit of its ``kind``. Archived source texts are kept
    exactly as received, so there a byte-order mark is an error: it means an editor
    re-saved the file.
    """
    raw = read_input(path, shown, kind=kind, root=path.parent if root is None else root)
    return decode_text(raw, shown, bom_ok=bom_ok)


def decode_text(raw: bytes, shown: str, *, bom_ok: bool = True) -> str:
    """Bytes read from ``shown`` as str (see ``read_text``), or an error."""
    if raw.startswith(b"\xef\xbb\xbf"):
        if not bom_ok:
            raise BriefgenError("starts with a byte-order mark (an editor re-saved it); archived "
                                "texts are kept as received: restore the original or save it "
                                "as UTF-8 without BOM", path=shown, line=1)
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BriefgenError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8", path=shown, line=line) from None


def _tab_at(text: str, line: int, column: int) -> bool:
    """Whether the text holds a tab at (0-based) ``line`` and ``column``, or opens that
    line's indentation with one (where the parser gave up)."""
    lines = text.splitlines()
    if not 0 <= line < len(lines):
        return False
    row = lines[line]
    return row[column:column + 1] == "\t" or "\t" in row[:len(row) - len(row.lstrip())]


def load_yaml(path: Path, shown: str | None = None, *, kind: str = "record",
              root: Path | None = None, raw: bytes | None = None) -> Located:
    """Parse one YAML file. Any syntax problem is a ``BriefgenError`` with its line.

    ``kind`` and ``root`` are as for ``read_text``; ``raw``, the file's bytes when they
    were read already (by ``files.read_input``). Building the data is bounded: at most
    ``MAX_NODES`` values (an alias counts again each time it is used, so an alias bomb is
    stopped) and ``MAX_DEPTH`` levels of nesting; an alias inside itself is an error.
    """
    yaml = _yaml()

    shown = shown or str(path)
    text = read_text(path, shown, kind=kind, root=root) if raw is None else decode_text(raw, shown)
    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "not valid YAML"
        if exc.context and exc.problem:
            what = f"{exc.problem} ({exc.context})"
        if mark is not None and _tab_at(text, mark.line, mark.column):
            what = "a tab character; YAML indents with spaces only"
        raise BriefgenError(f"YAML syntax error: {what}", path=shown, line=line) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise BriefgenError(
            f"the file holds a character YAML does not allow raw: U+{ord(char):04X}; write it "
            f"as an escape inside double quotes (\"\\u{ord(char):04x}\") or remove it",
            path=shown, line=line) from None
    except yaml.YAMLError as exc:
        raise BriefgenError(f"YAML error: {exc}", path=shown) from None
    finally:
        loader.dispose()
    located = Located(None, shown, text_lines=text.splitlines())
    if node is None:
        return located
    located.data = _Builder(located, loader).build(node, ())
    return located


#: Values one YAML file may hold once aliases are expanded; the largest real file (a
#: 12,500-note spec) holds about 60,000.
MAX_NODES = 200_000
#: Levels of nesting; real files use six.
MAX_DEPTH = 64


class _Builder:
    """Plain data from a node tree, under a node budget and a depth limit."""

    def __init__(self, out: Located, loader: Any) -> None:
        self.out = out
        self.loader = loader
        self.count = 0
        self.open: set[int] = set()  # ids of the collections being built (a cycle check)

    def build(self, node: Any, loc: PathKey) -> Any:
        import yaml

        line = node.start_mark.line + 1
        self.count += 1
        if self.count > MAX_NODES:
            # The alias that multiplies is used somewhere below this top-level entry.
            raise BriefgenError(f"too many values (over {MAX_NODES:,} once aliases are expanded); "
                                "an alias used inside many others multiplies them", path=self.out.path,
                                line=self.out.lines.get(loc[:1], line))
        if len(loc) > MAX_DEPTH:
            raise BriefgenError(f"nested more than {MAX_DEPTH} levels deep", path=self.out.path,
                                line=line)
        if isinstance(node, yaml.ScalarNode):
            return _build(node, loc, self.out, self.loader)
        if id(node) in self.open:
            raise BriefgenError("an alias refers to a value that contains it (a cycle)",
                                path=self.out.path, line=line)
        self.open.add(id(node))
        try:
            return _build(node, loc, self.out, self.loader, self.build)
        finally:
            self.open.discard(id(node))


def _build(node: Any, loc: PathKey, out: Located, loader: Any, build: Any = None) -> Any:
    import yaml

    out.lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise BriefgenError("a key must be a plain word", path=out.path,
                                    line=key_node.start_mark.line + 1)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise BriefgenError("YAML merge keys (<<) are not supported", path=out.path,
                                    line=key_node.start_mark.line + 1)
            key = str(key_node.value)
            if key in result:
                raise BriefgenError(
                    f"duplicate key {key!r} (first on line {out.lines[loc + (key,)]})",
                    path=out.path, line=key_node.start_mark.line + 1)
            out.lines[loc + (key,)] = key_node.start_mark.line + 1
            result[key] = build(value_node, loc + (key,))
            out.lines[loc + (key,)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [build(item, loc + (i,)) for i, item in enumerate(node.value)]
    try:
        if node.tag == "tag:yaml.org,2002:str":  # the common case needs no constructor
            value = node.value
        else:
            value = loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise BriefgenError(f"bad value: {exc}", path=out.path,
                            line=node.start_mark.line + 1) from None
    except ValueError as exc:  # e.g. a timestamp that is not a real date: 2023-02-30
        raise BriefgenError(f"bad value {node.value!r}: {exc}", path=out.path,
                            line=node.start_mark.line + 1) from None
    out.spans[loc] = (node.start_mark.line + 1, node.end_mark.line + 1)
    if isinstance(value, str) and unwanted_in(value):
        for pattern, replacement, what in _UNWANTED:
            if pattern.search(value):
                where = ".".join(str(p) for p in loc) or "value"
                names = code_points(pattern.findall(value))
                value = pattern.sub(replacement, value)
                out.warnings.append(Problem(out.path, node.start_mark.line + 1,
                                            f"{where}: {what}: " + ", ".join(names), "warning"))
    return value


#: Characters loading takes out of every string, each with what its warning says.
_UNWANTED = (
    (CANNOT_HOLD, "", "dropped character(s) a document cannot hold"),
    (INVISIBLE, "", "dropped invisible character(s) that would make the text read otherwise than "
                    "it is checked (bidirectional controls, zero-width spaces, soft hyphens)"),
    (RESERVED, "\ufffd", "replaced character(s) briefgen reserves for its own marks with U+FFFD"),
)
#: Any of them: one scan of a string that holds none (nearly all) instead of one per rule.
_ANY_UNWANTED = re.compile("[" + "".join(p.pattern[1:-1] for p, _, _ in _UNWANTED) + "]")
#: The ASCII characters none of the rules takes out: the printable ones, tab, newline, return.
_ASCII_KEPT = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def unwanted_in(value: str) -> bool:
    """Whether ``value`` holds a character one of ``_UNWANTED`` takes out. An ASCII string
    (most, and the long ones of a long brief) is read as bytes: deleting every character
    kept leaves what is not, several times faster than the search of ``_ANY_UNWANTED``."""
    if value.isascii():
        return bool(value.encode("ascii").translate(None, _ASCII_KEPT))
    return _ANY_UNWANTED.search(value) is not None


def validation_problems(exc: ValidationError, located: Located, prefix: PathKey = ()) -> list[Problem]:
    """Turn a pydantic ``ValidationError`` into one Problem per error, each with its line."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = prefix + tuple(err["loc"])
        where = ".".join(str(p) for p in loc) or "(top level)"
        kind = err["type"]
        if kind == "extra_forbidden":
            message = f"unknown field {where!r}"
        elif kind == "missing":
            message = f"missing field {where!r}"
        else:
            msg = err["msg"]
            msg = msg.removeprefix("Value error, ")
            message = f"{where}: {msg}"
        # For a missing field, point at the mapping that lacks it.
        line = located.line(loc if kind != "missing" else loc[:-1])
        problems.append(Problem(located.path, line, message))
    return problems
