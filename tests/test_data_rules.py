"""A survey's own data rules (content/survey.yaml `rules:`), and check reporting everything in one run."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bibtexparser import model

from surveysite import formatting
from surveysite.bibliography import BibRecord, parse_part
from surveysite.build import Project, build_site
from surveysite.cli import main
from surveysite.formatting import formatted_bibtex, written_blocks
from surveysite.issueform import SEPARATOR
from surveysite.problems import Location, Problem, Problems
from surveysite.references import person_names
from surveysite.rules import Rules, check_record, key_style_fault, sentence_count

from .conftest import MakeProject, edit, messages

SURVEY = "content/survey.yaml"
THIRD = "content/studies/lee2023third.yaml"
SECOND = "content/studies/smith2022second.yaml"
FIRST = "content/studies/mueller2021first.yaml"
WHERE = "(the survey's rules in content/survey.yaml)"


def with_rules(make_project: MakeProject, rules: str, files: dict[str, str | None] | None = None) -> Project:
    project = make_project(files)
    survey = project.root / SURVEY
    survey.write_text(survey.read_text(encoding="utf-8") + "rules:\n" + rules, encoding="utf-8")
    return project


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("It writes rewards. It trains PPO, e.g. DoorKey. It beats it vs. PPO.", 3),
        ("Fig. 3 shows it. It is in Sec. 4.2 here. It uses approx. 3 GPUs. Dr. Eureka is it.", 4),
        ("One. Two! Three? 4 is four. Smith et al. Show it.", 5),
        ("A method (e.g. DoorKey) is tested. We compare PPO (vs. DQN) on it. It holds (Fig. 3) here.", 3),
        ("Does it scale? No. The results hold.", 3),
        ("No stop at all", 1),
    ],
)
def test_sentences_are_counted_past_abbreviations(text: str, count: int) -> None:
    """A contributor trial's four sentences holding 'vs. PPO', 'Fig. 3' and 'Sec. 4.2' counted seven."""
    assert sentence_count(text) == count


def test_the_mini_survey_has_no_rule_problems_without_rules(make_project: MakeProject) -> None:
    assert messages(make_project()) == []


@pytest.mark.parametrize(
    ("rules", "change", "expected"),
    [
        (
            "  summary_sentences: [2, 4]\n",
            (THIRD, "summary: A third fictional study.", "summary: One sentence only."),
            f"{THIRD}:6: the summary has 1 sentence(s); write 2 to 4 {WHERE}",
        ),
        (
            "  known_facets: [feedback]\n",
            (THIRD, "feedback: [human, environment]", "feedback: [not stated]"),
            f"{THIRD}:9: facet 'feedback' must name a value here, not 'not stated'; every study has one "
            f"{WHERE}",
        ),
        (
            "  facet_links: {code: code}\n",
            (THIRD, "code: no", "code: yes"),
            f"{THIRD}:10: 'code: yes' needs its link: add 'links: code: https://...' {WHERE}",
        ),
        (
            "  facet_links: {code: code}\n",
            (THIRD, "code: no", "code: no\nlinks:\n  code: https://example.org/code"),
            f"{THIRD}:10: 'code: no' but 'links: code' gives one; say 'yes', or delete the link {WHERE}",
        ),
        (
            "  arxiv_id: required\n",
            (THIRD, "", ""),
            "bib/studies.bib:19: entry 'lee2023third' has no arXiv id; add eprint = {YYMM.NNNNN} (the "
            "study's own, looked up on arxiv.org) and archivePrefix = {arXiv}, or, for a study with no "
            f"arXiv version, list its key under rules.arxiv_exceptions {WHERE}",
        ),
        (
            "  venue: required\n",
            (
                "bib/studies.bib",
                "url           = {https://arxiv.org/abs/2201.00001}",
                "url = {https://x.org/}",
            ),
            "bib/studies.bib:10: entry 'smith2022second' is cited as arXiv only: write url = "
            f"{{https://arxiv.org/abs/2201.00001}} {WHERE}",
        ),
        (
            "  placement_note: 200\n",
            (THIRD, "", ""),
            f"{THIRD}:3: placement 'medium' needs a placement_note of at least 200 characters saying why "
            f"the leaf is uncertain {WHERE}",
        ),
        (
            "  key_style: author-year-word\n",
            ("bib/studies.bib", "lee2023third", "lee2023thirdstudylongexport"),
            "bib/studies.bib:19: key 'lee2023thirdstudylongexport' does not end with one word of the "
            f"title or the study's name; e.g. 'lee2023third' {WHERE}",
        ),
    ],
    ids=[
        "summary-sentences",
        "known-facets",
        "facet-links",
        "facet-links-no-but-a-link",
        "arxiv-id",
        "venue",
        "placement-note",
        "key-style",
    ],
)
def test_each_rule_broken_is_reported_with_its_line_and_fix(
    make_project: MakeProject, rules: str, change: tuple[str, str, str], expected: str
) -> None:
    project = with_rules(make_project, rules)
    if change[1]:
        edit(project, *change)
    if "lee2023thirdstudylongexport" in change[2]:
        (project.root / THIRD).rename(project.root / "content/studies/lee2023thirdstudylongexport.yaml")
    assert expected in messages(project)


