"""``briefgen build``: write each topic's DOCX and PDF (review copy, annex, house template)."""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BriefgenError, Problem
from ..workspace import Workspace, open_workspace
from .common import (
    EXIT_OK,
    EXIT_USER,
    build_document,
    output_dir,
    print_warnings,
    render,
    size_text,
)

if TYPE_CHECKING:  # the models are imported only when a build runs
    from collections.abc import Callable

    from ..beside import Early
    from ..brief import LoadedBrief
    from ..checkcache import BriefCache, BriefResult
    from ..checks.profile import Profile
    from ..document import Document
    from ..errors import Warn
    from ..models import Settings


def run(args: argparse.Namespace) -> int:
    early = _pdf_beside(args)
    if early is None:
        return _run(args, None)
    with early:
        return _run(args, early)


def _run(args: argparse.Namespace, early: Early | None) -> int:
    from ..output import OutputSet

    ws = open_workspace(args.root)
    settings = ws.settings()
    keep_going = getattr(args, "keep_going", False)
    if args.all and args.topics:
        raise BriefgenError("give topic names or --all, not both", path="briefgen")
    topics = ws.topics() if args.all else list(dict.fromkeys(args.topics))
    if not topics:
        if args.all:
            raise BriefgenError("no briefs to build: briefs/ holds no <topic>.yaml", path=ws.shown(ws.briefs))
        raise BriefgenError("name a topic to build (see 'briefgen list') or give --all", path="briefgen")
    failed: list[Problem] = []
    if keep_going:  # a bad name or a broken source fails only the topics it touches
        for topic in list(topics):
            try:
                ws.spec_path(topic)
            except BriefgenError as exc:
                failed.extend(exc.problems)
                topics.remove(topic)
        failed.extend(p for p in ws.corpus_problems if p.severity == "error")
    else:
        for topic in topics:  # every name is checked before anything is built
            ws.spec_path(topic)
        ws.corpus()
    formats = ("docx", "pdf") if args.format == "both" else (args.format,)
    if getattr(args, "email", False) and "pdf" not in formats:
        raise BriefgenError("--email attaches the PDF: give --format pdf or both", path="briefgen")
    reference = _reference_docx(args, ws, settings)  # the house look of the DOCX and the PDF
    out_dir, out_shown = output_dir(args, ws)

    corpus_warnings = [p for p in ws.corpus_problems if p.severity != "error"]
    print_warnings(corpus_warnings)
    if args.strict and corpus_warnings:
        raise BriefgenError(f"{len(corpus_warnings)} warning(s) with --strict; no file was changed",
                            path=ws.shown(ws.seeds))
    # where the findings are worked out, the DOCX is written as soon as the document is
    # complete, its zip compressed while the checks run (not when a child draws the PDF
    # beside it: that writes both)
    docx_early = "docx" in formats and not (early is not None and len(topics) == 1)
    lint_errors, specs, found = _lint(ws, topics, args, keep_going, settings, docx_early, reference)
    failed.extend(lint_errors)
    written: list[tuple[str, int, int]] = []
    built = 0
    emailed = getattr(args, "email", False)
    with OutputSet() as out:
        for topic in topics:
            # the last topic lets the archive go before its files are written (the
            # e-mail's source list reads it after the PDF)
            done = partial(ws.forget, corpus=True) if topic == topics[-1] and not emailed else None
            try:
                files, count, warnings = build_files(ws, topic, settings, args, formats, reference,
                                                     specs.get(topic), beside=early if len(topics) == 1 else None,
                                                     found=found.pop(topic, None), archive_done=done)
                print_warnings(warnings)
            except BriefgenError as exc:
                if not keep_going:
                    raise
                failed.extend(exc.problems)
                continue
            built += 1
            for name, data in files:
                shown = str(Path(out_shown) / name)
                out.add(out_dir / name, data, shown)
                written.append((shown, len(data), count))
        out.commit()
    for shown, size, count in written:
        print(f"wrote {shown} ({size_text(size)}, {count} notes)")
    if failed:
        print_warnings(failed)
        asked = len(ws.topics()) if args.all else len(dict.fromkeys(args.topics))
        print(f"build incomplete: {built} of {asked} topic(s) built; {len(failed)} problem(s)",
              file=sys.stderr)
        return EXIT_USER
    return EXIT_OK


