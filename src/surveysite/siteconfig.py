"""The site builder's configuration: read a project's mkdocs.yml keeping its tags, write one back."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .problems import DataError, Location, Problem
from .yamlfile import CheckedConstruction, construct_int

CONFIG_FILE = "mkdocs.yml"  # the site builder's settings, in the project's folder


@dataclass(frozen=True)
class Tagged:
    """A YAML value under a tag the builders resolve (`!ENV`, `!!python/name:`), kept as written."""

    tag: str
    value: Any


@dataclass(frozen=True)
class SiteConfig:
    """A mkdocs.yml: its settings, with the line of each top-level key."""

    shown: str
    settings: dict[str, Any]
    lines: dict[str, int]

    def where(self, key: str) -> Location:
        """Where a top-level setting is written (the file's first line if it is not)."""
        return Location(self.shown, self.lines.get(key, 1))

    @property
    def directory_urls(self) -> bool:
        """use_directory_urls: whether the pages are served at folder addresses (MkDocs's default)."""
        return self.settings.get("use_directory_urls") is not False


class _Loader(CheckedConstruction, yaml.SafeLoader):
    """Safe YAML; a tagged value becomes a Tagged, never a Python object; a value PyYAML cannot make
    (a date of February 30th, a number too large to print) is an error at its line."""


def _construct_tagged(loader: _Loader, suffix: str, node: yaml.Node) -> Tagged:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        assert isinstance(node, yaml.MappingNode)
        value = loader.construct_mapping(node, deep=True)
    return Tagged(node.tag, value)


_Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
_Loader.add_multi_constructor("!", _construct_tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)


class _Dumper(yaml.SafeDumper):
    """Writes Tagged values back under their tags."""


def _represent_tagged(dumper: _Dumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value, flow_style=True)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


def _represent_text(dumper: _Dumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None  # not_in_nav and other pattern lists stay one pattern a line
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(Tagged, _represent_tagged)
_Dumper.add_representer(str, _represent_text)


def read_site_config(path: Path, shown: str) -> SiteConfig:
    """Read a mkdocs.yml safely, keeping `!ENV` and other tags; raises DataError on bad input."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _error(
            shown, 1, "not found; the site's settings are read from the project's mkdocs.yml"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise _error(shown, 1, f"cannot be read: {error}") from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        settings = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise _error(shown, line, f"not valid YAML: {getattr(error, 'problem', None) or error}") from None
    except RecursionError:  # thousands of nested [ or {
        raise _error(shown, 1, "not valid YAML: values nest too deeply; flatten them") from None
    finally:
        loader.dispose()
    if not isinstance(settings, dict):
        raise _error(shown, 1, "expected a mapping of settings (site_name: ..., theme: ...)")
    lines = {}
    if isinstance(node, yaml.MappingNode):
        lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}
    return SiteConfig(shown, settings, lines)


def dump_site_config(settings: dict[str, Any], header: str = "") -> str:
    """A mkdocs.yml holding these settings, tags written back as they were read, after a comment."""
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comment + yaml.dump(settings, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def resolve_env(value: Any) -> Any:
    """The value an `!ENV` tag stands for now, as MkDocs reads it; other values unchanged.

    `!ENV NAME` is the variable or None; `!ENV [A, B, default]` the first variable set, else the default.
    """
    if not isinstance(value, Tagged) or value.tag != "!ENV":
        return value
    names = value.value if isinstance(value.value, list) else [value.value, None]
    *variables, default = names if len(names) > 1 else [*names, None]
    for name in variables:
        if isinstance(name, str) and name in os.environ:
            return os.environ[name]
    return default


def _error(shown: str, line: int, message: str) -> DataError:
    return DataError([Problem(Location(shown, line), message)])


def on_this_machine(address: str | None) -> bool:
    """Whether a site address is on this machine (a loopback address or 'localhost')."""
    host = (urlsplit(address or "").hostname or "").lower()
    return host == "localhost" or host == "::1" or host.startswith("127.")
