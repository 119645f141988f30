"""Finding a quotation in its source: Chicago elisions, paragraphs, and a real hint.

A quotation is verbatim, except where Chicago lets the analyst mark a change:

- an ellipsis (``…``, ``. . .`` or ``...``) for words left out;
- square brackets (``[t]he``, ``[NATO]``, ``[…]``) for words the analyst inserts or
  changes.

Each verbatim segment between those marks must stand in the source, in order, within
one paragraph, and begin and end where the source's words do ("likely" is not found in
"unlikely"; only an edge beside square brackets may fall inside a word, as in
``[t]he``). What an ellipsis or brackets leave out, and the word just before the
quotation, must not be a negation or a hedge of the words kept ("was … part" cut from
"was not part"): ``dropped`` names it. Comparison ignores only white space and the style of quotes,
apostrophes and dashes (``fold``). A quotation that runs across a paragraph boundary
is reported with both paragraphs. A quotation that is not found gets the closest
passage of the source, found by a real alignment (rapidfuzz picks the paragraph,
difflib aligns the words), and the first word where they differ.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # difflib is imported only to give a hint for a quotation not found
    import difflib

# Typographic quotes, apostrophes and dashes fold to their plain forms; the invisible
# characters of ``chars.INVISIBLE`` (which loading drops from a quotation) are ignored;
# every other character stays as it is.
_FOLD = str.maketrans({
    "\u00ad": None, "\u200b": None, "\u2060": None, "\ufeff": None,
    **{chr(c): None for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-",
})
_SPACE = re.compile(r"\s+")

#: An elision: the analyst's ellipsis, or words in square brackets (inserted or changed).
ELISION = re.compile(r"\[[^\[\]]*\]|\u2026|\.[ \u00a0]\.[ \u00a0]\.(?:[ \u00a0]\.)?|\.\.\.")


def fold(text: str) -> str:
    """Text as compared: quote and dash styles folded, white space runs made one space."""
    return _SPACE.sub(" ", text.translate(_FOLD)).strip()


def fold_styles(text: str) -> str:
    """Quote and dash styles folded, white space left as it is (``fold`` for a reader that
    splits at white space anyway)."""
    return text.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class Piece:
    """A verbatim part of a quotation, folded, and whether an edge may fall inside a
    word of the source: only beside the analyst's square brackets (``[t]he``)."""

    text: str
    open_left: bool
    open_right: bool
    inserted: str = ""  # the words in square brackets just before it, if any
    appended: str = ""  # the last piece only: the words in square brackets after it


def pieces(quote: str) -> list[Piece]:
    """The verbatim parts of a quotation, in order, with what borders each."""
    out: list[Piece] = []
    pos, after_bracket = 0, False
    inserted: list[str] = []
    marks = [(m.start(), m.end(), m.group()) for m in ELISION.finditer(quote)]
    for start, end, mark in [*marks, (len(quote), len(quote), "")]:
        folded = fold(quote[pos:start])
        if any(c.isalnum() for c in folded):
            out.append(Piece(folded, after_bracket, mark.startswith("["), " ".join(inserted)))
            inserted = []
        if mark.startswith("["):
            inserted.append(fold(mark[1:-1]))
        pos, after_bracket = end, mark.startswith("[")
    if out and inserted:
        last = out[-1]
        out[-1] = Piece(last.text, last.open_left, last.open_right, last.inserted, " ".join(inserted))
    return out


def _word_char(c: str) -> bool:
    """A letter or digit of a script that spaces its words (Hangul and CJK join words
    and particles, so a cut inside their runs is not a cut inside a word)."""
    if not c.isalnum():
        return False
    o = ord(c)
    return not (0x1100 <= o <= 0x11FF or 0x3040 <= o <= 0x30FF or 0x3130 <= o <= 0x318F
                or 0x3400 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF)


def _locate(text: str, piece: Piece, pos: int) -> int:
    """Where ``piece`` first stands in ``text`` at or after ``pos`` with its edges on
    the source's word boundaries; -1 when it does not."""
    seg = piece.text
    at = text.find(seg, pos)
    while at >= 0:
        end = at + len(seg)
        left = (piece.open_left or at == 0 or not _word_char(seg[0])
                or not _word_char(text[at - 1]))
        right = (piece.open_right or end == len(text) or not _word_char(seg[-1])
                 or not _word_char(text[end]))
        if left and right:
            return at
        at = text.find(seg, at + 1)
    return -1


