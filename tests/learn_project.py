"""A small project for the study features: the fixture project plus two concepts, a case study and a second path."""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import FIXTURES, GOOD, site_project

PATH = """title: Vector search in a week
for: Engineers who will build their first vector search
summary: >-
  Exact search, then compressed and approximate indexes, then a whole design.
stages:
  - title: "Days 1-2: Exact search"
    hours: 3
    concepts: [flat-index, ivf-index]
    checklist:
      - You can now size an exact index and say when it stops being enough.
  - title: "Days 3-4: Compression"
    hours: 2.5
    concepts: [product-quantization, hnsw-index]
    checklist:
      - You can now trade recall for memory with product quantization.
  - title: "Day 5: A whole design"
    hours: 2
    concepts: [photo-search]
    checklist:
      - You can now design photo search end to end.
"""

CASE_DOMAIN = """- slug: case-studies
  title: Case studies
  order: 3
  noun: case study
  plural: case studies
"""


def add_path(project: Path) -> Path:
    """Give a copy of the fixture project the fixture path (flat-index, then two planned concepts)."""
    (project / "paths").mkdir(exist_ok=True)
    shutil.copyfile(FIXTURES / "paths" / "search-basics.yaml", project / "paths" / "search-basics.yaml")
    return project


def variant(title: str, alias: str, domain: str = "search") -> str:
    """The good concept under another title, alias and domain; its questions say which concept they belong to."""
    text = GOOD.read_text(encoding="utf-8")
    text = text.replace("title: Flat index", f"title: {title}", 1).replace("aliases: [brute-force search]", f"aliases: [{alias}]")
    text = text.replace("domain: search", f"domain: {domain}").replace("  - q: ", f"  - q: ({title}) ")
    return text


def learn_project(dest: Path) -> Path:
    """Copy the fixture project and add what the study features need; returns the project folder."""
    shutil.copytree(FIXTURES / "project", dest)
    add_path(site_project(dest))
    (dest / "concepts" / "search" / "ivf-index.md").write_text(variant("IVF index", "inverted file index"), encoding="utf-8")
    (dest / "concepts" / "search" / "product-quantization.md").write_text(
        variant("Product quantization", "PQ codes"), encoding="utf-8"
    )
    (dest / "concepts" / "case-studies").mkdir()
    (dest / "concepts" / "case-studies" / "photo-search.md").write_text(
        variant("Photo search", "image search engine", "case-studies"), encoding="utf-8"
    )
    domains = dest / "concepts" / "domains.yaml"
    domains.write_text(domains.read_text(encoding="utf-8") + CASE_DOMAIN, encoding="utf-8")
    (dest / "paths" / "vector-search.yaml").write_text(PATH, encoding="utf-8")
    return dest
