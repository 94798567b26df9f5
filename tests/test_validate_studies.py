"""Stages 3-4: study files are read safely and every mistake is reported with file and line."""

from __future__ import annotations

import datetime
import pickle
import re
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveysite import bibliography, validate
from surveysite.build import Project, check
from surveysite.cache import Memo
from surveysite.model import FILTER_SEPARATOR
from surveysite.problems import Problems
from surveysite.studies import _read_study
from surveysite.validate import _meant
from surveysite.yamlfile import MERGE_KEY

from .conftest import ROOT, MakeProject, edit, messages

THIRD = "content/studies/lee2023third.yaml"
GOOD_THIRD = """name: Third
categories: [beta]
placement: medium
in_survey: true
added: 2026-01-01
summary: A third fictional study.
facets:
  model: [not stated]
  feedback: [human, environment]
  code: no
"""

CASES = {
    "unknown-category": (
        GOOD_THIRD.replace("[beta]", "[alpha/tow]"),
        [
            f"{THIRD}:2: unknown category 'alpha/tow'; did you mean 'alpha/two'? (the leaves under 'alpha': "
            "alpha/one, alpha/two)"
        ],
    ),
    "unknown-category-under-an-unknown-node": (  # a trial's leftover example path: no leaf was named
        GOOD_THIRD.replace("[beta]", "[example-class/first-leaf]"),
        [f"{THIRD}:2: unknown category 'example-class/first-leaf' (the leaves: alpha/one, alpha/two, beta)"],
    ),
    "category-not-a-leaf": (
        GOOD_THIRD.replace("[beta]", "[alpha]"),
        [
            f"{THIRD}:2: 'alpha' has sub-categories; place the study in one of its leaves: "
            "alpha/one, alpha/two"
        ],
    ),
    "facet-value-not-in-vocabulary": (
        GOOD_THIRD.replace("[human, environment]", "[humans]"),
        [
            f"{THIRD}:9: facet 'feedback': 'humans' is not allowed; did you mean 'human'? "
            "(allowed: human, environment, not stated, not checked)"
        ],
    ),
    "facet-value-holding-an-allowed-one": (  # a trial was offered a value of the opposite meaning
        GOOD_THIRD.replace("[human, environment]", "[Human feedback]"),
        [
            f"{THIRD}:9: facet 'feedback': 'Human feedback' is not allowed; did you mean 'human'? "
            "(allowed: human, environment, not stated, not checked)"
        ],
    ),
    "facet-values-written-as-one": (  # a maintainer's trial was asked whether it meant 'environment' alone
        GOOD_THIRD.replace("[human, environment]", "human, environment"),
        [
            f"{THIRD}:9: facet 'feedback': 'human, environment' is one value; for 2, write a list: "
            "[human, environment]"
        ],
    ),
    "hyphenated-word-split-at-a-line-end": (
        GOOD_THIRD.replace(
            "summary: A third fictional study.", "summary: >-\n  A third study on MMHal-\n  Bench."
        ),
        [
            f"{THIRD}:7: 'MMHal-' ends the line, and YAML joins the next line to it with a space "
            "('MMHal- Bench'); write 'MMHalBench' on one line, or 'MMHal-Bench' if the hyphen belongs to "
            "the word"
        ],
    ),
    "hyphenated-word-split-in-a-file-with-crlf": (
        GOOD_THIRD.replace(
            "summary: A third fictional study.", "summary: >-\r\n  A study on MMHal-\r\n  Bench."
        ),
        [
            f"{THIRD}:7: 'MMHal-' ends the line, and YAML joins the next line to it with a space "
            "('MMHal- Bench'); write 'MMHalBench' on one line, or 'MMHal-Bench' if the hyphen belongs to "
            "the word"
        ],
    ),
    "word-of-several-hyphens-split-at-a-line-end": (
        GOOD_THIRD.replace(
            "summary: A third fictional study.", "summary: >-\n  A state-of-the-\n  art study."
        ),
        [
            f"{THIRD}:7: 'state-of-the-' ends the line, and YAML joins the next line to it with a space "
            "('state-of-the- art'); write 'state-of-the-art' on one line"
        ],
    ),
    "ligatures-and-a-soft-hyphen-pasted-from-a-pdf": (
        GOOD_THIRD.replace(
            "summary: A third fictional study.",
            "summary: >-\n  A third \ufb01ne-tuning \ufb01rst study of rein\xadforcement.\n  It \ufb02ows.",
        ),
        [
            f"{THIRD}:7: 'ﬁ', a ligature pasted from a PDF, which search does not read as letters: type 'fi'",
            f"{THIRD}:7: a soft hyphen (invisible) pasted from a PDF, which search does not read as letters: "
            "delete it",
            f"{THIRD}:8: 'ﬂ', a ligature pasted from a PDF, which search does not read as letters: type 'fl'",
        ],
    ),
    "invisible-characters-pasted-in": (  # a contributor's trial: published without a word
        GOOD_THIRD.replace(
            "summary: A third fictional study.",
            "summary: >-\n  A third\u200bfictional study.\n  It\u2060works\ufeff.",
        ).replace("name: ", "name: \u200b", 1),
        [
            f"{THIRD}:1: a zero-width space (U+200B, invisible), which search reads as neither a space nor a "
            "letter: delete it",
            f"{THIRD}:7: a zero-width space (U+200B, invisible), which search reads as neither a space nor a "
            "letter: delete it",
            f"{THIRD}:8: a word joiner (U+2060, invisible), which search reads as neither a space nor a "
            "letter: delete it",
            f"{THIRD}:8: a zero-width no-break space (U+FEFF, invisible), which search reads as neither a "
            "space nor a letter: delete it",
        ],
    ),
    "line-separator-pasted-in": (  # a contributor's trial was told of bad YAML on the line after it
        GOOD_THIRD.replace("summary: A third fictional study.", "summary: A third\u2028fictional study."),
        [
            f"{THIRD}:6: character U+2028 (a line separator, invisible) breaks the line here for YAML and "
            "JavaScript, though not in an editor; replace it with a space"
        ],
    ),
    "a-facet-moved-to-the-margin": (  # a contributor's trial was told only of the line after it
        GOOD_THIRD.replace("  feedback: [human, environment]", "feedback: [human, environment]"),
        [
            f"{THIRD}:9: this line is indented less than the lines above and below it, so YAML reads it as "
            "ending the block they are in and stops at line 10: indent it as far as they are; or, if it "
            "belongs where it is, line 10 is the one to indent otherwise"
        ],
    ),
    "the-last-facet-moved-to-the-margin": (  # a contributor's trial added the facet, the stray line kept
        GOOD_THIRD.replace("  code: no", "code: no"),
        [
            f"{THIRD}:7: facet 'code' is missing; give its value, or 'not stated'",
            f"{THIRD}:10: unknown key 'code'; if it belongs under 'facets' (line 7), indent it as far as the "
            "keys there (allowed: name, categories, placement, placement_note, in_survey, added, summary, "
            "note, facets, links)",
        ],
    ),
    "suspended-hyphen-at-a-line-end": (
        GOOD_THIRD.replace(
            "summary: A third fictional study.", "summary: >-\n  A third study of pre-\n  and post-training."
        ),
        [],
    ),
    "facet-value-holding-the-csv-separator": (
        GOOD_THIRD.replace("  model: [not stated]", '  model: ["A; B", TL;DR]'),
        [
            f"{THIRD}:8: facet 'model': 'A; B' holds '; ', which parts a cell's values in the CSV download; "
            "write two values, or another mark"
        ],
    ),
    # A maintainer's trial wrote a terms facet's two values as one line: one value, unseen.
    "terms-written-as-one": (
        GOOD_THIRD.replace("  model: [not stated]", "  model: GAT, MPNN"),
        [
            f"{THIRD}:8: warning: facet 'model': 'GAT, MPNN' is one value as written; for 2, write a list: "
            '[GAT, MPNN]; to keep it one value, quote it in a list: ["GAT, MPNN"]'
        ],
    ),
    "terms-written-as-one-with-a-comma-in-brackets": (  # a review: the list offered split its brackets
        GOOD_THIRD.replace("  model: [not stated]", "  model: Atari (Pong, Breakout), MuJoCo,"),
        [
            f"{THIRD}:8: warning: facet 'model': 'Atari (Pong, Breakout), MuJoCo,' is one value as written; "
            'for 2, write a list: ["Atari (Pong, Breakout)", MuJoCo]; to keep it one value, quote it in a '
            'list: ["Atari (Pong, Breakout), MuJoCo,"]'
        ],
    ),
    "facet-value-with-commas-in-brackets-or-a-list": (
        GOOD_THIRD.replace("  model: [not stated]", "  model: Atari (Pong, Breakout)"),
        [],
    ),
    "facet-value-with-a-comma-in-a-list": (
        GOOD_THIRD.replace("  model: [not stated]", '  model: ["Chinchilla, 70B"]'),
        [],
    ),
    "facet-value-holding-the-filter-separator": (
        GOOD_THIRD.replace("  model: [not stated]", '  model: ["A|B"]'),
        [
            f"{THIRD}:8: facet 'model': 'A|B' holds '|', which parts a filter's values in the matrix's "
            "links; write another mark"
        ],
    ),
    "facet-value-in-other-case": (
        GOOD_THIRD.replace("[human, environment]", "[HUMAN]"),
        [
            f"{THIRD}:9: facet 'feedback': 'HUMAN' is not allowed; did you mean 'human'? "
            "(allowed: human, environment, not stated, not checked)"
        ],
    ),
    "unknown-facet": (
        GOOD_THIRD.replace("  code: no", "  code: no\n  modle: [X]"),
        [f"{THIRD}:11: unknown facet 'modle'; did you mean 'model'? (the facets are: model, feedback, code)"],
    ),
    "missing-facet": (
        GOOD_THIRD.replace("  code: no\n", ""),
        [f"{THIRD}:7: facet 'code' is missing; give its value, or 'not stated'"],
    ),
    "yes-no-facet-wrong-value": (
        GOOD_THIRD.replace("code: no", "code: maybe"),
        [f"{THIRD}:10: facet 'code': 'maybe' is not allowed (allowed: yes, no, not stated, not checked)"],
    ),
    "yes-no-facet-two-values": (
        GOOD_THIRD.replace("code: no", "code: [yes, no]"),
        [f"{THIRD}:10: facet 'code' takes one value: yes, no, not stated, not checked"],
    ),
    "unknown-mixed-with-values": (
        GOOD_THIRD.replace("[human, environment]", "[human, not stated, elsewhere]"),
        [
            f"{THIRD}:9: facet 'feedback': 'elsewhere' is not allowed "
            "(allowed: human, environment, not stated, not checked); a new value goes in the facet's "
            "values in content/taxonomy.yaml",
            f"{THIRD}:9: facet 'feedback': 'not stated' cannot be mixed with other values; "
            "keep the values, or 'not stated' alone",
        ],
    ),
    "term-spelled-two-ways": (
        GOOD_THIRD.replace("[not stated]", "[model-a]"),
        [
            f"{THIRD}:8: facet 'model': 'model-a' is written 'Model-A' at "
            "content/studies/mueller2021first.yaml:9; use one spelling"
        ],
    ),
    "terms-in-other-scripts-are-told-apart": (  # (folded to nothing, two Chinese terms were one)
        GOOD_THIRD.replace("[not stated]", "[\u6a21\u578b\u7532, \u6a21\u578b\u4e59]"),
        [],
    ),
    "unknown-key": (
        GOOD_THIRD + "summery: typo\n",
        [
            f"{THIRD}:11: unknown key 'summery'; did you mean 'summary'? (allowed: name, categories, "
            "placement, placement_note, in_survey, added, summary, note, facets, links)"
        ],
    ),
    "wrong-type": (
        GOOD_THIRD.replace("in_survey: true", "in_survey: sometimes"),
        [f"{THIRD}:4: 'in_survey' should be true or false, found 'sometimes'"],
    ),
    "flag-in-quotes": (  # a contributor's trial was not told what to change
        GOOD_THIRD.replace("in_survey: true", "in_survey: 'true'"),
        [f"{THIRD}:4: 'in_survey' should be true or false, found 'true'; write it without quotes"],
    ),
    "name-not-text": (
        GOOD_THIRD.replace("name: Third", "name: [Third]"),
        [f"{THIRD}:1: 'name' should be text, found a list; quote it"],
    ),
    "bad-date": (
        GOOD_THIRD.replace("2026-01-01", "soon"),
        [f"{THIRD}:5: 'added' should be a date like 2026-11-24, found 'soon'"],
    ),
    "bad-placement": (
        GOOD_THIRD.replace("placement: medium", "placement: mid"),
        [f"{THIRD}:3: 'placement' should be one of high, medium, low, found 'mid'"],
    ),
    "placement-a-number": (
        GOOD_THIRD.replace("placement: medium", "placement: 5"),
        [f"{THIRD}:3: 'placement' should be one of high, medium, low, found a number"],
    ),
    "facet-a-mapping": (  # once: not also as an empty facet
        GOOD_THIRD.replace("model: [not stated]", "model: {a: b}"),
        [
            f"{THIRD}:8: facet 'model': a mapping is not a value; write text; a value holding ': ' must be "
            'quoted: "TL;DR: summarization"'
        ],
    ),
    "date-in-quotes": (
        GOOD_THIRD.replace("2026-01-01", '"2026-01-01"'),
        [
            f"{THIRD}:5: 'added' should be a date like 2026-11-24, found '2026-01-01'; write it without "
            "quotes, which make it text"
        ],
    ),
    "colon-in-a-value": (
        GOOD_THIRD.replace("name: Third", "name: Third: A Study"),
        [
            f"{THIRD}:1: mapping values are not allowed here (a value holding ': ' must be quoted: "
            'name: "Graphs: A Survey"); fix the YAML syntax'
        ],
    ),
    "key-indented-under-a-value": (  # a maintainer's trial was told to quote a value with no ': '
        GOOD_THIRD.replace("  feedback: [human, environment]", "   feedback: [human, environment]").replace(
            "  model: [not stated]", "  model: not stated"
        ),
        [
            f"{THIRD}:9: this line is indented further than 'model' on line 8, so YAML reads it as the rest "
            "of that value, where ': ' is not allowed: if it is a key of its own, indent it as far as "
            "'model'; if it continues the value, quote the value"
        ],
    ),
    "added-a-day-to-come": (
        GOOD_THIRD.replace("2026-01-01", "2099-12-31"),
        [f"{THIRD}:5: 'added' is 2099-12-31, a day still to come; give the day it was added"],
    ),
    "facet-value-twice": (
        GOOD_THIRD.replace("model: [not stated]", "model: [GPT-4, GPT-4]"),
        [f"{THIRD}:8: facet 'model': 'GPT-4' is listed twice; keep one"],
    ),
    "unknown-value-twice": (  # not also "cannot be mixed with other values"
        GOOD_THIRD.replace("model: [not stated]", "model: [not stated, not stated]"),
        [f"{THIRD}:8: facet 'model': 'not stated' is listed twice; keep one"],
    ),
    "yes-twice": (  # not also "takes one value"
        GOOD_THIRD.replace("code: no", "code: [yes, yes]"),
        [f"{THIRD}:10: facet 'code': 'yes' is listed twice; keep one"],
    ),
    "number-on-its-own-line": (
        GOOD_THIRD.replace("model: [not stated]", "model:\n    - GPT-2\n    - 1.10"),
        [
            f"{THIRD}:10: facet 'model': YAML reads 1.10 as the number 1.1; quote it (\"1.10\") to keep it "
            "as written"
        ],
    ),
    "facet-values-on-their-own-lines": (  # each problem at its value's line, not the facet's
        GOOD_THIRD.replace("feedback: [human, environment]", "feedback:\n    - human\n    - envrionment"),
        [
            f"{THIRD}:11: facet 'feedback': 'envrionment' is not allowed; did you mean 'environment'? "
            "(allowed: human, environment, not stated, not checked)"
        ],
    ),
    "link-not-http": (
        GOOD_THIRD + "links:\n  code: javascript:alert(1)\n",
        [
            f"{THIRD}:12: link 'code' is not an http(s) URL: 'javascript:alert(1)'; write the whole address, "
            "beginning https://"
        ],
    ),
    "unknown-link-kind": (
        GOOD_THIRD + "links:\n  paper: https://example.org\n",
        [
            f"{THIRD}:12: unknown link kind 'paper'; use one of: code, project, data, demo, video (the "
            "site's maintainers declare the kinds, under 'links' in content/survey.yaml)"
        ],
    ),
    "empty-file": ("", [f"{THIRD}:1: the file is empty; fill in the study's fields (see CONTRIBUTING.md)"]),
    "only-a-comment": (
        "# to do\n",
        [f"{THIRD}:1: the file holds no fields; fill in the study's fields (see CONTRIBUTING.md)"],
    ),
    "not-a-mapping": ("- a\n- b\n", [f"{THIRD}:1: expected a mapping of study fields, found a list"]),
    "yaml-syntax-error": (
        GOOD_THIRD.replace("name: Third", "name: [Third"),
        [
            f"{THIRD}:1: the '[' on this line is not closed (YAML read on to line 2: expected ',' or ']', "
            "but got ':'); close the list with ']'"
        ],
    ),
    "unclosed-flow-mapping": (
        GOOD_THIRD.replace("placement: medium", "placement: {medium"),
        [
            f"{THIRD}:3: the '{{' on this line is not closed (YAML read on to line 4: expected ',' or '}}', "
            "but got ':'); close the mapping with '}'"
        ],
    ),
    "unclosed-quote": (
        GOOD_THIRD.replace("name: Third", 'name: "Third'),
        [
            f"{THIRD}:1: the quote on this line is not closed (YAML read on to the end: found unexpected "
            "end of stream); end the value with the same quote"
        ],
    ),
    "unclosed-quote-on-the-last-line": (
        GOOD_THIRD + 'note: "Unended\n',
        [
            f"{THIRD}:11: the quote on this line is not closed (YAML read on to the end: found unexpected "
            "end of stream); end the value with the same quote"
        ],
    ),
    "unclosed-list-at-the-end": (
        GOOD_THIRD + "note: [\n",
        [
            f"{THIRD}:11: the '[' or '{{' on this line is not closed (YAML read on to the end: expected the "
            "node content, but found '<stream end>'); close it with ']' or '}'"
        ],
    ),
    "missing-comma-between-two-lines": (  # closed: not reported as unclosed (a review's find)
        GOOD_THIRD.replace("  feedback: [human, environment]", '  feedback: ["human"\n    "environment"]'),
        [
            f"{THIRD}:10: expected ',' or ']', but got '<scalar>'; a ',' may be missing between two items "
            "of the list of line 9"
        ],
    ),
    "flow-error-on-its-own-line": (
        GOOD_THIRD.replace("categories: [beta]", "categories: [beta,, gamma]"),
        [f"{THIRD}:2: expected the node content, but found ','; fix the YAML syntax"],
    ),
    "duplicate-yaml-key": (
        GOOD_THIRD + "name: Again\n",
        [f"{THIRD}:11: key 'name' appears twice in the same mapping (first at line 1); keep one"],
    ),
    "a-key-indented-as-far-as-the-lines-under-it": (  # a trial's 'links:' under 'facets:': 'keep one'
        GOOD_THIRD + "  links:\n  code: https://example.org/third\n",
        [
            f"{THIRD}:12: key 'code' appears twice in the same mapping (first at line 10); keep one. Or "
            "does it belong under 'links' (line 11), which holds nothing? Then 'links' or the lines under "
            "it are indented wrongly: a key's own lines are indented more than the key"
        ],
    ),
    # A contributor's trial wrote 'code https://...' under 'links:' and was told only that 'links' should
    # be a mapping.
    "a-link-without-its-colon": (
        GOOD_THIRD + "links:\n  code https://example.org/third\n",
        [
            f"{THIRD}:11: 'links' should be a mapping, found 'code https://example.org/third'; if 'code' is "
            "a key, add ':' after it ('code: https://example.org/third')"
        ],
    ),
    "two-words-for-a-mapping": (  # no ':' to add: 'not' is no key (a review)
        GOOD_THIRD.replace(
            "facets:\n  model: [not stated]\n  feedback: [human, environment]\n  code: no\n",
            "facets: not stated\n",
        ),
        [
            f"{THIRD}:7: 'facets' should be a mapping, found 'not stated'",
            *(
                f"{THIRD}:7: facet '{facet}' is missing; give its value, or 'not stated'"
                for facet in ("code", "feedback", "model")  # (in the order told)
            ),
        ],
    ),
    "object-constructing-tag": (
        GOOD_THIRD.replace("name: Third", "name: !!python/object/apply:os.system [echo hi]"),
        [
            f"{THIRD}:1: YAML tags that build objects are not allowed (tag:yaml.org,2002:python/object/"
            "apply:os.system); fix the YAML syntax"
        ],
    ),
    "merge-key": (  # (a maintainer's trial was told of a tag it had not written)
        GOOD_THIRD.replace("summary: A third", "<<: {placement: high}\nsummary: A third"),
        [f"{THIRD}:6: {MERGE_KEY}"],
    ),
    "alias": (
        GOOD_THIRD.replace("name: Third", "name: &n Third").replace(
            "summary: A third", "x: *n\nsummary: A third"
        ),
        [f"{THIRD}:6: YAML aliases (*name) are not allowed; write the value out"],
    ),
    "todo-spelled-by-yaml-escapes": (
        GOOD_THIRD.replace("placement: medium", 'placement: medium\nplacement_note: "\\x54ODO: check"'),
        [f"{THIRD}:4: 'placement_note' still says TODO; fill it in, or delete the line"],
    ),
    "study-without-entry": (
        None,
        [
            "bib/studies.bib:19: entry 'lee2023third' has no study file; create "
            "content/studies/lee2023third.yaml (or move the entry to a file of its own and run `surveysite "
            "new --bibtex FILE`, which writes one), or delete the entry"
        ],
    ),
}


