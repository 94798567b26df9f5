"""Write a generated tree to a folder, never touching a folder it did not create, nor a file in it that
it did not write.

A tree is written anew into a staging folder that then takes the old one's place. A folder from an
earlier run is updated in place instead: files whose bytes are unchanged are left alone (a second run
of a big site rewrites, and deletes, nothing it does not have to), the changed ones are first written
beside their targets and only then renamed over them, so a run that fails while writing leaves the
previous tree whole. The marker file lists what the run wrote: whatever else the folder holds is the
user's (notes, a git checkout to publish from, a site built from an export), kept as it is; a run
that would write where such a file or folder is stops, having changed nothing, and names it. The
marker also gives each file's size and CRC-32 as the run wrote it: a later run that would replace or
delete a file edited since (by hand, by another tool) stops likewise, and names it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

MARKER = ".surveysite-pages"
MARKER_TEXT = b"written by surveysite; replaced on every run, but for files it did not write\n"
_STAGED = ".surveysite-new"  # a changed file is written as .<name>.surveysite-new, then renamed


class OutputError(Exception):
    """The output folder cannot be used."""


class KeptFileGone(Exception):
    """A file given as kept is not in the output folder as it was compared, or the folder cannot be
    updated in place: the caller makes that file after all."""


def ours(out: Path) -> bool:
    """Whether `out` is a folder an earlier run wrote (it holds the marker file)."""
    return out.is_dir() and (out / MARKER).is_file()


Seen = tuple[int, int]  # a file's size and modification time (st_mtime_ns) when it was compared
# A file as a run wrote it, as the marker gives it: its size, the CRC-32 of its bytes, its time
# (st_mtime_ns) and, for a file the run changed, the size and CRC-32 it had before, which it may still
# have if the run was stopped before it renamed the file into place (see _update_in_place).
Record = tuple[int, ...]
_BAD: Record = (-1, -1, -1)  # a record the marker gives in a form no run writes: it matches no file
Tree = tuple[dict[str, Seen], set[str]]  # a folder's files (with their size and time) and its folders


def unchanged(out: Path, files: Mapping[str, str | bytes]) -> dict[str, bytes | Seen]:
    """The files, each one that `out` already holds byte for byte (a regular file, not through a link)
    given as its size and time then: the caller passes it to write_tree as kept, its text to nothing.
    Each other file is given encoded, as it was compared: write_tree writes those bytes (encoding a
    changed 22 MB download again took 0.03 s of a run after an edit at 10,000 studies)."""
    result: dict[str, bytes | Seen] = {}
    base = os.fspath(out)  # (joined as text: 20,000 Path objects took 0.08 s of a run at 10,000 studies)
    for name, text in files.items():
        data = _bytes(text)
        seen = _holds(f"{base}/{name}", data)
        result[name] = data if seen is None else seen
    return result


def _holds(path: str, data: bytes) -> Seen | None:
    """The file's size and time if it is a regular file holding exactly `data`, else None."""
    return holds(path, len(data), data.__eq__)


def holds(path: str | Path, size: int, same: Callable[[bytes], bool]) -> Seen | None:
    """The file's size and time if it is a regular file of `size` bytes that `same` accepts, else None.
    Opened without waiting (a pipe put there) and without following a link. Read up to `size` bytes,
    not to its end: a file of that size has no more (one that grows meanwhile gets a new time, which
    the caller keeps), and the call that found the end was a third of the time spent comparing 20,000
    files."""
    try:
        descriptor = os.open(path, READ_NO_WAIT)
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size != size:
            return None
        accepted = same(read_whole(descriptor, size))
        return (status.st_size, status.st_mtime_ns) if accepted else None
    except OSError:
        return None
    finally:
        os.close(descriptor)


# A file's time is trusted to tell a rewrite only once it is this much older than when the times were
# read: on a file system that keeps times to the second (or two: FAT), a file rewritten with the same
# size in the same second keeps the same time (git's "racily clean" files). A record of what a run
# wrote (the stamp's keys, the site folder's kept files) trusts only a file that old, so one written
# by the last run is read, or written, once more by the next.
RACY_NS = 2_000_000_000
_CLOCK_FILE = ".surveysite-clock."  # made and removed at once (see clock_of)


