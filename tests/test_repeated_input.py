"""Input that repeats one thing many times costs work in proportion to its size, not to its square.

A resource-exhaustion review found each of these within the documented limits: a field named again and
again in one entry (a file of 0.8 MB took `check` 48 s), a study file of thousands of unknown facets
(6 s a file), a line of '- - - ...' (98 KB, 29 s) and a paper repeating its crossref (160 KB, `new` 254 s).
Each test counts the work the repeated part sets off, which grew with the square of the repeats.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from pathlib import Path

import pytest
from bibtexparser import model as bibtex_model

from surveysite import model, scaffold
from surveysite.cli import main
from surveysite.problems import MAX_PER_FILE, Location
from surveysite.yamlfile import _KEY_AND_VALUE

from .conftest import MakeProject, messages

REPEATS = 150  # (fewer than problems.MAX_PER_FILE: every one is told)


def test_a_field_named_again_and_again_is_told_with_each_field_read_a_few_times(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each repeated name's lines were looked for among all the entry's fields."""
    fields = "".join(f"  f{number // 2} = {{x}},\n" for number in range(2 * REPEATS))
    entry = (
        "@misc{doe2020many,\n  author = {Doe, Jane},\n  title = {Many},\n  year = {2020},\n" + fields + "}\n"
    )
    reads = 0
    real = bibtex_model.Field.key

    def counted(field: bibtex_model.Field) -> str:
        nonlocal reads
        reads += 1
        return str(real.fget(field))  # type: ignore[attr-defined]

    project = make_project({"bib/studies.bib": None, "bib/x.bib": entry})
    monkeypatch.setattr(bibtex_model.Field, "key", property(counted, real.fset))  # type: ignore[attr-defined]
    found = messages(project)
    told = [m for m in found if "appears twice in one entry" in m]
    assert len(told) == REPEATS
    assert told[0] == "bib/x.bib:6: field 'f0' appears twice in one entry; keep one"  # at the second
    assert (
        told[-1]
        == f"bib/x.bib:{4 + 2 * REPEATS}: field 'f{REPEATS - 1}' appears twice in one entry; keep one"
    )
    assert reads < 30 * 2 * REPEATS  # (a scan of the fields for each name: 2 * REPEATS * REPEATS)


