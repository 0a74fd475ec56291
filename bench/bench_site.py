"""Site build: `kb build` with nothing changed against plain `mkdocs build` of the same docs tree, and Zensical.

Run after a full `make build`, so the embedding cache and the docs tree exist. Medians of several runs.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import ROOT

BIN = Path(sys.executable).parent


def _seconds(cmd: list[str], runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> dict[str, float]:
    """Report medians and ratios: kb build (no change) / mkdocs build, Zensical cold and warm / mkdocs."""
    config = ROOT / "build" / "mkdocs.yml"
    if not config.is_file():
        subprocess.run([str(BIN / "kb"), "build", "--no-decks", "--quiet"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        mkdocs = _seconds([str(BIN / "mkdocs"), "build", "-q", "-f", str(config), "-d", f"{tmp}/m"])
        kb = _seconds([str(BIN / "kb"), "build", "--no-decks", "--quiet"])
        results = {"mkdocs_build_s": mkdocs, "kb_build_nochange_s": kb, "kb_over_mkdocs": kb / mkdocs}
        print(f"kb build (no change) {kb:.1f} s vs mkdocs build of the same tree {mkdocs:.1f} s: ratio {kb / mkdocs:.2f}")
        zensical = BIN / "zensical"
        if zensical.is_file():
            cold = []
            for _ in range(3):
                shutil.rmtree(ROOT / "build" / ".cache", ignore_errors=True)
                cold.append(_seconds([str(BIN / "kb"), "build", "--no-decks", "--quiet", "--engine", "zensical"], runs=1))
            warm = _seconds([str(BIN / "kb"), "build", "--no-decks", "--quiet", "--engine", "zensical"], runs=3)
            results |= {"zensical_cold_s": statistics.median(cold), "zensical_warm_s": warm}
            print(f"kb build --engine zensical: cold {statistics.median(cold):.1f} s, warm {warm:.1f} s (mkdocs {kb:.1f} s)")
    return results


if __name__ == "__main__":
    main()
