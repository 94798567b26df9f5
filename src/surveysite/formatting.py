"""`surveysite format`: rewrite bib/*.bib in the project's one layout, so pull requests diff small."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bibtexparser import model
from bibtexparser.entrypoint import parse_string

from .bibliography import parse_bibtex
from .problems import Problem, Problems


def formatted_bibtex(text: str, shown: str) -> tuple[str | None, list[Problem]]:
    """The file in project layout, or None and the problems when it cannot be formatted safely."""
    problems = Problems()
    records = {r.key: r for r in parse_bibtex(text, shown, problems)}
    if problems:
        return None, problems.sorted()
    pieces = []
    for block in parse_string(text).blocks:
        if isinstance(block, model.Entry):
            pieces.append(records[block.key].bibtex)
        elif isinstance(block, model.ImplicitComment | model.ExplicitComment | model.String | model.Preamble):
            raw = (block.raw or "").strip()
            if raw:
                pieces.append(raw)
    return "\n\n".join(pieces) + "\n", []


def format_files(root: Path, bib_dir: Path, write: bool) -> tuple[list[str], list[Problem]]:
    """Format every .bib file; returns the files that changed (or would) and the problems found."""
    changed, problems = [], []
    for path in sorted(bib_dir.glob("*.bib")):
        shown = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        result, found = formatted_bibtex(text, shown)
        problems += found
        if result is None or result == text:
            continue
        changed.append(shown)
        if write:
            _replace(path, result)
    return changed, problems


def _replace(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)
