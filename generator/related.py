"""Related concepts: text choice, cached embeddings, blocked kNN, curated-first merge, the concept map."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .links import mask_code
from .model import Concept
from .planned import write_atomic
from .project import Settings
from .validate import Corpus

# What text represents a concept: chosen by measuring recall@5 on tests/related_eval.yaml
# (README, "Related concepts, measured"). The default embeds the names, definition, tags and the
# titles of linked concepts as one text (weight 0.7), plus the body in chunks of 120 words that fit
# the model's 256-token window (weight 0.3 shared). The single-text modes stay for the comparison.
TEXT_MODES = ("title", "title_def", "title_def_tags", "title_def_body", "full", "head_links", "head_links_body")
DEFAULT_TEXT_MODE = "head_links_body"
BODY_WORDS = 120
HEAD_WEIGHT = 0.7


def _prose_words(concept: Concept) -> list[str]:
    prose = re.sub(
        r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]", lambda m: m.group(2) or m.group(1).replace("-", " "), mask_code(concept.body)
    )
    return re.sub(r"[#*_`>|$\\]", " ", prose).split()


def _linked_titles(concept: Concept, titles: dict[str, str]) -> str:
    slugs = dict.fromkeys([*concept.meta.related, *(link.slug for link in concept.links)])
    return ", ".join(titles.get(s, s.replace("-", " ")) for s in slugs if s != concept.slug)


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
    words = _prose_words(concept)
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


def all_titles(corpus: Corpus) -> dict[str, str]:
    """Titles of written and planned concepts by slug."""
    return {**{s: p.title for s, p in corpus.planned.items()}, **{s: c.title for s, c in corpus.concepts.items()}}


def concept_vectors(
    settings: Settings, corpus: Corpus, mode: str = DEFAULT_TEXT_MODE, prune: bool = True
) -> tuple[np.ndarray, int]:
    """One unit vector per concept (sorted by slug): the weighted sum of its parts' embeddings."""
    slugs = sorted(corpus.concepts)
    titles = all_titles(corpus)
    parts = [concept_parts(corpus.concepts[s], mode, titles) for s in slugs]
    flat = [text for p in parts for text, _ in p]
    vectors, fresh = embed(settings, flat, prune=prune)
    out = np.zeros((len(slugs), vectors.shape[1] if len(flat) else 384), dtype=np.float32)
    row = 0
    for i, p in enumerate(parts):
        for _, weight in p:
            out[i] += weight * vectors[row]
            row += 1
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12), fresh


def text_key(model_key: str, text: str) -> str:
    """Cache key of one embedded text: the model and the sha256 of the text."""
    return hashlib.sha256(f"{model_key}\n{text}".encode()).hexdigest()


@dataclass
class VectorCache:
    """Embedding vectors on disk, keyed by model and text hash."""

    path: Path
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def open(cls, path: Path) -> VectorCache:
        """Load the cache file if present (a broken file is ignored and rebuilt)."""
        cache = cls(path)
        if path.is_file():
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                for key, b64 in raw.get("vectors", {}).items():
                    cache.vectors[key] = np.frombuffer(base64.b64decode(b64), dtype=np.float32)
            except (ValueError, TypeError):
                cache.vectors = {}
        return cache

    def save(self, keep: set[str]) -> None:
        """Write the cache, keeping only the keys still in use."""
        data = {
            k: base64.b64encode(v.astype(np.float32).tobytes()).decode() for k, v in sorted(self.vectors.items()) if k in keep
        }
        if self.dirty or set(self.vectors) != keep:
            write_atomic(self.path, json.dumps({"version": 1, "vectors": data}))


def model_key(settings: Settings) -> str:
    """Identity of the embedding model in cache keys."""
    return f"{settings.embedding_model}@{settings.embedding_sha256}"


