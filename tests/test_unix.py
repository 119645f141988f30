"""briefgen as a Unix citizen: pipes, full devices, stdout/stderr, --keep-going, completion."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.cli import main
from workspaces import ROOT, copy_repository_workspace, edit, make_workspace

SRC = str(Path(__file__).resolve().parent.parent / "src")


def briefgen(*argv: str, cwd: Path | None = None, stdout=subprocess.PIPE, env_extra=None,
             **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "briefgen", *argv], check=False, cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, env=env, timeout=120, **kw)


def test_closed_pipe_is_not_a_traceback():
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.run(f'"{sys.executable}" -m briefgen --root "{ROOT}" timeline | head -1',
                          check=False, shell=True, capture_output=True, text=True, env=env, timeout=120)
    assert proc.stdout.startswith("Date")
    assert len(proc.stdout.splitlines()) == 1
    assert proc.stderr == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_full_device_is_one_line_not_a_traceback():
    with open("/dev/full", "w") as full:
        proc = briefgen("--root", str(ROOT), "sources", stdout=full)
    assert proc.returncode == 1
    assert proc.stderr.strip() == "briefgen: cannot write the output: No space left on device"


def test_results_to_stdout_warnings_to_stderr(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    edit(ws / "briefs" / "cyber.yaml", "a priority [@daily-cyber-priority].\"\n  - id",
         "a priority [@daily-cyber-priority]. The talks were long.\"\n  - id")
    proc = briefgen("check", cwd=ws)
    assert proc.returncode == 0
    assert proc.stdout.startswith("check passed") and "warning" not in proc.stdout.split(";")[0]
    assert "briefs/cyber.yaml:" in proc.stderr and "without a citation" in proc.stderr
    proc = briefgen("build", "cyber", "--format", "docx", "--out", str(tmp_path / "out"), cwd=ws)
    assert proc.returncode == 0
    assert proc.stdout.startswith("wrote ") and "without a citation" not in proc.stdout


def test_workspace_is_found_from_a_subfolder_and_root_follows_the_command(tmp_path, capsys):
    ws = make_workspace(tmp_path / "ws")
    proc = briefgen("list", cwd=ws / "briefs")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("cyber  Cyber cooperation")
    assert main(["check", "--root", str(ws)]) == 0
    assert capsys.readouterr().out.startswith("check passed: 1 sources")
    assert main(["--root", str(ws), "check"]) == 0


def test_keep_going_builds_what_it_can_and_reports_the_rest(tmp_path, capsys):
    ws = copy_repository_workspace(tmp_path / "ws")
    topics = sorted(p.stem for p in (ws / "briefs").glob("*.yaml"))
    bad = topics[0]
    before = b"previous good file"
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{bad}.docx").write_bytes(before)
    edit(ws / "briefs" / f"{bad}.yaml", "\ndate: ", "\ndate: not-a-date #")
    code = main(["--root", str(ws), "build", "--all", "--format", "docx", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""  # without --keep-going nothing is built
    code = main(["--root", str(ws), "build", "--all", "--keep-going", "--format", "docx",
                 "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.docx" for t in topics)
    assert (out / f"{bad}.docx").read_bytes() == before
    assert [line.split()[1] for line in captured.out.splitlines()] == [
        f"{out}/{t}.docx" for t in topics if t != bad]
    err = [line for line in captured.err.splitlines() if ": warning: " not in line]
    assert err[0].startswith(f"briefs/{bad}.yaml:") and "date" in err[0]
    assert err[-1].startswith(f"build incomplete: {len(topics) - 1} of {len(topics)} topic(s) built")


def test_keep_going_skips_topics_citing_a_broken_source(tmp_path, capsys):
    ws = make_workspace(tmp_path / "ws")
    edit(ws / "seeds" / "daily-2024-03-05.yaml", "quote: Cyber cooperation is a priority",
         "quote: Cyber cooperation is no priority")
    code = main(["--root", str(ws), "build", "cyber", "--keep-going", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "seeds/daily-2024-03-05.yaml:" in err and "quotation not found" in err
    assert "briefs/cyber.yaml:" in err and "failed to load" in err
    assert list((tmp_path / "o").iterdir()) == []


def test_help_is_wrapped_to_the_terminal():
    proc = briefgen("build", "--help", env_extra={"COLUMNS": "60"})
    assert proc.returncode == 0
    assert max(len(line) for line in proc.stdout.splitlines()) <= 60
    assert "  briefgen build cyber" in proc.stdout  # examples keep their lines


def test_shell_completion_offers_commands_and_topics(tmp_path):
    pytest.importorskip("argcomplete")
    ws = make_workspace(tmp_path / "ws")
    result = tmp_path / "completions"

    def complete(line: str) -> list[str]:
        env = {"_ARGCOMPLETE": "1", "_ARGCOMPLETE_IFS": "\n", "COMP_LINE": line,
               "COMP_POINT": str(len(line)), "_ARGCOMPLETE_STDOUT_FILENAME": str(result)}
        proc = briefgen(env_extra=env, cwd=ws)
        assert proc.returncode == 0, proc.stderr
        return [word.strip() for word in result.read_text().split("\n")]

    assert "build" in complete("briefgen bu")
    assert complete("briefgen build cy") == ["cyber"]
    assert "--keep-going" in complete("briefgen build --ke")
