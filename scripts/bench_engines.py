"""Benchmark building a synthetic survey with each site builder (MkDocs, ProperDocs, Zensical), in one run.

    .venv/bin/python scripts/bench_engines.py [--sizes 1000 10000] [--work DIR]

For each size it writes a synthetic project (scripts/synthetic.py) and times, each in a child
process with its peak memory and CPU time:
  - `mkdocs build --strict` of the project itself, with the surveysite plugin (the default way);
  - `surveysite --no-cache export OUT` (the generator, from nothing, writing the standalone project);
  - in OUT, `mkdocs build --strict`, `properdocs build --strict` and `zensical build --strict`,
    each from a cold start (an empty cache folder; Zensical's own cache removed first);
then checks that the three builders made the same set of pages. It prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench import measured

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENGINES = ("mkdocs", "properdocs", "zensical")
SEARCH_INDEX = {
    "mkdocs": "search/search_index.json",
    "properdocs": "search/search_index.json",
    "zensical": "search.json",
}


def run(command: list[str], cwd: Path, env: dict[str, str]) -> dict[str, float]:
    """Run a command; its wall time and CPU time in seconds and its peak memory in MB."""
    wall, cpu, peak, _ = measured(command, cwd, env)
    return {"s": wall, "cpu": cpu, "mb": peak}


def pages(site: Path) -> set[str]:
    """The page URLs of a built site."""
    return {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}


def measure(size: int, work: Path) -> dict[str, Any]:
    """Every figure for one size."""
    project = work / f"synthetic-{size}"
    if not project.exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "synthetic.py"), "--studies", str(size),
                        "--out", str(project)], check=True, stdout=subprocess.DEVNULL)  # fmt: skip

    def env() -> dict[str, str]:  # every run starts from an empty cache folder
        cache = tempfile.mkdtemp(prefix="cache-", dir=work)
        return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "XDG_CACHE_HOME": cache}

    result: dict[str, Any] = {"studies": size}
    plugin_site = work / f"site-plugin-{size}"
    build = ["build", "--strict"]
    result["plugin"] = run([str(BIN / "mkdocs"), *build, "--site-dir", str(plugin_site)], project, env())
    out = work / f"export-{size}"
    result["export"] = run([str(BIN / "surveysite"), "--no-cache", "export", str(out)], project, env())
    urls = {}
    for engine in ENGINES:
        if engine == "zensical":
            shutil.rmtree(out / ".cache", ignore_errors=True)
            site, command = out / "site", [str(BIN / engine), *build]
        else:
            site = work / f"site-{engine}-{size}"
            command = [str(BIN / engine), *build, "--site-dir", str(site)]
        result[engine] = run(command, out, env())
        result[engine]["site_mb"] = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6
        result[engine]["index_mb"] = (site / SEARCH_INDEX[engine]).stat().st_size / 1e6
        urls[engine] = pages(site)
    result["pages"] = len(urls["mkdocs"])
    result["same_pages"] = urls["mkdocs"] == urls["properdocs"] == urls["zensical"] == pages(plugin_site)
    return result


def report(results: list[dict[str, Any]]) -> str:
    """The Markdown table."""
    versions = ", ".join(f"{name} {version(name)}" for name in ("mkdocs", "mkdocs-material", *ENGINES[1:]))
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; {versions}",
        "",
        "| studies | pages | step | wall s | CPU s | peak MB | site MB | search index MB |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    steps = [
        ("plugin", "`mkdocs build` with the plugin"),
        ("export", "`surveysite export`"),
        *((engine, f"`{engine} build` of the export") for engine in ENGINES),
    ]
    for r in results:
        for key, label in steps:
            f = r[key]
            site = f"{f['site_mb']:.1f} | {f['index_mb']:.1f}" if "site_mb" in f else " | "
            lines.append(
                f"| {r['studies']:,} | {r['pages']:,} | {label} | {f['s']:.1f} | {f['cpu']:.1f} "
                f"| {f['mb']:.0f} | {site} |"
            )
    lines.append("")
    for r in results:
        same = "the same" if r["same_pages"] else "DIFFERENT"
        lines.append(f"- {r['studies']:,} studies: the four builds made {same} set of {r['pages']:,} pages")
    return "\n".join(lines)


def main() -> None:
    """Parse the arguments, measure every size, print the report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--work", type=Path, help="folder for the projects and sites (default: a new temporary one)"
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="surveysite-engines-"))
    work.mkdir(parents=True, exist_ok=True)
    print(report([measure(size, work) for size in args.sizes]))


if __name__ == "__main__":
    main()
