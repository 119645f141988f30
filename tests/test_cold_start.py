"""What a fresh ``briefgen`` process does before and after the work: the same results.

The command spares the interpreter its collection at exit, rules are compiled in the form
that is cheap to compile, and fonts are read from a cache: none of it may change what a
user sees.
"""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.chars import CAN_HOLD, CANNOT_HOLD
from briefgen.cli import main
from workspaces import make_workspace

SRC = str(Path(__file__).resolve().parent.parent / "src")


def test_cannot_hold_is_every_code_point_outside_can_hold():
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    negated = re.compile(f"[^{CAN_HOLD}]")
    assert CANNOT_HOLD.findall(every) == negated.findall(every)
    assert {"\x00", "\x7f", "\x9f", "\ud800", "\ufffe", "\uffff"} <= set(CANNOT_HOLD.findall(every))


def test_the_command_closes_the_index_before_it_ends(tmp_path):
    """The command leaves no write-ahead log beside the index: it closed the connection
    that the collection at exit, which it skips, would have closed."""
    root = make_workspace(tmp_path / "ws")
    env = {**os.environ, "PYTHONPATH": SRC}
    for _ in range(2):  # the second run reads the index the first one wrote
        proc = subprocess.run([sys.executable, "-m", "briefgen", "--root", str(root), "build", "cyber",
                               "--format", "docx", "--out", str(tmp_path / "out")],
                              capture_output=True, text=True, env=env, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr
        assert "warning: .briefgen" not in proc.stderr
        left = sorted(p.name for p in (root / ".briefgen").iterdir())
        assert "index.sqlite" in left
        assert not [name for name in left if name.endswith(("-wal", "-shm", "-journal"))], left
    assert (tmp_path / "out" / "cyber.docx").stat().st_size > 0


def test_main_called_with_arguments_leaves_the_collector_alone(tmp_path):
    root = make_workspace(tmp_path / "ws")
    frozen = gc.get_freeze_count()
    assert main(["--root", str(root), "list"]) == 0
    assert gc.get_freeze_count() == frozen


def test_a_signal_renamed_by_a_c_extension_still_ends_as_interrupted(tmp_path, monkeypatch, capsys):
    """pydantic-core turns the exception a signal handler raises while it builds a
    validator into its own SchemaError: the command still ends as interrupted."""
    import signal

    from briefgen import cli
    from briefgen.commands import list as list_command

    def interrupted_inside_an_extension(args):
        try:
            cli._interrupted(signal.SIGTERM, None)
        except KeyboardInterrupt as exc:
            raise RuntimeError(f"Error building validator: {exc!r}") from None
        return 0

    monkeypatch.setattr(list_command, "run", interrupted_inside_an_extension)
    root = make_workspace(tmp_path / "ws")
    assert main(["--root", str(root), "list"]) == 128 + signal.SIGTERM
    err = capsys.readouterr().err
    assert err.strip() == "briefgen: interrupted; no file was changed"

    def failing(args):  # a run that received no signal: its error is not an interrupt
        raise RuntimeError("a bug")

    monkeypatch.setattr(list_command, "run", failing)
    with pytest.raises(RuntimeError, match="a bug"):
        main(["--root", str(root), "list"])
    monkeypatch.undo()
    assert main(["--root", str(root), "list"]) == 0


_PROBE = """
import sys
from briefgen import cli
sys.argv = ["briefgen", *sys.argv[1:]]
code = cli.main()
print("metadata" if "importlib.metadata" in sys.modules else "no metadata", code)
"""


@pytest.mark.parametrize("disabled", [None, "some-plugin"])
def test_the_command_validates_without_pydantics_plugin_loader(tmp_path, disabled):
    """With plugins disabled (briefgen's default) the command does not import pydantic's
    plugin loader, and with it ``importlib.metadata``: a spec with a mistake is still
    reported as pydantic validates it. A user naming plugins to disable keeps the loader."""
    root = make_workspace(tmp_path / "ws")
    spec = root / "briefs" / "cyber.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("\ntitle:", "\ntitel:", 1), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = SRC
    if disabled:
        env["PYDANTIC_DISABLE_PLUGINS"] = disabled
    proc = subprocess.run([sys.executable, "-c", _PROBE, "--root", str(root), "check", "cyber"],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.stdout.split() == (["metadata", "2"] if disabled else ["no", "metadata", "2"]), proc.stderr
    assert "unknown field 'titel'" in proc.stderr
    assert "Traceback" not in proc.stderr
