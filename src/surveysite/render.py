"""Stage 6: render every page of the site as Markdown with the Jinja2 templates."""

from __future__ import annotations

import marshal
import pickle
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import takewhile
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import jinja2

from .cache import Memo, digest
from .capture import Citable, coins, joined_ris, ris_record
from .charts import leaf_by_facet, series_css, studies_per_year
from .downloads import download_files
from .feed import atom_feed, newest_first, node_feed_title, node_feeds
from .issueform import leaf_option
from .markdown import Markdown, front_matter, theme_text
from .model import Catalog, Reference, Study, made_of
from .output import Seen, as_written, holds, unchanged
from .pages import HandPage, titled_intro
from .parallel import chunked, run_split
from .paths import (
    ALL_STUDIES_BIB,
    ALL_STUDIES_RIS,
    COLOURS_CSS,
    FEED_PATH,
    MATRIX_DATA,
    SEARCH_IDENTIFIERS,
    class_download,
    class_ris,
    study_ris,
)
from .problems import Problem
from .proposals import proposal_url, repository_address
from .survey import Survey
from .taxonomy_data import taxonomy_files
from .templating import environment, render_template, templates_digest
from .views import (
    CARD_LIMIT,
    TRAIL_SEPARATOR,
    StudyView,
    Views,
    card_text,
    month_added,
    origin_names,
    search_aliases,
)

NavItem = str | dict[str, Any]


class Known(str):
    """In place of a study page's Markdown: the digest of the page (of its UTF-8 bytes), which an
    earlier build made under the key the page would be made under now (see render_site's `defer`)."""

    __slots__ = ()


V = TypeVar("V")


class MadeWhenRead(Mapping[str, V], Generic[V]):
    """A mapping made by `make` when first read, and kept: what the study pages' search entries are
    given (their aliases, their titles), which only the MkDocs plugin reads (made for `pages` too, the
    aliases were 0.07 s of a cold run at 10,000 studies in this process alone, while the other core
    had nothing to do)."""

    def __init__(self, make: Callable[[], dict[str, V]]) -> None:
        self._make: Callable[[], dict[str, V]] | None = make
        self._made: dict[str, V] = {}

    def _got(self) -> dict[str, V]:
        if self._make is not None:  # (then let go of what it was made from: all the study views)
            self._made, self._make = self._make(), None
        return self._made

    def __getitem__(self, key: str) -> V:
        return self._got()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._got())

    def __len__(self) -> int:
        return len(self._got())


class Pages(Mapping[str, str]):
    """The site's Markdown pages by source path, in order, some of them made only when read (see
    render_site's `defer`): each given as the digest of its Markdown and a function that makes it.
    `text_digest` tells the digest without making the page."""

    def __init__(self, entries: dict[str, str | tuple[str, Callable[[], str]]]) -> None:
        self._entries = entries

    def __getitem__(self, path: str) -> str:
        entry = self._entries[path]
        if isinstance(entry, tuple):
            text = self._entries[path] = entry[1]()
            return text
        return entry

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, path: object) -> bool:
        return path in self._entries

    def text_digest(self, path: str) -> str:
        """The digest of a page's Markdown (of its UTF-8 bytes), without making it when it is deferred."""
        entry = self._entries[path]
        return entry[0] if isinstance(entry, tuple) else digest(entry)

    @property
    def deferred(self) -> int:
        """How many pages have not been made (yet)."""
        return sum(1 for entry in self._entries.values() if isinstance(entry, tuple))

    def waiting(self, path: str) -> bool:
        """Whether the page is deferred and has not been made (yet)."""
        return isinstance(self._entries.get(path), tuple)


def text_digest(pages: Mapping[str, str], path: str) -> str:
    """The digest of a page's Markdown: see Pages.text_digest (any other mapping's pages are made)."""
    return pages.text_digest(path) if isinstance(pages, Pages) else digest(pages[path])


