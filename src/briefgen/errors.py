"""The one exception type for everything a user can get wrong.

Every problem a user can cause (bad YAML, an unknown key, a quotation not in its
source, a template error, an unwritable output directory) is a ``BriefgenError``
carrying the file and, where known, the line. The command line prints it as one
line, ``path:line: message``, and exits 2. A traceback is a bug.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: A warning callback that takes the warning's text, one line (writers, index, house .docx).
Warn = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, with the best location known."""

    path: str
    line: int | None
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        prefix = "warning: " if self.severity == "warning" else ""
        # One line, always: a message never carries a newline to the terminal.
        text = " ".join(self.message.split())
        return f"{where}: {prefix}{text}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "severity": self.severity,
        }


class BriefgenError(Exception):
    """A problem the user can fix; carries one or more ``Problem`` records."""

    def __init__(self, problems: Problem | list[Problem] | str, path: str | Path | None = None,
                 line: int | None = None):
        if isinstance(problems, str):
            problems = [Problem(str(path) if path is not None else "briefgen", line, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


#: A warning callback that takes a located ``Problem`` (composing a brief from its spec).
WarnProblem = Callable[[Problem], None]