def test_a_missing_facet_the_rules_ask_a_value_of_is_not_offered_not_stated(
    make_project: MakeProject,
) -> None:
    """A contributor's trial was told to give a value 'or not stated', then that 'not stated' is not
    allowed there."""
    project = with_rules(make_project, "  known_facets: [feedback]\n")
    edit(project, THIRD, "  feedback: [human, environment]\n", "")
    edit(project, THIRD, "  model: [not stated]\n", "")
    found = [m for m in messages(project) if m.startswith(THIRD)]
    assert found == [
        f"{THIRD}:7: facet 'feedback' is missing; give its value (the survey's rules ask every study for "
        "one)",
        f"{THIRD}:7: facet 'model' is missing; give its value, or 'not stated'",
    ]


def test_every_leaf_must_hold_a_study_when_the_rule_says_so(make_project: MakeProject) -> None:
    project = with_rules(make_project, "  every_leaf_has_studies: true\n")
    edit(project, SECOND, "categories: [alpha/two, beta]", "categories: [beta]")
    assert (
        f"content/taxonomy.yaml:27: leaf 'alpha/two' holds no study; place at least one study there {WHERE}"
        in (messages(project))
    )


def test_the_bib_layout_is_checked_when_the_rule_says_so(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A contributor's trial passed `surveysite check` and then failed CI, which ran `format --check`: a
    survey that asks for the layout has `check` tell it, at the first line not laid out. Without the
    rule, check says nothing of layout; a build never does."""
    project = make_project()
    assert main(["--root", str(project.root), "format"]) == 0
    bib = project.root / "bib" / "studies.bib"
    laid_out = bib.read_text(encoding="utf-8")
    untidy = laid_out.replace("  title", "  title  ", 1)
    bib.write_text(untidy, encoding="utf-8")
    assert messages(project) == []
    survey = project.root / SURVEY
    survey.write_text(
        survey.read_text(encoding="utf-8") + "rules:\n  bib_layout: required\n", encoding="utf-8"
    )
    line = untidy[: untidy.index("  title  ")].count("\n") + 1
    assert messages(project) == [
        f"bib/studies.bib:{line}: needs formatting from here on: that line would read '  title     = {{The "
        "First Study of {$\\alpha$}-Learning},'; run `surveysite format`, which lays the entries out, writes "
        "names 'Family, Given' and braces a title's capitals; it changes nothing the site shows"
    ]
    build_site(project)  # a build (and so a preview) takes the entry as it is
    capsys.readouterr()
    assert main(["--root", str(project.root), "format"]) == 0
    assert bib.read_text(encoding="utf-8") == laid_out and messages(project) == []


# The mini survey's .bib file laid out, its comment taken away, then changed as a maintainer might:
# (the change, whether the file is parsed again to be formatted, whether check tells its layout).
LAYOUT_VARIANTS = {
    "laid out": (lambda text: text, False, False),
    "a month bare": (lambda text: text.replace("{2021},", "{2021},\n  month     = jan,"), False, False),
    "entries in another order": (
        lambda text: "\n\n".join(reversed(text.rstrip("\n").split("\n\n"))) + "\n",
        False,
        False,
    ),
    "a comment between entries": (lambda text: text.replace("\n\n@misc", "\n\n% two\n\n@misc"), True, False),
    "a macro": (
        lambda text: (
            "@string{fc = {Proceedings of a Fictional Conference}}\n\n"
            + text.replace("{Proceedings of a Fictional Conference}", "fc")
        ),
        True,
        False,
    ),
    "an entry broken": (lambda text: text.replace("{Third Study},", "{Third Study,"), True, False),
    "a year bare": (lambda text: text.replace("{2023}", "2023"), True, True),
    "a blank line more": (lambda text: text.replace("\n\n@misc", "\n\n\n@misc"), True, True),
    "no last line end": (lambda text: text.rstrip("\n"), True, True),
    "CRLF": (lambda text: text.replace("\n", "\r\n"), True, True),
    "a field's value column": (lambda text: text.replace("  title  ", "  title ", 1), True, True),
}


def laid_out_entries(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> tuple[Project, str]:
    """The mini survey, its .bib file laid out by format, and that file's entries (without its first
    block, a comment)."""
    project = make_project()
    assert main(["--root", str(project.root), "format"]) == 0
    capsys.readouterr()
    entries = (project.root / "bib" / "studies.bib").read_text(encoding="utf-8").split("\n\n", 1)[1]
    assert entries.startswith("@")
    return project, entries


@pytest.mark.parametrize("variant", LAYOUT_VARIANTS)
def test_a_laid_out_bib_file_is_told_as_format_tells_it_without_parsing_it_again(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variant: str,
) -> None:
    """With the layout's rule, check at 10,000 studies took two to three times as long as without it: every
    .bib file was parsed twice more to be formatted. A file that reads as its entries laid out is not
    (formatted_bibtex counted); what check says of each file is what it said before (the shortcut off)."""
    change, parsed_again, told = LAYOUT_VARIANTS[variant]
    project, entries = laid_out_entries(make_project, capsys)
    survey = project.root / SURVEY
    survey.write_text(
        survey.read_text(encoding="utf-8") + "rules:\n  bib_layout: required\n", encoding="utf-8"
    )
    (project.root / "bib" / "studies.bib").write_bytes(change(entries).encode())
    parsed: list[str] = []

    def counted(text: str, shown: str, tex: frozenset[str] = frozenset()) -> tuple[str | None, list[Problem]]:
        parsed.append(shown)
        return formatted_bibtex(text, shown, tex)

    monkeypatch.setattr(formatting, "formatted_bibtex", counted)
    said = messages(project)
    assert parsed == (["bib/studies.bib"] if parsed_again else [])
    layout = [m for m in said if "needs formatting" in m or "CRLF" in m]
    assert bool(layout) == told, said
    monkeypatch.setattr(formatting, "laid_out", lambda records: {})  # every file formatted, as before
    assert messages(project) == said


@pytest.mark.parametrize("variant", LAYOUT_VARIANTS)
def test_format_reads_a_laid_out_file_with_bibtexparser_only_where_it_changes(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variant: str,
) -> None:
    """`format` at 10,000 studies took 1.6 s, half of it bibtexparser reading a file laid out already to
    keep its comments and macros as written. A file that reads as its entries laid out is given back
    unread by it (written_blocks counted), and what format makes of each file is what it made before."""
    change, parsed_again, _ = LAYOUT_VARIANTS[variant]
    text = change(laid_out_entries(make_project, capsys)[1]).replace("\r\n", "\n")
    read: list[str] = []

    def counted(written: str) -> list[model.Block]:
        read.append(written)
        return written_blocks(written)

    monkeypatch.setattr(formatting, "written_blocks", counted)
    made = formatted_bibtex(text, "bib/studies.bib")
    # (format reads CRLF as LF; an entry that does not parse stops it before either reading)
    assert len(read) == (1 if parsed_again and variant not in ("CRLF", "an entry broken") else 0)
    monkeypatch.setattr(formatting, "laid_out", lambda records: {})  # every file read whole, as before
    assert formatted_bibtex(text, "bib/studies.bib") == made


def test_the_number_of_reviewed_studies_is_the_original_surveys(make_project: MakeProject) -> None:
    project = make_project()
    edit(project, SURVEY, "  short_name: the 2022 review\n", "  short_name: the 2022 review\n  studies: 3\n")
    assert messages(project) == [
        f"{SURVEY}:5: 2 studies are marked 'in_survey: true', but edition_of.studies says the survey "
        "reviews 3; mark exactly those it reviews"
    ]


def test_a_study_marked_reviewed_beyond_the_count_is_named_the_last_added_first(
    make_project: MakeProject,
) -> None:
    """A study marked 'in_survey: true' by mistake is most often one added after the survey's own."""
    project = make_project()
    edit(project, SURVEY, "  short_name: the 2022 review\n", "  short_name: the 2022 review\n  studies: 1\n")
    edit(project, THIRD, "added: 2026-01-01", "added: 2026-03-01")
    assert messages(project) == [
        f"{SURVEY}:5: 2 studies are marked 'in_survey: true', but edition_of.studies says the survey "
        f"reviews 1; mark exactly those it reviews; the marked study added last: {THIRD}:4 (added 2026-03-01)"
    ]
    edit(project, SECOND, "in_survey: false", "in_survey: true")
    assert messages(project) == [
        f"{SURVEY}:5: 3 studies are marked 'in_survey: true', but edition_of.studies says the survey "
        f"reviews 1; mark exactly those it reviews; the marked studies added last: {THIRD}:4 (added "
        f"2026-03-01), {SECOND}:5 (added 2026-02-01)"
    ]


