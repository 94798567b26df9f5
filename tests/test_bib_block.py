"""The quick reader of BibTeX entries gives what bibtexparser gives, or leaves the text to it."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest
from bibtexparser import model
from bibtexparser.entrypoint import parse_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveysite import bibliography
from surveysite.bibblock import Outside, read_entries
from surveysite.bibliography import _parsed_part, _record, parse_part
from surveysite.problems import Problems

from .quick_readers import read_here

FIXTURES = Path(__file__).parent / "fixtures"


def parser_entries(text: str) -> list[Any] | None:
    """bibtexparser's entries of a text, as read_entries gives them; None when it finds anything
    besides entries and comment lines (a failed block, another kind of block, text to report)."""
    entries = []
    for block in parse_string(text).blocks:
        if type(block) is model.ImplicitComment:
            if any(line.strip() and not line.strip().startswith("%") for line in block.comment.splitlines()):
                return None
        elif type(block) is model.Entry:
            enclosing = block.parser_metadata["removed_enclosing"]
            fields = [(f.key, f.value, f.start_line, enclosing[f.key]) for f in block.fields]
            entries.append((block.entry_type, block.key, block.start_line, fields))
        else:
            return None
    return entries


def bibtexparser_part(text: str, shown: str, offset: int, problems: Problems, identifiers: bool) -> Any:
    """parse_part as bibtexparser's blocks read it, whatever the quick reader could read."""
    record_of = partial(_record, line_offset=offset, problems=problems, identifiers=identifiers)
    return _parsed_part(text, shown, offset, problems, record_of)


def parts(text: str, offset: int = 0) -> tuple[Any, Any]:
    """What parse_part makes of a text (read here when it can be), and what bibtexparser's blocks make
    of it: records, keys, cleanliness and problems of each."""
    made = []
    for parse in (parse_part, bibtexparser_part):
        problems = Problems()
        part = parse(text, "bib/x.bib", offset, problems, True)
        records = [(r.key, r.entry_type, r.fields, r.location, r.bibtex) for r in part.records]
        made.append((records, part.keys, part.clean, problems.sorted()))
    return made[0], made[1]


@pytest.mark.parametrize("path", ["mini", "wide"])
def test_a_project_library_is_read_here_as_bibtexparser_reads_it(path: str) -> None:
    text = (FIXTURES / path / "bib" / "studies.bib").read_text(encoding="utf-8")
    entries = read_entries(text)
    assert entries and entries == parser_entries(text)
    quick, parser = parts(text, offset=3)
    assert quick == parser


