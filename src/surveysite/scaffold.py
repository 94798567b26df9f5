"""`surveysite new`: add studies from BibTeX entries: each entry to bib/, a stub study file for each."""

from __future__ import annotations

import bisect
import contextlib
import os
import re
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path

from bibtexparser import model

from .bibblock import Field
from .bibliography import (
    INHERITED_FROM_VOLUME,
    KEY_PATTERN,
    MAX_FILE_BLOCKS,
    MAX_FILE_BYTES,
    BibRecord,
    Mended,
    bibtex_library,
    concatenated,
    crossref_key,
    crossref_problem,
    load_bibliography,
    mended_fields,
    paper_identities,
    parse_part,
    read_bib,
    string_values,
    text_lines,
    too_many_blocks,
)
from .build import Project
from .files import (
    FileRefused,
    byte_order_mark,
    check_characters,
    refusal,
    shown_path,
    write_text,
)
from .formatting import kept_macros, written_blocks
from .model import UNKNOWN_VALUES, Taxonomy
from .paths import STUDIES, address, study_page
from .problems import Location, Problems, in_words
from .published import PUBLISHED_PATH, read_published
from .references import plain_letters
from .rules import Rules, check_record, example_parts, rule_key, rule_keys, rule_unmade
from .studies import FILE_NAME, TODO
from .survey import load_survey
from .taxonomy import load_taxonomy

NEW_ENTRIES_FILE = "studies.bib"


class ScaffoldError(Exception):
    """The entry cannot be added; the message says why and what to do."""


class NotWritten(ScaffoldError):
    """A file or folder could not be written (and nothing was added): the machine's refusal, not the
    data's, which the command's exit status tells apart."""


