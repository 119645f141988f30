"""The PDF writer, read back from the PDF it writes (pypdf), not from its own bookkeeping.

Notes are checked the way a reader would: on every page, the notes printed at the foot
must be exactly the notes whose marks stand in the body of that page, in order, each
note's text complete (continued on the next page when it is too long), and no note may
overlap the body. Marks and notes are told apart by what is drawn: marks are small
superscript numbers among the body text; notes are set in 8.5-point type, each opening
with its number and, in synthetic briefs, "Author N," — so a note's printed number and
its text can be checked against each other.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pytest

pypdf = pytest.importorskip("pypdf")

from briefgen.document import (
    Bibliography,
    Citation,
    Div,
    Document,
    Emph,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    Meta,
    NoteRef,
    Paragraph,
    Quote,
    Role,
    Strong,
    Table,
    Text,
    iter_blocks,
    plain_text,
)
from briefgen.writers.pdf import render_pdf
from synthetic import synthetic_document

NOTE_SIZE = 8.5
MM = 72 / 25.4


# ----------------------------------------------------------------------------- reading


@dataclass
class Run:
    y: float  # baseline, points from the page bottom
    size: float
    text: str


@dataclass
class PageView:
    number: int
    body: list[Run] = field(default_factory=list)
    marks: list[int] = field(default_factory=list)  # superscript numbers in the body
    note_lines: list[str] = field(default_factory=list)  # foot lines, top to bottom
    note_ys: list[float] = field(default_factory=list)
    head: list[str] = field(default_factory=list)  # running head, top to bottom
    foot: list[str] = field(default_factory=list)  # footer lines
    text: str = ""

    def note_starts(self) -> list[int]:
        return [int(m.group(1)) for line in self.note_lines
                if (m := re.match(r"(\d+)\s*Author (\d+),", line))]


def read_pages(pdf: bytes) -> list[PageView]:
    """Each page's body runs, marks and foot-note lines, from the drawn text."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    views = []
    for index, page in enumerate(reader.pages, 1):
        height = float(page.mediabox.height)
        runs: list[Run] = []

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip():
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append(Run(round(y, 1), round(float(size) * cm[3], 2), text))

        view = PageView(index)
        view.text = page.extract_text(visitor_text=visit)
        lines: dict[float, list[str]] = defaultdict(list)
        for run in runs:
            if run.y > height - 22 * MM:
                view.head.append(run.text.strip())
                continue
            if run.y < 20 * MM:
                view.foot.append(run.text.strip())
                continue
            if abs(run.size - NOTE_SIZE) < 0.01:
                lines[run.y].append(run.text)
            elif run.size < 8 and run.text.strip().isdigit():
                view.marks.append(int(run.text))
                view.body.append(run)
            else:
                view.body.append(run)
        for y in sorted(lines, reverse=True):
            view.note_lines.append(" ".join("".join(lines[y]).split()))
            view.note_ys.append(y)
        views.append(view)
    return views


def note_texts(views: list[PageView]) -> tuple[dict[int, str], dict[int, list[int]]]:
    """Each note's printed text (continuations joined) and the pages it is printed on."""
    texts: dict[int, list[str]] = {}
    pages: dict[int, list[int]] = defaultdict(list)
    current: int | None = None
    for view in views:
        for line in view.note_lines:
            m = re.match(r"(\d+)\s*Author (\d+),", line)
            if m:
                current = int(m.group(1))
                assert current not in texts, f"note {current} printed twice"
                texts[current] = [line[len(m.group(1)):]]
                pages[current].append(view.number)
            else:
                assert current is not None, f"page {view.number}: foot text before any note"
                texts[current].append(line)
                if pages[current][-1] != view.number:
                    pages[current].append(view.number)
    return {n: "".join("".join(parts).split()) for n, parts in texts.items()}, pages


def squeeze(text: str) -> str:
    return "".join(text.split())


