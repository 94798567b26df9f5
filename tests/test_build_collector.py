"""A build runs with Python's cyclic garbage collector paused, and leaves it as it found it."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from surveysite import build
from surveysite.build import build_site, check
from surveysite.problems import DataError

from .conftest import MakeProject


def test_the_collector_is_off_while_a_build_renders_and_on_after(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real = build.render_site

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "render_site", spy)
    assert gc.isenabled()
    build_site(make_project())
    assert seen == [False] and gc.isenabled()


def test_the_collector_is_back_on_after_a_build_or_check_that_finds_problems(
    make_project: MakeProject,
) -> None:
    project = make_project({"content/studies/lee2023third.yaml": "name: [1, 2\n"})
    with pytest.raises(DataError):
        build_site(project)
    assert gc.isenabled()
    assert check(project) and gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off(make_project: MakeProject) -> None:
    gc.disable()
    try:
        build_site(make_project())
        assert not gc.isenabled()
    finally:
        gc.enable()
