"""Hostile input from a pull request: links out of the project, links and markup that survive rendering,
addresses that collide, characters no feed can carry, deep nesting, and files written halfway."""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveysite import rendered
from surveysite.build import Project, build_site, check
from surveysite.cache import Memo, cache_file, load_memo, save_memo
from surveysite.cli import main
from surveysite.files import _mark_runs, check_characters, read_text
from surveysite.paths import claim_addresses
from surveysite.problems import DataError, Problems
from surveysite.rendered import (
    HEADINGS_FAULT,
    MAX_BLOCKS,
    MAX_EMPHASIS,
    MAX_HEADINGS,
    MAX_NESTING,
    _too_deep,
    faults,
)
from surveysite.resources import ASSETS, MARKDOWN_EXTENSIONS, PROJECT, TEMPLATES
from surveysite.scaffold import add_studies
from surveysite.taxonomy import load_taxonomy

from .conftest import MINI, ROOT, MakeProject, edit, messages, strict_build

SECRET = "SECRET-TOKEN-4242"
STUDY = "content/studies/lee2023third.yaml"
TAXONOMY = "content/taxonomy.yaml"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project that nothing may read."""
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"name: {SECRET}\n", encoding="utf-8")
    return path


# 1. Symbolic links ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (STUDY, f"{STUDY}:1: the file is reached through a symbolic link"),
        ("bib/studies.bib", "bib/studies.bib:1: the file is reached through a symbolic link"),
        (TAXONOMY, f"{TAXONOMY}:1: the file is reached through a symbolic link"),
        ("content/pages/about.md", "content/pages/about.md:1: the file is reached through a symbolic link"),
    ],
    ids=["study-file", "bib-file", "taxonomy", "hand-page"],
)
def test_a_linked_file_is_refused_by_name_and_never_read(
    make_project: MakeProject, secret: Path, link: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    target = project.root / link
    target.unlink()
    target.symlink_to(secret)
    found = messages(project)
    assert any(m.startswith(expected) for m in found), found
    assert SECRET not in "\n".join(found)
    assert main(["--root", str(project.root), "check", "--format", "github"]) == 1
    assert SECRET not in capsys.readouterr().out


@pytest.mark.parametrize("folder", ["content/studies", "bib", "content/pages"])
def test_a_linked_folder_is_refused(make_project: MakeProject, tmp_path: Path, folder: str) -> None:
    project = make_project()
    real = tmp_path / "elsewhere"
    (project.root / folder).rename(real)
    (project.root / folder).symlink_to(real)
    found = messages(project)
    assert f"{folder}:1: the folder is reached through a symbolic link" in " ".join(found)
    # (Not, besides, an entry without its study file for each entry: a trial was told to create them.)
    assert not any("has no study file" in message for message in found), found


def test_a_linked_template_or_static_file_is_refused(make_project: MakeProject, secret: Path) -> None:
    project = make_project()
    templates = project.root / "templates"
    templates.mkdir()
    (templates / "stolen.txt").symlink_to(secret)
    own = Project.at(project.root)
    assert "templates/stolen.txt:1: is a symbolic link; replace it with the real file or folder" in [
        str(p) for p in check(own)
    ]


# What editors keep beside the file being edited: Emacs's lock (a link to nowhere, while a change is
# unsaved), its auto-save and backup, Vim's swap file.
EDITORS_FILES = (".#{name}", "#{name}#", "{name}~", ".{name}.swp")
OWN_COPIES = {"templates/study.md.j2": TEMPLATES / "study.md.j2",
              "templates/assets/stylesheets/extra.css": ASSETS / "stylesheets" / "extra.css"}  # fmt: skip
EDITED = ("bib/studies.bib", STUDY, TAXONOMY, "content/pages/about.md", *OWN_COPIES)


def test_an_editors_own_files_are_neither_read_nor_published(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """A maintainer's unsaved edit in Emacs stopped `check`, and turned every page of `serve` into the
    error page: the lock beside the file is a link. Its backup 'about.md~' was refused as a file MkDocs
    would publish. None is the user's: each is left out everywhere, and published nowhere."""
    project = make_project()
    for edited in EDITED:
        path = project.root / edited
        path.parent.mkdir(parents=True, exist_ok=True)
        if edited in OWN_COPIES:  # a project's own copy of a packaged file, being edited
            shutil.copy(OWN_COPIES[edited], path)
        for form in EDITORS_FILES:
            leftover = path.with_name(form.format(name=path.name))
            if form.startswith(".#"):
                leftover.symlink_to("maintainer@host.4242:1700000000")  # as Emacs makes it: it leads nowhere
            else:
                leftover.write_text("<script>alert(1)</script>\n", encoding="utf-8")
    assert messages(project) == []
    out = tmp_path / "pages"
    assert main(["--root", str(project.root), "pages", "--out", str(out)]) == 0
    (project.root / "mkdocs.yml").write_text(
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    site = tmp_path / "site"
    built = strict_build(project.root, site)
    assert built.returncode == 0, built.stderr
    exported = tmp_path / "export"  # (for the builders that run no plugin: it copies the docs folder)
    assert main(["--root", str(project.root), "export", str(exported)]) == 0
    for folder in (out, site, exported):
        published = [p.name for p in folder.rglob("*")]
        assert not [n for n in published if n.startswith("#") or n.endswith(("~", ".swp"))], folder
        assert not [n for n in published if n.startswith(".#")], folder


def test_a_link_to_a_folder_is_refused_whatever_its_name_and_an_editors_folder_is_checked(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """An editor's file is left out by its name (test above); a link to a folder is not, hidden or not,
    nor what a hidden folder holds (pathlib's rglob, which the templates' digest walks with, follows
    links), and a folder named like a backup is published by MkDocs, so what it holds is checked."""
    project = make_project()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text(SECRET, encoding="utf-8")
    templates = project.root / "templates"
    (templates / ".cache").mkdir(parents=True)
    (templates / ".cache" / "inner").symlink_to(elsewhere)
    (templates / ".outside").symlink_to(elsewhere)
    for name in ("leak~", ".leak", "#leak#"):  # a template includes any file by its name (a review)
        (templates / name).symlink_to(elsewhere / "secret.txt")
    (project.root / "content" / "pages" / "old~").mkdir()
    (project.root / "content" / "pages" / "old~" / "x.html").write_text("<script>alert(1)</script>\n")
    found = messages(project)
    for link in ("templates/.cache/inner", "templates/.outside", "templates/leak~", "templates/.leak",
                 "templates/#leak#"):  # fmt: skip
        assert f"{link}:1: is a symbolic link; replace it with the real file or folder" in found, found
    assert any(m.startswith("content/pages/old~/x.html:1: a .html file is not published") for m in found), (
        found
    )


def test_new_never_writes_through_a_linked_bib_file(
    make_project: MakeProject,
    secret: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = make_project()
    bib = project.root / "bib" / "studies.bib"
    bib.unlink()
    bib.symlink_to(secret)
    entry = "@misc{doe2024new, author={Doe, Jane}, title={New}, year={2024}}\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(entry.encode()), encoding="utf-8"))
    assert main(["--root", str(project.root), "new"]) == 1
    assert "symbolic link" in capsys.readouterr().err
    assert secret.read_text(encoding="utf-8") == f"name: {SECRET}\n"
    assert not (project.root / "content" / "studies" / "doe2024new.yaml").exists()


def test_mkdocs_build_refuses_a_linked_file_without_a_traceback(
    make_project: MakeProject, secret: Path
) -> None:
    project = make_project()
    (project.root / STUDY).unlink()
    (project.root / STUDY).symlink_to(secret)
    (project.root / "mkdocs.yml").write_text(
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict"],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and SECRET not in result.stderr
    assert f"{STUDY}:1: the file is reached through a symbolic link" in result.stderr


# 2. Links, judged on the rendered HTML --------------------------------------------------------------

REFUSED_IN_DESCRIPTIONS = {
    "reference-definition": "See [the docs][d].\n\n[d]: javascript:alert(1)",
    "upper-case": "[x](JaVaScRiPt:alert(1))",
    "leading-space": "[x]( javascript:alert(1))",
    "data-url": "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "vbscript": "[x](vbscript:msgbox)",
    "image-elsewhere": "![tracker](https://tracker.example/p.png)",
    "image-protocol-relative": "![tracker](//tracker.example/p.png)",
    "image-reference": "![t][i]\n\n[i]: https://tracker.example/p.png",
    "root-absolute": "[the matrix](/matrix/)",  # off the site when it is served from a folder
    "protocol-relative": "[x](//elsewhere.example/page)",
}
# Descriptions show '&' and '<' as text, so these never become a scheme the browser runs: inert.
INERT_IN_DESCRIPTIONS = {
    "entity-in-scheme": "[x](java&#115;cript:alert(1))",
    "named-entity-colon": "[x](javascript&colon;alert(1))",
    "tab-in-scheme": "[x](java\tscript:alert(1))",
    "autolink": "<javascript:alert(1)>",
    "raw-html-link": '<a href="javascript:alert(1)">x</a>',
}


def _with_description(make_project: MakeProject, text: str) -> Project:
    project = make_project()
    taxonomy = project.root / TAXONOMY
    indented = text.replace("\n", "\n" + " " * 10)
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace(
            "Studies of the first kind.", f"|\n          {indented}", 1
        ),
        encoding="utf-8",
    )
    return project


@pytest.mark.parametrize("text", REFUSED_IN_DESCRIPTIONS.values(), ids=REFUSED_IN_DESCRIPTIONS.keys())
def test_hostile_links_in_a_description_are_refused(make_project: MakeProject, text: str) -> None:
    found = messages(_with_description(make_project, text))
    # At the line of the link's target, in the description (its text begins on line 27, below the node's
    # line 23, where a maintainer's trial was told of every fault in it); each case's is its last.
    line = 27 + text.count("\n")
    assert any(m.startswith(f"{TAXONOMY}:{line}: node 'alpha/one', description:") for m in found), found


def test_one_converter_reads_every_text_and_nothing_one_text_defines_reaches_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A converter made for each text took two thirds of a large taxonomy's check and left cycles; one
    kept must forget each text's link definitions, or a harmless text would be judged by another's."""
    made: list[object] = []
    real = markdown.Markdown

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: Any) -> None:
            made.append(self)
            super().__init__(**kwargs)

    monkeypatch.setattr(markdown, "Markdown", Counted)
    monkeypatch.setattr(rendered, "_CONVERTERS", threading.local())
    assert faults("See [the docs][d].") == []
    assert faults("[d]: javascript:alert(1)\n\nA [mark][d].")  # the definition is refused in its own text
    assert faults("See [the docs][d].") == []  # and unknown in the next
    for number in range(20):
        assert faults(f"Text *{number}*.") == []
    assert len(made) == 2  # with attr_list and without


@pytest.mark.parametrize("text", INERT_IN_DESCRIPTIONS.values(), ids=INERT_IN_DESCRIPTIONS.keys())
def test_other_spellings_in_a_description_reach_the_page_inert(
    make_project: MakeProject, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No scheme a browser runs: at most a relative link that leads to no page (`java&#115;cript:...` is
    the path 'java&' and a fragment), which check tells; the page rendered all the same is inert."""
    import markdown

    import surveysite.build

    project = _with_description(make_project, text)
    found = messages(project)
    assert all(": the link " in m and "which is no page of the site" in m for m in found), found
    assert len(found) == (1 if text.startswith("[x](") else 0), found
    monkeypatch.setattr(surveysite.build, "check_links", lambda *args: None)  # (rendered all the same)
    page = build_site(project).pages["alpha/one/index.md"]
    html = markdown.markdown(page, extensions=["tables", "md_in_html", "attr_list"])
    assert _dangerous(_attribute_values(html, ("href", "src"))) == []


def test_a_link_from_the_hosts_root_or_without_its_scheme_is_told_how_to_write_it(
    make_project: MakeProject,
) -> None:
    """A maintainer's trial linked '/matrix/' from a hand page: it passed check and the strict build, and
    on a site served from a folder (https://org.github.io/repo/) it led to https://org.github.io/matrix/."""
    page = "# About\n\nSee [the matrix](/matrix/) or [that](//elsewhere.example/page); [fine](matrix.md).\n"
    page += "\n![a chart](/images/chart.png)\n"  # (an image so too: a review)
    found = messages(make_project({"content/pages/about.md": page}))
    assert found == [
        "content/pages/about.md:3: '//elsewhere.example/page' cannot be used: a link to another host must "
        "begin with its scheme: https://",
        "content/pages/about.md:3: '/matrix/' cannot be used: a link from the host's root leaves the site "
        "wherever it is served from a folder; link the page or file relative to this one, by its source "
        "file (e.g. 'matrix.md')",
        "content/pages/about.md:5: '/images/chart.png' cannot be used: images must be files of this site "
        "by a relative path; one from the host's root leaves the site wherever it is served from a folder",
    ]


def test_a_doi_holding_markdowns_marks_reaches_the_study_page_inert(tmp_path: Path) -> None:
    """A review found that a DOI, which check takes with brackets, parentheses, stars and backticks in
    it, ended a study page's byline as Markdown: '10.1234/[x](javascript:alert(1))' became a link that
    runs a script, breaking out of the DOI's own link."""
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    bib = project / "bib" / "studies.bib"
    hostile = "10.1234/[x](javascript:alert(1))*b*_c_`d`"
    text = bib.read_text(encoding="utf-8")
    assert "doi       = {10.1234/fict.2021.1}," in text
    bib.write_text(text.replace("10.1234/fict.2021.1", hostile), encoding="utf-8")
    assert messages(Project.at(project)) == []  # (such a DOI is one by its form)
    built = strict_build(project, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site" / "studies" / "mueller2021first" / "index.html").read_text(encoding="utf-8")
    byline = page.split("Proceedings of a Fictional Conference", 1)[1].split("</p>", 1)[0]
    assert _dangerous(re.findall(r'href="([^"]*)"', byline)) == []
    assert "<em>" not in byline and "<code>" not in byline, byline
    assert byline.count("<a ") == 1, byline
    assert ">https://doi.org/10.1234/[x](javascript:alert(1))*b*_c_`d`</a>" in byline
    assert 'href="https://doi.org/10.1234/%5Bx%5D%28javascript:alert%281%29%29%2Ab%2A_c_%60d%60"' in byline


def _dangerous(urls: list[str]) -> list[str]:
    """The URLs a browser would run as script or data (WHATWG URL parsing: tab and line breaks are
    dropped anywhere, controls and spaces at either end)."""
    found = []
    for url in urls:
        cleaned = "".join(ch for ch in url if ch not in "\t\n\r").strip("".join(map(chr, range(33))))
        if cleaned.lower().startswith(("javascript:", "data:", "vbscript:")):
            found.append(url)
    return found


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("<script>alert(1)</script>", "HTML element <script> is not allowed"),
        ('<img src="x.png" onerror="alert(1)">', "HTML attribute 'onerror' on <img> is not allowed"),
        ('<a href="javascript:alert(1)">x</a>', "links must be http(s), mailto or relative"),
        ("<javascript:alert(1)>", "HTML tag '<javascript:alert(1)>' is not written plainly"),
        ('<iframe src="https://elsewhere.example/"></iframe>', "HTML element <iframe> is not allowed"),
        ('<div style="background:url(https://t.example/)">x</div>', "HTML attribute 'style'"),
        # A browser closes the comment at '<!-->' and runs what follows; Python's parser took it for hidden.
        ("<!--> <script>alert(1)</script> -->", "an HTML comment (<!...) is not allowed"),
        ("Text <!--> <img src=x onerror=alert(1)> --> more.", "an HTML comment (<!...) is not allowed"),
        ("<![CDATA[ > <script>alert(1)</script> ]]>", "a CDATA section or declaration (<!...)"),
        ("<?xml-stylesheet href='x'?>", "a processing instruction (<?...) is not allowed"),
        ("[x](https://example.org/ok) and ![local](pic.png) and `<!-- code -->`", None),
    ],
    ids=[
        "script",
        "event-handler",
        "raw-javascript-link",
        "autolink",
        "iframe",
        "style",
        "empty-comment",
        "inline-empty-comment",
        "cdata",
        "processing-instruction",
        "ordinary",
    ],
)
def test_hand_pages_are_held_to_the_same_rules_as_data(
    make_project: MakeProject, text: str, fault: str | None
) -> None:
    page = f"# About\n\nSome text.\n\n{text}\n"
    project = make_project({"content/pages/about.md": page, "content/pages/pic.png": b"\x89PNG"})
    found = [m for m in messages(project) if m.startswith("content/pages/about.md")]
    if fault is None:
        assert found == []
    else:
        assert len(found) >= 1 and all(m.startswith("content/pages/about.md:5: ") for m in found), found
        assert fault in found[0]


def test_every_fault_of_a_hand_page_is_reported_at_its_own_line_with_its_broken_links(
    make_project: MakeProject,
) -> None:
    """Two alike on other lines, one written in capitals, one with a character reference, and a broken
    link beside them: a new-user trial found the capitals and the reference placed at line 1, the second
    alike dropped (placed with the first), and the broken link not reported at all."""
    page = (
        '# About\n\nSome text.\n\n<IMG SRC=x OnError=alert(4)>\n\nMore.\n\n<img src="y" onerror=alert(5)>\n\n'
        "[broken](nope.md)\n\n[ent](&#106;avascript:alert(7))\n"
    )
    found = [m for m in messages(make_project({"content/pages/about.md": page})) if "about.md" in m]
    assert found == [
        "content/pages/about.md:5: HTML attribute 'onerror' on <img> is not allowed in text; remove it",
        "content/pages/about.md:9: HTML attribute 'onerror' on <img> is not allowed in text; remove it",
        "content/pages/about.md:11: the link 'nope.md' on page 'about.md' leads to no page or file of the "
        "site; correct it (link a page by its .md file, e.g. 'matrix.md')",
        "content/pages/about.md:13: 'javascript:alert(7)' cannot be used: links must be http(s), mailto or "
        "relative",
    ]


DEEP_LIST = "\n".join("    " * level + "- x" for level in range(300))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("sub/evil.md", "# Evil\n\n<script>alert(1)</script>\n", "a page must be directly in content/pages"),
        ("x.html", "<script>alert(1)</script>", "a .html file is not published: a browser could run"),
        ("images/x.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "a .svg file is not"),
        ("x.js", "alert(1)", "a .js file is not published"),
        ("README", "text", "an extensionless file is not published"),
        ("images/chart.png", "\x89PNG", None),
        ("notes.pdf", "%PDF-1.4", None),
        (".hidden.html", "<script>alert(1)</script>", None),  # MkDocs publishes no dot-file
    ],
    ids=["nested-page", "html", "svg", "script", "no-extension", "image", "document", "dot-file"],
)  # fmt: skip
def test_only_checked_pages_images_and_documents_are_published_from_content_pages(
    make_project: MakeProject, name: str, content: str, expected: str | None
) -> None:
    """MkDocs publishes every file of its docs_dir: a nested page (which no check loaded) or an .html or
    .svg file carried a script onto the site."""
    found = messages(make_project({f"content/pages/{name}": content}))
    if expected is None:
        assert found == []
    else:
        assert found == [f"content/pages/{name}:1: {found[0].split(': ', 1)[1]}"] and expected in found[0]


BYPASSES = {  # what a review found past the first checks: each ran a script in Chromium, or raised
    "intro-settings-after-a-blank-line": (
        "index.md",
        '\ndescription: `"><img src=x onerror=document.title=1>`\n\n# Mini\n\nText.\n',
        "index.md:2: the first line reads as a page setting",
    ),
    "settings-closed-by-the-citation": (
        "about.md",
        "---\ndescription: '`\"><img src=x onerror=document.title=2>`'\n# About\n---",
        "about.md:2: 'description' should be plain text",
    ),
    "settings-hiding-the-body": (
        "notes.md",
        '---\ndescription: "a\n\n```\nb"\n---\n# Notes\n\n<script>document.title=3</script>\n\n```\n',
        "notes.md:9: HTML element <script> is not allowed",
    ),
    "double-equals": (
        "about.md",
        '# About\n\n<details title=="x open ontoggle=document.title=4 y">\n<summary>M</summary>\n</details>',
        "about.md:3: HTML tag '<details title==\"x open",
    ),
    "no-break-space": (
        "about.md",
        '# About\n\n<details title=\u00a0"x open ontoggle=document.title=5 y">x</details>\n',
        "about.md:3: HTML tag '<details title=\\xa0\"x open",
    ),
    "unfinished-tag-finished-by-a-gloss": (
        "index.md",
        "# Mini\n\nText.\n\n<div title='\n",
        "index.md:5: '<div title='' starts an HTML tag",
    ),
    "unclosed-comment": (
        "about.md",
        "# About\n\n<div>\n<!-- hidden\n</div>\n",
        "about.md:4: an HTML tag or comment is not closed",
    ),
    "host-urlsplit-refuses": (
        "links.md",
        "# Links\n\nSee [x](http://[x).\n",
        "links.md:3: 'http://[x' cannot be used: the address",
    ),
    "upper-case-extension": ("x.MD", "<script>alert(1)</script>", "x.MD:1: a .MD file is not published"),
    # A third, past those: the theme's <title> un-escapes a hand page's title (Jinja's striptags).
    "markup-in-a-title-the-theme-un-escapes": (
        "about.md",
        "# About `</title><img src=x onerror=document.title='PWNED'>`\n\nText.\n",
        "about.md:1: the page's title (its '# ' line) should be plain text",
    ),
    # A second review, past those:
    "attribute-list-line-the-site-shows-as-text": (
        "about.md",
        '# About\n\nText.\n{: title="<img src=x onerror=document.title&#61;6>" }\n',
        "about.md:4: HTML attribute 'onerror' on <img> is not allowed",
    ),
    "comment-marks-in-a-heading-the-contents-strip": (
        "about.md",
        """# About\n\n## A <span title="<!--">b</span><span title='-->"><img src=x onerror=x>'>c</span>\n""",
        "about.md:3: a heading may not hold <span> with attributes",
    ),
    "heading-id-in-the-contents-link": (
        "about.md",
        '# About\n\n<h2 id="&quot;&gt;&lt;img src=x onerror=x&gt;" markdown>Hi</h2>\n',
        "about.md:3: id '\"><img src=x onerror=x>' must start with a letter",
    ),
    "quotes-in-an-end-tag": (
        "about.md",
        "# About\n\n<div>\n</p x='><span title='><img src=x onerror=x>'>here</span>\n</div>\n",
        "about.md:4: HTML end tag '</p x='><span title=' is not written plainly",
    ),
    "the-themes-settings-id": (
        "about.md",
        '# About\n\n<div id="__config">{"base": "../x/"}</div>\n',
        "about.md:3: id '__config' must start",
    ),
    # The table of contents gives a heading an id from its text: '__config' came before the theme's
    # settings element of that id and was read in its place ('"__config¶" is not valid JSON' in
    # Chromium, and the page's search, palette and navigation stopped).
    **{
        f"a-heading-{name}": ("about.md", f"# About\n\n{heading}\n", "about.md:3: the heading")
        for name, heading in [
            ("named-as-the-themes-settings", "## __config\n\nx"),
            ("in-code-named-as-the-search", "## `__search`"),
            ("in-entities", "## &#95;&#95;Config"),
            ("in-wide-underscores", "## \uff3f\uff3fconfig"),
            ("underlined", "__drawer\n--------"),
        ]
    },
    "a-class-the-theme-loads-a-script-for": (
        "about.md",
        '# About\n\n<pre class="mermaid">graph TD\n  A --- B\n</pre>\n',
        "about.md:3: class 'mermaid' is not",
    ),
    # A review laid a link to another site over the whole screen with the theme's consent overlay, and
    # drew a false note with its dialog; the site's own classes are the site's too.
    "a-link-laid-over-the-screen": (
        "about.md",
        '# About\n\nText.\n\n<a class="md-consent__overlay" href="https://example.org/">x</a>\n',
        "about.md:5: class 'md-consent__overlay' is not",
    ),
    "a-note-drawn-as-the-themes": (
        "about.md",
        '# About\n\n<div class="note md-dialog md-dialog--active">Your session expired.</div>\n',
        "about.md:3: class 'md-dialog md-dialog--active' is not",
    ),
    "an-admonition-typed-as-the-themes": (
        "about.md",
        '# About\n\n!!! md-consent__overlay "Sign in again"\n    [Here](https://example.org/)\n',
        "about.md:3: class 'md-consent__overlay' is not",
    ),
    "an-admonition-typed-as-the-themes-in-capitals": (  # (a review: told at the text's first line)
        "about.md",
        '# About\n\nText.\n\n!!! MD-Consent__Overlay "Sign in again"\n    [Here](https://example.org/)\n',
        "about.md:5: class 'md-consent__overlay' is not",
    ),
    # (a hostile-input trial's: the home page's tree and downloads, after it, shown as Markdown's source)
    "a-box-left-open-in-the-introduction": (
        "index.md",
        "Intro text.\n\n<div>\n",
        "index.md:3: <div> is not closed",
    ),
    "a-fold-left-open": (
        "about.md",
        "# About\n\n<details><summary>x</summary>\n",
        "about.md:3: <details> is not",
    ),
    "a-box-the-sites-tables-are": (
        "about.md",
        '# About\n\n<div class="survey-matrix">x</div>\n',
        "about.md:3: class 'survey-matrix' is not",
    ),
}


def test_the_themes_button_look_is_allowed_on_a_hand_page(make_project: MakeProject) -> None:
    """A review: the theme's documented button classes only style a link; they stay allowed."""
    text = '# About\n\n<a class="md-button md-button--primary" href="https://example.org/">Go</a>\n'
    assert messages(make_project({"content/pages/about.md": text})) == []


@pytest.mark.parametrize(("page", "text", "expected"), BYPASSES.values(), ids=BYPASSES.keys())
def test_what_a_hand_page_could_slip_past_the_first_checks_is_refused(
    make_project: MakeProject, page: str, text: str, expected: str
) -> None:
    found = messages(make_project({f"content/pages/{page}": text}))
    assert any(m.startswith(f"content/pages/{expected}") for m in found), found


def test_a_heading_anchored_as_the_themes_elements_is_refused_in_a_description(
    make_project: MakeProject,
) -> None:
    found = messages(_with_description(make_project, "Intro.\n\n## __config\n\nMore."))
    where = f"{TAXONOMY}:29: node 'alpha/one', description:"  # its line: see the hostile links' test
    assert any(m.startswith(where) and "#__config" in m for m in found), found


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('label: "Feedback\\nnote: injected"', ":8: 'label' holds a line break; write it on one line"),
        (
            'values: [human, "environment\\nnote: Sponsored\\n#"]',
            ":10: value 'environment\\nnote: Sponsored\\n#' holds a line break; write it on one line",
        ),
        ('name: "Leaf\\none"', ":24: 'name' holds a line break; write it on one line"),
        ('gloss: "The first\\rleaf."', ":25: 'gloss' holds a line break; write it on one line"),
    ],
    ids=["label", "value", "name", "gloss"],
)
def test_a_line_break_in_a_name_label_or_value_is_refused(
    make_project: MakeProject, written: str, expected: str
) -> None:
    """A hostile-input trial put a line break in a facet's value: `surveysite new`, which quotes each
    value in a comment of the study file it writes, wrote 'note: Sponsored ...' as a key of its own."""
    project = make_project()
    taxonomy = project.root / TAXONOMY
    text = taxonomy.read_text(encoding="utf-8")
    key = written.split(":")[0]
    old = {"label": "label: Feedback", "values": "values: [human, environment]",
           "name": "name: Leaf one", "gloss": "gloss: The first leaf."}[key]  # fmt: skip
    assert text.count(old) == 1
    taxonomy.write_text(text.replace(old, written), encoding="utf-8")
    found = messages(project)
    assert f"{TAXONOMY}{expected}" in found, found


