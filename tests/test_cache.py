"""Reusing work across builds: the same pages as a fresh build, and only what changed is made again."""

from __future__ import annotations

import collections
import dataclasses
import datetime
import hashlib
import os
import pickle
import shutil
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

import surveysite
from surveysite import cache, feed, model, render, templating, views
from surveysite import rendered as rendered_module
from surveysite.build import Project, build_site, check, load_catalog
from surveysite.cache import (
    _SHAPING_LIBRARIES,
    CODE_VERSION,
    Memo,
    cache_file,
    code_version,
    digest,
    load_memo,
    save_memo,
)
from surveysite.paths import FEED_PATH
from surveysite.problems import Problems
from surveysite.render import catalog_digest
from surveysite.resources import TEMPLATES
from surveysite.survey import load_survey

from .conftest import MINI, MakeProject, edit, messages

PACKAGE = Path(surveysite.__file__).resolve().parent


def test_a_warm_build_gives_the_same_site_and_makes_nothing_again(make_project: MakeProject) -> None:
    project = make_project()
    memo = Memo()
    cold = build_site(project, memo)
    assert memo.misses > 0
    warm = build_site(project, memo)
    assert memo.misses == 0 and memo.hits > 0
    assert warm.pages == cold.pages and warm.files == cold.files == build_site(project).files


def test_a_build_that_keeps_nothing_gives_the_same_site_and_computes_no_key(
    make_project: MakeProject,
) -> None:
    project = make_project()
    memo = Memo(keep=False)
    site = build_site(project, memo)
    assert memo.size() == 0 and memo.hits == 0 and memo.misses > 0
    assert memo.get_by(lambda: pytest.fail("a key was computed"), lambda: "made") == "made"
    kept = build_site(project, Memo())
    assert site.pages == kept.pages and site.files == kept.files


def test_editing_one_study_makes_only_the_pages_that_show_it_again(make_project: MakeProject) -> None:
    project = make_project()
    memo = Memo()
    before = build_site(project, memo)
    path = project.root / "content" / "studies" / "lee2023third.yaml"
    path.write_text(path.read_text().replace("A third fictional study.", "A revised summary."))
    after = build_site(project, memo)
    changed = sorted(p for p in after.pages if after.pages[p] != before.pages[p])
    assert changed == ["beta/index.md", "studies/lee2023third.md"]
    # What's new, keyed by the whole catalog (see render._rendered), is made again with any
    # study; every other page is reused.
    made_again = sorted(p for p in after.pages if after.pages[p] is not before.pages[p])
    assert made_again == ["about.md", "beta/index.md", "studies/lee2023third.md", "whats-new.md"]
    assert after.pages == build_site(project).pages


def test_whats_new_is_reused_after_a_hand_written_page_changes_and_made_again_after_a_study_does(
    make_project: MakeProject,
) -> None:
    project = make_project()
    memo = Memo()
    first = build_site(project, memo).pages["whats-new.md"]
    (project.root / "content" / "pages" / "about.md").write_text("# About\n\nRewritten.\n")
    assert build_site(project, memo).pages["whats-new.md"] is first  # a hand-written page is not its input
    # (a study the site added: the original survey's are one line a day, which names none of them)
    path = project.root / "content" / "studies" / "smith2022second.yaml"
    path.write_text(path.read_text().replace("name: ", "name: Renamed ", 1))
    renamed = build_site(project, memo).pages["whats-new.md"]
    assert (
        renamed is not first and "Renamed" in renamed and renamed == build_site(project).pages["whats-new.md"]
    )


def test_problems_are_reported_again_when_work_is_reused(make_project: MakeProject) -> None:
    project = make_project({"content/studies/lee2023third.yaml": "name: [1, 2\n"})
    memo = Memo()
    first = [str(p) for p in check(project, memo)]
    second = [str(p) for p in check(project, memo)]
    assert first == second == messages(project) and first
    assert memo.hits > 0


@pytest.mark.parametrize("character", ["\u202e", "\x07"], ids=["a warning", "a problem"])
def test_a_study_files_characters_are_reported_again_when_its_reading_is_reused(
    make_project: MakeProject, character: str
) -> None:
    study = "content/studies/lee2023third.yaml"
    text = (MINI / study).read_text(encoding="utf-8")
    project = make_project({study: text.replace("name: ", "name: " + character, 1)})
    memo = Memo()
    first = [str(p) for p in check(project, memo)]
    second = [str(p) for p in check(project, memo)]
    assert first == second and any(line.startswith(f"{study}:1:") and "U+" in line for line in first), first
    assert memo.hits > 0


