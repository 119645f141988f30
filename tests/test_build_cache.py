"""``build`` and ``check`` share each brief's findings in the index (``checkcache``).

A build whose lint and evidence checks are what ``check`` computes takes them from the
index while their inputs are unchanged, and otherwise works them out as ``check`` does
and keeps them. After every kind of edit, a build with the index must give exactly what
a build without it gives: its exit code, what it prints, and the bytes of its files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import checks
from briefgen.cli import main
from briefgen.commands import check as check_command
from briefgen.commands import lint as lint_command
from briefgen.index import INDEX_DIR, INDEX_FILE
from test_check_incremental import (
    UNCITED,
    add_uncited_source,
    cited,
    cited_record,
    edit_text,
    png,
    records,
    rewrite,
    untag,
)
from workspaces import ROOT, copy_repository_workspace

Built = tuple[int, str, list[str], dict[str, bytes]]


def build(root: Path, capsys, monkeypatch, *args: str, index: bool = True) -> Built:
    """Exit code, stdout, stderr lines and the files written, of ``build ARGS``."""
    out = root.parent / "out"
    shutil.rmtree(out, ignore_errors=True)
    monkeypatch.setenv("BRIEFGEN_NO_INDEX", "" if index else "1")
    code = main(["--root", str(root), "build", "--out", str(out), *args])
    got = capsys.readouterr()
    files = {p.name: p.read_bytes() for p in sorted(out.iterdir())} if out.is_dir() else {}
    return code, got.out, got.err.splitlines(), files


def same_as_without_index(root: Path, capsys, monkeypatch, recomputed: list[str],
                          *args: str) -> tuple[set[str], Built]:
    """Build with the index, then without it: the same. Then again with the index, which
    now takes every brief's findings from it, still the same. Returns the briefs the
    first build worked out, and what it gave."""
    args = args or ("--all", "--format", "docx")
    recomputed.clear()
    incremental = build(root, capsys, monkeypatch, *args)
    found = set(recomputed)
    bare = build(root, capsys, monkeypatch, *args, index=False)
    assert incremental == bare
    recomputed.clear()
    assert build(root, capsys, monkeypatch, *args) == bare
    assert recomputed == []
    return found, incremental


@pytest.fixture
def no_checks(monkeypatch):
    """The brief's lint and the evidence checks may not run (their findings are reused)."""

    def refuse(*args, **kwargs):
        raise AssertionError("worked out again, not taken from the index")

    monkeypatch.setattr(checks, "run", refuse)
    monkeypatch.setattr(lint_command, "lint_brief", refuse)


