"""Where every page and file of the site lives, and the rule that each address is claimed once."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Taxonomy
from .problems import Location, Problems

HOME_PAGE = "index.md"
MATRIX_PAGE = "matrix.md"
WHATS_NEW_PAGE = "whats-new.md"
FEED_PATH = "feed.xml"
MATRIX_DATA = "matrix.json"
# Each study's arXiv id and DOI, which the header search reads when a reader types one (see views).
SEARCH_IDENTIFIERS = "search/identifiers.json"
COLOURS_CSS = "stylesheets/survey-colours.css"  # the classes' colours, made from content/survey.yaml
TABLES = "tables"
DOWNLOADS = "downloads"
STUDIES = "studies"
# Addresses the site builder and the theme write themselves, and the folders of the static files.
ENGINE_PATHS = {
    "search/": "the search index",
    "assets/": "the theme's files",
    "javascripts/": "the site's scripts",
    "stylesheets/": "the site's stylesheets",
    "404.html": "the page for missing addresses",
    "sitemap.xml": "the sitemap",
    "sitemap.xml.gz": "the sitemap",
}


def node_page(path: str) -> str:
    """The source path of a node's page; its URL is /<path>/."""
    return f"{path}/{HOME_PAGE}"


def study_page(key: str) -> str:
    """The source path of a study's page; its URL is /studies/<key>/."""
    return f"{STUDIES}/{key}.md"


def study_url(key: str) -> str:
    """A study page's URL, relative to the site's root: where readers link to and cite it."""
    return f"{STUDIES}/{key}/"


def table_data(path: str) -> str:
    """The data file of a node's comparison table: the studies under that node only."""
    return f"{TABLES}/{path}.json"


def table_files(leaves: Iterable[str]) -> set[str]:
    """The tables' data files: one per node with a study at or below it, given every study's leaves."""
    found: set[str] = set()
    for leaf in leaves:
        parts = leaf.split("/")
        found.update(table_data("/".join(parts[: i + 1])) for i in range(len(parts)))
    return found


def class_download(class_path: str) -> str:
    """The BibTeX download of one class's studies."""
    return f"{DOWNLOADS}/{class_path}.bib"


ALL_STUDIES_BIB = f"{DOWNLOADS}/studies.bib"
STUDIES_JSON = f"{DOWNLOADS}/studies.json"
STUDIES_SCHEMA = f"{DOWNLOADS}/studies.schema.json"
STUDIES_CSV = f"{DOWNLOADS}/studies.csv"
ALL_STUDIES_RIS = f"{DOWNLOADS}/studies.ris"
TAXONOMY_JSON = f"{DOWNLOADS}/taxonomy.json"
TAXONOMY_SCHEMA = f"{DOWNLOADS}/taxonomy.schema.json"
# What the page templates link to, by name (the `paths` every template sees): a project's own templates
# then link where the site puts each file, without writing the address out.
TEMPLATE_PATHS = {
    "home": HOME_PAGE, "matrix": MATRIX_PAGE, "whats_new": WHATS_NEW_PAGE, "feed": FEED_PATH,
    "studies_bib": ALL_STUDIES_BIB, "studies_json": STUDIES_JSON, "studies_schema": STUDIES_SCHEMA,
    "studies_csv": STUDIES_CSV, "studies_ris": ALL_STUDIES_RIS, "taxonomy_json": TAXONOMY_JSON,
    "taxonomy_schema": TAXONOMY_SCHEMA,
}  # fmt: skip
# The GitHub issue form for proposing a study (.github/ISSUE_TEMPLATE/ in the project).
PROPOSE_FORM = "propose-study.yml"


def class_ris(class_path: str) -> str:
    """The RIS download of one class's studies."""
    return f"{DOWNLOADS}/{class_path}.ris"


def study_ris(key: str) -> str:
    """The RIS file of one study."""
    return f"{DOWNLOADS}/{STUDIES}/{key}.ris"


def node_feed(path: str) -> str:
    """The Atom feed of the studies added under a node: feed.<ids joined by '.'>.xml, at the root.

    Not beside the node's page: Material's instant navigation fetches sitemap.xml next to every
    `<link rel="alternate">` of a page, which must therefore be in the root folder. Ids have no '.'.
    """
    return f"feed.{path.replace('/', '.')}.xml"


def node_url(path: str) -> str:
    """A node's URL relative to the site's root."""
    return f"{path}/"


