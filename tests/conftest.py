"""Shared fixtures: a small project copied into a temp dir, and a runner for `kb`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.pipeline import Build

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


def site_project(project: Path) -> Path:
    """Give a copied fixture project the real site configuration (theme, overrides)."""
    shutil.copyfile(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "site_overrides", project / "site_overrides", dirs_exist_ok=True)
    return project


def build_project(project: Path, decks: bool = True, engine: str = "mkdocs", epoch: int = 1_700_000_000) -> Build:
    """The real build of a small project (no embeddings): decks, docs tree and site, as `kb build` does it."""
    from generator import pipeline
    from generator.settings import load_settings

    return pipeline.build(load_settings(project), engine=engine, decks=decks, related=False, quiet=True, epoch=str(epoch))


def write_project_decks(project: Path, out: Path, epoch: int = 1_700_000_000) -> Path:
    """Write a project's decks into `out` (no embeddings); returns the full deck's path."""
    from generator import pipeline
    from generator.settings import load_settings

    settings = load_settings(project)
    corpus = pipeline.load_valid(settings)
    notes = pipeline.make_notes(settings, corpus, pipeline.relate(settings, corpus, enabled=False))
    summary = pipeline.write_decks(settings, corpus, notes, out, epoch=str(epoch))
    return summary.folder / summary.decks[0].file