def test_a_study_file_that_cannot_be_read_is_not_also_told_as_a_study_too_few_marked(
    make_project: MakeProject,
) -> None:
    """An engines trial indented one line of a study marked 'in_survey: true' too far: check told first
    that 25 studies were marked where the survey reviews 26, and then the line. The file's own
    problem is told alone; too many marked is still told (no unread file makes fewer)."""
    project = make_project()
    edit(project, SURVEY, "  short_name: the 2022 review\n", "  short_name: the 2022 review\n  studies: 2\n")
    assert messages(project) == []
    edit(project, FIRST, "  feedback: [human]\n", "      feedback: [human]\n")
    told = messages(project)
    assert told and all(m.startswith(f"{FIRST}:") for m in told), told
    edit(project, SURVEY, "  studies: 2\n", "  studies: 0\n")
    assert any(m.startswith(f"{SURVEY}:5: 1 studies are marked") for m in messages(project))


@pytest.mark.parametrize(
    ("rules", "problem"),
    [
        (
            "  summary_sentences: 3\n",
            f"{SURVEY}:LINE: rules.summary_sentences: expected [fewest, most], e.g. [2, 4]",
        ),
        ("  arxiv_id: yes\n", f"{SURVEY}:LINE: rules.arxiv_id: expected 'required' or 'optional'"),
        ("  bib_layout: true\n", f"{SURVEY}:LINE: rules.bib_layout: expected 'required' or 'optional'"),
        ("  key_style: anything\n", f"{SURVEY}:LINE: rules.key_style: expected one of: author-year-word"),
        ("  colour: red\n", f"{SURVEY}:LINE: unknown key 'colour'"),
    ],
    ids=[
        "sentences-not-a-pair",
        "arxiv-not-a-word",
        "layout-not-a-word",
        "unknown-key-style",
        "unknown-rule",
    ],
)
def test_a_bad_rule_is_reported_at_its_line(make_project: MakeProject, rules: str, problem: str) -> None:
    project = with_rules(make_project, rules)
    line = (project.root / SURVEY).read_text(encoding="utf-8").count("\n")  # the rule is the last line
    problem = problem.replace("LINE", str(line))
    found = messages(project)
    assert any(m.startswith(problem) for m in found), found


# check reports every problem of every file in one run, each once, at the line of the value -------


