"""A title, heading or caption cannot carry a note, so it states no detail a note would
have to source (checks/unsourced.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.checks.unsourced import details
from briefgen.cli import main
from test_figures import _png
from workspaces import edit, make_workspace


@pytest.mark.parametrize(("text", "expected"), [
    ("Background", []),
    ("Partnership programmes, the Tallinn centre and North Korea, 2012–2024", []),
    ("Joint exercises per year, 2020–2024", []),
    ("South Korea joined NATO in 2021", ["2021"]),  # a year given to something done
    ("The summit of 11 July 2023", ["11 July 2023"]),
    ("South Korea became the 33rd member", ["33"]),
    ("Exercises rose from one to four", ["four"]),  # "one" is as often a pronoun
    # a number that labels a part of a document names it and states nothing
    ("Part 2: Cyber defence", []),
    ("1. Scope", []),
    ("Section 4.2: Outlook", []),
    ("Article 5 and the Indo-Pacific partners", []),
    ("Table 3: Joint exercises, 2020–2024", []),
    ("Part Two: the 12 projects", ["12"]),  # the label is not a licence for the rest
    ("2) Findings of 3 allies", ["3"]),
    ("12 allies joined", ["12"]),
])
def test_details_are_numbers_days_months_and_years_of_events(text, expected):
    assert details(text) == expected


def _check(root: Path, capsys) -> list[str]:
    capsys.readouterr()
    main(["--root", str(root), "check"])
    return [line for line in capsys.readouterr().err.splitlines() if "no note can source" in line]


def test_a_caption_or_heading_that_states_a_fact_is_a_warning_at_its_line(tmp_path, capsys):
    root = make_workspace(tmp_path / "ws")
    (root / "figures").mkdir()
    (root / "figures" / "map.png").write_bytes(_png())
    spec = root / "briefs" / "cyber.yaml"
    assert _check(root, capsys) == []
    anchor = '      - "Officials named cyber cooperation a priority [@daily-cyber-priority]."\n'
    edit(spec, anchor, anchor + "      - '![A map](figures/map.png \"Seoul joined the centre on 5 May 2022\")'\n")
    lines = spec.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines, 1) if "figures/map.png" in line)
    assert _check(root, capsys) == [
        f"briefs/cyber.yaml:{at}: warning: the caption of figure 1 states \u201c5 May 2022\u201d, "
        "which no note can source: say it in the brief's text, where it can be cited"]
    assert main(["--root", str(root), "check", "--strict"]) == 2
