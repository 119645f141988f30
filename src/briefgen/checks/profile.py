"""The sourcing profile of a brief: how many notes rest on each source and kind of source.

An editor asks of a sourced brief: does it lean on one source, on one kind of source,
and how old is its newest evidence? ``profile`` counts the notes that cite each source
(a note citing two sources counts for both) and each kind, finds the newest cited
source, and gives the warnings whose thresholds the house settings keep
(``checks.max_source_share``, ``checks.max_source_age_days``). The review copy opens
with the profile as a table; ``check --json`` carries it; both outputs print the
evidence cut-off in the title block ("Sources to 29 August 2024").
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from ..document import (
    Block,
    Document,
    Heading,
    Paragraph,
    Role,
    Table,
    Text,
    plain_text,
)
from .evidence_text import source_date

#: How each kind of source is named in the profile.
KIND_LABELS = {
    "news-article": "news", "commentary": "commentary", "think-tank": "think tank",
    "syndicated-copy": "syndicated copy",
}
REFERENCE_ONLY = "reference-only"


def kind_label(source: Any) -> str:
    """A source's kind as the profile names it; a record with no archived text is reference-only."""
    if getattr(source, "text", None) in (None, ""):
        return REFERENCE_ONLY
    kind = getattr(source, "kind", None)
    value = getattr(kind, "value", kind) or "unknown"
    return KIND_LABELS.get(value, str(value).replace("-", " "))


def source_label(source: Any, style: str = "dmy") -> str:
    """The source as a shortened note names it: "Crescente, untitled commentary"."""
    from .. import citations

    return plain_text(citations.short_note_parts(source, None, style)).strip().rstrip(".")  # type: ignore[arg-type]


@dataclass(slots=True)
class SourceCount:
    id: str
    label: str
    kind: str
    date: str  # as printed, "" if unknown
    notes: int
    share: float


@dataclass(slots=True)
class Profile:
    topic: str
    notes: int
    sources: list[SourceCount] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    newest_id: str | None = None
    newest_date: str = ""  # as printed: "29 August 2024"
    newest_iso: str | None = None
    as_of: _dt.date | None = None
    days_after_newest: int | None = None
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "notes": self.notes,
            "sources": [{"id": s.id, "label": s.label, "kind": s.kind, "date": s.date,
                         "notes": s.notes, "share": round(s.share, 3)} for s in self.sources],
            "kinds": self.kinds,
            "newest_source": {"id": self.newest_id, "date": self.newest_iso,
                              "printed": self.newest_date} if self.newest_id else None,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "days_after_newest_source": self.days_after_newest,
            "warnings": self.warnings,
        }


def profile(doc: Document, corpus: Any, settings: Any) -> Profile:
    """Count the notes per source and per kind; find the newest source; judge both."""
    style = getattr(settings, "date_style", "dmy")
    limits = getattr(settings, "checks", None)
    max_share = getattr(limits, "max_source_share", 0.5)
    max_days = getattr(limits, "max_source_age_days", 45)
    notes = doc.notes()
    counts: dict[str, int] = {}
    kinds: dict[str, int] = {}
    records: dict[str, Any] = {}
    kind_of: dict[str, str] = {}  # each source's kind label, read once
    get = corpus.extracts.get
    for note in notes:
        cited = []
        for citation in note.citations:
            record = get(citation.key)
            if record is not None and record.source.id not in cited:
                source = record.source
                cited.append(source.id)
                records[source.id] = source
                if source.id not in kind_of:
                    kind_of[source.id] = kind_label(source)
        for source_id in cited:
            counts[source_id] = counts.get(source_id, 0) + 1
        for kind in dict.fromkeys([kind_of[s] for s in cited]):
            kinds[kind] = kinds.get(kind, 0) + 1
    total = len(notes)
    result = Profile(doc.meta.topic, total, as_of=doc.meta.date)
    for source_id, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        source = records[source_id]
        date = getattr(source, "date", None)
        result.sources.append(SourceCount(source_id, source_label(source, style), kind_label(source),
                                          date.text(style) if date else "", count,
                                          count / total if total else 0.0))
    result.kinds = dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    dated = [(span, s) for s in records.values() if (span := source_date(s)) is not None]
    if dated:
        span, newest = max(dated, key=lambda pair: (pair[0].end, pair[1].id))
        result.newest_id = newest.id
        result.newest_date = newest.date.text(style)
        result.newest_iso = newest.date.iso()
        if doc.meta.date is not None:
            result.days_after_newest = (doc.meta.date - span.end).days
    for row in result.sources:
        if row.share > max_share:
            result.warnings.append(
                f"one source carries {row.notes} of the {total} notes ({row.share:.0%}, more than "
                f"{max_share:.0%}): {row.label}; add other sources, or set checks.max_source_share")
    if result.days_after_newest is not None and result.days_after_newest > max_days:
        result.warnings.append(
            f"the brief is dated {_date_text(doc.meta.date, style)}, {result.days_after_newest} days "
            f"after its newest source ({result.newest_date}; more than {max_days}); cite newer "
            "evidence, or date the brief to its evidence")
    return result


def _date_text(date: _dt.date, style: str) -> str:
    from ..models import PartialDate

    return PartialDate.model_validate(date).text(style)


def table(result: Profile) -> list[Block]:
    """The profile as the review copy opens with it: a heading, a summary, two tables."""
    summary = f"{result.notes} notes"
    if result.newest_date:
        summary += f"; newest source {result.newest_date}"
        if result.days_after_newest is not None:
            summary += f", {result.days_after_newest} days before the brief\u2019s date"
    summary += "."
    blocks: list[Block] = [
        Heading(1, [Text("Sourcing profile")], anchor="sourcing-profile"),
        Paragraph([Text(summary)], Role.NOTE),
        Table([[Text("Source")], [Text("Kind")], [Text("Date")], [Text("Notes (share)")]],
              [[[Text(r.label)], [Text(r.kind)], [Text(r.date or "n.d.")],
                [Text(f"{r.notes} ({r.share:.0%})")]] for r in result.sources],
              aligns=["left", "left", "left", "right"]),
        Table([[Text("Kind of source")], [Text("Notes")]],
              [[[Text(kind)], [Text(str(n))]] for kind, n in result.kinds.items()],
              aligns=["left", "right"]),
    ]
    for warning in result.warnings:
        blocks.append(Paragraph([Text("Warning: " + warning)], Role.NOTE))
    return blocks


