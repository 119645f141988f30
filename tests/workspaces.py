"""Small workspaces for tests, written into a temporary folder.

``make_workspace(tmp_path)`` writes a minimal but complete workspace (one source with
two extracts, one brief, the repository's templates); tests then break one thing.
``copy_repository_workspace`` copies the real seeds/, briefs/ and templates/.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The workspace the content checks read: the repository, or the copy named by
#: BRIEFGEN_TEST_WORKSPACE (test_workflow.py runs them on a copy after the README's steps).
WORKSPACE = Path(os.environ.get("BRIEFGEN_TEST_WORKSPACE") or ROOT)

SOURCE_TEXT = """\
Allies agree annual talks
By Jane Doe
NATO and the Republic of Korea agreed on 14 February to hold \u201cannual\u201d military talks \u2014 the first in Brussels.
Cyber cooperation is a priority, officials said, citing the Cyber Coalition exercise.
"""

SOURCE_YAML = """\
source:
  id: daily-2024-03-05
  kind: news-article
  text: daily-2024-03-05.txt
  title: "Allies agree annual talks"
  outlet: The Daily Example
  authors:
    - {family: Doe, given: Jane}
  date: 2024-03-05
  url: https://example.org/allies-agree
  accessed: 2026-11-23
  front_matter: 2
extracts:
  - id: daily-annual-talks
    quote: 'agreed on 14 February to hold "annual" military talks - the first in Brussels'
    topics: [cyber]
  - id: daily-cyber-priority
    quote: Cyber cooperation is a priority
    topics: [cyber]
    facts:
      - {key: exercises, value: 1, as_of: 2024-03-05}
"""

BRIEF_YAML = """\
topic: cyber
title: "Cyber cooperation"
short_title: "Cyber"
date: 2024-11-01
question: "Where does cyber cooperation stand?"
keywords: [cyber]
bluf:
  - "The allies hold annual military talks [@daily-annual-talks]."
key_points:
  - "Cyber cooperation is a stated priority [@daily-cyber-priority]."
  - "Talks began in Brussels [@daily-annual-talks]."
  - "Both points come from one report [@daily-annual-talks; @daily-cyber-priority]."
sections:
  - id: background
    heading: Background
    paragraphs:
      - "Officials named cyber cooperation a priority [@daily-cyber-priority]."
  - id: implications
    heading: Implications
    assessment: true
    paragraphs:
      - "Cooperation is likely to deepen."
events:
  - {date: 2024-02-14, kind: agreement, text: "Annual military talks agreed [@daily-annual-talks]."}
"""


def make_workspace(root: Path) -> Path:
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    (root / "briefs").mkdir(exist_ok=True)
    shutil.copytree(ROOT / "templates", root / "templates", dirs_exist_ok=True)
    (root / "seeds" / "daily-2024-03-05.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    (root / "seeds" / "daily-2024-03-05.yaml").write_text(SOURCE_YAML, encoding="utf-8")
    (root / "briefs" / "cyber.yaml").write_text(BRIEF_YAML, encoding="utf-8")
    # One source cited by every note, months before the brief: the sourcing profile's
    # warnings would fire in every test. Tests of the profile set the thresholds back.
    settings = root / "templates" / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"max_source_share: [\d.]+", "max_source_share: 1.0", text)
    text = re.sub(r"max_source_age_days: \d+", "max_source_age_days: 1000", text)
    settings.write_text(text, encoding="utf-8")
    return root


def copy_repository_workspace(root: Path) -> Path:
    for name in ("seeds", "briefs", "templates"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("*.docx", "*.pdf"))
    return root


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@contextlib.contextmanager
def locked_index(path: Path) -> Iterator[None]:
    """The index file at ``path`` held under an exclusive lock by another process, as a
    second briefgen in the middle of writing it would hold it, for the ``with`` block."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         ("import sqlite3, time\n"
          f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
          "c.execute('PRAGMA locking_mode = EXCLUSIVE')\n"
          "c.execute('BEGIN EXCLUSIVE')\n"
          "c.execute(\"UPDATE meta SET value = value WHERE key = 'format'\")\n"
          "print('locked', flush=True)\n"
          "time.sleep(60)\n")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.kill()
        holder.wait()
