"""Shared fixtures: a small project copied into a temp dir, and a runner for `kb`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
GOOD = FIXTURES / "project" / "concepts" / "search" / "flat-index.md"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the fixture project (two domains, one concept, two planned)."""
    dest = tmp_path / "proj"
    shutil.copytree(FIXTURES / "project", dest)
    return dest


def run_kb(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `kb` command in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=cwd,
        env={**full_env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
