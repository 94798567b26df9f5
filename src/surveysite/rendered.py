"""Markdown written in the data, judged by the HTML it becomes: what the reader's browser will see.

Checking the Markdown source for links misses reference definitions, autolinks, schemes split by
entities or line breaks, and raw HTML; the rendered HTML holds every one of them in plain sight.
"""

from __future__ import annotations

import html
import re
import threading
from bisect import bisect_right
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from itertools import islice
from urllib.parse import urlsplit

import markdown
from markdown.extensions.toc import slugify

from .cache import Memo, digest
from .problems import Location, Problems

# The site's extensions that change what HTML a text makes, and those the site does not use but a
# maintainer may add, which make elements and classes of text: checking with them too refuses
# `{: onclick=...}` (attr_list), `??? md-consent__overlay` (details: a review's, which the site's own
# extensions read as text) and `/// html | div` with `attrs: {class: ...}` (blocks) either way.
EXTENSIONS = (
    "tables", "admonition", "md_in_html", "attr_list", "pymdownx.superfences", "pymdownx.details",
    "pymdownx.blocks.html", "pymdownx.blocks.details", "pymdownx.blocks.admonition",
)  # fmt: skip
_TAGS = """a abbr b blockquote br caption cite code dd del details div dl dt em figcaption figure h1 h2 h3
h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong sub summary sup table tbody td tfoot
th thead tr u ul var"""
ALLOWED_TAGS = frozenset(_TAGS.split())
_ATTRIBUTES = "href src alt title id class colspan rowspan align start open width height"
ALLOWED_ATTRIBUTES = frozenset(_ATTRIBUTES.split())
LINK_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_EDGES = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")  # and controls and spaces at either end


