"""The concept map: an SVG of the concepts at their 2-D layout, a colour and a label per domain, a legend and a
search box. Pure text out; every string from a concept file is HTML-escaped. assets/kb-map.js adds the behaviour."""

from __future__ import annotations

from html import escape

import numpy as np

from ..core.model import Corpus

# Distinct colours (after Kelly's list of maximum contrast), one per domain in navigation order.
PALETTE = [
    "#0067a5",  # blue
    "#f38400",  # orange
    "#008856",  # green
    "#be0032",  # red
    "#875692",  # purple
    "#a1caf1",  # light blue
    "#e68fac",  # pink
    "#c2b280",  # buff
    "#f3c300",  # yellow
    "#8db600",  # yellow-green
    "#882d17",  # reddish brown
    "#848482",  # grey
    "#604e97",  # violet
    "#f99379",  # salmon
    "#2b8c8c",  # teal
    "#dcd300",  # lime
]
WIDTH, HEIGHT, PAD = 1000, 720, 30
RADIUS = 6
CHAR_WIDTH = 8.5  # an estimate of a label character's width at the map's 15px bold font


def domain_colours(corpus: Corpus) -> dict[str, str]:
    """Each domain's colour: its own as long as there are colours, in navigation order."""
    return {d.slug: PALETTE[i % len(PALETTE)] for i, d in enumerate(sorted(corpus.domains, key=lambda d: d.order))}


def _xy(point: tuple[float, float]) -> tuple[float, float]:
    return PAD + point[0] * (WIDTH - 2 * PAD), PAD + (1 - point[1]) * (HEIGHT - 2 * PAD)


def label_spots(groups: dict[str, list[tuple[float, float]]], titles: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Where each group's label goes: above its medoid (the member closest to all others), inside the map, off earlier labels."""
    spots: dict[str, tuple[float, float]] = {}
    half = {key: CHAR_WIDTH * len(titles[key]) / 2 + 4 for key in groups}
    for key, pts in groups.items():
        xy = np.array(pts, dtype=np.float64)
        medoid = xy[int(np.argmin(np.linalg.norm(xy[:, None] - xy[None], axis=2).sum(axis=1)))]
        x = min(max(float(medoid[0]), half[key]), WIDTH - half[key])
        y = min(max(float(medoid[1]) - 12, 18.0), HEIGHT - 8.0)
        for _ in range(40):  # step down (or up, at the bottom) until no earlier label overlaps
            if not any(abs(x - ox) < half[key] + half[k] and abs(y - oy) < 18 for k, (ox, oy) in spots.items()):
                break
            y = y + 20 if y + 20 <= HEIGHT - 8 else y - 40
        spots[key] = (x, y)
    return spots


def concept_map_svg(corpus: Corpus, points: dict[str, tuple[float, float]]) -> tuple[str, str]:
    """The map (search box, SVG with points and domain labels, an info line) and its legend, as HTML."""
    colours = domain_colours(corpus)
    dots: list[str] = []
    groups: dict[str, list[tuple[float, float]]] = {}
    titles: list[str] = []
    for slug in sorted(points):
        concept = corpus.concepts[slug]
        x, y = _xy(points[slug])
        groups.setdefault(concept.domain, []).append((x, y))
        links = " ".join(s for s in concept.meta.related if s in points and s != slug)
        names = "|".join([concept.title, *concept.meta.aliases])
        dots.append(
            f'<circle class="kb-map-point" cx="{x:.1f}" cy="{y:.1f}" r="{RADIUS}" fill="{colours.get(concept.domain, "#555")}"'
            f' data-slug="{escape(slug)}" data-domain="{escape(concept.domain)}" data-url="{escape("../" + concept.url_path)}"'
            f' data-links="{escape(links)}" data-names="{escape(names)}" data-domain-title="{escape(corpus.domain_title(concept.domain))}"'
            f' tabindex="0" role="button" aria-label="{escape(concept.title)}"><title>{escape(concept.title)}</title></circle>'
        )
        titles.append(concept.title)
    order = {d.slug: d.order for d in corpus.domains}
    spots = label_spots({d: groups[d] for d in sorted(groups, key=lambda d: (order.get(d, 99), d))}, {d: corpus.domain_title(d) for d in groups})
    labels = [
        f'<text class="kb-map-label" x="{x:.1f}" y="{y:.1f}" text-anchor="middle" data-domain="{escape(d)}">'
        f"{escape(corpus.domain_title(d))}</text>"
        for d, (x, y) in spots.items()
    ]
    options = "".join(f'<option value="{escape(t)}"></option>' for t in sorted(set(titles), key=str.lower))
    tools = (
        '<div class="kb-map-tools"><input type="search" class="kb-map-search" placeholder="Find a concept on the map"'
        ' aria-label="Find a concept on the map" list="kb-map-titles" autocomplete="off">'
        f'<datalist id="kb-map-titles">{options}</datalist><span class="kb-map-count" aria-live="polite"></span></div>'
    )
    svg = (
        f'<svg class="kb-map" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" aria-label="Concept map">'
        '<g class="kb-map-edges"></g><g class="kb-map-points">' + "".join(dots) + "</g>"
        '<g class="kb-map-labels" aria-hidden="true">' + "".join(labels) + "</g></svg>"
    )
    info = '<p class="kb-map-info" aria-live="polite">Hover or tap a point: its curated links are drawn; click it again to open it.</p>'
    body = f'<div class="kb-map-wrap">{tools}<div class="kb-map-scroll">{svg}</div>{info}</div>'
    keys = "".join(
        f'<button type="button" class="kb-map-key" data-domain="{escape(d)}" aria-pressed="false">'
        f'<span class="kb-swatch" style="background:{colours.get(d, "#555")}"></span>{escape(corpus.domain_title(d))}'
        f" <small>({len(groups[d])})</small></button>"
        for d in sorted(groups, key=lambda d: (order.get(d, 99), d))
    )
    legend = f'<div class="kb-map-legend" role="group" aria-label="Domains: click one to highlight it">{keys}</div>'
    return body, legend
