"""`kb new`: the stub, the refusal to overwrite, and a filled-in stub passing the loader."""

from __future__ import annotations

import re
from pathlib import Path

from generator.authoring.scaffold import nearest_by_words, slugify
from generator.core.load import load_corpus

from .conftest import GOOD, run_kb


def test_slugify() -> None:
    assert slugify("Product quantization (PQ) & IVF-PQ") == "product-quantization-and-ivf-pq"
    assert slugify("KV-cache sizing") == "kv-cache-sizing"


def test_nearest_by_words_ignores_unrelated() -> None:
    titles = {"flat-index": "Flat index", "batching": "Request batching"}
    assert nearest_by_words("Inverted file index", titles) == ["flat-index"]


def test_kb_new_writes_a_stub_refuses_overwrite_and_fills_to_valid(project: Path) -> None:
    made = run_kb("new", "Inverted file index", "--domain", "search", "--no-embeddings", cwd=project)
    assert made.returncode == 0, made.stderr
    assert "wrote concepts/search/inverted-file-index.md" in made.stdout
    assert "flat-index" in made.stdout, "the nearest existing concept is shown"
    path = project / "concepts" / "search" / "inverted-file-index.md"
    stub = path.read_text(encoding="utf-8")
    again = run_kb("new", "Inverted file index", "--domain", "search", "--no-embeddings", cwd=project)
    assert again.returncode == 2 and "already exists: not overwritten" in again.stderr
    assert path.read_text(encoding="utf-8") == stub

    corpus = load_corpus(project, project / "concepts", only=[path])
    assert any(p.message.startswith("unfinished: replace every TODO") for p in corpus.problems)

    # fill the stub the way a contributor would: every field from the good fixture's content
    good_front, good_body = GOOD.read_text(encoding="utf-8").split("---\n")[1:3]
    front = good_front.replace("title: Flat index", "title: Inverted file index").replace(
        "aliases: [brute-force search]", "aliases: [IVF]"
    )
    filled = "---\n" + front + "---\n" + good_body
    fields = set(re.findall(r"^([a-z_]+):", stub, re.M))
    assert fields == set(re.findall(r"^([a-z_]+):", filled, re.M)), "the stub names every field"
    path.write_text(filled, encoding="utf-8")
    assert load_corpus(project, project / "concepts").problems == []


def test_kb_new_unknown_domain(project: Path) -> None:
    result = run_kb("new", "Anything", "--domain", "nope", "--no-embeddings", cwd=project)
    assert result.returncode == 2 and "unknown domain 'nope'" in result.stderr


def test_nearest_by_words_ignores_stop_words() -> None:
    titles = {"a": "Backtesting for forecasting", "b": "Flat index"}
    assert nearest_by_words("Trial concept for onboarding", titles) == []
