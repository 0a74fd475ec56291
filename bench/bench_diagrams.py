"""Diagram legibility in chromium: the on-screen size of every label of every diagram of the site, on a
desktop (1366x900) and a phone (390x844) viewport; each page loaded as a reader opens it.

    python -m bench.bench_diagrams --site site --label after
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path
from typing import Any

from bench.web import arguments, save
from tests.browser import browser, serve
from tests.site_diagrams import OPEN_SHADOW_JS, measure, wait_for_diagrams

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
MARKER = re.compile(r'class="(mermaid|kb-mermaid)"')


def diagram_pages(site: Path) -> list[str]:
    """Site-relative URLs of every page with a diagram."""
    return sorted(
        p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
        if MARKER.search(p.read_text(encoding="utf-8"))
    )


def summary(diagrams: list[dict[str, Any]]) -> dict[str, float]:
    """Median label, share of small labels, and diagrams whose smallest label is under 9 / 11 px."""
    labels = [s for d in diagrams for s in d["sizes"]]
    return {
        "diagrams": len(diagrams),
        "labels": len(labels),
        "median_label_px": round(statistics.median(labels), 2) if labels else 0.0,
        "min_label_px": round(min(labels), 2) if labels else 0.0,
        "labels_under_9px": sum(1 for s in labels if s < 9),
        "labels_under_11px": sum(1 for s in labels if s < 11),
        "diagrams_min_under_9px": sum(1 for d in diagrams if d["min"] < 9),
        "diagrams_min_under_11px": sum(1 for d in diagrams if d["min"] < 11),
        "diagrams_median_under_10px": sum(1 for d in diagrams if d["median"] < 10),
        "diagrams_scrolling": sum(1 for d in diagrams if d["scrolls"]),
    }


def main() -> dict[str, float]:
    """Measure every diagram on both viewports and print the summary."""
    args = arguments(__doc__ or "", runs=1)
    pages = diagram_pages(args.site)
    results: dict[str, object] = {"pages": len(pages)}
    with serve(args.site) as base, browser() as b:
        for name, viewport in VIEWPORTS.items():
            context = b.new_context(viewport=viewport)
            context.add_init_script(OPEN_SHADOW_JS)
            page = context.new_page()
            found: list[dict[str, Any]] = []
            for path in pages:
                page.goto(base + path)
                wait_for_diagrams(page)
                page.wait_for_timeout(50)
                for d in measure(page):
                    d["page"] = path
                    found.append(d)
            context.close()
            results[name] = summary(found)
            results[f"{name}_smallest"] = sorted(
                ({"page": d["page"], "min": round(d["min"], 2)} for d in found), key=lambda d: d["min"]
            )[:10]
            print(name, results[name])
    print("->", save("diagrams", args.label, results))
    out: dict[str, float] = {}
    for name in VIEWPORTS:
        stats = results[name]
        assert isinstance(stats, dict)
        out[f"diagram_{name}_median_label_px"] = float(stats["median_label_px"])
    return out


if __name__ == "__main__":
    main()
