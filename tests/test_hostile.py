"""Hostile conditions that are not bad files: signals and crashes, the environment, links.

Part of the bad-input catalogue (``test_bad_inputs.py`` holds the cases that end in one
``path:line`` error): each case here asserts its exit code, no traceback, and that the
earlier outputs are either untouched or replaced as a whole set.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from briefgen import output
from briefgen.cli import main
from workspaces import ROOT, edit, make_workspace

BRIEF = "briefs/cyber.yaml"


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.suffix in (".docx", ".pdf")}


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir()
            if p.name.startswith(output.STAGE_PREFIX) or p.name.endswith(".tmp")]


def briefgen(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.Popen:
    full = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "briefgen", *args], env=full,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


@pytest.fixture
def ws(tmp_path):
    root = make_workspace(tmp_path / "ws")
    assert main(["--root", str(root), "build", "cyber"]) == 0
    return root


# ----------------------------------------------------------------- signals and crashes


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_signal_at_any_moment_leaves_the_old_set_or_the_new_one(ws, signame):
    """Interrupted at many moments of a build: never a mixed set, never a temporary file."""
    briefs = ws / "briefs"
    outcomes = set()
    # a build takes about 0.4 s on a quiet machine: the first signals come within it
    for n, delay in enumerate((0.1, 0.2, 0.3, 0.6, 0.9, 1.2, 1.6, 2.5)):
        before = digest(briefs)
        # A new title each time: a build that completes gives two new files.
        text = (ws / BRIEF).read_text(encoding="utf-8")
        (ws / BRIEF).write_text(re.sub(r'^title: .*$', f'title: "Cyber cooperation {n}"', text,
                                       count=1, flags=re.MULTILINE), encoding="utf-8")
        proc = briefgen("--root", str(ws), "build", "cyber")
        time.sleep(delay)
        proc.send_signal(getattr(signal, signame))
        _, err = proc.communicate(timeout=120)
        assert _no_traceback_of_ours(err), err
        after = digest(briefs)
        assert leftovers(briefs) == []
        whole_new = all(after[name] != before[name] for name in before)
        assert after == before or whole_new, "a mixed set"
        if proc.returncode == 0:
            assert whole_new
            outcomes.add("done")
            continue
        if _interrupted_start_up(err):
            # The interpreter itself gave up (exit 1) before any code of briefgen ran.
            assert proc.returncode == 1 and after == before, err
            outcomes.add("start-up")
            continue
        assert proc.returncode in (128 + getattr(signal, signame), -getattr(signal, signame))
        if after == before:
            last = err.strip().splitlines()[-1:]
            if last == ["KeyboardInterrupt"]:
                # Python's own report of a Ctrl-C in its start-up (its site module, runpy
                # finding the module), before the first line of briefgen ran.
                assert "Traceback" in err and "briefgen" not in err, err
                outcomes.add("start-up")
                continue
            assert last in ([], ["briefgen: interrupted; no file was changed"])
            outcomes.add("interrupted")
        elif proc.returncode > 0:  # the signal came after the switch: the new set is whole, and said so
            assert "the files it had written are complete" in err
    assert "interrupted" in outcomes


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_a_signal_while_the_index_connection_closes_is_reported_not_a_traceback(
        ws, signame, monkeypatch, capsys):
    """The index's connection is closed by a finalizer when the workspace is dropped; a
    signal there cannot unwind the command (Python prints an exception in a finalizer as
    ignored, and goes on). It is kept, and reported as the command returns: exit 128 + N."""
    from briefgen import cli, workspace
    from briefgen.commands import list as listing

    signum = getattr(signal, signame)
    closed = []

    class Interrupting:  # the signal comes as the connection closes
        def close(self) -> None:
            closed.append(True)
            raise cli.Interrupted(signum) if signame != "SIGINT" else KeyboardInterrupt

    def run(args) -> int:  # the command drops its workspace: the finalizer runs
        workspace._close_connection({"conn": Interrupting()})  # nothing escapes it
        return 0

    monkeypatch.setattr(listing, "run", run)
    assert main(["--root", str(ws), "list"]) == 128 + signum
    assert closed and workspace.signals_in_finalizers == []
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "briefgen: interrupted; no file was changed"
    assert main(["--root", str(ws), "list"]) == 128 + signum  # each run its own
    capsys.readouterr()
    monkeypatch.undo()
    assert main(["--root", str(ws), "list"]) == 0


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_a_signal_while_the_handlers_are_set_up_is_reported_not_a_traceback(ws, signame, monkeypatch, capsys):
    """A signal that arrives just after its handler is in place, before the command runs
    (here: as the compiled-module guard is set up), ends the run as interrupted."""
    from briefgen import cli

    signum = getattr(signal, signame)

    def arrives() -> None:
        cli._interrupted(signum, None)

    before = digest(ws / "briefs")
    monkeypatch.setattr(cli, "_hold_signals_while_compiled_modules_load", arrives)
    handlers = {name: signal.getsignal(getattr(signal, name)) for name in ("SIGINT", "SIGTERM")}
    assert main(["--root", str(ws), "build", "cyber"]) == 128 + signum
    assert capsys.readouterr().err.strip().splitlines()[-1] == "briefgen: interrupted; no file was changed"
    assert digest(ws / "briefs") == before
    assert {name: signal.getsignal(getattr(signal, name)) for name in handlers} == handlers


def _interrupted_start_up(err: str) -> bool:
    """Python's own report of a signal that arrived while it imported ``site``: it exits 1."""
    return err.startswith("Fatal Python error: init_import_site")


