"""Safe YAML loading that remembers the line of every mapping key and list item."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import yaml

from .files import FORBIDDEN_CHARACTERS, character_problem, has_forbidden_character
from .problems import Location, Problems, closest, suggested
from .yamlblock import SPELLED_TAGS as _SPELLED_TAGS
from .yamlblock import STR_TAG as _STR_TAG
from .yamlblock import LineDict, LineList, Outside, read_block

__all__ = ["LineDict", "LineList"]  # (defined with the quick reader, which makes them too)

# How deeply mappings and lists may nest: far more than any data file needs, far less than the
# recursion that building the values takes.
MAX_NESTING = 40


def read_otherwise(value: Any, spelled: str | None) -> str | None:
    """What YAML read an unquoted true/false or number as, when that is not the text as written
    ('the boolean true, not text' for Yes, 'the number 1.1' for 1.10); None for a value read as
    written or quoted (`spelled`: as LineDict.spelled or LineList.item_spelled has it, None if quoted)."""
    if spelled is None:
        return None
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}, not text"
    return None if str(value) == spelled else f"the number {value}"


class _RefusedInput(yaml.MarkedYAMLError):
    """A value or a construct the loaders refuse, its message saying what to do instead: not a syntax
    error, so not told to fix the syntax."""


# What PyYAML's safe constructors raise for a value they cannot make ('2026-02-30', '!!int x', a number
# of more digits than Python converts): reported at the value's line, like a syntax error.
_UNMADE = (ValueError, TypeError, KeyError, AttributeError, OverflowError, IndexError)
LARGEST_NUMBER = 2**63  # beyond, a number is refused: printing one of 4,300 digits or more raises


MERGE_KEY = "YAML's merge key '<<' is not read here; write out the keys it would bring in"


def _value_refused(node: yaml.Node, error: Exception) -> _RefusedInput:
    shown = str(getattr(node, "value", "")) if isinstance(node, yaml.ScalarNode) else ""
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    detail = str(error).split("\n")[0] if isinstance(error, ValueError) else ""
    detail = detail if len(detail) <= 60 else detail[:57].rsplit(" ", 1)[0] + "..."
    kind, fix = _KINDS.get(node.tag, ("a value", "write it otherwise, or quote it as text"))
    what = f"'{shown}' cannot be read as {kind}{f' ({detail})' if detail else ''}; {fix}"
    return _RefusedInput(None, None, what, node.start_mark)


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_KINDS = {  # what a tag's value is, and how to write one that can be read
    _TIMESTAMP: ("a date", "write a day of the calendar as YYYY-MM-DD"),
    "tag:yaml.org,2002:int": ("a number", "write a smaller number, or quote it as text"),
    "tag:yaml.org,2002:float": ("a number", "write a smaller number, or quote it as text"),
    "tag:yaml.org,2002:bool": ("true/false", "write true or false, or quote it as text"),
}


def construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    """PyYAML's int constructor, refusing a number of LARGEST_NUMBER or more."""
    value: int = yaml.SafeLoader.construct_yaml_int(loader, node)
    if abs(value) >= LARGEST_NUMBER:
        raise ValueError(f"larger than {LARGEST_NUMBER - 1:,}")
    return value


class _Undated(str):
    """A date YAML reads but cannot make ('2026-02-30'), as its text with what is wrong with it, while
    a loader told to (see load_yaml: `dates_told_later`) loads; then made plain text (see _dated)."""

    problem: str

    def __new__(cls, text: str, problem: str) -> _Undated:
        made = super().__new__(cls, text)
        made.problem = problem
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return str, (str(self),)  # plain text wherever it is kept (a key _dated leaves, in the cache)


class CheckedConstruction:
    """For a PyYAML loader: a value its constructors cannot make is a YAML error at the value's line
    (a date, with `dates_told_later`, a _Undated)."""

    dates_told_later = False
    undated = False  # whether a _Undated was made

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except _UNMADE as error:
            refused = _value_refused(node, error)
            if self.dates_told_later and node.tag == _TIMESTAMP and isinstance(node, yaml.ScalarNode):
                self.undated = True
                return _Undated(node.value, str(refused.problem))
            raise refused from None


