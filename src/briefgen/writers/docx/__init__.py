"""The DOCX writer: ``render_docx`` turns a ``Document`` tree into a .docx.

``writer`` walks the tree, one method per node, writing markup (``markup``);
``numbering`` the list definitions; ``review`` the review copy's comments (lxml);
``page`` page size, header, footer and document properties; ``figures`` pictures;
``opc`` the package as text and the stored default base; ``zipped`` the zip.
A house template is opened and set up with python-docx and lxml (``package``,
``styles``, ``parts``, ``oxml``), which a build without one does not import.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ...document import Document
from ...errors import Warn
from .opc import Package, default_base
from .writer import BaseSetup, DocxWriter

__all__ = ["render_docx", "start_docx"]


def render_docx(doc: Document, *, reference_docx: Path | None = None,
                warn: Warn | None = None) -> bytes:
    """The .docx file for ``doc``, as bytes; the same ``doc`` always gives the same bytes.

    ``reference_docx`` is a house template whose styles, fonts, margins and page size
    the brief takes (its body is discarded). ``warn`` receives one line for each
    field that lost characters a document cannot hold; without it, Python's
    ``warnings`` module reports them.
    """
    package, writer = _written(doc, reference_docx, warn)
    return package.zip(writer.moment)


def start_docx(doc: Document, *, reference_docx: Path | None = None,
               warn: Warn | None = None) -> Callable[[], bytes]:
    """``render_docx``, its zip compressed on a thread: the document is written now (its
    warnings given now), and the function returned gives the same bytes once they are
    compressed. A command does other work meanwhile (the evidence checks)."""
    package, writer = _written(doc, reference_docx, warn)
    return package.zip_later(writer.moment)


def _written(doc: Document, reference_docx: Path | None, warn: Warn | None) -> tuple[Package, DocxWriter]:
    report = warn if warn is not None else _python_warning
    house = reference_docx is None
    setup = BaseSetup.of(doc, house=house)
    if reference_docx is None:
        base = default_base(setup.review, setup.figures, setup.language)
    else:
        from .package import house_base

        base = house_base(reference_docx, report, setup)
    package = Package(base)
    writer = DocxWriter(package, doc, report, house=house)
    writer.build()
    return package, writer


def _python_warning(message: str) -> None:
    import warnings

    warnings.warn(message, stacklevel=3)
