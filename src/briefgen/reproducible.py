"""When a built file says it was made: one rule for the DOCX and the PDF.

With ``SOURCE_DATE_EPOCH`` set (reproducible builds), that moment; otherwise midnight
(UTC) of the brief's date. Either way the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable


def build_moment(date: _dt.date, warn: Callable[[str], None]) -> _dt.datetime:
    """The file's date and time (UTC, naive): ``SOURCE_DATE_EPOCH`` if set, else ``date``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            warn(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds; using the brief's date")
    return _dt.datetime(date.year, date.month, date.day)
