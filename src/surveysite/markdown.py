"""The one place where text from the data becomes Markdown: escaping, links and code fences."""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any, cast
from urllib.parse import quote, urlencode

from .rendered import EXTENSIONS, FENCE, closes_fence, is_web_url, to_html

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


@lru_cache(maxsize=1024)
def description(text: str) -> Markdown:
    """Taxonomy prose: Markdown formatting is kept, raw HTML is shown as text. Code (a fenced block, a
    code span) is left as written: Markdown shows it as text itself, and escaped once more a
    hostile-input trial's `<b>` read '&lt;b&gt;'. Text taken for code here that Markdown takes for
    something else would reach the page as HTML, so the text so left is rendered: unless it makes the
    same elements as the text escaped throughout, that is used."""
    text = text.strip()
    escaped = _html_as_text(text)
    if escaped == text:
        return Markdown(text)
    parts: list[str] = []
    prose: list[str] = []
    fence: list[str] = []  # the open fenced block's lines, its opening fence first
    opening = ""  # that fence's mark
    for line in text.splitlines(keepends=True):
        mark = FENCE.match(line)
        if fence:
            fence.append(line)
            if closes_fence(mark, opening):
                parts.append(_prose("".join(prose)) + "".join(fence))
                prose, fence = [], []
        elif mark:
            fence, opening = [line], mark.group(1)
        else:
            prose.append(line)
    parts.append(_prose("".join(prose + fence)))  # (a fence never closed is no code)
    kept = "".join(parts)
    return Markdown(kept if kept == escaped or _elements(kept) == _elements(escaped) else escaped)


def _elements(text: str) -> list[str]:
    """The tags, with their attributes, Python-Markdown makes of a text, with the site's extensions.
    (Not their names alone: a review's '```!!' is no fence to Markdown, and a raw '<p title=...>'
    kept between two of them made a paragraph as the escaped text did.)"""
    return _TAG.findall(to_html(text, EXTENSIONS))


_TAG = re.compile(r"<[^<>]*>")


def _prose(text: str) -> str:
    """Text outside fenced blocks: its raw HTML escaped, but within code spans (found paragraph by
    paragraph as Python-Markdown finds them, by its own pattern)."""
    parts = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        if _INDENTED_CODE.fullmatch(paragraph):  # (an indented code block, shown as written as a fence is)
            parts.append(paragraph)
            continue
        at = 0
        for begin, end in _code_spans(paragraph):
            parts.append(_html_as_text(paragraph[at:begin]))
            parts.append(paragraph[begin:end])
            at = end
        parts.append(_html_as_text(paragraph[at:]))
    return "".join(parts)


def _html_as_text(text: str) -> str:
    """Text with its raw HTML ('&', '<', '>') escaped, to show as written."""
    return _RAW_HTML.sub(lambda m: html.escape(m.group(0)), text)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where Python-Markdown's inline code is in a paragraph, by its own pattern and pairing of
    backticks (BacktickInlineProcessor, which runs before every other inline pattern)."""
    from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

    code_start, paired = re.compile(BACKTICK_RE, re.DOTALL), BacktickInlineProcessor(BACKTICK_RE)
    spans: list[tuple[int, int]] = []
    at = 0
    while (found := code_start.search(text, at)) is not None:
        begin = found.end() if found.group(1) else found.start()  # (escaped backslashes: text, and
        # the backticks after them open a span: the text is swapped for a placeholder by then)
        # (Typed as returning nothing by the stubs of some Markdown versions.)
        start, end = cast("tuple[int, int | None]", paired.find_code_spans(begin, text))
        if end is None:
            at = start
            continue
        spans.append((begin, end + (start - begin)))
        at = spans[-1][1]
    return spans


# A paragraph ends at a blank line, which the split keeps. (Code spans are found within one, as
# Python-Markdown finds them: see _code_spans.)
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n)")
_INDENTED_CODE = re.compile(r"(?:(?: {4}|\t)[^\n]*(?:\n|$))+")  # lines each indented four spaces or a tab


def page_link(text: Any, target: str, here: str, said: str = "") -> Markdown:
    """A link from the page `here` to the generated page `target` (both source paths). `said`: words a
    screen reader says after the text, which the page does not show, for links of one text to other
    files (a reader's trial heard a class's name twice on the home page: its BibTeX and its RIS)."""
    hidden = f'<span class="survey-visually-hidden">{html.escape(said)}</span>' if said else ""
    return Markdown(f"[{escape(text)}{hidden}]({relative_path(target, here)})")


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
