"""The command's garbage collector: a small build never collects; a large one collects
after its first ``FIRST_THRESHOLD`` objects, then as often as ever."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from workspaces import make_workspace

SRC = str(Path(__file__).resolve().parent.parent / "src")

_PROBE = """
import gc, sys
from briefgen import cli
from briefgen.commands import list as listing

seen = []
gc.callbacks.append(lambda phase, info: phase == "start" and info["generation"] == 0
                    and seen.append(gc.get_threshold()))
if sys.argv[1] == "allocate":  # a command that keeps 300,000 new objects alive
    kept = []
    def run(args):
        seen.clear()  # the collections of the imports before the command do not count
        kept.extend([] for _ in range(300_000))
        return 0
    listing.run = run
    sys.argv = ["briefgen", "--root", sys.argv[2], "list"]
else:
    sys.argv = ["briefgen", "--root", sys.argv[2], "build", "cyber", "--format", "docx",
                "--out", sys.argv[3]]
    cli._run_before = cli._run
    def run(args):
        seen.clear()
        return cli._run_before(args)
    cli._run = run
code = cli.main()
print(code, ";", ",".join(str(t[0]) for t in seen), ";", gc.get_threshold())
"""


def _probe(*args: str) -> str:
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1]


def test_a_build_of_one_brief_never_collects(tmp_path):
    root = make_workspace(tmp_path / "ws")
    assert _probe("build", str(root), str(tmp_path / "out")) == "0 ;  ; (200000, 20, 20)"
    assert (tmp_path / "out" / "cyber.docx").is_file()


def test_a_command_that_keeps_many_objects_collects_first_late_then_as_ever(tmp_path):
    """The first young collection waits for 200,000 objects, the next ones for 50,000
    each: 300,000 objects kept make the first and then at least one more."""
    root = make_workspace(tmp_path / "ws")
    code, thresholds, after = (part.strip() for part in _probe("allocate", str(root)).split(";"))
    seen = [int(t) for t in thresholds.split(",")]
    assert (code, after) == ("0", "(50000, 20, 20)")
    assert seen[0] == 200_000 and len(seen) >= 2 and set(seen[1:]) == {50_000}, seen
