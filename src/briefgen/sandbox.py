"""The jinja2 sandbox house templates run in, under a budget.

jinja2's ``ImmutableSandboxedEnvironment`` already keeps a template away from Python
internals and from changing data. A hostile or careless template can still hang a build
or exhaust memory: a recursive macro, a template that includes itself, ``range(10**9)``,
``'x' * 10**9``, a string doubled in a loop, or loops nested past any end. Here:

- templates are read through ``files.read_input``: regular files inside ``templates/``
  only (a link that leads out is refused), at most 1 MB each;
- every value a template builds is bounded: strings and lists at ``MAX_SIZE`` items
  (``*``, ``+``, ``%``, ``~``, ``**`` and the string methods and filters that multiply
  their input are checked before they run), widths and counts at ``MAX_WIDTH``;
- every ``range`` draws its items from one budget of ``MAX_STEPS`` per render;
- the rendered text is at most ``MAX_OUTPUT`` characters;
- the render has ``CPU_SECONDS`` of CPU time (a profiling timer, in the main thread), so
  even loops over data end.

Each limit ends the render with ``TemplateBudget``; ``compose`` turns it, like every
template error, into one ``path:line`` message.
"""

from __future__ import annotations

import functools
import re
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound
from jinja2.compiler import CodeGenerator, Frame
from jinja2.loaders import split_template_path
from jinja2.nodes import Concat
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .errors import BriefgenError
from .files import read_input

MAX_SIZE = 1_000_000     # characters in a string, items in a list
MAX_WIDTH = 10_000       # a width, count or padding given to a filter or string method
MAX_STEPS = 1_000_000    # items all of one render's range() calls may yield
MAX_OUTPUT = 10_000_000  # characters of rendered Markdown
MAX_POWER_BITS = 4_096   # bits in the result of **
CPU_SECONDS = 3.0


class TemplateBudget(Exception):
    """A template went over one of its limits."""


def _over(what: str) -> TemplateBudget:
    return TemplateBudget(what)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _check_size(value: Any, what: str) -> Any:
    if _size(value) > MAX_SIZE:
        raise _over(f"{what} would be longer than {MAX_SIZE:,}")
    return value


_PERCENT_WIDTH = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_WIDTH = re.compile(r"\{[^{}]*:[^{}]*?(\d+)")


def _check_format(fmt: Any) -> None:
    if not isinstance(fmt, str):
        return
    for m in _PERCENT_WIDTH.finditer(fmt):
        for group in m.groups():
            if group == "*" or (group and int(group) > MAX_WIDTH):
                raise _over(f"a format width over {MAX_WIDTH:,}")
    for m in _BRACE_WIDTH.finditer(fmt):
        if int(m.group(1)) > MAX_WIDTH:
            raise _over(f"a format width over {MAX_WIDTH:,}")


def _check_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Widths and counts given to a filter or method: bounded numbers, short strings."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and abs(value) > MAX_WIDTH:
            raise _over(f"a width or count over {MAX_WIDTH:,}")
        if isinstance(value, str) and len(value) > 1_000:
            raise _over("a padding or fill string over 1,000 characters")


def _replaced_size(value: Any, old: Any, new: Any, count: int = -1) -> int:
    text, old_s, new_s = str(value), str(old), str(new)
    n = text.count(old_s) if old_s else len(text) + 1
    if count is not None and count >= 0:
        n = min(n, count)
    return len(text) + n * (len(new_s) - len(old_s))


def _joined_size(items: Any, sep: Any = "") -> int:
    if not isinstance(items, (list, tuple, str)):
        return 0
    return sum(len(str(x)) for x in items) + len(str(sep)) * max(len(items) - 1, 0)


class _Steps:
    """One render's budget of loop steps, drawn by every ``range``."""

    def __init__(self) -> None:
        self.left = MAX_STEPS

    def range(self, *args: int) -> Iterator[int]:
        for value in (*args,):
            if isinstance(value, int) and abs(value) > 10**12:
                raise _over(f"range() over {MAX_STEPS:,} items")
        rng = range(*args)
        if len(rng) > self.left:
            raise _over(f"loops over more than {MAX_STEPS:,} items in all (range)")
        self.left -= len(rng)
        return iter(rng)


class _GuardedCode(CodeGenerator):
    """Compiled templates join strings (``~``) through the environment's bounded join."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _same(path: Path, raw: bytes) -> bool:
    try:
        return path.is_file() and path.stat().st_size == len(raw) and path.read_bytes() == raw
    except OSError:
        return False


class _TemplatesLoader(BaseLoader):
    """Templates from the given folders only (the first that has the name wins): regular
    files inside that folder, within the size limit."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders

    def _find(self, parts: list[str]) -> tuple[Path, Path] | None:
        for folder in self.folders:
            path = folder.joinpath(*parts)
            if path.exists() or path.is_symlink():
                return folder, path
        return None

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = split_template_path(template)  # refuses '..'
        found = self._find(parts)
        if found is None:
            raise TemplateNotFound(template)
        folder, path = found
        shown = f"{folder.name}/" + "/".join(parts)
        raw = read_input(path, shown, kind="template", root=folder)
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BriefgenError("not UTF-8 text; save the template as UTF-8", path=shown) from None
        # Up to date while the first file found is the same and holds the same bytes: a warm
        # process (watch) compiles a template once, and again after each save.
        return source, str(path), lambda: self._find(parts) == found and _same(path, raw)


class BriefSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with every multiplying operation checked before it runs."""

    code_generator_class = _GuardedCode
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.steps = _Steps()
        self.globals["range"] = lambda *a: self.steps.range(*a)
        for name in ("center", "indent", "wordwrap", "truncate", "batch", "slice"):
            self.filters[name] = _guard_filter(self.filters[name], _check_widths)
        self.filters["replace"] = _guard_filter(self.filters["replace"], _check_replace)
        self.filters["join"] = _guard_filter(self.filters["join"], _check_join)
        self.filters["format"] = _guard_filter(self.filters["format"], _check_format_filter)

    def bounded_concat(self, parts: tuple[Any, ...]) -> str:
        if sum(len(str(p)) for p in parts) > MAX_SIZE:
            raise _over(f"a string joined with ~ would be longer than {MAX_SIZE:,}")
        return "".join(str(p) for p in parts)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (isinstance(seq, (str, list, tuple)) and isinstance(times, int)
                        and len(seq) * max(times, 0) > MAX_SIZE):
                    raise _over(f"a repeated string or list would be longer than {MAX_SIZE:,}")
        elif operator == "**":
            if (isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0
                    and right * max(abs(left).bit_length(), 1) > MAX_POWER_BITS):
                raise _over("a power too large to compute")
        elif operator == "+":
            if _size(left) + _size(right) > MAX_SIZE:
                raise _over(f"a joined string or list would be longer than {MAX_SIZE:,}")
        elif operator == "%":
            _check_format(left)
        return _check_size(super().call_binop(context, operator, left, right), "a value")

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        target = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format
        owner = getattr(target, "__self__", None)
        name = getattr(target, "__name__", "")
        if isinstance(owner, str):
            if name in ("ljust", "rjust", "center", "zfill", "expandtabs"):
                _check_args(args, kwargs)
            elif name == "replace" and args:
                if _replaced_size(owner, *args[:3]) > MAX_SIZE:
                    raise _over(f"a replaced string would be longer than {MAX_SIZE:,}")
            elif name == "join" and args:
                if _joined_size(args[0], owner) > MAX_SIZE:
                    raise _over(f"a joined string would be longer than {MAX_SIZE:,}")
            elif name in ("format", "format_map"):
                _check_format(owner)
        return _check_size(super().call(context, obj, *args, **kwargs), "a value")


Check = Callable[[tuple[Any, ...], dict[str, Any]], None]


def _guard_filter(func: Callable[..., Any], check: Check) -> Callable[..., Any]:
    """``func`` with ``check`` run first on its value and arguments (``rest``)."""
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        check(args[skip:], kwargs)
        return func(*args, **kwargs)

    return guarded


def _check_widths(rest: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if rest:
        _check_size(rest[0], "a value")
    _check_args(rest[1:], kwargs)


def _check_replace(rest: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if len(rest) >= 3:
        count = rest[3] if len(rest) > 3 else kwargs.get("count")
        if _replaced_size(rest[0], rest[1], rest[2], count if isinstance(count, int) else -1) > MAX_SIZE:
            raise _over(f"a replaced string would be longer than {MAX_SIZE:,}")


def _check_join(rest: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    sep = rest[1] if len(rest) > 1 else kwargs.get("d", "")
    if rest and _joined_size(rest[0], sep) > MAX_SIZE:
        raise _over(f"a joined string would be longer than {MAX_SIZE:,}")


def _check_format_filter(rest: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if rest:
        _check_format(rest[0])


def make_environment(folders: list[Path], **options: Any) -> BriefSandbox:
    """A sandbox loading templates from ``folders`` only (the workspace's ``templates/``
    first, then the package's defaults)."""
    return BriefSandbox(loader=_TemplatesLoader(folders), undefined=StrictUndefined, **options)


def render(template: Any, **context: Any) -> str:
    """``template`` rendered with ``context`` under the budget; ``TemplateBudget`` past it."""
    environment = template.environment
    if isinstance(environment, BriefSandbox):
        environment.steps = _Steps()
    chunks: list[str] = []
    size = 0
    with _cpu_budget(CPU_SECONDS):
        for chunk in template.generate(**context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise _over(f"the template wrote more than {MAX_OUTPUT:,} characters")
            chunks.append(chunk)
    return "".join(chunks)


class _cpu_budget:
    """Raise ``TemplateBudget`` after ``seconds`` of CPU time (main thread only)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = (threading.current_thread() is threading.main_thread()
                      and hasattr(signal, "setitimer"))
        self.previous: Any = None

    def _expired(self, signum: int, frame: Any) -> None:
        raise _over(f"the template ran for more than {self.seconds:g} s of CPU time "
                    "(a loop without end?)")

    def __enter__(self) -> None:
        if self.armed:
            self.previous = signal.signal(signal.SIGPROF, self._expired)
            # Again every half second, should a template's code ever swallow the first.
            signal.setitimer(signal.ITIMER_PROF, self.seconds, 0.5)

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, self.previous)