# A start tag as written plainly: a name, then attributes separated by ASCII spaces, each a name with an
# optional value, quoted or unquoted without quotes, '=', '<', '>' or '`'. Python's parser and browsers
# read such a tag alike; they read others apart (before Python 3.13.6 '==' and U+00A0 were two of them),
# so what one takes for a harmless attribute the other may take for an event handler.
_VALUE = r"(?:\"[^\"]*\"|'[^']*'|[^\x00-\x20\"'=<>`\x7f]+)"
_PLAIN_TAG = re.compile(
    rf"<[A-Za-z][A-Za-z0-9]*(?:[ \t\n]+[A-Za-z_:][-A-Za-z0-9_:.]*(?:[ \t\n]*=[ \t\n]*{_VALUE})?)*[ \t\n]*/?>"
)
_END_TAG_START = re.compile(r"</")
_PLAIN_END_TAG = re.compile(r"</[A-Za-z][A-Za-z0-9]*[ \t\n]*>")
# What an id or a class may be: the theme's own elements have ids beginning with '__' (#__config holds
# its settings: a page's element of that id would be read in its place), and a 'mermaid' element
# makes it load a script from another host. The theme's classes ('md-...') and the site's
# ('survey-...', and the few below that its stylesheet and scripts act on) are its own: a review's
# page, '<a class="md-consent__overlay" href="https://...">', laid a link to another site over the
# whole screen, and an admonition typed 'md-consent__overlay' in a node's description did the same.
_ID = re.compile(r"[A-Za-z][-A-Za-z0-9_:.]*")
_CLASS = re.compile(r"[A-Za-z][-A-Za-z0-9_]*")
_ACTIVE_CLASSES = frozenset({"mermaid", "headerlink", "taxonomy-path", "taxonomy-tree", "Z3988"})
_ACTIVE_CLASS_PREFIXES = ("md-", "survey-")
_STYLE_CLASSES = frozenset({"md-button", "md-button--primary"})  # the theme's documented button look
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Blocks a text may open that must be closed in it: one left open in the home page's introduction
# made the rest of the page, the tree and the downloads, raw text (a hostile-input trial).
_CLOSED_BLOCKS = frozenset({"blockquote", "details", "div", "dl", "figure", "ol", "table", "ul"})
# Text that starts a tag Markdown did not take for one (it was not finished, as "<div title='"): on a
# page, what follows it (a gloss, the next section) may finish it.
TAG_START = re.compile(r"<[A-Za-z/!?]")
# Python-Markdown scans from each '[' to its ']', from a link's '(' to its ')' and from a tag's '<' to
# the next '>', to the end of the block when there is none: a block of thousands left open takes
# minutes ('[' x 16,000 and ']' x 16,000, 32 KB, took four). What those scans would cover is counted
# first, by blocks between blank lines, and a text past MAX_SCAN (about a second of rendering) refused.
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n")
_SCANNED = re.compile(r"\]\(|[\[\])>]|<[A-Za-z/!?]")  # "](" before "]"
MAX_SCAN = 4_000_000
# Python-Markdown's time grows with the square of the number of code fences, admonitions and HTML
# tags opening lines in a text: 10,000 lines of three backticks took 7.6 s, 100,000 four minutes (so
# did 100,000 '!!! note' lines, or 50,000 '<span>' lines in nested '<div markdown>'; 8,000 '<a x'
# lines, 21 s). A text with more than MAX_BLOCKS of them (2,000 read in about a second at most) is
# refused; lines inside a code block count too, as telling where one ends is Markdown's own work.
MAX_BLOCKS = 2_000
# A line that opens a block of pymdownx.blocks (a name after the slashes) or closes one (nothing after).
_BLOCK_FENCE = re.compile(r"[ \t]*/{3,}[ \t]*(\S)?")
_BLOCK_OPENER = re.compile(r"^[ \t]*(?:```|~~~|!!!|\?\?\?|///|<[A-Za-z/!?])", re.MULTILINE)
# Python-Markdown recurses once or more per level of nested lists and of nested HTML blocks it reads
# Markdown inside: past some 240 levels here Python's recursion limit stops it, at a depth that
# depends on how deep in the stack it is called, so `surveysite check` passed text that the same
# check inside `mkdocs build` refused. A text nested deeper than MAX_NESTING, counted from its
# lines alone, is refused by both, whatever calls them.
MAX_NESTING = 100
# A line's run of list and quote markers and of indentation (a level each, or four columns).
_NESTING_PREFIX = re.compile(r"(?:[ \t]|>|[*+-](?=[ \t])|\d+[.)](?=[ \t]))*")  # \d: as Markdown's
_NESTING_MARKER = re.compile(r">|[*+-](?=[ \t])|\d+[.)](?=[ \t])")
# Emphasis left open nests too ('*a _b *a _b ...' 600 times ended `mkdocs build` in a traceback that
# `check` did not meet): a block opening more than MAX_EMPHASIS of it is refused.
MAX_EMPHASIS = 300
_EMPHASIS_OPENER = re.compile(r"(?:^|(?<=\s))[*_]+(?=\S)")
# An HTML tag: its name (after '/' for an end tag) and whether it has a markdown attribute (md_in_html
# reads what it holds as Markdown, recursing).
# (Never across a '<': a tag left unfinished would else be scanned to the text's end from each one.)
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^<>\"']|\"[^\"<]*\"|'[^'<]*')*)>")
_MARKDOWN_ATTRIBUTE = re.compile(r"(?:^|[\s\"'])markdown(?=[\s=/]|$)", re.IGNORECASE)
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_UNSAFE_URL_CHARS = re.compile(r"[\s\"'<>\\`{}|^\x00-\x1f]")  # and every control character


# An http(s) scheme and a host of letters, digits, dots and hyphens, as urlsplit reads them: a web
# address (of a study's DOI, arXiv page or paper, 30,000 of them at 10,000 studies) without urlsplit.
_PLAIN_WEB_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#]|\Z)")


def is_web_url(url: str) -> bool:
    """Whether a URL is an absolute http(s) URL with nothing that could break out of a link."""
    if _UNSAFE_URL_CHARS.search(url):
        return False
    if _PLAIN_WEB_URL.match(url):
        return True
    try:
        parts = urlsplit(url)
    except ValueError:  # a host with an unbalanced [ or ] ("http://[x"), which urlsplit refuses
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@dataclass(frozen=True)
class Link:
    """A link or image target in a text, the page (source path) the text is shown on, and where it was
    written: see sitelinks.check_links."""

    url: str
    page: str
    where: Location
    image: bool = False


@dataclass(frozen=True)
class Fault:
    """Something in rendered text that the site refuses, and the source text to find its line by."""

    message: str
    needle: str


def faults(text: str, raw_html: bool = True) -> list[Fault]:
    """Everything the HTML rendered from this Markdown holds that a page of the site may not.

    `raw_html`: the text's HTML reaches the page as written (a hand page), so text that starts a tag
    Markdown did not finish is refused; without it (taxonomy prose, whose HTML is shown as text) it
    is what the reader is meant to see."""
    return examined(text, raw_html)[0]