class _Loader(CheckedConstruction, yaml.SafeLoader):
    """SafeLoader that refuses aliases (no alias bombs), deep nesting and duplicate keys; records lines."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if self.check_event(yaml.AliasEvent):
            raise _RefusedInput(
                None, None, "YAML aliases (*name) are not allowed; write the value out", event.start_mark
            )
        if self._depth >= MAX_NESTING:
            raise _RefusedInput(
                None, None, f"values nest more than {MAX_NESTING} levels deep; flatten them", event.start_mark
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _line_mapping(
    node: yaml.MappingNode,
    child: Callable[[yaml.Node], Any],
    twice: Callable[[str, yaml.Node, LineDict], Exception],
) -> LineDict:
    """A mapping node as a LineDict, each child made by `child`; a key seen twice raises twice(key,
    its node, the mapping as made so far)."""
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    result.spelled = {}
    for key_node, value_node in node.value:
        key = child(key_node)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise twice(key, key_node, result)
        result[key] = child(value_node)
        result.key_lines[key] = key_node.start_mark.line + 1
        if value_node.tag in _SPELLED_TAGS:
            result.spelled[key] = value_node.value
    return result


def _line_sequence(node: yaml.SequenceNode, child: Callable[[yaml.Node], Any]) -> LineList:
    """A sequence node as a LineList, each item made by `child`."""
    result = LineList(child(item) for item in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [item.start_mark.line + 1 for item in node.value]
    result.item_spelled = {i: item.value for i, item in enumerate(node.value) if item.tag in _SPELLED_TAGS}
    return result


def _twice(key: str, key_node: yaml.Node, mapping: LineDict) -> Exception:
    message = (
        f"key '{key}' appears twice in the same mapping (first at line {mapping.key_lines[key]}); keep one"
    )
    before = next(reversed(mapping))  # the key on the lines just above it
    if mapping[before] is None and before != key:  # (a trial's 'links:' indented under 'facets:')
        message += (
            f". Or does it belong under '{before}' (line {mapping.key_lines[before]}), which holds nothing? "
            f"Then '{before}' or the lines under it are indented wrongly: a key's own lines are indented "
            "more than the key"
        )
    return _RefusedInput(None, None, message, key_node.start_mark)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    return _line_mapping(node, lambda child: loader.construct_object(child, deep=True), _twice)


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    return _line_sequence(node, lambda child: loader.construct_object(child, deep=True))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:int", construct_int)

_FastLoader: type | None = None
# The tags of short scalars, by how they were written, then by text (text to text: a dict the garbage
# collector leaves alone).
_RESOLVED: dict[Any, dict[str, str]] = {}
_RESOLVED_LENGTH, _RESOLVED_MOST = 100, 50_000
if getattr(yaml, "CSafeLoader", None) is not None:  # PyYAML built with libyaml

    class _CLoader(yaml.CSafeLoader):
        """libyaml's parser with the same constructors: ten times faster, but it expands aliases.

        The parser asks for the tag of every scalar: short ones (names, facet values, keys) recur
        across files, and their tags are kept. Nothing here adds path resolvers, so the tag of a scalar
        depends on its text and on how it was written alone, and descending the path does nothing.
        """

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is not yaml.ScalarNode or len(value) > _RESOLVED_LENGTH:
                return super().resolve(kind, value, implicit)
            kept = _RESOLVED.setdefault(implicit, {})
            tag = kept.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(kept) < _RESOLVED_MOST:
                    kept[value] = tag
            return tag

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    _CLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _CLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
    _CLoader.add_constructor("tag:yaml.org,2002:int", construct_int)
    _FastLoader = _CLoader

# What read_block resolves a plain text's type by, and makes the values that are not text with: the
# same resolver (and the tags kept, where libyaml is there) and constructors as the loaders'.
_BLOCK_LOADER = (_FastLoader or _Loader)("")


class _Unusual(Exception):
    """Something the quick construction leaves to the full loader (which reports any problem)."""


_MAP_TAG, _SEQ_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


def _fast_load(text: str) -> Any:
    """The value of a YAML text, parsed by libyaml and built here, as the loaders build it; raises
    _Unusual or a YAML error for anything else (a tag without a constructor, deep nesting)."""
    loader = _FastLoader(text)  # type: ignore[misc]
    try:
        node = loader.get_single_node()
        return None if node is None else _Child(loader, 0)(node)
    finally:
        if loader is not None:
            loader.dispose()


def _built(loader: Any, node: yaml.Node, depth: int) -> Any:
    """What _construct_mapping, _construct_sequence and the safe scalar constructors make of a node,
    without the general machinery of construct_object (a third of the time of loading a study)."""
    if isinstance(node, yaml.ScalarNode):
        make = loader.yaml_constructors.get(node.tag)
        if make is None or node.tag in (_MAP_TAG, _SEQ_TAG):
            raise _Unusual
        try:
            return make(loader, node)
        except _UNMADE:  # the full loader reports it, at its line
            raise _Unusual from None
    if depth >= MAX_NESTING:  # the MAX_NESTING+1-th list or mapping
        raise _Unusual
    child = _Child(loader, depth + 1)
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
        return _line_sequence(node, child)
    if not isinstance(node, yaml.MappingNode) or node.tag != _MAP_TAG:
        raise _Unusual
    # An empty key ('? ' with its value on a later line) is marked on another line by libyaml than by
    # the full loader: left to the latter, as is a duplicate key, which it reports.
    if any(not key.value and isinstance(key, yaml.ScalarNode) for key, _ in node.value):
        raise _Unusual
    return _line_mapping(node, child, _unusual)


class _Child:
    """_built for the nodes at one depth: a text scalar is taken as it is, without a call (its text is
    what construct_yaml_str gives)."""

    __slots__ = ("depth", "loader")

    def __init__(self, loader: Any, depth: int) -> None:
        self.loader = loader
        self.depth = depth

    def __call__(self, node: yaml.Node) -> Any:
        if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value
        return _built(self.loader, node, self.depth)


def _unusual(key: str, node: yaml.Node, mapping: LineDict) -> Exception:
    return _Unusual()


# What PyYAML's words for the two most common indentation mistakes mean, and what to do.
INDENTED_UNLIKE = (
    "this line is indented unlike the lines beside it: YAML reads what belongs to what from the "
    "indentation; indent it as far as the other keys at its level"
)
_MISPLACED = {
    f"expected <block end>, but found '<block {kind} start>'" for kind in ("mapping", "sequence")
}  # (text after a closing quote, '"Foo" bar', is also "expected <block end>", but found '<scalar>')
# A list's item ('- x') where the keys of a mapping stand, which only a key of its own can hold.
ITEM_AMONG_KEYS = (
    "a list's item ('- ...') where YAML expects 'key: value', as on the lines above it: write it as "
    "'key: value', or, for a list, put it under a key of its own ('key:', the items indented below it)"
)
NO_KEY = (
    "this line is not 'key: value', nor indented under a key as part of its value: indent it if it "
    "continues the value above, or add the ':' after its key"
)
# What the parser was reading when it failed, where that opened: what was opened, and how to close it.
_UNCLOSED = {
    "while parsing a flow sequence": ("the '[' on this line", "close the list with ']'"),
    "while parsing a flow mapping": ("the '{' on this line", "close the mapping with '}'"),
    "while parsing a flow node": ("the '[' or '{' on this line", "close it with ']' or '}'"),
    "while scanning a quoted scalar": ("the quote on this line", "end the value with the same quote"),
}


def load_yaml(text: str, shown: str, problems: Problems, dates_told_later: bool = False) -> Any:
    """Parse YAML text safely; on error record a problem with its line and return None. With
    `dates_told_later`, a date that cannot be made ('2026-02-30') is no error here: it is read as its
    text, and the mapping that holds it gives what is wrong with it in `undated` (see undated_problem),
    for the reader that wants a date to tell where the rest of the file is read too (a maintainer's
    trial had every other problem of a study file hidden by its date)."""
    try:
        data = read_block(text, _BLOCK_LOADER)
    except Outside:
        pass  # read by the parsers below
    else:
        return data if _characters_ok(data, 1, shown, problems, text) else None
    if _FastLoader is not None and "*" not in text:  # no '*', no alias: libyaml's parser is safe here
        try:
            data = _fast_load(text)
        except (yaml.YAMLError, RecursionError, _Unusual):
            pass  # the pure-Python parser below reports it, in the words the messages are pinned to
        else:
            return data if _characters_ok(data, 1, shown, problems, text) else None
    loader = None
    try:
        loader = _Loader(text)  # (its reader refuses some characters at once: a YAML error too)
        loader.dates_told_later = dates_told_later
        data = loader.get_single_data()
        if loader.undated:
            data = _dated(data)
        return data if _characters_ok(data, 1, shown, problems, text) else None
    except yaml.MarkedYAMLError as error:
        problems.add(*_syntax_problem(error, shown, text))
        return None
    except yaml.YAMLError as error:
        problems.add(Location(shown, 1), f"not valid YAML ({error}); fix the YAML syntax")
        return None
    finally:
        if loader is not None:
            loader.dispose()


def _dated(value: Any) -> Any:
    """The loaded value with each _Undated made plain text, and its problem kept by key in the
    `undated` of the mapping that holds it (what undated_problem reads)."""
    if isinstance(value, LineDict):
        for key, item in value.items():
            if isinstance(item, _Undated):
                value.undated = {**getattr(value, "undated", {}), key: item.problem}
            value[key] = _dated(item)
    elif isinstance(value, LineList):
        value[:] = [_dated(item) for item in value]
    elif isinstance(value, _Undated):
        return str(value)
    return value


def undated_problem(mapping: LineDict, key: str) -> str | None:
    """What is wrong with the date a key of this mapping gives, which YAML reads as a date but cannot
    make (see load_yaml: `dates_told_later`); None for any other value."""
    undated: dict[str, str] = getattr(mapping, "undated", {})
    return undated.get(key)


# 'key: value' (no block scalar), maybe a list's item ('- key: value'): where the key starts, and the key
# (which begins with no '- ': every item's dash is the lead's, or a line of '- - - ...' was read again
# from each dash, and a review's line of 98 KB took 29 s)
_KEY_AND_VALUE = re.compile(r"( *(?:- +)*)(?!- )([^\s:#][^:#]*?):[ \t]+(?![|>]|#)\S")


def _indented_under_a_value(text: str, mark: yaml.Mark) -> str | None:
    """What to do when the ': ' the parser refused is the first on its line and that line is indented
    further than a 'key: value' line above it: YAML reads it as the rest of that value, whether it was
    meant as a key of its own indented too far (a maintainer's trial was told to quote a value that
    held no ': ') or as the value's next line. None when the line is not such a line."""
    lines = text.split("\n")
    here = lines[mark.line] if mark.line < len(lines) else ""
    if here.find(": ") != mark.column and here[mark.column :].rstrip() != ":":
        return None
    indent = len(here) - len(here.lstrip(" "))
    for number in range(mark.line - 1, -1, -1):
        above = lines[number]
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        found = _KEY_AND_VALUE.match(above)
        item = _ITEM.match(above) if found is None else None
        if item is not None and len(item.group(1)) < indent:  # '  - a/b', then '    placement: high'
            return _indented_under_an_item(text, number, len(item.group(1)))
        if found is None or len(found.group(1)) >= indent:
            return None
        key = found.group(2).strip()
        return (
            f"this line is indented further than '{key}' on line {number + 1}, so YAML reads it as the rest "
            f"of that value, where ': ' is not allowed: if it is a key of its own, indent it as far as "
            f"'{key}'; if it continues the value, quote the value"
        )
    return None


