"""`mkdocs build` reuses the study pages of the last build that are unchanged, and the site it makes is
the site a build with nothing kept makes; nothing is reused where that could hide a change or a
warning."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from surveysite import render, serve_site
from surveysite.cache import cache_file, digest
from surveysite.resources import TEMPLATES

from .conftest import MKDOCS_YML as SERVED_YML
from .conftest import mini_copy
from .test_serve_rebuilds import replace, site_files

# The serve tests' site, its footer named by an environment variable (with a comment after it), and
# with functions named in the Markdown options, which must key the same from one build to the next.
MKDOCS_YML = SERVED_YML.format(port=8000).replace(
    "copyright: Version one\n", "copyright: !ENV SURVEY_COPYRIGHT  # the footer\n"
) + (
    "markdown_extensions:\n"
    "  - pymdownx.emoji:\n"
    "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
)
STUDIES = 3  # in the mini survey
REUSED = "study pages unchanged since the last build, not built again"


def build(
    project: Path, site: Path, cache: Path, *options: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` with its own cache folder."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", str(site), *options],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "XDG_CACHE_HOME": str(cache), **env},
    )


def reused(result: subprocess.CompletedProcess[str]) -> int:
    """How many study pages the build said it reused (0 when it did not say)."""
    assert result.returncode == 0, result.stderr
    for line in (result.stdout + result.stderr).splitlines():
        if REUSED in line:
            count, total = line.split("surveysite: ", 1)[1].split(" study")[0].split(" of ")
            assert int(total) == STUDIES
            return int(count)
    return 0


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return mini_copy(tmp_path, MKDOCS_YML)


def same_as_a_fresh_build(project: Path, site: Path, tmp_path: Path, name: str, *options: str) -> None:
    fresh = tmp_path / f"fresh-{name}"
    assert reused(build(project, fresh, tmp_path / f"cache-{name}", *options)) == 0  # a cache of its own
    built, expected = site_files(site), site_files(fresh)
    assert sorted(built) == sorted(expected)
    assert [path for path in expected if built[path] != expected[path]] == []


def test_a_second_build_reuses_the_unchanged_study_pages_and_makes_the_same_site(
    project: Path, tmp_path: Path
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert reused(build(project, site, cache)) == 0
    assert len(list(cache.rglob("*.built.pickle"))) == 1  # kept in the user's cache folder
    assert not [path for path in project.rglob("*") if "built" in path.name]  # never in the project
    assert reused(build(project, site, cache)) == STUDIES
    same_as_a_fresh_build(project, site, tmp_path, "unchanged")
    study = project / "content" / "studies" / "lee2023third.yaml"
    replace(study, "A third fictional study.", "A revised summary.")
    assert reused(build(project, site, cache)) == STUDIES - 1
    page = (site / "studies" / "lee2023third" / "index.html").read_text(encoding="utf-8")
    assert "A revised summary." in page
    same_as_a_fresh_build(project, site, tmp_path, "edited")


def test_nothing_is_reused_after_a_site_file_is_added_or_a_named_variable_or_override_changes(
    project: Path, tmp_path: Path
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert reused(build(project, site, cache)) == 0
    assert reused(build(project, site, cache, SURVEY_COPYRIGHT="Version two")) == 0  # !ENV in mkdocs.yml
    (project / "content" / "pages" / "notes.md").write_text("# Notes\n", encoding="utf-8")  # a link target
    assert reused(build(project, site, cache, SURVEY_COPYRIGHT="Version two")) == 0
    overrides = project / "templates" / "overrides"
    overrides.mkdir(parents=True)
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block footer %}Own footer{% endblock %}\n', encoding="utf-8"
    )
    assert reused(build(project, site, cache, SURVEY_COPYRIGHT="Version two")) == 0
    page = (site / "studies" / "lee2023third" / "index.html").read_text(encoding="utf-8")
    assert "Own footer" in page


def test_a_plugin_outside_the_known_ones_turns_reuse_off(project: Path, tmp_path: Path) -> None:
    replace(project / "mkdocs.yml", "  - search\n", "  - search\n  - tags\n")
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert reused(build(project, site, cache)) == 0
    assert not list(cache.rglob("*.built.pickle"))
    assert reused(build(project, site, cache)) == 0


def test_a_page_that_warned_is_built_again_and_warns_again(project: Path, tmp_path: Path) -> None:
    """Reusing the page would hide the warning, and a strict build would pass."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert reused(build(project, site, cache)) == 0
    own = project / "templates" / "study.md.j2"  # the project's own study page, with a link to nowhere
    own.parent.mkdir()
    packaged = (TEMPLATES / "study.md.j2").read_text(encoding="utf-8")
    own.write_text(packaged + "\n[Notes](../missing.md)\n", encoding="utf-8")
    for _ in range(2):
        result = build(project, site, cache)
        assert result.returncode != 0 and "missing.md" in result.stdout + result.stderr
        assert REUSED not in result.stdout + result.stderr
    own.unlink()
    assert build(project, site, cache).returncode == 0
    same_as_a_fresh_build(project, site, tmp_path, "mended")
    assert reused(build(project, site, cache)) == STUDIES


