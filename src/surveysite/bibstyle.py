"""The project's one way of writing BibTeX values, which changes nothing BibTeX reads: authors as
"Last, First", and acronyms and mixed-case words in titles kept in their case by braces."""

from __future__ import annotations

import re
from functools import lru_cache

from bibtexparser.middlewares.names import InvalidNameError, NameParts, parse_single_name_into_parts

# ' and ' between names, as BibTeX reads it: any letter case, spaces, tabs or line breaks around.
_AND = re.compile(r"[ \t\r\n]+[aA][nN][dD][ \t\r\n]+")
_GROUP = re.compile(r"\{[^{}]*\}")  # a braced group with no group inside
NAME_FIELDS = ("author", "editor")
TITLE_FIELDS = ("title", "booktitle")
# A word with its punctuation around it; a word with an upper-case letter after its first character
# (NASA, GPT-4, DeepSeek, BERTScore; not Test-Time) is one a bibliography style would otherwise
# lower-case.
_BEFORE, _AFTER = "(\"'`", ")\"':;,.!?"  # what may stand before it and after it
_CORE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+'\-]*")


def _word_parts(word: str) -> tuple[str, str, str] | None:
    """A word's punctuation before it, the word, and its punctuation after it (all there is after its
    last character that is none), or None if it is no such word. (Once one pattern, whose search
    backtracked over a run of apostrophes or stops, each character they can both be: quadratic.)"""
    core = word.lstrip(_BEFORE)
    before = word[: len(word) - len(core)]
    end = len(core.rstrip(_AFTER))  # (its first character is none of those after)
    if not _CORE.fullmatch(core, 0, end):
        return None
    return before, core[:end], core[end:]


# A capital after another character of the same part (parts split at '-', '.' and "'"): in one search.
_CAPITAL_INSIDE = re.compile(r"[^-.'][A-Z]")


OTHERS = "others"  # what ends a BibTeX author list that names only some of the authors: 'A and others'


# Han characters, kana and hangul: a name written in them alone is written family name first.
EAST_ASIAN = re.compile(
    "[\u1100-\u11ff\u3005\u3006\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
    "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]+"
)


def split_names(names: str) -> list[str]:
    """The names of a BibTeX name list: split at each ' and ' outside braces ('{Simon and Schuster}',
    accents such as M{\\"u}ller), a backslash escaping the character after it.

    When every backslash is inside balanced braces and escapes no brace or backslash (nearly every
    list), the list is split at the ' and ' found outside braces; any other list by _split_escaped.
    (bibtexparser's split_multiple_persons_names, which that used to be, drops the first characters of
    a name that starts with one: '\\.Zak, Ewa' came out 'Zak, Ewa', '\\L{}ukasz Kaiser' '{}ukasz
    Kaiser', and `format` wrote them back so.)
    """
    names = names.strip(" \r\n\t")
    if not names:
        return []
    spans = _split_outside_braces(names)
    return _split_escaped(names) if spans is None else spans


_ESCAPED = re.compile(r"\\.", re.DOTALL)  # a backslash and the character it escapes


def _split_escaped(names: str) -> list[str]:
    """The list split at each ' and ' outside braces, where a backslash escapes the character after
    it (a brace so escaped opens or closes no group). Each escape and each braced group is blanked out
    (as 'x's, so that places hold), then the ' and ' left are the ones to split at; a brace left open
    holds the rest of the list, as BibTeX reads it."""
    blank = _ESCAPED.sub("xx", names)
    while (inner := _GROUP.sub(lambda group: "x" * len(group.group()), blank)) != blank:
        blank = inner
    if "{" in blank:
        blank = blank[: blank.index("{")]  # no ' and ' after an unclosed brace splits
    spans, start = [], 0
    for match in _AND.finditer(blank):
        spans.append(names[start : match.start()])
        start = match.end()
    spans.append(names[start:])
    return spans


# A LaTeX accent or letter whose spelling holds a space or a tie, which BibTeX's name reader (and
# bibtexparser's) takes for a break between two words: 'Pe\\~na' read as 'Pe\\' and 'na' (shown
# 'Pe na', and written back by `format` as 'na, Luis Pe\\'), 'Gon\\c calves', '\\L ukasz'. Read
# braced instead ('Pe{\\~n}a'), as BibTeX's own advice writes them.
_SPLIT_ACCENT = re.compile(
    r"\\(?:~\s*(?:\{[^{}]*\}|[A-Za-z])"  # the tilde accent, as its own tie would split it
    r"|[`'^\"=.]\s+(?:\{[^{}]*\}|[A-Za-z])"  # another accent, apart from its letter
    r"|[cvuHrdbtkG]\s+(?:\{[^{}]*\}|[A-Za-z])"  # an accent named by a letter, apart from its letter
    r"|(?:ss|aa|AA|ae|AE|oe|OE|[LloOij])\s+(?=[A-Za-z]))"  # a letter before the rest of its word
)


def _shielded(name: str) -> str:
    """The name with each accent of _SPLIT_ACCENT outside braces braced, so that it stays in its word;
    any other name as it is."""
    if "\\" not in name or not _SPLIT_ACCENT.search(name):
        return name
    out, depth, last = [], 0, 0
    for match in _SPLIT_ACCENT.finditer(name):
        depth += name.count("{", last, match.start()) - name.count("}", last, match.start())
        out.append(name[last : match.start()])
        spelled = match.group()
        out.append(spelled if depth else "{" + spelled.rstrip() + "}")
        depth += spelled.count("{") - spelled.count("}")
        last = match.end()
    out.append(name[last:])
    return "".join(out)


def name_parts(name: str) -> NameParts:
    """bibtexparser's parts of one BibTeX name (first, von, last, jr), its accents kept whole within
    their words (see _SPLIT_ACCENT); raises InvalidNameError as bibtexparser does."""
    return parse_single_name_into_parts(_shielded(name), strict=False)


