"""Concept and question vectors from the verified local model, cached by text hash: unchanged text never loads torch."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import numpy as np

from ..caches import JsonCache, digest
from ..core.model import Corpus
from ..core.related import DEFAULT_TEXT_MODE, concept_parts, question_text, unlinked
from ..settings import Settings

DIM = 384


def model_key(settings: Settings) -> str:
    """Identity of the embedding model in cache keys."""
    return f"{settings.embedding_model}@{settings.embedding_sha256}"


def _open(settings: Settings) -> JsonCache:
    return JsonCache.open(settings.vectors_cache, model_key(settings))


def _decode(value: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(value), dtype=np.float32)


def embed(settings: Settings, texts: list[str], prune: bool = True) -> tuple[np.ndarray, int]:
    """Vectors for texts, from the cache where possible; returns (matrix, number newly embedded).

    With `prune`, vectors of texts no longer embedded are dropped from the cache.
    """
    cache = _open(settings)
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
    return np.vstack([_decode(cache.values[k]) for k in keys]), len(missing)


def cached(settings: Settings, texts: list[str]) -> list[np.ndarray | None]:
    """The cached vector of each text, None where it was never embedded: reads the cache only, never the model."""
    cache = _open(settings)
    out: list[np.ndarray | None] = []
    for text in texts:
        value = cache.get(digest(text))
        out.append(_decode(value) if value is not None else None)
    return out


def _pool(parts: list[list[tuple[str, float]]], vectors: list[np.ndarray]) -> np.ndarray:
    """One unit vector per item: the weighted sum of its parts' vectors (`vectors` follows the flattened parts)."""
    dim = vectors[0].shape[0] if vectors else DIM
    out = np.zeros((len(parts), dim), dtype=np.float32)
    row = 0
    for i, item in enumerate(parts):
        for _, weight in item:
            out[i] += weight * vectors[row]
            row += 1
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    pooled: np.ndarray = out / np.maximum(norms, 1e-12)
    return pooled


def concept_parts_of(corpus: Corpus, mode: str = DEFAULT_TEXT_MODE) -> list[list[tuple[str, float]]]:
    """The embedded parts of every concept, in slug order."""
    titles = corpus.titles()
    return [concept_parts(corpus.concepts[s], mode, titles) for s in sorted(corpus.concepts)]


def concept_vectors(
    settings: Settings, corpus: Corpus, mode: str = DEFAULT_TEXT_MODE, prune: bool = True
) -> tuple[np.ndarray, int]:
    """One unit vector per concept (rows in slug order): the weighted sum of its parts' embeddings."""
    parts = concept_parts_of(corpus, mode)
    vectors, fresh = embed(settings, [text for p in parts for text, _ in p], prune=prune)
    return _pool(parts, list(vectors)), fresh


def answer_texts(corpus: Corpus) -> list[str]:
    """Question + model answer of every interview question (concepts in slug order): what links it to concepts."""
    return [question_text(q.q, q.a) for s in sorted(corpus.concepts) for q in corpus.concepts[s].meta.questions]


def question_texts(corpus: Corpus) -> list[str]:
    """The question alone of every interview question (same order): what near-duplicate questions share."""
    return [unlinked(q.q) for s in sorted(corpus.concepts) for q in corpus.concepts[s].meta.questions]


@dataclass
class CorpusVectors:
    """Every vector a build uses: concepts (slug order), question + answer and question alone (file order)."""

    concepts: np.ndarray
    answers: np.ndarray
    questions: np.ndarray
    fresh: int


def corpus_vectors(settings: Settings, corpus: Corpus) -> CorpusVectors:
    """Embed (or read from the cache) every text of a build in one pass; the cache keeps exactly these."""
    parts = concept_parts_of(corpus)
    flat = [text for p in parts for text, _ in p]
    answers, questions = answer_texts(corpus), question_texts(corpus)
    vectors, fresh = embed(settings, flat + answers + questions, prune=True)
    rows = list(vectors)
    a, q = len(flat), len(flat) + len(answers)
    dim = vectors.shape[1] if len(vectors) else DIM

    def stack(part: list[np.ndarray]) -> np.ndarray:
        return np.vstack(part) if part else np.zeros((0, dim), dtype=np.float32)

    return CorpusVectors(_pool(parts, rows[:a]), stack(rows[a:q]), stack(rows[q:]), fresh)


def cached_concept_parts(settings: Settings, corpus: Corpus) -> list[list[np.ndarray] | None]:
    """Per concept (slug order), the cached vectors of its parts (head first, then body chunks), None if any is missing."""
    parts = concept_parts_of(corpus)
    found = cached(settings, [text for p in parts for text, _ in p])
    out: list[list[np.ndarray] | None] = []
    pos = 0
    for p in parts:
        mine = found[pos : pos + len(p)]
        pos += len(p)
        out.append([v for v in mine if v is not None] if all(v is not None for v in mine) else None)
    return out
