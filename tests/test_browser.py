"""A built site in Chromium: walking the tree, the matrix, copying BibTeX, search, themes, accessibility.

The site is the mini fixture survey's (tests/fixtures/mini) with this repository's mkdocs.yml; the
large one is a synthetic survey (scripts/synthetic.py). Neither is this survey's own data.

Playwright for Python drives Debian's Chromium (/usr/bin/chromium); `.ci/run` installs it when
missing. These tests never skip: without the browser they fail.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from surveysite.build import Project, load_catalog
from surveysite.model import Catalog
from surveysite.views import TABLE_PAGE_ROWS

from .conftest import MINI, ROOT, free_port, mkdocs_build

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path, port: int) -> Iterator[str]:
    """Serve a built site on localhost; yields its address."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def small_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the mini survey with this repository's mkdocs.yml."""
    project = tmp_path_factory.mktemp("small") / "project"
    shutil.copytree(MINI, project)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    bib = project / "bib" / "studies.bib"  # a hyphenated title word, for search
    bib.write_text(bib.read_text().replace("{Third Study}", "{Third Study of Human-Level Play}"))
    return project


@pytest.fixture(scope="module")
def site_url(small_project: Path) -> Iterator[str]:
    port = free_port()
    mkdocs_build(small_project, small_project.parent / "site", port)
    with serving(small_project.parent / "site", port) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}; run: apt-get install -y chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def catalog(small_project: Path) -> Catalog:
    return load_catalog(Project.at(small_project))


class Visit:
    """A page plus what it saw: console errors and requests to other hosts (which are blocked)."""

    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.route("**/*", self._route)

    def _route(self, route: object) -> None:
        request = route.request  # type: ignore[attr-defined]
        if urlsplit(request.url).hostname not in ("127.0.0.1", None):
            self.foreign.append(request.url)
            route.abort()  # type: ignore[attr-defined]
        else:
            route.continue_()  # type: ignore[attr-defined]

    def go(self, path: str) -> Page:
        self.page.goto(self.base + path)
        return self.page


@pytest.fixture
def visit(browser: Browser, site_url: str) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    seen = Visit(context.new_page(), site_url)
    yield seen
    context.close()
    assert seen.errors == [], "console errors"
    assert seen.foreign == [], "requests to other hosts"


def test_walk_from_the_tree_to_a_class_a_leaf_and_a_study(visit: Visit, catalog: Catalog) -> None:
    page = visit.go("")
    page.locator(".taxonomy-tree a", has_text=re.compile(r"^Alpha$")).click()
    expect(page).to_have_url(visit.base + "alpha/")
    page.locator("article a", has_text=re.compile(r"^Leaf one$")).first.click()
    expect(page).to_have_url(visit.base + "alpha/one/")
    first = catalog.studies_under("alpha/one")[0]
    page.locator("article h3 + p a").first.click()
    expect(page).to_have_url(visit.base + f"studies/{first.key}/")
    expect(page.locator("article h1")).to_have_text(re.compile("^" + re.escape(first.annotation.name)))
    expect(page.locator("article pre code")).to_contain_text(f"{{{first.key},")


def test_matrix_filter_is_kept_in_the_url_across_a_reload(visit: Visit, catalog: Catalog) -> None:
    page = visit.go("matrix/")
    total = len(catalog.studies)
    leaf = len(catalog.studies_under("alpha/two"))
    assert 0 < leaf < total
    status = page.locator(".survey-matrix__status")
    expect(status).to_have_text(f"Showing {total} of {total} studies")
    page.locator("summary", has_text=re.compile(r"^Leaf$")).click()
    page.get_by_label(re.compile(r"^Leaf two \(")).check()
    expect(status).to_have_text(f"Showing {leaf} of {total} studies")
    assert "f.leaf=alpha%2Ftwo" in page.url
    page.reload()
    expect(status).to_have_text(f"Showing {leaf} of {total} studies")
    expect(page.get_by_label(re.compile(r"^Leaf two \("))).to_be_checked()
    assert page.locator(".survey-matrix tbody tr:not([hidden])").count() == leaf


def test_matrix_filters_combine_and_free_text_searches(visit: Visit, catalog: Catalog) -> None:
    page = visit.go("matrix/")
    page.locator("summary", has_text=re.compile(r"^Feedback$")).click()
    page.get_by_label(re.compile(r"^human \(")).check()
    page.locator("summary", has_text=re.compile(r"^Class$")).click()
    page.get_by_label(re.compile(r"^Alpha \(")).check()
    expected = [s for s in catalog.studies_under("alpha") if "human" in s.facet("feedback")]
    assert 0 < len(expected) < len(catalog.studies)
    expect(page.locator(".survey-matrix__status")).to_have_text(
        f"Showing {len(expected)} of {len(catalog.studies)} studies"
    )
    page.get_by_label("Filter studies").fill(expected[0].annotation.name)
    names = page.locator(".survey-matrix tbody tr:not([hidden]) td:first-child").all_inner_texts()
    assert names == [expected[0].annotation.name]


