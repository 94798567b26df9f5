"""`pages` and `export` run again with nothing changed: nothing is built, loaded or written."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from surveysite import cache, cli, downloads, loading, output, render, stamp, studies, views
from surveysite.build import Project, load_catalog
from surveysite.cli import main
from surveysite.output import MARKER
from surveysite.paths import (
    ALL_STUDIES_BIB,
    MATRIX_DATA,
    SEARCH_IDENTIFIERS,
    STUDIES_JSON,
    study_page,
    study_ris,
)
from surveysite.problems import Problems
from surveysite.resources import TEMPLATES
from surveysite.stamp import planned_run, stamp_file, stamp_of

from .conftest import MINI, marker_sums

CONFIG = """site_name: Mini
docs_dir: content/pages
plugins:
  - search
  - surveysite:
      edit_url: !ENV [MINI_EDIT_URL, ""]
"""
LEE = """@article{lee2023third,
  author  = {Lee, Chen and Kim, Dana},
  title   = {Third Study},
  journal = {Journal of Fiction},
  year    = {2023},
}
"""
FOURTH_BIB = "@misc{kim2024fourth,\n  author = {Kim, Dana},\n  title = {Fourth Study},\n  year = {2024},\n}\n"
FOURTH_STUDY = """name: Fourth
categories: [beta]
placement: high
in_survey: false
added: 2026-02-01
summary: A fourth fictional study.
facets:
  model: [GPT]
  feedback: [human]
  code: yes
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The mini survey with one study's entry in a .bib file of its own, a template of its own and a
    mkdocs.yml."""
    root = tmp_path / "project"
    shutil.copytree(MINI, root)
    bib = root / "bib" / "studies.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text[: text.index("@article{lee2023third")], encoding="utf-8")
    (root / "bib" / "lee.bib").write_text(LEE, encoding="utf-8")
    (root / "templates").mkdir()
    shutil.copy(TEMPLATES / "study.md.j2", root / "templates" / "study.md.j2")
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return Project.at(root)


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file's time taken as old enough to tell a rewrite (see stamp._RACY_NS), as if each run came
    long after the one before: else the keys of the files a run has just written are not recorded."""
    monkeypatch.setattr(stamp, "_RACY_NS", -(10**18))


def run(capsys: pytest.CaptureFixture[str], project: Project, command: str, out: Path, *options: str) -> str:
    """Run `pages` or `export` into `out`; what it printed on standard error (it must succeed)."""
    where = ["--out", str(out)] if command == "pages" else [str(out)]
    code = main(["--root", str(project.root), *options, command, *where])
    err = capsys.readouterr().err
    assert code == 0, err
    return err


def tree(out: Path) -> dict[str, bytes]:
    """Every file below a folder, by its path there (the marker's records without their times)."""
    found = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    return {name: marker_sums(data) if name == MARKER else data for name, data in found.items()}


def folders(out: Path) -> list[str]:
    """Every folder below a folder, by its path there."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir())


def fresh(
    capsys: pytest.CaptureFixture[str], project: Project, command: str, out: Path, *options: str
) -> dict[str, bytes]:
    """What a run that reuses nothing writes."""
    run(capsys, project, command, out, "--no-cache", *options)
    return tree(out)


def _forbidden(*args: object) -> Any:
    raise AssertionError("a run with nothing changed loaded the memo or built the site")


COMMANDS = ["pages", "export"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_second_identical_run_writes_nothing_and_loads_no_memo(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:  # fmt: skip
    out = tmp_path / "out"
    first = run(capsys, project, command, out)
    count = int(first.split()[1])
    written = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    monkeypatch.setattr(cli, "load_memo", _forbidden)
    monkeypatch.setattr(cli, "build_site", _forbidden)
    assert run(capsys, project, command, out) == f"Nothing changed: {count} files in {out} are up to date.\n"
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == written


def _edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        text = (root / name).read_text(encoding="utf-8")
        assert old in text, old
        (root / name).write_text(text.replace(old, new), encoding="utf-8")

    return change


def _add_study(root: Path) -> None:
    (root / "bib" / "kim.bib").write_text(FOURTH_BIB, encoding="utf-8")
    (root / "content" / "studies" / "kim2024fourth.yaml").write_text(FOURTH_STUDY, encoding="utf-8")


def _remove_study(root: Path) -> None:
    (root / "bib" / "lee.bib").unlink()
    (root / "content" / "studies" / "lee2023third.yaml").unlink()


def _other_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "CODE_VERSION", "another surveysite")


# Each: a change to the project, options for the second run, and a change to the code.
Change = tuple[Callable[[Path], None] | None, list[str], Callable[[pytest.MonkeyPatch], None] | None]
CHANGES: dict[str, Change] = {
    "a .bib file": (_edit("bib/lee.bib", "Third Study", "Third Study, Revised"), [], None),
    "a study file": (_edit("content/studies/lee2023third.yaml", "A third", "Another third"), [], None),
    "taxonomy.yaml": (_edit("content/taxonomy.yaml", "The first leaf.", "The very first leaf."), [], None),
    "survey.yaml": (_edit("content/survey.yaml", "The Mini Survey", "The Tiny Survey"), [], None),
    "a hand-written page": (_edit("content/pages/about.md", "About the", "All about the"), [], None),
    "a project template": (_edit("templates/study.md.j2", "Summary", "In short"), [], None),
    "mkdocs.yml": (_edit("mkdocs.yml", "site_name: Mini", "site_name: Mini\nsite_author: Ada"), [], None),
    # What other studies' kept views and pages show of a study: its name among their related studies,
    # the counts of the leaves it is in; and what every view shows of the taxonomy and the survey.
    "a related study renamed": (
        _edit("content/studies/lee2023third.yaml", "name: Third", "name: Trio"),
        [],
        None,
    ),
    "a study moved": (_edit("content/studies/lee2023third.yaml", "[beta]", "[alpha/one]"), [], None),
    "a leaf renamed": (_edit("content/taxonomy.yaml", "name: Leaf two", "name: Leaf 2"), [], None),
    "the edition renamed": (_edit("content/survey.yaml", "the 2022 review", "the old review"), [], None),
    "a year changed": (_edit("bib/lee.bib", "{2023}", "{2020}"), [], None),  # the chart of years
    "a study added": (_add_study, [], None),
    "a study removed": (_remove_study, [], None),
    "another --edit-url": (None, ["--edit-url", "https://example.org/edit/main/"], None),
    "another CODE_VERSION": (None, [], _other_code),
}


@pytest.mark.parametrize(
    ("command", "change"),
    [
        pytest.param(c, k, id=f"{k}-{c}")
        for c in COMMANDS
        for k in CHANGES
        if (c, k) != ("pages", "mkdocs.yml")
    ],
)
def test_any_change_to_what_a_run_reads_builds_again_as_a_fresh_run_would(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    command: str, change: str,
) -> None:  # fmt: skip
    _builds_again_as_a_fresh_run_would(project, tmp_path, capsys, monkeypatch, command, change)


@pytest.mark.parametrize("change", [k for k in CHANGES if k != "mkdocs.yml"])
def test_any_change_builds_again_as_a_fresh_run_would_with_the_last_runs_keys_trusted(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    change: str, settled: None,
) -> None:  # fmt: skip
    # The files the first run wrote are old enough for the second to trust the keys it recorded for
    # them, so what each is made of decides whether it is made again at all (see render._compared).
    _builds_again_as_a_fresh_run_would(project, tmp_path, capsys, monkeypatch, "pages", change)


def _builds_again_as_a_fresh_run_would(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    command: str, change: str,
) -> None:  # fmt: skip
    edit, options, code = CHANGES[change]
    out = tmp_path / "out"
    run(capsys, project, command, out)
    if edit is not None:
        edit(project.root)
    if code is not None:
        code(monkeypatch)
    assert run(capsys, project, command, out, *options).startswith("Wrote ")
    assert tree(out) == fresh(capsys, project, command, tmp_path / "fresh", *options)
    assert run(capsys, project, command, out, *options).startswith("Nothing changed: ")


def test_pages_does_not_read_mkdocs_yml(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, project, "pages", tmp_path / "out")
    (project.root / "mkdocs.yml").write_text(CONFIG + "site_author: Ada\n", encoding="utf-8")
    assert run(capsys, project, "pages", tmp_path / "out").startswith("Nothing changed: ")
    # But for use_directory_urls, which says where a link written as a folder leads (a review: pages
    # said "Nothing changed" where --no-cache refused such a link).
    (project.root / "mkdocs.yml").write_text(CONFIG + "use_directory_urls: false\n", encoding="utf-8")
    assert run(capsys, project, "pages", tmp_path / "out").startswith("Wrote ")


@pytest.mark.parametrize("command", COMMANDS)
def test_another_output_folder_is_written_and_each_keeps_its_own_stamp(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """A run into another folder (a preview, a test) leaves the usual folder's stamp as it was."""
    run(capsys, project, command, tmp_path / "one")
    assert run(capsys, project, command, tmp_path / "two").startswith("Wrote ")
    assert tree(tmp_path / "two") == tree(tmp_path / "one")
    assert run(capsys, project, command, tmp_path / "two").startswith("Nothing changed: ")
    assert run(capsys, project, command, tmp_path / "one").startswith("Nothing changed: ")
    shutil.copytree(tmp_path / "one", tmp_path / "copy")  # the same files, times and all: no stamp of it
    assert run(capsys, project, command, tmp_path / "copy").startswith("Wrote ")


