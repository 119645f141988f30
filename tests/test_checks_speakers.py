"""Each view is given to the speaker its evidence names (``briefgen.checks.speakers``).

Unit cases read sentences and quotations made for the test; the end-to-end case gives a
view of the small test workspace's source to NATO, which that source names only as a
subject, and expects the warning at the spec line; every brief in ``briefs/`` must have
no such warning (its speakers are its evidence's).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pytest

from briefgen.checks import speakers
from briefgen.checks.text import Glossary
from briefgen.models import Extract, Person, Source
from stand_ins import Corpus, Record
from workspaces import WORKSPACE, edit, make_workspace

GLOSSARY = Glossary([["ROK", "Republic of Korea", "South Korea", "Seoul"],
                     ["Yoon Suk-yeol", "President Yoon", "Yoon"]])



def _said_by(quote: str, **source: Any) -> str:
    fields = {"id": "herald-2024-01-01", "kind": "news-article", "text": "herald-2024-01-01.txt",
              "outlet": "The Korea Herald", "accessed": _dt.date(2026, 12, 1),
              "authors": [Person(family="Ji", given="Da-gyum", surname_first=True)], **source}
    record = Record(Extract(id="x", quote=quote, topics=["t"]), Source.model_validate(fields))
    return speakers.speaker_text(["x"], Corpus({"x": record}), GLOSSARY)


QUOTE = ("Both sides agreed to establish a consultative body, the JCS explained. NATO and "
         "South Korea have stepped up cooperation since 2022, according to Col. Lee Sung-jun.")


@pytest.mark.parametrize("sentence", [
    "The Korea Herald reported that both sides agreed to set up a consultative body.",
    "The JCS said both sides agreed to set up a consultative body.",
    "Col. Lee said cooperation had grown since 2022.",
    "According to Colonel Lee, cooperation has grown since 2022.",
    "Ji Da-gyum writes that both sides agreed.",
    "South Korea’s Joint Chiefs of Staff said both sides agreed.",  # "South Korea" near a verb
    "A commentary says cooperation has grown.",                    # no named speaker
    "Officials said cooperation has grown.",
    "Cooperation was reported to have grown since 2022.",          # passive: no speaker
])
def test_a_speaker_the_evidence_names_is_accepted(sentence):
    assert speakers.check_sentence(sentence, _said_by(QUOTE), GLOSSARY, {"NATO", "JCS"}) == []


@pytest.mark.parametrize("sentence,speaker", [
    ("NATO said both sides agreed to set up a consultative body.", "NATO"),
    ("The Diplomat argues that cooperation has grown.", "Diplomat"),
    ("According to the Joint Chiefs of Staff, cooperation has grown.", "Joint Chiefs of Staff"),
    ("Previewing the talks in February 2024, NATO reported that cooperation had grown.", "NATO"),
    ("President Yoon told the envoys that cooperation had grown.", "President Yoon"),
])
def test_a_speaker_the_evidence_does_not_name_is_flagged(sentence, speaker):
    wrong = speakers.check_sentence(sentence, _said_by(QUOTE), GLOSSARY, {"NATO", "JCS"})
    assert [w.speaker for w in wrong] == [speaker]
    assert sentence[wrong[0].start:wrong[0].end].replace("\u2019s", "").endswith(speaker.split()[-1])


def test_a_name_the_quotation_gives_only_as_a_subject_is_no_speaker():
    said_by = _said_by("Additionally, NATO\u2019s heightened interest in the strategy was noted.")
    assert [w.speaker for w in speakers.check_sentence("NATO noted its interest.", said_by, GLOSSARY,
                                                       {"NATO"})] == ["NATO"]
    assert speakers.check_sentence("The Korea Herald noted NATO\u2019s interest.", said_by, GLOSSARY) == []


def test_an_official_document_speaks_through_its_title():
    source = Source.model_validate({"id": "nato-2022", "kind": "official-document", "title": "NATO 2022 Strategic Concept",
                                    "publisher": "NATO", "confirmed_in": "nato.int", "accessed": _dt.date(2026, 12, 1)})
    record = Record(Extract(id="y", paraphrase="China's ambitions challenge the Alliance.", topics=["t"]), source)
    said_by = speakers.speaker_text(["y"], Corpus({"y": record}), GLOSSARY)
    assert speakers.check_sentence("The Strategic Concept says China challenges the Alliance.", said_by, GLOSSARY) == []
    assert speakers.check_sentence("NATO says China challenges the Alliance.", said_by, GLOSSARY, {"NATO"}) == []
    assert [w.speaker for w in speakers.check_sentence(
        "Beijing says it challenges no one.", said_by, GLOSSARY, {"Beijing"})] == ["Beijing"]


def test_a_misattributed_view_is_a_warning_at_its_line(tmp_path, capsys):
    from briefgen.cli import main

    root = make_workspace(tmp_path)
    edit(root / "briefs/cyber.yaml", '"Officials named cyber cooperation a priority [@daily-cyber-priority]."',
         '"NATO said cyber cooperation was a priority [@daily-cyber-priority]."')
    lines = (root / "briefs/cyber.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "NATO said cyber" in text)
    assert main(["--root", str(root), "check"]) == 0
    err = capsys.readouterr().err
    assert (f"briefs/cyber.yaml:{line}: warning: note 5: the view is given to \u201cNATO\u201d, whom its "
            "evidence (daily-cyber-priority) does not name as saying it") in err
    assert main(["--root", str(root), "check", "--strict"]) == 2


def test_the_briefs_give_each_view_to_its_speaker(capsys):
    from briefgen.cli import main

    assert main(["--root", str(WORKSPACE), "check", "--json"]) in (0, 2)
    out = capsys.readouterr().out
    assert "the view is given to" not in out


COMMENTARY = {"id": "diplomat-2024-07", "kind": "commentary", "text": "diplomat-2024-07.txt",
              "outlet": "The Diplomat", "authors": []}


def test_a_commentary_speaks_for_its_authors_not_its_outlet():
    """An outlet published a commentary; the view is the commentary's or its author's."""
    unsigned = _said_by("Allies weigh China differently.", **COMMENTARY)
    wrong = speakers.check_sentence("The Diplomat says Allies weigh China differently.",
                                    unsigned, GLOSSARY, {"Diplomat"})
    assert [w.speaker for w in wrong] == ["Diplomat"]
    for fine in ("The Diplomat commentary says Allies weigh China differently.",
                 "According to a commentary in The Diplomat, Allies weigh China differently.",
                 "According to The Diplomat commentary, Allies weigh China differently."):
        assert speakers.check_sentence(fine, unsigned, GLOSSARY, {"Diplomat"}) == [], fine
    signed = _said_by("Allies weigh China differently.",
                      **{**COMMENTARY, "authors": [Person(family="Kim", given="Hana")]})
    assert speakers.check_sentence("Hana Kim argues that Allies weigh China differently.",
                                   signed, GLOSSARY, {"Hana", "Kim"}) == []


def test_a_think_tank_paper_speaks_for_its_publisher_only_when_unsigned():
    paper = {"id": "chair-2023", "kind": "think-tank", "text": "chair-2023.txt",
             "publisher": "The Korea Chair", "outlet": None}
    claim = "The Korea Chair argues that sales will grow."
    unsigned = _said_by("Sales will grow.", **paper, authors=[])
    assert speakers.check_sentence(claim, unsigned, GLOSSARY, {"Korea", "Chair"}) == []
    signed = _said_by("Sales will grow.", **paper, authors=[Person(family="Crescente", given="Anthony")])
    assert [w.speaker for w in speakers.check_sentence(claim, signed, GLOSSARY, {"Korea", "Chair"})] \
        == ["Korea Chair"]
