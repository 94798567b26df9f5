"""Links between the site's own pages and files, checked as the site builder checks them.

MkDocs resolves every relative link and image of a page against the site's files and, with
`strict: true`, fails the build on one whose target is missing, naming the page but not the line.
`surveysite check` finds the same links first, with the file and line they were written on, and
besides a link written as a folder that leads to no page, which MkDocs leaves as it is.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping, Set
from urllib.parse import unquote, urlsplit

from .paths import address
from .problems import Problems, closest
from .published import PUBLISHED_PATH
from .rendered import Link

# What Python-Markdown puts in place of '&' in an e-mail address it hides: MkDocs leaves such links alone.
_AMP_SUBSTITUTE = "\x02amp\x03"


def link_target(url: str, page: str) -> tuple[str, bool] | None:
    """The site file a link on the page `page` (a source path) leads to, as MkDocs resolves it, and
    whether the link names a file (its last part has an extension); None for a link MkDocs leaves as it
    is: to another host, absolute, to a place on the page itself, or unreadable."""
    try:
        scheme, netloc, path, _, _ = urlsplit(url)
    except ValueError:  # reported by rendered.url_fault
        return None
    if scheme or netloc or url.startswith(("/", "\\")) or _AMP_SUBSTITUTE in url or not path:
        return None
    path = unquote(path)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path).lstrip("/"))
    return target, bool(posixpath.splitext(path)[1])


def check_links(
    links: Iterable[Link],
    files: Set[str],
    problems: Problems,
    moves: Callable[[], Mapping[str, tuple[str, int]]] = dict,
    directory_urls: Callable[[], bool] = lambda: True,
) -> None:
    """Report every link that leads to no page or file of the site.

    A target with an extension is resolved as MkDocs resolves it, from the page's file. One without
    ('folder/'), which MkDocs leaves as it is, is followed as a reader's browser follows it (an image's
    is left to MkDocs): with directory URLs (`directory_urls`, asked for only when such a link is met:
    mkdocs.yml's use_directory_urls, MkDocs's default), from the page's address, so that `[x](llm4rl/)`
    on about.md leads to /about/llm4rl/; else from its file's folder. A link to a page whose address
    the record of published addresses moves (`moves`: see published.moves, asked for only when a link
    leads nowhere) is told with the page to link instead; one to a page by another file of its address
    (`a.md` for `a/index.md`), with that file."""
    moved: Mapping[str, tuple[str, int]] | None = None
    pages: dict[str, str] | None = None  # each page's file by its address
    folders: dict[str, dict[str, str]] | None = None  # each folder's files by their names
    by_address: bool | None = None  # with directory URLs
    for link in links:
        found = link_target(link.url, link.page)
        if found is None or found[0] in files or (link.image and not found[1]):  # (an image: MkDocs's)
            continue
        target, named = found
        pages = {address(f): f for f in sorted(files) if f.endswith(".md")} if pages is None else pages
        path = link.url.partition("?")[0].partition("#")[0]
        after = link.url[len(path) :]  # its query and fragment, kept in what is said to link instead
        if named:
            landed = address(target) if target.endswith(".md") else None
        else:  # (a page's address from its file: see paths.address)
            by_address = directory_urls() if by_address is None else by_address
            base = address(link.page) if by_address else posixpath.dirname(link.page)
            landed = posixpath.normpath(posixpath.join(base, unquote(path))).lstrip("/") + "/"
            landed = "" if landed == "./" else landed
            # (without directory URLs, a folder's address serves its index page alone: 'a.md' is a.html)
            if landed in pages and (by_address or posixpath.basename(pages[landed]) == "index.md"):
                continue
        shown = ascii(link.url if len(link.url) <= 60 else link.url[:57] + "...")[1:-1]
        said = f"the link '{shown}' on page '{link.page}' leads to"
        moved = moves() if moved is None else moved
        if landed is not None and (move := moved.get(landed)) and move[0] in pages:
            end, line = move
            problems.add(
                link.where,
                f"{said} /{landed}, which moved to /{end} ({PUBLISHED_PATH}:{line}); link "
                f"'{_instead(pages[end], link.page, after)}' instead",
            )
        elif not named:
            # As the page's file would have it (what MkDocs does with a .md link), a page of the site?
            outside = target == ".." or target.startswith("../")
            meant = None if outside else pages.get("" if target == "." else target + "/")
            hint = f": '{_instead(meant, link.page, after)}'" if meant else ", e.g. 'matrix.md'"
            why = f" (a link without '.md' is followed from the page's address, /{address(link.page)})"
            problems.add(
                link.where,
                f"{said} /{landed}, which is no page of the site{why if by_address else ''}; link the page "
                f"by its .md file{hint}",
            )
        elif landed is not None and landed in pages:
            problems.add(
                link.where,
                f"{said} no file of the site; the page at /{landed} is "
                f"'{_instead(pages[landed], link.page, after)}'",
            )
        else:
            resolved = f" ('{ascii(target)[1:-1]}')" if target != link.url else ""
            # The file of a like spelling in its folder, if any (a maintainer's trial's 'gilmer2017nueral.md')
            folder, name = posixpath.split(target)
            if folders is None:  # (made once, as pages is, when a link first leads nowhere)
                folders = {}
                for file in sorted(files):
                    folders.setdefault(posixpath.dirname(file), {})[posixpath.basename(file)] = file
            beside = folders.get(folder, {})
            meant = closest(name, list(beside), cutoff=0.8)  # (a slip of a letter or two in its name)
            how = (
                f"did you mean '{_instead(beside[meant], link.page, after)}'?"
                if meant
                else "correct it (link a page by its .md file, e.g. 'matrix.md')"
            )
            problems.add(link.where, f"{said} no page or file of the site{resolved}; {how}")


def _instead(page: str, on: str, after: str) -> str:
    """A link from the page `on` to the page `page` (source files), `after` (a query, a fragment) kept."""
    return posixpath.relpath(page, posixpath.dirname(on) or ".") + ascii(after[:60])[1:-1]  # (as shown)