def test_a_study_file_with_only_a_name_gets_every_problem_at_once(make_project: MakeProject) -> None:
    project = make_project({"content/studies/new2024study.yaml": "name: New\n"})
    path = "content/studies/new2024study.yaml"
    found = [m for m in messages(project) if m.startswith(path)]
    assert found == [
        f"{path}:1: facet 'code' is missing; give its value, or 'not stated'",
        f"{path}:1: facet 'feedback' is missing; give its value, or 'not stated'",
        f"{path}:1: facet 'model' is missing; give its value, or 'not stated'",
        f"{path}:1: missing 'added'; add it, a date like 2026-11-24",
        f"{path}:1: missing 'categories'; add a list",
        f"{path}:1: missing 'in_survey'; add it: this site is an edition of the 2022 review; write true "
        "if it reviews the study, else false",
        f"{path}:1: missing 'summary'; add it",
        f"{path}:1: no BibTeX entry with key 'new2024study' in bib/; add the entry or rename the file",
    ]
    assert len(found) == len(set(found))


def test_an_empty_summary_is_reported_at_its_own_line(make_project: MakeProject) -> None:
    project = make_project()
    edit(project, THIRD, "summary: A third fictional study.", "summary:")
    assert f"{THIRD}:6: 'summary' is empty; fill it in" in messages(project)


@pytest.mark.parametrize(
    ("path", "old", "new", "expected"),
    [
        (THIRD, "summary: A third fictional study.", 'summary: "   "', f"{THIRD}:6: 'summary' is empty"),
        (THIRD, "name: Third", "name: ' '", f"{THIRD}:1: 'name' is empty"),
        (
            "content/taxonomy.yaml",
            "gloss: The first leaf.",
            'gloss: "  "',
            "content/taxonomy.yaml:25: 'gloss' is empty",
        ),
    ],
    ids=["summary", "name", "gloss"],
)
def test_a_text_of_spaces_alone_is_empty(
    make_project: MakeProject, path: str, old: str, new: str, expected: str
) -> None:
    """A new maintainer's trial: a name or summary of spaces was accepted, and the study's page had an
    empty heading, its table row an empty link."""
    project = make_project()
    edit(project, path, old, new)
    assert f"{expected}; fill it in" in messages(project)


def test_a_field_given_twice_is_one_problem_at_its_second_line_and_not_a_missing_entry(
    make_project: MakeProject,
) -> None:
    """A new maintainer's trial: the study file was also told its entry was missing, which it was not."""
    project = make_project()
    edit(
        project,
        "bib/studies.bib",
        "  year      = {2021},\n",
        "  year      = {2021},\n  year      = {2021},\n",
    )
    assert messages(project) == ["bib/studies.bib:7: field 'year' appears twice in one entry; keep one"]


def test_a_leafs_id_alone_is_answered_with_its_path(make_project: MakeProject) -> None:
    """A new maintainer's trial wrote a leaf's id without its path, and got no suggestion."""
    project = make_project()
    edit(project, SECOND, "categories: [alpha/two, beta]", "categories: [two, beta]")
    assert messages(project) == [f"{SECOND}:2: unknown category 'two'; did you mean 'alpha/two'?"]


def test_a_misspelled_children_key_names_the_taxonomy_as_the_studies_likely_cause(
    make_project: MakeProject,
) -> None:
    """A maintainer's 'chidren:' dropped a class's leaves: each study placed in one was told to move to
    the class itself, the taxonomy's own problem listed last. The studies' messages now point to it."""
    project = make_project()
    edit(project, "content/taxonomy.yaml", "    children:", "    chidren:")
    cause = "content/taxonomy.yaml has problems (listed here too), which may be why; mend those first"
    assert messages(project) == [
        f"{FIRST}:2: unknown category 'alpha/one': {cause}",
        f"{SECOND}:2: unknown category 'alpha/two': {cause}",
        "content/taxonomy.yaml:22: unknown key 'chidren'; did you mean 'children'? (allowed: id, name, "
        "gloss, description, children)",
    ]


def test_a_facet_the_taxonomy_refuses_names_the_taxonomy_as_the_studies_likely_cause(
    make_project: MakeProject,
) -> None:
    """A maintainer's trial renamed a facet to 'year', an id the site keeps for itself: each study
    file's value for it was then an unknown facet, among 'the facets' listed without it."""
    project = make_project()
    edit(project, "content/taxonomy.yaml", "  - id: model\n", "  - id: year\n")
    for study in (FIRST, SECOND, "content/studies/lee2023third.yaml"):
        edit(project, study, "  model:", "  year:")
    found = messages(project)
    cause = "content/taxonomy.yaml has problems (listed here too), which may be why; mend those first"
    studies = [m for m in found if m.startswith("content/studies/")]
    assert len(studies) == 3 and all(m.endswith(f": unknown facet 'year': {cause}") for m in studies)
    assert any(m.startswith("content/taxonomy.yaml:3: facet id 'year'") for m in found)


def test_a_vocabulary_without_values_is_reported_once_not_at_every_value(make_project: MakeProject) -> None:
    """A maintainer's trial left out a facet's values: every study's value was then 'not allowed
    (allowed: , not stated, not checked)', and the cause came last."""
    project = make_project()
    edit(project, "content/taxonomy.yaml", "    values: [human, environment]\n", "")
    assert messages(project) == ["content/taxonomy.yaml:7: missing 'values'; add a list"]
    edit(project, "content/taxonomy.yaml", "    kind: vocabulary\n", "    kind: vocabulary\n    values: []\n")
    assert messages(project) == ["content/taxonomy.yaml:10: 'values' is empty; list the values allowed"]
    edit(project, "content/taxonomy.yaml", "    values: []\n", "    values: 5\n")  # each said once
    assert messages(project) == [
        "content/taxonomy.yaml:10: 'values' should be a list, found a number; write each item on a line of "
        "its own, after '- '"
    ]
    edit(project, "content/taxonomy.yaml", "    values: 5\n", "    values:\n")
    assert messages(project) == ["content/taxonomy.yaml:7: missing 'values'; add a list"]