def _significant(text: str, upto: int) -> list[tuple[int, str]]:
    """The lines up to and with line `upto` (counted from 0) that are neither blank nor a comment, with
    their numbers (counted from 0)."""
    lines = text.split("\n")[: upto + 1]
    return [(number, line) for number, line in enumerate(lines)
            if line.strip() and not line.lstrip().startswith("#")]  # fmt: skip


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


_ITEM = re.compile(r"( *)- +[^\s:#'\"\[{][^:#]*$")  # a list's item of plain text, no ':' in it
_KEY_ALONE = re.compile(r"( *)([^\s:#-][^:#]*?):\s*(?:#.*)?$")  # 'key:' and nothing after it (but a comment)


def _indented_under_an_item(text: str, number: int, dash: int) -> str:
    """What to do with a line indented further than the list's item on line `number` (counted from 0,
    its dash at column `dash`): YAML reads it as the rest of the item, where ': ' is not allowed (a
    contributor's trial, told to quote a value, quoted it, to the same message). Names the key the list
    is under, which such a line most likely stands beside."""
    said = (
        f"this line is indented further than the list's item on line {number + 1}, so YAML reads it as "
        "the rest of that item, where ': ' is not allowed: if it is a key of its own, indent it as far as "
    )
    for above, line in reversed(_significant(text, number - 1)):
        if _depth(line) >= dash and line.lstrip().startswith("-"):  # the list's other items
            continue
        key = _KEY_ALONE.match(line)
        if key is not None and len(key.group(1)) <= dash:
            return f"{said}'{key.group(2).strip()}' (line {above + 1})"
        break
    return f"{said}the keys are"


