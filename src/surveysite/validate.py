"""Stage 4: cross-check bibliography, taxonomy and annotations; record every problem."""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .bibliography import BibRecord
from .cache import Memo
from .markdown import description
from .model import (
    MAX_LEAVES_PER_STUDY,
    NOT_STATED,
    UNKNOWN_VALUES,
    YES_NO_VALUES,
    Annotation,
    Facet,
    Reference,
    Taxonomy,
    arxiv_address,
    doi_address,
)
from .paths import node_page
from .problems import Location, Problems, closest, did_you_mean, suggested
from .published import PUBLISHED_PATH
from .references import address_host, same_address
from .rendered import Link, check_markdown, heading_fault
from .studies import ALONE, NO_DATE, is_todo


def validate(
    taxonomy: Taxonomy,
    records: list[BibRecord],
    annotations: list[Annotation],
    study_files: set[str] | None,
    problems: Problems,
    links: list[Link] | None = None,
    memo: Memo | None = None,
    entry_keys: Collection[str] | None = (),
    taxonomy_faulty: bool = False,
    known_facets: Collection[str] = (),
    moves: Callable[[], Mapping[str, tuple[str, int]]] | None = None,
) -> None:
    """Record every problem that needs more than one file to see; add the links of the taxonomy's
    descriptions to `links` (see sitelinks.check_links); with a Memo, what was found rendering the
    same description before is used again (see check_markdown). `entry_keys`: the keys of the .bib
    files' entries, those refused too (already reported), none of whose study files is reported
    for a missing entry; None when a .bib file could not be read, and none is. `study_files`: the
    keys of the study files; None when their folder was refused (reported), and no entry is reported
    for a missing study file. `taxonomy_faulty`: whether the taxonomy's file had problems (reported),
    which a study's unknown category then names as its likely cause (a misspelled 'children:' drops
    a node's leaves, and every study placed in them). `known_facets`: the facets the survey's rules ask
    every study to name a value of, which a study missing one is not offered 'not stated' for.
    `moves`: each address content/published.txt moves, with the page it ends at and the move's line
    (see published.moves), asked for only for an unknown category: a leaf renamed, and its move
    recorded, is the one to name."""
    _check_taxonomy(taxonomy, problems, [] if links is None else links, memo)
    orphans = _check_pairs(records, annotations, study_files, problems, entry_keys)
    # (A study file without its entry, told as such, is no study whose name another one's repeats: a
    # trial's copy of a study file under a misspelt key was also told on the study it copied.)
    _check_names([a for a in annotations if a.key not in orphans], problems)
    if not taxonomy.nodes:  # already reported; checking placements against nothing would only add noise
        return
    shape = _Shape.of(taxonomy, taxonomy_faulty, frozenset(known_facets), moves)
    for annotation in annotations:
        _check_annotation(annotation, shape, problems)
    _check_spellings(taxonomy, annotations, problems)


def _check_taxonomy(taxonomy: Taxonomy, problems: Problems, links: list[Link], memo: Memo | None) -> None:
    for facet in taxonomy.facets:  # a heading of the matrix's overviews
        why = heading_fault(facet.label)
        if why:
            problems.add(facet.location, f"facet '{facet.id}', label: {why}")
    for node in taxonomy.nodes:
        why = heading_fault(node.name)  # the title of its page
        if why:
            problems.add(node.location, f"node '{node.path}', name: {why}")
        found = Problems()
        text = str(description(node.description))  # its raw HTML made text
        shown = (node_page(node.path), links)  # a node's description is shown on its page alone
        where = node.location
        first = node.described_at or where.line
        before = len(links)
        check_markdown(text, where.path, first, found, raw_html=False, links=shown, memo=memo)
        if not node.described_line_by_line:  # (its lines are not the file's: told at its first)
            links[before:] = [replace(link, where=Location(where.path, first)) for link in links[before:]]
        for problem in found.sorted():
            told = problem.location if node.described_line_by_line else Location(where.path, first)
            problems.add(told, f"node '{node.path}', description: {problem.message}")