@dataclass(frozen=True)
class Site:
    """The generated site: Markdown pages and other files by source path, the navigation, its identity."""

    pages: Mapping[str, str]
    nav: list[NavItem]
    files: Mapping[str, str | bytes]  # the files beside the pages: text, or bytes (see downloads.Rows)
    title: str
    description: str
    studies: tuple[str, ...]
    kept: Mapping[str, Seen] = field(default_factory=dict)  # what the output folder holds: see render_site
    # The pages and files compared with the output folder and found changed, encoded as compared: see
    # render_site (only with `kept_in`: what `pages` writes; the engines read pages and files alone).
    encoded: Mapping[str, bytes] = field(default_factory=dict)
    keys: Mapping[str, str] = field(default_factory=dict)  # the keys of what may be trusted: see render_site
    # What a search finds each study page by besides its text, by the page's source: see search_aliases.
    aliases: Mapping[str, str] = field(default_factory=dict)
    # Each study page's title as its page shows it under the name, and the title its search entry is
    # given: see serve_pages.index_study_titles.
    search_titles: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    repository: str = ""  # the project's repository, '' when unknown: see proposals.repository_address
    # What the build warns of, at its place: a move of content/published.txt it cannot make (see
    # build._with_redirects); the engine's build prints each as its warning (failing a strict one).
    warnings: tuple[Problem, ...] = ()

    @property
    def site_name(self) -> str:
        """The title as the engine's site_name: the theme prints it unescaped in every page's head."""
        return theme_text(self.title)

    @property
    def site_description(self) -> str:
        """The description as the engine's site_description ('' when none), escaped as site_name is."""
        return theme_text(self.description) if self.description else ""