def _stepped_out(text: str, mark: yaml.Mark) -> int | None:
    """The line (counted from 1) before the one refused when it is indented less than both its
    neighbours, which are indented alike: that line is the one out of place, likelier than the one the
    parser stopped at (a trial's 'feedback:' moved to the margin among the facets was told at the facet
    after it); else None."""
    lines = _significant(text, mark.line)
    if len(lines) < 3 or lines[-1][0] != mark.line:
        return None
    (_, above), (number, before), (_, here) = lines[-3:]
    depth = [_depth(line) for line in (above, before, here)]
    return number + 1 if depth[1] < depth[0] == depth[2] else None


def _left_beside(text: str, mark: yaml.Mark) -> str | None:
    """What to do with a line indented further than the lines just above it, when those stand as far in
    as a key with nothing after it above them ('facets:'): YAML reads them as keys beside that key, which
    holds nothing, and stops at this line. They may belong under it (a contributor's trial wrote the
    first facet at the margin, and was told to indent the line after it as far as the other keys), or
    this line may be indented too far (after a key left empty on purpose: a review); both are said.
    None when the lines are not so."""
    lines = _significant(text, mark.line)
    if len(lines) < 3 or lines[-1][0] != mark.line:
        return None
    depth = _depth(lines[-2][1])
    if _depth(lines[-1][1]) <= depth:
        return None
    run = len(lines) - 2  # the first of the lines at that depth, each 'key: value', just above
    while run > 0 and _depth(lines[run - 1][1]) == depth and _KEY_ALONE.match(lines[run - 1][1]) is None:
        run -= 1
    if run == 0 or _depth(lines[run - 1][1]) != depth:
        return None
    if any(_KEY_AND_VALUE.match(line) is None for _, line in lines[run:-1]):  # (an item, a key alone)
        return None
    holder, above = lines[run - 1]
    name = str(_KEY_ALONE.match(above).group(2)).strip()  # type: ignore[union-attr]
    first, last = lines[run][0] + 1, lines[-2][0] + 1
    if first == last:
        those, stand, they, them, keys = f"line {first}", "stands", "it belongs", "it", "it as a key"
    else:
        those, stand, they, them, keys = (
            f"lines {first}-{last}",
            "stand",
            "they belong",
            "them",
            "them as keys",
        )
    return (
        f"this line is indented further than {those}, which {stand} as far in as '{name}' (line "
        f"{holder + 1}): YAML reads '{name}' as holding nothing and {keys} beside it; if {they} under "
        f"'{name}', indent {them} as far as this line; otherwise indent this line as far as {those}"
    )