def clock_of(folder: Path) -> int:
    """The time now, for telling how old the files in `folder` are (time.time_ns()): the earlier of
    this machine's clock and the one that stamps files there, read off a file made and removed there.
    A file system's clock may lag this machine's (a network file system): by its own clock, a file
    written just now would look old enough to tell a rewrite (see RACY_NS)."""
    return clock_and_device(folder)[0]


def clock_and_device(folder: Path) -> tuple[int, int | None]:
    """clock_of(folder), and the file system (st_dev) of the file it was read off; None when no file
    could be made there, and the time is this machine's alone."""
    now = time.time_ns()
    try:
        handle, name = tempfile.mkstemp(prefix=_CLOCK_FILE, dir=folder)
    except OSError:  # a folder this run cannot write into: it fails when it writes
        return now, None
    try:
        status = os.fstat(handle)
        return min(now, status.st_mtime_ns), status.st_dev
    except OSError:
        return now, None
    finally:
        os.close(handle)
        with contextlib.suppress(OSError):
            os.unlink(name)


def as_written(path: str | Path, seen: Seen) -> bool:
    """Whether the file is still a regular file (not a link) of this size and time. (Given as a string,
    a run after an edit checks its 20,000 files in a third of the time a Path to each took.)"""
    try:
        status = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and (status.st_size, status.st_mtime_ns) == seen


def write_tree(
    out: Path, pages: Mapping[str, str | bytes], kept: Mapping[str, Seen] | None = None, kind: str = ""
) -> Tree | None:
    """Make `out` hold exactly these files (text or bytes) and the `kept` ones, which it already holds
    (see `unchanged`); a failed run leaves the previous tree whole. Raises KeptFileGone, having
    changed nothing, when a kept file is not there as it was compared (another size or time). `kind`:
    the command writing (its marker says so); a folder another command wrote is refused (a trial gave
    `pages` the folder of an export, whose settings and pages it replaced with a bare Markdown tree).

    What `out` then holds (see `tree`) when it was updated in place: what was there, with what this
    run changed; None when it was written anew (then only a walk of it tells). A write the system
    refuses raises OutputError, naming the output folder (not the staging file or folder the system
    named: a data-safety trial's read-only parent folder was told of a '.out.x1y2' it never saw)."""
    try:
        return _write_tree(out, pages, kept, kind)
    except OSError as error:
        name, where, whole = (
            Path(error.filename) if isinstance(error.filename, str) else None,
            "",
            out.resolve(),
        )
        if name is not None and name.is_relative_to(whole):  # a file of its own, or one staged
            staged = _leftover(name.name)
            where = f" ({name.with_name(name.name[1 : -len(_STAGED)]) if staged else name})"
        elif name is not None and name.parent == whole.parent and name.name.startswith(f".{whole.name}."):
            where = f" (writing in {whole.parent})"  # a folder staged beside it
        elif name is not None:  # a folder on the way to it (a file where a folder must be)
            where = f" ({name})"
        raise OutputError(f"cannot use {out}: {error.strerror or error}{where}") from None


def _write_tree(
    out: Path, pages: Mapping[str, str | bytes], kept: Mapping[str, Seen] | None, kind: str
) -> Tree | None:
    kept = kept or {}
    out = out.resolve()
    # An empty folder holds nothing to lose; any other folder must carry the marker of an earlier run.
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or (out / MARKER).is_file())):
        raise OutputError(
            f"{out} exists and was not written by surveysite (no {MARKER} file); "
            "choose a new or empty output folder"
        )
    other = written_by(out) if kind and ours(out) else ""
    if other and other != kind:
        raise OutputError(
            f"{out} holds what `surveysite {other}` wrote, which `surveysite {kind}` would replace; give "
            f"it a folder of its own (or remove {out} first)"
        )
    # Each text encoded once, as it is compared or written, and its size and CRC-32 taken for the
    # marker (a kept file's as the last run's marker gave them, while it is as that run left it).
    previous = _written_before(out) if ours(out) else None
    files = {name: _bytes(content) for name, content in pages.items()}
    sums = records_of(files)
    for name, seen in kept.items():
        sums[name] = _kept_sum(out, name, seen, previous)
    _clear_leftovers(out, {*files, *kept, MARKER})
    # (An empty folder is written into, not replaced: replaced, it lost its owner and mode, and a shell
    # in it was left in a folder gone, as a data-safety trial found.)
    if ours(out) or (out.is_dir() and not any(out.iterdir())):
        updated = _update_in_place(out, files, kept, previous, sums, kind)
        if updated is not None:
            return updated
    if kept:
        raise KeptFileGone
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for folder in sorted(folders_of(files)):
            (staging / folder).mkdir()
        times = _write_all([(staging / name, content) for name, content in sorted(files.items())])
        records = {name: (*sums[name], times[staging / name]) for name in files}
        _write_all([(staging / MARKER, marker_text(records, kind))])
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            out.rename(retired / out.name)
            staging.rename(out)
            shutil.rmtree(retired)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return None