@dataclass(slots=True)
class Found:
    """What ``check`` finds in a topic, taken from the index or worked out by this build
    (``checkcache``), and the document the working out composed, if it did."""

    result: BriefResult
    #: composed, notes numbered, checked: the build writes it (None: taken from the index,
    #: or not composed; the build composes it)
    doc: Document | None = None
    #: that document's DOCX, written before the checks ran (``_early_docx``)
    docx: EarlyDocx | None = None

    @property
    def checked(self) -> bool:
        """The evidence checks ran: their findings and the profile are in ``result``."""
        return self.result.profile is not None


@dataclass(slots=True)
class EarlyDocx:
    """A DOCX written before the evidence checks: the function that gives its bytes (its
    zip compressed on a thread meanwhile; a writer's error raised when they are asked
    for) and the writer's warnings, which the build gives after the checks'."""

    data: Callable[[], bytes]
    warnings: list[Problem]


def _lint(ws: Workspace, topics: list[str], args: argparse.Namespace, keep_going: bool,
          settings: Settings, docx: bool = False, reference: Path | None = None
          ) -> tuple[list[Problem], dict[str, LoadedBrief], dict[str, Found]]:
    """The lint ``check`` runs, on the topics built: warnings printed, errors raised
    (with ``--keep-going``: returned). ``--strict`` makes its warnings errors. Also the
    specs it loaded, which the build then uses instead of reading and checking them again,
    and what ``check`` finds in each topic where the build may use it (``_findings_cache``):
    the lint of the brief and the evidence checks, done once for both commands.

    ``docx``: a document the findings are worked out on has its DOCX written as soon as
    it is complete (``_early_docx``), with ``reference``'s look (None: the house look)."""
    from .lint import lint_archive, lint_brief

    strict, archived_only = bool(args.strict), bool(getattr(args, "archived_only", False))
    severity = "error" if strict else "warning"
    cache = _findings_cache(ws, args, settings)
    loaded: dict[str, LoadedBrief] = {}
    found: dict[str, Found] = {}
    try:
        for topic in topics:
            try:
                known = None if cache is None else _find(ws, cache, topic, settings, severity,
                                                         archived_only, docx, reference)
                if known is None:
                    loaded[topic] = ws.brief(topic)
                else:
                    loaded[topic], found[topic] = known
            except BriefgenError:
                if not keep_going:
                    return [], {}, {}  # the build stops on this brief's own problem
    finally:
        if cache is not None:
            cache.save()
    corpus = ws.corpus(strict=False)
    problems: list[Problem] = []
    used: set[str] = set()
    corrections: dict[str, Problem | None] = {}
    for topic, spec in loaded.items():  # as ``lint.run_lint``, each brief's lint found once
        if topic in found:
            result = found[topic].result
            problems.extend(result.lint)
            used.update(result.corrections)
            corrections.update(result.corrections)
        else:
            linted = lint_brief(spec, topic, corpus, severity, archived_only)
            problems.extend(linted.problems)
            used.update(linted.cited)
    problems.extend(lint_archive(ws, corpus, list(loaded), used, severity, corrections))
    print_warnings([p for p in problems if p.severity != "error"])
    errors = [p for p in problems if p.severity == "error"]
    if errors and not keep_going:
        raise BriefgenError(errors)
    return errors, loaded, found


def _findings_cache(ws: Workspace, args: argparse.Namespace, settings: Settings) -> BriefCache | None:
    """The findings ``check`` keeps in the index, where this build's lint and evidence
    checks are what ``check`` computes with the same flags: not for a review copy or an
    annex, which need the findings themselves (the highlighted details), nor without an
    index or for a corpus put together in memory (``BriefCache.open``)."""
    from ..checkcache import BriefCache, variant

    if getattr(args, "review", False) or getattr(args, "annex", False) or settings.annex:
        return None
    return BriefCache.open(ws.root, ws.index(), ws.corpus(strict=False),
                           variant(bool(args.strict), bool(getattr(args, "archived_only", False))),
                           reuse=True)