def test_a_stamp_that_cannot_be_written_makes_the_next_run_a_full_one(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "surveysite").write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    out = tmp_path / "out"
    assert run(capsys, project, "pages", out).startswith("Wrote ")
    assert not [path for path in tmp_path.rglob("*") if ".stamp" in path.name]  # nor a temporary file
    assert run(capsys, project, "pages", out).startswith("Wrote ")  # no stamp: not "Nothing changed"


def test_the_stamps_of_the_four_output_folders_used_last_are_kept_and_those_of_earlier_versions_removed(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    memo = cache.cache_file(project.root)
    memo.parent.mkdir(parents=True, exist_ok=True)
    earlier = [memo.with_name(f"{memo.stem}.pages.stamp"), memo.with_name(f"{memo.stem}.pages.json")]
    for path in earlier:
        path.write_bytes(b"one stamp for every folder")
    folders = [tmp_path / f"out{i}" for i in range(6)]
    now = time.time_ns()
    for age, folder in zip((100, 99, 98, 97), folders, strict=False):
        run(capsys, project, "pages", folder)
        written = now - age * 10**9  # each stamp older than the next, on any file system's clock
        os.utime(stamp_file(project.root, "pages", folder), ns=(written, written))
    assert not any(path.exists() for path in earlier)
    assert run(capsys, project, "pages", folders[0]).startswith("Nothing changed: ")  # used: kept
    run(capsys, project, "pages", folders[4])
    run(capsys, project, "pages", folders[5])
    run(capsys, project, "export", tmp_path / "exported")  # another command's stamps are its own
    kept = [folders[0], folders[3], folders[4], folders[5]]  # out1 and out2 used longest ago: let go
    assert stamps(project) == sorted(
        [stamp_file(project.root, "pages", folder) for folder in kept]
        + [stamp_file(project.root, "export", tmp_path / "exported")]
    )
    assert run(capsys, project, "pages", folders[3]).startswith("Nothing changed: ")
    assert run(capsys, project, "pages", folders[1]).startswith("Wrote ")


def test_an_edit_url_from_the_environment_counts_for_export(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    run(capsys, project, "export", out)
    monkeypatch.setenv("MINI_EDIT_URL", "https://example.org/edit/main/")
    assert run(capsys, project, "export", out).startswith("Wrote ")
    assert b"https://example.org/edit/main/" in tree(out)["docs/studies/lee2023third.md"]


def _touch(path: Path) -> None:
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))


def _same_size(path: Path) -> None:
    data = path.read_bytes()
    status = path.stat()
    path.write_bytes(data[:-1] + (b"!" if data[-1:] != b"!" else b"?"))
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))  # same size and time: only bytes differ


OUTPUT_CHANGES: dict[str, Callable[[Path], object]] = {
    "a file touched": lambda out: _touch(out / "index.md"),
    "a file rewritten as it was": lambda out: (out / "index.md").write_bytes((out / "index.md").read_bytes()),
    "a file deleted": lambda out: (out / "studies" / "lee2023third.md").unlink(),
    "a folder deleted": lambda out: shutil.rmtree(out / "tables"),
}


@pytest.mark.parametrize("change", OUTPUT_CHANGES.values(), ids=OUTPUT_CHANGES.keys())
def test_any_change_in_the_output_folder_builds_again_and_restores_it(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Callable[[Path], object]
) -> None:
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    before = tree(out)
    change(out)
    assert run(capsys, project, "pages", out).startswith("Wrote ")
    assert tree(out) == before == fresh(capsys, project, "pages", tmp_path / "fresh")
    assert folders(out) == folders(tmp_path / "fresh")


