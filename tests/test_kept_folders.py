"""What a build deletes from the site folders it keeps in place (serve_site.KeptFolders.finish): the
files it did not make and the folders left empty, never what a link leads to."""

from __future__ import annotations

import os
from pathlib import Path

from surveysite.serve_site import _remove_unmade


def tree(top: Path) -> list[str]:
    """Every entry below `top`, links not followed, as paths relative to it (folders end in '/')."""
    found = []
    for root, folders, files in os.walk(top):
        base = Path(root).relative_to(top)
        found += [f"{(base / name).as_posix()}/" for name in folders]
        found += [(base / name).as_posix() for name in files]
    return sorted(found)


def test_what_the_build_did_not_make_goes_and_what_a_link_leads_to_stays(tmp_path: Path) -> None:
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    (elsewhere / "inside").mkdir(parents=True)
    (elsewhere / "inside" / "mine.txt").write_text("the user's", encoding="utf-8")
    (elsewhere / "notes.txt").write_text("the user's", encoding="utf-8")
    studies = site / "studies"
    for key in ("a", "b", "gone"):
        (studies / key).mkdir(parents=True)
        (studies / key / "index.html").write_text(key, encoding="utf-8")
    (studies / "a" / "stray.html").write_text("left by hand", encoding="utf-8")
    (studies / "gone" / "deeper").mkdir()
    (studies / "gone" / "deeper" / "old.html").write_text("old", encoding="utf-8")
    (studies / "empty").mkdir()
    (studies / "linked").symlink_to(elsewhere / "inside", target_is_directory=True)
    (studies / "b" / "link.html").symlink_to(elsewhere / "notes.txt")
    (studies / "b" / "broken.html").symlink_to(tmp_path / "nowhere")
    made = {"studies/a/index.html", "studies/b/index.html"}
    assert _remove_unmade(str(studies), "studies", made) is False  # a link to a folder stays in it
    assert tree(studies) == ["a/", "a/index.html", "b/", "b/index.html", "linked/"]
    assert tree(elsewhere) == ["inside/", "inside/mine.txt", "notes.txt"]  # never followed
    (studies / "linked").unlink()
    assert _remove_unmade(str(studies), "studies", set()) is True  # nothing made: the folder goes
    assert not studies.exists() and site.is_dir()
    assert _remove_unmade(str(studies), "studies", set()) is False  # no folder: nothing to do