def _check_pairs(
    records: list[BibRecord],
    annotations: list[Annotation],
    study_files: set[str] | None,
    problems: Problems,
    entry_keys: Collection[str] | None = (),
) -> set[str]:
    """Report each entry without its study file and each study file without its entry; the keys of
    the latter."""
    keys = {r.key for r in records}
    for record in records:
        if study_files is not None and record.key not in study_files:
            problems.add(
                record.location,
                f"entry '{record.key}' has no study file; create content/studies/{record.key}.yaml (or "
                "move the entry to a file of its own and run `surveysite new --bibtex FILE`, which writes "
                "one), or delete the entry",
            )
    orphans: set[str] = set()
    if entry_keys is None:  # a .bib file could not be read: any study's entry may be in it
        return orphans
    annotated = {annotation.key: annotation.location.path for annotation in annotations}
    for annotation in annotations:
        if annotation.key not in keys and annotation.key not in entry_keys:  # a refused one: reported
            orphans.add(annotation.key)
            # The entries without a study file are what the file may be meant for: renamed to the key
            # of one that has its file, it would take that file's place (a maintainer's trial).
            hint = did_you_mean(annotation.key, sorted(keys - annotated.keys()))
            near = closest(annotation.key, sorted(keys & annotated.keys())) if not hint else None
            if near is not None:
                hint = f"; '{near}' has its study file already ({annotated[near]})"
            problems.add(
                annotation.location,
                f"no BibTeX entry with key '{annotation.key}' in bib/; add the entry or rename the file"
                f"{hint}",
            )
    return orphans


def check_years(records: list[BibRecord], years: Mapping[str, int], problems: Problems) -> None:
    """An entry's year after next year, a slip ('2203' for '2023': a maintainer's trial met only a
    warning about the day the study was added). A venue's year may be the next one (a conference
    whose papers are out in December); none is two years ahead. (`years`: by key, as each entry's
    reference holds it; a record's fields, read back from the other process, took 40 ms at 10,000
    studies to be unpacked for this.)"""
    latest = datetime.date.today().year + 1
    for record in records:
        year = years.get(record.key)
        if year is not None and year > latest:
            problems.add(
                record.location,
                f"entry '{record.key}': year {year} is after next year; give the year it was published "
                "(or, for a preprint, put online)",
            )


def check_added_dates(annotations: list[Annotation], years: Mapping[str, int], problems: Problems) -> None:
    """A warning for a study said to be added to this site two calendar years or more before the year
    its entry gives (`years`: by key, as each entry's reference holds it): a slip, most likely. (A
    preprint added in December, whose entry later names its version of the next year, is not one.)"""
    for annotation in annotations:
        year = years.get(annotation.key)
        if year is not None and annotation.added.year < year - 1 and annotation.added != NO_DATE:
            problems.warn(
                annotation.line_of("added"),
                f"'added' is {annotation.added.isoformat()}, years before the study's year ({year}) in "
                "bib/; give the day it was added to this site",
            )


def check_own_addresses(
    annotations: list[Annotation],
    references: Mapping[str, Reference],
    label: Callable[[str], str],
    problems: Problems,
) -> None:
    """A warning for a study's link that is its paper's own address, as its entry gives it (its url,
    DOI or arXiv id): the page links to the paper already, and showed the link under the kind's label
    ('Project page') and no 'Paper' link, without a word (a contributor's trial). `label`: a link
    kind's label, as the survey gives it."""
    for annotation in annotations:
        reference = references.get(annotation.key) if annotation.links else None
        if reference is None:
            continue
        own = []
        if reference.url:
            own.append(("url", reference.url))
        if reference.doi:
            own.append(("DOI", doi_address(reference.doi)))
        if reference.arxiv:
            own.append(("arXiv id", arxiv_address(reference.arxiv)))
        hosts = {address_host(address) for _, address in own}
        for kind, url in annotation.links:
            # (most links, a repository's, on another host: each compared whole took 52 ms at 10,000)
            if address_host(url) not in hosts:
                continue
            what = next((what for what, address in own if same_address(url, ((what, address),))), None)
            if what is not None:
                problems.warn(
                    annotation.line_of(f"links.{kind}", "links"),
                    f"links.{kind} is the paper's own address (its entry's {what} in bib/), which the page "
                    f"links to already: labelled '{label(kind)}', it would send readers to the paper; give "
                    f"the {kind}'s own address, or leave the link out",
                )


