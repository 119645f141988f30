"""Typed models for everything briefgen reads: sources, extracts, brief specs, settings.

One schema for all topics. Unknown fields are errors (``extra="forbid"``), so a typo
in a hand-edited YAML file is reported rather than silently ignored.
"""

from __future__ import annotations

import datetime as _dt
import re
from enum import Enum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .ids import ID_PATTERN

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)


class Strict(BaseModel):
    # defer_build: a model's validator is built when first used, not at import, so a
    # command that never loads a brief (or --help) does not pay for it.
    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=False,
                              defer_build=True)


M = TypeVar("M", bound=BaseModel)


def _empty() -> list[Any]:
    """A new empty list: the default of the list fields. A function of briefgen's own
    rather than ``list``, whose signature pydantic would read (as it reads every default
    factory's) by tokenizing the builtin's text signature: a ~2 ms regex at every start."""
    return []


def validate(model: type[M], data: Any) -> M:
    """``model.model_validate(data)``; the first time, when pydantic builds the model's
    deferred validator, with SIGINT, SIGTERM and SIGHUP held: a signal's exception
    raised inside that build escapes as pydantic's own traceback and leaves the model
    half built. A signal that came meanwhile interrupts the run once the build is done."""
    if model.__pydantic_complete__:
        return model.model_validate(data)
    from .output import signals_held

    with signals_held():
        return model.model_validate(data)


# --------------------------------------------------------------------------- dates


class Precision(str, Enum):
    day = "day"
    month = "month"
    year = "year"


class PartialDate(Strict):
    """A date known to the day, the month or only the year.

    Written in YAML as ``2023-12-13``, ``2024-07`` or ``2024``.
    """

    year: int = Field(ge=1000, le=9999)
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            return {"year": value.year, "month": value.month, "day": value.day}
        if isinstance(value, int) and not isinstance(value, bool):
            return {"year": value}
        if isinstance(value, str):
            m = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*", value)
            if not m:
                raise ValueError(f"not a date: {value!r} (write 2023-12-13, 2024-07 or 2024)")
            y, mo, d = m.groups()
            return {"year": int(y), "month": int(mo) if mo else None,
                    "day": int(d) if d else None}
        return value

    @model_validator(mode="after")
    def _check(self) -> PartialDate:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.day is not None and self.month is not None:
            try:
                _dt.date(self.year, self.month, self.day)
            except ValueError as exc:
                raise ValueError(f"not a real date: {exc}") from None
        return self

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.day
        if self.month is not None:
            return Precision.month
        return Precision.year

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def text(self, style: str = "dmy") -> str:
        """As a reader sees it: ``13 December 2023`` (dmy) or ``December 13, 2023`` (mdy)."""
        if self.month is None:
            return str(self.year)
        month = MONTHS[self.month - 1]
        if self.day is None:
            return f"{month} {self.year}"
        if style == "mdy":
            return f"{month} {self.day}, {self.year}"
        return f"{self.day} {month} {self.year}"

    def __str__(self) -> str:
        return self.iso()