def test_each_edit_gives_what_a_build_without_the_index_gives(tmp_path, capsys, monkeypatch,
                                                                recomputed):
    root = copy_repository_workspace(tmp_path / "ws")
    add_uncited_source(root)
    topics = sorted(cited(root))
    seeds = root / "seeds"

    found, first = same_as_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set(topics) and first[0] == 0 and len(first[3]) == len(topics)

    # A source no brief cites: no brief's findings change.
    edit_text(seeds / f"{UNCITED}.txt", "compare notes", "compare their notes")
    found, _ = same_as_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set()
    edit_text(seeds / f"{UNCITED}.txt", "compare their notes", "compare notes")

    # A spec: an uncited statement of fact. Only that brief is worked out again.
    topic = topics[0]
    rewrite(root / "briefs" / f"{topic}.yaml",
            lambda data: data["bluf"].append("Allies held 42 exercises in 2023."))
    found, result = same_as_without_index(root, capsys, monkeypatch, recomputed)
    assert found == {topic} and any("statement of fact without a citation" in line for line in result[2])

    # A cited record: the extract loses its topic.
    name, key, users = cited_record(root)
    untag(seeds / name, key)
    found, result = same_as_without_index(root, capsys, monkeypatch, recomputed)
    assert users <= found and any(f"extract '{key}' is not tagged" in line for line in result[2])

    # A cited extract's quotation, shortened: it still stands in its text, and the notes
    # quote it as it now reads.
    data = records(root)[name]
    quote = next(e["quote"] for e in data["extracts"] if e["id"] == key)
    words = quote.split()

    def shorten(data: dict) -> None:
        for e in data["extracts"]:
            if e["id"] == key:
                e["quote"] = " ".join(words[:max(3, len(words) - 2)])

    rewrite(seeds / name, shorten)
    found, _ = same_as_without_index(root, capsys, monkeypatch, recomputed)
    assert users <= found

    # A cited text: the quotation no longer stands in it (the build fails as without the
    # index), then put back.
    text = seeds / data["source"]["text"]
    before = text.read_text(encoding="utf-8")
    word = max((w for w in words if w.isalpha()), key=len)
    text.write_text(before.replace(word, word + "zz"), encoding="utf-8")
    _, result = same_as_without_index(root, capsys, monkeypatch, recomputed)
    assert result[0] == 2
    _, result = same_as_without_index(root, capsys, monkeypatch, recomputed, "--all", "--format",
                                      "docx", "--keep-going")
    assert result[0] == 2
    text.write_text(before, encoding="utf-8")
    same_as_without_index(root, capsys, monkeypatch, recomputed)

    # Settings (a sourcing threshold) and the template: every brief.
    edit_text(root / "templates" / "settings.yaml", "max_source_share: 0.5", "max_source_share: 0.2")
    found, result = same_as_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set(topics) and any("one source carries" in line for line in result[2])
    with (root / "templates" / "brief.md.j2").open("a", encoding="utf-8") as fh:
        fh.write("{# edited #}\n")
    found, _ = same_as_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set(topics)

    # A figure: named before its file exists (the build fails), then saved into figures/.
    def figure(data: dict) -> None:
        data["sections"][0]["paragraphs"].append('![A map of the region](figures/map.png "The region")')

    rewrite(root / "briefs" / f"{topics[1]}.yaml", figure)
    _, result = same_as_without_index(root, capsys, monkeypatch, recomputed)
    assert result[0] == 2
    (root / "figures").mkdir()
    (root / "figures" / "map.png").write_bytes(png())
    found, result = same_as_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set(topics) and result[0] == 0 and f"{topics[1]}.docx" in result[3]

    # Files renamed and deleted.
    os.rename(seeds / f"{UNCITED}.yaml", seeds / "zz-renamed.yaml")
    _, result = same_as_without_index(root, capsys, monkeypatch, recomputed)
    assert result[0] == 2  # its id no longer matches its file's name
    for path in seeds.glob("zz-*"):
        path.unlink()
    same_as_without_index(root, capsys, monkeypatch, recomputed)
    other, other_key, other_users = cited_record(root)
    (seeds / other).unlink()
    _, result = same_as_without_index(root, capsys, monkeypatch, recomputed)
    assert result[0] == 2 and any(other_key in line for line in result[2]), result[2]
    _, result = same_as_without_index(root, capsys, monkeypatch, recomputed, "--all", "--format",
                                      "docx", "--keep-going")
    assert result[0] == 2
    (root / "briefs" / f"{topics[0]}.yaml").unlink()  # no brief cites it now
    found, result = same_as_without_index(root, capsys, monkeypatch, recomputed)
    if other_users <= {topics[0]}:
        assert result[0] == 0
    topics = topics[1:]

    # The flags that change the lint: each its own findings.
    same_as_without_index(root, capsys, monkeypatch, recomputed, "--all", "--format", "docx",
                          "--strict")
    same_as_without_index(root, capsys, monkeypatch, recomputed, "--all", "--format", "docx",
                          "--archived-only")
    found, _ = same_as_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set()  # kept apart: toggling a flag does not overwrite the others

    # A review copy and an annex need the findings themselves: worked out, not kept.
    for flag in ("--review", "--annex"):
        recomputed.clear()
        assert (build(root, capsys, monkeypatch, topics[0], "--format", "docx", flag)
                == build(root, capsys, monkeypatch, topics[0], "--format", "docx", flag, index=False))
        assert recomputed == []

    # The index deleted, then damaged: the same build.
    shutil.rmtree(root / INDEX_DIR)
    found, _ = same_as_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set(topics)
    path = root / INDEX_DIR / INDEX_FILE
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(os.urandom(8000))
    bare = build(root, capsys, monkeypatch, "--all", "--format", "docx", index=False)
    code, out, err, files = build(root, capsys, monkeypatch, "--all", "--format", "docx")
    assert (code, out, files) == bare[:2] + bare[3:]
    # besides the index's own warning
    assert len(err) == len(bare[2]) + 1 and [line for line in err if "rebuilding" not in line] == bare[2]
    assert build(root, capsys, monkeypatch, "--all", "--format", "docx") == bare


