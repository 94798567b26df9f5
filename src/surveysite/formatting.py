"""`surveysite format`: rewrite bib/*.bib in the project's one layout, so pull requests diff small."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType

from bibtexparser import model

from .bibliography import (
    BIBLATEX_NAMES,
    MONTHS,
    BibRecord,
    bibtex_library,
    format_entry,
    parse_bibtex,
    read_bib,
)
from .bibstyle import normalized
from .files import FileRefused, byte_order_mark, folder_files, shown_path, write_text
from .problems import Location, Problem, Problems


def formatted_bibtex(
    text: str, shown: str, tex: frozenset[str] = frozenset()
) -> tuple[str | None, list[Problem]]:
    """The file in project layout, or None and the problems when it cannot be formatted safely. `tex`:
    the survey's own TeX commands (see bibliography.tex_allowed)."""
    problems = Problems()
    read = parse_bibtex(text, shown, problems, tex)
    if problems:
        return None, problems.sorted()
    if laid_out(read).get(shown) == text:  # (nearly every file: then bibtexparser need not read it)
        return text, []
    records = {r.key: r for r in read}
    pieces = []
    for block in written_blocks(text):
        if isinstance(block, model.Entry):
            pieces.append(kept_macros(records[block.key], block))
        elif isinstance(block, model.ImplicitComment | model.ExplicitComment | model.String | model.Preamble):
            raw = (block.raw or "").strip()
            if raw:
                pieces.append(raw)
    return ("\n\n".join(pieces) + "\n" if pieces else ""), []  # (a file of no entry: empty, not a line end)


def written_blocks(text: str) -> list[model.Block]:
    """The blocks of BibTeX text, each value as written (macros not resolved)."""
    return bibtex_library(text, parse_stack=[]).blocks


def kept_macros(
    record: BibRecord, written: model.Entry, resolved: Mapping[str, str | None] | None = None
) -> str:
    """The record in project layout, each value written bare (not braced, nor quoted: a @string
    macro such as 'neurips', a month such as 'jan') kept as it was written: the
    record holds the value it stands for, which the site shows, but the file keeps what its maintainer
    wrote, so that a macro still changes every entry that uses it. With `resolved` (what each @string
    macro stands for, by its name in lower case: `new`'s), a macro is kept only where the record still
    holds what it stands for (None: a macro the site does not read, one joining parts by '#'): `new
    --strip` wrote a DOI given by a macro as its address as the DOI alone, which the macro put back (a
    hostile-input review)."""
    bare = {
        field.key.lower(): field.value.strip()
        for field in written.fields
        if isinstance(field.value, str)
        and field.value.strip()[:1] not in ("{", '"')
        and not field.value.strip().isdigit()
        and "#" not in field.value  # (a '#' concatenation is written as one value by `new --strip`)
    }
    if resolved is not None:  # (a biblatex name's field is the record's under BibTeX's name)
        holds = {name: record.get(name) or record.get(BIBLATEX_NAMES.get(name, "").lower()) for name in bare}
        bare = {
            name: macro
            for name, macro in bare.items()
            if macro.lower() not in resolved or _stands_for(name, resolved[macro.lower()], holds[name] or "")
        }
    if not bare:
        return record.bibtex
    # `new --strip` writes biblatex's names as BibTeX's (a macro given as 'journaltitle = jmlr' is kept as
    # the macro under 'journal'), and a month given in quotes ("Jun") as its macro, which the record
    # writes bare (its own month field, not another's text: a note's 'x = jun' is no month).
    named = {name for name, _ in record.fields}
    for biblatex, bibtex in BIBLATEX_NAMES.items():
        if biblatex in bare and biblatex not in named and bibtex.lower() in named:
            bare[bibtex.lower()] = bare.pop(biblatex)
    month = record.get("month") or ""
    mended = (
        {"month"}
        if month in MONTHS and re.search(rf"^\s*month\s*=\s*{month},?$", record.bibtex, re.M)
        else set()
    )
    fields = [(name, bare.get(name, value)) for name, value in record.fields]
    return format_entry(record.entry_type, record.key, fields, frozenset(bare) | mended)


def _stands_for(name: str, text: str | None, held: str) -> bool:
    """Whether a field that holds `held` still holds what its macro stands for (`text`; None: nothing
    the site reads), as written or in the project's style (a review: 'author = me' for 'John Doe' was
    written out, the record holding 'Doe, John')."""
    if text is None:
        return False
    plain, held = " ".join(text.split()), " ".join(held.split())
    return held in (plain, " ".join(normalized(name, plain).split()))


FORMAT_HINT = (
    "run `surveysite format`, which lays the entries out, writes names 'Family, Given' and braces a "
    "title's capitals; it changes nothing the site shows"
)  # (a maintainer's trial was told it 'changes no field', and saw 'EDITBIB4' braced)
SHOWN_WIDTH = 80  # characters of a line shown in a layout problem, around where it first differs


