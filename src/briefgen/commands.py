"""What each ``briefgen`` subcommand does. Imported only when a command runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .errors import BriefgenError, Problem
from .workspace import open_workspace

EXIT_OK, EXIT_USER = 0, 2


def _print_warnings(problems: list[Problem]) -> None:
    for problem in problems:
        print(str(problem), file=sys.stderr)


# --------------------------------------------------------------------------- build


def build_document(ws, topic: str, settings, warn):
    """One topic's Document: composed from its spec and template, notes numbered."""
    from . import notes
    from .compose import compose

    loaded = ws.brief(topic)
    doc = compose(ws, loaded, settings, warn)
    notes.apply(doc, ws.corpus(), settings)
    return loaded, doc


def cmd_build(args) -> int:
    from . import evidence
    from .output import OutputSet

    ws = open_workspace(args.root)
    settings = ws.settings()
    if args.all and args.topics:
        raise BriefgenError("give topic names or --all, not both", path="briefgen")
    topics = ws.topics() if args.all else list(dict.fromkeys(args.topics))
    if not topics:
        if args.all:
            raise BriefgenError("no briefs to build: briefs/ holds no <topic>.yaml", path=ws.shown(ws.briefs))
        raise BriefgenError("name a topic to build (see 'briefgen list') or give --all", path="briefgen")
    for topic in topics:  # every name is checked before anything is built
        ws.spec_path(topic)
    ws.corpus()
    formats = ("docx", "pdf") if args.format == "both" else (args.format,)
    reference = _reference_docx(args, ws, settings) if "docx" in formats else None
    out_dir, out_shown = _output_dir(args, ws)

    corpus_warnings = [p for p in ws.corpus_problems if p.severity != "error"]
    _print_warnings(corpus_warnings)
    if args.strict and corpus_warnings:
        raise BriefgenError(f"{len(corpus_warnings)} warning(s) with --strict; no file was changed",
                            path=ws.shown(ws.seeds))
    written: list[tuple[str, int, int]] = []
    with OutputSet() as out:
        for topic in topics:
            warnings: list[Problem] = []
            loaded, doc = build_document(ws, topic, settings, warnings.append)
            warnings.extend(loaded.warnings)
            if args.annex or settings.annex:
                evidence.annex(doc, ws.corpus(), settings)
            if args.review:
                evidence.attach(doc, ws.corpus(), settings)
            stem = f"{topic}-review" if args.review else topic

            def warn(message: str, _path=loaded.path) -> None:
                warnings.append(Problem(_path, None, message, "warning"))

            files = [(fmt, _render(doc, fmt, warn, reference)) for fmt in formats]
            _print_warnings(warnings)
            if args.strict and warnings:
                raise BriefgenError(f"{len(warnings)} warning(s) with --strict; no file was changed",
                                    path=loaded.path)
            count = len(doc.notes())
            for fmt, data in files:
                shown = str(Path(out_shown) / f"{stem}.{fmt}")
                out.add(out_dir / f"{stem}.{fmt}", data, shown)
                written.append((shown, len(data), count))
        out.commit()
    for shown, size, count in written:
        print(f"wrote {shown} ({_size(size)}, {count} notes)")
    return EXIT_OK


def _output_dir(args, ws) -> tuple[Path, str]:
    """The output folder (``--out`` or briefs/), ready for writing, and how to show it."""
    from .output import prepare_dir

    out_dir = Path(args.out) if args.out else ws.briefs
    out_shown = args.out if args.out else ws.shown(ws.briefs)
    prepare_dir(out_dir, out_shown)
    return out_dir, out_shown


def _render(doc, fmt: str, warn, reference: Path | None = None) -> bytes:
    """The document as ``fmt`` bytes; each writer is imported only when asked for."""
    if fmt == "docx":
        from .writers.docx import render_docx

        return render_docx(doc, reference_docx=reference, warn=warn)
    from .writers.pdf import render_pdf

    return render_pdf(doc, warn=warn)


def _reference_docx(args, ws, settings) -> Path | None:
    if args.reference_docx:
        path = Path(args.reference_docx)
        shown = args.reference_docx
    elif settings.reference_docx:
        path = ws.templates / settings.reference_docx
        shown = ws.shown(path)
    else:
        return None
    if not path.is_file():
        raise BriefgenError("reference .docx not found", path=shown)
    return path


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


# --------------------------------------------------------------------------- check


