"""The DOCX and the PDF of one tree say the same thing in the same place.

For every brief in briefs/, its review copy and its evidence annex, the merged
timeline, and a tree made here (marks inside emphasis and links, several citations at
one place, quotations, lists, tables): the body text of the DOCX (read from its XML,
each footnote reference printed as its number) and the PDF's text (pdftotext) hold
the same characters in the same order (white space aside), so the same words, the same
note numbers after the same words, the same labels and the same title block order;
and the notes at the foot of the PDF's pages are the DOCX's footnotes, in order.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import zipfile

import pytest
from lxml import etree

from briefgen import evidence
from briefgen.commands.build import build_document
from briefgen.commands.timeline import timeline_document
from briefgen.document import (
    Bibliography,
    Citation,
    Div,
    DivClass,
    Document,
    Emph,
    Figure,
    Heading,
    Link,
    ListBlock,
    Meta,
    NoteRef,
    Paragraph,
    Quote,
    Role,
    Strong,
    Table,
    TableRole,
    Text,
    iter_blocks,
    plain_text,
)
from briefgen.house import LABELS
from briefgen.marks import place_marks
from briefgen.workspace import open_workspace
from briefgen.writers.docx import render_docx
from briefgen.writers.pdf import render_pdf
from conftest import require_tool
from workspaces import ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TOPICS = sorted(p.stem for p in (ROOT / "briefs").glob("*.yaml"))
_SPACE = re.compile(r"\s+")
_LIST_MARKER = re.compile(r"^(?:[\u2022\u2013\u25e6]|\d+\.)\s*")


def squash(text: str) -> str:
    return _SPACE.sub("", text)


# ----------------------------------------------------------------------------- reading


def docx_text(data: bytes) -> tuple[list[str], list[str]]:
    """The body's paragraphs (marks printed as their numbers) and the footnotes, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        notes = etree.fromstring(z.read("word/footnotes.xml"))
        styles = etree.fromstring(z.read("word/styles.xml"))
    # paragraph styles set in capitals (w:caps): their text is shown upper-case
    caps = {st.get(f"{W}styleId") for st in styles.iter(f"{W}style")
            if st.find(f"{W}rPr/{W}caps") is not None}
    number_of: dict[str, int] = {}
    paragraphs = []
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        upper = style is not None and style.get(f"{W}val") in caps
        out = []
        for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}footnoteReference"):
            if node.tag == f"{W}t":
                out.append(node.text or "")
            elif node.tag == f"{W}footnoteReference":
                number_of[node.get(f"{W}id")] = len(number_of) + 1  # Word numbers by position
                out.append(str(number_of[node.get(f"{W}id")]))
            else:
                out.append(" ")
        paragraphs.append("".join(out).upper() if upper else "".join(out))
    by_id = {}
    for note in notes.iter(f"{W}footnote"):
        if note.get(f"{W}type") in (None, "normal"):
            by_id[note.get(f"{W}id")] = "".join(t.text or "" for t in note.iter(f"{W}t"))
    footnotes = [by_id[i] for i in sorted(number_of, key=number_of.get)]
    return paragraphs, footnotes


