"""The DOCX writer: what a Word user (and python-docx) finds in the file.

Fast unit tests over the package's XML; the real clients (LibreOffice, pandoc) are in
``test_docx_clients.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Inches, Pt
from lxml import etree

from briefgen.document import (
    Bibliography,
    Citation,
    Div,
    Document,
    Emph,
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
    Text,
    plain_text,
)
from briefgen.errors import BriefgenError
from briefgen.writers.docx import render_docx
from scaling import growth
from synthetic import synthetic_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def text_of(element: etree._Element) -> str:
    """Text as Word shows it: w:t text, a tab for w:tab."""
    out = []
    for node in element.iter(w("t"), w("tab")):
        if node.getparent().tag == w("r"):  # not a tab stop in w:tabs
            out.append("\t" if node.tag == w("tab") else (node.text or ""))
    return "".join(out)


def note(n: int, *content) -> NoteRef:
    return NoteRef([Citation(f"x-{n}")], n, list(content) or [Text(f"Note {n} text.")])


def meta(**kw) -> Meta:
    base = dict(title="NATO\u2013ROK Cyber Cooperation", topic="cyber", date=dt.date(2024, 11, 1),
                short_title="Cyber", subtitle="Where things stand", date_text="1 November 2024",
                marking="NATO UNCLASSIFIED", author="Policy Unit", organisation="Directorate",
                keywords=["cyber", "Korea"], language="en-GB", page_size="A4")
    base.update(kw)
    return Meta(**base)


def small_doc(**meta_kw) -> Document:
    """Every kind of block, three notes, links in text and notes."""
    return Document(meta(**meta_kw), [
        Paragraph([Text("How far has cooperation gone?")], role="question"),
        Paragraph([Text("Cooperation deepened"), note(1), Text(".")], role="lead"),
        Heading(1, [Text("Background")], anchor="background"),
        Paragraph([Text("See the "), Link("https://ccdcoe.org/?a=1&b=2", [Text("CCDCOE")]),
                   Text(" site"), note(2, Text("Author, "), Emph([Text("Outlet")]), Text(", "),
                                      Link("https://example.org/x?y=1&z=2", [Text("link")]),
                                      Text(".")),
                   Text(", and more.")]),
        Heading(2, [Text("Events")], anchor="events"),
        ListBlock(True, [[Paragraph([Text("one")])],
                         [Paragraph([Text("two")]),
                          ListBlock(False, [[Paragraph([Text("nested")])]])]]),
        ListBlock(True, [[Paragraph([Text("again one")])]], start=1),
        Table([[Text("Date")], [Text("Event")]],
              [[[Text("1 May")], [Text("Summit"), note(3)]], [[Text("2 May")], [Text("Talks")]]],
              role="chronology"),
        Heading(3, [Text("Detail")], anchor="detail"),
        Quote([Paragraph([Text("A quoted line.")])]),
        Div("assessment", [Paragraph([Text("Assessment")], Role.ASSESSMENT_LABEL),
                           Paragraph([Text("We judge this likely.")])]),
        Heading(1, [Text("Sources")], anchor="sources"),
        Bibliography([[Text("Author. "), Emph([Text("Outlet")]), Text(".")]]),
    ])


def styles_by_id(data: bytes) -> dict[str, etree._Element]:
    root = part(data, "word/styles.xml")
    return {s.get(w("styleId")): s for s in root.iter(w("style"))}


def body_paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style id, text) of each body paragraph, tables included."""
    body = part(data, "word/document.xml").find(w("body"))
    out = []
    for p in body.iter(w("p")):
        style = p.find("w:pPr/w:pStyle", NS)
        out.append((style.get(w("val")) if style is not None else "Normal", text_of(p)))
    return out


@pytest.fixture(scope="module")
def synthetic40() -> tuple[Document, bytes]:
    doc = synthetic_document(notes=40)
    return doc, render_docx(doc)


# --------------------------------------------------------------------------- footnotes


