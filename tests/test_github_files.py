"""Contributing through GitHub: the workflows, issue form and hooks are valid and in step with the data."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
import yaml

from surveysite.issueform import issue_form, leaf_option
from surveysite.problems import Problems
from surveysite.resources import PROJECT
from surveysite.survey import load_survey
from surveysite.taxonomy import load_taxonomy

from .conftest import ROOT, MakeProject

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ISSUE_FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "propose-study.yml"


def schema_check(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).parent / "check-jsonschema"
    return subprocess.run(
        [str(tool), "--builtin-schema", schema, *map(str, files)], capture_output=True, text=True, check=False
    )


def test_workflows_match_the_github_schema() -> None:
    assert [w.name for w in WORKFLOWS] == ["check.yml", "pages.yml"]
    packaged = sorted((PROJECT / "dot-github" / "workflows").glob("*.yml"))  # (those `init` writes)
    assert [w.name for w in packaged] == ["check.yml", "pages.yml"]
    result = schema_check("vendor.github-workflows", *WORKFLOWS, *packaged)
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_form_matches_the_github_schema() -> None:
    result = schema_check("vendor.github-issue-forms", ISSUE_FORM)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_use_only_official_actions(workflow: Path) -> None:
    uses = re.findall(r"uses:\s*(\S+)", workflow.read_text())
    assert uses and all(re.fullmatch(r"actions/[a-z-]+@v\d+", u) for u in uses), uses


def test_pages_workflow_builds_strictly_and_deploys() -> None:
    text = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    for step in ("mkdocs build --strict", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert step in text


@pytest.mark.parametrize(
    "path",
    [ROOT / ".github" / "workflows", PROJECT / "dot-github" / "workflows"],
    ids=["this-survey", "init-writes"],
)
def test_the_pages_workflow_checks_the_data_before_it_builds_and_publishes(path: Path) -> None:
    """A maintainer's trial renamed a node with no move line: `check` refused it, and the Pages workflow,
    which only built the site, published the site without the old address all the same."""
    workflow = yaml.safe_load((path / "pages.yml").read_text(encoding="utf-8"))
    runs = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    checked = next(index for index, run in enumerate(runs) if run.startswith("surveysite check"))
    assert checked < next(index for index, run in enumerate(runs) if run.startswith("mkdocs build --strict"))
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_check_workflow_runs_check_build_and_tests_on_pull_requests() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "check.yml").read_text())
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    text = (ROOT / ".github" / "workflows" / "check.yml").read_text()
    for step in (
        "surveysite check --format github",
        "GITHUB_STEP_SUMMARY",
        "mkdocs build --strict",
        "scripts/test",
    ):
        assert step in text


def with_stand_ins(folder: Path, script: str, tools: tuple[str, ...]) -> Path:
    """A copy of scripts/<script> in `folder`, beside a set-up .venv/ whose tools note each run (their
    name and arguments, a line each, in folder/ran)."""
    (folder / "scripts").mkdir()
    copy = shutil.copy(ROOT / "scripts" / script, folder / "scripts" / script)
    (folder / "pyproject.toml").write_text("")
    bin_folder = folder / ".venv" / "bin"
    bin_folder.mkdir(parents=True)
    for tool in tools:
        (bin_folder / tool).write_text(f'#!/bin/sh\necho {tool} "$@" >> "{folder}/ran"\n')
        (bin_folder / tool).chmod(0o755)
    for mark in (".installed-test", ".installed"):  # newer than pyproject.toml: set up already
        (folder / ".venv" / mark).touch()
    return Path(copy)


def ran(folder: Path) -> list[str]:
    return (folder / "ran").read_text().splitlines() if (folder / "ran").exists() else []


def test_check_workflow_sets_up_once_with_the_test_script(tmp_path: Path) -> None:
    """CI installed the package twice: with pip for its own steps, then again in scripts/test's
    .venv/. Its steps now use that .venv/, set up by `scripts/test --setup-only`, which runs nothing
    else."""
    text = (ROOT / ".github" / "workflows" / "check.yml").read_text()
    assert "pip install" not in text
    assert "scripts/test --setup-only" in text
    script = with_stand_ins(tmp_path, "test", ("pytest", "ruff", "mypy", "surveysite"))
    run = partial(subprocess.run, timeout=60, check=True, env={**os.environ, "SURVEYSITE_CHROMIUM": "x"})
    run([script, "--setup-only"])
    assert ran(tmp_path) == []
    run([script, "-q"])
    assert [line.split()[0] for line in ran(tmp_path)] == [
        "ruff",
        "ruff",
        "mypy",
        "surveysite",  # check, which tells the .bib files' layout too (the survey's rules ask for it)
        "pytest",
    ]
    assert ran(tmp_path)[-1] == "pytest -q"


def test_the_site_script_passes_further_arguments_to_mkdocs(tmp_path: Path) -> None:
    """A trial's port 8000 was taken, and `scripts/site serve` took no other."""
    script = with_stand_ins(tmp_path, "site", ("mkdocs",))
    for arguments in ([], ["build"], ["serve", "-a", "127.0.0.1:8001"]):
        subprocess.run([script, *arguments], timeout=60, check=True)
    assert ran(tmp_path) == [
        "mkdocs build --strict",
        "mkdocs build --strict",
        "mkdocs serve --strict -a 127.0.0.1:8001",
    ]
    wrong = subprocess.run([script, "preview"], timeout=60, capture_output=True, text=True, check=False)
    assert (wrong.returncode, wrong.stderr) == (2, "usage: scripts/site [build|serve] [mkdocs options]\n")


