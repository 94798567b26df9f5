"""Stage 1: load the BibTeX library from bib/*.bib into plain records with their locations."""

from __future__ import annotations

import logging
import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol

from bibtexparser import model
from bibtexparser.entrypoint import parse_string, write_string
from bibtexparser.library import Library
from bibtexparser.middlewares.middleware import Middleware
from bibtexparser.middlewares.parsestack import default_unparse_stack
from bibtexparser.writer import BibtexFormat

from . import texpackages
from .bibblock import Field, Outside, read_entries
from .bibstyle import OTHERS, normalized, split_names
from .cache import Memo, digest
from .files import (
    HTML_TAG,
    INVISIBLE_CHARACTERS,
    folder_entries,
    invisible_problem,
    read_text_and_bytes,
    shown_path,
    unread_entry,
)
from .journals import aas_journal
from .model import Packed, pack_fields, shared
from .problems import Location, Problems, closest, suggested
from .rendered import is_web_url
from .resources import editors_file

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


REQUIRED_FIELDS = ("author", "title", "year")
# What a paper takes from the volume it names when it has not its own (as BibTeX would), the volume's
# title as its booktitle: its identifiers (a DOI, an ISBN, an address) are the volume's, not the paper's.
INHERITED_FROM_VOLUME = (
    "booktitle",
    "year",
    "month",
    "publisher",
    "address",
    "editor",
    "series",
    "volume",
    "organization",
)
_BRACES_OUT = str.maketrans("", "", "{}")  # what a field holds besides its braces
FORBIDDEN_FIELDS = ("abstract",)
# Fields a reference manager writes of its own user, which an entry copied from its export holds and
# every download would publish: where the PDF is on their computer, who filed it, their notes.
_ON_YOUR_COMPUTER = "names a file on your computer (a reference manager's link to its copy)"
_YOURS = "holds your reference manager's notes or groups"
PRIVATE_FIELDS = {
    "file": _ON_YOUR_COMPUTER, "pdf": _ON_YOUR_COMPUTER, "local-url": _ON_YOUR_COMPUTER,
    "owner": "names who filed the entry in a reference manager",
    "annote": _YOURS, "annotation": _YOURS, "mendeley-groups": _YOURS, "mendeley-tags": _YOURS,
}  # fmt: skip
# Fields a reference manager adds of its own (when its user read or filed the entry, their tags and
# ratings), which the site keeps when given but `new --strip` leaves out with the abstract and the
# fields above (a contributor's trial found a Zotero export's 'keywords = {to-read, /unread}' and
# 'urldate' in the downloads), and those a bibliographic site adds about its own record (DBLP's
# 'biburl' and 'bibsource': a maintainer's trial found them kept).
MANAGER_FIELDS = frozenset({
    "keywords", "urldate", "timestamp", "groups", "ranking", "readstatus", "priority", "qualityassured",
    "printed", "relevance", "date-added", "date-modified", "mendeley-tags", "mendeley-groups",
    "biburl", "bibsource", "adsurl", "adsnote", "arxivid",
})  # fmt: skip
# ('arxivid' is Mendeley's copy of the arXiv id: `new --strip` writes it as eprint when there is none.)
MAX_FIELD_CHARS = 5_000
MAX_FILE_BYTES = 20_000_000
# The most '@' one .bib file may hold, each the start of an entry (or another block, or an '@' in a
# value): while bibtexparser parses, it keeps each broken block with its parser's state, about 3 KB (a
# hostile-input review: 700,000 entries never closed, 19 MB, took `check` 7.5 GB). A survey's file
# within MAX_FILE_BYTES holds a few tens of thousands of entries.
MAX_FILE_BLOCKS = 100_000
FIELD_ORDER = (
    "author", "title", "booktitle", "journal", "volume", "number", "pages", "publisher",
    "year", "month", "doi", "eprint", "archiveprefix", "primaryclass", "url", "note",
)  # fmt: skip

_BRACES = re.compile(r"(?<!\\)[{}]")  # an escaped \{ or \} does not count
_NOT_BRACE = re.compile(r"[^{}]+")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# What BibTeX's styles print of each month's macro (the pages' and the captures' names of a month too).
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip

# Every parsing fault becomes a located problem below; bibtexparser's own log lines would only
# repeat them without the file name.
_LOG = logging.getLogger("bibtexparser")
_LOG.addHandler(logging.NullHandler())
_LOG.propagate = False

_FORMAT = BibtexFormat()
_FORMAT.indent = "  "
_FORMAT.value_column = "auto"
_FORMAT.block_separator = "\n"


@dataclass(frozen=True)
class BibRecord(Packed):
    """One BibTeX entry as plain data: raw field values (LaTeX not yet decoded)."""

    key: str
    entry_type: str
    fields: tuple[tuple[str, str], ...]
    location: Location
    bibtex: str

    def get(self, name: str) -> str | None:
        """The raw value of a field (name case-insensitive), or None."""
        for field_name, value in self.fields:
            if field_name == name:
                return value
        return None


# A record read back (kept with its part of a .bib file, see loading) makes its fields only when one is
# read: a run after a study file's edit reads them only where the survey's rules check an entry.
pack_fields(BibRecord, ("key", "entry_type", "location", "bibtex"))


# What an identifier must look like (see identifier_fault).
DOI = re.compile(r"^10\.[0-9]{4,9}/[^\s\"<>{}\\]+$")  # [0-9]: \d takes any script's digits
# A '.' or '..' part, written plainly or percent-encoded ('%2e%2e', which a browser reads as '..'):
# https://doi.org/10.1000/../x is doi.org/x.
_DOI_STEP = re.compile(r"/(?:\.|%2e){1,2}(?=/|$)", re.IGNORECASE)
# (The year and month of an id are a month that can be: a trial's '2599.01234' was taken. New ids
# began in April 2007; the old ones ran from 1991 to March 2007.)
_MONTH = "(?:0[1-9]|1[0-2])"
ARXIV_ID = re.compile(
    rf"^(?:(?:0[7-9]|[1-9][0-9]){_MONTH}\.[0-9]{{4,5}}|[a-z-]+(?:\.[A-Z]{{2}})?/(?:9[1-9]|0[0-7]){_MONTH}[0-9]{{3}})"
    r"(?:v[0-9]+)?$"
)
# A DOI or arXiv id inside a value given as its address ('https://doi.org/10...', 'arXiv:YYMM.NNNNN').
_WITHIN_DOI = re.compile(r"10\.[0-9]{4,9}/[^\s\"<>{}\\?#]+")  # (an address's query is not the DOI's)
# An address of arXiv's from its start, its host arXiv's (not 'notarxiv.org', nor a mirror's path that
# holds 'arxiv.org/abs/': a hostile-input review), or 'arXiv:' first; what follows a '?' or '#' to its
# end, line breaks too (else each 'arxiv.org/abs/' of a value was a start to try again: a review's
# 112 KB url took 47 s).
_WITHIN_ARXIV = re.compile(
    r"(?:^(?:(?:https?:)?//)?(?:[a-z0-9-]+\.)*arxiv\.org/(?:abs|pdf|html)/|^arxiv:)([^?#\s]+?)(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE | re.DOTALL,
)


def arxiv_within(value: str) -> str:
    """The arXiv id a value holds as an address of arXiv's ('https://arxiv.org/abs/ID', a PDF's, an
    HTML page's, a query or fragment after it) or after 'arXiv:', '' when it holds none."""
    found = _WITHIN_ARXIV.search(value.strip())
    return found.group(1) if found and ARXIV_ID.match(found.group(1)) else ""


IDENTIFIERS = frozenset({"doi", "eprint", "url"})

# The TeX commands a BibTeX field may hold. The downloads republish every entry, and TeX runs what a
# field holds where they are compiled: '\\input{/etc/passwd}' prints a file of the reader's machine
# into the document, '\\write18' runs a program, and TeX, LaTeX and their packages have many more
# ('\\begin{input}', '\\lstinputlisting', '\\pdffiledump', '\\csname' building any name; a style's
# lowercasing turns '\\INPUT' into '\\input'), which a review got past a list of refused ones. So the
# commands a reference uses are the ones let through: accents and letters, fonts and symbols of text,
# and math. (A control symbol, '\\&' or "\\'", is a character: all pass. '^^5c' is TeX's own
# spelling of a backslash: refused.)
_TEX_WORDS = """
    c d b t u v H r k i j o O l L ss SS ae AE oe OE aa AA dh DH th TH ng NG dj DJ
    emph textit textbf textsc textrm textsf texttt textup textsl textmd textnormal textsuperscript
    textsubscript mbox relax protect noopsort url nolinkurl doi ensuremath text
    textendash textemdash textquoteleft textquoteright textquotedblleft textquotedblright textquotedbl
    textquotesingle textasciitilde textasciicircum textbackslash textunderscore textbar textless
    textgreater textregistered texttrademark textcopyright textdegree textperiodcentered textbullet
    textellipsis textsection textdagger textdaggerdbl dots ldots cdots LaTeX TeX BibTeX LaTeXe XeTeX
    LuaTeX AmS S P pounds euro textpm texttimes textdiv textmu textcelsius
    em it bf sc rm tt sf sl normalfont upshape itshape bfseries scshape mdseries rmfamily sffamily
    ttfamily quad qquad space nobreakspace allowbreak thinspace enspace
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa lambda mu nu
    xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta
    Lambda Xi Pi Sigma Upsilon Phi Psi Omega varGamma varDelta varTheta varLambda varXi varPi varSigma
    varUpsilon varPhi varPsi varOmega
    mathcal mathbb mathbf mathrm mathit mathsf mathtt mathfrak mathscr boldsymbol bm operatorname
    frac dfrac tfrac sqrt sum prod int oint lim log ln exp sin cos tan sinh cosh tanh arcsin arccos
    arctan max min arg argmax argmin sup inf det dim ker Pr
    le leq ge geq neq ne approx sim simeq cong equiv propto in ni notin subset subseteq supset supseteq
    cup cap setminus times cdot ast star circ bullet oplus otimes odot pm mp div to gets rightarrow
    leftarrow Rightarrow Leftarrow leftrightarrow Leftrightarrow longrightarrow longleftarrow mapsto
    uparrow downarrow infty partial nabla forall exists nexists neg lnot land lor wedge vee ell hbar
    imath jmath prime emptyset varnothing top bot perp parallel mid nmid langle rangle lfloor rfloor
    lceil rceil lvert rvert lVert rVert vert Vert left right middle big Big bigg Bigg bigl bigr Bigl
    Bigr hat bar tilde vec dot ddot breve check acute grave widehat widetilde overline underline
    overrightarrow mathring not colon ldotp cdotp vdots ddots ll gg prec succ preceq succeq triangleq
    coloneqq leqslant geqslant lesssim gtrsim dagger ddagger aleph Re Im wp angle triangle square Box
    diamond checkmark textstyle displaystyle scriptstyle limits nolimits overset underset stackrel
    binom choose mathop mathrel mathbin
"""
_TEX_ALLOWED = frozenset([*_TEX_WORDS.split(), ""])  # ('': a control symbol's, see refused_tex)
# A control word, a control symbol (a backslash and the one character after it: two backslashes then
# 'input' are a line break and the word 'input'), or '^^'.
_TEX_COMMAND = re.compile(r"\\(?:([A-Za-z]+)|.)|\^\^", re.DOTALL)


