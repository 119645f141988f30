"""The warm process keeps deflated PDF streams by their bytes: same answers as zlib, same PDF."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.memo import between_builds, keep_between_builds
from briefgen.writers.pdf import streams


@pytest.fixture
def warm() -> Iterator[None]:
    was = between_builds()
    keep_between_builds(True)
    yield
    keep_between_builds(was)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(min_size=streams._SMALL, max_size=4000), min_size=1, max_size=4), st.data())
def test_each_answer_is_what_zlib_gives(blocks: list[bytes], data: st.DataObject) -> None:
    was = between_builds()
    keep_between_builds(True)
    try:
        for block in [*blocks, b""]:
            assert streams._encode(block) == zlib.compress(block)
            assert streams._encode(block) == zlib.compress(block)  # the kept answer
            if block:  # the same length, one byte changed: never the old answer (keyed by bytes)
                at = data.draw(st.integers(0, len(block) - 1))
                changed = block[:at] + bytes([block[at] ^ 0xFF]) + block[at + 1:]
                assert streams._encode(changed) == zlib.compress(changed)
        text = "stream text \u2013 as reportlab may give it"
        assert streams._encode(text * 40) == zlib.compress((text * 40).encode("utf8"))
    finally:
        keep_between_builds(was)


def test_a_warm_pdf_is_the_cold_one_and_reuses_unchanged_streams(tmp_path, warm) -> None:
    """A brief built, renamed and built again in a warm process: the second PDF equals a
    fresh build's, and the streams that did not change (font subsets, later pages) were
    taken from the first build."""
    from briefgen.commands.common import build_document, render
    from briefgen.workspace import open_workspace
    from workspaces import copy_repository_workspace, edit

    ws = copy_repository_workspace(tmp_path / "ws")
    spec = ws / "briefs" / "cyber.yaml"
    workspace = open_workspace(ws)

    def pdf() -> bytes:
        _, doc = build_document(workspace, "cyber", workspace.settings(), None)
        return render(doc, "pdf", None)

    pdf()
    body = spec.read_text(encoding="utf-8")
    title = next(line for line in body.splitlines() if line.startswith("title:"))
    edit(spec, title, title.rstrip('"') + ' (revised)"' if title.endswith('"') else title + " (revised)")
    hits = streams._DEFLATED.hits
    warm_pdf = pdf()
    assert streams._DEFLATED.hits > hits
    keep_between_builds(False)
    streams._DEFLATED.clear()
    assert pdf() == warm_pdf
