"""Links between the site's own pages: `surveysite check` refuses, with file and line, exactly the links
to missing pages and files that `mkdocs build --strict` fails on."""

from __future__ import annotations

import pytest

from surveysite.sitelinks import link_target
from tests.conftest import ROOT, MakeProject, messages, strict_build

ABOUT = "content/pages/about.md"
TAXONOMY = "content/taxonomy.yaml"
ABOUT_TEXT = "# About\n\nAbout the mini survey.\n\nSee [this]({url}).\n"  # the link on line 5


@pytest.mark.parametrize(
    ("url", "page", "expected"),
    [
        ("matrix.md", "about.md", ("matrix.md", True)),
        ("./matrix.md?x#y", "about.md", ("matrix.md", True)),
        ("../index.md", "alpha/index.md", ("index.md", True)),
        ("one/index.md", "alpha/index.md", ("alpha/one/index.md", True)),
        ("../../x.md", "about.md", ("../../x.md", True)),
        ("a%20b.png", "about.md", ("a b.png", True)),
        ("folder/", "about.md", ("folder", False)),
        ("https://example.org/x.md", "about.md", None),  # another host
        ("/matrix.md", "about.md", None),  # absolute: MkDocs only notes it
        ("#downloads", "index.md", None),  # a place on the page itself
        ("mailto:a@example.org", "about.md", None),
    ],
)
def test_a_link_leads_where_mkdocs_resolves_it(
    url: str, page: str, expected: tuple[str, bool] | None
) -> None:
    assert link_target(url, page) == expected


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("missing.md", ""),
        ("missing.md?x", " ('missing.md')"),
        ("./missing.md#part", " ('missing.md')"),
        ("../missing.md", ""),
        ("Matrix.md", ""),  # letter case counts
        ("a%20b.md", " ('a b.md')"),
        ("tables/alpha/three.json", ""),
        ("x@example.org", ""),  # an address without mailto: is a file name to MkDocs
    ],
)
def test_a_link_to_no_page_or_file_is_refused_at_its_line(
    make_project: MakeProject, url: str, target: str
) -> None:
    project = make_project({ABOUT: ABOUT_TEXT.format(url=url)})
    assert messages(project) == [
        f"{ABOUT}:5: the link '{url}' on page 'about.md' leads to no page or file of the site{target}; "
        "correct it (link a page by its .md file, e.g. 'matrix.md')"
    ]


@pytest.mark.parametrize(
    "url",
    [
        "matrix.md",
        "index.md#downloads",
        "whats-new.md?x",
        "alpha/one/index.md",
        "studies/mueller2021first.md",
        "downloads/studies.bib",
        "downloads/studies/lee2023third.ris",
        "tables/alpha.json",
        "feed.alpha.one.xml",
        "stylesheets/survey-colours.css",
        "javascripts/matrix.js",
        "images/chart.png",  # a file of content/pages
        "alpha/",  # no extension: MkDocs only notes it
        "#top",
    ],
)
def test_a_link_to_a_page_or_file_of_the_site_passes(make_project: MakeProject, url: str) -> None:
    project = make_project({ABOUT: ABOUT_TEXT.format(url=url), "content/pages/images/chart.png": b"\x89PNG"})
    assert messages(project) == []


def test_a_link_in_a_node_description_leads_from_the_node_page(make_project: MakeProject) -> None:
    before = "Alpha has *two* leaves"
    text = (ROOT / "tests/fixtures/mini" / TAXONOMY).read_text(encoding="utf-8")
    project = make_project({TAXONOMY: text.replace(before, "Alpha has [two](one/index.md) leaves")})
    assert messages(project) == []
    bad = text.replace(before, "Alpha has [two](alpha/one/index.md) leaves")
    (project.root / TAXONOMY).write_text(bad, encoding="utf-8")
    line = text[: text.index(before)].count("\n") + 1  # at the description's line that holds the link
    assert messages(project) == [
        f"{TAXONOMY}:{line}: the link 'alpha/one/index.md' on page 'alpha/index.md' leads to no page or file "
        "of the site ('alpha/alpha/one/index.md'); correct it (link a page by its .md file, e.g. 'matrix.md')"
    ]


def test_a_link_after_a_page_settings_block_is_found_at_its_line(make_project: MakeProject) -> None:
    text = "---\ntitle: About us\n---\n\n# About\n\nSee [this](missing.md).\n"
    assert messages(make_project({ABOUT: text})) == [
        f"{ABOUT}:7: the link 'missing.md' on page 'about.md' leads to no page or file of the site; "
        "correct it (link a page by its .md file, e.g. 'matrix.md')"
    ]


def test_the_intro_links_from_the_home_page(make_project: MakeProject) -> None:
    project = make_project({"content/pages/index.md": "See [one](alpha/one/index.md) and [x](nowhere.md).\n"})
    assert messages(project) == [
        "content/pages/index.md:1: the link 'nowhere.md' on page 'index.md' leads to no page or file of the "
        "site; correct it (link a page by its .md file, e.g. 'matrix.md')"
    ]


LINKS = [
    "missing.md?x",
    "../missing.md",
    "matrix.md",
    "alpha/three/index.md",
    "tables/alpha/three.json",  # a node without studies has no table data
    "tables/alpha.json",
    "folder/",
]
EMPTY_LEAF = """\
      - id: three
        name: Leaf three
        gloss: A leaf without studies.
        description: None yet.
"""


def test_check_and_mkdocs_build_agree(make_project: MakeProject) -> None:
    """Each link alone in a page: check refuses it just when `mkdocs build --strict` fails."""
    taxonomy = (ROOT / "tests/fixtures/mini" / TAXONOMY).read_text(encoding="utf-8")
    anchor = "  - id: beta\n"
    project = make_project({TAXONOMY: taxonomy.replace(anchor, EMPTY_LEAF + anchor)})
    (project.root / "mkdocs.yml").write_text(
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    verdicts = []
    for url in LINKS:
        (project.root / ABOUT).write_text(ABOUT_TEXT.format(url=url), encoding="utf-8")
        refused = bool(messages(project))
        built = strict_build(project.root, project.root / "site")
        assert "Traceback" not in built.stderr
        verdicts.append((url, refused, built.returncode != 0))
    assert [(url, refused) for url, refused, _ in verdicts] == [(url, failed) for url, _, failed in verdicts]
    assert [url for url, refused, _ in verdicts if refused] == [LINKS[0], LINKS[1], LINKS[4]]
