"""Figures: the pictures a brief carries, read from the workspace's ``figures/`` folder.

An analyst writes ``![What the map shows](figures/map.png "Caption")`` as a paragraph of
its own in a prose field; ``prose`` turns it into a ``document.Figure``. Here, once the
tree is composed, every figure is numbered in reading order ("Figure 1.", "Figure 2.")
and its file is read and checked, so that both writers take the same checked bytes
from the tree and read nothing themselves:

- the path must lead into the workspace's ``figures/`` folder: no URL, no absolute path,
  no ``..`` out of it, no symbolic link that leads out (the real path is checked, and
  ``figures/`` itself must lie in the workspace);
- the file must exist, be a regular file and at most ``figures.max_megabytes`` (settings,
  default 20 MB), checked before reading;
- it must be a PNG or a JPEG by its first bytes, and its name must say the same
  (``.png``; ``.jpg`` or ``.jpeg``);
- its size in pixels is read from its header, before anything is decoded, and must be
  at most ``figures.max_megapixels`` (default 40 million): a decompression bomb (a small
  file that claims 100,000 × 100,000 pixels) is refused with the line that names it;
- then it is decoded once, so a damaged file is an error here, not in a writer;
- all of a brief's figure files together (each counted once) weigh at most
  ``figures.max_total_megabytes`` (default 50 MB).

Every problem is one ``path:line: message`` naming the spec's line.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .document import Block, Figure, iter_blocks
from .errors import BriefgenError, Problem
from .files import MB, read_input

if TYPE_CHECKING:
    from .models import FigureSettings

FOLDER = "figures"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
_EXTENSIONS = {"png": (".png",), "jpeg": (".jpg", ".jpeg")}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def figures_in(blocks: list[Block]) -> list[Figure]:
    """Every figure of the tree, in reading order."""
    return [b for b in iter_blocks(blocks) if isinstance(b, Figure)]


def load_figures(blocks: list[Block], root: Path, settings: FigureSettings) -> None:
    """Number the tree's figures and read each one's file, checked (see the module); the
    files together may weigh at most ``figures.max_total_megabytes`` (each counted once)."""
    total, limit = 0, int(settings.max_total_megabytes * MB)
    seen: set[str] = set()
    for number, figure in enumerate(figures_in(blocks), 1):
        figure.number = number
        load_figure(figure, root, settings)
        real = os.path.realpath(root / figure.src.strip())
        if real not in seen:
            seen.add(real)
            total += len(figure.data or b"")
        if total > limit:
            path, line = figure.at
            raise BriefgenError(Problem(
                path or "briefgen", line,
                f"figure {figure.src.strip()}: the brief's figures weigh more than "
                f"{settings.max_total_megabytes:g} MB together (settings: figures.max_total_megabytes); "
                "use fewer or smaller pictures"))


def kind_of(data: bytes) -> str | None:
    """"png" or "jpeg" by the file's first bytes; None for anything else."""
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    return None


def load_figure(figure: Figure, root: Path, settings: FigureSettings) -> None:
    path, line = figure.at
    src = figure.src.strip()

    def fail(message: str) -> BriefgenError:
        return BriefgenError(Problem(path or "briefgen", line, f"figure {src or '(no file)'}: {message}"))

    rule = f"figures are read only from the workspace's {FOLDER}/ folder: write {FOLDER}/name.png"
    if not src:
        raise fail(f"no file named; {rule}")
    if _SCHEME.match(src) or src.startswith("//"):
        raise fail(f"a URL; {rule} (download the picture into {FOLDER}/ first)")
    if src.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", src):
        raise fail(f"an absolute path; {rule}")
    if "\x00" in src:
        raise fail("the path holds a character no file name can hold")
    folder = root / FOLDER
    real_root = os.path.realpath(root)
    real_folder = os.path.realpath(folder)
    if not os.path.isdir(real_folder):
        raise fail(f"the workspace has no {FOLDER}/ folder; put the picture in {FOLDER}/ beside briefs/")
    if not Path(real_folder).is_relative_to(real_root) or Path(real_folder) == Path(real_root):
        raise fail(f"{FOLDER}/ leads outside the workspace (a link); {rule}")
    file = root / src
    real = os.path.realpath(file)
    if not Path(real).is_relative_to(real_folder) or Path(real) == Path(real_folder):
        raise fail(f"leads outside {FOLDER}/ ('..' or a link); {rule}")
    limit = int(settings.max_megabytes * MB)
    try:
        data = read_input(file, src, kind="figure", root=folder, limit=limit)
    except BriefgenError as exc:
        reason = exc.problems[0].message if exc.problems else "cannot read it"
        if "too large" in reason:
            reason += " (settings: figures.max_megabytes)"
        raise fail(reason) from None
    kind = kind_of(data)
    if kind is None:
        raise fail("not a PNG or JPEG file (by its content); save the picture as PNG or JPEG")
    suffix = Path(src).suffix.lower()
    if suffix not in _EXTENSIONS[kind]:
        name = "PNG" if kind == "png" else "JPEG"
        raise fail(f"the file is a {name} but named {suffix or 'without an extension'}; rename it "
                   f"to end in {' or '.join(_EXTENSIONS[kind])}")
    figure.data = data
    figure.kind = kind
    figure.pixels, figure.dpi = _header(data, kind, settings, fail)


def _header(data: bytes, kind: str, settings: FigureSettings,
            fail: Callable[[str], BriefgenError]) -> tuple[tuple[int, int], float]:
    """Size and resolution from the header, checked against the pixel limit, then a full
    decode to prove the file is whole. PIL's own bomb guard is an error too, never a
    warning or a traceback."""
    from PIL import Image, UnidentifiedImageError

    max_pixels = int(settings.max_megapixels * 1_000_000)
    name = "PNG" if kind == "png" else "JPEG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[name]) as image:  # reads the header only
                width, height = image.size
                if width <= 0 or height <= 0:
                    raise fail("the picture has no pixels")
                if width * height > max_pixels:
                    raise fail(f"{width:,} × {height:,} pixels is over the limit of "
                               f"{settings.max_megapixels:g} million (settings: "
                               "figures.max_megapixels); scale the picture down")
                dpi = _dpi(image.info.get("dpi"))
                image.load()  # decode once: a damaged file fails here, not in a writer
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise fail(f"the header claims more pixels than any figure may have (a decompression "
                   f"bomb); the limit is {settings.max_megapixels:g} million") from None
    except BriefgenError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        detail = " ".join(str(exc).split())[:120]
        raise fail(f"the {name} file is damaged or cannot be read ({detail or type(exc).__name__})") from None
    return (width, height), dpi


def _dpi(value: object) -> float:
    """The file's horizontal resolution, or 96 (the screen's) when absent or implausible."""
    try:
        dpi = float(value[0]) if isinstance(value, tuple) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, IndexError):
        return 96.0
    return dpi if 30 <= dpi <= 1200 else 96.0
