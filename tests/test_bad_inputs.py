"""The catalogue of bad inputs a hurried analyst (or a full disk) produces.

Each case breaks one thing in a small workspace that has already been built once, then
builds again. Every case must give one line ``path:line: message`` (or the best location
known), exit code 2, no traceback, and leave the earlier outputs byte-identical.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.cli import main
from hostile_docx import house_docx
from workspaces import edit, make_workspace

SEED = "seeds/daily-2024-03-05.yaml"
TEXT = "seeds/daily-2024-03-05.txt"
BRIEF = "briefs/cyber.yaml"
TEMPLATE = "templates/brief.md.j2"


def _replace(path, old, new):
    return lambda root: edit(root / path, old, new)


def _write(path, data: bytes | str):
    def apply(root):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)
    return apply


def _remove(path):
    return lambda root: (root / path).unlink()


def _latin1_text(root):
    (root / TEXT).write_bytes((root / TEXT).read_text(encoding="utf-8")
                              .replace("\u201c", '"').replace("\u201d", '"').replace("\u2014", "-")
                              .encode("utf-8") + "Caf\u00e9\n".encode("latin-1"))


def _bom_text(root):
    (root / TEXT).write_bytes(b"\xef\xbb\xbf" + (root / TEXT).read_bytes())


def _huge_source(root):
    """A 10 MB source whose extract is not in it: found out, quickly, in one line."""
    paragraph = ("Allied officials met again to discuss cooperation in many fields. " * 12 + "\n")
    text = (root / TEXT).read_text(encoding="utf-8") + paragraph * (10_000_000 // len(paragraph))
    (root / TEXT).write_text(text, encoding="utf-8")
    edit(root / SEED, "Cyber cooperation is a priority", "Cyber cooperation is the one priority")


# (name, mutation, argv after "build", expected first line: regex)
CASES = [
    ("broken yaml in a brief", _replace(BRIEF, "key_points:\n", "key_points: [\n"), ["cyber"],
     r"briefs/cyber\.yaml:\d+: YAML syntax error"),
    ("broken yaml in a record", _replace(SEED, "  kind: news-article", "\tkind: news-article"), ["cyber"],
     r"seeds/daily-2024-03-05\.yaml:\d+: YAML syntax error: a tab character; YAML indents with spaces only"),
    ("tab-indented yaml", _replace(BRIEF, "  - id: background", "\t- id: background"), ["cyber"],
     r"briefs/cyber\.yaml:\d+: YAML syntax error: a tab character; YAML indents with spaces only"),
    ("wrong type: date", _replace(BRIEF, "date: 2024-11-01", "date: soon"), ["cyber"],
     r"briefs/cyber\.yaml:4: date: .*not a date"),
    ("wrong type: list as text", _replace(BRIEF, "keywords: [cyber]", "keywords: cyber"), ["cyber"],
     r"briefs/cyber\.yaml:6: keywords: Input should be a valid list"),
    ("wrong type: boolean", _replace(BRIEF, "assessment: true", "assessment: maybe"), ["cyber"],
     r"briefs/cyber\.yaml:\d+: sections\.1\.assessment: Input should be a valid boolean"),
    ("unknown field in a brief", _replace(BRIEF, "short_title:", "shorttitle:"), ["cyber"],
     r"briefs/cyber\.yaml:3: unknown field 'shorttitle'"),
    ("unknown field in a record", _replace(SEED, "  outlet:", "  newspaper:"), ["cyber"],
     r"seeds/daily-2024-03-05\.yaml:6: unknown field 'source\.newspaper'"),
    ("missing field", _replace(BRIEF, 'question: "Where does cyber cooperation stand?"\n', ""), ["cyber"],
     r"briefs/cyber\.yaml:1: missing field 'question'"),
    ("missing access date", _replace(SEED, "  accessed: 2026-11-23\n", ""), ["cyber"],
     r"seeds/daily-2024-03-05\.yaml:1: missing field 'source\.accessed'"),
    ("duplicate extract id", _replace(SEED, "id: daily-cyber-priority", "id: daily-annual-talks"), ["cyber"],
     r"seeds/daily-2024-03-05\.yaml:17: duplicate extract id 'daily-annual-talks'"),
    ("duplicate key", _replace(BRIEF, 'short_title: "Cyber"', 'title: "Again"'), ["cyber"],
     r"briefs/cyber\.yaml:3: duplicate key 'title'"),
    ("duplicate section id", _replace(BRIEF, "id: implications", "id: background"), ["cyber"],
     r"briefs/cyber\.yaml:\d+: duplicate section id 'background'"),
    ("citation of an unknown extract", _replace(BRIEF, "[@daily-annual-talks].\"\nkey", "[@daily-anual-talks].\"\nkey"),
     ["cyber"], r"briefs/cyber\.yaml:8: citation of unknown extract 'daily-anual-talks'"),
    ("malformed citation", _replace(BRIEF, "[@daily-annual-talks].\"\nkey", "[@ daily annual].\"\nkey"),
     ["cyber"], r"briefs/cyber\.yaml:8: malformed citation"),
    ("quotation not in its source", _replace(SEED, "Cyber cooperation is a priority", "Cyber cooperation is top priority"),
     ["cyber"], r"seeds/daily-2024-03-05\.yaml:18: extract 'daily-cyber-priority': quotation not found"),
    ("empty quotation", _replace(SEED, "quote: Cyber cooperation is a priority", 'quote: ""'), ["cyber"],
     r"seeds/daily-2024-03-05\.yaml:18: extracts\.1\.quote: "),
    ("record names itself as its text", _replace(SEED, "text: daily-2024-03-05.txt", "text: daily-2024-03-05.yaml"),
     ["cyber"], r"seeds/daily-2024-03-05\.yaml:\d+: text must name the archived text, a \.txt file beside the "
     r"record \(not 'daily-2024-03-05\.yaml'\)"),
    ("record names another file as its text", _replace(SEED, "text: daily-2024-03-05.txt", "text: ."),
     ["cyber"], r"seeds/daily-2024-03-05\.yaml:\d+: text must (be a file name|name the archived text)"),
    ("source text missing", _remove(TEXT), ["cyber"],
     r"seeds/daily-2024-03-05\.txt: file not found"),
    ("source text empty", _write(TEXT, b""), ["cyber"],
     r"seeds/daily-2024-03-05\.txt:1: the text of source 'daily-2024-03-05' is empty"),
    ("source text not UTF-8", _latin1_text, ["cyber"],
     r"seeds/daily-2024-03-05\.txt:5: not UTF-8 text"),
    ("source text with a byte-order mark", _bom_text, ["cyber"],
     r"seeds/daily-2024-03-05\.txt:1: starts with a byte-order mark"),
    ("a very large source (10 MB)", _huge_source, ["cyber"],
     r"seeds/daily-2024-03-05\.yaml:18: extract 'daily-cyber-priority': quotation not found .*closest passage"),
    ("template syntax error", _write(TEMPLATE, "# Title\n{% if %}\n"), ["cyber"],
     r"templates/brief\.md\.j2:2: template syntax error"),
    ("template names an undefined variable", _write(TEMPLATE, "# T\n\n{{ brief.nothing_here }}\n"), ["cyber"],
     r"templates/brief\.md\.j2:3: template names something undefined"),
    ("template reaches for Python internals", _write(TEMPLATE, "{{ ''.__class__.__mro__ }}\n"), ["cyber"],
     r"templates/brief\.md\.j2:1: template"),
    ("template reads outside templates/", _write(TEMPLATE, "{% include '../seeds/daily-2024-03-05.txt' %}\n"),
     ["cyber"], r"templates/brief\.md\.j2:1: template not found: \.\./seeds/daily-2024-03-05\.txt"),
    ("template includes an absolute path", _write(TEMPLATE, "# T\n\n{% include '/etc/hostname' %}\n"),
     ["cyber"], r"templates/brief\.md\.j2:3: template not found: /etc/hostname \(looked in templates/\)"),
    ("topic name with a path separator", None, ["../cyber"], r"briefgen: '\.\./cyber' is not a topic name"),
    ("topic name '..'", None, [".."], r"briefgen: '\.\.' is not a topic name"),
    ("topic name with a slash", None, ["seeds/daily"], r"briefgen: 'seeds/daily' is not a topic name"),
    ("unknown topic", None, ["nuclear"], r"briefs: unknown topic 'nuclear' \(topics: cyber\)"),
    ("no topic given", None, [], r"briefgen: name a topic to build"),
    ("output folder is a file", _write("out.txt", "x"), ["cyber", "--out", "{root}/out.txt"],
     r".*/out\.txt: the output folder is a file, not a folder"),
    ("reference .docx is not a .docx", _write("house.docx", "not a zip"),
     ["cyber", "--reference-docx", "{root}/house.docx"], r".*house\.docx: not a Word document"),
    ("reference .docx missing", None, ["cyber", "--reference-docx", "{root}/none.docx"],
     r".*none\.docx: reference \.docx not found"),
    ("settings with a wrong value", _write("templates/settings.yaml", "page_size: A5\n"), ["cyber"],
     r"templates/settings\.yaml:1: page_size: Input should be 'A4' or 'Letter'"),
    ("record is a list, not a mapping", _write(SEED, "- just\n- a list\n"), ["cyber"],
     r"seeds/daily-2024-03-05\.yaml:1: expected a mapping"),
    ("empty brief file", _write(BRIEF, ""), ["cyber"], r"briefs/cyber\.yaml:1: a brief spec must be a mapping"),
    ("not a real date", _replace(BRIEF, "date: 2024-02-14", "date: 2024-02-30"), ["cyber"],
     r"briefs/cyber\.yaml:\d+: bad value '2024-02-30'"),
    ("source id does not match its file", _replace(SEED, "id: daily-2024-03-05", "id: daily-2024"), ["cyber"],
     r"seeds/daily-2024-03-05\.yaml:2: source id 'daily-2024' does not match the file name"),
    ("raw control character in YAML", _replace(BRIEF, 'short_title: "Cyber"', 'short_title: "Cy\x7fber"'),
     ["cyber"], r"briefs/cyber\.yaml:3: the file holds a character YAML does not allow raw: U\+007F"),
    ("url that is not a web address", _replace(SEED, "url: https://example.org/allies-agree", "url: example.org"),
     ["cyber"], r"seeds/daily-2024-03-05\.yaml:10: source\.url: not a web address"),
]


# ----------------------------------------------------------------- hostile input, part two

SECRET = "TOP-SECRET-OUTSIDE-THE-WORKSPACE"


def _outside_file(root: Path) -> Path:
    """A file beside the workspace, never to be read or quoted."""
    outside = root.parent / "outside.txt"
    outside.write_text(f"Cyber cooperation is top priority. {SECRET}\n", encoding="utf-8")
    return outside


def _link(path, target):
    def apply(root):
        dest = root / path
        dest.unlink(missing_ok=True)
        dest.symlink_to(target(root) if callable(target) else target)
    return apply


def _fifo(path):
    def apply(root):
        (root / path).unlink()
        os.mkfifo(root / path)
    return apply


def _folder(path):
    def apply(root):
        (root / path).unlink()
        (root / path).mkdir()
    return apply


def _sparse(path, size):
    def apply(root):
        with open(root / path, "r+b") as fh:
            fh.truncate(size)
    return apply


def _long_text_name(root):
    edit(root / SEED, "text: daily-2024-03-05.txt", "text: " + "a" * 300 + ".txt")


def _alias_bomb(path, key):
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return _replace(path, key, "\n".join(lines) + "\n" + key)


def _deep(path, key):
    return _replace(path, key, "deep: " + "[" * 600 + "]" * 600 + "\n" + key)


def _wide_table(ncols: int) -> str:
    return "\n".join(["| " + " | ".join(f"c{i}" for i in range(ncols)) + " |", "|" + "---|" * ncols,
                      "| " + " | ".join(f"v{i}" for i in range(ncols)) + " |"])


def _template(text):
    return _write(TEMPLATE, text)


CASES += [
    # YAML bombs and cycles
    ("yaml alias bomb in a brief", _alias_bomb(BRIEF, "title:"), ["cyber"],
     r"briefs/cyber\.yaml:\d+: too many values"),
    ("yaml alias bomb in a record", _alias_bomb(SEED, "source:"), ["cyber"],
     r"seeds/daily-2024-03-05\.yaml:\d+: too many values"),
    ("yaml alias bomb in settings", _write("templates/settings.yaml", "\n".join(
        ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
        + [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]) + "\n"),
     ["cyber"], r"templates/settings\.yaml:\d+: too many values"),
    ("yaml recursive alias", _replace(BRIEF, "keywords: [cyber]", "keywords: &k [*k]"), ["cyber"],
     r"briefs/cyber\.yaml:6: an alias refers to a value that contains it"),
    ("yaml recursive alias in a mapping", _replace(SEED, "source:", "loop: &l {again: *l}\nsource:"),
     ["cyber"], r"seeds/daily-2024-03-05\.yaml:1: an alias refers to a value that contains it"),
    ("yaml nested 600 deep", _deep(BRIEF, "title:"), ["cyber"],
     r"briefs/cyber\.yaml:2: nested more than \d+ levels deep"),
    ("yaml nested 600 deep in a record", _deep(SEED, "source:"), ["cyber"],
     r"seeds/daily-2024-03-05\.yaml:1: nested more than \d+ levels deep"),
    # files that are not what they seem
    ("source text links outside the workspace", _link(TEXT, _outside_file), ["cyber"],
     r"seeds/daily-2024-03-05\.txt: leads outside the workspace"),
    ("record links outside the workspace", lambda root: (
        shutil.copy(root / SEED, root.parent / "rec.yaml"), _link(SEED, root.parent / "rec.yaml")(root)),
     ["cyber"], r"seeds/daily-2024-03-05\.yaml: leads outside the workspace"),
    ("brief spec links outside the workspace", lambda root: (
        shutil.copy(root / BRIEF, root.parent / "spec.yaml"), _link(BRIEF, root.parent / "spec.yaml")(root)),
     ["cyber"], r"briefs/cyber\.yaml: leads outside the workspace"),
    ("source text links to /dev/zero", _link(TEXT, "/dev/zero"), ["cyber"],
     r"seeds/daily-2024-03-05\.txt: leads outside the workspace"),
    ("source text is a FIFO", _fifo(TEXT), ["cyber"],
     r"seeds/daily-2024-03-05\.txt: is not a regular file"),
    ("source text is a folder", _folder(TEXT), ["cyber"],
     r"seeds/daily-2024-03-05\.txt: is a folder, not a file"),
    ("source text over the size limit", _sparse(TEXT, 40 * 1024 * 1024), ["cyber"],
     r"seeds/daily-2024-03-05\.txt: is too large \(40\.0 MB; the limit for a text is 32\.0 MB\)"),
    ("brief spec over the size limit", _sparse(BRIEF, 20 * 1024 * 1024), ["cyber"],
     r"briefs/cyber\.yaml: is too large"),
    ("source text name too long", _long_text_name, ["cyber"],
     r"seeds/a{300}\.txt: the path is too long"),
    ("source text is a loop of links", _link(TEXT, lambda root: root / TEXT), ["cyber"],
     r"seeds/daily-2024-03-05\.txt: too many levels of symbolic links"),
    ("settings reference_docx outside templates/",
     _write("templates/settings.yaml", "reference_docx: ../../x/house.docx\n"), ["cyber"],
     r"templates/settings\.yaml:1: reference_docx must name a file inside templates/"),
    ("settings reference_docx is an absolute path",
     _write("templates/settings.yaml", "reference_docx: /etc/passwd\n"), ["cyber"],
     r"templates/settings\.yaml:1: reference_docx must name a file inside templates/"),
    ("template links outside the workspace", _link(TEMPLATE, _outside_file), ["cyber"],
     r"templates/brief\.md\.j2: leads outside templates/"),
    ("template links into seeds/", _link(TEMPLATE, lambda root: root / TEXT), ["cyber"],
     r"templates/brief\.md\.j2: leads outside templates/"),
    ("template includes a link leading out", lambda root: (
        _outside_file(root), (root / "templates/part.md.j2").symlink_to(root.parent / "outside.txt"),
        _template("{% include 'part.md.j2' %}\n")(root)),
     ["cyber"], r"templates/part\.md\.j2: leads outside templates/"),
    # templates over their budget
    ("template: recursive macro", _template("{% macro m() %}{{ m() }}{% endmacro %}\n{{ m() }}\n"),
     ["cyber"], r"templates/brief\.md\.j2:\d: template calls itself without end"),
    ("template includes itself", _template("# T\n{% include 'brief.md.j2' %}\n"), ["cyber"],
     r"templates/brief\.md\.j2:2: template calls itself without end"),
    ("template: range(10**9)", _template("# T\n{% for i in range(10**9) %}x{% endfor %}\n"), ["cyber"],
     r"templates/brief\.md\.j2:2: template over its budget: loops over more than"),
    ("template: a huge string", _template("# T\n\n{{ 'x' * 10**9 }}\n"), ["cyber"],
     r"templates/brief\.md\.j2:3: template over its budget: a repeated string"),
    ("template: a string doubled in a loop", _template(
        "{% set ns = namespace(s='x') %}\n{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}\n{{ ns.s|length }}\n"), ["cyber"],
     r"templates/brief\.md\.j2:2: template over its budget: a string joined"),
    ("template: a huge format width", _template("{{ '{:>999999999}'.format(1) }}\n"), ["cyber"],
     r"templates/brief\.md\.j2:1: template over its budget: a format width"),
    ("template: a huge padding filter", _template("{{ brief.title|center(10**9) }}\n"), ["cyber"],
     r"templates/brief\.md\.j2:1: template over its budget: a width or count"),
    # hostile house documents
    ("house .docx: a zip bomb", lambda root: house_docx(root / "house.docx", bomb_mb=100),
     ["cyber", "--reference-docx", "{root}/house.docx"],
     r".*house\.docx: house document refused: would take 101 MB uncompressed .*zip bomb"),
    ("house .docx: a DTD in theme1.xml", lambda root: house_docx(root / "house.docx", dtd=True),
     ["cyber", "--reference-docx", "{root}/house.docx"],
     r".*house\.docx: house document refused: word/theme/theme1\.xml declares a DTD"),
    ("house .docx: too many members", lambda root: house_docx(root / "house.docx", members=1200),
     ["cyber", "--reference-docx", "{root}/house.docx"],
     r".*house\.docx: house document refused: holds 1,2\d\d members"),
    ("house .docx in settings with a DTD", lambda root: (
        house_docx(root / "templates/house.docx", dtd=True),
        _write("templates/settings.yaml", "reference_docx: house.docx\n")(root)),
     ["cyber"], r".*templates/house\.docx: house document refused: word/theme/theme1\.xml declares a DTD"),
    ("house .docx in settings links outside templates/", lambda root: (
        house_docx(root.parent / "house.docx"), (root / "templates/house.docx").symlink_to(root.parent / "house.docx"),
        _write("templates/settings.yaml", "reference_docx: house.docx\n")(root)),
     ["cyber"], r"templates/settings\.yaml:1: reference_docx must name a file inside templates/"),
    # layout limits met by layout, or refused with the line
    ("a 46-column table in the template", _write(TEMPLATE, "# T\n\n" + _wide_table(46) + "\n"), ["cyber"],
     r"templates/brief\.md\.j2:3: a table of 46 columns is too wide for a page \(at most 20\)"),
    ("a 21-column table in a topic's template", _write("templates/topics/cyber.md.j2",
                                                       "# T\n\nText.\n\n" + _wide_table(21) + "\n"),
     ["cyber"], r"templates/topics/cyber\.md\.j2:5: a table of 21 columns is too wide"),
    ("a wide table made by a loop", _write(TEMPLATE, "# T\n\n{% for i in range(30) %}| c{{ i }} {% endfor %}|\n"
                                                     "{% for i in range(30) %}|---{% endfor %}|\n"), ["cyber"],
     r"templates/brief\.md\.j2: a table of 30 columns is too wide"),
    ("a brief date in the year 224", _replace(BRIEF, "date: 2024-11-01", "date: 0224-11-01"), ["cyber"],
     r"briefs/cyber\.yaml:4: date: the year 224 is not a year of a brief"),
    # names that would collide with other commands' output
    ("topic named timeline", lambda root: shutil.copy(root / BRIEF, root / "briefs/timeline.yaml"),
     ["timeline"], r"briefs/timeline\.yaml:1: 'timeline' cannot be a topic name"),
    ("topic named like a review copy", lambda root: shutil.copy(root / BRIEF, root / "briefs/cyber-review.yaml"),
     ["cyber-review"], r"briefs/cyber-review\.yaml:1: 'cyber-review' cannot be a topic name"),
    ("--all with a spec named timeline", lambda root: shutil.copy(root / BRIEF, root / "briefs/timeline.yaml"),
     ["--all"], r"briefs/timeline\.yaml:1: 'timeline' cannot be a topic name"),
    ("review name given, no spec", None, ["x-review"], r"briefs/x-review\.yaml: 'x-review' cannot be a topic name"),
    ("template: nested loops without end", _template(
        "{% for a in 'x' * 100000 %}\n{% for b in 'x' * 100000 %}{% endfor %}{% endfor %}\n"), ["cyber"],
     r"templates/brief\.md\.j2:\d: template over its budget: the template ran for more than"),
]


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.suffix in (".docx", ".pdf")}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A workspace built once: its outputs are the "earlier good" files."""
    root = make_workspace(tmp_path_factory.mktemp("built") / "ws")
    assert main(["--root", str(root), "build", "cyber"]) == 0
    return root