def test_a_misspelled_key_is_reported_once_with_its_spelling_not_also_as_missing(
    make_project: MakeProject,
) -> None:
    """A maintainer's trial wrote 'catgories': besides 'did you mean', the study was said to lack its
    categories. So for a text, a list, a flag and a date."""
    project = make_project()
    lines = {"name": 1, "categories": 2, "in_survey": 5, "added": 6}
    for key in lines:  # each with its third letter left out
        edit(project, SECOND, f"{key}: ", f"{key[:2]}{key[3:]}: ")
    allowed = "name, categories, placement, placement_note, in_survey, added, summary, note, facets, links"
    assert messages(project) == [
        f"{SECOND}:{line}: unknown key '{key[:2]}{key[3:]}'; did you mean '{key}'? (allowed: {allowed})"
        for key, line in lines.items()
    ]
    edit(project, SECOND, "nae: ", "notes: ")  # a key not near 'name': the name is still missing
    assert f"{SECOND}:1: missing 'name'; add it" in messages(project)


def test_a_study_file_named_in_capitals_is_told_its_name_and_its_entry_not_told_to_make_one(
    make_project: MakeProject,
) -> None:
    """A maintainer's trial named a file Silva2022sat.yaml: it was told to rename it, and its entry to
    create content/studies/silva2022sat.yaml, one mistake twice."""
    project = make_project()
    studies = project.root / "content" / "studies"
    (studies / "smith2022second.yaml").rename(studies / "Smith2022second.yaml")
    assert messages(project) == [
        "content/studies/Smith2022second.yaml:1: a study file is named after its BibTeX key: lowercase "
        "letters, digits, '-' and '_', then .yaml; rename it to smith2022second.yaml"
    ]


def test_a_wrong_category_is_reported_at_the_value(make_project: MakeProject) -> None:
    project = make_project()
    edit(project, SECOND, "categories: [alpha/two, beta]", "categories:\n  - alpha/two\n  - alpha/tow")
    assert messages(project) == [
        f"{SECOND}:4: unknown category 'alpha/tow'; did you mean 'alpha/two'? (the leaves under 'alpha': "
        "alpha/one, alpha/two)"
    ]


@pytest.mark.parametrize("spelling", ["Yes", "True", "on", "NO", "true"])
def test_a_yaml_boolean_spelled_otherwise_than_yes_or_no_is_refused(
    make_project: MakeProject, spelling: str
) -> None:
    project = make_project()
    edit(project, THIRD, "code: no", f"code: {spelling}")
    word, boolean = ("yes", "true") if spelling.lower() in ("yes", "true", "on") else ("no", "false")
    how = "in lowercase" if spelling.lower() == word else "instead"  # ('true': 'in lowercase' misread)
    assert messages(project) == [
        f"{THIRD}:10: facet 'code': YAML reads {spelling} as the boolean {boolean}, not text; "
        f"write {word} {how}, or quote the text"
    ]


@pytest.mark.parametrize(
    ("written", "read"), [("1.10", "1.1"), ("010", "8"), ("1_000", "1000"), ("0x1F", "31"), (".inf", "inf")]
)
def test_a_number_yaml_reads_otherwise_than_written_is_refused_in_a_list_and_alone(
    make_project: MakeProject, written: str, read: str
) -> None:
    project = make_project()
    edit(project, THIRD, "model: [not stated]", f"model: [GPT-2, {written}]")
    expected = (
        f"facet 'model': YAML reads {written} as the number {read}; quote it (\"{written}\") to keep it "
        "as written"
    )
    assert messages(project) == [f"{THIRD}:8: {expected}"]
    edit(project, THIRD, f"model: [GPT-2, {written}]", f"model: {written}")
    assert messages(project) == [f"{THIRD}:8: {expected}"]


def test_a_number_read_as_written_and_a_quoted_one_are_values(make_project: MakeProject) -> None:
    project = make_project()
    edit(project, THIRD, "model: [not stated]", 'model: [7, 3.5, 2023, "1.10", "010"]')
    assert messages(project) == []
    pages = build_site(project).pages
    row = next(line for line in pages["studies/lee2023third.md"].splitlines() if line.startswith("| Model |"))
    values = ("7", "3.5", "2023", "1.10", "010")  # each shown as written, and a link to the matrix with it
    linked = ", ".join(f"[{v}](../matrix.md?f.model={v})" for v in values)
    assert row.replace("\\", "") == f"| Model | {linked} |"


def test_lowercase_yes_and_no_are_accepted(make_project: MakeProject) -> None:
    project = make_project()
    edit(project, THIRD, "code: no", "code: yes")
    assert messages(project) == []


# format: one way of writing names and titles, which BibTeX reads as before ----------------------------


def test_format_writes_authors_last_first_and_braces_acronyms() -> None:
    text = (
        "@misc{doe2024new,\n  author = {Jane Doe and Ludwig van Beethoven and {OpenAI Team} and Roe, Rick},\n"
        "  title = {Training LLMs with GPT-4 Feedback: Test-Time {DeepSeek} Methods},\n  year = {2024}\n}\n"
    )
    formatted, problems = formatted_bibtex(text, "x.bib")
    assert problems == [] and formatted is not None
    assert "author = {Doe, Jane and van Beethoven, Ludwig and {OpenAI Team} and Roe, Rick}" in formatted
    assert "title  = {Training {LLMs} with {GPT-4} Feedback: Test-Time {DeepSeek} Methods}" in formatted
    again, _ = formatted_bibtex(formatted, "x.bib")
    assert again == formatted
    before = "Jane Doe and Ludwig van Beethoven and {OpenAI Team} and Roe, Rick"
    after = "Doe, Jane and van Beethoven, Ludwig and {OpenAI Team} and Roe, Rick"
    assert person_names(before) == person_names(after)


