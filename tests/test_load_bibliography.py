"""Stage 1: the BibTeX loader keeps good entries and reports every bad one with its line."""

from __future__ import annotations

import pytest

from surveysite import bibliography
from surveysite.bibliography import (
    COMMENT_IN_ENTRY,
    BibRecord,
    load_bibliography,
    misspelled_field,
    paper_identities,
)
from surveysite.build import Project
from surveysite.cli import main
from surveysite.problems import Location, Problems

from .conftest import MINI, MakeProject, messages

GOOD = """@misc{good2020entry,
  author = {Doe, Jane},
  title = {Good},
  year = {2020},
}
"""


def load(project: Project) -> tuple[list[str], list[str]]:
    problems = Problems()
    records = load_bibliography(project.root, project.bib, problems)
    return [r.key for r in records], [str(p) for p in problems.sorted()]


def test_reads_every_entry_with_its_line(make_project: MakeProject) -> None:
    project = make_project()
    problems = Problems()
    records = load_bibliography(project.root, project.bib, problems)
    assert not problems
    assert [(r.key, str(r.location)) for r in records] == [
        ("mueller2021first", "bib/studies.bib:2"),
        ("smith2022second", "bib/studies.bib:10"),
        ("lee2023third", "bib/studies.bib:19"),
    ]
    assert records[0].get("doi") == "10.1234/fict.2021.1"


def test_formats_bibtex_in_project_layout(make_project: MakeProject) -> None:
    project = make_project({"bib/extra.bib": "@MISC{x2020y, YEAR=2020, title={T}, Author={A, B}}"})
    problems = Problems()
    records = {r.key: r for r in load_bibliography(project.root, project.bib, problems)}
    assert records["x2020y"].bibtex == (
        "@misc{x2020y,\n  author = {A, B},\n  title  = {T},\n  year   = {2020}\n}"
    )


