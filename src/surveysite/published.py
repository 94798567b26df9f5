"""The record of every page address the site has published (content/published.txt), and the check
that holds the site to it.

Readers link to node pages and cite study pages: a node's id or a study's key renamed (or removed)
takes the page's address away, and every such link breaks. Nothing else tells a maintainer: the
data is as sound after a rename as before it. With the record, `check` names each recorded address
the site no longer has, at its line. `surveysite published` adds the addresses the site has now;
a line is removed only by hand, to retire its address on purpose. A project without the file keeps
no record, and has no such check.

A line may also move an address: 'old/address/ -> new/address/'. The site then has, at the old
address, a page that sends its readers on to the new one (see redirect_files): a taxonomy revised, or
a study's key corrected, keeps every link to the old address working. Check holds a move to a page
the site has (through any further moves), and refuses a page at a moved address again.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .files import BYTE_ORDER_MARK, read_text_and_bytes, write_text
from .model import Node
from .pages import HandPage
from .paths import HOME_PAGE, MATRIX_PAGE, STUDIES, WHATS_NEW_PAGE, address, node_page, study_page
from .problems import Location, Problems, closest, suggested

PUBLISHED_PATH = "content/published.txt"
HEADER = """\
# Every page address this site has published, one a line, from the site's root: node pages,
# study pages and hand-written pages. `surveysite check` fails when the site no longer has one
# (a node's id or a study's key renamed, or removed): every link to it, and every citation of it,
# would break. `surveysite published` adds the addresses the site has now. Remove a line only to
# retire its address on purpose; to move one, write 'old/address/ -> new/address/' on its line, and
# the site sends readers of the old address on to the new one.
"""
# An address as the site's pages have them: lower-case words between slashes, ending in one.
_ADDRESS = re.compile(r"(?:[a-z0-9_][a-z0-9._-]*/)+")
# A moved address, which gets files of its own (see redirect_files): segments as node ids and study keys
# are written (no '.': 'matrix.json/' or 'feed.x.xml/' would be a file the site makes), and no last one
# that is a page every engine makes in the file form ('index/' as index.html, '404/' as 404.html).
_MOVED = re.compile(r"(?:[a-z0-9_][a-z0-9_-]*/)*(?!(?:index|404)/$)[a-z0-9_][a-z0-9_-]*/")
_MOVE = "->"  # between the two addresses of a move
_MOST_BYTES = 10_000_000
SHOWN_UNRECORDED = 3  # the unrecorded addresses a warning names; the rest are counted
MOST_GUESSES = 50  # lost addresses offered a likely new one (1,000 took 2.2 s against 1,000 new: a review)
# The pages every site has, besides the home page: a record may list them, and a move may go to them,
# but none need be recorded (page_addresses leaves them out).
ALWAYS = frozenset({address(MATRIX_PAGE), address(WHATS_NEW_PAGE)})


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


@dataclass(frozen=True)
class Record:
    """The record as read: its text and bytes, every address it lists with its line, in their order
    (a moved one too), and each moved address with the address it moves to."""

    text: str
    data: bytes
    listed: dict[str, int]
    moved: dict[str, str]

    @property
    def recorded(self) -> set[str]:
        """Every address the record holds: each it lists, and each a move leads to (see Moves)."""
        return {*self.listed, *self.moved.values()}


def read_published(root: Path, problems: Problems) -> Record | None:
    """The record; None when the project keeps none (or it cannot be read: then with a problem). A
    line that is neither an address nor a move, or an address listed twice, is a problem at its line."""
    if not keeps_record(root):
        return None
    text, data = read_text_and_bytes(root, root / PUBLISHED_PATH, problems, _MOST_BYTES)
    if text is None:
        return None
    listed: dict[str, int] = {}
    moved: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        where = Location(PUBLISHED_PATH, number)
        old, move, new = (part.strip() for part in entry.partition(_MOVE))
        if not move and not _ADDRESS.fullmatch(old):
            how = "one as 'studies/key/' or 'class/leaf/', from the site's root: no '/' first, one last"
            if _ADDRESS.fullmatch(old.lower()):  # (the site's addresses are in lower case)
                how = f"it in lower case: '{old.lower()}'"
            elif any(arrow in old for arrow in ("=>", "→", "- >", " > ")):  # a move, mistyped
                how = "a move with '->': 'old/address/ -> new/address/'"
            problems.add(where, f"'{entry}' is not a page's address; write {how}")
        elif move and (why := _not_a_move(old, new)):
            problems.add(
                where,
                f"'{entry}' is not a move: {why}. A move is 'old/address/ -> new/address/', each in lower "
                "case and from the site's root: no '/' first, one last",
            )
        elif old in listed:
            problems.add(where, f"/{old} is listed twice (first at line {listed[old]}); keep one")
        elif move and new == old:
            problems.add(where, f"/{old} is moved to itself; write it alone, or give the address it moves to")
        else:
            listed[old] = number
            if move:
                moved[old] = new
    return Record(text, data, listed, moved)


def _not_a_move(old: str, new: str) -> str:
    """What keeps a line from being a move, as check tells it; '' for a move."""
    for part in (old, new):
        if not _ADDRESS.fullmatch(part):
            return _not_an_address(part)
    if not _MOVED.fullmatch(old):
        return (
            f"'{old}' would be a file the site makes, not a page's address (a moved address holds no '.', "
            "and does not end in 'index/' or '404/')"
        )
    return ""


def _not_an_address(part: str) -> str:
    """What keeps one side of a move from being an address, as check tells it."""
    if not part:
        return "an address is missing"
    if _MOVE in part:
        return "a line moves one address"
    if re.search(r"\s#", part):
        return "a comment goes on a line of its own ('# ...')"
    if "://" in part:
        return f"'{part}' is a full address; write it from the site's root ('class/leaf/')"
    if part.startswith("/"):
        return f"'{part}' starts with '/'; write it from the site's root, without it"
    if "#" in part or "?" in part:
        return f"'{part}' has a '#...' or '?...' part; write the page's address alone (a reader's is kept)"
    if _ADDRESS.fullmatch(part.lower()):
        return f"'{part}' is in capitals; write '{part.lower()}'"
    if _ADDRESS.fullmatch(part + "/"):
        return f"'{part}' lacks its last '/'; write '{part}/'"
    return f"'{part}' is no page's address"


def check_published(root: Path, have: Collection[str], problems: Problems, unrecorded: bool = True) -> None:
    """Report each address the record lists that the site no longer has (`have`: see page_addresses),
    each move whose address the site has again or whose new address it does not have, and, with
    `unrecorded`, warn of those it has that the record lacks (nothing, for a project without the
    record)."""
    record = read_published(root, problems)
    if record is None:
        return
    listed, moved = record.listed, record.moved
    have = {*have, *ALWAYS}
    recorded = record.recorded
    unlisted = sorted(entry for entry in have if entry not in recorded and entry not in ALWAYS)
    guesses = MOST_GUESSES  # (each compares spellings with its folder's: a mass rename stays quick)
    gone = [entry for entry in listed if entry not in moved and entry not in have]
    folders = _MovedFolders(gone, unlisted) if gone else None  # (built only when an address is lost)
    for entry, number in listed.items():
        where = Location(PUBLISHED_PATH, number)
        if entry in moved:
            _check_move(entry, moved, have, where, problems)
        elif entry not in have:
            new = _likely_new(entry, unlisted, folders) if guesses > 0 else None
            guesses -= 1
            maybe = f" (/{new}, which the record lacks, may be it)" if new else ""
            problems.add(
                where,
                f"/{entry} was published, and the site no longer has it: every link to it breaks. A node's "
                "id or a study's key renamed or removed? Give it back its old one; to send its readers "
                f"to its new address, write '{entry} -> {new or 'new/address/'}' on this line{maybe}; to "
                "retire the address on purpose, remove this line",
            )
    missing = unlisted if unrecorded else []
    if missing:
        shown = ", ".join(f"/{entry}" for entry in missing[:SHOWN_UNRECORDED])
        more = len(missing) - SHOWN_UNRECORDED
        problems.warn(
            Location(PUBLISHED_PATH, 1),
            f"{len(missing)} of the site's page addresses {'is' if len(missing) == 1 else 'are'} "
            f"not recorded here ({shown}{f' and {more} more' if more > 0 else ''}); once the site is "
            "published with them, run `surveysite published` to add them",
        )


def _likely_new(old: str, unlisted: Collection[str], folders: _MovedFolders | None = None) -> str | None:
    """Of the site's addresses the record lacks, the one a gone address was most likely renamed to: of
    those beside it (in the same folder: a leaf's siblings, a study's fellow studies), the closest in
    spelling, or for a node below a class the only one (a maintainer's trial renamed
    'sparse-attention' to 'efficient-attention' and was offered 'new/address/'). Not so for a study:
    the one new study beside a lost one is as likely another study added (a trial's lost GIN, its file
    saved as '.yml', was offered the one study added, ChemVAE, whose readers a move would then have
    taken); nor by elimination at the root, where classes and hand-written pages stand side by side (a
    review). Else, a node's folder moved whole (see _MovedFolders)."""
    beside = _beside(old, unlisted)
    only = len(beside) == 1 and "/" in old.rstrip("/") and not old.startswith(f"{STUDIES}/")
    found = _nearest(old, beside) or (next(iter(beside.values())) if only else None)
    if found is not None or folders is None or old.startswith(f"{STUDIES}/"):
        return found
    return folders.new_address(old)


