"""`briefgen check` and the foundation: loading, validation, verified extracts."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from briefgen.cli import main
from briefgen.corpus import load_corpus
from workspaces import ROOT, WORKSPACE, copy_repository_workspace, edit, make_workspace

LINE = re.compile(r"^[^\s:][^:]*:\d+: .+$")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path / "ws")


# --------------------------------------------------------------------------- the repository


def test_repository_checks_clean(capsys):
    code, out, err = run(capsys, "--root", str(WORKSPACE), "check")
    assert code == 0, err
    assert out.strip().splitlines()[-1].startswith("check passed")


def test_repository_json_counts(capsys):
    code, out, _ = run(capsys, "--root", str(WORKSPACE), "check", "--json")
    data = json.loads(out)
    assert code == 0
    # Expectations come from the archive and the specs, so adding a source or a topic
    # never turns this red.
    records = sorted((WORKSPACE / "seeds").glob("*.yaml"))
    assert data["sources"] == len(records)
    declared = [e for r in records for e in yaml.safe_load(r.read_text(encoding="utf-8")).get("extracts") or []]
    assert data["extracts"] == len(declared)
    assert data["topics"] == sorted(p.stem for p in (WORKSPACE / "briefs").glob("*.yaml"))
    by_topic = data["extracts_by_topic"]
    for topic in data["topics"]:  # every brief has extracts to cite
        assert by_topic.get(topic, 0) >= 1, topic
    assert data["problems"] == []


def test_archive_texts_are_verbatim_copies():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    originals = {p.read_bytes() for p in shared.glob("*.txt")}
    ours = {p.read_bytes() for p in (WORKSPACE / "seeds").glob("*.txt")}
    assert originals <= ours  # each text received is archived byte for byte


def test_every_source_is_used_and_every_extract_has_a_paragraph():
    corpus, problems = load_corpus(WORKSPACE / "seeds", WORKSPACE)
    assert problems == []
    used = {r.source.id for r in corpus.extracts.values()}
    assert used == set(corpus.sources)
    assert all(r.paragraph is None or r.paragraph >= 1 for r in corpus.extracts.values())


def test_corrupting_any_quotation_is_caught(tmp_path):
    """Change one word of each quotation in turn: each is reported at its own line."""
    root = copy_repository_workspace(tmp_path / "ws")
    corpus, _ = load_corpus(root / "seeds", root)
    for record in corpus.extracts.values():
        if record.extract.quote is None:  # a reference-only paraphrase: nothing to verify
            continue
        path = root / record.path
        original = path.read_text(encoding="utf-8")
        lines = original.splitlines(keepends=True)
        target = record.quote_line - 1
        words = re.findall(r"[A-Za-z]{4,}", lines[target].split("quote:", 1)[-1])
        assert words, f"no word to corrupt on {record.path}:{record.quote_line}"
        lines[target] = lines[target].replace(words[-1], words[-1][::-1] + "x", 1)
        path.write_text("".join(lines), encoding="utf-8")
        try:
            _, problems = load_corpus(root / "seeds", root)
        finally:
            path.write_text(original, encoding="utf-8")
        assert [(p.path, p.line) for p in problems] == [(record.path, record.quote_line)], record.id
        assert f"extract {record.id!r}: quotation not found" in problems[0].message


# --------------------------------------------------------------------------- verification


def test_quote_matching_ignores_only_space_quote_and_dash_style(ws):
    corpus, problems = load_corpus(ws / "seeds", ws)
    assert problems == []
    assert corpus.extracts["daily-annual-talks"].paragraph == 1
    assert corpus.extracts["daily-cyber-priority"].paragraph == 2


def test_wrong_word_names_file_line_and_closest_passage(ws, capsys):
    edit(ws / "seeds" / "daily-2024-03-05.yaml", "Cyber cooperation is a priority",
         "Cyber cooperation is the priority")
    code, _, err = run(capsys, "--root", str(ws), "check")
    assert code == 2
    first = err.splitlines()[0]
    assert first.startswith("seeds/daily-2024-03-05.yaml:18: extract 'daily-cyber-priority': quotation not found")
    assert "closest passage (seeds/daily-2024-03-05.txt, para. 2)" in first
    assert "\u201cthe\u201d where the source has \u201ca\u201d" in first


# --------------------------------------------------------------------------- errors a user can make

BAD_INPUTS = {
    "yaml syntax": ("seeds/daily-2024-03-05.yaml", "  kind: news-article\n", "  kind: [news-article\n",
                    r"seeds/daily-2024-03-05\.yaml:\d+: YAML syntax error"),
    "unknown field": ("seeds/daily-2024-03-05.yaml", "  outlet: The", "  outlett: The",
                      r"seeds/daily-2024-03-05\.yaml:6: unknown field 'source.outlett'"),
    "missing field": ("briefs/cyber.yaml", 'question: "Where does cyber cooperation stand?"\n', "",
                      r"briefs/cyber\.yaml:1: missing field 'question'"),
    "wrong type": ("briefs/cyber.yaml", "date: 2024-11-01", "date: next week",
                   r"briefs/cyber\.yaml:4: date: .*not a date"),
    "duplicate extract id": ("seeds/daily-2024-03-05.yaml", "id: daily-cyber-priority",
                             "id: daily-annual-talks",
                             r"seeds/daily-2024-03-05\.yaml:17: duplicate extract id 'daily-annual-talks'"),
    "duplicate key": ("briefs/cyber.yaml", 'short_title: "Cyber"', 'title: "Again"',
                      r"briefs/cyber\.yaml:3: duplicate key 'title' \(first on line 2\)"),
    "unknown citation": ("briefs/cyber.yaml", "[@daily-cyber-priority].\"\n  - \"Talks",
                         "[@daily-cyber-priorty].\"\n  - \"Talks",
                         r"briefs/cyber\.yaml:10: citation of unknown extract 'daily-cyber-priorty' "
                         r"\(did you mean 'daily-cyber-priority'\?\)"),
    "empty quotation": ("seeds/daily-2024-03-05.yaml", "quote: Cyber cooperation is a priority",
                        'quote: "  "', r"seeds/daily-2024-03-05\.yaml:18: extracts\.1\.quote: the quotation is empty"),
    "bad date": ("seeds/daily-2024-03-05.yaml", "date: 2024-03-05", "date: 2024-02-30",
                 r"seeds/daily-2024-03-05\.yaml:9: bad value '2024-02-30': day is out of range"),
    "unknown kind": ("seeds/daily-2024-03-05.yaml", "kind: news-article", "kind: newspaper",
                     r"seeds/daily-2024-03-05\.yaml:3: source\.kind: Input should be"),
    "malformed citation": ("briefs/cyber.yaml", "[@daily-annual-talks].\"\nkey_points",
                           "[@Daily Annual].\"\nkey_points",
                           r"briefs/cyber\.yaml:8: malformed citation \[@Daily Annual\]"),
    "text file missing": ("seeds/daily-2024-03-05.yaml", "text: daily-2024-03-05.txt",
                          "text: missing.txt", r"seeds/missing\.txt: file not found"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_with_location(ws, capsys, case):
    path, old, new, expected = BAD_INPUTS[case]
    edit(ws / path, old, new)
    code, out, err = run(capsys, "--root", str(ws), "check")
    assert code == 2
    errors = [line for line in err.splitlines() if not line.startswith("check failed")]
    assert errors, err
    assert re.match(expected, errors[0]), errors
    assert "Traceback" not in err
    for line in errors:
        assert re.match(r"^[^\s:][^:]*(:\d+)?: .+$", line), line


def test_unknown_topic_and_path_like_names(ws, capsys):
    code, _, err = run(capsys, "--root", str(ws), "check", "nuclear")
    assert code == 2 and "unknown topic 'nuclear' (topics: cyber)" in err
    for name in ("../cyber", "a/b", "..", "Cyber"):
        code, _, err = run(capsys, "--root", str(ws), "check", name)
        assert code == 2 and "is not a topic name" in err, name
    code, _, err = run(capsys, "--root", str(ws), "check", "briefs/cyber.yaml")
    assert code == 2 and err.splitlines()[0].endswith("did you mean 'cyber'?")


def test_uncited_statement_is_a_warning_and_strict_makes_it_an_error(ws, capsys):
    edit(ws / "briefs" / "cyber.yaml", "a priority [@daily-cyber-priority].\"\n  - id",
         "a priority [@daily-cyber-priority]. The talks were cordial and long.\"\n  - id")
    code, out, err = run(capsys, "--root", str(ws), "check")
    assert code == 0 and out.startswith("check passed")
    assert "statement of fact without a citation: \u201cThe talks were cordial and long.\u201d" in err
    code, _, err = run(capsys, "--root", str(ws), "check", "--strict")
    assert code == 2 and "without a citation" in err


def test_unused_extract_and_uncited_source_are_reported(ws, capsys):
    brief = ws / "briefs" / "cyber.yaml"
    text = brief.read_text().replace("; @daily-cyber-priority", "").replace(
        "[@daily-cyber-priority]", "[@daily-annual-talks]")
    brief.write_text(text)
    code, out, err = run(capsys, "--root", str(ws), "check")
    assert code == 0 and "used by no brief" not in out  # warnings go to stderr
    assert "extract 'daily-cyber-priority' is used by no brief" in err


def test_fact_conflicts_on_the_same_date_only(ws, capsys):
    seeds = ws / "seeds" / "daily-2024-03-05.yaml"
    edit(seeds, "    topics: [cyber]\n  - id: daily-cyber-priority",
         "    topics: [cyber]\n    facts:\n      - {key: exercises, value: 2, as_of: 2024-01-01}\n"
         "  - id: daily-cyber-priority")
    code, _, _ = run(capsys, "--root", str(ws), "check")
    assert code == 0  # different dates: both may be right
    edit(seeds, "as_of: 2024-01-01", "as_of: 2024-03-05")
    code, _, err = run(capsys, "--root", str(ws), "check")
    assert code == 2 and "fact exercises as of 2024-03-05" in err


def test_check_json_shape(ws, capsys):
    code, out, _ = run(capsys, "--root", str(ws), "check", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["sources"] == 1 and data["extracts"] == 2
    assert data["extracts_by_topic"] == {"cyber": 2}
    assert data["topics"] == ["cyber"] and data["problems"] == []


def test_list_shows_topics_with_titles_and_counts(ws, capsys):
    code, out, _ = run(capsys, "--root", str(ws), "list")
    assert code == 0
    assert out.strip() == "cyber  Cyber cooperation  (2 extracts, 7 citations)"


def test_empty_workspace(tmp_path, capsys):
    code, _, err = run(capsys, "--root", str(tmp_path), "check")
    assert code == 2 and "seeds: no seeds/ folder" in err


@pytest.mark.parametrize("command", ["build", "check", "list", "sources"])
def test_every_command_has_help_with_an_example(capsys, command):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "example" in out and f"briefgen {command}" in out


def test_version(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("briefgen 0.")