def test_issue_form_offers_exactly_the_taxonomys_choices() -> None:
    taxonomy = load_taxonomy(ROOT, ROOT / "content" / "taxonomy.yaml", Problems())
    form = {item.get("id"): item for item in yaml.safe_load(ISSUE_FORM.read_text())["body"]}
    assert form["leaf"]["attributes"]["options"] == [
        leaf_option(taxonomy, n.path) for n in taxonomy.nodes if n.is_leaf
    ]
    known = load_survey(ROOT, Problems()).rules.known_facets
    assert known, "the survey's rules name facets every study must give a value of"
    for facet in taxonomy.facets:
        assert facet.id in form, f"the issue form has no field for facet '{facet.id}'"
        unknown = [] if facet.id in known else ["not stated"]  # which the rules would refuse
        if facet.kind == "vocabulary":
            assert form[facet.id]["attributes"]["options"] == [*facet.values, *unknown]
        if facet.kind == "yes-no":
            assert form[facet.id]["attributes"]["options"] == ["yes", "no", *unknown]


def test_pre_commit_hook_runs_the_check() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert [(h["id"], h["entry"]) for h in hooks] == [
        ("surveysite-check", "surveysite check"),
        ("surveysite-format", "surveysite format"),
    ]


def test_every_command_is_documented() -> None:
    docs = (ROOT / "README.md").read_text() + (ROOT / "CONTRIBUTING.md").read_text()
    help_text = subprocess.run(
        [str(Path(sys.executable).parent / "surveysite"), "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commands = re.search(r"\{([a-z,-]+)\}", help_text)
    assert commands is not None
    for command in commands.group(1).split(","):
        assert f"surveysite {command}" in docs, f"`surveysite {command}` is not documented"


def test_a_link_field_labelled_as_a_facet_says_link(make_project: MakeProject) -> None:
    """A new maintainer's trial labelled a yes-no facet 'Code', as the link kind 'code' is: the issue
    form asked 'Code' twice, and an issue's answers came under two headings '### Code'."""
    project = make_project()
    taxonomy_file = project.content / "taxonomy.yaml"
    taxonomy_file.write_text(taxonomy_file.read_text().replace("label: Code released", "label: Code"))
    survey, taxonomy = (
        load_survey(project.root, Problems()),
        load_taxonomy(project.root, taxonomy_file, Problems()),
    )
    labels = [
        item["attributes"].get("label") for item in yaml.safe_load(issue_form(survey, taxonomy))["body"]
    ]
    assert labels.count("Code") == 1 and "Code (link)" in labels
    assert "Project page" in labels  # a label no facet has stays as it is
