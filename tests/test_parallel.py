"""Work shared with a forked child: the same results, problems and reused work as doing it all here."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config

from surveysite import build, cli, loading, parallel, render, stamp, views
from surveysite.build import build_site, check
from surveysite.cache import Memo, load_memo, save_memo
from surveysite.parallel import run_split
from surveysite.paths import STUDIES_JSON

from .conftest import ROOT, MakeProject, marker_sums


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Two jobs even on one core, no least amount of work, and a record of every fork.

    Threads that earlier tests leave waiting (a browser's process watcher) are not counted here;
    test_nothing_is_forked_while_another_thread_runs counts them all.
    """
    monkeypatch.setattr(parallel, "_threads", lambda: 1)
    monkeypatch.setenv("SURVEYSITE_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_WEIGHT", 0)
    monkeypatch.setattr(render, "SPLIT_COST", 0)
    monkeypatch.setattr(render, "CHUNK", 1)  # study pages shared out one by one
    monkeypatch.setattr(views, "SPLIT_VIEWS", 0)
    monkeypatch.setattr(views, "VIEW_CHUNK", 1)  # and study views
    real = os.fork
    made: list[int] = []

    def fork() -> int:
        pid = real()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(parallel.os, "fork", fork)
    yield made


def where(index: int) -> tuple[int, int]:
    return index, os.getpid()


def tasks(count: int) -> list[Callable[[], tuple[int, int]]]:
    return [partial(where, i) for i in range(count)]


def test_without_slack_the_later_tasks_run_in_a_child_and_results_keep_their_order(
    forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "SLACK", 0)  # the shares meet where the weights say, as a rule
    results = run_split(tasks(6), [1] * 6, Memo())
    assert [index for index, _ in results] == list(range(6))
    assert [pid for _, pid in results[:3]] == [os.getpid()] * 3
    assert {pid for _, pid in results[3:]} == set(forks) and len(forks) == 1 and forks[0] != os.getpid()


def logged(log: Path, index: int) -> tuple[int, int]:
    """where(index), each run noted in `log` (appended to by either process)."""
    descriptor = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(descriptor, f"{index}\n".encode())
    finally:
        os.close(descriptor)
    return where(index)


def slowly_logged(log: Path, index: int) -> tuple[int, int]:
    threading.Event().wait(0.01)
    return logged(log, index)


Logged = Callable[[Path, int], tuple[int, int]]


def shared_once_each(forks: list[int], log: Path, task: Logged, count: int) -> int:
    """How many of `count` tasks ran here, once it is checked that each ran once (in either process) and
    the results came back in order: this process's first, then the child's, none after."""
    results = run_split([partial(task, log, i) for i in range(count)], [1] * count, Memo())
    assert sorted(int(line) for line in log.read_text().split()) == list(range(count))
    assert [index for index, _ in results] == list(range(count))
    pids = [pid for _, pid in results]
    meet = pids.index(forks[-1])
    assert set(pids[:meet]) == {os.getpid()} and set(pids[meet:]) == {forks[-1]}
    return meet


def test_two_processes_claiming_at_once_run_each_task_once(forks: list[int], tmp_path: Path) -> None:
    """Both as quick: each runs its own quarter of 40 tasks, then both claim runs of the 20 between,
    a run either of them would run again if both took it, or leave out if neither did."""
    for turn in range(5):
        assert 10 < shared_once_each(forks, tmp_path / f"turn{turn}", slowly_logged, 40) < 30  # both claimed


def test_quick_tasks_in_many_runs_each_run_once_and_in_order(forks: list[int], tmp_path: Path) -> None:
    for turn in range(20):
        assert 0 < shared_once_each(forks, tmp_path / f"turn{turn}", logged, 200) < 200


def taking(here: float, child: float, parent: int, index: int) -> tuple[int, int]:
    threading.Event().wait(here if os.getpid() == parent else child)
    return where(index)


@pytest.mark.parametrize(("here", "child", "least", "most"), [(0.01, 0.1, 25, 30), (0.1, 0.01, 10, 15)])
def test_the_quicker_process_claims_the_tasks_between_the_shares(
    forks: list[int], here: float, child: float, least: int, most: int
) -> None:
    """Of 40 tasks, each process runs its own 10 (a quarter) at least; the 20 between go to the
    quicker one, which runs its own quarter long before the other (and claims no run before that)."""
    made = [partial(taking, here, child, os.getpid(), i) for i in range(40)]
    results = run_split(made, [1] * 40, Memo())
    assert [index for index, _ in results] == list(range(40))
    assert least <= sum(pid == os.getpid() for _, pid in results) <= most


