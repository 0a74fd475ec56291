"""Shared by the browser benchmarks: which built site to measure, and result files."""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from bench.synthetic import ROOT

RESULTS = ROOT / "bench" / "results"


def arguments(description: str, runs: int = 5) -> argparse.Namespace:
    """--site (a built site folder, default site/), --label (names the result file) and --runs."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site folder (default: site/)")
    parser.add_argument("--label", default="latest", help="names the results file, e.g. before / after")
    parser.add_argument("--runs", type=int, default=runs, help="runs per measurement (the median is reported)")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} is not a built site: run `kb build` first")
    return args


def median(samples: list[float]) -> float:
    """The median of the samples (0 for none)."""
    return statistics.median(samples) if samples else 0.0


def save(name: str, label: str, data: dict[str, object]) -> Path:
    """Write bench/results/<name>-<label>.json (not committed) and return its path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{label}.json"
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path
