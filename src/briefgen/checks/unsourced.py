"""Text that cannot carry a note must not state what only a note could source.

A title, subtitle, heading, keyword or figure caption cannot carry a citation
(``brief.citation_problems``), so nothing it states can be traced to evidence. A
label is fine ("Background", "Partnership programmes, 2012–2024"); a detail is not: a
number that is not a year ("the 33rd member"), a month or a day ("11 July 2023"), or
a year given to something the text says happened ("joined in 2021"). A number that
labels a part of a document or a text ("Part 2: Background", "1. Scope", "Article 5",
"Table 3") names it and states nothing. Each is a
warning at the field's line: the sentence belongs in the brief's text, where it can
be cited and checked. A figure's alt text describes its picture for those who cannot
see it ("a bar chart rising from one to four") and is left to the analyst, like the
picture itself.
"""

from __future__ import annotations

import re
from typing import Any

from ..document import Document, Figure, iter_blocks
from ..errors import Problem
from .dates import states_done
from .text import DETAIL_NUMBER_WORDS, find_dates, find_numbers

#: What stands before a number that labels a part ("Part 2", "Annex 1", "No. 5", "Article 5").
_LABEL_BEFORE = re.compile(
    r"\b(?:part|section|chapter|annex|appendix|article|figure|fig\.|table|box|map|chart|phase|"
    r"pillar|step|stage|volume|vol\.|no\.|item|paragraph|para\.|point|option|scenario|"
    r"tier|level|round)\s+$", re.IGNORECASE)
#: A number that opens a text and numbers it ("1. Scope", "2) Findings", "3: Outlook").
_ENUMERATOR = re.compile(r"\s*\d{1,2}(?:\.\d{1,2})*\s*[.):]\s")


def _labels(text: str, start: int, end: int) -> bool:
    """Whether the number at ``text[start:end]`` labels a part instead of stating a detail."""
    if _LABEL_BEFORE.search(text, 0, start) is not None:
        return True
    opening = _ENUMERATOR.match(text)
    return opening is not None and end <= opening.end() and not text[:start].strip()


def details(text: str) -> list[str]:
    """The details of ``text`` that only a note could source, as written, in order."""
    mentions = find_dates(text)
    # a year alone is a detail only where the text says something happened: the tense is
    # read only for such a mention
    done = None
    found = []
    for m in mentions:
        if m.first.precision == m.last.precision == "year":
            if done is None:
                done = states_done(text)
            if not done:
                continue
        found.append((m.start, m.text))
    taken = [(m.start, m.end) for m in mentions]
    found += [(start, written) for start, end, written, _value
              in find_numbers(text, DETAIL_NUMBER_WORDS, taken) if not _labels(text, start, end)]
    return [written for _start, written in sorted(found)]


def _fields(doc: Document, loaded: Any) -> list[tuple[int | None, str, str]]:
    """(line, text, what it is) of every text of the brief that cannot carry a note."""
    fields: list[tuple[int | None, str, str]] = []
    if loaded is not None:
        fields += [(loaded.line(loc), text, what) for loc, text, what in loaded.plain_fields()]
    for block in iter_blocks(doc.blocks):
        if isinstance(block, Figure):
            fields.append((block.at[1], block.caption, f"the caption of figure {block.number}"))
    return fields


def problems(doc: Document, loaded: Any, path: str) -> list[Problem]:
    """A warning for each detail stated where no note can source it."""
    out: list[Problem] = []
    for line, text, what in _fields(doc, loaded):
        for detail in details(text) if text else ():
            out.append(Problem(
                path, line, f"{what} states \u201c{detail}\u201d, which no note can source: say "
                "it in the brief's text, where it can be cited", "warning"))
    return out
