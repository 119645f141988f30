"""``briefgen init DIR``: a new workspace that builds.

It holds ``seeds/`` with one example source (record, text, two extracts), ``briefs/``
with one example brief, ``templates/`` with the default template and settings (the
same files the package falls back on), and the JSON Schemas editors read, in
``.briefgen/schema/``. ``briefgen build example`` works in it at once.
"""

from __future__ import annotations

from pathlib import Path

from .errors import BriefgenError
from .output import OutputSet, prepare_dir
from .workspace import DEFAULTS, SETTINGS_FILE

EXAMPLE_SOURCE = "example-gazette-2024-03-05"

#: (file in the package's data/, where it goes in the new workspace)
FILES = (
    ("example-source.yaml", f"seeds/{EXAMPLE_SOURCE}.yaml"),
    ("example-source.txt", f"seeds/{EXAMPLE_SOURCE}.txt"),
    ("example-brief.yaml", "briefs/example.yaml"),
    ("brief.md.j2", "templates/brief.md.j2"),
    (SETTINGS_FILE, f"templates/{SETTINGS_FILE}"),
)

GITIGNORE = """\
# built briefs land beside their specs; .briefgen/ holds generated schemas and caches
briefs/*.docx
briefs/*.pdf
briefs/*.eml
.briefgen/
"""


def init_workspace(target: Path, shown: str) -> list[str]:
    """Write a new workspace into ``target`` (missing or empty); the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BriefgenError("already exists and is not an empty folder; briefgen init makes a "
                            "new workspace", path=shown)
    from .schema import SCHEMA_DIR, schema_files

    written: list[str] = []
    with OutputSet() as out:
        for name, relative in FILES:
            path = target / relative
            prepare_dir(path.parent, str(Path(shown) / Path(relative).parent))
            out.add(path, (DEFAULTS / name).read_bytes(), str(Path(shown) / relative))
            written.append(relative)
        prepare_dir(target / SCHEMA_DIR, str(Path(shown) / SCHEMA_DIR))
        for name, data in schema_files().items():
            out.add(target / SCHEMA_DIR / name, data)
            written.append(f"{SCHEMA_DIR}/{name}")
        out.add(target / ".gitignore", GITIGNORE.encode())
        written.append(".gitignore")
        out.commit()
    return written
