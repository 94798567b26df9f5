"""A large .bib file parsed in two halves gives exactly what parsing it whole gives, or is parsed whole."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from surveysite import bibliography, loading
from surveysite.bibliography import BibRecord, load_bibliography
from surveysite.build import Project
from surveysite.cache import Memo
from surveysite.catalog import build_catalog
from surveysite.loading import halves, load_sources
from surveysite.problems import Problems
from surveysite.references import make_reference
from surveysite.taxonomy import load_taxonomy

from .conftest import ROOT, MakeProject

MINI_BIB = (ROOT / "tests" / "fixtures" / "mini" / "bib" / "studies.bib").read_text(encoding="utf-8")


def entry(key: str, year: str = "2020") -> str:
    return (
        f"@article{{{key},\n  author = {{Doe, Jane}},\n  title = {{Study {key}}},\n  year = {{{year}}},\n}}\n"
    )


def loaded(
    project: Project, split: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[BibRecord], list[str]]:
    problems = Problems()
    if split:
        monkeypatch.setattr(loading, "SPLIT_BIB", 0)
        records, _, _, _, _ = load_sources(
            project.root, project.bib, project.content / "studies", problems, Memo()
        )
    else:
        records = load_bibliography(project.root, project.bib, problems, Memo())
    return records, [str(p) for p in problems.sorted() if p.location.path.startswith("bib/")]


def same_both_ways(project: Project, monkeypatch: pytest.MonkeyPatch) -> tuple[list[BibRecord], list[str]]:
    whole = loaded(project, False, monkeypatch)
    assert loaded(project, True, monkeypatch) == whole
    return whole


def test_a_small_file_or_one_defining_strings_is_one_part_and_a_large_one_is_cut_where_an_entry_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "".join(entry(f"k{i}") for i in range(40))
    assert halves(text) == [(text, 0)]
    monkeypatch.setattr(loading, "SPLIT_BIB", 0)
    (first, zero), (second, lines) = halves(text)
    assert first + second == text and zero == 0 and second.startswith("@article{k")
    assert lines == first.count("\n") and abs(len(first) - len(second)) < len(entry("k0")) * 2
    with_string = '@string{conf = "A Conference"}\n' + text
    assert halves(with_string) == [(with_string, 0)]


def entries(count: int = 40, **changes: str) -> str:
    """`count` entries; changes[f"k{i}"] is put after entry i (or in place of its year, for "year_k{i}")."""
    return "".join(
        entry(f"k{i}", changes.get(f"year_k{i}", "2020")) + changes.get(f"k{i}", "") for i in range(count)
    )


CASES = {
    "mini": MINI_BIB,
    "this-survey": (ROOT / "bib" / "studies.bib").read_text(encoding="utf-8"),
    "broken-entry-before-the-middle": entries(k19="@article{broken,\n  title = {Never closed,\n"),
    "same-key-in-both-halves": entries() + entry("k5"),
    "same-key-with-a-bad-year": entries() + entry("k5", "20x0"),
    "parenthesised-entries": entries()
    .replace("@article{k3,", "@article(k3,")
    .replace("@article{k33,", "@article(k33,"),
    "field-problems-in-both-halves": entries(year_k3="20x0", year_k35="2O21"),
    "stray-text-near-the-middle": "% comment\n" + entries(k19="stray words\n"),
    "comment-blocks": entries(k0="@comment{a note}\n", k21="@comment{another}\n"),
    "bad-identifiers-in-both-halves": entries()
    .replace("{Study k3},", "{Study k3},\n  doi = {11.x},")
    .replace("{Study k35},", "{Study k35},\n  url = {ftp://x},"),
    "same-key-with-a-bad-identifier": entries().replace("{Study k3},", "{Study k3},\n  eprint = {22.1},")
    + entry("k5"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_halves_give_what_the_whole_file_gives(
    name: str, make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    bib = CASES[name]
    project = make_project({"bib/studies.bib": bib})
    monkeypatch.setattr(loading, "SPLIT_BIB", 0)
    assert len(halves(bib)) == 2  # every case is cut
    monkeypatch.undo()
    records, _ = same_both_ways(project, monkeypatch)
    assert records


@pytest.mark.parametrize(
    ("name", "found"),
    [("bad-identifiers-in-both-halves", ["DOI '11.x'", "url 'ftp://x'"]),
     ("same-key-with-a-bad-identifier", ["eprint '22.1'"])],
)  # fmt: skip
def test_identifiers_are_checked_in_halves_and_when_they_disagree_in_the_whole_file(
    name: str, found: list[str], make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Halves that disagree (a key in both) are parsed whole again: that parse checks them too."""
    _, problems = same_both_ways(make_project({"bib/studies.bib": CASES[name]}), monkeypatch)
    for text in found:
        assert any(text in problem for problem in problems), (text, problems)


