"""Benchmark the generator and the site build at 1k, 4k and 10k synthetic studies, in one run.

    .venv/bin/python scripts/bench.py [--sizes 1000 4000 10000] [--work DIR] [--only pages]

For each size it writes a synthetic project (scripts/synthetic.py), then times in child processes,
each with its peak memory (the maximum resident set of the command's process):
  - the bare BibTeX parse of bib/ (bibtexparser's parse_string, nothing else);
  - `surveysite pages`, cold (--no-cache) and warm (the cache of an earlier run reused; with nothing
    changed that is the run's stamp alone: scripts/bench_warm.py times a warm run after one edit);
    each of these the fastest of --repeat runs; cold also in one process (SURVEYSITE_JOBS=1),
    with its CPU time in every process, to show what the second core gives;
  - `mkdocs build --strict`, cold (its own empty cache folder), then again after one study file is
    edited (the study pages of the first build are reused: see serve_pages.py);
and, at the smallest size, the `mkdocs serve` case, twice: the plugin in-process, kept as serve
keeps it (builds, one study file is edited, the generator's rebuild is timed, counting the pages
made again); then a real `mkdocs serve` process, one study file saved --edits times, each time
timed from the write until the server returns the edited page, with the server's memory after
each save (see serve_edits).
It prints a Markdown table and the ratios the targets are stated in (see BENCHMARKS.md).
With --only pages it times the bare parse and `surveysite pages` alone, at every size (no mkdocs
build, no serve): the generator's own figures in a few minutes.
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PARSE = """
import sys, time
from pathlib import Path
from bibtexparser.entrypoint import parse_string
start = time.perf_counter()
for path in sorted(Path("bib").glob("*.bib")):
    parse_string(path.read_text(encoding="utf-8"))
