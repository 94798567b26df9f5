"""Ready-to-lay-out views of the catalog: Python sorts, groups, counts and names pages here."""

from __future__ import annotations

import datetime
import html
import json
import marshal
import pickle
import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from itertools import chain
from typing import Any, NamedTuple, TypeVar
from urllib.parse import quote

from .bibliography import (
    ARXIV_ID,
    MONTH_NAMES,
    arxiv_identity,
    arxiv_of_doi,
    arxiv_within,
    doi_identity,
    preprint_journal,
)
from .cache import Memo, digest
from .capture import Citable, coins, name_parts
from .downloads import Rows, study_rows
from .markdown import (
    Markdown,
    attribute_json,
    code_block,
    description,
    escape,
    matrix_query,
    page_link,
    relative_path,
    web_link,
)
from .model import (
    NOT_CHECKED,
    NOT_STATED,
    UNKNOWN_VALUES,
    Annotation,
    Catalog,
    Facet,
    Node,
    Packed,
    Reference,
    Study,
    after_name,
    arxiv_address,
    doi_address,
    entry_digest,
    pack_fields,
    shared,
)
from .parallel import chunked, run_split
from .paths import (
    MATRIX_DATA,
    MATRIX_PAGE,
    class_ris,
    node_feed,
    node_page,
    study_page,
    study_ris,
    study_url,
    table_data,
)
from .problems import in_words
from .references import ARXIV_PREPRINT, plain_letters, same_address
from .related import Place, related_of, related_places, related_studies
from .survey import Survey

# What each value that says a fact is unknown means, under a study's facets where it has one.
UNKNOWN_SAID = {
    NOT_STATED: "*not stated*: the paper does not say.",
    NOT_CHECKED: "*not checked*: not yet checked against the paper; a correction is welcome.",
}
# What the matrix's address puts between the values of one filter (matrix.js, readState): a value
# holding it cannot be asked for in an address, and is not linked to the matrix.
FILTER_SEPARATOR = "|"
VIEW_CHUNK = 500  # study views made per task
SPLIT_VIEWS = 3_000  # from this many studies, a second process makes some of the study views
# The child's share. Its views are unpickled here after, but since each task counts its own related
# studies, 0.4 left this process busy 1.6-1.8 s against the child's 1.3 s at 10,000 studies; 0.5 is
# about even.
CHILD_SHARE = 0.5
SHORT_AUTHOR_LIST = 6
# A study page names every author at once up to this many; beyond, its first FOLDED_AUTHORS lead the
# byline and the whole list opens below it (a reader's trial met 194 names, a phone screen and a half,
# before a page's summary).
LONG_AUTHOR_LIST = 20
FOLDED_AUTHORS = 10
# A node page shows every study as a card up to this many; beyond, readers use its table. (Each card
# is a score of elements: a leaf of 150 cards cost phones seconds of layout.)
CARD_LIMIT = 50
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>]*>")  # what a summary's Markdown or HTML shows not as text


def card_text(study: StudyView) -> int:
    """About how many characters a study's card on a node page shows: its name, title, byline, note,
    summary (less its links' addresses), facets and links. A page gives the browser the sum, and
    stylesheets/extra.css the height of the cards from it before they are laid out (a reader's trial at
    375 px met a class page 4,253 px tall that grew to 33,968 px as it was scrolled)."""
    facets = sum(len(label) + len(value) + 4 for label, value in study.facets)
    links = sum(len(label) + 3 for label, _ in study.links)
    shown = (study.name, study.title, study.authors_short, study.venue, study.note, study.origin)
    return sum(map(len, shown)) + len(_LINK_TARGET.sub("", study.summary)) + facets + links + 20


# A table shows every row up to this many studies; beyond, the page holds the first TABLE_PAGE_ROWS
# and the browser pages through all of them from the table's data (matrix.json, tables/<path>.json).
# (A hundred rows laid out on a phone took seconds: a paged table writes and shows 25 at a time.)
TABLE_LIMIT = 100
TABLE_PAGE_ROWS = 25
# The filters of a table before its facets', in matrix.js's words (dimensions); a table offers a filter
# where its studies hold two values or more (filterControls).
FILTER_LABELS = ("Class", "Leaf", "Year")
FILTER_WORDS = ("class", "leaf", "year")  # (the same, as the matrix page's intro says them)
# An edition's tables filter, after the facets, by whether the original survey reviews a study: its
# id (no facet's: in_survey is no slug), label and values, named in the tables' data (_table_taxonomy).
ORIGIN_FILTER, ORIGIN_LABEL, ORIGIN_VALUES = "in_survey", "Survey", ("yes", "no")
SAME_UNDER_NODE = (0, 1)  # the class and leaf cells, which a node's table may leave out: see _shown_cells
LEAF_CELL = 1  # (among a study's cells after its name)
LEAF_FILTER = FILTER_LABELS.index("Leaf")
NO_MARKDOWN = Markdown("")
TRAIL_SEPARATOR = " \u203a "  # a single right-pointing angle quotation mark between the nodes of a trail
UNCERTAIN_PLACEMENT = "The leaf this study is placed in could not be confirmed against the survey's text."
UNCERTAIN_PLACEMENT_NEW = "The leaf this study is placed in is not certain."


def surnames_indexed(authors: tuple[str, ...], families: tuple[str, ...] = ()) -> Markdown:
    """The author list, each given name marked to stay out of the search index (surnames stay in).

    The index then finds a study by any author's surname at about half the size. 'Given von Last,
    Jr.' keeps only 'Last, Jr.' searchable, a braced '{van der Berg}' all of 'van der Berg' (by
    `families`, each name's family part; without it, a name's last word). The list is escaped in one
    go, the marks standing in for the tags (control characters, removed from the names first).
    (Their letters as typed without accents are indexed apart: see plain_surnames.)
    """
    families = _families(authors, families)
    marked = ", ".join([_marked_name(raw, family) for raw, family in zip(authors, families, strict=True)])
    return Markdown(escape(marked).replace("\x01", "<span data-search-exclude>").replace("\x02", "</span>"))


def folded_authors(authors: tuple[str, ...], others: bool = False) -> Markdown:
    """The byline of a list of over LONG_AUTHOR_LIST names: its first FOLDED_AUTHORS and how many more,
    kept out of the search index (the whole list, which the page shows below, is indexed); '' for a
    shorter one. With `others` (the entry's list ends 'and others', which names no one and is not
    counted) the byline then ends 'et al' (the full stop after it is the byline's own)."""
    if len(authors) <= LONG_AUTHOR_LIST:
        return NO_MARKDOWN
    shown = escape(", ".join(authors[:FOLDED_AUTHORS]))
    more = f"and {len(authors) - FOLDED_AUTHORS} more" + (", et al" if others else "")
    return Markdown(f"<span data-search-exclude>{shown} {more}</span>")


# The entry types whose `pages` may be the work's length, not where it is in a volume.
_WHOLE_WORKS = frozenset({"book", "phdthesis", "mastersthesis", "thesis"})


def published_doi(doi: str | None, arxiv: str | None) -> str:
    """The DOI of a study's published work: its DOI, but '' for none, and for arXiv's own DOI of the
    preprint, which leads to the arXiv page its arXiv id gives already (a contributor's trial saw two
    links to it)."""
    return "" if not doi or (arxiv and arxiv_of_doi(doi).lower() == arxiv.lower()) else doi