def render_site(
    catalog: Catalog,
    survey: Survey,
    template_dirs: list[Path],
    hand_pages: list[HandPage],
    intro: str,
    edit_url: str | None,
    memo: Memo,
    kept_in: Path | None = None,
    trusted: Mapping[str, tuple[Seen, str]] | None = None,
    defer: bool = False,
    first: Mapping[str, str] | None = None,
    renamed: Mapping[str, str] | None = None,
) -> Site:
    """Render the home page, every node, every study, the matrix and the hand-written pages.

    With `kept_in`, the folder an earlier `pages` run wrote, each page and file that folder already
    holds byte for byte is left out of the pages and files, and given in `kept` with its size and
    time (see output.unchanged): compared where it is made, in either process, its text is never
    passed back, compared again, or written. A study page in `trusted` (what the last run wrote
    there: its size and time, and the key it was made under; see stamp.trusted) with the key it would
    be made under now, and that size and time, is not even read; so is a RIS record, and a download
    joined from the studies' entries or a table's data file is not even made (see _compared). The keys
    of all of these are given in `keys` (when results are kept).

    With `defer` (the MkDocs plugin, which needs a study page's Markdown only to build the page, and
    its digest to tell whether the HTML it built before will do), a study page whose length and digest
    the Memo keeps under its key is not rendered: `pages` (see Pages) renders it if it is read. At
    10,000 studies, rendering all of them for their digests was 0.8 s of a build after one edit.

    `first`: the address each page moved to was first published at (see published.Moves), which its
    feed's id and its entries' are made of, so that a feed reader does not take them for new ones.
    `renamed`: each renamed node's old path and its new one (see published.Moves.renamed_nodes), which
    the tables' filters read addresses written before by.

    A page depends only on its template and its context, so under `serve`, whose Memo lasts, a page
    whose context is unchanged is reused rather than rendered again. The pages and the other
    files (downloads, feeds, table data) are made side by side (see parallel.run_split).
    """
    templates = templates_digest(template_dirs)
    env = environment(template_dirs, templates)
    views = Views(catalog, survey, edit_url, memo, renamed)
    catalog.newest  # noqa: B018 (sorted here once, before the work is shared: see Catalog.newest)
    # What's new and the files kept whole read the whole catalog: reused while no study or node changes
    # (the views' keys tell that in one digest of 10,000 short ones, against 30 ms for the catalog's).
    whole = (views.whole_key() or catalog_digest(catalog, views.entry_keys)) if memo.keep else ""
    identity = pickle.dumps(survey, pickle.HIGHEST_PROTOCOL)
    files_key = digest("files", whole, identity, edit_url or "")
    render_from = partial(partial, _rendered, env, templates, memo)  # a Render keyed by a source (or None)
    render = render_from(None)
    render_whole = render_from(files_key)  # keyed by what the views read
    count = len(views.studies)
    chunks = chunked(views.studies, CHUNK)

    # Each study's RIS record's key, when kept: the file the last run wrote under it is not read again.
    ris_keys = {study_ris(key): entry for key, entry in views.entry_keys.items()}  # see views.entry_key
    # So are the BibTeX and RIS files joined from every study's, or a class's: see _joined_keys.
    joined_bib, joined_ris = _joined_keys(views) if ris_keys else ({}, {})
    table_keys = views.table_keys()  # and the tables' data: see Views.table_keys
    if table_keys:  # and the search's identifiers, made of the entries (keys, ids, urls) and the links
        links = marshal.dumps([study.annotation.links for study in catalog.studies], 2)
        table_keys[SEARCH_IDENTIFIERS] = digest("search identifiers", views.entries_key, links)
    part_keys = {"reading": {**ris_keys, **joined_ris}, "downloads": joined_bib, "data": table_keys}
    last = trusted or {}  # what the last run wrote, and under which keys: see _still_written

    def files_task(name: str) -> tuple[str, Callable[[], Mapping[str, str | bytes | Seen]], int]:
        maker, cost, join_cost, kept_whole = FILE_PARTS[name]
        make = partial(maker, catalog, survey, views)
        # Each study's part of these files is kept with its view: only the views made again cost theirs.
        work = cost * views.made + join_cost * count
        keys = part_keys[name]
        if not kept_whole:
            # The reading files, the one part not kept whole: each RIS record is kept under its key.
            make = partial(make, ris_keys, first=first)
            return name, partial(_compared, kept_in, make, last, keys), work
        key = digest(files_key, name)
        # Kept in memory (serve) but not saved: see FILE_PARTS. Compared where made, as the study pages
        # are: at 10,000 studies the downloads and table data are 84 MB, which a child made and passed
        # back through the pipe although the output folder held every byte of them already.
        kept_or_made = partial(_kept_whole, memo, key, make)
        return name, partial(_compared, kept_in, kept_or_made, last, keys), 0 if memo.known(key) else work

    # Each study page's key, when views are kept: its length and digest are kept under it.
    page_keys = {}
    if views.kept:
        page_keys = {v.page: digest("study page", templates, views.kept_key(v)) for v in views.studies}

    def study_task(chunk: Sequence[StudyView]) -> Callable[[], Mapping[str, str | bytes | Seen]]:
        if page_keys:
            return partial(_kept_study_pages, render, memo, page_keys, kept_in, last, chunk, defer)
        return partial(_compared, kept_in, partial(_skipping_none, partial(_study_pages, render, chunk)))

    def page_cost(chunk: Sequence[StudyView]) -> int:
        if not page_keys or (kept_in is None and not defer):
            return PAGE_COST * len(chunk)
        known = sum(memo.known(page_keys[view.page]) for view in chunk)
        return PAGE_COST * (len(chunk) - known) + KEPT_PAGE_COST * known

    # The work in the order it is shared: this process takes the first part, a child the last (about
    # CHILD_SHARE of the cost; where they meet is claimed as they go, see run_split). After an edit
    # (most views kept, the output folder compared), the child's part is the study pages, the pages
    # after the nodes' and the files whose bytes come back to this process seldom; the downloads,
    # which an edited summary changes (30 MB at 10,000 studies, passed back through the pipe), are
    # made here, always.
    edited = kept_in is not None and 2 * views.made < count
    downloads = [files_task("downloads")]
    tail = [("tail", partial(_tail_pages, render, render_whole, views, hand_pages, edit_url, memo),
             SITE_COST * count)]  # fmt: skip
    work: list[tuple[str, Callable[[], Mapping[str, str | bytes | Seen]], int]] = [
        ("head", partial(_head_pages, render_from, views, intro, memo), SITE_COST * count),
        *(downloads if edited else tail),
        files_task("reading"),
        *((f"studies {i}", study_task(chunk), page_cost(chunk)) for i, chunk in enumerate(chunks)),
        files_task("data"),
        *(tail if edited else downloads),
    ]
    names, tasks, costs = zip(*work, strict=True)
    share = CHILD_SHARE if kept_in is None else CHILD_SHARE_KEPT if edited else CHILD_SHARE_COMPARED
    here = names.index("downloads") + 1 if edited else 0
    made = dict(zip(names, run_split(tasks, costs, memo, SPLIT_COST, share, here), strict=True))
    kept = {name: seen for part in made.values() for name, seen in part.items() if isinstance(seen, tuple)}
    # With an output folder to compare with, every file made is given encoded (those that changed) or
    # as its size and time (see _compared); else as made: text, or bytes (the downloads joined from
    # each study's encoded rows: see downloads.Rows).
    encoded = (
        {name: data for part in made.values() for name, data in part.items() if isinstance(data, bytes)}
        if kept_in is not None
        else {}
    )
    texts: dict[str, str | tuple[str, Callable[[], str]]] = {**_texts(made["head"])}
    plain = partial(_plain_render, env)  # a page made on demand is not kept in the Memo
    by_page = {view.page: view for view in views.studies} if defer else {}
    for i in range(len(chunks)):
        for page, text in made[f"studies {i}"].items():
            if isinstance(text, Known):
                texts[page] = (str(text), partial(_study_page, plain, by_page[page]))
            elif isinstance(text, str):
                texts[page] = text
    texts.update(_texts(made["tail"]))
    deferred = any(isinstance(text, tuple) for text in texts.values())
    files: dict[str, str | bytes] = {
        name: text
        for part in ("data", "downloads", "reading")
        for name, text in made[part].items()
        if isinstance(text, str) or (kept_in is None and isinstance(text, bytes))
    }
    citation = survey_citation(survey)
    if citation:  # the survey's own record, for reference managers, on its About page (else the home page)
        page = CITATION_PAGE if CITATION_PAGE in texts else "index.md"
        text = texts[page]
        assert isinstance(text, str), "a study page is neither the About page nor the home page"
        texts[page] = text.rstrip("\n") + "\n\n" + citation + "\n"
    return Site(
        pages=Pages(texts) if deferred else cast(dict[str, str], texts),
        nav=_nav(views, hand_pages),
        files=files,
        title=survey.title,
        description=survey.description,
        studies=tuple(s.key for s in views.studies),
        kept=kept,
        encoded=encoded,
        keys={**page_keys, **ris_keys, **joined_bib, **joined_ris, **table_keys},
        aliases=MadeWhenRead(partial(_search_aliases, views.studies)),
        search_titles=MadeWhenRead(partial(_search_titles, views.studies)),
        repository=repository_address(survey.repository, edit_url),
    )


