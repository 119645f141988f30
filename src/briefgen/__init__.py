"""briefgen: sourced policy briefs with real footnotes, as DOCX and PDF."""

import os as _os
import signal as _signal
import sys as _sys

__version__ = "0.1.0"


def _interrupted_at_start_up(signum: int, frame: object) -> None:
    """Ctrl-C while the command is still starting: nothing is written yet, so end quietly."""
    _os.write(2, b"briefgen: interrupted; no file was changed\n")
    _os._exit(128 + signum)


# Only when started as the command (``briefgen`` or ``python -m briefgen``), never when
# imported as a library: until ``cli.main`` takes over, Ctrl-C ends without a traceback.
if _sys.argv and (_os.path.basename(_sys.argv[0]) == "briefgen" or _sys.argv[0] == "-m"):
    try:
        _signal.signal(_signal.SIGINT, _interrupted_at_start_up)
    except (ValueError, OSError):  # not the main thread
        pass
