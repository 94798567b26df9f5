"""Every node's own Atom feed, announced in its page's head and linked on the page; the site feed stays."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

from surveysite.build import Project, build_site, load_catalog
from surveysite.feed import newest_first
from surveysite.paths import node_feed

from .conftest import MINI, ROOT, MakeProject

ATOM = "{http://www.w3.org/2005/Atom}"
HEAD_TITLE = re.compile(r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)"')
HEAD_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">')


def check_atom(text: str) -> ET.Element:
    """Parse a feed and check what RFC 4287 requires of it and of each entry."""
    feed = ET.fromstring(text.encode("utf-8"))
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    has_author = feed.find(f"{ATOM}author") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        assert has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
    return feed


def test_every_feed_of_the_real_site_is_atom(built_site: tuple[Path, str]) -> None:
    site = built_site[0]
    catalog = load_catalog(Project.at(ROOT))
    feeds = sorted(site.glob("feed*.xml"))
    assert len(feeds) == 1 + len(catalog.taxonomy.nodes)
    ids = {check_atom(path.read_text(encoding="utf-8")).findtext(f"{ATOM}id") for path in feeds}
    assert len(ids) == len(feeds)


def test_a_node_feed_holds_the_studies_added_under_it_newest_first(built_site: tuple[Path, str]) -> None:
    site = built_site[0]
    catalog = load_catalog(Project.at(ROOT))
    for node in catalog.taxonomy.nodes:
        feed = check_atom((site / node_feed(node.path)).read_text(encoding="utf-8"))
        under = set(catalog.under[node.path])
        # (this survey is an edition: its feeds hold the studies the site added, not the survey's own)
        added = [s for s in newest_first(catalog) if s.key in under and not s.annotation.in_survey]
        expected = [f"studies/{s.key}/" for s in added][:50]
        links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]  # type: ignore[union-attr]
        assert links == expected, node.path
        assert all((site / link / "index.html").is_file() for link in links)
        assert feed.find(f"{ATOM}link").get("href") == f"{node.path}/"  # type: ignore[union-attr]


def test_each_node_page_announces_and_links_its_own_feed(built_site: tuple[Path, str]) -> None:
    site = built_site[0]
    for node in load_catalog(Project.at(ROOT)).taxonomy.nodes:
        page = f"http://site/{node.path}/"
        text = (site / node.path / "index.html").read_text(encoding="utf-8")
        head = text[: text.index("</head>")]
        announced = [urljoin(page, href) for href in HEAD_LINK.findall(head)]
        assert announced == ["http://site/feed.xml", f"http://site/{node_feed(node.path)}"]
        # A feed reader offers each feed by its link's title, then names it by the feed's own: the same.
        titles = [html.unescape(t) for t in HEAD_TITLE.findall(head)]
        feeds = [site / "feed.xml", site / node_feed(node.path)]
        assert titles == [check_atom(f.read_text(encoding="utf-8")).findtext(f"{ATOM}title") for f in feeds]
        assert f'href="{"../" * (node.path.count("/") + 1)}{node_feed(node.path)}">Atom feed</a>' in text


def test_other_pages_announce_only_the_site_feed(built_site: tuple[Path, str]) -> None:
    text = (built_site[0] / "matrix" / "index.html").read_text(encoding="utf-8")
    assert HEAD_LINK.findall(text[: text.index("</head>")]) == ["../feed.xml"]


def test_a_node_without_studies_has_a_valid_empty_feed(make_project: MakeProject) -> None:
    project = make_project()
    taxonomy = project.content / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    gamma = "  - id: gamma\n    name: Gamma\n    gloss: Empty.\n    description: Nothing yet.\n"
    taxonomy.write_text(text.replace("  - id: beta\n", gamma + "  - id: beta\n", 1), encoding="utf-8")
    files = build_site(project).files
    feed = check_atom(files[node_feed("gamma")])
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}author/{ATOM}name")
    # As new as the site's own feed (a reader's trial found 1970): the newest study's date added.
    site = check_atom(files["feed.xml"])
    assert feed.findtext(f"{ATOM}updated") == site.findtext(f"{ATOM}updated") == "2026-02-01T00:00:00Z"


def test_mini_feeds_match_their_nodes() -> None:
    files = build_site(Project.at(MINI)).files
    feed = check_atom(files[node_feed("alpha/one")])
    assert feed.findtext(f"{ATOM}title") == "The Mini Survey: studies added under Alpha / Leaf one"
    assert feed.findtext(f"{ATOM}id") == "urn:mini-survey:additions:alpha/one"


def test_a_page_below_a_class_names_the_nodes_above_it_in_its_tab_and_itself_alone_in_navigation() -> None:
    """A reader's trial found tabs and bookmarks titled 'Goal' alone. The page's own title (which the
    theme puts in its <title>) now names the nodes above a leaf or a sub-category; the navigation keeps
    the node's name."""
    site = build_site(Project.at(ROOT / "tests" / "fixtures" / "wide"))
    heads = {path: re.search(r'^title: "(.*)"$', page, re.MULTILINE) for path, page in site.pages.items()}
    titles = {path: found.group(1) for path, found in heads.items() if found and path.endswith("index.md")}
    assert titles["construct/autoregressive/recurrent/index.md"] == (
        "Recurrent decoders (Constructive heuristics \u203a Autoregressive)"
    )
    assert titles["construct/one-shot/index.md"] == "One-shot (Constructive heuristics)"
    assert titles["construct/index.md"] == "Constructive heuristics"  # a class: nothing above it
    # A sub-category too (its tab read 'Autoregressive' alone); its navigation section keeps its name.
    assert titles["construct/autoregressive/index.md"] == "Autoregressive (Constructive heuristics)"
    assert "{'Recurrent decoders': 'construct/autoregressive/recurrent/index.md'}" in str(site.nav)
    assert "{'Autoregressive': ['construct/autoregressive/index.md'," in str(site.nav)
