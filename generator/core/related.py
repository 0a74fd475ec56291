"""Related concepts without any model: which text represents a concept, the similarity methods (embedding, lexical,
hybrid), blocked kNN, curated-first merge, question-to-concept links and a 2-D layout."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import lexical
from .markdown import WIKILINK_RE, prose_words
from .model import Concept

# What text represents a concept (README, "Related concepts, measured"). The default, `plain`, carries no
# link information (no related slugs, no linked titles, no [[links]]): a page is related by what it says,
# as a new concept with no links yet would be. It embeds the names, definition and tags as one text
# (weight 0.7) plus the body in chunks of 120 words that fit the model's 256-token window (weight 0.3
# shared). The other modes stay for the comparison (`kb related --eval FILE --modes ...`).
TEXT_MODES = (
    "title",
    "title_def",
    "title_def_tags",
    "title_def_body",
    "full",
    "head_links",
    "head_links_body",
    "plain",
    "plain_fields",
)
DEFAULT_TEXT_MODE = "plain"
BODY_WORDS = 120
HEAD_WEIGHT = 0.7


def _linked_titles(concept: Concept, titles: dict[str, str]) -> str:
    return ", ".join(titles.get(s, s.replace("-", " ")) for s in concept.outgoing())


def unlinked(text: str) -> str:
    """A text with every `[[link]]` removed (slug and label): what a page says without its links."""
    return WIKILINK_RE.sub(" ", text)


def _field_prose(concept: Concept) -> list[str]:
    meta = concept.meta
    out = [f"{t.choice}: {t.gain}; {t.cost}." for t in meta.tradeoffs]
    out += [f"{f.name}: {f.symptom} {f.fix}" for f in meta.failure_modes]
    out += [f"{q.q} {q.a}" for q in meta.questions]
    return [unlinked(t) for t in out]


def _plain_parts(concept: Concept, fields: bool) -> list[tuple[str, float]]:
    meta = concept.meta
    head = " ".join(
        [", ".join([meta.title, *meta.aliases]) + ".", unlinked(meta.definition), "Tags: " + ", ".join(meta.tags) + "."]
    )
    words = prose_words(unlinked(concept.body))
    if fields:
        words += " ".join(_field_prose(concept)).split()
    chunks = [" ".join(words[i : i + BODY_WORDS]) for i in range(0, len(words), BODY_WORDS)]
    if not chunks:
        return [(head, 1.0)]
    return [(head, HEAD_WEIGHT)] + [(c, (1 - HEAD_WEIGHT) / len(chunks)) for c in chunks]


def concept_parts(
    concept: Concept, mode: str = DEFAULT_TEXT_MODE, titles: dict[str, str] | None = None
) -> list[tuple[str, float]]:
    """The texts embedded for a concept and their weights in its vector."""
    meta = concept.meta
    if mode in ("plain", "plain_fields"):
        return _plain_parts(concept, mode == "plain_fields")
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


def question_text(q: str, a: str) -> str:
    """What represents an interview question when it is matched to concepts: question and model answer, no links."""
    return unlinked(f"{q} {a}")


# How concepts are compared. `hybrid` fuses embedding cosine with TF-IDF cosine (the TF-IDF scores are
# first mapped to the embedding scores' mean and spread over all pairs, so the fused score reads as a
# cosine and one floor applies); FUSION_WEIGHT is the embedding's share, tuned on the tuning half of
# tests/related_eval.yaml and reported on the held-out half (`kb related --eval`). The default is the
# method that scored best on the held-out half.
METHODS = ("embedding", "tfidf", "bm25", "hybrid")
DEFAULT_METHOD = "hybrid"
FUSION_WEIGHT = 0.35


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: np.ndarray = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit


def _pair_stats(rows: Callable[[int, int], np.ndarray], n: int, block: int = 1024) -> tuple[float, float]:
    """Mean and standard deviation of the scores of all pairs of distinct items."""
    total = squares = 0.0
    for start in range(0, n, block):
        sims = rows(start, min(n, start + block)).astype(np.float64)
        idx = np.arange(len(sims))
        sims[idx, idx + start] = 0.0
        total += float(sims.sum())
        squares += float((sims**2).sum())
    pairs = n * (n - 1)
    if pairs == 0:
        return 0.0, 0.0
    mean = total / pairs
    return mean, float(np.sqrt(max(squares / pairs - mean**2, 0.0)))


class Similarity:
    """Concept-to-concept scores by one method, computed in row blocks (so memory stays O(block × n))."""

    def __init__(self, method: str, vectors: np.ndarray | None, texts: list[str], weight: float = FUSION_WEIGHT) -> None:
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}")
        self.method, self.weight, self.n = method, weight, len(texts)
        self.unit = _unit(vectors) if vectors is not None and method in ("embedding", "hybrid") else None
        self.lex = lexical.tfidf_vectors(texts) if method in ("tfidf", "hybrid") else None
        self.bm25 = lexical.bm25_similarity(texts) if method == "bm25" else None
        if self.bm25 is not None:
            self.bm25 = (self.bm25 + self.bm25.T) / 2
        self.scale = (1.0, 0.0)
        if method == "hybrid":
            mean_e, sd_e = _pair_stats(self._embedding, self.n)
            mean_l, sd_l = _pair_stats(self._lexical, self.n)
            a = sd_e / sd_l if sd_l > 0 else 0.0
            self.scale = (a, mean_e - a * mean_l)

    def _embedding(self, start: int, stop: int) -> np.ndarray:
        assert self.unit is not None
        block: np.ndarray = self.unit[start:stop] @ self.unit.T
        return block

    def _lexical(self, start: int, stop: int) -> np.ndarray:
        assert self.lex is not None
        block: np.ndarray = self.lex[start:stop] @ self.lex.T
        return block

    def rows(self, start: int, stop: int) -> np.ndarray:
        """Scores of concepts start..stop against every concept (the diagonal included)."""
        if self.method == "embedding":
            return self._embedding(start, stop)
        if self.method == "tfidf":
            return self._lexical(start, stop)
        if self.method == "bm25":
            assert self.bm25 is not None
            return self.bm25[start:stop].copy()
        a, b = self.scale
        lex = self._lexical(start, stop) * a + b
        return (self.weight * self._embedding(start, stop) + (1 - self.weight) * lex).astype(np.float32)


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


def knn_rows(
    rows: Callable[[int, int], np.ndarray], n: int, k: int, min_similarity: float, block: int = 1024, square: bool = True
) -> list[list[tuple[int, float]]]:
    """Top-k columns of every row from blocks of scores (an item is not its own neighbour when `square`); ties by index."""
    out: list[list[tuple[int, float]]] = []
    for start in range(0, n, block):
        sims = np.array(rows(start, min(n, start + block)), dtype=np.float32)
        take = min(k, sims.shape[1] - 1 if square else sims.shape[1])
        if square:
            idx = np.arange(len(sims))
            sims[idx, idx + start] = -np.inf
        if take <= 0:
            out.extend([] for _ in range(len(sims)))
            continue
        part = _top_k(sims, take)
        for row in range(len(sims)):
            cand = sorted(((float(sims[row, j]), int(j)) for j in part[row]), key=lambda t: (-round(t[0], 6), t[1]))
            out.append([(j, sim) for sim, j in cand if sim >= min_similarity])
    return out


def knn(vectors: np.ndarray, k: int, min_similarity: float, block: int = 1024) -> list[list[tuple[int, float]]]:
    """Top-k cosine neighbours of every row (self excluded), by blocked matrix products."""
    unit = _unit(vectors)
    return knn_rows(lambda a, b: unit[a:b] @ unit.T, len(vectors), k, min_similarity, block)


def merge(curated: list[str], computed: list[str], k: int) -> list[str]:
    """Curated links first, then computed ones, without duplicates; at least k when available."""
    merged = list(dict.fromkeys(curated))
    for slug in computed:
        if len(merged) >= max(k, len(curated)):
            break
        if slug not in merged:
            merged.append(slug)
    return merged


# Interview questions link the concepts nearest to question + answer by the same fusion, scored per
# question as standard scores over all concepts: a concept must stand out (QUESTION_MIN_Z) to be linked.
QUESTION_K = 3
QUESTION_MIN_Z = 3.0


def _row_z(scores: np.ndarray) -> np.ndarray:
    sd = scores.std(axis=1, keepdims=True)
    z: np.ndarray = (scores - scores.mean(axis=1, keepdims=True)) / np.where(sd > 0, sd, 1)
    return z


def question_scores(
    concept_vectors: np.ndarray,
    concept_texts: list[str],
    answer_vectors: np.ndarray,
    answers: list[str],
    weight: float = FUSION_WEIGHT,
) -> np.ndarray:
    """Standard scores of every concept for every question (rows), fusing embedding and TF-IDF as `hybrid` does."""
    docs, queries = lexical.tfidf_pair(concept_texts, answers)
    lex = _row_z(queries @ docs.T)
    if len(answer_vectors) == 0:
        return lex
    emb = _row_z(_unit(answer_vectors) @ _unit(concept_vectors).T)
    return (weight * emb + (1 - weight) * lex).astype(np.float32)


@dataclass
class Related:
    """What the similarity found: neighbours per concept, the lists pages and cards show, question links, a 2-D layout."""

    computed: dict[str, list[str]] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    similar: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # on the page: neither linked nor linking
    unlinked: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # for writers: not linked from the page
    questions: dict[str, list[list[str]]] = field(default_factory=dict)
    points: dict[str, tuple[float, float]] = field(default_factory=dict)
    method: str = DEFAULT_METHOD
    newly_embedded: int = 0


def relate(
    concepts: dict[str, Concept],
    vectors: np.ndarray,
    k: int,
    floor: float,
    similar_k: int,
    similar_floor: float,
    answer_vectors: np.ndarray | None = None,
    method: str = DEFAULT_METHOD,
) -> Related:
    """Neighbours of every concept (vectors are rows in slug order), curated-first lists, question links, the map layout.

    `answer_vectors` holds one row per interview question, concepts in slug order and questions in file order.
    """
    slugs = sorted(concepts)
    if not slugs:
        return Related(method=method)
    texts = [concept_text(concepts[s]) for s in slugs]
    sim = Similarity(method, vectors, texts)
    links = {s: set(concepts[s].outgoing()) for s in slugs}
    shown = {s: set(v) for s, v in links.items()}  # what a page already shows: its links and the pages linking it
    for slug, out in links.items():
        for target in out & shown.keys():
            shown[target].add(slug)
    wide = knn_rows(sim.rows, len(slugs), max(k, similar_k + max(len(v) for v in shown.values())), min(floor, similar_floor))
    result = Related(method=method)
    for slug, row in zip(slugs, wide, strict=True):
        result.computed[slug] = [slugs[j] for j, score in row if score >= floor][:k]
        near = [(slugs[j], score) for j, score in row if score >= similar_floor]
        result.similar[slug] = [(s, score) for s, score in near if s not in shown[slug]][:similar_k]
        result.unlinked[slug] = [(s, score) for s, score in near if s not in links[slug]][:similar_k]
        result.lists[slug] = merge(list(concepts[slug].meta.related), result.computed[slug], k)
    if answer_vectors is not None:
        result.questions = question_links(concepts, slugs, vectors, texts, answer_vectors)
    if len(slugs) >= 3:
        result.points = layout_2d(sim, vectors, slugs, [concepts[s].domain for s in slugs])
    return result


def question_links(
    concepts: dict[str, Concept], slugs: list[str], vectors: np.ndarray, texts: list[str], answer_vectors: np.ndarray
) -> dict[str, list[list[str]]]:
    """For each concept, per interview question, the other concepts nearest to its question and answer."""
    asked = [(s, question_text(q.q, q.a)) for s in slugs for q in concepts[s].meta.questions]
    if not asked:
        return {}
    scores = question_scores(vectors, texts, answer_vectors, [t for _, t in asked])
    index = {s: i for i, s in enumerate(slugs)}
    for i, (slug, _) in enumerate(asked):
        scores[i, index[slug]] = -np.inf  # beyond the question's own page
    best = knn_rows(lambda a, b: scores[a:b], len(asked), QUESTION_K, QUESTION_MIN_Z, square=False)
    out: dict[str, list[list[str]]] = {s: [] for s in slugs}
    for (slug, _), row in zip(asked, best, strict=True):
        out[slug].append([slugs[j] for j, _ in row])
    return out


# The map: t-SNE over 1 - score, with DOMAIN_PULL added to the distance between concepts of different
# domains, so that each domain forms a region a label can name while close concepts of two domains still
# sit near each other (0 gives an unreadable cloud, 0.3 isolates every domain; chosen by looking at both).
DOMAIN_PULL = 0.15
TSNE_MAX = 2000


def layout_2d(sim: Similarity, vectors: np.ndarray, slugs: list[str], domains: list[str]) -> dict[str, tuple[float, float]]:
    """A deterministic 2-D layout in the unit square: t-SNE over the method's scores (PCA when the corpus is large)."""
    from .layout import pca_2d, tsne_2d

    n = len(slugs)
    if n > TSNE_MAX:
        xy = pca_2d(vectors)
    else:
        scores = np.vstack([sim.rows(a, min(n, a + 1024)) for a in range(0, n, 1024)]).astype(np.float64)
        group = np.array(domains)
        distances = np.maximum(1.0 - scores, 0.0) + DOMAIN_PULL * (group[:, None] != group[None, :])
        xy = tsne_2d(distances, init=pca_2d(vectors))
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    xy = (xy - lo) / np.where(hi - lo == 0, 1, hi - lo)
    return {s: (round(float(x), 4), round(float(y), 4)) for s, (x, y) in zip(slugs, xy, strict=True)}
