"""The analyst's workflow commands' options: add-source, quote, init, schema, watch.

Only argparse here, so ``briefgen --help`` stays light; each command's code is in
``briefgen.commands.<name>`` and imported when it runs.
"""

from __future__ import annotations

import argparse


def add_workflow_commands(sub: argparse._SubParsersAction, formatter: type) -> None:
    p = sub.add_parser(
        "init", help="make a new workspace that builds",
        formatter_class=formatter,
        description="Write a new workspace in DIR: seeds/ with one example source, briefs/ "
                    "with one example brief, templates/ with the default template and "
                    "settings. 'briefgen build example' then works in it. An existing "
                    "non-empty folder is refused.",
        epilog="example:\n  briefgen init ~/briefs-desk && cd ~/briefs-desk && briefgen build example")
    p.add_argument("dir", metavar="DIR", help="the folder to create")

    p = sub.add_parser(
        "schema", help="write JSON Schemas for editors",
        formatter_class=formatter,
        description="Write JSON Schemas for source records, brief specs and settings, made "
                    "from briefgen's own models: a description for every field and the allowed "
                    "values of every vocabulary. Editors with the YAML language server read "
                    "the '# yaml-language-server: $schema=…' line at the top of a file and "
                    "then complete and check fields as you type.",
        epilog="examples:\n  briefgen schema                 write them to .briefgen/schema/\n"
               "  briefgen schema --out schemas/")
    p.add_argument("--out", metavar="DIR",
                   help="output folder (default: .briefgen/schema/ in the workspace)")
