"""Paragraphs as a reader counts them, Chicago elisions, citations that cannot go astray,
topics and files: each rule with a corruption that gives path:line, exit 2 and no
changed output."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.corpus import split_paragraphs
from briefgen.models import Source
from briefgen.quotes import TextIndex
from workspaces import edit, make_workspace

SEED = "seeds/daily-2024-03-05.yaml"
TEXT = "seeds/daily-2024-03-05.txt"
BRIEF = "briefs/cyber.yaml"

WRAPPED = """\
Allies agree annual talks

By Jane Doe

NATO and the Republic of Korea agreed on 14 February
to hold \u201cannual\u201d military talks \u2014 the first in Brussels.

Cyber cooperation is a priority, officials said,
citing the Cyber Coalition exercise.
"""


def _source(**extra) -> Source:
    return Source.model_validate({"id": "x", "kind": "news-article", "text": "x.txt",
                                  "outlet": "O", "accessed": "2026-11-23", **extra})


# --------------------------------------------------------------------------- 1. paragraphs


def test_blank_lines_separate_paragraphs_of_wrapped_lines():
    paras = split_paragraphs(WRAPPED, _source(front_matter=2))
    numbered = [p for p in paras if p.number]
    assert [p.number for p in numbered] == [1, 2]
    assert numbered[1].text.startswith("Cyber cooperation")
    assert (numbered[1].line, numbered[1].end_line) == (8, 9)


def test_without_blank_lines_each_line_is_a_paragraph_and_the_record_may_say_so():
    text = WRAPPED.replace("\n\n", "\n")
    assert [p.number for p in split_paragraphs(text, _source(front_matter=2)) if p.number] == [1, 2, 3, 4]
    # the record can override the detection
    said = split_paragraphs(WRAPPED, _source(front_matter=2, paragraphs="lines"))
    assert [p.number for p in said if p.number] == [1, 2, 3, 4]


def test_repository_sources_number_paragraphs_as_their_texts_separate_them(repo_root):
    from briefgen.corpus import load_corpus

    corpus, problems = load_corpus(repo_root / "seeds", repo_root)
    assert not [p for p in problems if p.severity == "error"]
    for record in corpus.sources.values():
        if not record.archived:
            continue
        text = (repo_root / record.text_path).read_text(encoding="utf-8")
        blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()] if re.search(r"\S\n\s*\n\s*\S", text) \
            else [ln for ln in text.splitlines() if ln.strip()]
        if record.source.paragraphs is None:
            assert len(record.paragraphs) >= len(blocks)  # furniture may split one block


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path / "ws")
    assert main(["--root", str(root), "build", "cyber"]) == 0
    return root


def _digest(root: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "briefs").iterdir()) if p.suffix in (".docx", ".pdf")}


def _fails(root: Path, capsys, argv: list[str], pattern: str) -> list[str]:
    """The command exits 2 with ``pattern`` on its first line and changes no output."""
    before = _digest(root)
    capsys.readouterr()
    code = main(["--root", str(root), *argv])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    lines = [ln for ln in err.splitlines() if not ln.startswith(("check failed", "warning"))
             and ": warning: " not in ln]
    assert lines and re.match(pattern, lines[0]), err
    assert "Traceback" not in err
    assert _digest(root) == before
    return lines


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in ln)


def test_a_quotation_across_a_paragraph_boundary_names_both(ws, capsys):
    (ws / TEXT).write_text(WRAPPED, encoding="utf-8")
    edit(ws / SEED, "quote: Cyber cooperation is a priority",
         "quote: the first in Brussels. Cyber cooperation is a priority")
    line = _line_of(ws / SEED, "the first in Brussels. Cyber")
    _fails(ws, capsys, ["build", "cyber"],
           rf"{SEED}:{line}: extract 'daily-cyber-priority': the quotation runs across a paragraph "
           rf"boundary, from para\. 1 \(line 5\) into para\. 2 \(line 8\)")


def test_the_annex_gives_the_paragraph_a_reader_counts(ws):
    (ws / TEXT).write_text(WRAPPED, encoding="utf-8")
    from briefgen.workspace import open_workspace

    record = open_workspace(ws).corpus().extracts["daily-cyber-priority"]
    assert record.paragraph == 2 and record.text_line == 8


# --------------------------------------------------------------------------- 2. elisions

PARA = "NATO and the Republic of Korea agreed on 14 February to hold annual military talks, the first in Brussels."


@pytest.mark.parametrize("quote", [
    "NATO and the Republic of Korea agreed \u2026 to hold annual military talks",
    "NATO and the Republic of Korea agreed . . . to hold annual military talks",
    "[The allies] agreed on 14 February to hold annual military talks",
    "[t]he Republic of Korea agreed [\u2026] to hold annual military talks",
    "\u2026 to hold annual military talks \u2026 in Brussels.",
])
def test_elisions_let_each_verbatim_segment_stand_in_order(quote):
    assert TextIndex([PARA]).find(quote) is not None


@pytest.mark.parametrize("quote", [
    "to hold annual military talks \u2026 NATO and the Republic",  # out of order
    "NATO and the Republic of Korea agreed \u2026 to hold yearly military talks",
])
def test_elided_segments_out_of_order_or_changed_are_not_found(quote):
    assert TextIndex([PARA]).find(quote) is None


def test_elided_segments_must_stand_within_one_paragraph():
    found = TextIndex(["NATO and the Republic agreed.", "Talks begin in Brussels."]).find(
        "NATO and the Republic \u2026 in Brussels.")
    assert found is not None and (found.first, found.last) == (0, 1)


@pytest.mark.parametrize("quote,expected", [
    ("agreed on 14 February to hold annual joint military talks",
     "the extract adds \u201cjoint\u201d after \u201cannual\u201d"),
    ("agreed on 14 February to hold annual talks",
     "the extract leaves out \u201cmilitary\u201d after \u201cannual\u201d"),
    ("agreed on 14 February to hold yearly military talks",
     "the extract has \u201cyearly\u201d where the source has \u201cannual\u201d"),
    ("Allies agreed on 14 February to hold annual military talks",
     "the extract has \u201cAllies\u201d where the source has"),
])
def test_the_hint_names_the_first_differing_word(quote, expected):
    near = TextIndex(["Something else entirely, about the weather.", PARA]).closest(quote)
    assert near is not None
    index, passage, difference = near
    assert index == 1 and "February to hold" in passage
    assert difference.startswith(expected), difference


def test_a_failed_elided_quotation_names_the_part_and_the_word(ws, capsys):
    edit(ws / SEED, "quote: Cyber cooperation is a priority",
         "quote: \"Cyber cooperation is the priority \u2026 citing the Cyber Coalition exercise\"")
    line = _line_of(ws / SEED, "Cyber cooperation is the priority")
    lines = _fails(ws, capsys, ["build", "cyber"],
                   rf"{SEED}:{line}: extract 'daily-cyber-priority': quotation not found")
    assert "\u201cthe\u201d where the source has \u201ca\u201d" in lines[0]


# A cut that turns what the source says into something else: inside a word, or leaving
# out a negation or a hedge of the words kept.
TURN = ("The ministry said the plan was not part of the talks. Seoul may join the "
        "exercise next year, officials said. It is unlikely to send troops.")


@pytest.mark.parametrize("quote", [
    "likely to send troops",                 # "unlikely", cut inside the word
    "ot part of the talks",                  # "not", cut inside the word
    "the plan was no",                       # ends inside "not"
])
def test_a_quotation_begins_and_ends_on_the_source_words(quote):
    assert TextIndex([TURN]).find(quote) is None


@pytest.mark.parametrize("quote", [
    "[t]he ministry said the plan",          # brackets may change part of a word
    "[T]he plan was not part of the talks",
    "ministry said \u2026 the plan",
])
def test_brackets_may_stand_for_part_of_a_word(quote):
    assert TextIndex([TURN]).find(quote) is not None


@pytest.mark.parametrize("quote,how,word", [
    ("the plan was \u2026 part of the talks", "elided", "not"),
    ("the plan was [\u2026] part of the talks", "elided", "not"),
    ("the plan was [indeed] part of the talks", "elided", "not"),
    ("Seoul \u2026 join the exercise next year", "elided", "may"),
    ("It is \u2026 to send troops", "elided", "unlikely"),
    ("part of the talks", "before", "not"),
    ("join the exercise next year", "before", "may"),
    ("It is [not] unlikely to send troops", "added", "not"),  # brackets add a negation
    ("[Seoul will not] join the exercise", "added", "not"),
    ("officials said [not]", "added", "not"),
])
def test_a_cut_may_not_drop_a_negation_or_a_hedge(quote, how, word):
    index = TextIndex([TURN])
    found = index.find(quote)
    assert found is not None
    assert index.dropped(quote, found.first) == (how, word)


@pytest.mark.parametrize("quote", [
    "the plan was not part of the talks",
    "the plan was not part \u2026 talks",
    "Seoul may join the exercise \u2026 officials said",
    # a negation in another sentence the omission passes over does not govern the words kept
    "The ministry said \u2026 officials said",
    "talks. Seoul may join",
    # brackets that give the same kind of word as the words they stand for
    "the plan was [never] part of the talks",
    "the plan was [not] part of the talks",
])
def test_a_cut_that_keeps_the_turning_words_is_accepted(quote):
    index = TextIndex([TURN])
    found = index.find(quote)
    assert found is not None and index.dropped(quote, found.first) is None


def test_an_elided_negation_is_an_error_at_the_quotation(ws, capsys):
    text = (ws / "seeds/daily-2024-03-05.txt").read_text(encoding="utf-8")
    edit(ws / "seeds/daily-2024-03-05.txt", "Cyber cooperation is a priority",
         "Cyber cooperation is not a priority")
    assert "Cyber cooperation is not a priority" in (ws / "seeds/daily-2024-03-05.txt").read_text(
        encoding="utf-8") != text
    edit(ws / SEED, "quote: Cyber cooperation is a priority", "quote: \"Cyber cooperation is \u2026 a priority\"")
    line = _line_of(ws / SEED, "Cyber cooperation is \u2026 a priority")
    lines = _fails(ws, capsys, ["build", "cyber"],
                   rf"{SEED}:{line}: extract 'daily-cyber-priority': the omission leaves out \u201cnot\u201d")
    assert "seeds/daily-2024-03-05.txt, para. 2" in lines[0]


def test_the_printed_quotation_keeps_the_marks(ws):
    from briefgen import evidence
    from briefgen.commands.build import build_document
    from briefgen.workspace import open_workspace

    edit(ws / SEED, "quote: Cyber cooperation is a priority",
         "quote: \"Cyber cooperation is a priority \u2026 citing the Cyber Coalition exercise\"")
    w = open_workspace(ws)
    _, doc = build_document(w, "cyber", w.settings(), lambda p: None)
    evidence.attach(doc, w.corpus(), w.settings())
    quotes = {e.quote for n in doc.notes() for e in n.evidence}
    assert "Cyber cooperation is a priority \u2026 citing the Cyber Coalition exercise" in quotes


# --------------------------------------------------------------------------- 5. citations


@pytest.mark.parametrize("old,new,needle,pattern", [
    ("[@daily-cyber-priority].\"\n  - \"Talks", "[daily-cyber-priority].\"\n  - \"Talks",
     "[daily-cyber-priority]", r"\[daily-cyber-priority\] is not a citation \(no @\)"),
    ("[@daily-cyber-priority].\"\n  - \"Talks", "@daily-cyber-priority.\"\n  - \"Talks",
     "@daily-cyber-priority.", r"a bare @daily-cyber-priority is not a citation"),
    ("[@daily-cyber-priority].\"\n  - \"Talks", "[@daily-cyber-priority, para. 3].\"\n  - \"Talks",
     "para. 3", r"unknown suffix 'para\. 3'"),
    ('title: "Cyber cooperation"', 'title: "Cyber cooperation [@daily-cyber-priority]"',
     "title:", r"a citation in the title cannot carry a note"),
    ('short_title: "Cyber"\n', 'short_title: "Cyber"\nsubtitle: "Talks [@daily-annual-talks]"\n',
     "subtitle:", r"a citation in the subtitle cannot carry a note"),
    ("heading: Background", "heading: Background [@daily-cyber-priority]",
     "heading: Background", r"a citation in a heading cannot carry a note"),
    ("keywords: [cyber]", "keywords: [cyber, daily-annual-talks, \"[daily-annual-talks]\"]",
     "keywords:", r"\[daily-annual-talks\] is not a citation"),
    ("text: \"Annual military talks agreed [@daily-annual-talks].\"",
     "text: \"Annual military talks agreed [daily-annual-talks].\"",
     "Annual military talks agreed", r"\[daily-annual-talks\] is not a citation"),
])
def test_citation_shaped_text_is_an_error_at_its_line(ws, capsys, old, new, needle, pattern):
    edit(ws / BRIEF, old, new)
    line = _line_of(ws / BRIEF, needle)
    _fails(ws, capsys, ["build", "cyber"], rf"{BRIEF}:{line}: .*{pattern}")


def test_error_names_the_line_of_the_citation_in_a_folded_paragraph(ws, capsys):
    edit(ws / BRIEF, '      - "Officials named cyber cooperation a priority [@daily-cyber-priority]."',
         "      - >-\n        Officials named cyber cooperation\n        a priority, as the report"
         "\n        says [@daily-cyber-priorty].")
    _fails(ws, capsys, ["check"], rf"{BRIEF}:{_line_of(ws / BRIEF, '[@daily-cyber-priorty]')}: "
                                  r"citation of unknown extract 'daily-cyber-priorty'")


def test_the_correction_suffix_pins_the_correction(ws):
    from briefgen.commands.build import build_document
    from briefgen.workspace import open_workspace

    edit(ws / BRIEF, "Talks began in Brussels [@daily-annual-talks].",
         "Talks began in Brussels [@daily-annual-talks, correction].")
    w = open_workspace(ws)
    _, doc = build_document(w, "cyber", w.settings(), lambda p: None)
    pinned = [c for n in doc.notes() for c in n.citations if c.pin_correction]
    assert [c.key for c in pinned] == ["daily-annual-talks"]


# --------------------------------------------------------------------------- build = check


def test_build_prints_the_lint_and_strict_stops_it(ws, capsys):
    edit(ws / BRIEF, "Officials named cyber cooperation a priority [@daily-cyber-priority].",
         "Officials named cyber cooperation a priority. Nobody cited this sentence at all.")
    capsys.readouterr()
    assert main(["--root", str(ws), "build", "cyber"]) == 0
    err = capsys.readouterr().err
    assert "warning: statement of fact without a citation" in err
    line = _line_of(ws / BRIEF, "Nobody cited this sentence")
    _fails(ws, capsys, ["build", "cyber", "--strict"],
           rf"{BRIEF}:{line}: statement of fact without a citation")


# --------------------------------------------------------------------------- 6. topics, files


def test_an_unknown_topic_tag_is_a_warning_with_did_you_mean(ws, capsys):
    edit(ws / SEED, "  - id: daily-cyber-priority\n    quote: Cyber cooperation is a priority\n    topics: [cyber]",
         "  - id: daily-cyber-priority\n    quote: Cyber cooperation is a priority\n    topics: [cyber, cyberr]")
    capsys.readouterr()
    assert main(["--root", str(ws), "check"]) == 0
    out = capsys.readouterr()
    line = _line_of(ws / SEED, "cyberr")
    assert (f"{SEED}:{line}: warning: extract 'daily-cyber-priority': no brief has topic 'cyberr'; "
            "did you mean 'cyber'?") in out.err + out.out
    _fails(ws, capsys, ["check", "--strict"], rf"{SEED}:{line}: extract 'daily-cyber-priority': no brief")


def test_citing_an_extract_not_tagged_with_the_topic_is_a_warning(ws, capsys):
    shutil.copy(ws / BRIEF, ws / "briefs" / "nuclear.yaml")
    edit(ws / "briefs" / "nuclear.yaml", "topic: cyber", "topic: nuclear")
    capsys.readouterr()
    assert main(["--root", str(ws), "check", "nuclear"]) == 0
    out = capsys.readouterr()
    assert re.search(r"briefs/nuclear\.yaml:\d+: warning: extract 'daily-annual-talks' is not tagged "
                     r"with topic 'nuclear'", out.err + out.out)


def test_a_yml_spec_is_refused_with_a_clear_message(ws, capsys):
    shutil.copy(ws / BRIEF, ws / "briefs" / "nuclear.yml")
    _fails(ws, capsys, ["check"], r"briefs/nuclear\.yml: briefgen reads specs named <topic>\.yaml, not "
                                  r"\.yml: rename it nuclear\.yaml")
    _fails(ws, capsys, ["build", "nuclear"], r"briefs/nuclear\.yml: briefgen reads specs")


def test_a_yml_record_is_refused_with_a_clear_message(ws, capsys):
    shutil.copy(ws / SEED, ws / "seeds" / "other.yml")
    _fails(ws, capsys, ["build", "cyber"], r"seeds/other\.yml: briefgen reads records named <id>\.yaml")


def test_check_names_every_file_it_ignores(ws, capsys):
    (ws / "seeds" / "notes.md").write_text("my notes")
    (ws / "briefs" / "Draft Brief.yaml").write_text("topic: x")
    (ws / "briefs" / "todo.txt").write_text("x")
    capsys.readouterr()
    main(["--root", str(ws), "check"])
    out = capsys.readouterr()
    text = out.err + out.out
    for name in ("seeds/notes.md", "briefs/Draft Brief.yaml", "briefs/todo.txt"):
        assert f"{name}: warning: ignored file" in text
    assert "cyber.docx: warning" not in text  # outputs are not ignored input


# --------------------------------------------------------------------------- 3. counts, --archived-only

NATO = """\
source:
  id: nato-2024-03-01
  kind: press-release
  title: "NATO and the Republic of Korea hold cyber talks"
  publisher: NATO
  date: 2024-03-01
  accessed: 2026-11-23
  confirmed_in: "NATO press release of 1 March 2024"
