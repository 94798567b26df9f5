"""Heat maps that link to their studies in the matrix, and gaps that link to the form proposing a study."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import pairwise
from urllib.parse import parse_qs, urlsplit

import pytest

from surveysite.build import Project, build_site, load_catalog
from surveysite.charts import (
    MOST_STEPS,
    axis_ticks,
    contrast,
    heat_steps,
    leaf_by_facet,
    series_css,
    studies_per_year,
)
from surveysite.proposals import proposal_url, repository_address
from surveysite.survey import palette_colour

from .conftest import MINI, MakeProject, messages

REPOSITORY = "https://github.com/example-org/mini-survey"


def heatmap(markdown: str) -> ET.Element:
    return ET.fromstring(markdown)


def test_every_non_empty_cell_links_to_the_matrix_filtered_to_its_leaf_and_value() -> None:
    catalog = load_catalog(Project.at(MINI))
    figure = heatmap(leaf_by_facet(catalog, "feedback", matrix="../matrix/"))
    values = [th.findtext("span") for th in figure.iter("th") if th.get("scope") == "col"]
    links = 0
    body = figure.find(".//tbody")
    assert body is not None
    for row in body.iter("tr"):
        for value, cell in zip(values, row.findall("td"), strict=True):
            link = cell.find("a")
            if "survey-heatmap__cell" not in (cell.get("class") or ""):
                continue
            assert link is not None
            parts = urlsplit(link.get("href") or "")
            assert parts.path == "../matrix/"
            query = parse_qs(parts.query)
            leaf = query["f.leaf"][0]
            assert query == {"f.leaf": [leaf], "f.feedback": [value]}
            count = sum(1 for s in catalog.studies_under(leaf) if value in s.facet("feedback"))
            assert link.text == str(count) and count > 0
            links += 1
    assert links > 0


def test_a_vocabulary_heat_map_shows_every_value_even_unused_ones() -> None:
    catalog = load_catalog(Project.at(MINI))
    figure = heatmap(leaf_by_facet(catalog, "feedback"))
    values = [th.findtext("span") for th in figure.iter("th") if th.get("scope") == "col"]
    facet = next(f for f in catalog.taxonomy.facets if f.id == "feedback")
    assert sorted(values) == sorted(v for v in facet.values if v not in ("not stated", "not checked"))


def test_gaps_link_to_the_issue_form_with_the_leaf_filled_in() -> None:
    catalog = load_catalog(Project.at(MINI))
    figure = heatmap(leaf_by_facet(catalog, "model", propose=lambda leaf: proposal_url(REPOSITORY, leaf)))
    gaps = [td for td in figure.iter("td") if td.get("class") == "survey-heatmap__gap"]
    assert gaps
    for gap in gaps:
        link = gap.find("a")
        assert link is not None and link.get("aria-label", "").startswith("No study yet in ")
        parts = urlsplit(link.get("href") or "")
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{REPOSITORY}/issues/new"
        leaf = parse_qs(parts.query)["leaf"][0]
        assert catalog.taxonomy.node(leaf).is_leaf


def test_without_a_repository_gaps_are_shown_without_a_link(make_project: MakeProject) -> None:
    project = make_project()
    survey = project.content / "survey.yaml"
    survey.write_text(survey.read_text(encoding="utf-8").replace(f"repository: {REPOSITORY}\n", ""))
    page = build_site(project).pages["matrix.md"]
    assert "survey-heatmap__gap" in page and "issues/new" not in page
    assert "No study yet in " in page


def test_the_repository_comes_from_survey_yaml_else_from_the_edit_url(make_project: MakeProject) -> None:
    assert repository_address("https://example.org/a/b/", None) == "https://example.org/a/b"
    assert repository_address("", "https://github.com/org/repo/edit/main/") == "https://github.com/org/repo"
    assert repository_address("", "") == ""
    assert repository_address("", "https://github.com/org/repo/blob/main/") == ""
    project = make_project()
    survey = project.content / "survey.yaml"
    survey.write_text(survey.read_text(encoding="utf-8").replace(f"repository: {REPOSITORY}\n", ""))
    edited = Project.at(project.root, edit_url="https://github.com/other/site/edit/main/")
    assert (
        "https://github.com/other/site/issues/new?template=propose-study.yml&amp;leaf="
        in (build_site(edited).pages["matrix.md"])
    )


@pytest.mark.parametrize("address", ["javascript:alert(1)", "github.com/org/repo", "https://a b/c"])
def test_a_repository_that_is_not_a_web_address_is_refused(make_project: MakeProject, address: str) -> None:
    project = make_project()
    survey = project.content / "survey.yaml"
    text = survey.read_text(encoding="utf-8").replace(REPOSITORY, f'"{address}"')
    survey.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f'repository: "{address}"') + 1
    assert messages(project) == [
        f"content/survey.yaml:{line}: 'repository' should be the project's web address, like "
        f"https://github.com/ORG/REPO; found '{address}'"
    ]


def test_labels_are_html_text_never_cut_nor_markup() -> None:
    catalog = load_catalog(Project.at(MINI))
    figure = heatmap(leaf_by_facet(catalog, "model"))
    assert figure.find(".//svg") is None
    rows = [th.text for th in figure.iter("th") if th.get("scope") == "row"]
    assert rows == ["Alpha · Leaf one", "Alpha · Leaf two", "Beta"]


def test_the_home_chart_gives_its_numbers_as_a_table_too() -> None:
    """A reader trial: the bars' values were mouse tooltips only, and the classes told apart by hue
    alone. The figure holds a table of the same numbers, a row per year, a column per class."""
    page = build_site(Project.at(MINI)).pages["index.md"]
    figure = page[page.index('<figure class="survey-chart"') : page.index("</figure>") + len("</figure>")]
    root = ET.fromstring(figure)
    bars = [
        re.fullmatch(r"(.+), (\d+): (\d+)", t.text or "")
        for t in root.iter("{http://www.w3.org/2000/svg}title")
    ]
    shown = {(bar[2], bar[1]): int(bar[3]) for bar in bars if bar}  # (year, class): the bar's count
    table = root.find("details/table")
    assert table is not None
    classes = [th.text for th in table.findall("thead/tr/th")][1:]
    assert classes == ["Alpha", "Beta"]
    rows = {
        (row.findtext("th") or "", name): int(cell.text or "")
        for row in table.findall("tbody/tr")
        for name, cell in zip(classes, row.findall("td"), strict=True)
    }
    assert {key: value for key, value in rows.items() if value} == shown and len(shown) == 4


@pytest.mark.parametrize("peak", [0, 1, 2, 3, 5, 6, 7, 9, 11, 42, 99, 101, 250, 999, 3456, 10_000])
def test_the_count_axis_is_evenly_spaced_in_round_steps_up_to_the_peak(peak: int) -> None:
    """A maintainer's trial: a peak of 5 gave the ticks '0, 2, 5', the middle one not in the middle."""
    ticks = axis_ticks(peak)
    step = ticks[1]
    assert ticks == [step * i for i in range(len(ticks))]
    assert ticks[-2] < max(peak, 1) <= ticks[-1] and len(ticks) - 1 <= MOST_STEPS
    assert re.fullmatch(r"[125]0*", str(step))


