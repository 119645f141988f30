"""What a sentence may not add to its evidence: a hedge, a role, a scope, a degree.

The details check asks whether each date, number and name of a cited sentence stands
in its evidence; these ask whether the sentence says *more* about them than the
evidence does:

- ``hedges``: the evidence says a thing is planned, proposed, reported, discussed or
  not officially so; the sentence states it as done or certain;
- ``roles``: the sentence gives a person a role ("spokesperson", "minister") that its
  evidence does not, perhaps found in a paragraph of the source the note does not cite;
- ``scope``: the sentence widens who ("all allies" for "several allies"), how often
  ("every year", "regularly") or how long ("since 2019" for "in 2019");
- ``degree``: the sentence sharpens how much ("600,000" for "nearly 600,000"), how
  special ("the only", "unprecedented") or why ("because", "in response to").

``run`` adds each finding to the brief's findings as a warning at the sentence's line,
and its words to what the review copy highlights. Each result is kept by the
sentence's text and its note's keys (and the glossary) in the archive's memo tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from ..errors import Problem
from . import degree, hedges, memo_table, roles, scope
from .details import Miss
from .evidence_text import NoteEvidence, evidence_records
from .readers import ALL, COUNT, ROLE, SHARPEN, WIDEN
from .text import Glossary


@dataclass(frozen=True, slots=True)
class Claim:
    """One thing a sentence adds to its evidence: its message and the words it is in."""

    kind: str
    text: str
    start: int
    end: int
    message: str


def _claims(text: str, keys: tuple[str, ...], corpus: Any, glossary: Glossary,
            hedge_memo: Any, may: int = ALL, note: NoteEvidence | None = None) -> tuple[Claim, ...]:
    """The claims of ``text``. ``may``: ``readers.may_find(text)``, if the caller has it
    (a check whose bit is off finds nothing in the text, and is not run); ``note``: the
    note's evidence as the details check gathered it (``evidence_text.gather``), whose
    records every check reads instead of walking them again."""
    out: list[Claim] = []
    records = note.records if note is not None else list(evidence_records(keys, corpus))
    evidence = hedge_memo.get(keys, partial(hedges.evidence_hedges, keys, corpus, records))
    for d in hedges.check_sentence(text, evidence):
        out.append(Claim("hedge", text[d.start:d.end], d.start, d.end, d.message()))
    if may & ROLE:
        for r in roles.check_sentence(text, keys, corpus, records):
            out.append(Claim("role", r.role, r.start, r.end, r.message()))
    if not may & (WIDEN | SHARPEN | COUNT):
        return tuple(out)
    words = hedges.words_of(text)
    if may & WIDEN:
        for s in scope.check_sentence(text, keys, corpus, words, records):
            out.append(Claim("scope", s.text, s.start, s.end, s.message()))
    if may & (SHARPEN | COUNT):
        for g in degree.check_sentence(text, keys, corpus, words, records):
            out.append(Claim("degree", g.text, g.start, g.end, g.message()))
    return tuple(out)


def run(findings: Any, sentence: Any, keys: tuple[str, ...], corpus: Any, glossary: Glossary,
        gkey: Any, path: str, where: Any, may: int = ALL, note: NoteEvidence | None = None) -> None:
    """Check one cited sentence; add its findings to ``findings`` (``checks.Findings``).
    ``may``: ``readers.may_find`` of its text, and ``note``: its note's evidence
    (``evidence_text.gather``), if the caller has them."""
    text = sentence.text
    found = memo_table(corpus, "claims").get(
        (text, keys, gkey), partial(_claims, text, keys, corpus, glossary, memo_table(corpus, "hedges"), may, note))
    if not found:
        return
    line = where.line(sentence.note, text)
    quoted = " ".join(text.split())
    quoted = quoted if len(quoted) <= 60 else quoted[:59].rstrip() + "\u2026"
    for claim in found:
        findings.problems.append(Problem(
            path, line, f"note {sentence.note.number}: {claim.message} \u2014 \u201c{quoted}\u201d", "warning"))
    findings.misses.append((sentence, [Miss(claim.kind, claim.text, claim.start, claim.end) for claim in found]))
