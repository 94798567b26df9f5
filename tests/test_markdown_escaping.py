"""Nothing in the data injects markup: hostile text renders, through Python-Markdown, as text."""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from urllib.parse import urlsplit

import markdown as python_markdown
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from surveysite import markdown as markdown_module
from surveysite.build import Project, build_site
from surveysite.markdown import code_block, escape, page_link, relative_path, web_link
from surveysite.rendered import _UNSAFE_URL_CHARS, is_web_url

from .conftest import MINI

TAGS = re.compile(r"<([a-z][a-z0-9]*)\b")
EVENT_ATTRIBUTE = re.compile(r"<[^>]*\bon[a-z]+\s*=", re.IGNORECASE)
EXTENSIONS = ["toc", "tables", "admonition", "attr_list", "pymdownx.superfences"]

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img-onerror": '<img src=x onerror="alert(1)">',
    "raw-html-block": "<div>\n\n*hi*\n\n</div>",
    "markdown-link": "[click](javascript:alert(1))",
    "markdown-image": "![x](https://evil.example/x.png)",
    "autolink": "<https://evil.example>",
    "attribute-list": "text {: onclick=alert(1) }",
    "jinja": "{{ 7*7 }} {% include 'x' %}",
    "heading": "# Not a heading",
    "list": "- not a list",
    "ordered-list": "1. not a list",
    "quote": "> not a quote",
    "admonition": '!!! danger "boom"',
    "code-fence": "~~~\ncode\n~~~",
    "backtick-fence": "```\ncode",
    "table-pipe": "a | b | c",
    "emphasis": "*em* __strong__",
    "entity": "&lt;script&gt;",
    "ordered-list-other-digits": "\u0663. third",  # Markdown's '\\d' reads any decimal digit
}


def render(text: str) -> str:
    return python_markdown.markdown(text, extensions=EXTENSIONS)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_escaped_text_renders_as_the_same_text(text: str) -> None:
    html = render(f"| a |\n|---|\n| {escape(text)} |\n\n{escape(text)}\n\n- {escape(text)}")
    paragraph = html.split("<p>")[1].split("</p>")[0]
    assert html_lib.unescape(paragraph) == " ".join(text.split())
    assert TAGS.findall(html) == ["table", "thead", "tr", "th", "tbody", "tr", "td", "p", "ul", "li"]
    assert not EVENT_ATTRIBUTE.search(html)


@pytest.mark.parametrize("of", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_links_hidden_name_of_its_study_stays_text(of: str) -> None:
    """web_link's `of` (a study's name, read to screen readers after 'arXiv') is data: whatever it
    holds renders as the text itself, inside the one link, with no tag, link or handler of its own."""
    html = render(f"See {web_link('arXiv', 'https://arxiv.org/abs/2201.00001', of)}.")
    assert TAGS.findall(html) == ["p", "a", "span"]
    assert re.findall(r'href="([^"]*)"', html) == ["https://arxiv.org/abs/2201.00001"]
    hidden = html.split('<span class="survey-visually-hidden">')[1].split("</span>")[0]
    assert html_lib.unescape(hidden) == f" ({' '.join(of.split())})"
    assert not EVENT_ATTRIBUTE.search(html)


def test_web_link_refuses_non_http_urls() -> None:
    assert web_link("x", "javascript:alert(1)") == "x"
    assert web_link("x", "https://example.org/a(b)") == "[x](https://example.org/a%28b%29)"
    assert 'href="https://example.org/a%28b%29"' in render(web_link("x", "https://example.org/a(b)"))


@given(st.sampled_from(["", "http://", "https://", "HTTPS://", "mailto:"]), st.text(max_size=40))
@example("http://", "[x")
@example("https://", "a]b/")
def test_any_text_is_judged_a_web_address_or_not_without_an_exception(scheme: str, rest: str) -> None:
    assert isinstance(is_web_url(scheme + rest), bool)


@given(
    st.sampled_from(["http://", "https://", "HTTPS://", "https:/", "http:"]),
    st.text(alphabet="aZ09.-/?#:@[]% x\t\n\\<>\u00e9", max_size=20),
)
@example("https://", "a.org")
@example("https://", "a.org#x")
def test_a_plain_web_address_is_judged_as_urlsplit_judges_it(scheme: str, rest: str) -> None:
    """is_web_url's quick match of a scheme and a plain host agrees with urlsplit."""
    url = scheme + rest
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced [ or ] in the host
        parts = None
    by_urlsplit = parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)
    assert is_web_url(url) == (by_urlsplit and not _UNSAFE_URL_CHARS.search(url))


def test_an_address_is_a_web_address_only_with_an_http_scheme_and_a_host_urlsplit_reads() -> None:
    assert is_web_url("https://example.org/a") and is_web_url("HTTP://[::1]/a")
    assert not is_web_url("http://[x") and not is_web_url("https://a]b/") and not is_web_url("https:///a")
    assert not is_web_url("javascript:alert(1)") and not is_web_url("https://a.org/ b")


def test_page_link_is_relative_to_the_page() -> None:
    assert page_link("Leaf", "alpha/one/index.md", "studies/k.md") == "[Leaf](../alpha/one/index.md)"
    assert page_link("Home", "index.md", "alpha/one/index.md") == "[Home](../../index.md)"


