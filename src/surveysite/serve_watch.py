"""Under `mkdocs serve`: the project's folders watched as they come and go.

MkDocs watches a folder only if it exists when `serve` starts, and a folder deleted while it is
watched is never watched again. A maintainer who starts `serve` and then makes `templates/` to try an
override (the usual way to meet it: most projects have none) saw nothing until a restart; nor after
deleting the folder, or making it again. Here the project folder itself is watched too, its own
entries only (a poll of one folder; and of the folder holding templates/, if that is elsewhere):
when one of the watched folders (bib/, content/, templates/) appears, it is watched and the site
rebuilt; when it goes, it is no longer watched and the site is rebuilt without it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler

_log = logging.getLogger("mkdocs.plugins.surveysite")


class ProjectFolders(FileSystemEventHandler):
    """The folders of a project that `serve` watches, each watched while it exists (see the module)."""

    def __init__(self, server: Any, root: Path, folders: Iterable[Path]) -> None:
        super().__init__()
        self._server = server
        self._root = os.path.abspath(root)
        self._folders = {os.path.abspath(folder) for folder in folders}
        self._watched: set[str] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        """Watch the folders there are, and the folder each is in (the project folder) for the others;
        before the server starts its observer, as a plugin's on_serve is."""
        for folder in sorted(self._folders):
            if os.path.isdir(folder):
                self._watch(folder)
        observer = getattr(self._server, "observer", None)  # (MkDocs's server's; none: as MkDocs alone)
        for parent in sorted({os.path.dirname(folder) for folder in self._folders}):
            if observer is not None and os.path.isdir(parent):
                observer.schedule(self, parent, recursive=False)

    def on_any_event(self, event: FileSystemEvent) -> None:
        """A change among the project folder's own entries: a watched folder made, moved or deleted."""
        for path in (event.src_path, getattr(event, "dest_path", "")):
            path = os.fsdecode(path) if path else ""
            if path in self._folders:
                self._changed(path)

    def _changed(self, folder: str) -> None:
        with self._lock:
            there = os.path.isdir(folder)
            if there == (folder in self._watched):  # (a file added inside changes the folder's time)
                return
            if there:
                self._watch(folder)
            else:
                self._server.unwatch(folder)  # (its watch ended when it went: see the module)
                self._watched.discard(folder)
        shown = os.path.relpath(folder, self._root)
        _log.info("%s/ %s: rebuilding", shown, "appeared" if there else "is gone")
        rebuild_soon(self._server)

    def _watch(self, folder: str) -> None:
        self._server.watch(folder)
        self._watched.add(folder)


def rebuild_soon(server: Any) -> None:
    """Have the server rebuild, as a saved file under a folder it watches has it do. MkDocs 1.6 has no
    public call for it: this is what its own file watcher does (mkdocs.livereload.LiveReloadServer)."""
    condition = getattr(server, "_rebuild_cond", None)
    if condition is None or not hasattr(server, "_want_rebuild"):
        _log.warning("this MkDocs cannot be asked to rebuild: save any file of the site to rebuild it")
        return
    with condition:
        server._want_rebuild = True
        condition.notify_all()
