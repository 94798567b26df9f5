"""A `mkdocs build` with many study pages to build shares them with a forked child process: the site is
the one a build in one process makes, the child's pages are kept for the next build like any other,
what the child logs is logged (and counted by `--strict`) here, and a failed child's pages are built
here. The builds run in this process, the share lowered so that the mini survey's pages are shared."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.pages import Page

from surveysite import build_split, mkdocs_plugin, parallel, render
from surveysite.resources import TEMPLATES

from .conftest import MKDOCS_YML as SERVED_YML
from .conftest import mini_copy
from .test_build_reuse import MKDOCS_YML, STUDIES, build, reused
from .test_serve_rebuilds import Serving, site_files


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The mini survey, built with the reuse tests' mkdocs.yml."""
    return mini_copy(tmp_path, MKDOCS_YML)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[build_split.SharedBuild]:
    """Share from one study page up, even on one core; the shares this process forked, as forked.

    Threads that earlier tests leave waiting (a browser's process watcher) are not counted, as in
    test_parallel's fixture."""
    allow_forks(monkeypatch)
    monkeypatch.setattr(build_split, "MIN_PAGES", 1)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    forked: list[build_split.SharedBuild] = []
    real = build_split.fork_share

    def fork(config: Any, paths: frozenset[str]) -> Any:
        side = real(config, paths)
        if isinstance(side, build_split.SharedBuild):  # in the child, nothing is noted
            forked.append(side)
        return side

    monkeypatch.setattr(mkdocs_plugin, "fork_share", fork)
    return forked


def allow_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_threads", lambda: 1)
    monkeypatch.setenv("SURVEYSITE_JOBS", "2")


def build_here(project: Path, site: Path, dirty: bool = False) -> None:
    """`mkdocs build --strict` in this process, as the command runs it (`--dirty`: not strict, as MkDocs
    warns of every dirty build)."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=not dirty)
    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        mkdocs_build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()


def one_process_build(project: Path, tmp_path: Path) -> dict[str, Any]:
    """The site a build in one process makes (a command with SURVEYSITE_JOBS=1, its own cache)."""
    fresh = tmp_path / "one-process"
    assert reused(build(project, fresh, tmp_path / "cache-one", SURVEYSITE_JOBS="1")) == 0
    return site_files(fresh)


def failed_child(records: list[logging.LogRecord]) -> bool:
    return any("the second process failed" in r.getMessage() for r in records)


def test_a_share_of_the_study_pages_is_built_by_a_child_and_the_site_is_the_same(
    project: Path, tmp_path: Path, forks: list[build_split.SharedBuild], caplog: pytest.LogCaptureFixture
) -> None:
    site = tmp_path / "site"
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        build_here(project, site)
    assert len(forks) == 1 and 0 < len(forks[0].paths) < STUDIES
    assert forks[0].delivered == forks[0].paths  # built there, not here after all
    assert site_files(site) == one_process_build(project, tmp_path)
    # The child's pages were kept with this process's: the next build (a command) reuses them all.
    # (A build that logged a warning keeps none: once in a whole run of the suite none were reused,
    # which did not happen again; what was logged is told if it does.)
    logged = [f"{r.threadName}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.WARNING]
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "SURVEYSITE_JOBS": "1"}
    assert reused(build(project, tmp_path / "again", tmp_path / "cache", **env)) == STUDIES, logged


def test_what_the_child_logs_is_logged_here_and_fails_a_strict_build(
    project: Path, tmp_path: Path, forks: list[build_split.SharedBuild], caplog: pytest.LogCaptureFixture
) -> None:
    own = project / "templates" / "study.md.j2"  # every study page links to nowhere: each warns once
    own.parent.mkdir()
    own.write_text((TEMPLATES / "study.md.j2").read_text(encoding="utf-8") + "\n[Notes](../missing.md)\n")
    with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(Abort, match="strict mode"):
        build_here(project, tmp_path / "site")
    assert len(forks) == 1 and forks[0].paths and forks[0].delivered == forks[0].paths
    assert not failed_child(caplog.records)
    warned = [r for r in caplog.records if r.levelno == logging.WARNING and "missing.md" in r.getMessage()]
    pages = sorted(r.getMessage().split("'")[1] for r in warned)
    assert pages == sorted(f"studies/{p.stem}.md" for p in (project / "content" / "studies").glob("*.yaml"))


def test_what_both_processes_log_before_the_pages_is_logged_and_counted_once(
    project: Path,
    tmp_path: Path,
    forks: list[build_split.SharedBuild],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The child goes through MkDocs's steps before the pages (the navigation) as this process does."""
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("validation:\n  nav:\n    omitted_files: warn\n")
    real = render._nav  # the About page left out of the navigation: MkDocs warns of it

    def without_about(*args: Any) -> Any:
        return [item for item in real(*args) if "about.md" not in item.values()]

    monkeypatch.setattr(render, "_nav", without_about)
    with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(Abort, match="1 warnings"):
        build_here(project, tmp_path / "site")
    assert len(forks) == 1 and forks[0].delivered == forks[0].paths
    assert len([r for r in caplog.records if "not included in the" in r.getMessage()]) == 1


