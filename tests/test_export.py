"""`surveysite export DIR`: a standalone site project, its mkdocs.yml derived from the project's own."""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

import pytest

from surveysite.build import Project, build_site
from surveysite.cli import main
from surveysite.export import engine_site_name, page_config
from surveysite.output import MARKER
from surveysite.paths import SEARCH_IDENTIFIERS
from surveysite.resources import ASSETS, MKDOCS_ONLY_OVERRIDES, OVERRIDES
from surveysite.siteconfig import Tagged, read_site_config, resolve_env

from .conftest import MINI, ROOT, texts

# A PNG header and bytes that are not UTF-8: assets are copied byte for byte.
IMAGE = b"\x89PNG\r\n\x1a\n\x00\xff\xfe binary"
MINIMAL = "site_name: Mini\ndocs_dir: content/pages\nplugins:\n  - surveysite\n"


def project_with(tmp_path: Path, config: str | None = None, files: dict[str, bytes] | None = None) -> Project:
    """The mini survey with the repository's mkdocs.yml (or the given one) beside it."""
    root = tmp_path / "project"
    shutil.copytree(MINI, root)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8") if config is None else config
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    for name, content in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    return Project.at(root)


def export(
    project: Project, out: Path, capsys: pytest.CaptureFixture[str], *options: str
) -> tuple[int, str, str]:
    code = main(["--no-cache", "--root", str(project.root), *options, "export", str(out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def settings(out: Path) -> dict[str, Any]:
    """The exported mkdocs.yml as the builders read it (tags kept)."""
    return read_site_config(out / "mkdocs.yml", "mkdocs.yml").settings


def test_export_holds_every_generated_page_asset_and_override(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_with(tmp_path)
    out = tmp_path / "out"
    code, _, err = export(project, out, capsys)
    site = build_site(project)
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert code == 0 and err.startswith(f"Wrote {len(written) - 1} files to {out}.\n")
    for name, text in {**site.pages, **texts(site.files)}.items():
        encoding = "utf-8-sig" if name.endswith(".csv") else "utf-8"  # (the CSV's mark: no part of its text)
        assert (out / "docs" / name).read_text(encoding=encoding) == text
    # the search's identifiers too, which the tables' text filter reads on any engine (see matrix.js)
    assert SEARCH_IDENTIFIERS in site.files
    for folder, target in (
        (ASSETS, out / "docs"),
        (OVERRIDES, out / "overrides"),
    ):
        for path in (p for p in folder.rglob("*") if p.is_file() and p.name not in MKDOCS_ONLY_OVERRIDES):
            assert (target / path.relative_to(folder)).read_bytes() == path.read_bytes()
    assert not [name for name in MKDOCS_ONLY_OVERRIDES if (out / "overrides" / name).exists()]
    assert (out / "properdocs.yml").read_text() == "INHERIT: mkdocs.yml\n"
    assert (out / MARKER).is_file()


def test_exported_config_is_the_projects_without_the_plugin_plus_the_navigation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_with(tmp_path)
    out = tmp_path / "out"
    assert export(project, out, capsys)[0] == 0
    exported, original = settings(out), read_site_config(project.root / "mkdocs.yml", "mkdocs.yml").settings
    assert exported["nav"] == build_site(project).nav
    assert exported["plugins"] == [p for p in original["plugins"] if "surveysite" not in p]
    separator = original["plugins"][0]["search"]["separator"]
    assert "&[lg]t;" in separator
    assert exported["plugins"][0]["search"]["separator"] == separator  # options kept
    assert exported["docs_dir"] == "docs"
    assert exported["theme"] == {**original["theme"], "custom_dir": "overrides"}
    site = build_site(project)
    assert (exported["site_name"], exported["site_description"]) == ("The Mini Survey", site.site_description)
    assert exported["strict"] == original["strict"]
    needed = page_config()  # what the plugin supplies, written out for builders that run no plugin
    for key in ("markdown_extensions", "extra_css", "extra_javascript", "not_in_nav"):
        assert exported[key] == needed[key], key
    assert (out / "mkdocs.yml").read_text().startswith("# Written by `surveysite export`")
    # The repository's footer link, which the plugin gives a build (a review found the export lacked it).
    assert exported["extra"]["social"] == [{
        "icon": "fontawesome/brands/github", "link": "https://github.com/example-org/mini-survey",
        "name": "The site's repository: its data, issues and how to contribute",
    }]  # fmt: skip


def test_the_survey_title_is_exported_escaped_as_the_theme_prints_it_unescaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_with(tmp_path)
    survey = project.root / "content" / "survey.yaml"
    hostile = "title: 'Mini <img src=x onerror=alert(1)>'"
    survey.write_text(survey.read_text().replace("title: The Mini Survey", hostile))
    out = tmp_path / "out"
    assert export(project, out, capsys)[0] == 0
    assert settings(out)["site_name"] == "Mini &lt;img src=x onerror=alert(1)>"


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("R&D's Agents > Tools: Q&A", "R&D's Agents > Tools: Q&A"),  # nothing a browser would read as markup
        ('The "Agents" <b>', "The &quot;Agents&quot; &lt;b>"),  # would end an attribute, start a tag
        ("&copy &amp; &#38; &DD; &notit", "&amp;copy &amp;amp; &amp;#38; &amp;DD; &amp;notit"),  # references
        ("A & B &x; &c", "A & B &x; &c"),  # no name of HTML's table follows
        ("Q&<lt", "Q&&lt;lt"),  # the '&' of an escaped '<' is not escaped again
    ],
)
def test_the_exported_site_name_is_escaped_only_where_it_would_be_read_as_markup(
    title: str, name: str
) -> None:
    assert engine_site_name(title) == name
    assert html.unescape(name) == title  # what a browser shows where the theme prints it as it is


def test_env_and_python_tags_are_kept_for_the_builder_to_resolve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = MINIMAL + (
        'site_url: !ENV [SITE_URL, "http://example.org/"]\n'
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    )
    out = tmp_path / "out"
    assert export(project_with(tmp_path, config), out, capsys)[0] == 0
    exported = settings(out)
    assert exported["site_url"] == Tagged("!ENV", ["SITE_URL", "http://example.org/"])
    emoji = exported["markdown_extensions"][0]["pymdownx.emoji"]["emoji_index"]
    assert emoji == Tagged("tag:yaml.org,2002:python/name:material.extensions.emoji.twemoji", "")
    assert "site_url: !ENV [SITE_URL, 'http://example.org/']" in (out / "mkdocs.yml").read_text()


def test_a_stylesheet_and_script_of_the_projects_own_come_after_the_packages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = MINIMAL + "extra_css:\n  - stylesheets/ours.css\nextra_javascript:\n  - javascripts/ours.js\n"
    out = tmp_path / "out"
    project = project_with(tmp_path, config)
    for name in ("stylesheets/ours.css", "javascripts/ours.js"):
        (project.root / "templates" / "assets" / name).parent.mkdir(parents=True, exist_ok=True)
        (project.root / "templates" / "assets" / name).write_text("/* ours */\n")
    assert export(project, out, capsys)[0] == 0
    exported = settings(out)
    assert exported["extra_css"] == [*page_config()["extra_css"], "stylesheets/ours.css"]
    assert exported["extra_javascript"] == [*page_config()["extra_javascript"], "javascripts/ours.js"]


def test_settings_the_pages_need_are_added_to_a_bare_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = MINIMAL + "markdown_extensions:\n  - toc:\n      permalink: '#'\nnot_in_nav: /drafts/\n"
    out = tmp_path / "out"
    assert export(project_with(tmp_path, config), out, capsys)[0] == 0
    exported = settings(out)
    assert exported["markdown_extensions"] == [
        {"toc": {"permalink": "#"}}, "tables", "admonition", "md_in_html",
        {"pymdownx.highlight": {"pygments_lang_class": True}}, "pymdownx.superfences",
    ]  # fmt: skip
    assert exported["not_in_nav"] == "/drafts/\n/studies/\n"
    assert exported["theme"] == {"name": "material", "custom_dir": "overrides"}
    assert exported["extra_css"] == ["stylesheets/extra.css", "stylesheets/survey-colours.css"]
    assert "plugins" in exported and exported["plugins"] == []


@pytest.mark.parametrize(
    ("own", "exported_entry"),
    [
        ("  - pymdownx.highlight\n", {"pygments_lang_class": True}),
        ("  - pymdownx.highlight:\n", {"pygments_lang_class": True}),
        (
            "  - pymdownx.highlight:\n      anchor_linenums: true\n",
            {"pygments_lang_class": True, "anchor_linenums": True},
        ),
        ("  - pymdownx.highlight:\n      pygments_lang_class: false\n", {"pygments_lang_class": False}),
    ],
    ids=["bare", "no options", "options of its own", "its own choice"],
)
def test_an_extension_the_project_configures_gets_the_options_the_pages_need(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], own: str, exported_entry: dict[str, object]
) -> None:
    """A review: a project naming pymdownx.highlight itself lost the option that lets BibTeX blocks
    wrap (their language's class), in the export while the plugin added it to a bare entry."""
    config = MINIMAL + "markdown_extensions:\n" + own
    out = tmp_path / "out"
    assert export(project_with(tmp_path, config), out, capsys)[0] == 0
    entries = settings(out)["markdown_extensions"]
    assert entries[0] == {"pymdownx.highlight": exported_entry}
    assert sum("pymdownx.highlight" in str(entry) for entry in entries) == 1


def test_edit_url_comes_from_the_plugin_options_and_their_env_tag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = MINIMAL.replace("- surveysite\n", "- surveysite:\n      edit_url: !ENV [EDIT_URL, '']\n")
    project, out = project_with(tmp_path, config), tmp_path / "out"
    monkeypatch.setenv("EDIT_URL", "https://example.org/edit/main/")
    assert export(project, out, capsys)[0] == 0
    study = (out / "docs" / "studies" / "lee2023third.md").read_text()
    assert "https://example.org/edit/main/content/studies/lee2023third.yaml" in study
    assert export(project, out, capsys, "--edit-url", "https://other.example/e/")[0] == 0
    assert (
        "https://other.example/e/content/studies/lee2023third.yaml"
        in (out / "docs/studies/lee2023third.md").read_text()
    )


def test_binary_assets_and_the_projects_own_overrides_are_copied_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = MINIMAL.replace("docs_dir: content/pages", "docs_dir: static\ntheme:\n  custom_dir: mine")
    files = {"static/images/logo.png": IMAGE, "mine/partials/footer.html": b"<footer>mine</footer>\n"}
    out = tmp_path / "out"
    assert export(project_with(tmp_path, config, files), out, capsys)[0] == 0
    assert (out / "docs" / "images" / "logo.png").read_bytes() == IMAGE
    assert (out / "docs" / "stylesheets" / "extra.css").is_file()
    assert (out / "overrides" / "partials" / "footer.html").read_bytes() == b"<footer>mine</footer>\n"
    assert (out / "overrides" / "main.html").is_file()


def test_docs_folder_is_the_projects_docs_dir_when_mkdocs_yml_sets_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = MINIMAL.replace("docs_dir: content/pages\n", "")
    out = tmp_path / "out"
    assert export(project_with(tmp_path, config, {"docs/images/logo.png": IMAGE}), out, capsys)[0] == 0
    assert (out / "docs" / "images" / "logo.png").read_bytes() == IMAGE
    assert (out / "docs" / "javascripts" / "matrix.js").is_file()


def test_generated_pages_replace_docs_dir_files_of_the_same_name_as_in_the_plugin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = MINIMAL
    project, out = project_with(tmp_path, config, {"content/pages/images/chart.png": IMAGE}), tmp_path / "out"
    assert export(project, out, capsys)[0] == 0
    site = build_site(project)
    assert (out / "docs" / "index.md").read_text() == site.pages["index.md"]
    assert (out / "docs" / "about.md").read_text() == site.pages["about.md"]
    assert (out / "docs" / "images" / "chart.png").read_bytes() == IMAGE


@pytest.mark.parametrize(
    ("config", "files", "expected"),
    [
        pytest.param(
            MINIMAL + "theme:\n  custom_dir: nowhere\n", {},
            "mkdocs.yml:5: theme 'nowhere' is not a folder of the project", id="missing-custom-dir",
        ),
        pytest.param(  # copied whole into the export: never a folder elsewhere on the machine
            MINIMAL.replace("content/pages", "../../../../../../etc"), {},
            "mkdocs.yml:2: docs_dir '../../../../../../etc' is not a folder of the project",
            id="docs-dir-outside",
        ),
        pytest.param(
            MINIMAL + "theme:\n  custom_dir: /etc\n", {},
            "mkdocs.yml:5: theme '/etc' is not a folder of the project", id="custom-dir-outside",
        ),
        pytest.param(
            MINIMAL.replace("content/pages", '"content/pages\\0x"'), {},
            "mkdocs.yml:2: docs_dir 'content/pages\\x00x' is not a folder of the project", id="docs-dir-nul",
        ),
        pytest.param(
            "site_name: [unclosed\n", {}, "mkdocs.yml:2: not valid YAML", id="broken-yaml",
        ),
        pytest.param(
            MINIMAL + "extra:\n  since: 2020-02-30\n", {},
            "mkdocs.yml:6: not valid YAML: '2020-02-30' cannot be read as a date", id="impossible-date",
        ),
        pytest.param(
            MINIMAL + "extra:\n  d: " + "[" * 3000 + "]" * 3000 + "\n", {},
            "mkdocs.yml:1: not valid YAML: values nest too deeply", id="deep-nesting",
        ),
        pytest.param("- a list\n", {}, "mkdocs.yml:1: expected a mapping of settings", id="not-a-mapping"),
        pytest.param(
            MINIMAL + "extra_css: stylesheets/mine.css\n", {},
            "mkdocs.yml:5: 'extra_css' should be a list of paths; found str", id="extra-css-not-a-list",
        ),
        pytest.param(
            "INHERIT: base.yml\n" + MINIMAL, {},
            "mkdocs.yml:1: INHERIT is not supported by export", id="inherit",
        ),
    ],
)  # fmt: skip
def test_bad_project_is_reported_with_its_line_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, files: dict[str, bytes], expected: str
) -> None:
    out = tmp_path / "out"
    code, printed, err = export(project_with(tmp_path, config, files), out, capsys)
    assert code == 1
    assert printed.startswith(expected), printed
    assert "nothing written" in err and "Traceback" not in err
    assert not out.exists()


