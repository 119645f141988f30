"""`briefgen watch`: warm rebuilds on every save; problems reported, watching goes on."""

from __future__ import annotations

import argparse
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from briefgen.commands import watch
from workspaces import edit, make_workspace

SRC = str(Path(__file__).resolve().parent.parent / "src")
STATUS = re.compile(r"^\d\d:\d\d:\d\d cyber: rebuilt in \d+\.\d\d s, (\d+) notes, (\d+) warning\(s\) "
                    r"\u2192 (.+)$")


def _args(ws: Path, out: Path, fmt: str = "both") -> argparse.Namespace:
    return argparse.Namespace(root=str(ws), topics=["cyber"], format=fmt, out=str(out))


def test_each_save_rebuilds_and_a_problem_does_not_stop_watching(tmp_path, capsys):
    ws = make_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    spec = ws / "briefs" / "cyber.yaml"
    record = ws / "seeds" / "daily-2024-03-05.yaml"
    snapshots: list[bytes] = []

    def saves():
        snapshots.append((out / "cyber.pdf").read_bytes())
        edit(spec, 'title: "Cyber cooperation"', 'title: "Cyber cooperation in 2024"')
        yield {("modified", str(spec))}
        snapshots.append((out / "cyber.pdf").read_bytes())
        edit(spec, "date: 2024-11-01", "date: 2024-13-01")  # a bad date
        yield {("modified", str(spec))}
        snapshots.append((out / "cyber.pdf").read_bytes())
        edit(record, "quote: Cyber cooperation is a priority", "quote: Cyber cooperation is the priority")
        edit(spec, "date: 2024-13-01", "date: 2024-11-01")
        yield {("modified", str(record)), ("modified", str(spec))}
        edit(record, "quote: Cyber cooperation is the priority", "quote: Cyber cooperation is a priority")
        yield {("modified", str(record))}
        yield {("modified", str(ws / "briefs" / "cyber.docx")), ("added", str(ws / "notes.txt"))}

    assert watch.run(_args(ws, out), saves()) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 5, lines  # the first build, then one line per rebuild
    first, renamed, broken, broken_source, fixed = lines
    assert STATUS.match(first) and STATUS.match(renamed) and STATUS.match(fixed)
    notes = int(STATUS.match(first).group(1))
    assert notes > 0 and int(STATUS.match(fixed).group(1)) == notes
    assert STATUS.match(first).group(3) == f"{out}/cyber.docx, {out}/cyber.pdf"
    assert "cyber: not rebuilt, 1 problem(s); the previous files are kept" in broken
    assert "cyber: not rebuilt" in broken_source
    err = captured.err.splitlines()
    assert any(line.startswith("briefs/cyber.yaml:") and "2024-13-01" in line for line in err), err
    assert any(line.startswith("seeds/daily-2024-03-05.yaml:") and "quotation not found" in line
               for line in err), err
    # The rename reached the PDF; the failed rebuild left it as it was.
    assert snapshots[0] != snapshots[1] and snapshots[1] == snapshots[2]


def test_an_unknown_topic_is_refused_before_watching(tmp_path, capsys):
    from briefgen.errors import BriefgenError

    ws = make_workspace(tmp_path / "ws")
    with pytest.raises(BriefgenError, match="unknown topic 'cyberr'"):
        watch.run(argparse.Namespace(root=str(ws), topics=["cyberr"], format="pdf", out=None), [])


def test_watch_process_rebuilds_on_a_real_save(tmp_path):
    """The command as a user runs it: watchfiles sees the save; Ctrl-C ends it quietly."""
    ws = make_workspace(tmp_path / "ws")
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "watch", "cyber", "--format", "pdf"],
                            cwd=ws / "briefs", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()

    def next_line(timeout: float = 60) -> str:
        return lines.get(timeout=timeout).rstrip("\n")

    try:
        assert "cyber: rebuilt" in next_line()
        assert next_line().startswith("watching seeds/, briefs/, templates/")
        time.sleep(0.5)
        before = (ws / "briefs" / "cyber.pdf").read_bytes()
        edit(ws / "briefs" / "cyber.yaml", 'title: "Cyber cooperation"', 'title: "Cyber talks"')
        status = next_line()
        assert "cyber: rebuilt" in status and "briefs/cyber.pdf" in status, status
        assert (ws / "briefs" / "cyber.pdf").read_bytes() != before
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr.read()