class _MovedFolders:
    """Where the gone folders (nodes) went, each told by what it held: a maintainer's trial renamed a
    class and was offered 'new/address/' for it and each of its nodes. A gone folder went to the new
    folder beside it that holds every last part it held, when that is the only one, no other gone
    folder claims it, and what they hold is the same or two parts or more ('alpha/' renamed 'first/',
    both holding 'one/' and 'two/'; one generic leaf, 'other/', tells nothing); a node below a folder
    that went, to the same place below where it went ('first/one/', and deeper)."""

    def __init__(self, gone: Collection[str], unlisted: Collection[str]) -> None:
        self.gone, self.unlisted = set(gone), set(unlisted)
        # Each built once (a mass rename stays quick: a review's 1,000 classes took 5 s a guess list):
        # what each gone and new folder holds, and the new folders holding each last part, by parent.
        self._held_gone = _inside_each(self.gone)
        self._held_new = _inside_each(self.unlisted)
        self._new_with: dict[tuple[str, str], set[str]] = {}
        for new, parts in self._held_new.items():
            parent = new.rstrip("/").rpartition("/")[0]
            for part in parts:
                self._new_with.setdefault((parent, part), set()).add(new)
        self._claims: dict[str, list[str]] = {}  # by gone folder: the new folders it could have become
        self._claimed_by: dict[str, int] = {}  # by new folder: how many gone folders could have become it
        for old in self._held_gone:  # (a folder that is there still, whose nodes alone went, claims none)
            if old in self.gone and not old.startswith(f"{STUDIES}/"):
                self._claims[old] = self._holding(old)
                for new in self._claims[old]:
                    self._claimed_by[new] = self._claimed_by.get(new, 0) + 1
        self._went: dict[str, str | None] = {}

    def new_address(self, old: str) -> str | None:
        """Where a gone node's page went, or None when nothing tells."""
        if old not in self._went:
            folder, _, last = old.rstrip("/").rpartition("/")
            if folder and f"{folder}/" in self.gone:  # below a folder that went: where that folder went
                went = self.new_address(f"{folder}/")
                below = f"{went}{last}/" if went else None
                self._went[old] = below if below in self.unlisted else None
            else:
                mine = self._claims.get(old, [])
                self._went[old] = mine[0] if len(mine) == 1 and self._claimed_by[mine[0]] == 1 else None
        return self._went[old]

    def _holding(self, gone: str) -> list[str]:
        """The new folders beside a gone one that hold what it held (see the class)."""
        held = self._held_gone[gone]
        parent = gone.rstrip("/").rpartition("/")[0]
        found: set[str] | None = None
        for part in held:
            holding = self._new_with.get((parent, part), set())
            found = set(holding) if found is None else found & holding
            if not found:
                return []
        return sorted(new for new in found or () if len(held) >= 2 or held == self._held_new[new])


