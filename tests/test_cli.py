"""The `surveysite` command: exact output and exit status for check and pages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from surveysite.cache import cache_file
from surveysite.cli import main
from surveysite.published import PUBLISHED_PATH

from .conftest import ROOT, MakeProject


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_clean_project_exits_0(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    assert run(capsys, "--root", str(project.root), "check") == (
        0, "", "No problems found.\n",
    )  # fmt: skip


def test_check_problems_exit_1(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project({"bib/x.bib": "oops\n@misc{a1, title={T}, year={2020}}\n"})
    code, out, err = run(capsys, "--root", str(project.root), "check")
    assert code == 1
    assert out == (
        "bib/x.bib:1: text outside any entry: 'oops'; remove it, or start comment lines with %\n"
        "bib/x.bib:2: entry 'a1' has no 'author' field; add it\n"
    )
    assert err == "2 problem(s) found.\n"


def test_check_tells_the_surveys_own_files_first_and_counts_one_problem_in_many_studies(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial changed the taxonomy once and met some 150 lines, one per study and facet,
    the taxonomy's own last. The survey's own files come first; one same problem in more than ten
    study files is shown in three and counted for the rest (another trial, of six new studies, was
    told of three and not which the others were: up to ten are each told); the markdown format lists
    every one."""
    project = make_project()
    studies = project.content / "studies"
    first = (studies / "mueller2021first.yaml").read_text(encoding="utf-8")
    bib = (project.bib / "studies.bib").read_text(encoding="utf-8")
    for i in range(9):  # nine more studies like the first
        (studies / f"copy{i}2021first.yaml").write_text(first.replace("name: First", f"name: Copy {i}"))
        bib += "\n" + bib.split("\n\n")[0].split("\n", 1)[1].replace(
            "mueller2021first", f"copy{i}2021first"
        ).replace("{The First Study", f"{{Copy {i} of The First Study").replace(
            "10.1234/fict.2021.1", f"10.1234/copy.{i}"
        )
    (project.bib / "studies.bib").write_text(bib, encoding="utf-8")
    assert run(capsys, "--root", str(project.root), "check")[0] == 0
    taxonomy = project.content / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("  - id: model\n", "  - id: models\n", 1))
    (project.content / "survey.yaml").write_text(
        (project.content / "survey.yaml").read_text() + "unknown_setting: 1\n"
    )
    code, out, err = run(capsys, "--root", str(project.root), "check")
    lines = out.splitlines()
    assert code == 1 and err.startswith("25 problem(s) found")  # (12 studies, 2 each, and the survey's)
    assert lines[0].startswith("content/survey.yaml:")
    missing = [line for line in lines if "facet 'models' is missing" in line]
    assert len(missing) == 4 and missing[-1].startswith("content/studies/... (9 more study files): facet")
    assert lines[-1] == "(`surveysite check --format markdown` lists every study file)"
    code, out, _ = run(capsys, "--root", str(project.root), "check", "--format", "markdown")
    assert out.count("facet 'models' is missing") == 12
    for i in range(2):  # ten studies left: each told
        (studies / f"copy{i}2021first.yaml").unlink()
    code, out, err = run(capsys, "--root", str(project.root), "check")
    missing = [line for line in out.splitlines() if "facet 'models' is missing" in line]
    assert len(missing) == 10 and all(re.match(r"content/studies/[a-z0-9]+\.yaml:\d+: ", m) for m in missing)
    assert "more study files" not in out and "lists every study file" not in out


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["pages", "--out", "out"],
        ["export", "out"],
        ["format"],
        ["new"],
        ["issue-form"],
        ["published"],
    ],
)
@pytest.mark.parametrize("folder", ["notes", "nothing", "notes/notes.txt"])  # the last a file
def test_a_folder_that_is_no_project_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], folder: str
) -> None:
    """A trial maintainer ran a command on a folder that does not exist: exit 1, said to be a problem
    found in it; the README gives 2 for a command given wrongly."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "notes.txt").write_text("mine")
    assert main(["--root", str(tmp_path / folder), *command]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    told = {
        "notes/notes.txt": "a file, not a survey project's folder: give its folder with --root",  # (a trial)
        "nothing": "no such folder; give the survey project's folder with --root",  # (a trial: a typo)
        "notes": "no survey project here (no bib/ and no content/ folder): give its folder with --root, or "
        "make one with `surveysite init FOLDER --title TITLE`",
    }
    assert captured.err == f"surveysite: {tmp_path / folder}: {told[folder]}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]
    assert [p.name for p in (tmp_path / "notes").iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("option", [["--no-cache"], ["--edit-url", "https://example.org/edit/main/"], []])
def test_the_projects_options_are_taken_after_the_command_too(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], option: list[str], tmp_path: Path
) -> None:
    """A maintainer's trial wrote `surveysite check --root mysurvey` and was refused it ('unrecognized
    arguments'). Given both before and after the command, the one after wins."""
    project = make_project()
    assert main(["check", "--root", str(project.root), *option]) == 0
    assert main(["--root", str(tmp_path / "nothing"), "check", "--root", str(project.root), *option]) == 0
    out = tmp_path / "out"
    assert main(["pages", "--out", str(out), "--root", str(project.root), *option]) == 0
    assert cache_file(project.root).exists() == (option != ["--no-cache"])  # (with it, pages keeps nothing)
    pages = (out / "studies" / "lee2023third.md").read_text(encoding="utf-8")
    assert ("https://example.org/edit/main/content/studies/lee2023third.yaml" in pages) == (len(option) == 2)
    capsys.readouterr()


