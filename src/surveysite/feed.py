"""The Atom feed of studies added to the site, newest first."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .model import Catalog, Study, title_after_name

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feed.xml"
MAX_ENTRIES = 50


def newest_first(catalog: Catalog) -> list[Study]:
    """Studies by the date they were added, newest first (then by key, for stable output)."""
    by_key = sorted(catalog.studies, key=lambda s: s.key)
    return sorted(by_key, key=lambda s: s.annotation.added, reverse=True)


def _permanent_id(study: Study) -> str:
    ref = study.reference
    if ref.doi:
        return f"https://doi.org/{ref.doi}"
    if ref.arxiv:
        return f"https://arxiv.org/abs/{ref.arxiv}"
    return ref.url or f"urn:bibtex:{study.key}"


def atom_feed(catalog: Catalog, title: str, feed_id: str) -> str:
    """An Atom document (RFC 4287) with the most recently added studies; links are site-relative."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    studies = newest_first(catalog)[:MAX_ENTRIES]
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href="whats-new/")
    newest = studies[0].annotation.added.isoformat() if studies else "1970-01-01"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = f"{newest}T00:00:00Z"
    for study in studies:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(
            entry, f"{{{ATOM}}}title"
        ).text = f"{study.annotation.name}: {title_after_name(study.annotation.name, study.reference.title)}"
        ET.SubElement(entry, f"{{{ATOM}}}id").text = _permanent_id(study)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=f"studies/{study.key}/")
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = f"{study.annotation.added.isoformat()}T00:00:00Z"
        for name in study.reference.authors[:10]:
            ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = name
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = study.annotation.summary
        for category in study.annotation.categories:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=category)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