def check_notes(doc: Document, views: list[PageView],
                deferred: tuple[int, ...] = (), max_span: int = 2) -> dict[int, list[int]]:
    """Every page's foot holds exactly the notes marked on it; texts whole; no overlap.

    ``deferred`` names notes allowed to start on the page after their mark: only when
    a note before them on the same page continues onto the next page (notes keep
    their order, so a note marked after a continued one has to wait behind it).
    """
    expected = {n.number: squeeze(plain_text(n.content)) for n in doc.notes()}
    waiting: list[int] = []
    for view in views:
        marks = sorted(set(view.marks))
        held = [n for n in marks if n in deferred]
        assert view.note_starts() == waiting + [n for n in marks if n not in deferred], \
            f"page {view.number}"
        waiting = held
        assert view.marks == sorted(view.marks), f"page {view.number}: marks out of order"
        if view.note_ys and view.body:
            body_bottom = min(r.y - 0.25 * r.size for r in view.body)
            notes_top = max(view.note_ys) + 0.8 * NOTE_SIZE
            assert notes_top < body_bottom, f"page {view.number}: notes overlap the body"
    texts, pages = note_texts(views)
    assert sorted(texts) == sorted(expected)
    for number, text in texts.items():
        assert text == expected[number], f"note {number} printed incompletely"
        assert len(pages[number]) <= max_span
    return pages


@pytest.fixture(scope="module")
def big() -> tuple[Document, bytes, list[PageView]]:
    doc = synthetic_document(notes=600)
    pdf = render_pdf(doc, warn=pytest.fail)
    return doc, pdf, read_pages(pdf)


# ----------------------------------------------------------------------------- notes


def test_notes_stand_at_the_foot_of_the_page_of_their_marks(big):
    doc, _, views = big
    assert len(views) >= 30
    assert sum(len(v.marks) for v in views) == 600
    pages = check_notes(doc, views)
    mark_page = {n: v.number for v in views for n in v.marks}
    for number, printed in pages.items():
        assert printed[0] == mark_page[number]
    # The case that matters: paragraphs that run over a page, with marks on both sides.
    spanning = 0
    for block in iter_blocks(doc.blocks):
        if isinstance(block, Paragraph):
            numbers = [n.number for n in block.children if isinstance(n, NoteRef)]
            if numbers and mark_page[numbers[0]] != mark_page[numbers[-1]]:
                spanning += 1
    assert spanning >= 5


def test_each_mark_links_to_its_note_on_the_same_page(big):
    _, pdf, views = big
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    page_ids = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages, 1)}
    for index, page in enumerate(reader.pages, 1):
        internal = []
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            dest = annot.get("/Dest")
            if dest is not None:
                internal.append((annot["/Rect"], dest))
        view = views[index - 1]
        assert len(internal) == len(view.marks), f"page {index}"
        for rect, dest in internal:
            assert page_ids[dest[0].idnum] == index  # the note is on the mark's page
            assert float(dest[3]) < float(rect[1])  # and below it, at the foot


def test_a_long_note_continues_on_the_next_page():
    filler = [Paragraph([Text(" ".join(["Alliance cooperation deepened steadily."] * 60))])
              for _ in range(2)]
    long_note = [Text("Author 1, "), Emph([Text("Long Source")]), Text(". ")]
    long_note += [Text(f"Sentence {i} of a note that is far too long for one page's foot. ")
                  for i in range(110)]
    body = filler + [
        Paragraph([Text("The mark of a very long note."), NoteRef([Citation("a")], 1, long_note),
                   Text(" " + " ".join(["More text after the long note."] * 30))]),
        Paragraph([Text(" ".join(["And more text."] * 40)),
                   NoteRef([Citation("b")], 2, [Text("Author 2, a short note.")])]),
    ]
    doc = Document(_meta(), body)
    views = read_pages(render_pdf(doc, warn=pytest.fail))
    pages = check_notes(doc, views, max_span=3)
    assert len(pages[1]) >= 2 and pages[1] == list(range(pages[1][0], pages[1][-1] + 1))
    continued = views[pages[1][1] - 1]
    assert not continued.note_lines[0].startswith("1")  # continuation comes first, unnumbered
    assert continued.note_starts() in ([], [2])


