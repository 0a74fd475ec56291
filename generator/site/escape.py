"""Making content safe inside generated Markdown: escape raw HTML, resolve [[slug]] links."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from ..core.markdown import WIKILINK_RE, closed_fences, display_math_line

Resolver = Callable[[str, str | None], str]

# What Python-Markdown will read as a code span (backticks, priority 190) or as arithmatex inline math
# ($...$, priority 189.9, with no space inside the dollars). Only these are left unescaped: every
# other backtick and dollar becomes an entity, so Markdown cannot pair delimiters differently from
# this module (across fields on one line, or across the lines of a paragraph).
_CODE = r"(?<!\\)(`+)(?:.+?)(?<!`)\1(?!`)"
_MATH = r"(?<![\\$])\$(?![\s$])(?:\\.|[^\\$`])+?(?<!\s)\$"
_PROTECTED_INLINE = re.compile(f"{_CODE}|{_MATH}")


def escape_segment(text: str) -> str:
    """Escape what would open raw HTML, an attribute list, a code span or math in Markdown prose."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("{", "&#123;")
    return text.replace("`", "&#96;").replace("$", "&#36;")


def math_text(tex: str) -> str:
    """TeX with '<' and '>' written as commands: no markup even if Markdown does not read it as math."""
    return tex.replace("<", "\\lt{}").replace(">", "\\gt{}")


def _escape_prose_line(line: str, resolve: Resolver | None) -> str:
    # A leading run of '>' is a blockquote marker, not HTML: keep it.
    quote = re.match(r"^(\s*(?:>\s?)+)", line)
    prefix = quote.group(1) if quote else ""
    rest = line[len(prefix) :]
    out: list[str] = []
    pos = 0
    for match in _PROTECTED_INLINE.finditer(rest):
        out.append(_prose(rest[pos : match.start()], resolve))
        token = match.group(0)
        out.append(token if token.startswith("`") else math_text(token))
        pos = match.end()
    out.append(_prose(rest[pos:], resolve))
    return prefix + "".join(out)


def _prose(text: str, resolve: Resolver | None) -> str:
    if resolve is None:
        return escape_segment(text)
    out: list[str] = []
    pos = 0
    for match in WIKILINK_RE.finditer(text):  # the resolver escapes the label itself
        out.append(escape_segment(text[pos : match.start()]))
        out.append(resolve(match.group(1).strip(), match.group(2)))
        pos = match.end()
    out.append(escape_segment(text[pos:]))
    return "".join(out)


def safe_markdown(body: str, resolve: Resolver | None = None) -> str:
    """Escape raw HTML in a Markdown body outside code and math, and resolve [[slug]] links."""
    lines = body.split("\n")
    fences = closed_fences(lines)
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in fences:
            out.extend(lines[i : fences[i] + 1])
            i = fences[i] + 1
            continue
        if lines[i].strip() == "$$":
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == "$$"), None)
            if end is not None:
                out.append(lines[i])
                out.extend(math_text(line) for line in lines[i + 1 : end])
                out.append(lines[end])
                i = end + 1
                continue
        if display_math_line(lines, i):
            out.append(math_text(lines[i]))
            i += 1
            continue
        # Inline math may continue over the soft line breaks of a plain paragraph, as arithmatex reads it;
        # code spans stay within one line, and list items, quotes, headings and tables are never joined.
        end = i + 1
        if _joinable(lines[i]):
            while end < len(lines) and _joinable(lines[end]) and not _BLOCK_START.match(lines[end]) and end not in fences:
                end += 1
        out.append(_escape_prose_line("\n".join(lines[i:end]), resolve))
        i = end
    return "\n".join(out)


_BLOCK_START = re.compile(r"^\s*([-*+]\s|\d+[.)]\s|#{1,6}(\s|$)|>|(\*\s*){3,}$|(-\s*){3,}$|(_\s*){3,}$|=+\s*$|`{3,}|~{3,}|\$\$)")


def _joinable(line: str) -> bool:
    return bool(line.strip()) and "|" not in line and not line.lstrip().startswith(">")



def inline(text: str, resolve: Resolver | None = None) -> str:
    """One line of safe inline Markdown, fit for a table cell or a list item."""
    flat = " ".join(str(text).split())
    return _escape_prose_line(flat, resolve).replace("|", "\\|")


def attr(text: str) -> str:
    """Text safe inside a double-quoted Markdown title (admonitions, link titles)."""
    return html.escape(" ".join(str(text).split()), quote=True)