LEFTOVER_AGE_NS = 60 * 10**9  # a staging folder untouched this long is no live run's


def _clear_leftovers(out: Path, names: set[str]) -> None:
    """Delete the staging folders a run killed outright (SIGKILL, a power cut) left beside `out`, as a
    data-safety trial found one: each named as this module names them, holding no file this run does
    not write, no link, and untouched for a minute (not another run's, still writing)."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(old\.)?[a-z0-9_]{{8}}")
    try:
        entries = [entry for entry in os.scandir(out.parent) if pattern.fullmatch(entry.name)]
    except OSError:
        return
    for entry in entries:
        if not entry.is_dir(follow_symlinks=False):
            continue
        retired = entry.name.startswith(f".{out.name}.old.")
        try:
            if retired and os.listdir(entry.path) not in ([], [out.name]):
                continue
            top = Path(entry.path) / out.name if retired else Path(entry.path)
            files, folders, odd = _walk(top) if top.is_dir() else ({}, set(), set())
            times = [os.stat(top / name, follow_symlinks=False).st_mtime_ns for name in folders]
            times.append(os.stat(entry.path, follow_symlinks=False).st_mtime_ns)
        except OSError:
            continue
        if odd or not files.keys() <= names or time.time_ns() - max(times) < LEFTOVER_AGE_NS:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)


def _kept_sum(
    out: Path, name: str, seen: Seen, previous: Mapping[str, Record | None] | None
) -> tuple[int, int]:
    """The size and CRC-32 of a file the run keeps as it is (it holds what the run would write): as the
    last run's marker gave them while the file has the size and time that run wrote it with, else
    read off the file (a file edited to what the run writes, or copied with new times)."""
    record = None if previous is None else previous.get(name)
    if record is not None and record[0] == seen[0] and record[2] == seen[1]:
        return record[0], record[1]
    try:
        data = (out / name).read_bytes()
    except OSError:
        raise KeptFileGone from None
    return len(data), zlib.crc32(data)


def _staged(target: Path) -> Path:
    return target.with_name(f".{target.name}{_STAGED}")


def _write_all(files: list[tuple[Path, str | bytes]]) -> dict[Path, int]:
    """Write each file (its folder exists); many files by two writers, each taking whole folders. Each
    file's time as written (st_mtime_ns), by its path.

    The system calls let the other thread run. Two writers creating files in one folder contend for
    that folder's lock, and the one waiting spins: that doubled the system time of writing a
    10,000-study site (perf: rwsem_spin_on_owner), so a folder's files are all written by one writer.
    """
    lanes = [lane for lane in _lanes(files, _WRITERS) if lane] if len(files) >= _MANY_FILES else []
    if len(lanes) < 2:
        return _write_files(files)
    times: dict[Path, int] = {}
    with ThreadPoolExecutor(len(lanes)) as pool:
        for written in pool.map(_write_files, lanes):  # raises the first failure
            times.update(written)
    return times


def _lanes(files: list[tuple[Path, str | bytes]], count: int) -> list[list[tuple[Path, str | bytes]]]:
    """The files in `count` lanes, each folder's files in one lane, the lanes as even as that allows."""
    folders: dict[Path, list[tuple[Path, str | bytes]]] = {}
    for path, content in files:
        folders.setdefault(path.parent, []).append((path, content))
    lanes: list[list[tuple[Path, str | bytes]]] = [[] for _ in range(count)]
    for group in sorted(folders.values(), key=len, reverse=True):
        min(lanes, key=len).extend(group)
    return lanes


_WRITERS = 2
_MANY_FILES = 1_000  # from this many files, two writers
NO_LINK = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)  # opened here, never through a link
# A file read here: never through a link, and never waiting on a pipe put where a file was.
READ_NO_WAIT = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | NO_LINK
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | NO_LINK