BAD_INPUTS = {
    "unbalanced-brace": (
        GOOD + "@misc{bad2020one,\n  title = {Unclosed,\n  year = {2020},\n}\n",
        [
            "bib/x.bib:7: malformed BibTeX entry: field 'title' does not close its braces before field "
            "'year' starts; add the missing '}'"
        ],
    ),
    "entry-not-closed": (
        "@misc{bad2020one,\n  title = {Open},\n  year = {2020},\n\n" + GOOD,
        [
            "bib/x.bib:3: malformed BibTeX entry: the entry is not closed; add '}' on a line after its "
            "last field"
        ],
    ),
    "extra-brace-in-a-value": (
        "@misc{bad2020one,\n  title = {Open}},\n  year = {2020},\n}\n" + GOOD,
        [
            "bib/x.bib:1: entry 'bad2020one' has no 'author' field; add it",
            "bib/x.bib:1: entry 'bad2020one' has no 'year' field; add it",
            "bib/x.bib:2: text outside any entry: ','; an extra '}' in a field of entry 'bad2020one' above "
            "may have ended it early: count its braces",
        ],
    ),
    "missing-comma-after-key": (
        "@misc{bad2020two title = {T}, year = {2020}}\n" + GOOD,
        [
            "bib/x.bib:1: malformed BibTeX entry: Expected comma after entry key, but found =; "
            "check braces, quotes and the commas between fields"
        ],
    ),
    "last-field-unclosed-before-the-entry-closes": (
        "@misc{bad2020one,\n  title = {Foo,\n}\n" + GOOD,
        [
            "bib/x.bib:2: malformed BibTeX entry: field 'title' does not close its braces before the "
            "entry's closing '}'; add the missing '}'"
        ],
    ),
    "a-value-line-that-looks-like-a-field": (
        "@misc{bad2020one,\n  note = {the bound\n  n = 5 suffices},\n  title = {Open,\n  year = {2020},\n}\n"
        + GOOD,
        [
            "bib/x.bib:4: malformed BibTeX entry: field 'title' does not close its braces before field "
            "'year' starts; add the missing '}'"
        ],
    ),
    "an-entry-in-parentheses": (
        "@misc(bad2020one,\n  title = {Open,\n  year = {2020},\n)\n" + GOOD,
        [
            "bib/x.bib:1: malformed BibTeX entry: Unexpected block start: `@misc`. Was still looking for "
            "field-value closing `}`; check braces, quotes and the commas between fields"
        ],  # bibtexparser's message: not counted
    ),
    "a-note-after-an-entry-closed-on-its-last-line": (
        "@misc{good2020entry,\n  author = {A, B}, title = {T},\n  year = {2020}}\nsee also the other one\n",
        [
            "bib/x.bib:4: text outside any entry: 'see also the other one'; remove it, or start comment "
            "lines with %"
        ],
    ),
    "junk-between-entries": (
        GOOD + "\nthis line is not BibTeX\n",
        [
            "bib/x.bib:7: text outside any entry: 'this line is not BibTeX'; remove it, or start "
            "comment lines with %"
        ],
    ),
    "duplicate-key-in-file": (
        GOOD + GOOD,
        [
            "bib/x.bib:6: BibTeX key 'good2020entry' is already used at bib/x.bib:1; "
            "give each entry its own key"
        ],
    ),
    "key-not-a-slug": (
        GOOD.replace("good2020entry", "../Evil Key"),
        [
            "bib/x.bib:1: BibTeX key '../Evil Key' cannot be part of a page's address: a study's page and "
            "file are named by its key, which takes lowercase letters, digits, '-' and '_' only, e.g. "
            "'smith2023graphs'"
        ],
    ),
    "key-with-uppercase": (
        GOOD.replace("good2020entry", "Good2020"),
        [
            "bib/x.bib:1: BibTeX key 'Good2020' has capitals: a study's page and file are named by its key, "
            "which takes lowercase letters, digits, '-' and '_' only: 'good2020'"
        ],
    ),
    "key-with-accents": (  # a maintainer's trial was offered 'smith2023graphs'
        GOOD.replace("good2020entry", "stärk2022"),
        [
            "bib/x.bib:1: BibTeX key 'stärk2022' cannot be part of a page's address: a study's page and "
            "file are named by its key, which takes lowercase letters, digits, '-' and '_' only: 'stark2022'"
        ],
    ),
    "abstract-kept": (
        GOOD.replace("year = {2020},", "year = {2020},\n  abstract = {No.},"),
        ["bib/x.bib:5: field 'abstract' is not kept in bib/; delete it"],
    ),
    "reference-manager-fields": (  # a contributor's trial published a Zotero export's path to its PDF
        GOOD.replace(
            "year = {2020},",
            "year = {2020},\n  file = {/home/me/Zotero/good.pdf},\n  Annote = {Read twice.},\n"
            "  bdsk-file-1 = {YnBsaXN0},\n  keywords = {rl, llm},",
        ),
        [
            "bib/x.bib:5: field 'file' names a file on your computer (a reference manager's link to its "
            "copy): the site's downloads would publish it; delete it",
            "bib/x.bib:6: field 'annote' holds your reference manager's notes or groups: the site's "
            "downloads would publish it; delete it",
            "bib/x.bib:7: field 'bdsk-file-1' names a file on your computer (a reference manager's link to "
            "its copy): the site's downloads would publish it; delete it",
        ],
    ),
    "invisible-characters": (  # as in a study file, where a trial's zero-width space hid its word from search
        GOOD.replace("{Good}", "{Go\u200bod and\n    Be\u2060tter}").replace(
            "{Doe, Jane}", "{Doe, Jane\ufeff}"
        ),
        [
            "bib/x.bib:2: field 'author' holds a zero-width no-break space (U+FEFF, invisible), which search "
            "reads as neither a space nor a letter: delete it",
            "bib/x.bib:3: field 'title' holds a zero-width space (U+200B, invisible), which search reads as "
            "neither a space nor a letter: delete it",
        ],
    ),
    "invisible-character-on-a-later-line": (
        GOOD.replace("{Good}", "{Good and\n    Be\u2060tter}"),
        [
            "bib/x.bib:4: field 'title' holds a word joiner (U+2060, invisible), which search reads as "
            "neither a space nor a letter: delete it",
        ],
    ),
    "missing-title": (
        GOOD.replace("  title = {Good},\n", ""),
        ["bib/x.bib:1: entry 'good2020entry' has no 'title' field; add it"],
    ),
    "authors-others-alone": (  # a review: 'and others' alone named no author, and check let it through
        GOOD.replace("{Doe, Jane}", "{ others }"),
        ["bib/x.bib:1: entry 'good2020entry': its author is 'others' alone, which names no one; name one"],
    ),
    "title-of-braces-and-spaces": (  # a trial: '{{ }}' gave a study page whose title was a space
        GOOD.replace("{Good}", "{{ }}"),
        ["bib/x.bib:1: entry 'good2020entry' has no 'title' field; add it"],
    ),
    "bad-year": (
        GOOD.replace("{2020}", "{in press}"),
        [
            "bib/x.bib:1: entry 'good2020entry': year 'in press' is not a 4-digit year; "
            "write it as one, e.g. {2019}"
        ],
    ),
    "year-in-other-digits": (  # full-width: int() reads them, the site showed 2024; BibTeX tools read none
        GOOD.replace("{2020}", "{\uff12\uff10\uff12\uff10}"),
        [
            "bib/x.bib:1: entry 'good2020entry': year '\uff12\uff10\uff12\uff10' is not a 4-digit year; "
            "write it as one, e.g. {2019}"
        ],
    ),
    "oversized-field": (
        GOOD.replace("{Good}", "{" + "x" * 5001 + "}"),
        ["bib/x.bib:3: field 'title' is 5,001 characters; the limit is 5,000"],
    ),
    "unbalanced-braces-inside-quotes": (
        GOOD.replace("{Good}", '"Go{od"'),
        ["bib/x.bib:3: field 'title' has unbalanced braces; every { needs its }"],
    ),
    "missing-comma-between-fields": (
        GOOD.replace("{Doe, Jane},", "{Doe, Jane}"),
        ["bib/x.bib:2: field 'author' runs into the next field; add the missing comma after its value"],
    ),
    "bare-word-value": (  # a maintainer's trial misspelled a macro and read of braces, not of the macro
        GOOD.replace("{Good}", "undefinedmacro"),
        [
            "bib/x.bib:3: field 'title' is 'undefinedmacro', which no @string of this file defines; define "
            "it here (@string{undefinedmacro = {...}}), or write title = {...}"
        ],
    ),
    "concatenated-value": (
        GOOD.replace("{Good}", "undefinedmacro # {Good}"),
        [
            "bib/x.bib:3: field 'title' joins 2 parts with '#', which this site does not read; write title = "
            "{...} as one value ('undefinedmacro' is no macro an @string of this file defines)"
        ],
    ),
    "authors-parted-by-commas": (  # a contributor's trial: the key was blamed, and one author published
        GOOD.replace("{Doe, Jane}", "{Jane Doe, Richard Roe, Bob Smith}"),
        [
            "bib/x.bib:2: entry 'good2020entry': author 'Jane Doe, Richard Roe, Bob Smith' has 2 commas: "
            "BibTeX parts authors with ' and ', not commas; write 'Jane Doe and Richard Roe and Bob Smith'"
        ],
    ),
    "family-given-pairs-parted-by-commas": (
        GOOD.replace("{Doe, Jane}", "{Doe, Jane, Roe, Richard}"),
        [
            "bib/x.bib:2: entry 'good2020entry': author 'Doe, Jane, Roe, Richard' has 3 commas: BibTeX "
            "parts authors with ' and ', not commas; write 'Doe, Jane and Roe, Richard'"
        ],
    ),
    "suffix-last": (
        GOOD.replace("{Doe, Jane}", "{Brooks, Frederick P., Jr.}"),
        [
            "bib/x.bib:2: entry 'good2020entry': author 'Brooks, Frederick P., Jr.' gives its suffix last; "
            "BibTeX reads 'Family, Jr, Given': write 'Brooks, Jr., Frederick P.'"
        ],
    ),
    # An 'and' too many (a maintainer's trial: 'Lodi, Andrea and' passed, and the page and the COinS
    # cited 'Andrea and Lodi'; 'Andrea and and Smith, J' published an author 'and Smith, J').
    "author-list-ending-in-and": (
        GOOD.replace("{Doe, Jane}", "{Roe, Richard and Doe, Jane and}"),
        [
            "bib/x.bib:2: entry 'good2020entry': its author list ends with 'and', which names no one after "
            "it; remove that 'and', or name who follows it"
        ],
    ),
    "author-list-with-and-twice": (
        GOOD.replace("{Doe, Jane}", "{Doe, Jane and\n    AND Roe, Richard}"),
        [
            "bib/x.bib:2: entry 'good2020entry': its author list has 'and' twice in a row, which names no "
            "one between them; remove one 'and'"
        ],
    ),
    "author-list-beginning-with-and": (
        GOOD.replace("{Doe, Jane}", "{and Doe, Jane}"),
        [
            "bib/x.bib:2: entry 'good2020entry': its author list begins with 'and', which names no one "
            "there; remove that 'and'"
        ],
    ),
    "editor-list-ending-in-and": (
        GOOD.replace("year = {2020},", "year = {2020},\n  editor = {Roe, Richard and},"),
        [
            "bib/x.bib:5: entry 'good2020entry': its editor list ends with 'and', which names no one after "
            "it; remove that 'and', or name who follows it"
        ],
    ),
    "two-authors-read-as-one": (
        GOOD.replace("{Doe, Jane}", "{Jane Doe, Richard Roe}"),
        [
            "bib/x.bib:2: warning: entry 'good2020entry': author 'Jane Doe, Richard Roe' is read as one "
            "person, of family name 'Jane Doe'; if these are two authors, write 'Jane Doe and Richard Roe'"
        ],
    ),
    "two-authors-read-as-one-among-others": (  # a review: the list's other names hid it
        GOOD.replace("{Doe, Jane}", "{Chen Lee, Dana Kim and Bob Smith}"),
        [
            "bib/x.bib:2: warning: entry 'good2020entry': author 'Chen Lee, Dana Kim' is read as one "
            "person, of family name 'Chen Lee'; if these are two authors, write 'Chen Lee and Dana Kim'"
        ],
    ),
    "month-abbreviation-in-braces": (  # a reader's trial: BibTeX prints 'aug', not the month's name
        GOOD.replace("year = {2020},", "year = {2020},\n  month = {aug},"),
        [
            "bib/x.bib:5: warning: month {aug} in braces is printed as written, 'aug'; write month = aug, "
            "without braces, for the month's name"
        ],
    ),
    # A line commented out inside an entry: '%% year' was kept as a field '%% year' and published, a
    # comment line before a field made the field's name and was told as its missing title.
    "comment-line-kept-as-a-field": (
        GOOD.replace("  year = {2020},", "  %% year = {2019},\n  year = {2020},"),
        [f"bib/x.bib:4: {COMMENT_IN_ENTRY}"],
    ),
    "comment-line-before-a-field": (
        GOOD.replace("  title = {Good},", "  % the journal version is due\n  title = {Good},"),
        [f"bib/x.bib:3: {COMMENT_IN_ENTRY}"],
    ),
    "comment-line-before-the-closing-brace": (
        GOOD.replace("  year = {2020},\n", "  year = {2020},\n  % to check\n"),
        [f"bib/x.bib:5: {COMMENT_IN_ENTRY}"],
    ),
    "comment-after-the-last-value": (  # a maintainer's trial was told the braced value was not braced
        GOOD.replace("  year = {2020},\n}", "  year = {2020}  % from the publisher's page\n}"),
        [
            "bib/x.bib:4: field 'year' is followed by a '%' comment, which BibTeX reads as part of the "
            "value: '%' starts no comment inside an entry; delete it, or move it below the entry"
        ],
    ),
    "comment-after-a-quoted-value": (
        GOOD.replace("  year = {2020},\n}", '  year = "2020"  % as printed\n}'),
        [
            "bib/x.bib:4: field 'year' is followed by a '%' comment, which BibTeX reads as part of the "
            "value: '%' starts no comment inside an entry; delete it, or move it below the entry"
        ],
    ),
    "comment-lines-between-entries-and-a-brace-left-open": (  # the brace is told, not a comment after it
        GOOD.replace("{Good}", "{Go{od}") + "\n% next\n\n" + GOOD.replace("good2020entry", "next2020entry"),
        [
            "bib/x.bib:3: malformed BibTeX entry: field 'title' does not close its braces before field "
            "'year' starts; add the missing '}'"
        ],
    ),
    # A maintainer's trial: 'CO2 at 50% rate' was shown as 'CO2 at 50' (as LaTeX prints it), check silent.
    "percent-sign-in-a-title": (
        GOOD.replace("{Good}", "{Good at 50% rate}"),
        [
            "bib/x.bib:3: field 'title' holds '%', which LaTeX reads as the start of a comment: the rest "
            "of the line is lost where the entry is cited; write '\\%'"
        ],
    ),
    "percent-sign-escaped-or-in-an-address": (
        GOOD.replace("{Good}", "{Good at 50\\% rate}").replace(
            "year = {2020},", "year = {2020},\n  note = {\\url{https://example.org/a%20b} \\doi{10.1/a%3Cb}},"
        ),
        [],
    ),
    # A maintainer's trial: a crossref to no entry was taken silently (BibTeX: 'a bad cross reference').
    "crossref-to-no-entry": (
        GOOD.replace("year = {2020},", "year = {2020},\n  crossref = {nothere2020},"),
        [
            "bib/x.bib:1: entry 'good2020entry': field 'crossref' names 'nothere2020', which is no entry "
            "bib/ keeps (if it is one told of here, mend it); BibTeX reports a bad cross reference where "
            "the entry is cited: else copy the fields it takes from that entry (booktitle, editor, "
            "publisher, year) into it, and delete the crossref"
        ],
    ),
    # A maintainer's trial: a paper whose year its crossref's volume gave (as in BibTeX) was told 'add
    # it' alone, and the docs' 'crossref to an entry in bib/' read as the site taking fields through it.
    "crossref-in-place-of-a-year": (
        GOOD.replace("year = {2020},", "crossref = {conf2020},"),
        [
            "bib/x.bib:1: entry 'good2020entry' has no 'year' field; add it: the site takes no field through "
            "its crossref to 'conf2020' (`surveysite new` copies them into the entry from that one, given in "
            "the same file)"
        ],
    ),
    "crossref-in-place-of-a-title": (  # (a review: a volume gives no paper its title, nor new copies it)
        GOOD.replace("title = {Good},", "crossref = {conf2020},"),
        ["bib/x.bib:1: entry 'good2020entry' has no 'title' field; add it"],
    ),
    "crossref-to-an-entry": (
        GOOD.replace("year = {2020},", "year = {2020},\n  crossref = {Other2020entry},")
        + GOOD.replace("good2020entry", "other2020entry"),
        [],
    ),
    "duplicate-field": (
        GOOD.replace("year = {2020},", "year = {2020},\n  year = {2021},"),
        ["bib/x.bib:5: field 'year' appears twice in one entry; keep one"],  # at the second
    ),
}


