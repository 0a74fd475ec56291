"""Run every benchmark and write bench/results/latest.json (not committed)."""

from __future__ import annotations

import json
from pathlib import Path

from bench import bench_check, bench_deck, bench_diagrams, bench_embed, bench_knn, bench_page_weight, bench_search, bench_site


def main() -> None:
    """Run all benchmarks in turn."""
    results: dict[str, float] = {}
    for module in (bench_check, bench_knn, bench_deck, bench_embed, bench_site, bench_page_weight, bench_search, bench_diagrams):
        results.update(module.main())
    out = Path(__file__).with_name("results")
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
