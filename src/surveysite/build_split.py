"""A `mkdocs build` with many study pages to build shares them with a forked child process.

MkDocs builds one page after another: at 10,000 studies a build with no study page kept from the
last one took 149 s, nearly all of it the study pages (their Markdown converted, laid out in the
theme, read back by the search plugin). A study page is out of the navigation and nothing else reads
it, so half of them can be built by a second process while this one builds the rest: forked at the
end of the plugin's on_files, the child builds its share (MkDocs's own page functions, with every
plugin's page events) and writes their HTML into the site folder; what this process needs of them
comes back through a pipe before the search index is written: each page's search entries and
compressed HTML (kept for the next build, as BuiltPages keeps any page it builds), and what the
child logged, logged again here so that `--strict` counts it.

In this process the child's pages are files already written (never written again); in the child,
this process's pages are files it never writes, and the other documentation pages (home, nodes,
What's new) are converted from no Markdown at all: the child does not write them, and the pages it
builds read only their navigation titles. Like a page kept from the last build, a page the child
builds has the anchors of its links checked by no one: sharing is only done when reuse is allowed,
which excludes anchors checked at warning level.

The child's search entries go into the index in the order of their pages, so that the index is the
one a build in one process writes, byte for byte; what the child logged while working on its own
pages is logged here (what it logged on the steps both processes take, the navigation, is dropped:
this process logs it too).

Only under `mkdocs build` (and the first build of `mkdocs serve --clean`, which MkDocs runs as a
build), never under `serve`'s own builds or `--dirty`; only where parallel.can_fork allows it, and
not when the fork itself fails. If the child fails in any way, this process builds its pages at the
end; a child that fails before it built them leaves at once (ChildBuild.leave), so that MkDocs's
error path does not go on in it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from mkdocs.commands.build import _build_page, _populate_page  # MkDocs 1.6's own steps for one page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .parallel import can_fork, child_exit, fork, reap

MIN_PAGES = 400  # below this many study pages to build, a fork costs more than it saves
# The child's share of the study pages: this process also builds the navigation's pages, copies the
# static files and writes the search index. With 0.55, this process waited for the child 0.3 s at
# 1,000 studies (0.5: the child waited) and 6.3 s at 10,000 (0.53: 1.8 s). Since What's new lists
# 100 studies, not all: at 10,000, with 0.53 this process waited 4.3-8.6 s, with 0.45 the child
# 14-16 s, with 0.5 either waited under a second (cold builds, alternated; totals within noise).
CHILD_SHARE = 0.5

_log = logging.getLogger("mkdocs.plugins.surveysite")


def child_share(paths: Sequence[str], share: float = CHILD_SHARE) -> frozenset[str]:
    """The pages a child builds: about `share` of them, spread evenly over the list (none when too
    few or when no child may be forked)."""
    if len(paths) < MIN_PAGES or not can_fork():
        return frozenset()
    return frozenset(path for i, path in enumerate(paths) if int((i + 1) * share) > int(i * share))


class Captured(logging.Handler):
    """In the child: what MkDocs logs while it converts or builds one of the child's pages, kept to be
    logged by the parent. Anything else the child logs (the navigation, the other pages) the parent
    logs too, as it does the same steps: it is dropped, not printed or counted twice."""

    def __init__(self, config: MkDocsConfig, paths: frozenset[str]) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []
        self._config = config
        self._paths = paths

    def emit(self, record: logging.LogRecord) -> None:
        page = getattr(self._config, "_current_page", None)  # set by MkDocs for the page it works on
        if page is None or page.file.src_uri not in self._paths:
            return
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args, record.exc_info = record.getMessage(), None, None  # as text: picklable
        self.records.append(record)


class ChildBuild:
    """The child's side: its share of the study pages, built in on_env and sent to the parent."""

    def __init__(self, config: MkDocsConfig, paths: frozenset[str], writer: int, parent: int) -> None:
        self.paths = paths
        self._writer = writer
        self._parent = parent
        self._captured = Captured(config, paths)
        logger = logging.getLogger("mkdocs")
        for handler in list(logger.handlers):  # the parent prints what the child logs, and counts it
            logger.removeHandler(handler)
        logger.addHandler(self._captured)

    def build(self, config: MkDocsConfig, files: Files, nav: Navigation, env: Any, made: Any) -> NoReturn:
        """Build the share's pages (already converted), send what the parent needs, and leave without
        running any exit handler. `made(paths)`: the pages' kept forms (BuiltPages.made)."""
        status = 1
        try:
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
            for path in sorted(self.paths):
                if os.getppid() != self._parent:  # the parent is gone: nothing will read this
                    break
                file = files.get_file_from_path(path)
                assert file is not None and file.page is not None
                _build_page(file.page, config, doc_files, nav, env)
            else:
                with os.fdopen(self._writer, "wb") as stream:
                    pickle.dump((made(self.paths), self._captured.records), stream, pickle.HIGHEST_PROTOCOL)
                status = 0
        except BaseException:  # any failure: the parent builds these pages itself
            pass
        finally:
            child_exit(status)

    @staticmethod
    def leave() -> NoReturn:
        """End the child now, after a failure before it built its pages (see the plugin's
        on_build_error and on_shutdown): MkDocs's own error path would go on to the caller's
        (under `serve --clean`, deleting the site folder), and its exit handlers would run."""
        child_exit(1)