def test_a_saved_template_is_used_at_once(tmp_path, capsys):
    """The warm process keeps compiled templates, but never one that was saved since."""
    import zipfile

    ws = make_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    template = ws / "templates" / "brief.md.j2"
    seen: list[str] = []

    def document_xml() -> str:
        with zipfile.ZipFile(out / "cyber.docx") as z:
            return z.read("word/document.xml").decode("utf-8")

    def saves():
        seen.append(document_xml())
        template.write_text(template.read_text(encoding="utf-8").replace(
            "## Key points", "## Main points"), encoding="utf-8")
        yield {("modified", str(template))}
        seen.append(document_xml())
        template.unlink()  # the default shipped in the package takes over
        yield {("deleted", str(template))}
        seen.append(document_xml())

    assert watch.run(_args(ws, out, "docx"), saves()) == 0
    assert "Key points" in seen[0] and "Main points" not in seen[0]
    assert "Main points" in seen[1] and "Key points" not in seen[1]
    assert "Key points" in seen[2] and "Main points" not in seen[2]
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_a_saved_figure_rebuilds(tmp_path, capsys):
    """A picture in figures/ is part of the brief: saving it rebuilds, and the new picture shows."""
    import io
    import zipfile

    from PIL import Image

    def png(colour: tuple[int, int, int]) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (60, 40), colour).save(out, format="PNG")
        return out.getvalue()

    ws = make_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    (ws / "figures").mkdir()
    picture = ws / "figures" / "map.png"
    picture.write_bytes(png((200, 0, 0)))
    edit(ws / "briefs" / "cyber.yaml", '      - "Officials named cyber',
         "      - '![A red block](figures/map.png \"A map\")'\n      - \"Officials named cyber")
    seen: list[set[bytes]] = []

    def media() -> set[bytes]:
        with zipfile.ZipFile(out / "cyber.docx") as z:
            return {z.read(n) for n in z.namelist() if n.startswith("word/media/")}

    def saves():
        seen.append(media())
        picture.write_bytes(png((0, 0, 200)))
        yield {("modified", str(picture))}
        seen.append(media())

    assert watch.run(_args(ws, out, "docx"), saves()) == 0
    assert seen == [{png((200, 0, 0))}, {png((0, 0, 200))}]
    assert len(capsys.readouterr().out.splitlines()) == 2
    from briefgen.watch import relevant, watched_paths
    from briefgen.workspace import Workspace

    warm = Workspace(ws.resolve())
    assert relevant(warm)(None, str(picture.resolve()))  # the real watcher's filter keeps it
    assert (ws / "figures").resolve() in [p.resolve() for p in watched_paths(warm)]


# ---------------------------------------------------------------- warm = cold, byte for byte

_TITLE = re.compile(r'^(title: "?)(.*?)("?)$', flags=re.M)


