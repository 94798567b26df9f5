"""Stage 2: the taxonomy loader reads the tree and facets and reports mistakes with their lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from surveysite import taxonomy as taxonomy_module
from surveysite.cache import Memo
from surveysite.cli import main
from surveysite.problems import Problems
from surveysite.taxonomy import load_taxonomy

from .conftest import MINI, ROOT, MakeProject, messages

TAXONOMY = "content/taxonomy.yaml"


def test_a_taxonomy_of_any_shape_loads() -> None:
    """Four classes, one of them its own leaf, leaves at depths one to three (tests/fixtures/wide)."""
    wide = ROOT / "tests" / "fixtures" / "wide"
    problems = Problems()
    taxonomy = load_taxonomy(wide, wide / TAXONOMY, problems)
    assert not problems
    assert [n.path for n in taxonomy.nodes] == [
        "construct", "construct/autoregressive", "construct/autoregressive/attention",
        "construct/autoregressive/recurrent", "construct/one-shot",
        "improve", "improve/local-search", "exact", "hybrid", "hybrid/other",
    ]  # fmt: skip
    leaves = [n.path for n in taxonomy.nodes if n.is_leaf]
    assert leaves == [
        "construct/autoregressive/attention", "construct/autoregressive/recurrent", "construct/one-shot",
        "improve/local-search", "exact", "hybrid/other",
    ]  # fmt: skip
    assert [f.kind for f in taxonomy.facets] == ["vocabulary", "terms"]


def mini_taxonomy() -> str:
    return (MINI / TAXONOMY).read_text()


DEEPER = """      - id: two
        name: Leaf two
        gloss: The second leaf.
        description: Studies of the second kind.
        children:
          - id: third
            name: Third
            gloss: A third level.
            description: Deepest allowed.
            children:
              - id: fourth
                name: Fourth
                gloss: A fourth level.
                description: One too deep.
