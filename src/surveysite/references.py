"""Turn raw BibTeX records into references fit for display (LaTeX decoded, names split)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from bibtexparser.middlewares.names import InvalidNameError
from pylatexenc import latex2text, latexwalker, macrospec

from . import texpackages
from .bibliography import (
    UNESCAPED_PERCENT,
    BibRecord,
    archive_of,
    arxiv_unversioned,
    howpublished_address,
    journal_arxiv,
    preprint_journal,
)
from .bibstyle import EAST_ASIAN, OTHERS, name_parts, split_names
from .files import FORBIDDEN_CHARACTERS
from .model import Reference, entry_digest

_LATEX_MARKS = ("\\", "{", "}", "$", "~", "--", "``", "''")
_LATEX_MARK = re.compile("|".join(re.escape(mark) for mark in _LATEX_MARKS))  # any of them
# What pylatexenc's defaults show wrongly in a title: a link's address in <...> (\url), \href unknown
# (shown as "\hrefADDRESSTEXT"), and an operator's space eaten ("$O(n \log n)$" as "O(n logn)").
_OPERATORS = ("arccos", "arcsin", "arctan", "arg", "cos", "cosh", "cot", "coth", "csc", "deg", "det", "dim",
              "exp", "gcd", "hom", "inf", "ker", "lg", "lim", "liminf", "limsup", "ln", "log", "max", "min",
              "Pr", "sec", "sin", "sinh", "sup", "tan", "tanh")  # fmt: skip
_RELATIONS = {"geq": "≥", "ge": "≥", "leq": "≤", "le": "≤", "neq": "≠", "ne": "≠", "approx": "≈",
              "equiv": "≡", "ll": "≪", "gg": "≫", "pm": "±", "mp": "∓"}  # fmt: skip
_SPACE_AFTER = "\x00"  # put after an operator, a space where a word follows (see _text_of)
_PARSED = latexwalker.get_default_latex_context_db()
_PARSED.add_context_category(
    "surveysite",
    prepend=True,
    macros=[
        macrospec.MacroSpec("href", "{{"),
        macrospec.MacroSpec("url", "{"),
        *(macrospec.MacroSpec(name, spec) for name, spec in texpackages.argument_specs()),
    ],
)


def _package_text(node: Any) -> str:
    """pylatexenc's text of a command with arguments that a survey may allow (see texpackages); the LaTeX
    its arguments hold besides the package's syntax decoded in turn (a review: '\\ce{$\\alpha$-Fe2O3}'
    kept its '$\\alpha$'). A command whose arguments are missing reads as nothing."""
    if node.nodeargd is None:  # (at the text's end: '\\SI{5}')
        return ""
    text = texpackages.text_of(node.macroname, list(node.nodeargd.argnlist))
    return _text_of(text) if "\\" in text or "$" in text or "{" in text else text


def _argument_text(node: Any, l2tobj: Any) -> str:
    """The text of a command's one argument, read as LaTeX ('' when it is missing)."""
    if node.nodeargd is None or not node.nodeargd.argnlist or node.nodeargd.argnlist[-1] is None:
        return ""
    return str(l2tobj.nodelist_to_text([node.nodeargd.argnlist[-1]]))


def _filled(template: str, count: int) -> Callable[[Any, Any], str]:
    """pylatexenc's text of a command of `count` arguments, each read as LaTeX and put in `template`
    ('{0}/{1}'); '' when one is missing ('\\frac' alone showed '/', and '\\url' '%s', of which
    pylatexenc warned with no file or line: a hostile-input review; '\\url' is _argument_text's)."""

    def text(node: Any, l2tobj: Any) -> str:
        given = list(node.nodeargd.argnlist) if node.nodeargd is not None else []
        if len(given) < count or any(argument is None for argument in given[-count:]):
            return ""
        return template.format(*(str(l2tobj.nodelist_to_text([argument])) for argument in given[-count:]))

    return text


