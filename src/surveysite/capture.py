"""What reference managers capture: COinS spans (which Zotero's connector reads) and RIS records."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .bibliography import MONTH_NAMES
from .markdown import Markdown
from .model import Reference, arxiv_address, doi_address
from .references import ARXIV_PREPRINT

CONTEXT = "Z39.88-2004"
JOURNAL = "info:ofi/fmt:kev:mtx:journal"
BOOK = "info:ofi/fmt:kev:mtx:book"
# BibTeX entry type -> (OpenURL format, genre, whether the venue is a book's title, RIS type).
KINDS = {
    "article": (JOURNAL, "article", False, "JOUR"),
    "inproceedings": (BOOK, "proceeding", True, "CPAPER"),
    "conference": (BOOK, "proceeding", True, "CPAPER"),
    "incollection": (BOOK, "bookitem", True, "CHAP"),
    "inbook": (BOOK, "bookitem", True, "CHAP"),
    "book": (BOOK, "book", True, "BOOK"),
    "techreport": (BOOK, "report", True, "RPRT"),
    "phdthesis": (BOOK, "document", True, "THES"),
    "mastersthesis": (BOOK, "document", True, "THES"),
    "thesis": (BOOK, "document", True, "THES"),  # biblatex's (a review found its school given as a journal)
    "report": (BOOK, "report", True, "RPRT"),
    # (A trial's software and web pages were RIS's generic works.)
    "software": (BOOK, "document", True, "COMP"),
    "online": (BOOK, "document", True, "ELEC"),
    "electronic": (BOOK, "document", True, "ELEC"),
    "webpage": (BOOK, "document", True, "ELEC"),
}
OTHER = (JOURNAL, "article", False, "GEN")
# Percent-encoding as urllib.parse.quote(text, safe="") does it, for every byte at once: each UTF-8
# byte (read as the code point of the same number) is kept if unreserved, else written as %XX.
_UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
_PERCENT = {byte: chr(byte) if byte in _UNRESERVED else f"%{byte:02X}" for byte in range(256)}


@lru_cache(maxsize=4_096)  # author names and the fixed keys recur across studies
def url_quoted(text: str) -> str:
    """`text` percent-encoded with nothing kept but unreserved characters, as quote(text, safe="")."""
    return text.encode("utf-8").decode("latin-1").translate(_PERCENT)


@dataclass(frozen=True)
class Citable:
    """The fields a citation of one work needs, whoever wrote it (a study, or the survey itself)."""

    entry_type: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    venue: str
    doi: str | None = None
    arxiv: str | None = None
    url: str | None = None
    key: str = ""
    families: tuple[str, ...] = ()  # each author's family part where not the last word: see Reference
    details: tuple[tuple[str, str], ...] = ()  # volume, number, pages, publisher, month, where given

    @classmethod
    def of(cls, ref: Reference) -> Citable:
        """The citable fields of a study's reference."""
        return cls(ref.entry_type.lower(), ref.title, ref.authors, ref.year, ref.venue, ref.doi,
                   ref.arxiv, ref.url, ref.key, ref.families, ref.details)  # fmt: skip

    def author_forms(self) -> list[tuple[str, str]]:
        """Each author's COinS pair and RIS line, the name as both give it: 'Family, Given, Jr.' (see
        _author_forms and ris_name)."""
        families = self.families if len(self.families) == len(self.authors) else ("",) * len(self.authors)
        return [_author_forms(name, family) for name, family in zip(self.authors, families, strict=True)]

    def citation_details(self) -> tuple[str, str, str, str, str]:
        """Volume, issue, first page, last page and publisher, each '' when not given. The issue is
        BibTeX's number, but for a report, whose number is the report's own."""
        if (not self.details and not self._published_by()) or self.venue == ARXIV_PREPRINT:
            return (
                NO_DETAILS  # (an arXiv-only entry; a preprint's 'volume = {abs/ID}' is no volume: a review)
            )
        given = dict(self.details)
        first, last = page_range(given.get("pages", ""))
        issue = "" if self.entry_type in ("techreport", "report") else given.get("number", "")
        # A thesis's school, a report's institution, is its publisher (a review found a report's
        # publisher given, its institution, the page's venue, nowhere).
        publisher = self.venue if self._published_by() else given.get("publisher", "")
        return given.get("volume", ""), issue, first, last, publisher

    def _published_by(self) -> bool:
        """Whether the work's venue is its publisher: a thesis's school, a report's institution, the
        publisher or place of software or a web page ('GitHub repository': a review found it nowhere)."""
        return bool(self.venue) and KINDS.get(self.entry_type, OTHER)[3] in _PUBLISHED_BY

    def month(self) -> int | None:
        """The month of publication, 1 to 12, as the entry gives it: a month macro ('mar'), a name
        ('March', 'Mar.') or a number; None when it gives none, or something else ('Spring')."""
        if not self.details:  # (an arXiv-only entry: most of them)
            return None
        written = dict(self.details).get("month", "").strip().lower().rstrip(".")
        if re.fullmatch("[0-9]{1,2}", written):  # (not str.isdigit: '²' is a digit to it, and no number to
            # int(): a review's traceback; other digits are no month's name either)
            return int(written) if 1 <= int(written) <= 12 else None
        for number, name in enumerate(_MONTH_NAMES, start=1):
            if len(written) >= 3 and name.startswith(written):
                return number
        return None

    @property
    def link(self) -> str:
        """The work's address: its DOI, else its URL (the entry's own choice: a published version's page
        beside an arXiv id, as its BibTeX gives it), else its arXiv page ('' for none)."""
        if self.doi:
            return doi_address(self.doi)
        if self.url:
            return self.url
        return arxiv_address(self.arxiv) if self.arxiv else ""


