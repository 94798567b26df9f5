"""A survey's own data rules, declared under `rules:` in content/survey.yaml and enforced by `check`.

The generator's checks hold for every survey; these are the ones a survey's maintainers choose (how
long a summary is, which facets must name a value, whether every study needs an arXiv id, ...), so that
what `surveysite check` accepts is exactly what the project's CI accepts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

from .bibliography import (
    ARXIV_ID,
    BibRecord,
    archive_named,
    arxiv_of_doi,
    arxiv_unversioned,
    arxiv_within,
    howpublished_address,
)
from .bibstyle import name_parts, split_names
from .model import UNKNOWN_VALUES, Annotation, Taxonomy, arxiv_address
from .problems import Location, Problems
from .references import decode_latex, plain_letters
from .yamlfile import FieldReader, LineDict

RULE_KEYS = (
    "key_style", "summary_sentences", "known_facets", "facet_links", "arxiv_id", "venue",
    "placement_note", "every_leaf_has_studies", "key_exceptions", "arxiv_exceptions", "bib_layout",
)  # fmt: skip
KEY_STYLES = ("author-year-word",)
VENUE_FIELDS = {"inproceedings": "booktitle", "article": "journal"}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
# Words whose stop ends no sentence, however the next word begins ("e.g. DoorKey", "Fig. 3", "vs. PPO").
_ABBREVIATIONS = frozenset({
    "al.", "approx.", "ca.", "cf.", "dr.", "e.g.", "eq.", "eqs.", "fig.", "figs.", "i.e.", "nos.",
    "prof.", "ref.", "refs.", "resp.", "sec.", "secs.", "tab.", "vol.", "vs.",
})  # fmt: skip
_WHERE = "the survey's rules in content/survey.yaml"


@dataclass(frozen=True)
class Rules:
    """The data rules a survey chose; each is off unless content/survey.yaml turns it on."""

    key_style: str = ""
    key_exceptions: tuple[str, ...] = ()
    summary_sentences: tuple[int, int] | None = None
    known_facets: tuple[str, ...] = ()
    facet_links: tuple[tuple[str, str], ...] = ()
    arxiv_id: bool = False
    arxiv_exceptions: tuple[str, ...] = ()  # studies with no arXiv version, which arxiv_id excuses
    venue: bool = False
    placement_note: int = 0
    every_leaf_has_studies: bool = False
    bib_layout: bool = False  # the .bib files as `surveysite format` writes them (see build.check)

    @property
    def on_entries(self) -> bool:
        """Whether a rule on the .bib files' entries is on (see _check_record, which checks each)."""
        return self.arxiv_id or self.venue or self.key_style == "author-year-word"


def read_rules(reader: FieldReader, data: LineDict) -> Rules:
    """The `rules:` mapping of content/survey.yaml, every bad value a located problem."""
    if "rules" not in data:
        return Rules()
    rules = reader.mapping(data, "rules")
    reader.unknown_keys(rules, RULE_KEYS)

    def bad(key: str, expected: str) -> None:
        reader.problems.add(reader.at(rules.key_lines[key]), f"rules.{key}: expected {expected}")

    key_style = reader.text(rules, "key_style", required=False)
    if key_style and key_style not in KEY_STYLES:
        bad("key_style", f"one of: {', '.join(KEY_STYLES)}")
        key_style = ""
    sentences = rules.get("summary_sentences")
    bounds = None
    if sentences is not None:
        if isinstance(sentences, list) and len(sentences) == 2 and all(_count(v) for v in sentences):
            bounds = (int(sentences[0]), int(sentences[1]))
        else:
            bad("summary_sentences", "[fewest, most], e.g. [2, 4]")
    links = reader.mapping(rules, "facet_links")
    facet_links = tuple((facet, str(kind)) for facet, kind in links.items())
    flags = {}
    for key in ("arxiv_id", "venue", "bib_layout"):
        value = rules.get(key)
        if value not in (None, "required", "optional"):
            bad(key, "'required' or 'optional'")
        flags[key] = value == "required"
    note = rules.get("placement_note", 0)
    if not _count(note):
        bad("placement_note", "a number of characters, e.g. 40")
        note = 0
    every_leaf = rules.get("every_leaf_has_studies", False)
    if not isinstance(every_leaf, bool):
        bad("every_leaf_has_studies", "true or false")
        every_leaf = False
    return Rules(
        key_style=key_style,
        key_exceptions=tuple(str(v) for v in reader.list_of(rules, "key_exceptions")),
        summary_sentences=bounds,
        known_facets=tuple(str(v) for v in reader.list_of(rules, "known_facets")),
        facet_links=facet_links,
        arxiv_id=flags["arxiv_id"],
        arxiv_exceptions=tuple(str(v) for v in reader.list_of(rules, "arxiv_exceptions")),
        venue=flags["venue"],
        placement_note=int(note),
        every_leaf_has_studies=every_leaf,
        bib_layout=flags["bib_layout"],
    )


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check_rules(
    rules: Rules,
    taxonomy: Taxonomy,
    records: list[BibRecord],
    annotations: list[Annotation],
    problems: Problems,
) -> None:
    """Record every break of the survey's own rules, at the line of the value, with the fix."""
    if rules.on_entries:
        names = {a.key: a.name for a in annotations}
        for record in records:
            _check_record(rules, record, names.get(record.key, ""), problems)
    for annotation in annotations:
        _check_annotation(rules, annotation, problems)
    if rules.every_leaf_has_studies and taxonomy.nodes:
        placed = {c for a in annotations for c in a.categories}
        for node in taxonomy.nodes:
            if node.is_leaf and node.path not in placed:
                problems.add(
                    node.location,
                    f"leaf '{node.path}' holds no study; place at least one study there ({_WHERE})",
                )