class EventDate(PartialDate):
    """An event's date: a partial date, or an EDTF-style range of two.

    Written ``2023-07-11``, ``2022-06``, ``2012`` or ``2022-07/2022-09`` (July to
    September 2022); each end keeps its own precision. Printed "July–September 2022",
    "13–15 December 2023", "2022–2023".
    """

    end: PartialDate | None = None

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if isinstance(value, str) and "/" in value:
            first, _, last = value.partition("/")
            start = PartialDate._parse(first)  # type: ignore[operator]
            if not isinstance(start, dict):
                raise ValueError(f"not a date range: {value!r} (write 2022-07/2022-09)")
            return {**start, "end": last}
        return PartialDate._parse(value)  # type: ignore[operator]

    @model_validator(mode="after")
    def _range(self) -> EventDate:
        if self.end is not None:
            start = PartialDate(year=self.year, month=self.month, day=self.day)
            if _last_day(self.end) < _first_day(start):
                raise ValueError(f"the range ends before it starts: {self.iso()}")
            if self.end.iso() == start.iso():
                self.end = None
        return self

    @property
    def start(self) -> PartialDate:
        return PartialDate(year=self.year, month=self.month, day=self.day)

    def sort_key(self) -> tuple[int, int, int]:  # type: ignore[override]
        """A year-only or month-only date sorts after the dated events of its year or
        month; a range is placed by its start."""
        if self.end is not None:
            return (self.year, self.month or 0, self.day or 0)
        return (self.year, self.month or 13, self.day or 32)

    def iso(self) -> str:
        own = super().iso()
        return f"{own}/{self.end.iso()}" if self.end is not None else own

    def text(self, style: str = "dmy") -> str:
        start = self.start
        if self.end is None:
            return start.text(style)
        end = self.end
        dash = "\u2013"
        if start.precision == end.precision == Precision.year:
            return f"{start.year}{dash}{end.year}"
        if start.year == end.year and start.precision == end.precision:
            if start.precision == Precision.month:
                return f"{MONTHS[start.month - 1]}{dash}{MONTHS[end.month - 1]} {end.year}"  # type: ignore[index,operator]
            if start.month == end.month:
                if style == "mdy":
                    return f"{MONTHS[start.month - 1]} {start.day}{dash}{end.day}, {end.year}"  # type: ignore[index,operator]
                return f"{start.day}{dash}{end.day} {MONTHS[start.month - 1]} {end.year}"  # type: ignore[index,operator]
            if style != "mdy":
                return f"{start.day} {MONTHS[start.month - 1]}{dash}{end.text(style)}"  # type: ignore[index,operator]
        return f"{start.text(style)}{dash}{end.text(style)}"


def _first_day(date: PartialDate) -> _dt.date:
    return _dt.date(date.year, date.month or 1, date.day or 1)


def _last_day(date: PartialDate) -> _dt.date:
    import calendar

    month = date.month or 12
    return _dt.date(date.year, month, date.day or calendar.monthrange(date.year, month)[1])


# --------------------------------------------------------------------------- sources


class SourceKind(str, Enum):
    news_article = "news-article"
    commentary = "commentary"
    syndicated_copy = "syndicated-copy"
    think_tank = "think-tank"
    official_document = "official-document"  # summit declarations, communiqués, agreements
    press_release = "press-release"
    government_statement = "government-statement"
    news_item = "news-item"  # an institution's own news page (NATO's "News"), not a release
    transcript = "transcript"  # remarks, a press conference or an interview as its host transcribed it


class ParagraphStyle(str, Enum):
    """How a text marks its paragraphs: blank lines between them, or one per line."""

    blank_lines = "blank-lines"
    lines = "lines"


class Person(Strict):
    """A person's name, split as it is written.

    ``family`` and ``given`` as the name is used; ``surname_first`` is true for names
    written surname first (Korean names: Ji Da-gyum). Such names are never inverted and
    never reduced to initials.
    """

    family: str = Field(min_length=1, description="family name (surname), or the one name of a person or body")
    given: str = Field(default="", description="given name(s), as written: 'Da-gyum', 'Anthony'")
    surname_first: bool = Field(
        default=False, description="the name is written surname first (Korean names: Ji Da-gyum); "
                                   "never inverted or reduced to initials")

    @property
    def display(self) -> str:
        """The name in reading order, as printed: "Anthony Crescente", "Ji Da-gyum"."""
        if not self.given:
            return self.family
        return f"{self.family} {self.given}" if self.surname_first else f"{self.given} {self.family}"

    @property
    def inverted(self) -> str:
        """The name as it leads a bibliography entry: "Crescente, Anthony", "Ji Da-gyum"."""
        if not self.given or self.surname_first:
            return self.display
        return f"{self.family}, {self.given}"


class RelationKind(str, Enum):
    rewrite_of = "rewrite-of"
    syndicated_copy_of = "syndicated-copy-of"
    republished_at = "republished-at"
    republication_of = "republication-of"


