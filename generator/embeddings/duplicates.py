"""Near-duplicate concepts and interview questions, found from cached vectors only (no model, no torch): warnings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.model import Concept, Corpus
from ..errors import Problem
from ..settings import Settings
from .vectors import cached, cached_concept_parts, question_texts

# Two concepts are compared twice: by their heads (names, definition, tags) and by their bodies (the
# mean of the body chunks), and the higher cosine counts, so a copied page under a new name (head
# 0.68, body 0.99 in the test fixture) is caught as surely as two pages defining one thing. The
# thresholds are read off the current corpus: above 0.82 are the few pairs a writer should compare
# (the next pairs below are distinct topics that share vocabulary); questions above 0.90 ask the
# same thing in other words.
CONCEPT_DUPLICATE = 0.82
QUESTION_DUPLICATE = 0.90


@dataclass
class DuplicateReport:
    """Warnings (never errors) and a note on what could not be checked."""

    warnings: list[Problem]
    note: str | None = None


def _pairs(vectors: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """Index pairs (i < j) of rows whose cosine similarity reaches the threshold, most similar first."""
    if len(vectors) < 2:
        return []
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.maximum(norms, 1e-12)
    sims = unit @ unit.T
    i, j = np.nonzero(np.triu(sims >= threshold, k=1))
    found = [(int(a), int(b), float(sims[a, b])) for a, b in zip(i, j, strict=True)]
    return sorted(found, key=lambda t: (-round(t[2], 6), t[0], t[1]))


def _where(concept: Concept, *key: object) -> str:
    return f"{concept.path}:{concept.line_of(*key)}"


def near_duplicates(settings: Settings, corpus: Corpus, focus: set[Path] | None = None) -> DuplicateReport:
    """Near-duplicate concept pairs and question pairs, from the vectors the last build cached.

    With `focus` (resolved file paths), only pairs with one side in those files are reported.
    """
    slugs = sorted(corpus.concepts)
    concepts = [corpus.concepts[s] for s in slugs]

    def shown(*items: Concept) -> bool:
        return focus is None or any((settings.root / c.path).resolve() in focus for c in items)

    warnings: list[Problem] = []
    found_parts = cached_concept_parts(settings, corpus)
    present = [(i, p) for i, p in enumerate(found_parts) if p is not None]
    keep = [i for i, _ in present]
    heads = np.vstack([p[0] for _, p in present]) if present else np.zeros((0, 1))
    bodies = np.vstack([np.mean(p[1:] or p[:1], axis=0) for _, p in present]) if present else heads
    pairs: dict[tuple[int, int], float] = {}
    for matrix in (heads, bodies):
        for a, b, sim in _pairs(matrix, CONCEPT_DUPLICATE):
            pairs[(a, b)] = max(sim, pairs.get((a, b), -1.0))
    for (a, b), sim in sorted(pairs.items(), key=lambda t: (-round(t[1], 6), t[0])):
        first, second = concepts[keep[a]], concepts[keep[b]]
        if shown(first, second):
            warnings.append(
                Problem(
                    first.path,
                    first.line_of("title"),
                    f"near-duplicate concept: {_where(second, 'title')} ('{second.title}') has a similarity of {sim:.2f}; "
                    "merge the two pages or make the difference explicit",
                )
            )
    asked = [(c, i) for c in concepts for i in range(len(c.meta.questions))]
    found = cached(settings, question_texts(corpus))
    answered = [(k, v) for k, v in enumerate(found) if v is not None]
    have = [k for k, _ in answered]
    matrix = np.vstack([v for _, v in answered]) if answered else np.zeros((0, 1))
    for a, b, sim in _pairs(matrix, QUESTION_DUPLICATE):
        (c1, i1), (c2, i2) = asked[have[a]], asked[have[b]]
        if shown(c1, c2):
            warnings.append(
                Problem(
                    c1.path,
                    c1.line_of("questions", i1, "q"),
                    f"near-duplicate interview question: {_where(c2, 'questions', i2, 'q')} asks the same "
                    f"(similarity {sim:.2f}): keep one, or make them ask different things",
                )
            )
    missing_c, missing_q = len(concepts) - len(keep), len(asked) - len(have)
    note = None
    if not keep and not have and concepts:
        note = "near-duplicate check skipped: no cached vectors (run `kb build` once)"
    elif missing_c or missing_q:
        note = (
            f"near-duplicate check skipped {missing_c} concept(s) and {missing_q} question(s) changed "
            "since the last build (run `kb build` to include them)"
        )
    return DuplicateReport(sorted(warnings), note)
