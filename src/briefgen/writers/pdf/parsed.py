"""Paragraph markup parsed, and its lines broken, once per text, style and width.

reportlab parses each paragraph's markup with an HTML parser into fragments
(``ParaFrag``: a run of text with its font, size, colour, link or callback). That parse
is a pure function of the markup and the style's values, and a brief repeats it for
every paragraph and note on every build. ``ParsedParagraph`` keeps the result under a key
of the cleaned markup and every value of the style (not the style object, which is made
anew for each build). Each paragraph gets its own list of the fragments; the fragments
themselves are shared: layout replaces a paragraph's fragment list, never the list it
was given, and sets on a fragment only its kind (``_fkind``), which the fragment alone
decides, so the kept originals stay as parsed.

Breaking a fresh paragraph into lines is likewise a pure function of its fragments (so of
the parse key), its bullet and the width, and is kept the same way: the first paragraph
that is wrapped at a width stores a copy of what ``wrap`` left on it (the lines, the
fragment word list, height and widths), made down to every object that layout, splitting
or drawing may change in place. A later paragraph of the same key and width gets its own
lines, each with its own list of words, because drawing a paragraph changes those lists
(``tags.keep_line_spaces`` puts a space at each line's end: it replaces a word by a changed
clone, never changes a fragment). The words' fragments are shared, and so are the word
lists of the processed fragments until something other than drawing needs them: a split
(which changes the class of its last word list) or breaking the lines again at another
width first gives the paragraph its own copies (``_own_words``). The fragments inside
those word lists are shared, as reportlab's own split parts share them.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import (
    _FUZZ,
    FragLine,
    ParaLines,
    cleanBlockQuotedText,
    textTransformFrags,
)
from reportlab.platypus.paraparser import ParaParser

from ...memo import Memo, between_builds

#: (markup, case sensitivity, style values) -> (cleaned markup, style was kept, the style
#: parsed, fragments, bullet fragments)
_PARSED: Memo[tuple[str, bool, ParagraphStyle, list[Any], list[Any] | None]] = Memo(8192)


#: (parse key, bullet, width) -> the state ``wrap`` leaves on a fresh paragraph
_LAID: Memo[dict[str, Any]] = Memo(8192)
#: what ``Paragraph.wrap`` (and ``breakLines``) set on the paragraph
_WRAPPED = ("width", "height", "blPara", "frags", "_wrapWidths", "_width_max",
            "_splitLongWordCount", "_hyphenations")


def style_key(style: ParagraphStyle) -> tuple[Any, ...]:
    """Every value of a style (its name and parent aside), with its type: what parsing and
    line breaking may read. Styles built alike list their values in the same order; one
    built otherwise only misses the memo."""
    values = dict(style.__dict__)
    values.pop("name", None)
    values.pop("parent", None)
    kept = tuple(values.values())
    return tuple(values), kept, tuple(map(type, kept))


def _parse(text: str, style: ParagraphStyle, case: int) -> tuple[str, bool, ParagraphStyle, list[Any],
                                                                  list[Any] | None]:
    text = cleanBlockQuotedText(text)
    parser = ParaParser()
    parser.caseSensitive = case
    parsed_style, frags, bullet_frags = parser.parse(text, style)
    if frags is None:  # as reportlab's own Paragraph says it
        raise ValueError(f"xml parser error ({parser.errors[0]}) in paragraph beginning\n"
                         f"'{text[:min(30, len(text))]}'")
    textTransformFrags(frags, parsed_style)
    return text, parsed_style is style, parsed_style, frags, bullet_frags


class ParsedParagraph(Paragraph):
    """A reportlab Paragraph whose markup is parsed, and whose lines are broken at a
    width, at most once per text and style."""

    _layout_key: tuple[Any, ...] | None = None
    _shared_words = False  # the processed fragments' word lists are the memo's (``wrap``)

    def _setup(self, text: str, style: ParagraphStyle, bulletText: Any, frags: Any,
               cleaner: Any) -> None:
        self._layout_key = None
        if (frags is not None or cleaner is not cleanBlockQuotedText or not isinstance(text, str)
                or not between_builds()):
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        case = self.caseSensitive
        key = (text, case, style_key(style))
        clean, kept, parsed_style, parsed, bullet = _PARSED.get(key, partial(_parse, text, style, case))
        self.text = clean
        self.frags = list(parsed)
        self.style = style if kept else parsed_style
        self.bulletText = [f.clone() for f in bullet] if bullet else bulletText
        self.debug = 0
        if kept and (self.bulletText is None or isinstance(self.bulletText, str)):
            self._layout_key = (key, self.bulletText, self.encoding)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        key = self._layout_key
        if key is None or availWidth < _FUZZ or "autoLeading" in self.__dict__:
            self._own_words()
            return super().wrap(availWidth, availHeight)
        self._layout_key = None  # wrapped once, the fragments are no longer as parsed
        laid = _LAID.peek((key, availWidth))
        if laid is None:
            size = super().wrap(availWidth, availHeight)
            _LAID.put((key, availWidth), _copy_state({k: self.__dict__[k] for k in _WRAPPED
                                                       if k in self.__dict__}))
            return size
        self.__dict__.update(_share_state(laid))
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        self._own_words()
        return super().split(availWidth, availHeight)  # type: ignore[no-any-return]

    def _own_words(self) -> None:
        """Copies of the memo's word lists before reportlab may change them (split, wrap)."""
        if self._shared_words:
            self._shared_words = False
            self.frags = [_copy_word(w) for w in self.frags]


def _copy_state(state: dict[str, Any]) -> dict[str, Any]:
    """A deep enough copy of what ``wrap`` left, for the memo to keep."""
    out = dict(state)
    if "_wrapWidths" in out:
        out["_wrapWidths"] = list(out["_wrapWidths"])
    if "frags" in out:
        out["frags"] = [_copy_word(w) for w in out["frags"]]
    if "blPara" in out:
        out["blPara"] = _copy_lines(out["blPara"], clone=True)
    return out


def _share_state(laid: dict[str, Any]) -> dict[str, Any]:
    """The memo's state for one paragraph: its own lines and lists, shared fragments."""
    out = dict(laid)
    if "_wrapWidths" in out:
        out["_wrapWidths"] = list(out["_wrapWidths"])
    if "frags" in out:
        out["frags"] = list(out["frags"])
        out["_shared_words"] = True
    if "blPara" in out:
        out["blPara"] = _copy_lines(out["blPara"], clone=False)
    return out


def _copy_word(word: Any) -> Any:
    """One entry of a paragraph's fragments: a fragment, or a processed word list."""
    if isinstance(word, list):
        copy = word.__class__(word)
        if type(word) is not list:
            copy.__dict__.update(word.__dict__)
        return copy
    return word.clone() if hasattr(word, "clone") else word


def _copy_lines(bl: Any, clone: bool) -> Any:
    """The lines, each with its own word list; with ``clone``, each word's fragment copied."""
    if bl.kind == 0:  # one style: lines of (spare width, words as text)
        return bl.clone(lines=[(line[0], list(line[1])) for line in bl.lines])
    lines = []
    new = FragLine.__new__
    for line in bl.lines:
        attrs = dict(line.__dict__)  # what ``FragLine(**attrs)`` would set (``ABag``)
        attrs["words"] = ([w.clone() if hasattr(w, "clone") else w for w in line.words] if clone
                          else list(line.words))
        copy = new(FragLine)
        copy.__dict__.update(attrs)
        lines.append(copy)
    paralines = ParaLines.__new__(ParaLines)
    paralines.__dict__.update(bl.__dict__)
    paralines.lines = lines
    return paralines
