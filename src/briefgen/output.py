"""Writing output so that a build's files appear together or not at all.

Every file of a build is first written whole into one staging folder inside its output
folder (``.briefgen-stage-<pid>-<random>/``). Only when every file has been written does
``commit`` switch them into place: it writes a journal (the list of staged files) into
the staging folder, renames each file over its target, and removes the folder. While it
switches, SIGINT, SIGTERM and SIGHUP are held back, so an interrupt either comes before
(nothing changed; the staging folder is removed on the way out) or after (the whole set
is in place). A build killed outright (SIGKILL, a power cut) leaves its staging folder
behind; the next build into that folder finds it and finishes the switch from the
journal if it had begun, or removes the folder if it had not, so the set is again whole.
A staging folder of a build still running (its process alive) is left alone: two builds
of the same topic at the same time each leave complete, valid files.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BriefgenError

STAGE_PREFIX = ".briefgen-stage-"
JOURNAL = "journal.json"
#: A staging folder this old is stale even if its process id is in use again.
STALE_AFTER = 24 * 3600
#: Temporary files of briefgen before staging folders: ``.cyber.docx.k2j4h1x9.tmp``.
_OLD_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                 if hasattr(signal, name))

#: Files put in place by this process, as shown (the command line reports what changed).
changed: list[str] = []


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back until the block ends (main thread only)."""
    held = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    if held:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        if held:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def recover(folder: Path) -> None:
    """Finish or remove what builds killed outright left in ``folder``."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
            if entry.name.startswith(STAGE_PREFIX) and entry.is_dir(follow_symlinks=False):
                pid_text = entry.name[len(STAGE_PREFIX):].split("-", 1)[0]
                pid = int(pid_text) if pid_text.isdigit() else 0
                if pid == os.getpid() or (_alive(pid) and age < STALE_AFTER):
                    continue  # a build still running
                _finish(Path(entry.path), folder)
            elif _OLD_TEMP.match(entry.name) and entry.is_file(follow_symlinks=False) and age > 60:
                os.unlink(entry.path)
        except OSError:
            continue


def _finish(stage: Path, folder: Path) -> None:
    """A dead build's staging folder: complete its switch if it had begun, then remove it."""
    journal = stage / JOURNAL
    try:
        names = json.loads(journal.read_text(encoding="utf-8"))
        begun = journal.stat().st_mtime
    except (OSError, ValueError):
        names, begun = [], 0.0  # it never began to switch: the old set is whole
    for name in names if isinstance(names, list) else []:
        if not isinstance(name, str) or Path(name).name != name:
            continue
        staged, target = stage / name, folder / name
        try:
            if staged.is_file() and not (target.exists() and target.stat().st_mtime > begun):
                os.replace(staged, target)
        except OSError:
            pass
    shutil.rmtree(stage, ignore_errors=True)


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
    """Files staged in one folder per output folder, switched into place by ``commit``.

    Use as a context manager: leaving the block without ``commit`` removes the staging
    folders and everything in them.
    """

    staged: dict[Path, tuple[Path, str]] = field(default_factory=dict)  # target → (temp, shown)
    stages: dict[Path, Path] = field(default_factory=dict)  # output folder → staging folder

    def _stage(self, folder: Path, shown: str) -> Path:
        stage = self.stages.get(folder)
        if stage is None:
            recover(folder)
            stage = folder / f"{STAGE_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
            try:
                stage.mkdir(mode=0o700)
            except OSError as exc:
                raise BriefgenError(f"cannot write the file: {exc.strerror}; no file was changed",
                                    path=shown) from None
            self.stages[folder] = stage
        return stage

    def add(self, path: Path, data: bytes, shown: str | None = None) -> None:
        shown = shown or str(path)
        tmp = self._stage(path.parent, shown) / path.name
        self.staged[path] = (tmp, shown)
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise BriefgenError(f"cannot write the file: {reason}; no file was changed",
                                path=shown) from None

    def commit(self) -> None:
        """Switch every staged file into place; signals wait until all are."""
        with signals_held():
            for folder, stage in self.stages.items():
                names = [target.name for target in self.staged if target.parent == folder]
                try:
                    with open(stage / JOURNAL, "w", encoding="utf-8") as fh:
                        json.dump(names, fh)
                        fh.flush()
                        os.fsync(fh.fileno())
                except OSError as exc:
                    raise BriefgenError(f"cannot write the file: {exc.strerror}; no file was changed",
                                        path=str(folder)) from None
            for target, (tmp, shown) in self.staged.items():
                try:
                    os.replace(tmp, target)
                except OSError as exc:
                    raise BriefgenError(f"cannot put the file in place: {exc.strerror}",
                                        path=shown) from None
                changed.append(shown)
            self.staged.clear()
            self.discard()

    def discard(self) -> None:
        with signals_held():
            for stage in self.stages.values():
                shutil.rmtree(stage, ignore_errors=True)
            self.stages.clear()
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
