"""The PDF's last step, written in reportlab's own pass (``archive``, ``structure``,
``serialise``): no second library reopens the file.

What a user would check of the file itself: a PDF build does not load pikepdf at all;
the file is PDF 1.7 whose small objects sit in compressed object streams behind a
cross-reference stream, as compact as qpdf makes the same objects; every object is
found where the cross-reference stream says; the file id follows from the content (the
same document gives the same bytes, another document another id); and qpdf finds
nothing wrong with it.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.writers.pdf import render_pdf, serialise
from briefgen.writers.pdf.serialise import _up_rows
from conftest import require_tool
from synthetic import synthetic_document
from workspaces import ROOT

TOPICS = sorted(p.stem for p in (ROOT / "briefs").glob("*.yaml"))


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(synthetic_document(notes=120))


def test_a_pdf_build_does_not_load_pikepdf(tmp_path):
    code = ("import sys\nfrom briefgen.cli import main\n"
            f"rc = main(['--root', {str(ROOT)!r}, 'build', {TOPICS[0]!r}, '--format', 'pdf',"
            f" '--out', {str(tmp_path)!r}])\n"
            "print(rc, 'pikepdf' in sys.modules)\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.stdout.split()[-2:] == ["0", "False"], done.stderr[-2000:]
    assert (tmp_path / f"{TOPICS[0]}.pdf").stat().st_size > 0


def test_small_objects_sit_in_object_streams(pdf):
    assert pdf.startswith(b"%PDF-1.7\n")
    assert b"\nxref\n" not in pdf and b"\ntrailer" not in pdf  # no classic table
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.pdf_version == "1.7"
        assert doc.trailer.Type == pikepdf.Name.XRef
        size = int(doc.trailer.Size)
        objects = [o for o in doc.objects if o is not None]
        streams = [o for o in objects if isinstance(o, pikepdf.Stream)]
        # every number up to /Size names an object (none is lost or left free)
        assert len(objects) == size - 1
    top_level = len(re.findall(rb"\n\d+ 0 obj\n", pdf))
    # at the top level only streams (content, fonts, forms, XMP, the object streams and
    # the cross-reference stream); every other object inside an object stream
    assert top_level == len(streams)
    assert top_level < size / 3


def test_as_compact_as_qpdf_makes_it(pdf):
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        out = io.BytesIO()
        doc.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none, fix_metadata_version=False)
    assert len(pdf) <= 1.05 * len(out.getvalue())


def test_the_file_id_follows_the_content(pdf):
    again = render_pdf(synthetic_document(notes=120))
    other = render_pdf(synthetic_document(notes=120, title="Another title"))
    assert again == pdf

    def file_id(data: bytes) -> tuple[bytes, bytes]:
        with pikepdf.open(io.BytesIO(data)) as doc:
            return bytes(doc.trailer.ID[0]), bytes(doc.trailer.ID[1])

    first, second = file_id(pdf)
    assert first == second and len(first) == 16
    assert file_id(other)[0] != first


def test_qpdf_checks_the_file_clean(pdf, tmp_path):
    qpdf = require_tool("qpdf")
    path = Path(tmp_path / "x.pdf")
    path.write_bytes(pdf)
    done = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors" in done.stdout


@settings(max_examples=200, deadline=None)
@given(columns=st.integers(min_value=1, max_value=9), rows=st.integers(min_value=0, max_value=40),
       data=st.data())
def test_the_cross_reference_rows_are_up_filtered_byte_by_byte(columns, rows, data):
    table = data.draw(st.binary(min_size=columns * rows, max_size=columns * rows))
    expected = bytearray()
    above = bytes(columns)
    for start in range(0, len(table), columns):
        row = table[start:start + columns]
        expected += b"\x02" + bytes((a - b) % 256 for a, b in zip(row, above, strict=True))
        above = row
    assert _up_rows(table, columns) == bytes(expected)


class _HereDeflater(serialise._Deflater):
    """The object streams compressed in the calling thread, one by one."""

    def add(self, group: list[tuple[int, bytes]]) -> bytes:
        head = super().add(group)
        self.stop()
        assert self._thread is not None
        self._thread.join()
        self._thread, self._stopped = None, False
        return head


def test_object_streams_compressed_on_a_thread_are_those_compressed_one_by_one(pdf, monkeypatch):
    monkeypatch.setattr(serialise, "_Deflater", _HereDeflater)
    assert render_pdf(synthetic_document(notes=120)) == pdf


def test_a_failure_while_formatting_leaves_no_compressing_thread_behind(monkeypatch):
    real = serialise.format
    handed: list[int] = []

    class Counting(serialise._Deflater):
        def add(self, group: list[tuple[int, bytes]]) -> bytes:
            handed.append(len(group))
            return super().add(group)

    def failing(*args, **kw):
        if handed:  # after the first object stream was handed over
            raise RuntimeError("broken object")
        return real(*args, **kw)

    monkeypatch.setattr(serialise, "_Deflater", Counting)
    monkeypatch.setattr(serialise, "format", failing)
    before = {t.ident for t in threading.enumerate()}
    with pytest.raises(RuntimeError, match="broken object"):
        render_pdf(synthetic_document(notes=120))
    assert handed == [serialise._PER_STREAM]
    for thread in threading.enumerate():
        if thread.ident not in before:
            thread.join(timeout=5)
            assert not thread.is_alive(), thread.name


def test_a_compression_error_is_raised_to_the_writer(monkeypatch):
    def broken(data: bytes, level: int = -1) -> bytes:
        raise MemoryError

    monkeypatch.setattr(serialise.zlib, "compress", broken)
    with pytest.raises(MemoryError):
        render_pdf(synthetic_document(notes=40))
