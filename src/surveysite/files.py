"""The project's files: only regular files inside the project are read or written, as UTF-8 text
that a web page, a JSON file and an XML feed can all carry."""

from __future__ import annotations

import bisect
import contextlib
import functools
import os
import re
import secrets
import stat
import unicodedata
from pathlib import Path
from typing import NamedTuple

from .output import READ_NO_WAIT, read_whole
from .problems import Location, Problems
from .resources import editors_file

# Characters XML 1.0 cannot carry or that no text means: C0 and C1 controls but tab, line feed and
# carriage return, DEL, surrogates (YAML's "\ud800" escape makes a lone one), and the noncharacters.
FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
    + "]"
)
# The ASCII characters FORBIDDEN_CHARACTERS allows: deleted from an ASCII text's bytes, they leave
# those it forbids (bytes.translate: a fifth of the time of a regular expression's search, 0.065 s
# for a 9 MB .bib file, read before the work is shared).
_ASCII_ALLOWED = bytes([9, 10, 13, *range(0x20, 0x7F)])
# Invisible characters pasted from web pages: search reads each as neither a space nor a letter, so no
# query finds the word that holds one (see invisible_problem).
INVISIBLE = {
    "\u200b": "a zero-width space",
    "\u2060": "a word joiner",
    "\ufeff": "a zero-width no-break space",
}
INVISIBLE_CHARACTERS = re.compile("[" + "".join(INVISIBLE) + "]")
# The HTML elements text pasted from a web page or a publisher's record holds ('<i>in vivo</i>',
# 'CO<sub>2</sub>', small capitals as '<scp>', MathML and JATS as '<mml:math>'); not 'List<String>',
# '<Transformers>' or a model's '<s>' token. The site shows text as typed, tags and all.
_TAGS = (
    "a|b|br|code|div|em|h[1-6]|i|img|li|ol|p|pre|scp|small|span|strong|sub|sup|table|td|th|tr|tt|u|ul"
    "|(?:mml|jats):[a-z]+"
)
HTML_TAG = re.compile(rf"</?(?:{_TAGS})(?:[ \t\n][^<>\n]{{0,200}})?/?>", re.IGNORECASE)
# Characters that show nothing and are no space, which no name, title or text of a survey needs: they
# hide text in a value (Unicode's tag characters spell a second, unseen text) or make two values that
# look alike differ ('Say\u3164Can'). (The zero-width space, word joiner and byte order mark, which
# web pages paste, are told in study files and BibTeX fields: see INVISIBLE.)
HIDDEN = {
    **{chr(code): "a tag character" for code in (0xE0001, *range(0xE0020, 0xE0080))},
    **dict.fromkeys("\u2061\u2062\u2063\u2064", "an invisible operator"),
    **dict.fromkeys("\u115f\u1160\u3164\uffa0", "a Hangul filler"),
    "\u2800": "a blank Braille pattern",
}
# (A flag's tag characters, after a black flag and up to the cancel tag, spell its region: those pass.)
_HIDDEN_CHARACTERS = re.compile("(\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f)|[" + "".join(HIDDEN) + "]")
# Combining marks (accents, points) stacked on one letter: past a few they are drawn over the lines
# around them (a trial's name with 9,000 of them covered the page). Vietnamese stacks two, Hebrew with
# its points and cantillation four or five.
MOST_MARKS = 8
_LONG_NON_LATIN = re.compile(f"[^\\x00-\u02ff]{{{MOST_MARKS + 1},}}")  # combining marks begin at U+0300
# Characters that reorder the text shown around them: a name or title can be made to read otherwise.
BIDI_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")
_PRINTABLE_NAME = re.compile(r"^[\w.@+/ -]*$")


class FileRefused(Exception):
    """A path the project may not read or write; the message says why."""


def shown_path(root: Path, path: Path) -> str:
    """A path for messages: relative to the root, and any odd character in it written as an escape."""
    return _shown(_relative(root, path))


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _shown(text: str) -> str:
    return text if _PRINTABLE_NAME.match(text) else ascii(text)[1:-1]


def refusal(root: Path, path: Path, kind: str = "file") -> str | None:
    """Why `path` may not be used as a `kind` ('file' or 'folder') of the project, or None if it may.

    Every step from the root down must be a real folder, not a symbolic link: a link could make the
    site publish a file from anywhere on the machine that builds it.
    """
    try:
        relative = path.relative_to(root)
    except ValueError:
        return "is outside the project"
    if not relative.parts:
        return _entry_refusal(root, kind)
    current = root
    for part in relative.parts[:-1]:
        current = current / part
        mode = _mode(current)
        if isinstance(mode, str):
            return mode
        if stat.S_ISLNK(mode):
            return (
                f"is reached through a symbolic link ({shown_path(root, current)} is one); "
                f"replace the link with the real {kind}"
            )
    return _entry_refusal(path, kind)