def add_studies(
    project: Project,
    bibtex: str,
    today: str,
    shown: str = "<stdin>",
    left_out: list[tuple[Location, str, str, bool]] | None = None,
    rekeyed: list[tuple[str, str]] | None = None,
    mended: Mended | None = None,
    skipped: list[tuple[Location, str, str]] | None = None,
) -> tuple[list[str], Path, list[Path], list[str]]:
    """Append the entries to bib/ and create a study stub for each, or do nothing: every entry is
    checked first (its fields, the survey's rules, a paper already here or given twice, a study file
    already there). Returns (keys, bib file, study files, warnings: what the entries were added with,
    such as a misspelled field's name). `shown`: where the entries were read, as their problems name
    it (the file given, or standard input). With `left_out`, the fields the site does not keep (an
    abstract, a reference manager's link to its copy, its notes) are left out of what is added, and
    listed there with their lines, rather than refused (the entries given are not changed). With
    `rekeyed`, an entry whose key the survey's key rule refuses takes the key the rule suggests, and
    the old and new keys are listed there (a reference manager's keys, 'smith_graphs_2019', are
    refused by it; a contributor's trial renamed them by hand). With `mended` (given with `left_out`),
    what an export writes its own way is written as BibTeX reads it, and listed there with its line
    (see bibliography.mended_fields: biblatex's journaltitle and date, a DOI as an address, ...).
    With `skipped`, an entry of a paper bib/ holds already is left out rather than refused, and listed
    there (its line, its key as given, and the entry it is), so that a whole export can be given
    again with its new entries (a maintainer's trial deleted ten duplicates by hand); when every entry
    is so, nothing is added and no key returned."""
    problems = Problems()
    bib_file = project.bib / NEW_ENTRIES_FILE
    before = mark = ""
    if os.path.lexists(bib_file):
        found = Problems()
        text, data = read_bib(project.root, bib_file, found)
        before, mark = text or "", byte_order_mark(data)
        if found:
            raise ScaffoldError("\n".join(str(p) for p in found.sorted()) + "\nnothing was added")
        line = _left_open(before)
        if line is not None:  # (a hostile-input trial's new entry was added inside it, and lost to it)
            raise ScaffoldError(
                f"{shown_path(project.root, bib_file)}:{line}: this block's braces do not close, so what is "
                "added after it would be read as part of it; mend it (`surveysite check` tells how), then "
                "add again; nothing was added"
            )
    survey = load_survey(project.root, Problems())  # (its rules, and the TeX commands its fields may hold)
    records: list[BibRecord] = []
    strings: list[str] = []  # the @string definitions given that the file has not, to go before the entries
    read = records  # every entry read, those refused for a field too: each is looked for among bib/'s
    stripped: list[tuple[Location, str, str, bool]] | None = None  # what --strip would leave out
    mendable: Mended | None = None  # and what it would write as BibTeX reads it
    passed_over: list[str] = []  # the volumes the entries cross-reference, each told with its line
    if left_out is not None:
        bibtex = _without_prose(bibtex, shown, left_out)
    library = load_bibliography(project.root, project.bib, Problems(), tex=survey.tex_commands)
    given_whole = bibtex
    if skipped is not None:  # (before the volumes: a review was told what an entry left out took from one)
        bibtex = _without_known(bibtex, shown, library, skipped)
    bibtex = _without_volumes(bibtex, shown, passed_over, given_whole)
    stand_ins: dict[str, str] = {}  # with --rekey, each key no address can be made of, under a stand-in
    if rekeyed is not None:
        bibtex = _stood_in(bibtex, stand_ins, {record.key.lower() for record in library})
    if check_characters(bibtex, shown, 1, problems):
        target = shown_path(project.root, bib_file)
        records, strings = _read_entries(
            bibtex, shown, before, target, problems, left_out, survey.tex_commands, mended
        )
        if left_out and stand_ins:  # (told by the key given)
            left_out[:] = [
                (place, stand_ins.get(key, key), name, kept) for place, key, name, kept in left_out
            ]
        if mended and stand_ins:
            mended[:] = [(place, stand_ins.get(key, key), kind, what) for place, key, kind, what in mended]
        read = records
        if problems and left_out is None:  # (an entry refused for a field, an export's abstract, is not
            # among the records: read so that a paper already here is told, first: a contributor's trial
            # was told only of its fields)
            stripped, mendable = [], []
            read, _ = _read_entries(
                bibtex, shown, before, target, Problems(), stripped, survey.tex_commands, mendable
            )
    if not records and not problems:
        if skipped:  # (every entry given is of a paper here; what else the text held is told, if anything)
            return [], bib_file, [], passed_over
        raise ScaffoldError(f"{shown}: expected a BibTeX entry, found none")
    as_given: dict[str, str] = {}  # each key --rekey made, to the key given (which a message names)
    if rekeyed is not None:  # (a key made is one no entry here or given has: a trial's was taken)
        taken = {record.key.lower() for record in (*library, *read)}
        records = _rekeyed(survey.rules, records, rekeyed, stand_ins, set(taken))
        renamed_read: list[tuple[str, str]] = []
        read = (
            records if read is records else _rekeyed(survey.rules, read, renamed_read, stand_ins, set(taken))
        )
        # (A maintainer's trial was told of a paper 'given twice, as ouyang2022language at line 24', a key
        # made for the entry there, which its line did not give, and which it did not keep when added.)
        as_given.update((key, old) for old, key in (*rekeyed, *renamed_read))
    for new in records:  # (a key the rules refuse is told with every other fault, below)
        check_record(survey.rules, new, problems)
    faults: list[str] = []  # every entry's, at once: a batch is mended in one go
    # A study removed from the site, its page moved in the record of published addresses: given again
    # (a maintainer's trial gave its export again with --skip-existing, and the study it had removed
    # came back), left out with --skip-existing, else refused.
    removed = _removed(project.root, records)
    for new in [new for new in records if new.key in removed]:
        number, target = removed[new.key]
        moved = f"{PUBLISHED_PATH}:{number} moves its page, /{address(study_page(new.key))}, to /{target}"
        if target.startswith(f"{STUDIES}/"):  # a study renamed: another paper (its own is here already),
            # whose key would take the address its readers are sent on from (a review: told 'removed')
            faults.append(
                f"{new.location}: the key '{new.key}' was a study's, renamed since: {moved}; give this entry "
                "another key"
            )
            del removed[new.key]
        elif skipped is not None:
            skipped.append((new.location, as_given.get(new.key, new.key), f"removed from the site: {moved}"))
        else:
            faults.append(
                f"{new.location}: '{new.key}' was removed from the site: {moved}; to add it again, delete "
                "that line (`--skip-existing` leaves it out)"
            )
    if removed and skipped is not None:
        remaining = [new for new in records if new.key not in removed]
        read = remaining if read is records else [new for new in read if new.key not in removed]
        records = remaining
        if not records and not problems:
            return [], bib_file, [], passed_over
    here = _by_identity(library)
    given: dict[tuple[str, str], BibRecord] = {}
    batch = {new.key.lower() for new in records}  # a crossref left is to an entry here or given with it
    for new in records:
        named = crossref_key(new)
        if named and named.lower() not in batch and ("key", named.lower()) not in here:
            faults.append(f"{new.location}: {crossref_problem(new.key, named)}")
    known: list[str] = []  # a paper already here, or given twice: told first, no other mending needed
    known_lines: list[int] = []  # where each such entry begins: what else is told of it is left out
    refused = set()
    for new in read:
        identities = _identities(new)
        for identity in [*identities[1:], identities[0]]:  # the same paper told before the same key
            if (old := here.get(identity)) is not None:
                clash = _clash(new, old, identity[0], str(old.location))
            elif (old := given.get(identity)) is not None:
                clash = _clash(
                    new, old, identity[0], f"line {old.location.line}", as_given.get(old.key, old.key)
                )
            else:
                continue
            if identity[0] == "key":
                faults.append(f"{new.location}: {clash}")
            else:
                known.append(f"{new.location}: {clash}")
                known_lines.append(new.location.line)
            refused.add(new.key)
            break
        given.update((identity, new) for identity in identities)
    study_files = [project.content / "studies" / f"{new.key}.yaml" for new in records]
    faults += [  # (only a key a study file may be named by names a path looked up)
        f"{shown_path(project.root, study_file)} already exists; not overwritten (if it is this entry's, "
        "add the entry to bib/ yourself and run `surveysite format`; else give the entry another key)"
        for new, study_file in zip(records, study_files, strict=True)
        if new.key not in refused and FILE_NAME.match(study_file.name) and os.path.lexists(study_file)
    ]
    if problems or faults or known:  # all at once, the fields' and the papers' (a trial's took two runs)
        # What is wrong with an entry of a paper already here is no matter: it is not to be added.
        starts = sorted({new.location.line for new in read})
        spans = [(line, next((s for s in starts if s > line), None)) for line in known_lines]

        def untold(place: Location) -> bool:
            within = (a <= place.line and (b is None or place.line < b) for a, b in spans)
            return place.path == shown and any(within)

        rest = [str(p) for p in problems.sorted() if not untold(p.location)]
        told = [*passed_over, *known, *rest, *faults]  # (a volume left out is told when nothing is added too)
        if skipped:  # (a review: what --skip-existing left out was not said when the rest was refused)
            told += [f"{place}: already here as {entry}; left out" for place, _, entry in skipped]
        between: list[tuple[Location, str, str, bool]] = []  # (text between the entries, which --strip
        # leaves out)
        if left_out is None and rest:
            _without_prose(bibtex, shown, between)
        hint = (
            _strip_hint(bibtex, shown, before, untold, stripped, mendable, bool(between))
            if left_out is None and rest
            else None
        )
        if hint:  # (a trial's maintainer deleted a Zotero export's fields by hand, entry by entry)
            told.append(hint)
        unusable = any(  # (a key no address is made of: a maintainer's trial was not told of --rekey)
            _is_entry(head) and not KEY_PATTERN.match(head.group(3)) for head in _ENTRY_HEAD.finditer(bibtex)
        )
        if known and skipped is None and len(read) > len(known):  # (a trial: a second export overlapped)
            told.append(
                "(`surveysite new --skip-existing` leaves out each paper already here, or given twice, and "
                "adds the rest)"
            )
        for new in records if rekeyed is not None else ():  # (a trial's entry of authors and title
            # in Han characters: --rekey said nothing of it)
            if rule_unmade(survey.rules, new):
                missing = [
                    part for part, found in zip(_KEY_PARTS, example_parts(new), strict=True) if not found
                ]
                lacking = in_words(missing, "or")
                told.append(
                    f"(`--rekey` could make no key of '{stand_ins.get(new.key, new.key)}': it found no "
                    f"{lacking} to make one of, in Latin letters; write its key by hand, and give the "
                    "study's `name:` the key's last word)"
                )
        if rekeyed is None and (unusable or any(rule_key(survey.rules, new) for new in records)):
            told.append(
                "(`surveysite new --rekey` gives each entry whose key cannot be used, or the rule refuses, "
                "the key the rule suggests)"
            )
        raise ScaffoldError(_given_keys("\n".join(told), stand_ins) + "\nnothing was added")
    taxonomy = load_taxonomy(project.root, project.content / "taxonomy.yaml", Problems())
    kinds = [kind for kind, _ in survey.links]
    edition = survey.edition_of.short_name if survey.edition_of else ""
    stub = study_stub(taxonomy, today, kinds[0] if kinds else "", survey.rules.known_facets, edition)
    # One blank line between the file's last line and the entries, as `format` writes: a file that ended
    # in two blank lines, or none, needed formatting after `new` (a maintainer's trial).
    kept = before.rstrip()
    separator = "\n\n" if kept else ""
    entries = "\n".join(f"{block}\n" for block in [*strings, *(new.bibtex for new in records)])
    if "\r\n" in before:  # a file saved with Windows' line endings keeps them (a trial's got both kinds)
        separator, entries = separator.replace("\n", "\r\n"), entries.replace("\n", "\r\n")
    written = f"{mark}{kept}{separator}{entries}"
    # (A hostile-input review's grew past what check reads of one file: its bytes, or its '@'.)
    over = (
        f"be over {MAX_FILE_BYTES:,} bytes"
        if len(written.encode("utf-8")) > MAX_FILE_BYTES
        else f"hold over {MAX_FILE_BLOCKS:,} '@'"
        if too_many_blocks(written) is not None
        else ""
    )
    if over:
        raise ScaffoldError(
            f"{shown_path(project.root, bib_file)} would {over} with these entries, more than `surveysite "
            "check` reads of one file; move some of its entries to another file in bib/ first; nothing was "
            "added"
        )
    _write_all(project.root, [(f, stub) for f in study_files], (bib_file, written))
    warnings = passed_over + [_given_keys(str(p), stand_ins) for p in problems.sorted() if p.warning]
    return [new.key for new in records], bib_file, study_files, warnings


