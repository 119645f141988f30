"""The DOCX review copy: a Word comment on every cited sentence, holding its evidence.

A reviewer opens ``briefgen build TOPIC --review`` in Word and checks each claim against
the verbatim extracts behind its note, shown in a comment anchored on the sentence. The
tests reopen the file with python-docx, read the comment ranges from the body XML, and
let pandoc and LibreOffice (independent readers) open it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from lxml import etree

from briefgen.cli import main
from briefgen.commands.build import build_document
from briefgen.document import (
    Citation,
    Document,
    Emph,
    Evidence,
    Link,
    ListBlock,
    Meta,
    NoteRef,
    Paragraph,
    Table,
    Text,
    plain_text,
)
from briefgen.evidence import attach
from briefgen.workspace import open_workspace
from briefgen.writers.docx import render_docx
from conftest import ROOT, require_pandoc, require_tool
from pandoc_json import stringify

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
COMMENTS_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Anchor:
    """What a comment's range covers in the body: its text, and the note marks in it."""

    text: str
    notes: list[int]  # footnote ids of the marks in the range, in order
    ends_at_mark: bool  # nothing but the mark (and the range end) after the text


def anchors(data: bytes) -> dict[int, Anchor]:
    """Each comment's range, read from ``word/document.xml`` in document order."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    open_ranges: dict[int, Anchor] = {}
    done: dict[int, Anchor] = {}
    for el in body.iter():
        if el.tag == w("commentRangeStart"):
            open_ranges[int(el.get(w("id")))] = Anchor("", [], False)
        elif el.tag == w("commentRangeEnd"):
            done[int(el.get(w("id")))] = open_ranges.pop(int(el.get(w("id"))))
        elif el.tag == w("t"):
            for anchor in open_ranges.values():
                anchor.text += el.text or ""
                anchor.ends_at_mark = False
        elif el.tag == w("footnoteReference"):
            for anchor in open_ranges.values():
                anchor.notes.append(int(el.get(w("id"))))
                anchor.ends_at_mark = True
    assert not open_ranges, "a comment range that never ends"
    return done


def comment_ids_referenced(data: bytes) -> list[int]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    return [int(el.get(w("id"))) for el in body.iter(w("commentReference"))]


def reopen(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


# --------------------------------------------------------------------------- a hand-built brief


def ev(key: str, quote: str, para: int, caveat: str | None = None) -> Evidence:
    return Evidence(key, quote, f"Kim, \u201cReport,\u201d para. {para}.", para, caveat)


def cited(n: int, *evidence: Evidence) -> NoteRef:
    return NoteRef([Citation(e.extract_id) for e in evidence], n, [Text(f"Kim, \u201cReport\u201d ({n}).")],
                   list(evidence))


def hand_doc(review: bool = True) -> Document:
    """Notes at sentence ends, mid-sentence, in a row, after a link, in a list, a table cell
    and after emphasis; one note without evidence; a sentence with abbreviations. The marks
    stand where the marks step (``briefgen.marks``) puts them; the writer moves nothing."""
    n = [cited(1, ev("a-one", "Seoul joined the exercise.", 3)),
         cited(2, ev("b-two", "Maj. Gen. Kim led the delegation.", 4,
                     caveat="He was a lieutenant general then.")),
         cited(3, ev("c-three", "The talks were the first.", 5), ev("d-four", "They lasted two days.", 6)),
         cited(4, ev("e-five", "Allies asked about cyber.", 7)),
         NoteRef([Citation("no-evidence")], 5, [Text("Kim, \u201cReport\u201d (5).")]),
         cited(6, ev("f-six", 'The "declaration" links the regions.', 8)),
         cited(7, ev("g-seven", "An item quote.", 9)),
         cited(8, ev("h-eight", "A cell quote.", 10)),
         cited(9, ev("i-nine", "An emphasised quote.", 11))]
    blocks = [
        Paragraph([Text("Seoul took part in 2021."), n[0],
                   Text(" Led by Maj. Gen. Kim, the delegation met in Brussels."), n[1], n[2],
                   Text(" Allies asked questions,"), n[3], Text(" and Seoul answered."), n[4],
                   Text(" See the "), Link("https://example.org/decl", [Text("declaration of July 2024")]),
                   Text("."), n[5]]),
        ListBlock(False, [[Paragraph([Text("An item sentence. A second one."), n[6]])]]),
        Table([[Text("Date")], [Text("Event")]], [[[Text("2023")], [Text("First talks held."), n[7]]]],
              role="chronology"),
        Paragraph([Text("It ended. "), Emph([Text("The whole sentence is emphasised.")]), n[8]]),
    ]
    return Document(Meta("Review test", "test", dt.date(2024, 11, 1), review=review), blocks)


# Each comment's sentence, in note order; notes 2 and 3 cite the same sentence.
HAND_SENTENCES = {
    1: "Seoul took part in 2021.",
    2: "Led by Maj. Gen. Kim, the delegation met in Brussels.",
    3: "Led by Maj. Gen. Kim, the delegation met in Brussels.",
    4: "Allies asked questions,",
    6: "See the declaration of July 2024.",
    7: "A second one.",
    8: "First talks held.",
    9: "The whole sentence is emphasised.",
}


def test_every_note_with_evidence_gets_one_comment_on_its_sentence():
    doc = hand_doc()
    data = render_docx(doc)
    comments = list(reopen(data).comments)
    with_evidence = [note for note in doc.notes() if note.evidence]
    assert len(comments) == len(with_evidence) == 8

    ranges = anchors(data)
    assert sorted(ranges) == sorted(c.comment_id for c in comments)
    assert comment_ids_referenced(data) == sorted(ranges)  # one reference per comment, in order
    by_note = {}
    for comment_id, anchor in ranges.items():
        assert anchor.ends_at_mark
        by_note[anchor.notes[-1]] = (anchor.text, comment_id)
    assert {note: text for note, (text, _) in by_note.items()} == HAND_SENTENCES

    for note in with_evidence:
        comment = reopen(data).comments.get(by_note[note.number][1])
        paragraphs = [p.text for p in comment.paragraphs]
        assert len(paragraphs) == len(note.evidence)  # one paragraph per extract
        for paragraph, evidence in zip(paragraphs, note.evidence):
            assert paragraph.startswith(f"\u201c{evidence.quote}\u201d \u2014 ")
            assert f"para. {evidence.paragraph} [{evidence.extract_id}]" in paragraph
            assert paragraph.count("para.") == 1
            if evidence.caveat:
                assert paragraph.endswith(f"Caveat: {evidence.caveat}")


def test_comments_name_briefgen_and_the_brief_date():
    comments = list(reopen(render_docx(hand_doc())).comments)
    assert {(c.author, c.initials) for c in comments} == {("briefgen", "BG")}
    assert {c.timestamp for c in comments} == {dt.datetime(2024, 11, 1, tzinfo=dt.UTC)}


def test_review_copy_is_deterministic_and_keeps_notes_and_styles():
    first, second = render_docx(hand_doc()), render_docx(hand_doc())
    assert first == second
    word = reopen(first)
    styles = {s.name for s in word.styles}
    assert {"annotation text", "annotation reference"} <= styles
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        notes = etree.fromstring(z.read("word/footnotes.xml"))
    note_ids = {int(n.get(w("id"))) for n in notes.iter(w("footnote"))}
    assert note_ids == set(range(-1, 10))
    # LibreOffice mixes up a footnote and a comment with the same id: keep them apart.
    assert not note_ids & {c.comment_id for c in word.comments}


def test_without_review_the_evidence_changes_nothing():
    """The ordinary build ignores evidence: same bytes, no comments part, no comment styles."""
    plain = hand_doc(review=False)
    stripped = hand_doc(review=False)
    for note in stripped.notes():
        note.evidence = []
    data = render_docx(plain)
    assert data == render_docx(stripped)
    # A review copy whose notes carry no evidence is the ordinary brief too.
    no_evidence = hand_doc(review=True)
    for note in no_evidence.notes():
        note.evidence = []
    assert render_docx(no_evidence) == data

    word = reopen(data)
    assert not [r for r in word.part.rels.values() if r.reltype == COMMENTS_RT]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "word/comments.xml" not in z.namelist()
        assert b"annotation text" not in z.read("word/styles.xml")
    assert b"comment" not in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def test_a_house_template_with_comments_keeps_only_the_briefs(tmp_path):
    template = docx.Document()
    para = template.add_paragraph("Template sample text.")
    template.add_comment(para.runs, text="A remark on the template.", author="Editor")
    path = tmp_path / "house.docx"
    template.save(path)
    data = render_docx(hand_doc(), reference_docx=path)
    comments = list(reopen(data).comments)
    assert len(comments) == 8
    assert all(c.author == "briefgen" for c in comments)


# --------------------------------------------------------------------------- the cyber brief


@pytest.fixture(scope="module")
def cyber(tmp_path_factory) -> tuple[Path, Document]:
    """The review copy built by the command line, and the Document it was built from."""
    out = tmp_path_factory.mktemp("review")
    assert main(["--root", str(ROOT), "build", "cyber", "--review", "--format", "docx",
                 "--out", str(out)]) == 0
    ws = open_workspace(ROOT)
    settings = ws.settings()
    _, doc = build_document(ws, "cyber", settings, lambda message: None)
    attach(doc, ws.corpus(), settings)
    return out / "cyber-review.docx", doc


def test_cyber_review_copy_has_each_notes_evidence_on_its_sentence(cyber):
    path, doc = cyber
    data = path.read_bytes()
    word = reopen(data)
    notes = {note.number: note for note in doc.notes()}
    with_evidence = [note for note in notes.values() if note.evidence]
    assert with_evidence
    assert len(word.comments) == len(with_evidence)

    ranges = anchors(data)
    assert len(ranges) == len(with_evidence)
    covered = []
    for comment_id, anchor in ranges.items():
        assert anchor.ends_at_mark, anchor
        note = notes[anchor.notes[-1]]  # footnote ids are the note numbers
        covered.append(note.number)
        sentence = anchor.text.strip()
        assert sentence[:1].isupper() or sentence[:1].isdigit(), sentence  # starts a sentence
        assert len(sentence) > 15
        text = word.comments.get(comment_id).text
        for evidence in note.evidence:
            assert evidence.shown_quote() in text  # verbatim, or marked as a paraphrase
            assert (f"para. {evidence.paragraph} " if evidence.paragraph else "") + f"[{evidence.extract_id}]" in text
            if evidence.caveat:
                assert evidence.caveat in text
    assert sorted(covered) == [note.number for note in with_evidence]


def test_cyber_comments_sit_in_lists_and_the_chronology(cyber):
    path, _ = cyber
    word = reopen(path.read_bytes())
    body = word.element.body
    in_table = body.findall(f".//{w('tc')}//{w('commentRangeStart')}")
    in_list = [p for p in body.iter(w("p")) if p.find(f"{w('pPr')}/{w('numPr')}") is not None
               and p.find(w("commentRangeStart")) is not None]
    assert in_table and in_list


def test_ordinary_cyber_build_has_no_comments(tmp_path):
    assert main(["--root", str(ROOT), "build", "cyber", "--format", "docx", "--out", str(tmp_path)]) == 0
    with zipfile.ZipFile(tmp_path / "cyber.docx") as z:
        assert "word/comments.xml" not in z.namelist()
        assert b"commentReference" not in z.read("word/document.xml")


# --------------------------------------------------------------------------- real clients


def pandoc_comments(path: Path) -> list[dict]:
    """The comment-start spans pandoc's DOCX reader finds with ``--track-changes=all``."""
    pandoc = require_pandoc()
    out = subprocess.run([pandoc, "-f", "docx", "-t", "json", "--track-changes=all", str(path)],
                         check=True, capture_output=True, env={**os.environ, "LC_ALL": "C.UTF-8"})
    found: list[dict] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Span" and "comment-start" in node["c"][0][1]:
                found.append({"attrs": dict(node["c"][0][2]), "text": stringify(node["c"][1])})
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(out.stdout)["blocks"])
    return found