def examined(text: str, raw_html: bool = True) -> tuple[list[Fault], list[tuple[str, bool]]]:
    """faults(text, raw_html), and the target of every link and image that has no fault, once each
    (with whether it is an image's)."""
    slow = _too_many_blocks(text) or _too_slow(text) or _too_split(text) or _too_deep(text)
    if slow is not None:  # not rendered at all
        return [slow], []
    found: list[Fault] = []
    targets: dict[tuple[str, bool], None] = {}  # in the order first found
    # With attr_list and without: the site has none, but a maintainer may add it, and a '{: title=...}'
    # line is an attribute with it and text (holding any markup) without.
    for extensions in (EXTENSIONS, tuple(e for e in EXTENSIONS if e != "attr_list")):
        more, linked = _faults(text, raw_html, extensions)
        found += [fault for fault in more if fault not in found]
        targets.update(dict.fromkeys(linked))
    return found, list(targets)


def _scanned(block: str) -> int:
    """How many characters Python-Markdown's link and tag patterns would scan in a block, at most."""
    total, end = 0, len(block)
    opened: dict[str, list[int]] = {"[": [], "(": [], "<": []}
    for mark in _SCANNED.finditer(block):
        found, at = mark.group(), mark.start()
        if found == "]":
            if opened["["]:
                total += at - opened["["].pop()
        elif found == "](":
            if opened["["]:
                total += at - opened["["].pop()
            opened["("].append(at + 1)
        elif found == ")":
            if opened["("]:
                total += at - opened["("].pop()
        elif found == ">":
            total += sum(at - start for start in opened["<"])
            opened["<"].clear()
        else:
            opened[found[0]].append(at)
    return total + sum(end - start for starts in opened.values() for start in starts)


def _too_many_blocks(text: str) -> Fault | None:
    """A fault naming the first line that opens a fence, an admonition or an HTML tag, if more than
    MAX_BLOCKS lines do (see MAX_BLOCKS)."""
    found = _BLOCK_OPENER.finditer(text)
    first = next(found, None)
    if first is None or next(islice(found, MAX_BLOCKS - 1, None), None) is None:
        return None
    end = text.find("\n", first.start())
    return Fault(
        f"Markdown would take minutes to read this text: more than {MAX_BLOCKS:,} of its lines open a "
        "code fence, an admonition or an HTML tag (in code blocks too); split it into shorter pages",
        text[first.start() : end if end >= 0 else len(text)].strip()[:20],
    )


def _too_slow(text: str) -> Fault | None:
    """A fault naming the block where the text's scans (see _scanned and _backtick_scans) pass
    MAX_SCAN, or its inline matches MAX_REBUILT, if they do. (The text is one block when an element
    in it reads Markdown: md_in_html reads a '<p markdown>' as one paragraph, blank lines and all, and
    a review's backtick runs parted by blank lines in one took 9 s to check.)"""
    if not _INLINE_MARK.search(text):
        return None
    total = ticks = rebuilt = 0
    reader = None  # the first element that reads Markdown, where the text is told as one block
    if "markdown" in text.lower():
        tags = _HTML_TAG.finditer(text)
        reader = next((tag.group() for tag in tags if _MARKDOWN_ATTRIBUTE.search(tag.group(3))), None)
    for block in [text] if reader is not None else _BLOCK_BREAK.split(text):
        needle = reader or block.strip()[:20]
        total += _scanned(block) if "[" in block or "<" in block else 0
        ticks += _backtick_scans(block) if "`" in block else 0
        rebuilt += len(_INLINE_MARK.findall(block)) * len(block)
        if total > MAX_SCAN:
            return Fault(
                "Markdown would take minutes to read this text: it leaves '[', '(' or '<' open over long "
                "stretches; close them, or write them as \\[, \\( or &lt;",
                needle,
            )
        if ticks > MAX_SCAN:
            return Fault(
                "Markdown would take minutes to read this text: it opens inline code with runs of backticks "
                "that no run as long closes, over long stretches; close each with as many backticks, or "
                "write \\`",
                needle,
            )
        if rebuilt > MAX_REBUILT:
            return Fault(
                "Markdown would take minutes to read this text: a paragraph holds too much inline markup "
                "(code, escapes, entities, links, emphasis) for its length; part it with blank lines",
                needle,
            )
    return None


