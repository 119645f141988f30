"""The README's analyst steps, followed in a copy of the repository: adding a source with
the two commands of "From a saved article to a cited sentence", citing it, and "Adding a
topic". Then the content checks (test_briefs.py, test_check.py) run on the copy and must
pass: an analyst's ordinary edit never turns the suite red."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.cli import main
from workspaces import ROOT, copy_repository_workspace

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, flags=re.M | re.S)
    assert m, f"README has no section {title!r}"
    return m.group(1)


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def _page(url: str, date: str, sentence: str) -> str:
    """A saved article page whose text holds ``sentence``."""
    paragraphs = [
        sentence + ", officials said after talks in Brussels on Tuesday.",
        "The dialogue will meet at the level of director-general, a defence ministry official said.",
        "Both sides said the first meeting would take place later this year.",
    ]
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Seoul, NATO to hold cyber "
            "dialogue | The Korea Herald</title>"
            '<meta property="og:site_name" content="The Korea Herald">'
            '<meta property="og:title" content="Seoul, NATO to hold cyber dialogue">'
            '<meta name="author" content="Ji Da-gyum">'
            f'<meta property="article:published_time" content="{date}T09:00:00+09:00">'
            f'<link rel="canonical" href="{url}"></head><body><nav>Home | National</nav>'
            "<article><h1>Seoul, NATO to hold cyber dialogue</h1>"
            + "".join(f"<p>{p}</p>" for p in paragraphs)
            + "</article><footer>Copyright The Korea Herald</footer></body></html>")


def _briefgen(ws: Path, line: str, saved: Path) -> None:
    argv = shlex.split(line)
    assert argv[0] == "briefgen", line
    argv = [str(saved) if a.endswith(".html") else a for a in argv[1:]]
    code = main(["--root", str(ws), *argv])
    assert code == 0, line


def _add_to_list(spec: Path, field: str, item: str) -> None:
    """Put ``item`` last in a spec's block list ``field``, keeping at most five items."""
    lines = spec.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"{field}:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    items = [i for i in range(start + 1, end) if lines[i].startswith("  - ")]
    if len(items) >= 5:
        del lines[items[-1]:end]
        end = items[-1]
    lines.insert(end, item)
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_readme_steps_in_a_copy_then_the_content_checks_pass(tmp_path, capsys):
    ws = copy_repository_workspace(tmp_path / "ws")

    # "From a saved article to a cited sentence": the two commands as the README gives them.
    steps = _section("From a saved article to a cited sentence")
    commands = [line for line in _blocks(steps, "sh")[0].splitlines() if line.strip()]
    assert [c.split()[1] for c in commands] == ["add-source", "quote"]
    source_id = shlex.split(commands[1])[2]
    fragment = shlex.split(commands[1])[3]
    extract_id = shlex.split(commands[1])[shlex.split(commands[1]).index("--add") + 1]
    date = re.search(r"\d{4}-\d{2}-\d{2}$", source_id).group(0)
    saved = tmp_path / "article.html"
    saved.write_text(_page(f"https://www.koreaherald.com/view.php?ud={date.replace('-', '')}000123",
                           date, fragment), encoding="utf-8")
    for line in commands:
        _briefgen(ws, line, saved)
    capsys.readouterr()
    assert (ws / "seeds" / f"{source_id}.txt").is_file()
    # The record's TODO fields: none left for this page, which gives every field.
    assert "# TODO" not in (ws / "seeds" / f"{source_id}.yaml").read_text(encoding="utf-8")
    # Cite it as the README shows.
    snippet = _blocks(steps, "yaml")[0].splitlines()
    field, item = snippet[0].rstrip(":"), snippet[1]
    assert f"[@{extract_id}]" in item  # the README cites the extract its quote command added
    topic = re.search(r"`briefs/([a-z0-9-]+)\.yaml`", steps).group(1)
    _add_to_list(ws / "briefs" / f"{topic}.yaml", field, item)
    assert main(["--root", str(ws), "check", topic]) == 0, capsys.readouterr().err

    # "Adding a topic": copy an existing spec, tag the extracts it needs, check, build.
    new = "cyber-outlook"
    spec = (ws / "briefs" / "cyber.yaml").read_text(encoding="utf-8")
    (ws / "briefs" / f"{new}.yaml").write_text(
        re.sub(r"^topic: .*$", f"topic: {new}", spec, count=1, flags=re.M), encoding="utf-8")
    cited = set(re.findall(r"@([a-z0-9][a-z0-9-]*[a-z0-9])", spec))
    for record in (ws / "seeds").glob("*.yaml"):
        text = record.read_text(encoding="utf-8")
        for key in cited:
            text = re.sub(rf"(\n  - id: {re.escape(key)}\n(?:    .*\n)*?    topics: \[)([^\]]*)\]",
                          rf"\1\2, {new}]", text)
        record.write_text(text, encoding="utf-8")
    assert main(["--root", str(ws), "check", new]) == 0, capsys.readouterr().err
    assert main(["--root", str(ws), "build", new, "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()

    # The content checks, on the copy.
    env = {**os.environ, "BRIEFGEN_TEST_WORKSPACE": str(ws),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                           "-m", "not client", "tests/test_briefs.py", "tests/test_check.py"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert re.search(r"\d+ passed", proc.stdout)
