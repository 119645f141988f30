"""``briefgen quote SOURCE "fragment"``: find a passage and make it an extract.

The fragment is looked for in the source's archived text paragraph by paragraph, first
exactly (as ``check`` compares: white space and the style of quotes, apostrophes and
dashes ignored), then, if it is not there, as the closest passage (rapidfuzz's partial
alignment). The passage printed is always the source's own words, never the fragment as
typed, with the paragraph number the corpus computes. ``--add ID --topics a,b``
appends it as an extract to ``seeds/SOURCE.yaml`` through a ruamel.yaml round trip, so
the file's comments, order and quoting stay as they were.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

from ..corpus import Paragraph, fold, split_paragraphs
from ..errors import BriefgenError
from ..models import ID_PATTERN
from ..workspace import Workspace, open_workspace
from ..yamlload import Located, load_yaml, read_text

#: A fuzzy match below this rapidfuzz score (0-100) is no match.
MIN_SCORE = 70.0

# Each folded character back to the characters it stands for in the source.
_VARIANTS = {
    "'": "'\u2018\u2019\u201a\u201b\u2032\u00b4",
    '"': '"\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb',
    "-": "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212",
}


@dataclass
class Found:
    paragraph: Paragraph
    passage: str  # the source's own words
    score: float  # 100 for an exact match


def _pattern(folded: str) -> re.Pattern[str]:
    """A regex finding ``folded`` in unfolded text: spaces, quotes and dashes in any style."""
    parts = []
    for ch in folded:
        if ch == " ":
            parts.append(r"\s+")
        elif ch in _VARIANTS:
            parts.append("[" + re.escape(_VARIANTS[ch]) + "]")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts))


def _original(paragraph: str, folded_passage: str) -> str:
    """The span of ``paragraph`` that folds to ``folded_passage``."""
    m = _pattern(folded_passage).search(paragraph)
    return m.group(0) if m else folded_passage


def find_passage(paragraphs: list[Paragraph], fragment: str) -> Found | None:
    """The fragment in one paragraph, exactly, else the closest passage above MIN_SCORE."""
    wanted = fold(fragment)
    if not wanted:
        return None
    candidates = [p for p in paragraphs if not p.furniture]
    for p in candidates:
        if wanted in fold(p.text):
            return Found(p, _original(p.text, wanted), 100.0)
    from rapidfuzz import fuzz

    best: Found | None = None
    for p in candidates:
        folded = fold(p.text)
        result = fuzz.partial_ratio_alignment(wanted, folded, score_cutoff=MIN_SCORE)
        if result is None or (best is not None and result.score <= best.score):
            continue
        start, end = _best_span(wanted, folded, result.dest_start, result.dest_end)
        best = Found(p, _original(p.text, folded[start:end]), result.score)
    return best


def _best_span(wanted: str, text: str, start: int, end: int) -> tuple[int, int]:
    """The whole-word span of ``text`` near ``text[start:end]`` most like ``wanted``.

    The alignment's window is as long as the fragment; a paraphrase is often shorter or
    longer than the passage it recalls, so word boundaries a little either side are tried.
    """
    from rapidfuzz import fuzz

    starts = [0] + [m.end() for m in re.finditer(r" ", text)]
    ends = [m.start() for m in re.finditer(r" ", text)] + [len(text)]
    slack = max(12, len(wanted) // 3)
    best = (-1.0, start, end)
    for s in (x for x in starts if start - slack <= x <= start + slack):
        for e in (x for x in ends if end - slack <= x <= end + slack and x > s):
            score = fuzz.ratio(wanted, text[s:e])
            if score > best[0]:
                best = (score, s, e)
    s, e = best[1], best[2]
    # Punctuation the fragment does not have at its ends is not part of the passage.
    while s < e and text[s] in "\"'(" and not wanted.startswith(text[s]):
        s += 1
    while e > s and text[e - 1] in "\"'),;:.!?" and not wanted.endswith(text[e - 1]):
        e -= 1
    return s, e


def suggest_id(source_id: str, fragment: str) -> str:
    """An extract id to start from: the source's outlet and the fragment's first words."""
    words = [w for w in re.findall(r"[a-z0-9]+", fold(fragment).lower()) if len(w) > 2][:4]
    return "-".join([source_id.split("-")[0][:12], *words])


def _q(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def ready_extract(extract_id: str, passage: str, topics: list[str]) -> str:
    return (f"  - id: {extract_id}\n    quote: {_q(passage)}\n"
            f"    topics: [{', '.join(topics) or 'TOPIC'}]")


def _source(ws: Workspace, source_id: str) -> tuple[Path, Located, str, list[Paragraph]]:
    """The record (as data, with its lines), its path and the paragraphs of its text."""
    from ..models import Source

    if not re.match(ID_PATTERN, source_id):
        raise BriefgenError(f"{source_id!r} is not a source id (see 'briefgen sources')", path="briefgen")
    path = ws.seeds / f"{source_id}.yaml"
    if not path.is_file():
        import difflib

        known = [p.stem for p in ws.seeds.glob("*.yaml")]
        close = difflib.get_close_matches(source_id, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise BriefgenError(f"no source {source_id!r}{hint}", path=ws.shown(path))
    located = load_yaml(path, ws.shown(path), kind="record", root=ws.root)
    data = located.data.get("source") if isinstance(located.data, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise BriefgenError("the record names no text (source: text:) to quote from",
                            path=located.path, line=located.line(("source",)))
    text_name = data["text"]
    if Path(text_name).name != text_name:
        raise BriefgenError("text must be a file name beside the record, not a path",
                            path=located.path, line=located.line(("source", "text")))
    if Path(text_name).suffix != ".txt":
        raise BriefgenError(f"text must name the archived text, a .txt file beside the record "
                            f"(not {text_name!r})", path=located.path, line=located.line(("source", "text")))
    text_path = path.parent / text_name
    text = read_text(text_path, ws.shown(text_path), bom_ok=False, kind="text", root=ws.root)
    # Only what paragraph numbering needs: a record still marked TODO can be quoted.
    front = data.get("front_matter") or 0
    source = Source.model_construct(front_matter=front if isinstance(front, int) else 0,
                                    furniture_from=data.get("furniture_from"))
    return path, located, ws.shown(text_path), split_paragraphs(text, source)


def _existing_ids(seeds: Path) -> dict[str, str]:
    """Every extract id in the archive, with the file that holds it."""
    import yaml

    ids: dict[str, str] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(seeds.glob("*.yaml")):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        for extract in (data or {}).get("extracts") or [] if isinstance(data, dict) else []:
            if isinstance(extract, dict) and "id" in extract:
                ids.setdefault(str(extract["id"]), path.name)
    return ids


def append_extract(path: Path, shown: str, extract_id: str, passage: str, topics: list[str],
                   root: Path) -> None:
    """Append an extract to a record, keeping its comments, order and quoting."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from ..output import atomic_write

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 10_000  # never re-wrap a line
    yaml.indent(mapping=2, sequence=4, offset=2)
    original = read_text(path, shown, kind="record", root=root)
    try:
        data = yaml.load(original)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BriefgenError(f"YAML syntax error: {getattr(exc, 'problem', exc)}", path=shown,
                            line=mark.line + 1 if mark else None) from None
    extracts = data.get("extracts")
    if not extracts:
        extracts = CommentedSeq()
        data["extracts"] = extracts
    entry = CommentedMap()
    entry["id"] = extract_id
    entry["quote"] = DoubleQuotedScalarString(passage)
    seq = CommentedSeq(topics)
    seq.fa.set_flow_style()
    entry["topics"] = seq
    extracts.append(entry)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    atomic_write(path, buffer.getvalue().encode("utf-8"), shown)