def test_when_the_child_fails_its_pages_are_built_here(
    project: Path,
    tmp_path: Path,
    forks: list[build_split.SharedBuild],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def crash(*args: Any, **kwargs: Any) -> None:
        os._exit(3)  # the child ends before building anything

    monkeypatch.setattr(build_split.ChildBuild, "build", crash)
    site = tmp_path / "site"
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        build_here(project, site)
    assert len(forks) == 1 and forks[0].delivered == frozenset()
    assert failed_child(caplog.records)
    assert site_files(site) == one_process_build(project, tmp_path)


def test_a_child_failing_before_its_pages_ends_there_and_they_are_built_here(
    project: Path,
    tmp_path: Path,
    forks: list[build_split.SharedBuild],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Converting one of its pages fails in the child: MkDocs's error path must not go on there (it
    would run the exit handlers, and under `serve --clean` delete the site folder)."""
    here, left = os.getpid(), tmp_path / "left"
    real_render, real_leave = Page.render, build_split.ChildBuild.leave

    def render(page: Page, *args: Any, **kwargs: Any) -> None:
        if os.getpid() != here and page.file.src_uri.startswith("studies/"):
            raise RuntimeError("broken in the child")
        real_render(page, *args, **kwargs)

    def leave() -> None:
        left.write_text(str(os.getpid()))
        real_leave()

    monkeypatch.setattr(Page, "render", render)
    monkeypatch.setattr(build_split.ChildBuild, "leave", staticmethod(leave))
    site = tmp_path / "site"
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        build_here(project, site)
    assert len(forks) == 1 and forks[0].delivered == frozenset() and failed_child(caplog.records)
    assert left.read_text() not in ("", str(here))  # the child left by leave(), and only the child
    assert site_files(site) == one_process_build(project, tmp_path)


def test_a_fork_that_fails_leaves_the_build_to_one_process(
    project: Path, tmp_path: Path, forks: list[build_split.SharedBuild], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_fork)
    site = tmp_path / "site"
    build_here(project, site)
    assert forks == []
    assert site_files(site) == one_process_build(project, tmp_path)


def test_the_share_is_spread_over_the_pages_and_only_taken_when_a_child_may_be_forked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    allow_forks(monkeypatch)
    pages = [f"studies/s{i:03d}.md" for i in range(build_split.MIN_PAGES)]
    share = build_split.child_share(pages)
    assert len(share) == round(len(pages) * build_split.CHILD_SHARE)
    assert share & set(pages[:10]) and share & set(pages[-10:])  # from the whole list, not one end
    assert build_split.child_share(pages[:-1]) == frozenset()  # too few
    monkeypatch.setenv("SURVEYSITE_JOBS", "1")
    assert build_split.child_share(pages) == frozenset()


def test_a_dirty_build_is_not_shared(
    project: Path, tmp_path: Path, forks: list[build_split.SharedBuild]
) -> None:
    """`--dirty` builds only the pages MkDocs takes for changed: a child would build the others empty.
    (Without the search plugin, which MkDocs keeps for the whole process: a dirty build in this
    process would leave it merging the next builds' entries with this one's.)"""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - search\n", ""), encoding="utf-8")
    site = tmp_path / "site"
    build_here(project, site, dirty=True)
    assert forks == []
    assert (site / "studies" / "lee2023third" / "index.html").is_file()


def test_serve_builds_in_one_process(tmp_path: Path, forks: list[build_split.SharedBuild]) -> None:
    """Even its first build, which runs before the server's threads: sharing it started serve in 7.6-9.0
    s instead of 13.0-14.1 s at 1,000 studies, but left the server 10 MB smaller after the first edit,
    so that 50 edits grew it by 7.9-10.7 % (the target: 10 %), and its highest 265 MB against 250 MB."""
    project = mini_copy(tmp_path, SERVED_YML.format(port=8000))
    server = Serving(project, tmp_path / "served", 8000)
    assert forks == []
    assert site_files(server.site) == one_process_build(project, tmp_path)


@pytest.mark.usefixtures("children_ignored")
def test_with_children_reaped_by_the_kernel_the_build_stays_in_one_process(
    project: Path, tmp_path: Path, forks: list[build_split.SharedBuild]
) -> None:
    site = tmp_path / "site"
    build_here(project, site)  # waiting for the child raised ChildProcessError and failed the build
    assert forks == []
    assert site_files(site) == one_process_build(project, tmp_path)


KEYS = ("lee2023third", "mueller2021first", "smith2022second")  # the mini survey's studies
PRINTING_EXTENSION = """
import os
from markdown import Extension
from markdown.preprocessors import Preprocessor


class Printing(Preprocessor):
    def run(self, lines):
        if any(lines):  # the child converts the pages it does not build from nothing
            print("converted", os.getpid(), lines[0])
        return lines


class PrintingExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Printing(md), "printing", 100)


