"""The concept map: an SVG scatter of the concepts at their 2-D layout, coloured by domain. Pure text out."""

from __future__ import annotations

from ..core.model import Corpus

PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
]


def concept_map_svg(corpus: Corpus, points: dict[str, tuple[float, float]]) -> tuple[str, str]:
    """An SVG scatter of the concepts (links with hover titles) and its legend, as HTML."""
    from html import escape

    colours = {d.slug: PALETTE[i % len(PALETTE)] for i, d in enumerate(corpus.domains)}
    width, height, pad = 960, 640, 24
    dots = []
    for slug in sorted(points):
        concept = corpus.concepts[slug]
        x = pad + points[slug][0] * (width - 2 * pad)
        y = pad + (1 - points[slug][1]) * (height - 2 * pad)
        title = escape(concept.title, quote=True)
        href = escape(f"../{concept.url_path}", quote=True)
        dots.append(
            f'<a href="{href}" class="kb-map-point" data-slug="{escape(slug)}"><title>{title}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{colours.get(concept.domain, "#555")}"/></a>'
        )
    svg = f'<svg class="kb-map" viewBox="0 0 {width} {height}" role="img" aria-label="Concept map">' + "".join(dots) + "</svg>"
    used = sorted(
        {corpus.concepts[s].domain for s in points}, key=lambda d: next((x.order for x in corpus.domains if x.slug == d), 99)
    )
    legend = (
        '<p class="kb-map-legend">'
        + " ".join(
            f'<span><span class="kb-swatch" style="background:{colours.get(d, "#555")}"></span>'
            f"{escape(corpus.domain(d).title if corpus.domain(d) else d)}</span>"
            for d in used
        )
        + "</p>"
    )
    return svg, legend