def pdf_pages(data: bytes, tmp_path) -> list[list[str]]:
    pdftotext = require_tool("pdftotext")
    path = tmp_path / "parity.pdf"
    path.write_bytes(data)
    text = subprocess.run([pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [[line for line in page.splitlines() if line.strip()] for page in text.split("\f")]


def table_heads(doc: Document) -> set[str]:
    """A table's header row, which the PDF repeats at the top of each page it runs onto."""
    out: set[str] = set()
    for block in iter_blocks(doc.blocks):
        if isinstance(block, Table):
            out.update(squash(plain_text(cell)) for cell in block.header)
    return out - {""}


R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def docx_furniture(data: bytes) -> dict[tuple[str, str], list[str]]:
    """The words of each header and footer, by (``header``/``footer``, ``first``/``default``).

    A field prints as ``{PAGE}`` / ``{NUMPAGES}``: Word and LibreOffice compute it.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        rels = {r.get("Id"): r.get("Target")
                for r in etree.fromstring(z.read("word/_rels/document.xml.rels")).iter(_REL)}
        sect = body.findall(f".//{W}sectPr")[-1]
        out: dict[tuple[str, str], list[str]] = {}
        for kind in ("header", "footer"):
            for ref in sect.iter(f"{W}{kind}Reference"):
                part = etree.fromstring(z.read("word/" + rels[ref.get(f"{R}id")].lstrip("/")))
                words: list[str] = []
                for para in part.iter(f"{W}p"):
                    words += _story_text(para).split()
                out[(kind, ref.get(f"{W}type"))] = words
    return out


def _story_text(para: etree._Element) -> str:
    """A header or footer paragraph's text, fields as ``{INSTRUCTION}``, tabs as spaces."""
    out: list[str] = []
    state = None  # None, "instruction" or "result" inside a complex field
    for node in para.iter(f"{W}t", f"{W}tab", f"{W}instrText", f"{W}fldChar"):
        if node.tag == f"{W}fldChar":
            kind = node.get(f"{W}fldCharType")
            state = {"begin": "instruction", "separate": "result", "end": None}[kind]
        elif node.tag == f"{W}instrText":
            out.append(" {" + (node.text or "").split()[0] + "} ")
        elif state == "result":
            continue  # the value Word last saw, recomputed when shown
        elif node.tag == f"{W}tab":
            out.append(" ")
        else:
            out.append(node.text or "")
    return "".join(out)


def expected_furniture(docx: bytes, page: int, pages: int) -> tuple[list[str], list[str]]:
    """The words the DOCX prints above and below the text of ``page`` (of ``pages``), sorted."""
    stories = docx_furniture(docx)
    kind = "first" if page == 1 and ("header", "first") in stories else "default"
    fields = {"{PAGE}": str(page), "{NUMPAGES}": str(pages)}

    def words(story: str) -> list[str]:
        return sorted(fields.get(word, word) for word in stories.get((story, kind), []))

    return words("header"), words("footer")


def assert_same(doc: Document, docx: bytes, pdf: bytes, tmp_path) -> None:
    """Walk the PDF's lines against the DOCX's body and notes; every character accounted for.

    What stands above a page's first line of text and below its last is the page
    furniture: it must be, word for word, what the DOCX's header and footer print on
    that page (the first page has its own header), "Page X of Y" with the PDF's own
    count (Word counts its own pages: where its pagination differs, so does its Y).
    Inside the page, only a table's repeated header row is not the DOCX's next text.
    """
    paragraphs, footnotes = docx_text(docx)
    body = squash("".join(paragraphs))
    notes = squash("".join(footnotes))
    heads = table_heads(doc)
    b = n = 0
    foot_numbers: list[int] = []
    pages = pdf_pages(pdf, tmp_path)
    while pages and not pages[-1]:
        pages.pop()  # pdftotext ends the last page with a form feed too
    for page_no, page in enumerate(pages, 1):
        kinds: list[str] = []  # per line: "text" (body or notes), "head" (table), "furniture"
        for index, line in enumerate(page):
            s = squash(line)
            following = squash(page[index + 1]) if index + 1 < len(page) else ""
            kinds.append("text")
            if s.isdigit() and following and (body.startswith(following, b)
                                              or notes.startswith(following, n)):
                foot_numbers.append(int(s))  # a note's number on its own line, not the "1" of "11 July"
                continue
            if body.startswith(s, b):
                b += len(s)
                continue
            bare = squash(_LIST_MARKER.sub("", line.strip()))  # the DOCX numbers lists itself
            if bare != s and body.startswith(bare, b):
                b += len(bare)
                continue
            if notes.startswith(s, n):
                n += len(s)
                continue
            numbered = re.match(r"(\d+)\s+(.*)", line.strip())
            if numbered and notes.startswith(squash(numbered.group(2)), n):
                foot_numbers.append(int(numbered.group(1)))
                n += len(squash(numbered.group(2)))
                continue
            if s.isdigit() and not re.fullmatch(r"Page\d+of\d+", following):
                foot_numbers.append(int(s))  # a note's number at the foot of the page
                continue
            kinds[-1] = "head" if s in heads else "furniture"
        text = [i for i, kind in enumerate(kinds) if kind == "text"]
        first, last = (text[0], text[-1]) if text else (len(page), len(page))
        middle = [page[i] for i in range(first, last) if kinds[i] == "furniture"]
        assert not middle, (
            f"page {page_no}: the PDF line {middle[0]!r} is neither the DOCX's next text "
            f"{body[b:b + 60]!r} nor its next note {notes[n:n + 60]!r}")
        top = sorted(w for i in range(first) if kinds[i] == "furniture" for w in page[i].split())
        bottom = sorted(w for i in range(last + 1, len(page)) if kinds[i] == "furniture"
                        for w in page[i].split())
        assert (top, bottom) == expected_furniture(docx, page_no, len(pages)), (
            f"page {page_no}: the PDF's page furniture is not the DOCX's header and footer")
    assert body[b:] == "", f"the PDF lacks the DOCX text from {body[b:b + 80]!r}"
    assert notes[n:] == "", f"the PDF lacks the DOCX notes from {notes[n:n + 80]!r}"
    # every note's number stands at the foot of a page, in order (a continued note once)
    assert sorted(set(foot_numbers)) == list(range(1, len(footnotes) + 1))
    # the title block comes first, in the tree's order, in both
    expected = squash("".join(plain_text(p.children) for p in doc.title_block()))
    assert body.startswith(expected)


def both(doc: Document) -> tuple[bytes, bytes]:
    return render_docx(doc, warn=lambda m: None), render_pdf(doc, warn=lambda m: None)


# ----------------------------------------------------------------------------- cases


@pytest.fixture(scope="module")
def workspace():
    ws = open_workspace(ROOT)
    return ws, ws.settings()


@pytest.mark.client
@pytest.mark.parametrize("topic", TOPICS)
@pytest.mark.parametrize("variant", ["brief", "review", "annex"])
def test_each_brief_says_the_same_in_both_files(workspace, topic, variant, tmp_path):
    ws, settings = workspace
    _, doc = build_document(ws, topic, settings, lambda p: None)
    if variant == "annex":
        evidence.annex(doc, ws.corpus(strict=False), settings)
    if variant == "review":
        evidence.attach(doc, ws.corpus(strict=False), settings)
    docx, pdf = both(doc)
    assert_same(doc, docx, pdf, tmp_path)


@pytest.mark.client
def test_the_timeline_says_the_same_in_both_files(workspace, tmp_path):
    ws, settings = workspace
    doc = timeline_document(ws, settings, TOPICS)
    docx, pdf = both(doc)
    assert_same(doc, docx, pdf, tmp_path)


def _made_figure() -> Figure:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (300, 120), (20, 80, 160, 200)).save(out, format="PNG")
    return Figure("figures/made.png", "A blue band", "A figure made for the test", number=1,
                  data=out.getvalue(), kind="png", pixels=(300, 120))


def made_tree() -> Document:
    """A tree made for the test, through the same marks step and numbering as a brief."""
    def cite(*keys: str) -> NoteRef:
        return NoteRef([Citation(k) for k in keys])

    blocks = [
        Paragraph([Strong([Text("Question.")]), Text(" Does the tree decide?")], Role.QUESTION),
        Paragraph([Text("The bottom line holds "), cite("a"), Text(".")], Role.LEAD),
        Heading(1, [Text("Marks")], anchor="marks"),
        Paragraph([Text("Both sources showed "), cite("a"), Text(" "), cite("b"),
                   Text(". Then "), Emph([Text("it was emphasised "), cite("c")]),
                   Text(", and "), Link("https://example.org/x", [Text("a link "), cite("d")]),
                   Text("; last "), cite("e"), Text(".")]),
        Quote([Paragraph([Text("\u201cA quoted passage,\u201d "), cite("f"), Text(" it said.")])]),
        _made_figure(),
        ListBlock(False, [[Paragraph([Text("First point "), cite("g"), Text(".")])],
                          [Paragraph([Text("Second point.")]),
                           ListBlock(True, [[Paragraph([Text("Nested one "), cite("h", "i"),
                                                        Text(".")])]])]]),
        Table([[Text("Date")], [Text("Event")]],
              [[[Text("2023")], [Text("Talks held "), cite("j"), Text(".")]],
               [[Text("2024")], [Emph([Text("Summit")]), Text(" met.")]]],
              role=TableRole.CHRONOLOGY),
        Div(DivClass.ASSESSMENT, [Paragraph([Text(LABELS["assessment"])], Role.ASSESSMENT_LABEL),
                                  Paragraph([Text("We judge it likely.")])]),
        Heading(1, [Text("Sources")], anchor="sources"),
        Bibliography([[Text("Author. "), Emph([Text("A Title")]), Text(". 2024.")]]),
    ]
    doc = Document(Meta(title="A Tree Made for the Test", topic="parity",
                        date=dt.date(2024, 11, 1), subtitle="Both files, one tree",
                        marking="NATO UNCLASSIFIED", author="Policy Unit",
                        organisation="Directorate", language="en-US"), blocks)
    place_marks(doc)
    for number, ref in enumerate(doc.notes(), 1):
        ref.number = number
        ref.content = [Text("Note " + ", ".join(c.key for c in ref.citations) + ".")]
    return doc


def test_the_made_tree_has_one_note_per_place():
    doc = made_tree()
    keys = [[c.key for c in ref.citations] for ref in doc.notes()]
    assert keys == [["a"], ["a", "b"], ["c"], ["d"], ["e"], ["f"], ["g"], ["h", "i"], ["j"]]
    assert doc.meta.date_line() == "November 1, 2024"  # en-US, in both files


@pytest.mark.client
def test_a_made_tree_says_the_same_in_both_files(tmp_path):
    doc = made_tree()
    docx, pdf = both(doc)
    assert_same(doc, docx, pdf, tmp_path)
    paragraphs, _ = docx_text(docx)
    text = squash("".join(paragraphs))
    for placed in ("showed.2", "emphasised,3", "alink;4", "last.5", "passage,\u201d6", "held.9"):
        assert placed in text, placed  # each mark after its punctuation, one note per place
    # the figure's numbered caption stands where the tree has it, in both files
    assert text.index("itsaid.") < text.index("Figure1.Afiguremadeforthetest") < text.index("Firstpoint")
    assert text.index("ATreeMadefortheTest") < text.index("Bothfiles,onetree") \
        < text.index("November1,2024") < text.index("PolicyUnit,Directorate")