def _check_names(annotations: list[Annotation], problems: Problems) -> None:
    """Two studies of one name (letter case, spacing and Unicode form aside), which tables, related
    studies and search would show alike: reported at the one added later (of one day, the later key)."""
    by_name: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        name = " ".join(unicodedata.normalize("NFKC", annotation.name).split()).casefold()
        if name and not is_todo(annotation.name):  # a stub's name is reported as unfilled
            by_name.setdefault(name, []).append(annotation)
    for alike in by_name.values():
        if len(alike) < 2:
            continue
        first, *later = sorted(alike, key=lambda a: (a.added, a.key))
        for annotation in later:
            problems.add(
                annotation.line_of("name"),
                f"name '{annotation.name}' is already the name of study '{first.key}' "
                f"({first.line_of('name')}); give each study its own name, e.g. with its method's name "
                "or its year",
            )


@dataclass(frozen=True)
class _Shape:
    """What every study is checked against, taken from the taxonomy once."""

    leaves: list[str]
    leaf_set: frozenset[str]
    nodes: frozenset[str]
    facets: dict[str, Facet]
    taxonomy: Taxonomy
    # The latest day a study may say it was added: tomorrow, a contributor's today anywhere on Earth.
    latest: datetime.date
    # What _facet_faults found for each facet and values: the same few recur across studies.
    faults: dict[tuple[str, tuple[str, ...]], list[tuple[int, str]]] = field(default_factory=dict)
    # After an unknown category or facet: '' or, when the taxonomy's file has problems, that they may be why.
    cause: str = ""
    known: frozenset[str] = frozenset()  # the facets the survey's rules ask a value of (known_facets)
    moves: Callable[[], Mapping[str, tuple[str, int]]] | None = None  # see validate
    moved: dict[str, tuple[str, int]] = field(default_factory=dict)  # `moves`, once read

    @classmethod
    def of(
        cls,
        taxonomy: Taxonomy,
        faulty: bool = False,
        known: frozenset[str] = frozenset(),
        moves: Callable[[], Mapping[str, tuple[str, int]]] | None = None,
    ) -> _Shape:
        """The shape of a taxonomy (`faulty`: its file had problems; `moves`: see validate)."""
        leaves = [n.path for n in taxonomy.nodes if n.is_leaf]
        nodes = frozenset(n.path for n in taxonomy.nodes)
        latest = datetime.date.today() + datetime.timedelta(days=1)
        cause = ""
        if faulty:
            where = taxonomy.nodes[0].location.path
            cause = f": {where} has problems (listed here too), which may be why; mend those first"
        facets = {f.id: f for f in taxonomy.facets}
        return cls(
            leaves, frozenset(leaves), nodes, facets, taxonomy, latest, cause=cause, known=known, moves=moves
        )

    def moved_to(self, category: str) -> str:
        """After an unknown category that the record moves to a leaf: the leaf, and the move's line."""
        if self.moves is None:
            return ""
        if not self.moved:
            self.moved.update(self.moves() or {"": ("", 0)})  # (read once, even when it moves nothing)
        end, line = self.moved.get(f"{category}/", ("", 0))  # (through any further moves)
        node = end.rstrip("/")
        if node not in self.leaf_set:  # (a node with sub-categories would only be refused)
            return ""
        return f"; did you mean '{node}'? ({PUBLISHED_PATH}:{line} moves '{category}/', which leads there)"


