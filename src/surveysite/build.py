"""The pipeline: load bibliography, taxonomy and studies, validate, build the catalog, render."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from .bibliography import BibRecord
from .cache import Memo
from .catalog import build_catalog
from .files import check_tree, folder_files, read_text_and_bytes, refusal, shown_path
from .formatting import layout_problems
from .issueform import check_guide, check_issue_form
from .loading import load_sources
from .model import Catalog, Taxonomy
from .output import Seen, unchanged
from .pages import HandPage, check_published_files, load_pages
from .paths import (
    COLOURS_CSS,
    STUDIES,
    address,
    claim_addresses,
    class_download,
    class_ris,
    node_feed,
    study_ris,
    table_files,
)
from .problems import DataError, Location, Problem, Problems
from .published import (
    Moves,
    check_published,
    keeps_record,
    moves,
    page_addresses,
    read_moves,
    record_published,
    redirect_files,
)
from .render import Site, render_site
from .rendered import Link
from .resources import asset_files, template_dirs
from .rules import check_edition_count, check_rules
from .siteconfig import CONFIG_FILE, read_site_config
from .sitelinks import check_links
from .survey import SURVEY_FILE, Survey, check_survey, load_survey
from .taxonomy import load_taxonomy
from .templating import check_templates
from .validate import check_added_dates, check_own_addresses, check_years, validate


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
        # The project's own templates folder is not resolved: if it is a link, the checks refuse it.
        return cls(root, templates.resolve() if templates else root / "templates", edit_url or None)

    @property
    def bib(self) -> Path:
        """The folder of .bib files."""
        return self.root / "bib"

    @property
    def content(self) -> Path:
        """The folder of taxonomy, study files and hand-written pages."""
        return self.root / "content"


@dataclass(frozen=True)
class Loaded:
    """Everything read from a project whose data has no problems."""

    catalog: Catalog
    survey: Survey
    hand_pages: list[HandPage]
    intro: str


def check(project: Project, memo: Memo | None = None) -> list[Problem]:
    """Every problem (and warning) in the project's data, ordered by file and line; empty when clean."""
    problems = Problems()
    memo = Memo() if memo is None else memo
    records: list[BibRecord] = []  # every entry read, for the layout's check (see layout_problems)
    with collector_paused():
        loaded = _load(project, problems, memo, records_read=records)
    # The issue form is checked, not built (a stale one fails CI, not a preview), and is made of the
    # survey file and the taxonomy alone: checked whenever those two are sound, as all else is.
    survey = loaded.survey if loaded is not None else None
    if loaded is not None:
        check_issue_form(project.root, loaded.survey, loaded.catalog.taxonomy, problems)
        check_guide(project.root, loaded.survey, loaded.catalog.taxonomy, problems)
        # Like the issue form, checked and never built: a preview shows a renamed node's new page.
        check_published(project.root, _page_addresses(loaded), problems)
        if own_page_templates(project.templates):
            _check_rendering(project, loaded, memo, problems)
    elif not not_a_project(project):
        own = Problems()
        survey = load_survey(project.root, own)
        taxonomy = load_taxonomy(project.root, project.content / "taxonomy.yaml", own, memo)  # (read once)
        if not own:
            check_issue_form(project.root, survey, taxonomy, problems)
            check_guide(project.root, survey, taxonomy, problems)
            # A renamed node told with the studies' problems, not once they are mended (a review): the
            # addresses of the taxonomy, the study files and the hand pages, none of the unrecorded.
            have = _addresses_from_files(project, taxonomy, memo) if keeps_record(project.root) else None
            if have is not None:
                check_published(project.root, have, problems, unrecorded=False)
    # `init`'s example taxonomy and study still there, as `published` refuses them (an edge-case trial's
    # check said nothing of them, its pages written by init warned of): a warning, as for those pages.
    for name in init_examples(project):
        problems.warn(
            Location(name, 1),
            f"this is still `surveysite init`'s example (its first line says so: '{EXAMPLE_MARK.strip()} "
            "…'); replace it with your survey's own, and that line with it",
        )
    # The .bib files' layout, where the survey's rules ask for it (`format --check` tells the same): in
    # `check` alone, never in a build, so that a preview shows an entry pasted in as it is.
    if survey is not None and survey.rules.bib_layout:
        layout_problems(project.root, project.bib, problems, records, survey.tex_commands)
    return problems.sorted()


