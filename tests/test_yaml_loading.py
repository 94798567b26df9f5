"""Loading YAML: the quick construction over libyaml gives what PyYAML's own construction gives."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from surveysite.problems import Problems
from surveysite.yamlfile import (
    INDENTED_UNLIKE,
    ITEM_AMONG_KEYS,
    MAX_NESTING,
    NO_KEY,
    _FastLoader,
    _Loader,
    load_yaml,
)

SCALARS = st.one_of(
    st.text(max_size=8),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.dates(),
    st.sampled_from(["yes", "No", "on", "0x1f", "1_000", "2026-11-24", "~", "TODO", "12:30", ".inf"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


def shape(value: Any) -> Any:
    """A loaded value with the lines and spellings it carries, to compare two loads in full."""
    if isinstance(value, dict):
        marks = (value.line, value.key_lines, value.spelled)  # type: ignore[attr-defined]
        return ("map", marks, [(key, shape(item)) for key, item in value.items()])
    if isinstance(value, list):
        marks = (value.line, value.item_lines, value.item_spelled)  # type: ignore[attr-defined]
        return ("seq", marks, [shape(item) for item in value])
    return (type(value).__name__, value)


@settings(max_examples=400, deadline=None)
@given(VALUES, st.sampled_from([None, True]), st.booleans())
def test_quick_loading_gives_what_pyyaml_constructs(value: Any, flow: bool | None, quote: bool) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    if quote:  # scalars written out as YAML 1.1 reads them, unquoted
        text = text.replace("'", "")
    try:
        expected = shape(yaml.load(text, Loader=_FastLoader))
    except (yaml.YAMLError, RecursionError, ValueError):  # ValueError: a number beyond LARGEST_NUMBER
        expected = None
    problems = Problems()
    loaded = load_yaml(text, "f.yaml", problems)
    if problems:
        return
    try:
        full = shape(yaml.load(text, Loader=_Loader))
    except yaml.YAMLError:  # PyYAML's Python scanner refuses a few valid texts libyaml reads: {0?: }
        assert yaml.load(text, Loader=yaml.CSafeLoader) is not None
        assert expected is None or shape(loaded) == expected
    else:  # the full loader's lines, where libyaml marks a node elsewhere ('? ' and a value below)
        assert shape(loaded) == full
        assert expected is None or expected == full or "?" in text


def test_a_flow_key_ending_in_a_question_mark_reads_as_libyaml_and_the_yaml_spec_read_it() -> None:
    problems = Problems()
    assert load_yaml("{0?: }", "f.yaml", problems) == {"0?": None}
    assert not problems


def test_nesting_up_to_the_limit_loads_and_beyond_it_is_refused() -> None:
    problems = Problems()
    assert load_yaml("[" * MAX_NESTING + "x" + "]" * MAX_NESTING, "f.yaml", problems) is not None
    assert not problems
    load_yaml("[" * (MAX_NESTING + 1) + "x" + "]" * (MAX_NESTING + 1), "f.yaml", problems)
    assert [p.message for p in problems.sorted()] == ["values nest more than 40 levels deep; flatten them"]


def test_a_scalar_seen_again_keeps_the_type_its_spelling_gives() -> None:
    text = "a: yes\nb: 'yes'\nc: 2026-11-24\nd: '2026-11-24'\ne: 12\nf: \"12\"\ng: ~\nh: '~'\n"
    for _ in range(3):  # later loads take the kept tags of the short scalars
        loaded = load_yaml(text + "i: [yes, 'yes', 12, '12']\n", "f.yaml", Problems())
        assert shape(loaded) == shape(yaml.load(text + "i: [yes, 'yes', 12, '12']\n", Loader=_Loader))
        assert [type(v).__name__ for v in loaded.values()][:8] == [
            "bool", "str", "date", "str", "int", "str", "NoneType", "str"
        ]  # fmt: skip


def test_an_empty_key_with_its_value_on_a_later_line_is_placed_as_the_full_loader_places_it() -> None:
    text = "- {? \n    : null}\n- {a: 1}\n"  # libyaml marks the empty key on line 2, PyYAML on line 1
    problems = Problems()
    loaded = load_yaml(text, "f.yaml", problems)
    assert not problems and shape(loaded) == shape(yaml.load(text, Loader=_Loader))
    assert loaded[0].key_lines == {"None": 1} and loaded[1].key_lines == {"a": 3}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-30", "'2026-02-30' cannot be read as a date (day is out of range for month)"),
        ("0000-01-01", "'0000-01-01' cannot be read as a date (year 0 is out of range)"),
        ("2026-01-01 25:00:00", "'2026-01-01 25:00:00' cannot be read as a date (hour must be in 0..23)"),
        ("9" * 5000, "cannot be read as a number (Exceeds the limit (4300 digits)"),
        ("0x" + "f" * 3600, "cannot be read as a number (larger than 9,223,372,036,854,775,807)"),
        ("!!int x", "'x' cannot be read as a number (invalid literal for int()"),
        ("!!float x", "'x' cannot be read as a number (could not convert string to float: 'x')"),
        ("!!bool x", "'x' cannot be read as true/false"),
        ("!!timestamp x", "'x' cannot be read as a date"),
        ("!!map [a]", "'' cannot be read as a value"),
        ("!!seq {a: 1}", "'' cannot be read as a value"),
    ],
    ids=["day", "year-0", "hour", "long-number", "large-hex", "int-tag", "float-tag", "bool-tag",
         "timestamp-tag", "map-tag-on-a-list", "seq-tag-on-a-mapping"],
)  # fmt: skip
@pytest.mark.parametrize("alias", [False, True], ids=["quick", "full"])  # '*' sends a text to the full loader
def test_a_value_pyyaml_cannot_make_is_a_problem_at_its_line(value: str, expected: str, alias: bool) -> None:
    text = f"name: x\nfacets:\n  a: {value}\n" + ("b: &n 1\n" if alias else "") + "# *\n"
    problems = Problems()
    assert load_yaml(text, "f.yaml", problems) is None
    (problem,) = problems.sorted()
    assert str(problem).startswith("f.yaml:3: ") and expected in str(problem), str(problem)


def test_a_number_up_to_the_largest_is_read() -> None:
    problems = Problems()
    assert load_yaml(f"a: {2**63 - 1}\nb: -{2**63 - 1}\n", "f.yaml", problems) == {
        "a": 2**63 - 1,
        "b": 1 - 2**63,
    }
    assert not problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: X\ncategories: [a/b]\n  placement: high\nsummary: s\n", f"f.yaml:3: {INDENTED_UNLIKE}"),
        ("name: X\nfacets:\n    llm: [A]\n  code: yes\nsummary: s\n", f"f.yaml:4: {INDENTED_UNLIKE}"),
        # A summary's continuation not indented: the parser stops on the line after it.
        ("name: X\nsummary: >-\n  one two\nthree four\nplacement: high\n", f"f.yaml:4: {NO_KEY}"),
        ("name: X\njust words\nplacement: high\n", f"f.yaml:2: {NO_KEY}"),
        # The ':' left out on the first line, or on the first of a block's: YAML reads it and the next
        # line as one key and refuses the next line's ':' (a contributor's trial was told of line 2).
        ("name X\ncategories: [a/b]\n", f"f.yaml:1: {NO_KEY}"),
        ("facets:\n  llm [A]\n  code: yes\n", f"f.yaml:2: {NO_KEY}"),
        ("facets:\n  llm [A]\n\n  # a comment\n  code: yes\n", f"f.yaml:2: {NO_KEY}"),
        # The first lines under a key alone written at its margin: YAML stops at the line after them, which
        # a contributor's trial was told to indent as far as the other keys. Both readings are said: the
        # key may have been left empty on purpose, and the line after indented too far (a review).
        (
            "name: X\nfacets:\nllm: [A]\n  code: yes\n",
            "f.yaml:4: this line is indented further than line 3, which stands as far in as 'facets' (line "
            "2): YAML reads 'facets' as holding nothing and it as a key beside it; if it belongs under "
            "'facets', indent it as far as this line; otherwise indent this line as far as line 3",
        ),
        (
            "name: X\nfacets:\nllm: [A]\ndomain: [B]\n  code: yes\n",
            "f.yaml:5: this line is indented further than lines 3-4, which stand as far in as 'facets' (line "
            "2): YAML reads 'facets' as holding nothing and them as keys beside it; if they belong under "
            "'facets', indent them as far as this line; otherwise indent this line as far as lines 3-4",
        ),
        # Not when a key with something after it stands between (the last line is the one out of place).
        (
            "facets:\n  llm: [A]\nname: X\nsummary: [s]\n  code: yes\n",
            f"f.yaml:5: {INDENTED_UNLIKE}",
        ),
        # A ': ' in a value is still told as one.
        (
            "name: X\ntitle: Graphs: A Survey\n",
            "f.yaml:2: mapping values are not allowed here (a value "
            "holding ': ' must be quoted: name: \"Graphs: A Survey\"); fix the YAML syntax",
        ),
        # A key indented further than a list's item: read as the rest of the item (a contributor's trial
        # was told to quote a value, and quoting changed nothing).
        (
            "name: X\ncategories:\n  - a/b\n    placement: high\n",
            "f.yaml:4: this line is indented further "
            "than the list's item on line 3, so YAML reads it as the rest of that item, where ': ' is not "
            "allowed: if it is a key of its own, indent it as far as 'categories' (line 2)",
        ),
        # A key indented as the items of the list above it: PyYAML says "found '?'".
        (
            "name: X\ncategories:\n  - a/b\n  placement: high\n",
            "f.yaml:4: this line is a key among the "
            "items of the list under 'categories' (line 2), where each line starts with '- ': if it is a key "
            "of its own, indent it as far as 'categories'; if it is an item, start it with '- '",
        ),
        # A list's item among a mapping's keys: a maintainer's trial was given PyYAML's words.
        ("name: X\nlinks:\n  code: https://a.org\n  - https://b.org\n", f"f.yaml:4: {ITEM_AMONG_KEYS}"),
        ("name: X\nlinks:\n  code: https://a.org\n- https://b.org\n", f"f.yaml:4: {ITEM_AMONG_KEYS}"),
        # Text after a closing quote is no indentation mistake (a review found it said so).
        ('name: "Foo" bar\n', "f.yaml:1: expected <block end>, but found '<scalar>'; fix the YAML syntax"),
    ],
)
def test_an_indentation_mistake_is_said_in_plain_words_at_its_line(text: str, expected: str) -> None:
    """A maintainer's trial met PyYAML's "expected <block end>, but found '<block mapping start>'", and a
    continuation line left unindented reported on the line after it."""
    problems = Problems()
    assert load_yaml(text, "f.yaml", problems) is None
    assert [str(p) for p in problems.sorted()] == [expected]


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("facets:\n  representation: 2D graph\n   dataset: [ZINC]\n", "representation", 2),
        # A list's item: the key after its dash, which a review found taken for '- id' (indented as the
        # dash, the line would be no valid YAML either).
        ("facets:\n  - id: model\n      label: Model\n", "id", 2),
        ("links:\n  - - kind: code\n        url: x\n", "kind", 2),
    ],
)
def test_a_key_indented_under_a_value_is_told_which_key_to_line_up_with(
    text: str, key: str, line: int
) -> None:
    problems = Problems()
    load_yaml(text, "f.yaml", problems)
    assert [str(p) for p in problems.sorted()] == [
        f"f.yaml:3: this line is indented further than '{key}' on line {line}, so YAML reads it as the rest "
        f"of that value, where ': ' is not allowed: if it is a key of its own, indent it as far as '{key}'; "
        "if it continues the value, quote the value"
    ]
