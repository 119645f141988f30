"""Paragraph markup parsed once per text and style, in a build and across warm rebuilds.

reportlab parses each paragraph's markup with an HTML parser into fragments
(``ParaFrag``: a run of text with its font, size, colour, link or callback). That parse
is a pure function of the markup and the style's values, and a brief repeats it for
every paragraph and note on every build. ``ParsedParagraph`` keeps the result under a key
of the cleaned markup and every value of the style (not the style object, which is made
anew for each build), and gives each paragraph its own shallow copies of the fragments:
layout sets attributes on fragments (``_fkind``) and replaces a paragraph's fragment
list, never the list it was given, so the kept originals stay as parsed.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser

from ...memo import Memo

#: (markup, case sensitivity, style values) -> (cleaned markup, style was kept, the style
#: parsed, fragments, bullet fragments)
_PARSED: Memo[tuple[str, bool, ParagraphStyle, list[Any], list[Any] | None]] = Memo(8192)


def style_key(style: ParagraphStyle) -> tuple[tuple[str, str], ...]:
    """Every value of a style (its name and parent aside) as text: what parsing may read."""
    return tuple(sorted((k, repr(v)) for k, v in style.__dict__.items() if k not in ("name", "parent")))


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
    """A reportlab Paragraph whose markup is parsed at most once per text and style."""

    def _setup(self, text: str, style: ParagraphStyle, bulletText: Any, frags: Any,
               cleaner: Any) -> None:
        if frags is not None or cleaner is not cleanBlockQuotedText or not isinstance(text, str):
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        case = self.caseSensitive
        clean, kept, parsed_style, parsed, bullet = _PARSED.get(
            (text, case, style_key(style)), partial(_parse, text, style, case))
        self.text = clean
        self.frags = [f.clone() for f in parsed]
        self.style = style if kept else parsed_style
        self.bulletText = [f.clone() for f in bullet] if bullet else bulletText
        self.debug = 0