def _split_outside_braces(names: str) -> list[str] | None:
    """The list split at each ' and ' outside braces; None when the walk must be used.

    Braced groups are taken out innermost first, each left as an 'x' (as if blanked out); what is
    left is the text outside every group, which has a brace only when the braces are unbalanced and
    a backslash only when one stands outside braces. When it holds as many ' and ' as the whole list
    (none was inside a group), the list splits at every one.
    """
    if "{" not in names and "}" not in names:  # no group: the text is its own outside
        return None if "\\" in names else _and_split(names)
    if "\\{" in names or "\\}" in names or "\\\\" in names:
        return None
    outside = _GROUP.sub("x", names)
    while "{" in outside or "}" in outside:  # a group inside a group, or braces unbalanced
        previous, outside = outside, _GROUP.sub("x", outside)
        if outside == previous:
            return None
    if "\\" in outside:
        return None
    spans = _and_split(names)
    if len(spans) == len(_and_split(outside)):
        return spans
    spans, start, depth, last = [], 0, 0, 0  # an ' and ' inside braces: keep the ones outside
    for match in _AND.finditer(names):
        depth += names.count("{", last, match.start()) - names.count("}", last, match.start())
        last = match.start()
        if depth == 0:
            spans.append(names[start : match.start()])
            start = match.end()
    spans.append(names[start:])
    return spans


def _and_split(text: str) -> list[str]:
    """_AND.split(text), by str.split where that is the same (three times as quick on the 400
    characters of a long author list): single spaces, no tab or line break, and no 'and' but in lower
    case, none two in a row (' and and ', where the two splits could cut at different places)."""
    lower = text.lower()
    if (
        "  " in text
        or "\t" in text
        or "\n" in text
        or "\r" in text
        or " and and " in lower
        or lower.count(" and ") != text.count(" and ")
    ):
        return _AND.split(text)
    return text.split(" and ")


def normalized(field: str, value: str) -> str:
    """A field's value in the project's style (value already on one line)."""
    if field in NAME_FIELDS:
        return " and ".join(_last_first(name) for name in split_names(value))
    if field == "title":
        return protect_case(value)
    return value


@lru_cache(maxsize=65_536)  # the same authors recur across entries
def _last_first(name: str) -> str:
    """'First von Last' as 'von Last, First'; a name with a comma at its top, or beginning with a braced
    group that is no accented letter ('{Google Brain}': a body's name), is kept as it is. ('{\\L}ukasz
    Kaiser' was kept, the one name left in 'First Last' among its entry's: a maintainer's trial.)"""
    if "," in _top_level(name) or (name.startswith("{") and not name.startswith("{\\")):
        return name
    try:
        parts = name_parts(name)
    except InvalidNameError:
        return name
    if not parts.first or not parts.last:
        return name
    return f"{' '.join(parts.von + parts.last)}, {' '.join(parts.first)}"


# A command alone that takes the next word's first letter as its argument: the allowed ones that take one
# (bibliography._TEX_WORDS), an accent's ('\\v Z') among them. ('\\ldots GPU' takes none: GPU is braced.)
_BARE_COMMAND = re.compile(
    r"\\(?:emph|text(?:it|bf|sc|rm|sf|tt|up|sl|md|normal|superscript|subscript)|mbox|url|nolinkurl|doi"
    r"|ensuremath|text|noopsort|protect|[cdbtuvHrk])"
)


def protect_case(title: str) -> str:
    """Brace every top-level word whose case a style must keep, and a TeX logo's command ('\\LaTeX'); other
    words with LaTeX are left alone."""
    words: list[str] = []
    depth = 0  # of the braces open before the word: a word within a group across words is kept as it is
    for word in title.split(" "):
        match = _word_parts(word)
        # (Not a word after a command alone, '\emph AB': its first letter is the command's argument,
        # which braces would widen to the word: a hostile-input review.)
        argument = bool(words) and _BARE_COMMAND.fullmatch(words[-1]) is not None
        if match and not depth and not argument and _needs_braces(match[1]) and _top_level(word) == word:
            before, core, after = match
            word = f"{before}{{{core}}}{after}"
        elif not depth and (command := _LOGO.fullmatch(word)):  # ('\LaTeX', which a style's lowercasing
            # makes the undefined '\latex': a citer's trial; only a logo: a foreign letter's '\AA' is
            # lowercased inside one brace all the same, and math is math, a review found)
            word = f"{command.group(1)}{{{command.group(2)}}}{command.group(3)}"
        words.append(word)
        if "{" in word or "}" in word:  # (a maintainer's trial: '{A 176B-Parameter ...}' had it braced)
            depth += len(_OPENING.findall(word)) - len(_CLOSING.findall(word))
    return " ".join(words)


# A TeX logo's command ('\LaTeX', '\TeX{}'), which a style's lowercasing would make an undefined one.
_LOGO = re.compile(r"([^\\$\w]*)(\\(?:LaTeXe|LaTeX|BibTeX|TeX|XeTeX|LuaTeX|ConTeXt|AmS)(?:\{\})?)(\W*)")
_OPENING = re.compile(r"(?<!\\)\{")  # a brace, not an escaped one ('\{')
_CLOSING = re.compile(r"(?<!\\)\}")


def _needs_braces(word: str) -> bool:
    """Whether a part of the word has a capital after its first letter (not Title-Case-Hyphenation).
    (A word of a title: no space or line break in it, where the search and the rule would differ.)"""
    return _CAPITAL_INSIDE.search(word) is not None


def _top_level(text: str) -> str:
    """The text with every braced group removed (only what is outside braces)."""
    depth, kept = 0, []
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)
