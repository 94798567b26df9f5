"""Downloads: the studies the site shows as BibTeX (all, and per class), JSON with its schema, and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Collection, Sequence
from operator import itemgetter
from typing import Any

from .files import BYTE_ORDER_MARK
from .model import (
    CSV_SEPARATOR,
    MAX_LEAVES_PER_STUDY,
    NOT_CHECKED,
    NOT_STATED,
    PLACEMENTS,
    UNKNOWN_VALUES,
    YES_NO_VALUES,
    Catalog,
    Facet,
    Study,
)
from .paths import ALL_STUDIES_BIB, STUDIES_CSV, STUDIES_JSON, STUDIES_SCHEMA, class_download, study_url
from .references import ARXIV_PREPRINT
from .taxonomy_data import facet_records

# A study's line of the JSON download and its row of the CSV one, in UTF-8: joined as they are into the
# two files, which at 10,000 studies are 22 and 6 MB (joined as text, then encoded, 0.06 s more).
Rows = tuple[bytes, bytes]


def download_files(
    catalog: Catalog,
    schema_title: str,
    edition: bool,
    rows: Sequence[Rows] | None = None,
    skip: Collection[str] = (),
) -> dict[str, str | bytes]:
    """Every download, by its path in the site, but those in `skip`; each study's JSON line and CSV row
    as `rows` gives them in the catalog's order (kept from run to run: see Views.download_rows), else
    made here from the study and the taxonomy's facets. `edition`: whether the survey is an edition of
    a published one; only then does each study say whether that one reviews it (in_survey)."""
    files: dict[str, str | bytes] = (
        {} if ALL_STUDIES_BIB in skip else {ALL_STUDIES_BIB: _bibtex(catalog.studies)}
    )
    for node in catalog.taxonomy.nodes:
        if node.parent is None and class_download(node.path) not in skip:
            files[class_download(node.path)] = _bibtex(catalog.studies_under(node.path))
    facets = catalog.taxonomy.facets
    if rows is None:
        rows = [study_rows(facets, s, edition) for s in catalog.studies]
    files[STUDIES_JSON] = _studies_json(catalog, _JSON, list(map(itemgetter(0), rows)))
    files[STUDIES_SCHEMA] = json.dumps(_schema(catalog, schema_title, edition), indent=2)
    files[STUDIES_CSV] = _csv(facets, list(map(itemgetter(1), rows)), edition)
    return files


_JSON = json.JSONEncoder(ensure_ascii=False).encode  # what json.dumps(..., ensure_ascii=False) makes


def study_rows(facets: tuple[Facet, ...], study: Study, edition: bool) -> Rows:
    """A study's line of the JSON download and its row of the CSV one (see Rows; `edition`: see
    download_files)."""
    return _JSON(_record(facets, study, edition)).encode(), _csv_row(facets, study, edition).encode()


def _studies_json(catalog: Catalog, encode: Callable[[Any], str], lines: list[bytes]) -> bytes:
    """One study a line: readable, and written by json's fast C encoder (indent= makes it pure Python)."""
    head = encode({"$schema": "studies.schema.json", "taxonomy": _taxonomy(catalog)})
    # One join: '+' copied the 20 MB of a 10,000-study file once per part.
    return b"".join([head[:-1].encode(), b',\n"studies": [\n', b",\n".join(lines), b"\n]}\n"])


def _bibtex(studies: tuple[Study, ...]) -> str:
    return "".join(f"{s.reference.bibtex}\n\n" for s in studies)


def _taxonomy(catalog: Catalog) -> dict[str, Any]:
    taxonomy = catalog.taxonomy
    return {
        "nodes": [{"path": n.path, "name": n.name, "gloss": n.gloss} for n in taxonomy.nodes],
        "facets": facet_records(taxonomy),
    }


def _record(facets: tuple[Facet, ...], study: Study, edition: bool) -> dict[str, Any]:
    ref, note = study.reference, study.annotation
    record = {
        "key": study.key,
        "name": note.name,
        "title": ref.title,
        "authors": list(ref.authors),
        "more_authors": ref.more_authors,
        "year": ref.year,
        "venue": ref.venue,
        "doi": ref.doi,
        "arxiv": ref.arxiv,
        "url": ref.url,
        "categories": list(note.categories),
        "placement": note.placement,
        "placement_note": note.placement_note or None,
        "in_survey": note.in_survey,
        "added": note.added.isoformat(),
        "summary": note.summary,
        "note": note.note or None,
        "facets": {f.id: list(study.facet(f.id)) for f in facets},
        "links": dict(note.links),
        "page": study_url(study.key),
        "bibtex": ref.bibtex,
    }
    if not edition:
        del record["in_survey"]
    return record


