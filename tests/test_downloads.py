"""Downloads hold exactly the studies the site shows, in BibTeX, JSON (valid against its schema) and CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

from surveysite import stamp
from surveysite.build import Project, build_site
from surveysite.cli import main
from surveysite.views import url_identity

from .conftest import MINI, MakeProject, texts


def files() -> dict[str, str]:
    return texts(build_site(Project.at(MINI)).files)


def keys_in_bibtex(text: str) -> list[str]:
    return re.findall(r"^@\w+\{([^,]+),", text, re.MULTILINE)


def test_bibtex_downloads_hold_all_and_per_class_studies() -> None:
    found = files()
    assert keys_in_bibtex(found["downloads/studies.bib"]) == [
        "mueller2021first",
        "smith2022second",
        "lee2023third",
    ]
    assert keys_in_bibtex(found["downloads/alpha.bib"]) == ["mueller2021first", "smith2022second"]
    assert keys_in_bibtex(found["downloads/beta.bib"]) == ["smith2022second", "lee2023third"]


def test_json_download_is_valid_against_its_schema() -> None:
    found = files()
    data = json.loads(found["downloads/studies.json"])
    schema = json.loads(found["downloads/studies.schema.json"])
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert [s["key"] for s in data["studies"]] == ["mueller2021first", "smith2022second", "lee2023third"]
    assert data["studies"][1]["facets"] == {
        "model": ["Model-A", "Model-B"],
        "feedback": ["environment"],
        "code": ["not stated"],
    }


def test_json_schema_rejects_a_value_outside_the_vocabulary() -> None:
    found = files()
    data = json.loads(found["downloads/studies.json"])
    data["studies"][0]["facets"]["feedback"] = ["telepathy"]
    schema = json.loads(found["downloads/studies.schema.json"])
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)


def test_csv_download_has_a_row_per_study() -> None:
    rows = list(csv.DictReader(io.StringIO(files()["downloads/studies.csv"])))
    assert [r["key"] for r in rows] == ["mueller2021first", "smith2022second", "lee2023third"]
    assert rows[1]["categories"] == "alpha/two; beta"
    assert rows[0]["authors"] == "Jörg Müller; Ana García; Piet van der Berg"


def test_the_schema_says_what_every_field_holds_and_the_csv_has_those_fields() -> None:
    """A reader's trial found the downloads' fields explained nowhere ('added' taken for the day of
    publication, 'year' for the year the work appeared): each field of a study has a description in
    the JSON Schema, and the CSV's columns are those fields (the facets' by their ids), as the home
    page says."""
    made = files()
    schema = json.loads(made["downloads/studies.schema.json"])
    fields = schema["properties"]["studies"]["items"]["properties"]
    assert all(len(field.get("description", "")) > 20 for field in fields.values()), [
        name for name, field in fields.items() if len(field.get("description", "")) <= 20
    ]
    assert "not when it was published" in fields["added"]["description"]
    for facet in fields["facets"]["properties"].values():
        assert facet.get("description")
    header = next(csv.reader(io.StringIO(made["downloads/studies.csv"].removeprefix("\ufeff"))))
    facet_ids = list(fields["facets"]["properties"])
    assert set(header) == (set(fields) - {"facets", "more_authors", "bibtex"}) | set(facet_ids)
    home = " ".join(build_site(Project.at(MINI)).pages["index.md"].split())
    assert "Its columns are the JSON's fields, each facet under its id" in home


def test_csv_cells_never_start_a_formula(make_project: MakeProject) -> None:
    project = make_project()
    study = project.content / "studies" / "lee2023third.yaml"
    study.write_text(study.read_text().replace("name: Third", "name: '=HYPERLINK(\"http://x\")'"))
    rows = list(csv.DictReader(io.StringIO(texts(build_site(project).files)["downloads/studies.csv"])))
    assert rows[2]["name"] == '\'=HYPERLINK("http://x")'


def test_only_an_edition_says_which_studies_its_original_reviews(make_project: MakeProject) -> None:
    """A survey of its own has no original survey: its downloads carry no in_survey (all false before)."""
    edition = files()  # the mini survey is an edition
    plain = make_project({"content/survey.yaml": "title: Plain\n"})
    for path in (plain.content / "studies").glob("*.yaml"):
        path.write_text(path.read_text().replace("in_survey: true\n", "").replace("in_survey: false\n", ""))
    own = texts(build_site(plain).files)
    for found, said in ((edition, True), (own, False)):
        data = json.loads(found["downloads/studies.json"])
        schema = json.loads(found["downloads/studies.schema.json"])
        jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
        study = schema["properties"]["studies"]["items"]
        assert [("in_survey" in s) for s in data["studies"]] == [said] * 3
        assert ("in_survey" in study["properties"], "in_survey" in study["required"]) == (said, said)
        rows = list(csv.DictReader(io.StringIO(found["downloads/studies.csv"])))
        assert [("in_survey" in row) for row in rows] == [said] * 3
        assert rows[0]["added"] and rows[0]["placement"] in ("high", "medium", "low")
    reviewed = [s["in_survey"] for s in json.loads(edition["downloads/studies.json"])["studies"]]
    assert reviewed == [True, False, True]


def test_the_downloads_carry_a_study_s_note_and_its_placement_note(make_project: MakeProject) -> None:
    """A reader's trial found both on the study pages but in neither the JSON nor the CSV. The CSV's two
    columns come last, so a reader's script that counts the earlier ones keeps working."""
    project = make_project()
    study = project.content / "studies" / "lee2023third.yaml"
    study.write_text(study.read_text().replace("facets:", "note: '=SUM(A1), as it says.'\nfacets:", 1))
    found = texts(build_site(project).files)
    data = json.loads(found["downloads/studies.json"])
    schema = json.loads(found["downloads/studies.schema.json"])
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert [(s["note"], s["placement_note"]) for s in data["studies"]] == [
        (None, None),
        (None, "The leaf is a guess <img src=x onerror=alert(1)>."),
        ("=SUM(A1), as it says.", None),
    ]
    assert schema["properties"]["studies"]["items"]["properties"]["note"]["type"] == ["string", "null"]
    rows = list(csv.DictReader(io.StringIO(found["downloads/studies.csv"])))
    assert list(rows[0])[-6:] == ["summary", "placement_note", "note", "url", "links", "page"]
    assert [(r["note"], r["placement_note"]) for r in rows] == [
        ("", ""),
        ("", "The leaf is a guess <img src=x onerror=alert(1)>."),
        ("'=SUM(A1), as it says.", ""),  # a spreadsheet shows it, never evaluates it
    ]


