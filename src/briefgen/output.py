"""Writing output so that a failed build never damages the last good file.

Every file is written to a temporary file in its target directory and renamed into
place: readers see the old file or the new one, never half of either, and two builds
of the same topic at the same time each leave a complete, valid file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import BriefgenError


def prepare_dir(path: Path, shown: str) -> Path:
    """The output folder, created if missing; one clear error if it cannot be used."""
    if path.exists() and not path.is_dir():
        raise BriefgenError("the output folder is a file, not a folder", path=shown)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefgenError(f"cannot create the output folder: {exc.strerror}", path=shown) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise BriefgenError("the output folder is not writable", path=shown)
    return path


def atomic_write(path: Path, data: bytes, shown: str | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename."""
    shown = shown or str(path)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise BriefgenError(f"cannot write the file: {reason}; the previous file is untouched",
                            path=shown) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