@pytest.mark.parametrize("text,expected", CASES.values(), ids=CASES.keys())
def test_bad_study_file_is_reported(make_project: MakeProject, text: str | None, expected: list[str]) -> None:
    project = make_project({THIRD: text})
    assert messages(project) == expected


def test_a_long_run_of_letters_before_a_line_ending_hyphen_is_read_in_linear_time(
    make_project: MakeProject,
) -> None:
    """A hostile-input trial's study file, a comment of 99,000 letters and a summary split after a
    hyphen, took a minute to check: the pattern for a word split at a line's end tried each letter of
    the run as the word's start. The bound below is some fifty times what the check takes now, and a
    quarter of what it took before (37 s): a guard on the kind of growth, not a speed target."""
    run = "a" * 95_000  # (a study file is held to 100,000 bytes)
    text = GOOD_THIRD.replace(
        "summary: A third fictional study.", f"# {run} x\nsummary: >-\n  A third study on MMHal-\n  Bench."
    )
    started = time.perf_counter()
    found = messages(make_project({THIRD: text}))
    assert time.perf_counter() - started < 10
    assert any("'MMHal-' ends the line" in m for m in found), found


def test_study_file_without_bibtex_entry(make_project: MakeProject) -> None:
    project = make_project(
        {"content/studies/lee2023thrid.yaml": GOOD_THIRD.replace("name: Third", "name: Thrid")}
    )
    assert messages(project) == [
        "content/studies/lee2023thrid.yaml:1: no BibTeX entry with key 'lee2023thrid' in bib/; "
        "add the entry or rename the file; 'lee2023third' has its study file already "
        "(content/studies/lee2023third.yaml)"
    ]


