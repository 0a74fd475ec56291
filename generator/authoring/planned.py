"""Keeping concepts/planned.yaml in step with the written concepts."""

from __future__ import annotations

from pathlib import Path

from ..files import write_atomic


def prune_planned(concepts_dir: Path, written: set[str]) -> list[str]:
    """Remove written slugs from planned.yaml, keeping comments and layout; return the removed slugs."""
    path = concepts_dir / "planned.yaml"
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").split("\n")
    out: list[str] = []
    removed: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith("- slug:"):
            slug = line.split(":", 1)[1].strip().strip("'\"")
            skipping = slug in written
            if skipping:
                removed.append(slug)
        elif not line.startswith("  "):
            skipping = False
        if not skipping:
            out.append(line)
    if removed:
        write_atomic(path, "\n".join(out))
    return removed