def _check_annotation(annotation: Annotation, shape: _Shape, problems: Problems) -> None:
    why = heading_fault(annotation.name)  # the title of its page, and of its card on node pages
    if why:
        problems.add(annotation.line_of("name"), f"name: {why}")
    leaves, nodes = shape.leaves, shape.nodes
    placed = len(set(annotation.categories))
    if placed > MAX_LEAVES_PER_STUDY:  # reported once, not also leaf by leaf
        problems.add(
            annotation.line_of("categories"),
            f"the study is placed in {placed:,} leaves; place it in at most {MAX_LEAVES_PER_STUDY}, "
            "those it is mainly about",
        )
    for index, category in enumerate(() if placed > MAX_LEAVES_PER_STUDY else annotation.categories):
        if category in shape.leaf_set and category not in annotation.categories[:index]:
            continue  # a leaf, once: nothing to report
        where = annotation.line_of(f"categories.{index}")
        if category in nodes and category not in shape.leaf_set:
            problems.add(
                where,
                f"'{category}' has sub-categories; place the study in one of its leaves: "
                + ", ".join(p for p in leaves if p.startswith(category + "/")),
            )
        elif category not in nodes:
            # With the taxonomy's file faulty, the cause it may be; else the leaves it may have meant.
            hint = (
                shape.cause
                or shape.moved_to(category)
                or _run_together(category, shape.leaf_set)
                or _leaf_hint(category, leaves, nodes)
            )
            problems.add(where, f"unknown category '{category}'{hint}")
        elif category in annotation.categories[:index]:
            problems.add(where, f"'{category}' is listed twice; keep one")
    if annotation.added > shape.latest:
        problems.add(
            annotation.line_of("added"),
            f"'added' is {annotation.added.isoformat()}, a day still to come; give the day it was added",
        )
    _check_facets(annotation, shape, problems)  # (its links are checked as the study file is read)


def _run_together(category: str, leaves: Collection[str]) -> str:
    """After 'unknown category': when it is leaves run together by YAML, a '- ' item indented further
    than the one above it continuing that line ('a/b - c/d'), which line to mend; else ''. (A
    contributor's trial was offered the first leaf alone, and took it: the second was dropped.)"""
    parts = [part.strip() for part in category.split(" - ")]
    if len(parts) < 2 or not all(part.lstrip("- ") in leaves for part in parts):
        return ""
    return (
        f": YAML read {len(parts)} items as one, as a '- ' line indented further than the one above it "
        "continues that line; indent each '- ' line of categories alike"
    )


def _leaf_hint(category: str, leaves: list[str] | tuple[str, ...], nodes: Collection[str]) -> str:
    """After 'unknown category': the closest leaf, and every leaf under its parent when that is known
    (a leaf renamed since is among them, where the closest spelling may be its sibling; those of a
    sub-category beside it too, which a maintainer's trial found left out of 'the leaves under')."""
    parent = category.rpartition("/")[0]
    beside = [leaf for leaf in leaves if leaf.startswith(parent + "/")] if parent in nodes else []
    ending = [leaf for leaf in leaves if leaf.endswith("/" + category)]  # a leaf's id without its path
    # A leaf renamed by a word added or dropped ('spectral' to 'spectral-methods'): the one sibling whose
    # words hold its words or are held by them, before the closest spelling (a maintainer's trial was
    # offered 'spatial'); not where a sibling is a slip of a letter or two away ('agent' for 'agents',
    # not 'multi-agent': a review).
    last = category.rpartition("/")[2]
    lasts = {leaf.rpartition("/")[2]: leaf for leaf in beside}
    if len(ending) != 1 and closest(last, list(lasts), cutoff=0.85) is None:
        words = set(re.split(r"[-_]", last)) - {""}
        sharing = [leaf for name, leaf in lasts.items() if _held(words, set(re.split(r"[-_]", name)) - {""})]
        ending = sharing if len(sharing) == 1 else ending
    hint = f"; did you mean '{ending[0]}'?" if len(ending) == 1 else did_you_mean(category, leaves)
    if not beside:  # no known parent, nor a close spelling: every leaf, when they are few enough to read
        return hint or (f" (the leaves: {', '.join(leaves)})" if len(leaves) <= LISTED_LEAVES else "")
    shown = ", ".join(beside[:LISTED_LEAVES]) + (", ..." if len(beside) > LISTED_LEAVES else "")
    return f"{hint} (the leaves under '{parent}': {shown})"


