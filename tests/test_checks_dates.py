"""Dates against sources, on small workspaces: what a source cannot report, and what it
could only preview."""

from __future__ import annotations

import json
from types import SimpleNamespace

from briefgen.checks import dates
from briefgen.cli import main
from briefgen.models import PartialDate
from workspaces import edit, make_workspace


def _findings(ws, capsys) -> list[dict]:
    code = main(["--root", str(ws), "check", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code in (0, 2)
    return [p for p in data["problems"] + data["warnings"] if p["message"].startswith("note ")]


def _brief(ws, bluf: str) -> None:
    edit(ws / "briefs" / "cyber.yaml", '"The allies hold annual military talks [@daily-annual-talks]."',
         f'"{bluf}"')


def test_a_source_cannot_report_a_date_after_it_was_published(tmp_path, capsys):
    ws = make_workspace(tmp_path)
    _brief(ws, "Talks were held in Brussels in October 2024 [@daily-annual-talks].")
    found = [f for f in _findings(ws, capsys) if "cannot report" in f["message"]]
    assert len(found) == 1
    assert "a source of 5 March 2024 cannot report October 2024" in found[0]["message"]
    lines = (ws / "briefs" / "cyber.yaml").read_text(encoding="utf-8").splitlines()
    assert found[0]["path"] == "briefs/cyber.yaml"
    assert found[0]["line"] == 1 + next(i for i, t in enumerate(lines) if "October 2024" in t)
    assert found[0]["severity"] == dates.CANNOT_REPORT


def test_an_expectation_is_no_report_of_the_event(tmp_path, capsys):
    ws = make_workspace(tmp_path)
    _brief(ws, "Talks in Brussels are to be held in October 2024 [@daily-annual-talks].")
    assert not [f for f in _findings(ws, capsys) if "cannot report" in f["message"]]


def test_a_past_event_cited_to_a_preview_is_reported_before_it_happened(tmp_path, capsys):
    ws = make_workspace(tmp_path)
    _brief(ws, "The first talks were held in Brussels on 5–6 March 2024 [@daily-annual-talks].")
    found = [f for f in _findings(ws, capsys) if "reported before it happened" in f["message"]]
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert "5–6 March 2024" in found[0]["message"]


def test_a_chronology_row_states_its_event_as_done(tmp_path, capsys):
    ws = make_workspace(tmp_path)
    edit(ws / "briefs" / "cyber.yaml", "date: 2024-02-14, kind: agreement",
         "date: 2024-03-05/2024-03-07, kind: agreement")
    found = [f for f in _findings(ws, capsys) if "reported before it happened" in f["message"]]
    lines = (ws / "briefs" / "cyber.yaml").read_text(encoding="utf-8").splitlines()
    assert [f["line"] for f in found] == [1 + next(i for i, t in enumerate(lines) if "kind: agreement" in t)]


def test_an_earlier_event_and_a_later_source_raise_nothing(tmp_path, capsys):
    ws = make_workspace(tmp_path)
    _brief(ws, "Talks were agreed in Brussels on 14 February 2024 [@daily-annual-talks].")
    assert not [f for f in _findings(ws, capsys)
                if "cannot report" in f["message"] or "before it happened" in f["message"]]


def _corpus(**extracts):
    return SimpleNamespace(extracts={k: SimpleNamespace(source=SimpleNamespace(date=PartialDate.model_validate(d)),
                                                        extract=SimpleNamespace(caveat=c))
                                     for k, (d, c) in extracts.items()})


def test_a_caveat_citing_a_later_source_supports_the_date():
    later = SimpleNamespace(text="Seoul was still asking in October 2024.", cite=["statement"])
    corpus = _corpus(commentary=("2023-07-13", later), statement=("2024-10-20", None))
    sentence = "In October 2024 Seoul was still pressing NATO."
    assert dates.check_sentence(sentence, ["commentary"], corpus) == []
    corpus = _corpus(commentary=("2023-07-13", "Seoul was still asking in October 2024."))
    (finding,) = dates.check_sentence(sentence, ["commentary"], corpus)
    assert "a source of 13 July 2023 cannot report October 2024" in finding.message


def test_a_source_known_only_to_the_month_previews_nothing_within_it():
    corpus = _corpus(monthly=("2024-07", None), daily=("2024-07-09", None))
    sentence = "The summit was held on 9–11 July 2024."
    assert dates.check_sentence(sentence, ["monthly"], corpus) == []
    assert [f.severity for f in dates.check_sentence(sentence, ["daily"], corpus)] == ["warning"]
    # a one-day event reported on its day is a report, not a preview
    assert dates.check_sentence("The summit was held on 9 July 2024.", ["daily"], corpus) == []
    # an undated source may be the newest: nothing can be said
    undated = SimpleNamespace(extracts={"u": SimpleNamespace(source=SimpleNamespace(date=None),
                                                             extract=SimpleNamespace(caveat=None))})
    assert dates.check_sentence("It happened in 2030.", ["u"], undated) == []