STEPPED_OUT = (
    "this line is indented less than the lines above and below it, so YAML reads it as ending the block "
    "they are in and stops at line {line}: indent it as far as they are; or, if it belongs where it is, "
    "line {line} is the one to indent otherwise"
)


def _key_without_colon_above(text: str, mark: yaml.Mark) -> int | None:
    """The line (counted from 1) above the one whose ':' or key the parser refused, when it holds words
    with no ':' and is indented as that line is: YAML reads the two lines as one key and refuses the ':'
    that ends it (or, with a blank line or a comment between, reads the words as a value where a key
    was due), so the slip ('name X' for 'name: X') is on the line above. None when it is not so."""
    lines = _significant(text, mark.line)
    if len(lines) < 2 or lines[-1][0] != mark.line:
        return None
    (number, above), (_, here) = lines[-2:]
    if mark.column not in (here.find(":"), _depth(here)) or _depth(above) != _depth(here) or ":" in above:
        return None
    return None if above.lstrip().startswith(("-", "'", '"', "[", "{", "|", ">")) else number + 1


def _key_among_items(text: str, mark: yaml.Mark) -> str:
    """What to do with a 'key: value' line indented as the items of a list above it: name the key the
    list belongs to, which the line most likely stands beside."""
    depth = _depth(text.split("\n")[mark.line])
    for number, above in reversed(_significant(text, mark.line - 1)):
        found = _KEY_AND_VALUE.match(above) or _KEY_ALONE.match(above)
        if found is not None and len(found.group(1)) < depth:
            key = found.group(2).strip()
            return (
                f"this line is a key among the items of the list under '{key}' (line {number + 1}), where "
                f"each line starts with '- ': if it is a key of its own, indent it as far as '{key}'; if it "
                "is an item, start it with '- '"
            )
    return "this line is a key among the items of a list, where each starts with '- '; indent it otherwise"