def squash(text: str) -> str:
    """Text without white space or quotation marks, which readers may restyle."""
    return re.sub(r"[\s\u201c\u201d\u2018\u2019\"']+", "", text)


@pytest.mark.client
def test_pandoc_reads_every_comment(cyber):
    path, doc = cyber
    comments = pandoc_comments(path)
    with_evidence = [note for note in doc.notes() if note.evidence]
    assert len(comments) == len(with_evidence)
    for comment, note in zip(comments, with_evidence):
        assert comment["attrs"]["author"] == "briefgen"
        for evidence in note.evidence:
            assert squash(evidence.quote) in squash(comment["text"])
            assert evidence.paragraph is None or f"para. {evidence.paragraph}" in comment["text"]


@pytest.mark.client
def test_libreoffice_converts_the_review_copy_with_its_notes_intact(cyber, tmp_path):
    soffice = require_tool("soffice")
    from pypdf import PdfReader

    path, doc = cyber
    profile = (tmp_path / "profile").as_uri()
    export = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    result = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                             export, "--outdir", str(tmp_path), str(path)],
                            capture_output=True, timeout=180)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / "cyber-review.pdf")
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    # Every note keeps its own text (a comment id equal to a note id would swap them).
    for note in doc.notes():
        assert squash(plain_text(note.content))[:30] in text, note.number
    annotations = [a.get_object() for page in reader.pages for a in page.get("/Annots") or []]
    quotes = [str(a.get("/Contents", "")) for a in annotations if a.get("/Subtype") == "/Text"]
    assert len(quotes) == len([note for note in doc.notes() if note.evidence])  # one PDF note each