def _inside_each(addresses: Collection[str]) -> dict[str, frozenset[str]]:
    """The last parts of the addresses directly in each folder, by the folder's address."""
    inside: dict[str, set[str]] = {}
    for entry in addresses:
        folder, _, last = entry.rstrip("/").rpartition("/")
        if folder:
            inside.setdefault(f"{folder}/", set()).add(last)
    return {folder: frozenset(parts) for folder, parts in inside.items()}


def _near(address: str, have: Collection[str]) -> str | None:
    """The address of those given closest to one the site does not have: of those in its folder, by
    the last part (all studies' addresses begin 'studies/')."""
    return _nearest(address, _beside(address, have))


def _nearest(address: str, beside: Mapping[str, str]) -> str | None:
    found = closest(address.rstrip("/").rpartition("/")[2], sorted(beside))
    return beside[found] if found is not None else None


def _beside(address: str, addresses: Collection[str]) -> dict[str, str]:
    """The addresses in the same folder as `address`, by their last part."""
    parent = address.rstrip("/").rpartition("/")[0]
    split = (entry.rstrip("/").rpartition("/") for entry in addresses)
    return {last: f"{folder}/{last}/".lstrip("/") for folder, _, last in split if folder == parent}


def _check_move(
    old: str, moved: Mapping[str, str], have: Collection[str], where: Location, problems: Problems
) -> str | None:
    """The page a move ends at (through any further moves); None, with its problem, when it cannot be
    made."""
    new = moved[old]
    if old in ALWAYS:
        problems.add(where, f"/{old} is a page every site has; it cannot be moved (write '{old}' alone)")
        return None
    if old in have:
        problems.add(
            where,
            f"/{old} is moved to /{new}, and the site has a page at /{old} again: its readers would never "
            f"see it. Keep the page there (write '{old}' alone on this line), or give it another address",
        )
        return None
    trail = _moves(old, moved, have)
    if trail[-1] in trail[:-1]:
        loop = " -> ".join(f"/{address}" for address in trail)
        problems.add(where, f"/{old} is moved in a loop ({loop}); end it at a page the site has")
        return None
    if trail[-1] not in have:
        further = f" (through /{new})" if len(trail) > 2 else ""
        problems.add(
            where,
            f"/{old} is moved to /{trail[-1]}{further}, which the site does not have; move it to one of "
            f"the site's pages{suggested(_near(trail[-1], have))}",
        )
        return None
    return trail[-1]