def test_a_study_file_without_entry_is_told_the_entry_without_a_study_file(make_project: MakeProject) -> None:
    """A maintainer's trial: 'did you mean' named a key whose study file was there already, which the
    file could not be renamed to; an entry without its study file is the one it may be meant for."""
    project = make_project({THIRD: None, "content/studies/lee2023thrid.yaml": GOOD_THIRD})
    assert messages(project) == [
        "bib/studies.bib:19: entry 'lee2023third' has no study file; create "
        "content/studies/lee2023third.yaml (or move the entry to a file of its own and run `surveysite new "
        "--bibtex FILE`, which writes one), or delete the entry",
        "content/studies/lee2023thrid.yaml:1: no BibTeX entry with key 'lee2023thrid' in bib/; "
        "add the entry or rename the file; did you mean 'lee2023third'?",
    ]


def test_a_study_file_copied_under_a_key_without_entry_is_told_on_the_copy_alone(
    make_project: MakeProject,
) -> None:
    """A maintainer's trial copied a study file to a misspelt key: besides the missing entry, the
    study it copied was told that its name was the copy's."""
    project = make_project({"content/studies/lee2023thrid.yaml": GOOD_THIRD})
    assert messages(project) == [
        "content/studies/lee2023thrid.yaml:1: no BibTeX entry with key 'lee2023thrid' in bib/; "
        "add the entry or rename the file; 'lee2023third' has its study file already "
        "(content/studies/lee2023third.yaml)"
    ]