def test_a_build_then_a_check_and_a_check_then_a_build_share_the_findings(
        tmp_path, capsys, monkeypatch, recomputed):
    root = copy_repository_workspace(tmp_path / "ws")
    topics = sorted(cited(root))
    bare = build(root, capsys, monkeypatch, "--all", "--format", "docx", index=False)
    assert build(root, capsys, monkeypatch, "--all", "--format", "docx") == bare
    assert sorted(recomputed) == topics

    # the check after the build takes every brief's findings from the index ...
    recomputed.clear()
    monkeypatch.setenv("BRIEFGEN_NO_INDEX", "")
    code = main(["--root", str(root), "check", "--json"])
    reused = capsys.readouterr().out
    assert recomputed == []
    monkeypatch.setenv("BRIEFGEN_NO_INDEX", "1")
    assert main(["--root", str(root), "check", "--json"]) == code
    assert capsys.readouterr().out == reused  # ... and reports what a check without it does

    # a check after a spec's edit works that brief out; the build after it reuses them all
    rewrite(root / "briefs" / f"{topics[0]}.yaml",
            lambda data: data["bluf"].append("Allies held 42 exercises in 2023."))
    bare = build(root, capsys, monkeypatch, "--all", "--format", "docx", index=False)
    recomputed.clear()
    monkeypatch.setenv("BRIEFGEN_NO_INDEX", "")
    main(["--root", str(root), "check"])
    capsys.readouterr()
    assert recomputed == [topics[0]]
    with monkeypatch.context() as patched:
        patched.setattr(checks, "run", lambda *a, **k: (_ for _ in ()).throw(AssertionError("ran")))
        patched.setattr(lint_command, "lint_brief",
                        lambda *a, **k: (_ for _ in ()).throw(AssertionError("ran")))
        assert build(root, capsys, monkeypatch, "--all", "--format", "docx") == bare
    assert recomputed == [topics[0]]


def test_a_build_that_works_the_findings_out_composes_once(tmp_path, capsys, monkeypatch,
                                                            recomputed):
    from briefgen import compose

    root = copy_repository_workspace(tmp_path / "ws")
    topic = sorted(cited(root))[0]
    bare = build(root, capsys, monkeypatch, topic, "--format", "both", "--email", index=False)
    composed: list[str] = []
    real = compose.compose

    def counting(ws, loaded, *args, **kwargs):
        composed.append(loaded.brief.topic)
        return real(ws, loaded, *args, **kwargs)

    monkeypatch.setattr(compose, "compose", counting)
    assert build(root, capsys, monkeypatch, topic, "--format", "both", "--email") == bare
    assert recomputed == [topic] and composed == [topic]  # checked, and composed once
    composed.clear()
    assert build(root, capsys, monkeypatch, topic, "--format", "both", "--email") == bare
    assert recomputed == [topic] and composed == [topic]  # reused: composed, not checked