def _spans(text: str, segs: list[Piece]) -> list[tuple[int, int]] | None:
    """Where each piece stands in ``text``, in order (each as early as it can)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for seg in segs:
        at = _locate(text, seg, pos)
        if at < 0:
            return None
        pos = at + len(seg.text)
        out.append((at, pos))
    return out


#: Words whose loss turns what the words kept say into something else: a negation
#: reverses them, a hedge's loss makes a possibility a fact.
NEGATIONS = frozenset({"not", "no", "never", "nor", "neither", "none", "nobody", "nothing",
                       "nowhere", "cannot", "without"})
HEDGES = frozenset({"may", "might", "could", "reportedly", "allegedly", "possibly", "perhaps",
                    "probably", "likely", "unlikely", "apparently", "purportedly"})
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]*[A-Z0-9])")
_WORDS = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
#: How many words of an omission, at each edge, stand close enough to the words kept
#: to turn them ("was [certainly not] part").
_EDGE = 2


def _turning_words(text: str) -> list[str]:
    return [w for w in _WORDS.findall(text)
            if w.lower() in NEGATIONS or w.lower() in HEDGES or w.lower().endswith("n't")]


def _kind(word: str) -> str:
    return "hedge" if word.lower() in HEDGES else "negation"


def _unmatched(words: list[str], other: str) -> list[str]:
    """The turning words of ``words`` whose kind (negation, hedge) ``other`` lacks."""
    kinds = {_kind(w) for w in _turning_words(other)}
    return [w for w in words if _kind(w) not in kinds]


def has_elisions(quote: str) -> bool:
    return ELISION.search(quote) is not None


@dataclass(frozen=True, slots=True)
class Found:
    """Where a quotation stands: the first and last paragraph (by index) it touches."""

    first: int
    last: int

    @property
    def within_one(self) -> bool:
        return self.first == self.last


class TextIndex:
    """A source's paragraphs, folded, for finding quotations."""

    def __init__(self, paragraphs: list[str]):
        self.folded = [fold(p) for p in paragraphs]
        self.starts: list[int] = []
        pos = 0
        for f in self.folded:
            self.starts.append(pos)
            pos += len(f) + 1
        self.text = " ".join(self.folded)

    def _paragraph_at(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def find(self, quote: str) -> Found | None:
        """Where the quotation's segments stand in order, preferring one paragraph;
        ``None`` when they do not stand in the text at all."""
        segs = pieces(quote)
        if not segs:
            return None
        first = segs[0]
        tried: set[int] = set()
        at = _locate(self.text, first, 0)
        while at >= 0:
            i = self._paragraph_at(at)
            if i not in tried:
                tried.add(i)
                if _spans(self.folded[i], segs) is not None:
                    return Found(i, i)
            at = _locate(self.text, first, at + 1)
        # Not within one paragraph: does it stand across a boundary?
        spans = _spans(self.text, segs)
        if spans is None:
            return None
        return Found(self._paragraph_at(spans[0][0]), self._paragraph_at(spans[-1][1] - 1))

    def first_missing(self, quote: str) -> str:
        """The first segment of an elided quotation that stands in no paragraph in order."""
        segs = pieces(quote)
        for n in range(1, len(segs) + 1):
            if not any(_spans(p, segs[:n]) is not None for p in self.folded):
                return segs[n - 1].text
        return segs[-1].text if segs else ""

    def dropped(self, quote: str, paragraph: int) -> tuple[str, str] | None:
        """A negation or hedge that the quotation, as it stands in ``paragraph``, turns
        round: ``("elided", word)`` for one that an ellipsis or brackets leave out, within
        two words of the words kept and in their sentence; ``("before", word)`` for the
        word just before the quotation begins; ``("added", word)`` for one the analyst's
        brackets put where the source has none. Brackets that give the same kind of word
        (``[did not]`` for "didn't") turn nothing. ``None`` when nothing is turned."""
        text = self.folded[paragraph]
        segs = pieces(quote)
        spans = _spans(text, segs)
        if not spans:
            return None
        for k, ((_, end), (start, _)) in enumerate(itertools.pairwise(spans)):
            # The words an omission leaves out next to the words kept, within their
            # sentences: a clause dropped whole is not the words kept turned round.
            gap, inserted = text[end:start], segs[k + 1].inserted
            parts = _SENTENCE_END.split(gap)
            near = " ".join(_WORDS.findall(parts[0])[:_EDGE] + _WORDS.findall(parts[-1])[-_EDGE:])
            lost = _unmatched(_turning_words(near), inserted)
            if lost:
                return "elided", lost[0]
            added = _unmatched(_turning_words(inserted), gap)
            if added:
                return "added", added[0]
        if segs[-1].appended:
            after = " ".join(_WORDS.findall(text[spans[-1][1]:spans[-1][1] + 60])[:3])
            added = _unmatched(_turning_words(segs[-1].appended), after)
            if added:
                return "added", added[0]
        head = text[:spans[0][0]].rstrip()
        before = _WORDS.findall(head[-60:])
        inserted = segs[0].inserted
        if inserted:
            added = _unmatched(_turning_words(inserted), " ".join(before[-3:]))
            if added:
                return "added", added[0]
        if before and head.endswith(before[-1]) and _unmatched(_turning_words(before[-1]), inserted):
            return "before", before[-1]
        return None

    def closest(self, quote: str) -> tuple[int, str, str] | None:
        """The paragraph (index) most like ``quote``, its passage aligned with the
        quotation, and the first difference in words; ``None`` when nothing is alike."""
        import difflib

        from rapidfuzz import fuzz, process

        q = fold(quote)
        if not q or not self.folded:
            return None
        best = process.extractOne(q, self.folded, scorer=fuzz.partial_ratio, score_cutoff=50)
        if best is None:
            return None
        index = best[2]
        qwords, pwords = q.split(" "), self.folded[index].split(" ")
        qkeys, pkeys = [_word(w) for w in qwords], [_word(w) for w in pwords]
        anchor = difflib.SequenceMatcher(None, qkeys, pkeys, autojunk=False).find_longest_match()
        if not anchor.size:
            return None
        # Align again within a window around the longest run: a word that also stands
        # far away in the paragraph ("the") is not taken for the quotation's.
        lo = max(0, anchor.b - anchor.a - 3)
        hi = anchor.b + (len(qkeys) - anchor.a) + 3
        pwords, pkeys = pwords[lo:hi], pkeys[lo:hi]
        matcher = difflib.SequenceMatcher(None, qkeys, pkeys, autojunk=False)
        blocks = _cluster([b for b in matcher.get_matching_blocks() if b.size])
        # The passage spans the aligned words, widened by the words of the quotation
        # before the first and after the last match (a word changed at either end).
        start = max(0, blocks[0].b - blocks[0].a)
        end = min(len(pwords), blocks[-1].b + blocks[-1].size
                  + (len(qwords) - blocks[-1].a - blocks[-1].size))
        passage = pwords[start:end]
        return index, " ".join(passage), first_difference(qwords, passage)


def _word(word: str) -> str:
    """A word as aligned: without the punctuation at its edges ("priority," = "priority")."""
    return word.strip(".,;:!?\"'()[]") or word


def _cluster(blocks: list[difflib.Match]) -> list[difflib.Match]:
    """The run of matching blocks around the largest one that stays together: a word
    matched far away in the paragraph ("the") does not widen the passage."""
    if not blocks:
        return []
    k = max(range(len(blocks)), key=lambda i: blocks[i].size)
    lo = hi = k
    while lo > 0 and _near(blocks[lo - 1], blocks[lo]):
        lo -= 1
    while hi + 1 < len(blocks) and _near(blocks[hi], blocks[hi + 1]):
        hi += 1
    return blocks[lo:hi + 1]


def _near(left: difflib.Match, right: difflib.Match) -> bool:
    gap_a = right.a - (left.a + left.size)
    gap_b = right.b - (left.b + left.size)
    return gap_b <= gap_a + 3


def first_difference(qwords: list[str], passage: list[str]) -> str:
    """The first place where the quotation's words and the source's differ, in words."""
    import difflib

    keys = ([_word(w) for w in qwords], [_word(w) for w in passage])
    opcodes = difflib.SequenceMatcher(None, *keys, autojunk=False).get_opcodes()
    if all(op[0] == "equal" for op in opcodes):  # the words agree: their punctuation does not
        opcodes = difflib.SequenceMatcher(None, qwords, passage, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        ours = " ".join(qwords[i1:i2])
        theirs = " ".join(passage[j1:j2])
        before = f" after \u201c{qwords[i1 - 1]}\u201d" if i1 > 0 else " at the start"
        if tag == "replace":
            return f"the extract has \u201c{ours}\u201d where the source has \u201c{theirs}\u201d"
        if tag == "delete":
            return f"the extract adds \u201c{ours}\u201d{before}, which the source does not have"
        return f"the extract leaves out \u201c{theirs}\u201d{before} (mark an omission with \u2026)"
    return ""
