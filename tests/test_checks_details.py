"""The details check: every date, number and name of a cited sentence stands in its evidence.

Measured on a labelled fixture of sentence–evidence pairs (tests/fixtures/details/):
the test prints recall on unsupported details and the false-flag rate on supported
sentences, and holds them to recall ≥ 0.8 and false flags ≤ 0.1.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from briefgen.checks import details, evidence_text
from briefgen.checks.text import (
    Glossary,
    find_dates,
    find_names,
    find_numbers,
    name_words,
)
from briefgen.models import Extract, Person, Settings, Source
from stand_ins import Corpus, Record

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "details" / "pairs.yaml"


def _source(key: str, spec: dict) -> Source:
    authors = []
    for name in spec.get("authors", []):
        given, _, family = name.rpartition(" ")
        korean = "-" in family  # "Ji Da-gyum": surname first
        authors.append(Person(family=name.split()[0], given=" ".join(name.split()[1:]), surname_first=True)
                       if korean else Person(family=family, given=given))
    return Source.model_validate({
        "id": key, "kind": "news-article", "text": f"{key}.txt", "accessed": _dt.date(2026, 11, 23),
        **{k: v for k, v in spec.items() if k != "authors"}, "authors": authors,
        **({"kind": "syndicated-copy"} if spec.get("original_outlet") else {}),
    })


def _pairs():
    data = YAML(typ="safe").load(FIXTURE.read_text(encoding="utf-8"))
    sources = {k: _source(k, v) for k, v in data["sources"].items()}
    pairs = []
    for n, pair in enumerate(data["pairs"]):
        corpus = Corpus({})
        keys = []
        for i, ev in enumerate(pair["evidence"]):
            key = f"pair-{n}-{i}"
            extract = Extract(id=key, quote=ev["quote"], topics=["fixture"], caveat=ev.get("caveat"))
            corpus.extracts[key] = Record(extract, sources[ev["source"]])
            keys.append(key)
        pairs.append((pair, corpus, keys))
    return pairs


PAIRS = _pairs()


def _house_glossary() -> Glossary:
    data = YAML(typ="safe").load((ROOT / "templates" / "settings.yaml").read_text(encoding="utf-8"))
    return Glossary(Settings.model_validate(data).glossary)


def _known() -> set[str]:
    texts = []
    for pair, corpus, _ in PAIRS:
        texts.append(pair["sentence"])
        for record in corpus.extracts.values():
            texts.append(record.extract.quote)
    return name_words(texts)


def test_fixture_is_big_enough_and_labels_stand_in_their_sentences():
    assert len(PAIRS) >= 40
    assert sum(1 for p, _, _ in PAIRS if not p["unsupported"]) >= 15
    assert sum(1 for p, _, _ in PAIRS if p["unsupported"]) >= 15
    for pair, _, _ in PAIRS:
        for detail in pair["unsupported"]:
            assert str(detail) in pair["sentence"], (detail, pair["sentence"])


def test_labelled_fixture_recall_and_false_flags(capsys):
    glossary, known = _house_glossary(), _known()
    found = total = 0
    flagged_supported = supported = 0
    extra_flags: list[tuple[str, str]] = []
    missed: list[tuple[str, str]] = []
    for pair, corpus, keys in PAIRS:
        sentence = pair["sentence"]
        evidence = evidence_text.gather(keys, corpus, glossary)
        misses = details.check_sentence(sentence, evidence, glossary, known)
        spans = [(m.start, m.end) for m in misses]
        labelled = [str(d) for d in pair["unsupported"]]
        for detail in labelled:
            total += 1
            a = sentence.index(detail)
            b = a + len(detail)
            if any(s < b and a < e for s, e in spans):
                found += 1
            else:
                missed.append((detail, sentence))
        for m in misses:
            if not any(m.start < sentence.index(d) + len(d) and sentence.index(d) < m.end
                       for d in labelled):
                extra_flags.append((m.text, sentence))
        if not labelled:
            supported += 1
            flagged_supported += bool(misses)
    recall = found / total
    false_flags = flagged_supported / supported
    with capsys.disabled():
        print(f"\ndetails check on {len(PAIRS)} labelled pairs: recall {recall:.2f} "
              f"({found}/{total} unsupported details), false flags {false_flags:.2f} "
              f"({flagged_supported}/{supported} supported sentences flagged); "
              f"{len(extra_flags)} flag(s) beyond the labels")
        for text, sentence in extra_flags:
            print(f"  extra flag: {text!r} in {sentence!r}")
        for text, sentence in missed:
            print(f"  missed: {text!r} in {sentence!r}")
    assert recall >= 0.8
    assert false_flags <= 0.1


# --------------------------------------------------------------------------- the readers


@pytest.mark.parametrize(("text", "expected"), [
    ("11 July 2023", [((2023, 7, 11), (2023, 7, 11), "day")]),
    ("July 11, 2023", [((2023, 7, 11), (2023, 7, 11), "day")]),
    ("July 2023", [((2023, 7, 1), (2023, 7, 31), "month")]),
    ("13–15 December 2023", [((2023, 12, 13), (2023, 12, 15), "day")]),
    ("2023", [((2023, 1, 1), (2023, 12, 31), "year")]),
    ("July–September 2022", [((2022, 7, 1), (2022, 9, 30), "month")]),
    ("2012–2024", [((2012, 1, 1), (2024, 12, 31), "year")]),
    ("dated 13.07.2023", [((2023, 7, 13), (2023, 7, 13), "day")]),
    ("the 30 members and AP4", []),
])
def test_dates_are_read_in_the_project_forms(text, expected):
    got = [((d.span.start.year, d.span.start.month, d.span.start.day),
            (d.span.end.year, d.span.end.month, d.span.end.day), d.first.precision)
           for d in find_dates(text)]
    assert got == [(tuple(a), tuple(b), p) for a, b, p in expected]


def test_a_month_without_a_year_takes_the_year_of_its_source():
    (d,) = find_dates("the summit in Vilnius in July", _dt.date(2023, 12, 13))
    assert (d.span.start, d.span.end) == (_dt.date(2023, 7, 1), _dt.date(2023, 7, 31))
    (d,) = find_dates("talks in December", _dt.date(2024, 3, 1))
    assert d.span.start.year == 2023


def test_numbers_and_names_are_read_without_the_dates_and_names_around_them():
    text = "The AP4 and 30 allies met on 11 July 2023; eight envoys visited the Republic of Korea."
    dates = [(d.start, d.end) for d in find_dates(text)]
    assert [n[2] for n in find_numbers(text, skip=dates)] == ["30", "eight"]
    assert [n[2] for n in find_names(text, dates)] == ["AP4", "Republic of Korea"]


def test_glossary_names_one_thing_by_any_of_its_names():
    glossary = Glossary([["ROK", "Republic of Korea", "South Korea"]])
    corpus = Corpus({"x": Record(Extract(id="x", quote="South Korea joined.", topics=["t"]),
                                   PAIRS[0][1].extracts[PAIRS[0][2][0]].source)})
    evidence = evidence_text.gather(["x"], corpus, glossary)
    assert details.check_sentence("The ROK joined.", evidence, glossary) == []
    plain = evidence_text.gather(["x"], corpus, Glossary())
    assert [m.text for m in details.check_sentence("The ROK joined.", plain, Glossary())] == ["ROK"]


def test_words_quoted_from_a_paraphrase_are_not_carried():
    """A reference-only source's paraphrase is the analyst's wording: it cannot carry words
    a sentence puts in quotation marks, even where the paraphrase holds them."""
    source = _source("ref", {"outlet": "NATO", "title": "Press release", "date": _dt.date(2024, 10, 28)})
    extract = Extract(id="ref-1", paraphrase="NATO describes the partnership as a strategic one.",
                      topics=["fixture"])
    corpus = Corpus({"ref-1": Record(extract, source)})
    evidence = evidence_text.gather(["ref-1"], corpus, Glossary())
    misses = details.check_sentence("NATO calls the partnership “a strategic one”.", evidence, Glossary())
    assert [(m.kind, m.text) for m in misses] == [("quotation", "a strategic one")]
    quoted = details.check_sentence("NATO describes the partnership as a strategic one.", evidence, Glossary())
    assert quoted == []


def test_a_detail_the_caveat_corrects_names_the_extract():
    """The warning for a repeated error says which extract's caveat corrects it."""
    pair = next(p for p in PAIRS if "75 years" in p[0]["sentence"] and "75" in p[0]["unsupported"])
    data, corpus, keys = pair
    evidence = evidence_text.gather(keys, corpus, Glossary())
    [miss] = details.check_sentence(data["sentence"], evidence, Glossary())
    assert (miss.kind, miss.text, miss.corrected_by) == ("number", "75", keys[0])
    assert miss.message() == f"\u201c75\u201d repeats what the caveat of {keys[0]} corrects"


def test_the_evidence_kept_in_the_archive_memo_holds_no_reference_back_to_it():
    """Each note's evidence is kept in the archive's memo tables: one that pointed back
    to the archive would keep it, and its index's connection, alive after the command
    until a garbage collection (a damaged index then went unseen by the next build)."""
    import gc

    from briefgen import checks
    from briefgen.commands.common import build_document
    from briefgen.workspace import open_workspace
    from workspaces import WORKSPACE

    w = open_workspace(WORKSPACE)
    corpus, settings = w.corpus(), w.settings()
    for topic in w.topics():
        loaded, doc = build_document(w, topic, settings, lambda *_: None)
        checks.run(doc, corpus, settings, loaded)
    kept = list(corpus.memo["evidence"]._table.values())
    assert len(kept) >= 50
    from briefgen.checks.evidence_text import gather

    never_asked = gather(kept[0].keys, corpus, checks.glossary_of(settings))
    for ev in [*kept, never_asked]:
        assert ev.records and all(corpus is not ref and corpus.extracts is not ref
                                  for ref in gc.get_referents(ev)), ev.keys