class Relation(Strict):
    """How this source relates to another publication, where known."""

    kind: RelationKind = Field(description="how this source relates to the other publication")
    outlet: str | None = Field(default=None, description="the other publication's outlet")
    title: str | None = Field(default=None, description="the other publication's title")
    authors: list[Person] = Field(default_factory=_empty, description="the other publication's authors")
    date: PartialDate | None = Field(default=None, description="the other publication's date")
    url: str | None = Field(default=None, description="the other publication's web address")
    note: str | None = Field(default=None, description="what is known of the relation, in words")


class Source(Strict):
    """A source's bibliographic record. Unknown stays unknown (``None``)."""

    id: Id = Field(description="the source's id: the record's file name without .yaml, outlet-date")
    kind: SourceKind = Field(description="what kind of publication it is")
    text: str | None = Field(
        default=None, description="file name of the verbatim text, beside the record; none "
                                  "for a reference-only source (no archived text)")
    confirmed_in: str | None = Field(
        default=None, description="for a reference-only source: where each fact was confirmed "
                                  "in public material")
    paragraphs: ParagraphStyle | None = Field(
        default=None, description="blank-lines (paragraphs separated by blank lines) or lines "
                                  "(one paragraph per line); detected from the text when absent")
    title: str | None = Field(default=None, description="the title as printed (or as supplied: see title_supplied)")
    title_supplied: bool = Field(
        default=False, description="the title was supplied (e.g. from the web address), not printed")
    short_title: str | None = Field(
        default=None, description="overrides the automatic short title of shortened notes")
    description: str | None = Field(
        default=None, description="for an untitled work: the words that stand in for a title, "
                                  "e.g. 'commentary on the Vilnius summit'")
    outlet: str | None = Field(default=None, description="newspaper, magazine or website")
    publisher: str | None = Field(default=None, description="institution, for think-tank work")
    series: str | None = Field(default=None, description="the series or column the work appeared in")
    original_outlet: str | None = Field(
        default=None, description="for syndicated copy: the outlet that first published it")
    authors: list[Person] = Field(default_factory=_empty, description="the named authors, in the order printed")
    authors_note: str | None = Field(
        default=None, description="what is known of unnamed authors, e.g. 'several, unnamed'")
    date: PartialDate | None = Field(default=None, description="publication date, to the precision known")
    time: str | None = Field(default=None, pattern=r"^\d{1,2}:\d{2}$",
                             description="publication time where printed, e.g. '18:22'")
    date_note: str | None = Field(default=None, description="what is known of an uncertain date, in words")
    url: str | None = Field(default=None, description="the web address the text was taken from")
    accessed: _dt.date = Field(description="the day the text was read or saved")
    relations: list[Relation] = Field(default_factory=_empty, description="rewrites, syndicated copies, republications of this work")
    front_matter: int = Field(
        default=0, ge=0,
        description="leading paragraphs (headline, standfirst, byline, dateline) not "
                    "counted as paragraphs of the article")
    furniture_from: str | None = Field(
        default=None,
        description="text of the first line that is syndication furniture, not the article")
    notes: str | None = Field(default=None, description="the archivist's notes on the record; never printed")

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://\S+$", v):
            raise ValueError(f"not a web address: {v!r}")
        return v

    @model_validator(mode="after")
    def _who(self) -> Source:
        if self.kind is SourceKind.syndicated_copy and not self.original_outlet:
            raise ValueError("syndicated copy needs original_outlet")
        if not (self.outlet or self.publisher):
            raise ValueError("a source needs an outlet or a publisher")
        if self.text is None:
            if not (self.confirmed_in or "").strip():
                raise ValueError("a reference-only source (no text:) needs confirmed_in: where "
                                 "each fact was confirmed in public material")
            for name in ("front_matter", "furniture_from", "paragraphs"):
                if name in self.model_fields_set:
                    raise ValueError(f"{name} describes an archived text; this source has no text:")
        return self

    @property
    def archived(self) -> bool:
        """True when the source's text is archived, so quotations can be verified."""
        return self.text is not None


class Fact(Strict):
    """A keyed, dated fact an extract states, e.g. nato-members = 31 as of 2023-12-13."""

    key: Id = Field(description="what the fact is about, e.g. nato-members")
    value: int | float | str = Field(description="the value the extract gives")
    as_of: PartialDate = Field(description="the date the value holds for")


