"""Fusing the legs: weighted reciprocal-rank fusion (the default) or a blend of normalised
scores. A leg only votes for documents it actually found (BM25: a shared term; knowledge: a
linked entity or deadline), so an English question gets no arbitrary BM25 order mixed in."""

from __future__ import annotations

import numpy as np

RRF_K = 10  # small: a leg's first places must count for more than being found at all (dev-multi 0.85 → 0.87)


def ranks(scores: np.ndarray, found: np.ndarray) -> np.ndarray:
    """1-based ranks among found documents, ties sharing the mean of the places they span; 0 = not
    found. A leg that finds 30 measures equally (a field the whole plan is about) cannot tell them
    apart, so each gets the vote of the middle of that run, not of the first place."""
    result = np.zeros(len(scores), dtype=np.float64)
    rows = np.flatnonzero(found)
    if len(rows) == 0:
        return result
    values = scores[rows]
    order = np.argsort(-values, kind="stable")
    sorted_values = -values[order]
    first = np.searchsorted(sorted_values, sorted_values, side="left")
    last = np.searchsorted(sorted_values, sorted_values, side="right")
    result[rows[order]] = (first + last + 1) / 2
    return result


def reciprocal_rank_fusion(leg_ranks: dict[str, np.ndarray], weights: dict[str, float], k: int = RRF_K,
                           strength: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """``strength`` (0–1 per document and leg) scales a leg's vote by how much evidence it has
    for that document: ranks alone give a measure sharing one common word with the question the
    same vote as one containing all of it."""
    total = None
    for leg, rank in leg_ranks.items():
        contribution = np.where(rank > 0, weights.get(leg, 1.0) / (k + rank), 0.0)
        if strength is not None and leg in strength:
            contribution = contribution * strength[leg]
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