def test_matrix_sorts_by_year_both_ways(visit: Visit) -> None:
    page = visit.go("matrix/")
    page.locator("th button", has_text="Year").click()
    years = [int(y) for y in page.locator(".survey-matrix tbody td:nth-child(4)").all_inner_texts()]
    assert years == sorted(years)
    expect(page.locator("th", has_text="Year")).to_have_attribute("aria-sort", "ascending")
    page.locator("th button", has_text="Year").click()
    years = [int(y) for y in page.locator(".survey-matrix tbody td:nth-child(4)").all_inner_texts()]
    assert years == sorted(years, reverse=True)


def test_matrix_filters_work_by_keyboard(visit: Visit, catalog: Catalog) -> None:
    page = visit.go("matrix/")
    page.get_by_label("Filter studies").focus()
    page.keyboard.press("Tab")  # the first filter: Class
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    first_class = next(n.path for n in catalog.taxonomy.nodes if n.parent is None and catalog.under[n.path])
    expected = len(catalog.studies_under(first_class))
    expect(page.locator(".survey-matrix__status")).to_have_text(
        f"Showing {expected} of {len(catalog.studies)} studies"
    )


def test_matrix_without_javascript_shows_the_whole_table(
    browser: Browser, site_url: str, catalog: Catalog
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "matrix/")
    assert page.locator(".survey-matrix tbody tr").count() == len(catalog.studies)
    assert page.locator(".survey-matrix__controls").count() == 0
    context.close()


def test_matrix_works_after_instant_navigation(visit: Visit) -> None:
    page = visit.go("")
    page.evaluate("window.__same_document = true")
    page.locator("nav.md-nav--primary").get_by_role("link", name="Matrix", exact=True).click()
    expect(page).to_have_url(visit.base + "matrix/")
    expect(page.locator(".survey-matrix__status")).to_contain_text("Showing")
    assert page.evaluate("window.__same_document === true"), "the page was reloaded, not swapped"


def test_copy_button_copies_the_bibtex(visit: Visit, catalog: Catalog) -> None:
    study = catalog.studies[0]
    page = visit.go(f"studies/{study.key}/")
    page.locator("article pre").hover()
    page.locator("article [data-md-type='copy']").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == study.reference.bibtex


def test_search_finds_a_study_by_name_author_and_title(visit: Visit, catalog: Catalog) -> None:
    study = catalog.study("mueller2021first")
    # The theme reads a query on key presses, and reads '-' before a word as "without": type like a
    # reader, on a fresh page per query, once the index is built, leaving out the hyphenated word.
    for query in (
        study.annotation.name,
        study.reference.authors[-1].split()[-1],
        "First Study",
    ):
        page = visit.go("")
        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.locator(".md-search-result__meta", has_text="Type to start searching").wait_for(timeout=15_000)
        page.locator("input.md-search__input").press_sequentially(query)
        expect(
            page.locator(f".md-search-result__item a[href*='studies/{study.key}/?h=']").first
        ).to_be_visible()


@pytest.mark.parametrize("query", ["Human-Level", "Human-Level Play", "human-level"])
def test_search_finds_a_title_by_its_hyphenated_word(visit: Visit, query: str) -> None:
    page = visit.go("")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search-result__meta", has_text="Type to start searching").wait_for(timeout=15_000)
    page.locator("input.md-search__input").press_sequentially(query)
    expect(page.locator(".md-search-result__item a[href*='studies/lee2023third/?h=']").first).to_be_visible()


def test_search_index_keeps_one_entry_per_study_with_surnames_and_facets(site_url: str) -> None:
    index = json.loads(urlopen(site_url + "search/search_index.json").read())
    entries = [e for e in index["docs"] if e["location"].startswith("studies/mueller2021first/")]
    assert [e["location"] for e in entries] == [
        "studies/mueller2021first/",
        "studies/mueller2021first/#facets",
    ]
    text = entries[0]["text"]
    assert "Müller" in text and "Jörg" not in text  # surnames only: given names stay out
    assert "human" in entries[1]["text"]  # facet values
    assert not any(e["location"].startswith("whats-new/#") for e in index["docs"])


def test_dark_mode_toggle(visit: Visit) -> None:
    page = visit.go("")
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    after = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert {before, after} == {"default", "slate"}


@pytest.mark.parametrize(
    "path", ["", "alpha/", "alpha/one/", "matrix/", "studies/smith2022second/"], ids=lambda p: p or "home"
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(
    browser: Browser, site_url: str, path: str, scheme: Literal["light", "dark"]
) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + path)
    shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert shown == {"light": "default", "dark": "slate"}[scheme]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    context.close()
    serious = [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], json.dumps(serious, indent=1)


# Above the table limit, for each class too: pages hold their first rows, the browser pages the rest.
LARGE = 1200
DASH = "\N{EN DASH}"


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Catalog]]:
    project = tmp_path_factory.mktemp("large") / "project"
    script = ROOT / "scripts" / "synthetic.py"
    subprocess.run([sys.executable, str(script), "--studies", str(LARGE), "--out", str(project)], check=True)
    port = free_port()
    mkdocs_build(project, project / "site", port)
    with serving(project / "site", port) as url:
        yield url, load_catalog(Project.at(project))


