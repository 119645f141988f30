"""Reference-only sources (no archived text) and corrections that cite their evidence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.commands.build import build_document
from briefgen.document import NOT_ARCHIVED, plain_text
from briefgen.workspace import open_workspace
from workspaces import edit, make_workspace

SEED = "seeds/daily-2024-03-05.yaml"
NATO = "seeds/nato-2024-03-01.yaml"
NATO_YAML = """\
source:
  id: nato-2024-03-01
  kind: press-release
  title: "NATO and the Republic of Korea hold cyber talks"
  publisher: NATO
  date: 2024-03-01
  url: https://www.nato.int/cps/en/natohq/news_1.htm
  accessed: 2026-11-23
  confirmed_in: "NATO press release of 1 March 2024, para. 2"
extracts:
  - id: nato-cyber-talks
    paraphrase: "NATO and the ROK held their first cyber talks in March 2024."
    locator: "para. 2"
    topics: [cyber]
"""
CAVEAT = ('    topics: [cyber]\n    caveat: {text: "The talks were agreed on 14 February 2024.", '
          'cite: [nato-cyber-talks]}\n  - id: daily-cyber-priority')


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path / "ws")
    (root / NATO).write_text(NATO_YAML, encoding="utf-8")
    edit(root / SEED, "    topics: [cyber]\n  - id: daily-cyber-priority", CAVEAT)
    edit(root / "briefs" / "cyber.yaml", "Cooperation is likely to deepen.",
         "Cooperation is likely to deepen [@nato-cyber-talks].")
    return root


def _doc(root: Path, review: bool = False, annex: bool = False):
    from briefgen import evidence

    w = open_workspace(root)
    settings = w.settings()
    _, doc = build_document(w, "cyber", settings, lambda p: None)
    if annex:
        evidence.annex(doc, w.corpus(), settings)
    if review:
        evidence.attach(doc, w.corpus(), settings)
    return w, doc


def test_reference_only_extract_is_cited_with_its_locator(ws):
    w, doc = _doc(ws)
    notes = doc.notes()
    cited = [n for n in notes if any(c.key == "nato-cyber-talks" for c in n.citations)]
    assert cited
    record = w.corpus().extracts["nato-cyber-talks"]
    assert not record.archived
    assert record.extract.locator in plain_text(cited[0].content)


def test_caveat_prints_the_correction_with_its_own_citation(ws):
    w, doc = _doc(ws)
    corpus = w.corpus()
    caveat = corpus.extracts["daily-annual-talks"].extract.caveat
    first = next(n for n in doc.notes() if any(c.key == "daily-annual-talks" for c in n.citations))
    text = plain_text(first.content)
    body = caveat.text.rstrip(".")  # type: ignore[union-attr]
    assert body in text
    after = text[text.index(body) + len(body):]
    # the correction's own evidence follows it, in parentheses, with the reference's locator
    cited = corpus.extracts[caveat.cite[0]]
    assert re.match(r" \(.*\)\.$", after)
    assert cited.extract.locator in after
    assert (cited.source.publisher or "") in after
    # the cited source is in the bibliography too
    from briefgen.document import Bibliography, iter_blocks
    entries = [plain_text(e) for b in iter_blocks(doc.blocks) if isinstance(b, Bibliography)
               for e in b.entries]
    assert any(cited.source.url in e for e in entries)


def test_annex_and_review_mark_reference_only_citations(ws):
    _, doc = _doc(ws, review=True, annex=True)
    note = next(n for n in doc.notes() if any(c.key == "nato-cyber-talks" for c in n.citations))
    ev = next(e for e in note.evidence if e.extract_id == "nato-cyber-talks")
    assert NOT_ARCHIVED in ev.text()
    assert "\u201c" not in ev.shown_quote()  # a paraphrase is never set in quotation marks
    annex = [plain_text(b.children) for b in doc.blocks if hasattr(b, "children")
             and plain_text(b.children).startswith(f"Note {note.number}")]
    assert any(NOT_ARCHIVED in a for a in annex)
    archived = next(e for n in doc.notes() for e in n.evidence if e.archived)
    assert NOT_ARCHIVED not in archived.shown_quote() and archived.shown_quote().startswith("\u201c")


def _check(root: Path, capsys) -> tuple[int, str]:
    code = main(["--root", str(root), "check"])
    _out, err = capsys.readouterr()
    return code, err


@pytest.mark.parametrize("old,new,pattern", [
    ('    paraphrase: "NATO and the ROK', '    quote: "NATO and the ROK',
     r"seeds/nato-2024-03-01\.yaml:12: extract 'nato-cyber-talks': the source has no archived text"),
    ('  confirmed_in: "NATO press release of 1 March 2024, para. 2"\n', "",
     r"seeds/nato-2024-03-01\.yaml:1: source: .*needs confirmed_in"),
    ("    locator: \"para. 2\"\n", "    locator: \"para. 2\"\n    quote: \"x\"\n",
     r"seeds/nato-2024-03-01\.yaml:14: extract 'nato-cyber-talks': the source has no archived text"),
])
def test_reference_only_rules(ws, capsys, old, new, pattern):
    edit(ws / NATO, old, new)
    code, err = _check(ws, capsys)
    assert code == 2
    assert re.match(pattern, err.splitlines()[0]), err


def test_archived_extract_needs_a_quote_not_a_paraphrase(ws, capsys):
    edit(ws / SEED, "quote: Cyber cooperation is a priority", "paraphrase: Cyber cooperation is a priority")
    code, err = _check(ws, capsys)
    assert code == 2
    assert re.match(r"seeds/daily-2024-03-05\.yaml:\d+: extract 'daily-cyber-priority': an archived "
                    r"source is quoted verbatim", err.splitlines()[0]), err


def test_caveat_citing_an_unknown_extract_names_the_line_of_the_citation(ws, capsys):
    edit(ws / SEED, "cite: [nato-cyber-talks]", "cite: [nato-cyber-talk]")
    code, err = _check(ws, capsys)
    assert code == 2
    line = (ws / SEED).read_text().splitlines().index(
        next(ln for ln in (ws / SEED).read_text().splitlines() if "nato-cyber-talk]" in ln)) + 1
    assert err.splitlines()[0].startswith(
        f"{SEED}:{line}: the caveat of extract 'daily-annual-talks' cites unknown extract "
        "'nato-cyber-talk' (did you mean 'nato-cyber-talks'?)"), err


def test_plain_string_caveat_stays_valid(ws, capsys):
    edit(ws / SEED, 'caveat: {text: "The talks were agreed on 14 February 2024.", cite: [nato-cyber-talks]}',
         'caveat: "A plain correction."')
    _w, doc = _doc(ws)
    first = next(n for n in doc.notes() if any(c.key == "daily-annual-talks" for c in n.citations))
    assert plain_text(first.content).endswith("A plain correction.")


def test_annex_gives_the_corrections_evidence(ws):
    _, doc = _doc(ws, annex=True)
    note = next(n for n in doc.notes() if any(c.key == "daily-annual-talks" for c in n.citations))
    annex = next(plain_text(b.children) for b in doc.blocks if hasattr(b, "children")
                 and plain_text(b.children).startswith(f"Note {note.number}."))
    assert "Evidence:" in annex and "[nato-cyber-talks; " + NOT_ARCHIVED + "]" in annex


def test_archived_only_refuses_a_correction_citing_a_reference_only_source(ws, capsys):
    edit(ws / "briefs" / "cyber.yaml", "Cooperation is likely to deepen [@nato-cyber-talks].",
         "Cooperation is likely to deepen.")
    (ws / NATO).unlink()
    edit(ws / SEED, "cite: [nato-cyber-talks]", "cite: [daily-cyber-priority]")
    assert main(["--root", str(ws), "check", "--archived-only"]) == 0
    capsys.readouterr()
    (ws / NATO).write_text(NATO_YAML, encoding="utf-8")
    edit(ws / SEED, "cite: [daily-cyber-priority]", "cite: [nato-cyber-talks]")
    # not cited by the brief itself, only by a correction: --archived-only still refuses it
    assert main(["--root", str(ws), "check", "--archived-only"]) == 2
    err = capsys.readouterr().err
    assert re.search(r"briefs/cyber\.yaml:\d+: the correction of 'daily-annual-talks' cites "
                     r"'nato-cyber-talks', a reference-only source", err), err


@pytest.mark.parametrize("caveat,warned", [
    ('"The first talks were held on 20 May 2024."', True),
    ('"NATO\u2019s release names him Lieutenant General."', False),
    ('"The report is dated 5 March 2024: \u201c14 February\u201d is 14 February 2024."', False),
    ('"Eight envoys came."', True),
])
def test_a_correction_stating_a_date_or_number_must_cite(ws, capsys, caveat, warned):
    edit(ws / SEED, 'caveat: {text: "The talks were agreed on 14 February 2024.", cite: [nato-cyber-talks]}',
         f"caveat: {caveat}")
    capsys.readouterr()
    assert main(["--root", str(ws), "check"]) == 0
    err = capsys.readouterr().err
    line = next(i for i, ln in enumerate((ws / SEED).read_text().splitlines(), 1) if "caveat:" in ln)
    message = (f"{SEED}:{line}: warning: the caveat of extract 'daily-annual-talks' states a date "
               "or a number and cites nothing")
    assert (message in err) is warned, err
    if warned:
        assert main(["--root", str(ws), "check", "--strict"]) == 2


@pytest.mark.parametrize(("kind", "label", "csl"), [
    ("news-item", "news item", "webpage"),
    ("transcript", "transcript", "speech"),
    ("press-release", "press release", "document"),
])
def test_the_note_names_the_kind_of_page_the_record_says(ws, kind, label, csl):
    from briefgen.csljson import to_csl_item

    edit(ws / NATO, "  kind: press-release\n", f"  kind: {kind}\n")
    w, doc = _doc(ws)
    # the source's full note (the first that cites it: here inside a correction's citation)
    note = next(t for t in (plain_text(n.content) for n in doc.notes()) if "Republic of Korea Hold" in t)
    assert f"NATO, {label}, 1 March 2024" in note
    others = {"news item", "transcript", "press release"} - {label}
    assert not any(f", {other}," in note for other in others)
    item = to_csl_item(w.corpus().sources["nato-2024-03-01"].source)
    assert item["type"] == csl and item["genre"] == label


def test_a_news_item_or_transcript_speaks_for_its_institution():
    from briefgen.checks import speakers
    from briefgen.checks.text import Glossary
    from briefgen.models import Extract, Source
    from stand_ins import Corpus, Record

    for kind in ("news-item", "transcript"):
        source = Source.model_validate({
            "id": "nato-x", "kind": kind, "title": "Pre-ministerial press conference", "publisher": "NATO",
            "accessed": "2026-11-23", "confirmed_in": "NATO's own page"})
        extract = Extract(id="nato-x-1", paraphrase="Allies will meet the partners.", topics=["t"])
        corpus = Corpus({})
        corpus.extracts["nato-x-1"] = Record(extract, source)
        said_by = speakers.speaker_text(["nato-x-1"], corpus, Glossary(()))
        assert not speakers.check_sentence("NATO said the allies will meet the partners.", said_by, Glossary(()))
        assert speakers.check_sentence("The Korea Herald said the allies will meet the partners.",
                                       said_by, Glossary(()), {"Korea", "Herald"})
