"""Surveys at their smallest: a new project before its first study, and a survey with no facets (what
an edge-case maintainer's trial built, finding sections and rows that stood for nothing)."""

from __future__ import annotations

import re

import pytest

from surveysite.build import build_site

from .conftest import MINI, MakeProject

STUDIES = ("lee2023third", "mueller2021first", "smith2022second")


def without_studies(make_project: MakeProject) -> dict[str, str]:
    project = make_project({f"content/studies/{key}.yaml": None for key in STUDIES} | {"bib/studies.bib": ""})
    return build_site(project).pages


def test_a_survey_before_its_first_study_shows_no_row_chart_or_map_that_stands_for_nothing(
    make_project: MakeProject,
) -> None:
    """The trial's matrix said 'Showing 1 of 1 studies' over a row of empty cells (a table of its header
    alone, which Python-Markdown gives an empty row), the home page charted a year 0, a heat map of no
    values was its row names alone, and What's new ended after its first sentence."""
    pages = without_studies(make_project)
    matrix = pages["matrix.md"]
    assert "No study is on this site yet" in matrix
    assert 'class="survey-matrix"' not in matrix and "| --- |" not in matrix
    assert "## Overview by leaf" not in matrix and "survey-heatmap" not in matrix
    home = pages["index.md"]
    assert "0 studies in all" in home and "## At a glance" not in home and "survey-chart" not in home
    assert "No study has been added yet." in pages["whats-new.md"]
    assert "No study is placed here yet." in pages["alpha/index.md"]


def test_a_map_of_free_terms_no_study_gives_yet_is_left_out(make_project: MakeProject) -> None:
    """A facet of free terms that no study gives a value of: no map of row names alone."""
    edited = {}
    for key in STUDIES:
        text = (MINI / f"content/studies/{key}.yaml").read_text(encoding="utf-8")
        edited[f"content/studies/{key}.yaml"] = re.sub(r"(?m)^  model: .*$", "  model: [not stated]", text)
    matrix = build_site(make_project(edited)).pages["matrix.md"]
    assert "### Model" not in matrix and "### Feedback" in matrix


@pytest.mark.parametrize("given", ["facets: []\n", ""], ids=["an empty list", "no facets key"])
def test_a_survey_without_facets_has_no_facet_sections_and_counts_one_study_as_one(
    make_project: MakeProject, given: str
) -> None:
    """The trial's study page had a Facets heading over a header row and an empty row; the matrix page
    explained 'not stated' in columns that could not hold it, and headed an overview of no map; the home
    page said '1 studies in all'. A taxonomy of no facets need not say so (it was refused: "missing
    'facets'; add a list")."""
    taxonomy = (MINI / "content/taxonomy.yaml").read_text(encoding="utf-8")
    start, end = taxonomy.index("facets:\n"), taxonomy.index("tree:\n")
    files: dict[str, str | None] = {"content/taxonomy.yaml": taxonomy[:start] + given + taxonomy[end:]}
    for key in STUDIES[1:]:
        files[f"content/studies/{key}.yaml"] = None
    bib = (MINI / "bib/studies.bib").read_text(encoding="utf-8")
    files["bib/studies.bib"] = (
        bib[: bib.index("@inproceedings{mueller2021first")] + bib[bib.index("@article{lee2023third") :]
    )
    study = (MINI / "content/studies/lee2023third.yaml").read_text(encoding="utf-8")
    files["content/studies/lee2023third.yaml"] = study[: study.index("facets:")]
    pages = build_site(make_project(files)).pages
    page = pages["studies/lee2023third.md"]
    assert "## Facets" not in page and "survey-facets" not in page and "| --- |" not in page
    matrix = pages["matrix.md"]
    assert (
        "## The facets" not in matrix and "*not stated*" not in matrix and "## Overview by leaf" not in matrix
    )
    home = pages["index.md"]
    assert "1 study in all" in home and "each facet under its id" not in home
    # The matrix's intro promised sorting and filters by leaf and facet values that one study of a
    # survey without facets does not have (an edge-case trial).
    intro = matrix[matrix.index("# Comparison matrix") : matrix.index('<nav class="survey-matrix__site"')]
    said = " ".join(intro.split())
    assert (
        said == "# Comparison matrix Every study on this site, one row each, with its class, leaf and year, "
        "and the date this site added it."
    )
    assert intro.endswith("\n\n")


