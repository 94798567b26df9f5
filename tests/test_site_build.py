"""End to end: `mkdocs build --strict` of the real site gives every public page, cleanly."""

from __future__ import annotations

import html
import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest

from surveysite.build import Project, load_catalog

from .conftest import ROOT

# The survey's tree: these URLs are public and must never change.
NODE_URLS = [
    "rl4llm/", "rl4llm/fine-tuning/", "rl4llm/fine-tuning/with-human-feedback/",
    "rl4llm/fine-tuning/without-human-feedback/", "rl4llm/prompt/",
    "llm4rl/", "llm4rl/reward/", "llm4rl/goal/", "llm4rl/policy/",
    "rl-plus-llm/", "rl-plus-llm/without-language-feedback/", "rl-plus-llm/with-language-feedback/",
]  # fmt: skip
LEAVES = [
    "rl4llm/fine-tuning/with-human-feedback", "rl4llm/fine-tuning/without-human-feedback",
    "rl4llm/prompt", "llm4rl/reward", "llm4rl/goal", "llm4rl/policy",
    "rl-plus-llm/without-language-feedback", "rl-plus-llm/with-language-feedback",
]  # fmt: skip
RESOURCE = re.compile(
    r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=\"([^\"]+)\""
    r"|<link\b(?![^>]*\brel=\"canonical\")[^>]*\bhref=\"([^\"]+)\""  # a canonical link is never fetched
)
CSS_URL = re.compile(r"@import\s+[\"']?(https?:)|url\(\s*[\"']?(https?:|//)")


@pytest.fixture
def built(built_site: tuple[Path, str]) -> tuple[Path, str]:
    return built_site


def test_build_prints_no_warning(built: tuple[Path, str]) -> None:
    assert not re.search(r"^(WARNING|ERROR)", built[1], re.MULTILINE), built[1]


@pytest.mark.parametrize("url", ["", *NODE_URLS, "matrix/", "about/", "contributing/"])
def test_public_page_exists(built: tuple[Path, str], url: str) -> None:
    assert (built[0] / url / "index.html").is_file()


def test_every_study_has_its_page(built: tuple[Path, str]) -> None:
    catalog = load_catalog(Project.at(ROOT))
    assert len(catalog.studies) >= 10
    for study in catalog.studies:
        page = (built[0] / "studies" / study.key / "index.html").read_text(encoding="utf-8")
        text = html.unescape(re.sub(r"<[^>]+>", "", page))  # the highlighter splits the BibTeX into spans
        assert study.reference.bibtex in text


@pytest.mark.parametrize("leaf", LEAVES)
def test_leaf_page_links_exactly_its_studies(built: tuple[Path, str], leaf: str) -> None:
    catalog = load_catalog(Project.at(ROOT))
    html = (built[0] / leaf / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="(?:\.\./)+studies/([a-z0-9_-]+)/"', html))
    expected = {s.key for s in catalog.studies if leaf in s.annotation.categories}
    assert expected, f"{leaf} has no study"
    assert linked == expected


def test_study_pages_are_not_in_the_navigation(built: tuple[Path, str]) -> None:
    html = (built[0] / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"') : html.index("md-sidebar--secondary")]
    assert "studies/" not in nav
    assert all(f'href="{url}"' in nav for url in ("rl4llm/", "llm4rl/reward/", "matrix/"))


def test_site_requests_nothing_from_other_hosts(built: tuple[Path, str]) -> None:
    assert foreign_resources(built[0]) == []


def foreign_resources(site: Path) -> list[str]:
    """Every resource a page or stylesheet of a built site would fetch from another host."""
    found = []
    for page in site.rglob("*"):
        if page.suffix == ".html":
            text = page.read_text(encoding="utf-8")
            for match in RESOURCE.finditer(text):
                target = match.group(1) or match.group(2)
                if re.match(r"^(https?:)?//", target):
                    found.append(f"{page.relative_to(site)}: {target}")
        elif page.suffix == ".css" and CSS_URL.search(page.read_text(encoding="utf-8")):
            found.append(str(page.relative_to(site)))
    return found


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for name in ("href", "src"):
            value = found.get(name)
            if value and not re.match(r"^([a-z][a-z0-9+.-]*:|//)", value, re.IGNORECASE):
                self.targets.append(value)


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_and_anchor_resolves(built: tuple[Path, str]) -> None:
    assert broken_links(built[0]) == []


def broken_links(site: Path) -> list[str]:
    """Every link or anchor between the pages of a built site that leads nowhere."""
    pages = {p: _parse(p) for p in site.rglob("*.html")}
    broken = []
    for page, links in pages.items():
        for target in links.targets:
            path_part, _, anchor = urllib.parse.unquote(target).partition("#")
            path_part = path_part.partition("?")[0]  # a query (the matrix's filters) names no other file
            base = site if path_part.startswith("/") else page.parent
            resolved = (base / path_part.lstrip("/")).resolve() if path_part else page
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if not resolved.is_file():
                broken.append(f"{page.relative_to(site)} -> {target}")
            elif anchor and resolved.suffix == ".html" and anchor not in pages[resolved].ids:
                broken.append(f"{page.relative_to(site)} -> {target} (no such anchor)")
    return broken


@pytest.mark.parametrize("node", ["rl4llm", "llm4rl/reward", "rl-plus-llm/with-language-feedback"])
def test_a_node_pages_studies_have_an_anchor_that_adding_a_study_keeps(
    built: tuple[Path, str], node: str
) -> None:
    """A reader's trial linked to '/rl4llm/#studies-31': the id was made of the heading, count and all,
    and the link would break with the next study added."""
    page = (built[0] / node / "index.html").read_text(encoding="utf-8")
    heading = re.search(r'<h2 id="([^"]+)">Studies \((\d+)\)', page)
    assert heading is not None and heading.group(1) == "studies", heading
    assert 'href="#studies"' in page  # the page's table of contents leads there
    assert not re.search(r'id="studies-\d', page)


def test_the_page_for_a_wrong_address_says_so_and_leads_on(built: tuple[Path, str]) -> None:
    """A reader's trial found '404 - Not found' and nothing else, no word of what to do."""
    page = (built[0] / "404.html").read_text(encoding="utf-8")
    assert "<h1>Page not found</h1>" in page and "404 - Not found" not in page
    links = re.findall(r'<a href="([^"]+)">(The home page|The comparison matrix)</a>', page)
    assert [text for _, text in links] == ["The home page", "The comparison matrix"]
    for href, _ in links:  # from the site's root, whichever address the host serves the page at
        deep = urllib.parse.urljoin("http://127.0.0.1:8000/no/such/page/", href)
        assert deep.startswith("http://127.0.0.1:8000/"), href  # ('//matrix/' would name a host)
        target = urllib.parse.urlsplit(deep).path.lstrip("/")
        assert (built[0] / target / "index.html").is_file(), href
