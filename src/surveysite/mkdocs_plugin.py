"""MkDocs adapter: adds the generated pages, navigation and packaged files; watches the data under `serve`.

The plugin also supplies what the generated pages need and mkdocs.yml does not say: the Markdown
extensions, the theme overrides, the stylesheets and scripts. Study pages are kept out of the
navigation (a nav entry per study makes the build quadratic in the number of studies).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import posixpath
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .build import Project, build_site, collector_paused
from .build_split import (
    ChildBuild,
    SharedBuild,
    build_here,
    child_share,
    fork_share,
    log_again,
)
from .cache import Memo, digest, load_memo, save_memo
from .pages import check_published_files
from .parallel import one_process
from .paths import COLOURS_CSS, study_page, study_ris
from .problems import DataError, Problems
from .proposals import with_repository_link
from .render import Site
from .resources import (
    MARKDOWN_EXTENSIONS,
    OVERRIDES,
    SCRIPTS,
    STYLESHEETS,
    THEME,
    asset_files,
    editors_file,
    extension_options,
)
from .serve_converted import ConvertedPages, TemplateCode, WarningCount
from .serve_failed import SHOWN, FailedBuilds, epoch_now
from .serve_pages import (
    BuiltPages,
    built_file,
    index_aliases,
    index_in_page_order,
    index_study_titles,
    lasting_parts,
    reusable_across_builds,
)
from .serve_site import KeptFolders, generated, remove_aside, site_file
from .serve_watch import ProjectFolders
from .siteconfig import on_this_machine
from .sitemaps import ROBOTS, STUDIES_SITEMAP, absolute, robots_txt, study_sitemaps
from .theme_errors import report_failures

_log = logging.getLogger("mkdocs.plugins.surveysite")
# What the plugin says of a project's mkdocs.yml: a build for an address on this machine (mkdocs.yml's
# default when SITE_URL is not set), a nav of its own (which the survey's replaces), and a stylesheet or
# script it names that the site does not have.
LOCAL_ADDRESS = (
    "surveysite: site_url is %s, this machine: the pages' canonical links and the sitemap name it; "
    "set the site's public address (SITE_URL) in a build you publish"
)
OWN_NAV = (
    "surveysite: mkdocs.yml sets 'nav', which the survey's navigation replaces: Home, each class, "
    "Matrix, What's new, then the pages of content/pages by their file names; remove 'nav'"
)
OWN_ROBOTS = (
    "surveysite: the project's own %s is published, not one naming the study pages' sitemap; "
    "add the line 'Sitemap: %s' to it for crawlers to find every study page"
)
ROBOTS_IN_FOLDER = (
    "surveysite: the site is published in a folder of its host (%s), where crawlers do not read its %s; "
    "submit the sitemaps to the search engines instead: %s and MkDocs's sitemap.xml"
)
NO_SUCH_EXTRA = (
    "surveysite: mkdocs.yml's %s names '%s', which the site does not have; a file of the project's own "
    "goes in templates/assets/ (templates/assets/%s)"
)

OTHER_HOST = (
    "surveysite: %s has every page load %s from another host: the site no longer works offline, and "
    "each reader's browser asks that host for it; %s"
)
PRIVACY = (
    "or add the theme's 'privacy' plugin, which downloads it when the site is built and serves it from "
    "the site"
)


def _check_other_hosts(config: MkDocsConfig) -> None:
    """Warn of what mkdocs.yml has each page load from another host: the theme's web font (a
    maintainer's trial set 'font: {text: Inter}', and the pages asked Google Fonts for it, unsaid), a
    stylesheet or script by its address. Not with the theme's privacy plugin, which serves them from
    the site."""
    for name, plugin in config.plugins.items():  # (one turned off with 'enabled: false' serves nothing)
        settings = getattr(plugin, "config", None)
        if name.rpartition("/")[2] == "privacy" and (settings.get("enabled", True) if settings else True):
            return
    if config.theme.get(
        "font"
    ):  # (Material's default, when mkdocs.yml names none, is Roboto from Google Fonts)
        _log.warning(
            OTHER_HOST,
            "the theme's font (mkdocs.yml's theme.font; Roboto where it names none)",
            "it from Google Fonts",
            f"set 'font: false' (the readers' own fonts), {PRIVACY}",
        )
    for setting, path in _extras(config):
        if urlsplit(path).scheme or path.startswith("//"):
            _log.warning(
                OTHER_HOST,
                f"mkdocs.yml's {setting}",
                f"'{path}'",
                f"put a copy in templates/assets/ and name it by its path there, {PRIVACY}",
            )


def _check_extras(config: MkDocsConfig, files: Files) -> None:
    """Warn of each stylesheet or script mkdocs.yml adds (extra_css, extra_javascript) by a path the
    site does not have: the theme links it all the same, and the browser gets a 404."""
    for setting, path in _extras(config):
        if "://" not in path and not path.startswith("/") and files.get_file_from_path(path) is None:
            _log.warning(NO_SUCH_EXTRA, setting, path, path)


def _extras(config: MkDocsConfig) -> Iterator[tuple[str, str]]:
    """Each stylesheet or script mkdocs.yml adds, with the setting that adds it (extra_css,
    extra_javascript): its path or address as written."""
    for setting in ("extra_css", "extra_javascript"):
        for item in config[setting]:
            yield setting, str(getattr(item, "path", item))


def _add_sitemaps(config: MkDocsConfig, files: Files, studies: frozenset[str]) -> None:
    """The study pages' sitemap, and a robots.txt naming it and MkDocs's own sitemap unless the docs
    folder holds one (see sitemaps.py); neither without the site's address (a sitemap lists full
    addresses) or without studies."""
    site_url = config.site_url
    if not site_url or not studies:
        return
    urls = [file.url for file in map(files.get_file_from_path, sorted(studies)) if file is not None]
    made = study_sitemaps(site_url, urls)
    for name, text in made.items():
        files.append(File.generated(config, name, content=text))
    own = files.get_file_from_path(ROBOTS)
    if own is None:
        files.append(File.generated(config, ROBOTS, content=robots_txt(site_url, list(made))))
        if urlsplit(site_url).path.strip("/"):  # (a review: the build could say so)
            _log.info(
                ROBOTS_IN_FOLDER, site_url, ROBOTS, ", ".join(absolute(site_url, name) for name in made)
            )
    elif STUDIES_SITEMAP.encode() not in own.content_bytes:
        _log.info(OWN_ROBOTS, ROBOTS, absolute(site_url, STUDIES_SITEMAP))


class SurveySiteConfig(Config):
    """Plugin options in mkdocs.yml."""

    edit_url = config_options.Type(str, default="")


@dataclass(frozen=True)
class Serving:
    """What `mkdocs serve` keeps from one build to the next, made together in on_startup."""

    built: BuiltPages  # unchanged study pages are not built again
    converted: ConvertedPages  # unchanged generated pages are not converted again
    templates: TemplateCode  # theme templates are not compiled again
    folders: KeptFolders  # study pages and downloads already written stay


# Seconds from the end of a build under serve to the walk of Python's collector that frees the build
# before it: the browsers reload the edited page first (see LaterCollection).
COLLECT_AFTER = 1.0


class LaterCollection:
    """One walk of Python's cyclic collector over every generation, a moment later, in a thread of its
    own; asked again before it ran, it runs once, that moment after the last asking. (What it frees is
    finalised in that thread: nothing of this package's has a finaliser.)"""

    def __init__(self, delay: float) -> None:
        self._delay = delay
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def later(self) -> None:
        """Collect `delay` seconds from now."""
        timer = threading.Timer(self._delay, gc.collect)
        timer.daemon = True  # never holds the server open when it stops
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = timer
        timer.start()

    def cancel(self) -> None:
        """Not collect after all (a build begins, whose own end asks again; the server stops)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = None


class TextKeys:
    """The digest of each file's text by path, kept from one build to the next: a text that is the
    same object as the last build's (an unchanged result, which serve's memo hands back as it was
    kept) is not digested again. What the last build did not ask for is let go."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[str | bytes, str]] = {}
        self._now: dict[str, tuple[str | bytes, str]] = {}

    def key(self, path: str, text: str | bytes) -> str:
        """The digest of the file's text (or of its bytes, the same digest as of its text)."""
        last = self._last.get(path)
        key = last[1] if last is not None and last[0] is text else digest(text)
        self._now[path] = (text, key)
        return key

    def keep(self, again: bool) -> None:
        """A build asked for all it needs: its keys are the next build's last ones, if `again` there is
        a next build in this process (else nothing is held)."""
        self._last, self._now = (self._now if again else {}), {}