NO_DETAILS = ("", "", "", "", "")
_MONTH_NAMES = tuple(name.lower() for name in MONTH_NAMES)
COINS_DETAILS = ("rft.volume", "rft.issue", "rft.spage", "rft.epage", "rft.pub")  # as citation_details
RIS_DETAILS = ("VL", "IS", "SP", "EP", "PB")


def page_range(pages: str) -> tuple[str, str]:
    """The first and last page ('' for either not given): '1525--1573', '12-40', '7' alike; an article
    number with a hyphen ('e2021-0123') is a first page alone."""
    pages = pages.strip()
    for dash in ("---", "--", "\u2013", "\u2014"):
        if dash in pages:
            first, _, last = pages.partition(dash)
            return first.strip(), last.strip()
    first, dash, last = pages.partition("-")
    if dash and first.strip().isdigit() and last.strip().isdigit():
        return first.strip(), last.strip()
    return pages, ""


def context_object(work: Citable) -> str:
    """The work as an OpenURL ContextObject in KEV form: every key and value URL-encoded."""
    return "&".join(_kev_pairs(work))


def coins(work: Citable) -> Markdown:
    """An empty COinS span (class Z3988) carrying the work's ContextObject, HTML-escaped: as every key
    and value is URL-encoded, the '&' between them is all there is to escape."""
    return Markdown(f'<span class="Z3988" title="{"&amp;".join(_kev_pairs(work))}"></span>')


@lru_cache(maxsize=64)
def _kev_head(fmt: str, genre: str) -> tuple[str, ...]:
    """The pairs every ContextObject of this format and genre begins with, encoded."""
    return tuple(f"{url_quoted(k)}={url_quoted(v)}" for k, v in (("ctx_ver", CONTEXT), ("rft_val_fmt", fmt),
                                                                 ("rft.genre", genre)))  # fmt: skip


def _kev_pairs(work: Citable) -> list[str]:
    """The ContextObject's pairs, each 'key=value' URL-encoded, in order."""
    fmt, genre, in_book, _ = KINDS.get(work.entry_type, OTHER)
    if work.arxiv and work.entry_type not in KINDS:
        genre = "preprint"
    encoded = list(_kev_head(fmt, genre))
    if KINDS.get(work.entry_type, OTHER)[3] in _NO_CONTAINER:  # a book, a thesis or report, software,
        # a web page: a work of its own, its title the book's (OpenURL's book format, as Zotero reads a
        # report's); a thesis's school or a report's institution is its rft.pub, in citation_details
        encoded.append("rft.btitle=" + url_quoted(work.title))
    else:
        encoded.append("rft.atitle=" + url_quoted(work.title))
        if work.venue:
            encoded.append(("rft.btitle=" if in_book else "rft.jtitle=") + url_quoted(work.venue))
    # 'rft.au' quotes as itself; 'Family, Given', which reference managers split at the comma
    encoded += [pair for pair, _ in work.author_forms()]
    details = work.citation_details()
    if details is not NO_DETAILS:
        encoded += [
            f"{key}={url_quoted(value)}" for key, value in zip(COINS_DETAILS, details, strict=True) if value
        ]
    if work.year is not None:
        month = work.month()  # OpenURL's date, to the month given: '2023-03'
        encoded.append(f"rft.date={work.year}-{month:02d}" if month else f"rft.date={work.year}")
    if work.doi:
        encoded.append("rft_id=" + url_quoted(f"info:doi/{work.doi}"))
    if work.arxiv:
        encoded.append("rft_id=" + url_quoted(f"info:arxiv/{work.arxiv}"))
    if work.url and not work.doi and not work.arxiv:
        encoded.append("rft_id=" + url_quoted(work.url))
    return encoded