def run(args: argparse.Namespace) -> int:
    ws = open_workspace(args.root)
    path, _located, text_shown, paragraphs = _source(ws, args.source)
    found = find_passage(paragraphs, args.fragment)
    if found is None:
        raise BriefgenError(f"no passage like \u201c{args.fragment}\u201d in the text "
                            f"(nothing scores {MIN_SCORE:.0f} or more)", path=text_shown)
    para = found.paragraph
    where = (f"para. {para.number}" if para.number is not None
             else "front matter (headline or byline: not a numbered paragraph)")
    how = "exact" if found.score >= 100 else (
        f"closest passage (score {found.score:.0f}): the extract quotes the source's words, "
        "not the fragment as typed")
    print(f"{text_shown}:{para.line}: {where}; {how}")
    print(f"  \u201c{found.passage}\u201d")
    topics = [t.strip() for t in (args.topics or "").split(",") if t.strip()]
    for topic in topics:
        if not re.match(ID_PATTERN, topic):
            raise BriefgenError(f"{topic!r} is not a topic name: lowercase letters, digits and hyphens",
                                path="briefgen")
    if not args.add:
        print()
        print(f"ready extract for {ws.shown(path)} (or add it with --add ID --topics A,B):")
        print(ready_extract(suggest_id(args.source, args.fragment), found.passage, topics))
        return 0
    if not re.match(ID_PATTERN, args.add):
        raise BriefgenError(f"{args.add!r} is not an extract id: lowercase letters, digits and hyphens",
                            path="briefgen")
    if not topics:
        raise BriefgenError("--add needs --topics A,B: the topics the extract serves", path="briefgen")
    taken = _existing_ids(ws.seeds).get(args.add)
    if taken:
        raise BriefgenError(f"extract id {args.add!r} is taken (in seeds/{taken})", path="briefgen")
    append_extract(path, ws.shown(path), args.add, found.passage, topics, ws.root)
    print(f"added extract {args.add!r} to {ws.shown(path)}; cite it as [@{args.add}]")
    return 0
