"""Dense scores for a question: cosine per model, and for combined models (search/encoder.py) the
sum of each model's scores standardised over the measures it ranked. Standardising first matters:
e5's cosines crowd into 0.75–0.90 while USE's spread over −0.1–0.5, so a raw sum would let USE
decide alone (measured: dev-multi dense leg 0.79 raw vs 0.82 standardised).

``standing`` says how far a measure stands out from the rest, in standard deviations — for
combined models the least of the models' (they must agree). One model alone often lifts some
measure 3–4 deviations above the rest for an off-topic question; two models trained on different
data rarely lift the same one (bench/results/dense-floor.json)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from search.vectors import VectorIndex

OUTLIER = 3.3  # one model: this many deviations above the rest is evidence (nonsense reaches 3.2 on e5)
AGREED_OUTLIER = 2.8  # several models: each of them this far above the rest


@dataclass(frozen=True)
class DenseScores:
    scores: np.ndarray  # the leg's ranking score, −inf where no model returned the row
    found: np.ndarray
    standing: np.ndarray  # deviations above the mean: the model's own, or the least of the models'
    outlier: float  # the standing that counts as evidence of a match


def dense_scores(index: VectorIndex, query: np.ndarray, blocks: list[slice], limit: int) -> DenseScores:
    n = len(index)
    found = np.zeros(n, dtype=bool)
    total = np.zeros(n)
    standing = np.full(n, np.inf)
    for block in blocks:
        part = query if len(blocks) == 1 else _only(query, block)
        values, ids = index.search(part, limit)
        keep = ids >= 0
        values, ids = values[keep].astype(np.float64), ids[keep]
        if len(ids) == 0:
            continue
        standard = (values - values.mean()) / (float(values.std()) or 1.0)
        # a row another model returned but this one did not (approximate search) gets this model's worst
        block_standard = np.full(n, float(standard.min()))
        block_standard[ids] = standard
        if len(blocks) == 1:
            total[ids] = values  # one model: its cosine, as faiss gave it
        else:
            total += block_standard
        standing = np.minimum(standing, block_standard)
        found[ids] = True
    scores = np.where(found, total, -np.inf)
    standing = np.where(found, standing, -np.inf)
    return DenseScores(scores, found, standing, OUTLIER if len(blocks) == 1 else AGREED_OUTLIER)


def _only(query: np.ndarray, block: slice) -> np.ndarray:
    part = np.zeros_like(query)
    part[block] = query[block]
    return part
