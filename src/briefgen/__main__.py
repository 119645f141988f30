"""``python -m briefgen``: the same as the ``briefgen`` command."""

import sys

from .cli import main

sys.exit(main())
