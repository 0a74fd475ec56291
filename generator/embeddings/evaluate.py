"""Measuring related concepts against a judged set: recall@5 and @10 of each method on a tuning and a held-out half."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..core.model import Corpus
from ..core.related import DEFAULT_METHOD, DEFAULT_TEXT_MODE, FUSION_WEIGHT, Related, Similarity, concept_text, knn_rows
from ..core.yamlsrc import load_yaml
from ..errors import KbError
from ..settings import Settings
from .vectors import concept_vectors

KS = (5, 10)
WEIGHTS = tuple(round(w, 2) for w in np.arange(0.0, 1.0001, 0.05))  # the hybrid's embedding share, tried on the tuning half


@dataclass(frozen=True)
class EvalRow:
    """Recall@5 and @10 of one method (and text mode) on the tuning and the held-out half."""

    method: str
    mode: str
    tuned: tuple[float, float]
    held_out: tuple[float, float]
    weight: float | None = None


@dataclass
class Evaluation:
    """Every row, the split, and what the shipped lists add beyond curated links."""

    rows: list[EvalRow]
    tuned: list[str]
    held_out: list[str]
    added: dict[str, int] = field(default_factory=dict)


def load_judgements(path: Path, corpus: Corpus) -> dict[str, list[str]]:
    """The evaluation set, restricted to concepts that exist (both sides)."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8")).data
    except OSError as exc:
        raise KbError(f"{path}: cannot read the judged set ({exc.strerror})") from None
    if not isinstance(data, dict):
        raise KbError(f"{path}: expected a mapping slug -> [related slugs]")
    judged = {}
    for slug, expected in data.items():
        if not isinstance(expected, list):
            raise KbError(f"{path}: '{slug}' must map to a list of slugs")
        kept = [str(s) for s in expected if str(s) in corpus.concepts and str(s) != str(slug)]
        if str(slug) in corpus.concepts and kept:
            judged[str(slug)] = kept
    return judged


