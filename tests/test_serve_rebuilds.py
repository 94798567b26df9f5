"""Under `mkdocs serve`: after every edit the rebuilt site is the site a fresh `mkdocs build` makes,
though unchanged study pages, Markdown conversions and compiled templates are reused."""

from __future__ import annotations

import gc
import logging
import posixpath
import shutil
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.utils import DuplicateFilter

from surveysite import mkdocs_plugin
from surveysite.mkdocs_plugin import LaterCollection, SurveySitePlugin, TextKeys
from surveysite.paths import study_ris

from .conftest import MINI, MKDOCS_YML, mkdocs_build


class Serving:
    """Rebuilt as `mkdocs serve` rebuilds it: the plugin kept alive, a new configuration each time."""

    def __init__(self, project: Path, site: Path, port: int) -> None:
        self.project, self.site, self.url = project, site, f"http://127.0.0.1:{port}/"
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=False)
        plugin = config.plugins["surveysite"]
        assert isinstance(plugin, SurveySitePlugin)
        self.plugin = plugin
        build(config, serve_url=self.url)

    def _config(self) -> MkDocsConfig:
        config = load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = self.url  # as `mkdocs serve` does
        return config

    def rebuild(self) -> None:
        """Build again after files changed."""
        config = self._config()
        assert config.plugins["surveysite"] is self.plugin  # serve keeps a plugin that defines on_startup
        build(config, serve_url=self.url)


def site_files(site: Path) -> dict[str, Any]:
    """Every file of a built site, byte for byte, the search index too (a build that reuses pages, or
    shares them with a child, puts the entries in the order a fresh build writes them); the gzipped
    sitemap left out (it carries the build's time)."""
    found: dict[str, Any] = {}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.is_file() and name != "sitemap.xml.gz":
            found[name] = path.read_bytes()
    return found


def same_as_a_fresh_build(serving: Serving, tmp_path: Path, port: int, name: str) -> dict[str, Any]:
    """The served site, checked file by file against a fresh `mkdocs build` of the same project."""
    fresh = tmp_path / f"fresh-{name}"
    mkdocs_build(serving.project, fresh, port)
    served, expected = site_files(serving.site), site_files(fresh)
    assert sorted(served) == sorted(expected)
    differ = [path for path in expected if served[path] != expected[path]]
    assert differ == [], f"after {name}, these files differ from a fresh build: {differ}"
    return served


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[Serving, int]]:
    port = 8000
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    (project / "mkdocs.yml").write_text(MKDOCS_YML.format(port=port), encoding="utf-8")
    server = Serving(project, tmp_path / "served", port)
    yield server, port
    server.plugin.on_shutdown()  # as serve ends: no collection left to run in a later test


def text_of(site: dict[str, Any], path: str) -> str:
    return bytes(site[path]).decode("utf-8")


def test_an_edited_study_reaches_its_page_its_nodes_whats_new_and_the_matrix(
    serving: tuple[Serving, int], tmp_path: Path
) -> None:
    server, port = serving
    replace(  # (a study the site added: What's new names the original survey's in one line a day)
        server.project / "bib" / "studies.bib", "a Study with *Markdown*", "Retitled Beyond Recognition"
    )
    replace(server.project / "content" / "studies" / "lee2023third.yaml", "summary: ", "summary: Revised. ")
    server.rebuild()
    kept = server.plugin.serving
    assert kept is not None and kept.built.reused > 0  # the others were reused
    site = same_as_a_fresh_build(server, tmp_path, port, "a study edit")
    assert "Revised." in text_of(site, "studies/lee2023third/index.html")
    for page in ("alpha/index.html", "alpha/two/index.html", "whats-new/index.html", "matrix.json"):
        assert "retitled beyond recognition" in text_of(site, page).lower(), page


def test_unchanged_node_pages_are_not_converted_again_and_stay_identical(
    serving: tuple[Serving, int], tmp_path: Path
) -> None:
    server, port = serving
    replace(server.project / "content" / "studies" / "lee2023third.yaml", "summary: ", "summary: Revised. ")
    server.rebuild()
    converted = server.plugin.serving.converted if server.plugin.serving else None
    assert converted is not None and converted.reused >= 3  # at least the home, node and matrix pages
    same_as_a_fresh_build(server, tmp_path, port, "a summary edit")
    server.rebuild()  # nothing changed: the reused conversions are reused again, still identical
    same_as_a_fresh_build(server, tmp_path, port, "no edit")


