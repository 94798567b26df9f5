"""Work made once and shared: the matrix data joined from the tables' records, related studies
counted by index, the taxonomy's shape for checking studies; each gives what the plain computation
gives."""

from __future__ import annotations

import dataclasses
import html
import json
import pickle
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from pytest import MonkeyPatch

from surveysite import views as views_module
from surveysite.bibliography import BibRecord, load_bibliography
from surveysite.build import Project, build_site, load_catalog
from surveysite.cache import Memo
from surveysite.model import UNKNOWN_VALUES, Catalog, Reference, Study, Taxonomy
from surveysite.paths import study_page
from surveysite.problems import Problems
from surveysite.related import RELATED_WINDOW, related_studies
from surveysite.rules import Rules, check_rules
from surveysite.survey import load_survey
from surveysite.views import StudyView, Views

from .conftest import MINI, ROOT, MakeProject

WIDE = ROOT / "tests" / "fixtures" / "wide"


def test_matrix_json_is_the_taxonomy_and_every_study_record_encoded() -> None:
    catalog = load_catalog(Project.at(WIDE))
    views = Views(catalog, load_survey(WIDE, Problems()), None, Memo(keep=False))
    records = [views._table_record(v, views.cells(v)) for v in views.studies]
    data = {"taxonomy": views._table_taxonomy(), "columns": list(views.column_ids()[1:]), "studies": records}
    expected = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    assert views.matrix_json() == expected
    assert json.loads(views.table_data()[f"tables/{catalog.taxonomy.nodes[0].path}.json"])["studies"]


def test_a_nodes_table_names_only_the_leaves_and_classes_its_studies_are_in() -> None:
    """Each table's data named the whole taxonomy: a taxonomy of N leaves gave N tables of N names
    each (2,000 leaves: 260 MB). A node's table names the nodes its studies are placed in, and their
    classes, in tree order; the matrix's names every node."""
    catalog = load_catalog(Project.at(WIDE))
    views = Views(catalog, load_survey(WIDE, Problems()), None, Memo(keep=False))
    files = views.table_data()
    order = [n.path for n in catalog.taxonomy.nodes]
    scoped = 0
    for node in catalog.taxonomy.nodes:
        under = catalog.under[node.path]
        if not under:
            continue
        named = [n["path"] for n in json.loads(files[f"tables/{node.path}.json"])["taxonomy"]["nodes"]]
        leaves = {leaf for key in under for leaf in catalog.study(key).annotation.categories}
        assert named == [path for path in order if path in leaves | {leaf.split("/")[0] for leaf in leaves}]
        scoped += len(named) < len(order)
    assert scoped  # (the fixture has tables that name fewer nodes than the tree holds)
    assert [n["path"] for n in json.loads(views.matrix_json())["taxonomy"]["nodes"]] == order


def test_a_large_node_tables_filters_name_only_its_studies_leaves_and_classes(
    monkeypatch: MonkeyPatch,
) -> None:
    """A node table larger than TABLE_LIMIT carries its filters' names and counts in the page (facts):
    the same names as its data file; the matrix's name every node."""
    monkeypatch.setattr(views_module, "TABLE_LIMIT", 1)
    monkeypatch.setattr(views_module, "TABLE_PAGE_ROWS", 1)
    catalog = load_catalog(Project.at(WIDE))
    views = Views(catalog, load_survey(WIDE, Problems()), None, Memo(keep=False))
    files = views.table_data()
    compared = 0
    for node in catalog.taxonomy.nodes:
        if len(catalog.under[node.path]) > 1:
            facts = json.loads(html.unescape(views.matrix(node.path).facts))
            assert facts["taxonomy"] == json.loads(files[f"tables/{node.path}.json"])["taxonomy"]
            compared += len(facts["taxonomy"]["nodes"]) < len(catalog.taxonomy.nodes)
    assert compared  # (tables that name fewer nodes than the tree holds)
    every = json.loads(html.unescape(views.matrix("").facts))["taxonomy"]["nodes"]
    assert [n["path"] for n in every] == [n.path for n in catalog.taxonomy.nodes]


def plain_related(catalog: Catalog, most: int = 5) -> dict[str, list[str]]:
    """Related studies as first written: a Counter per study updated window by window."""
    order = {s.key: i for i, s in enumerate(catalog.studies)}
    postings: dict[tuple[str, str, str], list[str]] = {}
    yes_no = {f.id for f in catalog.taxonomy.facets if f.kind == "yes-no"}  # (relating no two studies)
    for study in catalog.studies:
        for leaf in study.annotation.categories:
            for facet_id, values in study.annotation.facets:
                if facet_id in yes_no:
                    continue
                for value in values:
                    if value not in UNKNOWN_VALUES:
                        postings.setdefault((leaf, facet_id, value), []).append(study.key)
    scores: dict[str, Counter[str]] = {s.key: Counter() for s in catalog.studies}
    for keys in postings.values():
        for index, key in enumerate(keys):
            scores[key].update(keys[max(0, index - RELATED_WINDOW) : index + RELATED_WINDOW + 1])
    result = {}
    for key, found in scores.items():
        found.pop(key, None)
        result[key] = sorted(found, key=lambda k: (-found[k], order[k]))[:most]
    return result


