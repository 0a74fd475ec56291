"""The figures block of the README, written by `kb stats --readme` so nobody types them by hand."""

from __future__ import annotations

import re
from pathlib import Path

from .planned import write_atomic

START, END = "<!-- kb-stats:start -->", "<!-- kb-stats:end -->"


def corpus_stats(corpus) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """Current figures: concepts, planned, cards (total and by kind), figures checked and cited."""
    from .cards import build_notes, count_by_kind

    by_kind = count_by_kind(build_notes(corpus, {}, ""))
    checked = sum(1 for c in corpus.concepts.values() for n in c.meta.numbers if n.check is not None)
    total = sum(len(c.meta.numbers) for c in corpus.concepts.values())
    return {
        "concepts": len(corpus.concepts),
        "planned": len(corpus.planned),
        "cards": sum(by_kind.values()),
        "cards_by_kind": by_kind,
        "figures": {"total": total, "checked": checked, "cited": total - checked},
    }


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
