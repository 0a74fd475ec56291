"""The figures block of the README, written by `kb stats --readme` so nobody types them by hand."""

from __future__ import annotations

import re
from pathlib import Path

from .planned import write_atomic

START, END = "<!-- kb-stats:start -->", "<!-- kb-stats:end -->"


def render_block(stats: dict) -> str:  # type: ignore[type-arg]
    """The Markdown table of current figures."""
    kinds = stats["cards_by_kind"]
    figures = stats["figures"]
    return "\n".join(
        [
            START,
            "| Concepts | Planned | Anki cards | Figures checked | Figures cited |",
            "|---:|---:|---:|---:|---:|",
            f"| {stats['concepts']} | {stats['planned']} | {stats['cards']} | {figures['checked']} | {figures['cited']} |",
            "",
            "Cards by kind: " + ", ".join(f"{k} {v}" for k, v in kinds.items()) + ".",
            END,
        ]
    )


def update_readme(path: Path, stats: dict) -> bool:  # type: ignore[type-arg]
    """Replace the block between the markers; return True when the file changed."""
    text = path.read_text(encoding="utf-8")
    block = render_block(stats)
    new = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    if new != text:
        write_atomic(path, new)
    return new != text
