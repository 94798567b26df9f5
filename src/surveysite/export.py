"""Export: the generated site as a standalone project that MkDocs, ProperDocs and Zensical build.

The MkDocs plugin hands the generated pages to MkDocs while it builds; `export` hands the same
pages, from the same `build_site`, to any builder that reads mkdocs.yml, as files in a folder:

    mkdocs.yml        the project's own settings without the surveysite plugin, plus the full
                      navigation and what the pages need (Markdown extensions, theme, CSS, scripts)
    properdocs.yml    `INHERIT: mkdocs.yml`, the file name ProperDocs looks for first
    docs/             every generated page and file, the static assets and the project's docs_dir
    overrides/        the theme overrides (theme.custom_dir)
"""

from __future__ import annotations

import html.entities
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import resources
from .build import Project
from .paths import COLOURS_CSS, STUDIES
from .problems import DataError, Problem
from .proposals import with_repository_link
from .render import Site
from .resources import ASSETS, MARKDOWN_EXTENSIONS, SCRIPTS, STYLESHEETS, THEME, extension_options
from .siteconfig import (
    CONFIG_FILE,
    SiteConfig,
    dump_site_config,
    on_this_machine,
    read_site_config,
    resolve_env,
)

PROPERDOCS_FILE = "properdocs.yml"
DOCS = "docs"
OVERRIDES = "overrides"
PLUGIN = "surveysite"
HEADER = """Written by `surveysite export` from the project's mkdocs.yml; replaced on every export.
Build the site with any of: mkdocs build | properdocs build | zensical build"""
# Settings the export writes itself, or drops because they name places in the project, not in DIR.
REPLACED = ("docs_dir", "site_dir", "nav", "watch")


def engine_site_name(title: str) -> str:
    """The survey's title as an exported project's site_name.

    The theme prints site_name as it is in text and in double-quoted attributes (the page's title, the
    header, the logo's aria-label), and escaped once more in the logo's tooltip (`| e`). The plugin
    marks its escaped name as safe (see mkdocs_plugin.on_config); an exported mkdocs.yml can only give
    text. So it is escaped only where as it is it would be read as markup: '<', '"', and an '&' that
    starts a character reference. The tooltip then shows "R&D's Agents > Tools" as typed (it showed
    "R&amp;amp;D&amp;#x27;s ..." fully escaped); a '<', a '"' or such an '&' still shows there as an
    entity, which no text in mkdocs.yml can avoid."""
    first, *rest = " ".join(title.split()).split("&")
    text = "&".join([first, *("amp;" + part if _starts_reference(part) else part for part in rest)])
    return text.replace("<", "&lt;").replace('"', "&quot;")


def _starts_reference(text: str) -> bool:
    """Whether text after an '&' makes it the start of a character reference: a '#' or a name of HTML's
    table (most end in ';', the oldest need not: "&copy")."""
    return text.startswith("#") or any(text.startswith(name) for name in html.entities.html5)


def asset_folders(project: Project) -> list[Path]:
    """The folders of static files the generated pages need, a later one's file winning: the packaged
    stylesheets and scripts, then the project's own (as the plugin serves them)."""
    return [ASSETS, project.templates / "assets"]


def overrides_folders(project: Project) -> list[Path]:
    """The theme overrides the generated pages need: the packaged ones, then the project's own."""
    return [resources.OVERRIDES, project.templates / "overrides"]


def page_config() -> dict[str, Any]:
    """The site settings the generated pages need (the ones the plugin supplies to MkDocs)."""
    return {
        "theme": {"name": THEME},
        "markdown_extensions": [
            {name: dict(options)} if options else name for name, options in MARKDOWN_EXTENSIONS.items()
        ],
        "extra_css": [*STYLESHEETS, COLOURS_CSS],
        "extra_javascript": list(SCRIPTS),
        "not_in_nav": f"/{STUDIES}/\n",
    }


