"""A hostile house .docx: its styles reach the brief, its macros, links and objects never do."""

from __future__ import annotations

import re
import zipfile

from briefgen.cli import main
from hostile_docx import MARKER_STYLE, house_docx
from workspaces import make_workspace


def _build(tmp_path, capsys, **hostile):
    root = make_workspace(tmp_path / "ws")
    house = house_docx(tmp_path / "house.docx", **hostile)
    code = main(["--root", str(root), "build", "cyber", "--format", "docx", "--reference-docx", str(house)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return zipfile.ZipFile(root / "briefs/cyber.docx"), captured.err


def test_a_plain_house_document_gives_its_styles_and_no_warning(tmp_path, capsys):
    docx, err = _build(tmp_path, capsys)
    assert MARKER_STYLE in docx.read("word/styles.xml").decode()
    assert "house document" not in err
    assert "Body text of the template" not in docx.read("word/document.xml").decode()


def test_macros_remote_template_embeddings_activex_and_dde_never_reach_the_brief(tmp_path, capsys):
    docx, err = _build(tmp_path, capsys, macros=True, remote_template=True, embedding=True,
                       activex=True, dde_header=True, macro_enabled_type=True)
    names = docx.namelist()
    assert not [n for n in names if re.search(r"vbaProject|embeddings/|activeX/|customXml/", n)], names
    types = docx.read("[Content_Types].xml").decode()
    assert "macroEnabled" not in types and "vbaProject" not in types
    rels = "".join(docx.read(n).decode() for n in names if n.endswith(".rels"))
    assert "attacker.example" not in rels and "attachedTemplate" not in rels
    assert "attachedTemplate" not in docx.read("word/settings.xml").decode()
    assert not any("DDEAUTO" in docx.read(n).decode("utf-8", "replace") for n in names if n.endswith(".xml"))
    assert MARKER_STYLE in docx.read("word/styles.xml").decode()
    warning = [line for line in err.splitlines() if "house document" in line]
    assert len(warning) == 1
    for named in ("macros", "external links", "embedded objects",
                  "ActiveX controls", "fields that fetch or run something"):
        assert named in warning[0], warning


def test_the_sanitised_brief_opens_in_libreoffice(tmp_path, capsys):
    import shutil
    import subprocess

    from conftest import require_tool

    soffice = require_tool("soffice")
    _build(tmp_path, capsys, macros=True, remote_template=True, embedding=True, activex=True)
    out = tmp_path / "pdf"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(tmp_path / "ws/briefs/cyber.docx")],
                   capture_output=True, timeout=180, check=False)
    assert (out / "cyber.pdf").is_file() and (out / "cyber.pdf").stat().st_size > 1000
    shutil.rmtree(tmp_path / "lo", ignore_errors=True)


def test_a_pdf_alone_reads_the_house_document_under_the_same_limits(tmp_path, capsys):
    """--format pdf reads the house file for its look: a bomb or a DTD is refused there too."""
    root = make_workspace(tmp_path / "ws")
    assert main(["--root", str(root), "build", "cyber", "--format", "pdf"]) == 0
    before = (root / "briefs/cyber.pdf").read_bytes()
    capsys.readouterr()
    for n, hostile in enumerate(({"bomb_mb": 120}, {"dtd": True})):
        house = house_docx(tmp_path / f"house{n}.docx", **hostile)
        code = main(["--root", str(root), "build", "cyber", "--format", "pdf", "--reference-docx", str(house)])
        err = capsys.readouterr().err
        assert code == 2, err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
        assert (root / "briefs/cyber.pdf").read_bytes() == before
