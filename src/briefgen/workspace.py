"""The workspace: ``seeds/``, ``briefs/`` and ``templates/`` of one folder.

briefgen works on ``--root DIR``, or else on the nearest folder holding ``seeds/`` or
``briefs/``, from the current one upwards (as git finds its repository), so it runs from
``briefs/`` too. A workspace without ``templates/`` uses the default template and
settings shipped in the package (``briefgen/data``). Everything is loaded lazily and at
most once.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BriefgenError, Problem

if TYPE_CHECKING:  # the models, corpus and index are imported only when first used
    from .brief import LoadedBrief
    from .corpus import Corpus
    from .index import ArchiveIndex
    from .models import Settings

TOPIC_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
SETTINGS_FILE = "settings.yaml"
#: Names whose output other commands write beside the briefs: a topic of that name would
#: be overwritten by ``briefgen timeline`` or would overwrite a review copy.
RESERVED_TOPICS = frozenset({"timeline"})
RESERVED_SUFFIXES = ("-review",)
#: The default template and settings, used where a workspace has none of its own.
DEFAULTS = Path(__file__).resolve().parent / "data"


@dataclass
class Workspace:
    root: Path
    _corpus: Corpus | None = field(default=None, repr=False)
    _corpus_problems: list[Problem] = field(default_factory=list, repr=False)
    _settings: Settings | None = field(default=None, repr=False)
    #: verify every record again, whatever the index says (``check --full``)
    full: bool = False
    #: False until first asked for; then the index, or None when disabled or unusable
    _index: ArchiveIndex | bool | None = field(default=False, repr=False)

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def briefs(self) -> Path:
        return self.root / "briefs"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    def shown(self, path: Path) -> str:
        """A path as the user reads it: relative to the workspace when inside it."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    # ------------------------------------------------------------------ topics

    def topics(self) -> list[str]:
        if not self.briefs.is_dir():
            return []
        return sorted(p.stem for p in self.briefs.glob("*.yaml") if TOPIC_NAME.match(p.stem))

    def spec_path(self, topic: str) -> Path:
        """The spec of ``topic``; a name that is not a plain topic name is an error."""
        if not TOPIC_NAME.match(topic or ""):
            guess = Path(topic or "").stem.lower()
            hint = f"; did you mean {guess!r}?" if guess in self.topics() else ""
            raise BriefgenError(
                f"{topic!r} is not a topic name: use lowercase letters, digits and hyphens "
                f"(no paths, no '..'){hint}", path="briefgen")
        path = self.briefs / f"{topic}.yaml"
        if topic in RESERVED_TOPICS or topic.endswith(RESERVED_SUFFIXES):
            what = ("'briefgen timeline' writes timeline.docx/.pdf" if topic in RESERVED_TOPICS
                    else "'briefgen build TOPIC --review' writes TOPIC-review.docx/.pdf")
            raise BriefgenError(f"{topic!r} cannot be a topic name: {what} beside the briefs; "
                                "rename the spec", path=self.shown(path), line=1 if path.exists() else None)
        if not path.is_file() and (self.briefs / f"{topic}.yml").is_file():
            raise BriefgenError(f"briefgen reads specs named <topic>.yaml, not .yml: rename it "
                                f"{topic}.yaml", path=self.shown(self.briefs / f"{topic}.yml"))
        if not path.is_file():
            known = ", ".join(self.topics()) or "none"
            raise BriefgenError(f"unknown topic {topic!r} (topics: {known})",
                                path=self.shown(self.briefs))
        return path

    # ------------------------------------------------------------------ loading

    def settings(self) -> Settings:
        if self._settings is None:
            from pydantic import ValidationError

            from .models import Settings, validate
            from .yamlload import load_yaml, validation_problems

            path = self.templates / SETTINGS_FILE
            if not path.exists():
                path = DEFAULTS / SETTINGS_FILE
            if not path.exists():
                self._settings = validate(Settings, {})
            else:
                root = self.root if path.parent == self.templates else DEFAULTS
                located = load_yaml(path, self.shown(path), kind="settings", root=root)
                data = located.data if located.data is not None else {}
                if not isinstance(data, dict):
                    raise BriefgenError("settings must be a mapping of fields", path=located.path, line=1)
                try:
                    self._settings = validate(Settings, data)
                except ValidationError as exc:
                    raise BriefgenError(validation_problems(exc, located)) from None
        assert self._settings is not None
        return self._settings

    def corpus(self, *, strict: bool = True) -> Corpus:
        """The verified corpus; with ``strict`` any problem in it is raised."""
        if self._corpus is None:
            from .corpus import load_corpus

            index = self.index()
            self._corpus, self._corpus_problems = load_corpus(
                self.seeds, self.root, index=index, full=self.full, warn=_index_warning)
        errors = [p for p in self._corpus_problems if p.severity == "error"]
        if strict and errors:
            raise BriefgenError(errors)
        assert self._corpus is not None
        return self._corpus

    def forget(self, *, corpus: bool = False, settings: bool = False) -> None:
        """Drop what was loaded, so that the next use reads the files again (``watch``)."""
        if corpus:
            self._corpus, self._corpus_problems = None, []
        if settings:
            self._settings = None

    def index(self) -> ArchiveIndex | None:
        """The archive index (``.briefgen/index.sqlite``), or None: disabled or unusable.

        ``BRIEFGEN_NO_INDEX=1`` turns it off. Its own warnings (rebuilt because corrupt
        or old) go straight to the terminal: they are never problems of the input.
        """
        if self._index is False:
            self._index = None
            if os.environ.get("BRIEFGEN_NO_INDEX", "") in ("", "0") and self.seeds.is_dir():
                from .index import ArchiveIndex

                self._index = ArchiveIndex.open(self.root, _index_warning)
                if self._index is not None:
                    # Its connection sits in a reference cycle of its own (the statement
                    # cache), which only the collector would break; close it as soon as
                    # the index is dropped, or at exit (the command skips the collection
                    # at exit: cli). Closing folds SQLite's write-ahead log into the file.
                    weakref.finalize(self._index, _close_connection, vars(self._index))
        return None if isinstance(self._index, bool) else self._index

    @property
    def corpus_problems(self) -> list[Problem]:
        self.corpus(strict=False)
        return self._corpus_problems

    def brief(self, topic: str) -> LoadedBrief:
        from .brief import load_brief

        path = self.spec_path(topic)
        return load_brief(path, self.shown(path), self.corpus(), root=self.root)