def test_the_home_charts_ticks_are_the_axis_ticks_of_its_tallest_bar(make_project: MakeProject) -> None:
    project = make_project()
    bib = project.bib / "studies.bib"
    bib.write_text(
        bib.read_text().replace("year          = {2022}", "year          = {2021}")
    )  # beside First
    catalog = load_catalog(project)
    svg = ET.fromstring(studies_per_year(catalog)).find("{http://www.w3.org/2000/svg}svg")
    assert svg is not None
    labels = [t for t in svg.iter("{http://www.w3.org/2000/svg}text") if t.get("text-anchor") == "end"]
    # 2021's bar: First, and Second, which stands in both of its classes' parts.
    assert [int(t.text or "") for t in labels] == axis_ticks(3) == [0, 1, 2, 3]
    heights = [float(t.get("y") or 0) for t in labels]
    gaps = [a - b for a, b in pairwise(heights)]
    assert max(gaps) - min(gaps) < 0.01  # evenly apart (as written, to six digits)


def test_a_long_class_name_is_cut_short_in_the_legend_not_the_chart_shrunk(make_project: MakeProject) -> None:
    """An edge-case trial's class name of 83 characters made the chart 1,345 units wide, and its text
    5 px high once scaled to the page. The legend gives 32 characters of it; the rest in a tooltip, and
    the numbers table names it whole."""
    name = "Sequential Monte Carlo and Particle Filtering Methods for Multi-Sensor Data Fusion"
    project = make_project()
    taxonomy = project.content / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("name: Beta", f"name: {name}"))
    figure = ET.fromstring(studies_per_year(load_catalog(project)))
    svg = figure.find("{http://www.w3.org/2000/svg}svg")
    assert svg is not None
    texts = {t.text: t for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    cut = next(text for text in texts if text and text.endswith("\u2026"))
    assert len(cut) == 32 and name.startswith(cut[:-1])
    assert texts[cut].findtext("{http://www.w3.org/2000/svg}title") == name
    assert int(svg.get("width") or 0) < 450  # (the mini survey's chart with 'Beta': 248)
    assert name in ET.tostring(figure.find("details"), encoding="unicode")  # (the numbers table)


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_contrast_is_wcags_ratio() -> None:
    assert contrast(rgb("#000000"), rgb("#ffffff")) == pytest.approx(21)
    assert contrast(rgb("#767676"), rgb("#ffffff")) == pytest.approx(4.54, abs=0.01)  # WCAG's usual example
    assert contrast(rgb("#777777"), rgb("#ffffff")) < 4.5


@pytest.mark.parametrize(
    "colour", ["#3f51b5", "#8c9eff", "#ffffff", "#000000", "#ffeb3b", "#767676", "#00897b"]
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_heat_step_prints_its_count_in_the_ink_that_stands_out(colour: str, scheme: str) -> None:
    """A reader's trial: in the dark scheme the counts were white on every step, so steps could not be
    made far apart without white on the lightest failing; each step now has black or white ink."""
    for ground, ink in heat_steps(colour, scheme):
        assert ink in ("#000000", "#ffffff")
        assert contrast(rgb(ground), rgb(ink)) >= 4.5, (ground, ink)


@pytest.mark.parametrize("index", range(3))
def test_neighbouring_heat_steps_stand_apart_in_either_scheme(index: int) -> None:
    colour = palette_colour(index, 3)
    for scheme, tint in (("light", colour.light), ("dark", colour.dark)):
        grounds = [rgb(ground) for ground, _ in heat_steps(tint, scheme)]
        apart = [contrast(one, other) for one, other in pairwise(grounds)]
        assert min(apart) >= 1.25, (scheme, tint, apart)
    # The theme's indigo in the dark scheme, where the trial found steps 1 to 3 alike (about 1.3:1 apart).
    indigo = [rgb(ground) for ground, _ in heat_steps("#8c9eff", "dark")]
    assert min(contrast(one, other) for one, other in pairwise(indigo)) >= 1.45


@pytest.mark.parametrize("colour", ["#3f51b5", "#ffeb3b", "#00897b", "#8c9eff", "#000000", "#ffffff"])
def test_a_colour_given_once_for_both_schemes_still_gives_steps_apart(colour: str) -> None:
    """A review: a colour given once (survey.yaml's `beta: "#00897b"`) serves both schemes; the theme's
    dark indigo on slate gave steps 1.18:1 apart, a pale yellow on white 1.04:1."""
    for scheme in ("light", "dark"):
        grounds = [rgb(ground) for ground, _ in heat_steps(colour, scheme)]
        apart = [contrast(one, other) for one, other in pairwise(grounds)]
        assert min(apart) >= 1.2, (scheme, apart)


def test_the_class_colours_stylesheet_gives_the_heat_steps_of_the_first_class_in_both_schemes() -> None:
    css = series_css([("#3f51b5", "#8c9eff"), ("#00897b", "#4db6ac")])
    light, dark = css.split("\n")[:2]
    for block, colour, scheme in ((light, "#3f51b5", "light"), (dark, "#8c9eff", "dark")):
        for n, (ground, ink) in enumerate(heat_steps(colour, scheme), start=1):
            assert f"--survey-heat-{n}: {ground};" in block
            assert f"--survey-heat-ink-{n}: {ink};" in block
    assert dark.startswith('[data-md-color-scheme="slate"] {')
    # On paper the light scheme's colours, whichever is on the screen (a reader's trial printed the dark).
    printed = css.split("\n")[2]
    assert printed == f'@media print {{ [data-md-color-scheme="slate"] {{ {light[len(":root { ") : -2]} }} }}'


def test_a_cell_is_read_as_its_leaf_and_its_facet_and_value() -> None:
    """A reader's trial heard '1 study in RL4LLM · With human feedback with GPT-3': the value's facet
    was not named, and a leaf named 'With ...' ran into the value's 'with'."""
    page = build_site(Project.at(MINI)).pages["matrix.md"]
    labels = re.findall(r'aria-label="([^"]*)"', page)
    assert "1 study in Alpha · Leaf one; Model: Model-A" in labels
    assert not [label for label in labels if " with " in label]
    titles = re.findall(r'<a href="[^"]*" title="([^"]*)"', page)  # a cell's, shown on hovering
    assert "1 study in Alpha · Leaf one; Model: Model-A" in titles
    assert not [title for title in titles if title.count(":") > 1]