def test_a_command_in_a_folder_of_the_project_works_on_the_project(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A maintainer editing in content/studies/ ran `surveysite check` there and was told there is no
    project: a command given no --root now looks upward for one, as git does, and says where. The
    paths it prints are from the folder it ran in, as a terminal or an editor opens them."""
    project = make_project({"content/studies/smith2022second.yaml": "name: [\n"})
    monkeypatch.chdir(project.root / "content" / "studies")
    code, out, err = run(capsys, "check")
    assert code == 1
    assert out.startswith("smith2022second.yaml:1: ")
    assert err.startswith(f"surveysite: the survey project in {project.root}\n")
    # GitHub reads an annotation's path from the repository's folder, wherever the command ran.
    assert run(capsys, "check", "--format", "github")[1].startswith(
        "::error file=content/studies/smith2022second.yaml,line=1::"
    )
    monkeypatch.chdir(project.root / "bib")
    assert run(capsys, "check")[1] == out.replace("smith", "../content/studies/smith")
    monkeypatch.chdir(project.root)  # in the project's own folder: nothing more to say
    code, out, plain = run(capsys, "check")
    assert out.startswith("content/studies/smith2022second.yaml:1: ")
    assert plain == err.partition("\n")[2]
    # Given by --root as a folder below this one (a maintainer's trial ran `--root gnnco check`): from here.
    monkeypatch.chdir(project.root.parent)
    code, below, said = run(capsys, "--root", project.root.name, "check")
    assert (
        below == out.replace("content/", f"{project.root.name}/content/") and "survey project in" not in said
    )


def test_new_and_issue_form_in_a_folder_of_the_project_name_their_files_from_there(
    make_project: MakeProject,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The review of the round that made commands look upward: `new` and `issue-form` still named the
    files they wrote from the project's folder, not from where they ran."""
    project = make_project()
    entry = tmp_path / "entry.bib"
    entry.write_text("@misc{doe2024new,\n author={Doe, Jane},\n title={A New Study},\n year={2024}}\n")
    monkeypatch.chdir(project.root / "content" / "studies")
    code, out, _ = run(capsys, "new", "--bibtex", str(entry))
    assert code == 0
    assert out == (
        "Added 'doe2024new' to ../../bib/studies.bib, in the site's BibTeX layout (as `surveysite format` "
        "writes it: names 'Last, First', words a style must keep in capitals braced).\n"
        "Created doe2024new.yaml: replace every TODO, then run `surveysite check`.\n"
    )
    assert Path("doe2024new.yaml").is_file() and Path("../../bib/studies.bib").is_file()
    monkeypatch.chdir(project.root / "bib")
    code, _, err = run(capsys, "issue-form")
    assert code == 0 and err.endswith("Wrote ../.github/ISSUE_TEMPLATE/propose-study.yml.\n"), err
    assert Path("../.github/ISSUE_TEMPLATE/propose-study.yml").is_file()


def test_a_folder_in_no_project_is_reported_as_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "content").mkdir()  # a folder named content, but no survey's: not taken for one
    (tmp_path / "content" / "notes").mkdir()
    monkeypatch.chdir(tmp_path / "content" / "notes")
    code, out, err = run(capsys, "check")
    assert (code, out) == (2, "")
    assert err.startswith(f"surveysite: {tmp_path / 'content' / 'notes'}: no survey project here")


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["publish"])
    assert raised.value.code == 2
    assert "invalid choice: 'publish'" in capsys.readouterr().err


