"""Charts drawn at build time as inline SVG (no charting JavaScript), coloured by CSS classes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Sequence

from .markdown import Markdown, matrix_query
from .model import UNKNOWN_VALUES, Catalog, Node
from .views import NO_MARKDOWN, count_label

ProposeLink = Callable[[str], str] | None
SVG = "http://www.w3.org/2000/svg"
BAR_WIDTH, GAP, HEIGHT, LEFT, BOTTOM, TOP = 34, 10, 190, 36, 40, 16
# Charts label in 12px text; a character is at most about this wide, so no label is cut.
CHAR_WIDTH = 7.2


def text_width(text: str) -> int:
    """A generous estimate of how wide a label is drawn, in pixels."""
    return round(len(text) * CHAR_WIDTH)


# A heat map's four steps (a count of 1, 2, 3, 4 or more) are the first class's colour over the page,
# this much of it in each scheme: spaced so that neighbouring steps stand apart (by about 10-14 in CIE
# lightness for the theme's indigo) in either. The pages' backgrounds are the theme's, white and slate.
HEAT_STEPS = {"light": (0.14, 0.34, 0.56, 0.80), "dark": (0.14, 0.36, 0.60, 0.85)}
PAGE_BACKGROUND = {"light": (255, 255, 255), "dark": (30, 33, 41)}
INKS = ((0, 0, 0), (255, 255, 255))


def _rgb(colour: str) -> tuple[int, int, int]:
    """'#3f51b5' (as survey.yaml's colours are checked to be) as red, green, blue."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def luminance(rgb: Sequence[int]) -> float:
    """Relative luminance, as WCAG defines it for contrast."""
    linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: Sequence[int], other: Sequence[int]) -> float:
    """WCAG's contrast ratio of two colours, from 1 to 21."""
    a, b = sorted((luminance(one), luminance(other)))
    return (b + 0.05) / (a + 0.05)


def heat_steps(colour: str, scheme: str) -> list[tuple[str, str]]:
    """Each heat step's background and the ink of its count, as '#rrggbb': black or white, whichever
    stands out more (at least 4.5:1 whatever the colour: one of the two always does)."""
    ground, tint = PAGE_BACKGROUND[scheme], _stands_out(_rgb(colour), scheme)
    steps = []
    for share in HEAT_STEPS[scheme]:
        mixed = [round(t * share + g * (1 - share)) for t, g in zip(tint, ground, strict=True)]
        ink = max(INKS, key=lambda i: contrast(mixed, i))
        steps.append((_hex(mixed), _hex(ink)))
    return steps


def _stands_out(colour: Sequence[int], scheme: str) -> Sequence[int]:
    """The colour, or, if it stands out from the scheme's page by less than 3:1 (a colour given once for
    both schemes, such as a dark one on slate or a pale one on white), the colour made lighter (dark
    scheme) or darker (light) until it does: else its steps would lie too close to the page and to
    each other."""
    ground, toward = PAGE_BACKGROUND[scheme], (255, 255, 255) if scheme == "dark" else (0, 0, 0)
    shifted = list(colour)
    for tenth in range(1, 11):
        if contrast(shifted, ground) >= 3:
            break
        shifted = [round(c + (t - c) * tenth / 10) for c, t in zip(colour, toward, strict=True)]
    return shifted


def _hex(rgb: Sequence[int]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb)


def series_css(colours: Sequence[tuple[str, str]]) -> str:
    """The stylesheet that gives series N (class N) its colour, (light, dark), in both schemes, and the
    heat maps their steps, of the first class's colour."""
    light = " ".join(f"--survey-series-{i}: {c[0]};" for i, c in enumerate(colours))
    dark = " ".join(f"--survey-series-{i}: {c[1]};" for i, c in enumerate(colours))
    if colours:
        light += "".join(_heat_vars(colours[0][0], "light"))
        dark += "".join(_heat_vars(colours[0][1], "dark"))
    rules = "".join(
        f".survey-chart__series-{i} {{ fill: var(--survey-series-{i}); }}\n" for i in range(len(colours))
    )
    # On paper the light scheme's colours, whichever scheme is on the screen: a reader's trial printed
    # the heat maps from the dark one, their steps reversed and their counts in white ink, which a
    # printer leaving out backgrounds (as browsers do by default) prints on white.
    printed = f'@media print {{ [data-md-color-scheme="slate"] {{ {light} }} }}\n'
    return f':root {{ {light} }}\n[data-md-color-scheme="slate"] {{ {dark} }}\n{printed}{rules}'