@pytest.mark.parametrize(
    ("path", "owner"),
    [
        ("matrix.json", "the matrix data"),
        ("downloads/studies.csv", "the download downloads/studies.csv"),
        ("tables/alpha.json", "the tables' data"),
        ("search/identifiers.json", "the search index"),
    ],
)
def test_a_file_beside_the_pages_at_an_address_the_site_writes_is_refused(
    make_project: MakeProject, path: str, owner: str
) -> None:
    """A hostile-input trial's file at a generated file's address was dropped without a word, the
    site's own published in its place. An image in the theme's 'assets/', the usual place, stays."""
    # (Elsewhere in the site's folders, at no address the site has, a file is published as before.)
    kept = ["assets/logo.png", "downloads/survey-paper.pdf", "studies/figure.png", "stylesheets/bg.png"]
    files = {f"content/pages/{path}": "{}\n", **{f"content/pages/{k}": "x" for k in kept}}
    found = messages(make_project(files))
    assert found == [
        f"content/pages/{path}:1: file '{path}' would be published at /{path}, an address already taken by "
        f"{owner}; choose another file name"
    ]


def test_an_admonition_typed_as_the_themes_overlay_is_refused_in_a_description(
    make_project: MakeProject,
) -> None:
    """A review's node description laid a link over the whole screen, by the theme's class."""
    text = 'Intro.\n\n!!! md-consent__overlay "Your session expired"\n    [Sign in](https://example.org/)'
    found = messages(_with_description(make_project, text))
    where = f"{TAXONOMY}:29: node 'alpha/one', description:"
    assert any(m.startswith(where) and "md-consent__overlay" in m for m in found), found


