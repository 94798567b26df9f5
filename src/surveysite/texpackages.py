"""The TeX commands a survey may allow in its BibTeX fields (content/survey.yaml's tex_commands) and how
each reads as plain text: mhchem's and chemformula's formulas, siunitx's quantities and units, tipa's,
textgreek's and textcomp's symbols.

The check (bibliography.tex_command_fault) allows no other names; the plain text of titles, venues and
names (references.decode_latex) reads each as its package prints it, as near as Unicode text comes: a
maintainer's trial saw '\\SI{60}{\\degreeCelsius}' shown as '60', '\\textalpha' as nothing and
'\\ce{H2O}' as 'H2O', on every page, feed and download, while check passed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from unicodedata import lookup

_PRIME, _DOUBLE_PRIME, _TIMES = lookup("PRIME"), lookup("DOUBLE PRIME"), lookup("MULTIPLICATION SIGN")
_DOT = lookup("MIDDLE DOT")
_OMEGA = lookup("GREEK CAPITAL LETTER OMEGA")
# siunitx's prefixes and units, by name, as it prints them (siunitx 3's symbols).
PREFIXES = {
    "quecto": "q", "ronto": "r", "yocto": "y", "zepto": "z", "atto": "a", "femto": "f", "pico": "p",
    "nano": "n", "micro": "µ", "milli": "m", "centi": "c", "deci": "d", "deca": "da", "deka": "da",
    "hecto": "h", "kilo": "k", "mega": "M", "giga": "G", "tera": "T", "peta": "P", "exa": "E",
    "zetta": "Z", "yotta": "Y", "ronna": "R", "quetta": "Q",
}  # fmt: skip
UNITS = {
    "ampere": "A", "candela": "cd", "kelvin": "K", "kilogram": "kg", "gram": "g", "metre": "m",
    "meter": "m", "mole": "mol", "second": "s", "becquerel": "Bq", "degreeCelsius": "°C",
    "coulomb": "C", "farad": "F", "gray": "Gy", "hertz": "Hz", "henry": "H", "joule": "J",
    "katal": "kat", "lumen": "lm", "lux": "lx", "newton": "N", "ohm": _OMEGA, "pascal": "Pa",
    "radian": "rad", "siemens": "S", "sievert": "Sv", "steradian": "sr", "tesla": "T", "volt": "V",
    "watt": "W", "weber": "Wb", "hectare": "ha", "hour": "h", "litre": "L", "liter": "L",
    "minute": "min", "tonne": "t", "astronomicalunit": "au", "bel": "B", "dalton": "Da",
    "decibel": "dB", "electronvolt": "eV", "neper": "Np", "arcminute": _PRIME, "arcsecond": _DOUBLE_PRIME,
    "degree": "°", "percent": "%", "byte": "B", "bit": "bit",
    # siunitx's abbreviations
    "Hz": "Hz", "kHz": "kHz", "MHz": "MHz", "GHz": "GHz", "THz": "THz", "km": "km", "cm": "cm",
    "mm": "mm", "um": "µm", "nm": "nm", "ms": "ms", "us": "µs", "ns": "ns", "ps": "ps", "kg": "kg",
    "mg": "mg", "kW": "kW", "MW": "MW", "mW": "mW", "kJ": "kJ", "mV": "mV", "kV": "kV", "mA": "mA",
    "kPa": "kPa", "MPa": "MPa", "GPa": "GPa", "eV": "eV", "keV": "keV", "MeV": "MeV", "GeV": "GeV",
    "TeV": "TeV", "mL": "mL", "dB": "dB",
}  # fmt: skip
# An angle's units follow its number without a space.
_NO_SPACE_BEFORE = frozenset({"°", _PRIME, _DOUBLE_PRIME})
# The words of a unit that are no unit: a power or a qualifier of the unit before or after them.
UNIT_WORDS = frozenset({"per", "square", "cubic", "squared", "cubed", "tothe", "raiseto", "of"})

# tipa's, textgreek's and textcomp's symbols, by their Unicode names (textipa{...} reads its argument as
# it is written: tipa's own shortcuts for IPA letters are not read here).
# textgreek's letters: its name of each, and Unicode's ('lamda'); its small mu is \\textmugreek.
_GREEK = {
    "alpha": "alpha", "beta": "beta", "gamma": "gamma", "delta": "delta", "epsilon": "epsilon",
    "zeta": "zeta", "eta": "eta", "theta": "theta", "iota": "iota", "kappa": "kappa", "lambda": "lamda",
    "mu": "mu", "nu": "nu", "xi": "xi", "pi": "pi", "rho": "rho", "sigma": "sigma", "tau": "tau",
    "upsilon": "upsilon", "phi": "phi", "chi": "chi", "psi": "psi", "omega": "omega",
}  # fmt: skip
SYMBOLS = {
    **{f"text{'mugreek' if n == 'mu' else n}": lookup(f"GREEK SMALL LETTER {u}") for n, u in _GREEK.items()},
    **{f"text{n.capitalize()}": lookup(f"GREEK CAPITAL LETTER {u}") for n, u in _GREEK.items()},
    **{
        f"text{name}": lookup(f"LATIN SMALL LETTER {letter}")
        for name, letter in {
            "schwa": "SCHWA", "esh": "ESH", "yogh": "EZH", "eng": "ENG", "openo": "OPEN O",
            "revepsilon": "REVERSED OPEN E", "turnv": "TURNED V", "turna": "TURNED A", "scripta": "ALPHA",
            "bari": "I WITH STROKE", "baru": "U BAR",
        }.items()
    },
    **{
        f"text{name}": lookup(spelled)
        for name, spelled in {
            "glotstop": "LATIN LETTER GLOTTAL STOP", "primstress": "MODIFIER LETTER VERTICAL LINE",
            "secstress": "MODIFIER LETTER LOW VERTICAL LINE",
            "lengthmark": "MODIFIER LETTER TRIANGULAR COLON",
            "perthousand": "PER MILLE SIGN", "onehalf": "VULGAR FRACTION ONE HALF",
            "onequarter": "VULGAR FRACTION ONE QUARTER", "threequarters": "VULGAR FRACTION THREE QUARTERS",
            "fractionsolidus": "FRACTION SLASH", "minus": "MINUS SIGN", "ohm": "GREEK CAPITAL LETTER OMEGA",
            "mho": "INVERTED OHM SIGN", "numero": "NUMERO SIGN",
        }.items()
    },
}  # fmt: skip

# Unicode's raised and lowered digits and signs, for '0123456789+-=()' (references' math reads them too).
RAISED_CHARACTERS, LOWERED_CHARACTERS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"
RAISED = str.maketrans("0123456789+-=()", RAISED_CHARACTERS)
LOWERED = str.maketrans("0123456789+-=()", LOWERED_CHARACTERS)
_SHIFTABLE = frozenset("0123456789+-=().")  # ('.' stays as it is: '₀.₈')


def raised(text: str) -> str:
    """A superscript: in Unicode's raised digits and signs where it has only those, else '^' and the
    text (in parentheses if longer than one character)."""
    return _shifted(text, RAISED, "^")


def lowered(text: str) -> str:
    """A subscript, as raised() writes a superscript."""
    return _shifted(text, LOWERED, "_")


def _shifted(text: str, table: dict[int, int], mark: str) -> str:
    text = text.strip()
    if text and _SHIFTABLE.issuperset(text):
        return text.translate(table)
    return f"{mark}{text}" if len(text) <= 1 else f"{mark}({text})"


# A unit argument's pieces: a command (with its one braced argument, for \tothe, \raiseto and \of), or text.
_UNIT_PIECE = re.compile(r"\\([A-Za-z]+)\s*(?:\{([^{}]*)\})?|([^\\]+)")


_UNIT_NAMES = frozenset({*UNITS, *PREFIXES})  # (a pre-unit that is one of them is no sign)


def unit(written: str) -> str:
    """A siunitx unit argument ('\\milli\\ampere\\hour\\per\\gram', or text such as 'mAh/g') as text:
    'mA h/g'. A prefix joins the unit after it, units are parted by a space, and those after \\per
    come after a '/' ('s⁻¹' when none comes before)."""
    above: list[str] = []
    below: list[str] = []
    last = above  # where the last unit went: a power or qualifier after it is its own
    prefix, power, under = "", "", False
    for found in _UNIT_PIECE.finditer(written):
        name, argument, text = found.groups()
        if text is not None or name in UNITS:
            shown = text.strip() if text is not None else prefix + UNITS[name] + power
            if shown:
                last = below if under else above
                last.append(shown)
            prefix, power, under = "", "", False
        elif name in PREFIXES:
            prefix += PREFIXES[name]
        elif name == "per":
            under = True
        elif name in ("square", "cubic", "raiseto"):
            power = raised({"square": "2", "cubic": "3"}.get(name, argument or ""))
        elif name in ("squared", "cubed", "tothe") and last:
            last[-1] += raised({"squared": "2", "cubed": "3"}.get(name, argument or ""))
        elif name == "of" and last:
            last[-1] += f"({argument or ''})"
    shown = " ".join(above)
    if not below:
        return shown
    if not above:  # 's⁻¹'; 'm⁻²' for a square metre below
        return " ".join(_reciprocal(one) for one in below)
    return f"{shown}/{below[0]}" if len(below) == 1 else f"{shown}/({' '.join(below)})"


_RAISED_POWER = re.compile(f"[{RAISED_CHARACTERS[:10]}]+$")  # a unit's raised digits ('m²')


def _reciprocal(unit_shown: str) -> str:
    """A unit to the power minus one, or minus its own raised power ('m²' as 'm⁻²')."""
    power = _RAISED_POWER.search(unit_shown)
    if power is None:
        return f"{unit_shown}{raised('-1')}"
    return f"{unit_shown[: power.start()]}{raised('-')}{power.group()}"


_EXPONENT = re.compile(r"([0-9.,]+)\s*[eE]\s*([+-]?[0-9]+)")  # (the whole number: fullmatch)


def number(written: str) -> str:
    """A siunitx number as text: '1.2 +- 0.1' as '1.2 ± 0.1', '3e8' as 3 times 10⁸."""
    text = " ".join(written.replace("+-", " ± ").split())
    found = _EXPONENT.fullmatch(text)  # (searched, it was quadratic in a long number: a review's)
    if found:
        text = f"{found.group(1)} {_TIMES} 10{raised(found.group(2))}"
    return text


def quantity(value: str, units: str) -> str:
    """A number and its unit, parted by a space (none before an angle's degree, minute or second)."""
    shown = unit(units)
    if not shown:
        return number(value)
    return f"{number(value)}{'' if shown in _NO_SPACE_BEFORE else ' '}{shown}"


_SIGN_COMMAND = re.compile(r"\\(?:[^A-Za-z]|([A-Za-z]+))")  # '\\$', '\\pounds': a sign (not a unit or prefix)


def _pre_unit(before: str, shown: str) -> str:
    """A quantity after \\SI's pre-unit, whose LaTeX the caller decodes ('\\SI{10}[\\$]{}' as '$10'; a
    review found the '$' dropped): a sign such as a currency's at once, a unit or word after a space."""
    core = before.strip().strip("{}").strip()
    if not core or core == "\\":  # (nothing, or a control space: '\\ ')
        return shown
    command = _SIGN_COMMAND.fullmatch(core)
    named = command is not None and command.group(1) not in _UNIT_NAMES
    sign = (len(core) == 1 and not core.isalnum()) or named
    end = "{}" if "\\" in core else ""  # (a command's name ends there: '\\metre{} 7', not '\\metre 7')
    return f"{core}{end}{'' if sign else ' '}{shown}"


def _listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c', as siunitx joins a list."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _items(written: str) -> list[str]:
    return [item for item in written.split(";") if item.strip()] or [""]


def _angle(written: str) -> str:
    parts = [*written.split(";"), "", ""][:3]
    marks = ("°", _PRIME, _DOUBLE_PRIME)
    return "".join(f"{number(part)}{mark}" for part, mark in zip(parts, marks, strict=True) if part.strip())


def _quantity_range(_: str, low: str, high: str, units: str) -> str:
    return f"{quantity(low, units)} to {quantity(high, units)}"


def _quantity_list(_: str, items: str, units: str) -> str:
    return _listed([quantity(item, units) for item in _items(items)])


def _product(written: str, units: str = "") -> str:
    factors = re.split(rf"\s*[x{_TIMES}]\s*", written.strip())
    return f" {_TIMES} ".join(quantity(factor, units) if units else number(factor) for factor in factors)


_ARROWS = (("<=>", "⇌"), ("<->", "↔"), ("->", "→"), ("<-", "←"))
# A count or charge written with '_' or '^': braced, or digits and a sign ('SO4^2-'), or one character.
_SHIFTS = re.compile(r"([_^])\s*(?:\{([^{}]*)\}|([0-9]+[+-]?|[^\s{}]))")
# A count in a formula: digits after an element, a closing bracket or a subscript already written.
_COUNT = re.compile(r"(?<=[A-Za-z)\]₀-₉])[0-9]+(?:\.[0-9]+)?")
# A charge written without '^' at a formula's end ('H+', 'NO3-': its digits are a count, as mhchem reads
# them; a charge of more than one is written with '^', 'SO4^2-'): the sign after a letter, digit or bracket.
_CHARGE = re.compile(r"(?<=[A-Za-z0-9)\]])([+-])(?=$|\s|[)\]])")


def _shift(mark: str, text: str) -> str:
    return raised(text) if mark == "^" else lowered(text)


def formula(written: str) -> str:
    """An mhchem or chemformula formula as text: counts lowered, charges raised, arrows drawn ('Fe2O3'
    as 'Fe₂O₃', 'SO4^2-' as 'SO₄²⁻', 'A + B -> C' as 'A + B → C'); a number that starts a term stays
    as it is ('2 H2O' as '2 H₂O')."""
    text = written.replace(" * ", _DOT).replace("*", _DOT)  # (a hydrate's water: 'CuSO4 * 5H2O')
    for arrow, drawn in _ARROWS:
        text = text.replace(arrow, drawn)
    text = _SHIFTS.sub(lambda found: _shift(found.group(1), found.group(2) or found.group(3)), text)
    words = []
    for word in text.split(" "):
        if word in ("+", "-"):  # between two terms: a sign, not a charge
            words.append(word)
            continue
        word = _CHARGE.sub(lambda found: found.group(1).translate(RAISED), word)
        words.append(_COUNT.sub(lambda found: found.group().translate(LOWERED), word))
    return " ".join(words).replace("{", "").replace("}", "")


# Each command with arguments: pylatexenc's argument spec ('[' an optional one, '{' a required one), and
# its text from its arguments' raw text (an optional argument left out is '').
_WITH_ARGUMENTS: dict[str, tuple[str, Callable[..., str]]] = {
    "ce": ("[{", lambda _, f: formula(f)),
    "ch": ("[{", lambda _, f: formula(f)),
    "SI": ("[{[{", lambda _, n, before, u: _pre_unit(before, quantity(n, u))),
    "qty": ("[{{", lambda _, n, u: quantity(n, u)),
    "si": ("[{", lambda _, u: unit(u)),
    "unit": ("[{", lambda _, u: unit(u)),
    "num": ("[{", lambda _, n: number(n)),
    "ang": ("[{", lambda _, a: _angle(a)),
    "SIrange": ("[{{{", _quantity_range),
    "qtyrange": ("[{{{", _quantity_range),
    "numrange": ("[{{", lambda _, a, b: f"{number(a)} to {number(b)}"),
    "SIlist": ("[{{", _quantity_list),
    "qtylist": ("[{{", _quantity_list),
    "numlist": ("[{", lambda _, items: _listed([number(i) for i in _items(items)])),
    "qtyproduct": ("[{{", lambda _, factors, u: _product(factors, u)),
    "numproduct": ("[{", lambda _, factors: _product(factors)),
    "complexnum": ("[{", lambda _, n: number(n)),
    "complexqty": ("[{{", lambda _, n, u: quantity(n, u)),
}
# Each command whose argument is text, read as LaTeX (its argument spec; references reads the argument).
_TEXT_ARGUMENTS = {"textipa": "{"}


def names() -> frozenset[str]:
    """Every command a survey may allow (bibliography's check reads this)."""
    return frozenset({*_WITH_ARGUMENTS, *_TEXT_ARGUMENTS, *PREFIXES, *UNITS, *UNIT_WORDS, *SYMBOLS})


def argument_specs() -> list[tuple[str, str]]:
    """Each command with arguments and its pylatexenc argument spec."""
    return [*((name, spec) for name, (spec, _) in _WITH_ARGUMENTS.items()), *_TEXT_ARGUMENTS.items()]


def text_arguments() -> list[str]:
    """Each command whose argument is text, shown as its argument reads (see references)."""
    return list(_TEXT_ARGUMENTS)


def made_from_arguments() -> list[str]:
    """Each command whose text text_of makes from its arguments as written."""
    return list(_WITH_ARGUMENTS)


def text_of(name: str, arguments: list[Any]) -> str:
    """The text of a command with arguments, from pylatexenc's argument nodes (None for one left out). What
    it holds of LaTeX beyond the package's own syntax ('$\\alpha$-Fe2O3') the caller decodes."""
    raw = [_raw(node) for node in arguments]
    return str(_WITH_ARGUMENTS[name][1](*raw))


def _raw(node: Any) -> str:
    """An argument's text as written, without its braces or brackets ('' for none)."""
    if node is None:
        return ""
    text = str(node.latex_verbatim())
    if text[:1] in "{[" and text[-1:] in "}]":
        return text[1:-1]
    return text


def symbols() -> dict[str, str]:
    """Each command without arguments and its text: the symbols, and a unit or prefix met alone. (Not the
    words of a unit that are no unit, which mean nothing outside a unit: math's \\square is a square.)"""
    return {**PREFIXES, **UNITS, **SYMBOLS}  # (siunitx defines a unit or prefix inside a unit alone)
