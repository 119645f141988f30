"""The analyst's workflow commands' options: add-source, quote, init, schema, watch.

Only argparse here, so ``briefgen --help`` stays light; each command's code is in
``briefgen.commands.<name>`` and imported when it runs.
"""

from __future__ import annotations

import argparse


def add_workflow_commands(sub: argparse._SubParsersAction,
                          formatter: type[argparse.HelpFormatter]) -> None:
    p = sub.add_parser(
        "add-source", help="archive a saved web page or text as a new source",
        formatter_class=formatter,
        description="Archive a saved web page (.html) or a plain text (.txt) as a new source: "
                    "write seeds/<id>.txt, the article's text with paragraphs separated by "
                    "blank lines (extracted from HTML with trafilatura), and seeds/<id>.yaml, "
                    "its record filled from what the page says (title, authors, date, site, "
                    "web address). Fields the page does not give are left empty and marked "
                    "'# TODO'. The id is outlet-date; an existing id is refused.",
        epilog="examples:\n  briefgen add-source ~/Downloads/article.html\n"
               "  briefgen add-source article.html --csl-json zotero-item.json\n"
               "  briefgen add-source statement.txt --outlet 'NATO' --date 2024-07-10")
    p.add_argument("file", metavar="FILE", help="the saved page (.html/.htm) or a plain text")
    p.add_argument("--csl-json", metavar="FILE",
                   help="a Zotero/CSL-JSON item (or a list holding one) whose fields fill or "
                        "override the record")
    p.add_argument("--id", metavar="ID", help="the source id (default: outlet-date)")
    p.add_argument("--outlet", help="the outlet's name (default: the page's site name)")
    p.add_argument("--date", help="the publication date, 2024-07-10, 2024-07 or 2024")
    p.add_argument("--url", help="the web address (default: the page's canonical address)")
    p.add_argument("--kind", help="the source kind (default: news-article, or the CSL item's type)")

    p = sub.add_parser(
        "quote", help="find a passage in a source and make it an extract",
        formatter_class=formatter,
        description="Find a fragment in a source's archived text, exactly (ignoring white "
                    "space and the style of quotes and dashes) or else the closest passage, "
                    "and print it with its paragraph number and a ready extract. With --add "
                    "the extract is appended to the source's record, keeping the file's "
                    "comments and order.",
        epilog="examples:\n  briefgen quote koreaherald-2023-02-14 \"military talks annually\"\n"
               "  briefgen quote koreaherald-2023-02-14 \"military talks annually\" \\\n"
               "      --add kh-annual-talks --topics defense-industry,cyber")
    p.add_argument("source", metavar="SOURCE", help="the source id (seeds/SOURCE.yaml)")
    p.add_argument("fragment", metavar="FRAGMENT", help="words of the passage")
    p.add_argument("--add", metavar="ID", help="append the passage as extract ID to the record")
    p.add_argument("--topics", metavar="A,B", help="the extract's topics, comma-separated")

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

    p = sub.add_parser(
        "watch", help="rebuild briefs on every save",
        formatter_class=formatter,
        description="Build the topics, then rebuild them whenever a spec, a source record or "
                    "text, a template or the settings is saved, in one warm process. One "
                    "status line per rebuild (time, notes, warnings); a problem is printed "
                    "as path:line: message and watching goes on. Ctrl-C stops.",
        epilog="example:\n  briefgen watch cyber china-framing --format pdf")
    p.add_argument("topics", nargs="+", metavar="TOPIC", help="topic names, e.g. cyber")
    p.add_argument("--format", choices=("docx", "pdf", "both"), default="both", type=str.lower,
                   help="which files to write (default: both)")
    p.add_argument("--out", metavar="DIR", help="output folder (created if missing)")
