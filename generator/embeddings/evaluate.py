"""Measuring related-concept quality: recall@k of embedding neighbours against a judged set, beside TF-IDF."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.model import Corpus
from ..core.related import TEXT_MODES, concept_text, knn
from ..core.yamlsrc import load_yaml
from ..errors import KbError
from ..settings import Settings
from .vectors import concept_vectors


@dataclass(frozen=True)
class EvalRow:
    """Recall@k of one method and text mode."""

    method: str
    mode: str
    recall: float
    judged: int


def load_judgements(path: Path, corpus: Corpus) -> dict[str, list[str]]:
    """The evaluation set, restricted to concepts that exist (both sides)."""
    data = load_yaml(path.read_text(encoding="utf-8")).data
    if not isinstance(data, dict):
        raise KbError(f"{path}: expected a mapping slug -> [related slugs]")
    judged = {}
    for slug, expected in data.items():
        kept = [s for s in expected if s in corpus.concepts]
        if slug in corpus.concepts and kept:
            judged[str(slug)] = kept
    return judged


def recall_at_k(neighbours: dict[str, list[str]], judged: dict[str, list[str]], k: int) -> float:
    """Mean over judged concepts of |top-k ∩ expected| / min(k, |expected|)."""
    scores = [len(set(neighbours.get(s, [])[:k]) & set(exp)) / min(k, len(exp)) for s, exp in judged.items()]
    return float(np.mean(scores)) if scores else 0.0


def tfidf_vectors(texts: list[str]) -> np.ndarray:
    """TF-IDF vectors (scikit-learn, English stop words, sublinear tf) as a dense matrix."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix: np.ndarray = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).toarray()
    return matrix.astype(np.float32)


def evaluate(settings: Settings, corpus: Corpus, path: Path, k: int = 5, modes: tuple[str, ...] = TEXT_MODES) -> list[EvalRow]:
    """Recall@k for embeddings and TF-IDF under each text mode."""
    judged = load_judgements(path, corpus)
    slugs = sorted(corpus.concepts)
    rows = []
    for mode in modes:
        texts = [concept_text(corpus.concepts[s], mode, corpus.titles()) for s in slugs]
        for method in ("embedding", "tfidf"):
            vectors = concept_vectors(settings, corpus, mode, prune=False)[0] if method == "embedding" else tfidf_vectors(texts)
            found = knn(vectors, k, -1.0)
            neighbours = {s: [slugs[j] for j, _ in nb] for s, nb in zip(slugs, found, strict=True)}
            rows.append(EvalRow(method, mode, recall_at_k(neighbours, judged, k), len(judged)))
    return rows
