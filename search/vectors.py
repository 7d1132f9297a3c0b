"""The vector index: the only module that imports faiss.

Exact inner product (``IndexFlatIP``) below ``hnsw_from`` vectors; above it an HNSW graph,
whose recall/latency trade-off is set by ``ef_search`` (measured in bench/search_bench.py).
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

HNSW_FROM = 20_000  # below this an exact scan is as fast as HNSW and has perfect recall
HNSW_M = 32
EF_CONSTRUCTION = 80
EF_SEARCH = 96


class VectorIndex:
    def __init__(self, index: faiss.Index) -> None:
        self.index = index

    @classmethod
    def build(cls, vectors: np.ndarray, *, hnsw_from: int = HNSW_FROM) -> VectorIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dimension = vectors.shape[1]
        if len(vectors) >= hnsw_from:
            index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = EF_CONSTRUCTION
        else:
            index = faiss.IndexFlatIP(dimension)
        index.add(vectors)
        built = cls(index)
        built.set_ef_search(EF_SEARCH)
        return built

    @property
    def kind(self) -> str:
        return "hnsw" if isinstance(self.index, faiss.IndexHNSWFlat) else "exact"

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def set_ef_search(self, ef: int) -> None:
        if isinstance(self.index, faiss.IndexHNSWFlat):
            self.index.hnsw.efSearch = ef

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, row ids) of the k nearest rows, best first; ids are -1 past the end."""
        k = min(k, len(self))
        scores, ids = self.index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
        return scores[0], ids[0]

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        loaded = cls(faiss.read_index(str(path)))
        loaded.set_ef_search(EF_SEARCH)
        return loaded

