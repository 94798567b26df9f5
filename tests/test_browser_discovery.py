"""Which Chromium the browser tests drive: the variable's, else Debian's, else Playwright's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CHROMIUM_VARIABLE, DEBIAN_CHROMIUM, chromium_executable


def test_the_variable_names_the_executable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    executable = tmp_path / "chrome"
    executable.write_text("#!/bin/sh\n")
    monkeypatch.setenv(CHROMIUM_VARIABLE, str(executable))
    assert chromium_executable() == str(executable)


def test_a_variable_naming_nothing_fails_and_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CHROMIUM_VARIABLE, str(tmp_path / "missing"))
    with pytest.raises(pytest.fail.Exception, match="no such file; name a Chromium executable"):
        chromium_executable()


def test_playwright_asks_for_playwrights_own_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CHROMIUM_VARIABLE, "playwright")
    assert chromium_executable() is None


def test_without_the_variable_debians_chromium_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CHROMIUM_VARIABLE, raising=False)
    assert chromium_executable() == (str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.exists() else None)
