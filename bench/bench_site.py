"""Site build time: the real corpus and 1,000 synthetic concepts, each against plain MkDocs on the same Markdown."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import yaml

from bench.synthetic import ROOT, make_project
from generator.pages import SiteInputs, build_pages, navigation
from generator.site_build import build_site
from generator.validate import load_corpus


def _config(project: Path, plugin: bool) -> None:
    shutil.copytree(ROOT / "site_overrides", project / "site_overrides", dirs_exist_ok=True)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("  - kb\n", "  - kb:\n      related: false\n" if plugin else "")
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")


def _plain_copy(project: Path, dest: Path) -> None:
    """Export the generated Markdown to a docs folder and configure plain MkDocs with the same nav."""
    corpus = load_corpus(project, project / "concepts", run_checks=False)
    shutil.copytree(ROOT / "site_overrides", dest / "site_overrides")
    docs = dest / "site_overrides" / "docs"
    for path, text in build_pages(corpus, SiteInputs()).items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("  - kb\n", "")
    text += "\n" + yaml.safe_dump({"nav": navigation(corpus)}, allow_unicode=True)
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    (dest / "pyproject.toml").write_text("[tool.kb]\n", encoding="utf-8")


def _time(project: Path) -> float:
    start = time.perf_counter()
    build_site(project, project / "site", quiet=True)
    return time.perf_counter() - start


def measure(project: Path, label: str, runs: int = 3) -> dict[str, float]:
    """Median generator build and plain build of the same pages, and their ratio."""
    plain = project.parent / f"{project.name}-plain"
    _plain_copy(project, plain)
    gen = sorted(_time(project) for _ in range(runs))[runs // 2]
    base = sorted(_time(plain) for _ in range(runs))[runs // 2]
    index = (project / "site" / "search" / "search_index.json").stat().st_size
    print(
        f"{label}: generator {gen:.1f} s, plain MkDocs {base:.1f} s, ratio {gen / base:.2f} (median of {runs}); search index {index / 2**20:.1f} MiB"
    )
    return {f"{label}_generator_s": gen, f"{label}_plain_s": base, f"{label}_ratio": gen / base}


def main() -> dict[str, float]:
    """Benchmark the real corpus and a synthetic corpus of 1,000 concepts."""
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        real = Path(tmp) / "real"
        real.mkdir()
        shutil.copytree(ROOT / "concepts", real / "concepts")
        (real / "pyproject.toml").write_text("[tool.kb]\n", encoding="utf-8")
        _config(real, plugin=True)
        results.update(measure(real, "real"))
        synthetic = make_project(Path(tmp) / "synthetic", 1000)
        _config(synthetic, plugin=True)
        results.update(measure(synthetic, "synthetic_1000", runs=1))
    return results


if __name__ == "__main__":
    main()