# Python-Markdown writes a paragraph's text anew at each inline match it makes (code, an escape, an
# entity, a link, emphasis): its time grows with the number of matches times the paragraph's length.
# A review's 200,000 code spans in one paragraph (800 KB) took 92 s, 250,000 escapes 117 s, 150,000
# entities 65 s. The characters that begin a match, counted by runs, times the block's length, past
# MAX_REBUILT (one to two seconds of rendering: 3 to 11 billion a second here) are refused.
_INLINE_MARK = re.compile(r"[`\\&*_\[<!]+")
# Python-Markdown takes a heading or a rule out of its block and puts the rest of the block back, to be
# read again: a block of thousands of them, with no blank line between, takes time in the square of
# its length ('## a' x 4,000 lines took 2 s, 32,000 a review's 239 s). Such lines times their block's
# length, past MAX_SPLIT (about a second), are refused.
# (A heading: any line that begins with '#', as Python-Markdown reads it, '#a' and '#######' too; a
# rule; a line of '=' or '-' under a heading. Lines within a fenced code block are read apart, and a
# script's comments there are none of these: a review's page of 1,500 was refused.)
_SPLITTER = re.compile(r"#|[ ]{0,3}(?:([-*_])[ \t]*(?:\1[ \t]*){2,}|=+|-+)[ \t]*$")
_SPLITTER_ANYWHERE = re.compile(f"^(?:{_SPLITTER.pattern})", re.MULTILINE)
# A fence, opening or closing a fenced block: its mark, and what follows it on its line (indented
# by four spaces, a line is code of another kind).
FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")


def closes_fence(mark: re.Match[str] | None, opening: str) -> bool:
    """Whether a line that FENCE matched (`mark`) closes the block a fence of `opening` opened: a run
    of its character as long or longer, and nothing after it."""
    return mark is not None and not mark.group(2).strip() and mark.group(1).startswith(opening)


MAX_SPLIT = 20_000_000


def _too_split(text: str) -> Fault | None:
    """A fault naming the block where the headings and rules Markdown takes out of their blocks, times
    those blocks' lengths, pass MAX_SPLIT, if they do (fenced code aside)."""
    if _SPLITTER_ANYWHERE.search(text) is None:  # (nearly every text: no line of those, found in C)
        return None
    total = splits = length = 0
    fence, first = "", ""
    for line in text.replace("\r\n", "\n").split("\n"):
        mark = FENCE.match(line)
        if fence:
            fence = "" if closes_fence(mark, fence) else fence
            continue
        if mark:
            fence = mark.group(1)
            continue
        if not line.strip():  # a block ends
            total, splits, length, first = total + splits * length, 0, 0, ""
            continue
        first = first or line
        length += len(line) + 1
        splits += _SPLITTER.match(line) is not None
        if total + splits * length > MAX_SPLIT:
            return Fault(
                "Markdown would take minutes to read this text: thousands of its lines are headings or "
                "rules with no blank line between them; put a blank line after each",
                first.strip()[:20],
            )
    return None


# Material's search plugin looks for each heading of a page among all of them: a page of 16,000 headings
# took a build 16 s, 32,000 a review's minute. A page may have MAX_HEADINGS (about a second's work).
MAX_HEADINGS = 1_000
_HEADING = re.compile(r"<h[1-6][\s>]")
HEADINGS_FAULT = (
    f"the text has more than {MAX_HEADINGS:,} headings, and the site's search reads a page's headings in "
    "time that grows with their square; split it into shorter pages"
)
MAX_REBUILT = 8_000_000_000


_BACKTICK_RUN = re.compile(r"(\\*)(`+)")  # a run of backticks, and the backslashes before it


def _backtick_scans(block: str) -> int:
    """How many characters Python-Markdown's inline code would scan in a block, at most: from each run
    of backticks that opens code to the end of the next run as long (BacktickInlineProcessor, letter by
    letter in Python: a page of runs one to 1,400 backticks long, each closed by none, took over a
    minute), or to the block's end. A run after a backslash may open code from its second backtick,
    one shorter (a review's '\\``x``' runs, each closed by none, took 17 s of a 252 KB page). Each run
    is counted as an opener of whichever of its lengths scans further, none as code another closes.
    (Compared with Python-Markdown's own scans on 8,000 random blocks of backticks, backslashes and
    letters: 8 counted short, by a fifth at most, as the backslashes it reads first shift where runs
    start; a bound of the scans' order, which is what makes minutes.)"""
    runs: list[tuple[int, int, bool]] = []  # where each run ends, how long it is, whether after a '\\'
    at: dict[int, list[int]] = {}  # by length, the indexes of the runs that long
    for found in _BACKTICK_RUN.finditer(block):
        length = len(found.group(2))
        at.setdefault(length, []).append(len(runs))
        runs.append((found.end(), length, bool(found.group(1))))

    def reach(index: int, length: int) -> int:  # the end of the next run that long, or the block's
        same = at.get(length, [])
        closing = bisect_right(same, index)
        return len(block) if closing == len(same) else runs[same[closing]][0]

    total = 0
    for index, (end, length, escaped) in enumerate(runs):
        lengths = (length, length - 1) if escaped and length > 1 else (length,)
        total += max(reach(index, wanted) for wanted in lengths) - end
    return total