_CHECKED_VALUES = frozenset({"month", "crossref"})
_NUMBER = re.compile("[0-9]+")  # (not str.isdigit: '\u00b2' is a digit to it, and no number to int)


def _checked_value(name: str, value: str, key: str) -> str | None:
    """What is wrong with a month that is a number but no month's, or an entry's cross-reference to
    itself (BibTeX then looks for its missing fields in the entry that misses them); None if nothing."""
    plain = value.strip().strip("{}").strip()
    if name == "month" and _NUMBER.fullmatch(plain) and (len(plain) > 2 or not 1 <= int(plain) <= 12):
        # (len first: int() refuses a number of more than 4,300 digits, with a traceback)
        shown = plain if len(plain) <= 12 else plain[:9] + "..."
        return f"is {shown}, which is no month; write 1 to 12, or a month's macro, jan to dec"
    if name == "crossref" and plain.lower() == key.lower():
        return f"names the entry it is in, '{plain}'; name the entry this one takes its fields from"
    return None


def tex_allowed(own: frozenset[str] = frozenset()) -> frozenset[str]:
    """The TeX commands a BibTeX field may hold: _TEX_ALLOWED, and the survey's own (survey.yaml's
    tex_commands, each of _TEX_OPTIONAL: see tex_command_fault)."""
    return _TEX_ALLOWED | own if own else _TEX_ALLOWED


def tex_key(own: frozenset[str]) -> str:
    """The survey's own TeX commands as a part of a key in the Memo: a check kept for other commands
    is not reused (it may have refused a command allowed now, or passed one no longer)."""
    return " ".join(sorted(own))


TEX_NAME = re.compile("[A-Za-z]+")  # a control word's name (TeX's letters: no '@', no digit)
# The commands a survey may allow besides _TEX_ALLOWED (survey.yaml's tex_commands): each only sets text
# or a formula, from its argument, in a package a reference may need (mhchem's and chemformula's
# formulas, siunitx's quantities and its units, tipa's phonetics, textgreek's and textcomp's symbols,
# listed with how each reads as text in texpackages; not siunitx's \\day, which is also TeX's own
# register of the day, set by '\\day 5').
# A list of names refused instead (those that read or write files, run programs, define commands or
# change how TeX reads) was got past by a review: '\\ExplSyntaxOn', after which the check reads the
# name '\\exp_args:Nc' as '\\exp'; hyperref's '\\href{run:...}', which launches a program.
_TEX_OPTIONAL = texpackages.names()


def tex_command_fault(name: str) -> str | None:
    """Why a survey may not allow the TeX command `name` (tex_commands), None if it may: it must be
    one of _TEX_OPTIONAL (or one every survey's fields may hold already)."""
    if name in _TEX_OPTIONAL or name in _TEX_ALLOWED:
        return None
    return (
        "is not among the commands a survey may allow, which only set text or a formula from their "
        "argument (mhchem's ce, chemformula's ch, siunitx's SI, si, num, qty, unit and its units, "
        "tipa's textipa, textgreek's and textcomp's symbols): the downloads carry every entry to readers "
        "who compile them, and other commands can read files, run programs or change how TeX reads "
        "what follows; write the text without it"
    )


def refused_tex(value: str, allowed: frozenset[str] = _TEX_ALLOWED) -> re.Match[str] | None:
    """The first TeX command of a value not of `allowed` (see tex_allowed), or '^^', None if none. (Its
    names found at once first, as nearly every value has only allowed ones: a quarter of the synthetic
    survey's author lists hold accents, and a command at a time took 44 ms of their 10,000, all at once
    18 ms.)"""
    # (Without '^^', each command's name, or '' for a control symbol, which _TEX_ALLOWED holds.)
    if "^^" not in value and allowed.issuperset(_TEX_COMMAND.findall(value)):
        return None
    for command in _TEX_COMMAND.finditer(value):
        name = command.group(1)
        if (name is not None and name not in allowed) or command.group() == "^^":
            return command
    return None


# A '%' that is no '\\%' (after an even run of backslashes), outside the argument of a \\url, \\nolinkurl
# or \\doi, which their packages read as written.
UNESCAPED_PERCENT = re.compile(r"(?<!\\)(?:\\\\)*%")
_ADDRESS_ARGUMENT = re.compile(r"\\(?:url|nolinkurl|doi)\s*\{[^{}]*\}")


def unescaped_percent(value: str) -> int | None:
    """Where a value holds a '%' that LaTeX would read as a comment's start, or None."""
    if "\\url" in value or "\\doi" in value or "\\nolinkurl" in value:
        value = _ADDRESS_ARGUMENT.sub(lambda found: " " * len(found.group()), value)
    found = UNESCAPED_PERCENT.search(value)
    return None if found is None else found.end() - 1


def tex_problem(command: str) -> str:
    """What is wrong with a value holding `command`, which refused_tex found."""
    if command == "^^":
        return (
            "holds '^^', which TeX reads with the characters after it as another character (a backslash, "
            "say); delete it"
        )
    name = command.removeprefix("\\")
    own = (
        f", or, if your survey's references need it, add '{name}' to tex_commands in content/survey.yaml"
        if name in _TEX_OPTIONAL
        else ""
    )
    return (
        f"holds the TeX command '{command}', which the site's downloads do not carry: TeX runs what a "
        "field holds where they are compiled, and of its commands only accents, letters, fonts, symbols "
        f"and math pass (others read or write files, run programs or define commands); write the text "
        f"without it{own}"
    )


# How to mend an identifier with none of its form within it (a maintainer's trial was told only what
# was wrong): the one the paper has, looked up, or none.
_LOOK_UP = "look up the paper's own and write that, or leave the field out"


def identifier_fault(name: str, value: str) -> str | None:
    """What is wrong with a DOI, arXiv id (eprint) or URL not of its form; None when it is."""
    if name == "doi" and DOI.match(value) and (step := _DOI_STEP.search(value)):
        return (
            f"DOI '{value}' holds '{step.group().strip('/')}' as a part between slashes, which a browser "
            f"reads as a step up or aside in the DOI's address, not as the DOI; {_LOOK_UP}"
        )
    if name == "doi" and not DOI.match(value):
        found = _WITHIN_DOI.search(value)
        alone = f": write the DOI alone, {urllib.parse.unquote(found.group())}" if found else f"; {_LOOK_UP}"
        return f"DOI '{value}' is not of the form 10.NNNN/suffix{alone}"
    if name == "eprint" and not ARXIV_ID.match(value):
        within = arxiv_within(value)
        alone = f": write the id alone, {within}" if within else ""
        return (
            f"eprint '{value}' is not an arXiv id of the form YYMM.NNNNN (a year and a month)"
            f"{alone or '; ' + _LOOK_UP}"
        )
    if name == "howpublished" and _ADDRESS_ONLY.fullmatch(value.strip()) and not howpublished_address(value):
        return (
            f"howpublished '{value}' is an address no link can be made of; write the whole address, "
            "beginning https://, with no quote or angle bracket in it"
        )
    if name != "url":
        return None
    web = is_web_url(value)
    if not web and (escape := _URL_ESCAPE.search(value)) and is_web_url(plain := url_unescaped(value)):
        # (DBLP's exports write one before '_', Mendeley's around '&': an address is printed as written)
        return (
            f"url '{value}' holds '{escape.group()}', which is printed as written, backslash and all; "
            f"write '{url_unescaped(escape.group())}': {plain}"
        )
    # Several: parted by spaces (a trial's Zotero entry gave three), or by a comma or semicolon, which a
    # browser reads as one address (another trial's export; not an archive's address, which holds the one
    # it keeps after a '/': 'https://web.archive.org/web/2020/https://example.org').
    if _ANOTHER_ADDRESS.search(value) if web else len(re.findall(r"https?://", value)) > 1:
        return f"url '{value}' holds several addresses; keep one"
    if not web:
        return f"url '{value}' is not an http(s) URL; write the whole address, beginning https://"
    return None


# A second address after a comma or semicolon (see identifier_fault).
_ANOTHER_ADDRESS = re.compile(r"[,;]\s*https?://", re.IGNORECASE)


def load_bibliography(
    root: Path, bib_dir: Path, problems: Problems, memo: Memo | None = None, tex: frozenset[str] = frozenset()
) -> list[BibRecord]:
    """Read every .bib file below bib_dir; record problems and return the good entries (`tex`: the
    survey's own TeX commands, see tex_allowed)."""
    memo = Memo() if memo is None else memo
    commands = tex_key(tex)
    parsed = [
        memo.checked(
            digest("bib", shown, text, commands), problems, partial(parse_checked, text, shown, tex=tex)
        )
        for shown, text in bib_texts(root, bib_dir, problems)
    ]
    return distinct_records(parsed, problems)


def bib_texts(root: Path, bib_dir: Path, problems: Problems) -> list[tuple[str, str]]:
    """Each readable .bib file below bib_dir: its shown path and its text (problems recorded)."""
    texts = []
    for path in bib_paths(root, bib_dir, problems):
        text, _ = read_bib(root, path, problems)
        if text is not None:
            texts.append((shown_path(root, path), text))
    return texts


def read_bib(root: Path, path: Path, problems: Problems) -> tuple[str | None, bytes]:
    """A .bib file's text and bytes, as files.read_text_and_bytes reads them; its text None, with the
    problem at its line, when it holds more than MAX_FILE_BLOCKS '@' (see too_many_blocks)."""
    text, data = read_text_and_bytes(root, path, problems, MAX_FILE_BYTES)
    if text is not None and (over := too_many_blocks(text)) is not None:
        problems.add(Location(shown_path(root, path), over[0]), over[1])
        return None, data
    return text, data


def too_many_blocks(text: str) -> tuple[int, str] | None:
    """Where BibTeX text holds more '@' than MAX_FILE_BLOCKS, and what to do; None when it does not."""
    count = text.count("@")  # (2 ms for 9 MB)
    if count <= MAX_FILE_BLOCKS:
        return None
    at = -1
    for _ in range(MAX_FILE_BLOCKS + 1):
        at = text.index("@", at + 1)
    return text.count("\n", 0, at) + 1, (
        f"the file holds {count:,} '@', each the start of an entry (or an '@' in a value); one .bib file "
        f"may hold {MAX_FILE_BLOCKS:,}: move the entries from this line on to another file in bib/"
    )


def bib_paths(root: Path, bib_dir: Path, problems: Problems) -> list[Path]:
    """The .bib files below bib_dir, in order (a refused folder reported, and none); each other entry
    that may have been meant to be read, told (see files.unread_entry)."""
    paths = []
    for name, path, _ in folder_entries(root, bib_dir, problems):  # (the folder listed once)
        if name.endswith(".bib") and not editors_file(name):
            paths.append(Path(path))
        else:
            unread_entry(root, bib_dir, name, path, ".bib", problems)
    return paths