class SurveySitePlugin(BasePlugin[SurveySiteConfig]):
    """Generates the survey's pages from bib/ and content/, with the packaged templates and assets."""

    site: Site | None = None
    memo: Memo | None = None
    command: str = "build"
    dirty: bool = False  # `--dirty`: MkDocs builds only the pages it takes for changed
    serving: Serving | None = None  # under serve: what one build keeps for the next
    _files: Files | None = None
    _study_pages: frozenset[str] = frozenset()  # this build's study pages (site paths)
    _reusable: frozenset[str] = frozenset()  # under serve: generated pages but the study pages
    # Study pages built before and reused when unchanged: serving.built under serve; for a build,
    # those the last build kept in the cache folder (when reusable_across_builds), else None.
    _built: BuiltPages | None = None
    _warnings: WarningCount | None = None  # a build's warnings: one keeps none of the pages it made
    # A build sharing its study pages with a forked child (see build_split): in the child, its side;
    # here, the side that collects the child's pages.
    _child: ChildBuild | None = None
    _shared: SharedBuild | None = None
    _nav: Navigation | None = None
    # The site folders of per-study files kept in place across builds (serving.folders under serve).
    _folders: KeptFolders | None = None
    _site_record: Path | None = None  # where a build keeps the record of them (see KeptFolders.save)
    # A build's configuration file, when its study pages may be reused by the next build; else None.
    _config_file: bytes | None = None
    _env: Any = None
    _collection: LaterCollection
    _builds = 0  # how many builds this plugin began (under serve, one process builds again and again)
    _made_keys: TextKeys  # the digests of the made files in kept folders, kept across serve's builds

    def __init__(self) -> None:
        super().__init__()
        self._collection = LaterCollection(COLLECT_AFTER)
        self._first_failure: tuple[int, str] | None = None  # serve's first build, failed: see on_config
        self._made_keys = TextKeys()

    def _project(self, config: MkDocsConfig) -> Project:
        return Project.at(Path(config.config_file_path).parent, edit_url=self.config.edit_url)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this plugin alive across the rebuilds of `mkdocs serve`,
        # and with it the memo: a rebuild after one edit reuses every unchanged result.
        # MkDocs keeps such a plugin for the whole process: one that served before builds afresh.
        self.command = command
        self.dirty = dirty
        self.serving = None
        self._collection.cancel()  # of an earlier serve in this process
        self._made_keys.keep(again=False)
        if command == "serve":
            folders = KeptFolders(kept_folders())
            self.serving = Serving(BuiltPages(), ConvertedPages(), TemplateCode(), folders)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._collection.cancel()  # a save soon after the last: collected when this build ends, not in it
        self._builds += 1
        project = self._project(config)
        supply_requirements(config, project)
        if self.memo is None:
            with collector_paused(promote=True):  # as the command line reads it: see cli.main
                self.memo = load_memo(project.root, lasting=self.serving is not None)
        # A build's generator runs before MkDocs holds any page, and shares its work with a forked child
        # as `surveysite pages` does (at 10,000 studies, cold: 7.8 s against 10.9 s). Under serve, in
        # one process: a fork would copy all that serve keeps, for a rebuild of a second or two.
        alone = one_process() if self.serving is not None else contextlib.nullcontext()
        _check_site_dir(project, Path(config.site_dir))
        try:
            _check_docs_dir(project, Path(config.docs_dir))
            with alone:
                self.site = build_site(
                    project,
                    self.memo,
                    defer=self._may_reuse(config, project),
                    directory_urls=config.use_directory_urls,
                )
            # The search aliases, made now (`pages` never reads them: see render.MadeWhenRead): made when
            # the index is written, they kept every study's view alive through the build (10,000 studies:
            # a cold build's peak 907 MB, against 776 MB).
            len(self.site.aliases)
            len(self.site.search_titles)
            for problem in self.site.warnings:  # (a strict build fails on them)
                _log.warning("%s: %s", problem.location, problem.message)
        except DataError as error:
            # MkDocs logs a message only once per process (its DuplicateFilter): under serve, the same
            # problems met again after a fix were shown as 'Aborted with a BuildError!' alone.
            when = f" (serve's build {self._builds})" if self.serving is not None else ""
            told = f"the survey's files have problems{when}:\n{error}"
            if self.serving is None or self._builds > 1:
                raise PluginError(told) from None
            # serve's first build: MkDocs would end `serve` here. It goes on without the generated pages,
            # and every address shows the problems (see on_serve) until a rebuild succeeds.
            _log.info(told)  # (a warning would end a --strict build all the same)
            self._first_failure = (epoch_now(), told)
            self.site = Site(pages={}, nav=[], files={}, title=config.site_name, description="", studies=())
        if self.command != "serve" and on_this_machine(config.site_url):
            _log.info(LOCAL_ADDRESS, config.site_url)  # (a warning would end a --strict build)
        if self.command != "serve":
            # The generator is done with it: kept now, before MkDocs holds every page, and let go,
            # the build's peak memory is the larger of the two instead of their sum.
            save_memo(self.memo, project.root)
            self.memo = None
        # Escaped, since the theme prints it as is in most places; marked as such, since in the logo's
        # tooltip it escapes it again ("A &amp;amp; B" for "A & B").
        config.site_name = Markup(self.site.site_name)
        config.site_description = self.site.site_description or config.site_description
        if self._builds == 1:  # (said once, not at every rebuild of serve)
            if config.nav is not None:
                _log.warning(OWN_NAV)
            _check_other_hosts(config)
        config.nav = self.site.nav
        _prune_a_large_nav(config, self.site.nav, told=self._builds == 1)
        with_repository_link(config.extra, self.site.repository)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # The folders of per-study files kept in place while MkDocs empties the site folder: under
        # serve, and for a build when its study pages may be reused (and it empties the folder at all).
        self._folders = self._site_record = self._config_file = None
        if self.serving is not None:
            self._folders = self.serving.folders
        else:
            root = self._project(config).root
            self._site_record = site_file(root, config.site_dir)
            self._config_file = self._reusable_config(config)  # read once: _kept_pages keys pages by it
            if not self.dirty and self._config_file is not None:
                self._folders = KeptFolders.load(kept_folders(), root, config.site_dir)
            else:  # a build that may change them without a record; one stopped half-way left them aside
                self._forget_site()
                remove_aside(config.site_dir)
        if self._folders is not None:
            self._folders.set_aside(config.site_dir)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.site is not None
        serving, folders = self.serving, self._folders
        if folders is not None:
            folders.put_back(config.site_dir)
        self._files = files
        docs = Path(config.docs_dir)
        for file in [f for f in files if editors_file(posixpath.basename(f.src_uri))]:
            if file.abs_src_path is not None and Path(file.abs_src_path).is_relative_to(docs):
                files.remove(file)  # an editor's backup of a page ('about.md~') was published as it was
        if self._first_failure is not None:
            # Serve's first build, failed: every address shows the problems (see on_serve), and a hand
            # page's links to the generated pages, not made, would end serve in strict mode.
            for page in files.documentation_pages():
                files.remove(page)
        for path, source in asset_files(self._project(config).templates).items():
            if files.get_file_from_path(path) is None:  # a file of the docs folder wins
                files.append(File(path, _root_of(source, path), config.site_dir, config.use_directory_urls))
        studies = self._study_pages = frozenset(study_page(key) for key in self.site.studies)
        self._reusable = frozenset(self.site.pages.keys() - studies)
        built = self._built = self._kept_pages(config, files)
        added: list[File] = []
        pages, made = self.site.pages, self.site.files
        for path in dict.fromkeys([*pages, *made]):  # a file made wins over a page at the same path
            existing = files.src_uris.get(path)
            if existing is not None:  # e.g. content/pages/about.md, when the docs folder is content/pages
                files.remove(existing)
            if path in studies and built is not None and path not in made:
                added.append(built.file(config, path, pages, folders))  # deferred pages made if built
                continue
            text = made[path] if path in made else pages[path]
            if path in made and folders is not None:
                # Digested only in a kept folder (the site's whole downloads, megabytes, are not kept).
                key = partial(self._made_keys.key, path, text)
                added.append(folders.place(generated(config, path, text), key))
                continue
            inclusion = InclusionLevel.NOT_IN_NAV if path in studies else InclusionLevel.UNDEFINED
            added.append(File.generated(config, path, content=text, inclusion=inclusion))
        if folders is not None:  # each file written anew in the kept folders is a new file
            folders.make_way()
        self._made_keys.keep(again=serving is not None)
        if built is not None and serving is None and not self.dirty:  # a build: its pages shared with a child
            added = self._shared_out(config, built, added)
        for file in added:
            files.append(file)
        if self._first_failure is None:  # (that build has none of the generated files)
            _check_extras(config, files)
            _add_sitemaps(config, files, studies)
        return files

    def _shared_out(self, config: MkDocsConfig, built: BuiltPages, added: list[File]) -> list[File]:
        """The files, after forking a child to build a share of the study pages to build when there
        are many (see build_split): each process's files hold the other's pages as written elsewhere."""
        share = child_share([file.src_uri for file in added if built.building(file.src_uri)])
        if not share:
            return added
        side = fork_share(config, share)
        if side is None:
            return added
        self._child, self._shared = (side, None) if isinstance(side, ChildBuild) else (None, side)
        mine = share if self._child else frozenset(file.src_uri for file in added) - share
        other = [built.building(file.src_uri) and file.src_uri not in mine for file in added]
        return [built.elsewhere(config, f) if o else f for f, o in zip(added, other, strict=True)]

    def _kept_pages(self, config: MkDocsConfig, files: Files) -> BuiltPages | None:
        """The study pages built before, started for this build; None when none may be reused."""
        assert self.site is not None
        project = self._project(config)
        overrides = [project.templates / "overrides", OVERRIDES]
        overrides += [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
        if self.serving is not None:
            self.serving.built.start(config, overrides)
            return self.serving.built
        raw = self._config_file  # see on_pre_build
        if raw is None:
            return None
        config_file = raw.decode("utf-8", errors="replace")
        built = BuiltPages.load(project.root)
        paths = {*files.src_uris, *self.site.pages, *self.site.files}
        built.start(config, overrides, lasting_parts(config_file, paths), raw)
        self._warnings = WarningCount()
        logging.getLogger("mkdocs").addHandler(self._warnings)
        return built

    def _may_reuse(self, config: MkDocsConfig, project: Project) -> bool:
        """Whether this build may reuse the HTML of study pages built before (under serve, or a build
        whose configuration allows it, with the HTML of a build before kept): then a study page the
        Memo knows is rendered only if MkDocs must build it (see on_files). Else every page is built,
        and rendered beforehand, shared with a forked child."""
        if self.serving is not None:
            return True
        return (
            not self.dirty and built_file(project.root).exists() and self._reusable_config(config) is not None
        )

    @staticmethod
    def _reusable_config(config: MkDocsConfig) -> bytes | None:
        """The configuration file's bytes, when a build's study pages may be reused by the next build
        (see reusable_across_builds); else None."""
        try:
            raw = Path(config.config_file_path).read_bytes()
        except (OSError, TypeError):  # no file (a configuration made in code): nothing to key it by
            return None
        return raw if reusable_across_builds(config, raw.decode("utf-8", errors="replace")) else None

    def _forget_site(self) -> None:
        """Remove the record of the site folder's kept files, if any (see KeptFolders.load)."""
        if self._site_record is not None:
            with contextlib.suppress(OSError):  # then the next build does not use it either
                self._site_record.unlink(missing_ok=True)

    def _stop_counting(self) -> None:
        """The end of a build's reuse of kept pages: its warnings no longer counted, its pages let go."""
        if self._warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self._warnings)
        self._built = self._warnings = None

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav = nav
        if self.serving is not None:  # every plugin has added its files by now
            self.serving.converted.start(self.serving.built.site, files)
        return nav

    @event_priority(-100)  # the Markdown as converted, after every other plugin changed it
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.serving is not None and page.file.src_uri in self._reusable:
            self.serving.converted.page_read(page, markdown)
        if self._child is not None and page.file.src_uri not in self._child.paths:
            return ""  # a page the child does not build: not converted there either
        return markdown

    @event_priority(100)  # the HTML as converted, before any other plugin changes it
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.serving is not None:
            self.serving.converted.page_converted(page)
        return html

    @event_priority(-100)  # the environment as every other plugin left it: a child builds with it
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self._built is not None and self.site is not None:
            self._built.restore_search(config, self._study_pages)
        serving = self.serving
        if serving is not None:
            serving.templates.start(serving.built.site)
            env.bytecode_cache = serving.templates
            serving.converted.index_with_kept(config)
        report_failures(env, Path(config.config_file_path).parent)
        self._env = env
        if self._child is not None:  # the child builds its pages and leaves the process, whatever happens
            if self._built is None or self._nav is None:
                self._child.leave()
            self._child.build(config, files, self._nav, env, self._built.made)
        return env

    @event_priority(-100)  # after the search plugin has read the page
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        if self._built is not None:
            self._built.page_indexed(config, page)
        return context

    @event_priority(-100)  # the finished HTML, after every other plugin
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self._built is not None:
            self._built.page_built(page, output)
        return output

    @event_priority(50)  # before the search plugin writes its index: the child's pages' entries go in it
    def _on_post_build_shared(self, *, config: MkDocsConfig) -> None:
        self._collect_shared(config)
        if self._files is not None:
            index_in_page_order(config, self._files, self._study_pages)
        if self.site is not None and self._files is not None:
            index_aliases(config, self._files, self.site.aliases)
            index_study_titles(config, self._files, self.site.search_titles)

    def _on_post_build(self, *, config: MkDocsConfig) -> None:
        """What this build keeps for the next one (at the usual priority, after the shared pages came in)."""
        if self.command != "serve":  # a build saved its memo after the generator ran
            if self._built is not None and self._warnings is not None:
                self._built.prune(self._study_pages, clean=self._warnings.clean)
                self._built.save(self._project(config).root)
                if self._built.reused:
                    _log.info(
                        "surveysite: %d of %d study pages unchanged since the last build, not built again",
                        self._built.reused,
                        len(self._study_pages),
                    )
            if self._folders is not None and self._files is not None:
                self._folders.finish(config.site_dir, self._files)
                self._folders.save(self._project(config).root, config.site_dir)
            self._folders = None
            self._stop_counting()
            return
        if self.memo is None:
            return
        self.memo.prune()  # kept in memory only: drop what this build no longer used, so it stays flat
        serving = self.serving
        if serving is None:
            return
        clean = serving.converted.finish(set(self._reusable))
        if self.site is not None:
            serving.built.prune(self._study_pages, clean)
        if self._files is not None:
            serving.folders.finish(config.site_dir, self._files)
        # The build before this one (its pages, navigation and files, which hold one another in cycles)
        # is garbage now: freed soon rather than when Python's collector next walks its oldest
        # objects, which it does only once they have grown by a quarter. Until then the server held one
        # or two builds more: at 1,000 studies its memory after an edit moved between 227 and 250 MB
        # from edit to edit (once 291), where with this it stays within 233-236 MB. The walk takes
        # 0.04-0.09 s there: it runs a moment after the build, since the server answers no request
        # until the build has returned (the edited page would wait for the walk).
        self._collection.later()

    on_post_build = CombinedEvent(_on_post_build_shared, _on_post_build)

    def _collect_shared(self, config: MkDocsConfig) -> None:
        """The study pages a child built: logged, kept and indexed here; built here if it failed."""
        shared = self._shared
        if shared is None or self._built is None:
            return
        sent = shared.collect()
        self._shared = None  # only now: an interrupted collect leaves the child for on_shutdown to stop
        taken: set[str] = set()
        if sent is not None:
            made, records = sent
            log_again(records)
            taken = self._built.adopt(config, made)
        shared.delivered = frozenset(taken)
        missing = shared.paths - taken
        if missing and self.site is not None and self._files is not None and self._nav is not None:
            build_here(config, self._files, self._nav, self._env, self.site.pages, frozenset(missing))

    def _stop_sharing(self) -> None:
        """A build that failed or stopped half-way: a child that has not built its pages leaves, and
        here the child is stopped."""
        if self._child is not None:
            self._child.leave()
        if self._shared is not None:
            self._shared.stop()
            self._shared = None

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_sharing()
        if self._folders is not None:  # nothing in the site folder is trusted
            self._folders.failed()
            self._folders = None
        self._forget_site()  # a strict build fails after it wrote its site and the record
        if self.serving is None:  # a build keeps nothing of a failed one
            self._stop_counting()
        else:
            self.serving.converted.failed()
            self.serving.built.failed()

    def on_shutdown(self) -> None:
        self._collection.cancel()
        self._stop_sharing()
        if self._folders is not None:  # a build stopped half-way may have left its folders set aside
            self._folders.failed()
            self._folders = None
        if self.serving is None:
            self._stop_counting()  # a build stopped half-way may have left its warning count attached

    # Last: a plugin that passes `builder` to server.watch must do so before the builder is wrapped.
    @event_priority(-100)
    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        project = self._project(config)
        ProjectFolders(server, project.root, (project.bib, project.content, project.templates)).start()
        failed = FailedBuilds()  # a failed rebuild shown in the browser, not a preview that hangs
        if self._first_failure is not None:  # serve's first build, made without the generated pages
            failed.failure, self._first_failure = self._first_failure, None
            _log.warning(SHOWN)
        server.builder = failed.builder(server.builder)
        server.set_app(failed.app(server.get_app()))
        return server


