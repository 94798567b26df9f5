"""`surveysite format`: one BibTeX layout, nothing lost, broken files left alone."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveysite import formatting
from surveysite.bibliography import FIELD_ORDER, _written, format_entry, parse_bibtex
from surveysite.bibstyle import normalized
from surveysite.cli import main
from surveysite.formatting import formatted_bibtex
from surveysite.problems import Problems

from .conftest import MakeProject

# What every layout problem ends with (a maintainer's trial was told format 'changes no field').
FORMAT_HINT = (
    "run `surveysite format`, which lays the entries out, writes names 'Family, Given' and braces a title's "
    "capitals; it changes nothing the site shows"
)
MESSY = '% kept comment\n@MISC{abc2020x,\n    Title = "T  {RL}",\n  AUTHOR={A, B},YEAR=2020, Note={n}}\n'


def test_formatting_gives_the_project_layout() -> None:
    assert formatted_bibtex(MESSY, "x.bib") == (
        "% kept comment\n\n@misc{abc2020x,\n  author = {A, B},\n  title  = {T {RL}},\n"
        "  year   = {2020},\n  note   = {n}\n}\n",
        [],
    )


def test_formatting_is_idempotent_and_keeps_every_field() -> None:
    once, _ = formatted_bibtex(MESSY, "x.bib")
    assert once is not None
    assert formatted_bibtex(once, "x.bib") == (once, [])
    before = parse_bibtex(MESSY, "x.bib", Problems())[0]
    after = parse_bibtex(once, "x.bib", Problems())[0]
    assert before.fields == after.fields


MACROS = (
    "@string{neurips = {Advances in Neural Information Processing Systems}}\n\n"
    "@inproceedings{abc2020x,\n  booktitle = neurips, Title = {T}, author={A, B}, year = 2020, month = jan}\n"
)


def test_formatting_keeps_a_string_macro_as_written() -> None:
    """A maintainer's trial: format wrote each use of an @string macro out as its value, so the
    macro no longer changed the entries that used it. What was written bare stays bare."""
    once, problems = formatted_bibtex(MACROS, "x.bib")
    assert problems == []
    assert once == (
        "@string{neurips = {Advances in Neural Information Processing Systems}}\n\n"
        "@inproceedings{abc2020x,\n  author    = {A, B},\n  title     = {T},\n"
        "  booktitle = neurips,\n  year      = {2020},\n  month     = jan\n}\n"
    )
    assert formatted_bibtex(once, "x.bib") == (once, [])
    (record,) = parse_bibtex(once, "x.bib", Problems())  # what the site shows: the macro's value
    assert record.get("booktitle") == "Advances in Neural Information Processing Systems"
    assert (record.get("month"), record.get("year")) == ("jan", "2020")


def test_broken_file_is_not_touched(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    broken = MESSY + "@misc{bad2020, title = {unclosed\n"
    project = make_project({"bib/x.bib": broken})
    assert main(["--root", str(project.root), "format"]) == 1
    assert (project.bib / "x.bib").read_text() == broken
    assert "bib/x.bib:5: malformed BibTeX entry" in capsys.readouterr().out


def test_a_file_that_cannot_be_written_is_not_said_formatted_and_ends_with_status_2(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data-safety trial's read-only bib/: 'cannot write the file' (naming the temporary file), then
    'bib/x.bib: formatted', and status 1 where the help says 2."""
    project = make_project({"bib/x.bib": MESSY})

    def refused(*_: object) -> None:
        raise PermissionError(13, "Permission denied", str(project.bib / ".x.bib.tmp123"))

    monkeypatch.setattr(formatting, "write_text", refused)
    assert main(["--root", str(project.root), "format"]) == 2
    out = capsys.readouterr().out
    assert "bib/x.bib:1: cannot write the file: Permission denied; it was left as it is" in out
    assert "formatted" not in out and ".tmp123" not in out
    assert (project.bib / "x.bib").read_text() == MESSY