# the feed and What's new do not repeat a name that starts the title ------------------------------


def test_a_title_starting_with_the_name_is_not_repeated(make_project: MakeProject) -> None:
    project = make_project()
    edit(project, "bib/studies.bib", "title   = {Third Study}", "title   = {Third: A Study}")
    # (listed by itself in What's new: not one of the original survey's, which are one line a day)
    edit(project, "content/studies/lee2023third.yaml", "in_survey: true", "in_survey: false")
    site = build_site(project)
    feed = ET.fromstring(site.files["feed.xml"])
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Third: A Study" in titles and "Third: Third: A Study" not in titles
    assert "[Third](studies/lee2023third.md): A Study (2023)" in site.pages["whats-new.md"]


# the issue form follows the taxonomy ---------------------------------------------------------------


def test_renaming_a_leaf_makes_check_fail_until_the_form_is_written_again(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    root = ["--root", str(project.root)]
    assert main([*root, "issue-form"]) == 0
    form = (project.root / ".github/ISSUE_TEMPLATE/propose-study.yml").read_text(encoding="utf-8")
    assert f"Alpha{SEPARATOR}Leaf one (alpha/one)" in form
    assert messages(project) == []
    edit(project, "content/taxonomy.yaml", "name: Leaf one", "name: First leaf")
    assert messages(project) == [
        ".github/ISSUE_TEMPLATE/propose-study.yml:1: the issue form no longer matches "
        "content/taxonomy.yaml and content/survey.yaml; run `surveysite issue-form` to write it again"
    ]
    assert main([*root, "issue-form"]) == 0
    assert messages(project) == []
    form = (project.root / ".github/ISSUE_TEMPLATE/propose-study.yml").read_text(encoding="utf-8")
    assert f"Alpha{SEPARATOR}First leaf (alpha/one)" in form
    capsys.readouterr()


@pytest.mark.parametrize(
    "whose",
    [
        "edited by hand",
        "the project's own",
        "of an earlier version, stale",
        "of an earlier version, current",
        "laid out anew",
    ],
)
def test_an_issue_form_edited_by_hand_or_the_projects_own_is_never_replaced(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], whose: str
) -> None:
    """A data-safety trial added a field to the form by hand: check called it out of date with the
    taxonomy, and issue-form replaced it. An edit is told from a stale form by the sum on the form's
    third line (a sum of what its YAML says: a review's CR LF checkout and a formatter's quotes were
    called edits); a form without issue-form's first lines is the project's own and left alone; a form
    of an earlier version (no sum) that says what the taxonomy makes passes, and one that does not
    (stale, or edited: it cannot tell) is left for the maintainer to delete (a review: it was replaced,
    a field added by hand with it)."""
    project = make_project()
    root = ["--root", str(project.root)]
    assert main([*root, "issue-form"]) == 0
    path = project.root / ".github/ISSUE_TEMPLATE/propose-study.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[2].startswith("# CRC-32 of the text below")
    field = "- type: input\n  id: name\n  attributes:\n    label: Your name\n"
    if whose == "edited by hand":
        path.write_text("".join(lines) + field, encoding="utf-8")
    elif whose == "the project's own":
        path.write_text("".join(lines[3:]) + field, encoding="utf-8")
    elif whose == "of an earlier version, stale":
        path.write_text("".join(lines[:2] + lines[3:]).replace("Leaf one", "Old leaf"), encoding="utf-8")
    elif whose == "of an earlier version, current":
        path.write_text("".join(lines[:2] + lines[3:]), encoding="utf-8")
    else:  # CR LF line ends, other quotes, a blank line at the end
        text = "".join(lines).replace("title: '[Study]: '", 'title: "[Study]: "') + "\n"
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    before = path.read_bytes()
    found = messages(project)
    if whose == "edited by hand":
        assert found == [
            ".github/ISSUE_TEMPLATE/propose-study.yml:3: the issue form was edited by hand since `surveysite "
            "issue-form` wrote it (its text no longer has the CRC-32 of this line), and issue-form will not "
            "replace it: carry the change into content/taxonomy.yaml or content/survey.yaml and delete the "
            "form to have it written again, or delete its first three lines to keep it as the project's own "
            "(check then leaves it alone)"
        ]
    elif whose == "of an earlier version, stale":
        assert [m.split(": ", 1)[1] for m in found] == [
            "the issue form differs from the one content/taxonomy.yaml and content/survey.yaml make, and "
            "an earlier surveysite wrote it without the line that tells an edit by hand: if it holds no "
            "edit of yours, delete it and run `surveysite issue-form`; else keep your change, delete its "
            "first two lines to keep it as the project's own"
        ]
    else:
        assert found == []
        if whose != "the project's own":  # (what it says is the form's: written again, its sum given)
            assert main([*root, "issue-form"]) == 0
            assert path.read_text(encoding="utf-8") == "".join(lines)
            return
    capsys.readouterr()
    assert main([*root, "issue-form"]) == 2
    err = capsys.readouterr().err
    assert (
        "cannot write .github/ISSUE_TEMPLATE/propose-study.yml: it " in err and "nothing was changed" in err
    )
    assert path.read_bytes() == before
    path.unlink()
    assert main([*root, "issue-form"]) == 0
    assert messages(project) == []


