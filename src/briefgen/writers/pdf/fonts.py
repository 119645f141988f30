"""Fonts and text preparation for the PDF writer.

The PDF embeds Carlito (shipped in ``briefgen/fonts`` under the SIL Open Font License),
a TrueType family metric-compatible with Calibri, so a brief has the same line lengths in
Word and in the PDF. reportlab embeds only the glyphs used (subsetting), which keeps a
three-page brief small. Registering the four faces as one family is what lets ``<b>`` and
``<i>`` in paragraph markup pick the bold and italic files.

Text in a script Carlito does not cover (Hangul: 윤석열) is set, run by run, in a
fallback TrueType font found through fontconfig — NanumGothic on Debian
(``fonts-nanum``), or any font fontconfig lists for Korean — or named by the
``BRIEFGEN_FALLBACK_FONT`` environment variable (a .ttf path); only its used glyphs are
embedded.

Every piece of text from the Document passes through ``TextPreparer`` before it reaches
reportlab's paragraph markup, because that markup is XML-like: an unescaped ``&`` or ``<``
is silently eaten, and a control character breaks the parser. Characters the font cannot
draw would print as an empty box; the preparer says so through ``warn`` instead of
letting it happen silently.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from reportlab.lib.fonts import addMapping, tt2ps
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ...chars import CANNOT_HOLD, allowed
from ...errors import Warn
from ...memo import Memo
from .xmp import escape

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


def _subsets_kept(font: TTFont) -> TTFont:
    """``font``, its subsets made once per list of characters.

    Each PDF embeds, per face, the subsets of the characters it uses; a subset is a pure
    function of the font file (read once, at registration) and that list, so a warm
    process that writes the same characters again reuses the bytes.
    """
    face = font.face
    make = face.makeSubset
    made: Memo[bytes] = Memo(256)

    def make_subset(subset: list[int]) -> bytes:
        return made.get(tuple(subset), partial(make, subset))

    face.makeSubset = make_subset
    return font


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
        font = _subsets_kept(TTFont(name, str(FONT_DIR / filename)))
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


FALLBACK = "BriefgenFallback"
_fallback: tuple[frozenset[int], str] | None = None
_PREFERRED = ("NanumGothic", "NanumBarunGothic", "UnDotum", "Baekmuk")


def _fontconfig_fonts() -> list[tuple[str, str, str]]:
    """(file, family, style) of the TrueType fonts fontconfig lists for Korean."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        out = subprocess.run([fc_list, ":lang=ko:fontformat=TrueType", "file", "family", "style"],
                             capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = []
    for line in out.splitlines():
        m = re.match(r"(.+?): ([^:]*)(?::style=(.*))?$", line.strip())
        if m and m.group(1).lower().endswith(".ttf"):
            family = m.group(2).split(",")[0]
            fonts.append((m.group(1), family, (m.group(3) or "").split(",")[0]))
    return sorted(fonts)


def _fallback_files() -> tuple[str, str] | None:
    """Regular and bold files of the fallback font (the bold may be the regular)."""
    named = os.environ.get("BRIEFGEN_FALLBACK_FONT", "").strip()
    if named and Path(named).is_file():
        return named, named
    fonts = _fontconfig_fonts()
    if not fonts:
        return None
    families = [f for _, f, _ in fonts]
    family = next((p for p in _PREFERRED if p in families), families[0])
    faces = {style: path for path, fam, style in fonts if fam == family}
    regular = faces.get("Regular") or next(iter(faces.values()))
    return regular, faces.get("Bold", regular)


def register_fallback() -> tuple[frozenset[int], str] | None:
    """Register the fallback family once; its coverage and name, or None without one."""
    global _fallback
    if _fallback is not None:
        return _fallback if _fallback[1] else None
    files = _fallback_files()
    if files is None:
        _fallback = (frozenset(), "")
        return None
    try:
        regular = _subsets_kept(TTFont(FALLBACK, files[0]))
        bold = _subsets_kept(TTFont(FALLBACK + "-Bold", files[1])) if files[1] != files[0] else None
    except (TTFError, OSError, ValueError):  # CFF outlines, a damaged file: no fallback
        _fallback = (frozenset(), "")
        return None
    pdfmetrics.registerFont(regular)
    bold_name = FALLBACK
    if bold is not None:
        pdfmetrics.registerFont(bold)
        bold_name = bold.fontName
    pdfmetrics.registerFontFamily(FALLBACK, normal=FALLBACK, bold=bold_name, italic=FALLBACK,
                                  boldItalic=bold_name)
    # italic first, upright last: the last mapping of a face is how reportlab reads its
    # name back, so the regular face must read as upright regular and the bold as bold
    for b, i in ((0, 1), (1, 1), (1, 0), (0, 0)):
        addMapping(FALLBACK, b, i, bold_name if b else FALLBACK)
    coverage = frozenset(regular.face.charToGlyph)
    if bold is not None:
        coverage &= frozenset(bold.face.charToGlyph)
    _fallback = (coverage, FALLBACK)
    return _fallback


