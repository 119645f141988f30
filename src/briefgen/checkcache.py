"""``check``, incremental: each brief's findings kept in the index, keyed on its inputs.

What ``check`` finds in one brief (the problems of loading its spec, of composing it and
of the evidence checks, its profile, its lint and the citations it counts) is a function
of its inputs alone, as a build system sees a target:

* the spec's bytes, and every other file read while checking it (``files.readers``);
* every file in ``templates/`` (templates, ``settings.yaml`` with its glossary), and
  what ``figures/`` holds (names, links: the pictures a brief shows are files it reads);
* each extract and source it asked the archive for, by id: where the index holds it
  (record and place) and the content hashes of that record and its text, or that there
  is no such id; whether an id is one that failed to load;
* what it asked of the archive as a whole, if it did: every extract id (a "did you
  mean"), the names in every text (the evidence checks' ``known_names``), the catalogue;
* briefgen's code (every module and data file of the package), Python's version, the
  installed copy of each library that shapes the findings (``LIBRARIES``), the
  workspace's place, and the flags that change the lint (``--strict``,
  ``--archived-only``). Nothing else is read: no clock, no environment variable
  (``SOURCE_DATE_EPOCH`` and the fallback font are the writers'), no setting but those
  in ``templates/``.

``build`` shares the results (``commands/build.py``): where its lint and evidence checks
are what ``check`` computes, it takes them from here, or works them out as ``check``
does and keeps them.

The archive is not given to a brief directly but through ``_Recorder``, a corpus that
notes every question asked of it, so the list of inputs is what the computation really
used, not what it is believed to use. A result is stored in the index (``briefs``
table, JSON) with that list and the hash of the inputs' values; the next ``check``
works the values out again (cheap: hashes the index holds, a few files) and reuses
the stored findings when the hash is the same. ``check --full`` computes every brief
again. A brief whose inputs changed while it was checked is not stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from collections.abc import Callable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from . import files
from .errors import Problem
from .index import ArchiveIndex, IndexUnavailable, content_hash

if TYPE_CHECKING:
    from .corpus import Corpus, ExtractInfo

#: A dependency: its kind and what it names, e.g. ("extract", "daily-annual-talks")
Dep = tuple[str, ...]
#: The row that holds what loading the settings gave (no topic has an empty name)
SETTINGS = ""
T = TypeVar("T")


class _Uncertain(Exception):
    """An input whose value cannot be stated (not a plain file): compute, do not store."""


@dataclass(slots=True)
class BriefResult:
    """What ``check`` finds in one brief, apart from what spans the archive."""

    loaded: bool = False
    #: loading the spec: its warnings, or the problems that stopped it
    load: list[Problem] = field(default_factory=list)
    #: composing the document (its warnings, or the problems that stopped it)
    compose: list[Problem] = field(default_factory=list)
    #: the evidence checks (``checks.run``): ``check`` prints them after ``compose``; a
    #: build that reuses the result prints them as its own checks' findings
    checks: list[Problem] = field(default_factory=list)
    profile: dict[str, Any] | None = None
    lint: list[Problem] = field(default_factory=list)
    archived: int = 0
    reference_only: int = 0
    #: the extracts its spec cites, and the uncited-correction finding of each (or None)
    corrections: dict[str, Problem | None] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"loaded": self.loaded, "load": _problems(self.load), "compose": _problems(self.compose),
                "checks": _problems(self.checks), "profile": self.profile, "lint": _problems(self.lint),
                "count": [self.archived, self.reference_only],
                "corrections": [[k, None if p is None else _problem(p)]
                                for k, p in self.corrections.items()]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BriefResult:
        """A stored result; a row without a field (written by an older briefgen) raises
        ``KeyError``: it is worked out again, never read as if the field were empty."""
        return cls(loaded=bool(data["loaded"]), load=[Problem(*p) for p in data["load"]],
                   compose=[Problem(*p) for p in data["compose"]],
                   checks=[Problem(*p) for p in data["checks"]], profile=data["profile"],
                   lint=[Problem(*p) for p in data["lint"]], archived=int(data["count"][0]),
                   reference_only=int(data["count"][1]),
                   corrections={k: None if p is None else Problem(*p) for k, p in data["corrections"]})

    @property
    def sources_to(self) -> str:
        """What the evidence checks set as the document's ``meta.sources_to``: the date of
        its newest source as printed (``checks.profile``), or nothing."""
        newest = (self.profile or {}).get("newest_source")
        return str(newest["printed"]) if newest else ""


def _problem(p: Problem) -> list[Any]:
    return [p.path, p.line, p.message, p.severity]


def _problems(items: list[Problem]) -> list[list[Any]]:
    return [_problem(p) for p in items]


def _digest(data: Any) -> str:
    return content_hash(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


_CODE: str | None = None

#: The libraries whose behaviour shapes a brief's findings: reading the spec (YAML) and
#: validating it, rendering the template, parsing its Markdown, reading a picture's
#: header, aligning quotations. (The writers' libraries do not: the findings come from
#: the document tree, before any writer.)
LIBRARIES = ("yaml", "pydantic", "pydantic_core", "jinja2", "markupsafe", "markdown_it",
             "mdit_py_plugins", "PIL", "rapidfuzz")


def code_digest() -> str:
    """Every module and data file of briefgen, Python's version and the package's place,
    and which copy of each of ``LIBRARIES`` is installed (see ``_libraries``)."""
    global _CODE
    if _CODE is None:
        _CODE = _code_digest()
    return _CODE


def _code_digest(here: str | None = None) -> str:
    """Each of briefgen's files (those of ``here``; default: this package) by its stat
    (size, mtime, ctime, inode), as Python's own bytecode cache knows a module changed
    without reading it: an edit, a checkout or a new install writes the file anew, and a
    ctime cannot be set back. Reading and hashing every module costs a run more."""
    here = here or os.path.dirname(os.path.realpath(__file__))
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{sys.version}\0{here}\0".encode())
    for rel in sorted(_code_files(here)):
        try:
            st = os.stat(os.path.join(here, rel))
            h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\n"
                     .encode())
        except OSError:
            h.update(f"{rel}\0gone\n".encode())
    h.update(_libraries().encode())
    return h.hexdigest()


def _code_files(here: str) -> Iterator[str]:
    """The package's modules (``*.py``, in every folder but ``__pycache__``) and every
    file under ``data/``, relative to ``here``."""
    for folder, dirs, names in os.walk(here):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        rel = os.path.relpath(folder, here)
        in_data = rel == "data" or rel.startswith("data" + os.sep)
        for name in names:
            if in_data or name.endswith(".py"):
                yield os.path.normpath(os.path.join(rel, name))


def _libraries() -> str:
    """Where each of ``LIBRARIES`` is found, without importing it: its file and its
    folder, each with size and modification time. Installing another version writes
    its files (and so changes its folder) anew: findings kept under the old are not
    reused under the new."""
    import importlib.util

    out = []
    for name in LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        out.append(f"{name}:")
        if origin and os.path.isabs(origin):
            for path in (origin, os.path.dirname(origin)):
                try:
                    st = os.stat(path)
                    out.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}")
                except OSError:
                    out.append(f"{path}\0none")
    return "\n".join(out)


class Inputs:
    """The present value of every input a brief's findings may depend on.

    Values are worked out on first use and kept for the run (``fresh`` works one out
    again, to see whether it moved while a brief was being checked).
    """

    def __init__(self, root: Path, index: ArchiveIndex, corpus: Corpus):
        self.root, self.index, self.corpus = root, index, corpus
        self._values: dict[Dep, Any] = {}

    def value(self, dep: Dep) -> Any:
        if dep not in self._values:
            self._values[dep] = self.fresh(dep)
        return self._values[dep]

    def note(self, dep: Dep, value: Any) -> None:
        """The value an input had when it was read (a file, by the bytes read)."""
        self._values.setdefault(dep, value)

    def fresh(self, dep: Dep) -> Any:
        kind = dep[0]
        if kind == "code":
            return code_digest()
        if kind == "root":
            return str(self.root)
        if kind == "file":
            return self._file(dep[1])
        if kind == "templates":
            return self._templates()
        if kind == "folder":
            return self._listing(dep[1])
        if kind == "extract":
            return self.index.extract_stamp(dep[1])
        if kind == "source":
            return self.index.source_stamp(dep[1])
        if kind == "broken":
            return dep[1] in self.corpus.broken
        if kind == "extracts*":
            return _digest(self.index.extract_ids())
        if kind == "sources*":
            return _digest(self.index.source_ids())
        if kind == "broken*":
            return _digest(sorted(self.corpus.broken))
        if kind == "names":
            names = self.corpus.name_words()
            return None if names is None else _digest(sorted(names))
        if kind == "catalogue":
            return _digest([[list(map(_plain, (i.id, i.source_id, i.path, i.line, i.topics, i.facts,
                                               i.topics_line))) for i in self.corpus.catalogue()],
                            self.corpus.source_catalogue()])
        raise _Uncertain(kind)

    def fresh_all(self, deps: list[Dep]) -> list[Any]:
        """``fresh`` of each of ``deps``, the extracts' stamps asked of the index together."""
        stamps = self.index.extract_stamps(d[1] for d in deps if d[0] == "extract")
        return [stamps[d[1]] if d[0] == "extract" else self.fresh(d) for d in deps]

    def _file(self, name: str) -> str | None:
        path = self.root / name
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                raise _Uncertain(name)
            return content_hash(path.read_bytes())
        except OSError:
            return None

    def _templates(self) -> list[list[str | None]]:
        """Every file in ``templates/`` (any depth): name and content hash."""
        folder = self.root / "templates"
        out: list[list[str | None]] = []
        if folder.is_symlink():
            raise _Uncertain("templates")
        if not folder.is_dir():
            return out
        for top, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names + [d for d in dirs if os.path.islink(os.path.join(top, d))]):
                rel = os.path.relpath(os.path.join(top, name), self.root)
                out.append([rel, self._file(rel)])
        return out

    def _listing(self, name: str) -> list[list[str]]:
        """What a folder holds (``figures/``): each entry's name and kind, a link's target.
        The content of a file a brief read is an input of its own (``file``)."""
        top = self.root / name

        def kind(path: str) -> str:
            if os.path.islink(path):
                return "link:" + os.readlink(path)
            return "folder" if os.path.isdir(path) else "file" if os.path.exists(path) else "none"

        out = [[name, kind(str(top))]]
        if out[0][1] == "folder":
            for folder, dirs, names in os.walk(top):
                dirs.sort()
                for entry in sorted(names + dirs):
                    path = os.path.join(folder, entry)
                    out.append([os.path.relpath(path, self.root), kind(path)])
        return out

    def shown(self, path: Path) -> str:
        try:
            return str(Path(os.path.abspath(path)).relative_to(self.root))
        except ValueError:
            return str(path)