def _entry_refusal(path: Path | str, kind: str) -> str | None:
    """refusal's verdict on the last step alone: enough for an entry of a folder it accepted."""
    mode = _mode(path)
    if isinstance(mode, str):
        return mode
    if stat.S_ISLNK(mode):
        return f"is reached through a symbolic link; replace the link with the real {kind}"
    if kind == "folder" and not stat.S_ISDIR(mode):
        return "is not a folder"
    if kind == "file" and not stat.S_ISREG(mode):
        return "is not a regular file"
    return None


def _mode(path: Path | str) -> int | str:
    """The path's own mode (a link not followed), or why it cannot be had."""
    try:
        return os.lstat(path).st_mode
    except FileNotFoundError:
        return "does not exist"
    except OSError as error:
        return f"cannot be read ({error.strerror})"


def folder_files(root: Path, folder: Path, pattern: str, problems: Problems) -> list[Path]:
    """The entries of a project folder matching a glob, sorted, but editors' files (see editors_file: an
    Emacs lock '.#studies.bib' is a link, and was refused); a refused folder is reported, and empty."""
    if not _listable(root, folder, problems):
        return []
    return sorted(path for path in folder.glob(pattern) if not editors_file(path.name))


def unread_entry(
    root: Path, folder: Path, name: str, path: str, suffix: str, problems: Problems, lower: bool = False
) -> None:
    """Tell an entry of a data folder that is not read as one of its `suffix` files ('.bib') and may
    have been meant to be (a hostile-input trial's bib/x.BIB, bib/sub/y.bib and content/studies/X.YAML
    were passed over without a word): a name ending so in other letters is a problem; a folder holding
    such files, and any other file but an editor's and a README or licence, a warning. With `lower`, the
    name offered is in lowercase (a study file's is its key)."""
    stem, ending = os.path.splitext(name)
    if editors_file(name):
        return
    shown = Location(_shown(f"{_relative(root, folder)}/{name}"), 1)
    if ending.lower() == suffix and os.path.isfile(path):
        renamed = stem.lower() if lower else stem
        problems.add(shown, f"rename the file to {renamed}{suffix}: only names ending '{suffix}' are read")
    elif os.path.isdir(path) and not os.path.islink(path):
        if _holds_files(path, suffix):  # ('drafts', 'drafts.old')
            problems.warn(
                shown,
                f"a folder of {suffix} files, which are not read: they are read from "
                f"{_shown(_relative(root, folder))}/ itself; move those that are ready there",
            )
    elif not name.lower().startswith(("readme", "licence", "license")):
        where = _shown(_relative(root, folder))
        problems.warn(shown, f"not read: only {suffix} files are read from {where}/")


def _holds_files(path: str, suffix: str) -> bool:
    """Whether the folder holds a file whose name ends in `suffix`, in any letters."""
    try:
        return any(n.lower().endswith(suffix) for n in os.listdir(path))
    except OSError:  # a folder that cannot be listed
        return False


def _listable(root: Path, folder: Path, problems: Problems) -> bool:
    """Whether a project folder exists and may be read; a refused one is reported."""
    why = refusal(root, folder, "folder")
    if why is not None and why != "does not exist":
        problems.add(Location(shown_path(root, folder), 1), f"the folder {why}")
    return why is None


def folder_entries(root: Path, folder: Path, problems: Problems) -> list[tuple[str, str, str]]:
    """Every entry of a project folder as its name, path (as a string: see below) and shown path (see
    shown_path), sorted by name, as folder_files gives them for '*'; a refused folder is reported, and
    empty. (For 10,000 study files, pathlib's glob, sorting and relative paths took a tenth of a
    second more; a Path for each, and its string, another 0.07 s of a run after one edit.)"""
    if not _listable(root, folder, problems):
        return []
    try:
        names = sorted(os.listdir(folder))
    except OSError:  # as glob: a folder that cannot be listed has no entries
        return []
    where, inside = _relative(root, folder), str(folder)
    return [(name, f"{inside}/{name}", _shown(f"{where}/{name}")) for name in names]


