"""Links between the site's own pages and files, checked as the site builder checks them.

MkDocs resolves every relative link and image of a page against the site's files and, with
`strict: true`, fails the build on one whose target is missing, naming the page but not the line.
`surveysite check` finds the same links first, with the file and line they were written on.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping, Set
from urllib.parse import unquote, urlsplit

from .paths import address
from .problems import Problems
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
) -> None:
    """Report every link whose target names a file (it has an extension) the site does not have.

    A target without an extension ('folder/') is not one MkDocs checks: it only notes it. A link to a
    page whose address the record of published addresses moves (`moves`: see published.moves, asked
    for only when a link leads nowhere) is told with the page to link instead."""
    moved: Mapping[str, tuple[str, int]] | None = None
    for link in links:
        found = link_target(link.url, link.page)
        if found is None or found[0] in files or not found[1]:
            continue
        shown = link.url if len(link.url) <= 60 else link.url[:57] + "..."
        resolved = f" ('{ascii(found[0])[1:-1]}')" if found[0] != link.url else ""
        moved = moves() if moved is None else moved
        if found[0].endswith(".md") and (move := moved.get(address(found[0]))):
            end, line = move
            page = next((f for f in sorted(files) if f.endswith(".md") and address(f) == end), None)
            if page is not None:
                instead = posixpath.relpath(page, posixpath.dirname(link.page) or ".")
                instead += link.url[len(link.url.partition("?")[0].partition("#")[0]) :]  # query, fragment
                problems.add(
                    link.where,
                    f"the link '{ascii(shown)[1:-1]}' on page '{link.page}' leads to /{address(found[0])}, "
                    f"which moved to /{end} ({PUBLISHED_PATH}:{line}); link '{instead}' instead",
                )
                continue
        problems.add(
            link.where,
            f"the link '{ascii(shown)[1:-1]}' on page '{link.page}' leads to no page or file of the "
            f"site{resolved}; correct it (link a page by its .md file, e.g. 'matrix.md')",
        )
