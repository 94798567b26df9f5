"""The one place where text from the data becomes Markdown: escaping, links and code fences."""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

from .rendered import is_web_url

# Characters that can start inline Markdown (emphasis, code, links, attribute lists, table cells),
# all of them in Python-Markdown's backslash-escapable set (with the tables extension).
_INLINE = re.compile(r"([\\`*_{}\[\]|])")
# Text is collapsed onto one line, so block syntax can only begin at its very start.
_BLOCK_START = re.compile(r"^(?:([#>+\-!])|(\d+)([.)]))")
_RAW_HTML = re.compile(r"[&<>]")
_SPECIAL = re.compile(r"[\\`*_{}\[\]|&<>]")  # what _INLINE or html.escape (quote=False) changes
_BACKTICKS = re.compile(r"`+")


class Markdown(str):
    """Text that is already safe Markdown; the escaper passes it through unchanged."""


def escape(value: Any) -> str:
    """Render any data value as inert Markdown text (the Jinja `finalize` hook)."""
    if isinstance(value, Markdown):
        return value
    if value is None:
        raise TypeError("a template printed None; the view should give text")  # a bug, not bad data
    text = str(value)
    return _escaped_short(text) if len(text) <= _SHORT else _escaped(text)


def heading_text(title: str) -> str:
    """A title as inert Markdown for a heading's text, readable where a maintainer edits it: escaped,
    but an '&' that starts no character reference left as typed ('A & B', not 'A &amp; B'), and a
    last '#' kept as text."""
    text = _LONE_AMPERSAND.sub("&", escape(title))
    return text[:-1] + "\\#" if text.endswith("#") else text


_LONE_AMPERSAND = re.compile(r"&amp;(?![A-Za-z][A-Za-z0-9]*;|#[0-9]+;|#[xX][0-9A-Fa-f]+;)")

_SHORT = 100  # names, labels and facet values recur on thousands of pages; summaries do not


def _escaped(text: str) -> str:
    text = " ".join(text.split())
    if _SPECIAL.search(text):  # (most texts hold none: then neither pass changes a thing)
        text = _INLINE.sub(r"\\\1", html.escape(text, quote=False))
    if text.startswith("~"):  # a ~~~ code fence; '~' is not backslash-escapable
        return "&#126;" + text[1:]
    first = text[:1]  # nearly every text begins with nothing that _BLOCK_START matches
    if first not in _BLOCK_MARKS and not first.isdecimal():  # '\\d': any decimal digit, as Markdown's
        return text
    return _BLOCK_START.sub(_escape_block_start, text, count=1)


_BLOCK_MARKS = frozenset("#>+-!")


_escaped_short = lru_cache(maxsize=16_384)(_escaped)


def attribute_json(value: Any) -> Markdown:
    """A value as compact JSON, escaped to sit inside a double-quoted HTML attribute."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return Markdown(html.escape(text, quote=True))


def _escape_block_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def description(text: str) -> Markdown:
    """Taxonomy prose: Markdown formatting is kept, raw HTML is shown as text."""
    return Markdown(_RAW_HTML.sub(lambda m: html.escape(m.group(0)), text.strip()))


def page_link(text: Any, target: str, here: str) -> Markdown:
    """A link from the page `here` to the generated page `target` (both source paths)."""
    return Markdown(f"[{escape(text)}]({relative_path(target, here)})")


def matrix_query(*filters: tuple[str, str]) -> str:
    """The matrix's address state (its URL query) filtered to these (dimension, value) pairs: a
    dimension is 'class', 'leaf' or a facet's id (see matrix.js, readState)."""
    return "?" + urlencode([(f"f.{name}", value) for name, value in filters], quote_via=quote, safe="/")


def relative_path(target: str, here: str) -> str:
    """The path of `target` relative to the folder of `here`, both relative source paths.

    What posixpath.relpath gives, without its two trips through the working directory, which made
    it the slowest part of rendering a large survey.
    """
    folder, _, name = target.rpartition("/")
    start = here.rpartition("/")[0]
    # Two folders side by side (a study's page and another's): the way is one up and one down. (A
    # cache of each pair would not help: 10,000 study pages link five others each.)
    parent, _, last = folder.rpartition("/")
    start_parent, _, start_last = start.rpartition("/")
    if last and start_last and last != start_last and parent == start_parent:
        return f"../{last}/{name}"
    return _relative_folder(folder, start) + name


@lru_cache(maxsize=16_384)  # a site has few folders, and links between them recur on every page
def _relative_folder(folder: str, start_folder: str) -> str:
    """The way from `start_folder` to `folder` ('' for the same folder, else ending in '/')."""
    to = folder.split("/") if folder else []
    start = start_folder.split("/") if start_folder else []
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    parts = [".."] * (len(start) - common) + to[common:]
    return "/".join(parts) + "/" if parts else ""


def web_link(text: Any, url: str, of: Any = "") -> Markdown:
    """A link to an http(s) URL; anything else is shown as plain text, never as a link. `of`: what the
    link is of, read to screen readers after the text ('arXiv', of a study among many on a page)."""
    if not is_web_url(url):
        return Markdown(escape(text))
    said = f'<span class="survey-visually-hidden"> ({escape(of)})</span>' if of else ""
    return Markdown(f"[{escape(text)}{said}]({url.replace('(', '%28').replace(')', '%29')})")


def code_block(text: str, language: str) -> Markdown:
    """A fenced code block whose fence is longer than any run of backticks in the text."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0) if "`" in text else 0
    fence = "`" * max(3, longest + 1)
    return Markdown(f"{fence} {language}\n{text}\n{fence}")


def theme_text(value: Any) -> str:
    """Text for the places MkDocs themes print without escaping (titles, nav labels, meta tags)."""
    return html.escape(" ".join(str(value).split()), quote=True)


def front_matter(title: Any, description: Any, feed: str = "", feed_title: str = "") -> Markdown:
    """Page metadata: an explicit title and description, escaped for the theme (JSON is valid YAML).

    `feed`, the path of the page's own Atom feed from the site's root, is announced in the page's head,
    by `feed_title`, the feed's own title.
    """
    short = " ".join(str(description).split())
    if len(short) > 200:
        short = short[:197].rsplit(" ", 1)[0] + "..."
    fields = {"title": theme_text(title), "description": theme_text(short)}
    if feed:
        fields["feed"] = theme_text(feed)
        fields["feed_title"] = theme_text(feed_title)
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return Markdown("---\n" + "\n".join(lines) + "\n---\n")
