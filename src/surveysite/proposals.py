"""Where readers propose a study: the project's issue form, with the leaf filled in."""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from .paths import PROPOSE_FORM
from .rendered import is_web_url

# An edit address as the Pages workflow writes it: https://github.com/ORG/REPO/edit/BRANCH/
_EDIT_URL = re.compile(r"^(https://[^/]+/[^/]+/[^/]+)/edit/")


def repository_address(repository: str, edit_url: str | None) -> str:
    """The project's repository: as configured in survey.yaml, else read from edit_url; '' for none."""
    if repository:
        return repository.rstrip("/")
    match = _EDIT_URL.match(edit_url or "")
    return match.group(1) if match and is_web_url(match.group(1)) else ""


def proposal_url(repository: str, leaf: str) -> str:
    """The issue form for proposing a study, with the leaf (as the form's option) chosen through the
    form's URL parameters."""
    query = urlencode({"template": PROPOSE_FORM, "leaf": leaf}, quote_via=quote, safe="/")
    return f"{repository}/issues/new?{query}"


def with_repository_link(extra: Any, repository: str) -> None:
    """Give the theme's footer (mkdocs.yml's extra.social) a link to the project's repository, where a
    reader reports a mistake, proposes a study or reads how to contribute: when it is known and the
    project sets no links of its own."""
    if not repository or not isinstance(extra, MutableMapping) or "social" in extra:
        return
    host = (urlsplit(repository).hostname or "").lower()
    brand = next((name for name in ("github", "gitlab") if host == f"{name}.com"), "")
    icon = f"fontawesome/brands/{brand}" if brand else "material/source-repository"
    name = "The site's repository: its data, issues and how to contribute"
    extra["social"] = [{"icon": icon, "link": repository, "name": name}]
