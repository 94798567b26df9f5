"""Under `mkdocs serve`, a project folder made, deleted or made again while serving is watched while
it exists, and the site rebuilt each time (MkDocs alone watches only the folders there at the start)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from watchdog.events import DirCreatedEvent, DirModifiedEvent, DirMovedEvent, FileModifiedEvent

from surveysite import serve_watch
from surveysite.serve_watch import ProjectFolders, rebuild_soon

from .test_serve_failed_builds import Served

OVERRIDE = '{% extends "base.html" %}\n{% block announce %}MARK{% endblock %}\n'


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path)
    yield server
    server.stop()


def _override(project: Path, mark: str) -> None:
    folder = project / "templates" / "overrides"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.html").write_text(OVERRIDE.replace("MARK", mark), encoding="utf-8")


def test_a_templates_folder_made_while_serving_is_used_edited_removed_and_made_again(served: Served) -> None:
    assert not (served.project / "templates").exists()
    assert "Made while serving" not in served.get("")[1]
    _override(served.project, "Made while serving")
    served.until(lambda: "Made while serving" in served.get("")[1], "the new override")
    _override(served.project, "Edited while serving")  # the new folder is watched as the others are
    served.until(lambda: "Edited while serving" in served.get("")[1], "the edited override")
    shutil.rmtree(served.project / "templates")
    served.until(lambda: "Edited while serving" not in served.get("")[1], "the site without the override")
    assert served.get("")[0] == 200
    _override(served.project, "Made again")
    served.until(lambda: "Made again" in served.get("studies/lee2023third/")[1], "the override made again")
    log = served.output()
    assert "templates/ appeared: rebuilding" in log and "templates/ is gone: rebuilding" in log
    assert "Traceback" not in log


class _Server:
    """What ProjectFolders uses of MkDocs's server, recorded."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.observer = self

    def schedule(self, handler: Any, path: str, recursive: bool) -> None:
        self.calls.append(("schedule", path) if not recursive else ("recursive", path))

    def watch(self, path: str) -> None:
        self.calls.append(("watch", path))

    def unwatch(self, path: str) -> None:
        self.calls.append(("unwatch", path))


def test_a_folder_is_watched_once_while_it_exists_and_a_change_inside_it_is_left_to_its_watch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bib").mkdir()
    elsewhere = tmp_path / "elsewhere" / "templates"
    server = _Server()
    folders = ProjectFolders(server, tmp_path, (tmp_path / "bib", tmp_path / "content", elsewhere))
    folders.start()
    assert server.calls == [("watch", str(tmp_path / "bib")), ("schedule", str(tmp_path))]  # no elsewhere/
    server.calls.clear()
    rebuilt: list[object] = []
    monkeypatch.setattr(serve_watch, "rebuild_soon", rebuilt.append)
    (tmp_path / "content").mkdir()
    folders.dispatch(DirCreatedEvent(str(tmp_path / "content")))
    folders.dispatch(DirModifiedEvent(str(tmp_path / "content")))  # a file added inside: its time changed
    folders.dispatch(FileModifiedEvent(str(tmp_path / "README.md")))
    (tmp_path / "bib").rename(tmp_path / "old")
    folders.dispatch(DirMovedEvent(str(tmp_path / "bib"), str(tmp_path / "old")))
    (tmp_path / "old").rename(tmp_path / "bib")
    folders.dispatch(DirMovedEvent(str(tmp_path / "old"), str(tmp_path / "bib")))  # moved back in
    assert server.calls == [
        ("watch", str(tmp_path / "content")),
        ("unwatch", str(tmp_path / "bib")),
        ("watch", str(tmp_path / "bib")),
    ]
    assert rebuilt == [server] * 3


def test_without_the_servers_rebuild_trigger_it_says_how_to_rebuild(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.surveysite"):
        rebuild_soon(object())
    assert "save any file of the site to rebuild it" in caplog.text
