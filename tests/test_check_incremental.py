"""``check`` is incremental: a brief's findings come from the index while its inputs are
unchanged, and are the same findings ``check --full`` and a check without the index give.

The workspace is a copy of the repository's, plus one source no brief cites (what an edit
in a large archive usually touches). Edits follow one another, as an analyst's do; after
each, the incremental check must give exactly what ``--full`` and ``BRIEFGEN_NO_INDEX=1``
give (exit code, JSON, and the lines of the plain report), and recompute only the briefs
whose inputs changed.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from briefgen.cli import main
from briefgen.index import INDEX_DIR, INDEX_FILE
from briefgen.workspace import Workspace
from workspaces import ROOT, copy_repository_workspace, locked_index

UNCITED = "zz-uncited-2024-01-05"
UNCITED_TEXT = """\
A quiet meeting of officials
By A. Writer
Officials of the two navies met in Busan to compare notes on training.
The meeting ended without a statement.
"""


def cited(root: Path) -> dict[str, set[str]]:
    """The extracts each brief cites, by topic, from its spec."""
    out = {}
    for spec in sorted((root / "briefs").glob("*.yaml")):
        text = spec.read_text(encoding="utf-8")
        out[spec.stem] = {key for group in re.findall(r"\[(@[^\[\]]*)\]", text)
                          for key in re.findall(r"@([a-z0-9][a-z0-9-]*[a-z0-9])", group)}
    return out


def records(root: Path) -> dict[str, dict]:
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((root / "seeds").glob("*.yaml"))}


def cited_record(root: Path, archived: bool = True) -> tuple[str, str, set[str]]:
    """(record file, an extract of it that a brief cites, the briefs citing any of its extracts)."""
    by_topic = cited(root)
    for name, data in records(root).items():
        if bool(data["source"].get("text")) != archived or name.startswith(UNCITED):
            continue
        ids = [e["id"] for e in data["extracts"]]
        users = {t for t, keys in by_topic.items() if keys & set(ids)}
        hit = next((i for i in ids if any(i in keys for keys in by_topic.values())), None)
        if hit is not None:
            return name, hit, users
    raise AssertionError("no brief cites an archived extract")


def add_uncited_source(root: Path) -> None:
    (root / "seeds" / f"{UNCITED}.txt").write_text(UNCITED_TEXT, encoding="utf-8")
    (root / "seeds" / f"{UNCITED}.yaml").write_text(f"""\
source:
  id: {UNCITED}
  kind: news-article
  text: {UNCITED}.txt
  title: "A quiet meeting of officials"
  outlet: The Example Post
  authors:
    - {{family: Writer, given: A.}}
  date: 2024-01-05
  url: https://example.org/quiet-meeting
  accessed: 2026-11-23
  front_matter: 2
extracts:
  - id: zz-uncited-training
    quote: Officials of the two navies met in Busan to compare notes on training
    topics: [cyber]
""", encoding="utf-8")


def png() -> bytes:
    """A small PNG picture."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def run(root: Path, capsys, monkeypatch, *args: str, index: bool = True) -> tuple[int, str, list[str]]:
    monkeypatch.setenv("BRIEFGEN_NO_INDEX", "" if index else "1")
    code = main(["--root", str(root), "check", *args])
    got = capsys.readouterr()
    return code, got.out, got.err.splitlines()


def same_as_full_and_without_index(root: Path, capsys, monkeypatch, recomputed: list[str],
                                   *flags: str) -> tuple[set[str], tuple[int, str, list[str]]]:
    """Check incrementally, then in full, then without the index: the same every time.
    Returns the briefs the incremental check recomputed, and its JSON result."""
    recomputed.clear()
    incremental = run(root, capsys, monkeypatch, "--json", *flags)
    again = set(recomputed)
    full = run(root, capsys, monkeypatch, "--json", "--full", *flags)
    bare = run(root, capsys, monkeypatch, "--json", *flags, index=False)
    assert incremental == full == bare
    assert incremental[2] == []  # nothing on stderr besides the JSON's findings
    report = run(root, capsys, monkeypatch, *flags)  # reused now, as the plain report
    assert report == run(root, capsys, monkeypatch, *flags, index=False)
    return again, incremental


