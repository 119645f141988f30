"""``briefgen search``: full-text search over every archived text, through the index.

Expected hits are derived from ``seeds/``: each extract's quotation must lead back to
its own paragraph, with the extract named as quoting it.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml

from briefgen.cli import main
from briefgen.corpus import load_corpus
from workspaces import copy_repository_workspace, make_workspace


def search(capsys, root, *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "search", *args])
    out, err = capsys.readouterr()
    return code, out, err


def search_json(capsys, root, *args: str) -> list[dict]:
    code, out, err = search(capsys, root, *args, "--json")
    assert code == 0, err
    return json.loads(out)["hits"]


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = copy_repository_workspace(tmp_path_factory.mktemp("search"))
    corpus, problems = load_corpus(root / "seeds", root)
    assert not [p for p in problems if p.severity == "error"]
    return root, corpus


def _words(quote: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z-]{3,}", quote)


def test_every_extract_is_found_in_its_paragraph(capsys, repo):
    root, corpus = repo
    for key, record in corpus.extracts.items():
        if record.extract.quote is None:  # a reference-only paraphrase is not in the archive
            continue
        words = _words(record.extract.quote)[:6]
        if len(words) < 2:
            continue
        hits = search_json(capsys, root, *words, "--source", record.source.id, "--limit", "50")
        mine = [h for h in hits if h["line"] == record.text_line]
        assert mine, (key, words)
        assert key in mine[0]["extracts"]
        assert mine[0]["paragraph"] == record.paragraph
        assert mine[0]["source"] == record.source.id
        marked = re.findall(r"\*\*(.+?)\*\*", mine[0]["passage"])
        assert marked and all(any(w.lower() in m.lower() for w in words) for m in marked)
        assert mine[0]["passage"].replace("**", "") == mine[0]["text"]


def test_a_phrase_ranks_its_paragraph_first(capsys, repo):
    root, corpus = repo
    record = next(r for r in corpus.extracts.values() if r.extract.quote is not None)
    words = record.extract.quote.split()[:5]
    hits = search_json(capsys, root, '"' + " ".join(words) + '"')
    assert hits and hits[0]["line"] == record.text_line
    assert hits[0]["source"] == record.source.id
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_text_output_names_source_paragraph_and_extracts(capsys, repo):
    root, corpus = repo
    record = next(iter(corpus.extracts.values()))
    code, out, err = search(capsys, root, *_words(record.extract.quote)[:4], "--source",
                            record.source.id)
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.startswith(f"1. {record.source.id}, para. {record.paragraph} (seeds/")
    assert "quoted by: " in out and record.id in out
    assert "**" in out


def test_source_and_since_filter(capsys, repo):
    root, corpus = repo
    dated = {sid: r.source.date for sid, r in corpus.sources.items() if r.source.date}
    latest = max(dated.values(), key=lambda d: d.sort_key())
    since = f"{latest.year}"
    hits = search_json(capsys, root, "NATO", "--since", since, "--limit", "100")
    assert hits
    assert {h["source"] for h in hits} <= {sid for sid, d in dated.items() if d.year >= latest.year}
    older = [sid for sid, d in dated.items() if d.year < latest.year]
    assert not {h["source"] for h in hits} & set(older)
    one = next(iter(corpus.sources))
    assert {h["source"] for h in search_json(capsys, root, "NATO", "--source", one)} <= {one}


def test_search_sees_an_edited_text_at_once(capsys, tmp_path):
    root = make_workspace(tmp_path)
    assert search_json(capsys, root, "Cyber", "Coalition")
    assert search_json(capsys, root, "quokka") == []
    seeds = root / "seeds"
    record = yaml.safe_load((seeds / "daily-2024-03-05.yaml").read_text())
    text = seeds / record["source"]["text"]
    text.write_text(text.read_text() + "A quokka was seen at the summit.\n", encoding="utf-8")
    hits = search_json(capsys, root, "quokka")
    assert [h["paragraph"] for h in hits] == [3]
    assert hits[0]["extracts"] == []


@pytest.mark.parametrize("args, message", [
    (["--", "-", "*"], "give at least one word"),
    (["talks", "--since", "last year"], "--since"),
    (["talks", "--since", "2024-02-30"], "not a real date"),
    (["talks", "--source", "no-such-source"], "no source 'no-such-source'"),
])
def test_bad_search_input_is_one_line_and_exit_2(capsys, tmp_path, args, message):
    root = make_workspace(tmp_path)
    code, _, err = search(capsys, root, *args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and message in err
    assert "Traceback" not in err


def test_query_syntax_cannot_break_the_search(capsys, tmp_path):
    root = make_workspace(tmp_path)
    for query in ['"annual', 'talks"', "NEAR(talks", "talks OR", "a:b", "(talks", "^talks"]:
        code, _, err = search(capsys, root, query)
        assert code == 0, (query, err)


def aged_workspace(tmp_path):
    """A small workspace whose files were written a minute ago, opened as a long-running
    process opens it."""
    import os
    import time

    from briefgen.workspace import open_workspace

    root = make_workspace(tmp_path)
    seeds = root / "seeds"
    old = time.time() - 60
    for path in [*seeds.iterdir(), seeds]:
        os.utime(path, (old, old))
    return open_workspace(root)


def test_one_process_sees_a_new_source_and_an_edit(tmp_path):
    """A long-running process keeps the index's file list; it must still see changes."""
    import shutil

    from briefgen.commands.search import search as find

    ws = aged_workspace(tmp_path)
    seeds = ws.root / "seeds"
    assert find(ws, ["quokka"]) == []
    assert find(ws, ["quokka"]) == []  # the file list is now kept
    record = yaml.safe_load((seeds / "daily-2024-03-05.yaml").read_text())
    shutil.copy(seeds / record["source"]["text"], seeds / "other-2024.txt")
    (seeds / "other-2024.txt").write_text("Headline\n\nA quokka in Brussels.\n", encoding="utf-8")
    (seeds / "other-2024.yaml").write_text(
        (seeds / "daily-2024-03-05.yaml").read_text(encoding="utf-8")
        .replace("id: daily-2024-03-05", "id: other-2024")
        .replace("text: daily-2024-03-05.txt", "text: other-2024.txt")
        .replace("front_matter: 2", "front_matter: 1")
        .replace("id: daily-", "id: other-"), encoding="utf-8")
    hits = find(ws, ["quokka"])
    assert [h.source for h in hits] == ["other-2024"]
    text = seeds / "other-2024.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("quokka", "wombat"), encoding="utf-8")
    assert find(ws, ["quokka"]) == []
    assert [h.source for h in find(ws, ["wombat"])] == ["other-2024"]


