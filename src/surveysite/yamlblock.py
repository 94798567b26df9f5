"""The YAML that data files are written in, read without libyaml's parser, three times as fast.

A study file is a mapping of keys to plain, quoted or folded text, lists and one nested mapping: at
10,000 studies libyaml's nodes and marks, made for every scalar and read back to build the values,
were 0.7 s of a cold run's 8 s of work. `read_block` reads that kind of text line by line and gives
what the loaders give for it (yamlfile.LineDict and LineList, their lines, each value's YAML type);
for anything else (a comment, an anchor, a tab, a multi-line quoted text, a key that is not a plain
word, a more-indented line in a folded text, any error) it raises Outside, and the text is read by
libyaml, then by the pure-Python parser that words the messages. Its tests compare it with them.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

STR_TAG = "tag:yaml.org,2002:str"
SPELLED_TAGS = frozenset({"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})
# The scalars' types that a value may have here: any other (a merge key '<<', '=') is left to libyaml.
_MADE_TAGS = SPELLED_TAGS | {"tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"}


class LineDict(dict[str, Any]):
    """A mapping loaded from YAML, with the 1-based line of the mapping and of each key, and how each
    true/false or number value was spelled (YAML reads yes, Yes, on and True all as true, 1.10 as 1.1
    and 010 as 8)."""

    line: int
    key_lines: dict[str, int]
    spelled: dict[str, str]
    undated: dict[str, str]  # set only where a date could not be made (see yamlfile.undated_problem)


class LineList(list[Any]):
    """A sequence loaded from YAML, with the 1-based line of the sequence and of each item, and how
    each true/false or number item was spelled."""

    line: int
    item_lines: list[int]
    item_spelled: dict[int, str]


class Outside(Exception):
    """Text that read_block leaves to the YAML parsers."""


# Characters that read_block leaves to the parsers: a tab, a carriage return, a line break other than
# '\n' (YAML 1.1 has three more), a byte order mark, any character YAML does not print. (Named one by
# one: the class of those it prints, negated, took a process 3-7 ms to compile.)
_LEFT = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")  # a key read here: a plain word
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")  # a plain text starts with none of them
_BLOCK_HEADERS = {">": (" ", "\n"), ">-": (" ", ""), "|": ("\n", "\n"), "|-": ("\n", "")}
_TEXTS: set[str] = set()  # plain texts (short ones) known to be read as themselves, and where (see _plain)
_KEYS: set[str] = set()  # keys known to be plain words that YAML reads as text
_KEPT_MOST, _KEPT_LENGTH = 50_000, 100
_PLAIN = (True, False)  # how a plain text is written, as a PyYAML resolver is told
_DEEPEST = 8  # mappings within mappings read here (the loaders refuse more than MAX_NESTING)


def read_block(text: str, loader: Any) -> LineDict:
    """The mapping a YAML text holds, as the loaders give it; raises Outside for any other text.
    `loader`: a PyYAML loader whose resolver tells a plain text's type (YAML 1.1's: text, a date, a
    number, true/false, nothing) and whose constructors make the values that are not text."""
    if _LEFT.search(text):
        raise Outside
    lines = text.split("\n")
    rows = []  # each line that is not blank: its number, indentation and text without the spaces around
    for number, line in enumerate(lines, 1):
        content = line.lstrip(" ")
        if content:
            rows.append((number, len(line) - len(content), content.rstrip(" ")))
    if not rows or rows[0][1] != 0:
        raise Outside
    rows.append(_END)
    reader = _Reader(lines, rows, loader)
    mapping = reader.mapping(0)
    if reader.at != len(rows) - 1:
        raise Outside
    return mapping


_END = (0, -1, "")  # after the last row: less indented than any, it ends every mapping and list


class _Reader:
    """The rows of a text, read from the first (`at`: the next to read)."""

    def __init__(self, lines: list[str], rows: list[tuple[int, int, str]], loader: Any) -> None:
        self.lines = lines
        self.rows = rows
        self.loader = loader
        self.at = 0

    def _next(self, deeper_than: int) -> tuple[int, int, str] | None:
        """The next row if it is indented more than `deeper_than`."""
        row = self.rows[self.at]
        return row if row[1] > deeper_than else None

    def mapping(self, indent: int, depth: int = 0) -> LineDict:
        """The mapping whose keys are the rows from here at `indent`, within `depth` others."""
        if depth > _DEEPEST:
            raise Outside
        rows = self.rows
        result = LineDict()
        result.line = rows[self.at][0]
        result.key_lines, result.spelled = {}, {}
        while rows[self.at][1] == indent:
            number, _, content = rows[self.at]
            key, colon, rest = content.partition(":")
            if key not in _KEYS:  # a plain word that YAML reads as text (not 'yes', 'null'), not long
                if len(key) > _KEPT_LENGTH or not _KEY.fullmatch(key) or _tag(key, self.loader) != STR_TAG:
                    raise Outside  # (YAML refuses a key of over 1,024 characters)
                if len(_KEYS) < _KEPT_MOST:
                    _KEYS.add(key)
            if not colon or key in result or (rest and rest[0] != " "):
                raise Outside
            rest = rest.lstrip(" ")
            self.at += 1
            if not rest:
                value, spelled = self.below(indent, depth)
            elif rest in _TEXTS and rows[self.at][1] <= indent:  # (the most frequent: a short text)
                value, spelled = rest, None
            else:
                value, spelled = self.inline(rest, indent)
            result[key] = value
            result.key_lines[key] = number
            if spelled is not None:
                result.spelled[key] = spelled
        if self._next(indent) is not None:
            raise Outside
        return result

    def below(self, indent: int, depth: int) -> tuple[Any, str | None]:
        """The value of a key of a mapping at `indent` with nothing after its ':' on its line."""
        _, deeper, content = self.rows[self.at]
        if deeper >= indent and (content == "-" or content.startswith("- ")):
            return self.sequence(deeper), None
        if deeper > indent:
            return self.mapping(deeper, depth + 1), None
        return None, None

    def sequence(self, indent: int) -> LineList:
        """The list whose items are the rows from here at `indent`, each '- ' and a one-line value."""
        rows = self.rows
        result = LineList()
        result.line = rows[self.at][0]
        result.item_lines, result.item_spelled = [], {}
        while rows[self.at][1] == indent and rows[self.at][2].startswith("- "):
            number, _, content = rows[self.at]
            self.at += 1
            if rows[self.at][1] > indent:  # its text goes on, or a list or mapping inside it
                raise Outside
            item = content[2:].lstrip(" ")
            value, spelled = (item, None) if item in _TEXTS else self.scalar(item)
            if spelled is not None:
                result.item_spelled[len(result)] = spelled
            result.append(value)
            result.item_lines.append(number)
        return result

    def inline(self, rest: str, indent: int) -> tuple[Any, str | None]:
        """The value of a key of a mapping at `indent`, `rest` after its ': ' on the same line."""
        number = self.rows[self.at - 1][0]
        if rest in _BLOCK_HEADERS:
            return self.block(number, indent, *_BLOCK_HEADERS[rest]), None
        if rest[0] == "[":
            if self._next(indent) is not None:
                raise Outside
            return _flow_list(rest, number, self.loader), None
        if rest[0] not in _INDICATORS and self._next(indent) is not None:  # a plain text on more lines
            parts = [rest]
            last = number
            while (row := self._next(indent)) is not None:
                following, _, content = row
                if content[0] in _INDICATORS or _ends_plain(parts[-1]):
                    raise Outside
                parts.append(" " if following == last + 1 else "\n" * (following - last - 1))
                parts.append(content)
                last = following
                self.at += 1
            return _plain("".join(parts), self.loader)
        if self._next(indent) is not None:
            raise Outside
        return self.scalar(rest)

    def block(self, header: int, indent: int, fold: str, end: str) -> str:
        """A folded ('>') or literal ('|') text from the line after `header`, its lines all indented
        alike, none left blank with spaces (they would be part of it): each line break between them
        folded to `fold`, the text's last kept as `end` (clipped or stripped)."""
        first = self._next(indent)
        if first is None or first[0] != header + 1:  # (blank lines first would be line breaks in it)
            raise Outside
        start, margin, _ = first
        parts: list[str] = []
        last = start - 1
        while (row := self._next(indent)) is not None:
            number, deeper, _ = row
            line = self.lines[number - 1]
            if deeper != margin or line.endswith(" "):
                raise Outside
            if parts:
                blank = number - last - 1
                parts.append(fold if blank == 0 else "\n" * (blank + (fold == "\n")))
            parts.append(line[margin:])
            last = number
            self.at += 1
        following = self.rows[self.at][0] or len(self.lines) + 1  # the next row's line, or past the last
        # (A line of spaces only, among its lines or after them, may be part of it: more spaces than
        # its margin are kept, in a literal text even fewer make a line.)
        if any(self.lines[n] for n in range(start - 1, following - 1) if not self.lines[n].strip(" ")):
            raise Outside
        return "".join(parts) + (end if last < len(self.lines) else "")  # (clipped: the break, if any)

    def scalar(self, text: str) -> tuple[Any, str | None]:
        """A one-line value: quoted or plain text (or a date, a number, true/false, nothing)."""
        if text[0] == "'":
            inner = text[1:-1]
            if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
                raise Outside
            return inner.replace("''", "'"), None
        if text[0] == '"':
            inner = text[1:-1]
            if len(text) < 2 or text[-1] != '"' or '"' in inner or "\\" in inner:
                raise Outside
            return inner, None
        if text[0] in _INDICATORS:
            raise Outside
        return _plain(text, self.loader)