def _heat_vars(colour: str, scheme: str) -> list[str]:
    return [
        f" --survey-heat-{n}: {ground}; --survey-heat-ink-{n}: {ink};"
        for n, (ground, ink) in enumerate(heat_steps(colour, scheme), start=1)
    ]


def _svg(width: int, height: int, label: str) -> ET.Element:
    svg = ET.Element("svg", xmlns=SVG, viewBox=f"0 0 {width} {height}", role="img", width=str(width))
    svg.set("aria-label", label)
    svg.set("class", "survey-chart__svg")
    ET.SubElement(svg, "title").text = label
    return svg


def _text(parent: ET.Element, x: float, y: float, text: str, anchor: str = "middle", css: str = "") -> None:
    node = ET.SubElement(parent, "text", x=f"{x:g}", y=f"{y:g}")
    node.set("text-anchor", anchor)
    node.set("class", f"survey-chart__text {css}".strip())
    node.text = text


def _figure(svg: ET.Element, caption: str, *more: ET.Element) -> Markdown:
    # Kept out of the search index: its labels and numbers are not what readers search for.
    figure = ET.Element("figure", {"class": "survey-chart", "data-search-exclude": ""})
    figure.append(svg)
    figure.extend(more)
    ET.SubElement(figure, "figcaption").text = caption
    return Markdown(ET.tostring(figure, encoding="unicode", short_empty_elements=True))


