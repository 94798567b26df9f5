"""A study page's byline: a long author list folds below it (a reader's trial met 194 names, a phone
screen and a half, before a page's summary)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

from surveysite.build import build_site
from surveysite.capture import Citable
from surveysite.views import FOLDED_AUTHORS, LONG_AUTHOR_LIST, arxiv_submitted, venue_details

from .conftest import MINI, MKDOCS_YML, MakeProject, mini_copy, strict_build, texts

BIB = "bib/studies.bib"
PAGE = "studies/lee2023third.md"


def with_authors(count: int) -> str:
    """The mini survey's BibTeX, its third study written by `count` authors (the third one whose name
    holds Markdown, the eighth an accented one)."""
    names = [f"Surname{i}, Given{i}" for i in range(1, count + 1)]
    names[7] = r"M{\"u}ller, J{\"o}rg"
    names[2] = r"Under\_score, Star"
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
    first = ", ".join(["Given1 Surname1", "Given2 Surname2", r"Star Under\_score",  # Markdown escaped
                       *(f"Given{i} Surname{i}" for i in range(4, 8)), "Jörg Müller", "Given9 Surname9",
                       "Given10 Surname10"])  # fmt: skip
    assert FOLDED_AUTHORS == 10
    assert byline(page) == (
        f"<span data-search-exclude>{first} and {count - FOLDED_AUTHORS} more</span>"
        "<span data-search-exclude>. </span>"  # (the full stop kept out of the search index with them)
        "2023. *Journal of Fiction*<span data-search-exclude>, 3, 1\u201310</span>."
    )
    folded = page.split('<details class="survey-authors" markdown>\n', 1)[1].split("</details>", 1)[0]
    assert folded.startswith("<summary data-search-exclude>All authors</summary>\n\n")
    # The whole list, as a short one is shown: surnames indexed, given names not, Markdown escaped.
    assert "<span data-search-exclude>Jörg</span> Müller" in folded
    assert f"<span data-search-exclude>Given{count}</span> Surname{count}." in folded
    assert r"<span data-search-exclude>Star</span> Under\_score" in folded
    assert folded.count("<span data-search-exclude>") == count


@pytest.mark.parametrize("named", [LONG_AUTHOR_LIST, LONG_AUTHOR_LIST + 1])
def test_and_others_is_no_name_the_fold_counts(make_project: MakeProject, named: int) -> None:
    """BibTeX's 'and others' ends a list as a name 'others': it does not tip a list of 20 names over the
    limit, and a folded list's byline says 'et al.' for it."""
    bib = with_authors(named)
    with_others = bib.replace(f"Given{named}}}", f"Given{named} and others}}")
    assert with_others != bib
    page = build_site(make_project({BIB: with_others})).pages[PAGE]
    if named == LONG_AUTHOR_LIST:
        assert "survey-authors" not in page and byline(page).count("</span> ") == named
        return
    assert byline(page).startswith("<span data-search-exclude>Given1 Surname1, ")
    tail = f"Given10 Surname10 and {named - FOLDED_AUTHORS} more, et al</span>"
    tail += "<span data-search-exclude>. </span>"  # one full stop
    assert byline(page).endswith(
        tail + "2023. *Journal of Fiction*<span data-search-exclude>, 3, 1\u201310</span>."
    )


def test_a_list_of_up_to_the_limit_is_shown_whole_in_the_byline(make_project: MakeProject) -> None:
    page = build_site(make_project({BIB: with_authors(LONG_AUTHOR_LIST)})).pages[PAGE]
    line = byline(page)
    assert line.count("</span> ") == LONG_AUTHOR_LIST and " more" not in line
    last = f"<span data-search-exclude>Given{LONG_AUTHOR_LIST}</span> Surname{LONG_AUTHOR_LIST}"
    assert line.endswith(
        f"{last}. 2023. *Journal of Fiction*<span data-search-exclude>, 3, 1\u201310</span>."
    )
    assert "survey-authors" not in page


