"""End to end, as a new user: install the built wheel into a fresh environment, `surveysite init`,
`surveysite check`, `mkdocs build --strict`, then open the site in Chromium. Nothing of this
repository's own survey may show, in the installed package or in the new site.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from .conftest import ROOT, free_port
from .test_browser import serving

TITLE = "Graph Learning for Chemistry"
# Words of this repository's own survey, which the package and a new project's site never contain.
# (The year not within hexadecimal digits: a new site's feed ids hold a random UUID and digests made of
# it, in which '2024' stood once, failing a fresh clone's run.)
FOREIGN = re.compile(r"\bRL\b|LLM|Taxonomy Tree|(?<![0-9A-Fa-f-])2024(?![0-9A-Fa-f-])")
SITE_TEXT = (".html", ".xml", ".json", ".bib", ".csv", ".css", ".js")


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command; the test fails with its output unless it succeeds."""
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def fresh_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with surveysite installed from a wheel built from a copy of the source.

    Its dependencies (MkDocs, Material, ...) come from the test environment's site-packages through a
    .pth file, so the test needs no network; surveysite itself is only the installed wheel.
    """
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "SURVEYSITE.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    pip = [sys.executable, "-m", "pip"]
    run(
        [
            *pip,
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(work / "dist"),
            str(source),
        ],
        work,
    )
    env = work / "env"
    run([sys.executable, "-m", "venv", "--without-pip", str(env)], work)
    python = env / "bin" / "python"
    wheel = next((work / "dist").glob("surveysite-*.whl"))
    run([*pip, "--python", str(python), "install", "--quiet", "--no-deps", "--no-index", str(wheel)], work)
    own = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], work
        ).stdout.strip()
    )
    (own / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return env


@pytest.fixture(scope="module")
def installed_package(fresh_env: Path) -> Path:
    """The folder of the installed surveysite package."""
    python = str(fresh_env / "bin" / "python")
    where = run([python, "-c", "import surveysite; print(surveysite.__file__)"], fresh_env).stdout.strip()
    return Path(where).parent


@pytest.fixture(scope="module")
def new_project(fresh_env: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """`surveysite init` then `mkdocs build --strict`: the project, its built site and its port."""
    folder = tmp_path_factory.mktemp("user") / "new-survey"
    bin_dir = fresh_env / "bin"
    run([str(bin_dir / "surveysite"), "init", str(folder), "--title", TITLE], folder.parent)
    run([str(bin_dir / "surveysite"), "check"], folder)
    run([str(bin_dir / "surveysite"), "format", "--check"], folder)
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"}
    site = folder.parent / "site"
    run([str(bin_dir / "python"), "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], folder, env)
    return folder, site, port


def test_the_projects_test_script_fails_on_a_warning_of_the_strict_build(
    new_project: tuple[Path, Path, int], fresh_env: Path, tmp_path: Path
) -> None:
    """A maintainer's trial: scripts/test said "All checks passed" for a mkdocs.yml whose extra_css
    named a missing file, as it built with --quiet, which hides the warnings --strict counts."""
    project = tmp_path / "project"
    shutil.copytree(new_project[0], project)
    bin_dir = project / ".venv" / "bin"  # the installed wheel, as the script's own set-up would give it
    bin_dir.mkdir(parents=True)
    python = fresh_env / "bin" / "python"
    for name, module in (
        ("surveysite", "-c 'from surveysite.cli import run; run()'"),
        ("mkdocs", "-m mkdocs"),
    ):
        (bin_dir / name).write_text(f'#!/bin/sh\nexec {python} {module} "$@"\n')
        (bin_dir / name).chmod(0o755)
    (project / ".venv" / ".installed").touch()
    script = [str(project / "scripts" / "test")]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    assert run(script, project, env).stdout.endswith("All checks passed; the site builds.\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "extra_css:\n  - stylesheets/missing.css\n")
    failed = subprocess.run(script, cwd=project, capture_output=True, text=True, check=False, env=env)
    assert failed.returncode != 0 and "All checks passed" not in failed.stdout
    assert "extra_css names 'stylesheets/missing.css'" in failed.stderr


def test_the_package_is_the_installed_wheel(installed_package: Path, fresh_env: Path) -> None:
    assert fresh_env in installed_package.parents
    assert (installed_package / "defaults" / "templates" / "study.md.j2").is_file()
    assert (installed_package / "defaults" / "project" / "dot-github" / "workflows" / "pages.yml").is_file()


def test_the_installed_package_names_no_particular_survey(installed_package: Path) -> None:
    files = [p for p in installed_package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert len(files) > 40
    files += list(installed_package.parent.glob("surveysite-*.dist-info/METADATA"))  # the description
    found = [
        f"{p.name}: {m.group(0)}" for p in files for m in FOREIGN.finditer(p.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_init_writes_a_complete_project(new_project: tuple[Path, Path, int]) -> None:
    folder = new_project[0]
    for name in (
        "mkdocs.yml", "README.md", "CONTRIBUTING.md", ".gitignore", "requirements.txt",
        "content/survey.yaml", "content/taxonomy.yaml", "content/studies/example2023study.yaml",
        "bib/studies.bib", "content/pages/index.md", ".github/ISSUE_TEMPLATE/propose-study.yml",
        ".github/PULL_REQUEST_TEMPLATE.md", ".github/workflows/check.yml", ".github/workflows/pages.yml",
    ):  # fmt: skip
        assert (folder / name).is_file(), name
    assert os.access(folder / "scripts" / "site", os.X_OK) and os.access(folder / "scripts" / "test", os.X_OK)
    assert f'title: "{TITLE}"' in (folder / "content" / "survey.yaml").read_text()
    assert "scripts/site serve" in (folder / "README.md").read_text()
    # A maintainer's trial found no word in the project of how to change a page's template: the folder
    # holds its README alone, which says how (and the command that finds the packaged ones).
    assert [p.name for p in (folder / "templates").iterdir()] == ["README.md"]
    assert "import surveysite, pathlib" in (folder / "templates" / "README.md").read_text()


def test_init_refuses_a_folder_that_holds_a_project_already(
    new_project: tuple[Path, Path, int], fresh_env: Path
) -> None:
    folder = new_project[0]
    before = (folder / "mkdocs.yml").read_bytes()
    result = subprocess.run(
        [str(fresh_env / "bin" / "surveysite"), "init", str(folder), "--title", "Other"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == (
        f"surveysite: {folder} holds a survey project already; choose a new folder (nothing was written)\n"
    )
    assert (folder / "mkdocs.yml").read_bytes() == before


def test_the_new_site_has_every_page_and_file(new_project: tuple[Path, Path, int]) -> None:
    site = new_project[1]
    for path in (
        "index.html", "example-class/index.html", "example-class/first-leaf/index.html",
        "example-class/second-leaf/index.html", "another-class/index.html",
        "studies/example2023study/index.html", "matrix/index.html", "whats-new/index.html",
        "about/index.html", "contributing/index.html", "feed.xml", "matrix.json", "downloads/studies.bib",
        "downloads/studies.json", "downloads/studies.csv", "stylesheets/extra.css",
        "stylesheets/survey-colours.css", "javascripts/matrix.js",
    ):  # fmt: skip
        assert (site / path).is_file(), path
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f"<title>{TITLE}</title>" in home
    assert 'class="taxonomy-tree"' in home and "<ul>" in home


def test_the_new_site_shows_no_raw_markdown(new_project: tuple[Path, Path, int]) -> None:
    site = new_project[1]
    for page in (
        "index.html",
        "matrix/index.html",
        "example-class/index.html",
        "studies/example2023study/index.html",
    ):
        html = (site / page).read_text(encoding="utf-8")
        assert " markdown>" not in html and "| --- |" not in html and "!!! " not in html, page
        assert "<table>" in html or page == "index.html", page


def test_the_new_site_names_no_particular_survey(new_project: tuple[Path, Path, int]) -> None:
    site = new_project[1]
    files = [
        p for p in site.rglob("*") if p.suffix in SITE_TEXT and "assets" not in p.relative_to(site).parts
    ]
    assert len(files) > 10
    found = [f"{p.relative_to(site)}: {m.group(0)}" for p in files for m in FOREIGN.finditer(p.read_text())]
    assert found == []


def test_the_new_site_works_in_a_browser(new_project: tuple[Path, Path, int], browser: Browser) -> None:
    _, site, port = new_project
    errors: list[str] = []
    with serving(site, port) as url:
        page = browser.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)
        expect(page).to_have_title(TITLE)
        tree = page.locator(".taxonomy-tree")
        expect(tree.get_by_role("link", name="Example class")).to_be_visible()
        expect(tree.get_by_role("link", name="Another class")).to_be_visible()
        page.goto(url + "matrix/")
        rows = page.locator(".survey-matrix tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Example study")
        expect(page.get_by_label("Filter studies")).to_be_visible()  # matrix.js ran
        page.get_by_label("Filter studies").fill("no such study")
        expect(rows.first).to_be_hidden()
        page.close()
    assert errors == []


def test_another_survey_in_the_new_project_builds_completely(
    new_project: tuple[Path, Path, int], fresh_env: Path, tmp_path: Path
) -> None:
    wide = ROOT / "tests" / "fixtures" / "wide"
    folder = tmp_path / "other-survey"
    shutil.copytree(new_project[0], folder)
    shutil.rmtree(folder / "bib")
    shutil.rmtree(folder / "content" / "studies")
    shutil.copytree(wide / "bib", folder / "bib")
    shutil.copytree(wide / "content" / "studies", folder / "content" / "studies")
    for name in ("taxonomy.yaml", "survey.yaml"):
        shutil.copy(wide / "content" / name, folder / "content" / name)
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run(
        [str(fresh_env / "bin" / "python"), "-m", "mkdocs", "build", "--strict", "-d", str(site)], folder, env
    )
    for path in (
        "construct", "construct/autoregressive", "construct/autoregressive/attention",
        "construct/autoregressive/recurrent", "construct/one-shot", "improve", "improve/local-search",
        "exact", "hybrid", "hybrid/other",
    ):  # fmt: skip
        assert (site / path / "index.html").is_file(), path
    studies = sorted(p.stem for p in (wide / "content" / "studies").glob("*.yaml"))
    for key in studies:
        assert (site / "studies" / key / "index.html").is_file(), key
    matrix = (site / "matrix" / "index.html").read_text(encoding="utf-8")
    assert sorted(re.findall(r'href="\.\./studies/([a-z0-9]+)/"', matrix.split("<tbody>")[1])) == studies
    colours = (site / "stylesheets" / "survey-colours.css").read_text()
    light, dark = (
        re.findall(r"--survey-series-\d+: (#[0-9a-f]{6})", line) for line in colours.splitlines()[:2]
    )
    assert len(set(light)) == len(set(dark)) == 4
