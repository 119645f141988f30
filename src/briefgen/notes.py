"""The notes pass: number the notes, fill them with Chicago citations, list the sources.

One walk over the Document in reading order. The first citation of a source gives
its full note; every later one the shortened note (CMOS 18 13.32-33), including a
citation of the same source as the note just before, which Chicago 18 prefers to
"Ibid." (13.37); ``settings.ibid`` asks for "Ibid." there instead, and never after a
note that cites more than one work. A note mark that carries several citations
(``[@a; @b]``) becomes one note, its citations joined by semicolons, as Chicago
joins several sources in one note. An extract's ``caveat`` — the analyst's correction — follows the citations
of the note that first cites the extract, or of the note whose citation pins it
(``[@x, correction]``); a correction is printed once in a brief, even when two extracts
carry it (identical text, or a shared ``facts`` key); in a note citing several sources
it says whose work it corrects ("On Ji: the …", lower case after the colon unless a name
or two sentences follow, CMOS 6.63); a caveat that cites its own
evidence (``caveat: {text, cite}``) prints that citation after it in parentheses, as a
Chicago discursive note does. A reference-only source (no archived text) is cited with
the extract's own ``locator`` ("para. 30"), always. Several extracts of one
source in one note make one citation of that source. Each ``Bibliography`` block receives the entries of the sources
the brief cites, and only those, in Chicago's alphabetical order.

The work is linear in the number of notes: each citation is one dictionary look-up
and one formatting call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import citations
from .document import (
    Bibliography,
    Citation,
    Document,
    Inline,
    NoteRef,
    Text,
    copy_inlines,
    iter_blocks,
    iter_inlines,
    merge_text,
)
from .errors import BriefgenError
from .marks import place_marks
from .models import Settings, Source
from .sentences import after_colon


def _locator(citation: Citation, record: Any, settings: Settings) -> str | None:
    if citation.locator:
        return citation.locator
    if not getattr(record, "archived", True):
        citation.locator = getattr(record.extract, "locator", None)
        return citation.locator
    if settings.locators and getattr(record, "paragraph", None):
        citation.locator = f"para. {record.paragraph}"
        return citation.locator
    return None


def _join_locators(locators: list[str]) -> str | None:
    """"para. 3" and "para. 5" of one source become "paras. 3, 5"."""
    if len(locators) <= 1:
        return locators[0] if locators else None
    if all(loc.startswith("para. ") for loc in locators):
        return "paras. " + ", ".join(loc[len("para. "):] for loc in locators)
    return ", ".join(locators)


def _with_caveats(parts: list[Inline], caveats: list[tuple[str, list[Inline]]]) -> list[Inline]:
    """The citations, then each correction with its own citation in parentheses."""
    out = citations.finish(parts)  # the citations end with one period
    if not caveats:
        return out  # merged already
    for text, cite in caveats:
        text = text.strip()
        if cite:
            body = text.rstrip(".")
            out.append(Text(" " + body + " ("))
            out.extend(cite)
            out.append(Text(")."))
            continue
        if text and text[-1] not in ".!?\u201d\u2019":
            text += "."
        out.append(Text(" " + text))
    return merge_text(out)


def _correction_ids(extract: Any) -> set[str]:
    """What makes two corrections the same: identical text, or a shared ``facts`` key."""
    text = getattr(extract, "caveat_text", None) or ""
    ids = {"text:" + " ".join(text.lower().rstrip(". ").split())} if text.strip() else set()
    ids.update("fact:" + fact.key for fact in getattr(extract, "facts", None) or [])
    return ids


def plan_corrections(notes: list[NoteRef], corpus: Any) -> dict[int, list[str]]:
    """Where each correction is printed: note index -> extract ids whose caveat it prints.

    A correction is printed once in a brief: extracts whose corrections are the same
    (identical text, or a shared ``facts`` key) form one group, printed once with the
    caveat of the extract cited there. It goes to the first note whose citation pins it
    (``[@x, correction]``), else to the first note citing any extract of the group.
    """
    return _plan(notes, corpus.extracts.get)


def _plan(notes: list[NoteRef], record_of: Callable[[str], Any]) -> dict[int, list[str]]:
    owner: dict[str, str] = {}  # correction id -> group (first extract id seen with it)
    group_of: dict[str, str] = {}  # extract id -> group
    order: list[str] = []
    for note in notes:
        for citation in note.citations:
            record = record_of(citation.key)
            if record is None or citation.key in group_of:
                continue
            if not getattr(record.extract, "caveat", None):
                continue
            ids = _correction_ids(record.extract)
            group = next((owner[i] for i in ids if i in owner), citation.key)
            if group == citation.key:
                order.append(group)
            group_of[citation.key] = group
            for i in ids:
                owner.setdefault(i, group)
    target: dict[str, tuple[int, str]] = {}  # group -> (note index, extract printed)
    for pinned_pass in (True, False):
        for index, note in enumerate(notes):
            for citation in note.citations:
                found = group_of.get(citation.key)
                if found is None or found in target:
                    continue
                if pinned_pass and not getattr(citation, "pin_correction", False):
                    continue
                target[found] = (index, citation.key)
    plan: dict[int, list[str]] = {}
    for group in order:
        index, key = target[group]
        plan.setdefault(index, []).append(key)
    return plan


def owner_label(source: Source) -> str:
    """Whose work a correction belongs to, in a note citing several: "Ji", "ASEAN Daily"."""
    if source.authors:
        return source.authors[0].family
    name = source.original_outlet or source.outlet or source.publisher or source.title or source.id
    name = name.split(",")[0].strip()
    return name[4:] if name.startswith("The ") else name


def apply(doc: Document, corpus: Any, settings: Settings) -> None:
    """Place the note marks, number every NoteRef, fill its content and every Bibliography.

    ``corpus`` needs ``extracts``: a mapping of extract id to a record with
    ``.extract`` (an Extract), ``.source`` (a Source) and ``.paragraph``.
    An unknown citation key raises ``BriefgenError``.
    """
    place_marks(doc)  # once, before numbering: several citations at one place are one note
    style = settings.date_style
    seen: dict[str, Source] = {}  # source id -> source, in order of first citation
    previous: str | None = None  # the one source of the previous note, if it had one
    notes = [n for n in iter_inlines(doc.blocks) if isinstance(n, NoteRef)]
    extracts = corpus.extracts
    for number, node in enumerate(notes, start=1):
        for citation in node.citations:
            if citation.key not in extracts:
                raise BriefgenError(f"note {number}: unknown citation key @{citation.key}")
    records: dict[str, Any] = {}  # each cited record looked up once, in order of citation
    for node in notes:
        for citation in node.citations:
            if citation.key not in records:
                records[citation.key] = extracts[citation.key]
    plan = _plan(notes, records.get)
    short = _ShortNotes(style)
    for index, node in enumerate(notes):
        number = index + 1
        node.number = number
        # Several extracts of one source in one note are one citation of that source.
        groups: dict[str, tuple[Source, list[str]]] = {}
        for citation in node.citations:
            record = records[citation.key]
            source: Source = record.source
            locator = _locator(citation, record, settings)
            locators = groups.setdefault(source.id, (source, []))[1]
            if locator and locator not in locators:
                locators.append(locator)
        caveats: list[tuple[str, list[Inline]]] = []
        for key in plan.get(index, []):
            record = corpus.extracts[key]
            text = record.extract.caveat_text
            if len(groups) > 1:  # say whose error it corrects
                quoted = getattr(record.extract, "quote", None) or getattr(record.extract, "paraphrase", "")
                text = f"On {owner_label(record.source)}: {after_colon(text, quoted or '')}"
            caveats.append((text, _caveat_cite(record.extract.caveat_cites, corpus, seen, settings, short)))
        parts: list[Inline] = []
        for source, locators in groups.values():
            locator = _join_locators(locators)
            if source.id not in seen:
                seen[source.id] = source
                cite = citations.full_note_parts(source, locator, style)
            elif settings.ibid and len(groups) == 1 and previous == source.id:
                cite = citations.ibid_parts(locator)
            else:
                cite = short(source, locator)
            if parts:
                parts.append(Text("; "))
            parts.extend(cite)
        node.content = _with_caveats(parts, caveats) if parts else []
        previous = next(iter(groups)) if len(groups) == 1 else None
    _fill_bibliographies(doc, list(seen.values()), style)


class _ShortNotes:
    """The shortened notes of one brief: each source and locator formatted once, every
    note given its own copy (a note's last text is finished in place)."""

    def __init__(self, style: citations.DateStyle) -> None:
        self.style = style
        self.made: dict[tuple[str, str | None], list[Inline]] = {}

    def __call__(self, source: Source, locator: str | None) -> list[Inline]:
        key = (source.id, locator)
        made = self.made.get(key)
        if made is None:
            made = self.made[key] = citations.short_note_parts(source, locator, self.style)
        return copy_inlines(made)


def _caveat_cite(keys: list[str], corpus: Any, seen: dict[str, Source],
                 settings: Settings, short: _ShortNotes) -> list[Inline]:
    """The citation of a correction's evidence: full note for a source's first citation."""
    groups: dict[str, tuple[Source, list[str]]] = {}
    for key in keys:
        record = corpus.extracts.get(key)
        if record is None:
            continue
        locator = record.locator if not record.archived or settings.locators else None
        locators = groups.setdefault(record.source.id, (record.source, []))[1]
        if locator and locator not in locators:
            locators.append(locator)
    parts: list[Inline] = []
    for source, locators in groups.values():
        locator = _join_locators(locators)
        if source.id not in seen:
            seen[source.id] = source
            cite = citations.full_note_parts(source, locator, settings.date_style)
        else:
            cite = short(source, locator)
        if parts:
            parts.append(Text("; "))
        parts.extend(cite)
    return parts


def _fill_bibliographies(doc: Document, sources: list[Source], style: citations.DateStyle) -> None:
    ordered = sorted(sources, key=citations.bibliography_sort_key)
    for block in iter_blocks(doc.blocks):
        if isinstance(block, Bibliography):
            block.entries = [citations.bibliography_entry(s, style) for s in ordered]
