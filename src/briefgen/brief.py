"""Brief specs: ``briefs/<topic>.yaml`` read into the typed model, citations resolved.

A topic is data: a fifth topic is a new YAML file. Prose fields are Markdown citing
extracts pandoc-style, ``[@extract-id]`` or ``[@a; @b]``; every key must name an
extract of the corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .corpus import Corpus
from .errors import BriefgenError, Problem
from .models import ID_PATTERN, Brief
from .yamlload import Located, PathKey, load_yaml, validation_problems

#: A citation group: ``[@a]``, ``[@a; @b]``, ``[@a, para. 3]``. Not after a backslash.
CITATION = re.compile(r"(?<!\\)\[(@[^\[\]]*)\]")
_KEY = re.compile(r"@([A-Za-z0-9][A-Za-z0-9_:.-]*)")
_ID = re.compile(ID_PATTERN)


def parse_citation(inner: str) -> list[str]:
    """The extract keys of one ``[@…]`` group's inside; ``ValueError`` if malformed."""
    keys = []
    for part in inner.split(";"):
        part = part.strip()
        m = _KEY.match(part)
        if not m:
            raise ValueError(f"malformed citation [{inner}]: write [@extract-id] or [@a; @b]")
        key = m.group(1).rstrip(".:")
        if not _ID.match(key):
            raise ValueError(f"malformed citation key {key!r}: ids are lowercase words joined by hyphens")
        keys.append(key)
    return keys


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

    def cited_keys(self) -> Iterator[tuple[PathKey, str]]:
        for loc, text, _ in self.prose():
            for m in CITATION.finditer(text):
                try:
                    for key in parse_citation(m.group(1)):
                        yield loc, key
                except ValueError:
                    continue


def load_brief(path: Path, shown: str, corpus: Corpus | None, *,
               root: Path | None = None) -> LoadedBrief:
    """Read and validate one spec; raise ``BriefgenError`` listing every problem.

    The spec must be a regular file inside ``root`` (the workspace; default its folder).
    """
    from pydantic import ValidationError

    located = load_yaml(path, shown, kind="spec", root=root)
    if not isinstance(located.data, dict):
        raise BriefgenError("a brief spec must be a mapping of fields (topic, title, date, …)",
                            path=shown, line=1)
    try:
        brief = Brief.model_validate(located.data)
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
    for loc, text, _ in loaded.prose():
        for m in CITATION.finditer(text):
            try:
                keys = parse_citation(m.group(1))
            except ValueError as exc:
                problems.append(Problem(shown, loaded.line(loc), str(exc)))
                continue
            if corpus is None:
                continue
            for key in keys:
                if key not in corpus.extracts and key not in corpus.broken:
                    problems.append(Problem(shown, loaded.line(loc), _unknown_key(key, corpus)))
    if problems:
        raise BriefgenError(problems)
    return loaded


def _unknown_key(key: str, corpus: Corpus) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(corpus.extracts), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"citation of unknown extract {key!r}{hint}"