def _no_traceback_of_ours(err: str) -> bool:
    """No traceback, except one from the interpreter's own start-up (importing ``site`` or
    finding the module), before any code of briefgen ran: that window no program can close."""
    if "Traceback" not in err and "Fatal Python error" not in err:
        return True
    return "briefgen" not in err.split("KeyboardInterrupt")[0].replace("No module named", "")


def _stage(folder: Path, pid: int, files: dict[str, bytes], journal: list[str] | None) -> Path:
    stage = folder / f"{output.STAGE_PREFIX}{pid}-0badc0de"
    stage.mkdir()
    for name, data in files.items():
        (stage / name).write_bytes(data)
    if journal is not None:
        (stage / output.JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    return stage


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_build_before_its_switch_is_cleaned_up_by_the_next(ws):
    briefs = ws / "briefs"
    before = digest(briefs)
    _stage(briefs, _dead_pid(), {"cyber.docx": b"half a file"}, journal=None)
    old_temp = briefs / ".cyber.pdf.k2j4h1x9.tmp"
    old_temp.write_bytes(b"left by an older briefgen")
    os.utime(old_temp, (time.time() - 3600, time.time() - 3600))
    assert main(["--root", str(ws), "build", "cyber"]) == 0
    assert leftovers(briefs) == []
    assert digest(briefs) == before


def test_a_build_killed_in_its_switch_is_finished_by_the_next(ws, tmp_path):
    """Killed (SIGKILL) after the DOCX was switched but before the PDF: the journal completes it."""
    briefs = ws / "briefs"
    edit(ws / BRIEF, 'title: "Cyber cooperation"', 'title: "Cyber cooperation, revised"')
    assert main(["--root", str(ws), "build", "cyber", "--out", str(tmp_path / "new")]) == 0
    new = {name: (tmp_path / "new" / name).read_bytes() for name in ("cyber.docx", "cyber.pdf")}
    (briefs / "cyber.docx").write_bytes(new["cyber.docx"])  # switched before the kill
    _stage(briefs, _dead_pid(), {"cyber.pdf": new["cyber.pdf"]}, journal=["cyber.docx", "cyber.pdf"])
    output.recover(briefs)
    assert leftovers(briefs) == []
    assert {n: (briefs / n).read_bytes() for n in new} == new


def test_a_running_build_s_staging_folder_is_left_alone(ws):
    briefs = ws / "briefs"
    stage = _stage(briefs, os.getppid(), {"cyber.docx": b"being written"}, journal=None)
    assert main(["--root", str(ws), "build", "cyber"]) == 0
    assert stage.is_dir() and (stage / "cyber.docx").read_bytes() == b"being written"


def test_interrupt_during_start_up_is_one_line(ws):
    proc = briefgen("--root", str(ws), "build", "cyber")
    time.sleep(0.4)  # past the interpreter's own start-up, inside briefgen's
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert _no_traceback_of_ours(err), err
    assert proc.returncode in (130, -2, 0) or "Fatal Python error" in err


# ----------------------------------------------------------------- environment


def _docx_created(path: Path) -> str:
    core = zipfile.ZipFile(path).read("docProps/core.xml").decode()
    return re.search(r"<dcterms:created[^>]*>([^<]+)<", core).group(1)


def _pdf_created(path: Path) -> str:
    from pypdf import PdfReader

    raw = PdfReader(path).metadata["/CreationDate"]
    return f"{raw[2:6]}-{raw[6:8]}-{raw[8:10]}T{raw[10:12]}:{raw[12:14]}:{raw[14:16]}Z"


@pytest.mark.parametrize("epoch", ["abc", "253402300800", "-1", "1.5", "99999999999999999999999999"])
def test_an_invalid_source_date_epoch_is_one_warning_and_one_date(ws, monkeypatch, capsys, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    (ws / "briefs/other.yaml").write_text((ws / BRIEF).read_text().replace("topic: cyber", "topic: other"))
    assert main(["--root", str(ws), "build", "cyber", "other"]) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if "SOURCE_DATE_EPOCH" in line]
    assert len(warnings) == 1, err
    assert "Traceback" not in err
    date = "2024-11-01T00:00:00Z"  # the brief's date, in both files
    assert _docx_created(ws / "briefs/cyber.docx") == date
    assert _pdf_created(ws / "briefs/cyber.pdf") == date


def test_a_valid_source_date_epoch_is_the_date_of_both_files(ws, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert main(["--root", str(ws), "build", "cyber"]) == 0
    assert "SOURCE_DATE_EPOCH" not in capsys.readouterr().err
    assert _docx_created(ws / "briefs/cyber.docx") == _pdf_created(ws / "briefs/cyber.pdf") \
        == "2023-11-14T22:13:20Z"


@pytest.mark.parametrize("command", [["list"], ["sources"], ["timeline"], ["check"], ["build", "nope"]])
def test_an_ascii_only_terminal_never_raises(ws, command):
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    proc = briefgen("--root", str(ws), *command, env=env)
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err and "UnicodeEncodeError" not in err
    assert proc.returncode in (0, 2)
    if command == ["list"]:
        assert out.startswith("cyber")


@pytest.mark.parametrize("command", [["sources"], ["timeline"], ["list"]])
def test_a_closed_pipe_never_raises(ws, command):
    proc = briefgen("--root", str(ws), *command)
    proc.stdout.close()  # the reader went away before the first line
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err


# ----------------------------------------------------------------- links

HOSTILE_LINKS = ["ms-msdt:/id PCWDiagnostic", "search-ms:query=x", "smb://attacker/share",
                 "file:///etc/passwd", "javascript:alert(1)", "ms-\nmsdt:x"]


def test_only_http_https_and_mailto_become_links(ws, capsys):
    links = " ".join(f"[bad{i}](<{url}>)" for i, url in enumerate(HOSTILE_LINKS))
    autolinks = " <search-ms:query=y> <smb://attacker/b>"
    good = " [good](https://example.org/ok) [mail](mailto:desk@example.org)"
    edit(ws / BRIEF, '"Cooperation is likely to deepen."',
         json.dumps("Cooperation is likely to deepen. " + links + autolinks + good))
    assert main(["--root", str(ws), "build", "cyber"]) == 0
    docx = zipfile.ZipFile(ws / "briefs/cyber.docx")
    targets = [t for name in docx.namelist() if name.endswith(".rels")
               for t in re.findall(r'Target="([^"]+)"[^>]*TargetMode="External"', docx.read(name).decode())]
    assert "https://example.org/ok" in targets and "mailto:desk@example.org" in targets
    assert all(t.split(":")[0] in ("http", "https", "mailto") for t in targets), targets
    body = docx.read("word/document.xml").decode()
    assert "bad0" in body and "bad3" in body  # the link text stays, as text

    from pypdf import PdfReader

    uris = [a.get_object()["/A"].get("/URI") for page in PdfReader(ws / "briefs/cyber.pdf").pages
            for a in page.get("/Annots", []) if "/A" in a.get_object()]
    uris = [str(u) for u in uris if u is not None]
    assert "https://example.org/ok" in uris and "mailto:desk@example.org" in uris
    assert all(u.split(":")[0] in ("http", "https", "mailto") for u in uris), uris


# ----------------------------------------------------------------- layout limits met by layout


def test_a_note_longer_than_a_page_continues_on_the_next(ws):
    from pypdf import PdfReader

    sentence = ("The report names the exercise but not its date; other sources place it a "
                "year later, and the analyst reads it as the later round.")
    long = " ".join([sentence] * 120)
    edit(ws / "seeds/daily-2024-03-05.yaml", "    quote: Cyber cooperation is a priority\n",
         f"    quote: Cyber cooperation is a priority\n    caveat: {json.dumps(long)}\n")
    assert main(["--root", str(ws), "build", "cyber"]) == 0
    pages = [page.extract_text() for page in PdfReader(ws / "briefs/cyber.pdf").pages]
    holding = [i for i, text in enumerate(pages) if "analyst reads it as the later round" in text]
    assert len(holding) >= 2 and holding == list(range(holding[0], holding[-1] + 1))


def test_a_wide_table_shrinks_to_fit_the_page(ws):
    from pypdf import PdfReader

    ncols = 18
    table = "\n".join(["| " + " | ".join(f"h{i}" for i in range(ncols)) + " |", "|" + "---|" * ncols,
                       "| " + " | ".join(f"v{i}" for i in range(ncols)) + " |"])
    template = ws / "templates/brief.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n" + table + "\n", encoding="utf-8")
    assert main(["--root", str(ws), "build", "cyber"]) == 0
    text = "".join(page.extract_text() for page in PdfReader(ws / "briefs/cyber.pdf").pages)
    assert all(f"v{i}" in text for i in range(ncols))
