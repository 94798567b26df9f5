"""A whole run of `pages` or `export` skipped, make-style, when nothing it reads or wrote has changed.

The stamp of a run is one digest over the code (cache.CODE_VERSION: every file of this package and
the versions of the shaping libraries), the command and every option that changes its output, and
the path and bytes of every file the run reads: bib/, content/ (survey.yaml, taxonomy.yaml,
studies/, pages/), the templates folder and, for `export`, mkdocs.yml with the docs_dir and
theme.custom_dir it names. The names count too: a file added or removed changes the stamp.

After a successful run the stamp is kept in the user's cache folder, beside the Memo (never in the
project), as a small file with the manifest of the output folder as written: each file's path,
size and modification time, and for each study page, RIS record, joined download and table data file
the key its text was made under. The next run with the same stamp, finding exactly those files in
the output folder, writes nothing and loads nothing. A run with another stamp (after an edit) trusts
such a file whose key is the same and whose size and time are as recorded, without reading it (see
`trusted`, render._compared).

The stamp file also keeps each input file's status (size, modification and change times, inode) and
the digest of its bytes, as git's index does. The next stamp reads again only a file whose status
differs, and takes the recorded digest of every other one; the run then loads a study file whose
digest the cache knows without reading it either (see `Inputs.digests`). Only a file whose times
were old enough to tell a rewrite when it was hashed is recorded (see _RACY_NS), by the clock of the
file system that holds the output folder, and only a file on that file system (see input_clock): a
file changed in the same tick of the file system's clock as it was read is read again by the next run.
Anything unexpected among the inputs (a link, a special file, an unreadable or oversized file, one
read short of its size) or in the stamp file means no shortcut: the full run then reports or repairs
it. A file changed back to its old bytes while a run reads it can go unnoticed, as with make.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import time
import zlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cache
from .build import Project, site_directory_urls
from .export import own_folders, read_project_config, with_plugin_options
from .output import (
    MARKER,
    RACY_NS,
    READ_NO_WAIT,
    Seen,
    Tree,
    clock_and_device,
    folders_of,
    ours,
    read_whole,
    tree,
)
from .problems import DataError, Location, Problem
from .siteconfig import CONFIG_FILE

MAX_INPUT_BYTES = 20_000_000  # the largest file any loader accepts (a .bib file); a larger one fails the run
_FORMAT = "surveysite-stamp/5"  # 5: with what the run warned of
Manifest = dict[str, Seen]  # an output file's path: (size, st_mtime_ns)
_FIELDS = {"format", "code", "stamp", "out", "files", "folders", "keys", "inputs", "warned"}
# An input file as the stamp saw it: size, st_mtime_ns, st_ctime_ns, st_ino, the digest of its bytes.
Status = tuple[int, int, int, int]
InputSeen = tuple[int, int, int, int, str]
# A key is recorded only for a file this much older than when the times were read (see output.RACY_NS):
# one written by the last run is read once more, by the next.
_RACY_NS = RACY_NS


def now_in(out: Path | None) -> int:
    """The time now, for telling how old the files in the output folder `out` will be (time.time_ns()):
    the earlier of this machine's clock and the one that stamps files there (see output.clock_of), read
    in the folder itself once an earlier run wrote it, else in the folder that holds it, where
    write_tree stages a new one."""
    return _clock(out)[0]


def _clock(out: Path | None) -> tuple[int, int | None]:
    """now_in(out), and the file system (st_dev) of the file the time was read off (None: unknown)."""
    if out is None:
        return time.time_ns(), None
    return clock_and_device(out if ours(out) else out.parent)


@dataclass(frozen=True)
class Run:
    """What a `pages` or `export` run makes its output from, besides the code: options and inputs."""

    root: Path
    command: str
    out: Path
    options: tuple[str, ...]
    files: tuple[Path, ...]
    folders: tuple[Path, ...]

    def covers(self, path: Path) -> bool:
        """Whether the stamp reads this path: one of its files, or in or below one of its folders."""
        return path in self.files or any(path == f or path.is_relative_to(f) for f in self.folders)


def planned_run(project: Project, command: str, out: Path) -> Run | None:
    """The inputs and options of a run of `command` ('pages' or 'export') into `out`; None when
    export's mkdocs.yml or a folder it names cannot be used (the full run reports why). Of mkdocs.yml,
    a pages run counts only whether the site has directory URLs, which decides where a link written as
    a folder leads (see sitelinks.check_links): 2 ms to read."""
    files: tuple[Path, ...] = ()
    folders = [project.bib, project.content]
    if command == "export":
        try:
            config = read_project_config(project)
            project = with_plugin_options(project, config)
            folders += own_folders(project, config)
        except DataError:
            return None
        files = (project.root / CONFIG_FILE,)
    urls = (
        "" if command == "export" else str(site_directory_urls(project.root))
    )  # (see sitelinks.check_links)
    options = (command, str(out.resolve()), str(project.templates), project.edit_url or "", urls)
    return Run(project.root, command, out, options, files, (*folders, project.templates))


@dataclass(frozen=True)
class Inputs:
    """What a run's stamp was made from: the stamp, each input file as it was hashed (its path, as the
    loaders name it, to its status and the digest of its bytes), the time before any was read (None
    when unknown), and the files that lie on another file system than the clock that told it."""

    stamp: str
    files: dict[str, InputSeen]
    began: int | None = None
    foreign: frozenset[str] = frozenset()

    def digests(self) -> dict[str, str]:
        """Each input file's path and the digest of its bytes (cache.content_digest)."""
        return {path: seen[4] for path, seen in self.files.items()}