def test_a_note_marked_after_a_continued_note_waits_behind_it():
    """Two marks on one line, the first note too long for any page's foot."""
    long_note = [Text("Author 1, ")] + [Text(f"Sentence {i} of a very long note. ")
                                        for i in range(260)]
    doc = Document(_meta(), [
        Paragraph([Text("Two marks on one line."), NoteRef([Citation("a")], 1, long_note),
                   Text(" Second."), NoteRef([Citation("b")], 2, [Text("Author 2, short.")])]),
        Paragraph([Text(" ".join(["Text to follow."] * 200))]),
    ])
    views = read_pages(render_pdf(doc, warn=pytest.fail))
    pages = check_notes(doc, views, deferred=(2,), max_span=5)
    assert pages[1][0] == 1 and len(pages[1]) >= 2  # no page left empty before it
    assert pages[2][0] == pages[1][-1]  # note 2 follows the end of note 1


def test_a_long_note_at_the_very_end_gets_the_pages_it_needs():
    long_note = [Text("Author 1, ")] + [Text(f"Sentence {i} of a very long note. ")
                                        for i in range(400)]
    doc = Document(_meta(), [Paragraph([Text("Only line."),
                                        NoteRef([Citation("a")], 1, long_note)])])
    views = read_pages(render_pdf(doc, warn=pytest.fail))
    pages = check_notes(doc, views, max_span=9)
    assert pages[1] == list(range(1, len(views) + 1)) and len(views) >= 3


def test_notes_in_table_cells_and_lists_land_with_their_marks():
    rows = [[[Text(f"{d} May 2024")],
             [Text("Event of the day "), NoteRef([Citation("x")], d, [Text(f"Author {d}, cell.")])]]
            for d in range(1, 41)]
    doc = Document(_meta(), [
        Heading(1, [Text("Chronology")], anchor="chronology"),
        Table([[Text("Date")], [Text("Event")]], rows, role="chronology"),
        ListBlock(False, [[Paragraph([Text("An item"),
                                      NoteRef([Citation("y")], 41, [Text("Author 41, item.")])])]]),
    ])
    views = read_pages(render_pdf(doc, warn=pytest.fail))
    assert len(views) >= 2
    check_notes(doc, views)
    assert all("Date" in v.text for v in views)  # the header row repeats on every page


def test_a_long_table_reads_each_cell_for_its_marks_once(monkeypatch):
    """Placing a table asks which marks it holds; its remainder is asked again on each
    page it reaches. Each cell's fragments are read once, not once per page: a table
    four times as long costs four times as much, not sixteen."""
    from briefgen.writers.pdf import notes as pdf_notes

    read = pdf_notes._frags_marks
    calls = [0]

    def counted(frags):
        calls[0] += 1
        return read(frags)

    monkeypatch.setattr(pdf_notes, "_frags_marks", counted)
    counts = []
    for n in (60, 240):
        rows = [[[Text(f"{d} May")], [Text("Event of the day "), NoteRef(
            [Citation("x")], d, [Text(f"Author {d}, cell.")])]] for d in range(1, n + 1)]
        doc = Document(_meta(), [Table([[Text("Date")], [Text("Event")]], rows,
                                       role="chronology")])
        calls[0] = 0
        views = read_pages(render_pdf(doc, warn=pytest.fail))
        check_notes(doc, views)
        counts.append(calls[0])
    assert len(views) >= 5
    assert counts[1] <= 4.5 * counts[0] and counts[1] <= 3 * (2 * 240 + 2)


def test_a_table_cell_taller_than_a_page_continues_with_its_notes():
    big = [Text("Long cell text. " * 800), NoteRef([Citation("a")], 1, [Text("Author 1, cell.")]),
           Text(" More. " * 300)]
    doc = Document(_meta(), [Table([[Text("Date")], [Text("Event")]],
                                   [[[Text("2024")], big],
                                    [[Text("2025")], [Text("Last"), NoteRef(
                                        [Citation("b")], 2, [Text("Author 2, last.")])]]])])
    views = read_pages(render_pdf(doc, warn=pytest.fail))
    assert len(views) >= 3
    check_notes(doc, views)