def test_the_first_tasks_asked_to_run_here_run_here_when_the_child_is_quicker(forks: list[int]) -> None:
    made = [partial(taking, 0.05, 0, os.getpid(), i) for i in range(40)]
    results = run_split(made, [1] * 40, Memo(), here=25)
    assert [index for index, _ in results] == list(range(40)) and forks
    assert [pid for _, pid in results[:25]] == [os.getpid()] * 25
    forked = len(forks)
    assert run_split(tasks(6), [1] * 6, Memo(), here=6) == [(i, os.getpid()) for i in range(6)]
    assert len(forks) == forked  # all asked to run here: no child


def test_a_run_claimed_but_never_run_has_the_rest_done_here(
    forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child takes a run's byte and stops claiming without running it: its results do not make up
    the rest, which this process then does."""
    parent = os.getpid()
    real = parallel._Claims._claimed
    monkeypatch.setattr(parallel._Claims, "_claimed", lambda self: real(self) and os.getpid() == parent)
    results = run_split([partial(taking, 0.01, 0, parent, i) for i in range(40)], [1] * 40, Memo())
    assert forks and results == [(i, parent) for i in range(40)]


def test_a_child_that_fails_after_claiming_has_the_rest_done_here(forks: list[int]) -> None:
    """The child claims runs (this process takes a second over its own quarter) and fails in the
    first it claims: all after this process's own tasks and claims are done here."""
    parent = os.getpid()

    def fails_in_child(index: int) -> tuple[int, int]:
        if os.getpid() != parent and index < 75:  # not one of the child's own
            raise RuntimeError("fails in the child, in a claimed run")
        return taking(0.04, 0, parent, index)

    results = run_split([partial(fails_in_child, i) for i in range(100)], [1] * 100, Memo())
    assert forks and results == [(i, parent) for i in range(100)]


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_no_pipe_is_left_open_however_the_work_ends(
    forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()

    def fails_here(index: int) -> tuple[int, int]:
        if os.getpid() == parent and index == 5:
            raise RuntimeError("fails in this process")
        return where(index)

    before = open_descriptors()
    assert [index for index, _ in run_split(tasks(40), [1] * 40, Memo())] == list(range(40))
    assert open_descriptors() == before
    with pytest.raises(RuntimeError, match="fails in this process"):
        run_split([partial(fails_here, i) for i in range(40)], [1] * 40, Memo())
    assert open_descriptors() == before
    real = os.write
    monkeypatch.setattr(parallel, "_write", lambda fd, data: real(fd, data[: len(data) // 2]))
    assert [index for index, _ in run_split(tasks(40), [1] * 40, Memo())] == list(range(40))  # a fixed cut
    assert open_descriptors() == before and len(forks) == 3


def test_runs_a_pipe_cannot_hold_leave_the_shares_to_the_weights(
    forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.write
    monkeypatch.setattr(parallel, "_write", lambda fd, data: real(fd, data[: len(data) // 2]))
    results = run_split(tasks(200), [1] * 200, Memo())
    assert [index for index, _ in results] == list(range(200)) and len(forks) == 1
    assert [pid for _, pid in results].index(forks[0]) == 100  # the fixed cut


def test_the_runs_claimed_follow_the_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MOST_CLAIMS", 4)
    claims = parallel._Claims.around([1] * 4 + [0] * 8 + [1] * 4 + [0] * 4 + [1] * 4, 0.5)
    try:  # each process's own: a quarter of the weight (3); the 6 between: a run starts at each step
        assert (claims.front, claims.back) == (3, 21)
        assert claims.spans == [range(3, 13), range(13, 14), range(14, 16), range(16, 21)]
    finally:
        claims.close()
    claims = parallel._Claims.around([5] + [0] * 1000 + [5], 0.5)
    try:  # no weight between the shares: one run
        assert (claims.front, claims.back) == (1, 1001) and claims.spans == [range(1, 1001)]
    finally:
        claims.close()
    claims = parallel._Claims.around([1] * 12, 0.5, here=10)
    try:  # the first ten asked to run here: the child keeps the rest (the last two), nothing between
        assert (claims.front, claims.back) == (10, 10) and claims.spans == []
    finally:
        claims.close()


def test_the_split_follows_the_weights() -> None:
    assert parallel._cut([10, 1, 1, 1, 1]) == 1
    assert parallel._cut([1, 1, 1, 1, 10]) == 4
    assert parallel._cut([1, 1, 1, 1]) == 2
    assert parallel._cut([1] * 10, 0.4) == 6  # the child takes the last four
    assert parallel._cut([1] * 10, 0.2) == 8
    assert parallel._cut([1] * 10, 0.01) == 9 and parallel._cut([1] * 10, 0.99) == 1  # one each at least
    assert parallel._cut([5, 1, 1, 3], 0.4) == 2


def test_a_child_that_fails_has_its_share_done_here(forks: list[int]) -> None:
    parent = os.getpid()

    def only_here(index: int) -> tuple[int, int]:
        if os.getpid() != parent:
            raise RuntimeError("fails in the child")
        return where(index)

    results = run_split([partial(only_here, i) for i in range(4)], [1] * 4, Memo())
    assert forks and results == [(i, parent) for i in range(4)]


def test_a_result_the_child_cannot_send_is_made_here(forks: list[int]) -> None:
    parent = os.getpid()

    def unsendable() -> object:
        return (lambda: None) if os.getpid() != parent else "made here"

    results = run_split([lambda: "first", unsendable], [1, 1], Memo())
    assert forks and results == ["first", "made here"]


def test_results_the_child_adds_to_the_memo_are_kept_and_counted(forks: list[int]) -> None:
    def use(memo: Memo, index: int) -> int:
        return memo.get(f"key{index}", lambda: index * 10)

    alone, shared = Memo({"key0": 0, "key5": 50, "old": 1}), Memo({"key0": 0, "key5": 50, "old": 1})
    expected = [use(alone, i) for i in range(6)]
    assert run_split([partial(use, shared, i) for i in range(6)], [1] * 6, shared) == expected
    assert forks
    counts = (shared.size(), shared.hits, shared.misses)
    assert counts == (alone.size(), alone.hits, alone.misses) == (7, 2, 4)
    shared.prune()  # keeps what either process used, drops the rest
    assert shared.size() == 6
    assert shared.get("key4", lambda: pytest.fail("the child's result was not kept")) == 40


def test_nothing_is_forked_while_another_thread_runs(
    forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "_threads", threading.active_count)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        results = run_split(tasks(4), [1] * 4, Memo())
    finally:
        stop.set()
        thread.join()
    assert not forks and {pid for _, pid in results} == {os.getpid()}


def test_a_fork_that_fails_runs_everything_here(forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")  # too many processes, say

    monkeypatch.setattr(os, "fork", no_fork)
    results = run_split(tasks(4), [1] * 4, Memo())
    assert [value for value, _ in results] == [0, 1, 2, 3] and {pid for _, pid in results} == {os.getpid()}


@pytest.mark.usefixtures("children_ignored")
def test_with_children_reaped_by_the_kernel_everything_runs_here(forks: list[int]) -> None:
    """Waiting for a child the kernel reaped raises ChildProcessError: no child is made then."""
    assert run_split(tasks(4), [1] * 4, Memo()) == [(i, os.getpid()) for i in range(4)]
    assert forks == []


@pytest.mark.parametrize("setting", ["\u00b2", "\u2460", "9" * 5000, "two", "-1"])
def test_a_jobs_setting_that_is_no_small_number_is_ignored(
    monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    """isdigit() holds for '²' and '①', which int() refuses: the setting raised out of every large run."""
    monkeypatch.setenv("SURVEYSITE_JOBS", setting)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1, 2})
    assert parallel.jobs() == 2


def test_one_job_runs_everything_here(forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SURVEYSITE_JOBS", "1")
    assert {pid for _, pid in run_split(tasks(4), [1] * 4, Memo())} == {os.getpid()}
    assert not forks


def test_little_work_runs_here(forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_WEIGHT", 100)
    assert {pid for _, pid in run_split(tasks(4), [1] * 4, Memo())} == {os.getpid()}
    assert not forks


def test_a_failure_here_stops_the_child_and_is_raised(forks: list[int]) -> None:
    def fails() -> None:
        raise ValueError("fails here")

    def slow() -> None:
        threading.Event().wait(60)

    with pytest.raises(ValueError, match="fails here"):
        run_split([fails, slow], [1, 1], Memo())
    assert forks
    with pytest.raises(ChildProcessError):
        os.waitpid(forks[0], os.WNOHANG)  # stopped and reaped: no child is left behind


def test_a_site_built_in_two_processes_equals_one_built_in_one(
    make_project: MakeProject, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project()
    shared_memo = Memo()
    shared = build_site(project, shared_memo)
    assert len(forks) == 3  # the sources read, the study views and the pages made beside the main process
    monkeypatch.setenv("SURVEYSITE_JOBS", "1")
    alone_memo = Memo()
    alone = build_site(project, alone_memo)
    assert len(forks) == 3
    assert shared.pages == alone.pages and shared.files == alone.files and shared.nav == alone.nav
    assert (shared_memo.size(), shared_memo.misses) == (alone_memo.size(), alone_memo.misses)


def test_problems_found_in_two_processes_equal_those_found_in_one(
    make_project: MakeProject, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(
        {
            "bib/extra.bib": "@article{broken2024,\n  title = {No closing brace},\n  year = {2024}\n",
            "content/studies/lee2023third.yaml": "name: [1, 2\n",
            "content/studies/Bad Name.yaml": "name: x\n",
        }
    )
    shared = [str(p) for p in check(project, Memo())]
    assert forks
    monkeypatch.setenv("SURVEYSITE_JOBS", "1")
    alone = [str(p) for p in check(project, Memo())]
    assert shared == alone
    assert any("extra.bib" in p for p in shared) and any("lee2023third.yaml" in p for p in shared)
    assert any("Bad Name.yaml" in p for p in shared)


def test_inside_one_process_nothing_is_forked_and_the_setting_is_restored_after(forks: list[int]) -> None:
    with parallel.one_process():
        with parallel.one_process():
            assert {pid for _, pid in run_split(tasks(4), [1] * 4, Memo())} == {os.getpid()}
        assert not parallel.can_fork()
    assert not forks and parallel.can_fork()
    assert len({pid for _, pid in run_split(tasks(4), [1] * 4, Memo())}) == 2


def test_the_mkdocs_plugin_shares_the_generator_under_build_and_not_under_serve(
    make_project: MakeProject, forks: list[int], tmp_path: Path
) -> None:
    project = make_project()
    shutil.copy(ROOT / "mkdocs.yml", project.root / "mkdocs.yml")
    made = {}
    for command in ("serve", "build"):
        config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(tmp_path / command))
        config.plugins.on_startup(command=command, dirty=False)
        plugin = config.plugins["surveysite"]
        plugin.on_config(config)
        made[command] = plugin.site.pages
        assert bool(forks) == (command == "build")  # serve keeps much in memory: a fork would copy it
        config.plugins.on_shutdown()
    assert made["serve"] == made["build"] == build_site(project).pages


def test_a_run_after_an_edit_weighs_only_what_it_is_likely_to_make_again(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project()
    build_site(project, memo := Memo())
    save_memo(memo, project.root)
    kept = load_memo(project.root)
    assert kept.written is not None
    studies = sorted((project.root / "content" / "studies").glob("*.yaml"))
    for path in studies:  # older than the cache file, but one edited since
        os.utime(path, ns=(kept.written - 10**9, kept.written - 10**9))
    edited = studies[0]
    edited.write_text(edited.read_text().replace("summary: ", "summary: Edited. ", 1))
    os.utime(edited, ns=(kept.written + 10**9, kept.written + 10**9))
    weighed: list[list[int]] = []
    real = loading.run_split

    def spy(tasks: Any, weights: list[int], *rest: Any, **named: Any) -> Any:
        weighed.append(list(weights))
        return real(tasks, weights, *rest, **named)

    monkeypatch.setattr(loading, "run_split", spy)
    made = []
    real_views = render.Views
    monkeypatch.setattr(render, "Views", lambda *a: made.append(real_views(*a)) or made[-1])
    assert build_site(project, kept).pages == build_site(project, Memo(keep=False)).pages
    # The .bib file's one part is kept; of the study files, only the edited one weighs (its size). First
    # comes the work beside them (the taxonomy, pages, templates and settings), weighed a fortieth of it.
    size = edited.stat().st_size
    assert weighed[0] == [size // 40, 0, size, 0, 0]
    assert made[0].made == 1  # its view alone is made again: the files beside the pages weigh that
    assert made[1].made == len(studies)  # nothing kept: every view made


def test_after_an_edit_the_downloads_are_made_here_and_the_child_takes_the_study_pages(
    make_project: MakeProject, forks: list[int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The downloads, which an edited summary changes (their bytes would come back through the pipe),
    are made in this process after an edit however much the child is given (run_split's `here`), and
    last (the child's own) in a first run."""
    project = make_project()
    makers = tmp_path / "makers"
    maker, cost, join_cost, whole = render.FILE_PARTS["downloads"]

    def spy(*args: Any) -> dict[str, str]:
        with makers.open("a", encoding="utf-8") as record:
            record.write(f"{os.getpid()}\n")
        return maker(*args)

    monkeypatch.setitem(render.FILE_PARTS, "downloads", (spy, cost, join_cost, whole))
    monkeypatch.setattr(stamp, "_RACY_NS", -(10**18))  # every file taken as old enough to trust
    monkeypatch.setattr(render, "CHILD_SHARE_KEPT", 0.99)  # here however much the child is given
    monkeypatch.setattr(parallel, "SLACK", 0)  # and none of it claimed by this process
    out = tmp_path / "out"
    command = ["--root", str(project.root), "pages", "--out", str(out)]
    assert cli.main(command) == 0
    assert makers.read_text().split() == [str(forks[-1])]  # a first run: the child's
    study = project.root / "content" / "studies" / "lee2023third.yaml"
    study.write_text(study.read_text().replace("summary: ", "summary: Edited. ", 1))
    forked = len(forks)
    assert cli.main(command) == 0
    assert len(forks) > forked and makers.read_text().split()[1:] == [str(os.getpid())]  # here
    assert "Edited." in (out / STUDIES_JSON).read_text(encoding="utf-8")
    fresh = tmp_path / "fresh"
    assert cli.main(["--root", str(project.root), "--no-cache", "pages", "--out", str(fresh)]) == 0
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    # (the marker's records give the times each file was written: its sizes and sums compared)
    same = [marker_sums((out / n).read_bytes()) == marker_sums((fresh / n).read_bytes()) for n in files]
    assert all(same)


def test_the_taxonomy_pages_and_templates_are_read_here_while_the_child_reads_its_share(
    make_project: MakeProject, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """They need none of the .bib and study files: read in this process while a child reads its share
    of those (the other core had nothing to do while they were read before or after), with the same
    problems reported as in one process. The survey's settings are read before: the .bib files' check
    reads their TeX commands."""
    read_in: dict[str, int] = {}
    events: list[str] = []  # in this process: each read, and each child's end waited for
    real_reap = parallel.reap
    monkeypatch.setattr(parallel, "reap", lambda pid: events.append("child ended") or real_reap(pid))

    def spying(name: str) -> None:
        real = getattr(build, name)

        def spy(*args: Any, **kwargs: Any) -> Any:
            read_in[name] = os.getpid()
            events.append(f"{name} with {len(forks)} child")
            return real(*args, **kwargs)

        monkeypatch.setattr(build, name, spy)

    for name in ("load_taxonomy", "load_pages", "check_templates", "load_survey"):
        spying(name)
    project = make_project(
        {
            "content/survey.yaml": "title: A survey\nrepository: 12\n",
            "content/pages/about.md": "# About\n\nSee [the missing page](nowhere.md).\n",
            "content/studies/lee2023third.yaml": "name: [1, 2\n",
        }
    )
    shared = [str(p) for p in check(project, Memo())]
    assert len(forks) == 1  # the sources read (with problems, nothing is built)
    # (With problems, check reads the settings and taxonomy again for the issue form, after.)
    beside = ["load_taxonomy", "load_pages", "check_templates"]
    assert events[: events.index("child ended") + 1] == [
        "load_survey with 0 child",
        *(f"{name} with 1 child" for name in beside),
        "child ended",
    ]
    assert read_in == dict.fromkeys([*beside, "load_survey"], os.getpid())
    monkeypatch.setenv("SURVEYSITE_JOBS", "1")
    alone = [str(p) for p in check(project, Memo())]
    assert shared == alone
    assert any("survey.yaml" in p for p in shared) and any("about.md" in p for p in shared)
    assert any("lee2023third.yaml" in p for p in shared)


def test_with_no_cache_file_study_files_are_weighed_alike_from_a_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = []
    for i in range(loading.SAMPLED * 3):
        path = tmp_path / f"s{i}.yaml"
        path.write_text("x" * (100 + i))
        paths.append(str(path))
    stats: list[str] = []  # the files whose size was asked for
    real = loading._weight
    monkeypatch.setattr(loading, "_weight", lambda path, since: stats.append(path) or real(path, since))
    weights = loading._study_weights(paths, None)
    assert len(stats) <= loading.SAMPLED + 1 and len(set(weights)) == 1 and len(weights) == len(paths)
    sampled = [os.path.getsize(path) for path in stats]
    assert weights[0] == sum(sampled) // len(sampled)
    stats.clear()
    since = max(os.stat(path).st_mtime_ns for path in paths) + 1  # a cache file newer than all: each stat'ed
    assert loading._study_weights(paths, since) == [0] * len(paths) and len(stats) == len(paths)
    assert loading._study_weights(paths[:10], None) == [100 + i for i in range(10)]  # few: each its own
