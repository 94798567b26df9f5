"""`surveysite init`: the files of a new project, the title in them, and a folder it refuses."""

from __future__ import annotations

import datetime
import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest

from surveysite import issueform
from surveysite.build import Project, build_site, check
from surveysite.cli import main
from surveysite.newproject import private_source, project_files, requirement_from
from surveysite.pages import titled_intro
from surveysite.rules import RULE_KEYS
from surveysite.studies import STUDY_KEYS

ATOM = "{http://www.w3.org/2005/Atom}"
DAY = datetime.date(2026, 3, 1)


def test_the_title_is_written_safely_into_yaml_and_markdown() -> None:
    title = 'Robots: "Learning" & Planning #1'
    files = project_files(title, "surveysite==1.0", DAY)
    assert f"title: {json.dumps(title)}" in files["content/survey.yaml"]
    assert f"site_name: {json.dumps(title)}" in files["mkdocs.yml"]
    # As typed, where that is inert: a new maintainer's trial found 'A &amp; B' in the file to edit.
    assert files["README.md"].startswith('# Robots: "Learning" & Planning #1\n')
    # The home page's heading is the title in survey.yaml, not a copy of it (see pages.titled_intro).
    assert "@@" not in files["content/pages/index.md"] and not files["content/pages/index.md"].startswith("#")
    entity = project_files("Q&amp;A &copy; &#169; &#xA9;", "surveysite==1.0", DAY)["README.md"]
    assert entity.startswith("# Q&amp;amp;A &amp;copy; &amp;#169; &amp;#xA9;\n")  # shown as typed
    assert files["requirements.txt"] == "surveysite==1.0\n"
    assert "added: 2026-03-01" in files["content/studies/example2023study.yaml"]
    assert not [path for path, text in files.items() if "@@" in text]  # every placeholder filled
    assert {".gitignore", ".github/workflows/pages.yml", "scripts/site"} <= set(files)


@pytest.mark.parametrize(
    "title",
    [
        "Agents & *Tools* < Humans > Bots",
        "[x](javascript:alert(1)) `code` {: #id } | cell",
        "# 1. _Plans_",
        "Agents in C#",
    ],
    ids=["emphasis-and-brackets", "link-code-attributes", "block-start", "last-hash"],
)
def test_a_title_with_markdown_or_html_in_it_makes_a_project_that_builds_and_shows_it_as_text(
    tmp_path: Path, title: str
) -> None:
    target = tmp_path / "new"
    assert main(["init", str(target), "--title", title]) == 0
    assert main(["--root", str(target), "check"]) == 0
    site = build_site(Project.at(target))
    home = markdown.markdown(site.pages["index.md"], extensions=["attr_list", "md_in_html", "tables"])
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", home)
    assert heading is not None
    assert html.unescape(heading.group(1)) == title  # as typed: no element, link or emphasis made of it


def test_a_new_projects_home_page_is_headed_by_the_title_survey_yaml_holds_now(tmp_path: Path) -> None:
    """A maintainer's trial changed the title in content/survey.yaml: the home page kept the old one,
    which init had written into index.md."""
    target = tmp_path / "new"
    assert main(["init", str(target), "--title", "Graph Learning for Chemistry"]) == 0
    survey = target / "content" / "survey.yaml"
    survey.write_text(
        survey.read_text(encoding="utf-8").replace("Graph Learning for Chemistry", "Molecules & Graphs")
    )
    assert main(["--root", str(target), "issue-form"]) == 0  # (it names the survey too)
    assert main(["--root", str(target), "check"]) == 0
    home = build_site(Project.at(target)).pages["index.md"]
    assert home.startswith("# Molecules & Graphs\n\nIntroduce your survey here") and "Chemistry" not in home