@pytest.mark.parametrize(
    ("fields", "what", "first"),
    [
        ("doi = {10.1234/FICT.2021.1}", "DOI", "'mueller2021first' at bib/studies.bib:2"),
        (
            "eprint = {2201.00001v2}, archivePrefix = {arXiv}",
            "arXiv id",
            "'smith2022second' at bib/studies.bib:10",
        ),
        ("title = {{T}hird {S}tudy}", "title", "'lee2023third' at bib/studies.bib:19"),
    ],
    ids=["doi-in-capitals", "arxiv-id-with-a-version", "title-braced-otherwise"],
)
def test_an_entry_for_a_paper_already_here_is_reported(
    make_project: MakeProject, fields: str, what: str, first: str
) -> None:
    """`new` refused such an entry, but one added by hand (as a pull request does) passed check."""
    project = make_project(
        {"content/studies/roe2024again.yaml": GOOD_THIRD.replace("name: Third", "name: Again")}
    )
    bib = project.root / "bib" / "studies.bib"
    text = bib.read_text()
    line = text.count("\n") + 2
    title = "" if "title" in fields else "title = {Again}, "
    bib.write_text(
        text + f"\n@misc{{roe2024again,\n  author = {{Roe, Ann}}, {title}year = {{2024}}, {fields}\n}}\n"
    )
    assert messages(project) == [
        f"bib/studies.bib:{line}: entry 'roe2024again' has the same {what} as {first}; a paper has one "
        f"entry: keep one, or correct the {what}"
    ]


def test_a_study_added_tomorrow_is_not_a_day_to_come(make_project: MakeProject) -> None:
    """Tomorrow is someone's today: a contributor east of the machine that checks may write it."""
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    assert messages(make_project({THIRD: GOOD_THIRD.replace("2026-01-01", tomorrow)})) == []


def test_a_refused_entry_is_reported_alone_not_also_as_its_studys_missing_entry(
    make_project: MakeProject,
) -> None:
    """A contributor trial's entry with an abstract gave a second, false 'no BibTeX entry' problem."""
    project = make_project()
    bib = project.root / "bib" / "studies.bib"
    text = bib.read_text()
    bib.write_text(
        text.replace("  year    = {2023},\n", "  year    = {2023},\n  abstract = {We copy.},\n", 1)
    )
    line = text[: text.index("  year    = {2023},")].count("\n") + 2
    assert messages(project) == [f"bib/studies.bib:{line}: field 'abstract' is not kept in bib/; delete it"]