def _held(one: set[str], other: set[str]) -> bool:
    """Whether one set of words holds the other, or is held by it, and they differ."""
    return bool(one) and bool(other) and one != other and (one <= other or other <= one)


LISTED_LEAVES = 12  # beside an unknown category, at most


def _check_facets(annotation: Annotation, shape: _Shape, problems: Problems) -> None:
    facets, faults = shape.facets, shape.faults
    given = dict(annotation.facets)
    for facet_id, values in annotation.facets:
        found = faults.get((facet_id, values))
        if found is None:
            found = faults[facet_id, values] = _facet_faults(facet_id, facets, values, shape.cause)
        for index, message in found:  # the line is looked up only for a facet with something to report
            # A value's own line if it has one (none for index -1), else the facet's.
            key = f"facets.{facet_id}"
            problems.add(annotation.line_of(f"{key}.{index}", key), message)
        facet = facets.get(facet_id)
        if facet is not None and facet.kind == "terms" and len(values) == 1 and "," in values[0]:
            _check_terms_alone(annotation, facet_id, values[0], problems)
    for facet in shape.taxonomy.facets:
        if facet.id not in given:
            problems.add(
                annotation.line_of("facets"),
                f"facet '{facet.id}' is missing; give its value"
                + (
                    " (the survey's rules ask every study for one)"
                    if facet.id in shape.known
                    else f", or '{NOT_STATED}'"
                ),
            )


def _check_terms_alone(annotation: Annotation, facet_id: str, value: str, problems: Problems) -> None:
    """A terms facet's one value, written alone, with a comma outside brackets: warned of as likely
    meant as a list (a maintainer's trial wrote 'GAT, MPNN', which the page shows as if two, and the
    matrix's filter for GAT missed). A quoted list item with a comma is left alone: a term may hold one."""
    alone = f"facets.{facet_id}.{ALONE}"
    parts = [part.strip() for part in _OUTSIDE_COMMA.split(value)]
    if len([part for part in parts if part]) < 2 or not annotation.says(alone):  # (else a list's item)
        return
    # Each part as a list's item must be written: quoted where YAML would split it or read it otherwise.
    items = [_as_item(part) for part in parts if part]
    problems.warn(
        annotation.line_of(alone),
        f"facet '{facet_id}': '{value}' is one value as written; for {len(items)}, write a list: "
        f"[{', '.join(items)}]; to keep it one value, quote it in a list: [{_quoted(value)}]",
    )


def _as_item(part: str) -> str:
    return part if _PLAIN_ITEM.fullmatch(part) else _quoted(part)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # (YAML's double-quoted scalar reads a JSON string)


# A comma outside brackets, where a value written alone is likely two ('Atari (Pong, Breakout), MuJoCo').
_OUTSIDE_COMMA = re.compile(r",(?![^()]*\))(?![^\[\]]*\])")
_PLAIN_ITEM = re.compile(r"[\w][\w .+/'-]*")  # an item a YAML list reads as written, unquoted


