"""Hybrid search over measures: BM25 + dense vectors + knowledge graph, fused, explained."""

from __future__ import annotations

import html
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kg.errors import InputError
from search.bm25 import BM25
from search.documents import SearchDocument
from search.encoder import Encoder
from search.facets import Filters, facet_counts, filter_mask
from search.fusion import blend, ranks, reciprocal_rank_fusion
from search.index import load_documents, read_manifest, tokenizer_for
from search.knowledge import KnowledgeBase
from search.linking import DeadlineAsk, LinkedEntity, Linker, deadline_ask, meets
from search.vectors import VectorIndex

MAX_QUESTION_CHARS = 256  # longer questions are cut here (and the response says so)
MAX_K = 100
LEGS = ("bm25", "dense", "knowledge")
DEFAULT_WEIGHTS = {"bm25": 1.0, "dense": 1.0, "knowledge": 1.5}
KIND_WEIGHTS = {"place": 1.0, "field": 1.0, "partner": 1.2, "unit": 1.2, "instrument": 0.8}
DENSE_CANDIDATES = 200


class SearchError(InputError):
    """A bad question or parameter; the message says what was wrong."""


@dataclass
class SearchResponse:
    query: str
    results: list[dict[str, Any]]
    facets: dict[str, list[dict[str, Any]]]
    linked: list[dict[str, str]]
    truncated: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)


