"""The sourcing profile and the review copy's findings, on small workspaces."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from briefgen.cli import main
from workspaces import edit, make_workspace


def _house_thresholds(ws) -> None:
    """The repository's thresholds (the test workspace relaxes them)."""
    settings = ws / "templates" / "settings.yaml"
    edit(settings, "max_source_share: 1.0", "max_source_share: 0.5")
    edit(settings, "max_source_age_days: 1000", "max_source_age_days: 45")


def _check_json(ws, capsys) -> dict:
    main(["--root", str(ws), "check", "--json"])
    return json.loads(capsys.readouterr().out)


def test_profile_counts_notes_per_source_and_kind_and_finds_the_newest(tmp_path, capsys):
    ws = make_workspace(tmp_path)
    _house_thresholds(ws)
    data = _check_json(ws, capsys)
    profile = data["profiles"]["cyber"]
    spec = (ws / "briefs" / "cyber.yaml").read_text(encoding="utf-8")
    notes = spec.count("[@")
    assert profile["notes"] == notes
    assert [(s["id"], s["notes"], s["kind"]) for s in profile["sources"]] == [
        ("daily-2024-03-05", notes, "news")]
    assert profile["kinds"] == {"news": notes}
    assert profile["newest_source"] == {"id": "daily-2024-03-05", "date": "2024-03-05",
                                        "printed": "5 March 2024"}
    assert profile["days_after_newest_source"] == 241  # 5 March to 1 November 2024
    messages = [w["message"] for w in data["warnings"]]
    assert any(m.startswith(f"one source carries {notes} of the {notes} notes (100%") for m in messages)
    assert any("241 days after its newest source (5 March 2024; more than 45)" in m for m in messages)


def test_profile_thresholds_come_from_the_house_settings(tmp_path, capsys):
    ws = make_workspace(tmp_path)
    _house_thresholds(ws)
    settings = ws / "templates" / "settings.yaml"
    edit(settings, "max_source_share: 0.5", "max_source_share: 1.0")
    edit(settings, "max_source_age_days: 45", "max_source_age_days: 300")
    data = _check_json(ws, capsys)
    assert data["profiles"]["cyber"]["warnings"] == []
    assert not [w for w in data["warnings"] if "newest source" in w["message"]
                or "one source carries" in w["message"]]


def test_a_second_source_splits_the_profile(tmp_path, capsys):
    ws = make_workspace(tmp_path)
    seeds = ws / "seeds"
    (seeds / "think-2024-06.txt").write_text("Headline\nCyber talks moved on in June.\n", encoding="utf-8")
    (seeds / "think-2024-06.yaml").write_text(
        "source:\n  id: think-2024-06\n  kind: think-tank\n  text: think-2024-06.txt\n"
        "  publisher: Example Institute\n  date: 2024-06\n  accessed: 2026-11-23\n  front_matter: 1\n"
        "extracts:\n  - id: think-talks\n    quote: Cyber talks moved on in June.\n    topics: [cyber]\n",
        encoding="utf-8")
    edit(ws / "briefs" / "cyber.yaml", "Officials named cyber cooperation a priority [@daily-cyber-priority].",
         "Cyber talks moved on in June 2024 [@think-talks].")
    profile = _check_json(ws, capsys)["profiles"]["cyber"]
    assert {s["id"]: s["kind"] for s in profile["sources"]} == {
        "daily-2024-03-05": "news", "think-2024-06": "think tank"}
    assert profile["kinds"]["think tank"] == 1
    assert profile["newest_source"]["printed"] == "June 2024"


@pytest.fixture()
def built(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    edit(ws / "briefs" / "cyber.yaml", '"Talks began in Brussels [@daily-annual-talks]."',
         '"Talks began in Brussels with 12 envoys from Oslo [@daily-annual-talks]."')
    out = tmp_path / "out"
    assert main(["--root", str(ws), "build", "cyber", "--out", str(out)]) == 0
    assert main(["--root", str(ws), "build", "cyber", "--review", "--out", str(out)]) == 0
    return out


def _document_xml(path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_both_outputs_print_the_evidence_cut_off_in_the_title_block(built):
    from pypdf import PdfReader

    for name in ("cyber", "cyber-review"):
        xml = _document_xml(built / f"{name}.docx")
        assert "Sources to 5 March 2024" in xml
        first_page = PdfReader(str(built / f"{name}.pdf")).pages[0].extract_text()
        assert "Sources to 5 March 2024" in first_page
        title_end = first_page.index("Sources to 5 March 2024")
        assert title_end < first_page.index("Question")


def test_review_copy_opens_with_the_profile_and_highlights_unsupported_details(built):
    xml = _document_xml(built / "cyber-review.docx")
    assert xml.index("Sourcing profile") < xml.index("Question")
    profile = xml.split("Question")[0]
    assert "Notes (share)" in profile and "Doe" in profile and "100%" in profile

    highlighted = re.findall(r'<w:r><w:rPr>(?:(?!</w:r>).)*<w:highlight w:val="yellow"/></w:rPr>'
                             r'<w:t[^>]*>([^<]*)</w:t>', xml)
    assert highlighted == ["12", "envoys", "Oslo"]  # a number, a role and a name the evidence lacks
    plain = _document_xml(built / "cyber.docx")
    assert "w:highlight" not in plain and "Sourcing profile" not in plain


def test_importing_the_profile_imports_no_check():
    """A DOCX build reads the profile before the checks run: importing ``checks.profile``
    (and so the ``checks`` package) loads none of the checks."""
    import subprocess
    import sys

    probe = ("import sys, briefgen.checks.profile; "
             "print(' '.join(sorted(m for m in sys.modules if m.startswith('briefgen.checks.'))))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    loaded = set(out.split())
    assert "briefgen.checks.profile" in loaded
    checks = {"claims", "hedges", "roles", "scope", "degree", "details", "dates", "speakers",
              "unsourced", "readers", "sentences"}
    assert not loaded & {f"briefgen.checks.{name}" for name in checks}, loaded
