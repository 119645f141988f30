"""Reading input files: only regular files, only inside the workspace, only so big.

Every file briefgen reads on the analyst's behalf (records, source texts, specs,
settings, templates, a house .docx named in the settings) goes through ``read_input``:

- the path is resolved, symbolic links included, and the real file must lie inside the
  folder it belongs to (the workspace, or ``templates/`` for templates); a link that
  leads outside is refused, so no message can ever quote text from outside;
- only a regular file is read: a folder, a pipe (FIFO), a device or a socket is refused
  (the file is opened non-blocking, so a pipe with no writer cannot hang the build);
- each kind of input has a size limit, checked before reading and again while reading;
- every operating-system error (a path too long, no permission, a loop of links) is one
  line naming the path as the user wrote it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from .errors import BriefgenError

MB = 1024 * 1024

#: Told of every input file read while set (path, its bytes; None: refused): ``check``
#: notes which files one brief's findings came from (``checkcache``).
readers: list[Callable[[Path, bytes | None], None]] = []

#: The largest file briefgen reads, by kind. A 12,500-note brief's spec is about 3 MB,
#: the longest archived source text a few hundred KB.
LIMITS: dict[str, int] = {
    "record": 16 * MB,      # seeds/<id>.yaml
    "text": 32 * MB,        # seeds/<id>.txt
    "spec": 16 * MB,        # briefs/<topic>.yaml
    "settings": 1 * MB,     # templates/settings.yaml
    "template": 1 * MB,     # templates/*.j2
    "house document": 32 * MB,  # a house .docx (its members have their own limits)
    "figure": 20 * MB,      # figures/<name>.png|.jpg (settings: figures.max_megabytes)
}

_REASONS = {
    errno.ENAMETOOLONG: "the path is too long for the file system",
    errno.EACCES: "not permitted to read it",
    errno.EPERM: "not permitted to read it",
    errno.ELOOP: "too many levels of symbolic links",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ENOENT: "file not found",
    errno.EISDIR: "is a folder, not a file",
}


def os_problem(exc: OSError, shown: str) -> BriefgenError:
    """One line for an operating-system error on ``shown``; never the OS's own text of paths."""
    reason = _REASONS.get(exc.errno or 0) or f"cannot read it: {exc.strerror or 'error'}"
    return BriefgenError(reason, path=shown)


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, links resolved, lies in ``root`` (links resolved too)."""
    try:
        real = Path(os.path.realpath(path, strict=True))
    except OSError:
        return False
    return real.is_relative_to(os.path.realpath(root))


def read_input(path: Path, shown: str, *, kind: str, root: Path | None,
               limit: int | None = None) -> bytes:
    """The bytes of one input file, or a one-line ``BriefgenError``.

    ``root`` is the folder the real file must lie in (None: a path the user typed on the
    command line, which may be anywhere but must still be a regular file within limits).
    ``limit`` replaces the kind's size limit (one the settings set).
    """
    if not readers:
        return _read(path, shown, kind, root, limit)
    data = None
    try:
        data = _read(path, shown, kind, root, limit)
        return data
    finally:
        for told in readers:
            told(path, data)


def _read(path: Path, shown: str, kind: str, root: Path | None, limit: int | None) -> bytes:
    limit = LIMITS[kind] if limit is None else limit
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        raise os_problem(exc, shown) from None
    except ValueError:  # a NUL byte in the path
        raise BriefgenError("the path holds a character no file name can hold", path=shown) from None
    if root is not None and not Path(real).is_relative_to(os.path.realpath(root)):
        where = f"{Path(root).name}/" if Path(root).name in ("templates", "figures") else "the workspace"
        raise BriefgenError(f"leads outside {where} (a link or '..'); briefgen reads only files "
                            f"inside {where}", path=shown)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise os_problem(exc, shown) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise BriefgenError("is a folder, not a file", path=shown)
        if not stat.S_ISREG(info.st_mode):
            raise BriefgenError("is not a regular file (a pipe, device or socket); briefgen reads "
                                "only plain files", path=shown)
        if info.st_size > limit:
            raise BriefgenError(f"is too large ({_size(info.st_size)}; the limit for a {kind} is "
                                f"{_size(limit)})", path=shown)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(MB, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # the file grew while being read
                raise BriefgenError(f"is too large (over {_size(limit)}, the limit for a {kind})",
                                    path=shown)
        return b"".join(chunks)
    except OSError as exc:
        raise os_problem(exc, shown) from None
    finally:
        os.close(fd)
