"""Driving the site's search box in chromium: ranked result pages for a query, and time from typing to results.

Shared by the browser test (tests/test_search.py) and the benchmark (bench/bench_search.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

QUERIES = Path(__file__).with_name("search_queries.yaml")
INPUT = "input.md-search__input"

# Set the query, fire one keyup (what Material listens to), and resolve with the result pages once
# the list has been redrawn and stayed unchanged for a moment.
_QUERY_JS = """async (q) => {
  const input = document.querySelector("input.md-search__input");
  const list = document.querySelector(".md-search-result__list");
  const meta = document.querySelector(".md-search-result__meta");
  const settled = new Promise((resolve) => {
    let quiet;
    const stop = () => { observer.disconnect(); resolve(); };
    const observer = new MutationObserver(() => { clearTimeout(quiet); quiet = setTimeout(stop, 80); });
    observer.observe(list, { childList: true });
    observer.observe(meta, { childList: true, characterData: true, subtree: true });
    quiet = setTimeout(stop, 4000);
  });
  input.value = q;
  input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  await settled;
  return [...list.querySelectorAll(":scope > li > a.md-search-result__link")].map((a) => a.href);
}"""

# Record when the first and the last key go down, and when results for the full query are first drawn.
_WATCH_JS = """(q) => {
  window.__kbT0 = undefined; window.__kbTLast = undefined; window.__kbT1 = undefined;
  const input = document.querySelector("input.md-search__input");
  const list = document.querySelector(".md-search-result__list");
  input.addEventListener("keydown", () => {
    if (window.__kbT0 === undefined) window.__kbT0 = performance.now();
    window.__kbTLast = performance.now();
  });
  const observer = new MutationObserver(() => {
    if (input.value === q && list.children.length > 0 && window.__kbT1 === undefined) {
      window.__kbT1 = performance.now(); observer.disconnect();
    }
  });
  observer.observe(list, { childList: true });
}"""


def load_queries(part: str = "queries") -> dict[str, str]:
    """The everyday queries (or the held-out ones: part="holdout") and the page (domain/slug) each should find first."""
    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    return {str(q): str(p) for q, p in data[part].items()}


def wait_until_ready(page: Any, timeout: float = 60_000) -> None:
    """Open the search box and wait until the search engine has loaded its index."""
    page.click(INPUT)
    page.wait_for_function(
        "() => !/Initializing/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=timeout
    )


def result_pages(page: Any, query: str, base: str) -> list[str]:
    """The pages (site-relative, 'domain/slug') the search lists for `query`, best first."""
    hrefs = page.evaluate(_QUERY_JS, query)
    root = urlparse(base).path
    out: list[str] = []
    for href in hrefs:
        path = urlparse(href).path
        rel = path[len(root) :] if path.startswith(root) else path
        out.append(rel.removesuffix("index.html").strip("/"))
    return out


def hits(page: Any, base: str, queries: dict[str, str]) -> dict[str, int | None]:
    """For each query, the 1-based rank of its expected page among the results (None when absent)."""
    ranks: dict[str, int | None] = {}
    for query, expected in queries.items():
        found = result_pages(page, query, base)
        ranks[query] = found.index(expected) + 1 if expected in found else None
    return ranks


def typing_latency_ms(page: Any, query: str) -> tuple[float, float]:
    """Milliseconds from the last key pressed in the search box to the first results for the whole query,
    and from the first key (that includes the typing itself).

    Call right after the page's load event: on a first visit this includes fetching and loading the index.
    """
    page.evaluate(_WATCH_JS, query)
    page.click(INPUT)
    page.keyboard.type(query)
    page.wait_for_function("() => window.__kbT1 !== undefined", timeout=60_000)
    last, first = page.evaluate("[window.__kbT1 - window.__kbTLast, window.__kbT1 - window.__kbT0]")
    return float(last), float(first)
