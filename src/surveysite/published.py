"""The record of every page address the site has published (content/published.txt), and the check
that holds the site to it.

Readers link to node pages and cite study pages: a node's id or a study's key renamed (or removed)
takes the page's address away, and every such link breaks. Nothing else tells a maintainer: the
data is as sound after a rename as before it. With the record, `check` names each recorded address
the site no longer has, at its line. `surveysite published` adds the addresses the site has now;
a line is removed only by hand, to retire its address on purpose. A project without the file keeps
no record, and has no such check.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from pathlib import Path

from .files import BYTE_ORDER_MARK, read_text_and_bytes, write_text
from .model import Node
from .pages import HandPage
from .paths import HOME_PAGE, address, node_page, study_page
from .problems import Location, Problems

PUBLISHED_PATH = "content/published.txt"
HEADER = """\
# Every page address this site has published, one a line, from the site's root: node pages,
# study pages and hand-written pages. `surveysite check` fails when the site no longer has one
# (a node's id or a study's key renamed, or removed): every link to it, and every citation of it,
# would break. `surveysite published` adds the addresses the site has now. Remove a line only to
# retire its address on purpose.
"""
# An address as the site's pages have them: lower-case words between slashes, ending in one.
_ADDRESS = re.compile(r"(?:[a-z0-9_][a-z0-9._-]*/)+")
_MOST_BYTES = 10_000_000
SHOWN_UNRECORDED = 3  # the unrecorded addresses a warning names; the rest are counted


def page_addresses(nodes: Iterable[Node], keys: Iterable[str], hand_pages: Iterable[HandPage]) -> set[str]:
    """Every page address the site has, but the home page's and the pages it always has (the matrix,
    What's new): each node's, study's (by its key) and hand-written page's."""
    found = {address(node_page(node.path)) for node in nodes}
    found.update(address(study_page(key)) for key in keys)
    found.update(address(page.page) for page in hand_pages if page.page != HOME_PAGE)
    return found


def keeps_record(root: Path) -> bool:
    """Whether the project has a record of its published addresses (a link there, refused when read,
    counts)."""
    path = root / PUBLISHED_PATH
    return path.exists() or path.is_symlink()


def read_published(root: Path, problems: Problems) -> tuple[str, bytes, dict[str, int]] | None:
    """The record's text, its bytes, and the addresses it lists, each with its line, in their order;
    None when the project keeps no record (or it cannot be read: then with a problem). A line that is
    not an address, or one listed twice, is a problem at its line."""
    if not keeps_record(root):
        return None
    text, data = read_text_and_bytes(root, root / PUBLISHED_PATH, problems, _MOST_BYTES)
    if text is None:
        return None
    listed: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        where = Location(PUBLISHED_PATH, number)
        if not _ADDRESS.fullmatch(entry):
            how = "one as 'studies/key/' or 'class/leaf/', from the site's root: no '/' first, one last"
            if _ADDRESS.fullmatch(entry.lower()):  # (the site's addresses are in lower case)
                how = f"it in lower case: '{entry.lower()}'"
            problems.add(where, f"'{entry}' is not a page's address; write {how}")
        elif entry in listed:
            problems.add(where, f"/{entry} is listed twice (first at line {listed[entry]}); keep one")
        else:
            listed[entry] = number
    return text, data, listed


def check_published(root: Path, have: Collection[str], problems: Problems, unrecorded: bool = True) -> None:
    """Report each address the record lists that the site no longer has (`have`: see page_addresses),
    and, with `unrecorded`, warn of those it has that the record lacks (nothing, for a project
    without the record)."""
    read = read_published(root, problems)
    if read is None:
        return
    listed = read[2]
    for entry, number in listed.items():
        if entry not in have:
            problems.add(
                Location(PUBLISHED_PATH, number),
                f"/{entry} was published, and the site no longer has it: every link to it breaks. A node's "
                "id or a study's key renamed or removed? Give it back its old one; to retire the address "
                "on purpose, remove this line",
            )
    missing = sorted(entry for entry in have if entry not in listed) if unrecorded else []
    if missing:
        shown = ", ".join(f"/{entry}" for entry in missing[:SHOWN_UNRECORDED])
        more = len(missing) - SHOWN_UNRECORDED
        problems.warn(
            Location(PUBLISHED_PATH, 1),
            f"{len(missing)} of the site's page addresses {'is' if len(missing) == 1 else 'are'} "
            f"not recorded here ({shown}{f' and {more} more' if more > 0 else ''}); once the site is "
            "published with them, run `surveysite published` to add them",
        )


def record_published(root: Path, have: Collection[str], problems: Problems) -> int:
    """Add to the record every address the site has (`have`: see page_addresses) that it lacks, making
    it with its header if the project has none (or an empty one), leaving each line it has as it is,
    in its line endings and with its byte order mark; how many were added. Nothing is written when the
    record has a problem (then in `problems`). Raises FileRefused or OSError when it cannot be
    written."""
    before = len(problems)
    read = read_published(root, problems)
    if len(problems) > before:
        return 0
    text, data, listed = read if read is not None else ("", b"", {})
    added = sorted(entry for entry in have if entry not in listed)
    if not added:
        return 0
    ending = "\r\n" if "\r\n" in text else "\n"  # (a file checked out on Windows, say)
    if not text.strip():
        text = HEADER.replace("\n", ending)
    elif not text.endswith("\n"):
        text += ending
    mark = BYTE_ORDER_MARK if data.startswith(BYTE_ORDER_MARK.encode()) else ""
    write_text(root, root / PUBLISHED_PATH, mark + text + "".join(f"{entry}{ending}" for entry in added))
    return len(added)
