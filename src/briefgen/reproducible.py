"""When a built file says it was made: one rule for the DOCX and the PDF.

With ``SOURCE_DATE_EPOCH`` set (reproducible builds), that moment; otherwise midnight
(UTC) of the brief's date. Either way the same inputs give the same bytes.

A ``SOURCE_DATE_EPOCH`` that is not a valid time (not a whole number, before 1980 — a
zip archive cannot hold an earlier time, so the DOCX and the PDF could not agree — or
after the year 9999) gives one warning per run, and both files use the brief's date.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
from collections.abc import Iterator

from .errors import Warn

#: The earliest time a zip archive (the DOCX) can record.
EARLIEST = _dt.datetime(1980, 1, 1)
LATEST = _dt.datetime(9999, 12, 31, 23, 59, 59)

#: Values already warned about in this run (cleared by the command line at each run).
warned: set[str] = set()


def epoch_moment() -> tuple[_dt.datetime | None, str | None]:
    """``SOURCE_DATE_EPOCH`` as a moment (UTC, naive), or None; and a problem with it, if any."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None, None
    shown = epoch if len(epoch) <= 24 and epoch.isprintable() else epoch[:21].encode(
        "ascii", "backslashreplace").decode() + "..."
    if not re.fullmatch(r"[0-9]+", epoch):
        return None, f"SOURCE_DATE_EPOCH={shown!r} is not a whole number of seconds since 1970"
    seconds = int(epoch[:20])
    if not _seconds(EARLIEST) <= seconds <= _seconds(LATEST):
        return None, f"SOURCE_DATE_EPOCH={shown!r} is outside 1980-01-01 to 9999-12-31"
    return EARLIEST + _dt.timedelta(seconds=seconds - _seconds(EARLIEST)), None


def _seconds(moment: _dt.datetime) -> int:
    return int(moment.replace(tzinfo=_dt.UTC).timestamp())


def build_moment(date: _dt.date, warn: Warn) -> _dt.datetime:
    """The file's date and time (UTC, naive): ``SOURCE_DATE_EPOCH`` if valid, else ``date``."""
    moment, problem = epoch_moment()
    if moment is not None:
        return moment
    if problem is not None and problem not in warned:
        warned.add(problem)
        warn(problem + "; both files use the brief's date")
    return _dt.datetime(date.year, date.month, date.day)


@contextlib.contextmanager
def pinned_for_libraries(moment: _dt.datetime) -> Iterator[None]:
    """While a library reads ``SOURCE_DATE_EPOCH`` itself (reportlab does), an invalid
    value is replaced by ``moment``, the fallback both files use."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or not raw.strip() or epoch_moment()[0] is not None:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(_seconds(moment))
    try:
        yield
    finally:
        os.environ["SOURCE_DATE_EPOCH"] = raw