def _syntax_problem(error: yaml.MarkedYAMLError, shown: str, text: str) -> tuple[Location, str]:
    """Where a YAML syntax error is, and what to do about it."""
    mark = error.problem_mark or error.context_mark
    read_to = mark.line + 1 if mark is not None else 1
    line = min(read_to, max(1, len(text.splitlines())))  # the text's end is on its last line, not after
    what = error.problem or "not valid YAML"
    if isinstance(error, _RefusedInput):  # its message says what to do
        return Location(shown, line), what
    if what.startswith("found character '\\t'"):  # a tab where YAML wants spaces
        return Location(shown, line), "a tab on this line, where YAML takes spaces only; use spaces"
    if what == "mapping values are not allowed here":  # "name: Graphs: A Survey": a ': ' in a value
        over = _indented_under_a_value(text, mark) if mark is not None else None
        if over is not None:
            return Location(shown, line), over
        without = _key_without_colon_above(text, mark) if mark is not None else None
        if without is not None:  # 'name X' then 'summary: ...': YAML reads the two lines as one key
            return Location(shown, without), NO_KEY
        what += " (a value holding ': ' must be quoted: name: \"Graphs: A Survey\")"
    if what.startswith("could not determine a constructor") and "2002:merge" in what:
        # (a maintainer's trial wrote '<<: {...}' and was told of a tag it had not written)
        return Location(shown, line), MERGE_KEY
    if what.startswith("could not determine a constructor"):
        what = f"YAML tags that build objects are not allowed ({what.split('tag ')[-1].strip(chr(39))})"
    if what == "expected <block end>, but found '-'":  # a maintainer's trial met these words as they are
        return Location(shown, line), ITEM_AMONG_KEYS
    if what == "expected <block end>, but found '?'" and mark is not None:  # a key among a list's items
        return Location(shown, line), _key_among_items(text, mark)
    if what in _MISPLACED:  # a key or a list's item indented unlike those beside it
        out = _stepped_out(text, mark) if mark is not None else None
        if out is not None:
            return Location(shown, out), STEPPED_OUT.format(line=line)
        beside = _left_beside(text, mark) if mark is not None else None
        if beside is not None:  # 'facets:', then 'llm: [A]' at the margin, then '  code: yes'
            return Location(shown, line), beside
        without = _key_without_colon_above(text, mark) if mark is not None else None
        if without is not None:  # 'llm [A]', a blank line or a comment, then 'code: yes'
            return Location(shown, without), NO_KEY
        return Location(shown, line), INDENTED_UNLIKE
    if what == "could not find expected ':'" and error.context_mark is not None:
        # A line of words alone, read as a key without its ':', often a value's continuation not indented:
        # the parser reports the line after it.
        return Location(shown, error.context_mark.line + 1), NO_KEY
    opened = _UNCLOSED.get(error.context or "")
    if opened is None or error.context_mark is None:
        return Location(shown, line), f"{what}; fix the YAML syntax"
    began = min(error.context_mark.line + 1, line)
    ended = "end of stream" in what or "<stream end>" in what
    later = began < read_to  # the parser stopped on a later line than the one that opened it
    # A key of the next lines read into it ("but got ':'"), unless it is closed by the line it stopped at
    # (then two of its items on two lines lack a comma): its brackets counted to that line's end.
    upto = text[error.context_mark.index : sum(len(each) + 1 for each in text.split("\n")[:line])]
    still_open = sum(map(upto.count, "[{")) > sum(map(upto.count, "]}"))
    if ended or (later and what.endswith("but got ':'") and still_open):
        # Where the parser gave up is after the line at fault: the line that opened what is not closed.
        to = "the end" if ended or line != read_to else f"line {line}"
        return Location(
            shown, began
        ), f"{opened[0]} is not closed (YAML read on to {to}: {what}); {opened[1]}"
    if later and (what.endswith("but got '<scalar>'") or what.endswith("but got ':'")):
        kind = "mapping" if "mapping" in (error.context or "") else "list"
        return Location(
            shown, line
        ), f"{what}; a ',' may be missing between two items of the {kind} of line {began}"
    return Location(shown, line), f"{what}; fix the YAML syntax"


