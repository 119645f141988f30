"""Footnotes at the foot of the page on which their marks fall, in one layout pass.

reportlab has no footnotes. This module adds them with a frame that knows about notes:

* Each note mark in a paragraph carries an ``<onDraw>`` tag with the note's number.
  ``note_marks`` finds those tags in a flowable's fragments, so it can tell which marks a
  flowable, or each part of a split paragraph, holds before anything is drawn.
* ``FootnoteFrame.add`` places a flowable only if it and the notes of its marks fit
  together; it then raises the frame's usable bottom by the notes' height, so no later
  flowable can run into the note area. When they do not fit, ``FootnoteFrame.split``
  chooses the largest number of lines whose notes still fit beside them (counting the
  marks in each line), so a paragraph that runs over a page takes its notes with the part
  that holds each mark.
* ``NotePlacer`` keeps the notes of the current page and draws them under a short rule
  when the page ends. A note too long for the space left splits: its first lines stay on
  the mark's page, the rest continues at the top of the next page's note area, before
  that page's own notes.

Placement happens when the flowable is drawn, so the layout never has to settle over
repeated builds. As a guard, the marks that really were drawn (the ``onDraw`` callbacks)
are compared with the notes placed on every page; a difference stops the build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageBreak, Paragraph, Table

from .parsed import ParsedParagraph
from .styles import RULE

MARK_CALLBACK = "briefgenNoteMark"
_FUZZ = 1e-6


class MemoParagraph(ParsedParagraph):
    """A paragraph that breaks its lines once per width.

    Placing a paragraph with notes measures it before the frame draws it, and a note
    is measured when planned and again when drawn; without the memo each of those
    would break the lines again, which is most of the cost of laying out a brief.
    """

    _wrap_width: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrap_width == availWidth and "blPara" in self.__dict__:
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        self._wrap_width = availWidth
        return width, height


class NoteLayoutError(RuntimeError):
    """A note ended up on another page than its mark: a bug, never silently printed."""


def mark_markup(number: int) -> str:
    """The tag that lets layout and drawing see a note mark; it draws nothing itself."""
    return f'<onDraw name="{MARK_CALLBACK}" label="{number}"/>'


def _frag_mark(frag: object) -> int | None:
    cb = getattr(frag, "cbDefn", None)
    if cb is not None and getattr(cb, "name", None) == MARK_CALLBACK:
        return int(cb.label)
    return None


def _frags_marks(frags: Iterable) -> list[int]:
    """Mark numbers in a paragraph's fragments.

    A fresh paragraph holds plain fragments; after wrapping, reportlab may turn them into
    "processed" word lists ``[width, (frag, text), ...]``, and split parts keep that form.
    Both forms are read.
    """
    out: list[int] = []
    for frag in frags:
        if isinstance(frag, list):
            for item in frag[1:]:
                number = _frag_mark(item[0])
                if number is not None:
                    out.append(number)
        else:
            number = _frag_mark(frag)
            if number is not None:
                out.append(number)
    return out


def line_marks(line: object) -> list[int]:
    """Mark numbers in one broken line of a paragraph (``blPara.lines`` entry)."""
    words = getattr(line, "words", None)
    if not words:  # a single-style line: (extra space, words) — no marks possible
        return []
    return [n for n in map(_frag_mark, words) if n is not None]


def note_marks(flowable: object) -> list[int]:
    """Every note mark a flowable will draw, in reading order (a list kept with the
    flowable: not to be changed).

    A flowable is asked each time the frame tries to place or split it, and a long
    table's remainder again on every page it reaches: the answer is kept on the
    paragraph while its fragments are the ones read, and on the table, whose cells a
    table never changes (a split makes new tables of the same cells).
    """
    if isinstance(flowable, Paragraph):
        frags = flowable.frags
        kept = flowable.__dict__.get("_note_marks")
        if kept is None or kept[0] is not frags:
            kept = flowable.__dict__["_note_marks"] = (frags, _frags_marks(frags))
        return kept[1]  # type: ignore[no-any-return]
    if isinstance(flowable, Table):
        marks: list[int] | None = flowable.__dict__.get("_note_marks")
        if marks is None:
            marks = [n for row in flowable._cellvalues for cell in row for n in _cell_marks(cell)]
            flowable.__dict__["_note_marks"] = marks
        return marks
    content = getattr(flowable, "_content", None)
    if isinstance(content, list):
        return [n for f in content for n in note_marks(f)]
    return []


def _cell_marks(cell: object) -> list[int]:
    if isinstance(cell, (list, tuple)):
        return [n for f in cell for n in note_marks(f)]
    return note_marks(cell)


@dataclass
class Piece:
    """A note, or part of one, in a note area; ``number`` is set on a note's first part."""

    flowable: Flowable
    height: float
    number: int | None