ANCHORED = [  # headings, each with whether the check refuses it (the site would anchor it '__...')
    ("__config", True), ("`__search`", True), ("&#95;&#95;Config", True), ("\uff3f\uff3fconfig", True),
    (" __palette_0", True), ("_private", False), ("Config __x", False), ("A __config", False),
    ("__init__ method", False),  # bold 'init': the anchor is 'init-method'
]  # fmt: skip


def test_the_check_refuses_exactly_the_headings_the_site_anchors_as_the_themes_elements(
    make_project: MakeProject, tmp_path: Path
) -> None:
    # Built by MkDocs with the site's theme and Markdown extensions, but without the plugin (which
    # would refuse the page): the anchors the site would give.
    project = make_project({"content/pages/about.md": "# About\n\n" + "".join(
        f"## {heading}\n\ntext\n\n" for heading, _ in ANCHORED
    )})  # fmt: skip
    config = {
        "site_name": "Anchors",
        "docs_dir": "content/pages",
        "theme": {"name": "material"},
        "markdown_extensions": [{name: options} for name, options in MARKDOWN_EXTENSIONS.items()],
    }
    (project.root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    site = tmp_path / "site"
    built = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "-d", str(site)],
        cwd=project.root, capture_output=True, text=True, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    ids = re.findall(r'<h2 id="([^"]*)"', (site / "about" / "index.html").read_text(encoding="utf-8"))
    assert [anchor.startswith("__") for anchor in ids] == [refused for _, refused in ANCHORED], ids
    for heading, refused in ANCHORED:
        found = faults(f"# About\n\n## {heading}\n")
        assert any("would have the anchor" in fault.message for fault in found) == refused, (heading, found)


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (STUDY, "name: Third", "name: __config", f"{STUDY}:1: name: '__config' would give its heading"),
        (STUDY, "name: Third", "name: \\_\\_config", f"{STUDY}:1: name: '\\\\_\\\\_config' would give"),
        (TAXONOMY, "name: Leaf two", "name: __search", f"{TAXONOMY}:27: node 'alpha/two', name: '__search'"),
        (TAXONOMY, "label: Model", "label: __drawer", f"{TAXONOMY}:3: facet 'model', label: '__drawer'"),
    ],
    ids=["study", "study-escaped", "node", "facet"],
)
def test_a_name_shown_as_a_heading_anchored_as_the_themes_elements_is_refused(
    make_project: MakeProject, name: str, old: str, new: str, expected: str
) -> None:
    project = make_project()
    edit(project, name, old, new)
    found = messages(project)
    assert any(m.startswith(expected) for m in found), found
    # (A study's page and its card on node pages, a node's page and the matrix's overview by facet each
    # make a heading of it: built with '__config', the study's page and its leaf's held id="__config".)
    edit(project, name, new, old)
    assert messages(project) == []


@pytest.mark.parametrize(
    ("deep", "shown_as_text_in_descriptions"),
    [(DEEP_LIST, False), ("<div markdown>" * 400 + "x" + "</div>" * 400, True)],
    ids=["lists", "markdown-blocks"],
)
def test_text_nested_too_deeply_to_render_is_refused_not_raised(
    make_project: MakeProject, deep: str, shown_as_text_in_descriptions: bool
) -> None:
    """Python-Markdown recursed past Python's limit on these, out of every check. (A taxonomy
    description shows raw HTML as text: its <div>s nest nothing.)"""
    project = _with_description(make_project, deep)
    (project.root / "content" / "pages" / "deep.md").write_text(f"# Deep\n\n{deep}\n", encoding="utf-8")
    found = messages(project)
    expected = f"the text nests lists, quotes or blocks more than {MAX_NESTING} deep, too deeply to be shown"
    assert any(m.startswith("content/pages/deep.md:") and expected in m for m in found), found
    in_description = [m for m in found if m.startswith(f"{TAXONOMY}:") and expected in m]
    assert len(in_description) == (0 if shown_as_text_in_descriptions else 1), found