def kept_folders() -> tuple[str, ...]:
    """The site folders that hold one file per study: its page and its download."""
    return (posixpath.dirname(study_page("key")), posixpath.dirname(study_ris("key")))  # site paths: '/'


def _root_of(source: Path, path: str) -> str:
    """The folder that `path` (a site path) is relative to, given the file's full path."""
    return str(source)[: -len(path)].rstrip("/") or "/"


def supply_requirements(config: MkDocsConfig, project: Project) -> None:
    """Add to the configuration what the generated pages need; fail clearly on what cannot be added."""
    if config.theme.name != THEME:
        raise PluginError(
            f"surveysite needs the Material for MkDocs theme, found '{config.theme.name}'; "
            f"in mkdocs.yml set:\ntheme:\n  name: {THEME}"
        )
    for name, options in MARKDOWN_EXTENSIONS.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
        if options:
            config.mdx_configs[name] = extension_options(name, config.mdx_configs.get(name))
    dirs = config.theme.dirs
    at = 1 if config.theme.custom_dir else 0
    own = project.templates / "overrides"
    for folder in ([str(own)] if own.is_dir() else []) + [str(OVERRIDES)]:
        if folder not in dirs:
            dirs.insert(at, folder)
            at += 1
    # The package's own stylesheets and scripts first, those mkdocs.yml names after them: a rule of the
    # survey's own stylesheet wins over the package's of the same weight, as its README promises (a
    # maintainer's trial found its table font size lost to extra.css, listed after it).
    own_sheets = [sheet for sheet in config.extra_css if sheet not in (*STYLESHEETS, COLOURS_CSS)]
    config.extra_css[:] = [*STYLESHEETS, COLOURS_CSS, *own_sheets]
    own_scripts = [script for script in config.extra_javascript if str(script) not in SCRIPTS]
    config.extra_javascript[:] = [*map(config_options.ExtraScriptValue, SCRIPTS), *own_scripts]


