"""``briefgen add-source FILE``: archive a saved web page or a text as a new source.

From a saved page (``.html``) trafilatura extracts the article's text and what the page
says about it (title, authors, date, site name, canonical address); a plain text is
taken as it is. briefgen writes ``seeds/<id>.txt`` (one paragraph per block, paragraphs
separated by blank lines) and ``seeds/<id>.yaml``, the record, with every field the
page did not give left empty and marked ``# TODO``. A Zotero/CSL-JSON item
(``--csl-json``) fills or overrides the record. The id is ``outlet-date``, as in the
archive (``koreaherald-2023-02-14``); an id or a web address already archived is refused.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BriefgenError
from ..models import ID_PATTERN, SourceKind
from ..output import OutputSet, prepare_dir
from ..schema import modeline
from ..workspace import open_workspace

#: A saved page or a text larger than this is not an article.
MAX_INPUT = 20 * 1024 * 1024
#: Second-level labels under a country code: www.bbc.co.uk -> bbc, www.yna.co.kr -> yna.
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "go", "or", "gov", "edu", "ne", "re"}
#: CSL item types -> source kinds
_CSL_KINDS = {"article-newspaper": "news-article", "article-magazine": "news-article",
              "post-weblog": "commentary", "report": "think-tank", "webpage": "news-article",
              "article": "news-article", "post": "news-article"}
# A romanised Korean given name: two syllables joined by a hyphen, "Da-gyum", "Min-jun".
_KOREAN_GIVEN = re.compile(r"^[A-Z][a-z]+-[a-z]+$")


@dataclass
class Record:
    """What is known of a new source; ``None`` is unknown."""

    kind: str = "news-article"
    title: str | None = None
    outlet: str | None = None
    publisher: str | None = None
    authors: list[dict] = field(default_factory=list)
    date: str | None = None
    url: str | None = None
    accessed: str | None = None
    front_matter: int = 0
    filled_from: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def _read_input(path: Path, shown: str) -> bytes:
    try:
        if not path.is_file():
            raise BriefgenError("not a file" if path.exists() else "file not found", path=shown)
        if path.stat().st_size > MAX_INPUT:
            raise BriefgenError(f"larger than {MAX_INPUT // (1024 * 1024)} MB: not an article", path=shown)
        return path.read_bytes()
    except OSError as exc:
        raise BriefgenError(f"cannot read: {exc.strerror}", path=shown) from None


def _is_html(path: Path, raw: bytes) -> bool:
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    head = raw[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _decode(raw: bytes, shown: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BriefgenError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                            path=shown, line=line) from None


def from_html(raw: bytes, shown: str) -> tuple[list[str], Record]:
    """The article's paragraphs and record, as trafilatura reads the page."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        raw, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, favor_precision=True, deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True})
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise BriefgenError("no article text found in the page (is it the saved article, "
                            "not a search or index page?)", path=shown)
    paragraphs = [" ".join(line.split()) for line in text.splitlines() if line.strip()]

    def meta(name: str) -> str | None:
        return _clean(getattr(doc, name, None))

    record = Record(title=meta("title"), outlet=meta("sitename"), url=meta("url"),
                    date=meta("date"), authors=_people(meta("author")))
    record.filled_from.append("the page")
    return paragraphs, record


def from_text(raw: bytes, shown: str) -> list[str]:
    """A plain text's paragraphs: blocks between blank lines, or else its lines."""
    text = _decode(raw, shown).replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"\n[ \t]*\n", text.strip()):
        blocks = re.split(r"\n[ \t]*\n", text.strip())
        paragraphs = [" ".join(b.split()) for b in blocks if b.strip()]
    else:
        paragraphs = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if not paragraphs:
        raise BriefgenError("the text is empty", path=shown)
    return paragraphs


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _people(names: str | None) -> list[dict]:
    """Authors from a byline: "Jane Doe; Kim Min-jun" -> family and given names."""
    people = []
    for name in re.split(r"\s*(?:;|\band\b|&)\s*", names or ""):
        words = name.strip().split()
        if not words:
            continue
        if len(words) == 2 and _KOREAN_GIVEN.match(words[1]):  # Ji Da-gyum: surname first
            people.append({"family": words[0], "given": words[1], "surname_first": True})
        elif len(words) == 1:
            people.append({"family": words[0]})
        else:
            people.append({"family": words[-1], "given": " ".join(words[:-1])})
    return people