@pytest.mark.parametrize(
    ("name", "file", "old", "new", "expected"),
    [
        ("mkdocs.yml", "mkdocs.yml", "Version one", "Version two", "Version two"),
        (
            "the taxonomy",
            "content/taxonomy.yaml",
            "The first leaf.",
            "The renamed leaf.",
            "The renamed leaf.",
        ),
        (
            "a hand-written page",
            "content/pages/about.md",
            "\n",
            "\nAn added sentence.\n",
            "An added sentence.",
        ),
        (  # every page's footer links it (a maintainer's trial found study pages kept the old address)
            "the repository's address",
            "content/survey.yaml",
            "example-org/mini-survey",
            "example-org/moved-survey",
            'href="https://github.com/example-org/moved-survey"',
        ),
    ],
)
def test_nothing_stale_survives_an_edit(
    serving: tuple[Serving, int], tmp_path: Path, name: str, file: str, old: str, new: str, expected: str
) -> None:
    server, port = serving
    replace(server.project / file, old, new)
    server.rebuild()
    site = same_as_a_fresh_build(server, tmp_path, port, name)
    assert any(expected in text_of(site, page) for page in site if page.endswith(".html"))


def test_nothing_stale_survives_a_template_override(serving: tuple[Serving, int], tmp_path: Path) -> None:
    server, port = serving
    overrides = server.project / "templates" / "overrides"
    overrides.mkdir(parents=True)
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}An announcement{% endblock %}\n', encoding="utf-8"
    )
    server.rebuild()
    site = same_as_a_fresh_build(server, tmp_path, port, "a new theme override")
    assert "An announcement" in text_of(site, "studies/lee2023third/index.html")
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}Another one{% endblock %}\n', encoding="utf-8"
    )
    server.rebuild()
    site = same_as_a_fresh_build(server, tmp_path, port, "an edited theme override")
    assert "Another one" in text_of(site, "alpha/index.html")


def test_unchanged_study_pages_and_downloads_are_not_written_again(
    serving: tuple[Serving, int], tmp_path: Path
) -> None:
    server, port = serving
    server.rebuild()  # the first build converted every study page; from now on they are reused
    kept = ["studies/smith2022second/index.html", "downloads/studies/smith2022second.ris"]
    edited = "studies/lee2023third/index.html"
    before = {path: (server.site / path).stat().st_mtime_ns for path in [*kept, edited]}
    replace(server.project / "content" / "studies" / "lee2023third.yaml", "summary: ", "summary: Revised. ")
    server.rebuild()
    after = {path: (server.site / path).stat().st_mtime_ns for path in [*kept, edited]}
    assert [after[path] == before[path] for path in kept] == [True, True]
    assert after[edited] != before[edited]
    same_as_a_fresh_build(server, tmp_path, port, "a summary edit")


