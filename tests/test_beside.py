"""The PDF drawn beside the DOCX: the same files and warnings as one after the other.

``beside.Early`` forks a child that warms up (imports) at once and later runs one job
while the command does other work. These tests hold it to what a sequential build gives:
results, warnings in their order, an error of either side, and a child that fails in a
way of its own (the command then does the job itself). The command's own build of one
topic (which draws beside) is compared byte for byte with an in-process build (which
does not).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import beside
from briefgen.cli import main
from briefgen.errors import BriefgenError, Problem
from workspaces import make_workspace

SRC = str(Path(__file__).resolve().parent.parent / "src")
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")


def run_beside(here, side, warn, warm=lambda: None):
    """``here()`` here while the child does ``side``'s job, through ``beside.Early``."""
    with beside.Early(warm, lambda job, child_warn: side(child_warn)) as early:
        assert early.pid is not None
        return early.run(here, "the job", side, warn)


def _no_children_left() -> None:
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_both_results_and_the_side_warnings_after_here_in_order():
    order: list[str] = []

    def here() -> str:
        order.append("here")
        return "docx"

    def side(warn) -> bytes:
        warn("first")
        warn("second")
        return b"pdf" * 100_000  # more than a pipe holds at once

    got = run_beside(here, side, order.append)
    assert got == ("docx", b"pdf" * 100_000)
    assert order == ["here", "first", "second"]
    _no_children_left()


def test_an_error_of_the_side_comes_after_here_with_its_warnings():
    seen: list[str] = []

    def side(warn) -> bytes:
        warn("before the error")
        raise BriefgenError(Problem("briefs/x.yaml", 3, "cannot draw this"))

    with pytest.raises(BriefgenError) as caught:
        run_beside(lambda: seen.append("here"), side, seen.append)
    assert seen == ["here", "before the error"]
    assert [str(p) for p in caught.value.problems] == ["briefs/x.yaml:3: cannot draw this"]
    _no_children_left()


def test_an_error_here_stops_the_child():
    def side(warn) -> bytes:
        import time

        time.sleep(30)
        return b""

    with pytest.raises(BriefgenError):
        run_beside(lambda: (_ for _ in ()).throw(BriefgenError("docx failed")), side, print)
    _no_children_left()


@pytest.mark.parametrize("how", ["exception", "exit", "killed"])
def test_a_child_that_fails_on_its_own_is_drawn_here(how):
    parent = os.getpid()
    seen: list[str] = []

    def side(warn) -> str:
        if os.getpid() != parent:  # in the child only
            warn("lost with the child")
            if how == "exception":
                raise RuntimeError("a bug in the child")
            if how == "exit":
                os._exit(3)
            os.kill(os.getpid(), 9)
        warn("drawn here")
        return "pdf"

    assert run_beside(lambda: "docx", side, seen.append) == ("docx", "pdf")
    assert seen == ["drawn here"]
    _no_children_left()


def test_a_child_never_given_its_job_is_stopped():
    """The build failed before its tree was complete: leaving the context ends the child."""
    with pytest.raises(BriefgenError), beside.Early(lambda: None, lambda job, warn: b""):
        raise BriefgenError("the spec is broken")
    _no_children_left()


def test_a_child_whose_warm_up_fails_leaves_the_job_to_the_command():
    def warm():
        raise ImportError("no PDF writer here")

    seen: list[str] = []
    got = run_beside(lambda: "docx", lambda warn: warn("drawn here") or "pdf", seen.append, warm)
    assert got == ("docx", "pdf")
    assert seen == ["drawn here"]
    _no_children_left()


def test_the_command_builds_one_topic_as_a_build_in_process_does(tmp_path):
    """``python -m briefgen build cyber`` (the PDF beside the DOCX, where it can) writes
    the same bytes and the same warnings as ``main([...])``, which draws one after the other."""
    root = make_workspace(tmp_path / "ws")
    env = {**os.environ, "PYTHONPATH": SRC, "SOURCE_DATE_EPOCH": "1700000000"}
    proc = subprocess.run([sys.executable, "-m", "briefgen", "--root", str(root), "build", "cyber",
                           "--out", str(tmp_path / "command")],
                          capture_output=True, text=True, env=env, timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        import contextlib
        import io

        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            assert main(["--root", str(root), "build", "cyber", "--out", str(tmp_path / "in-process")]) == 0
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert proc.stderr == err.getvalue()
    for name in ("cyber.docx", "cyber.pdf"):
        assert (tmp_path / "command" / name).read_bytes() == (tmp_path / "in-process" / name).read_bytes()
