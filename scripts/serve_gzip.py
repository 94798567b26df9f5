"""Serve a built site on loopback as static hosts do: gzip for text files, caching headers, no logging.

    .venv/bin/python scripts/serve_gzip.py SITE_DIR [--port 8000]

Used by scripts/bench_browser.py (Lighthouse and the table timings). Text responses (HTML, CSS,
JavaScript, JSON, XML, SVG) are gzipped at level 6 when the browser accepts it, as GitHub Pages,
Netlify and most CDNs do; each file is compressed once and kept in memory.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".bib", ".csv", ".map"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that gzips text and says how long a file may be cached."""

    _cache: ClassVar[dict[Path, bytes]] = {}
    _lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        super().end_headers()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                super().do_GET()  # the redirect to the folder's address
                return
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or path.suffix not in COMPRESSED or not accepts:
            super().do_GET()
            return
        with self._lock:
            body = self._cache.get(path)
            if body is None:
                body = self._cache[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serving(site: Path, port: int = 8000) -> Iterator[str]:
    """Serve `site` gzipped on 127.0.0.1:`port` while the block runs; yields its address."""
    GzipHandler._cache = {}
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("site", type=Path)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    with serving(args.site, args.port) as url:
        print(f"serving {args.site} gzipped at {url}; Ctrl-C stops")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
