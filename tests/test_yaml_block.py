"""The quick reader of block YAML gives what the YAML parsers give, or leaves the text to them."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveysite import yamlfile
from surveysite.problems import Problems
from surveysite.yamlblock import Outside, read_block
from surveysite.yamlfile import _BLOCK_LOADER, _fast_load, _Loader, _Unusual, load_yaml

from .quick_readers import read_here
from .test_yaml_loading import shape

# A study file as this survey writes them (folded summary, lists in brackets), and as the synthetic
# surveys of the benchmarks do (a plain summary on more lines, lists of '- ' items).
SURVEY_STUDY = """name: RLOO
categories:
  - rl4llm/fine-tuning/with-human-feedback
placement: high
in_survey: false
added: 2026-11-24
summary: >-
  Cohere researchers argue that PPO is over-engineered for RLHF. They treat each
  completion as a single action.

  On TL;DR summarization, RLOO wins more often: it's cheaper.
facets:
  llm: [Llama]
  rl-algorithm: [RLOO, REINFORCE, PPO]
  environment: [TL;DR summarization, Anthropic HH]
  code: not stated
"""
SYNTHETIC_STUDY = """name: Study 10
categories:
- llm4rl/reward
placement: high
in_survey: true
added: 2025-03-13
summary: Ablations isolate the contribution of the language model's feedback. A frozen language model
  proposes candidates and a small agent learns which ones to keep.
facets:
  llm:
  - FLAN-T5
  rl-algorithm:
  - SAC
  - GRPO
  feedback:
  - human
  code: not stated
"""


def parsed(text: str) -> Any:
    """What load_yaml made of a text before the quick reader: libyaml's parse (without an alias),
    else the pure-Python parser's; 'error' where that finds one."""
    if "*" not in text:
        try:
            return shape(_fast_load(text))
        except (yaml.YAMLError, RecursionError, _Unusual):
            pass
    try:
        return shape(yaml.load(text, Loader=_Loader))
    except yaml.YAMLError:
        return "error"


def read(text: str) -> Any:
    return shape(read_block(text, _BLOCK_LOADER))


@pytest.mark.parametrize("text", [SURVEY_STUDY, SYNTHETIC_STUDY], ids=["survey", "synthetic"])
def test_a_study_file_is_read_here_as_the_parsers_read_it(text: str) -> None:
    assert read(text) == parsed(text)
    loaded = read_block(text, _BLOCK_LOADER)
    facets_line = text.splitlines().index("facets:") + 1
    assert loaded.key_lines["facets"] == loaded["facets"].line - 1 == facets_line
    assert f"added: {loaded['added'].isoformat()}" in text and loaded["in_survey"] in (True, False)


