"""Benchmark rows for an archive that grows: the index keeps builds flat and search fast.

The archive is the repository's workspace (its five sources, four briefs, templates)
with the 12,500-note synthetic archive's 1,459 sources added: 1,464 sources and about
14,700 extracts. Timed side by side, round by round, in one run:

* cyber (DOCX) in that archive against cyber in the repository's own archive;
* ``check`` after one source text of the archive was edited (each run edits it again);
* ``check --full`` against the same check without the index (``BRIEFGEN_NO_INDEX=1``:
  every record loaded and verified from its files, as every check did before the index);
* ``briefgen search`` as a command, and a search inside one process
  (``bench/search_inprocess.py``: the 95th percentile over several queries, each a
  freshness check of the index and the FTS5 query).

The index is filled by an untimed build first, as any earlier run leaves it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import workspace

NOTES = 12500
QUERIES = (["military", "talks"], ["cyber", "defence"], ['"partnership programme"'],
           ["interoperability", "exercise"], ["centre*"], ["Korea", "NATO", "summit"])


def _archive(bench: Any) -> Path:
    """The repository's workspace plus the synthetic archive's sources."""
    run = sys.modules[type(bench).__module__]
    root = bench.work / "archive"
    synthetic = bench.work / f"synthetic-{NOTES}"
    if not (synthetic / "seeds").is_dir():
        workspace.write_workspace(bench.work / "archive-synthetic", NOTES, run.REPO / "templates")
        synthetic = bench.work / "archive-synthetic"
    for name in ("seeds", "briefs", "templates"):
        shutil.copytree(run.REPO / name, root / name,
                        ignore=shutil.ignore_patterns("*.docx", "*.pdf"), dirs_exist_ok=True)
    for path in (synthetic / "seeds").iterdir():
        shutil.copy(path, root / "seeds" / path.name)
    return root


class _Edit:
    """Each call changes one word of one archived text, alternating between two words."""

    def __init__(self, text: Path):
        self.text, self.flip = text, False

    def __call__(self) -> None:
        body = self.text.read_text(encoding="utf-8")
        old, new = ("alliance", "alliances") if not self.flip else ("alliances", "alliance")
        self.flip = not self.flip
        self.text.write_text(body.replace(old, new, 1), encoding="utf-8")


def run(bench: Any, run_module: ModuleType) -> None:
    m = run_module
    print("archive of 1,464 sources: writing it and filling its index", file=sys.stderr)
    root = _archive(bench)
    out = bench.work / "archive-out"
    for args in (["build", "cyber", "--format", "docx", "--out", str(out / "prep")], ["check"]):
        subprocess.run(bench.bg("--root", str(root), *args), capture_output=True, cwd=bench.work,
                       env=m.ENV, check=False)
    texts = sorted((root / "seeds").glob("syn-source-*.txt"))
    edit = _Edit(texts[len(texts) // 2])
    search = ["search", *QUERIES[0]]
    cases = [
        m.Case("archive/cyber-repo", bench.bg("--root", str(m.REPO), "build", "cyber", "--format",
                                              "docx", "--out", str(out / "r")),
               out / "r" / "cyber.docx", bench.work),
        m.Case("archive/cyber", bench.bg("--root", str(root), "build", "cyber", "--format", "docx",
                                         "--out", str(out / "a")), out / "a" / "cyber.docx", bench.work),
        m.Case("archive/check-edited", bench.bg("--root", str(root), "check"), None, bench.work,
               prepare=edit),
        m.Case("archive/check-full", bench.bg("--root", str(root), "check", "--full"), None, bench.work),
        m.Case("archive/check-no-index", bench.bg("--root", str(root), "check"), None, bench.work,
               env={"BRIEFGEN_NO_INDEX": "1"}),
        m.Case("archive/search", bench.bg("--root", str(root), *search), None, bench.work),
    ]
    m.measure(cases, bench.runs, bench.later_warmup, bench.results)
    _in_process(bench, m, root)


def _in_process(bench: Any, m: ModuleType, root: Path) -> None:
    measured = m.Measured()
    bench.results["archive/search-in-process"] = measured
    done = subprocess.run([sys.executable, str(Path(__file__).parent / "search_inprocess.py"),
                           str(root), "--rounds", str(max(bench.runs, 5) * 4),
                           *(json.dumps(q) for q in QUERIES)],
                          capture_output=True, text=True, env=m.ENV, cwd=bench.work, check=False)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        measured.error = f"failed ({lines[-1] if lines else 'no message'})"
        return
    data = json.loads(done.stdout)
    measured.times, measured.cpu, measured.peaks_kb = data["times"], data["cpu"], [data["peak_kb"]]
    bench.archive_search = data
    print(f"  in-process search: p95 {data['p95'] * 1000:.1f} ms (CPU {data['cpu_p95'] * 1000:.1f} ms) "
          f"over {len(data['times'])} queries", file=sys.stderr)


def rows(bench: Any, m: ModuleType) -> list[list[str]]:
    r = bench.results
    if "archive/cyber" not in r:
        return []
    out: list[list[str]] = []

    def ratio_row(label: str, ours: Any, base: Any, limit: float, base_label: str) -> None:
        ok = ours is not None and base is not None and ours.ok and base.ok
        ratio = ours.median / base.median if ok else None
        cpu = ours.cpu_median / base.cpu_median if ok else None
        out.append([f"{label} (against {base_label}: {m._s(base)} s)", m._s(ours), m._mb(ours), "", "",
                    f"{ratio:.2f}" if ratio is not None else "", f"{cpu:.2f}" if cpu is not None else "",
                    f"≤ {limit} ×", m._verdict(ratio, limit)])

    def alone(label: str, ours: Any, limit: float) -> None:
        value = ours.median if ours is not None and ours.ok else None
        out.append([label, m._s(ours), m._mb(ours), "", "", "", "", f"≤ {limit} s",
                    m._verdict(value, limit)])

    ratio_row("cyber DOCX in the 1,464-source archive", r.get("archive/cyber"),
              r.get("archive/cyber-repo"), 1.2, "the repository's 5 sources")
    alone("`check` of the 1,464-source archive after editing one text", r.get("archive/check-edited"),
          0.3)
    ratio_row("`check --full` of the 1,464-source archive", r.get("archive/check-full"),
              r.get("archive/check-no-index"), 1.0, "the same check without the index")
    alone("`briefgen search` over that archive, as a command", r.get("archive/search"), 0.3)
    inproc = r.get("archive/search-in-process")
    data = getattr(bench, "archive_search", {})
    p95, cpu_p95 = data.get("p95"), data.get("cpu_p95")
    cpu_note = f" (CPU: {cpu_p95:.4f} s)" if cpu_p95 is not None else ""
    out.append([("search over that archive in one process, 95th percentile of "
                 f"{len(inproc.times) if inproc and inproc.ok else 0} queries{cpu_note}"),
                f"{p95:.4f}" if p95 is not None else "n/m", m._mb(inproc), "", "", "", "", "≤ 0.05 s",
                m._verdict(p95, 0.05)])
    peaks = [r[k] for k in r if k.startswith("archive/") and k != "archive/check-no-index" and r[k].ok]
    peak = max((x.peak_mb for x in peaks), default=None)
    out.append(["peak memory, the archive rows above (highest run)", "",
                f"{peak:.0f}" if peak else "n/m", "", "", "", "", "≤ 150 MB", m._verdict(peak, 150)])
    return out


def table(bench: Any, m: ModuleType, info: dict[str, str]) -> str:
    """The archive rows alone (``run.py --only-archive``), as a Markdown table."""
    header = ["case", "briefgen s", "MB", "pandoc s", "MB", "ratio", "CPU ratio", "target", "verdict"]
    lines = [(f"briefgen archive rows, {info['date']}: whole processes, median wall-clock seconds "
             f"of {bench.runs} runs. Machine: {info['cpu']}, {info['cores']} cores; load average "
             f"before / after: {info['load_before']} / {info['load_after']}."), "",
             "| " + " | ".join(header) + " |", "|---" + "|:-:" * (len(header) - 1) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows(bench, m)]
    cpu = [f"- `{k}`: median CPU {v.cpu_median:.3f} s, wall {v.median:.3f} s"
           for k, v in sorted(bench.results.items()) if v.ok]
    errors = [f"- `{k}`: {v.error}" for k, v in sorted(bench.results.items()) if v.error]
    return "\n".join(lines + [""] + cpu + errors) + "\n"