def _search_aliases(studies: Sequence[StudyView]) -> dict[str, str]:
    return {view.page: search_aliases(view.key, view.name, view.plain_surnames) for view in studies}


def _search_titles(studies: Sequence[StudyView]) -> dict[str, tuple[str, str]]:
    """Each study page's title, and its name followed by the title (less a leading name: see after_name)."""
    return {view.page: (view.title, view.name + view.after_name) for view in studies}


def _texts(made: Mapping[str, str | bytes | Seen]) -> dict[str, str]:
    return {
        name: text for name, text in made.items() if isinstance(text, str) and not isinstance(text, Known)
    }


# What the work costs, roughly, in microseconds per study (measured at 10,000 studies), so that
# run_split shares it evenly; below SPLIT_COST it all runs in one process.
PAGE_COST, SITE_COST = 230, 30  # and the files beside the pages: see FILE_PARTS
KEPT_PAGE_COST = 25  # a study page not rendered again, its file read and digested (_kept_study_pages)
SPLIT_COST = 1_500_000  # some 3,000 studies: below, a fork costs more than it saves
# The child's share, where run_split starts from (each process's own part is half of its share; the
# rest goes to whichever is quicker): it is slower at this work than this process, and its files
# are unpickled here; when they are compared with the output folder where they are made (kept_in),
# little comes back (measured with the cut fixed, at 10,000 studies, 0.55 left this process busy
# 2.0-3.0 s, the child 2.0-2.5 s; 0.6 about even). After an edit, when most views are kept, the
# child's part is mostly the files beside the pages: KEPT.
CHILD_SHARE, CHILD_SHARE_COMPARED, CHILD_SHARE_KEPT = 0.45, 0.58, 0.4
CHUNK = 500  # study pages rendered per task

Render = Callable[..., tuple[str, str]]


