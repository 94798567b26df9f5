"""End to end: the real survey exported, then built by MkDocs, ProperDocs and Zensical, the same site each.

Each builder is the one the `test` extra pins, run from the virtual environment as a user runs it
in the exported folder (`<builder> build --strict`).
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from surveysite.build import Project, load_catalog
from surveysite.cli import main
from surveysite.model import Catalog

from .conftest import ROOT, free_port
from .test_browser import Visit, serving
from .test_export import project_with
from .test_site_build import NODE_URLS, broken_links, foreign_resources

ENGINES = ("mkdocs", "properdocs", "zensical")
RAW_MARKDOWN = re.compile(r"\|---\||!!! |\{: |<[a-z][^>]*\smarkdown(?:=|\s|>)")


def build(engine: str, project: Path, port: int) -> tuple[Path, str]:
    """Build the exported project with one builder for http://127.0.0.1:PORT/; the site and its output."""
    site = project / "site" if engine == "zensical" else project.parent / f"site-{engine}"
    command = [str(Path(sys.executable).parent / engine), "build", "--strict"]
    if engine != "zensical":  # Zensical builds into site_dir, which must lie inside the project
        command += ["--site-dir", str(site)]
    result = subprocess.run(
        command,
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"},
    )
    assert result.returncode == 0, f"{engine} build failed:\n{result.stdout}\n{result.stderr}"
    return site, result.stdout + result.stderr


