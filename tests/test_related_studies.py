"""Related studies: the studies sharing the most facet values, picked as a full sort would pick them."""

from __future__ import annotations

import heapq
import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from surveysite.views import _most_shared


@settings(max_examples=500, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=4), max_size=40), st.randoms(), st.integers(1, 6))
def test_the_most_shared_studies_are_those_a_full_sort_gives(
    counts: list[int], rnd: random.Random, most: int
) -> None:
    keys = [f"k{i}" for i in range(len(counts))]
    shuffled = list(keys)
    rnd.shuffle(shuffled)
    order = {key: index for index, key in enumerate(shuffled)}
    found = Counter(dict(zip(keys, counts, strict=True)))
    expected = heapq.nsmallest(most, found, key=lambda k: (-found[k], order[k]))
    assert _most_shared(found, order, most) == expected
