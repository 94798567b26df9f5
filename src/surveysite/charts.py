"""Charts drawn at build time as inline SVG (no charting JavaScript), coloured by CSS classes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence

from .markdown import Markdown
from .model import UNKNOWN_VALUES, Catalog

SVG = "http://www.w3.org/2000/svg"
BAR_WIDTH, GAP, HEIGHT, LEFT, BOTTOM, TOP = 34, 10, 190, 36, 40, 16
# Charts label in 12px text; a character is at most about this wide, so no label is cut.
CHAR_WIDTH = 7.2


def text_width(text: str) -> int:
    """A generous estimate of how wide a label is drawn, in pixels."""
    return round(len(text) * CHAR_WIDTH)


def series_css(colours: Sequence[tuple[str, str]]) -> str:
    """The stylesheet that gives series N (class N) its colour, (light, dark), in both schemes."""
    light = " ".join(f"--survey-series-{i}: {c[0]};" for i, c in enumerate(colours))
    dark = " ".join(f"--survey-series-{i}: {c[1]};" for i, c in enumerate(colours))
    rules = "".join(
        f".survey-chart__series-{i} {{ fill: var(--survey-series-{i}); }}\n" for i in range(len(colours))
    )
    return f':root {{ {light} }}\n[data-md-color-scheme="slate"] {{ {dark} }}\n{rules}'


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


def _figure(svg: ET.Element, caption: str) -> Markdown:
    # Kept out of the search index: its labels and numbers are not what readers search for.
    figure = ET.Element("figure", {"class": "survey-chart", "data-search-exclude": ""})
    figure.append(svg)
    ET.SubElement(figure, "figcaption").text = caption
    return Markdown(ET.tostring(figure, encoding="unicode", short_empty_elements=True))


def studies_per_year(catalog: Catalog) -> Markdown:
    """A stacked bar chart: studies per publication year, split by class."""
    classes = [n for n in catalog.taxonomy.nodes if n.parent is None]
    counts: Counter[tuple[int, str]] = Counter()
    for study in catalog.studies:
        for class_path in sorted({c.split("/")[0] for c in study.annotation.categories}):
            counts[(study.reference.year, class_path)] += 1
    years = sorted({year for year, _ in counts}) or [0]
    peak = max((sum(counts[(y, c.path)] for c in classes) for y in years), default=1) or 1
    legend = 16 + 18 + max((text_width(c.name) for c in classes), default=0) + 10
    width = LEFT + len(years) * (BAR_WIDTH + GAP) + legend
    height = max(HEIGHT + BOTTOM + TOP, TOP + 10 + len(classes) * 22)
    svg = _svg(width, height, "Studies per year of publication, by class")
    scale = HEIGHT / peak
    for tick in sorted({0, peak // 2, peak}):
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
        _text(svg, legend_x + 18, y, node.name, anchor="start")
    return _figure(svg, "Studies per year of publication, stacked by class.")


def leaf_by_facet(catalog: Catalog, facet_id: str, most: int = 10) -> Markdown:
    """A grid of leaves against the most used values of one facet; each cell counts studies."""
    facet = next(f for f in catalog.taxonomy.facets if f.id == facet_id)
    leaves = [n for n in catalog.taxonomy.nodes if n.is_leaf]
    known = (v for s in catalog.studies for v in s.facet(facet_id) if v not in UNKNOWN_VALUES)
    usage: Counter[str] = Counter(known)
    values = [v for v, _ in sorted(usage.items(), key=lambda item: (-item[1], item[0]))[:most]]
    labels = [_row_label(catalog, leaf.path) for leaf in leaves]
    cell = 44
    label_width = max((text_width(label) for label in labels), default=0) + 20
    head = max(40, round(max((text_width(v) for v in values), default=0) * 0.71) + 20)
    # A column label is drawn rising to the right at 45 degrees: leave room for the last ones.
    overhang = max(
        (text_width(v) * 0.71 - (len(values) - i - 0.5) * cell for i, v in enumerate(values)), default=0
    )
    svg = _svg(label_width + cell * max(len(values), 1) + 10 + max(0, round(overhang)),
               head + cell * len(leaves) + 10, f"Studies per leaf and {facet.label}")  # fmt: skip
    for column, value in enumerate(values):
        x = label_width + column * cell + cell / 2
        node = ET.SubElement(
            svg, "text", x=f"{x:g}", y=str(head - 8), transform=f"rotate(-45 {x:g} {head - 8})"
        )
        node.set("class", "survey-chart__text")
        node.text = value
    for row, (leaf, row_label) in enumerate(zip(leaves, labels, strict=True)):
        y = head + row * cell
        _text(svg, label_width - 10, y + cell / 2 + 4, row_label, anchor="end")
        studies = catalog.studies_under(leaf.path)
        for column, value in enumerate(values):
            count = sum(1 for s in studies if value in s.facet(facet_id))
            x = label_width + column * cell
            rect = ET.SubElement(
                svg, "rect", x=str(x + 2), y=str(y + 2), width=str(cell - 4), height=str(cell - 4)
            )
            rect.set("class", f"survey-chart__cell survey-chart__cell-{min(count, 4)}")
            ET.SubElement(rect, "title").text = f"{leaf.name}, {value}: {count}"
            if count:
                _text(svg, x + cell / 2, y + cell / 2 + 4, str(count), css="survey-chart__count")
    return _figure(
        svg, f"How many studies in each leaf use each {facet.label} (the {len(values)} most used)."
    )


def _row_label(catalog: Catalog, path: str) -> str:
    """'Class · Leaf', or the class alone when the class is its own leaf."""
    node = catalog.taxonomy.node(path)
    if node.parent is None:
        return node.name
    return f"{catalog.taxonomy.node(node.class_path).name} · {node.name}"