# --------------------------------------------------------------------------- a warm process


def _house(path: Path, prefix: str = "w") -> Path:
    """A house template; ``prefix``: the one its body part binds WordprocessingML to."""
    template = docx.Document()
    template.styles["Normal"].font.name = "Georgia"
    template.add_paragraph("Template sample text that must not reach the brief.")
    template.save(str(path))
    if prefix != "w":
        with zipfile.ZipFile(path) as z:
            parts = {name: z.read(name) for name in z.namelist()}
        xml = parts["word/document.xml"].decode()
        xml = re.sub(r"(</?|\s)w:", rf"\g<1>{prefix}:", xml).replace("xmlns:w=", f"xmlns:{prefix}=")
        parts["word/document.xml"] = xml.encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)
    return path


@pytest.mark.parametrize("house", [False, True])
def test_a_warm_process_writes_the_bytes_a_one_off_build_writes(tmp_path, house):
    """``watch`` keeps each set-up base, its styles part and unchanged parts' compressed
    bytes between builds; what it writes must not differ by a byte."""
    from briefgen.memo import keep_between_builds

    ref = _house(tmp_path / "house.docx") if house else None
    cold = {review: render_docx(hand_doc(review), reference_docx=ref) for review in (True, False)}
    keep_between_builds(True)
    try:
        warm = [(review, render_docx(hand_doc(review), reference_docx=ref))
                for review in (True, False, True, False, True)]
    finally:
        keep_between_builds(False)
    assert all(data == cold[review] for review, data in warm)
    assert anchors(cold[True]) and not anchors(cold[False])


def test_a_house_template_with_other_prefixes_gets_the_whole_brief(tmp_path):
    """A template whose body part binds WordprocessingML to another prefix (``ns0``, as
    some tools save it) still gets every paragraph, note and comment, schema-valid."""
    from ooxml import validate_docx

    data = render_docx(hand_doc(), reference_docx=_house(tmp_path / "house.docx", prefix="ns0"))
    out = tmp_path / "brief.docx"
    out.write_bytes(data)
    assert validate_docx(out) == []
    text = "\n".join(p.text for p in reopen(data).paragraphs)
    assert "Seoul took part in 2021." in text and "Template sample text" not in text
    plain = render_docx(hand_doc())
    assert {k: a.text for k, a in anchors(data).items()} == {k: a.text for k, a in anchors(plain).items()}
    assert comment_ids_referenced(data) == comment_ids_referenced(plain)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        notes = etree.fromstring(z.read("word/footnotes.xml"))
    assert [int(n.get(w("id"))) for n in notes.iter(w("footnote"))][2:] == list(range(1, 10))