def test_pages_writes_the_tree(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    out = tmp_path / "out"
    code, _, err = run(capsys, "--root", str(project.root), "pages", "--out", str(out))
    assert code == 0 and err == f"Wrote 37 files to {out}.\n"
    assert (out / "llm4rl").exists() is False
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) == [
        "about.md", "alpha/index.md", "alpha/one/index.md", "alpha/two/index.md", "beta/index.md",
        "index.md", "matrix.md", "studies/lee2023third.md", "studies/mueller2021first.md",
        "studies/smith2022second.md", "whats-new.md",
    ]  # fmt: skip
    tables = ["alpha.json", "alpha/one.json", "alpha/two.json", "beta.json"]  # each node with studies
    assert sorted(p.relative_to(out / "tables").as_posix() for p in (out / "tables").rglob("*")) == [
        "alpha",
        *tables,
    ]


def test_pages_refuses_a_folder_it_did_not_write(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "precious.txt").write_text("keep me")
    code, _, err = run(capsys, "--root", str(project.root), "pages", "--out", str(mine))
    assert code == 2
    assert "was not written by surveysite" in err
    assert (mine / "precious.txt").read_text() == "keep me"


def test_failed_pages_run_leaves_previous_output_whole(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    out = tmp_path / "out"
    args = ["--root", str(project.root), "pages", "--out", str(out)]
    assert run(capsys, *args)[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (project.root / "bib" / "x.bib").write_text("junk\n")
    code, out_text, _ = run(capsys, *args)
    assert code == 1 and "junk" in out_text
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    "inside", ["content/pages/gen", "content/studies/x", "bib/new", "templates/new", "content"]
)
@pytest.mark.parametrize("command", ["pages", "export"])
def test_an_output_folder_among_the_data_is_refused_before_anything_is_written(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], inside: str, command: str
) -> None:
    """A hostile-input trial wrote the pages into content/pages/gen: every later check then failed,
    on 100 problems in what surveysite itself had written, until the folder was deleted by hand."""
    project = make_project()
    out = project.root / inside
    before = sorted(str(p.relative_to(project.root)) for p in project.root.rglob("*"))
    flag = ["--out"] if command == "pages" else []
    code, stdout, err = run(capsys, "--root", str(project.root), command, *flag, str(out))
    folder = project.root / inside.split("/")[0]
    assert (code, stdout) == (2, "")
    assert err == (
        f"surveysite: {out} is inside {folder}, which surveysite reads; choose an output folder outside "
        "bib/, content/ and templates/\n"
    )
    assert sorted(str(p.relative_to(project.root)) for p in project.root.rglob("*")) == before