def _facet_faults(
    facet_id: str, facets: dict[str, Facet], values: tuple[str, ...], cause: str = ""
) -> list[tuple[int, str]]:
    """What is wrong with one facet's values in a study file (nothing, for nearly every one), each with
    the index of the value it is about (-1: the facet as a whole). `cause`: as _Shape's."""
    facet = facets.get(facet_id)
    if facet is None:
        # With the taxonomy's file faulty, the cause it may be (a maintainer's trial renamed a facet to
        # an id the site keeps for itself, and was told in every study file of a list without it).
        hint = cause or f"{did_you_mean(facet_id, list(facets))} (the facets are: {', '.join(facets)})"
        return [(-1, f"unknown facet '{facet_id}'{hint}")]
    found = []
    distinct = len(set(values))
    if facet.kind == "yes-no" and distinct > 1:
        found.append((-1, f"facet '{facet_id}' takes one value: {', '.join(YES_NO_VALUES)}"))
    if distinct > 1:
        found += [
            (
                values.index(unknown),
                f"facet '{facet_id}': '{unknown}' cannot be mixed with other values; keep the values, or "
                f"'{unknown}' alone",
            )
            for unknown in UNKNOWN_VALUES
            if unknown in values
        ]
    if distinct < len(values):
        found += [
            (index, f"facet '{facet_id}': '{value}' is listed twice; keep one")
            for index, value in enumerate(values)
            if value in values[:index]
        ]
    if facet.kind == "terms" or (facet.kind == "vocabulary" and not facet.values):
        return found  # (a vocabulary without values is the taxonomy's problem, reported there alone)
    allowed = facet.values if facet.kind == "vocabulary" else YES_NO_VALUES
    places = _vocabulary(tuple(allowed))[2]  # (each allowed value: looked up, not looked for)
    for index, value in enumerate(values):
        if value in UNKNOWN_VALUES or value in places:
            continue
        parts = [part.strip() for part in value.split(",")]
        if facet.kind == "vocabulary" and len(parts) > 1 and all(part in places for part in parts):
            found.append((index, f"facet '{facet_id}': '{value}' is one value; for {len(parts)}, write a "
                                 f"list: [{', '.join(parts)}]"))  # fmt: skip
        else:
            meant = _meant(value, allowed)
            # (A value of its own goes in the taxonomy: a contributor's trial was not told where.)
            new = (
                f"; a new value goes in the facet's values in {TAXONOMY}"
                if facet.kind == "vocabulary" and meant is None
                else ""
            )
            listed = (
                ", ".join(allowed)
                if len(allowed) <= MAX_LISTED
                else f"the {len(allowed):,} values in {TAXONOMY}"
            )
            found.append((index,
                f"facet '{facet_id}': '{value}' is not allowed{suggested(meant)} "
                f"(allowed: {listed}"
                + (f", {', '.join(UNKNOWN_VALUES)})" if facet.kind == "vocabulary" else ")")
                + new
            ))  # fmt: skip
    return found


TAXONOMY = "content/taxonomy.yaml"
# A value not allowed is told with the allowed values, up to this many; and compared by its letters with
# them, up to this many (a review's vocabulary of thousands of values: 880 MB of messages, 151 s).
MAX_LISTED, MAX_COMPARED = 40, 1_000


def _meant(value: str, allowed: tuple[str, ...] | list[str]) -> str | None:
    """The allowed value a value not allowed was most likely meant as: the longest one it holds as
    whole words ('human feedback' is 'human': a trial was offered 'no feedback', the closest by
    letters, which says the opposite), else the one alone that holds it as whole words, else the
    closest by letters (see closest)."""
    words, allowed = _words(value), tuple(allowed)
    held = _values_held(words, allowed)
    negated = _NEGATIONS & set(words.split())  # 'no human feedback' is not 'human' (a review found it)
    held = [choice for choice in held if negated <= set(_words(choice).split())]
    if held:
        return max(held, key=len)
    # One allowed value that holds it as whole words: 'bathyal' is 'bathyal (200-3000 m)' (a maintainer's
    # trial shortened its vocabulary's values so, and was offered nothing).
    holding = [  # (not one that says the opposite: 'human' is not 'no human feedback', a review found)
        choice for choice in _holding(words, allowed) if _NEGATIONS & set(_words(choice).split()) <= negated
    ]
    if len(holding) == 1:
        return holding[0]
    # (Compared by letters with a vocabulary of some size only: 0.7 s a value at 20,000 values.)
    near = closest(value, allowed) if len(allowed) <= MAX_COMPARED else None
    return near if near is None or not negated or _NEGATIONS & set(_words(near).split()) else None