def test_a_read_only_file_is_not_replaced_and_a_file_keeps_its_owner(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A data-safety trial's `chmod 444` .bib file was formatted all the same (a new file renamed over
    it), and one formatted by root became root's. (As root, the test gives the file to another owner.)
    A file whose owner cannot write it is refused too (see files.write_text)."""
    project = make_project({"bib/x.bib": MESSY})
    path = project.bib / "x.bib"
    os.chown(path, 65534, 65534)  # (nobody's)
    assert main(["--root", str(project.root), "format"]) == 0
    assert path.read_text() != MESSY and (path.stat().st_uid, path.stat().st_gid) == (65534, 65534)
    capsys.readouterr()
    path.write_text(MESSY)
    path.chmod(0o444)  # (read-only by its mode, which holds for root too, who may write any file)
    assert main(["--root", str(project.root), "format"]) == 2
    assert "bib/x.bib:1: cannot write the file: bib/x.bib: the file is read-only" in capsys.readouterr().out
    assert path.read_text() == MESSY


def test_check_mode_names_the_first_line_that_would_change(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A contributor trial's CI failed on 'bib/studies.bib: needs formatting', naming no entry."""
    project = make_project()
    assert main(["--root", str(project.root), "format"]) == 0  # laid out, then one entry not
    bib = project.bib / "studies.bib"
    lines = bib.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("@article{lee2023third"))
    lines[at + 1] = "  author = {Chen Lee and Dana Kim},"  # 'First Last': the layout writes 'Last, First'
    bib.write_text("\n".join(lines) + "\n")
    capsys.readouterr()
    assert main(["--root", str(project.root), "format", "--check"]) == 1
    assert capsys.readouterr().out == (
        f"bib/studies.bib:{at + 2}: needs formatting from here on: that line would read '  author  = {{Lee, "
        f"Chen and Kim, Dana}},'; {FORMAT_HINT}\n"
    )


