"""`briefgen add-source` and `briefgen quote`: from a saved page to a verified extract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from briefgen.cli import main
from briefgen.corpus import load_corpus
from workspaces import ROOT, copy_repository_workspace, make_workspace

PARAGRAPHS = [
    "NATO and the Republic of Korea agreed on Tuesday to hold a cyber dialogue every year, "
    "the first of them in Brussels, officials said in a statement.",
    "Cyber defence is a priority of the partnership, a defence ministry official said, citing "
    "the two sides\u2019 work on information sharing and joint exercises.",
    "The official added that \u201cthe dialogue will meet at the level of director-general\u201d "
    "\u2014 a step up from earlier talks.",
]


def page(title: str = "Seoul and NATO open a cyber dialogue", *, meta: bool = True,
         paragraphs: list[str] = PARAGRAPHS) -> str:
    """A saved article page as a browser stores it: navigation, article, footer."""
    head = f"<title>{title} | The Daily Example</title>"
    if meta:
        head += (
            '<meta property="og:site_name" content="The Daily Example">'
            f'<meta property="og:title" content="{title}">'
            '<meta name="author" content="Ji Da-gyum; Anthony Crescente">'
            '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
            '<link rel="canonical" href="https://www.dailyexample.co.kr/news/123">')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>"
            "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
            f"<article><h1>{title}</h1>{body}</article>"
            "<footer>Copyright 2024 The Daily Example. All rights reserved.</footer></body></html>")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


def test_add_source_from_a_saved_page(ws, tmp_path, capsys):
    saved = tmp_path / "article.html"
    saved.write_text(page(), encoding="utf-8")
    code, out, err = run(capsys, "--root", str(ws), "add-source", str(saved))
    assert code == 0, err
    text_path = ws / "seeds" / "dailyexample-2024-03-05.txt"
    record_path = ws / "seeds" / "dailyexample-2024-03-05.yaml"
    assert f"wrote seeds/{text_path.name} (4 paragraphs)" in out
    # The article's text, without navigation or footer, paragraphs between blank lines.
    text = text_path.read_text(encoding="utf-8")
    assert text.split("\n\n") == ["Seoul and NATO open a cyber dialogue", *PARAGRAPHS[:-1],
                                  PARAGRAPHS[-1] + "\n"]
    assert "Home" not in text and "Copyright" not in text
    record_text = record_path.read_text(encoding="utf-8")
    assert record_text.startswith("# yaml-language-server: $schema=../.briefgen/schema/source.schema.json\n")
    source = yaml.safe_load(record_text)["source"]
    assert source["title"] == "Seoul and NATO open a cyber dialogue"
    assert source["outlet"] == "The Daily Example"
    assert source["authors"] == [{"family": "Ji", "given": "Da-gyum", "surname_first": True},
                                 {"family": "Crescente", "given": "Anthony"}]
    assert str(source["date"]) == "2024-03-05"
    assert source["url"] == "https://www.dailyexample.co.kr/news/123"
    assert source["front_matter"] == 1  # the headline
    # The new record loads and verifies like every other.
    corpus, problems = load_corpus(ws / "seeds", ws)
    assert [p for p in problems if p.severity == "error"] == []
    assert "dailyexample-2024-03-05" in corpus.sources


def test_unknown_fields_are_left_empty_and_marked(ws, tmp_path, capsys):
    saved = tmp_path / "bare.html"
    saved.write_text(page(meta=False), encoding="utf-8")
    code, out, err = run(capsys, "--root", str(ws), "add-source", str(saved), "--outlet", "Example Post")
    assert code == 0, err
    record_path = ws / "seeds" / "examplepost-undated.yaml"
    record = record_path.read_text(encoding="utf-8")
    for name in ("date", "url"):
        line = next(x for x in record.splitlines() if x.strip().startswith(f"{name}:"))
        assert "# TODO" in line, line
        assert yaml.safe_load(record)["source"][name] is None
    assert "authors: []" in record and "# TODO: no author found" in record
    assert "(3 field(s) to fill in, marked TODO)" in out


def test_csl_json_fills_and_overrides_the_record(ws, tmp_path, capsys):
    saved = tmp_path / "article.html"
    saved.write_text(page(), encoding="utf-8")
    item = [{"type": "article-newspaper", "title": "Seoul, NATO open cyber dialogue",
             "container-title": "The Daily Example (print)",
             "author": [{"family": "Kim", "given": "Min-jun"}],
             "issued": {"date-parts": [[2024, 3, 6]]}, "accessed": {"date-parts": [[2024, 3, 7]]},
             "URL": "https://www.dailyexample.co.kr/news/123?print"}]
    zotero = tmp_path / "item.json"
    zotero.write_text(json.dumps(item), encoding="utf-8")
    code, _, err = run(capsys, "--root", str(ws), "add-source", str(saved), "--csl-json", str(zotero))
    assert code == 0, err
    source = yaml.safe_load((ws / "seeds" / "dailyexample-2024-03-06.yaml").read_text())["source"]
    assert source["title"] == "Seoul, NATO open cyber dialogue"
    assert source["outlet"] == "The Daily Example (print)"
    assert source["authors"] == [{"family": "Kim", "given": "Min-jun", "surname_first": True}]
    assert str(source["accessed"]) == "2024-03-07"
    assert source["url"].endswith("?print")


def test_collisions_are_refused_and_nothing_is_written(ws, tmp_path, capsys):
    saved = tmp_path / "article.html"
    saved.write_text(page(), encoding="utf-8")
    assert run(capsys, "--root", str(ws), "add-source", str(saved))[0] == 0
    before = sorted((p.name, p.read_bytes()) for p in (ws / "seeds").iterdir())
    code, _, err = run(capsys, "--root", str(ws), "add-source", str(saved))
    assert code == 2
    assert err.startswith("seeds/dailyexample-2024-03-05.yaml: already exists")
    code, _, err = run(capsys, "--root", str(ws), "add-source", str(saved), "--id", "other-2024")
    assert code == 2
    assert "https://www.dailyexample.co.kr/news/123 is archived already, in seeds/dailyexample-2024-03-05.yaml" in err
    assert sorted((p.name, p.read_bytes()) for p in (ws / "seeds").iterdir()) == before


def test_plain_text_and_bad_input(ws, tmp_path, capsys):
    plain = tmp_path / "statement.txt"
    plain.write_text("Joint statement\n\n" + "\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "--root", str(ws), "add-source", str(plain), "--outlet", "NATO",
                       "--date", "2024-03", "--kind", "news-article")
    assert code == 0, err
    assert (ws / "seeds" / "nato-2024-03.txt").read_text().count("\n\n") == 3
    code, _, err = run(capsys, "--root", str(ws), "add-source", str(tmp_path / "missing.html"))
    assert (code, err.strip()) == (2, f"{tmp_path / 'missing.html'}: file not found")
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>Search</title></head><body><script>var x = 1;</script></body></html>")
    code, _, err = run(capsys, "--root", str(ws), "add-source", str(empty), "--outlet", "X")
    assert code == 2 and "no article text found" in err
    code, _, err = run(capsys, "--root", str(ws), "add-source", str(plain), "--outlet", "NATO",
                       "--date", "March 2024")
    assert code == 2 and "not a date" in err


# --------------------------------------------------------------------------- quote


def test_quote_finds_the_passage_with_the_corpus_paragraph_number(capsys):
    corpus, _ = load_corpus(ROOT / "seeds", ROOT)
    for record in list(corpus.extracts.values())[::7]:
        if record.paragraph is None:
            continue
        code, out, err = run(capsys, "--root", str(ROOT), "quote", record.source.id, record.extract.quote)
        assert code == 0, err
        first = out.splitlines()[0]
        assert f"para. {record.paragraph}; exact" in first, (record.id, first)


def test_quote_fuzzy_gives_the_sources_words(ws, capsys):
    code, out, _ = run(capsys, "--root", str(ws), "quote", "daily-2024-03-05",
                       "Cyber co-operation is a priority")
    assert code == 0
    assert "closest passage" in out.splitlines()[0]
    assert "\u201cCyber cooperation is a priority" in out
    code, _, err = run(capsys, "--root", str(ws), "quote", "daily-2024-03-05", "zebra unicorn llama")
    assert code == 2 and "no passage like" in err


def test_quote_add_keeps_comments_and_order_and_verifies(tmp_path, capsys):
    ws = copy_repository_workspace(tmp_path / "ws")
    corpus, _ = load_corpus(ws / "seeds", ws)
    source_id = sorted(corpus.sources)[0]
    record_path = ws / "seeds" / f"{source_id}.yaml"
    before = record_path.read_text(encoding="utf-8")
    paragraph = next(p for p in corpus.sources[source_id].paragraphs if p.number)
    fragment = " ".join(paragraph.text.split()[:8])
    code, out, err = run(capsys, "--root", str(ws), "quote", source_id, fragment,
                         "--add", "new-extract", "--topics", "cyber,china-framing")
    assert code == 0, err
    after = record_path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n") + "\n")  # every byte before, comments included
    assert after[len(before.rstrip("\n")) + 1:].startswith("  - id: new-extract\n")
    corpus, problems = load_corpus(ws / "seeds", ws)
    assert [p for p in problems if p.severity == "error"] == []
    assert corpus.extracts["new-extract"].paragraph == paragraph.number
    assert corpus.extracts["new-extract"].extract.topics == ["cyber", "china-framing"]
    code, _, err = run(capsys, "--root", str(ws), "quote", source_id, fragment,
                       "--add", "new-extract", "--topics", "cyber")
    assert code == 2 and "extract id 'new-extract' is taken" in err


def test_add_source_then_quote_then_cite(ws, tmp_path, capsys):
    """The README's two commands: a saved article to an extract a brief can cite."""
    saved = tmp_path / "article.html"
    saved.write_text(page(), encoding="utf-8")
    assert run(capsys, "--root", str(ws), "add-source", str(saved))[0] == 0
    code, _, err = run(capsys, "--root", str(ws), "quote", "dailyexample-2024-03-05",
                       "meet at the level of director-general", "--add", "daily-dg-level",
                       "--topics", "cyber")
    assert code == 0, err
    spec = ws / "briefs" / "cyber.yaml"
    spec.write_text(spec.read_text().replace(
        "Talks began in Brussels [@daily-annual-talks].",
        "Talks began in Brussels [@daily-annual-talks]; a dialogue at director-general level "
        "followed [@daily-dg-level]."))
    code, out, err = run(capsys, "--root", str(ws), "build", "cyber", "--format", "docx")
    assert code == 0, err
    assert "wrote briefs/cyber.docx" in out