def _ris_text(value: str) -> str:
    return " ".join(value.split())


def ris_record(work: Citable) -> str:
    """One RIS record (TY first, ER last), one tag a line."""
    kind = KINDS.get(work.entry_type, OTHER)[3]
    if work.arxiv and work.entry_type not in KINDS:  # a preprint: RIS's unpublished work, as COinS's genre
        kind = "UNPB"
    head = [("TY", kind)]
    if work.key:
        head.append(("ID", work.key))
    head.append(("TI", work.title))
    lines = []
    if work.year is not None:
        lines.append(("PY", str(work.year)))
        if month := work.month():  # RIS's date: 'YYYY/MM/DD/other', the day unknown
            lines.append(("DA", f"{work.year}/{month:02d}//"))
    details = work.citation_details()
    if work.venue and kind not in _NO_CONTAINER:  # (a thesis's school is its publisher)
        # T2, the container's full title: JO is a journal's abbreviation, which Zotero's RIS reader
        # took 'Nature' for. A paper in proceedings gives them as C3 as well, its proceedings' title:
        # that reader takes T2 for the conference's name there, and a citing trial's APA reference of a
        # conference paper lost its venue.
        lines.append(("T2", work.venue))
        if kind == "CPAPER":
            lines.append(("C3", work.venue))
    if details is not NO_DETAILS:
        lines += zip(RIS_DETAILS, details, strict=True)
    if work.doi:
        lines.append(("DO", work.doi))
    if work.arxiv:
        lines.append(("N1", f"arXiv:{work.arxiv}"))
    if work.link:
        lines.append(("UR", work.link))
    authors = "".join([line for _, line in work.author_forms()])  # between the title and the year
    return f"{_ris_lines(head)}{authors}{_ris_lines(lines)}ER  - \n"


_PUBLISHED_BY = frozenset({"THES", "RPRT", "COMP", "ELEC"})  # the RIS types whose venue is their PB
# The RIS types of a work of its own, whose venue names no container (a T2): a book, a thesis or report,
# software and a web page (a review found a software's publisher given twice, once as a container).
_NO_CONTAINER = frozenset({"BOOK", *_PUBLISHED_BY})


def _ris_lines(lines: list[tuple[str, str]]) -> str:
    """Each tag and its value on one line ('TI  - ...'), those whose value is empty left out."""
    return "".join([f"{tag}  - {text}\n" for tag, value in lines if (text := _ris_text(value))])


@lru_cache(maxsize=65_536)  # the same authors recur across studies, and in each study's RIS and COinS
def _author_forms(name: str, family: str) -> tuple[str, str]:
    """An author as COinS gives them ('rft.au=' and the name family first, URL-encoded: see ris_name)
    and as a RIS line ('AU  - ' and that name on one line; '' when it is empty)."""
    shown = ris_name(name, family)
    text = _ris_text(shown)
    return "rft.au=" + url_quoted(shown), f"AU  - {text}\n" if text else ""


@lru_cache(maxsize=65_536)  # the same authors recur across studies, and in each study's RIS and COinS
def ris_name(name: str, family: str = "") -> str:
    """A display name ('Given Family, Jr.') as RIS writes it: 'Family, Given, Jr.', which reference
    managers split at the first comma (they split 'Given Family' at its last space, which takes a
    family name of several words apart). `family` is the family part where it is not the last word
    ('' where it is: see references.family_names); a name that is all family (a body) stays whole."""
    parts = name_parts(name, family)
    if parts is None:
        return name
    given, last, suffix = parts
    return f"{last}, {given}" + (f", {suffix}" if suffix else "")


def name_parts(name: str, family: str = "") -> tuple[str, str, str] | None:
    """A display name ('Given Family, Jr.') as its given names, family part and suffix ('' if none),
    `family` as for ris_name; None for a name of one part (a body, a single word), or whose family
    part does not end it (nor start it, as in a name written family name first: '王小明')."""
    head, _, suffix = name.partition(", ")
    last = family.partition(", ")[0] if family else head.rpartition(" ")[2]
    if last and head.startswith(last) and len(head) > len(last) and " " not in head:
        return head[len(last) :], last, suffix  # family name first, no space: '王小明' (see references)
    if not last or head == last or not head.endswith(" " + last):
        return None
    return head[: -len(last) - 1], last, suffix


def joined_ris(records: Iterable[str]) -> str:
    """Records made by ris_record, one after another with a blank line between them, as one RIS file."""
    return "\n".join(records)