def test_notes_guard_stops_a_build_that_would_misplace_notes(monkeypatch):
    from briefgen.writers.pdf import notes as pdf_notes

    monkeypatch.setattr(pdf_notes, "note_marks", lambda flowable: [])
    with pytest.raises(pdf_notes.NoteLayoutError):
        render_pdf(synthetic_document(notes=5), warn=lambda m: None)


# ----------------------------------------------------------------------------- document


def _meta(**kw) -> Meta:
    base = dict(title="NATO and the Republic of Korea: Cyber Defence", topic="cyber",
                date=_dt.date(2026, 11, 23), short_title="NATO–ROK Cyber",
                date_text="23 November 2026", marking="NATO UNCLASSIFIED",
                author="A. Analyst", organisation="Policy Planning Unit",
                keywords=["NATO", "Republic of Korea", "cyber"])
    base.update(kw)
    return Meta(**base)


def every_node_document() -> Document:
    def note(n: int, text: str) -> NoteRef:
        return NoteRef([Citation(f"k{n}")], n, [
            Text(f"Author {n}, \u201c{text},\u201d "), Emph([Text("Review")]), Text(", "),
            Link(f"https://example.org/{n}", [Text(f"https://example.org/{n}")]), Text(".")])
    return Document(_meta(subtitle="Where cooperation stands"), [
        Paragraph([Text("NATO and the ROK deepened cyber cooperation."), note(1, "Lead")],
                  role="lead"),
        Paragraph([Text("What should the Alliance do next?")], role="question"),
        Heading(1, [Text("Background")], anchor="background"),
        Paragraph([Text("Plain, "), Emph([Text("emphasised")]), Text(", "),
                   Strong([Text("strong")]), Text(" and "),
                   Link("https://www.nato.int/", [Text("linked")]), Text(" text."),
                   LineBreak(), Text("After a line break."), note(2, "Body")]),
        Heading(2, [Text("Milestones")], anchor="milestones"),
        Table([[Text("Date")], [Text("Event")]],
              [[[Text("2022")], [Text("ROK joins CCDCOE"), note(3, "Cell")]],
               [[Text("2023")], [Text("ITPP agreed")]]], role="chronology"),
        Heading(3, [Text("Lists")], anchor="lists"),
        ListBlock(True, [[Paragraph([Text("First")]),
                          ListBlock(False, [[Paragraph([Text("Nested bullet")])]])],
                         [Paragraph([Text("Second")])]]),
        Quote([Paragraph([Text("A quoted passage from a declaration.")])]),
        Div("assessment", [Paragraph([Text("Assessment")], Role.ASSESSMENT_LABEL),
                           Paragraph([Text("We judge cooperation will grow."), note(4, "Judge")])]),
        Table([[Text("Area")], [Text("Status")]], [[[Text("Cyber")], [Text("Active")]]],
              aligns=["left", "right"]),
        Heading(1, [Text("Sources")], anchor="sources"),
        Bibliography([[Text("Author 1. "), Emph([Text("A Title")]), Text(". 2024.")]]),
    ])


def test_every_node_renders_and_notes_fit():
    doc = every_node_document()
    pdf = render_pdf(doc, warn=pytest.fail)
    views = read_pages(pdf)
    check_notes(doc, views)
    text = " ".join(" ".join(v.text.split()) for v in views)
    for expected in ("Where cooperation stands", "emphasised", "After a line break",
                     "ROK joins CCDCOE", "Nested bullet", "A quoted passage", "ASSESSMENT",
                     "We judge cooperation will grow.", "A Title", "1. First",
                     "\u2013 Nested bullet"):
        assert expected in text, expected


def test_bookmarks_for_title_and_headings_nested_by_level():
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(every_node_document())))
    outline = reader.outline
    assert outline[0].title == "NATO and the Republic of Korea: Cyber Defence"
    tree = outline[1]
    assert [item.title for item in tree if not isinstance(item, list)] == ["Background", "Sources"]
    assert tree[1][0].title == "Milestones" and tree[1][1][0].title == "Lists"
    assert reader.get_destination_page_number(tree[0]) == 0


