"""Stand-ins for an archive record and a loaded archive, for tests of the evidence checks.

The checks read only ``corpus.extracts[key]`` and each record's ``extract`` and
``source``; these give just that, so a test can set up evidence without a workspace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from briefgen.models import Extract, Source


@dataclass
class Record:
    extract: Extract
    source: Source


@dataclass
class Corpus:
    extracts: dict[str, Any] = field(default_factory=dict)