def test_issue_form_writes_the_form_and_the_guides_example_or_neither(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data-safety trial's read-only project folder: the form was rewritten, then CONTRIBUTING.md
    refused, and the message said the form could not be written."""
    target = tmp_path / "new"
    assert main(["init", str(target), "--title", "Graph Learning"]) == 0
    survey = target / "content" / "survey.yaml"
    survey.write_text(survey.read_text(encoding="utf-8").replace("Graph Learning", "Molecules"))
    guide = target / "CONTRIBUTING.md"
    text = guide.read_text(encoding="utf-8")
    start = text.index("<!-- The example below")
    guide.write_text(text[:start] + text[start:].replace("summary:", "summary (edited):", 1))
    form = target / ".github" / "ISSUE_TEMPLATE" / "propose-study.yml"
    before = {path: path.read_bytes() for path in (form, guide)}
    atomic = issueform.write_text

    def write(root: Path, path: Path, text: str) -> None:
        if path.name == "CONTRIBUTING.md":
            raise PermissionError(13, "Permission denied", str(path.with_name(".CONTRIBUTING.md.x1")))
        atomic(root, path, text)

    monkeypatch.setattr(issueform, "write_text", write)
    capsys.readouterr()
    assert main(["--root", str(target), "issue-form"]) == 2
    assert capsys.readouterr().err == (
        "surveysite: cannot write CONTRIBUTING.md: Permission denied; nothing was changed\n"
    )
    assert {path: path.read_bytes() for path in (form, guide)} == before
    # (A project with no form yet: none written, and no folder for it left.)
    shutil.rmtree(target / ".github")
    assert main(["--root", str(target), "issue-form"]) == 2
    assert not (target / ".github").exists()
    monkeypatch.undo()
    assert main(["--root", str(target), "issue-form"]) == 0
    assert form.read_bytes() != before[form] and guide.read_bytes() != before[guide]


@pytest.mark.parametrize(
    ("intro", "heading"),
    [
        ("", "# A & B"),
        ("Some words.", "# A & B"),
        ("# Our own\n\nWords.", "# Our own"),
        ("Our own\n=======\n\nWords.", "Our own"),
        ("---\nhide:\n  - toc\n---\n\nWords.", "# A & B"),
        ("---\nhide:\n  - toc\n---\n# Our own", "# Our own"),
        ("#Our own\n\nWords.", "#Our own"),  # Python-Markdown's <h1> too
        ("<h1>Our own</h1>\n\nWords.", "<h1>Our own</h1>"),
        ("Words.\n\n```sh\n# install\npip install x\n```", "# A & B"),  # a comment in a fenced block
    ],
    ids=[
        "empty",
        "words",
        "own-heading",
        "own-underlined",
        "settings",
        "settings-own-heading",
        "no-space",
        "element",
        "fenced-comment",
    ],
)
def test_the_home_pages_introduction_gets_the_title_unless_it_has_a_heading_of_its_own(
    intro: str, heading: str
) -> None:
    text = titled_intro(intro, "A & B")
    body = text.split("---\n", 2)[-1] if text.startswith("---") else text
    assert body.lstrip("\n").startswith(heading)
    assert text.count("# A & B") == (heading == "# A & B")
    if intro.startswith("---"):  # the page's settings stay first, as MkDocs reads them
        assert text.startswith("---\nhide:\n  - toc\n---\n")


@pytest.mark.parametrize("title", ["Agents <Survey>", "A </b> B", "Notes <!-- x -->"])
def test_init_refuses_a_title_that_starts_an_html_tag_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str
) -> None:
    assert main(["init", str(tmp_path / "new"), "--title", title]) == 2
    piece = re.search("<.", title)
    assert piece is not None
    assert capsys.readouterr().err == (
        f"surveysite: the title holds '{piece.group()}', which a page would read as the start of an HTML "
        "tag; leave out the '<' or put a space after it\n"
    )
    assert not (tmp_path / "new").exists()


def test_init_writes_the_project_and_says_what_next(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new"
    assert main(["init", str(target), "--title", "Graph Learning", "--requirement", "surveysite==9"]) == 0
    out = capsys.readouterr().out
    written = len(project_files("x", "y", DAY)) + 1  # and the issue form, generated from the taxonomy
    assert out.startswith(f"Wrote a new survey project of {written} files to {target}.")
    assert (target / "requirements.txt").read_text() == "surveysite==9\n"
    assert main(["--root", str(target), "check"]) == 0


@pytest.mark.parametrize("title", ["", "   "])
def test_init_refuses_an_empty_title(tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str) -> None:
    assert main(["init", str(tmp_path / "new"), "--title", title]) == 2
    assert capsys.readouterr().err == 'surveysite: the title is empty; give one with --title "Your Survey"\n'
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    ("option", "value"),
    [("--title", "Graphs\x01"), ("--title", "Graphs \udcff"), ("--requirement", "surveysite\udcff")],
    ids=["control-character", "undecodable-byte", "undecodable-requirement"],  # the shell's $'\xff'
)
def test_init_refuses_a_title_or_requirement_no_file_can_carry_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    options = {"--title": "T", option: value}
    assert main(["init", str(tmp_path / "new"), *(part for pair in options.items() for part in pair)]) == 2
    name = option.lstrip("-")
    assert (
        capsys.readouterr().err
        == f"surveysite: the {name} holds a character no file of the project can carry; type it again\n"
    )
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    "requirement",
    [
        "surveysite==0.1.0\n--index-url http://pkgs.example/simple",
        "not a requirement !!",
        "--pre",
        "surveysite; !!",
        "~/src/surveysite",
    ],
    ids=["a-pip-option-on-a-second-line", "no-requirement", "an-option", "no-marker", "a-home-path"],
)
def test_init_refuses_what_is_no_requirement_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], requirement: str
) -> None:
    """A maintainer's trial gave '--requirement' a second line, a pip option the site's workflow would
    obey ('--index-url' of another host), and words pip cannot read: both were written as given."""
    assert main(["init", str(tmp_path / "new"), "--title", "T", f"--requirement={requirement}"]) == 2
    assert capsys.readouterr().err.startswith(
        f"surveysite: --requirement {requirement!r} is no requirement pip"
    )
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    "requirement",
    ["surveysite==0.1.0", "surveysite @ file:///srv/surveysite",
     "surveysite>=0.1,<0.2; python_version >= '3.11'", "git+https://github.com/org/surveysite@v0.1.0",
     "../surveysite"],
)  # fmt: skip
def test_init_takes_each_kind_of_requirement(tmp_path: Path, requirement: str) -> None:
    assert main(["init", str(tmp_path / "new"), "--title", "T", "--requirement", requirement]) == 0
    assert (tmp_path / "new" / "requirements.txt").read_text() == f"{requirement}\n"


def test_a_title_holding_a_placeholder_is_written_as_it_is(tmp_path: Path) -> None:
    title = 'Graphs "@@TITLE_MARKDOWN@@" and @@TODAY@@'
    files = project_files(title, "surveysite==1.0", DAY)
    assert files["README.md"].startswith('# Graphs "@@TITLE\\_MARKDOWN@@" and @@TODAY@@\n')
    assert f"title: {json.dumps(title)}" in files["content/survey.yaml"]
    assert main(["init", str(tmp_path / "new"), "--title", title, "--requirement", "surveysite==9"]) == 0


def test_each_new_project_gets_a_feed_id_of_its_own_that_a_title_change_leaves_alone(tmp_path: Path) -> None:
    ids = []
    for name in ("one", "two"):
        assert main(["init", str(tmp_path / name), "--title", "Graphs", "--requirement", "x==9"]) == 0
        survey = tmp_path / name / "content" / "survey.yaml"
        feed = ET.fromstring(build_site(Project.at(tmp_path / name)).files["feed.xml"])
        ids.append(feed.findtext(f"{ATOM}id"))
        survey.write_text(survey.read_text(encoding="utf-8").replace('title: "Graphs"', 'title: "Trees"'))
        assert (
            ET.fromstring(build_site(Project.at(tmp_path / name)).files["feed.xml"]).findtext(f"{ATOM}id")
            == ids[-1]
        )
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", str(i)) for i in ids) and ids[0] != ids[1]


def test_init_writes_beside_a_fresh_checkouts_files_and_refuses_to_replace_any(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new maintainer's trial: a repository just cloned from GitHub (.git/, a LICENSE) was refused
    as not empty. Any folder is taken in which init replaces nothing."""
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    (checkout / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (checkout / "LICENSE").write_text("mine")
    assert main(["init", str(checkout), "--title", "T"]) == 0
    assert (checkout / "LICENSE").read_text() == "mine" and (checkout / ".git" / "HEAD").is_file()
    assert (checkout / "mkdocs.yml").is_file()
    capsys.readouterr()
    taken = tmp_path / "taken"
    (taken / "content").mkdir(parents=True)
    (taken / "mkdocs.yml").write_text("site_name: mine\n")
    (taken / "content" / "taxonomy.yaml").write_text("tree: []\n")
    assert main(["init", str(taken), "--title", "T"]) == 2
    assert capsys.readouterr().err == (  # each named (a trial was told of one 'and 1 more')
        f"surveysite: {taken} already holds content/taxonomy.yaml, mkdocs.yml, which init writes; move "
        "them away or choose a new folder (nothing was written)\n"
    )
    assert sorted(p.name for p in taken.rglob("*")) == ["content", "mkdocs.yml", "taxonomy.yaml"]


def test_init_keeps_the_readme_and_ignore_file_of_a_repository_made_on_github(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial made its repository on GitHub with a README, a licence and a .gitignore, as
    GitHub offers, and init refused the clone. The README is kept as it is; the .gitignore keeps every
    line and gets those of init's it lacks (so that site/ and .venv/ are not committed)."""
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    (checkout / "README.md").write_text("# My repository\n")
    (checkout / ".gitignore").write_text("__pycache__/\n*.pyc")  # (no last line end)
    (checkout / "LICENSE").write_text("mine")
    assert main(["init", str(checkout), "--title", "T"]) == 0
    out = capsys.readouterr().out
    assert "  README.md was there already: kept as it was\n" in out
    assert "  .gitignore was there already: kept, any of init's lines it lacked added at its end\n" in out
    assert (checkout / "README.md").read_text() == "# My repository\n"
    assert (checkout / ".gitignore").read_text() == (
        "__pycache__/\n*.pyc\n\n# Added by surveysite init\n.venv/\nsite/\n"
    )
    assert (checkout / ".gitattributes").is_file() and (checkout / "mkdocs.yml").is_file()
    assert [p for p in check(Project.at(checkout)) if not p.warning] == []  # the example project, whole
    assert main(["init", str(tmp_path / "again"), "--title", "T"]) == 0  # (a new folder: all of init's)
    assert "was there already" not in capsys.readouterr().out


@pytest.mark.parametrize(
    "fails", ["content/pages/index.md", "scripts/site", ".github/ISSUE_TEMPLATE/propose-study.yml"]
)
def test_init_that_cannot_write_a_file_takes_back_all_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fails: str
) -> None:
    """A data-safety trial's read-only content/ stopped init with README.md, CONTRIBUTING.md and
    bib/studies.bib written; a second init refused them, and would have kept init's README as the
    user's. Now the checkout is left as it was: its own files, and its .gitignore without init's lines."""
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    (checkout / ".gitignore").write_text("__pycache__/\n")
    (checkout / "LICENSE").write_text("mine")
    before = sorted(p.relative_to(checkout) for p in checkout.rglob("*"))
    real = Path.write_text

    def write_text(self: Path, *args: object, **kwargs: object) -> int:
        if self == checkout / fails:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", write_text)
    atomic = issueform.write_text

    def write_form(root: Path, path: Path, text: str) -> None:  # (the issue form is replaced whole)
        if path == checkout / fails:
            raise PermissionError(13, "Permission denied", str(path))
        atomic(root, path, text)

    monkeypatch.setattr(issueform, "write_text", write_form)
    assert main(["init", str(checkout), "--title", "T"]) == 2
    err = capsys.readouterr().err
    said = (
        f"the project: Permission denied ({checkout / fails})"
        if "ISSUE" not in fails
        else f"{fails}: Permission denied"
    )
    assert err == f"surveysite: cannot write {said}; nothing was written\n"
    assert sorted(p.relative_to(checkout) for p in checkout.rglob("*")) == before
    assert (checkout / ".gitignore").read_text() == "__pycache__/\n"
    monkeypatch.undo()
    assert main(["init", str(checkout), "--title", "T"]) == 0  # (nothing in its way now)


def test_the_guides_example_study_file_follows_the_taxonomy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial replaced the taxonomy, and the CONTRIBUTING.md that init wrote went on showing
    contributors the example's leaf and facets. Check warns of it; `surveysite issue-form` writes the
    example again from the taxonomy, and nothing else of the guide."""
    folder = tmp_path / "survey"
    assert main(["init", str(folder), "--title", "T"]) == 0
    capsys.readouterr()
    guide = folder / "CONTRIBUTING.md"
    before = guide.read_text(encoding="utf-8")
    assert "  - example-class/first-leaf\n" in before and "  evaluation: [benchmark]\n" in before
    assert not [p for p in check(Project.at(folder)) if "example study file" in p.message]
    taxonomy = folder / "content" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8").replace("id: first-leaf", "id: spectral", 1)
    text = text.replace("values: [benchmark, case study, user study, theory]", "values: [QM9, ZINC]")
    taxonomy.write_text(text.replace("kind: terms", "kind: yes-no"), encoding="utf-8")
    told = [(str(p.location), p.message, p.warning) for p in check(Project.at(folder)) if "guide" in p.message
            or "example study file" in p.message]  # fmt: skip
    line = before[: before.index("```yaml\nname: Example study")].count("\n") + 1
    assert told == [
        (
            f"CONTRIBUTING.md:{line}",
            "its example study file no longer matches content/taxonomy.yaml and content/survey.yaml; run "
            "`surveysite issue-form` to write it again",
            True,
        )
    ]
    assert main(["--root", str(folder), "issue-form"]) == 0
    assert capsys.readouterr().err == (
        "Wrote .github/ISSUE_TEMPLATE/propose-study.yml, and the example study file of CONTRIBUTING.md.\n"
    )
    after = guide.read_text(encoding="utf-8")
    assert "  - example-class/spectral\n" in after and "  evaluation: [QM9]\n" in after
    assert "  method: yes                      # a list of values" in after
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [
        ("  - example-class/first-leaf", "  - example-class/spectral"),
        (
            "  method: [example method]         # a list of values, or one value; 'not stated' or "
            "'not checked' (below)",
            "  method: yes                      # a list of values, or one value; 'not stated' or "
            "'not checked' (below)",
        ),
        ("  evaluation: [benchmark]", "  evaluation: [QM9]"),
    ]
    assert not [p for p in check(Project.at(folder)) if "example study file" in p.message]


@pytest.mark.parametrize("lost", ["end", "start"])
def test_a_guides_example_that_lost_a_marking_line_is_told_not_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lost: str
) -> None:
    """A data-safety trial deleted the example's end line: issue-form wrote the form and left the guide's
    example out of step with the taxonomy, and check said nothing. Check now warns, naming the line
    left; issue-form stops before it writes anything; without both lines the guide is the project's."""
    folder = tmp_path / "survey"
    assert main(["init", str(folder), "--title", "T"]) == 0
    capsys.readouterr()
    guide = folder / "CONTRIBUTING.md"
    text = guide.read_text(encoding="utf-8")
    gone, left = (issueform.EXAMPLE_END, issueform.EXAMPLE_START)
    if lost == "start":
        gone, left = left, gone
    guide.write_text(text.replace(gone + "\n", ""), encoding="utf-8")
    line = text.replace(gone + "\n", "")[: text.replace(gone + "\n", "").index(left)].count("\n") + 1
    told = [(str(p.location), p.warning) for p in check(Project.at(folder)) if "marking line" in p.message]
    assert told == [(f"CONTRIBUTING.md:{line}", True)]
    form = folder / ".github/ISSUE_TEMPLATE/propose-study.yml"
    form_before, guide_before = form.read_bytes(), guide.read_bytes()
    (folder / "content/taxonomy.yaml").write_text(
        (folder / "content/taxonomy.yaml")
        .read_text(encoding="utf-8")
        .replace("id: first-leaf", "id: spectral"),
        encoding="utf-8",
    )
    assert main(["--root", str(folder), "issue-form"]) == 1
    out = capsys.readouterr()
    assert f"CONTRIBUTING.md:{line}: " in out.out and f"lost its other marking line, {gone}" in out.out
    assert "the issue form was not written" in out.err
    assert (form.read_bytes(), guide.read_bytes()) == (form_before, guide_before)
    guide.write_text(guide.read_text(encoding="utf-8").replace(left + "\n", ""), encoding="utf-8")
    assert main(["--root", str(folder), "issue-form"]) == 0
    assert not [p for p in check(Project.at(folder)) if "marking line" in p.message]


def test_a_guide_with_both_marking_lines_in_cr_lf_is_not_told_it_lost_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review saved the guide with CR LF line ends: check said its end line was lost (both were
    there) and issue-form stopped."""
    folder = tmp_path / "survey"
    assert main(["init", str(folder), "--title", "T"]) == 0
    guide = folder / "CONTRIBUTING.md"
    guide.write_bytes(guide.read_bytes().replace(b"\n", b"\r\n"))
    assert not [p for p in check(Project.at(folder)) if "marking line" in p.message]
    capsys.readouterr()
    assert main(["--root", str(folder), "issue-form"]) == 0
    # And its example is kept in step as in any guide, in its line ends: a trial's guide in CR LF was
    # left alone, out of step with the taxonomy, and check said nothing.
    taxonomy = folder / "content/taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("id: first-leaf", "id: spectral"))
    told = [str(p.location) for p in check(Project.at(folder)) if "example study file" in p.message]
    start = guide.read_bytes().split(issueform.EXAMPLE_START.encode())[0].count(b"\n") + 1
    assert told == [f"CONTRIBUTING.md:{start + 1}"]
    before = guide.read_bytes()
    assert main(["--root", str(folder), "issue-form"]) == 0
    after = guide.read_bytes()
    assert b"example-class/spectral\r\n" in after and b"example-class/first-leaf" in before
    assert after.count(b"\n") == after.count(b"\r\n") == before.count(b"\r\n")
    assert not [p for p in check(Project.at(folder)) if "example study file" in p.message]


def test_a_guide_whose_example_ends_before_it_starts_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The guide's two marking lines swapped: the example was left alone without a word. Check warns
    at the end line, and issue-form stops before it writes anything."""
    folder = tmp_path / "survey"
    assert main(["init", str(folder), "--title", "T"]) == 0
    capsys.readouterr()
    guide = folder / "CONTRIBUTING.md"
    start, end = issueform.EXAMPLE_START, issueform.EXAMPLE_END
    text = guide.read_text(encoding="utf-8").replace(start, "\0").replace(end, start).replace("\0", end)
    guide.write_text(text, encoding="utf-8")
    line, at = (text[: text.index(mark)].count("\n") + 1 for mark in (end, start))
    told = [
        (str(p.location), p.message) for p in check(Project.at(folder)) if "example study file" in p.message
    ]
    assert told == [
        (
            f"CONTRIBUTING.md:{line}",
            "the example study file that `surveysite issue-form` keeps in step with the taxonomy ends before "
            f"it starts: this line stands above {start} (line {at}), and no end line below it; move this "
            "line after the example's closing ```",
        )
    ]
    before = guide.read_bytes()
    assert main(["--root", str(folder), "issue-form"]) == 1
    assert f"CONTRIBUTING.md:{line}: " in capsys.readouterr().out
    assert guide.read_bytes() == before


@pytest.mark.parametrize("guide", ["linked", "latin-1"])
def test_a_guide_of_the_projects_own_that_cannot_be_read_stops_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], guide: str
) -> None:
    """A review: once the guide's example was checked, a project's own CONTRIBUTING.md (a link to
    docs/CONTRIBUTING.md, or saved in Latin-1) failed check and stopped `issue-form`. The site does not
    publish it: it is left alone."""
    folder = tmp_path / "survey"
    assert main(["init", str(folder), "--title", "T"]) == 0
    capsys.readouterr()
    path = folder / "CONTRIBUTING.md"
    path.unlink()
    if guide == "linked":
        (folder / "docs").mkdir()
        (folder / "docs" / "CONTRIBUTING.md").write_text("# How to help\n", encoding="utf-8")
        path.symlink_to("docs/CONTRIBUTING.md")
    else:
        path.write_bytes("# Comment contribuer à l'étude\n".encode("latin-1"))
    assert [p for p in check(Project.at(folder)) if not p.warning] == []
    assert main(["--root", str(folder), "issue-form"]) == 0
    assert capsys.readouterr().err == "Wrote .github/ISSUE_TEMPLATE/propose-study.yml.\n"