print(time.perf_counter() - start)
"""
SERVE = """
import json, sys, time
from pathlib import Path
from mkdocs.config import load_config
from surveysite.mkdocs_plugin import SurveySitePlugin
config = load_config("mkdocs.yml")
plugin = config.plugins["surveysite"]
plugin.on_startup(command="serve", dirty=False)
start = time.perf_counter(); plugin.on_config(config); first = time.perf_counter() - start
before = dict(plugin.site.pages)
study = sorted(Path("content/studies").glob("*.yaml"))[len(before) // 3]
text = study.read_text(encoding="utf-8")
study.write_text(text.replace("summary: ", "summary: Revised. ", 1), encoding="utf-8")
config = load_config("mkdocs.yml")  # serve reloads the configuration on every change
config.plugins["surveysite"] = plugin  # and keeps the plugin, which defines on_startup
start = time.perf_counter(); plugin.on_config(config); again = time.perf_counter() - start
study.write_text(text, encoding="utf-8")  # the project as it was, for whatever runs next
after = plugin.site.pages
# A study page the plugin deferred (render.Pages) was not made; reading it here would make it.
waiting = getattr(after, "waiting", lambda path: False)
deferred = sorted(p for p in after if waiting(p))
made = sorted(p for p in after if not waiting(p) and after[p] is not before.get(p))
changed = sorted(p for p in after if after[p] != before.get(p))
report = {"first": first, "again": again, "pages": len(after), "made_again": made, "changed": changed,
          "deferred": len(deferred)}
print(json.dumps(report))
"""


def compiled(src: Path) -> None:
    """Write the bytecode of the package under `src`, as installing it does: a machine that sets
    PYTHONDONTWRITEBYTECODE (this one does) would otherwise compile it again in every timed run
    (0.36 s of imports against 0.21-0.26 s)."""
    compileall.compile_dir(src, quiet=1)


def rss_mb(pid: int) -> float:
    """The resident memory of a running process, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def fetch(url: str) -> str:
    """The body of a page, or '' while the server cannot answer."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def serve_edits(project: Path, env: dict[str, str], edits: int, port: int) -> dict[str, Any]:
    """Save one study file under a real `mkdocs serve`; seconds until each edit is served, and memory."""
    study = sorted((project / "content" / "studies").glob("*.yaml"))[7]
    url = f"http://127.0.0.1:{port}/studies/{study.stem}/"
    original = study.read_text(encoding="utf-8")
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    times: list[float] = []
    memory: list[float] = []
    try:
        start = time.perf_counter()
        while "<h1" not in fetch(url):
            if server.poll() is not None or time.perf_counter() - start > 600:
                raise SystemExit("mkdocs serve did not start")
            time.sleep(0.2)
        first = time.perf_counter() - start
        time.sleep(2)  # let the watcher settle after the first build
        for edit in range(1, edits + 1):
            marker = f"Revision {edit} of this summary."
            written = time.perf_counter()
            study.write_text(original.replace("summary: ", f"summary: {marker} ", 1), encoding="utf-8")
            while marker not in fetch(url):
                if time.perf_counter() - written > 120:
                    raise SystemExit(f"edit {edit} was not served within 120 s")
                time.sleep(0.05)
            times.append(time.perf_counter() - written)
            time.sleep(1.5)  # the rebuild's last writes, and the watcher's quiet time
            memory.append(rss_mb(server.pid))
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl-C: MkDocs then deletes its temporary site folder
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.terminate()
            server.wait()
        study.write_text(original, encoding="utf-8")
    return {"start": first, "times": times, "memory": memory}


# Runs its arguments as its only child, then prints that child's peak memory (KB) and CPU seconds
# (user and system) on stderr's last line.
PEAK = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(u.ru_maxrss, u.ru_utime + u.ru_stime, file=sys.stderr); sys.exit(code)"
)


def measured(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float, str]:
    """Run a command; its wall and CPU time in seconds, its peak memory in MB, its standard output."""
    wall, cpu, peak, out, _ = _measured(command, cwd, env)
    return wall, cpu, peak, out


def _measured(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float, str, str]:
    """measured, and the command's standard error."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *command], cwd=cwd, env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    peak_kb, cpu = done.stderr.strip().splitlines()[-1].split()
    return wall, float(cpu), int(peak_kb) / 1024, done.stdout, done.stderr


def run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command; its wall time in seconds, its peak memory in MB, and its standard output."""
    wall, _, peak, out = measured(command, cwd, env)
    return wall, peak, out


def logged(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Like run, with the command's standard error (where MkDocs logs) in place of its output."""
    wall, _, peak, _, errors = _measured(command, cwd, env)
    return wall, peak, errors


def best(command: list[str], cwd: Path, env: dict[str, str], repeat: int) -> tuple[float, float, float]:
    """The fastest of `repeat` runs (time on a shared machine only ever adds): its wall and CPU time
    (every process of the run), and the highest peak memory of any one process in any run."""
    runs = [measured(command, cwd, env) for _ in range(repeat)]
    fastest = min(runs, key=lambda r: r[0])
    return fastest[0], fastest[1], max(r[2] for r in runs)


def script_options(doc: str, count: str, default: int) -> argparse.ArgumentParser:
    """The options the timing scripts share: --size (studies), --COUNT (cycles or repeats, `default`
    of them) and --work; each script adds its own."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument(f"--{count}", type=int, default=default)
    parser.add_argument("--work", type=Path, help="folder for the projects and outputs (default: a new one)")
    return parser


def work_folder(given: Path | None, script: str) -> Path:
    """The folder a timing script works in: the one given, or a new one named for the script."""
    work = given or Path(tempfile.mkdtemp(prefix=f"surveysite-bench-{script}-"))
    work.mkdir(parents=True, exist_ok=True)
    return work


def synthetic(size: int, work: Path) -> tuple[Path, dict[str, str]]:
    """The synthetic project of this size (written once), and an environment with a fresh cache folder."""
    project = work / f"synthetic-{size}"
    if not project.exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "synthetic.py"), "--studies", str(size),
                        "--out", str(project)], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=work))
    return project, {**os.environ, "NO_MKDOCS_2_WARNING": "1", "XDG_CACHE_HOME": str(cache)}


def measure_serve(size: int, work: Path, edits: int) -> dict[str, Any]:
    """Only the real `mkdocs serve` figures for one size."""
    project, env = synthetic(size, work)
    return {"studies": size, "serve_edits": serve_edits(project, env, edits, port=8123)}


def measure_build(size: int, work: Path) -> dict[str, Any]:
    """Only `mkdocs build --strict` for one size, cold then after one edit: times and peak memory."""
    project, env = synthetic(size, work)
    env_build = {**env, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="cache-", dir=work)}
    return {"studies": size, **builds(project, env_build, work / f"site-{size}")}


def builds(project: Path, env: dict[str, str], site: Path) -> dict[str, Any]:
    """`mkdocs build --strict` cold (the cache folder in `env` empty), then again after one study
    file is edited (which reuses the other study pages: see serve_pages.py); times and peaks."""
    mkdocs = [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site)]
    result: dict[str, Any] = {}
    result["mkdocs_s"], result["mkdocs_mb"], _ = run(mkdocs, project, env)
    studies = sorted((project / "content" / "studies").glob("*.yaml"))
    study = studies[len(studies) // 3]
    original = study.read_text(encoding="utf-8")
    study.write_text(original.replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    try:
        result["mkdocs_edit_s"], result["mkdocs_edit_mb"], log = logged(mkdocs, project, env)
    finally:
        study.write_text(original, encoding="utf-8")
    said = [line.split("surveysite: ", 1)[1] for line in log.splitlines() if "not built again" in line]
    result["mkdocs_edit_reused"] = said[0] if said else "nothing reused"
    return result


def measure(
    size: int, work: Path, serve: bool, repeat: int, edits: int = 50, only_pages: bool = False
) -> dict[str, Any]:
    """Every figure for one size (with `only_pages`, the bare parse and `surveysite pages` alone)."""
    project, env = synthetic(size, work)
    result: dict[str, Any] = {"studies": size}
    bib_mb = sum(p.stat().st_size for p in (project / "bib").glob("*.bib")) / 1e6
    result["bib_mb"] = round(bib_mb, 1)
    parses = [run([sys.executable, "-c", PARSE], project, env) for _ in range(repeat)]
    result["parse_s"], result["parse_mb"] = min(float(out) for _, _, out in parses), parses[0][1]
    out_dir = work / f"pages-{size}"
    surveysite = [str(BIN / "surveysite"), "pages", "--out", str(out_dir)]
    cold = [str(BIN / "surveysite"), "--no-cache", "pages", "--out", str(out_dir)]
    cold_run = best(cold, project, env, repeat)
    result["pages_cold_s"], result["pages_cold_cpu_s"], result["pages_cold_mb"] = cold_run
    one = {**env, "SURVEYSITE_JOBS": "1"}  # the same run in one process, to show what the second core gives
    result["pages_cold_one_s"], _, result["pages_cold_one_mb"] = best(cold, project, one, repeat)
    run(surveysite, project, env)  # fills the cache
    result["pages_warm_s"], _, result["pages_warm_mb"] = best(surveysite, project, env, repeat)
    if only_pages:
        return result
    env_build = {**env, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="cache-", dir=work)}
    site = work / f"site-{size}"
    result.update(builds(project, env_build, site))
    result["site_mb"] = round(sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6, 1)
    result["search_index_mb"] = round((site / "search" / "search_index.json").stat().st_size / 1e6, 1)
    if serve:
        serves = []
        for _ in range(repeat):  # each run edits another study file, from a cold start
            env_serve = {**env, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="cache-", dir=work)}
            serves.append(json.loads(run([sys.executable, "-c", SERVE], project, env_serve)[2]))
        result["serve"] = min(serves, key=lambda r: r["again"])
        env_serve = {**env, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="cache-", dir=work)}
        result["serve_edits"] = serve_edits(project, env_serve, edits, port=8123)
    return result


def report(results: list[dict[str, Any]]) -> str:
    """The Markdown table and the ratios."""
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}",
        "",
        "| studies | .bib MB | bare parse s | pages cold s | pages warm s | pages MB peak | mkdocs build s "
        "| mkdocs MB peak | site MB | search index MB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        peak_pages = max(float(r["pages_cold_mb"]), float(r["pages_warm_mb"]))
        site = "| - | - | - | - |"  # --only pages: no site built
        if "mkdocs_s" in r:
            site = f"| {r['mkdocs_s']:.1f} | {r['mkdocs_mb']:.0f} | {r['site_mb']} | {r['search_index_mb']} |"
        lines.append(
            f"| {r['studies']:,} | {r['bib_mb']} | {r['parse_s']:.2f} | {r['pages_cold_s']:.2f} "
            f"| {r['pages_warm_s']:.2f} | {peak_pages:.0f} {site}"
        )
    lines.append("")
    by_size = {r["studies"]: r for r in results}
    big = by_size[max(by_size)]
    warm, cold = big["pages_warm_s"] / big["parse_s"], big["pages_cold_s"] / big["parse_s"]
    lines.append(f"- surveysite pages / bare parse at {max(by_size):,}: warm {warm:.2f}x, cold {cold:.2f}x")
    for size in sorted(by_size):
        r = by_size[size]
        one = r["pages_cold_one_s"]
        lines.append(
            f"- cold surveysite pages at {size:,}: {r['pages_cold_s']:.2f} s wall, "
            f"{r['pages_cold_cpu_s']:.2f} s CPU in all its processes; in one process (SURVEYSITE_JOBS=1) "
            f"{one:.2f} s = {one / r['parse_s']:.2f}x the bare parse, peak {r['pages_cold_one_mb']:.0f} MB"
        )
    for size in sorted(by_size)[:-1]:
        r = by_size[size]
        warm, cold = r["pages_warm_s"] / r["parse_s"], r["pages_cold_s"] / r["parse_s"]
        lines.append(f"- surveysite pages / bare parse at {size:,}: warm {warm:.2f}x, cold {cold:.2f}x")
    for small, large in itertools.pairwise(sorted(by_size)):
        if "mkdocs_s" not in by_size[small] or "mkdocs_s" not in by_size[large]:
            continue
        a, b = by_size[small], by_size[large]
        lines.append(
            f"- {large:,} / {small:,} studies ({large / small:.1f}x): mkdocs build "
            f"{b['mkdocs_s'] / a['mkdocs_s']:.2f}x the time, "
            f"surveysite pages cold {b['pages_cold_s'] / a['pages_cold_s']:.2f}x"
        )
    lines.extend(build_lines(results))
    lines.extend(serve_lines(results))
    return "\n".join(lines)


def build_lines(results: list[dict[str, Any]]) -> list[str]:
    """The report's lines on `mkdocs build`, cold and after one edit."""
    return [
        f"- `mkdocs build --strict` at {r['studies']:,}: cold {r['mkdocs_s']:.1f} s, "
        f"peak {r['mkdocs_mb']:.0f} MB; after one study file is edited {r['mkdocs_edit_s']:.1f} s, "
        f"peak {r['mkdocs_edit_mb']:.0f} MB "
        f"(the plugin said: {r['mkdocs_edit_reused']})"
        for r in results
        if "mkdocs_edit_s" in r
    ]


def serve_lines(results: list[dict[str, Any]]) -> list[str]:
    """The report's lines on `mkdocs serve`."""
    lines = []
    for r in results:
        if "serve" in r:
            serve = r["serve"]
            lines.append(
                f"- mkdocs serve at {r['studies']:,}: first build {serve['first']:.2f} s "
                "on the generator's side; "
                f"after editing one study file {serve['again']:.3f} s, {len(serve['made_again'])} of "
                f"{serve['pages']} pages made again ({', '.join(serve['made_again'])}), "
                f"{serve.get('deferred', 0)} study pages deferred (not made); {len(serve['changed'])} changed"
            )
        if "serve_edits" in r:
            edits = r["serve_edits"]
            times, memory = edits["times"], edits["memory"]
            lines.append(
                f"- `mkdocs serve` at {r['studies']:,}, {len(times)} saves of one study file: from the write "
                f"until the server returns the edited page, median {statistics.median(times):.2f} s, "
                f"slowest {max(times):.2f} s, first {times[0]:.2f} s (first build served after "
                f"{edits['start']:.1f} s); server memory after the first edit {memory[0]:.0f} MB, after "
                f"the last {memory[-1]:.0f} MB ({(memory[-1] / memory[0] - 1) * 100:+.1f} %), "
                f"highest {max(memory):.0f} MB; every time: {' '.join(f'{t:.2f}' for t in times)}; "
                f"every memory reading (MB): {' '.join(f'{m:.0f}' for m in memory)}"
            )
    return lines


def main() -> None:
    """Parse the arguments, measure every size, print the report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 10000])
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each short measurement; the fastest counts"
    )
    parser.add_argument(
        "--work", type=Path, help="folder for the projects and sites (default: a new temporary one)"
    )
    parser.add_argument("--edits", type=int, default=50, help="saves of one study file under mkdocs serve")
    parser.add_argument(
        "--only", choices=["pages", "serve", "build"],
        help="pages: only the bare parse and `surveysite pages`; serve: only the real `mkdocs serve` "
        "edits; build: only `mkdocs build --strict` (cold, then after one edit) and its memory",
    )  # fmt: skip
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="surveysite-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    compiled(ROOT / "src")
    if args.only == "serve":
        print("\n".join(serve_lines([measure_serve(size, work, args.edits) for size in args.sizes])))
        return
    if args.only == "build":
        for size in args.sizes:
            print("\n".join(build_lines([measure_build(size, work)])))
        return
    only_pages = args.only == "pages"
    results = [
        measure(size, work, size == min(args.sizes) and not only_pages, args.repeat, args.edits, only_pages)
        for size in args.sizes
    ]
    print(report(results))


if __name__ == "__main__":
    main()
