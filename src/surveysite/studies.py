"""Stage 3: load content/studies/<key>.yaml, one annotation file per study."""

from __future__ import annotations

import datetime
import marshal
import os
import re
import unicodedata
from functools import partial
from pathlib import Path
from typing import Any

from .cache import Memo, content_digest, digest
from .files import (
    HTML_TAG,
    INVISIBLE,
    LineFinder,
    check_characters,
    folder_entries,
    invisible_problem,
    read_text_and_bytes,
    shown_path,
    unread_entry,
)
from .model import NOT_STATED, PLACEMENTS, Annotation, separator_fault, shared
from .problems import Location, Problems, did_you_mean, in_words
from .rendered import is_web_url
from .yamlfile import (
    FieldReader,
    LineDict,
    LineList,
    describe,
    load_yaml,
    read_otherwise,
    undated_problem,
)

STUDY_KEYS = (
    "name", "categories", "placement", "placement_note", "in_survey", "added", "summary", "note", "facets",
    "links",
)  # fmt: skip
MAX_FILE_BYTES = 100_000
FILE_NAME = re.compile(r"^[a-z0-9_-]+\.yaml$")
MAX_SUMMARY_CHARS = 1_500
TODO = "TODO"


def study_paths(
    root: Path, studies_dir: Path, problems: Problems, misnamed: set[str] | None = None
) -> list[tuple[str, str, str]]:
    """The study files to read, in order, each as its key, its path (a string) and its shown path
    (see shown_path); misnamed files are reported and left out, and the key each would have in lower
    case, if that is one, added to `misnamed` (its entry is then not said to lack a study file)."""
    paths = []
    for name, path, shown in folder_entries(root, studies_dir, problems):
        stem, suffix = os.path.splitext(name)
        if suffix == ".yml":
            problems.add(Location(shown, 1), f"rename the file to {stem}.yaml (not .yml)")
            continue
        if suffix != ".yaml" or name.startswith("."):
            unread_entry(root, studies_dir, name, path, ".yaml", problems, lower=True)
            continue
        if not FILE_NAME.match(name):
            lower = name.lower() if FILE_NAME.match(name.lower()) else ""
            problems.add(
                Location(shown, 1),
                "a study file is named after its BibTeX key: lowercase letters, digits, '-' and '_', "
                + (f"then .yaml; rename it to {lower}" if lower else "then .yaml; rename it"),
            )
            if lower and misnamed is not None:
                misnamed.add(lower[: -len(".yaml")])
            continue
        paths.append((stem, path, shown))
    return paths


def read_study(
    root: Path,
    path: Path | str,
    problems: Problems,
    memo: Memo,
    in_accepted_folder: bool = False,
    shown: str = "",
    key: str = "",
) -> Annotation | None:
    """One study file's annotation, or None with its problems recorded (`in_accepted_folder`: the
    file is one study_paths found, in a folder it accepted; see files.read_text; `shown`: its shown
    path, when the caller has it; `key`: its key, the name's stem). (See kept_annotation for one the
    Memo keeps for the file's bytes.) The path may be a string where the shown path and key are given
    (study_paths gives them: 10,000 Path objects were 0.06 s of a cold run)."""
    shown = shown or shown_path(root, Path(path))
    text, data = read_text_and_bytes(root, path, problems, MAX_FILE_BYTES, shown, in_accepted_folder, False)
    if text is None:
        return None
    # What the annotation is made from: its key, and its source; the file's bytes as the stamp takes them.
    source = _source(shown, content_digest(data))
    read = partial(_read_study, key or Path(path).stem, shown, text, source)
    return memo.checked(source, problems, read)


def kept_annotation(
    shown: str, content: str, memo: Memo, problems: Problems
) -> tuple[bool, Annotation | None]:
    """Whether the Memo keeps what reading the study file at `shown` makes of these bytes (`content`:
    their digest, cache.content_digest), and if so, that annotation, with its problems recorded. For
    a file the stamp of this run read (see stamp.Inputs), which refuses a link or special file among
    its inputs: the file itself is then not read again."""
    source = _source(shown, content)
    if not memo.known(source):
        return False, None
    return True, memo.kept_checked(source, problems)


