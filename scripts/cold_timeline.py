"""Where a cold run's two processes spend each shared stage: the table of BENCHMARKS.md's fortieth round.

    cd /tmp/bench/synthetic-10000     # a synthetic project (scripts/synthetic.py), its output written once
    .../.venv/bin/python .../scripts/cold_timeline.py --out /tmp/bench/pages-10000

Runs `surveysite --no-cache pages --out OUT` in this process, and prints for each stage
the work is shared in (parallel.run_split: loading, views, rendering) when it starts and ends, and
this process's CPU time and page faults within it; for a stage that forks, the child's too (from its
fork to its exit), how many of the tasks it took and how many bytes of results it sent back. With
SURVEYSITE_JOBS=1 nothing forks: each stage's CPU time is then the work itself, and half of it is
what a perfect split would take; what the two processes take beyond that is the split's cost.

It wraps functions of surveysite.parallel and the three callers' run_split (names it relies on: a
renamed one fails here at once, loudly). It times nothing the package does not do in a real run, but
prints to standard error while it runs. Times count from the end of the imports.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from typing import Any

import surveysite.loading
import surveysite.parallel as parallel
import surveysite.render
import surveysite.views
from surveysite.cli import main as command

CALLERS = {surveysite.loading: "loading", surveysite.views: "views", surveysite.render: "rendering"}
start = time.perf_counter()
forked_at = 0.0  # in the child: when it was forked
received = 0  # bytes of results read back from the last child


def now() -> float:
    return time.perf_counter() - start


def usage() -> tuple[float, int]:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime, used.ru_minflt


def wrapped_split(stage: str, split: Any) -> Any:
    def run_split(*args: Any, **kwargs: Any) -> Any:
        global received
        received = 0
        began, (cpu, faults) = now(), usage()
        result = split(*args, **kwargs)
        cpu_after, faults_after = usage()
        shared = f", {received / 1e6:.1f} MB received" if received else ""
        print(f"{stage:>9}: {began:.3f}-{now():.3f} s; this process {cpu_after - cpu:.3f} s CPU, "
              f"{faults_after - faults:,} faults{shared}", file=sys.stderr)  # fmt: skip
        return result

    return run_split


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", required=True, help="the output folder (written once before, as a user's)")
    args = parser.parse_args()
    for module, stage in CALLERS.items():
        module.run_split = wrapped_split(stage, module.run_split)  # type: ignore[attr-defined]
    fork, claims_theirs, child_exit, read_back = (parallel.fork, parallel._Claims.theirs,
                                                  parallel.child_exit, parallel._received)  # fmt: skip
    taken = [0]

    def timed_fork() -> int:
        global forked_at
        pid = fork()
        if pid == 0:
            forked_at, taken[0] = now(), 0
        return pid

    def counted_theirs(self: Any) -> Any:
        for index in claims_theirs(self):
            taken[0] += 1
            yield index

    def reporting_exit(status: int) -> Any:
        cpu, faults = usage()  # a forked child's counts start at zero
        print(f"{'':>9}  child {forked_at:.3f}-{now():.3f} s: {cpu:.3f} s CPU, {faults:,} faults, "
              f"{taken[0]} tasks", file=sys.stderr)  # fmt: skip
        child_exit(status)

    class Counted:
        def __init__(self, stream: Any) -> None:
            self.stream = stream

        def read(self, size: int = -1) -> bytes:
            return self.count(self.stream.read(size))

        def readline(self, size: int = -1) -> bytes:
            return self.count(self.stream.readline(size))

        def readinto(self, buffer: Any) -> int:
            size = self.stream.readinto(buffer)
            global received
            received += size or 0
            return size

        def count(self, data: bytes) -> bytes:
            global received
            received += len(data)
            return data

    parallel.fork = timed_fork
    parallel._Claims.theirs = counted_theirs  # type: ignore[method-assign]
    parallel.child_exit = reporting_exit
    parallel._received = lambda stream: read_back(Counted(stream))
    print(f"SURVEYSITE_JOBS={os.environ.get('SURVEYSITE_JOBS', 'unset')}", file=sys.stderr)
    status = command(["--no-cache", "pages", "--out", args.out])
    print(f"{'end':>9}: {now():.3f} s", file=sys.stderr)
    sys.stderr.flush()
    os._exit(status)  # as the command ends (surveysite.cli.run), without freeing what the run made


if __name__ == "__main__":
    main()
