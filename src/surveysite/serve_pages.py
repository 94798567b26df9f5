"""Under `mkdocs serve`: study pages whose Markdown did not change are not built again.

MkDocs renders every page on every rebuild (Markdown, the theme's template, the search plugin's
reading of the HTML): at 1,000 studies one saved edit took 12-14 s to appear. A study page is
out of the navigation and depends only on its own Markdown and the site around it (configuration,
navigation, theme overrides), so under `serve` its finished HTML and its search-index entries are
kept; on the next rebuild an unchanged one is written as a static file with the same address, and
its kept entries go back into the search index. Anything else is built as usual.
"""

from __future__ import annotations

import os
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page

from .cache import digest
from .serve_site import KeptFolders, Placed


class _Built(Placed):
    """A page's finished HTML from the last build, copied as a static file to the page's address."""

    def is_documentation_page(self) -> bool:
        return False


def _fingerprint(folders: list[Path]) -> list[str]:
    """Every file's path, size and modification time under the folders (theme overrides)."""
    found = []
    for folder in folders:
        for root, _, names in os.walk(folder):
            for name in sorted(names):
                stat = os.stat(os.path.join(root, name))
                found.append(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return sorted(found)


class BuiltPages:
    """The finished HTML and search entries of the last build's study pages, by source path."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[str, str, list[dict[str, Any]]]] = {}
        self._making: dict[str, str] = {}  # pages built this time: source path -> key
        self._site = ""
        self._seen = 0
        self.reused = 0

    @property
    def site(self) -> str:
        """The digest of what every page depends on besides its own Markdown, for this build."""
        return self._site

    def start(self, config: MkDocsConfig, overrides: list[Path]) -> None:
        """Begin a build: what every page's HTML depends on besides its own Markdown."""
        config_file = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
        self._site = digest(
            config_file,
            repr(config.nav),
            config.site_name,
            config.site_description or "",
            config.site_url or "",
            repr(config.markdown_extensions),
            repr(sorted(config.mdx_configs.items(), key=lambda item: item[0])),
            *_fingerprint([folder for folder in overrides if folder.is_dir()]),
        )
        self._making = {}
        self.reused = 0

    def file(self, config: MkDocsConfig, path: str, text: str, folders: KeptFolders) -> File:
        """The page's File: its HTML from the last build when nothing it depends on changed (not
        written again when the last build left it in place)."""
        page = File.generated(config, path, content=text, inclusion=InclusionLevel.NOT_IN_NAV)
        key = digest(self._site, path, text)
        kept = self._kept.get(path)
        if kept is None or kept[0] != key:
            self._making[path] = key
            return page
        self.reused += 1
        built = _Built(
            path, None, config.site_dir, config.use_directory_urls,
            dest_uri=page.dest_uri, inclusion=InclusionLevel.NOT_IN_NAV,
        )  # fmt: skip
        built.content_string = kept[1]
        return folders.place(built, key)

    def restore_search(self, config: MkDocsConfig, paths: AbstractSet[str]) -> None:
        """Put the kept search entries of the reused pages back into the search plugin's index."""
        entries = _search_entries(config)
        if entries is None:
            return
        for path in sorted(paths):
            kept = self._kept.get(path)
            if kept is not None and path not in self._making:
                entries.extend(dict(entry) for entry in kept[2])
        self._seen = len(entries)

    def page_indexed(self, config: MkDocsConfig, page: Page) -> None:
        """After the search plugin read a page: note the entries it added, for a page being kept."""
        entries = _search_entries(config)
        if entries is None:
            return
        added, self._seen = entries[self._seen :], len(entries)
        path = page.file.src_uri
        if path in self._making:
            own = [dict(e) for e in added if str(e.get("location", "")).startswith(page.url)]
            self._kept[path] = (self._making[path], "", own)

    def page_built(self, page: Page, output: str) -> None:
        """Keep a study page's finished HTML."""
        path = page.file.src_uri
        if path in self._making and path in self._kept:
            key, _, entries = self._kept[path]
            self._kept[path] = (key, output, entries)

    def prune(self, paths: AbstractSet[str], clean: bool = True) -> None:
        """Forget pages that are no longer in the site, so memory stays flat; after a build that logged
        a warning, forget the pages it made too, so that the next build makes them (and warns) again."""
        self._kept = {
            path: kept
            for path, kept in self._kept.items()
            if path in paths and kept[1] and (clean or path not in self._making)
        }

    def failed(self) -> None:
        """After a failed build: forget the pages it made, which may be incomplete."""
        self._kept = {path: kept for path, kept in self._kept.items() if path not in self._making}


def search_index(config: MkDocsConfig) -> Any:
    """The search plugin's index (Material's or MkDocs's), if there is one."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None:
            return index
    return None


def _search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """The entry list of the search plugin's index, if there is one."""
    entries = getattr(search_index(config), "entries", None)
    return entries if isinstance(entries, list) else None
