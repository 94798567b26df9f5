"""A theme template that fails as MkDocs renders a page is reported at its file and line, not as a traceback.

`surveysite check` reads a theme override's syntax and the templates it names outright; what only
fails as a page is rendered (a name the page's context lacks, `{{ foo.bar }}`; an include whose name
is made as it runs; `1 // 0`) fails inside MkDocs, which printed the whole traceback. The plugin
gives the build's Jinja environment this template class: such a failure becomes a PluginError that
names the template file and line and the page, which MkDocs prints as one message before it stops.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.exceptions import BuildError, PluginError

from .files import shown_path
from .templating import ENDLESS, NOT_A_TEMPLATE, said, template_frames

_log = logging.getLogger("mkdocs.plugins.surveysite")


class ReportedTemplate(jinja2.Template):
    """A template whose failure while rendering is raised as a PluginError naming where it failed."""

    project_root = Path()  # set on the subclass made for a build: paths are shown from there

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except BuildError:
            raise
        except RecursionError as error:
            raise self._reported(error, ENDLESS) from None
        except jinja2.TemplateNotFound as error:  # an include whose name is made as it runs
            raise self._reported(error, f"'{error.name}' {NOT_A_TEMPLATE}") from None
        except Exception as error:  # 'foo' is undefined, a filter given None, 1 // 0
            raise self._reported(
                error, said(error, named=not isinstance(error, jinja2.TemplateError))
            ) from None

    def _reported(self, error: BaseException, what: str) -> PluginError:
        """The message for a failure: where it happened in the templates, and where in the project's
        own templates when that is elsewhere (an override handing a theme partial what it cannot use).
        The traceback itself is logged for `mkdocs build --verbose`, for a failure that is a bug."""
        _log.debug("the template failure, as Python saw it", exc_info=error)
        frames = template_frames(error)
        inner = frames[-1] if frames else (self.filename or self.name or "template", 1)
        where = self._shown(*inner)
        own = [frame for frame in frames if Path(frame[0]).is_relative_to(self.project_root)]
        if own and own[-1] != inner:
            where += f" (from {self._shown(*own[-1])})"
        return PluginError(f"{where}: template error: {what}")

    def _shown(self, filename: str, line: int) -> str:
        return f"{shown_path(self.project_root, Path(filename))}:{line}"


def report_failures(env: jinja2.Environment, project_root: Path) -> None:
    """Make every template the environment loads from now on report its failures (see ReportedTemplate)."""
    env.template_class = type("ProjectTemplate", (ReportedTemplate,), {"project_root": project_root})
    if env.cache is not None:  # a template loaded before keeps its class: loaded again
        env.cache.clear()
