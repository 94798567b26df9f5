"""The immutable model every page is rendered from."""

from __future__ import annotations

import datetime
import marshal
import pickle
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property, lru_cache
from typing import Any, ClassVar, TypeVar

from .cache import digest, restricted_loads
from .problems import Location

FACET_KINDS = ("vocabulary", "terms", "yes-no")
NOT_STATED = "not stated"  # the paper does not say
NOT_CHECKED = "not checked"  # we could not check the paper
UNKNOWN_VALUES = (NOT_STATED, NOT_CHECKED)  # allowed in every facet, alone, and never counted
YES_NO_VALUES = ("yes", "no", *UNKNOWN_VALUES)
PLACEMENTS = ("high", "medium", "low")
# A study's card names every leaf it is in, on the page of each of them (a study in 2,000 leaves made
# `surveysite pages` write 663 MB): a placement is a few leaves.
MAX_LEAVES_PER_STUDY = 10

CSV_SEPARATOR = "; "  # between the values of one cell of the CSV download: no value may hold it
# Between the values of one filter in the matrix's address (f.domain=Games|Robotics), as matrix.js
# reads it back: no value may hold it either.
FILTER_SEPARATOR = "|"


def shown_on_one_line(value: str) -> str:
    """A value as a message quotes it, its line breaks shown as '\\n' (the message stays one line)."""
    return value.replace("\r", "\\r").replace("\n", "\\n")


def separator_fault(value: str) -> str | None:
    """Why a facet value cannot be one (it holds CSV_SEPARATOR, its spaces made one, or
    FILTER_SEPARATOR); None if it can."""
    if CSV_SEPARATOR in " ".join(value.split()):
        return (
            f"holds '{CSV_SEPARATOR}', which parts a cell's values in the CSV download; write two "
            "values, or another mark"
        )
    if "\n" in value.strip() or "\r" in value.strip():  # (a review's wrote keys into `new`'s study files)
        return "holds a line break; write it on one line"
    if FILTER_SEPARATOR in value:
        return (
            f"holds '{FILTER_SEPARATOR}', which parts a filter's values in the matrix's links; write "
            "another mark"
        )
    return None


@dataclass(frozen=True)
class Facet:
    """A column of the comparison matrix."""

    id: str
    label: str
    kind: str
    description: str
    values: tuple[str, ...]
    location: Location


@dataclass(frozen=True)
class Node:
    """A class, sub-category or leaf of the taxonomy; `path` is its public URL path."""

    path: str
    name: str
    gloss: str
    description: str
    children: tuple[str, ...]
    location: Location
    described_at: int = 0  # the line of the file the description's text begins on (0: the node's)
    # Whether each line of the description is a line of the file from there (a '|' block, or one line):
    # a folded block or a text broken over lines is not, and its problems are told at its first line.
    described_line_by_line: bool = True

    @property
    def parent(self) -> str | None:
        """The parent's path, or None for a class."""
        return self.path.rpartition("/")[0] or None

    @property
    def class_path(self) -> str:
        """The path of the class this node belongs to."""
        return self.path.split("/")[0]

    @property
    def is_leaf(self) -> bool:
        """Whether studies can be placed here."""
        return not self.children


@dataclass(frozen=True)
class Taxonomy:
    """The tree (nodes in reading order) and the facets."""

    nodes: tuple[Node, ...]
    facets: tuple[Facet, ...]

    def node(self, path: str) -> Node:
        """The node at a path."""
        for taxonomy, table in _NODE_TABLES:
            if taxonomy is self:
                return table[path]
        table = {n.path: n for n in self.nodes}
        _NODE_TABLES[:] = [(self, table), *_NODE_TABLES[:3]]
        return table[path]


# The nodes of the taxonomies asked for lately, by path: made for each node asked for, a build of a review's
# 6,000 nodes took 37 s, not 10. (Not kept in the taxonomy: the cache's keys are made of all it holds.)
_NODE_TABLES: list[tuple[Taxonomy, dict[str, Node]]] = []


_Value = TypeVar("_Value")


@lru_cache(maxsize=65_536)
def shared(value: _Value) -> _Value:
    """The first value equal to this one met lately: one object for the values many studies hold alike
    (a facet's values, a table's cells). For plain strings and tuples of them alone: an equal value of
    another type (a Markdown string, True for 1) would be handed back as the first one met. Pickle
    writes an object met before as a reference to it, so reading results back (the cache file, a
    forked process's) makes each such value once, not once per study: at 10,000 studies, reading the
    cache made 0.04 s less."""
    return value


def entry_digest(bibtex: str) -> str:
    """The digest of a formatted BibTeX entry (see Reference.entry)."""
    return digest("ris", bibtex)


_PACKED = "_packed"  # in the __dict__ of a Packed object read back: its packed fields
_PROTOCOL = pickle.HIGHEST_PROTOCOL


