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

_log = logging.getLogger("mkdocs.plugins.surveysite")


class ReportedTemplate(jinja2.Template):
    """A template whose failure while rendering is raised as a PluginError naming where it failed."""

    project_root: Path | None = None  # set on the subclass made for a build: paths are shown from there

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except BuildError:
            raise
        except RecursionError as error:
            raise self._reported(error, "it includes or calls itself without end") from None
        except jinja2.TemplateNotFound as error:  # an include whose name is made as it runs
            raise self._reported(
                error, f"'{error.name}' is no template of templates/overrides or of the theme"
            ) from None
        except Exception as error:  # 'foo' is undefined, a filter given None, 1 // 0
            raise self._reported(error, said(error)) from None

    def _reported(self, error: BaseException, what: str) -> PluginError:
        """The message for a failure: where it happened in the templates, and where in the project's
        own templates when that is elsewhere (an override handing a theme partial what it cannot use).
        The traceback itself is logged for `mkdocs build --verbose`, for a failure that is a bug."""
        _log.debug("the template failure, as Python saw it", exc_info=error)
        frames = _template_frames(error)
        inner = frames[-1] if frames else (self.filename or self.name or "template", 1)
        where = self._shown(*inner)
        own = [frame for frame in frames if self._in_project(frame[0])]
        if own and own[-1] != inner:
            where += f" (from {self._shown(*own[-1])})"
        return PluginError(f"{where}: template error: {what}")

    def _shown(self, filename: str, line: int) -> str:
        return f"{shown(Path(filename), self.project_root)}:{line}"

    def _in_project(self, filename: str) -> bool:
        root = self.project_root
        return root is not None and Path(filename).is_relative_to(root)


def _template_frames(error: BaseException) -> list[tuple[str, int]]:
    """The file and line of each template frame of a failure, outermost first: the frames Jinja
    rewrites to stand for a template's lines (their globals hold the failure as __jinja_exception__)."""
    frames = []
    tb = error.__traceback__
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            frames.append((tb.tb_frame.f_code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    return frames


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
