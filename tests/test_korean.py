"""Korean text prints with real glyphs, in both formats, from a workspace that quotes it.

The workspace's source carries a sentence in Hangul; the brief quotes it in prose and
cites it, so Hangul stands in the body, the note and the evidence annex. The PDF must
set those characters in an embedded (subset) Korean font and give them back as text;
the DOCX must mark the runs with an East Asian font and ko-KR. Without a usable font
the build says so in one warning that names the file and line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from briefgen.cli import main
from conftest import require_tool
from pdfua import check_pdf
from workspaces import edit, make_workspace

NAME = "윤석열"  # President Yoon Suk Yeol
SENTENCE = "윤석열 대통령은 나토 정상회의에 참석했다."
SHORT_TITLE = "Cyber 사이버 협력"  # "cyber cooperation": the running head from page 2 on
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _korean_workspace(root: Path, korean_title: bool = False) -> Path:
    make_workspace(root)
    if korean_title:
        edit(root / "briefs" / "cyber.yaml", 'short_title: "Cyber"', f'short_title: "{SHORT_TITLE}"')
    seeds = root / "seeds"
    edit(seeds / "daily-2024-03-05.txt", "Cyber cooperation is a priority",
         f"{SENTENCE}\nCyber cooperation is a priority")
    edit(seeds / "daily-2024-03-05.yaml", "  - id: daily-cyber-priority",
         f"  - id: daily-yoon-summit\n    quote: \"{SENTENCE}\"\n    topics: [cyber]\n"
         "  - id: daily-cyber-priority")
    edit(root / "briefs" / "cyber.yaml", '      - "Officials named cyber',
         f'      - "President Yoon Suk Yeol ({NAME}) attended the summit '
         f'[@daily-yoon-summit]."\n      - "Officials named cyber')
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = _korean_workspace(tmp_path_factory.mktemp("korean"), korean_title=True)
    assert main(["--root", str(root), "build", "cyber", "--annex", "--out",
                 str(root / "out")]) == 0
    return root / "out"


@pytest.mark.client
def test_hangul_in_the_pdf_is_set_in_an_embedded_korean_font(built):
    pdffonts = require_tool("pdffonts")
    pdftotext = require_tool("pdftotext")
    pdf = built / "cyber.pdf"
    fonts = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    korean = [line for line in fonts if "Carlito" not in line]
    assert korean, fonts
    for line in korean:  # embedded, subset, with a Unicode map
        assert line.split()[-5:-2] == ["yes", "yes", "yes"], line
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert text.count(NAME) >= 2  # the prose, and the quotation in the annex
    assert SENTENCE in " ".join(text.split())
    assert check_pdf(pdf) == []


def _hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


@pytest.mark.client
def test_the_running_head_sets_hangul_in_the_korean_font(built):
    """Page 2's running head is text: the short title, Hangul in the fallback font."""
    from pypdf import PdfReader

    page = PdfReader(built / "cyber.pdf").pages[1]
    top = float(page.mediabox.top)
    head: list[tuple[str, str]] = []  # (text, font) of what stands above the body frame

    def visit(text: str, cm: list, tm: list, font: dict | None, size: float) -> None:
        y = tm[5] * cm[3] + tm[4] * cm[1] + cm[5]
        if text.strip() and font is not None and y > top - 25 * 72 / 25.4:
            head.append((text, str(font.get("/BaseFont", ""))))

    page.extract_text(visitor_text=visit)
    assert "".join(SHORT_TITLE.split()) in "".join("".join(t for t, _ in head).split()), head
    korean = [(t, f) for t, f in head if _hangul(t)]
    assert korean and all("Nanum" in f or "Carlito" not in f for _, f in korean), head
    # and poppler reads the same words there (Unicode mapped, not boxes)
    pdftotext = require_tool("pdftotext")
    text = subprocess.run([pdftotext, "-f", "2", "-l", "2", "-layout", str(built / "cyber.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert SHORT_TITLE in text.splitlines()[1] + text.splitlines()[2], text[:300]


def test_hangul_runs_in_the_docx_carry_an_east_asian_font_and_korean(built):
    from lxml import etree

    with zipfile.ZipFile(built / "cyber.docx") as z:
        body = etree.fromstring(z.read("word/document.xml"))
        headers = [etree.fromstring(z.read(name)) for name in z.namelist()
                   if name.startswith("word/header")]

    def hangul_runs(part: etree._Element) -> list[etree._Element]:
        return [r for r in part.iter(f"{W}r") if _hangul("".join(t.text or "" for t in r.iter(f"{W}t")))]

    header_runs = [r for h in headers for r in hangul_runs(h)]
    runs = hangul_runs(body) + header_runs
    assert hangul_runs(body) and header_runs  # the prose, and the running head's short title
    for r in runs:
        assert r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia")
        assert r.find(f"{W}rPr/{W}lang").get(f"{W}eastAsia") == "ko-KR"


def test_without_a_korean_font_one_warning_names_file_and_line(tmp_path):
    """No fontconfig (PATH emptied) and no font named: one warning, at the brief's line."""
    root = _korean_workspace(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "BRIEFGEN_FALLBACK_FONT"}
    env["PATH"] = str(tmp_path / "nothing")
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent / "src")
    done = subprocess.run([sys.executable, "-m", "briefgen", "--root", str(root), "build",
                           "cyber", "--format", "pdf", "--out", str(root / "out")],
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "no glyph" in line]
    spec = (root / "briefs" / "cyber.yaml").read_text(encoding="utf-8").splitlines()
    line_no = next(i for i, line in enumerate(spec, 1) if NAME in line)
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"briefs/cyber.yaml:{line_no}: warning: ")
    assert "fonts-nanum" in lines[0]
