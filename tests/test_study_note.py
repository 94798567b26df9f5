"""A study's optional `note`: a remark for readers, shown on its page and beside its citation."""

from __future__ import annotations

from surveysite.build import build_site, load_catalog

from .conftest import MINI, MakeProject, messages

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
    assert f"Chen Lee, Dana Kim (2023). *Journal of Fiction*. {NOTE}\n" in pages["beta/index.md"]


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
