"""Lexical similarity in numpy: tokens, TF-IDF cosine and BM25 between documents (no scikit-learn)."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import numpy as np

# A short English stop list: the words that carry no topic in this field's prose.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here hers
    him his how i if in into is it its itself just may me might more most must my no nor not now of off on once only or
    other our ours out over own per same she should so some such than that the their theirs them then there these they
    this those through to too under until up very via was we were what when where which while who whom why will with
    would you your yours one two use used uses using e g eg ie vs etc""".split()
)
TOKEN_RE = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light plural stemmer: 'embeddings' and 'embedding' are one term, 'loss' stays."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Lower-cased, stemmed terms of a text, without stop words and one-letter tokens."""
    return [stem(w) for w in TOKEN_RE.findall(text.lower()) if len(w) > 1 and w not in STOP_WORDS]


@lru_cache(maxsize=8192)
def _bag(text: str) -> tuple[tuple[str, int], ...]:
    """A text's terms with their counts (cached: one build tokenizes each text once)."""
    return tuple(Counter(tokens(text)).items())


def term_counts(texts: list[str], vocabulary: dict[str, int] | None = None) -> tuple[np.ndarray, dict[str, int]]:
    """A dense document-term count matrix and its vocabulary (terms in first-seen order when built here)."""
    docs = [tokens(t) for t in texts]
    if vocabulary is None:
        vocabulary = {}
        for doc in docs:
            for term in doc:
                vocabulary.setdefault(term, len(vocabulary))
    counts = np.zeros((len(texts), len(vocabulary)), dtype=np.float32)
    for i, doc in enumerate(docs):
        for term in doc:
            j = vocabulary.get(term)
            if j is not None:
                counts[i, j] += 1
    return counts, vocabulary


def idf(counts: np.ndarray) -> np.ndarray:
    """Smoothed inverse document frequency of every term (the columns of a count matrix)."""
    return _idf(len(counts), (counts > 0).sum(axis=0))


def _idf(n: int, df: np.ndarray) -> np.ndarray:
    return (np.log((1 + n) / (1 + df.astype(np.float64))) + 1).astype(np.float32)


def _idf_of(n: int, df: int) -> float:
    return math.log((1 + n) / (1 + df)) + 1


def _weighted(bags: list[tuple[tuple[str, int], ...]], weights: dict[str, float], vocabulary: dict[str, int]) -> np.ndarray:
    """Rows of sublinear tf × idf over `vocabulary`, each divided by its norm over ALL its terms."""
    matrix = np.zeros((len(bags), len(vocabulary)), dtype=np.float32)
    for i, bag in enumerate(bags):
        norm = 0.0
        for term, count in bag:
            value = (1 + math.log(count)) * weights.get(term, 0.0)
            norm += value * value
            j = vocabulary.get(term)
            if j is not None:
                matrix[i, j] = value
        if norm > 0:
            matrix[i] /= np.sqrt(norm)
    return matrix


def tfidf_vectors(texts: list[str]) -> np.ndarray:
    """Unit TF-IDF rows (sublinear tf) whose dot products are the cosine similarities between texts.

    Terms found in one text only are counted in its norm but get no column: they can match no other
    text, so dropping them changes no similarity and keeps the matrix small.
    """
    bags = [_bag(t) for t in texts]
    df = Counter(term for bag in bags for term, _ in bag)
    weights = {term: _idf_of(len(texts), count) for term, count in df.items()}
    shared = sorted(term for term, count in df.items() if count >= 2)
    return _weighted(bags, weights, {term: j for j, term in enumerate(shared)})


def tfidf_pair(docs: list[str], queries: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Unit TF-IDF rows of documents and of queries in the documents' vocabulary and weights."""
    bags = [_bag(t) for t in docs]
    df = Counter(term for bag in bags for term, _ in bag)
    weights = {term: _idf_of(len(docs), count) for term, count in df.items()}
    vocabulary = {term: j for j, term in enumerate(sorted(df))}
    return _weighted(bags, weights, vocabulary), _weighted([_bag(q) for q in queries], weights, vocabulary)


def tfidf_similarity(texts: list[str]) -> np.ndarray:
    """Cosine similarity of TF-IDF vectors between every pair of texts (symmetric, in [0, 1])."""
    vectors = tfidf_vectors(texts)
    similarity: np.ndarray = vectors @ vectors.T
    return similarity


def bm25_similarity(texts: list[str], queries: list[str] | None = None, k1: float = 1.2, b: float = 0.75) -> np.ndarray:
    """BM25 score of every document for every query (each document is its own query by default).

    Rows are scaled so the best possible match of a query scores 1: scores compare across rows.
    A dense matrix over the whole vocabulary: meant for evaluation on corpora of a few thousand texts.
    """
    counts, vocabulary = term_counts(texts)
    weights = idf(counts)
    length = counts.sum(axis=1, keepdims=True)
    norm = k1 * (1 - b + b * length / max(float(length.mean()), 1e-12))
    saturated = counts * (k1 + 1) / (counts + norm) * weights
    asked = counts if queries is None else term_counts(queries, vocabulary)[0]
    present = (asked > 0).astype(np.float32)
    scores = present @ saturated.T
    ceiling = present @ (weights * (k1 + 1))
    scaled: np.ndarray = (scores / np.maximum(ceiling, 1e-12)[:, None]).astype(np.float32)
    return scaled