@pytest.mark.parametrize("text,expected", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_bibtex_is_reported_with_file_and_line(
    make_project: MakeProject, text: str, expected: list[str]
) -> None:
    project = make_project({"bib/studies.bib": None, "bib/x.bib": text})
    _, problems = load(project)
    assert problems == expected


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every value read for the parts it joins with '#' (see bibliography.concatenated)."""
    values: list[str] = []
    real = bibliography.concatenated

    def counted(value: str) -> list[str]:
        values.append(value)
        return real(value)

    monkeypatch.setattr(bibliography, "concatenated", counted)
    return values


def test_macros_that_double_at_every_step_are_joined_once_each_and_refused_past_the_field_limit(
    make_project: MakeProject, read: list[str]
) -> None:
    """A review's file of 513 bytes took `check` 41 s: each macro was joined again wherever named, and
    the text grew fourfold at every step."""
    macros = ["@string{m0 = {xy}}"] + [
        f"@string{{m{i} = m{i - 1} # m{i - 1} # m{i - 1} # m{i - 1}}}" for i in range(1, 9)
    ]
    text = "\n".join(macros) + "\n" + GOOD.replace("{Good}", "m3 # m8")
    project = make_project({"bib/studies.bib": None, "bib/x.bib": text})
    _, problems = load(project)
    line = len(macros) + 3
    assert problems == [
        f"bib/x.bib:{line}: field 'title' joins 2 parts with '#' to over 5,000 characters (the limit)"
    ]
    assert len(read) < 60  # each macro once at each depth it is named at, at most
    assert bibliography.joined(
        ["m3"], {"m0": "xy", **{f"m{i}": f"m{i - 1} # m{i - 1}" for i in range(1, 4)}}
    ) == ["xy" * 8]


def test_macros_are_joined_once_a_file_not_once_a_field(make_project: MakeProject, read: list[str]) -> None:
    """A review's macros of thousands of empty parts, named by every title: joined again for each field
    and each part, a file of 40 entries took 113 s."""
    macros = ["@string{e = {}}", "@string{b = " + " # ".join(["e"] * 50) + "}", "@string{t = b # b # b}"]
    entries = "".join(
        f"@misc{{doe2020n{number},\n  author = {{Doe, Jane}},\n  title = t # {{x}},\n  year = {{2020}},\n}}\n"
        for number in range(150)
    )
    project = make_project({"bib/studies.bib": None, "bib/x.bib": "\n".join(macros) + "\n" + entries})
    found = [m for m in messages(project) if "joins 2 parts with '#'" in m]
    assert len(found) == 150
    assert sum(value.count("#") >= 2 for value in read) < 10  # (each macro once: b's and t's)


def test_a_preprint_given_as_a_journal_is_told_with_its_fields(make_project: MakeProject) -> None:
    """A search engine's export gives a preprint as '@article' with 'journal = {arXiv preprint
    arXiv:ID}': the site showed that as the venue, with no link to the preprint, and nothing was said."""
    entry = GOOD.replace("@misc", "@article").replace(
        "year = {2020},", "year = {2020},\n  journal = {arXiv preprint arXiv:2301.00001},"
    )
    project = make_project({"bib/studies.bib": None, "bib/x.bib": entry})
    assert load(project) == (
        ["good2020entry"],
        [
            "bib/x.bib:5: warning: entry 'good2020entry': journal 'arXiv preprint arXiv:2301.00001' names a "
            "preprint, which the site links only by its eprint: add eprint = {2301.00001} and "
            "archivePrefix = {arXiv} (`surveysite new --strip` adds them; the journal can stay, for BibTeX "
            "styles that print no eprint)"
        ],
    )
    with_eprint = entry.replace("year = {2020},", "year = {2020},\n  eprint = {2301.00001},")
    (project.root / "bib" / "x.bib").write_text(with_eprint, encoding="utf-8")
    assert load(project) == (["good2020entry"], [])  # (the preprint is linked: the journal is a label)


@pytest.mark.parametrize(
    ("field", "value", "tag"),
    [
        ("title", "Good in <i>vivo</i>", "<i>"),
        ("title", "CO<sub>2</sub> Capture", "<sub>"),
        ("title", "Small <scp>Caps</scp> from a Publisher", "<scp>"),
        ("title", "The <s> Token of a Model", None),  # a model's token, not HTML's strike-through
        ("booktitle", "Proceedings of <b>Things</b>", "<b>"),
        ("title", "Generic List<String> and <Transformers>", None),  # no HTML element: no warning
        ("note", "See <i>there</i>", None),  # a field the site shows nowhere
    ],
)
def test_an_html_tag_in_a_shown_field_is_a_warning_at_its_line(
    make_project: MakeProject, field: str, value: str, tag: str | None
) -> None:
    """Publishers' records give titles with '<i>' and '<sub>' (as a name or summary pasted from a web
    page): the site shows them as typed, and nothing was said of a title."""
    entry = GOOD.replace("  title = {Good},", f"  title = {{Good}},\n  {field} = {{{value}}},")
    if field == "title":
        entry = GOOD.replace("title = {Good}", f"title = {{{value}}}")
    project = make_project({"bib/studies.bib": None, "bib/x.bib": entry})
    line = 3 if field == "title" else 4
    told = (
        f"bib/x.bib:{line}: warning: field '{field}' holds an HTML tag, '{tag}', which the site shows as "
        "typed; write the text without it"
    )
    assert load(project) == (["good2020entry"], [told] if tag else [])


def test_a_link_to_a_file_on_the_web_is_no_private_field(make_project: MakeProject) -> None:
    """A review: every PMLR export gives 'pdf = {https://proceedings.mlr.press/...}', which was refused
    as a file on the user's computer."""
    entry = GOOD.replace(
        "year = {2020},", "year = {2020},\n  pdf = {https://proceedings.mlr.press/v1/a.pdf},"
    )
    project = make_project({"bib/studies.bib": None, "bib/x.bib": entry})
    assert load(project) == (["good2020entry"], [])


@pytest.mark.parametrize(
    "authors",
    [
        "Doe, Jr., Jane",
        "van der Berg, Jan and Roe, Richard",
        "{Barnes, Noble and Co.}",
        "Garcia Marquez, Gabriel",
        "Lopez de Prado, Marcos M.",  # a review found these two warned of
        "van der Berg, Jan Willem",
        "Garcia Marquez, Gabriel Jose and Roe, Richard",
        "Doe, Jane and Roe, Richard and Smith, Bob",
        "Jane Doe and Richard Roe",
        "Doe, Jane and others",  # (BibTeX's word for more authors, not an empty name)
        "Doe, Jane and {and} Roe",  # (a braced 'and' is a name's word)
        "Anderson, Sandy and Andrews, Andy",
        "Brand, Ann and Andrews, Bo",  # ('and and' within words: no empty name)
        "{Doe and Roe}",
    ],
)
def test_author_lists_of_usual_forms_are_not_taken_for_comma_lists(
    make_project: MakeProject, authors: str
) -> None:
    project = make_project({"bib/studies.bib": None, "bib/x.bib": GOOD.replace("Doe, Jane", authors)})
    assert load(project) == (["good2020entry"], [])


def test_not_utf8_names_the_line(make_project: MakeProject) -> None:
    project = make_project({"bib/studies.bib": None, "bib/x.bib": GOOD.encode() + b"\n% caf\xe9\n"})
    assert load(project)[1] == ["bib/x.bib:7: byte 0xe9 is not UTF-8; save the file as UTF-8"]


def test_duplicate_key_across_files_is_reported_in_both(make_project: MakeProject) -> None:
    """Which of the two files is the newcomer's nothing tells (a new-user trial added a.bib, and its
    entry was fine, the old one in b.bib reported): each file names the other."""
    project = make_project({"bib/a.bib": GOOD, "bib/b.bib": GOOD.replace("Good", "Again")})
    keys, problems = load(project)
    assert keys.count("good2020entry") == 1
    assert problems == [
        "bib/a.bib:1: BibTeX key 'good2020entry' is used again at bib/b.bib:1; give each entry its own key",
        "bib/b.bib:1: BibTeX key 'good2020entry' is already used at bib/a.bib:1; give each entry its own key",
    ]


def test_bad_entries_do_not_hide_good_ones(make_project: MakeProject) -> None:
    text = "@misc{broken title}\n" + GOOD
    project = make_project({"bib/studies.bib": None, "bib/x.bib": text})
    keys, problems = load(project)
    assert keys == ["good2020entry"]
    assert len(problems) == 1


def test_check_reports_through_the_whole_pipeline(make_project: MakeProject) -> None:
    project = make_project({"bib/x.bib": "junk\n"})
    assert messages(project) == [
        "bib/x.bib:1: text outside any entry: 'junk'; remove it, or start comment lines with %"
    ]


def test_titles_in_other_scripts_are_told_apart_when_finding_one_paper_twice() -> None:
    """A review found 'ChatGPT 在教育中的应用' and 'ChatGPT 在医疗中的应用' taken for one paper: only
    ASCII letters and digits were kept."""

    def title(text: str) -> list[tuple[str, str]]:
        return paper_identities(BibRecord("k", "misc", (("title", text),), Location("x.bib", 1), ""))

    assert title("ChatGPT 在教育中的应用") != title("ChatGPT 在医疗中的应用")
    assert title("GPT-4 для обучения") != title("GPT-4 в робототехнике")
    assert title("{T}hird {S}tudy: Part-1") == title("Third Study — part 1") == [("title", "thirdstudypart1")]
    assert title("Étude") == title("etude")


def test_an_identifier_in_digits_of_another_script_is_not_of_its_form() -> None:
    """Full-width or Arabic-Indic digits are digits to Python's \\d, and to no DOI or arXiv resolver."""
    assert bibliography.identifier_fault("doi", "10.\uff11\uff10\uff10\uff10/xyz") is not None
    assert bibliography.identifier_fault("eprint", "2201.\u0660\u0661\u0662\u0663\u0664") is not None
    assert bibliography.identifier_fault("doi", "10.1000/xyz") is None
    assert bibliography.identifier_fault("eprint", "2201.00001v2") is None


def test_an_identifier_given_as_its_address_is_told_to_be_written_alone() -> None:
    assert bibliography.identifier_fault("doi", "https://doi.org/10.1000/xyz?utm=x") == (
        "DOI 'https://doi.org/10.1000/xyz?utm=x' is not of the form 10.NNNN/suffix: write the DOI alone, "
        "10.1000/xyz"
    )
    assert (bibliography.identifier_fault("eprint", "arXiv:2201.00001v2") or "").endswith(
        ": write the id alone, 2201.00001v2"
    )
    assert bibliography.identifier_fault("eprint", "see the paper") == (
        "eprint 'see the paper' is not an arXiv id of the form YYMM.NNNNN (a year and a month); look up "
        "the paper's own and write that, or leave the field out"
    )
    assert bibliography.identifier_fault("doi", "see the paper") == (
        "DOI 'see the paper' is not of the form 10.NNNN/suffix; look up the paper's own and write that, or "
        "leave the field out"
    )
    assert bibliography.identifier_fault("url", "javascript:alert(1)") == (
        "url 'javascript:alert(1)' is not an http(s) URL; write the whole address, beginning https://"
    )
    # A month that cannot be (a contributor's trial: '2599.01234' was taken), in either form of id.
    for wrong in ("2599.01234", "2213.00001", "0612.1234", "hep-th/0813001"):
        assert bibliography.identifier_fault("eprint", wrong), wrong
    for right in ("0704.0001", "2204.05862v2", "hep-th/9901001", "math.GT/0309136"):
        assert bibliography.identifier_fault("eprint", right) is None, right


def test_a_misspelled_field_is_a_warning_at_its_line_and_a_field_of_another_name_is_not(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """'booktitel' loses the venue without a word otherwise: a warning names it and what was meant.
    A field of its own (a reference manager's) is not taken for a misspelling, nor is any known one."""
    text = (MINI / "bib" / "studies.bib").read_text(encoding="utf-8")
    assert "  booktitle = {Proceedings" in text and "  journal = {Journal of Fiction}" in text
    text = text.replace("  booktitle = {Proceedings", "  booktitel = {Proceedings")
    text = text.replace(
        "  journal = {Journal of Fiction},", "  jornal = {Journal of Fiction},\n  citationcount = {3},"
    )
    project = make_project({"bib/studies.bib": text})
    problems = Problems()
    records = {r.key: r for r in load_bibliography(project.root, project.bib, problems)}
    assert not problems  # warnings only: the build goes on, the fields kept as written
    assert records["mueller2021first"].get("booktitel") == "Proceedings of a Fictional Conference"
    assert [str(p) for p in problems.sorted()] == [
        "bib/studies.bib:5: warning: field 'booktitel' is no BibTeX field this site knows; did you mean "
        "'booktitle'? As written it is kept in the entry but shown nowhere",
        "bib/studies.bib:22: warning: field 'jornal' is no BibTeX field this site knows; did you mean "
        "'journal'? As written it is kept in the entry but shown nowhere",
    ]
    assert main(["--root", str(project.root), "check"]) == 0
    assert "2 warning(s)" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["booktitle", "journal", "keywords", "pmcid", "isbn", "mendeley-tags", "x"])
def test_a_known_or_unlike_field_name_is_not_taken_for_a_misspelling(name: str) -> None:
    assert misspelled_field(name) is None


@pytest.mark.parametrize(
    ("name", "meant"), [("autor", "author"), ("publsher", "publisher"), ("adress", "address")]
)
def test_a_name_one_letter_off_a_known_field_is(name: str, meant: str) -> None:
    assert misspelled_field(name) == meant