def lint(ws, loaded_briefs: dict, topics: list[str], strict: bool) -> list[Problem]:
    """Uncited statements of fact, extracts no brief uses, sources no brief cites."""
    from .compose import uncited_sentences

    severity = "error" if strict else "warning"
    corpus = ws.corpus(strict=False)
    problems: list[Problem] = []
    used: set[str] = set()
    for topic in topics:
        loaded = loaded_briefs.get(topic)
        if loaded is None:
            continue
        for loc, text, factual in loaded.prose():
            if factual:
                for sentence in uncited_sentences(text):
                    short = sentence if len(sentence) <= 70 else sentence[:67] + "..."
                    problems.append(Problem(loaded.path, loaded.line(loc),
                                            f"statement of fact without a citation: \u201c{short}\u201d",
                                            severity))
        used.update(key for _, key in loaded.cited_keys())
    if set(topics) == set(ws.topics()):
        for record in corpus.extracts.values():
            if record.id not in used:
                problems.append(Problem(record.path, record.line,
                                        f"extract {record.id!r} is used by no brief", severity))
        cited_sources = {corpus.extracts[k].source.id for k in used if k in corpus.extracts}
        for source_id, record in corpus.sources.items():
            if source_id not in cited_sources:
                problems.append(Problem(record.path, record.line,
                                        f"source {source_id!r} is cited by no brief", severity))
    else:
        for topic in topics:
            for record in corpus.by_topic(topic):
                if record.id not in used:
                    problems.append(Problem(record.path, record.line,
                                            f"extract {record.id!r} (topic {topic}) is used by no "
                                            "brief checked", severity))
    return problems


def cmd_check(args) -> int:
    ws = open_workspace(args.root)
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
            from .brief import load_brief

            loaded_briefs[topic] = load_brief(path, ws.shown(path), corpus)
            problems.extend(loaded_briefs[topic].warnings)
        except BriefgenError as exc:
            problems.extend(exc.problems)
    if settings is not None:
        from .compose import compose

        for topic, loaded in loaded_briefs.items():
            try:
                compose(ws, loaded, settings, problems.append)
            except BriefgenError as exc:
                problems.extend(exc.problems)
    problems.extend(lint(ws, loaded_briefs, topics, args.strict))
    problems.extend(_fact_conflicts(corpus))
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    if args.json:
        print(json.dumps({
            "sources": len(corpus.sources),
            "extracts": len(corpus.extracts),
            "extracts_by_topic": corpus.topic_counts(),
            "topics": topics,
            "problems": [p.as_dict() for p in errors],
            "warnings": [p.as_dict() for p in warnings],
            "ok": not errors,
        }, indent=2, ensure_ascii=False))
    else:
        for p in errors + warnings:
            print(str(p), file=sys.stderr if p.severity == "error" else sys.stdout)
        summary = (f"{len(corpus.sources)} sources, {len(corpus.extracts)} extracts, "
                   f"{len(loaded_briefs)} of {len(topics)} briefs loaded")
        if errors:
            print(f"check failed: {len(errors)} problem(s), {len(warnings)} warning(s) ({summary})",
                  file=sys.stderr)
        else:
            print(f"check passed: {summary}; {len(warnings)} warning(s)")
    return EXIT_USER if errors else EXIT_OK


def _fact_conflicts(corpus) -> list[Problem]:
    """Two sources that give different values for the same key on the same date."""
    seen: dict[tuple[str, str], tuple[object, object]] = {}
    problems: list[Problem] = []
    for record in corpus.extracts.values():
        for fact in record.extract.facts:
            key = (fact.key, fact.as_of.iso())
            if key in seen:
                value, other = seen[key]
                if value != fact.value:
                    problems.append(Problem(
                        record.path, record.line,
                        f"fact {fact.key} as of {fact.as_of.iso()}: extract {record.id!r} gives "
                        f"{fact.value!r} but {other.id!r} ({other.path}:{other.line}) gives {value!r}"))
            else:
                seen[key] = (fact.value, record)
    return problems


# --------------------------------------------------------------------------- list, sources


def cmd_list(args) -> int:
    ws = open_workspace(args.root)
    corpus = ws.corpus()
    topics = ws.topics()
    if not topics:
        print("no topics: briefs/ holds no <topic>.yaml")
        return EXIT_OK
    rows = []
    for topic in topics:
        loaded = ws.brief(topic)
        cites = sum(1 for _ in loaded.cited_keys())
        rows.append((topic, loaded.brief.title, len(corpus.by_topic(topic)), cites))
    width = max(len(r[0]) for r in rows)
    for topic, title, extracts, cites in rows:
        print(f"{topic:<{width}}  {title}  ({extracts} extracts, {cites} citations)")
    return EXIT_OK


def cmd_sources(args) -> int:
    ws = open_workspace(args.root)
    corpus = ws.corpus()
    sources = [r.source for r in corpus.sources.values()]
    if args.csl_json:
        from .csljson import to_csl_json

        print(json.dumps(to_csl_json(sources), indent=2, ensure_ascii=False))
    else:
        from .csljson import format_source_list

        print(format_source_list(sources, date_style=ws.settings().date_style))
    return EXIT_OK


# --------------------------------------------------------------------------- timeline