NESTED = {
    "lists": lambda depth: "\n".join("    " * level + "- x" for level in range(depth)),
    "quotes-in-lists": lambda depth: "- > " * (depth // 2) + "x",
    "markdown-blocks": lambda depth: "<div markdown>" * depth + "x" + "</div>" * depth,
    # Found by a review: lines ended by carriage returns alone, and list numbers in other digits.
    "lists-by-carriage-returns": lambda depth: "\r".join("    " * level + "- x" for level in range(depth)),
    "arabic-indic-numbers": lambda depth: "\u0661. " * depth + "x",
    # And from the same review: long numbers, the attribute spelled otherwise, blocks inside spans.
    "ten-digit-numbers": lambda depth: "1234567890. " * depth + "x",
    "upper-case-attribute": lambda depth: '<div class="a"MARKDOWN>' * depth + "x" + "</div>" * depth,
    "blocks-in-spans": lambda depth: "<span>\n\n<div markdown>\n\n</span>\n\n" * depth,
}


@pytest.mark.parametrize("nested", NESTED.values(), ids=NESTED.keys())
def test_check_and_mkdocs_build_agree_on_how_deep_a_text_may_nest(
    make_project: MakeProject, nested: Callable[[int], str]
) -> None:
    """Python-Markdown stops at Python's recursion limit, which it reached at a depth that depended on
    where it was called: `surveysite check` passed 244 nested lists that the same check inside `mkdocs
    build` refused. The depth is now counted, with the same limit whatever calls it."""
    _check_and_build_agree(
        make_project,
        [(nested(d), ok) for d, ok in ((MAX_NESTING, True), (MAX_NESTING + 2, False), (244, False))],
    )


def test_a_text_of_unfinished_tags_is_checked_in_linear_time() -> None:
    """A review found 20,000 '<a x' lines in a fenced block, with the word markdown, taking the nesting
    count over two minutes: each unfinished tag was scanned to the text's end. (Such a text is refused
    now for its many lines opening a tag: the nesting count is timed alone.)"""
    text = "Some markdown.\n\n```text\n" + "<a x\n\n" * 20_000 + "```"
    started = time.perf_counter()
    assert _too_deep(text) is None
    assert time.perf_counter() - started < 20  # 0.5 s here; quadratic, it took 144 s
    assert [fault.needle for fault in faults(text)] == ["```text"]


def test_check_and_mkdocs_build_agree_on_emphasis_left_open(make_project: MakeProject) -> None:
    """A review found '*a _b ' written 600 times passing `surveysite check` and ending `mkdocs build` in a
    traceback (Markdown's inline patterns recursing)."""
    _check_and_build_agree(make_project, [("*a _b " * (MAX_EMPHASIS // 2), True), ("*a _b " * 600, False)])


def _check_and_build_agree(make_project: MakeProject, texts: list[tuple[str, bool]]) -> None:
    """Each text, as a hand page, is accepted by `surveysite check` and built by `mkdocs build --strict`
    exactly when it is meant to be, and neither prints a traceback."""
    project = make_project()
    (project.root / "mkdocs.yml").write_text(
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    page = project.root / "content" / "pages" / "deep.md"
    for text, allowed in texts:
        page.write_text(f"# Deep\n\n{text}\n", encoding="utf-8")
        found = messages(project)
        assert (found == []) is allowed, (text[:60], found)
        built = strict_build(project.root, project.root / "site")
        assert (built.returncode == 0) is allowed, (text[:60], built.stderr[-2000:])
        assert "Traceback" not in built.stderr


SLOW_TO_READ = {  # each took Python-Markdown seconds to minutes (the first, four minutes)
    "nested-brackets": "[" * 16_000 + "]" * 16_000,
    "open-brackets": "[a " * 5_000,
    "one-per-line": "[\n" * 5_000,
    "open-destinations": "![](" * 5_000,
    "open-tags": "<a " * 5_000,
}
QUICK_TO_READ = "See [the matrix](matrix.md), <b>this</b> (an aside) and [x](https://example.org/a). " * 3_000


@pytest.mark.parametrize("text", SLOW_TO_READ.values(), ids=SLOW_TO_READ.keys())
def test_text_markdown_would_take_minutes_to_read_is_refused_before_it_is_read(
    make_project: MakeProject, text: str
) -> None:
    project = _with_description(make_project, "Fine.")
    page = f"# Slow\n\nIntro.\n\n{QUICK_TO_READ}\n\n{text}\n"
    (project.root / "content" / "pages" / "slow.md").write_text(page, encoding="utf-8")
    assert messages(project) == [
        "content/pages/slow.md:7: Markdown would take minutes to read this text: it leaves '[', '(' or '<' "
        "open over long stretches; close them, or write them as \\[, \\( or &lt;"
    ]


def test_runs_of_backticks_nothing_closes_are_refused_before_they_are_read(make_project: MakeProject) -> None:
    """A review: runs of one to 1,400 backticks, each closed by no run as long, took `check` 58 s and
    `mkdocs build` 74 s (Python-Markdown scans from each to the block's end, letter by letter)."""
    project = _with_description(make_project, "Fine.")
    page = project.root / "content" / "pages" / "slow.md"
    # (and a review's runs after a backslash, which open code one backtick shorter: 17 s for 252 KB)
    for runs in (
        "".join("`" * length + "x " for length in range(1, 500)),
        "".join("\\" + "`" * (length + 1) + "x" + "`" * (length + 1) + " " for length in range(1, 500)),
    ):
        page.write_text(f"# Slow\n\nIntro.\n\n{QUICK_TO_READ}\n\n{runs}\n", encoding="utf-8")
        assert messages(project) == [
            "content/pages/slow.md:7: Markdown would take minutes to read this text: it opens inline code "
            "with runs of backticks that no run as long closes, over long stretches; close each with as many "
            "backticks, or write \\`"
        ]
    spans = "".join(
        f"{'`' * (1 + length % 3)}code {length}{'`' * (1 + length % 3)} and " for length in range(5_000)
    )
    page.write_text(f"# Code\n\n{spans}\n\nA lone ` and ``` in a paragraph of its own.\n", encoding="utf-8")
    assert messages(project) == []


_SPLIT = (
    "thousands of its lines are headings or rules with no blank line between them; "
    "put a blank line after each"
)
_INLINE = (
    "a paragraph holds too much inline markup (code, escapes, entities, links, emphasis) for its length; "
    "part it with blank lines"
)
# A review's: each took Python-Markdown a minute or more (the first 92 s; 32,000 headings 239 s).
SLOW_BLOCKS = {
    "code-spans": ("`a` " * 200_000, _INLINE),
    "escapes": ("\\* " * 250_000, _INLINE),
    "entities": ("&amp; " * 150_000, _INLINE),
    "headings": ("## a\n" * 4_000, _SPLIT),  # (4,000: about 2 s, twice)
    "rules": ("- - -\n" * 4_000, _SPLIT),
    "underlined": ("a\n===\n" * 4_000, _SPLIT),
    "unspaced-headings": ("#a\n" * 4_000, _SPLIT),  # (headings to Python-Markdown: a review's, 51 s)
    "headings-of-hashes": ("#######\n" * 4_000, _SPLIT),
}


@pytest.mark.parametrize(("text", "said"), SLOW_BLOCKS.values(), ids=SLOW_BLOCKS.keys())
def test_a_block_markdown_would_read_for_minutes_is_refused_before_it_is_read(
    make_project: MakeProject, text: str, said: str
) -> None:
    project = _with_description(make_project, "Fine.")
    page = project.root / "content" / "pages" / "slow.md"
    page.write_text(f"# Slow\n\nIntro.\n\n{text}\n", encoding="utf-8")
    assert messages(project) == [
        f"content/pages/slow.md:5: Markdown would take minutes to read this text: {said}"
    ]
    if said == _INLINE:  # in paragraphs
        parted = "\n\n".join(text[i : i + 2_000] for i in range(0, 200_000, 2_000))
    else:  # fewer than a second's reading, and headings
        parted = "\n".join(text.split("\n")[:900])
    page.write_text(f"# Parted\n\n{parted}\n", encoding="utf-8")
    assert messages(project) == []


def test_a_scripts_comments_in_fenced_code_are_no_headings(make_project: MakeProject) -> None:
    """A review's page of 1,500 shell comments in a fenced block was refused as headings, which
    Markdown never reads them as (the fence is read apart, in a moment)."""
    project = _with_description(make_project, "Fine.")
    page = project.root / "content" / "pages" / "script.md"
    steps = "".join(f"# step {number}\necho {number}\n" for number in range(1_500))
    page.write_text(f"# Script\n\n```sh\n{steps}```\n\nAfter it.\n", encoding="utf-8")
    assert messages(project) == []


def test_a_page_of_more_headings_than_the_search_reads_quickly_is_refused(make_project: MakeProject) -> None:
    """Material's search looks for each heading among all of a page's: 16,000 took a build 16 s."""
    project = _with_description(make_project, "Fine.")
    page = project.root / "content" / "pages" / "long.md"
    headings = "".join(f"## Part {number}\n\nText.\n\n" for number in range(MAX_HEADINGS))
    page.write_text(f"# Long\n\n{headings}", encoding="utf-8")
    assert messages(project) == [f"content/pages/long.md:1: {HEADINGS_FAULT}"]
    page.write_text(f"# Long\n\n{headings[headings.index('## Part 1') :]}", encoding="utf-8")  # (one fewer)
    assert messages(project) == []


def test_backtick_runs_in_an_element_that_reads_markdown_are_one_paragraph(make_project: MakeProject) -> None:
    """A review: md_in_html reads a '<p markdown>' as one paragraph, blank lines and all; its runs of
    backticks parted by blank lines were counted a paragraph at a time, and took check 9 s."""
    project = _with_description(make_project, "Fine.")
    runs = "\n\n".join("`" * length + "x" for length in range(1, 700))
    (project.root / "content" / "pages" / "slow.md").write_text(
        f'# Slow\n\n<p markdown="1">\n{runs}\n</p>\n', encoding="utf-8"
    )
    first = messages(project)[0]  # (told at the element that makes the text one block)
    assert first.startswith(
        "content/pages/slow.md:3: Markdown would take minutes to read this text: it opens"
    )


MANY_BLOCKS = {  # each took Python-Markdown seconds (10,000 lines: 7.6 s) to minutes (100,000: four)
    "fences": "```\n" * 10_000,
    "unfinished-tags": "<a x\n\n" * 8_000,
    "admonitions": "!!! note\n" * 10_000,
    "tags-in-nested-blocks": "<div markdown>\n" * 90 + "<span>\n" * 50_000,
}


@pytest.mark.parametrize("text", MANY_BLOCKS.values(), ids=MANY_BLOCKS.keys())
def test_a_page_of_thousands_of_fences_admonitions_or_tags_is_refused_before_it_is_read(
    make_project: MakeProject, text: str
) -> None:
    """A hostile-input trial found these: none leaves a bracket open, so the scan count let them by."""
    project = _with_description(make_project, "Fine.")
    (project.root / "content" / "pages" / "slow.md").write_text(
        f"# Slow\n\nIntro.\n\n{text}", encoding="utf-8"
    )
    assert messages(project) == [
        "content/pages/slow.md:5: Markdown would take minutes to read this text: more than "
        f"{MAX_BLOCKS:,} of its lines open a code fence, an admonition or an HTML tag (in code blocks "
        "too); split it into shorter pages"
    ]


def test_a_page_of_many_code_blocks_admonitions_and_tags_is_read(make_project: MakeProject) -> None:
    """As many lines opening a fence, an admonition or a tag as a text may have, MAX_BLOCKS."""
    blocks = "```\ncode\n```\n\n!!! note\n    Noted.\n\n<div markdown>\nText.\n</div>\n\n" * (MAX_BLOCKS // 5)
    project = _with_description(make_project, "Fine.")
    (project.root / "content" / "pages" / "many.md").write_text(f"# Many\n\n{blocks}", encoding="utf-8")
    assert messages(project) == []


def test_a_long_page_of_ordinary_links_and_tags_is_read(make_project: MakeProject) -> None:
    project = _with_description(make_project, QUICK_TO_READ.replace("matrix.md", "../../matrix.md"))
    (project.root / "content" / "pages" / "long.md").write_text(
        f"# Long\n\n{QUICK_TO_READ}\n", encoding="utf-8"
    )
    assert messages(project) == []


@pytest.mark.parametrize(
    ("page", "text", "expected"),
    [
        ("about.md", '---\ntitle: "T\\x3cimg src=x onerror=alert(1)\\x3e"\n---\n# About\n',
         "about.md:2: 'title' should be plain text, without <, >, \" or &"),
        ("about.md", '---\ndescription: \'"\\x3e x\'\n---\n# About\n',
         "about.md:2: 'description' should be plain text"),
        ("about.md", "---\ntemplate: main.html\n---\n# About\n",
         "about.md:2: 'template' cannot be set at the top of a page (allowed: title, description, hide)"),
        ("about.md", "---\nhide: [navigation, everything]\n---\n# About\n",
         "about.md:2: 'hide' should be a list of navigation, toc"),
        ("about.md", "---\na: &x [1]\nb: *x\n---\n# About\n", "about.md:3: YAML aliases (*name)"),
        ("index.md", "title: Home <b>\n\nWelcome.\n", "index.md:1: the first line reads as a page setting"),
        ("index.md", "Note: the home page.\n", "index.md:1: the first line reads as a page setting"),
    ],
    ids=["escaped-markup-in-title", "quote-in-description", "other-key", "unknown-part", "yaml-alias",
         "multimarkdown-title", "multimarkdown-any-word"],
)  # fmt: skip
def test_settings_at_the_top_of_a_hand_page_are_held_to_what_a_page_may_set(
    make_project: MakeProject, page: str, text: str, expected: str
) -> None:
    """MkDocs reads a '---' block or 'key: value' lines opening a page as its settings, and the theme
    prints the title and description as they are: escapes in YAML hid markup from the text check."""
    found = messages(make_project({f"content/pages/{page}": text}))
    assert any(m.startswith(f"content/pages/{expected}") for m in found), found


def test_a_hand_page_may_set_a_plain_title_and_description_and_hide_parts(make_project: MakeProject) -> None:
    text = "---\ntitle: About us\ndescription: Who we are.\nhide:\n  - navigation\n  - toc\n---\n# About\n"
    project = make_project({"content/pages/about.md": text})
    assert messages(project) == []
    assert build_site(project).pages["about.md"].startswith("---\ntitle: About us\n")


def test_a_hand_page_title_with_markup_is_refused_and_a_plain_one_labels_the_navigation(
    make_project: MakeProject,
) -> None:
    """The navigation escapes the label, but the theme's <title> un-escapes it again (striptags)."""
    project = make_project({"content/pages/about.md": "# About & <em>more</em>\n\nText.\n"})
    assert messages(project) == [
        "content/pages/about.md:1: the page's title (its '# ' line) should be plain text, without <, >, \" "
        "or &: the theme prints it as it is in the page's <title>"
    ]
    (project.root / "content" / "pages" / "about.md").write_text("# About us, 'briefly'\n\nText.\n")
    labels = [next(iter(item)) for item in build_site(project).nav if isinstance(item, dict)]
    assert "About us, &#x27;briefly&#x27;" in labels


_SCHEME_LETTERS = st.sampled_from(["javascript", "data", "vbscript"]).flatmap(
    lambda word: st.tuples(
        *(
            st.sampled_from([c, c.upper(), f"&#{ord(c)};", f"&#x{ord(c):x};", f"{c}\t", f"\n{c}"])
            for c in word
        )
    )
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    letters=_SCHEME_LETTERS,
    colon=st.sampled_from([":", "&#58;", "&colon;", "&#x3A;", "%3A"]),
    lead=st.sampled_from(["", " ", "\t", "&#x20;"]),
    form=st.sampled_from(["[x]({})", "[x][r]\n\n[r]: {}", "![x]({})", "<{}>", '<a href="{}">x</a>']),
)
def test_no_spelling_of_a_script_scheme_gets_through(
    letters: tuple[str, ...], colon: str, lead: str, form: str
) -> None:
    text = form.format(lead + "".join(letters) + colon + "alert(1)")
    if faults(text):
        return  # refused
    import markdown

    html = markdown.markdown(text, extensions=["tables", "md_in_html", "attr_list"])
    assert _dangerous(_attribute_values(html, ("href", "src"))) == [], (text, html)


def _attribute_values(html: str, names: tuple[str, ...]) -> list[str]:
    from html.parser import HTMLParser

    values: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values.extend(v for k, v in attrs if k in names and v is not None)

    Collect(convert_charrefs=True).feed(html)
    return values


def test_an_ordinary_https_link_in_a_description_still_builds(make_project: MakeProject) -> None:
    project = make_project()
    assert messages(project) == []
    assert "[link](https://example.org/alpha)" in build_site(project).pages["alpha/index.md"]


# 4. Characters XML and JSON cannot carry -----------------------------------------------------------


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (
            ("summary: A third fictional study.", "summary: A third\x00 study."),
            f"{STUDY}:6: character U+0000",
        ),
        (
            ("summary: A third fictional study.", 'summary: "A third \\0 study."'),
            f"{STUDY}:6: character U+0000",
        ),
        (
            ("summary: A third fictional study.", 'summary: "A \\ud800 study."'),
            f"{STUDY}:6: character U+D800",
        ),
        (("summary: A third fictional study.", "summary: A \ufffe study."), f"{STUDY}:6: character U+FFFE"),
        (("summary: A third fictional study.", "summary: A \x1b[31m study."), f"{STUDY}:6: character U+001B"),
        (("name: Third", 'name: "Th\\uffffird"'), f"{STUDY}:1: character U+FFFF"),
    ],
    ids=["raw-nul", "escaped-nul", "lone-surrogate", "noncharacter", "escape-sequence", "escaped-ffff"],
)
def test_characters_no_feed_can_carry_are_refused_with_their_line(
    make_project: MakeProject, replace: tuple[str, str], expected: str
) -> None:
    project = make_project()
    edit(project, STUDY, *replace)
    found = messages(project)
    assert any(m.startswith(expected) for m in found), found


@pytest.mark.parametrize(
    ("path", "replace", "expected"),
    [
        (STUDY, ("code: no", "code: no\nlinks:\n  code: http://[x"),
         f"{STUDY}:12: link 'code' is not an http(s) URL: 'http://[x'"),
        ("bib/studies.bib", ("https://arxiv.org/abs/2201.00001", "https://a]b/"),
         "bib/studies.bib:16: entry 'smith2022second': url 'https://a]b/' is not an http(s) URL; write the "
         "whole address, beginning https://"),
        ("content/survey.yaml", ("https://github.com/example-org/mini-survey", "https://[github.com"),
         "content/survey.yaml:10: 'repository' should be the project's web address"),
    ],
    ids=["study-link", "bib-url", "repository"],
)  # fmt: skip
def test_an_address_urlsplit_cannot_read_is_refused_with_its_line(
    make_project: MakeProject,
    capsys: pytest.CaptureFixture[str],
    path: str,
    replace: tuple[str, str],
    expected: str,
) -> None:
    """An unbalanced [ or ] in the host made urllib raise "Invalid IPv6 URL" out of the checks."""
    project = make_project()
    edit(project, path, *replace)
    assert main(["--root", str(project.root), "check"]) == 1
    out, err = capsys.readouterr()
    assert any(line.startswith(expected) for line in out.splitlines()), out
    assert "Traceback" not in out + err


@pytest.mark.parametrize(("host", "proposals"), [("github.com", True), ("[github.com", False)])
def test_an_edit_address_urlsplit_cannot_read_gives_no_proposal_links(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path, host: str, proposals: bool
) -> None:
    """Without a repository in survey.yaml, the proposal links come from the edit address, if it is one."""
    project = make_project()
    edit(project, "content/survey.yaml", "repository: https://github.com/example-org/mini-survey\n", "")
    edit_url = f"https://{host}/example-org/mini-survey/edit/main/"
    out = tmp_path / "o"
    assert main(["--root", str(project.root), "--edit-url", edit_url, "pages", "--out", str(out)]) == 0
    assert "Wrote " in capsys.readouterr().err
    assert ("propose" in (out / "matrix.md").read_text(encoding="utf-8").lower()) is proposals


def test_a_control_character_in_a_bib_title_is_refused(make_project: MakeProject) -> None:
    project = make_project()
    bib = project.root / "bib" / "studies.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("The First Study", "The\x0c First Study"))
    assert any(m.startswith("bib/studies.bib:4: character U+000C") for m in messages(project))


def test_a_bidirectional_override_in_a_name_is_a_warning_not_a_failure(make_project: MakeProject) -> None:
    project = make_project()
    path = project.root / STUDY
    path.write_text(path.read_text(encoding="utf-8").replace("name: Third", "name: Thi\u202erd"))
    problems = check(project)
    assert [(str(p.location), p.warning) for p in problems] == [(f"{STUDY}:1", True)]
    assert "warning: character U+202E reverses" in str(problems[0])
    build_site(project)  # still builds


def test_check_exits_zero_on_warnings_alone_and_annotates_them_as_warnings(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    edit(project, STUDY, "name: Third", "name: Thi\u202erd")
    assert main(["--root", str(project.root), "check", "--format", "github"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"::warning file={STUDY},line=1::character U+202E reverses")
    assert err == "No problems found; 1 warning(s).\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(summary=st.text(min_size=1, max_size=40))
def test_any_summary_is_refused_or_gives_a_well_formed_feed(tmp_path: Path, summary: str) -> None:
    root = Path(tempfile.mkdtemp(dir=tmp_path)) / "project"
    shutil.copytree(MINI, root)
    project = Project.at(root)
    path = project.root / STUDY
    quoted = yaml.safe_dump(summary, allow_unicode=False, width=10_000).strip()
    quoted = quoted.removesuffix("\n...").removesuffix("...").strip()
    path.write_text(
        path.read_text(encoding="utf-8").replace("summary: A third fictional study.", f"summary: {quoted}"),
        encoding="utf-8",
    )
    if [p for p in check(project) if not p.warning]:
        return
    files = build_site(project).files
    ET.fromstring(files["feed.xml"].encode("utf-8"))


# 5. Depth ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_in_a_study_file_is_refused(make_project: MakeProject, style: str) -> None:
    depth = 1_000
    if style == "flow":
        value = "[" * depth + "x" + "]" * depth
    else:
        depth = 120  # a block of 1,000 would pass the file-size limit first
        value = "\n" + "".join("  " * (i + 2) + "-\n" for i in range(depth)) + "  " * (depth + 2) + "x"
    project = make_project()
    path = project.root / STUDY
    path.write_text(path.read_text(encoding="utf-8") + f"links:\n  code: {value}\n", encoding="utf-8")
    found = messages(project)
    assert any("nest more than 40 levels deep" in m and m.startswith(STUDY) for m in found), found[:3]


def test_a_thousand_level_taxonomy_is_refused(make_project: MakeProject) -> None:
    tree = "[]"
    for level in reversed(range(1_000)):
        tree = f"[{{id: n{level}, name: N, gloss: G, children: {tree}}}]"
    project = make_project({TAXONOMY: f"facets: []\ntree: {tree}\n"})
    found = messages(project)
    assert any(m.startswith(f"{TAXONOMY}:") and "nest more than 40 levels deep" in m for m in found), found[
        :3
    ]


# 6. Generated paths that collide ---------------------------------------------------------------------


@pytest.mark.parametrize("node_id", ["studies", "matrix", "whats-new", "downloads", "search", "assets"])
def test_a_class_id_that_takes_a_generated_address_is_refused(
    make_project: MakeProject, node_id: str
) -> None:
    project = make_project()
    taxonomy = project.root / TAXONOMY
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("  - id: beta", f"  - id: {node_id}"))
    for path in (project.root / "content" / "studies").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("[beta]", f"[{node_id}]"), encoding="utf-8")
    found = [m for m in messages(project) if "an address already taken by" in m]
    # One message for the one mistake (a maintainer's trial was told three times of 'studies'), asking
    # for another id.
    assert len(found) == 1 and found[0].startswith(f"{TAXONOMY}:31: node '{node_id}' would be published at ")
    assert found[0].endswith("; choose another id"), found


def test_an_address_taken_still_leaves_the_nodes_and_studys_other_files_among_the_sites(
    make_project: MakeProject,
) -> None:
    """One message for a class named 'studies' (its page's address taken), but its feed and
    downloads are still among the site's files that links are checked against."""
    project = make_project()
    problems = Problems()
    taxonomy = load_taxonomy(project.root, project.root / TAXONOMY, Problems())
    renamed = [replace(node, path="studies") if node.path == "beta" else node for node in taxonomy.nodes]
    taxonomy = replace(taxonomy, nodes=tuple(renamed))
    files = claim_addresses(taxonomy, [], [], problems)
    assert {"feed.studies.xml", "downloads/studies.bib", "downloads/studies.ris"} <= files
    assert len([p for p in problems.sorted() if "'studies'" in p.message]) == 1


def test_a_hand_page_named_after_a_node_is_refused(make_project: MakeProject) -> None:
    project = make_project({"content/pages/alpha.md": "# Alpha again\n"})
    assert (
        "content/pages/alpha.md:1: page 'alpha.md' would be published at /alpha/, an address already taken "
        "by node 'alpha' (" in (" ".join(messages(project)))
    )


@pytest.mark.parametrize("name", ["matrix.md", "whats-new.md"])
def test_a_hand_page_named_after_a_generated_page_is_refused(make_project: MakeProject, name: str) -> None:
    project = make_project({f"content/pages/{name}": "# Mine\n"})
    assert any(
        m.startswith(f"content/pages/{name}:1: page '{name}' would be published") for m in messages(project)
    )


def test_a_hand_page_name_in_capitals_is_refused(make_project: MakeProject) -> None:
    project = make_project({"content/pages/Matrix.md": "# Mine\n"})
    assert any(
        m.startswith("content/pages/Matrix.md:1: a page's file name is its address")
        for m in messages(project)
    )


def test_a_study_key_index_is_refused(make_project: MakeProject) -> None:
    project = make_project()
    (project.root / STUDY).rename(project.root / "content" / "studies" / "index.yaml")
    bib = project.root / "bib" / "studies.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("lee2023third", "index"), encoding="utf-8")
    assert any("'index' is the name of a folder's own page" in m for m in messages(project))


def test_a_leaf_under_a_class_called_studies_cannot_shadow_a_study(make_project: MakeProject) -> None:
    project = make_project()
    taxonomy = project.root / TAXONOMY
    text = taxonomy.read_text(encoding="utf-8").replace("  - id: alpha", "  - id: studies")
    taxonomy.write_text(text.replace("      - id: one", "      - id: lee2023third"), encoding="utf-8")
    found = messages(project)
    assert any("would be published at /studies/" in m for m in found), found


# 7. Facet ids that are words of the matrix's own ---------------------------------------------------


@pytest.mark.parametrize("facet_id", ["class", "leaf", "year"])
def test_a_facet_id_the_matrix_uses_itself_is_refused(make_project: MakeProject, facet_id: str) -> None:
    project = make_project()
    taxonomy = project.root / TAXONOMY
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("  - id: model", f"  - id: {facet_id}"))
    assert any(
        m.startswith(f"{TAXONOMY}:3: facet id '{facet_id}' names one of the site's own columns or fields")
        for m in messages(project)
    )


def test_matrix_script_keys_no_plain_object_by_data() -> None:
    script = (ASSETS / "javascripts" / "matrix.js").read_text(encoding="utf-8")
    assert "Object.create(null)" in script
    for plain in ("byKey = {}", "names = {}", "position = {}", "counts = {}", "boxes = {}", "f: {}"):
        assert plain not in script


# 8, 9, 13. BibTeX that reads otherwise -------------------------------------------------------------


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (("  doi       = {10.1234/fict.2021.1},", "  doi = {10.1234/a},\n  DOI = {10.1234/b},"),
         "bib/studies.bib:8: field 'doi' appears twice in one entry (as 'doi' and 'DOI')"),
        (("The First Study of", "The First \\} Study of"),
         "bib/studies.bib:4: field 'title' has a \\{ or \\} that BibTeX counts as a brace"),
    ],
    ids=["field-in-two-cases", "escaped-brace"],
)  # fmt: skip
def test_bibtex_that_real_bibtex_reads_otherwise_is_refused(
    make_project: MakeProject, replace: tuple[str, str], expected: str
) -> None:
    project = make_project()
    edit(project, "bib/studies.bib", *replace)
    found = messages(project)
    assert any(m.startswith(expected) for m in found), found


def test_format_keeps_a_month_macro_a_macro(make_project: MakeProject) -> None:
    project = make_project()
    bib = project.root / "bib" / "studies.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("  year      = {2021},", "  year = {2021},\n  month = jan,")
    )
    assert main(["--root", str(project.root), "format"]) == 0
    text = bib.read_text(encoding="utf-8")
    assert "month     = jan\n" in text or "month     = jan,\n" in text, text
    assert "{jan}" not in text


# 10. The cache -----------------------------------------------------------------------------------------


def test_a_changed_byte_in_the_cache_discards_it(make_project: MakeProject) -> None:
    project = make_project()
    memo = Memo()
    build_site(project, memo)
    save_memo(memo, project.root)
    assert load_memo(project.root).size() == len(memo.saved_entries()) > 0
    path = cache_file(project.root)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    assert load_memo(project.root).size() == 0


# 11. Workflow-command injection ------------------------------------------------------------------------


def test_a_study_file_name_cannot_inject_a_workflow_command(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    evil = project.root / "content" / "studies" / "x\n::warning file=a::owned,.yaml"
    evil.write_text("name: x\n", encoding="utf-8")
    assert main(["--root", str(project.root), "check", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith("::error file=") for line in lines), lines
    refused = [line for line in lines if "named after its BibTeX key" in line]
    assert len(refused) == 1
    assert refused[0].startswith(
        "::error file=content/studies/x\\n%3A%3Awarning file=a%3A%3Aowned%2C.yaml,line=1::"
        "a study file is named"
    )


# 12. Encodings: refuse, and leave nothing half made ---------------------------------------------------


def test_new_refuses_latin1_input_and_writes_nothing(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    before = (project.root / "bib" / "studies.bib").read_bytes()
    entry = "@misc{doe2024new, author={Doe, Jos\xe9}, title={New}, year={2024}}\n".encode("latin-1")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(entry), encoding="utf-8"))
    assert main(["--root", str(project.root), "new"]) == 1
    assert capsys.readouterr().err == (
        "surveysite: <stdin>:1: byte 0xe9 is not UTF-8; save the entry as UTF-8. Nothing was added.\n"
    )
    assert (project.root / "bib" / "studies.bib").read_bytes() == before
    assert not (project.root / "content" / "studies" / "doe2024new.yaml").exists()


def test_new_with_a_latin1_bib_file_writes_nothing_and_can_be_retried(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project({"bib/studies.bib": "% Jos\xe9\n".encode("latin-1")})
    entry = "@misc{doe2024new, author={Doe, Jane}, title={New}, year={2024}}\n"
    for _ in range(2):  # the first failure leaves nothing that blocks the second try
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(entry.encode()), encoding="utf-8"))
        assert main(["--root", str(project.root), "new"]) == 1
        err = capsys.readouterr().err
        assert "bib/studies.bib:1: byte 0xe9 is not UTF-8" in err and "already exists" not in err
        assert not (project.root / "content" / "studies" / "doe2024new.yaml").exists()


def test_format_refuses_a_latin1_bib_file_without_a_traceback(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project({"bib/studies.bib": "% Jos\xe9\n".encode("latin-1")})
    assert main(["--root", str(project.root), "format"]) == 1
    assert "bib/studies.bib:1: byte 0xe9 is not UTF-8; save the file as UTF-8" in capsys.readouterr().out
    assert (project.root / "bib" / "studies.bib").read_bytes() == "% Jos\xe9\n".encode("latin-1")


# 14. The Pages workflow's token ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [ROOT / ".github" / "workflows", PROJECT / "dot-github" / "workflows"],
    ids=["this-survey", "init-writes"],
)
def test_the_job_that_builds_contributed_data_holds_no_write_permission(path: Path) -> None:
    """Every survey's, not only this one's: the workflow `init` wrote gave its building job, which runs
    the repository's data, the Pages write permission and the identity token (a trial found it)."""
    workflow = yaml.safe_load((path / "pages.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        runs_repository_code = any("checkout" in str(step.get("uses", "")) for step in job["steps"])
        if runs_repository_code:
            assert job.get("permissions") == {"contents": "read"}, name
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_problems_collector_counts_errors_not_warnings() -> None:
    problems = Problems()
    problems.warn(__import__("surveysite.problems").problems.Location("a", 1), "look")
    assert not problems and len(problems) == 0 and len(problems.sorted()) == 1


# Templates: a broken one is a located problem, never a traceback ------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "overrides/main.html",
            "{% if %}\n",
            "templates/overrides/main.html:1: template error: Expected an expression",
        ),
        ("node.md.j2", "line\n{{ x.y( }}\n", "templates/node.md.j2:2: template error: unexpected '}'"),
        (  # a new maintainer's trial: the check passed it, the build failed on it
            "study.md.j2",
            "# {{ study.name }}\n\n{{ study.summary | shout }}\n",
            "templates/study.md.j2:3: template error: No filter named 'shout'.",
        ),
    ],
    ids=["theme-override", "page-template", "page-template-filter"],
)
def test_a_template_jinja_cannot_parse_is_reported_at_its_line(
    make_project: MakeProject, name: str, text: str, expected: str
) -> None:
    project = make_project()
    (project.root / "templates" / name).parent.mkdir(parents=True)
    (project.root / "templates" / name).write_text(text, encoding="utf-8")
    found = [str(p) for p in check(Project.at(project.root))]
    assert any(m.startswith(expected) for m in found), found


