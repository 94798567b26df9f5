"""Time cold `surveysite pages` against another version's, alternated, on a synthetic survey.

    .venv/bin/python scripts/bench_cold.py --before SRC [--size 10000] [--cycles 6] [--work DIR]

SRC is the `src/` folder of the version to compare with (e.g. unpacked by `git archive REV src`).
Each cycle times a bare BibTeX parse (as scripts/bench.py does), then `surveysite --no-cache pages`
of the other version, this one, this one again and the other again (ABBA: a machine whose speed
drifts, as this one's does by a third within minutes, weighs on both alike). Each version writes
into its own output folder, kept from run to run, as a user's repeated runs do. It prints each
version's fastest and median time, their ratios to the bare parse, and the difference in each cycle.

With --first-run, each run is `surveysite pages` with an empty cache folder instead of --no-cache (a
user's first run, which writes the cache file): it prints, besides, each version's peak memory (the
largest process) and the size of the cache file it wrote.
"""

from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path

from bench import BIN, PARSE, compiled, measured, script_options, synthetic, work_folder

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Parse the arguments, run the cycles, print the figures."""
    parser = script_options(__doc__, "cycles", 6)
    parser.add_argument("--before", type=Path, required=True, help="the src/ folder of the other version")
    parser.add_argument("--first-run", action="store_true", help="with an empty cache folder, not --no-cache")
    args = parser.parse_args()
    work = work_folder(args.work, "cold")
    project, env = synthetic(args.size, work)
    versions = {"before": args.before.resolve(), "this": ROOT / "src"}
    for src in versions.values():
        compiled(src)

    peaks: dict[str, list[float]] = {"before": [], "this": []}
    cached: dict[str, float] = {}

    def cold(name: str) -> float:
        out = work / f"{'first' if args.first_run else 'cold'}-{name}"
        if not args.first_run:
            command = [str(BIN / "surveysite"), "--no-cache", "pages", "--out", str(out)]
            return measured(command, project, {**env, "PYTHONPATH": str(versions[name])})[0]
        cache = work / f"first-cache-{name}"
        shutil.rmtree(cache, ignore_errors=True)  # empty: no Memo and no stamp to reuse
        command = [str(BIN / "surveysite"), "pages", "--out", str(out)]
        wall, _, peak, _ = measured(command, project, {**env, "PYTHONPATH": str(versions[name]),
                                                       "XDG_CACHE_HOME": str(cache)})  # fmt: skip
        peaks[name].append(peak)
        cached[name] = sum(p.stat().st_size for p in cache.rglob("*.pickle")) / 1e6
        return wall

    cold("before"), cold("this")  # each output folder written once before timing
    parses: list[float] = []
    times: dict[str, list[float]] = {"before": [], "this": []}
    differences = []
    for _ in range(args.cycles):
        parses.append(float(measured([sys.executable, "-c", PARSE], project, env)[3]))
        cycle = {name: [] for name in times}  # type: dict[str, list[float]]
        for name in ("before", "this", "this", "before"):
            cycle[name].append(cold(name))
        for name, values in cycle.items():
            times[name] += values
        differences.append(statistics.mean(cycle["before"]) - statistics.mean(cycle["this"]))
    parse_best, parse_median = min(parses), statistics.median(parses)
    print(f"{args.size:,} studies, {args.cycles} ABBA cycles; bare parse fastest {parse_best:.2f} s, "
          f"median {parse_median:.2f} s")  # fmt: skip
    for name, values in times.items():
        best, median = min(values), statistics.median(values)
        print(f"- {name}: fastest {best:.2f} s ({best / parse_best:.2f}x the fastest parse), median "
              f"{median:.2f} s ({median / parse_median:.2f}x the median parse); all: "
              f"{' '.join(f'{v:.2f}' for v in values)}")  # fmt: skip
    print(f"- before minus this, cycle by cycle: {' '.join(f'{d:+.2f}' for d in differences)} s")
    for name, values in peaks.items() if args.first_run else ():
        low, high = min(values), max(values)
        print(f"- {name}: peak memory {low:.0f}-{high:.0f} MB, cache file {cached[name]:.1f} MB")


if __name__ == "__main__":
    main()