class Packed:
    """A frozen dataclass whose fields, but those its class names UNPACKED, are pickled as one string
    (see pack_fields), which an object read back (from the cache file, or from a forked process) makes
    only when one of them is first read: a run after an edit reads back every study's reference and
    view, of most of which it reads only a few fields. The string is unpickled by the cache file's
    rules (cache.restricted_loads): a frame may have it read while the frame itself is read."""

    UNPACKED: ClassVar[tuple[str, ...]] = ()
    PACKED: ClassVar[tuple[str, ...]] = ()
    _packed_fields: ClassVar[frozenset[str]] = frozenset()

    def __reduce__(self) -> tuple[Callable[..., Packed], tuple[type[Packed], tuple[Any, ...], bytes]]:
        """Pickled as the UNPACKED fields, and the others as one string, made once (see restored)."""
        state = self.__dict__
        packed = state.get(_PACKED)
        if packed is None:  # made here, or changed with dataclasses.replace (which makes a new object)
            packed = state[_PACKED] = pickle.dumps(tuple(state[name] for name in self.PACKED), _PROTOCOL)
        return restored, (type(self), tuple(state[name] for name in self.UNPACKED), packed)

    def __getattr__(self, name: str) -> Any:
        """A PACKED field of an object read back: made now, with the others."""
        state = self.__dict__
        if name in self._packed_fields and _PACKED in state and name not in state:
            state.update(zip(self.PACKED, restricted_loads(state[_PACKED]), strict=True))
            return state[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


def pack_fields(cls: type[Packed], unpacked: tuple[str, ...]) -> None:
    """Make the fields of the dataclass `cls` but `unpacked` its PACKED ones."""
    cls.UNPACKED = unpacked
    cls.PACKED = tuple(f.name for f in fields(cls) if f.name not in unpacked)  # type: ignore[arg-type]
    cls._packed_fields = frozenset(cls.PACKED)
    for name in cls.PACKED:  # a default is a class attribute, found before __getattr__ is asked: none
        if name in cls.__dict__:  # (the defaults stay in __init__, where dataclass put them)
            delattr(cls, name)


def restored(cls: type[Packed], unpacked: tuple[Any, ...], packed: bytes) -> Packed:
    """An object read back (see Packed.__reduce__): its PACKED fields are made when one is first read."""
    if not (isinstance(cls, type) and issubclass(cls, Packed)):  # a damaged cache file's frame
        raise TypeError(f"{cls!r} is not read back packed")
    made = object.__new__(cls)
    state = made.__dict__
    state.update(zip(cls.UNPACKED, unpacked, strict=True))
    state[_PACKED] = packed
    return made


@dataclass(frozen=True)
class Reference(Packed):
    """A study's bibliographic record, decoded for display."""

    key: str
    entry_type: str
    title: str
    authors: tuple[str, ...]
    year: int
    venue: str
    doi: str | None
    arxiv: str | None
    url: str | None
    bibtex: str
    # Each author's family part, as the display name ends with it ('' if unknown): see family_names.
    families: tuple[str, ...] = ()
    # Whether the entry's author list ends with 'and others': more authors than `authors` names (shown
    # as 'et al.'; the BibTeX entry keeps its 'and others').
    more_authors: bool = False
    # What a citation adds where the entry gives it: volume, number, pages, publisher, month (decoded).
    details: tuple[tuple[str, str], ...] = ()
    # The digest of the formatted entry, made with the reference (kept with it from run to run): what
    # is made of the reference alone is kept under it (see views.entry_key); '' when not made so.
    entry: str = field(default="", compare=False, repr=False)


# The fields of a reference read back (from the cache file, or from a forked process) that are made at
# once; the others are made together when one of them is first read. A run after an edit reads back
# every study's reference, but of all but a few (the edited study's, those whose view is made again)
# it reads only these: the key, the year and the entry for the catalog's order and its check that a
# reference is its entry's, and the entry's digest for the views' keys. At 10,000 studies, the .bib
# files' parts kept in the cache file were read back in 0.09 s instead of 0.12 s.
pack_fields(Reference, ("key", "year", "bibtex", "entry"))


def doi_address(doi: str) -> str:
    """A DOI's address, as pages link it."""
    return f"https://doi.org/{doi}"


def arxiv_address(arxiv: str) -> str:
    """An arXiv id's page, as pages link it."""
    return f"https://arxiv.org/abs/{arxiv}"


@dataclass(frozen=True)
class Annotation:
    """What content/studies/<key>.yaml says about a study."""

    key: str
    name: str
    categories: tuple[str, ...]
    placement: str
    placement_note: str
    in_survey: bool
    added: datetime.date
    summary: str
    note: str  # a remark for readers, e.g. why the citation differs from arXiv; '' for none
    facets: tuple[tuple[str, tuple[str, ...]], ...]
    links: tuple[tuple[str, str], ...]
    location: Location
    # Where each key of the study file stands ('name', 'categories.0', 'facets.llm': its line), as the
    # bytes of marshal.dumps: read only to place a problem, and a tenth of the objects in a 10,000-study
    # cache, which reading the cache makes one by one.
    lines: bytes = field(default=b"", compare=False, repr=False)
    # The digest of the study file's path and text, which the annotation is made from: a key for work
    # made from annotations ('' when not made from a file).
    source: str = field(default="", compare=False, repr=False)

    def says(self, key: str) -> bool:
        """Whether the study file gives this key ('in_survey', 'facets.llm')."""
        return key in _line_table(self.lines)

    def line_of(self, key: str, otherwise: str = "") -> Location:
        """Where a key of the study file stands ('facets.llm', 'facets.llm.1' for its second value on
        a line of its own): that of `otherwise` if it is not known, the file's first line if neither."""
        lines = _line_table(self.lines)
        return Location(self.location.path, lines.get(key, lines.get(otherwise, 1)))


@lru_cache(maxsize=4)
def _line_table(lines: bytes) -> dict[str, int]:
    """A study file's key-to-line table (see Annotation.lines), read once for the problems told of it:
    read for each, a review's file of thousands of unknown keys took 6 s. (Only read, never changed.)"""
    return marshal.loads(lines) if lines else {}


def title_after_name(name: str, title: str) -> str:
    """The title, less a leading "Name:" that would repeat the study's short name beside it ('' when
    the title is the name). A name with another in brackets, 'RLAdapter (AdaRefiner)', is either;
    letter case and accents aside ('Tülu 3' and 'Tulu 3: ...')."""
    if _folded(title) == _folded(name):
        return ""
    head, colon, rest = title.partition(":")
    main, bracket, other = name.partition(" (")
    names = {_folded(name)} | ({_folded(main), _folded(other.removesuffix(")"))} if bracket else set())
    if colon and _folded(head) in names and rest.strip():
        return rest.strip()
    return title


def after_name(name: str, title: str) -> str:
    """What follows a study's short name where a line names it and then its paper (a feed's entry, What's
    new, a search result): ': ' and the title less a leading "Name:" (see title_after_name); the rest
    of a title that begins with the whole name and a space, as it is ('DeepSeek-R1' and ' incentivizes
    reasoning...', where ': DeepSeek-R1 incentivizes' repeated it: a reader's trial); '' when the title
    is the name."""
    rest = title_after_name(name, title)
    if rest == title:
        folded = _folded(name)
        # At a space near the name's length: letter case, accents, spacing and Unicode's two spellings
        # of an accented letter aside, as title_after_name compares them (a review).
        for end in (i for i, c in enumerate(title[: len(name) + 8]) if c == " " and i >= len(folded) // 2):
            if _folded(title[:end]) == folded:
                return title[end:]
    return f": {rest}" if rest else ""


def _folded(text: str) -> str:
    """Text as compared when one repeats another: spacing, letter case and accents aside."""
    folded = " ".join(text.split()).casefold()
    if folded.isascii():  # (nearly every title: nothing to decompose, no accent to drop)
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Study:
    """A study: its reference joined with its annotation."""

    reference: Reference
    annotation: Annotation

    @cached_property
    def key(self) -> str:
        """The BibTeX key, which is also the study's URL slug (read everywhere: kept after the first)."""
        return self.reference.key

    def facet(self, facet_id: str) -> tuple[str, ...]:
        """The values of one facet (empty when the study does not give it)."""
        return self._facets.get(facet_id, ())

    @cached_property
    def _facets(self) -> dict[str, tuple[str, ...]]:
        return dict(self.annotation.facets)

    def __getstate__(self) -> dict[str, object]:
        """What a study is, without what it keeps once asked (a key made by pickling studies must not
        depend on which of them were asked what first)."""
        return {"reference": self.reference, "annotation": self.annotation}


def made_of(studies: Sequence[Study], entries: Mapping[str, str] | None = None) -> list[str] | None:
    """What these studies are made of, in order, for keys: each one's study file (its annotation's
    source, the digest of the file's path and bytes) and its formatted BibTeX entry (which holds every
    field its reference is made from), or the entry's digest in `entries` (by study key); None when
    one of them was not read from files."""
    if not all(study.annotation.source for study in studies):
        return None
    if entries is not None:
        return [part for study in studies for part in (study.annotation.source, entries[study.key])]
    return [part for study in studies for part in (study.annotation.source, study.reference.bibtex)]


@dataclass(frozen=True)
class Catalog:
    """Everything the site shows, cross-linked: the taxonomy and the studies under each node."""

    taxonomy: Taxonomy
    studies: tuple[Study, ...]
    under: Mapping[str, tuple[str, ...]] = field(repr=False)

    @cached_property
    def _by_key(self) -> dict[str, Study]:
        return {s.key: s for s in self.studies}

    @cached_property
    def newest(self) -> tuple[Study, ...]:
        """The studies by the date they were added, newest first (then by key, for stable output):
        sorted once, for the feeds and What's new."""
        by_key = sorted(self.studies, key=lambda s: s.key)
        return tuple(sorted(by_key, key=lambda s: s.annotation.added, reverse=True))

    def study(self, key: str) -> Study:
        """The study with a key."""
        return self._by_key[key]

    def studies_under(self, path: str) -> tuple[Study, ...]:
        """The studies placed at a node or anywhere below it, in catalog order."""
        return tuple(self._by_key[key] for key in self.under[path])  # `under` is in catalog order