def address(source: str) -> str:
    """The address a source path is served at, as a static host matches it (letter case folded)."""
    if source == HOME_PAGE:
        return ""
    if source.endswith("/" + HOME_PAGE):
        return source[: -len(HOME_PAGE)].lower()
    if source.endswith(".md"):
        return source[:-3].lower() + "/"
    return source.lower()


def claim_addresses(
    taxonomy: Taxonomy,
    studies: Iterable[tuple[str, Location]],
    hand_pages: Iterable[tuple[str, Location]],
    problems: Problems,
    hand_files: Iterable[tuple[str, Location]] = (),
) -> set[str]:
    """Refuse every page or file whose address another one already has, naming both; the source paths
    of every page and file claimed (all the site makes from the data, but the tables' data).
    `hand_files`: the other files of the pages folder (images, documents), with where each is."""
    owners: dict[str, tuple[str, Location | None]] = {}
    sources: set[str] = set()
    # Folders that belong to one kind of file: no node or hand page may live in them.
    folders = {**ENGINE_PATHS, f"{STUDIES}/": "the study pages", f"{DOWNLOADS}/": "the downloads",
               f"{TABLES}/": "the tables' data"}  # fmt: skip

    def claim(
        source: str, what: str, where: Location | None, in_folders: bool = False, noun: str = "name"
    ) -> bool:
        """Whether the address is free (`noun`: what the message asks to change: the node's id...)."""
        sources.add(source)
        here = address(source)
        taken = owners.get(here)
        if taken is None and not in_folders:
            taken = next(((owner, None) for path, owner in folders.items() if here.startswith(path)), None)
        if taken is None:
            owners[here] = (what, where)
            return True
        owner, first = taken
        at = f" ({first})" if first is not None else ""
        problems.add(
            where or Location("content/taxonomy.yaml", 1),
            f"{what} would be published at /{here}, an address already taken by {owner}{at}; "
            f"choose another {noun}",
        )
        return False

    for source, what in ((HOME_PAGE, "the home page"), (MATRIX_PAGE, "the matrix"),
                         (WHATS_NEW_PAGE, "what's new"), (FEED_PATH, "the feed"),
                         (MATRIX_DATA, "the matrix data")):  # fmt: skip
        claim(source, what, None)
    for path in (ALL_STUDIES_BIB, STUDIES_JSON, STUDIES_SCHEMA, STUDIES_CSV, ALL_STUDIES_RIS,
                 TAXONOMY_JSON, TAXONOMY_SCHEMA):  # fmt: skip
        claim(path, f"the download {path}", None, in_folders=True)

    def claim_all(made: list[tuple[str, str, bool]], where: Location | None, noun: str) -> None:
        """One node's or study's addresses claimed in turn until one is taken: one mistake, one message
        (a maintainer's trial named a class 'studies' and was told three times). Every one of them is
        among the sources all the same."""
        sources.update(source for source, _, _ in made)
        for source, what, in_folders in made:
            if not claim(source, what, where, in_folders, noun):
                return

    for node in taxonomy.nodes:
        named = f"node '{node.path}'"
        made = [(node_page(node.path), named, False), (node_feed(node.path), f"the feed of {named}", False)]
        if node.parent is None:
            made += [(class_download(node.path), f"the download of class '{node.path}'", True),
                     (class_ris(node.path), f"the RIS download of class '{node.path}'", True)]  # fmt: skip
        claim_all(made, node.location, "id")
    for key, where in studies:
        if key == HOME_PAGE.removesuffix(".md"):
            problems.add(where, f"'{key}' is the name of a folder's own page; choose another key")
        claim_all(
            [
                (study_page(key), f"study '{key}'", True),
                (study_ris(key), f"the RIS file of study '{key}'", True),
            ],
            where,
            "key",
        )
    for page, where in hand_pages:
        claim(page, f"page '{page}'", where, noun="file name")
    # A file beside the pages at an address the site writes (matrix.json, a download, the tables' or
    # the search's data) was dropped without a word, the site's own published in its place (a
    # hostile-input trial). It is refused at an address the site claims, and anywhere in the two
    # folders whose files' names the site makes up as it writes them (the tables' data, the search's);
    # elsewhere (a paper's PDF in downloads/, an image in assets/) it is published beside the site's.
    for path, where in hand_files:
        made_up = path.lower().startswith((f"{TABLES}/", "search/"))
        claim(path, f"file '{path}'", where, in_folders=not made_up, noun="file name")
    return sources
