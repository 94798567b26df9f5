"""A study's optional `note`: a remark for readers, shown on its page and beside its citation."""

from __future__ import annotations

import pytest

from surveysite.build import build_site, load_catalog

from .conftest import MINI, MakeProject, edit, messages

THIRD = "content/studies/lee2023third.yaml"
NOTE = "The proceedings list the authors in another order than arXiv."


def with_note(note: str) -> str:
    text = (MINI / THIRD).read_text()
    assert "facets:" in text
    return text.replace("facets:", f"note: {note}\nfacets:", 1)


def test_note_is_read_with_its_spaces_folded(make_project: MakeProject) -> None:
    project = make_project({THIRD: with_note(f">-\n  {NOTE.replace(' than', chr(10) + '  than')}")})
    assert messages(project) == []
    assert load_catalog(project).study("lee2023third").annotation.note == NOTE


def test_note_is_shown_on_the_study_page_and_beside_its_citation(make_project: MakeProject) -> None:
    pages = build_site(make_project({THIRD: with_note(NOTE)})).pages
    assert f'!!! note "Note"\n    {NOTE}\n' in pages["studies/lee2023third.md"]
    # In a paragraph of its own, after the citation: a reader's trial copied the citation with the
    # note run on from it.
    assert f"Chen Lee, Dana Kim (2023). *Journal of Fiction*.\n\n*Note:* {NOTE}\n\n" in pages["beta/index.md"]


def test_study_without_note_shows_none(make_project: MakeProject) -> None:
    pages = build_site(make_project()).pages
    assert '!!! note "Note"' not in pages["studies/lee2023third.md"]


def test_note_markup_stays_text(make_project: MakeProject) -> None:
    pages = build_site(make_project({THIRD: with_note("'<b>first</b> *author*'")})).pages
    assert "&lt;b&gt;first&lt;/b&gt; \\*author\\*" in pages["studies/lee2023third.md"]


def test_note_that_is_not_text_is_reported(make_project: MakeProject) -> None:
    assert messages(make_project({THIRD: with_note("[a, b]")})) == [
        f"{THIRD}:7: 'note' should be text, found a list; quote it"
    ]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://aclanthology.org/2024.acl-long.662", True),  # the published version, beside arXiv
        ("https://arxiv.org/pdf/2201.00001.pdf", False),  # the arXiv page's, once more
        ("http://www.arxiv.org/abs/2201.00001/", False),
    ],
)
def test_a_study_links_its_url_unless_it_is_a_link_it_has(
    make_project: MakeProject, url: str, shown: bool
) -> None:
    """A reader trial found 42 studies whose bib gives the published version's address beside an
    arXiv id, and pages linking arXiv alone."""
    project = make_project()
    edit(project, "bib/studies.bib", "url           = {https://arxiv.org/abs/2201.00001}", f"url = {{{url}}}")
    page = build_site(project).pages["studies/smith2022second.md"]
    assert "[arXiv](https://arxiv.org/abs/2201.00001)" in page
    assert (f"[Paper]({url})" in page) == shown


def test_arxiv_s_own_doi_of_a_preprint_is_no_second_link_to_it(make_project: MakeProject) -> None:
    """A contributor's trial added a preprint with arXiv's DOI of it: its page linked 'DOI' and 'arXiv',
    both to the same arXiv page. Another DOI is linked as ever."""
    project = make_project()
    bib = project.root / "bib" / "studies.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(
        text.replace(
            "  eprint        = {2201.00001},",
            "  doi           = {10.48550/arXiv.2201.00001},\n  eprint        = {2201.00001},",
        )
    )
    page = build_site(project).pages["studies/smith2022second.md"]
    assert "- [arXiv](https://arxiv.org/abs/2201.00001)" in page and "](https://doi.org/" not in page
    assert (
        "- [DOI](https://doi.org/10.1234/fict.2021.1)"
        in build_site(project).pages["studies/mueller2021first.md"]
    )
