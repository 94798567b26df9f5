"""The Atom feed of studies added to the site, newest first."""

from __future__ import annotations

import pickle
import posixpath
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from .cache import Memo, digest
from .markdown import relative_path
from .model import Catalog, Study, after_name, made_of
from .paths import FEED_PATH, node_feed, node_url, study_url

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50


def newest_first(catalog: Catalog) -> list[Study]:
    """Studies by the date they were added, newest first (then by key, for stable output)."""
    return list(catalog.newest)


def entry_id(feed_id: str, key: str, first: Mapping[str, str] | None = None) -> str:
    """A study's entry id, the same in every feed that shows it: made of the site-wide feed's id and
    the path of the study page's first address (a DOI, which a preprint gains when published, would
    change: a feed reader would show the study as new again). `first`: the address a page moved to was
    first published at (see published.Moves), so that a renamed study keeps its id. See part_id."""
    return part_id(feed_id, _first_path(study_url(key), first))


def _first_path(address: str, first: Mapping[str, str] | None) -> str:
    return (first or {}).get(address, address).rstrip("/")


def part_id(feed_id: str, part: str) -> str:
    """The id of a part of the site-wide feed (a node's feed, an entry): its id, ':' and the part's
    path; for an id 'urn:uuid:...', which nothing may follow, a UUID made of the two (RFC 4122's
    name-based UUID), as stable."""
    if feed_id.lower().startswith("urn:uuid:"):
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{feed_id}/{part}')}"
    return f"{feed_id}:{part}"


def _headline(study: Study) -> str:
    return study.annotation.name + after_name(study.annotation.name, study.reference.title)


NEVER = "1970-01-01"  # the date of a feed of a site with no study at all (Atom requires one)


def atom_feed(
    catalog: Catalog,
    title: str,
    feed_id: str,
    memo: Memo,
    first: Mapping[str, str] | None = None,
    origins: tuple[str, str] | None = None,
) -> str:
    """An Atom document (RFC 4287) with the most recently added studies; links are site-relative.
    Reused from the Memo while its studies are the same (see _feed_key). `first`: see entry_id;
    `origins`: see studies_feed (given, the original survey's studies are left out: see _added)."""
    every = newest_first(catalog)
    studies = _added(every, origins)[:MAX_ENTRIES]
    moved = _moved_from(studies, first)
    names = _names_of(studies, _node_names(catalog))
    updated = every[0].annotation.added.isoformat() if every else NEVER  # (with none the site added)
    made = partial(
        studies_feed,
        studies,
        title,
        feed_id,
        FEED_PATH,
        "whats-new/",
        feed_id,
        updated,
        moved,
        names,
        origins,
    )
    return memo.get_by(partial(_feed_key, made.args), made)


def _added(studies: list[Study], origins: tuple[str, str] | None) -> list[Study]:
    """The studies a feed shows: in an edition (`origins` given), those its original survey does not
    review. A reader's trial found the survey's own studies in the feed as if new, and the studies the
    site added after them on the same day cut off by MAX_ENTRIES: a subscriber follows what the site
    adds. (What's new says them in one line a day.)"""
    return studies if origins is None else [study for study in studies if not study.annotation.in_survey]


def _node_names(catalog: Catalog) -> dict[str, str]:
    """Each node's name by its path: an entry's categories are labelled by them."""
    return {node.path: node.name for node in catalog.taxonomy.nodes}


def _names_of(studies: Sequence[Study], names: Mapping[str, str]) -> dict[str, str]:
    """The names of the leaves these studies are in, by path: those a feed of them labels, and so the
    only ones its key in the Memo is made of (all of them, in each node's feed, made the keys the
    square of the taxonomy's size, a review found)."""
    return {leaf: names[leaf] for study in studies for leaf in study.annotation.categories if leaf in names}


def _moved_from(studies: Sequence[Study], first: Mapping[str, str] | None) -> dict[str, str]:
    """The first addresses (see entry_id) of the studies given that moved, by their pages' addresses:
    those of the feed's own studies alone, so that its key in the Memo changes with them only."""
    if not first:
        return {}
    return {page: first[page] for page in (study_url(study.key) for study in studies) if page in first}


def node_feed_title(title: str, trail: Sequence[str]) -> str:
    """The title of a node's feed, naming the node by the names on its trail from its class (`trail`,
    as Views.trail gives it: 'Survey: studies added under Methods / Other'): a leaf's name alone, such
    as 'Other', may be another class's too. Its node page announces the feed by the same title (see
    render, front_matter)."""
    return f"{title}: studies added under {' / '.join(trail)}"


