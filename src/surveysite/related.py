"""Related studies: for each study, those of its leaves that share the most facet values with it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from heapq import nlargest

from .model import UNKNOWN_VALUES, Catalog

# How many neighbours on either side a shared facet value links, in related studies.
RELATED_WINDOW = 25


def related_studies(catalog: Catalog, most: int = 5) -> dict[str, list[str]]:
    """For each study, the studies of its leaves that share the most facet values with it.

    Each shared value counts for at most the RELATED_WINDOW studies on either side in catalog order
    (by leaf, then year), which is exact for small leaves and keeps large ones linear, not quadratic.
    Studies are counted by their catalog index. (Views counts each study's in the task that makes its
    view: see related_places and related_of.)
    """
    keys = [s.key for s in catalog.studies]
    return {keys[i]: related_of(i, places, keys, most) for i, places in enumerate(related_places(catalog))}


# Where one study stands among the studies sharing a leaf and facet value with it: the list of all
# of them (by catalog index), and its position there.
Place = tuple[list[int], int]


def related_places(catalog: Catalog) -> list[list[Place]]:
    """Each study's places (see Place), of which related_of makes its windows: the windows themselves
    are made in the tasks that count them, in either process (at 10,000 studies, 5 million indexes
    that took a third of a second to gather here)."""
    postings: dict[tuple[str, str, str], list[int]] = {}
    places: list[list[Place]] = []
    # A yes-or-no facet ('Code released: yes') relates no two studies by itself: a reader's trial found
    # studies listed as related that shared that alone.
    yes_no = {facet.id for facet in catalog.taxonomy.facets if facet.kind == "yes-no"}
    for index, study in enumerate(catalog.studies):
        note = study.annotation
        mine: list[Place] = []
        for leaf in note.categories:
            for facet_id, values in note.facets:
                if facet_id in yes_no:
                    continue
                for value in values:
                    if value not in UNKNOWN_VALUES:
                        members = postings.setdefault((leaf, facet_id, value), [])
                        mine.append((members, len(members)))
                        members.append(index)
        places.append(mine)
    return places


def related_of(index: int, places: list[Place], keys: Sequence[str], most: int = 5) -> list[str]:
    """The keys of the studies one study's windows count most often: in each of its places, the
    studies within RELATED_WINDOW on either side of it (all of a list no longer than the window)."""
    window: list[int] = []
    for members, position in places:
        if len(members) <= RELATED_WINDOW + 1:
            window += members
        else:  # the window counts the study itself, dropped below
            window += members[max(0, position - RELATED_WINDOW) : position + RELATED_WINDOW + 1]
    counts = Counter(window)
    counts.pop(index, None)
    return [keys[other] for other in _most_shared(counts, most)]


def _most_shared(found: Counter[int], most: int) -> list[int]:
    """The `most` indexes with the highest counts, earlier in catalog order first among equal counts.

    What heapq.nsmallest(most, found, key=(-count, index)) gives, with the few indexes that can be
    among them picked out first by their count alone.
    """
    counts: dict[int, int] = found
    if len(found) > most:  # (the few largest by a heap: sorting some 300 counts a study took a third more)
        least = nlargest(most, found.values())[-1]
        counts = {k: count for k, count in found.items() if count >= least}
    return sorted(counts, key=lambda k: (-counts[k], k))[:most]