def test_the_search_s_identifiers_name_each_study_by_its_arxiv_id_and_doi(make_project: MakeProject) -> None:
    """As two entries of one paper are compared: in lower case, an arXiv id without its version."""
    bib = (MINI / "bib" / "studies.bib").read_text()
    bib = bib.replace("{2201.00001}", "{2201.00001v2}").replace(
        "{10.1234/fict.2021.1}", "{10.1234/FICT.2021.1}"
    )
    assert "2201.00001v2" in bib and "FICT" in bib
    site = build_site(make_project({"bib/studies.bib": bib}))
    found = json.loads(texts(site.files)["search/identifiers.json"])
    assert found == {
        "arxiv": {"2201.00001": "smith2022second"},
        "doi": {"10.1234/fict.2021.1": "mueller2021first"},
        "url": {"example.org/first": "mueller2021first"},  # (smith's url is arXiv's: found by its id)
    }


@pytest.mark.parametrize(
    ("address", "identity"),
    [
        ("https://openreview.net/forum?id=TyFrPOKYXw", "openreview.net/forum?id=TyFrPOKYXw"),
        ("http://WWW.Example.ORG/Repo/#readme", "example.org/Repo"),
        ("https://aclanthology.org/2024.acl-long.662/", "aclanthology.org/2024.acl-long.662"),
        ("https://arxiv.org/abs/2203.02155", ""),  # read as its id
        ("https://dx.doi.org/10.1/x", ""),
        ("ftp://example.org/x", ""),
        ("example.org/x", ""),
    ],
)
def test_an_address_is_held_as_the_search_reads_a_pasted_one(address: str, identity: str) -> None:
    """A reader's trial pasted a study's OpenReview and ACL Anthology addresses (its CSV's url) into the
    matrix's filter and the header search: no study, or another first. The identifiers hold each
    study's addresses in the form search-query.html reads a pasted one (its urlIdentity)."""
    assert url_identity(address) == identity