def _characters_ok(value: Any, line: int, shown: str, problems: Problems, text: str | None = None) -> bool:
    """Refuse characters that YAML escapes ("\\0", "\\ud800") let into a loaded value.

    Given the `text` it was loaded from, with no such character and no backslash (no escape), every
    value is made of the text's own characters, and is not walked.
    """
    if text is not None and "\\" not in text and not has_forbidden_character(text):
        return True
    if isinstance(value, str):
        match = FORBIDDEN_CHARACTERS.search(value)
        if match is None:
            return True
        problems.add(Location(shown, line), character_problem(match.group()))
        return False
    if isinstance(value, LineDict):
        pairs = [(item, value.key_lines[key]) for key, item in value.items()]
        pairs += [(key, value.key_lines[key]) for key in value]
    elif isinstance(value, LineList):
        pairs = list(zip(value, value.item_lines, strict=True))
    else:
        return True
    return all([_characters_ok(item, where, shown, problems) for item, where in pairs])


# 'code https://...', 'llm [GPT-4]': a key and a value as links and facets hold them, the ':' left out
# (not any two words: 'facets: not stated' was told to write 'not: stated', a review found).
_WORDS_AFTER_A_KEY = re.compile(r"([A-Za-z][\w-]*) +((?:https?://|\[)\S.*)")


def _colon_hint(value: Any) -> str:
    """For a text found where a mapping is due, when it reads as a key and its value with the ':' left
    out ('code https://...' under 'links:': a contributor's trial was told only that 'links' should be a
    mapping): how to write it. '' otherwise."""
    found = _WORDS_AFTER_A_KEY.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return ""
    return f"; if '{found.group(1)}' is a key, add ':' after it ('{found.group(1)}: {found.group(2)}')"


