"""Page weight in chromium: bytes each page downloads on a first visit (uncompressed, and gzipped for
reference), at its load event and once every diagram is drawn, without the search index (reported apart);
duplicate downloads, whether the diagram library came, and any off-site request.

    python -m bench.bench_page_weight --site site --label after
"""

from __future__ import annotations

import gzip
import hashlib
from typing import Any
from urllib.parse import urlparse

from bench.web import arguments, save
from tests.browser import browser, serve
from tests.site_diagrams import OPEN_SHADOW_JS, wait_for_diagrams

PAGES = {
    "concept with diagram and math (retrieval/hnsw)": "retrieval/hnsw/",
    "concept without diagram (data/feature-crosses)": "data/feature-crosses/",
    "case study (case-studies/video-recommendations)": "case-studies/video-recommendations/",
    "home": "",
    "cheat sheet": "cheatsheet/",
}


def weigh(b: Any, base: str, path: str) -> dict[str, object]:
    """Everything one first visit of `path` downloads, after the page and its diagrams settle."""
    context = b.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(OPEN_SHADOW_JS)
    outside: list[str] = []
    host = urlparse(base).netloc

    def route(r: Any) -> None:
        if urlparse(r.request.url).netloc != host:
            outside.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)
    page = context.new_page()
    responses: list[Any] = []
    page.on("response", lambda r: responses.append(r))
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_timeout(1500)  # diagrams, math and fonts that load after the idle point
    at_load = len(responses)
    wait_for_diagrams(page)  # what reading down to every diagram adds (diagrams are drawn as the reader nears them)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    files = []
    for response in responses:
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            continue
        files.append((response.url, body))
    context.close()
    loaded = {r.url for r in responses[:at_load]}
    index = [len(body) for url, body in files if "search_index" in url or "kb-search-index" in url]
    rest = [(url, body) for url, body in files if "search_index" not in url and "kb-search-index" not in url]
    digests = [hashlib.sha256(body).hexdigest() for _, body in rest if body]
    urls = [url for url, _ in rest]
    return {
        "bytes_at_load": sum(len(body) for url, body in rest if url in loaded),
        "bytes": sum(len(body) for _, body in rest),
        "gzip_bytes": sum(len(gzip.compress(body, 6)) for _, body in rest),
        "search_index_bytes": sum(index),
        "requests": len(files),
        "duplicate_urls": len(urls) - len(set(urls)),
        "duplicate_bodies": len(digests) - len(set(digests)),
        "mermaid_loaded": any("mermaid" in url for url in urls),
        "largest": sorted(((len(body), urlparse(url).path) for url, body in rest), reverse=True)[:6],
        "off_site_requests": outside,
    }


def main() -> dict[str, float]:
    """Weigh each page of PAGES on a first visit and print a table."""
    args = arguments(__doc__ or "", runs=1)
    results: dict[str, object] = {}
    with serve(args.site) as base, browser() as b:
        for label, path in PAGES.items():
            results[label] = weigh(b, base, path)
    for label, r in results.items():
        assert isinstance(r, dict)
        print(
            f"{label}: {r['bytes_at_load'] / 1e6:.2f} MB at load, {r['bytes'] / 1e6:.2f} MB with every diagram drawn "
            f"({r['gzip_bytes'] / 1e6:.2f} MB gzipped) + search index "
            f"{r['search_index_bytes'] / 1e6:.2f} MB; {r['requests']} requests, mermaid {'yes' if r['mermaid_loaded'] else 'no'}, "
            f"duplicates {r['duplicate_urls']} urls / {r['duplicate_bodies']} bodies, off-site {len(r['off_site_requests'])}"  # type: ignore[arg-type]
        )
    print("->", save("page-weight", args.label, results))
    return {f"page_weight_{k.split(' (')[0].replace(' ', '_')}_bytes": float(v["bytes"]) for k, v in results.items()}  # type: ignore[index]


if __name__ == "__main__":
    main()
