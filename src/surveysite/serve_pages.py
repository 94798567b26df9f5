"""Study pages whose Markdown did not change are not built again: under `mkdocs serve`, and from one
`mkdocs build` to the next.

MkDocs renders every page on every build (Markdown, the theme's template, the search plugin's
reading of the HTML): at 1,000 studies one saved edit took 12-14 s to appear under serve, and a
10,000-study `mkdocs build` spends most of its 3.5 minutes on the study pages. A study page is out
of the navigation and depends only on its own Markdown and the site around it (configuration,
navigation, theme overrides, the versions of what renders it), so its finished HTML and its
search-index entries are kept; on the next build an unchanged one is written as a static file with
the same address, and its kept entries go back into the search index. Anything else is built as
usual.

Under serve they are kept in memory. A `mkdocs build` keeps them, compressed, in the user's cache
folder beside the Memo (never in the project), when every plugin is one whose pages depend on
nothing else and every Markdown extension is one whose version is in the key (reusable_across_builds):
a plugin that reads the git history or the clock would see its output kept stale, and so would an
extension of the project's own after an edit. A build that logged a warning keeps none of the pages it made.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import sys
import zlib
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .cache import CODE_VERSION, cache_file, digest, read_checked, write_checked
from .render import text_digest
from .serve_site import KeptFolders, Placed

_FORMAT = "surveysite-built/1"
# The plugins whose effect on a study page's HTML is fixed by its Markdown and the configuration.
PURE_PLUGINS = frozenset({"search", "material/search", "surveysite"})
# What renders a page besides this package: their versions are part of a kept page's key.
_RENDERING = ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Pygments", "Jinja2")
# The packages of those that hold Markdown extensions (by module path, e.g. pymdownx.superfences; a
# short name such as `toc` is registered by its distribution). Any other extension's code is in no key.
_EXTENSION_PACKAGES = frozenset({"markdown", "pymdownx", "material", "mkdocs", "pygments"})
_ENV_TAG = re.compile(r"!ENV\s+\[?([^\]\n#]*)")  # `!ENV NAME` or `!ENV [NAME, OTHER, default]`
_NAME = re.compile(r"[A-Za-z_]\w*")  # a default's words count too: an unset variable is only ''

Html = str | bytes  # a page's finished HTML: text, or compressed as kept in the cache file
Kept = tuple[str, Html, list[dict[str, Any]]]  # a page's key, HTML and search entries


class _Built(Placed):
    """A page's finished HTML from an earlier build, copied as a static file to the page's address."""

    packed: bytes = b""  # the HTML compressed (from the cache file): unpacked only as it is written

    def is_documentation_page(self) -> bool:
        return False

    def copy_file(self, dirty: bool = False) -> None:
        if self.packed and not self.already_there:
            self.content_bytes = zlib.decompress(self.packed)
            super().copy_file(dirty)
            self.content_bytes = b""  # written: not held until the build ends
            return
        super().copy_file(dirty)


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

    def __init__(self, kept: dict[str, tuple[str, Html, list[dict[str, Any]]]] | None = None) -> None:
        """Pages kept in memory (serve), or, given those a cache file kept, compressed as they are
        built (a build's 10,000 study pages held as text until it ends were 300 MB more at its peak)."""
        self._kept: dict[str, tuple[str, Html, list[dict[str, Any]]]] = kept or {}
        self._pack = kept is not None
        self._making: dict[str, str] = {}  # pages built this time: source path -> key
        self._site = ""
        self._seen = 0
        self._dropped = False  # whether the last prune let go of pages (for save)
        self.reused = 0

    @property
    def site(self) -> str:
        """The digest of what every page depends on besides its own Markdown, for this build."""
        return self._site

    def start(
        self,
        config: MkDocsConfig,
        overrides: list[Path],
        lasting: tuple[str, ...] = (),
        config_file: bytes | None = None,
    ) -> None:
        """Begin a build: what every page's HTML depends on besides its own Markdown (with `lasting`,
        for pages kept from one process to the next, what lasting_parts names too). `config_file`: the
        configuration file's bytes, when the caller has read them."""
        if config_file is None:
            config_file = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
        self._site = digest(
            *lasting,
            config_file,
            repr(config.nav),
            config.site_name,
            config.site_description or "",
            config.site_url or "",
            str(config.use_directory_urls),  # `mkdocs build --no-directory-urls` leaves the file as it is
            *config.theme.dirs,  # and so does `--theme`
            repr(config.markdown_extensions),
            # Functions named with !!python/name are written as their module and name: their repr
            # holds an address that differs from one process to the next.
            json.dumps(config.mdx_configs, sort_keys=True, default=_named),
            # What every page's theme shows from `extra`, which the plugin sets as well as mkdocs.yml (the
            # footer's link to the repository that survey.yaml names: a trial saw study pages keep the old).
            json.dumps(dict(config.extra), sort_keys=True, default=_named),
            *_fingerprint([folder for folder in overrides if folder.is_dir()]),
        )
        self._making = {}
        self.reused = 0

    def file(
        self, config: MkDocsConfig, path: str, pages: Mapping[str, str], folders: KeptFolders | None
    ) -> File:
        """The page's File (its Markdown in `pages`): its HTML from the last build when nothing it
        depends on changed (not written again when the last build left it in place). Keyed by the
        digest of its Markdown, which a deferred page gives without being made (see render.Pages)."""
        key = digest(self._site, path, text_digest(pages, path))
        kept = self._kept.get(path)
        if kept is None or kept[0] != key:
            page = File.generated(config, path, content=pages[path], inclusion=InclusionLevel.NOT_IN_NAV)
            self._making[path] = key
            if folders is not None:  # built now, and kept under that key for the next build
                folders.note(page.dest_uri, key)
            return page
        page = File.generated(config, path, content="", inclusion=InclusionLevel.NOT_IN_NAV)  # its address
        self.reused += 1
        built = _Built(
            path, None, config.site_dir, config.use_directory_urls,
            dest_uri=page.dest_uri, inclusion=InclusionLevel.NOT_IN_NAV,
        )  # fmt: skip
        if isinstance(kept[1], bytes):
            built.packed = kept[1]
        else:
            built.content_string = kept[1]
        return built if folders is None else folders.place(built, key)

    def building(self, path: str) -> bool:
        """Whether this build makes the page (it was not kept, or changed)."""
        return path in self._making

    def elsewhere(self, config: MkDocsConfig, page: File) -> File:
        """A page another process builds and writes (see build_split): here only a file at its
        address, never written."""
        built = _Built(
            page.src_uri, None, config.site_dir, config.use_directory_urls,
            dest_uri=page.dest_uri, inclusion=InclusionLevel.NOT_IN_NAV,
        )  # fmt: skip
        built.already_there = True
        return built

    def made(self, paths: AbstractSet[str]) -> dict[str, Kept]:
        """What this build made of these pages (its key, HTML, search entries), to hand to another
        process's BuiltPages (see adopt)."""
        return {path: self._kept[path] for path in paths if path in self._making and path in self._kept}

    def adopt(self, config: MkDocsConfig, made: dict[str, Kept]) -> set[str]:
        """Take pages another process built for this build (see made): kept as if built here, their
        search entries added to the index. The pages taken (those made under this build's keys)."""
        entries = _search_entries(config)
        taken = set()
        for path in sorted(made):
            kept = made[path]
            if self._making.get(path) != kept[0]:
                continue
            self._kept[path] = kept
            taken.add(path)
            if entries is not None:
                entries.extend(dict(entry) for entry in kept[2])
        if entries is not None:
            self._seen = len(entries)
        return taken

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
        """Keep a study page's finished HTML, under this build's key (with the search entries noted
        for it, none without a search plugin)."""
        path = page.file.src_uri
        key = self._making.get(path)
        if key is None:
            return
        kept = self._kept.get(path)
        entries = kept[2] if kept is not None and kept[0] == key else []
        self._kept[path] = (key, _packed(output) if self._pack else output, entries)

    def prune(self, paths: AbstractSet[str], clean: bool = True) -> None:
        """Forget pages that are no longer in the site, so memory stays flat; after a build that logged
        a warning, forget the pages it made too, so that the next build makes them (and warns) again."""
        before = len(self._kept)
        self._kept = {
            path: kept
            for path, kept in self._kept.items()
            if path in paths and kept[1] and (clean or path not in self._making)
        }
        self._dropped = len(self._kept) != before

    def failed(self) -> None:
        """After a failed build: forget the pages it made, which may be incomplete."""
        self._kept = {path: kept for path, kept in self._kept.items() if path not in self._making}

    def save(self, root: Path) -> None:
        """Keep the pages in the user's cache folder for the next `mkdocs build` of the project at
        `root`, compressed (a 30 KB study page to 8 KB); nothing is written when nothing changed."""
        if not self._making and not self._dropped:
            return
        # A build's pages are packed as they are built (see __init__); file() takes either form
        write_checked(built_file(root), (_FORMAT, CODE_VERSION, self._kept))

    @classmethod
    def load(cls, root: Path) -> BuiltPages:
        """The pages the last `mkdocs build` of the project at `root` kept; none when there are none or
        they are from other code (the file is checked as the Memo's is)."""
        kept = read_checked(built_file(root))
        if isinstance(kept, tuple) and len(kept) == 3 and kept[:2] == (_FORMAT, CODE_VERSION):
            return cls(kept[2] if isinstance(kept[2], dict) else {})
        return cls({})


def built_file(root: Path) -> Path:
    """Where `mkdocs build` keeps the study pages of the project at `root`, beside its Memo."""
    memo = cache_file(root)
    return memo.with_name(f"{memo.stem}.built.pickle")


def reusable_across_builds(config: MkDocsConfig, config_file: str) -> bool:
    """Whether study pages built by one `mkdocs build` may be reused by the next: only when every
    plugin is one of PURE_PLUGINS, every Markdown extension comes from what renders the pages anyway
    (a project's own extension, or another package's, could change with nothing in the key
    changing), the configuration is one file (INHERIT would bring in another that the key does not
    read), and anchors are not checked at warning level (MkDocs checks the anchors of links into a
    page only as it builds that page)."""
    if not set(config.plugins) <= PURE_PLUGINS:
        return False
    registered = _registered_extensions()
    if not all(_known_extension(name, registered) for name in config.markdown_extensions):
        return False
    if config.validation.links.anchors >= logging.WARNING:
        return False
    return re.search(r"^INHERIT\s*:", config_file, re.MULTILINE) is None


def _known_extension(name: Any, registered: dict[str, str]) -> bool:
    """Whether a Markdown extension, as named in the configuration, is one of _RENDERING's
    (`registered`: see _registered_extensions)."""
    if not isinstance(name, str):  # an extension object, made in code
        return False
    if name in registered:
        return registered[name] in _RENDERING_NAMES
    return name.split(":", 1)[0].split(".", 1)[0] in _EXTENSION_PACKAGES


def _registered_extensions() -> dict[str, str]:
    """The short names of Markdown extensions (`toc`, `admonition`) and each one's distribution, as
    Markdown finds them: a short name is an entry point before it is a module."""
    found: dict[str, str] = {}
    for point in metadata.entry_points(group="markdown.extensions"):
        found.setdefault(point.name, _canonical(point.dist.name) if point.dist else "")
    return found


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


_RENDERING_NAMES = frozenset(_canonical(name) for name in _RENDERING)


def lasting_parts(config_file: str, site_paths: AbstractSet[str]) -> tuple[str, ...]:
    """What a kept page depends on besides what BuiltPages.start reads, for a key that must hold
    from one process to the next: this package, Python and the renderers' versions, the values of
    the environment variables the configuration (its text given) names with `!ENV`, and the path of
    every file of the site (a project's own study template may link to any page, which MkDocs checks
    only as it converts the page: with one file more or less, every study page is built again)."""
    tagged = [found.group(1) for found in _ENV_TAG.finditer(config_file)]
    names = sorted({name for text in tagged for name in _NAME.findall(text)})
    return (
        CODE_VERSION,
        sys.version,
        *(f"{name}=={metadata.version(name)}" for name in _RENDERING),
        *(f"{name}={os.environ.get(name, '')}" for name in names),
        digest(*sorted(site_paths)),
    )


def _packed(html: str) -> bytes:
    return zlib.compress(html.encode("utf-8"), 1)


def _named(value: object) -> str:
    """A stand-in, the same in every process, for what JSON cannot write: its module and name."""
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"


def search_index(config: MkDocsConfig) -> Any:
    """The search plugin's index (Material's or MkDocs's), if there is one."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None:
            return index
    return None


ALIASES = "aliases"  # the search index's field of words that find a page but are not shown


def index_aliases(config: MkDocsConfig, files: Files, aliases: Mapping[str, str]) -> None:
    """Give each page's first search entry the words that should find it besides its text (`aliases`,
    by the page's source path), in a field of its own that the theme's search indexes, as it indexes
    every field of the index's 'fields', but does not show in its results (title, text and tags)."""
    index, entries = search_index(config), _search_entries(config)
    fields = getattr(index, "config", {}).get("fields")
    if entries is None or not isinstance(fields, dict):
        return
    fields.setdefault(ALIASES, {"boost": 1.0})
    by_url = _by_url(files, aliases)
    for entry in entries:
        found = by_url.get(str(entry.get("location", "")))
        if found:
            entry[ALIASES] = found


def index_study_titles(config: MkDocsConfig, files: Files, titles: Mapping[str, tuple[str, str]]) -> None:
    """Give each study page's first search entry the study's title in its own title, which the theme's
    search weighs a thousand times its text (`titles`: by the page's source path, the title as the page
    shows it under the name, and the entry's title). A reader's trial pasted a study's title and found
    it seventh, below the pages of the leaves whose names hold two of its words: the page's title was
    its short name alone, the paper's title in its text. The title's paragraph leaves the text (moved,
    so the index does not grow); an entry whose text does not begin with it is left as it is."""
    entries = _search_entries(config)
    if entries is None:
        return
    by_url = _by_url(files, titles)
    for entry in entries:
        found = by_url.get(str(entry.get("location", "")))
        text = entry.get("text")
        if found is None or not isinstance(text, str):
            continue
        title, entry_title = found
        paragraph = f"<p>{html.escape(title, quote=False)}</p>"
        if text.startswith(paragraph):
            entry["title"] = html.escape(entry_title, quote=False)
            entry["text"] = text[len(paragraph) :].lstrip(" ")


V = TypeVar("V")


def _by_url(files: Files, by_source: Mapping[str, V]) -> dict[str, V]:
    """What is given by a page's source path, by the page's address, as a search entry names its page
    (with or without directory URLs)."""
    by_url = {}
    for source, value in by_source.items():
        file = files.get_file_from_path(source)
        if file is not None:
            by_url[file.url] = value
    return by_url


def index_in_page_order(config: MkDocsConfig, files: Files, study_pages: AbstractSet[str]) -> None:
    """Put the search plugin's entries in the order of their pages, each page's entries in the order
    they came: the order a build that reuses nothing, in one process, leaves them. The entries of
    reused study pages are put in first (restore_search), a child's come in last (build_split); the
    index is then the same byte for byte. Study pages count wherever they were built: reused or built
    elsewhere, they are no documentation pages here."""
    entries = _search_entries(config)
    if entries is None:
        return
    urls = [f.url for f in files if f.is_documentation_page() or f.src_uri in study_pages]
    rank = {"" if url in (".", "./") else url: i for i, url in enumerate(urls)}  # as Page.url has them
    last = len(rank)
    entries.sort(key=lambda entry: rank.get(str(entry.get("location", "")).split("#", 1)[0], last))


def _search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """The entry list of the search plugin's index, if there is one."""
    entries = getattr(search_index(config), "entries", None)
    return entries if isinstance(entries, list) else None
