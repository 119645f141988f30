"""PyYAML imported without compiling the reader's pattern that libyaml makes unused."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from briefgen.plain import LazyPattern
from briefgen.yamlload import _YAML_NON_PRINTABLE

SRC = str(Path(__file__).resolve().parent.parent / "src")

_PROBE = """
import re, sys
from pathlib import Path
from briefgen.plain import LazyPattern
from briefgen.yamlload import load_yaml
located = load_yaml(Path(sys.argv[1]), "spec.yaml", root=Path(sys.argv[1]).parent)
import yaml
cache = vars(re).get("_cache2", vars(re).get("_cache"))
print(type(yaml.reader.Reader.NON_PRINTABLE).__name__, located.data,
      [k for k, v in cache.items() if isinstance(v, LazyPattern)])
try:
    yaml.load("a: b\\x07c", Loader=yaml.SafeLoader)  # the pure-Python reader
except yaml.reader.ReaderError as exc:
    print(exc.position, exc.character)
"""


def test_the_reader_pattern_is_lazy_and_still_finds_what_it_finds(tmp_path: Path) -> None:
    """In a fresh process: PyYAML's reader holds a ``LazyPattern``, ``re``'s cache keeps
    none, and the pure-Python reader still refuses a raw control character where it is."""
    spec = tmp_path / "spec.yaml"
    spec.write_text("topic: cyber\nwords: [a, b]\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(spec)], capture_output=True,
                          text=True, env=env, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["LazyPattern {'topic': 'cyber', 'words': ['a', 'b']} []",
                                        "4 7"]


def test_the_lazy_pattern_is_pyyamls_own() -> None:
    """The pattern stood in for is the one PyYAML's reader compiles (else it would be
    compiled as ever and this shortcut would save nothing), and finds the same characters."""
    import yaml

    assert yaml.reader.Reader.NON_PRINTABLE.pattern == _YAML_NON_PRINTABLE
    lazy = LazyPattern(_YAML_NON_PRINTABLE)
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    found = [m.start() for m in lazy.finditer(every)]
    assert found == [m.start() for m in re.compile(_YAML_NON_PRINTABLE).finditer(every)]
    assert {0, 7, 0x7F, 0xFFFE} <= set(found) and 9 not in found and 0x85 not in found
