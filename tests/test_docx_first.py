"""The DOCX written before the evidence checks, its zip compressed on a thread.

A build that writes a DOCX and neither a review copy nor an annex writes it before
the checks run (``commands/build.py:_docx_first``), and its zip is compressed on a
thread meanwhile (``zipped.zip_later``). These tests hold that to writing it after the
checks: the same bytes, the same warnings in the same order, an error of the writer
raised where it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from briefgen.writers.docx import zipped
from workspaces import make_workspace

SRC = str(Path(__file__).resolve().parent.parent / "src")


def _entries() -> list[tuple[str, bytes]]:
    return [("word/document.xml", b"<w:document>" + b"<w:p>text</w:p>" * 50_000 + b"</w:document>"),
            ("[Content_Types].xml", b"<Types/>"), ("docProps/\u00e9.xml", os.urandom(3000))]


def test_the_zip_made_on_a_thread_is_the_zip_made_here():
    entries = _entries()
    stamp = (2024, 11, 1, 0, 0, 0)
    later = zipped.zip_later(entries, stamp)
    data = later()
    assert data == zipped.zip_package(entries, stamp)
    with zipfile.ZipFile(BytesIO(data)) as z:
        assert [(i.filename, z.read(i)) for i in z.infolist()] == entries


def test_the_largest_entry_deflated_on_a_thread_gives_the_same_zip(monkeypatch):
    """The body compressed on a thread while the other entries are compressed in turn:
    the bytes of compressing each in order, and an error of either thread raised."""
    entries = [("word/styles.xml", b"<w:style/>" * 30_000), *_entries(),
               ("word/footnotes.xml", b"<w:footnote>note</w:footnote>" * 20_000)]
    stamp = (2024, 11, 1, 0, 0, 0)
    assert len(entries[1][1]) >= zipped._APART and sum(len(d) for _, d in entries[2:]) >= zipped._APART // 4
    threads = []
    start = zipped.threading.Thread.start

    def counted(thread: zipped.threading.Thread) -> None:
        threads.append(thread.name)
        start(thread)

    monkeypatch.setattr(zipped.threading.Thread, "start", counted)
    apart = zipped.zip_package(entries, stamp)
    assert threads == ["briefgen-deflate"]
    monkeypatch.setattr(zipped, "_APART", 10**12)
    assert zipped.zip_package(entries, stamp) == apart
    assert threads == ["briefgen-deflate"]  # in turn: no thread
    with zipfile.ZipFile(BytesIO(apart)) as z:
        assert [(i.filename, z.read(i)) for i in z.infolist()] == entries
    monkeypatch.undo()
    for bad in (b"<w:document>", b"<w:style/>"):
        def broken(data: bytes, bad: bytes = bad) -> tuple[int, bytes]:
            if data.startswith(bad):
                raise ValueError("a DOCX package over 4 GB cannot be written")
            return zipped.zlib.crc32(data), b""

        monkeypatch.setattr(zipped, "_deflate", broken)
        with pytest.raises(ValueError, match="4 GB"):
            zipped.zip_package(entries, stamp)


def test_an_error_made_on_the_thread_is_raised_to_whoever_asks_for_the_bytes(monkeypatch):
    def broken(data: bytes) -> tuple[int, bytes]:
        raise ValueError("a DOCX package over 4 GB cannot be written")

    monkeypatch.setattr(zipped, "_deflate", broken)
    later = zipped.zip_later(_entries(), (2024, 11, 1, 0, 0, 0))
    with pytest.raises(ValueError, match="4 GB"):
        later()


def _build(root: Path, out: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefgen", "--root", str(root), "build", "cyber",
                           "--out", str(root / out), *args],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC, **(env or {})})


def test_a_docx_written_before_the_checks_is_the_one_written_after_them(tmp_path):
    """A review copy is written after the checks (they change it); a plain DOCX before
    them. The plain DOCX equals the one the in-process renderer makes of the same tree
    after the checks, and the writer's warning (an invalid SOURCE_DATE_EPOCH, which the
    DOCX gives first) comes after every warning of the checks, as one after the other."""
    from briefgen import checks
    from briefgen.commands.common import build_document, render
    from briefgen.workspace import open_workspace

    root = make_workspace(tmp_path / "ws")
    spec = root / "briefs" / "cyber.yaml"
    # a sentence with a detail its evidence lacks, so that the checks warn
    text = spec.read_text(encoding="utf-8")
    cited = text.index("[@", text.index("paragraphs:"))
    spec.write_text(text[:cited] + "In 1987, 44 envoys met in Oslo. " + text[cited:], encoding="utf-8")
    done = _build(root, "out", "--format", "docx", env={"SOURCE_DATE_EPOCH": "bogus"})
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert "SOURCE_DATE_EPOCH" in lines[-1]
    assert any("note" in line and "SOURCE_DATE_EPOCH" not in line for line in lines[:-1]), lines

    ws = open_workspace(root)
    settings = ws.settings()
    loaded, doc = build_document(ws, "cyber", settings, None)
    checks.run(doc, ws.corpus(strict=False), settings, loaded)
    after = render(doc, "docx", None)
    assert (root / "out" / "cyber.docx").read_bytes() == after
