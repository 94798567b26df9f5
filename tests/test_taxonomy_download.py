"""The taxonomy as data: downloads/taxonomy.json, valid against the JSON Schema beside it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema

from surveysite.build import Project, build_site, load_catalog
from surveysite.paths import TAXONOMY_JSON, TAXONOMY_SCHEMA

from .conftest import MINI, ROOT


def test_taxonomy_json_is_valid_against_its_schema(built_site: tuple[Path, str]) -> None:
    site = built_site[0]
    schema = json.loads((site / TAXONOMY_SCHEMA).read_text(encoding="utf-8"))
    data = json.loads((site / TAXONOMY_JSON).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    checker = Path(sys.executable).parent / "check-jsonschema"
    command = [str(checker), "--schemafile", str(site / TAXONOMY_SCHEMA), str(site / TAXONOMY_JSON)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_taxonomy_json_has_every_node_with_its_ids_url_parent_and_count(built_site: tuple[Path, str]) -> None:
    site = built_site[0]
    catalog = load_catalog(Project.at(ROOT))
    data = json.loads((site / TAXONOMY_JSON).read_text(encoding="utf-8"))
    assert [n["path"] for n in data["nodes"]] == [n.path for n in catalog.taxonomy.nodes]
    for record, node in zip(data["nodes"], catalog.taxonomy.nodes, strict=True):
        assert record["id"] == node.path.split("/")[-1]
        assert record["parent"] == node.parent
        assert record["name"] == node.name and record["gloss"] == node.gloss
        assert record["studies"] == len(catalog.studies_under(node.path))
        assert (site / record["url"] / "index.html").is_file()
    assert [f["id"] for f in data["facets"]] == [f.id for f in catalog.taxonomy.facets]


def test_the_schema_refuses_an_unknown_parent() -> None:
    files = build_site(Project.at(MINI)).files
    schema, data = json.loads(files[TAXONOMY_SCHEMA]), json.loads(files[TAXONOMY_JSON])
    data["nodes"][1]["parent"] = "nowhere"
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert [list(e.absolute_path) for e in errors] == [["nodes", 1, "parent"]]
