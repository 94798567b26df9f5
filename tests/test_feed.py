"""The Atom feed lists added studies newest first, with escaped text and stable ids."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from surveysite.build import Project, build_site
from surveysite.cache import Memo

from .conftest import MINI, MakeProject

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_ID = "urn:mini-survey:additions"


def all_added(project: Project) -> Project:
    """The project with every study one its site added: an edition's feeds hold those alone."""
    for study in (project.content / "studies").glob("*.yaml"):
        study.write_text(study.read_text(encoding="utf-8").replace("in_survey: true", "in_survey: false"))
    return project


def test_feed_lists_studies_newest_first(make_project: MakeProject) -> None:
    feed = ET.fromstring(build_site(all_added(make_project())).files["feed.xml"])
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z",
    ]  # fmt: skip
    # When each was first in the feed, the day it was added (a reader's trial found no <published>).
    assert [e.findtext(f"{ATOM}published") for e in entries] == [
        e.findtext(f"{ATOM}updated") for e in entries
    ]
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [  # type: ignore[union-attr]
        "studies/smith2022second/", "studies/lee2023third/", "studies/mueller2021first/",
    ]  # fmt: skip
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"{SITE_ID}:studies/smith2022second", f"{SITE_ID}:studies/lee2023third",
        f"{SITE_ID}:studies/mueller2021first",
    ]  # fmt: skip
    assert feed.findtext(f"{ATOM}updated") == "2026-02-01T00:00:00Z"


def test_an_entry_keeps_its_id_when_the_paper_gains_a_doi_and_in_every_feed(
    make_project: MakeProject,
) -> None:
    """A preprint gains a DOI when published: a feed reader must not see the study as new again."""
    project = all_added(make_project())
    before = build_site(project).files
    text = (project.root / "bib" / "studies.bib").read_text(encoding="utf-8")
    (project.root / "bib" / "studies.bib").write_text(
        text.replace("@article{lee2023third,", "@article{lee2023third,\n  doi = {10.1234/lee.2023},", 1),
        encoding="utf-8",
    )
    after = build_site(project).files
    assert "10.1234/lee.2023" in after["downloads/studies.bib"]

    def ids(files: Mapping[str, str], name: str) -> set[str]:
        return {str(e.findtext(f"{ATOM}id")) for e in ET.fromstring(files[name]).findall(f"{ATOM}entry")}

    third = f"{SITE_ID}:studies/lee2023third"
    assert third in ids(before, "feed.xml") and ids(before, "feed.xml") == ids(after, "feed.xml")
    node_feeds = [name for name in after if name.startswith("feed.") and third in ids(after, name)]
    assert node_feeds and all(ids(before, name) == ids(after, name) for name in node_feeds)


def test_feed_keeps_markup_as_text(make_project: MakeProject) -> None:
    site = build_site(make_project())
    assert "<script>" not in site.files["feed.xml"]
    feed = ET.fromstring(site.files["feed.xml"])
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert "Pipes and <script>alert(1)</script>" in (titles[0] or "")


def test_every_feed_names_itself() -> None:
    """A reader trial found no rel="self" link, which feed readers use to keep the feed's address."""
    files = build_site(Project.at(MINI)).files
    feeds = [name for name in files if name.startswith("feed") and name.endswith(".xml")]
    assert len(feeds) > 1
    for name in feeds:
        links = ET.fromstring(files[name]).findall(f"{ATOM}link")
        assert [link.get("href") for link in links if link.get("rel") == "self"] == [name]


def test_ids_made_from_a_uuid_feed_id_are_uuids_themselves(make_project: MakeProject) -> None:
    """init writes feed.id as urn:uuid:..., after which RFC 4122 allows nothing: an entry's or a node
    feed's id made of it is a name-based UUID (a review's find), the same from build to build."""
    project = all_added(make_project())
    survey = project.root / "content" / "survey.yaml"
    own = "urn:uuid:6f1c1f38-4d0f-4b4e-9a57-6a1d2b1e7c11"
    survey.write_text(survey.read_text(encoding="utf-8").replace("urn:mini-survey:additions", own))
    files = build_site(project).files
    ids = {
        name: [
            str(e.findtext(f"{ATOM}id"))
            for e in [ET.fromstring(text), *ET.fromstring(text).findall(f"{ATOM}entry")]
        ]
        for name, text in files.items()
        if name.startswith("feed") and name.endswith(".xml")
    }
    assert ids["feed.xml"][0] == own
    made = {i for name, found in ids.items() for i in found} - {own}
    assert made and all(i.startswith("urn:uuid:") and uuid.UUID(i[9:]) for i in made)
    entries = {i for name, found in ids.items() for i in found[1:]}
    assert len(entries) == 3  # one per study, the same in every feed
    assert ids == {
        name: [
            str(e.findtext(f"{ATOM}id"))
            for e in [ET.fromstring(text), *ET.fromstring(text).findall(f"{ATOM}entry")]
        ]
        for name, text in build_site(project).files.items()
        if name.startswith("feed") and name.endswith(".xml")
    }


