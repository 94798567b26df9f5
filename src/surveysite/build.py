"""The pipeline: load bibliography, taxonomy and studies, validate, build the catalog, render."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .bibliography import load_bibliography
from .cache import Memo
from .catalog import build_catalog
from .model import Catalog
from .problems import DataError, Location, Problem, Problems
from .render import HandPage, Site, render_site
from .resources import template_dirs
from .studies import load_studies
from .survey import Survey, check_survey, load_survey
from .taxonomy import load_taxonomy
from .validate import validate
from .yamlfile import read_text

INTRO_PAGE = "index.md"
RESERVED_PAGES = ("matrix.md", "whats-new.md")


@dataclass(frozen=True)
class Project:
    """Where a survey project keeps its data, and its own templates overriding the packaged ones."""

    root: Path
    templates: Path
    edit_url: str | None = None

    @classmethod
    def at(cls, root: Path, templates: Path | None = None, edit_url: str | None = None) -> Project:
        """The project rooted at a folder (its own templates, if any, in <root>/templates unless given).

        `edit_url` is where the repository's files are edited, e.g.
        https://github.com/ORG/REPO/edit/main/; study pages then link to their data file.
        """
        root = root.resolve()
        return cls(root, (templates or root / "templates").resolve(), edit_url or None)

    @property
    def bib(self) -> Path:
        """The folder of .bib files."""
        return self.root / "bib"

    @property
    def content(self) -> Path:
        """The folder of taxonomy, study files and hand-written pages."""
        return self.root / "content"


def check(project: Project, memo: Memo | None = None) -> list[Problem]:
    """Every problem in the project's data, ordered by file and line; empty when clean."""
    problems = Problems()
    _load(project, problems, Memo() if memo is None else memo)
    return problems.sorted()


def load_catalog(project: Project, memo: Memo | None = None) -> Catalog:
    """The project's catalog; raises DataError listing every problem if the data has any."""
    return _loaded(project, Memo() if memo is None else memo)[0]


def _loaded(project: Project, memo: Memo) -> tuple[Catalog, Survey]:
    problems = Problems()
    loaded = _load(project, problems, memo)
    if loaded is None:
        raise DataError(problems.sorted())
    return loaded


def build_site(project: Project, memo: Memo | None = None) -> Site:
    """Load, validate and render the whole site; raises DataError if the data has problems.

    With a Memo from an earlier build, unchanged files, references and pages are reused.
    """
    memo = Memo() if memo is None else memo
    memo.start_build()
    catalog, survey = _loaded(project, memo)
    problems = Problems()
    hand_pages, intro = _hand_pages(project, problems)
    if problems:
        raise DataError(problems.sorted())
    dirs = template_dirs(project.templates)
    return render_site(catalog, survey, dirs, hand_pages, intro, project.edit_url, memo)


def _load(project: Project, problems: Problems, memo: Memo) -> tuple[Catalog, Survey] | None:
    for folder in (project.bib, project.content / "studies"):
        if not folder.is_dir():
            problems.add(Location(folder.relative_to(project.root).as_posix(), 1), "folder is missing")
    records = load_bibliography(project.root, project.bib, problems, memo)
    taxonomy = load_taxonomy(project.root, project.content / "taxonomy.yaml", problems)
    annotations, study_files = load_studies(project.root, project.content / "studies", problems, memo)
    validate(taxonomy, records, annotations, study_files, problems)
    survey = load_survey(project.root, problems)
    check_survey(survey, taxonomy, annotations, problems)
    return None if problems else (build_catalog(taxonomy, records, annotations, memo), survey)


def _hand_pages(project: Project, problems: Problems) -> tuple[list[HandPage], str]:
    pages, intro = [], ""
    for path in sorted((project.content / "pages").glob("*.md")):
        shown = path.relative_to(project.root).as_posix()
        text = read_text(path, shown, problems, 1_000_000)
        if text is None:
            continue
        if path.name == INTRO_PAGE:
            intro = text.strip()
            continue
        if path.name in RESERVED_PAGES:
            problems.add(Location(shown, 1), f"'{path.name}' is generated; choose another file name")
            continue
        heading = re.search(r"^# (.+)$", text, re.MULTILINE)
        if heading is None:
            problems.add(Location(shown, 1), "the page needs a '# Title' heading")
            continue
        pages.append(HandPage(path.name, heading.group(1).strip(), text))
    return pages, intro
