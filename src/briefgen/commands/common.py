"""What the commands share: exit codes, printing warnings, output folders, rendering."""

from __future__ import annotations

import sys
from argparse import Namespace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, Warn, WarnProblem

if TYPE_CHECKING:  # imported only when a command runs
    from ..brief import LoadedBrief
    from ..document import Document
    from ..models import Settings
    from ..workspace import Workspace

EXIT_OK, EXIT_USER = 0, 2


def print_warnings(problems: list[Problem]) -> None:
    """Each warning once, in order (the DOCX and the PDF may both report one house file).

    All in one write: stderr is line-buffered, and a long brief's lint prints thousands
    of lines, each its own system call if printed alone."""
    lines = dict.fromkeys(str(problem) for problem in problems)
    if lines:
        sys.stderr.write("".join(line + "\n" for line in lines))
        sys.stderr.flush()


def build_document(ws: Workspace, topic: str, settings: Settings, warn: WarnProblem | None,
                   loaded: LoadedBrief | None = None) -> tuple[LoadedBrief, Document]:
    """One topic's Document: composed from its spec and template, notes numbered.

    The corpus is taken as loaded: a caller that needs it whole checks it first.
    ``loaded`` is the spec if this run has loaded it already: it is read once.
    """
    from .. import notes
    from ..brief import load_brief
    from ..compose import compose

    if loaded is None:
        path = ws.spec_path(topic)
        loaded = load_brief(path, ws.shown(path), ws.corpus(strict=False), root=ws.root)
    doc = compose(ws, loaded, settings, warn)
    notes.apply(doc, ws.corpus(strict=False), settings)
    return loaded, doc


def output_dir(args: Namespace, ws: Workspace) -> tuple[Path, str]:
    """The output folder (``--out`` or briefs/), ready for writing, and how to show it."""
    from ..output import prepare_dir

    out_dir = Path(args.out) if args.out else ws.briefs
    out_shown = args.out if args.out else ws.shown(ws.briefs)
    prepare_dir(out_dir, out_shown)
    return out_dir, out_shown


def render(doc: Document, fmt: str, warn: Warn | None, reference: Path | None = None) -> bytes:
    """The document as ``fmt`` bytes; each writer is imported only when asked for."""
    if fmt == "docx":
        from ..writers.docx import render_docx

        return render_docx(doc, reference_docx=reference, warn=warn)
    from ..writers.pdf import render_pdf

    return render_pdf(doc, warn=warn, reference_docx=reference)


def size_text(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"

