# PYTHON_ARGCOMPLETE_OK
"""The ``briefgen`` command.

Each subcommand imports what it needs when it runs, so ``briefgen --help`` stays fast
and never loads python-docx or reportlab. Every problem a user can cause is printed as
one line, ``path:line: message``, with exit code 2. Results go to stdout, warnings and
errors to stderr; a closed pipe (``briefgen timeline | head -3``) or a full device ends
the command quietly, never with a traceback. Shell completion comes from argcomplete
(the marker on the first line): ``eval "$(register-python-argcomplete briefgen)"``.
"""

from __future__ import annotations

import argparse
import errno
import gc
import os
import re
import shutil
import signal
import sys
import textwrap
from typing import Any

from . import __version__

EXIT_OK, EXIT_USER = 0, 2

DESCRIPTION = """\
Write short, sourced policy briefs as Word (.docx) and PDF files.

briefgen reads a workspace: seeds/ (the source archive: each source's record, its
verbatim text and the analyst's extracts), briefs/ (one YAML spec per topic) and
templates/ (the house template and settings). Every statement of fact in a brief
cites an extract, e.g. [@kh-annual-talks], and becomes a footnote in Chicago style
leading back to a quotation that is proven to stand in its source."""

EPILOG = """\
examples:
  briefgen check                     validate the archive and every brief
  briefgen build cyber               write briefs/cyber.docx and briefs/cyber.pdf
  briefgen build --all --out out/    build every topic into out/
  briefgen --root ~/my-workspace list

Run 'briefgen COMMAND --help' for a command's options."""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Wraps prose to the terminal; keeps indented lines (examples) and headings as written."""

    def __init__(self, prog: str) -> None:
        width = min(100, shutil.get_terminal_size((80, 24)).columns) - 2
        super().__init__(prog, max_help_position=30, width=max(40, width))

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        out: list[str] = []
        for block in re.split(r"\n\s*\n", text):
            lines = block.splitlines()
            if any(line.startswith(" ") or line.endswith(":") for line in lines):
                out.append("\n".join(indent + line for line in lines))
            else:
                out.append(textwrap.fill(" ".join(block.split()), width, initial_indent=indent,
                                         subsequent_indent=indent))
        return "\n\n".join(out)


def _topic_completer(prefix: str, parsed_args: argparse.Namespace, **_: object) -> list[str]:
    """Topic names for shell completion: the specs in the workspace's briefs/."""
    from .workspace import find_root

    briefs = find_root(getattr(parsed_args, "root", None)) / "briefs"
    return sorted(p.stem for p in briefs.glob(prefix + "*.yaml"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefgen", description=DESCRIPTION, epilog=EPILOG, formatter_class=_Formatter)
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    parser.add_argument("--root", metavar="DIR",
                        help="the workspace folder holding seeds/, briefs/, templates/ (default: "
                             "the nearest folder, from the current one upwards, holding seeds/ "
                             "or briefs/); accepted before or after the command")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    p = sub.add_parser(
        "build", help="write briefs as DOCX and PDF", formatter_class=_Formatter,
        description="Build one or more topics' briefs. Files are written beside the specs in "
                    "briefs/ unless --out is given; each is written whole or not at all, so a "
                    "failed build leaves the previous good file untouched.",
        epilog="examples:\n  briefgen build cyber\n  briefgen build cyber china-framing --format pdf\n"
               "  briefgen build --all --out out/\n"
               "  briefgen build cyber --reference-docx house.docx")
    p.add_argument("topics", nargs="*", metavar="TOPIC", help="topic names, e.g. cyber")
    p.add_argument("--all", action="store_true", help="build every topic in briefs/")
    p.add_argument("--format", choices=("docx", "pdf", "both"), default="both", type=str.lower,
                   help="which files to write (default: both)")
    p.add_argument("--out", metavar="DIR", help="output folder (created if missing)")
    p.add_argument("--reference-docx", metavar="PATH",
                   help="a house .docx whose styles, fonts, margins and page size to use "
                        "(default: reference_docx in templates/settings.yaml)")
    p.add_argument("--review", action="store_true",
                   help="write a review copy (TOPIC-review.docx/.pdf): each cited sentence "
                        "carries its verbatim evidence as a Word comment / PDF annotation")
    p.add_argument("--annex", action="store_true",
                   help="append an evidence annex listing each cited extract in full")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--archived-only", action="store_true",
                   help="refuse citations of reference-only sources (no archived text)")
    p.add_argument("--keep-going", action="store_true",
                   help="build every topic that can be built and report the others (exit 2)")
    p.add_argument("--email", action="store_true",
                   help="also write TOPIC.eml, a draft e-mail ready to address: the bottom line "
                        "and key points with their sources, the PDF attached")

    p = sub.add_parser(
        "check", help="validate sources, extracts and briefs; lint the briefs",
        formatter_class=_Formatter,
        description="Load and validate everything: every record and spec against its schema, "
                    "every extract against its source's text, every citation against the "
                    "extracts. Then lint: uncited statements of fact, extracts no brief uses, "
                    "sources no brief cites. Prints a one-line summary and exits 0, or each "
                    "problem as path:line: message and exits 2.",
        epilog="examples:\n  briefgen check\n  briefgen check cyber --strict\n  briefgen check --json")
    p.add_argument("topics", nargs="*", metavar="TOPIC", help="only these topics (default: all)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead")
    p.add_argument("--strict", action="store_true", help="warnings are errors (exit 2)")
    p.add_argument("--full", action="store_true",
                   help="verify every source again, not only those changed since the last run")
    p.add_argument("--archived-only", action="store_true",
                   help="refuse citations of reference-only sources (no archived text)")

    p = sub.add_parser(
        "search", help="full-text search of the archived texts", formatter_class=_Formatter,
        description="Search every archived text for words or \"a phrase\" (SQLite FTS5, best "
                    "match first, bm25): each hit gives the source, the paragraph with the words "
                    "marked **like this**, and the extracts that already quote it. Words may end "
                    "in * to match any ending.",
        epilog='examples:\n  briefgen search "cyber defence"\n  briefgen search centre* --since 2024\n'
               "  briefgen search exercise --source koreaherald-2023-02-14 --json")
    p.add_argument("query", nargs="+", metavar="WORD", help='words, or "a phrase" in quotes')
    p.add_argument("--source", metavar="ID", help="only this source")
    p.add_argument("--since", metavar="DATE", help="only sources dated on or after DATE "
                   "(2024, 2024-07 or 2024-07-11)")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (default 20)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead")

    sub.add_parser(
        "list", help="list the topics with their titles and counts", formatter_class=_Formatter,
        description="List the topics in briefs/ with their titles, extracts and citations.",
        epilog="example:\n  briefgen list")

    p = sub.add_parser(
        "sources", help="list the source archive, or export it as CSL-JSON",
        formatter_class=_Formatter,
        description="List the archive's bibliographic records, or export them as CSL-JSON "
                    "for Zotero or pandoc.",
        epilog="examples:\n  briefgen sources\n  briefgen sources --csl-json > sources.json")
    p.add_argument("--csl-json", action="store_true", help="print CSL-JSON instead")

    p = sub.add_parser(
        "timeline", help="one chronology merged from every topic's dated events",
        formatter_class=_Formatter,
        description="Merge the dated events of all topics (or those named) into one sorted "
                    "chronology, each row cited. An event that several topics record (the same "
                    "event id, a same_as, or the same wording) appears once. In the terminal a table; "
                    "with --format docx or pdf a document with footnotes.",
        epilog="examples:\n  briefgen timeline\n  briefgen timeline --topic cyber --topic china-framing\n"
               "  briefgen timeline --format pdf --out out/")
    p.add_argument("--topic", action="append", metavar="T", help="only this topic (repeatable)")
    p.add_argument("--format", choices=("table", "docx", "pdf"), default="table", type=str.lower,
                   help="table in the terminal (default), or a DOCX or PDF file")
    p.add_argument("--out", metavar="DIR", help="output folder for docx/pdf (default: briefs/)")

    from .cli_workflow import add_workflow_commands

    add_workflow_commands(sub, _Formatter)
    for command in sub.choices.values():
        command.add_argument("--root", metavar="DIR", default=argparse.SUPPRESS,
                             help="the workspace folder (default: found from the current folder "
                                  "upwards)")
        for action in command._actions:
            if action.dest in ("topics", "topic"):
                action.completer = _topic_completer  # type: ignore[attr-defined]
    return parser


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program stands so that clean-up runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


#: The signals this run received, in order: a C extension that a signal interrupts may
#: turn the exception raised into its own error (pydantic-core building a validator does),
#: and the command must still end as interrupted, not with that error's traceback.
_received: list[int] = []


def _interrupted(signum: int, frame: object) -> None:
    _received.append(signum)
    if signum == getattr(signal, "SIGINT", None):
        raise KeyboardInterrupt
    raise Interrupted(signum)


def _hold_signals_while_compiled_modules_load() -> None:
    """Hold SIGINT, SIGTERM and SIGHUP while a compiled module initialises.

    pydantic-core and lxml initialise in C and import modules of their own
    (pydantic-core imports ``datetime``); an interrupt raised in the middle makes such a
    module panic with a traceback instead of unwinding. Held, the signal arrives the
    moment the module has loaded, and the build unwinds as from anywhere else.
    """
    import signal
    import threading
    from importlib.machinery import ExtensionFileLoader

    if not hasattr(signal, "pthread_sigmask") or getattr(ExtensionFileLoader.create_module,
                                                         "_briefgen_held", False):
        return
    signals = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}

    def held(load: Any) -> Any:
        def run(self: ExtensionFileLoader, arg: Any) -> Any:
            if threading.current_thread() is not threading.main_thread():
                return load(self, arg)
            old = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
            try:
                return load(self, arg)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)

        run._briefgen_held = True  # type: ignore[attr-defined]
        return run

    ExtensionFileLoader.create_module = held(ExtensionFileLoader.create_module)  # type: ignore[method-assign]
    ExtensionFileLoader.exec_module = held(ExtensionFileLoader.exec_module)  # type: ignore[method-assign]