def font_runs(text: str, fallback_chars: frozenset[str] | set[str],
              bold: bool = False) -> list[tuple[str, str | None]]:
    """``text`` cut into runs: (run, None) for the main font, (run, face) for the fallback.

    ``fallback_chars`` are the characters only the fallback font draws; ``face`` is its
    bold face when ``bold``.
    """
    if not fallback_chars or fallback_chars.isdisjoint(text):
        return [(text, None)] if text else []
    face = tt2ps(FALLBACK, 1, 0) if bold else FALLBACK
    runs: list[tuple[str, str | None]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or (text[i] in fallback_chars) != (text[start] in fallback_chars):
            runs.append((text[start:i], face if text[start] in fallback_chars else None))
            start = i
    return runs


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
    warn: Warn
    family: str = FAMILY
    #: coverage and name of the fallback font, or the function that finds it (such as
    #: ``register_fallback``): called the first time a character the family lacks is met,
    #: so a brief that needs no fallback never parses that large font file
    fallback: tuple[frozenset[int], str] | Callable[[], tuple[frozenset[int], str] | None] | None = None
    _missing: dict[str, list] = field(default_factory=dict)
    _other: set[str] = field(default_factory=set)  # characters set in the fallback font
    _dropped: dict[str, list] = field(default_factory=dict)
    _ok: set[str] = field(default_factory=set)

    def clean(self, text: str, where: str) -> str:
        """The text with characters XML cannot hold removed, and unprintable ones noted."""
        chars = set(text)
        if chars <= self._ok:
            return text
        bad = False
        for ch in sorted(chars - self._ok, key=text.index):  # in reading order
            cp = ord(ch)
            if not allowed(ch):
                bad = True
                self._note(self._dropped, ch, where, text.count(ch))
            elif cp in self.covered or ch in "\t\n\r":
                self._ok.add(ch)
            elif (fallback := self._fallback()) is not None and cp in fallback[0]:
                self._ok.add(ch)
                self._other.add(ch)
            else:
                self._note(self._missing, ch, where, text.count(ch))
        if bad:
            text = "".join(ch for ch in text if allowed(ch))
        return text

    def _fallback(self) -> tuple[frozenset[int], str] | None:
        if callable(self.fallback):
            self.fallback = self.fallback()
        return self.fallback

    def markup(self, text: str, where: str, bold: bool = False) -> str:
        """Clean and escape text for paragraph markup: ``&``, ``<``, ``>`` come out as written.

        Runs of characters only the fallback font draws are set in that font (its bold
        face when ``bold``: a font tag resets the weight of the text around it).
        """
        text = escape(self.clean(text, where))
        if not self._other or self._other.isdisjoint(text):
            return text
        return "".join(piece if name is None else f'<font name="{name}">{piece}</font>'
                       for piece, name in font_runs(text, self._other, bold))

    @property
    def fallback_chars(self) -> frozenset[str]:
        """The characters met so far that only the fallback font draws."""
        return frozenset(self._other)

    def attribute(self, text: str, where: str) -> str:
        """Clean and escape text for a double-quoted markup attribute (a URL)."""
        return escape(self.clean(text, where), {'"': "&quot;"})

    @staticmethod
    def _note(table: dict[str, list], ch: str, where: str, count: int) -> None:
        if ch in table:
            table[ch][1] += count
        else:
            table[ch] = [where, count, len(table)]  # where first, how often, in what order

    def has_problems(self) -> bool:
        """Whether some text could not be set as written (a missing glyph, a dropped char)."""
        return bool(self._missing or self._dropped)

    def flush(self) -> None:
        """Give out the gathered warnings, in code-point order (deterministic)."""
        for ch, (where, count, _) in sorted(self._dropped.items()):
            times = "" if count == 1 else f" ({count} times in the brief)"
            self.warn(f"PDF: dropped {describe_char(ch)}, a character a PDF cannot hold, "
                      f"first in {where}{times}")
        if self._missing:
            # one line for all of them: a name in Hangul alone has a dozen syllables
            chars = sorted(self._missing)
            first = min(chars, key=lambda c: self._missing[c][2])
            where = self._missing[first][0]
            total = sum(v[1] for v in self._missing.values())
            others = "".join(c for c in chars if c != first)[:12]
            more = f" and {len(chars) - 1} other character(s) ({others!r})" if others else ""
            hint = ("nor the fallback font" if self._fallback() is not None else
                    "and no fallback font was found (install fonts-nanum, or set "
                    "BRIEFGEN_FALLBACK_FONT to a .ttf file)")
            self.warn(f"PDF: the font {self.family} has no glyph for {describe_char(first)} "
                      f"({first!r}){more}, {hint}; first in {where} ({total} time(s) in the "
                      "brief); they print as empty boxes")
        self._dropped.clear()
        self._missing.clear()


def excerpt(text: str, limit: int = 40) -> str:
    """A short, one-line excerpt of text for naming a place in a warning."""
    text = CANNOT_HOLD.sub("", " ".join(text[: limit * 4].split()))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- house fonts


@dataclass(frozen=True)
class FontSet:
    """The registered names of one family's four faces, as reportlab knows them."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str


CARLITO = FontSet(FAMILY, REGULAR, BOLD, ITALIC, BOLD_ITALIC)
_STYLES = {"regular": ("Regular", "Book", "Roman", "Normal"), "bold": ("Bold",),
           "italic": ("Italic", "Oblique"), "bold_italic": ("Bold Italic", "Bold Oblique")}
_house_cache: dict[tuple[str, tuple[Path, ...]], tuple[FontSet, frozenset[int], tuple[str, ...]] | None] = {}


def _ttf_names(path: Path) -> tuple[str, str] | None:
    """(family, style) from a TrueType file's name table; None if it cannot be read."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

    try:
        face = TTFontFile(str(path))
    except (TTFError, OSError, ValueError, KeyError, IndexError):
        return None
    family, style = getattr(face, "familyName", b""), getattr(face, "styleName", b"")
    def decode(value: object) -> str:
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value or "")

    return decode(family), decode(style)


