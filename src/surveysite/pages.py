"""Stage 3b: load the hand-written pages of content/pages/, held to the same rules as the data."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .cache import Memo
from .files import check_tree, folder_files, read_text, shown_path
from .markdown import heading_text
from .paths import HOME_PAGE
from .problems import Location, Problems
from .rendered import Link, check_markdown
from .resources import PROJECT, editors_file
from .yamlfile import LineDict, load_yaml

MAX_PAGE_BYTES = 1_000_000
PAGE_NAME = re.compile(r"^[a-z0-9_-]+\.md$")
_HEADING = re.compile(r"^# (.+)$", re.MULTILINE)
# What a page may set at its top ('---' YAML or 'key: value' lines, which MkDocs reads as the page's
# settings and the theme prints unescaped): a title and description of plain text, and what to hide.
META_KEYS = ("title", "description", "hide")
HIDDEN_PARTS = ("navigation", "toc", "footer", "feedback", "path", "tags")
_MARKUP = re.compile(r"[<>\"&]")
# How MkDocs finds them: a YAML block opening the page, else 'key: value' lines from the first line on.
_SETTINGS_BLOCK = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_SETTING_LINE = re.compile(r"^ {0,3}[A-Za-z0-9_-]+:")


@dataclass(frozen=True)
class HandPage:
    """A hand-written Markdown page from content/pages/: its source path, title and text."""

    page: str
    title: str
    text: str
    location: Location


def load_pages(
    root: Path, folder: Path, problems: Problems, links: list[Link] | None = None, memo: Memo | None = None
) -> tuple[list[HandPage], str]:
    """The hand-written pages, and the home page's introduction (index.md), with every problem recorded;
    every link and image of theirs added to `links` (see sitelinks.check_links); with a Memo, what was
    found rendering the same text before is used again (see check_markdown)."""
    links = [] if links is None else links
    pages, intro = [], ""
    for path in folder_files(root, folder, "*.md", problems):
        shown = shown_path(root, path)
        where = Location(shown, 1)
        if not PAGE_NAME.match(path.name):
            problems.add(where, "a page's file name is its address: use lowercase letters, digits, '-', '_'")
            continue
        text = read_text(root, path, problems, MAX_PAGE_BYTES)
        if text is None or not _page_ok(text, shown, path.name, problems, links, memo):
            continue
        _warn_placeholder(text, path.name, shown, problems)
        if path.name == HOME_PAGE:
            intro = text.strip()
            continue
        heading = _HEADING.search(text)
        if heading is None:
            problems.add(where, "the page needs a '# Title' heading")
            continue
        title = heading.group(1).strip()
        if _MARKUP.search(title):  # the theme's <title> un-escapes it ('striptags'): no markup survives that
            line = text.count("\n", 0, heading.start()) + 1
            problems.add(
                Location(shown, line),
                "the page's title (its '# ' line) should be plain text, without <, >, \" or &: the theme "
                "prints it as it is in the page's <title>",
            )
            continue
        pages.append(HandPage(path.name, title, text, where))
    return pages, intro


# The pages `init` writes with text for the maintainer to replace (its contributing page is the
# project's own as it stands).
_PLACEHOLDER_PAGES = ("index.md", "about.md")


@cache
def _placeholder(page: str) -> tuple[str, str] | None:
    """The first paragraph `init` writes into a page for the maintainer to replace, as its first line
    and as its words joined by single spaces; None for another page."""
    if page not in _PLACEHOLDER_PAGES:
        return None
    text = (PROJECT / "content" / "pages" / page).read_text(encoding="utf-8")
    paragraph = next(p for p in text.split("\n\n") if p.strip() and not p.startswith("#"))
    return paragraph.strip().splitlines()[0].strip(), " ".join(paragraph.split())


def _warn_placeholder(text: str, page: str, shown: str, problems: Problems) -> None:
    """Warn of a page that still holds the text `init` wrote for the maintainer to replace (a
    maintainer's trial found that a site could go out with it, where a study's TODO is told)."""
    placeholder = _placeholder(page)
    if placeholder is None or placeholder[1] not in " ".join(text.split()):
        return
    at = text.find(placeholder[0])
    line = text.count("\n", 0, at) + 1 if at >= 0 else 1
    problems.warn(
        Location(shown, line),
        "this is still the text `surveysite init` wrote for you to replace; write the page's own, as the "
        "site shows it as it is",
    )


def titled_intro(intro: str, title: str) -> str:
    """The home page's introduction, headed by the survey's title (as inert Markdown) unless it has a
    heading of the first level of its own (after its settings, if any).

    `init` used to write the title into index.md, where a later change of content/survey.yaml's title
    left it as it was (a maintainer's trial found the home page still under the old one); a new
    project's index.md now has none, and the title comes from survey.yaml. A heading of its own is
    one Markdown makes an <h1> of, anywhere but in a fenced block: '# Title', '#Title', 'Title' over
    a line of '=', or an <h1> element."""
    block = _SETTINGS_BLOCK.match(intro)
    settings, body = (intro[: block.end()], intro[block.end() :]) if block else ("", intro)
    if _FIRST_LEVEL.search(_FENCED.sub("", body)):
        return intro
    return f"{settings}# {heading_text(title)}\n\n{body.lstrip(chr(10))}".rstrip("\n")


# A heading of the first level as Python-Markdown reads one ('#Title' too), one underlined with '=',
# or an <h1> element; and the fenced blocks, where none is a heading.
_FIRST_LEVEL = re.compile(
    r"^ {0,3}#(?!#)[ \t]*\S|^ {0,3}\S.*\n {0,3}=+[ \t]*$|<h1[\s>]", re.MULTILINE | re.IGNORECASE
)
_FENCED = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1", re.MULTILINE | re.DOTALL)


def _page_ok(
    text: str, shown: str, page: str, problems: Problems, links: list[Link], memo: Memo | None = None
) -> bool:
    """Whether a page's text, as written and as MkDocs reads it where it is placed, breaks no rule; the
    links of what MkDocs renders of it are added to `links`.

    MkDocs reads settings at the top of a page and renders only what follows them: both are checked
    as they stand in the site. The introduction (index.md) stands stripped at the top of the home page,
    and any page may be followed by more text (the survey's citation), which makes a last '---' a
    closing one.
    """
    intro = page == HOME_PAGE
    whole: list[Link] = []
    if not check_markdown(text, shown, 1, problems, links=(page, whole), memo=memo):
        links += whole  # checked too: every problem of a page is reported at once
        return False
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    skipped = text[: len(text) - len(text.lstrip())].count("\n") if intro else 0
    placed = (text.strip() if intro else text) + "\n"
    block = _SETTINGS_BLOCK.match(placed)
    if block is None:
        if not _SETTING_LINE.match(placed):
            links += whole
            return True
        problems.add(
            Location(shown, 1 + skipped),
            "the first line reads as a page setting ('key: value'); start the page with its '# Title' "
            "heading, or put settings between '---' lines",
        )
        links += whole
        return False
    found = Problems()
    settings = load_yaml(block.group(1), shown, found)
    for problem in found.sorted():  # the block's first line is the file's second
        problems.add(Location(shown, problem.location.line + 1 + skipped), problem.message)
    if found:
        links += whole
        return False
    if not isinstance(settings, LineDict):
        links += whole
        return True  # not a mapping: MkDocs shows the block as text, which check_markdown judged
    faults = [(key, _setting_fault(key, value)) for key, value in settings.items()]
    for key, fault in faults:
        if fault:
            problems.add(Location(shown, settings.key_lines[key] + 1 + skipped), fault)
    if any(fault for _, fault in faults):
        links += whole
        return False
    body = placed[block.end() :]  # what MkDocs renders: a quote in the block could hide it above
    first = 1 + skipped + placed[: block.end()].count("\n") + len(body) - len(body.lstrip("\n"))
    return check_markdown(body.lstrip("\n"), shown, first, problems, links=(page, links), memo=memo)


def _setting_fault(key: str, value: object) -> str | None:
    if key not in META_KEYS:
        return f"'{key}' cannot be set at the top of a page (allowed: {', '.join(META_KEYS)})"
    if key == "hide":
        if isinstance(value, list) and all(part in HIDDEN_PARTS for part in value):
            return None
        return f"'hide' should be a list of {', '.join(HIDDEN_PARTS)}"
    if isinstance(value, str) and not _MARKUP.search(value):
        return None
    return f"'{key}' should be plain text, without <, >, \" or &: the theme prints it as it is"


# The files MkDocs publishes from the pages folder as they are, besides the pages: ones no browser runs
# a script from (not .html, .svg, .xml or .js), as a pull request may add them.
PUBLISHED_KINDS = (
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".pdf", ".txt", ".csv", ".json", ".bib", ".ris",
)  # fmt: skip


def check_published_files(root: Path, folder: Path, problems: Problems, pages_here: bool = True) -> set[str]:
    """Report every file of a folder MkDocs publishes (its docs_dir) that it would publish unchecked:
    a Markdown page anywhere but directly in the folder (only those are loaded and checked, and only
    with `pages_here`), any other file but an image or a document of PUBLISHED_KINDS, and (see
    files.check_tree) every link and special file, and a folder outside the project.

    Gives the path in the folder of every file it publishes that this accepts."""
    check_tree(root, folder, problems)
    published: set[str] = set()
    if not folder.is_dir() or folder.is_symlink():
        return published
    for current, folders, names in os.walk(folder):
        folders[:] = sorted(
            f for f in folders if not f.startswith(".") and not (Path(current) / f).is_symlink()
        )
        for name in sorted(names):
            path = Path(current) / name
            # (Not published: a hidden folder or file, which MkDocs leaves out, and an editor's file,
            # which the plugin does; a folder 'old~' is published, and walked. Links: check_tree.)
            if editors_file(name) or path.is_symlink():
                continue
            where = Location(shown_path(root, path), 1)
            suffix = path.suffix.lower()
            if path.suffix == ".md":  # as load_pages finds pages: '.MD' is no page, and published as it is
                if not (pages_here and path.parent == folder):
                    problems.add(
                        where, "a page must be directly in content/pages, where it is checked; move it"
                    )
                    continue
            elif suffix not in PUBLISHED_KINDS:
                kind = f"a {path.suffix}" if suffix else "an extensionless"
                problems.add(
                    where,
                    f"{kind} file is not published: a browser could run what it holds; keep images and "
                    f"documents only ({', '.join(PUBLISHED_KINDS)})",
                )
                continue
            published.add(path.relative_to(folder).as_posix())
    return published