def test_large_matrix_pages_through_every_study(browser: Browser, large_site: tuple[str, Catalog]) -> None:
    url, catalog = large_site
    rows = TABLE_PAGE_ROWS
    page = Visit(browser.new_page(), url).go("matrix/")
    status = page.locator(".survey-matrix__status")
    expect(status).to_have_text(f"Showing 1{DASH}{rows} of {LARGE} matching studies ({LARGE} in all)")
    assert page.locator(".survey-matrix tbody tr").count() == rows
    page.get_by_role("button", name="Next page").click()
    expect(status).to_have_text(
        f"Showing {rows + 1}{DASH}{2 * rows} of {LARGE} matching studies ({LARGE} in all)"
    )
    first_on_page_two = page.locator(".survey-matrix tbody tr td:first-child").first.inner_text()
    assert first_on_page_two == catalog.studies[rows].annotation.name
    assert "page=2" in page.url
    page.reload()
    expect(status).to_have_text(
        f"Showing {rows + 1}{DASH}{2 * rows} of {LARGE} matching studies ({LARGE} in all)"
    )
    page.locator("summary", has_text=re.compile(r"^Leaf$")).click()
    page.get_by_label(re.compile(r"^Goal \(")).check()
    goal = len(catalog.studies_under("llm4rl/goal"))
    expect(status).to_have_text(
        f"Showing 1{DASH}{min(goal, rows)} of {goal} matching studies ({LARGE} in all)"
    )
    page.context.close()


def test_large_node_page_has_a_scoped_paged_table_instead_of_cards(
    browser: Browser, large_site: tuple[str, Catalog]
) -> None:
    url, catalog = large_site
    page = Visit(browser.new_page(), url).go("llm4rl/")
    llm4rl = catalog.studies_under("llm4rl")
    assert page.locator(".survey-cards").count() == 0
    page.locator(".survey-matrix").scroll_into_view_if_needed()
    status = f"Showing 1{DASH}{TABLE_PAGE_ROWS} of {len(llm4rl)} matching studies ({len(llm4rl)} in all)"
    expect(page.locator(".survey-matrix__status")).to_have_text(status)
    names = page.locator(".survey-matrix tbody tr td:first-child").all_inner_texts()
    assert names == [s.annotation.name for s in llm4rl[:TABLE_PAGE_ROWS]]
    page.context.close()


def test_a_table_fetches_only_its_own_data_and_only_when_it_comes_into_view(
    browser: Browser, large_site: tuple[str, Catalog]
) -> None:
    url, catalog = large_site
    context = browser.new_context(viewport={"width": 1280, "height": 300})
    page = context.new_page()
    fetched: list[str] = []
    page.on(
        "request",
        lambda r: fetched.append(r.url) if r.url.endswith(".json") and "/search/" not in r.url else None,
    )
    page.goto(url + "llm4rl/goal/")
    page.wait_for_load_state("networkidle")
    assert fetched == []  # the table is below the fold: nothing fetched, nothing done
    assert page.locator(".survey-matrix__controls").count() == 0
    page.locator(".survey-matrix").scroll_into_view_if_needed()
    goal = len(catalog.studies_under("llm4rl/goal"))
    expect(page.locator(".survey-matrix__status")).to_contain_text(f"of {goal} matching studies")
    assert fetched == [url + "tables/llm4rl/goal.json"]  # its own studies, not the whole matrix
    context.close()


def test_a_table_is_made_interactive_when_a_reader_acts_on_it(
    browser: Browser, large_site: tuple[str, Catalog]
) -> None:
    url, _ = large_site
    context = browser.new_context(viewport={"width": 1280, "height": 300})
    page = context.new_page()
    page.goto(url + "llm4rl/goal/")
    page.wait_for_load_state("networkidle")
    page.locator(".survey-matrix tbody a").first.focus()  # by keyboard, without scrolling first
    expect(page.locator(".survey-matrix__status")).to_contain_text("matching studies")
    context.close()


def test_large_matrix_without_javascript_shows_the_first_rows_and_says_so(
    browser: Browser, large_site: tuple[str, Catalog]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(large_site[0] + "matrix/")
    assert page.locator(".survey-matrix tbody tr").count() == TABLE_PAGE_ROWS
    expect(page.locator(".survey-matrix__more")).to_contain_text(
        f"The first {TABLE_PAGE_ROWS} of {LARGE} studies"
    )
    assert page.locator(".survey-matrix__more a[href$='downloads/studies.csv']").count() == 1
    context.close()


@pytest.mark.parametrize("path", ["llm4rl/", "llm4rl/goal/", "rl4llm/fine-tuning/with-human-feedback/"])
def test_every_large_table_without_javascript_shows_its_first_rows(
    browser: Browser, large_site: tuple[str, Catalog], path: str
) -> None:
    url, catalog = large_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + path)
    names = page.locator(".survey-matrix tbody tr td:first-child").all_inner_texts()
    assert names == [s.annotation.name for s in catalog.studies_under(path.rstrip("/"))[:TABLE_PAGE_ROWS]]
    context.close()