def stamp_of(run: Run) -> str | None:
    """The digest of the code, the run's options and every input file; None on any surprise."""
    inputs = hashed_inputs(run)
    return None if inputs is None else inputs.stamp


def hashed_inputs(
    run: Run, last: dict[str, Any] | None = None, began: int | None = None, device: int | None = None
) -> Inputs | None:
    """The run's stamp and what it read (see stamp_of); None on any surprise. A file whose status is
    the one the last run recorded (`last`, from last_run) is not read: its recorded digest stands
    for its bytes. `began`, `device`: the time now by the clock of the file system `device`, as
    input_clock gives them (without them, no file's status is recorded: see record)."""
    walk = _Walk({} if last is None else last["inputs"], device)
    hasher = walk.hasher
    for part in (_FORMAT, cache.CODE_VERSION, sys.version, str(run.root), *run.options):
        _add(hasher, part.encode("utf-8", "surrogatepass"))
    for path in run.files:
        if not walk.add_file(os.fsencode(path), None):
            return None
    for folder in map(os.fsencode, run.folders):
        _add(hasher, folder)
        try:
            mode = os.lstat(folder).st_mode
        except FileNotFoundError:
            _add(hasher, b"absent")
            continue
        except OSError:
            return None
        if not stat.S_ISDIR(mode) or not walk.add_tree(folder, b""):
            return None
    return Inputs(hasher.hexdigest(), walk.files, began, frozenset(walk.foreign))


def input_clock(run: Run) -> tuple[int, int | None]:
    """The time now by the clock now_in reads for the run's output folder, and the file system (st_dev)
    of the file it was read off, None if none could be made there (the time is then this machine's
    alone). An input file's status is recorded only when the file lies on that file system, whose
    clock stamped it then (a review found a project on a network file system whose clock lags this
    machine's, written into an output folder on a local disk: a file just written there looked old
    enough to trust by its times). An output folder on another file system than the project (a
    RAM disk, another disk) thus means every input file is read by every run, as before."""
    return _clock(run.out)


def _add(hasher: Any, part: bytes) -> None:
    hasher.update(len(part).to_bytes(8, "little"))
    hasher.update(part)


class _Walk:
    """The stamp's hasher, fed every input file's path and digest in order, and what it saw of each."""

    def __init__(self, known: dict[str, InputSeen], device: int | None = None) -> None:
        self.hasher = hashlib.blake2b(digest_size=32, person=b"surveysite-run")
        self.known = known  # the last run's record: path to (size, mtime, ctime, inode, digest)
        self.files: dict[str, InputSeen] = {}
        self.device = device  # the file system whose clock told the time the walk began
        self.foreign: set[str] = set()  # the files that lie on another file system

    def add_file(self, path: bytes, status: os.stat_result | None) -> bool:
        """Add a file's path and digest (or its absence); False if it is not a regular file, is too big
        or cannot be read. `status`: its lstat, when the caller has it; a file with the status the last
        run recorded is not read. (A file changed while it is read gives a stamp no later run matches.)"""
        _add(self.hasher, path)
        name = os.fsdecode(path)
        if status is not None:
            was = self.known.get(name)
            now = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
            if was is not None and was[:4] == now and stat.S_ISREG(status.st_mode):
                if status.st_dev != self.device:
                    self.foreign.add(name)
                self.files[name] = was
                _add(self.hasher, was[4].encode())
                return True
        try:
            descriptor = os.open(path, READ_NO_WAIT)
        except FileNotFoundError:
            _add(self.hasher, b"absent")
            return True
        except OSError:
            return False
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_INPUT_BYTES:
                return False
            data = read_whole(descriptor, status.st_size + 1)  # os.read may return less
        except OSError:
            return False
        finally:
            os.close(descriptor)
        if len(data) != status.st_size:  # changed while it was read (a review found a short read taken whole)
            return False
        if status.st_dev != self.device:
            self.foreign.add(name)
        found = cache.content_digest(data)
        self.files[name] = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, found)
        _add(self.hasher, found.encode())
        return True

    def add_tree(self, folder: bytes, prefix: bytes) -> bool:
        """Add every name and file below a folder, in order; False on a link, special or unreadable file."""
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            return False
        for entry in entries:
            if entry.is_symlink():
                return False
            if entry.is_dir(follow_symlinks=False):
                name = prefix + entry.name + b"/"
                _add(self.hasher, name)
                if not self.add_tree(entry.path, name):
                    return False
                continue
            if not entry.is_file(follow_symlinks=False):
                return False
            try:
                status = entry.stat(follow_symlinks=False)
            except OSError:
                return False
            if not self.add_file(entry.path, status):
                return False
        return True


