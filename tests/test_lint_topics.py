"""A topic tag no brief has: one warning per topic, never one per extract.

An archive that grows for years tags thousands of extracts; a topic of its own (or a
typo repeated) must not print thousands of lines on every build. The warning names the
first extract that carries the topic, where it is, and how many more do. ``check`` and
``build`` word it alike, with the index and without it. Expectations come from the
records in ``seeds/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from briefgen.cli import main
from workspaces import copy_repository_workspace

TOPICS_LINE = re.compile(r"^(\s+topics: \[)")


def tag_extracts(root: Path, topic: str, limit: int | None = None) -> list[tuple[str, int, str]]:
    """Add ``topic`` to the topics of the archive's extracts (the first ``limit`` of them, in
    archive order); (record as shown, line of its topics, extract id) of each tagged one."""
    tagged: list[tuple[str, int, str]] = []
    for record in sorted((root / "seeds").glob("*.yaml")):
        lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
        ids = [e["id"] for e in yaml.safe_load("".join(lines)).get("extracts") or []]
        at = [n for n, line in enumerate(lines) if TOPICS_LINE.match(line)]
        assert len(at) == len(ids), f"{record}: one flow-style topics line per extract"
        for n, extract in zip(at, ids):
            if limit is not None and len(tagged) >= limit:
                break
            lines[n] = TOPICS_LINE.sub(rf"\g<1>{topic}, ", lines[n])
            tagged.append((f"seeds/{record.name}", n + 1, extract))
        record.write_text("".join(lines), encoding="utf-8")
    return tagged


def run(capsys, monkeypatch, root: Path, *argv: str, index: bool = True) -> tuple[int, list[str]]:
    monkeypatch.setenv("BRIEFGEN_NO_INDEX", "" if index else "1")
    code = main(["--root", str(root), *argv])
    out = capsys.readouterr()
    return code, (out.err + out.out).splitlines()


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return copy_repository_workspace(tmp_path / "ws")


def test_a_topic_no_brief_has_is_one_warning_with_a_count_and_the_first_place(
        archive, tmp_path, capsys, monkeypatch):
    tagged = tag_extracts(archive, "archive-only")
    assert len(tagged) > 2
    path, line, first = tagged[0]
    want = (f"{path}:{line}: warning: extract {first!r} and {len(tagged) - 1:,} more carry topic "
            "'archive-only', which no brief has (topics: ")
    for argv in (["check"], ["build", "cyber", "--format", "docx", "--out", str(tmp_path / "o")]):
        code, lines = run(capsys, monkeypatch, archive, *argv)
        assert code == 0, lines
        about = [x for x in lines if "'archive-only'" in x]
        assert len(about) == 1 and about[0].startswith(want), about


def test_a_repeated_typo_is_one_warning_with_did_you_mean(archive, capsys, monkeypatch):
    tagged = tag_extracts(archive, "cyberr", limit=3)
    path, line, first = tagged[0]
    code, lines = run(capsys, monkeypatch, archive, "check")
    assert code == 0
    assert [x for x in lines if "'cyberr'" in x] == [
        f"{path}:{line}: warning: extract {first!r} and 2 more carry topic 'cyberr', which no "
        "brief has; did you mean 'cyber'?"]
    code, lines = run(capsys, monkeypatch, archive, "check", "--strict")
    assert code == 2
    assert f"{path}:{line}: extract {first!r} and 2 more carry topic 'cyberr'" in "\n".join(lines)


def test_what_is_reported_is_the_same_with_and_without_the_index(archive, tmp_path, capsys,
                                                                  monkeypatch):
    tag_extracts(archive, "archive-only")
    tag_extracts(archive, "cyberr", limit=1)  # one extract: the message names it alone
    for argv in (["check"], ["check", "--json"],
                 ["build", "--all", "--format", "docx", "--out", str(tmp_path / "o")]):
        without = run(capsys, monkeypatch, archive, *argv, index=False)
        cold = run(capsys, monkeypatch, archive, *argv)
        warm = run(capsys, monkeypatch, archive, *argv)
        assert without == cold == warm, argv
    assert any("warning: extract" in x and "no brief has topic 'cyberr'" in x for x in without[1])


def test_a_source_no_brief_cites_is_one_warning_for_it_and_its_extracts(tmp_path, capsys,
                                                                           monkeypatch):
    """Its extracts are not named one by one; an unused extract of a cited source is."""
    from workspaces import SOURCE_TEXT, SOURCE_YAML, make_workspace

    root = make_workspace(tmp_path / "ws")
    seeds = root / "seeds"
    (seeds / "other-2024-03-05.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    (seeds / "other-2024-03-05.yaml").write_text(SOURCE_YAML.replace("daily-", "other-"),
                                                 encoding="utf-8")
    held = [e["id"] for e in yaml.safe_load(SOURCE_YAML.replace("daily-", "other-"))["extracts"]]
    assert len(held) > 1
    code, lines = run(capsys, monkeypatch, root, "check")
    assert code == 0, lines
    line = next(n for n, text in enumerate(SOURCE_YAML.splitlines(), 1) if text.startswith("source:"))
    assert (f"seeds/other-2024-03-05.yaml:{line}: warning: source 'other-2024-03-05' is cited by "
            f"no brief, nor is any of its {len(held)} extracts used") in lines
    assert not [x for x in lines if "other-" in x and "used by no brief" in x]
    assert run(capsys, monkeypatch, root, "check", index=False) == (code, lines)