def _moves(old: str, moved: Mapping[str, str], have: Collection[str]) -> list[str]:
    """The addresses from `old` through each move, to the first the site has, or one moved no further,
    or the first met twice (a loop)."""
    trail = [old]
    while trail[-1] in moved and (len(trail) == 1 or trail[-1] not in have) and trail[-1] not in trail[:-1]:
        trail.append(moved[trail[-1]])
    return trail


def moves(
    root: Path, addresses: Callable[[], Collection[str]], problems: Problems
) -> dict[str, tuple[str, int]]:
    """Each moved address with the page it ends at and the record's line that moves it (see read_moves)."""
    return read_moves(root, addresses, problems).ends


@dataclass(frozen=True)
class Moves:
    """The moves a build makes: each moved address with the page it ends at and its line (`ends`), and
    each page a move leads to that the record does not list on a line of its own, with the address it
    was first published at (`first`): of the moved addresses that end at it, the one the record lists
    first (a move is written on the line of the address it moves; one moved further, on a later line).
    A move records the address it leads to: `published` does not add it, and check does not ask for
    it. So a page renamed keeps the ids of its first address in the feeds, and a page published under
    its own address, which another is merged into, keeps its own (a review: a study merged into one
    listed after it gave that one its id)."""

    ends: dict[str, tuple[str, int]]
    first: dict[str, str]

    def renamed_nodes(self, node_paths: Collection[str]) -> dict[str, str]:
        """Each moved address of a node that ends at a node's page, as paths ('alpha/one' to
        'alpha/first'): what a table's filters read an address's old values by (a maintainer's trial
        found 'No study matches' at a heat map's link to a renamed leaf)."""
        renamed = {}
        for old, (end, _) in self.ends.items():
            was, now = old.rstrip("/"), end.rstrip("/")
            if now in node_paths and not old.startswith(f"{STUDIES}/"):
                renamed[was] = now
        return renamed


