"""The study pages' sitemap, and the robots.txt that names it beside the site's own sitemap.

MkDocs's sitemap.xml leaves the study pages out (see the theme override): Material's instant
navigation reads it on a reader's first visit. A crawler that does not click buttons then finds a
study page only through a link written into a page: What's new lists the newest studies and each
table shows its first rows, so at a few thousand studies most study pages are linked from nowhere it
reads. `sitemap-studies.xml` lists every one of them, and `robots.txt`, which crawlers read at a
site's root, names both sitemaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

STUDIES_SITEMAP = "sitemap-studies.xml"
ROBOTS = "robots.txt"
SITE_SITEMAP = "sitemap.xml"  # MkDocs's own
# A sitemap holds at most 50,000 addresses (sitemaps.org); more are listed in further files.
MOST_PER_SITEMAP = 50_000


def sitemap_name(number: int) -> str:
    """The name of the studies' sitemap `number` (from 1): the first keeps the plain name."""
    return STUDIES_SITEMAP if number == 1 else STUDIES_SITEMAP.replace(".xml", f"-{number}.xml")


def absolute(site_url: str, url: str) -> str:
    """A page's address (relative to the site's root, as MkDocs gives it) under the site's address."""
    return site_url.rstrip("/") + "/" + url.lstrip("/")


def study_sitemaps(site_url: str, urls: Sequence[str], most: int = MOST_PER_SITEMAP) -> dict[str, str]:
    """The studies' sitemaps by file name, listing each study page's address (`urls`, relative to the
    site's root) under `site_url`, at most `most` a file; none without studies."""
    files = {}
    for number, start in enumerate(range(0, len(urls), most), 1):
        lines = [
            f"  <url><loc>{escape(absolute(site_url, url))}</loc></url>" for url in urls[start : start + most]
        ]
        files[sitemap_name(number)] = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(lines)
            + "\n</urlset>\n"
        )
    return files


def robots_txt(site_url: str, sitemaps: Sequence[str]) -> str:
    """A robots.txt that lets every crawler in and names the site's sitemaps (file names at its root).
    Crawlers read it only at a host's root: a site published in a folder of its host (a project's
    GitHub Pages) submits the sitemaps to the search engines instead."""
    named = "".join(f"Sitemap: {absolute(site_url, name)}\n" for name in (SITE_SITEMAP, *sitemaps))
    return f"User-agent: *\nAllow: /\n\n{named}"
