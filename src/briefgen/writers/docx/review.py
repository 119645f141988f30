"""Review comments: one Word comment per note with evidence, anchored on its sentence."""

from __future__ import annotations

import bisect
import copy
import re
from typing import TYPE_CHECKING

from lxml import etree

from ...document import Evidence, NoteRef
from ...sentences import sentence_start
from . import markup
from .markup import Para
from .oxml import (
    W_BR,
    W_FOOTNOTEREFERENCE,
    W_HYPERLINK,
    W_ID,
    W_P,
    W_R,
    W_RPR,
    W_RSTYLE,
    W_T,
    W_TAB,
    W_VAL,
    XML_SPACE,
    _Element,
    _w,
)

if TYPE_CHECKING:
    from .writer import DocxWriter


def add_review_comments(w: DocxWriter) -> None:
    """One Word comment per note with evidence, anchored on the sentence the note cites.

    Runs after the body is built, paragraph by paragraph: the sentence of each mark
    is found in the paragraph's text as written (marks already after their
    punctuation), then the runs are split where sentences start. Comment ids count
    up in reading order, so the comments part reads in the order of the notes.

    The ids start above every footnote and bookmark id: OOXML keeps them apart,
    but LibreOffice (7.4) mixes up the text of a footnote whose id a comment also
    has (a comment with id 0, the continuation separator's id, shifts every note
    after it by one).
    """
    base = max(w.note_count, w.bookmark_count) + 1
    index = 0
    while index < len(w.review_marks):
        paragraph = _paragraph_of(w.review_marks[index][0])
        end = index + 1
        while end < len(w.review_marks) and _paragraph_of(w.review_marks[end][0]) is paragraph:
            end += 1
        marks = w.review_marks[index:end]
        starts = _sentence_starts(paragraph, {id(run) for run, _, _ in marks})
        for offset, (run, node, note_id) in enumerate(marks):
            comment_id = base + index + offset
            w.comments.append(_comment(w, comment_id, node, note_id))
            _mark_comment_end(run, comment_id, w.style["comment_reference"])
        # Split runs from the last start backwards so earlier positions stay valid;
        # marks citing the same sentence share one split.
        by_start: dict[int, tuple[_Element, int, list[int]]] = {}
        for offset, (run, _, _) in enumerate(marks):
            position, holder, char = starts[id(run)]
            by_start.setdefault(position, (holder, char, []))[2].append(base + index + offset)
        for position in sorted(by_start, reverse=True):
            holder, char, comment_ids = by_start[position]
            _mark_comment_start(holder, char, comment_ids)
        index = end

def _comment(w: DocxWriter, comment_id: int, node: NoteRef, note_id: int) -> str:
    """The ``w:comment`` for one note, as markup: a paragraph per extract behind it."""
    date = w.moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    start = f'<w:comment w:id="{comment_id}" w:author="briefgen" w:date="{date}" w:initials="BG"'
    where, w.where = w.where, f"the evidence of note {note_id}"
    paragraphs: list[str] = []
    for number, evidence in enumerate(node.evidence):
        p = Para(w.style["comment_text"])
        if number == 0:  # Word ties the comment's text to its mark with this run
            p.content.append(markup.styled(w.style["comment_reference"], "<w:annotationRef/>"))
        quote, source = _evidence_lines(evidence)
        p.content += (w.run(w.clean(quote, w.where)), w.run(w.clean(source, w.where)))
        if evidence.caveat:
            p.content += (w.run(" Caveat: ", italic=True), w.run(w.clean(evidence.caveat, w.where)))
        paragraphs.append(p.xml())
    w.where = where
    return f"{start}>{''.join(paragraphs)}</w:comment>" if paragraphs else f"{start}/>"


def _evidence_lines(evidence: Evidence) -> tuple[str, str]:
    """The quotation, verbatim in quotation marks, and `` — source, para. N [extract-id]``.

    The source is the shortened note, which may already end in the paragraph
    ("…,” para. 4."); the paragraph is added only when it does not.
    """
    source = evidence.source.strip().rstrip(".")
    if evidence.paragraph and not re.search(rf"\bparas?\. {evidence.paragraph}\b", source):
        source += f", para. {evidence.paragraph}"
    return evidence.shown_quote(), f" \u2014 {source} [{evidence.extract_id}]"


def _paragraph_of(run: _Element) -> _Element:
    """The ``w:p`` a run stands in (a run may sit inside a hyperlink)."""
    return next(run.iterancestors(W_P))


