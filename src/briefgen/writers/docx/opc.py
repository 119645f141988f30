"""The package of one DOCX build, held as text: parts, relationships, content types.

A ``Base`` is a set-up base document (``package.open_base``): every part's bytes,
except where the writer's markup goes, which is a ``Slot`` (the part's bytes before
and after its root's children); the document properties and the page size carry
placeholders. The default base is read from package data (``default-docx.zip``, made
by ``package.default_bases`` from python-docx's template and compared with it by
``tests/test_docx_base.py``), so a build without a house template needs neither
python-docx nor lxml. A ``Package`` is one build's copy of a base: the writer adds
relationships, parts and the slots' contents, and ``zipped`` makes it a file with
the parts in the order python-docx's ``PackageWriter`` writes them.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import posixpath
import re
import zipfile
from collections.abc import Callable
from importlib import resources
from typing import NamedTuple

from ...memo import Memo, between_builds
from .markup import attr, text
from .zipped import Stamp, zip_later, zip_package

RT_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
RT_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
_CT_XML = "application/xml"
_IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg"}  # by the extension python-docx gives
_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"

#: placeholders in the default base, replaced for each build
LANGUAGE = "x-briefgen-language"  # the brief's language (styles, settings)
PAGE = (97001, 97002, 97003)  # page width, height and margin in twips (``w:sectPr``)
CORE_FIELDS = ("title", "subject", "author", "last_modified_by", "keywords", "language",
               "comments", "category")
CORE_DATES = (_dt.datetime(1900, 1, 2, 3, 4, 5), _dt.datetime(1900, 1, 2, 3, 4, 6))  # created, modified


def core_placeholder(name: str) -> str:
    return f"x-briefgen-core-{name}"


def core_date(moment: _dt.datetime) -> str:
    """A date as python-docx writes it into the document properties."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Rel(NamedTuple):
    """One relationship: ``part`` is the target part's name, None for an external target."""

    rid: str
    reltype: str
    target: str
    part: str | None


class Part(NamedTuple):
    """A part; ``override``: its content type is listed by name, not by extension."""

    name: str
    content_type: str
    blob: bytes
    rels: tuple[Rel, ...] = ()
    override: bool = True


class Slot(NamedTuple):
    """A part's bytes around its root's children, which the writer writes."""

    part: str
    head: bytes
    tail: bytes


class Base(NamedTuple):
    """A base document, set up: what every build of one setup starts from."""

    parts: tuple[Part, ...]
    rels: tuple[Rel, ...]  # the package's relationships
    style: tuple[tuple[str, str], ...]  # each style the writer uses: (key, style id)
    body: Slot  # the document: its tail starts with the section properties
    page: bool  # the house look sets the page size (``PAGE`` stands in the body's tail)
    text_width: int  # twips between the margins when the page is the template's
    footnotes: Slot
    stories: tuple[tuple[str, Slot], ...]  # header and footer parts, by kind
    numbering: Slot  # its head ends before the first ``w:num``, ...
    numbering_mid: bytes  # ... this runs from there to the end, where new lists go
    next_ids: tuple[int, int]  # the next free abstractNumId and numId
    comments: Slot  # a review copy's: the template's comments part (emptied), or a new one's bytes
    comments_exist: bool
    core: str  # the document properties part, with ``core_placeholder`` values

    def styles(self) -> dict[str, str]:
        return dict(self.style)