def _plain(value: Any) -> Any:
    return [_plain(v) for v in value] if isinstance(value, tuple) else value


class _Noted:
    """The inputs one brief used, in the order it used them."""

    def __init__(self, inputs: Inputs):
        self.inputs = inputs
        self.deps: dict[Dep, None] = {}
        #: an input's value could not be worked out: the result is not to be kept
        self.spoilt = False

    def add(self, *dep: str) -> None:
        if dep not in self.deps:
            self.deps[dep] = None
            try:
                self.inputs.value(dep)  # its value now, before the brief reads what it names
            except (IndexUnavailable, _Uncertain):
                self.spoilt = True

    def read(self, path: Path, data: bytes | None) -> None:
        dep = ("file", self.inputs.shown(path))
        self.inputs.note(dep, None if data is None else content_hash(data))
        self.deps.setdefault(dep, None)


class _Map(Mapping[str, Any]):
    """A mapping of the corpus that notes every id asked for, and any listing of all."""

    def __init__(self, inner: Mapping[str, Any], kind: str, noted: _Noted):
        self._inner, self._kind, self._noted = inner, kind, noted

    def __getitem__(self, key: str) -> Any:
        self._noted.add(self._kind, key)
        return self._inner[key]

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        self._noted.add(self._kind, key)
        return key in self._inner

    def __iter__(self) -> Iterator[str]:
        self._noted.add(self._kind + "s*")
        return iter(self._inner)

    def __len__(self) -> int:
        self._noted.add(self._kind + "s*")
        return len(self._inner)


