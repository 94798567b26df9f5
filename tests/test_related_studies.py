"""Related studies: the studies sharing the most facet values, picked as a full sort would pick them."""

from __future__ import annotations

import heapq
import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from surveysite.build import load_catalog
from surveysite.related import _most_shared, related_studies

from .conftest import MakeProject, edit


@settings(max_examples=500, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=4), max_size=40), st.randoms(), st.integers(1, 6))
def test_the_most_shared_studies_are_those_a_full_sort_gives(
    counts: list[int], rnd: random.Random, most: int
) -> None:
    indexes = list(range(len(counts)))
    rnd.shuffle(indexes)  # counted in any order; catalog order is the index
    found = Counter(dict(zip(indexes, counts, strict=True)))
    expected = heapq.nsmallest(most, found, key=lambda k: (-found[k], k))
    assert _most_shared(found, most) == expected


def test_studies_sharing_a_yes_or_no_value_alone_are_not_related(make_project: MakeProject) -> None:
    """A reader's trial found studies listed as related that shared 'Code released: yes' alone."""
    project = make_project()
    edit(project, "content/studies/lee2023third.yaml", "feedback: [human, environment]", "feedback: [human]")
    edit(project, "content/studies/lee2023third.yaml", "code: no", "code: yes")
    edit(project, "content/studies/smith2022second.yaml", "code: not stated", "code: yes")
    related = related_studies(load_catalog(project))
    assert (
        "smith2022second" not in related["lee2023third"] and "lee2023third" not in related["smith2022second"]
    )
    edit(project, "content/studies/lee2023third.yaml", "feedback: [human]", "feedback: [environment]")
    assert related_studies(load_catalog(project))["lee2023third"] == ["smith2022second"]  # a topical value
