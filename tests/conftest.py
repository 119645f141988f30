"""Shared test helpers.

Real-client tests (LibreOffice, pandoc, qpdf, poppler) may skip on a developer's
machine where a tool is missing, with the reason stated; in CI (``CI`` set) a
missing tool fails the test instead, so they always run there.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def verified(monkeypatch) -> list[str]:
    """The names of the records verified from their files (not taken from the index): in
    full, or only their text against the record as the index keeps it validated."""
    from briefgen import archive

    names: list[str] = []
    real, real_text = archive.load_source_file, archive._text_only

    def counting(path, *args, **kwargs):
        names.append(path.name)
        return real(path, *args, **kwargs)

    def counting_text(where, name, *args, **kwargs):
        got = real_text(where, name, *args, **kwargs)
        if got is not None:
            names.append(name)
        return got

    monkeypatch.setattr(archive, "load_source_file", counting)
    monkeypatch.setattr(archive, "_text_only", counting_text)
    return names


def require_tool(name: str) -> str:
    """The path of a command-line tool, or skip (locally) / fail (in CI) without it."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (.ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message + "; real-client tests must run in CI")
    pytest.skip(message)


def require_pandoc() -> str:
    """The pandoc binary from pypandoc-binary (or the system), as require_tool does."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return require_tool("pandoc")


@pytest.fixture
def repo_root() -> Path:
    return ROOT


# --------------------------------------------------------------------------- no markers


#: briefgen's placeholders and citation marks (private-use characters): none may ever reach
#: an output file. (Other private-use characters an analyst types are text like any other.)
from briefgen.chars import RESERVED as PRIVATE_USE


def private_use_in_output(name: str, data: bytes) -> list[str]:
    """The private-use characters in an output file's text (DOCX parts, PDF text, e-mail)."""
    found: list[str] = []
    if name.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for part in z.namelist():
                if part.endswith((".xml", ".rels")):
                    xml = z.read(part).decode("utf-8", "replace")
                    found += PRIVATE_USE.findall(xml)
    elif name.endswith(".pdf"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        for page in reader.pages:
            found += PRIVATE_USE.findall(page.extract_text() or "")
            for annot in page.get("/Annots") or []:
                found += PRIVATE_USE.findall(str(annot.get_object().get("/Contents", "")))
        for value in (reader.metadata or {}).values():
            found += PRIVATE_USE.findall(str(value))
    elif name.endswith(".eml"):
        import email

        message = email.message_from_bytes(data)
        for part in message.walk():
            if part.get_content_maintype() == "text":
                payload = part.get_payload(decode=True) or b""
                found += PRIVATE_USE.findall(payload.decode("utf-8", "replace"))
    return found


@pytest.fixture(autouse=True)
def _no_private_use_in_outputs(monkeypatch):
    """Every file a test build writes is scanned: no placeholder reaches an output."""
    from briefgen import output

    real_add, real_write = output.OutputSet.add, output.atomic_write

    def check(path, data: bytes) -> None:
        bad = private_use_in_output(str(path), data)
        assert not bad, f"{path}: private-use characters in the output: {sorted(set(bad))!r}"

    def add(self, path, data, shown=None):
        check(path, data)
        return real_add(self, path, data, shown)

    def write(path, data, shown=None):
        check(path, data)
        return real_write(path, data, shown)

    monkeypatch.setattr(output.OutputSet, "add", add)
    monkeypatch.setattr(output, "atomic_write", write)
    yield


@pytest.fixture
def recomputed(monkeypatch) -> list[str]:
    """The topics whose findings were worked out (not taken from the index)."""
    topics: list[str] = []
    from briefgen.commands import check as check_command

    real = check_command._check_brief

    def counting(ws, topic, *args, **kwargs):
        topics.append(topic)
        return real(ws, topic, *args, **kwargs)

    monkeypatch.setattr(check_command, "_check_brief", counting)
    return topics