@pytest.mark.parametrize("text", [SURVEY_STUDY, SYNTHETIC_STUDY], ids=["survey", "synthetic"])
def test_load_yaml_reads_a_study_file_without_the_parsers(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def unused(*_: Any) -> Any:
        raise AssertionError("parsed by a YAML parser")

    expected = parsed(text)
    monkeypatch.setattr(yamlfile, "_fast_load", unused)
    monkeypatch.setattr(yaml, "load", unused)
    problems = Problems()
    assert shape(load_yaml(text, "f.yaml", problems)) == expected and not problems


@pytest.mark.parametrize(
    "text",
    [
        "a: 1 # a comment\n",
        "# a comment\na: 1\n",
        "a:\t1\n",
        "a: 1\r\nb: 2\r\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: 'one\n  two'\n",
        'a: "tab\\tinside"\n',
        "yes: 1\n",
        "null: 1\n",
        "a b: 1\n",
        "a: b: c\n",
        "a: b\n  c: d\n",
        "a: 1\na: 2\n",
        "a: >-\n  one\n    more indented\n",
        "a: >-\n\n  a blank line first\n",
        "a: >+\n  kept\n",
        "a: |2\n  indented\n",
        "a: >-\n  x\n   \n  y\n",
        "---\na: 1\n",
        "- a\n- b\n",
        "  a: 1\n",
        "a:\n  - x\n    y\n",
        "a:\n  - b: 1\n",
        "a: [x,\n  y]\n",
        "a: [x, [y]]\n",
        "a: [x, 'y']\n",
        "a: [x?y]\n",
        "a: >-\n  text\n    \nb: 1\n",
        "a: |\n  x\n   ",
        "k" * 1030 + ": x\n",
        "a: {x: 1}\n",
        "a: 2026-02-30\n",
        "a: <<\n",
        "a: -1\n",
        "a: x\u2028y\n",
        "\ufeffa: 1\n",
        "",
    ],
)
def test_what_the_quick_reader_leaves_to_the_parsers_loads_as_they_load_it(text: str) -> None:
    with pytest.raises(Outside):
        read_block(text, _BLOCK_LOADER)
    problems = Problems()
    loaded = load_yaml(text, "f.yaml", problems)
    assert ("error" if problems else shape(loaded)) == parsed(text)


# Texts a data file's values may hold, read as text, a number, a date, true/false or nothing; some
# that the quick reader leaves to the parsers (an indicator first, ': ', ' #'), some that are errors.
VALUES = [
    "plain text", "Word", "a  b", "é", "a\xa0", "\xa0b", "a'b", "x#y", "x #y", "a:b", "a :b", "a: b", "x:",
    "http://a.b/c", "a,b", "a [b]", "[a, b]", "[1, yes]", "[]", "[ ]", "[a,]", "[a: b]", "[a, 'b']", "{x}",
    "'q'", "'it''s'", "'''", "''", '"dq"', '""', '"d\\"q"', "'", "yes", "Off", "on", "y", "NO", "True", "~",
    "null", "0x1F", "1_000", "1:20", ".inf", "-.5", "12e3", "1.0", "1.10", "010", "0b101", "0o7", "+1",
    "1,000", "2025-03-13", "2025-02-30", "2001-12-14 21:59:43.10 -5", "=", "<<", "-", "- x", "-x", "?x", "!x",
    "&a x", "*a", "%x", "@x", "`x", "|", ">", ">-", "9" * 30,
]  # fmt: skip
ORDINARY = ["plain text", "Word", "é", "a'b", "x#y", "a:b", "http://a.b/c", "a,b", "[a, b]", "[]", "'q'",
            '"dq"', "yes", "~", "0x1F", "1.10", "2025-03-13"]  # fmt: skip
KEYS = ["y", "on", "null", "1a", "a b", "name"]  # the first five are left to the parsers
INSERTS = [" ", "\n", ":", "-", "'", '"', "#", "[", "]", ",", ">", "|", "&", "*", "!", "\t", "\xa0", "\n  ",
           "\n- ", "\n\n", "   \n", "\r\n", "\u2028", "\x85", "\ufeff"]  # fmt: skip


def pick(draw: st.DrawFn, ordinary: list[Any], unusual: list[Any]) -> Any:
    """One of the ordinary choices, or one in six times one of the unusual ones."""
    return draw(st.sampled_from(unusual if draw(st.integers(0, 5)) == 0 else ordinary))


@st.composite
def values(draw: st.DrawFn, indent: int, depth: int) -> list[str]:
    """A value's lines: the first to follow 'key:', then any below it."""
    pad = " " * indent
    kind = draw(st.sampled_from(["one", "one", "more", "block", "list", "list", "mapping"]))
    if kind == "one":
        return [" " + pick(draw, ORDINARY, VALUES)]
    if kind == "more":  # a plain text on more lines, blank ones between
        lines = [" " + pick(draw, ["one two", "a"], VALUES)]
        for _ in range(draw(st.integers(1, 3))):
            lines += [""] * draw(st.integers(0, 2))
            lines.append(pad + " " * draw(st.integers(1, 3)) + pick(draw, ["three", "four five"], VALUES))
        return lines
    if kind == "block":
        lines = [" " + pick(draw, [">-", ">", "|", "|-"], [">+", ">2", ">-2"])]
        margin = pad + " " * draw(st.sampled_from([1, 2, 4]))
        for _ in range(draw(st.integers(0, 4))):
            lines += [pick(draw, [""], [" ", margin + " "])] * draw(st.sampled_from([0, 0, 1, 2]))
            text = pick(draw, ["text here", "more text", "#hash", "a: b"], VALUES)
            lines.append(margin + pick(draw, [""], [" "]) + text + pick(draw, [""], [" "]))
        return [
            *lines,
            *[draw(st.sampled_from(["", "", " ", margin, margin + "  "]))]
            * draw(st.sampled_from([0, 1, 1, 2])),
        ]
    if kind == "list":
        at = pad + " " * draw(st.sampled_from([0, 0, 1, 2]))
        items = [
            at + pick(draw, ["- "], ["-  ", "-"]) + pick(draw, ORDINARY, VALUES)
            for _ in range(draw(st.integers(0, 4)))
        ]
        return ["", *items]
    if depth >= 2:
        return [""]
    return ["", *draw(mappings(indent + draw(st.sampled_from([1, 2, 2, 4])), depth + 1))]


@st.composite
def mappings(draw: st.DrawFn, indent: int = 0, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for number in range(draw(st.integers(1, 4))):
        first, *rest = draw(values(indent, depth))
        lines += [" " * indent + pick(draw, [f"k{number}"], KEYS) + ":" + first, *rest]
    return lines


@st.composite
def texts(draw: st.DrawFn) -> str:
    text = "\n".join(draw(mappings())) + draw(st.sampled_from(["\n", "", "\n\n"]))
    if draw(st.integers(0, 5)) == 0:  # a character where it may not be expected
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(INSERTS)) + text[at:]
    return text


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts())
def test_a_text_read_here_is_read_as_the_parsers_read_it(text: str) -> None:
    try:
        quick = read(text)
    except Outside:
        return
    assert quick == parsed(text)


def test_the_texts_tried_are_read_here_often_enough_to_tell() -> None:
    """The test above means something only if many of the texts it tries are read here."""
    count, drawn = read_here(texts(), read, Outside)
    assert count >= drawn // 5, f"{count} of {drawn} read here"