def merged_events(ws, topics: list[str]):
    """Every topic's events in one list sorted by date.

    Topics often record the same event (a summit, a visit) in their own words. Events
    with the same date and kind are one row: the fullest wording, cited with the
    evidence of every topic's version, and the topics listed.
    """
    import re

    from .brief import CITATION, parse_citation

    rows: dict[tuple, dict] = {}
    for topic in topics:
        loaded = ws.brief(topic)
        for event in loaded.brief.events:
            key = (event.date.iso(), event.kind.value)
            row = rows.setdefault(key, {"date": event.date, "kind": event.kind.value, "texts": [],
                                        "topics": [], "keys": []})
            row["texts"].append(event.text)
            row["topics"].append(topic)
            for m in CITATION.finditer(event.text):
                for k in parse_citation(m.group(1)):
                    if k not in row["keys"]:
                        row["keys"].append(k)
    out = []
    for row in rows.values():
        # The fullest wording, its own citations replaced by the row's whole evidence.
        plain = max((CITATION.sub("", t) for t in row.pop("texts")), key=len)
        plain = re.sub(r"\s+([.,;:])", r"\1", plain).strip().rstrip(".")
        row["plain"] = plain + "."
        row["text"] = f"{plain} [{'; '.join('@' + k for k in row['keys'])}]."
        out.append(row)
    return sorted(out, key=lambda r: (r["date"].sort_key(), r["text"]))


def cmd_timeline(args) -> int:
    ws = open_workspace(args.root)
    settings = ws.settings()
    topics = list(dict.fromkeys(args.topic)) if args.topic else ws.topics()
    if not topics:
        raise BriefgenError("no briefs: briefs/ holds no <topic>.yaml", path=ws.shown(ws.briefs))
    for topic in topics:
        ws.spec_path(topic)
    ws.corpus()
    rows = merged_events(ws, topics)
    if args.format == "table":
        import shutil
        import textwrap

        if not rows:
            print("no dated events in: " + ", ".join(topics))
            return EXIT_OK
        from itertools import zip_longest

        width = max(60, shutil.get_terminal_size((100, 24)).columns)
        dates = [r["date"].text(settings.date_style) for r in rows]
        dw = max(len("Date"), *(len(d) for d in dates))
        tw = min(22, max(len("Topics"), *(len(", ".join(r["topics"])) for r in rows)))
        ew = max(24, width - dw - tw - 4)
        print(f"{'Date':<{dw}}  {'Topics':<{tw}}  Event")
        print(f"{'-' * dw}  {'-' * tw}  {'-' * min(ew, 40)}")
        for date, row in zip(dates, rows):
            text = f"{row['plain']} [{'; '.join(row['keys'])}]"
            events = textwrap.wrap(text, ew, break_on_hyphens=False)
            topics_ = textwrap.wrap(", ".join(row["topics"]), tw, break_on_hyphens=False)
            for i, (t, e) in enumerate(zip_longest(topics_, events, fillvalue="")):
                print(f"{date if i == 0 else '':<{dw}}  {t:<{tw}}  {e}".rstrip())
        return EXIT_OK
    return _write_timeline(ws, settings, topics, rows, args)


def _write_timeline(ws, settings, topics, rows, args) -> int:
    from . import notes
    from .compose import MD, _cell, format_date, markdown_to_blocks, md_escape
    from .document import Document, Meta
    from .output import atomic_write

    lines = ["| Date | Event |", "|:--|:--|"]
    for row in rows:
        names = md_escape(", ".join(row["topics"]))
        lines.append(f"| {_cell(row['date'].text(settings.date_style))} | "
                     f"{_cell(MD(row['text'] + f' *({names})*'))} |")
    markdown = "\n".join(["::: chronology", *lines, ":::", "", "## Sources", "", "::: sources", ":::", ""])
    blocks = markdown_to_blocks(markdown, "timeline")
    latest = max(ws.brief(t).brief.date for t in topics)
    title = "Chronology of NATO\u2013Republic of Korea cooperation"
    meta = Meta(title=title, topic="timeline", date=latest, short_title="Chronology",
                subtitle="Merged from the briefs on " + ", ".join(topics),
                date_text=format_date(latest, settings.date_style),
                marking=settings.marking, author=settings.author, organisation=settings.organisation,
                keywords=["chronology", *topics], language=settings.language,
                page_size=settings.page_size)
    doc = Document(meta, blocks)
    notes.apply(doc, ws.corpus(), settings)
    out_dir, out_shown = _output_dir(args, ws)
    warnings: list[Problem] = []

    def warn(message: str) -> None:
        warnings.append(Problem("timeline", None, message, "warning"))

    data = _render(doc, args.format, warn)
    _print_warnings(warnings)
    path = out_dir / f"timeline.{args.format}"
    shown = str(Path(out_shown) / path.name)
    atomic_write(path, data, shown)
    print(f"wrote {shown} ({_size(len(data))}, {len(rows)} events, {len(doc.notes())} notes)")
    return EXIT_OK