def split_halves(judged: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """A fixed split of the judged pages: ordered by the sha256 of the slug, the first half tunes, the rest is held out."""
    ordered = sorted(judged, key=lambda s: hashlib.sha256(s.encode()).hexdigest())
    middle = (len(ordered) + 1) // 2
    return sorted(ordered[:middle]), sorted(ordered[middle:])


def recall_at_k(neighbours: dict[str, list[str]], judged: dict[str, list[str]], k: int, pages: list[str] | None = None) -> float:
    """Mean over judged pages of |top-k ∩ expected| / min(k, |expected|)."""
    keys = judged if pages is None else pages
    scores = [len(set(neighbours.get(s, [])[:k]) & set(judged[s])) / min(k, len(judged[s])) for s in keys]
    return float(np.mean(scores)) if scores else 0.0


def _neighbours(sim: Similarity, slugs: list[str]) -> dict[str, list[str]]:
    found = knn_rows(sim.rows, len(slugs), max(KS), -np.inf)
    return {s: [slugs[j] for j, _ in row] for s, row in zip(slugs, found, strict=True)}


def _recalls(found: dict[str, list[str]], judged: dict[str, list[str]], pages: list[str]) -> tuple[float, float]:
    return recall_at_k(found, judged, KS[0], pages), recall_at_k(found, judged, KS[1], pages)


def evaluate(settings: Settings, corpus: Corpus, path: Path, modes: tuple[str, ...] = (DEFAULT_TEXT_MODE,)) -> Evaluation:
    """Recall of embeddings, TF-IDF, BM25 and the hybrid (its weight tuned on the tuning half) per text mode."""
    judged = load_judgements(path, corpus)
    if len(judged) < 2:
        raise KbError(f"{path}: fewer than two judged pages name existing concepts: nothing to evaluate")
    tuned, held = split_halves(judged)
    slugs = sorted(corpus.concepts)
    titles = corpus.titles()
    result = Evaluation([], tuned, held)
    for mode in modes:
        texts = [concept_text(corpus.concepts[s], mode, titles) for s in slugs]
        vectors = concept_vectors(settings, corpus, mode, prune=False)[0]
        for method in ("embedding", "tfidf", "bm25"):
            found = _neighbours(Similarity(method, vectors, texts), slugs)
            result.rows.append(EvalRow(method, mode, _recalls(found, judged, tuned), _recalls(found, judged, held)))
        tries = {w: _neighbours(Similarity("hybrid", vectors, texts, w), slugs) for w in WEIGHTS}
        best = max(WEIGHTS, key=lambda w: (*_recalls(tries[w], judged, tuned), -abs(w - FUSION_WEIGHT)))
        found = tries[best]
        result.rows.append(EvalRow("hybrid", mode, _recalls(found, judged, tuned), _recalls(found, judged, held), best))
    return result


def added_beyond_curated(corpus: Corpus, judged: dict[str, list[str]], related: Related) -> dict[str, int]:
    """Where the judged links that are not curated show up: body links, Referenced by, Similar concepts, or nowhere."""
    counts = dict.fromkeys(("judged", "curated", "body", "incoming", "similar", "nowhere", "computed"), 0)
    for slug, expected in judged.items():
        concept = corpus.concepts[slug]
        page = {s for s, _ in related.similar.get(slug, [])}
        cards = {s for s, _ in related.unlinked.get(slug, [])}
        for target in expected:
            counts["judged"] += 1
            if target in concept.meta.related:
                counts["curated"] += 1
                continue
            counts["computed"] += target in cards
            if target in concept.outgoing():
                counts["body"] += 1
            elif slug in corpus.concepts[target].outgoing():
                counts["incoming"] += 1
            elif target in page:
                counts["similar"] += 1
            else:
                counts["nowhere"] += 1
    return counts


def format_table(evaluation: Evaluation, shipped: str = DEFAULT_METHOD) -> list[str]:
    """The evaluation as printed lines: one row per method, recall@5 and @10 on each half, then the verdict."""
    n_t, n_h = len(evaluation.tuned), len(evaluation.held_out)
    lines = [
        f"recall@5 and @10 on {n_t + n_h} judged pages: {n_t} tune the hybrid's weight, {n_h} are held out",
        f"{'text':<16} {'method':<20} {'tuned @5':>9} {'@10':>6} {'held-out @5':>12} {'@10':>6}",
    ]
    for row in evaluation.rows:
        name = row.method + (f" (w={row.weight:.2f})" if row.weight is not None else "")
        lines.append(
            f"{row.mode:<16} {name:<20} {row.tuned[0]:>9.3f} {row.tuned[1]:>6.3f} {row.held_out[0]:>12.3f} {row.held_out[1]:>6.3f}"
        )
    for mode in dict.fromkeys(r.mode for r in evaluation.rows):
        rows = [r for r in evaluation.rows if r.mode == mode]
        best = max(rows, key=lambda r: (r.held_out[0], r.held_out[1]))
        gaps = ", ".join(f"{r.method} by {best.held_out[0] - r.held_out[0]:+.3f}" for r in rows if r is not best)
        if mode != DEFAULT_TEXT_MODE:
            verdict = "(a text mode kept for comparison)"
        else:
            verdict = "the shipped default" if best.method == shipped else f"not the shipped {shipped}"
        lines.append(f"best on the held-out half ({mode}): {best.method}, {verdict}; recall@5 beats {gaps}")
    if evaluation.added:
        a = evaluation.added
        other = a["judged"] - a["curated"]
        lines.append(
            f"judged links: {a['judged']}, curated under related: {a['curated']}; of the other {other}: {a['body']} linked in the "
            f"body, {a['incoming']} link to the page (Referenced by), {a['similar']} shown under Similar concepts, "
            f"{a['nowhere']} shown nowhere; the computed neighbours not linked yet (cards, --suggest) hold {a['computed']} of the {other}"
        )
    return lines
