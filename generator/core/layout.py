"""2-D layouts of the concepts for the map: a PCA projection and a small exact t-SNE, both deterministic."""

from __future__ import annotations

import numpy as np


def pca_2d(vectors: np.ndarray, steps: int = 60) -> np.ndarray:
    """The rows projected on their first two principal axes (subspace iteration from a fixed start), signs fixed."""
    centred = vectors.astype(np.float64) - vectors.mean(axis=0)
    dim = centred.shape[1]
    if dim < 2 or len(centred) < 2:
        return np.hstack([centred[:, :2], np.zeros((len(centred), max(0, 2 - dim)))])
    axes = np.zeros((dim, 2))
    axes[np.arange(dim), np.arange(dim) % 2] = 1 + np.arange(dim) / dim  # fixed, not random
    for _ in range(steps):
        axes, _ = np.linalg.qr(centred.T @ (centred @ axes))
    for i in range(2):  # fix the sign so the picture does not flip between runs
        if axes[np.argmax(np.abs(axes[:, i])), i] < 0:
            axes[:, i] = -axes[:, i]
    projected: np.ndarray = centred @ axes
    return projected


def _affinities(distances: np.ndarray, perplexity: float) -> np.ndarray:
    """Symmetric t-SNE input affinities: a Gaussian per row whose entropy matches the perplexity (bisection)."""
    n = len(distances)
    d2 = distances.astype(np.float64) ** 2
    np.fill_diagonal(d2, np.inf)
    target = np.log(min(perplexity, max((n - 1) / 3, 1.0)))
    lo, hi = np.zeros(n), np.full(n, np.inf)
    beta = np.ones(n)
    for _ in range(64):  # the same 64 steps for every row: deterministic and vectorised
        shifted = d2 - np.min(d2, axis=1, keepdims=True)
        p = np.exp(-shifted * beta[:, None])
        total = p.sum(axis=1, keepdims=True)
        p = p / total
        entropy = -(p * np.log(np.maximum(p, 1e-300))).sum(axis=1)
        high = entropy > target  # too flat: sharpen (raise beta)
        lo = np.where(high, beta, lo)
        hi = np.where(high, hi, beta)
        beta = np.where(np.isinf(hi), beta * 2, (lo + hi) / 2)
    p = (p + p.T) / (2 * n)
    joint: np.ndarray = np.maximum(p, 1e-12)
    return joint


def tsne_2d(distances: np.ndarray, init: np.ndarray, perplexity: float = 20.0, iterations: int = 500) -> np.ndarray:
    """Exact t-SNE of a distance matrix (O(n²) per step: for a few thousand points), started from `init`."""
    n = len(distances)
    if n < 4:
        return init[:, :2].astype(np.float64)
    p = _affinities(distances, perplexity).astype(np.float32)
    y = init[:, :2].astype(np.float64)
    y = ((y - y.mean(axis=0)) / max(float(y[:, 0].std()), 1e-12) * 1e-4).astype(np.float32)
    update = np.zeros_like(y)
    gains = np.ones_like(y)
    rate = np.float32(max(n / 12 / 4, 50.0))
    diagonal = np.arange(n)
    for step in range(iterations):
        exaggeration, momentum = (12.0, 0.5) if step < 250 else (1.0, 0.8)
        sq = (y * y).sum(axis=1)
        num = y @ y.T
        num *= -2
        num += sq[:, None]
        num += sq[None, :]
        np.maximum(num, 0, out=num)
        num += 1
        np.reciprocal(num, out=num)
        num[diagonal, diagonal] = 0
        pq = p * np.float32(exaggeration) - num / num.sum()
        pq *= num
        grad = 4 * (pq.sum(axis=1)[:, None] * y - pq @ y)
        same = (grad > 0) == (update > 0)
        gains = np.maximum(np.where(same, gains * 0.8, gains + 0.2), 0.01).astype(np.float32)
        update = momentum * update - rate * gains * grad
        y = y + update
        y = y - y.mean(axis=0)
    return np.asarray(y, dtype=np.float64)