def distinct_records(parsed: list[list[BibRecord]], problems: Problems) -> list[BibRecord]:
    """The records of every file in turn, each key kept once (letter case aside); repeats reported."""
    records: list[BibRecord] = []
    seen: dict[str, Location] = {}
    for part in parsed:
        for record in part:
            first = seen.get(record.key.lower())
            if first is not None:
                problems.add(
                    record.location,
                    f"BibTeX key '{record.key}' is already used at {first}; give each entry its own key",
                )
                if first.path != record.location.path:  # which file is the newcomer's, nothing here tells
                    problems.add(
                        first,
                        f"BibTeX key '{record.key}' is used again at {record.location}; give each "
                        "entry its own key",
                    )
                continue
            seen[record.key.lower()] = record.location
            records.append(record)
    # A crossref to no entry (a maintainer's trial's was taken; BibTeX reports 'a bad cross reference').
    for record in records:  # (a field's name is lowercase in the entry as formatted)
        if "crossref" in record.bibtex and (parent := crossref_key(record)) and parent.lower() not in seen:
            problems.add(record.location, crossref_problem(record.key, parent))
    return records


def crossref_key(record: BibRecord) -> str:
    """The key an entry's crossref names ('' for none)."""
    return (record.get("crossref") or "").strip().strip("{}").strip()


def crossref_problem(key: str, parent: str) -> str:
    """What is wrong with an entry whose crossref names `parent`, which no entry in bib/ is."""
    return (
        f"entry '{key}': field 'crossref' names '{parent}', which is no entry bib/ keeps (if it is one "
        "told of here, mend it); BibTeX reports a bad cross reference where the entry is cited: else copy "
        "the fields it takes from that entry (booktitle, editor, publisher, year) into it, and delete "
        "the crossref"
    )


def paper_identities(record: BibRecord) -> list[tuple[str, str]]:
    """What tells that two entries are one paper: its DOI and arXiv id (letter case and an arXiv
    version aside) and its title (only its letters and digits, of any script, case folded, accents
    aside), each named."""
    found = []
    doi = doi_identity(record.get("doi") or "")
    if doi:
        found.append(("DOI", doi))
    eprint = arxiv_identity(record.get("eprint") or "")
    if eprint:
        found.append(("arXiv id", eprint))
    title = record.get("title") or ""
    title = _NOT_ALPHANUMERIC.sub(
        "", title.lower() if title.isascii() else unicodedata.normalize("NFKD", title).casefold()
    )
    if title:
        found.append(("title", title))
    return found


def doi_identity(doi: str) -> str:
    """A DOI as two that name one paper are the same: in lower case (DOIs ignore it)."""
    return doi.strip().lower()


def arxiv_identity(eprint: str) -> str:
    """An arXiv id as two that name one paper are the same: in lower case, without its version."""
    return arxiv_unversioned(eprint.lower())


def arxiv_unversioned(eprint: str) -> str:
    """An arXiv id without its version ('2310.12931v2' as '2310.12931')."""
    return _VERSION.sub("", eprint.strip())


_VERSION = re.compile(r"v[0-9]+$")
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)  # arXiv's own DOI of a preprint


class _Fields(Protocol):
    """What an entry's fields are read through: a BibRecord, or a dict of them by name."""

    def get(self, name: str, /) -> str | None: ...


def archive_named(record: _Fields) -> str:
    """The archive an entry names its eprint of, in lower case: its archivePrefix, or biblatex's
    eprinttype (which DBLP's and Better BibTeX's exports write); '' when it names none."""
    return (record.get("archiveprefix") or record.get("eprinttype") or "").lower()


def archive_of(record: BibRecord) -> str:
    """The archive an entry's eprint is of (see archive_named): 'arxiv' when it names none, as BibTeX
    styles read an eprint alone."""
    return archive_named(record) or "arxiv"


def arxiv_of_doi(doi: str) -> str:
    """The arXiv id arXiv's own DOI of a preprint names ('10.48550/arXiv.2310.12931': '2310.12931'), as
    written; '' for any other DOI."""
    found = _ARXIV_DOI.match(doi.strip())
    return found.group(1) if found else ""


_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")  # letters and digits of any script are kept


def check_same_papers(
    records: list[BibRecord],
    problems: Problems,
    identities: Mapping[int, list[tuple[str, str]]] | None = None,
) -> None:
    """Report each entry that is a paper an earlier entry is already (see paper_identities; `identities`:
    those already made, by the id() of their record)."""
    seen: dict[tuple[str, str], BibRecord] = {}
    made = identities or {}
    for record in records:
        found = made.get(id(record))
        for identity in paper_identities(record) if found is None else found:
            first = seen.setdefault(identity, record)
            if first is not record:
                what = identity[0]
                problems.add(
                    record.location,
                    f"entry '{record.key}' has the same {what} as '{first.key}' at {first.location}; "
                    f"a paper has one entry: keep one, or correct the {what}",
                )
                break


def parse_bibtex(
    text: str, shown: str, problems: Problems, tex: frozenset[str] = frozenset()
) -> list[BibRecord]:
    """Parse BibTeX text into records, recording every problem with its line. `tex`: the survey's own
    TeX commands (see tex_allowed)."""
    return parse_part(text, shown, 0, problems, tex=tex).records


def parse_checked(
    text: str, shown: str, problems: Problems, tex: frozenset[str] = frozenset()
) -> list[BibRecord]:
    """parse_bibtex, and each DOI, arXiv id and URL checked for its form, at its line: what a build
    takes from a .bib file parsed whole."""
    return parse_part(text, shown, 0, problems, identifiers=True, tex=tex).records


@dataclass(frozen=True)
class BibPart:
    """The records of a run of BibTeX text, every entry's key (a malformed one's too, when it can be
    read), and whether every block parsed."""

    records: list[BibRecord]
    keys: frozenset[str]
    clean: bool


def parse_part(
    text: str,
    shown: str,
    line_offset: int,
    problems: Problems,
    identifiers: bool = False,
    strings_of: str = "this file",
    left_out: list[tuple[Location, str, str, bool]] | None = None,
    tex: frozenset[str] = frozenset(),
    mended: Mended | None = None,
) -> BibPart:
    """Parse BibTeX text that starts `line_offset` lines into its file; see BibPart. `tex`: the survey's
    own TeX commands (see tex_allowed). `strings_of`:
    whose @string definitions the text's macros may use, as a problem names them. With `left_out`,
    a field the site does not keep (an abstract; a reference manager's link to its copy, notes or
    groups) is left out of its record, rather than refused, and so is a field a reference manager
    adds of its own (see MANAGER_FIELDS): each is added there with its line, its entry's key, its name
    and whether it is one the site refuses. With `mended`, what an export writes its own way is written
    as BibTeX reads it, each change added there (see mended_fields)."""
    # Each entry's record, as the quick reader or bibtexparser (for what the quick one leaves) reads it.
    record_of = partial(
        _record,
        line_offset=line_offset,
        problems=problems,
        identifiers=identifiers,
        strings_of=strings_of,
        left_out=left_out,
        allowed=tex_allowed(tex),
        mended=mended,
    )
    try:
        entries = read_entries(text)
    except Outside:
        return _parsed_part(text, shown, line_offset, problems, record_of)
    records = []
    for entry_type, key, start_line, fields in entries:
        record = record_of(key, entry_type, fields, Location(shown, start_line + 1 + line_offset))
        if record is not None:
            records.append(record)
    return BibPart(records, frozenset(key for _, key, _, _ in entries), True)


def text_lines(text: str) -> Callable[[int | None], int]:
    """The text's own line (0-based) of each line bibtexparser reports: it counts no line break that
    follows a backslash ('C:\\' ending a line), so every line after one was told a line early (a
    hostile-input review; `--skip-existing` then left out another entry than the one it named)."""
    if "\\\n" not in text:  # (nearly every text)
        return lambda reported: reported or 0
    starts = [0]  # the text's line each of bibtexparser's begins on
    for number, found in enumerate(re.finditer("\n", text), 1):
        if text[found.start() - 1 : found.start()] != "\\":
            starts.append(number)
    return lambda reported: starts[min(reported or 0, len(starts) - 1)]


def bibtex_library(text: str, parse_stack: list[Middleware] | None = None) -> Library:
    """bibtexparser's parse of the text (by its default stack, or `parse_stack`), each broken block's
    error let go of the parser's frames: its traceback holds them, and the library among their locals,
    a cycle that kept every parse with a broken block alive until the collector's next full pass (each
    part of a .bib file and the file parsed whole, at once: a hostile-input review measured 7.5 GB)."""
    library = parse_string(text, parse_stack=parse_stack)
    for failed in library.failed_blocks:
        failed.error.__traceback__ = None
    return library


class Macros(dict[str, str]):
    """A text's @string macros (see string_values), with what each joins into once worked out (see
    _joined): worked out again for each field and each part, a review's macros of thousands of empty
    parts took 45 s for one field, minutes for a file."""

    def __init__(self, macros: dict[str, str]) -> None:
        super().__init__(macros)
        self.joins: dict[tuple[str, int], str | None] = {}


def string_values(library: Library) -> Macros:
    """Each @string macro the library defines, by its name in lower case, to its value as bibtexparser
    gives it; not one redefining a month's macro, which the site refuses (see _parsed_part)."""
    return Macros(
        {
            block.key.lower(): block.value
            for block in library.strings
            if isinstance(block.value, str) and block.key.lower() not in MONTHS
        }
    )


class _RecordOf(Protocol):
    """_record with all but the entry given: its key, type, fields and place."""

    def __call__(
        self,
        key: str,
        entry_type: str,
        fields: list[Field],
        where: Location,
        strings: Mapping[str, str] = ...,
    ) -> BibRecord | None: ...