@dataclass
class NotePlan:
    """What placing one flowable does to the note area of the current page."""

    numbers: list[int]  # notes whose marks the flowable brings to this page
    pieces: list[Piece]  # note flowables (or their first parts) set on this page
    carry: list[Piece]  # what continues on the next page
    reserve: float  # height the note area grows by


@dataclass
class NotePlacer:
    """The notes of the page being laid out, and what carries over to the next page.

    ``make_note(n)`` builds the note paragraph for number ``n``; it is called lazily
    and the paragraph is dropped once drawn, so a long brief does not hold every note.
    """

    make_note: Callable[[int], Paragraph]
    width: float
    gap_above: float = 9.0
    gap_below: float = 4.0
    rule_fraction: float = 0.3
    min_split_lines: int = 3
    # A note taller than this can never stand whole beside its mark's line, so it may
    # split even when later notes follow it (they then wait behind its continuation).
    longest_whole: float = float("inf")
    _cache: dict[int, tuple[Paragraph, float]] = field(default_factory=dict)
    placed: set[int] = field(default_factory=set)
    carry: list[Piece] = field(default_factory=list)
    page_numbers: list[int] = field(default_factory=list)
    page_pieces: list[Piece] = field(default_factory=list)
    page_height: float = 0.0
    drawn: list[int] = field(default_factory=list)
    mark_pages: dict[int, int] = field(default_factory=dict)  # note number -> page of mark
    note_pages: dict[int, int] = field(default_factory=dict)  # note number -> page it starts
    continued_pages: list[int] = field(default_factory=list)  # pages a note continues onto
    page_index: int = 0  # the page being laid out
    deferred: set[int] = field(default_factory=set)  # forced off their mark's page

    @property
    def separator(self) -> float:
        return self.gap_above + self.gap_below

    def new_numbers(self, marks: list[int]) -> list[int]:
        """Marks whose notes are not yet placed (a repeated mark reuses its note)."""
        seen: set[int] = set()
        out = []
        for n in marks:
            if n not in self.placed and n not in seen:
                seen.add(n)
                out.append(n)
        return out

    def note(self, number: int) -> tuple[Paragraph, float]:
        hit = self._cache.get(number)
        if hit is None:
            para = self.make_note(number)
            _, height = para.wrap(self.width, 1e9)
            hit = self._cache[number] = (para, height)
        return hit

    def _piece(self, number: int) -> Piece:
        para, height = self.note(number)
        return Piece(para, height, number)

    def _split_note(self, piece: Piece, room: float, min_lines: int) -> tuple[Piece, Piece] | None:
        """The piece's first lines that fit in ``room`` and the rest, or None."""
        para = piece.flowable
        leading = para.style.leading
        if room < min_lines * leading - _FUZZ:
            return None
        parts = para.split(self.width, room)
        if len(parts) != 2:
            return None
        head, rest = parts
        _, height = head.wrap(self.width, room)
        _, rest_height = rest.wrap(self.width, 1e9)
        return Piece(head, height, piece.number), Piece(rest, rest_height, None)

    def plan(self, numbers: list[int], space: float, force: bool = False) -> NotePlan | None:
        """How the notes ``numbers`` would sit in ``space`` points, or None if they cannot.

        Normally every note starts on its mark's page: all but the last must fit whole,
        and the last may split if at least ``min_split_lines`` of it fit. A note longer
        than any page could hold whole may split wherever it stands. ``force`` is the
        last resort at the top of an empty page, where something must be placed.
        """
        if self.carry and not force:
            return None  # a note already continues from here; later notes must wait
        used = 0.0 if self.page_pieces else self.separator
        pieces: list[Piece] = []
        for i, number in enumerate(numbers):
            piece = self._piece(number)
            if used + piece.height <= space + _FUZZ:
                pieces.append(piece)
                used += piece.height
                continue
            last = i == len(numbers) - 1
            if last or force or piece.height > self.longest_whole:
                split = self._split_note(piece, space - used, 2 if force else self.min_split_lines)
                if split is not None:
                    head, rest = split
                    pieces.append(head)
                    used += head.height
                    carry = [rest] + [self._piece(n) for n in numbers[i + 1:]]
                    return NotePlan(list(numbers), pieces, carry, used)
            if not force:
                return None
            carry = [self._piece(n) for n in numbers[i:]]
            if not pieces and not self.page_pieces:
                used = 0.0
            return NotePlan(list(numbers), pieces, carry, used)
        return NotePlan(list(numbers), pieces, [], used)

    def commit(self, plan: NotePlan, page: int) -> None:
        for number in plan.numbers:
            self.placed.add(number)
            self.mark_pages[number] = page
            self._cache.pop(number, None)
        self.deferred.update(p.number for p in plan.carry if p.number is not None)
        self.page_numbers.extend(plan.numbers)
        self.page_pieces.extend(plan.pieces)
        self.page_height += plan.reserve
        self.carry = list(plan.carry) + self.carry

    def begin_page(self, max_height: float, page: int) -> float:
        """Start a page with the notes continued from the last; return their height."""
        self.page_index = page
        self.page_numbers = []
        self.page_pieces = []
        self.page_height = 0.0
        self.drawn = []
        if not self.carry:
            return 0.0
        used = self.separator
        while self.carry:
            piece = self.carry[0]
            if used + piece.height <= max_height + _FUZZ:
                self.page_pieces.append(piece)
                used += piece.height
                self.carry.pop(0)
                continue
            split = self._split_note(piece, max_height - used, 2)
            if split is not None:
                head, self.carry[0] = split
                self.page_pieces.append(head)
                used += head.height
            break
        if not self.page_pieces:
            return 0.0
        self.continued_pages.append(page)
        self.page_height = used
        return used

    def mark_drawn(self, canv: object, kind: str, label: str | None) -> None:
        """The ``onDraw`` callback of a note mark: record that it was drawn on this page."""
        if label is not None:
            self.drawn.append(int(label))

    def end_page(self, canv: Canvas, x: float, bottom: float, page: int) -> None:
        """Check the page's marks against its notes, then draw the note area."""
        drawn = set(self.drawn)
        starting = {p.number for p in self.page_pieces if p.number is not None}
        for number in starting:
            self.note_pages[number] = page
        for number in self.page_numbers:
            if number not in drawn:
                raise NoteLayoutError(f"note {number} was set for page {page}, "
                                      "but its mark was not drawn there")
            if number not in starting and number not in self.deferred:
                raise NoteLayoutError(f"the mark of note {number} is on page {page}, "
                                      "but the note does not start there")
        for number in drawn:
            if number not in self.placed:
                raise NoteLayoutError(f"the mark of note {number} was drawn on page {page}, "
                                      "but no note was set for it")
        if not self.page_pieces:
            return
        top = bottom + self.page_height
        rule_y = top - self.gap_above + 2.0
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(x, rule_y, x + self.width * self.rule_fraction, rule_y)
        canv.restoreState()
        y = top - self.separator
        for piece in self.page_pieces:
            # measured already; wrapping again only restores line data a failed split dropped
            piece.flowable.wrapOn(canv, self.width, 1e9)
            piece.flowable.drawOn(canv, x, y - piece.height)
            y -= piece.height
        self.page_pieces = []