def test_footnotes_part_has_separators_and_one_note_per_mark(synthetic40):
    doc, data = synthetic40
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = etree.fromstring(z.read("[Content_Types].xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
    assert any(o.get("PartName") == "/word/footnotes.xml" and o.get("ContentType") == FOOTNOTES_CT
               for o in types)
    assert [r.get("Target") for r in rels if r.get("Type") == FOOTNOTES_RT] == ["footnotes.xml"]

    notes = part(data, "word/footnotes.xml").findall(w("footnote"))
    assert [(n.get(w("id")), n.get(w("type"))) for n in notes[:2]] == [
        ("-1", "separator"), ("0", "continuationSeparator")]
    assert notes[0].find(".//w:separator", NS) is not None
    assert notes[1].find(".//w:continuationSeparator", NS) is not None
    real = notes[2:]
    assert [int(n.get(w("id"))) for n in real] == list(range(1, 41))
    expected = [plain_text(ref.content) for ref in doc.notes()]
    for element, text in zip(real, expected):
        p = element.find(w("p"))
        assert p.find("w:pPr/w:pStyle", NS).get(w("val")) == "FootnoteText"
        first_run = p.find(w("r"))
        assert first_run.find(w("footnoteRef")) is not None
        assert first_run.find("w:rPr/w:rStyle", NS).get(w("val")) == "FootnoteReference"
        assert text_of(p) == " " + text


def test_body_references_each_note_once_in_order(synthetic40):
    _, data = synthetic40
    refs = part(data, "word/document.xml").findall(".//w:footnoteReference", NS)
    assert [int(r.get(w("id"))) for r in refs] == list(range(1, 41))
    for ref in refs:
        assert ref.getparent().find("w:rPr/w:rStyle", NS).get(w("val")) == "FootnoteReference"


def test_python_docx_round_trip_keeps_every_note(synthetic40, tmp_path):
    doc, data = synthetic40
    reopened = docx.Document(io.BytesIO(data))
    assert reopened.paragraphs[0].text == doc.meta.title
    saved = io.BytesIO()
    reopened.save(saved)
    again = part(saved.getvalue(), "word/footnotes.xml")
    before = part(data, "word/footnotes.xml")
    assert [(n.get(w("id")), text_of(n)) for n in again.findall(w("footnote"))] == \
           [(n.get(w("id")), text_of(n)) for n in before.findall(w("footnote"))]
    refs = part(saved.getvalue(), "word/document.xml").findall(".//w:footnoteReference", NS)
    assert len(refs) == 40


def test_settings_declare_the_separator_notes(synthetic40):
    _, data = synthetic40
    pr = part(data, "word/settings.xml").find(w("footnotePr"))
    assert [f.get(w("id")) for f in pr.findall(w("footnote"))] == ["-1", "0"]


def test_note_links_are_relationships_of_the_footnotes_part():
    data = render_docx(small_doc())
    note2 = [n for n in part(data, "word/footnotes.xml").findall(w("footnote")) if n.get(w("id")) == "2"][0]
    link = note2.find(".//w:hyperlink", NS)
    rels = part(data, "word/_rels/footnotes.xml.rels")
    targets = {r.get("Id"): (r.get("Target"), r.get("TargetMode")) for r in rels}
    assert targets[link.get(f"{{{R}}}id")] == ("https://example.org/x?y=1&z=2", "External")
    assert text_of(link) == "link"
    assert note2.find(".//w:i", NS) is not None  # the outlet in italics
    body_link = part(data, "word/document.xml").find(".//w:hyperlink", NS)
    doc_rels = {r.get("Id"): r.get("Target") for r in part(data, "word/_rels/document.xml.rels")}
    assert doc_rels[body_link.get(f"{{{R}}}id")] == "https://ccdcoe.org/?a=1&b=2"
    assert body_link.find(".//w:rStyle", NS).get(w("val")) == "Hyperlink"


def test_the_writer_prints_marks_where_the_tree_has_them():
    """Placing marks is a tree step (``briefgen.marks``); the writer moves no punctuation."""
    doc = Document(meta(), [Paragraph([Text("It grew"), note(1), Text(". Then it shrank. "), note(2),
                                       Text("\u201d")])])
    p = part(render_docx(doc), "word/document.xml").find(".//w:footnoteReference/../..", NS)
    sequence = []
    for run in p.iter(w("r")):
        ref = run.find(w("footnoteReference"))
        sequence.append(f"[{ref.get(w('id'))}]" if ref is not None else text_of(run))
    assert "".join(sequence) == "It grew[1]. Then it shrank. [2]\u201d"


# --------------------------------------------------------------------------- styles


def test_builtin_styles_under_their_builtin_names():
    data = render_docx(small_doc())
    styles = styles_by_id(data)
    expected = {
        "Title": "Title", "Subtitle": "Subtitle", "Heading1": "heading 1", "Heading2": "heading 2",
        "Heading3": "heading 3", "ListBullet": "List Bullet", "ListNumber": "List Number",
        "Quote": "Quote", "FootnoteText": "footnote text", "FootnoteReference": "footnote reference",
        "Bibliography": "Bibliography", "Hyperlink": "Hyperlink", "Assessment": "Assessment",
        "Question": "Question", "BottomLine": "Bottom Line",
    }
    for style_id, name in expected.items():
        assert styles[style_id].find(w("name")).get(w("val")) == name
    ref = styles["FootnoteReference"]
    assert ref.get(w("type")) == "character"
    assert ref.find("w:rPr/w:vertAlign", NS).get(w("val")) == "superscript"
    assert styles["Heading2"].find("w:pPr/w:outlineLvl", NS).get(w("val")) == "1"
    assert styles["Bibliography"].find("w:pPr/w:ind", NS).get(w("hanging")) is not None


def test_blocks_use_their_styles():
    paragraphs = body_paragraphs(render_docx(small_doc()))
    assert paragraphs[:4] == [
        ("Title", "NATO\u2013ROK Cyber Cooperation"),
        ("Subtitle", "Where things stand"), ("Date", "1 November 2024"),
        ("Author", "Policy Unit, Directorate")]
    styles = dict((text, style) for style, text in paragraphs)
    assert styles["How far has cooperation gone?"] == "Question"
    assert styles["Cooperation deepened."] == "BottomLine"
    assert styles["Background"] == "Heading1"
    assert styles["Events"] == "Heading2"
    assert styles["Detail"] == "Heading3"
    assert styles["A quoted line."] == "Quote"
    assert styles["Assessment"] == "AssessmentLabel"  # the judgement is visibly marked
    assert styles["We judge this likely."] == "Assessment"
    assert styles["Author. Outlet."] == "Bibliography"
    assert styles["one"] == "ListNumber"
    assert styles["nested"] == "ListBullet2"


def test_lists_have_real_numbering_and_ordered_lists_restart():
    data = render_docx(small_doc())
    body = part(data, "word/document.xml")
    numbering = part(data, "word/numbering.xml")

    def num_pr(text: str) -> tuple[str, str]:
        p = next(p for p in body.iter(w("p")) if text_of(p) == text)
        return (p.find("w:pPr/w:numPr/w:ilvl", NS).get(w("val")),
                p.find("w:pPr/w:numPr/w:numId", NS).get(w("val")))

    assert num_pr("one")[0] == "0" and num_pr("nested")[0] == "1"
    assert num_pr("one")[1] == num_pr("two")[1]
    assert num_pr("one")[1] != num_pr("again one")[1]  # a new list starts again at 1
    nums = {n.get(w("numId")): n for n in numbering.findall(w("num"))}
    abstracts = {a.get(w("abstractNumId")): a for a in numbering.findall(w("abstractNum"))}
    for text in ("one", "again one"):
        num = nums[num_pr(text)[1]]
        assert num.find("w:lvlOverride/w:startOverride", NS).get(w("val")) == "1"
        abstract = abstracts[num.find(w("abstractNumId")).get(w("val"))]
        assert abstract.find("w:lvl/w:numFmt", NS).get(w("val")) == "decimal"
    bullet = abstracts[nums[num_pr("nested")[1]].find(w("abstractNumId")).get(w("val"))]
    assert bullet.find("w:lvl/w:numFmt", NS).get(w("val")) == "bullet"
    # schema order: every abstractNum before every num
    tags = [etree.QName(c).localname for c in numbering if etree.QName(c).localname in ("abstractNum", "num")]
    assert tags == sorted(tags)


def test_a_list_inside_an_assessment_stays_in_its_box():
    doc = Document(meta(), [Div("assessment", [Paragraph([Text("Assessment")], Role.ASSESSMENT_LABEL),
                                               Paragraph([Text("Judgement.")]),
                                               ListBlock(False, [[Paragraph([Text("watch this")])]])]),
                            Paragraph([Text("Outside.")])])
    body = part(render_docx(doc), "word/document.xml")
    paragraphs = {text_of(p): p for p in body.iter(w("p"))}
    item = paragraphs["watch this"]
    assert item.find("w:pPr/w:pBdr/w:left", NS) is not None
    assert item.find("w:pPr/w:shd", NS).get(w("fill")) == \
        styles_by_id(render_docx(doc))["Assessment"].find("w:pPr/w:shd", NS).get(w("fill"))
    assert paragraphs["Outside."].find("w:pPr/w:pBdr", NS) is None


def test_table_header_row_repeats():
    data = render_docx(small_doc())
    table = part(data, "word/document.xml").find(".//w:tbl", NS)
    rows = table.findall(w("tr"))
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    style_id = table.find("w:tblPr/w:tblStyle", NS).get(w("val"))
    style = styles_by_id(data)[style_id]
    assert style.get(w("type")) == "table"
    assert style.find("w:tblStylePr[@w:type='firstRow']", NS) is not None
    assert [text_of(c) for c in rows[1].findall(w("tc"))] == ["1 May", "Summit"]


def test_heading_anchors_are_bookmarks():
    body = part(render_docx(small_doc()), "word/document.xml")
    marks = [(b.get(w("name")), text_of(b.getparent())) for b in body.iter(w("bookmarkStart"))]
    assert marks == [("background", "Background"), ("events", "Events"), ("detail", "Detail"),
                     ("sources", "Sources")]


# --------------------------------------------------------------------------- page furniture


def test_header_and_footer_carry_marking_and_page_fields():
    data = render_docx(small_doc())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
    body = part(data, "word/document.xml")
    sect = body.find("w:body/w:sectPr", NS)
    assert sect.find(w("titlePg")) is not None
    rels = {r.get("Id"): r.get("Target") for r in part(data, "word/_rels/document.xml.rels")}
    refs = {(e.tag.split("}")[1], e.get(w("type"))): rels[e.get(f"{{{R}}}id")]
            for e in sect if e.get(f"{{{R}}}id")}
    header = part(data, "word/" + refs[("headerReference", "default")])
    assert [text_of(p) for p in header.iter(w("p"))] == ["NATO UNCLASSIFIED", "Cyber\t1 November 2024"]
    first_header = part(data, "word/" + refs[("headerReference", "first")])
    assert [text_of(p) for p in first_header.iter(w("p"))] == ["NATO UNCLASSIFIED"]
    for kind in ("default", "first"):
        footer = part(data, "word/" + refs[("footerReference", kind)])
        instructions = [i.text.strip() for i in footer.iter(w("instrText"))]
        assert instructions == ["PAGE", "NUMPAGES"]
        assert "NATO UNCLASSIFIED" in text_of(footer)
        assert "Page " in text_of(footer) and " of " in text_of(footer)
    assert all(n in names for n in ("word/" + t for t in refs.values()))


def test_no_marking_means_none_anywhere():
    data = render_docx(small_doc(marking=""))
    assert "UNCLASSIFIED" not in "".join(text_of(p) for p in part(data, "word/document.xml").iter(w("p")))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if re.match(r"word/(header|footer)\d+\.xml", name):
                assert "UNCLASSIFIED" not in text_of(etree.fromstring(z.read(name)))


@pytest.mark.parametrize("size, width, height", [("A4", 11906, 16838), ("Letter", 12240, 15840)])
def test_page_size(size, width, height):
    sect = part(render_docx(small_doc(page_size=size)), "word/document.xml").find(".//w:sectPr", NS)
    pg = sect.find(w("pgSz"))
    assert (int(pg.get(w("w"))), int(pg.get(w("h")))) == (width, height)
    margins = sect.find(w("pgMar"))
    assert all(1400 <= int(margins.get(w(side))) <= 1440 for side in ("top", "bottom", "left", "right"))


# --------------------------------------------------------------------------- properties


def test_core_properties_and_language(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data = render_docx(small_doc(language="en-US"))
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.title == "NATO\u2013ROK Cyber Cooperation"
    assert props.subject == "cyber"
    assert props.author == "Policy Unit"
    assert props.keywords == "cyber; Korea"
    assert props.language == "en-US"
    assert props.created == props.modified == dt.datetime(2024, 11, 1, tzinfo=dt.UTC)
    lang = part(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(w("val")) == "en-US"


def test_author_falls_back_to_organisation():
    props = docx.Document(io.BytesIO(render_docx(small_doc(author="")))).core_properties
    assert props.author == "Directorate"


def test_same_document_same_bytes(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = render_docx(synthetic_document(notes=30))
    assert render_docx(synthetic_document(notes=30)) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2024, 11, 1, 0, 0, 0)}


def test_the_package_is_the_zip_any_zip_tool_would_write():
    """The zip is written by briefgen (so that a warm process can reuse compressed parts):
    every entry reads back with its CRC checked, and the file is byte for byte what
    Python's ``zipfile`` writes for the same entries at the same time."""
    data = render_docx(synthetic_document(notes=30))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        entries = [(info, z.read(info)) for info in z.infolist()]
    again = io.BytesIO()
    with zipfile.ZipFile(again, "w", zipfile.ZIP_DEFLATED) as z:
        for info, content in entries:
            fresh = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            fresh.compress_type, fresh.create_system = zipfile.ZIP_DEFLATED, 0
            z.writestr(fresh, content)
    assert again.getvalue() == data


def test_source_date_epoch_sets_the_dates(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    data = render_docx(small_doc())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    assert docx.Document(io.BytesIO(data)).core_properties.created == dt.datetime(2023, 11, 14, 22, 13, 20,
                                                                                   tzinfo=dt.UTC)
    assert render_docx(small_doc()) == data


def test_fonts_and_sizes_of_the_house_look():
    styles = part(render_docx(small_doc()), "word/styles.xml")
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(w("ascii")) == fonts.get(w("hAnsi")) == "Calibri"
    assert fonts.get(w("asciiTheme")) is None  # a theme font would override it
    size = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", NS)
    assert size.get(w("val")) == "22"
    note_text = [s for s in styles.iter(w("style")) if s.get(w("styleId")) == "FootnoteText"][0]
    assert note_text.find("w:rPr/w:sz", NS).get(w("val")) == "18"


# --------------------------------------------------------------------------- text


def test_special_characters_survive_exactly():
    tricky = "& < > \" ' \u0645\u0631\u062d\u0628\u0627 \ud55c\uad6d\uc5b4 \u00e9 \u201cq\u201d"
    doc = Document(meta(title="A & B <C>"), [
        Paragraph([Text(tricky), note(1, Text(tricky))]),
        Heading(1, [Text("Q&A <1>")], anchor="qa"),
    ])
    data = render_docx(doc)
    texts = [t for _, t in body_paragraphs(data)]
    assert tricky in texts and "Q&A <1>" in texts and "A & B <C>" in texts
    note1 = part(data, "word/footnotes.xml").findall(w("footnote"))[2]
    assert text_of(note1) == " " + tricky
    assert docx.Document(io.BytesIO(data)).core_properties.title == "A & B <C>"


def test_tabs_and_newlines_inside_text():
    data = render_docx(Document(meta(), [Paragraph([Text("a\tb\nc\r\nd")])]))
    p = [p for p in part(data, "word/document.xml").iter(w("p")) if "a" in text_of(p)][-1]
    assert text_of(p) == "a\tb c d"
    assert p.find(".//w:tab", NS) is not None


def test_characters_xml_cannot_hold_are_dropped_with_a_warning():
    warnings: list[str] = []
    doc = Document(meta(title="Bad\x01 title"), [
        Paragraph([Text("ok\x0b text\ufffe"), note(1, Text("note\ud800 text"))]),
    ])
    data = render_docx(doc, warn=warnings.append)
    texts = [t for _, t in body_paragraphs(data)]
    assert "Bad title" in texts and "ok text" in texts
    assert text_of(part(data, "word/footnotes.xml").findall(w("footnote"))[2]) == " note text"
    joined = "\n".join(warnings)
    assert "title" in joined and "U+0001" in joined
    assert "paragraph 1" in joined and "U+000B" in joined and "U+FFFE" in joined
    assert "note 1" in joined and "U+D800" in joined
    assert len(warnings) == 3  # one line per field, not per character or per use


def test_marks_inside_emphasis_and_strong():
    doc = Document(meta(), [Paragraph([Strong([Text("bold "), Emph([Text("both")])]), Text(" plain")])])
    runs = [r for r in part(render_docx(doc), "word/document.xml").iter(w("r")) if text_of(r).strip()]
    flags = {text_of(r): (r.find("w:rPr/w:b", NS) is not None, r.find("w:rPr/w:i", NS) is not None)
             for r in runs}
    assert flags["bold "] == (True, False)
    assert flags["both"] == (True, True)
    assert flags[" plain"] == (False, False)


# --------------------------------------------------------------------------- house template


def make_reference(path: Path) -> Path:
    ref = docx.Document()
    ref.styles["Normal"].font.name = "Georgia"
    ref.styles["Normal"].font.size = Pt(12)
    section = ref.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.left_margin = section.right_margin = Inches(1.25)
    ref.add_paragraph("Template sample text that must not reach the brief.")
    ref.save(str(path))
    return path


def test_reference_docx_supplies_styles_and_page(tmp_path):
    ref = make_reference(tmp_path / "house.docx")
    data = render_docx(synthetic_document(notes=5), reference_docx=ref)  # meta asks for A4
    styles = styles_by_id(data)
    normal_font = styles["Normal"].find("w:rPr/w:rFonts", NS)
    assert normal_font.get(w("ascii")) == "Georgia"
    assert styles["Normal"].find("w:rPr/w:sz", NS).get(w("val")) == "24"
    # The template's own heading style is kept, not replaced by the house look.
    assert styles["Heading1"].find("w:pPr/w:outlineLvl", NS) is not None
    assert styles["Heading1"].find("w:rPr/w:color", NS).get(w("val")) == "365F91"
    # Styles the template lacks are added.
    assert "FootnoteText" in styles and "FootnoteReference" in styles and "Assessment" in styles
    sect = part(data, "word/document.xml").find(".//w:sectPr", NS)
    assert sect.find(w("pgSz")).get(w("w")) == "12240"
    assert sect.find(w("pgMar")).get(w("left")) == "1800"
    texts = [t for _, t in body_paragraphs(data)]
    assert "Template sample text that must not reach the brief." not in texts
    assert len(part(data, "word/document.xml").findall(".//w:footnoteReference", NS)) == 5


def test_reference_docx_with_footnotes_of_its_own(tmp_path):
    """A template saved with notes (and LibreOffice's 0/1 separators) starts clean."""
    first = tmp_path / "first.docx"
    first.write_bytes(render_docx(synthetic_document(notes=7)))
    data = render_docx(synthetic_document(notes=3), reference_docx=first)
    notes = part(data, "word/footnotes.xml").findall(w("footnote"))
    assert [n.get(w("id")) for n in notes] == ["-1", "0", "1", "2", "3"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist().count("word/footnotes.xml") == 1


@pytest.mark.parametrize("content", [b"just some text\n", b"PK\x03\x04 broken zip"])
def test_reference_that_is_not_a_docx_is_one_clear_error(tmp_path, content):
    bad = tmp_path / "house.docx"
    bad.write_bytes(content)
    with pytest.raises(BriefgenError) as err:
        render_docx(small_doc(), reference_docx=bad)
    message = str(err.value)
    assert message.startswith(f"{bad}: not a Word document (.docx): ")
    assert "\n" not in message
    assert err.value.problems[0].path == str(bad)


def test_reference_that_is_a_zip_but_not_word(tmp_path):
    bad = tmp_path / "house.docx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("hello.txt", "not word")
    with pytest.raises(BriefgenError, match="not a Word document"):
        render_docx(small_doc(), reference_docx=bad)


def test_missing_reference(tmp_path):
    with pytest.raises(BriefgenError, match="not found"):
        render_docx(small_doc(), reference_docx=tmp_path / "nope.docx")


# --------------------------------------------------------------------------- size


def test_a_long_brief_builds_in_linear_time():
    """1,250 notes cost about ten times 125: a quadratic step (searching for the next id)
    would cost about a hundred times."""
    small, large = synthetic_document(notes=125), synthetic_document(notes=1250)
    data = render_docx(large)
    ids = [n.get(w("id")) for n in part(data, "word/footnotes.xml").findall(w("footnote"))]
    assert ids[-1] == "1250" and len(ids) == 1252
    ratio = growth(lambda: render_docx(small), lambda: render_docx(large))
    assert ratio < 30, f"1,250 notes cost {ratio:.0f} x 125 notes"
