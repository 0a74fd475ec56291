"""Deck build time for 10,000 synthetic concepts (100,000 cards)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.synthetic import make_project
from generator.anki_export import write_decks
from generator.project import load_settings
from generator.validate import load_corpus


def main() -> dict[str, float]:
    """Report load, and deck-writing time for 10,000 concepts."""
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp) / "p", 10_000, domains=11)
        start = time.perf_counter()
        corpus = load_corpus(project, project / "concepts", run_checks=False)
        loaded = time.perf_counter()
        summary = write_decks(load_settings(project), corpus, out_dir=Path(tmp) / "decks", related={})
        done = time.perf_counter()
        size = sum(f.stat().st_size for f in (Path(tmp) / "decks").glob("*.apkg"))
    print(
        f"decks, 10,000 concepts: load {loaded - start:.1f} s, write {done - loaded:.1f} s, "
        f"{summary.total_cards} cards in {len(summary.decks)} files, {size / 2**20:.1f} MiB"
    )
    return {"deck_10k_load_s": loaded - start, "deck_10k_write_s": done - loaded}


if __name__ == "__main__":
    main()
