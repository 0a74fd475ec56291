"""Concept vectors from the verified local model, cached by text hash: unchanged text never loads torch."""

from __future__ import annotations

import base64

import numpy as np

from ..caches import JsonCache, digest
from ..core.model import Corpus
from ..core.related import DEFAULT_TEXT_MODE, concept_parts
from ..settings import Settings

DIM = 384


def model_key(settings: Settings) -> str:
    """Identity of the embedding model in cache keys."""
    return f"{settings.embedding_model}@{settings.embedding_sha256}"


def embed(settings: Settings, texts: list[str], prune: bool = True) -> tuple[np.ndarray, int]:
    """Vectors for texts, from the cache where possible; returns (matrix, number newly embedded).

    With `prune`, vectors of texts no longer embedded are dropped from the cache.
    """
    cache = JsonCache.open(settings.cache_dir / "vectors.json", model_key(settings))
    keys = [digest(text) for text in texts]
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if cache.get(k) is None}.items())
    if missing:
        from .encoder import encode, resolve_model_dir  # imports torch: only when some text changed

        model_dir = resolve_model_dir(settings.embedding_model, settings.root)
        fresh = encode([t for _, t in missing], model_dir, settings.embedding_sha256)
        for (key, _), vec in zip(missing, fresh, strict=True):
            cache.put(key, base64.b64encode(np.asarray(vec, dtype=np.float32).tobytes()).decode())
    cache.save(set(keys) if prune else None)
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32), 0
    rows = [np.frombuffer(base64.b64decode(cache.values[k]), dtype=np.float32) for k in keys]
    return np.vstack(rows), len(missing)


def concept_vectors(
    settings: Settings, corpus: Corpus, mode: str = DEFAULT_TEXT_MODE, prune: bool = True
) -> tuple[np.ndarray, int]:
    """One unit vector per concept (rows in slug order): the weighted sum of its parts' embeddings."""
    slugs = sorted(corpus.concepts)
    titles = corpus.titles()
    parts = [concept_parts(corpus.concepts[s], mode, titles) for s in slugs]
    flat = [text for p in parts for text, _ in p]
    vectors, fresh = embed(settings, flat, prune=prune)
    out = np.zeros((len(slugs), vectors.shape[1] if len(flat) else DIM), dtype=np.float32)
    row = 0
    for i, p in enumerate(parts):
        for _, weight in p:
            out[i] += weight * vectors[row]
            row += 1
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12), fresh
