"""briefgen against pandoc: whole processes, timed side by side.

    python bench/run.py            # full: 5 timed runs after a warm-up, up to 12,500 notes
    python bench/run.py --quick    # under a minute: 3 runs, 12,500-note brief left out
    python bench/run.py --profile  # also write a pyinstrument profile of each briefgen case

Every figure is a whole process started from scratch — interpreter start-up, imports,
loading and verifying the archive, writing the file — because that is what a user
waits for. Each case runs once to warm the disk cache, then ``--runs`` times; the
table gives the median wall-clock time and the highest peak memory (the child's
``ru_maxrss`` from ``os.wait4``, which for pandoc's PDF covers the pdflatex it runs).
The cases of one comparison run in turn, round by round, the order reversed every other
round, so that a busy moment of the machine falls on both sides alike and neither side
always runs first; every ratio comes from this one run. What the PDF's tags cost is
measured apart, at 1,250 notes: the tagged and the untagged build alone, in turn, for
``2 × runs + 1`` rounds (their difference is a few per cent, of the order of one run's
noise); with valgrind installed, the instructions each executes are counted as well, a
figure the machine's load does not move.

pandoc gets the same content as briefgen: briefgen's DOCX of each brief, read back by
pandoc into Markdown (``pandoc -f docx -t markdown``), which pandoc then turns into
a DOCX and, with pdflatex, a PDF. A peer that is not installed is reported as not
measured. The table is printed as Markdown and written to ``bench/results/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import archive_rows
import workspace

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results"

PANDOC_HINT = "pandoc not installed: pip install pypandoc-binary"
PDFLATEX_HINT = ("pdflatex not installed: apt-get install --no-install-recommends "
                 "texlive-latex-base texlive-latex-recommended lmodern")


# --------------------------------------------------------------------------- tools


def briefgen_command() -> list[str]:
    """The ``briefgen`` entry point of this interpreter, not a shell shim in front of it.

    A version manager's shim (pyenv) costs more than briefgen's own start-up, so the
    console script beside ``sys.executable`` is preferred; ``python -m briefgen`` if none.
    """
    import sysconfig

    script = Path(sysconfig.get_path("scripts")) / "briefgen"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "briefgen"]


def pandoc_path() -> str | None:
    """pandoc from PATH, else the binary that pypandoc-binary ships."""
    found = shutil.which("pandoc")
    if found:
        return found
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return None


def first_line(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "?"
    return out.splitlines()[0].strip() if out else "?"


def machine() -> dict[str, str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, AttributeError):
        pass
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": memory,
            "os": platform.platform(terse=True), "python": platform.python_version()}


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


# --------------------------------------------------------------------------- measuring


@dataclass
class Case:
    """One command to time. ``output`` must exist after every run."""

    key: str
    cmd: list[str] | None
    output: Path | None = None
    cwd: Path = REPO
    missing: str | None = None  # why the command cannot run (a peer not installed)
    env: dict[str, str] | None = None  # added to the environment of the run
    prepare: Callable[[], None] | None = None  # run (untimed) before each run


@dataclass
class Measured:
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds
    peaks_kb: list[int] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def peak_mb(self) -> float:
        return max(self.peaks_kb) / 1024


def child_env(cache: Path) -> dict[str, str]:
    """The environment of every timed process: as the user's, with bytecode caching on.

    With ``PYTHONDONTWRITEBYTECODE`` set (as some development shells and CI images
    do) every run would recompile briefgen's sources, a cost no installed copy pays
    after its first run. The cache goes to a folder of the benchmark's own
    (``PYTHONPYCACHEPREFIX``), filled by the warm-up, so the clone stays untouched.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


ENV: dict[str, str] | None = None  # set by main(): child_env() in the benchmark's folder