class Package:
    """One build's package: a base's parts with what the writer adds."""

    def __init__(self, base: Base) -> None:
        self.base = base
        self.parts: dict[str, Part] = {part.name: part for part in base.parts}
        self.rels = list(base.rels)
        self.body = base.body.part
        self.footnotes = base.footnotes.part
        self._ids: dict[str, set[str]] = {}  # each part's relationship ids, once asked for
        self._added: dict[str, list[Rel]] = {}  # relationships added, by source part

    # ---------------------------------------------------------------- relationships

    def rel_ids(self, part: str) -> set[str]:
        """The ids of ``part``'s relationships (the set stays current as relationships are added)."""
        ids = self._ids.get(part)
        if ids is None:
            ids = self._ids[part] = {rel.rid for rel in self.parts[part].rels}
        return ids

    def relate(self, source: str, rel: Rel) -> None:
        self.rel_ids(source).add(rel.rid)
        self._added.setdefault(source, []).append(rel)

    def rels_of(self, part: Part) -> list[Rel]:
        return [*part.rels, *self._added.get(part.name, ())]

    def hyperlinks(self, part: str) -> RelIds:
        return RelIds(self, part)

    def _relate_part(self, source: str, part: Part, reltype: str) -> str:
        """The id of a relationship from ``source`` to ``part``: python-docx's next free id."""
        for rel in self.rels_of(self.parts[source]):
            if rel.part == part.name and rel.reltype == reltype:
                return rel.rid
        used = self.rel_ids(source)
        rid = next(f"rId{n}" for n in range(1, len(used) + 2) if f"rId{n}" not in used)
        self.parts.setdefault(part.name, part)
        target = posixpath.relpath(part.name, posixpath.dirname(source))
        self.relate(source, Rel(rid, reltype, target, part.name))
        return rid

    # ---------------------------------------------------------------- the writer's parts

    def fill(self, slot: Slot, content: str) -> None:
        found = self.parts[slot.part]
        self.parts[slot.part] = found._replace(blob=slot.head + content.encode("utf-8") + slot.tail)

    def fill_body(self, content: str, page: tuple[int, int, int] | None) -> None:
        slot = self.base.body
        if page is not None and self.base.page:
            tail = slot.tail
            for placeholder, value in zip(PAGE, page, strict=True):
                tail = tail.replace(f'"{placeholder}"'.encode(), f'"{value}"'.encode())
            slot = slot._replace(tail=tail)
        self.fill(slot, content)

    def fill_numbering(self, abstracts: str, nums: str) -> None:
        slot = self.base.numbering
        found = self.parts[slot.part]
        blob = (slot.head + abstracts.encode("utf-8") + self.base.numbering_mid + nums.encode("utf-8")
                + slot.tail)
        self.parts[slot.part] = found._replace(blob=blob)

    def fill_comments(self, content: str) -> None:
        slot = self.base.comments
        if not self.base.comments_exist:
            self._relate_part(self.body, Part(slot.part, CT_COMMENTS, b""), RT_COMMENTS)
        self.fill(slot, content)

    def set_core(self, values: dict[str, str], moment: _dt.datetime) -> None:
        part = self.parts[self.base.core]
        xml = part.blob.decode("utf-8")
        for name, value in values.items():
            xml = xml.replace(core_placeholder(name), text(value))
        for placeholder in CORE_DATES:
            xml = xml.replace(core_date(placeholder), core_date(moment))
        self.parts[self.base.core] = part._replace(blob=xml.encode("utf-8"))

    def add_image(self, data: bytes, kind: str) -> str:
        """The id of the document's relationship to an image part holding ``data`` (a
        PNG or JPEG): one part per distinct picture, named as python-docx names it."""
        ext = "png" if kind == "png" else "jpg"
        images = [part for part in self.parts.values() if part.content_type.startswith("image/")]
        for part in images:
            if part.blob == data:  # python-docx compares SHA-1 digests
                return self._relate_part(self.body, part, RT_IMAGE)
        used = {_index(part.name) for part in images}
        n = next((n for n in range(1, len(images) + 1) if n not in used), len(images) + 1)
        part = Part(f"/word/media/image{n}.{ext}", _IMAGE_TYPES[ext], data, override=False)
        return self._relate_part(self.body, part, RT_IMAGE)

    # ---------------------------------------------------------------- the file

    def ordered(self) -> list[Part]:
        """The parts in python-docx's order: depth first along the relationships."""
        seen: set[str] = set()
        out: list[Part] = []

        def walk(rels: list[Rel]) -> None:
            for rel in rels:
                if rel.part is None or rel.part in seen:
                    continue
                seen.add(rel.part)
                part = self.parts[rel.part]
                out.append(part)
                walk(self.rels_of(part))

        walk(self.rels)
        return out

    def zip(self, moment: _dt.datetime) -> bytes:
        """The package as bytes, every zip entry stamped with ``moment``."""
        return zip_package(*self._entries(moment))

    def zip_later(self, moment: _dt.datetime) -> Callable[[], bytes]:
        """``zip(moment)``, compressed on a thread (``zipped.zip_later``): call the
        function returned for the bytes."""
        return zip_later(*self._entries(moment))

    def _entries(self, moment: _dt.datetime) -> tuple[list[tuple[str, bytes]], Stamp]:
        t = max(moment, _dt.datetime(1980, 1, 1)).timetuple()
        stamp: Stamp = (t[0], t[1], t[2], t[3], t[4], t[5])
        parts = self.ordered()
        entries = [("[Content_Types].xml", content_types(parts)), ("_rels/.rels", rels_xml(self.rels))]
        for part in parts:
            member = part.name[1:]
            entries.append((member, part.blob))
            rels = self.rels_of(part)
            if rels:
                folder, name = posixpath.split(member)
                entries.append((posixpath.join(folder, "_rels", name + ".rels"), rels_xml(rels)))
        return entries, stamp