def byline_doi(doi: str | None, arxiv: str | None) -> Markdown:
    """The end of a study page's byline: its published work's DOI (see published_doi) as its address,
    linked, kept out of the search index (which finds a study by its DOI otherwise); '' for none. A
    reader's trial found the page's reference without its DOI, which only the BibTeX and the links
    further down gave."""
    doi = published_doi(doi, arxiv)
    if not doi:
        return NO_MARKDOWN
    # (Inert: a DOI may hold Markdown's marks, '10.1234/[x](javascript:...)': shown escaped, linked
    # percent-encoded: see doi_link.)
    return Markdown(f"<span data-search-exclude> {web_link(doi_address(doi), doi_link(doi))}</span>")


def arxiv_submitted(eprint: str) -> str:
    """The month an arXiv id was given, which is when its paper was first submitted there ('January 2021'
    for '2101.00001', 'January 1999' for 'hep-th/9901001'): the id says it, nothing is looked up; '' for
    a string that is no arXiv id."""
    eprint = eprint.strip()
    if not ARXIV_ID.match(eprint):
        return ""
    # (ARXIV_ID holds the year and a month of 01-12 first, after an old-style id's archive and '/':
    # 1991-2007, 'archive/YYMMNNN'; from April 2007, 'YYMM.NNNN(N)'.)
    old_style, _, number = eprint.rpartition("/")
    year, month = int(number[:2]), int(number[2:4])
    return f"{MONTH_NAMES[month - 1]} {(1900 if old_style and year >= 91 else 2000) + year}"


def byline_arxiv(eprint: str | None, venue: str) -> Markdown:
    """The sentence under a study page's byline that says when its paper first went to arXiv, for a
    study cited at a venue (its byline's year is the venue's, often a year after the preprint); kept
    out of the search index. '' for a study cited as the preprint, whose byline says so,
    and for one with no arXiv id."""
    # (A venue that is arXiv's by another name, 'CoRR' or 'arXiv', is the preprint's too: a review.)
    if not eprint or not venue or venue == ARXIV_PREPRINT or preprint_journal(venue):
        return NO_MARKDOWN
    month = arxiv_submitted(eprint)
    return (
        Markdown(f'<p class="survey-arxiv-date" data-search-exclude>First submitted to arXiv in {month}.</p>')
        if month
        else NO_MARKDOWN
    )


def doi_link(doi: str) -> str:
    """The address a page links a DOI at: doi.org's, the DOI percent-encoded, as doi.org reads it."""
    return doi_address(quote(doi, safe="/:;,()"))


# What an entry's url is a link to, by its type ('Paper' for any other): a trial's software and web
# pages were each linked as 'Paper'.
_ADDRESS_LABELS = {
    "software": "Software",
    "online": "Web page",
    "electronic": "Web page",
    "webpage": "Web page",
}


def _typed_venue(ref: Reference) -> str:
    """The venue as a study's byline gives it: a thesis's or report's with what it is ('PhD thesis,
    Stanford University', 'Technical report TR-7, Inria'), its own type first where the entry gives
    one ('Habilitation', biblatex's 'phdthesis'), as BibTeX styles print them (a maintainer's trial
    found a thesis shown as 'Song Han. 2017. Stanford University.')."""
    kind = _WORK_KINDS.get(ref.entry_type)
    if kind is None:
        return ref.venue
    details = dict(ref.details)
    given = details.get("type", "")
    kind = _WORK_KINDS.get(given.lower(), given) or kind  # (biblatex's @thesis says which by its type)
    number = details.get("number", "") if ref.entry_type in ("techreport", "report") else ""
    kind = f"{kind} {number}" if number else kind
    return f"{kind}, {ref.venue}" if ref.venue else kind


_WORK_KINDS = {
    "phdthesis": "PhD thesis",
    "mastersthesis": "Master's thesis",
    "mathesis": "Master's thesis",  # (biblatex's types of a @thesis and a @report)
    "candthesis": "Candidate thesis",
    "resreport": "Research report",
    "thesis": "Thesis",
    "techreport": "Technical report",
    "report": "Report",
}


def venue_details(work: Citable) -> str:
    """What follows the venue in a study's byline, as the entry gives them (a reader's trial could not
    cite from the page without them): an article's volume, issue and pages as '645(8081), 633-638';
    another work's as 'vol. 235, no. 2, pp. 19-55' (a proceedings' bare '235' said nothing), a page
    range with an en dash; '' for none. Pages alone are 'p. 7' or 'pp. 1-10' for an article too (a
    bare '7' would read as its volume); a range not split into two pages (roman numerals, 'A1-A10') is
    'pp.' as written, one with an open end 'pp. 5-'; a book's or a thesis's pages are left out. The
    study page keeps them out of the search index: at 1,000 synthetic studies they took it from 96,092
    to 104,294 bytes gzipped, over its budget, for numbers no one searches by. A preprint's is its
    identifier, as citations give it ('arXiv preprint, arXiv:2204.05862': a reader's trial found
    'arXiv preprint.' alone, which no one can look up)."""
    if work.venue == ARXIV_PREPRINT:
        return f", arXiv:{work.arxiv}" if work.arxiv else ""
    volume, issue, first, last, _ = work.citation_details()
    if work.entry_type in _WHOLE_WORKS:
        first = last = ""
    span, plural = first, "-" in first  # one page, or a range page_range leaves whole ('xi-xv')
    if last:
        span, plural = f"{first}\u2013{last}", True
    elif first and dict(work.details).get("pages", "").strip() != first:  # an open end ('5--')
        span, plural = f"{first}\u2013", True
    pages = f"{'pp.' if plural else 'p.'} {span}" if span else ""
    if work.entry_type == "article":
        numbers = f"{volume}({issue})" if volume and issue else volume or (f"no. {issue}" if issue else "")
        parts = [numbers, span if numbers else pages]  # '645(8081), 633-638': the numbers say what it is
    else:
        parts = [f"vol. {volume}" if volume else "", f"no. {issue}" if issue else "", pages]
    return "".join(f", {part}" for part in parts if part)


def plain_surnames(authors: tuple[str, ...], families: tuple[str, ...] = ()) -> str:
    """The searchable words of the author list (see surnames_indexed) that plain letters spell
    otherwise, each once, so spelled: a search for 'Garcia' then finds 'García' (the search matches
    letter for letter; the matrix's filter folds them itself). '' for a list in plain letters.
    Indexed with the search aliases, which results do not show: in the page's text, a reader saw
    them in every result for the page ('Lodi Chetelat')."""
    if "".join(authors).isascii():  # (one pass in C: a test of each name took 10 µs a study)
        return ""
    families = _families(authors, families)
    words = (w for raw, family in zip(authors, families, strict=True) for w in _plain_surname(raw, family))
    return " ".join(dict.fromkeys(words))


def _families(authors: tuple[str, ...], families: tuple[str, ...]) -> tuple[str, ...]:
    """Each name's family part, as given with the names (none: '' each, the last word's)."""
    return families if len(families) == len(authors) else ("",) * len(authors)


