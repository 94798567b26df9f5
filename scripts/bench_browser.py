"""Benchmark reading a large built site in Chromium: first render of the tables, and filter changes.

    .venv/bin/python scripts/bench_browser.py --site DIR [--runs 5]

DIR is a site built for http://127.0.0.1:8000/ (the default SITE_URL), e.g. by scripts/bench.py
(its --work folder holds site-10000/). The site is served on 127.0.0.1:8000 and opened in Debian's
Chromium through Playwright, a fresh browser context (empty cache) for every page load:
  - first render: from navigation start until the table's status line reports the studies;
  - a change (a leaf filter, a facet value, free text, a sort, the next page): from the event until
    the next frame is painted, timed inside the page.
Each figure is the median of the runs, with the slowest run beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import statistics
import threading
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
READY = "document.querySelector('.survey-matrix__status')?.textContent.startsWith('Showing')"
# Runs `action` (JavaScript acting on the page) and resolves once the next frame has been painted.
TIMED = """async (action) => {
  const start = performance.now();
  new Function(action)();
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - start;
}"""
CHECK = "document.querySelector(\"input[data-dim='{}'][value='{}']\").click()"
CHANGES = {
    "leaf filter": CHECK.format("leaf", "llm4rl/reward"),
    "second filter (facet value)": CHECK.format("rl-algorithm", "PPO"),
    "free text": (
        "const box = document.querySelector('.survey-matrix__controls input[type=search]');"
        "box.value = 'reward'; box.dispatchEvent(new Event('input'));"
    ),
    "clear filters": "document.querySelector('.survey-matrix__reset').click()",
    "sort by year": "document.querySelectorAll('.survey-matrix__sort')[3].click()",
    "next page": "[...document.querySelectorAll('.survey-matrix__pager button')].pop().click()",
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(site: Path) -> Iterator[str]:
    """Serve the site where it was built for."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 8000), functools.partial(_Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield "http://127.0.0.1:8000/"
    finally:
        server.shutdown()


def first_render(browser: Browser, url: str) -> tuple[float, Page]:
    """Milliseconds from navigation start until the table is ready, and the page (still open)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
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
    args = parser.parse_args()
    data = args.site / "matrix.json"
    print(f"matrix.json: {data.stat().st_size / 1e6:.1f} MB")
    with serving(args.site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for label, path in (("matrix page", "matrix/"), ("class page (LLM4RL)", "llm4rl/")):
            loads: list[float] = []
            changes: dict[str, list[float]] = {name: [] for name in CHANGES}
            status = ""
            for _ in range(args.runs):
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
