"""'not checked' (we could not check the paper) is a value apart from 'not stated' (the paper is silent)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from surveysite.build import build_site, load_catalog
from surveysite.charts import leaf_by_facet
from surveysite.related import related_studies

from .conftest import MINI, MakeProject, messages
from .test_new_study import ENTRY, run_new

SECOND = "content/studies/smith2022second.yaml"
THIRD = "content/studies/lee2023third.yaml"
UNCHECKED_THIRD = """name: Third
categories: [beta]
placement: medium
in_survey: true
added: 2026-01-01
summary: A third fictional study.
facets:
  model: [not checked]
  feedback: [not checked]
  code: not checked
"""


def test_not_checked_is_accepted_in_every_kind_of_facet(make_project: MakeProject) -> None:
    assert messages(make_project({THIRD: UNCHECKED_THIRD})) == []


@pytest.mark.parametrize(
    "facet,values",
    [("model", "[not checked, Model-A]"), ("feedback", "[human, not checked]")],
)
def test_not_checked_cannot_be_mixed_with_other_values(
    make_project: MakeProject, facet: str, values: str
) -> None:
    text = UNCHECKED_THIRD.replace(f"{facet}: [not checked]", f"{facet}: {values}")
    line = 8 if facet == "model" else 9
    assert messages(make_project({THIRD: text})) == [
        f"{THIRD}:{line}: facet '{facet}': 'not checked' cannot be mixed with other values; "
        "keep the values, or 'not checked' alone"
    ]


def test_not_checked_and_not_stated_cannot_be_mixed(make_project: MakeProject) -> None:
    text = UNCHECKED_THIRD.replace("model: [not checked]", "model: [not checked, not stated]")
    assert messages(make_project({THIRD: text})) == [
        f"{THIRD}:8: facet 'model': 'not checked' cannot be mixed with other values; "
        "keep the values, or 'not checked' alone",
        f"{THIRD}:8: facet 'model': 'not stated' cannot be mixed with other values; "
        "keep the values, or 'not stated' alone",
    ]


def test_a_wrong_value_names_not_checked_among_the_allowed(make_project: MakeProject) -> None:
    text = UNCHECKED_THIRD.replace("code: not checked", "code: maybe")
    assert messages(make_project({THIRD: text})) == [
        f"{THIRD}:10: facet 'code': 'maybe' is not allowed (allowed: yes, no, not stated, not checked)"
    ]


def test_taxonomy_may_not_list_not_checked(make_project: MakeProject) -> None:
    project = make_project()
    taxonomy = project.content / "taxonomy.yaml"
    text = taxonomy.read_text()
    assert "values: [human, environment]" in text
    taxonomy.write_text(text.replace("[human, environment]", "[human, environment, not checked]"))
    assert [m for m in messages(project) if m.startswith("content/taxonomy")] == [
        "content/taxonomy.yaml:10: 'not checked' is always allowed; remove it",
    ]


def test_not_checked_is_shown_on_the_study_page_and_in_the_matrix(make_project: MakeProject) -> None:
    site = build_site(make_project({THIRD: UNCHECKED_THIRD}))
    page = site.pages["studies/lee2023third.md"]
    matrix = site.pages["matrix.md"]
    rows = [line for line in page.splitlines() if line.startswith("| ") and "not checked" in line]
    assert len(rows) == 3
    assert "not checked" in matrix
    # Said what it means, below the facets (a reader's trial met it with no word on it), once, and
    # kept out of the search index, which finds the value itself in the table.
    said = '<div class="survey-unknown" data-search-exclude markdown>*not checked*: not yet checked'
    assert page.count(said) == 1 and page.index(said) > page.index(rows[-1])
    assert "*not stated*" not in page  # only what the study's facets hold


def test_not_checked_never_makes_studies_related(make_project: MakeProject) -> None:
    second = (MINI / SECOND).read_text()
    second = second.replace("model: [Model-A, Model-B]", "model: [not checked]")
    project = make_project({SECOND: second, THIRD: UNCHECKED_THIRD})
    related = related_studies(load_catalog(project))
    assert related["lee2023third"] == [] and related["smith2022second"] == []


def test_not_checked_is_not_counted_in_charts(make_project: MakeProject) -> None:
    catalog = load_catalog(make_project({THIRD: UNCHECKED_THIRD}))
    assert "Model-A" in leaf_by_facet(catalog, "model")
    assert "not checked" not in leaf_by_facet(catalog, "model")
    assert "not checked" not in leaf_by_facet(catalog, "feedback")


def test_json_schema_accepts_not_checked(make_project: MakeProject) -> None:
    files = dict(build_site(make_project({THIRD: UNCHECKED_THIRD})).files)
    data = json.loads(files["downloads/studies.json"])
    schema = json.loads(files["downloads/studies.schema.json"])
    assert data["studies"][2]["facets"] == {
        "model": ["not checked"],
        "feedback": ["not checked"],
        "code": ["not checked"],
    }
    jsonschema.validate(data, schema)
    data["studies"][2]["facets"]["code"] = ["unchecked"]
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)


def test_new_study_stub_offers_not_checked(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    run_new(monkeypatch, capsys, str(project.root), ENTRY)
    stub = (project.content / "studies" / "doe2024new.yaml").read_text().splitlines()
    hints = {line.split(":")[0].strip(): line.split("#", 1)[1] for line in stub if "[TODO]" in line}
    assert hints == {
        "model": " Model: a list of terms; or not stated or not checked",
        "feedback": " Feedback: one or more of: human, environment; or not stated or not checked",
        "code": " Code released: one of: yes, no, not stated, not checked",
    }