@pytest.mark.parametrize("command", ["pages", "export"])
def test_an_output_folder_that_holds_the_project_is_refused_and_the_project_kept(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    """A hostile-input trial copied a project into a folder an earlier run had written, then wrote
    that folder again: it was replaced as a whole, the project inside it with it (exit 0)."""
    project = make_project()
    shutil.copy(ROOT / "mkdocs.yml", project.root / "mkdocs.yml")  # for export
    out = tmp_path / "out"
    flag = ["--out"] if command == "pages" else []
    assert run(capsys, "--no-cache", "--root", str(project.root), command, *flag, str(out))[0] == 0
    inner = out / "project"
    shutil.copytree(project.root, inner)
    before = sorted(str(p.relative_to(inner)) for p in inner.rglob("*"))
    code, _, err = run(capsys, "--no-cache", "--root", str(inner), command, *flag, str(out))
    assert (code, err) == (
        2,
        f"surveysite: {out} holds {inner}, which writing the output folder anew would delete; choose an "
        "output folder outside the project\n",
    )
    assert sorted(str(p.relative_to(inner)) for p in inner.rglob("*")) == before


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("file/inside", "cannot use {tmp}/file/inside: File exists ({tmp}/file)"),  # a file on the way
        ("x" * 300, "File name too long"),
    ],
    ids=["a-file-on-the-way", "a-name-too-long"],
)
def test_an_output_folder_the_system_refuses_is_named_without_a_traceback(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str, expected: str
) -> None:
    project = make_project()
    shutil.copy(ROOT / "mkdocs.yml", project.root / "mkdocs.yml")  # for export
    (tmp_path / "file").write_text("mine", encoding="utf-8")
    for command in (["pages", "--out"], ["export"]):
        code, _, err = run(capsys, "--no-cache", "--root", str(project.root), *command, str(tmp_path / where))
        assert code == 2 and err.startswith("surveysite: ") and expected.format(tmp=tmp_path) in err, err
    assert (tmp_path / "file").read_text(encoding="utf-8") == "mine"


