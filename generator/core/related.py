"""Related concepts without any model: which text represents a concept, blocked kNN, curated-first merge, a 2-D layout."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .markdown import prose_words
from .model import Concept

# What text represents a concept: chosen by measuring recall@5 on tests/related_eval.yaml
# (README, "Related concepts, measured"). The default embeds the names, definition, tags and the
# titles of linked concepts as one text (weight 0.7), plus the body in chunks of 120 words that fit
# the model's 256-token window (weight 0.3 shared). The single-text modes stay for the comparison.
TEXT_MODES = ("title", "title_def", "title_def_tags", "title_def_body", "full", "head_links", "head_links_body")
DEFAULT_TEXT_MODE = "head_links_body"
BODY_WORDS = 120
HEAD_WEIGHT = 0.7


def _linked_titles(concept: Concept, titles: dict[str, str]) -> str:
    return ", ".join(titles.get(s, s.replace("-", " ")) for s in concept.outgoing())


def concept_parts(
    concept: Concept, mode: str = DEFAULT_TEXT_MODE, titles: dict[str, str] | None = None
) -> list[tuple[str, float]]:
    """The texts embedded for a concept and their weights in its vector."""
    meta = concept.meta
    names = ", ".join([meta.title, *meta.aliases])
    if mode == "title":
        return [(names, 1.0)]
    head = [names + ".", meta.definition]
    if mode in ("title_def_tags", "full", "head_links", "head_links_body"):
        head.append("Tags: " + ", ".join(meta.tags) + ".")
    if mode in ("head_links", "head_links_body"):
        head.append("Related: " + _linked_titles(concept, titles or {}) + ".")
    words = prose_words(concept.body)
    if mode in ("title_def_body", "full"):
        head.append(" ".join(words[: BODY_WORDS if mode != "full" else 400]))
    head_text = " ".join(p for p in head if p.strip())
    if mode != "head_links_body":
        return [(head_text, 1.0)]
    chunks = [" ".join(words[i : i + BODY_WORDS]) for i in range(0, len(words), BODY_WORDS)]
    return [(head_text, HEAD_WEIGHT)] + [(c, (1 - HEAD_WEIGHT) / len(chunks)) for c in chunks]


def concept_text(concept: Concept, mode: str = DEFAULT_TEXT_MODE, titles: dict[str, str] | None = None) -> str:
    """All of a concept's embedded text as one string (for TF-IDF and single-text modes)."""
    return " ".join(text for text, _ in concept_parts(concept, mode, titles))


def _top_k(sims: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the k largest values per row (any order): k passes of argmax for small k."""
    if k > 16:
        return np.argpartition(-sims, k - 1, axis=1)[:, :k]
    rows = np.arange(len(sims))
    picked = np.empty((len(sims), k), dtype=np.int64)
    saved = []
    for i in range(k):  # argmax is a single fast pass; argpartition sorts far more than k needs
        col = np.argmax(sims, axis=1)
        picked[:, i] = col
        saved.append(sims[rows, col].copy())
        sims[rows, col] = -np.inf
    for i in range(k):  # restore, so callers may reuse the block
        sims[rows, picked[:, i]] = saved[i]
    return picked


def knn(vectors: np.ndarray, k: int, min_similarity: float, block: int = 1024) -> list[list[tuple[int, float]]]:
    """Top-k cosine neighbours of every row (self excluded), by blocked matrix products."""
    n = len(vectors)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    out: list[list[tuple[int, float]]] = []
    take = min(k, n - 1)
    for start in range(0, n, block):
        sims = unit[start : start + block] @ unit.T
        rows = np.arange(len(sims))
        sims[rows, rows + start] = -np.inf
        if take <= 0:
            out.extend([] for _ in range(len(sims)))
            continue
        part = _top_k(sims, take)
        for row in range(len(sims)):
            cand = sorted(((float(sims[row, j]), int(j)) for j in part[row]), key=lambda t: (-round(t[0], 6), t[1]))
            out.append([(j, sim) for sim, j in cand if sim >= min_similarity])
    return out


def merge(curated: list[str], computed: list[str], k: int) -> list[str]:
    """Curated links first, then computed ones, without duplicates; at least k when available."""
    merged = list(dict.fromkeys(curated))
    for slug in computed:
        if len(merged) >= max(k, len(curated)):
            break
        if slug not in merged:
            merged.append(slug)
    return merged


@dataclass
class Related:
    """What the embeddings found: neighbours per concept, the lists pages and cards show, and a 2-D layout."""

    computed: dict[str, list[str]] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    similar: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    points: dict[str, tuple[float, float]] = field(default_factory=dict)
    newly_embedded: int = 0


def relate(
    concepts: dict[str, Concept], vectors: np.ndarray, k: int, floor: float, similar_k: int, similar_floor: float
) -> Related:
    """Neighbours of every concept (vectors are rows in slug order), curated-first lists and the map layout."""
    slugs = sorted(concepts)
    if not slugs:
        return Related()
    wide = knn(vectors, max(k, similar_k) + 16, min(floor, similar_floor))
    result = Related()
    for slug, row in zip(slugs, wide, strict=True):
        result.computed[slug] = [slugs[j] for j, sim in row if sim >= floor][:k]
        linked = set(concepts[slug].outgoing())
        result.similar[slug] = [(slugs[j], sim) for j, sim in row if sim >= similar_floor and slugs[j] not in linked][:similar_k]
        result.lists[slug] = merge(list(concepts[slug].meta.related), result.computed[slug], k)
    if len(slugs) >= 3:
        result.points = project_2d(vectors, slugs)
    return result


def project_2d(vectors: np.ndarray, slugs: list[str]) -> dict[str, tuple[float, float]]:
    """A deterministic PCA projection of the vectors to the unit square."""
    centred = vectors - vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(centred.astype(np.float64), full_matrices=False)
    axes = vt[:2]
    for i in range(len(axes)):  # fix the sign so the picture does not flip between runs
        if axes[i][np.argmax(np.abs(axes[i]))] < 0:
            axes[i] = -axes[i]
    xy = centred @ axes.T
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    xy = (xy - lo) / np.where(hi - lo == 0, 1, hi - lo)
    return {s: (float(x), float(y)) for s, (x, y) in zip(slugs, xy, strict=True)}