def read_text(
    root: Path,
    path: Path | str,
    problems: Problems,
    max_bytes: int,
    shown: str = "",
    in_accepted_folder: bool = False,
    characters: bool = True,
) -> str | None:
    """A project file's UTF-8 text, or None with a located problem when it may not or cannot be read.
    Its characters are checked (check_characters) unless `characters` is False: then the caller does.

    `shown` is the path as shown_path gives it, when the caller has it already. With
    `in_accepted_folder`, the caller found the file in a folder that refusal accepted (folder_files
    does): only the file itself is checked, not every folder above it again (four system calls a file
    instead of one, for each of 10,000 study files).
    """
    return read_text_and_bytes(root, path, problems, max_bytes, shown, in_accepted_folder, characters)[0]


def read_text_and_bytes(
    root: Path,
    path: Path | str,
    problems: Problems,
    max_bytes: int,
    shown: str = "",
    in_accepted_folder: bool = False,
    characters: bool = True,
) -> tuple[str | None, bytes]:
    """read_text's text, and the bytes it was decoded from (b'' when none could be read): what the
    stamp digests (a leading byte order mark, which the text leaves out, included). `path` may be given
    as a string (the loaders give each study file's so, with its shown path)."""
    shown = shown or shown_path(root, Path(path))
    if in_accepted_folder and _OPEN_CHECKED:
        data_or_why = _read_entry(path, max_bytes + 1)
        if isinstance(data_or_why, str):
            problems.add(Location(shown, 1), data_or_why)
            return None, b""
        data = data_or_why
    else:
        why = _entry_refusal(path, "file") if in_accepted_folder else refusal(root, Path(path))
        if why is not None:
            problems.add(Location(shown, 1), f"the file {why}")
            return None, b""
        try:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            try:
                data = read_whole(descriptor, max_bytes + 1)
            finally:
                os.close(descriptor)
        except OSError as error:
            problems.add(Location(shown, 1), f"cannot read the file: {error.strerror}")
            return None, b""
    if len(data) > max_bytes:
        problems.add(Location(shown, 1), f"the file is over {max_bytes:,} bytes; split or shorten it")
        return None, data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(
            Location(shown, line), f"byte 0x{data[error.start]:02x} is not UTF-8; save the file as UTF-8"
        )
        return None, data
    if text.startswith(BYTE_ORDER_MARK):
        text = text[1:]
    return (text if not characters or check_characters(text, shown, 1, problems) else None), data


BYTE_ORDER_MARK = "\ufeff"  # which some Windows editors begin a UTF-8 file with; read_text leaves it out


def byte_order_mark(data: bytes) -> str:
    """The byte order mark the bytes of a file begin with ('' if none): what a command that rewrites
    the file writes back before its text (read_text leaves it out), keeping the file as it was saved."""
    return BYTE_ORDER_MARK if data.startswith(BYTE_ORDER_MARK.encode()) else ""


# A file of an accepted folder is opened as the stamp and the output's comparison open theirs
# (output.READ_NO_WAIT), and judged by what it is once open (fstat): the same verdicts as
# _entry_refusal's, without its lstat, a second look-up of the path (with the paths given as strings,
# reading 10,000 study files took 0.82 s in one process, against 0.90 s). Only where the system can
# open a file without following a link and without waiting: else as read_text always did.
_OPEN_CHECKED = hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_NONBLOCK")


def _read_entry(path: Path | str, most: int) -> bytes | str:
    """Up to `most` bytes of an entry of an accepted folder, or the problem to report (as read_text's
    refusal, or its failure to read, words it)."""
    try:
        descriptor = os.open(path, READ_NO_WAIT)
    except OSError as error:  # a link (refused as one), or none there: as _entry_refusal tells it
        why = _entry_refusal(path, "file")
        return f"the file {why}" if why is not None else f"cannot read the file: {error.strerror}"
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # a pipe, a device, a folder
            return "the file is not a regular file"
        return read_whole(descriptor, most)
    except OSError as error:
        return f"cannot read the file: {error.strerror}"
    finally:
        os.close(descriptor)


def character_problem(character: str) -> str:
    """The message for a character no page or feed can carry."""
    if character in _SEPARATORS:  # (a trial's, pasted into a summary, was told as a line of bad YAML)
        return (
            f"character U+{ord(character):04X} ({_SEPARATORS[character]}, invisible) breaks the line here "
            "for YAML and JavaScript, though not in an editor; replace it with a space"
        )
    return f"character U+{ord(character):04X} cannot appear in a web page or feed; delete it"


_SEPARATORS = {"\u2028": "a line separator", "\u2029": "a paragraph separator"}


def invisible_problem(character: str) -> str:
    """The message for an invisible character of INVISIBLE, where it stands."""
    return (
        f"{INVISIBLE[character]} (U+{ord(character):04X}, invisible), which search reads as neither a space "
        "nor a letter: delete it"
    )


