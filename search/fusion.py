"""Fusing the legs: weighted reciprocal-rank fusion (the default) or a blend of normalised
scores. A leg only votes for documents it actually found (BM25: a shared term; knowledge: a
linked entity or deadline), so an English question gets no arbitrary BM25 order mixed in."""

from __future__ import annotations

import numpy as np

RRF_K = 60


def ranks(scores: np.ndarray, found: np.ndarray) -> np.ndarray:
    """1-based competition ranks among found documents (ties share a rank); 0 = not found."""
    result = np.zeros(len(scores), dtype=np.int64)
    rows = np.flatnonzero(found)
    if len(rows) == 0:
        return result
    values = scores[rows]
    order = np.argsort(-values, kind="stable")
    sorted_values = values[order]
    # rank = 1 + number of found docs with a strictly higher score
    higher = np.searchsorted(-sorted_values, -sorted_values, side="left")
    result[rows[order]] = higher + 1
    return result


def reciprocal_rank_fusion(leg_ranks: dict[str, np.ndarray], weights: dict[str, float], k: int = RRF_K) -> np.ndarray:
    total = None
    for leg, rank in leg_ranks.items():
        contribution = np.where(rank > 0, weights.get(leg, 1.0) / (k + rank), 0.0)
        total = contribution if total is None else total + contribution
    assert total is not None
    return total


def blend(leg_scores: dict[str, np.ndarray], leg_found: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    total = None
    for leg, scores in leg_scores.items():
        found = leg_found[leg]
        normalised = np.zeros(len(scores), dtype=np.float64)
        if found.any():
            low, high = float(scores[found].min()), float(scores[found].max())
            normalised[found] = (scores[found] - low) / (high - low) if high > low else 1.0
        contribution = weights.get(leg, 1.0) * normalised
        total = contribution if total is None else total + contribution
    assert total is not None
    return total