# Material draws the whole navigation on every page: a taxonomy of 2,020 nodes made a site of 2.0 GB in
# 221 s (a review's finding). Past this many entries the theme's 'navigation.prune' is turned on, which
# draws only what a page's own place shows (385 MB, 56 s); a smaller navigation is left as it is, every
# section of it opening in place.
PRUNED_FROM = 200
PRUNED = (
    "the navigation has %d entries: the theme's navigation.prune is on, so that each page draws only its "
    "own part of it (add navigation.prune, or navigation.expand, to mkdocs.yml's theme features to choose)"
)


def _prune_a_large_nav(config: MkDocsConfig, nav: list[Any], told: bool) -> None:
    if config.theme.name != "material":
        return
    entries = _entries(nav)
    features = list(config.theme["features"] or []) if "features" in config.theme else []
    if entries <= PRUNED_FROM or "navigation.prune" in features or "navigation.expand" in features:
        return
    config.theme["features"] = [*features, "navigation.prune"]
    if told:
        _log.info(PRUNED, entries)


def _entries(nav: list[Any]) -> int:
    """How many entries a navigation of MkDocs's form holds ('Title: page.md', sections of such)."""
    count = 0
    for item in nav:
        count += 1
        for value in item.values() if isinstance(item, dict) else ():
            count += _entries(value) if isinstance(value, list) else 0
    return count


