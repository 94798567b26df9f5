"""The real survey data: complete records, every leaf filled, nothing lost from bib/ to the downloads."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml

from surveysite.build import Project, build_site, load_catalog
from surveysite.model import NOT_CHECKED, NOT_STATED, Catalog, Study
from surveysite.validate import ARXIV_ID, DOI

from .conftest import ROOT
from .test_downloads import keys_in_bibtex
from .test_github_files import schema_check

REVIEWED_IN_SURVEY = 26
KEY_STYLE = re.compile(r"^[a-z]+\d{4}[a-z0-9]+$")  # first author, year, first significant title word
VENUE_FIELD = {"inproceedings": "booktitle", "article": "journal"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(Project.at(ROOT))


def test_every_leaf_holds_studies(catalog: Catalog) -> None:
    empty = [n.path for n in catalog.taxonomy.nodes if n.is_leaf and not catalog.under[n.path]]
    assert empty == []


def test_every_study_the_survey_reviews_is_here_and_later_ones_are_marked(catalog: Catalog) -> None:
    reviewed = [s for s in catalog.studies if s.annotation.in_survey]
    added = [s for s in catalog.studies if not s.annotation.in_survey]
    assert len(reviewed) == REVIEWED_IN_SURVEY
    assert len(added) >= 10  # no cap: the living survey keeps growing
    assert all(s.reference.year >= 2024 for s in added)


def test_keys_follow_one_style(catalog: Catalog) -> None:
    assert [s.key for s in catalog.studies if not KEY_STYLE.match(s.key)] == []


@pytest.fixture(scope="module", params=sorted(p.stem for p in (ROOT / "content" / "studies").glob("*.yaml")))
def study(request: pytest.FixtureRequest, catalog: Catalog) -> Study:
    return catalog.study(request.param)


def test_record_is_complete(study: Study) -> None:
    ref = study.reference
    assert len(ref.authors) >= 1 and all(a.strip() for a in ref.authors)
    assert ref.title and 2017 <= ref.year <= 2026
    assert ref.arxiv is not None and ARXIV_ID.match(ref.arxiv), "every study here has an arXiv version"
    assert ref.doi is None or DOI.match(ref.doi)
    assert ref.url is not None and ref.url.startswith("https://")
    venue_field = VENUE_FIELD.get(ref.entry_type)
    if venue_field is not None:
        assert re.search(rf"^\s*{venue_field}\s*=", ref.bibtex, re.MULTILINE), "venue missing"
    else:
        assert ref.entry_type == "misc" and ref.url == f"https://arxiv.org/abs/{ref.arxiv}"
    assert "abstract" not in ref.bibtex.lower().replace("-abstract-conference", "")


def test_annotation_is_complete(study: Study) -> None:
    note = study.annotation
    assert note.name and note.categories
    sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", note.summary) if s]
    assert 2 <= len(sentences) <= 4, note.summary
    if note.placement != "high":
        assert len(note.placement_note) > 40, "an uncertain placement says why"
    facets = dict(note.facets)
    assert set(facets) == {"llm", "rl-algorithm", "environment", "domain", "feedback", "code"}
    assert all(facets[f] not in ((NOT_STATED,), (NOT_CHECKED,)) for f in ("feedback", "domain"))
    if facets["code"] == ("yes",):
        assert any(kind == "code" for kind, _ in note.links), "code: yes links the code"


def test_nothing_is_lost_from_bib_to_pages_and_downloads(
    catalog: Catalog, built_site: tuple[Path, str]
) -> None:
    bib_keys = keys_in_bibtex((ROOT / "bib" / "studies.bib").read_text(encoding="utf-8"))
    study_files = sorted(p.stem for p in (ROOT / "content" / "studies").glob("*.yaml"))
    assert sorted(bib_keys) == study_files == sorted(s.key for s in catalog.studies)
    pages = sorted(p.parent.name for p in (built_site[0] / "studies").glob("*/index.html"))
    assert pages == study_files
    files = build_site(Project.at(ROOT)).files
    assert sorted(keys_in_bibtex(files["downloads/studies.bib"])) == study_files
    per_class = [
        k
        for node in catalog.taxonomy.nodes
        if node.parent is None
        for k in keys_in_bibtex(files[f"downloads/{node.path}.bib"])
    ]
    assert set(per_class) == set(study_files)
    assert sorted(s["key"] for s in json.loads(files["downloads/studies.json"])["studies"]) == study_files
    rows = list(csv.DictReader(io.StringIO(files["downloads/studies.csv"])))
    assert sorted(r["key"] for r in rows) == study_files


def test_citation_file_is_valid_and_cites_the_survey() -> None:
    result = schema_check("vendor.citation-file-format", ROOT / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr
    survey = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["references"][0]
    about = (ROOT / "content" / "pages" / "about.md").read_text(encoding="utf-8")
    assert survey["doi"] == "10.1613/jair.1.15960" and f"doi = {{{survey['doi']}}}" in re.sub(
        r" +", " ", about
    )
    assert "2402.01874" in survey["identifiers"][0]["value"] and "2402.01874" in about