@pytest.mark.parametrize("after", ["\n", "   \n", "\r\n"], ids=["newline", "spaces", "crlf"])
def test_an_entry_without_the_comma_after_its_key_is_told_so_alone(
    make_project: MakeProject, after: str
) -> None:
    """A maintainer's trial: the comma after a key left out gave bibtexparser's words ('Expected comma
    after entry key, but found =') and a second problem, at the study file, of no entry at all."""
    project = make_project()
    bib = project.root / "bib" / "studies.bib"
    text = bib.read_text()
    start = text.index("@", text.index("lee2023third") - 20)
    line = text[:start].count("\n") + 1
    bib.write_bytes(text.replace("{lee2023third,\n", "{lee2023third" + after, 1).encode())
    assert messages(project) == [
        f"bib/studies.bib:{line}: malformed BibTeX entry: no comma after its key 'lee2023third'; add one"
    ]


@pytest.mark.parametrize(
    ("summary", "markup"),
    [
        (
            "|\n  It does. It shows.\n  | Task | Score |\n  | --- | --- |\n  | Lift | 0.9 |",
            "a Markdown table",
        ),
        ("It does <b>this</b>. It shows it.", "an HTML tag"),
        ("It does **this**. It shows it.", "Markdown emphasis"),
        ("It does [this](https://example.org). It shows it.", "a Markdown link"),
        ("|\n  It does:\n  - this\n  - that", "a Markdown list or heading"),
        ("|\n  ## Summary\n  It does this. It shows it.", "a Markdown list or heading"),
        (
            "|\n  ## Summary\n  It does **this**, see [here](https://example.org).\n  - a list",
            "Markdown emphasis, a Markdown link and a Markdown list or heading",
        ),
    ],
    ids=["table", "html", "emphasis", "link", "list", "heading-first", "three-at-once"],
)
def test_a_summary_with_markup_pasted_in_gets_a_warning(
    make_project: MakeProject, summary: str, markup: str
) -> None:
    """A contributor trial pasted a table, a tag and emphasis: shown as typed on one line, check silent."""
    project = make_project(
        {THIRD: GOOD_THIRD.replace("summary: A third fictional study.", f"summary: {summary}")}
    )
    assert messages(project) == [
        f"{THIRD}:6: warning: the summary holds {markup}, which the site shows as typed, in one paragraph of "
        "plain text; write plain sentences"
    ]


NAME_TOLD = "the name holds an HTML tag, which the site shows as typed; write the name as plain text"
FACET_TOLD = (
    "facet 'model': '<b>Model-A</b>' holds an HTML tag, which the site shows as typed; write the value as "
    "plain text"
)


@pytest.mark.parametrize(
    ("before", "after", "told"),
    [
        ("name: Third", "name: '<b>Third</b>'", f"{THIRD}:1: warning: {NAME_TOLD}"),
        ("name: Third", "name: 'List<String> Third'", None),
        ("model: [not stated]", "model: ['<b>Model-A</b>']", f"{THIRD}:8: warning: {FACET_TOLD}"),
        ("model: [not stated]", "model: ['Map<String> model']", None),
    ],
)
def test_a_name_or_facet_value_with_an_html_tag_gets_a_warning_as_a_summary_does(
    make_project: MakeProject, before: str, after: str, told: str | None
) -> None:
    """A contributor's trial: '<b>' in a summary was warned of, in a name not; a maintainer's, in a
    facet value not (all are shown as typed)."""
    project = make_project({THIRD: GOOD_THIRD.replace(before, after)})
    assert messages(project) == ([told] if told else [])


def test_plain_summaries_with_brackets_stars_and_dashes_get_no_warning(make_project: MakeProject) -> None:
    summary = (
        "It scores 2 * 3 - 1 on a [0, 1] scale (a-b) and x**2 + y**2 on [0,1](normalised) inputs. It "
        "beats x < y > z, e.g. GPT-4's 5*-rating, with __init__ and List<String> from <Transformers>."
    )
    project = make_project(
        {THIRD: GOOD_THIRD.replace("summary: A third fictional study.", f"summary: {summary}")}
    )
    assert messages(project) == []


@pytest.mark.parametrize(
    "summary",
    [
        "|\n  A.\n" + "\n" * 1_500 + "  B.",
        '"A. ' + "\\n" * 3_000 + 'B."',
        '"' + " " * 5_000 + '|"',
        "[" * 5_000,
    ],
    ids=["blank-lines", "escaped-line-breaks", "spaces-then-a-pipe", "open-brackets"],
)
def test_a_summary_built_to_slow_the_markup_search_is_checked_quickly(
    make_project: MakeProject, summary: str
) -> None:
    """A review found a 1.7 KB study file that took 11 s to check (79 s at 6 KB): the table pattern
    was cubic in blank lines."""
    project = make_project(
        {THIRD: GOOD_THIRD.replace("summary: A third fictional study.", f"summary: {summary}")}
    )
    started = time.perf_counter()
    messages(project)
    assert time.perf_counter() - started < 5


def test_a_malformed_entry_is_reported_alone_not_also_as_its_studys_missing_entry(
    make_project: MakeProject,
) -> None:
    """A review found the fix for refused entries missed malformed ones, which the parser keeps apart."""
    project = make_project()
    bib = project.root / "bib" / "studies.bib"
    text = bib.read_text()
    bib.write_text(text.replace("  journal = {Journal of Fiction},", "  journal = {Journal of Fiction,", 1))
    found = messages(project)
    assert len(found) == 1 and found[0].startswith("bib/studies.bib:22: malformed BibTeX entry"), (
        found
    )  # journal


def test_a_paper_entered_twice_is_reported_again_by_a_run_that_reuses_the_last_runs_results(
    make_project: MakeProject,
) -> None:
    """The check is kept under the keys of the .bib files' parts: reused while they are the same."""
    project = make_project(
        {"content/studies/roe2024again.yaml": GOOD_THIRD.replace("name: Third", "name: Again")}
    )
    bib = project.root / "bib" / "studies.bib"
    original = bib.read_text()
    bib.write_text(
        original + "\n@misc{roe2024again,\n  author = {Roe, Ann}, title = {Third Study}, year = {2024}\n}\n"
    )
    memo = Memo()
    first = [str(p) for p in check(project, memo)]
    assert len(first) == 1 and "has the same title as 'lee2023third'" in first[0]
    hits = memo.hits  # (the taxonomy's, read once for the studies and once for the issue form)
    assert [str(p) for p in check(project, memo)] == first and memo.hits > hits  # reused, reported again
    bib.write_text(
        original + "\n@misc{roe2024again,\n  author = {Roe, Ann}, title = {Again}, year = {2024}\n}\n"
    )
    assert check(project, memo) == []


