"""The templates' README tells every value each page template is given, and every field of the
views they are given (a maintainer's trial read views.py to learn that a study's facets are pairs)."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

import surveysite.render
from surveysite.build import Project, build_site
from surveysite.views import MatrixView, NodeView, StudyView

from .conftest import ROOT, MakeProject

README = ROOT / "src" / "surveysite" / "defaults" / "project" / "templates" / "README.md"
SECTION = "## What each page template is given"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    assert SECTION in text
    return text[text.index(SECTION) :]


def _fields(kind: type) -> set[str]:
    named = {field.name for field in dataclasses.fields(kind)}
    return named | {name for name in vars(kind) if isinstance(vars(kind)[name], property)}


@pytest.mark.parametrize("kind", [StudyView, NodeView, MatrixView], ids=lambda kind: kind.__name__)
def test_every_field_of_a_view_is_told(kind: type) -> None:
    told = set(re.findall(r"`(\w+)`", _section()))
    kept_for_old_templates = {"title_after_name"}  # (after_name's older form: not for new templates)
    assert _fields(kind) - kept_for_old_templates - told == set()


def test_every_value_a_page_template_is_given_is_told_in_its_row(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    given: dict[str, set[str]] = defaultdict(set)
    render = surveysite.render.render_template

    def recording(env: Any, template: str, here: str, context: dict[str, Any]) -> str:
        given[template] |= set(context)
        return render(env, template, here, context)

    monkeypatch.setattr(surveysite.render, "render_template", recording)
    build_site(Project.at(make_project().root))
    assert set(given) == {"study.md.j2", "node.md.j2", "home.md.j2", "matrix.md.j2", "whats-new.md.j2"}
    rows = {
        found.group(1): set(re.findall(r"`(\w+)`", found.group(2)))
        for found in re.finditer(r"^\| `([\w.-]+)` \| (.*) \|$", _section(), re.MULTILINE)
    }
    for template, names in given.items():
        assert names - rows[template] == set(), template