def test_missing_mkdocs_yml_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    (project.root / "mkdocs.yml").unlink()
    code, printed, _ = export(project, tmp_path / "out", capsys)
    assert code == 1
    assert printed == "mkdocs.yml:1: not found; the site's settings are read from the project's mkdocs.yml\n"


def test_export_updates_its_own_folder_keeping_what_it_did_not_write_and_refuses_anyone_elses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = project_with(tmp_path)
    out = tmp_path / "out"
    out.mkdir()  # an empty folder holds nothing to lose
    assert export(project, out, capsys)[0] == 0
    (out / "site").mkdir()
    (out / "site" / "index.html").write_text("an earlier build")
    (out / "NOTES.md").write_text("mine")
    assert export(project, out, capsys)[0] == 0  # what it did not write is kept
    assert (out / "site" / "index.html").read_text() == "an earlier build" and (out / "mkdocs.yml").is_file()
    assert (out / "NOTES.md").read_text() == "mine"
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "precious.txt").write_text("keep me")
    code, _, err = export(project, mine, capsys)
    assert code == 2 and "was not written by surveysite" in err
    assert [p.name for p in mine.iterdir()] == ["precious.txt"]


@pytest.mark.parametrize("first", ["export", "pages"])
def test_pages_and_export_never_replace_each_others_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], first: str
) -> None:
    """A maintainer's trial gave `pages --out` the folder of an export: the export's mkdocs.yml, docs/
    and overrides/ were replaced by a bare Markdown tree, with exit 0. Each refuses the other's."""
    project = project_with(tmp_path)
    out = tmp_path / "out"
    second = "pages" if first == "export" else "export"
    where = ["export", str(out)] if first == "export" else ["pages", "--out", str(out)]
    assert main(["--no-cache", "--root", str(project.root), *where]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    again = ["pages", "--out", str(out)] if first == "export" else ["export", str(out)]
    capsys.readouterr()
    assert main(["--no-cache", "--root", str(project.root), *again]) == 2
    err = capsys.readouterr().err
    assert f"holds what `surveysite {first}` wrote, which `surveysite {second}` would replace" in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert main(["--no-cache", "--root", str(project.root), *where]) == 0  # its own command goes on


@pytest.mark.parametrize(
    ("value", "env", "expected"),
    [
        (Tagged("!ENV", "A"), {"A": "a"}, "a"),
        (Tagged("!ENV", "A"), {}, None),
        (Tagged("!ENV", ["A", "B", "fallback"]), {"B": "b"}, "b"),
        (Tagged("!ENV", ["A", "B", "fallback"]), {}, "fallback"),
        (Tagged("!ENV", ["A"]), {}, None),
        ("plain", {"A": "a"}, "plain"),
    ],
)
def test_env_tag_resolves_as_mkdocs_does(
    monkeypatch: pytest.MonkeyPatch, value: object, env: dict[str, str], expected: object
) -> None:
    for name in ("A", "B"):
        monkeypatch.delenv(name, raising=False)
    for name, text in env.items():
        monkeypatch.setenv(name, text)
    assert resolve_env(value) == expected


@pytest.mark.parametrize(
    ("site_url", "environment", "told"),
    [
        (None, {}, "http://127.0.0.1:8000/"),  # the repository's mkdocs.yml: !ENV [SITE_URL, default]
        (None, {"SITE_URL": "https://example.org/survey/"}, None),
        ("site_url: http://localhost:8000/\n", {}, "http://localhost:8000/"),
        ("site_url: https://example.org/\n", {}, None),
    ],
)
def test_export_says_when_its_site_would_be_addressed_on_this_machine(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    site_url: str | None,
    environment: dict[str, str],
    told: str | None,
) -> None:
    """An engines trial built an export with Zensical and ProperDocs without SITE_URL: its canonical
    links and sitemap named 127.0.0.1, and nothing said so (the plugin's build does)."""
    monkeypatch.delenv("SITE_URL", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    project = project_with(tmp_path, None if site_url is None else MINIMAL + site_url)
    code, _, err = export(project, tmp_path / "out", capsys)
    assert code == 0
    notice = [line for line in err.splitlines() if "this machine" in line]
    if told is None:
        assert notice == []
    else:
        assert notice == [
            f"Its site_url is {told}, this machine: the pages' canonical links and the sitemap name it; set "
            "the site's public address (SITE_URL) when you build a site to publish."
        ]