def test_the_pages_init_writes_for_the_maintainer_to_replace_are_warned_of_until_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial found that the home and About pages' text from init ('Introduce your survey
    here: ...') passed check silently, where a study file's TODO is told: a site could go out with it.
    Each is a warning (check still passes) until the page has text of its own. So are init's example
    taxonomy and study (an edge-case trial's check said nothing of them, which `published` refuses)."""
    folder = tmp_path / "survey"
    assert main(["init", str(folder), "--title", "T"]) == 0
    capsys.readouterr()
    said = "this is still the text `surveysite init` wrote for you to replace; write the page's own, as the "
    found = [(str(p.location), p.message, p.warning) for p in check(Project.at(folder))]
    example = (
        "this is still `surveysite init`'s example (its first line says so: '# EXAMPLE …'); replace it with "
        "your survey's own, and that line with it"
    )
    assert found == [
        ("content/pages/about.md:3", said + "site shows it as it is", True),
        ("content/pages/index.md:1", said + "site shows it as it is", True),
        ("content/studies/example2023study.yaml:1", example, True),
        ("content/taxonomy.yaml:1", example, True),
    ]
    for name in ("content/taxonomy.yaml", "content/studies/example2023study.yaml"):  # (made their own)
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    about = folder / "content" / "pages" / "about.md"
    about.write_text("# About\n\nMaintained by the lab of J. Doe since 2026.\n", encoding="utf-8")
    # The home page's text, rewrapped but unchanged, is still init's.
    index = folder / "content" / "pages" / "index.md"
    index.write_text(" ".join(index.read_text(encoding="utf-8").split()) + "\n", encoding="utf-8")
    assert [str(p.location) for p in check(Project.at(folder))] == ["content/pages/index.md:1"]
    assert main(["--root", str(folder), "check"]) == 0


def test_init_adds_no_pattern_the_users_attributes_set_and_refuses_a_file_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: a user's '*.bib -text' was overridden by init's '*.bib text eol=lf' added after it (in
    .gitattributes a later line wins); a .gitignore not in UTF-8 stopped init halfway, with a traceback."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / ".gitattributes").write_text("*.bib -text\n")
    assert main(["init", str(checkout), "--title", "T"]) == 0
    attributes = (checkout / ".gitattributes").read_text()
    assert attributes.startswith("*.bib -text\n\n# Added by surveysite init\n")
    assert "*.bib  text" not in attributes and "*.yaml text eol=lf" in attributes
    capsys.readouterr()
    latin = tmp_path / "latin"
    latin.mkdir()
    (latin / ".gitignore").write_bytes(b"caf\xe9/\n")
    assert main(["init", str(latin), "--title", "T"]) == 2
    assert capsys.readouterr().err == (
        f"surveysite: {latin / '.gitignore'} is not UTF-8; save it as UTF-8, or move it away (nothing was "
        "written)\n"
    )
    assert [p.name for p in latin.iterdir()] == [".gitignore"]


def test_init_refuses_an_empty_folder_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`surveysite init "$DIR"` with DIR unset wrote a project into the folder it ran in."""
    monkeypatch.chdir(tmp_path)
    assert main(["init", "", "--title", "T"]) == 2
    assert "the folder's name is empty" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_init_refuses_a_file_and_a_link_on_the_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["init", str(tmp_path / "notes.txt"), "--title", "T"]) == 2
    assert "is not a folder; choose a new folder" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text() == "mine"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / ".github").symlink_to(elsewhere)  # writing through it would write outside the folder
    assert main(["init", str(folder), "--title", "T"]) == 2
    assert f"{folder} already holds .github, which init writes" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == [] and [p.name for p in folder.iterdir()] == [".github"]


def test_requirements_name_the_git_commit_surveysite_came_from_when_pip_recorded_one() -> None:
    git = {"url": "https://github.com/org/repo", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}
    assert requirement_from(json.dumps(git), "0.1.0") == "surveysite @ git+https://github.com/org/repo@abc123"
    local = {"url": "file:///home/me/surveysite", "dir_info": {}}
    assert requirement_from(json.dumps(local), "0.1.0") == "surveysite==0.1.0"
    assert requirement_from(None, "0.2.0") == "surveysite==0.2.0"


def test_init_says_when_this_copy_came_from_where_others_cannot_install_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    git = {"url": "https://github.com/org/repo", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}
    local = {"url": "file:///home/me/surveysite", "dir_info": {"editable": True}}
    wheel = {"url": "https://example.org/surveysite-1.0-py3-none-any.whl", "archive_info": {}}
    assert [private_source(json.dumps(git)), private_source(json.dumps(wheel)), private_source(None)] == [
        ""
    ] * 3
    assert private_source(json.dumps(local)) == "file:///home/me/surveysite"
    monkeypatch.setattr("surveysite.cli.default_requirement", lambda: ("surveysite==0.1.0", local["url"]))
    assert main(["init", str(tmp_path / "a"), "--title", "T"]) == 0
    out = capsys.readouterr().out
    assert "installed from file:///home/me/surveysite, which others cannot install from" in out
    assert "surveysite==0.1.0 is on no package index" in out and "--requirement" in out
    # The next step it names works with this copy; the set-up script's, once it can install one.
    assert out.endswith(
        f"Next: cd {tmp_path / 'a'} && surveysite check && mkdocs serve (scripts/site serve once "
        "requirements.txt names a surveysite it can install).\n"
    )
    assert main(["init", str(tmp_path / "b"), "--title", "T", "--requirement", "surveysite==9"]) == 0
    out = capsys.readouterr().out
    assert "others cannot install" not in out
    assert out.endswith("&& surveysite check && mkdocs build --strict (or: scripts/site serve).\n")


def test_every_data_rule_is_documented_for_a_new_survey_and_for_this_one(tmp_path: Path) -> None:
    """A new survey's maintainers read of `rules:` only that they may turn some on, by no name."""
    assert main(["init", str(tmp_path / "new"), "--title", "Graphs"]) == 0
    documents = [
        tmp_path / "new" / "CONTRIBUTING.md",
        Path(__file__).resolve().parent.parent / "CONTRIBUTING.md",
    ]
    for document in documents:
        text = document.read_text(encoding="utf-8")
        assert [key for key in RULE_KEYS if f"`{key}" not in text] == [], document


def test_every_key_of_a_study_file_is_documented_for_a_new_survey_and_for_this_one(tmp_path: Path) -> None:
    """A maintainer's trial found 'note' accepted by check but in no CONTRIBUTING's study file."""
    assert main(["init", str(tmp_path / "new"), "--title", "Graphs"]) == 0
    for document in (
        tmp_path / "new" / "CONTRIBUTING.md",
        Path(__file__).resolve().parent.parent / "CONTRIBUTING.md",
    ):
        text = document.read_text(encoding="utf-8")
        example = text[text.index("## The study file") :].split("```")[1]
        assert [key for key in STUDY_KEYS if not re.search(rf"(?m)^{key}:", example)] == [], document


@pytest.mark.parametrize("mode", ["build", "serve"])
def test_the_projects_site_script_passes_further_arguments_to_mkdocs(tmp_path: Path, mode: str) -> None:
    """A new maintainer's trial ran `scripts/site serve -a 127.0.0.1:8101`, as this repository's
    CONTRIBUTING says, in a new project: it served on port 8000 all the same (and `build --site-dir`
    built into site/)."""
    files = project_files("T", "surveysite==1.0", DAY)
    script = tmp_path / "scripts" / "site"
    script.parent.mkdir()
    script.write_text(files["scripts/site"], encoding="utf-8")
    script.chmod(0o755)
    (tmp_path / "requirements.txt").write_text(files["requirements.txt"], encoding="utf-8")
    fake = tmp_path / ".venv" / "bin" / "mkdocs"  # set up already: what it is given, written out
    fake.parent.mkdir(parents=True)
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/given"\n', encoding="utf-8")
    fake.chmod(0o755)
    (tmp_path / ".venv" / ".installed").touch()
    done = subprocess.run(
        [str(script), mode, "-a", "127.0.0.1:8101"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert (fake.parent / "given").read_text().split() == [mode, "--strict", "-a", "127.0.0.1:8101"]


@pytest.mark.parametrize("where", ["start", "end"])
def test_a_guide_whose_marking_line_holds_more_is_told_at_that_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    """A marking line with more on its line (words after the start line, the end line indented): the
    example was left alone without a word; a review then found the end line's fault told at the start
    line."""
    folder = tmp_path / "survey"
    assert main(["init", str(folder), "--title", "T"]) == 0
    guide = folder / "CONTRIBUTING.md"
    mark = issueform.EXAMPLE_START if where == "start" else issueform.EXAMPLE_END
    changed = mark + " Edit it freely.\n" if where == "start" else "  " + mark + "\n"
    text = guide.read_text(encoding="utf-8").replace(mark + "\n", changed)
    guide.write_text(text, encoding="utf-8")
    line = text[: text.index(mark)].count("\n") + 1
    told = [
        (str(p.location), p.message) for p in check(Project.at(folder)) if "example study file" in p.message
    ]
    assert told == [
        (
            f"CONTRIBUTING.md:{line}",
            "the example study file that `surveysite issue-form` keeps in step with the taxonomy is not "
            "marked as it writes it: this marking line must stand on a line of its own",
        )
    ]
    capsys.readouterr()
    assert main(["--root", str(folder), "issue-form"]) == 1
    assert guide.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("ends", ["lf", "crlf"])
def test_a_guides_byte_order_mark_is_kept_when_its_example_is_written(tmp_path: Path, ends: str) -> None:
    """A review: a guide saved with a byte order mark (as Windows editors save one, often in CR LF) lost
    it when issue-form wrote its example anew."""
    folder = tmp_path / "survey"
    assert main(["init", str(folder), "--title", "T"]) == 0
    guide = folder / "CONTRIBUTING.md"
    data = guide.read_bytes()
    guide.write_bytes(b"\xef\xbb\xbf" + (data.replace(b"\n", b"\r\n") if ends == "crlf" else data))
    taxonomy = folder / "content/taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("id: first-leaf", "id: spectral"))
    assert main(["--root", str(folder), "issue-form"]) == 0
    after = guide.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf#") and b"example-class/spectral" in after
    assert (after.count(b"\r\n") == after.count(b"\n")) == (ends == "crlf")


def test_a_guide_of_mixed_line_ends_or_a_stray_end_line_above_is_kept_in_step(tmp_path: Path) -> None:
    """A review: a CR LF guide with one line in LF before its end line was told its lines were not
    marked as written; and a second end line above the start line, the right one below, was told to be
    moved where one already stood. Both mark their example: it is kept in step, without a word."""
    folder = tmp_path / "survey"
    assert main(["init", str(folder), "--title", "T"]) == 0
    guide = folder / "CONTRIBUTING.md"
    start, end = issueform.EXAMPLE_START, issueform.EXAMPLE_END
    text = guide.read_text(encoding="utf-8").replace("\n", "\r\n").replace("```\r\n" + end, "```\n" + end)
    text = text.replace(start, end + "\r\n\r\n" + start)
    assert text.count(end) == 2 and "```\n" + end in text
    guide.write_bytes(text.encode())
    assert not [p for p in check(Project.at(folder)) if "example study file" in p.message]
    taxonomy = folder / "content/taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("id: first-leaf", "id: spectral"))
    told = [p.message for p in check(Project.at(folder)) if "example study file" in p.message]
    assert len(told) == 1 and "no longer matches" in told[0]
    assert main(["--root", str(folder), "issue-form"]) == 0
    after = guide.read_bytes().decode()
    assert "example-class/spectral\r\n" in after and after.count(end) == 2
    assert not [p for p in check(Project.at(folder)) if "example study file" in p.message]
