"""`briefgen build --email`: the covering e-mail, a draft with the PDF attached."""

from __future__ import annotations

import email
import re
from email import policy
from html.parser import HTMLParser

import pytest

from briefgen.brief import CITATION, parse_citation
from briefgen.cli import main
from briefgen.workspace import open_workspace
from workspaces import ROOT

TOPICS = sorted(p.stem for p in (ROOT / "briefs").glob("*.yaml"))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _words(text: str) -> str:
    """Text as compared: Markdown marks and citations gone, white space runs one space."""
    text = CITATION.sub("", text)
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.split()).replace(" .", ".").replace(" ;", ";").replace(" ,", ",")


@pytest.fixture(scope="module", params=TOPICS[:2])
def built(request, tmp_path_factory):
    topic = request.param
    out = tmp_path_factory.mktemp("eml")
    assert main(["--root", str(ROOT), "build", topic, "--format", "pdf", "--email", "--out", str(out)]) == 0
    message = email.message_from_bytes((out / f"{topic}.eml").read_bytes(), policy=policy.default)
    return topic, out, message


def test_the_attachment_is_the_pdf_byte_for_byte(built):
    topic, out, message = built
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    part = attachments[0]
    assert part.get_content_type() == "application/pdf"
    assert part.get_filename() == f"{topic}.pdf"
    assert part.get_content() == (out / f"{topic}.pdf").read_bytes()


def test_a_draft_with_subject_from_title_and_marking(built):
    topic, _, message = built
    ws = open_workspace(ROOT)
    brief = ws.brief(topic).brief
    marking = brief.marking if brief.marking is not None else ws.settings().marking
    assert message["X-Unsent"] == "1"
    assert message["To"] is None and message["From"] is None  # addressed by the analyst
    assert brief.title in message["Subject"]
    assert marking in message["Subject"]


def test_body_holds_bottom_line_key_points_and_their_sources(built):
    topic, _, message = built
    ws = open_workspace(ROOT)
    corpus = ws.corpus()
    brief = ws.brief(topic).brief
    plain = message.get_body(("plain",)).get_content()
    parser = _Text()
    parser.feed(message.get_body(("html",)).get_content())
    html_text = " ".join("".join(parser.parts).split())
    plain_flat = " ".join(re.sub(r" \[[\d, ]+\]", "", plain).split())
    for text in [*brief.bluf, *brief.key_points]:
        # The words of each sentence (typography aside) are in both bodies.
        for sentence in re.split(r"(?<=[.;:])\s+", _words(text)):
            probe = sentence.replace("'", "\u2019")[:40]
            assert probe in plain_flat.replace("'", "\u2019"), (topic, probe)
            assert probe in re.sub(r"\[[\d, ]+\]", "", html_text).replace("'", "\u2019"), (topic, probe)
    cited = []
    for text in [*brief.bluf, *brief.key_points]:
        for m in CITATION.finditer(text):
            for key in parse_citation(m.group(1)):
                sid = corpus.extracts[key].source.id
                if sid not in cited:
                    cited.append(sid)
    listed = re.findall(r"^\[(\d+)\] ", plain, flags=re.M)
    assert listed == [str(i) for i in range(1, len(cited) + 1)]
    for sid in cited:
        outlet = corpus.sources[sid].source.outlet or corpus.sources[sid].source.publisher
        assert any(word in plain for word in outlet.split() if len(word) > 3), (sid, outlet)


def test_email_is_reproducible_and_needs_the_pdf(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    topic = TOPICS[0]
    for run in ("a", "b"):
        assert main(["--root", str(ROOT), "build", topic, "--format", "pdf", "--email",
                     "--out", str(tmp_path / run)]) == 0
    assert (tmp_path / "a" / f"{topic}.eml").read_bytes() == (tmp_path / "b" / f"{topic}.eml").read_bytes()
    capsys.readouterr()
    assert main(["--root", str(ROOT), "build", topic, "--format", "docx", "--email",
                 "--out", str(tmp_path / "c")]) == 2
    assert "--email attaches the PDF" in capsys.readouterr().err