def test_reused_findings_in_a_build_that_draws_the_pdf_beside(tmp_path):
    """The command itself (its PDF drawn by a forked child, ``beside.py``) after a check:
    its findings from the index (the lint of the brief and the checks made to fail), its
    files and warnings those of a build without the index."""
    root = copy_repository_workspace(tmp_path / "ws")
    topic = sorted(cited(root))[0]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    refuse = ("import sys\n"
              "from briefgen import checks\n"
              "from briefgen.commands import lint\n"
              "def boom(*args, **kwargs):\n"
              "    raise AssertionError('worked out again')\n"
              "checks.run = lint.lint_brief = boom\n")

    def command(out: str, prelude: str = "", **extra: str) -> tuple[int, str, str, dict[str, bytes]]:
        argv = ["briefgen", "--root", str(root), "build", topic, "--out", str(tmp_path / out)]
        script = f"{prelude}import sys\nsys.argv = {argv!r}\nfrom briefgen.cli import main\nsys.exit(main())\n"
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env={**env, **extra})
        files = {p.name: p.read_bytes() for p in sorted((tmp_path / out).iterdir())}
        return done.returncode, done.stdout.replace(str(tmp_path / out), "OUT"), done.stderr, files

    bare = command("bare", BRIEFGEN_NO_INDEX="1")
    subprocess.run([sys.executable, "-m", "briefgen", "--root", str(root), "check"],
                   capture_output=True, env=env, check=False)
    assert command("reused", refuse) == bare and len(bare[3]) == 2


def test_a_stored_result_without_the_checks_field_is_worked_out_again(
        tmp_path, capsys, monkeypatch, recomputed):
    """A row an older briefgen wrote (the evidence checks' findings inside ``compose``)
    is not read as one whose checks found nothing."""
    import json
    import sqlite3

    root = copy_repository_workspace(tmp_path / "ws")
    topic, keys = sorted(cited(root).items())[0]
    # a detail its evidence does not hold: a finding of the evidence checks
    rewrite(root / "briefs" / f"{topic}.yaml", lambda data: data["bluf"].append(
        f"The allies held 97 exercises in Ulaanbaatar [@{sorted(keys)[0]}]."))
    bare = build(root, capsys, monkeypatch, "--all", "--format", "docx", index=False)
    assert build(root, capsys, monkeypatch, "--all", "--format", "docx") == bare
    with sqlite3.connect(root / INDEX_DIR / INDEX_FILE) as conn:
        rows = conn.execute("SELECT topic, result FROM briefs WHERE topic != ''").fetchall()
        olds = {topic: json.loads(result) for topic, result in rows}
        olds = {topic: old for topic, old in olds.items() if old["checks"]}
        assert olds, "no brief has an evidence-check finding to lose"
        for topic, old in olds.items():
            old["compose"] += old.pop("checks")
            conn.execute("UPDATE briefs SET result = ? WHERE topic = ?", (json.dumps(old), topic))
    recomputed.clear()
    assert build(root, capsys, monkeypatch, "--all", "--format", "docx") == bare
    assert sorted(recomputed) == sorted(olds)


def test_a_spec_saved_again_while_its_findings_are_looked_up_is_worked_out_anew(
        tmp_path, capsys, monkeypatch, recomputed):
    """The findings are those of the spec the build reads, not of the one the index
    keyed them on, when an editor saves it in between."""
    from briefgen.checkcache import BriefCache

    root = copy_repository_workspace(tmp_path / "ws")
    topic = sorted(cited(root))[0]
    spec = root / "briefs" / f"{topic}.yaml"
    original = spec.read_bytes()
    assert build(root, capsys, monkeypatch, topic, "--format", "docx")[0] == 0  # kept
    rewrite(spec, lambda data: data["bluf"].append("Allies held 42 exercises in 2023."))
    edited = spec.read_bytes()
    bare = build(root, capsys, monkeypatch, topic, "--format", "docx", index=False)
    assert any("statement of fact without a citation" in line for line in bare[2])
    spec.write_bytes(original)
    real = BriefCache.get

    def get_then_edit(self, name):
        got = real(self, name)
        assert got is not None  # the original's findings, from the index
        spec.write_bytes(edited)  # saved just after the look-up
        return got

    monkeypatch.setattr(BriefCache, "get", get_then_edit)
    recomputed.clear()
    assert build(root, capsys, monkeypatch, topic, "--format", "docx") == bare
    assert recomputed == [topic]


