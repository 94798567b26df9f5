"""A node's comparison table leaves out what its page already says: the class on a class page, and the
class and leaf on a leaf page, when every study there is placed in that node alone."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace

import pytest

from surveysite.build import Project, build_site, load_catalog
from surveysite.cache import Memo
from surveysite.problems import Problems
from surveysite.survey import load_survey
from surveysite.views import Views

from .conftest import MINI, MakeProject

ALL = ("study", "class", "leaf", "year", "model", "feedback", "code", "added")


def _views() -> Views:
    return Views(load_catalog(Project.at(MINI)), load_survey(MINI, Problems()), None, Memo(keep=False))


def test_a_leaf_whose_studies_are_placed_there_alone_shows_neither_class_nor_leaf() -> None:
    table = _views().matrix("alpha/one")  # First, placed in alpha/one alone
    assert table.ids == ("study", "year", "model", "feedback", "code", "added")
    assert table.columns == ("Study", "Year", "Model", "Feedback", "Code released", "Date added")
    assert table.rows == (
        ("First", "studies/mueller2021first.md", ("2021", "Model-A", "human", "yes", "2026-01-01")),
    )


def test_a_study_placed_elsewhere_too_keeps_the_columns_that_say_where() -> None:
    views = _views()
    two = views.matrix("alpha/two")  # Second, in alpha/two and beta
    assert two.ids == ALL
    assert two.rows[0][2][:2] == ("Alpha, Beta", "Leaf two, Beta")
    assert views.matrix("beta").ids == ALL  # Second is in Alpha too; Third in beta alone
    assert views.matrix("alpha").ids == ALL  # a class page keeps its leaves; Second is in Beta too


def test_the_whole_matrix_and_every_tables_data_keep_every_column() -> None:
    views = _views()
    assert views.matrix().ids == ALL
    assert len(views.matrix().columns) == len(ALL)
    for name, text in views.table_data().items():
        data = json.loads(text)
        assert data["columns"] == list(ALL[1:]), name  # the ids of each record's cells, for matrix.js
        assert all(len(study["cells"]) == len(ALL) - 1 for study in data["studies"]), name


def test_an_edition_s_tables_filter_by_whether_the_original_survey_reviews_a_study() -> None:
    """A reader's trial looked for the studies added since the survey and found no way to list them:
    an edition's tables filter by it, after the facets (in matrix.js's order), each table's data naming
    the values as the study pages do."""
    views = _views()
    reviewed = {s.key for s in views.catalog.studies if s.annotation.in_survey}
    assert reviewed == {"lee2023third", "mueller2021first"}  # of the fixture's four
    assert views.matrix().filters[-1] == "Survey"
    data = json.loads(views.matrix_json())
    assert data["taxonomy"]["in_survey"] == {
        "label": "Survey",
        "names": {"yes": "Reviewed in the 2022 review", "no": "Added by this site"},
    }
    assert {s["key"]: s["in_survey"] for s in data["studies"]} == {
        s.key: s.key in reviewed for s in views.catalog.studies
    }
    assert views.table_facts(views.studies)["counts"][-1] == {"yes": 2, "no": len(views.studies) - 2}
    for name, text in views.table_data().items():  # every node's table, with its own studies' values
        table = json.loads(text)
        assert "in_survey" in table["taxonomy"], name
        assert all(isinstance(s["in_survey"], bool) for s in table["studies"]), name


def test_a_survey_of_its_own_has_no_survey_filter() -> None:
    survey = load_survey(MINI, Problems())
    own = replace(survey, edition_of=None)
    views = Views(load_catalog(Project.at(MINI)), own, None, Memo(keep=False))
    assert "Survey" not in views.matrix().filters
    data = json.loads(views.matrix_json())
    assert "in_survey" not in data["taxonomy"]
    assert not any("in_survey" in s for s in data["studies"])
    assert len(views.table_facts(views.studies)["counts"]) == 3 + len(views.catalog.taxonomy.facets)


def test_a_paged_table_s_survey_counts_follow_an_edit_under_a_lasting_memo(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paged table's filter counts are kept by where the studies are placed (serve's Memo lasts): the
    Survey filter's counts are kept by which studies the original survey reviews too, so that a study
    marked in_survey is counted again at the next build, not as it was."""
    monkeypatch.setattr("surveysite.views.TABLE_LIMIT", 1)  # every table with two studies or more paged,
    monkeypatch.setattr("surveysite.views.TABLE_PAGE_ROWS", 1)  # a row at a time
    project = make_project()
    memo = Memo()

    def survey_counts() -> tuple[dict[str, int], bool]:
        site = build_site(project, memo)
        facts = re.search(r'data-facts="([^"]*)"', site.pages["matrix.md"])
        assert facts is not None
        counts: dict[str, int] = json.loads(html.unescape(facts.group(1)))["counts"][-1]
        data = site.files["matrix.json"]
        studies = json.loads(data if isinstance(data, str) else data.decode())["studies"]
        return counts, next(s["in_survey"] for s in studies if s["key"] == "lee2023third")

    total = len(load_catalog(project).studies)
    assert survey_counts() == ({"yes": 2, "no": total - 2}, True)
    study = project.content / "studies" / "lee2023third.yaml"
    study.write_text(study.read_text().replace("in_survey: true", "in_survey: false"))
    assert survey_counts() == ({"yes": 1, "no": total - 1}, False)
    # So is the Year filter's by each study's year, which no placement holds.
    site = build_site(project, memo)
    facts = re.search(r'data-facts="([^"]*)"', site.pages["matrix.md"])
    assert facts is not None
    years = json.loads(html.unescape(facts.group(1)))["counts"][2]
    bib = project.bib / "studies.bib"
    text = bib.read_text()
    year = str(load_catalog(project).study("lee2023third").reference.year)
    assert years[year] >= 1 and "1999" not in years
    start = text.index("{lee2023third,")
    end = text.index("\n}", start)
    bib.write_text(text[:start] + text[start:end].replace(f"{{{year}}}", "{1999}") + text[end:])
    site = build_site(project, memo)
    facts = re.search(r'data-facts="([^"]*)"', site.pages["matrix.md"])
    assert facts is not None
    assert json.loads(html.unescape(facts.group(1)))["counts"][2]["1999"] == 1
    # And the Survey filter's names by the original survey's short name (a review: kept as they were).
    survey = project.root / "content" / "survey.yaml"
    survey.write_text(survey.read_text().replace("short_name: the 2022 review", "short_name: the 2023 atlas"))
    site = build_site(project, memo)
    facts = re.search(r'data-facts="([^"]*)"', site.pages["matrix.md"])
    assert facts is not None
    names = json.loads(html.unescape(facts.group(1)))["taxonomy"]["in_survey"]["names"]
    assert names["yes"] == "Reviewed in the 2023 atlas"


def test_a_study_in_two_classes_lists_them_in_the_order_of_its_leaves() -> None:
    """A contributor's trial read 'LLM4RL, RL+LLM' above 'With language feedback, Goal': the classes
    were sorted by name, the leaves in the study file's order."""
    wide = MINI.parent / "wide"
    views = Views(load_catalog(Project.at(wide)), load_survey(wide, Problems()), None, Memo(keep=False))
    table = views.matrix()
    row = next(cells for name, _, cells in table.rows if name == "NeuRewriter")
    classes, leaves = row[0].split(", "), row[1].split(", ")
    assert len(classes) == len(leaves) == 2
    names = {node.name: node.path for node in views.catalog.taxonomy.nodes}
    assert [names[leaf].split("/")[0] for leaf in leaves] == [names[c] for c in classes]