def read_moves(root: Path, addresses: Callable[[], Collection[str]], problems: Problems) -> Moves:
    """The record's moves (see Moves): each moved address the site has no page at, and the page it moves
    to in the end (through any further moves), as a build makes them (see redirect_files): those that
    check accepts. A line of the record that cannot be read, and a move that cannot be made, are in
    `problems` as check tells them (a build warns of them: a page at a moved address was promised); of
    the rest a build tells nothing (a preview shows a renamed node's page, and check tells it).
    `addresses`: the site's (see page_addresses), asked for only when the record moves any."""
    record = read_published(root, problems)
    if record is None or not record.moved:
        return Moves({}, {})
    have = {*addresses(), *ALWAYS}
    ends = {}
    for old in record.moved:
        end = _check_move(old, record.moved, have, Location(PUBLISHED_PATH, record.listed[old]), problems)
        if end is not None:
            ends[old] = (end, record.listed[old])
    first: dict[str, str] = {}
    for old, (end, _) in ends.items():  # (in the record's order: the first line of each end wins)
        if end not in record.listed and end not in first:
            first[end] = old
    return Moves(ends, first)


REDIRECT_PAGE = "index.html"  # in a moved address's folder: what a static host serves there


def redirect_files(moved: Mapping[str, str], sources: Mapping[str, str] | None = None) -> dict[str, str]:
    """For each moved address, a page that sends its reader on to the new one (with the part of the
    address after '?' or '#', so that a link into a table still lands there), by its path in the site.
    Without JavaScript it goes on by the page's refresh; with neither, it shows the link. The new
    address is relative, so it holds for a site in a subfolder, and offline.

    `sources`: for a site built with use_directory_urls false, each page address's source path, as
    the engine serves 'x.md' at 'x.html' and 'x/index.md' at 'x/index.html'. A moved address was then
    served in one of those forms, which it no longer tells: it gets a page in both, each sending its
    reader to the new page's file."""
    files = {}
    for old, new in moved.items():
        if sources is None:
            files[old + REDIRECT_PAGE] = _redirect("../" * old.count("/") + new, new)
            continue
        source = sources.get(new)
        if source is None:  # (no page: read_moves gives none such)
            continue
        target = source.removesuffix(".md") + ".html"
        for path in (old + REDIRECT_PAGE, old.removesuffix("/") + ".html"):
            files[path] = _redirect(posixpath.relpath(target, posixpath.dirname(path)), new)
    return files


def _redirect(target: str, new: str) -> str:
    """The page at a moved address: `target` relative to it, `new` as the site's address."""
    # (The addresses hold no more than a-z, 0-9, '.', '_', '-' and '/'.)
    link, script = html.escape(target), json.dumps(target)
    return _REDIRECT.format(link=link, script=script, new=html.escape(new))


_REDIRECT = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>This page has moved</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{link}">
<meta http-equiv="refresh" content="0; url={link}">
<script>location.replace({script} + location.search + location.hash)</script>
</head>
<body>
<p>This page has moved to <a href="{link}">/{new}</a>.</p>
</body>
</html>
"""


def record_published(root: Path, have: Collection[str], problems: Problems) -> int:
    """Add to the record every address the site has (`have`: see page_addresses) that it lacks (an
    address a move leads to is recorded by the move: see Moves), making
    it with its header if the project has none (or an empty one), leaving each line it has as it is,
    in its line endings and with its byte order mark; how many were added. Nothing is written when the
    record has a problem (then in `problems`). Raises FileRefused or OSError when it cannot be
    written."""
    before = len(problems)
    record = read_published(root, problems)
    if len(problems) > before:
        return 0
    text, data, recorded = (
        (record.text, record.data, record.recorded) if record is not None else ("", b"", set())
    )
    added = sorted(entry for entry in have if entry not in recorded)
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