def _source(shown: str, content: str) -> str:
    """The key a study file's annotation is kept under: its shown path and the digest of its bytes."""
    return digest("study", shown, content)


def _read_study(key: str, shown: str, text: str, source: str, problems: Problems) -> Annotation | None:
    # Its characters checked here, not as it is read: the problems are kept with the result, and a run
    # after an edit checks only the files it reads anew.
    if not check_characters(text, shown, 1, problems):
        return None
    data = load_yaml(text, shown, problems, dates_told_later=True)  # (told by _StudyReader.date)
    return _StudyReader(shown, problems).annotation(key, data, text, source)


# What a study file's date that could not be read stands in as (its problem reported).
NO_DATE = datetime.date(1970, 1, 1)


# Where a facet's value, written alone (not as a list), holds a comma: under 'facets.<id>.alone' in a
# study's lines. A terms facet's 'GAT, MPNN' so written is likely meant as two (see validate).
ALONE = "alone"


class _StudyReader(FieldReader):
    def __init__(self, shown: str, problems: Problems) -> None:
        super().__init__(shown, problems)
        self.lines: dict[str, int] = {}

    def annotation(self, key: str, data: Any, text: str | None, source: str) -> Annotation | None:
        if text is None:
            return None
        if data is None and text.strip() == "":
            self.problems.add(
                self.at(1), "the file is empty; fill in the study's fields (see CONTRIBUTING.md)"
            )
            return None
        if data is None and not self.problems:  # only comments, or what YAML reads as nothing
            self.problems.add(
                self.at(1), "the file holds no fields; fill in the study's fields (see CONTRIBUTING.md)"
            )
            return None
        if not isinstance(data, LineDict):
            if data is not None:
                self.problems.add(self.at(1), f"expected a mapping of study fields, found {describe(data)}")
            return None
        self.unknown_keys(data, STUDY_KEYS, "facets")
        if TODO in text or "\\" in text:  # a value says TODO only if the text does, or spells it by escapes
            self.unfilled(data, "", data.line)
        name = self.text(data, "name")
        written = self.text(data, "summary")
        summary = " ".join(written.split())
        summary = "" if is_todo(summary) else summary  # reported by unfilled(), once
        # Looked for only where a mark of them is (nearly no summary has one); a summary too long is
        # reported for its length.
        pasted = summary and len(written) <= 4 * MAX_SUMMARY_CHARS and _MARKUP_MARK.search(written)
        found = [what for what, pattern in _MARKUP if pattern.search(written)] if pasted else []
        if found:  # every kind at once: a trial's summary with four was told of its link alone
            kinds = in_words(found)
            self.problems.warn(
                self.at(data.key_lines["summary"]),
                f"the summary holds {kinds}, which the site shows as typed, in one paragraph of plain text; "
                "write plain sentences",
            )
        if "<" in name and HTML_TAG.search(name):  # (as a summary's: a trial's '<b>' went unsaid)
            self.problems.warn(
                self.at(data.key_lines["name"]),
                "the name holds an HTML tag, which the site shows as typed; write the name as plain text",
            )
        note = " ".join(self.text(data, "note", required=False).split())
        placement_note = self.text(data, "placement_note", required=False)
        if len(summary) > MAX_SUMMARY_CHARS:
            self.problems.add(
                self.at(data.key_lines["summary"]),
                f"the summary is {len(summary):,} characters; keep it under {MAX_SUMMARY_CHARS:,}",
            )
        if "-\n" in text or "- \n" in text or "-\r\n" in text:  # (nearly no file has one)
            self.broken_words(text, [summary, note, placement_note])
        from_pdf = (  # (nearly no file has a mark of them: a text in ASCII, none)
            _PASTED_MARKS.finditer(text) if not text.isascii() and _PASTED_MARKS.search(text) else ()
        )
        for line, mark in sorted({(text.count("\n", 0, m.start()) + 1, m.group()) for m in from_pdf}):
            if mark in INVISIBLE:  # (a trial's zero-width space was published without a word)
                self.problems.add(self.at(line), invisible_problem(mark))
                continue
            said = "a soft hyphen (invisible)" if mark == "\xad" else f"'{mark}', a ligature"
            plain = "" if mark == "\xad" else unicodedata.normalize("NFKC", mark)
            self.problems.add(
                self.at(line),
                f"{said} pasted from a PDF, which search does not read as letters: "
                + (f"type '{plain}'" if plain else "delete it"),
            )
        if "in_survey" not in data and self.misspelled(data, "in_survey"):  # said, misspelled: reported so
            self.lines["in_survey"] = data.line  # (check_survey asks for it where it is missing: see says)
        annotation = Annotation(
            key=key,
            name=name,
            categories=shared(self.strings(data, "categories")),
            placement=self.placement(data),
            placement_note=placement_note,
            # Asked of every study only where the site is an edition of a published survey: see check_survey.
            in_survey=self.flag(data, "in_survey") if "in_survey" in data else False,
            added=self.date(data, "added"),
            summary=summary,
            note=note,
            facets=self.facets(data),
            links=self.links(data),
            location=self.at(1),
            lines=marshal.dumps({**data.key_lines, **self.lines}),
            source=source,
        )
        # Returned even with problems, so that the checks across files report this file's other
        # problems in the same run; a project with any problem builds nothing.
        return annotation

    def broken_words(self, text: str, values: list[str]) -> None:
        """Report a hyphenated word split at a line's end, which YAML joins to the next line with a
        space ('MMHal-' then 'Bench' reads 'MMHal- Bench'), where a value holds it so joined."""
        # (Values joined once, lines counted once: a review's file of many such lines joined every value
        # again for each, and counted lines from the top.)
        read = [" ".join(value.split()) for value in values]
        line_of = LineFinder(text)
        for found in _LINE_END_HYPHEN.finditer(text):
            head, tail = _word_before(text, found.start()), found.group(1)
            if not head:
                continue
            joined = f"{head}- {tail}"
            if tail.lower() not in _SUSPENDED and any(joined in value for value in read):
                self.problems.add(
                    self.at(line_of(found.start())),
                    f"'{head}-' ends the line, and YAML joins the next line to it with a space "
                    f"('{joined}'); "
                    + (
                        f"write '{head}-{tail}' on one line"
                        if "-" in head  # 'state-of-the-' 'art': the word is hyphenated already
                        else f"write '{head}{tail}' on one line, or '{head}-{tail}' if the hyphen belongs "
                        "to the word"
                    ),
                )

    def unfilled(self, value: Any, where: str, line: int) -> None:
        """Report every value a `surveysite new` stub left as TODO."""
        if is_todo(value):
            optional = where.startswith("links.") or where in ("note", "placement_note")
            self.problems.add(
                self.at(line),
                f"'{where}' still says {TODO}; fill it in{', or delete the line' if optional else ''}",
            )
        elif isinstance(value, LineDict):
            for key, item in value.items():
                self.unfilled(item, f"{where}.{key}" if where else key, value.key_lines[key])
        elif isinstance(value, LineList):
            for item, item_line in zip(value, value.item_lines, strict=True):
                self.unfilled(item, where, item_line)

    def strings(self, data: LineDict, key: str) -> tuple[str, ...]:
        items = self.list_of(data, key, required=True)
        if not items and key in data and isinstance(data[key], list | type(None)):
            self.problems.add(self.at(items.line), f"'{key}' is empty; give at least one")
        values: list[str] = []
        for item, line in zip(items, items.item_lines, strict=True):
            if is_todo(item):
                continue  # reported by unfilled(), once
            if isinstance(item, str) and item.strip():
                self.lines[f"{key}.{len(values)}"] = line
                values.append(item.strip())
            else:
                self.problems.add(self.at(line), f"each of '{key}' should be text, found {describe(item)}")
        return tuple(values)

    def placement(self, data: LineDict) -> str:
        value = data.get("placement", "high")
        if value not in PLACEMENTS:
            self.problems.add(
                self.at(data.key_lines["placement"]),
                f"'placement' should be one of {', '.join(PLACEMENTS)}, found {describe(value)}"
                f"{did_you_mean(str(value), PLACEMENTS)}",
            )
            return "high"
        return str(value)

    def flag(self, data: LineDict, key: str) -> bool:
        value = data.get(key)
        if not isinstance(value, bool):
            if key not in data:
                self.missing(data, key, "add it, true or false")
            else:
                quoted = isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no")
                hint = "; write it without quotes" if quoted else ""  # (as 'added' says of a quoted date)
                self.problems.add(
                    self.at(data.key_lines[key]),
                    f"'{key}' should be true or false, found {describe(value)}{hint}",
                )
            return False
        return value

    def date(self, data: LineDict, key: str) -> datetime.date:
        value = data.get(key)
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if key not in data:  # (was 'found nothing': a trial)
            self.missing(data, key, "add it, a date like 2026-11-24")
            return NO_DATE
        undated = undated_problem(data, key)
        if undated is not None:  # no day of the calendar, as YAML reads it
            self.problems.add(self.at(data.key_lines[key]), undated)
            return NO_DATE
        quoted = isinstance(value, str) and _DATE.fullmatch(value.strip())
        hint = "; write it without quotes, which make it text" if quoted else ""
        hint = "; keep the day alone" if isinstance(value, datetime.datetime) else hint
        self.problems.add(
            self.at(data.key_lines[key]),
            f"'{key}' should be a date like 2026-11-24, found {describe(value)}{hint}",
        )
        return NO_DATE

    def facets(self, data: LineDict) -> tuple[tuple[str, tuple[str, ...]], ...]:
        facets = self.mapping(data, "facets")
        result = []
        for facet_id, raw in facets.items():
            line = self.lines[f"facets.{facet_id}"] = facets.key_lines[facet_id]
            items = raw if isinstance(raw, list) else [raw]
            item_lines = raw.item_lines if isinstance(raw, LineList) else [line] * len(items)
            spellings = raw.item_spelled if isinstance(raw, LineList) else {0: facets.spelled.get(facet_id)}
            values: list[str] = []
            reported = False  # a value already reported is not reported again as an empty facet
            for index, item in enumerate(items):
                if is_todo(item):
                    reported = True  # by unfilled()
                    continue
                value = _facet_text(item)
                spelled = spellings.get(index)
                # yes and no, as written, are values; other spellings of true and false are not
                read = read_otherwise(item, spelled) if spelled not in ("yes", "no") else None
                if isinstance(item, bool) and read is not None:
                    word = "yes" if item else "no"
                    # ('in lowercase' only for 'Yes': a trial that wrote 'true' read it as said of that)
                    how = "in lowercase" if (spelled or "").lower() == word else "instead"
                    self.problems.add(
                        self.at(item_lines[index]),
                        f"facet '{facet_id}': YAML reads {spelled} as {read}; write {word} {how}, "
                        "or quote the text",
                    )
                    reported = True
                elif value is None:
                    self.problems.add(
                        self.at(line),
                        f"facet '{facet_id}': {describe(item)} is not a value; write text"
                        # ('TL;DR: summarization' in brackets is a mapping to YAML: a contributor's trial)
                        + (
                            "; a value holding ': ' must be quoted: \"TL;DR: summarization\""
                            if isinstance(item, dict)
                            else ""
                        ),
                    )
                    reported = True
                elif read is not None:
                    self.problems.add(
                        self.at(item_lines[index]),
                        f"facet '{facet_id}': YAML reads {spelled} as {read}; "
                        f'quote it ("{spelled}") to keep it as written',
                    )
                    reported = True
                elif fault := separator_fault(value):  # the CSV or a link could not tell it from two values
                    self.problems.add(self.at(item_lines[index]), f"facet '{facet_id}': '{value}' {fault}")
                    reported = True
                elif value:
                    if not isinstance(raw, list) and "," in value:  # (one value with commas: see ALONE)
                        self.lines[f"facets.{facet_id}.{ALONE}"] = line
                    if "<" in value and HTML_TAG.search(value):  # (as a name's: shown as typed)
                        self.problems.warn(
                            self.at(item_lines[index]),
                            f"facet '{facet_id}': '{value}' holds an HTML tag, which the site shows as "
                            "typed; write the value as plain text",
                        )
                    if item_lines[index] != line:  # a value on a line of its own: placed there
                        self.lines[f"facets.{facet_id}.{len(values)}"] = item_lines[index]
                    values.append(value)
            if not values and not reported:
                self.problems.add(self.at(line), f"facet '{facet_id}' is empty; write '{NOT_STATED}'")
            result.append(shared((facet_id, tuple(values))))  # a value of many studies: see shared
        return tuple(result)

    def links(self, data: LineDict) -> tuple[tuple[str, str], ...]:
        # Any kind is read here; content/survey.yaml declares the allowed kinds (survey.check_survey).
        links = self.mapping(data, "links")
        result = []
        for kind in links:
            self.lines[f"links.{kind}"] = links.key_lines[kind]
            value = self.text(links, kind)
            if value and not is_todo(value):
                result.append((kind, value))
                if not is_web_url(value):  # checked here, in the reading the Memo keeps
                    where = self.at(links.key_lines[kind])
                    whole = "" if "://" in value else "; write the whole address, beginning https://"
                    self.problems.add(where, f"link '{kind}' is not an http(s) URL: '{value}'{whole}")
        return tuple(result)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A soft hyphen; ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ; and the invisible characters pasted from web pages (see files.INVISIBLE).
