"""The real survey data: `surveysite check` is clean and nothing is lost from bib/ to pages and downloads.

Every rule about the data itself is in content/survey.yaml and enforced by check, so anything check
accepts, these tests accept too: the last test adds fifteen made-up studies to a copy and runs them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from surveysite.build import Project, build_site, check, load_catalog
from surveysite.formatting import format_files
from surveysite.model import Catalog

from .conftest import ROOT, free_port, mkdocs_build, texts
from .test_downloads import keys_in_bibtex
from .test_github_files import schema_check

# The data under test: this repository's, or another copy of it (SURVEYSITE_DATA_ROOT), which is how
# the test below shows that studies `surveysite check` accepts leave these tests green.
DATA = Path(os.environ.get("SURVEYSITE_DATA_ROOT") or ROOT)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(Project.at(DATA))


def test_surveysite_check_is_clean() -> None:
    """Every data rule of this survey lives in content/survey.yaml and is enforced by check."""
    assert [str(p) for p in check(Project.at(DATA)) if not p.warning] == []


@pytest.fixture(scope="module")
def data_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if DATA == ROOT:
        return Path("")  # replaced below by the session's build of the real site
    out = tmp_path_factory.mktemp("data-site")
    mkdocs_build(DATA, out, free_port())
    return out


def test_nothing_is_lost_from_bib_to_pages_and_downloads(
    catalog: Catalog, data_site: Path, request: pytest.FixtureRequest
) -> None:
    site = request.getfixturevalue("built_site")[0] if DATA == ROOT else data_site
    bib_keys = [k for path in sorted((DATA / "bib").glob("*.bib")) for k in keys_in_bibtex(path.read_text())]
    study_files = sorted(p.stem for p in (DATA / "content" / "studies").glob("*.yaml"))
    assert sorted(bib_keys) == study_files == sorted(s.key for s in catalog.studies)
    pages = sorted(p.parent.name for p in (site / "studies").glob("*/index.html"))
    assert pages == study_files
    files = texts(build_site(Project.at(DATA)).files)
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


def _made_up_study(number: int, leaf: str) -> tuple[str, str, str]:
    """A valid study by this survey's rules: its key, BibTeX entry and study file."""
    key = f"zed{2025}made{number}"
    bibtex = (
        f"@inproceedings{{{key},\n  author = {{Zed, Ada and Roe, Bo}},\n"
        f"  title = {{Made{number}: A Made-Up Study of Agents}},\n"
        "  booktitle = {Proceedings of a Made-Up Conference},\n  year = {2025},\n"
        f"  eprint = {{2501.{10000 + number}}},\n  archivePrefix = {{arXiv}},\n"
        f"  url = {{https://example.org/made{number}}}\n}}\n"
    )
    study = (
        f"name: Made{number}\ncategories: [{leaf}]\nplacement: high\nin_survey: false\nadded: 2026-11-30\n"
        "summary: >-\n  A made-up study for a test. It has two sentences.\n"
        "facets:\n  llm: [GPT-4]\n  rl-algorithm: [PPO]\n  environment: [not checked]\n"
        "  domain: [Games]\n  feedback: [environment]\n  code: 'no'\n"
    )
    return key, bibtex, study


def test_fifteen_more_studies_that_check_accepts_keep_these_tests_green(tmp_path: Path) -> None:
    copy = tmp_path / "survey"
    for name in ("bib", "content", ".github"):
        shutil.copytree(ROOT / name, copy / name)
    for name in ("mkdocs.yml", "CITATION.cff"):
        shutil.copy(ROOT / name, copy / name)
    leaves = [n.path for n in load_catalog(Project.at(ROOT)).taxonomy.nodes if n.is_leaf]
    with (copy / "bib" / "studies.bib").open("a", encoding="utf-8") as bib:
        for number in range(15):
            key, bibtex, study = _made_up_study(number, leaves[number % len(leaves)])
            bib.write("\n" + bibtex)
            (copy / "content" / "studies" / f"{key}.yaml").write_text(study, encoding="utf-8")
    assert format_files(copy, copy / "bib", write=True)[1] == []  # laid out, as the rules ask
    assert [str(p) for p in check(Project.at(copy)) if not p.warning] == []
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(Path(__file__)),
            "-k",
            "not fifteen_more",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SURVEYSITE_DATA_ROOT": str(copy)},
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"\b3 passed, 1 deselected", result.stdout), result.stdout[-500:]
