"""Counting figures: the one home of 'how many figures are checked and cited'."""

from __future__ import annotations

from .model import Corpus, NumberStats


def figure_counts(corpus: Corpus) -> NumberStats:
    """How the corpus's figures are known (failed checks come from `kb check`, not from here)."""
    stats = NumberStats()
    for concept in corpus.concepts.values():
        for claim in concept.meta.numbers:
            stats.total += 1
            if claim.check is not None:
                stats.checked += 1
            elif claim.source is not None:
                stats.cited += 1
    return stats
