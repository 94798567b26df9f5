"""What's new: additions grouped by month, newest first, each with the date it was added."""

from __future__ import annotations

import re

from surveysite.build import Project, build_site, load_catalog
from surveysite.feed import newest_first

from .conftest import MINI


def test_whats_new_groups_additions_by_month_newest_first() -> None:
    page = build_site(Project.at(MINI)).pages["whats-new.md"]
    headings = re.findall(r"^<h2 data-search-exclude markdown>(.+)</h2>$", page, re.MULTILINE)
    assert headings == ["February 2026", "January 2026"]
    dates = re.findall(r"^- (\d{4}-\d{2}-\d{2}): ", page, re.MULTILINE)
    expected = [s.annotation.added.isoformat() for s in newest_first(load_catalog(Project.at(MINI)))]
    assert dates == expected
    january = page[page.index(">January 2026</h2>") :]
    assert "2026-02-01" not in january
