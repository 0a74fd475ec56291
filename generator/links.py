"""Finding `[[slug]]` links in Markdown bodies, outside code."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt

from .model import BodyLink

WIKILINK_RE = re.compile(r"\[\[([^\[\]\n|]+?)(?:\|([^\[\]\n]+))?\]\]")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


def find_links(body: str, first_line: int) -> list[BodyLink]:
    """Return every `[[slug]]` in prose (not in code) with its line in the file."""
    links: list[BodyLink] = []
    for token in _parser().parse(body):
        if token.type != "inline" or token.map is None or not token.children:
            continue
        line = first_line + token.map[0]
        for child in token.children:
            if child.type == "softbreak" or child.type == "hardbreak":
                line += 1
            elif child.type == "text":
                for match in WIKILINK_RE.finditer(child.content):
                    links.append(BodyLink(match.group(1).strip(), line))
    return links


def mask_code(body: str) -> str:
    """Return the body with fenced code blocks blanked (same line count)."""
    out: list[str] = []
    fence: str | None = None
    for line in body.split("\n"):
        stripped = line.lstrip()
        if fence is None and (stripped.startswith("```") or stripped.startswith("~~~")):
            fence = stripped[:3]
            out.append("")
        elif fence is not None and stripped.startswith(fence):
            fence = None
            out.append("")
        else:
            out.append("" if fence else line)
    return "\n".join(out)


def word_count(text: str) -> int:
    """Count words in prose, ignoring fenced code."""
    return len(re.findall(r"[\w][\w'’.-]*", mask_code(text)))
