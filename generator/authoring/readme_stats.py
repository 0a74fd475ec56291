"""The figures block of the README, written by `kb stats --readme` so nobody types them by hand."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..anki.notes import cards_by_kind
from ..core.model import Corpus
from ..core.stats import figure_counts
from ..files import write_atomic

START, END = "<!-- kb-stats:start -->", "<!-- kb-stats:end -->"


def corpus_stats(corpus: Corpus) -> dict[str, Any]:
    """Current figures: concepts, planned, cards (total and by kind), figures checked and cited."""
    by_kind = cards_by_kind(corpus)
    figures = figure_counts(corpus)
    return {
        "concepts": len(corpus.concepts),
        "planned": len(corpus.planned),
        "cards": sum(by_kind.values()),
        "cards_by_kind": by_kind,
        "figures": {"total": figures.total, "checked": figures.checked, "cited": figures.cited},
    }


def render_block(stats: dict[str, Any]) -> str:
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


def update_readme(path: Path, stats: dict[str, Any]) -> bool:
    """Replace the block between the markers; return True when the file changed."""
    text = path.read_text(encoding="utf-8")
    block = render_block(stats)
    new = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    if new != text:
        write_atomic(path, new)
    return new != text
