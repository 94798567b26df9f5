"""Under `mkdocs serve`: the study pages and per-study downloads already written stay in place.

Before every build MkDocs empties the whole site folder, then writes every file again: at 1,000
studies some 2,000 files in 1,000 folders, nearly all identical to what was there. Under serve the
folders that hold them are moved aside before MkDocs empties the site and moved back after; a file
whose content is the one the last complete build wrote there is not written again, and after the
build every file there that the build did not make is deleted. After a failed build nothing is
assumed: the next one writes everything.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files


class Placed(File):
    """A file that is not written again when the same content is already at its address."""

    already_there: bool = False

    def copy_file(self, dirty: bool = False) -> None:
        """Write the file, unless it is already there."""
        if not self.already_there:
            super().copy_file(dirty)


def generated(config: MkDocsConfig, path: str, content: str) -> Placed:
    """A generated file (MkDocs's File.generated) that is not written again when already there."""
    file = Placed.generated(config, path, content=content)
    assert isinstance(file, Placed)
    return file


class KeptFolders:
    """Site folders (relative paths) kept across builds, with what the last complete build wrote there."""

    def __init__(self, folders: tuple[str, ...]) -> None:
        self._folders = folders
        self._on_disk: dict[str, str] = {}  # address -> digest of the content written there
        self._writing: dict[str, str] = {}
        self._aside: Path | None = None

    def set_aside(self, site_dir: str) -> None:
        """Before MkDocs empties the site folder: move the kept folders out of it."""
        self._writing = {}
        if not self._on_disk:
            return
        self._aside = Path(tempfile.mkdtemp(prefix="surveysite-kept-", dir=Path(site_dir).parent))
        for folder in self._folders:
            if Path(site_dir, folder).is_dir():
                (self._aside / folder).parent.mkdir(parents=True, exist_ok=True)
                Path(site_dir, folder).rename(self._aside / folder)

    def put_back(self, site_dir: str) -> None:
        """After MkDocs emptied the site folder: move the kept folders back."""
        if self._aside is None:
            return
        for folder in self._folders:
            if (self._aside / folder).is_dir():
                Path(site_dir, folder).parent.mkdir(parents=True, exist_ok=True)
                (self._aside / folder).rename(Path(site_dir, folder))
        shutil.rmtree(self._aside, ignore_errors=True)
        self._aside = None

    def place(self, file: Placed, content_digest: str) -> Placed:
        """Note what a file in a kept folder holds (a digest of it); not written if already there."""
        if file.dest_uri.startswith(tuple(f"{folder}/" for folder in self._folders)):
            self._writing[file.dest_uri] = content_digest
            file.already_there = self._on_disk.get(file.dest_uri) == content_digest
        return file

    def finish(self, site_dir: str, files: Files) -> None:
        """After a complete build: delete what it did not make from the kept folders, note what is there."""
        made = {os.path.normpath(file.abs_dest_path) for file in files}
        for folder in self._folders:
            for root, _, names in os.walk(Path(site_dir, folder), topdown=False):
                for name in names:
                    path = os.path.normpath(os.path.join(root, name))
                    if path not in made:
                        os.unlink(path)
                if not os.listdir(root):
                    os.rmdir(root)
        self._on_disk, self._writing = self._writing, {}

    def failed(self) -> None:
        """After a failed build nothing in the site folder is trusted."""
        self._on_disk, self._writing = {}, {}
        if self._aside is not None:
            shutil.rmtree(self._aside, ignore_errors=True)
            self._aside = None