def test_halves_of_a_synthetic_survey_give_what_the_whole_file_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "synthetic"
    script = ROOT / "scripts" / "synthetic.py"
    subprocess.run([sys.executable, str(script), "--studies", "300", "--out", str(out)], check=True,
                   capture_output=True)  # fmt: skip
    records, problems = same_both_ways(Project.at(out), monkeypatch)
    assert len(records) == 300 and not problems


def test_a_string_used_across_the_cut_is_resolved_as_in_the_whole_file(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    bib = "@string{venue = {A Journal}}\n" + "".join(entry(f"k{i}") for i in range(30))
    bib += "@article{late,\n  author = {Doe, Jane},\n  title = {Late},\n  journal = venue,\n"
    bib += "  year = {2021},\n}\n"
    records, _ = same_both_ways(make_project({"bib/studies.bib": bib}), monkeypatch)
    assert dict(next(r for r in records if r.key == "late").fields)["journal"] == "A Journal"


@pytest.mark.parametrize("split", [False, True], ids=["whole", "halves"])
def test_each_part_comes_with_the_references_of_its_records_and_the_catalog_uses_them(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, split: bool
) -> None:
    project = make_project()
    if split:
        monkeypatch.setattr(loading, "SPLIT_BIB", 0)
    records, annotations, _, made, _ = load_sources(
        project.root, project.bib, project.content / "studies", Problems(), Memo()
    )
    assert made == {record.key: make_reference(record) for record in records} and len(made) == 3
    taxonomy = load_taxonomy(project.root, project.content / "taxonomy.yaml", Problems())
    catalog = build_catalog(taxonomy, records, annotations, Memo(keep=False), made)
    assert all(study.reference is made[study.key] for study in catalog.studies)  # used, not made again
    # A reference made from another version of the entry is not used: the catalog makes its own.
    other = {key: replace(ref, title="Stale", bibtex=ref.bibtex + " ") for key, ref in made.items()}
    rebuilt = build_catalog(taxonomy, records, annotations, Memo(keep=False), other)
    assert [s.reference for s in rebuilt.studies] == [s.reference for s in catalog.studies]
    assert all(s.reference.title != "Stale" for s in rebuilt.studies)


@pytest.mark.parametrize("split", [False, True], ids=["whole", "halves"])
def test_a_paper_entered_twice_is_found_by_the_identities_each_part_made(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, split: bool
) -> None:
    """Each part gives what tells its records as papers, made where it was parsed (in a child, its own
    records' fields are made again from a string in this process when read): the check reads them."""
    bib = (ROOT / "tests" / "fixtures" / "mini" / "bib" / "studies.bib").read_text()
    again = (
        "\n@misc{roe2024again,\n  author = {Roe, Jo},\n  title = {Another},\n  year = {2024},\n"
        "  doi = {10.1234/FICT.2021.1},\n}\n"
    )
    project = make_project({"bib/studies.bib": bib + again})
    if split:
        monkeypatch.setattr(loading, "SPLIT_BIB", 0)
    asked: list[str] = []
    real = bibliography.paper_identities
    monkeypatch.setattr(
        bibliography, "paper_identities", lambda record: asked.append(record.key) or real(record)
    )
    problems = Problems()
    records, _, _, _, _ = load_sources(
        project.root, project.bib, project.content / "studies", problems, Memo()
    )
    assert asked == [], asked  # none made again by the check
    assert "roe2024again" in {r.key for r in records}, [str(p) for p in problems.sorted()]
    assert [p.message for p in problems.sorted() if "same DOI" in p.message] == [
        "entry 'roe2024again' has the same DOI as 'mueller2021first' at bib/studies.bib:2; a paper has one "
        "entry: keep one, or correct the DOI"
    ]
