"""The archive index is a cache: never stale, never wrong, and never in the way.

Every test compares what briefgen makes with the index against what it makes without
one (``BRIEFGEN_NO_INDEX=1``, or ``load_corpus`` with no index): after editing a text or
a record, renaming, deleting, touching files, running two builds at once, and with a
corrupt, outdated or locked index file. Expectations come from the files in ``seeds/``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from briefgen import archive
from briefgen.checks import known_names
from briefgen.cli import main
from briefgen.corpus import load_corpus
from briefgen.index import INDEX_DIR, INDEX_FILE, ArchiveIndex
from workspaces import ROOT, copy_repository_workspace, locked_index, make_workspace

SRC = ROOT / "src"


def view(corpus, problems) -> tuple:
    """Everything a load gives, as plain data to compare."""
    return (
        [str(p) for p in problems],
        sorted(corpus.broken),
        [(k, r.source.id, dataclasses.asdict(r)) for k, r in corpus.extracts.items()],
        [(k, r.path, r.line, r.text_path, r.source.model_dump(),
          [(p.line, p.number, p.text, p.furniture, p.end_line) for p in r.paragraphs])
         for k, r in corpus.sources.items()],
        [dataclasses.astuple(i) for i in corpus.catalogue()],
        corpus.source_catalogue(),
        corpus.topic_counts(),
        sorted(known_names(corpus)),
        # what the lint asks of each topic (and of one no extract carries)
        [(topic, [dataclasses.astuple(i) for i in corpus.by_topic(topic)],
          dataclasses.astuple(first) if (first := corpus.first_with_topic(topic)) else None)
         for topic in [*corpus.topic_counts(), "no-such-topic"]],
    )


@contextlib.contextmanager
def opened(root: Path) -> Iterator[ArchiveIndex]:
    """The workspace's index, open (a problem opening it fails the test), then closed."""
    index = ArchiveIndex.open(root, pytest.fail)
    assert index is not None
    try:
        yield index
    finally:
        index.close()


def with_index(root: Path, *, full: bool = False) -> tuple:
    with opened(root) as index:
        return view(*load_corpus(root / "seeds", root, index=index, full=full))


def without_index(root: Path) -> tuple:
    return view(*load_corpus(root / "seeds", root))


def records(root: Path) -> list[Path]:
    return sorted((root / "seeds").glob("*.yaml"))