def _cold_builds(ws: Path, topics: list[str], out: Path) -> dict[str, tuple[bytes, bytes, str]]:
    """Each topic built by its own fresh ``briefgen build`` process: (DOCX, PDF, stderr)."""
    env = {**os.environ, "PYTHONPATH": SRC}
    procs = {topic: subprocess.Popen(
        [sys.executable, "-m", "briefgen", "--root", str(ws), "build", topic, "--out", str(out / topic)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for topic in topics}
    done: dict[str, tuple[bytes, bytes, str]] = {}
    for topic, proc in procs.items():
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        done[topic] = ((out / topic / f"{topic}.docx").read_bytes(),
                       (out / topic / f"{topic}.pdf").read_bytes(), err)
    return done


def _cited_record(ws: Path, topic: str):
    """An extract the topic cites whose source has an archived text (from the workspace)."""
    from briefgen.workspace import open_workspace

    w = open_workspace(ws)
    corpus = w.corpus()
    for _, key in w.brief(topic).cited_keys():
        record = corpus.extracts.get(key)
        if record is not None and record.archived and record.text_line:
            return record, corpus.sources[record.source.id]
    raise AssertionError(f"{topic} cites no extract of an archived text")


def test_warm_rebuilds_equal_cold_builds_after_every_kind_of_save(tmp_path, request):
    """After each kind of save (spec, settings, record, text, template), the files the
    warm process writes are byte for byte those of a fresh ``briefgen build``, for the
    topic saved and for another topic watched beside it (nothing leaks between topics),
    and its warnings are those the fresh build prints."""
    from briefgen.watch import Watcher
    from briefgen.workspace import open_workspace
    from workspaces import copy_repository_workspace

    ws = copy_repository_workspace(tmp_path / "ws")
    topics = ["cyber", *[t for t in sorted(p.stem for p in (ws / "briefs").glob("*.yaml")) if t != "cyber"][:1]]
    out = tmp_path / "warm"
    watcher = Watcher(open_workspace(ws), topics, ("docx", "pdf"), str(out))
    request.addfinalizer(watcher.close)
    spec = ws / "briefs" / "cyber.yaml"
    settings = ws / "templates" / "settings.yaml"
    template = ws / "templates" / "brief.md.j2"
    extract, source = _cited_record(ws, "cyber")
    record = ws / extract.path
    text = ws / source.text_path
    previous: dict[str, bytes] = {}

    def title(path: Path) -> None:
        body = path.read_text(encoding="utf-8")
        assert _TITLE.search(body), path
        path.write_text(_TITLE.sub(r"\1\2 (revised)\3", body, count=1), encoding="utf-8")

    def spec_date() -> None:
        body = spec.read_text(encoding="utf-8")
        m = re.search(r"^date: (\d{4})-(\d\d)-(\d\d)$", body, flags=re.M)
        assert m, "the spec has no date line"
        day = 1 if m.group(3) == "28" else int(m.group(3)) + 1
        edit(spec, m.group(0), f"date: {m.group(1)}-{m.group(2)}-{day:02d}")

    def house_style() -> None:  # notes show paragraphs (the text edit below then moves them)
        edit(settings, "locators: false", "locators: true")
        edit(settings, "date_style: dmy", "date_style: mdy")
        body = settings.read_text(encoding="utf-8")  # and the details check reads the glossary
        group = re.search(r"^  - \[.*\]\n", body, flags=re.M)
        assert group, "settings hold no glossary group"
        edit(settings, group.group(0), "")

    def record_title() -> None:
        body = record.read_text(encoding="utf-8")
        m = re.search(r'^(  title: "?)(.*?)("?)$', body, flags=re.M)
        assert m, record
        edit(record, m.group(0), f"{m.group(1)}{m.group(2)} (revised){m.group(3)}")

    def new_paragraph() -> None:  # a paragraph before the cited one: its number moves
        lines = text.read_text(encoding="utf-8").split("\n")
        at = extract.text_line - 1
        text.write_text("\n".join([*lines[:at], "", "A paragraph added in a later revision.", "",
                                   *lines[at:]]), encoding="utf-8")

    def heading() -> None:
        body = template.read_text(encoding="utf-8")
        m = re.search(r"^## ([^{\n]+)$", body, flags=re.M)
        assert m, template
        edit(template, m.group(0), f"## {m.group(1)} (revised)")

    saves = [(spec, lambda: title(spec)), (spec, spec_date), (settings, house_style),
             (record, record_title), (text, new_paragraph), (template, heading)]
    results = [watcher.rebuild(t) for t in topics]
    watcher.settle()  # between saves, as the command does: collected, what is loaded frozen
    for step, (path, change) in enumerate([(None, None), *saves]):
        if change is not None:
            change()
            affected = watcher.affected([path])
            assert affected, path
            results = [watcher.rebuild(t) for t in affected]
            watcher.settle()
        cold = _cold_builds(ws, [r.topic for r in results], tmp_path / f"cold-{step}")
        for result in results:
            assert not result.problems, [str(p) for p in result.problems]
            topic = result.topic
            docx, pdf, err = cold[topic]
            where = f"{topic} after saving {path.name if path else 'nothing'}"
            assert (out / f"{topic}.docx").read_bytes() == docx, where
            assert (out / f"{topic}.pdf").read_bytes() == pdf, where
            if topic == "cyber":  # every save changed what the reader sees
                assert pdf != previous.get(topic), where
            previous[topic] = pdf
            warm = {str(w) for w in result.warnings}
            printed = set(err.splitlines())
            assert warm <= printed, (where, warm - printed)
            assert {line for line in printed if ": note " in line} <= warm, where