def _too_deep(text: str) -> Fault | None:
    """A fault naming the first line where lists, quotes or Markdown-reading HTML blocks nest deeper
    than MAX_NESTING, if they do: counted so as never to be less than the nesting Markdown reads (a
    list's level takes four columns of indentation or a marker; a quote's, its '>')."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # lines as Markdown reads them
    for block in _BLOCK_BREAK.split(text):
        if ("*" in block or "_" in block) and len(_EMPHASIS_OPENER.findall(block)) > MAX_EMPHASIS:
            return Fault(
                f"the text opens emphasis ('*' or '_') more than {MAX_EMPHASIS} times in one paragraph, "
                "too deeply to be shown; close it or write \\* and \\_",
                block.strip()[:40],
            )
    for line in text.split("\n"):
        prefix = _NESTING_PREFIX.match(line)
        if prefix is None or prefix.end() <= MAX_NESTING:  # a level takes a character at least
            continue
        run = prefix.group()
        markers = len(_NESTING_MARKER.findall(run))
        columns = max(0, run.count(" ") + 4 * run.count("\t") - markers)  # a marker's own space apart
        if markers + columns // 4 > MAX_NESTING:
            return _deep_fault(line)
    if "///" in text:  # blocks of pymdownx.blocks ('/// details | Title' ... '///'), nested in each other
        depth = 0
        for line in text.split("\n"):
            fence = _BLOCK_FENCE.match(line)
            if fence is None:
                continue
            depth = depth + 1 if fence.group(1) else max(depth - 1, 0)
            if depth > MAX_NESTING:
                return _deep_fault(line)
    if "markdown" not in text.lower():
        return None
    opened: list[tuple[str, bool]] = []  # the HTML elements open, and whether each reads Markdown
    names: dict[str, int] = {}  # how many of each name are open
    reading = 0  # how many of them read Markdown
    for tag in _HTML_TAG.finditer(text):
        end, name, attributes = tag.group(1), tag.group(2).lower(), tag.group(3)
        if end:
            # What was left open inside it closes with it, but never one that reads Markdown: an end tag
            # Markdown does not act on (`</span>` around a block) must not lower the count.
            while names.get(name) and not (opened[-1][1] and opened[-1][0] != name):
                closed, reads = opened.pop()
                names[closed] -= 1
                reading -= reads
                if closed == name:
                    break
        elif name not in _VOID_TAGS:  # even '<x .../>': an attribute value may end in '/'
            reads = _MARKDOWN_ATTRIBUTE.search(attributes) is not None
            opened.append((name, reads))
            names[name] = names.get(name, 0) + 1
            reading += reads
            if reading > MAX_NESTING:
                return _deep_fault(tag.group())
    return None


def _deep_fault(needle: str) -> Fault:
    return Fault(
        f"the text nests lists, quotes or blocks more than {MAX_NESTING} deep, too deeply to be shown; "
        "flatten it",
        needle.strip()[:40],
    )


_CONVERTERS = threading.local()  # (one thread's converters are never in the middle of a text)


def to_html(text: str, extensions: tuple[str, ...]) -> str:
    """Python-Markdown's HTML of a text, with these extensions: one converter for each set, reset for
    each text, as Python-Markdown is meant to be used. A converter made for each text (nine extensions
    set up) took two thirds of the time a taxonomy of 6,000 nodes was checked in, and left cycles
    (see build.collector_paused)."""
    made = _CONVERTERS.__dict__.setdefault("made", {})
    converter = made.get(extensions)
    if converter is None:
        converter = made[extensions] = markdown.Markdown(extensions=list(extensions))
    return str(converter.reset().convert(text))


def _faults(
    text: str, raw_html: bool, extensions: tuple[str, ...]
) -> tuple[list[Fault], list[tuple[str, bool]]]:
    try:
        html = to_html(text, extensions)
    except RecursionError:  # lists, quotes or blocks nested hundreds deep: no page can be made of it
        return [Fault("the text nests lists, quotes or blocks too deeply to be shown; flatten it", "")], []
    end = next((m for m in _END_TAG_START.finditer(html) if not _PLAIN_END_TAG.match(html, m.start())), None)
    if end is not None:  # a browser reads quotes in an end tag, Python's parser ends it at the first '>'
        written = html[end.start() : end.start() + 20]
        return [
            Fault(f"HTML end tag '{ascii(written)[1:-1]}' is not written plainly; write </name>", written)
        ], []
    if len(_HEADING.findall(html)) > MAX_HEADINGS:
        return [Fault(HEADINGS_FAULT, "")], []
    checker = _Checker(raw_html, text)
    checker.feed(html)
    if "<" in checker.rawdata:  # left unfinished: a tag, comment or the like
        checker.found.append(
            Fault("an HTML tag or comment is not closed; close it with '>'", checker.rawdata.strip()[:20])
        )
    checker.close()
    for tag, left in checker.open_blocks.items():
        if left:  # (Markdown closes its own: a tag written in the text)
            checker.found.append(
                Fault(
                    f"<{tag}> is not closed: what follows it (on the home page, the tree after the "
                    f"introduction) would be shown as Markdown's source; close it with </{tag}>",
                    f"<{tag}",
                )
            )
    return checker.found, checker.targets


def check_markdown(
    text: str,
    shown: str,
    first_line: int,
    problems: Problems,
    raw_html: bool = True,
    links: tuple[str, list[Link]] | None = None,
    memo: Memo | None = None,
) -> bool:
    """Record everything the text's rendered HTML holds that the site refuses; whether it is clean.

    With `links`, the page the text is shown on and a list: every target of its links and images is
    added to the list, to be checked once every page and file of the site is known. With a Memo, what
    the rendering found in the same text before is used again (rendering the hand-written pages twice
    each took a tenth of a second of every run)."""
    if memo is None:
        found, targets = examined(text, raw_html)
    else:
        key = digest("examined", text, "raw" if raw_html else "")
        found, targets = memo.get(key, partial(examined, text, raw_html))
    faults = _Places(text, first_line)
    for fault in found:
        problems.add(Location(shown, faults.line(fault.needle)), fault.message)
    if links is not None:
        page, into = links
        places = _Places(text, first_line)
        into += [Link(url, page, Location(shown, places.line(url)), image) for url, image in targets]
    return not found


_LINE_BREAK = re.compile("\n")


class _Places:
    """The lines of a text on which the faults (or link targets) found in its HTML stand, in the order
    they were found: each where its text first appears after the one found before it with the same text
    (two alike on lines 5 and 9 are two problems, not one at line 5 twice), letter case aside and
    character references read ("&#106;avascript:" is "javascript:"), as the HTML holds them. Looked for
    from the line the last one was found on first (they are found in the order of the text), then
    from the top: a page that links 10,000 studies is read once, not once a link."""

    def __init__(self, text: str, first_line: int) -> None:
        self._text = text
        self._first = first_line
        # The text lowered, as written and with its references read, each with where its lines start:
        # made when first asked.
        self._views: list[tuple[str, list[int]]] = []
        self._used: dict[str, tuple[int, int]] = {}  # a needle's last place: its line, how many on it
        self._cursor = 0  # the line the last one was found on

    def line(self, needle: str) -> int:
        """The line of the next place of this text (the first line if it is nowhere)."""
        if "\n" in needle:  # a stretch of lines (see _too_slow): where it first stands as written
            index = self._text.find(needle)
            return self._first + (self._text.count("\n", 0, index) if index >= 0 else 0)
        for candidate in (needle, needle.split(":")[0], needle[:20]):
            found = self._next(candidate.lower()) if candidate else None
            if found is not None:
                return self._first + found
        return self._first

    def _next(self, needle: str) -> int | None:
        if not self._views:
            read = "\n".join(html.unescape(line) for line in self._text.split("\n"))  # no line made or lost
            # And with Markdown's escapes read ('\\' is one backslash in what is rendered: a hostile-input
            # review's 'http:\\host' image was told at the line of another image, by its 'http').
            unescaped = _MARKDOWN_ESCAPE.sub(r"\1", self._text)
            for view in (self._text.lower(), read.lower(), unescaped.lower()):
                starts = [0, *(found.end() for found in _LINE_BREAK.finditer(view))]
                self._views.append((view, starts))
        start, seen = self._used.get(needle, (0, 0))
        found = self._from(needle, self._cursor, 0) if self._cursor > start else None
        if found is None:
            found = self._from(needle, start, seen)
        if found is None:  # more of them found than written: the last place again
            return self._used[needle][0] if needle in self._used else None
        self._used[needle] = (found, seen + 1 if found == start else 1)
        self._cursor = found
        return found

    def _from(self, needle: str, line: int, seen: int) -> int | None:
        """The first line from `line` on that holds the needle, past the first `seen` on `line` itself."""
        best = None
        for view, starts in self._views:
            if line >= len(starts):
                continue
            at = view.find(needle, starts[line])
            if at >= 0 and bisect_right(starts, at) - 1 == line:
                end = starts[line + 1] if line + 1 < len(starts) else len(view)
                if view.count(needle, starts[line], end) <= seen:
                    at = view.find(needle, end)
            if at >= 0:
                found = bisect_right(starts, at) - 1
                best = found if best is None else min(best, found)
        return best


_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation

# A target naming another host without its scheme ('//host/page'), and one from the host's root
# ('/matrix/'), which leaves a site served from a folder: https://org.github.io/repo/ (a maintainer's
# trial's link passed check and the strict build, and led to https://org.github.io/matrix/).
_OTHER_HOST = ("//", "\\\\", "/\\", "\\/")
_FROM_ROOT = ("/", "\\")
_LEAVES_A_FOLDER = "leaves the site wherever it is served from a folder"


def url_fault(url: str, image: bool) -> str | None:
    """Why a link (or, with `image`, an image) target may not appear on the site, or None."""
    cleaned = _EDGES.sub("", _IGNORED_IN_URLS.sub("", url))
    try:
        urlsplit(cleaned)
    except ValueError:  # "http://[x": MkDocs reads every link with urlsplit, and would raise
        return "the address cannot be read (an unbalanced [ or ] in its host)"
    scheme = _SCHEME.match(cleaned)
    if image:
        if scheme or cleaned.startswith(_OTHER_HOST):
            return "images must be files of this site (a relative path); the site requests nothing elsewhere"
        if cleaned.startswith(_FROM_ROOT):
            from_root = "images must be files of this site by a relative path; one from the host's root"
            return f"{from_root} {_LEAVES_A_FOLDER}"
        return None
    if scheme:
        return (
            None if scheme.group(1).lower() in LINK_SCHEMES else "links must be http(s), mailto or relative"
        )
    if cleaned.startswith(_OTHER_HOST):
        return "a link to another host must begin with its scheme: https://"
    if cleaned.startswith(_FROM_ROOT):
        return (
            f"a link from the host's root {_LEAVES_A_FOLDER}; link the page or file relative to this one, by "
            "its source file (e.g. 'matrix.md')"
        )
    return None


def theme_anchor(heading: str) -> str:
    """The anchor a heading of this text would have (the id the table of contents gives it, by its
    default slugify) when it begins with '__', as the theme's own elements do; '' when it does not.

    A heading '__config' came before the theme's settings element of that id and was read in its
    place, which stopped the page's scripts."""
    if heading.isascii() and "_" not in heading:  # most names: no underscore, none a letter becomes
        return ""
    anchor = slugify(heading, "-")
    return anchor if anchor.startswith("__") else ""


