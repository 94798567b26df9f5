"""Shared fixtures: a copy of the mini survey that a test may change file by file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from surveysite.build import Project, check

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
TEMPLATES = ROOT / "templates"

MakeProject = Callable[..., Project]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Copy the mini survey, write the given files over it (None deletes), return the project."""

    def make(files: dict[str, str | bytes | None] | None = None) -> Project:
        root = tmp_path / "project"
        shutil.copytree(MINI, root)
        for name, content in (files or {}).items():
            target = root / name
            if content is None:
                target.unlink()
            elif isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")
        return Project.at(root, TEMPLATES)

    return make


def messages(project: Project) -> list[str]:
    """The `path:line: message` lines `surveysite check` would print."""
    return [str(p) for p in check(project)]