@pytest.mark.parametrize("parts", [(), ("",), ("a", "b"), (b"\0", "\u00e9"), ("\udcff",), (b"",)])
def test_a_digest_is_that_of_its_parts_each_followed_by_a_nul_byte(parts: tuple[str | bytes, ...]) -> None:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update((part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part) + b"\0")
    assert digest(*parts) == hasher.hexdigest()


def test_a_changed_template_renders_every_page_again(make_project: MakeProject, tmp_path: Path) -> None:
    project = make_project()
    memo = Memo()
    build_site(project, memo)
    # The project's own templates/study.md.j2 overrides the packaged one; the package is left alone.
    own = project.templates / "study.md.j2"
    own.parent.mkdir()
    own.write_text((TEMPLATES / "study.md.j2").read_text().replace("## Facets", "## In short"))
    after = build_site(project, memo)
    assert "## In short" in after.pages["studies/lee2023third.md"]
    assert "## In short" not in build_site(Project.at(MINI)).pages["studies/lee2023third.md"]


def test_the_cache_file_round_trips_and_a_foreign_or_broken_one_is_ignored(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project()
    memo = Memo()
    build_site(project, memo)
    save_memo(memo, project.root)
    reloaded = load_memo(project.root)
    rendered = []
    real_render = render.render_template
    monkeypatch.setattr(render, "render_template", lambda *a: rendered.append(a[2]) or real_render(*a))
    site = build_site(project, reloaded)
    # Only the files kept whole, the node views and the rendered pages are made again: they are kept
    # in memory (for serve), never in the file; the pages are rendered without a key, as nothing could
    # reuse them. (The node views are kept so that kept study views and they are the same objects.)
    assert rendered and set(rendered) < set(site.pages)
    kept_whole = sum(kept_whole for *_, kept_whole in render.FILE_PARTS.values())
    assert reloaded.misses == kept_whole + 1 + len(rendered) and kept_whole == 2
    assert reloaded.size() == len(reloaded.saved_entries()) > 0
    written = cache_file(project.root).stat().st_mtime_ns
    save_memo(reloaded, project.root)  # nothing new that is saved was made: the file is left as it is
    assert cache_file(project.root).stat().st_mtime_ns == written
    where = cache_file(project.root)
    where.write_bytes(pickle.dumps(("other code", {"x": 1})))
    assert load_memo(project.root).size() == 0
    where.write_bytes(b"not a pickle")
    assert load_memo(project.root).size() == 0


def test_the_cache_key_covers_every_file_of_the_package_and_the_shaping_libraries(tmp_path: Path) -> None:
    package = tmp_path / "surveysite"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_version(package)
    assert before == code_version(package) == CODE_VERSION  # a copy of the package: the same key
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.pyc").write_bytes(b"bytecode")
    assert code_version(package) == before  # bytecode is not code
    sub = package / "newpart"  # a subpackage added later, with a data file of its own
    sub.mkdir()
    (sub / "__init__.py").write_text("")
    with_sub = code_version(package)
    assert with_sub != before
    (sub / "table.csv").write_text("a,b\n")
    assert code_version(package) != with_sub
    template = package / "defaults" / "templates" / "study.md.j2"
    template.write_text(template.read_text() + "\n")
    changed = code_version(package)
    assert changed != with_sub
    (package / "defaults" / "assets" / "javascripts" / "matrix.js").write_text("")
    assert code_version(package) != changed
    assert {"jinja2", "bibtexparser", "pylatexenc", "PyYAML"} <= set(_SHAPING_LIBRARIES)


def test_a_reference_carries_the_digest_of_its_formatted_entry(make_project: MakeProject) -> None:
    project = make_project()
    studies = load_catalog(project).studies
    assert all(s.reference.entry for s in studies)  # made with each reference, and kept with it
    # The same digest as one made anew from the entry, which a reference made otherwise gets.
    assert [s.reference.entry for s in studies] == [
        views.entry_key(dataclasses.replace(s.reference, entry="")) for s in studies
    ]
    edit(project, "bib/studies.bib", "The First Study of", "The First Look at")
    assert [s.reference.entry for s in load_catalog(project).studies] != [s.reference.entry for s in studies]


def test_the_placements_key_follows_where_studies_are_placed_and_nothing_else(
    make_project: MakeProject,
) -> None:
    project = make_project()
    survey = load_survey(project.root, Problems())

    def placements() -> str:  # of a catalog read anew: the same values, other objects
        return views.Views(load_catalog(project), survey, None, Memo()).placements

    base = placements()
    assert placements() == base
    edit(project, "content/studies/lee2023third.yaml", "A third fictional study.", "A revised summary.")
    assert placements() == base  # a summary: neither related studies nor heat maps change
    edit(project, "content/studies/lee2023third.yaml", "[beta]", "[alpha/one]")
    assert placements() != base


def test_the_shaping_libraries_versions_are_read_as_importlib_metadata_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cache.library_versions(_SHAPING_LIBRARIES) == [metadata.version(n) for n in _SHAPING_LIBRARIES]
    # The first folder on sys.path that has the distribution wins, its name compared in normalized form.
    installed = [
        ("eggs", "Some.Lib-4.0-py3.11.egg-info", "PKG-INFO", "4.0"),  # as setup.py develop leaves it
        ("first", "Some_Lib-2.0.dist-info", "METADATA", "2.0"),
        ("second", "Some_Lib-1.0.dist-info", "METADATA", "1.0"),
    ]
    for folder, name, file, version in installed:
        (tmp_path / folder / name).mkdir(parents=True)
        (tmp_path / folder / name / file).write_text(
            f"Metadata-Version: 2.1\nName: Some.Lib\nVersion: {version}\n"
        )
    folders = [str(tmp_path / name) for name in ("missing", "eggs", "first", "second")]
    names = ("some-lib", "jinja2")
    monkeypatch.setattr(sys, "path", [*folders, *sys.path])
    assert (
        cache.library_versions(names)
        == [metadata.version(n) for n in names]
        == ["4.0", metadata.version("jinja2")]
    )
    monkeypatch.setattr(sys, "path", sys.path[2:])  # without the egg: the first .dist-info folder's
    assert (
        cache.library_versions(names)
        == [metadata.version(n) for n in names]
        == ["2.0", metadata.version("jinja2")]
    )
    with pytest.raises(metadata.PackageNotFoundError):  # as importlib.metadata.version would
        cache.library_versions(("no-such-library",))


def test_an_edited_summary_remakes_its_feeds_and_reuses_heat_maps_records_and_templates(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: dict[str, int] = {"feed": 0, "ris": 0, "heatmap": 0, "environment": 0}

    def counted(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def spy(*args: Any, **kwargs: Any) -> Any:
            made[name] += 1
            return real(*args, **kwargs)

        return spy

    monkeypatch.setattr(feed, "studies_feed", counted("feed", feed.studies_feed))
    monkeypatch.setattr(render, "ris_record", counted("ris", render.ris_record))
    monkeypatch.setattr(render, "leaf_by_facet", counted("heatmap", render.leaf_by_facet))
    monkeypatch.setattr(templating, "make_environment", counted("environment", templating.make_environment))
    monkeypatch.setattr(templating, "_environments", {})
    project = make_project()
    memo = Memo()
    build_site(project, memo)
    first = dict(made)
    assert all(first.values())
    # (a study the site added: an edition's feeds hold those alone)
    path = project.root / "content" / "studies" / "smith2022second.yaml"
    path.write_text(path.read_text().replace("Tries *emphasis*", "A revised summary. Tries *emphasis*"))
    made.update(dict.fromkeys(made, 0))
    after = build_site(project, memo)
    # Its summary is in the site's feed and in the feed of each node it is under (alpha, alpha/two, beta).
    assert made == {"feed": 4, "ris": 0, "heatmap": 0, "environment": 0}
    fresh = build_site(project)
    assert after.files == fresh.files and after.pages == fresh.pages
    assert "A revised summary." in after.files["feed.beta.xml"]


def test_an_edited_title_in_the_bib_remakes_the_feeds_that_show_it_and_no_other(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feed is kept under its studies' keys, study files and BibTeX entries: a title edited in the
    .bib alone (no study file changed) still reaches the feeds that list the study."""
    made: list[str] = []
    real = feed.studies_feed
    monkeypatch.setattr(feed, "studies_feed", lambda *args: made.append(args[3]) or real(*args))
    project = make_project()
    memo = Memo()
    before = build_site(project, memo)
    assert len(made) == len([p for p in before.files if p.endswith(".xml")]) > 2
    bib = project.root / "bib" / "studies.bib"
    bib.write_text(bib.read_text().replace("a Study with *Markdown*", "a Retitled Study", 1))
    made.clear()
    after = build_site(project, memo)  # the site's, and its nodes' (a study the site added: see above)
    assert sorted(made) == sorted([FEED_PATH, "feed.alpha.xml", "feed.alpha.two.xml", "feed.beta.xml"])
    assert "a Retitled Study" in after.files["feed.beta.xml"]
    fresh = build_site(project)
    assert after.files == fresh.files and after.pages == fresh.pages


def test_the_sites_feed_is_reused_while_its_newest_studies_are_the_same(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site's feed lists the newest MAX_ENTRIES studies: an edit to an older one leaves it as kept,
    an edit to one of them makes it again."""
    monkeypatch.setattr(feed, "MAX_ENTRIES", 1)
    made: list[str] = []
    real = feed.studies_feed
    monkeypatch.setattr(feed, "studies_feed", lambda *args: made.append(args[3]) or real(*args))
    project = make_project()
    memo = Memo()
    catalog = load_catalog(project)
    newest, older = feed.newest_first(catalog)[0].key, feed.newest_first(catalog)[-1].key
    build_site(project, memo)
    bib = project.root / "bib" / "studies.bib"
    for key, remade in ((older, False), (newest, True)):
        text = bib.read_text()
        title = text.index("{", text.index("title", text.index("{" + key + ","))) + 1
        bib.write_text(text[:title] + "Retitled " + text[title:])
        made.clear()
        after = build_site(project, memo)
        assert (FEED_PATH in made) == remade, key
        assert after.files == build_site(project).files


def test_a_memo_that_ends_with_its_run_makes_unsaved_results_without_a_key(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    single = load_memo(root)  # pages, check, mkdocs build: nothing outlives the run
    assert single.get_by(lambda: pytest.fail("a key was computed"), lambda: "page", saved=False) == "page"
    assert single.get_by(lambda: "part", lambda: "kept") == "kept" and single.size() == 1
    serving = load_memo(root, lasting=True)  # serve's, kept for the next rebuild
    assert serving.get_by(lambda: "page", lambda: "made", saved=False) == "made"
    assert serving.get_by(lambda: "page", lambda: pytest.fail("made again"), saved=False) == "made"
    assert serving.saved_entries() == {}


def test_a_forked_copy_sends_back_the_keys_it_used_since_the_fork_and_both_sides_keep_theirs() -> None:
    memo = Memo({"before": 1, "theirs": 2, "unused": 3})
    assert memo.get("before", lambda: pytest.fail("made again")) == 1
    since = memo.mark()  # the fork: the child's copy is this Memo as it stands
    assert memo.get("theirs", lambda: pytest.fail("made again")) == 2  # in the child
    assert memo.get("new", lambda: 4) == 4
    added, _, used, hits, misses = memo.changes(since)
    assert (added, used, hits, misses) == ({"new": 4}, {"theirs", "new"}, 1, 1)
    parent = Memo({"before": 1, "theirs": 2, "unused": 3})
    parent.get("before", lambda: pytest.fail("made again"))
    parent.merge(memo.changes(since))
    parent.prune()  # what neither side used is dropped; what either used is kept
    assert parent.saved_entries() == {"before": 1, "theirs": 2, "new": 4}


def test_a_result_made_unsaved_is_reused_in_memory_but_never_written(tmp_path: Path) -> None:
    memo = Memo()
    assert memo.get("whole", lambda: "made", saved=False) == "made"
    assert memo.get("part", lambda: "kept") == "kept"
    assert memo.get("whole", lambda: pytest.fail("made again"), saved=False) == "made"  # as serve reuses it
    assert memo.saved_entries() == {"part": "kept"}
    copy = Memo()  # a forked child's copy: what it made unsaved stays unsaved once merged
    since = copy.mark()
    copy.get("child", lambda: "theirs", saved=False)
    memo.merge(copy.changes(since))
    assert memo.saved_entries() == {"part": "kept"} and memo.known("child")
    root = tmp_path / "project"
    root.mkdir()
    save_memo(memo, root)
    loaded = load_memo(root)
    assert loaded.saved_entries() == {"part": "kept"} and not loaded.known("whole")
    loaded.start_build()
    assert loaded.get("part", lambda: pytest.fail("made again")) == "kept"
    assert loaded.get("whole", lambda: "made anew", saved=False) == "made anew"
    assert not loaded.prune()  # the same saved results as the file: no need to write it again
    loaded.get("new", lambda: "more")
    assert loaded.prune()  # a new result to save


def _frame_lengths(data: bytes) -> list[int]:
    """The length of each frame of a cache file (head and payload), as save_memo writes them."""
    checksum = cache._DIGEST_BYTES  # then the payload's length in 8 bytes
    lengths, at, head = [], 0, checksum + 8
    while at < len(data):
        size = head + int.from_bytes(data[at + checksum : at + head], "little")
        lengths.append(size)
        at += size
    return lengths


def _saved_run(project: Project) -> Memo:
    memo = load_memo(project.root)
    build_site(project, memo)
    save_memo(memo, project.root)
    return memo


def _saved_once(make_project: MakeProject) -> tuple[Project, Path]:
    """A project built once with its cache saved, and the cache file."""
    project = make_project()
    _saved_run(project)
    return project, cache_file(project.root)


def _assert_written_anew(project: Project, memo: Memo) -> None:
    """The cache file is one frame, holding exactly what `memo` saved."""
    path = cache_file(project.root)
    assert _frame_lengths(path.read_bytes()) == [path.stat().st_size]
    assert load_memo(project.root).loaded == set(memo.saved_entries())


def _runs_around_an_edit(project: Project) -> tuple[Memo, Memo, bytes]:
    """A run, an edit to one study's summary, a run: both Memos, and the cache file after the first."""
    first = _saved_run(project)
    before = cache_file(project.root).read_bytes()
    edit(project, "content/studies/lee2023third.yaml", "A third fictional study.", "A revised summary.")
    return first, _saved_run(project), before


def test_a_run_after_an_edit_appends_what_it_made_and_rewrites_nothing_before(
    make_project: MakeProject,
) -> None:
    project = make_project()
    first, second, before = _runs_around_an_edit(project)
    assert _frame_lengths(before) == [len(before)]
    after = cache_file(project.root).read_bytes()
    assert after.startswith(before) and _frame_lengths(after) == [len(before), len(after) - len(before)]
    reread = load_memo(project.root)
    assert reread.loaded == set(first.saved_entries()) | set(second.saved_entries())
    build_site(project, reread)  # everything the file is read for is found in it
    assert reread.misses == second.misses - len(second.saved_entries().keys() - first.saved_entries().keys())
    assert build_site(project, reread).pages == build_site(project, Memo(keep=False)).pages


def test_a_frame_cut_short_or_changed_is_dropped_with_the_earlier_frames_kept(
    make_project: MakeProject,
) -> None:
    project = make_project()
    first, _, _ = _runs_around_an_edit(project)
    path = cache_file(project.root)
    whole = path.read_bytes()
    one = _frame_lengths(whole)[0]
    changed = bytearray(whole)
    changed[one + (len(whole) - one) // 2] ^= 0x01
    for broken in (whole[:-7], bytes(changed)):
        path.write_bytes(broken)
        assert load_memo(project.root).loaded == set(first.saved_entries())
    wrong = b"\1" * cache._DIGEST_BYTES + (48).to_bytes(8, "little") + b"\0" * 48  # not its checksum
    empty = bytes(cache._DIGEST_BYTES + 8)  # the checksum of nothing, and no pickle
    for junk in (b"\0" * (cache._DIGEST_BYTES + 7), wrong, empty):  # a head cut short, two broken frames
        path.write_bytes(whole + junk)
        assert load_memo(project.root).loaded > set(first.saved_entries())
    path.write_bytes(whole[:-7])
    memo = _saved_run(project)  # a run after a broken frame writes the file anew
    assert _frame_lengths(path.read_bytes()) == [path.stat().st_size] and memo.loaded


class _MakesAFolder:
    """Unpickled, it makes a folder: what a damaged frame must never get to do."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return os.mkdir, (str(self.path),)


class _RestoresAnother:
    """Unpickled, it has the maker of objects read back packed make an object of another class."""

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return model.restored, (Problems, (), b"")


class _PackedCall:
    """Unpickled, a study's view read back whose packed fields, once read, make a folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __hash__(self) -> int:  # (only to be put in a frozenset here)
        return 0

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        packed = pickle.dumps(_MakesAFolder(self.path))
        return model.restored, (views.StudyView, ("key", "Name", "studies/key/", ()), packed)


@pytest.mark.parametrize("fixture", ["mini", "wide"])
def test_everything_a_build_keeps_is_read_back_from_the_cache_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixture: str
) -> None:
    # What the cache file holds is made by an unpickler that refuses all but the package's classes and
    # a few plain types (cache._Loader): a result of another type would be dropped, silently, from every
    # run's cache. The serve case too: a Memo that lasts keeps every result.
    root = tmp_path / fixture
    shutil.copytree(Path(__file__).parent / "fixtures" / fixture, root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = Project.at(root)
    for memo in (Memo(lasting=False), Memo()):
        build_site(project, memo)
        save_memo(memo, root)
        assert load_memo(root).loaded == set(memo.saved_entries()) and memo.saved_entries()
        cache_file(root).unlink()


def test_the_cache_is_read_where_no_thread_can_be_started(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project()
    first, second, _ = _runs_around_an_edit(project)

    class NoThreads(ThreadPoolExecutor):
        def submit(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("can't start new thread")  # as a limit on processes makes it say

    monkeypatch.setattr(cache, "ThreadPoolExecutor", NoThreads)
    assert load_memo(project.root).loaded == set(first.saved_entries()) | set(second.saved_entries())


def _calling_frame(module: str, name: str, argument: str) -> bytes:
    """A cache frame, with its checksum, whose entry 'outside' calls module.name(argument) when it is
    unpickled by pickle's own rules (protocol 4 opcodes, as pickletools names them)."""

    def text(value: str) -> bytes:
        data = value.encode()
        return b"\x8c" + bytes([len(data)]) + data  # SHORT_BINUNICODE

    call = text(module) + text(name) + b"\x93" + text(argument) + b"\x85R"  # STACK_GLOBAL, TUPLE1, REDUCE
    payload = b"\x80\x04" + text(cache.CODE_VERSION) + b"}" + text("outside") + call + b"s\x86."
    return cache._payload_digest(payload) + len(payload).to_bytes(8, "little") + payload


def test_a_frame_is_made_of_this_package_and_plain_types_alone(
    make_project: MakeProject, tmp_path: Path
) -> None:
    # A frame is unpickled while its checksum is computed (see cache._frames): one that would call
    # anything else is refused while it is read, even with a checksum that matches.
    project = make_project()
    first, _, _ = _runs_around_an_edit(project)
    path = cache_file(project.root)
    whole = path.read_bytes()
    made = tmp_path / "made"
    frames = [
        b"".join(cache._frame({"outside": o}))
        for o in (_MakesAFolder(made), collections.OrderedDict(), _RestoresAnother())
    ]
    # A view read back, hashed as the frozenset it is put in is made: its fields are all read, and so
    # unpickled while the frame is, by the same rules.
    frames += [b"".join(cache._frame({"outside": frozenset([_PackedCall(made)])}))]
    # Written by hand: a name of the package's that reaches further (a module it imports), called with
    # the folder's path, and a function of the package's own (which would give a digest).
    frames += [_calling_frame("surveysite.cache", "os.mkdir", str(made))]
    frames += [_calling_frame("surveysite.cache", "digest", "any text")]
    for frame in frames:
        path.write_bytes(whole + frame)
        memo = load_memo(project.root)
        assert memo.loaded > set(first.saved_entries()) and "outside" not in memo.loaded
        assert not made.exists()
    dated = {"dated": (datetime.date(2026, 12, 2), {1, 2}, frozenset({3}))}
    path.write_bytes(whole + b"".join(cache._frame(dated)))
    assert load_memo(project.root).kept("dated") == dated["dated"]
    with pytest.raises(TypeError):  # the maker makes no other class's objects
        model.restored(Problems, (), b"")  # type: ignore[arg-type]


def test_a_cache_file_replaced_since_it_was_read_or_mostly_unused_is_written_anew(
    make_project: MakeProject,
) -> None:
    project, path = _saved_once(make_project)
    memo = load_memo(project.root)
    edit(project, "content/studies/lee2023third.yaml", "A third fictional study.", "A revised summary.")
    build_site(project, memo)
    other = path.with_name("other")  # another run's file in its place: not the file this Memo read
    other.write_bytes(path.read_bytes())
    other.replace(path)
    save_memo(memo, project.root)
    _assert_written_anew(project, memo)
    for study in ("lee2023third", "mueller2021first", "smith2022second"):  # most of what it holds changes
        edit(project, f"content/studies/{study}.yaml", "name: ", "name: Renamed ")
    memo = _saved_run(project)
    _assert_written_anew(project, memo)


@pytest.mark.parametrize("by_entry_keys", [False, True], ids=["entries", "entries' digests"])
def test_the_catalog_digest_follows_each_study_file_each_entry_and_the_taxonomy(
    make_project: MakeProject, by_entry_keys: bool
) -> None:
    def catalog_digest_now() -> str:
        catalog = load_catalog(project)
        if not by_entry_keys:
            return catalog_digest(catalog)
        return catalog_digest(catalog, {s.key: views.entry_key(s.reference) for s in catalog.studies})

    project = make_project()
    base = catalog_digest_now()
    assert catalog_digest_now() == base  # made again from the same files
    changes = [
        ("content/studies/lee2023third.yaml", "A third fictional study.", "A revised summary."),
        ("bib/studies.bib", "The First Study of", "The First Look at"),
        ("content/taxonomy.yaml", "The model used.", "The model the study uses."),
    ]
    for name, old, new in changes:
        edit(project, name, old, new)
        assert catalog_digest_now() != base, name
        edit(project, name, new, old)
        assert catalog_digest_now() == base, name
    # Each study's annotation carries the digest of the file it was read from.
    assert all(study.annotation.source for study in load_catalog(project).studies)


def test_a_cache_file_with_a_broken_end_is_written_anew_even_by_a_run_that_made_nothing(
    make_project: MakeProject,
) -> None:
    project, path = _saved_once(make_project)
    path.write_bytes(path.read_bytes() + b"\0" * 12)  # a frame's head cut short, say by a full disk
    memo = _saved_run(project)  # nothing new made, every entry used
    _assert_written_anew(project, memo)


def test_appending_stops_where_the_file_would_grow_past_a_third_of_its_first_frame(
    make_project: MakeProject,
) -> None:
    project, path = _saved_once(make_project)
    counts = []
    for round_ in range(8):  # each run replaces one study's results with new ones
        edit(project, "content/studies/lee2023third.yaml", "summary: ", f"summary: R{round_}. ")
        memo = _saved_run(project)
        frames = _frame_lengths(path.read_bytes())
        assert sum(frames) == path.stat().st_size and sum(frames[1:]) * 3 <= frames[0]
        assert load_memo(project.root).loaded >= set(memo.saved_entries())
        counts.append(len(frames))
    assert 1 in counts and max(counts) >= 2  # appended, then written anew, not grown without end


def test_the_filter_counts_of_paged_tables_follow_where_studies_are_placed_and_with_what(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "TABLE_LIMIT", 1)  # every table of two studies or more is paged
    monkeypatch.setattr(views, "TABLE_PAGE_ROWS", 1)
    project = make_project()
    memo = Memo()
    before = build_site(project, memo)
    edit(project, "content/studies/lee2023third.yaml", "feedback: [human, environment]", "feedback: [human]")
    after = build_site(project, memo)
    assert after.pages == build_site(project, Memo(keep=False)).pages
    assert "&quot;human&quot;:1" in after.pages["beta/index.md"]  # the filter counts, in the page
    assert after.pages["beta/index.md"] != before.pages["beta/index.md"]


def test_hand_written_pages_and_descriptions_are_rendered_for_checking_once_and_their_faults_told_again(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    about = (MINI / "content/pages/about.md").read_text(encoding="utf-8")
    project = make_project({"content/pages/about.md": about + "\n<script>alert(1)</script>\n"})
    rendered: list[str] = []
    real = rendered_module.examined
    monkeypatch.setattr(rendered_module, "examined", lambda text, *a: rendered.append(text) or real(text, *a))
    memo = Memo()
    first = [str(p) for p in check(project, memo)]
    assert rendered and any(p.startswith("content/pages/about.md:") for p in first), first
    count = len(rendered)
    second = [str(p) for p in check(project, memo)]
    assert second == first and len(rendered) == count  # nothing rendered again; the fault told again
    edit(project, "content/pages/index.md", "A fictional survey", "Hello, a fictional survey")
    assert [str(p) for p in check(project, memo)] == first
    assert len(rendered) == count + 1 and "Hello" in rendered[-1]  # only the page that changed
