"""What's new: additions grouped by month, newest first, each with the date it was added."""

from __future__ import annotations

import re

import pytest

from surveysite import render
from surveysite.build import Project, build_site, load_catalog
from surveysite.feed import newest_first
from surveysite.model import after_name, title_after_name

from .conftest import MINI, MakeProject


def test_whats_new_groups_additions_by_month_newest_first() -> None:
    page = build_site(Project.at(MINI)).pages["whats-new.md"]
    headings = re.findall(r"^<h2 data-search-exclude markdown>(.+)</h2>$", page, re.MULTILINE)
    assert headings == ["February 2026", "January 2026"]
    dates = re.findall(r"^- (\d{4}-\d{2}-\d{2}): ", page, re.MULTILINE)
    newest = newest_first(load_catalog(Project.at(MINI)))
    # (the two studies the original survey reviews, both added on 2026-01-01, are one line: see below)
    assert dates == [s.annotation.added.isoformat() for s in newest if not s.annotation.in_survey] + [
        "2026-01-01"
    ]
    january = page[page.index(">January 2026</h2>") :]
    assert "2026-02-01" not in january
    assert "pages through all" not in page  # every study is listed: nothing points elsewhere


def test_whats_new_lists_the_newest_studies_up_to_its_limit_and_says_where_the_rest_are(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(render, "WHATS_NEW_LIMIT", 2)
    page = build_site(Project.at(MINI)).pages["whats-new.md"]
    newest = newest_first(load_catalog(Project.at(MINI)))
    listed = re.findall(r"^- \d{4}-\d{2}-\d{2}: .*?\]\(studies/([a-z0-9]+)\.md\)", page, re.MULTILINE)
    assert listed == [newest[0].key] and len(newest) == 3  # the second shown: a study the survey reviews
    assert "\n- 2026-01-01: the study reviewed in the 2022 review, [listed in the matrix]" in page
    assert "The 2 studies most recently added" in page
    assert "[matrix](matrix.md) pages through all 3" in page
    assert "[CSV download](downloads/studies.csv) holds them all" in page
    # The limit falls within January (two added then, one shown): the page says how many more.
    assert page.rstrip().endswith("1 more study was added in January 2026.\n\n</div>")
    monkeypatch.setattr(render, "WHATS_NEW_LIMIT", 1)  # the limit at the end of a month: no such line
    page = build_site(Project.at(MINI)).pages["whats-new.md"]
    assert "more study was added" not in page and "more studies were added" not in page


def test_each_line_names_the_leaf_by_its_trail_and_its_origin_without_the_date_again() -> None:
    """A leaf's name alone ('Prompt', 'Without human feedback') can stand in more than one class: the
    line gives the trail from the class. The date leads the line, so the origin does not repeat it."""
    page = build_site(Project.at(MINI)).pages["whats-new.md"]
    line = re.compile(r"^- .*?\]\(studies/([a-z0-9]+)\.md\).*$", re.MULTILINE)
    lines = {m.group(1): m.group(0) for m in line.finditer(page)}
    assert lines["smith2022second"].endswith(
        "In [Alpha](alpha/index.md) \u203a [Leaf two](alpha/two/index.md); [Beta](beta/index.md)."
    )  # (no 'Added by this site.': a reader's trial found it on every line, all the site's in an edition)
    assert "mueller2021first" not in lines  # reviewed in the original survey: see below
    assert "to this site on" not in page


def test_the_studies_the_original_survey_reviews_are_one_line_a_day_after_that_day_s_others(
    make_project: MakeProject,
) -> None:
    """A reader's trial found What's new listing the original survey's own studies one by one, among
    the studies the site added, as if they were new."""
    page = build_site(Project.at(MINI)).pages["whats-new.md"]
    january = page[page.index(">January 2026</h2>") :]
    assert re.findall(r"^- .*$", january, re.MULTILINE) == [
        "- 2026-01-01: the 2 studies reviewed in the 2022 review, [listed in the matrix]"
        "(matrix.md?f.in_survey=yes)."
    ]
    # A study the site added the same day comes before the line; a study of the survey alone is one.
    project = make_project()
    third = project.content / "studies" / "lee2023third.yaml"
    third.write_text(third.read_text().replace("in_survey: true", "in_survey: false"))
    january = build_site(project).pages["whats-new.md"].split(">January 2026</h2>")[1]
    lines = re.findall(r"^- .*$", january, re.MULTILINE)
    assert len(lines) == 2 and "](studies/lee2023third.md)" in lines[0]
    assert lines[0].endswith("In [Beta](beta/index.md).")
    assert lines[1].startswith("- 2026-01-01: the study reviewed in the 2022 review, [listed in the matrix]")
    # A survey of its own (no original survey) lists every study.
    survey = project.content / "survey.yaml"
    text = survey.read_text()
    survey.write_text(re.sub(r"edition_of:\n(  .*\n)+", "", text))
    third.write_text(third.read_text().replace("in_survey: false\n", ""))
    first = project.content / "studies" / "mueller2021first.yaml"
    first.write_text(first.read_text().replace("in_survey: true\n", ""))
    january = build_site(project).pages["whats-new.md"].split(">January 2026</h2>")[1]
    assert len(re.findall(r"^- .*\]\(studies/", january, re.MULTILINE)) == 2


@pytest.mark.parametrize(
    ("name", "title", "shown"),
    [
        ("Motif", "Motif: Intrinsic Motivation from AI Feedback", "Intrinsic Motivation from AI Feedback"),
        # A reader's trial: 'DeepSeekMath (GRPO): DeepSeekMath: Pushing...', 'Tülu 3 (RLVR): Tulu 3: ...'
        ("DeepSeekMath (GRPO)", "DeepSeekMath: Pushing the Limits", "Pushing the Limits"),
        ("RLAdapter (AdaRefiner)", "AdaRefiner: Refining Decisions", "Refining Decisions"),
        ("Tülu 3 (RLVR)", "Tulu 3: Pushing Frontiers", "Pushing Frontiers"),
        (
            "Dr. GRPO (Understanding R1-Zero-like training)",
            "Understanding R1-Zero-Like Training: A View",
            "A View",
        ),
        ("ELLM", "elLM", ""),  # the title is the name
        (
            "DeepSeek-R1",
            "DeepSeek-R1 incentivizes reasoning",
            "DeepSeek-R1 incentivizes reasoning",
        ),  # no colon
        ("A (B)", "C: B", "C: B"),  # the name after the colon: a title of its own
    ],
)
def test_the_title_beside_a_name_leaves_out_the_name_it_begins_with(
    name: str, title: str, shown: str
) -> None:
    assert title_after_name(name, title) == shown


@pytest.mark.parametrize(
    ("name", "title", "line"),
    [
        ("Motif", "Motif: Intrinsic Motivation", "Motif: Intrinsic Motivation"),
        ("ELLM", "elLM", "ELLM"),
        # A reader's trial: the feed and What's new said 'DeepSeek-R1: DeepSeek-R1 incentivizes ...'.
        ("DeepSeek-R1", "DeepSeek-R1 incentivizes reasoning", "DeepSeek-R1 incentivizes reasoning"),
        ("deepseek-r1", "DeepSeek-R1 incentivizes reasoning", "deepseek-r1 incentivizes reasoning"),
        ("GPT", "GPTQ quantizes", "GPT: GPTQ quantizes"),  # not the name: a word that begins with it
        ("A (B)", "B does C", "A (B): B does C"),  # only the whole name
        ("Other", "A title", "Other: A title"),
        # A review: by the name's length, Unicode's other spelling of an accent repeated the name.
        (
            "\N{LATIN CAPITAL LETTER E WITH ACUTE}clair",
            "E\N{COMBINING ACUTE ACCENT}clair is tasty",
            "\N{LATIN CAPITAL LETTER E WITH ACUTE}clair is tasty",
        ),
        ("A  B", "A B does", "A  B does"),
    ],
)
def test_a_line_naming_a_study_and_its_paper_says_the_name_once(name: str, title: str, line: str) -> None:
    assert name + after_name(name, title) == line


def test_a_line_whose_title_begins_with_the_name_keeps_the_space_after_the_link(
    make_project: MakeProject,
) -> None:
    """A review: the template's escaping drops a value's leading space, and What's new read
    '[Third](studies/lee2023third.md)Study' (the title 'Third Study' begins with the name 'Third')."""
    project = make_project()
    for key in ("lee2023third", "mueller2021first"):  # (listed one by one: not reviewed in the survey)
        study = project.content / "studies" / f"{key}.yaml"
        study.write_text(study.read_text().replace("in_survey: true", "in_survey: false"))
    page = build_site(project).pages["whats-new.md"]
    assert "[Third](studies/lee2023third.md) Study (2023)." in page
    assert "[First](studies/mueller2021first.md): The First Study" in page


def test_a_template_that_reads_the_former_title_after_name_keeps_working(make_project: MakeProject) -> None:
    """A review: a project's own whats-new.md.j2 reading study.title_after_name failed once the views
    carried after_name in its place."""
    own = "# What's new\n\n{% for _, studies in additions %}{% for study in studies %}"
    own += "- {{ study.key }}: {{ study.title_after_name }}\n{% endfor %}{% endfor %}\n"
    page = build_site(make_project({"templates/whats-new.md.j2": own})).pages["whats-new.md"]
    assert "- lee2023third: Third Study\n" in page  # (the title whole, as before)
    assert "- mueller2021first: The First Study of \N{GREEK SMALL LETTER ALPHA}-Learning\n" in page