def test_a_study_file_of_many_unknown_facets_reads_its_table_of_lines_once(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each problem's line was looked up in the file's table of lines, unpacked again each time."""
    project = make_project()
    study = next(project.content.glob("studies/*.yaml"))
    text = study.read_text(encoding="utf-8")
    unknown = "".join(f"  unknown{number}: x\n" for number in range(REPEATS))
    study.write_text(text.replace("facets:\n", "facets:\n" + unknown, 1), encoding="utf-8")
    first = text.split("\n").index("facets:") + 2
    unpacked = 0

    class Counted:
        @staticmethod
        def loads(data: bytes) -> object:
            nonlocal unpacked
            unpacked += 1
            return marshal.loads(data)

        dumps = staticmethod(marshal.dumps)

    model._line_table.cache_clear()
    monkeypatch.setattr(model, "marshal", Counted)
    found = [m for m in messages(project) if "unknown facet" in m]
    assert len(found) == REPEATS
    assert found[0].startswith(f"content/studies/{study.name}:{first}: unknown facet 'unknown0'")
    assert unpacked < 10


@pytest.mark.parametrize(
    ("line", "lead", "key"),
    [("- - key: v", "- - ", "key"), ("- -x: v", "- ", "-x"), ("  - a: b", "  - ", "a"), ("-x: v", "", "-x")],
)
def test_a_key_never_starts_at_a_list_items_dash(line: str, lead: str, key: str) -> None:
    """Were a dash and its space taken for a key's start, a line of '- - - ...' was read again from each
    dash: quadratic. Every item's dash is the lead's; a key may still begin with a dash and no space."""
    found = _KEY_AND_VALUE.match(line)
    assert found is not None and found.groups() == (lead, key)
    assert _KEY_AND_VALUE.match("- - : x") is None  # (a key of '- ' once)
    assert _KEY_AND_VALUE.match("- " * 20_000) is None


@pytest.fixture
def fields_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    read: list[str] = []
    real = scaffold._fields_of

    def counted(block: str, readable: bool = True) -> dict[str, str]:
        read.append(block[:30])
        return real(block, readable)

    monkeypatch.setattr(scaffold, "_fields_of", counted)
    yield read


def test_a_paper_repeating_its_crossref_is_read_once(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path, fields_read: list[str]
) -> None:
    """The paper's fields were read again for each of its crossref fields."""
    project = make_project()
    paper = "@inproceedings{doe2024new,\n  author = {Doe, Jane},\n  title = {A New Study},\n"
    paper += "  crossref = {conf24},\n" * REPEATS + "}\n"
    volume = "@proceedings{conf24,\n  title = {Proceedings of Some Conference},\n  year = {2024},\n}\n"
    given = tmp_path / "dblp.bib"
    given.write_text(paper + "\n" + volume, encoding="utf-8")
    assert main(["--root", str(project.root), "new", str(given)]) == 1  # the field repeated: refused
    err = capsys.readouterr().err
    assert f"{given}:5: field 'booktitle' appears twice in one entry; keep one" in err
    assert 0 < len(fields_read) < 10  # (once for each crossref: REPEATS + 1)


def test_a_file_of_more_problems_than_are_told_is_told_how_many_more(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review's 360 study files of thousands of unknown keys each: 2.2 GB of problems kept."""
    project = make_project()
    study = next(project.content.glob("studies/*.yaml"))
    text = study.read_text(encoding="utf-8")
    many = MAX_PER_FILE + 250
    unknown = "".join(f"  unknown{number}: x\n" for number in range(many))
    study.write_text(text.replace("facets:\n", "facets:\n" + unknown, 1), encoding="utf-8")
    first = text.split("\n").index("facets:") + 2
    found = messages(project)
    shown = f"content/studies/{study.name}"
    assert len(found) == MAX_PER_FILE + 1
    assert found[-2].startswith(
        f"{shown}:{first + MAX_PER_FILE - 1}: unknown facet 'unknown{MAX_PER_FILE - 1}'"
    )
    assert found[-1] == (
        f"{shown}:{first + MAX_PER_FILE - 1}: and 250 more problem(s) in this file, not told here: mend "
        "those told and run again"
    )
    assert main(["--root", str(project.root), "check"]) == 1
    err = capsys.readouterr().err
    assert f"{many} problem(s) found." in err  # every one counted


def test_a_taxonomy_finds_each_of_its_nodes_without_reading_them_all() -> None:
    """Each node asked for was found by a table of every node made for it: at 6,000 nodes, a build's
    pages took 37 s (10 s with the table made once)."""

    class Counted(tuple):  # type: ignore[type-arg]
        walks = 0

        def __iter__(self) -> Iterator[model.Node]:
            Counted.walks += 1
            return super().__iter__()

    nodes = Counted(
        model.Node(f"n{number}", f"N{number}", "", "", (), Location("content/taxonomy.yaml", number + 1))
        for number in range(REPEATS)
    )
    taxonomy = model.Taxonomy(nodes, ())
    Counted.walks = 0
    assert [taxonomy.node(f"n{number}").name for number in range(REPEATS)] == [
        f"N{n}" for n in range(REPEATS)
    ]
    assert Counted.walks == 1


def test_a_bib_file_of_more_problems_than_are_told_is_counted_whole(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: the count of a .bib file's problems, kept from its check as the ones told and a line
    counting the rest, was read back as one more problem ('201 problem(s) found' for 30,000)."""
    many = MAX_PER_FILE + 50
    fields = "".join(f"  f{number // 2} = {{x}},\n" for number in range(2 * many))
    entry = (
        "@misc{doe2020many,\n  author = {Doe, Jane},\n  title = {Many},\n  year = {2020},\n" + fields + "}\n"
    )
    project = make_project({"bib/studies.bib": None, "bib/x.bib": entry})
    others = [m for m in messages(project) if not m.startswith("bib/x.bib:")]  # (the study files' entries)
    for _ in range(2):  # (the second from what the first kept)
        assert main(["--root", str(project.root), "check"]) == 1
        out, err = capsys.readouterr()
        assert "bib/x.bib:" in out and "and 50 more problem(s) in this file" in out
        assert f"{many + len(others)} problem(s) found." in err
