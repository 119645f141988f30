"""``briefgen build``: write each topic's DOCX and PDF (review copy, annex, house template)."""

from __future__ import annotations

from pathlib import Path

from ..errors import BriefgenError, Problem
from ..workspace import open_workspace
from .common import (
    EXIT_OK,
    build_document,
    output_dir,
    print_warnings,
    render,
    size_text,
)


def run(args) -> int:
    from .. import evidence
    from ..output import OutputSet

    ws = open_workspace(args.root)
    settings = ws.settings()
    if args.all and args.topics:
        raise BriefgenError("give topic names or --all, not both", path="briefgen")
    topics = ws.topics() if args.all else list(dict.fromkeys(args.topics))
    if not topics:
        if args.all:
            raise BriefgenError("no briefs to build: briefs/ holds no <topic>.yaml", path=ws.shown(ws.briefs))
        raise BriefgenError("name a topic to build (see 'briefgen list') or give --all", path="briefgen")
    for topic in topics:  # every name is checked before anything is built
        ws.spec_path(topic)
    ws.corpus()
    formats = ("docx", "pdf") if args.format == "both" else (args.format,)
    reference = _reference_docx(args, ws, settings) if "docx" in formats else None
    out_dir, out_shown = output_dir(args, ws)

    corpus_warnings = [p for p in ws.corpus_problems if p.severity != "error"]
    print_warnings(corpus_warnings)
    if args.strict and corpus_warnings:
        raise BriefgenError(f"{len(corpus_warnings)} warning(s) with --strict; no file was changed",
                            path=ws.shown(ws.seeds))
    written: list[tuple[str, int, int]] = []
    with OutputSet() as out:
        for topic in topics:
            warnings: list[Problem] = []
            loaded, doc = build_document(ws, topic, settings, warnings.append)
            warnings.extend(loaded.warnings)
            if args.annex or settings.annex:
                evidence.annex(doc, ws.corpus(), settings)
            if args.review:
                evidence.attach(doc, ws.corpus(), settings)
            stem = f"{topic}-review" if args.review else topic

            def warn(message: str, _path=loaded.path) -> None:
                warnings.append(Problem(_path, None, message, "warning"))

            files = [(fmt, render(doc, fmt, warn, reference)) for fmt in formats]
            print_warnings(warnings)
            if args.strict and warnings:
                raise BriefgenError(f"{len(warnings)} warning(s) with --strict; no file was changed",
                                    path=loaded.path)
            count = len(doc.notes())
            for fmt, data in files:
                shown = str(Path(out_shown) / f"{stem}.{fmt}")
                out.add(out_dir / f"{stem}.{fmt}", data, shown)
                written.append((shown, len(data), count))
        out.commit()
    for shown, size, count in written:
        print(f"wrote {shown} ({size_text(size)}, {count} notes)")
    return EXIT_OK



def _reference_docx(args, ws, settings) -> Path | None:
    if args.reference_docx:
        path = Path(args.reference_docx)
        shown = args.reference_docx
    elif settings.reference_docx:
        path = ws.templates / settings.reference_docx
        shown = ws.shown(path)
    else:
        return None
    if not path.is_file():
        raise BriefgenError("reference .docx not found", path=shown)
    return path