def stamp_file(root: Path, command: str, out: Path) -> Path:
    """Where the stamp of the last successful run of `command` on the project at `root` into the
    output folder `out` is kept (one for each folder: see cache.folder_record)."""
    return cache.folder_record(root, out, f"{command}.stamp")


def last_run(run: Run) -> dict[str, Any] | None:
    """What the last successful run of this command on this project into this output folder kept
    (see record), if it ran the same code; else None. (Its stamp names the folder too: a stamp file
    of another folder's put in its place is not taken for this one's.)"""
    kept = _read_kept(stamp_file(run.root, run.command, run.out))
    if kept is None or kept["out"] != str(run.out.resolve()) or kept["code"] != cache.CODE_VERSION:
        return None
    return kept


def up_to_date(run: Run, stamp: str, last: dict[str, Any] | None) -> int | None:
    """How many files the last successful run (`last`, from last_run) wrote, if it had this stamp and
    the output folder holds them as written (same names, sizes and times, the marker among them, and
    their folders); else None. Files of the user's beside them are not the run's to count."""
    if last is None or last["stamp"] != stamp:
        return None
    # Each of its files and folders looked up by name: what else the folder holds is the user's (a site
    # built from an export, with its links), neither walked nor judged.
    # (Paths joined as strings: a Path for each of 20,000 files took twice as long as the walk did.)
    out = f"{run.out.resolve()}/"
    try:
        for name, seen in last["files"].items():
            status = os.lstat(out + name)
            if not stat.S_ISREG(status.st_mode) or (status.st_size, status.st_mtime_ns) != tuple(seen):
                return None
        if not all(stat.S_ISDIR(os.lstat(out + folder).st_mode) for folder in last["folders"]):
            return None
    except OSError:
        return None
    return len(last["files"]) - 1


def used(run: Run) -> None:
    """Note that a run found its output folder up to date, by the stamp file's time: the stamps kept
    are those of the folders used last, not only of those written last (see cache.prune_records)."""
    with contextlib.suppress(OSError):  # a stamp that cannot be touched is only the first to be let go
        os.utime(stamp_file(run.root, run.command, run.out))


def trusted(last: dict[str, Any] | None) -> dict[str, tuple[Seen, str]]:
    """Each file the last run (from last_run) recorded a key for: its size and time as recorded, and
    the key its text was made under. A run that would make a file under the same key again, finding
    it with that size and time, knows its bytes without reading them, as make does (the time was old
    enough to tell a rewrite: see _RACY_NS)."""
    if last is None:
        return {}
    files = last["files"]
    keys = last["keys"]
    return {name: ((files[name][0], files[name][1]), key) for name, key in keys.items() if name in files}