def test_a_card_names_three_leaves_as_a_list(make_project: MakeProject) -> None:
    """The trial's study in three leaves read 'Placed in A and B and C' on its cards."""
    text = (MINI / "content/studies/lee2023third.yaml").read_text(encoding="utf-8")
    edited = text.replace("categories: [beta]", "categories: [alpha/one, alpha/two, beta]")
    assert edited != text
    pages = build_site(make_project({"content/studies/lee2023third.yaml": edited})).pages
    assert (
        "Placed in [Leaf one](one/index.md), [Leaf two](two/index.md) and [Beta](../beta/index.md). "
        in (pages["alpha/index.md"])
    )


def flat_files() -> dict[str, str | None]:
    """The mini survey with its class Alpha a leaf (no sub-categories), its studies moved up to it."""
    taxonomy = (MINI / "content/taxonomy.yaml").read_text(encoding="utf-8")
    start, end = taxonomy.index("    children:\n"), taxonomy.index("  - id: beta")
    files: dict[str, str | None] = {"content/taxonomy.yaml": taxonomy[:start] + taxonomy[end:]}
    for key in STUDIES:
        text = (MINI / f"content/studies/{key}.yaml").read_text(encoding="utf-8")
        files[f"content/studies/{key}.yaml"] = re.sub(r"alpha/(one|two)", "alpha", text)
    return files


def test_a_flat_taxonomy_has_no_leaf_column_or_filter_repeating_the_class(make_project: MakeProject) -> None:
    """An edge-case trial's twelve classes without sub-categories: the matrix had a Leaf column the same
    as its Class column, row by row, and a Leaf filter offering the twelve classes again."""
    pages = build_site(make_project(flat_files())).pages
    matrix = pages["matrix.md"]
    assert "| Study | Class | Year | Model | Feedback | Code released | Date added |" in matrix
    assert 'data-columns="study class year model feedback code added"' in matrix
    assert '<summary tabindex="-1">Class</summary>' in matrix and ">Leaf</summary>" not in matrix
    intro = " ".join(matrix[matrix.index("Every study") : matrix.index("<p class=")].split())
    assert intro.startswith(
        "Every study on this site, one row each, with its class, year and facets, and the date this site "
        "added it. Sort by "
    )
    assert "filter by class, year and facet values and by whether " in intro and "leaf" not in intro
    # A class's page, of a study in two classes: the Class column says where else, no Leaf column.
    assert "| Study | Class | Year |" in pages["beta/index.md"]
    assert "| Leaf |" not in pages["beta/index.md"]


def _matrix_intro(pages: dict[str, str]) -> str:
    matrix = pages["matrix.md"]
    return " ".join(
        matrix[matrix.index("Every study") : matrix.index('<p class="survey-without-scripts"')].split()
    )


@pytest.mark.parametrize("shape", ["the survey's filter alone", "a facet labelled Year"])
def test_the_matrix_intro_names_the_filters_offered_by_what_they_filter(
    make_project: MakeProject, shape: str
) -> None:
    """A review's edition of two studies in one leaf and year, without facets, read 'filter by by whether
    the 2023 survey reviews a study'; a facet labelled 'Year' was told as the filter by year."""
    files: dict[str, str | None] = {}
    bib = (MINI / "bib/studies.bib").read_text(encoding="utf-8")
    files["bib/studies.bib"] = re.sub(r"year(\s*)= \{\d{4}\}", r"year\1= {2023}", bib)
    taxonomy = (MINI / "content/taxonomy.yaml").read_text(encoding="utf-8")
    for key in STUDIES:
        study = (MINI / f"content/studies/{key}.yaml").read_text(encoding="utf-8")
        if shape == "the survey's filter alone":
            study = re.sub(r"categories: \[.*\]", "categories: [beta]", study)
            study = study[: study.index("facets:")] if "facets:" in study else study
        files[f"content/studies/{key}.yaml"] = study
    if shape == "the survey's filter alone":
        start, end = taxonomy.index("facets:\n"), taxonomy.index("tree:\n")
        files["content/taxonomy.yaml"] = taxonomy[:start] + taxonomy[end:]
    else:
        files["content/taxonomy.yaml"] = re.sub(r"label: Model\b", "label: Year", taxonomy, count=1)
    intro = _matrix_intro(build_site(make_project(files)).pages)
    if shape == "the survey's filter alone":
        assert "Sort by any column, filter by whether the 2022 review reviews a study, or search;" in intro
    else:
        assert (
            "filter by class, leaf and facet values and by whether the 2022 review reviews a study," in intro
        )