def _rendered(
    env: jinja2.Environment,
    templates: str,
    memo: Memo,
    source: str | None,
    template: str,
    here: str,
    **context: Any,
) -> tuple[str, str]:
    """A page's source path and Markdown, reused from a lasting Memo when its template and context are.

    The context is pickled for the key, unless `source` is given: the digest of all the context is
    made from, for a page made from nothing but the catalog, the survey and the edit address. What's
    new holds every study's view: pickling it took 0.65 s at 10,000 studies (a 50 MB pickle), and it
    changes with any study anyway.
    """

    def key() -> str:
        made_of = source or pickle.dumps(context, pickle.HIGHEST_PROTOCOL)
        return digest("page", templates, template, here, made_of)

    # Kept for serve's next rebuild, never in the cache file: a run that reads it would compute the key,
    # which costs as much as rendering, and at 10,000 studies the pages were half the file (59 MB).
    return here, memo.get_by(key, lambda: render_template(env, template, here, context), saved=False)


def _head_pages(
    render_from: Callable[[str | None], Render], views: Views, intro: str, memo: Memo
) -> dict[str, str]:
    """The home page and every node's page."""
    # The chart counts studies by year and class: kept while the entries (which give the years) and the
    # placements are the same.
    chart = memo.get(
        digest("years", views.placements, views.entries_key), lambda: studies_per_year(views.catalog)
    )
    pages = dict([render_from(None)("home.md.j2", "index.md", tree=views.tree(), classes=views.classes(),
                         intro=Markdown(titled_intro(intro, views.survey.title)), total=len(views.studies),
                         chart=chart, facets=views.catalog.taxonomy.facets)])  # fmt: skip
    pages.update(_node_pages(render_from, views))
    return pages


def _compared(
    kept_in: Path | None,
    make: Callable[[frozenset[str]], Mapping[str, str | bytes]],
    trusted: Mapping[str, tuple[Seen, str]] | None = None,
    keys: Mapping[str, str] | None = None,
) -> Mapping[str, str | bytes | Seen]:
    """What `make` makes, less what `kept_in` already holds (see render_site), the rest encoded (see
    output.unchanged). A file to be made under the key in `keys` that the last run wrote under the
    same key (`trusted`), still of the size and time it had then, is given as that size and time: it
    is neither read (see _still_written) nor made (`make` is given the names of such files to skip)."""
    if kept_in is None:
        return make(frozenset())
    still: dict[str, Seen] = {}
    if trusted and keys:
        for name, key in keys.items():
            seen = _still_written(kept_in, trusted, name, key)
            if seen is not None:
                still[name] = seen
    made = make(frozenset(still))
    return {**unchanged(kept_in, {n: text for n, text in made.items() if n not in still}), **still}


def _skipping_none(make: Callable[[], Mapping[str, str]], skip: frozenset[str]) -> Mapping[str, str]:
    """What `make` makes, none of it to be skipped (it is made under no key: see _compared)."""
    assert not skip
    return make()


def _kept_whole(
    memo: Memo, key: str, make: Callable[[frozenset[str]], Mapping[str, str | bytes]], skip: frozenset[str]
) -> Mapping[str, str | bytes]:
    """A part of the files kept whole in the Memo under `key` (in memory only: see FILE_PARTS), or, with
    files to skip, made without them (and not kept: it is not the whole part)."""
    return make(skip) if skip else memo.get(key, partial(make, skip), saved=False)


def _joined_keys(views: Views) -> tuple[dict[str, str], dict[str, str]]:
    """The keys of the BibTeX and of the RIS files joined from the studies' (all, and each class's):
    what each is made of, the formatted entry of each of its studies in order (by its digest, see
    views.entry_key); a BibTeX file and the RIS file of the same studies share one. An edit to a study
    file changes none of them, unless it moves the study (or, by its name, its place in the order)."""
    catalog, entries, every = views.catalog, views.entry_keys, views.entries_key  # every: all, in order
    bib, ris = {ALL_STUDIES_BIB: every}, {ALL_STUDIES_RIS: every}
    for node in catalog.taxonomy.nodes:
        if node.parent is None:
            bib[class_download(node.path)] = ris[class_ris(node.path)] = digest(
                "joined entries", *(entries[key] for key in catalog.under[node.path])
            )
    return bib, ris


def _still_written(
    kept_in: Path, trusted: Mapping[str, tuple[Seen, str]], name: str, key: str
) -> Seen | None:
    """The size and time of the file the last run wrote at `name` (`trusted`: see stamp.trusted), when
    it wrote it under the key it is made under now and the file still has them; else None."""
    last = trusted.get(name)
    if last is not None and last[1] == key and as_written(f"{kept_in}/{name}", last[0]):
        return last[0]
    return None


