"""Stage 2: load content/taxonomy.yaml: the tree of nodes and the facets of the matrix."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

from .cache import Memo, digest
from .files import read_text, shown_path
from .model import FACET_KINDS, UNKNOWN_VALUES, Facet, Node, Taxonomy, separator_fault, shown_on_one_line
from .problems import Location, Problems, did_you_mean
from .yamlfile import FieldReader, LineDict, LineList, describe, empty_list, load_yaml, read_otherwise

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NODE_KEYS = ("id", "name", "gloss", "description", "children")
FACET_KEYS = ("id", "label", "kind", "description", "values")
MAX_DEPTH = 3
# The matrix's own columns and filters: a facet with one of these ids would be confused with them.
# The names of the site's own columns and fields beside the facets': the matrix's columns and filters,
# the CSV download's columns, the issue form's fields. (A facet's id names its column in each; in_survey
# is no slug, so no facet's id.)
RESERVED_FACET_IDS = ("class", "leaf", "year", "study", "name", "key", "text", "categories", "title",
                      "authors", "venue", "doi", "arxiv", "placement", "added", "summary", "note",
                      "bibtex", "confirm")  # fmt: skip


def load_taxonomy(root: Path, path: Path, problems: Problems, memo: Memo | None = None) -> Taxonomy:
    """Read the taxonomy file; record problems and return what could be read. With a memo, the same
    text is read as it was the last time (its problems recorded again), not parsed anew."""
    shown = shown_path(root, path)
    text = read_text(root, path, problems, 1_000_000)
    if text is None:
        return Taxonomy((), ())
    if memo is None:
        return _taxonomy(text, shown, problems)
    return memo.checked(digest("taxonomy", shown, text), problems, partial(_taxonomy, text, shown))


def _taxonomy(text: str, shown: str, problems: Problems) -> Taxonomy:
    """The taxonomy in this text of the file `shown`."""
    before = len(problems)
    data = load_yaml(text, shown, problems)
    if data is None:
        if len(problems) == before:  # empty, or only comments: no error of YAML's to report
            problems.add(Location(shown, 1), "the file holds no taxonomy; give its 'tree', and its "
                         "'facets' if it has any (see CONTRIBUTING.md)")  # fmt: skip
        return Taxonomy((), ())
    if not isinstance(data, LineDict):
        problems.add(Location(shown, 1), "expected a mapping with the key 'tree' (and 'facets', if any)")
        return Taxonomy((), ())
    reader = _Reader(shown, problems, text.split("\n"))
    reader.unknown_keys(data, ("facets", "tree"))
    facets = reader.facets(data)
    nodes: list[Node] = []
    tree = reader.list_of(data, "tree", required=True)
    if not tree and isinstance(data.get("tree"), LineList):  # (missing, or not a list: reported)
        problems.add(reader.at(data.key_lines["tree"]), "'tree' is empty; add at least one class")
    reader.nodes(tree, "", nodes)
    return Taxonomy(tuple(nodes), tuple(facets))


class _Reader(FieldReader):
    def __init__(self, shown: str, problems: Problems, lines: list[str]) -> None:
        super().__init__(shown, problems)
        self.lines = lines  # the file's, to tell where a text written as a block begins

    def text_line(self, item: LineDict, key: str) -> tuple[int, bool]:
        """The line a text value begins on (its key's, or the next for a block: '|' or '>' after the
        key; a link's problem in a node's description was told at the node's first line), and whether
        its lines are the file's from there: a '|' block's, or a value of one line."""
        line = item.key_lines.get(key, item.line)
        written = self.lines[line - 1].partition(":")[2].lstrip() if 0 < line <= len(self.lines) else ""
        if written[:1] in ("|", ">"):
            return line + 1, written[0] == "|"
        value = item.get(key)
        return line, not (isinstance(value, str) and "\n" in value.strip())

    def facets(self, data: LineDict) -> list[Facet]:
        facets: list[Facet] = []
        items = self.list_of(data, "facets")  # (a survey may have none, and need not say so)
        for item, line in zip(items, items.item_lines, strict=True):
            if not isinstance(item, LineDict):
                self.problems.add(self.at(line), "each facet should be a mapping with 'id', 'label', 'kind'")
                continue
            self.unknown_keys(item, FACET_KEYS)
            facet_id = self.slug(item)
            if facet_id in RESERVED_FACET_IDS:
                self.problems.add(
                    self.at(item.key_lines["id"]),
                    f"facet id '{facet_id}' names one of the site's own columns or fields (of the matrix, "
                    f"the CSV download or the issue form: {', '.join(RESERVED_FACET_IDS)}); "
                    "choose another id",
                )
                continue
            kind = self.text(item, "kind", required=False)  # (one not text reported there)
            if not kind and (item.get("kind") is None or isinstance(item.get("kind"), str)):
                # Missing or empty: told with the kinds to choose from, as an unknown one is (a trial).
                choices = f"one of: {', '.join(FACET_KINDS)}"
                if "kind" in item:
                    self.problems.add(self.at(item.key_lines["kind"]), f"'kind' is empty; give {choices}")
                else:
                    self.missing(item, "kind", f"add it, {choices}")
            if kind not in FACET_KINDS:
                if kind:
                    self.problems.add(
                        self.at(item.key_lines["kind"]),
                        f"unknown facet kind '{kind}'{did_you_mean(kind, FACET_KINDS)} "
                        f"(expected one of: {', '.join(FACET_KINDS)})",
                    )
                # Reported: its values read as given, its studies' values held to no kind it does not have.
                values = self.values(item, "vocabulary" if "values" in item else "terms")
                kind = "terms"
            else:
                values = self.values(item, kind)
            if facet_id in {f.id for f in facets}:
                self.problems.add(self.at(item.line), f"facet id '{facet_id}' is used twice")
                continue
            facets.append(
                Facet(facet_id, self.line(item, "label"), kind, self.text(item, "description"),
                      values, self.at(item.line))
            )  # fmt: skip
        return facets

    def values(self, item: LineDict, kind: str) -> tuple[str, ...]:
        raw = self.list_of(item, "values", required=kind == "vocabulary")
        if kind != "vocabulary" and "values" in item:
            self.problems.add(self.at(item.key_lines["values"]), f"a '{kind}' facet takes no 'values'")
        read = [self._value(raw, index) for index in range(len(raw))]
        values = tuple(value for value in read if value is not None)
        seen: set[str] = set()
        for value, line in zip(read, raw.item_lines, strict=True):
            if value is not None and value in seen:
                self.problems.add(self.at(line), f"value '{value}' is listed twice; remove one")
            if value is not None:
                seen.add(value)
        for unknown in UNKNOWN_VALUES:
            if unknown in values:
                self.problems.add(self.at(raw.line), f"'{unknown}' is always allowed; remove it")
        if kind == "vocabulary" and isinstance(item.get("values"), LineList) and not raw:  # (else: above)
            self.problems.add(self.at(item.key_lines["values"]), "'values' is empty; list the values allowed")
        return values

    def _value(self, raw: LineList, index: int) -> str | None:
        """One value of a vocabulary as written; None (and a problem) for one YAML reads as something
        else than text (1.10 as 1.1, yes as true) or that is no text at all (a list, a mapping)."""
        value, spelled, where = raw[index], raw.item_spelled.get(index), self.at(raw.item_lines[index])
        if isinstance(value, str):
            fault = separator_fault(value)
            if fault:
                self.problems.add(where, f"value '{shown_on_one_line(value.strip())}' {fault}")
                return None
            if not value.strip():  # (a column of the heat map without a heading, a choice of nothing)
                self.problems.add(where, "a value is empty; write it, or remove the item")
                return None
            if value.strip().lower() == "none":  # GitHub refuses an issue form that offers it
                self.problems.add(
                    where,
                    f"value '{value.strip()}' is the word GitHub's issue forms keep for choosing nothing, "
                    "and the proposal form offers each value; name it otherwise, e.g. 'none used'",
                )
                return None
            return value.strip()
        read = read_otherwise(value, spelled)
        if read is not None:
            self.problems.add(where, f'value {spelled}: YAML reads it as {read}; quote it ("{spelled}")')
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.problems.add(where, f"a value should be text, found {describe(value)}; write text")
        return None

    def slug(self, item: LineDict) -> str:
        value = self.text(item, "id")
        if value and not SLUG.match(value):
            self.problems.add(
                self.at(item.key_lines["id"]),
                f"id '{value}' is not a URL slug; use lowercase letters, digits and single '-'",
            )
        return value

    def nodes(self, items: LineList, parent: str, out: list[Node]) -> None:
        depth = parent.count("/") + 1 if parent else 0
        for item, line in zip(items, items.item_lines, strict=True):
            if not isinstance(item, LineDict):
                self.problems.add(self.at(line), "each node should be a mapping with 'id' and 'name'")
                continue
            self.unknown_keys(item, NODE_KEYS)
            path = f"{parent}/{self.slug(item)}" if parent else self.slug(item)
            first = next((n for n in out if n.path == path), None)
            if first is not None:
                self.problems.add(
                    self.at(item.line),
                    f"node '{path}' is defined twice (first at line {first.location.line}); give one of them "
                    "another id, or remove one",
                )
                continue
            children = self.list_of(item, "children")
            if children and depth + 1 >= MAX_DEPTH:
                self.problems.add(
                    self.at(children.line),
                    f"'{path}' is on the tree's last level ({MAX_DEPTH} at most), so it can have no "
                    "children: place their studies in it, or move the children up a level",
                )
                children = empty_list(children.line)
            # Each child's path as its own node is made (its id stripped, as every text is): with
            # the id as written, ' two' or 'two\t' named a child no node has.
            child_paths = tuple(
                f"{path}/{_written_id(child)}" for child in children if isinstance(child, LineDict)
            )
            out.append(
                Node(path, self.line(item, "name"), self.line(item, "gloss"),
                     self.text(item, "description"), child_paths, self.at(item.line),
                     *self.text_line(item, "description"))
            )  # fmt: skip
            self.nodes(children, path, out)


def _written_id(node: LineDict) -> str:
    """A node's id as slug() reads it, without its problems (slug reports them for the node itself)."""
    value = node.get("id")
    return value.strip() if isinstance(value, str) else ""