def _from_folders(family: str, folders: tuple[Path, ...]) -> dict[str, Path]:
    """The faces of ``family`` among the TrueType files of ``folders`` (a house ``fonts/``)."""
    found: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() != ".ttf" or not path.is_file():
                continue
            names = _ttf_names(path)
            if names is None or names[0].lower() != family.lower():
                continue
            for face, styles in _STYLES.items():
                if names[1].lower() in (s.lower() for s in styles):
                    found.setdefault(face, path)
    return found


def _from_fontconfig(family: str) -> dict[str, Path]:
    """The faces of ``family`` that fontconfig (``fc-match``) has, TrueType only."""
    import shutil
    import subprocess

    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return {}
    found: dict[str, Path] = {}
    for face, styles in _STYLES.items():
        try:
            out = subprocess.run([fc_match, "-f", "%{family}|%{style}|%{file}", f"{family}:style={styles[0]}"],
                                 capture_output=True, text=True, timeout=10, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            return {}
        families, style, file = (out.split("|") + ["", "", ""])[:3]
        if family.lower() not in (f.strip().lower() for f in families.split(",")):
            continue  # fontconfig offers a substitute: not the house font
        if file.lower().endswith(".ttf") and style.split(",")[0].strip().lower() in (s.lower() for s in styles):
            found[face] = Path(file)
    return found


def house_fonts(family: str, folders: tuple[Path, ...], warn: Warn) -> tuple[FontSet, frozenset[int]]:
    """The house family registered for the PDF, with the code points all its faces draw.

    Looked for in ``folders`` (a ``fonts/`` folder beside the templates) and then with
    fontconfig. Without a regular face, Carlito, with a warning naming the family; a
    missing bold or italic face is drawn with the regular one, also with a warning.
    """
    if family.lower() in (FAMILY.lower(), "calibri"):  # Carlito is metric-compatible with Calibri
        return CARLITO, register_fonts()
    key = (family, folders)
    if key not in _house_cache:
        faces = _from_folders(family, folders) or _from_fontconfig(family)
        if "regular" not in faces:
            _house_cache[key] = None
        else:
            register_fonts()
            coverage: frozenset[int] | None = None
            names: dict[str, str] = {}
            for face in _STYLES:
                path = faces.get(face, faces["regular"])
                name = f"House-{family.replace(' ', '')}-{face}"
                font = _subsets_kept(TTFont(name, str(path)))
                pdfmetrics.registerFont(font)
                names[face] = name
                cmap = frozenset(font.face.charToGlyph)
                coverage = cmap if coverage is None else coverage & cmap
            fonts = FontSet(f"House-{family.replace(' ', '')}", names["regular"], names["bold"], names["italic"],
                            names["bold_italic"])
            pdfmetrics.registerFontFamily(fonts.family, normal=fonts.regular, bold=fonts.bold,
                                          italic=fonts.italic, boldItalic=fonts.bold_italic)
            for (bold, italic), name in {(0, 0): fonts.regular, (1, 0): fonts.bold, (0, 1): fonts.italic,
                                         (1, 1): fonts.bold_italic}.items():
                addMapping(fonts.regular, bold, italic, name)
            _house_cache[key] = (fonts, coverage or frozenset(), tuple(sorted(set(_STYLES) - set(faces))))
    cached = _house_cache[key]
    if cached is None:
        warn(f"PDF: font {family!r} not found; using {FAMILY}")
        return CARLITO, register_fonts()
    fonts, coverage, missing = cached
    for face in missing:
        warn(f"PDF: font {family!r} has no {face.replace('_', ' ')} face; using its regular face")
    return fonts, coverage