def test_parse_part_reads_a_plain_library_without_bibtexparser(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (FIXTURES / "mini" / "bib" / "studies.bib").read_text(encoding="utf-8")
    expected = parts(text)[1]

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("bibtexparser was asked")

    monkeypatch.setattr(bibliography, "parse_string", refused)
    problems = Problems()
    part = parse_part(text, "bib/x.bib", 0, problems, True)
    records = [(r.key, r.entry_type, r.fields, r.location, r.bibtex) for r in part.records]
    assert (records, part.keys, part.clean, problems.sorted()) == expected


ENTRY = "@misc{smith2020a,\n  author = {Smith, Ann},\n  title  = {A {Title}},\n  year   = {2020}\n}\n"


@pytest.mark.parametrize(
    "text",
    [
        '@string{acl = "ACL"}\n' + ENTRY,
        "@comment{anything}\n" + ENTRY,
        ENTRY.replace("@misc{", "@Comments{"),  # laid out as an entry, read as a comment
        '@preamble{"x"}\n' + ENTRY,
        ENTRY.replace("{Smith, Ann}", '"Smith, Ann"'),  # a value in quotes
        ENTRY.replace("{2020}", "{2020},\n  month = jan"),  # a bare word
        ENTRY.replace("{A {Title}}", '{A} # "Title"'),  # a join
        ENTRY.replace("A {Title}", "A \\{Title"),  # an escaped brace
        ENTRY.replace("\n", "\r\n"),
        ENTRY.replace("A {Title}", "A\\\n{Title}"),  # a line break after a backslash: not counted
        ENTRY.replace("Smith, Ann", "ann@example.org"),  # an '@' in a value
        ENTRY.replace("A {Title}", "{{{{{deep}}}}}"),  # braces five deep
        ENTRY + ENTRY,  # a key twice
        ENTRY.replace("  year", "  title = {Again},\n  year"),  # a field twice
        ENTRY + "stray text\n",
        "% a note @misc{x,\n" + ENTRY,  # an '@' in a comment
        "% a note\fon two lines\n" + ENTRY,  # a line break to str.splitlines in a comment
        ENTRY.replace("@misc{", "@misc {"),
        ENTRY.replace("@misc{", "@misc("),
        ENTRY.replace("title  =", "title\n  ="),
        ENTRY.replace("year   = {2020}\n}", "year   = {2020}\n} extra"),
        ENTRY.replace("{2020}\n}", "{2020}\n"),  # not closed
        ENTRY.replace("title  =", "my title ="),  # a name of two words
    ],
)
def test_what_the_quick_reader_leaves_to_bibtexparser_is_read_as_it_reads_it(text: str) -> None:
    with pytest.raises(Outside):
        read_entries(text)
    quick, parser = parts(text)
    assert quick == parser


def test_lines_are_counted_as_bibtexparser_counts_them() -> None:
    text = (
        "% header\n\n"
        + ENTRY
        + "\n  % between\n"
        + ENTRY.replace("smith2020a", "b").replace(
            "  title  = {A {Title}}", "  title  = {On\n  two lines}, note = {x}"
        )
    )
    entries = read_entries(text)
    assert [entry[2] for entry in entries] == [2, 9]
    assert [line for _, _, line, _ in entries[1][3]] == [10, 11, 12, 13]
    assert entries == parser_entries(text)


# Pieces of BibTeX: the first of each list in the layout read here, the second not (or not always).
TYPES = (["misc", "article", "InProceedings"], ["comment", "string", "preamble", "misc_x", "mïsc"])
OPENINGS = (["{"], [" {", "("])
KEYS = (["smith2020a", "b", "Key_1", "a:b", "k(1)", "x#y"], ["a b", "é", "", "a=b"])
NAMES = (["author", "title", "year", "doi", "url", "Title", "x:y", "abstract"], ["a b", "%c", "é"])
SPACED = ([" = ", "=", "  = ", "\t=\t"], [" =\n ", "\n= "])
TEXTS = (
    ["Smith, Ann", "A Title", "2020", "", " spaced ", "{Nested} words", "{\\'e}", "a, b = c", "two\nlines",
     '"quoted"', "%", "{{{deep}}}", "é ü", "{}", "{a}{b}", "trailing\\ "],
    ["x}", "{x", "@", "a @misc{b,", "\\{", "{{{{deeper}}}}", "\r", "\\\\"],
)  # fmt: skip
ENCLOSED = (["{%s}", "{%s}  ", "{%s}\n"], ["%s", '"%s"', "{%s} # {x}", "{%s}{x}"])
SEPARATORS = ([",\n  ", ", ", ",", ",\n\n  "], ["\n  ", " ,"])
ENDS = (["\n}", ",\n}", "}", "\n} % done", "\n}  ", ",}"], ["\n)", "\n}x", "", "\n}}"])
GAPS = (
    ["\n", "\n\n", "\n% note\n", "\n  % note\n", "   \n", "\n\t\n"],
    ["\n\nstray\n", "\n\r\n", "", "% @x{\n", "\n% a\fb\n", "\n%\u2028x\n", "\n% \x85\n"],
)


def pick(draw: st.DrawFn, pieces: tuple[list[str], list[str]], odd: bool) -> str:
    """A common piece; with `odd`, now and then a rare one."""
    common, rare = pieces
    return draw(st.sampled_from(common + rare if odd and draw(st.integers(0, 3)) == 0 else common))


@st.composite
def fields(draw: st.DrawFn, odd: bool) -> tuple[str, str]:
    name = pick(draw, NAMES, odd)
    enclosed = pick(draw, ENCLOSED, odd)
    value = pick(draw, TEXTS, odd)
    if enclosed == "%s" or draw(st.integers(0, 5)) == 0:
        value = str(draw(st.integers(0, 3000)))
        enclosed = draw(st.sampled_from(["%s", "%s"] + (["{%s}"] if enclosed == "%s" else [enclosed])))
    return name, f"{name}{pick(draw, SPACED, odd)}{enclosed % value}"


@st.composite
def entries(draw: st.DrawFn, odd: bool, number: int) -> str:
    key = pick(draw, KEYS, odd) + ("" if odd and draw(st.booleans()) else str(number))  # odd: maybe twice
    head = f"@{pick(draw, TYPES, odd)}{pick(draw, OPENINGS, odd)}{key},"
    drawn = draw(st.lists(fields(odd), max_size=5, unique_by=None if odd else (lambda field: field[0])))
    listed = [text for _, text in drawn]
    return (
        head
        + draw(st.sampled_from(["\n  ", " ", ""]))
        + pick(draw, SEPARATORS, odd).join(listed)
        + pick(draw, ENDS, odd)
    )


@st.composite
def texts(draw: st.DrawFn) -> str:
    odd = draw(st.integers(0, 2)) == 0  # a third of the texts have something not read here, most likely
    blocks = [draw(entries(odd, number)) for number in range(draw(st.integers(1, 4)))]
    gaps = [pick(draw, GAPS, odd) for _ in range(len(blocks) + 1)]
    text = "".join(gap + block for gap, block in zip(gaps, [*blocks, ""], strict=True))
    if odd and draw(st.booleans()):  # a character or two anywhere
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(INSERTS)) + text[at:]
    return text


INSERTS = [
    *'{}",=@\\%#\n ()\r\f\v\u00a0\u2028',
    "\\\n",
    "\\{",
    "@misc{",
    "},",
    "\n}",
    "% c\n",
    "month = jan,",
]


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts())
def test_a_text_read_here_is_read_as_bibtexparser_reads_it(text: str) -> None:
    try:
        entries = read_entries(text)
    except Outside:
        entries = None
    if entries is not None:
        assert entries == parser_entries(text)
    quick, parser = parts(text, offset=5)
    assert quick == parser


def test_the_texts_tried_are_read_here_often_enough_to_tell() -> None:
    """The test above means something only if many of the texts it tries are read here."""
    count, drawn = read_here(texts(), read_entries, Outside)
    assert count >= drawn // 5, f"{count} of {drawn} read here"
