"""The covering e-mail of a brief: ``TOPIC.eml``, a draft ready to address.

The body is the brief's bottom line and key points, as plain text and as HTML, each
sentence marked with the sources it rests on ([1], [2]) and those sources listed once in
Chicago bibliography form; the PDF is attached. The message is marked as a draft
(``X-Unsent: 1``), so Outlook opens it ready to address and send; Thunderbird opens it as
a message to edit ("Edit as New"). It is made from the same Document as the PDF, so the
e-mail and its attachment say the same thing. A figure is not carried in the body (a
picture in a plain-text draft would be an attachment of its own, and the body sums up in
words); the attached PDF shows it with its caption and alt text. With the same inputs the bytes are the
same: the MIME boundaries are derived from the content, and there is no Date header.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Mapping
from email import policy
from email.message import EmailMessage

from ..document import (
    Document,
    Emph,
    Heading,
    Highlight,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    NoteRef,
    Paragraph,
    Strong,
    Text,
    iter_blocks,
    plain_text,
)


class _Sources:
    """Sources numbered in order of first citation in the e-mail."""

    def __init__(self, source_of: Callable[[str], object | None]):
        self.source_of = source_of
        self.order: list[object] = []
        self.ids: dict[str, int] = {}

    def numbers(self, note: NoteRef) -> list[int]:
        out: list[int] = []
        for citation in note.citations:
            source = self.source_of(citation.key)
            if source is None:
                continue
            sid = str(getattr(source, "id", citation.key))
            if sid not in self.ids:
                self.order.append(source)
                self.ids[sid] = len(self.order)
            if self.ids[sid] not in out:
                out.append(self.ids[sid])
        return out


def _text(inlines: list[Inline], sources: _Sources) -> str:
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, (Emph, Strong, Link, Highlight)):
            out.append(_text(node.children, sources))
        elif isinstance(node, LineBreak):
            out.append(" ")
        elif isinstance(node, NoteRef):
            numbers = sources.numbers(node)
            if numbers:
                out.append(" [" + ", ".join(map(str, numbers)) + "]")
    return "".join(out)


def _html(inlines: list[Inline], sources: _Sources) -> str:
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(html.escape(node.text, quote=False))
        elif isinstance(node, Emph):
            out.append(f"<em>{_html(node.children, sources)}</em>")
        elif isinstance(node, Strong):
            out.append(f"<strong>{_html(node.children, sources)}</strong>")
        elif isinstance(node, Highlight):
            out.append(f"<mark>{_html(node.children, sources)}</mark>")
        elif isinstance(node, Link):
            out.append(f'<a href="{html.escape(node.url)}">{_html(node.children, sources)}</a>')
        elif isinstance(node, LineBreak):
            out.append("<br>")
        elif isinstance(node, NoteRef):
            numbers = sources.numbers(node)
            if numbers:
                out.append("<sup>[" + ", ".join(map(str, numbers)) + "]</sup>")
    return "".join(out)


def bottom_line_and_key_points(doc: Document) -> tuple[list[list[Inline]], list[list[Inline]]]:
    """The lead paragraphs and the items of the list under the "Key points" heading."""
    lead = [b.children for b in iter_blocks(doc.blocks) if isinstance(b, Paragraph) and b.role == "lead"]
    points: list[list[Inline]] = []
    after_heading = False
    for block in doc.blocks:
        if isinstance(block, Heading):
            after_heading = plain_text(block.children).strip().casefold() == "key points"
        elif after_heading and isinstance(block, ListBlock):
            for item in block.items:
                points.append([n for b in item if isinstance(b, Paragraph) for n in b.children])
            break
    return lead, points


def draft_email(doc: Document, pdf: bytes, pdf_name: str, source_of: Callable[[str], object | None],
                entry: Callable[[object], list[Inline]]) -> bytes:
    """The draft e-mail as .eml bytes (CRLF line ends, as mail programs store them).

    ``source_of`` gives the source an extract key cites; ``entry`` its bibliography entry.
    """
    meta = doc.meta
    lead, points = bottom_line_and_key_points(doc)
    sources = _Sources(source_of)
    lead_text = [_text(p, sources) for p in lead]
    point_text = [_text(p, sources) for p in points]
    listed = [plain_text(entry(s)) for s in sources.order]
    sources_html = _Sources(source_of)  # the same numbering, walked again for HTML
    lead_html = [_html(p, sources_html) for p in lead]
    point_html = [_html(p, sources_html) for p in points]
    listed_html = [_inline_html(entry(s)) for s in sources_html.order]

    subject = f"[{meta.marking}] {meta.title}" if meta.marking else meta.title
    as_of = f"As of {meta.date_text}" if meta.date_text else ""
    plain: list[str] = []
    if meta.marking:
        plain += [meta.marking, ""]
    plain += [meta.title] + ([meta.subtitle] if meta.subtitle else []) + ([as_of, ""] if as_of else [""])
    plain += ["Bottom line up front", "", *(f"{p}\n" for p in lead_text)]
    if point_text:
        plain += ["Key points", "", *(f"- {p}" for p in point_text), ""]
    if listed:
        plain += ["Sources", "", *(f"[{i}] {s}" for i, s in enumerate(listed, 1)), ""]
    plain += [f"The full brief, with its footnotes, is attached: {pdf_name}."]
    if meta.marking:
        plain += ["", meta.marking]

    e = html.escape
    parts = ['<!DOCTYPE html>', f'<html lang="{e(meta.language)}"><head><meta charset="utf-8">'
             f"<title>{e(subject)}</title></head>", '<body style="font-family: Calibri, Carlito, Arial, sans-serif">']
    if meta.marking:
        parts.append(f'<p style="text-align:center"><strong>{e(meta.marking)}</strong></p>')
    parts.append(f"<h1>{e(meta.title)}</h1>")
    if meta.subtitle:
        parts.append(f"<p><em>{e(meta.subtitle)}</em></p>")
    if as_of:
        parts.append(f"<p>{e(as_of)}</p>")
    parts.append("<h2>Bottom line up front</h2>")
    parts += [f"<p>{p}</p>" for p in lead_html]
    if point_html:
        parts += ["<h2>Key points</h2>", "<ul>", *(f"<li>{p}</li>" for p in point_html), "</ul>"]
    if listed_html:
        parts += ["<h2>Sources</h2>", "<ol>", *(f"<li>{s}</li>" for s in listed_html), "</ol>"]
    parts.append(f"<p>The full brief, with its footnotes, is attached: {e(pdf_name)}.</p>")
    if meta.marking:
        parts.append(f'<p style="text-align:center"><strong>{e(meta.marking)}</strong></p>')
    parts.append("</body></html>")

    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = subject
    msg["X-Unsent"] = "1"
    if meta.language:
        msg["Content-Language"] = meta.language
    msg.set_content("\n".join(plain) + "\n", subtype="plain", cte="quoted-printable")
    msg.add_alternative("\n".join(parts) + "\n", subtype="html", cte="quoted-printable")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    digest = hashlib.sha256("\n".join(plain).encode() + pdf).hexdigest()[:24]
    for i, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"briefgen-{digest}-{i}")
    return msg.as_bytes()


def _inline_html(inlines: list[Inline]) -> str:
    return _html(inlines, _Sources(lambda key: None))


def source_lookup(extracts: Mapping[str, object]) -> Callable[[str], object | None]:
    """``source_of`` for ``draft_email`` from a corpus's extract records."""

    def source_of(key: str) -> object | None:
        record = extracts.get(key)
        return getattr(record, "source", None) if record is not None else None

    return source_of
