"""Stage 0: content/survey.yaml, the survey's identity, read with its problems as path:line messages."""

from __future__ import annotations

import itertools
import math

import pytest

from surveysite.build import Project, build_site
from surveysite.charts import contrast
from surveysite.survey import palette_colour

from .conftest import MakeProject, messages

SURVEY = "content/survey.yaml"

CASES = {
    "missing-file": (
        None,
        [f"{SURVEY}:1: file is missing; create it with at least 'title: ...' (see CONTRIBUTING.md)"],
    ),
    "not-a-mapping": ("- a\n", [f"{SURVEY}:1: expected a mapping with at least the key 'title'"]),
    "no-title": ("description: x\n", [f"{SURVEY}:1: missing 'title'; add it"]),
    # (A new maintainer's trial: an empty file passed, and the site and feed had no title.)
    "empty": ("", [f"{SURVEY}:1: the file holds no settings; give at least 'title: ...'"]),
    "comments-only": ("# to do\n", [f"{SURVEY}:1: the file holds no settings; give at least 'title: ...'"]),
    "unknown-key": (
        "title: T\ntitel: T\n",
        [
            f"{SURVEY}:2: unknown key 'titel'; did you mean 'title'? (allowed: title, description, "
            "edition_of, feed, schema_title, links, class_colours, rules, repository, tex_commands)"
        ],
    ),
    "year-not-a-number": (
        "title: T\nedition_of:\n  short_name: the review\n  year: soon\n",
        [f"{SURVEY}:4: 'year' should be a number like 2019"],
    ),
    "edition-authors-not-names": (
        "title: T\nedition_of:\n  short_name: the review\n  authors: [Ada Lovelace, 3]\n",
        [f"{SURVEY}:4: 'authors' should be a list of names"],
    ),
    "repository-not-a-web-address": (
        "title: T\nrepository: git@github.com:org/repo.git\n",
        [
            f"{SURVEY}:2: 'repository' should be the project's web address, like https://github.com/ORG/REPO;"
            " found 'git@github.com:org/repo.git'"
        ],
    ),
    "edition-short-name-with-a-line-break": (  # (a review's wrote a key into `new`'s study files)
        'title: T\nedition_of:\n  short_name: "the review\\nnote: Sponsored #"\n',
        [f"{SURVEY}:3: 'short_name' holds a line break; write it on one line"],
    ),
    "link-kind-with-a-line-break": (  # ('$' matched before it)
        'title: T\nlinks:\n  code: Code\n  "project\\n": Project\n',
        [f"{SURVEY}:4: link kind 'project\\n' should be lowercase letters, digits, '-' or '_'"],
    ),
    "edition-without-short-name": (
        "title: T\nedition_of:\n  year: 2019\n",
        [f"{SURVEY}:3: missing 'short_name'; add it"],
    ),
    "bad-colour": (
        "title: T\nclass_colours:\n  alpha: blue\n",
        [f"{SURVEY}:3: class 'alpha': 'blue' is not a colour like '#3f51b5'"],
    ),
    "colour-of-unknown-class": (
        "title: T\nclass_colours:\n  alpah: '#123456'\n",
        [f"{SURVEY}:3: class_colours: no class 'alpah' in content/taxonomy.yaml; did you mean 'alpha'?"],
    ),
    "bad-link-kind": (
        "title: T\nlinks:\n  Code Link: Code\n  code: Code\n  project: Project\n",
        [f"{SURVEY}:3: link kind 'Code Link' should be lowercase letters, digits, '-' or '_'"],
    ),
    "yaml-alias": (
        "title: &t T\ndescription: *t\n",
        [f"{SURVEY}:2: YAML aliases (*name) are not allowed; write the value out"],
    ),
}


def without_original(make_project: MakeProject, survey: str | None) -> Project:
    """The mini survey with this survey file and no study marked as reviewed in an original survey."""
    project = make_project({SURVEY: survey})
    for key in ("lee2023third", "mueller2021first"):
        path = project.root / "content" / "studies" / f"{key}.yaml"
        path.write_text(path.read_text().replace("in_survey: true", "in_survey: false"))
    return project


@pytest.mark.parametrize("kind", ["link-to-a-device", "folder"])
def test_a_survey_file_that_is_no_plain_file_is_named_as_such_not_as_missing(
    make_project: MakeProject, kind: str
) -> None:
    """A hostile-input trial linked content/survey.yaml to /dev/zero and was told to create it."""
    project = make_project()
    survey = project.root / SURVEY
    survey.unlink()
    if kind == "folder":
        survey.mkdir()
    else:
        survey.symlink_to("/dev/zero")
    found = [m for m in messages(project) if m.startswith(SURVEY)]
    assert found == [
        f"{SURVEY}:1: the file is not a regular file"
        if kind == "folder"
        else f"{SURVEY}:1: the file is reached through a symbolic link; replace the link with the real file"
    ]


@pytest.mark.parametrize("text,expected", CASES.values(), ids=CASES.keys())
def test_bad_survey_file_is_reported(
    make_project: MakeProject, text: str | None, expected: list[str]
) -> None:
    assert messages(without_original(make_project, text)) == expected


def test_in_survey_needs_an_original_edition(make_project: MakeProject) -> None:
    assert messages(make_project({SURVEY: "title: Plain\n"})) == [
        f"content/studies/{key}.yaml:4: 'in_survey: true' but {SURVEY} names no original survey "
        "(edition_of); delete the line, or add edition_of"
        for key in ("lee2023third", "mueller2021first")
    ]


