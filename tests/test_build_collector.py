"""A build runs with Python's cyclic garbage collector kept to young objects, and leaves it as it found it."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest

from surveysite import build, cli
from surveysite.build import build_site, check
from surveysite.problems import DataError

from .conftest import MakeProject


def test_while_a_build_renders_the_collector_takes_young_cycles_and_walks_no_older_generation(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Turned off, it let the cycles a build drops pile up (pylatexenc's classes: 7.5 GB in a review);
    walking the older generations walked everything the build keeps, again and again."""

    class Node:
        partner: object = None

    walked: list[int] = []
    taken: list[bool] = []
    real = build.render_site

    def spy(*args: Any, **kwargs: Any) -> Any:
        cycle = Node()
        cycle.partner = cycle
        dropped = weakref.ref(cycle)
        del cycle  # unreachable: only a collection can take it
        made = [Node() for _ in range(3 * build.YOUNG_WALK)]  # enough objects made to set off walks
        taken.append(dropped() is None)
        del made
        return real(*args, **kwargs)

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            walked.append(info["generation"])

    monkeypatch.setattr(build, "YOUNG_WALK", 1_000)
    monkeypatch.setattr(build, "render_site", spy)
    before = gc.get_threshold()
    gc.collect()
    gc.callbacks.append(watch)
    try:
        build_site(make_project())
    finally:
        gc.callbacks.remove(watch)
    assert taken == [True]
    assert walked and set(walked) == {0}  # the youngest generation alone
    assert gc.isenabled() and gc.get_threshold() == before


def test_the_collector_is_back_on_after_a_build_or_check_that_finds_problems(
    make_project: MakeProject,
) -> None:
    project = make_project({"content/studies/lee2023third.yaml": "name: [1, 2\n"})
    with pytest.raises(DataError):
        build_site(project)
    assert gc.isenabled()
    assert check(project) and gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off(make_project: MakeProject) -> None:
    gc.disable()
    try:
        build_site(make_project())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_promoting_leaves_no_young_objects_to_walk_and_loses_no_garbage() -> None:
    class Node:
        partner: object = None

    young = gc.get_count()[0]
    with build.collector_paused(promote=True):
        kept = [Node() for _ in range(5_000)]  # tracked objects alive when the pause ends
        cycle = Node()
        cycle.partner = cycle
        garbage = weakref.ref(cycle)
        del cycle  # unreachable now, but only a collection can take a cycle
        assert gc.get_count()[0] >= young + 5_000
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 100  # the next collection has nothing young to walk
    assert len(kept) == 5_000 and garbage() is not None
    gc.collect()
    assert garbage() is None  # the cycle, moved to the oldest generation, is taken by a full collection


def test_the_command_line_promotes_what_a_build_leaves(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    promoted: list[bool] = []
    real = build.collector_paused

    def spy(promote: bool = False) -> Any:
        promoted.append(promote)
        return real(promote)

    monkeypatch.setattr(cli, "collector_paused", spy)
    project = make_project()
    assert cli.main(["--root", str(project.root), "--no-cache", "pages", "--out", str(tmp_path / "out")]) == 0
    assert cli.main(["--root", str(project.root), "check"]) == 0
    # each command twice: reading the cache, then the build or the check
    assert promoted == [True, True, True, True] and gc.isenabled()


def test_the_cache_is_read_and_it_and_the_stamp_written_while_the_collector_is_paused(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """Writing them after the pause set off a full collection that walked everything the build made;
    reading the cache with the collector on, collections that walked what it had read so far."""
    seen: dict[str, bool] = {}

    def spying(name: str) -> Any:
        real = getattr(cli, name)

        def spy(*args: Any, **kwargs: Any) -> Any:
            seen[name] = gc.get_threshold()[1:] != before[1:]  # the older generations left alone
            return real(*args, **kwargs)

        return spy

    before = gc.get_threshold()
    for name in ("load_memo", "save_memo", "record"):
        monkeypatch.setattr(cli, name, spying(name))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = make_project()
    assert cli.main(["--root", str(project.root), "pages", "--out", str(tmp_path / "out")]) == 0
    assert seen == {"load_memo": True, "save_memo": True, "record": True}
    assert gc.isenabled() and gc.get_threshold() == before
