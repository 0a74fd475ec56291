"""Reading Markdown bodies: `[[slug]]` links, fenced code, link targets and prose words (the one home of each)."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt

from .model import BodyLink

WIKILINK_RE = re.compile(r"\[\[([^\[\]\n|]+?)(?:\|([^\[\]\n]+))?\]\]")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


_CODE_SPAN = re.compile(r"(`+)[^`].*?\1|``")


def find_links(body: str, first_line: int) -> list[BodyLink]:
    """Return every `[[slug]]` in prose (not in fenced code or code spans) with its line in the file."""
    links: list[BodyLink] = []
    if "[[" not in body:
        return links
    for offset, line in enumerate(mask_code(body).split("\n")):
        if "[[" not in line:
            continue
        prose = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line
        links.extend(BodyLink(m.group(1).strip(), first_line + offset) for m in WIKILINK_RE.finditer(prose))
    return links


_FENCE_OPEN = re.compile(r"^\s*(`{3,}|~{3,})")


def closed_fences(lines: list[str]) -> dict[int, int]:
    """Opening line index -> closing line index of every fenced block that is closed.

    A closing fence uses the opening's character, at least as many of them, and nothing else;
    an unclosed fence is no fence at all.
    """
    pairs: dict[int, int] = {}
    i = 0
    while i < len(lines):
        match = _FENCE_OPEN.match(lines[i])
        if match:
            run = match.group(1)
            close = re.compile(rf"^\s*{re.escape(run[0])}{{{len(run)},}}\s*$")
            end = next((j for j in range(i + 1, len(lines)) if close.match(lines[j])), None)
            if end is not None:
                pairs[i] = end
                i = end + 1
                continue
        i += 1
    return pairs


def fenced_blocks(body: str) -> list[tuple[int, str, str]]:
    """(0-based opening line, info string, content) of every closed fenced block."""
    lines = body.split("\n")
    out = []
    for start, end in closed_fences(lines).items():
        info = _FENCE_OPEN.sub("", lines[start], count=1).strip()
        out.append((start, info, "\n".join(lines[start + 1 : end])))
    return out


_DISPLAY_LINE = re.compile(r"^\s*\$\$(?!\$)(?:\\.|[^\\$])+\$\$\s*$")


def display_math_line(lines: list[str], i: int) -> bool:
    """True when line i is a paragraph of its own holding `$$...$$`: what arithmatex reads as display math."""
    if not _DISPLAY_LINE.match(lines[i]):
        return False
    before = i == 0 or not lines[i - 1].strip()
    after = i + 1 == len(lines) or not lines[i + 1].strip()
    return before and after


def mask_code(body: str) -> str:
    """Return the body with fenced code blocks blanked (same line count)."""
    lines = body.split("\n")
    for start, end in closed_fences(lines).items():
        for i in range(start, end + 1):
            lines[i] = ""
    return "\n".join(lines)


def prose_words(body: str) -> list[str]:
    """The words of a body's prose: no code, `[[links]]` read as their text, Markdown marks dropped."""
    prose = WIKILINK_RE.sub(lambda m: m.group(2) or m.group(1).replace("-", " "), mask_code(body))
    return re.sub(r"[#*_`>|$\\]", " ", prose).split()


def word_count(text: str) -> int:
    """Count words in prose, ignoring fenced code."""
    return len(re.findall(r"[\w][\w'’.-]*", mask_code(text)))


ALLOWED_LINK_PREFIXES = ("https://", "#")

# Link targets as Python-Markdown may read them, found by text so that no parser difference hides one:
# inline `](target`, reference definitions `[x]: target`.
_RAW_TARGET_RE = re.compile(r"\]\(\s*<?([^)>\s]*(?:[\t ]+[^)>\s\"']+)*)|^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+)", re.M)
_INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


_INLINE_CODE_RE = re.compile(r"(`+)[^\n]+?\1|\$\$.*?\$\$|\$[^$\n]+\$", re.S)


class _SeeAllLinks(MarkdownIt):
    """A parser that keeps every link token, including the ones a renderer would drop (javascript:, data:)."""

    def validateLink(self, url: str) -> bool:  # noqa: N802 (markdown-it's name)
        """Accept every target, so that the rules see it."""
        return True


@lru_cache(maxsize=1)
def _permissive_parser() -> MarkdownIt:
    return _SeeAllLinks("commonmark", {"html": False})


def link_target_allowed(target: str) -> bool:
    """True for an absolute https:// URL or an in-page anchor, after the decoding a browser does."""
    plain = _INVISIBLE_RE.sub("", html.unescape(target)).lower()
    return plain.startswith(ALLOWED_LINK_PREFIXES)


def bad_link_targets(text: str, first_line: int = 1) -> list[tuple[str, int]]:
    """Markdown links whose target is not an https:// URL or an anchor, with their lines.

    Links between concepts are written [[slug]]; a relative link would break on the site and on
    cards, and is often math written without $...$ (E[T](1+P)); `javascript:`, `data:`, `http://`
    and protocol-relative `//host` targets are refused outright.
    """
    found: list[tuple[str, int]] = []
    if "](" not in text and "]:" not in text and "][" not in text:
        return found  # no inline link, reference definition or reference link can be there
    seen: set[tuple[str, int]] = set()
    for token in _permissive_parser().parse(text):
        if token.type != "inline" or token.map is None or not token.children:
            continue
        line = first_line + token.map[0]
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type in ("link_open", "image"):
                target = str(child.attrGet("href") or child.attrGet("src") or "")
                if not link_target_allowed(target):
                    seen.add((target, line))
    masked = _INLINE_CODE_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), mask_code(text))
    for match in _RAW_TARGET_RE.finditer(masked):
        target = match.group(1) if match.group(1) is not None else match.group(2)
        line = first_line + masked.count("\n", 0, match.start())
        if target and not link_target_allowed(target) and not any(line == ln for _, ln in seen):
            seen.add((target, line))
    found = sorted(seen, key=lambda t: (t[1], t[0]))
    return found