def test_check_mode_names_line_1_of_a_file_with_other_line_endings(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file saved with Windows' line endings is told so (a trial was told only that line 1 needed
    formatting); one that also needs formatting further on is told where, and of its line endings."""
    project = make_project()
    assert main(["--root", str(project.root), "format"]) == 0
    bib = project.bib / "studies.bib"
    formatted = bib.read_bytes()
    for text in (formatted, b"% A comment line, kept as written.\n\n" + formatted):  # (a review: not this)
        bib.write_bytes(text.replace(b"\n", b"\r\n"))
        capsys.readouterr()
        assert main(["--root", str(project.root), "format", "--check"]) == 1
        assert capsys.readouterr().out == (
            f"bib/studies.bib:1: its lines end in CRLF, as Windows writes them, not LF; {FORMAT_HINT}\n"
        )
    bib.write_bytes(formatted.replace(b"  title", b"  title  ", 1).replace(b"\n", b"\r\n"))
    line = formatted[: formatted.index(b"  title")].count(b"\n") + 1
    assert main(["--root", str(project.root), "format", "--check"]) == 1
    assert capsys.readouterr().out.startswith(
        f"bib/studies.bib:{line}: needs formatting from here on (and ends its lines in CRLF): that line "
    )
    bib.write_bytes(formatted.rstrip(b"\n"))  # no last line break
    lines = bib.read_text().count("\n") + 1
    assert main(["--root", str(project.root), "format", "--check"]) == 1
    assert capsys.readouterr().out.startswith(f"bib/studies.bib:{lines}: needs formatting from here on")


def test_format_keeps_the_byte_order_mark_a_file_begins_with(make_project: MakeProject) -> None:
    """A file that begins with a UTF-8 byte order mark keeps it, formatted or not."""
    project = make_project()
    assert main(["--root", str(project.root), "format"]) == 0
    bib = project.bib / "studies.bib"
    formatted = bib.read_bytes()
    bib.write_bytes(b"\xef\xbb\xbf" + formatted.replace(b"  title", b"  title  ", 1))
    assert main(["--root", str(project.root), "format"]) == 0
    assert bib.read_bytes() == b"\xef\xbb\xbf" + formatted
    assert main(["--root", str(project.root), "format", "--check"]) == 0


def test_check_mode_changes_nothing_and_fails(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project({"bib/x.bib": MESSY})
    assert main(["--root", str(project.root), "format", "--check"]) == 1
    assert (project.bib / "x.bib").read_text() == MESSY
    assert f"bib/x.bib:2: needs formatting from here on: that line would be blank; {FORMAT_HINT}\n" in (
        capsys.readouterr().out
    )
    capsys.readouterr()
    assert main(["--root", str(project.root), "format"]) == 0
    assert "bib/x.bib: formatted\n" in capsys.readouterr().out
    for options in ([], ["--check"]):  # a run with nothing to change says so (a trial read silence as none)
        assert main(["--root", str(project.root), "format", *options]) == 0
        assert capsys.readouterr() == (
            "",
            "Every .bib file is in the project's layout already; nothing to change.\n",
        )


FIELD_NAMES = st.sampled_from([*FIELD_ORDER, "archiveprefix", "primaryclass", "x", "keywords"])


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(["article", "inproceedings", "misc"]),
    st.dictionaries(FIELD_NAMES, st.text(alphabet="ab {}\\,=\"'%é", max_size=12), min_size=1, max_size=8),
)
def test_entries_are_laid_out_as_bibtexparsers_writer_lays_them_out(
    entry_type: str, fields: dict[str, str]
) -> None:
    ordered = list(fields.items())
    assert format_entry(entry_type, "key1", ordered) == _written(entry_type, "key1", ordered, frozenset())


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("{\\L}ukasz Kaiser", "Kaiser, {\\L}ukasz"),  # a maintainer's trial: kept as 'First Last'
        ('{\\"O}mer Faruk', 'Faruk, {\\"O}mer'),
        ("{Google Brain}", "{Google Brain}"),  # a body's name, braced whole
        ("{OpenAI} Team", "{OpenAI} Team"),
    ],
)
def test_a_name_beginning_with_an_accented_letter_is_written_last_name_first(name: str, written: str) -> None:
    assert normalized("author", name) == written


def test_a_layout_problem_shows_the_line_as_formatted_around_where_it_differs() -> None:
    """Of a long line, the part around its first difference, marked where cut; of a line holding a
    character no terminal should be sent, its escape."""
    old = "  title  = {" + "Word " * 60 + "GPU}"
    new = "  title  = {" + "Word " * 60 + "{GPU}}"
    shown = formatting._would_read([old], [new], 1)
    assert shown.startswith(": that line would read '...") and shown.endswith("{GPU}}'")
    assert len(shown) < len(": that line would read ''") + formatting.SHOWN_WIDTH + 10
    assert formatting._would_read(["x"], ["  note = {a\x1b[31mb}"], 1) == (
        ": that line would read '  note = {a\\x1b[31mb}'"
    )
    assert formatting._would_read(["a", "b"], ["a"], 2) == ""  # (no line there once formatted)


def test_a_layout_problem_at_a_files_end_says_what_would_change_there(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: a file that lacked its last line break, or had blank lines after its last entry, was
    told of a line as it already read ("that line would read '}'")."""
    project = make_project()
    assert main(["--root", str(project.root), "format"]) == 0
    bib = project.bib / "studies.bib"
    formatted = bib.read_text()
    last = formatted.count("\n")
    for text, expected in (
        (
            formatted.rstrip("\n"),
            f"bib/studies.bib:{last}: needs formatting from here on: a line break would end it; ",
        ),
        (
            formatted + "\n\n",
            f"bib/studies.bib:{last + 1}: needs formatting from here on: the lines from here on would go; ",
        ),
    ):
        bib.write_text(text)
        capsys.readouterr()
        assert main(["--root", str(project.root), "format", "--check"]) == 1
        assert capsys.readouterr().out == expected + FORMAT_HINT + "\n"


def test_a_layout_problems_line_escapes_only_what_does_not_print() -> None:
    """A review: the whole line was escaped for one control character, its backslashes doubled and its
    accents written as codes, so it no longer read as the line would."""
    shown = formatting._would_read(["x"], ['  title = {M{\\"u}ller \u00e9t\u00e9 \u202e$\\alpha$}'], 1)
    assert shown == ": that line would read '  title = {M{\\\"u}ller \u00e9t\u00e9 \\u202e$\\alpha$}'"
