"""How much a second process costs the first on this machine: the bound on what two processes give.

    .venv/bin/python scripts/bench_pair.py [--size 10000] [--cycles 4] [--work DIR]

For each workload it times one process alone, then two identical ones started together (each on
its own: nothing is shared between them but the machine), alternated as alone, pair, pair, alone
in every cycle (a machine whose speed drifts weighs on both alike). The workloads, on the synthetic
survey of --size studies:
  - parse: the bare BibTeX parse of bib/, as scripts/bench.py times it (bibtexparser alone);
  - load: loading the survey (`surveysite check` in one process: the .bib files, the study files,
    every check), the first stage of a cold run;
  - pages: a whole cold `surveysite --no-cache pages` in one process (SURVEYSITE_JOBS=1), each into
    its own output folder holding its last output (as bench_cold.py runs it).
It prints, for each, the median time alone and side by side, the slowdown of a process that has a
twin beside it, and the most two processes splitting that work could give: 2 x alone / side by side
(2.0 where a second process costs the first nothing). See BENCHMARKS.md ("The twenty-fourth round").
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from bench import BIN, PARSE, script_options, synthetic, work_folder


def timed_together(commands: list[list[str]], cwd: Path, env: dict[str, str]) -> list[float]:
    """Start the commands at once; each one's wall time in seconds, from the common start to its end."""
    # Each one's error output into a file of its own: a pipe nobody reads while they run would stop a
    # process that writes more than the pipe holds (a long traceback), and the wait with it.
    with ExitStack() as files:
        errors = [files.enter_context(tempfile.TemporaryFile()) for _ in commands]
        start = time.perf_counter()
        running = [subprocess.Popen(c, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=error)
                   for c, error in zip(commands, errors, strict=True)]  # fmt: skip
        ended: dict[int, float] = {}
        while len(ended) < len(running):
            for index, process in enumerate(running):
                if index not in ended and process.poll() is not None:
                    ended[index] = time.perf_counter() - start
            time.sleep(0.005)
        for command, process, error in zip(commands, running, errors, strict=True):
            if process.returncode != 0:
                error.seek(0)
                told = error.read().decode(errors="replace")
                raise SystemExit(f"{' '.join(command)} failed:\n{told[-3000:]}")
    return [ended[index] for index in range(len(running))]


def main() -> None:
    """Parse the arguments, run the cycles, print the table."""
    parser = script_options(__doc__, "cycles", 4)
    args = parser.parse_args()
    work = work_folder(args.work, "pair")
    project, env = synthetic(args.size, work)
    env = {**env, "SURVEYSITE_JOBS": "1"}
    surveysite = str(BIN / "surveysite")

    def workload(name: str, twin: int) -> list[str]:
        if name == "parse":
            return [sys.executable, "-c", PARSE]
        if name == "load":
            return [surveysite, "--no-cache", "check"]
        return [surveysite, "--no-cache", "pages", "--out", str(work / f"pair-pages-{twin}")]

    print(f"{args.size} studies, {args.cycles} cycles, {os.cpu_count()} cores", flush=True)
    rows = []
    for name in ("parse", "load", "pages"):
        if name == "pages":  # each output folder written once before the timing, as a last run's
            timed_together([workload(name, 0), workload(name, 1)], project, env)
        alone: list[float] = []
        paired: list[float] = []
        for _ in range(args.cycles):
            alone += timed_together([workload(name, 0)], project, env)
            paired += timed_together([workload(name, 0), workload(name, 1)], project, env)
            paired += timed_together([workload(name, 0), workload(name, 1)], project, env)
            alone += timed_together([workload(name, 0)], project, env)
        one, two = statistics.median(alone), statistics.median(paired)
        rows.append((name, one, two, min(alone), max(alone), min(paired), max(paired)))
        print(f"{name}: alone {[round(t, 2) for t in alone]}, side by side {[round(t, 2) for t in paired]}",
              flush=True)  # fmt: skip

    print("\n| workload | alone (median) | side by side (median) | slowdown | two processes give at most |")
    print("|---|---:|---:|---:|---:|")
    for name, one, two, low, high, low2, high2 in rows:
        print(f"| {name} | {one:.2f} s ({low:.2f}-{high:.2f}) | {two:.2f} s ({low2:.2f}-{high2:.2f}) "
              f"| {two / one:.2f}x | {2 * one / two:.2f}x |")  # fmt: skip


if __name__ == "__main__":
    main()