def apply_csl_json(record: Record, path: Path, shown: str) -> None:
    """Fill or override the record from a CSL-JSON item (Zotero's export)."""
    raw = _read_input(path, shown)
    try:
        data = json.loads(_decode(raw, shown))
    except json.JSONDecodeError as exc:
        raise BriefgenError(f"not JSON: {exc.msg}", path=shown, line=exc.lineno) from None
    if isinstance(data, list):
        if len(data) != 1:
            raise BriefgenError(f"holds {len(data)} items; give a file with one", path=shown)
        data = data[0]
    if not isinstance(data, dict):
        raise BriefgenError("expected a CSL-JSON item (an object)", path=shown)
    if isinstance(data.get("type"), str) and data["type"] in _CSL_KINDS:
        record.kind = _CSL_KINDS[data["type"]]
    for key, attr in (("title", "title"), ("container-title", "outlet"), ("publisher", "publisher"),
                      ("URL", "url")):
        value = _clean(data.get(key))
        if value:
            setattr(record, attr, value)
    authors = data.get("author")
    if isinstance(authors, list) and authors:
        people = []
        for a in authors:
            if isinstance(a, dict) and (a.get("family") or a.get("literal")):
                person: dict[str, str | bool] = {"family": str(a.get("family") or a.get("literal"))}
                if a.get("given"):
                    person["given"] = str(a["given"])
                if _KOREAN_GIVEN.match(str(person.get("given", ""))):
                    person["surname_first"] = True
                people.append(person)
        record.authors = people
    for key, attr in (("issued", "date"), ("accessed", "accessed")):
        value = _csl_date(data.get(key))
        if value:
            setattr(record, attr, value)
    record.filled_from.append(shown)


def _csl_date(value: object) -> str | None:
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        try:
            return "-".join(f"{int(p):02d}" if i else f"{int(p):04d}" for i, p in enumerate(parts[0][:3]))
        except (TypeError, ValueError):
            return None
    raw = value.get("raw")
    return _clean(raw) if isinstance(raw, str) else None


# --------------------------------------------------------------------------- the record


def _date(value: str | None) -> str | None:
    """A publication date as the archive writes it (2024-03-05, 2024-03, 2024), or None."""
    if not value:
        return None
    m = re.match(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value)
    if not m:
        return None
    y, mo, d = m.groups()
    try:
        if d:
            return _dt.date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None
    return f"{y}-{int(mo):02d}" if mo else y


def outlet_slug(record: Record) -> str | None:
    """The outlet part of an id: from the web address's domain, else from the outlet's name."""
    if record.url:
        m = re.match(r"^https?://([^/:?#]+)", record.url)
        if m:
            labels = [x for x in m.group(1).lower().split(".") if x and x != "www"]
            if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
                labels = labels[:-2]
            elif len(labels) >= 2:
                labels = labels[:-1]
            slug = re.sub(r"[^a-z0-9]", "", labels[-1]) if labels else ""
            if slug:
                return slug
    name = record.outlet or record.publisher
    if name:
        slug = re.sub(r"[^a-z0-9]", "", name.lower())
        return slug[:40] or None
    return None


def derive_id(record: Record) -> str:
    slug = outlet_slug(record)
    if not slug:
        raise BriefgenError("no outlet known to name the source by: give --outlet NAME, --url or "
                            "--id ID", path="briefgen")
    return f"{slug}-{record.date or 'undated'}"


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


def _field(name: str, value: str | None, todo: str, width: int = 36) -> str:
    if value is None:
        return f"  {name}:".ljust(width) + f"# TODO: {todo}"
    return f"  {name}: {value}"


def record_yaml(source_id: str, record: Record, origin: str, paragraphs: int) -> str:
    kinds = " | ".join(k.value for k in SourceKind)
    lines = [
        modeline("source.schema.json").rstrip("\n"),
        f"# Archived by briefgen add-source from {origin} ({paragraphs} paragraphs); record filled",
        f"# from {' and '.join(record.filled_from) or 'nothing: fill it in'}. A field marked TODO "
        "was not found:",
        "# fill it in, or delete the line where it is unknown. Check the authors' split and",
        "# front_matter against the text, then add extracts with briefgen quote.",
        "source:",
        f"  id: {source_id}",
        f"  kind: {record.kind}".ljust(36) + f"# {kinds}",
        f"  text: {source_id}.txt",
        _field("title", _q(record.title) if record.title else None, "the title as printed"),
        _field("outlet", _q(record.outlet) if record.outlet else None,
               "newspaper, magazine or website (or give publisher:)"),
    ]
    if record.publisher:
        lines.append(f"  publisher: {_q(record.publisher)}")
    if record.authors:
        lines.append("  authors:".ljust(36) + "# check: Korean names are surname first")
        for person in record.authors:
            parts = [f"family: {_q(person['family'])}"]
            if person.get("given"):
                parts.append(f"given: {_q(person['given'])}")
            if person.get("surname_first"):
                parts.append("surname_first: true")
            lines.append("    - {" + ", ".join(parts) + "}")
    else:
        lines.append("  authors: []".ljust(36) + "# TODO: no author found; name them, or say "
                                                    "what is known in authors_note:")
    lines += [
        _field("date", _date(record.date), "2024-03-05, 2024-03 or 2024"),
        _field("url", record.url, "the web address"),
        f"  accessed: {record.accessed}".ljust(36) + "# the day the page was saved: check",
        f"  front_matter: {record.front_matter}".ljust(36)
        + "# check: headline, standfirst, byline before paragraph 1",
        "extracts: []",
        "",
    ]
    return "\n".join(lines)


