"""Work reused across builds: each result is kept under a digest of everything it was made from.

`mkdocs serve` keeps one Memo in memory for as long as it runs; `surveysite pages` and `mkdocs build`
keep theirs in the user's cache folder (never in the project, so no pull request can plant one).
Keys include a digest of this package's own source and of the templates, stylesheets and scripts it
ships, so a changed surveysite starts afresh. Before a Memo is loaded at all, `stamp.py` checks
whether the whole run of `pages` or `export` can be skipped (nothing it reads or wrote has changed).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from .problems import Problem, Problems

T = TypeVar("T")
# What a forked child's copy of a Memo gained: new results, those of them not to be saved, the keys
# used, and the hits and misses.
Changes = tuple[dict[str, Any], set[str], set[str], int, int]
_DIGEST_BYTES = 32
_PACKAGE = Path(__file__).resolve().parent


def digest(*parts: str | bytes) -> str:
    """A short, stable digest of some text."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


# Everything that shapes results: every file of this package (code, packaged templates and assets)
# and the versions of the libraries that parse input or write output.
_SHAPING_LIBRARIES = ("jinja2", "bibtexparser", "pylatexenc", "PyYAML", "Markdown", "pymdown-extensions")


def code_version(package: Path) -> str:
    """The digest of every file under `package` (code, subpackages, templates, assets; not bytecode)
    and of the versions of the libraries that shape results."""
    return digest(
        *(
            part
            for path in sorted(package.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts
            for part in (path.relative_to(package).as_posix(), path.read_bytes())
        ),
        *(f"{name}=={metadata.version(name)}" for name in _SHAPING_LIBRARIES),
    )


CODE_VERSION = code_version(_PACKAGE)


class Memo:
    """Results by key, counting hits and misses; a build's unused entries can be dropped.

    A Memo made with keep=False (`--no-cache`) keeps nothing: every result is made, and keys given
    lazily (get_by) are never computed, since the pickling and hashing they take would be wasted.

    A result made with saved=False is kept in memory (for `serve`'s next rebuild) but never written
    to the cache file: see save_memo. A Memo that ends with its run (lasting=False: load_memo's for
    `pages`, `check` and `mkdocs build`) makes such results without computing their keys, since
    nothing could reuse them: a study page's key (its context pickled) cost as much as rendering it.
    """

    def __init__(
        self, entries: dict[str, Any] | None = None, keep: bool = True, lasting: bool = True
    ) -> None:
        self._entries: dict[str, Any] = entries or {}
        self._loaded = set(self._entries)  # what a cache file held: saving the same keys again is not needed
        self._used: set[str] = set()
        self._unsaved: set[str] = set()
        self.keep = keep
        self.lasting = lasting
        self.hits = 0
        self.misses = 0

    def size(self) -> int:
        """How many results are kept."""
        return len(self._entries)

    def get(self, key: str, make: Callable[[], T], saved: bool = True) -> T:
        """The result kept under `key`, or make it now and keep it (in memory only, unless `saved`)."""
        if not self.keep or not (saved or self.lasting):
            self.misses += 1
            return make()
        self._used.add(key)
        if key in self._entries:
            self.hits += 1
            return self._entries[key]  # type: ignore[no-any-return]
        self.misses += 1
        value = make()
        self._entries[key] = value
        if not saved:
            self._unsaved.add(key)
        return value

    def known(self, key: str) -> bool:
        """Whether a result is kept under `key` (and will be reused)."""
        return self.keep and key in self._entries

    def get_by(self, key: Callable[[], str], make: Callable[[], T], saved: bool = True) -> T:
        """Like get, with a key costly to compute: computed only when the result can be kept."""
        return self.get(key() if self.keep and (saved or self.lasting) else "", make, saved)

    def checked(self, key: str, problems: Problems, make: Callable[[Problems], T]) -> T:
        """Like get, for work that records problems: the problems are recorded again on reuse."""

        def run() -> tuple[T, list[Problem]]:
            found = Problems()
            return make(found), found.sorted()

        value, found = self.get(key, run)
        problems.extend(found)
        return value

    def mark(self) -> tuple[set[str], int, int]:
        """Where this Memo stands now (its keys, hits and misses), for `changes`."""
        return set(self._entries), self.hits, self.misses

    def changes(self, since: tuple[set[str], int, int]) -> Changes:
        """What this Memo gained after `since`: new results (and which of them are not to be saved),
        the keys used, added hits and misses."""
        known, hits, misses = since
        added = {k: v for k, v in self._entries.items() if k not in known}
        return added, self._unsaved & set(added), self._used, self.hits - hits, self.misses - misses

    def merge(self, changes: Changes) -> None:
        """Take in what a copy of this Memo (in a forked child) gained since it was copied."""
        added, unsaved, used, hits, misses = changes
        self._entries.update(added)
        self._unsaved |= unsaved
        self._used |= used
        self.hits += hits
        self.misses += misses

    def start_build(self) -> None:
        """Begin counting a new build's use of the kept results."""
        self._used = set()
        self.hits = self.misses = 0

    def prune(self) -> bool:
        """Drop every result the last build did not use; whether what save_memo writes changed since
        loading (a result is never replaced, only added or dropped: the keys tell)."""
        self._entries = {k: v for k, v in self._entries.items() if k in self._used}
        self._unsaved &= self._entries.keys()
        return self._entries.keys() - self._unsaved != self._loaded

    def saved_entries(self) -> dict[str, Any]:
        """The results that go into the cache file."""
        if not self._unsaved:
            return self._entries
        return {k: v for k, v in self._entries.items() if k not in self._unsaved}


def cache_file(root: Path) -> Path:
    """Where the Memo of the project at `root` is kept between runs."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "surveysite" / f"{digest(str(root.resolve()))}.pickle"


def load_memo(root: Path, lasting: bool = False) -> Memo:
    """The project's kept results, or an empty Memo when there are none, they are from other code, or
    a single byte of them differs from what was written (checked before anything is unpickled).
    `lasting` for a Memo kept past this run (serve's): see Memo."""
    kept = read_checked(cache_file(root))
    entries = None
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == CODE_VERSION and isinstance(kept[1], dict):
        entries = kept[1]
    return Memo(entries, lasting=lasting)


def save_memo(memo: Memo, root: Path) -> None:
    """Keep the results the last build used; a cache that cannot be written is only a slower next build."""
    target = cache_file(root)
    changed = memo.prune()
    if not changed and target.exists():  # a build that made nothing new: the file is up to date
        return
    write_checked(target, (CODE_VERSION, memo.saved_entries()))


def read_checked(path: Path) -> Any:
    """What write_checked kept at `path`; None when there is nothing, or a single byte differs from
    what was written (checked before anything is unpickled)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, payload = data[:_DIGEST_BYTES], data[_DIGEST_BYTES:]
    if len(head) != _DIGEST_BYTES or head != _payload_digest(payload):
        return None
    try:
        return pickle.loads(payload)  # written by write_checked alone, in the user's own folder
    except (EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return None


def write_checked(target: Path, value: Any) -> None:
    """Keep `value` at `target` (in the user's cache folder), with a checksum; replaced whole or not at
    all, and a file that cannot be written is only a slower next build."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(_payload_digest(payload))  # written apart: joined, they were a second copy in memory
            stream.write(payload)
        os.replace(temporary, target)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if not isinstance(error, OSError):
            raise


def _payload_digest(payload: bytes) -> bytes:
    """SHA-256, which processors compute themselves: 0.17 s for a 195 MB cache here, BLAKE2b 0.39 s."""
    hasher = hashlib.sha256(b"surveysite-memo\0")
    hasher.update(payload)
    return hasher.digest()
