"""Links between the site's own pages: `surveysite check` refuses, with file and line, exactly the links
to missing pages and files that `mkdocs build --strict` fails on, and besides those links without
'.md' that MkDocs leaves as they are, which lead to no page of the built site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
    ("url", "meant"),
    [
        ("studies/muller2021first.md", "studies/mueller2021first.md"),
        ("studies/lee2032third.md#facets", "studies/lee2023third.md#facets"),
        ("matrx.md", "matrix.md"),
    ],
)
def test_a_link_to_a_file_misspelled_is_told_the_file_meant(
    make_project: MakeProject, url: str, meant: str
) -> None:
    """A maintainer's trial linked 'studies/gilmer2017nueral.md' and was told to correct it, where most
    messages name what was meant."""
    project = make_project({ABOUT: ABOUT_TEXT.format(url=url)})
    (found,) = messages(project)
    assert found.startswith(
        f"{ABOUT}:5: the link '{url}' on page 'about.md' leads to no page or file of the site"
    )
    assert found.endswith(f"; did you mean '{meant}'?"), found


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
        "../alpha/",  # no extension: MkDocs leaves it; from /about/, it leads to /alpha/
        "../studies/lee2023third/#cite",
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


NO_PAGE = (
    "which is no page of the site (a link without '.md' is followed from the page's address, /about/); "
    "link the page by its .md file"
)


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("Matrix.md", "no file of the site; the page at /matrix/ is 'matrix.md'"),  # letter case counts
        ("alpha/one.md#x", "no file of the site; the page at /alpha/one/ is 'alpha/one/index.md#x'"),
        ("studies/lee2023third/index.md", "no file of the site; the page at /studies/lee2023third/ is "
         "'studies/lee2023third.md'"),
        ("alpha/", f"/about/alpha/, {NO_PAGE}: 'alpha/index.md'"),
        ("alpha/one/?x#y", f"/about/alpha/one/, {NO_PAGE}: 'alpha/one/index.md?x#y'"),
        ("../nowhere/", f"/nowhere/, {NO_PAGE}, e.g. 'matrix.md'"),
        ("downloads", f"/about/downloads/, {NO_PAGE}, e.g. 'matrix.md'"),
    ],
)  # fmt: skip
def test_a_link_to_a_page_by_the_wrong_file_or_folder_is_told_the_page_s_file(
    make_project: MakeProject, url: str, said: str
) -> None:
    """A maintainer's trial: `[e](architectures/full-attention/)` on about.md passed check and a strict
    build (MkDocs leaves a link without '.md' as it is), and led readers to /about/architectures/...,
    which the site does not have; `a.md` for the page `a/index.md` was told only as leading nowhere."""
    project = make_project({ABOUT: ABOUT_TEXT.format(url=url)})
    assert messages(project) == [f"{ABOUT}:5: the link '{url}' on page 'about.md' leads to {said}"]


def test_a_link_without_md_is_followed_as_the_built_site_serves_its_pages(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """What check says of a folder link is what the built site does: with directory URLs about.md is
    served at /about/, where `alpha/` leads to /about/alpha/, a page the build does not make (and the
    build refuses the link, as check does); without them, about.html links `alpha/` to /alpha/."""
    project = make_project({ABOUT: ABOUT_TEXT.format(url="../alpha/")})
    settings = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project.root / "mkdocs.yml").write_text(settings, encoding="utf-8")
    assert messages(project) == []
    assert strict_build(project.root, tmp_path / "site").returncode == 0
    assert 'href="../alpha/"' in (tmp_path / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "alpha" / "index.html").is_file()
    assert not (tmp_path / "site" / "about" / "alpha").exists()
    (project.root / ABOUT).write_text(ABOUT_TEXT.format(url="alpha/"), encoding="utf-8")
    assert len(messages(project)) == 1
    built = strict_build(project.root, tmp_path / "refused")
    assert built.returncode == 1 and "leads to /about/alpha/, which is no page" in built.stderr
    # The engine's own setting counts, not only the file's (a review): told on the command line, the
    # build links about.html's 'alpha/' to /alpha/.
    flat = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--no-directory-urls", "-d",
         str(tmp_path / "flag")], cwd=project.root, capture_output=True, text=True, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    assert flat.returncode == 0, flat.stderr
    (project.root / "mkdocs.yml").write_text(settings + "use_directory_urls: false\n", encoding="utf-8")
    assert messages(project) == []
    assert strict_build(project.root, tmp_path / "flat").returncode == 0
    assert 'href="alpha/"' in (tmp_path / "flat" / "about.html").read_text(encoding="utf-8")
    assert (tmp_path / "flat" / "alpha" / "index.html").is_file()
    # Without directory URLs a folder's address serves its index page alone (a review): studies/x/ and
    # about/ are no pages there, as studies/x.md is studies/x.html.
    for url, page in (("studies/lee2023third/", "studies/lee2023third.md"), ("about/", "about.md")):
        (project.root / ABOUT).write_text(ABOUT_TEXT.format(url=url), encoding="utf-8")
        assert messages(project) == [
            f"{ABOUT}:5: the link '{url}' on page 'about.md' leads to /{url}, which is no page of the site; "
            f"link the page by its .md file: '{page}'"
        ]
        assert not (tmp_path / "flat" / url / "index.html").exists()
