"""`kb check` as a new process each time (what a contributor waits for): the real tree, 302 and 1,000 synthetic concepts."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench.synthetic import ROOT, make_project
from bench.timing import median_seconds, run


def _median(project: Path) -> tuple[float, list[float]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "generator.cli", "check"]
    run(cmd, str(project), env)  # warm-up: fills the numeric-check cache, as any second run finds it
    return median_seconds(lambda: run(cmd, str(project), env), runs=7)


def main() -> dict[str, float]:
    """Report the median `kb check` time for the real tree and for 302 and 1,000 synthetic concepts."""
    results = {}
    real, _ = _median(ROOT)
    print(f"kb check, real tree: median {real:.2f} s")
    results["kb_check_real_s"] = real
    with tempfile.TemporaryDirectory() as tmp:
        for n in (302, 1000):
            median, samples = _median(make_project(Path(tmp) / f"p{n}", n))
            print(f"kb check, {n} concepts: median {median:.2f} s over {len(samples)} runs")
            results[f"kb_check_{n}_s"] = median
    return results


if __name__ == "__main__":
    main()
