"""Chicago notes-bibliography citations (CMOS 18) for briefgen's sources.

A ``Source`` record becomes a list of Document inlines: ``Text``, ``Emph`` for the
names of newspapers and magazines, ``Link`` for web addresses. Article titles go
in quotation marks with a following comma or period inside the closing mark; a
title that ends in ``?`` or ``!`` takes no further comma or period (CMOS 18 6.9).
Semicolons and colons stay outside (6.10).

Why a formatter of our own: the CSL processor available in Python gets Chicago 18
visibly wrong, and the forms here are few. The forms are checked against pandoc's
citeproc with the Chicago CSL style (tests/test_oracle.py); where Chicago's manual
and the CSL style part ways, the test lists the difference and the section.

Decisions that follow the manual rather than any one processor:

* Titles are set headline-style (CMOS 18 8.160); a preposition is lowercased unless
  it is used adverbially, which we recognise when it has no object (it ends the
  title or stands before a comma: "Keep America In, Russia Down") or when it is one
  of the particles *up*, *down*, *out*, *off* ("Step Up").
* An initial "The" is dropped from the names of newspapers and magazines in
  citations (CMOS 18 14.89): *Korea Herald*, *Diplomat*.
* Names written surname first (Korean: Ji Da-gyum) are never inverted and never
  reduced to initials (CMOS 18 13.74-86); a short note gives the surname, "Ji".
* Three or more authors: the first and "et al." in notes; all of up to six in the
  bibliography, the first three and "et al." for seven or more (CMOS 18 13.78).
* No author: the title leads the note; the bibliography and the short note lead
  with the periodical or the publishing institution (CMOS 18 14.87, 14.97, 14.104).
* A title supplied by us (from a web address) stands in square brackets inside its
  quotation marks, as Chicago brackets what an editor supplies, like an author's name
  known but not printed (CMOS 18 13.87-101, 13.74-86); an untitled work gets a
  description, neither quoted nor italicised, capitalised only where it begins a
  note or an entry (CMOS 18 13.87-101).
* No date: "n.d." with the access date (CMOS 18 13.15, 14.104); otherwise no access
  date. Dates at the precision known: "July 2024".
* Syndicated copy names the original outlet and then the syndicator, whose date it
  is ("*Asia Times*, syndicated by MENAFN, August 29, 2024"); a work read in a
  republication says where ("republished at chinaobservers.eu") before the address.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .document import Emph, Inline, Link, Text, merge_text, plain_text
from .models import PartialDate, Person, Relation, RelationKind, Source, SourceKind

DateStyle = Literal["dmy", "mdy"]

#: pandoc's Chicago style in its default (en-US) locale writes "February 14, 2023".
DEFAULT_DATE_STYLE: DateStyle = "mdy"

OPEN_Q, CLOSE_Q = "\u201c", "\u201d"

# --------------------------------------------------------------------------- headline style

_ARTICLES = {"a", "an", "the"}
_CONJUNCTIONS = {"and", "but", "for", "or", "nor"}
_ALWAYS_LOWER = {"to", "as"}
_PREPOSITIONS = {
    "aboard", "about", "above", "across", "after", "against", "along", "amid", "amidst",
    "among", "amongst", "around", "at", "atop", "before", "behind", "below", "beneath",
    "beside", "besides", "between", "beyond", "by", "concerning", "despite", "during",
    "except", "from", "in", "inside", "into", "like", "near", "of", "on", "onto", "outside",
    "over", "past", "per", "regarding", "since", "through", "throughout", "till", "toward",
    "towards", "under", "underneath", "unlike", "until", "unto", "upon", "versus", "via",
    "vs.", "with", "within", "without",
}
#: Lowercased in titles (CMOS 18 8.160 rules 2-5). "up", "down", "out" and "off" are
#: left out on purpose: in headlines they are nearly always adverbial particles.
MINOR_WORDS = _ARTICLES | _CONJUNCTIONS | _ALWAYS_LOWER | _PREPOSITIONS

_EDGE_PUNCT = "\"'\u201c\u201d\u2018\u2019([{)]}.,;:!?"


def _core(token: str) -> str:
    return token.strip(_EDGE_PUNCT)


def _is_simple_case(word: str) -> bool:
    """All lowercase, or a capital and then lowercase: case we may change safely.

    Acronyms (NATO), mixed case (iPhone) and single capitals that are not the
    article "A" are left as written.
    """
    if word.isalpha() and word.isascii():  # a plain word: str's own tests say the same
        return word.islower() or (word.istitle() and (len(word) > 1 or word == "A"))
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return False
    if all(c.islower() for c in letters):
        return True
    return letters[0].isupper() and all(c.islower() for c in letters[1:]) and (
        len(letters) > 1 or word.lower() == "a")


def _capitalise(token: str) -> str:
    """Capitalise a word in plain lowercase, and each later element of a hyphenated
    compound that is not a minor word ("Seventy-Five", "Step-by-Step").

    A compound that already begins with a capital is a name and keeps its form:
    Korean given names such as "Won-sik" are written with a lowercase second part.
    """
    if token.isalpha() and token.isascii():  # a plain word: capitalised if all lowercase
        return token[0].upper() + token[1:] if token.islower() else token
    letters = [c for c in token if c.isalpha()]
    if letters and letters[0].isupper():
        return token

    def cap(part: str, first: bool) -> str:
        core = _core(part)
        if not core or (not first and core.lower() in MINOR_WORDS):
            return part
        if not any(c.isalpha() for c in core) or not all(c.islower() or not c.isalpha() for c in core):
            return part  # nothing to capitalise ("0", "&") or already capitalised
        i = next(i for i, c in enumerate(part) if c.isalpha())
        return part[:i] + part[i].upper() + part[i + 1:]

    pieces = token.split("-")
    return "-".join(cap(p, i == 0) for i, p in enumerate(pieces))


def _lower(token: str) -> str:
    if token[:1].isalpha():
        return token[0].lower() + token[1:]
    i = next(i for i, c in enumerate(token) if c.isalpha())
    return token[:i] + token[i].lower() + token[i + 1:]


@lru_cache(maxsize=4096)  # pure; a brief cites the same few titles many times
def headline_case(title: str) -> str:
    """A title in Chicago headline style (CMOS 18 8.160).

    Only words in plain lower or initial-capital case are touched, so acronyms and
    names keep their form. First and last words of the title and of a subtitle
    (after a colon, question mark, exclamation mark or dash) are capitalised.
    """
    tokens = title.split()
    out: list[str] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        core = _core(tok)
        if not (core.isalpha() or any(c.isalpha() for c in core)):
            out.append(tok)
            continue
        starts = i == 0 or tokens[i - 1].endswith((":", "?", "!", "\u2014")) or \
            tokens[i - 1] in ("\u2014", "\u2013", "-")
        ends = i == n - 1 or tok.endswith((":", "?", "!")) or tokens[i + 1] in ("\u2014", "\u2013")
        adverbial = tok.rstrip("\u201d\u2019\"'").endswith((",", ";"))
        if starts or ends:
            out.append(_capitalise(tok))
        elif core.lower() in MINOR_WORDS and _is_simple_case(core) and not adverbial:
            out.append(_lower(tok))
        elif _is_simple_case(core):
            out.append(_capitalise(tok))
        else:
            out.append(tok)
    return " ".join(out)


def _letters(word: str) -> int:
    return len(word) if word.isalpha() else sum(c.isalpha() for c in word)


#: Words before which a title may be cut for its short form: the start of a
#: prepositional phrase or of a coordinated part ("Cyber Defence Cooperation | between").
_CUT_BEFORE = (_CONJUNCTIONS | _ALWAYS_LOWER | _PREPOSITIONS) - {"vs."}
_SHORT_MAX = 5  # words of two letters or more; an initial such as "S." does not count


@lru_cache(maxsize=4096)
def short_title_text(title: str) -> str:
    """The short title of a note (CMOS 18 13.33): key words of the main title in
    their order, less an initial article, usually no more than four words.

    A title of more than four words is cut where a phrase ends (before a
    preposition or conjunction, or after a comma), taking the longest such
    beginning of at most five words; failing one, its first four words. It never
    ends on a minor word.
    """
    main = re.split(r":\s", title, maxsplit=1)[0]
    words = main.split()
    if len(words) > 1 and _core(words[0]).lower() in _ARTICLES:
        words = words[1:]
        words[0] = _cap_first(words[0])

    def counted(ws: list[str]) -> int:
        return sum(1 for w in ws if _letters(_core(w)) >= 2)

    if counted(words) > 4:
        best: list[str] | None = None
        for i in range(2, len(words)):
            at_cut = words[i - 1].endswith(",") or (
                _core(words[i]).lower() in _CUT_BEFORE and words[i] == words[i].lower())
            if at_cut and counted(words[:i]) <= _SHORT_MAX:
                best = words[:i]
        if best is None:
            best, n = [], 0
            for w in words:
                best.append(w)
                n += _letters(_core(w)) >= 2
                if n >= 4:
                    break
        words = best
    while len(words) > 1 and _core(words[-1]).lower() in MINOR_WORDS:
        words = words[:-1]
    return " ".join(words).rstrip(",;:\u2014\u2013 ")


# --------------------------------------------------------------------------- pieces


def _date_text(date: PartialDate, style: DateStyle) -> str:
    return date.text(style)


def _access_text(source: Source, style: DateStyle) -> str:
    d = source.accessed
    return PartialDate(year=d.year, month=d.month, day=d.day).text(style)


def periodical_name(name: str) -> str:
    """A newspaper's or magazine's name as cited: without an initial "The"."""
    return name[4:] if name.startswith("The ") and len(name) > 4 else name


def _name_note(p: Person) -> str:
    return p.display


def _authors_note(authors: Sequence[Person]) -> str:
    if len(authors) == 1:
        return _name_note(authors[0])
    if len(authors) == 2:
        return f"{_name_note(authors[0])} and {_name_note(authors[1])}"
    return f"{_name_note(authors[0])} et al."


def _authors_short(authors: Sequence[Person]) -> str:
    if len(authors) == 1:
        return authors[0].family
    if len(authors) == 2:
        return f"{authors[0].family} and {authors[1].family}"
    return f"{authors[0].family} et al."


def _authors_bib(authors: Sequence[Person]) -> str:
    first = authors[0].inverted
    # The comma after the first name closes an inversion; a name written surname
    # first is not inverted, so two such names need none ("Ji Da-gyum and ...").
    inverted = first != authors[0].display
    if len(authors) == 1:
        return first
    if len(authors) == 2:
        sep = ", and " if inverted else " and "
        return f"{first}{sep}{authors[1].display}"
    if len(authors) >= 7:
        shown = [first] + [p.display for p in authors[1:3]]
        return ", ".join(shown) + ", et al."
    rest = [p.display for p in authors[1:]]
    return ", ".join([first] + rest[:-1]) + ", and " + rest[-1]


@dataclass(frozen=True, slots=True)
class WorkTitle:
    """How the work is named: a quoted title, or an unquoted description."""

    text: str
    quoted: bool
    short: str


def description(source: Source) -> str:
    """The description that stands in for a missing title (lowercase, note form)."""
    given = getattr(source, "description", None)
    if given:
        return given[0].lower() + given[1:]
    if source.kind is SourceKind.think_tank:
        return "untitled analysis"
    if source.kind in _INSTITUTIONAL:
        return "untitled document"
    return "untitled article"


def work_title(source: Source) -> WorkTitle:
    if not source.title:
        d = description(source)
        return WorkTitle(d, False, d)
    text = typographic(headline_case(source.title))
    short = getattr(source, "short_title", None) or short_title_text(text)
    if source.title_supplied:
        return WorkTitle(f"[{text}]", True, f"[{short}]")
    return WorkTitle(text, True, short)


@lru_cache(maxsize=4096)  # pure; every note of a source sets its title again
def typographic(text: str) -> str:
    """Straight quotation marks and apostrophes as typeset ones: NATO\u2019s.

    Double quotation marks inside a quoted title become single ones (CMOS 18 6.9).
    """
    text = re.sub(r"(?<=\w)'", "\u2019", text)
    text = re.sub(r"'(?=\w)", "\u2018", text)
    text = text.replace("'", "\u2019")
    text = re.sub(r'(^|[\s(\[])"', "\\1\u2018", text)
    text = text.replace('"', "\u2019")
    return text.replace("\u201c", "\u2018").replace("\u201d", "\u2019")


def _cap_first(s: str) -> str:
    return s[:1].upper() + s[1:]


def _title_inlines(t: WorkTitle, *, short: bool = False, capital: bool = False) -> list[Inline]:
    text = t.short if short else t.text
    if t.quoted:
        return [Text(f"{OPEN_Q}{text}{CLOSE_Q}")]
    return [Text(_cap_first(text) if capital else text)]


def _relation(source: Source, kind: RelationKind) -> Relation | None:
    return next((r for r in source.relations if r.kind is kind), None)


@dataclass(slots=True)
class _Where:
    """Where the work appeared: the container (italic periodical or roman
    institution), the date, and any phrase saying how the copy read reached us."""

    container: list[Inline]  # may be empty
    container_is_lead_ok: bool  # may stand in the author's place
    before_date: list[list[Inline]]  # e.g. "syndicated by MENAFN"
    after_date: list[list[Inline]]  # e.g. "republished at chinaobservers.eu"


#: Kinds whose container is an institution, set in roman (CMOS 18 14.104, 14.116).
_INSTITUTIONAL = {SourceKind.think_tank, SourceKind.official_document, SourceKind.press_release,
                  SourceKind.government_statement, SourceKind.news_item, SourceKind.transcript}
#: The genre a note names after the institution: "NATO, press release, February 14, 2023".
_GENRE = {SourceKind.press_release: "press release", SourceKind.government_statement: "statement",
          SourceKind.news_item: "news item", SourceKind.transcript: "transcript"}


def _where(source: Source) -> _Where:
    before: list[list[Inline]] = []
    after: list[list[Inline]] = []
    if source.kind in _INSTITUTIONAL:
        name = source.publisher or source.outlet or ""
        container: list[Inline] = [Text(name)] if name else []
        genre = _GENRE.get(source.kind)
        if genre:
            before.append([Text(genre)])
    elif source.kind is SourceKind.syndicated_copy:
        original = source.original_outlet or ""
        container = [Emph([Text(periodical_name(original))])]
        if source.outlet:
            before.append([Text(f"syndicated by {source.outlet}")])
    else:
        name = source.outlet or source.publisher or ""
        container = [Emph([Text(periodical_name(name))])] if name else []
    republished = _relation(source, RelationKind.republished_at)
    if republished and republished.outlet:
        after.append([Text(f"republished at {republished.outlet}")])
    return _Where(container, bool(container), before, after)


# --------------------------------------------------------------------------- joining


def _join(segments: Iterable[list[Inline]], sep: str) -> list[Inline]:
    """Join segments with ``sep`` (", ", ". ", "; "), putting a comma or period
    inside a closing quotation mark, and dropping it after a title that ends in
    a question or exclamation mark."""
    out: list[Inline] = []
    for seg in segments:
        if not seg:
            continue
        if out:
            _append_punct(out, sep)
        out.extend(seg)
    return merge_text(out)


#: The separators used, split into their mark and the space after it.
_PUNCT = {p: (p.rstrip(), p[len(p.rstrip()):]) for p in (", ", ". ", "; ", ".", ",")}


def _append_punct(out: list[Inline], punct: str) -> None:
    split = _PUNCT.get(punct)
    mark, space = split if split is not None else (punct.rstrip(), punct[len(punct.rstrip()):])
    last = out[-1]
    if isinstance(last, Text) and mark in (",", "."):
        text = last.text
        if text.endswith(CLOSE_Q):
            body = text[:-1]
            if body.endswith(("?", "!")) or (mark == "." and body.endswith(".")):
                last.text = body + CLOSE_Q + space
            else:
                last.text = body + mark + CLOSE_Q + space
            return
        if text.endswith(("?", "!")) or (mark == "." and text.endswith(".")):
            out.append(Text(space))  # "et al." or "n.d." ends the block already
            return
    out.append(Text(punct))


def finish(inlines: list[Inline]) -> list[Inline]:
    """End a note or entry with one period."""
    out = list(inlines)
    _append_punct(out, ".")
    return merge_text(out)


def _url(source: Source) -> list[Inline]:
    return [Link(source.url, [Text(source.url)])] if source.url else []


# --------------------------------------------------------------------------- notes


def full_note_parts(source: Source, locator: str | None = None,
                    date_style: DateStyle = DEFAULT_DATE_STYLE) -> list[Inline]:
    """The full note without its closing period (for joining several citations)."""
    t = work_title(source)
    where = _where(source)
    segs: list[list[Inline]] = []
    if source.authors:
        segs.append([Text(_authors_note(source.authors))])
    segs.append(_title_inlines(t, capital=not source.authors))
    segs.append(where.container)
    segs.extend(where.before_date)
    if source.date:
        segs.append([Text(_date_text(source.date, date_style))])
    else:
        segs.append([Text("n.d.")])
    segs.extend(where.after_date)
    if not source.date:
        segs.append([Text(f"accessed {_access_text(source, date_style)}")])
    if locator:
        segs.append([Text(locator)])
    segs.append(_url(source))
    return _join(segs, ", ")


def short_note_parts(source: Source, locator: str | None = None,
                     date_style: DateStyle = DEFAULT_DATE_STYLE) -> list[Inline]:
    """The shortened note (CMOS 18 13.33) without its closing period."""
    t = work_title(source)
    segs: list[list[Inline]] = []
    if source.authors:
        segs.append([Text(_authors_short(source.authors))])
    else:
        where = _where(source)
        if where.container_is_lead_ok:
            segs.append(where.container)
    segs.append(_title_inlines(t, short=True, capital=not segs))
    if locator:
        segs.append([Text(locator)])
    return _join(segs, ", ")


def full_note(source: Source, locator: str | None = None,
              date_style: DateStyle = DEFAULT_DATE_STYLE) -> list[Inline]:
    """The first, full note for a source (CMOS 18 13.18)."""
    return finish(full_note_parts(source, locator, date_style))


def short_note(source: Source, locator: str | None = None,
               date_style: DateStyle = DEFAULT_DATE_STYLE) -> list[Inline]:
    """A later, shortened note: surname(s) or outlet, short title (CMOS 18 13.32-33)."""
    return finish(short_note_parts(source, locator, date_style))


def ibid_parts(locator: str | None = None) -> list[Inline]:
    """"Ibid." for the source of the note just before (CMOS 18 13.37)."""
    return [Text(f"Ibid., {locator}" if locator else "Ibid.")]


# --------------------------------------------------------------------------- bibliography


def bibliography_entry(source: Source, date_style: DateStyle = DEFAULT_DATE_STYLE) -> list[Inline]:
    """The source-list entry: elements separated by periods (CMOS 18 13.18)."""
    t = work_title(source)
    where = _where(source)
    blocks: list[list[Inline]] = []
    if source.authors:
        blocks.append([Text(_authors_bib(source.authors))])
        lead_is_container = False
    elif where.container_is_lead_ok:
        blocks.append(where.container)
        lead_is_container = True
    else:
        lead_is_container = False
    blocks.append(_title_inlines(t, capital=True))
    pub: list[list[Inline]] = []
    if not lead_is_container:
        pub.append(where.container)
    pub.extend(where.before_date)
    pub.append([Text(_date_text(source.date, date_style) if source.date else "n.d.")])
    blocks.append(_cap_inlines(_join(pub, ", ")))
    for phrase in where.after_date:
        blocks.append(_cap_inlines(phrase))
    if not source.date:
        blocks.append([Text(f"Accessed {_access_text(source, date_style)}")])
    blocks.append(_url(source))
    return finish(_join(blocks, ". "))


def _cap_inlines(inlines: list[Inline]) -> list[Inline]:
    """Capitalise a block that begins with plain text ("syndicated" → "Syndicated")."""
    if inlines and isinstance(inlines[0], Text) and inlines[0].text[:1].islower() \
            and not inlines[0].text.startswith("n.d."):
        return [Text(_cap_first(inlines[0].text))] + list(inlines[1:])
    return inlines


def _sort_text(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    marks = {ord(c): None for c in set(s) if unicodedata.combining(c)}  # accents, once each
    if marks:
        s = s.translate(marks)
    s = s.strip(_EDGE_PUNCT + "[] ").casefold()
    for article in ("the ", "a ", "an "):
        if s.startswith(article):
            s = s[len(article):]
            break
    return s


def bibliography_sort_key(source: Source) -> tuple:
    """Alphabetical by the entry's first element (which carries the title after it),
    an initial article ignored as Chicago alphabetises; then date; the id breaks
    any tie."""
    entry = bibliography_entry(source)
    lead = plain_text(entry)
    return (_sort_text(lead), source.date.sort_key() if source.date else (0, 0, 0), source.id)


# --------------------------------------------------------------------------- terminal


def format_source_list(sources: Iterable[Source], date_style: DateStyle = "dmy") -> str:
    """One line per source for ``briefgen sources``: id, kind, bibliography entry."""
    items = sorted(sources, key=bibliography_sort_key)
    if not items:
        return ""
    wid = max(len(s.id) for s in items)
    kid = max(len(s.kind.value) for s in items)
    lines = [f"{s.id:<{wid}}  {s.kind.value:<{kid}}  "
             f"{plain_text(bibliography_entry(s, date_style))}" for s in items]
    return "\n".join(lines)