def _study_pages(render: Render, studies: Sequence[StudyView]) -> dict[str, str]:
    """These studies' pages."""
    return dict(_study_page_pair(render, s) for s in studies)


def _study_page_pair(render: Render, study: StudyView) -> tuple[str, str]:
    return render("study.md.j2", study.page, meta=front_matter(study.name, study.summary), study=study)


def _study_page(render: Render, study: StudyView) -> str:
    """One study's page (made on demand: see Pages)."""
    return _study_page_pair(render, study)[1]


def _plain_render(env: jinja2.Environment, template: str, here: str, **context: Any) -> tuple[str, str]:
    """A page's source path and Markdown, rendered (a Render that keeps nothing in the Memo)."""
    return here, render_template(env, template, here, context)


def _kept_study_pages(
    render: Render,
    memo: Memo,
    keys: Mapping[str, str],
    kept_in: Path | None,
    trusted: Mapping[str, tuple[Seen, str]],
    studies: Sequence[StudyView],
    defer: bool = False,
) -> Mapping[str, str | bytes | Seen]:
    """These studies' pages, less what `kept_in` holds already (as _compared gives them), without
    rendering a page again whose view was kept from an earlier run (Views.kept_key) when the folder
    holds what it rendered then: each page's length and digest are kept under its view's key (by
    any run, so that the next one into the folder it writes can use them), `keys` by page. A page the
    last run wrote under the same key (`trusted`), still of the size and time it had then, is not read
    (at 10,000 studies, reading and digesting them took a tenth of a run after one edit). With
    `defer` and no folder, a page whose length and digest are kept is given as its digest (Known)."""
    seen: dict[str, Seen] = {}
    known: dict[str, str | Seen] = {}
    for view in studies:
        key = keys[view.page]
        if defer and kept_in is None and memo.known(key):
            known[view.page] = Known(memo.kept(key)[1])
            continue
        if kept_in is not None and memo.known(key):
            length, text_digest = memo.kept(key)
            written = _still_written(kept_in, trusted, view.page, key)
            if written is not None:
                seen[view.page] = written
                continue
            found = holds(kept_in / view.page, length, partial(_digest_is, text_digest))
            if found is not None:
                seen[view.page] = found
    rendered = _study_pages(
        render, [view for view in studies if view.page not in seen and view.page not in known]
    )
    for page, text in rendered.items():
        memo.get(keys[page], partial(_length_and_digest, text))
    if kept_in is None:
        return {
            view.page: known[view.page] if view.page in known else rendered[view.page] for view in studies
        }
    made = unchanged(kept_in, rendered)
    return {view.page: seen[view.page] if view.page in seen else made[view.page] for view in studies}


def _length_and_digest(text: str) -> tuple[int, str]:
    data = text.encode("utf-8")
    return len(data), digest(data)


def _digest_is(expected: str, data: bytes) -> bool:
    return digest(data) == expected


def _tail_pages(
    render: Render,
    render_whole: Render,
    views: Views,
    hand_pages: list[HandPage],
    edit_url: str | None,
    memo: Memo,
) -> dict[str, str]:
    """The matrix, what's new (its key the whole catalog's: see _rendered) and the hand-written pages."""
    catalog = views.catalog
    repository = repository_address(views.survey.repository, edit_url)
    propose = partial(_proposal, repository, catalog) if repository else None
    overviews = [
        (f.label, memo.get(digest("heatmap", f.id, views.placements, repository),
                           partial(leaf_by_facet, catalog, f.id, 10, "./", propose)))
        for f in catalog.taxonomy.facets
        if f.kind != "yes-no"
    ]  # fmt: skip
    overviews = [(label, chart) for label, chart in overviews if chart]  # (none for a facet of no values yet)
    facets = catalog.taxonomy.facets
    edition = views.survey.edition_of
    ordered = newest_first(catalog)
    shown = ordered[:WHATS_NEW_LIMIT]
    # Those of the last month shown that are not (the limit falls within a month): the page says so.
    last = month_added(shown[-1]) if shown else None
    rest = ordered[len(shown) :]  # newest first: those of the same month lead
    month_rest = sum(1 for _ in takewhile(lambda s: month_added(s) == last, rest))
    pages = dict([
        render("matrix.md.j2", "matrix.md", matrix=views.matrix(), overviews=overviews, facets=facets,
               classes=views.classes(), pages=[(hand.title, hand.page) for hand in hand_pages],
               edition=edition.short_name if edition else ""),
        render_whole("whats-new.md.j2", "whats-new.md", additions=views.additions(shown),
                     entries=views.entries(shown), earlier=len(rest), total=len(ordered),
                     month_rest=month_rest),
    ])  # fmt: skip
    pages.update((hand.page, hand.text) for hand in hand_pages)
    return pages


