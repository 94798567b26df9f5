"""A theme template that fails as MkDocs renders a page is reported at its file and line, not as a traceback.

`surveysite check` reads a theme override's syntax and the templates it names outright; what only
fails as a page is rendered (a name the page's context lacks, `{{ foo.bar }}`; an include whose name
is made as it runs; `1 // 0`) fails inside MkDocs, which printed the whole traceback. The plugin
gives the build's Jinja environment this template class: such a failure becomes a PluginError that
names the template file and line and the page, which MkDocs prints as one message before it stops.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.exceptions import BuildError, PluginError

# The files a template's frames carry (Jinja gives each compiled template's code its file and line).
TEMPLATE_SUFFIXES = (".html", ".xml", ".j2", ".jinja", ".jinja2", ".txt")


class ReportedTemplate(jinja2.Template):
    """A template whose failure while rendering is raised as a PluginError naming where it failed."""

    project_root: Path | None = None  # set on the subclass made for a build: paths are shown from there

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except BuildError:
            raise
        except RecursionError as error:
            endless = "it includes or calls itself without end"
            raise PluginError(f"{self._where(error)}: template error: {endless}") from None
        except jinja2.TemplateNotFound as error:  # an include whose name is made as it runs
            missing = f"'{error.name}' is no template of templates/overrides or of the theme"
            raise PluginError(f"{self._where(error)}: template error: {missing}") from None
        except Exception as error:  # 'foo' is undefined, a filter given None, 1 // 0
            raise PluginError(f"{self._where(error)}: template error: {said(error)}") from None

    def _where(self, error: BaseException) -> str:
        """`file:line` of the last template frame of the failure, else this template's file."""
        filename, line = self.filename or self.name or "template", 1
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename.endswith(TEMPLATE_SUFFIXES) and frame.lineno:
                filename, line = frame.filename, frame.lineno
        return f"{shown(Path(filename), self.project_root)}:{line}"


def shown(path: Path, root: Path | None) -> str:
    """A template's path as a message shows it: from the project's folder when it is inside it."""
    if root is not None and path.is_absolute() and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return str(path)


def said(error: Exception) -> str:
    """An error's text on one line, at most 200 characters, with its kind where Jinja's own names do
    not say it."""
    text = " ".join(str(error).split())[:200]
    if isinstance(error, jinja2.TemplateError):
        return text or type(error).__name__
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def report_failures(env: jinja2.Environment, project_root: Path) -> None:
    """Make every template the environment loads from now on report its failures (see ReportedTemplate)."""
    env.template_class = type("ProjectTemplate", (ReportedTemplate,), {"project_root": project_root})
    if env.cache is not None:  # a template loaded before keeps its class: loaded again
        env.cache.clear()