class _Set(Set[str]):
    def __init__(self, inner: set[str], noted: _Noted):
        self._inner, self._noted = inner, noted

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        self._noted.add("broken", key)
        return key in self._inner

    def __iter__(self) -> Iterator[str]:
        self._noted.add("broken*")
        return iter(self._inner)

    def __len__(self) -> int:
        self._noted.add("broken*")
        return len(self._inner)


def _recorder(corpus: Corpus, noted: _Noted) -> Corpus:
    """``corpus`` as one brief sees it: every question it asks is noted."""
    from .corpus import Corpus

    def lister() -> tuple[list[ExtractInfo], list[tuple[str, str, int, str | None]]]:
        noted.add("catalogue")
        return corpus.catalogue(), corpus.source_catalogue()

    def namer() -> set[str]:
        noted.add("names")
        names = corpus.name_words()
        assert names is not None
        return names

    return Corpus(sources=_Map(corpus.sources, "source", noted),
                  extracts=_Map(corpus.extracts, "extract", noted),
                  broken=cast(set[str], _Set(corpus.broken, noted)), lister=lister,
                  namer=namer if corpus.namer is not None else None)


def variant(strict: bool, archived_only: bool) -> str:
    """The flags that change a brief's findings, as its rows are kept under them: the
    same for ``check`` and ``build``, which share the rows."""
    return f"strict={int(strict)} archived-only={int(archived_only)}"


