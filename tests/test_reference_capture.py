"""Capture into reference managers: COinS spans on node, study and About pages; RIS downloads."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, quote

import pytest
import rispy
from hypothesis import given
from hypothesis import strategies as st

from surveysite.bibliography import parse_bibtex
from surveysite.build import Project, build_site, load_catalog
from surveysite.capture import Citable, coins, context_object, ris_name, ris_record, url_quoted
from surveysite.model import Catalog
from surveysite.paths import ALL_STUDIES_RIS, class_ris, node_page, study_ris
from surveysite.problems import Problems
from surveysite.references import family_names, make_reference, person_names

from .conftest import MINI, ROOT, MakeProject, edit, messages

SPAN = re.compile(r'<span class="Z3988" title="([^"]*)"></span>')


def spans(page: str) -> list[dict[str, list[str]]]:
    """Every COinS span of an HTML page, as its decoded ContextObject."""
    return [parse_qs(html.unescape(title), strict_parsing=True) for title in SPAN.findall(page)]


def title_of(context: dict[str, list[str]]) -> str:
    return (context.get("rft.atitle") or context["rft.btitle"])[0]


@pytest.fixture(scope="module")
def real(built_site: tuple[Path, str]) -> tuple[Path, Catalog]:
    return built_site[0], load_catalog(Project.at(ROOT))


def test_each_node_page_has_a_coins_span_for_exactly_its_studies(real: tuple[Path, Catalog]) -> None:
    site, catalog = real
    for node in catalog.taxonomy.nodes:
        found = spans((site / node.path / "index.html").read_text(encoding="utf-8"))
        expected = sorted(s.reference.title for s in catalog.studies_under(node.path))
        assert sorted(title_of(c) for c in found) == expected, node.path
        assert all(c["ctx_ver"] == ["Z39.88-2004"] for c in found)


def test_each_study_page_has_one_coins_span_with_authors_venue_year_and_ids(
    real: tuple[Path, Catalog],
) -> None:
    site, catalog = real
    for study in catalog.studies:
        ref = study.reference
        (context,) = spans((site / "studies" / study.key / "index.html").read_text(encoding="utf-8"))
        assert title_of(context) == ref.title
        families = ref.families or ("",) * len(ref.authors)
        assert context.get("rft.au", []) == [
            ris_name(a, f) for a, f in zip(ref.authors, families, strict=True)
        ]
        month = Citable.of(ref).month()  # the year, and the month where the entry gives one
        assert context["rft.date"] == [f"{ref.year}-{month:02d}" if month else str(ref.year)]
        ids = context.get("rft_id", [])
        assert (f"info:doi/{ref.doi}" in ids) == bool(ref.doi)
        assert (f"info:arxiv/{ref.arxiv}" in ids) == bool(ref.arxiv)
        if ref.venue:
            assert ref.venue in context.get("rft.jtitle", []) + context.get("rft.btitle", [])


def test_no_page_carries_highwire_citation_tags(built_site: tuple[Path, str]) -> None:
    tagged = [p for p in built_site[0].rglob("*.html") if 'name="citation_' in p.read_text(encoding="utf-8")]
    assert tagged == []


def test_about_page_carries_the_surveys_own_record(built_site: tuple[Path, str]) -> None:
    (context,) = spans((built_site[0] / "about" / "index.html").read_text(encoding="utf-8"))
    assert context["rft_id"] == ["info:doi/10.1613/jair.1.15960", "info:arxiv/2402.01874"]
    assert context["rft.jtitle"] == ["Journal of Artificial Intelligence Research"]
    assert (context["rft.volume"], context["rft.spage"], context["rft.epage"]) == (["80"], ["1525"], ["1573"])
    assert context["rft.au"][0] == "Pternea, Moschoula" and len(context["rft.au"]) == 7
    assert title_of(context).startswith("The RL/LLM Taxonomy Tree: Reviewing Synergies")


@pytest.mark.parametrize(
    ("given", "found"),
    [
        (
            "  volume: 12\n  pages: 101--130\n",
            {"rft.volume": ["12"], "rft.spage": ["101"], "rft.epage": ["130"]},
        ),
        ("  volume: '4'\n", {"rft.volume": ["4"]}),
        ("", {}),
    ],
)
def test_an_editions_record_gives_its_volume_and_pages(
    make_project: MakeProject, given: str, found: dict[str, list[str]]
) -> None:
    """A reader's trial: the survey's record on the About page had no volume or pages to capture."""
    project = make_project()
    edit(project, "content/survey.yaml", "  year: 2022\n", "  year: 2022\n" + given)
    pages = build_site(project).pages
    title = ["A Fictional Review of <Everything> & More"]
    (context,) = [c for page in pages.values() for c in spans(page) if c.get("rft.atitle") == title]
    assert {k: v for k, v in context.items() if k in ("rft.volume", "rft.spage", "rft.epage")} == found


def test_a_volume_of_no_value_is_told(make_project: MakeProject) -> None:
    project = make_project()
    edit(project, "content/survey.yaml", "  year: 2022\n", "  year: 2022\n  volume: [1]\n")
    assert "content/survey.yaml:9: 'volume' should be like 12" in messages(project)


def test_coins_are_url_encoded_and_html_escaped() -> None:
    work = Citable("article", 'A & B = "C" <script>', ("Ann O'Neil", "Bo Li"), 2020, "J. of X&Y",
                   "10.1/a&b", None, None)  # fmt: skip
    span = coins(work)
    assert "<script>" not in span and '"C"' not in span and "& " not in span
    (context,) = spans(span)
    assert context["rft.atitle"] == ['A & B = "C" <script>']
    assert context["rft.au"] == ["O'Neil, Ann", "Li, Bo"]  # family name first, as reference managers split it
    assert context["rft.jtitle"] == ["J. of X&Y"]
    assert context["rft_id"] == ["info:doi/10.1/a&b"]


def test_a_conference_paper_is_a_book_item_and_a_link_only_paper_gives_its_url() -> None:
    paper = Citable("inproceedings", "T", ("A",), 2021, "Proc. C", None, None, "https://example.org/p")
    context = parse_qs(context_object(paper))
    assert context["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:book"]
    assert context["rft.btitle"] == ["Proc. C"] and context["rft.atitle"] == ["T"]
    assert context["rft_id"] == ["https://example.org/p"]


def test_a_records_address_is_its_doi_else_the_entrys_url_else_its_arxiv_page() -> None:
    """A reader's trial: InstructGPT's BibTeX gave its NeurIPS page as url, its RIS record the arXiv page."""
    published = "https://proceedings.neurips.cc/paper/x"
    paper = Citable("inproceedings", "T", ("A",), 2022, "NeurIPS", None, "2203.02155", published)
    assert rispy.loads(ris_record(paper))[0]["urls"] == [published]
    preprint = Citable("misc", "T", ("A",), 2022, "", None, "2203.02155", None)
    assert rispy.loads(ris_record(preprint))[0]["urls"] == ["https://arxiv.org/abs/2203.02155"]
    with_doi = Citable("article", "T", ("A",), 2022, "J", "10.1/x", "2203.02155", published)
    assert rispy.loads(ris_record(with_doi))[0]["urls"] == ["https://doi.org/10.1/x"]


def test_ris_downloads_parse_and_hold_every_study(real: tuple[Path, Catalog]) -> None:
    site, catalog = real
    every = rispy.loads((site / ALL_STUDIES_RIS).read_text(encoding="utf-8"))
    assert [r["id"] for r in every] == [s.key for s in catalog.studies]
    for node in (n for n in catalog.taxonomy.nodes if n.parent is None):
        records = rispy.loads((site / class_ris(node.path)).read_text(encoding="utf-8"))
        assert [r["id"] for r in records] == [s.key for s in catalog.studies_under(node.path)]
    for study in catalog.studies:
        ref = study.reference
        (record,) = rispy.loads((site / study_ris(study.key)).read_text(encoding="utf-8"))
        assert record["title"] == ref.title
        families = ref.families or ("",) * len(ref.authors)
        for written, shown, family in zip(record.get("authors", []), ref.authors, families, strict=True):
            last, comma, given = written.partition(", ")  # 'Family, Given': as reference managers split it
            assert (f"{given.partition(', ')[0]} {last}" if comma else last) == shown.partition(", ")[0]
            family_part = family.partition(", ")[0] or shown.partition(", ")[0].rpartition(" ")[2]
            assert last == family_part or not comma
            assert comma or " " not in shown or family == shown  # only a one-word name or a body stays whole
        assert record["year"] == str(ref.year)
        assert record.get("doi") == ref.doi
        kinds = {"article": "JOUR", "inproceedings": "CPAPER", "incollection": "CHAP", "book": "BOOK"}
        kind = ref.entry_type.lower()
        preprint = ref.arxiv and kind not in kinds  # e.g. @misc with an arXiv id
        assert record["type_of_reference"] == ("UNPB" if preprint else kinds.get(kind, "GEN"))


def test_study_page_links_its_ris_file_next_to_the_bibtex(real: tuple[Path, Catalog]) -> None:
    site, catalog = real
    study = catalog.studies[0]
    page = (site / "studies" / study.key / "index.html").read_text(encoding="utf-8")
    cite = page[page.index('id="cite"') :]
    assert f'href="../../downloads/studies/{study.key}.ris"' in cite[: cite.index("<pre")]


def test_ris_writes_each_author_family_name_first() -> None:
    """A trial maintainer found 'AU  - María de la Cruz', which reference managers split at the last
    space (family 'Cruz'), and 'Google Research' taken for given name 'Google'."""
    authors = (
        r"Sch{\"u}tt, Kristof T. and {de la Cruz}, Mar{\'\i}a and {Google Research} and Doe, Jr., John and "
        r"van Beethoven, Ludwig and Plato"
    )
    work = Citable("article", "T", person_names(authors), 2020, "", families=family_names(authors))
    assert rispy.loads(ris_record(work))[0]["authors"] == [
        "Schütt, Kristof T.", "de la Cruz, María", "Google Research", "Doe, John, Jr.",
        "van Beethoven, Ludwig", "Plato",
    ]  # fmt: skip


def test_a_journal_articles_volume_issue_pages_and_publisher_are_captured() -> None:
    """A reader trial found them left out of RIS and COinS, though the bib gives them."""
    (record,) = parse_bibtex(
        "@article{a2025x,\n  author = {Guo, Daya}, title = {T}, journal = {Nature}, year = {2025},\n"
        "  volume = {645}, number = {8081}, pages = {633--638}, publisher = {Springer {N}ature}\n}\n",
        "x.bib",
        Problems(),
    )
    work = Citable.of(make_reference(record))
    (ris,) = rispy.loads(ris_record(work))
    assert (ris["volume"], ris["number"], ris["start_page"], ris["end_page"]) == ("645", "8081", "633", "638")
    assert ris["publisher"] == "Springer Nature"
    context = parse_qs(context_object(work))
    assert [context[k] for k in ("rft.volume", "rft.issue", "rft.spage", "rft.epage", "rft.pub")] == [
        ["645"],
        ["8081"],
        ["633"],
        ["638"],
        ["Springer Nature"],
    ]
    report = Citable(
        "techreport", "T", ("A B",), 2020, "", details=(("number", "TR-7"), ("pages", "e2021-0123"))
    )
    assert "IS  -" not in ris_record(report) and "SP  - e2021-0123\n" in ris_record(
        report
    )  # a report's own number
    single = Citable("article", "T", ("A B",), 2020, "J", details=(("pages", "7"),))
    assert rispy.loads(ris_record(single))[0]["start_page"] == "7" and "EP  -" not in ris_record(single)


@pytest.mark.parametrize(
    ("entry", "where", "kind"),
    [
        ("@phdthesis{han2017x,\n author = {Han, Song}, title = {T}, school = {Stanford University}, "
         "year = {2017}}", "Stanford University", "THES"),
        ("@mastersthesis{han2015x,\n author = {Han, Song}, title = {T}, school = {{MIT}}, year = {2015}}",
         "MIT", "THES"),
        ("@techreport{krizhevsky2009x,\n author = {Krizhevsky, Alex}, title = {T}, institution = "
         "{University of Toronto}, year = {2009}}", "University of Toronto", "RPRT"),
        ("@thesis{han2016x,\n author = {Han, Song}, title = {T}, institution = {ETH Z{\\\"u}rich}, type = "
         "{phdthesis}, year = {2016}}", "ETH Zürich", "THES"),
        ("@report{inria2020x,\n author = {Roe, Rick}, title = {T}, institution = {Inria}, year = {2020}}",
         "Inria", "RPRT"),
        # (A review: a report's publisher was given, and its institution, the page's venue, nowhere.)
        ("@techreport{x2020x,\n author = {Roe, Rick}, title = {T}, institution = {Inria}, publisher = {P}, "
         "year = {2020}}", "Inria", "RPRT"),
        # (A second review: a report of arXiv's, with its eprint, was published by 'arXiv preprint'.)
        ("@techreport{x2021x,\n author = {Roe, Rick}, title = {T}, institution = {arXiv}, eprint = "
         "{2101.05555}, year = {2021}}", "arXiv", "RPRT"),
    ],
)  # fmt: skip
def test_a_thesis_s_school_and_a_report_s_institution_are_its_venue_and_publisher(
    entry: str, where: str, kind: str
) -> None:
    """A maintainer's trial found a thesis shown as 'Song Han. 2017.' and a report as 'Alex Krizhevsky.
    2009.', their school and institution in the BibTeX download only (not in RIS, CSV, JSON or COinS)."""
    (record,) = parse_bibtex(entry, "x.bib", Problems())
    reference = make_reference(record)
    assert reference.venue == where
    work = Citable.of(reference)
    (ris,) = rispy.loads(ris_record(work))
    assert ris["type_of_reference"] == kind
    assert (ris["publisher"], "journal_name" in ris, "secondary_title" in ris) == (where, False, False)
    context = parse_qs(context_object(work))
    assert (context["rft.btitle"], context["rft.pub"], "rft.atitle" in context) == (["T"], [where], False)