def _ends_plain(line: str) -> bool:
    """Whether a line of a plain text holds what would end the text there: ': ' (or ':' last: a
    mapping's value follows) or ' #' (a comment)."""
    return ": " in line or line.endswith(":") or " #" in line


def _plain(text: str, loader: Any) -> tuple[Any, str | None]:
    """A plain text's value (its lines already folded), and its spelling if it is true/false or a
    number."""
    if text in _TEXTS:
        return text, None
    if _ends_plain(text):
        raise Outside
    tag = _tag(text, loader)
    if tag == STR_TAG:
        if len(text) <= _KEPT_LENGTH and len(_TEXTS) < _KEPT_MOST:
            _TEXTS.add(text)
        return text, None
    if tag not in _MADE_TAGS:
        raise Outside
    try:
        value = loader.yaml_constructors[tag](loader, yaml.ScalarNode(tag, text))
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, IndexError):
        raise Outside from None  # the loaders report it, at its line
    return value, (text if tag in SPELLED_TAGS else None)


def _flow_list(text: str, number: int, loader: Any) -> LineList:
    """A list written '[a, b]' on one line, of plain items (none with a '?', where libyaml and the
    pure-Python parser differ)."""
    if not text.endswith("]") or "#" in text:
        raise Outside
    result = LineList()
    result.line = number
    result.item_spelled = {}
    inner = text[1:-1].strip(" ")
    items = [item.strip(" ") for item in inner.split(",")] if inner else []
    for item in items:
        if not item or item[0] in _INDICATORS or any(mark in item for mark in "[]{}:?'\""):
            raise Outside
        value, spelled = _plain(item, loader)
        if spelled is not None:
            result.item_spelled[len(result)] = spelled
        result.append(value)
    result.item_lines = [number] * len(result)
    return result


def _tag(text: str, loader: Any) -> str:
    """The type YAML 1.1 gives a plain text, by the loader's own resolver (which may keep them)."""
    return str(loader.resolve(yaml.ScalarNode, text, _PLAIN))