# An entry's first line, up to the comma after its key (at a line's start: not an '@' within a value).
_HEAD = r"([ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]\s*)([^,\s{}()]+)([ \t]*,)"
_ENTRY_HEAD = re.compile(f"^{_HEAD}", re.MULTILINE)
# The same anywhere on a line: after a ')' closing an entry before it, as BibTeX and bibtexparser read it.
_HEAD_WITHIN = re.compile(_HEAD)


# A field naming the entry whose fields an entry takes (BibTeX's crossref), where a field begins (at
# a line's start or after a comma), with what leads it and the comma after it; and the kinds of entry
# so named.
_CROSSREF = re.compile(
    r"(^|,)([ \t]*)crossref[ \t]*=[ \t]*"
    r"(?:\{[ \t]*([^{}\"\s]+)[ \t]*\}|\"[ \t]*([^{}\"\s]+)[ \t]*\")([ \t]*,)?",
    re.MULTILINE | re.IGNORECASE,
)
_VOLUMES = ("proceedings", "book", "collection", "mvproceedings", "mvbook", "mvcollection")
_ANY_BLOCK = re.compile(r"^[ \t]*@", re.MULTILINE)


def _crossref_key(field: re.Match[str]) -> str:
    return field.group(3) or field.group(4)


def _left_open(text: str) -> int | None:
    """The line of a file's last block (an entry, an @string) when the brace or parenthesis that opens
    it is never closed; None when it is, or when the file has none."""
    last = max(_ANY_BLOCK.finditer(text), key=lambda block: block.start(), default=None)
    opening = _BLOCK_OPEN.match(text, last.start()) if last is not None else None
    if last is None or opening is None or _closed_at(text, opening.start(1), opening.group(1)) is not None:
        return None
    return text.count("\n", 0, last.start()) + 1


def _closed_at(text: str, start: int, opener: str = "{", limit: int | None = None) -> int | None:
    """Where the block whose '{' or '(' (`opener`) is at `start` is closed (just after its closer), as
    bibtexparser reads it: a brace or quote after a backslash ('\\{', 'M\\"uller') counts for nothing,
    and a block in parentheses closes at a ')' outside braces and quotes ('{Emoticons :) in ...}' holds
    one: a hostile-input review's title lost a line); None when it is not closed before `limit`."""
    depth, quoted, at, end = 0, False, start + 1, len(text) if limit is None else min(limit, len(text))
    while at < end:
        found = _BLOCK_MARK.search(text, at, end)
        if found is None:
            return None
        char, at = found.group(), found.end()
        if char[0] == "\\":
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0 and opener == "{":
                return at
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == ")" and depth <= 0 and not quoted and opener == "(":
            return at
    return None


# What _closed_at counts; a brace or quote after a backslash counts for nothing ('M\\"uller': a review).
_BLOCK_MARK = re.compile(r'\\[{}"]|[{}")]')


def _block_end(bibtex: str, head: re.Match[str], fallback: int) -> int:
    """Where the entry `head` begins ends: after the brace or parenthesis closing its '{' or '(' (a block
    of any kind may follow it: an @string); when it is not closed before `fallback` (the next entry's
    head), at the next line beginning with '@', or `fallback`."""
    opener = head.group(1).rstrip()[-1:]
    closed = _closed_at(bibtex, head.start(1) + head.group(1).rfind(opener), opener, fallback)
    if closed is not None:
        return closed
    after = _ANY_BLOCK.search(bibtex, head.end())
    return min(after.start(), fallback) if after else fallback


