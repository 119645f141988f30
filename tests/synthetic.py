"""Synthetic Documents of any size, for writer tests and the benchmark.

``synthetic_document(notes=1250)`` gives a deterministic Document whose notes are
already numbered and filled, as ``notes.apply`` would leave them: headings every few
paragraphs, long paragraphs that must split across pages, several notes per paragraph,
notes of varied length (some long enough to continue on the next page), italics, links,
lists, a table and a quotation. The same arguments always give the same tree.
"""

from __future__ import annotations

import datetime as _dt
import random

from briefgen.document import (
    Bibliography,
    Block,
    Citation,
    Document,
    Emph,
    Heading,
    Link,
    ListBlock,
    Meta,
    NoteRef,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
)

_WORDS = ["alliance", "partnership", "cooperation", "cyber", "defence", "industry", "intelligence", "sharing", "summit", "declaration", "programme", "exercise", "interoperability", "deterrence", "resilience", "capability", "Indo-Pacific", "Euro-Atlantic", "security", "dialogue", "consultation", "framework", "certification", "munitions", "procurement", "standards", "doctrine", "network", "exchange", "liaison", "mission", "office", "assessment", "posture", "strategy", "ministers", "envoys", "delegation", "agreement", "partners", "region"]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def _note_content(rng: random.Random, number: int) -> list:
    """A plausible full note: author, "title," *Outlet*, date, URL — sometimes long."""
    title = _sentence(rng, rng.randint(4, 9)).rstrip(".")
    url = f"https://example.org/briefs/{number}/{rng.randint(1000, 9999)}"
    parts = [
        Text(f"Author {number}, \u201c{title},\u201d "),
        Emph([Text("The Synthetic Review")]),
        Text(f", {rng.randint(1, 28)} March 2024, "),
        Link(url, [Text(url)]),
        Text("."),
    ]
    if number % 97 == 0:  # now and then a note long enough to need continuing
        parts.append(Text(" " + " ".join(_sentence(rng, 14) for _ in range(12))))
    return parts


def synthetic_document(notes: int = 1250, *, seed: int = 7, title: str | None = None,
                       notes_per_paragraph: tuple[int, int] = (1, 4)) -> Document:
    """A Document with exactly ``notes`` numbered, filled notes."""
    rng = random.Random(seed)
    blocks: list[Block] = []
    number = 0
    section = 0
    while number < notes:
        if not blocks or rng.random() < 0.18:
            section += 1
            level = 1 if section % 4 == 1 else 2
            blocks.append(Heading(level, [Text(f"Section {section}: " + _sentence(rng, 3).rstrip("."))],
                                  anchor=f"section-{section}"))
        children: list = []
        for _ in range(rng.randint(*notes_per_paragraph)):
            if number >= notes:
                break
            children.append(Text(_sentence(rng, rng.randint(8, 40))))
            if rng.random() < 0.2:
                children.append(Text(" "))
                children.append(Emph([Text(_sentence(rng, 3))]))
            number += 1
            children.append(NoteRef([Citation(f"extract-{number}")], number,
                                    _note_content(rng, number)))
            children.append(Text(" "))
        if rng.random() < 0.15:  # a long paragraph that will split across pages
            children.append(Text(" ".join(_sentence(rng, 20) for _ in range(18))))
        kind = rng.random()
        if kind < 0.06:
            blocks.append(ListBlock(False, [[Paragraph(children)],
                                            [Paragraph([Text(_sentence(rng, 12))])]]))
        elif kind < 0.09:
            blocks.append(Quote([Paragraph(children)]))
        else:
            blocks.append(Paragraph(children))
        if rng.random() < 0.02:
            blocks.append(Table(
                header=[[Strong([Text("Date")])], [Text("Event")]],
                rows=[[[Text(f"{d} May 2024")], [Text(_sentence(rng, 10))]] for d in range(1, 6)],
                role="chronology"))
    blocks.append(Heading(1, [Text("Sources")], anchor="sources"))
    blocks.append(Bibliography([
        [Text(f"Author {i}. \u201cA Source Title {i}.\u201d "), Emph([Text("The Synthetic Review")]),
         Text(", 1 March 2024.")] for i in range(1, 6)
    ]))
    meta = Meta(
        title=title or f"Synthetic Brief with {notes} Notes",
        topic="synthetic",
        date=_dt.date(2024, 11, 1),
        short_title="Synthetic Brief",
        date_text="1 November 2024",
        marking="NATO UNCLASSIFIED",
        author="briefgen",
        organisation="briefgen tests",
        keywords=["synthetic", "benchmark"],
    )
    return Document(meta, blocks)
