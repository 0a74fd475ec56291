"""`kb new`: a stub concept file with every field, and the existing concepts nearest to its title."""

from __future__ import annotations

import re
import sys

from ..core.load import load_corpus
from ..core.model import Corpus
from ..errors import KbError
from ..settings import Settings

STUB = """---
title: {title}
aliases: []
domain: {domain}
tags: []
level: core
definition: >-
  TODO: at most 60 words, plain text: what {title} is, exactly.
tradeoffs:
  - choice: TODO the choice
    gain: TODO what it gains
    cost: TODO what it costs
  - choice: TODO
    gain: TODO
    cost: TODO
  - choice: TODO
    gain: TODO
    cost: TODO
failure_modes:
  - name: TODO failure name
    symptom: TODO what you observe in production
    fix: TODO how to fix it
  - name: TODO
    symptom: TODO
    fix: TODO
  - name: TODO
    symptom: TODO
    fix: TODO
numbers: []
# numbers:
#   - claim: What the figure is, with its setting (model, N, d, precision)
#     value: 3.33 GB
#     check: n * (d * float_bytes + 2 * M * id_bytes)
#     given: {{n: 1000000, d: 768, float_bytes: 4 byte, M: 32, id_bytes: 4 byte}}
#   - claim: An empirical figure
#     value: 200
#     source: Paper or datasheet, year, table or section
questions:
  - q: TODO a question that probes understanding
    a: TODO a short model answer, 2 to 5 sentences.
  - q: TODO
    a: TODO
  - q: TODO
    a: TODO
related: []
sources:
  - authors: TODO
    title: TODO the original paper or official documentation
    venue: TODO
    year: 2024
    url: https://example.org/TODO
---
## How it works

TODO: at least 150 words. Explain the mechanism; link neighbouring concepts by writing their slug in double square brackets.

## When to use it

TODO

## Worked example

TODO: numbers, or a ```mermaid diagram where a flow exists.
"""


def slugify(title: str) -> str:
    """A slug from a title: lowercase ASCII words joined by hyphens."""
    text = re.sub(r"\(.*?\)", " ", title).lower().replace("&", " and ")
    return "-".join(re.findall(r"[a-z0-9]+", text))


def _yaml_scalar(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' if re.search(r"[:#\[\]{}&*!|>'\"%@`,]", text) else text


STOPWORDS = frozenset("a an and as at by for from in into of on or the to vs with".split())


def _title_words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower())) - STOPWORDS


def nearest_by_words(title: str, candidates: dict[str, str], k: int = 5) -> list[str]:
    """Slugs whose titles share the most words with `title` (Jaccard, stop words ignored), ties by slug."""
    words = _title_words(title)

    def score(item: tuple[str, str]) -> tuple[float, str]:
        other = _title_words(item[1])
        return (-(len(words & other) / max(1, len(words | other))), item[0])

    ranked = sorted(candidates.items(), key=score)
    return [slug for slug, text in ranked[:k] if score((slug, text))[0] < 0]


def nearest_by_embedding(settings: Settings, title: str, corpus: Corpus, k: int = 5) -> list[str]:
    """Slugs of the concepts whose vectors are closest to the embedded title."""
    from ..embeddings.vectors import concept_vectors, embed

    vectors, _ = concept_vectors(settings, corpus, prune=False)
    query, _ = embed(settings, [title], prune=False)
    sims = vectors @ query[0]
    slugs = sorted(corpus.concepts)
    return [slugs[i] for i in sorted(range(len(slugs)), key=lambda i: (-float(sims[i]), slugs[i]))[:k]]


def create_concept(settings: Settings, title: str, domain: str, use_embeddings: bool = True) -> int:
    """Write concepts/<domain>/<slug>.md from the stub; refuse to overwrite; print the nearest concepts."""
    corpus = load_corpus(settings.root, settings.concepts_dir, run_checks=False)
    domains = {d.slug for d in corpus.domains}
    if domain not in domains:
        raise KbError(f"unknown domain '{domain}' (domains: {', '.join(sorted(domains))})")
    slug = slugify(title)
    if not slug:
        raise KbError(f"cannot derive a slug from the title '{title}'")
    path = settings.concepts_dir / domain / f"{slug}.md"
    existing = corpus.concepts.get(slug)
    if path.exists():
        raise KbError(f"{path.relative_to(settings.root)} already exists: not overwritten")
    if existing is not None:
        raise KbError(f"{existing.path} already exists: not overwritten")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(STUB.format(title=_yaml_scalar(title), domain=domain))
    print(f"wrote {path.relative_to(settings.root)}")
    if slug in corpus.planned:
        print(f"note: '{slug}' is planned; run `kb planned --prune` to take it off the list")
    nearest: list[str] = []
    method = "title words"
    if use_embeddings and corpus.concepts:
        try:
            nearest = nearest_by_embedding(settings, title, corpus)
            method = "embeddings"
        except (KbError, ImportError) as exc:
            print(f"(embeddings unavailable: {exc}; using title words)", file=sys.stderr)
    if not nearest:
        nearest = nearest_by_words(title, {s: c.title for s, c in corpus.concepts.items()})
    if nearest:
        print(f"nearest existing concepts ({method}): link them under related:, or check for a duplicate")
        for s in nearest:
            c = corpus.concepts[s]
            print(f"  {s:<32} {c.title}  ({c.path})")
    return 0