class BriefCache:
    """Brief results in the index; ``open`` gives None where none can be kept."""

    def __init__(self, inputs: Inputs, variant: str, reuse: bool):
        self.inputs, self.variant, self.reuse = inputs, variant, reuse
        self.index = inputs.index
        self.stored: list[tuple[str, str, list[Dep], Any]] = []

    @classmethod
    def open(cls, root: Path, index: ArchiveIndex | None, corpus: Corpus, variant: str,
             reuse: bool) -> BriefCache | None:
        """A cache for a corpus read from ``index`` (a corpus put together in memory, as
        when ids are used twice, is not what the stored results were keyed on)."""
        if index is None or corpus.lister is None:
            return None
        return cls(Inputs(root, index, corpus), variant, reuse)

    def _key(self, deps: list[Dep], value: Callable[[Dep], Any]) -> str:
        return _digest([self.variant, [[list(d), value(d)] for d in deps]])

    def get(self, topic: str) -> BriefResult | None:
        if not self.reuse:
            return None
        try:
            row = self.index.brief_result(topic, self.variant)
            if row is None:
                return None
            key, deps, result = row
            if self._key([tuple(d) for d in deps], self.inputs.value) != key:
                return None
            return BriefResult.from_json(result)
        except (IndexUnavailable, _Uncertain, KeyError, TypeError, ValueError, IndexError):
            return None

    def as_keyed(self, read: Callable[[], T]) -> T | None:
        """What ``read`` gives, if every file it reads has the bytes the last ``get``
        keyed the result on (None if one changed meanwhile: the result is not that of
        what was read). A build loads the spec whose findings it took from the index so."""
        seen: list[tuple[Path, bytes | None]] = []

        def note(path: Path, data: bytes | None) -> None:
            seen.append((path, data))

        files.readers.append(note)
        try:
            got = read()
        finally:
            files.readers.remove(note)
        for path, data in seen:
            dep = ("file", self.inputs.shown(path))
            if dep not in self.inputs._values or self.inputs._values[dep] != (
                    None if data is None else content_hash(data)):
                return None
        return got

    def compute(self, topic: str, spec: Path | None, work: Callable[[Corpus], BriefResult]
                ) -> BriefResult:
        """``work`` on a corpus that notes what it is asked; the result is kept for ``save``.
        (The topic ``SETTINGS`` holds what loading the settings gave.)"""
        noted = _Noted(self.inputs)
        corpus = _recorder(self.inputs.corpus, noted)
        for dep in (("code",), ("root",), ("templates",), ("folder", "figures")):
            noted.add(*dep)
        if spec is not None:
            noted.add("file", self.inputs.shown(spec))
        if noted.spoilt:
            return work(self.inputs.corpus)
        files.readers.append(noted.read)
        try:
            result = work(corpus)
        finally:
            files.readers.remove(noted.read)
        deps = list(noted.deps)
        if noted.spoilt:
            return result
        try:
            if self.inputs.fresh_all(deps) == [self.inputs.value(d) for d in deps]:
                # nothing moved meanwhile
                key = self._key(deps, self.inputs.value)
                self.stored.append((topic, key, deps, result.as_json()))
        except (IndexUnavailable, _Uncertain):
            pass
        return result

    def save(self) -> None:
        if self.stored:
            self.index.store_brief_results(self.variant, self.stored)
