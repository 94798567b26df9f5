"""Shared fixtures: a copy of the mini survey that a test may change file by file."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from surveysite.build import Project, check

ROOT = Path(__file__).resolve().parent.parent
# The browser tests drive the Chromium this variable names, else Debian's; "playwright" asks for
# Playwright's own build, where one was installed by hand (nothing here downloads a browser).
CHROMIUM_VARIABLE = "SURVEYSITE_CHROMIUM"
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MINI = ROOT / "tests" / "fixtures" / "mini"

# A project's mkdocs.yml for the site of the mini survey at http://127.0.0.1:PORT/ (as serve runs it).
MKDOCS_YML = """\
site_name: Anything
site_url: http://127.0.0.1:{port}/
docs_dir: content/pages
strict: true
copyright: Version one
theme:
  name: material
  font: false
plugins:
  - search
  - surveysite
"""

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
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return Project.at(root)

    return make


def mini_copy(tmp_path: Path, mkdocs_yml: str) -> Path:
    """A copy of the mini survey in tmp_path/project, with this mkdocs.yml."""
    root = tmp_path / "project"
    shutil.copytree(MINI, root)
    (root / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    return root


def texts(files: Mapping[str, str | bytes]) -> dict[str, str]:
    """A site's files as text: the downloads joined from each study's rows are made as UTF-8 bytes (the
    CSV with a byte order mark, which is not part of its text)."""
    read = {}
    for name, text in files.items():  # (a mark anywhere else would be left in, and caught)
        encoding = "utf-8-sig" if name.endswith(".csv") else "utf-8"
        read[name] = text.decode(encoding) if isinstance(text, bytes) else text
    return read


def edit(project: Project, name: str, old: str, new: str) -> None:
    """Replace text in one of a test project's files (the text must be there)."""
    path = project.root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def messages(project: Project) -> list[str]:
    """The `path:line: message` lines `surveysite check` would print."""
    return [str(p) for p in check(project)]


@pytest.fixture(scope="session", autouse=True)
def own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests, and the builds they start, keep their caches apart from the user's."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


def free_port() -> int:
    """A free local port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def strict_build(project: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of a project into `out`, with these environment variables besides, as
    it ended (whether it failed is the caller's to judge)."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )


def mkdocs_build(project: Path, out: Path, port: int) -> str:
    """Build a project's site with `mkdocs build --strict` for http://127.0.0.1:PORT/; MkDocs's output."""
    result = strict_build(project, out, SITE_URL=f"http://127.0.0.1:{port}/")
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


@pytest.fixture(scope="session")
def site_port() -> int:
    """The port the real site is built for, as Material's instant navigation needs."""
    return free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, site_port: int) -> tuple[Path, str]:
    """The real site built once with `mkdocs build --strict`: its folder and MkDocs's output."""
    out = tmp_path_factory.mktemp("site")
    return out, mkdocs_build(ROOT, out, site_port)


def chromium_executable() -> str | None:
    """The Chromium executable the browser tests drive; None means Playwright's own build."""
    named = os.environ.get(CHROMIUM_VARIABLE, "").strip()
    if named == "playwright":
        return None
    if named:
        if not Path(named).is_file():
            pytest.fail(f"{CHROMIUM_VARIABLE}={named}: no such file; name a Chromium executable")
        return named
    return str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.exists() else None


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Chromium through Playwright; without one the browser tests fail (never skip), saying how to get it."""
    executable = chromium_executable()
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            pytest.fail(
                f"no Chromium to run the browser tests ({error.message.splitlines()[0]}). Install Debian's "
                f"(apt-get install -y chromium) or set {CHROMIUM_VARIABLE} to a Chromium executable"
            )
        yield launched
        launched.close()


@pytest.fixture
def children_ignored() -> Iterator[None]:
    """SIGCHLD ignored, as a parent process (a supervisor, a CI wrapper) may leave it for its children:
    the kernel then reaps them itself, and waiting for one finds none."""
    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGCHLD, before)


def marker_sums(data: bytes) -> bytes:
    """An output folder's marker with each file's size and CRC-32 alone: the times it gives differ from
    one folder to another that holds the same (see output.Record)."""
    head, _, rest = data.partition(b"\n")
    try:
        listed = json.loads(rest)
    except (ValueError, RecursionError):  # (a marker damaged on purpose, or empty)
        return data
    if not isinstance(listed, dict):
        return data
    sums = {name: record[:2] for name, record in listed.items()}
    return head + b"\n" + json.dumps(sums, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
