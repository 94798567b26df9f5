"""Under `mkdocs serve`, a rebuild that fails is shown in the browser at once, and the browser comes
back to the site by itself once a rebuild succeeds (MkDocs alone makes every request wait)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from surveysite.serve_failed import SHOWN, FailedBuilds, epoch_now, report_page

from .conftest import MINI, MKDOCS_YML, free_port

STUDY = "content/studies/lee2023third.yaml"
REPORT_TITLE = "The site did not build"


def _site(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/html")])
    return [b"the site at " + environ["PATH_INFO"].encode()]


def _call(app: Any, path: str) -> tuple[str, bytes]:
    got: list[str] = []
    body = b"".join(app({"PATH_INFO": path}, lambda status, headers: got.append(status)))
    return got[0], body


def test_a_failed_build_is_kept_as_its_report_and_a_later_success_clears_it() -> None:
    failed = FailedBuilds()
    outcomes: list[Exception | None] = [None, PluginError("data"), None]

    def build() -> None:
        logging.getLogger("mkdocs.commands.build").error("content/x.yaml:3: unknown category 'betta'")
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise Abort("Aborted with a BuildError!") from outcome

    rebuild = failed.builder(build)
    rebuild()
    assert failed.failure is None
    rebuild()  # raises nothing: MkDocs then reloads the browsers, to the report
    assert failed.failure is not None
    assert failed.failure[1] == "content/x.yaml:3: unknown category 'betta'"  # the Abort adds nothing
    rebuild()
    assert failed.failure is None


def test_an_unexpected_failure_is_reported_by_its_exception_and_its_traceback_kept(
    capsys: pytest.CaptureFixture[str],
) -> None:
    failed = FailedBuilds()

    def build() -> None:
        raise ValueError("no such state")

    failed.builder(build)()
    assert failed.failure is not None
    assert failed.failure[1] == "ValueError: no such state"
    assert "Traceback" in capsys.readouterr().err  # a bug is shown as MkDocs shows it


def test_a_broken_mkdocs_yml_is_told_by_its_file_and_line_without_a_traceback(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    """A maintainer's trial broke mkdocs.yml while serve ran: MkDocs's tracebacks filled the terminal,
    where its `build` says only what is wrong, and where."""
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: A survey\ntheme:\n  name: material\n   bad: [\n")
    failed = FailedBuilds()
    with caplog.at_level(logging.ERROR, "mkdocs.plugins.surveysite"):
        failed.builder(lambda: load_config(str(config)))()
    assert failed.failure is not None
    assert f'in "{config}", line 4' in failed.failure[1]
    assert "Traceback" not in capsys.readouterr().err
    assert [r.getMessage() for r in caplog.records] == [f"the build failed: {failed.failure[1]}"]


def test_the_builder_is_called_as_mkdocss_is_and_hears_only_its_own_thread() -> None:
    """A review's finds: MkDocs's builder takes an optional configuration; the server thread logs a
    request answered with a 404 as a warning, which is not the build's; an Abort's own text (the
    count of strict warnings) was dropped when anything else was heard."""
    failed = FailedBuilds()
    given: list[object] = []

    def build(config: object = None) -> None:
        given.append(config)
        other = threading.Thread(
            target=lambda: logging.getLogger("mkdocs.livereload").warning("GET /x code 404")
        )
        other.start()
        other.join()
        logging.getLogger("mkdocs.structure.pages").warning("Doc file 'a.md' contains a link 'b.md'")
        raise Abort("Aborted with 1 warnings in strict mode!")

    failed.builder(build)("the configuration")
    assert given == ["the configuration"]
    assert failed.failure is not None
    assert (
        failed.failure[1] == "Doc file 'a.md' contains a link 'b.md'\nAborted with 1 warnings in strict mode!"
    )


def test_a_request_waiting_on_a_rebuild_that_fails_gets_the_report() -> None:
    """A review's find: a request made during a rebuild waits in MkDocs's server, which then serves
    what the failed build left (the old site, or a half-made one)."""
    failed = FailedBuilds()
    waiting, done = threading.Event(), threading.Event()

    def serve(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        waiting.set()
        done.wait(5)  # as MkDocs waits for the rebuild under way
        start_response("200 OK", [("Content-Type", "text/html")])
        return [b"the old page"]

    answers: list[tuple[str, bytes]] = []
    asking = threading.Thread(target=lambda: answers.append(_call(failed.app(serve), "/studies/a/")))
    asking.start()
    assert waiting.wait(5)
    time.sleep(0.01)  # the failure comes after the request (MkDocs's clock counts milliseconds)
    failed.failure = (epoch_now(), "content/x.yaml:3: unknown category 'betta'")
    done.set()
    asking.join(5)
    [(status, body)] = answers
    assert status == "200 OK" and REPORT_TITLE.encode() in body and b"the old page" not in body


def test_only_a_failed_build_puts_the_report_in_place_of_the_pages() -> None:
    failed = FailedBuilds()
    app = failed.app(_site)
    assert _call(app, "/studies/a/") == ("200 OK", b"the site at /studies/a/")
    failed.failure = (1234, "content/x.yaml:3: <b>unknown</b> & 'odd'")
    status, body = _call(app, "/studies/a/")
    assert status == "200 OK"  # another status is logged as a warning, which fails a strict build under way
    assert REPORT_TITLE.encode() in body
    assert b"content/x.yaml:3: &lt;b&gt;unknown&lt;/b&gt; &amp; &#x27;odd&#x27;" in body
    assert b"<b>unknown" not in body
    assert b"var since = 1234" in body
    assert _call(app, "/livereload/1/2") == ("200 OK", b"the site at /livereload/1/2")  # MkDocs answers
    failed.failure = None
    assert _call(app, "/") == ("200 OK", b"the site at /")


def test_the_report_cannot_end_its_script_or_its_block() -> None:
    page = report_page(5, "</pre><script>alert(1)</script>")
    assert b"<script>alert(1)" not in page and b"&lt;/pre&gt;&lt;script&gt;alert(1)" in page


class Served:
    """A real `mkdocs serve --strict` of a copy of the mini survey."""

    def __init__(self, tmp_path: Path, prepare: Callable[[Path], object] | None = None) -> None:
        self.port = free_port()
        self.project = tmp_path / "project"
        shutil.copytree(MINI, self.project)
        (self.project / "mkdocs.yml").write_text(MKDOCS_YML.format(port=self.port), encoding="utf-8")
        if prepare is not None:  # the project as serve finds it
            prepare(self.project)
        self.log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
        mkdocs = str(Path(sys.executable).parent / "mkdocs")
        self.process = subprocess.Popen(
            [mkdocs, "serve", "--strict", "-a", f"127.0.0.1:{self.port}"],
            cwd=self.project,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        self.url = f"http://127.0.0.1:{self.port}/"
        self.until(lambda: self.get("")[0] == 200, "the first build to be served")

    def get(self, path: str, timeout: float = 10) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            return 0, ""

    def until(self, done: Any, what: str, seconds: float = 60) -> None:
        end = time.monotonic() + seconds
        while not done():
            assert self.process.poll() is None, self.output()
            assert time.monotonic() < end, f"waited {seconds} s for {what}:\n{self.output()}"
            time.sleep(0.1)

    def replace(self, name: str, old: str, new: str) -> None:
        path = self.project / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path)
    yield server
    server.stop()


def test_a_broken_study_file_is_reported_at_every_address_at_once_until_mended(served: Served) -> None:
    epoch = int(served.get("livereload/0/1")[1])  # the first build's: answered at once, being newer than 0
    served.replace(STUDY, "categories: [beta]", "categories: [betta]")
    served.until(lambda: REPORT_TITLE in served.get("")[1], "the report")
    for path in ("", "studies/lee2023third/", "matrix/", "assets/stylesheets/anything.css"):
        start = time.monotonic()
        status, body = served.get(path, timeout=5)  # MkDocs alone would never answer
        assert time.monotonic() - start < 2, path
        assert status == 200 and REPORT_TITLE in body, path
        assert f"{STUDY}:2: unknown category &#x27;betta&#x27;; did you mean &#x27;beta&#x27;?" in body
    assert int(served.get(f"livereload/{epoch}/1", timeout=5)[1]) > epoch  # open pages reload to it
    served.replace(STUDY, "categories: [betta]", "categories: [beta]")
    served.until(lambda: REPORT_TITLE not in served.get("studies/lee2023third/")[1], "the mended site")
    assert served.get("studies/lee2023third/")[0] == 200
    log = served.output()
    assert "Traceback" not in log and "appear stuck" not in log
    assert SHOWN in log


def test_a_serve_started_on_broken_data_shows_the_problems_and_then_the_mended_site(tmp_path: Path) -> None:
    """A new maintainer's trial started serve with a typo in a study file: MkDocs ended serve at once,
    where a typo made later is shown in the browser until mended. Another's project had a hand-written
    page linking to generated pages, which that first build, made without them, reported as broken
    links: serve ended in strict mode."""

    def broken(project: Path) -> None:
        path = project / STUDY
        path.write_text(path.read_text().replace("categories: [beta]", "categories: [betta]"))
        links = "# Methods\n\nSee [the third study](studies/lee2023third.md) and [Beta](beta/index.md).\n"
        (project / "content" / "pages" / "methods.md").write_text(links)

    served = Served(tmp_path, broken)
    try:
        for path in ("", "studies/lee2023third/"):
            status, body = served.get(path, timeout=5)
            assert status == 200 and REPORT_TITLE in body, path
            assert f"{STUDY}:2: unknown category &#x27;betta&#x27;; did you mean &#x27;beta&#x27;?" in body
        served.replace(STUDY, "categories: [betta]", "categories: [beta]")
        served.until(lambda: REPORT_TITLE not in served.get("studies/lee2023third/")[1], "the mended site")
        assert "<title>Third" in served.get("studies/lee2023third/")[1]
        assert 'href="../studies/lee2023third/"' in served.get("methods/")[1]
        log = served.output()
        assert "Traceback" not in log and "Aborted" not in log and SHOWN in log
    finally:
        served.stop()


def _title(page: Page) -> str:
    try:
        return page.title()
    except PlaywrightError:  # between two documents
        return ""


def test_an_open_page_shows_the_report_and_comes_back_by_itself(served: Served, browser: Browser) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(served.url + "studies/lee2023third/")
    heading = page.locator("h1").first.inner_text()
    served.replace(STUDY, "categories: [beta]", "categories: [betta]")
    served.until(lambda: _title(page) == REPORT_TITLE, "the open page to show the report")
    assert "unknown category 'betta'" in page.locator("pre").inner_text()
    served.replace(STUDY, "categories: [betta]", "categories: [beta]")
    served.until(lambda: _title(page) not in ("", REPORT_TITLE), "the open page to come back")
    assert page.locator("h1").first.inner_text() == heading
    assert errors == []
    page.close()
