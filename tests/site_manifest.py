"""What a built site says, engine-independently: its pages, their internal links and their visible text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin

SKIP = {"script", "style", "svg", "nav", "header", "footer"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: set[str] = set()
        self.text: list[str] = []
        self._skip = 0
        self._in_article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "article":
            self._in_article += 1
        if tag in SKIP:
            self._skip += 1
        if tag == "a" and self._in_article and found.get("href"):
            self.links.add(str(found["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._in_article -= 1
        if tag in SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._in_article and not self._skip:
            self.text.append(data)


def site_manifest(site: Path) -> dict[str, dict[str, object]]:
    """Page path -> {links: internal link targets (site-relative), text: the article's visible text}."""
    out: dict[str, dict[str, object]] = {}
    base = "http://site.invalid/"
    for page in sorted(site.rglob("index.html")):
        rel = page.relative_to(site).as_posix()
        if rel.startswith(("assets/", "search/")) and rel != "search/index.html":
            continue
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8"))
        url = base + rel
        links = set()
        for href in parser.links:
            target = urldefrag(urljoin(url, href))[0]
            if target.startswith(base):
                links.add(target[len(base) :].removesuffix("index.html"))
        text = re.sub(r"\s+", " ", "".join(parser.text)).replace("¶", "").strip()
        out[rel] = {"links": sorted(links), "text": text}
    return out


if __name__ == "__main__":  # python -m tests.site_manifest SITE_DIR  -> the golden for test_engines
    import json
    import sys

    print(json.dumps(site_manifest(Path(sys.argv[1])), indent=1, sort_keys=True))
