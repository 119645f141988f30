"""`briefgen init` (a new workspace that builds) and `briefgen schema` (editor support)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from briefgen.cli import main
from briefgen.schema import FOLDER_SCHEMA, SCHEMA_DIR, check_modeline, schema_files
from workspaces import ROOT, make_workspace

PACKAGE_DATA = ROOT / "src" / "briefgen" / "data"


def _as_yaml_language_server_sees_it(value):
    """YAML 1.2 (the editors' YAML) has no timestamps: a date is a string."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _as_yaml_language_server_sees_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_yaml_language_server_sees_it(v) for v in value]
    return value


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict]:
    return {name: json.loads(data) for name, data in schema_files().items()}


def _validator(schema: dict) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _repository_yaml_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "*.yaml", "*.yml"], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    if listed.returncode == 0 and listed.stdout.strip():
        return [ROOT / line for line in listed.stdout.split()]
    return sorted(p for p in ROOT.rglob("*.y*ml") if ".git" not in p.parts)


def _schema_of(path: Path) -> tuple[str, str | None]:
    """The schema a repository YAML file follows, and a $defs entry for list items."""
    relative = path.relative_to(ROOT)
    if relative.parts[:3] in (("tests", "fixtures", "details"), ("tests", "fixtures", "claims")):
        return "", None  # labelled sentence–evidence pairs: test_checks_details/_claims.py read them
    if relative.parts[:2] == ("tests", "fixtures"):
        return "source.schema.json", "Source"  # records for the Chicago tests: a list of Source
    if relative.parts[:3] == ("src", "briefgen", "data"):
        name = path.name
        if name.startswith("example-source"):
            return "source.schema.json", None
        if name.startswith("example-brief"):
            return "brief.schema.json", None
        return "settings.schema.json", None
    return FOLDER_SCHEMA[relative.parts[0]], None


def test_every_yaml_file_in_the_repository_is_valid_against_its_schema(schemas):
    files = _repository_yaml_files()
    assert any(p.parent.name == "seeds" for p in files) and any(p.parent.name == "briefs" for p in files)
    for path in files:
        name, item = _schema_of(path)
        if not name:
            continue
        data = _as_yaml_language_server_sees_it(yaml.safe_load(path.read_text(encoding="utf-8")))
        if item:
            validator = _validator({"$schema": schemas[name]["$schema"], "$defs": schemas[name]["$defs"],
                                    "$ref": f"#/$defs/{item}"})
            items = data
        else:
            validator = _validator(schemas[name])
            items = [data]
        for entry in items:
            errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
                      for e in validator.iter_errors(entry)]
            assert errors == [], (str(path.relative_to(ROOT)), errors[:5])


def _properties(schema: dict):
    for definition in [schema, *schema.get("$defs", {}).values()]:
        for name, prop in definition.get("properties", {}).items():
            yield definition.get("title", "?"), name, prop


def test_schema_knows_the_models_vocabularies(schemas):
    from briefgen.models import EventKind, SourceKind

    brief = schemas["brief.schema.json"]
    assert set(brief["$defs"]["EventKind"]["enum"]) == {k.value for k in EventKind}
    source = schemas["source.schema.json"]
    assert set(source["$defs"]["SourceKind"]["enum"]) == {k.value for k in SourceKind}


def test_schema_catches_what_briefgen_catches(schemas):
    validator = _validator(schemas["brief.schema.json"])
    spec = _as_yaml_language_server_sees_it(yaml.safe_load((ROOT / "briefs" / "cyber.yaml").read_text()))
    spec["titel"] = "a misspelt field"
    spec["events"][0]["kind"] = "sumit"
    messages = [e.message for e in validator.iter_errors(spec)]
    assert any("titel" in m for m in messages)
    assert any("sumit" in m for m in messages)


def test_schema_command_writes_the_files(tmp_path, capsys):
    ws = make_workspace(tmp_path / "ws")
    assert main(["--root", str(ws), "schema"]) == 0
    out = capsys.readouterr().out
    written = sorted(p.name for p in (ws / SCHEMA_DIR).iterdir())
    assert written == sorted(schema_files())
    assert f"wrote {SCHEMA_DIR}/brief.schema.json" in out
    assert main(["schema", "--out", str(tmp_path / "s")]) == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == written


def test_init_writes_a_workspace_that_checks_and_builds(tmp_path, capsys):
    target = tmp_path / "desk"
    assert main(["init", str(target)]) == 0
    capsys.readouterr()
    for folder in ("seeds", "briefs", "templates"):
        assert any((target / folder).iterdir()), folder
    # Files that init writes name their schema, which exists.
    for path in [*(target / "seeds").glob("*.yaml"), *(target / "briefs").glob("*.yaml")]:
        schema = check_modeline(path.read_text(encoding="utf-8"))
        assert schema is not None, path
        assert (path.parent / schema).resolve().is_file(), (path, schema)
    assert main(["--root", str(target), "check"]) == 0, capsys.readouterr()
    # The example brief cites its one example source: the sourcing profile says so, and that
    # is the only finding (with --strict, as an error, since every warning is one then).
    capsys.readouterr()
    assert main(["--root", str(target), "check", "--strict"]) == 2
    findings = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("check failed")]
    assert len(findings) == 1 and "one source carries" in findings[0], findings
    topics = sorted(p.stem for p in (target / "briefs").glob("*.yaml"))
    assert main(["--root", str(target), "build", *topics]) == 0
    out = capsys.readouterr().out
    for topic in topics:
        assert (target / "briefs" / f"{topic}.docx").is_file() and (target / "briefs" / f"{topic}.pdf").is_file()
        assert f"wrote briefs/{topic}.pdf" in out


def test_a_workspace_without_templates_builds_with_the_shipped_defaults(tmp_path, capsys):
    target = tmp_path / "desk"
    assert main(["init", str(target)]) == 0
    for path in (target / "templates").iterdir():
        path.unlink()
    (target / "templates").rmdir()
    assert main(["--root", str(target), "build", "example", "--format", "pdf"]) == 0
    assert "wrote briefs/example.pdf" in capsys.readouterr().out
    # The shipped defaults are what init writes.
    assert (PACKAGE_DATA / "brief.md.j2").is_file() and (PACKAGE_DATA / "settings.yaml").is_file()


def test_init_refuses_a_folder_in_use(tmp_path, capsys):
    target = tmp_path / "desk"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    assert main(["init", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"{target}: already exists and is not an empty folder; briefgen init makes a new workspace"
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
def test_every_field_has_a_description_and_every_vocabulary_its_values(schemas):
    for schema in schemas.values():
        defs = schema.get("$defs", {})
        for owner, name, prop in _properties(schema):
            target = prop
            if "$ref" in prop and not prop.get("description"):
                target = defs[prop["$ref"].rsplit("/", 1)[1]]
            assert target.get("description"), f"{schema['title']}: {owner}.{name} has no description"
        for definition in [*defs.values(), *(p for _, _, p in _properties(schema))]:
            if "enum" in definition:
                for value in definition["enum"]:
                    assert str(value) in definition["description"], (definition, value)