def search_aliases(key: str, name: str, plain: str = "") -> str:
    """What a search should find a study by besides its page's text: its BibTeX key (the name a citing
    reader holds), its short name's words split where a capital follows a small letter ('DeepAtlas'
    is found by 'Atlas': the search matches words from their start), and its authors' surnames in
    plain letters (`plain`: see plain_surnames). Indexed in a field of its own, which search results
    do not show (see serve_pages.index_aliases), escaped as the index holds the text it shows, in
    case a theme ever does."""
    split = _CAMEL_JOIN.sub(" ", name)
    words = [key, *([split] if split != name else []), *([plain] if plain else [])]
    return html.escape(" ".join(words), quote=False)


_CAMEL_JOIN = re.compile(r"(?<=[a-z])(?=[A-Z])")
_GIVEN = re.compile("\x01[^\x02]*\x02")  # the given names, as _marked_name marks them


@lru_cache(maxsize=65_536)  # the same authors recur across studies
def _plain_surname(raw: str, family: str = "") -> tuple[str, ...]:
    """The words of a name's searchable part (see _marked_name) that plain letters spell otherwise, so
    spelled: ('Muller',) for 'Jörg Müller'; none for a name in plain letters."""
    searched = _GIVEN.sub(" ", _marked_name(raw, family)).replace(",", " ").split()
    return tuple(plain for word in searched if (plain := plain_letters(word)) != word)


@lru_cache(maxsize=65_536)  # the same authors recur across studies
def _marked_name(raw: str, family: str = "") -> str:
    """One name with its given names between the marks \x01 and \x02 (none in a name of one part)."""
    name = raw.replace("\x01", "").replace("\x02", "")
    parts = name_parts(name, family)
    if parts is None:
        return name
    given, last, suffix = parts
    if not name.startswith(given):  # family name first ('王小明'): its given names after it
        return f"{last}\x01{given}\x02" + (f", {suffix}" if suffix else "")
    return f"\x01{given}\x02 {last}" + (f", {suffix}" if suffix else "")


K = TypeVar("K")
V = TypeVar("V")


def _once(made: dict[K, V], key: K, make: Callable[[], V]) -> V:
    """made[key], made by `make` the first time it is asked for (the views' per-leaf, per-study and
    per-value parts, each made once)."""
    found = made.get(key)
    if found is None:
        found = made[key] = make()
    return found


def _picked(values: tuple[str, ...], indexes: tuple[int, ...] | None) -> tuple[str, ...]:
    """The values at these indexes, in their order (all of them for None)."""
    return values if indexes is None else tuple(values[i] for i in indexes)


_TABLE_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # the tables' data


class _MadeView(NamedTuple):
    """A study's view and table cells; when views are kept (else '', '' and None), its record in the
    tables' data (compact JSON), that record's digest and its rows of the downloads; its related
    studies, its view_key ('' when views are not kept), and whether the view was made in this run
    rather than kept."""

    view: StudyView
    cells: tuple[str, ...]
    record: str
    record_digest: str
    rows: Rows | None
    related: list[str]
    key: str
    fresh: bool


def count_label(count: int) -> str:
    """'1 study', '12 studies'."""
    return f"{count} study" if count == 1 else f"{count} studies"


@dataclass(frozen=True)
class NodeView:
    """A node with what its page and links to it show."""

    path: str
    name: str
    gloss: str
    description: Markdown
    page: str
    count: int
    count_label: str
    depth: int
    indent: Markdown
    is_leaf: bool
    download: str
    feed: str = ""
    ris: str = ""


@dataclass(frozen=True)
class StudyView(Packed):
    """A study with every value its card and page show, already formatted."""

    key: str
    name: str
    title: str
    after_name: str  # what follows the name where a line names the study, then its paper: see after_name
    authors: str
    # The list with given names kept out of the search index; one ending 'and others' ends 'et al',
    # without the full stop that the byline puts after it.
    authors_marked: Markdown
    plain_surnames: str  # the surnames that plain letters spell otherwise, so spelled: see plain_surnames
    authors_short: str
    year: int
    venue: str
    summary: str
    note: str
    page: str
    placement: str
    placement_note: str
    placement_warning: str
    origin: str
    categories: tuple[NodeView, ...]
    trails: tuple[tuple[tuple[str, str], ...], ...]
    facets: tuple[tuple[str, str], ...]
    links: tuple[tuple[str, str], ...]
    bibtex: Markdown
    related: tuple[tuple[str, str], ...]
    edit: str
    added: str = ""
    coins: Markdown = NO_MARKDOWN
    ris: str = ""
    # The origin in brief, for a list whose lines lead with the date added: 'Reviewed in <the original
    # survey>' or 'Added by this site' ('' for a survey that is no edition of another).
    origin_brief: str = ""
    # The same, laid out as lines for the study's own page (links relative to it), so that its template
    # prints each list at once: a '- ' line of the trail per leaf, a table row per facet (each value a
    # link to the matrix filtered to it), a '- ' line per link and per related study ('' for none).
    trail_lines: Markdown = NO_MARKDOWN
    facet_lines: Markdown = NO_MARKDOWN
    # What the unknown values among its facets mean, one sentence each ('' when it has none): a
    # reader's trial met 'not checked' on a study page with no word on it.
    unknown_lines: Markdown = NO_MARKDOWN
    link_lines: Markdown = NO_MARKDOWN
    related_lines: Markdown = NO_MARKDOWN
    # The byline's authors when the list is over LONG_AUTHOR_LIST ('' otherwise): the first few and how
    # many more, all kept out of the search index, which finds the surnames in the whole list below it.
    authors_folded: Markdown = NO_MARKDOWN
    # What the byline gives after the venue, where the entry has them (see venue_details; '' for none).
    venue_details: str = ""
    # What ends the byline: the published work's DOI, as its address (see byline_doi; '' for none).
    doi_line: Markdown = NO_MARKDOWN
    # When the paper first went to arXiv, under the byline of a study cited at a venue (see byline_arxiv).
    arxiv_line: Markdown = NO_MARKDOWN

    @property
    def title_after_name(self) -> str:
        """The title less a leading "Name:" (see model.title_after_name), as templates read it before
        after_name took its place (a review: a project's own template that reads it kept working)."""
        return (
            self.after_name[2:] if self.after_name.startswith(": ") else self.title if self.after_name else ""
        )


# The fields of a study's view read back that are unpickled at once; the others are kept pickled apart
# and unpickled together when one of them is first read. A run after an edit reads back the view of
# every study, but of all but a few (the edited study's, the newest in the feeds and What's new, the
# first rows of the node pages) it reads only these: the key and page address of each, for the tables
# and the kept study pages. (The node views a view names are in the same pickle as the views of the
# nodes, so stay the same objects.) At 10,000 studies, reading the cache took 0.13 s less than with
# only the fields of a study's own page kept apart. (Every run reads the plain surnames too, for the
# search aliases.)
pack_fields(StudyView, ("key", "name", "page", "categories", "plain_surnames"))


