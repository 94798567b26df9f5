"""Stages 1 and 3 together: every .bib file and every study file, parsed as tasks two processes share.

Parsing BibTeX and reading study files take most of a large survey's loading time, and each file is
parsed on its own, so the files are shared out (see parallel.run_split). The results, problems and
reused work are exactly those of load_bibliography and load_studies run one after the other.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from .bibliography import BibRecord, bib_texts, distinct_records, parse_bibtex
from .cache import Memo, digest
from .model import Annotation
from .parallel import run_split
from .problems import Problem, Problems
from .studies import read_study, study_paths


def load_sources(
    root: Path, bib_dir: Path, studies_dir: Path, problems: Problems, memo: Memo
) -> tuple[list[BibRecord], list[Annotation], set[str]]:
    """The bibliography's records, the study files' annotations and every study file's key."""
    texts = bib_texts(root, bib_dir, problems)
    paths = study_paths(root, studies_dir, problems)
    tasks: list[Callable[[], tuple[Any, list[Problem]]]] = [
        *(partial(_parsed, shown, text, memo) for shown, text in texts),
        *(partial(_read, root, path, memo) for path in paths),
    ]
    weights = [len(text) for _, text in texts] + [_size(path) for path in paths]
    done = run_split(tasks, weights, memo)
    for _, found in done:
        problems.extend(found)
    records = distinct_records([parsed for parsed, _ in done[: len(texts)]], problems)
    annotations = [annotation for annotation, _ in done[len(texts) :] if annotation is not None]
    return records, annotations, {path.stem for path in paths}


def _parsed(shown: str, text: str, memo: Memo) -> tuple[list[BibRecord], list[Problem]]:
    found = Problems()
    records = memo.checked(digest("bib", shown, text), found, partial(parse_bibtex, text, shown))
    return records, found.sorted()


def _read(root: Path, path: Path, memo: Memo) -> tuple[Annotation | None, list[Problem]]:
    found = Problems()
    annotation = read_study(root, path, found, memo)
    return annotation, found.sorted()


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
