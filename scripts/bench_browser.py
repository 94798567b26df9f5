"""Benchmark reading a large built site in Chromium: Lighthouse, first render of the tables, filter changes.

    .venv/bin/python scripts/bench_browser.py --site DIR [--runs 5] [--lighthouse PATH] [--lh-runs 3]

DIR is a site built for http://127.0.0.1:8000/ (the default SITE_URL), e.g. by scripts/bench.py
(its --work folder holds site-10000/). The site is served gzipped on 127.0.0.1:8000 as static hosts
serve it (scripts/serve_gzip.py).

Lighthouse (from npm; --lighthouse or $LIGHTHOUSE names its executable, see BENCHMARKS.md) runs on
Debian's Chromium with its default mobile settings (simulated throttling) against the home page,
every node page, the matrix, What's new and one study page; each figure is the median of --lh-runs runs.
Without a Lighthouse executable that part is left out and said so.

Then Playwright opens the tables, a fresh browser context (empty cache) for every page load:
  - first render: from navigation start until the table's status line reports the studies;
  - a change (a leaf filter, a facet value, free text, a sort, the next page): from the event until
    the next frame is painted, timed inside the page.
Each figure is the median of the runs, with the slowest run beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

from serve_gzip import serving

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
READY = "document.querySelector('.survey-matrix__status')?.textContent.startsWith('Showing')"
# Runs `action` (JavaScript acting on the page) and resolves once the next frame has been painted
# after the table has its data (a large table fetches it on the first change; aria-busy meanwhile).
TIMED = """async (action) => {
  const start = performance.now();
  new Function(action)();
  const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  do { await frame(); } while (document.querySelector('.survey-matrix[aria-busy]'));
  return performance.now() - start;
}"""
# Checks one filter box, opening filters as a reader does until it is there (a filter draws its
# boxes when first opened; one opened in vain is closed again).
CHECK = """const want = "input[data-dim='%s'][value='%s']";
for (const summary of document.querySelectorAll('.survey-matrix__filter > summary')) {
  if (document.querySelector(want)) break;
  if (!summary.parentElement.open) { summary.click(); if (!document.querySelector(want)) summary.click(); }
}
document.querySelector(want).click();"""
CHANGES = {
    "leaf filter (the first change: a large table fetches its data)": CHECK % ("leaf", "llm4rl/reward"),
    "second filter (facet value)": CHECK % ("rl-algorithm", "PPO"),
    "free text": (
        "const box = document.querySelector('.survey-matrix__controls input[type=search]');"
        "box.value = 'reward'; box.dispatchEvent(new Event('input'));"
    ),
    "clear filters": "document.querySelector('.survey-matrix__reset').click()",
    "sort by year": "document.querySelectorAll('.survey-matrix__sort')[3].click()",
    "next page": "[...document.querySelectorAll('.survey-matrix__pager button')].pop().click()",
}


def lighthouse_pages(site: Path) -> list[str]:
    """The pages Lighthouse measures: home, every node, the matrix, What's new, and the first study's page."""
    data = json.loads((site / "downloads" / "studies.json").read_text(encoding="utf-8"))
    nodes = [f"{node['path']}/" for node in data["taxonomy"]["nodes"]]
    return ["", *nodes, "matrix/", "whats-new/", data["studies"][0]["page"]]


def lighthouse(executable: str, url: str) -> dict[str, float]:
    """One Lighthouse run (mobile, default throttling) of one page: score and the main metrics."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
        out = Path(folder) / "report.json"
        flags = "--chrome-flags=--headless=new --no-sandbox"
        command = [executable, url, "--only-categories=performance", "--output=json",
                   f"--output-path={out}", "--quiet", flags]  # fmt: skip
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    return {
        "score": round(report["categories"]["performance"]["score"] * 100),
        "tbt": audits["total-blocking-time"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "dom": audits["dom-size-insight"].get("numericValue", 0),
        "bytes": audits["total-byte-weight"]["numericValue"],
    }


def lighthouse_table(executable: str, base: str, pages: list[str], runs: int) -> None:
    """Print a Markdown table: each page's median score and metrics over `runs` runs."""
    print("| page | performance (runs) | total blocking time ms | LCP ms | CLS | DOM elements | KB sent |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for path in pages:
        results = [lighthouse(executable, base + path) for _ in range(runs)]
        scores = sorted(r["score"] for r in results)
        median = {k: statistics.median(r[k] for r in results) for k in results[0]}
        print(
            f"| /{path} | {median['score']:.0f} ({', '.join(map(str, scores))}) | {median['tbt']:.0f} "
            f"| {median['lcp']:.0f} | {median['cls']:.3f} | {median['dom']:.0f} "
            f"| {median['bytes'] / 1024:.0f} |",
            flush=True,
        )


def first_render(browser: Browser, url: str) -> tuple[float, Page]:
    """Milliseconds from navigation start until the table is ready, and the page (still open)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.locator(".survey-matrix").first.scroll_into_view_if_needed()  # a table loads when seen
    page.wait_for_function(READY, timeout=60_000)
    return float(page.evaluate("performance.now()")), page


def summary(times: list[float]) -> str:
    """Median and slowest, in milliseconds."""
    return f"{statistics.median(times):.0f} ms (slowest {max(times):.0f} ms)"


def main() -> None:
    """Measure and print a Markdown list."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", type=Path, required=True, help="a built site folder")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--lighthouse",
        default=os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse"),
        help="the Lighthouse executable (default: $LIGHTHOUSE, else lighthouse on PATH)",
    )
    parser.add_argument("--lh-runs", type=int, default=3, help="Lighthouse runs per page; the median counts")
    parser.add_argument(
        "--lh-pages", nargs="*", help="Lighthouse's pages (default: home, nodes, matrix, what's new, a study)"
    )
    parser.add_argument("--no-tables", action="store_true", help="Lighthouse only")
    parser.add_argument("--port", type=int, default=8000, help="the port the site was built for")
    args = parser.parse_args()
    with serving(args.site, args.port) as base:
        if args.lighthouse:
            pages = lighthouse_pages(args.site) if args.lh_pages is None else args.lh_pages
            lighthouse_table(args.lighthouse, base, pages, args.lh_runs)
        else:
            print("Lighthouse: not run (no executable; set LIGHTHOUSE or pass --lighthouse)")
        if not args.no_tables:
            tables(args.site, base, args.runs)


def tables(site: Path, base: str, runs: int) -> None:
    """Time the first render and the changes of the matrix and of one class's table."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for label, path in (("matrix page", "matrix/"), ("class page (LLM4RL)", "llm4rl/")):
            loads: list[float] = []
            changes: dict[str, list[float]] = {name: [] for name in CHANGES}
            status = ""
            for _ in range(runs):
                elapsed, page = first_render(browser, base + path)
                loads.append(elapsed)
                status = page.locator(".survey-matrix__status").inner_text()
                for name, action in CHANGES.items():
                    changes[name].append(float(page.evaluate(TIMED, action)))
                page.context.close()
            print(f"- {label}, first render: {summary(loads)}; status: {status}")
            for name, times in changes.items():
                print(f"  - {name}: {summary(times)}")
        browser.close()


if __name__ == "__main__":
    main()