class Caveat(Strict):
    """The analyst's correction of a source, with the evidence for it.

    Written ``caveat: "…"`` (no evidence) or ``caveat: {text: "…", cite: [extract-id]}``;
    ``cite`` names extracts, archived or reference-only, that hold the correction's facts.
    """

    text: str = Field(min_length=1, description="the correction, printed in the note")
    cite: list[Id] = Field(default_factory=_empty, description="extract ids holding the correction's evidence")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("the caveat is empty")
        return v


class Extract(Strict):
    """What a source says, curated for one or more topics: a verbatim ``quote`` from an
    archived text, or the analyst's ``paraphrase`` of a reference-only source."""

    id: Id = Field(description="the extract's id, cited in briefs as [@id]; unique in the archive")
    quote: str | None = Field(default=None, min_length=1,
                              description="the words of the archived text, verbatim")
    paraphrase: str | None = Field(
        default=None, min_length=1,
        description="for a reference-only source: the point, in the analyst's words")
    locator: str | None = Field(
        default=None, min_length=1,
        description="for a reference-only source: where in it, e.g. 'para. 30', printed in the note")
    topics: list[Id] = Field(min_length=1, description="the topics (brief names) the extract serves")
    caveat: Caveat | str | None = Field(
        default=None, description="the analyst's correction or warning, printed in the note: "
                                  "a string, or {text: ..., cite: [extract-id, ...]} with its evidence")
    facts: list[Fact] = Field(default_factory=_empty, description="keyed, dated facts the extract states, compared by check")

    @field_validator("quote", "paraphrase")
    @classmethod
    def _not_blank(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError("the quotation is empty")
        return v

    @field_validator("caveat")
    @classmethod
    def _caveat(cls, v: Caveat | str | None) -> Caveat | None:
        if isinstance(v, str):
            if not v.strip():
                raise ValueError("the caveat is empty")
            return Caveat(text=v)
        return v

    @property
    def caveat_text(self) -> str | None:
        return self.caveat.text if isinstance(self.caveat, Caveat) else self.caveat

    @property
    def caveat_cites(self) -> list[str]:
        return list(self.caveat.cite) if isinstance(self.caveat, Caveat) else []

    @property
    def words(self) -> str:
        """The quotation, or for a reference-only source the paraphrase."""
        return self.quote if self.quote is not None else (self.paraphrase or "")


class SourceFile(Strict):
    """One ``seeds/<id>.yaml``: a source's record and the extracts taken from it."""

    source: Source = Field(description="the source's bibliographic record")
    extracts: list[Extract] = Field(default_factory=_empty, description="the extracts taken from this source")


# --------------------------------------------------------------------------- briefs


class EventKind(str, Enum):
    event = "event"
    meeting = "meeting"
    summit = "summit"
    visit = "visit"
    agreement = "agreement"
    programme = "programme"
    exercise = "exercise"
    transfer = "transfer"
    statement = "statement"
    legislation = "legislation"
    membership = "membership"


class Event(Strict):
    """A dated event for the chronology; ``text`` is Markdown with citations.

    ``id`` names the event across topics: the merged timeline prints events that share
    an id as one row. ``same_as`` declares this event the same as another topic's event
    of that id, on the same date and of the same kind.
    """

    id: Id | None = Field(default=None, description="the event's id, shared by every topic's spec that records it")
    same_as: Id | None = Field(default=None, description="the id of the same event in another topic's spec")
    date: EventDate
    kind: EventKind = EventKind.event
    text: str = Field(min_length=1, description="what happened, in Markdown, cited: [@extract-id]")


class Section(Strict):
    """A titled section of prose. ``assessment`` marks the analyst's own judgement."""

    id: Id = Field(description="the section's id, which the template places: background, implications, ...")
    heading: str = Field(min_length=1, description="the heading as printed")
    assessment: bool = Field(default=False, description="the analyst's judgement: needs no citations, printed as assessment")
    paragraphs: list[str] = Field(default_factory=_empty, description=(
        "paragraphs of Markdown prose, cited: [@extract-id]; a paragraph may be a figure: "
        "![alt text](figures/map.png \"Caption\")"))
    bullets: list[str] = Field(default_factory=_empty, description="bullet points after the paragraphs, Markdown, cited")


class Brief(Strict):
    """A topic's brief spec: ``briefs/<topic>.yaml``. Prose fields are Markdown and cite
    extracts as ``[@extract-id]`` (several: ``[@a; @b]``)."""

    topic: Id = Field(description="the topic: the spec's file name without .yaml")
    title: str = Field(min_length=1, description="the brief's title")
    short_title: str | None = Field(default=None, description="a short title for running heads")
    subtitle: str | None = Field(default=None, description="a line under the title")
    date: _dt.date = Field(description="the brief's as-of date")
    marking: str | None = Field(default=None, description="overrides the house marking")
    question: str = Field(min_length=1, description="the question the brief answers")
    keywords: list[str] = Field(default_factory=_empty, description="keywords for the document properties")
    bluf: list[str] = Field(default_factory=_empty, description="bottom line up front")
    key_points: list[str] = Field(default_factory=_empty, description="three to five key points, Markdown, cited")
    sections: list[Section] = Field(default_factory=_empty, description="the sections, placed by the template by id")
    events: list[Event] = Field(default_factory=_empty, description="the chronology: dated, cited events")
    template: str | None = Field(
        default=None, description="a template in templates/ overriding the house template")

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, v: Any) -> Any:
        if isinstance(v, _dt.datetime):
            v = v.date()
        if isinstance(v, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.strip()):
            raise ValueError(f"not a date: {v!r} (write 2024-11-01)")
        if isinstance(v, _dt.date) and not 1000 <= v.year <= 9999:
            raise ValueError(f"the year {v.year} is not a year of a brief (write 2024-11-01)")
        return v