def test_the_folded_list_opens_without_javascript_and_its_surnames_are_searched(tmp_path: Path) -> None:
    """Built by MkDocs: a <details> element (no script needed), the byline and the box's label kept
    out of the search index, every surname in it once."""
    project = mini_copy(tmp_path, MKDOCS_YML)
    bib = with_authors(LONG_AUTHOR_LIST + 5).replace(
        "  year    = {2023},\n", "  year    = {2023},\n  doi = {10.1234/x.3},\n"
    )
    assert "10.1234/x.3" in bib
    (project / BIB).write_text(bib, encoding="utf-8")
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
    # The byline's full stop goes with the folded list: a result read '. 2023. Journal of Fiction.'
    assert "<p>2023. Journal of Fiction.</p>" in text and "<p>. " not in text
    # Nor the volume and pages: numbers no one searches for, a tenth of the index at 1,000 studies.
    assert "Journal of Fiction" in text and "1\\u201310" not in text and "1\u201310" not in text
    # Nor the DOI ending the byline (the header search finds a study by its DOI otherwise).
    assert '<a href="https://doi.org/10.1234/x.3">https://doi.org/10.1234/x.3</a>' in html
    assert "10.1234/x.3" not in text


@pytest.mark.parametrize(
    ("entry_type", "details", "shown"),
    [
        ("article", {"volume": "645", "number": "8081", "pages": "633--638"}, ", 645(8081), 633\u2013638"),
        ("article", {"volume": "3", "pages": "e2021-0123"}, ", 3, e2021-0123"),  # an article number
        ("article", {"number": "4"}, ", no. 4"),
        ("article", {"pages": "7"}, ", p. 7"),  # not ', 7', which reads as a volume
        ("article", {"pages": "1--10"}, ", pp. 1\u201310"),
        ("article", {"volume": "3", "pages": "5--"}, ", 3, 5\u2013"),  # an open end kept
        ("inproceedings", {"pages": "xi-xv"}, ", pp. xi-xv"),  # a range page_range leaves whole
        ("inproceedings", {"pages": "1--"}, ", pp. 1\u2013"),
        ("phdthesis", {"pages": "212"}, ""),  # a thesis's length, not its place
        ("book", {"volume": "2", "pages": "480"}, ", vol. 2"),
        ("inproceedings", {"volume": "235", "pages": "62178--62209"}, ", vol. 235, pp. 62178\u201362209"),
        ("inproceedings", {"pages": "7"}, ", p. 7"),
        ("book", {"volume": "2", "number": "5", "publisher": "Fictional Press"}, ", vol. 2, no. 5"),
        ("techreport", {"number": "TR-9"}, ""),  # a report's number is the report's own
        ("misc", {}, ""),
    ],
)
def test_the_byline_gives_volume_issue_and_pages_after_the_venue(
    entry_type: str, details: dict[str, str], shown: str
) -> None:
    work = Citable(entry_type, "T", ("A B",), 2024, "V", details=tuple(details.items()))
    assert venue_details(work) == shown


def test_a_study_page_cites_with_the_details_and_a_card_keeps_its_short_form(
    make_project: MakeProject,
) -> None:
    """The mini survey's article gives a volume and pages; its proceedings paper neither."""
    pages = build_site(make_project()).pages
    assert (
        "Dana</span> Kim. 2023. *Journal of Fiction*<span data-search-exclude>, 3, 1\u201310</span>.\n"
        in pages[PAGE]
    )
    # The published work's DOI ends the byline, as its address (a reader's trial found the page's
    # reference without it, which only the BibTeX and the links gave), kept out of the search index.
    assert (
        ". 2021. *Proceedings of a Fictional Conference*.<span data-search-exclude> "
        "[https://doi.org/10.1234/fict.2021.1](https://doi.org/10.1234/fict.2021.1)</span>\n"
    ) in pages["studies/mueller2021first.md"]
    # A preprint gives its identifier (a reader's trial found 'arXiv preprint.' alone, to look up nothing).
    assert (
        "Jones. 2022. *arXiv preprint*<span data-search-exclude>, arXiv:2201.00001</span>.\n"
        in pages["studies/smith2022second.md"]
    )
    assert "Chen Lee, Dana Kim (2023). *Journal of Fiction*.\n" in pages["beta/index.md"]