def test_an_eprint_of_another_archive_than_arxiv_is_no_arxiv_id() -> None:
    """biblatex's eprinttype names the archive as archivePrefix does (DBLP's and Better BibTeX's exports
    write it): an eprint of HAL's is not linked as arXiv's; one of arXiv's is."""
    entry = "@misc{a2020x,\n author = {A, B}, title = {T}, year = {2020}, eprint = {%s}, eprinttype = {%s}}"
    (hal,) = parse_bibtex(entry % ("hal-01234567", "HAL"), "x.bib", Problems())
    (arxiv,) = parse_bibtex(entry % ("2001.01234", "arXiv"), "x.bib", Problems())
    assert (make_reference(hal).arxiv, make_reference(arxiv).arxiv) == (None, "2001.01234")


def test_ris_puts_the_authors_after_the_title_and_leaves_out_empty_values() -> None:
    work = Citable("article", "T", ("Ann Lee", "", "  ", "Bo\nKim"), 2020, "J", "10.1/x", None, None, key="k")
    assert ris_record(work) == (
        "TY  - JOUR\nID  - k\nTI  - T\nAU  - Lee, Ann\nAU  - Bo Kim\nPY  - 2020\nT2  - J\nDO  - 10.1/x\n"
        "UR  - https://doi.org/10.1/x\nER  - \n"
    )
    authors = parse_qs(context_object(work), keep_blank_values=True)["rft.au"]
    assert authors == ["Lee, Ann", "", "  ", "Bo\nKim"]


