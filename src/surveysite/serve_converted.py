"""Under `mkdocs serve`: generated pages whose Markdown did not change are not converted again.

The node pages, the matrix, the home page and What's new are in the navigation, so MkDocs lays
each one out again on every rebuild (the navigation and its active entry are in every page), but
their Markdown conversion, the largest part of their cost, depends only on their own Markdown, the
site's configuration and the set of files links can reach. That conversion is kept and, when all
three are unchanged, restored instead of converting again. The compiled theme templates are kept
the same way (Jinja checks each template's source before reusing its code), and so are the
search entries of a page whose conversion was reused (the search plugin reads only the page's
HTML, table of contents, title, address and metadata, all unchanged with it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from types import CodeType
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from .cache import digest
from .serve_pages import search_index


@dataclass(frozen=True)
class _Converted:
    """What Page.render left on a page, with links to anchors kept by the linked file's path."""

    key: str
    content: str
    toc: TableOfContents
    title: str | None
    anchors: frozenset[str]
    links: dict[str, dict[str, str]] | None
    entries: tuple[dict[str, Any], ...] | None = None  # what the search plugin indexed


class TemplateCode(BytecodeCache):
    """Compiled theme templates kept in memory across rebuilds, dropped when the site changes."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}
        self._site = ""

    def start(self, site: str) -> None:
        """Begin a build of the site with this digest; code compiled for another one is dropped."""
        if site != self._site:
            self._code, self._site = {}, site

    def load_bytecode(self, bucket: Bucket) -> None:
        """Give Jinja the kept code when the template's source is the one it was compiled from."""
        kept = self._code.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a template's code as Jinja compiled it."""
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)


class ConvertedPages:
    """The last clean build's Markdown conversion of each generated page, by source path."""

    def __init__(self) -> None:
        self._kept: dict[str, _Converted] = {}
        self._new: dict[str, _Converted] = {}
        self._making: dict[str, str] = {}
        self._restored: dict[str, _Converted] = {}
        self._indexed: dict[str, tuple[dict[str, Any], ...]] = {}
        self._around = ""
        self._warnings = WarningCount()
        self.reused = 0

    def start(self, site: str, files: Files) -> None:
        """Begin a build: the site's digest and every file a link could reach."""
        self._around = digest(site, *sorted(file.src_uri for file in files))
        self._new, self._making, self._restored, self._indexed = {}, {}, {}, {}
        self.reused = 0
        self._warnings.count = 0
        logging.getLogger("mkdocs").addHandler(self._warnings)

    def page_read(self, page: Page, markdown: str) -> None:
        """Before a page's Markdown is converted: restore its kept conversion when its inputs are the same."""
        path = page.file.src_uri
        key = digest(self._around, path, markdown)
        kept = self._kept.get(path)
        if kept is None or kept.key != key:
            self._making[path] = key
            return
        self.reused += 1
        self._restored[path] = kept
        page.render = lambda config, files: _restore(page, kept, files)  # type: ignore[method-assign]

    def index_with_kept(self, config: MkDocsConfig) -> None:
        """Have the search plugin take a reused page's kept entries instead of reading its HTML again."""
        index = search_index(config)
        add = getattr(index, "add_entry_from_context", None)
        entries = getattr(index, "entries", None)
        if add is None or not isinstance(entries, list):
            return

        def add_entry(page: Page) -> None:
            path = page.file.src_uri
            kept = self._restored.get(path)
            if kept is not None and kept.entries is not None:
                entries.extend(dict(entry) for entry in kept.entries)
                return
            start = len(entries)
            add(page)
            self._indexed[path] = tuple(dict(entry) for entry in entries[start:])

        index.add_entry_from_context = add_entry

    def page_converted(self, page: Page) -> None:
        """After a page was converted (before other plugins change it): keep what the conversion gave."""
        path = page.file.src_uri
        if path not in self._making or page.content is None:
            return
        links = page.links_to_anchors
        self._new[path] = _Converted(
            key=self._making[path],
            content=page.content,
            toc=page.toc,
            title=page._title_from_render,
            anchors=frozenset(page.present_anchor_ids or ()),
            links=None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
        )

    def finish(self, paths: set[str]) -> bool:
        """End a build: keep its conversions unless it logged a warning (reuse must not hide one).

        Whether the build was clean (logged no warning)."""
        logging.getLogger("mkdocs").removeHandler(self._warnings)
        kept = {path: self._kept[path] for path in paths if path in self._kept}
        clean = self._warnings.clean
        if clean:
            kept.update(
                (path, replace(new, entries=self._indexed.get(path)))
                for path, new in self._new.items()
                if path in paths
            )
        else:
            kept = {path: old for path, old in kept.items() if path not in self._making}
        self._kept, self._new, self._making = kept, {}, {}
        return clean

    def failed(self) -> None:
        """A build that failed keeps nothing new, and stops counting warnings."""
        logging.getLogger("mkdocs").removeHandler(self._warnings)
        self._kept = {path: old for path, old in self._kept.items() if path not in self._making}
        self._new, self._making = {}, {}


class WarningCount(logging.Handler):
    """Counts the warnings and errors MkDocs logs during a build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    @property
    def clean(self) -> bool:
        """Whether the build logged no warning, as far as can be known: with `-q` MkDocs drops its
        warnings before any handler sees them, so such a build is never taken for clean."""
        return self.count == 0 and logging.getLogger("mkdocs").isEnabledFor(logging.WARNING)


def _restore(page: Page, kept: _Converted, files: Files) -> None:
    """Set on the page what converting its Markdown set last time."""
    page.content = kept.content
    page.toc = kept.toc
    page._title_from_render = kept.title
    page.present_anchor_ids = set(kept.anchors)
    if kept.links is not None:
        linked = {path: files.get_file_from_path(path) for path in kept.links}
        page.links_to_anchors = {file: dict(kept.links[p]) for p, file in linked.items() if file is not None}
