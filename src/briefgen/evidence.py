"""The evidence behind each note: for review copies and the evidence annex.

A reviewer of a sourced brief needs to see the quotation behind each sentence without
leaving the document. ``attach`` puts the verbatim extracts on every note (the writers
turn them into Word comments and PDF annotations); ``annex`` builds an annex that lists
each cited extract in full, with source and paragraph, keyed to the note numbers.
Both run after ``notes.apply``, which has numbered the notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import citations
from .document import (
    NOT_ARCHIVED,
    Block,
    Document,
    Emph,
    Evidence,
    Heading,
    Inline,
    NoteRef,
    Paragraph,
    Role,
    Strong,
    Text,
    iter_inlines,
    plain_text,
)

if TYPE_CHECKING:
    from .models import Settings


def _source_inlines(key: str, corpus: Any, style: str) -> list[Inline]:
    """The extract's source as a shortened note with its paragraph, titles in italics."""
    record = corpus.extracts[key]
    locator = record.locator
    return citations.finish(citations.short_note_parts(record.source, locator, style))  # type: ignore[arg-type]


def _evidence(key: str, corpus: Any, style: str) -> Evidence:
    record = corpus.extracts[key]
    return Evidence(key, record.extract.words, plain_text(_source_inlines(key, corpus, style)),
                    record.paragraph, _caveat(record, corpus, style), record.archived)


def _caveat(record: Any, corpus: Any, style: str) -> str | None:
    """The analyst's correction, with the extracts that are its evidence."""
    text = record.extract.caveat_text
    if not text:
        return None
    cites = []
    for key in record.extract.caveat_cites:
        cited = corpus.extracts.get(key)
        if cited is None:
            continue
        where = plain_text(_source_inlines(key, corpus, style)).rstrip(".")
        cites.append(f"{where} [{key}{'' if cited.archived else '; ' + NOT_ARCHIVED}]")
    if cites:
        text = text.rstrip() + " Evidence: " + "; ".join(cites) + "."
    return text


def attach(doc: Document, corpus: Any, settings: Settings) -> None:
    """Fill every note's ``evidence`` and mark the document as a review copy."""
    doc.meta.review = True
    cache: dict[str, Evidence] = {}
    for node in iter_inlines(doc.blocks):
        if isinstance(node, NoteRef):
            node.evidence = [cache.get(c.key) or cache.setdefault(
                c.key, _evidence(c.key, corpus, settings.date_style)) for c in node.citations]


def annex(doc: Document, corpus: Any, settings: Settings) -> None:
    """Append the evidence annex: each note's extracts in full, keyed to its number."""
    blocks: list[Block] = [
        Heading(2, [Text("Annex: the evidence behind each note")], anchor="evidence-annex"),
        Paragraph([Text("Each note of this brief is listed with the verbatim extracts it cites, "
                        "the source and the paragraph of the source where each stands. "
                        "Quotations are exact; analyst caveats follow them. A source with no "
                        "archived text is cited by the analyst\u2019s paraphrase, marked "
                        "\u201cnot archived\u201d.")], role=Role.NOTE),
    ]
    cache: dict[str, Evidence] = {}
    for node in iter_inlines(doc.blocks):
        if not isinstance(node, NoteRef):
            continue
        for i, citation in enumerate(node.citations):
            ev = cache.get(citation.key) or cache.setdefault(
                citation.key, _evidence(citation.key, corpus, settings.date_style))
            label = f"Note {node.number}." if i == 0 else f"Note {node.number} (continued)."
            words = f" {ev.shown_quote()} \u2014 "
            children = [Strong([Text(label)]), Text(words),
                        *_source_inlines(citation.key, corpus, settings.date_style), Text(" "),
                        Emph([Text(f"Extract {ev.extract_id}.")])]
            if ev.caveat:
                children.append(Text(f" Analyst\u2019s caveat: {ev.caveat}"))
            blocks.append(Paragraph(children, role=Role.ANNEX))
    doc.blocks.extend(blocks)
