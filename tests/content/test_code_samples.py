"""Every ```python sample in a concept runs: each block alone, in a fresh subprocess, with a time limit.

`kb check` and `kb build` never execute content; only this test does, as CI runs any code in a pull request.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.site.escape import closed_fences

from ..conftest import ROOT

TIME_LIMIT_S = 10


def python_blocks(root: Path) -> list[tuple[str, str]]:
    """(file:line, code) of every fenced python block in the concept tree."""
    found = []
    for path in sorted((root / "concepts").rglob("*.md")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for start, end in closed_fences(lines).items():
            if re.match(r"^\s*(`{3,}|~{3,})\s*(python|py)\s*$", lines[start]):
                found.append((f"{path.relative_to(root)}:{start + 1}", "\n".join(lines[start + 1 : end])))
    return found


BLOCKS = python_blocks(ROOT)


def test_the_tree_has_code_samples() -> None:
    assert len(BLOCKS) >= 11, "ml-coding-patterns and at least ten pages carry runnable samples"


@pytest.mark.parametrize(("where", "code"), BLOCKS, ids=[w for w, _ in BLOCKS])
def test_code_sample_runs(where: str, code: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-I", "-W", "error", "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT_S,
        env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1"},
    )
    assert result.returncode == 0, f"{where}: exit {result.returncode}\n{result.stderr[-2000:]}"


def test_a_failing_sample_fails(tmp_path: Path) -> None:
    """The runner can fail: a sample whose assert does not hold exits non-zero."""
    result = subprocess.run([sys.executable, "-I", "-c", "assert 1 == 2"], capture_output=True, timeout=TIME_LIMIT_S)
    assert result.returncode != 0