def test_a_theme_override_naming_a_template_that_is_not_there_is_reported_by_the_check(
    make_project: MakeProject,
) -> None:
    """A trial's footer override included 'nope.html': the check passed, and `mkdocs build` ended on a
    TemplateNotFound traceback. What the theme and the project's overrides hold, and a name made as it
    runs or included 'ignore missing', pass."""
    project = make_project()
    folder = project.root / "templates" / "overrides" / "partials"
    folder.mkdir(parents=True)
    (folder / "mine.html").write_text("<b>mine</b>\n", encoding="utf-8")
    (folder / "footer.html").write_text(
        '<footer>\n{% include "nope.html" %}\n{% include "partials/mine.html" %}{% include "main.html" %}\n'
        '{% include ["gone.html", "partials/header.html"] %}{% include "../../../x" %}\n'
        '{% include "maybe.html" ignore missing %}{% include page.meta.partial %}\n'
        '{% import ".icons/material/github.svg" as icon %}{% from "gone.html" import x %}</footer>\n',
        encoding="utf-8",
    )
    said = "is no template of templates/overrides or of the theme"
    assert [m for m in messages(project) if m.startswith("templates/")] == [
        f"templates/overrides/partials/footer.html:2: template error: 'nope.html' {said}",
        f"templates/overrides/partials/footer.html:4: template error: '../../../x' {said}",
        f"templates/overrides/partials/footer.html:6: template error: 'gone.html' {said}",
    ]


ENDLESS = "it includes or calls itself without end"
MKDOCS_YML = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
FAILING_OVERRIDES = {  # (the override, its text, the message the build prints)
    "undefined": (
        "main.html",
        '{% extends "base.html" %}\n{% block content %}\n{{ super() }}\n'
        "<p>{{ foo.bar }}</p>\n{% endblock %}\n",
        "templates/overrides/main.html:4: template error: 'foo' is undefined",
    ),
    "include-made-as-it-runs": (
        "partials/footer.html",
        '<footer>\n{% include config.extra.get("partial", "gone" ~ ".html") %}</footer>\n',
        "templates/overrides/partials/footer.html:2: template error: 'gone.html' is no template of "
        "templates/overrides or of the theme",
    ),
    "division": (
        "partials/footer.html",
        "<footer>\n\n{{ 1 // 0 }}</footer>\n",
        "templates/overrides/partials/footer.html:3: template error: ZeroDivisionError: "
        "integer division or modulo by zero",
    ),
    "itself": (
        "partials/footer.html",
        '<footer>{% include "partials/footer.html" %}</footer>\n',
        f"templates/overrides/partials/footer.html:1: template error: {ENDLESS}",
    ),
}


@pytest.mark.parametrize("case", FAILING_OVERRIDES.values(), ids=FAILING_OVERRIDES.keys())
def test_a_theme_override_that_fails_as_a_page_renders_stops_the_build_at_its_line(
    make_project: MakeProject, case: tuple[str, str, str]
) -> None:
    """What the check cannot see in an override (it fails only with a page's context) ended `mkdocs
    build` on a traceback from inside MkDocs; now on one message naming the file and line."""
    name, text, expected = case
    project = make_project({f"templates/overrides/{name}": text, "mkdocs.yml": MKDOCS_YML})
    assert messages(project) == []  # nothing the check can tell
    built = strict_build(project.root, project.root / "site")
    assert built.returncode == 1
    assert "Traceback" not in built.stderr, built.stderr[-3000:]
    assert f"ERROR   -  {expected}\n" in built.stderr, built.stderr[-3000:]


def test_an_override_handing_a_theme_partial_what_it_cannot_use_is_reported_at_both(
    make_project: MakeProject,
) -> None:
    """The failure is in the theme's partial, the mistake in the override: the message names both."""
    text = (
        '{% extends "base.html" %}\n{% block content %}\n{{ super() }}\n'
        '{% set toc_item = {"title": "x", "url": "#x", "children": 5} %}\n'
        '{% include "partials/toc-item.html" %}\n{% endblock %}\n'
    )
    project = make_project({"templates/overrides/main.html": text, "mkdocs.yml": MKDOCS_YML})
    built = strict_build(project.root, project.root / "site")
    assert built.returncode == 1 and "Traceback" not in built.stderr, built.stderr[-3000:]
    expected = (
        r"ERROR   -  /\S+/material/templates/partials/toc-item\.html:\d+ "
        r"\(from templates/overrides/main\.html:5\): template error: "
        r"TypeError: 'int' object is not iterable\n"
    )
    assert re.search(expected, built.stderr), built.stderr[-3000:]


