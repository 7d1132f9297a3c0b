"""Dense scores for a question: cosine per model, and for combined models (search/encoder.py) the
sum of each model's scores standardised over the measures it ranked. Standardising first matters:
e5's cosines crowd into 0.75–0.90 while USE's spread over −0.1–0.5, so a raw sum would let USE
decide alone (measured: dev-multi dense leg 0.79 raw vs 0.82 standardised)."""

from __future__ import annotations

import numpy as np

from search.vectors import VectorIndex


def dense_scores(index: VectorIndex, query: np.ndarray, blocks: list[slice], limit: int) -> tuple[np.ndarray, np.ndarray]:
    """(scores, found) over all rows; rows no model returned score −inf and are not found."""
    n = len(index)
    scores = np.full(n, -np.inf)
    found = np.zeros(n, dtype=bool)
    if len(blocks) == 1:
        values, ids = index.search(query, limit)
        keep = ids >= 0
        scores[ids[keep]] = values[keep]
        found[ids[keep]] = True
        return scores, found
    total = np.zeros(n)
    for block in blocks:
        part = np.zeros_like(query)
        part[block] = query[block]
        values, ids = index.search(part, limit)
        keep = ids >= 0
        values, ids = values[keep].astype(np.float64), ids[keep]
        if len(ids) == 0:
            continue
        spread = float(values.std()) or 1.0
        standard = (values - values.mean()) / spread
        # a row another model returned but this one did not (approximate search) gets this model's worst
        block_scores = np.full(n, float(standard.min()))
        block_scores[ids] = standard
        total += block_scores
        found[ids] = True
    scores[found] = total[found]
    return scores, found