def _find(ws: Workspace, cache: BriefCache, topic: str, settings: Settings, severity: str,
          archived_only: bool, docx: bool = False, reference: Path | None = None
          ) -> tuple[LoadedBrief, Found] | None:
    """The topic's spec and what ``check`` finds in it: from the index if its inputs are
    unchanged, else worked out as ``check`` does (and kept for the next build or check),
    keeping the document composed on the way (and its DOCX, written before the checks,
    where ``docx``: see ``_lint``). None where the spec does not load: the
    caller loads it as a build without the index does, to fail the same way."""
    from . import check

    result = cache.get(topic)
    if result is not None:
        if not result.loaded:
            return None
        spec = cache.as_keyed(lambda: ws.brief(topic))
        if spec is not None:
            return spec, Found(result)
        # the spec was saved again since its findings were looked up: worked out anew
    ws.corpus()  # the archive's errors first, as loading the spec raises them
    path = ws.spec_path(topic)
    kept = check.Composed()
    written: list[EarlyDocx] = []
    if docx:
        def write(doc: Document) -> None:
            assert kept.loaded is not None
            written.append(_early_docx(ws, topic, kept.loaded, doc, reference))

        kept.before_checks = write
    result = cache.compute(topic, path, lambda corpus: check._check_brief(
        ws, topic, path, corpus, settings, severity, archived_only, kept))
    if not result.loaded or kept.loaded is None:
        return None
    return kept.loaded, Found(result, kept.doc, written[0] if written and kept.doc else None)


def _early_docx(ws: Workspace, topic: str, loaded: LoadedBrief, doc: Document,
                reference: Path | None) -> EarlyDocx:
    """The DOCX of a document whose checks are still to run, where nothing they lead to
    changes it (no review copy, no annex; ``meta.sources_to`` set as they set it). The
    files it reads are not inputs of the findings: not noted (``files.readers``)."""
    from .. import files

    warnings: list[Problem] = []
    readers = files.readers[:]
    files.readers.clear()
    try:
        return EarlyDocx(_start_docx(doc, reference, _warner(ws, topic, loaded, warnings)), warnings)
    finally:
        files.readers[:] = readers


def _start_docx(doc: Document, reference: Path | None, warn: Warn) -> Callable[[], bytes]:
    """``writers.docx.start_docx``, with an error of the writer raised when the bytes are
    asked for (after the checks, as writing one after the other would), not now."""
    from ..writers.docx import start_docx

    try:
        return start_docx(doc, reference_docx=reference, warn=warn)
    except BriefgenError as exc:
        error = exc

        def fail() -> bytes:
            raise error

        return fail


