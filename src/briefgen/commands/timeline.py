"""``briefgen timeline``: one chronology merged from every topic's dated events."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BriefgenError, Problem
from ..workspace import Workspace, open_workspace
from .common import EXIT_OK, output_dir, print_warnings, render, size_text

if TYPE_CHECKING:  # the models are imported only when a timeline is made
    from ..document import Document
    from ..models import Settings


def merged_events(ws: Workspace, topics: list[str]) -> list[dict[str, Any]]:
    """Every topic's events in one list sorted by date.

    Topics often record the same event (a summit, a visit) in their own words. Events
    that share an ``id``, that declare themselves ``same_as`` an event of the same date
    and kind, or that say the same thing on the same date, are one row: one topic's
    wording with that wording's own citations (the cited version with the fullest
    wording), and every topic that records it. A row without citations prints none.
    """
    import re

    from ..brief import CITATION, parse_citation
    from ..models import Event
    from ..prose import IMAGE_SYNTAX

    versions: list[tuple[str, Event]] = []
    for t in topics:
        loaded = ws.brief(t)
        for i, e in enumerate(loaded.brief.events):
            if IMAGE_SYNTAX.search(e.text):  # a row of a table: no place for a figure
                raise BriefgenError(Problem(loaded.path, loaded.line(("events", i, "text")), (
                    f"events.{i}.text holds a figure (![…](…)): an event is printed in a table "
                    "row, where a figure cannot stand; put it in a section's paragraphs")))
            versions.append((t, e))

    def plain(text: str) -> str:
        words = re.sub(r"\s+([.,;:])", r"\1", CITATION.sub("", text)).strip().rstrip(".")
        return " ".join(words.split())

    ids = {e.id: (e.date.iso(), e.kind.value) for _, e in versions if e.id}
    rows: dict[tuple, dict] = {}
    for topic, event in versions:
        if event.id:
            key: tuple = ("id", event.id)
        elif event.same_as and ids.get(event.same_as) == (event.date.iso(), event.kind.value):
            key = ("id", event.same_as)
        else:
            key = ("same", event.date.iso(), event.kind.value, plain(event.text).lower())
        row = rows.setdefault(key, {"id": key[1] if key[0] == "id" else None, "topics": [],
                                    "versions": []})
        if topic not in row["topics"]:
            row["topics"].append(topic)
        keys = [k for m in CITATION.finditer(event.text) for k in parse_citation(m.group(1))]
        row["versions"].append((event, plain(event.text), list(dict.fromkeys(keys))))
    out = []
    for row in rows.values():
        event, wording, keys = max(row.pop("versions"), key=lambda v: (bool(v[2]), len(v[1])))
        row.update(date=event.date, kind=event.kind.value, keys=keys, plain=wording + ".")
        cite = f" [{'; '.join('@' + k for k in keys)}]" if keys else ""
        row["text"] = f"{wording}{cite}."
        out.append(row)
    return sorted(out, key=lambda r: (r["date"].sort_key(), r["date"].iso(), r["text"]))


def run(args: argparse.Namespace) -> int:
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
            text = row["plain"] + (f" [{'; '.join(row['keys'])}]" if row["keys"] else "")
            events = textwrap.wrap(text, ew, break_on_hyphens=False)
            topics_ = textwrap.wrap(", ".join(row["topics"]), tw, break_on_hyphens=False)
            for i, (t, e) in enumerate(zip_longest(topics_, events, fillvalue="")):
                print(f"{date if i == 0 else '':<{dw}}  {t:<{tw}}  {e}".rstrip())
        return EXIT_OK
    return _write_timeline(ws, settings, topics, rows, args)


def timeline_document(ws: Workspace, settings: Settings, topics: list[str],
                      rows: list[dict[str, Any]] | None = None) -> Document:
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
    title = settings.timeline_title
    meta = Meta(title=title, topic="timeline", date=latest, short_title="Chronology",
                subtitle="Merged from the briefs on " + ", ".join(topics),
                date_text=format_date(latest, settings.date_style),
                marking=settings.marking, author=settings.author, organisation=settings.organisation,
                keywords=["chronology", *topics], language=settings.language,
                page_size=settings.page_size)
    doc = Document(meta, blocks)
    notes.apply(doc, ws.corpus(), settings)
    return doc


def _write_timeline(ws: Workspace, settings: Settings, topics: list[str], rows: list[dict[str, Any]],
                    args: argparse.Namespace) -> int:
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