@dataclass(frozen=True)
class MatrixView:
    """A comparison table of the studies under `scope` ('' for all): the rows written into the page."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, str, tuple[str, ...]], ...]  # name, page, the other cells
    scope: str
    total: int
    ids: tuple[str, ...] = ()  # a stable id per column, for the column chooser's URL state
    # For a paged table, what its filter controls show (the taxonomy's names, each value's count),
    # as escaped JSON: the browser draws them without the table's data, fetched only when needed.
    facts: Markdown = NO_MARKDOWN
    filters: tuple[str, ...] = ()  # the labels of the filters its controls offer, in their order
    filter_kinds: tuple[str, ...] = ()  # what each of those filters by: class, leaf, year, facet, origin

    @property
    def row_words(self) -> str:
        """What each row gives after the study's name, as the matrix page's intro says it: an edge-case
        trial's flat taxonomy of no facets was told of a leaf and facets it did not have; a review found
        the column of the date each study was added left untold."""
        own = [word for word in FILTER_WORDS if word in self.ids]
        facets = any(i not in ("study", *FILTER_WORDS, "added") for i in self.ids)
        said = in_words([*own, *(["facets"] if facets else [])])
        return f"{said}, and the date this site added it" if "added" in self.ids else said

    @property
    def filter_words(self) -> str:
        """What the filters its controls offer choose by, as the matrix page's intro says it ('' for
        none: a survey of one study offers none); the original survey's filter apart (origin_filter)."""
        # (By kind, not label: a review's facet labelled 'Year' was told as the year's filter.)
        own = [word for word in FILTER_WORDS if word in self.filter_kinds]
        return in_words([*own, *(["facet values"] if "facet" in self.filter_kinds else [])])

    @property
    def origin_filter(self) -> bool:
        """Whether its controls offer the filter by the original survey's review (see ORIGIN_LABEL)."""
        return "origin" in self.filter_kinds

    @property
    def paged(self) -> bool:
        """Whether the page holds only the first rows, and the browser pages through the rest."""
        return self.total > len(self.rows)

    @property
    def status(self) -> str:
        """The line under the controls as matrix.js first words it, before the reader changes the view
        (showRows and showPosition): the page holds it in the controls' stand-in."""
        if not self.total:
            return "No study matches (0 in all): clear a filter, or the text"
        if self.paged:
            return f"Showing 1\u2013{len(self.rows)} of {self.total} matching studies ({self.total} in all)"
        return f"Showing {self.total} of {self.total} studies"


def arxiv_of(arxiv: str | None, url: str | None) -> str:
    """A study's arXiv id: its entry's, else the one its url gives (see bibliography.arxiv_within),
    else ''."""
    return arxiv or (arxiv_within(url) if url else "")


def url_identity(url: str) -> str:
    """An address as the search's identifiers hold it, and as search-query.html reads a pasted one
    alike: without its scheme, a leading 'www.' or its '#...', its host in lower case and its path
    without a last '/', its '?...' kept (OpenReview's papers are '/forum?id=...'); '' for the arXiv and
    doi.org addresses, which are read as their ids, and for anything but an http(s) address."""
    found = _URL.fullmatch(url.strip())
    if found is None:
        return ""
    host = found["host"].lower().removeprefix("www.")
    if host in _ID_HOSTS:
        return ""
    return host + found["path"].rstrip("/") + (found["query"] or "")


_URL = re.compile(
    r"https?://(?P<host>[^/?#\s]+)(?P<path>[^?#\s]*)(?P<query>\?[^#\s]*)?(?:#\S*)?", re.IGNORECASE
)
_ID_HOSTS = frozenset({"arxiv.org", "export.arxiv.org", "doi.org", "dx.doi.org"})


def month_added(study: Study) -> str:
    """The month a study was added to the site, as What's new heads it ('November 2026')."""
    return f"{MONTH_NAMES[study.annotation.added.month - 1]} {study.annotation.added.year}"


def origin_names(short_name: str) -> tuple[str, str]:
    """What an edition says of a study the original survey reviews, and of one it does not."""
    return f"Reviewed in {short_name}", "Added by this site"


def entry_key(reference: Reference) -> str:
    """A digest of a study's formatted BibTeX entry, which holds every field its reference is made
    from: what is made of the reference alone (its RIS record) is kept under it. Made with the
    reference (see references.make_reference), which is kept from run to run."""
    return reference.entry or entry_digest(reference.bibtex)


@dataclass
class Reviewed:
    """A line of What's new for the studies an edition's original survey reviews added on one day."""

    added: str  # the day, as an ISO date
    survey: str  # the original survey's short name
    count: int = 1
    matrix: str = MATRIX_PAGE + matrix_query((ORIGIN_FILTER, ORIGIN_VALUES[0]))


