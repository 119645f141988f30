"""``briefgen`` with the PDF written untagged: the benchmark's reference for what tags cost.

Runs the command line exactly as ``briefgen`` does, except that ``render_pdf`` leaves out
the structure tree and marked content (``tagged=False``); everything else — PDF/A
metadata, output intent, object streams — is the same, so the difference between this
and ``briefgen`` is the price of tagging alone.
"""

from __future__ import annotations

import sys
from functools import partial

import briefgen.writers.pdf as pdf_writer

pdf_writer.render_pdf = partial(pdf_writer.render_pdf, tagged=False)  # type: ignore[assignment]

from briefgen.cli import main  # noqa: E402  (after the patch above, on purpose)

if __name__ == "__main__":
    sys.exit(main())