def local_address(config: SiteConfig) -> str | None:
    """The address mkdocs.yml's site_url gives a build made now, where it is on this machine (as its
    default is while SITE_URL is not set); None otherwise. An engines trial built an export for
    127.0.0.1 without a word: the plugin's build says so, no other builder does."""
    address = resolve_env(config.settings.get("site_url"))
    return address if isinstance(address, str) and on_this_machine(address) else None


def read_project_config(project: Project) -> SiteConfig:
    """The project's mkdocs.yml; raises DataError if it is missing or not a mapping of settings."""
    return read_site_config(project.root / CONFIG_FILE, CONFIG_FILE)


def with_plugin_options(project: Project, config: SiteConfig) -> Project:
    """The project with the surveysite plugin's options from mkdocs.yml where the command line gave none."""
    if project.edit_url is not None:
        return project
    options = _plugin_options(config.settings.get("plugins"))
    edit_url = resolve_env(options.get("edit_url")) if isinstance(options, dict) else None
    return Project.at(project.root, project.templates, edit_url if isinstance(edit_url, str) else None)


def own_folders(project: Project, config: SiteConfig) -> list[Path]:
    """The project's own folders the export copies: its docs_dir and theme.custom_dir, where there are."""
    return [*_project_folder(project, config, "docs_dir"), *_project_folder(project, config, "theme")]


def export_tree(project: Project, config: SiteConfig, site: Site) -> dict[str, str | bytes]:
    """Every file of the exported project, by its path in DIR."""
    settings = exported_settings(config, site)
    files: dict[str, str | bytes] = {
        CONFIG_FILE: dump_site_config(settings, HEADER),
        PROPERDOCS_FILE: f"INHERIT: {CONFIG_FILE}\n",
    }
    docs = _folder_files([*asset_folders(project), *_project_folder(project, config, "docs_dir")])
    # As in the plugin: a generated page replaces a docs_dir file of the same name (content/pages/about.md
    # when docs_dir is content/pages), and a docs_dir file replaces an asset.
    # (The search's identifiers too: the header search reads them only with the plugin's index, which
    # holds the keys, but the tables' text filter reads them on any engine: see matrix.js.)
    generated = {**site.pages, **site.files}
    files.update(
        {f"{DOCS}/{name}": path.read_bytes() for name, path in docs.items() if name not in generated}
    )
    files.update({f"{DOCS}/{name}": text for name, text in generated.items()})
    overrides = [*overrides_folders(project), *_project_folder(project, config, "theme")]
    files.update(
        {
            f"{OVERRIDES}/{n}": p.read_bytes()
            for n, p in _folder_files(overrides).items()
            if n not in resources.MKDOCS_ONLY_OVERRIDES
        }
    )
    return files


def exported_settings(config: SiteConfig, site: Site) -> dict[str, Any]:
    """The exported mkdocs.yml: the project's settings without the plugin, plus what the pages need."""
    _check_shapes(config)
    needed = page_config()
    settings = {k: v for k, v in config.settings.items() if k not in REPLACED}
    settings["docs_dir"] = DOCS
    theme = settings.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    settings["theme"] = {**needed["theme"], **theme, "custom_dir": OVERRIDES}
    if "plugins" in settings:
        settings["plugins"] = _without_plugin(settings["plugins"])
    settings["markdown_extensions"] = _extensions(settings.get("markdown_extensions"), needed)
    for key in ("extra_css", "extra_javascript"):
        # The project's own after the package's, so that its rules win over theirs: see the plugin.
        settings[key] = _union(needed[key], _as_list(settings.get(key)))
    patterns = str(settings.get("not_in_nav") or "").splitlines()
    settings["not_in_nav"] = "".join(f"{p}\n" for p in _union(patterns, needed["not_in_nav"].splitlines()))
    settings["nav"] = site.nav
    settings["site_name"] = engine_site_name(site.title)  # the survey's identity is in survey.yaml
    if site.site_description:
        settings["site_description"] = site.site_description
    if site.repository:  # (the plugin adds the repository's link in a build)
        with_repository_link(settings.setdefault("extra", {}), site.repository)
    return settings


