"""Stage 3b: load the hand-written pages of content/pages/, held to the same rules as the data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .files import folder_files, read_text, shown_path
from .paths import HOME_PAGE
from .problems import Location, Problems
from .rendered import check_markdown

MAX_PAGE_BYTES = 1_000_000
PAGE_NAME = re.compile(r"^[a-z0-9_-]+\.md$")
_HEADING = re.compile(r"^# (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class HandPage:
    """A hand-written Markdown page from content/pages/: its source path, title and text."""

    page: str
    title: str
    text: str
    location: Location


def load_pages(root: Path, folder: Path, problems: Problems) -> tuple[list[HandPage], str]:
    """The hand-written pages, and the home page's introduction (index.md), with every problem recorded."""
    pages, intro = [], ""
    for path in folder_files(root, folder, "*.md", problems):
        shown = shown_path(root, path)
        where = Location(shown, 1)
        if not PAGE_NAME.match(path.name):
            problems.add(where, "a page's file name is its address: use lowercase letters, digits, '-', '_'")
            continue
        text = read_text(root, path, problems, MAX_PAGE_BYTES)
        if text is None or not check_markdown(text, shown, 1, problems):
            continue
        if path.name == HOME_PAGE:
            intro = text.strip()
            continue
        heading = _HEADING.search(text)
        if heading is None:
            problems.add(where, "the page needs a '# Title' heading")
            continue
        pages.append(HandPage(path.name, heading.group(1).strip(), text, where))
    return pages, intro
