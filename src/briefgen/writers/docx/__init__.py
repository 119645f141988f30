"""The DOCX writer (python-docx): ``render_docx`` turns a ``Document`` tree into a .docx.

``writer`` walks the tree, one method per node; ``styles`` holds the house styles;
``numbering`` the list definitions; ``parts`` the footnotes and comments parts;
``review`` the review copy's comments; ``page`` page setup, header, footer and
document properties; ``package`` opens the base document and writes the package
(the only module that uses python-docx internals); ``oxml`` names and XML helpers.
"""

from __future__ import annotations

from pathlib import Path

from ...document import Document
from ...errors import Warn
from .package import deterministic_zip, open_base
from .writer import BaseSetup, DocxWriter

__all__ = ["render_docx"]


def render_docx(doc: Document, *, reference_docx: Path | None = None,
                warn: Warn | None = None) -> bytes:
    """The .docx file for ``doc``, as bytes; the same ``doc`` always gives the same bytes.

    ``reference_docx`` is a house template whose styles, fonts, margins and page size
    the brief takes (its body is discarded). ``warn`` receives one line for each
    field that lost characters a document cannot hold; without it, Python's
    ``warnings`` module reports them.
    """
    report = warn if warn is not None else _python_warning
    house = reference_docx is None
    base = open_base(reference_docx, report, BaseSetup.of(doc, house=house))
    writer = DocxWriter(base.word, doc, report, house=house, style=base.style)
    writer.blobs.update(base.blobs)
    writer.build()
    return deterministic_zip(base.word, writer.moment, writer.blobs)


def _python_warning(message: str) -> None:
    import warnings

    warnings.warn(message, stacklevel=3)