# --------------------------------------------------------------------------- settings


class CheckSettings(Strict):
    """Thresholds of the evidence checks (``checks:`` in the house settings)."""

    max_source_share: float = Field(
        default=0.5, gt=0, le=1,
        description="warn when one source carries more than this share of a brief's notes")
    max_source_age_days: int = Field(
        default=45, ge=0,
        description="warn when the brief's date is more than this many days after its newest source")


class FigureSettings(Strict):
    """Limits on the pictures a brief may carry (``figures:`` in the house settings)."""

    max_megapixels: float = Field(
        default=40.0, gt=0, le=200,
        description="the most pixels a figure may have, in millions (width × height, read from its header)")
    max_megabytes: float = Field(
        default=20.0, gt=0, le=100, description="the largest figure file, in MB")
    max_total_megabytes: float = Field(
        default=50.0, gt=0, le=1000,
        description="the most all of a brief's figure files may weigh together, in MB (each file counted once)")


class Settings(Strict):
    """House style: ``templates/settings.yaml``. Every field has a sensible default."""

    marking: str = Field(default="UNCLASSIFIED", description="handling marking, top and bottom of every page; '' for none")
    author: str = Field(default="", description="shown in the title block and document properties")
    organisation: str = Field(default="", description="shown in the title block and document properties")
    language: Literal["en-GB", "en-US"] = "en-GB"
    page_size: Literal["A4", "Letter"] = "A4"
    date_style: Literal["dmy", "mdy"] = "dmy"
    template: str = Field(default="brief.md.j2", description="the house template, in templates/ (default: the one shipped)")
    reference_docx: str | None = Field(
        default=None, description="path (relative to templates/) of a house .docx for styles")
    ibid: bool = Field(default=False, description="'Ibid.' for consecutive citations of a source")
    locators: bool = Field(default=False, description="show the extract's paragraph in notes")
    annex: bool = Field(default=False, description="append the evidence annex to every brief")
    glossary: list[list[str]] = Field(
        default_factory=_empty,
        description="groups of equivalent names for the details check: [ROK, Republic of Korea]")
    checks: CheckSettings = Field(default_factory=CheckSettings)
    figures: FigureSettings = Field(default_factory=FigureSettings)
    timeline_title: str = Field(default="Chronology", min_length=1,
                                description="the title of the merged chronology (briefgen timeline)")
