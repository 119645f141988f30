"""Warm rebuilds for ``briefgen watch``: rebuild only what a saved file affects.

One process keeps the workspace loaded. A saved spec rebuilds its topic from the
archive and settings already in memory; a saved record or text reloads and re-verifies
the archive; a saved template or settings file rebuilds every watched topic with the
new house style. A problem is reported as ``path:line: message`` and the previous good
files stay; the next save tries again.

The cyclic garbage collector works between saves, not during a rebuild. From the start
of a rebuild, a collection waits until ``HOLD`` new objects have piled up (a short brief
needs none; a long one still gets collections, so its memory stays bounded). After the
status lines, while the watcher waits for the next save, ``settle`` collects what the
rebuild left and gives the collector back its thresholds. The first ``settle`` also
freezes what is loaded by then (modules, fonts, the archive: ``gc.freeze``), so later
collections skip it instead of walking the whole heap (one such walk costs 0.1-0.2 s of
CPU); when a saved record, text, template or settings file replaces what was loaded, the
next ``settle`` thaws it, collects and freezes again. ``close`` thaws everything.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BriefgenError, Problem, Warn
from .workspace import Workspace

Say = Warn

#: New objects a rebuild may make before the collector runs anyway (gc's first threshold).
HOLD = 100_000


@dataclass
class Result:
    """One topic's rebuild: how long, how many notes and warnings, or its problems."""

    topic: str
    seconds: float
    notes: int = 0
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    def status(self) -> str:
        clock = time.strftime("%H:%M:%S")
        if self.problems:
            return (f"{clock} {self.topic}: not rebuilt, {len(self.problems)} problem(s); "
                    f"the previous files are kept ({self.seconds:.2f} s)")
        return (f"{clock} {self.topic}: rebuilt in {self.seconds:.2f} s, {self.notes} notes, "
                f"{len(self.warnings)} warning(s) \u2192 {', '.join(self.written)}")


class Watcher:
    """The workspace held warm, and the topics it rebuilds."""

    def __init__(self, ws: Workspace, topics: list[str], formats: tuple[str, ...],
                 out: str | None = None):
        from .memo import keep_between_builds

        keep_between_builds()  # this process rebuilds: what did not change is kept
        self.ws = ws
        self.topics = topics
        self.formats = formats
        self.out = out
        self.args = argparse.Namespace(format="both", annex=False, review=False, strict=False,
                                       email=False, keep_going=False, out=out, reference_docx=None,
                                       root=str(ws.root))
        self.seen_warnings: set[str] = set()
        self._frozen = False  # what was loaded is frozen (``settle``)
        self._held: tuple[int, ...] | None = None  # the collector's thresholds while held
        self._thaw = False  # a save replaced what was loaded: thaw it at the next ``settle``

    def affected(self, changed: Iterable[Path]) -> list[str]:
        """The topics a set of saved files touches; forgets what they invalidate."""
        topics: list[str] = []
        root = self.ws.root.resolve()
        for path in changed:
            try:
                parts = path.resolve().relative_to(root).parts
            except ValueError:
                continue
            if not parts or not Path(parts[-1]).suffix or parts[-1].startswith("."):
                continue
            if parts[0] == "seeds" and parts[-1].endswith((".yaml", ".txt")):
                self.ws.forget(corpus=True)
                self._thaw = True
                return list(self.topics)
            if parts[0] == "templates":
                self.ws.forget(settings=True)
                self._thaw = True
                return list(self.topics)
            if parts[0] == "figures":  # a picture a brief may show (read at each build)
                return list(self.topics)
            if parts[0] == "briefs" and len(parts) == 2 and parts[1].endswith(".yaml"):
                topic = parts[1][: -len(".yaml")]
                if topic in self.topics and topic not in topics:
                    topics.append(topic)
        return topics

    def rebuild(self, topic: str) -> Result:
        """Build one topic from what is loaded and write its files (all or none)."""
        start = time.perf_counter()
        result = Result(topic, 0.0)
        if self._held is None:  # the collector waits until ``settle``
            self._held = gc.get_threshold()
            gc.set_threshold(max(HOLD, self._held[0]), *self._held[1:])
        try:
            self._build(topic, result)
        except BriefgenError as exc:
            result.problems = exc.problems
        result.seconds = time.perf_counter() - start
        return result

    def _build(self, topic: str, result: Result) -> None:
        from .commands.build import _reference_docx, build_files
        from .commands.common import output_dir
        from .output import OutputSet

        settings = self.ws.settings()
        errors = [p for p in self.ws.corpus_problems if p.severity == "error"]
        if errors:
            raise BriefgenError(errors)
        reference = _reference_docx(self.args, self.ws, settings) if "docx" in self.formats else None
        files, result.notes, result.warnings = build_files(
            self.ws, topic, settings, self.args, self.formats, reference)
        out_dir, out_shown = output_dir(self.args, self.ws)
        with OutputSet() as out:
            for name, data in files:
                shown = str(Path(out_shown) / name)
                out.add(out_dir / name, data, shown)
                result.written.append(shown)
            out.commit()

    def settle(self) -> None:
        """Between saves: collect what the last rebuilds left (see the module's docstring)."""
        if self._frozen and self._thaw:
            gc.unfreeze()
            self._frozen = False
        self._thaw = False
        gc.collect()
        if not self._frozen:
            gc.freeze()
            self._frozen = True
        self._release()

    def _release(self) -> None:
        if self._held is not None:  # after the collection: restoring first would collect
            gc.set_threshold(*self._held)
            self._held = None

    def close(self) -> None:
        """Watching is over: nothing stays frozen, and the collector has its thresholds."""
        self._release()
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    def report(self, result: Result, say: Say, complain: Say) -> None:
        """Problems and warnings not shown before as their own lines, then the status line."""
        for problem in result.problems:
            complain(str(problem))
        for warning in result.warnings:
            text = str(warning)
            if text not in self.seen_warnings:
                self.seen_warnings.add(text)
                complain(text)
        say(result.status())


def watched_paths(ws: Workspace) -> list[Path]:
    return [p for p in (ws.seeds, ws.briefs, ws.templates, ws.root / "figures") if p.is_dir()]


def relevant(ws: Workspace) -> Callable[[object, str], bool]:
    """watchfiles' filter: source records and texts, specs, templates, figures; not our outputs."""
    root = ws.root.resolve()

    def keep(_change: object, path: str) -> bool:
        p = Path(path)
        if p.name.startswith(".") or p.suffix in (".docx", ".pdf", ".eml", ".tmp"):
            return False
        try:
            first = p.resolve().relative_to(root).parts[0]
        except (ValueError, IndexError):
            return False
        if first in ("templates", "figures"):
            return True
        return p.suffix in (".yaml", ".txt")

    return keep