def record_data(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def age(root: Path, seconds: float = 60) -> None:
    """Date every file of the archive back, as files that were not just written."""
    then = time.time() - seconds
    for path in (root / "seeds").iterdir():
        os.utime(path, (then, then))


# --------------------------------------------------------------------------- edits


def edit_text_shift(root: Path) -> str:
    """A line put before a text's first paragraph: every paragraph number moves."""
    rec = records(root)[0]
    text = root / "seeds" / record_data(rec)["source"]["text"]
    text.write_text("An inserted line.\n\n" + text.read_text(encoding="utf-8"), encoding="utf-8")
    return rec.name


def edit_text_break_quote(root: Path) -> str:
    """A word of a quoted passage changed in the text: that extract no longer verifies."""
    rec = records(root)[-1]
    data = record_data(rec)
    text = root / "seeds" / data["source"]["text"]
    word = max(data["extracts"][0]["quote"].split(), key=len)
    body = text.read_text(encoding="utf-8")
    assert word in body
    text.write_text(body.replace(word, "Zzyzx", 1), encoding="utf-8")
    return rec.name


def edit_record_topics(root: Path) -> str:
    rec = records(root)[0]
    body = rec.read_text(encoding="utf-8")
    assert "topics: [" in body
    rec.write_text(body.replace("topics: [", "topics: [a-new-topic, ", 1), encoding="utf-8")
    return rec.name


def edit_record_quote(root: Path) -> str:
    """An extract's quotation shortened by its first word: it still verifies, elsewhere."""
    rec = records(root)[0]
    quote = record_data(rec)["extracts"][0]["quote"]
    first = quote.split()[0]
    body = rec.read_text(encoding="utf-8")
    rec.write_text(body.replace(quote, quote[len(first) + 1:], 1), encoding="utf-8")
    return rec.name


def rename_source(root: Path) -> str:
    """Record and text renamed, with the id and text fields that name them."""
    rec = records(root)[0]
    data = record_data(rec)
    old_id, old_text = data["source"]["id"], data["source"]["text"]
    new_id = "renamed-" + old_id
    (root / "seeds" / old_text).rename(root / "seeds" / f"{new_id}.txt")
    body = rec.read_text(encoding="utf-8").replace(f"id: {old_id}", f"id: {new_id}", 1)
    body = body.replace(f"text: {old_text}", f"text: {new_id}.txt", 1)
    rec.unlink()
    (root / "seeds" / f"{new_id}.yaml").write_text(body, encoding="utf-8")
    return f"{new_id}.yaml"


def rename_record_only(root: Path) -> str:
    rec = records(root)[0]
    rec.rename(rec.with_name("zz-" + rec.name))
    return "zz-" + rec.name


def delete_record(root: Path) -> None:
    records(root)[0].unlink()


def delete_text(root: Path) -> str:
    rec = records(root)[0]
    (root / "seeds" / record_data(rec)["source"]["text"]).unlink()
    return rec.name


def duplicate_source(root: Path) -> str:
    """A second record that claims an existing source id (and repeats its extract ids)."""
    rec = records(root)[0]
    shutil.copy(rec, rec.with_name("zz-copy.yaml"))
    return "zz-copy.yaml"


def duplicate_source_alone(root: Path) -> str:
    """A second record that claims an existing source id, with extract ids of its own."""
    import re

    rec = records(root)[0]
    body = re.sub(r"^(\s*- id: )(\S+)", r"\1zz-\2", rec.read_text(encoding="utf-8"), flags=re.M)
    assert body != rec.read_text(encoding="utf-8")
    rec.with_name("zz-same-source.yaml").write_text(body, encoding="utf-8")
    return "zz-same-source.yaml"


def duplicate_extracts(root: Path) -> str:
    """A new source whose extracts reuse ids of another record."""
    rec = records(root)[0]
    data = record_data(rec)
    old_id, old_text = data["source"]["id"], data["source"]["text"]
    shutil.copy(root / "seeds" / old_text, root / "seeds" / "zz-other.txt")
    body = rec.read_text(encoding="utf-8").replace(f"id: {old_id}", "id: zz-other", 1)
    (root / "seeds" / "zz-other.yaml").write_text(
        body.replace(f"text: {old_text}", "text: zz-other.txt", 1), encoding="utf-8")
    return "zz-other.yaml"


def break_yaml(root: Path) -> str:
    rec = records(root)[0]
    rec.write_text(rec.read_text(encoding="utf-8") + "\n  - [unclosed\n", encoding="utf-8")
    return rec.name


EDITS = {f.__name__: f for f in (
    edit_text_shift, edit_text_break_quote, edit_record_topics, edit_record_quote, rename_source,
    rename_record_only, delete_record, delete_text, duplicate_source, duplicate_source_alone,
    duplicate_extracts, break_yaml)}


@pytest.mark.parametrize("workspace", ["small", "repository"])
@pytest.mark.parametrize("edit", list(EDITS))
def test_after_an_edit_the_index_gives_what_the_files_give(tmp_path, edit, workspace, verified):
    root = make_workspace(tmp_path) if workspace == "small" else copy_repository_workspace(tmp_path)
    age(root)
    before = without_index(root)
    verified.clear()
    assert with_index(root) == before  # the first load fills the index
    assert len(verified) == len(records(root))
    verified.clear()
    assert with_index(root) == before  # the second reads it
    assert verified == []
    changed = EDITS[edit](root)
    after = without_index(root)
    assert after != before, "the edit changes what the archive gives"
    verified.clear()
    assert with_index(root) == after
    assert verified == ([changed] if changed else [])  # only the changed record is verified
    verified.clear()
    assert with_index(root) == after
    assert verified == []
    kept, noted = index_rows(root), totals(root)  # totals noted from what the edit changed
    shutil.rmtree(root / INDEX_DIR)
    with_index(root)
    assert {**index_rows(root), "totals": None} == {**kept, "totals": None}
    assert totals(root) == noted  # are those of an index filled from scratch


@pytest.mark.parametrize("order", range(4))
def test_edits_one_after_another_keep_what_a_fresh_index_gives(tmp_path, order):
    """The totals a write notes build on those noted by the write before: after every
    step of a chain of edits (one order of them per case, the same on every run), the
    index gives what the files give, and its rows and totals are those of an index
    filled from scratch."""
    import random

    root = make_workspace(tmp_path / "chain")
    age(root)
    with_index(root)
    chain = random.Random(order).sample(sorted(EDITS), 6)
    for step, edit in enumerate(chain):
        try:
            EDITS[edit](root)
        except (IndexError, OSError, AssertionError, KeyError, TypeError, yaml.YAMLError):
            pass  # an earlier edit made this one impossible (its record gone or broken)
        age(root, 60 - step)
        assert with_index(root) == without_index(root), (chain, step)
        fresh = tmp_path / f"fresh-{step}"
        shutil.copytree(root, fresh, ignore=shutil.ignore_patterns(INDEX_DIR))
        with_index(fresh)
        assert totals(root) == totals(fresh), (chain, step)
        assert ({**index_rows(root, inodes=False), "totals": None}
                == {**index_rows(fresh, inodes=False), "totals": None}), (chain, step)


def totals(root: Path) -> dict:
    """What the index says spans the archive (topic counts, whether an id is used twice)."""
    with opened(root) as index:
        return index._totals()


def test_touching_files_verifies_nothing_again(tmp_path, verified):
    root = copy_repository_workspace(tmp_path)
    age(root, 120)
    expected = without_index(root)
    with_index(root)
    verified.clear()
    age(root, 30)  # every file touched: a new mtime, the same bytes
    assert with_index(root) == expected
    assert verified == []  # hashed, found unchanged, not verified again


def test_an_edit_within_the_same_second_is_seen(tmp_path, verified):
    """A file recorded just after a change may change again within the clock's
    resolution: its mtime is not trusted, its hash decides."""
    root = make_workspace(tmp_path)
    rec = records(root)[0]
    stamp = os.stat(rec).st_mtime_ns
    with_index(root)  # recorded at once: mtime too recent to trust
    body = rec.read_text(encoding="utf-8")
    swapped = body.replace("The Daily Example", "The Daily Exampl3", 1)  # same size
    assert len(swapped) == len(body) and swapped != body
    rec.write_text(swapped, encoding="utf-8")
    os.utime(rec, ns=(stamp, stamp))  # and the same mtime
    expected = without_index(root)
    verified.clear()
    assert with_index(root) == expected
    assert verified == [rec.name]


def test_an_edit_that_keeps_size_and_mtime_is_seen(tmp_path, verified, monkeypatch):
    """An edit of the same size whose mtime is set back (``touch -d``, ``cp -p``, a sync
    tool) long after the index trusted the file's stat: the ctime, which no one can set
    back, gives it away; a search's freshness check sees it too."""
    from briefgen import index as index_module

    monkeypatch.setattr(index_module, "RACY_SECONDS", 0.05)  # the stat is trusted soon
    root = make_workspace(tmp_path)
    rec = records(root)[0]
    stamp = os.stat(rec).st_mtime_ns
    time.sleep(0.1)
    with_index(root)
    time.sleep(0.1)
    with opened(root) as index:
        assert index.current(root / "seeds")  # every stat recorded and trusted
        verified.clear()
        with_index(root)
        assert verified == []
        body = rec.read_text(encoding="utf-8")
        swapped = body.replace("The Daily Example", "The Daily Exampl3", 1)  # same size
        assert len(swapped) == len(body) and swapped != body
        rec.write_text(swapped, encoding="utf-8")
        os.utime(rec, ns=(stamp, stamp))  # and the mtime it had
        assert os.stat(rec).st_mtime_ns == stamp and os.stat(rec).st_size == len(body)
        assert not index.current(root / "seeds")
    expected = without_index(root)
    verified.clear()
    assert with_index(root) == expected
    assert verified == [rec.name]


def test_a_rebuilt_index_is_not_current(tmp_path, monkeypatch):
    """After a damaged index is started again (empty), its freshness check does not answer
    from the file list of the index it replaced: the records are verified and stored again."""
    from briefgen import index as index_module

    monkeypatch.setattr(index_module, "RACY_SECONDS", 0.05)
    root = make_workspace(tmp_path)
    time.sleep(0.1)
    with_index(root)
    time.sleep(0.1)
    with opened(root) as index:
        assert index.current(root / "seeds")
        assert index.rebuild(lambda _: None, "a test")
        assert not index.current(root / "seeds")
    assert with_index(root) == without_index(root)


def test_an_edit_of_a_text_that_keeps_size_and_mtime_is_seen(tmp_path, verified, monkeypatch):
    """The same for an archived text: a word swapped for one of the same length, the
    text's mtime set back to what the index trusted."""
    from briefgen import index as index_module

    monkeypatch.setattr(index_module, "RACY_SECONDS", 0.05)
    root = copy_repository_workspace(tmp_path)
    rec = records(root)[-1]
    data = record_data(rec)
    text = root / "seeds" / data["source"]["text"]
    word = max(data["extracts"][0]["quote"].split(), key=len)
    time.sleep(0.1)
    with_index(root)
    time.sleep(0.1)
    verified.clear()
    with_index(root)
    assert verified == []  # every stat trusted
    before, stamp = text.read_text(encoding="utf-8"), os.stat(text).st_mtime_ns
    swapped = before.replace(word, word[::-1] if word[::-1] != word else "Z" * len(word), 1)
    assert len(swapped.encode()) == len(before.encode()) and swapped != before
    text.write_text(swapped, encoding="utf-8")
    os.utime(text, ns=(stamp, stamp))
    expected = without_index(root)
    assert any("quotation not found" in p for p in expected[0])
    verified.clear()
    assert with_index(root) == expected
    assert verified == [rec.name]


def test_a_duplicate_id_removed_again_leaves_the_index_as_a_fresh_one(tmp_path, verified):
    """Whether ids are used twice is noted when records are stored or forgotten: a
    duplicate added and removed again reads as before, and the index holds what one
    built from scratch holds."""
    root = make_workspace(tmp_path)
    age(root)
    before = without_index(root)
    assert with_index(root) == before
    for edit in (duplicate_source, duplicate_extracts):
        added = root / "seeds" / edit(root)
        expected = without_index(root)
        assert expected != before
        assert with_index(root) == expected
        with opened(root) as index:
            assert index.has_duplicates()
        added.unlink()
        added.with_suffix(".txt").unlink(missing_ok=True)
        verified.clear()
        assert with_index(root) == before
        assert verified == []
        with opened(root) as index:
            assert not index.has_duplicates()
        kept = index_rows(root)
        shutil.rmtree(root / INDEX_DIR)
        with_index(root)
        assert index_rows(root) == kept


def test_check_full_verifies_every_record(tmp_path, verified):
    root = copy_repository_workspace(tmp_path)
    age(root)
    expected = without_index(root)
    with_index(root)
    verified.clear()
    assert with_index(root, full=True) == expected
    assert sorted(verified) == [p.name for p in records(root)]


@pytest.mark.parametrize("edit", ["edit_text_break_quote", "duplicate_extracts", "break_yaml"])
def test_check_full_of_files_the_index_holds_gives_what_the_files_give(tmp_path, edit, verified):
    """A full load of records the index holds as they are verifies each again, and reads
    from the index only those that verified with no problem: with a record that has
    problems, with ids used twice (every record's result in memory) and with bad YAML."""
    root = copy_repository_workspace(tmp_path)
    EDITS[edit](root)
    age(root)
    expected = without_index(root)
    assert expected[0]
    with_index(root)
    for _ in range(2):  # the rows as stored, then as this full load left them
        verified.clear()
        assert with_index(root, full=True) == expected
        assert sorted(verified) == [p.name for p in records(root)]


def test_records_round_trip_through_the_index(tmp_path):
    """What the index stores of each record makes the same models again."""
    root = copy_repository_workspace(tmp_path)
    expected = without_index(root)
    with_index(root)
    assert with_index(root) == expected


# --------------------------------------------------------------------------- builds


def build(root: Path, out: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(SRC), "SOURCE_DATE_EPOCH": "1700000000", **(env or {})}
    return subprocess.run([sys.executable, "-m", "briefgen", "--root", str(root), "build", "cyber",
                           "--out", str(out), *args], capture_output=True, text=True, env=environment,
                          timeout=120, check=False)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, dict[str, bytes], str]:
    """The repository's workspace, its cyber brief built without an index, and the
    warnings that build printed."""
    root = copy_repository_workspace(tmp_path_factory.mktemp("ref"))
    age(root)
    out = root / "no-index"
    done = build(root, out, env={"BRIEFGEN_NO_INDEX": "1"})
    assert done.returncode == 0, done.stderr
    assert not (root / INDEX_DIR / INDEX_FILE).exists()
    return root, files(out), done.stderr