def test_the_code_digest_moves_with_every_change_to_the_package(tmp_path):
    """briefgen's code is known by each file's stat, not its bytes: an edit moves the
    digest even when it keeps the size and sets the mtime back (the ctime moves); a data
    file added moves it; a module compiled again (``__pycache__``) does not."""
    import time

    from briefgen import checkcache

    package = tmp_path / "briefgen"
    (package / "data").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    module = package / "notes.py"
    module.write_text("LIMIT = 10\n", encoding="utf-8")
    (package / "data" / "settings.yaml").write_text("a: 1\n", encoding="utf-8")
    first = checkcache._code_digest(str(package))
    assert checkcache._code_digest(str(package)) == first
    (package / "__pycache__" / "notes.cpython-311.pyc").write_bytes(b"\0")
    (package / "README.txt").write_text("not code\n", encoding="utf-8")
    assert checkcache._code_digest(str(package)) == first
    stamp = module.stat().st_mtime_ns
    time.sleep(0.02)
    module.write_text("LIMIT = 99\n", encoding="utf-8")  # same size
    os.utime(module, ns=(stamp, stamp))  # and the mtime it had
    second = checkcache._code_digest(str(package))
    assert second != first
    (package / "data" / "extra.icc").write_bytes(b"\1")
    assert checkcache._code_digest(str(package)) not in (first, second)