def test_an_unreadable_bib_file_is_reported_alone_not_as_every_studys_missing_entry(
    make_project: MakeProject,
) -> None:
    project = make_project()
    bib = project.root / "bib" / "studies.bib"
    lines = bib.read_bytes().count(b"\n")
    bib.write_bytes(bib.read_bytes() + b"% Jos\xe9\n")
    assert messages(project) == [
        f"bib/studies.bib:{lines + 1}: byte 0xe9 is not UTF-8; save the file as UTF-8"
    ]


def test_yaml_alias_bomb_is_refused_quickly(make_project: MakeProject) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    project = make_project({THIRD: bomb})
    started = time.perf_counter()
    found = messages(project)
    assert time.perf_counter() - started < 5
    assert found[0] == f"{THIRD}:2: YAML aliases (*name) are not allowed; write the value out"


def test_all_problems_are_reported_at_once(make_project: MakeProject) -> None:
    project = make_project(
        {
            THIRD: GOOD_THIRD.replace("[beta]", "[gamma]").replace("code: no", "code: perhaps"),
            "bib/x.bib": "stray\n",
        }
    )
    assert messages(project) == [
        "bib/x.bib:1: text outside any entry: 'stray'; remove it, or start comment lines with %",
        f"{THIRD}:2: unknown category 'gamma' (the leaves: alpha/one, alpha/two, beta)",
        f"{THIRD}:10: facet 'code': 'perhaps' is not allowed (allowed: yes, no, not stated, not checked)",
    ]


