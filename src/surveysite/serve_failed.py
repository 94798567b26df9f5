"""Under `mkdocs serve`: a rebuild that fails is shown in the browser, instead of a preview that hangs.

MkDocs's server makes every request wait until a rebuild succeeds: after a save that breaks the
build, the page open in the browser stays as it was, and any page asked for never comes. Here, once
a rebuild has failed, every page asked for is answered at once with what the build reported (the
data's problems by file and line, the warnings that failed a strict build), escaped; the pages open
in a browser reload to it, and from it to the site as soon as a build succeeds. When the first build
of `serve` meets problems in the survey's files, the plugin builds without the generated pages and
hands those problems here (see its on_config and on_serve), so that `serve` starts and shows them; a
first build that fails otherwise (a theme template, a strict warning) ends `serve`, as `build` does.
"""

from __future__ import annotations

import html
import logging
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from mkdocs.exceptions import Abort, MkDocsException

_log = logging.getLogger("mkdocs.plugins.surveysite")

Failure = tuple[int, str]  # when the build failed (MkDocs's epoch clock) and what it reported
StartResponse = Callable[..., Any]
App = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
LIVERELOAD = "/livereload/"  # MkDocs's endpoint that a page polls for a newer build
SHOWN = "the preview shows this build's problems at every address until a build succeeds"


def epoch_now() -> int:
    """The time on the clock MkDocs's server numbers its builds by (milliseconds of time.monotonic)."""
    return round(time.monotonic() * 1000)


class FailedBuilds:
    """What the last rebuild reported when it failed (None once a rebuild succeeds), and the two
    wrappers that use it: one around the server's builder, one around its WSGI application."""

    def __init__(self) -> None:
        self.failure: Failure | None = None

    def builder(self, build: Callable[..., None]) -> Callable[..., None]:
        """`build`, recording what a failed build reported instead of raising: MkDocs then moves on to
        this build as it does after a success, and the pages open in a browser reload (to the report).
        Called as `build` is (MkDocs's takes an optional configuration)."""

        def rebuild(*args: Any, **kwargs: Any) -> None:
            heard = _Heard()
            mkdocs_log = logging.getLogger("mkdocs")
            mkdocs_log.addHandler(heard)
            try:
                build(*args, **kwargs)
            except Exception as error:  # any failure: the data's problems, a strict warning, a template
                said = str(error) if isinstance(error, Abort) else f"{type(error).__name__}: {error}"
                # An Abort says why ("with 2 warnings in strict mode"), but for a BuildError, whose
                # message MkDocs logged before it, says nothing more.
                told = said in heard.messages or (heard.messages and said == "Aborted with a BuildError!")
                reported = [*heard.messages, *([] if told else [said])]
                if not isinstance(error, Abort):  # not a failure MkDocs reported: shown here
                    # MkDocs's own errors (a broken mkdocs.yml: its file and line) are told as its
                    # `build` tells them, without a traceback; anything else is a bug, shown with one.
                    if not isinstance(error, MkDocsException):
                        traceback.print_exc()
                    _log.error("the build failed: %s", said)
                self.failure = (epoch_now(), "\n".join(reported))
                _log.warning(SHOWN)
            else:
                self.failure = None
            finally:
                mkdocs_log.removeHandler(heard)

        return rebuild

    def app(self, serve: App) -> App:
        """`serve`, answering every request but MkDocs's reload polls with the report while the last
        build has failed."""

        def answer(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            if str(environ.get("PATH_INFO", "")).startswith(LIVERELOAD):
                return serve(environ, start_response)
            failure, asked = self.failure, epoch_now()
            if failure is None:  # MkDocs makes the request wait for a rebuild under way: which may fail
                held: list[tuple[Any, ...]] = []

                def hold(*response: Any) -> Callable[[bytes], None]:
                    held.append(response)
                    return _unwritten

                served = serve(environ, hold)
                failure = self.failure
                if failure is None or failure[0] < asked:
                    if held:
                        start_response(*held[0])
                    return served
                getattr(served, "close", lambda: None)()  # what the failed build left: the report instead
            body = report_page(*failure)
            start_response(
                "200 OK",  # MkDocs logs any other status as a warning, which fails a strict build under way
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [body]

        return answer


def _unwritten(data: bytes) -> None:
    raise AssertionError("MkDocs's server returns its body: it writes none")  # a bug, shown as one


class _Heard(logging.Handler):
    """The messages of warning level and above that the thread attaching it logs while attached (not
    the server's, which logs a request answered with another status than 200 as a warning)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a record whose arguments do not fit its message: it is logged elsewhere too
            self.messages.append(str(record.msg))


# Polls MkDocs's endpoint as the pages MkDocs serves do (it answers when a build newer than the given
# one has finished, or after a minute with the newest), and reloads once a build after this one has.
_RELOAD = """\
(function () {
  var since = %d, id = Date.now();
  function poll() {
    var request = new XMLHttpRequest();
    request.onloadend = function () {
      if (this.status === 200 && parseInt(this.responseText, 10) > since) { location.reload(); return; }
      setTimeout(poll, this.status === 200 ? 0 : 3000);
    };
    request.open("GET", "%s" + since + "/" + id);
    request.send();
  }
  poll();
})();
"""

_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}"
    "h1{font-size:1.5rem;color:#b71c1c}pre{background:#fdecea;border-left:4px solid #b71c1c;"
    "padding:1rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word}"
)


def report_page(epoch: int, report: str) -> bytes:
    """The page shown in place of every page while the last build has failed: what it reported,
    escaped, and a script that reloads the page once a later build has finished."""
    text = html.escape(report or "The build failed without a message; see the terminal running serve.")
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>The site did not build</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        "<h1>The site did not build</h1>\n"
        "<p>The last change to the project stopped the build. Mend what is listed here and save: "
        "this page reloads by itself once the site builds again.</p>\n"
        f"<pre>{text}</pre>\n<script>\n{_RELOAD % (epoch, LIVERELOAD)}</script>\n</body>\n</html>\n"
    ).encode()