def fresh_copy(reference, tmp_path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(reference[0], root, ignore=shutil.ignore_patterns("no-index", INDEX_DIR))
    return root


def test_builds_are_byte_identical_with_a_cold_and_a_warm_index(reference, tmp_path):
    root = fresh_copy(reference, tmp_path)
    for run in ("cold", "warm"):
        done = build(root, tmp_path / run)
        assert done.returncode == 0, done.stderr
        assert done.stderr == reference[2]
        assert files(tmp_path / run) == reference[1], run
    assert (root / INDEX_DIR / INDEX_FILE).is_file()
    assert (root / INDEX_DIR / ".gitignore").read_text().splitlines()[-1] == "*"


def test_two_builds_at_once(reference, tmp_path):
    root = fresh_copy(reference, tmp_path)
    environment = {**os.environ, "PYTHONPATH": str(SRC), "SOURCE_DATE_EPOCH": "1700000000"}
    for round_ in ("empty index", "after an edit"):
        procs = [subprocess.Popen([sys.executable, "-m", "briefgen", "--root", str(root), "build",
                                   "cyber", "--out", str(tmp_path / f"{round_}-{i}")],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=environment) for i in range(2)]
        for i, proc in enumerate(procs):
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            assert files(tmp_path / f"{round_}-{i}") == reference[1]
        # touch every file: the next round hashes them all at once in both processes
        age(root, 10)
    assert with_index(root) == without_index(root)


def test_a_build_that_found_no_index_keeps_the_one_another_made_meanwhile(tmp_path):
    """Two builds start together and both find no index. The second to take the write
    lock must keep the index the first made and filled, not empty it under the first
    build's feet (which then found none of the extracts its brief cites)."""
    from briefgen.index import _code_key, _create

    root = make_workspace(tmp_path / "ws")
    first = with_index(root)  # made and filled
    late = sqlite3.connect(root / INDEX_DIR / INDEX_FILE, isolation_level=None)
    try:
        _create(late, _code_key())  # what the second build does, having found no file
    finally:
        late.close()
    with opened(root) as index:
        assert index.count() == len(records(root))
    assert with_index(root) == first


def test_a_corrupt_index_is_rebuilt_with_a_warning(reference, tmp_path):
    root = fresh_copy(reference, tmp_path)
    assert build(root, tmp_path / "first").returncode == 0
    path = root / INDEX_DIR / INDEX_FILE
    good = path.read_bytes()
    damages = {
        "garbage": os.urandom(5000),
        "truncated": good[: len(good) // 3],
        "pages overwritten": b"".join(good[i:i + 4096][:200] + b"\xff" * (len(good[i:i + 4096]) - 200)
                                      for i in range(0, len(good), 4096)),
    }
    for name, damaged in damages.items():
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.write_bytes(damaged)
        done = build(root, tmp_path / name)
        assert done.returncode == 0, (name, done.stderr)
        assert files(tmp_path / name) == reference[1], name
        first, *rest = done.stderr.splitlines(keepends=True)
        assert "index.sqlite" in first and "rebuilding" in first, name
        assert "".join(rest) == reference[2]
        again = build(root, tmp_path / f"{name}-again")  # rebuilt: no warning any more
        assert again.returncode == 0 and again.stderr == reference[2], again.stderr
        assert files(tmp_path / f"{name}-again") == reference[1]


@pytest.mark.parametrize("value", ["{", "42", "null", b"\x00\x01", '{"topics": []}',
                                   '{"duplicates": false}', '{"duplicates": 0, "topics": {}}',
                                   '{"duplicates": false, "topics": {"cyber": "2"}}'])
def test_damaged_totals_are_counted_again(tmp_path, verified, value):
    """The archive's totals noted in the index are derived from its tables: a note that
    is not what briefgen writes is not believed but counted again, the archive is not
    verified again for it, and the next write notes the totals afresh."""
    root = make_workspace(tmp_path / "ws")
    age(root)
    expected = without_index(root)
    assert with_index(root) == expected
    fresh = totals(root)
    conn = sqlite3.connect(root / INDEX_DIR / INDEX_FILE)
    with conn:
        assert conn.execute("UPDATE meta SET value = ? WHERE key = 'totals'", (value,)).rowcount == 1
    conn.close()
    verified.clear()
    assert with_index(root) == expected
    assert verified == []
    assert totals(root) == fresh
    edit_text_shift(root)
    assert with_index(root) == without_index(root)
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(INDEX_DIR))
    with_index(copy)
    assert totals(root) == totals(copy)


@pytest.mark.parametrize("link", [INDEX_DIR, f"{INDEX_DIR}/{INDEX_FILE}", f"{INDEX_DIR}/{INDEX_FILE}-wal"])
def test_an_index_behind_a_link_is_neither_read_nor_written(reference, tmp_path, link):
    """A link could lead the index (trusted as verified) to a file outside the workspace."""
    root = fresh_copy(reference, tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / Path(link).name
    if link == INDEX_DIR:
        target.mkdir()
    else:
        (root / INDEX_DIR).mkdir(exist_ok=True)
        target.write_bytes(b"")
    (root / link).symlink_to(target)
    before = sorted((p.relative_to(outside), p.stat().st_size) for p in outside.rglob("*"))
    done = build(root, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    first, *rest = done.stderr.splitlines(keepends=True)
    assert first == (f"warning: {link}: a link; briefgen keeps its index only inside the workspace, "
                     "so this run goes without it\n")
    assert "".join(rest) == reference[2]
    assert files(tmp_path / "out") == reference[1]
    assert sorted((p.relative_to(outside), p.stat().st_size) for p in outside.rglob("*")) == before


def test_an_index_of_another_version_is_rebuilt_with_a_warning(reference, tmp_path):
    root = fresh_copy(reference, tmp_path)
    assert build(root, tmp_path / "first").returncode == 0
    with sqlite3.connect(root / INDEX_DIR / INDEX_FILE) as conn:
        conn.execute("UPDATE meta SET value = '0:0.0.1:older' WHERE key = 'format'")
    done = build(root, tmp_path / "second")
    assert done.returncode == 0, done.stderr
    assert "another version" in done.stderr
    assert done.stderr.split("\n", 1)[1] == reference[2]
    assert files(tmp_path / "second") == reference[1]
    assert build(root, tmp_path / "third").stderr == reference[2]


def test_a_locked_index_is_passed_by(reference, tmp_path):
    root = fresh_copy(reference, tmp_path)
    assert build(root, tmp_path / "first").returncode == 0
    (root / "seeds" / min(p.name for p in (root / "seeds").glob("*.txt"))).touch()
    with locked_index(root / INDEX_DIR / INDEX_FILE):
        started = time.monotonic()
        done = build(root, tmp_path / "locked")
        assert done.returncode == 0, done.stderr
        assert time.monotonic() - started < 30
        assert done.stderr == reference[2]
        assert files(tmp_path / "locked") == reference[1]
    done = build(root, tmp_path / "after")
    assert done.returncode == 0 and done.stderr == reference[2]
    assert files(tmp_path / "after") == reference[1]


def test_no_compiled_template_is_kept_in_the_workspace(reference, tmp_path):
    """jinja2 would run a cached template's code outside the sandbox: nothing compiled on disk."""
    root = fresh_copy(reference, tmp_path)
    assert build(root, tmp_path / "a").returncode == 0
    kept = [p for p in (root / INDEX_DIR).rglob("*") if p.is_file()]
    assert kept and not [p for p in kept if "template" in p.name or p.suffix in {".cache", ".pyc"}
                         or "templates-" in str(p.parent)], kept


def test_deleting_the_index_changes_nothing(reference, tmp_path):
    root = fresh_copy(reference, tmp_path)
    assert build(root, tmp_path / "a").returncode == 0
    shutil.rmtree(root / INDEX_DIR)
    assert build(root, tmp_path / "b").returncode == 0
    assert files(tmp_path / "a") == files(tmp_path / "b") == reference[1]


def test_check_reports_the_same_with_and_without_index(tmp_path, capsys, monkeypatch):
    root = copy_repository_workspace(tmp_path)
    edit_text_break_quote(root)  # an error, so the report has something to say
    results = []
    for env in ("1", "", ""):
        monkeypatch.setenv("BRIEFGEN_NO_INDEX", env)
        code = main(["--root", str(root), "check", "--json"])
        results.append((code, capsys.readouterr().out))
    assert results[0][0] == 2
    assert results[0] == results[1] == results[2]


def test_the_repository_ignores_the_index_folder():
    assert ".briefgen/" in (ROOT / ".gitignore").read_text().splitlines()


REFERENCE_ONLY = """\
source:
  id: communique-2024
  kind: official-document
  title: "Summit communiqué"
  publisher: NATO
  date: 2024-07-10
  accessed: 2026-11-23
  confirmed_in: "the published communiqué, para. 30"
extracts:
  - id: communique-partners
    paraphrase: "The allies name the Republic of Korea among their partners."
    locator: para. 30
    topics: [cyber]
"""


def test_a_caveat_citing_another_record_follows_that_record(tmp_path, verified):
    """A caveat's citation spans two records: deleting the cited one is a problem in the
    record that cites it, though that record did not change."""
    root = make_workspace(tmp_path)
    seeds = root / "seeds"
    (seeds / "communique-2024.yaml").write_text(REFERENCE_ONLY, encoding="utf-8")
    record = seeds / "daily-2024-03-05.yaml"
    body = record.read_text(encoding="utf-8")
    record.write_text(body.replace(
        "    quote: Cyber cooperation is a priority\n",
        "    quote: Cyber cooperation is a priority\n"
        "    caveat: {text: \"Confirmed by the communiqué.\", cite: [communique-partners]}\n", 1),
        encoding="utf-8")
    age(root)
    before = without_index(root)
    assert not [p for p in before[0] if "error" in p or "cites" in p], before[0]
    assert with_index(root) == before
    (seeds / "communique-2024.yaml").unlink()
    after = without_index(root)
    assert any("cites unknown extract 'communique-partners'" in p for p in after[0])
    verified.clear()
    assert with_index(root) == after
    assert verified == []  # nothing verified again: the citation is checked across records


def index_rows(root: Path, *, inodes: bool = True) -> dict[str, list]:
    """What the index holds of every record, apart from its row numbers and the times
    (whether a stat is trusted yet depends on when it was taken); without the files'
    inodes, to compare with a copy of the workspace."""
    conn = sqlite3.connect(root / INDEX_DIR / INDEX_FILE)
    try:
        name = "(SELECT name FROM files WHERE id = {0})"
        columns = [c[1] for c in conn.execute("PRAGMA table_info(files)")
                   if c[1] not in ("id", "mtime", "ctime", "text_mtime", "text_ctime")
                   and (inodes or c[1] not in ("ino", "text_ino"))]
        return {
            "files": conn.execute(f"SELECT {', '.join(columns)} FROM files ORDER BY name").fetchall(),
            "records": conn.execute(f"SELECT {name.format('file_id')}, summary, record FROM records "
                                    "ORDER BY 1").fetchall(),
            "extracts": conn.execute(f"SELECT {name.format('file_id')}, seq, id, ok, line, topics, "
                                     "topics_line, facts, text_line FROM extracts ORDER BY 1, 2").fetchall(),
            "cites": conn.execute(f"SELECT {name.format('file_id')}, seq, owner, key, line FROM cites "
                                  "ORDER BY 1, 2").fetchall(),
            "names": conn.execute(f"SELECT {name.format('file_id')}, word FROM names ORDER BY 1, 2").fetchall(),
            "tagged": conn.execute("SELECT topic, name, seq, n FROM tagged ORDER BY 1, 2, 3").fetchall(),
            "totals": conn.execute("SELECT value FROM meta WHERE key = 'totals'").fetchall(),
            "passages": conn.execute(f"SELECT {name.format('p.rowid / 1000000')}, p.rowid % 1000000, "
                                     "p.text, p.number, p.line FROM passages AS p ORDER BY 1, 2"
                                     ).fetchall(),
        }
    finally:
        conn.close()


def _text_edits(root: Path) -> list[tuple[Path, str, str]]:
    """Edits of archived texts alone (text, old, new): a paragraph put first, a quoted word
    broken, the furniture marker's line changed, and each undone."""
    edits = []
    for rec in records(root):
        data = record_data(rec)
        text = data["source"].get("text")
        if not text:
            continue
        body = (root / "seeds" / text).read_text(encoding="utf-8")
        first = body.split("\n", 1)[0]
        edits.append((root / "seeds" / text, first, "An inserted line.\n\n" + first))
        quotes = [e["quote"] for e in data["extracts"] if e.get("quote")]
        word = max((w for q in quotes for w in q.split() if w in body), key=len, default=None)
        if word:
            edits.append((root / "seeds" / text, word, "Zzyzx"))
        marker = data["source"].get("furniture_from")
        if marker and marker in body:
            edits.append((root / "seeds" / text, marker, "Nothing " + marker))
    return edits


@pytest.mark.parametrize("workspace", ["small", "repository"])
def test_an_edited_text_alone_is_verified_against_the_stored_record(tmp_path, workspace, verified,
                                                                     monkeypatch):
    """A text edited without its record: its record is neither parsed nor validated again,
    and the index then holds exactly what verifying both files from scratch stores."""
    root = make_workspace(tmp_path) if workspace == "small" else copy_repository_workspace(tmp_path)
    age(root)
    with_index(root)
    edits = _text_edits(root)
    assert edits
    parsed: list[str] = []
    real = archive.load_source_file
    monkeypatch.setattr(archive, "load_source_file",
                        lambda path, *a, **k: parsed.append(path.name) or real(path, *a, **k))
    for text, old, new in edits + [(t, n, o) for t, o, n in reversed(edits)]:
        body = text.read_text(encoding="utf-8")
        assert old in body
        text.write_text(body.replace(old, new, 1), encoding="utf-8")
        expected = without_index(root)
        verified.clear()
        parsed.clear()
        assert with_index(root) == expected
        assert len(verified) == 1 and parsed == []  # that record alone, its YAML not read
        kept = index_rows(root)
        shutil.rmtree(root / INDEX_DIR)
        with_index(root)  # every record verified from its files
        assert index_rows(root) == kept
