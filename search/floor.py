"""The relevance floor: which of the ranked hits are confident matches and which are shown apart
as weaker ones. Fused RRF scores are ranks, not evidence — a nonsense question still has a first
hit — so the floor asks each leg for evidence that means the same across questions: the share of
the question's IDF mass a measure contains (BM25), how far its embedding stands out from the
corpus (dense, in standard deviations: search/dense.py), and how much of what the question names it carries
(knowledge, relative to the best)."""

from __future__ import annotations

import numpy as np

from search.dense import DenseScores

MIN_FUSED = 0.3  # never confident below this share of the top fused score
COVERAGE = 0.5  # half the question's words (by IDF)
SOME_DENSE = 0.6  # with a quarter of the question's words, a measure this share of an outlier's standing
KNOWLEDGE = 0.5  # at least half the best knowledge score
NAMED = 0.2  # …when the linked names make up this share of the question (编程 alone does not answer one about training engineers)


def confident(order: list[int], fused: np.ndarray, coverage: np.ndarray, dense: DenseScores | None,
              knowledge: np.ndarray, legs: tuple[str, ...], named: float = 1.0) -> list[bool]:
    if not order:
        return []
    top = float(fused[order[0]])
    standing, outlier = (dense.standing, dense.outlier) if dense is not None else (np.zeros(len(fused)), np.inf)
    best_knowledge = float(knowledge.max()) if "knowledge" in legs and named >= NAMED else 0.0
    verdict = []
    for row in order:
        evidence = (best_knowledge > 0 and knowledge[row] >= KNOWLEDGE * best_knowledge) \
            or ("bm25" in legs and coverage[row] >= COVERAGE) \
            or ("dense" in legs and standing[row] >= outlier) \
            or (coverage[row] >= COVERAGE / 2 and standing[row] >= SOME_DENSE * outlier)
        verdict.append(bool(evidence) and float(fused[row]) >= MIN_FUSED * top)
    return verdict
