"""The structure of a built page's article, for build tests that check what a reader sees (not strings)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

MARKDOWN_LEFTOVER = re.compile(r"^\s*(#{1,6}\s|\|?\s*:?-{3,}:?\s*\||\|\s*\S.*\|\s*$)")


@dataclass
class Outline:
    """Headings (level, text), tables (rows of cell texts, header row first), paragraphs (classes, text),
    the page's table of contents, and every text block (cell, paragraph, list item) of the article."""

    headings: list[tuple[int, str]] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    paragraphs: list[tuple[str, str]] = field(default_factory=list)
    toc: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)

    def h2(self) -> list[str]:
        """The texts of the second-level headings."""
        return [text for level, text in self.headings if level == 2]

    def leftovers(self) -> list[str]:
        """Text blocks that are Markdown syntax shown as text (a heading or table row that was not parsed)."""
        return [b for b in self.blocks if MARKDOWN_LEFTOVER.match(b)]


class _Parser(HTMLParser):
    BLOCKS = ("td", "th", "p", "li")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Outline()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.text: dict[int, list[str]] = {}
        self.in_article = 0
        self.in_toc = 0
        self.row: list[str] | None = None
        self.toc_seen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag in ("br", "img", "input", "hr", "meta", "link"):
            return
        self.stack.append((tag, found))
        depth = len(self.stack)
        if tag == "article":
            self.in_article = depth
        if tag == "nav" and "md-nav--secondary" in found.get("class", "") and not self.toc_seen:
            self.in_toc = depth  # the theme draws the same table of contents twice: read the first
            self.toc_seen = True
        if self.in_article:
            if tag == "table":
                self.out.tables.append([])
            elif tag == "tr":
                self.row = []
        if tag in ("h1", "h2", "h3", "h4", "td", "th", "p", "li") or (tag == "a" and self.in_toc):
            self.text[depth] = []

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            depth = len(self.stack)
            open_tag, attrs = self.stack.pop()
            words = " ".join("".join(self.text.pop(depth, [])).split()).replace("¶", "").strip()
            if self.in_article and depth > self.in_article:
                if open_tag in ("h1", "h2", "h3", "h4"):
                    self.out.headings.append((int(open_tag[1]), words))
                if open_tag in self.BLOCKS:
                    self.out.blocks.append(words)
                if open_tag in ("td", "th") and self.row is not None:
                    self.row.append(words)
                if open_tag == "tr" and self.row is not None and self.out.tables:
                    self.out.tables[-1].append(self.row)
                    self.row = None
                if open_tag == "p":
                    self.out.paragraphs.append((attrs.get("class", ""), words))
            if self.in_toc and open_tag == "a" and depth > self.in_toc:
                self.out.toc.append(words)
            if depth == self.in_article:
                self.in_article = 0
            if depth == self.in_toc:
                self.in_toc = 0
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for depth in self.text:
            self.text[depth].append(data)


def outline(page: Path) -> Outline:
    """The outline of a built HTML page (its index.html when given a folder)."""
    path = page / "index.html" if page.is_dir() else page
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.out