def test_pages_are_built_again_for_other_addresses_a_plugin_less_or_a_quiet_build(
    project: Path, tmp_path: Path
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert reused(build(project, site, cache)) == 0
    # Pages for studies/x.html instead of studies/x/index.html: the option leaves mkdocs.yml as it is
    assert reused(build(project, site, cache, "--no-directory-urls")) == 0
    same_as_a_fresh_build(project, site, tmp_path, "no-directory-urls", "--no-directory-urls")
    # Without the search plugin, and back: the pages made without it are not taken for the others
    with_search = (project / "mkdocs.yml").read_text(encoding="utf-8")
    replace(project / "mkdocs.yml", "  - search\n", "")
    assert build(project, site, cache).returncode == 0
    (project / "mkdocs.yml").write_text(with_search, encoding="utf-8")
    assert build(project, site, cache).returncode == 0
    same_as_a_fresh_build(project, site, tmp_path, "search-back")
    assert reused(build(project, site, cache)) == STUDIES
    # A quiet build's warnings reach no one: the pages it makes are not kept
    replace(project / "content" / "studies" / "lee2023third.yaml", "A third fictional study.", "Quiet.")
    assert build(project, site, cache, "-q").returncode == 0
    assert reused(build(project, site, cache)) == STUDIES - 1


def test_anchors_checked_at_warning_level_turn_reuse_off(project: Path, tmp_path: Path) -> None:
    """MkDocs checks the anchors of the links into a page as it builds that page."""
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("validation:\n  links:\n    anchors: warn\n")
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert reused(build(project, site, cache)) == 0
    assert reused(build(project, site, cache)) == 0


def build_here(project: Path, site: Path) -> None:
    """`mkdocs build` (strict, as the project's mkdocs.yml says) in this process, into `site`."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


KEPT = ("studies/smith2022second/index.html", "downloads/studies/smith2022second.ris")
EDITED = ("studies/lee2023third/index.html",)


def written(site: Path, paths: tuple[str, ...]) -> list[tuple[int, int]]:
    """Each file's inode and time: another of either, and the file was written again."""
    return [((site / path).stat().st_ino, (site / path).stat().st_mtime_ns) for path in paths]


def test_a_build_leaves_the_unchanged_per_study_files_of_the_last_one_in_place(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs empties the site folder before each build: the study pages and RIS records are moved
    aside and back, and only those that changed are written (at 10,000 studies, half of a build after
    one edit went to emptying and writing 20,000 such files)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(serve_site, "RACY_NS", -(10**18))  # as if each build came long after the last
    site = tmp_path / "site"
    build_here(project, site)
    assert len(list((tmp_path / "cache").rglob("*.site.pickle"))) == 1  # in the user's cache folder
    before = written(site, KEPT + EDITED)
    study = project / "content" / "studies" / "lee2023third.yaml"
    replace(study, "A third fictional study.", "A revised summary.")
    build_here(project, site)
    after = written(site, KEPT + EDITED)
    assert [a == b for a, b in zip(after, before, strict=True)] == [True, True, False]
    same_as_a_fresh_build(project, site, tmp_path, "kept-in-place")
    # What was changed, removed or added by hand in those folders, or left aside by a build stopped
    # half-way, is mended by the next build.
    (site / KEPT[0]).write_text("changed by hand", encoding="utf-8")
    (site / KEPT[1]).unlink()
    (site / "studies" / "stray.html").write_text("added by hand", encoding="utf-8")
    left = site / ".surveysite-kept-x1" / "studies"
    left.mkdir(parents=True)
    build_here(project, site)
    assert not left.parent.exists()
    same_as_a_fresh_build(project, site, tmp_path, "mended")
    # A copy of the site elsewhere, times and all, is not taken for the folder the record is of.
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    before = written(copy, KEPT)
    build_here(project, copy)
    assert [a == b for a, b in zip(written(copy, KEPT), before, strict=True)] == [False, False]


def test_a_build_into_another_site_folder_leaves_this_ones_record_to_the_next_build_here(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each site folder has its record: a build into another folder between two builds here (a
    preview, the test suite's) leaves the unchanged per-study files here in place."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(serve_site, "RACY_NS", -(10**18))  # as if each build came long after the last
    site, other = tmp_path / "site", tmp_path / "other"
    memo = cache_file(project)
    memo.parent.mkdir(parents=True)
    earlier = memo.with_name(f"{memo.stem}.site.pickle")  # the one record of earlier versions
    earlier.write_bytes(b"of every site folder")
    build_here(project, site)
    assert not earlier.exists()
    before = written(site, KEPT + EDITED)
    build_here(project, other)
    assert len(list((tmp_path / "cache").rglob("*.site.pickle"))) == 2
    replace(project / "content" / "studies" / "lee2023third.yaml", "A third fictional study.", "Revised.")
    build_here(project, site)
    after = written(site, KEPT + EDITED)
    assert [a == b for a, b in zip(after, before, strict=True)] == [True, True, False]
    same_as_a_fresh_build(project, site, tmp_path, "after-another")
    before = written(other, KEPT)
    build_here(project, other)  # its own record still there too
    assert [a == b for a, b in zip(written(other, KEPT), before, strict=True)] == [True, True]


def test_a_study_page_whose_html_is_reused_is_not_rendered_and_one_whose_html_is_not_is(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plugin needs a study page's Markdown only to build it: a page the Memo knows the digest of
    is rendered only when its HTML cannot be reused (render.Pages)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    made: list[str] = []
    real = render._study_page_pair

    def counted(render_with: render.Render, study: render.StudyView) -> tuple[str, str]:
        made.append(study.key)
        return real(render_with, study)

    monkeypatch.setattr(render, "_study_page_pair", counted)
    site = tmp_path / "site"
    build_here(project, site)
    every = sorted(made)
    assert len(every) == STUDIES and "lee2023third" in every
    made.clear()
    replace(project / "content" / "studies" / "lee2023third.yaml", "A third fictional study.", "Revised.")
    build_here(project, site)
    assert made == ["lee2023third"]  # the other two: their digests kept, their HTML reused
    same_as_a_fresh_build(project, site, tmp_path, "deferred")
    made.clear()
    for kept in (tmp_path / "cache").rglob("*.built.pickle"):  # no HTML to reuse: every page made
        kept.unlink()
    build_here(project, site)
    assert sorted(made) == every  # each deferred, and made when MkDocs had to build it
    same_as_a_fresh_build(project, site, tmp_path, "made-when-built")


def test_pages_are_deferred_only_where_the_html_of_a_build_before_may_be_reused(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no page can be reused, every one is built: rendered beforehand, shared with a child,
    not one by one as MkDocs asks for it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    deferred: list[int] = []

    class Counted(render.Pages):
        def __init__(self, entries: dict[str, str | tuple[str, Callable[[], str]]]) -> None:
            super().__init__(entries)
            deferred.append(self.deferred)

    monkeypatch.setattr(render, "Pages", Counted)
    site = tmp_path / "site"
    build_here(project, site)
    build_here(project, site)
    assert deferred == [STUDIES]  # the first build had no HTML to reuse; the second, every page's
    for kept in (tmp_path / "cache").rglob("*.built.pickle"):
        kept.unlink()
    build_here(project, site)
    assert deferred == [STUDIES]  # the HTML gone: nothing deferred
    build_here(project, site)
    assert deferred == [STUDIES, STUDIES]
    replace(project / "mkdocs.yml", "  - search\n", "  - search\n  - tags\n")  # reuses nothing
    build_here(project, site)
    assert deferred == [STUDIES, STUDIES]


def test_deferred_pages_keep_their_order_and_give_their_digest_without_being_made() -> None:
    made: list[str] = []

    def make(text: str) -> str:
        made.append(text)
        return text

    pages = render.Pages({"a.md": "A", "b.md": (digest("B"), lambda: make("B")), "c.md": "C"})
    assert list(pages) == ["a.md", "b.md", "c.md"] and len(pages) == 3 and pages.deferred == 1
    assert [pages.waiting(path) for path in ["a.md", "b.md", "c.md", "d.md"]] == [False, True, False, False]
    assert pages.text_digest("b.md") == digest("B") and render.text_digest(pages, "c.md") == digest("C")
    assert made == [] and "b.md" in pages and "d.md" not in pages
    assert pages["b.md"] == "B" and pages["b.md"] == "B" and made == ["B"]  # made once
    assert pages.deferred == 0 and not pages.waiting("b.md")
    assert dict(pages) == {"a.md": "A", "b.md": "B", "c.md": "C"}


def test_files_a_build_wrote_in_its_last_seconds_are_written_again_by_the_next(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system that keeps times to the second, a file rewritten in the second a build wrote
    it keeps its size and time: such a file is not taken as the build left it (see RACY_NS)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(serve_site, "RACY_NS", 10**18)  # every file as if written just now
    site = tmp_path / "site"
    build_here(project, site)
    before = written(site, KEPT)
    build_here(project, site)
    assert [a == b for a, b in zip(written(site, KEPT), before, strict=True)] == [False, False]


def test_a_failed_build_leaves_no_record_of_the_site_folder(project: Path, tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert build(project, site, cache).returncode == 0
    assert list(cache.rglob("*.site.pickle"))
    own = project / "templates" / "study.md.j2"  # study pages with a link to nowhere: MkDocs warns
    own.parent.mkdir()
    own.write_text((TEMPLATES / "study.md.j2").read_text(encoding="utf-8") + "\n[N](../gone.md)\n", "utf-8")
    assert build(project, site, cache).returncode != 0  # strict: it fails after writing the site
    assert not list(cache.rglob("*.site.pickle"))
    assert not [path for path in site.iterdir() if path.name.startswith(".surveysite-kept-")]


@pytest.mark.parametrize("linked", ["studies", "downloads"])
def test_a_kept_folder_linked_elsewhere_is_not_emptied(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, linked: str
) -> None:
    """MkDocs does not remove a linked folder when it empties the site folder, and writes through it:
    what the folder it leads to holds is the user's, and no build deletes it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(serve_site, "RACY_NS", -(10**18))
    shared = tmp_path / "shared"
    (shared / "sub").mkdir(parents=True)
    mine = [shared / "notes.txt", shared / "sub" / "draft.md", shared / "studies" / "mine.txt"]
    mine[2].parent.mkdir()
    for path in mine:
        path.write_text("the user's own", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / linked).symlink_to(shared, target_is_directory=True)
    for _ in range(3):
        build_here(project, site)
    assert [path.read_text(encoding="utf-8") for path in mine] == ["the user's own"] * 3


def test_a_file_written_anew_is_a_new_file_not_one_shared_with_a_copy_or_behind_a_link(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs writes into the folder it emptied, so each file is new; in a kept folder a file written
    again must be too: a copy of the site made with hard links (`cp -al`, `rsync --link-dest`) keeps
    its own bytes, and a link put there leads nowhere the build writes."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(serve_site, "RACY_NS", -(10**18))
    site, snapshot = tmp_path / "site", tmp_path / "snapshot"
    build_here(project, site)
    shutil.copytree(site, snapshot, copy_function=os.link)  # the same files under other names
    old = (snapshot / EDITED[0]).read_bytes()
    mine = tmp_path / "mine.txt"
    mine.write_text("the user's own", encoding="utf-8")
    (site / KEPT[1]).unlink()
    (site / KEPT[1]).symlink_to(mine)  # a link where a RIS record was
    theirs = tmp_path / "theirs"
    (theirs).mkdir()
    (theirs / "index.html").write_text("the user's own", encoding="utf-8")
    shutil.rmtree(site / "studies" / "smith2022second")
    (site / "studies" / "smith2022second").symlink_to(theirs, target_is_directory=True)  # a linked folder
    replace(project / "content" / "studies" / "lee2023third.yaml", "A third fictional study.", "Revised.")
    build_here(project, site)
    assert (snapshot / EDITED[0]).read_bytes() == old
    assert "Revised." in (site / EDITED[0]).read_text(encoding="utf-8")
    assert mine.read_text(encoding="utf-8") == "the user's own"
    assert (theirs / "index.html").read_text(encoding="utf-8") == "the user's own"
    same_as_a_fresh_build(project, site, tmp_path, "links")


def test_a_file_that_cannot_be_removed_fails_no_build(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As MkDocs leaves what it cannot remove when it empties the site folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(serve_site, "RACY_NS", -(10**18))  # the folders set aside: the build removes it
    site = tmp_path / "site"
    build_here(project, site)
    stray = site / "studies" / "gone" / "index.html"
    stray.parent.mkdir()
    stray.write_text("left by someone", encoding="utf-8")
    unlink = os.unlink

    def refused(path: str | os.PathLike[str], *args: object, **kwargs: object) -> None:
        if "gone" in os.fspath(path):
            raise PermissionError(1, "Operation not permitted", os.fspath(path))
        unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "unlink", refused)
    build_here(project, site)
    assert stray.exists() and (site / KEPT[0]).is_file()


def test_a_file_mkdocs_leaves_out_is_not_kept_in_place(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(serve_site, "RACY_NS", -(10**18))
    site = tmp_path / "site"
    build_here(project, site)
    assert (site / KEPT[1]).is_file()
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("exclude_docs: downloads/studies/\n")
    build_here(project, site)
    build_here(project, site)
    assert not (site / KEPT[1]).exists()
    same_as_a_fresh_build(project, site, tmp_path, "excluded")


def test_a_record_that_cannot_be_removed_is_not_used_and_fails_no_build(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache folder the build may read but not change (restored read-only, or left to another
    user): the record could outlive a failed build, so it is not trusted; the build goes on."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(serve_site, "RACY_NS", -(10**18))
    site = tmp_path / "site"
    build_here(project, site)
    before = written(site, KEPT)
    unlink = Path.unlink

    def refused(path: Path, missing_ok: bool = False) -> None:
        if path.name.endswith(".site.pickle"):
            raise PermissionError(13, "Permission denied", str(path))
        unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refused)
    build_here(project, site)
    assert [a == b for a, b in zip(written(site, KEPT), before, strict=True)] == [False, False]
    same_as_a_fresh_build(project, site, tmp_path, "record-kept")


def test_a_dirty_build_removes_the_record_and_what_a_stopped_build_left_aside(
    project: Path, tmp_path: Path
) -> None:
    """A --dirty build does not empty the site folder, and may change the kept files with no record:
    it removes the record of its own folder, not that of another."""
    site, cache, other = tmp_path / "site", tmp_path / "cache", tmp_path / "other"
    assert build(project, other, cache).returncode == 0
    assert build(project, site, cache).returncode == 0
    assert len(list(cache.rglob("*.site.pickle"))) == 2
    left = site / ".surveysite-kept-x2"
    left.mkdir()
    # Not strict: MkDocs warns of every dirty build (and a failed build drops the record anyway).
    replace(project / "mkdocs.yml", "strict: true\n", "strict: false\n")
    dirty = [str(Path(sys.executable).parent / "mkdocs"), "build", "--dirty", "--site-dir", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "XDG_CACHE_HOME": str(cache)}
    assert subprocess.run(dirty, cwd=project, env=env, capture_output=True, check=False).returncode == 0
    assert not left.exists()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache))
        assert list(cache.rglob("*.site.pickle")) == [serve_site.site_file(project, str(other))]


def test_a_build_in_this_process_leaves_no_handler_on_the_mkdocs_logger(
    project: Path, tmp_path: Path
) -> None:
    before = list(logging.getLogger("mkdocs").handlers)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(config)
    config.plugins.on_shutdown()
    assert logging.getLogger("mkdocs").handlers == before


def test_a_plugin_that_served_before_builds_as_a_build(project: Path, tmp_path: Path) -> None:
    """MkDocs keeps a plugin that defines on_startup for the whole process: after `serve`, a build in
    the same process must not go on with what serve kept (nor leave serve's warning count attached)."""
    before = list(logging.getLogger("mkdocs").handlers)
    served = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "served"))
    served.plugins.on_startup(command="serve", dirty=False)
    mkdocs_build(served)
    plugin = served.plugins["surveysite"]
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    assert config.plugins["surveysite"] is plugin  # the same object, as MkDocs keeps it
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(config)
    config.plugins.on_shutdown()
    assert getattr(plugin, "serving", "absent") is None
    assert logging.getLogger("mkdocs").handlers == before


OWN_EXTENSION = """
from markdown import Extension
from markdown.preprocessors import Preprocessor

WORD = "Before"


class Stamp(Preprocessor):
    def run(self, lines):
        return [*lines, "", WORD]


class StampExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Stamp(md), "stamp", 100)


def makeExtension(**kwargs):
    return StampExtension(**kwargs)
"""


def test_a_markdown_extension_from_outside_the_known_renderers_turns_reuse_off(
    project: Path, tmp_path: Path
) -> None:
    """A project's own extension (or another package's) can change with nothing in a page's key."""
    module = tmp_path / "modules" / "own_stamp.py"
    module.parent.mkdir()
    module.write_text(OWN_EXTENSION, encoding="utf-8")
    replace(project / "mkdocs.yml", "markdown_extensions:\n", "markdown_extensions:\n  - own_stamp\n")
    site, cache = tmp_path / "site", tmp_path / "cache"
    path = {"PYTHONPATH": os.pathsep.join(filter(None, [str(module.parent), os.environ.get("PYTHONPATH")]))}
    assert reused(build(project, site, cache, **path)) == 0
    module.write_text(OWN_EXTENSION.replace('"Before"', '"After"'), encoding="utf-8")
    assert reused(build(project, site, cache, **path)) == 0
    assert "After" in (site / "studies" / "lee2023third" / "index.html").read_text(encoding="utf-8")
    assert not list(cache.rglob("*.built.pickle"))