def site_directory_urls(root: Path) -> bool:
    """Whether the site's pages are served at folder addresses (mkdocs.yml's use_directory_urls, true
    by MkDocs's default, and when the file cannot be read: check and the build tell why, not this)."""
    path = root / CONFIG_FILE
    if refusal(root, path) is not None:
        return True
    try:
        return read_site_config(path, CONFIG_FILE).directory_urls
    except DataError:
        return True


def _page_addresses(loaded: Loaded) -> set[str]:
    """The site's page addresses (see published.page_addresses)."""
    keys = (study.key for study in loaded.catalog.studies)
    return page_addresses(loaded.catalog.taxonomy.nodes, keys, loaded.hand_pages)


def _addresses_from_files(project: Project, taxonomy: Taxonomy, memo: Memo) -> set[str] | None:
    """The page addresses of a project whose data has problems: its taxonomy's nodes, its study files'
    keys and its hand pages (read again, what the Memo keeps of them not rendered again); None when the
    study files or the hand pages cannot be listed or read, or have a problem."""
    own = Problems()
    folder = project.content / "studies"
    files = folder_files(project.root, folder, "*.yaml", own) if folder.is_dir() else []
    hand_pages, _ = load_pages(project.root, project.content / "pages", own, memo=memo)
    if own:
        return None
    return page_addresses(taxonomy.nodes, (path.stem for path in files), hand_pages)


def record_addresses(project: Project) -> tuple[int, list[Problem]]:
    """Add the site's page addresses to the project's record of those published (see published.py):
    how many were added, and the problems (with the warnings) that stopped it, or came with it."""
    problems = Problems()
    with collector_paused():
        loaded = _load(project, problems, Memo(keep=False))
    if loaded is None:
        return 0, problems.sorted()
    for name in init_examples(project):  # `init`'s example still there: its pages would be recorded
        problems.add(
            Location(name, 1),
            f"this is `surveysite init`'s example (its first line says so: '{EXAMPLE_MARK.strip()} …'); "
            "replace it with your survey's own, and that line with it, before recording the addresses "
            "the site publishes: the example's would be recorded",
        )
    if problems:  # (errors: see Problems.__bool__)
        return 0, problems.sorted()
    added = record_published(project.root, _page_addresses(loaded), problems)
    return added, problems.sorted()


def init_examples(project: Project) -> list[str]:
    """The files of `init`'s example (EXAMPLE_FILES) the project still holds, each as init wrote it."""
    found = []
    for name in EXAMPLE_FILES:
        path = project.root / name
        text = (
            read_text_and_bytes(project.root, path, Problems(), EXAMPLE_BYTES)[0] if path.is_file() else None
        )
        if text is not None and text.startswith(EXAMPLE_MARK):
            found.append(name)
    return found


# The files `surveysite init` writes as an example (see defaults/project), each starting EXAMPLE_MARK.
EXAMPLE_FILES = ("content/taxonomy.yaml", "content/studies/example2023study.yaml")
EXAMPLE_MARK = "# EXAMPLE "
EXAMPLE_BYTES = 1_000_000


def _check_rendering(project: Project, loaded: Loaded, memo: Memo, problems: Problems) -> None:
    """Render the site, to report what only rendering tells: a page template of the project's own can
    name what its pages do not hold ('study.summry'), which `pages` and a build would fail on."""
    dirs = template_dirs(project.templates)
    try:
        with collector_paused():
            render_site(
                loaded.catalog, loaded.survey, dirs, loaded.hand_pages, loaded.intro, project.edit_url, memo
            )
    except DataError as error:
        problems.extend(error.problems)


def own_page_templates(templates: Path) -> bool:
    """Whether the project's templates folder holds page templates of its own (*.md.j2)."""
    return templates.is_dir() and not templates.is_symlink() and any(templates.glob("*.md.j2"))


def load_catalog(project: Project, memo: Memo | None = None) -> Catalog:
    """The project's catalog; raises DataError listing every problem if the data has any."""
    return _load_or_raise(project, Memo() if memo is None else memo).catalog


def _load_or_raise(
    project: Project,
    memo: Memo,
    read: Mapping[str, str] | None = None,
    urls: Callable[[], bool] | None = None,
) -> Loaded:
    problems = Problems()
    loaded = _load(project, problems, memo, read, urls=urls)
    if loaded is None:
        raise DataError(problems.sorted())
    return loaded