def _fields_of(block: str, readable: bool = True) -> dict[str, str]:
    """An entry's fields by their names in small letters, each on one line; with `readable`, only those
    braced or a number (a bare word is an @string's name, which this entry alone does not resolve);
    none for an entry that cannot be read."""
    try:
        entries = bibtex_library(block).entries
    except Exception:  # (what bibtexparser makes of broken text is told when the entries are read)
        return {}
    if len(entries) != 1:
        return {}
    return {
        field.key.lower(): " ".join(str(field.value).split())  # (lines joined: what is told keeps its lines)
        for field in entries[0].fields
        if not readable
        or (
            isinstance(field.value, str)
            and (getattr(field, "enclosing", None) != "no-enclosing" or field.value.isdigit())
        )
    }


def _without_volumes(bibtex: str, shown: str, told: list[str], named_in: str | None = None) -> str:
    """The entries without those of whole volumes (proceedings, books) that another of them names in its
    'crossref', each blanked line by line (what is told of the rest keeps its lines) and told in `told`.
    A maintainer's trial gave DBLP's export of a paper, which adds the proceedings it appeared in:
    'no author field' was told of the proceedings, and nothing was added. A paper's crossref to a volume
    left out gives way to what the paper takes from it (INHERITED_FROM_VOLUME) that it has not of its
    own, on the crossref's line: a paper without a booktitle kept no venue (a review). `named_in`: the
    text whose crossrefs name the volumes, when entries naming them have been left out of `bibtex`
    already."""
    named = {_crossref_key(field).lower() for field in _CROSSREF.finditer(named_in or bibtex)}
    if not named:
        return bibtex
    heads = list(_ENTRY_HEAD.finditer(bibtex))
    volumes: dict[str, dict[str, str]] = {}
    spans: list[tuple[int, int, str, str]] = []  # each volume left out: where, its kind and its key
    for index, head in enumerate(heads):
        if head.group(2).lower() not in _VOLUMES or head.group(3).lower() not in named:
            continue
        end = _block_end(bibtex, head, heads[index + 1].start() if index + 1 < len(heads) else len(bibtex))
        volume = _fields_of(bibtex[head.start() : end])
        if "title" in volume and "booktitle" not in volume:  # (the volume's title, the paper's booktitle)
            volume["booktitle"] = volume["title"]
        volumes[head.group(3).lower()] = volume
        spans.append((head.start(), end, head.group(2).lower(), head.group(3)))
    if not spans:
        return bibtex
    # The entries' heads wherever they stand: one after the ')' closing a volume, on its line (a
    # hostile-input review's paper was named by the volume's key, as the one taking its booktitle).
    within = list(_HEAD_WITHIN.finditer(bibtex))
    heads_at = [head.start() for head in within]  # (in order)
    taken_by: dict[str, list[str]] = {}  # by volume: what each entry naming it took ("'key' its year")
    read: dict[int, tuple[dict[str, str], str]] = {}  # each entry's fields and key, by its head's place

    def inherited(field: re.Match[str]) -> str:  # a crossref to a volume left out, which bib/ would not hold
        volume = volumes.get(_crossref_key(field).lower())
        if volume is None:
            return field.group(0)
        index = bisect.bisect_right(heads_at, field.start()) - 1  # the entry it is a field of
        own: dict[str, str] = {}
        key = ""
        if index >= 0:
            if index not in read:  # (once an entry: read for each of its crossrefs, a review's took 254 s)
                head = within[index]
                # (Every field it has counts, an @string's name too: a review's 'month = jan' was twice.)
                block = bibtex[head.start() : _block_end(bibtex, head, len(bibtex))]
                read[index] = _fields_of(block, readable=False), head.group(3)
            own, key = read[index]
        names = [name for name in INHERITED_FROM_VOLUME if name in volume and name not in own]
        if names and key:
            taken_by.setdefault(_crossref_key(field).lower(), []).append(
                f"'{key}' takes its {in_words(names)}"
            )
        lead, space, comma = field.group(1), field.group(2), field.group(5) or ""
        if not names:
            return lead if comma else ""
        fields = ", ".join(f"{name} = {{{volume[name]}}}" for name in names)
        return f"{lead}{space}{fields}{',' if comma else ''}"

    # The volumes blanked, and each crossref outside them given way (positions in the whole text).
    edits = [(start, end, _blank(bibtex[start:end])) for start, end, _, _ in spans]
    starts = [start for start, _, _, _ in spans]  # (in order, apart)
    edits += [
        (field.start(), field.end(), inherited(field))
        for field in _CROSSREF.finditer(bibtex)
        if (at := bisect.bisect_right(starts, field.start()) - 1) < 0 or field.start() >= spans[at][1]
    ]
    edited = _edited(bibtex, edits)
    for start, _, kind, key in spans:
        line = bibtex.count("\n", 0, start) + 1
        taken = taken_by.get(key.lower())
        # (A maintainer's trial found the sentence hard to read, and took it for an error: it is not one.)
        told.append(
            f"{shown}:{line}: warning: the {kind} '{key}' is left out, as the site keeps one entry for each "
            "study, and so is each 'crossref' naming it"
            + (f"; as BibTeX would, {'; '.join(taken)} from it" if taken else "")
        )
    return edited


_KEY_PARTS = ("surname", "year", "title word")  # what the key rule makes a key of (rules.example_parts)


def _is_entry(head: re.Match[str]) -> bool:
    """Whether an _ENTRY_HEAD match begins an entry (not a @string, @comment or @preamble)."""
    return head.group(2).lower() not in ("string", "comment", "preamble")


def _removed(root: Path, records: list[BibRecord]) -> dict[str, tuple[int, str]]:
    """Each of the records whose study page the record of published addresses moves (a study removed
    from the site): by key, the move's line and the address it moves to."""
    record = read_published(root, Problems())  # (its own problems are check's to tell)
    if record is None:
        return {}
    found = {}
    for new in records:
        page = address(study_page(new.key))
        if page in record.moved:
            found[new.key] = (record.listed[page], record.moved[page])
    return found