_KEEP_ARGUMENT = ("textsf", "texttt", "textup", "textmd", "mbox")
_NAMED_SIGNS = {
    "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "XeTeX": "XeTeX", "LuaTeX": "LuaTeX", "AmS": "AMS",
    "SS": "SS", "textquotedbl": '"', "textunderscore": "_", "textbar": "|", "textless": "<",
    "textgreater": ">", "colon": ":", "ldotp": ".", "argmax": "arg max", "argmin": "arg min",
    "LaTeXe": "LaTeX2" + unicodedata.lookup("GREEK SMALL LETTER EPSILON"),
    **{name: unicodedata.lookup(character) for name, character in {
        "S": "SECTION SIGN", "P": "PILCROW SIGN", "pounds": "POUND SIGN", "euro": "EURO SIGN",
        "varGamma": "GREEK CAPITAL LETTER GAMMA", "varDelta": "GREEK CAPITAL LETTER DELTA",
        "varTheta": "GREEK CAPITAL LETTER THETA", "varLambda": "GREEK CAPITAL LETTER LAMDA",
        "varXi": "GREEK CAPITAL LETTER XI", "varPi": "GREEK CAPITAL LETTER PI",
        "varSigma": "GREEK CAPITAL LETTER SIGMA", "varUpsilon": "GREEK CAPITAL LETTER UPSILON",
        "varPhi": "GREEK CAPITAL LETTER PHI", "varPsi": "GREEK CAPITAL LETTER PSI",
        "varOmega": "GREEK CAPITAL LETTER OMEGA", "imath": "LATIN SMALL LETTER DOTLESS I",
        "jmath": "LATIN SMALL LETTER DOTLESS J", "gets": "LEFTWARDS ARROW", "neg": "NOT SIGN",
        "land": "LOGICAL AND", "lor": "LOGICAL OR", "bot": "UP TACK", "ddagger": "DOUBLE DAGGER",
        "Re": "BLACK-LETTER CAPITAL R", "Im": "BLACK-LETTER CAPITAL I",
        "triangle": "WHITE UP-POINTING TRIANGLE", "Box": "WHITE SQUARE", "checkmark": "CHECK MARK",
        "coloneqq": "COLON EQUALS", "cdotp": "MIDDLE DOT",
    }.items()},
}  # fmt: skip
_SHOWN = latex2text.get_default_latex_context_db()
_SHOWN.add_context_category(
    "surveysite",
    prepend=True,
    macros=[
        latex2text.MacroTextSpec("url", _argument_text),
        latex2text.MacroTextSpec("href", _filled("{1}", 2)),
        latex2text.MacroTextSpec("frac", _filled("{0}/{1}", 2)),
        *(latex2text.MacroTextSpec(name, simplify_repl=name + _SPACE_AFTER) for name in _OPERATORS),
        # A relation parted from what it relates (TeX drops the space after its name: 'T ≥45').
        *(latex2text.MacroTextSpec(name, simplify_repl=f" {sign} ") for name, sign in _RELATIONS.items()),
        # The commands a survey may allow (tex_commands), as their packages print them.
        *(
            latex2text.MacroTextSpec(name, simplify_repl=_package_text)
            for name in texpackages.made_from_arguments()
        ),
        *(latex2text.MacroTextSpec(name, _argument_text) for name in texpackages.text_arguments()),
        *(latex2text.MacroTextSpec(name, simplify_repl=text) for name, text in texpackages.symbols().items()),
        # Commands every survey's fields may hold (bibliography._TEX_WORDS) that pylatexenc shows as
        # nothing: a maintainer's trial read 'Plain word' for 'Plain \\texttt{code} word' and 'Command
        # and' for 'Command \\LaTeX{} and \\TeX'. (A test holds every allowed command to its text.)
        *(latex2text.MacroTextSpec(name, discard=False) for name in _KEEP_ARGUMENT),
        *(latex2text.MacroTextSpec(name, simplify_repl=text) for name, text in _NAMED_SIGNS.items()),
    ],
)
_DECODER = latex2text.LatexNodes2Text(latex_context=_SHOWN, math_mode="text", strict_latex_spaces=True)
_OPERATOR_END = re.compile(f"{_SPACE_AFTER}(?=([^\\W_]))?")  # a letter or digit next