CITATION_PAGE = "about.md"
# What's new lists the most recently added studies, no more: at 10,000 studies the whole list was a
# 2.4 MB page, made again after every edit. The matrix lists them all, and sorts by date added.
WHATS_NEW_LIMIT = 100


def survey_citation(survey: Survey) -> Markdown:
    """A COinS span with the published survey's record (content/survey.yaml, edition_of); '' without one."""
    edition = survey.edition_of
    if edition is None or not edition.title:
        return Markdown("")
    given = (("volume", edition.volume), ("pages", edition.pages))
    work = Citable("article", edition.title, edition.authors, edition.year, edition.venue,
                   edition.doi or None, edition.arxiv or None,
                   details=tuple((name, value) for name, value in given if value))  # fmt: skip
    return coins(work)


def _proposal(repository: str, catalog: Catalog, leaf: str) -> str:
    """The issue form with the leaf chosen as the form offers it (its generated option)."""
    return proposal_url(repository, leaf_option(catalog.taxonomy, leaf))


def _tab_title(name: str, trail: list[str]) -> str:
    """A node page's title in the browser's tab and bookmarks: its name, then in brackets the nodes above
    it, joined as the breadcrumbs join them (a reader's trial found a leaf's name alone said nothing
    there; a sub-category's alone as little). A class has none above it. The navigation
    names each by its name alone: its entry, or its section, gives its own title, not the page's."""
    return f"{name} ({TRAIL_SEPARATOR.join(trail[:-1])})" if len(trail) > 1 else name


def _node_pages(render_from: Callable[[str | None], Render], views: Views) -> Iterator[tuple[str, str]]:
    for node in views.tree():
        studies, trail = views.studies_under(node.path), views.trail_names(node.path)
        # Keyed by what the views of its studies are kept under, when they are (which covers the
        # nodes' views and the taxonomy): its context has no other input. Else by the context.
        yield render_from(views.scope_key(node.path, studies) or None)(
            "node.md.j2",
            node.page,
            meta=front_matter(
                _tab_title(node.name, trail),
                node.gloss,
                node.feed,
                node_feed_title(views.survey.title, trail),
            ),
            node=node,
            trail=views.trail(node.path),
            children=views.children(node.path),
            count=len(studies),
            cards=(cards := studies if len(studies) <= CARD_LIMIT else ()),
            cards_text=sum(map(card_text, cards)),
            matrix=views.matrix(node.path),
        )


def _data_files(catalog: Catalog, survey: Survey, views: Views, skip: Collection[str] = ()) -> dict[str, str]:
    """The tables' data (but the files in `skip`) and the class colours."""
    classes = tuple(n.path for n in catalog.taxonomy.nodes if n.parent is None)
    files = {} if MATRIX_DATA in skip else {MATRIX_DATA: views.matrix_json()}
    if SEARCH_IDENTIFIERS not in skip:
        files[SEARCH_IDENTIFIERS] = views.identifiers_json()
    return {
        **files,
        **views.table_data(skip),
        COLOURS_CSS: series_css([(c.light, c.dark) for c in survey.colours(classes)]),
    }


def _downloads(
    catalog: Catalog, survey: Survey, views: Views, skip: Collection[str] = ()
) -> dict[str, str | bytes]:
    """The downloads but those in `skip`, each study's JSON record and CSV row kept with its view (see
    Views.download_rows)."""
    return download_files(
        catalog, survey.schema_title, survey.edition_of is not None, views.download_rows(), skip
    )


