"""`kb check` on 300 synthetic concepts, as a new process each time (what a contributor waits for)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench.synthetic import ROOT, make_project
from bench.timing import median_seconds, run


def main() -> dict[str, float]:
    """Report the median `kb check` time for 300 concepts."""
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp) / "p", 300)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        cmd = [sys.executable, "-m", "generator.cli", "check"]
        median, samples = median_seconds(lambda: run(cmd, str(project), env), runs=7)
    print(f"kb check, 300 concepts: median {median:.2f} s over {len(samples)} runs ({', '.join(f'{s:.2f}' for s in samples)})")
    return {"kb_check_300_s": median}


if __name__ == "__main__":
    main()
