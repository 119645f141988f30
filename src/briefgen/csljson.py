"""CSL-JSON export of briefgen's sources, for Zotero, pandoc and other CSL tools.

The items carry the same decisions as our own notes (citations.py), so that a CSL
processor with the Chicago style prints what we print wherever the style can:

* ``title`` is set headline-style and ``title-short`` is our short title, so
  shortened notes agree; a title we supplied keeps its square brackets.
* ``container-title`` is the periodical's name without an initial "The", the
  form Chicago cites (CMOS 18 14.89).
* A name written surname first (Korean: Ji Da-gyum) is exported as
  ``{"literal": "Ji Da-gyum"}``. CSL-JSON's ``static-ordering`` flag is meant
  for this, but pandoc's citeproc ignores it for names in Latin script and prints
  "Da-gyum Ji" / "Ji, Da-gyum"; a literal name is printed as written everywhere,
  and Zotero imports it as a one-field name, which it never inverts. The cost: a
  processor's short note repeats the whole name ("Ji Da-gyum" where Chicago has
  "Ji"); tests/test_oracle.py lists that difference.
* An untitled work has no ``title`` and its description in ``genre``, which the
  Chicago style prints in place of a title.
* Syndicated or republished copy: the outlet that published the work is the
  ``container-title``; the site whose copy we read is ``archive`` (printed by the
  style before the URL), and ``note`` says in words how they relate.
"""

from __future__ import annotations

from collections.abc import Iterable

from .citations import (  # format_source_list: `briefgen sources` imports it from here
    description,
    format_source_list,
    headline_case,
    periodical_name,
    work_title,
)

__all__ = ["format_source_list", "to_csl_item", "to_csl_json"]
from .models import PartialDate, Person, RelationKind, Source, SourceKind

_TYPES = {
    SourceKind.news_article: "article-newspaper",
    SourceKind.commentary: "article-magazine",
    SourceKind.syndicated_copy: "article-newspaper",
    SourceKind.think_tank: "webpage",
    SourceKind.official_document: "document",
    SourceKind.press_release: "document",
    SourceKind.government_statement: "document",
    SourceKind.news_item: "webpage",
    SourceKind.transcript: "speech",
}
_INSTITUTIONAL = {SourceKind.think_tank, SourceKind.official_document, SourceKind.press_release,
                  SourceKind.government_statement, SourceKind.news_item, SourceKind.transcript}
_GENRE = {SourceKind.press_release: "press release", SourceKind.government_statement: "statement",
          SourceKind.news_item: "news item", SourceKind.transcript: "transcript"}


def _name(p: Person) -> dict:
    if p.surname_first or not p.given:
        return {"literal": p.display}
    return {"family": p.family, "given": p.given}


def _date_parts(date: PartialDate) -> dict:
    parts = [date.year]
    if date.month:
        parts.append(date.month)
        if date.day:
            parts.append(date.day)
    return {"date-parts": [parts]}


def _notes(source: Source) -> list[str]:
    notes: list[str] = []
    if source.title_supplied and source.title:
        notes.append("Title supplied (not printed in the source).")
    if source.authors_note and not source.authors:
        notes.append(f"Authors not named ({source.authors_note}).")
    if source.date_note:
        notes.append(source.date_note.strip())
    if not source.archived:
        notes.append(f"Not archived; confirmed in: {(source.confirmed_in or '').strip()}")
    for rel in source.relations:
        if rel.kind is RelationKind.syndicated_copy_of and source.outlet:
            notes.append(f"Syndicated by {source.outlet} from {rel.outlet or source.original_outlet}.")
        elif rel.kind is RelationKind.republished_at and rel.outlet:
            notes.append(f"Read in its republication at {rel.outlet}.")
        elif rel.kind is RelationKind.rewrite_of and rel.outlet:
            notes.append(f"Rewrites a report in {rel.outlet}"
                         + (f", {rel.url}" if rel.url else "") + ".")
    # Lines such as "key: value" would be read as CSL variables by some tools.
    return [n.replace("\n", " ") for n in notes]


def to_csl_item(source: Source) -> dict:
    """One source as a CSL-JSON item."""
    item: dict = {"id": source.id, "type": _TYPES[source.kind]}
    t = work_title(source)
    if source.title:
        item["title"] = t.text
        if t.short != t.text:
            item["title-short"] = t.short
    else:
        item["genre"] = description(source)
    if source.authors:
        item["author"] = [_name(p) for p in source.authors]
    if source.kind in _INSTITUTIONAL:
        if source.kind in _GENRE and "genre" not in item:
            item["genre"] = _GENRE[source.kind]
        name = source.publisher or source.outlet
        if name:
            # The Chicago style prints a web page's site in the publisher's place.
            item["container-title"] = name
        if source.series:
            item["collection-title"] = headline_case(source.series)
    elif source.kind is SourceKind.syndicated_copy:
        item["container-title"] = periodical_name(source.original_outlet or "")
        if source.outlet:
            item["archive"] = source.outlet
    else:
        item["container-title"] = periodical_name(source.outlet or source.publisher or "")
    republished = next((r for r in source.relations
                        if r.kind is RelationKind.republished_at and r.outlet), None)
    if republished:
        item["archive"] = republished.outlet
    if source.date:
        item["issued"] = _date_parts(source.date)
    item["accessed"] = {"date-parts": [[source.accessed.year, source.accessed.month,
                                         source.accessed.day]]}
    if source.url:
        item["URL"] = source.url
    notes = _notes(source)
    if notes:
        item["note"] = " ".join(notes)
    return item


def to_csl_json(sources: Iterable[Source]) -> list[dict]:
    """CSL-JSON items for ``briefgen sources --csl-json`` (``json.dumps`` them)."""
    return [to_csl_item(s) for s in sources]