# The project's folders that hold what its maintainers wrote, besides those the generator reads.
_OWN_FOLDERS = ("scripts", "tests", "src", ".github", ".git")


def _check_site_dir(project: Project, site_dir: Path) -> None:
    """MkDocs empties site_dir before it builds: a data-safety trial's `mkdocs build -d bib` deleted the
    survey's BibTeX, exit 0 (MkDocs refuses only a site_dir that holds docs_dir). A site_dir that is one
    of the project's own folders, or within one, is refused before anything is removed."""
    site = Path(os.path.realpath(site_dir))
    for folder in (
        project.bib,
        project.content,
        project.templates,
        *(project.root / f for f in _OWN_FOLDERS),
    ):
        own = Path(os.path.realpath(folder))
        if site == own or own in site.parents:
            where, named = "within" if site != own else "which is", os.path.relpath(folder, project.root)
            raise PluginError(
                f"site_dir is {site_dir}, {where} the project's folder {named}/; "
                "MkDocs empties site_dir before it builds: choose another (the default is site/)"
            )


def _check_docs_dir(project: Project, docs_dir: Path) -> None:
    """MkDocs publishes every file of docs_dir, following links: when it is not content/pages (which
    the generator checks with the data), it is held to the same rules. Raises DataError."""
    pages = project.content / "pages"
    if docs_dir.resolve() == pages.resolve() and not pages.is_symlink():
        return
    problems = Problems()
    root, folder = Path(os.path.abspath(project.root)), Path(os.path.abspath(docs_dir))
    check_published_files(root, folder, problems, pages_here=False)
    if problems:
        raise DataError(problems.sorted())