class SearchEngine:
    def __init__(self, documents: list[SearchDocument], bm25: BM25, vectors: VectorIndex, knowledge: KnowledgeBase,
                 encoder: Encoder, *, weights: dict[str, float] | None = None, fusion: str = "rrf") -> None:
        self.documents = documents
        self.bm25 = bm25
        self.vectors = vectors
        self.knowledge = knowledge
        self.encoder = encoder
        self.tokenizer = tokenizer_for(knowledge)
        self.linker = Linker(knowledge)
        self.weights = weights or dict(DEFAULT_WEIGHTS)
        self.fusion = fusion
        self._closures = [set(d.closure) for d in documents]
        self._direct = [set(d.entities) | set(d.unit_keys) for d in documents]
        self._rows_naming: dict[str, list[int]] = {}
        self._rows_within: dict[str, list[int]] = {}
        for row, (direct, closure) in enumerate(zip(self._direct, self._closures)):
            for key in direct:
                self._rows_naming.setdefault(key, []).append(row)
            for key in closure - direct:
                self._rows_within.setdefault(key, []).append(row)
        self._rows_by_iri = {d.iri: d.row for d in documents}
        self._types = np.array([d.deadline_type for d in documents])
        self._ends = np.array([d.deadline_end or "" for d in documents])

    @classmethod
    def load(cls, folder: Path, encoder: Encoder, *, graph_built_at: str, **options: Any) -> SearchEngine:
        read_manifest(folder, model=encoder.name, graph_built_at=graph_built_at)
        return cls(load_documents(folder), BM25.load(folder), VectorIndex.load(folder / "vectors.faiss"),
                   KnowledgeBase.load(folder / "knowledge.json"), encoder, **options)

    def similar(self, iri: str, k: int = 10) -> list[tuple[str, float]]:
        """Measures whose passages lie nearest to this one's in the embedding space."""
        row = self._rows_by_iri.get(iri)
        if row is None:
            raise KeyError(iri)
        vector = self.vectors.index.reconstruct(row)
        scores, ids = self.vectors.search(vector, min(k + 1, len(self.documents)))
        return [(self.documents[i].iri, float(s)) for s, i in zip(scores, ids) if i >= 0 and i != row][:k]

    def warm_up(self) -> None:
        self.search("科技创新", k=1)

    def search(self, question: str, k: int = 10, filters: Filters | None = None,
               legs: tuple[str, ...] = LEGS) -> SearchResponse:
        if not isinstance(k, int) or not 1 <= k <= MAX_K:
            raise SearchError(f"k must be an integer from 1 to {MAX_K}, got {k!r}")
        question = unicodedata.normalize("NFKC", question or "").strip()
        if not question:
            raise SearchError("the question is empty")
        truncated = len(question) > MAX_QUESTION_CHARS
        question = question[:MAX_QUESTION_CHARS]
        timings: dict[str, float] = {}
        n = len(self.documents)
        mask = filter_mask(self.documents, self._closures, filters, self.knowledge) if filters else np.ones(n, dtype=bool)
        scores: dict[str, np.ndarray] = {}
        found: dict[str, np.ndarray] = {}
        clock = time.perf_counter()
        terms = self.tokenizer.query_tokens(question)
        if "bm25" in legs:
            scores["bm25"] = self.bm25.scores(terms).astype(np.float64)
            found["bm25"] = (scores["bm25"] > 0) & mask
        timings["bm25"] = _ms(clock)
        clock = time.perf_counter()
        if "dense" in legs:
            scores["dense"], found["dense"] = self._dense(question, mask)
        timings["dense"] = _ms(clock)
        clock = time.perf_counter()
        linked = self.linker.entities(question)
        ask = deadline_ask(question)
        if "knowledge" in legs:
            scores["knowledge"] = self._knowledge(linked, ask)
            found["knowledge"] = (scores["knowledge"] > 0) & mask
        timings["knowledge"] = _ms(clock)
        clock = time.perf_counter()
        leg_ranks = {leg: ranks(scores[leg], found[leg]) for leg in scores}
        if self.fusion == "blend":
            fused = blend(scores, found, self.weights)
        else:
            fused = reciprocal_rank_fusion(leg_ranks, self.weights)
        anything = np.zeros(n, dtype=bool)
        for leg_found in found.values():
            anything |= leg_found
        fused = np.where(anything & mask, fused, -np.inf)
        order = [int(i) for i in np.argsort(-fused, kind="stable")[:k] if np.isfinite(fused[i])]
        pool = [int(i) for i in np.argsort(-fused, kind="stable")[: max(50, k)] if np.isfinite(fused[i])]
        results = [self._hit(i, float(fused[i]), leg_ranks, terms, linked, ask) for i in order]
        facets = facet_counts(self.documents, pool, self.knowledge)
        timings["fusion"] = _ms(clock)
        return SearchResponse(query=question, results=results, facets=facets, truncated=truncated,
                              linked=[{"key": e.key, "kind": e.kind, "name": e.name, "surface": e.surface} for e in linked]
                              + ([{"kind": "deadline", "surface": ask.surface, "ongoing": str(ask.ongoing).lower(),
                                   "due_by": ask.due_by or ""}] if ask else []),
                              timings_ms=timings)

    def _dense(self, question: str, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        vector = self.encoder.encode_queries([question])[0]
        n = len(self.documents)
        scores = np.full(n, -1.0)
        limit = n if self.vectors.kind == "exact" else min(n, DENSE_CANDIDATES if mask.all() else DENSE_CANDIDATES * 5)
        values, ids = self.vectors.search(vector, limit)
        keep = ids >= 0
        scores[ids[keep]] = values[keep]
        found = np.zeros(n, dtype=bool)
        found[ids[keep]] = True
        return scores, found & mask

    def _knowledge(self, linked: list[LinkedEntity], ask: DeadlineAsk | None) -> np.ndarray:
        scores = np.zeros(len(self.documents))
        for entity in linked:
            weight = KIND_WEIGHTS.get(entity.kind, 1.0)
            scores[self._rows_naming.get(entity.key, [])] += weight
            scores[self._rows_within.get(entity.key, [])] += 0.8 * weight
        if ask is not None:
            scores += self._deadline_matches(ask)
        return scores

    def _deadline_matches(self, ask: DeadlineAsk) -> np.ndarray:
        if ask.ongoing:
            return (self._types == "ongoing").astype(np.float64)
        if not ask.due_by:
            return np.zeros(len(self.documents))
        has_end = self._ends != ""
        if ask.due_by.startswith("--"):
            months = np.array([end[5:] for end in self._ends])
            return (has_end & (months <= ask.due_by[2:])).astype(np.float64)
        return (has_end & (self._ends <= ask.due_by)).astype(np.float64)

    def _hit(self, row: int, score: float, leg_ranks: dict[str, np.ndarray], terms: list[str],
             linked: list[LinkedEntity], ask: DeadlineAsk | None) -> dict[str, Any]:
        document = self.documents[row]
        words = sorted({t[2:] for t in terms if t.startswith("w:") and t[2:] in document.text}, key=len, reverse=True)
        entities = []
        for entity in linked:
            if entity.key in self._closures[row]:
                via = "direct" if entity.key in self._direct[row] else "narrower"
                entities.append({"key": entity.key, "name": entity.name, "kind": entity.kind, "via": via})
                info = self.knowledge.entities.get(entity.key)
                words += [label for label in (info.zh_labels if info else ()) if label in document.text]
        highlights = _spans(document.text, words)
        why: dict[str, Any] = {
            "legs": {leg: int(rank[row]) for leg, rank in leg_ranks.items() if rank[row] > 0},
            "matched_terms": sorted({document.text[a:b] for a, b in highlights}),
            "entities": entities,
        }
        if ask is not None and meets(ask, document.deadline_type, document.deadline_end):
            why["deadline"] = {"asked": ask.surface, "deadline": document.deadline_raw}
        return {
            "iri": document.iri, "plan": document.plan, "id": str(document.seq), "number": document.number or str(document.seq),
            "seq": document.seq, "task": document.task, "task_title": document.task_title,
            "section": document.section_title, "text": document.text, "lead_units": list(document.lead_units),
            "deadline": document.deadline_raw, "score": round(score, 6), "why": why,
            "highlights": highlights, "snippet": _snippet(document.text, highlights),
        }


def _spans(text: str, words: list[str]) -> list[list[int]]:
    covered = [False] * len(text)
    for word in sorted(set(words), key=len, reverse=True):
        for match in re.finditer(re.escape(word), text):
            if not any(covered[match.start() : match.end()]):
                covered[match.start() : match.end()] = [True] * len(word)
    spans, start = [], None
    for index, flag in enumerate(covered + [False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            spans.append([start, index])
            start = None
    return spans


def _snippet(text: str, spans: list[list[int]]) -> str:
    parts, position = [], 0
    for start, end in spans:
        parts += [html.escape(text[position:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def _ms(clock: float) -> float:
    return round((time.perf_counter() - clock) * 1000, 3)


__all__ = ["SearchEngine", "SearchError", "SearchResponse"]