def build_site(
    project: Project,
    memo: Memo | None = None,
    kept_in: Path | None = None,
    trusted: Mapping[str, tuple[Seen, str]] | None = None,
    read: Mapping[str, str] | None = None,
    defer: bool = False,
    directory_urls: bool | None = None,
) -> Site:
    """Load, validate and render the whole site; raises DataError if the data has problems.

    With a Memo from an earlier build, unchanged files, references and whole-catalog parts are
    reused, and pages too if the Memo lasts (serve's). With `kept_in`, the files that folder already
    holds are left out of the site (see render_site; `trusted`: what the last run wrote there).
    `read`: input files by path, each with the digest of its bytes as this run's stamp read them (see
    stamp.Inputs): a study file among them whose annotation the Memo keeps is not read again (see
    studies.kept_annotation). `defer`: study pages kept from an earlier build are made only when
    read (see render_site). `directory_urls`: the engine's use_directory_urls, which says where the
    pages at moved addresses go (see published.redirect_files) and where a link written as a folder
    leads (see sitelinks.check_links); None: mkdocs.yml's, read only if asked for.
    """
    memo = Memo(lasting=False) if memo is None else memo
    memo.start_build()
    with collector_paused():
        urls = (
            partial(site_directory_urls, project.root) if directory_urls is None else lambda: directory_urls
        )
        loaded = _load_or_raise(project, memo, read, urls)
        unmade = Problems()
        moved = read_moves(project.root, partial(_page_addresses, loaded), unmade)
        dirs = template_dirs(project.templates)
        site = render_site(
            loaded.catalog,
            loaded.survey,
            dirs,
            loaded.hand_pages,
            loaded.intro,
            project.edit_url,
            memo,
            kept_in,
            trusted,
            defer,
            moved.first,
            moved.renamed_nodes({node.path for node in loaded.catalog.taxonomy.nodes}),
        )
        return _with_redirects(site, kept_in, urls, moved, unmade)


def _with_redirects(
    site: Site, kept_in: Path | None, directory_urls: Callable[[], bool], moves: Moves, unmade: Problems
) -> Site:
    """The site with a page at each address the record moves (see published.redirect_files), at a
    moved node's feed the feed of the node it moves to (a feed reader follows no page's redirect) and
    at a moved study's RIS record the record of the study it moves to (a reference manager follows
    none either); compared with `kept_in` as the site's other files are (see render_site). `unmade`:
    the moves that cannot be made, and the record's lines that cannot be read, which the site warns of."""
    moved = {old: end for old, (end, _) in moves.ends.items()}
    if unmade:
        site = replace(site, warnings=(*site.warnings, *(replace(p, warning=True) for p in unmade.sorted())))
    sources = None if not moved or directory_urls() else {address(page): page for page in site.pages}
    made: dict[str, str | bytes] = {**redirect_files(moved, sources)}
    for old, new in moved.items():
        was, now = _followed_files(old), _followed_files(new)
        for kind in was.keys() & now.keys():  # (none of one kind for a study moved to a node)
            if was[kind] in site.files or was[kind] in site.encoded or was[kind] in site.kept:
                continue  # a file the site makes itself (a review's 'studies/ -> gamma/' took studies.bib)
            file = _made_file(site, kept_in, now[kind])
            if file is not None:
                made[was[kind]] = file
    if not made:
        return site
    if kept_in is None:
        return replace(site, files={**site.files, **made})
    compared = unchanged(kept_in, made)
    changed = {name: data for name, data in compared.items() if isinstance(data, bytes)}
    same = {name: seen for name, seen in compared.items() if isinstance(seen, tuple)}
    return replace(site, encoded={**site.encoded, **changed}, kept={**site.kept, **same})


def _followed_files(address: str) -> dict[str, str]:
    """The files readers' programs fetch for the page at `address`, by their kind, which a move keeps at
    the old address too where the page it moves to has one of that kind: a node's feed, a class's
    downloads (a maintainer's trial found /downloads/<class>.bib gone after the class was renamed),
    a study's RIS record. (A hand-written page's is a feed the site does not make, so nothing is kept
    for it; nor for a study moved to a node, or a node to a study: a review found a feed written where
    a RIS record was.)"""
    path = address.rstrip("/")
    if path.startswith(f"{STUDIES}/"):
        key = path.removeprefix(f"{STUDIES}/")
        return {"study record": study_ris(key)} if key and "/" not in key else {}
    if not path:
        return {}
    files = {"feed": node_feed(path)}
    if "/" not in path:  # a class's page
        files.update({"class BibTeX": class_download(path), "class RIS": class_ris(path)})
    return files