def _arxiv_given(record: BibRecord) -> tuple[str, str] | None:
    """The field of an entry without an arXiv eprint that names its arXiv id nonetheless (an eprint
    without archivePrefix, arXiv's DOI, an address of arXiv's as bibliography.arxiv_within reads it),
    and the id without its version; None when none does."""
    eprint = (record.get("eprint") or "").strip()
    doi = arxiv_of_doi(record.get("doi") or "")
    for field, found in (
        ("eprint", eprint if ARXIV_ID.match(eprint) else arxiv_within(eprint)),
        ("doi", doi if ARXIV_ID.match(doi) else ""),
        ("url", arxiv_within(record.get("url") or "")),
    ):
        if found:
            return field, arxiv_unversioned(found)
    return None


def check_record(rules: Rules, record: BibRecord, problems: Problems) -> None:
    """Record every break of the survey's rules by one entry alone (see `surveysite new`): its key's
    last word is not held to its title, since it may come from the study's name, not yet written."""
    _check_record(rules, record, None, problems)


def _check_record(rules: Rules, record: BibRecord, name: str | None, problems: Problems) -> None:
    where = record.location
    eprint = record.get("eprint")
    is_arxiv = bool(eprint) and archive_named(record) == "arxiv"
    given = None if is_arxiv else _arxiv_given(record)
    # The arXiv id the entry gives, as its eprint or elsewhere (its DOI, its url): what its url is held to
    # (a Zotero export was told of its url only once its eprint was added, a contributor's third run).
    arxiv = eprint if is_arxiv else given[1] if given is not None else None
    if rules.arxiv_id and not is_arxiv and record.key not in rules.arxiv_exceptions:
        if given is not None:  # (a Zotero export gives it as arXiv's DOI, and its address: a trial's did)
            named, found = given
            # (A maintainer's trial read "no arXiv eprint, but its eprint names arXiv" as a contradiction.)
            said = (
                f"gives eprint = {{{eprint}}} but does not say it is arXiv's: add archivePrefix = {{arXiv}}"
                if named == "eprint" and arxiv_unversioned(eprint or "") == found
                else f"gives eprint = {{{eprint}}}: write eprint = {{{found}}} and archivePrefix = {{arXiv}}"
                if named == "eprint"  # (a review: 'arXiv:2009.06732' was told to add its archivePrefix alone)
                else f"names arXiv {found} in its {named} but has no eprint: add eprint = {{{found}}} and "
                "archivePrefix = {arXiv}"
            )
            problems.add(where, f"entry '{record.key}' {said} ({_WHERE})")
        else:
            problems.add(
                where,
                f"entry '{record.key}' has no arXiv id; add eprint = {{YYMM.NNNNN}} (the study's own, looked "
                "up on arxiv.org) and archivePrefix = {arXiv}, or, for a study with no arXiv version, list "
                f"its key under rules.arxiv_exceptions ({_WHERE})",
            )
    if rules.venue:
        field = VENUE_FIELDS.get(record.entry_type)
        if field is not None and not record.get(field):
            problems.add(
                where, f"entry '{record.key}' has no '{field}'; add where it was published ({_WHERE})"
            )
        elif (
            record.entry_type == "misc"
            and arxiv
            and ARXIV_ID.match(arxiv)  # else the eprint's own form is reported
            and (record.get("url") or howpublished_address(record.get("howpublished") or ""))
            != arxiv_address(arxiv)
        ):
            problems.add(  # (said as what to write: a trial read it as a statement, its url 'http://')
                where,
                f"entry '{record.key}' is cited as arXiv only: write url = "
                f"{{{arxiv_address(arxiv)}}} ({_WHERE})",
            )
        elif field is None and record.entry_type != "misc":
            problems.add(
                where,
                f"entry '{record.key}' is @{record.entry_type}; use @inproceedings, @article, or @misc for a "
                f"preprint ({_WHERE})",
            )
    if rules.key_style == "author-year-word" and record.key not in rules.key_exceptions:
        fault = key_style_fault(record, name)
        if fault:
            problems.add(where, f"key '{record.key}' {fault} ({_WHERE})")


