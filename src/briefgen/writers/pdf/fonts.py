"""Fonts and text preparation for the PDF writer.

The PDF embeds Carlito (shipped in ``briefgen/fonts`` under the SIL Open Font License),
a TrueType family metric-compatible with Calibri, so a brief has the same line lengths in
Word and in the PDF. reportlab embeds only the glyphs used (subsetting), which keeps a
three-page brief small. Registering the four faces as one family is what lets ``<b>`` and
``<i>`` in paragraph markup pick the bold and italic files.

Every piece of text from the Document passes through ``TextPreparer`` before it reaches
reportlab's paragraph markup, because that markup is XML-like: an unescaped ``&`` or ``<``
is silently eaten, and a control character breaks the parser. Characters the font cannot
draw would print as an empty box; the preparer says so through ``warn`` instead of
letting it happen silently.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ...chars import allowed

FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"

FAMILY = "Carlito"
REGULAR = "Carlito"
BOLD = "Carlito-Bold"
ITALIC = "Carlito-Italic"
BOLD_ITALIC = "Carlito-BoldItalic"

_FACES = {
    REGULAR: "Carlito-Regular.ttf",
    BOLD: "Carlito-Bold.ttf",
    ITALIC: "Carlito-Italic.ttf",
    BOLD_ITALIC: "Carlito-BoldItalic.ttf",
}

_covered: frozenset[int] | None = None


def register_fonts() -> frozenset[int]:
    """Register the Carlito family once per process; return the code points all faces draw.

    reportlab's font registry is global, so a second call only returns the cached
    coverage. Coverage is the intersection over the four faces: a character is safe
    only if it prints in whatever style the text happens to be set.
    """
    global _covered
    if _covered is not None:
        return _covered
    coverage: frozenset[int] | None = None
    for name, filename in _FACES.items():
        font = TTFont(name, str(FONT_DIR / filename))
        pdfmetrics.registerFont(font)
        cmap = frozenset(font.face.charToGlyph)
        coverage = cmap if coverage is None else coverage & cmap
    pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC,
                                  boldItalic=BOLD_ITALIC)
    # The family name itself must map too, for markup such as <font name="Carlito">.
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, ITALIC)
    addMapping(FAMILY, 1, 1, BOLD_ITALIC)
    _covered = coverage or frozenset()
    return _covered


def describe_char(ch: str) -> str:
    """``U+AC00 HANGUL SYLLABLE GA`` — how a warning names a character."""
    cp = ord(ch)
    name = unicodedata.name(ch, "") if not 0xD800 <= cp <= 0xDFFF else "SURROGATE"
    if not name:
        name = {0x7F: "DELETE"}.get(cp, "control character" if cp < 0xA0 else "unnamed")
    return f"U+{cp:04X} {name}"


@dataclass
class TextPreparer:
    """Cleans, checks and escapes data text for reportlab's paragraph markup.

    Warnings are gathered per character (first place seen, how many times) and given
    out once by ``flush``, so a brief with a thousand Korean names gives one line per
    missing glyph rather than a thousand.
    """

    covered: frozenset[int]
    warn: Callable[[str], None]
    _missing: dict[str, list] = field(default_factory=dict)
    _dropped: dict[str, list] = field(default_factory=dict)
    _ok: set[str] = field(default_factory=set)

    def clean(self, text: str, where: str) -> str:
        """The text with characters XML cannot hold removed, and unprintable ones noted."""
        chars = set(text)
        if chars <= self._ok:
            return text
        bad = False
        for ch in chars - self._ok:
            cp = ord(ch)
            if not allowed(ch):
                bad = True
                self._note(self._dropped, ch, where, text.count(ch))
            elif cp in self.covered or ch in "\t\n\r":
                self._ok.add(ch)
            else:
                self._note(self._missing, ch, where, text.count(ch))
        if bad:
            text = "".join(ch for ch in text if allowed(ch))
        return text

    def markup(self, text: str, where: str) -> str:
        """Clean and escape text for paragraph markup: ``&``, ``<``, ``>`` come out as written."""
        return escape(self.clean(text, where))

    def attribute(self, text: str, where: str) -> str:
        """Clean and escape text for a double-quoted markup attribute (a URL)."""
        return escape(self.clean(text, where), {'"': "&quot;"})

    @staticmethod
    def _note(table: dict[str, list], ch: str, where: str, count: int) -> None:
        if ch in table:
            table[ch][1] += count
        else:
            table[ch] = [where, count]

    def flush(self) -> None:
        """Give out the gathered warnings, in code-point order (deterministic)."""
        for ch, (where, count) in sorted(self._dropped.items()):
            times = "" if count == 1 else f" ({count} times in the brief)"
            self.warn(f"PDF: dropped {describe_char(ch)}, a character a PDF cannot hold, "
                      f"first in {where}{times}")
        for ch, (where, count) in sorted(self._missing.items()):
            times = "" if count == 1 else f" ({count} times in the brief)"
            self.warn(f"PDF: the font {FAMILY} has no glyph for {describe_char(ch)} "
                      f"({ch!r}), first in {where}{times}; it prints as an empty box")
        self._dropped.clear()
        self._missing.clear()


def excerpt(text: str, limit: int = 40) -> str:
    """A short, one-line excerpt of text for naming a place in a warning."""
    text = " ".join(text[: limit * 4].split())
    text = "".join(ch for ch in text if allowed(ch))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
