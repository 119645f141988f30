"""The notes pass: numbering, full then short notes, Ibid., several citations in one
note, locators, caveats, and a bibliography of the cited sources only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from briefgen import notes
from briefgen.document import (
    Bibliography,
    Citation,
    Document,
    Emph,
    Heading,
    ListBlock,
    Meta,
    NoteRef,
    Paragraph,
    Text,
    plain_text,
)
from briefgen.errors import BriefgenError
from briefgen.models import Extract, Settings, Source
from scaling import growth

FIXTURES = Path(__file__).parent / "fixtures" / "chicago"


@dataclass
class Record:
    extract: Extract
    source: Source
    paragraph: int | None


@dataclass
class FakeCorpus:
    extracts: dict[str, Record]


@pytest.fixture(scope="module")
def sources() -> dict[str, Source]:
    data = yaml.safe_load((FIXTURES / "records.yaml").read_text(encoding="utf-8"))
    return {d["id"]: Source.model_validate(d) for d in data}


@pytest.fixture()
def corpus(sources) -> FakeCorpus:
    def rec(key, source, paragraph, caveat=None):
        return key, Record(Extract(id=key, quote="q", topics=["cyber"], caveat=caveat),
                           sources[source], paragraph)

    return FakeCorpus(dict([
        rec("ji-1", "herald-ji", 3),
        rec("ji-2", "herald-ji", 7),
        rec("at-3rd", "asiatimes-menafn", 4,
            caveat="The source places this in July 2023; the Washington summit was held "
                   "on 9\u201311 July 2024."),
        rec("kf-1", "kfvub-untitled", 2),
        rec("dipl-1", "diplomat-republished", 5),
    ]))


def doc_with(*keysets: list[str]) -> Document:
    """A document whose paragraphs each carry one note mark per key set."""
    blocks = [Heading(1, [Text("Brief")])]
    for keys in keysets:
        blocks.append(Paragraph([Text("A fact."), NoteRef([Citation(k) for k in keys])]))
    blocks.append(Bibliography())
    meta = Meta(title="T", topic="t", date=dt.date(2024, 11, 1))
    return Document(meta, blocks)


def texts(doc: Document) -> list[str]:
    return [plain_text(n.content) for n in doc.notes()]


def test_full_then_short_and_numbering(corpus):
    doc = doc_with(["ji-1"], ["at-3rd"], ["ji-2"])
    notes.apply(doc, corpus, Settings())
    assert [n.number for n in doc.notes()] == [1, 2, 3]
    got = texts(doc)
    assert got[0].startswith("Ji Da-gyum, \u201cS. Korea, NATO Carve Out Path to Step Up")
    assert "14 February 2023" in got[0]  # the house default, dmy
    assert got[2] == "Ji, \u201cS. Korea, NATO Carve Out Path.\u201d"


def test_consecutive_same_source_short_by_default_ibid_on_request(corpus):
    doc = doc_with(["ji-1"], ["ji-2"])
    notes.apply(doc, corpus, Settings())
    assert texts(doc)[1] == "Ji, \u201cS. Korea, NATO Carve Out Path.\u201d"
    doc = doc_with(["ji-1"], ["ji-2"], ["kf-1"], ["ji-1"])
    notes.apply(doc, corpus, Settings(ibid=True))
    assert texts(doc)[1] == "Ibid."
    assert texts(doc)[3] == "Ji, \u201cS. Korea, NATO Carve Out Path.\u201d"  # not consecutive


def test_ibid_never_after_a_note_with_several_citations(corpus):
    doc = doc_with(["ji-1", "kf-1"], ["ji-2"])
    notes.apply(doc, corpus, Settings(ibid=True))
    assert texts(doc)[1] == "Ji, \u201cS. Korea, NATO Carve Out Path.\u201d"


def test_several_citations_one_note_joined_by_semicolons(corpus):
    doc = doc_with(["ji-1"], ["ji-2", "kf-1"])
    notes.apply(doc, corpus, Settings(date_style="mdy"))
    assert texts(doc)[1] == ("Ji, \u201cS. Korea, NATO Carve Out Path\u201d; Anthony Crescente, "
                             "untitled analysis, KF-VUB Korea Chair, July 13, 2023.")


def test_locators_when_asked(corpus):
    doc = doc_with(["ji-1"], ["ji-2"])
    notes.apply(doc, corpus, Settings(locators=True, ibid=True))
    got = texts(doc)
    assert ", 14 February 2023, para. 3, https://" in got[0]
    assert got[1] == "Ibid., para. 7."
    assert doc.notes()[0].citations[0].locator == "para. 3"
    doc = doc_with(["ji-1"])
    notes.apply(doc, corpus, Settings())
    assert "para." not in texts(doc)[0]


def test_caveat_follows_the_citation(corpus):
    doc = doc_with(["at-3rd"])
    notes.apply(doc, corpus, Settings())
    assert texts(doc)[0].endswith(
        "29 August 2024, https://menafn.com/1108617871/South-Korea-Gets-Closer-To-NATO-In-The-"
        "Indo-Pacific. The source places this in July 2023; the Washington summit was held on "
        "9\u201311 July 2024.")
    link_nodes = [n for n in doc.notes()[0].content if type(n).__name__ == "Link"]
    assert len(link_nodes) == 1


def test_bibliography_lists_only_cited_sources_sorted(corpus):
    doc = doc_with(["ji-1"], ["dipl-1"], ["at-3rd", "ji-2"])
    notes.apply(doc, corpus, Settings())
    bib = doc.blocks[-1]
    assert isinstance(bib, Bibliography)
    leads = [plain_text(e).split(".")[0] for e in bib.entries]
    assert leads == ["Asia Times", "Diplomat", "Ji Da-gyum"]
    assert isinstance(bib.entries[0][0], Emph)


def test_notes_in_nested_blocks_follow_reading_order(corpus):
    doc = doc_with(["ji-1"])
    doc.blocks.insert(1, ListBlock(False, [[Paragraph([Text("x"), NoteRef([Citation("kf-1")])])]]))
    notes.apply(doc, corpus, Settings())
    assert texts(doc)[0].startswith("Anthony Crescente")
    assert texts(doc)[1].startswith("Ji Da-gyum")


def test_unknown_key_is_a_user_error(corpus):
    with pytest.raises(BriefgenError, match="nope"):
        notes.apply(doc_with(["ji-1"], ["nope"]), corpus, Settings())


def test_twelve_thousand_notes_number_in_linear_time(corpus):
    """Ten times the notes costs about ten times the time; a quadratic step (searching the
    notes so far for each new one) would cost about a hundred times."""
    keys = list(corpus.extracts)

    def numbered(count: int) -> Document:
        doc = doc_with(*[[keys[i % len(keys)]] for i in range(count)])
        notes.apply(doc, corpus, Settings(locators=True))
        return doc

    assert numbered(12_500).notes()[-1].number == 12_500
    ratio = growth(lambda: numbered(1_250), lambda: numbered(12_500))
    assert ratio < 30, f"12,500 notes cost {ratio:.0f} x 1,250 notes"


def test_caveat_is_printed_the_first_time_its_extract_is_cited(corpus):
    doc = doc_with(["at-3rd"], ["ji-1"], ["at-3rd"])
    notes.apply(doc, corpus, Settings())
    got = texts(doc)
    assert "the Washington summit was held" in got[0]
    assert got[2] == "Asia Times, \u201cSouth Korea Gets Closer.\u201d"


def test_extracts_of_one_source_in_one_note_are_one_citation(corpus):
    doc = doc_with(["ji-1"], ["ji-1", "ji-2", "kf-1"])
    notes.apply(doc, corpus, Settings(date_style="mdy"))
    assert texts(doc)[1] == ("Ji, \u201cS. Korea, NATO Carve Out Path\u201d; Anthony Crescente, "
                             "untitled analysis, KF-VUB Korea Chair, July 13, 2023.")
    doc = doc_with(["ji-1"], ["ji-1", "ji-2"])
    notes.apply(doc, corpus, Settings(locators=True))
    assert texts(doc)[1] == "Ji, \u201cS. Korea, NATO Carve Out Path,\u201d paras. 3, 7."
