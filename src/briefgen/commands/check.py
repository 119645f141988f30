"""``briefgen check``: load and validate everything, lint the briefs."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..errors import BriefgenError, Problem
from ..workspace import open_workspace
from .common import EXIT_OK, EXIT_USER
from .lint import run_lint

if TYPE_CHECKING:
    from ..corpus import Corpus


def run(args: argparse.Namespace) -> int:
    ws = open_workspace(args.root)
    ws.full = bool(getattr(args, "full", False))  # verify every record, whatever the index says
    problems: list[Problem] = []
    try:
        settings = ws.settings()
    except BriefgenError as exc:
        problems.extend(exc.problems)
        settings = None
    problems.extend(ws.corpus_problems)
    corpus = ws.corpus(strict=False)
    all_topics = ws.topics()
    if not ws.briefs.is_dir():
        problems.append(Problem(ws.shown(ws.briefs), None, "no briefs/ folder"))
    topics = list(dict.fromkeys(args.topics)) if args.topics else all_topics
    loaded_briefs = {}
    for topic in topics:
        try:
            path = ws.spec_path(topic)
            from ..brief import load_brief

            loaded_briefs[topic] = load_brief(path, ws.shown(path), corpus, root=ws.root)
            problems.extend(loaded_briefs[topic].warnings)
        except BriefgenError as exc:
            problems.extend(exc.problems)
    profiles: dict[str, dict] = {}
    if settings is not None:
        from .. import checks, notes
        from ..compose import compose

        for loaded in loaded_briefs.values():
            try:
                doc = compose(ws, loaded, settings, problems.append)
                notes.apply(doc, corpus, settings)
                findings = checks.run(doc, corpus, settings, loaded)
                problems.extend(findings.problems)
                if findings.profile is not None:
                    profiles[topic] = findings.profile.as_dict()
            except BriefgenError as exc:
                problems.extend(exc.problems)
    linted = run_lint(ws, loaded_briefs, topics, args.strict, getattr(args, "archived_only", False))
    problems.extend(linted.problems)
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
            "citations": {t: {"archived": c.archived, "reference_only": c.reference_only}
                          for t, c in linted.counts.items()},
            "profiles": profiles,
            "problems": [p.as_dict() for p in errors],
            "warnings": [p.as_dict() for p in warnings],
            "ok": not errors,
        }, indent=2, ensure_ascii=False))
    else:
        for p in errors + warnings:
            print(str(p), file=sys.stderr)
        summary = (f"{len(corpus.sources)} sources, {len(corpus.extracts)} extracts, "
                   f"{len(loaded_briefs)} of {len(topics)} briefs loaded")
        if errors:
            print(f"check failed: {len(errors)} problem(s), {len(warnings)} warning(s) ({summary})",
                  file=sys.stderr)
        else:
            print(f"check passed: {summary}; {len(warnings)} warning(s)")
    return EXIT_USER if errors else EXIT_OK


def _fact_conflicts(corpus: Corpus) -> list[Problem]:
    """Two sources that give different values for the same key on the same date."""
    seen: dict[tuple[str, str], tuple[object, Any]] = {}
    problems: list[Problem] = []
    for record in corpus.catalogue():
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

