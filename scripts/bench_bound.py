"""What sharing a cold run between two processes could give at best, measured rather than worked out.

    .venv/bin/python scripts/bench_bound.py [--size 10000] [--cycles 3] [--work DIR]

A cold `surveysite --no-cache pages` shares its work with one forked child. However well the two
shared it, the run could take no less than one process takes for half the studies: that is the
work each would be left with if splitting cost nothing (no results passed back, no page copied, no
part done by one process alone). This times, in each cycle and alternated: the bare BibTeX parse of
the SIZE-study synthetic survey (as scripts/bench.py does), a cold run of it in two processes, and
a cold run of the SIZE/2-study synthetic survey in one process (SURVEYSITE_JOBS=1). It prints each
one's median and fastest time and its ratio to the parse of the SIZE studies, whose 3x is the
target: the ratio of the SIZE/2 studies in one process is the lowest a better split could bring the
cold run to.

It also times two cold runs of the SIZE/2-study survey at once, each in one process (the second of a
copy of the project, into its own output folder): what two halves cost when both cores work, as in a
design that passed nothing between its processes.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import BIN, PARSE, compiled, measured, script_options, synthetic, work_folder

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Parse the arguments, run the cycles, print the figures."""
    parser = script_options(__doc__, "cycles", 3)
    args = parser.parse_args()
    if args.size < 2 or args.cycles < 1:
        parser.error("--size must be at least 2 and --cycles at least 1")
    work = work_folder(args.work, "bound")
    whole, env = synthetic(args.size, work)
    half, _ = synthetic(args.size // 2, work)
    twin = work / f"{half.name}-twin"  # the same project, for the second of two runs at once
    shutil.rmtree(twin, ignore_errors=True)  # (copied anew: the half may have been written again)
    shutil.copytree(half, twin)
    compiled(ROOT / "src")
    env = {**env, "PYTHONPATH": str(ROOT / "src")}

    def cold(project: Path, jobs: str) -> float:
        out = work / f"bound-{project.name}-{jobs}"
        command = [str(BIN / "surveysite"), "--no-cache", "pages", "--out", str(out)]
        return measured(command, project, {**env, "SURVEYSITE_JOBS": jobs})[0]

    def together() -> float:  # the two halves' runs at once, until both have ended
        start = time.perf_counter()
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(cold, (half, twin), ("1", "1")))
        return time.perf_counter() - start

    shared_name = f"{args.size:,} studies, two processes"
    half_name = f"{args.size // 2:,} studies, one process"
    pair_name = f"two runs of {args.size // 2:,} studies at once, one process each"
    times: dict[str, list[float]] = {"parse": [], shared_name: [], half_name: [], pair_name: []}
    # Each output folder written once before timing, as a user's runs after the first find it.
    cold(whole, "2")
    cold(half, "1")
    cold(twin, "1")
    for _ in range(args.cycles):
        times["parse"].append(float(measured([sys.executable, "-c", PARSE], whole, env)[3]))
        times[shared_name].append(cold(whole, "2"))
        times[half_name].append(cold(half, "1"))
        times[pair_name].append(together())
    parse_best, parse_median = min(times["parse"]), statistics.median(times["parse"])
    print(f"bare parse of {args.size:,} studies: fastest {parse_best:.2f} s, median {parse_median:.2f} s "
          f"({args.cycles} cycles)")  # fmt: skip
    for name in (shared_name, half_name, pair_name):
        values = times[name]
        best, median = min(values), statistics.median(values)
        print(f"- {name}: fastest {best:.2f} s ({best / parse_best:.2f}x the fastest parse), median "
              f"{median:.2f} s ({median / parse_median:.2f}x the median parse); all: "
              f"{' '.join(f'{v:.2f}' for v in values)}")  # fmt: skip


if __name__ == "__main__":
    main()