class Views:
    """Builds the views of one catalog, each once."""

    def __init__(
        self,
        catalog: Catalog,
        survey: Survey,
        edit_url: str | None,
        memo: Memo,
        renamed: Mapping[str, str] | None = None,
    ) -> None:
        self.catalog = catalog
        self.survey = survey
        self.edit_url = edit_url
        self.memo = memo
        self.renamed = dict(sorted((renamed or {}).items()))  # old node paths and new (render_site)
        # In the keys of what names them, a table's data and facts (not the study views, kept across a move).
        self._renamed_key = json.dumps(self.renamed)
        # Related studies and the heat maps read only where each study is placed with which facets (the
        # heat maps the taxonomy too), so an edited summary reuses them: their keys share one pickle.
        self.placements = ""  # the heat maps' key
        placed = b""
        if memo.keep:
            places = [(s.key, s.annotation.categories, s.annotation.facets) for s in catalog.studies]
            # In marshal's version 2, which writes equal values alike (no references, interned or not),
            # in 20 ms where pickle took 50 at 10,000 studies.
            placed = marshal.dumps(places, 2)
            taxonomy = pickle.dumps(catalog.taxonomy, pickle.HIGHEST_PROTOCOL)
            self.placements = digest("placed", taxonomy, placed)
        related_key = digest("related", placed) if memo.keep else ""
        # Kept related studies are used as they are; else each task counts those of its own studies.
        kept: dict[str, list[str]] | None = None
        standing: list[list[Place]] | None = None
        if memo.known(related_key):
            kept = memo.get(related_key, lambda: related_studies(catalog))
        else:
            standing = related_places(catalog)
        self._nodes = {n.path: self._node_view(n) for n in catalog.taxonomy.nodes}
        self._trails: dict[str, tuple[tuple[str, str], ...]] = {}
        self._trail_lines: dict[tuple[str, str], str] = {}
        self._facet_rows: dict[tuple[str, tuple[str, ...], str], str] = {}
        self._under: dict[str, tuple[StudyView, ...]] = {}
        self._filter_sets: dict[str, tuple[tuple[str, ...], ...]] = {}
        self._heads: dict[str, str] = {}  # each node's table data head (_scoped_head)
        # What every study's view reads besides its own study, its related studies' names and the views
        # of its own leaves (see view_key): the taxonomy, the survey's settings and the edit address.
        # (A node's view counts its studies: a study added to one leaf leaves the views of the studies
        # in others as they were.)
        self._base = ""
        self._node_keys: dict[str, str] = {}
        if memo.keep and all(s.annotation.source for s in catalog.studies):  # else not made from files
            shared = pickle.dumps((catalog.taxonomy, survey), pickle.HIGHEST_PROTOCOL)
            self._base = digest("views", shared, edit_url or "")
            nodes = self._nodes
            self._node_keys = {path: digest("node", pickle.dumps(node)) for path, node in nodes.items()}
            # The node views kept with the study views, so that both are the same objects (a page's
            # key pickles its context, and pickle writes an object it met before as a reference).
            every_node = digest("node views", self._base, *self._node_keys.values())
            self._nodes = memo.get(every_node, lambda: nodes, saved=False)
        # Each study's view and table cells are its own work: shared with a second process when many.
        studies = catalog.studies
        keys = [s.key for s in studies]
        chunks = chunked(studies, VIEW_CHUNK)
        related = partial(self._related, kept, standing, keys)
        tasks = [partial(self._study_views, chunk, i * VIEW_CHUNK, related) for i, chunk in enumerate(chunks)]
        weights = [len(c) for c in chunks]
        # Each study's formatted entry by its digest (see entry_key), when results are kept: what the
        # keys of its view, its RIS record and the files joined from the entries are made of.
        self.entry_keys = {s.key: entry_key(s.reference) for s in studies} if memo.keep else {}
        # All of them in one, in catalog order ('' when results are not kept).
        self.entries_key = digest("joined entries", *self.entry_keys.values()) if memo.keep else ""
        self._keys: dict[str, str] = {}  # each study's view_key, when views are kept
        if kept is not None and self._base:  # a view kept from an earlier run is no work: not shared
            self._keys = {s.key: self.view_key(s, kept[s.key]) for s in studies}
            weights = [sum(not memo.known(self._keys[s.key]) for s in chunk) for chunk in chunks]
        made = list(chain.from_iterable(run_split(tasks, weights, memo, SPLIT_VIEWS, CHILD_SHARE)))
        if kept is None and memo.keep:  # (else nothing is kept: the dict was made and dropped, 4 ms)
            memo.get(related_key, lambda: {one.view.key: list(one.related) for one in made})
        self.studies = tuple(one.view for one in made)
        self._by_key = {v.key: v for v in self.studies}
        self._cells = {one.view.key: one.cells for one in made}  # every table repeats them
        self._records = {one.view.key: one.record for one in made}
        self._record_digests = {one.view.key: one.record_digest for one in made}
        self._rows = {one.view.key: one.rows for one in made if one.rows is not None}  # if views are kept
        self._keys = {one.view.key: one.key for one in made}
        # How many views were made rather than kept: what is made from each study again (its rows of
        # the downloads and the tables' data) costs about as many times its share of a cold run.
        self.made = sum(one.fresh for one in made)

    @property
    def kept(self) -> bool:
        """Whether the study views, and what is made from each, are kept from run to run (view_key)."""
        return bool(self._base)

    def node(self, path: str) -> NodeView:
        """The view of one node."""
        return self._nodes[path]

    def tree(self) -> tuple[NodeView, ...]:
        """Every node in reading order (parents before children)."""
        return tuple(self._nodes[n.path] for n in self.catalog.taxonomy.nodes)

    def classes(self) -> tuple[NodeView, ...]:
        """The top-level nodes."""
        return tuple(v for v in self.tree() if v.depth == 0)

    def children(self, path: str) -> tuple[NodeView, ...]:
        """The child nodes of a node."""
        return tuple(self._nodes[c] for c in self.catalog.taxonomy.node(path).children)

    def trail(self, path: str) -> tuple[NodeView, ...]:
        """The nodes from the class down to this node."""
        parts = path.split("/")
        return tuple(self._nodes["/".join(parts[: i + 1])] for i in range(len(parts)))

    def trail_names(self, path: str) -> list[str]:
        """The names of the nodes from the class down to this node (a node's feed is titled by them)."""
        return [node.name for node in self.trail(path)]

    def studies_under(self, path: str) -> tuple[StudyView, ...]:
        """Views of the studies at or below a node."""
        # Asked for three times by each node's page (its studies, its key and its table): made once.
        return _once(self._under, path, lambda: tuple(self._by_key[key] for key in self.catalog.under[path]))

    def matrix(self, scope: str = "") -> MatrixView:
        """The comparison table of the studies under a node ('' for all): class, leaf, year, facets."""
        studies = self.studies_under(scope) if scope else self.studies
        shown = studies if len(studies) <= TABLE_LIMIT else studies[:TABLE_PAGE_ROWS]
        shows = self._shown_cells(studies, scope) if scope else None
        if self._flat:  # (every class a leaf: a Leaf column would repeat the Class column, row by row)
            every = shows if shows is not None else tuple(range(len(self.column_ids()) - 1))
            shows = tuple(i for i in every if i != LEAF_CELL)
        rows = tuple((view.name, view.page, _picked(self.cells(view), shows)) for view in shown)
        facts = NO_MARKDOWN
        if len(shown) < len(studies):  # what the filters count: where studies are placed, and _unplaced
            make = partial(self.table_facts, studies, scope)
            kept = self.placements  # set when results are kept
            key = digest("facts", kept, self._unplaced, scope, self._renamed_key)
            counted = self.memo.get(key, make) if kept else make()
            facts = attribute_json(counted)
            counts = counted["counts"]
        else:
            counts = self._value_counts(studies)
        columns = ("Study", *_picked(self.columns()[1:], shows))
        ids = ("study", *_picked(self.column_ids()[1:], shows))
        offered = [len(count) > 1 and not (self._flat and i == LEAF_FILTER) for i, count in enumerate(counts)]
        offered_filters = [
            kind_label for kind_label, shown in zip(self._filters(), offered, strict=True) if shown
        ]
        filters, kinds = (
            tuple(label for _, label in offered_filters),
            tuple(kind for kind, _ in offered_filters),
        )
        return MatrixView(columns, rows, scope, len(studies), ids, facts, filters, kinds)

    @cached_property
    def _flat(self) -> bool:
        """Whether every class is a leaf (no sub-categories): an edge-case trial's matrix had a Leaf column
        and filter the same as its Class column and filter (matrix.js leaves the filter out too)."""
        return all(node.parent is None for node in self.catalog.taxonomy.nodes)

    def _shown_cells(self, studies: tuple[StudyView, ...], scope: str) -> tuple[int, ...] | None:
        """Which cells a node's table shows (their indexes after the name; None: all): not the class
        when every study in it is in the node's class alone, nor the leaf when the node is a leaf and
        every study is in it alone: the page says as much, and the column would repeat it in every row.
        A study also placed elsewhere keeps the column, which then says where."""
        if not studies:
            return None
        own = (self._nodes[scope.split("/")[0]].name, self._nodes[scope].name)
        same = [i for i in SAME_UNDER_NODE if all(self.cells(view)[i] == own[i] for view in studies)]
        if not same:
            return None
        return tuple(i for i in range(len(self.cells(studies[0]))) if i not in same)

    def table_facts(self, studies: tuple[StudyView, ...], scope: str = "") -> dict[str, Any]:
        """The filter controls of a table (of the node `scope`, '' for the matrix): names, and per filter
        (class, leaf, year, each facet, and an edition's Survey) value counts.

        A study counts once per value, in the order matrix.js lists its filters.
        """
        return {
            "taxonomy": self._table_taxonomy(self.catalog.under[scope] if scope else None),
            "counts": self._value_counts(studies),
        }

    def _value_counts(self, studies: tuple[StudyView, ...]) -> list[dict[str, int]]:
        """Per filter of a table (see _filters), how many of the studies hold each value."""
        filters = len(self._filters())
        found = [self._filter_values(view) for view in studies]
        # (Counted per filter by Counter, in C, each value where the studies first give it, as a loop
        # over the studies would: at 10,000 studies the loop took 0.3 s of the matrix's and tables' data.)
        return [dict(Counter(chain.from_iterable(values[i] for values in found))) for i in range(filters)]

    def _filter_values(self, view: StudyView) -> tuple[tuple[str, ...], ...]:
        """A study's distinct values for each filter of a table (see _filters), made once per
        study (as tuples, which the garbage collector stops walking; sets it walks every time)."""

        def make() -> tuple[tuple[str, ...], ...]:
            study = self.catalog.study(view.key)
            leaves = [c.path for c in view.categories]
            found = [{leaf.split("/")[0] for leaf in leaves}, set(leaves), {str(view.year)}]
            found += [set(study.facet(f.id)) for f in self.catalog.taxonomy.facets]
            if self.survey.edition_of is not None:
                found.append({ORIGIN_VALUES[0] if study.annotation.in_survey else ORIGIN_VALUES[1]})
            return tuple(tuple(distinct) for distinct in found)

        return _once(self._filter_sets, view.key, make)

    def _filters(self) -> tuple[tuple[str, str], ...]:
        """The kind and label of each of a table's filters, in the order matrix.js lists them (see
        _value_counts): a word of FILTER_WORDS, 'facet' or 'origin'."""
        facets = tuple(("facet", facet.label) for facet in self.catalog.taxonomy.facets)
        origin = (("origin", ORIGIN_LABEL),) if self.survey.edition_of is not None else ()
        return (*zip(FILTER_WORDS, FILTER_LABELS, strict=True), *facets, *origin)

    @cached_property
    def _unplaced(self) -> str:
        """What a table's filter counts and names are made of besides where studies are placed
        (placements): each study's year, and for an edition which studies the original survey reviews
        and the survey's short name (the Survey filter's values are named by it: a review found a paged
        table's kept names left as they were when it changed)."""
        studies = self.catalog.studies
        years = marshal.dumps([study.reference.year for study in studies], 2)
        edition = self.survey.edition_of
        if edition is None:
            return digest("years", years)
        reviewed = bytes(study.annotation.in_survey for study in studies)
        return digest("years and origins", years, reviewed, edition.short_name)

    def column_ids(self) -> tuple[str, ...]:
        """A stable id for each column of the comparison table, in order."""
        return ("study", "class", "leaf", "year", *(f.id for f in self.catalog.taxonomy.facets), "added")

    def columns(self) -> tuple[str, ...]:
        """The comparison table's column labels."""
        facets = (f.label for f in self.catalog.taxonomy.facets)
        return ("Study", "Class", "Leaf", "Year", *facets, "Date added")

    def cells(self, view: StudyView) -> tuple[str, ...]:
        """A study's cells in the comparison table, after its name."""
        return self._cells[view.key]

    def _row_cells(self, view: StudyView) -> tuple[str, ...]:
        # In the order of the leaves beside them (a contributor's trial read two classes above two leaves
        # in the other order: the classes were sorted by name, the leaves as the study file lists them).
        classes = list(dict.fromkeys(self._nodes[c.path.split("/")[0]].name for c in view.categories))
        cells = (
            ", ".join(classes),
            ", ".join(c.name for c in view.categories),
            str(view.year),
            *(value for _, value in view.facets),
            view.added,
        )
        return tuple(map(shared, cells))  # each a value of many studies: see shared

    def identifiers_json(self) -> str:
        """What the header search and the tables' filter find a study by when a reader types or pastes
        its arXiv id, its DOI or one of its addresses, and the index holds none of them (at 1,000
        studies the ids would add a tenth to it): each id, as two entries of one paper are compared
        (see bibliography.paper_identities), and each address as url_identity gives it, with the
        study's key, which the index holds. Fetched only when a query is one (see search-query.html)."""
        arxiv: dict[str, str] = {}
        doi: dict[str, str] = {}
        # And the addresses a reader pastes (the paper's, its code's, its project's), each of one study
        # alone: a framework's repository that several studies link names none of them.
        urls: dict[str, str | None] = {}
        for study in self.catalog.studies:
            ref = study.reference
            eprint = arxiv_of(ref.arxiv, ref.url)  # (an id given only in the entry's url, too)
            if eprint:
                arxiv.setdefault(arxiv_identity(eprint), study.key)
            if ref.doi:
                doi.setdefault(doi_identity(ref.doi), study.key)
            # (each address once a study: its url may be a link of its own too)
            own = dict.fromkeys(
                url_identity(url) for url in (ref.url, *(u for _, u in study.annotation.links)) if url
            )
            for found in own:
                if found:
                    urls[found] = study.key if found not in urls else None
        alone = {address: key for address, key in urls.items() if key is not None}
        return _TABLE_JSON({"arxiv": arxiv, "doi": doi, "url": alone})

    def matrix_json(self) -> str:
        """What the browser needs to filter, sort and page the comparison tables (matrix.json): the
        taxonomy and every study's record, as compact JSON joined from the records table_data() encodes."""
        head, records = self._encoded_tables
        return f'{head[:-1]},"studies":[{",".join(records.values())}]}}'

    def table_data(self, skip: Collection[str] = ()) -> dict[str, str]:
        """The data file of every node's table (tables/<path>.json): only the studies in its scope; those
        in `skip` left out.

        Each study's record is encoded once (with its view) and joined into the files of its nodes.
        """
        records = self._encoded_tables[1]
        files = {}
        for node in self.catalog.taxonomy.nodes:
            keys = self.catalog.under[node.path]
            if keys and table_data(node.path) not in skip:
                studies = ",".join([records[key] for key in keys])
                head = self._scoped_head(node.path)
                files[table_data(node.path)] = f'{head[:-1]},"studies":[{studies}]}}'
        return files

    @cached_property
    def _encoded_tables(self) -> tuple[str, dict[str, str]]:
        """The head of every table's data (its taxonomy) and each study's record, as compact JSON."""
        head = _TABLE_JSON({"taxonomy": self._table_taxonomy(), "columns": self.column_ids()[1:]})
        if self._base:
            return head, self._records
        return head, {v.key: _TABLE_JSON(self._table_record(v, self._cells[v.key])) for v in self.studies}

    def table_keys(self) -> dict[str, str]:
        """The key of matrix.json and of each node's table data: a digest of what each is joined from,
        the head and each of its studies' records in order (by the record's digest); {} when the views
        are not kept. An edit to what no table shows (a summary) changes none of them."""
        if not self._base:
            return {}
        head, digests = self._encoded_tables[0], self._record_digests
        keys = {MATRIX_DATA: digest("matrix data", head, *(digests[view.key] for view in self.studies))}
        for node in self.catalog.taxonomy.nodes:
            under = self.catalog.under[node.path]
            if under:
                scoped = self._scoped_head(node.path)
                keys[table_data(node.path)] = digest("table data", scoped, *(digests[key] for key in under))
        return keys

    def _scoped_head(self, path: str) -> str:
        """The head of a node's table data: the taxonomy as far as its studies are placed (see
        _table_taxonomy), as compact JSON, made once per node."""
        return _once(
            self._heads,
            path,
            lambda: _TABLE_JSON(
                {"taxonomy": self._table_taxonomy(self.catalog.under[path]), "columns": self.column_ids()[1:]}
            ),
        )

    def _table_taxonomy(self, keys: Sequence[str] | None = None) -> dict[str, Any]:
        """What a table names its class and leaf filters' values by: every node, or with `keys` (the
        studies of a node's table) only the leaves those studies are in and their classes, in tree
        order; a table filters by no other (each of a thousand leaves' tables naming all of them made
        the tables the square of the taxonomy's size). And the facets, in order, and the values that
        say a facet is unknown."""
        taxonomy = self.catalog.taxonomy
        nodes = taxonomy.nodes
        if keys is not None:
            used: set[str] = set()
            for key in keys:
                for leaf in self.catalog.study(key).annotation.categories:
                    used.update((leaf, leaf.split("/")[0]))
            order = self._node_order
            nodes = tuple(taxonomy.node(path) for path in sorted(used, key=order.__getitem__))
        named = {
            "nodes": [{"path": n.path, "name": n.name} for n in nodes],
            "facets": [{"id": f.id, "label": f.label} for f in taxonomy.facets],
            "unknown": list(UNKNOWN_VALUES),  # a cell holding one of these sorts last, either way
        }
        # An address's filters written before a node was renamed (matrix.js: renamed): those of the nodes
        # this table names (all of them in every table grew the tables with the square, as above).
        shown = {node.path for node in nodes}
        moved = {old: new for old, new in self.renamed.items() if new in shown}
        if moved:
            named["moved"] = moved
        edition = self.survey.edition_of
        if edition is not None:  # (a reader's trial looked for the studies added since the survey)
            names = dict(zip(ORIGIN_VALUES, origin_names(edition.short_name), strict=True))
            named[ORIGIN_FILTER] = {"label": ORIGIN_LABEL, "names": names}
        return named

    @cached_property
    def _node_order(self) -> dict[str, int]:
        return {node.path: index for index, node in enumerate(self.catalog.taxonomy.nodes)}

    def _table_record(self, view: StudyView, cells: tuple[str, ...]) -> dict[str, Any]:
        study = self.catalog.study(view.key)
        return {
            "key": view.key,
            "name": view.name,
            "page": study_url(view.key),
            "categories": [c.path for c in view.categories],
            "facets": {f.id: list(study.facet(f.id)) for f in self.catalog.taxonomy.facets},
            "year": view.year,
            "cells": list(cells),
            # (the venue and the key too: a reader's trial looked for 'NeurIPS' and for a citation key)
            "text": " ".join((view.name, view.title, view.authors, view.venue, view.key)).lower(),
            **({ORIGIN_FILTER: study.annotation.in_survey} if self.survey.edition_of is not None else {}),
        }

    def additions(self, studies: list[Study]) -> list[tuple[str, list[StudyView]]]:
        """Studies grouped by the month they were added ('November 2026'), in the order given."""
        groups: dict[str, list[StudyView]] = {}
        for study in studies:
            groups.setdefault(month_added(study), []).append(self._by_key[study.key])
        return list(groups.items())

    def entries(self, studies: list[Study]) -> list[tuple[str, list[StudyView | Reviewed]]]:
        """What's new's lines: as additions, but in an edition the studies its original survey reviews
        that were added on one day are one line (Reviewed), after the day's other studies: a reader's
        trial found the survey's own studies listed one by one as what is new, among those the site
        added. (`additions` stays as it was for a project's own template.)"""
        groups: dict[str, list[StudyView | Reviewed]] = {}
        reviewed: dict[datetime.date, Reviewed] = {}
        edition = self.survey.edition_of
        for study in studies:
            group = groups.setdefault(month_added(study), [])
            note = study.annotation
            if edition is None or not note.in_survey:
                group.append(self._by_key[study.key])
            elif note.added in reviewed:
                reviewed[note.added].count += 1
            else:
                reviewed[note.added] = Reviewed(note.added.isoformat(), edition.short_name)
                group.append(reviewed[note.added])
        for group in groups.values():  # the line of the survey's studies last of its day (the order kept)
            group.sort(key=lambda view: (str(view.added), not isinstance(view, Reviewed)), reverse=True)
        return list(groups.items())

    def _node_view(self, node: Node) -> NodeView:
        depth = node.path.count("/")
        return NodeView(
            path=node.path,
            name=node.name,
            gloss=node.gloss,
            description=description(node.description),
            page=node_page(node.path),
            count=len(self.catalog.under[node.path]),
            count_label=count_label(len(self.catalog.under[node.path])),
            depth=depth,
            indent=Markdown("    " * depth),
            is_leaf=node.is_leaf,
            download=f"downloads/{node.class_path}.bib",
            feed=node_feed(node.path),
            ris=class_ris(node.class_path),
        )

    def _trail_pairs(self, path: str) -> tuple[tuple[str, str], ...]:
        """The (name, page) of each node from the class down to a leaf, made once per leaf."""
        return _once(self._trails, path, lambda: tuple((n.name, n.page) for n in self.trail(path)))

    def _trail_line(self, path: str, here: str) -> str:
        """The '- ' line of the trail to a leaf, linked from the page `here`: once per leaf and folder."""

        def make() -> str:
            links = [page_link(name, target, here) for name, target in self._trail_pairs(path)]
            return "- " + TRAIL_SEPARATOR.join(links)

        return _once(self._trail_lines, (path, here.rpartition("/")[0]), make)

    def _facet_row(self, facet: Facet, values: tuple[str, ...], here: str) -> str:
        """A row of a study's facet table, on the page `here`: each value a link to the matrix showing
        every study with that value (made once per facet, values and folder)."""

        def make() -> str:
            matrix = relative_path(MATRIX_PAGE, here)
            links = [
                f"[{escape(value)}]({matrix}{matrix_query((facet.id, value))})"
                if value and FILTER_SEPARATOR not in value  # (the matrix's own separator of values)
                else escape(value)
                for value in values
            ]
            return f"| {escape(facet.label)} | {', '.join(links)} |"

        return _once(self._facet_rows, (facet.id, values, here.rpartition("/")[0]), make)

    def _origin(self, note: Annotation, brief: bool = False) -> str:
        """'Reviewed in <the original survey>' or 'Added by this site on <date>, not reviewed in <the
        original survey>', 'Added by this site' if `brief`; '' without an original survey. (It said 'Added
        since the survey', which a reader's trial took for 'published since': 11 of the studies it
        marked were on arXiv before the survey.)"""
        edition = self.survey.edition_of
        if edition is None:
            return ""
        reviewed, added = origin_names(edition.short_name)
        if note.in_survey:
            return reviewed
        return added if brief else f"{added} on {note.added}, not reviewed in {edition.short_name}"

    def _study_views(
        self, studies: Sequence[Study], start: int, related: Callable[[int], list[str]]
    ) -> list[_MadeView]:
        """What Views keeps of each of these studies (the first of them at `start` in catalog order)."""
        made = []
        for index, study in enumerate(studies, start):
            found = related(index)
            make = partial(self._view_and_cells, study, found)
            if not self._base:
                made.append(_MadeView._make((*make(), found, "", True)))
                continue
            key = self._keys.get(study.key) or self.view_key(study, found)
            if self.memo.known(key):  # (after an edit, all but a few: without a call to make one)
                made.append(_MadeView._make((*self.memo.kept(key), found, key, False)))
            else:
                made.append(_MadeView._make((*self.memo.get(key, make), found, key, True)))
        return made

    def download_rows(self) -> list[Rows] | None:
        """Each study's rows of the downloads (see downloads.study_rows) in catalog order, kept with its
        view; None when views are not kept (then they are made where they are joined)."""
        return list(self._rows.values()) if self._base else None

    def scope_key(self, path: str, studies: tuple[StudyView, ...]) -> str:
        """What the views of these studies (under the node at `path`) are kept under, in one key; ''
        when views are not kept."""
        if not self._base:
            return ""
        nodes = self._node_keys.values()  # the page shows the node, its trail and its children
        keys = (self._keys[view.key] for view in studies)
        return digest("scope", self._base, self._renamed_key, *nodes, path, *keys)

    def whole_key(self) -> str:
        """One key for every study's view, in catalog order ('' when views are not kept): it changes
        whenever the catalog's digest would (the taxonomy, a study file or entry, the studies' order),
        as each view's key is made of those (see view_key), and when the survey's settings do."""
        return digest("every view", *self._keys.values()) if self._base else ""

    def kept_key(self, view: StudyView) -> str:
        """What a study's view is kept under from run to run ('' when views are not kept): a key for
        what is made from the view alone, such as its page."""
        return self._keys[view.key]

    def view_key(self, study: Study, related_keys: list[str]) -> str:
        """The key of a study's view and table cells: what they are made of (see __init__), so that a
        run after an edit makes again only the views of the studies it changed. Only when kept."""
        names = (part for key in related_keys for part in (key, self.catalog.study(key).annotation.name))
        nodes = (self._node_keys[leaf] for leaf in study.annotation.categories)
        entry = self.entry_keys[study.key]
        return digest("view", self._base, study.annotation.source, entry, *nodes, *names)

    def _view_and_cells(
        self, study: Study, related_keys: list[str]
    ) -> tuple[StudyView, tuple[str, ...], str, str, Rows | None]:
        """A study's view and its table cells; when views are kept, also all else that is made of the
        study alone, kept with them under its view's key: its record in the tables' data, the record's
        digest (see table_keys) and its rows of the downloads. (Else those are made where they are
        joined, in a cold run mostly in the second process: made here, they came back with the views.)"""
        view = self._study_view(study, related_keys)
        cells = self._row_cells(view)
        if not self._base:
            return view, cells, "", "", None
        record = _TABLE_JSON(self._table_record(view, cells))
        return (
            view,
            cells,
            record,
            digest(record),
            study_rows(self.catalog.taxonomy.facets, study, self.survey.edition_of is not None),
        )

    @staticmethod
    def _related(
        kept: dict[str, list[str]] | None, places: list[list[Place]] | None, keys: list[str], index: int
    ) -> list[str]:
        """The related studies of the study at `index`: kept, or counted from its places."""
        if kept is not None:
            return kept[keys[index]]
        assert places is not None
        return related_of(index, places[index], keys)

    def _study_view(self, study: Study, related_keys: list[str]) -> StudyView:
        ref, note = study.reference, study.annotation
        # (The COinS span and the marked author list took a third of the time of a view; they were kept
        # by the reference's formatted entry before the views were kept whole, in another 20 MB.)
        citable = Citable.of(ref)
        span, marked = coins(citable), surnames_indexed(ref.authors, ref.families)
        authors = ", ".join(ref.authors)
        if ref.more_authors:  # 'A and B and others': 'A, B et al.' (the byline adds its own full stop)
            authors, marked = f"{authors} et al.", Markdown(f"{marked} et al")
        short = authors
        if len(ref.authors) > SHORT_AUTHOR_LIST:
            short = ", ".join(ref.authors[: SHORT_AUTHOR_LIST - 1]) + " et al."
        shown = [(facet, study.facet(facet.id)) for facet in self.catalog.taxonomy.facets]
        facets = tuple((facet.label, ", ".join(values)) for facet, values in shown)
        kinds = [kind for kind, _ in self.survey.links]
        ordered = sorted(note.links, key=lambda link: kinds.index(link[0]))
        links = tuple((self.survey.link_label(kind), url) for kind, url in ordered)
        if doi := published_doi(ref.doi, ref.arxiv):
            links += (("DOI", doi_link(doi)),)
        if ref.arxiv:
            links += (("arXiv", arxiv_address(ref.arxiv)),)
        if ref.url and not same_address(ref.url, links):  # e.g. the published version beside arXiv
            links += ((_ADDRESS_LABELS.get(ref.entry_type, "Paper"), ref.url),)
        page = study_page(study.key)
        trails = tuple(self._trail_pairs(c) for c in note.categories)
        related = tuple((self.catalog.study(k).annotation.name, study_page(k)) for k in related_keys)
        return StudyView(
            key=study.key,
            name=note.name,
            title=ref.title,
            after_name=after_name(note.name, ref.title),
            authors=authors,
            authors_marked=marked,
            plain_surnames=plain_surnames(ref.authors, ref.families),
            authors_short=short,
            year=ref.year,
            venue=_typed_venue(ref),
            summary=note.summary,
            note=note.note,
            page=page,
            placement=note.placement,
            placement_note=note.placement_note,
            placement_warning=note.placement_note
            or (UNCERTAIN_PLACEMENT if self.survey.edition_of else UNCERTAIN_PLACEMENT_NEW),
            origin=self._origin(note),
            origin_brief=self._origin(note, brief=True),
            categories=tuple(self._nodes[c] for c in note.categories),
            trails=trails,
            facets=facets,
            links=links,
            bibtex=code_block(ref.bibtex, "bibtex"),
            related=related,
            edit=f"{self.edit_url}content/studies/{study.key}.yaml" if self.edit_url else "",
            added=note.added.isoformat(),
            coins=span,
            ris=study_ris(study.key),
            trail_lines=Markdown("\n".join([self._trail_line(c, page) for c in note.categories])),
            facet_lines=Markdown(
                "\n".join([self._facet_row(facet, values, page) for facet, values in shown])
            ),
            unknown_lines=Markdown(
                " ".join([UNKNOWN_SAID[v] for v in UNKNOWN_VALUES if any(v in vs for _, vs in shown)])
            ),
            link_lines=Markdown("\n".join([f"- {web_link(label, url)}" for label, url in links])),
            related_lines=Markdown("\n".join([f"- {page_link(n, target, page)}" for n, target in related])),
            authors_folded=folded_authors(ref.authors, ref.more_authors),
            venue_details=venue_details(citable) if ref.venue else "",
            doi_line=byline_doi(ref.doi, ref.arxiv),
            arxiv_line=byline_arxiv(arxiv_of(ref.arxiv, ref.url), ref.venue),
        )
