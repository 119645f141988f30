"""``briefgen timeline``: one chronology merged from every topic's dated events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import BriefgenError, Problem
from ..workspace import open_workspace
from .common import EXIT_OK, output_dir, print_warnings, render, size_text


def merged_events(ws, topics: list[str]):
    """Every topic's events in one list sorted by date.

    Topics often record the same event (a summit, a visit) in their own words. Events
    with the same date and kind are one row: the fullest wording, cited with the
    evidence of every topic's version, and the topics listed.
    """
    import re

    from ..brief import CITATION, parse_citation

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


def run(args) -> int:
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


def timeline_document(ws, settings, topics: list[str], rows: list[dict] | None = None):
    """The merged chronology of ``topics`` as a Document, notes numbered and filled."""
    from .. import notes
    from ..compose import MD, format_date, markdown_to_blocks, md_escape
    from ..document import Document, Meta

    if rows is None:
        rows = merged_events(ws, topics)
    table = [{"date": row["date"].text(settings.date_style),
              "event": MD(row["text"] + f" *({md_escape(', '.join(row['topics']))})*")} for row in rows]
    markdown = _render_template(ws, table, topics)
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
    return doc


def _write_timeline(ws, settings, topics, rows, args) -> int:
    from ..output import atomic_write

    doc = timeline_document(ws, settings, topics, rows)
    out_dir, out_shown = output_dir(args, ws)
    warnings: list[Problem] = []

    def warn(message: str) -> None:
        warnings.append(Problem("timeline", None, message, "warning"))

    data = render(doc, args.format, warn)
    print_warnings(warnings)
    path = out_dir / f"timeline.{args.format}"
    shown = str(Path(out_shown) / path.name)
    atomic_write(path, data, shown)
    print(f"wrote {shown} ({size_text(len(data))}, {len(rows)} events, {len(doc.notes())} notes)")
    return EXIT_OK


def _render_template(ws: Any, rows: list[dict[str, Any]], topics: list[str]) -> str:
    """The chronology's Markdown from ``timeline.md.j2`` (the workspace's, else the shipped one)."""
    import jinja2

    from ..compose import make_environment
    from ..sandbox import TemplateBudget, render

    name = "timeline.md.j2"
    shown = ws.shown(ws.templates / name) if (ws.templates / name).is_file() else f"(shipped) {name}"
    try:
        return render(make_environment(ws.templates).get_template(name), rows=rows, topics=topics)
    except jinja2.TemplateSyntaxError as exc:
        raise BriefgenError(f"template syntax error: {exc.message}", path=shown, line=exc.lineno) from None
    except (jinja2.TemplateError, TemplateBudget, TypeError, ValueError, AttributeError, KeyError,
            LookupError, ArithmeticError, RecursionError, MemoryError) as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise BriefgenError(f"template error: {detail}", path=shown) from None
