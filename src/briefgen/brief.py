"""Brief specs: ``briefs/<topic>.yaml`` read into the typed model, citations resolved.

A topic is data: a fifth topic is a new YAML file. Prose fields are Markdown citing
extracts pandoc-style, ``[@extract-id]`` or ``[@a; @b]``; every key must name an
extract of the corpus. One suffix is known: ``[@a, correction]`` prints the extract's
correction (caveat) in this note. Locators are computed, never written.

Text shaped like a citation that is not one is an error, in every text field, at the
line where it is written: ``[extract-id]`` (no ``@``), a bare ``@extract-id``, an
unknown suffix or locator (``[@a, para. 3]``), and any citation in a field that cannot
carry a note (title, short title, subtitle, keywords, headings).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BriefgenError, Problem
from .ids import ID_PATTERN
from .yamlload import Located, PathKey, load_yaml, validation_problems

if TYPE_CHECKING:  # pydantic is imported only when a spec is validated
    from .corpus import Corpus
    from .models import Brief

#: A citation group: ``[@a]``, ``[@a; @b]``, ``[@a, correction]``. Not after a backslash.
#: (Each pattern here begins with its literal character and looks behind it only after,
#: ``\[(?<!\\\[)`` rather than ``(?<!\\)\[``: the same matches, but the search then
#: skips ahead to that character instead of trying the look-behind at every position,
#: about ten times faster over a long brief.)
CITATION = re.compile(r"\[(?<!\\\[)(@[^\[\]]*)\]")
_ITEM = re.compile(r"@([A-Za-z0-9][A-Za-z0-9_:.-]*?)[.:]?\s*(?:,\s*(.*?))?\s*", re.DOTALL)
_ID = re.compile(ID_PATTERN)
#: The common item, ``@`` and an id with no suffix: read without ``_ITEM``'s backtracking.
_PLAIN_ITEM = re.compile(r"@([a-z0-9][a-z0-9-]*[a-z0-9]|[a-z0-9])")
#: The one suffix a citation may carry.
SUFFIXES = ("correction",)
#: ``[words]`` not followed by ``(`` (a link) or ``:`` (a link definition).
_BRACKETS = re.compile(r"\[(?<!\\\[)([^\[\]@]+)\](?![(:\[])")
#: ``@extract-id`` not after a word, another ``@``, a backslash, a slash or a full stop
_BARE = re.compile(r"@(?<![\w@\\/.]@)([a-z0-9][a-z0-9-]*[a-z0-9]|[a-z0-9])(?![\w-])")


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One cited extract of a citation group, with its suffix."""

    key: str
    pin_correction: bool = False


def parse_items(inner: str) -> list[CiteItem]:
    """The cited extracts of one ``[@…]`` group's inside; ``ValueError`` if malformed."""
    return list(_parse_items(inner))


@lru_cache(maxsize=65536)  # pure; a build reads each citation thrice (spec, tree, lint)
def _parse_items(inner: str) -> tuple[CiteItem, ...]:
    items = []
    for part in inner.split(";"):
        part = part.strip()
        plain = _PLAIN_ITEM.fullmatch(part)
        if plain is not None:  # "@" and an id, nothing else: what ``_ITEM`` and ``_ID`` make of it
            items.append(CiteItem(plain.group(1)))
            continue
        m = _ITEM.fullmatch(part)
        if not m:
            raise ValueError(f"malformed citation [{inner}]: write [@extract-id] or [@a; @b]")
        key, suffix = m.group(1), m.group(2)
        if not _ID.match(key):
            raise ValueError(f"malformed citation key {key!r}: ids are lowercase words joined by hyphens")
        if suffix is not None and suffix.strip().lower() not in SUFFIXES:
            raise ValueError(
                f"unknown suffix {suffix.strip()!r} in [{inner}]: locators are computed from the "
                "extract's paragraph (or a reference-only extract's locator); the only suffix "
                "is ', correction'")
        items.append(CiteItem(key, suffix is not None))
    return tuple(items)


def parse_citation(inner: str) -> list[str]:
    """The extract keys of one ``[@…]`` group's inside; ``ValueError`` if malformed."""
    return [item.key for item in parse_items(inner)]


@dataclass(slots=True)
class LoadedBrief:
    brief: Brief
    path: str
    located: Located

    def line(self, loc: PathKey) -> int | None:
        return self.located.line(loc)

    @property
    def warnings(self) -> list[Problem]:
        return self.located.warnings

    def prose(self) -> Iterator[tuple[PathKey, str, bool]]:
        """Every Markdown field: (location, text, holds statements of fact)."""
        b = self.brief
        yield ("question",), b.question, False
        for i, t in enumerate(b.bluf):
            yield ("bluf", i), t, True
        for i, t in enumerate(b.key_points):
            yield ("key_points", i), t, True
        for s, section in enumerate(b.sections):
            for i, t in enumerate(section.paragraphs):
                yield ("sections", s, "paragraphs", i), t, not section.assessment
            for i, t in enumerate(section.bullets):
                yield ("sections", s, "bullets", i), t, not section.assessment
        for i, event in enumerate(b.events):
            yield ("events", i, "text"), event.text, True

    def plain_fields(self) -> Iterator[tuple[PathKey, str, str]]:
        """Every text field that cannot carry a note: (location, text, what it is)."""
        b = self.brief
        yield ("title",), b.title, "the title"
        for name in ("short_title", "subtitle", "marking"):
            value = getattr(b, name)
            if value:
                yield (name,), value, f"the {name.replace('_', ' ')}"
        for i, k in enumerate(b.keywords):
            yield ("keywords", i), k, "a keyword"
        for s, section in enumerate(b.sections):
            yield ("sections", s, "heading"), section.heading, "a heading"

    def cited_keys(self) -> Iterator[tuple[PathKey, str]]:
        for loc, text, _ in self.prose():
            for m in CITATION.finditer(text):
                try:
                    for key in parse_citation(m.group(1)):
                        yield loc, key
                except ValueError:
                    continue

    def citation_line(self, loc: PathKey, text: str, start: int, needle: str) -> int | None:
        """The line of the YAML file where the text at ``start`` of field ``loc`` stands."""
        return self.located.line_of(loc, needle, text.count(needle, 0, start))