def test_a_preprints_byline_gives_its_arxiv_id_and_not_arxivs_own_doi_too(make_project: MakeProject) -> None:
    text = (MINI / BIB).read_text(encoding="utf-8")
    old = "  eprint        = {2201.00001},\n"
    assert old in text
    bib = text.replace(old, old + "  doi           = {10.48550/arXiv.2201.00001},\n")
    page = build_site(make_project({BIB: bib})).pages["studies/smith2022second.md"]
    assert "Jones. 2022. *arXiv preprint*<span data-search-exclude>, arXiv:2201.00001</span>.\n" in page


@pytest.mark.parametrize(
    ("eprint", "month"),
    [
        ("2310.12931", "October 2023"),
        ("2310.12931v3", "October 2023"),
        ("0704.0001", "April 2007"),
        ("1912.01234", "December 2019"),
        ("hep-th/9901001", "January 1999"),
        ("math.GT/0309136", "September 2003"),
        (" 2201.00001 ", "January 2022"),
        ("2313.00001", ""),  # no month 13
        ("10.1234/x", ""),
        ("", ""),
    ],
)
def test_an_arxiv_ids_month_is_when_its_paper_was_first_submitted(eprint: str, month: str) -> None:
    assert arxiv_submitted(eprint) == month


def test_a_study_cited_at_a_venue_says_when_it_first_went_to_arxiv(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """Eureka's byline says ICLR 2024, its key 2023: a reader ordering studies by when they appeared
    had only the venue's year. A study cited at a venue with an arXiv id says the month its id gives,
    under the byline and out of the search index; one cited as the preprint does not repeat it."""
    text = (MINI / BIB).read_text(encoding="utf-8")
    old = "  journal = {Journal of Fiction},\n"
    assert old in text
    bib = text.replace(old, old + "  eprint  = {2211.01234},\n  archivePrefix = {arXiv},\n")
    project = make_project({BIB: bib})
    site = build_site(project)
    page = site.pages[PAGE]
    line = '<p class="survey-arxiv-date" data-search-exclude>First submitted to arXiv in November 2022.</p>'
    assert f"{byline(page)}\n\n{line}\n" in page
    preprint = site.pages["studies/smith2022second.md"]  # (cited as the preprint: its byline says so)
    assert "First submitted" not in preprint and "arXiv:2201.00001" in preprint
    assert "First submitted" not in site.pages["studies/mueller2021first.md"]  # (no arXiv id)
    # arXiv's by another name (a review's 'CoRR' with its volume 'abs/ID', no eprint: the id from its url)
    corr = text.replace(old, "  journal = {CoRR},\n  url = {https://arxiv.org/abs/2211.01234},\n").replace(
        "  volume  = {3},\n", "  volume  = {abs/2211.01234},\n"
    )
    for venue in ("CoRR", "arXiv", "arXiv e-prints"):
        (project.root / BIB).write_text(corr.replace("{CoRR}", "{" + venue + "}"), encoding="utf-8")
        named = build_site(project).pages[PAGE]
        assert "2211.01234" in named and "First submitted" not in named, (venue, byline(named))
    (project.root / BIB).write_text(bib, encoding="utf-8")
    (project.root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    out = tmp_path / "site"
    result = strict_build(project.root, out)
    assert result.returncode == 0, result.stderr
    assert (
        "First submitted to arXiv in November 2022." in (out / PAGE.replace(".md", "/index.html")).read_text()
    )
    assert "First submitted" not in (out / "search" / "search_index.json").read_text(encoding="utf-8")


def test_and_others_is_et_al_where_a_reader_sees_the_list_and_no_author_where_a_program_reads_one(
    make_project: MakeProject,
) -> None:
    """A short list ending 'and others' (BibTeX's word for authors not named): a maintainer's trial
    found an author called 'others' on the page, in the card, the RIS, the CSV, the JSON and the feed."""
    text = (MINI / BIB).read_text(encoding="utf-8")
    old = "author  = {Lee, Chen and Kim, Dana},"
    study = "content/studies/lee2023third.yaml"  # (a study the site added, and so in an edition's feed)
    added = (MINI / study).read_text(encoding="utf-8").replace("in_survey: true", "in_survey: false")
    site = build_site(
        make_project(
            {BIB: text.replace(old, "author  = {Lee, Chen and Kim, Dana and others},"), study: added}
        )
    )
    line = byline(site.pages[PAGE])
    assert line.startswith(
        "<span data-search-exclude>Chen</span> Lee, <span data-search-exclude>Dana</span> Kim et al. 2023."
    )
    assert "et al.." not in line
    files = texts(site.files)
    assert "Chen Lee, Dana Kim et al. (2023)" in site.pages["beta/index.md"]  # the study's card
    ris = files["downloads/studies/lee2023third.ris"]
    assert re.findall(r"^AU  - (.*)$", ris, re.MULTILINE) == ["Lee, Chen", "Kim, Dana"]
    assert "others" not in ris and "others" not in site.pages[PAGE].split("<h2", 1)[0].split("Cite", 1)[0]
    assert "rft.au=others" not in site.pages[PAGE] and "rft.au=Kim%2C%20Dana" in site.pages[PAGE]
    assert "and others" in files["downloads/studies.bib"]  # the entry itself is kept as written
    record = next(
        s for s in json.loads(files["downloads/studies.json"])["studies"] if s["key"] == "lee2023third"
    )
    assert record["authors"] == ["Chen Lee", "Dana Kim"] and record["more_authors"] is True
    others = [s["more_authors"] for s in json.loads(files["downloads/studies.json"])["studies"]]
    assert others.count(True) == 1
    jsonschema.validate(
        json.loads(files["downloads/studies.json"]), json.loads(files["downloads/studies.schema.json"])
    )
    row = next(
        r for r in csv.DictReader(io.StringIO(files["downloads/studies.csv"])) if r["key"] == "lee2023third"
    )
    assert row["authors"] == "Chen Lee; Dana Kim; et al."
    assert "<name>others</name>" not in files["feed.xml"] and "<name>Dana Kim</name>" in files["feed.xml"]


def test_a_sentence_takes_no_second_stop_after_a_venue_or_title_that_ends_one(
    make_project: MakeProject,
) -> None:
    """A maintainer's trial: 'journal = {Chem. Sci.}' was printed '*Chem. Sci.*.' on the study page and
    its search entry, and a title ending in '?' took a '.' after it on every card."""
    text = (MINI / BIB).read_text(encoding="utf-8")
    text = text.replace("title   = {Third Study},", "title   = {Third Study?},")
    text = text.replace("journal = {Journal of Fiction},\n  volume  = {3},\n  pages   = {1--10},",
                        "journal = {Chem. Sci.},")  # fmt: skip
    pages = build_site(make_project({BIB: text})).pages
    assert (
        pages[PAGE].split("**Third Study?**\n\n", 1)[1].split("\n", 1)[0].endswith("Kim. 2023. *Chem. Sci.*")
    )
    card = pages["beta/index.md"]
    assert "[Third Study?](../studies/lee2023third.md)\nChen Lee, Dana Kim (2023). *Chem. Sci.*\n" in card
    # Where nothing ends the sentence, the stop is there as before.
    assert "*arXiv preprint*.\n" in card


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        # A maintainer's trial: 'Song Han. 2017. Stanford University.', a thesis of what kind unsaid.
        ("journal = {Journal of Fiction},", "school  = {Stanford University},",
         "*PhD thesis, Stanford University*"),
        ("volume  = {3},", "number  = {TR-7},", "*Technical report TR-7, Inria*"),
        # Zotero's publisher = {arXiv} beside the eprint --strip writes: 'arXiv.' said no id.
        ("journal = {Journal of Fiction},",
         "publisher = {arXiv}, eprint = {2301.00003}, archivePrefix = {arXiv},",
         "*arXiv preprint*<span data-search-exclude>, arXiv:2301.00003</span>."),
        # biblatex's journaltitle, told by check as a warning, is the venue meanwhile.
        ("journal = {Journal of Fiction},", "journaltitle = {Journal of Fiction},", "*Journal of Fiction*"),
        # A second review: the entry's own type ('Habilitation'; biblatex's @thesis says which by it),
        # and a thesis of no school, said nothing.
        ("journal = {Journal of Fiction},", "school  = {Sorbonne}, type = {Habilitation},",
         "*Habilitation, Sorbonne*"),
        ("journal = {Journal of Fiction},", "type = {phdthesis},", "*PhD thesis*"),
        # A third review: biblatex's other types of a @report and a @thesis were shown as written.
        ("journal = {Journal of Fiction},", "institution = {CNRS}, type = {resreport},",
         "*Research report, CNRS*"),
        # A citer's trial: Google Scholar's journal, kept beside the eprint (classic styles print no
        # eprint), is shown as the arXiv preprint it says.
        ("journal = {Journal of Fiction},",
         "journal = {arXiv preprint arXiv:2301.00004}, eprint = {2301.00004}, archivePrefix = {arXiv},",
         "*arXiv preprint*<span data-search-exclude>, arXiv:2301.00004</span>."),
        # A fifth review: a journal naming another arXiv id than the eprint's was hidden.
        ("journal = {Journal of Fiction},",
         "journal = {arXiv preprint arXiv:2309.00009}, eprint = {2301.00004}, archivePrefix = {arXiv},",
         "*arXiv preprint arXiv:2309.00009*"),
    ],
)  # fmt: skip
def test_the_byline_says_what_a_thesis_or_report_is_and_reads_an_export_s_venue(
    make_project: MakeProject, old: str, new: str, shown: str
) -> None:
    text = (MINI / BIB).read_text(encoding="utf-8")
    assert old in text
    bib = text.replace(old, new)
    if "school" in new:
        bib = bib.replace("@article{lee2023third", "@phdthesis{lee2023third")
    if "TR-7" in new:
        bib = bib.replace("@article{lee2023third", "@techreport{lee2023third")
        bib = bib.replace("journal = {Journal of Fiction},", "institution = {Inria},")
    if "eprint" in new:
        bib = bib.replace("@article{lee2023third", "@misc{lee2023third")
    if "resreport" in new:
        bib = bib.replace("@article{lee2023third", "@report{lee2023third")
    if new == "type = {phdthesis},":
        bib = bib.replace("@article{lee2023third", "@thesis{lee2023third")
    page = build_site(make_project({BIB: bib})).pages[PAGE]
    assert shown in byline(page), byline(page)