def edit_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rewrite(path: Path, change: Callable[[dict], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def untag(path: Path, key: str) -> None:
    """The extract ``key`` of the record at ``path`` loses its topics (tagged elsewhere)."""

    def change(data: dict) -> None:
        for e in data["extracts"]:
            if e["id"] == key:
                e["topics"] = ["elsewhere"]

    rewrite(path, change)


def test_each_edit_recomputes_what_it_touches_and_reports_as_a_full_check(
        tmp_path, capsys, monkeypatch, recomputed, verified):
    root = copy_repository_workspace(tmp_path)
    add_uncited_source(root)
    topics = sorted(cited(root))
    seeds = root / "seeds"

    found, first = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set(topics)  # an empty index: every brief worked out
    assert UNCITED in first[1]  # the uncited source is reported as cited by no brief

    recomputed.clear()
    settings_read: list[bool] = []
    real_settings = Workspace.settings
    monkeypatch.setattr(Workspace, "settings", lambda ws: settings_read.append(True) or real_settings(ws))
    assert run(root, capsys, monkeypatch, "--json") == first
    # nothing changed: every brief's findings from the index, the settings not even read
    assert recomputed == [] and settings_read == []
    monkeypatch.setattr(Workspace, "settings", real_settings)

    for path in seeds.iterdir():  # touched, not changed
        os.utime(path)
    verified.clear()
    found, _ = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set()

    # The usual edit in a large archive: the text of a source no brief cites.
    verified.clear()
    recomputed.clear()
    edit_text(seeds / f"{UNCITED}.txt", "compare notes", "compare their notes")
    incremental = run(root, capsys, monkeypatch, "--json")
    assert (recomputed, verified) == ([], [f"{UNCITED}.yaml"])
    assert incremental[0] == 2  # its quotation no longer stands in it
    found, _ = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set()
    edit_text(seeds / f"{UNCITED}.txt", "compare their notes", "compare notes")
    found, _ = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set()

    # Its record: a topic tag no brief has.
    rewrite(seeds / f"{UNCITED}.yaml", lambda d: d["extracts"][0].update(topics=["nothing-yet"]))
    found, result = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set() and "nothing-yet" in result[1]

    # A spec: an uncited statement of fact. Only that brief is worked out again.
    topic = topics[0]

    def claim(data: dict) -> None:
        data["bluf"].append("Allies held 42 exercises in 2023.")

    rewrite(root / "briefs" / f"{topic}.yaml", claim)
    found, result = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert found == {topic} and "statement of fact without a citation" in result[1]

    # A cited record: the extract loses its topic.
    name, key, users = cited_record(root)
    untag(seeds / name, key)
    found, result = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert users <= found and f"extract '{key}' is not tagged with topic" in result[1]

    # A cited text: the quotation no longer stands in it.
    data = records(root)[name]
    quote = next(e["quote"] for e in data["extracts"] if e["id"] == key)
    word = max(re.findall(r"[A-Za-z]{4,}", quote), key=len)
    text = seeds / data["source"]["text"]
    text.write_text(text.read_text(encoding="utf-8").replace(word, word + "zz"), encoding="utf-8")
    found, result = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert users <= found and result[0] == 2

    # Settings (a sourcing threshold) and the template: every brief.
    edit_text(root / "templates" / "settings.yaml", "max_source_share: 0.5", "max_source_share: 0.2")
    found, result = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set(topics) and "one source carries" in result[1]
    with (root / "templates" / "brief.md.j2").open("a", encoding="utf-8") as fh:
        fh.write("{# edited #}\n")
    found, _ = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set(topics)
    edit_text(root / "templates" / "settings.yaml", "date_style: dmy", "date_style: someday")
    found, result = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set(topics) and result[0] == 2 and "date_style" in result[1]
    edit_text(root / "templates" / "settings.yaml", "date_style: someday", "date_style: dmy")
    same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)

    # A figure: named before its file exists, then saved into figures/.
    def figure(data: dict) -> None:
        data["sections"][0]["paragraphs"].append('![A map of the region](figures/map.png "The region")')

    rewrite(root / "briefs" / f"{topics[1]}.yaml", figure)
    found, result = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert found == {topics[1]} and result[0] == 2 and "figures/map.png" in result[1]
    (root / "figures").mkdir()  # what figures/ holds is an input of every brief
    found, result = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set(topics) and result[0] == 2 and "figures/map.png" in result[1]
    (root / "figures" / "map.png").write_bytes(png())
    found, result = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert found == set(topics) and "figures/map.png" not in result[1]
    (root / "figures" / "map.png").write_bytes(png()[:60])  # the picture itself: that brief only
    found, result = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert found == {topics[1]} and "figures/map.png" in result[1]

    # Files renamed and deleted.
    os.rename(seeds / f"{UNCITED}.yaml", seeds / "zz-renamed.yaml")
    same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    other, other_key, other_users = cited_record(root)
    (seeds / other).unlink()
    found, result = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert other_users <= found and f"'{other_key}'" in result[1]
    os.rename(root / "briefs" / f"{topics[-1]}.yaml", root / "briefs" / f"{topics[-1]}-renamed.yaml")
    same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    for path in seeds.glob("zz-*"):
        path.unlink()
    same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)

    # The flags that change the lint, and a check of some topics only.
    same_as_full_and_without_index(root, capsys, monkeypatch, recomputed, "--strict", "--archived-only")
    same_as_full_and_without_index(root, capsys, monkeypatch, recomputed, topics[1])


