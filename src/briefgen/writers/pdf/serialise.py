"""reportlab's document written as PDF 1.7 with object streams and a cross-reference stream.

reportlab's own ``PDFDocument.format`` writes every object at the top level and a
classic cross-reference table. For a tagged brief that doubles the file or more: the
structure tree, the annotations and the outline are thousands of small dictionaries.
PDF 1.5 and later let those sit in compressed object streams (ISO 32000-1, 7.5.7) found
through a cross-reference stream (7.5.8); this module does that from reportlab's objects
in the same pass, so no second library has to reopen and rewrite the file.

* Objects are formatted in object-number order exactly as reportlab's ``format`` does
  (an object may register new ones while it is formatted; they get the next numbers).
* Streams stay top-level objects; every other object goes into an object stream of at
  most ``_PER_STREAM`` objects, Flate-compressed.
* The cross-reference stream lists all objects (type 1: offset; type 2: object stream
  and index), its rows PNG-"Up"-filtered before compression (predictor 12, as qpdf
  writes it); the trailer entries (/Root, /Info, /ID) are in its dictionary.
* The file id is the MD5 of the objects' bytes: the same document gives the same bytes.
* Each object stream is compressed on a thread of its own (``_Deflater``) as soon as its
  objects are formatted: zlib lets go of the interpreter while it deflates, so that runs
  on another core while the next objects are formatted. Same bytes.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from queue import SimpleQueue

from reportlab.pdfbase.pdfdoc import NoEncryption, PDFDocument, format

from .structure import RawObject

__all__ = ["write_document"]

_PER_STREAM = 100  # objects in one object stream (as qpdf does)
_HEADER = b"%PDF-1.7\n%\223\214\213\236 ReportLab Generated PDF document (opensource)\n"
_LEVEL = 6  # zlib's default: what reportlab uses for its streams


def write_document(doc: PDFDocument, canvas: object) -> bytes:
    """The finished file of ``doc`` (reportlab's ``GetPDFData`` and ``format`` in one)."""
    if not isinstance(doc.encrypt, NoEncryption):
        raise ValueError("an encrypted PDF cannot be written with object streams here")
    for font in doc.delayedFonts:  # the font subsets are embedded now
        font.addObjects(doc)
    doc.Outlines.prepare(doc, canvas)
    if doc.Outlines.ready < 0:
        doc.Catalog.Outlines = None
    root = doc.Reference(doc.Catalog)
    info = doc.Reference(doc.info)
    by_number = doc.numberToId
    objects = doc.idToObject
    # The streams are written first, each as soon as it is formatted; the rest goes into
    # object streams, each handed to the deflater once complete. Only the numbers of the
    # packed objects are kept: their bytes are let go once compressed.
    out = [_HEADER]
    offset = len(_HEADER)
    # (type, field 2, field 3) for objects 1..count, then the object streams and the xref
    entries: dict[int, tuple[int, int, int]] = {}
    packed: list[int] = []  # the numbers of the objects in object streams, in order
    group: list[tuple[int, bytes]] = []  # the object stream being filled
    digest = hashlib.md5(usedforsecurity=False)
    deflater = _Deflater()
    heads: list[bytes] = []  # each object stream's head
    try:
        n = 0
        while True:  # formatting may register new objects: they come after
            n += 1
            name = by_number.get(n)
            if name is None:
                break
            obj = objects[name]
            if type(obj) is RawObject:  # made for this file only (the structure tree): its
                body = obj.data  # bytes, as ``format`` would give them, let go once taken
                obj.data = b""
            else:
                body = format(obj, doc, toplevel=1)
            digest.update(body)
            if body.endswith((b"endstream\n", b"endstream")):
                chunk = b"%d 0 obj\n%s%sendobj\n" % (n, body, b"" if body.endswith(b"\n") else b"\n")
                entries[n] = (1, offset, 0)
                out.append(chunk)
                offset += len(chunk)
            else:
                packed.append(n)
                group.append((n, body))
                if len(group) == _PER_STREAM:  # an object stream is complete
                    heads.append(deflater.add(group))
                    group = []
            del body
        if group:
            heads.append(deflater.add(group))
        del group
    except BaseException:  # nothing more comes: the thread ends
        deflater.stop()
        raise
    compressed = deflater.results()
    count = n - 1
    if count != len(by_number):
        raise ValueError(f"{len(by_number)} objects registered, {count} numbered in a row")

    next_number = count + 1
    for start, head, data in zip(range(0, len(packed), _PER_STREAM), heads, compressed, strict=True):
        numbers = packed[start:start + _PER_STREAM]
        stream_number = next_number
        next_number += 1
        for i, number in enumerate(numbers):
            entries[number] = (2, stream_number, i)
        chunk = (b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
                 b"stream\n%s\nendstream\nendobj\n"
                 % (stream_number, len(numbers), len(head), len(data), data))
        entries[stream_number] = (1, offset, 0)
        out.append(chunk)
        offset += len(chunk)
    xref_number = next_number
    size = xref_number + 1
    entries[xref_number] = (1, offset, 0)
    width = max(1, (max(max(e[1] for e in entries.values()), 1).bit_length() + 7) // 8)
    columns = 3 + width
    shift = 8 * (width + 2)  # each row: type (1 byte), field 2 (``width``), field 3 (2)
    rows = [b"\x00" + bytes(width) + b"\xff\xff"]  # object 0: the head of the free list
    rows += [((kind << shift) | (field2 << 16) | field3).to_bytes(columns, "big")
             for kind, field2, field3 in map(entries.__getitem__, range(1, size))]
    data = zlib.compress(_up_rows(b"".join(rows), columns), _LEVEL)
    file_id = digest.hexdigest().encode("ascii")
    out.append(b"%d 0 obj\n<< /Type /XRef /Size %d /W [ 1 %d 2 ] /Root %s /Info %s "
               b"/ID [ <%s> <%s> ] /Filter /FlateDecode /DecodeParms << /Columns %d /Predictor 12 >> "
               b"/Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n"
               % (xref_number, size, width, root.format(doc), info.format(doc), file_id, file_id,
                  columns, len(data), data, offset))
    return b"".join(out)



class _Deflater:
    """Compresses object streams, in order, on a thread (started with the first)."""

    def __init__(self) -> None:
        self._jobs: SimpleQueue[bytes | None] = SimpleQueue()
        self._done: list[bytes] = []
        self._failed: list[BaseException] = []
        self._thread: threading.Thread | None = None
        self._stopped = False

    def add(self, group: list[tuple[int, bytes]]) -> bytes:
        """Compress the object stream of ``group`` (number, body); its head (each object's
        number and offset) now, its compressed content from ``results``."""
        index: list[bytes] = []
        at = 0
        for number, body in group:
            index.append(b"%d %d" % (number, at))
            at += len(body) + 1
        head = b" ".join(index) + b"\n"
        data = head + b"\n".join([body for _, body in group]) + b"\n"
        if self._thread is None:
            # a daemon: a failed build does not wait for it at exit
            self._thread = threading.Thread(target=self._work, name="briefgen-objstm", daemon=True)
            self._thread.start()
        self._jobs.put(data)
        return head

    def _work(self) -> None:
        while (data := self._jobs.get()) is not None:
            try:
                self._done.append(zlib.compress(data, _LEVEL))
            except BaseException as exc:  # handed to the caller in results()
                self._failed.append(exc)
                return

    def stop(self) -> None:
        """Nothing more will be given: the thread ends once it has compressed the rest."""
        if self._thread is not None and not self._stopped:
            self._stopped = True
            self._jobs.put(None)

    def results(self) -> list[bytes]:
        """Everything given, compressed, in order (what compressing raised, raised here)."""
        if self._thread is not None:
            self.stop()
            self._thread.join()
        if self._failed:
            raise self._failed[0]
        return self._done


def _up_rows(table: bytes, columns: int) -> bytes:
    """``table`` (rows of ``columns`` bytes) with the PNG "Up" filter on each row
    (predictor 12): each byte less the one above it, modulo 256. Consecutive entries
    differ in a byte or two, so the rows compress to a third of their plain size.

    The subtraction is done for all bytes at once on two big integers, the table and
    the table one row down: with the top bit of every byte of the first set and cleared
    in the second, no byte borrows from its neighbour, and the XOR puts the top bits
    right (Hacker's Delight, 2-18)."""
    size = len(table)
    if not size:
        return b""
    x = int.from_bytes(table, "big")
    y = int.from_bytes(bytes(columns) + table[:size - columns], "big")
    every = (1 << (8 * size)) - 1
    high = int.from_bytes(b"\x80" * size, "big")
    diff = (((x | high) - (y & (every ^ high))) ^ ((x ^ y ^ every) & high)).to_bytes(size, "big")
    return b"".join([b"\x02" + diff[i:i + columns] for i in range(0, size, columns)])
