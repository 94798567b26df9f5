"""The MkDocs adapter: a minimal mkdocs.yml gets everything the pages need from the plugin, a project's
templates/ folder overrides packaged files one by one, and what cannot be supplied fails clearly."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from surveysite.mkdocs_plugin import PRUNED_FROM, _check_other_hosts

from .conftest import MINI

MINIMAL = """\
site_name: Anything
docs_dir: content/pages
theme:
  name: material
  font: false
plugins:
  - surveysite
"""


def build(project: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of a project."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def mini_project(tmp_path: Path, mkdocs_yml: str = MINIMAL) -> Path:
    """A copy of the mini survey with the given mkdocs.yml."""
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    (project / "mkdocs.yml").write_text(mkdocs_yml)
    return project


def test_a_minimal_mkdocs_yml_builds_a_complete_site(tmp_path: Path) -> None:
    result = build(mini_project(tmp_path), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>The Mini Survey</title>" in home  # the title comes from content/survey.yaml
    assert 'class="taxonomy-tree"' in home and " markdown>" not in home
    for asset in ("stylesheets/extra.css", "stylesheets/survey-colours.css"):
        assert f'href="{asset}"' in home and (tmp_path / "site" / asset).is_file()
    assert 'src="javascripts/matrix.js"' in home and 'property="og:site_name"' in home
    assert 'class="headerlink"' in home  # toc permalinks
    study = (tmp_path / "site" / "studies" / "smith2022second" / "index.html").read_text(encoding="utf-8")
    assert 'class="admonition warning"' in study and "!!! warning" not in study
    # Study pages are kept out of the navigation without MkDocs listing them as missing from it.
    assert "not included in the" not in result.stdout + result.stderr


def test_a_highlight_of_the_projects_own_keeps_its_options_and_gets_the_pages_class(tmp_path: Path) -> None:
    """A review: a project giving pymdownx.highlight options of its own lost the language class with
    which every BibTeX block wraps clear of its copy button."""
    own = "markdown_extensions:\n  - pymdownx.highlight:\n      anchor_linenums: true\n"
    result = build(mini_project(tmp_path, MINIMAL + own), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    study = (tmp_path / "site" / "studies" / "smith2022second" / "index.html").read_text(encoding="utf-8")
    assert 'class="language-bibtex highlight"' in study


def test_a_theme_other_than_material_fails_with_what_to_set(tmp_path: Path) -> None:
    project = mini_project(tmp_path, MINIMAL.replace("name: material", "name: mkdocs"))
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert (
        "surveysite needs the Material for MkDocs theme, found 'mkdocs'; in mkdocs.yml set:" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_project_templates_override_packaged_files_one_by_one(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    (project / "templates" / "assets" / "stylesheets").mkdir(parents=True)
    (project / "templates" / "assets" / "stylesheets" / "extra.css").write_text("/* the project's own */\n")
    (project / "templates" / "overrides").mkdir()
    (project / "templates" / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}{% block extrahead %}<meta name="own-override" content="yes">{% endblock %}'
    )
    (project / "templates" / "whats-new.md.j2").write_text("# Our additions\n\nOur own wording.\n")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert (site / "stylesheets" / "extra.css").read_text() == "/* the project's own */\n"
    assert (site / "javascripts" / "matrix.js").is_file()  # not overridden: the packaged one
    assert 'name="own-override"' in (site / "index.html").read_text()
    assert "Our own wording." in (site / "whats-new" / "index.html").read_text()
    assert "Comparison matrix" in (site / "matrix" / "index.html").read_text()  # packaged template


def test_a_docs_dir_other_than_content_pages_is_held_to_the_same_rules(tmp_path: Path) -> None:
    """MkDocs publishes every file of docs_dir and follows links: a link there published the host's files."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-4242\n", encoding="utf-8")
    project = mini_project(tmp_path, MINIMAL.replace("docs_dir: content/pages", "docs_dir: docs"))
    (project / "docs" / "images").mkdir(parents=True)
    (project / "docs" / "images" / "chart.png").write_bytes(b"\x89PNG")
    (project / "docs" / "leak.txt").symlink_to(secret)
    (project / "docs" / "evil.md").write_text("# Evil\n\n<script>alert(1)</script>\n", encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "docs/leak.txt:1: is a symbolic link; replace it with the real file or folder" in result.stderr
    assert "docs/evil.md:1: a page must be directly in content/pages, where it is checked" in result.stderr
    assert not (tmp_path / "site" / "leak.txt").exists()
    (project / "docs" / "leak.txt").unlink()
    (project / "docs" / "evil.md").unlink()
    assert build(project, tmp_path / "site").returncode == 0  # images and documents build
    assert (tmp_path / "site" / "images" / "chart.png").read_bytes() == b"\x89PNG"


def test_a_docs_dir_outside_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    project = mini_project(tmp_path, MINIMAL.replace("docs_dir: content/pages", f"docs_dir: {outside}"))
    result = build(project, tmp_path / "site")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "the folder is outside the project" in result.stderr


@pytest.mark.parametrize("site_dir", ["bib", "templates", "content/studies", "scripts/site", ".git"])
def test_a_site_dir_among_the_projects_own_folders_is_refused_before_anything_is_removed(
    tmp_path: Path, site_dir: str
) -> None:
    """MkDocs empties site_dir before it builds: a data-safety trial's `mkdocs build -d bib` deleted the
    survey's BibTeX, exit 0."""
    project = mini_project(tmp_path)
    for folder in ("templates", "scripts/site", ".git"):
        (project / folder).mkdir(parents=True, exist_ok=True)
        (project / folder / "mine.txt").write_text("written by hand\n")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    result = build(project, project / site_dir)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    named = site_dir.split("/")[0] if site_dir.startswith(("scripts", "content")) else site_dir
    assert f"the project's folder {named}/" in result.stderr and "choose another" in result.stderr
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before
    assert build(project, tmp_path / "site").returncode == 0  # (a folder of its own: built)


def test_a_build_for_an_address_on_this_machine_says_to_set_the_public_one(tmp_path: Path) -> None:
    """mkdocs.yml's site_url defaults to http://127.0.0.1:8000/ when SITE_URL is unset: a site built so
    and published names this machine in every canonical link and in the sitemap."""
    said = "site_url is {}, this machine: the pages' canonical links and the sitemap name it"
    for address, told in (("http://127.0.0.1:8000/", True), ("https://survey.example.org/", False)):
        project = mini_project(tmp_path / address.split("/")[2], f"{MINIMAL}site_url: {address}\n")
        result = build(project, project / "site")
        assert result.returncode == 0, result.stderr  # a note, not a warning: --strict builds pass
        assert (said.format(address) in result.stderr) is told
        assert f'<link rel="canonical" href="{address}">' in (project / "site" / "index.html").read_text()


def test_a_nav_of_its_own_is_said_to_be_replaced(tmp_path: Path) -> None:
    """A maintainer's trial set nav: in mkdocs.yml to order the pages; the build passed and the nav was
    not theirs, without a word. It is a warning, which a --strict build stops at."""
    project = mini_project(tmp_path, f"{MINIMAL}nav:\n  - about.md\n  - index.md\n")
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    said = "WARNING -  surveysite: mkdocs.yml sets 'nav', which the survey's navigation replaces: Home, "
    assert said in result.stderr
    assert "Aborted with 1 warnings in strict mode!" in result.stdout + result.stderr


FONT = "the theme's font (mkdocs.yml's theme.font; Roboto where it names none)"


@pytest.mark.parametrize(
    ("setting", "told"),
    [
        ("font: false", None),  # (MINIMAL's: no warning)
        ("font:\n    text: Inter", f"{FONT} has every page load it from Google Fonts"),
        ("", f"{FONT} has every page load it from Google Fonts"),  # (none named: the theme's default)
        ("font: false\nextra_css:\n  - https://cdn.example.org/x.css", "mkdocs.yml's extra_css has every "
         "page load 'https://cdn.example.org/x.css'"),
    ],
)  # fmt: skip
def test_what_mkdocs_yml_has_pages_load_from_another_host_is_a_warning(
    tmp_path: Path, setting: str, told: str | None
) -> None:
    """A maintainer's trial set a font in mkdocs.yml: the build passed and every page asked Google Fonts
    for it, the site no longer working offline, without a word."""
    text = MINIMAL.replace("  font: false\nplugins:\n  - surveysite\n", f"  {setting}\n")
    if "plugins:" not in text:
        text += "plugins:\n  - surveysite\n"
    project = mini_project(tmp_path, text)
    result = build(project, tmp_path / "site")
    if told is None:
        assert result.returncode == 0, result.stderr
        assert "from another host" not in result.stderr
        return
    assert result.returncode == 1
    assert f"WARNING -  surveysite: {told} from another host: the site no longer works " in (result.stderr)


def test_nothing_is_said_of_other_hosts_with_the_themes_privacy_plugin(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The theme's privacy plugin downloads what pages would load from other hosts when the site is
    built (which this machine cannot: so the check itself, on a configuration)."""

    class Plugin:
        def __init__(self, enabled: bool) -> None:
            self.config = {"enabled": enabled}

    class Config(dict[str, object]):
        def __init__(self, plugins: dict[str, Plugin]) -> None:
            super().__init__(extra_css=["https://cdn.example.org/x.css"], extra_javascript=[])
            self.plugins = plugins
            self.theme = {"font": {"text": "Inter"}}

    on, off = Plugin(enabled=True), Plugin(enabled=False)
    for plugins, told in (
        ({"surveysite": on}, 2),
        ({"surveysite": on, "material/privacy": on}, 0),
        ({"privacy": on}, 0),
        ({"surveysite": on, "material/privacy": off}, 2),  # turned off, it serves nothing (a review)
    ):
        caplog.clear()
        _check_other_hosts(Config(plugins))  # type: ignore[arg-type]
        assert len([r for r in caplog.records if "from another host" in r.getMessage()]) == told, plugins


def test_the_repository_is_linked_at_the_foot_of_every_page_when_known(tmp_path: Path) -> None:
    """A reader's trial found no way from the site to its repository, to report a mistake or propose a
    study. The mini survey names its repository in content/survey.yaml."""
    project = mini_project(tmp_path / "named")
    assert build(project, project / "site").returncode == 0
    for page in ("index.html", "studies/smith2022second/index.html", "about/index.html"):
        html = (project / "site" / page).read_text(encoding="utf-8")
        link = re.search(r'<a href="([^"]+)"[^>]*title="([^"]+)"[^>]*class="md-social__link">\s*<svg', html)
        assert link is not None, page
        assert link.groups() == (
            "https://github.com/example-org/mini-survey",
            "The site&#39;s repository: its data, issues and how to contribute",
        )
    unnamed = mini_project(tmp_path / "unnamed")  # no repository and no edit address: no link
    survey = unnamed / "content" / "survey.yaml"
    named = "repository: https://github.com/example-org/mini-survey\n"
    survey.write_text(survey.read_text().replace(named, ""))
    assert build(unnamed, unnamed / "site").returncode == 0
    assert "md-social__link" not in (unnamed / "site" / "index.html").read_text(encoding="utf-8")


def test_a_stylesheet_of_the_projects_own_is_published_and_one_it_lacks_is_said(tmp_path: Path) -> None:
    """A maintainer's trial named a stylesheet in extra_css by a path the site did not have: the
    build passed, and the browser got a 404."""
    project = mini_project(tmp_path, f"{MINIMAL}extra_css:\n  - stylesheets/mine.css\n")
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert (
        "WARNING -  surveysite: mkdocs.yml's extra_css names 'stylesheets/mine.css', which the site does not "
        "have; a file of the project's own goes in templates/assets/ (templates/assets/stylesheets/mine.css)"
    ) in result.stderr
    (project / "templates" / "assets" / "stylesheets").mkdir(parents=True)
    (project / "templates" / "assets" / "stylesheets" / "mine.css").write_text(".md-header { color: red }\n")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    # After the package's own, so that its rules win over theirs (a trial's table font size lost to them).
    sheets = re.findall(r'<link rel="stylesheet" href="(stylesheets/[^"]+)"', page)
    assert sheets == ["stylesheets/extra.css", "stylesheets/survey-colours.css", "stylesheets/mine.css"]
    assert (tmp_path / "site" / "stylesheets" / "mine.css").read_text() == ".md-header { color: red }\n"


def test_a_study_is_found_by_its_key_without_directory_urls_too(tmp_path: Path) -> None:
    """A review found the key words given by the pages' addresses with directory URLs only."""
    project = mini_project(tmp_path, f"{MINIMAL}  - search\nuse_directory_urls: false\n")
    assert build(project, tmp_path / "site").returncode == 0
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = {doc["location"]: doc["aliases"] for doc in index["docs"] if "aliases" in doc}
    assert found["studies/smith2022second.html"] == "smith2022second"
    assert len(found) == 3 and index["config"]["fields"]["aliases"] == {"boost": 1.0}


def test_a_study_s_facets_are_indexed_without_the_table_s_header_row(tmp_path: Path) -> None:
    """A reader's trial: each study's Facets section began 'Facet Value' in the search's results, before
    the values searched for. The header row shows on the page and is left out of the index."""
    project = mini_project(tmp_path, f"{MINIMAL}  - search\n")
    assert build(project, tmp_path / "site").returncode == 0
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    facets = [doc for doc in index["docs"] if doc["location"].endswith("#facets")]
    assert len(facets) == 3
    for doc in facets:
        assert not doc["text"].startswith("Facet"), doc
        assert "Model" in doc["text"], doc  # (the rows' words are there)
    page = (tmp_path / "site" / "studies" / "mueller2021first" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<th>(<span[^>]*>)?Facet(</span>)?</th>", page)


def test_a_study_s_search_entry_is_titled_by_its_name_and_title(tmp_path: Path) -> None:
    """A reader's trial pasted a study's title into the search and found it seventh, under the pages of
    leaves whose names held two of its words: the theme weighs an entry's title a thousand times its
    text, and a study's entry was titled by its short name alone. The title's paragraph moves from the
    text into the entry's title, escaped as the theme's own titles are; the index does not grow."""
    project = mini_project(tmp_path, f"{MINIMAL}  - search\n")
    assert build(project, tmp_path / "site").returncode == 0
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    first = {doc["location"]: doc for doc in index["docs"] if doc["location"].startswith("studies/")}
    first = {location: doc for location, doc in first.items() if "#" not in location}
    assert {location: doc["title"] for location, doc in first.items()} == {
        "studies/mueller2021first/": "First: The First Study of \N{GREEK SMALL LETTER ALPHA}-Learning",
        "studies/smith2022second/": "Second [x](javascript:alert(1)) {{ 7*7 }}: Second: a Study with "
        "*Markdown* | Pipes and &lt;script&gt;alert(1)&lt;/script&gt;",
        "studies/lee2023third/": "Third Study",  # (a title that begins with the name: see after_name)
    }
    for doc in first.values():
        assert "Study" not in doc["text"].split("</p>")[0], doc


def test_a_large_navigation_is_pruned_and_a_small_one_left_as_it_is(tmp_path: Path) -> None:
    """The theme draws the whole navigation on every page: a taxonomy of 2,020 nodes made a site of 2 GB
    (a review). Past PRUNED_FROM entries, each page draws only its own part of it."""
    small = mini_project(tmp_path / "small")
    assert build(small, tmp_path / "small-site").returncode == 0
    beside = (tmp_path / "small-site" / "beta" / "index.html").read_text(encoding="utf-8")
    assert 'href="../alpha/one/"' in beside and "md-nav__item--pruned" not in beside  # all of it, as it was

    large = mini_project(tmp_path / "large")
    leaves = "".join(
        f"      - id: leaf{number}\n        name: Leaf {number}\n        gloss: A leaf.\n"
        f"        description: Leaf {number}.\n"
        for number in range(PRUNED_FROM)
    )
    taxonomy = large / "content" / "taxonomy.yaml"
    more = "  - id: gamma\n    name: Gamma\n    gloss: Many leaves.\n    description: Many.\n    children:\n"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + more + leaves, encoding="utf-8")
    result = build(large, tmp_path / "large-site")
    assert result.returncode == 0, result.stderr
    assert "the navigation has 2" in result.stderr and "navigation.prune is on" in result.stderr
    beside = (tmp_path / "large-site" / "beta" / "index.html").read_text(encoding="utf-8")
    assert "md-nav__item--pruned" in beside and 'href="../gamma/leaf7/"' not in beside  # not drawn here
    inside = (tmp_path / "large-site" / "gamma" / "leaf7" / "index.html").read_text(encoding="utf-8")
    assert 'href="../leaf8/"' in inside  # a page's own part drawn