def _run_text(run: _Element) -> str:
    """What a run shows, one character per tab or break, as the sentence search sees it."""
    out: list[str] = []
    for child in run:
        if child.tag == W_T:
            out.append(child.text or "")
        elif child.tag == W_TAB:
            out.append("\t")
        elif child.tag == W_BR:
            out.append("\n")
    return "".join(out)


def _sentence_starts(paragraph: _Element, wanted: set[int]) -> dict[int, tuple[int, _Element, int]]:
    """For each wanted mark run (by ``id``): where its sentence starts in the paragraph.

    Each value is (position in the paragraph's text, the run holding it, the offset
    in that run). A sentence starts after the previous sentence end, the previous
    note mark in the paragraph or the paragraph start; a mark that follows another
    with only a separating comma between cites the same sentence, so it starts
    where that one's does.
    """
    text = ""
    spans: list[tuple[int, _Element]] = []  # (position, run) of each run with text
    previous_mark_end: int | None = None
    previous_start = 0
    found: dict[int, tuple[int, _Element, int]] = {}
    for run in paragraph.iter(W_R):
        if run.find(W_FOOTNOTEREFERENCE) is not None:
            here = len(text)
            if previous_mark_end is not None and not text[previous_mark_end:here].strip(" ,\u00a0"):
                start = previous_start
            else:
                start = sentence_start(text, previous_mark_end or 0, here)
            if id(run) in wanted:
                found[id(run)] = _locate(start, here, spans, run)
            previous_mark_end, previous_start = here, start
            continue
        shown = _run_text(run)
        if shown:
            spans.append((len(text), run))
            text += shown
    return found


def _locate(position: int, mark_position: int, spans: list[tuple[int, _Element]],
            mark: _Element) -> tuple[int, _Element, int]:
    """The run and offset of ``position``; the mark itself when the sentence is empty."""
    if position >= mark_position:
        return position, mark, 0
    index = bisect.bisect_right([start for start, _ in spans], position) - 1
    start, run = spans[index]
    return position, run, position - start


def _mark_comment_start(run: _Element, offset: int, comment_ids: list[int]) -> None:
    """Put a ``w:commentRangeStart`` per id before character ``offset`` of ``run``, split there."""
    target = _split_run(run, offset) if offset else run
    parent = target.getparent()
    if parent.tag == W_HYPERLINK and parent.index(target) == 0:
        target = parent  # at a link's first character: start the range outside the link
    for comment_id in comment_ids:  # each lands just before the target: ids stay in order
        start = etree.Element(_w("commentRangeStart"))
        start.set(W_ID, str(comment_id))
        target.addprevious(start)


def _mark_comment_end(mark: _Element, comment_id: int, reference_style: str) -> None:
    """After the note mark: ``w:commentRangeEnd`` and the run holding ``w:commentReference``."""
    end = etree.Element(_w("commentRangeEnd"))
    end.set(W_ID, str(comment_id))
    reference = etree.Element(W_R)
    etree.SubElement(etree.SubElement(reference, W_RPR), W_RSTYLE).set(W_VAL, reference_style)
    etree.SubElement(reference, _w("commentReference")).set(W_ID, str(comment_id))
    mark.addnext(end)
    end.addnext(reference)


def _split_run(run: _Element, offset: int) -> _Element:
    """Split ``run`` before character ``offset`` (as ``_run_text`` counts); return the second run."""
    second = etree.Element(W_R)
    rpr = run.find(W_RPR)
    if rpr is not None:
        second.append(copy.deepcopy(rpr))
    position = 0
    moving: list[_Element] = []
    for child in run:
        if child.tag == W_RPR:
            continue
        if moving:
            moving.append(child)
            continue
        length = len(child.text or "") if child.tag == W_T else 1 if child.tag in (W_TAB, W_BR) else 0
        if position + length <= offset:
            position += length
            continue
        if child.tag == W_T and position < offset:
            cut = offset - position
            tail = etree.Element(W_T)
            _set_text(tail, (child.text or "")[cut:])
            _set_text(child, (child.text or "")[:cut])
            moving.append(tail)
        else:
            moving.append(child)
    for child in moving:
        second.append(child)  # appending moves the element out of ``run``
    run.addnext(second)
    return second


def _set_text(t: _Element, text: str) -> None:
    """A ``w:t``'s text, keeping outer and doubled spaces as ``_run`` does."""
    t.text = text
    if text and (text[0] == " " or text[-1] == " " or "  " in text):
        t.set(XML_SPACE, "preserve")
    else:
        t.attrib.pop(XML_SPACE, None)


# --------------------------------------------------------------------------- helpers
