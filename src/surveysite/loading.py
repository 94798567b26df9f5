"""Stages 1 and 3 together: every .bib file and every study file, parsed as tasks two processes share.

Parsing BibTeX and reading study files take most of a large survey's loading time, and each file is
parsed on its own, so the files are shared out (see parallel.run_split); a large .bib file is parsed
in two halves, cut at the start of an entry near its middle. The results, problems and reused work
are exactly those of load_bibliography, then read_study of every study file in turn: halves are kept
only when each parsed cleanly on its own (no broken block, no repeated key, no @string definition
one half could use in the other); otherwise the whole file is parsed again.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import cast

from .bibliography import (
    BibPart,
    BibRecord,
    bib_paths,
    check_same_papers,
    distinct_records,
    paper_identities,
    parse_checked,
    parse_part,
    read_bib,
    tex_key,
)
from .cache import Memo, content_digest, digest
from .files import shown_path
from .model import Annotation, Reference
from .parallel import run_split
from .problems import Problem, Problems
from .references import make_reference
from .studies import kept_annotation, read_study, study_paths

SPLIT_BIB = 1_000_000  # a .bib file of this many characters or more is parsed in two halves
_STRING_BLOCK = re.compile(r"@\s*string", re.IGNORECASE)

# What each task gives: a part of a .bib file parsed (its records, and the reference made from each),
# or a study file read; each with the problems found.
# A part's records, the reference made from each and what tells each as a paper (paper_identities).
Part = tuple[BibPart, tuple[Reference, ...], tuple[list[tuple[str, str]], ...]]
Parsed = tuple[Part, list[Problem]]
Read = tuple[Annotation | None, list[Problem]]


def load_sources(
    root: Path,
    bib_dir: Path,
    studies_dir: Path,
    problems: Problems,
    memo: Memo,
    contents: Mapping[str, str] | None = None,
    beside: Callable[[], None] | None = None,
    tex: frozenset[str] = frozenset(),
) -> tuple[list[BibRecord], list[Annotation], set[str], dict[str, Reference], frozenset[str] | None]:
    """The bibliography's records, the study files' annotations, every study file's key, the
    references made from the records as each part was parsed (by key: see catalog.build_catalog), and
    the key of every entry of the .bib files, those refused too (None when a file could not be read:
    then any study's entry may be in it).
    `contents`: files by path with the digests of their bytes, as this run's stamp read them (see
    studies.kept_annotation). `beside`: work of the caller's that needs none of these files, done in
    this process, first, while a child reads its share of them (what it makes is the caller's to keep).
    `tex`: the survey's own TeX commands, which its fields may hold (see bibliography.tex_allowed)."""
    contents = contents or {}
    files = [
        _bib_file(root, path, contents.get(str(path)), memo, problems, tex)
        for path in bib_paths(root, bib_dir, problems)
    ]
    texts = [file for file in files if file is not None]
    parts = [(shown, text, offset) for shown, text, layout, _ in texts for offset, text, _ in layout]
    keys = [key for _, _, layout, _ in texts for _, _, key in layout]
    misnamed: set[str] = set()  # the keys of study files named in capitals: reported as such alone
    entries = study_paths(root, studies_dir, problems, misnamed)
    # A study file the stamp read whose annotation the Memo keeps is neither read again nor a task.
    kept: dict[int, Annotation | None] = {}
    for index, (_, path, shown) in enumerate(entries):
        content = contents.get(path)
        if content is not None:
            known, annotation = kept_annotation(shown, content, memo, problems)
            if known:
                kept[index] = annotation
    # (Paths as strings: 10,000 Path objects took 0.07 s before the work is shared, and the same again
    # to stat each file for its weight; each task makes its own.)
    paths = [(key, path, shown) for index, (key, path, shown) in enumerate(entries) if index not in kept]
    # First halves, then the study files, then second halves: the process that takes the first part
    # of the list and the one that takes the rest each get half of a split file (of one, at least:
    # the halves of others may fall where the two processes meet, which either may claim).
    order = [i for i, (_, _, offset) in enumerate(parts) if not offset]
    order += [i for i, (_, _, offset) in enumerate(parts) if offset]
    first = sum(1 for _, _, offset in parts if not offset)
    tasks: list[Callable[[], Parsed | Read]] = [
        *(partial(_parsed, *parts[i], keys[i], memo, tex) for i in order[:first]),
        *(partial(_read, root, path, shown, key, memo) for key, path, shown in paths),
        *(partial(_parsed, *parts[i], keys[i], memo, tex) for i in order[first:]),
    ]
    # The work each task is likely to take: none for a part of a .bib file kept in the Memo, none for
    # a study file older than the cache file (its annotation kept, most likely); else their size.
    weighed = [0 if memo.known(keys[i]) else len(parts[i][1] or "") for i in order]
    studies = _study_weights([path for _, path, _ in paths], memo.written)
    weights = [*weighed[:first], *studies, *weighed[first:]]
    # The caller's work first, weighed as about a fortieth of the rest (the shares meet where they do).
    extra: list[Callable[[], Parsed | Read | None]] = [beside] if beside is not None else []
    work = [*extra, *tasks]
    done = run_split(work, [sum(weights) // 40] * len(extra) + weights, memo, here=len(extra))[len(extra) :]
    read_anew = iter(cast(list[Read], done[first : first + len(paths)]))  # the study files' tasks, as listed
    by_part = dict(zip(order, cast(list[Parsed], done[:first] + done[first + len(paths) :]), strict=True))
    parsed = [by_part[i] for i in range(len(parts))]
    made = {reference.key: reference for (_, references, _), _ in parsed for reference in references}
    every = all(file is not None for file in files)
    entries_seen = frozenset().union(*(part.keys for (part, _, _), _ in parsed)) if every else None
    records = []
    for shown, text, layout, whole_key in texts:
        records.append(_whole(shown, text, whole_key, parsed[: len(layout)], memo, problems, tex))
        parsed = parsed[len(layout) :]
    read: list[Annotation | None] = []
    for index in range(len(entries)):
        if index in kept:
            read.append(kept[index])
            continue
        annotation, found = next(read_anew)
        problems.extend(found)
        read.append(annotation)
    annotations = [annotation for annotation in read if annotation is not None]
    distinct = distinct_records(records, problems)
    # Each record's identities as its part gave them (a file parsed whole: made in the check).
    identities = {id(record): found for (part, _, ids), _ in by_part.values()
                  for record, found in zip(part.records, ids, strict=True)}  # fmt: skip
    # A paper entered twice is found by reading every entry: kept under the keys of the .bib files'
    # parts (and of a file parsed whole), which name their text, so that a run after a study file's
    # edit does not read them all again (0.05 s at 10,000 studies).
    if memo.keep:
        whole_keys = [whole for _, _, _, whole in texts]
        memo.checked(
            digest("same papers", *keys, *whole_keys),
            problems,
            partial(check_same_papers, distinct, identities=identities),
        )
    else:
        check_same_papers(distinct, problems, identities)
    return (
        distinct,
        annotations,
        {key for key, _, _ in entries} | misnamed,
        made,
        entries_seen,
    )


def halves(text: str) -> list[tuple[str, int]]:
    """The text of a .bib file in parts, each with the number of lines before it: two halves cut where
    an entry starts on a line of its own near the middle, or the whole text when small or unsplittable."""
    if len(text) < SPLIT_BIB or _STRING_BLOCK.search(text):
        return [(text, 0)]
    cut = text.find("\n@", len(text) // 2) + 1
    if cut <= 0:
        return [(text, 0)]
    return [(text[:cut], 0), (text[cut:], text.count("\n", 0, cut))]


def _whole(
    shown: str,
    text: str | None,
    key: str,
    parsed: list[Parsed],
    memo: Memo,
    problems: Problems,
    tex: frozenset[str] = frozenset(),
) -> list[BibRecord]:
    """One file's records from its parts, or from parsing it whole (kept under `key`) when the halves
    disagree with it. (`text` is None for a file not read again: see _bib_file.)"""
    parts: list[BibPart] = [part for (part, _, _), _ in parsed]
    if _halves_agree(parts):
        for _, found in parsed:
            problems.extend(found)
        return [record for part in parts for record in part.records]
    assert text is not None or memo.known(key), "a file is not read again only when all it needs is kept"
    return memo.checked(key, problems, partial(parse_checked, text or "", shown, tex=tex))


# A .bib file as loading uses it: its shown path, its text (None when not read again), its parts (each
# its line offset, its text or None, and its key) and the key of the file parsed whole.
BibFile = tuple[str, str | None, list[tuple[int, str | None, str]], str]


def _bib_file(
    root: Path,
    path: Path,
    content: str | None,
    memo: Memo,
    problems: Problems,
    tex: frozenset[str] = frozenset(),
) -> BibFile | None:
    """A .bib file cut into parts (see halves), None when it cannot be read (its problems recorded).

    Where it is cut, each part's key and the key of the file parsed whole are kept under the digest of
    its bytes (cache.content_digest), with the problems reading it found: a file the stamp of this run
    read (`content`: that digest) whose parts, and the whole if its halves disagree, are all kept is
    not read, cut or hashed again (9 MB, a tenth of a second of a run after one edit at 10,000 studies).
    Every key names the survey's own TeX commands too (`tex`), which change what a part's check finds."""
    shown = shown_path(root, path)
    commands = tex_key(tex)
    if content is not None and memo.keep:
        layout_key = digest("bib file", shown, content, commands)
        if memo.known(layout_key):
            found, layout, whole_key = memo.kept(layout_key)
            if all(memo.known(key) for _, key in layout) and (_agree(layout, memo) or memo.known(whole_key)):
                problems.extend(found)
                return shown, None, [(offset, None, key) for offset, key in layout], whole_key
    found = Problems()
    text, data = read_bib(root, path, found)
    problems.extend(found.sorted())
    if text is None:
        return None
    cut = halves(text)
    keys = [_part_key(shown, part, offset, commands) if memo.keep else "" for part, offset in cut]
    whole_key = digest("bib", shown, text, commands) if memo.keep and len(cut) > 1 else ""
    if memo.keep:  # under what the file's bytes are now, which the stamp may not have read
        layout = [(offset, key) for (_, offset), key in zip(cut, keys, strict=True)]
        made = (found.sorted(), layout, whole_key)
        memo.get(digest("bib file", shown, content_digest(data), commands), lambda: made)
    return (
        shown,
        text,
        [(offset, part, key) for (part, offset), key in zip(cut, keys, strict=True)],
        whole_key,
    )


def _agree(layout: list[tuple[int, str]], memo: Memo) -> bool:
    """Whether a file's kept parts make its records without parsing it whole (see _whole)."""
    return _halves_agree([memo.kept_checked(key, Problems())[0] for _, key in layout])  # see _part


def _halves_agree(parts: list[BibPart]) -> bool:
    """Whether a file's parts give its records as parsing it whole would: it was not cut, or both
    halves parsed cleanly and share no key (else it is parsed whole, which reports what they hid)."""
    return len(parts) == 1 or (all(part.clean for part in parts) and not parts[0].keys & parts[1].keys)


def _parsed(
    shown: str, text: str | None, offset: int, key: str, memo: Memo, tex: frozenset[str] = frozenset()
) -> Parsed:
    found = Problems()
    # (`text` None: the part is kept, see _bib_file)
    part = memo.checked(key, found, partial(_part, text or "", shown, offset, tex=tex))
    return part, found.sorted()


def _part(text: str, shown: str, offset: int, problems: Problems, tex: frozenset[str] = frozenset()) -> Part:
    """A part's records, the reference of each and what tells each as a paper, made in whichever
    process parses the part (at 10,000 studies, the references were 0.7 s that the catalog made in
    this process alone; the papers' identities 0.15 s of the check for a paper entered twice, in this
    process, the other core idle: most of it a child's records, their fields made again from a string)."""
    part = parse_part(text, shown, offset, problems, identifiers=True, tex=tex)
    identities = tuple(paper_identities(record) for record in part.records)
    return part, tuple(make_reference(record) for record in part.records), identities


def _read(root: Path, path: str, shown: str, key: str, memo: Memo) -> Read:
    found = Problems()
    # (from study_paths: in an accepted folder)
    annotation = read_study(root, path, found, memo, True, shown, key)
    return annotation, found.sorted()


def _part_key(shown: str, text: str, offset: int, commands: str = "") -> str:
    return digest("bib-part", shown, str(offset), text, commands)


SAMPLED = 64  # with no cache file, the study files' sizes are taken as the mean of about this many


def _study_weights(paths: list[str], since: int | None) -> list[int]:
    """Each study file's weight (see _weight). With no cache file (`since` None), all alike: the mean
    size of a few spread over the list. The weights only set where the two processes' shares start
    (they meet wherever the quicker one gets to), and a stat of each file was 0.05 s at 10,000 studies,
    before the work is shared."""
    if since is not None or len(paths) <= SAMPLED:
        return [_weight(path, since) for path in paths]
    sample = [_weight(path, None) for path in paths[:: len(paths) // SAMPLED]]
    return [sum(sample) // len(sample)] * len(paths)


def _weight(path: str, since: int | None) -> int:
    """A study file's size, or 0 when it is older than `since` (see load_sources)."""
    try:
        status = os.stat(path)
    except OSError:
        return 0
    return 0 if since is not None and status.st_mtime_ns < since else status.st_size