def _without_known(
    bibtex: str,
    shown: str,
    library: list[BibRecord],
    skipped: list[tuple[Location, str, str]],
) -> str:
    """The entries without each of a paper `library` holds (the same DOI, arXiv id or title, as
    add_studies refuses one), blanked line by line (what is told of the rest keeps its lines), each
    listed in `skipped` (a paper given twice in the text too, after its first). Entries are read as
    bibtexparser reads them, with what --strip writes of an arXiv id or a DOI, whatever else is wrong
    with them but what bibtexparser cannot read (a trial's export, given again, had entries of papers
    here refused for no year, a TeX macro for a journal, a '%'); one whose head does not begin its line
    or shares it with another's
    (blanking goes by lines) is left to be told, and so is one of a title alone whose DOI or arXiv
    id differs (see _told_apart)."""
    here = _by_identity(library)
    records = _as_read(bibtex, shown)
    lines = set()
    given: dict[tuple[str, str], BibRecord] = {}  # (a paper given twice is added once: a trial's DBLP and
    # Google Scholar entries of one paper in one file were refused, --skip-existing or not)
    for record in records:
        identities = paper_identities(record)
        for what, value in identities:
            old = here.get((what, value)) or given.get((what, value))
            if old is not None and not (what == "title" and _told_apart(record, old)):
                where = str(old.location) if old.location.path != shown else f"line {old.location.line}"
                skipped.append(
                    (
                        record.location,
                        record.key,
                        f"'{old.key}' ({where}, same {what}){_differs(record, old)}",
                    )
                )
                lines.add(record.location.line)
                break
        else:
            given.update((identity, record) for identity in identities)
    if not lines:
        return bibtex
    heads = list(_ENTRY_HEAD.finditer(bibtex))
    edits, blanked, line, at = [], set(), 1, 0
    for index, head in enumerate(heads):
        line, at = line + bibtex.count("\n", at, head.start()), head.start()  # (counted on, not from the top)
        if line not in lines:
            continue
        end = _block_end(bibtex, head, heads[index + 1].start() if index + 1 < len(heads) else len(bibtex))
        line_end = bibtex.find("\n", head.start())
        if len(_ANY_HEAD.findall(bibtex, head.start(), len(bibtex) if line_end < 0 else line_end)) > 1:
            # (A review: an entry after it on its line was left out in its stead.) Told as a paper here.
            continue
        edits.append((head.start(), end, _blank(bibtex[head.start() : end])))
        blanked.add(line)
    # (A review: an entry whose head does not begin its line, never blanked, was listed as left out and
    # refused as a paper already here at once.)
    skipped[:] = [each for each in skipped if each[0].line in blanked]
    return _edited(bibtex, edits)


def _blank(text: str) -> str:
    """The text blanked line by line: its line breaks alone, so that what is told of the rest keeps its
    lines."""
    return re.sub(r"[^\n]", "", text)


def _edited(text: str, edits: list[tuple[int, int, str]]) -> str:
    """The text with each span (start, end) given way to its replacement; the spans do not overlap."""
    kept, at = [], 0
    for start, end, replacement in sorted(edits):
        kept += [text[at:start], replacement]
        at = end
    kept.append(text[at:])
    return "".join(kept)


_ANY_HEAD = re.compile(r"@[ \t]*[A-Za-z]+[ \t]*[{(]")  # an entry's head, wherever it stands


def _told_apart(record: BibRecord, other: BibRecord) -> bool:
    """Whether two entries of one title are two papers by their DOIs or arXiv ids (a review's paper
    of another year and journal, of a title already here, was left out as that one)."""
    ours, theirs = dict(paper_identities(record)), dict(paper_identities(other))
    return any(name in ours and name in theirs and ours[name] != theirs[name] for name in ("DOI", "arXiv id"))


def _without_prose(bibtex: str, shown: str, left_out: list[tuple[Location, str, str, bool]]) -> str:
    """The text without its lines of prose between blocks (BibTeX ignores them; bib/ is held to have
    none, and `new` copies only the entries), each blanked and listed in `left_out` under the key ''.
    Only a whole line between blocks that holds no brace, parenthesis, '@' or '=' is prose: the rest
    of a line an extra '}' ended an entry on, a line holding a head, a field, is left to be told (a
    review found the end of a title cut off). Two trials' JabRef file, headed by a sentence, was
    refused whole."""
    kept, at, line = [], 0, 1
    opens = list(_BLOCK_OPEN.finditer(bibtex))
    for index, head in enumerate(opens):
        kept.append(
            _prose_out(bibtex[at : head.start()], at == 0 or bibtex[at - 1] == "\n", line, shown, left_out)
        )
        line += bibtex.count("\n", at, head.start())
        following = opens[index + 1].start() if index + 1 < len(opens) else len(bibtex)
        closed = _closed_at(bibtex, head.start(1), head.group(1), following)  # (not past it: a review's
        # thousands of unclosed entries took the square of their number)
        end = following if closed is None else closed
        kept.append(bibtex[head.start() : end])
        line += bibtex.count("\n", head.start(), end)
        at = end
    kept.append(_prose_out(bibtex[at:], at == 0 or bibtex[at - 1] == "\n", line, shown, left_out))
    return "".join(kept)