class SharedBuild:
    """The parent's side: the child's pages, its process, and what it sends."""

    def __init__(self, paths: frozenset[str], pid: int, reader: int) -> None:
        self.paths = paths
        self.delivered: frozenset[str] = frozenset()  # once collected: the pages the child built and sent
        self._pid = pid
        self._reader = reader

    def collect(self) -> tuple[dict[str, Any], list[logging.LogRecord]] | None:
        """What the child sent (its pages' kept forms, its log records); None when it failed."""
        reader, self._reader = self._reader, -1  # closed below, whatever happens: stop() leaves it
        try:
            with os.fdopen(reader, "rb") as stream:
                sent = pickle.load(stream)  # written by our own forked child, just now
        except Exception:  # nothing sent, or broken: the pages are built here
            sent = None
        status = reap(self._pid)
        self._pid = 0
        if status != 0 or not (isinstance(sent, tuple) and len(sent) == 2):
            return None
        return sent

    def stop(self) -> None:
        """After a failed build: end the child, if it still runs."""
        if self._pid:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
            reap(self._pid)
            self._pid = 0
        if self._reader >= 0:
            with contextlib.suppress(OSError):
                os.close(self._reader)
            self._reader = -1


def fork_share(config: MkDocsConfig, paths: frozenset[str]) -> ChildBuild | SharedBuild | None:
    """Fork: in the child its ChildBuild, here the SharedBuild that collects from it; None, nothing
    shared, when no child can be made (no memory for it, too many processes)."""
    parent = os.getpid()
    reader, writer = os.pipe()
    try:
        pid = fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:
        os.close(reader)
        return ChildBuild(config, paths, writer, parent)
    os.close(writer)
    return SharedBuild(paths, pid, reader)


def log_again(records: list[logging.LogRecord]) -> None:
    """Log here what the child logged, through the same loggers (and so the same counts)."""
    for record in records:
        logging.getLogger(record.name).handle(record)


def build_here(
    config: MkDocsConfig,
    files: Files,
    nav: Navigation,
    env: Any,
    pages: Mapping[str, str],
    paths: frozenset[str],
) -> None:
    """Build pages a failed child did not: converted and laid out here, at the end of the build."""
    _log.info("surveysite: the second process failed; building its %d study pages here", len(paths))
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    for path in sorted(paths):
        file = File.generated(config, path, content=pages[path], inclusion=InclusionLevel.NOT_IN_NAV)
        page = Page(None, file, config)
        _populate_page(page, config, files)
        _build_page(page, config, doc_files, nav, env)
