"""Okapi BM25 over token lists, with postings as numpy arrays (no per-query Python loop over
documents), saved as one .npz plus a JSON vocabulary."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np


class BM25:
    def __init__(self, vocabulary: dict[str, int], offsets: np.ndarray, doc_ids: np.ndarray, weights: np.ndarray,
                 count: int) -> None:
        self.vocabulary = vocabulary
        self.offsets = offsets  # postings of term t are [offsets[t], offsets[t+1])
        self.doc_ids = doc_ids
        self.weights = weights  # precomputed BM25 term weight per posting
        self.count = count

    @classmethod
    def build(cls, documents: list[list[str]], k1: float = 1.2, b: float = 0.75) -> BM25:
        lengths = np.array([len(tokens) for tokens in documents], dtype=np.float32)
        average = float(lengths.mean()) if len(documents) else 1.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for doc, tokens in enumerate(documents):
            for term, tf in Counter(tokens).items():
                postings.setdefault(term, []).append((doc, tf))
        vocabulary = {term: index for index, term in enumerate(sorted(postings))}
        offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        doc_ids, weights = [], []
        n = len(documents)
        for term, index in vocabulary.items():
            entries = postings[term]
            idf = np.log(1 + (n - len(entries) + 0.5) / (len(entries) + 0.5))
            ids = np.array([d for d, _ in entries], dtype=np.int32)
            tf = np.array([t for _, t in entries], dtype=np.float32)
            norm = k1 * (1 - b + b * lengths[ids] / average)
            weights.append((idf * tf * (k1 + 1) / (tf + norm)).astype(np.float32))
            doc_ids.append(ids)
            offsets[index + 1] = offsets[index] + len(entries)
        return cls(vocabulary, offsets,
                   np.concatenate(doc_ids) if doc_ids else np.zeros(0, np.int32),
                   np.concatenate(weights) if weights else np.zeros(0, np.float32), n)

    def scores(self, query: list[str]) -> np.ndarray:
        """BM25 score of every document; 0 for documents sharing no query term."""
        scores = np.zeros(self.count, dtype=np.float32)
        for term in set(query):
            index = self.vocabulary.get(term)
            if index is None:
                continue
            start, end = self.offsets[index], self.offsets[index + 1]
            np.add.at(scores, self.doc_ids[start:end], self.weights[start:end])
        return scores

    def coverage(self, query: list[str]) -> np.ndarray:
        """Share of the query's IDF mass each document contains (0–1): how much of what was asked
        a document has, comparable across questions (unlike raw BM25 scores). Terms no document
        has count at full weight, so a question of unknown words covers nothing."""
        covered = np.zeros(self.count, dtype=np.float32)
        total = 0.0
        for term in set(query):
            index = self.vocabulary.get(term)
            frequency = 0 if index is None else int(self.offsets[index + 1] - self.offsets[index])
            idf = float(np.log(1 + (self.count - frequency + 0.5) / (frequency + 0.5)))
            total += idf
            if index is not None:
                covered[self.doc_ids[self.offsets[index]:self.offsets[index + 1]]] += idf
        return covered / total if total else covered

    def save(self, folder: Path) -> None:
        np.savez(folder / "bm25.npz", offsets=self.offsets, doc_ids=self.doc_ids, weights=self.weights,
                 count=np.array([self.count]))
        (folder / "bm25-vocabulary.json").write_text(json.dumps(self.vocabulary, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> BM25:
        arrays = np.load(folder / "bm25.npz")
        vocabulary = json.loads((folder / "bm25-vocabulary.json").read_text("utf-8"))
        return cls(vocabulary, arrays["offsets"], arrays["doc_ids"], arrays["weights"], int(arrays["count"][0]))