"""
CASES = {
    "four-levels": (  # a maintainer's trial: which node, and what to do, not only the rule
        (DEEPER.split("        children:")[0], DEEPER),
        [
            f"{TAXONOMY}:37: 'alpha/two/third' is on the tree's last level (3 at most), so it can have "
            "no children: place their studies in it, or move the children up a level"
        ],
    ),
    "node-defined-twice": (  # a new maintainer's trial was not told where the first one is
        ("id: two", "id: one"),
        [
            f"{TAXONOMY}:27: node 'alpha/one' is defined twice (first at line 23); give one of them another "
            "id, or remove one"
        ],
    ),
    "bad-slug": (
        ("id: two", "id: Two Leaf"),
        [f"{TAXONOMY}:27: id 'Two Leaf' is not a URL slug; use lowercase letters, digits and single '-'"],
    ),
    "unknown-facet-kind": (
        ("kind: yes-no", "kind: boolean"),
        [f"{TAXONOMY}:14: unknown facet kind 'boolean' (expected one of: vocabulary, terms, yes-no)"],
    ),
    "value-not-read-and-an-empty-one": (  # not also "'' is listed twice"; an empty value gave the
        # heat map a column without a heading and the issue form a choice of nothing (a trial's " ")
        ("values: [human, environment]", 'values: [human, environment, 1.10, "", " "]'),
        [
            f"{TAXONOMY}:10: a value is empty; write it, or remove the item",
            f'{TAXONOMY}:10: value 1.10: YAML reads it as the number 1.1; quote it ("1.10")',
        ],
    ),
    "value-twice": (
        ("values: [human, environment]", "values: [human, environment, human]"),
        [f"{TAXONOMY}:10: value 'human' is listed twice; remove one"],
    ),
    "unknown-node-key": (
        ("    gloss: The second class", "    glos: x\n    gloss: The second class"),
        [
            f"{TAXONOMY}:33: unknown key 'glos'; did you mean 'gloss'? "
            "(allowed: id, name, gloss, description, children)"
        ],
    ),
    "javascript-link": (  # at the description's line that holds it, not the node's first (a trial)
        ("[link](https://example.org/alpha)", "[link](javascript:alert(1))"),
        [
            f"{TAXONOMY}:21: node 'alpha', description: 'javascript:alert(1)' cannot be used: "
            "links must be http(s), mailto or relative"
        ],
    ),
    # In a folded block, or a text broken over lines, the description's lines are not the file's: told at
    # its first line (a review found them told a line or two off).
    "javascript-link-in-a-folded-description": (
        (
            "description: |\n      Alpha has *two* leaves and a [link](https://example.org/alpha)",
            "description: >\n      Alpha has\n      *two* leaves\n      and three lines.\n\n"
            "      A [link](javascript:alert(1))",
        ),
        [
            f"{TAXONOMY}:21: node 'alpha', description: 'javascript:alert(1)' cannot be used: "
            "links must be http(s), mailto or relative"
        ],
    ),
    "javascript-link-in-a-description-over-lines": (
        (
            "description: Studies of the first kind.",
            "description: Studies\n          of the\n\n          [first](javascript:x) kind.",
        ),
        [
            f"{TAXONOMY}:26: node 'alpha/one', description: 'javascript:x' cannot be used: "
            "links must be http(s), mailto or relative"
        ],
    ),
    "value-read-as-a-number": (
        ("values: [human, environment]", "values: [human, environment, 1.10, 3]"),
        [f'{TAXONOMY}:10: value 1.10: YAML reads it as the number 1.1; quote it ("1.10")'],
    ),
    "value-holding-the-csv-separator": (
        ("values: [human, environment]", 'values: [human, environment, "a; b"]'),
        [
            f"{TAXONOMY}:10: value 'a; b' holds '; ', which parts a cell's values in the CSV download; "
            "write two values, or another mark"
        ],
    ),
    "value-holding-the-filter-separator": (  # a trial's 'Games|Play' made the heat map's links find none
        ("values: [human, environment]", 'values: [human, environment, "Games|Play"]'),
        [
            f"{TAXONOMY}:10: value 'Games|Play' holds '|', which parts a filter's values in the matrix's "
            "links; write another mark"
        ],
    ),
    "value-read-as-true": (
        ("values: [human, environment]", "values: [human, environment, yes]"),
        [f'{TAXONOMY}:10: value yes: YAML reads it as the boolean true, not text; quote it ("yes")'],
    ),
    "value-a-mapping": (
        ("values: [human, environment]", "values: [human, environment, {a: b}]"),
        [f"{TAXONOMY}:10: a value should be text, found a mapping; write text"],
    ),
    "missing-gloss": (
        ("    gloss: The second class, a leaf itself.\n", ""),
        [f"{TAXONOMY}:31: missing 'gloss'; add it"],
    ),
}


@pytest.mark.parametrize(
    ("written", "line", "meant"), [("kind: terms", 5, "terms"), ("kind: vocabulary", 9, "vocabulary")]
)
def test_an_unknown_kind_is_the_one_problem_its_facet_gives(
    make_project: MakeProject, written: str, line: int, meant: str
) -> None:
    """Its studies' values are not then held to yes or no, nor its own values to another kind: a
    new-user trial found one false problem per study with a 'kind: termz' facet, a review "a 'terms'
    facet takes no 'values'" for a misspelled vocabulary."""
    project = make_project({TAXONOMY: mini_taxonomy().replace(written, written + "z", 1)})
    assert messages(project) == [
        f"{TAXONOMY}:{line}: unknown facet kind '{meant}z'; did you mean '{meant}'? "
        "(expected one of: vocabulary, terms, yes-no)"
    ]


def test_a_misspelled_kind_key_gives_one_problem_and_no_more(make_project: MakeProject) -> None:
    """A new maintainer's trial wrote 'knd: vocabulary': besides the unknown key, it was told "a ''
    facet takes no 'values'", and each study's value was held to yes or no; and 'kind' was said to be
    missing, which the unknown key's 'did you mean' already says."""
    project = make_project({TAXONOMY: mini_taxonomy().replace("kind: vocabulary", "knd: vocabulary", 1)})
    assert messages(project) == [
        f"{TAXONOMY}:9: unknown key 'knd'; did you mean 'kind'? "
        "(allowed: id, label, kind, description, values)",
    ]


