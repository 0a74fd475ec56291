"""Markdown to card HTML: raw HTML escaped, math in Anki's delimiters, code highlighted, no mermaid."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from ..core.markdown import WIKILINK_RE

CODE_CLASS = "kb-code"


def _math(content: str, options: dict[str, Any]) -> str:
    body = html.escape(content.strip(), quote=False)
    return f"\\[{body}\\]" if options.get("display_mode") else f"\\({body}\\)"


def _highlight(code: str, lang: str, _attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(lang) if lang else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    return str(highlight(code, lexer, HtmlFormatter(cssclass=CODE_CLASS, nowrap=False)))


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "highlight": _highlight})
    md.enable("table")
    dollarmath_plugin(md, allow_space=True, double_inline=True, renderer=_math)
    return md


def _replace_mermaid(text: str, link: str) -> str:
    note = f"*(diagram: see the [wiki page]({link}))*" if link else "*(diagram: see the wiki page)*"
    return re.sub(r"^(\s*)(`{3,}|~{3,})\s*mermaid\b.*?^\1\2\s*$", note, text, flags=re.S | re.M)


def _links_to_titles(text: str, titles: dict[str, str]) -> str:
    return WIKILINK_RE.sub(lambda m: f"*{m.group(2) or titles.get(m.group(1).strip(), m.group(1).strip())}*", text)


def render_block(text: str, titles: dict[str, str], link: str = "") -> str:
    """Render Markdown (several blocks) to safe card HTML."""
    text = _links_to_titles(_replace_mermaid(text, link), titles)
    out = _md().render(text).strip()
    # highlight() already returns a wrapped block: drop the <pre><code> markdown-it adds around it
    out = re.sub(r'<pre><code[^>]*>(<div class="' + CODE_CLASS + r'">.*?</div>\n?)</code></pre>', r"\1", out, flags=re.S)
    return out


def render_inline(text: str, titles: dict[str, str]) -> str:
    """Render one line of Markdown to safe inline card HTML (no wrapping paragraph)."""
    text = _links_to_titles(" ".join(str(text).split()), titles)
    return str(_md().renderInline(text)).strip()


def code_css() -> str:
    """Pygments CSS for light mode and for Anki's night mode, scoped to card code blocks."""
    light = HtmlFormatter(style="friendly", cssclass=CODE_CLASS).get_style_defs(f".{CODE_CLASS}")
    dark = HtmlFormatter(style="monokai", cssclass=CODE_CLASS).get_style_defs(f".nightMode .{CODE_CLASS}")
    return f"{light}\n{dark}"