def test_an_edition_without_its_short_name_still_reads_in_each_studys_message(
    make_project: MakeProject,
) -> None:
    """A new maintainer's trial: each study's message read 'this site is an edition of ; write true'."""
    project = make_project({SURVEY: "title: T\nedition_of:\n  year: 2019\n"})
    first = project.content / "studies" / "mueller2021first.yaml"
    first.write_text(first.read_text().replace("in_survey: true\n", ""))
    assert messages(project) == [
        "content/studies/mueller2021first.yaml:1: missing 'in_survey'; add it: this site is an edition of a "
        "published survey; write true if it reviews the study, else false",
        f"{SURVEY}:3: missing 'short_name'; add it",
    ]


def test_in_survey_is_asked_for_only_where_the_site_is_an_edition(make_project: MakeProject) -> None:
    """A maintainer's trial: a survey of its own (no edition_of) had to write 'in_survey: false' into
    every study file, a key about an original survey it does not have."""
    plain = without_original(make_project, "title: Plain\n")
    for path in (plain.content / "studies").glob("*.yaml"):
        path.write_text(path.read_text().replace("in_survey: false\n", ""))
    assert messages(plain) == []


def test_an_edition_asks_each_study_whether_the_original_survey_reviews_it(make_project: MakeProject) -> None:
    edition = make_project()
    first = edition.content / "studies" / "mueller2021first.yaml"
    first.write_text(first.read_text().replace("in_survey: true\n", ""))
    assert messages(edition) == [
        "content/studies/mueller2021first.yaml:1: missing 'in_survey'; add it: this site is an edition of "
        "the 2022 review; write true if it reviews the study, else false"
    ]


def test_a_survey_without_an_original_edition_says_neither_reviewed_nor_added(
    make_project: MakeProject,
) -> None:
    site = build_site(without_original(make_project, "title: Plain\n"))
    pages = "\n".join(site.pages.values())
    assert "Reviewed in" not in pages and "Added by this site" not in pages
    assert "<title>Plain: studies added</title>" in site.files["feed.xml"]
    assert '"title": "Studies of Plain"' in site.files["downloads/studies.schema.json"]


def test_the_original_edition_decides_the_wording(make_project: MakeProject) -> None:
    site = build_site(make_project({SURVEY: "title: T\nedition_of:\n  short_name: the 2019 review\n"}))
    assert "Reviewed in the 2019 review." in site.pages["studies/lee2023third.md"]
    assert (
        "Added by this site on 2026-02-01, not reviewed in the 2019 review."
        in site.pages["studies/smith2022second.md"]
    )


def test_link_labels_come_from_the_survey_file(make_project: MakeProject) -> None:
    project = without_original(make_project, "title: T\nlinks:\n  project: Homepage\n  code: Source\n")
    page = build_site(project).pages["studies/mueller2021first.md"]
    assert "- [Source](https://example.org/first)" in page


def _oklab(colour: str) -> tuple[float, float, float]:
    """A colour (#rrggbb) in OKLab, where a distance is how far apart two colours look (about 0.02 the
    least seen)."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b))
    lms = [
        (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b) ** (1 / 3),
        (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b) ** (1 / 3),
        (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b) ** (1 / 3),
    ]
    rows = [
        (0.2104542553, 0.7936177850, -0.0040720468),
        (1.9779984951, -2.4285922050, 0.4505937099),
        (0.0259040371, 0.7827717662, -0.8086757660),
    ]
    one, two, three = (sum(w * x for w, x in zip(row, lms, strict=True)) for row in rows)
    return one, two, three


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@pytest.mark.parametrize("count", range(1, 13))
def test_classes_without_a_colour_get_colours_that_look_apart(count: int) -> None:
    """An edge-case trial's twelve classes without colours got two greens 0.036 apart in OKLab (hues
    evenly spaced in HLS, at one lightness): told apart in a chart's legend only by their names. Any
    two of up to twelve now stand 0.08 apart, each readable as text on the scheme's ground (4.5:1)."""
    colours = [palette_colour(i, count) for i in range(count)]
    for scheme, ground in (("light", "#ffffff"), ("dark", "#1e2029")):  # (white; the slate scheme's)
        tints = [getattr(colour, scheme) for colour in colours]
        apart = [math.dist(_oklab(a), _oklab(b)) for a, b in itertools.combinations(tints, 2)]
        assert min(apart, default=1) >= 0.08, (scheme, tints)
        assert min(contrast(_rgb(tint), _rgb(ground)) for tint in tints) >= 4.5, (scheme, tints)
    assert colours[0].light == palette_colour(0, 12).light  # (each palette starts at the theme's indigo)


@pytest.mark.parametrize("given", ["not a urn", "tag", "urn:x y", '"urn:<x>"'])
def test_a_feed_id_that_is_no_uri_is_refused_at_its_line(make_project: MakeProject, given: str) -> None:
    """Atom's id is an absolute URI that never changes: a new-user trial's 'not a urn' reached the feed."""
    project = make_project()
    survey = project.root / "content" / "survey.yaml"
    text = survey.read_text()
    line = text.splitlines().index("  id: urn:mini-survey:additions") + 1
    survey.write_text(text.replace("id: urn:mini-survey:additions", f"id: {given}", 1))
    assert messages(project) == [
        f"content/survey.yaml:{line}: the feed's 'id' should be a URI that never changes, like urn:uuid:... "
        f"or https://...; found '{given.strip(chr(34))}'"
    ]


def test_a_feed_id_that_is_a_uri_is_the_feeds(make_project: MakeProject) -> None:
    project = make_project()
    assert messages(project) == []
    assert "<id>urn:mini-survey:additions</id>" in build_site(project).files["feed.xml"]
