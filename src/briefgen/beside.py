"""One rendering beside another: a forked child draws the PDF while the command writes the DOCX.

A build of both files writes the DOCX (as text) and the PDF (reportlab) from
the same finished tree, and neither reads what the other makes. On a machine with a
second core the command forks a child as the build starts (``Early``): while the command
loads, composes and checks the brief, the child imports the PDF writer; once the tree is
complete the command sends it over and writes the DOCX while the child draws the PDF. The
analyst waits for the longer of the two writers, not for both, and not for reportlab's
imports.

What the user sees is what a build one after the other gives:

- the child sends back the PDF's bytes and the warnings its writer gave, in their order;
  they are passed on once the DOCX is done, as if the PDF had been drawn after it;
- a ``BriefgenError`` in the child is raised once the DOCX is done (an error of the
  DOCX itself, or of anything before, comes first, as before, and the child is stopped);
- anything else (an import that fails, an unexpected exception, the child killed, a
  result that cannot be read) and the command draws the PDF itself, so a failure looks
  exactly as it did.

The child is forked before the workspace is opened (it holds no database connection),
writes no file and prints nothing; its signals are the defaults, so an interrupt ends it
quietly while the command reports it. Only the command does this (``cli`` marks its
arguments), never ``watch``, whose warm writer caches live in its own process, and only
where ``os.fork`` exists and more than one core is available.
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


class Early:
    """A child forked before its work is known: it runs ``warm`` (imports) at once, then
    waits for one job, runs ``work(job, warn)`` and sends back the result and warnings.

    Use it as a context manager: leaving it stops a child that was never given its job
    (the build failed or was interrupted before the tree was complete).
    """

    def __init__(self, warm: Callable[[], object], work: Callable[[Any, Warn], Any]) -> None:
        self.pid: int | None = None
        self._job = self._result = -1
        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (job_read, job_write, result_read, result_write):
                os.close(fd)
            return
        if pid == 0:  # pragma: no cover - the child; it ends in os._exit
            os.close(job_write)
            os.close(result_read)
            _early_child(warm, work, job_read, result_write)
        os.close(job_read)
        os.close(result_write)
        self.pid, self._job, self._result = pid, job_write, result_read

    def __enter__(self) -> Early:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the child if it is still waiting or working, and close the pipes."""
        pid, self.pid = self.pid, None
        for fd in (self._job, self._result):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._job = self._result = -1
        if pid is not None:
            _stop(pid)

    def run(self, here: Callable[[], T], job: Any, side: Callable[[Warn], S], warn: Warn) -> tuple[T, S]:
        """``here()`` in this process while the child does ``job``; then the child's
        warnings, in their order, reach ``warn`` and its result is returned with
        ``here``'s. ``side(warn)`` does the job in this process where the child cannot."""
        pid = self.pid
        if pid is None:
            return here(), side(warn)
        try:
            try:
                _write_all(self._job, pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
            except (OSError, pickle.PicklingError, TypeError, AttributeError):
                self.close()  # the child is gone, or the job cannot be sent: do it here
                return here(), side(warn)
            os.close(self._job)
            self._job = -1
            result = here()
            data = _read_all(self._result)
            self.pid = None
            clean = _reap(pid)
        finally:
            self.close()
        outcome = _load(data) if clean else None
        if outcome is None:  # the child failed in a way of its own: do it here
            return result, side(warn)
        kind, payload, messages = outcome
        for message in messages:
            warn(message)
        if kind == "error":
            raise BriefgenError(payload)
        return result, payload


def _early_child(warm: Callable[[], object], work: Callable[[Any, Warn], Any], job_read: int,
                 result_write: int) -> None:  # pragma: no cover - in the child
    code = 1
    try:
        _default_signals()
        warm()
        data = _read_all(job_read)
        if data:
            job = pickle.loads(data)  # written by this child's own parent
            _send(result_write, lambda warn: work(job, warn))
        code = 0
    except BaseException:  # the command does the work itself and reports it
        code = 1
    finally:
        os._exit(code)


def _default_signals() -> None:  # pragma: no cover - in the child
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _send(fd: int, side: Callable[[Warn], Any]) -> None:  # pragma: no cover - in the child
    messages: list[str] = []
    try:
        out: tuple[str, Any, list[str]] = ("ok", side(messages.append), messages)
    except BriefgenError as exc:
        out = ("error", exc.problems, messages)
    _write_all(fd, pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


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