def load_brief(path: Path, shown: str, corpus: Corpus | None, *,
               root: Path | None = None) -> LoadedBrief:
    """Read and validate one spec; raise ``BriefgenError`` listing every problem.

    The spec must be a regular file inside ``root`` (the workspace; default its folder).
    """
    from pydantic import ValidationError

    from .models import Brief, validate

    located = load_yaml(path, shown, kind="spec", root=root)
    if not isinstance(located.data, dict):
        raise BriefgenError("a brief spec must be a mapping of fields (topic, title, date, …)",
                            path=shown, line=1)
    try:
        brief = validate(Brief, located.data)
    except ValidationError as exc:
        raise BriefgenError(validation_problems(exc, located)) from None
    loaded = LoadedBrief(brief, shown, located)
    problems: list[Problem] = []
    if brief.topic != path.stem:
        problems.append(Problem(shown, loaded.line(("topic",)),
                                f"topic {brief.topic!r} does not match the file name {path.stem!r}"))
    seen: dict[str, int | None] = {}
    for s, section in enumerate(brief.sections):
        if section.id in seen:
            problems.append(Problem(shown, loaded.line(("sections", s, "id")),
                                    f"duplicate section id {section.id!r} (first on line {seen[section.id]})"))
        seen[section.id] = loaded.line(("sections", s, "id"))
    problems.extend(citation_problems(loaded, corpus))
    if problems:
        raise BriefgenError(problems)
    return loaded


def citation_problems(loaded: LoadedBrief, corpus: Corpus | None) -> list[Problem]:
    """Every citation that cannot be printed as its note, at the line where it stands."""
    problems: list[Problem] = []
    shown = loaded.path

    def at(loc: PathKey, text: str, m: re.Match, message: str) -> None:
        problems.append(Problem(shown, loaded.citation_line(loc, text, m.start(), m.group(0)),
                                message))

    for loc, text, what in loaded.plain_fields():
        for m in CITATION.finditer(text):
            at(loc, text, m, f"a citation in {what} cannot carry a note: cite in the text, "
                             f"not in {what} ({m.group(0)})")
        _shaped(loc, text, corpus, at)
    fields = [(loc, text, [(m, _items_or_error(m.group(1))) for m in CITATION.finditer(text)])
              for loc, text, _ in loaded.prose()]
    if corpus is not None:  # every cited extract looked up at once, then each asked for
        corpus.look_up(item.key for *_, found in fields for _, items in found
                       if not isinstance(items, str) for item in items)
    for loc, text, found in fields:
        for m, items in found:
            if isinstance(items, str):
                at(loc, text, m, items)
                continue
            if corpus is None:
                continue
            for item in items:
                if not corpus.known(item.key):
                    at(loc, text, m, _unknown_key(item.key, corpus))
        _shaped(loc, text, corpus, at)
    return problems


def _items_or_error(inner: str) -> tuple[CiteItem, ...] | str:
    """``parse_items(inner)``, or why it cannot be read."""
    try:
        return _parse_items(inner)
    except ValueError as exc:
        return str(exc)


def _shaped(loc: PathKey, text: str, corpus: Corpus | None,
            at: Callable[[PathKey, str, re.Match[str], str], None]) -> None:
    """``[extract-id]`` and bare ``@extract-id``: shaped like a citation, printed raw."""
    if corpus is None:
        return
    blanked = CITATION.sub(lambda m: " " * len(m.group(0)), text)
    # each shape holds a "[" or an "@": a text with neither (most, once citations are
    # blanked) need not be searched
    for m in _BRACKETS.finditer(blanked) if "[" in blanked else ():
        keys = [k.strip().split(",")[0].strip() for k in m.group(1).split(";")]
        if keys and any(corpus.known(k) for k in keys):
            fixed = "; ".join("@" + k for k in keys)
            at(loc, text, m, f"{m.group(0)} is not a citation (no @) and would print as it "
                             f"stands: write [{fixed}]")
    for m in _BARE.finditer(blanked) if "@" in blanked else ():
        if corpus.known(m.group(1)):
            at(loc, text, m, f"a bare {m.group(0)} is not a citation and would print as it "
                             f"stands: write [{m.group(0)}]")


def _unknown_key(key: str, corpus: Corpus) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(corpus.extracts), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"citation of unknown extract {key!r}{hint}"