_NEGATIONS = frozenset({"no", "not", "non", "without"})


def _values_held(words: str, allowed: tuple[str, ...]) -> list[str]:
    """The allowed values whose words the words hold, in a row, in the vocabulary's order: looked up by
    each run of the words, not by reading every allowed value (a review's vocabulary of 25,000 values
    and 2,700 values not in it in one file took 29 s)."""
    tokens = words.split()
    if not tokens:  # (only an allowed value of no words is held by none)
        return [choice for choice in allowed if _words(choice) in words]
    by_words, _, order, longest = _vocabulary(allowed)
    found = {
        choice
        for start in range(len(tokens))
        for end in range(start + 1, min(len(tokens), start + longest) + 1)
        for choice in by_words.get(" " + " ".join(tokens[start:end]) + " ", ())
    }
    return sorted(found, key=order.__getitem__)


def _holding(words: str, allowed: tuple[str, ...]) -> list[str]:
    """The allowed values that hold the words, in a row, in the vocabulary's order (see _values_held)."""
    tokens = words.split()
    if not tokens:
        return []
    _, by_word, _, _ = _vocabulary(allowed)
    fewest = min((by_word.get(token, ()) for token in tokens), key=len)  # (those of its rarest word)
    return [choice for choice in fewest if words in _words(choice)]


@lru_cache(maxsize=16)
def _vocabulary(
    allowed: tuple[str, ...],
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int], int]:
    """A vocabulary's values by their words, by each word they hold, their places, and the most words
    one holds."""
    by_words: dict[str, list[str]] = {}
    by_word: dict[str, list[str]] = {}
    order: dict[str, int] = {}
    longest = 0
    for place, choice in enumerate(allowed):
        words = _words(choice)
        order.setdefault(choice, place)
        by_words.setdefault(words, []).append(choice)
        for word in dict.fromkeys(words.split()):
            by_word.setdefault(word, []).append(choice)
        longest = max(longest, len(words.split()))
    return by_words, by_word, order, longest


@lru_cache(maxsize=65_536)  # (each allowed value's, for every value not allowed)
def _words(text: str) -> str:
    """The text's words (letters and digits), in one case, between spaces: 'Human-feedback' is
    ' human feedback '."""
    return " " + " ".join(_WORD.findall(text.casefold())) + " "


_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=65_536)  # the same terms recur across studies
def _fold(term: str) -> str:
    """A term as its spellings compare: its letters, digits and marks, in any script and in one Unicode
    form (NFC), case folded ('GPT-4', 'gpt 4'). (Letters outside a-z once folded to nothing: two
    Chinese terms were one term, and an accented one composed two ways two terms.)"""
    return "".join(c for c in unicodedata.normalize("NFC", term).casefold() if c.isalnum() or _is_mark(c))


def _is_mark(character: str) -> bool:
    return unicodedata.category(character).startswith("M")


# Letters of other scripts drawn as Latin ones (A B E S I J K M H O P C T X Y a e i j o p c y x s d q w h
# in Cyrillic, A B E Z H I K M N O P T Y X o v p in Greek, o u in Armenian): in a word whose other
# letters are Latin, or that has no others, one of these is a slip of the keyboard or a disguise ('PPO'
# with a Cyrillic 'O', U+041E, or all three Cyrillic, is not 'PPO').
_LOOK_ALIKE = frozenset(
    "\u0410\u0412\u0415\u0405\u0406\u0408\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0423"
    "\u0430\u0435\u0456\u0458\u043e\u0440\u0441\u0443\u0445\u0455\u0501\u051b\u051d\u04bb"
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7\u03bf\u03bd\u03c1"
    "\u0585\u057d"
)


