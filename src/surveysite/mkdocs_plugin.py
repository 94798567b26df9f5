"""MkDocs adapter: adds the generated pages and navigation, and watches the data under `serve`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .build import Project, build_site
from .cache import Memo, load_memo, save_memo
from .problems import DataError
from .render import Site


class SurveySiteConfig(Config):
    """Plugin options in mkdocs.yml."""

    edit_url = config_options.Type(str, default="")


class SurveySitePlugin(BasePlugin[SurveySiteConfig]):
    """Generates the survey's pages from bib/, content/ and templates/."""

    site: Site | None = None
    memo: Memo | None = None
    command: str = "build"

    def _project(self, config: MkDocsConfig) -> Project:
        return Project.at(Path(config.config_file_path).parent, edit_url=self.config.edit_url)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this plugin alive across the rebuilds of `mkdocs serve`,
        # and with it the memo: a rebuild after one edit reuses every unchanged result.
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        project = self._project(config)
        if self.memo is None:
            self.memo = load_memo(project.root)
        try:
            self.site = build_site(project, self.memo)
        except DataError as error:
            raise PluginError(f"the survey data has problems:\n{error}") from None
        config.nav = self.site.nav
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.site is not None
        for path, text in {**self.site.pages, **self.site.files}.items():
            files.append(File.generated(config, path, content=text))
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.command != "serve" and self.memo is not None:
            save_memo(self.memo, self._project(config).root)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        project = self._project(config)
        for folder in (project.bib, project.content, project.templates):
            server.watch(str(folder))
        return server