def record(
    run: Run,
    inputs: Inputs,
    own: Collection[str],
    left: Tree | None = None,
    keys: Mapping[str, str] | None = None,
    since: int | None = None,
    warned: Sequence[Problem] = (),
) -> None:
    """Keep the stamp of a run that just wrote its output (`inputs`, from hashed_inputs), with the
    manifest of its own files there (`own`: the names of those it wrote or kept, the marker among
    them; `left`: what write_tree said the output holds, when it knows, its times read after `since`
    (now_in); else the folder is walked) and the `keys` of the files it may trust (see trusted), each
    of a file whose time is not too recent to tell a rewrite (see _RACY_NS), and each input file's
    status and digest, of those whose times were not too recent when the stamp read them; a stamp
    that cannot be written only makes the next run a full one. `warned`: what the run warned of,
    which a run that finds nothing changed tells again (see kept_warnings)."""
    if left is None or since is None:
        since = now_in(run.out if keys else None)  # the folder's clock serves only the keys
        left = None
    files, folders = _listed(left) if left is not None else manifest(run.out) or ({}, [])
    if MARKER not in files:
        return
    # The user's files beside the run's do not make the next run a full one, nor count.
    files = {name: seen for name, seen in files.items() if name in own}
    folders = sorted(folders_of(files))
    target = stamp_file(run.root, run.command, run.out)
    settled = since - _RACY_NS
    kept = {name: key for name, key in (keys or {}).items() if name in files and files[name][1] <= settled}
    out = str(run.out.resolve())
    seen: dict[str, InputSeen] = {}
    if inputs.began is not None:
        old_enough, foreign = inputs.began - _RACY_NS, inputs.foreign
        seen = {
            name: seen
            for name, seen in inputs.files.items()
            if max(seen[1], seen[2]) <= old_enough and name not in foreign
        }
    data = encoded({"format": _FORMAT, "code": cache.CODE_VERSION, "stamp": inputs.stamp, "out": out,
                    "files": files, "folders": folders, "keys": kept, "inputs": seen,
                    "warned": [(p.location.path, p.location.line, p.message) for p in warned]})  # fmt: skip
    if not cache.write_replacing(target, data):
        return
    # Of earlier versions: one stamp for all output folders, and before that one in JSON.
    cache.prune_records(target, f"{run.command}.stamp", (f"{run.command}.stamp", f"{run.command}.json"))


def kept_warnings(last: Mapping[str, Any]) -> list[Problem]:
    """What the run that kept `last` (see last_run) warned of (see record)."""
    return [Problem(Location(path, line), message, warning=True) for path, line, message in last["warned"]]


def manifest(out: Path) -> tuple[Manifest, list[str]] | None:
    """Each file below `out` with its size and modification time, and each folder, sorted; None if
    `out` is not a folder or holds anything but files and folders."""
    found = tree(out.resolve())
    return None if found is None else _listed(found)


def _listed(found: Tree) -> tuple[Manifest, list[str]]:
    """A folder's tree as the stamp file keeps it: its files by name, its folders sorted."""
    files, folders = found
    return dict(files), sorted(folders)


def encoded(kept: dict[str, Any]) -> bytes:
    """What a stamp file holds (see record): its values with marshal, which writes and reads them five
    times faster than JSON (0.03 s against 0.17 s for the 4 MB of 10,000 studies), after the CRC-32
    of those bytes, which tells a file cut short or damaged before anything is read from it."""
    payload = marshal.dumps(kept)
    return zlib.crc32(payload).to_bytes(4, "little") + payload


def decoded(data: bytes) -> Any:
    """The values `encoded` wrote (not yet validated: see _read_kept); None when the bytes are damaged."""
    head, payload = data[:4], data[4:]
    if len(head) != 4 or int.from_bytes(head, "little") != zlib.crc32(payload):
        return None
    try:
        return marshal.loads(payload)  # of the simple values `encoded` wrote, in the user's own folder
    except (EOFError, ValueError, TypeError):
        return None


def _read_kept(path: Path) -> dict[str, Any] | None:
    """A stamp file written by `record`, validated; None if missing, broken or of another shape."""
    try:
        kept = decoded(path.read_bytes())
    except OSError:
        return None
    if not isinstance(kept, dict) or set(kept) != _FIELDS:
        return None
    files, folders, keys, inputs = kept["files"], kept["folders"], kept["keys"], kept["inputs"]
    valid = (
        kept["format"] == _FORMAT
        and all(isinstance(kept[name], str) for name in ("code", "stamp", "out"))
        and isinstance(files, dict)
        and MARKER in files
        and all(_is_size_and_time(v) for v in files.values())
        and isinstance(folders, list)
        and all(isinstance(f, str) for f in folders)
        and isinstance(keys, dict)
        and all(isinstance(k, str) for k in keys.values())
        and isinstance(inputs, dict)
        and all(_is_input_seen(v) for v in inputs.values())
        and isinstance(kept["warned"], list)
        and all(_is_warning(v) for v in kept["warned"])
    )
    return kept if valid else None


def _is_warning(value: Any) -> bool:
    """Whether a value is a warning as record keeps it: (path, line, message)."""
    return type(value) is tuple and len(value) == 3 and [type(v) for v in value] == [str, int, str]


def _is_size_and_time(value: Any) -> bool:
    return type(value) is tuple and len(value) == 2 and type(value[0]) is int and type(value[1]) is int


def _is_input_seen(value: Any) -> bool:
    """Whether a value is an input file's record: (size, mtime, ctime, inode, digest); see InputSeen."""
    return (
        type(value) is tuple
        and len(value) == 5
        and type(value[0]) is int
        and type(value[1]) is int
        and type(value[2]) is int
        and type(value[3]) is int
        and type(value[4]) is str
    )
