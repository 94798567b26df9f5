"""Stage 0: load content/survey.yaml, the survey's identity: title, original edition, feed, links, colours."""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .bibliography import TEX_NAME, identifier_fault, tex_command_fault
from .files import read_text, refusal
from .model import Annotation, Taxonomy, shown_on_one_line
from .problems import Location, Problems, did_you_mean
from .rendered import is_web_url
from .rules import Rules, read_rules
from .yamlfile import FieldReader, LineDict, load_yaml

SURVEY_FILE = "content/survey.yaml"
SURVEY_KEYS = (
    "title", "description", "edition_of", "feed", "schema_title", "links", "class_colours", "rules",
    "repository", "tex_commands",
)  # fmt: skip
EDITION_KEYS = (
    "short_name", "citation", "year", "doi", "studies", "title", "authors", "venue", "volume", "pages",
    "arxiv",
)  # fmt: skip
FEED_KEYS = ("title", "id")
COLOUR_KEYS = ("light", "dark")
DEFAULT_LINKS = (
    ("code", "Code"), ("project", "Project page"), ("data", "Data"), ("demo", "Demo"), ("video", "Video"),
)  # fmt: skip
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LINK_KIND = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass(frozen=True)
class Edition:
    """The published survey this site is an edition of."""

    short_name: str
    citation: str
    year: int | None
    doi: str
    studies: int | None = None
    line: int = field(default=1, compare=False)
    title: str = ""  # the record reference managers capture (title, authors, venue, arXiv id)
    authors: tuple[str, ...] = ()
    venue: str = ""
    volume: str = ""  # and its pages ('101--130'): a reader's trial found the record without them
    pages: str = ""
    arxiv: str = ""


@dataclass(frozen=True)
class ClassColour:
    """The colour of one class in charts, in the light and the dark scheme."""

    light: str
    dark: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Survey:
    """Everything the site says about this particular survey, from content/survey.yaml."""

    title: str
    description: str
    edition_of: Edition | None
    feed_title: str
    feed_id: str
    schema_title: str
    links: tuple[tuple[str, str], ...]
    class_colours: tuple[tuple[str, ClassColour], ...]
    location: Location
    rules: Rules = field(default_factory=Rules)
    repository: str = ""  # the project's public repository, e.g. https://github.com/ORG/REPO
    # TeX commands the BibTeX fields may hold besides those every survey's may (see bibliography.tex_allowed)
    tex_commands: frozenset[str] = frozenset()

    def link_label(self, kind: str) -> str:
        """The label shown for a link kind."""
        return dict(self.links)[kind]

    def colours(self, classes: tuple[str, ...]) -> tuple[ClassColour, ...]:
        """The colours of these classes, in order: as configured, else from an evenly spaced palette."""
        given = dict(self.class_colours)
        return tuple(given.get(c) or palette_colour(i, len(classes)) for i, c in enumerate(classes))


def palette_colour(index: int, count: int) -> ClassColour:
    """One of `count` distinct colours, for the light scheme and the dark: hues evenly spaced in OKLCH
    (a space where equal steps look equal), starting at the theme's indigo, dark enough on white and
    light enough on slate for text (4.5:1). Past six, every other colour is darker: an edge-case
    trial's twelve classes, spaced in HLS at one lightness, had greens 0.036 apart in OKLab (0.082 now;
    0.02 is about the least difference seen)."""
    tiers = count > 6
    slots = count + (tiers and count % 2)  # (odd: one slot left empty, so the first and last stand apart)
    hue = (264 + 360 * index / max(slots, 1)) % 360
    darker = tiers and index % 2 == 1
    return ClassColour(
        _oklch(0.40 if darker else 0.50, 0.16, hue), _oklch(0.70 if darker else 0.80, 0.13, hue)
    )


