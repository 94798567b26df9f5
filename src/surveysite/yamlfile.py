"""Safe YAML loading that remembers the line of every mapping key and list item."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml

from .problems import Location, Problems, did_you_mean


class LineDict(dict[str, Any]):
    """A mapping loaded from YAML, with the 1-based line of the mapping and of each key."""

    line: int
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence loaded from YAML, with the 1-based line of the sequence and of each item."""

    line: int
    item_lines: list[int]


class _RefusedInput(yaml.MarkedYAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (no alias bombs) and duplicate keys, and records lines."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _RefusedInput(
                None, None, "YAML aliases (*name) are not allowed; write the value out", event.start_mark
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise _RefusedInput(
                None, None, f"key '{key}' appears twice in the same mapping", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)

_FastLoader: type | None = None
if getattr(yaml, "CSafeLoader", None) is not None:  # PyYAML built with libyaml

    class _CLoader(yaml.CSafeLoader):
        """libyaml's parser with the same constructors: ten times faster, but it expands aliases."""

    _CLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _CLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
    _FastLoader = _CLoader


def read_text(path: Path, shown: str, problems: Problems, max_bytes: int) -> str | None:
    """Read a UTF-8 text file, recording a problem (not raising) when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.add(Location(shown, 1), f"cannot read the file: {error.strerror}")
        return None
    if len(data) > max_bytes:
        problems.add(
            Location(shown, 1),
            f"the file is {len(data):,} bytes; the limit is {max_bytes:,}; split or shorten it",
        )
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(
            Location(shown, line),
            f"byte 0x{data[error.start]:02x} is not UTF-8; save the file as UTF-8",
        )
        return None


def load_yaml(text: str, shown: str, problems: Problems) -> Any:
    """Parse YAML text safely; on error record a problem with its line and return None."""
    if _FastLoader is not None and "*" not in text:  # no '*', no alias: libyaml's parser is safe here
        try:
            return yaml.load(text, Loader=_FastLoader)
        except yaml.YAMLError:
            pass  # the pure-Python parser below reports it, in the words the messages are pinned to
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = error.problem or "not valid YAML"
        if what.startswith("could not determine a constructor"):
            what = f"YAML tags that build objects are not allowed ({what.split('tag ')[-1].strip(chr(39))})"
        problems.add(Location(shown, line), f"{what}; fix the YAML syntax")
        return None
    except yaml.YAMLError as error:
        problems.add(Location(shown, 1), f"not valid YAML ({error}); fix the YAML syntax")
        return None


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
    return empty


class FieldReader:
    """Reads typed fields out of loaded YAML, recording a located problem for each bad one."""

    def __init__(self, shown: str, problems: Problems) -> None:
        self.shown = shown
        self.problems = problems

    def at(self, line: int) -> Location:
        """A location in this file."""
        return Location(self.shown, line)

    def unknown_keys(self, mapping: LineDict, allowed: tuple[str, ...]) -> None:
        """Report every key of a mapping that is not allowed."""
        for key in mapping:
            if key not in allowed:
                self.problems.add(
                    self.at(mapping.key_lines[key]),
                    f"unknown key '{key}'{did_you_mean(key, allowed)} (allowed: {', '.join(allowed)})",
                )

    def text(self, mapping: LineDict, key: str, required: bool = True) -> str:
        """A text value, stripped; '' (and a problem if required) when missing or not text."""
        value = mapping.get(key)
        if value is None or value == "":
            if required:
                self.problems.add(self.at(mapping.line), f"missing '{key}'; add it")
            return ""
        if not isinstance(value, str):
            self.problems.add(
                self.at(mapping.key_lines[key]),
                f"'{key}' should be text, found {describe(value)}; quote it",
            )
            return ""
        return value.strip()

    def list_of(self, mapping: LineDict, key: str, required: bool = False) -> LineList:
        """A list value; empty (and a problem if required or of the wrong type) otherwise."""
        value = mapping.get(key)
        if value is None:
            if required:
                self.problems.add(self.at(mapping.line), f"missing '{key}'; add a list")
            return empty_list(mapping.line)
        if not isinstance(value, LineList):
            self.problems.add(
                self.at(mapping.key_lines[key]), f"'{key}' should be a list, found {describe(value)}"
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
                self.at(mapping.key_lines[key]), f"'{key}' should be a mapping, found {describe(value)}"
            )
        empty = LineDict()
        empty.line = mapping.key_lines.get(key, mapping.line)
        empty.key_lines = {}
        return empty
