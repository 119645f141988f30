"""briefgen: sourced policy briefs with real footnotes, as DOCX and PDF."""

__version__ = "0.1.0"
