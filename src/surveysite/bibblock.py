"""BibTeX entries as a project's .bib files are written, read without bibtexparser's splitter.

bibtexparser finds an entry's fields by walking every brace, quote, comma, equals sign and line break
of the text in Python, then strips each value's braces in a second pass: at 10,000 studies, 2 s of a
cold run's 13 s of work on this machine (in one process). Nearly every entry of a survey's library
has one layout: '@type{key,', then one 'name = {value}' (or a bare number) after another, then '}',
with blank or '%' lines between entries. `read_entries` reads a text made only of that with a few
regular expressions and gives, for each entry, what bibtexparser's default parse gives for it (its
type, key, line, and each field's name, value without its enclosing braces, line and enclosing).

For anything else it raises Outside and the text is parsed by bibtexparser, whose blocks word the
problems: text outside entries, an '@' anywhere but at an entry's start ('@string', '@comment',
'@preamble', an address in a value), values in quotes, bare words or '#' joins, escaped braces ('\\{'),
a backslash before a line break (a line bibtexparser does not count), braces nested more than four
deep, a repeated key or field name, a carriage return, a comment holding a character str.splitlines
breaks lines at, a key or field name of unusual characters, a space before '{', an '=' on another
line. Its tests compare it with bibtexparser on generated and real texts.
"""

from __future__ import annotations

import re


class Outside(Exception):
    """Text that read_entries leaves to bibtexparser."""


# One field: its name as written, its value without its enclosing, the 0-based line of its '='
# (bibtexparser's field line), and its enclosing: '{', or 'no-enclosing' for a number (bibtexparser
# also gives '"', or None for a value no middleware looked at).
Field = tuple[str, str, int, str | None]
# One entry: its type (lower case), key, 0-based line of its '@', fields in order.
Entry = tuple[str, str, int, list[Field]]


def _braced(depth: int) -> str:
    """What a value in braces holds, braces within it nested up to `depth` deep (without a backtrack:
    each run of text stops only at a brace)."""
    inner = "[^{}]*"
    for _ in range(depth):
        inner = r"[^{}]*(?:\{" + inner + r"\}[^{}]*)*"
    return inner


# Blank lines and lines of '%' comments, and the rest of the line an entry closes on (a comment, or
# nothing): what bibtexparser keeps as comments, with nothing in them to report. (Without a character
# that str.splitlines takes for a line break, as the check of text between entries does: see
# bibliography._check_stray_text.)
_COMMENT = r"(?:%[^\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]*)?"
_BETWEEN = re.compile(rf"(?:[ \t]*{_COMMENT}\n)*[ \t]*{_COMMENT}")
_HEADER = re.compile(r'@([A-Za-z]+)\{([^\s,{}"=@\\]+),')
_FIELD = re.compile(
    r"\s*([A-Za-z][\w:.+-]*)[ \t]*=[ \t]*(?:\{(" + _braced(4) + r")\}|([0-9]+))\s*([,}])", re.ASCII
)
_CLOSE = re.compile(r"\s*\}")
# An '@' that starts no entry here, or starts one of bibtexparser's other blocks (named by how they
# start): looked for first, so that a text left to bibtexparser for one near its end is not read here
# to the end first (5 ms for 9 MB).
_LEFT = re.compile(r"@(?![A-Za-z]+\{)|@(?i:comment|preamble|string)")


def read_entries(text: str) -> list[Entry]:
    """Every entry of a BibTeX text in the layout above, in order; raises Outside for any other text."""
    if "\r" in text or "\\{" in text or "\\}" in text or "\\\n" in text:
        raise Outside("a carriage return, or a brace or line break after a backslash")
    if _LEFT.search(text):
        raise Outside("an '@' that starts no entry, or another block")
    entries: list[Entry] = []
    keys: set[str] = set()
    position, line, counted = 0, 0, 0  # `line`: line breaks before `counted`
    end = len(text)
    while True:
        between = _BETWEEN.match(text, position)
        assert between is not None, "it matches an empty text"
        position = between.end()
        if position == end:
            break
        header = _HEADER.match(text, position)
        if header is None:
            raise Outside(f"no entry at character {position}")
        entry_type = header.group(1).lower()
        key = header.group(2)
        if key.lower() in keys:
            raise Outside(f"a key used twice at character {position}")
        keys.add(key.lower())
        line += text.count("\n", counted, position)
        counted = position
        start_line = line
        fields: list[Field] = []
        names: set[str] = set()
        position = header.end()
        while True:
            field = _FIELD.match(text, position)
            if field is None:
                close = _CLOSE.match(text, position)
                if close is None:
                    raise Outside(f"a field not read here at character {position}")
                position = close.end()
                break
            name, braced, number, after = field.groups()
            if name in names:
                raise Outside(f"a field named twice at character {position}")
            names.add(name)
            equals = field.end(1)
            line += text.count("\n", counted, equals)
            counted = equals
            if braced is not None:
                fields.append((name, braced, line, "{"))
            else:
                fields.append((name, number, line, "no-enclosing"))
            position = field.end()
            if after == "}":
                break
        entries.append((entry_type, key, start_line, fields))
    if text.count("@") != len(entries):
        raise Outside("an '@' that starts no entry")
    return entries