def test_the_csv_carries_each_study_s_address_links_and_page_as_the_json_does(
    make_project: MakeProject,
) -> None:
    """A reader's trial: the JSON had the paper's url, the code and project links and the study's page,
    the CSV, which a spreadsheet opens, none of them. They come after the older columns."""
    project = make_project()
    study = project.content / "studies" / "mueller2021first.yaml"
    study.write_text(study.read_text() + "  project: https://example.org/first-project\n")
    found = texts(build_site(project).files)
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(found["downloads/studies.csv"]))}
    records = {s["key"]: s for s in json.loads(found["downloads/studies.json"])["studies"]}
    assert rows["mueller2021first"]["links"] == (
        "code: https://example.org/first; project: https://example.org/first-project"
    )
    for key, row in rows.items():
        record = records[key]
        assert (row["url"], row["page"]) == (record["url"] or "", record["page"])
        assert row["links"] == "; ".join(f"{kind}: {url}" for kind, url in record["links"].items())
    assert [r["url"] for r in rows.values()].count("") < len(rows)  # (the mini survey has one)


def test_an_address_several_studies_link_names_none_and_an_arxiv_url_gives_its_id(
    make_project: MakeProject,
) -> None:
    """A review: a framework's repository linked by several studies found the first of them alone (on
    a node's page, 'a study of another page', though one was in its table). And an entry whose arXiv
    id is only in its url was found by neither."""
    project = make_project()
    third = project.content / "studies" / "lee2023third.yaml"
    third.write_text(third.read_text() + "links:\n  code: https://example.org/first\n")
    bib = project.root / "bib" / "studies.bib"
    text = bib.read_text()
    assert "title   = {Third Study}," in text
    bib.write_text(
        text.replace(
            "title   = {Third Study},",
            "title   = {Third Study},\n  url = {https://arxiv.org/pdf/2305.00002v1.pdf},",
        )
    )
    found = json.loads(texts(build_site(project).files)["search/identifiers.json"])
    assert found["url"] == {}  # (the mini survey's one other address is arXiv's)
    assert found["arxiv"] == {"2201.00001": "smith2022second", "2305.00002": "lee2023third"}


def test_the_identifiers_follow_an_edited_link_in_a_run_after_an_edit(
    make_project: MakeProject,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The identifiers hold each study's links, which its study file gives: a run after an edit that
    keeps the file made before must not keep it when only a link changed (its key was made of the
    entries alone, which name no link)."""
    monkeypatch.setattr(stamp, "_RACY_NS", -(10**18))  # as if each run came long after the last
    project = make_project()
    out = tmp_path / "out"
    assert main(["--root", str(project.root), "pages", "--out", str(out)]) == 0
    study = project.content / "studies" / "lee2023third.yaml"
    study.write_text(study.read_text() + "links:\n  code: https://example.org/third-code\n")
    assert main(["--root", str(project.root), "pages", "--out", str(out)]) == 0
    capsys.readouterr()
    found = json.loads((out / "search" / "identifiers.json").read_text(encoding="utf-8"))
    assert found["url"] == {"example.org/first": "mueller2021first", "example.org/third-code": "lee2023third"}