def node_feeds(
    catalog: Catalog,
    title: str,
    feed_id: str,
    memo: Memo,
    trail: Callable[[str], Sequence[str]],
    first: Mapping[str, str] | None = None,
    origins: tuple[str, str] | None = None,
) -> dict[str, str]:
    """Every node's own feed, of the studies added at or below it, by its path in the site.

    `title` is the survey's, `trail` the names on a node's trail by its path (see node_feed_title);
    each feed's id is made of the site-wide feed's id and the path of the node's first address (see
    part_id; `first`: see entry_id). A feed whose studies are unchanged is reused from the Memo (see
    _feed_key).
    """
    every = newest_first(catalog)
    ordered = _added(every, origins)
    position = {s.key: index for index, s in enumerate(ordered)}
    # A node with no study yet: its feed is as new as the site's (no longer 1970, a reader's trial saw).
    site_updated = every[0].annotation.added.isoformat() if every else NEVER
    names = _node_names(catalog)
    feeds = {}
    for node in catalog.taxonomy.nodes:  # a feed shows its newest MAX_ENTRIES: picked by position
        newest = sorted({position[key] for key in catalog.under[node.path] if key in position})[:MAX_ENTRIES]
        studies = [ordered[index] for index in newest]
        here = node_feed(node.path)
        name = node_feed_title(title, trail(node.path))
        own_id = part_id(feed_id, _first_path(node_url(node.path), first))
        moved = _moved_from(studies, first)
        made = partial(
            studies_feed,
            studies,
            name,
            own_id,
            here,
            node_url(node.path),
            feed_id,
            site_updated,
            moved,
            _names_of(studies, names),
            origins,
        )
        feeds[here] = memo.get_by(partial(_feed_key, made.args), made)
    return feeds


def _feed_key(args: tuple[Any, ...]) -> str:
    """What a feed (studies_feed's arguments, its studies already cut to the MAX_ENTRIES it shows) is
    kept under. Studies read from files are named by what they are made of (model.made_of), which is
    cheaper than pickling them (650 studies in the node feeds); others are pickled whole."""
    parts = made_of(args[0])
    if parts is not None:
        texts = (  # (the moves and the names: mappings; the origins: a pair, or None)
            arg
            if isinstance(arg, str)
            else repr(sorted(arg.items()))
            if isinstance(arg, Mapping)
            else repr(arg)
            for arg in args[1:]
        )
        return digest("feed of studies", *texts, *parts)
    return digest("feed", pickle.dumps(args, pickle.HIGHEST_PROTOCOL))


def studies_feed(
    studies: list[Study],
    title: str,
    feed_id: str,
    here: str,
    alternate: str,
    site_id: str,
    updated_if_empty: str = NEVER,
    first: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    origins: tuple[str, str] | None = None,
) -> str:
    """An Atom document of the first MAX_ENTRIES studies given; links are relative to `here`; entry
    ids made from the site-wide feed's id, `site_id`, and the first address of each study that moved
    (`first`: see entry_id). Without studies, it was last updated on `updated_if_empty` (an ISO
    date). `names`: each node's name by its path, an entry's categories' labels. `origins`: for an
    edition, what is said of a study its original survey reviews and of one it does not ('Reviewed in
    the <survey>', 'Added by this site'): the feed's subtitle says it holds the second kind (a reader's
    trial found the survey's own studies in the feed as if new, and no word of the survey in it; the
    studies given are those the site added: see _added)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    studies = studies[:MAX_ENTRIES]
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    if origins is not None:  # 'Added by this site, beyond the studies reviewed in the <survey>'
        reviewed, added = origins
        ET.SubElement(
            feed, f"{{{ATOM}}}subtitle"
        ).text = f"{added}, beyond the studies {reviewed[:1].lower()}{reviewed[1:]}"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=alternate)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=posixpath.basename(here))  # relative to itself
    newest = studies[0].annotation.added.isoformat() if studies else updated_if_empty
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = f"{newest}T00:00:00Z"
    if not studies:  # RFC 4287 wants an author on a feed whose entries carry none
        ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = title
    for study in studies:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _headline(study)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = entry_id(site_id, study.key, first)
        page = relative_path(study_url(study.key), here)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=page)
        added = f"{study.annotation.added.isoformat()}T00:00:00Z"  # (a reader's trial missed <published>)
        ET.SubElement(entry, f"{{{ATOM}}}published").text = added
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = added
        for name in study.reference.authors:  # all: a feed reader shows no "et al." for a list cut short
            ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = name
        if not study.reference.authors:
            ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "unknown"
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = study.annotation.summary
        for category in study.annotation.categories:
            label = (names or {}).get(category)
            attributes = {"term": category, "label": label} if label else {"term": category}
            ET.SubElement(entry, f"{{{ATOM}}}category", attributes)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
