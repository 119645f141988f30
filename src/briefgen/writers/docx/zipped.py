"""The .docx container: a zip of the package's parts, each entry stamped with one fixed time.

The bytes are those ``zipfile`` writes for the same entries (deflated at zlib's default
level, MS-DOS attributes, no extra fields), so a package reads back with ``zipfile``,
Word, LibreOffice and pandoc alike. It is written here rather than with ``zipfile``
because ``zipfile`` compresses every entry it is given: in a process that builds again
and again (``briefgen watch``), most parts (styles, theme, settings, fonts, headers) come
out the same bytes every build, and their compressed form is kept, keyed by those bytes
(``memo.between_builds``), so that only what changed is compressed again.
"""

from __future__ import annotations

import struct
import zlib
from functools import partial

from ...memo import Memo, between_builds

Stamp = tuple[int, int, int, int, int, int]  # a zip entry's date and time

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # deflate
_DEFLATED = 8
_ATTRIBUTES = 0o600 << 16  # what zipfile records for an entry given none
_LIMIT = 0xFFFFFFFF  # beyond this an entry would need ZIP64

#: each part's compressed form and CRC, by its bytes: kept between builds only
_COMPRESSED: Memo[tuple[int, bytes]] = Memo(48)


def _deflate(data: bytes) -> tuple[int, bytes]:
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


def zip_package(entries: list[tuple[str, bytes]], stamp: Stamp) -> bytes:
    """The zip of ``entries`` (member name, bytes) in their order, every one at ``stamp``."""
    year, month, day, hour, minute, second = stamp
    dosdate = (year - 1980) << 9 | month << 5 | day
    dostime = hour << 11 | minute << 5 | second // 2
    warm = between_builds()
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data in entries:
        crc, packed = _COMPRESSED.get(data, partial(_deflate, data)) if warm else _deflate(data)
        encoded = name.encode("ascii")  # part names are ASCII (OPC)
        if max(len(data), len(packed), offset) > _LIMIT:
            raise ValueError("a DOCX package over 4 GB cannot be written")
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, 0, _DEFLATED, dostime, dosdate, crc,
                             len(packed), len(data), len(encoded), 0)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, 0, _VERSION, 0, 0, _DEFLATED, dostime,
                                     dosdate, crc, len(packed), len(data), len(encoded), 0, 0, 0, 0,
                                     _ATTRIBUTES, offset) + encoded)
        out += (header, encoded, packed)
        offset += len(header) + len(encoded) + len(packed)
    directory = b"".join(central)
    out += (directory, _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory),
                                 offset, 0))
    return b"".join(out)