def has_forbidden_character(text: str) -> bool:
    """Whether the text holds a character no page or feed can carry (ASCII text searched quicker)."""
    if text.isascii():  # within ASCII only the controls can be there
        return bool(text.encode("ascii").translate(None, _ASCII_ALLOWED))
    return FORBIDDEN_CHARACTERS.search(text) is not None


def check_characters(text: str, shown: str, first_line: int, problems: Problems) -> bool:
    """Report characters no page or feed can carry (a problem) and text-reordering ones (a warning)."""
    clean = True
    if text.isascii() and not has_forbidden_character(text):  # no bidirectional override either
        return True
    line_of = LineFinder(text, first_line)
    # Each character once a line: what is printed (the same line's same problem is told once), and no
    # more kept meanwhile (a resource-exhaustion review's 16 MB of one control character were 16 million
    # problems, 5 GB, before they were told as one).
    forbidden: set[tuple[int, str]] = set()
    for match in FORBIDDEN_CHARACTERS.finditer(text):
        found = (line_of(match.start()), match.group())
        if found not in forbidden:
            forbidden.add(found)
            problems.add(Location(shown, found[0]), character_problem(found[1]))
        clean = False
    # (The lines told: a hidden text of tag characters is one problem, not one a letter.)
    told: set[int] = set()
    for match in _HIDDEN_CHARACTERS.finditer(text):
        if match.group(1):  # (a flag's sequence: England's, Scotland's, Wales's)
            continue
        clean = False
        line, character = line_of(match.start()), match.group()
        if line not in told:
            told.add(line)
            problems.add(
                Location(shown, line),
                f"character U+{ord(character):04X} ({HIDDEN[character]}) shows nothing and is no space: "
                "text can hide behind it, and search does not find the word holding it; delete it",
            )
    told.clear()
    for start, count in _mark_runs(text):
        clean = False
        line = line_of(start)
        if line not in told:
            told.add(line)
            problems.add(
                Location(shown, line),
                f"{count:,} combining marks (accents) in a row on one letter, which are drawn over the lines "
                f"around it; a letter takes at most {MOST_MARKS}",
            )
    for match in BIDI_OVERRIDES.finditer(text):
        problems.warn(
            Location(shown, line_of(match.start())),
            f"character U+{ord(match.group()):04X} reverses or isolates the text around it and can make a "
            "name or title read otherwise than it is; delete it unless the script needs it",
        )
    return clean


class LineFinder:
    """The line of each offset of a text, counted from `first_line`: the text's line ends found once, when
    first asked, and each offset's line looked up among them. (Counting the line ends before each match
    anew took 43 s for a review's 20,000 hidden characters after 2 million lines.)"""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self._text, self._first = text, first_line
        self._ends: list[int] | None = None

    def __call__(self, offset: int) -> int:
        if self._ends is None:
            self._ends = [m.start() for m in _LINE_END.finditer(self._text)]
        return self._first + bisect.bisect_left(self._ends, offset)


_LINE_END = re.compile("\n")


def _mark_runs(text: str) -> list[tuple[int, int]]:
    """Where each run of more than MOST_MARKS combining marks on one letter begins, and how many it holds
    (only stretches of text with no character below U+0300 are looked at). Characters that show nothing
    (format characters: joiners) between marks do not end the run: a review's groups of eight parted by
    zero-width joiners stacked as one. (Read letter by letter, 9 MB of Chinese took 0.75-1.7 s: a
    review; 0.09 s now.)"""
    if not _LONG_NON_LATIN.search(text):
        return []
    marks, runs = _marks(), []
    for near in marks.near.finditer(text):  # (each inside a stretch of non-Latin text)
        for pile in _PILE.finditer(near.group().translate(marks.letters)):
            runs.append((near.start() + pile.start(), pile.group().count("M")))
    return runs


# A pile, in a stretch written with 'M' for each mark and 'F' for each format character (see _Marks):
# possessive, as a long run of format characters after a few marks was read again from each of them
# (a review's 19 MB took 55 s).
_PILE = re.compile(f"M(?:F*+M){{{MOST_MARKS},}}")


class _Marks(NamedTuple):
    # More than MOST_MARKS characters in a row that are marks or format characters of plane 0, or in
    # plane 1 up to its last such one or in plane 14: where piles can be. Python's expressions test a
    # class of plane 0 against a table, at once, and a class with other characters against its ranges
    # one by one: 9 MB of Chinese took 1.3 s with a class of the marks themselves, 0.07 s with this.
    near: re.Pattern[str]
    letters: dict[int, str]  # each mark as 'M', each format character as 'F' (str.translate's table)


