"""Dates against sources: a note cannot report what happened after its sources.

For each cited sentence (and each chronology row) the dates it states are read in the
project's forms. A date whose first day comes after the newest cited source was
published is an error ("a source of 13 July 2023 cannot report October 2024"),
unless a caveat of a cited extract cites, with its own citation, a source published
on or after that day. A sentence that states an event as done (past tense, or a row
of the chronology) while its newest source was published on the event's first day,
before the event was over, is a warning: the source could only preview it ("reported
before it happened"). A one-day event reported the same day is a report. A sentence
that speaks of an expectation ("was due in 2024", "is to visit") makes no claim that the event
happened and is not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..plain import LazyPattern
from .evidence_text import caveat_parts, source_date
from .text import Span, find_dates

#: Words that make a sentence speak of an expectation, not of something done.
_PROSPECT = LazyPattern(
    r"\b(?:will|would|shall|due|expected|expects?|planned|plans?|scheduled|poised|set to|"
    r"is to|are to|was to|were to|to be held|upcoming|forthcoming|proposed|proposes?|"
    r"could|may|might|likely|watch|whether)\b", re.IGNORECASE)
_PAST = LazyPattern(
    r"\b(?:was|were|had|did|met|took|held|signed|sent|made|gave|began|became|joined|"
    r"visited|adopted|attended|agreed|opened|launched|hosted|concluded|established|"
    r"announced|invited|committed|discussed|introduced|named|reported|described|"
    r"[a-z]{3,}ed)\b")
_NOT_PAST = frozenset({"tailored", "based", "related", "detailed", "limited", "united",
                       "advanced", "dedicated", "interested", "concerned", "supposed",
                       "sustained", "integrated", "coordinated", "combined", "unprecedented",
                       "affiliated", "classified", "shared", "needed", "unified"})


def states_done(sentence: str) -> bool:
    """Whether a sentence states something as having happened (past tense, no prospect)."""
    if _PROSPECT.search(sentence):
        return False
    return any(m.group(0) not in _NOT_PAST for m in _PAST.finditer(sentence))


#: The severity of a date no cited source can report.
CANNOT_REPORT = "error"


@dataclass(frozen=True, slots=True)
class DateFinding:
    severity: str  # "error" or "warning"
    date: str  # as written in the sentence
    start: int
    end: int
    message: str


def _newest(sources: list[Any]) -> tuple[Any, Span] | None:
    """The cited source published last (by the latest day its date may mean)."""
    dated = [(s, span) for s in sources if (span := source_date(s)) is not None]
    if not dated or len(dated) < len(sources):
        return None  # a source of unknown date may be the newest: nothing can be said
    return max(dated, key=lambda pair: pair[1].end)


def _caveat_sources(keys: list[str], corpus: Any) -> list[Any]:
    """Sources that the cited extracts' caveats cite with their own citation."""
    out = []
    for key in keys:
        record = corpus.extracts.get(key)
        if record is None:
            continue
        for cited in caveat_parts(record.extract)[1]:
            other = corpus.extracts.get(cited)
            if other is not None:
                out.append(other.source)
    return out


def check_sentence(sentence: str, keys: list[str], corpus: Any, done: bool | None = None,
                   style: str = "dmy") -> list[DateFinding]:
    """The date findings of one cited sentence whose note cites ``keys``.

    ``done`` says whether the sentence states its event as done; by default it is read
    from the sentence's tense.
    """
    mentions = [m for m in find_dates(sentence) if m.year_known]
    if not mentions:  # most cited sentences state no date: nothing to compare
        return []
    records = [corpus.extracts[k] for k in keys if k in corpus.extracts]
    sources = list({id(r.source): r.source for r in records}.values())
    newest = _newest(sources)
    if newest is None:
        return []
    source, published = newest
    prospect: bool | None = None  # the tense is read only for a sentence with a date
    findings: list[DateFinding] = []
    shown = _date_text(source, style)
    for mention in mentions:
        first_day = mention.first.start
        if published.end < first_day:
            if prospect is None:
                prospect = _PROSPECT.search(sentence) is not None
            if prospect:
                continue
            later = [s for s in _caveat_sources(keys, corpus)
                     if (span := source_date(s)) is not None and span.end >= first_day]
            if later:
                continue
            findings.append(DateFinding(
                CANNOT_REPORT, mention.text, mention.start, mention.end,
                f"a source of {shown} cannot report {mention.text}: cite a source of that date, or "
                "give the extract a caveat citing one"))
        elif published.end <= first_day < mention.last.end and (
                done if done is not None else (done := states_done(sentence))):
            findings.append(DateFinding(
                "warning", mention.text, mention.start, mention.end,
                f"reported before it happened: {mention.text} is stated as done, but the newest "
                f"source is of {shown}, its first day"))
    return findings


def _date_text(source: Any, style: str) -> str:
    date = getattr(source, "date", None)
    return date.text(style) if date is not None else "unknown date"