def test_an_edit_address_with_an_undecodable_byte_is_refused_without_a_traceback(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = make_project()
    edit_url = "https://example.org/\udcff/"  # how Python passes on the shell's $'\xff'
    code, _, err = run(
        capsys, "--root", str(project.root), "--edit-url", edit_url, "pages", "--out", str(tmp_path / "o")
    )
    assert code == 2
    assert (
        err
        == "surveysite: a value holds a character no file can carry (surrogates not allowed); type it again\n"
    )


def test_console_script_is_installed(make_project: MakeProject) -> None:
    project = make_project()
    result = subprocess.run(
        [str(Path(sys.executable).parent / "surveysite"), "check"],
        cwd=project.root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (0, "No problems found.\n")


def test_the_console_script_ends_at_once_yet_loses_no_output_and_keeps_the_status(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """It leaves by os._exit, which flushes nothing itself: every line through a pipe, the status kept."""
    command = str(Path(sys.executable).parent / "surveysite")
    project = make_project()
    out = tmp_path / "out"
    # Buffered output, as usual (this machine's environment may ask for none)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    result = subprocess.run(
        [command, "pages", "--out", str(out)], cwd=project.root, capture_output=True, text=True,
        check=False, env=env,
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (0, f"Wrote 37 files to {out}.\n")
    assert len([p for p in out.rglob("*") if p.is_file()]) == 38  # and the marker; all closed and whole
    (project.root / "bib" / "x.bib").write_text("oops\n@misc{a1, title={T}, year={2020}}\n")
    result = subprocess.run(
        [command, "check"], cwd=project.root, capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode == 1
    assert result.stdout.count("\n") == 2 and result.stdout.startswith("bib/x.bib:1: text outside any entry")
    assert result.stderr == "2 problem(s) found.\n"
    assert list((tmp_path / "cache" / "surveysite").glob("*.pickle"))  # the cache was written before the end


def test_check_formats_for_github_and_markdown(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project({"bib/x.bib": "50% junk\n"})
    root = ["--root", str(project.root)]
    assert run(capsys, *root, "check", "--format", "github")[1] == (
        "::error file=bib/x.bib,line=1::text outside any entry: '50%25 junk'; remove it, "
        "or start comment lines with %25\n"
    )
    assert run(capsys, *root, "check", "--format", "markdown")[1] == (
        "| `bib/x.bib:1` | text outside any entry: '50% junk'; remove it, or start comment lines with % |\n"
    )


def test_check_s_markdown_rows_hold_no_line_break_link_or_image_from_the_data(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hostile-input trial's study value put a row of its own, a workflow command and an image from
    another site into the check workflow's summary: the data quoted in a message is one row of text."""
    value = (
        "x\\n::error file=README.md::INJECTED | two ![](https://example.org/p.png) "
        "[a](https://example.org) \\\\[b]"
    )
    project = make_project()
    study = project.root / "content/studies/lee2023third.yaml"
    text = study.read_text(encoding="utf-8")
    study.write_text(
        re.sub(r"placement: \w+", lambda _: f'placement: "{value}"', text, count=1), encoding="utf-8"
    )
    rows = run(capsys, "--root", str(project.root), "check", "--format", "markdown")[1].splitlines()
    row = next((r for r in rows if "placement" in r), str(rows))
    assert (
        len(rows) == 1 and row.startswith("| `content/studies/lee2023third.yaml:") and row.endswith(" |")
    ), rows
    assert row.count(" | ") == 1  # (two cells: the value's pipe is '&#124;')
    assert "x\\\\n::error" in row and "&#124; two" in row  # (its line break shown, escaped)
    assert "![](" not in row and "[a](" not in row and "\\[a\\](https://example.org)" in row
    assert "\\\\\\[b\\]" in row  # (a backslash in the data escapes no escape)
    # The path, in a code span, as it is (a review: 'notes\\[1\\].md' showed its backslashes).
    (project.root / "content/pages/notes[1].md").write_text("# Notes\n", encoding="utf-8")
    rows = run(capsys, "--root", str(project.root), "check", "--format", "markdown")[1].splitlines()
    assert any(r.startswith("| `content/pages/notes[1].md:1` |") for r in rows), rows


def test_no_command_changes_the_data_it_reads(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    data = [
        p for folder in ("bib", "content") for p in sorted((project.root / folder).rglob("*")) if p.is_file()
    ]
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in data}
    root = str(project.root)
    for args in (["check"], ["format", "--check"], ["pages", "--out", str(project.root.parent / "out")]):
        run(capsys, "--root", root, *args)
    run(capsys, "--root", root, "pages", "--out", str(project.root.parent / "out"))
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in data} == before


def test_help_says_what_builds_and_previews_the_site(capsys: pytest.CaptureFixture[str]) -> None:
    """No command of surveysite's own previews the site: --help names the ones that do."""
    with pytest.raises(SystemExit) as ended:
        main(["--help"])
    assert ended.value.code == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "mkdocs build --strict writes it to site/, mkdocs serve previews it" in said
    assert "scripts/site build and scripts/site serve" in said


# What each command's --help says of its exit status 0 and 1 (a trial found check's words under each,
# init's among them, which never exits 1).
EXIT_WORDS = {
    "init": "0 the project written, 2",
    "check": "0 no problem (warnings allowed), 1 problems found, 2",
    "pages": "0 the pages written, 1 problems in the data, each told (nothing written), 2",
    "export": "0 the project written, 1 problems in the data, each told (nothing written), 2",
    "new": "0 the studies added, 1 problems in the entries or the project, each told (nothing added), 2",
    "format": "0 formatted, or with --check nothing to change, 1 problems, or with --check a file to "
    "change, 2",
    "issue-form": "0 written, 1 problems in the taxonomy, each told (nothing written), 2",
    "published": "0 recorded, or nothing to add, 1 problems, each told (nothing written), 2",
}


@pytest.mark.parametrize("command", EXIT_WORDS)
def test_each_commands_help_says_what_it_does_and_its_exit_status(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """A maintainer's trial found only the usage and the options in `surveysite check --help`."""
    with pytest.raises(SystemExit) as ended:
        main([command, "--help"])
    assert ended.value.code == 0
    out = capsys.readouterr().out
    usage, said = out.split("\n\n")[:2]
    assert usage.startswith(f"usage: surveysite {command}") and said[:1].isupper() and said.endswith(".")
    assert " ".join(out.split()).endswith(
        f"Exit status: {EXIT_WORDS[command]} a usage error or a file that could not be read or written."
    )


def test_help_lists_init_first(capsys: pytest.CaptureFixture[str]) -> None:
    """A new maintainer's trial looked for init first and found it fifth."""
    with pytest.raises(SystemExit):
        main(["--help"])
    listed = [
        line.split()[0]
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("    ") and not line.startswith("     ")
    ]
    assert listed[:2] == ["init", "check"] and set(listed) == set(EXIT_WORDS)


@pytest.mark.parametrize("command", ["new", "issue-form", "published", "format"])
@pytest.mark.parametrize(
    "option", [["--edit-url", "https://example.org/edit/"], ["--no-cache"], ["--templates", "t"]]
)
def test_an_option_a_command_does_not_use_is_refused_after_it(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], command: str, option: list[str]
) -> None:
    """A maintainer's trial gave `format --check --edit-url x`: taken, and nothing said it did nothing.
    A later trial was refused `published --no-cache` under the top level's usage, which lists
    --no-cache: the refusal now shows the command's own usage and says why."""
    project = make_project()
    with pytest.raises(SystemExit) as ended:
        main([command, "--root", str(project.root), *option])
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: surveysite {command} [-h] [--root ROOT]"), err
    assert "--no-cache" not in err.split("\n\n")[0].split("error:")[0], err  # (not in the usage)
    # (new takes a file by position, and so the option's value as its file: the option alone is refused)
    refused = option[0] if command == "new" else " ".join(option)
    assert f"unrecognized arguments: {refused} ({command} renders nothing: --templates, " in err


@pytest.mark.parametrize(
    ("before", "command", "refused"),
    [
        (["--no-cache"], ["published"], "--no-cache before 'published' does not apply (published renders"),
        (
            ["--templates", "t", "--edit-url", "u"],
            ["format"],
            "--templates, --edit-url before 'format' do not",
        ),
        (["--edit-url", "u"], ["issue-form"], "--edit-url before 'issue-form' does not apply"),
        (["--no-cache"], ["init", "INIT", "--title", "T"], "--no-cache before 'init' does not apply (init"),
        (["--root", "ROOT"], ["init", "INIT", "--title", "T"], "--root before 'init' does not apply"),
    ],
)
def test_an_option_a_command_does_not_use_is_refused_before_it(
    make_project: MakeProject,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    before: list[str],
    command: list[str],
    refused: str,
) -> None:
    """After the command such options were refused, before it taken and ignored: `surveysite --no-cache
    published` wrote the record as if it had not been given (a trial's finding left open last time)."""
    project = make_project()
    given = [str(project.root) if arg == "ROOT" else str(tmp_path / "new") if arg == "INIT" else arg
             for arg in [*before, *command]]  # fmt: skip
    record = project.root / PUBLISHED_PATH
    kept = record.read_bytes() if record.exists() else None
    with pytest.raises(SystemExit) as ended:
        main(["--root", str(project.root), *given] if command[0] != "init" else given)
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: surveysite {command[0]} [-h]"), err
    assert refused in err, err
    assert not (tmp_path / "new").exists()
    assert (record.read_bytes() if record.exists() else None) == kept


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (["--format", "github", "check"], "--format is an option of check: give it after the command"),
        (["--root", "ROOT", "--format=github", "check"], "--format is an option of check: give it after"),
        (["--no-cache", "--out", "x", "pages"], "--out is an option of pages: give it after the command"),
        (["--title", "T", "init", "x"], "--title is an option of init: give it after the command"),
        # As argparse takes them, by their start (a review: '--form' still met "invalid choice").
        (["--form", "github", "check"], "--format is an option of check: give it after the command"),
        (["--no", "--ou", "x", "pages"], "--out is an option of pages: give it after the command"),
    ],
)
def test_a_command_s_own_option_before_it_is_told_where_it_goes(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], given: list[str], said: str
) -> None:
    """A maintainer's trial: `surveysite --format github check` was told "invalid choice: 'github'"."""
    project = make_project()
    with pytest.raises(SystemExit) as ended:
        main([str(project.root) if arg == "ROOT" else arg for arg in given])
    assert ended.value.code == 2
    assert f"surveysite: error: {said}" in capsys.readouterr().err


def test_version_before_a_command_s_own_option_still_answers(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--version", "--format", "x"])
    assert ended.value.code == 0 and capsys.readouterr().out.startswith("surveysite ")


def test_a_project_option_after_init_says_why_it_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["init", str(tmp_path / "new"), "--title", "T", "--root", "."])
    assert ended.value.code == 2
    assert (
        capsys.readouterr()
        .err.rstrip()
        .endswith(
            "unrecognized arguments: --root . (init writes a new project in the folder given: --root, "
            "--templates, --edit-url, --no-cache do not apply)"
        )
    )
    assert not (tmp_path / "new").exists()


def test_the_root_before_a_data_command_is_taken(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    assert main(["--root", str(project.root), "issue-form"]) == 0
    assert "Wrote " in capsys.readouterr().err


def test_an_unknown_option_is_refused_with_the_command_s_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["check", "--bogus"])
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: surveysite check [-h]"), err
    assert err.rstrip().endswith("surveysite check: error: unrecognized arguments: --bogus"), err


def test_version_and_a_templates_folder_that_is_not_there(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A maintainer's trial: `--version` was refused for want of a command, and a mistyped --templates
    folder was taken for none (check said 'No problems found')."""
    with pytest.raises(SystemExit) as ended:
        main(["--version"])
    assert ended.value.code == 0
    assert re.fullmatch(r"surveysite (\d+\.\d+\S*|unknown)\n", capsys.readouterr().out)
    project = make_project()
    for command in (["check"], ["pages", "--out", str(tmp_path / "out")]):
        assert main(["--root", str(project.root), "--templates", str(tmp_path / "nowhere"), *command]) == 2
        assert capsys.readouterr().err == f"surveysite: --templates {tmp_path / 'nowhere'}: no such folder\n"
    assert not (tmp_path / "out").exists()


def test_a_run_does_not_import_what_only_version_reads() -> None:
    """importlib.metadata (with email, zipfile and sockets) took 40 ms of every run when imported at the
    top of cli.py: a warm run after an edit is 1.3-1.5x of the bare parse, where the target is 1.5x."""
    code = "import sys, surveysite.cli; print(sorted(m for m in sys.modules if m.startswith(NAMES)))"
    code = code.replace("NAMES", repr(("importlib.metadata", "email")))
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert found == "[]\n", found


def test_check_s_markdown_rows_tell_a_warning_from_a_problem(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project({PUBLISHED_PATH: "about/\n"})  # the other addresses not recorded: a warning
    rows = run(capsys, "--root", str(project.root), "check", "--format", "markdown")[1].splitlines()
    assert rows == [
        f"| `{PUBLISHED_PATH}:1` | warning: 7 of the site's page addresses are not recorded here (/alpha/, "
        "/alpha/one/, /alpha/two/ and 4 more); once the site is published with them, run `surveysite "
        "published` to add them |"
    ]
