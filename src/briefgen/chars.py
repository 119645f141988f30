"""Characters a document cannot hold: one rule for loading YAML and for both writers.

XML 1.0 cannot hold C0 controls other than tab, newline and return, lone surrogates,
U+FFFE or U+FFFF; nor should a brief print DEL or the C1 controls (U+007F-U+009F),
which neither Word nor a PDF viewer shows. Loading drops them with a warning naming
the line; a writer drops any that reach it (a tree made in code) with a warning
naming the place, so the DOCX and the PDF always hold the same characters.
"""

from __future__ import annotations

import re

from .errors import Warn

#: The characters a document can hold (the complement of ``CANNOT_HOLD``).
CAN_HOLD = "\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff"

#: One character a document cannot hold: every code point outside ``CAN_HOLD``, listed
#: (a negated class of those wide ranges takes re several milliseconds to compile, at
#: every start; this one a tenth of that).
CANNOT_HOLD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


#: Private-use characters briefgen uses as markers while composing (citation marks, the
#: placeholders of prose fields). None is ever taken from input: loading replaces any with
#: U+FFFD, with a warning, so none can reach an output.
RESERVED = re.compile("[\ue000-\ue002\ue010\ue011]")


#: Invisible characters that make a text read otherwise than it is checked: the
#: bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069)
#: show letters in another order than they are stored ("Trojan Source"), and the
#: zero-width space, word joiner, zero-width no-break space and soft hyphen split a
#: word or name the evidence checks would otherwise see. Loading YAML drops them with a
#: warning naming the line; comparing a quotation with its source ignores them.
INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


def allowed(ch: str) -> bool:
    """Whether a document can hold the single character ``ch``."""
    return CANNOT_HOLD.match(ch) is None


def code_points(chars: set[str] | list[str]) -> list[str]:
    """``U+0007``-style names of characters, in code-point order."""
    return [f"U+{ord(c):04X}" for c in sorted(set(chars))]


def drop_illegal(text: str) -> tuple[str, list[str]]:
    """``text`` without the characters a document cannot hold, and their names (U+0007, …)."""
    if CANNOT_HOLD.search(text) is None:
        return text, []
    return CANNOT_HOLD.sub("", text), code_points(CANNOT_HOLD.findall(text))


class Cleaner:
    """Drops characters a document cannot hold, and reports each place it touched once."""

    def __init__(self, warn: Warn, prefix: str = "") -> None:
        self._warn = warn
        self._prefix = prefix
        self._dropped: dict[str, set[str]] = {}

    def __call__(self, text: str, where: str) -> str:
        if (text.isascii() and text.isprintable()) or CANNOT_HOLD.search(text) is None:
            return text  # printable ASCII (the common case, checked fastest) holds no such character
        self._dropped.setdefault(where, set()).update(CANNOT_HOLD.findall(text))
        return CANNOT_HOLD.sub("", text)

    def report(self) -> None:
        for where, chars in self._dropped.items():
            codes = ", ".join(code_points(chars))
            self._warn(f"{self._prefix}{where}: dropped character(s) a document cannot hold: {codes}")
        self._dropped.clear()