def layout_problems(
    root: Path,
    bib_dir: Path,
    problems: Problems,
    records: Iterable[BibRecord] = (),
    tex: frozenset[str] = frozenset(),
) -> None:
    """Report each .bib file not in the project's layout, at the first line that is not, as `format
    --check` does (where the survey's rules ask for the layout, so that CI, running `check`, accepts
    what `check` accepts). A file that cannot be formatted is left to the checks that tell why.
    `records`: those the check read, each laid out already (see laid_out)."""
    changed, _ = format_files(root, bib_dir, write=False, known=laid_out(records), tex=tex)
    for place, what in changed:
        problems.add(place, f"{what}; {FORMAT_HINT}")


def laid_out(records: Iterable[BibRecord]) -> dict[str, str]:
    """For each file the records were read from (by its path as shown), its text as it would be if it
    held these entries alone, in their order, in the project's layout. A file that reads exactly so is
    laid out: formatting it gives it back (each record's BibTeX is its entry formatted, values written
    bare as they were), so it is not parsed again. At 10,000 studies, parsing every file twice more made a
    check take two to three times as long as one without the layout's rule."""
    files: dict[str, list[BibRecord]] = {}
    for record in records:
        files.setdefault(record.location.path, []).append(record)
    return {
        path: "\n\n".join(r.bibtex for r in sorted(held, key=lambda r: r.location.line)) + "\n"
        for path, held in files.items()
    }


def _would_read(before: list[str], after: list[str], number: int) -> str:
    """What line `number` (counted from 1) would read once formatted, around where it first differs
    from what it reads (a maintainer's trial was told 'needs formatting from here on' of a title and not
    why: the line now shows '{EDITBIB4}'); '' where formatting leaves no line there."""
    if not 0 < number <= len(after):
        return ""
    old, new = before[number - 1] if number <= len(before) else "", after[number - 1]
    column = next(
        (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new))
    )
    start = max(0, min(column - SHOWN_WIDTH // 3, len(new) - SHOWN_WIDTH))
    part = new[start : start + SHOWN_WIDTH]
    # (No terminal's escape from a file's bytes: each character that does not print, as Python writes it
    # escaped; the rest, backslashes and accents among them, as they are: a review.)
    part = "".join(each if each.isprintable() else ascii(each)[1:-1] for each in part)
    if not part.strip():
        return ": that line would be blank"
    before_part, after_part = "..." if start else "", "..." if start + SHOWN_WIDTH < len(new) else ""
    return f": that line would read '{before_part}{part}{after_part}'"


def format_files(
    root: Path,
    bib_dir: Path,
    write: bool,
    known: Mapping[str, str] = MappingProxyType({}),
    tex: frozenset[str] = frozenset(),
    unwritten: list[str] | None = None,
) -> tuple[list[tuple[Location, str]], list[Problem]]:
    """Format every .bib file; returns the files that changed (or would), each at the first line that
    does with what is to change there, and the problems found. A file whose text is what `known` gives
    for its path (see laid_out) is in the layout already: it is not parsed. `tex`: see formatted_bibtex.
    A file that could not be written is told as a problem, and its path added to `unwritten`."""
    changed: list[tuple[Location, str]] = []
    problems = Problems()
    for path in folder_files(root, bib_dir, "*.bib", problems):
        shown = shown_path(root, path)
        text, data = read_bib(root, path, problems)
        if text is None or known.get(shown) == text:
            continue
        # Read with LF line endings: a comment line kept its carriage return in the layout written, so a
        # file whose only difference was CRLF was said to need formatting (a review).
        result, found = formatted_bibtex(text.replace("\r\n", "\n"), shown, tex)
        problems.extend(found)
        if result is None or result == text:
            continue
        plain = text.replace("\r\n", "\n")  # a file saved with Windows' line endings: format writes LF
        if plain == result:  # (a trial was told only that line 1 needed formatting)
            changed.append((Location(shown, 1), "its lines end in CRLF, as Windows writes them, not LF"))
        else:
            before, after = plain.split("\n"), result.split("\n")
            pairs = zip(before, after, strict=False)  # a shorter one ends where the other goes on
            first = next((number for number, (old, new) in enumerate(pairs, 1) if old != new), None)
            crlf = " (and ends its lines in CRLF)" if plain != text else ""
            if first is None:  # the one a beginning of the other: lines added or left out at its end (a
                # review was told of a line as it already read)
                if len(before) > len(after):  # (the first past what is kept: after a line break's '')
                    line, ending = len(after) + (after[-1] != ""), ": the lines from here on would go"
                elif after[len(before) :] == [""]:  # (no line break after the last line)
                    line, ending = len(before), ": a line break would end it"
                else:  # (lines added: the first of them)
                    line = len(before) + 1
                    ending = _would_read(before, after, line)
            else:
                line, ending = first, _would_read(before, after, first)
            what = f"needs formatting from here on{crlf}{ending}"
            changed.append((Location(shown, line), what))
        if write:
            try:
                write_text(root, path, byte_order_mark(data) + result)  # a mark it began with kept
            except (FileRefused, OSError) as error:
                # (Not said to be formatted too, as a data-safety trial's read-only bib/ was; the
                # system's words, not the path of the file it would have been written as first.)
                changed.pop()
                why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
                problems.add(Location(shown, 1), f"cannot write the file: {why}; it was left as it is")
                if unwritten is not None:
                    unwritten.append(shown)
    return changed, problems.sorted()