def test_named_destinations_for_notes_and_headings():
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(every_node_document())))
    names = {name.lstrip("/") for name in reader.named_destinations}
    assert {"title", "background", "milestones", "lists", "sources"} <= names
    assert {f"fn-{n}" for n in range(1, 5)} <= names


def test_review_copy_carries_each_notes_evidence_at_its_mark():
    from briefgen.document import Evidence

    doc = every_node_document()
    for ref in doc.notes():
        ref.evidence = [Evidence(f"x-{ref.number}", f"Quoted & <exact> {ref.number}", "Source")]
    doc.meta.review = True
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(doc, warn=pytest.fail)))
    comments = [a.get_object()["/Contents"] for p in reader.pages for a in p.get("/Annots", [])
                if a.get_object()["/Subtype"] == "/Text"]
    assert len(comments) == 4
    assert any("Quoted & <exact> 3" in c and "[x-3]" in c for c in comments)
    doc.meta.review = False
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(doc, warn=pytest.fail)))
    assert not any(a.get_object()["/Subtype"] == "/Text"
                   for p in reader.pages for a in p.get("/Annots", []))


def test_consecutive_lead_paragraphs_and_question_label():
    doc = Document(_meta(), [
        Paragraph([Strong([Text("Question.")]), Text(" Where next?")], role="question"),
        Paragraph([Text("First lead.")], role="lead"),
        Paragraph([Text("Second lead.")], role="lead"),
        Paragraph([Text("Body.")]),
    ])
    text = " ".join(pypdf.PdfReader(io.BytesIO(render_pdf(doc))).pages[0].extract_text().split())
    assert "Question. Where next?" in text and "Question:" not in text  # label not doubled
    assert "First lead. Second lead. Body." in text


def test_urls_are_clickable_in_notes_and_text():
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(every_node_document())))
    uris = {a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots", [])
            if "/A" in a.get_object()}
    assert "https://www.nato.int/" in uris
    assert {f"https://example.org/{n}" for n in range(1, 5)} <= uris


def test_document_info_language_and_dates(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(every_node_document())))
    info = reader.metadata
    assert info.title == "NATO and the Republic of Korea: Cyber Defence"
    assert info.author == "A. Analyst"
    assert info.subject == "cyber"
    assert info["/Keywords"] == "NATO, Republic of Korea, cyber"
    assert info["/CreationDate"].startswith("D:20261123")
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    info = pypdf.PdfReader(io.BytesIO(render_pdf(every_node_document()))).metadata
    assert info["/CreationDate"].startswith("D:20231114221320")
    assert info["/ModDate"] == info["/CreationDate"]


def test_author_falls_back_to_organisation():
    doc = Document(_meta(author=""), [Paragraph([Text("Text.")])])
    info = pypdf.PdfReader(io.BytesIO(render_pdf(doc))).metadata
    assert info.author == "Policy Planning Unit"


def test_furniture_on_every_page(big):
    _, _, views = big
    total = len(views)
    for view in views:
        assert view.head[0] == "NATO UNCLASSIFIED", view.number
        assert "NATO UNCLASSIFIED" in view.foot, view.number
        assert f"Page {view.number} of {total}" in view.foot
        if view.number > 1:
            assert view.head[1:] == ["Synthetic Brief", "1 November 2024"]


def test_no_marking_when_meta_has_none():
    doc = Document(_meta(marking=""), [Paragraph([Text("Text.")])])
    text = pypdf.PdfReader(io.BytesIO(render_pdf(doc))).pages[0].extract_text()
    assert "UNCLASSIFIED" not in text


# ----------------------------------------------------------------------------- text


SPECIAL = "Fish & chips <b>not bold</b> \"double\" 'single' AT&T a<b 5 > 3 &amp; &lt;"


