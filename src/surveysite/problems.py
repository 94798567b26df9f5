"""Problems found in the data: where each is, what is wrong, and how to fix it."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """A place in a data file: its path relative to the project root and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the data, reported as `path:line: message`; a warning does not stop the build."""

    location: Location
    message: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.location}: {'warning: ' if self.warning else ''}{self.message}"


# The problems told of one file, at most: the rest are counted, and told as a count on the last line
# told of it. A review's 360 study files of thousands of unknown keys each kept 2.2 GB of problems, and
# nobody reads the five-thousandth line of one mistake made again.
MAX_PER_FILE = 200


class Problems:
    """Collects problems from every stage so that all of them are reported at once (MAX_PER_FILE of
    each file, and how many more)."""

    def __init__(self) -> None:
        self._items: dict[Problem, None] = {}  # each once, in the order found
        self._kept: dict[str, list[int]] = {}  # by file: how many kept, and the last line of one
        self._left: dict[str, list[int]] = {}  # by file: how many more problems, and warnings, not told
        self._errors = 0

    def add(self, location: Location, message: str) -> None:
        """Record one problem."""
        self._record(Problem(location, message))

    def warn(self, location: Location, message: str) -> None:
        """Record something worth a look that does not stop the build."""
        self._record(Problem(location, message, warning=True))

    def extend(self, problems: list[Problem]) -> None:
        """Record problems found elsewhere."""
        for problem in problems:
            self._record(problem)

    def _record(self, problem: Problem) -> None:
        path, line = problem.location.path, problem.location.line
        kept = self._kept.setdefault(path, [0, line])
        more = _not_told(problem)  # (a line counting those not told, kept from an earlier run)
        if more is None:
            self._errors += not problem.warning  # (one told twice counted twice, as ever: see __len__'s use)
            if problem in self._items:
                return
            if kept[0] < MAX_PER_FILE:
                self._items[problem] = None
                kept[0], kept[1] = kept[0] + 1, max(kept[1], line)
                return
            more = (0, 1) if problem.warning else (1, 0)
        else:
            self._errors += more[0]
        left = self._left.setdefault(path, [0, 0])
        left[0], left[1] = left[0] + more[0], left[1] + more[1]

    def __bool__(self) -> bool:
        return self._errors > 0

    def __len__(self) -> int:
        """How many problems (warnings not counted)."""
        return self._errors

    def sorted(self) -> list[Problem]:
        """All problems and warnings, ordered by file and line; for a file of more than MAX_PER_FILE, the
        first of them and, at the last line of those, one telling how many more there are."""
        more = [
            Problem(Location(path, self._kept[path][1]), _more(errors, warnings), warning=not errors)
            for path, (errors, warnings) in self._left.items()
        ]
        told = sorted(self._items)
        for summary in more:  # after the last one told of its file (its line's may sort after it)
            at = bisect_right(told, (summary.location.path, summary.location.line), key=_place)
            told.insert(at, summary)
        return told


def _place(problem: Problem) -> tuple[str, int]:
    return problem.location.path, problem.location.line


def _more(errors: int, warnings: int) -> str:
    counts = [
        f"{count:,} more {name}(s)" for count, name in ((errors, "problem"), (warnings, "warning")) if count
    ]
    return f"and {' and '.join(counts)} in this file, not told here: mend those told and run again"


_MORE = re.compile(
    r"and (?:([\d,]+) more problem\(s\))?(?: and )?(?:([\d,]+) more warning\(s\))? in this file, "
)


def counted(problems: list[Problem]) -> tuple[int, int]:
    """How many problems and how many warnings a list of them stands for, with those not told (see
    Problems.sorted)."""
    errors = warnings = 0
    for problem in problems:
        more = _not_told(problem)
        errors += more[0] if more else not problem.warning
        warnings += more[1] if more else problem.warning
    return errors, warnings


def _not_told(problem: Problem) -> tuple[int, int] | None:
    """How many problems and warnings a line of Problems.sorted's stands for; None for any other."""
    more = _MORE.match(problem.message) if problem.message.startswith("and ") else None
    return (
        None
        if more is None
        else (int((more[1] or "0").replace(",", "")), int((more[2] or "0").replace(",", "")))
    )


class DataError(Exception):
    """Raised when the data has problems; carries every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def in_words(words: list[str], last: str = "and") -> str:
    """The words as a sentence lists them: 'a', 'a and b', 'a, b and c' ('or' for `last` = 'or');
    '' for none."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """A '; did you mean X?' suffix naming the closest choice, or '' when none is close."""
    return suggested(closest(word, choices))


def suggested(choice: str | None) -> str:
    """A '; did you mean X?' suffix naming a choice, or '' for none (see did_you_mean)."""
    return f"; did you mean '{choice}'?" if choice is not None else ""


def closest(word: str, choices: list[str] | tuple[str, ...], cutoff: float = 0.6) -> str | None:
    """The choice closest to a word, or None when none is close (difflib's ratio under `cutoff`)."""
    import difflib

    # Compared in one case: 'qm9' finds 'QM9', 'qm8' too (a short word that differs in case has no
    # letter in common otherwise).
    folded = {choice.casefold(): choice for choice in reversed(choices)}  # the first of a case
    close = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=cutoff)
    return folded[close[0]] if close else None