def test_identifier_problems_are_kept_with_the_parsed_bib_file_and_reported_again(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project()
    edit(project, "bib/studies.bib", "10.1234/fict.2021.1", "11.1234/fict")
    edit(project, "bib/studies.bib", "2201.00001", "22.01")
    memo = Memo()
    first = [str(p) for p in check(project, memo)]
    # Each at the line of its field, not of its entry (a trial maintainer's find)
    mend = "; look up the paper's own and write that, or leave the field out"
    doi = f"DOI '11.1234/fict' is not of the form 10.NNNN/suffix{mend}"
    eprint = f"eprint '22.01' is not an arXiv id of the form YYMM.NNNNN (a year and a month){mend}"
    assert f"bib/studies.bib:7: entry 'mueller2021first': {doi}" in first
    assert f"bib/studies.bib:14: entry 'smith2022second': {eprint}" in first
    # A build that reuses the parsed file (serve's next one) reports them again without checking anew.
    monkeypatch.setattr(bibliography, "identifier_fault", lambda *_: pytest.fail("checked again"))
    assert [str(p) for p in check(project, memo)] == first


def test_two_studies_of_one_name_are_reported_at_the_one_added_later(make_project: MakeProject) -> None:
    """A trial named its new study as one already here; tables and related studies showed the two
    alike. Letter case and spacing aside; the later `added` day is the newcomer's."""
    later = GOOD_THIRD.replace("name: Third", "name: '  third '").replace(
        "added: 2026-01-01", "added: 2026-02-01"
    )
    project = make_project({"content/studies/abe2020again.yaml": later})
    bib = project.root / "bib/studies.bib"
    bib.write_text(
        bib.read_text() + "\n@misc{abe2020again,\n  author = {Abe, Ann}, title = {T}, year = {2020}\n}\n"
    )
    assert messages(project) == [
        "content/studies/abe2020again.yaml:1: name 'third' is already the name of study 'lee2023third' "
        "(content/studies/lee2023third.yaml:1); give each study its own name, e.g. with its method's name "
        "or its year"
    ]


@pytest.mark.parametrize(
    ("added", "said"),
    [
        ("2026-13-01", "'2026-13-01' cannot be read as a date (month must be in 1..12); write a day of the "
         "calendar as YYYY-MM-DD"),
        ("2026-01-01T10:00:00", "'added' should be a date like 2026-11-24, found a date and time; keep the "
         "day alone"),
    ],
)  # fmt: skip
def test_a_date_that_is_no_day_says_how_to_write_one(
    make_project: MakeProject, added: str, said: str
) -> None:
    project = make_project({"content/studies/lee2023third.yaml": GOOD_THIRD.replace("2026-01-01", added)})
    assert messages(project) == [f"{THIRD}:5: {said}"]  # (the added day's line)


def test_a_date_that_is_no_day_hides_no_other_problem_of_its_file(make_project: MakeProject) -> None:
    """A maintainer's trial wrote 'added: 2026-02-30': that alone was told, and the file's empty
    categories and missing facets only once the date was mended. A date elsewhere is text, as written."""
    text = GOOD_THIRD.replace("2026-01-01", "2026-02-30").replace("categories: [beta]", "categories: []")
    text = text.replace("  code: no\n", "").replace("A third fictional study.", "2026-02-31")
    project = make_project({"content/studies/lee2023third.yaml": text})
    assert messages(project) == [
        f"{THIRD}:2: 'categories' is empty; give at least one",
        f"{THIRD}:5: '2026-02-30' cannot be read as a date (day is out of range for month); write a day of "
        "the calendar as YYYY-MM-DD",
        f"{THIRD}:7: facet 'code' is missing; give its value, or 'not stated'",
    ]


def test_a_study_file_with_an_impossible_date_as_a_key_is_kept_as_text(tmp_path: Path) -> None:
    """A review: a key YAML reads as an impossible date ('2026-02-31: yes') was kept as an object the
    cache could not read back, which dropped the cache's later frames on every run."""
    text = GOOD_THIRD.replace("  code: no\n", "  code: no\n  2026-02-31: yes\n")
    annotation = _read_study("lee2023third", THIRD, text, "", Problems())
    assert annotation is not None
    again = pickle.loads(pickle.dumps(annotation))
    assert dict(again.facets)["2026-02-31"] == ("yes",) and type(next(iter(dict(again.facets)))) is str


def test_a_tab_is_told_to_be_spaces(make_project: MakeProject) -> None:
    project = make_project(
        {"content/studies/lee2023third.yaml": GOOD_THIRD.replace("\n  code: no", "\n\tcode: no")}
    )
    assert messages(project) == [
        f"{THIRD}:10: a tab on this line, where YAML takes spaces only; use spaces"
    ]  # code


def test_names_alike_in_another_unicode_form_are_one_name_and_stubs_are_not(
    make_project: MakeProject,
) -> None:
    """'Café' typed as e and an accent (NFD) is the name 'Café'; two stubs of `surveysite new` both say
    name: TODO, which is reported as unfilled, not as a shared name."""
    decomposed = GOOD_THIRD.replace("name: Third", "name: Cafe\u0301")
    project = make_project({"content/studies/lee2023third.yaml": decomposed.replace("Cafe\u0301", "Café")})
    bib = project.root / "bib/studies.bib"
    extra = "".join(
        f"\n@misc{{{key},\n  author = {{Abe, Ann}}, title = {{T}}, year = {{2020}}\n}}\n"
        for key in ("abe2020again", "abe2020stub", "abe2020other")
    )
    bib.write_text(bib.read_text() + extra)
    files = project.root / "content/studies"
    (files / "abe2020again.yaml").write_text(decomposed.replace("2026-01-01", "2026-02-01"))
    for key in ("abe2020stub", "abe2020other"):
        (files / f"{key}.yaml").write_text(GOOD_THIRD.replace("name: Third", "name: TODO"))
    shared = [m for m in messages(project) if "is already the name of" in m]
    assert shared == [
        "content/studies/abe2020again.yaml:1: name 'Cafe\u0301' is already the name of study 'lee2023third' "
        "(content/studies/lee2023third.yaml:1); give each study its own name, e.g. with its method's name "
        "or its year"
    ]


def test_the_matrix_script_parts_a_filters_values_where_no_value_may_hold_a_mark() -> None:
    """A facet value holding the mark matrix.js parts a filter's values at was read back as two
    values: a heat-map link to 'Games|Play' found no study. The values are refused the mark the
    script splits and joins them at."""
    script = (ROOT / "src/surveysite/defaults/assets/javascripts/matrix.js").read_text(encoding="utf-8")
    split = re.findall(r'value\.split\("(.+?)"\)', script)
    joined = re.findall(r'state\.f\[k\]\.join\("(.+?)"\)', script)
    assert (set(split), set(joined)) == ({FILTER_SEPARATOR}, {FILTER_SEPARATOR})


def test_a_term_composed_two_ways_is_one_term_spelled_two_ways(make_project: MakeProject) -> None:
    """A trial wrote 'Café-LM' in one study file and the same letters decomposed (e and a combining
    accent) in another: the check passed, and the matrix showed two checkboxes alike, each finding
    one study. (Folded, non-ASCII letters were dropped: the two folded apart.)"""
    first = "content/studies/mueller2021first.yaml"
    text = (ROOT / "tests/fixtures/mini" / first).read_text(encoding="utf-8")
    composed, decomposed = "Caf\u00e9-LM", "Cafe\u0301-LM"
    project = make_project(
        {
            first: text.replace("[Model-A]", f"[{composed}]"),
            THIRD: GOOD_THIRD.replace("[not stated]", f"[{decomposed}]"),
        }
    )
    assert messages(project) == [
        f"content/studies/mueller2021first.yaml:9: facet 'model': '{composed}' is written '{decomposed}' at "
        f"{THIRD}:8 (the same letters, composed another way: type it again); use one spelling"
    ]


def test_a_term_spelled_two_ways_as_often_is_told_at_the_study_added_later(make_project: MakeProject) -> None:
    """A contributor's trial added a study spelling a term its own way, once used in an older study: the
    check, taking the file first by name as the usual spelling, told the older study's file to change."""
    project = make_project(
        {
            THIRD: GOOD_THIRD.replace("added: 2026-01-01", "added: 2026-03-01").replace(
                "[not stated]", "[model-b]"
            )
        }
    )
    assert messages(project) == [
        f"{THIRD}:8: facet 'model': 'model-b' is written 'Model-B' at "
        "content/studies/smith2022second.yaml:10; use one spelling"
    ]


def test_a_study_placed_in_too_many_leaves_is_reported_once(make_project: MakeProject) -> None:
    """A study's card lists its leaves on each of their pages: a study in 2,000 leaves made `surveysite
    pages` write 663 MB. Ten leaves pass; eleven are reported at the list, once, not leaf by leaf."""
    leaf = "      - id: l{0}\n        name: L{0}\n        gloss: G.\n        description: D.\n"
    project = make_project()
    taxonomy = project.root / "content" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    more = "".join(leaf.format(i) for i in range(12))
    taxonomy.write_text(text.replace("    children:\n", "    children:\n" + more, 1), encoding="utf-8")
    too_many = (
        f"{THIRD}:2: the study is placed in 11 leaves; place it in at most 10, those it is mainly about"
    )
    # The study's other checks still run; a leaf listed twice is one leaf (and reported as listed twice).
    bad_value = f"{THIRD}:9: facet 'feedback': 'humans' is not allowed; did you mean 'human'? (allowed: "
    bad_value += "human, environment, not stated, not checked)"
    twice = f"{THIRD}:2: 'alpha/l0' is listed twice; keep one"
    for count, expected in ((10, [twice, bad_value]), (11, [too_many, bad_value])):
        categories = "[" + ", ".join(f"alpha/l{i}" for i in range(count)) + ", alpha/l0]"
        text = GOOD_THIRD.replace("[beta]", categories).replace("[human, environment]", "[humans]")
        (project.root / THIRD).write_text(text, encoding="utf-8")
        assert messages(project) == expected


@pytest.mark.parametrize(
    ("added", "warned"), [("2021-06-01", True), ("2022-12-20", False), ("2023-01-02", False)]
)
def test_a_study_added_years_before_its_entrys_year_is_worth_a_look(
    make_project: MakeProject, added: str, warned: bool
) -> None:
    """A new maintainer's trial wrote 'added: 1999-01-01' for a study of 2019, and nothing said a
    word. A warning, not an error: a preprint added in December may later be cited as published the
    next year (the entry here says 2023)."""
    project = make_project()
    study = project.content / "studies" / "lee2023third.yaml"
    study.write_text(study.read_text().replace("added: 2026-01-01", f"added: {added}"))
    found = [str(p) for p in check(project) if p.warning]
    assert found == (
        [f"{THIRD}:5: warning: 'added' is {added}, years before the study's year (2023) in bib/; give the "
         "day it was added to this site"] if warned else []
    )  # fmt: skip


def test_an_unknown_leaf_is_shown_every_leaf_under_its_parent_those_of_a_sub_category_too(
    tmp_path: Path,
) -> None:
    """'the leaves under X' named only X's own leaves, not those of the sub-category beside them."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "wide", root)
    project = Project.at(root)
    edit(project, "content/studies/joshi2019heatmap.yaml", "[construct/one-shot]", "[construct/two-shot]")
    assert messages(project) == [
        "content/studies/joshi2019heatmap.yaml:2: unknown category 'construct/two-shot'; did you mean "
        "'construct/one-shot'? (the leaves under 'construct': construct/autoregressive/attention, "
        "construct/autoregressive/recurrent, construct/one-shot)"
    ]


def test_two_leaves_run_together_by_an_indented_dash_are_told_so(make_project: MakeProject) -> None:
    """A contributor's trial indented its second leaf's '- ' further than the first: YAML read one
    category, 'a - b', and check offered the first leaf alone, which dropped the second when taken."""
    project = make_project()
    edit(
        project,
        "content/studies/smith2022second.yaml",
        "categories: [alpha/two, beta]",
        "categories:\n- alpha/two\n  - beta",
    )
    assert messages(project) == [
        "content/studies/smith2022second.yaml:3: unknown category 'alpha/two - beta': YAML read 2 items as "
        "one, as a '- ' line indented further than the one above it continues that line; indent each "
        "'- ' line of categories alike"
    ]
    edit(project, "content/studies/smith2022second.yaml", "  - beta", "  - bete")  # not two leaves: as before
    assert "did you mean" in messages(project)[0]


def test_a_folder_of_study_files_among_them_is_said_to_be_unread(make_project: MakeProject) -> None:
    """A maintainer's trial kept study files in content/studies/drafts/ and was told nothing: they are
    not read (a folder of anything else, or a hidden one, is not mentioned; another file is, as not
    read), and the site still builds."""
    project = make_project(
        {
            "content/studies/drafts/later2025study.yaml": "name: Later\n",
            "content/studies/drafts.2025/older2025study.yaml": "name: Older\n",
            "content/studies/notes.txt": "not a folder\n",
            "content/studies/.hidden/x.yaml": "name: X\n",
            "content/studies/images/figure.png": b"\x89PNG",
        }
    )
    assert messages(project) == [
        *(
            f"content/studies/{folder}:1: warning: a folder of .yaml files, which are not read: they are "
            "read from content/studies/ itself; move those that are ready there"
            for folder in ("drafts", "drafts.2025")
        ),
        "content/studies/notes.txt:1: warning: not read: only .yaml files are read from content/studies/",
    ]


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("human feedback", "human"),
        ("AI feedback", "AI"),
        ("Feedback from the  environment", "environment"),
        ("no feedback at all", "no feedback"),
        ("envrionment", "environment"),
        ("automatic metrics", "automatic metric"),
        ("nothing like it", None),
        ("no human feedback", "no feedback"),  # a review: these were offered 'human'
        ("not human", None),
        ("Human-feedback", "human"),  # and this 'no feedback'
        ("metric", "automatic metric"),  # one allowed value holds it (a trial's 'bathyal (200-3000 m)')
    ],
)
def test_a_value_not_allowed_is_offered_the_allowed_one_it_holds(value: str, meant: str | None) -> None:
    """'human feedback' was offered 'no feedback', the closest by letters, which says the opposite."""
    assert _meant(value, ("human", "AI", "automatic metric", "environment", "no feedback")) == meant


def test_a_value_is_not_offered_the_one_allowed_value_that_holds_it_negated() -> None:
    """A review: 'human' was offered 'no human feedback', and 'rl' 'without rl'."""
    assert _meant("human", ("no human feedback", "environment")) is None
    assert _meant("rl", ("without rl", "supervised")) is None
    assert _meant("bathyal", ("bathyal (200-3000 m)", "abyssal (3000-6000 m)")) == "bathyal (200-3000 m)"


def test_a_year_after_next_is_told_at_its_entry(make_project: MakeProject) -> None:
    """A maintainer's trial: '2203' for a year passed check, with a warning about the day added alone."""
    next_year = datetime.date.today().year + 1
    project = make_project()
    edit(project, "bib/studies.bib", "year      = {2021}", f"year      = {{{next_year + 1}}}")
    assert (
        f"bib/studies.bib:2: entry 'mueller2021first': year {next_year + 1} is after next year; give the "
        "year it was published (or, for a preprint, put online)" in messages(project)
    )
    edit(project, "bib/studies.bib", f"year      = {{{next_year + 1}}}", f"year      = {{{next_year}}}")
    assert not [m for m in messages(project) if "after next year" in m]


def test_a_link_to_the_paper_itself_is_told_where_the_study_file_gives_it(make_project: MakeProject) -> None:
    """A contributor's trial gave its paper's address as links.project: the page showed it as 'Project
    page', and no 'Paper' link, without a word."""
    project = make_project()
    first = "content/studies/mueller2021first.yaml"
    edit(
        project, first, "  code: https://example.org/first", "  code: http://dx.doi.org/10.1234/FICT.2021.1/"
    )
    second = "content/studies/smith2022second.yaml"
    edit(
        project,
        second,
        "  code: not stated\n",
        "  code: not stated\nlinks:\n  code: https://arxiv.org/pdf/2201.00001v2\n",
    )
    assert [m for m in messages(project) if "own address" in m] == [
        f"{first}:13: warning: links.code is the paper's own address (its entry's DOI in bib/), which the "
        "page links to already: labelled 'Code', it would send readers to the paper; give the code's own "
        "address, or leave the link out",
        f"{second}:14: warning: links.code is the paper's own address (its entry's url in bib/), which the "
        "page links to already: labelled 'Code', it would send readers to the paper; give the code's own "
        "address, or leave the link out",
    ]
    edit(project, first, "http://dx.doi.org/10.1234/FICT.2021.1/", "https://example.org/first")
    assert len([m for m in messages(project) if "own address" in m]) == 1


def test_a_value_not_in_a_large_vocabulary_is_told_without_every_value_or_a_comparison_with_each(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review's vocabulary of thousands of values: each value not allowed was told with all of them
    (880 MB of messages) and compared with each by its letters (151 s)."""
    monkeypatch.setattr(validate, "MAX_COMPARED", 60)
    values = ["human", "environment", *(f"source {number}" for number in range(validate.MAX_LISTED))]
    project = make_project({THIRD: GOOD_THIRD.replace("[human, environment]", "[humans]")})
    edit(project, "content/taxonomy.yaml", "values: [human, environment]", f"values: [{', '.join(values)}]")
    assert messages(project) == [
        f"{THIRD}:9: facet 'feedback': 'humans' is not allowed; did you mean 'human'? (allowed: the "
        f"{len(values)} values in content/taxonomy.yaml, not stated, not checked)"
    ]
    values += [f"more {number}" for number in range(20)]  # over MAX_COMPARED: no comparison by letters
    edit(project, "content/taxonomy.yaml", "source 0,", f"{', '.join(values[-20:])}, source 0,")
    assert messages(project) == [
        f"{THIRD}:9: facet 'feedback': 'humans' is not allowed (allowed: the {len(values)} values in "
        "content/taxonomy.yaml, not stated, not checked); a new value goes in the facet's values in "
        "content/taxonomy.yaml"
    ]


_PIECES = st.sampled_from(["human", "no", "feedback", "AI", "ai-feedback", "x", "", " ", "-", "Human"])
_PHRASES = st.lists(_PIECES, max_size=4).map(" ".join)


@given(st.lists(_PHRASES, max_size=8, unique=True), _PHRASES)
@settings(max_examples=2_000, deadline=None)
def test_the_values_a_value_holds_or_is_held_by_are_those_a_reading_of_every_value_finds(
    allowed: list[str], value: str
) -> None:
    """Looked up by runs of words since a review's vocabulary of 25,000 values took 29 s a file: the
    same values, in the same order, as reading every allowed value found."""
    words = validate._words(value)
    read_held = [choice for choice in allowed if validate._words(choice) in words]
    read_holding = [choice for choice in allowed if words.strip() and words in validate._words(choice)]
    assert validate._values_held(words, tuple(allowed)) == read_held
    assert validate._holding(words, tuple(allowed)) == read_holding