def test_another_copy_of_a_library_the_findings_depend_on_changes_their_key(tmp_path, monkeypatch):
    """A library that shapes the findings (here one standing in for markdown-it) installed
    anew: briefgen's code digest, which every stored result is keyed on, changes."""
    import importlib

    from briefgen import checkcache

    package = tmp_path / "site" / "stand_in_library"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("VERSION = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    importlib.invalidate_caches()
    monkeypatch.setattr(checkcache, "LIBRARIES", (*checkcache.LIBRARIES, "stand_in_library"))
    first = checkcache._code_digest()
    assert checkcache._code_digest() == first  # the same copy: the same digest
    shutil.rmtree(package)  # another version installed in its place
    package.mkdir()
    (package / "__init__.py").write_text("VERSION = 22\n", encoding="utf-8")
    importlib.invalidate_caches()
    assert checkcache._code_digest() != first
    shutil.rmtree(package)  # and none at all
    importlib.invalidate_caches()
    assert checkcache._code_digest() != first


@pytest.mark.parametrize("moved", [None, "extract", "spec"])
def test_findings_whose_inputs_moved_while_worked_out_are_not_kept(tmp_path, capsys, monkeypatch,
                                                                   recomputed, moved):
    """An input that changes while a build works a brief's findings out (a record of an
    extract it cites, indexed anew by another process; its spec, saved again) is seen when
    the work is done: the findings are not kept under values they were not worked out
    from. Nothing moved: they are kept."""
    import sqlite3

    from briefgen.index import index_path

    root = copy_repository_workspace(tmp_path / "ws")
    _, extract, users = cited_record(root)
    topic = sorted(users)[0]
    spec = root / "briefs" / f"{topic}.yaml"
    real = check_command._check_brief

    def moving(*args, **kwargs):
        result = real(*args, **kwargs)
        if moved == "extract":
            with sqlite3.connect(index_path(root)) as conn:
                conn.execute("UPDATE files SET hash = hash || '-moved' WHERE id IN "
                             "(SELECT file_id FROM extracts WHERE id = ?)", (extract,))
            conn.close()
        elif moved == "spec":
            spec.write_text(spec.read_text(encoding="utf-8") + "# saved again\n", encoding="utf-8")
        return result

    monkeypatch.setattr(check_command, "_check_brief", moving)
    assert build(root, capsys, monkeypatch, topic, "--format", "docx")[0] == 0
    with sqlite3.connect(index_path(root)) as conn:
        kept = conn.execute("SELECT count(*) FROM briefs WHERE topic = ?", (topic,)).fetchone()[0]
    conn.close()
    assert kept == (1 if moved is None else 0)


def test_a_build_that_works_the_findings_out_writes_the_docx_before_the_checks(
        tmp_path, capsys, monkeypatch, recomputed):
    """Working the findings out, a build writes the DOCX as soon as the document is
    complete, its zip compressed while the checks run: the files and warnings of a build
    without the index. Not when a child draws the PDF beside it (not in process)."""
    from briefgen.writers import docx

    root = copy_repository_workspace(tmp_path / "ws")
    topic = sorted(cited(root))[0]
    bare = build(root, capsys, monkeypatch, topic, "--format", "both", index=False)
    order: list[str] = []
    start, run = docx.start_docx, checks.run

    def starting(*args, **kwargs):
        order.append("docx")
        return start(*args, **kwargs)

    def checking(*args, **kwargs):
        order.append("checks")
        return run(*args, **kwargs)

    monkeypatch.setattr(docx, "start_docx", starting)
    monkeypatch.setattr(checks, "run", checking)
    assert build(root, capsys, monkeypatch, topic, "--format", "both") == bare
    assert recomputed == [topic] and order == ["docx", "checks"]
    order.clear()
    recomputed.clear()
    assert build(root, capsys, monkeypatch, topic, "--format", "both") == bare
    assert recomputed == [] and order == []  # taken from the index: rendered after, unchecked


@pytest.mark.parametrize("email", [False, True])
def test_the_archive_is_loaded_once_and_let_go_before_the_last_files_are_drawn(
        tmp_path, capsys, monkeypatch, email):
    """A build of every topic loads the archive once. The last topic's files are drawn
    after it is let go (the writers read only the document, and a large brief's PDF needs
    that memory); with ``--email``, whose source list reads the archive after the PDF, it
    is kept. The files are those of a build without the index, which loads it the same way."""
    import briefgen.corpus
    from briefgen.commands import build as build_command
    from briefgen.workspace import Workspace

    root = copy_repository_workspace(tmp_path / "ws")
    topics = sorted(p.stem for p in (root / "briefs").glob("*.yaml"))
    args = ["--all", "--format", "pdf"] if not email else [topics[-1], "--format", "pdf", "--email"]
    bare = build(root, capsys, monkeypatch, *args, index=False)
    events: list[str] = []
    load, forget, render = briefgen.corpus.load_corpus, Workspace.forget, build_command.render

    def loading(*a, **k):
        events.append("load")
        return load(*a, **k)

    def forgetting(self, **k):
        events.append("forget")
        return forget(self, **k)

    def drawing(doc, fmt, *a, **k):
        events.append(f"{fmt} {doc.meta.topic}")
        return render(doc, fmt, *a, **k)

    monkeypatch.setattr(briefgen.corpus, "load_corpus", loading)
    monkeypatch.setattr(Workspace, "forget", forgetting)
    monkeypatch.setattr(build_command, "render", drawing)
    for _ in range(2):  # findings worked out, then taken from the index
        events.clear()
        assert build(root, capsys, monkeypatch, *args) == bare
        drawn = [e for e in events if e.startswith("pdf ")]
        assert events.count("load") == 1 and events[0] == "load"
        assert len(drawn) == (1 if email else len(topics))
        if email:
            assert "forget" not in events
        else:
            assert events[-2:] == ["forget", drawn[-1]] and events.count("forget") == 1
