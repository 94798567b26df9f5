"""Related studies: the studies sharing the most facet values, picked as a full sort would pick them."""

from __future__ import annotations

import heapq
import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from surveysite.related import _most_shared


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
