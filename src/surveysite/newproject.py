"""`surveysite init`: write a new survey project, from the files in defaults/project, into a new folder
(or one that holds none of its files, such as a git checkout just made)."""

from __future__ import annotations

import contextlib
import datetime
import json
import re
import uuid
from pathlib import Path
from typing import Any

from .files import has_forbidden_character
from .issueform import FORM_PATH, write_issue_form
from .markdown import heading_text
from .rendered import TAG_START
from .resources import PROJECT

# Package data keeps no dot-files reliably: they are stored as dot-NAME and written as .NAME.
DOT_PREFIX = "dot-"
EXECUTABLE = ("scripts/site", "scripts/test")
_TOKEN = re.compile(r"@@[A-Z_]+@@")


class InitError(Exception):
    """The project cannot be written; the message says why and what to do."""


def project_files(title: str, requirement: str, today: datetime.date, feed_id: str = "") -> dict[str, str]:
    """Every file of a new project by its path, with the title, requirement, date and the Atom feed's
    id (a new urn:uuid unless given) filled in."""
    values = {
        "@@FEED_ID@@": feed_id or f"urn:uuid:{uuid.uuid4()}",
        "@@TITLE_YAML@@": json.dumps(title, ensure_ascii=False),  # a JSON string is a YAML string
        # Inert: a title's '<', '*' or '[' is text, never markup; a last '#' too, which ends a heading.
        "@@TITLE_MARKDOWN@@": heading_text(title),
        "@@REQUIREMENT@@": requirement,
        "@@TODAY@@": today.isoformat(),
    }
    files = {}
    for source in sorted(PROJECT.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        parts = source.relative_to(PROJECT).parts
        path = "/".join("." + p[len(DOT_PREFIX) :] if p.startswith(DOT_PREFIX) else p for p in parts)
        text = source.read_text(encoding="utf-8")  # each token replaced once: a title may hold '@@TITLE@@'
        files[path] = _TOKEN.sub(lambda found: values.get(found.group(), found.group()), text)
    return files


# What a repository made on GitHub may hold already, which init writes too: the user's README is kept
# (init's is not written), and init's ignore and attribute lines are added to the user's files.
KEPT_IF_THERE = ("README.md",)
JOINED_IF_THERE = (".gitignore", ".gitattributes")


# One requirement as requirements.txt holds it (PEP 508): a name, with extras, versions or an address
# ('name @ url'), and markers ('; python_version >= "3.11"'); or an archive's or repository's address,
# or a folder's path ('./x', '../x', '/x'). One line, and no pip option ('--index-url ...').
_VERSION = r"(?:===|==|~=|!=|>=|<=|<|>)[ \t]*[A-Za-z0-9.*+!_-]+"
REQUIREMENT = re.compile(
    rf"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:[ \t]*\[[A-Za-z0-9._, \t-]*\])?"
    rf"(?:[ \t]*@[ \t]*[^\s;]+|[ \t]*{_VERSION}(?:[ \t]*,[ \t]*{_VERSION})*)?"
    r"(?:[ \t]*;[ \t]*[A-Za-z_][A-Za-z0-9_.]*[ \t]*(?:[<>=!~]=?|===|in|not in)[^\n\r]*)?"
    r"|(?:git\+|hg\+|svn\+|bzr\+|https?://|file:)[^\s]+|\.{0,2}/[^\s]*"
)


def init_project(
    folder: Path, title: str, requirement: str, today: datetime.date
) -> tuple[list[str], list[str]]:
    """Write a new project into `folder` (see _check_room); returns the paths written, and those of the
    user's that were kept (KEPT_IF_THERE) or that init's lines were added to (JOINED_IF_THERE)."""
    title = " ".join(title.split())
    if not title:
        raise InitError('the title is empty; give one with --title "Your Survey"')
    for name, value in (("title", title), ("requirement", requirement)):
        if has_forbidden_character(value):  # a control character, or a byte the terminal could not decode
            raise InitError(f"the {name} holds a character no file of the project can carry; type it again")
    if not REQUIREMENT.fullmatch(requirement.strip()):
        # (a maintainer's trial wrote 'not a requirement !!', and a second line '--index-url ...', a pip
        # option the site's workflow would have obeyed: both were written as given)
        raise InitError(
            f"--requirement {requirement!r} is no requirement pip reads: give one, e.g. 'surveysite==0.1.0', "
            "'surveysite @ git+https://github.com/ORG/REPO' or a folder's path"
        )
    tag = TAG_START.search(title)
    if tag:  # the home page's heading shows it: a hand-written page may not start a tag (see rendered.py)
        raise InitError(
            f"the title holds '{tag.group()}', which a page would read as the start of an HTML tag; "
            "leave out the '<' or put a space after it"
        )
    files = project_files(title, requirement, today)
    theirs = [p for p in (*KEPT_IF_THERE, *JOINED_IF_THERE) if _regular_file(folder / p)]
    _check_room(folder, [p for p in (*files, FORM_PATH) if p not in theirs])
    joined = {p: _joined(folder / p, files[p]) for p in theirs if p in JOINED_IF_THERE}  # (before any write)
    # What this run made, and the user's files it added lines to, as they were: all taken back if a
    # write fails (a data-safety trial's read-only content/ left README.md, CONTRIBUTING.md and
    # bib/studies.bib, and a second init refused them as the user's), or the run is interrupted.
    made: list[Path] = []
    before: dict[Path, bytes] = {}
    form = folder / FORM_PATH
    try:
        for path, text in files.items():
            target = folder / path
            if path in theirs:
                if (added := joined.get(path)) is not None:
                    before[target] = target.read_bytes()
                    target.write_text(added, encoding="utf-8")
                continue
            _make_folders(target.parent, made)
            made.append(target)
            target.write_text(text, encoding="utf-8")
            if path in EXECUTABLE:
                target.chmod(0o755)
        _make_folders(form.parent, made)
        made.append(form)
        problems = write_issue_form(folder)  # generated from the example taxonomy, like every later one
    except BaseException:
        for target in reversed(made):
            with contextlib.suppress(OSError):
                target.rmdir() if target.is_dir() and not target.is_symlink() else target.unlink(
                    missing_ok=True
                )
        for target, data in before.items():
            target.write_bytes(data)
        raise
    if problems:  # the packaged example is broken: a bug, not bad input
        raise AssertionError(f"the example project has problems: {problems}")
    return sorted(p for p in (*files, FORM_PATH) if p not in theirs), theirs


def _make_folders(folder: Path, made: list[Path]) -> None:
    """Make a folder and those above it that do not exist, each added to `made` as it is made."""
    missing = []
    while not folder.exists() and not folder.is_symlink():
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        each.mkdir()
        made.append(each)


def _regular_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _joined(path: Path, ours: str) -> str | None:
    """The user's file with the lines of ours it lacks added after what it holds (nothing of theirs
    changed), or None when it lacks none. A line is lacking when its pattern (its first word) is in
    none of theirs: in .gitattributes a later line wins, and a user's '*.bib -text' was overridden
    (a review). Raises InitError for a file that is not UTF-8 (a review's stopped init halfway)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InitError(
            f"{path} is not UTF-8; save it as UTF-8, or move it away (nothing was written)"
        ) from None
    patterns = {line.split()[0] for line in text.splitlines() if line.split()}
    missing = [line for line in ours.splitlines() if line.split() and not line.startswith("#")
               and line.split()[0] not in patterns]  # fmt: skip
    if not missing:
        return None
    end = "" if not text or text.endswith("\n") else "\n"
    return f"{text}{end}\n# Added by surveysite init\n" + "\n".join(missing) + "\n"


def _check_room(folder: Path, paths: list[str]) -> None:
    """Raise InitError unless every path can be written into `folder` without replacing anything: a
    new folder, an empty one, or one holding other things only (a git checkout just made, with its
    .git/ and LICENSE). A folder on the way must be a folder, not a link to one elsewhere."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise InitError(f"{folder} is not a folder; choose a new folder (nothing was written)")
    taken = set()
    for path in paths:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            here = folder.joinpath(*parts[:depth])
            last = depth == len(parts)
            if here.is_symlink() or (here.exists() and (last or not here.is_dir())):
                taken.add("/".join(parts[:depth]))
                break
            if not here.exists():
                break
    if {"mkdocs.yml", "content/survey.yaml"} <= taken:
        raise InitError(f"{folder} holds a survey project already; choose a new folder (nothing was written)")
    if taken:
        named = sorted(taken)
        shown = ", ".join(named[:NAMED]) + (f" and {len(named) - NAMED} more" if len(named) > NAMED else "")
        them = "them" if len(named) > 1 else "it"
        raise InitError(
            f"{folder} already holds {shown}, which init writes; move {them} away or choose a new folder "
            "(nothing was written)"
        )


NAMED = 5  # the files in init's way named, at most (a trial was told of one 'and 1 more')


def default_requirement() -> tuple[str, str]:
    """How the new project's requirements.txt asks for surveysite: where this copy came from, if it can
    be; and that place when no one else can install from it (a folder on this machine), else ''."""
    from importlib import metadata  # only here: importing it took 11 ms of every command's start

    try:
        distribution = metadata.distribution("surveysite")
    except metadata.PackageNotFoundError:
        return "surveysite", ""
    direct_url = distribution.read_text("direct_url.json")
    return requirement_from(direct_url, distribution.version), private_source(direct_url)


def requirement_from(direct_url: str | None, version: str) -> str:
    """A requirement line from pip's record of where a package came from (PEP 610), if that is public."""
    source = json.loads(direct_url) if direct_url else {}
    url, vcs = str(source.get("url", "")), source.get("vcs_info") or {}
    if _public_git(url, vcs):
        return f"surveysite @ {url if url.startswith('git+') else 'git+' + url}@{vcs['commit_id']}"
    return f"surveysite=={version}"


def private_source(direct_url: str | None) -> str:
    """Where pip installed this copy from, when that is a place others cannot install from (a folder or
    file of this machine: a file: URL); '' otherwise (a package index, a git or web address)."""
    source = json.loads(direct_url) if direct_url else {}
    url = str(source.get("url", ""))
    return url if url.startswith("file:") else ""


def _public_git(url: str, vcs: Any) -> bool:
    return bool(vcs) and vcs.get("vcs") == "git" and url.startswith(("https://", "git+https://"))