@functools.cache
def _marks() -> _Marks:
    """Made from this Python's Unicode data when first needed (16 ms; text without a long non-Latin
    stretch never needs it). Planes 2 and 3 hold ideographs only, 4 to 13 nothing, 15 and 16 private
    use: only planes 0, 1 and 14 are read, and in plane 0 neither ideographs, Hangul, surrogates nor
    private use."""
    letters: dict[int, str] = {}
    skipped = [(0x3400, 0xA000), (0xAC00, 0xD7A4), (0xD800, 0xF900), (0x20000, 0xE0000)]
    start = 0x300
    for low, high in [*skipped, (0xE1000, 0xE1000)]:
        for point in range(start, low):
            kind = unicodedata.category(chr(point))
            if kind in ("Mn", "Me", "Cf"):
                letters[point] = "F" if kind == "Cf" else "M"
        start = high
    plane_0 = _ranges(sorted(point for point in letters if point < 0x10000))
    plane_1 = max(point for point in letters if point < 0x20000)  # (before the emoji)
    near = f"[{plane_0}\\U00010000-\\U{plane_1:08x}\\U000e0000-\\U000e0fff]{{{MOST_MARKS + 1},}}"
    return _Marks(re.compile(near), letters)


def _ranges(points: list[int]) -> str:
    """Code points, in order, as a regular expression's class of ranges ('\\U00000300-\\U0000036f...')."""
    runs: list[list[int]] = []
    for point in points:
        if runs and runs[-1][1] == point - 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return "".join(f"\\U{low:08x}" + (f"-\\U{high:08x}" if high > low else "") for low, high in runs)


def check_tree(root: Path, folder: Path, problems: Problems, shown_root: Path | None = None) -> None:
    """Report every symbolic link and special file below a folder (templates and static files), but an
    editor's file that leads nowhere (see editors_file: Emacs's lock is a link to nowhere). A link that
    leads somewhere is reported whatever its name (a template includes any file by its name, 'leak~'
    too: a review had one read a file outside the project), and every folder is walked: a walk that
    follows links (pathlib's rglob) would read through one."""
    base = shown_root or root
    why = refusal(root, folder, "folder")
    if why == "does not exist":
        return
    if why is not None:
        problems.add(Location(shown_path(base, folder), 1), f"the folder {why}")
        return
    for current, folders, names in os.walk(folder):
        for name in [*folders, *names]:
            path = Path(current) / name
            if name in names and editors_file(name) and not (path.is_symlink() and path.exists()):
                continue  # (an editor's own file, or a link that leads nowhere)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                problems.add(
                    Location(shown_path(base, path), 1),
                    "is a symbolic link; replace it with the real file or folder",
                )
            elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                problems.add(Location(shown_path(base, path), 1), "is not a regular file; remove it")
        folders[:] = [f for f in folders if not (Path(current) / f).is_symlink()]


def _temporary(path: Path) -> tuple[int, Path]:
    """A new file beside `path`, opened for writing, made as any new file is (the umask applied)."""
    for _ in range(100):
        temporary = path.parent / f".{path.name}.{secrets.token_hex(6)}"
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no new file could be made beside {path}")


def write_text(root: Path, path: Path, text: str) -> None:
    """Replace a project file atomically; raises FileRefused for a link or a path outside the project."""
    why = refusal(root, path.parent, "folder")
    if why is not None:
        raise FileRefused(f"{shown_path(root, path.parent)}: the folder {why}")
    why = refusal(root, path) if os.path.lexists(path) else None
    if why is not None:
        raise FileRefused(f"{shown_path(root, path)}: the file {why}")
    # The file keeps its permissions, and a new one gets what the umask gives: mkstemp's are the owner's
    # alone, which a hostile-input review found `new` and `format` had left on a shared bib file. A file
    # its owner made read-only is not replaced (a data-safety trial's was: the folder allowed it); and
    # it keeps its owner and group where this process may give them (run by root, a trial's file became
    # root's, which its owner could no longer read).
    status = os.stat(path) if os.path.lexists(path) else None
    # (Its mode too: root may write any file, and a review's root replaced a `chmod 444` one.)
    if status is not None and (not os.access(path, os.W_OK) or not status.st_mode & 0o222):
        raise FileRefused(f"{shown_path(root, path)}: the file is read-only")
    kept = stat.S_IMODE(status.st_mode) if status is not None else None
    handle, temporary = _temporary(path)
    try:
        if status is not None and (status.st_uid, status.st_gid) != (os.getuid(), os.getgid()):
            with contextlib.suppress(PermissionError):
                os.fchown(handle, status.st_uid, status.st_gid)
        if kept is not None:
            os.fchmod(handle, kept)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