@pytest.mark.parametrize(
    ("kind", "told"),
    [
        ("", "7: missing 'kind'; add it, one of: vocabulary, terms, yes-no"),  # (at the facet's first line)
        ("    kind:\n", "9: 'kind' is empty; give one of: vocabulary, terms, yes-no"),
    ],
    ids=["missing", "empty"],
)
def test_a_facet_without_its_kind_is_told_the_kinds(make_project: MakeProject, kind: str, told: str) -> None:
    """A maintainer's trial was told "missing 'kind'; add it", and had to find the kinds elsewhere, where
    a wrong kind is told them."""
    text = mini_taxonomy()
    assert "    kind: vocabulary\n" in text
    project = make_project({TAXONOMY: text.replace("    kind: vocabulary\n", kind, 1)})
    assert f"{TAXONOMY}:{told}" in messages(project)


@pytest.mark.parametrize("change,expected", CASES.values(), ids=CASES.keys())
def test_bad_taxonomy_is_reported(
    make_project: MakeProject, change: tuple[str, str], expected: list[str]
) -> None:
    text = mini_taxonomy()
    assert change[0] in text
    project = make_project({TAXONOMY: text.replace(change[0], change[1], 1)})
    assert [m for m in messages(project) if m.startswith(TAXONOMY)] == expected


RESERVED = (
    "class, leaf, year, study, name, key, text, categories, title, authors, venue, doi, arxiv, placement, "
)
RESERVED += "added, summary, note, bibtex, confirm"


@pytest.mark.parametrize("facet_id", ["venue", "added", "summary", "note", "bibtex", "confirm", "year"])
def test_a_facet_id_the_site_uses_itself_is_refused(make_project: MakeProject, facet_id: str) -> None:
    """A new maintainer's trial named a facet 'venue': check passed, and the CSV download had two
    'venue' columns (a reader of it got the facet's values for the venue); 'summary', 'bibtex' and
    'confirm' gave the issue form two fields of one id, which GitHub refuses."""
    project = make_project({TAXONOMY: mini_taxonomy().replace("id: model", f"id: {facet_id}", 1)})
    assert [m for m in messages(project) if m.startswith(TAXONOMY)] == [
        f"{TAXONOMY}:3: facet id '{facet_id}' names one of the site's own columns or fields (of the matrix, "
        f"the CSV download or the issue form: {RESERVED}); choose another id"
    ]


@pytest.mark.parametrize("written", ["none", "None", "' NONE'"])
def test_a_value_none_is_refused_as_the_issue_form_cannot_offer_it(
    make_project: MakeProject, written: str
) -> None:
    """A new maintainer's trial listed 'none' among a facet's values: check passed, and GitHub refuses
    an issue form whose dropdown offers it (the word it keeps for choosing nothing)."""
    text = mini_taxonomy().replace("values: [human, environment]", f"values: [human, environment, {written}]")
    shown = written.strip("' ")
    assert [m for m in messages(make_project({TAXONOMY: text})) if m.startswith(TAXONOMY)] == [
        f"{TAXONOMY}:10: value '{shown}' is the word GitHub's issue forms keep for choosing nothing, and the "
        "proposal form offers each value; name it otherwise, e.g. 'none used'"
    ]


def test_a_facet_id_of_a_link_kinds_form_field_is_refused(make_project: MakeProject) -> None:
    """The issue form asks for a link of kind 'code' in the field 'code-link'."""
    project = make_project({TAXONOMY: mini_taxonomy().replace("id: code", "id: code-link", 1)})
    assert [m for m in messages(project) if "code-link" in m and m.startswith(TAXONOMY)] == [
        f"{TAXONOMY}:12: facet id 'code-link' is the issue form's field for the link kind 'code' "
        "(content/survey.yaml, links); choose another id"
    ]


def test_an_id_holding_a_line_separator_is_refused_at_its_line(make_project: MakeProject) -> None:
    """U+2028, which YAML and JavaScript take for a line break, is refused wherever it is written (it
    was taken as a space around an id before)."""
    project = make_project({TAXONOMY: mini_taxonomy().replace("id: two", 'id: "two\\u2028"', 1)})
    problems = Problems()
    load_taxonomy(project.root, project.root / TAXONOMY, problems)
    assert [p.message for p in problems.sorted()] == [
        "character U+2028 (a line separator, invisible) breaks the line here for YAML and JavaScript, though "
        "not in an editor; replace it with a space"
    ]