def test_one_process_stores_an_edit_once_then_searches_without_loading(tmp_path, monkeypatch):
    """After a search stored an edit, the next search finds the index current by the
    files' stat alone: the archive is not loaded again on every query. (The index's
    own writes do not move the connection's ``PRAGMA data_version``.)"""
    import time

    from briefgen import archive
    from briefgen import index as index_module
    from briefgen.commands.search import search as find

    monkeypatch.setattr(index_module, "RACY_SECONDS", 0.05)  # a stat is trusted soon
    loads: list[int] = []
    real = archive.load

    def counting(*args, **kwargs):
        loads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(archive, "load", counting)
    ws = aged_workspace(tmp_path)
    seeds = ws.root / "seeds"
    assert find(ws, ["quokka"]) == []
    record = yaml.safe_load((seeds / "daily-2024-03-05.yaml").read_text())
    text = seeds / record["source"]["text"]
    text.write_text(text.read_text(encoding="utf-8") + "A quokka was seen.\n", encoding="utf-8")
    time.sleep(0.1)  # the edit's stat is settled: the load that stores it trusts it
    loads.clear()
    assert [h.source for h in find(ws, ["quokka"])] == ["daily-2024-03-05"]
    assert loads == [1]
    for _ in range(3):
        assert [h.source for h in find(ws, ["quokka"])] == ["daily-2024-03-05"]
    assert loads == [1]
    text.write_text(text.read_text(encoding="utf-8").replace("quokka", "wombat"), encoding="utf-8")
    assert find(ws, ["quokka"]) == []
    assert [h.source for h in find(ws, ["wombat"])] == ["daily-2024-03-05"]
