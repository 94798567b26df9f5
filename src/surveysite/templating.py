"""The Jinja2 side of rendering: the page templates' environment, the templates' checks, and a failing
template told by its file and line (the page templates' here, the theme's in theme_errors)."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2

from .cache import digest
from .files import shown_path
from .markdown import Markdown, escape, page_link, theme_text, web_link
from .paths import TEMPLATE_PATHS
from .problems import DataError, Location, Problem, Problems, did_you_mean
from .resources import OVERRIDES, TEMPLATES


@jinja2.pass_context
def _link(context: Any, text: Any, target: str, said: str = "") -> Markdown:
    return page_link(text, target, context["here"], said)


def _html(value: Any) -> Markdown:
    """A value as text inside raw HTML only, where Markdown does not reach (its escapes would show);
    in Markdown text, its markup would work: there the values are escaped by default (see escape)."""
    if value is None:
        raise TypeError("a template printed None; the view should give text")  # a bug, as in escape
    return Markdown(theme_text(value))


def _stop(value: Any) -> Markdown:
    """The full stop a sentence ending in `value` takes: none after one it ends with already (a venue
    'Chem. Sci.' was printed 'Chem. Sci..', a maintainer's trial), nor after '?' or '!' (a title)."""
    return Markdown("" if str(value).rstrip().endswith((".", "?", "!")) else ".")


def make_environment(template_dirs: list[Path]) -> jinja2.Environment:
    """The Jinja2 environment: strict about undefined names, escaping every value in one place.

    A template is looked up in each folder in turn, so a project's own file overrides the default.
    """
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(d) for d in template_dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # kept only while the templates are unchanged (see environment)
    )
    env.filters["link"] = _link
    env.filters["web_link"] = web_link
    env.filters["html"] = _html
    env.filters["stop"] = _stop
    env.globals["paths"] = SimpleNamespace(**TEMPLATE_PATHS)
    return env


def environment(template_dirs: list[Path], templates: str) -> jinja2.Environment:
    """The last build's environment while the templates are the same bytes in the same folders (their
    digest): a rebuild under `serve` then compiles none of them again."""
    key = (tuple(str(d) for d in template_dirs), templates)
    env = _environments.get(key)
    if env is None:
        _environments.clear()  # only the last one is kept
        env = _environments[key] = make_environment(template_dirs)
    return env


_environments: dict[tuple[tuple[str, ...], str], jinja2.Environment] = {}


# How a template's failures are told, by the check, the page templates and the theme's (theme_errors).
NOT_A_TEMPLATE = "is no template of templates/overrides or of the theme"
ENDLESS = "it includes or calls itself without end"


def check_templates(root: Path, templates_dir: Path, problems: Problems) -> None:
    """Report every template (page template or theme override) that Jinja cannot parse, at its line;
    every theme override's include, import or extends of a template that is not there; and every page
    template's filter or test that is not one (the theme's are MkDocs's and Material's to know)."""
    if not templates_dir.is_dir() or templates_dir.is_symlink():
        return  # a missing folder is fine; a linked one is refused by the file checks
    env = jinja2.Environment()
    theme = jinja2.FileSystemLoader([templates_dir / "overrides", *_theme_templates()])  # as MkDocs's
    pages = make_environment([templates_dir, TEMPLATES])  # the filters and tests a page template has
    for path in sorted(templates_dir.rglob("*")):
        if path.suffix not in (".j2", ".html") or path.is_symlink() or not path.is_file():
            continue
        shown = shown_path(root, path)
        overrides = path.is_relative_to(templates_dir / "overrides")
        try:
            text = path.read_text(encoding="utf-8")
            tree = env.parse(text)
            if path.suffix == ".j2" and not overrides:
                pages.compile(text)  # a filter or test not there fails here, as the build would
        except UnicodeDecodeError:
            problems.add(Location(shown, 1), "the template is not UTF-8; save it as UTF-8")
            continue
        except jinja2.TemplateSyntaxError as error:
            problems.add(Location(shown, error.lineno or 1), f"template error: {error.message}")
            continue
        if overrides:  # (a page template's are checked as it renders)
            for line, names in _named_templates(tree):
                if not any(_found(theme, env, name) for name in names):
                    problems.add(
                        Location(shown, line),
                        f"template error: '{names[0]}' {NOT_A_TEMPLATE}",
                    )


def _theme_templates() -> list[Path]:
    """Where MkDocs looks for what a theme override names, after templates/overrides: surveysite's own
    overrides, then Material's templates and MkDocs's own (found without importing them)."""
    folders = [OVERRIDES]
    for package in ("material", "mkdocs"):
        spec = importlib.util.find_spec(package)
        places = (spec.submodule_search_locations or []) if spec else []
        folders += [Path(place) / "templates" for place in places]
    return folders


