"""The study pages' sitemap and robots.txt: every study page listed by its full address, where a
crawler that reads only what pages link to would find few of them in a large survey."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from surveysite.sitemaps import absolute, robots_txt, sitemap_name, study_sitemaps

from .test_mkdocs_plugin import MINIMAL, build, mini_project

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE_URL = "https://example.org/survey/"


def locations(text: str) -> list[str]:
    """The addresses a sitemap lists, read as XML (a sitemap that does not parse fails here)."""
    root = ET.fromstring(text)
    assert root.tag == f"{SITEMAP}urlset"
    return [url.findtext(f"{SITEMAP}loc") or "" for url in root]


def test_addresses_are_listed_in_files_of_at_most_so_many_each_in_order() -> None:
    urls = [f"studies/s{i}/" for i in range(5)]
    made = study_sitemaps("https://example.org", urls, most=2)
    assert list(made) == ["sitemap-studies.xml", "sitemap-studies-2.xml", "sitemap-studies-3.xml"]
    listed = [loc for text in made.values() for loc in locations(text)]
    assert listed == [f"https://example.org/studies/s{i}/" for i in range(5)]
    assert [len(locations(text)) for text in made.values()] == [2, 2, 1]
    assert study_sitemaps("https://example.org", []) == {}


def test_an_address_is_escaped_as_xml_and_joined_with_one_slash() -> None:
    made = study_sitemaps("https://example.org/a&b", ["studies/x/"])
    assert "a&amp;b" in made[sitemap_name(1)]
    assert locations(made[sitemap_name(1)]) == ["https://example.org/a&b/studies/x/"]
    assert absolute("https://example.org/", "/studies/x/") == absolute("https://example.org", "studies/x/")


def test_robots_txt_lets_crawlers_in_and_names_every_sitemap() -> None:
    text = robots_txt(SITE_URL, ["sitemap-studies.xml", "sitemap-studies-2.xml"])
    assert text.splitlines() == [
        "User-agent: *",
        "Allow: /",
        "",
        f"Sitemap: {SITE_URL}sitemap.xml",
        f"Sitemap: {SITE_URL}sitemap-studies.xml",
        f"Sitemap: {SITE_URL}sitemap-studies-2.xml",
    ]


def _built_studies(site: Path, suffix: str) -> set[str]:
    if suffix == "/":
        return {f"{SITE_URL}studies/{p.parent.name}/" for p in (site / "studies").glob("*/index.html")}
    return {f"{SITE_URL}studies/{p.name}" for p in (site / "studies").glob("*.html")}


def test_a_build_lists_every_study_page_in_its_own_sitemap_and_names_it_in_robots_txt(tmp_path: Path) -> None:
    project = mini_project(tmp_path, f"{MINIMAL}site_url: {SITE_URL}\n")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    studies = locations((site / "sitemap-studies.xml").read_text(encoding="utf-8"))
    assert len(studies) == 3 and set(studies) == _built_studies(site, "/")
    others = locations((site / "sitemap.xml").read_text(encoding="utf-8"))
    assert others and not any("/studies/" in loc for loc in others)  # the theme's, as before
    robots = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert robots[-2:] == [f"Sitemap: {SITE_URL}sitemap.xml", f"Sitemap: {SITE_URL}sitemap-studies.xml"]
    # In a folder of its host (/survey/): crawlers read robots.txt at the host's root only, and are told so.
    assert "where crawlers do not read its robots.txt; submit the sitemaps" in result.stderr
    at_root = mini_project(tmp_path / "root", f"{MINIMAL}site_url: https://example.org/\n")
    root_build = build(at_root, tmp_path / "root-site")
    assert root_build.returncode == 0 and "where crawlers do not read" not in root_build.stderr


def test_without_directory_urls_the_sitemap_lists_the_pages_html_files(tmp_path: Path) -> None:
    project = mini_project(tmp_path, f"{MINIMAL}site_url: {SITE_URL}\nuse_directory_urls: false\n")
    assert build(project, tmp_path / "site").returncode == 0
    studies = locations((tmp_path / "site" / "sitemap-studies.xml").read_text(encoding="utf-8"))
    assert len(studies) == 3 and set(studies) == _built_studies(tmp_path / "site", ".html")


def test_without_the_sites_address_neither_file_is_written(tmp_path: Path) -> None:
    """A sitemap lists full addresses, and robots.txt names sitemaps by theirs."""
    result = build(mini_project(tmp_path), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert not (tmp_path / "site" / "sitemap-studies.xml").exists()
    assert not (tmp_path / "site" / "robots.txt").exists()


def test_a_robots_txt_of_the_projects_own_is_published_as_it_is_and_the_line_it_lacks_said(
    tmp_path: Path,
) -> None:
    project = mini_project(tmp_path, f"{MINIMAL}site_url: {SITE_URL}\n")
    own = b"User-agent: *\nDisallow: /drafts/\n"
    (project / "content" / "pages" / "robots.txt").write_bytes(own)
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "robots.txt").read_bytes() == own
    assert f"add the line 'Sitemap: {SITE_URL}sitemap-studies.xml'" in result.stderr
    assert len(locations((tmp_path / "site" / "sitemap-studies.xml").read_text(encoding="utf-8"))) == 3
    # One that names the studies' sitemap already is not told anything.
    (project / "content" / "pages" / "robots.txt").write_bytes(own + b"Sitemap: /sitemap-studies.xml\n")
    again = build(project, tmp_path / "site")
    assert again.returncode == 0 and "add the line" not in again.stderr