def build_files(ws: Workspace, topic: str, settings: Settings, args: argparse.Namespace,
                formats: tuple[str, ...], reference: Path | None,
                spec: LoadedBrief | None = None, *, beside: Early | None = None,
                found: Found | None = None, archive_done: Callable[[], None] | None = None,
                ) -> tuple[list[tuple[str, bytes]], int, list[Problem]]:
    """One topic's output files (name, bytes), its number of notes and its warnings.

    ``spec`` is the topic's spec if this run has loaded it already (the lint does).
    ``beside``: a child forked as the command started, which draws the PDF while the
    DOCX is written (``beside.py``; same files, same warnings). ``found``: what ``check``
    finds in the topic (``_lint``): its evidence checks are not run again, and the
    document it composed, if any, is the one written. ``archive_done`` is called once
    the document is complete and checked, before the files are written: the caller
    needs the loaded archive no more, and the writers, which read only the document,
    can use its memory (at 12,500 notes, about 50 MB of the PDF's peak)."""
    if getattr(args, "keep_going", False):
        _refuse_broken_citations(ws, topic)
    warnings: list[Problem] = []
    reuse = found if found is not None and found.checked and spec is not None else None
    if reuse is not None and reuse.doc is not None and spec is not None:
        loaded, doc = spec, reuse.doc
        warnings.extend(reuse.result.compose)  # what composing it warned
    else:
        loaded, doc = build_document(ws, topic, settings, warnings.append, spec)
    warnings.extend(loaded.warnings)

    def warner(into: list[Problem]) -> Warn:
        return _warner(ws, topic, loaded, into)

    docx_warnings: list[Problem] = []
    docx_later: Callable[[], bytes] | None = None
    if reuse is not None:  # no review copy, no annex: the findings are all the build needs
        doc.meta.sources_to = reuse.result.sources_to  # as the checks set it
        warnings.extend(reuse.result.checks)
        if reuse.docx is not None and reuse.doc is doc:  # written as the checks ran
            docx_later = reuse.docx.data
            docx_warnings = reuse.docx.warnings
    else:
        from .. import checks, evidence

        docx_later, profile = _docx_first(doc, ws, settings, args, formats, reference, beside,
                                          warner(docx_warnings))
        findings = checks.run(doc, ws.corpus(strict=False), settings, loaded, profile=profile)
        warnings.extend(findings.problems)
        if args.annex or settings.annex:
            evidence.annex(doc, ws.corpus(strict=False), settings)
        if args.review:
            checks.review(doc, findings)
            evidence.attach(doc, ws.corpus(strict=False), settings)
    stem = f"{topic}-review" if args.review else topic
    warn = warner(warnings)
    if archive_done is not None:
        archive_done()
    if beside is not None and formats == ("docx", "pdf"):
        docx, pdf = beside.run(lambda: render(doc, "docx", warn, reference), (doc, reference),
                               lambda side_warn: render(doc, "pdf", side_warn, reference), warn)
        files = [(f"{stem}.docx", docx), (f"{stem}.pdf", pdf)]
    else:
        files = []
        for fmt in formats:
            if fmt == "docx" and docx_later is not None:
                data = docx_later()  # its warnings where writing it after the checks gives them
                warnings.extend(docx_warnings)
            else:
                data = render(doc, fmt, warn, reference)
            files.append((f"{stem}.{fmt}", data))
    if getattr(args, "email", False):
        files.append((f"{stem}.eml", _email(ws, doc, dict(files)[f"{stem}.pdf"], f"{stem}.pdf", settings)))
    if args.strict and warnings:
        print_warnings(warnings)
        raise BriefgenError(f"{len(warnings)} warning(s) with --strict; no file was changed",
                            path=loaded.path)
    return files, len(doc.notes()), warnings


def _warner(ws: Workspace, topic: str, loaded: LoadedBrief, into: list[Problem]) -> Warn:
    """A writer's warnings, each at the line of the character it names (``_where_char``)."""

    def warn(message: str, _path: str = loaded.path) -> None:
        path, line = _where_char(ws, topic, message) or (_path, None)
        into.append(Problem(path, line, message, "warning"))

    return warn


def _docx_first(doc: Document, ws: Workspace, settings: Settings, args: argparse.Namespace,
                formats: tuple[str, ...], reference: Path | None, beside: Early | None,
                warn: Warn) -> tuple[Callable[[], bytes] | None, Profile | None]:
    """The DOCX written before the evidence checks, its zip compressed on a thread while
    they run (``writers.docx.start_docx``), where that gives the same file: when nothing
    the checks lead to changes the document (no review copy, no annex) and no child
    draws the PDF beside it. The function giving its bytes, and the source profile the
    document needed for it (the checks take it on), or (None, None).

    The writer's warnings go to ``warn`` (the caller adds them after the checks'); an
    error of the writer is raised when the bytes are asked for, after the checks, as
    writing one after the other would."""
    if ("docx" not in formats or beside is not None or args.review or args.annex
            or settings.annex):
        return None, None
    from ..checks.profile import profile as source_profile

    profile = source_profile(doc, ws.corpus(strict=False), settings)
    doc.meta.sources_to = profile.newest_date  # as the checks set it: the title block prints it
    return _start_docx(doc, reference, warn), profile