_PASTED_MARKS = re.compile("[\xad\ufb00-\ufb06" + "".join(INVISIBLE) + "]")
# A hyphen ending a line, and the word starting the next: YAML joins them with a space. (The word
# before the hyphen is read back from it, by _word_before: a pattern holding it, '(\w[\w.-]*)-...',
# tried each of a long run's characters as its start, and a hostile-input trial's study file with a
# comment of 99,000 letters took a minute to check.)
_LINE_END_HYPHEN = re.compile(r"-[ \t]*\r?\n[ \t]*(\w+)")


def _word_before(text: str, end: int) -> str:
    """The word (letters, digits, '_', and '.' or '-' within it) that ends at `end`, or ''."""
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
        start -= 1
    while start < end and text[start] in ".-":  # (it starts with a letter, digit or '_')
        start += 1
    return text[start:end]


# What follows a hyphen that ends a word on purpose ("pre- and post-training", "first- or second-order").
_SUSPENDED = frozenset({"and", "or", "nor", "to", "vs", "versus"})
_MARKUP_MARK = re.compile(r"[|<\n]|\*\*|\]\(|\A[ \t]*(?:[-*+]|#{1,6})[ \t]")  # what each of _MARKUP holds
# Markup pasted into a summary, which is plain text (see markdown.escape): what each looks like. Each
# pattern is linear: no two parts can match the same run of characters, and each run is bounded.
_MARKUP = (
    ("a Markdown table", re.compile(r"^[ \t]*(?:\|[ \t]*)?:?-{3,}:?[ \t]*\|", re.MULTILINE)),
    ("an HTML tag", HTML_TAG),
    ("Markdown emphasis", re.compile(r"(?<![\w*])\*\*[^\s*][^*\n]{0,200}\*\*(?![\w*])")),
    ("a Markdown link", re.compile(r"\[[^\[\]\n]{1,200}\]\(https?://[^()\s]{1,500}\)")),
    ("a Markdown list or heading", re.compile(r"(?:\A|\n)[ \t]*(?:[-*+]|#{1,6})[ \t]+\S")),
)


def is_todo(value: Any) -> bool:
    """Whether a value is still a `surveysite new` stub's TODO (reported by unfilled)."""
    return isinstance(value, str) and value.strip().startswith(TODO)


def _facet_text(item: Any) -> str | None:
    if isinstance(item, bool):
        return "yes" if item else "no"
    if isinstance(item, str):
        return " ".join(item.split())
    if isinstance(item, int | float):
        return str(item)
    return None