def _reading_files(
    catalog: Catalog,
    survey: Survey,
    views: Views,
    ris_keys: Mapping[str, str] | None = None,
    skip: Collection[str] = (),
    first: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The RIS downloads (all, per class, per study), the taxonomy as JSON, the site's feed and every
    node's; the RIS downloads in `skip` left out.

    A study's RIS record depends on its reference alone: kept across builds while that is the same
    (under its key in `ris_keys`, by the record's path, when results are kept). `first`: see render_site.
    """
    memo, keys = views.memo, ris_keys or {}
    records: dict[str, str] = {}

    def record(study: Study) -> str:  # each made once, and only for a file left to make
        if study.key not in records:
            made = partial(_ris, study.reference)
            records[study.key] = memo.get(keys.get(study_ris(study.key), ""), made)
        return records[study.key]

    files = (
        {} if ALL_STUDIES_RIS in skip else {ALL_STUDIES_RIS: joined_ris(record(s) for s in catalog.studies)}
    )
    for node in catalog.taxonomy.nodes:
        if node.parent is None and class_ris(node.path) not in skip:
            files[class_ris(node.path)] = joined_ris(record(s) for s in catalog.studies_under(node.path))
    for study in catalog.studies:
        name = study_ris(study.key)
        if name not in skip:
            files[name] = record(study)
    memo.use(keys[name] for name in skip if name in keys)  # each skipped record's, kept for the next run
    files.update(taxonomy_files(catalog, survey.title))
    edition = survey.edition_of
    origins = origin_names(edition.short_name) if edition is not None else None
    files[FEED_PATH] = atom_feed(catalog, survey.feed_title, survey.feed_id, memo, first, origins)
    files.update(node_feeds(catalog, survey.title, survey.feed_id, memo, views.trail_names, first, origins))
    return files


# The files beside the pages, in three parts so that the work splits finely enough to be shared: each
# with what makes it, its cost per study (as PAGE_COST), and whether it is kept whole in the Memo. The
# reading files are not: their own parts (each study's RIS record, each feed) are kept one by one, and
# a hit on the whole would leave those unused, and pruned.
# A part kept whole is reused only while no study, node or setting changes (after an edit to a
# template or a hand-written page). It is kept in memory for `serve`, but not written to the cache
# file: at 10,000 studies it was 84 of the file's 195 MB, which every run after a study edit read,
# could not use, and wrote again (a run with nothing changed reads no cache at all: see stamp.py).
# The price: a `pages` run or `mkdocs build` after a template or hand-written page edit makes these
# parts again (about 2 s at 10,000 studies) where it used to read them.
# Each part's cost per study made again, per study kept (looked up, joined, and the whole compared
# with the output folder: measured after one edit at 10,000 studies), and whether it is kept whole.
# Each maker takes the catalog, the survey, the views (the reading files' also the RIS keys), and the
# files to skip: see files_task in render_site.
FILE_PARTS: dict[str, tuple[Callable[..., Mapping[str, str | bytes]], int, int, bool]] = {
    "reading": (_reading_files, 75, 32, False),
    "data": (_data_files, 55, 20, True),
    "downloads": (_downloads, 160, 33, True),
}


def _ris(reference: Reference) -> str:
    return ris_record(Citable.of(reference))


def catalog_digest(catalog: Catalog, entries: Mapping[str, str] | None = None) -> str:
    """A digest of the taxonomy and the studies in order, from what each study is made of: its study
    file (the annotation's source) and its formatted entry (which holds every field its reference is
    made from; by its digest when `entries` gives them, see Views.entry_keys). The catalog pickled, as
    it was digested before, took 0.4 s at 10,000 studies."""
    taxonomy = pickle.dumps(catalog.taxonomy, pickle.HIGHEST_PROTOCOL)
    parts = made_of(catalog.studies, entries)
    if parts is None:  # not made from files
        return digest("catalog", taxonomy, pickle.dumps(catalog.studies, pickle.HIGHEST_PROTOCOL))
    return digest("catalog", taxonomy, *parts)


def _nav(views: Views, hand_pages: list[HandPage]) -> list[NavItem]:
    def section(path: str) -> NavItem:
        node = views.node(path)
        if node.is_leaf:
            return {theme_text(node.name): node.page}
        return {theme_text(node.name): [node.page, *(section(c.path) for c in views.children(path))]}

    nav: list[NavItem] = [{"Home": "index.md"}]
    nav += [section(c.path) for c in views.classes()]
    nav.append({"Matrix": "matrix.md"})
    nav.append({"What's new": "whats-new.md"})
    nav += [{theme_text(hand.title): hand.page} for hand in hand_pages]
    return nav