def test_ris_gives_a_journal_and_proceedings_by_the_tags_reference_managers_read_them_from() -> None:
    """A citing trial: Zotero's RIS reader took 'JO - Nature' for the journal's abbreviation, and a
    conference paper's T2 for the conference's name, which left its APA reference with no venue. A
    journal is given as T2, its full title; proceedings as T2 and C3, Zotero's proceedings title."""
    article = Citable("article", "T", ("Ann Lee",), 2020, "Nature", None, None, None)
    (read,) = rispy.loads(ris_record(article))
    assert (read["secondary_title"], "journal_name" in read, "custom3" in read) == ("Nature", False, False)
    paper = Citable("inproceedings", "T", ("Ann Lee",), 2020, "Proceedings of X", None, None, None)
    (read,) = rispy.loads(ris_record(paper))
    assert (read["type_of_reference"], read["secondary_title"], read["custom3"]) == (
        "CPAPER",
        "Proceedings of X",
        "Proceedings of X",
    )


def test_ris_values_stay_on_one_line() -> None:
    record = ris_record(Citable("misc", "Two\nlines", ("A\nB",), None, "", None, "2101.00001", None))
    assert rispy.loads(record)[0]["title"] == "Two lines"
    assert "\nER  - \n" in record and record.startswith("TY  - UNPB\n")