@pytest.mark.parametrize("written", ["' two'", "'two '", '"two\\t"', '"two\\u00a0"'])
def test_an_id_with_spaces_around_it_names_its_node_in_its_parents_children(
    make_project: MakeProject, written: str, tmp_path: Path
) -> None:
    """A hostile-input trial found ' two' passing the check, then every build failing on a traceback:
    the parent listed its child as written, the child's own path was made of the id stripped."""
    project = make_project({TAXONOMY: mini_taxonomy().replace("id: two", f"id: {written}", 1)})
    problems = Problems()
    tree = load_taxonomy(project.root, project.root / TAXONOMY, problems)
    assert not problems
    assert tree.node("alpha").children == ("alpha/one", "alpha/two")
    assert all(tree.node(child) for node in tree.nodes for child in node.children)
    assert main(["--root", str(project.root), "--no-cache", "pages", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "alpha" / "two" / "index.md").is_file()


def test_an_empty_tree_is_reported_and_nothing_else_fails(make_project: MakeProject) -> None:
    """A hostile-input trial wrote 'tree: []': the check ended in a KeyError traceback (the catalog
    was made of studies placed in leaves no tree held)."""
    text = mini_taxonomy()
    project = make_project({TAXONOMY: text[: text.index("tree:")] + "tree: []\n"})
    line = text[: text.index("tree:")].count("\n") + 1
    assert f"{TAXONOMY}:{line}: 'tree' is empty; add at least one class" in messages(project)


@pytest.mark.parametrize("text", ["", "# the tree, to come\n", "---\n"])
def test_an_empty_taxonomy_file_is_reported_and_nothing_else_fails(
    make_project: MakeProject, text: str
) -> None:
    """A new maintainer's trial emptied the file: the check ended in a KeyError traceback (the studies
    were placed in leaves no tree held, and nothing said so), or said 'No problems found.'"""
    for studies in ("kept", "none"):
        project = make_project({TAXONOMY: text})
        if studies == "none":  # (no study file and no entry, as in a project just begun)
            for path in (project.content / "studies").glob("*.yaml"):
                path.unlink()
            (project.bib / "studies.bib").write_text("", encoding="utf-8")
        assert messages(project) == [
            f"{TAXONOMY}:1: the file holds no taxonomy; give its 'tree', and its 'facets' if it has "
            "any (see CONTRIBUTING.md)"
        ]
        shutil.rmtree(project.root)


def test_taxonomy_that_is_not_a_mapping(make_project: MakeProject) -> None:
    project = make_project({TAXONOMY: "- just a list\n"})
    assert messages(project) == [
        f"{TAXONOMY}:1: expected a mapping with the key 'tree' (and 'facets', if any)"
    ]


def test_a_memo_keeps_the_taxonomy_of_the_same_text_with_its_problems(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run after an edit elsewhere does not parse the taxonomy again; its problems are still told."""
    root = make_project({TAXONOMY: mini_taxonomy().replace("id: two", "id: Two Leaf", 1)}).root
    memo = Memo()
    first = Problems()
    found = load_taxonomy(root, root / TAXONOMY, first, memo)
    parsed: list[str] = []
    real = taxonomy_module.load_yaml
    monkeypatch.setattr(taxonomy_module, "load_yaml", lambda *a: parsed.append(a[1]) or real(*a))
    again = Problems()
    assert load_taxonomy(root, root / TAXONOMY, again, memo) == found and parsed == []
    told = [str(p) for p in first.sorted()]
    assert [str(p) for p in again.sorted()] == told and told[0].startswith(f"{TAXONOMY}:")
    (root / TAXONOMY).write_text(mini_taxonomy(), encoding="utf-8")
    fixed = Problems()
    assert load_taxonomy(root, root / TAXONOMY, fixed, memo) != found and parsed == [TAXONOMY]
    assert not fixed