@pytest.fixture(scope="module")
def port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's survey exported into a temporary folder (the repository is only read)."""
    out = tmp_path_factory.mktemp("export") / "project"
    assert main(["--root", str(ROOT), "export", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def sites(exported: Path, port: int) -> dict[str, tuple[Path, str]]:
    """Each builder's site of the exported project, and what the builder printed."""
    return {engine: build(engine, exported, port) for engine in ENGINES}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(Project.at(ROOT))


def page_urls(site: Path) -> set[str]:
    return {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}


def navigation(site: Path, url: str) -> list[tuple[str, str]]:
    """The main navigation of a page: each link's target, as an absolute path, and its label."""
    text = (site / url / "index.html").read_text(encoding="utf-8")
    nav = text[text.index("md-nav--primary") : text.index("md-sidebar--secondary")]
    links = re.findall(r'<a\s[^>]*?href="([^"#]*)"[^>]*>(.*?)</a>', nav, re.DOTALL)
    here = f"http://site/{url}"
    return [
        (urllib.parse.urljoin(here, href), " ".join(html.unescape(re.sub(r"<[^>]+>", "", label)).split()))
        for href, label in links
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_builder_reports_no_warning(sites: dict[str, tuple[Path, str]], engine: str) -> None:
    assert not re.search(r"^(WARNING|ERROR)|\bwarning\b", sites[engine][1], re.MULTILINE), sites[engine][1]


@pytest.mark.parametrize("engine", ENGINES)
def test_every_public_page_download_and_the_feed_exist(
    sites: dict[str, tuple[Path, str]], catalog: Catalog, engine: str
) -> None:
    site = sites[engine][0]
    urls = ["", *NODE_URLS, "matrix/", "whats-new/", "about/", "contributing/"]
    urls += [f"studies/{study.key}/" for study in catalog.studies]
    assert [url for url in urls if not (site / url / "index.html").is_file()] == []
    for name in ("downloads/studies.bib", "downloads/studies.csv", "feed.xml", "matrix.json"):
        assert (site / name).stat().st_size > 0, name
    bib = (site / "downloads" / "studies.bib").read_text(encoding="utf-8")
    assert all(f"{{{study.key}," in bib for study in catalog.studies)


@pytest.mark.parametrize("engine", ENGINES)
def test_no_page_shows_raw_markdown(sites: dict[str, tuple[Path, str]], engine: str) -> None:
    shown = {}
    for page in sites[engine][0].rglob("*.html"):
        found = RAW_MARKDOWN.search(page.read_text(encoding="utf-8"))
        if found:
            shown[page.relative_to(sites[engine][0]).as_posix()] = found.group(0)
    assert shown == {}


@pytest.mark.parametrize("engine", ENGINES)
def test_every_link_resolves_and_nothing_comes_from_other_hosts(
    sites: dict[str, tuple[Path, str]], engine: str
) -> None:
    assert broken_links(sites[engine][0]) == []
    assert foreign_resources(sites[engine][0]) == []


def test_every_builder_makes_the_same_pages_as_the_plugin(
    sites: dict[str, tuple[Path, str]], built_site: tuple[Path, str]
) -> None:
    urls = {engine: page_urls(site) for engine, (site, _) in sites.items()}
    assert len(urls["mkdocs"]) > 50
    assert urls["mkdocs"] == page_urls(built_site[0])
    assert urls["properdocs"] == urls["mkdocs"]
    assert urls["zensical"] == urls["mkdocs"]


@pytest.mark.parametrize("url", ["", "llm4rl/reward/", "matrix/"])
def test_every_builder_gives_the_same_navigation(sites: dict[str, tuple[Path, str]], url: str) -> None:
    navs = {engine: navigation(site, url) for engine, (site, _) in sites.items()}
    labels = [label for _, label in navs["mkdocs"]]
    assert {"RL4LLM", "Reward", "Matrix", "What's new"} <= set(labels)
    assert not any("/studies/" in target for target, _ in navs["mkdocs"])
    assert navs["properdocs"] == navs["mkdocs"]
    assert navs["zensical"] == navs["mkdocs"]


@pytest.mark.parametrize("engine", ENGINES)
def test_matrix_filters_work_after_instant_navigation_in_each_builders_site(
    sites: dict[str, tuple[Path, str]], browser: Browser, port: int, catalog: Catalog, engine: str
) -> None:
    total, reward = len(catalog.studies), len(catalog.studies_under("llm4rl/reward"))
    with serving(sites[engine][0], port) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        visit = Visit(context.new_page(), base)
        page = visit.go("")
        page.wait_for_load_state("networkidle")  # instant navigation takes over links once it has the sitemap
        page.evaluate("window.beforeNavigation = true")
        page.locator(".md-nav--primary a", has_text=re.compile(r"^\s*Matrix\s*$")).first.click()
        expect(page).to_have_url(base + "matrix/")
        assert page.evaluate("window.beforeNavigation === true"), "instant navigation reloaded the page"
        status = page.locator(".survey-matrix__status")
        expect(status).to_have_text(f"Showing {total} of {total} studies")
        page.locator("summary", has_text=re.compile(r"^Leaf$")).click()
        page.get_by_label(re.compile(r" · Reward \(")).check()
        expect(status).to_have_text(f"Showing {reward} of {total} studies")
        assert page.locator(".survey-matrix tbody tr:not([hidden])").count() == reward
        assert "f.leaf=llm4rl%2Freward" in page.url
        page.reload()
        expect(status).to_have_text(f"Showing {reward} of {total} studies")
        context.close()
    assert visit.errors == [], "console errors"
    assert visit.foreign == [], "requests to other hosts"


class _Names(HTMLParser):
    """Where a page shows the site's name, each as a browser reads it: the logo links' tooltip and
    label, the page's title, the header's first topic (the site's name; the second is the page's)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: list[tuple[str, str]] = []
        self._in: list[str] = []
        self._topics = 0
        self._titled = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if tag == "a" and "md-logo" in classes:
            self.shown += [(f"logo {name}", found.get(name) or "") for name in ("title", "aria-label")]
        if "md-header__topic" in classes:
            self._topics += 1
        if (tag == "title" and not self._titled) or (
            tag == "span" and "md-ellipsis" in classes and self._topics == 1
        ):
            self._topics += tag == "span"
            self._titled = self._titled or tag == "title"  # the page's (a chart's own come later)
            self._in.append(tag)
        elif self._in:
            self._in.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] and data.strip():
            self.shown.append((self._in[-1], " ".join(data.split())))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_title_with_ampersands_apostrophes_and_brackets_reads_as_typed_in_each_builders_site(
    tmp_path: Path, port: int, engine: str
) -> None:
    title = "R&D's Agents > Tools: Q&A"
    project = project_with(tmp_path)
    survey = project.root / "content" / "survey.yaml"
    survey.write_text(survey.read_text().replace("title: The Mini Survey", f"title: {json.dumps(title)}"))
    out = tmp_path / "exported"
    assert main(["--no-cache", "--root", str(project.root), "export", str(out)]) == 0
    site, _ = build(engine, out, port)
    names = _Names()
    names.feed((site / "index.html").read_text(encoding="utf-8"))
    kinds = {kind for kind, _ in names.shown}
    assert {"logo title", "logo aria-label", "title", "span"} <= kinds, names.shown
    # Each place shows the title, or holds it as the page's title does ("Home - ..." in Zensical's).
    assert [(kind, text) for kind, text in names.shown if title not in text] == []