def embed(settings: Settings, texts: list[str], prune: bool = True) -> tuple[np.ndarray, int]:
    """Vectors for texts, from the cache where possible; returns (matrix, number newly embedded).

    With `prune`, vectors of texts no longer embedded are dropped from the cache.
    """
    key = model_key(settings)
    keys = [text_key(key, t) for t in texts]
    cache = VectorCache.open(settings.cache_dir / "embeddings.json")
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in cache.vectors}.items())
    if missing:
        from .embedder import encode, resolve_model_dir  # imports torch: only when something changed

        model_dir = resolve_model_dir(settings.embedding_model, settings.root)
        fresh = encode([t for _, t in missing], model_dir, settings.embedding_sha256)
        for (k, _), vec in zip(missing, fresh, strict=True):
            cache.vectors[k] = np.asarray(vec, dtype=np.float32)
        cache.dirty = True
    cache.save(set(keys) if prune else set(cache.vectors))
    if not texts:
        return np.zeros((0, 384), dtype=np.float32), 0
    return np.vstack([cache.vectors[k] for k in keys]), len(missing)


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
class RelatedResult:
    """Related lists as shown on the site, the computed neighbours alone, and the map."""

    lists: dict[str, list[str]]
    computed: dict[str, list[str]]
    newly_embedded: int = 0
    map_svg: str = ""
    map_legend: str = ""
    points: dict[str, tuple[float, float]] = field(default_factory=dict)


_MEMO: dict[tuple[object, ...], RelatedResult] = {}


def compute_related(settings: Settings, corpus: Corpus, mode: str = DEFAULT_TEXT_MODE) -> RelatedResult:
    """Embedding neighbours for every concept, merged after the curated links.

    Memoised per process on the concept files' hashes, so `kb build` (decks, then site) computes once.
    """
    key = (
        str(settings.cache_dir),
        model_key(settings),
        mode,
        settings.related_k,
        settings.related_min_similarity,
        tuple(sorted((s, c.text_hash) for s, c in corpus.concepts.items())),
        tuple(sorted((s, p.title) for s, p in corpus.planned.items())),
    )
    if key not in _MEMO:
        _MEMO.clear()
        _MEMO[key] = _compute_related(settings, corpus, mode)
    return _MEMO[key]


def _compute_related(settings: Settings, corpus: Corpus, mode: str) -> RelatedResult:
    slugs = sorted(corpus.concepts)
    vectors, fresh = concept_vectors(settings, corpus, mode)
    neighbours = knn(vectors, settings.related_k, settings.related_min_similarity) if slugs else []
    computed = {s: [slugs[j] for j, _ in nb] for s, nb in zip(slugs, neighbours, strict=True)}
    lists = {s: merge(list(corpus.concepts[s].meta.related), computed[s], settings.related_k) for s in slugs}
    result = RelatedResult(lists, computed, fresh)
    if len(slugs) >= 3:
        result.points = project_2d(vectors, slugs)
        result.map_svg, result.map_legend = concept_map_svg(corpus, result.points)
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


PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
]


def concept_map_svg(corpus: Corpus, points: dict[str, tuple[float, float]]) -> tuple[str, str]:
    """An SVG scatter of the concepts (links with hover titles) and its legend, as HTML."""
    from html import escape

    colours = {d.slug: PALETTE[i % len(PALETTE)] for i, d in enumerate(corpus.domains)}
    width, height, pad = 960, 640, 24
    dots = []
    for slug in sorted(points):
        concept = corpus.concepts[slug]
        x = pad + points[slug][0] * (width - 2 * pad)
        y = pad + (1 - points[slug][1]) * (height - 2 * pad)
        title = escape(concept.title, quote=True)
        href = escape(f"../{concept.domain}/{slug}/", quote=True)
        dots.append(
            f'<a href="{href}" class="kb-map-point" data-slug="{escape(slug)}"><title>{title}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{colours.get(concept.domain, "#555")}"/></a>'
        )
    svg = f'<svg class="kb-map" viewBox="0 0 {width} {height}" role="img" aria-label="Concept map">' + "".join(dots) + "</svg>"
    used = sorted(
        {corpus.concepts[s].domain for s in points}, key=lambda d: next((x.order for x in corpus.domains if x.slug == d), 99)
    )
    legend = (
        '<p class="kb-map-legend">'
        + " ".join(
            f'<span><span class="kb-swatch" style="background:{colours.get(d, "#555")}"></span>'
            f"{escape(corpus.domain(d).title if corpus.domain(d) else d)}</span>"
            for d in used
        )
        + "</p>"
    )
    return svg, legend