def _front_matter(paragraphs: list[str], record: Record) -> int:
    """Leading paragraphs that are the headline or a byline, not the article."""
    count = 0
    title = " ".join((record.title or "").split()).casefold()
    for para in paragraphs[:3]:
        folded = para.casefold()
        if (title and folded == title) or re.match(r"^(by|written by)\s+\S", folded) or len(para) < 40:
            count += 1
        else:
            break
    return min(count, len(paragraphs) - 1)


def _already_archived(seeds: Path, url: str | None) -> str | None:
    if not url or not seeds.is_dir():
        return None
    pattern = re.compile(r"^\s*url:\s*['\"]?" + re.escape(url) + r"['\"]?\s*(#.*)?$", re.M)
    for path in sorted(seeds.glob("*.yaml")):
        try:
            if pattern.search(path.read_text(encoding="utf-8", errors="replace")):
                return path.name
        except OSError:
            continue
    return None


def run(args: argparse.Namespace) -> int:
    ws = open_workspace(args.root)
    source_path = Path(args.file)
    raw = _read_input(source_path, args.file)
    if _is_html(source_path, raw):
        paragraphs, record = from_html(raw, args.file)
    else:
        paragraphs, record = from_text(raw, args.file), Record()
    record.accessed = _dt.date.fromtimestamp(source_path.stat().st_mtime).isoformat()
    if args.csl_json:
        apply_csl_json(record, Path(args.csl_json), args.csl_json)
    if args.kind:
        if args.kind not in {k.value for k in SourceKind}:
            raise BriefgenError(f"unknown kind {args.kind!r} (kinds: "
                                + ", ".join(k.value for k in SourceKind) + ")", path="briefgen")
        record.kind = args.kind
    for name in ("outlet", "url", "date"):
        if getattr(args, name):
            setattr(record, name, getattr(args, name))
    if args.date and _date(args.date) is None:
        raise BriefgenError(f"not a date: {args.date!r} (write 2024-03-05, 2024-03 or 2024)",
                            path="briefgen")
    record.date = _date(record.date)
    record.front_matter = _front_matter(paragraphs, record)
    source_id = args.id or derive_id(record)
    if not re.match(ID_PATTERN, source_id) or len(source_id) > 80:
        raise BriefgenError(f"{source_id!r} is not an id: lowercase letters, digits and hyphens",
                            path="briefgen")
    seeds = ws.seeds
    for suffix in (".yaml", ".txt"):
        if (seeds / f"{source_id}{suffix}").exists():
            raise BriefgenError(f"already exists: source {source_id!r} is archived; give --id "
                                "to archive this one under another id", path=ws.shown(seeds / f"{source_id}{suffix}"))
    same = _already_archived(seeds, record.url)
    if same:
        raise BriefgenError(f"{record.url} is archived already, in {ws.shown(seeds / same)}",
                            path=args.file)
    prepare_dir(seeds, ws.shown(seeds))
    text = "\n\n".join(paragraphs) + "\n"
    yaml_text = record_yaml(source_id, record, source_path.name, len(paragraphs))
    with OutputSet() as out:
        out.add(seeds / f"{source_id}.txt", text.encode("utf-8"), ws.shown(seeds / f"{source_id}.txt"))
        out.add(seeds / f"{source_id}.yaml", yaml_text.encode("utf-8"), ws.shown(seeds / f"{source_id}.yaml"))
        out.commit()
    todo = yaml_text.count("# TODO")
    print(f"wrote {ws.shown(seeds / f'{source_id}.txt')} ({len(paragraphs)} paragraphs) and "
          f"{ws.shown(seeds / f'{source_id}.yaml')} ({todo} field(s) to fill in, marked TODO)")
    print(f"next: briefgen quote {source_id} \"words of a passage\" --add ID --topics TOPIC")
    return 0