def key_style_fault(record: BibRecord, name: str | None = "") -> str | None:
    """Why a key is not the first author's surname, a year and a word of the title (or the study's
    short name), or None; with no name (None: not known yet), any last word will do."""
    match = re.fullmatch(r"([a-z]+)(\d{4})([a-z0-9]+)", record.key)
    example = _example_key(record)
    if match is None:
        return f"is not surname, year and title word in lowercase letters and digits; e.g. '{example}'"
    surname, year, word = match.groups()
    surnames = _surnames(record)
    if surnames and surname not in surnames:
        return f"does not start with the first author's surname; e.g. '{example}'"
    if not abs(int(year) - int(record.get("year") or year)) <= 1:
        return f"does not carry the year of publication (or of the preprint); e.g. '{example}'"
    if name is not None and word not in _title_words(record) | {_fold(w) for w in [name, *name.split()]}:
        return f"does not end with one word of the title or the study's name; e.g. '{example}'"
    return None


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


@lru_cache(maxsize=65_536)  # surnames and title words recur across entries
def _fold(text: str, umlauts: bool = False) -> str:
    """Lowercase ASCII letters and digits only: 'Müller' as 'muller', or as 'mueller' with `umlauts`."""
    plain = decode_latex(text)
    return re.sub(r"[^a-z0-9]", "", plain_letters(plain.translate(_UMLAUTS) if umlauts else plain).lower())


def _surnames(record: BibRecord) -> set[str]:
    """The first author's surname as a key may spell it; none for a name in a script without Latin
    letters ('张'), which the key spells as its maintainers choose."""
    authors = split_names(record.get("author") or "")
    if not authors:
        return set()
    try:
        parts = name_parts(authors[0])
        # As the name was read before its accents were kept whole ('Pe\~na' read as 'Pe\' 'na'): a key
        # made then stays valid, since study URLs never change. (Read otherwise only with a backslash.)
        before = parse_single_name_into_parts(authors[0], strict=False) if "\\" in authors[0] else parts
    except InvalidNameError:
        return {_fold(authors[0])} - {""}
    names = {" ".join(part) for read in (parts, before) for part in (read.last, read.von + read.last)}
    folded = {_fold(name, umlauts) for name in names for umlauts in (False, True)}
    return (folded | {_ascii_only(name) for name in names}) - {""}


def _spelled_surname(record: BibRecord) -> str:
    """The first author's surname as a key made now spells it, every letter spelled out ('thorsson' for
    Þórsson, 'sorensen' for Sørensen), without its 'von' part; '' when it cannot be read so. (The
    example keys gave the shortest of _surnames, which can be a spelling kept only for keys made
    before: 'orsson', 'srensen'; a contributor's trial copied one.)"""
    authors = split_names(record.get("author") or "")
    try:
        return _fold(" ".join(name_parts(authors[0]).last)) if authors else ""
    except InvalidNameError:
        return ""