def test_mini_node_pages_count_their_studies_in_the_markdown() -> None:
    site = build_site(Project.at(MINI))
    catalog = load_catalog(Project.at(MINI))
    for node in catalog.taxonomy.nodes:
        assert len(spans(site.pages[node_page(node.path)])) == len(catalog.studies_under(node.path))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_coins_values_are_percent_encoded_as_urllib_encodes_them(text: str) -> None:
    assert url_quoted(text) == quote(text, safe="")


def test_coins_encoding_keeps_only_unreserved_characters() -> None:
    expected = "M%C3%BCller%2C%20J.%20%26%20~a_b.c-d%2F%C3%A9%3F%3D%25"
    assert url_quoted("Müller, J. & ~a_b.c-d/é?=%") == expected


@pytest.mark.parametrize(
    ("month", "date"),
    [("mar", "2023/03//"), ("{March}", "2023/03//"), ("{Mar.}", "2023/03//"), ("{12}", "2023/12//"),
     ("{Spring}", None), (None, None),
     ("{²}", None), ("{①}", None)],  # (digits to str.isdigit, no number to int: a hostile-input review's
    # traceback in every build) (a month numbered 13 is refused where it is read)
)  # fmt: skip
def test_a_month_the_entry_gives_is_captured_with_the_year(month: str | None, date: str | None) -> None:
    """A reader trial found the month left out of RIS; COinS gave the year alone too."""
    field = f",\n  month = {month}" if month else ""
    (record,) = parse_bibtex(
        "@inproceedings{a2023x,\n  author = {Lee, Ann}, title = {T}, booktitle = {B}, year = {2023}"
        + field
        + "\n}\n",
        "x.bib",
        Problems(),
    )
    work = Citable.of(make_reference(record))
    (ris,) = rispy.loads(ris_record(work))
    assert ris["year"] == "2023" and ris.get("date") == date
    context = parse_qs(context_object(work))
    assert context["rft.date"] == [date[:7].replace("/", "-") if date else "2023"]


