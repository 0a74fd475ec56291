"""Deck build time for 10,000 synthetic concepts (100,000 cards)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.synthetic import make_project
from generator import pipeline
from generator.core.load import load_corpus
from generator.settings import load_settings


def main() -> dict[str, float]:
    """Report load, and deck-writing time for 10,000 concepts."""
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp) / "p", 10_000, domains=11)
        start = time.perf_counter()
        corpus = load_corpus(project, project / "concepts", run_checks=False)
        loaded = time.perf_counter()
        settings = load_settings(project)
        notes = pipeline.make_notes(settings, corpus, pipeline.relate(settings, corpus, enabled=False))
        summary = pipeline.write_decks(settings, corpus, notes, Path(tmp) / "decks", epoch="1700000000")
        done = time.perf_counter()
        size = sum(f.stat().st_size for f in (Path(tmp) / "decks").glob("*.apkg"))
    print(
        f"decks, 10,000 concepts: load {loaded - start:.1f} s, write {done - loaded:.1f} s, "
        f"{summary.total_cards} cards in {len(summary.decks)} files, {size / 2**20:.1f} MiB"
    )
    return {"deck_10k_load_s": loaded - start, "deck_10k_write_s": done - loaded}


if __name__ == "__main__":
    main()
