"""The chronology: dates keep their precision and may be ranges; rows merge by event id
or a declared same_as, with one wording and that wording's own evidence."""

from __future__ import annotations

import zipfile

import pytest

from briefgen.cli import main
from briefgen.commands.timeline import merged_events
from briefgen.models import EventDate
from briefgen.workspace import open_workspace
from workspaces import edit, make_workspace


@pytest.mark.parametrize(("written", "dmy", "mdy"), [
    ("2022-07/2022-09", "July–September 2022", "July–September 2022"),
    ("2023-12-13/2023-12-15", "13–15 December 2023", "December 13–15, 2023"),
    ("2022/2023", "2022–2023", "2022–2023"),
    ("2023-12/2024-01", "December 2023–January 2024", "December 2023–January 2024"),
    ("2023-07-11", "11 July 2023", "July 11, 2023"),
    ("2023-07", "July 2023", "July 2023"),
])
def test_event_dates_keep_their_precision_and_may_be_ranges(written, dmy, mdy):
    date = EventDate.model_validate(written)
    assert (date.text("dmy"), date.text("mdy"), date.iso()) == (dmy, mdy, written)


def test_a_range_must_not_end_before_it_starts():
    with pytest.raises(ValueError, match="ends before it starts"):
        EventDate.model_validate("2023-09/2023-07")


def test_year_or_month_only_sorts_after_the_dated_events_of_its_period():
    order = ["2022-06", "2022-06-29", "2022", "2022-11-01", "2022-07/2022-09"]
    ordered = sorted(order, key=lambda d: EventDate.model_validate(d).sort_key())
    assert ordered == ["2022-06-29", "2022-06", "2022-07/2022-09", "2022-11-01", "2022"]


def _two_topics(tmp_path, other_events: str):
    ws = make_workspace(tmp_path / "ws")
    spec = (ws / "briefs" / "cyber.yaml").read_text(encoding="utf-8")
    head, _, _ = spec.partition("events:")
    (ws / "briefs" / "other.yaml").write_text(
        head.replace("topic: cyber", "topic: other") + "events:\n" + other_events, encoding="utf-8")
    return ws


def _rows(ws):
    return merged_events(open_workspace(ws), ["cyber", "other"])


def test_events_sharing_an_id_are_one_row_with_one_wording_and_its_own_evidence(tmp_path):
    ws = _two_topics(tmp_path, '  - {id: talks-agreed, date: 2024-02, kind: meeting, '
                               'text: "Talks agreed, and cyber named a priority [@daily-cyber-priority]."}\n')
    edit(ws / "briefs" / "cyber.yaml", "{date: 2024-02-14, kind: agreement,",
         "{id: talks-agreed, date: 2024-02-14, kind: agreement,")
    (row,) = _rows(ws)
    assert row["topics"] == ["cyber", "other"]
    # the fuller wording, with its own citation only
    assert row["text"] == "Talks agreed, and cyber named a priority [@daily-cyber-priority]."
    assert row["keys"] == ["daily-cyber-priority"] and row["date"].iso() == "2024-02"


def test_same_as_merges_only_an_event_of_the_same_date_and_kind(tmp_path):
    ws = _two_topics(tmp_path, '  - {same_as: talks-agreed, date: 2024-02-14, kind: agreement, '
                               'text: "Military talks agreed [@daily-annual-talks]."}\n'
                               '  - {same_as: talks-agreed, date: 2024-02-15, kind: agreement, '
                               'text: "A later agreement [@daily-annual-talks]."}\n')
    edit(ws / "briefs" / "cyber.yaml", "{date: 2024-02-14, kind: agreement,",
         "{id: talks-agreed, date: 2024-02-14, kind: agreement,")
    rows = _rows(ws)
    assert [(r["date"].iso(), r["topics"]) for r in rows] == [
        ("2024-02-14", ["cyber", "other"]), ("2024-02-15", ["other"])]


def test_same_date_and_kind_alone_merge_nothing(tmp_path):
    ws = _two_topics(tmp_path, '  - {date: 2024-02-14, kind: agreement, '
                               'text: "A different agreement [@daily-cyber-priority]."}\n')
    assert len(_rows(ws)) == 2


def test_an_uncited_event_prints_no_empty_brackets(tmp_path, capsys):
    ws = _two_topics(tmp_path, '  - {date: 2023, kind: event, text: "Something happened."}\n')
    rows = _rows(ws)
    assert [r["text"] for r in rows if not r["keys"]] == ["Something happened."]
    assert main(["--root", str(ws), "timeline"]) == 0
    out = capsys.readouterr().out
    assert "[]" not in out and "Something happened." in out


def test_the_timeline_title_comes_from_the_settings(tmp_path, capsys):
    ws = make_workspace(tmp_path / "ws")
    settings = ws / "templates" / "settings.yaml"
    lines = [x for x in settings.read_text(encoding="utf-8").splitlines() if not x.startswith("timeline_title:")]
    settings.write_text("\n".join([*lines, 'timeline_title: "Events of the partnership"', ""]), encoding="utf-8")
    assert main(["--root", str(ws), "timeline", "--format", "docx", "--out", str(tmp_path)]) == 0
    with zipfile.ZipFile(tmp_path / "timeline.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "Events of the partnership" in xml and "Chronology of NATO" not in xml


def test_a_brief_prints_a_range_and_sorts_a_year_after_its_dated_events(tmp_path):
    from briefgen.commands.common import build_document
    from briefgen.document import Table, iter_blocks, plain_text

    ws = make_workspace(tmp_path / "ws")
    edit(ws / "briefs" / "cyber.yaml", "events:\n", "events:\n"
         '  - {date: 2024, kind: event, text: "A year of talks [@daily-annual-talks]."}\n'
         '  - {date: 2024-01/2024-02, kind: event, text: "Preparations [@daily-annual-talks]."}\n')
    w = open_workspace(ws)
    _, doc = build_document(w, "cyber", w.settings(), lambda *_: None)
    (table,) = [b for b in iter_blocks(doc.blocks) if isinstance(b, Table)]
    assert [plain_text(r[0]) for r in table.rows] == ["January–February 2024", "14 February 2024", "2024"]
