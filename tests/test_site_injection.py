"""Markup in the data renders as text on every built page, through MkDocs and the theme too."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import MINI, ROOT

HOSTILE_NAME = 'Third <img src=x onerror=alert(1)> "quoted" <script>alert(2)</script>'


def test_hostile_study_node_and_survey_names_stay_text_in_every_page(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    study = project / "content" / "studies" / "lee2023third.yaml"
    study.write_text(study.read_text().replace("name: Third", f"name: '{HOSTILE_NAME}'"))
    taxonomy = project / "content" / "taxonomy.yaml"
    taxonomy.write_text(
        taxonomy.read_text()
        .replace("name: Beta", "name: 'Beta <svg onload=alert(3)>'")
        .replace("label: Model", "label: 'Model_x <img src=x onerror=alert(6)>'")
    )
    survey = project / "content" / "survey.yaml"  # the theme prints site_name and site_description as is
    survey.write_text(
        survey.read_text()
        .replace("title: The Mini Survey", "title: 'Mini <img src=x onerror=alert(4)>'")
        .replace("description: A small", "description: '\"><svg onload=alert(5)>' # A small")
    )
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    pages = list((project / "site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<(img|svg|script)\b[^>]*(onerror|onload|>alert)", html), page
        assert "<script>alert" not in html, page
    title = re.search(r"<title>(.*?)</title>", (project / "site/studies/lee2023third/index.html").read_text())
    assert title is not None and title.group(1).startswith(
        "Third &lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot;"
    )
    assert title.group(1).endswith(" - Mini &lt;img src=x onerror=alert(4)&gt;")
    # In the raw HTML of the stand-in for a table's controls the label is text as written, without the
    # backslashes that escape it in Markdown.
    matrix = (project / "site" / "matrix" / "index.html").read_text(encoding="utf-8")
    assert '<summary tabindex="-1">Model_x &lt;img src=x onerror=alert(6)&gt;</summary>' in matrix
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    tooltips = re.findall(r'title="([^"]*)" class="md-(?:header|nav)__button md-logo"', home)
    assert tooltips == ["Mini &lt;img src=x onerror=alert(4)&gt;"] * 2  # escaped once, in the header and nav
