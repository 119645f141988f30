"""The pattern of every id briefgen reads: a source's, an extract's, a topic's, a section's.

Apart from ``models`` so that code matching ids need not import pydantic.
"""

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$"