def axis_ticks(peak: int) -> list[int]:
    """The count axis's ticks, from 0 to at least `peak`: evenly spaced by 1, 2 or 5 times a power of
    ten, in at most MOST_STEPS steps (the ticks 0, peak // 2 and peak read '0, 2, 5' for a peak of 5,
    the middle one not in the middle)."""
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            steps = max(1, -(-peak // step))  # (a ceiling)
            if steps <= MOST_STEPS:
                return [step * i for i in range(steps + 1)]
        power *= 10


MOST_STEPS = 5


def studies_per_year(catalog: Catalog) -> Markdown:
    """A stacked bar chart: studies per publication year, split by class."""
    classes = [n for n in catalog.taxonomy.nodes if n.parent is None]
    counts: Counter[tuple[int, str]] = Counter()
    shared = 0  # studies placed in more than one class, each counted in every class it is in
    for study in catalog.studies:
        in_classes = sorted({c.split("/")[0] for c in study.annotation.categories})
        shared += len(in_classes) > 1
        for class_path in in_classes:
            counts[(study.reference.year, class_path)] += 1
    years = sorted({year for year, _ in counts}) or [0]
    peak = max((sum(counts[(y, c.path)] for c in classes) for y in years), default=1) or 1
    names = [_legend_name(c.name) for c in classes]
    legend = 16 + 18 + max((text_width(name) for name in names), default=0) + 10
    width = LEFT + len(years) * (BAR_WIDTH + GAP) + legend
    height = max(HEIGHT + BOTTOM + TOP, TOP + 10 + len(classes) * 22)
    svg = _svg(width, height, "Studies per year of publication, by class")
    ticks = axis_ticks(peak)
    scale = HEIGHT / ticks[-1]
    for tick in ticks:
        y = TOP + HEIGHT - tick * scale
        line = ET.SubElement(svg, "line", x1=str(LEFT - 4), x2=str(LEFT + len(years) * (BAR_WIDTH + GAP)),
                             y1=f"{y:g}", y2=f"{y:g}")  # fmt: skip
        line.set("class", "survey-chart__grid")
        _text(svg, LEFT - 8, y + 4, str(tick), anchor="end")
    for i, year in enumerate(years):
        x, base = LEFT + i * (BAR_WIDTH + GAP) + GAP / 2, float(TOP + HEIGHT)
        for index, node in enumerate(classes):
            value = counts[(year, node.path)]
            if value:
                rect = ET.SubElement(svg, "rect", x=f"{x:g}", y=f"{base - value * scale:g}",
                                     width=str(BAR_WIDTH), height=f"{value * scale:g}")  # fmt: skip
                rect.set("class", f"survey-chart__series-{index}")
                ET.SubElement(rect, "title").text = f"{node.name}, {year}: {value}"
                base -= value * scale
        _text(svg, x + BAR_WIDTH / 2, TOP + HEIGHT + 18, str(year))
    for index, node in enumerate(classes):
        y = TOP + 10 + index * 22
        legend_x = LEFT + len(years) * (BAR_WIDTH + GAP) + 16
        key = ET.SubElement(svg, "rect", x=str(legend_x), y=str(y - 10), width="12", height="12")
        key.set("class", f"survey-chart__series-{index}")
        _text(svg, legend_x + 18, y, names[index], anchor="start")
        if names[index] != node.name:  # (the whole name: the bars' tooltips and the numbers give it too)
            ET.SubElement(svg[-1], "title").text = node.name
    caption = "Studies per year of publication, stacked by class."
    if shared:  # a bar then stands for more studies than its year has
        caption += (
            f" {'A study' if shared == 1 else f'Each of the {shared} studies'} placed in more than one class "
            "counts once in each, so a bar can be taller than its year's number of studies."
        )
    return _figure(svg, caption, _year_table(years, classes, counts))


def _legend_name(name: str) -> str:
    """A class's name as the chart's legend gives it: cut short after LEGEND_CHARS characters. The chart
    is as wide as its legend, then scaled to the page: an edge-case trial's class name of 83 characters
    made its text 5 px high."""
    return name if len(name) <= LEGEND_CHARS else name[: LEGEND_CHARS - 1].rstrip() + "\u2026"


LEGEND_CHARS = 32


def _year_table(years: list[int], classes: list[Node], counts: Counter[tuple[int, str]]) -> ET.Element:
    """The chart's numbers as a table, folded away under the chart: what the bars' tooltips tell a
    mouse, for a screen reader or a reader who tells the classes' colours apart with difficulty."""
    details = ET.Element("details", {"class": "survey-chart__numbers"})
    ET.SubElement(details, "summary").text = "The numbers"
    # (Named for what it holds, not by the figure's caption: see leaf_by_facet.)
    table = ET.SubElement(details, "table", {"aria-label": "Studies per year and class"})
    head = ET.SubElement(ET.SubElement(table, "thead"), "tr")
    for label in ["Year", *(node.name for node in classes)]:
        ET.SubElement(head, "th", scope="col").text = label
    body = ET.SubElement(table, "tbody")
    for year in years:
        row = ET.SubElement(body, "tr")
        ET.SubElement(row, "th", scope="row").text = str(year)
        for node in classes:
            ET.SubElement(row, "td").text = str(counts[(year, node.path)])
    return details


def heatmap_values(catalog: Catalog, facet_id: str, most: int = 10) -> list[str]:
    """The columns of a facet's heat map: its most used values; for a vocabulary, every value."""
    facet = next(f for f in catalog.taxonomy.facets if f.id == facet_id)
    known = (v for s in catalog.studies for v in s.facet(facet_id) if v not in UNKNOWN_VALUES)
    usage: Counter[str] = Counter(known)
    if facet.kind == "vocabulary":  # a value no study has yet is a gap worth showing
        declared = [v for v in facet.values if v not in UNKNOWN_VALUES]
        return sorted(declared, key=lambda v: (-usage[v], declared.index(v)))
    return [v for v, _ in sorted(usage.items(), key=lambda item: (-item[1], item[0]))[:most]]


def leaf_by_facet(
    catalog: Catalog, facet_id: str, most: int = 10, matrix: str = "./", propose: ProposeLink = None
) -> Markdown:
    """A table of leaves against one facet's values; each cell counts studies and links to them.

    A cell with studies links to the matrix (at `matrix`) filtered to its leaf and value; an empty
    cell is a gap, shown as such and linked to `propose(leaf)` (the issue form) when there is one.
    """
    facet = next(f for f in catalog.taxonomy.facets if f.id == facet_id)
    values = heatmap_values(catalog, facet_id, most)
    if not values:  # (free terms no study gives yet: a trial's map was its row names alone)
        return NO_MARKDOWN
    # Kept out of the search index, as the charts are: its cells' labels and counts ran together into
    # the matrix page's search result for any facet value (a reader's trial searched "PPO").
    figure = ET.Element("figure", {"class": "survey-heatmap", "data-search-exclude": ""})
    scroll = ET.SubElement(figure, "div", {"class": "survey-heatmap__scroll"})
    # Named for what it holds, not by the caption: the figure is named by its caption already, and a
    # screen reader read the sentence three times, as the figure's name, the table's and the text.
    attributes = {"class": "survey-heatmap__table", "aria-label": f"Studies in each leaf by {facet.label}"}
    table = ET.SubElement(scroll, "table", attributes)
    head = ET.SubElement(ET.SubElement(table, "thead"), "tr")
    ET.SubElement(head, "td").text = ""
    for value in values:
        ET.SubElement(ET.SubElement(head, "th", scope="col", title=value), "span").text = value
    body = ET.SubElement(table, "tbody")
    for leaf in (n for n in catalog.taxonomy.nodes if n.is_leaf):
        row = ET.SubElement(body, "tr")
        label = _row_label(catalog, leaf.path)
        ET.SubElement(row, "th", scope="row").text = label
        # How many of the leaf's studies have each value, each study counted once per value
        counts = Counter(v for s in catalog.studies_under(leaf.path) for v in set(s.facet(facet_id)))
        for value in values:
            cell = matrix + matrix_query(("leaf", leaf.path), (facet_id, value))
            named = f"{facet.label}: {value}"  # (a trial heard a leaf 'With ...' run into 'with' a value)
            _heat_cell(row, counts[value], label, named, cell, propose(leaf.path) if propose else "")
    caption = f"How many studies in each leaf have each value of {facet.label}"
    caption += " (every value)." if facet.kind == "vocabulary" else f" (the {len(values)} most used)."
    caption += " A dashed cell is a gap, with no study yet."
    figcaption = ET.SubElement(figure, "figcaption")
    figcaption.text = caption
    # (What a cell does is for the screen: not printed, see extra.css.)
    screen = ET.SubElement(figcaption, "span", {"class": "survey-heatmap__screen"})
    screen.text = " Select a cell to see its studies in the matrix"
    screen.text += ", or a gap to propose one." if propose else "."
    return Markdown(ET.tostring(figure, encoding="unicode", short_empty_elements=False))


def _heat_cell(row: ET.Element, count: int, label: str, value: str, matrix: str, propose: str) -> None:
    """One cell: `label` names its row (the leaf), `value` its column ('Facet: value')."""
    if count:
        cell = ET.SubElement(
            row, "td", {"class": f"survey-heatmap__cell survey-heatmap__cell-{min(count, 4)}"}
        )
        said = f"{count_label(count)} in {label}; {value}"  # (as a title, it had two colons: a review)
        link = ET.SubElement(cell, "a", href=matrix, title=said)
        link.set("aria-label", said)
        link.text = str(count)
        return
    cell = ET.SubElement(row, "td", {"class": "survey-heatmap__gap"})
    gap = f"No study yet in {label}; {value}"
    if propose:
        link = ET.SubElement(cell, "a", href=propose, title=f"{gap}. Propose one")
        link.set("aria-label", f"{gap}. Propose one")
        link.text = "+"
    else:
        ET.SubElement(cell, "span", {"class": "survey-visually-hidden"}).text = gap
        ET.SubElement(
            cell, "span", {"aria-hidden": "true", "title": gap}
        ).text = "\u2013"  # an en dash: nothing here


def _row_label(catalog: Catalog, path: str) -> str:
    """'Class · Leaf', or the class alone when the class is its own leaf."""
    node = catalog.taxonomy.node(path)
    if node.parent is None:
        return node.name
    return f"{catalog.taxonomy.node(node.class_path).name} · {node.name}"