def test_markup_characters_come_out_exactly_as_written():
    doc = Document(_meta(title="R&D <Plans>"), [
        Heading(1, [Text("Q&A <one>")], anchor="qa"),
        Paragraph([Text(SPECIAL), NoteRef([Citation("k")], 1, [Text("Author 1, " + SPECIAL)])]),
        Paragraph([Text("Δημοκρατία, Безопасность, Zürich, naïve — “quoted” …")]),
    ])
    pdf = render_pdf(doc, warn=pytest.fail)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(reader.pages[0].extract_text().split())
    assert text.count(" ".join(SPECIAL.split())) == 2
    assert "Δημοκρατία, Безопасность, Zürich, naïve — “quoted” …" in text
    assert "Q&A <one>" in text and "R&D <Plans>" in text
    assert reader.metadata.title == "R&D <Plans>"
    assert reader.outline[0].title == "R&D <Plans>"


def test_a_character_no_font_has_is_named_in_a_warning():
    """Hangul has a fallback font; an Egyptian hieroglyph has none."""
    warnings: list[str] = []
    doc = Document(_meta(), [Paragraph([Text("Seoul (서울) hosted the dialogue \U00013000\U00010000.")]),
                             Paragraph([Text("Again \U00013000\U00010000.")])])
    render_pdf(doc, warn=warnings.append)
    assert len(warnings) == 1  # one line for all, not one per character or occurrence
    assert "U+13000 EGYPTIAN HIEROGLYPH A001" in warnings[0] and "paragraph 1" in warnings[0]
    assert "\U00010000" in warnings[0] and "4 time(s)" in warnings[0]


def test_characters_a_pdf_cannot_hold_are_dropped_with_a_warning():
    warnings: list[str] = []
    doc = Document(_meta(), [Paragraph([Text("Bell\x07 and \ud800 surrogate.")])])
    pdf = render_pdf(doc, warn=warnings.append)
    assert any("U+0007" in w and "paragraph 1" in w for w in warnings)
    assert any("U+D800" in w for w in warnings)
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Bell and surrogate." in " ".join(text.split())


def test_no_warnings_for_an_ordinary_brief(big):
    warnings: list[str] = []
    render_pdf(synthetic_document(notes=40), warn=warnings.append)
    assert warnings == []


# ----------------------------------------------------------------------------- file


def test_same_document_same_bytes(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = render_pdf(synthetic_document(notes=60))
    assert render_pdf(synthetic_document(notes=60)) == first
    assert render_pdf(synthetic_document(notes=60, seed=8)) != first


@pytest.mark.parametrize("name, size", [("A4", (595.28, 841.89)), ("Letter", (612.0, 792.0))])
def test_page_size(name, size):
    doc = Document(_meta(page_size=name), [Paragraph([Text("Text.")])])
    box = pypdf.PdfReader(io.BytesIO(render_pdf(doc))).pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == size


def test_fonts_are_embedded_subset_truetype(big):
    _, pdf, _ = big
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    seen = set()
    for page in reader.pages[:5]:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            seen.add(font["/BaseFont"])
            assert font["/Subtype"] == "/TrueType"
            assert re.match(r"/[A-Z]{6}\+Carlito", font["/BaseFont"])
            assert "/FontFile2" in font["/FontDescriptor"]
    assert {"Carlito", "Carlito-Bold", "Carlito-Italic"} <= {s.split("+")[1] for s in seen}


def test_a_short_brief_is_small():
    pdf = render_pdf(synthetic_document(notes=40))
    assert len(pdf) < 150 * 1024


@pytest.mark.parametrize("tagged", [True, False])
def test_a_drawn_paragraph_leaves_no_cycle_for_the_collector(tagged):
    """A drawn paragraph's text object, lines and fragments go as soon as it is drawn.

    reportlab gives each paragraph's text object a method bound to itself, a cycle that
    only a garbage collection would free, taking with it everything the object reaches:
    at 12,500 notes, over 300,000 objects waiting and the collector's work to find them.
    With the collector off while a brief is drawn, none of them is left in a cycle (the
    file's own objects are, until the PDF is written: not looked at here)."""
    import gc

    from reportlab.pdfgen.textobject import PDFTextObject
    from reportlab.platypus.paragraph import FragLine
    from reportlab.platypus.paraparser import ParaFrag

    doc = synthetic_document(notes=300)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        render_pdf(doc, warn=lambda m: None, tagged=tagged)
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, (PDFTextObject, FragLine, ParaFrag))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert len(left) == 0