_BLOCK_OPEN = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+\s*([{(])", re.MULTILINE)  # ('@article' and '{' may part)


def _prose_out(
    gap: str, whole: bool, first: int, shown: str, left_out: list[tuple[Location, str, str, bool]]
) -> str:
    """Text between blocks, from line `first` (`whole`: from a line's start), its lines of prose
    blanked (see _without_prose); a first line begun after a block is never prose."""
    if not gap.strip():
        return gap
    lines = gap.split("\n")
    for number, text in enumerate(line.strip() for line in lines):
        if (number or whole) and text and not text.startswith("%") and not _NOT_PROSE.search(text):
            shown_text = text if len(text) <= 40 else text[:37] + "..."
            left_out.append((Location(shown, first + number), "", f"text '{shown_text}'", False))
            lines[number] = ""
    return "\n".join(lines)


_NOT_PROSE = re.compile(r"[{}()@=]")


def _as_read(bibtex: str, shown: str) -> list[BibRecord]:
    """Each entry of the text as far as bibtexparser reads it, unchecked, as --strip writes it (see
    bibliography.mended_fields: an arXiv id given in a url, a DOI as an address): enough to tell which
    paper it is. An entry bibtexparser cannot read (a field given twice) is not among them."""
    records = []
    library = bibtex_library(bibtex)
    line = text_lines(bibtex)
    strings = string_values(library)
    for block in library.entries:
        where = Location(shown, line(block.start_line) + 1)
        enclosing = block.parser_metadata.get("removed_enclosing", {})
        given: list[Field] = [
            (field.key, str(field.value), line(field.start_line), enclosing.get(field.key))
            for field in block.fields
        ]
        entry_type, fields = mended_fields(block.key, block.entry_type, given, where, 0, [], strings)
        written = tuple((name.lower(), " ".join(value.split())) for name, value, _, _ in fields)
        records.append(BibRecord(block.key, entry_type.lower(), written, where, ""))
    return records


def _differs(record: BibRecord, kept: BibRecord) -> str:
    """What an entry left out gives otherwise than the entry kept of its paper (a DOI, a year, a venue
    it has and the other lacks, or another one), said after it; '' for nothing. A maintainer's trial
    had an ACL Anthology entry with its DOI left out for a search engine's without one."""
    more = [said for name, said in _SAID.items() if record.get(name) and not kept.get(name)]
    other = [
        said
        for name, said in _SAID.items()
        if (value := record.get(name)) and kept.get(name) not in (None, value)
    ]
    said = ([f"{in_words(more)} the other has not"] if more else []) + (
        [f"another {in_words(other)}"] if other else []
    )
    return f"; compare them: it gives {'; and '.join(said)}" if said else ""


# The fields two entries of one paper are compared by, each as a message names it.
_SAID = {"doi": "DOI", "eprint": "arXiv id", "year": "year", "journal": "journal", "booktitle": "booktitle",
         "volume": "volume", "pages": "pages", "url": "url"}  # fmt: skip


def _stood_in(bibtex: str, stand_ins: dict[str, str], taken: Collection[str] = ()) -> str:
    """The entries, each whose key no page address can be made of (DBLP's 'DBLP:conf/nips/SchuttKFCTM17':
    a maintainer's trial was told the key could not be used, even with --rekey) under a stand-in made of
    its letters and digits, which _rekeyed then renames; `stand_ins` maps each stand-in to its key."""

    given = {head.group(3).lower() for head in _ENTRY_HEAD.finditer(bibtex)} | set(taken)  # (and bib/'s:
    # a review's stand-in was the key of an entry there)

    def usable(head: re.Match[str]) -> str:
        key = head.group(3)
        if not _is_entry(head) or KEY_PATTERN.match(key):
            return head.group(0)
        stand_in = re.sub(r"[^a-z0-9]+", "-", plain_letters(key.lower())).strip("-") or "entry"
        made, number = stand_in, 1  # (two keys alike but for their marks; a key given as the stand-in
        # is: a review's '罗浩2022' became '2022', another's key; a suffix of a digit, as pandoc cites
        # no key ending in '-', a citer's trial)
        while stand_in in stand_ins or stand_in in given:
            number += 1
            stand_in = f"{made}-{number}"
        stand_ins[stand_in] = key
        return f"{head.group(1)}{stand_in}{head.group(4)}"

    return _ENTRY_HEAD.sub(usable, bibtex)


# (Of MANAGER_FIELDS, those DBLP and ADS write of their record.)
_SITE_FIELDS = frozenset({"biburl", "bibsource", "adsurl", "adsnote"})


def _given_keys(told: str, stand_ins: dict[str, str]) -> str:
    """What is told of the entries, each stand-in (see _stood_in) named by the key given, as the
    contributor knows it (a review found 'dblp-conf-nips-2017' in a message)."""
    for stand_in, key in stand_ins.items():
        told = told.replace(f"'{stand_in}'", f"'{key}'")
    return told


def _rekeyed(
    rules: Rules,
    records: list[BibRecord],
    renamed: list[tuple[str, str]],
    stand_ins: dict[str, str],
    taken: set[str],
) -> list[BibRecord]:
    """The records, each whose key the survey's key rule refuses under the key it suggests (see
    rules.rule_key), its BibTeX's key too; each renaming listed in `renamed` (old key, new key). A
    record under a stand-in (see _stood_in) takes the key the rule's way makes (surname, year, title
    word) with or without a rule, else keeps the stand-in; its own key is listed as the old one. A
    key `taken` (lowercase) is passed over for the same surname and year with the title's next word."""
    kept = []
    for record in records:
        key = rule_key(rules, record)
        if key is None and record.key in stand_ins:
            parts = example_parts(record)
            key = "".join(parts) if all(parts) else record.key
        if (
            key == record.key and record.key in stand_ins
        ):  # (a trial's key in Han characters became 'entry' unsaid)
            renamed.append((stand_ins[record.key], key))
        if key is None or key == record.key:
            kept.append(record)
            continue
        key = next((made for made in [key, *rule_keys(record)] if made.lower() not in taken), key)
        taken.add(key.lower())
        head = re.compile(r"(@[^{(]*[{(]\s*)" + re.escape(record.key) + r"(\s*,)")
        kept.append(replace(record, key=key, bibtex=head.sub(rf"\g<1>{key}\g<2>", record.bibtex, count=1)))
        renamed.append((stand_ins.get(record.key, record.key), key))
    return kept


def _strip_hint(
    bibtex: str,
    shown: str,
    target: str,
    untold: Callable[[Location], bool],
    stripped: list[tuple[Location, str, str, bool]] | None = None,
    mendable: Mended | None = None,
    prose: bool = False,
) -> str | None:
    """What `--strip` would leave out of the entries, and write as BibTeX reads it, said as a hint;
    None when it would leave out no field the site refuses (see add_studies) and write nothing
    otherwise. The entries may still be refused for other faults. `untold`: whether a place is in an
    entry whose faults are not told (a paper already here). `stripped`, `mendable`: what
    _read_entries listed, when add_studies read the entries so already (they are read here otherwise)."""
    if stripped is None or mendable is None:
        stripped, mendable = [], []
        _read_entries(bibtex, shown, target, "", Problems(), stripped, mended=mendable)
    found = [each for each in stripped if not untold(each[0])]
    refused = list(dict.fromkeys(name for _, _, name, refusing in found if refusing))
    mends = list(dict.fromkeys(kind for place, _, kind, _ in mendable if not untold(place)))
    if not refused and not mends and not prose:
        return None
    said = ["leaves out the text between the entries"] if prose else []
    if refused:
        managers = list(dict.fromkeys(name for _, _, name, refusing in found if not refusing))
        who = "a bibliographic site" if set(managers) <= _SITE_FIELDS else "a reference manager"
        if set(managers) & _SITE_FIELDS and not set(managers) <= _SITE_FIELDS:
            who = "a reference manager or a bibliographic site"
        also = f", and {in_words(managers)}, which {who} adds of its own" if managers else ""
        said.append(f"leaves out {in_words(refused)}, which the site does not keep{also}")
    if mends:  # (a maintainer's trial mended a Better BibTeX export's dates and journaltitles by hand)
        said.append(f"writes {in_words(mends)}")
    return f"(`surveysite new --strip` {'; and '.join(said)}; the file you give is not changed)"


def _read_entries(
    bibtex: str,
    shown: str,
    target: str,
    target_shown: str,
    problems: Problems,
    left_out: list[tuple[Location, str, str, bool]] | None = None,
    tex: frozenset[str] = frozenset(),
    mended: Mended | None = None,
) -> tuple[list[BibRecord], list[str]]:
    """The entries given, checked (their DOI, arXiv id and url too), each written as `format` writes
    it, a value given by a @string macro kept as the macro; and the @string definitions given that
    the file they go to (`target`) lacks. A macro resolves by a definition given with the entries or
    one of that file (the file a build reads them from); one both define differently is refused."""
    written = written_blocks(bibtex)
    known = _strings(written_blocks(target), text_lines(target)) if _STRING.search(target) else {}
    given = _strings(written, text_lines(bibtex))
    for name, (value, _, line) in given.items():
        if name in known and _unenclosed(known[name][0]) != _unenclosed(value):
            problems.add(
                Location(shown, line),
                f"@string '{name}' is {value} here but {known[name][0]} in {target_shown}:{known[name][2]}; "
                "give it the file's value, or a name of its own",
            )
    if problems:
        return [], []
    # The file's definitions are read first, on lines before the entries' first (their own problems
    # are the file's, which `check` reports).
    prefix = "".join(f"{raw}\n" for name, (_, raw, _) in known.items() if name not in given)
    # (A macro neither defines is named as one of neither: the entries go to `target`.)
    strings_of = f"these entries or {target_shown}"
    offset = -prefix.count("\n")
    part = parse_part(prefix + bibtex, shown, offset, problems, True, strings_of, left_out, tex, mended)
    if problems:
        return part.records, []
    records = {record.key: record for record in part.records}
    defined = {**known, **given}
    resolved = {name: _macro_text(name, defined) for name in defined}
    kept = [
        replace(records[block.key], bibtex=kept_macros(records[block.key], block, resolved))
        for block in written
        if isinstance(block, model.Entry) and block.key in records
    ]
    # Only those the entries use, as they are written: a maintainer's trial had an export's unused @string
    # copied into bib/ (and a review, one given in a journal --strip left out; a hostile-input review, one
    # whose value --strip mended, while the @string another used was not copied).
    used = _used_macros([record.bibtex for record in kept])
    return kept, [raw for name, (_, raw, _) in given.items() if name not in known and name in used]


_BARE_VALUE = re.compile(r"^\s*[A-Za-z][\w-]*\s*=\s*([A-Za-z][A-Za-z0-9_:.+/'-]*),?$", re.M)


def _macro_text(name: str, defined: dict[str, tuple[str, str, int]]) -> str | None:
    """What a @string macro stands for, its value; None for one that joins parts by '#', which the
    site does not read (`new --strip` writes the values that use it as one value each)."""
    value = defined[name][0]
    return None if concatenated(value) else _unenclosed(value)


def _used_macros(entries: list[str]) -> set[str]:
    """The @string macros the entries, as written, use: each a field's value is. (None joins others: a
    macro that does is never kept, see _macro_text, and the values using it are written out.)"""
    return {value.lower() for text in entries for value in _BARE_VALUE.findall(text)}


_STRING = re.compile(r"@\s*string", re.IGNORECASE)


def _unenclosed(value: str) -> str:
    """A @string's value without the braces or quotes around it: {A} and "A" define the same."""
    return value[1:-1] if len(value) > 1 and (value[0], value[-1]) in (("{", "}"), ('"', '"')) else value


def _strings(blocks: list[model.Block], line: Callable[[int | None], int]) -> dict[str, tuple[str, str, int]]:
    """Each @string definition among the blocks: its name in lower case (BibTeX, and the build, read
    'Venue' as 'venue'), then its value as written, its text and line (`line`: the text's own of each
    bibtexparser gives, see text_lines); of a name defined twice, the last, which the build reads."""
    return {
        block.key.lower(): (block.value.strip(), (block.raw or "").strip(), line(block.start_line) + 1)
        for block in blocks
        if isinstance(block, model.String)
    }


def _write_all(root: Path, created: list[tuple[Path, str]], replaced: tuple[Path, str]) -> None:
    """Write new files and replace another, or none of it: the new files go if a write fails. A folder
    of theirs that does not exist is made, in a folder that does (content/studies: git keeps no
    empty folder), and goes too."""
    folders: list[Path] = []  # made here
    for path in sorted({path.parent for path, _ in [*created, replaced]}):
        why = refusal(root, path, "folder")
        if why == "does not exist" and refusal(root, path.parent, "folder") is None:
            folders.append(path)
        elif why is not None:
            raise ScaffoldError(f"{shown_path(root, path)}: the folder {why}; nothing was added")
    made: list[Path] = []
    opening: tuple[Path, str] | None = None  # a file to be created, with its text, until noted as made
    try:
        for folder in folders:
            try:
                folder.mkdir()
            except OSError as error:
                raise NotWritten(
                    f"cannot create {shown_path(root, folder)}: {error.strerror}; nothing was added"
                ) from None
            made.append(folder)
        for path, text in created:
            # (Named before it is opened: a review's Ctrl-C between the open that made a file and its
            # naming left the file, empty, which the next `new` refused. One that was there already
            # is never taken back: see _taken_back.)
            opening = (path, text)
            try:
                with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite
                    made.append(path)
                    opening = None
                    handle.write(text)
            except FileExistsError:
                opening = None
                raise NotWritten(
                    f"cannot create {shown_path(root, path)}: it exists already; nothing was added"
                ) from None
            except OSError as error:
                raise NotWritten(
                    f"cannot create {shown_path(root, path)}: {error.strerror}; nothing was added"
                ) from None
        try:
            write_text(root, *replaced)
        except FileRefused as error:
            raise NotWritten(f"{error}; nothing was added") from None
        except OSError as error:  # (the system's words, not the path of the file written first: a trial)
            why = error.strerror or str(error)
            raise NotWritten(
                f"cannot write {shown_path(root, replaced[0])}: {why}; nothing was added"
            ) from None
    except BaseException as error:
        # Interrupted (Ctrl-C), too: a data-safety trial's left 329 study files and no entry, which the
        # next `new` refused as existing. Unless the file was replaced already: then all was written.
        if not isinstance(error, ScaffoldError) and _holds(replaced):
            if isinstance(error, KeyboardInterrupt):  # (all was written: the run says so, not 'interrupted')
                return
            raise
        if opening is not None:  # opened, maybe, and not yet noted as made
            _taken_back(*opening)
        for path in reversed(made):
            path.rmdir() if path.is_dir() else path.unlink(missing_ok=True)
        raise


def _taken_back(path: Path, text: str) -> None:
    """Remove a file this run may have made (empty, or part of its text), never one it did not."""
    with contextlib.suppress(OSError):
        data = path.read_bytes()
        if text.encode("utf-8").startswith(data):
            path.unlink()


def _holds(replaced: tuple[Path, str]) -> bool:
    """Whether a file holds the text it was to be replaced with."""
    path, text = replaced
    try:
        return path.read_bytes() == text.encode("utf-8")  # (as written: a CRLF file's line ends kept)
    except OSError:
        return False


def _identities(record: BibRecord) -> list[tuple[str, str]]:
    """What tells that two entries are one paper, first its key (letter case aside: one study file
    each), then its DOI, arXiv id and title (see paper_identities)."""
    return [("key", record.key.lower()), *paper_identities(record)]


def _clash(new: BibRecord, old: BibRecord, what: str, where: str, given_as: str | None = None) -> str:
    """Why `new` cannot be added beside `old` (at `where`: a place in bib/, or, with `given_as`, a line
    of the same input, where its key is given as that), which shares its `what` with it."""
    if what == "key":  # another paper, maybe: one study file each
        return f"key '{new.key}' is already the key of an entry ({where}); give this entry another"
    if given_as is not None:
        return f"this paper is given twice, as '{given_as}' at {where} too (same {what})"
    return f"this paper is already here as '{old.key}' ({where}, same {what})"


def _by_identity(records: list[BibRecord]) -> dict[tuple[str, str], BibRecord]:
    """The first record of each identity, to find a paper among thousands at once."""
    found: dict[tuple[str, str], BibRecord] = {}
    for record in records:
        for identity in _identities(record):
            found.setdefault(identity, record)
    return found


def study_stub(
    taxonomy: Taxonomy, today: str, link_kind: str = "code", known: Collection[str] = (), edition: str = ""
) -> str:
    """A study file with every field to fill marked TODO, which `check` refuses until filled in; the
    facets in `known` (the survey's rules' known_facets) are not offered 'not stated' or 'not checked'.
    With `edition` (the short name of the published survey the site is an edition of), an 'in_survey'
    line, which only such a site asks for."""
    leaves = ", ".join(n.path for n in taxonomy.nodes if n.is_leaf)
    lines = [
        f"name: {TODO}  # the short name readers know the study by",
        "categories:",
        f"  - {TODO}  # one or more of: {leaves}",
        "placement: high  # how sure the leaf is: high, medium or low",
        *([f"in_survey: false  # true only if {edition} reviews the study"] if edition else []),
        f"added: {today}",
        "summary: >-",
        f"  {TODO}: 2-4 sentences in your own words: what the study does, how it does it,",
        "  and what it shows. Do not copy or paraphrase the abstract.",
        *(["facets:"] if taxonomy.facets else []),  # (none for a survey without: a review's stub had one)
    ]
    unknown = " or ".join(UNKNOWN_VALUES)
    for facet in taxonomy.facets:
        otherwise = "" if facet.id in known else f"; or {unknown}"
        if facet.kind == "vocabulary":
            hint = f"one or more of: {', '.join(facet.values)}{otherwise}"
        elif facet.kind == "yes-no":
            hint = "one of: yes, no" + (f", {', '.join(UNKNOWN_VALUES)}" if otherwise else "")
        else:
            hint = f"a list of terms{otherwise}"
        lines.append(f"  {facet.id}: [{TODO}]  # {facet.label}: {hint}")
    if link_kind:  # the first kind content/survey.yaml declares
        lines += ["links:", f"  {link_kind}: {TODO}  # an http(s) URL, or delete this line"]
    return "\n".join(lines) + "\n"
