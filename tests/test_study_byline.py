"""A study page's byline: a long author list folds below it (a reader's trial met 194 names, a phone
screen and a half, before a page's summary)."""

from __future__ import annotations

import re
from pathlib import Path

from surveysite.build import build_site
from surveysite.views import FOLDED_AUTHORS, LONG_AUTHOR_LIST

from .conftest import MINI, MKDOCS_YML, MakeProject, mini_copy, strict_build

BIB = "bib/studies.bib"
PAGE = "studies/lee2023third.md"


def with_authors(count: int) -> str:
    """The mini survey's BibTeX, its third study written by `count` authors (the eighth an accented
    one, the twelfth one whose name holds Markdown)."""
    names = [f"Surname{i}, Given{i}" for i in range(1, count + 1)]
    names[7] = r"M{\"u}ller, J{\"o}rg"
    if count >= 12:
        names[11] = r"Under\_score, Star"
    text = (MINI / BIB).read_text(encoding="utf-8")
    old = "author  = {Lee, Chen and Kim, Dana},"
    assert old in text
    return text.replace(old, "author  = {" + " and ".join(names) + "},")


def byline(page: str) -> str:
    return page.split("**Third Study**\n\n", 1)[1].split("\n", 1)[0]


def test_a_long_author_list_leads_with_its_first_names_and_folds_the_whole_list(
    make_project: MakeProject,
) -> None:
    count = LONG_AUTHOR_LIST + 5
    page = build_site(make_project({BIB: with_authors(count)})).pages[PAGE]
    first = ", ".join(["Given1 Surname1", *(f"Given{i} Surname{i}" for i in range(2, 8)), "Jörg Müller",
                       "Given9 Surname9", "Given10 Surname10"])  # fmt: skip
    assert FOLDED_AUTHORS == 10
    assert byline(page) == (
        f"<span data-search-exclude>{first} and {count - FOLDED_AUTHORS} more</span>. "
        "2023. *Journal of Fiction*."
    )
    folded = page.split('<details class="survey-authors" markdown>\n', 1)[1].split("</details>", 1)[0]
    assert folded.startswith("<summary data-search-exclude>All authors</summary>\n\n")
    # The whole list, as a short one is shown: surnames indexed, given names not, Markdown escaped.
    assert "<span data-search-exclude>Jörg</span> Müller" in folded
    assert f"<span data-search-exclude>Given{count}</span> Surname{count}." in folded
    assert r"<span data-search-exclude>Star</span> Under\_score" in folded
    assert folded.count("<span data-search-exclude>") == count


def test_a_list_of_up_to_the_limit_is_shown_whole_in_the_byline(make_project: MakeProject) -> None:
    page = build_site(make_project({BIB: with_authors(LONG_AUTHOR_LIST)})).pages[PAGE]
    line = byline(page)
    assert line.count("<span data-search-exclude>") == LONG_AUTHOR_LIST and " more" not in line
    assert (
        f"<span data-search-exclude>Given{LONG_AUTHOR_LIST}</span> Surname{LONG_AUTHOR_LIST}. 2023." in line
    )
    assert "survey-authors" not in page


def test_the_folded_list_opens_without_javascript_and_its_surnames_are_searched(tmp_path: Path) -> None:
    """Built by MkDocs: a <details> element (no script needed), the byline and the box's label kept
    out of the search index, every surname in it once."""
    project = mini_copy(tmp_path, MKDOCS_YML)
    (project / BIB).write_text(with_authors(LONG_AUTHOR_LIST + 5), encoding="utf-8")
    result = strict_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site/studies/lee2023third/index.html").read_text(encoding="utf-8")
    # (The theme drops the box label's data-search-exclude="..." once it has indexed the page.)
    box = re.search(r'<details class="survey-authors">\s*<summary>All authors</summary>'
                    r"\s*<p>(.*?)</p>\s*</details>", html, re.S)  # fmt: skip
    assert box is not None
    assert "Given25</span> Surname25." in box.group(1)
    index = (tmp_path / "site/search/search_index.json").read_text(encoding="utf-8")
    entry = re.search(r'"location":"studies/lee2023third/","title":"[^"]*","text":"((?:[^"\\]|\\.)*)"', index)
    assert entry is not None
    text = entry.group(1)
    assert text.count("Surname25") == 1 and text.count("Surname1,") == 1  # the byline's names not again
    assert "Given" not in text and "more" not in text and "All authors" not in text
