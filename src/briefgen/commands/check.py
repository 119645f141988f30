"""``briefgen check``: load and validate everything, lint the briefs."""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..checkcache import SETTINGS, BriefCache, BriefResult, variant
from ..errors import BriefgenError, Problem
from ..workspace import Workspace, open_workspace
from .common import EXIT_OK, EXIT_USER
from .lint import lint_archive, lint_brief, uncited_correction

if TYPE_CHECKING:
    from ..brief import LoadedBrief
    from ..corpus import Corpus
    from ..document import Document
    from ..models import Settings


def run(args: Namespace) -> int:
    ws = open_workspace(args.root)
    ws.full = bool(getattr(args, "full", False))  # verify every record, whatever the index says
    archived_only = bool(getattr(args, "archived_only", False))
    severity = "error" if args.strict else "warning"
    corpus_problems = ws.corpus_problems
    corpus = ws.corpus(strict=False)
    # Each brief's findings are a function of its inputs: those unchanged since the last
    # check come from the index (``checkcache``); ``--full`` works every one out again.
    # So are the settings' problems: the settings are read only when a brief is checked.
    cache = BriefCache.open(ws.root, ws.index(), corpus, variant(bool(args.strict), archived_only),
                            reuse=not ws.full)
    read = _cached(cache, corpus, SETTINGS, None, lambda _: _check_settings(ws))
    problems: list[Problem] = [*read.load, *corpus_problems]
    all_topics = ws.topics()
    if not ws.briefs.is_dir():
        problems.append(Problem(ws.shown(ws.briefs), None, "no briefs/ folder"))
    topics = list(dict.fromkeys(args.topics)) if args.topics else all_topics
    results: dict[str, BriefResult] = {}
    for topic in topics:
        try:
            path = ws.spec_path(topic)
        except BriefgenError as exc:
            results[topic] = BriefResult(load=list(exc.problems))
            continue

        def work(corpus: Any, path: Path = path, topic: str = topic) -> BriefResult:
            settings = _settings(ws) if read.loaded else None
            return _check_brief(ws, topic, path, corpus, settings, severity, archived_only)

        results[topic] = _cached(cache, corpus, topic, path, work)
    if cache is not None:
        cache.save()
    loaded = {t: r for t, r in results.items() if r.loaded}
    for result in results.values():
        problems.extend(result.load)
    profiles: dict[str, dict] = {}
    for topic, result in loaded.items():
        problems.extend(result.compose)
        problems.extend(result.checks)
        if result.profile is not None:
            profiles[topic] = result.profile
    used: set[str] = set()
    corrections: dict[str, Problem | None] = {}
    for result in loaded.values():
        problems.extend(result.lint)
        used.update(result.corrections)
        corrections.update(result.corrections)
    problems.extend(lint_archive(ws, corpus, topics, used, severity, corrections))
    problems.extend(_fact_conflicts(corpus))
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    if args.strict:  # every warning an error, the evidence checks' findings included, as in build
        errors += [replace(p, severity="error") for p in warnings]
        warnings = []
    if args.json:
        print(json.dumps({
            "sources": len(corpus.sources),
            "extracts": len(corpus.extracts),
            "extracts_by_topic": corpus.topic_counts(),
            "topics": topics,
            "citations": {t: {"archived": r.archived, "reference_only": r.reference_only}
                          for t, r in loaded.items()},
            "profiles": profiles,
            "problems": [p.as_dict() for p in errors],
            "warnings": [p.as_dict() for p in warnings],
            "ok": not errors,
        }, indent=2, ensure_ascii=False))
    else:
        if errors or warnings:  # one write: stderr is line-buffered, and an archive warns a lot
            sys.stderr.write("".join(f"{p}\n" for p in errors + warnings))
        summary = (f"{len(corpus.sources)} sources, {len(corpus.extracts)} extracts, "
                   f"{len(loaded)} of {len(topics)} briefs loaded")
        if errors:
            print(f"check failed: {len(errors)} problem(s), {len(warnings)} warning(s) ({summary})",
                  file=sys.stderr)
        else:
            print(f"check passed: {summary}; {len(warnings)} warning(s)")
    return EXIT_USER if errors else EXIT_OK


