"""Problems found in the data: where each is, what is wrong, and how to fix it."""

from __future__ import annotations

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


class Problems:
    """Collects problems from every stage so that all of them are reported at once."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(self, location: Location, message: str) -> None:
        """Record one problem."""
        self._items.append(Problem(location, message))

    def warn(self, location: Location, message: str) -> None:
        """Record something worth a look that does not stop the build."""
        self._items.append(Problem(location, message, warning=True))

    def extend(self, problems: list[Problem]) -> None:
        """Record problems found elsewhere."""
        self._items.extend(problems)

    def __bool__(self) -> bool:
        return any(not p.warning for p in self._items)

    def __len__(self) -> int:
        """How many problems (warnings not counted)."""
        return sum(1 for p in self._items if not p.warning)

    def sorted(self) -> list[Problem]:
        """All problems and warnings, ordered by file and line."""
        return sorted(set(self._items))


class DataError(Exception):
    """Raised when the data has problems; carries every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


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
