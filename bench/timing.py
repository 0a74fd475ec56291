"""Timing helpers: medians of several runs, since the machines are shared and noisy."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], runs: int = 5) -> tuple[float, list[float]]:
    """Median wall time of `fn` over `runs` runs, and all the samples."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), samples


def run(cmd: list[str], cwd: str, env: dict[str, str] | None = None) -> None:
    """Run a command and fail loudly if it fails."""
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True, text=True)