def _pdf_beside(args: argparse.Namespace) -> Early | None:
    """A child that imports the PDF writer now and draws the PDF once the tree is complete
    (``beside.py``), where that gives what a build one file after the other gives: the
    command (not a caller of ``main(argv)``) building one topic as DOCX and PDF, on a
    machine with a fork and a second core, with no warning the two writers share once per
    run (an invalid SOURCE_DATE_EPOCH). Forked before the workspace is opened."""
    from ..beside import Early, available
    from ..reproducible import epoch_moment

    if not (getattr(args, "as_command", False) and args.format == "both" and not args.all
            and len(dict.fromkeys(args.topics)) == 1 and not getattr(args, "email", False)
            and available() and epoch_moment()[1] is None):
        return None

    def warm() -> object:
        from ..writers import pdf

        return pdf

    def draw(job: tuple[Document, Path | None], warn: Warn) -> bytes:
        return render(job[0], "pdf", warn, job[1])

    early = Early(warm, draw)
    return early if early.pid is not None else None


_NAMED_CHAR = re.compile(r"\bU\+([0-9A-F]{4,6}) ")


def _where_char(ws: Workspace, topic: str, message: str) -> tuple[str, int] | None:
    """The file and line where a character a writer could not set first stands.

    A writer names the character (``U+AC00 HANGUL SYLLABLE GA``) and the place in the
    document; the analyst needs the line to edit: the brief's spec first, then the
    records of the archive, in name order.
    """
    m = _NAMED_CHAR.search(message)
    if m is None:
        return None
    ch = chr(int(m.group(1), 16))
    for path in [ws.spec_path(topic), *sorted(ws.seeds.glob("*.yaml"))]:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        at = text.find(ch)
        if at >= 0:
            return ws.shown(path), text.count("\n", 0, at) + 1
    return None


def _email(ws: Workspace, doc: Document, pdf: bytes, pdf_name: str, settings: Settings) -> bytes:
    """The covering e-mail: bottom line, key points and their sources, the PDF attached."""
    from ..citations import bibliography_entry
    from ..writers.eml import draft_email, source_lookup

    return draft_email(doc, pdf, pdf_name, source_lookup(ws.corpus(strict=False).extracts),
                       lambda source: bibliography_entry(source, settings.date_style))  # type: ignore[arg-type]


def _refuse_broken_citations(ws: Workspace, topic: str) -> None:
    """With --keep-going: a topic citing an extract that failed to load is not built."""
    from ..brief import load_brief

    path = ws.spec_path(topic)
    loaded = load_brief(path, ws.shown(path), ws.corpus(strict=False), root=ws.root)
    broken = ws.corpus(strict=False).broken
    problems = [Problem(loaded.path, loaded.line(loc), f"cites extract {key!r}, which failed to load; "
                        "not built") for loc, key in loaded.cited_keys() if key in broken]
    if problems:
        raise BriefgenError(problems[:1])


def _reference_docx(args: argparse.Namespace, ws: Workspace, settings: Settings) -> Path | None:
    from ..files import inside

    if args.reference_docx:
        path = Path(args.reference_docx)
        shown = args.reference_docx
    elif settings.reference_docx:
        path = ws.templates / settings.reference_docx
        shown = ws.shown(path)
        given = Path(settings.reference_docx)
        if given.is_absolute() or ".." in given.parts or (path.exists() and not inside(path, ws.templates)):
            settings_file = ws.templates / "settings.yaml"
            lines = settings_file.read_text(encoding="utf-8", errors="replace").splitlines()
            line = next((i for i, text in enumerate(lines, 1)
                         if text.lstrip().startswith("reference_docx")), None)
            raise BriefgenError("reference_docx must name a file inside templates/ (no '..', no "
                                "absolute path, no link leading out)", path=ws.shown(settings_file),
                                line=line)
    else:
        return None
    if not path.is_file():
        raise BriefgenError("reference .docx not found", path=shown)
    return path