def test_an_entry_names_every_author(make_project: MakeProject) -> None:
    """A reader's trial: DeepSeek-R1's 194 authors were cut to 10 in the feeds, with nothing to say so,
    where the study's page says 'and 184 more'. A feed reader shows the entry's list as the whole."""
    project = all_added(make_project())
    bib = project.root / "bib" / "studies.bib"
    text = bib.read_text(encoding="utf-8")
    many = " and ".join(f"Author{chr(65 + i)}, Given" for i in range(14))
    start = text.index("author", text.index("{lee2023third,"))
    end = text.index("\n", start)
    bib.write_text(text[:start] + f"author  = {{{many}}}," + text[end:], encoding="utf-8")
    feed = ET.fromstring(build_site(project).files["feed.xml"])
    entry = next(e for e in feed.findall(f"{ATOM}entry") if "lee2023third" in (e.findtext(f"{ATOM}id") or ""))
    names = [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")]
    assert names == [f"Given Author{chr(65 + i)}" for i in range(14)]


def test_an_edition_s_feeds_hold_the_studies_the_site_added_and_name_their_leaves(
    make_project: MakeProject,
) -> None:
    """A reader's trial found the survey's own studies in the feed as if new, with no word of the survey,
    and categories by path alone ('rl4llm/prompt'); a later one found six studies the site added cut
    off by them (a feed shows its 50 newest). An edition's feeds, the site's and a node's, hold the
    studies the site added, and say so in their subtitle; each category is labelled by its node's name."""
    project = make_project()
    memo = Memo()
    site = build_site(project, memo)
    for name in ("feed.xml", "feed.alpha.xml"):
        feed = ET.fromstring(site.files[name])
        entries = {
            e.find(f"{ATOM}link").get("href").rstrip("/").rsplit("/", 1)[-1]: e  # type: ignore[union-attr]
            for e in feed.findall(f"{ATOM}entry")
        }
        assert list(entries) == ["smith2022second"], name  # (mueller2021first and lee2023third: reviewed)
        assert (
            feed.findtext(f"{ATOM}subtitle")
            == "Added by this site, beyond the studies reviewed in the 2022 review"
        )
        second = entries["smith2022second"]
        assert (
            second.findtext(f"{ATOM}summary")
            == "Tries *emphasis*, a | pipe, # heading and `code` and {% raw %} in data."
        )
        assert [(c.get("term"), c.get("label")) for c in second.findall(f"{ATOM}category")] == [
            ("alpha/two", "Leaf two"), ("beta", "Beta"),
        ]  # fmt: skip
    # A node holding only the survey's studies has a feed of none, as new as the site.
    one = ET.fromstring(site.files["feed.alpha.one.xml"])
    assert one.findall(f"{ATOM}entry") == [] and one.findtext(f"{ATOM}updated") == "2026-02-01T00:00:00Z"
    # A node renamed renames the label at the next build of a lasting Memo (serve's): not a kept feed.
    taxonomy = project.content / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("name: Leaf two", "name: Leaf the second"))
    again = ET.fromstring(build_site(project, memo).files["feed.xml"])
    labels = {c.get("label") for c in again.iter(f"{ATOM}category")}
    assert "Leaf the second" in labels and "Leaf two" not in labels


def test_a_survey_of_its_own_says_nothing_of_an_original_in_its_feed(make_project: MakeProject) -> None:
    survey = make_project().root / "content" / "survey.yaml"
    text = survey.read_text()
    start = text.index("edition_of:")
    end = text.index("\nrepository:")
    survey.write_text(text[:start] + text[end + 1 :])
    for study in (survey.parent / "studies").glob("*.yaml"):
        study.write_text(
            "".join(line for line in study.read_text().splitlines(True) if not line.startswith("in_survey:"))
        )
    feed = build_site(Project.at(survey.parent.parent)).files["feed.xml"]
    assert "Reviewed in" not in feed and "Added by this site" not in feed