def test_the_check_reports_a_template_of_the_projects_own_naming_what_its_pages_do_not_hold(
    make_project: MakeProject,
) -> None:
    """A maintainer's trial copied study.md.j2 and misspelled a field: `check` said 'No problems found',
    and `pages` and the build failed on it."""
    project = make_project()
    (project.root / "templates").mkdir()
    study = (ROOT / "src" / "surveysite" / "defaults" / "templates" / "study.md.j2").read_text(
        encoding="utf-8"
    )
    line = study[: study.index("{{ study.summary }}")].count("\n") + 1
    study = study.replace("{{ study.summary }}", "{{ study.summry | upper }}")
    (project.root / "templates" / "study.md.j2").write_text(study, encoding="utf-8")
    assert messages(project) == [  # (a study, as templates know it: not its class, which a trial met)
        f"templates/study.md.j2:{line}: template error: a study has no field 'summry'; did you mean "
        "'summary'? (see templates/README.md for what each template is given)"
    ]
    # A trial's facet read by its id: the facets are (label, text) pairs, which the README tells.
    (project.root / "templates" / "study.md.j2").write_text(
        study.replace("{{ study.summry | upper }}", "{{ study.facets.code }}"), encoding="utf-8"
    )
    assert messages(project) == [
        f"templates/study.md.j2:{line}: template error: 'tuple object' has no attribute 'code' (see "
        "templates/README.md for what each template is given)"
    ]
    (project.root / "templates" / "study.md.j2").write_text(
        study.replace("summry", "summary"), encoding="utf-8"
    )
    assert messages(project) == []


def test_a_template_naming_what_is_not_there_fails_the_build_with_its_name(make_project: MakeProject) -> None:
    project = make_project()
    (project.root / "templates").mkdir()
    (project.root / "templates" / "whats-new.md.j2").write_text("{{ nothing_here }}\n", encoding="utf-8")
    with pytest.raises(DataError) as raised:
        build_site(Project.at(project.root))
    assert [str(p) for p in raised.value.problems] == [
        "templates/whats-new.md.j2:1: template error: 'nothing_here' is undefined"
    ]
    # At its own line (a trial found line 1 named whatever the line), and so an include of what is not there.
    for text, said in [
        ("# What's new\n\nFine.\n{{ nothing_here }}\n", "4: template error: 'nothing_here' is undefined"),
        (  # (a maintainer's trial was told the name alone)
            "# What's new\n\nFine.\n\n{% include '/etc/passwd' %}\n",
            "5: template error: it names '/etc/passwd', which is no template of templates/ nor of "
            "surveysite's own",
        ),
    ]:
        (project.root / "templates" / "whats-new.md.j2").write_text(text, encoding="utf-8")
        with pytest.raises(DataError) as raised:
            build_site(Project.at(project.root))
        assert [str(p) for p in raised.value.problems] == [f"templates/whats-new.md.j2:{said}"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# What's new\n\n{{ 'a' + 1 }}\n", "whats-new.md.j2:3: template error: TypeError: can only"),
        ("line\n{{ 1 // 0 }}\n", "whats-new.md.j2:2: template error: ZeroDivisionError: integer"),
        ("{{ none }}\n", "whats-new.md.j2:1: template error: TypeError"),
        ('{% include "whats-new.md.j2" %}\n', "whats-new.md.j2:1: template error: it includes or calls"),
    ],
    ids=["text-plus-number", "division-by-zero", "none-printed", "includes-itself"],
)  # fmt: skip
def test_a_template_whose_operation_fails_fails_the_build_with_its_line(
    make_project: MakeProject, text: str, expected: str
) -> None:
    """Not only Jinja's own errors: any failure while a project's template renders, without a traceback."""
    project = make_project()
    (project.root / "templates").mkdir()
    (project.root / "templates" / "whats-new.md.j2").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as raised:
        build_site(Project.at(project.root))
    (problem,) = raised.value.problems
    assert str(problem).startswith(f"templates/{expected}"), str(problem)


@pytest.mark.parametrize("make", ["link", "folder", "pipe", "missing", "file"])
def test_a_file_of_an_accepted_folder_gets_the_verdict_of_the_whole_walk(
    make_project: MakeProject, secret: Path, make: str
) -> None:
    """read_text checks only the file itself when its folder was accepted (study files): same verdict."""
    project = make_project()
    path = project.root / "content" / "studies" / "other.yaml"
    if make == "link":
        path.symlink_to(secret)
    elif make == "folder":
        path.mkdir()
    elif make == "pipe":
        os.mkfifo(path)
    elif make == "file":
        path.write_text("name: Other\n", encoding="utf-8")
    verdicts = []
    for accepted in (False, True):
        found = Problems()
        text = read_text(project.root, path, found, 1000, in_accepted_folder=accepted)
        verdicts.append((text, [str(p) for p in found.sorted()]))
    found = Problems()  # as the loaders give a study file: its path a string, its shown path given
    shown = "content/studies/other.yaml"
    text = read_text(project.root, str(path), found, 1000, shown, in_accepted_folder=True)
    verdicts.append((text, [str(p) for p in found.sorted()]))
    assert verdicts[0] == verdicts[1] == verdicts[2]
    assert (verdicts[0][0] is None) == (make != "file") and SECRET not in str(verdicts)


# What a third hostile-input trial found passing --------------------------------------------------

BIB = "bib/studies.bib"
FIRST_TITLE = "  title     = {The First Study of {$\\alpha$}-Learning},"  # line 4 of the mini survey's .bib


def _title(project: Project, title: str) -> None:
    edit(project, BIB, FIRST_TITLE, f"  title     = {{{title}}},")


@pytest.mark.parametrize(
    ("title", "command"),
    [
        ("\\immediate\\write18{touch /tmp/x}First", "\\immediate"),
        ("First \\input{/etc/passwd}", "\\input"),
        ("First {\\csname write\\endcsname 18{id}}", "\\csname"),
        ("First \\def\\x{y}", "\\def"),
        ("\\catcode`\\Z=0 First", "\\catcode"),
        # (a review's, past a list of refused commands: LaTeX's, packages', pdfTeX's, and a style's
        # lowercasing, which makes '\\INPUT' '\\input')
        ("\\begin{input}{/etc/passwd} First", "\\begin"),
        ("First \\lstinputlisting{/etc/passwd}", "\\lstinputlisting"),
        ("First \\pdffiledump length 4096{/etc/passwd}", "\\pdffiledump"),
        ("First \\UseName{input}{/etc/passwd}", "\\UseName"),
        ("A \\INPUT{/etc/passwd} First", "\\INPUT"),
    ],
    ids=["write18", "input", "csname", "def", "catcode", "begin", "listing", "pdftex", "usename", "capitals"],
)
def test_a_tex_command_that_reads_writes_or_runs_is_refused_in_a_bibtex_field(
    make_project: MakeProject, title: str, command: str
) -> None:
    """The downloads republish each entry: a reader who compiled them ran '\\write18' or printed a file of
    their own machine ('\\input{/etc/passwd}') into the document."""
    project = make_project()
    _title(project, title)
    assert messages(project) == [
        f"{BIB}:4: field 'title' holds the TeX command '{command}', which the site's downloads do not "
        "carry: TeX runs what a field holds where they are compiled, and of its commands only accents, "
        "letters, fonts, symbols and math pass (others read or write files, run programs or define "
        "commands); write the text without it"
    ]


def test_texs_own_spelling_of_a_backslash_and_a_macro_that_holds_a_command_are_refused(
    make_project: MakeProject,
) -> None:
    project = make_project()
    _title(project, "^^5cinput{/etc/passwd} First")
    assert messages(project) == [
        f"{BIB}:4: field 'title' holds '^^', which TeX reads with the characters after it as another "
        "character (a backslash, say); delete it"
    ]
    edit(project, BIB, "^^5cinput{/etc/passwd} First", FIRST_TITLE[len("  title     = {") : -2])
    text = (project.root / BIB).read_text(encoding="utf-8")
    (project.root / BIB).write_text(
        "@string{evil = {\\input{/etc/passwd}}}\n" + text.replace(FIRST_TITLE, "  title     = evil,"),
        encoding="utf-8",
    )
    found = messages(project)
    assert any(m.startswith(f"{BIB}:5: field 'title' holds the TeX command '\\input'") for m in found), found


@pytest.mark.parametrize(
    "title",
    [
        "$\\left(x\\right)$ and \\textit{Let} \\emph{Defined} \\'e \\o{} \\LaTeX",
        "x^2 and ^{n}",
        "$\\mathcal{O}(\\sqrt{T})$ Regret for $\\epsilon$-Greedy {\\v{S}}ar{\\'\\i}\\ss \\& Co",
        "A line break \\\\input as a word",  # (a control symbol, then text)
    ],
)
def test_the_tex_a_title_uses_is_not_refused(make_project: MakeProject, title: str) -> None:
    project = make_project()
    _title(project, title)
    assert messages(project) == []


CHEMISTRY = "The First Study of \\ce{H2O} and \\SI{3}{\\giga\\hertz}"


def test_a_surveys_own_tex_commands_are_allowed_by_its_setting(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """A survey whose references write formulas with a package's commands (mhchem's \\ce, siunitx's \\SI)
    names them in survey.yaml; the refusal says so. The setting is part of what a kept check is kept
    under: a run after it changes finds what it finds (a cache file is kept between the runs)."""
    project = make_project()
    _title(project, CHEMISTRY)
    out = tmp_path / "out"
    pages = ["--root", str(project.root), "pages", "--out", str(out)]
    assert main(pages) == 1
    assert messages(project)[0].endswith(
        "write the text without it, or, if your survey's references need it, add 'ce' to tex_commands in "
        "content/survey.yaml"
    )
    edit(project, "content/survey.yaml", "repository:", "tex_commands: [ce, SI, giga, hertz]\nrepository:")
    assert messages(project) == []
    assert main(pages) == 0
    # Shown as the packages print them, in every format (a trial saw 'H2O and 3': the unit lost).
    shown = "The First Study of H₂O and 3 GHz"
    assert f"**{shown}**" in (out / "studies/mueller2021first.md").read_text(encoding="utf-8")
    assert f"TI  - {shown}" in (out / "downloads/studies.ris").read_text(encoding="utf-8")
    assert f'"title": "{shown}"' in (out / "downloads/studies.json").read_text(encoding="utf-8")
    assert "\\ce{H2O}" in (out / "downloads/studies.bib").read_text(encoding="utf-8")  # as written
    edit(
        project,
        "content/survey.yaml",
        "tex_commands: [ce, SI, giga, hertz]",
        "tex_commands: [SI, giga, hertz]",
    )
    assert main(pages) == 1  # (the part's check kept for the other setting is not reused)
    assert "holds the TeX command '\\ce'" in messages(project)[0]


def test_a_surveys_own_tex_commands_reach_format_and_new(make_project: MakeProject) -> None:
    project = make_project()
    edit(project, "content/survey.yaml", "repository:", "tex_commands: [ce, SI, giga, hertz]\nrepository:")
    text = (project.root / BIB).read_text(encoding="utf-8")
    (project.root / BIB).write_text(
        text.replace(FIRST_TITLE, f"  title = {{{CHEMISTRY}}},"), encoding="utf-8"
    )
    assert main(["--root", str(project.root), "format"]) == 0
    assert f"  title     = {{{CHEMISTRY}}}," in (project.root / BIB).read_text(encoding="utf-8")
    entry = "\n".join(
        [
            "@article{okafor2024fourth,",
            "  author = {Okafor, Nia},",
            f"  title = {{{CHEMISTRY} Again}},",
            "  year = {2024},",
            "}",
        ]
    )
    keys, _, _, _ = add_studies(project, entry, "2024-05-01")
    assert keys == ["okafor2024fourth"]


@pytest.mark.parametrize(
    "name",
    # (a review's, past a first version that refused names holding 'input', 'def', ...: expl3's syntax,
    # after which '\\exp_args:Nc' reads as '\\exp'; hyperref's '\\href{run:...}'; files read otherwise)
    ["input", "INPUT", "csname", "futurelet", "ExplSyntaxOn", "href", "import", "scantextokens", "py"],
)
def test_a_tex_command_that_reads_defines_or_runs_cannot_be_allowed(
    make_project: MakeProject, name: str
) -> None:
    """tex_commands takes only commands that set text or a formula from their argument: any other is
    refused where it is named, and still refused in a field."""
    project = make_project()
    edit(project, "content/survey.yaml", "repository:", f"tex_commands: [ce, {name}, bullet]\nrepository:")
    _title(project, f"\\{name}{{/etc/passwd}} and \\ce{{H2O}}")
    found = messages(project)
    assert found[0] == (
        f"{BIB}:4: field 'title' holds the TeX command '\\{name}', which the site's downloads do not carry: "
        "TeX runs what a field holds where they are compiled, and of its commands only accents, letters, "
        "fonts, symbols and math pass (others read or write files, run programs or define commands); "
        "write the text without it"
    ), found
    assert found[1].startswith(
        f"content/survey.yaml:10: tex_commands: '{name}' is not among the commands a survey may allow"
    ), found
    assert len(found) == 2, found  # (\\ce, and 'bullet', which every survey's may hold: allowed)


def test_a_tex_commands_name_is_letters_alone(make_project: MakeProject) -> None:
    project = make_project()
    edit(project, "content/survey.yaml", "repository:", "tex_commands: ['\\ce', 'x y']\nrepository:")
    assert messages(project) == [
        "content/survey.yaml:10: tex_commands: 'x y' is no TeX command's name; write its letters alone, like "
        "'ce' for \\ce"
    ]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (
            "month     = {13},",
            "field 'month' is 13, which is no month; write 1 to 12, or a month's macro, jan to dec",
        ),
        (
            "month     = {0},",
            "field 'month' is 0, which is no month; write 1 to 12, or a month's macro, jan to dec",
        ),
        (  # (int() refused it with a traceback: more than 4,300 digits)
            "month     = {" + "1" * 5000 + "},",
            "field 'month' is 111111111..., which is no month; write 1 to 12, or a month's macro, jan to dec",
        ),
        (
            "crossref  = {mueller2021first},",
            "field 'crossref' names the entry it is in, 'mueller2021first'; name the entry this one takes "
            "its fields from",
        ),
        (
            "doi       = {10.1234/../../etc},",
            "entry 'mueller2021first': DOI '10.1234/../../etc' holds '..' as a part between slashes, which a "
            "browser reads as a step up or aside in the DOI's address, not as the DOI; look up the paper's "
            "own and write that, or leave the field out",
        ),
    ],
    ids=["month-13", "month-0", "month-of-5000-digits", "crossref-to-itself", "doi-step-up"],
)
def test_a_month_no_month_has_a_crossref_to_itself_and_a_doi_stepping_out_are_refused(
    make_project: MakeProject, field: str, expected: str
) -> None:
    project = make_project()
    old = "  doi       = {10.1234/fict.2021.1},"
    edit(project, BIB, old, f"  {field}" if field.startswith("doi") else f"{old}\n  {field}")
    line = 7 if field.startswith("doi") else 8
    assert messages(project) == [f"{BIB}:{line}: {expected}"]