@lru_cache(maxsize=65_536)  # surnames and title words recur across entries
def _ascii_only(name: str) -> str:
    """A surname as the rule folded it before letters such as ø and a dotless i were spelled out
    ('Sørensen' as 'srensen'): keys made then stay valid, since study URLs never change."""
    plain = unicodedata.normalize("NFKD", decode_latex(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


_SMALL_WORDS = {
    "a",
    "an",
    "the",
    "of",
    "on",
    "in",
    "for",
    "to",
    "and",
    "with",
    "do",
    "as",
    "is",
    "are",
    "via",
}


def _title_words(record: BibRecord) -> set[str]:
    title = decode_latex(record.get("title") or "")
    words = {_fold(w) for w in title.split()}
    words |= {_fold(part) for w in title.split() for part in w.split("-")}
    return {w for w in words if w}


def rule_key(rules: Rules, record: BibRecord) -> str | None:
    """The key the survey's key rule suggests for an entry whose key it refuses (see `new --rekey`);
    None when the rule takes the key as it is, when there is no such rule, or when it cannot make one
    of the entry's own (no surname, year or title word to make it of)."""
    if not _key_refused(rules, record):
        return None
    parts = example_parts(record)
    return "".join(parts) if all(parts) else None


def rule_unmade(rules: Rules, record: BibRecord) -> bool:
    """Whether the key rule refuses the entry's key and can make none of it (see rule_key)."""
    return _key_refused(rules, record) and not all(example_parts(record))


def _key_refused(rules: Rules, record: BibRecord) -> bool:
    """Whether the survey's key rule refuses the entry's key."""
    if rules.key_style != "author-year-word" or record.key in rules.key_exceptions:
        return False
    return key_style_fault(record) is not None


def _example_key(record: BibRecord) -> str:
    surname, year, word = example_parts(record)
    return f"{surname or 'surname'}{year or 'YYYY'}{word or 'word'}"


def rule_keys(record: BibRecord) -> list[str]:
    """The keys the key rule takes for an entry, in the order offered: its surname and year with each
    word of its title in turn (none when it gives no surname or year)."""
    surname, year, _ = example_parts(record)
    if not surname or not year:
        return []
    return [f"{surname}{year}{word}" for word in dict.fromkeys(_key_words(record))]


def example_parts(record: BibRecord) -> tuple[str, str, str]:
    """The surname, year and title word an example key is made of, each '' when the entry gives none."""
    surname = _spelled_surname(record) or next(iter(sorted(_surnames(record), key=len)), "")
    return surname, record.get("year") or "", next(_key_words(record), "")


def _key_words(record: BibRecord) -> Iterator[str]:
    """The words of an entry's title a key may end with, folded, in order (read only as far as asked)."""
    folded = (_fold(word) for word in decode_latex(record.get("title") or "").split())
    return (word for word in folded if word and word not in _SMALL_WORDS)


def sentence_count(text: str) -> int:
    """How many sentences a text holds: each ends in '.', '!' or '?' before a capital or a digit, but
    not in an abbreviation (_ABBREVIATIONS)."""
    pieces = [piece for piece in _SENTENCE_END.split(text) if piece.strip()]
    ends = sum(1 for piece in pieces[:-1] if piece.split()[-1].lstrip("([{\"'").lower() not in _ABBREVIATIONS)
    return ends + 1 if pieces else 0


def _check_annotation(rules: Rules, annotation: Annotation, problems: Problems) -> None:
    if rules.summary_sentences and annotation.summary:
        fewest, most = rules.summary_sentences
        count = sentence_count(annotation.summary)
        if not fewest <= count <= most:
            problems.add(
                annotation.line_of("summary"),
                f"the summary has {count} sentence(s); write {fewest} to {most} ({_WHERE})",
            )
    facets = dict(annotation.facets)
    for facet_id in rules.known_facets:
        values = facets.get(facet_id)
        if values and set(values) <= set(UNKNOWN_VALUES):
            problems.add(
                annotation.line_of(f"facets.{facet_id}"),
                f"facet '{facet_id}' must name a value here, not '{values[0]}'; every study has one "
                f"({_WHERE})",
            )
    links = dict(annotation.links)
    for facet_id, kind in rules.facet_links:
        if facets.get(facet_id) == ("yes",) and kind not in links:
            problems.add(
                annotation.line_of(f"facets.{facet_id}"),
                f"'{facet_id}: yes' needs its link: add 'links: {kind}: https://...' ({_WHERE})",
            )
        elif facets.get(facet_id) == ("no",) and kind in links:  # (a trial's gave both, without a word)
            problems.add(
                annotation.line_of(f"facets.{facet_id}"),
                f"'{facet_id}: no' but 'links: {kind}' gives one; say 'yes', or delete the link ({_WHERE})",
            )
    uncertain = annotation.placement != "high"
    if uncertain and len(annotation.placement_note) < rules.placement_note:
        problems.add(
            annotation.line_of("placement"),
            f"placement '{annotation.placement}' needs a placement_note of at least "
            f"{rules.placement_note} characters saying why the leaf is uncertain ({_WHERE})",
        )


def check_edition_count(
    expected: int | None, annotations: list[Annotation], where: Location, problems: Problems, unread: int = 0
) -> None:
    """The number of studies marked in_survey must be the number the original survey reviews. Too few
    are not told while `unread` study files could not be read (their own problems are): any of them
    may be marked (an engines trial's one line indented too far was told first as a study too few)."""
    if expected is None:
        return
    marked = [a for a in annotations if a.in_survey]
    if len(marked) > expected or (len(marked) < expected and not unread):
        last = _last_marked(marked, len(marked) - expected)
        problems.add(
            where,
            f"{len(marked)} studies are marked 'in_survey: true', but edition_of.studies says the survey "
            f"reviews {expected}; mark exactly those it reviews{last}",
        )


def _last_marked(marked: list[Annotation], extra: int, most: int = 3) -> str:
    """When `extra` studies too many are marked, the ones added last (the likeliest to be marked by
    mistake: the survey's own were there first), as a clause naming where each is marked."""
    if extra <= 0:
        return ""
    last = sorted(marked, key=lambda a: (a.added, a.key), reverse=True)[: min(extra, most)]
    places = ", ".join(f"{a.line_of('in_survey')} (added {a.added.isoformat()})" for a in last)
    return f"; the marked {'study' if len(last) == 1 else 'studies'} added last: {places}"