@pytest.mark.parametrize(("kind", "ris"), [("software", "COMP"), ("online", "ELEC"), ("misc", "GEN")])
def test_software_and_web_pages_are_such_to_ris(kind: str, ris: str) -> None:
    """A third trial: software and web pages were RIS's generic works."""
    (record,) = parse_bibtex(
        f"@{kind}{{a2023x,\n author = {{Roe, Rick}}, title = {{T}}, year = {{2023}}, url = {{https://example.org/t}}}}",
        "x.bib",
        Problems(),
    )
    (read,) = rispy.loads(ris_record(Citable.of(make_reference(record))))
    assert (read["type_of_reference"], read["urls"]) == (ris, ["https://example.org/t"])


def test_a_software_s_publisher_is_no_container() -> None:
    """A review: a @software's publisher was given twice in RIS, once as its container (T2), and in
    COinS as the book it was part of."""
    (record,) = parse_bibtex(
        "@software{a2023x,\n author = {Roe, Rick}, title = {Tool}, publisher = {Zenodo}, year = {2023}}",
        "x.bib",
        Problems(),
    )
    work = Citable.of(make_reference(record))
    (read,) = rispy.loads(ris_record(work))
    assert (read["publisher"], "secondary_title" in read) == ("Zenodo", False)
    context = parse_qs(context_object(work))
    assert (context["rft.btitle"], "rft.atitle" in context) == (["Tool"], False)


def test_a_preprint_journal_s_repeated_id_is_no_volume_and_a_software_s_place_its_publisher() -> None:
    """A fifth review: DBLP's kept 'CoRR' gave RIS 'VL - abs/ID' and ADS's 'SP - arXiv:ID'; a software's
    'howpublished = {GitHub repository}' was given nowhere in RIS."""
    (corr, software) = parse_bibtex(
        "@article{a2022x,\n author = {Roe, Rick}, title = {T}, journal = {CoRR}, volume = {abs/2202.00002},"
        " eprint = {2202.00002}, archivePrefix = {arXiv}, year = {2022}}\n"
        "@software{b2023x,\n author = {Roe, Rick}, title = {Tool}, howpublished = {GitHub repository},"
        " year = {2023}}\n",
        "x.bib",
        Problems(),
    )
    (read,) = rispy.loads(ris_record(Citable.of(make_reference(corr))))
    assert ("volume" in read, read.get("secondary_title")) == (False, "arXiv preprint")
    (read,) = rispy.loads(ris_record(Citable.of(make_reference(software))))
    assert read["publisher"] == "GitHub repository"
