"""Shared test helpers.

Real-client tests (LibreOffice, pandoc, qpdf, poppler) may skip on a developer's
machine where a tool is missing, with the reason stated; in CI (``CI`` set) a
missing tool fails the test instead, so they always run there.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def require_tool(name: str) -> str:
    """The path of a command-line tool, or skip (locally) / fail (in CI) without it."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (.ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message + "; real-client tests must run in CI")
    pytest.skip(message)


def require_pandoc() -> str:
    """The pandoc binary from pypandoc-binary (or the system), as require_tool does."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return require_tool("pandoc")


@pytest.fixture
def repo_root() -> Path:
    return ROOT
