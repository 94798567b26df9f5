"""`surveysite new`: adds studies safely, all or none, refuses duplicates; stubs fail `check` until filled."""

from __future__ import annotations

import datetime
import io
import shutil
from pathlib import Path

import pytest

from surveysite.bibliography import load_bibliography, parse_part
from surveysite.cli import MAX_ENTRY_BYTES, main
from surveysite.problems import Problems
from surveysite.rules import Rules, check_record
from surveysite.scaffold import _stood_in, study_stub
from surveysite.taxonomy import load_taxonomy

from .conftest import MakeProject, messages

ENTRY = """@inproceedings{doe2024new,
 author={Doe, Jane and Roe, Rick},
 title={A New {RL} Study},
 booktitle={Some Conference},
 year={2024},
 eprint={2401.00001}, archivePrefix={arXiv}}
"""


def run_new(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    root: str,
    text: str,
    *options: str,
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    code = main(["--root", root, "new", *options])
    out, err = capsys.readouterr()
    return code, out, err


def test_new_appends_entry_and_creates_a_stub_that_check_refuses(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    before = (project.bib / "studies.bib").read_text()
    code, out, err = run_new(monkeypatch, capsys, str(project.root), ENTRY)
    assert (code, err) == (0, "")
    assert out == (
        "Added 'doe2024new' to bib/studies.bib, in the site's BibTeX layout (as `surveysite format` writes "
        "it: names 'Last, First', words a style must keep in capitals braced).\n"
        "Created content/studies/doe2024new.yaml: replace every TODO, then run `surveysite check`.\n"
    )
    assert (project.bib / "studies.bib").read_text() == before + (
        "\n@inproceedings{doe2024new,\n  author        = {Doe, Jane and Roe, Rick},\n"
        "  title         = {A New {RL} Study},\n  booktitle     = {Some Conference},\n"
        "  year          = {2024},\n  eprint        = {2401.00001},\n  archivePrefix = {arXiv}\n}\n"
    )
    stub = (project.content / "studies" / "doe2024new.yaml").read_text()
    assert f"added: {datetime.date.today().isoformat()}" in stub
    assert messages(project) == [
        "content/studies/doe2024new.yaml:1: 'name' still says TODO; fill it in",
        "content/studies/doe2024new.yaml:3: 'categories' still says TODO; fill it in",
        "content/studies/doe2024new.yaml:7: 'summary' still says TODO; fill it in",
        "content/studies/doe2024new.yaml:11: 'facets.model' still says TODO; fill it in",
        "content/studies/doe2024new.yaml:12: 'facets.feedback' still says TODO; fill it in",
        "content/studies/doe2024new.yaml:13: 'facets.code' still says TODO; fill it in",
        "content/studies/doe2024new.yaml:15: 'links.code' still says TODO; fill it in, or delete the line",
    ]


def test_the_stub_of_an_edition_asks_whether_the_original_survey_reviews_the_study(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edition = make_project()
    run_new(monkeypatch, capsys, str(edition.root), ENTRY)
    stub = (edition.content / "studies" / "doe2024new.yaml").read_text()
    assert "\nin_survey: false  # true only if the 2022 review reviews the study\n" in stub


def test_the_stub_of_a_survey_of_its_own_has_no_in_survey(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = make_project()
    survey = plain.root / "content" / "survey.yaml"
    survey.write_text("title: Plain\n")
    run_new(monkeypatch, capsys, str(plain.root), ENTRY)
    assert "in_survey" not in (plain.content / "studies" / "doe2024new.yaml").read_text()


def test_the_stub_of_a_survey_without_facets_has_no_facets_line(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review's survey of no facets got a stub with an empty 'facets:' line, which the taxonomy no
    longer needs (bc9409a)."""
    project = make_project()
    taxonomy = project.root / "content" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(text[: text.index("facets:")] + text[text.index("tree:") :], encoding="utf-8")
    run_new(monkeypatch, capsys, str(project.root), ENTRY)
    stub = (project.content / "studies" / "doe2024new.yaml").read_text()
    assert "facets" not in stub and "summary: >-" in stub


def test_filled_stub_passes_check(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    run_new(monkeypatch, capsys, str(project.root), ENTRY)
    study = project.content / "studies" / "doe2024new.yaml"
    filled = (
        study.read_text()
        .replace("name: TODO", "name: New")
        .replace("- TODO", "- beta")
        .replace("TODO: 2-4", "In 2-4")
        .replace("model: [TODO]", "model: [Model-A]")
        .replace("feedback: [TODO]", "feedback: [human]")
        .replace("code: [TODO]", "code: no")
        .replace("code: TODO", "code: https://example.org/new")
    )
    study.write_text(filled)
    assert messages(project) == []


DUPLICATES = {
    "same-key": (
        ENTRY.replace("doe2024new", "lee2023third"),
        "<stdin>:1: key 'lee2023third' is already the key of an entry (bib/studies.bib:19); give this entry "
        "another\nnothing was added",
    ),
    "same-doi": (
        ENTRY.replace("eprint={2401.00001}", "doi={10.1234/FICT.2021.1}"),
        "<stdin>:1: this paper is already here as 'mueller2021first' (bib/studies.bib:2, same DOI)"
        "\nnothing was added",
    ),
    "same-arxiv-id": (
        ENTRY.replace("2401.00001", "2201.00001"),
        "<stdin>:1: this paper is already here as 'smith2022second' (bib/studies.bib:10, same arXiv id)"
        "\nnothing was added",
    ),
    "same-arxiv-id-another-version": (
        ENTRY.replace("2401.00001", "2201.00001v3"),
        "<stdin>:1: this paper is already here as 'smith2022second' (bib/studies.bib:10, same arXiv id)"
        "\nnothing was added",
    ),
    "same-title": (
        ENTRY.replace("A New {RL} Study", "third study"),
        "<stdin>:1: this paper is already here as 'lee2023third' (bib/studies.bib:19, same title)"
        "\nnothing was added",
    ),
}


def test_new_never_overwrites_a_study_file(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project({"content/studies/doe2024new.yaml": "name: mine\n"})
    code, _, err = run_new(monkeypatch, capsys, str(project.root), ENTRY)
    assert (code, err) == (
        1,
        "surveysite: content/studies/doe2024new.yaml already exists; not overwritten (if it is this entry's, "
        "add the entry to bib/ yourself and run `surveysite format`; else give the entry another key)\n"
        "nothing was added\n",
    )
    assert (project.content / "studies" / "doe2024new.yaml").read_text() == "name: mine\n"


def test_new_adds_nothing_after_an_entry_whose_braces_do_not_close(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hostile-input trial's bib/studies.bib ended in an entry whose title never closed: `new` added
    its entry inside that one, which check then reported as one malformed entry."""
    project = make_project()
    bib = project.bib / "studies.bib"
    bib.write_text(bib.read_text() + "\n@misc{open2024,\n  title = {Open,\n  year = {2024},\n}\n")
    before = bib.read_text()
    line = before.count("\n", 0, before.index("@misc{open2024")) + 1
    code, _, err = run_new(monkeypatch, capsys, str(project.root), ENTRY)
    assert (code, err) == (
        1,
        f"surveysite: bib/studies.bib:{line}: this block's braces do not close, so what is added after it "
        "would be read as part of it; mend it (`surveysite check` tells how), then add again; nothing was "
        "added\n",
    )
    assert bib.read_text() == before and not (project.content / "studies" / "doe2024new.yaml").exists()


def test_new_rejects_bad_bibtex_with_its_line(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    code, _, err = run_new(monkeypatch, capsys, str(project.root), ENTRY.replace("year={2024},", ""))
    assert (code, err) == (
        1,
        "surveysite: <stdin>:1: entry 'doe2024new' has no 'year' field; add it\nnothing was added\n",
    )
    assert not (project.content / "studies" / "doe2024new.yaml").exists()


def test_new_names_the_file_it_read_in_every_message(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    entry = tmp_path / "entry.bib"
    entry.write_text(ENTRY.replace("year={2024},", ""), encoding="utf-8")
    assert main(["--root", str(project.root), "new", "--bibtex", str(entry)]) == 1
    assert capsys.readouterr().err == (
        f"surveysite: {entry}:1: entry 'doe2024new' has no 'year' field; add it\nnothing was added\n"
    )
    missing = tmp_path / "missing.bib"
    assert main(["--root", str(project.root), "new", "--bibtex", str(missing)]) == 2
    assert capsys.readouterr().err == (
        f"surveysite: cannot read the BibTeX entry from {missing}: No such file or directory\n"
    )
    entry.write_bytes(b"@misc{doe2024new,\n  author={Jos\xe9},\n}\n")
    assert main(["--root", str(project.root), "new", "--bibtex", str(entry)]) == 1
    assert capsys.readouterr().err == (
        f"surveysite: {entry}:2: byte 0xe9 is not UTF-8; save the entry as UTF-8. Nothing was added.\n"
    )
    assert not (project.content / "studies" / "doe2024new.yaml").exists()


def test_the_stub_offers_no_unknown_value_for_a_facet_the_rules_require(make_project: MakeProject) -> None:
    """A contributor trial was offered 'not stated' for facets that the survey's rules then refused."""
    project = make_project()
    taxonomy = load_taxonomy(project.root, project.content / "taxonomy.yaml", Problems())
    lines = study_stub(taxonomy, "2026-01-01", "code", ("feedback", "code")).splitlines()
    feedback = next(line for line in lines if line.startswith("  feedback:"))
    code = next(line for line in lines if line.startswith("  code:"))
    model = next(line for line in lines if line.startswith("  model:"))
    assert feedback.endswith("one or more of: human, environment")
    assert code.endswith("one of: yes, no")
    assert model.endswith("a list of terms; or not stated or not checked")
    lines = study_stub(taxonomy, "2026-01-01", "code").splitlines()
    assert next(line for line in lines if line.startswith("  code:")).endswith(
        "one of: yes, no, not stated, not checked"
    )


def test_new_refuses_an_entry_the_surveys_rules_refuse_before_writing_anything(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A contributor trial's 'doe_2099-example' was added, then refused by check: two files to rename."""
    project = make_project()
    survey = project.root / "content" / "survey.yaml"
    survey.write_text(survey.read_text() + "rules:\n  key_style: author-year-word\n")
    before = (project.bib / "studies.bib").read_text()
    code, _, err = run_new(
        monkeypatch, capsys, str(project.root), ENTRY.replace("doe2024new", "doe_2024-new")
    )
    assert code == 1
    assert err.startswith("surveysite: <stdin>:1: key 'doe_2024-new' is not surname, year and title word")
    assert err.endswith("\nnothing was added\n")
    assert (project.bib / "studies.bib").read_text() == before
    assert not (project.content / "studies" / "doe_2024-new.yaml").exists()
    assert run_new(monkeypatch, capsys, str(project.root), ENTRY.replace("doe2024new", "doe2024new"))[0] == 0


def test_new_reads_no_more_than_one_entry_can_be(
    make_project: MakeProject,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A hostile-input trial gave `new --bibtex /dev/zero`: it read until its memory ran out."""
    project = make_project()
    bib_before = (project.root / "bib").joinpath("studies.bib").read_bytes()
    endless = Path("/dev/zero")
    assert main(["--root", str(project.root), "new", "--bibtex", str(endless)]) == 1
    assert capsys.readouterr().err == (
        f"surveysite: {endless}: more than {MAX_ENTRY_BYTES:,} bytes, more than the entries of a batch; "
        "give the entries to add, a few hundred at a time. Nothing was added.\n"
    )
    code, _, err = run_new(monkeypatch, capsys, str(project.root), ENTRY + "%" * MAX_ENTRY_BYTES)
    assert (code, err.startswith("surveysite: <stdin>: more than")) == (1, True)
    assert (project.root / "bib" / "studies.bib").read_bytes() == bib_before
    assert not (project.content / "studies" / "doe2024new.yaml").exists()
    code, _, _ = run_new(
        monkeypatch, capsys, str(project.root), ENTRY + "%" * (MAX_ENTRY_BYTES - len(ENTRY) - 1)
    )
    assert code == 0  # up to the limit, read whole


SECOND = """@article{roe2025other,
 author={Roe, Rick},
 title={Another Study},
 journal={Some Journal},
 year={2025},
 doi={10.1234/other.5678}}
"""


def test_new_adds_several_entries_at_once(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial had a batch exported from a reference manager and had to split it."""
    project = make_project()
    before = (project.bib / "studies.bib").read_text()
    code, out, err = run_new(monkeypatch, capsys, str(project.root), ENTRY + "\n" + SECOND)
    assert (code, err) == (0, "")
    assert out == (
        "Added 2 entries to bib/studies.bib, in the site's BibTeX layout (as `surveysite format` writes it: "
        "names 'Last, First', words a style must keep in capitals braced): doe2024new, roe2025other.\n"
        "Created 2 study files: in each, replace every TODO, then run `surveysite check`.\n"
        "  content/studies/doe2024new.yaml\n  content/studies/roe2025other.yaml\n"
    )
    added = (project.bib / "studies.bib").read_text()
    assert added.startswith(before) and added.count("\n@") == before.count("\n@") + 2
    assert "@article{roe2025other," in added and added.endswith("}\n")
    found = messages(project)
    for key in ("doe2024new", "roe2025other"):
        assert f"content/studies/{key}.yaml:1: 'name' still says TODO; fill it in" in found
    assert not [m for m in found if "TODO" not in m]


@pytest.mark.parametrize("after", [False, True])
def test_new_interrupted_adds_nothing_or_everything_and_says_so_without_a_traceback(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    after: bool,
) -> None:
    """A data-safety trial's Ctrl-C came after `new` had created 329 study files and before it replaced
    bib/studies.bib: the files stayed, without their entries (the next `new` refused them as existing),
    and Python printed its traceback. Interrupted before the entries are in, it takes the files back;
    after (`after`), everything is kept, and the run says what it added (it had said 'interrupted')."""
    import surveysite.scaffold as scaffold

    project = make_project()
    bib = project.bib / "studies.bib"
    before = bib.read_bytes()
    studies = sorted((project.content / "studies").iterdir())
    replace = scaffold.write_text

    def interrupted(*args: object) -> None:
        if after:
            replace(*args)  # type: ignore[arg-type]
        raise KeyboardInterrupt

    monkeypatch.setattr(scaffold, "write_text", interrupted)
    code, out, err = run_new(monkeypatch, capsys, str(project.root), ENTRY + "\n" + SECOND)
    assert "Traceback" not in out + err
    if after:
        assert code == 0 and "interrupted" not in err and "doe2024new.yaml" in out + err, out + err
    else:
        assert (code, err) == (130, "surveysite: new interrupted\n")
    now = sorted((project.content / "studies").iterdir())
    if after:
        assert bib.read_bytes().startswith(before) and bib.read_bytes() != before
        assert {p.name for p in now} - {p.name for p in studies} == {"doe2024new.yaml", "roe2025other.yaml"}
    else:
        assert bib.read_bytes() == before and now == studies


def test_new_interrupted_as_it_opens_a_study_file_leaves_no_empty_file(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review's Ctrl-C came between the open that made a study file and the file's being noted as
    made: the empty file stayed, and the next `new` refused it as existing."""
    project = make_project()
    studies = sorted((project.content / "studies").iterdir())
    real = Path.open

    def opened(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        handle = real(self, mode, *args, **kwargs)  # type: ignore[call-overload]
        if mode == "x" and self.name == "roe2025other.yaml":
            handle.close()
            raise KeyboardInterrupt
        return handle

    monkeypatch.setattr(Path, "open", opened)
    code, _, err = run_new(monkeypatch, capsys, str(project.root), ENTRY + "\n" + SECOND)
    assert (code, err) == (130, "surveysite: new interrupted\n")
    assert sorted((project.content / "studies").iterdir()) == studies


def test_new_that_cannot_write_adds_nothing_names_the_file_and_ends_with_status_2(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A data-safety trial's read-only bib/: status 1 (the help says 2 for a file not written), and
    the message named the temporary file the entries were first written to."""
    import surveysite.scaffold as scaffold

    project = make_project()
    before = (project.bib / "studies.bib").read_bytes()
    studies = sorted((project.content / "studies").iterdir())

    def refused(*_: object) -> None:
        raise PermissionError(13, "Permission denied", str(project.bib / ".studies.bib.x1y2"))

    monkeypatch.setattr(scaffold, "write_text", refused)
    code, _, err = run_new(monkeypatch, capsys, str(project.root), ENTRY)
    assert code == 2
    assert err == "surveysite: cannot write bib/studies.bib: Permission denied; nothing was added\n"
    assert (project.bib / "studies.bib").read_bytes() == before
    assert sorted((project.content / "studies").iterdir()) == studies


def test_new_keeps_the_line_endings_of_a_file_saved_on_windows(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial added entries to a .bib file with CRLF line endings, and got a file with both."""
    project = make_project()
    bib = project.bib / "studies.bib"
    bib.write_bytes(bib.read_bytes().replace(b"\n", b"\r\n"))
    before = bib.read_bytes()
    code, _, err = run_new(monkeypatch, capsys, str(project.root), ENTRY + "\n" + SECOND)
    assert (code, err) == (0, "")
    added = bib.read_bytes()
    assert added.startswith(before) and added.count(b"\r\n@") == before.count(b"\r\n@") + 2
    assert added.count(b"\n") == added.count(b"\r\n")  # every line ends as the file's did
    assert messages(project) and all("TODO" in m for m in messages(project))


def test_new_keeps_the_byte_order_mark_a_file_begins_with(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A .bib file saved with a UTF-8 byte order mark (as some Windows editors save) keeps it."""
    project = make_project()
    bib = project.bib / "studies.bib"
    before = b"\xef\xbb\xbf" + bib.read_bytes()
    bib.write_bytes(before)
    code, _, err = run_new(monkeypatch, capsys, str(project.root), ENTRY)
    assert (code, err) == (0, "")
    added = bib.read_bytes()
    assert added.startswith(before) and added.count(b"\xef\xbb\xbf") == 1 and len(added) > len(before)


def test_new_takes_entries_that_begin_with_a_byte_order_mark(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trial's file saved with a byte order mark was refused: 'text outside any entry' of a character
    no one could see."""
    project = make_project()
    code, _, err = run_new(monkeypatch, capsys, str(project.root), "\ufeff" + ENTRY)
    assert (code, err) == (0, "")
    assert "\ufeff" not in (project.bib / "studies.bib").read_text(encoding="utf-8")


def test_new_takes_files_joined_each_with_its_byte_order_mark(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cat a.bib b.bib | surveysite new`, each file saved with a byte order mark: the second mark was
    refused as 'text outside any entry' of a character no one could see."""
    project = make_project()
    second = ENTRY.replace("doe2024new", "roe2024other").replace("2401.00001", "2401.00002")
    second = second.replace("A New {RL} Study", "Another Study")
    code, _, err = run_new(monkeypatch, capsys, str(project.root), "\ufeff" + ENTRY + "\ufeff" + second)
    assert (code, err) == (0, "")
    text = (project.bib / "studies.bib").read_text(encoding="utf-8")
    assert "\ufeff" not in text and "doe2024new" in text and "roe2024other" in text


def test_new_says_it_waits_for_entries_typed_at_a_terminal(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trial's `surveysite new` in a terminal waited without a word for what it was to be given."""
    project = make_project()

    class Terminal(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal(io.BytesIO(ENTRY.encode("utf-8")), encoding="utf-8"))
    assert main(["--root", str(project.root), "new"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("surveysite: reading BibTeX entries typed or pasted here; end with Ctrl-D")
    assert "surveysite new --bibtex FILE" in err
    _, _, quiet = run_new(monkeypatch, capsys, str(project.root), SECOND)  # not a terminal: no word of it
    assert "typed or pasted" not in quiet


def test_new_tells_a_batch_s_field_faults_and_its_paper_faults_in_one_run(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial was told of an entry's abstract, mended it, and only then of another entry's
    key already in bib/ (check tells every problem at once)."""
    project = make_project()
    files = {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()}
    faulty = ENTRY.replace("year={2024},", "year={2024}, abstract={Copied.},")
    text = faulty + "\n" + SECOND.replace("roe2025other", "smith2022second")
    code, out, err = run_new(monkeypatch, capsys, str(project.root), text)
    assert (code, out) == (1, "")
    assert err == (
        "surveysite: <stdin>:5: field 'abstract' is not kept in bib/; delete it\n"
        "<stdin>:8: key 'smith2022second' is already the key of an entry (bib/studies.bib:10); give this "
        f"entry another\n{STRIP_ABSTRACT}\nnothing was added\n"
    )
    assert {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()} == files
    # A study file already there is told with them too (a review found it held back a run).
    shutil.rmtree(project.root)
    project = make_project({"content/studies/roe2025other.yaml": "name: mine\n"})
    code, out, err = run_new(monkeypatch, capsys, str(project.root), faulty + "\n" + SECOND)
    assert (code, out) == (1, "")
    assert err == (
        "surveysite: <stdin>:5: field 'abstract' is not kept in bib/; delete it\n"
        "content/studies/roe2025other.yaml already exists; not overwritten (if it is this entry's, add the "
        "entry to bib/ yourself and run `surveysite format`; else give the entry another key)\n"
        f"{STRIP_ABSTRACT}\nnothing was added\n"
    )


STRIP_ABSTRACT = (
    "(`surveysite new --strip` leaves out abstract, which the site does not keep; the file you give is "
    "not changed)"
)
ZOTERO = """@article{smith2023walk,
	title = {Learning to Walk},
	author = {Smith, Jane and Doe, John},
	year = {2023},
	journal = {Journal of Tests},
	abstract = {We show {that} walking is learnt, by 20\\% more},
	file = {Full Text PDF:/home/jane/Zotero/storage/ABCD/Smith.pdf:application/pdf},
	annote = {read this},
	keywords = {to-read, /unread},
	urldate = {2025-03-01},
	issn = {1234-5678},
}
@inproceedings{roe2024other,
	author = {Roe, Rick},
	title = {Another Study},
	booktitle = {Some Conference},
	year = {2024},
	owner = {jane},
	pdf = {https://example.org/other.pdf},
}
"""


def test_new_strip_adds_an_export_s_entries_without_the_fields_the_site_does_not_keep(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """A maintainer's trial pasted a Zotero export and was refused its abstract, file and annote fields
    in every entry, to delete by hand; `--strip` leaves them out of the copy, says which, and leaves the
    file given as it was. A 'pdf' at a web address is the paper's, and stays."""
    project = make_project()
    before = (project.bib / "studies.bib").read_text()
    code, out, err = run_new(monkeypatch, capsys, str(project.root), ZOTERO)
    assert (code, out) == (1, "")
    assert err.endswith(
        "(`surveysite new --strip` leaves out abstract, file, annote and owner, which the site does not "
        "keep, and keywords and urldate, which a reference manager adds of its own; the file you give is "
        "not changed)\nnothing was added\n"
    )
    given = tmp_path / "export.bib"
    given.write_text(ZOTERO)
    code = main(["--root", str(project.root), "new", "--strip", "--bibtex", str(given)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith(
        f"Left out, as --strip asks ({given} is not changed):\n"
        "  smith2023walk: abstract (line 6), file (line 7), annote (line 8), keywords (line 9), "
        "urldate (line 10)\n"
        "  roe2024other: owner (line 18)\n"
        "Added 2 entries to bib/studies.bib"
    )
    assert given.read_text() == ZOTERO
    added = (project.bib / "studies.bib").read_text().removeprefix(before)
    assert added == (
        "\n@article{smith2023walk,\n  author  = {Smith, Jane and Doe, John},\n"
        "  title   = {Learning to Walk},\n  journal = {Journal of Tests},\n  year    = {2023},\n"
        "  issn    = {1234-5678}\n}\n"
        "\n@inproceedings{roe2024other,\n  author    = {Roe, Rick},\n  title     = {Another Study},\n"
        "  booktitle = {Some Conference},\n  year      = {2024},\n"
        "  pdf       = {https://example.org/other.pdf}\n}\n"
    )
    assert sorted(p.name for p in (project.content / "studies").glob("*2023walk.yaml")) == [
        "smith2023walk.yaml"
    ]


def test_the_strip_hint_names_bibdesk_s_and_mendeley_s_refused_fields(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: a BibDesk link to a file on the computer and Mendeley's tags, which the site refuses,
    were counted among the fields a reference manager adds and the site keeps, and no hint was given."""
    exported = ENTRY.replace(
        "year={2024},", "year={2024}, bdsk-file-1={YnBsaXN0MDDUAQ}, mendeley-tags={to-read},"
    )
    code, out, err = run_new(monkeypatch, capsys, str(make_project().root), exported)
    assert (code, out) == (1, "")
    assert err.endswith(
        "(`surveysite new --strip` leaves out bdsk-file-1 and mendeley-tags, which the site does not keep; "
        "the file you give is not changed)\nnothing was added\n"
    )


def test_new_strip_still_refuses_what_is_wrong_besides(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--strip leaves out what the site does not keep, and nothing else: an entry with no year is refused
    as without it, and nothing is added."""
    project = make_project()
    files = {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()}
    monkeypatch.setattr(
        "sys.stdin",
        io.TextIOWrapper(io.BytesIO(ZOTERO.replace("\tyear = {2023},\n", "").encode()), encoding="utf-8"),
    )
    code = main(["--root", str(project.root), "new", "--strip"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert (
        err == "surveysite: <stdin>:1: entry 'smith2023walk' has no 'year' field; add it\nnothing was added\n"
    )
    assert {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()} == files


BATCH_FAULTS = {
    "the same paper twice": (
        ENTRY + SECOND + SECOND.replace("roe2025other", "roe2025again"),
        "surveysite: <stdin>:13: this paper is given twice, as 'roe2025other' at line 7 too (same DOI)\n"
        "(`surveysite new --skip-existing` leaves out each paper already here, or given twice, and adds the "
        "rest)\n"
        "nothing was added\n",
    ),
    "one entry already here": (
        SECOND + ENTRY.replace("doe2024new", "smith2022second"),
        "surveysite: <stdin>:7: key 'smith2022second' is already the key of an entry (bib/studies.bib:10)",
    ),
    "every fault at once": (  # a trial mended a batch one rerun per fault
        ENTRY.replace("2401.00001", "2201.00001") + SECOND + SECOND.replace("roe2025other", "roe2025again"),
        "surveysite: <stdin>:1: this paper is already here as 'smith2022second' (bib/studies.bib:10, same "
        "arXiv id)\n<stdin>:13: this paper is given twice, as 'roe2025other' at line 7 too (same DOI)\n"
        "(`surveysite new --skip-existing` leaves out each paper already here, or given twice, and adds the "
        "rest)\n"
        "nothing was added\n",
    ),
    "one entry faulty": (
        SECOND + ENTRY.replace("year={2024},", ""),
        "surveysite: <stdin>:7: entry 'doe2024new' has no 'year' field; add it\n",
    ),
    "one study file already there": (
        SECOND + ENTRY,
        "surveysite: content/studies/doe2024new.yaml already exists",
    ),
}


BATCH_FAULTS["a @string the file defines otherwise, named in other letters"] = (  # BibTeX ignores case
    "@string{Venue = {Another Venue}}\n" + SECOND.replace("journal={Some Journal}", "journal=venue"),
    "surveysite: <stdin>:1: @string 'venue' is {Another Venue} here but {The Venue} in bib/studies.bib:1; "
    "give it the file's value, or a name of its own\n",
)
BATCH_FAULTS["a @string the file defines otherwise"] = (
    "@string{venue = {Another Venue}}\n" + SECOND.replace("journal={Some Journal}", "journal=venue"),
    "surveysite: <stdin>:1: @string 'venue' is {Another Venue} here but {The Venue} in bib/studies.bib:1; "
    "give it the file's value, or a name of its own\n",
)

BATCH_FAULTS["a macro that neither the entries nor the file define"] = (  # the file holds a @string
    SECOND.replace("journal={Some Journal}", "journal=nowhere"),
    "surveysite: <stdin>:4: field 'journal' is 'nowhere', which no @string of these entries or "
    "bib/studies.bib defines; define it here (@string{nowhere = {...}}), or write journal = {...}\n",
)


REFUSED = {
    **{name: (text, f"surveysite: {said}\n") for name, (text, said) in DUPLICATES.items()},
    **BATCH_FAULTS,
}


@pytest.mark.parametrize("text,expected", REFUSED.values(), ids=REFUSED.keys())
def test_an_entry_or_a_batch_with_a_fault_adds_nothing(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    expected: str,
) -> None:
    project = make_project(
        {"content/studies/doe2024new.yaml": "name: mine\n"} if "already exists" in expected else {}
    )
    if "@string" in expected:
        bib = project.bib / "studies.bib"
        bib.write_text("@string{venue = {The Venue}}\n\n" + bib.read_text())
    files = {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()}
    code, out, err = run_new(monkeypatch, capsys, str(project.root), text)
    assert (code, out) == (1, "") and err.startswith(expected), err
    assert {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()} == files


MACRO_ENTRY = """@string{nips = {Advances in Neural Information Processing Systems}}

@inproceedings{doe2024new,
 author={Doe, Jane and Roe, Rick},
 title={A New {RL} Study},
 booktitle=nips,
 year={2024}, month=jan,
 eprint={2401.00001}, archivePrefix={arXiv}}
"""


@pytest.mark.parametrize("defined", ["with the entry", "in the file", "in both, quoted in one"])
def test_new_keeps_a_macro_as_written_and_its_definition(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    defined: str,
) -> None:
    """A trial's entry used a @string macro: `new` wrote its value out and dropped the definition, and
    refused a macro that bib/studies.bib defines (it read its input alone)."""
    project = make_project()
    bib = project.bib / "studies.bib"
    definition, entry = MACRO_ENTRY.split("\n\n")
    if defined == "in the file":
        bib.write_text(definition + "\n\n" + bib.read_text())
    elif defined == "in both, quoted in one":  # the same value: defined once
        bib.write_text(definition.replace("{Adv", '"Adv').replace("s}}", 's"}') + "\n\n" + bib.read_text())
    before = bib.read_text()
    code, out, err = run_new(
        monkeypatch, capsys, str(project.root), entry if defined == "in the file" else MACRO_ENTRY
    )
    assert (code, err) == (0, "") and out.startswith("Added 'doe2024new'"), err
    added = bib.read_text()[len(before) :]
    assert "  booktitle     = nips,\n" in added and "  month         = jan,\n" in added
    assert added.count("@string{nips") == (1 if defined == "with the entry" else 0)
    assert bib.read_text().count("@string{nips") == 1
    if defined == "with the entry":
        assert added.index("@string{nips") < added.index("@inproceedings{doe2024new")
    found = messages(project)  # the build reads the macro's value
    assert not [m for m in found if "TODO" not in m], found
    records = {r.key: r for r in load_bibliography(project.root, project.bib, Problems())}
    assert (
        dict(records["doe2024new"].fields)["booktitle"] == "Advances in Neural Information Processing Systems"
    )


def test_new_makes_the_studies_folder_that_git_did_not_keep_and_check_takes_it_for_no_study(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new maintainer's trial removed the example study with git, which then removed its folder (a
    clone never has an empty one): check said 'content/studies:1: folder is missing' with no way out,
    and `new` refused to add a study."""
    project = make_project()
    shutil.rmtree(project.content / "studies")
    (project.bib / "studies.bib").write_text("", encoding="utf-8")
    assert not [m for m in messages(project) if m.startswith("content/studies")]
    code, out, err = run_new(monkeypatch, capsys, str(project.root), ENTRY)
    assert (code, err) == (0, "") and "Created content/studies/doe2024new.yaml" in out
    assert sorted(p.name for p in (project.content / "studies").iterdir()) == ["doe2024new.yaml"]


def test_new_takes_back_the_studies_folder_it_made_when_a_write_fails(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    shutil.rmtree(project.content / "studies")
    before = (project.bib / "studies.bib").read_bytes()

    def failing(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("surveysite.scaffold.write_text", failing)
    code, _, err = run_new(monkeypatch, capsys, str(project.root), ENTRY)
    assert code == 2 and err.endswith("No space left on device; nothing was added\n"), err
    assert not (project.content / "studies").exists()
    assert (project.bib / "studies.bib").read_bytes() == before


def test_new_adds_an_entry_with_a_misspelled_field_and_says_so_at_once(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A field name one letter off a known one is a warning, as `check` gives it: the entry is added,
    and the one adding it is told now, with the line it came from, not at the next check only."""
    project = make_project()
    code, out, err = run_new(
        monkeypatch, capsys, str(project.root), ENTRY.replace("booktitle=", "booktitel=")
    )
    assert code == 0 and out.startswith("Added 'doe2024new' to bib/studies.bib, in the site's BibTeX layout")
    assert err == (
        "<stdin>:4: warning: field 'booktitel' is no BibTeX field this site knows; did you mean "
        "'booktitle'? As written it is kept in the entry but shown nowhere\n"
    )
    assert "  booktitel     = {Some Conference}" in (project.bib / "studies.bib").read_text()


@pytest.mark.parametrize("end", ["\n\n\n", "", "\n \n\t\n"], ids=["blank-lines", "no-line-end", "spaces"])
def test_new_leaves_a_laid_out_file_laid_out_however_its_last_line_ended(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], end: str
) -> None:
    """A maintainer's trial deleted the example entry of a new project, left two blank lines (or none)
    at the end, and `new` appended there: the file then needed formatting, which `init`'s rules require."""
    project = make_project()
    root = str(project.root)
    assert main(["--root", root, "format"]) == 0
    bib = project.bib / "studies.bib"
    text = bib.read_text(encoding="utf-8").rstrip("\n") + end
    bib.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert run_new(monkeypatch, capsys, root, ENTRY)[0] == 0
    assert main(["--root", root, "format", "--check"]) == 0, capsys.readouterr().err
    assert bib.read_text(encoding="utf-8").startswith(text.rstrip())


@pytest.mark.parametrize("emptied", ["", "\n", "\n\n  \n"])
def test_a_bib_file_of_no_entry_is_laid_out_empty_and_new_fills_it_from_its_first_line(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    emptied: str,
) -> None:
    """An empty .bib file was said to need formatting, which wrote a lone line end into it; the next
    `new` then began the file with a blank line, which needed formatting again."""
    project = make_project()
    root = str(project.root)
    bib = project.bib / "studies.bib"
    bib.write_text(emptied, encoding="utf-8")
    (project.bib / "more.bib").write_text("", encoding="utf-8")  # (a file of no entry left beside it)
    assert main(["--root", root, "format"]) == 0
    assert (bib.read_text(encoding="utf-8"), (project.bib / "more.bib").read_text(encoding="utf-8")) == (
        "",
        "",
    )
    assert main(["--root", root, "format", "--check"]) == 0
    capsys.readouterr()
    assert run_new(monkeypatch, capsys, root, ENTRY)[0] == 0
    assert bib.read_text(encoding="utf-8").startswith("@inproceedings{doe2024new,\n")
    assert main(["--root", root, "format", "--check"]) == 0, capsys.readouterr().err


def test_new_rekey_gives_an_exported_key_the_key_the_rule_suggests(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """A contributor's trial renamed a reference manager's keys ('doe_new_2024') by hand, as the key rule
    refused them; `new --rekey FILE` takes the key the rule suggests, says so, and leaves the file given
    as it was. Without it, the refusal says the option exists."""
    project = make_project()
    survey = project.content / "survey.yaml"
    survey.write_text(survey.read_text() + "rules:\n  key_style: author-year-word\n")
    exported = ENTRY.replace("doe2024new", "doe_new_2024")
    code, out, err = run_new(monkeypatch, capsys, str(project.root), exported)
    assert (code, out) == (1, "")
    assert err == (
        "surveysite: <stdin>:1: key 'doe_new_2024' is not surname, year and title word in lowercase "
        "letters and digits; e.g. 'doe2024new' (the survey's rules in content/survey.yaml)\n"
        "(`surveysite new --rekey` gives each entry whose key cannot be used, or the rule refuses, the key "
        "the rule suggests)\n"
        "nothing was added\n"
    )
    given = tmp_path / "export.bib"
    given.write_text(exported)
    code = main(["--root", str(project.root), "new", "--rekey", str(given)])  # the file named, no --bibtex
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith(
        f"Keys given as --rekey asks ({given} is not changed):\n"
        "  doe_new_2024 -> doe2024new\nAdded 'doe2024new' to bib/studies.bib"
    )
    assert given.read_text() == exported
    assert "@inproceedings{doe2024new," in (project.bib / "studies.bib").read_text()
    assert (project.content / "studies" / "doe2024new.yaml").is_file()
    assert not (project.content / "studies" / "doe_new_2024.yaml").exists()
    assert main(["--root", str(project.root), "new", str(given), "--bibtex", str(given)]) == 2
    assert "give the file of entries once" in capsys.readouterr().err


@pytest.mark.parametrize("rule", [True, False], ids=["key-rule", "no-rule"])
def test_new_rekey_gives_a_key_no_address_can_be_made_of_one_it_can(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    rule: bool,
) -> None:
    """A maintainer's trial gave `new --strip --rekey` an entry from DBLP, keyed
    'DBLP:conf/nips/DoeX24', and was told the key could not be used: nothing was added. It takes the
    key the rule's way makes (surname, year, title word), with or without a key rule."""
    project = make_project()
    if rule:
        survey = project.content / "survey.yaml"
        survey.write_text(survey.read_text() + "rules:\n  key_style: author-year-word\n")
    given = tmp_path / "dblp.bib"
    exported = ENTRY.replace("doe2024new", "DBLP:conf/nips/DoeX24").replace(
        " year={2024},", " year={2024},\n biburl={https://dblp.org/rec/conf/nips/DoeX24.bib},"
    )
    given.write_text(exported)
    code = main(["--root", str(project.root), "new", "--strip", "--rekey", str(given)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith(
        f"Left out, as --strip asks ({given} is not changed):\n  DBLP:conf/nips/DoeX24: biburl (line 6)\n"
        f"Keys given as --rekey asks ({given} is not changed):\n"
        "  DBLP:conf/nips/DoeX24 -> doe2024new\nAdded 'doe2024new' to bib/studies.bib"
    )
    assert given.read_text() == exported
    assert "@inproceedings{doe2024new," in (project.bib / "studies.bib").read_text()
    assert (project.content / "studies" / "doe2024new.yaml").is_file()


def test_new_rekey_makes_no_key_an_entry_has_already(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A maintainer's trial gave `new --strip --rekey` DBLP's entry of another paper by the same author
    and year: --rekey made the key of an entry already here, then refused it ('give this entry
    another'). The key made takes the title's next word instead."""
    project = make_project()
    (project.bib / "studies.bib").write_text(
        (project.bib / "studies.bib").read_text() + "\n" + ENTRY.replace("A New {RL} Study", "New Results")
    )
    before = (project.bib / "studies.bib").read_text()
    given = tmp_path / "dblp.bib"
    other = ENTRY.replace("doe2024new", "DBLP:conf/nips/DoeX24").replace("A New {RL} Study", "New Study")
    given.write_text(other.replace("2401.00001", "2401.00002"))
    code = main(["--root", str(project.root), "new", "--rekey", str(given)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "  DBLP:conf/nips/DoeX24 -> doe2024study\nAdded 'doe2024study' to bib/studies.bib" in out
    assert (project.bib / "studies.bib").read_text().startswith(before)


def test_the_strip_hint_says_who_added_the_fields_it_would_leave_out(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: DBLP's 'biburl' was said to be a field a reference manager adds."""
    project = make_project()
    entry = ENTRY.replace(
        " year={2024},", " year={2024},\n abstract={A.},\n biburl={https://dblp.org/x.bib},"
    )
    code, _, err = run_new(monkeypatch, capsys, str(project.root), entry)
    assert code == 1
    assert (
        "leaves out abstract, which the site does not keep, and biburl, which a bibliographic site adds"
        in err
    )


def test_new_leaves_out_the_proceedings_an_entry_cross_references(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A maintainer's trial gave DBLP's export of a paper, which adds the proceedings it appeared in,
    named by the paper's 'crossref': 'no author field' was told of the proceedings, and nothing was
    added. The proceedings is left out, and told; so is the crossref, which bib/ would not resolve."""
    project = make_project()
    paper = ENTRY.replace(" year={2024},", " year={2024},\n crossref = {DBLP:conf/some/2024},")
    volume = "@proceedings{DBLP:conf/some/2024,\n  editor = {Rick Roe},\n  title = {Some Conference},\n"
    volume += "  year = {2024}\n}\n"
    given = tmp_path / "doe's dblp.bib"  # (a quote in its name: the keys left out were read back from it)
    given.write_text(paper + "\n" + volume)
    assert main(["--root", str(project.root), "new", str(given)]) == 0
    err = capsys.readouterr().err
    line = paper.count("\n") + 2
    assert err.startswith(
        f"{given}:{line}: warning: the proceedings 'DBLP:conf/some/2024' is left out, as the site keeps one "
        "entry for each study, and so is each 'crossref' naming it; as BibTeX would, 'doe2024new' takes its "
        "editor from it\n"
    ), err
    added = (project.bib / "studies.bib").read_text()
    assert "doe2024new" in added and "crossref" not in added and "DBLP:conf/some/2024" not in added
    assert not (project.content / "studies" / "dblp-conf-some-2024.yaml").exists()


def test_new_refuses_a_crossref_to_no_entry(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A maintainer's trial gave a paper whose crossref named no entry, here or given with it: it was
    added, and check said nothing (BibTeX reports 'a bad cross reference' where it is cited)."""
    project = make_project()
    before = (project.bib / "studies.bib").read_text(encoding="utf-8")
    given = tmp_path / "paper.bib"
    given.write_text(ENTRY.replace(" year={2024},", " year={2024},\n crossref = {doesnotexist2023},"))
    assert main(["--root", str(project.root), "new", str(given)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{given}:1: entry 'doe2024new': field 'crossref' names 'doesnotexist2023', which is no entry "
        "bib/ keeps"
    ) in err, err
    assert (project.bib / "studies.bib").read_text(encoding="utf-8") == before
    assert not (project.content / "studies" / "doe2024new.yaml").exists()


@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["unix", "windows"])
def test_a_paper_takes_from_the_volume_left_out_what_it_has_not(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path, ending: str
) -> None:
    """A review: a paper whose venue, year and publisher came from the volume its crossref names kept
    none of them, told 'the paper's own gives its venue'; the crossref stayed in bib/ with Windows' line
    endings, or with the entry's brace after it, though told left out; and an @string after the volume
    was blanked with it, then told undefined. The paper takes what it has not, as BibTeX would."""
    project = make_project()
    paper = "@inproceedings{doe2024new,\n  author = {Doe, Jane},\n  title = {A New Study},\n"
    paper += "  crossref = {conf24}}\n"
    volume = "@proceedings{conf24,\n  title = {Proceedings of Some Conference},\n  year = {2024},\n"
    volume += "  publisher = {ACM},\n  isbn = {978-1-2345-6789-0}\n}\n"
    other = "@string{jmlr = {Journal of Machine Learning Research}}\n"
    other += "@article{roe2023other,\n  author = {Roe, Rick},\n  title = {Another Study},\n"
    other += "  journal = jmlr,\n  year = {2023}\n}\n"
    given = tmp_path / "dblp.bib"
    given.write_bytes((paper + "\n" + volume + "\n" + other).replace("\n", ending).encode())
    assert main(["--root", str(project.root), "new", str(given)]) == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert (
        f"{given}:6: warning: the proceedings 'conf24' is left out, as the site keeps one entry for each "
        "study, and so is each 'crossref' naming it; as BibTeX would, 'doe2024new' takes its booktitle, "
        "year and publisher from it"
    ) in err
    added = (project.bib / "studies.bib").read_text(encoding="utf-8")
    assert "crossref" not in added and "conf24" not in added and "978-1" not in added
    entry = added[added.index("@inproceedings{doe2024new") :]
    entry = entry[: entry.index("\n}")]
    assert "Proceedings of Some Conference" in entry and "2024" in entry and "ACM" in entry
    assert "roe2023other" in added and "@string{jmlr" in added


def test_papers_after_the_volume_each_take_what_they_have_not(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A re-read: what a paper had of its own was read from the entry at the crossref's place in the
    text after the volume, not in the whole text, so a paper after the volume was taken for another."""
    project = make_project()
    volume = (
        "@proceedings{conf24,\n  title = {Some Conference},\n  year = {2024},\n  publisher = {ACM}\n}\n\n"
    )
    first = "@inproceedings{doe2024new,\n  author = {Doe, Jane},\n  title = {A New Study},\n"
    first += "  booktitle = {Its Own Venue},\n  crossref = {conf24}\n}\n\n"
    second = "@inproceedings{roe2024other,\n  author = {Roe, Rick},\n  title = {Another Study},\n"
    second += "  crossref = {conf24}\n}\n"
    given = tmp_path / "two.bib"
    given.write_text(volume + first + second)
    assert main(["--root", str(project.root), "new", str(given)]) == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert (
        "as BibTeX would, 'doe2024new' takes its year and publisher; 'roe2024other' takes its booktitle, "
        "year and publisher from it"
    ) in err, err
    added = (project.bib / "studies.bib").read_text(encoding="utf-8")
    doe = added[added.index("@inproceedings{doe2024new") :].split("\n}")[0]
    roe = added[added.index("@inproceedings{roe2024other") :].split("\n}")[0]
    assert "Its Own Venue" in doe and "Some Conference" not in doe
    assert "Some Conference" in roe and "ACM" in roe


def test_a_paper_s_own_fields_count_however_written_and_lines_stay_where_they_were(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A review: a paper's 'month = jan' (an @string's name) was not counted as its own, so the volume's
    month was added too and told 'appears twice'; a key on the line after the entry's brace had the
    entry before taken for it; and a volume's field over several lines, taken into the paper, moved the
    lines told of every entry after it."""
    project = make_project()
    paper = "@inproceedings{\n  doe2024new,\n  author = {Doe, Jane},\n  title = {A New Study},\n"
    paper += "  month = jan,\n  crossref = {conf24}\n}\n\n"
    volume = "@proceedings{conf24,\n  editor = {Roe, Rick and\n    Kim, Dana and\n    Lee, Chen},\n"
    volume += "  title = {Some Conference},\n  year = {2024},\n  month = {July}\n}\n\n"
    other = "@article{roe2023other,\n  author = {Roe, Rick},\n  titel = {Another Study},\n"
    other += "  journal = {A Journal},\n  year = {2023}\n}\n"
    given = tmp_path / "dblp.bib"
    given.write_text(paper + volume + other)
    assert main(["--root", str(project.root), "new", str(given)]) == 1
    err = capsys.readouterr().err
    line = (paper + volume).count("\n") + 1
    assert f"{given}:{line}: entry 'roe2023other' has no 'title' field" in err, err
    assert "appears twice" not in err
    assert "'doe2024new' takes its booktitle, year and editor from it" in err, err  # (its month its own)
    given.write_text(paper + volume)
    assert main(["--root", str(project.root), "new", str(given)]) == 0, capsys.readouterr().err
    added = (project.bib / "studies.bib").read_text(encoding="utf-8")
    entry = added[added.index("doe2024new") :].split("\n}")[0]
    assert entry.count("month") == 1 and "July" not in entry and "Some Conference" in entry


def test_a_volume_left_out_is_told_when_nothing_is_added(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A review: an entry refused for a fault of its own was told alone; what had been left out of the
    text given (the proceedings) was not, and the lines told seemed to skip it."""
    project = make_project()
    given = tmp_path / "dblp.bib"
    given.write_text(
        "@inproceedings{doe2024new,\n  titel = {A New Study},\n  crossref = {conf24},\n}\n\n"
        "@proceedings{conf24,\n  title = {Some Conference},\n  year = {2024}\n}\n"
    )
    assert main(["--root", str(project.root), "new", str(given)]) == 1
    err = capsys.readouterr().err
    assert f"{given}:6: warning: the proceedings 'conf24' is left out" in err
    assert f"{given}:1: entry 'doe2024new' has no 'author' field" in err


def test_new_rekey_tells_an_entrys_faults_by_the_key_given(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A review: an entry read under a stand-in key (see above) was told by it, a key the contributor
    never wrote ('dblp-conf-nips-doex24')."""
    project = make_project()
    given = tmp_path / "dblp.bib"
    given.write_text(ENTRY.replace("doe2024new", "DBLP:conf/nips/DoeX24").replace(" title=", " titel="))
    assert main(["--root", str(project.root), "new", "--rekey", str(given)]) == 1
    err = capsys.readouterr().err
    assert f"{given}:1: entry 'DBLP:conf/nips/DoeX24' has no 'title' field" in err
    assert "doex24" not in err


def test_new_tells_a_paper_already_here_alone_whatever_else_is_wrong_with_its_entry(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Contributors' trials read the key's and the fields' faults of a paper the site already had, the
    'already here' last, or not at all when the entry was an export with an abstract; and with --rekey,
    a suggested key that is the entry's own was told as a key already taken. A paper already here is
    now told first, and nothing else of its entry (it is not to be added); another entry's faults still
    are."""
    project = make_project()
    survey = project.content / "survey.yaml"
    survey.write_text(survey.read_text() + "rules:\n  key_style: author-year-word\n")
    again = (
        "@article{lee_third_2023,\n author={Lee, Chen and Kim, Dana},\n title={Third Study},\n year={2023},\n"
        " abstract={Copied.},\n file={Full Text:/home/jane/Zotero/x.pdf:application/pdf}}\n"
    )
    other = ENTRY.replace("doe2024new", "doe_new_2024")
    code, out, err = run_new(monkeypatch, capsys, str(project.root), again + "\n" + other)
    assert (code, out) == (1, "")
    first, *rest = err.splitlines()
    assert first.startswith(
        "surveysite: <stdin>:1: this paper is already here as 'lee2023third' (bib/studies.bib:"
    )
    assert not [line for line in rest if "<stdin>:" in line and int(line.split(":")[1]) < 8]
    assert rest[0].startswith("<stdin>:8: key 'doe_new_2024' is not surname")  # the other entry's
    assert "--strip" not in err  # (no field of an entry to be added is refused)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(again.encode()), encoding="utf-8"))
    assert main(["--root", str(project.root), "new", "--rekey"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "surveysite: <stdin>:1: this paper is already here as 'lee2023third' (bib/studies.bib:19, same "
        "title)\nnothing was added\n"
    )


# What reference managers' and bibliographic sites' exports write their own way (a maintainer's trial
# imported 56 entries from 12 exporters): Better BibTeX's biblatex flavour (date alone, journaltitle,
# eprinttype and eprintclass, its extended name format, arXiv preprints as @article with no journal),
# Zotero's (arXiv's DOI, the id in a note), Google Scholar's preprint as a journal, DBLP's '\_' in an
# address, Mendeley's DOI as an address and month in braces, Springer's month in quotes.
EXPORTS = r"""@article{vaswani2017attention,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and family=Aken, given=Betty, prefix=van, useprefix=true},
  date = {2017-06-12},
  eprint = {1706.03762},
  eprinttype = {arXiv},
  eprintclass = {cs},
}

@article{tay2022efficient,
  title = {Efficient Transformers},
  author = {Tay, Yi},
  date = {2022},
  journaltitle = {ACM Computing Surveys},
}

@misc{zhao2022compressing,
  title = {Compressing Things},
  author = {Zhao, Bo},
  year = {2022},
  doi = {10.48550/arXiv.2203.07687},
  note = {arXiv:2203.07687 [cs]},
}

@article{mnih2013playing,
  title = {Playing Games},
  author = {Mnih, Volodymyr},
  journal = {arXiv preprint arXiv:1312.5602},
  year = {2013},
}

@inproceedings{dettmers2023qlora,
  author = {Dettmers, Tim},
  title = {QLoRA},
  booktitle = {NeurIPS},
  year = {2023},
  url = {http://papers.nips.cc/paper\_files/paper/2023/hash/1234-Abstract-Conference.html},
}

@inproceedings{jiao2020tinybert,
  author = {Jiao, Xiaoqi},
  title = {TinyBERT},
  booktitle = {Findings of EMNLP},
  year = {2020},
  month = {June},
  doi = {https://doi.org/10.18653/v1/2020.findings-emnlp.372},
}

@article{smith2021springer,
  author = "Smith, Jane",
  title = "A Springer Article",
  journal = "Machine Learning",
  year = "2021",
  month = "Jun",
}
"""


def test_new_strip_writes_what_exports_write_their_own_way_as_bibtex_reads_it(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Refused or shown without their venue, arXiv id or year before: each is written as BibTeX (and
    biber, which reads BibTeX's names too) reads it, each change told with its line, the file given
    unchanged, nothing lost (a date stays beside the year made of it)."""
    project = make_project()
    before = (project.bib / "studies.bib").read_text()
    given = tmp_path / "export.bib"
    given.write_text(EXPORTS)
    code = main(["--root", str(project.root), "new", "--strip", "--bibtex", str(given)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert given.read_text() == EXPORTS
    told = out.split("Added 7 entries")[0]
    assert told == (
        f"Written as BibTeX reads them, as --strip asks ({given} is not changed):\n"
        "  vaswani2017attention: author in BibTeX's name format, not biblatex's extended one ('family=...') "
        "(line 3); year = {2017} and month = jun from its date, 2017-06-12 (BibTeX reads no date; the date "
        "is kept) (line 4); eprinttype as archivePrefix (BibTeX's name, which biber reads too) (line 6); "
        "eprintclass as primaryClass (BibTeX's name, which biber reads too) (line 7); @misc for @article, "
        "which has no journal: a preprint's (BibTeX styles want an article's journal) (line 1)\n"
        "  tay2022efficient: year = {2022} from its date, 2022 (BibTeX reads no date; the date is kept) "
        "(line 13); journaltitle as journal (BibTeX's name, which biber reads too) (line 14)\n"
        "  zhao2022compressing: eprint = {2203.07687} and archivePrefix = {arXiv}, from its doi (line 21)\n"
        "  mnih2013playing: eprint = {1312.5602} and archivePrefix = {arXiv}, from its journal (line 28)\n"
        "  dettmers2023qlora: url without TeX's escapes ('\\_' as '_'): an address is printed as written "
        "(line 37)\n"
        "  jiao2020tinybert: month as jun, without braces, which BibTeX prints as the month's name "
        "(line 45); doi as the DOI alone, 10.18653/v1/2020.findings-emnlp.372 (line 46)\n"
        "  smith2021springer: month as jun, without quotes, which BibTeX prints as the month's name "
        "(line 54)\n"
    )
    added = (project.bib / "studies.bib").read_text().removeprefix(before)
    for expected in (
        "@misc{vaswani2017attention,\n  author        = {Vaswani, Ashish and van Aken, Betty},\n",
        "  year          = {2017},\n  month         = jun,\n  eprint        = {1706.03762},\n"
        "  archivePrefix = {arXiv},\n  primaryClass  = {cs},\n",
        "  date          = {2017-06-12}\n}",
        "@article{tay2022efficient,\n  author  = {Tay, Yi},\n  title   = {Efficient Transformers},\n"
        "  journal = {ACM Computing Surveys},\n  year    = {2022},\n  date    = {2022}\n}",
        "  doi           = {10.48550/arXiv.2203.07687},\n  eprint        = {2203.07687},\n"
        "  archivePrefix = {arXiv},\n",
        "@article{mnih2013playing,\n  author        = {Mnih, Volodymyr},\n"
        "  title         = {Playing Games},\n  journal       = {arXiv preprint arXiv:1312.5602},\n"
        "  year          = {2013},\n"
        "  eprint        = {1312.5602},\n  archivePrefix = {arXiv}\n}",
        "url       = {http://papers.nips.cc/paper_files/paper/2023/hash/1234-Abstract-Conference.html}",
        "  month     = jun,\n  doi       = {10.18653/v1/2020.findings-emnlp.372}\n}",
        "  year    = {2021},\n  month   = jun\n}",
    ):
        assert expected in added, (expected, added)
    problems = Problems()
    load_bibliography(project.root, project.bib, problems)
    assert [p for p in problems.sorted() if "month" in p.message or "journal" in p.message] == []


def test_new_without_strip_tells_what_an_export_writes_its_own_way_and_that_strip_writes_it(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --strip, each is told at its line with what to write (a date's year, the journal's name,
    the address's '_', biblatex's names), and the hint names what --strip would write."""
    project = make_project()
    code, out, err = run_new(monkeypatch, capsys, str(project.root), EXPORTS)
    assert (code, out) == (1, "")
    for expected in (
        "<stdin>:1: entry 'vaswani2017attention' has no 'year' field; its date, 2017-06-12, gives year = "
        "{2017}: add that (BibTeX reads no date; `surveysite new --strip` adds it)\n",
        "<stdin>:3: entry 'vaswani2017attention': author 'family=Aken, given=Betty, prefix=van, "
        "useprefix=true' is written in biblatex's extended name format, which BibTeX does not read; write it "
        "'van Aken, Betty'\n",
        "<stdin>:14: warning: entry 'tay2022efficient': field 'journaltitle' is biblatex's name for the "
        "journal, which BibTeX reads as 'journal' (as biber does too): rename it journal, or BibTeX styles "
        "print no journal\n",
        "<stdin>:28: warning: entry 'mnih2013playing': journal 'arXiv preprint arXiv:1312.5602' names a "
        "preprint, which the site links only by its eprint: add eprint = {1312.5602} and archivePrefix",
        "<stdin>:37: entry 'dettmers2023qlora': url 'http://papers.nips.cc/paper\\_files/paper/2023/hash/"
        "1234-Abstract-Conference.html' holds '\\_', which is printed as written, backslash and all; write "
        "'_': http://papers.nips.cc/paper_files/",
        "<stdin>:45: warning: month {June} in braces is printed as written, 'June'; write month = jun, "
        "without braces, for the month's name\n",
        "<stdin>:46: entry 'jiao2020tinybert': DOI 'https://doi.org/10.18653/v1/2020.findings-emnlp.372' is "
        "not of the form 10.NNNN/suffix: write the DOI alone, 10.18653/v1/2020.findings-emnlp.372\n",
        "<stdin>:54: warning: month \"Jun\" in quotes is printed as written, 'Jun'; write month = jun, "
        "without quotes, for the month's name\n",
    ):
        assert expected in err, (expected, err)
    assert err.endswith(
        "(`surveysite new --strip` writes biblatex's extended names as BibTeX's, a year or month from a "
        "date, eprinttype as archivePrefix, eprintclass as primaryClass, a preprint's @article with no "
        "journal as @misc, journaltitle as journal, an arXiv id given elsewhere as eprint and archivePrefix, "
        "an address without TeX's escapes, a month's name as its macro and a DOI given as its address as the "
        "DOI; the file you give is not changed)\n"
        "nothing was added\n"
    )


JOINED = """@string{icml = "Proceedings of the International Conference on Machine Learning"}
@string{first = "Jean"}

@inproceedings{doe2020joined,
  author = first # { Doe and Ann Roe},
  title = "Joined: " # {Parts of {RL}},
  booktitle = icml # " (ICML)",
  year = 2020,
  month = jun # "~12",
  pages = {1--10},
}
"""


def test_new_strip_writes_a_value_joined_with_hash_as_one_value(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A '#' concatenation (a hand-kept library's `icml # " (ICML)"`) was refused even with --strip:
    it is written as one value, each macro as what its @string gives (which is then not copied, as no
    entry uses it), and a month joined to its day as the month's macro; each told at its line."""
    project = make_project()
    before = (project.bib / "studies.bib").read_text()
    given = tmp_path / "joined.bib"
    given.write_text(JOINED)
    code = main(["--root", str(project.root), "new", "--strip", "--bibtex", str(given)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith(
        f"Written as BibTeX reads them, as --strip asks ({given} is not changed):\n"
        "  doe2020joined: author as one value, {Jean Doe and Ann Roe}, joined from its 2 parts (line 5); "
        "title as one value, {Joined: Parts of {RL}}, joined from its 2 parts (line 6); booktitle as one "
        "value, {Proceedings of the International Conference on Machine Le...}, joined from its 2 parts "
        "(line 7); month as jun, without '~12': BibTeX's month is the month alone (line 9)\n"
    )
    added = (project.bib / "studies.bib").read_text().removeprefix(before)
    assert added == (
        "\n@inproceedings{doe2020joined,\n"
        "  author    = {Doe, Jean and Roe, Ann},\n"
        "  title     = {Joined: Parts of {RL}},\n"
        "  booktitle = {Proceedings of the International Conference on Machine Learning (ICML)},\n"
        "  pages     = {1--10},\n"
        "  year      = {2020},\n"
        "  month     = jun\n"
        "}\n"
    )
    problems = Problems()
    load_bibliography(project.root, project.bib, problems)
    assert [str(p) for p in problems.sorted() if "doe2020joined" in str(p) or "studies.bib" in str(p)] == []


def test_new_strip_writes_what_it_mended_of_a_macro_s_value_and_copies_the_macros_the_entries_use(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A hostile-input review: --strip told a DOI, url and month given by @string macros mended, then
    wrote the macros back (check refused the entry), and copied a macro joining another without that
    one. What it mended is written as mended; a macro it did not change stays, with its @string."""
    project = make_project()
    before = (project.bib / "studies.bib").read_text()
    given = tmp_path / "macros.bib"
    given.write_text(
        '@string{mydoi = "https://doi.org/10.1234/abc.2024"}\n@string{myurl = "https://example.org/a\\_b"}\n'
        '@string{mymonth = "June"}\n@string{jb = "Journal"}\n@string{jfull = jb # " of Things"}\n'
        '@string{jplain = "Plain Journal"}\n\n'
        "@article{macro2024doi,\n  author = {Macro, Max},\n  title = {Macros for Identifiers},\n"
        "  journal = jfull,\n  doi = mydoi,\n  url = myurl,\n  month = mymonth,\n  year = {2024}\n}\n"
        "@article{macro2024plain,\n  author = {Macro, Max},\n  title = {Macros Kept},\n"
        "  journaltitle = jplain,\n  year = {2024}\n}\n"
    )
    assert main(["--root", str(project.root), "new", "--strip", "--bibtex", str(given)]) == 0, (
        capsys.readouterr()
    )
    added = (project.bib / "studies.bib").read_text().removeprefix(before)
    assert added == (
        '\n@string{jplain = "Plain Journal"}\n\n'
        "@article{macro2024doi,\n  author  = {Macro, Max},\n  title   = {Macros for Identifiers},\n"
        "  journal = {Journal of Things},\n  year    = {2024},\n  month   = jun,\n"
        "  doi     = {10.1234/abc.2024},\n  url     = {https://example.org/a_b}\n}\n\n"
        "@article{macro2024plain,\n  author  = {Macro, Max},\n  title   = {Macros Kept},\n"
        "  journal = jplain,\n  year    = {2024}\n}\n"
    )
    problems = Problems()
    load_bibliography(project.root, project.bib, problems)
    assert [str(p) for p in problems.sorted() if p.location.line > before.count("\n")] == []


def test_new_without_strip_tells_each_joined_value_and_what_to_write(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Told that '#' is not read (it was told as a value not in braces, 'or' a concatenation), a month
    with the month to write, a part no @string defines by name, and the hint names what --strip writes;
    a part it cannot write (a macro no @string defines) is not written by --strip either."""
    project = make_project()
    given = JOINED.replace('icml # " (ICML)"', 'icmll # " (ICML)"')
    code, out, err = run_new(monkeypatch, capsys, str(project.root), given)
    assert (code, out) == (1, "")
    assert err == (
        "surveysite: <stdin>:5: field 'author' joins 2 parts with '#', which this site does not read; write "
        "author = {...} as one value\n"
        "<stdin>:6: field 'title' joins 2 parts with '#', which this site does not read; write title = {...} "
        "as one value\n"
        "<stdin>:7: field 'booktitle' joins 2 parts with '#', which this site does not read; write booktitle "
        "= {...} as one value ('icmll' is no macro an @string of these entries or bib/studies.bib defines)\n"
        "<stdin>:9: field 'month' joins 2 parts with '#', which this site does not read; write month = jun, "
        "the month alone (BibTeX's month holds no day)\n"
        "(`surveysite new --strip` writes a value joined with '#' as one value and a month joined to its day "
        "as the month's macro; the file you give is not changed)\n"
        "nothing was added\n"
    )
    code, out, err = run_new(monkeypatch, capsys, str(project.root), given, "--strip")
    assert (code, out) == (1, "")
    assert "<stdin>:7: field 'booktitle' joins 2 parts with '#'" in err
    assert "field 'author'" not in err


def test_a_paper_given_twice_is_named_by_the_key_its_line_gives_under_rekey(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A maintainer's trial was told of a paper 'given twice, as ouyang2022language at line 24': a key
    --rekey made for the entry there, which neither its line nor bib/ (after it was added) held."""
    project = make_project()
    first = ENTRY.replace("@inproceedings{doe2024new,", "@inproceedings{DBLP:conf/x/Doe24,")
    second = ENTRY.replace("doe2024new", "doe2024again").replace("A New {RL} Study", "A New RL Study (v2)")
    given = tmp_path / "two.bib"
    given.write_text(first + "\n" + second)
    assert main(["--root", str(project.root), "new", "--rekey", str(given)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{given}:8: this paper is given twice, as 'DBLP:conf/x/Doe24' at line 1 too (same arXiv id)" in err
    ), err


def test_new_strip_writes_a_conference_paper_exported_as_an_article_as_inproceedings(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Mendeley exports a conference paper as @article with a booktitle and no journal; as @misc (a
    first version's way with an @article of no journal) BibTeX styles would print no booktitle."""
    project = make_project()
    given = tmp_path / "mendeley.bib"
    given.write_text(ENTRY.replace("@inproceedings{", "@article{"))
    assert main(["--root", str(project.root), "new", "--strip", str(given)]) == 0
    out = capsys.readouterr().out
    assert (
        "  doe2024new: @inproceedings for @article, which gives a booktitle and no journal (line 1)\n" in out
    )
    assert "\n@inproceedings{doe2024new,\n" in (project.bib / "studies.bib").read_text()


def test_new_skip_existing_adds_what_is_new_in_an_export_given_again(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A maintainer's trial had one duplicate refuse a whole file, and deleted ten by hand: with
    --skip-existing, an entry of a paper bib/ holds (by its DOI, arXiv id or title, whatever its key or
    its other faults, such as a field the site refuses) is left out and told; the rest is added. An
    export of papers all here adds nothing, and says so."""
    project = make_project()
    given = tmp_path / "export.bib"
    given.write_text(ENTRY)
    assert main(["--root", str(project.root), "new", "--bibtex", str(given)]) == 0
    capsys.readouterr()
    again = ENTRY.replace("doe2024new,", "Doe:2024,").replace(" year={2024},", " year={2024}, abstract={A.},")
    other = ENTRY.replace("doe2024new", "roe2024other").replace("A New {RL} Study", "Another Study")
    other = other.replace("2401.00001", "2401.00002")
    given.write_text(again + "\n" + other)
    before = (project.bib / "studies.bib").read_text()
    assert main(["--root", str(project.root), "new", "--bibtex", str(given)]) == 1
    assert capsys.readouterr().err.endswith("nothing was added\n")
    assert main(["--root", str(project.root), "new", "--skip-existing", "--bibtex", str(given)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Already here, given twice or removed from the site, so left out as --skip-existing asks "
        f"({given} is not changed):\n"
        "  Doe:2024 (line 1): 'doe2024new' (bib/studies.bib:"
    ), out
    assert "Added 'roe2024other' to bib/studies.bib" in out
    added = (project.bib / "studies.bib").read_text().removeprefix(before)
    assert "roe2024other" in added and "Doe:2024" not in added and "doe2024new" not in added
    assert main(["--root", str(project.root), "new", "--skip-existing", "--bibtex", str(given)]) == 0
    out = capsys.readouterr().out
    assert out.endswith("Nothing was added: every entry given is left out, as listed above.\n"), out
    assert "  roe2024other (line 8): 'roe2024other' (bib/studies.bib:" in out


def test_a_study_removed_from_the_site_is_not_added_again_by_an_export_given_again(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A maintainer's trial removed a study, moved its page's address to its leaf in the record of
    published addresses, then gave its export again with --skip-existing: the study came back. Now it
    is left out and listed, with the move's line; without --skip-existing it is refused, and told how
    to add it again."""
    project = make_project()
    (project.content / "published.txt").write_text("alpha/\nstudies/doe2024new/ -> alpha/\n")
    given = tmp_path / "export.bib"
    other = ENTRY.replace("doe2024new", "roe2024other").replace("A New {RL} Study", "Another Study")
    given.write_text(ENTRY + "\n" + other.replace("2401.00001", "2401.00002"))
    before = (project.bib / "studies.bib").read_text()
    assert main(["--root", str(project.root), "new", "--bibtex", str(given)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{given}:1: 'doe2024new' was removed from the site: content/published.txt:2 moves its page, "
        "/studies/doe2024new/, to /alpha/; to add it again, delete that line (`--skip-existing` leaves it "
        "out)\nnothing was added\n"
    ) in err, err
    assert (project.bib / "studies.bib").read_text() == before
    assert main(["--root", str(project.root), "new", "--skip-existing", "--bibtex", str(given)]) == 0
    out = capsys.readouterr().out
    assert (
        "  doe2024new (line 1): removed from the site: content/published.txt:2 moves its page, "
        "/studies/doe2024new/, to /alpha/\n"
    ) in out, out
    assert "Added 'roe2024other' to bib/studies.bib" in out
    assert "doe2024new" not in (project.bib / "studies.bib").read_text()
    assert not (project.content / "studies" / "doe2024new.yaml").exists()
    given.write_text(ENTRY)
    assert main(["--root", str(project.root), "new", "--skip-existing", "--bibtex", str(given)]) == 0
    assert capsys.readouterr().out.endswith(
        "Nothing was added: every entry given is left out, as listed above.\n"
    )


def test_an_entry_with_a_key_no_address_is_made_of_is_told_its_fields_faults_too(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial was told of a JabRef export's keys ('Gu+Dao:2023') first, and of its
    'owner' and 'file' fields only once the keys were mended: every fault is told in one run."""
    exported = ENTRY.replace("doe2024new,", "Gu+Dao:2024,").replace(
        " year={2024},", " year={2024},\n owner={me},\n file={:C:/papers/doe.pdf:pdf},"
    )
    code, out, err = run_new(monkeypatch, capsys, str(make_project().root), exported)
    assert (code, out) == (1, "")
    assert "<stdin>:1: BibTeX key 'Gu+Dao:2024' cannot be part of a page's address" in err, err
    assert (
        "<stdin>:6: field 'owner' " in err and "<stdin>:7: field 'file' names a file on your computer" in err
    )


def test_new_strip_leaves_out_empty_fields_and_mendeley_s_arxiv_id_once_written_as_eprint(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A maintainer's trial found IEEE Xplore's empty 'volume={}' and Mendeley's 'arxivId' (a copy of the
    arXiv id, or the only one given) kept in bib/ and the downloads."""
    project = make_project()
    given = tmp_path / "export.bib"
    exported = ENTRY.replace(" eprint={2401.00001}, archivePrefix={arXiv}", " arxivId={2401.00001}")
    given.write_text(exported.replace(" year={2024},", " year={2024}, volume={}, number={ },"))
    assert main(["--root", str(project.root), "new", "--strip", str(given)]) == 0
    out = capsys.readouterr().out
    assert "  doe2024new: volume (line 5), number (line 5), arxivid (line 6)\n" in out, out
    assert (
        "  doe2024new: eprint = {2401.00001} and archivePrefix = {arXiv}, from its arxivid (line 6)\n" in out
    )
    added = (project.bib / "studies.bib").read_text()
    entry = added[added.index("@inproceedings{doe2024new") :]
    assert (
        "eprint        = {2401.00001}" in entry and "volume" not in entry and "arxivid" not in entry.lower()
    )


@pytest.mark.parametrize(
    ("fields", "kind", "expected", "absent"),
    [
        # A review: Zotero's note 'arXiv:ID [cs]' was read as the id '2'.
        (" note={arXiv:2203.07687 [cs]},", "misc", ["eprint = {2203.07687}"], []),
        # A review: an empty field stood for the field --strip writes (IEEE's 'year={}').
        (" year={}, date={2020-05-01},", "article", ["year = {2020}", "month = may"], []),
        (" journal={}, journaltitle={Real J},", "article", ["journal = {Real J}"], ["journaltitle"]),
        # A trial: the month of a date was dropped when a year was given too.
        (" date={2024-07},", "article", ["month = jul"], []),
        # A review: a DOI's address percent-encoded, and with a query, was taken whole.
        (" doi={https://doi.org/10.1002/%28SICI%291097-4571?ref=x},", "article",
         ["doi = {10.1002/(SICI)1097-4571}"], ["%28"]),
        # A review: Google Scholar's preprint journal beside a booktitle made @misc, whose booktitle
        # styles drop.
        (" booktitle={ICML}, journal={arXiv preprint arXiv:2101.01234},", "article",
         ["booktitle = {ICML}", "journal = {arXiv preprint arXiv:2101.01234}", "eprint = {2101.01234}"], []),
        # A trial: Semantic Scholar's 'ArXiv' with the id as the volume; ADS's 'arXiv e-prints', pages.
        (" journal={ArXiv}, volume={abs/2307.08691},", "article",
         ["journal = {ArXiv}", "volume = {abs/2307.08691}", "eprint = {2307.08691}"], []),
        (" journal={arXiv e-prints}, pages={arXiv:1406.2661}, eprint={1406.2661}, archivePrefix={arXiv},",
         "article", ["journal = {arXiv e-prints}", "eprint = {1406.2661}"], []),
        # DBLP's CoRR, eprinttype and all.
        (" journal={CoRR}, volume={abs/2203.02155}, eprinttype={arXiv}, eprint={2203.02155},", "article",
         ["journal = {CoRR}", "volume = {abs/2203.02155}", "archivePrefix = {arXiv}"], ["eprinttype"]),
        # A journal that is one stays, and so does an article without an arXiv id.
        (" journal={Nature},", "article", ["journal = {Nature}"], []),
        # A second review: a date's month under another year; Clinical Orthopaedics' 'CORR' taken for
        # DBLP's CoRR; ADS's id in its pages not read; a journal naming another id than the eprint's
        # left out; an eprint written 'arXiv:ID' left so.
        (" date={2020-06-15},", "article", [], ["month"]),
        (" journal={CORR}, volume={470}, url={https://arxiv.org/abs/2101.00001},", "article",
         ["journal = {CORR}", "volume = {470}"], []),
        (" journal={arXiv e-prints}, pages={arXiv:2103.00003},", "article",
         ["journal = {arXiv e-prints}", "eprint = {2103.00003}"], []),
        (" journal={arXiv preprint arXiv:2105.00005}, eprint={2105.00006},", "article",
         ["journal = {arXiv preprint arXiv:2105.00005}", "eprint = {2105.00006}"], []),
        (" eprint={arXiv:2009.06734v3},", "misc", ["eprint = {2009.06734v3}", "archivePrefix = {arXiv}"],
         ["arXiv:2009"]),
        # A third review: Google Scholar's journal kept beside a versioned eprint; its old-style id not
        # read; 'Sept.' not read as a month.
        (" journal={arXiv preprint arXiv:2101.00001v2}, eprint={2101.00001v2},", "article",
         ["eprint = {2101.00001v2}", "journal = {arXiv preprint arXiv:2101.00001v2}"], []),
        (" journal={arXiv preprint hep-th/9901001},", "article", ["eprint = {hep-th/9901001}"], []),
        (" month={Sept.},", "article", ["month = sep"], ["Sept"]),
        # A third trial: an address as howpublished, its arXiv id unread (the address stays: plain
        # BibTeX prints howpublished and no url; the site links it, see test_study_byline).
        (" howpublished={\\url{https://arxiv.org/abs/2410.12788}},", "misc",
         ["eprint = {2410.12788}", "howpublished = {\\url{https://arxiv.org/abs/2410.12788}}"], []),
        # A third trial: ADS's journal macro was refused with nothing to write instead, and its record
        # fields (adsurl, with a '%') were kept, then refused.
        (" journal={\\aap}, adsurl={http://adsabs.harvard.edu/abs/2014A%26A...569A..55A}, adsnote={ADS},",
         "article", ["journal = {A\\&A}"], ["adsurl", "adsnote", "aap"]),
        # ... and Mendeley's '{\&}' in an address was refused as 'not an http(s) URL'.
        (" url={https://example.org/b?dac=1{\\&}isbn=9}, journal={J},", "article",
         ["url = {https://example.org/b?dac=1&isbn=9}"], ["{&}"]),
    ],
)  # fmt: skip
def test_new_strip_reads_each_export_s_way(
    make_project: MakeProject,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    fields: str,
    kind: str,
    expected: list[str],
    absent: list[str],
) -> None:
    """What a review and a trial of --strip found written wrong, or not written."""
    project = make_project()
    year = "" if " year={}," in fields else " year={2024},\n"
    entry = f"@article{{doe2024new,\n author={{Doe, Jane}},\n title={{A New Study}},\n{year}{fields}\n}}\n"
    given = tmp_path / "export.bib"
    given.write_text(entry)
    assert main(["--root", str(project.root), "new", "--strip", str(given)]) == 0, capsys.readouterr().err
    added = (project.bib / "studies.bib").read_text()
    added = " ".join(added[added.rindex("@", 0, added.index("doe2024new")) :].split())
    assert added.startswith(f"@{kind}{{doe2024new,"), added
    for text in expected:
        assert text in added, (text, added)
    for name in absent:
        assert name not in added, (name, added)


def test_skip_existing_leaves_out_only_what_it_is_sure_of(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A review of --skip-existing: an entry on the line of one already here was left out in its stead;
    a broken entry left after the skipped ones was dropped with a success; a paper of a title already
    here but of another DOI was left out as that paper; and what was left out went unsaid when the rest
    was refused."""
    project = make_project()
    known = ENTRY.replace("year={2024},", "year={2024}, doi={10.1000/known},").replace("\n", " ")
    assert main(["--root", str(project.root), "new", "--bibtex", str(tmp_path / "k.bib")]) == 2
    (tmp_path / "k.bib").write_text(known + "\n")
    assert main(["--root", str(project.root), "new", "--bibtex", str(tmp_path / "k.bib")]) == 0
    capsys.readouterr()
    before = (project.bib / "studies.bib").read_text()

    def run(text: str) -> tuple[int, str]:
        (tmp_path / "given.bib").write_text(text)
        code = main(
            ["--root", str(project.root), "new", "--skip-existing", "--bibtex", str(tmp_path / "given.bib")]
        )
        out, err = capsys.readouterr()
        return code, out + err

    other = "@article{roe2021x, author = {Roe, Rick}, title = {Other}, journal = {J}, year = {2021}}"
    code, said = run(other + " " + known.replace("doe2024new", "doe2024again") + "\n")
    assert code == 1 and "this paper is already here as 'doe2024new'" in said and "left out" not in said, said
    code, said = run(known.replace("doe2024new", "doe2024again") + "\n\n@misc{broken title}\n")
    assert code == 1 and "given.bib:3: BibTeX key 'broken title'" in said, said
    assert "given.bib:1: already here as 'doe2024new' (bib/studies.bib:" in said, said
    # (A second review: an entry after another's closing brace on its line, never blanked, was listed
    # as left out and refused as already here at once.)
    code, said = run(other.replace(", ", ",\n ") + " " + known.replace("doe2024new", "doe2024again") + "\n")
    assert code == 1 and "this paper is already here" in said and "left out" not in said, said
    alike = known.replace("doe2024new", "doe2024again").replace("10.1000/known", "10.1000/other")
    code, said = run(alike.replace(" eprint={2401.00001}, archivePrefix={arXiv}", ""))
    assert code == 1 and "(bib/studies.bib:" in said and "same title)" in said, said
    assert (project.bib / "studies.bib").read_text() == before


@pytest.mark.parametrize(
    ("authors", "told"),
    [
        # A trial: names in Han characters parted by commas were told to pair up, 'Family, Given'.
        ("张宁豫,谢辛,陈想,邓淑敏", "write '张宁豫 and 谢辛 and 陈想 and 邓淑敏'"),
        # A trial: parted by full-width commas, they were published as one author.
        ("罗浩\uff0c何超\uff0c陈彪",
         "writes '\uff0c', which BibTeX reads as part of a name, not as a comma; write "
         "'罗浩 and 何超 and 陈彪'"),
        ("罗浩\u3001何超", "write '罗浩 and 何超'"),
        # A review: three names, and a list of Latin names and names written whole.
        ("张宁豫,谢辛,陈想", "write '张宁豫 and 谢辛 and 陈想'"),
        ("Doe, Jane, 王小明, 李华", "write 'Doe, Jane and 王小明 and 李华'"),
        # A review: a list parted by ' and ' has them between a family name and a given one.
        ("Doe\uff0cJane and Roe\uff0cBo", "write 'Doe, Jane and Roe, Bo'"),
        ("王, 小明, 李, 华", "write '王, 小明 and 李, 华'"),
    ],
)  # fmt: skip
def test_names_in_han_characters_parted_by_commas_are_told_to_be_parted_by_and(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    authors: str,
    told: str,
) -> None:
    code, _, err = run_new(
        monkeypatch, capsys, str(make_project().root), ENTRY.replace("Doe, Jane and Roe, Rick", authors)
    )
    assert code == 1 and told in err, err


@pytest.mark.parametrize(
    "authors",
    [
        "{中国科学院\uff0c计算技术研究所}",
        "Müller, Jürgen and {北京大学\u3001清华大学}",
        # A third review: 'Family, Given' in Han characters, and one full-width comma between names in
        # them, which may part a family name from a given one ('山田\uff0c花子'), valid at 3e671a8.
        "王, 小明, 李华",
        "山田\uff0c花子",
        "Doe, Jane and 王小明\uff0c李华",
    ],
)
def test_a_wide_comma_within_braces_is_part_of_one_name(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    authors: str,
) -> None:
    """A review: a braced name holding a full-width comma, valid at 3e671a8, was refused."""
    code, _, err = run_new(
        monkeypatch, capsys, str(make_project().root), ENTRY.replace("Doe, Jane and Roe, Rick", authors)
    )
    assert code == 0, err


def test_extended_editor_names_and_an_eprint_written_with_its_prefix_are_told(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: biblatex's extended names in an editor list were written as BibTeX's by --strip but told
    by nothing without it; the arxiv_id rule told 'eprint = {arXiv:2009.06732}' to add its prefix alone."""
    entry = ENTRY.replace("year={2024},", "year={2024}, editor={family=Aken, given=Betty, prefix=van},")
    code, _, err = run_new(monkeypatch, capsys, str(make_project().root), entry)
    assert (
        code == 1 and "editor 'family=Aken, given=Betty, prefix=van' is written in biblatex's extended" in err
    )
    assert "write it 'van Aken, Betty'" in err
    problems = Problems()
    (record,) = parse_part(
        "@misc{a2020x,\n author = {A, B},\n title = {T},\n year = {2020},\n eprint = {arXiv:2009.06732}\n}\n",
        "x.bib",
        0,
        Problems(),
    ).records
    check_record(Rules(arxiv_id=True), record, problems)
    assert [p.message.split(" (the survey's")[0] for p in problems.sorted()] == [
        "entry 'a2020x' gives eprint = {arXiv:2009.06732}: write eprint = {2009.06732} and archivePrefix = "
        "{arXiv}"
    ]


def test_rekey_tells_a_key_made_of_no_letters_it_can_read(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A trial: a key in Han characters became 'entry', a page's address for good, and was not listed
    among the keys --rekey gave."""
    given = tmp_path / "cjk.bib"
    given.write_text(
        ENTRY.replace("doe2024new,", "罗浩2022,").replace("Doe, Jane and Roe, Rick", "罗浩 and 何超")
    )
    assert main(["--root", str(make_project().root), "new", "--rekey", str(given)]) == 0, (
        capsys.readouterr().err
    )
    out = capsys.readouterr().out
    assert "Keys given as --rekey asks" in out and "  罗浩2022 -> " in out, out


def test_new_strip_leaves_out_the_text_between_the_entries_and_says_so(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """Two trials' JabRef file, headed by a sentence (which BibTeX ignores), was refused whole; what an
    extra '}' leaves of an entry is still told, not left out."""
    text = "This file is kept by hand.\n% a comment\n\n" + ENTRY + "\nSee also the other file.\n"
    project = make_project()
    code, _, err = run_new(monkeypatch, capsys, str(project.root), text)
    assert code == 1 and "<stdin>:1: text outside any entry: 'This file is kept by hand.'" in err, err
    assert "(`surveysite new --strip` leaves out the text between the entries; the file you give" in err
    given = tmp_path / "jabref.bib"
    given.write_text(text)
    assert main(["--root", str(project.root), "new", "--strip", str(given)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert (
        "  between the entries: text 'This file is kept by hand.' (line 1), text 'See also the other file.' "
        "(line 11)\n"
    ) in out, out
    assert "kept by hand" not in (project.bib / "studies.bib").read_text()
    broken = ENTRY.replace("year={2024},", "year={2024}},\n note = {x},").replace("A New", "Another")
    given.write_text(broken.replace("doe2024new", "doe2024other").replace("2401.00001", "2401.00009"))
    assert main(["--root", str(project.root), "new", "--strip", str(given)]) == 1
    assert (
        "an extra '}' in a field of entry 'doe2024other' above may have ended it" in capsys.readouterr().err
    )


def test_new_names_a_stand_in_no_key_given_has_and_copies_no_string_it_left_unused(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A second review: a key made of no letters the site reads ('罗浩2022') stood in as 'x2022', the key
    of another entry given, and a message named the wrong one; and a @string used only by a journal
    --strip left out was copied into bib/."""
    project = make_project()
    given = tmp_path / "export.bib"
    cjk = ENTRY.replace("doe2024new,", "罗浩2022,").replace("Doe, Jane and Roe, Rick", "罗浩 and 何超")
    plain = SECOND.replace("roe2025other", "2022")
    given.write_text(cjk + "\n" + plain)
    assert main(["--root", str(project.root), "new", "--rekey", str(given)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "  罗浩2022 -> " in out and "  2022 -> " not in out.split("Keys given")[0], out
    tagged = "@string{kw = {RL}}\n@article{lee2024third,\n author={Lee, Chen},\n title={Third},\n"
    tagged += " journal={J},\n keywords=kw,\n year={2024}\n}\n"
    given.write_text(tagged)
    assert main(["--root", str(project.root), "new", "--strip", str(given)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert "@string{kw" not in (project.bib / "studies.bib").read_text()


@pytest.mark.parametrize(
    ("text", "told"),
    [
        # A third review: an extra '}' ended an entry mid-title; the rest was cut off as prose.
        ("@article{extra2020x,\n author = {Doe, Jane},\n journal = {J},\n year = {2020},\n"
         " title = {Deep Learning}} for Everything\n and Nothing Else}\n",
         "text outside any entry: 'for Everything'"),
        # Prose before a head on its line was blanked with the head.
        ("See also: @article{inline2020a,\n author = {Doe, Jane},\n title = {Inline},\n journal = {J},\n"
         " year = {2020}}\n", "text outside any entry: 'See also:'"),
    ],
)  # fmt: skip
def test_new_strip_leaves_what_may_be_part_of_an_entry_to_be_told(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, told: str
) -> None:
    project = make_project()
    before = (project.bib / "studies.bib").read_text()
    given = tmp_path / "export.bib"
    given.write_text(text)
    assert main(["--root", str(project.root), "new", "--strip", str(given)]) == 1
    assert told in capsys.readouterr().err
    assert (project.bib / "studies.bib").read_text() == before


def test_new_strip_leaves_out_prose_after_an_entry_in_parentheses(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A third review: prose after an entry opened with '(' (never closed, so taken for part of it)."""
    project = make_project()
    given = tmp_path / "export.bib"
    given.write_text(
        "@article(paren2020b,\n author = {Roe, Rick},\n title = {Parenthesised},\n journal = {J},\n"
        " abstract = {Words\n that run on},\n year = {2020})\nprose after paren\n"
    )
    assert main(["--root", str(project.root), "new", "--strip", str(given)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "between the entries: text 'prose after paren' (line 8)" in out, out
    assert "that run on" not in out


def test_new_copies_a_string_a_biblatex_field_uses_as_written(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A third review: without --strip, a @string used by 'journaltitle = pami' was not copied (taken
    for one used by 'journal'), and bib/ then named an undefined macro."""
    project = make_project()
    given = tmp_path / "export.bib"
    given.write_text(
        "@string{PAMI = {IEEE TPAMI}}\n@article{poe2020upper,\n author = {Poe, Ed},\n"
        " title = {Upper Macro},\n journaltitle = pami,\n year = {2020}\n}\n"
    )
    assert main(["--root", str(project.root), "new", str(given)]) == 0, capsys.readouterr().err
    assert "@string{PAMI = {IEEE TPAMI}}" in (project.bib / "studies.bib").read_text()


def test_skip_existing_tells_nothing_of_a_volume_an_entry_left_out_took_from(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A third review: a DBLP export given again was told what its paper, left out as already here,
    took from the proceedings it names."""
    project = make_project()
    paper = ENTRY.replace(" year={2024},", " year={2024},\n crossref = {DBLP:conf/some/2024},").replace(
        " booktitle={Some Conference},\n", ""
    )
    volume = "@proceedings{DBLP:conf/some/2024,\n  editor = {Rick Roe},\n  title = {Some Conference},\n"
    volume += "  year = {2024}\n}\n"
    given = tmp_path / "dblp.bib"
    given.write_text(paper + "\n" + volume)
    assert main(["--root", str(project.root), "new", str(given)]) == 0, capsys.readouterr().err
    assert "takes its" in capsys.readouterr().err
    assert main(["--root", str(project.root), "new", "--skip-existing", str(given)]) == 0
    out, err = capsys.readouterr()
    assert "Nothing was added" in out and "takes its" not in err, (out, err)


def test_skip_existing_knows_a_paper_whose_entry_given_again_has_faults_of_its_own(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A third trial gave an export again, after adding its entries from a mended copy: entries of
    papers here were refused for no year, ADS's '\\\\aap' journal or a bare '%' (one whose url was
    wrong was left out), and nothing was added."""
    project = make_project()
    given = tmp_path / "export.bib"
    given.write_text(ENTRY)
    assert main(["--root", str(project.root), "new", str(given)]) == 0
    capsys.readouterr()
    again = ENTRY.replace("doe2024new,", "Doe:2024,").replace(
        " year={2024},", " journal={\\aap}, note={50% off},"
    )
    new = SECOND.replace("roe2025other", "roe2025new")
    given.write_text(again + "\n" + new)
    assert main(["--root", str(project.root), "new", "--skip-existing", str(given)]) == 0, (
        capsys.readouterr().err
    )
    out = capsys.readouterr().out
    assert "  Doe:2024 (line 1): 'doe2024new' (bib/studies.bib:" in out and "Added 'roe2025new'" in out, out


def test_an_ads_journal_macro_is_told_with_what_it_prints(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = ENTRY.replace("booktitle={Some Conference},", "journal={\\mnras},").replace(
        "@inproceedings", "@article"
    )
    code, _, err = run_new(monkeypatch, capsys, str(make_project().root), entry)
    assert code == 1, err
    assert (
        "field 'journal' is \\mnras, a macro of the AAS TeX macros that ADS's exports use, which a document "
        "must define; write journal = {MNRAS}, what it prints\n(`surveysite new --strip` writes ADS's "
        "journal macros as what they print;"
    ) in err, err


def test_a_url_of_several_addresses_is_told_so(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A third trial's Zotero entry gave three addresses in one url, told 'not an http(s) URL ...
    beginning https://', which each of them did."""
    root = str(make_project().root)
    # (A browser reads the second as one address, with a comma in its path.)
    for addresses in ("https://a.example/x https://b.example/y", "https://a.example/x,https://b.example/y"):
        entry = ENTRY.replace("year={2024},", f"year={{2024}}, url={{{addresses}}},")
        code, _, err = run_new(monkeypatch, capsys, root, entry)
        assert code == 1 and f"url '{addresses}' holds several addresses; keep one" in err, err
    archived = "https://web.archive.org/web/2020/https://b.example/y"  # one address, which holds another
    entry = ENTRY.replace("year={2024},", f"year={{2024}}, url={{{archived}}},")
    assert run_new(monkeypatch, capsys, root, entry)[0] == 0


def test_rekey_says_when_it_could_make_no_key(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A third trial: with the key rule on, an entry whose authors and title are in Han characters kept
    its key under --rekey, and only the rule's refusal was told."""
    project = make_project()
    survey = project.content / "survey.yaml"
    assert "rules:" not in survey.read_text()
    survey.write_text(survey.read_text() + "rules:\n  key_style: author-year-word\n")
    given = tmp_path / "cjk.bib"
    given.write_text(
        "@article{.2015c,\n author = {宋洪波 and 符明秋},\n title = {活力: 一个研究课题},\n journal = {J},\n"
        " year = {2015}\n}\n"
    )
    assert main(["--root", str(project.root), "new", "--rekey", str(given)]) == 1
    assert (
        "(`--rekey` could make no key of '.2015c': it found no surname or title word to make one of"
        in capsys.readouterr().err
    )


def test_a_stand_in_key_ends_in_a_digit_not_a_hyphen() -> None:
    """A citer's trial: two keys of one stand-in made 'soumuiot2023-', which pandoc does not cite."""
    stand_ins: dict[str, str] = {}
    text = _stood_in("@misc{Gu+Dao:2023,\n title={A}}\n@misc{Gu:Dao+2023,\n title={B}}\n", stand_ins)
    assert sorted(stand_ins) == ["gu-dao-2023", "gu-dao-2023-2"] and "gu-dao-2023-2," in text


def test_a_stand_in_key_avoids_the_keys_bib_holds() -> None:
    """A fifth review: a stand-in was the key of an entry in bib/, and the message named the wrong one."""
    stand_ins: dict[str, str] = {}
    _stood_in("@misc{罗浩2022,\n title={A}}\n", stand_ins, {"2022"})
    assert sorted(stand_ins) == ["2022-2"]


def test_the_venue_rule_reads_an_address_given_as_howpublished_as_the_url() -> None:
    """A fifth review: with the venue rule on, a @misc whose arXiv address is its howpublished was told
    to write it as its url, which --strip no longer does (plain BibTeX prints no url)."""
    problems = Problems()
    (record,) = parse_part(
        "@misc{a2023x,\n author = {A, B},\n title = {T},\n year = {2023},\n eprint = {2305.00005},\n"
        " archivePrefix = {arXiv},\n howpublished = {\\url{https://arxiv.org/abs/2305.00005}}\n}\n",
        "x.bib",
        0,
        Problems(),
    ).records
    check_record(Rules(venue=True), record, problems)
    assert [p.message for p in problems.sorted()] == []


def test_what_a_review_of_the_concatenations_and_macros_found(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A macro whose own value joins another ('jfull = jb # " and Things"') was written raw into a
    joined value; an author and a title given by macros were written out (the record holds them in the
    project's style), and their @strings not copied."""
    project = make_project()
    before = (project.bib / "studies.bib").read_text()
    given = tmp_path / "macros.bib"
    given.write_text(
        '@string{jb = "Journal of Bits"}\n@string{jfull = jb # " and Things"}\n'
        '@string{t = "Deep RL for LLMs"}\n@string{me = "John Doe"}\n\n'
        '@article{eps2021,\n  author = {Eps, Eve},\n  title = {Eps Things},\n  journal = jfull # " (JBT)",\n'
        "  year = 2021,\n}\n"
        "@article{theta2020,\n  author = me,\n  title = t,\n  journal = {Journal},\n  year = 2020,\n}\n"
    )
    assert main(["--root", str(project.root), "new", "--strip", "--bibtex", str(given)]) == 0, (
        capsys.readouterr()
    )
    added = (project.bib / "studies.bib").read_text().removeprefix(before)
    assert "  journal = {Journal of Bits and Things (JBT)},\n" in added, added
    assert "  author  = me,\n  title   = t,\n" in added, added
    assert '@string{t = "Deep RL for LLMs"}' in added and '@string{me = "John Doe"}' in added
    assert "jb" not in added and "#" not in added


def test_a_key_a_renamed_study_had_is_refused_for_another_paper(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: a new paper under the key a study had before it was renamed was told 'removed from
    the site', with advice (delete the line) that would have broken the old address's redirect, and
    --skip-existing left it out as removed."""
    project = make_project()
    (project.content / "published.txt").write_text("studies/doe2024new/ -> studies/smith2022second/\n")
    for options in ((), ("--skip-existing",)):
        code, out, err = run_new(
            monkeypatch := pytest.MonkeyPatch(), capsys, str(project.root), ENTRY, *options
        )
        monkeypatch.undo()
        assert (code, out) == (1, ""), (out, err)
        assert (
            "<stdin>:1: the key 'doe2024new' was a study's, renamed since: content/published.txt:1 moves its "
            "page, /studies/doe2024new/, to /studies/smith2022second/; give this entry another key"
        ) in err, err


def test_a_string_given_otherwise_than_bib_s_is_told_at_both_lines_after_a_line_ending_in_a_backslash(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A review: bibtexparser counts no line break after a backslash, so the two @strings were told a
    line early, each."""
    project = make_project()
    bib = project.bib / "studies.bib"
    bib.write_text(bib.read_text() + "\n% a\\\n% b\\\n\n@string{icml = {ICML}}\n")
    there = bib.read_text().splitlines().index("@string{icml = {ICML}}") + 1
    given = tmp_path / "given.bib"
    given.write_text(
        "@misc{x2021,\n  author = {X, Y},\n  title = {Paths C:\\\n  here},\n  year = 2021\n}\n\n"
        '@string{icml = "ICML Different"}\n'
    )
    assert main(["--root", str(project.root), "new", "--bibtex", str(given)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{given}:8: @string 'icml' is \"ICML Different\" here but {{ICML}} in bib/studies.bib:{there};"
        in err
    ), err