def test_a_removed_study_leaves_nothing_behind(serving: tuple[Serving, int], tmp_path: Path) -> None:
    server, port = serving
    server.rebuild()
    (server.project / "content" / "studies" / "lee2023third.yaml").unlink()
    bib = server.project / "bib" / "studies.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text[: text.index("@article{lee2023third,")], encoding="utf-8")
    server.rebuild()
    same_as_a_fresh_build(server, tmp_path, port, "a removed study")
    assert not (server.site / "studies" / "lee2023third").exists()
    assert not (server.site / "downloads" / "studies" / "lee2023third.ris").exists()


def test_a_rebuild_leaves_no_garbage_of_the_build_before_it(
    serving: tuple[Serving, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last build's pages and navigation, which hold one another in cycles, are freed a moment after
    the next build ends, not whenever Python's collector next walks its oldest objects: the server's
    memory after an edit then does not depend on how many builds ago that walk last ran. Not before the
    build returns: the server answers no request until then, and the edited page would wait."""
    server, _ = serving
    server.plugin._collection.cancel()  # the first build's
    monkeypatch.setattr(server.plugin, "_collection", LaterCollection(0.3))
    was_on = gc.isenabled()
    gc.disable()  # only what the plugin collects is collected
    try:
        server.rebuild()
        nav = server.plugin._nav
        assert nav is not None
        last_nav, last_page = weakref.ref(nav), weakref.ref(nav.pages[0])
        del nav
        server.rebuild()
        assert last_nav() is not None  # still there when the build returns
        waited = time.monotonic()
        while last_nav() is not None and time.monotonic() - waited < 30:
            time.sleep(0.05)
        assert last_nav() is None and last_page() is None
    finally:
        if was_on:
            gc.enable()


def test_a_later_collection_asked_again_runs_once_after_the_last_asking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    walks: list[float] = []
    monkeypatch.setattr(gc, "collect", lambda *args: walks.append(time.monotonic()) or 0)
    later = LaterCollection(0.2)
    asked = time.monotonic()
    later.later()
    time.sleep(0.1)
    later.later()
    last = time.monotonic()
    while not walks and time.monotonic() - last < 30:  # a loaded machine may run the timer late
        time.sleep(0.02)
    time.sleep(0.4)  # a second walk, had the first asking not been cancelled, would have come by now
    assert len(walks) == 1 and walks[0] - last >= 0.19 and walks[0] - asked >= 0.29
    later.later()
    later.cancel()
    time.sleep(0.4)
    assert len(walks) == 1  # cancelled: never ran


def test_a_rebuild_digests_only_the_made_files_whose_text_changed(
    serving: tuple[Serving, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Serve's memo hands back an unchanged study's download as it kept it: its digest is the last
    build's. The downloads of the whole site, joined anew in every build, are not digested at all:
    only a file in a kept folder is looked for on disk."""
    server, _ = serving
    folder = posixpath.dirname(study_ris("key")) + "/"
    digested: list[str | bytes] = []  # (the downloads joined from every study's rows are bytes)
    real = mkdocs_plugin.digest

    def counted(*parts: str | bytes) -> str:
        digested.extend(parts)
        return real(*parts)

    monkeypatch.setattr(mkdocs_plugin, "digest", counted)
    server.rebuild()
    assert server.plugin.site is not None
    made = {path: text for path, text in server.plugin.site.files.items() if path.startswith(folder)}
    assert len(made) == len(server.plugin.site.studies) > 1
    assert not [path for path, text in made.items() if text in digested]
    assert not [path for path, text in server.plugin.site.files.items() if text in digested]
    bib = next((server.project / "bib").glob("*.bib"))
    replace(bib, "title   = {Third Study}", "title   = {Third Study, Edited}")
    digested.clear()
    server.rebuild()
    assert server.plugin.site is not None
    again = {path: text for path, text in server.plugin.site.files.items() if path.startswith(folder)}
    changed = sorted(path for path in again if again[path] != made.get(path))
    assert changed == [study_ris("lee2023third")]
    assert sorted(path for path, text in again.items() if text in digested) == changed


def test_a_build_under_serve_puts_off_the_collection_asked_for_by_the_one_before(
    serving: tuple[Serving, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save soon after the last: the walk waits for this build's end rather than slowing it."""
    server, _ = serving
    asked: list[str] = []

    class Recorded(LaterCollection):
        def later(self) -> None:
            asked.append("later")

        def cancel(self) -> None:
            asked.append("cancel")

    server.plugin._collection.cancel()
    monkeypatch.setattr(server.plugin, "_collection", Recorded(1.0))
    server.rebuild()
    assert asked == ["cancel", "later"]


def test_text_keys_digest_a_text_again_unless_it_is_the_same_object(monkeypatch: pytest.MonkeyPatch) -> None:
    digested: list[str] = []
    real = mkdocs_plugin.digest
    monkeypatch.setattr(mkdocs_plugin, "digest", lambda *parts: digested.extend(parts) or real(*parts))
    keys = TextKeys()
    text = "".join(["@misc{a,", " title = {A}}"])
    assert keys.key("a.bib", text) == real(text) and digested == [text]
    keys.keep(again=True)
    assert keys.key("a.bib", text) == real(text) and digested == [text]  # the same object: not again
    keys.keep(again=True)
    equal = "".join(["@misc{a, title", " = {A}}"])
    assert equal == text and equal is not text
    assert keys.key("a.bib", equal) == real(text) and digested == [text, equal]  # another object: again
    keys.keep(again=False)
    assert keys.key("a.bib", equal) == real(text) and digested == [text, equal, equal]  # nothing held


def test_problems_met_again_under_serve_are_shown_again(
    serving: tuple[Serving, int], caplog: pytest.LogCaptureFixture
) -> None:
    """MkDocs logs a message once per process (its DuplicateFilter): a contributor trial saw the same
    problems, met again after a fix, shown as 'Aborted with a BuildError!' alone."""
    server, _ = serving
    study = server.project / "content" / "studies" / "lee2023third.yaml"
    shown = DuplicateFilter()
    messages = []
    for turn in range(2):
        replace(study, "categories: [beta]", "categories: [betta]")
        caplog.clear()
        with pytest.raises(Abort):
            server.rebuild()
        [logged] = [r for r in caplog.records if r.levelno == logging.ERROR and "problems" in r.getMessage()]
        messages.append(logged.getMessage())
        assert shown(logged), turn  # what MkDocs's filter lets through
        replace(study, "categories: [betta]", "categories: [beta]")
        server.rebuild()
    for message in messages:
        assert "content/studies/lee2023third.yaml:2: unknown category 'betta'" in message
    assert messages[0] != messages[1]
