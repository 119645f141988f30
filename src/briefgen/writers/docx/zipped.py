"""The .docx container: a zip of the package's parts, each entry stamped with one fixed time.

The bytes are those ``zipfile`` writes for the same entries (deflated at zlib's default
level, MS-DOS attributes, no extra fields), so a package reads back with ``zipfile``,
Word, LibreOffice and pandoc alike. It is written here rather than with ``zipfile``
because ``zipfile`` compresses every entry it is given: in a process that builds again
and again (``briefgen watch``), most parts (styles, theme, settings, fonts, headers) come
out the same bytes every build: each entry's last bytes are kept with their compressed
form, by entry name (``memo.between_builds``), so that only what changed is compressed
again, and what is kept is never more than one package.

``zip_later`` compresses on a thread of its own: zlib lets go of the interpreter while
it deflates, so the command's own work (the evidence checks) goes on meanwhile on
another core. Within a zip, the largest entry (the body) is compressed on a thread while
the others are compressed here: each entry is its own deflate stream, so the bytes are
those compressed one after the other.
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Callable

from ...memo import between_builds

Stamp = tuple[int, int, int, int, int, int]  # a zip entry's date and time

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # deflate
_DEFLATED = 8
_ATTRIBUTES = 0o600 << 16  # what zipfile records for an entry given none
_UTF8_NAME = 0x800
_LIMIT = 0xFFFFFFFF  # beyond this an entry would need ZIP64

#: each entry's last bytes, their CRC and compressed form, by entry name: between builds only
_LAST: dict[str, tuple[bytes, int, bytes]] = {}


def _deflated(name: str, data: bytes) -> tuple[int, bytes]:
    """``data``'s CRC and compressed form; the kept ones when ``name`` had these bytes last time."""
    if not between_builds():
        return _deflate(data)
    last = _LAST.get(name)
    if last is not None and last[0] == data:
        return last[1], last[2]
    crc, packed = _deflate(data)
    _LAST[name] = (data, crc, packed)
    return crc, packed


def _deflate(data: bytes) -> tuple[int, bytes]:
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


#: Entries at least this large are worth a thread of their own while the rest is compressed.
_APART = 256 * 1024


def _all_deflated(entries: list[tuple[str, bytes]]) -> list[tuple[int, bytes]]:
    """Each entry's CRC and compressed form, in order: the largest on a thread of its own
    when it and the rest are both large enough to gain by it (zlib lets go of the
    interpreter while it deflates), the others here."""
    sizes = [len(data) for _, data in entries]
    largest = max(range(len(entries)), key=sizes.__getitem__, default=None)
    if largest is None or sizes[largest] < _APART or sum(sizes) - sizes[largest] < _APART // 4:
        return [_deflated(name, data) for name, data in entries]
    apart: list[tuple[int, bytes] | BaseException] = []

    def work() -> None:
        try:
            apart.append(_deflated(*entries[largest]))
        except BaseException as exc:  # raised here, once the others are done
            apart.append(exc)

    thread = threading.Thread(target=work, name="briefgen-deflate", daemon=True)
    thread.start()
    try:
        done = [_deflated(name, data) if i != largest else (0, b"") for i, (name, data) in enumerate(entries)]
    finally:
        thread.join()
    value = apart[0]
    if isinstance(value, BaseException):
        raise value
    done[largest] = value
    return done


def zip_package(entries: list[tuple[str, bytes]], stamp: Stamp) -> bytes:
    """The zip of ``entries`` (member name, bytes) in their order, every one at ``stamp``."""
    year, month, day, hour, minute, second = stamp
    dosdate = (year - 1980) << 9 | month << 5 | day
    dostime = hour << 11 | minute << 5 | second // 2
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for (name, data), (crc, packed) in zip(entries, _all_deflated(entries)):
        flags = 0 if name.isascii() else _UTF8_NAME  # as zipfile marks a name
        encoded = name.encode("utf-8")
        if max(len(data), len(packed), offset) > _LIMIT:
            raise ValueError("a DOCX package over 4 GB cannot be written")
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, dostime, dosdate, crc,
                             len(packed), len(data), len(encoded), 0)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, 0, _VERSION, 0, flags, _DEFLATED, dostime,
                                     dosdate, crc, len(packed), len(data), len(encoded), 0, 0, 0, 0,
                                     _ATTRIBUTES, offset) + encoded)
        out += (header, encoded, packed)
        offset += len(header) + len(encoded) + len(packed)
    directory = b"".join(central)
    out += (directory, _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory),
                                 offset, 0))
    return b"".join(out)


def zip_later(entries: list[tuple[str, bytes]], stamp: Stamp) -> Callable[[], bytes]:
    """``zip_package(entries, stamp)`` made on a thread: the function returned waits for
    it and gives its bytes (or raises what making it raised)."""
    done: list[bytes | BaseException] = []

    def work() -> None:
        try:
            done.append(zip_package(entries, stamp))
        except BaseException as exc:  # handed to the caller, who waits for the bytes
            done.append(exc)

    # a daemon: a command that stops early (an error in its checks) does not wait for it
    thread = threading.Thread(target=work, name="briefgen-zip", daemon=True)
    thread.start()

    def result() -> bytes:
        thread.join()
        value = done[0]
        if isinstance(value, BaseException):
            raise value
        return value

    return result