@pytest.mark.parametrize("command", ["pages", "export"])
@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_a_file_edited_in_the_output_folder_is_never_replaced_and_a_deleted_one_is_made_again(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, cache: list[str]
) -> None:
    """A data-safety trial edited an export's settings by hand: the next export replaced them without
    a word. A file the last run wrote and someone changed since stops the run, named, and nothing is
    changed; once it is deleted, the run makes it again."""
    out = tmp_path / "out"
    run(capsys, project, command, out)
    name = "mkdocs.yml" if command == "export" else "index.md"
    (out / name).write_text((out / name).read_text(encoding="utf-8") + "\n# my edit\n", encoding="utf-8")
    before = tree(out)
    where = ["--out", str(out)] if command == "pages" else [str(out)]
    assert main(["--root", str(project.root), *cache, command, *where]) == 2
    said = capsys.readouterr().err
    assert (
        f"({name}) has been edited since" in said
        and "keep a copy of your changes" in said
        and "nothing was changed" in said
    ), said
    assert "Traceback" not in said
    assert tree(out) == before
    (out / name).unlink()
    assert run(capsys, project, command, out, *cache).startswith("Wrote ")
    assert tree(out) == fresh(capsys, project, command, tmp_path / "fresh")


@pytest.mark.parametrize("command", ["pages", "export"])
def test_files_and_folders_of_the_users_beside_the_output_are_kept_and_neither_watched_nor_counted(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """A trial built a site inside an export: the next export wrote every file again, and the one
    after counted the site's files as its own ('Nothing changed: 121 files', of 39 it wrote)."""
    out = tmp_path / "out"
    written = run(capsys, project, command, out)
    count = int(written.split()[1])  # 'Wrote N files to ...'
    before = tree(out)
    inside = "docs/studies" if command == "export" else "studies"
    (out / inside / "extra.md").write_text("extra", encoding="utf-8")
    (out / "site" / "deep").mkdir(parents=True)  # as a builder leaves its site
    (out / "site" / "deep" / "index.html").write_text("<p>built</p>", encoding="utf-8")
    (out / "site" / "latest").symlink_to("deep")  # a link of the user's: not followed, not judged
    said = f"Nothing changed: {count} files in {out} are up to date."
    assert run(capsys, project, command, out).strip() == said
    (out / "site" / "deep" / "index.html").write_text("<p>built again</p>", encoding="utf-8")
    assert run(capsys, project, command, out).strip() == said
    assert tree(out) == {
        **before,
        f"{inside}/extra.md": b"extra",
        "site/deep/index.html": b"<p>built again</p>",
    }
    (out / inside / "extra.md").unlink()
    one = next(name for name in before if name.endswith(".md"))
    (out / one).unlink()  # one of the run's own: a full run, which writes it again
    assert run(capsys, project, command, out).startswith("Wrote ")
    assert tree(out) == {**before, "site/deep/index.html": b"<p>built again</p>"}
    # That run found the user's files there: its stamp still watches and counts only its own.
    (out / "site" / "deep" / "index.html").write_text("<p>built a third time</p>", encoding="utf-8")
    assert run(capsys, project, command, out).strip() == said


def test_the_output_folder_is_compared_by_size_and_time_like_make(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    _same_size(out / "index.md")  # a change that keeps size and time is not seen, as with make
    assert run(capsys, project, "pages", out).startswith("Nothing changed: ")


def test_a_deleted_marker_is_a_full_run_that_refuses_the_folder(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    kept = stamp_file(project.root, "pages", out).read_bytes()
    (out / MARKER).unlink()
    for _ in range(2):
        assert main(["--root", str(project.root), "pages", "--out", str(out)]) == 2
        assert "was not written by surveysite" in capsys.readouterr().err
    assert stamp_file(project.root, "pages", out).read_bytes() == kept


def test_no_cache_never_reads_or_writes_a_stamp(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    run(capsys, project, "pages", out, "--no-cache")
    assert stamps(project) == []
    run(capsys, project, "pages", out)
    kept = stamp_file(project.root, "pages", out)
    before = (kept.read_bytes(), kept.stat().st_mtime_ns)

    def forbidden(*args: object) -> None:
        raise AssertionError("a stamp was used")

    for name in ("planned_run", "hashed_inputs", "last_run", "up_to_date", "record"):
        monkeypatch.setattr(cli, name, forbidden)
        monkeypatch.setattr(stamp, name, forbidden)
    assert run(capsys, project, "pages", out, "--no-cache").startswith("Wrote ")
    assert (kept.read_bytes(), kept.stat().st_mtime_ns) == before


def test_a_failed_run_keeps_no_stamp(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project.root / "bib" / "bad.bib").write_text("junk\n", encoding="utf-8")
    assert main(["--root", str(project.root), "pages", "--out", str(tmp_path / "out")]) == 1
    assert "bib/bad.bib:1: text outside any entry" in capsys.readouterr().out
    assert stamps(project) == []
    (project.root / "bib" / "bad.bib").unlink()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["--root", str(project.root), "pages", "--out", str(tmp_path / "mine")]) == 2
    assert "was not written by surveysite" in capsys.readouterr().err
    assert stamps(project) == []
    assert run(capsys, project, "pages", tmp_path / "out").startswith("Wrote ")
    kept = stamp_file(project.root, "pages", tmp_path / "out").read_bytes()
    (project.root / "bib" / "bad.bib").write_text("junk\n", encoding="utf-8")
    assert main(["--root", str(project.root), "pages", "--out", str(tmp_path / "out")]) == 1
    capsys.readouterr()
    assert stamp_file(project.root, "pages", tmp_path / "out").read_bytes() == kept  # the last good run's


def stamps(project: Project) -> list[Path]:
    """The stamp files of the project, of every command and output folder."""
    memo = cache.cache_file(project.root)
    return sorted(memo.parent.glob(f"{memo.stem}.*.stamp"))


def _stamp_kept(path: Path) -> dict[str, Any]:
    """What a stamp file holds (see stamp.encoded)."""
    kept = stamp.decoded(path.read_bytes())
    assert isinstance(kept, dict)
    return kept


def _changed_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]


CORRUPTIONS: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "not a stamp": lambda kept: b"\x80\x04\x95 a pickle",
    "a list": lambda kept: stamp.encoded([kept]),  # type: ignore[dict-item]
    "another format": lambda kept: stamp.encoded({**kept, "format": "surveysite-stamp/0"}),
    "another stamp": lambda kept: stamp.encoded({**kept, "stamp": "0" * 64}),
    "a key too many": lambda kept: stamp.encoded({**kept, "extra": 1}),
    "no marker": lambda kept: stamp.encoded(
        {**kept, "files": {k: v for k, v in kept["files"].items() if k != MARKER}}
    ),
    "a size as text": lambda kept: stamp.encoded(
        {**kept, "files": {k: (str(v[0]), v[1]) for k, v in kept["files"].items()}}
    ),
    "folders as text": lambda kept: stamp.encoded({**kept, "folders": "studies"}),
    "truncated": lambda kept: stamp.encoded(kept)[:-2],
    "other code": lambda kept: stamp.encoded({**kept, "code": "0" * 32}),
    "another output folder": lambda kept: stamp.encoded({**kept, "out": kept["out"] + "-elsewhere"}),
    "keys as a list": lambda kept: stamp.encoded({**kept, "keys": list(kept["keys"])}),
    "a key as a number": lambda kept: stamp.encoded({**kept, "keys": dict.fromkeys(kept["keys"], 1)}),
    "inputs as a list": lambda kept: stamp.encoded({**kept, "inputs": list(kept["inputs"])}),
    "an input without its digest": lambda kept: stamp.encoded(
        {**kept, "inputs": {k: v[:4] for k, v in kept["inputs"].items()}}
    ),
    "an input's inode as text": lambda kept: stamp.encoded(
        {**kept, "inputs": {k: (*v[:3], str(v[3]), v[4]) for k, v in kept["inputs"].items()}}
    ),
    "a byte changed": lambda kept: _changed_byte(stamp.encoded(kept)),
}


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_broken_or_foreign_stamp_file_means_a_full_run(
    project: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    corrupt: Callable[[dict[str, Any]], bytes],
    settled: None,
) -> None:
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    kept = stamp_file(project.root, "pages", out)
    kept.write_bytes(corrupt(_stamp_kept(kept)))
    assert run(capsys, project, "pages", out).startswith("Wrote ")
    assert run(capsys, project, "pages", out).startswith("Nothing changed: ")  # a good one written again


def test_a_cache_folder_that_cannot_be_written_only_means_full_runs(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    assert run(capsys, project, "pages", tmp_path / "out").startswith("Wrote ")
    assert run(capsys, project, "pages", tmp_path / "out").startswith("Wrote ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder", "out", "project"]


def test_the_stamp_is_kept_in_the_users_cache_folder_not_the_project(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, project, "pages", tmp_path / "out")
    kept = stamp_file(project.root, "pages", tmp_path / "out")
    assert kept.parent == cache.cache_file(project.root).parent and kept.is_file()
    assert not kept.is_relative_to(project.root)
    assert sorted(_stamp_kept(kept)) == [
        "code",
        "files",
        "folders",
        "format",
        "inputs",
        "keys",
        "out",
        "stamp",
        "warned",
    ]


def _stamp(project: Project, command: str = "pages") -> str | None:
    """The stamp of a run of the project, or None when there is none (its inputs allow no shortcut)."""
    run = planned_run(project, command, project.root.parent / "out")
    return None if run is None else stamp_of(run)


def test_names_count_in_the_stamp_even_of_files_no_loader_reads(project: Project) -> None:
    before = _stamp(project)
    notes = project.root / "content" / "studies" / "notes.txt"
    notes.write_text("", encoding="utf-8")
    with_notes = _stamp(project)
    assert with_notes != before
    notes.rename(notes.with_name("other.txt"))
    assert _stamp(project) not in (before, with_notes)
    (notes.with_name("other.txt")).unlink()
    (project.root / "content" / "studies" / "empty").mkdir()
    assert _stamp(project) != before
    (project.root / "content" / "studies" / "empty").rmdir()
    assert _stamp(project) == before


def _linked(name: str) -> Callable[[Path], None]:
    """Move a file or folder of the project away and put a link to it in its place."""

    def link(root: Path) -> None:
        (root / name).rename(root / f"{name}.real")
        (root / name).symlink_to(root / f"{name}.real")

    return link


def _content_as_a_file(root: Path) -> None:
    shutil.rmtree(root / "content")
    (root / "content").write_text("", encoding="utf-8")


SURPRISES: dict[str, Callable[[Path], None]] = {
    "a linked file": lambda root: (root / "content" / "pages" / "link.md").symlink_to(root / "mkdocs.yml"),
    "a linked folder": lambda root: (root / "templates" / "more").symlink_to(root / "bib"),
    "a linked content folder": _linked("content"),
    "a linked mkdocs.yml": _linked("mkdocs.yml"),
    "a special file": lambda root: os.mkfifo(root / "content" / "studies" / "pipe.yaml"),
    "content as a file": _content_as_a_file,
}


@pytest.mark.parametrize("surprise", SURPRISES.values(), ids=SURPRISES.keys())
def test_a_surprise_among_the_inputs_gives_no_stamp(
    project: Project, surprise: Callable[[Path], None]
) -> None:
    assert _stamp(project, "export") is not None
    surprise(project.root)
    assert _stamp(project, "export") is None


def test_a_file_over_the_size_limit_gives_no_stamp(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    size = max(p.stat().st_size for p in project.root.rglob("*") if p.is_file())
    monkeypatch.setattr(stamp, "MAX_INPUT_BYTES", size)
    assert _stamp(project) is not None
    monkeypatch.setattr(stamp, "MAX_INPUT_BYTES", size - 1)
    assert _stamp(project) is None


def test_an_unreadable_file_gives_no_stamp(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open
    unreadable = project.root / "content" / "studies" / "lee2023third.yaml"

    def refusing(path: Any, *args: Any, **kwargs: Any) -> int:
        if Path(os.fsdecode(path)) == unreadable:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    assert _stamp(project) is not None
    monkeypatch.setattr(os, "open", refusing)
    assert _stamp(project) is None


def test_a_surprise_means_a_full_run_that_reports_it(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, project, "pages", tmp_path / "out")
    (project.root / "content" / "pages" / "link.md").symlink_to(
        project.root / "content" / "pages" / "about.md"
    )
    assert main(["--root", str(project.root), "pages", "--out", str(tmp_path / "out")]) == 1
    assert "content/pages/link.md:1: is a symbolic link" in capsys.readouterr().out


# Every path a run opens or lists, once `_watching` holds a list (an audit hook cannot be removed).
_watching: list[list[Path]] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if (
        _watching
        and event in ("open", "os.listdir", "os.scandir")
        and args
        and isinstance(args[0], (str, bytes, os.PathLike))
    ):
        _watching[-1].append(Path(os.path.abspath(os.fsdecode(args[0]))))


sys.addaudithook(_audit)


@pytest.fixture
def opened() -> Iterator[list[Path]]:
    """The paths opened or listed while the test runs."""
    paths: list[Path] = []
    _watching.append(paths)
    yield paths
    _watching.remove(paths)


THEMED = CONFIG.replace("docs_dir: content/pages\n", "theme:\n  name: material\n  custom_dir: theme\n")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("templates_outside", [False, True], ids=["own templates", "--templates elsewhere"])
@pytest.mark.parametrize("config", [CONFIG, THEMED], ids=["docs_dir content/pages", "docs/ and custom_dir"])
def test_the_stamp_covers_every_file_a_full_run_reads(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], opened: list[Path],
    command: str, templates_outside: bool, config: str,
) -> None:  # fmt: skip
    root = project.root
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for name in ("docs/extra.txt", "theme/main.html", "templates/assets/x.css", "templates/overrides/y.html"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")
    options = []
    if templates_outside:
        shutil.copytree(root / "templates", tmp_path / "elsewhere")
        options = ["--templates", str(tmp_path / "elsewhere")]
    project = Project.at(root, tmp_path / "elsewhere" if templates_outside else None)
    planned = planned_run(project, command, tmp_path / "out")
    assert planned is not None and stamp_of(planned) is not None
    opened.clear()
    fresh(capsys, project, command, tmp_path / "out", *options)
    read = sorted({p for p in opened if p.is_relative_to(root) or p.is_relative_to(project.templates)})
    assert root / "content" / "studies" / "lee2023third.yaml" in read  # the hook saw the run read
    assert project.templates / "study.md.j2" in read
    assert [p for p in read if not planned.covers(p)] == []


def test_an_edited_run_keeps_the_unchanged_pages_and_files_and_makes_a_vanished_one_after_all(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    run(capsys, project, "pages", out, "--no-cache")
    study = project.root / "content" / "studies" / "lee2023third.yaml"
    study.write_text(study.read_text().replace("A third fictional study.", "A revised summary."))
    calls: list[dict[str, Any]] = []
    real = cli.write_tree

    def spy(where: Path, files: Any, kept: Any = None, kind: str = "") -> None:
        calls.append(kept)
        if len(calls) == 1:  # the folder changes after the run compared its pages with it
            (where / "studies" / "smith2022second.md").unlink()
        real(where, files, kept, kind)

    monkeypatch.setattr(cli, "write_tree", spy)
    assert run(capsys, project, "pages", out, "--no-cache").startswith("Wrote ")
    first, second = calls
    assert {
        study_page("smith2022second"),
        study_page("mueller2021first"),
        study_ris("smith2022second"),
        ALL_STUDIES_BIB,  # the downloads and table data too: compared where made, as the pages are
        MATRIX_DATA,
    } <= set(first)
    assert STUDIES_JSON not in first  # it holds the edited summary
    assert study_page("lee2023third") not in first and not second  # made again, whole, without comparing
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")
    assert b"A revised summary." in tree(out)["studies/lee2023third.md"]


def test_a_run_after_an_edit_renders_again_only_the_study_pages_whose_views_changed(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    rendered: list[str] = []
    real = render.render_template
    monkeypatch.setattr(render, "render_template", lambda *a: rendered.append(a[2]) or real(*a))
    # Lee's summary is on its own page only; smith's page lists lee among its related studies, by name.
    study = project.root / "content" / "studies" / "lee2023third.yaml"
    study.write_text(study.read_text().replace("A third fictional study.", "A revised summary."))
    run(capsys, project, "pages", out)
    assert [p for p in rendered if p.startswith("studies/")] == [study_page("lee2023third")]
    rendered.clear()
    study.write_text(study.read_text().replace("name: Third", "name: Trio"))
    run(capsys, project, "pages", out)
    assert sorted(p for p in rendered if p.startswith("studies/")) == [
        study_page("lee2023third"),
        study_page("smith2022second"),
    ]
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")


def test_a_study_page_changed_in_the_output_folder_is_rendered_and_written_again(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    page = out / study_page("smith2022second")
    original = page.read_bytes()
    _rewritten_by_a_run(page, original.replace(b"Second", b"Sekond"))  # the same size: only its bytes tell
    study = project.root / "content" / "studies" / "lee2023third.yaml"
    study.write_text(study.read_text().replace("A third fictional study.", "A revised summary."))
    run(capsys, project, "pages", out)
    assert page.read_bytes() == original
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")


def test_a_kept_study_view_follows_the_counts_of_its_leaves_which_a_template_may_show(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = project.templates / "study.md.j2"
    template.write_text(
        template.read_text() + "{% for leaf in study.categories %}{{ leaf.count_label }} {% endfor %}\n"
    )
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    assert b"2 studies" in (out / study_page("smith2022second")).read_bytes()  # beta: smith and lee
    _add_study(project.root)  # to beta, sharing no facet value with smith: its related studies stay
    run(capsys, project, "pages", out)
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")
    assert b"3 studies" in (out / study_page("smith2022second")).read_bytes()


@pytest.mark.parametrize("included", ["parts/extra.md.j2", "extra.md"])
def test_a_file_a_template_includes_counts_for_the_pages_kept_by_their_digest(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], included: str
) -> None:
    template = project.templates / "study.md.j2"
    template.write_text(template.read_text() + f'{{% include "{included}" %}}\n')
    part = project.templates / included
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_text("Included, first.\n")
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    part.write_text("Included, second.\n")  # in a folder, or not a .j2 file: Jinja loads it all the same
    run(capsys, project, "pages", out)
    assert b"Included, second." in (out / study_page("smith2022second")).read_bytes()
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")


def test_a_run_after_an_id_is_given_makes_the_search_s_identifiers_again(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], settled: None
) -> None:
    """They are kept under the joined entries' key (an entry holds its key and ids): an arXiv id added
    to lee's entry reaches the file, which a run that reuses everything else would leave as it was."""
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    run(capsys, project, "pages", out)  # (all kept, the stamp trusted)
    lee = project.root / "bib" / "lee.bib"
    lee.write_text(
        lee.read_text().replace("  year    = {2023},\n", "  year    = {2023},\n  eprint  = {2301.00003},\n")
    )
    run(capsys, project, "pages", out)
    found = json.loads((out / SEARCH_IDENTIFIERS).read_text())
    assert found["arxiv"] == {"2201.00001": "smith2022second", "2301.00003": "lee2023third"}
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")


def _rewritten_by_a_run(path: Path, data: bytes) -> None:
    """Rewrite a file of the output folder as another run would (another version, another cache): its
    marker then gives the file's new size and CRC-32 (else it is an edit, which no run replaces)."""
    path.write_bytes(data)
    marker = next(folder / MARKER for folder in path.parents if (folder / MARKER).is_file())
    head, _, rest = marker.read_bytes().partition(b"\n")
    listed = json.loads(rest)
    listed[path.relative_to(marker.parent).as_posix()] = [len(data), zlib.crc32(data)]
    marker.write_bytes(head + b"\n" + json.dumps(listed).encode() + b"\n")


def _edit_lee(project: Project, new: str) -> None:
    study = project.root / "content" / "studies" / "lee2023third.yaml"
    study.write_text(study.read_text().replace("A third fictional study.", new))


def test_a_run_after_an_edit_does_not_read_the_study_pages_the_last_run_wrote_as_they_stand(
    project: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    settled: None,
) -> None:
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    recorded = _stamp_kept(stamp_file(project.root, "pages", out))
    keys = ("lee2023third", "mueller2021first", "smith2022second")
    # The files joined from every study's part, or a class's or a node's: the BibTeX and RIS files (made
    # of the studies' entries) and the tables' data (of their records).
    joined = [f"downloads/{p.name}" for p in (out / "downloads").iterdir() if p.suffix in (".bib", ".ris")]
    assert len(joined) == 2 * (1 + 2)  # all studies, and each of the fixture's two classes
    joined += [
        MATRIX_DATA,
        SEARCH_IDENTIFIERS,  # (each study's ids, made of the entries alone)
        *(f"tables/{p.relative_to(out / 'tables').as_posix()}" for p in (out / "tables").rglob("*.json")),
    ]
    assert sorted(recorded["keys"]) == sorted([*map(study_page, keys), *map(study_ris, keys), *joined])
    read: list[str] = []
    real = render.holds
    monkeypatch.setattr(render, "holds", lambda path, *a: read.append(path.name) or real(path, *a))
    compared: list[str] = []
    real_unchanged = render.unchanged
    monkeypatch.setattr(
        render, "unchanged", lambda out, files: compared.extend(files) or real_unchanged(out, files)
    )
    _edit_lee(project, "A revised summary.")
    run(capsys, project, "pages", out)
    assert read == []  # lee's page was made again; the other two are known by their key, size and time
    assert compared and not {*map(study_ris, keys), *joined} & set(compared)  # from the same references
    page = out / study_page("smith2022second")
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 1_000_000_000))  # touched
    record = out / study_ris("smith2022second")
    _rewritten_by_a_run(
        record, record.read_bytes().replace(b"Second", b"Sekond")
    )  # the same size, another time
    _edit_lee(project, "A second revision.")
    writes: list[object] = []
    real_write = cli.write_tree
    monkeypatch.setattr(cli, "write_tree", lambda *a: writes.append(a) or real_write(*a))
    run(capsys, project, "pages", out)
    assert read == ["smith2022second.md"]  # read, since it is not as the last run left it
    assert len(writes) == 1  # found changed where they were made, not only when written (a second run)
    assert b"Second" in record.read_bytes()
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")


def test_the_joined_downloads_a_run_did_not_make_keep_their_parts_for_the_next(
    project: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    settled: None,
) -> None:
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    joined: list[int] = []
    real_joined = render.joined_ris
    monkeypatch.setattr(render, "joined_ris", lambda records: joined.append(1) or real_joined(records))
    real_bibtex = downloads._bibtex
    monkeypatch.setattr(downloads, "_bibtex", lambda studies: joined.append(2) or real_bibtex(studies))
    # The cache file written anew, with only what this run used (see save_memo), not appended to.
    monkeypatch.setattr(cache, "_append", lambda *args: None)
    _edit_lee(project, "A revised summary.")
    run(capsys, project, "pages", out)
    assert joined == []  # every RIS and BibTeX file as the last run wrote it: none made again
    # Each study's RIS record stays in the cache file although this run did not read it: a later edit
    # to one entry makes that entry's record alone again.
    memo = cache.load_memo(project.root)
    catalog = load_catalog(project, memo)
    assert all(memo.known(views.entry_key(study.reference)) for study in catalog.studies)
    bib = project.root / "bib" / "studies.bib"
    bib.write_text(bib.read_text().replace("Second", "Sequel"))
    made: list[str] = []
    real_ris = render._ris
    monkeypatch.setattr(render, "_ris", lambda reference: made.append(reference.title) or real_ris(reference))
    run(capsys, project, "pages", out)
    assert len(made) == 1 and "Sequel" in made[0] and sorted(set(joined)) == [1, 2]
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")


def test_the_pages_a_run_wrote_into_another_folder_are_not_trusted_in_this_one(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, project, "pages", tmp_path / "first")
    run(capsys, project, "pages", tmp_path / "second")
    for name in ("first", "second"):
        last = stamp.last_run(planned_run(project, "pages", tmp_path / name))
        assert last is not None and last["out"] == str((tmp_path / name).resolve())
    assert stamp.last_run(planned_run(project, "pages", tmp_path / "third")) is None
    # A stamp file of one folder's put in the place of another's is not taken for it.
    shutil.copy(
        stamp_file(project.root, "pages", tmp_path / "first"),
        stamp_file(project.root, "pages", tmp_path / "third"),
    )
    assert stamp.last_run(planned_run(project, "pages", tmp_path / "third")) is None


def test_a_page_the_last_run_wrote_under_another_key_is_read_though_its_size_and_time_are_as_written(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], settled: None
) -> None:
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    study = project.root / "content" / "studies" / "lee2023third.yaml"
    original = study.read_text()
    _edit_lee(project, "A revised summary.")
    run(capsys, project, "pages", out)
    study.write_text(original)  # back to the first run's key, which the Memo holds: not the file's
    run(capsys, project, "pages", out)
    assert b"A third fictional study." in (out / study_page("lee2023third")).read_bytes()
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")


def test_a_file_the_last_run_wrote_is_read_again_since_its_time_cannot_yet_tell_a_rewrite(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a file system that keeps times to the second, a file rewritten with the same size in the
    second it was written keeps its time (a review found a `--no-cache` run doing so, unseen by every
    run after it): the keys of files that recent are not recorded, so they are read again."""
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    assert _stamp_kept(stamp_file(project.root, "pages", out))["keys"] == {}  # all written just now
    page = out / study_page("smith2022second")
    original, seen = page.read_bytes(), page.stat()
    _rewritten_by_a_run(page, original.replace(b"Second", b"Sekond"))  # the same size, and then the same
    os.utime(page, ns=(seen.st_atime_ns, seen.st_mtime_ns))  # time, as a rewrite within the second would be
    _edit_lee(project, "A revised summary.")
    run(capsys, project, "pages", out)
    assert page.read_bytes() == original
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")


def test_a_file_system_clock_behind_this_machines_does_not_make_a_just_written_file_look_settled(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same rewrite, on a file system whose clock runs 10 s behind this machine's (a network file
    system; a review found the rule compared file times with this machine's clock alone): a file's
    age is told by the clock that stamps the output folder's files, in a first run into a new folder
    and in a run into one an earlier run wrote."""
    machine = time.time_ns
    monkeypatch.setattr(time, "time_ns", lambda: machine() + 10 * 10**9)
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    assert _stamp_kept(stamp_file(project.root, "pages", out))["keys"] == {}  # all written just now
    smith = project.root / "content" / "studies" / "smith2022second.yaml"
    smith.write_text(smith.read_text().replace("Tries *emphasis*", "Tries more *emphasis*"))
    run(capsys, project, "pages", out)  # rewrites the page: just now, by the folder's clock
    page = out / study_page("smith2022second")
    assert study_page("smith2022second") not in _stamp_kept(stamp_file(project.root, "pages", out))["keys"]
    original, seen = page.read_bytes(), page.stat()
    _rewritten_by_a_run(page, original.replace(b"Second", b"Sekond"))  # the same size, and then the same time
    os.utime(page, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    _edit_lee(project, "A revised summary.")
    run(capsys, project, "pages", out)
    assert page.read_bytes() == original
    assert not list(out.glob(".surveysite-clock.*")) and not list(tmp_path.glob(".surveysite-clock.*"))


def _reading_studies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the study files a run's loaders read from now on, in the order read."""
    read: list[str] = []
    real = studies.read_text_and_bytes
    monkeypatch.setattr(
        studies,
        "read_text_and_bytes",
        lambda root, path, *a, **k: read.append(os.path.basename(path)) or real(root, path, *a, **k),
    )
    return read


def _hashing_studies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the study files a run's stamp reads from now on, in the order read."""
    read: list[str] = []
    real = os.open

    def opened(path: Any, *args: Any) -> int:
        if isinstance(path, bytes) and b"/content/studies/" in path:
            read.append(os.fsdecode(os.path.basename(path)))
        return real(path, *args)

    monkeypatch.setattr(stamp.os, "open", opened)
    return read


def test_a_run_after_an_edit_reads_only_the_input_files_changed_since_the_last_run(
    project: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    settled: None,
) -> None:
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    recorded = _stamp_kept(stamp_file(project.root, "pages", out))["inputs"]
    study_files = sorted((project.root / "content" / "studies").glob("*.yaml"))
    assert {str(p) for p in study_files} <= set(recorded)  # each with its status and digest
    planned = planned_run(project, "pages", out)
    assert planned is not None
    hashed = _hashing_studies(monkeypatch)
    read = _reading_studies(monkeypatch)
    _edit_lee(project, "A revised summary.")
    run(capsys, project, "pages", out)
    assert hashed == ["lee2023third.yaml"]
    assert read == ["lee2023third.yaml"]  # the other two are known by the digests the stamp kept
    assert b"A revised summary." in (out / study_page("lee2023third")).read_bytes()
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")
    # A digest taken from the record stands for the file's bytes: the stamp is the one reading them gives.
    last = stamp.last_run(planned)
    inputs = stamp.hashed_inputs(planned, last)
    assert last is not None and inputs is not None and inputs.stamp == stamp_of(planned)


def test_an_input_file_rewritten_with_its_size_and_time_put_back_is_read_again(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], settled: None
) -> None:
    """A study file changed without changing its size, then its modification time set back (as a tool
    that keeps times does): its change time and inode still tell it, as in git's index."""
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    smith = project.root / "content" / "studies" / "smith2022second.yaml"
    text, seen = smith.read_text(), smith.stat()
    assert "Tries *emphasis*" in text
    smith.write_text(text.replace("Tries *emphasis*", "Tries *emphasys*"))
    os.utime(smith, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    assert (smith.stat().st_size, smith.stat().st_mtime_ns) == (seen.st_size, seen.st_mtime_ns)
    run(capsys, project, "pages", out)
    assert b"emphasys" in (out / study_page("smith2022second")).read_bytes()
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")


def test_input_files_changed_too_recently_to_tell_a_rewrite_are_not_recorded_and_read_again(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system that keeps times to the second, a file rewritten with the same size within the
    second it was hashed keeps its times: only files older than that are recorded (see stamp._RACY_NS)."""
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    assert _stamp_kept(stamp_file(project.root, "pages", out))["inputs"] == {}  # every file made just now
    hashed = _hashing_studies(monkeypatch)
    _edit_lee(project, "A revised summary.")
    run(capsys, project, "pages", out)
    assert hashed == ["lee2023third.yaml", "mueller2021first.yaml", "smith2022second.yaml"]
    monkeypatch.setattr(stamp, "_RACY_NS", -(10**18))  # as if the files were hashed long after
    run(capsys, project, "pages", out, "--edit-url", "https://example.org/edit/")  # an option: a new stamp
    recorded = _stamp_kept(stamp_file(project.root, "pages", out))["inputs"]
    assert str(project.root / "content" / "studies" / "smith2022second.yaml") in recorded


def test_study_pages_rendered_again_from_the_views_the_cache_kept_are_those_a_fresh_run_writes(
    project: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    settled: None,
) -> None:
    """A changed study template renders every study page again from the views read back from the cache
    file, whose fields only the page shows are unpickled as the page reads them (see StudyView)."""
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    template = project.root / "templates" / "study.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\nTemplate changed.\n", encoding="utf-8")
    made: list[str] = []
    real = render._study_pages
    monkeypatch.setattr(
        render, "_study_pages", lambda r, chunk: made.extend(s.key for s in chunk) or real(r, chunk)
    )
    run(capsys, project, "pages", out)
    assert sorted(made) == ["lee2023third", "mueller2021first", "smith2022second"]
    assert b"Template changed." in (out / study_page("lee2023third")).read_bytes()
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")


@pytest.mark.parametrize("halves", [False, True], ids=["whole", "in halves"])
def test_a_bib_file_unchanged_since_the_last_run_is_not_read_and_its_warnings_are_told_again(
    project: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    settled: None,
    halves: bool,
) -> None:
    if halves:  # each .bib file parsed in two halves (see loading.halves), as a large one is
        monkeypatch.setattr(loading, "SPLIT_BIB", 10)
        assert len(loading.halves((project.root / "bib" / "studies.bib").read_text(encoding="utf-8"))) == 2
    lee = project.root / "bib" / "lee.bib"
    lee.write_text(LEE.replace("Third Study", "Third \u202eStudy"), encoding="utf-8")  # a warning
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    read: list[str] = []
    real = loading.read_bib
    monkeypatch.setattr(
        loading, "read_bib", lambda root, path, *a: read.append(path.name) or real(root, path, *a)
    )
    _edit_lee(project, "A revised summary.")
    run(capsys, project, "pages", out)
    assert read == []
    smith = project.root / "content" / "studies" / "smith2022second.yaml"
    smith.write_text(smith.read_text(encoding="utf-8") + "unknown_field: 1\n", encoding="utf-8")  # a problem
    assert main(["--root", str(project.root), "pages", "--out", str(out)]) == 1
    told = capsys.readouterr().out
    assert "smith2022second.yaml" in told and "bib/lee.bib:3:" in told and "U+202E" in told, told
    assert read == []  # told again from what reading it found, though not read
    smith.write_text(smith.read_text(encoding="utf-8").replace("unknown_field: 1\n", ""), encoding="utf-8")
    bib = project.root / "bib" / "studies.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("{The First Study", "{The Revised First Study"))
    run(capsys, project, "pages", out)
    assert read == ["studies.bib"]
    assert b"Revised First Study" in (out / study_page("mueller2021first")).read_bytes()
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")


def test_a_file_with_a_byte_order_mark_is_known_by_its_bytes_as_the_stamp_reads_them(
    project: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    settled: None,
) -> None:
    """The loaders leave a leading byte order mark out of the text: the cache keys what it makes of a
    file by the digest of all its bytes, as the stamp takes it (a review found a file of two marks
    kept under the digest of one, which an empty file then found: an empty study file built a site)."""
    studies_dir = project.root / "content" / "studies"
    smith = studies_dir / "smith2022second.yaml"
    smith.write_bytes("\ufeff".encode() + smith.read_bytes())
    lee = project.root / "bib" / "lee.bib"
    lee.write_bytes("\ufeff".encode() + lee.read_bytes())
    out = tmp_path / "out"
    run(capsys, project, "pages", out)
    read = _reading_studies(monkeypatch)
    bib_read: list[str] = []
    real = loading.read_bib
    monkeypatch.setattr(
        loading, "read_bib", lambda root, path, *a: bib_read.append(path.name) or real(root, path, *a)
    )
    _edit_lee(project, "A revised summary.")
    run(capsys, project, "pages", out)
    assert read == ["lee2023third.yaml"]  # the one with a mark known by its bytes, not read again
    assert bib_read == []  # nor the .bib file with one
    assert tree(out) == fresh(capsys, project, "pages", tmp_path / "fresh")
    empty = studies_dir / "kim2024fourth.yaml"
    (project.root / "bib" / "kim.bib").write_text(FOURTH_BIB, encoding="utf-8")
    empty.write_bytes("\ufeff\ufeff".encode())  # its text a mark: no fields
    assert main(["--root", str(project.root), "pages", "--out", str(out)]) == 1
    assert "kim2024fourth.yaml:1: the file holds no fields" in capsys.readouterr().out
    empty.write_bytes("\ufeff".encode())  # empty
    assert main(["--root", str(project.root), "pages", "--out", str(out)]) == 1
    assert "kim2024fourth.yaml:1: the file is empty" in capsys.readouterr().out


def test_what_reading_a_study_file_made_is_kept_under_the_digest_of_all_its_bytes(project: Project) -> None:
    """A file of two byte order marks (its text one mark) and a file of one (its text empty) differ:
    what the first made is not what the second's bytes find (see the test above)."""
    path = project.root / "content" / "studies" / "kim2024fourth.yaml"
    path.write_bytes("\ufeff\ufeff".encode())
    memo, found = cache.Memo(), Problems()
    assert studies.read_study(project.root, path, found, memo) is None and found
    shown = "content/studies/kim2024fourth.yaml"
    assert studies.kept_annotation(shown, cache.content_digest(path.read_bytes()), memo, Problems())[0]
    assert studies.kept_annotation(shown, cache.content_digest("\ufeff".encode()), memo, Problems()) == (
        False,
        None,
    )


def test_input_files_on_another_file_system_than_the_clock_read_are_not_recorded(
    project: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    settled: None,
) -> None:
    """The time the inputs were hashed is read on the output folder's file system: a file on another,
    whose clock may lag (a network file system), is read again by every run rather than trusted."""
    out = tmp_path / "out"
    real = cli.input_clock
    monkeypatch.setattr(cli, "input_clock", lambda run: (real(run)[0], -1))  # no file system's number
    run(capsys, project, "pages", out)
    assert _stamp_kept(stamp_file(project.root, "pages", out))["inputs"] == {}
    monkeypatch.setattr(cli, "input_clock", real)
    _edit_lee(project, "A revised summary.")
    run(capsys, project, "pages", out)
    recorded = _stamp_kept(stamp_file(project.root, "pages", out))["inputs"]
    assert str(project.root / "content" / "studies" / "smith2022second.yaml") in recorded
    monkeypatch.setattr(cli, "input_clock", lambda run: (real(run)[0], -1))
    lee = project.root / "content" / "studies" / "lee2023third.yaml"
    lee.write_text(lee.read_text().replace("A revised summary.", "A second revision."))
    hashed = _hashing_studies(monkeypatch)
    run(capsys, project, "pages", out)
    assert hashed == ["lee2023third.yaml"]  # the others known by the record, but not recorded again
    assert _stamp_kept(stamp_file(project.root, "pages", out))["inputs"] == {}


def test_the_clock_of_a_folder_no_file_can_be_made_in_names_no_file_system(tmp_path: Path) -> None:
    """Then the time is this machine's alone, which cannot tell how old the inputs are (see input_clock)."""
    now, device = output.clock_and_device(tmp_path)
    assert device == tmp_path.stat().st_dev and now <= time.time_ns()
    assert output.clock_and_device(tmp_path / "missing")[1] is None


def test_an_input_file_read_short_of_its_size_gives_no_stamp(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that changes while the stamp reads it (or a read cut short) is not hashed as it is; a
    file the system gives in short reads is read to its end."""
    whole = _stamp(project)
    assert whole is not None
    real_read = os.read
    with monkeypatch.context() as patched:
        patched.setattr(os, "read", lambda descriptor, most: real_read(descriptor, min(most, 7)))
        assert _stamp(project) == whole
    real = stamp.read_whole
    monkeypatch.setattr(stamp, "read_whole", lambda descriptor, most: real(descriptor, most)[:-1])
    assert _stamp(project) is None