def makeExtension(**kwargs):
    return PrintingExtension(**kwargs)


print("imported")  # as MkDocs reads its configuration, before the fork: in the buffer the child is given
"""


def test_what_the_child_prints_is_written_once_when_standard_output_is_a_pipe(
    project: Path, tmp_path: Path
) -> None:
    """Python holds standard output in a buffer when it is a pipe or a file: a child that left without
    writing it lost what it printed, and one that wrote what it inherited would print that twice.
    (A Markdown extension of the project's own prints a line for each page it converts.)"""
    (tmp_path / "printing.py").write_text(PRINTING_EXTENSION, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "  - printing\n", encoding="utf-8")
    command = (  # shared from one page up; the extension taken for one whose code is in the pages' key
        "import sys; from surveysite import build_split, serve_pages; build_split.MIN_PAGES = 1; "
        "serve_pages._EXTENSION_PACKAGES |= {'printing'}; "
        "from mkdocs.__main__ import cli; sys.argv = ['mkdocs', 'build', '--site-dir', sys.argv[1]]; cli()"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env |= {"SURVEYSITE_JOBS": "2", "NO_MKDOCS_2_WARNING": "1", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", command, str(tmp_path / "site")],
        cwd=project, capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    printed = [line.split(" ", 2) for line in done.stdout.splitlines() if line.startswith("converted ")]
    one = subprocess.run(
        [sys.executable, "-c", command, str(tmp_path / "one")],
        cwd=project, capture_output=True, text=True, check=False,
        env={**env, "SURVEYSITE_JOBS": "1", "XDG_CACHE_HOME": str(tmp_path / "cache-one")},
    )  # fmt: skip
    in_one = [line.split(" ", 2) for line in one.stdout.splitlines() if line.startswith("converted ")]
    assert sorted(first for _, _, first in printed) == sorted(first for _, _, first in in_one)
    assert len({pid for _, pid, _ in printed}) == 2  # both processes converted pages
    assert done.stdout.splitlines().count("imported") == one.stdout.splitlines().count("imported") == 1
