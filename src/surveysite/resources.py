"""The files surveysite ships: default page templates, theme overrides, stylesheets, scripts, new projects.

A project's own `templates/` folder overrides any of them file by file: `templates/<name>.md.j2`,
`templates/overrides/<name>.html` and `templates/assets/<path>`.
"""

from __future__ import annotations

from pathlib import Path

DEFAULTS = Path(__file__).resolve().parent / "defaults"
TEMPLATES = DEFAULTS / "templates"
OVERRIDES = DEFAULTS / "overrides"
ASSETS = DEFAULTS / "assets"
PROJECT = DEFAULTS / "project"
THEME = "material"
# Overrides written for MkDocs's template context, which other builders do not give (Zensical stops
# on sitemap.xml's undefined values): the export leaves them out, and each builder writes its own.
MKDOCS_ONLY_OVERRIDES = ("sitemap.xml",)  # the MkDocs theme the templates and overrides are written for
STYLESHEETS = ("stylesheets/extra.css",)
SCRIPTS = ("javascripts/matrix.js", "javascripts/accessibility.js", "javascripts/reading.js")
# What the generated Markdown needs, with the options surveysite sets when mkdocs.yml gives none.
MARKDOWN_EXTENSIONS: dict[str, dict[str, object]] = {
    "toc": {"permalink": True},
    "tables": {},
    "admonition": {},
    "md_in_html": {},
    "pymdownx.highlight": {"pygments_lang_class": True},  # a block names its language: BibTeX wraps
    "pymdownx.superfences": {},
}


def extension_options(name: str, own: object) -> dict[str, object]:
    """The options of one of MARKDOWN_EXTENSIONS as a project's build gets them: the pages' own, and the
    project's (`own`, if it gives that extension options), which win (the plugin's and the export's)."""
    return {**MARKDOWN_EXTENSIONS[name], **(own if isinstance(own, dict) else {})}


def template_dirs(project_templates: Path) -> list[Path]:
    """Where page templates are looked up, first match wins: the project's folder, then the defaults."""
    return [project_templates, TEMPLATES] if project_templates.is_dir() else [TEMPLATES]


def editors_file(name: str) -> bool:
    """Whether a file is one an editor keeps beside the user's, never part of the site: hidden ('.name':
    Emacs's lock '.#name', a link to nowhere, while a change is unsaved; Vim's swap '.name.swp'), an
    auto-save ('#name#') or a backup ('name~'). Every folder of a project leaves them out, as MkDocs
    leaves out hidden files: a maintainer's unsaved edit stopped `check`, and every page of `serve`."""
    return name.startswith((".", "#")) or name.endswith("~")


def asset_files(project_templates: Path) -> dict[str, Path]:
    """Every static file of the site by its path in the site: the project's own, else the default."""
    found: dict[str, Path] = {}
    for folder in (ASSETS, project_templates / "assets"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not editors_file(path.name):
                    found[path.relative_to(folder).as_posix()] = path
    return dict(sorted(found.items()))


def packaged_files() -> list[Path]:
    """Every file the package ships besides its code, in a stable order (for cache keys)."""
    return sorted(p for p in DEFAULTS.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