def _named_templates(tree: jinja2.nodes.Template) -> Iterator[tuple[int, list[str]]]:
    """The line of each include, import or extends of a parsed template, and the names it gives (any
    one of which will do); a name made as the template runs is not known here, and left out."""
    kinds = (jinja2.nodes.Include, jinja2.nodes.Import, jinja2.nodes.FromImport, jinja2.nodes.Extends)
    for node in tree.find_all(kinds):
        if not isinstance(node, kinds) or (isinstance(node, jinja2.nodes.Include) and node.ignore_missing):
            continue
        template = node.template
        given = template.items if isinstance(template, jinja2.nodes.List | jinja2.nodes.Tuple) else [template]
        names = [n.value for n in given if isinstance(n, jinja2.nodes.Const) and isinstance(n.value, str)]
        if names and len(names) == len(given):
            yield node.lineno, names


def _found(loader: jinja2.BaseLoader, env: jinja2.Environment, name: str) -> bool:
    """Whether the loader finds the template `name` (Jinja's own lookup: '..' refused, and the rest)."""
    try:
        loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return False
    except (OSError, UnicodeDecodeError):  # there, but not read here (what the build makes of it)
        return True
    return True


def templates_digest(template_dirs: list[Path]) -> str:
    """A digest of every file in the template folders, at any depth and of any name: a template may
    include or extend any file Jinja can load from them (`parts/x.md.j2`, `extra.md`), and only the
    .j2 files at the top were digested, so a study page kept by its digest (see render._kept_study_pages)
    outlived an edit to a file it included."""
    files = (p for d in template_dirs for p in sorted(d.rglob("*")) if p.is_file() and not p.is_symlink())
    return digest(*(part for p in files for part in (str(p), p.read_bytes())))


def render_template(env: jinja2.Environment, template: str, here: str, context: dict[str, Any]) -> str:
    """A page template rendered for the page at `here`; a failure is a DataError at the template's line."""
    try:
        return env.get_template(template).render(here=here, **context)
    except jinja2.TemplateError as error:  # a template from the project that names what is not there
        # A syntax error knows its line; a name or an included file not there is found where it ran.
        line = getattr(error, "lineno", None)
        where = Location(f"templates/{template}", line) if line else _failing_line(error, template)
        raise DataError([Problem(where, f"template error: {_no_field(error)}")]) from None
    except RecursionError:
        where = Location(f"templates/{template}", 1)
        raise DataError([Problem(where, f"template error: {ENDLESS}")]) from None
    except Exception as error:  # what a template asks for fails: 'a' + 1, 1 // 0, a filter given None
        failed = Problem(_failing_line(error, template), f"template error: {said(error)}")
        raise DataError([failed]) from None


# Jinja's words for a field that an object a template is given does not have.
_NO_FIELD = re.compile(r"^'([\w.]+) object' has no attribute '(\w+)'$")
FIELDS_DOCUMENTED = "see templates/README.md for what each template is given"


def _no_field(error: jinja2.TemplateError) -> str:
    """What a template error says; for a field its object does not have, the field meant, where one of
    this package's objects has one of a like spelling ('{{ study.summry }}'), and where the fields are
    told. Such an object is named as templates know it ('a study', not 'surveysite.views.StudyView
    object': a maintainer's trial met the class's name)."""
    if isinstance(error, jinja2.TemplateNotFound):  # (a maintainer's trial was told the name alone)
        return f"it names '{error.name}', which is no template of templates/ nor of surveysite's own"
    found = _NO_FIELD.match(str(error)) if isinstance(error, jinja2.UndefinedError) else None
    if found is None:
        return str(error)
    module, _, name = found.group(1).rpartition(".")
    kind = getattr(sys.modules.get(module), name, None) if module.startswith("surveysite.") else None
    if not isinstance(kind, type):
        return f"{error} ({FIELDS_DOCUMENTED})"
    named = [field.name for field in dataclasses.fields(kind)] if dataclasses.is_dataclass(kind) else []
    fields = sorted({*named, *(field for field in dir(kind) if not field.startswith("_"))})
    what = _TEMPLATE_NAMES.get(name, name)
    return (
        f"{what} has no field '{found.group(2)}'{did_you_mean(found.group(2), fields)} ({FIELDS_DOCUMENTED})"
    )


# This package's objects, as templates/README.md names them.
_TEMPLATE_NAMES = {"StudyView": "a study", "NodeView": "a node", "MatrixView": "a table"}


def _failing_line(error: Exception, template: str) -> Location:
    """Where in the templates a failure happened: the last template line in its traceback."""
    found = Location(f"templates/{template}", 1)
    for filename, line in template_frames(error):
        if filename.endswith(".j2"):
            found = Location(f"templates/{Path(filename).name}", line)
    return found


def template_frames(error: BaseException) -> list[tuple[str, int]]:
    """The file and line of each template frame of a failure, outermost first: the frames Jinja
    rewrites to stand for a template's lines (their globals hold the failure as __jinja_exception__)."""
    frames = []
    tb = error.__traceback__
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            frames.append((tb.tb_frame.f_code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    return frames


def said(error: BaseException, named: bool = True) -> str:
    """An error's text on one line, at most 200 characters, after its kind (`named`: Jinja's own
    errors say theirs in their text)."""
    text = " ".join(str(error).split())[:200]
    if not named:
        return text or type(error).__name__
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