def run_once(case: Case) -> tuple[float, float, int]:
    """Wall-clock seconds, CPU seconds and peak resident memory (KB) of one run."""
    if case.output is not None and case.output.exists():
        case.output.unlink()
    if case.prepare is not None:
        case.prepare()
    env = {**(ENV or os.environ), **case.env} if case.env else ENV
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(case.cmd, cwd=case.cwd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            lines = err.read().decode("utf-8", "replace").strip().splitlines()
            raise RuntimeError(f"exit {proc.returncode}: {lines[-1] if lines else 'no message'}")
    if case.output is not None and not case.output.exists():
        raise RuntimeError(f"{case.output.name} was not written")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss  # KB on Linux


def measure(cases: list[Case], runs: int, warmup: int, results: dict[str, Measured]) -> None:
    """Time ``cases`` in turn, round by round: ``warmup`` rounds untimed, then ``runs``.

    Every other round takes the cases in reverse order: a case that always ran first (or
    right after a heavy one) would carry whatever that position costs in every round."""
    live = []
    for case in cases:
        if case.cmd is None:
            results[case.key] = Measured(error=case.missing or "not measured")
        else:
            results[case.key] = Measured()
            live.append(case)
    for round_ in range(warmup + runs):
        shown: list[str] = []
        for case in (live if round_ % 2 == 0 else live[::-1]):
            m = results[case.key]
            if m.error:
                continue
            try:
                seconds, cpu, peak = run_once(case)
            except RuntimeError as exc:
                m.error = f"failed ({exc})"
                shown.append(f"{case.key} FAILED")
                continue
            shown.append(f"{case.key} {seconds:.2f}s")
            if round_ >= warmup:
                m.times.append(seconds)
                m.cpu.append(cpu)
                m.peaks_kb.append(peak)
        print(f"  {'warm-up' if round_ < warmup else f'run {round_ + 1 - warmup}'}: "
              + ", ".join(shown), file=sys.stderr)


# --------------------------------------------------------------------------- the cases


class Bench:
    def __init__(self, work: Path, runs: int, sizes: list[int], quick: bool):
        self.work = work
        self.runs = runs
        self.warmup = 1
        # --quick: only the first group (the cyber brief) has a warm-up round. It fills
        # the bytecode cache and starts pandoc and pdflatex once; the untimed build that
        # gives pandoc its input reads each new workspace before it is timed.
        self.later_warmup = 0 if quick else 1
        self.quick = quick
        self.sizes = sizes
        self.briefgen = briefgen_command()
        self.pandoc = pandoc_path()
        self.pdflatex = shutil.which("pdflatex")
        self.results: dict[str, Measured] = {}
        self.pages: dict[str, int] = {}
        self.notes: dict[str, str] = {}
        self.instructions: dict[str, int | str] = {}  # key → instructions executed, or why not

    def bg(self, *args: str) -> list[str]:
        return [*self.briefgen, *args]

    def to_markdown(self, docx: Path, md: Path) -> str | None:
        """pandoc's input: our DOCX read back into Markdown. None, or why not."""
        if self.pandoc is None:
            return PANDOC_HINT
        if not docx.exists():
            return "no input: briefgen's DOCX was not built"
        done = subprocess.run([self.pandoc, "-f", "docx", "-t", "markdown", str(docx), "-o", str(md)],
                              capture_output=True, text=True, env=ENV)
        return None if done.returncode == 0 else f"pandoc could not read the DOCX: {done.stderr.strip()}"

    def pandoc_cases(self, prefix: str, md: Path, why_not: str | None) -> list[Case]:
        out = md.parent
        docx = Case(f"{prefix}/pandoc-docx", [self.pandoc, str(md), "-o", str(out / "pandoc.docx")],
                    out / "pandoc.docx", out, why_not)
        pdf_missing = why_not or (None if self.pdflatex else PDFLATEX_HINT)
        pdf = Case(f"{prefix}/pandoc-pdf", [self.pandoc, str(md), "-o", str(out / "pandoc.pdf"),
                                            "--pdf-engine=pdflatex"],
                   out / "pandoc.pdf", out, pdf_missing)
        for case in (docx, pdf):
            if case.missing:
                case.cmd = None
        return [docx, pdf]

    def prepare_docx(self, cmd: list[str]) -> None:
        """One untimed build, to get the DOCX pandoc reads back."""
        subprocess.run(cmd, capture_output=True, cwd=self.work, env=ENV)

    def cyber(self) -> None:
        out = self.work / "cyber"
        out.mkdir()
        self.prepare_docx(self.bg("--root", str(REPO), "build", "cyber", "--format", "docx",
                                  "--out", str(out / "prep")))
        md = out / "cyber.md"
        why_not = self.to_markdown(out / "prep" / "cyber.docx", md)
        single = [
            Case("cyber/docx", self.bg("--root", str(REPO), "build", "cyber", "--format", "docx",
                                       "--out", str(out / "d")), out / "d" / "cyber.docx", out),
            Case("cyber/pdf", self.bg("--root", str(REPO), "build", "cyber", "--format", "pdf",
                                      "--out", str(out / "p")), out / "p" / "cyber.pdf", out),
        ]
        cases = [
            *([] if self.quick else single),  # one format at a time: no target, full mode only
            Case("cyber/both", self.bg("--root", str(REPO), "build", "cyber", "--out", str(out / "b")),
                 out / "b" / "cyber.pdf", out),
            *self.pandoc_cases("cyber", md, why_not),
        ]
        print("cyber brief", file=sys.stderr)
        measure(cases, self.runs, self.warmup, self.results)

    def watch(self) -> None:
        """``briefgen watch``'s warm rebuild, timed inside its process (bench/watch_rebuild.py)."""
        print("briefgen watch: warm rebuilds of cyber after a one-line spec edit", file=sys.stderr)
        m = Measured()
        self.results["watch"] = m
        with tempfile.TemporaryFile() as err:
            proc = subprocess.Popen([sys.executable, str(BENCH / "watch_rebuild.py"), "--runs",
                                     str(max(self.runs, 5) * 2 - 1)], stdout=subprocess.PIPE,
                                    stderr=err, env=ENV, cwd=self.work)
            out = proc.stdout.read() if proc.stdout else b""
            _, status, usage = os.wait4(proc.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                err.seek(0)
                lines = err.read().decode("utf-8", "replace").strip().splitlines()
                m.error = f"failed ({lines[-1] if lines else 'no message'})"
                return
        data = json.loads(out)
        m.times, m.cpu, m.peaks_kb = data["wall"], data["cpu"], [usage.ru_maxrss]
        print(f"  {len(m.times)} rebuilds: median {m.median:.3f}s (cold start {data['cold']:.2f}s)",
              file=sys.stderr)

    def help_and_all(self) -> None:
        out = self.work / "all"
        cases = [
            Case("python", [sys.executable, "-c", "pass"], None, self.work),
            Case("help", self.bg("--help"), None, self.work),
            Case("all", self.bg("--root", str(REPO), "build", "--all", "--out", str(out)),
                 out / "cyber.pdf", self.work),
        ]
        print("briefgen --help, briefgen build --all", file=sys.stderr)
        measure(cases, self.runs, self.later_warmup, self.results)

    def synthetic(self, notes: int) -> None:
        root = self.work / f"synthetic-{notes}"
        print(f"synthetic brief, {notes:,} notes: writing the workspace", file=sys.stderr)
        spec = workspace.write_workspace(root, notes, REPO / "templates")
        self.notes[str(notes)] = f"{spec.sources:,} sources, {spec.extracts:,} extracts"
        out = root / "out"
        self.prepare_docx(self.bg("--root", str(root), "build", "synthetic", "--format", "docx",
                                  "--out", str(root / "prep")))
        md = out / "synthetic.md"
        out.mkdir()
        why_not = self.to_markdown(root / "prep" / "synthetic.docx", md)
        prefix = f"n{notes}"
        cases = [
            Case(f"{prefix}/docx", self.bg("--root", str(root), "build", "synthetic", "--format", "docx",
                                           "--out", str(out)), out / "synthetic.docx", root),
            Case(f"{prefix}/pdf", self.bg("--root", str(root), "build", "synthetic", "--format", "pdf",
                                          "--out", str(out)), out / "synthetic.pdf", root),
            Case(f"{prefix}/pdf-untagged",
                 [sys.executable, str(BENCH / "untagged.py"), "--root", str(root), "build",
                  "synthetic", "--format", "pdf", "--out", str(out / "untagged")],
                 out / "untagged" / "synthetic.pdf", root),
            *self.pandoc_cases(prefix, md, why_not),
        ]
        if notes == 1250:
            cases.insert(1, self.edited_spec(root, notes))
        measure(cases, self.runs, self.later_warmup, self.results)
        if notes == 1250:
            self.tag_cost(root, notes)
        for key, pdf in ((f"{prefix}/pdf", out / "synthetic.pdf"),
                         (f"{prefix}/pandoc-pdf", out / "pandoc.pdf")):
            pages = count_pages(pdf)
            if pages:
                self.pages[key] = pages

    def tag_cost(self, root: Path, notes: int) -> None:
        """What the tags cost: the tagged PDF against the same build untagged, measured apart.

        The two differ by a few per cent, of the order of one run's noise on a shared
        machine, so they run alone, one after the other, for ``2 × runs + 1`` rounds (the
        order reversed every other round), after the group above has warmed the disk and
        bytecode caches. Full mode also counts the instructions each executes, if valgrind
        is installed (``count_instructions``): a figure that another load does not move."""
        out = root / "out"
        key = f"n{notes}"
        cases = [
            Case(f"{key}/tag-pdf", self.bg("--root", str(root), "build", "synthetic", "--format",
                                           "pdf", "--out", str(out / "tag")),
                 out / "tag" / "synthetic.pdf", root),
            Case(f"{key}/tag-untagged",
                 [sys.executable, str(BENCH / "untagged.py"), "--root", str(root), "build",
                  "synthetic", "--format", "pdf", "--out", str(out / "tag-untagged")],
                 out / "tag-untagged" / "synthetic.pdf", root),
        ]
        print(f"synthetic brief, {notes:,} notes: tagged and untagged PDF, "
              f"{2 * self.runs + 1} rounds", file=sys.stderr)
        measure(cases, 2 * self.runs + 1, 0, self.results)
        if not self.quick:
            commands = {case.key: [sys.executable, *case.cmd] if case.cmd[0] != sys.executable
                        else case.cmd for case in cases if case.cmd is not None}
            self.instructions.update(count_instructions(commands, root))

    def edited_spec(self, root: Path, notes: int) -> Case:
        """The DOCX build after an edit of the spec (information, no target).

        The other rows build a workspace whose brief's findings (its lint and evidence
        checks) the index holds from the untimed build before them: a build takes them
        from there (``checkcache``). This one edits its spec before each run (a comment
        at its end, numbered anew: the document is the same, the spec's bytes are not),
        so the findings are worked out again, as after an analyst's edit. It builds a
        copy of the workspace, so that its edits do not make the other rows miss too."""
        copy = root.parent / f"{root.name}-edited"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("out", "prep"))
        spec = copy / "briefs" / "synthetic.yaml"
        text = spec.read_text(encoding="utf-8")
        edits = iter(range(1, 1_000_000))
        out = copy / "out"
        cmd = self.bg("--root", str(copy), "build", "synthetic", "--format", "docx", "--out", str(out))
        self.prepare_docx(cmd)  # its index filled, as in the workspace it copies

        def edit() -> None:
            spec.write_text(f"{text.rstrip()}\n# edit {next(edits)}\n", encoding="utf-8")

        return Case(f"n{notes}/docx-edited", cmd, out / "synthetic.docx", copy, prepare=edit)

    def run_all(self) -> None:
        self.cyber()
        self.watch()
        self.help_and_all()
        archive_rows.run(self, sys.modules[__name__])
        for notes in self.sizes:
            self.synthetic(notes)


def count_instructions(commands: dict[str, list[str]], cwd: Path) -> dict[str, int | str]:
    """The instructions each command executes, counted by valgrind's cachegrind (all
    threads), the commands run side by side; for each, the count or why there is none.

    About 40 × slower than a plain run, and deterministic but for the order of hashed
    sets (``PYTHONHASHSEED`` is fixed): the cost of a change that one run's noise hides."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return dict.fromkeys(commands, "valgrind not installed")
    env = {**(ENV or os.environ), "PYTHONHASHSEED": "0"}
    print("counting instructions (valgrind): " + ", ".join(commands), file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="briefgen-cachegrind-") as tmp:
        running = {}
        for i, (key, cmd) in enumerate(commands.items()):
            out = Path(tmp) / f"{i}.out"
            running[key] = (out, subprocess.Popen(
                [valgrind, "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}",
                 *cmd], cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL))
        counts: dict[str, int | str] = {}
        for key, (out, proc) in running.items():
            if proc.wait() != 0 or not out.exists():
                counts[key] = f"valgrind failed (exit {proc.returncode})"
                continue
            m = re.search(r"^summary:\s+(\d+)", out.read_text(encoding="utf-8"), re.M)
            counts[key] = int(m.group(1)) if m else "no summary in cachegrind's output"
    return counts


def count_pages(pdf: Path) -> int | None:
    if not pdf.exists():
        return None
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        m = re.search(r"^Pages:\s+(\d+)", out, re.M)
        if m:
            return int(m.group(1))
    try:
        from pypdf import PdfReader

        return len(PdfReader(str(pdf)).pages)
    except Exception:  # page counts are a courtesy; no reader, no count
        return None


# --------------------------------------------------------------------------- the table


@dataclass
class Sum:
    """Two peer measurements taken together: pandoc's DOCX and PDF against one build."""

    parts: list[Measured]

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.parts)

    @property
    def median(self) -> float:
        return sum(p.median for p in self.parts)

    @property
    def cpu_median(self) -> float:
        return sum(p.cpu_median for p in self.parts)

    @property
    def peak_mb(self) -> float:
        return max(p.peak_mb for p in self.parts)