_BRACES_ONLY = re.compile(r"[^\\$~`'%&#^_]*")  # nothing LaTeX could read but braces
_BRACED_WORD = re.compile(r"\{([^{}]*)\}")
_MATH = re.compile(r"\$[^$]*\$|\\\((?:[^$\\]|\\[^)])*\\\)")  # inline math, '$...$' or '\\(...\\)' (a trial's)
_BRACE = re.compile(r"[{}]")


@lru_cache(maxsize=65_536)
def decode_latex(text: str) -> str:
    """LaTeX to plain Unicode text; text with no LaTeX in it is returned at once."""
    if _LATEX_MARK.search(text) is None:
        return text
    plain = _unbraced(text)  # e.g. "The {GAN} Zoo": drop the braces
    if plain is not None:
        return " ".join(plain.split())
    try:
        decoded = _with_math(text)
        if decoded is None:
            decoded = _text_of(text)
    except Exception:  # pylatexenc may fail on odd input (in math too); showing the raw text is then right
        decoded = text.replace("{", "").replace("}", "")
    # LaTeX can spell any character (\char0): keep only what a page and a feed can carry.
    return " ".join(FORBIDDEN_CHARACTERS.sub("\ufffd", decoded).split())


def _unbraced(text: str) -> str | None:
    """Text whose only LaTeX is balanced braces, without them; None for any other text."""
    if "--" in text or not _BRACES_ONLY.fullmatch(text):
        return None
    plain = text
    while (stripped := _BRACED_WORD.sub(r"\1", plain)) != plain:
        plain = stripped
    return plain if "{" not in plain and "}" not in plain else None  # unbalanced: pylatexenc's


def _with_math(text: str) -> str | None:
    """A title of plain text and braces around inline math ("with $O(\\sqrt{T})$ Regret"): the text
    unbraced and each formula decoded by pylatexenc alone, which is what it gives for the whole, and
    formulas recur; None for any other text."""
    if "$$" in text or "%" in text or "\\$" in text:
        return None
    pieces, formulas = _MATH.split(text), _MATH.findall(text)
    if not formulas or not all(_balanced(formula) for formula in formulas):
        return None
    outside = [_unbraced(piece) if piece else "" for piece in pieces]
    if None in outside:
        return None
    decoded = [_formula(formula) for formula in formulas]
    return "".join(f"{piece}{formula}" for piece, formula in zip(outside, [*decoded, ""], strict=True))


def _balanced(formula: str) -> bool:
    depth = 0
    for brace in _BRACE.findall(formula):
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return False
    return depth == 0


@lru_cache(maxsize=4_096)
def _formula(formula: str) -> str:
    return _text_of(formula)


# Two accents on one letter with no braces between them ('Nguy{\\~\\^e}n', which BibTeX and LaTeX read as
# the outer over the inner's letter): pylatexenc gave the outer nothing to stand on, and both marks went
# on the letter before ('Nguŷ̃en', a maintainer's trial). The inner accent and its letter are braced.
_STACKED = re.compile(r"\\([`'^\"~=.])\s*(\\[`'^\"~=.]\s*(?:\{[^{}]*\}|[A-Za-z]|\\[ij](?![A-Za-z])))")