def _cached(cache: BriefCache | None, corpus: Corpus, topic: str, spec: Path | None,
            work: Callable[[Any], BriefResult]) -> BriefResult:
    """A result from the index if its inputs are unchanged, else worked out (and kept)."""
    if cache is None:
        return work(corpus)
    return cache.get(topic) or cache.compute(topic, spec, work)


def _check_settings(ws: Workspace) -> BriefResult:
    """Loading the settings: ``loaded``, or the problems that stopped it."""
    try:
        ws.settings()
    except BriefgenError as exc:
        return BriefResult(load=list(exc.problems))
    return BriefResult(loaded=True)


def _settings(ws: Workspace) -> Settings | None:
    try:
        return ws.settings()
    except BriefgenError:  # changed since it loaded: reported by the next check
        return None


@dataclass(slots=True)
class Composed:
    """What checking a brief made on the way, for a build that uses it (``build``)."""

    #: the spec, if it loaded
    loaded: LoadedBrief | None = None
    #: the document composed, its notes numbered, the evidence checks run on it (which
    #: set ``meta.sources_to``); None if they were not all run
    doc: Document | None = None
    #: called with the document once its notes are numbered and ``meta.sources_to`` set
    #: as the checks set it, before they run (a build writes its DOCX there)
    before_checks: Callable[[Document], None] | None = None


def _check_brief(ws: Workspace, topic: str, path: Path, corpus: Any, settings: Settings | None,
                 severity: str, archived_only: bool, kept: Composed | None = None) -> BriefResult:
    """What ``check`` finds in one brief: loading its spec, composing it, the evidence
    checks, its lint, and the uncited corrections of the extracts it cites.

    ``kept``: where the spec and the document are kept, for a build to write."""
    from ..brief import load_brief

    result = BriefResult()
    try:
        loaded = load_brief(path, ws.shown(path), corpus, root=ws.root)
    except BriefgenError as exc:
        result.load.extend(exc.problems)
        return result
    result.loaded = True
    result.load.extend(loaded.warnings)
    if kept is not None:
        kept.loaded = loaded
    broken: set[str] = getattr(corpus, "broken", set())
    cites_broken = [Problem(loaded.path, loaded.line(loc), f"cites extract {key!r}, which failed to load "
                            "(see its error); the brief's notes are not checked")
                    for loc, key in loaded.cited_keys() if key in broken]
    if cites_broken:
        result.compose.extend(cites_broken[:1])
    elif settings is not None:
        from .. import checks, notes
        from ..compose import compose

        try:
            doc = compose(ws, loaded, settings, result.compose.append)
            notes.apply(doc, corpus, settings)
            profile = None
            if kept is not None and kept.before_checks is not None:
                from ..checks.profile import profile as source_profile

                profile = source_profile(doc, corpus, settings)  # what the checks start with
                doc.meta.sources_to = profile.newest_date  # as they set it
                kept.before_checks(doc)
            findings = checks.run(doc, corpus, settings, loaded, profile=profile)
            result.checks.extend(findings.problems)
            if findings.profile is not None:
                result.profile = findings.profile.as_dict()
            if kept is not None:
                kept.doc = doc
        except BriefgenError as exc:
            result.compose.extend(exc.problems)
    linted = lint_brief(loaded, topic, corpus, severity, archived_only)
    result.lint = linted.problems
    result.archived, result.reference_only = linted.count.archived, linted.count.reference_only
    result.corrections = {key: uncited_correction(corpus, key, severity) for key in sorted(linted.cited)}
    return result


def _fact_conflicts(corpus: Corpus) -> list[Problem]:
    """Two sources that give different values for the same key on the same date."""
    seen: dict[tuple[str, str], tuple[object, Any]] = {}
    problems: list[Problem] = []
    for record in corpus.with_facts():
        for fact_key, fact_value, as_of in record.facts:
            key = (fact_key, as_of)
            if key in seen:
                value, other = seen[key]
                if value != fact_value:
                    problems.append(Problem(
                        record.path, record.line,
                        f"fact {fact_key} as of {as_of}: extract {record.id!r} gives "
                        f"{fact_value!r} but {other.id!r} ({other.path}:{other.line}) gives {value!r}"))
            else:
                seen[key] = (fact_value, record)
    return problems