@pytest.mark.parametrize(
    ("kind", "label"), [("software", "Software"), ("online", "Web page"), ("article", "Paper")]
)
def test_an_entry_s_address_is_named_for_what_it_is(make_project: MakeProject, kind: str, label: str) -> None:
    """A third trial: a software's and a web page's address were each linked as 'Paper'."""
    text = (MINI / BIB).read_text(encoding="utf-8")
    bib = text.replace("@article{lee2023third", f"@{kind}{{lee2023third").replace(
        "  year    = {2023},", "  year    = {2023},\n  url     = {https://example.org/third},"
    )
    page = build_site(make_project({BIB: bib})).pages[PAGE]
    assert f"[{label}](https://example.org/third)" in page, page


def test_an_address_given_as_howpublished_is_linked_not_shown_as_the_venue(make_project: MakeProject) -> None:
    """A third trial: 'howpublished = {\\url{...}}' was the venue, in italics, no link."""
    text = (MINI / BIB).read_text(encoding="utf-8")
    bib = text.replace("@article{lee2023third", "@misc{lee2023third").replace(
        "journal = {Journal of Fiction},", "howpublished = {\\url{https://example.org/third}},"
    )
    page = build_site(make_project({BIB: bib})).pages[PAGE]
    assert "[Paper](https://example.org/third)" in page and "*https://" not in byline(page), byline(page)


@pytest.mark.parametrize(("count", "marked"), [(10, False), (150, True)])
def test_a_long_record_is_marked_to_break_where_a_printed_page_ends(
    make_project: MakeProject, count: int, marked: bool
) -> None:
    """A print trial's record of 194 authors was kept whole on paper: moved to a page of its own, it
    broke all the same. A record of some 25 printed lines or more is marked to break (extra.css)."""
    page = build_site(make_project({BIB: with_authors(count)})).pages[PAGE]
    cite = re.search(r'<div class="(survey-cite[^"]*)"', page)
    assert cite is not None
    assert cite[1] == ("survey-cite survey-cite--long" if marked else "survey-cite")