def _made_file(site: Site, kept_in: Path | None, path: str) -> str | bytes | None:
    """A file of the site as made, or as the output folder holds it when it was found unchanged there;
    None when the site has no such file."""
    made = site.files.get(path, site.encoded.get(path))
    if made is None and kept_in is not None and path in site.kept:
        with suppress(OSError):  # (compared just now, and found a regular file)
            made = (kept_in / path).read_bytes()
    return made


# While a build runs, the collector walks only what was made since its last walk (see collector_paused): a
# walk every this many objects made, none of the older ones. Fewer cost time (300,000: 0.2 s more of a
# 5.1 s cold run at 10,000 studies; this many, none measurable); the cycles dropped between two walks
# are what it can hold at most (a check of 1,000 titles of TeX: 250 MB, against 90 MB at 100,000).
YOUNG_WALK = 1_000_000
_NEVER = 1 << 30  # a collection count no run reaches


@contextmanager
def collector_paused(promote: bool = False) -> Iterator[None]:
    """Python's cyclic garbage collector kept to young objects while a build runs, and as before after.

    A build makes hundreds of thousands of objects that live until it ends (records, views, pages);
    each collection of the older generations walks all of them again, which took a tenth of a large
    build's time. Turned off altogether, though, it let the cycles a build drops pile up: pylatexenc
    defines a class each time it reads a group, and a class is a cycle (a review's 8,000 titles of
    TeX, 4.8 KB each, took `check` 7.5 GB; now 0.55 GB; a cold build of 10,000 studies 606 MB, now
    398 MB). So only the youngest generation is walked, every YOUNG_WALK objects made, which takes a
    cycle dropped soon after it was made, and what lives on is never walked again in the pause: the
    work stays in proportion to what is made.

    When the pause ends, the first collection of the older generations walks what lived through it
    (half a second at 10,000 studies). With `promote`, for a run that ends soon after (a command of
    the command line), what is alive is first moved to the oldest generation instead, which only a
    full collection walks: nothing is lost, what turns out to be garbage is taken by a later full
    collection, or at exit. A collector the caller turned off stays off.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(YOUNG_WALK, _NEVER, _NEVER)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if promote and gc.isenabled():
            gc.freeze()  # every tracked object to the permanent generation, without a walk
            gc.unfreeze()  # and from there to the oldest generation


NO_PROJECT = (
    "no survey project here (no bib/ and no content/ folder): give its folder with --root, "
    "or make one with `surveysite init FOLDER --title TITLE`"
)
A_FILE = "a file, not a survey project's folder: give its folder with --root"
NO_FOLDER = "no such folder; give the survey project's folder with --root"


def no_project(root: Path) -> str:
    """What not_a_project's folder is told: a file given as --root is told it is one, and a folder
    that is not there that it is not (a trial mistyped --root and was told of no project there)."""
    if root.is_file():
        return A_FILE
    return NO_FOLDER if not os.path.lexists(root) else NO_PROJECT


def not_a_project(project: Project) -> bool:
    """Whether the project's folder holds neither bib/ nor content/ (or is no folder at all: a file given
    as --root was reported as six folders that could not be read)."""
    if not project.root.is_dir():
        return True
    folders = (project.bib, project.content)
    return all(refusal(project.root, folder, "folder") == "does not exist" for folder in folders)


class _Side:
    """What _load reads besides the .bib and study files, none of which depends on them: the taxonomy,
    the hand-written pages (and the links they hold) and the templates' checks (the survey's settings,
    which the .bib files' check reads, are read before).
    Read in this process while the two share out those files (see loading.load_sources: `beside`):
    read before or after, they were 0.15 s of a cold run at 10,000 studies with the other core idle."""

    loaded: tuple[Taxonomy, bool, list[Link], list[HandPage], str, set[str]]

    def load(self, project: Project, problems: Problems, memo: Memo) -> None:
        before = len(problems)
        taxonomy = load_taxonomy(project.root, project.content / "taxonomy.yaml", problems, memo)
        faulty = len(problems) > before  # (then a study's unknown category may be the taxonomy's fault)
        links: list[Link] = []
        pages = project.content / "pages"
        hand_pages, intro = load_pages(project.root, pages, problems, links, memo)
        published = check_published_files(project.root, pages, problems)  # MkDocs's docs_dir
        templates = project.templates
        trusted_base = project.root if templates.is_relative_to(project.root) else templates.parent
        check_tree(trusted_base, templates, problems)
        check_templates(trusted_base, templates, problems)
        self.loaded = (taxonomy, faulty, links, hand_pages, intro, published)


def _load(
    project: Project,
    problems: Problems,
    memo: Memo,
    read: Mapping[str, str] | None = None,
    records_read: list[BibRecord] | None = None,
    urls: Callable[[], bool] | None = None,
) -> Loaded | None:
    """The project's data joined and checked; None, with its problems, if it has any. With
    `records_read`, every record read is added to it, whatever the problems. `urls`: whether the site
    has directory URLs (see build_site), asked for only when a link is written as a folder; by
    default mkdocs.yml's."""
    if not_a_project(project):
        problems.add(Location(str(project.root), 1), no_project(project.root))
        return None
    studies_dir = project.content / "studies"
    refused = {folder: refusal(project.root, folder, "folder") for folder in (project.bib, studies_dir)}
    # No studies folder is no study yet: git keeps no empty folder, so a clone of a project whose last
    # study file was removed has none (and `new` makes it).
    if refused[project.bib] == "does not exist":
        problems.add(Location(shown_path(project.root, project.bib), 1), "folder is missing; create it")
    side = _Side()
    survey = load_survey(project.root, problems)  # (first: its TeX commands are the .bib files' too)
    records, annotations, study_files, made, entry_keys = load_sources(
        project.root,
        project.bib,
        studies_dir,
        problems,
        memo,
        read,
        partial(side.load, project, problems, memo),
        survey.tex_commands,
    )
    taxonomy, faulty, links, hand_pages, intro, published = side.loaded
    if records_read is not None:
        records_read += records
    # A studies folder refused (a link: reported) holds no study file that could be told apart.
    listed = study_files if refused[studies_dir] in (None, "does not exist") else None
    known = survey.rules.known_facets if survey is not None else ()
    # The record's moves, as a build makes them: read only for an unknown category (a renamed leaf's new
    # id is named) or a link that leads nowhere (see check_links). (Their own problems are check's.)
    addresses = partial(page_addresses, taxonomy.nodes, [a.key for a in annotations], hand_pages)
    moved = partial(moves, project.root, addresses, Problems())
    validate(taxonomy, records, annotations, listed, problems, links, memo, entry_keys, faulty, known, moved)
    # (Each entry's year as the references made while it was parsed hold it: the records' fields are
    # not read back from the cache after an edit; one parsed whole again has none, and is not checked.)
    years = {key: reference.year for key, reference in made.items()}
    check_added_dates(annotations, years, problems)
    check_years(records, years, problems)
    if survey is not None:
        check_own_addresses(annotations, made, survey.link_label, problems)
    check_survey(survey, taxonomy, annotations, problems)
    check_rules(survey.rules, taxonomy, records, annotations, problems)
    if survey.edition_of is not None:
        where = Location(SURVEY_FILE, survey.edition_of.line)
        unread = len(study_files - {a.key for a in annotations})
        check_edition_count(survey.edition_of.studies, annotations, where, problems, unread)
    studies = [(a.key, a.location) for a in annotations]
    pages = project.content / "pages"
    beside = [
        (path, Location(shown_path(project.root, pages / path), 1))
        for path in sorted(published)
        if not path.endswith(".md")  # (the pages, claimed as pages)
    ]
    site_files = claim_addresses(
        taxonomy, studies, [(p.page, p.location) for p in hand_pages], problems, beside
    )
    if links:  # the site's files: what it makes of the data, the pages folder's own, its assets
        site_files |= table_files(leaf for a in annotations for leaf in a.categories) | published
        own = site_files | {COLOURS_CSS} | set(asset_files(project.templates))
        check_links(links, own, problems, moved, urls or partial(site_directory_urls, project.root))
    if problems:
        return None
    return Loaded(build_catalog(taxonomy, records, annotations, memo, made), survey, hand_pages, intro)