def _check_shapes(config: SiteConfig) -> None:
    """Raise DataError for each setting the export merges that has a shape MkDocs would refuse too."""
    shapes = {
        "theme": ((str, dict), "a theme name or a mapping"),
        "plugins": ((list, dict), "a list or a mapping of plugins"),
        "markdown_extensions": ((list,), "a list of extensions"),
        "extra_css": ((list,), "a list of paths"),
        "extra_javascript": ((list,), "a list of paths"),
        "not_in_nav": ((str,), "lines of path patterns"),
    }
    problems = [
        Problem(config.where(key), f"'{key}' should be {expected}; found {type(value).__name__}")
        for key, (types, expected) in shapes.items()
        if (value := config.settings.get(key)) is not None and not isinstance(value, types)
    ]
    if "INHERIT" in config.settings:
        message = "INHERIT is not supported by export; copy the inherited settings into this file"
        problems.append(Problem(config.where("INHERIT"), message))
    if problems:
        raise DataError(problems)


def _plugin_options(plugins: Any) -> Any:
    if isinstance(plugins, dict):
        return plugins.get(PLUGIN)
    for entry in plugins if isinstance(plugins, list) else ():
        if isinstance(entry, dict) and PLUGIN in entry:
            return entry[PLUGIN]
    return None


def _without_plugin(plugins: Any) -> Any:
    if isinstance(plugins, dict):
        return {name: options for name, options in plugins.items() if name != PLUGIN}
    if isinstance(plugins, list):
        return [e for e in plugins if e != PLUGIN and not (isinstance(e, dict) and PLUGIN in e)]
    return plugins


def _extension_name(entry: Any) -> Any:
    return next(iter(entry)) if isinstance(entry, dict) and len(entry) == 1 else entry


def _extensions(declared: Any, needed: Mapping[str, Any]) -> list[Any]:
    """The project's Markdown extensions, each with the options the pages need that it does not set
    (its own win, as in the plugin's supply_requirements), then each needed one it lacks."""
    entries = []
    for entry in _as_list(declared):
        name = str(_extension_name(entry))
        if MARKDOWN_EXTENSIONS.get(name):
            entry = {name: extension_options(name, entry[name] if isinstance(entry, dict) else None)}
        entries.append(entry)
    names = {str(_extension_name(e)) for e in entries}
    return entries + [e for e in needed["markdown_extensions"] if str(_extension_name(e)) not in names]


def _union(first: Iterable[Any], second: Iterable[Any]) -> list[Any]:
    merged: list[Any] = []
    for item in [*first, *second]:
        if item not in merged:
            merged.append(item)
    return merged


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [] if value is None else [value]


def _project_folder(project: Project, config: SiteConfig, key: str) -> list[Path]:
    """The project's own docs_dir or theme.custom_dir (as MkDocs finds them: docs_dir defaults to docs)."""
    value = config.settings.get(key)
    if key == "theme":
        value = value.get("custom_dir") if isinstance(value, dict) else None
    elif value is None and (project.root / "docs").is_dir():
        value = "docs"
    value = resolve_env(value)
    if not isinstance(value, str) or not value:
        return []
    try:
        folder = (project.root / value).resolve()
        inside = folder.is_relative_to(project.root.resolve()) and folder.is_dir()
    except (OSError, ValueError):  # a NUL byte in the name, or a name too long for the system
        inside = False
    if not inside:  # the export copies the folder whole: never one from elsewhere on the machine
        where = config.where(key)
        shown = value if len(value) <= 60 else value[:57] + "..."
        raise DataError([Problem(where, f"{key} '{ascii(shown)[1:-1]}' is not a folder of the project")])
    return [folder]


def _folder_files(folders: list[Path]) -> dict[str, Path]:
    """Every file under the folders by its path inside them, but editors' (resources.editors_file); a
    later folder's file wins."""
    files: dict[str, Path] = {}
    for folder in dict.fromkeys(f.resolve() for f in folders):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not resources.editors_file(path.name):
                    files[path.relative_to(folder).as_posix()] = path
    return files