@pytest.fixture
def ws(built, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(built, root)
    return root


def test_catalogue_has_at_least_thirty_cases():
    assert len(CASES) >= 30
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("name,mutate,argv,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input(ws, capsys, name, mutate, argv, expected):
    before = digest(ws / "briefs")
    assert set(before) == {"cyber.docx", "cyber.pdf"}
    if mutate:
        mutate(ws)
    code = main(["--root", str(ws), "build", *[a.format(root=ws) for a in argv]])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert lines, "no message"
    assert re.match(expected, lines[0]), lines
    assert "Traceback" not in err
    assert SECRET not in out + err
    assert not re.search(r"0x[0-9a-f]{6,}|<\w+ object", err), err
    for line in lines:
        assert re.match(r"^\S[^:]*(:\d+)?: \S.*$", line), line
    assert digest(ws / "briefs") == before


def test_no_traceback_from_the_real_command(ws):
    """The installed command, not just main(): one line on stderr, exit 2."""
    edit(ws / BRIEF, "date: 2024-11-01", "date: soon")
    proc = subprocess.run([sys.executable, "-m", "briefgen.cli", "--root", str(ws), "build", "cyber"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("briefs/cyber.yaml:4: date:")
    assert proc.stdout == ""


@pytest.mark.parametrize("escape,name", [("\\x07", "U+0007"), ("\\ud800", "U+D800"), ("\\x00", "U+0000")])
def test_characters_xml_cannot_hold_are_dropped_with_a_warning(ws, capsys, escape, name):
    edit(ws / BRIEF, 'title: "Cyber cooperation"', f'title: "Cyber{escape} cooperation"')
    code = main(["--root", str(ws), "build", "cyber"])
    out, err = capsys.readouterr()
    if code == 2 and name == "U+D800":
        # libyaml (PyYAML's C loader) refuses a lone surrogate escape outright: also fine,
        # as long as it is one line that says where.
        assert err == ("briefs/cyber.yaml:2: YAML syntax error: found invalid Unicode character "
                       "escape code (while parsing a quoted scalar)\n")
        return
    assert code == 0, err
    assert f"briefs/cyber.yaml:2: warning: title: dropped character(s) a document cannot hold: {name}" in err
    from docx import Document

    assert Document(str(ws / "briefs" / "cyber.docx")).core_properties.title == "Cyber cooperation"
    # With --strict the warning stops the build and the good files stay as they were.
    before = digest(ws / "briefs")
    edit(ws / BRIEF, "Cyber", "Cyber ")
    assert main(["--root", str(ws), "build", "cyber", "--strict"]) == 2
    assert digest(ws / "briefs") == before


@pytest.mark.parametrize("escape,name", [("\\u202e", "U+202E"), ("\\u2066", "U+2066"),
                                         ("\\u200b", "U+200B"), ("\\u00ad", "U+00AD")])
def test_invisible_characters_that_would_hide_words_are_dropped_with_a_warning(ws, capsys, escape, name):
    """A right-to-left override would show "ton" as "not"; a zero-width space would hide
    a name from the evidence checks: what the reader sees must be what was checked."""
    edit(ws / BRIEF, 'title: "Cyber cooperation"', f'title: "Cyber{escape}ton cooperation"')
    code = main(["--root", str(ws), "build", "cyber"])
    err = capsys.readouterr().err
    assert code == 0, err
    warning = next(line for line in err.splitlines() if "invisible" in line)
    assert warning.startswith("briefs/cyber.yaml:2: warning: title: dropped invisible character(s) "
                              "that would make the text read otherwise than it is checked")
    assert warning.endswith(f": {name}")
    from docx import Document

    assert Document(str(ws / "briefs" / "cyber.docx")).core_properties.title == "Cyberton cooperation"


def test_a_quotation_matches_its_source_whatever_invisible_characters_either_holds(ws):
    from briefgen.workspace import open_workspace

    edit(ws / TEXT, "Cyber cooperation is a priority", "Cyber coop\u00aderation is a\u200b priority")
    assert open_workspace(ws).corpus().extracts["daily-cyber-priority"].paragraph == 2


def test_read_only_output_folder(ws, capsys):
    if os.geteuid() == 0:
        target = Path("/proc/1")  # exists, is a folder, and not even root may write there
    else:
        target = ws / "locked"
        target.mkdir()
        target.chmod(0o555)
    code = main(["--root", str(ws), "build", "cyber", "--out", str(target)])
    err = capsys.readouterr().err
    assert code == 2
    assert re.match(rf"^{re.escape(str(target))}(/cyber\.docx)?: (the output folder is not writable|cannot write)", err)


def test_disk_filling_during_a_write_keeps_the_old_file(ws, capsys, monkeypatch):
    """ENOSPC in the middle of writing: an error line, and the previous file intact."""
    before = digest(ws / "briefs")
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    code = main(["--root", str(ws), "build", "cyber"])
    monkeypatch.setattr(os, "fsync", real_fsync)
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("briefs/cyber.docx: cannot write the file: No space left on device; no file was changed")
    assert digest(ws / "briefs") == before
    assert not [p for p in (ws / "briefs").iterdir() if p.name.endswith(".tmp")]


def test_disk_really_full(ws, capsys, tmp_path):
    """A real, tiny file system that fills up during the write."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24k", "tmpfs", str(mnt)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        if os.environ.get("CI") and os.geteuid() == 0:
            pytest.fail("cannot mount a tmpfs in CI: " + proc.stderr.strip())
        pytest.skip("mounting a small tmpfs needs root: " + proc.stderr.strip())
    try:
        (mnt / "cyber.docx").write_bytes(b"old good file")
        code = main(["--root", str(ws), "build", "cyber", "--out", str(mnt)])
        err = capsys.readouterr().err
        assert code == 2
        assert "No space left on device" in err
        assert (mnt / "cyber.docx").read_bytes() == b"old good file"
        assert not [p for p in mnt.iterdir() if p.name.endswith(".tmp")]
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_empty_workspace(tmp_path, capsys):
    code = main(["--root", str(tmp_path), "build", "--all"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == "briefs: no briefs to build: briefs/ holds no <topic>.yaml\n"