class DrainNotes(Flowable):
    """Last in the story: adds pages while a long note still has text to continue."""

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        pass


class FootnoteFrame(Frame):
    """A frame whose usable bottom rises by the height of the notes placed on its page."""

    def __init__(self, *args: Any, placer: NotePlacer, max_carry: float, **kw: Any) -> None:
        self.__dict__["placer"] = placer
        self.__dict__["max_carry"] = max_carry
        self.__dict__["page"] = 0
        super().__init__(*args, **kw)

    # ------------------------------------------------------------------ page state
    def _reset(self) -> None:
        super()._reset()
        base = self._y1 + self._bottomPadding
        placer = self.__dict__.get("placer")
        if placer is None:
            self._y1p = base
            return
        self.page += 1
        self._y1p = base + placer.begin_page(self.max_carry, self.page)

    def _space_before(self, flowable: Flowable) -> float:
        """The space above ``flowable`` exactly as ``Frame._add`` will count it."""
        if self._atTop:
            return 0.0
        s = flowable.getSpaceBefore()
        if self._oASpace:
            if getattr(flowable, "_SPACETRANSFER", False) or getattr(flowable, "_ZEROSIZE", False):
                s = self._prevASpace
            s = max(s - self._prevASpace, 0)
        return s

    # ------------------------------------------------------------------ placing
    def add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:
        """Place ``flowable`` only if it and the notes of its marks fit on this page.

        A flowable that ``split`` marked with ``_force_notes`` may push notes to the next
        page: it stands at the top of a page and nothing else would make progress.
        """
        if isinstance(flowable, DrainNotes):
            return 0 if self.placer.carry else Frame._add(self, flowable, canv, trySplit)
        numbers = self.placer.new_numbers(note_marks(flowable))
        if not numbers:
            return Frame._add(self, flowable, canv, trySplit)
        avail = self._y - self._y1p - self._space_before(flowable)
        if avail <= 0:
            return 0
        _, height = flowable.wrapOn(canv, self._getAvailableWidth(), avail)
        if height > avail + _FUZZ:
            return 0
        force = bool(self._atTop and getattr(flowable, "_force_notes", False))
        plan = self.placer.plan(numbers, avail - height, force=force)
        if plan is None:
            return 0
        base = self._y1p
        self._y1p = base + plan.reserve
        if not Frame._add(self, flowable, canv, trySplit):
            self._y1p = base
            return 0
        self.placer.commit(plan, self.page)
        return 1

    def split(self, flowable: Flowable, canv: Canvas) -> list[Flowable]:
        if isinstance(flowable, DrainNotes):
            return [PageBreak(), DrainNotes()]
        if not self.placer.new_numbers(note_marks(flowable)):
            return Frame.split(self, flowable, canv)
        if isinstance(flowable, Paragraph) and _fixed_leading(flowable):
            return self._split_paragraph(flowable, canv)
        return self._split_generic(flowable, canv)

    def _split_paragraph(self, para: Paragraph, canv: Canvas) -> list[Flowable]:
        """Split after the most lines whose notes still fit beside them on this page."""
        avail = self._y - self._y1p - self._space_before(para)
        if avail <= 0:
            return []
        width = self._getAvailableWidth()
        para.wrapOn(canv, width, avail)
        lines = para.blPara.lines
        leading = para.style.leading
        k = self._best_prefix(lines, avail, leading, False, para)
        force = k == 0 and bool(self._atTop)
        if force:
            k = self._best_prefix(lines, avail, leading, True, para)
        if k == 0:
            return []
        if k >= len(lines):
            parts = [para]
        else:
            parts = para.splitOn(canv, width, k * leading + 1e-3)
        if force and parts:
            parts[0]._force_notes = True
        return parts

    def _best_prefix(self, lines: list, avail: float, leading: float, force: bool,
                     para: Paragraph | None = None) -> int:
        """The most lines that fit in ``avail`` with their notes, at a split reportlab makes.

        Only a split ``Paragraph.split`` would make itself counts (``kept_lines``: with the
        house styles, never one line alone at a page foot or top), so what this promises
        is what the page gets.
        """
        n = len(lines)
        k_fit = min(n, int((avail + _FUZZ) / leading))
        prefix = list(accumulate((line_marks(line) for line in lines[:k_fit]), initial=[]))
        for k in range(k_fit, 0, -1):
            if kept_lines(k, n, para) != k:
                continue
            numbers = self.placer.new_numbers(prefix[k])
            if not numbers or self.placer.plan(numbers, avail - k * leading, force) is not None:
                return k
        return 0

    def _split_generic(self, flowable: Flowable, canv: Canvas) -> list[Flowable]:
        """Split a table (or other flowable) at a height whose first part fits with notes."""
        avail = self._y - self._y1p - self._space_before(flowable)
        parts, first_try = self._fitting_split(flowable, canv, avail)
        if parts is not None:
            return parts
        if self._atTop:  # nothing fits with its notes: make progress, notes may follow
            parts = first_try or [flowable]
            parts[0]._force_notes = True
            return parts
        return []

    def _fitting_split(self, flowable: Flowable, canv: Canvas, avail: float
                       ) -> tuple[list[Flowable] | None, list[Flowable] | None]:
        """The split whose first part fits ``avail`` with its notes (None if there is none),
        and the first split that fits at all, notes aside."""
        width = self._getAvailableWidth()
        target = avail
        first_try: list[Flowable] | None = None
        while target > 0:
            parts = flowable.splitOn(canv, width, target)
            if not parts:
                break
            first = parts[0]
            _, height = first.wrapOn(canv, width, target)
            if first_try is None and height <= avail + _FUZZ:
                first_try = parts
            numbers = self.placer.new_numbers(note_marks(first))
            if height <= avail + _FUZZ and (
                    not numbers or self.placer.plan(numbers, avail - height) is not None):
                return parts, first_try
            target = min(target, height) - 1.0
        return None, first_try

    # ------------------------------------------------------------------ keep with next
    def room_to_start(self, heads: list[Flowable], following: Flowable, canv: Canvas) -> bool:
        """Whether headings ``heads`` and the start of ``following`` fit on this page.

        reportlab's own keep-with-next moves a heading and the whole next paragraph to a
        new page when the paragraph is long; a heading only needs the start of what
        follows beside it: the first lines of a paragraph that ``_best_prefix`` would
        place here (two at least, with the room their notes need, at a split reportlab
        makes), or the first part of a table or other flowable with its notes. The
        answer is the one the frame gives when it places ``following`` after the heads,
        so a heading never ends a page.
        """
        if self._atTop:
            return True
        width = self._getAvailableWidth()
        y = self._y
        prev_after = self._prevASpace
        for head in heads:
            before = head.getSpaceBefore()
            before = max(before - prev_after, 0) if self._oASpace else before
            _, height = head.wrapOn(canv, width, max(y - self._y1p, 1.0))
            y -= before + height
            prev_after = head.getSpaceAfter()
            y -= prev_after
        before = following.getSpaceBefore()
        before = max(before - prev_after, 0) if self._oASpace else before
        avail = y - self._y1p - before
        if avail <= 0:
            return False
        if isinstance(following, Paragraph) and _fixed_leading(following):
            following.wrapOn(canv, width, avail)
            return self._best_prefix(following.blPara.lines, avail, following.style.leading,
                                     False, following) > 0
        _, height = following.wrapOn(canv, width, avail)
        if height <= avail + _FUZZ:  # whole, with its notes
            numbers = self.placer.new_numbers(note_marks(following))
            return not numbers or self.placer.plan(numbers, avail - height) is not None
        return self._fitting_split(following, canv, avail)[0] is not None  # its first part


def kept_lines(k: int, n: int, para: Paragraph | None = None) -> int:
    """How many of a paragraph's ``n`` lines ``Paragraph.split`` keeps with room for ``k``.

    reportlab's orphan and widow control (``allowOrphans``/``allowWidows`` of the
    paragraph or its style, off in the house styles): no first part of one line, and no
    last line left alone — it then keeps one line fewer, or refuses (0) when that would
    leave one line.
    """
    style = getattr(para, "style", None)
    orphans = getattr(para, "allowOrphans", getattr(style, "allowOrphans", 0))
    widows = getattr(para, "allowWidows", getattr(style, "allowWidows", 1))
    if k >= n:
        return n
    if k <= 0 or (not orphans and k <= 1):
        return 0
    if not widows and n == k + 1:
        return k - 1 if (orphans and n == 3) or n > 3 else 0
    return k


def _fixed_leading(para: Paragraph) -> bool:
    auto = getattr(para, "autoLeading", getattr(para.style, "autoLeading", ""))
    return auto in ("", "off", None)