def _look_alike(value: str) -> str:
    """The first letter of _LOOK_ALIKE in a word all of whose letters are Latin or of _LOOK_ALIKE; ''
    if none. (A word of its own script, Greek or Cyrillic, holds other letters too.)"""
    word: str
    for word in _WORD.findall(value):
        if word.isascii():
            continue
        letters = [c for c in word if c.isalpha()]
        if all(c.isascii() or c in _LOOK_ALIKE for c in letters):
            found = next((c for c in letters if c in _LOOK_ALIKE), "")
            if found:
                return found
    return ""


def _check_spellings(taxonomy: Taxonomy, annotations: list[Annotation], problems: Problems) -> None:
    """A free term must be spelled one way everywhere, so the matrix compares like with like.

    Uses are gathered as studies, in the order of their files; a use's line is looked up only for a
    message (at 10,000 studies, sorting by Location and a Location per use took 0.25 s).
    """
    terms = [facet.id for facet in taxonomy.facets if facet.kind == "terms"]
    # Two spellings of one term are two values that fold alike: looked for among the distinct values
    # first, each folded once (at 10,000 studies, 0.05 s less than gathering every use of every value).
    distinct: dict[str, set[str]] = {facet_id: set() for facet_id in terms}
    for annotation in annotations:
        for facet_id, given in annotation.facets:
            if facet_id in distinct:
                distinct[facet_id].update(given)
    disguised = {  # (facet, value): its letter of another script; each told at its first use, found once
        (facet_id, value): letter
        for facet_id, given_values in distinct.items()
        for value in sorted(v for v in given_values if not v.isascii())
        if (letter := _look_alike(value))
    }
    for annotation in annotations if disguised else ():
        for facet_id, given in annotation.facets:
            for value in given:
                if letter := disguised.pop((facet_id, value), ""):
                    problems.add(
                        annotation.line_of(f"facets.{facet_id}"),
                        f"facet '{facet_id}': '{value}' is written with '{letter}' (U+{ord(letter):04X}, "
                        f"{unicodedata.name(letter, 'a letter').lower()}), a letter of another script that "
                        "looks like a Latin one; the matrix would hold it apart from the term in Latin "
                        "letters: type it again",
                    )
    terms = [
        facet_id for facet_id in terms if len(set(map(_fold, distinct[facet_id]))) < len(distinct[facet_id])
    ]
    if not terms:
        return
    ordered = sorted(annotations, key=lambda a: (a.location.path, a.location.line))
    facets = [dict(annotation.facets) for annotation in ordered]
    for facet_id in terms:
        uses: dict[str, dict[str, list[Annotation]]] = {}
        for annotation, values in zip(ordered, facets, strict=True):
            for value in values.get(facet_id, ()):
                uses.setdefault(_fold(value), {}).setdefault(value, []).append(annotation)
        where = f"facets.{facet_id}"
        for spellings in uses.values():
            if len(spellings) == 1:
                continue
            # The most used; of as many uses, the one in the study added first, which the site has shown
            # longest (a contributor's trial, adding a study that spelled a term its own way, was told to
            # change the other study's file); then the first seen.
            usual = max(
                spellings, key=lambda v: (len(spellings[v]), -min(a.added.toordinal() for a in spellings[v]))
            )
            first = spellings[usual][0].line_of(where)
            for value, places in spellings.items():
                for annotation in places if value != usual else ():
                    alike = unicodedata.normalize("NFC", value) == unicodedata.normalize("NFC", usual)
                    how = " (the same letters, composed another way: type it again)" if alike else ""
                    problems.add(
                        annotation.line_of(where),
                        f"facet '{facet_id}': '{value}' is written '{usual}' at {first}{how}; use one "
                        "spelling",
                    )