def _write_files(files: list[tuple[Path, str | bytes]]) -> dict[Path, int]:
    times = {}
    for path, content in files:
        descriptor = os.open(path, _FLAGS, 0o666)
        try:
            write_whole(descriptor, _bytes(content))
            times[path] = os.fstat(descriptor).st_mtime_ns
        finally:
            os.close(descriptor)
    return times


def read_whole(descriptor: int, most: int) -> bytes:
    """Read up to `most` bytes, or to the end of the file (os.read may read less than it is asked).
    Without a buffered stream around it: for 20,000 small files a run compares, half the time."""
    data = os.read(descriptor, most)
    while data and len(data) < most and (more := os.read(descriptor, most - len(data))):
        data += more
    return data


def write_whole(descriptor: int, data: bytes) -> None:
    """Write all of `data` (os.write may write less than it is given)."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def _walk(out: Path) -> tuple[dict[str, Seen], set[str], set[str]]:
    """The regular files below `out` with their size and time, the folders, and anything else (a link,
    a pipe: by name, never followed); raises OSError if it cannot be read whole."""
    files: dict[str, Seen] = {}
    folders: set[str] = set()
    odd: set[str] = set()
    pending = [(str(out), "")]
    while pending:
        current, prefix = pending.pop()
        with os.scandir(current) as listing:
            for entry in listing:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(name)
                    pending.append((entry.path, name + "/"))
                elif entry.is_file(follow_symlinks=False):
                    status = entry.stat(follow_symlinks=False)
                    files[name] = (status.st_size, status.st_mtime_ns)
                else:
                    odd.add(name)
    return files, folders, odd


def tree(out: Path) -> Tree | None:
    """The regular files below `out`, each with its size and time, and the folders; None if `out` is
    not a folder, cannot be read whole, or holds anything else (a link, a pipe)."""
    try:
        walked = _walk(out)
    except OSError:
        return None
    return None if walked[2] else (walked[0], walked[1])


def records_of(files: Mapping[str, str | bytes]) -> dict[str, tuple[int, int]]:
    """Each file's size and CRC-32, as the marker gives them (with its time), by its text or bytes."""
    return {name: (len(data), zlib.crc32(data)) for name, data in ((n, _bytes(c)) for n, c in files.items())}