class RelIds:
    """External hyperlink relationships of one part, with ids from a counter."""

    def __init__(self, package: Package, part: str):
        self._package = package
        self._part = part
        self._used = package.rel_ids(part)
        numbers = [int(r[3:]) for r in self._used if r.startswith("rId") and r[3:].isdigit()]
        self._next = max(numbers, default=0) + 1
        self._by_url: dict[str, str] = {}

    def hyperlink(self, url: str) -> str:
        rid = self._by_url.get(url)
        if rid is None:
            while f"rId{self._next}" in self._used:
                self._next += 1
            rid = f"rId{self._next}"
            self._next += 1
            self._package.relate(self._part, Rel(rid, RT_HYPERLINK, url, None))
            self._by_url[url] = rid
        return rid


def _index(name: str) -> int | None:
    """The number in an image part's name (``/word/media/image3.png``: 3), as python-docx reads it."""
    found = re.search(r"(\d+)\.[^./]*$", name)
    return int(found.group(1)) if found else None


def content_types(parts: list[Part]) -> bytes:
    """``[Content_Types].xml`` as python-docx writes it: defaults by extension, then
    overrides by part name, each sorted."""
    defaults = {"rels": _CT_RELS, "xml": _CT_XML}
    overrides: dict[str, str] = {}
    for part in parts:
        if part.override:
            overrides[part.name] = part.content_type
        else:
            defaults[posixpath.splitext(part.name)[1][1:].lower()] = part.content_type
    out = [_DECLARATION, '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">']
    out += [f'<Default Extension="{attr(ext)}" ContentType="{attr(defaults[ext])}"/>' for ext in sorted(defaults)]
    out += [f'<Override PartName="{attr(name)}" ContentType="{attr(overrides[name])}"/>'
            for name in sorted(overrides)]
    out.append("</Types>")
    return "".join(out).encode("utf-8")