def test_code_block_fence_outlasts_backticks_in_the_text() -> None:
    block = code_block("title = {```}", "bibtex")
    assert block.startswith("```` bibtex\n") and block.endswith("\n````")
    assert "<code" in render(block) and "title = {```}" in render(block)


def test_code_in_a_description_shows_as_written() -> None:
    """A hostile-input trial's node description, with `<b>` in a code span and a fenced block of HTML,
    read '&lt;b&gt;': its raw HTML was made text once, and Markdown's code did it again."""
    text = "Use `<b>` and `a & b`.\n\n```\n<div> & </div>\n```\n\nRaw <i>x</i> stays text."
    html = render(str(markdown_module.description(text)))
    assert "<code>&lt;b&gt;</code>" in html and "<code>a &amp; b</code>" in html, html
    assert "&lt;div&gt; &amp; &lt;/div&gt;" in html and "&amp;lt;" not in html, html
    assert "Raw &lt;i&gt;x&lt;/i&gt; stays text." in html, html
    assert set(TAGS.findall(html)) == {"p", "code", "pre", "div", "span"}, html  # (the fence's box)


def test_indented_code_in_a_description_shows_as_written() -> None:
    """A review: code indented four spaces in a description read '&lt;b&gt;', escaped once by the site
    and again by Markdown's code block. Lines indented within a list item stay text, escaped."""
    text = "Intro <b>x</b>.\n\n    a <b> code\n\tb & c\n\nAfter."
    html = render(str(markdown_module.description(text)))
    assert "<pre><code>a &lt;b&gt; code\nb &amp; c\n</code></pre>" in html, html
    assert "Intro &lt;b&gt;x&lt;/b&gt;." in html and "&amp;lt;" not in html, html
    listed = render(str(markdown_module.description("- item\n\n    <b>in it</b>\n\nx")))
    assert "<p>&lt;b&gt;in it&lt;/b&gt;</p>" in listed and "<b>" not in listed, listed


CODE_TOKENS = ["`", "``", "```", "~~~", "\n", "\n\n", "<b>", "</b>", "<script>", "&", "a", " ", "\\", "    "]
CODE_TOKENS += ['<p title="x">', "</p>", "```!!", "    ```", "```python {"]  # (a review's)
CODE_TOKENS += ["\t", "- ", "1. ", "> "]  # (indented code, and the blocks whose lines are indented too)


@given(st.lists(st.sampled_from(CODE_TOKENS), max_size=30))
@example(["\\", "`", "<b>", "\\", "`"])
@example(["`", "a", "\n\n", "<b>", "`"])
@example(["```", "\n", "<b>", "\n", "~~~"])
@example(["a", "\n\n", "```!!", "\n\n", '<p title="x">', "a", "</p>", "\n\n", "```"])
def test_no_raw_html_of_a_description_reaches_the_page_beside_its_code(tokens: list[str]) -> None:
    """What description() leaves as code is code to Markdown too: no tag of the text is ever HTML."""
    html = render(str(markdown_module.description("".join(tokens))))
    # (Markdown's own elements, of the text's '- ', '1. ', '> ' and underlines, and code's)
    markdowns = {"p", "code", "pre", "div", "span", "br", "ul", "ol", "li", "blockquote", "h1", "h2", "hr"}
    assert set(TAGS.findall(html)) <= markdowns, html  # (no 'b', 'script')
    assert '<p title="x">' not in html, html  # (a raw tag, its attribute and all)


def test_fixture_pages_carry_no_markup_from_the_data() -> None:
    site = build_site(Project.at(MINI))
    for page, text in site.pages.items():
        body, meta = get_data(text)  # as MkDocs reads a page: front matter apart
        assert all("<" not in str(value) for value in meta.values()), page
        html = render(body)
        assert "<script" not in html, page
        assert not EVENT_ATTRIBUTE.search(html), page
        assert 'href="javascript' not in html, page


_SEGMENT = st.text(alphabet="abc-", min_size=1, max_size=4)


@given(st.lists(_SEGMENT, min_size=1, max_size=4), st.lists(_SEGMENT, min_size=1, max_size=4))
def test_relative_path_is_what_posixpath_relpath_gives(target: list[str], here: list[str]) -> None:
    to, start = "/".join(target) + ".md", "/".join(here) + ".md"  # links go from a page to a file
    assert relative_path(to, start) == posixpath.relpath(to, posixpath.dirname(start) or ".")


_STARTS = st.text(alphabet=st.sampled_from([*"#>+-!~.) x*`1\u0663\u00b2\u2460"]), max_size=6)


@given(st.one_of(_STARTS, st.text(max_size=8)))
def test_the_start_of_a_text_is_escaped_as_the_block_pattern_says(text: str) -> None:
    """_escaped skips the block pattern for a text whose first character cannot begin a match."""
    inline = markdown_module._INLINE.sub(r"\\\1", html_lib.escape(" ".join(text.split()), quote=False))
    if inline.startswith("~"):
        expected = "&#126;" + inline[1:]
    else:
        expected = markdown_module._BLOCK_START.sub(markdown_module._escape_block_start, inline, count=1)
    assert markdown_module._escaped(text) == expected
