"""The study pages and per-study downloads already written stay in the site folder from build to build.

Before every build MkDocs empties the whole site folder, then writes every file again: at 10,000
studies some 20,000 files in 10,000 folders, nearly all identical to what was there (half of a
10,000-study `mkdocs build` after one edit went to emptying the folder and writing them back).
Instead the folders that hold them are moved aside (into a hidden folder of the site folder, which
MkDocs leaves alone) before MkDocs empties the site and moved back after; a file whose content is
the one the last complete build wrote there, still of the size and time it had then, is not written
again, and after the build every file there that the build did not make is deleted.

Under serve the record of what the last build wrote is kept in memory; after a `mkdocs build` whose
study pages may be reused (see serve_pages.reusable_across_builds) it is kept in the user's cache
folder, beside the Memo, for the next build into the same site folder (one record for each of the
last few site folders built into: see cache.folder_record), where anyone may have written between
the two builds: there a file's size and time are trusted only once its time is RACY_NS older than
when they were read (as the stamp of `surveysite pages` trusts them), and one the last build wrote
in its final seconds is written again. After a failed build nothing is assumed: the next one writes
everything.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import shutil
import stat
import tempfile
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from .cache import CODE_VERSION, folder_record, prune_records, read_checked, write_checked
from .output import RACY_NS, clock_of

_FORMAT = "surveysite-site/1"
_KIND = "site.pickle"  # the record's kind, as folder_record names it
_ASIDE = ".surveysite-kept-"  # the folders set aside, in the site folder: MkDocs empties all but hidden ones
# What a file in a kept folder held when the last build ended: the key of its content, its size and time.
Written = tuple[str, int, int]


class Placed(File):
    """A file that is not written again when the same content is already at its address."""

    already_there: bool = False

    def copy_file(self, dirty: bool = False) -> None:
        """Write the file, unless it is already there."""
        if not self.already_there:
            super().copy_file(dirty)


def generated(config: MkDocsConfig, path: str, content: str | bytes) -> Placed:
    """A generated file (MkDocs's File.generated) that is not written again when already there."""
    file = Placed.generated(config, path, content=content)
    assert isinstance(file, Placed)
    return file


class KeptFolders:
    """Site folders (relative paths) kept across builds, with what the last complete build wrote there."""

    def __init__(
        self, folders: tuple[str, ...], written: dict[str, Written] | None = None, lasting: bool = False
    ) -> None:
        """`lasting`: the record outlives this process (a build's, see save), and with it the site
        folder may be written by anyone between two builds; under serve only this process writes the
        site folder it made, and what it last wrote there is all trusted."""
        self._folders = folders
        self._usable = folders  # those that are folders of the site folder's own (see set_aside)
        self._lasting = lasting
        self._on_disk: dict[str, Written] = written or {}  # address -> what the last build left there
        self._writing: dict[str, str] = {}  # address -> the key of the content this build puts there
        self._trusted: set[str] = set()  # the addresses this build leaves as they are
        self._site_dir = ""
        self._aside: Path | None = None

    def set_aside(self, site_dir: str) -> None:
        """Before MkDocs empties the site folder: move the kept folders out of it."""
        self._writing, self._trusted = {}, set()
        self._site_dir = site_dir
        remove_aside(site_dir)  # left by a build that was stopped half-way
        # A kept folder reached through a link (the site's `studies` linked to a folder elsewhere) is
        # not the site's own: nothing in it is kept, trusted or deleted (MkDocs writes through it).
        self._usable = tuple(folder for folder in self._folders if not _linked(site_dir, folder))
        if not self._on_disk or not Path(site_dir).is_dir():
            self._on_disk = {}
            return
        self._aside = Path(tempfile.mkdtemp(prefix=_ASIDE, dir=site_dir))
        for folder in self._usable:
            if Path(site_dir, folder).is_dir():
                (self._aside / folder).parent.mkdir(parents=True, exist_ok=True)
                Path(site_dir, folder).rename(self._aside / folder)

    def put_back(self, site_dir: str) -> None:
        """After MkDocs emptied the site folder: move the kept folders back."""
        if self._aside is None:
            return
        for folder in self._usable:
            if (self._aside / folder).is_dir():
                Path(site_dir, folder).parent.mkdir(parents=True, exist_ok=True)
                (self._aside / folder).rename(Path(site_dir, folder))
        shutil.rmtree(self._aside, ignore_errors=True)
        self._aside = None

    def place(self, file: Placed, key: str | Callable[[], str]) -> Placed:
        """Note what a file in a kept folder holds (`key`: a digest of it, or what makes one, asked only
        for a file in a kept folder); not written if already there."""
        if self._kept(file.dest_uri):
            key = key if isinstance(key, str) else key()
            self._writing[file.dest_uri] = key
            file.already_there = self._there(file.dest_uri, key)
            if file.already_there:
                self._trusted.add(file.dest_uri)
        return file

    def make_way(self) -> None:
        """Before MkDocs writes: remove what stands at each address in the kept folders that this build
        writes anew, so that MkDocs makes a new file there, as it does in the folder it empties; not
        write through a link put there (to a file or folder elsewhere), nor into a file that another
        name shares (a copy of the site made with hard links, as `cp -al` and `rsync --link-dest` do)."""
        for address in self._writing.keys() - self._trusted:
            path = os.path.join(self._site_dir, address)
            parent = os.path.dirname(path)
            with contextlib.suppress(OSError):  # MkDocs then fails on it, with its own message
                if os.path.islink(parent):  # a study's folder linked elsewhere: the link goes
                    os.unlink(parent)
                elif os.path.lexists(path):
                    os.unlink(path)

    def note(self, address: str, key: str) -> None:
        """Note what a file in a kept folder that this build writes itself will hold (a page it builds)."""
        if self._kept(address):
            self._writing[address] = key

    def _kept(self, address: str) -> bool:
        """Whether a site address lies in one of the kept folders this build uses."""
        return address.startswith(tuple(f"{folder}/" for folder in self._usable))

    def _there(self, address: str, key: str) -> bool:
        """Whether the last build left this content at the address, and the file still has the size and
        time it had then (the same regular file, not a link put there since)."""
        last = self._on_disk.get(address)
        if last is None or last[0] != key:
            return False
        path = os.path.join(self._site_dir, address)
        try:
            status = os.lstat(path)
        except OSError:
            return False
        if os.path.islink(os.path.dirname(path)):  # its folder linked elsewhere since
            return False
        return stat.S_ISREG(status.st_mode) and (status.st_size, status.st_mtime_ns) == last[1:]

    def finish(self, site_dir: str, files: Files) -> None:
        """After a complete build: delete what it did not write from the kept folders (a file MkDocs
        leaves out, excluded or a draft, among it), note what is there (each file's size and time, when
        old enough to tell a rewrite by: see RACY_NS)."""
        served = InclusionLevel.is_included if self._lasting else InclusionLevel.is_in_serve
        # By address in the site folder (a file's dest_uri, made already; its absolute path was not):
        # at 10,000 studies, 30,000 paths joined and normalised took a tenth of a second.
        kept = tuple(f"{folder}/" for folder in self._usable)
        made = {
            posixpath.normpath(file.dest_uri)
            for file in files
            if file.dest_uri.startswith(kept) and served(file.inclusion)
        }
        for folder in self._usable:
            if not _linked(site_dir, folder):
                _remove_unmade(os.path.join(site_dir, folder), folder, made)
        settled = clock_of(Path(site_dir)) - RACY_NS if self._lasting else None  # before any time is read
        last, self._on_disk = self._on_disk, {}
        for address, key in self._writing.items():
            if address in self._trusted and address in made:  # left as it was, its size and time
                self._on_disk[address] = last[address]  # checked (see place): not read again (20,000
                continue  # files at 10,000 studies)
            try:
                status = os.lstat(os.path.join(site_dir, address))
            except OSError:
                continue
            if stat.S_ISREG(status.st_mode) and (settled is None or status.st_mtime_ns <= settled):
                self._on_disk[address] = (key, status.st_size, status.st_mtime_ns)
        self._writing = {}

    def failed(self) -> None:
        """After a failed build nothing in the site folder is trusted."""
        self._on_disk, self._writing = {}, {}
        if self._aside is not None:
            shutil.rmtree(self._aside, ignore_errors=True)
            self._aside = None

    def save(self, root: Path, site_dir: str) -> None:
        """Keep the record of what is in the kept folders of `site_dir` for the next `mkdocs build` of
        the project at `root` into that folder (see load)."""
        record = site_file(root, site_dir)
        write_checked(record, (_FORMAT, CODE_VERSION, os.path.realpath(site_dir), self._on_disk))
        if record.exists():  # written (a record that cannot be written is only a slower next build)
            prune_records(record, _KIND, ("site.pickle",))  # and the one record of earlier versions

    @classmethod
    def load(cls, folders: tuple[str, ...], root: Path, site_dir: str) -> KeptFolders:
        """The folders as the last `mkdocs build` of the project at `root` into `site_dir` left them,
        if it ran the same code; else with nothing known of them. The record is used once: a build
        that fails or stops half-way leaves none for its folder, and the next one there writes all."""
        path = site_file(root, site_dir)
        kept = read_checked(path)
        try:
            path.unlink(missing_ok=True)
        except OSError:  # a record that cannot be removed could outlive a failed build: not used
            return cls(folders, lasting=True)
        if (
            isinstance(kept, tuple)
            and len(kept) == 4
            and kept[:3] == (_FORMAT, CODE_VERSION, os.path.realpath(site_dir))
            and isinstance(kept[3], dict)
        ):
            return cls(folders, kept[3], lasting=True)
        return cls(folders, lasting=True)


def site_file(root: Path, site_dir: str) -> Path:
    """Where `mkdocs build` keeps the record of the kept folders of the project at `root` in the site
    folder `site_dir`, beside its Memo (one for each site folder: see cache.folder_record)."""
    return folder_record(root, site_dir, _KIND)


def _remove_unmade(path: str, address: str, made: AbstractSet[str]) -> bool:
    """Delete every file below the folder at `path` (the site address `address`) whose address is not
    in `made`, and every folder left empty, this one included; whether it was. As os.walk gives them
    (what this replaces, with a listing of each folder after: 10,000 folders at 10,000 studies, half a
    second), a link to a folder is left as it is and not followed; a link to a file is a file."""
    try:
        with os.scandir(path) as listing:
            entries = list(listing)
    except OSError:  # gone, or not a folder: nothing of it to delete
        return False
    left = len(entries)
    for entry in entries:
        below = f"{address}/{entry.name}"
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        if is_folder:
            if not entry.is_symlink() and _remove_unmade(entry.path, below, made):
                left -= 1
        elif below not in made:
            with contextlib.suppress(OSError):  # left, as MkDocs leaves what it cannot remove
                os.unlink(entry.path)
                left -= 1
    if left:
        return False
    try:
        os.rmdir(path)
    except OSError:
        return False
    return True


def _linked(site_dir: str, folder: str) -> bool:
    """Whether the site folder's `folder` (a relative path), or a folder on the way to it, is a link or
    anything but a folder."""
    path = site_dir
    for part in folder.split("/"):
        path = os.path.join(path, part)
        if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
            return True
    return False


def remove_aside(site_dir: str) -> None:
    """Remove what a build stopped half-way left set aside in the site folder."""
    try:
        names = os.listdir(site_dir)
    except OSError:
        return
    for name in names:
        if name.startswith(_ASIDE):
            shutil.rmtree(os.path.join(site_dir, name), ignore_errors=True)