def describe(value: Any) -> str:
    """How a YAML value is named in messages: 'a list', 'a number', ..."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, datetime.datetime):
        return "a date and time"
    if isinstance(value, datetime.date):
        return "a date"
    if value is None:
        return "nothing"
    return f"'{value}'"


def empty_list(line: int) -> LineList:
    """An empty LineList standing at a line."""
    empty = LineList()
    empty.line = line
    empty.item_lines = []
    empty.item_spelled = {}
    return empty


class FieldReader:
    """Reads typed fields out of loaded YAML, recording a located problem for each bad one."""

    def __init__(self, shown: str, problems: Problems) -> None:
        self.shown = shown
        self.problems = problems
        # By mapping (its id), the keys it lacks that an unknown key of it is a misspelling of: see
        # misspelled.
        self._spelled_otherwise: dict[int, set[str]] = {}

    def at(self, line: int) -> Location:
        """A location in this file."""
        return Location(self.shown, line)

    def unknown_keys(self, mapping: LineDict, allowed: tuple[str, ...], under: str = "") -> None:
        """Report every key of a mapping that is not allowed (before its fields are read: see misspelled).
        `under`: a key of the mapping whose own mapping such a key may have slipped out of, indented
        too little ('code: yes' at the margin after the facets: a contributor's trial was told of an
        unknown key and a facet missing, and added the facet, the stray line kept)."""
        for key in mapping:
            if key not in allowed:
                meant = closest(key, allowed)
                inside = under in mapping and isinstance(mapping[under], dict) and meant is None
                slipped = (
                    f"; if it belongs under '{under}' (line {mapping.key_lines[under]}), indent it as far as "
                    "the keys there"
                    if inside
                    else ""
                )
                self.problems.add(
                    self.at(mapping.key_lines[key]),
                    f"unknown key '{key}'{suggested(meant)}{slipped} (allowed: {', '.join(allowed)})",
                )
                if meant is not None and meant not in mapping:
                    self._spelled_otherwise.setdefault(id(mapping), set()).add(meant)

    def misspelled(self, mapping: LineDict, key: str) -> bool:
        """Whether a key the mapping lacks is there misspelled, reported as an unknown key with its right
        spelling ('catgories': did you mean 'categories'?): then it is not reported missing too."""
        return key in self._spelled_otherwise.get(id(mapping), ())

    def missing(self, mapping: LineDict, key: str, how: str = "add it") -> None:
        """Report a key the mapping lacks ("missing 'key'; how"), unless it is there misspelled."""
        if not self.misspelled(mapping, key):
            self.problems.add(self.at(mapping.line), f"missing '{key}'; {how}")

    def text(self, mapping: LineDict, key: str, required: bool = True) -> str:
        """A text value, stripped; '' (and a problem if required) when missing or not text."""
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):  # (spaces alone: empty too)
            if required and key in mapping:
                self.problems.add(self.at(mapping.key_lines[key]), f"'{key}' is empty; fill it in")
            elif required:
                self.missing(mapping, key)
            return ""
        if not isinstance(value, str):
            self.problems.add(
                self.at(mapping.key_lines[key]),
                f"'{key}' should be text, found {describe(value)}; quote it",
            )
            return ""
        return value.strip()

    def line(self, mapping: LineDict, key: str, required: bool = True) -> str:
        """A text value of one line (a name, a label), stripped: one holding a line break is reported,
        and read as one line. (A review's facet label with a line break wrote keys of its own into the
        study files `surveysite new` makes, which quote each label in a comment.)"""
        value = self.text(mapping, key, required)
        if "\n" in value or "\r" in value:  # (YAML's other line breaks are refused as characters)
            self.problems.add(
                self.at(mapping.key_lines[key]),
                f"'{key}' holds a line break; write it on one line",
            )
            return " ".join(value.split())
        return value

    def list_of(self, mapping: LineDict, key: str, required: bool = False) -> LineList:
        """A list value; empty (and a problem if required or of the wrong type) otherwise."""
        value = mapping.get(key)
        if value is None:
            if required:
                self.missing(mapping, key, "add a list")
            return empty_list(mapping.line)
        if not isinstance(value, LineList):
            self.problems.add(
                self.at(mapping.key_lines[key]),
                f"'{key}' should be a list, found {describe(value)}; write each item on a line of its own, "
                "after '- '",
            )
            return empty_list(mapping.line)
        return value

    def mapping(self, mapping: LineDict, key: str) -> LineDict:
        """A mapping value; empty (and a problem if of the wrong type) otherwise."""
        value = mapping.get(key)
        if isinstance(value, LineDict):
            return value
        if value is not None:
            self.problems.add(
                self.at(mapping.key_lines[key]),
                f"'{key}' should be a mapping, found {describe(value)}{_colon_hint(value)}",
            )
        empty = LineDict()
        empty.line = mapping.key_lines.get(key, mapping.line)
        empty.key_lines = {}
        empty.spelled = {}
        return empty