@pytest.mark.parametrize("count", [20, 35, 60, 80, 100, 120, 400])
def test_related_studies_of_large_leaves_are_those_the_plain_count_gives(count: int) -> None:
    catalog = load_catalog(Project.at(WIDE))
    leaves = [n.path for n in catalog.taxonomy.nodes if n.is_leaf][:2]
    rnd = random.Random(14)
    values = ["a", "b", "c", *UNKNOWN_VALUES]
    studies = []
    for index in range(count):  # leaves of far more studies than the window, a value shared by many
        model = catalog.studies[index % len(catalog.studies)]
        facets = tuple(
            (facet_id, tuple(rnd.sample(values, rnd.randint(1, 3)))) for facet_id in ("f1", "f2", "f3")
        )
        note = dataclasses.replace(
            model.annotation,
            key=f"s{index:04d}",
            categories=tuple(rnd.sample(leaves, rnd.randint(1, 2))),
            facets=facets,
        )
        studies.append(Study(dataclasses.replace(model.reference, key=f"s{index:04d}"), note))
    many = Catalog(catalog.taxonomy, tuple(studies), {})
    related = related_studies(many)
    assert related == plain_related(many)
    assert sum(len(keys) for keys in related.values()) > count


@pytest.mark.parametrize("chunk", [1, 2, 500])
def test_each_view_task_counts_its_own_studies_related_ones_as_related_studies_does(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views_module, "VIEW_CHUNK", chunk)  # tasks that start inside the catalog
    catalog = load_catalog(Project.at(MINI))
    survey = load_survey(MINI, Problems())
    expected = related_studies(catalog)
    assert sorted(map(len, expected.values())) == [0, 1, 1]  # studies with and without related ones

    def shown(made: Views) -> dict[str, list[str]]:
        return {v.key: [page for _, page in v.related] for v in made.studies}

    pages = {key: [study_page(k) for k in keys] for key, keys in expected.items()}
    assert shown(Views(catalog, survey, None, Memo(keep=False))) == pages
    memo = Memo()
    assert shown(Views(catalog, survey, None, memo)) == pages  # counted, then kept
    assert expected in memo.saved_entries().values()
    monkeypatch.setattr(views_module, "related_places", lambda _: pytest.fail("counted again"))
    assert shown(Views(catalog, survey, None, memo)) == pages  # the kept ones


def test_a_view_read_back_unpickles_all_but_its_key_name_page_and_nodes_when_one_is_read() -> None:
    catalog = load_catalog(Project.at(WIDE))
    made = Views(
        catalog, load_survey(WIDE, Problems()), "https://example.org/edit/", Memo(keep=False)
    ).studies
    view = made[0]
    data = pickle.dumps(view, pickle.HIGHEST_PROTOCOL)
    back = pickle.loads(data)
    packed = set(StudyView.PACKED)
    assert {"title", "summary", "year", "bibtex", "related_lines"} <= packed
    assert not packed & back.__dict__.keys()  # not unpickled yet
    assert back.key == view.key and back.name == view.name and back.page == view.page
    assert back.categories == view.categories
    assert pickle.dumps(back, pickle.HIGHEST_PROTOCOL) == data  # written back as read, not unpickled
    assert back.year == view.year  # one packed field read: all of them unpickled
    assert packed <= back.__dict__.keys()
    assert back == view and dataclasses.asdict(back) == dataclasses.asdict(view)
    other = dataclasses.replace(back, related_lines=views_module.Markdown("- another"))
    assert pickle.loads(pickle.dumps(other)).related_lines == "- another"  # a new view packs its own
    with pytest.raises(AttributeError):
        back.no_such_field  # noqa: B018


def test_a_reference_read_back_makes_all_but_its_key_year_entry_and_digest_when_one_is_read() -> None:
    catalog = load_catalog(Project.at(MINI))
    reference = next(s.reference for s in catalog.studies if s.reference.details and s.reference.families)
    data = pickle.dumps(reference, pickle.HIGHEST_PROTOCOL)
    back = pickle.loads(data)
    packed = set(Reference.PACKED)
    assert packed == {f.name for f in dataclasses.fields(Reference)} - set(Reference.UNPACKED)
    assert {"title", "authors", "families", "details", "venue", "doi", "url"} <= packed
    assert not packed & back.__dict__.keys()  # not made yet
    assert (back.key, back.year, back.bibtex, back.entry) == (
        reference.key,
        reference.year,
        reference.bibtex,
        reference.entry,
    )
    assert pickle.dumps(back, pickle.HIGHEST_PROTOCOL) == data  # written back as read, not made
    assert back.families == reference.families  # one packed field read (with a default): all made
    assert packed <= back.__dict__.keys()
    assert back == reference and dataclasses.asdict(back) == dataclasses.asdict(reference)
    other = dataclasses.replace(back, title="Another")
    assert pickle.loads(pickle.dumps(other)).title == "Another"  # a new reference packs its own
    assert Reference("k", "misc", "T", (), 2020, "", None, None, None, "@misc{k}").families == ()  # defaults
    with pytest.raises(AttributeError):
        back.no_such_field  # noqa: B018


