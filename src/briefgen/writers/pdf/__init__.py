"""The PDF writer (reportlab): ``render_pdf`` turns a ``Document`` tree into a PDF.

``writer`` walks the tree, one method per node; ``notes`` lays footnotes out at the
foot of their page; ``page`` draws the page furniture and owns the canvas; ``fonts``
embeds the fonts and escapes text for reportlab's paragraph markup; ``styles`` holds
the paragraph styles; ``tags`` marks the content and builds the structure tree (PDF/UA);
``archive`` writes the tree, XMP (``xmp``) and output intent once reportlab is done
(PDF/A-2b).
"""

from .writer import render_pdf

__all__ = ["render_pdf"]