@pytest.mark.parametrize(
    "field",
    [
        "month     = {12},",
        "month     = dec,",
        "doi       = {10.1234/fict..2021.1},",
        "crossref  = {lee2023third},",
    ],
)
def test_a_month_a_doi_and_a_crossref_as_references_write_them_pass(
    make_project: MakeProject, field: str
) -> None:
    project = make_project()
    old = "  doi       = {10.1234/fict.2021.1},"
    edit(project, BIB, old, f"  {field}" if field.startswith("doi") else f"{old}\n  {field}")
    assert messages(project) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "doi: 10.1234/review.2022",
            "doi: https://doi.org/10.1234/review.2022",
            ":9: 'doi': DOI 'https://doi.org/10.1234/review.2022' is not of the form 10.NNNN/suffix: write "
            "the DOI alone, 10.1234/review.2022",
        ),
        (
            "doi: 10.1234/review.2022",
            'doi: 10.1234/review.2022\n  arxiv: "2201.1"',
            ":10: 'arxiv': eprint '2201.1' is not an arXiv id of the form YYMM.NNNNN (a year and a month); "
            "look up the paper's own and write that, or leave the field out",
        ),
        ("year: 2022", "year: 2922", ":8: 'year' is 2922, after next year; give the year it was published"),
    ],
    ids=["doi", "arxiv", "year"],
)
def test_the_original_surveys_identifiers_and_year_are_checked(
    make_project: MakeProject, old: str, new: str, expected: str
) -> None:
    """The survey file's record of the published survey (edition_of) is what the About page's citation
    and its capture for reference managers are made of: its DOI, arXiv id and year were taken unread."""
    project = make_project()
    edit(project, "content/survey.yaml", old, new)
    assert messages(project) == [f"content/survey.yaml{expected}"]


def test_a_data_file_that_is_not_read_is_told(make_project: MakeProject) -> None:
    """A trial's bib/x.BIB, bib/sub/y.bib and content/studies/X.YAML were passed over without a word,
    their entries and study lost to the site."""
    entry = "@misc{zed2020, author = {Zed, Ann}, title = {Zed}, year = {2020}}\n"
    study = (ROOT / MINI / "content/studies/lee2023third.yaml").read_text(encoding="utf-8")
    project = make_project({
        "bib/more.BIB": entry,
        "bib/drafts/more.bib": entry,
        "bib/notes.txt": "to add\n",
        "bib/README.md": "How the entries are kept.\n",
        "content/studies/Zed2020.YAML": study,
        "content/studies/README": "How the study files are kept.\n",
        "content/studies/todo.md": "later\n",
    })  # fmt: skip
    assert messages(project) == [
        "bib/drafts:1: warning: a folder of .bib files, which are not read: they are read from bib/ itself; "
        "move those that are ready there",
        "bib/more.BIB:1: rename the file to more.bib: only names ending '.bib' are read",
        "bib/notes.txt:1: warning: not read: only .bib files are read from bib/",
        "content/studies/Zed2020.YAML:1: rename the file to zed2020.yaml: only names ending '.yaml' are read",
        "content/studies/todo.md:1: warning: not read: only .yaml files are read from content/studies/",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Third\U000e0049\U000e0047\U000e004e", "U+E0049 (a tag character)"),
        ("Th\u3164ird", "U+3164 (a Hangul filler)"),
        ("Third\u2062", "U+2062 (an invisible operator)"),
        ("Third\u2800", "U+2800 (a blank Braille pattern)"),
    ],
    ids=["tags", "hangul-filler", "invisible-times", "braille-blank"],
)
def test_a_character_that_shows_nothing_and_is_no_space_is_refused(
    make_project: MakeProject, name: str, expected: str
) -> None:
    """A trial hid a second text in a study's name with Unicode's tag characters, and made 'SayCan' and
    'Say\u3164Can' two names that look one."""
    project = make_project()
    edit(project, STUDY, "name: Third", f"name: {name}")
    found = messages(project)
    assert found[0] == (
        f"{STUDY}:1: character {expected} shows nothing and is no space: text can hide behind it, and search "
        "does not find the word holding it; delete it"
    ), found
    assert len([m for m in found if m.startswith(f"{STUDY}:1:")]) == 1, found  # one problem a line


def test_a_hidden_character_is_refused_in_a_bibtex_field_and_the_taxonomy_too(
    make_project: MakeProject,
) -> None:
    project = make_project()
    _title(project, "First\u3164Study")
    edit(project, TAXONOMY, "name: Leaf one", "name: Leaf\U000e0041 one")
    found = messages(project)
    assert any(m.startswith(f"{BIB}:4: character U+3164 (a Hangul filler)") for m in found), found
    assert any(m.startswith(f"{TAXONOMY}:24: character U+E0041 (a tag character)") for m in found), found


def test_a_letter_under_a_pile_of_combining_marks_is_refused(make_project: MakeProject) -> None:
    """A trial's name with 9,000 combining accents on one letter was drawn over the whole page."""
    project = make_project()
    edit(project, STUDY, "name: Third", "name: T" + "\u0301" * 9_000 + "hird")
    assert messages(project)[0] == (
        f"{STUDY}:1: 9,000 combining marks (accents) in a row on one letter, which are drawn over the "
        "lines around it; a letter takes at most 8"
    )
    edit(project, STUDY, "name: T" + "\u0301" * 9_000 + "hird", "name: Third")
    _title(project, "F" + "\u0301\u0308\u0323" * 3 + "irst")  # nine
    assert messages(project)[0].startswith(f"{BIB}:4: 9 combining marks (accents) in a row"), messages(
        project
    )


def test_the_marks_and_joiners_of_real_scripts_pass(make_project: MakeProject) -> None:
    # Vietnamese's two marks on a letter, Hebrew's points and cantillation, an emoji joined by ZWJ,
    # a Persian word with a zero-width non-joiner.
    project = make_project()
    name = (
        "Nguye\u0302\u0303n \u05e9\u05c1\u05b8\u05bc\u0591\u05dc \U0001f469\u200d\U0001f52c "
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    )
    edit(project, STUDY, "name: Third", f'name: "{name}"')
    assert messages(project) == []


def test_a_facet_term_typed_with_a_look_alike_letter_of_another_script_is_refused(
    make_project: MakeProject,
) -> None:
    """A trial's 'PPO' typed with a Cyrillic 'O' stood in the matrix beside 'PPO' as another term."""
    project = make_project()
    edit(project, STUDY, "model: [not stated]", "model: [PP\u041e, \u0391lpha-7]")
    found = messages(project)
    assert found[0] == (
        f"{STUDY}:8: facet 'model': 'PP\u041e' is written with '\u041e' (U+041E, cyrillic capital letter "
        "o), a letter of another script that looks like a Latin one; the matrix would hold it apart from "
        "the term in Latin letters: type it again"
    ), found
    assert any(
        "'\u0391lpha-7' is written with '\u0391' (U+0391, greek capital letter alpha)" in m for m in found
    )
    edit(project, STUDY, "model: [PP\u041e, \u0391lpha-7]", "model: [\u0420\u0420\u041e]")  # all three
    assert messages(project)[0].startswith(f"{STUDY}:8: facet 'model': '\u0420\u0420\u041e' is written with")
    edit(
        project,
        STUDY,
        "model: [\u0420\u0420\u041e]",
        "model: [\u03b1-Net, \u0421\u0435\u0442\u044c, \u00e9t\u00e9]",
    )
    assert messages(project) == []  # a Greek letter apart, a Cyrillic word, Latin accents


@pytest.mark.parametrize(
    "text",
    [
        '??? md-consent__overlay "Your session expired"\n    [Sign in](https://example.org/)',
        "/// html | div\n    attrs: {class: md-consent__overlay}\n\n[Sign in](https://example.org/)\n///",
        "/// details | Your session expired\n    type: md-consent__overlay\n\n[Sign in](https://example.org/)\n///",
    ],
    ids=["details", "blocks-html", "blocks-details"],
)
def test_the_themes_overlay_by_an_extension_a_maintainer_may_add_is_refused(
    make_project: MakeProject, text: str
) -> None:
    """A review: the check read '??? md-consent__overlay' as text, by the site's own extensions, where a
    maintainer who adds pymdownx.details to mkdocs.yml would publish a link over the whole screen."""
    project = _with_description(make_project, text)
    found = messages(project)
    line = 27 + next(i for i, row in enumerate(text.splitlines()) if "md-consent__overlay" in row)
    where = f"{TAXONOMY}:{line}: node 'alpha/one', description: class 'md-consent__overlay' is not allowed"
    assert any(m.startswith(where) for m in found), found
    (project.root / "content/pages/notes.md").write_text(f"# Notes\n\n{text}\n", encoding="utf-8")
    found = messages(project)
    assert any(m.startswith("content/pages/notes.md:") and "md-consent__overlay" in m for m in found), found


def test_a_details_block_of_an_ordinary_type_passes(make_project: MakeProject) -> None:
    project = make_project({"content/pages/notes.md": '# Notes\n\n??? note "More"\n    Text.\n'})
    assert messages(project) == []


def test_a_month_in_digits_of_another_kind_is_no_crash(make_project: MakeProject) -> None:
    """A review's 'month = {\u00b2}' ended check in a traceback: a digit to str.isdigit, no number to int."""
    project = make_project()
    old = "  doi       = {10.1234/fict.2021.1},"
    edit(project, BIB, old, f"{old}\n  month     = {{\u00b2}},")
    assert messages(project) == []


def test_a_doi_stepping_out_percent_encoded_is_refused(make_project: MakeProject) -> None:
    """A review: '%2e%2e', which a browser reads as '..', took the DOI's link to https://doi.org/evil."""
    project = make_project()
    edit(project, BIB, "{10.1234/fict.2021.1}", "{10.1234/%2e%2E/%2e%2e/evil}")
    assert messages(project)[0].startswith(
        f"{BIB}:7: entry 'mueller2021first': DOI '10.1234/%2e%2E/%2e%2e/evil' holds '%2e%2E' as a part"
    )


def test_marks_parted_by_joiners_are_one_pile_and_a_flags_tags_pass(make_project: MakeProject) -> None:
    """A review: eight marks at a time, parted by zero-width joiners, stacked as one pile past the check;
    and Scotland's flag, a black flag and tag characters, was refused as hidden text."""
    project = make_project()
    edit(project, STUDY, "name: Third", "name: T" + ("\u0301" * 8 + "\u200d") * 100 + "hird")
    assert messages(project)[0].startswith(f"{STUDY}:1: 800 combining marks (accents) in a row on one letter")
    scotland = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    edit(project, STUDY, "name: T" + ("\u0301" * 8 + "\u200d") * 100 + "hird", f'name: "Third {scotland}"')
    assert messages(project) == []


def test_piles_of_marks_of_every_plane_are_refused(make_project: MakeProject) -> None:
    """The check looks for piles with a table of plane 0's marks and a range for planes 1 and 14 (a
    review timed it letter by letter at 1.7 s for 9 MB of Chinese): marks outside plane 0 pile too."""
    project = make_project()
    for pile, count in [("\U0001d167" * 9, 9), ("\U000e0100\u0301" * 5, 10), ("\U0001e944\u200d" * 9, 9)]:
        edit(project, STUDY, "name: Third", f"name: T{pile}hird")
        assert messages(project)[0].startswith(f"{STUDY}:1: {count} combining marks (accents) in a row"), pile
        edit(project, STUDY, f"name: T{pile}hird", "name: Third")
    edit(project, STUDY, "name: Third", 'name: "Third ' + "\U0001f600" * 20 + "\U00020000" * 20 + '"')
    assert messages(project) == []


def _piles_letter_by_letter(text: str) -> list[tuple[int, int]]:
    """The piles of more than 8 marks (format characters between them not ending one), read letter by
    letter from Unicode's categories: what the check's expressions must find."""
    piles, count, begun = [], 0, 0
    for offset, character in enumerate(text + "a"):
        kind = unicodedata.category(character)
        if kind in ("Mn", "Me") and ord(character) >= 0x300:
            begun = offset if not count else begun
            count += 1
        elif not (kind == "Cf" and ord(character) >= 0x300):
            if count > 8:
                piles.append((begun, count))
            count = 0
    return piles


_LETTERS = (
    "aZ \n\u00e9\u00ad\u4e00\u05d0\u0591\u05b0\u0301\u20dd\u200d\u200b\u0600"
    "\U0001d167\U0001e944\U000e0100\U000e0041\U0001f600\U00020000\U0001d400MF"  # (M, F: see _PILE)
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_LETTERS, max_size=80))
def test_the_piles_found_are_those_read_letter_by_letter(text: str) -> None:
    assert _mark_runs(text) == _piles_letter_by_letter(text)


def test_blocks_nested_past_the_bound_are_refused_by_check_as_by_a_build(make_project: MakeProject) -> None:
    """A review: 175 nested '/// details' blocks, holding a raw element with an event attribute, passed
    check and stopped `mkdocs build`: how deep the extension nests depends on where it runs."""
    deep = (
        "".join("/// details | s\n\n" for _ in range(175)) + "x\n\n" + "".join("///\n\n" for _ in range(175))
    )
    project = make_project({"content/pages/notes.md": f"# Notes\n\n{deep}"})
    found = messages(project)
    assert any(m.startswith("content/pages/notes.md:") and "more than 100 deep" in m for m in found), found


# What a third hostile-input review found in `new` ------------------------------------------------------

KNOWN = (
    "@article{known2020paper,\n  author  = {Known, Kim},\n  title   = {A Known Paper About Sets},\n"
    "  journal = {Journal of Things},\n  year    = {2020}\n}\n"
)
NEWMAN = (
    "@article{brandnew2024,\n  author  = {Newman, Nora},\n  title   = {A Brand New Paper Here},\n"
    "  journal = {Journal of Novelties},\n  year    = {2024}\n}\n"
)


def new_from(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, *options: str
) -> tuple[int, str, str]:
    """`surveysite new` of the text, given as a file: its exit status, output and errors."""
    given = tmp_path / "given.bib"
    given.write_text(text, encoding="utf-8")
    code = main(["--root", str(project.root), "new", *options, str(given)])
    out, err = capsys.readouterr()
    return code, out, err


def with_known(make_project: MakeProject) -> Project:
    project = make_project()
    with (project.bib / "studies.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n" + KNOWN)
    return project