def test_a_caveat_citing_a_record_follows_that_record(tmp_path, capsys, monkeypatch, recomputed):
    """A brief depends on the extracts its notes' corrections cite, not only on its own."""
    root = copy_repository_workspace(tmp_path)
    by_topic = cited(root)
    owner = evidence = None
    for data in records(root).values():
        for e in data["extracts"]:
            caveat = e.get("caveat")
            if isinstance(caveat, dict) and caveat.get("cite") and any(
                    e["id"] in keys for keys in by_topic.values()):
                owner, evidence = e["id"], caveat["cite"][0]
    assert owner is not None, "no cited extract has a correction citing its evidence"
    same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    holder = next(n for n, d in records(root).items() if evidence in [e["id"] for e in d["extracts"]])
    rewrite(root / "seeds" / holder, lambda d: d["extracts"].__setitem__(
        slice(None), [e for e in d["extracts"] if e["id"] != evidence]))
    found, result = same_as_full_and_without_index(root, capsys, monkeypatch, recomputed)
    assert {t for t, keys in by_topic.items() if owner in keys} <= found
    assert result[0] == 2 and evidence in result[1]


def test_a_damaged_stored_result_is_worked_out_again(tmp_path, capsys, monkeypatch, recomputed):
    root = copy_repository_workspace(tmp_path)
    first = run(root, capsys, monkeypatch, "--json")
    with sqlite3.connect(root / INDEX_DIR / INDEX_FILE) as conn:
        rows = conn.execute("SELECT topic FROM briefs WHERE topic != '' ORDER BY topic").fetchall()
        assert len(rows) == len(cited(root)), "not every brief's findings were stored"
        conn.execute("UPDATE briefs SET result = '{' WHERE topic = ?", rows[0])
        conn.execute("UPDATE briefs SET result = '{\"loaded\": true}' WHERE topic = ?", rows[-1])
        conn.execute("UPDATE briefs SET result = '[]' WHERE topic = ''")  # the settings' row
    recomputed.clear()
    assert run(root, capsys, monkeypatch, "--json")[:2] == first[:2]
    assert {rows[0][0], rows[-1][0]} <= set(recomputed)


def subprocess_check(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefgen", "--root", str(root), "check", *args],
                          capture_output=True, text=True, cwd=root,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})})


def test_a_corrupt_or_locked_index_gives_a_warning_and_the_same_report(tmp_path):
    root = copy_repository_workspace(tmp_path)
    bare = subprocess_check(root, "--json", env={"BRIEFGEN_NO_INDEX": "1"})
    assert subprocess_check(root, "--json").stdout == bare.stdout
    path = root / INDEX_DIR / INDEX_FILE
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(os.urandom(8000))
    done = subprocess_check(root, "--json")
    assert (done.returncode, done.stdout) == (bare.returncode, bare.stdout)
    assert len(done.stderr.splitlines()) == 1 and "rebuilding" in done.stderr
    again = subprocess_check(root, "--json")
    assert (again.returncode, again.stdout, again.stderr) == (bare.returncode, bare.stdout, "")
    (root / "seeds" / min(p.name for p in (root / "seeds").glob("*.txt"))).touch()
    with locked_index(path):
        started = time.monotonic()
        done = subprocess_check(root, "--json")
        assert time.monotonic() - started < 30
        assert (done.returncode, done.stdout) == (bare.returncode, bare.stdout), done.stderr
    done = subprocess_check(root, "--json")
    assert (done.returncode, done.stdout, done.stderr) == (bare.returncode, bare.stdout, "")


def test_a_full_check_of_an_unchanged_workspace_writes_nothing(tmp_path):
    """``check --full`` verifies every record and checks every brief again; when what it
    finds is what the index holds already, the index is left as it was (no record, stat
    or brief result written again), and the report is the same."""
    from contextlib import closing

    from briefgen.index import RACY_SECONDS

    root = copy_repository_workspace(tmp_path)
    add_uncited_source(root)
    then = time.time() - 60
    for path in (root / "seeds").iterdir():
        os.utime(path, (then, then))
    time.sleep(RACY_SECONDS + 0.2)  # every file's change time settled: its stat is trusted
    first = subprocess_check(root, "--json", "--full")
    assert first.stderr == ""
    with closing(sqlite3.connect(root / INDEX_DIR / INDEX_FILE)) as observer:
        version = observer.execute("PRAGMA data_version").fetchone()
        held = observer.execute("SELECT topic, key, result FROM briefs ORDER BY topic").fetchall()
        assert len(held) == len(cited(root)) + 1  # every brief, and the settings
        again = subprocess_check(root, "--json", "--full")
        assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, "")
        assert observer.execute("PRAGMA data_version").fetchone() == version  # nothing written
        (root / "seeds" / f"{UNCITED}.txt").write_text(UNCITED_TEXT.replace("quiet", "calm"),
                                                       encoding="utf-8")
        subprocess_check(root, "--json", "--full")
        assert observer.execute("PRAGMA data_version").fetchone() != version  # a change is