def rels_xml(rels: tuple[Rel, ...] | list[Rel]) -> bytes:
    """A relationships item, as python-docx's ``Relationships.xml`` writes it."""
    out = [_DECLARATION, '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    for rel in rels:
        mode = ' TargetMode="External"' if rel.part is None else ""
        out.append(f'<Relationship Id="{attr(rel.rid)}" Type="{attr(rel.reltype)}" '
                   f'Target="{attr(rel.target)}"{mode}/>')
    out.append("</Relationships>")
    return "".join(out).encode("utf-8")


# --------------------------------------------------------------------------- stored bases

DATA = "default-docx.zip"  # in ``briefgen/data``: the default base of each setup


class _Blobs:
    """Byte strings stored once each, by their hash (``dump``/``load``)."""

    def __init__(self) -> None:
        self.members: dict[str, bytes] = {}

    def put(self, data: bytes) -> str:
        import hashlib

        key = hashlib.sha256(data).hexdigest()[:20]
        self.members[key] = data
        return key


def dump(bases: dict[str, Base]) -> dict[str, bytes]:
    """Zip members holding ``bases`` by name: one manifest each, and the byte strings they share."""
    blobs = _Blobs()

    def slot(s: Slot) -> list[str]:
        return [s.part, blobs.put(s.head), blobs.put(s.tail)]

    def rels(rs: tuple[Rel, ...]) -> list[list[str | None]]:
        return [[r.rid, r.reltype, r.target, r.part] for r in rs]

    out: dict[str, bytes] = {}
    for name, base in bases.items():
        manifest = {
            "parts": [[p.name, p.content_type, blobs.put(p.blob), rels(p.rels), p.override]
                      for p in base.parts],
            "rels": rels(base.rels), "style": [list(pair) for pair in base.style],
            "body": slot(base.body), "page": base.page, "text_width": base.text_width,
            "footnotes": slot(base.footnotes),
            "stories": [[kind, *slot(s)] for kind, s in base.stories],
            "numbering": slot(base.numbering), "numbering_mid": blobs.put(base.numbering_mid),
            "next_ids": list(base.next_ids), "comments": slot(base.comments),
            "comments_exist": base.comments_exist, "core": base.core,
        }
        out[f"{name}.json"] = json.dumps(manifest, indent=0, sort_keys=True).encode()
    out.update({f"blobs/{key}": data for key, data in sorted(blobs.members.items())})
    return out


def load(members: dict[str, bytes], name: str) -> Base:
    """The base ``name`` from ``dump``'s members."""
    m = json.loads(members[f"{name}.json"])

    def blob(key: str) -> bytes:
        return members[f"blobs/{key}"]

    def slot(s: list[str]) -> Slot:
        return Slot(s[0], blob(s[1]), blob(s[2]))

    def rels(rs: list[list[str | None]]) -> tuple[Rel, ...]:
        return tuple(Rel(str(r[0]), str(r[1]), str(r[2]), r[3]) for r in rs)

    return Base(
        parts=tuple(Part(p[0], p[1], blob(p[2]), rels(p[3]), p[4]) for p in m["parts"]),
        rels=rels(m["rels"]), style=tuple((k, v) for k, v in m["style"]), body=slot(m["body"]),
        page=m["page"], text_width=m["text_width"], footnotes=slot(m["footnotes"]),
        stories=tuple((s[0], slot(s[1:])) for s in m["stories"]),
        numbering=slot(m["numbering"]), numbering_mid=blob(m["numbering_mid"]),
        next_ids=(m["next_ids"][0], m["next_ids"][1]), comments=slot(m["comments"]),
        comments_exist=m["comments_exist"], core=m["core"])


def variant(review: bool, figures: bool) -> str:
    """The name of the stored default base for a setup."""
    return ("review" if review else "plain") + ("-figures" if figures else "")


def with_language(base: Base, language: str) -> Base:
    """``base`` with the brief's language where ``LANGUAGE`` stands."""
    placeholder, value = LANGUAGE.encode(), attr(language).encode("utf-8")
    parts = tuple(p._replace(blob=p.blob.replace(placeholder, value)) if placeholder in p.blob else p
                  for p in base.parts)
    return base._replace(parts=parts)


_STORED: Memo[Base] = Memo(8)


def default_base(review: bool, figures: bool, language: str) -> Base:
    """The default base of a setup, from package data (kept between builds)."""
    key = (review, figures, language)
    if between_builds():
        return _STORED.get(key, lambda: _read_default(*key))
    return _read_default(*key)


def _read_default(review: bool, figures: bool, language: str) -> Base:
    data = resources.files("briefgen").joinpath("data", DATA).read_bytes()
    name = variant(review, figures)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        manifest = z.read(f"{name}.json")
        keys = set(re.findall(rb'"([0-9a-f]{20})"', manifest))
        members = {f"{name}.json": manifest}
        members.update({f"blobs/{k.decode()}": z.read(f"blobs/{k.decode()}") for k in keys})
    return with_language(load(members, name), language)
