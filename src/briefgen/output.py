"""Writing output so that a failed build never damages the last good file.

Every file is first written whole to a temporary file in its target directory; only
when every file of the build has been written are they renamed into place. Readers see
the old files or the new ones, never half of either; a build that fails part-way (a
full disk, a bad topic) leaves every earlier output byte-identical; and two builds of
the same topic at the same time each leave complete, valid files.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
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


@dataclass
class OutputSet:
    """Files staged as temporaries, renamed into place together by ``commit``.

    Use as a context manager: leaving the block without ``commit`` removes the temporaries.
    """

    staged: list[tuple[str, Path, str]] = field(default_factory=list)  # (temp, target, shown)

    def add(self, path: Path, data: bytes, shown: str | None = None) -> None:
        shown = shown or str(path)
        tmp_name = None
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            self.staged.append((tmp_name, path, shown))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise BriefgenError(f"cannot write the file: {reason}; no file was changed",
                                path=shown) from None

    def commit(self) -> None:
        for tmp_name, path, shown in self.staged:
            try:
                os.replace(tmp_name, path)
            except OSError as exc:
                raise BriefgenError(f"cannot put the file in place: {exc.strerror}",
                                    path=shown) from None
        self.staged.clear()

    def discard(self) -> None:
        for tmp_name, _, _ in self.staged:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
        self.staged.clear()

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def atomic_write(path: Path, data: bytes, shown: str | None = None) -> None:
    """Write one file through a temporary file and an atomic rename."""
    with OutputSet() as out:
        out.add(path, data, shown)
        out.commit()
