"""``briefgen init DIR``: a new workspace that builds."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..initws import init_workspace


def run(args: argparse.Namespace) -> int:
    target = Path(args.dir)
    written = init_workspace(target, args.dir)
    print(f"wrote a new workspace in {args.dir}: " + ", ".join(written[:5]) + f" and {len(written) - 5} more")
    print(f"next: cd {args.dir} && briefgen build example")
    return 0
