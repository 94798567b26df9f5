"""The Atom feed lists added studies newest first, with escaped text and stable ids."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from surveysite.build import Project, build_site

from .conftest import MINI, MakeProject

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_lists_studies_newest_first() -> None:
    feed = ET.fromstring(build_site(Project.at(MINI)).files["feed.xml"])
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z",
    ]  # fmt: skip
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [  # type: ignore[union-attr]
        "studies/smith2022second/", "studies/lee2023third/", "studies/mueller2021first/",
    ]  # fmt: skip
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        "https://arxiv.org/abs/2201.00001", "urn:bibtex:lee2023third", "https://doi.org/10.1234/fict.2021.1",
    ]  # fmt: skip
    assert feed.findtext(f"{ATOM}updated") == "2026-02-01T00:00:00Z"


def test_feed_keeps_markup_as_text(make_project: MakeProject) -> None:
    site = build_site(make_project())
    assert "<script>" not in site.files["feed.xml"]
    feed = ET.fromstring(site.files["feed.xml"])
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert "Pipes and <script>alert(1)</script>" in (titles[0] or "")
