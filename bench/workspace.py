"""A synthetic briefgen workspace of any size, for the benchmark.

The benchmark must time whole ``briefgen`` processes on content of a known size, so it
writes a real workspace, not a Document: ``seeds/`` with sources (verbatim texts and
the extracts taken from them), ``briefs/synthetic.yaml`` with exactly ``notes`` cited
passages, and the repository's own ``templates/``. ``briefgen --root DIR build
synthetic`` then goes through every stage a user's build does: loading and verifying
the archive, loading the spec, composing, numbering notes, writing.

The shape follows a long report rather than a short brief: each source gives ten
extracts, so the first citation of a source is a full note and later ones are short
notes; one extract in eight carries the analyst's caveat; one note in six cites two
extracts; sections of several paragraphs, now and then a bulleted list, and a
chronology with one event per fifty notes. The same arguments always give the same
files, and sizes grow linearly with ``notes`` (about 6 notes to a page).
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

TOPIC = "synthetic"
EXTRACTS_PER_SOURCE = 10

_WORDS = ["alliance", "partnership", "cooperation", "cyber", "defence", "industry", "intelligence", "sharing", "summit", "declaration", "programme", "exercise", "interoperability", "deterrence", "resilience", "capability", "security", "dialogue", "consultation", "framework", "certification", "munitions", "procurement", "standards", "doctrine", "network", "exchange", "liaison", "mission", "office", "assessment", "posture", "strategy", "ministers", "envoys", "delegation", "agreement", "partners", "region", "maritime", "space", "logistics", "training", "officers", "staff", "talks", "threat", "information", "centre"]
_OUTLETS = ("The Synthetic Review", "Harbour Times", "Continental Monitor", "The Policy Desk",
            "Northern Ledger")
_FAMILY = ("Arden", "Baek", "Castell", "Dorn", "Ekberg", "Fontaine", "Grieve", "Han",
           "Ilves", "Janssen", "Kwon", "Lindqvist", "Moreau", "Novak", "Oh", "Park")
_GIVEN = ("Anna", "Ben", "Chloe", "Daniel", "Eva", "Felix", "Greta", "Hugo", "Ines", "Jonas")


@dataclass(frozen=True)
class SyntheticSpec:
    """What was written: counts a reader of the benchmark table may want."""

    root: Path
    notes: int
    extracts: int
    sources: int


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(low, high))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _yaml_str(text: str) -> str:
    """A double-quoted YAML scalar (our text holds no quotes or backslashes)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_source(seeds: Path, number: int, first_extract: int, count: int,
                  rng: random.Random) -> list[str]:
    """One source record, its text and ``count`` extracts; returns the extract ids."""
    source_id = f"syn-source-{number:05d}"
    paragraphs = [" ".join(_sentence(rng, 10, 24) for _ in range(rng.randint(2, 4)))
                  for _ in range(count + 2)]
    (seeds / f"{source_id}.txt").write_text(
        "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    authors = [f"    - {{family: {rng.choice(_FAMILY)}, given: {rng.choice(_GIVEN)}}}"
               for _ in range(rng.randint(1, 2))]
    lines = [
        "source:",
        f"  id: {source_id}",
        "  kind: news-article",
        f"  text: {source_id}.txt",
        f"  title: {_yaml_str(_sentence(rng, 4, 9).rstrip('.'))}",
        f"  outlet: {_OUTLETS[number % len(_OUTLETS)]}",
        "  authors:", *authors,
        f"  date: {2020 + number % 5}-{1 + number % 12:02d}-{1 + number % 28:02d}",
        f"  url: https://example.org/news/{number}/{rng.randint(100000, 999999)}",
        "  accessed: 2024-11-01",
        "",
        "extracts:",
    ]
    ids = []
    for i in range(count):
        extract_id = f"syn-{first_extract + i:06d}"
        ids.append(extract_id)
        # each extract is one whole sentence of a different paragraph
        quote = paragraphs[i + 1].split(". ")[0].rstrip(".") + "."
        lines += [f"  - id: {extract_id}", f"    quote: {_yaml_str(quote)}",
                  f"    topics: [{TOPIC}]"]
        if (first_extract + i) % 8 == 0:
            lines.append(f"    caveat: {_yaml_str(_sentence(rng, 12, 30))}")
    (seeds / f"{source_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ids


def _cited(rng: random.Random, keys: list[str]) -> str:
    """A passage of prose, two or three sentences, with one note citing ``keys``."""
    lead = _sentence(rng, 14, 34) + " "
    if rng.random() < 0.3:
        lead += _sentence(rng, 14, 34) + " "
    return lead + _sentence(rng, 14, 34)[:-1] + " [" + "; ".join("@" + k for k in keys) + "]."


def _brief_yaml(rng: random.Random, groups: list[list[str]]) -> str:
    """The spec: ``groups`` are the notes, each a list of extract ids, used in order."""
    it = iter(groups)
    total = len(groups)
    events = max(1, total // 50)
    lead = [_cited(rng, next(it)) for _ in range(min(3, total - events))]
    left = total - events - len(lead)
    out = [
        f"topic: {TOPIC}",
        f"title: {_yaml_str(f'A Synthetic Report with {total:,} Notes')}",
        "short_title: Synthetic report",
        "subtitle: Generated for the benchmark",
        "date: 2024-11-01",
        f"question: {_yaml_str(_sentence(rng, 12, 20)[:-1] + '?')}",
        "keywords: [synthetic, benchmark]",
        "bluf:", *[f"  - {_yaml_str(p)}" for p in lead],
        "sections:",
    ]
    section = 0
    while left > 0:
        section += 1
        out += [f"  - id: part-{section:04d}",
                f"    heading: {_yaml_str(f'Part {section}: ' + _sentence(rng, 2, 5).rstrip('.'))}",
                "    paragraphs:"]
        bullets: list[str] = []
        for _ in range(rng.randint(3, 7)):
            if left <= 0:
                break
            n = min(left, rng.randint(2, 6))
            left -= n
            out.append("      - " + _yaml_str(" ".join(_cited(rng, next(it)) for _ in range(n))))
        if left > 0 and rng.random() < 0.25:
            for _ in range(min(left, rng.randint(2, 4))):
                left -= 1
                bullets.append("      - " + _yaml_str(_cited(rng, next(it))))
        if bullets:
            out += ["    bullets:", *bullets]
    out.append("events:")
    for e in range(events):
        out += [f"  - date: {2020 + e % 5}-{1 + e % 12:02d}-{1 + e % 28:02d}",
                "    kind: meeting",
                f"    text: {_yaml_str(_cited(rng, next(it)))}"]
    return "\n".join(out) + "\n"


def write_workspace(root: Path, notes: int, templates: Path, *, seed: int = 11) -> SyntheticSpec:
    """Write a workspace whose ``synthetic`` brief has exactly ``notes`` notes."""
    rng = random.Random(seed)
    groups_sizes = [2 if n % 6 == 5 else 1 for n in range(notes)]
    extracts = sum(groups_sizes)
    sources = -(-extracts // EXTRACTS_PER_SOURCE)
    if root.exists():
        shutil.rmtree(root)
    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    (root / "briefs").mkdir()
    shutil.copytree(templates, root / "templates")
    ids: list[str] = []
    for s in range(sources):
        count = min(EXTRACTS_PER_SOURCE, extracts - len(ids))
        ids += _write_source(seeds, s + 1, len(ids) + 1, count, rng)
    # spread each source's extracts through the report, as a long report cites a
    # source again chapters later: extract i of source s is used at position i*S+s
    ordered = [ids[s * EXTRACTS_PER_SOURCE + i]
               for i in range(EXTRACTS_PER_SOURCE) for s in range(sources)
               if s * EXTRACTS_PER_SOURCE + i < len(ids)]
    groups, at = [], 0
    for size in groups_sizes:
        groups.append(ordered[at:at + size])
        at += size
    (root / "briefs" / f"{TOPIC}.yaml").write_text(_brief_yaml(rng, groups), encoding="utf-8")
    return SyntheticSpec(root, notes, extracts, sources)
