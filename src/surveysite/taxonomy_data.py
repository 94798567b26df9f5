"""The taxonomy as data (downloads/taxonomy.json) and the JSON Schema describing it."""

from __future__ import annotations

import json
from typing import Any

from .model import FACET_KINDS, Catalog, Taxonomy
from .paths import TAXONOMY_JSON, TAXONOMY_SCHEMA, node_url


def taxonomy_files(catalog: Catalog, survey_title: str) -> dict[str, str]:
    """taxonomy.json and its schema, by their paths in the site."""
    return {
        TAXONOMY_JSON: json.dumps(taxonomy_record(catalog), ensure_ascii=False, indent=1) + "\n",
        TAXONOMY_SCHEMA: json.dumps(taxonomy_schema(catalog, survey_title), indent=2) + "\n",
    }


def taxonomy_record(catalog: Catalog) -> dict[str, Any]:
    """Every node (id, path, URL, name, gloss, parent, children, study count) and every facet."""
    taxonomy = catalog.taxonomy
    return {
        "$schema": TAXONOMY_SCHEMA.rpartition("/")[2],
        "nodes": [
            {
                "id": node.path.rpartition("/")[2],
                "path": node.path,
                "url": node_url(node.path),
                "name": node.name,
                "gloss": node.gloss,
                "parent": node.parent,
                "children": [child.rpartition("/")[2] for child in node.children],
                "is_leaf": node.is_leaf,
                "studies": len(catalog.under[node.path]),
            }
            for node in taxonomy.nodes
        ],
        "facets": facet_records(taxonomy),
    }


def facet_records(taxonomy: Taxonomy) -> list[dict[str, Any]]:
    """The facets as JSON data (in taxonomy.json and studies.json alike)."""
    return [
        {"id": f.id, "label": f.label, "kind": f.kind, "values": list(f.values), "description": f.description}
        for f in taxonomy.facets
    ]


def taxonomy_schema(catalog: Catalog, survey_title: str) -> dict[str, Any]:
    """A JSON Schema (2020-12) that taxonomy.json satisfies; node paths and ids are enumerated."""
    text = {"type": "string"}
    paths = [n.path for n in catalog.taxonomy.nodes]
    slug = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"}
    node = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "id": {**slug, "description": "Stable: never renamed; the last part of the path."},
            "path": {
                "enum": paths,
                "description": "The ids from the class down to this node, joined by '/'.",
            },
            "url": {"type": "string", "description": "The node's page, relative to the site's root."},
            "name": text,
            "gloss": text,
            "parent": {"enum": [*paths, None], "description": "The parent's path; null for a class."},
            "children": {"type": "array", "items": slug, "description": "The ids of the child nodes."},
            "is_leaf": {"type": "boolean", "description": "Whether studies are placed here."},
            "studies": {"type": "integer", "minimum": 0, "description": "Studies at or below this node."},
        },
    }
    node["required"] = list(node["properties"])  # type: ignore[call-overload]
    facet = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "label", "kind", "values", "description"],
        "properties": {
            "id": slug,
            "label": text,
            "kind": {"enum": list(FACET_KINDS)},
            "values": {"type": "array", "items": text},
            "description": text,
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"The taxonomy of {survey_title}",
        "type": "object",
        "required": ["nodes", "facets"],
        "additionalProperties": False,
        "properties": {
            "$schema": text,
            "nodes": {"type": "array", "items": node},
            "facets": {"type": "array", "items": facet},
        },
    }
