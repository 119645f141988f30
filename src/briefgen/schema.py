"""``briefgen schema``: JSON Schemas for the files analysts edit, from the models.

The schemas are made from the same pydantic models briefgen validates with, so an
editor's checks and briefgen's never disagree: a description for every field, the
allowed values of every vocabulary, and unknown fields refused. Dates are written in
YAML as ``2023-12-13``, ``2024-07`` or ``2024``; the schemas say so. A YAML file opts in
with a first line ``# yaml-language-server: $schema=<path>`` (the YAML language server,
used by VS Code, Neovim, Helix, Zed and JetBrains editors).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic is imported only when schemas are written
    from pydantic.json_schema import GenerateJsonSchema

SCHEMA_DIR = ".briefgen/schema"
#: schema file name -> (model name in models.py, title)
SCHEMAS = {
    "source.schema.json": ("SourceFile", "briefgen source record (seeds/<id>.yaml)"),
    "brief.schema.json": ("Brief", "briefgen brief spec (briefs/<topic>.yaml)"),
    "settings.schema.json": ("Settings", "briefgen house style (templates/settings.yaml)"),
}
#: which schema a workspace file follows, by the folder it is in
FOLDER_SCHEMA = {"seeds": "source.schema.json", "briefs": "brief.schema.json",
                 "templates": "settings.schema.json"}

DATE_PATTERN = r"^\d{4}(-\d{1,2}(-\d{1,2})?)?(/\d{4}(-\d{1,2}(-\d{1,2})?)?)?$"


def modeline(schema_file: str, folder_depth: int = 1) -> str:
    """The first line of a YAML file ``folder_depth`` folders below the workspace."""
    return f"# yaml-language-server: $schema={'../' * folder_depth}{SCHEMA_DIR}/{schema_file}\n"


def _generator() -> type[GenerateJsonSchema]:
    from pydantic.json_schema import GenerateJsonSchema

    class Generator(GenerateJsonSchema):
        """Partial dates as written in YAML (a string or a year), not as their fields."""

        def model_schema(self, schema):  # type: ignore[no-untyped-def]
            cls = schema.get("cls")
            if cls is not None and cls.__name__ in ("PartialDate", "EventDate"):
                return {
                    "description": (cls.__doc__ or "").strip().splitlines()[0] + " Written "
                                   "2023-12-13 (day), 2024-07 (month) or 2024 (year).",
                    "anyOf": [{"type": "string", "pattern": DATE_PATTERN},
                              {"type": "integer", "minimum": 1000, "maximum": 9999}],
                }
            return super().model_schema(schema)

    return Generator


def schema_for(model_name: str, title: str) -> dict[str, Any]:
    from . import models

    model = getattr(models, model_name)
    schema = model.model_json_schema(schema_generator=_generator(), mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    for definition in [schema, *schema.get("$defs", {}).values()]:
        _describe_vocabulary(definition)
    return schema


def _describe_vocabulary(definition: dict[str, Any]) -> None:
    """An enum's description ends with its allowed values, for editors' hover text."""
    if "enum" in definition:
        values = ", ".join(str(v) for v in definition["enum"])
        text = definition.get("description", "").strip()
        definition["description"] = (text + " " if text else "") + f"One of: {values}."
    for prop in definition.get("properties", {}).values():
        if "enum" in prop:
            _describe_vocabulary(prop)


def schema_files() -> dict[str, bytes]:
    """Every schema, as the bytes of its file."""
    return {name: (json.dumps(schema_for(model, title), indent=2, ensure_ascii=False) + "\n").encode()
            for name, (model, title) in SCHEMAS.items()}


def check_modeline(text: str) -> str | None:
    """The schema a YAML text names on its modeline, if it has one."""
    first = text.split("\n", 1)[0]
    prefix = "# yaml-language-server: $schema="
    return first[len(prefix):].strip() if first.startswith(prefix) else None

