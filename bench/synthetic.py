"""A synthetic concept tree of any size, built from the test fixture, for benchmarks."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "project"
WORDS = "index vector latency memory recall shard cache batch model embedding ranking query".split()


def make_project(dest: Path, n: int, domains: int = 10) -> Path:
    """Write a project with `n` valid concepts spread over `domains` domains."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "concepts").mkdir(parents=True)
    (dest / "pyproject.toml").write_text('[tool.kb]\nconcepts_dir = "concepts"\n', encoding="utf-8")
    lines = ["domains:"] + [f"- slug: d{i}\n  title: Domain {i}\n  order: {i}" for i in range(domains)]
    (dest / "concepts" / "domains.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (dest / "concepts" / "planned.yaml").write_text(
        "planned:\n- slug: hnsw-index\n  title: HNSW index\n  domain: d0\n", encoding="utf-8"
    )
    template = (FIXTURE / "concepts" / "search" / "flat-index.md").read_text(encoding="utf-8")
    for i in range(n):
        domain = f"d{i % domains}"
        extra = " ".join(WORDS[(i + j) % len(WORDS)] for j in range(12))
        text = (
            template.replace("title: Flat index", f"title: Concept {i}")
            .replace("aliases: [brute-force search]", f"aliases: [synthetic concept {i}]")
            .replace("domain: search", f"domain: {domain}")
            .replace("## When to use it", f"Variant {i}: {extra}.\n\n## When to use it")
        )
        folder = dest / "concepts" / domain
        folder.mkdir(exist_ok=True)
        (folder / f"concept-{i}.md").write_text(text, encoding="utf-8")
    return dest
