"""Time `surveysite pages` run again on a synthetic survey: with nothing changed, and after one edit.

    .venv/bin/python scripts/bench_warm.py [--size 10000] [--repeat 3] [--work DIR] [--before SRC]

After a first run that fills the cache, it times, --repeat times each, in child processes:
  - the bare BibTeX parse of bib/ (as scripts/bench.py does), the yardstick of the warm target;
  - `surveysite pages` again with nothing changed (the run's stamp matches: nothing is built);
  - `surveysite pages` after one study file is edited (a full run that reuses the Memo);
and, in this process, hashing the run's inputs (`stamp_of`) and reading the output folder's
manifest. With --before SRC (the `src/` folder of another version, e.g. unpacked by `git archive`)
each run is made first by that version, then by this one, back to back, each with its own cache
and output folder. It prints the medians. The edited study file is restored at the end.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import BIN, PARSE, compiled, measured, script_options, synthetic, work_folder
from surveysite.build import Project
from surveysite.stamp import manifest, planned_run, stamp_of

ROOT = Path(__file__).resolve().parent.parent


def timed(work: Callable[[], object], repeat: int) -> float:
    """The median time of `repeat` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Parse the arguments, measure, print the medians."""
    parser = script_options(__doc__, "repeat", 3)
    parser.add_argument("--before", type=Path, help="the src/ folder of the version to compare with")
    args = parser.parse_args()
    work = work_folder(args.work, "warm")
    project, env = synthetic(args.size, work)
    versions = {"this": str(ROOT / "src")} | ({"before": str(args.before.resolve())} if args.before else {})
    for src in versions.values():
        compiled(Path(src))
    envs = {
        name: {**env, "PYTHONPATH": src, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="cache-", dir=work)}
        for name, src in sorted(versions.items())
    }
    outs = {name: work / f"warm-{name}-{args.size}" for name in envs}

    def pages(name: str) -> float:
        command = [str(BIN / "surveysite"), "pages", "--out", str(outs[name])]
        return measured(command, project, envs[name])[0]

    study = sorted((project / "content" / "studies").glob("*.yaml"))[args.size // 3]
    original = study.read_text(encoding="utf-8")
    times: dict[str, list[float]] = {"parse": []}
    try:
        for name in envs:
            pages(name)  # fills the cache and writes the stamp
        for turn in range(args.repeat):
            times["parse"].append(float(measured([sys.executable, "-c", PARSE], project, env)[3]))
            for name in envs:
                times.setdefault(f"{name} unchanged", []).append(pages(name))
            study.write_text(original.replace("summary: ", f"summary: Edit {turn}. ", 1), encoding="utf-8")
            for name in envs:
                times.setdefault(f"{name} one study edited", []).append(pages(name))
    finally:
        study.write_text(original, encoding="utf-8")
    run = planned_run(Project.at(project), "pages", outs["this"])
    assert run is not None
    times["hashing the inputs (in process)"] = [timed(lambda: stamp_of(run), args.repeat)]
    times["reading the output manifest (in process)"] = [timed(lambda: manifest(run.out), args.repeat)]
    parse = statistics.median(times["parse"])
    print(f"{args.size:,} studies, {os.cpu_count()} cores, median of {args.repeat}:")
    for label, values in times.items():
        median = statistics.median(values)
        print(f"- {label}: {median:.2f} s ({median / parse:.2f}x the bare parse); all: {values}")


if __name__ == "__main__":
    main()