_PLAIN = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
          "\u2014": "--", "\u2026": "...", "\u00a0": " ", "\u2022": "*"}


def _plain_or_escape(exc: UnicodeError) -> tuple[str, int]:
    """Typographic quotes and dashes as their ASCII forms; anything else as an escape."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    chunk = exc.object[exc.start:exc.end]
    return "".join(_PLAIN.get(c) or c.encode("ascii", "backslashreplace").decode() for c in chunk), exc.end


def _safe_streams() -> None:
    """A terminal or pipe that cannot encode a character (``LC_ALL=C``) gets a plain form
    or an escape, never an error."""
    import codecs

    codecs.register_error("briefgen-plain", _plain_or_escape)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if reconfigure is not None and encoding not in ("utf8", "utf16", "utf32"):
            try:
                reconfigure(errors="briefgen-plain")
            except (ValueError, OSError, LookupError):
                pass


def main(argv: list[str] | None = None) -> int:
    previous: dict[str, Any] = {}
    _received.clear()
    for module, state in (("output", "changed"), ("reproducible", "warned")):  # per run
        loaded = sys.modules.get(f"{__package__}.{module}")
        if loaded is not None:
            getattr(loaded, state).clear()
    try:  # a signal from the moment its handler is in place is caught below
        try:  # from here on an interrupt unwinds, so that clean-up runs
            previous["SIGINT"] = signal.signal(signal.SIGINT, _interrupted)
            for name in ("SIGTERM", "SIGHUP"):
                if hasattr(signal, name):
                    previous[name] = signal.signal(getattr(signal, name), _interrupted)
        except ValueError:  # not the main thread: leave the signals as they are
            previous.clear()
        _hold_signals_while_compiled_modules_load()
        _safe_streams()
        code = _main(argv)
        workspace = sys.modules.get(f"{__package__}.workspace")
        caught = getattr(workspace, "signals_in_finalizers", None)
        if caught:  # a signal that came where it could not unwind the command
            signum = caught[-1]
            caught.clear()
            return _report_interrupted(signum)
        return code
    except KeyboardInterrupt as exc:
        try:  # an exception that crossed a C extension may come back with its number as text
            signum = int(getattr(exc, "signum", signal.SIGINT))
        except (TypeError, ValueError):
            signum = int(signal.SIGINT)
        return _report_interrupted(signum)
    except Exception:
        if not _received:
            raise
        return _report_interrupted(_received[-1])  # the signal's exception, renamed by a C extension
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)
        if argv is None:  # the command itself, not a caller in the same process
            _before_exit()


def _report_interrupted(signum: int) -> int:
    """Say that the command was interrupted and whether its files are complete; the exit code."""
    output = sys.modules.get(f"{__package__}.output")
    done = ("; the files it had written are complete" if output is not None and output.changed
            else "; no file was changed")
    try:
        print(f"briefgen: interrupted{done}", file=sys.stderr)
    except OSError:
        pass
    return 128 + signum


def _before_exit() -> None:
    """The command is about to end: spare the interpreter's collection at exit.

    At exit Python collects the whole heap (every imported module's objects, the tree,
    the writers') before it frees it, which costs a build about a tenth of its time
    (bench/README.md). Nothing the command wrote depends on that collection: its files
    are closed and renamed into place, the index committed. ``gc.freeze`` moves every
    object out of the collector's reach, so it skips them; modules are still torn down,
    reference counts still free what they free, and ``atexit`` handlers still run.
    The archive index's connection, which only a collection would have closed, is
    closed when the index is dropped (``Workspace.index``). Only for the command
    (``argv`` not given): a program calling ``main(argv)`` keeps its collector as it was.
    """
    gc.freeze()


def _main(argv: list[str] | None) -> int:
    parser = _parser()
    if "_ARGCOMPLETE" in os.environ:  # pragma: no cover - driven by the shell
        import argcomplete

        argcomplete.autocomplete(parser)
    try:
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help()
            return EXIT_OK
        args.as_command = argv is None  # the command itself, not a caller in the same process
        # pydantic looks for plugins by reading every installed package's entry points
        # when it builds a model's validator (0.05-0.15 s a run); briefgen uses none.
        if os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__") in _NO_PLUGINS and argv is None:
            _skip_plugin_loader()
        code = _run(args)
        sys.stdout.flush()
        return code
    except OSError as exc:
        return _stream_failed(exc)


#: The values of PYDANTIC_DISABLE_PLUGINS by which pydantic loads no plugin at all.
_NO_PLUGINS = ("__all__", "1", "true")
_PLUGIN_LOADER = "pydantic.plugin._loader"


def _skip_plugin_loader() -> None:
    """With plugins disabled, pydantic's plugin loader gives none, yet importing it imports
    ``importlib.metadata`` (and with it the ``email`` package): about 15 ms of every
    command that validates a file. In its place stands a module whose ``get_plugins``
    (the one name pydantic takes from it) gives what the loader gives then: no plugin.
    Only for the command (as ``gc.freeze`` at exit), and only if the loader is not
    loaded already."""
    if _PLUGIN_LOADER not in sys.modules:
        import types

        loader = types.ModuleType(_PLUGIN_LOADER, "pydantic plugins disabled: none is loaded")
        loader.get_plugins = tuple  # type: ignore[attr-defined]
        sys.modules[_PLUGIN_LOADER] = loader


def _stream_failed(exc: OSError) -> int:
    """stdout was closed (``| head``) or its device is full: end quietly, never a traceback."""
    if not isinstance(exc, BrokenPipeError) and exc.errno != errno.ENOSPC:
        raise exc
    try:  # nothing more can reach stdout; stop the interpreter's own flush at exit failing
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    if isinstance(exc, BrokenPipeError):
        return 1
    print(f"briefgen: cannot write the output: {exc.strerror}", file=sys.stderr)
    return 1


#: The collector's thresholds during a command. A build allocates many small, long-lived
#: objects (the tree, the notes, lxml and reportlab objects); the default thresholds
#: rescan that growing heap again and again. Fewer young-generation collections save
#: 10-16% on large briefs (bench/README.md) for about 5% more peak memory.
THRESHOLDS = (50_000, 20, 20)
#: The first threshold of the command itself, until its first collection: a build of a
#: brief or two, or of 1,250 notes, stays below it and never collects (each young pass
#: over a heap that only grows cost it 10-20 ms); a larger one collects as ever from then
#: on, so that its peak memory, reached late, is the same.
FIRST_THRESHOLD = 200_000


def _hold_collector(args: argparse.Namespace) -> None:
    """The command's thresholds; the first one ``FIRST_THRESHOLD`` until the collector
    first runs. Only for the command itself (as ``gc.freeze`` at exit), and not for
    ``watch``, which holds the collector back during each rebuild in its own way."""
    gc.set_threshold(*THRESHOLDS)
    if getattr(args, "as_command", False) and args.command != "watch":
        gc.set_threshold(FIRST_THRESHOLD, *THRESHOLDS[1:])
        if _after_first_collection not in gc.callbacks:
            gc.callbacks.append(_after_first_collection)


def _after_first_collection(phase: str, info: dict[str, int]) -> None:
    """Once the collector has run, the command's usual thresholds (a callback of ``gc``)."""
    if phase == "stop" and gc.get_threshold()[0] == FIRST_THRESHOLD:
        gc.set_threshold(*THRESHOLDS)


def _run(args: argparse.Namespace) -> int:
    from .errors import BriefgenError

    _hold_collector(args)
    try:
        from importlib import import_module

        module = import_module(f"{__package__}.commands.{args.command.replace('-', '_')}")
        return int(module.run(args))
    except BriefgenError as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        return EXIT_USER


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
