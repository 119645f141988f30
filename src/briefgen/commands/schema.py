"""``briefgen schema [--out DIR]``: JSON Schemas for editors, made from the models."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..output import OutputSet, prepare_dir
from ..schema import SCHEMA_DIR, modeline, schema_files
from ..workspace import open_workspace


def run(args: argparse.Namespace) -> int:
    if args.out:
        out_dir, shown = Path(args.out), args.out
    else:
        ws = open_workspace(args.root)
        out_dir, shown = ws.root / SCHEMA_DIR, SCHEMA_DIR
    prepare_dir(out_dir, shown)
    files = schema_files()
    with OutputSet() as out:
        for name, data in files.items():
            out.add(out_dir / name, data, str(Path(shown) / name))
        out.commit()
    for name in files:
        print(f"wrote {Path(shown) / name}")
    if not args.out:
        print("editors with the YAML language server read them from a file's first line: "
              + modeline("source.schema.json").strip())
    return 0
