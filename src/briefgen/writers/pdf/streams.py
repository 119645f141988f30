"""Deflated PDF streams kept by their content in a process that builds again and again.

reportlab deflates every stream of a PDF as it writes the file (page contents, each font
subset and its ToUnicode map, forms): ``PDFStreamFilterZCompress.encode``, which is
``zlib.compress`` at zlib's default level, a pure function of the bytes. In a warm process
(``briefgen watch``, ``memo.between_builds``) most of those bytes come out the same build
after build: the font subsets hold the same characters, and an edit changes the pages it
reaches, not the others. ``keep_streams`` makes reportlab's one filter object answer such
bytes from a table keyed by the bytes themselves, so a changed stream is never taken for
an old one; a one-off build compresses everything, as before. The answer is the same
bytes zlib gives, so the file is byte for byte what a fresh build writes.
"""

from __future__ import annotations

import zlib

from reportlab.pdfbase import pdfdoc

from ...memo import Memo, between_builds

#: uncompressed bytes -> deflated bytes; a 190-page brief has about 200 streams
_DEFLATED: Memo[bytes] = Memo(512)
_SMALL = 512  # shorter streams cost less to deflate than to keep


def _encode(text: str | bytes) -> bytes:
    """What ``PDFStreamFilterZCompress.encode`` answers, kept between builds."""
    data = text.encode("utf8") if isinstance(text, str) else text
    if type(data) is not bytes or len(data) < _SMALL or not between_builds():
        return zlib.compress(data)
    return _DEFLATED.get(data, lambda: zlib.compress(data))


def keep_streams() -> None:
    """Install ``_encode`` on reportlab's deflate filter (every stream uses that one object)."""
    pdfdoc.PDFZCompress.encode = _encode  # type: ignore[method-assign]