def _s(m) -> str:
    return f"{m.median:.3f}" if m is not None and m.ok else "n/m"


def _mb(m) -> str:
    return f"{m.peak_mb:.0f}" if m is not None and m.ok else "–"


def _verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "not measured"
    return "pass" if value <= limit else "**MISS**"


def table(bench: Bench, info: dict[str, str], mode: str) -> str:
    """The results as one Markdown table, with what was measured how, and on what."""
    r = bench.results
    rows: list[list[str]] = []

    def compare(label: str, ours, peer, limit: float | None) -> None:
        """A row of briefgen against pandoc; the verdict is on the wall-clock ratio."""
        ratio = cpu = None
        if ours is not None and peer is not None and ours.ok and peer.ok:
            ratio, cpu = ours.median / peer.median, ours.cpu_median / peer.cpu_median
        rows.append([label, _s(ours), _mb(ours), _s(peer), _mb(peer),
                     f"{ratio:.2f}" if ratio is not None else "",
                     f"{cpu:.2f}" if cpu is not None else "",
                     f"≤ {limit} ×" if limit else "", _verdict(ratio, limit) if limit else ""])

    def alone(label: str, ours, limit: float) -> None:
        rows.append([label, _s(ours), _mb(ours), "", "", "", "", f"≤ {limit} s",
                     _verdict(ours.median if ours is not None and ours.ok else None, limit)])

    m = r.get("python")
    rows.append(["Python start-up alone (`python -c pass`), for reference", _s(m), _mb(m),
                 "", "", "", "", "", ""])
    alone("`briefgen --help`", r.get("help"), 0.15)
    if "cyber/docx" in r:
        compare("cyber: DOCX", r.get("cyber/docx"), r.get("cyber/pandoc-docx"), None)
        compare("cyber: PDF", r.get("cyber/pdf"), r.get("cyber/pandoc-pdf"), None)
    compare("cyber: DOCX + PDF in one process (pandoc: its DOCX + its PDF)", r.get("cyber/both"),
            Sum([r["cyber/pandoc-docx"], r["cyber/pandoc-pdf"]]), 0.6)
    # The warm rebuild is timed inside the watching process; its peer is a whole pandoc
    # process making the DOCX alone, which is what it would take to see an edit in Word.
    ours, peer = r.get("watch"), r.get("cyber/pandoc-docx")
    both = ours is not None and peer is not None and ours.ok and peer.ok
    rows.append(["`briefgen watch`: warm rebuild of cyber, DOCX + PDF, after a one-line spec "
                 "edit (pandoc: its DOCX alone)", _s(ours), _mb(ours), _s(peer), _mb(peer),
                 f"{ours.median / peer.median:.2f}" if both else "",
                 f"{ours.cpu_median / peer.cpu_median:.2f}" if both else "", "≤ 0.08 s",
                 _verdict(ours.median if ours is not None and ours.ok else None, 0.08)])
    alone("`briefgen build --all` (4 briefs, DOCX + PDF)", r.get("all"), 1.2)
    rows.extend(archive_rows.rows(bench, sys.modules[__name__]))
    limits = {"docx": 0.35, "pdf": 0.5}
    for n in bench.sizes:
        for fmt in ("docx", "pdf"):
            label = f"{n:,} notes: {fmt.upper()}"
            if fmt == "pdf" and f"n{n}/pdf" in bench.pages:
                theirs = bench.pages.get(f"n{n}/pandoc-pdf")  # none without pdflatex
                label += (f" ({bench.pages[f'n{n}/pdf']:,} pp.; pandoc's "
                          f"{'?' if theirs is None else f'{theirs:,}'} pp.)")
            compare(label, r.get(f"n{n}/{fmt}"), r.get(f"n{n}/pandoc-{fmt}"),
                    limits[fmt] if n == 1250 else None)
            if fmt == "docx" and f"n{n}/docx-edited" in r:  # information: no target
                compare(f"{n:,} notes: DOCX after an edit of its spec (its findings worked "
                        "out again, not taken from the index)", r.get(f"n{n}/docx-edited"),
                        r.get(f"n{n}/pandoc-docx"), None)
    for n in bench.sizes:  # what the PDF's tags (PDF/UA) cost, against the same build untagged
        apart = f"n{n}/tag-pdf" in r  # measured on their own (``Bench.tag_cost``)
        tagged = r.get(f"n{n}/tag-pdf" if apart else f"n{n}/pdf")
        untagged = r.get(f"n{n}/tag-untagged" if apart else f"n{n}/pdf-untagged")
        cost = (tagged.median / untagged.median
                if tagged is not None and untagged is not None and tagged.ok and untagged.ok
                else None)
        how = (f"{len(tagged.times)} rounds of the two alone" if apart and tagged is not None
               else "the runs above")
        rows.append([f"{n:,} notes: tagged PDF / untagged PDF ({how})",
                     f"{cost:.3f} ×" if cost else "n/m", _mb(tagged), _s(untagged), _mb(untagged),
                     "", "", "≤ 1.10 ×" if n == 1250 else "",
                     _verdict(cost, 1.10) if n == 1250 else ""])
        counted = [bench.instructions.get(f"n{n}/tag-{side}") for side in ("pdf", "untagged")]
        if any(c is not None for c in counted):  # information: the same, in instructions
            a, b = counted
            ratio = a / b if isinstance(a, int) and isinstance(b, int) else None
            rows.append([f"{n:,} notes: tagged / untagged PDF in instructions executed "
                         "(valgrind; information)", f"{ratio:.3f} ×" if ratio else "n/m",
                         "", "", "", "", "", "", ""])
    if 1250 in bench.sizes and 12500 in bench.sizes:
        for fmt in ("docx", "pdf"):
            ours = [r[f"n{n}/{fmt}"] for n in (1250, 12500)]
            peer = [r[f"n{n}/pandoc-{fmt}"] for n in (1250, 12500)]
            grow = ours[1].median / ours[0].median if all(m.ok for m in ours) else None
            theirs = peer[1].median / peer[0].median if all(m.ok for m in peer) else None
            # The same less what any build costs (start-up, imports, fonts), taken as
            # the cyber brief's time in that format: the growth of the work itself.
            fixed = r.get(f"cyber/{fmt}")
            net = ""
            if grow and fixed is not None and fixed.ok and ours[0].median > fixed.median:
                net = (f" (net of start-up: "
                       f"{(ours[1].median - fixed.median) / (ours[0].median - fixed.median):.2f} ×)")
            rows.append([f"scaling, {fmt.upper()}: time(12,500 notes) / time(1,250)",
                         f"{grow:.2f} ×{net}" if grow else "n/m", "",
                         f"{theirs:.2f} ×" if theirs else "n/m", "", "", "", "≤ 11 ×",
                         _verdict(grow, 11)])
        peaks = [r[f"n12500/{fmt}"] for fmt in ("docx", "pdf")]
        peak = max((m.peak_mb for m in peaks if m.ok), default=None)
        rows.append(["peak memory, 12,500 notes (the higher of DOCX, PDF)", "",
                     f"{peak:.0f}" if peak else "n/m", "", "", "", "", "≤ 300 MB",
                     _verdict(peak, 300)])
    header = ["case", "briefgen s", "MB", "pandoc s", "MB", "ratio", "CPU ratio", "target",
              "verdict"]
    lines = ["| " + " | ".join(header) + " |", "|---" + "|:-:" * (len(header) - 1) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    warm = " (the first group's only)" if bench.later_warmup == 0 else ""
    head = [
        f"briefgen vs pandoc, {info['date']}, {mode} mode: whole processes, median wall-clock "
        f"seconds of {bench.runs} runs after a warm-up round{warm}. MB: peak resident memory "
        "(highest run; for pandoc's PDF the larger of pandoc and pdflatex). Ratio: briefgen / "
        "pandoc, wall-clock (the verdict); CPU ratio: the same in user + system CPU seconds, "
        "which another load on the machine disturbs less.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM, {info['os']}; "
        f"Python {info['python']}; {info['pandoc']}; {info['pdflatex']}. "
        f"Load average before / after: {info['load_before']} / {info['load_after']}.",
        "",
    ]
    notes = [f"- `{key}`: {m.error}" for key, m in sorted(r.items()) if m.error]
    notes += [f"- {int(n):,}-note brief: {what}" for n, what in bench.notes.items()]
    notes += [f"- instructions, `{key}`: {count:,}" if isinstance(count, int)
              else f"- instructions, `{key}`: {count}" for key, count in bench.instructions.items()]
    return "\n".join(head + lines + ([""] + notes if notes else [])) + "\n"


# --------------------------------------------------------------------------- profiling


def profile(bench: Bench) -> list[Path]:
    """A pyinstrument profile (text) of each briefgen case, beside the results."""
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        print("--profile needs pyinstrument: pip install -e '.[bench]'", file=sys.stderr)
        return []
    written = []
    cases = {"help": ["--help"],
             "cyber-both": ["--root", str(REPO), "build", "cyber", "--out", str(bench.work / "prof")],
             "all": ["--root", str(REPO), "build", "--all", "--out", str(bench.work / "prof")]}
    for n in bench.sizes:
        root = bench.work / f"synthetic-{n}"
        for fmt in ("docx", "pdf"):
            cases[f"n{n}-{fmt}"] = ["--root", str(root), "build", "synthetic", "--format", fmt,
                                    "--out", str(bench.work / "prof")]
    for name, args in cases.items():
        target = RESULTS / f"profile-{name}.txt"
        subprocess.run([sys.executable, "-m", "pyinstrument", "-r", "text", "--no-color",
                        "-o", str(target), "-m", "briefgen", *args],
                       cwd=bench.work, capture_output=True, env=ENV)
        if target.exists():
            written.append(target)
    return written


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="3 runs, no 12,500-note brief: done within a minute")
    parser.add_argument("--runs", type=int, help="timed runs per case (default 5; --quick 3)")
    parser.add_argument("--profile", action="store_true",
                        help="also write pyinstrument profiles to bench/results/")
    parser.add_argument("--only-archive", action="store_true",
                        help="only the rows of the 1,464-source archive (index, check, search)")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)
    sizes = [1250] if args.quick else [1250, 12500]
    RESULTS.mkdir(exist_ok=True)
    info = machine()
    info["date"] = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    info["load_before"] = load_average()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as tmp:
        global ENV
        ENV = child_env(Path(tmp) / "pycache")
        bench = Bench(Path(tmp), runs, sizes, args.quick)
        info["pandoc"] = first_line([bench.pandoc, "--version"]) if bench.pandoc else "pandoc not installed"
        info["pdflatex"] = (first_line([bench.pdflatex, "--version"]) if bench.pdflatex
                            else "pdflatex not installed")
        if args.only_archive:
            archive_rows.run(bench, sys.modules[__name__])
        else:
            bench.run_all()
        mode = ("quick" if args.quick else "full") + ("-archive" if args.only_archive else "")
        info["load_after"] = load_average()
        text = archive_rows.table(bench, sys.modules[__name__], info) if args.only_archive \
            else table(bench, info, mode)
        profiles = profile(bench) if args.profile else []
    print(text)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"bench-{stamp}-{mode}.md").write_text(text, encoding="utf-8")
    (RESULTS / f"latest-{mode}.md").write_text(text, encoding="utf-8")
    raw = {"machine": info, "mode": mode, "runs": runs,
           "results": {k: {"times": m.times, "cpu": m.cpu, "peaks_kb": m.peaks_kb, "error": m.error}
                       for k, m in bench.results.items()},
           "pages": bench.pages, "instructions": bench.instructions}
    (RESULTS / f"bench-{stamp}-{mode}.json").write_text(json.dumps(raw, indent=2), encoding="utf-8")
    print(f"written to {RESULTS / f'bench-{stamp}-{mode}.md'} "
          f"({time.perf_counter() - started:.0f} s in all)"
          + "".join(f"\nprofile: {p}" for p in profiles), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