# A raised or lowered run of digits and signs, in math ('$O(n^2)$', 'H$_2$O') or by \textsuperscript and
# \textsubscript, as the characters Unicode has for them: a maintainer's trial read 'H_2O' and 'O(n2)'
# in every format. (Anything else raised or lowered, '$x_i$', '5\textsuperscript{th}', is left as it was.)
_SUPERSCRIPT, _SUBSCRIPT = texpackages.RAISED, texpackages.LOWERED
_SHIFTABLE = r"[0-9+=()-]+"
_SHIFTED_IN_MATH = re.compile(rf"([_^])[ \t]*(?:\{{[ \t]*({_SHIFTABLE})[ \t]*\}}|([0-9]))")
_SHIFTED_TEXT = re.compile(rf"\\text(super|sub)script[ \t]*\{{[ \t]*({_SHIFTABLE})[ \t]*\}}")
# A raised or lowered expression that Unicode has no characters for ('C_{1-x}'): in parentheses, which
# the braces were (a maintainer's trial read 'C_1-x'); and a degree sign written as a raised circle.
# (An expression: a sign, comma or relation within, not a space alone, '\\rm max'; not one in parentheses
# already: a review read 'x_ ≤ 5' for '$x_{\\le 5}$'. The lookahead keeps the search linear: a review's
# unclosed group took 20 s.)
_RELATION_COMMAND = "|".join(sorted(_RELATIONS, key=len, reverse=True))
_GROUPED_IN_MATH = re.compile(
    rf"([_^])[ \t]*\{{(?=[^{{}}]*(?:[-+=,/<>]|\\(?:{_RELATION_COMMAND})(?![A-Za-z])))"
    r"(?![ \t]*\([^{}]*\)[ \t]*\})([^{}]*)\}"
)
_RELATION_SIGNS = "".join(sorted(set(_RELATIONS.values())))
_RELATION_IN_GROUP = re.compile(rf"(?<=\() (?=[{_RELATION_SIGNS}])|(?<=[{_RELATION_SIGNS}]) (?=\))")
_DEGREE_IN_MATH = re.compile(r"\^[ \t]*(?:\\circ(?![A-Za-z])|\{[ \t]*\\circ[ \t]*\})")


def _in_math(formula: str, shift: Callable[[re.Match[str]], str]) -> str:
    """A formula with its raised or lowered runs written as _shifted writes them, a raised circle as a
    degree sign, and a raised or lowered expression in parentheses (see _GROUPED_IN_MATH)."""
    formula = _DEGREE_IN_MATH.sub("°", formula)
    formula = _SHIFTED_IN_MATH.sub(shift, formula)
    return _GROUPED_IN_MATH.sub(lambda found: f"{found.group(1)}({found.group(2).strip()})", formula)


def _shifted(latex: str) -> str:
    """The LaTeX with each raised or lowered run of digits and signs written in Unicode's characters."""

    def in_math(found: re.Match[str]) -> str:
        run = found.group(2) or found.group(3)
        return run.translate(_SUPERSCRIPT if found.group(1) == "^" else _SUBSCRIPT)

    if ("$" in latex or "\\(" in latex) and ("_" in latex or "^" in latex):
        latex = _MATH.sub(lambda formula: _in_math(formula.group(0), in_math), latex)
    if "\\text" in latex:
        latex = _SHIFTED_TEXT.sub(
            lambda found: found.group(2).translate(_SUPERSCRIPT if found.group(1) == "super" else _SUBSCRIPT),
            latex,
        )
    return latex


def _text_of(latex: str) -> str:
    """pylatexenc's plain text of some LaTeX, with the macros above; an operator keeps a space before a
    word or number ("log n"), none before anything else ("log(n)")."""
    if "\\" in latex:
        latex = _STACKED.sub(r"\\\1{\2}", latex)
    latex = _shifted(latex)
    if "%" in latex:  # a '%' written for itself, not a comment's start (check tells to write '\\%')
        latex = UNESCAPED_PERCENT.sub(lambda found: found.group()[:-1] + "\\%", latex)
    text = str(_DECODER.latex_to_text(latex, latex_context=_PARSED))
    if "\\" in latex and "(" in text:  # a relation that opens or ends a group: 'x_(≤ 5)', not 'x_( ≤ 5)'
        text = _RELATION_IN_GROUP.sub("", text)
    return _OPERATOR_END.sub(_operator_end, text) if _SPACE_AFTER in text else text


_RAISED_OR_LOWERED = frozenset(texpackages.RAISED_CHARACTERS + texpackages.LOWERED_CHARACTERS)


def _operator_end(found: re.Match[str]) -> str:
    """A space after an operator before a word or number ('log n'); none before its raised or lowered
    digits ('log₂ n': a review read 'log ₂ n'), nor before anything else ('log(n)')."""
    after = found.group(1)
    return " " if after and after not in _RAISED_OR_LOWERED else ""


# Letters that carry no accent to take off, and the plain letters readers type for them; the
# matrix's filter (matrix.js, LETTERS) has the lower-case ones, which a test holds alike.
_PLAIN = str.maketrans({"\u0131": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                        "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŋ": "ng", "Ŋ": "Ng",
                        "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th",
                        "Þ": "Th"})  # fmt: skip