def _oklch(lightness: float, chroma: float, hue: float) -> str:
    """The sRGB colour (#rrggbb) of this OKLCH lightness and hue, at this chroma or the most that sRGB
    holds there (found by halving)."""

    def linear(c: float) -> tuple[float, float, float]:
        a, b = c * math.cos(math.radians(hue)), c * math.sin(math.radians(hue))
        l_, m_, s_ = (
            (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3,
            (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3,
            (lightness - 0.0894841775 * a - 1.2914855480 * b) ** 3,
        )
        return (
            4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
            -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
            -0.0041960863 * l_ - 0.7034186147 * m_ + 1.7076147010 * s_,
        )

    def inside(c: float) -> bool:
        return all(-1e-6 <= x <= 1 + 1e-6 for x in linear(c))

    if not inside(chroma):
        low, high = 0.0, chroma
        for _ in range(30):
            low, high = ((low + high) / 2, high) if inside((low + high) / 2) else (low, (low + high) / 2)
        chroma = low

    def encoded(x: float) -> int:
        x = min(max(x, 0.0), 1.0)
        return round(255 * (12.92 * x if x <= 0.0031308 else 1.055 * x ** (1 / 2.4) - 0.055))

    return "#" + "".join(f"{encoded(x):02x}" for x in linear(chroma))


def load_survey(root: Path, problems: Problems) -> Survey:
    """Read content/survey.yaml; record problems and return what could be read."""
    path = root / SURVEY_FILE
    empty = Survey("", "", None, "", "", "", DEFAULT_LINKS, (), Location(SURVEY_FILE, 1))
    if refusal(root, path) == "does not exist":  # a link, a device or a folder: read_text says which
        problems.add(
            Location(SURVEY_FILE, 1),
            "file is missing; create it with at least 'title: ...' (see CONTRIBUTING.md)",
        )
        return empty
    text = read_text(root, path, problems, 100_000)
    before = len(problems)
    data = load_yaml(text, SURVEY_FILE, problems) if text is not None else None
    if data is None:
        if text is not None and len(problems) == before:  # empty, or only comments
            problems.add(Location(SURVEY_FILE, 1), "the file holds no settings; give at least 'title: ...'")
        return empty
    if not isinstance(data, LineDict):
        problems.add(Location(SURVEY_FILE, 1), "expected a mapping with at least the key 'title'")
        return empty
    return _Reader(SURVEY_FILE, problems).survey(data)


# An absolute URI as Atom's id takes it: a scheme, then no space, quote or angle bracket.
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


class _Reader(FieldReader):
    def survey(self, data: LineDict) -> Survey:
        self.unknown_keys(data, SURVEY_KEYS)
        title = self.text(data, "title")
        feed = self.mapping(data, "feed")
        self.unknown_keys(feed, FEED_KEYS)
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "survey"
        return Survey(
            title=title,
            description=self.text(data, "description", required=False),
            edition_of=self.edition(data),
            feed_title=self.text(feed, "title", required=False) or f"{title}: studies added",
            feed_id=self.feed_id(feed) or f"urn:surveysite:{slug}:additions",
            schema_title=self.text(data, "schema_title", required=False) or f"Studies of {title}",
            links=self.links(data),
            class_colours=self.colours(data),
            location=self.at(data.line),
            rules=read_rules(self, data),
            repository=self.repository(data),
            tex_commands=self.tex_commands(data),
        )

    def tex_commands(self, data: LineDict) -> frozenset[str]:
        """The names under 'tex_commands' that may be allowed (see bibliography.tex_command_fault): each
        a control word's name, without its backslash."""
        names = self.list_of(data, "tex_commands")
        allowed = set()
        for name, line in zip(names, names.item_lines, strict=True):
            written = name.strip().removeprefix("\\") if isinstance(name, str) else ""
            if not TEX_NAME.fullmatch(written):
                self.problems.add(
                    self.at(line),
                    f"tex_commands: '{shown_on_one_line(str(name))}' is no TeX command's name; write its "
                    "letters alone, like 'ce' for \\ce",
                )
            elif why := tex_command_fault(written):
                self.problems.add(self.at(line), f"tex_commands: '{written}' {why}")
            else:
                allowed.add(written)
        return frozenset(allowed)

    def feed_id(self, feed: LineDict) -> str:
        """The feed's id (Atom's: an absolute URI that never changes), '' when not given."""
        value = self.text(feed, "id", required=False)
        if value and not _URI.fullmatch(value):
            self.problems.add(
                self.at(feed.key_lines["id"]),
                f"the feed's 'id' should be a URI that never changes, like urn:uuid:... or https://...; "
                f"found '{value}'",
            )
            return ""
        return value

    def repository(self, data: LineDict) -> str:
        address = self.text(data, "repository", required=False).rstrip("/")
        if address and not is_web_url(address):
            self.problems.add(
                self.at(data.key_lines["repository"]),
                "'repository' should be the project's web address, like https://github.com/ORG/REPO;"
                f" found '{address}'",
            )
            return ""
        return address

    def edition(self, data: LineDict) -> Edition | None:
        if "edition_of" not in data:
            return None
        item = self.mapping(data, "edition_of")
        self.unknown_keys(item, EDITION_KEYS)
        numbers: dict[str, int | None] = {}
        for key, example in (("year", "2019"), ("studies", "26")):
            value = item.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                self.problems.add(self.at(item.key_lines[key]), f"'{key}' should be a number like {example}")
                value = None
            numbers[key] = value
        if (year := numbers["year"]) is not None and year > datetime.date.today().year + 1:
            self.problems.add(
                self.at(item.key_lines["year"]),
                f"'year' is {year}, after next year; give the year it was published",
            )
        doi = self.text(item, "doi", required=False)
        arxiv = self.text(item, "arxiv", required=False)
        for key, value, kind in (("doi", doi, "doi"), ("arxiv", arxiv, "eprint")):
            if value and (fault := identifier_fault(kind, value)):
                self.problems.add(self.at(item.key_lines[key]), f"'{key}': {fault}")
        return Edition(
            self.line(item, "short_name"),  # (`new` quotes it in a comment of the study files it writes)
            self.text(item, "citation", required=False),
            numbers["year"],
            doi,
            numbers["studies"],
            item.key_lines.get("studies", item.line),
            title=self.text(item, "title", required=False),
            authors=tuple(self.authors(item)),
            venue=self.text(item, "venue", required=False),
            volume=self.number_or_text(item, "volume", "12"),
            pages=self.number_or_text(item, "pages", "101--130"),
            arxiv=arxiv,
        )

    def number_or_text(self, item: LineDict, key: str, example: str) -> str:
        """A value YAML may read as a number (volume: 12) or as text (pages: 101--130); '' if none."""
        value = item.get(key)
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return "" if value is None else str(value)
        if not isinstance(value, str) or not value.strip():
            self.problems.add(self.at(item.key_lines[key]), f"'{key}' should be like {example}")
            return ""
        return " ".join(value.split())

    def authors(self, item: LineDict) -> list[str]:
        names = self.list_of(item, "authors")
        bad = [name for name in names if not isinstance(name, str) or not name.strip()]
        if bad:
            self.problems.add(self.at(item.key_lines["authors"]), "'authors' should be a list of names")
            return []
        return [" ".join(name.split()) for name in names]

    def links(self, data: LineDict) -> tuple[tuple[str, str], ...]:
        if "links" not in data:
            return DEFAULT_LINKS
        links = self.mapping(data, "links")
        result = []
        for kind in links:
            if not LINK_KIND.fullmatch(kind):  # ('$' matches before a last line break)
                self.problems.add(
                    self.at(links.key_lines[kind]),
                    f"link kind '{shown_on_one_line(kind)}' should be lowercase letters, digits, '-' or '_'",
                )
            label = self.text(links, kind)
            if label:
                result.append((kind, label))
        return tuple(result)

    def colours(self, data: LineDict) -> tuple[tuple[str, ClassColour], ...]:
        colours = self.mapping(data, "class_colours")
        result = []
        for class_id, value in colours.items():
            line = colours.key_lines[class_id]
            if isinstance(value, str):
                light = dark = value.strip()
            elif isinstance(value, LineDict):
                self.unknown_keys(value, COLOUR_KEYS)
                light, dark = self.text(value, "light"), self.text(value, "dark")
            else:
                self.problems.add(self.at(line), f"class '{class_id}': give a colour like '#3f51b5'")
                continue
            bad = [c for c in (light, dark) if c and not HEX_COLOUR.fullmatch(c)]
            if bad:
                self.problems.add(
                    self.at(line), f"class '{class_id}': '{bad[0]}' is not a colour like '#3f51b5'"
                )
                continue
            result.append((class_id, ClassColour(light, dark, line)))
        return tuple(result)


def check_survey(
    survey: Survey, taxonomy: Taxonomy, annotations: list[Annotation], problems: Problems
) -> None:
    """Problems across files: unknown classes coloured, undeclared link kinds, in_survey with no original
    survey, or missing in an edition of one (a site of its own, not an edition, need not say it)."""
    classes = [n.path for n in taxonomy.nodes if n.parent is None]
    for class_id, colour in survey.class_colours:
        if classes and class_id not in classes:  # no classes: the taxonomy's own problems say why
            problems.add(
                Location(SURVEY_FILE, colour.line),
                f"class_colours: no class '{class_id}' in content/taxonomy.yaml"
                + did_you_mean(class_id, classes),
            )
    kinds = [kind for kind, _ in survey.links]
    for facet in taxonomy.facets:  # the issue form asks for each link in a field of its own: see issueform
        if facet.id.endswith("-link") and facet.id.removesuffix("-link") in kinds:
            problems.add(
                facet.location,
                f"facet id '{facet.id}' is the issue form's field for the link kind "
                f"'{facet.id.removesuffix('-link')}' ({SURVEY_FILE}, links); choose another id",
            )
    # (An edition without its short name: reported in its place.)
    original = survey.edition_of.short_name or "a published survey" if survey.edition_of else ""
    for annotation in annotations:
        # (A study marked true said it: only the others' lines are read to tell.)
        if survey.edition_of is not None and not annotation.in_survey and not annotation.says("in_survey"):
            problems.add(
                annotation.location,
                f"missing 'in_survey'; add it: this site is an edition of {original}; write true if it "
                "reviews the study, else false",
            )
        if annotation.in_survey and survey.title and survey.edition_of is None:
            problems.add(
                annotation.line_of("in_survey"),
                f"'in_survey: true' but {SURVEY_FILE} names no original survey (edition_of); "
                "delete the line, or add edition_of",
            )
        for kind, _ in annotation.links:
            if kind not in kinds:
                problems.add(
                    annotation.line_of(f"links.{kind}"),
                    f"unknown link kind '{kind}'{did_you_mean(kind, kinds)}; use one of: {', '.join(kinds)} "
                    f"(the site's maintainers declare the kinds, under 'links' in {SURVEY_FILE})",
                )
