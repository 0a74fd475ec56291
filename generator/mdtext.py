"""Making content safe inside generated Markdown: escape raw HTML, resolve [[slug]] links."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from .links import WIKILINK_RE

Resolver = Callable[[str, str | None], str]

# Inline code spans and $...$ math are left alone: the Markdown tools escape them themselves.
_PROTECTED_INLINE = re.compile(r"(`+)(?:.+?)\1|\$\$.+?\$\$|(?<![\\$\w])\$(?=\S)[^$\n]+?(?<=\S)\$(?!\w)")


def escape_segment(text: str) -> str:
    """Escape what would open raw HTML in Markdown prose."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_prose_line(line: str, resolve: Resolver | None) -> str:
    # A leading run of '>' is a blockquote marker, not HTML: keep it.
    quote = re.match(r"^(\s*(?:>\s?)+)", line)
    prefix = quote.group(1) if quote else ""
    rest = line[len(prefix) :]
    out: list[str] = []
    pos = 0
    for match in _PROTECTED_INLINE.finditer(rest):
        out.append(_prose(rest[pos : match.start()], resolve))
        out.append(match.group(0))
        pos = match.end()
    out.append(_prose(rest[pos:], resolve))
    return prefix + "".join(out)


def _prose(text: str, resolve: Resolver | None) -> str:
    text = escape_segment(text)
    if resolve is None:
        return text
    return WIKILINK_RE.sub(lambda m: resolve(m.group(1).strip(), m.group(2)), text)


def safe_markdown(body: str, resolve: Resolver | None = None) -> str:
    """Escape raw HTML in a Markdown body outside code and math, and resolve [[slug]] links."""
    out: list[str] = []
    fence: str | None = None
    in_math = False
    for line in body.split("\n"):
        stripped = line.lstrip()
        if fence is None and not in_math and re.match(r"^(`{3,}|~{3,})", stripped):
            fence = re.match(r"^(`{3,}|~{3,})", stripped).group(1)  # type: ignore[union-attr]
            out.append(line)
            continue
        if fence is not None:
            if stripped.startswith(fence) and not stripped[len(fence) :].strip():
                fence = None
            out.append(line)
            continue
        if stripped == "$$":
            in_math = not in_math
            out.append(line)
            continue
        out.append(line if in_math else _escape_prose_line(line, resolve))
    return "\n".join(out)


def inline(text: str, resolve: Resolver | None = None) -> str:
    """One line of safe inline Markdown, fit for a table cell or a list item."""
    flat = " ".join(str(text).split())
    return _escape_prose_line(flat, resolve).replace("|", "\\|")


def attr(text: str) -> str:
    """Text safe inside a double-quoted Markdown title (admonitions, link titles)."""
    return html.escape(" ".join(str(text).split()), quote=True)