def heading_fault(name: str) -> str | None:
    """Why a name the pages show as a heading (a study's, a node's, a facet's label) may not be used."""
    anchor = theme_anchor(name)
    if not anchor:
        return None
    return (
        f"'{ascii(name)[1:-1]}' would give its heading the anchor #{anchor}, which the theme uses for its "
        "own elements; begin it with a letter or digit"
    )


class _Checker(HTMLParser):
    def __init__(self, raw_html: bool = True, source: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self._source = source  # the Markdown, to find a fault's line by text that is in it
        self.found: list[Fault] = []
        self.targets: list[tuple[str, bool]] = []  # of links and images, as written (see url_fault)
        self._raw_html = raw_html
        self._code = 0  # inside <code> or <pre>, where '<' is shown as it is
        self._heading = 0  # inside a heading, whose text the table of contents prints as it is
        self._heading_text: list[str] = []
        self.open_blocks: dict[str, int] = {}  # of _CLOSED_BLOCKS, how many are open

    def handle_data(self, data: str) -> None:
        if self._heading:
            self._heading_text.append(data)
        started = TAG_START.search(data) if self._raw_html and not self._code else None
        if started:
            piece = data[started.start() : started.start() + 20]
            self.found.append(
                Fault(
                    f"'{ascii(piece)[1:-1]}' starts an HTML tag that is not finished; finish it, or "
                    "write it as `code`",
                    piece,
                )
            )

    def handle_endtag(self, tag: str) -> None:
        if self.open_blocks.get(tag):
            self.open_blocks[tag] -= 1
        if tag in ("code", "pre") and self._code:
            self._code -= 1
        if tag in _HEADINGS and self._heading:
            self._heading -= 1
            if not self._heading:
                self._check_anchor("".join(self._heading_text))
                self._heading_text = []

    def _check_anchor(self, heading: str) -> None:
        anchor = theme_anchor(heading)
        if anchor:
            words = heading.strip()
            shown = words if len(words) <= 40 else words[:37] + "..."
            # Its text as written if it is in the source, else (written with entities) its last word.
            needle = words[:20] if words[:20] in self._source else (words.split() or [""])[-1].strip("_")[:20]
            self.found.append(
                Fault(
                    f"the heading '{ascii(shown)[1:-1]}' would have the anchor #{anchor}, which the theme "
                    "uses for its own elements; begin the heading with a letter or digit",
                    needle,
                )
            )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        written = self.get_starttag_text() or ""
        if not _PLAIN_TAG.fullmatch(written):
            shown = written if len(written) <= 40 else written[:37] + "..."
            self.found.append(
                Fault(
                    f"HTML tag '{ascii(shown)[1:-1]}' is not written plainly; write name=\"value\" "
                    "attributes separated by spaces",
                    written[:20],
                )
            )
            return
        if tag not in ALLOWED_TAGS:
            self.found.append(Fault(f"HTML element <{tag}> is not allowed in text; remove it", f"<{tag}"))
            return
        if tag in ("code", "pre"):
            self._code += 1
        if tag in _CLOSED_BLOCKS and not written.endswith("/>"):
            self.open_blocks[tag] = self.open_blocks.get(tag, 0) + 1
        if self._heading and attrs:  # the table of contents strips tags by a pattern, and prints the rest
            self.found.append(
                Fault(f"a heading may not hold <{tag}> with attributes; write it plainly", f"<{tag}")
            )
        if tag in _HEADINGS:
            self._heading += 1
        for name, value in attrs:
            if name == "id" and not _ID.fullmatch(value or ""):
                self.found.append(
                    Fault(
                        f"id '{ascii(value)[1:-1]}' must start with a letter and hold letters, digits, "
                        "'-', '_', ':' or '.'",
                        "id=",
                    )
                )
            refused = (
                [
                    token
                    for token in (value or "").split()
                    if not _CLASS.fullmatch(token)
                    or token in _ACTIVE_CLASSES
                    or (token.startswith(_ACTIVE_CLASS_PREFIXES) and token not in _STYLE_CLASSES)
                ]
                if name == "class"
                else []
            )
            if refused:
                self.found.append(
                    Fault(
                        f"class '{ascii(' '.join(refused))[1:-1]}' is not allowed: the theme and the site "
                        "act on their own classes (those beginning 'md-' or 'survey-', and 'mermaid', "
                        "'headerlink', 'taxonomy-path', 'taxonomy-tree', 'Z3988'); use another name, of "
                        "letters, digits, '-' and '_'",
                        # (where the page has it: an admonition's type is written without 'class=')
                        refused[0] if refused[0].lower() in self._source.lower() else "class=",
                    )
                )
            if name not in ALLOWED_ATTRIBUTES:
                self.found.append(
                    Fault(f"HTML attribute '{name}' on <{tag}> is not allowed in text; remove it", name)
                )
            elif name in ("href", "src") and value is not None:
                why = url_fault(value, image=name == "src")
                if why:
                    shown = value if len(value) <= 60 else value[:57] + "..."
                    self.found.append(Fault(f"'{ascii(shown)[1:-1]}' cannot be used: {why}", value.strip()))
                else:
                    self.targets.append((value, name == "src"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    # Comments, CDATA sections, declarations and processing instructions: this parser reads where each
    # ends otherwise than browsers do ('<!-->' closes a comment in a browser and opens one here, a
    # browser ends '<![CDATA[' at the first '>'), so what it would take for hidden a browser may run.
    def handle_comment(self, data: str) -> None:
        self._refuse("an HTML comment", "<!")

    def handle_decl(self, decl: str) -> None:
        self._refuse("an HTML declaration", "<!")

    def unknown_decl(self, data: str) -> None:
        self._refuse("a CDATA section or declaration", "<!")

    def handle_pi(self, data: str) -> None:
        self._refuse("a processing instruction", "<?")

    def _refuse(self, what: str, needle: str) -> None:
        self.found.append(Fault(f"{what} ({needle}...) is not allowed in text; remove it", needle))