def marker_text(records: Mapping[str, Record], kind: str = "") -> bytes:
    """The marker file's text: what it is (and which command wrote the folder, `kind`), then the files
    a run wrote beside it, each with its record (see Record)."""
    listed = json.dumps(
        {name: list(records[name]) for name in sorted(records.keys() - {MARKER})},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    head = MARKER_TEXT.replace(b"surveysite;", f"surveysite {kind};".encode(), 1) if kind else MARKER_TEXT
    return head + listed.encode("utf-8") + b"\n"


_KIND = re.compile(rb"written by surveysite ([a-z-]+);")
# The first line of every marker a version wrote: "written by `surveysite pages`; replaced on every
# run" (the first), then "written by surveysite; ..." and "written by surveysite <command>; ..."
_HEAD = re.compile(rb"written by `?surveysite[a-z -]*`?; replaced on every run[^\n]*")
_LATEST = b", but for files it did not write"  # in the first line of a marker that lists its files


def written_by(out: Path) -> str:
    """Which command wrote the folder `out` (as its marker says: 'pages', 'export'); '' when its marker
    does not say (an earlier version's), or it has none that can be read."""
    try:
        with (out / MARKER).open("rb") as stream:
            found = _KIND.match(stream.readline(200))
    except OSError:
        return ""
    return found.group(1).decode() if found else ""


def _written_before(out: Path) -> dict[str, Record | None] | None:
    """The files the last run wrote into `out`, as its marker lists them, each with its record (None
    for each, in the marker of the version before records, which lists names alone; _BAD for one in a
    form no run writes); None when it lists none (the marker of an older version still: its first line
    alone). Raises OutputError when the marker cannot be read, or is not one a run writes: reviews'
    stray comma, deleted first line or emptied list had every edit replaced, taken for the oldest
    version's marker."""
    try:
        data = (out / MARKER).read_bytes()
    except OSError as error:
        raise OutputError(
            f"{out / MARKER} cannot be read ({error.strerror or error}); make it readable, and run again "
            "(nothing was changed)"
        ) from None
    head, _, rest = data.partition(b"\n")
    if not _HEAD.fullmatch(head):
        raise _unreadable_marker(out, "its first line is not the one surveysite writes")
    if not rest.strip():
        if _LATEST in head:  # (a marker of this version always lists the files written)
            raise _unreadable_marker(out, "it lists no files")
        return None
    try:
        listed = json.loads(rest)
    except (ValueError, RecursionError) as error:
        raise _unreadable_marker(out, f"its list is not JSON: {error}") from None
    if not listed:
        raise _unreadable_marker(out, "it lists no files")
    records: dict[str, Record | None]
    if isinstance(listed, list) and all(isinstance(name, str) for name in listed):
        records = dict.fromkeys(listed)
    elif isinstance(listed, dict):
        records = {name: _record(value) for name, value in listed.items()}
    else:
        raise _unreadable_marker(out, "its list is neither names nor records")
    records[MARKER] = None
    return records


def _unreadable_marker(out: Path, why: str) -> OutputError:
    return OutputError(
        f"{out / MARKER} cannot be read ({why}), so surveysite cannot tell what it wrote there from "
        "what is yours or edited since: move away what is yours, delete the folder, and run again "
        "(nothing was changed)"
    )


def _record(value: object) -> Record:
    """A file's record as the marker gives it (see Record); _BAD for one in a form no run writes."""
    # (The common form, checked at once: 20,000 of them at 10,000 studies.)
    if type(value) is list and len(value) == 3:
        size, crc, time = value
        if type(size) is int and type(crc) is int and type(time) is int and min(size, crc, time) >= 0:
            return size, crc, time
    if not (isinstance(value, list) and all(type(n) is int and n >= 0 for n in value)):
        return _BAD
    if len(value) == 2:  # (of the first version to give records: no time, so never taken as it is)
        return value[0], value[1], -1
    return tuple(value) if len(value) in (3, 5) else _BAD


def _edited(
    out: Path, names: Iterable[str], old_files: Mapping[str, Seen], before: Mapping[str, Record | None]
) -> list[str]:
    """Those of the files named, which the last run wrote, that hold neither what it wrote there nor,
    for one it changed, what it held before (see Record)."""
    edited = []
    for name in names:
        record, seen = before.get(name), old_files.get(name)
        if record is None or seen is None:
            continue
        data = _regular_bytes(out / name, seen[0])
        if data is None or not _as_written(data, _written(record)):
            edited.append(name)
    return sorted(edited)


def _as_written(data: bytes, written: list[tuple[int, int]]) -> bool:
    """Whether a file's bytes are one of the sizes and CRC-32s a run wrote, or would be but for their
    line ends, each turned into CR LF: a review's `git clone -c core.autocrlf=true` of an output folder
    (Git for Windows' default) had every text file refused as edited."""
    if (len(data), zlib.crc32(data)) in written:
        return True
    plain = data.replace(b"\r\n", b"\n")
    return len(plain) < len(data) and (len(plain), zlib.crc32(plain)) in written


def _written(record: Record) -> list[tuple[int, int]]:
    """The sizes and CRC-32s a file of this record may hold as a run left it (see Record)."""
    return [(record[0], record[1]), *([(record[3], record[4])] if len(record) == 5 else [])]


def _crc_of(path: Path, size: int) -> int | None:
    """The CRC-32 of a file's first `size` bytes; None if it is gone or no longer a regular file."""
    data = _regular_bytes(path, size)
    return None if data is None else zlib.crc32(data)


def _regular_bytes(path: Path, size: int) -> bytes | None:
    """A file's first `size` bytes; None if it is gone or no longer a regular file. A file that cannot
    be read raises OSError (told as such, not as an edit)."""
    try:
        descriptor = os.open(path, READ_NO_WAIT)
    except FileNotFoundError:
        return None
    try:
        return read_whole(descriptor, size) if stat.S_ISREG(os.fstat(descriptor).st_mode) else None
    finally:
        os.close(descriptor)


def _update_in_place(
    out: Path,
    files: Mapping[str, bytes],
    kept: Mapping[str, Seen],
    before: Mapping[str, Record | None] | None,
    sums: Mapping[str, tuple[int, int]],
    kind: str,
) -> Tree | None:
    """Bring an earlier run's tree to exactly `files`, `kept` and the marker, writing only what changed
    and keeping what it did not write (see the module), and what it then holds; None (nothing done)
    when the old tree's shape is in the way (a file where a folder goes, a link, a special file) and
    it holds nothing else. `before`: what the last run wrote, as its marker gives it (see
    _written_before); `sums`: each file's size and CRC-32, for the marker. Raises OutputError, having
    changed nothing, when what it did not write is in the way, a file it wrote has been edited since
    and this run would replace or delete it, or the folder cannot be read whole."""
    try:
        old_files, old_folders, odd = _walk(out)
    except OSError as error:  # (taken for a tree to write anew, a review's folder lost its notes)
        where = f" ({error.filename})" if isinstance(error.filename, str) else ""
        raise OutputError(
            f"{out} cannot be read whole: {error.strerror or error}{where}; surveysite writes only into a "
            "folder it can see all of, so as to lose nothing in it (nothing was changed)"
        ) from None
    names = {*files, MARKER}
    if before is None:
        # A marker that lists no files (an earlier version's, or one emptied or made by hand) cannot
        # tell the user's files from an earlier run's: taken for the run's, a data-safety trial's
        # folder lost its .git and notes; kept as the user's, a review's deleted study stayed published
        # (and was refused when added again). Such a folder is written only when it holds nothing
        # this run does not write; otherwise what it holds besides is named, and nothing is changed.
        others = sorted({n for n in old_files if n not in names and n not in kept and not _leftover(n)} | odd)
        if others:
            raise OutputError(
                f"{out}: its {MARKER} lists no files (an earlier surveysite wrote it, or it was edited), "
                f"and the folder holds what this run does not write ({_shown(others)}), which may be yours "
                "or an earlier run's: move away what is yours, delete the rest, and run again (nothing was "
                "changed)"
            )
    theirs = set() if before is None else {n for n in old_files if n not in before and not _leftover(n)}
    theirs |= odd  # a link or special file: never the run's, never followed
    for name, seen in kept.items():  # as it was compared: no other run wrote it since
        if old_files.get(name) != seen:
            raise KeptFileGone
    needed = folders_of([*names, *kept])
    # The folders that hold what the run did not write, and those that hold nothing of the run's (made
    # by hand): kept
    held = folders_of(theirs)
    if before is None:  # (a folder of none of its files: made by hand, or left empty, kept)
        held |= old_folders - needed
    else:
        held |= old_folders - folders_of(n for n in old_files if n not in theirs)
    in_the_way = sorted({name for name in names if name in theirs or name in held}
                        | {name for name in needed if name in theirs})  # fmt: skip
    if in_the_way:
        raise OutputError(
            f"{out / in_the_way[0]} was not written by surveysite, and this run writes there; move it "
            "away (nothing was changed)"
        )
    shape = [name for name in names if name in old_folders] + [name for name in needed if name in old_files]
    changed = sorted(name for name, data in files.items() if not _same(out / name, old_files.get(name), data))
    gone = sorted(old_files.keys() - names - kept.keys() - theirs)
    if before is not None and (edited := _edited(out, [*changed, *gone], old_files, before)):
        # (An edit to an export's settings was replaced without a word, as a data-safety trial found.)
        one = len(edited) == 1
        unknown = all(before.get(name) == _BAD for name in edited)  # (the marker damaged, not the file)
        why = (
            f"{'its record in' if one else 'their records in'} {MARKER} {'is' if one else 'are'} damaged, "
            f"so nothing tells whether {'it was' if one else 'they were'} edited since"
            if unknown
            else f"{'has' if one else 'have'} been edited since"
        )
        raise OutputError(
            f"{out}: {'a file' if one else f'{len(edited):,} files'} surveysite wrote ({_shown(edited)}) "
            f"{why}, and this run would replace or delete {'it' if one else 'them'}: keep a copy of your "
            f"changes elsewhere, delete {'it' if one else 'them'}, and run again (nothing was changed)"
        )
    if shape and not (theirs or held):
        return None  # written anew as a whole
    for name in shape:  # the run's own, in another shape: cleared first (the one step not undone)
        path = out / name
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        old_files = {n: seen for n, seen in old_files.items() if n != name and not n.startswith(name + "/")}
        old_folders = {n for n in old_folders if n != name and not n.startswith(name + "/")}
    gone = [name for name in gone if name in old_files]
    new_folders = sorted(needed - old_folders)
    staged: list[tuple[Path, Path]] = []
    try:
        for name in new_folders:
            (out / name).mkdir()
        staged = [(_staged(out / name), out / name) for name in changed]
        times = _write_all(
            [(temporary, files[name]) for (temporary, _), name in zip(staged, changed, strict=True)]
        )
        records: dict[str, Record] = {}
        for name in files:
            temporary = _staged(out / name)
            records[name] = (*sums[name], times[temporary] if temporary in times else old_files[name][1])
        for name, seen in kept.items():
            records[name] = (*sums[name], seen[1])
        marker = marker_text(records, kind)
        # While the files are renamed and deleted, the marker gives each changed file's earlier size and
        # CRC-32 too, and each file to delete: a run stopped between the renames (a review's Ctrl-C)
        # left files every later run refused as edited. Once they are, the marker is written again.
        meanwhile = {**records}
        for name in changed:
            meanwhile[name] = (*records[name], *_earlier(out, name, old_files, before))
        for name in gone:  # (one of a marker that gave names alone: its record read off it now)
            record = None if before is None else before.get(name)
            crc = None if record is not None or _leftover(name) else _crc_of(out / name, old_files[name][0])
            if crc is not None:
                record = (old_files[name][0], crc, old_files[name][1])
            if record is not None:
                meanwhile[name] = record
        passing = marker_text(meanwhile, kind) if meanwhile != records else marker
        if not _same(out / MARKER, old_files.get(MARKER), passing):
            staged.insert(0, (_staged(out / MARKER), out / MARKER))
            _write_all([(staged[0][0], passing)])
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        for name in reversed(new_folders):
            shutil.rmtree(out / name, ignore_errors=True)
        raise
    renamed = 0
    try:
        for temporary, target in staged:
            os.replace(temporary, target)
            renamed += 1
    except BaseException:  # (a review's Ctrl-C left every staged download beside its target)
        for temporary, _ in staged[renamed:]:
            with contextlib.suppress(OSError):
                temporary.unlink()
        raise
    for name in gone:
        (out / name).unlink(missing_ok=True)  # a staged file left by a killed run is renamed away
    for name in sorted(old_folders - needed - held, key=lambda n: n.count("/"), reverse=True):
        (out / name).rmdir()
    if passing is not marker:
        _write_all([(_staged(out / MARKER), marker)])
        os.replace(_staged(out / MARKER), out / MARKER)
        staged.append((_staged(out / MARKER), out / MARKER))  # (its time read below)
    now = {name: seen for name, seen in old_files.items() if name in names or name in kept or name in theirs}
    for _, target in staged:
        status = os.stat(target, follow_symlinks=False)
        now[target.relative_to(out).as_posix()] = (status.st_size, status.st_mtime_ns)
    return now, needed | held


def _earlier(
    out: Path, name: str, old_files: Mapping[str, Seen], before: Mapping[str, Record | None] | None
) -> tuple[int, ...]:
    """The size and CRC-32 a file the run changes had before, when it was there: as the last marker
    gave them (the edit check found the file so), else read off it."""
    if name not in old_files:
        return ()
    record = None if before is None else before.get(name)
    size = old_files[name][0]
    if record is not None:
        sized = [written for written in _written(record) if written[0] == size]
        if len(sized) == 1:
            return sized[0]
    crc = _crc_of(out / name, size)
    return () if crc is None else (old_files[name][0], crc)


def _shown(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3:,} more" if len(names) > 3 else "")


def folders_of(names: Iterable[str]) -> set[str]:
    """Every folder the files named are in, at any depth (each file's own folder found once)."""
    own = {name.rpartition("/")[0] for name in names if "/" in name}
    return own | {part for folder in own for part in _parents(folder)}


def _leftover(name: str) -> bool:
    """Whether a file is one a run left half-written when it was stopped (see _staged)."""
    base = name.rsplit("/", 1)[-1]
    return base.startswith(".") and base.endswith(_STAGED)


def _parents(name: str) -> list[str]:
    parts = name.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _same(path: Path, seen: Seen | None, data: bytes) -> bool:
    """Whether the file at `path` (its size and time from the walk) already holds exactly these bytes."""
    if seen is None or seen[0] != len(data):
        return False
    return path.read_bytes() == data
