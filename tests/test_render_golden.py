"""Stage 6: the generated Markdown of each fixture survey (mini, wide) matches the golden files.

After an intended change to templates or rendering, regenerate the goldens with
`python scripts/regenerate_goldens.py` and review the diff.
"""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import pytest

from surveysite.build import Project, build_site
from surveysite.paths import TEMPLATE_PATHS
from surveysite.resources import TEMPLATES

from .conftest import MINI, ROOT

FIXTURES = ("mini", "wide")


@functools.cache
def golden_pages(fixture: str) -> dict[str, str]:
    golden = ROOT / "tests" / "golden" / fixture
    return {
        p.relative_to(golden).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(golden.rglob("*"))
        if p.is_file() and p.name != ".surveysite-pages"
    }


@functools.cache
def generated(fixture: str) -> dict[str, str]:
    site = build_site(Project.at(ROOT / "tests" / "fixtures" / fixture))
    # (Decoded as the golden files are read: the CSV's byte order mark is held to theirs too.)
    files = {name: data.decode() if isinstance(data, bytes) else data for name, data in site.files.items()}
    return {**site.pages, **files}


@pytest.mark.parametrize("fixture", FIXTURES)
def test_generated_page_set_matches_golden(fixture: str) -> None:
    assert sorted(generated(fixture)) == sorted(golden_pages(fixture))


@pytest.mark.parametrize(
    ("fixture", "page"), [(fixture, page) for fixture in FIXTURES for page in sorted(golden_pages(fixture))]
)
def test_generated_page_matches_golden(fixture: str, page: str) -> None:
    assert generated(fixture)[page] == golden_pages(fixture)[page], (
        "run: python scripts/regenerate_goldens.py"
    )


@pytest.mark.parametrize("fixture", FIXTURES)
def test_a_cards_links_follow_its_sentences_without_a_separator_after_a_full_stop(fixture: str) -> None:
    """A maintainer's trial read 'Placed in Push coring.  · DOI' on its cards: a '·' parts one link
    from the next, not the links from the sentences before them."""
    cards = [
        line
        for text in generated(fixture).values()
        for line in text.splitlines()
        if line.startswith("Placed in ") or "(its page says why)." in line
    ]
    assert cards
    assert [line for line in cards if re.search(r"\.\s+·", line)] == []
    # (one space between; the links in a span of their own, which print their addresses: extra.css)
    assert any(re.search(r'\. <span class="survey-card__links">\[(DOI|arXiv|Code)', line) for line in cards)


def test_navigation_is_the_tree_without_study_pages() -> None:
    site = build_site(Project.at(MINI))
    assert site.nav == [
        {"Home": "index.md"},
        {"Alpha": ["alpha/index.md", {"Leaf one": "alpha/one/index.md"}, {"Leaf two": "alpha/two/index.md"}]},
        {"Beta": "beta/index.md"},
        {"Matrix": "matrix.md"},
        {"What's new": "whats-new.md"},
        {"About": "about.md"},
    ]


def test_output_is_deterministic(tmp_path: Path) -> None:
    first = build_site(Project.at(MINI)).pages
    second = build_site(Project.at(MINI)).pages
    assert first == second


def test_study_page_links_its_data_file_when_an_edit_url_is_set() -> None:
    site = build_site(Project.at(MINI, edit_url="https://github.com/example/survey/edit/main/"))
    assert (
        "[Edit this study's data](https://github.com/example/survey/edit/main/content/studies/lee2023third.yaml)"
        in site.pages["studies/lee2023third.md"]
    )
    assert "Edit this study" not in build_site(Project.at(MINI)).pages["studies/lee2023third.md"]


def test_related_studies_share_a_leaf_and_facet_values() -> None:
    from surveysite.build import load_catalog
    from surveysite.related import related_studies

    related = related_studies(load_catalog(Project.at(MINI)))
    assert related == {
        "mueller2021first": [],
        "smith2022second": ["lee2023third"],
        "lee2023third": ["smith2022second"],
    }


def test_the_packaged_templates_link_the_sites_files_by_name_not_by_address() -> None:
    """Every address a template links to comes from paths.py (as `paths.<name>`), so it is written once."""
    written_out = {
        template.name: found
        for template in sorted(TEMPLATES.glob("*.j2"))
        if (found := re.findall(r"""link\(\s*["'][^"']*["']\s*\)""", template.read_text(encoding="utf-8")))
    }
    assert written_out == {}


def test_a_projects_own_template_links_a_download_by_its_name(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(MINI, root)
    (root / "templates").mkdir()
    home = (TEMPLATES / "home.md.j2").read_text(encoding="utf-8")
    (root / "templates" / "home.md.j2").write_text(home + '{{ "the CSV" | link(paths.studies_csv) }}\n')
    page = build_site(Project.at(root)).pages["index.md"]
    assert page.rstrip().endswith("[the CSV](downloads/studies.csv)")


def test_every_name_templates_link_by_is_documented() -> None:
    guide = (ROOT / "SURVEYSITE.md").read_text(encoding="utf-8")
    assert [name for name in TEMPLATE_PATHS if f"`{name}`" not in guide] == []
