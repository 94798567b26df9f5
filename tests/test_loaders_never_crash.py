"""Property tests: any text fed to the loaders gives records or problems, never an exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveysite.build import Project, check

from .conftest import MINI

BIBTEX_PIECES = st.sampled_from(
    ["@misc{", "@article{", "k1", ",", "}", "{", "=", "title", "author", "year", '"', "\n", " ", "@",
     "%", "\\", "$", "2020", "@string{", "#", "@comment{", "é", "\x00"]
)  # fmt: skip
YAML_PIECES = st.sampled_from(
    ["name:", "categories:", "facets:", "- ", "[", "]", "{", "}", "&a", "*a", "!!python/object:x", "\n",
     "  ", ":", "'", '"', "yes", "2020-01-01", "|", ">", "#", "?", "%YAML 1.1", "---", "\t", "é"]
)  # fmt: skip
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def write_project(base: Path, bib: str | None = None, study: str | None = None) -> Project:
    import shutil
    import uuid

    root = base / uuid.uuid4().hex
    shutil.copytree(MINI, root)
    if bib is not None:
        (root / "bib" / "fuzz.bib").write_text(bib, encoding="utf-8", errors="surrogatepass")
    if study is not None:
        (root / "content" / "studies" / "lee2023third.yaml").write_text(
            study, encoding="utf-8", errors="surrogatepass"
        )
    return Project.at(root)


@SETTINGS
@given(st.one_of(st.text(max_size=300), st.lists(BIBTEX_PIECES, max_size=60).map("".join)))
def test_any_bibtex_text_gives_problems_not_exceptions(tmp_path: Path, text: str) -> None:
    problems = check(write_project(tmp_path, bib=text))
    assert all(str(p).startswith(("bib/", "content/")) for p in problems)


@SETTINGS
@given(st.one_of(st.text(max_size=300), st.lists(YAML_PIECES, max_size=60).map("".join)))
def test_any_study_yaml_gives_problems_not_exceptions(tmp_path: Path, text: str) -> None:
    problems = check(write_project(tmp_path, study=text))
    assert all(str(p).startswith(("bib/", "content/")) for p in problems)