def test_a_bib_record_read_back_makes_its_fields_only_where_a_rule_reads_them() -> None:
    records = load_bibliography(MINI, MINI / "bib", Problems())
    back = pickle.loads(pickle.dumps(records, pickle.HIGHEST_PROTOCOL))
    assert BibRecord.PACKED == ("fields",) and "fields" not in back[0].__dict__
    assert [(r.key, r.entry_type, r.location, r.bibtex) for r in back] == [
        (r.key, r.entry_type, r.location, r.bibtex) for r in records
    ]
    check_rules(Rules(), Taxonomy((), ()), back, [], Problems())  # no rule on entries: none read
    assert all("fields" not in r.__dict__ for r in back)
    check_rules(Rules(venue=True), Taxonomy((), ()), back, [], Problems())
    assert all("fields" in r.__dict__ for r in back) and back == records


def test_values_many_studies_hold_alike_are_one_object_read_back_once(tmp_path: Path) -> None:
    """Facet values, categories, table cells and BibTeX entry types are shared (see model.shared): equal
    values are one object, which pickle writes once and reads back once."""
    project = tmp_path / "synthetic"
    script = ROOT / "scripts" / "synthetic.py"
    subprocess.run([sys.executable, str(script), "--studies", "60", "--out", str(project)], check=True,
                   capture_output=True)  # fmt: skip
    catalog = load_catalog(Project.at(project))
    views = Views(catalog, load_survey(project, Problems()), None, Memo(keep=False))
    notes = [s.annotation for s in catalog.studies]
    pairs = [pair for note in notes for pair in note.facets]
    assert len({id(p) for p in pairs}) == len(set(pairs)) < len(pairs)  # each value one object
    categories = [note.categories for note in notes]
    assert len({id(c) for c in categories}) == len(set(categories)) < len(categories)
    cells = [cell for view in views.studies for cell in views.cells(view)]
    assert len({id(c) for c in cells}) == len(set(cells)) < len(cells)
    types = [record.entry_type for record in load_bibliography(project, project / "bib", Problems())]
    assert len({id(t) for t in types}) == len(set(types)) < len(types)
    back = pickle.loads(pickle.dumps(notes, pickle.HIGHEST_PROTOCOL))
    again = [pair for note in back for pair in note.facets]
    assert len({id(p) for p in again}) == len(set(again))  # read back once each


def test_the_search_aliases_are_made_only_when_read(
    make_project: MakeProject, monkeypatch: MonkeyPatch
) -> None:
    """Only the MkDocs plugin reads them: a `pages` run does not make them (0.07 s at 10,000 studies,
    with the other core idle); read, they are every study page's, and made once."""
    from surveysite import render

    made: list[str] = []
    real = render.search_aliases
    monkeypatch.setattr(render, "search_aliases", lambda key, *rest: made.append(key) or real(key, *rest))
    site = build_site(make_project(), Memo(keep=False))
    assert made == []
    aliases = dict(site.aliases)
    assert sorted(made) == sorted(site.studies) and set(aliases) == {study_page(key) for key in site.studies}
    assert all(aliases[study_page(key)].startswith(key) for key in site.studies)
    assert dict(site.aliases) == aliases and len(made) == len(site.studies)  # made once


def test_the_mkdocs_plugin_makes_the_search_aliases_with_the_site(
    make_project: MakeProject, monkeypatch: MonkeyPatch, tmp_path: Path
) -> None:
    """It reads them when it writes the index, at the end of a build: made then, they kept every
    study's view alive through the build (a cold build's peak at 10,000 studies 907 MB, not 776 MB)."""
    import shutil

    from mkdocs.config import load_config

    from surveysite import render

    project = make_project()
    shutil.copy(ROOT / "mkdocs.yml", project.root / "mkdocs.yml")
    made: list[str] = []
    real = render.search_aliases
    monkeypatch.setattr(render, "search_aliases", lambda key, *rest: made.append(key) or real(key, *rest))
    config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    plugin = config.plugins["surveysite"]
    plugin.on_config(config)
    assert sorted(made) == sorted(plugin.site.studies)  # made with the site, before any page is built
    config.plugins.on_shutdown()