def _schema(catalog: Catalog, title: str, edition: bool) -> dict[str, Any]:
    text = {"type": "string"}
    optional = {"type": ["string", "null"]}
    facets: dict[str, Any] = {}
    for facet in catalog.taxonomy.facets:
        item: dict[str, Any] = dict(text)
        if facet.kind == "vocabulary":
            item = {"enum": [*facet.values, *UNKNOWN_VALUES]}
        elif facet.kind == "yes-no":
            item = {"enum": list(YES_NO_VALUES)}
        facets[facet.id] = {"type": "array", "items": item, "description": facet.description}
    leaves = [n.path for n in catalog.taxonomy.nodes if n.is_leaf]

    def said(schema: dict[str, Any], description: str) -> dict[str, Any]:
        return {**schema, "description": description}

    study = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "key": said(
                {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"},
                "The study's citation key in the BibTeX download, and its page's name.",
            ),
            "name": said(text, "The short name the site lists the study by."),
            "title": said(text, "The paper's title, as published."),
            "authors": said(
                {"type": "array", "items": text},
                "The paper's authors, each 'First Last', in the paper's order.",
            ),
            "more_authors": said(
                {"type": "boolean"},
                "true when the entry's author list ends with 'and others': it names only some",
            ),
            "year": said(
                {"type": "integer"},
                "The year of the version cited (its venue's or its preprint's), "
                "not the year the work first appeared.",
            ),
            "venue": said(
                text,
                f"Where the version cited was published: a conference, a journal, or '{ARXIV_PREPRINT}'.",
            ),
            "doi": said(
                optional, "The paper's DOI, without https://doi.org/ (null when the entry has none)."
            ),
            "arxiv": said(optional, "The paper's arXiv id, without its version (null when none)."),
            "url": said(optional, "The paper's address as its entry gives it (null when none)."),
            "categories": said(
                {
                    "type": "array",
                    "items": {"enum": leaves},
                    "minItems": 1,
                    "maxItems": MAX_LEAVES_PER_STUDY,
                },
                "The leaves of the taxonomy the study is placed in, by path (class/.../leaf).",
            ),
            "placement": said(
                {"enum": list(PLACEMENTS)}, "How sure the site is of where the study is placed."
            ),
            "placement_note": said(optional, "Why the placement is less than sure (null when it is sure)."),
            "in_survey": said(
                {"type": "boolean"},
                "true when the published survey this site is an edition of "
                "reviews the study; false when this site added it (whenever it appeared).",
            ),
            "added": said(
                {"type": "string", "format": "date"},
                "The day the study was added to this site (not when it was published).",
            ),
            "summary": said(text, "What the study does, in the site's own words."),
            "note": said(optional, "A remark of the site's on the study (null when none)."),
            "facets": said(
                {
                    "type": "object",
                    "properties": facets,
                    "required": list(facets),
                    "additionalProperties": False,
                },
                f"The study's values of each facet, by the facet's id: '{NOT_STATED}' when the paper does "
                f"not say, '{NOT_CHECKED}' when the site has not yet checked.",
            ),
            "links": said(
                {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}},
                "The study's other addresses (its code, project page, data) by kind; in the CSV, "
                "'kind: address' pairs.",
            ),
            "page": {"type": "string", "description": "The study's page, relative to the site's root."},
            "bibtex": said(text, "The study's BibTeX entry, as the BibTeX download holds it."),
        },
    }
    if not edition:
        del study["properties"]["in_survey"]  # type: ignore[attr-defined]
    study["required"] = list(study["properties"])  # type: ignore[call-overload]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "required": ["taxonomy", "studies"],
        "properties": {
            "$schema": text,
            "taxonomy": {
                "type": "object",
                "properties": {
                    "nodes": {"type": "array", "items": {"type": "object"}},
                    "facets": {"type": "array", "items": {"type": "object"}},
                },
                "required": ["nodes", "facets"],
            },
            "studies": {"type": "array", "items": study},
        },
        "additionalProperties": False,
    }


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never evaluates as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(facets: tuple[Facet, ...], rows: list[bytes], edition: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["key", "name", "title", "authors", "year", "venue", "doi", "arxiv", "categories",
                     "placement", *(["in_survey"] if edition else []), "added", *(f.id for f in facets),
                     "summary", "placement_note", "note", "url", "links", "page"])  # fmt: skip
    # UTF-8 with a byte order mark, which spreadsheets read the file's encoding by: without it, Excel
    # took it for the system's code page and showed 'Müller' as 'MÃ¼ller' (two trials). (Python's
    # csv reads it with encoding='utf-8-sig'; pandas and R's readr skip the mark themselves.)
    return b"".join([(BYTE_ORDER_MARK + out.getvalue()).encode(), *rows])


def _csv_row(facets: tuple[Facet, ...], study: Study, edition: bool) -> str:
    """A study's row of the CSV download, its line ending included."""
    ref, note = study.reference, study.annotation
    authors = (*ref.authors, "et al.") if ref.more_authors else ref.authors  # (the entry's 'and others')
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(map(_cell, [
        study.key, note.name, ref.title, CSV_SEPARATOR.join(authors), ref.year, ref.venue, ref.doi or "",
        ref.arxiv or "", CSV_SEPARATOR.join(note.categories), note.placement,
        *([str(note.in_survey).lower()] if edition else []), note.added.isoformat(),
        *(CSV_SEPARATOR.join(study.facet(f.id)) for f in facets), note.summary,
        note.placement_note, note.note,  # later: a reader's script that counts columns keeps working
        ref.url or "", CSV_SEPARATOR.join(f"{kind}: {url}" for kind, url in note.links), study_url(study.key),
    ]))  # fmt: skip
    return out.getvalue()