@pytest.mark.parametrize(
    "given",
    [
        KNOWN.replace("{known2020paper,", "(known2020again,").replace("2020}\n}\n", "2020}\n) ") + NEWMAN,
        KNOWN.replace("{known2020paper,", "{known2020again,").replace("}\n}", "},\n  note = {a set \\{x}\n}")
        + NEWMAN.replace("2024}\n}", "2024},\n  note = {closes x\\} here}\n}"),
        NEWMAN.replace("2024}\n}", "2024},\n  note = {see C:\\\n  here}\n}")
        + KNOWN.replace("known2020paper", "known2020again"),
    ],
    ids=["after-a-parenthesis", "escaped-braces", "a-line-ending-in-a-backslash"],
)
def test_skip_existing_leaves_out_the_paper_here_and_no_other_entry(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str
) -> None:
    """The review's new entry was blanked with the one of a paper here, and neither added nor listed: the
    end of an entry in parentheses was taken at the next line beginning with '@', escaped braces were
    counted, and after a line ending in a backslash every line was told one early (bibtexparser counts
    no line break there), so that the entry before the one named was left out."""
    project = with_known(make_project)
    code, out, err = new_from(project, tmp_path, capsys, given, "--skip-existing")
    if "closes x" in given:  # its own fault, told at its own line, with what was left out
        assert code == 1 and "given.bib:13: field 'note' has a \\{ or \\}" in err, err
        assert "given.bib:1: already here as 'known2020paper'" in err, err
        return
    assert (code, err) == (0, "")
    again = given.index("known2020again")
    assert f"  known2020again (line {given.count(chr(10), 0, again) + 1}): 'known2020paper'" in out, out
    assert "Added 'brandnew2024' to bib/studies.bib" in out
    assert "known2020again" not in (project.bib / "studies.bib").read_text()


def test_a_paper_after_the_volume_it_cross_references_on_its_line_takes_its_booktitle(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The review's paper whose head followed the ')' of its proceedings was dropped, and the other
    paper of the volume lost its booktitle; now each is added with it, and named as taking it."""
    paper = (
        "@inproceedings{paperone2020,\n  author = {One, Olly},\n  title = {Paper One In a Volume},\n"
        "  crossref = {vol2020},\n  year = {2020}\n}\n"
    )
    volume = "@proceedings(vol2020,\n  title = {Proceedings of the Volume Conference},\n  year = {2020}\n) "
    given = volume + paper + paper.replace("paperone", "papertwo").replace("One", "Two")
    code, _, err = new_from(project := make_project(), tmp_path, capsys, given)
    assert code == 0, err
    assert "as BibTeX would, 'paperone2020' takes its booktitle; 'papertwo2020' takes its booktitle" in err
    written = (project.bib / "studies.bib").read_text()
    assert written.count("booktitle = {Proceedings of the Volume Conference}") == 2, written


@pytest.mark.parametrize("author", ["{Happy, Hal}", '"M\\"uller, Hal"'])
def test_strip_keeps_a_title_holding_a_parenthesis_in_an_entry_in_parentheses(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str], author: str
) -> None:
    """The ')' of a title's ':)' ended the entry for --strip, which left a line of the title out as
    text between the entries; and (a review of the mend) an escaped quote, 'M\\"uller', was taken for
    the end of a quoted value, so that a ')' in a note in quotes after it ended the entry."""
    given = (
        f'@article(smile2024,\n  author = {author},\n  note = "Extended (journal) version",\n'
        "  title = {Emoticons :) in\n  Scholarly "
        "Communication Across\n  Disciplines},\n  journal = {Journal of Faces},\n  year = {2024}\n)\n"
    )
    project = make_project()
    code, out, err = new_from(project, tmp_path, capsys, given, "--strip")
    assert (code, err) == (0, ""), err
    assert "between the entries" not in out
    assert (
        "title   = {Emoticons :) in Scholarly Communication Across Disciplines}"
        in (project.bib / "studies.bib").read_text()
    )


def test_new_refuses_to_add_after_an_entry_in_parentheses_that_is_never_closed(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As after one in braces: BibTeX would read what is added as part of it."""
    project = make_project()
    with (project.bib / "studies.bib").open("a", encoding="utf-8") as bib:
        bib.write(
            "\n@misc(broken2023,\n  author = {Broke, Bo},\n  title = {Broken Entry},\n  year = {2023}\n"
        )
    before = (project.bib / "studies.bib").read_text()
    code, _, err = new_from(project, tmp_path, capsys, NEWMAN)
    assert code == 1 and "this block's braces do not close" in err, err
    assert (project.bib / "studies.bib").read_text() == before


def test_many_entries_never_closed_are_read_in_linear_time(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The review's 37,000 '@misc{k, title = {{x}' lines (988 KB) ran `new` over five minutes: each
    entry was scanned to the text's end for its closing brace."""
    given = "".join(f"@misc{{k{index}, title = {{{{x}}\n" for index in range(20_000))
    started = time.perf_counter()
    code, _, err = new_from(make_project(), tmp_path, capsys, given)
    assert code == 1 and "nothing was added" in err
    assert time.perf_counter() - started < 60  # 5 s here; quadratic, about five minutes


def test_an_address_of_arxiv_s_is_one_from_its_start_on_arxiv_s_host() -> None:
    """The review: 'notarxiv.org/abs/ID' and a mirror's path holding 'arxiv.org/abs/ID' were read as
    arXiv's; and a url of 70,000 'arxiv.org/abs/' with a line break after a '#' ran for minutes."""
    from surveysite.bibliography import arxiv_within

    assert arxiv_within("https://arxiv.org/abs/2301.00001v2") == "2301.00001v2"
    assert arxiv_within("http://export.arxiv.org/pdf/2301.00001.pdf") == "2301.00001"
    assert arxiv_within("arXiv:2301.00001") == "2301.00001"
    assert arxiv_within("https://notarxiv.org/abs/2301.00001") == ""
    assert arxiv_within("https://example.com/mirror/arxiv.org/abs/2301.00001") == ""
    started = time.perf_counter()
    assert arxiv_within("arxiv.org/abs/" * 70_000 + "#\nX") == ""
    assert (
        arxiv_within("https://arxiv.org/abs/2101.00001\n?x=1\ny") == ""
    )  # (a review: the id took the line break)
    assert time.perf_counter() - started < 10  # 0.1 s here; over five minutes before


def test_a_note_naming_another_paper_s_arxiv_id_is_not_taken_for_this_paper_s(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The review's comment on a paper here, its note 'Comment on arXiv:ID', was refused (and left out
    by --skip-existing) as that paper."""
    project = make_project()
    arxiv = next(r.get("eprint") for r in load_bibliography_of(project) if r.get("eprint"))
    given = NEWMAN.replace("2024}\n}", f"2024}},\n  note = {{Comment on arXiv:{arxiv}}}\n}}")
    code, out, err = new_from(project, tmp_path, capsys, given, "--strip", "--skip-existing")
    assert (code, err) == (0, "") and "Added 'brandnew2024'" in out, (out, err)
    assert "eprint" not in (project.bib / "studies.bib").read_text().split("brandnew2024")[1]


@pytest.mark.parametrize(
    ("note", "eprint"),
    [
        ("arXiv preprint arXiv:2201.00001", "2201.00001"),  # (a review: no longer read, and a paper here
        ("Preprint arXiv:2101.00013", "2101.00013"),  # added twice)
        ("arXiv:2101.00013 [cs.LG]", "2101.00013"),
        ("Comment on arXiv:2301.00001", ""),
    ],
)
def test_a_note_gives_an_arxiv_id_when_it_says_only_that_the_paper_is_that_preprint(
    note: str, eprint: str
) -> None:
    from surveysite.bibliography import _noted_arxiv

    assert _noted_arxiv(note) == eprint


def test_a_howpublished_of_prose_is_still_checked_for_a_percent_sign(make_project: MakeProject) -> None:
    """A review: howpublished, checked as an address too, was no longer checked for a bare '%'."""
    project = make_project()
    edit(project, "bib/studies.bib", "  year", "  howpublished = {Blog post, 50% of the data},\n  year")
    assert any("field 'howpublished' holds '%'" in m for m in messages(project)), messages(project)


def load_bibliography_of(project: Project) -> list[Any]:
    from surveysite.bibliography import load_bibliography

    return load_bibliography(project.root, project.bib, Problems())


@pytest.mark.parametrize(
    "howpublished", ['\\url{https://example.org/a"onmouseover="alert(1)}', "https://example.org/x'y<z>"]
)
def test_a_howpublished_address_no_link_can_be_made_of_is_told_and_never_used(
    make_project: MakeProject, howpublished: str
) -> None:
    """The review's howpublished address with a '"' passed check (a url with it is refused) and was
    published as the study's address in the RIS, JSON, CSV and COinS."""
    from surveysite.bibliography import howpublished_address

    assert howpublished_address(howpublished) == ""
    project = make_project()
    edit(project, "bib/studies.bib", "  year", f"  howpublished = {{{howpublished}}},\n  year")
    found = [m for m in messages(project) if "howpublished" in m]
    assert found and all("is an address no link can be made of" in m for m in found), found


@pytest.mark.parametrize("command", ["new", "format"])
def test_new_and_format_keep_the_bib_file_s_permissions(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """The review's bib file, readable and writable by its group, was left to its owner alone."""
    project = make_project()
    bib = project.bib / "studies.bib"
    bib.chmod(0o664)
    if command == "new":
        assert new_from(project, tmp_path, capsys, NEWMAN)[0] == 0
    else:
        bib.write_text(bib.read_text().replace("  title", "title", 1))
        assert main(["--root", str(project.root), "format"]) == 0
    assert stat.S_IMODE(bib.stat().st_mode) == 0o664


def test_new_adds_nothing_that_would_make_the_bib_file_larger_than_check_reads(
    make_project: MakeProject,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The review's studies.bib, a little under the limit, went over it with one entry: check then
    refused the whole file."""
    monkeypatch.setattr("surveysite.scaffold.MAX_FILE_BYTES", 3_000)  # (the limit, small for the test)
    project = make_project()
    bib = project.bib / "studies.bib"
    bib.write_text(bib.read_text() + "\n% " + "x" * (2_990 - len(bib.read_bytes())) + "\n")
    before = bib.read_text()
    code, _, err = new_from(project, tmp_path, capsys, NEWMAN)
    assert code == 1 and "bib/studies.bib would be over 3,000 bytes with these entries" in err, err
    assert bib.read_text() == before and not (project.content / "studies" / "brandnew2024.yaml").exists()


def test_an_image_written_with_markdown_escapes_is_told_at_its_own_line(make_project: MakeProject) -> None:
    """The review's second image, 'http:\\\\evil.example\\c.png' (one backslash once rendered), was told
    at the line of the first, which its 'http' began too."""
    page = "# About\n\nText.\n\n![b](https://example.org/b.png)\n\n![c](http:\\\\evil.example\\c.png)\n"
    found = [
        m.split(": '")[0] for m in messages(make_project({"content/pages/about.md": page})) if "images" in m
    ]
    assert found == ["content/pages/about.md:5", "content/pages/about.md:7"], found


def test_a_bib_file_of_more_blocks_than_the_limit_is_refused_at_the_first_over_it(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review's 19 MB of 700,000 entries never closed took check 7.5 GB, each broken block kept
    with its parser's state: past the limit of '@' a file may hold, it is refused before it is parsed,
    by check, a build and format alike, at the line of the first '@' over it."""
    monkeypatch.setattr("surveysite.bibliography.MAX_FILE_BLOCKS", 5)  # (the limit, small for the test)
    project = make_project()
    bib = project.bib / "studies.bib"
    before = bib.read_text()
    assert before.count("@") == 3  # (the fixture's entries, within the limit)
    assert not [m for m in messages(project) if "'@'" in m]
    broken = "".join(f"@article{{broken{n},\n  title = {{Unclosed}},\n" for n in range(4))
    bib.write_text(before + broken)
    sixth = (before + broken).split("\n").index("@article{broken2,") + 1  # (the sixth '@')
    told = messages(project)
    assert told == [
        f"bib/studies.bib:{sixth}: the file holds 7 '@', each the start of an entry (or an '@' in a value); "
        "one .bib file may hold 5: move the entries from this line on to another file in bib/"
    ], told
    with pytest.raises(DataError) as refused:
        build_site(project)
    assert f"bib/studies.bib:{sixth}: the file holds 7 '@'" in str(refused.value)
    assert main(["--root", str(project.root), "format"]) == 1
    assert f"bib/studies.bib:{sixth}: the file holds 7 '@'" in capsys.readouterr().out
    assert bib.read_text() == before + broken


def test_new_adds_nothing_that_would_make_the_bib_file_hold_more_blocks_than_check_reads(
    make_project: MakeProject,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As with the file's bytes: an entry that took the file past the limit of '@' would have had
    check refuse the whole file."""
    monkeypatch.setattr("surveysite.bibliography.MAX_FILE_BLOCKS", 3)
    monkeypatch.setattr("surveysite.scaffold.MAX_FILE_BLOCKS", 3)
    project = make_project()
    bib = project.bib / "studies.bib"
    before = bib.read_text()
    code, _, err = new_from(project, tmp_path, capsys, NEWMAN)
    assert code == 1 and "bib/studies.bib would hold over 3 '@' with these entries" in err, err
    assert bib.read_text() == before and not (project.content / "studies" / "brandnew2024.yaml").exists()


def test_a_parse_with_broken_blocks_leaves_nothing_for_the_collector() -> None:
    """Each broken block's error held the parser's frames, and through them the whole parse, in a
    cycle only a full collection frees: every part of a file and the file parsed whole were alive at
    once (a review: 7.5 GB for a file of entries never closed). Now nothing of a parse outlives it."""
    import gc

    from bibtexparser import model

    from surveysite.bibliography import parse_bibtex

    text = "".join(f"@article{{broken{n},\n  title = {{Unclosed}},\n" for n in range(50))
    gc.collect()
    gc.disable()
    try:
        problems = Problems()
        parse_bibtex(text, "bib/x.bib", problems)
        alive = sum(1 for thing in gc.get_objects() if isinstance(thing, model.ParsingFailedBlock))
    finally:
        gc.enable()
    assert len(problems) == 50 and alive == 0, (len(problems), alive)


def test_a_file_of_one_control_character_repeated_is_one_problem_kept_not_millions() -> None:
    """A resource-exhaustion review's .bib file of 16 MB of one control character took check 5 GB:
    a problem object for each character, told at last as one line. Each character is kept once a line,
    and what is told is as before: each line's each character."""
    problems = Problems()
    assert not check_characters("a\x01\x01b\x02\n" * 3 + "\x01" * 10_000 + "\n", "bib/c.bib", 1, problems)
    assert len(problems) == 7, len(problems)
    told = [str(problem) for problem in problems.sorted()]
    assert [line.split(":")[1] for line in told] == ["1", "1", "2", "2", "3", "3", "4"], told
