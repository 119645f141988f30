"""Arbitrary text everywhere, concurrent builds, reproducible output.

The property test puts arbitrary Unicode — XML specials, control characters,
right-to-left text, CJK, emoji, very long words, empty strings — into every text field
of a source record, its extracts and a brief spec. Every build must either succeed with
a DOCX that python-docx reopens and a PDF that ``qpdf --check`` accepts, or fail with
one-line errors and exit code 2. In CI (``CI`` set) it runs 500 examples.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.cli import main
from conftest import require_tool
from workspaces import ROOT, make_workspace

EXAMPLES = 500 if os.environ.get("CI") else int(os.environ.get("BRIEFGEN_EXAMPLES", "60"))

SPECIALS = ["&", "<", ">", '"', "'", "&amp;", "<b>", "]]>", "*", "_", "[", "]", "#", "|", "\\",
            "`", "::: sources", "[@x]", "\u202e", "\u200f", "\u0627\u0644\u0646\u0627\u062a\u0648",
            "\u05e9\u05dc\u05d5\u05dd", "\ud55c\uad6d", "\u5317\u7d04", "\U0001f600", "\U0001f1f0\U0001f1f7",
            "\x07", "\x00", "\x1b", "\ud800", "\ufffe", "\t", "\n", "\u00a0", "e\u0301", "\ufb01"]

wild_text = st.one_of(
    st.just(""),
    st.text(min_size=0, max_size=40),
    st.lists(st.sampled_from(SPECIALS), min_size=1, max_size=6).map("".join),
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=10), st.sampled_from(SPECIALS), st.text(max_size=10)),
    st.integers(200, 600).map(lambda n: "W" * n),  # a very long word
)
# Quotations must be findable in the text they are written into: no line breaks, and
# nothing that the text file cannot hold.
quote_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
                     max_size=60).filter(lambda s: s.strip())


def _strip_surrogates(text: str) -> str:
    return re.sub("[\ud800-\udfff]", "", text)


def _yaml(data) -> str:
    """Data as YAML (JSON is YAML): printable characters as UTF-8, the rest as escapes."""
    return re.sub("[\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]",
                  lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, ensure_ascii=False))


def _workspace(root: Path, f: dict) -> None:
    """A workspace whose every text field comes from ``f``; YAML written as JSON."""
    make_workspace(root)
    for p in (root / "seeds").iterdir():
        p.unlink()
    quote = f["quote"]
    (root / "seeds" / "src.txt").write_text(
        _strip_surrogates(f["headline"]) .replace("\n", " ") + "\n" + "Lead " + quote + " tail.\n",
        encoding="utf-8")
    record = {
        "source": {
            "id": "src", "kind": "news-article", "text": "src.txt", "title": f["title"],
            "outlet": f["outlet"] or "Outlet", "authors": [{"family": f["family"] or "Doe",
                                                            "given": f["given"]}],
            "date": "2024-03-05", "url": "https://example.org/a?b=1&c=<2>", "accessed": "2026-11-23",
            "front_matter": 1, "notes": f["notes"],
        },
        "extracts": [{"id": "ex-one", "quote": quote, "topics": ["t"], "caveat": f["caveat"] or None}],
    }
    (root / "seeds" / "src.yaml").write_text(_yaml(record), encoding="utf-8")
    cite = " [@ex-one]."
    brief = {
        "topic": "t", "title": f["title"] or "T", "short_title": f["short"], "subtitle": f["subtitle"],
        "date": "2024-11-01", "marking": f["marking"], "question": f["question"] or "Q?",
        "keywords": [f["keyword"]], "bluf": [f["bluf"] + cite], "key_points": [f["point"] + cite],
        "sections": [{"id": "background", "heading": f["heading"] or "H", "paragraphs": [f["para"] + cite],
                      "bullets": [f["bullet"] + cite]},
                     {"id": "implications", "heading": "Implications", "assessment": True,
                      "paragraphs": [f["assessment"] or "A."]}],
        "events": [{"date": "2024-02", "text": f["event"] + cite}],
    }
    (root / "briefs" / "cyber.yaml").unlink()
    (root / "briefs" / "t.yaml").write_text(_yaml(brief), encoding="utf-8")


FIELDS = ["headline", "title", "outlet", "family", "given", "notes", "caveat", "short", "subtitle",
          "marking", "question", "keyword", "bluf", "point", "heading", "para", "bullet",
          "assessment", "event"]


@pytest.mark.client
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
          derandomize=bool(os.environ.get("CI")))
@given(fields=st.fixed_dictionaries(dict.fromkeys(FIELDS, wild_text)), quote=quote_text)
def test_any_text_builds_or_fails_cleanly(fields, quote):
    qpdf = require_tool("qpdf")
    from docx import Document

    fields["quote"] = quote
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        _workspace(root, fields)
        import contextlib
        import io

        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["--root", str(root), "build", "t"])
        message = err.getvalue()
        assert "Traceback" not in message
        if code == 0:
            Document(str(root / "briefs" / "t.docx"))
            check = subprocess.run([qpdf, "--check", str(root / "briefs" / "t.pdf")],
                                   capture_output=True, text=True)
            assert check.returncode == 0, check.stdout + check.stderr
        else:
            assert code == 2
            lines = [line for line in message.splitlines() if "warning:" not in line]
            assert lines
            for line in lines:
                assert re.match(r"^\S[^\n]*?(:\d+)?: \S", line), line


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _build(root: Path, out: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefgen", "--root", str(root), "build", "cyber",
                           "--out", str(out)], capture_output=True, text=True, env=env, timeout=120)


def test_builds_are_reproducible_with_source_date_epoch(tmp_path):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1730419200")
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        proc = _build(ROOT, out, env)
        assert proc.returncode == 0, proc.stderr
    for name in ("cyber.docx", "cyber.pdf"):
        assert _sha(first / name) == _sha(second / name), name


@pytest.mark.client
def test_two_builds_at_once_leave_valid_files(tmp_path):
    qpdf = require_tool("qpdf")
    from docx import Document

    root = make_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    for _ in range(3):
        procs = [subprocess.Popen([sys.executable, "-m", "briefgen", "--root", str(root), "build", "cyber",
                                   "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(2)]
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        Document(str(out / "cyber.docx"))
        assert subprocess.run([qpdf, "--check", str(out / "cyber.pdf")], capture_output=True).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == ["cyber.docx", "cyber.pdf"]
