"""What the tests of a quick reader (one that reads the common case and leaves the rest to a library)
share: whether the texts its property test tries are read by it often enough for that test to tell."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def read_here(
    texts: st.SearchStrategy[str], read: Callable[[str], Any], outside: type[Exception]
) -> tuple[int, int]:
    """Of 600 texts drawn (always the same ones), how many `read` reads without raising `outside`,
    and how many were drawn."""
    found: list[bool] = []

    @settings(max_examples=600, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(texts)
    def tried(text: str) -> None:
        try:
            read(text)
        except outside:
            found.append(False)
        else:
            found.append(True)

    tried()
    return sum(found), len(found)