@lru_cache(maxsize=65_536)  # surnames recur across studies
def plain_letters(text: str) -> str:
    """The text as typed on a keyboard without accents: 'Erdős' as 'Erdos', 'Łukasz Strømberg'
    as 'Lukasz Stromberg', a dotless i as i (as the matrix's filter folds them, in matrix.js, which
    takes off only the marks of U+0300-U+036F: the others belong to scripts without Latin letters)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN))
    return unicodedata.normalize("NFC", _ACCENTS.sub("", decomposed))


_ACCENTS = re.compile("[\u0300-\u036f]")  # the combining marks of Latin, Greek and Cyrillic letters


def person_names(authors: str) -> tuple[str, ...]:
    """Split a BibTeX author list into display names 'First von Last, Jr.'."""
    return names_and_families(authors)[0]


def names_and_families(authors: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """person_names and family_names of one author list, which is split once."""
    return _names_families_more(authors)[:2]


def _names_families_more(authors: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """The display names and family parts of one author list, and whether it ends with 'and others'
    (more authors than it names, which a citation shows as 'et al.'). That closing 'others' is no name:
    it is left out of both (as BibTeX's styles tell it: the last name is the word 'others' itself)."""
    names = split_names(authors)
    more = bool(names) and names[-1] == OTHERS
    shown = [_display_name(raw) for raw in (names[:-1] if more else names)]
    return tuple(name for name, _ in shown), tuple(family for _, family in shown), more


def family_names(authors: str) -> tuple[str, ...]:
    """Each name's family part (its 'von' and last parts) as its display name ends with it, where that
    is not its last word (with a 'Jr.' part after it): "van der Berg, Anna" and a braced "{Le Bras},
    Ronan" give "van der Berg" and "Le Bras", which splitting the display name at its last space would
    not; '' for nearly every name, whose last word it is (or when the name could not be read). Kept
    with every reference, so kept small: see views.surnames_indexed and capture.ris_name."""
    return names_and_families(authors)[1]


@lru_cache(maxsize=65_536)
def _display_name(raw: str) -> tuple[str, str]:
    """One BibTeX name as shown, and its family part (see family_names); kept, as the same authors
    recur across entries."""
    try:
        parts = name_parts(raw)
        shown = " ".join(parts.first + parts.von + parts.last)
        family = " ".join(parts.von + parts.last)  # 'van der Berg': as BibTeX and reference managers
        if parts.jr:
            shown += ", " + " ".join(parts.jr)
            family += ", " + " ".join(parts.jr)
    except InvalidNameError:
        return decode_latex(raw), ""
    name, family = decode_latex(shown), decode_latex(family)
    if not name.isascii() and parts.first and not parts.jr and "," in raw:  # a Chinese, Japanese or
        # Korean name written 'Family, Given': family name first, and no space ('王, 小明' was shown
        # '小明 王': a maintainer's trial). (Written '王 小明', in its own order, it is shown as written.)
        given = decode_latex(" ".join(parts.first))
        if EAST_ASIAN.fullmatch(given) and EAST_ASIAN.fullmatch(family):
            return family + given, family
    head, comma, tail = name.partition(", ")
    last = head.rpartition(" ")[2]
    return name, "" if family == f"{last}{comma}{tail}" else family  # '': the last word's, as is usual


def venue(record: BibRecord) -> str:
    """Where the study appeared, for display: a thesis's school, a report's institution (a maintainer's
    trial found both shown nowhere but in the BibTeX)."""
    names = _VENUE_FIELDS.get(record.entry_type)
    for name in names or _VENUE_FIELDS[""]:
        value = record.get(name)
        if name == "howpublished" and value and howpublished_address(value):
            continue  # (an address, linked as the url: a trial's was shown as the venue, not a link)
        if (
            not names
            and value
            and record.get("eprint")
            and (
                value.strip().lower() in _ARXIV_ITSELF
                or (name == "journal" and _says_its_eprint(value, record))
            )
        ):
            break  # (Zotero's publisher = {arXiv}: 'arXiv.' on the page, no id, where others said more; a
            # report's institution, even arXiv, is its institution: a review)
        if value:
            return decode_latex(value)
    if record.get("eprint"):
        return ARXIV_PREPRINT
    return ""


ARXIV_PREPRINT = "arXiv preprint"  # the venue of a study known by its preprint alone


def _says_its_eprint(journal: str, record: BibRecord) -> bool:
    """Whether a journal only says the paper is arXiv's, naming no other id than its eprint's (a review:
    one naming another was hidden)."""
    named = journal_arxiv(journal)
    return preprint_journal(journal) and (
        not named or arxiv_unversioned(named) == arxiv_unversioned(record.get("eprint") or "")
    )


_ARXIV_ITSELF = frozenset({"arxiv", "arxiv.org"})  # a venue that only says where the preprint is
_INSTITUTION = ("school", "institution", "publisher", "howpublished")  # a thesis's (biblatex's @thesis too)
_REPORT = ("institution", "publisher", "howpublished")  # a report's
_VENUE_FIELDS = {  # where each type of entry gives its venue, in order ('': any other type)
    "": ("booktitle", "journal", "journaltitle", "publisher", "howpublished", "school", "institution"),
    "phdthesis": _INSTITUTION,
    "mastersthesis": _INSTITUTION,
    "thesis": _INSTITUTION,
    "techreport": _REPORT,
    "report": _REPORT,
    "book": ("publisher", "howpublished"),  # (ADS's @BOOK gives a booktitle of all its details: a trial)
}


def make_reference(record: BibRecord) -> Reference:
    """The display form of a BibTeX record."""
    eprint = record.get("eprint")
    prefix = archive_of(record)
    authors, families, more = _names_families_more(record.get("author") or "")
    return Reference(
        key=record.key,
        entry_type=record.entry_type,
        title=decode_latex(record.get("title") or ""),
        authors=authors,
        families=families,
        more_authors=more,
        year=int(record.get("year") or 0),
        venue=venue(record),
        doi=record.get("doi"),
        arxiv=eprint if eprint and prefix == "arxiv" else None,
        url=record.get("url") or howpublished_address(record.get("howpublished") or "") or None,
        bibtex=record.bibtex,
        details=tuple((name, _detail(value)) for name, value in record.fields if name in DETAILS),
        entry=entry_digest(record.bibtex),
    )


DETAILS = frozenset({"volume", "number", "pages", "publisher", "month", "type"})  # see Reference.details
_PLAIN_DETAIL = re.compile(r"[\w.]+(?:\s*-{1,3}\s*[\w.]+)?")  # '80', '1525--1573', 'e12-40': no LaTeX


def _detail(value: str) -> str:
    """A citation detail decoded, a plain one as it is: nearly every volume, number and page range
    (LaTeX decoding takes a range's '--' for a dash, at 60 µs a value that no cache saves)."""
    return value if _PLAIN_DETAIL.fullmatch(value) else decode_latex(value)


def same_address(url: str, links: tuple[tuple[str, str], ...]) -> bool:
    """Whether a study's url is one of its links already (its DOI's or arXiv page, as given or as the
    PDF), whatever its scheme or a last slash."""

    if any(url == address for _, address in links):  # (most often: a copy of the DOI or arXiv address)
        return True
    shown = {_bare(address) for _, address in links}
    return _bare(url) in shown


def address_host(address: str) -> str:
    """An address's host as same_address reads it: two addresses it takes for one have the same."""
    return _unschemed(address).partition("/")[0]


def _unschemed(address: str) -> str:
    """An address without its scheme, 'www.' or 'dx.', in lower case."""
    return address.split("://", 1)[-1].lower().removeprefix("www.").removeprefix("dx.")


def _bare(address: str) -> str:
    """An address as same_address compares it: no scheme, 'www.' or 'dx.', last slash or '.pdf', an
    arXiv page for its PDF and without a version, in lower case (DOIs and arXiv ids ignore case)."""
    bare = _unschemed(address)
    bare = bare.rstrip("/").removesuffix(".pdf").replace("arxiv.org/pdf/", "arxiv.org/abs/")
    return re.sub(r"(arxiv\.org/abs/.+)v\d+$", r"\1", bare)