extracts:
  - id: nato-cyber-talks
    paraphrase: "NATO and the ROK held cyber talks in March 2024."
    locator: "para. 2"
    topics: [cyber]
"""


def test_check_json_counts_archived_and_reference_only_citations(ws, capsys):
    (ws / "seeds" / "nato-2024-03-01.yaml").write_text(NATO)
    edit(ws / BRIEF, "Talks began in Brussels [@daily-annual-talks].",
         "Talks began in Brussels [@daily-annual-talks; @nato-cyber-talks].")
    capsys.readouterr()
    assert main(["--root", str(ws), "check", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    from briefgen.workspace import open_workspace

    keys = [k for _, k in open_workspace(ws).brief("cyber").cited_keys()]
    assert data["citations"]["cyber"] == {"archived": len(keys) - 1, "reference_only": 1}
    line = _line_of(ws / BRIEF, "@nato-cyber-talks")
    for command in ("check", "build"):
        argv = [command, "cyber", "--archived-only"] if command == "build" else [command, "--archived-only"]
        _fails(ws, capsys, argv, rf"{BRIEF}:{line}: citation of 'nato-cyber-talks', a reference-only "
                                 r"source \(not archived: not verified against a text\)")


def test_checking_one_topic_reports_only_extracts_no_brief_uses(ws, capsys):
    nuclear = ws / "briefs" / "nuclear.yaml"
    shutil.copy(ws / BRIEF, nuclear)
    edit(nuclear, "topic: cyber", "topic: nuclear")
    text = nuclear.read_text(encoding="utf-8")
    nuclear.write_text(text.replace("; @daily-cyber-priority", "").replace(
        "@daily-cyber-priority", "@daily-annual-talks"), encoding="utf-8")
    edit(ws / SEED, "quote: Cyber cooperation is a priority\n    topics: [cyber]",
         "quote: Cyber cooperation is a priority\n    topics: [cyber, nuclear]")
    capsys.readouterr()
    main(["--root", str(ws), "check", "nuclear"])
    out = capsys.readouterr()
    assert "daily-cyber-priority' (topic nuclear) is used by no brief" not in out.err + out.out
    # once the cyber brief no longer cites it either, it is used by no brief
    text = (ws / BRIEF).read_text(encoding="utf-8")
    (ws / BRIEF).write_text(text.replace("; @daily-cyber-priority", "").replace(
        "@daily-cyber-priority", "@daily-annual-talks"), encoding="utf-8")
    main(["--root", str(ws), "check", "nuclear"])
    out = capsys.readouterr()
    assert re.search(rf"{SEED}:\d+: warning: extract 'daily-cyber-priority' \(topic nuclear\) is used "
                     r"by no brief", out.err + out.out)