def test_a_stale_issue_form_is_reported_with_the_studies_problems_not_after_them(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trial maintainer who renamed a leaf saw the stale form only once the studies were mended."""
    project = make_project()
    assert main(["--root", str(project.root), "issue-form"]) == 0
    capsys.readouterr()
    edit(project, "content/taxonomy.yaml", "- id: one", "- id: first")
    found = messages(project)
    assert found[0].startswith(".github/ISSUE_TEMPLATE/propose-study.yml:1: the issue form no longer matches")
    # The closest spelling is the renamed leaf's sibling: the leaves beside it are named too.
    assert (
        f"{FIRST}:2: unknown category 'alpha/one'; did you mean 'alpha/two'? (the leaves under 'alpha': "
        "alpha/first, alpha/two)"
    ) in found[1:]


def test_a_leaf_renamed_by_a_word_added_is_offered_before_a_sibling_spelled_closer(
    make_project: MakeProject,
) -> None:
    """A maintainer's trial renamed 'spectral' to 'spectral-methods' and was offered its sibling
    'spatial', the closer spelling, which check would then have passed."""
    project = make_project()
    edit(project, "content/taxonomy.yaml", "- id: one", "- id: one-leaf-first")
    assert (
        f"{FIRST}:2: unknown category 'alpha/one'; did you mean 'alpha/one-leaf-first'? (the leaves under "
        "'alpha': alpha/one-leaf-first, alpha/two)"
    ) in messages(project)
    # Not where a sibling is a slip of a letter away: 'agent' is 'agents', not 'multi-agent' (a review).
    edit(project, "content/taxonomy.yaml", "- id: one-leaf-first", "- id: multi-agent")
    edit(project, "content/taxonomy.yaml", "- id: two", "- id: agents")
    edit(project, FIRST, "alpha/one", "alpha/agent")
    assert (
        f"{FIRST}:2: unknown category 'alpha/agent'; did you mean 'alpha/agents'? (the leaves under "
        "'alpha': alpha/multi-agent, alpha/agents)"
    ) in messages(project)


def test_new_still_works_with_stdin_bytes(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project = make_project()
    entry = "@misc{roe2024made, author={Rick Roe}, title={Made Up}, year={2024}}\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(entry.encode()), encoding="utf-8"))
    assert main(["--root", str(project.root), "new"]) == 0
    assert "author = {Roe, Rick}" in (project.root / "bib" / "studies.bib").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("author", "key"),
    [
        (r"B{\i}y{\i}k, Erdem", "biyik2022learning"),  # a dotless i has no accent to take off
        (r"{\L}ukasiewicz, Jan", "lukasiewicz2022learning"),
        (r"Str{\o}m, Eva", "strom2022learning"),
        (r"S{\o}rensen, Eva", "sorensen2022learning"),
        (r"M{\"u}ller, J{\"o}rg", "mueller2022learning"),
        (r"M{\"u}ller, J{\"o}rg", "muller2022learning"),
        (r"Sigur{\dh}sson, Eva", "sigurdsson2022learning"),
        (r"Sigur{\dh}sson, Eva", "sigursson2022learning"),  # as folded before: keys never change
        (r"S{\o}rensen, Eva", "srensen2022learning"),
        (r"B{\i}y{\i}k, Erdem", "byk2022learning"),
        # An unbraced tilde accent, now read whole ('Peña'), and as its tie split it before: both stay.
        (r"Luis Pe\~na", "pena2022learning"),
        (r"Luis Pe\~na", "na2022learning"),
        (r"Rui Gon\c calves", "goncalves2022learning"),
        (r"Rui Gon\c calves", "calves2022learning"),
    ],
)
def test_a_key_may_spell_the_surname_in_plain_letters(author: str, key: str) -> None:
    """A dotless i was dropped in folding (B{\\i}y{\\i}k as 'byk'): the key 'biyik2022learning' failed.
    Keys made while it was so are still accepted: study URLs never change."""
    fields = (("author", author), ("title", "Learning Things"), ("year", "2022"))
    record = BibRecord(key, "article", fields, Location("bib/x.bib", 1), "")
    assert key_style_fault(record, None) is None
    other = BibRecord("xyz2022learning", "article", fields, Location("bib/x.bib", 1), "")
    assert "first author's surname" in (key_style_fault(other, None) or "")


def test_a_surname_without_latin_letters_leaves_the_key_s_first_part_free() -> None:
    """A trial's '张, 伟' gave the example key '2022learning', which the rule then refused: no way on."""
    fields = (("author", "张, 伟 and Smith, Ann"), ("title", "Learning Things"), ("year", "2022"))
    for key in ("zhang2022learning", "wei2022learning"):
        assert key_style_fault(BibRecord(key, "article", fields, Location("bib/x.bib", 1), ""), None) is None
    wrong = key_style_fault(
        BibRecord("zhang2019learning", "article", fields, Location("bib/x.bib", 1), ""), None
    )
    assert wrong == "does not carry the year of publication (or of the preprint); e.g. 'surname2022learning'"


@pytest.mark.parametrize(
    ("given", "told"),
    [
        (
            "doi = {10.48550/arXiv.2310.12931}",
            "names arXiv 2310.12931 in its doi but has no eprint: add eprint = {2310.12931} and",
        ),
        (
            "url = {http://arxiv.org/abs/2310.12931v2}",
            "names arXiv 2310.12931 in its url but has no eprint: add eprint = {2310.12931}",
        ),
        (
            "eprint = {2310.12931}",
            "gives eprint = {2310.12931} but does not say it is arXiv's: add archivePrefix = {arXiv}",
        ),
        # (biblatex's name for archivePrefix, which DBLP's and Better BibTeX's exports write: a
        # maintainer's trial was told to add archivePrefix to an entry the pages read as arXiv's)
        ("eprint = {2310.12931},\n eprinttype = {arXiv}", ""),
    ],
)
def test_an_entry_naming_its_arxiv_id_elsewhere_is_told_what_to_add(given: str, told: str) -> None:
    """A contributor's Zotero export gave the arXiv id as arXiv's DOI and in its address, and was told
    'has no arXiv id; add eprint = {YYMM.NNNNN} (looked up on arxiv.org)', as if it had none."""
    text = "@misc{smith2023walk,\n author = {Smith, Jane},\n title = {Walk},\n year = {2023},\n"
    text += f" {given}\n}}\n"
    problems = Problems()
    record = parse_part(text, "x.bib", 0, Problems()).records[0]
    check_record(Rules(arxiv_id=True), record, problems)
    if not told:
        assert not problems.sorted(), [p.message for p in problems.sorted()]
        return
    assert any(told in p.message for p in problems.sorted()), [p.message for p in problems.sorted()]


def test_an_arxiv_only_export_is_told_its_eprint_and_its_url_in_one_run() -> None:
    """A contributor's Zotero export of a preprint (arXiv's DOI, its address with 'http://') took three
    runs: told to add its eprint, then, once added, to write its url as the rule has it."""
    text = "@misc{smith2023walk,\n author = {Smith, Jane},\n title = {Walk},\n year = {2023},\n"
    text += " doi = {10.48550/arXiv.2310.12931},\n url = {http://arxiv.org/abs/2310.12931}\n}\n"
    problems = Problems()
    record = parse_part(text, "x.bib", 0, Problems()).records[0]
    check_record(Rules(arxiv_id=True, venue=True), record, problems)
    assert [p.message.split(" (the survey's")[0] for p in problems.sorted()] == [
        "entry 'smith2023walk' is cited as arXiv only: write url = {https://arxiv.org/abs/2310.12931}",
        "entry 'smith2023walk' names arXiv 2310.12931 in its doi but has no eprint: add eprint = "
        "{2310.12931} and archivePrefix = {arXiv}",
    ]


@pytest.mark.parametrize(
    ("author", "spelled"),
    [
        ("Þórsson, Ólafur", "thorsson"),
        ("Sørensen, Anne", "sorensen"),
        ("Y\u0131lmaz, Ali", "yilmaz"),  # a dotless i
        ("{\\L}ukasz, Kaiser", "lukasz"),
        ("Pe\\~na, Luis", "pena"),
        ("van der Berg, Piet", "berg"),
    ],
)
def test_the_example_key_spells_the_surname_with_every_letter(author: str, spelled: str) -> None:
    """A contributor's trial was offered 'orsson2025study' for Þórsson, a spelling the rule accepts only
    so that keys made before stay valid ('srensen' for Sørensen, 'ylmaz' for a dotless-i Yilmaz), and
    copied it: a study's key is its address for good. The example now spells every letter out; the
    key it gives passes the rule."""
    fields = (("author", author), ("title", "A Study of Things"), ("year", "2025"))
    wrong = key_style_fault(BibRecord("x", "article", fields, Location("bib/x.bib", 1), ""), None)
    assert wrong is not None and wrong.endswith(f"e.g. '{spelled}2025study'")
    assert (
        key_style_fault(
            BibRecord(f"{spelled}2025study", "article", fields, Location("bib/x.bib", 1), ""), None
        )
        is None
    )


def test_a_study_with_no_arxiv_version_is_excused_by_name(make_project: MakeProject) -> None:
    def missing(project: Project) -> list[str]:
        return sorted(m.split("'")[1] for m in messages(project) if "has no arXiv id" in m)

    project = with_rules(make_project, "  arxiv_id: required\n")
    assert missing(project) == ["lee2023third", "mueller2021first"]
    survey = project.root / SURVEY
    survey.write_text(
        survey.read_text(encoding="utf-8") + "  arxiv_exceptions: [lee2023third]\n", encoding="utf-8"
    )
    assert missing(project) == ["mueller2021first"]


def test_new_refuses_an_identifier_written_as_its_address_and_says_what_to_write(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trial's eprint = {https://arxiv.org/abs/...} got only the venue rule's message, with a url
    made of it ('https://arxiv.org/abs/https://arxiv.org/abs/...'); a DOI as its URL went in unsaid."""
    project = with_rules(make_project, "  arxiv_id: required\n  venue: required\n")
    entry = tmp_path / "entry.bib"
    entry.write_text(
        "@misc{smith2025thing,\n  author = {Smith, Ann},\n  title = {A Thing},\n  year = {2025},\n"
        "  doi = {https://doi.org/10.5555/x.1},\n  eprint = {https://arxiv.org/abs/2501.00001},\n"
        "  archivePrefix = {arXiv},\n}\n"
    )
    assert main(["--root", str(project.root), "new", "--bibtex", str(entry)]) == 1
    err = capsys.readouterr().err
    assert ": write the DOI alone, 10.5555/x.1" in err
    assert ": write the id alone, 2501.00001" in err
    assert "abs/https" not in err
    assert not (project.root / "content/studies/smith2025thing.yaml").exists()