#: Signals that came while a finalizer closed an index's connection (``_close_connection``).
signals_in_finalizers: list[int] = []


def _close_connection(index_state: dict[str, Any]) -> None:
    """Close the connection an index holds now (a rebuild may have replaced the first)."""
    conn = index_state.get("conn")
    try:
        if conn is not None:
            conn.close()
    except Exception:  # an index that cannot close is left to the OS at exit
        pass
    except KeyboardInterrupt as exc:
        # A signal while this finalizer runs cannot unwind the command from here (it
        # would be printed as an ignored exception and lost): kept for the command to
        # report as it returns (``cli.main``).
        signals_in_finalizers.append(int(getattr(exc, "signum", signal.SIGINT)))


def find_root(root: str | Path | None = None) -> Path:
    """``root``, or the nearest folder holding seeds/ or briefs/ from the current one up."""
    if root:
        return Path(root)
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "seeds").is_dir() or (folder / "briefs").is_dir():
            return folder
    return here


def _index_warning(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def open_workspace(root: str | Path | None) -> Workspace:
    path = find_root(root)
    if not path.exists():
        raise BriefgenError("no such workspace folder", path=str(path))
    if not path.is_dir():
        raise BriefgenError("the workspace must be a folder", path=str(path))
    return Workspace(path.resolve())