def _parsed_part(
    text: str,
    shown: str,
    line_offset: int,
    problems: Problems,
    record_of: _RecordOf,
) -> BibPart:
    """parse_part by bibtexparser, whose blocks tell every problem of the text; `record_of` makes an
    entry's record of its key, type, fields and place (see parse_part)."""
    library = bibtex_library(text)
    line = text_lines(text)  # (bibtexparser's lines, as the text's own)
    records = []
    keys = {entry.key for entry in library.entries}
    strings = string_values(library)  # (for '#' concatenations: `new --strip` writes them as one value)
    after_failure = False
    previous: model.Block = model.ImplicitComment(comment="")
    for block in library.blocks:
        where = Location(shown, line(block.start_line) + 1 + line_offset)
        if isinstance(block, model.DuplicateBlockKeyBlock):
            first = line(block.previous_block.start_line) + 1 + line_offset
            problems.add(
                where,
                f"BibTeX key '{block.key}' is already used at {shown}:{first}; give each entry its own key",
            )
        elif isinstance(block, model.DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            listed = entry.fields if isinstance(entry, model.Entry) else []
            starts: dict[str, list[int]] = {}  # each name's fields' lines (a scan for each name: quadratic)
            for field in listed:
                if field.key in block.duplicate_keys:
                    starts.setdefault(field.key, []).append(field.start_line)
            for name in sorted(block.duplicate_keys):  # each at its second line
                second = line(starts[name][1]) if len(starts.get(name, ())) > 1 else None
                at = where if second is None else Location(shown, second + 1 + line_offset)
                problems.add(at, f"field '{name}' appears twice in one entry; keep one")
            if isinstance(entry, model.Entry):  # its study file is not then also reported for a missing entry
                keys.add(entry.key)
        elif isinstance(block, model.ParsingFailedBlock):
            fault = _brace_fault(block.raw or "")
            named = _FAILED_KEY.match(block.raw or "")
            comment = _comment_line(block.raw or "")
            if named and not named.group().endswith(","):
                problems.add(
                    where, f"malformed BibTeX entry: no comma after its key '{named.group(1)}'; add one"
                )
            elif fault is None and comment is not None:  # (a '% note' line before the brace was named a key)
                problems.add(Location(shown, where.line + comment), COMMENT_IN_ENTRY)
            elif fault is None:
                problems.add(where, f"malformed BibTeX entry: {_first_line(block.error)}")
            else:
                problems.add(Location(shown, where.line + fault[0]), f"malformed BibTeX entry: {fault[1]}")
            if named:  # its study file is not then also reported for a missing entry
                keys.add(named.group(1))
        elif isinstance(block, model.ImplicitComment):
            if not after_failure:  # the rest of a broken entry is not a second problem
                entry = previous if isinstance(previous, model.Entry) else None
                cut = entry.key if entry is not None and _closed_mid_line(entry.raw or "") else ""
                _check_stray_text(block, where, problems, cut)
        elif isinstance(block, model.String) and block.key.lower() in MONTHS:
            # (A maintainer's trial imported an export's @string{jun = "June"}: every entry's month = jun,
            # of every export, then printed 'June' as written, and check told each to write month = jun.)
            problems.add(
                where,
                f"@string '{block.key}' redefines '{block.key.lower()}', which BibTeX styles print as the "
                "month's name, each in its own form, for every entry of bib/; delete it",
            )
        elif isinstance(block, model.Entry):
            enclosing = block.parser_metadata.get("removed_enclosing", {})
            fields = [
                (
                    field.key,
                    field.value if isinstance(field.value, str) else str(field.value),
                    line(field.start_line),
                    enclosing.get(field.key),
                )
                for field in block.fields
            ]
            record = record_of(block.key, block.entry_type, fields, where, strings=strings)
            if record is not None:
                records.append(record)
        after_failure = type(block) is model.ParsingFailedBlock
        previous = block
    return BibPart(records, frozenset(keys), not library.failed_blocks)


# The key of an entry that failed, followed by its comma or, where the comma is what is missing, by the
# line's end: either way its study file is not also told that it has no entry.
_FAILED_KEY = re.compile(r"\s*@\s*[A-Za-z]+\s*[{(]\s*([^,\s{}()=]+)[ \t]*(?:,|\r?\n)")


def _first_line(error: Exception) -> str:
    text = str(getattr(error, "abort_reason", "") or error).strip() or type(error).__name__
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    detail = (lines[-1] if lines else text).rstrip(".")
    return f"{detail}; check braces, quotes and the commas between fields"


def _check_stray_text(
    block: model.ImplicitComment, where: Location, problems: Problems, cut: str = ""
) -> None:
    """Text between entries that is not a comment; `cut`: the key of the entry before it, if that
    ended on a line of its own fields (an extra '}' in a value ends an entry there)."""
    for offset, line in enumerate(block.comment.splitlines()):
        stripped = line.strip()
        if stripped and not stripped.startswith("%"):
            snippet = stripped if len(stripped) <= 40 else stripped[:37] + "..."
            fields_left = cut and offset == 0 and ("=" in stripped or stripped[0] in ",}")
            why = (
                f"; an extra '}}' in a field of entry '{cut}' above may have ended it early: count its braces"
                if fields_left
                else "; remove it, or start comment lines with %"
            )
            problems.add(
                Location(where.path, where.line + offset), f"text outside any entry: '{snippet}'{why}"
            )
            return


_FIELD_START = re.compile(r"\s*([A-Za-z][\w:.+-]*)\s*=\s*(.?)")
_BRACE = re.compile(r"(?<!\\)[{}]")  # a brace, not an escaped one ('\{')


def _brace_fault(raw: str) -> tuple[int, str] | None:
    """Where a broken entry's braces go wrong, by counting them line by line: the line of a field
    whose braces do not close before the next field starts (a line after one ending in ','), or
    before the entry's closing line; or of the entry's last field when the entry itself is not
    closed; and what to do (counted from the entry's first line). None when they balance, or the
    entry is not laid out a field to a line, or not in braces ('@misc(...)', a value in quotes):
    bibtexparser's message then."""
    lines = raw.split("\n")
    if "{" not in lines[0] or "(" in lines[0].partition("{")[0]:
        return None
    filled = [number for number, line in enumerate(lines) if line.strip()]
    depth, field, field_line, before = 0, "", 0, ""
    for number in filled:
        line = lines[number]
        start = _FIELD_START.match(line) if number and before.endswith(",") else None
        if depth > 1 and field and (start or (number == filled[-1] and line.strip() == "}")):
            upto = f"before field '{start.group(1)}' starts" if start else "before the entry's closing '}'"
            return field_line, f"field '{field}' does not close its braces {upto}; add the missing '}}'"
        if start and depth == 1:
            if start.group(2) == '"':  # a value in quotes: not counted here
                return None
            field, field_line = start.group(1).lower(), number
        for brace in _BRACE.findall(line):
            depth += 1 if brace == "{" else -1
        if depth <= 0 and number:
            return None  # closed (bibtexparser failed on something else)
        before = line.strip()
    if depth == 1 and field:
        return filled[-1], "the entry is not closed; add '}' on a line after its last field"
    return None


def _closed_mid_line(raw: str) -> bool:
    """Whether an entry's closing brace ends a line that holds more of it (a field's end)."""
    last = raw.rstrip().rsplit("\n", 1)[-1].strip()
    return last != "}" and last != ")" and "\n" in raw.strip()


def _plain_letters(text: str) -> str:
    """references.plain_letters, imported when first asked for: references reads this module's records."""
    from .references import plain_letters

    return plain_letters(text)


# What `surveysite new --strip` writes otherwise than an export gave it: each change's place, its
# entry's key, its kind (as a hint lists what --strip would write) and what it did.
Mended = list[tuple[Location, str, str, str]]
# biblatex's names (which Better BibTeX's and Zotero's biblatex exports write) of fields BibTeX and this
# site read by other names; biber reads those names too, so an entry written with them serves both.
BIBLATEX_NAMES = {"journaltitle": "journal", "eprinttype": "archivePrefix", "eprintclass": "primaryClass"}
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?(?:-[0-9]{2})?(?:T[0-9:]+Z?)?")  # biblatex's date, its start
_DOI_ADDRESS = re.compile(
    r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)(10\.[0-9]{4,9}/[^?#\s]+)(?:[?#]\S*)?", re.IGNORECASE
)
# DBLP's '\_' in an address, Mendeley's '{\&}', which \url prints as written.
_URL_ESCAPE = re.compile(r"\{\\[_%&#$~]\}|\\[_%&#$~]")


def url_unescaped(value: str) -> str:
    """An address without TeX's escapes of its signs (DBLP's '\\_', Mendeley's '{\\&}'), as \\url
    would have it."""
    return _URL_ESCAPE.sub(lambda found: found.group().strip("{}")[1:], value)


# Each way an export writes a month's name, to the macro BibTeX prints as the month's name.
_MONTH_MACROS = {
    **{macro: macro for macro in MONTHS},
    **dict(zip((name.lower() for name in MONTH_NAMES), MONTHS, strict=True)),
    "sept": "sep",
}  # fmt: skip


def preprint_journal(journal: str) -> bool:
    """Whether a journal only says the paper is arXiv's ('arXiv preprint arXiv:ID', 'ArXiv', 'arXiv
    e-prints', DBLP's 'CoRR')."""
    return _PREPRINT_JOURNAL.fullmatch(journal.strip()) is not None


def journal_arxiv(journal: str) -> str:
    """The arXiv id a journal names ('arXiv:ID', Google Scholar's 'arXiv preprint ID' of an old-style
    id such as 'hep-th/9901001'), '' for none."""
    if after := _AFTER_ARXIV.search(journal):
        return after.group(1)
    scholar = _SCHOLAR_OLD_STYLE.fullmatch(journal.strip())
    return scholar.group(1) if scholar else ""


_SCHOLAR_OLD_STYLE = re.compile(r"arXiv preprint\s+([a-z-]+(?:\.[A-Z]{2})?/[0-9]{7})", re.IGNORECASE)


def month_macro(value: str) -> str:
    """The month macro a month's name written out means ('June', 'Jun', 'Sept.'), '' for none."""
    return _MONTH_MACROS.get(value.strip().lower().rstrip("."), "")


def concatenated(value: str) -> list[str]:
    """The parts of a value joined by BibTeX's '#' (`icml # " (ICML)"`), each as written, stripped; []
    when the value joins nothing (one part, or a '#' only within braces or quotes)."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:index].strip())
            start = index + 1
    return [*parts, value[start:].strip()] if parts else []


def joined(parts: list[str], strings: Mapping[str, str]) -> list[str] | None:
    """What each part of a '#' concatenation stands for: a part in braces or quotes, what is within
    them; a number, itself; a @string macro of `strings` (by its name in lower case), its value, its
    own parts joined where it joins some ('jfull = jb # " of Things"': a review found the raw '#'
    written); a month's macro, the month's name. None if a part is none of these (a macro not
    defined, a part left empty, macros that name each other), or if they join into more than
    MAX_FIELD_CHARS characters (see joins_too_much): the value is then told as BibTeX reads it not."""
    try:
        return _joined(parts, strings, _joins(strings), 0)
    except _TooMuch:
        return None


def joins_too_much(parts: list[str], strings: Mapping[str, str]) -> bool:
    """Whether the parts join into more than MAX_FIELD_CHARS characters, which no field may hold. Macros
    that each join the one before twice double at every step: a review's file of 513 bytes took 41 s
    and gigabytes to join, so joining stops there, and each macro is joined once."""
    try:
        _joined(parts, strings, _joins(strings), 0)
    except _TooMuch:
        return True
    return False


def _joins(strings: Mapping[str, str]) -> dict[tuple[str, int], str | None]:
    return strings.joins if isinstance(strings, Macros) else {}


class _TooMuch(Exception):
    """Parts that join into more than MAX_FIELD_CHARS characters."""


_TOO_MUCH = "\x00"  # (what `known` holds for a macro that joins into too much: no text holds it)


_MAX_MACRO_DEPTH = 8  # macros naming macros deeper than this are taken for macros that name each other


def _joined(
    parts: list[str], strings: Mapping[str, str], known: dict[tuple[str, int], str | None], depth: int
) -> list[str] | None:
    """joined's texts; `known`: each macro's text (None: it stands for none) by its name and depth."""
    texts, size = [], 0
    for part in parts:
        text: str | None
        if len(part) > 1 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            text = part[1:-1]
        elif part.isdigit():
            text = part
        elif _MACRO_NAME.fullmatch(part) and (name := part.lower()) in strings:
            if (name, depth) not in known:
                value = strings[name]
                own = concatenated(value)
                try:
                    inner = (
                        _joined(own, strings, known, depth + 1) if own and depth < _MAX_MACRO_DEPTH else None
                    )
                except _TooMuch:
                    known[name, depth] = _TOO_MUCH
                    raise
                known[name, depth] = value if not own else None if inner is None else "".join(inner)
            text = known[name, depth]
            if text == _TOO_MUCH:
                raise _TooMuch
        elif part.lower() in MONTHS:
            text = MONTH_NAMES[MONTHS.index(part.lower())]
        else:
            text = None
        if text is None:
            return None
        size += len(text)
        if size > MAX_FIELD_CHARS:
            raise _TooMuch
        texts.append(text)
    return texts


# Where an export writes an arXiv id after 'arXiv:' (Google Scholar's journal 'arXiv preprint
# arXiv:ID', Zotero's 'arXiv:ID [cs]' as a journal or note, ADS's pages, an eprint so prefixed), the id.
_AFTER_ARXIV = re.compile(r"arXiv:\s*([^\s\[\],;]+)", re.IGNORECASE)
# A journal that is a preprint's place only, given an arXiv id: Google Scholar's, Zotero's, Semantic
# Scholar's 'ArXiv', ADS's 'arXiv e-prints', DBLP's 'CoRR'.
_ID_AND_CLASS = r"[^\s\[\],;]+(?:\s*\[[^\]]*\])?"  # an id as exports write it after 'arXiv:', its class after
_ZOTERO_JOURNAL = re.compile(rf"arXiv:\s*{_ID_AND_CLASS}", re.IGNORECASE)  # 'arXiv:ID [cs]'
_PREPRINT_JOURNAL = re.compile(
    rf"(?i:(?:arXiv preprint\s+(?:arXiv:\s*)?|arXiv:\s*){_ID_AND_CLASS}|arxiv(?: e-prints)?)|CoRR"
)  # ('CoRR' as DBLP writes it: a review's 'CORR' is Clinical Orthopaedics and Related Research)
_ABSTRACT_VOLUME = re.compile(r"abs/(.+)")  # Semantic Scholar's and DBLP's volume of an arXiv id


_ADDRESS_ONLY = re.compile(  # a howpublished of one address (Mendeley's '{\\&}' within, a review)
    r"\\url\{(https?://(?:[^{}\s]|\{\\[_%&#$~]\})+)\}|(https?://(?:[^{}\s]|\{\\[_%&#$~]\})+)"
)


def howpublished_address(value: str) -> str:
    """The address a howpublished field is alone ('\\url{https://...}', as a trial's entries gave their
    web page or preprint), without TeX's escapes; '' when it is anything else, or an address no url may
    be (a hostile-input review's held a '"': check tells it, see identifier_fault)."""
    address = _ADDRESS_ONLY.fullmatch(value.strip())
    plain = url_unescaped(address.group(1) or address.group(2)) if address else ""
    return plain if is_web_url(plain) else ""


def mended_fields(
    key: str,
    entry_type: str,
    fields: list[Field],
    where: Location,
    line_offset: int,
    mended: Mended,
    strings: Mapping[str, str] | None = None,
) -> tuple[str, list[Field]]:
    """The entry as `new --strip` adds it: what exports write their own way written as BibTeX and the
    site read it, each change added to `mended`. biblatex's journaltitle, eprinttype and eprintclass by
    BibTeX's names (when the entry has not those too), and its extended names ('family=Aken, ...') as
    'Aken, ...'; a year, and a month, from a date when the entry has none; a DOI given as its address
    as the DOI; an address without TeX's escapes ('\\_'); a month's name in braces or quotes as its
    macro; ADS's journal macros as what they print; an arXiv id given only in the DOI, the address, a
    howpublished address, a note, Mendeley's arxivid, the volume, ADS's pages or the journal as
    eprint (and archivePrefix), the journal kept; and an @article left with no journal as
    @inproceedings when it gives a booktitle, else, a preprint's, as @misc. An empty field counts as
    none. A value of parts joined by '#' is written as one value, what its parts stand for (a macro of
    `strings`, the text's @string definitions by their names in lower case, its value), and a month
    joined to its day as its macro alone. The rest is as given: a date stays beside its year, and a
    value given by a @string macro stays the macro."""

    def tell(line: int | None, kind: str, what: str) -> None:
        place = where if line is None else Location(where.path, line + 1 + line_offset)
        mended.append((place, key, kind, what))

    fields = [_joined_field(field, strings or {}, tell) for field in fields]
    given = [
        (written.lower(), value.strip(), line) for written, value, line, _ in fields if value.strip(" {}")
    ]
    names = {name for name, _, _ in given}
    values = {name: value for name, value, _ in given}
    lines = {name: line for name, _, line in given}

    result: list[Field] = []
    derived: list[Field] = []
    for written, value, line, enclosing in fields:
        name = written.lower()
        if name in ("journal", "journaltitle", "booktitle") and (aas := aas_journal(value)):
            value = aas[1]  # (a trial's ADS export: its macro was refused, with nothing to write instead)
            tell(line, "ADS's journal macros as what they print",
                 f"{name} as {value}, what ADS's macro {aas[0]} prints")  # fmt: skip
        if name in BIBLATEX_NAMES and name in names and BIBLATEX_NAMES[name].lower() not in names:
            renamed = BIBLATEX_NAMES[name]
            tell(
                line, f"{name} as {renamed}", f"{written} as {renamed} (BibTeX's name, which biber reads too)"
            )
            written = renamed
        elif name == "date" and (date := _DATE.match(value.strip())):
            year, month = date.groups()
            made = []
            if "year" not in names:
                derived.append(("year", year, line, "{"))
                made.append(f"year = {{{year}}}")
            if month and "month" not in names and 1 <= int(month) <= 12 and values.get("year", year) == year:
                derived.append(("month", MONTHS[int(month) - 1], line, "no-enclosing"))
                made.append(f"month = {MONTHS[int(month) - 1]}")
            if made:
                said = f"{' and '.join(made)} from its date, {value.strip()}"
                tell(line, "a year or month from a date", f"{said} (BibTeX reads no date; the date is kept)")
        elif name == "doi" and (doi := _DOI_ADDRESS.fullmatch(value.strip())):
            value = urllib.parse.unquote(doi.group(1))  # ('%28SICI%29' is '(SICI)'; a query is the page's)
            tell(line, "a DOI given as its address as the DOI", f"doi as the DOI alone, {value}")
        elif name == "url" and "\\" in value and (escapes := sorted(set(_URL_ESCAPE.findall(value)))):
            value = url_unescaped(value)
            shown = ", ".join(f"'{escape}' as '{url_unescaped(escape)}'" for escape in escapes)
            tell(line, "an address without TeX's escapes",
                 f"url without TeX's escapes ({shown}): an address is printed as written")  # fmt: skip
        elif name == "eprint" and (prefixed := _AFTER_ARXIV.fullmatch(value.strip())):
            value = values["eprint"] = prefixed.group(1)  # (a review: check told it to write the id alone)
            tell(line, "an eprint without its 'arXiv:'", f"eprint as the id alone, {value}")
        elif name in ("author", "editor") and "=" in value and (classic := _classic_names(value)) != value:
            value = classic
            tell(line, "biblatex's extended names as BibTeX's",
                 f"{name} in BibTeX's name format, not biblatex's extended one ('family=...')")  # fmt: skip
        elif name == "month" and enclosing in ("{", '"') and (macro := month_macro(value)):
            around = "braces" if enclosing == "{" else "quotes"
            value, enclosing = macro, "no-enclosing"
            tell(line, "a month's name as its macro",
                 f"month as {macro}, without {around}, which BibTeX prints as the month's name")  # fmt: skip
        result.append((written, value, line, enclosing))
    return _as_preprint(entry_type, result + derived, names, values, lines, tell)


def _joined_field(
    field: Field, strings: Mapping[str, str], tell: Callable[[int | None, str, str], None]
) -> Field:
    """The field as one value if its value joins parts by '#' that each stand for a text (see joined); a
    month joined to a day (`jun # "~12"`) as the month's macro alone, which is all BibTeX's month holds."""
    written, value, line, enclosing = field
    parts = concatenated(value) if enclosing == "no-enclosing" and "#" in value else []
    texts = joined(parts, strings) if parts else None
    if texts is None:
        return field
    if written.lower() == "month":
        at = next((index for index, part in enumerate(parts) if part.lower() in MONTHS), 0)
        macro = parts[at].lower() if parts[at].lower() in MONTHS else month_macro(texts[0])
        if not macro:
            return field
        rest = "".join(texts[:at] + texts[at + 1 :]).strip()
        tell(line, "a month joined to its day as the month's macro",
             f"month as {macro}, without '{rest}': BibTeX's month is the month alone")  # fmt: skip
        return written, macro, line, "no-enclosing"
    text = "".join(texts)
    shown = text if len(text) <= 60 else text[:57] + "..."
    tell(line, "a value joined with '#' as one value",
         f"{written} as one value, {{{shown}}}, joined from its {len(parts)} parts")  # fmt: skip
    return written, text, line, "{"


def _as_preprint(
    entry_type: str,
    fields: list[Field],
    names: set[str],
    values: dict[str, str],
    lines: dict[str, int],
    tell: Callable[[int | None, str, str], None],
) -> tuple[str, list[Field]]:
    """The arXiv part of mended_fields: its eprint and type (`names`, `values`, `lines`: the
    entry's fields given, not empty)."""
    archived = bool(names & {"archiveprefix", "eprinttype"})
    eprint = values.get("eprint", "")  # (as mended_fields wrote it: the id alone)
    if eprint:
        if not archived and ARXIV_ID.match(eprint):
            fields.append(("archivePrefix", "arXiv", lines["eprint"], "{"))
            tell(lines["eprint"], "an arXiv eprint's archivePrefix",
                 f"archivePrefix = {{arXiv}}, as its eprint, {eprint}, is arXiv's")  # fmt: skip
    else:
        volume = _ABSTRACT_VOLUME.fullmatch(values.get("volume", ""))
        found = [
            ("journal", journal_arxiv(values.get("journal", ""))),
            ("doi", arxiv_of_doi(values.get("doi", ""))),
            ("url", arxiv_within(values.get("url", ""))),
            ("arxivid", values.get("arxivid", "")),  # (Mendeley's)
            ("howpublished", arxiv_within(howpublished_address(values.get("howpublished", "")))),
            ("volume", volume.group(1) if volume else ""),
            ("pages", after.group(1) if (after := _AFTER_ARXIV.fullmatch(values.get("pages", ""))) else ""),
            ("note", _noted_arxiv(values.get("note", ""))),
        ]
        source, eprint = next(((field, found) for field, found in found if ARXIV_ID.match(found)), ("", ""))
        if eprint:
            eprint = arxiv_unversioned(eprint)
            fields.append(("eprint", eprint, lines[source], "{"))
            prefix = "" if archived else " and archivePrefix = {arXiv}"
            if not archived:
                fields.append(("archivePrefix", "arXiv", lines[source], "{"))
            tell(lines[source], "an arXiv id given elsewhere as eprint and archivePrefix",
                 f"eprint = {{{eprint}}}{prefix}, from its {source}")  # fmt: skip
    arxiv = (
        bool(eprint)
        and (ARXIV_ID.match(eprint) is not None)
        and (not archived or archive_named(values) == "arxiv")
    )
    # A journal that only says arXiv ('arXiv preprint arXiv:ID', 'CoRR' with its volume 'abs/ID') is
    # kept: classic BibTeX styles print no eprint, so it is all they print of where the paper is (a
    # citer's trial of a first version, which left it out, found those entries printed with no venue);
    # the site shows such an entry as an arXiv preprint (see references.venue).
    return _unjournaled(entry_type, fields, tell, preprint=arxiv), fields


def _noted_arxiv(note: str) -> str:
    """The arXiv id of a note that says only that the paper is that preprint ('arXiv:ID [cs.LG]', as
    Zotero writes it; 'arXiv preprint arXiv:ID', 'Preprint arXiv:ID'); '' for any other note ('Comment on
    arXiv:ID' names another paper: a hostile-input review's was taken for it)."""
    return journal_arxiv(note) if _PREPRINT_NOTE.fullmatch(note.strip()) else ""


_PREPRINT_NOTE = re.compile(
    rf"(?:(?:arXiv\s+)?(?:e-?)?preprint,?\s*)?arXiv:\s*{_ID_AND_CLASS}\.?"
    r"|arXiv preprint\s+[a-z-]+(?:\.[A-Z]{2})?/[0-9]{7}",  # (Google Scholar's old-style ids: journal_arxiv)
    re.IGNORECASE,
)


def _unjournaled(
    entry_type: str, fields: list[Field], tell: Callable[[int | None, str, str], None], preprint: bool
) -> str:
    """The type for an @article with no journal, which BibTeX styles warn of ('empty journal'):
    @inproceedings for one that gives a booktitle (Mendeley exports conference papers so), else, for a
    `preprint` (an arXiv id given), @misc (Better BibTeX's biblatex export writes arXiv's preprints so);
    any other entry's type as it is."""
    names = {name.lower() for name, value, _, _ in fields if value.strip(" {}")}
    if entry_type.lower() != "article" or names & {"journal", "journaltitle"}:
        return entry_type
    if "booktitle" in names:
        tell(None, "an @article with a booktitle and no journal as @inproceedings",
             "@inproceedings for @article, which gives a booktitle and no journal")  # fmt: skip
        return "inproceedings"
    if not preprint:
        return entry_type
    tell(None, "a preprint's @article with no journal as @misc",
         "@misc for @article, which has no journal: a preprint's (BibTeX styles want an article's "
         "journal)")  # fmt: skip
    return "misc"


def _record(
    key: str,
    entry_type: str,
    entry_fields: list[Field],
    where: Location,
    line_offset: int,
    problems: Problems,
    identifiers: bool = False,
    strings_of: str = "this file",
    left_out: list[tuple[Location, str, str, bool]] | None = None,
    allowed: frozenset[str] = _TEX_ALLOWED,
    mended: Mended | None = None,
    strings: Mapping[str, str] | None = None,
) -> BibRecord | None:
    """The entry as a BibRecord; None, with its problems, if it cannot be one. `left_out`, `mended`: see
    parse_part; `allowed`: the TeX commands its fields may hold (see tex_allowed); `strings`: the
    @string macros its text defines, by their names in lower case (see mended_fields). `entry_fields`: each
    field's name as written, value, line (0-based, in the text `line_offset` lines into its file) and
    enclosing ('{', '"', 'no-enclosing', or None: see bibblock.Field).
    With `identifiers`, each DOI, arXiv id and URL not of its form is reported at its line too (the
    record is still made: for a build, which refuses the data anyway, kept with the part in the Memo
    and reported again from it)."""
    ok = KEY_PATTERN.match(key) is not None
    if not ok:
        # A key in capitals (as publishers' exports write them: 'Nakamura_2019') is offered in lowercase
        # (a study file and the key must then agree); any other, an example.
        # One with accents ('stärk2022', a maintainer's trial) is offered in plain letters.
        lower = key.lower()
        plain = lower if lower.isascii() else _plain_letters(lower)
        example = f": '{plain}'" if KEY_PATTERN.match(plain) else ", e.g. 'smith2023graphs'"
        # (Capitals alone were told "cannot be used in a URL", which a maintainer's trial found overstated.)
        unusable = "has capitals" if KEY_PATTERN.match(lower) else "cannot be part of a page's address"
        problems.add(
            where,
            f"BibTeX key '{key}' {unusable}: a study's page and file are named by its key, which takes "
            f"lowercase letters, digits, '-' and '_' only{example}",
        )
        if not entry_fields:  # (no entry but its head, '@misc{broken title}': nothing more to tell)
            return None
    # (Its fields are checked all the same: a maintainer's trial mended its keys, then was told of them.)
    if mended is not None:
        entry_type, entry_fields = mended_fields(
            key, entry_type, entry_fields, where, line_offset, mended, strings or {}
        )
    fields: dict[str, str] = {}
    spelled: dict[str, str] = {}
    rejected: set[str] = set()
    bare: set[str] = set()
    written_authors, author_line, journal_line, titled_line = "", 0, 0, 0
    written_editors, editor_line = "", 0
    for written, value, field_line, enclosing in entry_fields:
        name = written.lower()
        line = field_line + 1 + line_offset  # a Location made only for a problem
        if "%" in written:  # a line commented out ('%% year = {2019}') was kept as a field, and published
            # (`line` is the line where the name ends: a comment line is read into the name after it)
            percent = line - written.count("\n", written.index("%"))
            problems.add(Location(where.path, percent), COMMENT_IN_ENTRY)
            ok = False
            rejected.add(name)  # (the field it ran into is not then said to be missing)
            continue
        if left_out is not None and (
            why := _stripped(name, value)
        ):  # (its value goes too, whatever it holds)
            left_out.append((Location(where.path, line), key, name, why == "refused"))
            continue
        # (A value in braces with none inside it has no fault to find: nearly every one.)
        fault = (
            _value_fault(name, value, enclosing, strings_of, strings)
            if enclosing != "{" or "{" in value or "}" in value
            else None
        )
        if name in spelled:
            problems.add(
                Location(where.path, line),
                f"field '{name}' appears twice in one entry (as '{spelled[name]}' and '{written}'); "
                "BibTeX ignores letter case in field names: keep one",
            )
            ok = False
        elif fault:
            problems.add(Location(where.path, line), f"field '{name}' {fault}")
            ok = False
            rejected.add(name)
        elif name in FORBIDDEN_FIELDS:
            problems.add(Location(where.path, line), f"field '{name}' is not kept in bib/; delete it")
            ok = False
            rejected.add(name)
        elif name not in _KNOWN_FIELDS and (why := _private(name, value)):  # (none for the usual fields)
            problems.add(
                Location(where.path, line),
                f"field '{name}' {why}: the site's downloads would publish it; delete it",
            )
            ok = False
            rejected.add(name)
        elif not value.isascii() and (mark := INVISIBLE_CHARACTERS.search(value)):
            # (as in a study file: a trial's zero-width space was published, its word found by no search)
            where_mark = Location(where.path, line + value.count("\n", 0, mark.start()))
            problems.add(where_mark, f"field '{name}' holds {invisible_problem(mark.group())}")
            ok = False
            rejected.add(name)
        elif ("\\" in value or "^^" in value) and (command := refused_tex(value, allowed)):
            # (The downloads republish the entry: a reader who compiles them would run it.)
            where_command = Location(where.path, line + value.count("\n", 0, command.start()))
            aas = aas_journal(value)
            said = (
                f"is {aas[0]}, a macro of the AAS TeX macros that ADS's exports use, which a document must "
                f"define; write {name} = {{{aas[1]}}}, what it prints"
                if aas
                else tex_problem(command.group())
            )
            problems.add(where_command, f"field '{name}' {said}")
            ok = False
            rejected.add(name)
        elif "%" in value and name not in IDENTIFIERS and (sign := unescaped_percent(value)) is not None:
            # (A maintainer's trial: 'CO2 at 50% rate' was shown as 'CO2 at 50', and so LaTeX prints it.)
            problems.add(
                Location(where.path, line + value.count("\n", 0, sign)),
                f"field '{name}' holds '%', which LaTeX reads as the start of a comment: the rest of the "
                "line is lost where the entry is cited; write '\\%'",
            )
            ok = False
            rejected.add(name)
        elif name in _CHECKED_VALUES and (wrong := _checked_value(name, value, key)):
            problems.add(Location(where.path, line), f"field '{name}' {wrong}")
            ok = False
            rejected.add(name)
        elif len(value) > MAX_FIELD_CHARS:
            problems.add(
                Location(where.path, line),
                f"field '{name}' is {len(value):,} characters; the limit is {MAX_FIELD_CHARS:,}",
            )
            ok = False
            rejected.add(name)
        else:
            if name not in _KNOWN_FIELDS:  # (a lookup a field: a close name is looked for only here)
                hint = misspelled_field(name)
                if hint:
                    problems.warn(
                        Location(where.path, line),
                        f"field '{name}' is no BibTeX field this site knows{suggested(hint)} "
                        "As written it is kept in the entry but shown nowhere",
                    )
            # (A publisher's '<i>' or '<sub>' in a title, as in a name pasted from a web page.)
            if "<" in value and name in _SHOWN_TEXT and (tag := HTML_TAG.search(value)):
                problems.warn(
                    Location(where.path, line + value.count("\n", 0, tag.start())),
                    f"field '{name}' holds an HTML tag, '{tag.group()}', which the site shows as typed; "
                    "write the text without it",
                )
            spaced = " ".join(value.split())
            fields[name] = normalized(name, spaced)
            if name == "author":  # as written: the names written 'First Last' tell a list's form
                written_authors, author_line = spaced, line
            elif name == "editor":  # (biblatex's extended names and empty names, told below)
                written_editors, editor_line = spaced, line
            elif name == "journal":
                journal_line = line
            elif name == "journaltitle":
                titled_line = line
            # (And a howpublished that is an address: not among IDENTIFIERS, whose '%' goes unchecked.)
            checked = name in IDENTIFIERS or name == "howpublished"
            wrong = identifier_fault(name, fields[name]) if identifiers and checked else None
            if wrong:
                problems.add(Location(where.path, line), f"entry '{key}': {wrong}")
            if enclosing == "no-enclosing" and not value.isdigit():
                bare.add(name)  # a month macro: braces would make it the literal word
            elif name == "month" and enclosing in ("{", '"') and month_macro(value):  # (a reader's
                # trial; a Springer export's "Jun" and a Mendeley export's {June}, a maintainer's)
                around = "braces" if enclosing == "{" else "quotes"
                shown = f"{{{value}}}" if enclosing == "{" else f'"{value}"'
                problems.warn(
                    Location(where.path, line),
                    f"month {shown} in {around} is printed as written, '{value}'; write month = "
                    f"{month_macro(value)}, without {around}, for the month's name",
                )
        spelled.setdefault(name, written)
    for name in REQUIRED_FIELDS:
        given = fields.get(name, "").translate(_BRACES_OUT).strip()  # ('{ }' is empty too)
        if not given and not rejected:  # a broken field may have swallowed this one
            dated = _DATE.match(fields.get("date", "")) if name == "year" else None
            # (biblatex's date alone, as Better BibTeX's biblatex export writes it: a maintainer's trial)
            parent = fields.get("crossref", "").strip("{} ")
            add = (
                f"; its date, {fields['date']}, gives year = {{{dated.group(1)}}}: add that (BibTeX reads "
                "no date; `surveysite new --strip` adds it)"
                if dated
                else f"; add it: the site takes no field through its crossref to '{parent}' (`surveysite "
                "new` copies them into the entry from that one, given in the same file)"
                if parent and name in INHERITED_FROM_VOLUME  # (not a title nor authors: a review)
                else "; add it"
            )  # (a maintainer's trial's paper without year, whose crossref named a volume it lacked, was
            # told 'add it' alone, and read SURVEYSITE.md's 'crossref to an entry in bib/' as inheritance)
            problems.add(where, f"entry '{key}' has no '{name}' field{add}")
            ok = False
    if titled_line and "journal" not in fields:  # (a Better BibTeX biblatex export's: the site shows it,
        # but no BibTeX style reads it; a warning, not to stop a site that built before from building)
        problems.warn(
            Location(where.path, titled_line),
            f"entry '{key}': field 'journaltitle' is biblatex's name for the journal, which BibTeX reads as "
            "'journal' (as biber does too): rename it journal, or BibTeX styles print no journal",
        )
    if fields.get("author") == OTHERS:  # (BibTeX's word for authors not named: then no one is named)
        problems.add(where, f"entry '{key}': its author is 'others' alone, which names no one; name one")
        ok = False
    lists = (("author", written_authors, author_line), ("editor", written_editors, editor_line))
    for role, written, role_line in lists:
        if written and (empty := _empty_name_fault(written)):
            problems.add(Location(where.path, role_line), f"entry '{key}': its {role} list {empty}")
            ok = False
    commas = _comma_fault(written_authors, fields.get("author", ""))
    if commas is not None:
        message, warning = commas
        (problems.warn if warning else problems.add)(
            Location(where.path, author_line), f"entry '{key}': {message}"
        )
        ok = ok and warning
    if "=" in written_editors and (classic := _classic_names(written_editors)) != written_editors:
        problems.add(  # (a review: --strip wrote them as BibTeX's, but check and new said nothing of them)
            Location(where.path, editor_line),
            f"entry '{key}': editor '{written_editors}' is written in biblatex's extended name format, which "
            f"BibTeX does not read; write it '{classic}'",
        )
        ok = False
    journal = fields.get("journal", "")
    if (
        journal[:14].lower() == "arxiv preprint" or _ZOTERO_JOURNAL.fullmatch(journal)
    ) and "eprint" not in fields:
        problems.warn(Location(where.path, journal_line), f"entry '{key}': {_preprint_as_journal(journal)}")
    year = fields.get("year", "")
    if year and not re.fullmatch(r"[0-9]{4}", year):  # not full-width digits, which int() reads, BibTeX not
        problems.add(
            where, f"entry '{key}': year '{year}' is not a 4-digit year; write it as one, e.g. {{2019}}"
        )
        ok = False
    if not ok:
        return None
    ordered = [(name, fields[name]) for name in FIELD_ORDER if name in fields]
    if len(ordered) < len(fields):  # the others after them, by name
        ordered += sorted((name, value) for name, value in fields.items() if name not in _ORDERED)
    return BibRecord(
        key=key,
        entry_type=shared(entry_type.lower()),  # a name many entries repeat: see model.shared
        fields=tuple(ordered),
        location=where,
        bibtex=format_entry(entry_type.lower(), key, ordered, frozenset(bare)),
    )


_SHOWN_TEXT = frozenset({"title", "booktitle", "journal", "series", "publisher", "institution", "school"})
_MACRO_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_:.+/'-]*")  # a bare word BibTeX reads as an @string's name


COMMENT_IN_ENTRY = (
    "'%' starts no comment inside an entry, only between entries: BibTeX reads the line as part of the "
    "entry; delete it, or move it below the entry"
)


def _comment_line(raw: str) -> int | None:
    """How many lines below an entry's first line the first line starting with '%' stands, if any."""
    for number, text in enumerate(raw.split("\n")[1:], start=1):
        if text.lstrip().startswith("%"):
            return number
    return None


def _preprint_as_journal(journal: str) -> str:
    """The warning for a preprint given as a journal ('arXiv preprint arXiv:ID', as a search engine's
    export writes it) with no eprint: the site links no preprint."""
    eprint = journal_arxiv(journal) or "ID"
    return (
        f"journal '{journal}' names a preprint, which the site links only by its eprint: add eprint = "
        f"{{{eprint}}} and archivePrefix = {{arXiv}} (`surveysite new --strip` adds them; the journal can "
        "stay, for BibTeX styles that print no eprint)"
    )


def _value_fault(
    name: str,
    value: str,
    enclosing: str | None,
    strings_of: str = "this file",
    strings: Mapping[str, str] | None = None,
) -> str | None:
    """What bibtexparser lets through: bare words, '#' concatenation and unbalanced braces. `strings`:
    the @string macros the text defines, by their names in lower case."""
    if enclosing == "no-enclosing" and not value.isdigit() and not (name == "month" and value in MONTHS):
        if re.search(r"[}\"]\s+\w+\s*=", value):
            return "runs into the next field; add the missing comma after its value"
        if re.match(r"(?:\{.*\}|\".*\")\s*%", value, re.DOTALL):  # ('doi = {...}  % from the publisher')
            return (
                "is followed by a '%' comment, which BibTeX reads as part of the value: '%' starts no "
                "comment inside an entry; delete it, or move it below the entry"
            )
        if len(parts := concatenated(value)) > 1 and all(parts):
            said = f"joins {len(parts)} parts with '#', which this site does not read"
            if name == "month" and (alone := next((p.lower() for p in parts if p.lower() in MONTHS), "")):
                return f"{said}; write month = {alone}, the month alone (BibTeX's month holds no day)"
            if joins_too_much(parts, strings or {}):
                return f"joins {len(parts)} parts with '#' to over {MAX_FIELD_CHARS:,} characters (the limit)"
            unknown = next((part for part in parts if joined([part], strings or {}) is None), "")
            undefined = f" ('{unknown}' is no macro an @string of {strings_of} defines)" if unknown else ""
            return f"{said}; write {name} = {{...}} as one value{undefined}"
        if _MACRO_NAME.fullmatch(value):  # (one resolved by an @string of the same file is its value now)
            return (
                f"is '{value}', which no @string of {strings_of} defines; define it here "
                f"(@string{{{value} = {{...}}}}), or write {name} = {{...}}"
            )
        shown = " ".join(value.split())
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        return (
            f"is not enclosed in braces ('{shown}'); write {name} = {{...}} "
            "(a missing comma between fields also causes this)"
        )
    escaped = "\\{" in value or "\\}" in value
    if not (_balanced(_BRACES.findall(value)) if escaped or "\\\\" in value else _braces_balanced(value)):
        return "has unbalanced braces; every { needs its }"
    if escaped and not _balanced(re.findall(r"[{}]", value)):
        return (
            "has a \\{ or \\} that BibTeX counts as a brace, so BibTeX would read another value than "
            "this site shows; write \\textbraceleft{} or \\textbraceright{}, or pair them"
        )
    return None


def _braces_balanced(value: str) -> bool:
    """_balanced of every brace in a value: the braces alone leave nothing once each '{}' pair is
    taken out, over and over, just when none closes more than were opened and all are closed.
    Each pass takes out one level of nesting; past a few levels the linear walk is quicker (a field of
    thousands of nested braces would otherwise cost a pass per level)."""
    if "{" not in value and "}" not in value:
        return True
    braces = _NOT_BRACE.sub("", value)
    for _ in range(_NESTING_PASSES):
        if "{}" not in braces:
            return not braces
        braces = braces.replace("{}", "")
    return _balanced(list(braces))


_NESTING_PASSES = 8


def _balanced(braces: list[str]) -> bool:
    depth = 0
    for brace in braces:
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return False
    return depth == 0


_ORDERED = frozenset(FIELD_ORDER)  # the fields a record lists first, in that order

# Field names an entry may well hold: BibTeX's own, biblatex's usual ones, and those that reference
# managers and bibliographic sites (DBLP, the ACM, arXiv, PubMed) write. A name close to one of them
# and not one of them is most likely misspelled ('booktitel'): its value would be kept but shown nowhere.
_KNOWN_FIELDS = _ORDERED | frozenset({
    "abstract", "address", "articleno", "bibsource", "biburl", "chapter", "crossref",
    "date", "edition", "editor", "eid", "eprintclass", "eprinttype", "eventdate", "eventtitle",
    "howpublished", "institution", "isbn", "issn", "issue", "issuetitle", "journaltitle", "key",
    "keywords", "langid", "language", "location", "numpages", "organization", "pmcid", "pmid", "school",
    "series", "shorttitle", "subtitle", "timestamp", "titleaddon", "type", "urldate", "version",
})  # fmt: skip
_KNOWN_IN_ORDER = tuple(sorted(_KNOWN_FIELDS))


def _empty_name_fault(names: str) -> str:
    """What is wrong with a name list (as written, its spaces made single) that holds an empty name: an
    'and' at its start or end, or two in a row, outside braces, in any case (BibTeX reads an empty name
    between them, and prints the 'and' as part of the name beside it: a maintainer's trial's 'Lodi,
    Andrea and' passed check, and the page cited 'Andrea and Lodi'); '' if none does."""
    lowered = names.lower()  # (substrings first: a regular expression took 15 ms a thousand entries)
    if "and and" not in lowered and lowered[:4] != "and " and lowered[-4:] != " and" and lowered != "and":
        return ""
    split = split_names(names)
    if not split or split[0].split()[0].lower() == "and":
        return "begins with 'and', which names no one there; remove that 'and'"
    if split[-1].split()[-1].lower() == "and":
        return "ends with 'and', which names no one after it; remove that 'and', or name who follows it"
    if any(name.split()[0].lower() == "and" for name in split[1:]):
        return "has 'and' twice in a row, which names no one between them; remove one 'and'"
    return ""


def _comma_fault(authors: str, laid_out: str) -> tuple[str, bool] | None:
    """What is wrong with an author list (as written) whose authors are parted by commas, not ' and '
    (a trial's 'Jane Doe, Richard Roe' published one author, 'Richard Roe Jane Doe'), and whether it is
    only a warning; None if nothing is. A name of three commas or more, or of two around a part of two
    words, is no name ('Family, Jr, Given' at most); one of two parts of two words or more each is one
    name only perhaps ('Garcia Marquez, Gabriel Jose'), told as a warning where the list writes its
    other names without commas or has no other, and the given part does not end in an initial.
    `laid_out`: the list as the project writes it (every name 'Family, Given')."""
    if not authors.isascii() and (wide := _wide_comma_fault(authors)):
        return wide, False
    if "," not in authors:  # (names written 'First Last': nearly every list as pasted)
        return None
    for name in split_names(authors) if "=" in authors else ():
        parts = [part.strip() for part in _parts(name)]
        if _EXTENDED_NAME.match(parts[0]):  # (Better BibTeX writes 'family=Aken, given=Betty, prefix=van':
            # a maintainer's trial was told to part it with ' and ', which made two authors of one)
            return (f"author '{name}' is written in biblatex's extended name format, which BibTeX does "
                    f"not read; write it '{_classic_name(parts)}'", False)  # fmt: skip
    if authors == laid_out and " and " in authors and authors.count(",") == authors.count(" and ") + 1:
        return None  # a comma a name, as the project writes every list: no name of more, and no pair
    names = split_names(authors)
    split = [[part.strip() for part in _parts(name)] for name in names]
    for name, parts in zip(names, split, strict=True):
        if len(parts) > 2 and all(_whole_name(part) for part in parts):  # ('张宁豫,谢辛,陈想': each a name,
            # none a 'Jr' part; a review found three such names published as one author)
            return (f"author '{name}' has {len(parts) - 1} commas: BibTeX parts authors with ' and ', not "
                    f"commas; write '{' and '.join(parts)}'", False)  # fmt: skip
        if len(parts) == 3 and parts[-1].rstrip(".").lower() in _SUFFIXES and len(parts[1].split()) > 1:
            family, given, suffix = parts
            return (f"author '{name}' gives its suffix last; BibTeX reads 'Family, Jr, Given': write "
                    f"'{family}, {suffix}, {given}'", False)  # fmt: skip
        if len(parts) > 3 or (len(parts) == 3 and len(parts[1].split()) > 1):
            meant = _names_meant(parts)
            return (f"author '{name}' has {len(parts) - 1} commas: BibTeX parts authors with ' and ', not "
                    f"commas; write '{' and '.join(meant)}'", False)  # fmt: skip
    if len(names) > 1 and all(len(parts) > 1 for parts in split):  # all 'Family, Given': a family name of
        return None  # two words is one, as in 'Garcia Marquez, Gabriel'
    for name, parts in zip(names, split, strict=True):
        if len(parts) != 2:
            continue
        family, given = parts
        particle = any(word[:1].islower() for word in family.split())  # 'van der Berg', 'Lopez de Prado'
        initial = not given or given.split()[-1].endswith(".")  # 'Marcos M.'
        if len(family.split()) > 1 and len(given.split()) > 1 and not particle and not initial:
            return (f"author '{name}' is read as one person, of family name '{family}'; if these are two "
                    f"authors, write '{family} and {given}'", True)  # fmt: skip
    return None


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_LISTING_COMMA = "\u3001"  # the ideographic comma, which parts the items of a list
_WIDE_COMMAS = ("\uff0c", _LISTING_COMMA)  # and the full-width comma
# A name written in Han characters or hangul is written whole, family name first ('张宁豫'): between
# commas, one is a name, not half of 'Family, Given' (kana, a reading, may be either).
_WHOLE_NAME = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]+")


def _wide_comma_fault(authors: str) -> str:
    """What is wrong with an author list holding full-width or ideographic commas outside braces, or ''.
    Two or more in a name part names, and so does one ideographic comma, which only lists (a trial's
    '罗浩\uff0c何超\uff0c陈彪' was published as one author); one full-width comma between Latin words
    parts a family name from a given one ('Doe\uff0cJane'); one between names in Han characters or
    kana may do either ('山田\uff0c花子' is one person), and is left as written."""
    for mark in _WIDE_COMMAS:
        if mark not in authors:
            continue
        names, meant, changed = split_names(authors), [], False
        for name in names:
            parts = [part.strip() for part in _outside_braces(name, mark)]
            if len(parts) > 2 or (len(parts) == 2 and mark == _LISTING_COMMA):
                meant.append(" and ".join(part for part in parts if part))
            elif len(parts) == 2 and all(part.isascii() for part in parts):
                meant.append(", ".join(parts))
            else:
                meant.append(name)
                continue
            changed = True
        if changed:
            return (
                f"the author list writes '{mark}', which BibTeX reads as part of a name, not as a comma; "
                f"write '{' and '.join(meant)}'"
            )
    return ""


def _whole_name(part: str) -> bool:
    """Whether a part between commas is a name written whole in Han characters or hangul: two
    characters or more ('李华'; '王' alone is a family name)."""
    return len(part) > 1 and _WHOLE_NAME.fullmatch(part) is not None


def _names_meant(parts: list[str]) -> list[str]:
    """The names a list parted by commas alone means: its parts paired ('Doe, Jane, Roe, Bo' as 'Doe,
    Jane' and 'Roe, Bo') where every part is one word of letters, each a name where it is one written
    whole ('王小明'), kept in order; else each part a name."""
    if not all(len(part.split()) == 1 for part in parts):
        return parts
    # (A name of one character is half of 'Family, Given', and then so is each: '王, 小明, 李, 华' pairs up.)
    whole = not any(_WHOLE_NAME.fullmatch(part) and len(part) == 1 for part in parts)
    meant: list[str] = []
    run: list[str] = []
    for part in [*parts, ""]:
        if part and not (whole and _whole_name(part)):
            run.append(part)
            continue
        if len(run) % 2:
            return parts  # (an odd run: what pairs with what is not told)
        meant += [", ".join(run[i : i + 2]) for i in range(0, len(run), 2)]
        run = []
        if part:
            meant.append(part)
    return meant


_EXTENDED_NAME = re.compile(r"(?:family|given|prefix|suffix|useprefix)\s*=", re.IGNORECASE)


def _classic_names(names: str) -> str:
    """A list of names, each in biblatex's extended format written as BibTeX writes it (see
    _classic_name); the list as it is if it holds none."""
    split = [[part.strip() for part in _parts(name)] for name in split_names(" ".join(names.split()))]
    if not any(_EXTENDED_NAME.match(parts[0]) for parts in split):
        return names
    return " and ".join(
        _classic_name(parts) if _EXTENDED_NAME.match(parts[0]) else ", ".join(parts) for parts in split
    )


def _classic_name(parts: list[str]) -> str:
    """A name in biblatex's extended format ('family=Aken', 'given=Betty', 'prefix=van', ...) as BibTeX
    writes it: 'van Aken, Betty' ('Family, Jr, Given' with a suffix)."""
    given = dict(part.partition("=")[::2] for part in parts)
    said = {name.strip().lower(): value.strip() for name, value in given.items()}
    family = " ".join(filter(None, (said.get("prefix", ""), said.get("family", ""))))
    return ", ".join(filter(None, (family, said.get("suffix", ""), said.get("given", ""))))


def _parts(name: str) -> list[str]:
    """A name's parts between its commas outside braces (str.split where it holds no brace)."""
    return name.split(",") if "{" not in name else _outside_braces(name, ",")


def _outside_braces(text: str, separator: str) -> list[str]:
    """The text split at each `separator` character outside braces."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == separator and not depth:
            parts.append(text[start:index])
            start = index + 1
    return [*parts, text[start:]]


def _stripped(name: str, value: str) -> str:
    """Whether `new --strip` leaves a field out: 'refused' for one the site refuses (an abstract, a
    reference manager's link to its copy, notes or groups), 'manager' for one a reference manager adds
    of its own, which the site keeps when written (see MANAGER_FIELDS); else ''."""
    if name in FORBIDDEN_FIELDS or (name not in _KNOWN_FIELDS and _private(name, value)):
        return "refused"
    if name in MANAGER_FIELDS or name.startswith("bdsk-"):
        return "manager"
    # (An empty field, as IEEE Xplore's export writes 'volume={}': a maintainer's trial found it kept.)
    return "manager" if not value.strip(" {}") else ""


def _private(name: str, value: str) -> str:
    """Why a field is its user's and not the paper's (see PRIVATE_FIELDS), or ''. A link to a file on
    the web is the paper's (a proceedings' export gives its PDF's address as 'pdf')."""
    why = PRIVATE_FIELDS.get(name) or (_ON_YOUR_COMPUTER if name.startswith("bdsk-file-") else "")
    return "" if why == _ON_YOUR_COMPUTER and is_web_url(value.strip()) else why


def misspelled_field(name: str) -> str | None:
    """The known field (see _KNOWN_FIELDS) a field name not among them is closest to, if it is close
    enough to be that one misspelled: 'booktitel' for 'booktitle'; None for any other name. Closer
    than `did_you_mean` asks (0.8, not 0.6): a field of a name of its own is no mistake."""
    if name in _KNOWN_FIELDS:
        return None
    return closest(name, _KNOWN_IN_ORDER, cutoff=0.8)


_CASED_NAMES = {"archiveprefix": "archivePrefix", "primaryclass": "primaryClass"}


def format_entry(
    entry_type: str, key: str, fields: list[tuple[str, str]], bare: frozenset[str] = frozenset()
) -> str:
    """Format one entry in the project's BibTeX layout, as bibtexparser's writer lays it out.

    Fields named in `bare` (month macros such as `jan`) are written without braces, as they were read.
    An entry with every value in braces is laid out here directly (the writer's middleware and
    Library took most of the time of reading a large bibliography); any other goes to the writer.
    """
    if bare or not fields:
        return _written(entry_type, key, fields, bare)
    cased = [(_CASED_NAMES.get(name, name), value) for name, value in fields]
    width = max(len(name) for name, _ in cased)  # the writer's value_column "auto"
    lines = [f"  {name}{' ' * (width - len(name))} = {{{value}}}" for name, value in cased]
    return f"@{entry_type}{{{key},\n" + ",\n".join(lines) + "\n}"


def _written(entry_type: str, key: str, fields: list[tuple[str, str]], bare: frozenset[str]) -> str:
    """The entry as bibtexparser's writer writes it."""
    entry = model.Entry(entry_type, key, [])
    for name, value in fields:
        field = model.Field(_CASED_NAMES.get(name, name), value)
        if name in bare:
            field.enclosing = "no-enclosing"
        entry.set_field(field)
    # The one-entry library is ours alone, so the writer may change it in place instead of deep-copying it.
    stack = default_unparse_stack(allow_inplace_modification=True)
    return write_string(Library([entry]), unparse_stack=stack, bibtex_format=_FORMAT).strip()
