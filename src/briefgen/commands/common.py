"""What the commands share: exit codes, printing warnings, output folders, rendering."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import Problem

EXIT_OK, EXIT_USER = 0, 2


def print_warnings(problems: list[Problem]) -> None:
    """Each warning once, in order (the DOCX and the PDF may both report one house file)."""
    for line in dict.fromkeys(str(problem) for problem in problems):
        print(line, file=sys.stderr)


def build_document(ws, topic: str, settings, warn):
    """One topic's Document: composed from its spec and template, notes numbered.

    The corpus is taken as loaded: a caller that needs it whole checks it first.
    """
    from .. import notes
    from ..brief import load_brief
    from ..compose import compose

    path = ws.spec_path(topic)
    loaded = load_brief(path, ws.shown(path), ws.corpus(strict=False), root=ws.root)
    doc = compose(ws, loaded, settings, warn)
    notes.apply(doc, ws.corpus(strict=False), settings)
    return loaded, doc


def output_dir(args, ws) -> tuple[Path, str]:
    """The output folder (``--out`` or briefs/), ready for writing, and how to show it."""
    from ..output import prepare_dir

    out_dir = Path(args.out) if args.out else ws.briefs
    out_shown = args.out if args.out else ws.shown(ws.briefs)
    prepare_dir(out_dir, out_shown)
    return out_dir, out_shown


def render(doc, fmt: str, warn, reference: Path | None = None) -> bytes:
    """The document as ``fmt`` bytes; each writer is imported only when asked for."""
    if fmt == "docx":
        from ..writers.docx import render_docx

        return render_docx(doc, reference_docx=reference, warn=warn)
    from ..writers.pdf import render_pdf

    return render_pdf(doc, warn=warn, reference_docx=reference)


def size_text(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"

