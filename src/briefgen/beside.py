"""One rendering beside another: a forked child draws the PDF while the command writes the DOCX.

A build of both files writes the DOCX (python-docx) and the PDF (reportlab, pikepdf) from
the same finished tree, and neither reads what the other makes. On a machine with a
second core the command forks once the tree is complete: the child draws the PDF while
the command writes the DOCX, so the analyst waits for the longer of the two, not for both.

What the user sees is what a build one after the other gives:

- the child sends back the PDF's bytes and the warnings its writer gave, in their order;
  they are passed on once the DOCX is done, as if the PDF had been drawn after it;
- a ``BriefgenError`` in the child is raised once the DOCX is done (an error of the
  DOCX itself comes first, as before, and the child is stopped);
- anything else (an unexpected exception, the child killed, a result that cannot be
  read) and the command draws the PDF itself, so a failure looks exactly as it did.

The child writes no file and prints nothing; its signals are the defaults, so an
interrupt ends it quietly while the command reports it. Only the command does this
(``cli`` marks its arguments), never ``watch``, whose warm writer caches live in its
own process, and only where ``os.fork`` exists and more than one core is available.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import BriefgenError, Warn

T = TypeVar("T")
S = TypeVar("S")


def available() -> bool:
    """True where a rendering can run beside another: ``os.fork`` and a second core."""
    if not hasattr(os, "fork"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return cores > 1


def run_beside(here: Callable[[], T], side: Callable[[Warn], S], warn: Warn) -> tuple[T, S]:
    """``here()`` in this process while ``side`` runs in a forked child; then the side's
    warnings, in their order, reach ``warn`` and its result is returned with ``here``'s."""
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return here(), side(warn)
    if pid == 0:  # pragma: no cover - the child; it ends in os._exit
        os.close(read_end)
        _child(side, write_end)
    os.close(write_end)
    try:
        result = here()
        data = _read_all(read_end)
        clean = _reap(pid)
    except BaseException:
        _stop(pid)
        raise
    finally:
        os.close(read_end)
    outcome = _load(data) if clean else None
    if outcome is None:  # the child failed in a way of its own: draw it here
        return result, side(warn)
    kind, payload, messages = outcome
    for message in messages:
        warn(message)
    if kind == "error":
        raise BriefgenError(payload)
    return result, payload


def _child(side: Callable[[Warn], Any], write_end: int) -> None:  # pragma: no cover - in the child
    code = 1
    try:
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_DFL)
        messages: list[str] = []
        try:
            out: tuple[str, Any, list[str]] = ("ok", side(messages.append), messages)
        except BriefgenError as exc:
            out = ("error", exc.problems, messages)
        view = memoryview(pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))
        while view:
            view = view[os.write(write_end, view):]
        code = 0
    except BaseException:  # the command draws it again and reports it itself
        code = 1
    finally:
        os._exit(code)


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _reap(pid: int) -> bool:
    """Wait for the child; True if it ended normally, with exit code 0."""
    while True:
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return False
        except InterruptedError:  # pragma: no cover - retried by Python itself since 3.5
            continue
        return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _stop(pid: int) -> None:
    """End the child at once and wait for it (the command is leaving: error or interrupt)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        os.waitpid(pid, 0)
    except OSError:
        pass


def _load(data: bytes) -> tuple[str, Any, list[str]] | None:
    """The child's result: its own pickle, from its own pipe; None if incomplete."""
    try:
        outcome = pickle.loads(data)  # written by this process's own child
    except Exception:  # truncated: the child died while writing
        return None
    if (not isinstance(outcome, tuple) or len(outcome) != 3 or outcome[0] not in ("ok", "error")
            or not isinstance(outcome[2], list)):
        return None
    return outcome
